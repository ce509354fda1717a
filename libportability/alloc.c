/* Allocation wrappers (see alloc.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <portability/common.h>
#include "alloc.h"
#include "error.h"

/* Failed allocations on this thread, ever: a caller that goes on after a
 * failure (to collect every problem, or to fill a trace) compares it before
 * and after, so that nothing half-built is returned as a success. */
static _Thread_local unsigned long failures;

unsigned long lp__alloc_failures(void)
{
    return failures;
}

#ifdef LP_TESTING
/* Per-thread, so a failure sweep in one test thread does not disturb another. */
static _Thread_local unsigned long fail_at;
static _Thread_local unsigned long alloc_count;

void lp__alloc_fail_at(unsigned long n)
{
    fail_at = n;
    alloc_count = 0;
}

unsigned long lp__alloc_count(void)
{
    return alloc_count;
}

static int injected_failure(void)
{
    alloc_count++;
    return fail_at != 0 && alloc_count == fail_at;
}
#else
static int injected_failure(void)
{
    return 0;
}
#endif

void *lp__malloc(size_t size)
{
    void *p = injected_failure() ? NULL : malloc(size ? size : 1);
    if (!p) {
        failures++;
        lp__error_set(LP_ENOMEM, "out of memory");
    }
    return p;
}

void *lp__calloc(size_t count, size_t size)
{
    void *p = injected_failure() ? NULL : calloc(count ? count : 1, size ? size : 1);
    if (!p) {
        failures++;
        lp__error_set(LP_ENOMEM, "out of memory");
    }
    return p;
}

void *lp__realloc(void *ptr, size_t size)
{
    void *p = injected_failure() ? NULL : realloc(ptr, size ? size : 1);
    if (!p) {
        failures++;
        lp__error_set(LP_ENOMEM, "out of memory");
    }
    return p;
}

void lp__free(void *ptr)
{
    free(ptr);
}

char *lp__strndup(const char *s, size_t len)
{
    char *p = lp__malloc(len + 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

char *lp__strdup(const char *s)
{
    return lp__strndup(s, strlen(s));
}

LP_API void lp_free(void *ptr)
{
    lp__free(ptr);
}
