/* Internal side of the error model: every failure path sets the thread-local
 * last error through these, and returns the same code. */
#ifndef LP_ERROR_H
#define LP_ERROR_H

#include <stddef.h>

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

/* An array of strings given through the API: LP_OK, or LP_EINVAL (set, naming
 * fn and what) when the array is NULL with a count, or an entry is NULL. */
int lp__check_strings(const char *fn, const char *what, const char *const *a, size_t n);

#endif
