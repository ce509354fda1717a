/* Compiled against an installed libportability through pkg-config. */
#include <stdio.h>
#include <string.h>
#include <portability.h>

int main(void)
{
    int major = -1;
    lp_version(&major, NULL, NULL);
    if (major != LP_VERSION_MAJOR || strcmp(lp_version_string(), LP_VERSION_STRING) != 0) {
        fprintf(stderr, "header/library version mismatch\n");
        return 1;
    }
    printf("installed libportability %s works\n", lp_version_string());
    return 0;
}
