/* Prints the version of the linked libportability (placeholder until the
 * calculator exists). */
#include <stdio.h>
#include <portability.h>

int main(void)
{
    printf("libportability %s\n", lp_version_string());
    return 0;
}
