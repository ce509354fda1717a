/* Calendar dates as day numbers, and the public lp_date API (see date.h and
 * include/portability/date.h). Integer arithmetic only. */
#include "config.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include <portability/date.h>
#include "alloc.h"
#include "date.h"
#include "error.h"

static const char *const month_names[12] = {
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December"
};

static int is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int lp__days_in_month(int year, int month)
{
    static const int len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    assert(month >= 1 && month <= 12);
    if (month == 2 && is_leap(year))
        return 29;
    return len[month - 1];
}

int lp__ymd_valid(int year, int month, int day)
{
    if (year < LP__YEAR_MIN || year > LP__YEAR_MAX)
        return 0;
    if (month < 1 || month > 12)
        return 0;
    return day >= 1 && day <= lp__days_in_month(year, month);
}

/* Howard Hinnant's days_from_civil: the year is taken to start on 1 March,
 * so the leap day is the last day of the shifted year, and 400-year eras of
 * 146097 days repeat exactly. Years are 1..9999, so every intermediate is
 * non-negative: unsigned arithmetic lets the compiler turn the divisions by
 * constants into multiplications (this function and its inverse were 10% of a
 * calculation's instructions, doc/performance.md). Day 0 is 1970-01-01. */
static lp__day days_from_civil(int year, int m, int d)
{
    uint32_t y = (uint32_t)year - (m <= 2);                       /* [0, 9999] */
    uint32_t era = y / 400;
    uint32_t yoe = y - era * 400;                                 /* [0, 399] */
    uint32_t doy = (153 * (uint32_t)(m + (m > 2 ? -3 : 9)) + 2) / 5 + (uint32_t)d - 1; /* [0, 365] */
    uint32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;         /* [0, 146096] */
    return (lp__day)(era * 146097 + doe) - 719468;
}

lp__day lp__day_from_ymd(int year, int month, int day)
{
    assert(lp__ymd_valid(year, month, day));
    return days_from_civil(year, month, day);
}

/* Neri and Schneider's civil-from-days ("Euclidean affine functions and their
 * application to calendar algorithms", Software: Practice and Experience 53(4),
 * 2023): the same March-based year as days_from_civil, each step a
 * multiplication and a shift where Hinnant's takes five divisions by
 * constants; about half the time (a calculation converts a hundred dates).
 * Checked equal to Hinnant's on every day of the domain asserted below.
 * From day z counted from 0000-03-01: the century c and day of the century,
 * the year of the century z and the day of the year ny, the month m (3..14,
 * counted from March) and the day. */
static void march_year(lp__day d, uint32_t *year, uint32_t *day_of_year)
{
    uint64_t n1 = 4 * (uint64_t)(uint32_t)(d + 719468) + 3;
    uint32_t c = (uint32_t)(n1 / 146097);
    uint32_t n2 = (uint32_t)(n1 % 146097) / 4 * 4 + 3;          /* 4 x day of the century + 3 */
    uint64_t p2 = (uint64_t)2939745 * n2;
    *year = 100 * c + (uint32_t)(p2 >> 32);                     /* the year that starts on 1 March */
    *day_of_year = (uint32_t)p2 / 2939745 / 4;                  /* [0, 365] from 1 March */
}

void lp__day_to_ymd(lp__day d, int *year, int *month, int *day)
{
    uint32_t y, ny, n3, j;
    /* 0000-03-01 onwards (callers may step one day past 9999-12-31) */
    assert(d >= -719468 && d <= INT32_MAX - 719468);
    march_year(d, &y, &ny);
    n3 = 2141 * ny + 197913;
    j = ny >= 306;                                               /* January or February: the next year */
    *day = (int)((n3 & 0xffff) / 2141) + 1;
    *month = (int)((n3 >> 16) - 12 * j);
    *year = (int)(y + j);
}

lp__day lp__day_min(void)
{
    return lp__day_from_ymd(LP__YEAR_MIN, 1, 1);
}

lp__day lp__day_max(void)
{
    return lp__day_from_ymd(LP__YEAR_MAX, 12, 31);
}

static int digits(const char *s, size_t n, int *value)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *value = v;
    return 1;
}

/* Length of the input shown in messages (the input may be long or not NUL-terminated). */
static int shown(size_t len)
{
    return len > 40 ? 40 : (int)len;
}

int lp__day_parse(lp__day *out, const char *s, size_t len)
{
    int y, m, d;
    if (!out || !s)
        return lp__error_set(LP_EINVAL, "date: NULL argument");
    if (len != 10)
        return lp__error_set(LP_EPARSE, "'%.*s%s': a date must be exactly YYYY-MM-DD (10 characters, got %zu)",
                             shown(len), s, len > 40 ? "..." : "", len);
    if (s[4] != '-' || s[7] != '-')
        return lp__error_set(LP_EPARSE, "'%.10s': a date must be YYYY-MM-DD with '-' separators", s);
    if (!digits(s, 4, &y) || !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d))
        return lp__error_set(LP_EPARSE, "'%.10s': year, month and day must be digits (YYYY-MM-DD)", s);
    if (y < LP__YEAR_MIN)
        return lp__error_set(LP_ERANGE, "%.10s: year %04d is outside 0001..9999", s, y);
    if (m < 1 || m > 12)
        return lp__error_set(LP_EPARSE, "%.10s: month %02d is not in 01..12", s, m);
    if (d < 1 || d > lp__days_in_month(y, m)) {
        if (d == 0)
            return lp__error_set(LP_EPARSE, "%.10s: day 00 does not exist", s);
        return lp__error_set(LP_EPARSE, "%.10s: %s %d has %d days", s, month_names[m - 1], y,
                             lp__days_in_month(y, m));
    }
    *out = lp__day_from_ymd(y, m, d);
    return LP_OK;
}

void lp__day_format(char out[11], lp__day d)
{
    int y, m, dd;
    lp__day_to_ymd(d, &y, &m, &dd);
    assert(y >= LP__YEAR_MIN && y <= LP__YEAR_MAX);
    /* by hand: snprintf's format parsing showed in profiles (every result
     * writes its claim date) */
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + dd / 10);
    out[9] = (char)('0' + dd % 10);
    out[10] = '\0';
}

static lp__day from_month_index_clamped(int64_t mi, int day)
{
    int y = (int)(mi >= 0 ? mi / 12 : -((-mi + 11) / 12));
    int m = (int)(mi - (int64_t)y * 12) + 1;
    int len = lp__days_in_month(y, m);
    return lp__day_from_ymd(y, m, day > len ? len : day);
}

lp__day lp__day_add_months(lp__day d, int months)
{
    int y, m, dd;
    lp__day_to_ymd(d, &y, &m, &dd);
    return from_month_index_clamped((int64_t)y * 12 + (m - 1) + months, dd);
}

lp__day lp__day_add_years(lp__day d, int years)
{
    int y, m, dd;
    lp__day_to_ymd(d, &y, &m, &dd);
    return from_month_index_clamped(((int64_t)y + years) * 12 + (m - 1), dd);
}

int lp__age_on(lp__day birth, lp__day on)
{
    int by, bm, bd, oy, om, od, age;
    lp__day_to_ymd(birth, &by, &bm, &bd);
    lp__day_to_ymd(on, &oy, &om, &od);
    /* (month, day) comparison: the anniversary date counts as reached; a
     * 02-29 birthday is not reached on 02-28 and is passed on 03-01. */
    age = oy - by;
    if (om < bm || (om == bm && od < bd))
        age--;
    return age;
}

int lp__fiscal_year(lp__day d, int first_month)
{
    int y, m, dd;
    assert(first_month >= 1 && first_month <= 12);
    lp__day_to_ymd(d, &y, &m, &dd);
    return m >= first_month ? y : y - 1;
}

lp__day lp__fiscal_year_start(lp__day d, int first_month)
{
    return lp__day_from_ymd(lp__fiscal_year(d, first_month), first_month, 1);
}

int lp__month_index(lp__day d)
{
    /* lp__day_to_ymd without the day: the March-based year x 12 + the month
     * counted from March (3..14) - 1, with no branch. The aggregates ask this
     * for every period bound. */
    uint32_t y, ny;
    assert(d >= -719468 && d <= INT32_MAX - 719468);
    march_year(d, &y, &ny);
    return (int)(y * 12 + ((2141 * ny + 197913) >> 16) - 1);
}

lp__day lp__month_index_first_day(int month_index)
{
    assert(month_index >= LP__YEAR_MIN * 12 && month_index < (LP__YEAR_MAX + 1) * 12);
    return days_from_civil(month_index / 12, month_index % 12 + 1, 1);
}

/* ---- public API ---------------------------------------------------------- */

static int valid(lp_date d)
{
    return lp__ymd_valid(d.year, d.month, d.day);
}

static lp__day to_day(lp_date d)
{
    return lp__day_from_ymd(d.year, d.month, d.day);
}

static lp_date from_day(lp__day d)
{
    lp_date r;
    lp__day_to_ymd(d, &r.year, &r.month, &r.day);
    return r;
}

static int invalid_date(const char *what, lp_date d)
{
    return lp__error_set(LP_EINVAL, "%s: %d-%02d-%02d is not a valid date in 0001..9999",
                         what, d.year, d.month, d.day);
}

LP_API int lp_date_parse(lp_date *out, const char *iso)
{
    lp__day d;
    int rc;
    if (!out || !iso)
        return lp__error_set(LP_EINVAL, "lp_date_parse: NULL argument");
    rc = lp__day_parse(&d, iso, strlen(iso));
    if (rc != LP_OK)
        return rc;
    *out = from_day(d);
    return LP_OK;
}

LP_API int lp_date_format(char **out, lp_date date)
{
    char *s;
    if (!out)
        return lp__error_set(LP_EINVAL, "lp_date_format: NULL out");
    *out = NULL;
    if (!valid(date))
        return invalid_date("lp_date_format", date);
    s = lp__malloc(11);
    if (!s)
        return LP_ENOMEM;
    lp__day_format(s, to_day(date));
    *out = s;
    return LP_OK;
}

LP_API int lp_date_is_valid(lp_date date)
{
    return valid(date);
}

LP_API int lp_date_compare(lp_date a, lp_date b)
{
    if (a.year != b.year)
        return a.year < b.year ? -1 : 1;
    if (a.month != b.month)
        return a.month < b.month ? -1 : 1;
    if (a.day != b.day)
        return a.day < b.day ? -1 : 1;
    return 0;
}

static int add_months_checked(lp_date *out, lp_date date, int64_t months, const char *what)
{
    int64_t mi;
    if (!out)
        return lp__error_set(LP_EINVAL, "%s: NULL out", what);
    if (!valid(date))
        return invalid_date(what, date);
    mi = (int64_t)date.year * 12 + (date.month - 1) + months;
    if (mi < (int64_t)LP__YEAR_MIN * 12 || mi > (int64_t)LP__YEAR_MAX * 12 + 11)
        return lp__error_set(LP_ERANGE, "%s: %d-%02d-%02d %+lld months is outside 0001..9999",
                             what, date.year, date.month, date.day, (long long)months);
    *out = from_day(from_month_index_clamped(mi, date.day));
    return LP_OK;
}

LP_API int lp_date_add_months(lp_date *out, lp_date date, int months)
{
    return add_months_checked(out, date, months, "lp_date_add_months");
}

LP_API int lp_date_add_years(lp_date *out, lp_date date, int years)
{
    return add_months_checked(out, date, (int64_t)years * 12, "lp_date_add_years");
}

LP_API int lp_date_age(int *out, lp_date birth, lp_date on)
{
    if (!out)
        return lp__error_set(LP_EINVAL, "lp_date_age: NULL out");
    if (!valid(birth))
        return invalid_date("lp_date_age: birth", birth);
    if (!valid(on))
        return invalid_date("lp_date_age: on", on);
    if (lp_date_compare(on, birth) < 0)
        return lp__error_set(LP_EINVAL, "lp_date_age: %d-%02d-%02d is before the birth date %d-%02d-%02d",
                             on.year, on.month, on.day, birth.year, birth.month, birth.day);
    *out = lp__age_on(to_day(birth), to_day(on));
    return LP_OK;
}

LP_API int lp_date_fiscal_year(int *out, lp_date date, int first_month)
{
    if (!out)
        return lp__error_set(LP_EINVAL, "lp_date_fiscal_year: NULL out");
    if (!valid(date))
        return invalid_date("lp_date_fiscal_year", date);
    if (first_month < 1 || first_month > 12)
        return lp__error_set(LP_EINVAL, "lp_date_fiscal_year: first month %d is not in 1..12", first_month);
    *out = lp__fiscal_year(to_day(date), first_month);
    return LP_OK;
}
