/* The thread-local last error and the static error texts. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <portability/errors.h>
#include "error.h"

#define LP_ERROR_MESSAGE_MAX 1024
#define LP_ERROR_FILE_MAX 1024

/* One slot per thread; the strings live in the slot, so lp_error_last()
 * needs no allocation and cannot fail. */
typedef struct error_slot {
    lp_error error;
    char message[LP_ERROR_MESSAGE_MAX];
    char file[LP_ERROR_FILE_MAX];
} error_slot;

static _Thread_local error_slot last = { { LP_OK, "", NULL, 0, 0 }, "", "" };

static int set_v(int code, const char *file, int line, int column,
                 const char *fmt, va_list ap)
{
    /* Format into a local buffer first: callers often pass the previous
     * lp_error_last()->message (and ->file) as arguments, and an overlapping
     * vsnprintf is undefined behaviour (it garbled those messages). */
    char buf[LP_ERROR_MESSAGE_MAX];
    vsnprintf(buf, sizeof buf, fmt, ap);
    memcpy(last.message, buf, strlen(buf) + 1);
    last.error.code = code;
    last.error.message = last.message;
    if (file) {
        if (file != last.file)
            snprintf(last.file, sizeof last.file, "%s", file);
        last.error.file = last.file;
    } else {
        last.error.file = NULL;
    }
    last.error.line = line;
    last.error.column = column;
    return code;
}

int lp__error_set(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_v(code, NULL, 0, 0, fmt, ap);
    va_end(ap);
    return code;
}

int lp__error_set_at(int code, const char *file, int line, int column,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_v(code, file, line, column, fmt, ap);
    va_end(ap);
    return code;
}

LP_API const lp_error *lp_error_last(void)
{
    if (!last.error.message)
        last.error.message = "";
    return &last.error;
}

LP_API void lp_error_clear(void)
{
    last.error.code = LP_OK;
    last.message[0] = '\0';
    last.error.message = last.message;
    last.error.file = NULL;
    last.error.line = 0;
    last.error.column = 0;
}

LP_API const char *lp_strerror(int code)
{
    switch (code) {
    case LP_OK: return "success";
    case LP_ERROR: return "unexpected failure";
    case LP_EINVAL: return "invalid argument";
    case LP_ENOMEM: return "out of memory";
    case LP_ENOTFOUND: return "not found";
    case LP_EIO: return "input/output error";
    case LP_EPARSE: return "malformed input";
    case LP_ESCHEMA: return "document does not follow its schema";
    case LP_ECURRENCY: return "currency mismatch or unknown currency";
    case LP_EDIVZERO: return "division by zero";
    case LP_EINEXACT: return "rounding would change the value";
    case LP_ERANGE: return "value out of range";
    case LP_ITEROVER: return "end of the iteration";
    default: return "unknown error";
    }
}

int lp__check_strings(const char *fn, const char *what, const char *const *a, size_t n)
{
    size_t i;
    if (n && !a)
        return lp__error_set(LP_EINVAL, "%s: %s is NULL but its count is %zu", fn, what, n);
    for (i = 0; i < n; i++)
        if (!a[i])
            return lp__error_set(LP_EINVAL, "%s: %s[%zu] is NULL", fn, what, i);
    return LP_OK;
}
