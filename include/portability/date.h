/**
 * @file portability/date.h
 * @brief Calendar dates: ISO 8601 parsing and formatting, month and year
 * arithmetic with the end-of-month rule, age and fiscal years.
 * @defgroup lp_date Dates
 *
 * Dates are proleptic Gregorian calendar dates in the years 0001..9999, held
 * in a plain value type. All arithmetic is exact integer arithmetic.
 *
 * **Thread-safety:** every function is reentrant; error details are per thread.
 * @{
 */
#ifndef PORTABILITY_DATE_H
#define PORTABILITY_DATE_H

#include <portability/common.h>

LP_BEGIN_DECL

/**
 * A calendar date (transparent value type).
 *
 * Any combination of fields can be stored; lp_date_is_valid() says whether
 * it names a real day in 0001-01-01..9999-12-31. Functions taking an lp_date
 * reject an invalid one with LP_EINVAL.
 */
typedef struct lp_date {
    int year;   /**< 1..9999 */
    int month;  /**< 1..12 */
    int day;    /**< 1..28/29/30/31 */
} lp_date;

/**
 * Parse a strict ISO 8601 calendar date "YYYY-MM-DD".
 *
 * Exactly ten characters: four-digit year, two-digit month and day, '-'
 * separators. No sign, time, week or ordinal forms, no surrounding spaces.
 * "2025-2-3" and "2025-02-03x" are rejected; so is "2025-02-30", with the
 * message "2025-02-30: February 2025 has 28 days" in lp_error_last().
 * @param[out] out the date; written only on success.
 * @param[in]  iso NUL-terminated text.
 * @return LP_OK, LP_EPARSE (malformed or non-existent date), LP_ERANGE
 *         (year 0000), LP_EINVAL (NULL argument).
 */
LP_API int lp_date_parse(lp_date *out, const char *iso);

/**
 * Format a date as "YYYY-MM-DD".
 * @param[out] out the text, NULL on failure. **Ownership:** release with lp_free().
 * @param[in]  date a valid date.
 * @return LP_OK, LP_EINVAL (invalid date or NULL out), LP_ENOMEM.
 */
LP_API int lp_date_format(char **out, lp_date date);

/**
 * Whether a date exists in the proleptic Gregorian calendar, years 0001..9999.
 *
 * Leap years are divisible by 4, except centuries not divisible by 400:
 * 2024-02-29 and 2000-02-29 are valid, 2023-02-29 and 1900-02-29 are not.
 * @param[in] date any value.
 * @return 1 if valid, 0 if not.
 */
LP_API int lp_date_is_valid(lp_date date);

/**
 * Compare two dates field by field (year, then month, then day).
 * @param[in] a first date.
 * @param[in] b second date.
 * @return -1 if a is before b, 0 if equal, 1 if a is after b.
 */
LP_API int lp_date_compare(lp_date a, lp_date b);

/**
 * Add (or subtract) calendar months with the end-of-month rule.
 *
 * The day of month is kept, and clamped to the length of the target month:
 * 2025-01-31 + 1 month = 2025-02-28, 2024-01-31 + 1 month = 2024-02-29,
 * 2024-03-31 - 1 month = 2024-02-29.
 * @param[out] out the result; written only on success.
 * @param[in]  date a valid date.
 * @param[in]  months any number of months, negative to go back.
 * @return LP_OK, LP_EINVAL (invalid date, NULL out), LP_ERANGE (result
 *         outside 0001..9999).
 */
LP_API int lp_date_add_months(lp_date *out, lp_date date, int months);

/**
 * Add (or subtract) calendar years; 29 February becomes 28 February in a
 * common year (2024-02-29 + 1 year = 2025-02-28).
 * @param[out] out the result; written only on success.
 * @param[in]  date a valid date.
 * @param[in]  years any number of years, negative to go back.
 * @return LP_OK, LP_EINVAL (invalid date, NULL out), LP_ERANGE (result
 *         outside 0001..9999).
 */
LP_API int lp_date_add_years(lp_date *out, lp_date date, int years);

/**
 * Age in completed years on a given date.
 *
 * Convention: the age increases at the start of the anniversary date. A
 * person born on 29 February reaches the birthday on 1 March in common years
 * (on 28 February they have not yet completed the year). Schemes whose law
 * counts age differently (for example Japan, where the age is attained on
 * the day before the birthday) apply that on top.
 * @param[out] out the age; written only on success.
 * @param[in]  birth a valid birth date.
 * @param[in]  on a valid date, not before birth.
 * @return LP_OK, LP_EINVAL (invalid date, on before birth, NULL out).
 */
LP_API int lp_date_age(int *out, lp_date birth, lp_date on);

/**
 * The fiscal year containing a date, named by the calendar year in which
 * that fiscal year starts.
 *
 * With first_month 4 (Japan): 2025-04-01 and 2026-03-31 are both in FY2025.
 * first_month 1 gives the calendar year.
 * @param[out] out the fiscal year; written only on success.
 * @param[in]  date a valid date.
 * @param[in]  first_month first month of the fiscal year, 1..12.
 * @return LP_OK, LP_EINVAL (invalid date, first_month outside 1..12, NULL out).
 */
LP_API int lp_date_fiscal_year(int *out, lp_date date, int first_month);

LP_END_DECL

/** @} */
#endif /* PORTABILITY_DATE_H */
