/* Internal calendar arithmetic on day numbers (proleptic Gregorian calendar).
 *
 * A date is an lp__day: the number of days since 1970-01-01 (day 0), negative
 * before it. Only years LP__YEAR_MIN..LP__YEAR_MAX are valid; every function
 * here that takes or returns an lp__day expects (and asserts, in test builds)
 * that it lies in that range. Integer arithmetic only. */
#ifndef LP_DATE_H
#define LP_DATE_H

#include <stddef.h>
#include <stdint.h>

typedef int32_t lp__day;   /* proleptic Gregorian day number, 0 = 1970-01-01 */

#define LP__YEAR_MIN 1
#define LP__YEAR_MAX 9999

/* Day number of a calendar date. The caller guarantees lp__ymd_valid(). */
lp__day lp__day_from_ymd(int year, int month, int day);
/* Calendar date of a day number (year in LP__YEAR_MIN..LP__YEAR_MAX). */
void lp__day_to_ymd(lp__day d, int *year, int *month, int *day);
/* 1 if year is in LP__YEAR_MIN..LP__YEAR_MAX and month/day exist, else 0. */
int lp__ymd_valid(int year, int month, int day);
/* 28..31; month 1..12 (leap years: divisible by 4, not by 100 unless by 400). */
int lp__days_in_month(int year, int month);

/* First and last valid day numbers (0001-01-01 and 9999-12-31). */
lp__day lp__day_min(void);
lp__day lp__day_max(void);

/* Strict ISO 8601 calendar date "YYYY-MM-DD": exactly 10 characters in
 * [s, s+len), ASCII digits and two '-'. No sign, no time, no week dates.
 * LP_EPARSE with a message saying what is wrong ("2025-02-30: February 2025
 * has 28 days"); LP_ERANGE for year 0000 (outside 0001..9999); LP_EINVAL for
 * NULL pointers. *out is written only on success. */
int lp__day_parse(lp__day *out, const char *s, size_t len);
/* "YYYY-MM-DD" + NUL. */
void lp__day_format(char out[11], lp__day d);

/* End-of-month rule: the day of month is clamped to the target month's
 * length (Jan 31 + 1 month = Feb 28 or Feb 29). The result must stay within
 * LP__YEAR_MIN..LP__YEAR_MAX (callers check with lp__month_index first). */
lp__day lp__day_add_months(lp__day d, int months);
/* Same rule in years: Feb 29 + 1 year = Feb 28. */
lp__day lp__day_add_years(lp__day d, int years);

/* Completed years of age on date `on` for someone born on `birth`.
 * Convention: a birthday is reached on the anniversary date itself (age goes
 * up at the start of that day), and someone born on 29 February reaches the
 * birthday on 1 March in common years (they have not completed the year on
 * 28 February). This is the plain (month, day) comparison; note that some
 * legislations (Japan's Act on Calculation of Age, English case law for
 * Feb 29) make the age change a day earlier: apply such rules on top.
 * Negative when on < birth (the caller rejects that). */
int lp__age_on(lp__day birth, lp__day on);

/* Fiscal year named by the calendar year in which it starts: with
 * first_month 4 (Japan, UK-like), 2025-04-01 .. 2026-03-31 is FY2025.
 * first_month is 1..12 (1 = calendar year). */
int lp__fiscal_year(lp__day d, int first_month);
/* First day of the fiscal year containing d. */
lp__day lp__fiscal_year_start(lp__day d, int first_month);

/* year*12 + (month-1): a month timeline index (consecutive months differ by 1). */
int lp__month_index(lp__day d);
/* First day of the month with that index. */
lp__day lp__month_index_first_day(int month_index);

#endif
