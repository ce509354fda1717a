/* Run-time version of the linked library. */
#include "config.h"

#include <portability/version.h>

LP_API void lp_version(int *major, int *minor, int *micro)
{
    if (major)
        *major = LP_VERSION_MAJOR;
    if (minor)
        *minor = LP_VERSION_MINOR;
    if (micro)
        *micro = LP_VERSION_MICRO;
}

LP_API const char *lp_version_string(void)
{
    return LP_VERSION_STRING;
}
