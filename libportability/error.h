/* Internal side of the error model: every failure path sets the thread-local
 * last error through these, and returns the same code. */
#ifndef LP_ERROR_H
#define LP_ERROR_H

#include <portability/errors.h>

#if defined(__GNUC__) || defined(__clang__)
# define LP__PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
# define LP__PRINTF(a, b)
#endif

/* Set the last error (no location) and return code. */
int lp__error_set(int code, const char *fmt, ...) LP__PRINTF(2, 3);
/* Set the last error with a location in a file (file may be NULL). */
int lp__error_set_at(int code, const char *file, int line, int column,
                     const char *fmt, ...) LP__PRINTF(5, 6);

#endif
