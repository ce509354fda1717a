/**
 * @file portability/errors.h
 * @brief Error codes and the thread-local detail of the last failure.
 * @defgroup lp_errors Errors
 *
 * Every fallible function returns `int`: LP_OK (0) or a negative lp_error_code.
 * The detail of the failure (message, and the file, line and column of a rule
 * file or history where there is one) is kept per thread and read with
 * lp_error_last() straight after the failing call, on the same thread.
 * @{
 */
#ifndef PORTABILITY_ERRORS_H
#define PORTABILITY_ERRORS_H

#include <portability/common.h>

LP_BEGIN_DECL

/** Error codes. Never renumbered. */
typedef enum lp_error_code {
    LP_OK = 0,            /**< success */
    LP_ERROR = -1,        /**< generic or unexpected failure */
    LP_EINVAL = -2,       /**< bad argument or NULL handle */
    LP_ENOMEM = -3,       /**< out of memory */
    LP_ENOTFOUND = -4,    /**< no such file, scheme, rule or name */
    LP_EIO = -5,          /**< reading or writing failed */
    LP_EPARSE = -6,       /**< malformed XML, amount, date or formula */
    LP_ESCHEMA = -7,      /**< a document fails XSD validation or a rule-set check */
    LP_ECURRENCY = -8,    /**< currency mismatch or unknown currency */
    LP_EDIVZERO = -9,     /**< division by zero */
    LP_EINEXACT = -10,    /**< rounding needed but LP_ROUND_UNNECESSARY given */
    LP_ERANGE = -11,      /**< value out of the accepted range (digits, dates, sizes) */
    LP_ITEROVER = -12     /**< the end of an iteration (lp_batch_read()): not a failure */
} lp_error_code;

/** Detail of the last failure on this thread. Read-only. */
typedef struct lp_error {
    int code;             /**< the lp_error_code, LP_OK if none */
    const char *message;  /**< human-readable message, "" if none */
    const char *file;     /**< rule file or history the error is in, or NULL */
    int line;             /**< 1-based line, 0 if unknown */
    int column;           /**< 1-based column, 0 if unknown */
} lp_error;

/**
 * The last error set on this thread.
 *
 * Meaningful right after a call that failed, on the same thread. The calls
 * that compute or write a result — lp_calc(), lp_calc_with_pad(),
 * lp_compare(), lp_batch_read(), lp_result_to_xml() and lp_result_to_json()
 * — clear it when they succeed
 * (code LP_OK, message ""), so that an error left by an earlier call is never
 * read as theirs. Other calls leave it as it was when they succeed: read it
 * only after a failure.
 * @return never NULL. Borrowed: valid until the next library call on this thread.
 */
LP_API const lp_error *lp_error_last(void);

/** Clear the last error of this thread. */
LP_API void lp_error_clear(void);

/**
 * Static text describing an error code.
 * @param[in] code an lp_error_code
 * @return a static string, never NULL ("unknown error" for unknown codes).
 */
LP_API const char *lp_strerror(int code);

LP_END_DECL

/** @} */
#endif /* PORTABILITY_ERRORS_H */
