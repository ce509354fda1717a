/* Insurance periods: merging, counting rules, Reg 987/2009 Art 13 unit
 * conversion (see period.h for the conventions), and the public lp_periods
 * API. Exact integer and GMP rational arithmetic only. */
#include "config.h"

#include <assert.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <portability/period.h>
#include "alloc.h"
#include "date.h"
#include "decimal.h"
#include "error.h"
#include "period.h"

/* ---- names ---------------------------------------------------------------- */

static const char *const kind_names[] = {
    "contribution", "employment", "self-employment", "voluntary", "residence", "credited", "exempt"
};

static const char *const unit_names[] = { "day", "week", "month", "quarter", "year" };

static const char *const counting_names[] = {
    "days", "weeks", "months-touched", "whole-months", "quarters-touched", "whole-years",
    "eu-days-5", "eu-days-6", "eu-days-7", "months-to-loss", "whole-months-part-up"
};

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Index of name[0..len) in names, -1 if absent. */
static int lookup(const char *const *names, size_t count, const char *name, size_t len)
{
    if (!name)
        return -1;
    for (size_t i = 0; i < count; i++)
        if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
            return (int)i;
    return -1;
}

unsigned lp__kind_parse(const char *name, size_t len)
{
    int i = lookup(kind_names, COUNT_OF(kind_names), name, len);
    return i < 0 ? 0u : 1u << i;
}

const char *lp__kind_name(unsigned bit)
{
    for (size_t i = 0; i < COUNT_OF(kind_names); i++)
        if (bit == 1u << i)
            return kind_names[i];
    return NULL;
}

static int shown(size_t len)
{
    return len > 40 ? 40 : (int)len;
}

int lp__unit_parse(lp__unit *out, const char *name, size_t len)
{
    int i = lookup(unit_names, COUNT_OF(unit_names), name, len);
    if (i < 0)
        return lp__error_set(LP_EPARSE, "unknown period unit '%.*s' (day, week, month, quarter or year)",
                             name ? shown(len) : 0, name ? name : "");
    *out = (lp__unit)i;
    return LP_OK;
}

const char *lp__unit_name(lp__unit unit)
{
    return (unsigned)unit < COUNT_OF(unit_names) ? unit_names[unit] : NULL;
}

int lp__counting_parse(lp__counting *out, const char *name, size_t len)
{
    int i = lookup(counting_names, COUNT_OF(counting_names), name, len);
    if (i < 0)
        return lp__error_set(LP_EPARSE, "unknown counting rule '%.*s' (days, weeks, months-touched, "
                             "whole-months, quarters-touched, whole-years, eu-days-5, eu-days-6, eu-days-7, "
                             "months-to-loss or whole-months-part-up)",
                             name ? shown(len) : 0, name ? name : "");
    *out = (lp__counting)i;
    return LP_OK;
}

const char *lp__counting_name(lp__counting rule)
{
    return (unsigned)rule < COUNT_OF(counting_names) ? counting_names[rule] : NULL;
}

/* ---- merging -------------------------------------------------------------- */

static int interval_cmp(const void *pa, const void *pb)
{
    const lp__interval *a = pa, *b = pb;
    if (a->from != b->from)
        return a->from < b->from ? -1 : 1;
    if (a->to != b->to)
        return a->to < b->to ? -1 : 1;
    return 0;
}

/* Sort by (from, to). Histories usually list periods in order, so a sorted
 * input costs one pass; short ones are insertion-sorted (qsort's set-up was
 * most of the cost of a merge); long ones go to qsort. */
static void intervals_sort(lp__interval *v, size_t n)
{
    size_t i, j;
    for (i = 1; i < n && interval_cmp(&v[i - 1], &v[i]) <= 0; i++)
        ;
    if (i >= n)
        return;
    if (n > 16) {
        qsort(v, n, sizeof *v, interval_cmp);
        return;
    }
    for (; i < n; i++) {
        lp__interval x = v[i];
        for (j = i; j > 0 && interval_cmp(&v[j - 1], &x) > 0; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

size_t lp__intervals_merge(lp__interval *v, size_t n)
{
    size_t w = 0;
    if (n == 0)
        return 0;
    intervals_sort(v, n);
    assert(v[0].from <= v[0].to);
    for (size_t i = 1; i < n; i++) {
        assert(v[i].from <= v[i].to);
        /* overlapping or adjacent: the next one starts at most one day after */
        if ((int64_t)v[i].from <= (int64_t)v[w].to + 1) {
            if (v[i].to > v[w].to)
                v[w].to = v[i].to;
            v[w].kinds |= v[i].kinds;
        } else {
            v[++w] = v[i];
        }
    }
    return w + 1;
}

/* ---- counting ------------------------------------------------------------- */

static int quarter_index(lp__day d)
{
    int y, m, dd;
    lp__day_to_ymd(d, &y, &m, &dd);
    return y * 4 + (m - 1) / 3;
}

/* Distinct buckets (months or quarters) touched: intervals are sorted, so a
 * bucket shared with the previous interval is the last one counted. */
static int64_t count_touched(const lp__interval *v, size_t n, int (*index)(lp__day))
{
    int64_t count = 0;
    int64_t last = INT64_MIN;
    for (size_t i = 0; i < n; i++) {
        int64_t a = index(v[i].from), b = index(v[i].to);
        if (a <= last)
            a = last + 1;
        if (b >= a)
            count += b - a + 1;
        if (b > last)
            last = b;
    }
    return count;
}

/* Whole months in [from, to]: the k-th month is complete when to + 1 has
 * reached its anniversary, day d of the k-th following month, or the first
 * of the month after that when that month has no day d (BGB s 188(3)). This
 * equals java.time.Period's month count between from and to + 1. */
static int64_t whole_months(lp__day from, lp__day to)
{
    int fy, fm, fd, ey, em, ed;
    int64_t months;
    lp__day_to_ymd(from, &fy, &fm, &fd);
    lp__day_to_ymd((lp__day)(to + 1), &ey, &em, &ed);
    months = ((int64_t)ey * 12 + em) - ((int64_t)fy * 12 + fm);
    if (ed < fd)
        months--;
    return months;
}

lp__day lp__loss_end(lp__day from, lp__day to, lp__day loss)
{
    int lost = lp__month_index(loss);
    if (lost <= lp__month_index(from))
        return to;                 /* coverage began in the month it was lost: that month counts */
    return lp__month_index_first_day(lost) - 1;
}

/* 1 when days of from..to remain after its k whole months: the k-th month
 * ends on the day before day d (from's day) of the k-th month after from's,
 * or on that month's last day when it has no day d (whole_months' rule). */
static int part_month_left(lp__day from, lp__day to, int64_t k)
{
    int fy, fm, fd, y, mo, len;
    int64_t m;
    lp__day_to_ymd(from, &fy, &fm, &fd);
    m = (int64_t)fy * 12 + (fm - 1) + k;   /* the k-th month after from's */
    if (m / 12 > LP__YEAR_MAX)     /* it ends on 31 December 9999 or later: nothing is left */
        return 0;
    y = (int)(m / 12);
    mo = (int)(m % 12) + 1;
    len = lp__days_in_month(y, mo);
    return to > (fd <= len ? lp__day_from_ymd(y, mo, fd) - 1 : lp__day_from_ymd(y, mo, len));
}

/* Art 13 days for one calendar month of month_len days, covered days of it. */
static int64_t eu_month_days(int64_t covered, int month_len, int64_t per_week, int64_t per_month)
{
    int64_t days;
    if (covered == month_len)
        return per_month;
    days = (covered / 7) * per_week + (covered % 7 < per_week ? covered % 7 : per_week);
    return days < per_month ? days : per_month;
}

/* Reg 987/2009 Art 13 days of an n-day-week scheme (conventions in period.h):
 * walk the intervals month by month, collecting the covered days of each
 * calendar month, then each calendar year's days. */
static int64_t count_eu_days(const lp__interval *v, size_t n, int per_week)
{
    const int64_t per_month = per_week == 5 ? 22 : per_week == 6 ? 26 : 30;
    const int64_t per_year = 12 * per_month;   /* 264 / 312 / 360 */
    int64_t total = 0, year_sum = 0, covered = 0;
    int64_t cur_month = INT64_MIN;
    int cur_year = INT_MIN, cur_len = 0;

    for (size_t i = 0; i < n; i++) {
        int64_t d = v[i].from;
        while (d <= v[i].to) {
            int y, m, dd, len;
            int64_t month_last, seg_end, mi;
            lp__day_to_ymd((lp__day)d, &y, &m, &dd);
            len = lp__days_in_month(y, m);
            mi = (int64_t)y * 12 + (m - 1);
            month_last = d + (len - dd);
            seg_end = v[i].to < month_last ? v[i].to : month_last;
            if (mi != cur_month) {
                if (covered > 0)
                    year_sum += eu_month_days(covered, cur_len, per_week, per_month);
                covered = 0;
                cur_month = mi;
                cur_len = len;
                if (y != cur_year) {
                    total += year_sum < per_year ? year_sum : per_year;
                    year_sum = 0;
                    cur_year = y;
                }
            }
            covered += seg_end - d + 1;
            d = seg_end + 1;
        }
    }
    if (covered > 0)
        year_sum += eu_month_days(covered, cur_len, per_week, per_month);
    total += year_sum < per_year ? year_sum : per_year;
    return total;
}

int lp__count_intervals(mpq_t out, const lp__interval *merged, size_t n, lp__counting rule)
{
    int64_t count = 0;
    if (n > 0 && !merged)
        return lp__error_set(LP_EINVAL, "count: NULL intervals");
    for (size_t i = 0; i < n; i++) {
        if (merged[i].from > merged[i].to)
            return lp__error_set(LP_EINVAL, "count: interval %zu ends before it starts", i);
        if (i > 0 && (int64_t)merged[i].from <= (int64_t)merged[i - 1].to + 1)
            return lp__error_set(LP_EINVAL, "count: intervals %zu and %zu are not merged", i - 1, i);
    }
    switch (rule) {
    case LP__COUNT_DAYS:
        for (size_t i = 0; i < n; i++)
            count += (int64_t)merged[i].to - merged[i].from + 1;
        break;
    case LP__COUNT_WEEKS:
        for (size_t i = 0; i < n; i++)
            count += ((int64_t)merged[i].to - merged[i].from + 1) / 7;
        break;
    case LP__COUNT_MONTHS_TOUCHED:
    case LP__COUNT_MONTHS_TO_LOSS:     /* (the periods' ends were moved before: period.h) */
        count = count_touched(merged, n, lp__month_index);
        break;
    case LP__COUNT_QUARTERS_TOUCHED:
        count = count_touched(merged, n, quarter_index);
        break;
    case LP__COUNT_WHOLE_MONTHS_PART_UP:
        for (size_t i = 0; i < n; i++) {
            int64_t k = whole_months(merged[i].from, merged[i].to);
            count += k + part_month_left(merged[i].from, merged[i].to, k);
        }
        break;
    case LP__COUNT_WHOLE_MONTHS:
    case LP__COUNT_WHOLE_YEARS:
        for (size_t i = 0; i < n; i++)
            count += whole_months(merged[i].from, merged[i].to);
        if (rule == LP__COUNT_WHOLE_YEARS)
            count /= 12;
        break;
    case LP__COUNT_EU_DAYS_5:
        count = count_eu_days(merged, n, 5);
        break;
    case LP__COUNT_EU_DAYS_6:
        count = count_eu_days(merged, n, 6);
        break;
    case LP__COUNT_EU_DAYS_7:
        count = count_eu_days(merged, n, 7);
        break;
    default:
        return lp__error_set(LP_EINVAL, "count: unknown counting rule %d", (int)rule);
    }
    /* at most 3652059 days in 0001..9999: fits a long everywhere */
    mpq_set_si(out, (long)count, 1);
    return LP_OK;
}

/* ---- Art 13 conversion ---------------------------------------------------- */

int lp__eu_convert(mpq_t out, const mpq_t amount, lp__unit from, lp__unit to, int days_per_week)
{
    /* Day row of the scheme: a unit's length in days. */
    long per_month, in_days[5];
    /* Non-day systems, in thirds of a week: 1 week = 3, 1 month = 13/3 weeks
     * = 13 (weeks<->months via the 6-day row: 26 days / 6 days), 1 quarter =
     * 13 weeks = 39, 1 year = 52 weeks = 156. */
    static const long in_third_weeks[5] = { 0, 3, 13, 39, 156 };
    long num, den;
    mpq_t factor;

    if (days_per_week < 5 || days_per_week > 7)
        return lp__error_set(LP_EINVAL, "Art 13 conversion: days per week must be 5, 6 or 7, not %d",
                             days_per_week);
    if ((unsigned)from > LP__UNIT_YEAR || (unsigned)to > LP__UNIT_YEAR)
        return lp__error_set(LP_EINVAL, "Art 13 conversion: unknown unit");
    if (mpq_sgn(amount) < 0)
        return lp__error_set(LP_EINVAL, "Art 13 conversion: a negative amount of periods");
    if (from == to) {
        mpq_set(out, amount);
        return LP_OK;
    }
    per_month = days_per_week == 5 ? 22 : days_per_week == 6 ? 26 : 30;
    in_days[LP__UNIT_DAY] = 1;
    in_days[LP__UNIT_WEEK] = days_per_week;
    in_days[LP__UNIT_MONTH] = per_month;
    in_days[LP__UNIT_QUARTER] = 3 * per_month;
    in_days[LP__UNIT_YEAR] = 12 * per_month;
    if (from == LP__UNIT_DAY || to == LP__UNIT_DAY) {
        num = in_days[from];
        den = in_days[to];
    } else {
        num = in_third_weeks[from];
        den = in_third_weeks[to];
    }
    mpq_init(factor);
    mpq_set_si(factor, num, (unsigned long)den);
    mpq_canonicalize(factor);
    mpq_mul(out, amount, factor);
    mpq_clear(factor);
    /* Point (e): a fraction of a unit becomes the next higher whole unit. */
    if (mpz_cmp_ui(mpq_denref(out), 1) != 0) {
        mpz_cdiv_q(mpq_numref(out), mpq_numref(out), mpq_denref(out));
        mpz_set_ui(mpq_denref(out), 1);
    }
    return LP_OK;
}

/* ---- public API ----------------------------------------------------------- */

/* "num/den", or "num" when den is 1, in a buffer from lp__malloc. */
static int rational_string(char **out, const mpq_t q)
{
    size_t size = mpz_sizeinbase(mpq_numref(q), 10) + mpz_sizeinbase(mpq_denref(q), 10) + 3;
    char *s = lp__malloc(size);
    if (!s)
        return LP_ENOMEM;
    mpq_get_str(s, 10, q);
    *out = s;
    return LP_OK;
}

static int date_day(lp__day *out, lp_date d, size_t i, const char *which)
{
    if (!lp__ymd_valid(d.year, d.month, d.day))
        return lp__error_set(LP_EPARSE, "period %zu: %s date %d-%02d-%02d is not a valid date in 0001..9999",
                             i, which, d.year, d.month, d.day);
    *out = lp__day_from_ymd(d.year, d.month, d.day);
    return LP_OK;
}

LP_API int lp_periods_count(char **out, const lp_period *periods, size_t n, const char *counting)
{
    lp__counting rule;
    lp__interval *v = NULL;
    size_t merged;
    mpq_t count;
    int rc;

    if (!out)
        return lp__error_set(LP_EINVAL, "lp_periods_count: NULL out");
    *out = NULL;
    if (!counting || (n > 0 && !periods))
        return lp__error_set(LP_EINVAL, "lp_periods_count: NULL argument");
    rc = lp__counting_parse(&rule, counting, strlen(counting));
    if (rc != LP_OK)
        return rc;
    if (n > SIZE_MAX / sizeof *v)
        return lp__error_set(LP_ENOMEM, "lp_periods_count: too many periods");
    v = lp__malloc(n * sizeof *v);
    if (!v)
        return LP_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        unsigned kind = 0;
        if (periods[i].kind) {
            kind = lp__kind_parse(periods[i].kind, strlen(periods[i].kind));
            if (!kind) {
                rc = lp__error_set(LP_EPARSE, "period %zu: unknown kind '%.40s'", i, periods[i].kind);
                goto done;
            }
        }
        if ((rc = date_day(&v[i].from, periods[i].from, i, "start")) != LP_OK ||
            (rc = date_day(&v[i].to, periods[i].to, i, "end")) != LP_OK)
            goto done;
        if (v[i].to < v[i].from) {
            rc = lp__error_set(LP_EPARSE, "period %zu: ends (%d-%02d-%02d) before it starts (%d-%02d-%02d)", i,
                               periods[i].to.year, periods[i].to.month, periods[i].to.day,
                               periods[i].from.year, periods[i].from.month, periods[i].from.day);
            goto done;
        }
        v[i].kinds = kind;
        if (rule == LP__COUNT_MONTHS_TO_LOSS)   /* each period's coverage lost on the day after it */
            v[i].to = v[i].to < lp__day_max() ? lp__loss_end(v[i].from, v[i].to, v[i].to + 1) : v[i].to;
    }
    merged = lp__intervals_merge(v, n);
    mpq_init(count);
    rc = lp__count_intervals(count, v, merged, rule);
    if (rc == LP_OK)
        rc = rational_string(out, count);
    mpq_clear(count);
done:
    lp__free(v);
    return rc;
}

/* Strict non-negative amount: digits, optionally followed by '.' digits or
 * '/' digits (non-zero denominator). No sign, exponent, spaces or grouping. */
static int parse_amount(mpq_t out, const char *s)
{
    size_t len = strlen(s), int_len = strspn(s, "0123456789"), frac_len = 0;
    char sep = s[int_len];
    char *buf;
    int rc = LP_OK;

    if (int_len == 0 && s[0] == '-')
        return lp__error_set(LP_EINVAL, "amount '%.40s': a negative amount of periods", s);
    if (int_len == 0)
        return lp__error_set(LP_EPARSE, "amount '%.40s': expected digits", s);
    if (sep == '.' || sep == '/') {
        frac_len = strspn(s + int_len + 1, "0123456789");
        if (frac_len == 0 || int_len + 1 + frac_len != len)
            return lp__error_set(LP_EPARSE, "amount '%.40s': expected digits after '%c'", s, sep);
    } else if (sep != '\0') {
        return lp__error_set(LP_EPARSE, "amount '%.40s': expected an integer, a decimal or num/den", s);
    }
    /* the same bound as every literal (decimal.h): a 10,000,000-digit amount
     * made GMP work on a number of that size */
    if (int_len > LP__DECIMAL_MAX_DIGITS || frac_len > LP__DECIMAL_MAX_DIGITS
        || (sep == '.' && int_len + frac_len > LP__DECIMAL_MAX_DIGITS))
        return lp__error_set(LP_ERANGE, "amount '%.40s': more than %d digits", s, LP__DECIMAL_MAX_DIGITS);
    buf = lp__malloc(len + 1);
    if (!buf)
        return LP_ENOMEM;
    memcpy(buf, s, int_len);
    buf[int_len] = '\0';
    mpz_set_str(mpq_numref(out), buf, 10);
    mpz_set_ui(mpq_denref(out), 1);
    if (sep == '/') {
        mpz_set_str(mpq_denref(out), s + int_len + 1, 10);
        if (mpz_sgn(mpq_denref(out)) == 0)
            rc = lp__error_set(LP_EPARSE, "amount '%.40s': zero denominator", s);
    } else if (sep == '.') {
        /* integer digits followed by the fraction digits, over 10^frac_len */
        memcpy(buf + int_len, s + int_len + 1, frac_len);
        buf[int_len + frac_len] = '\0';
        mpz_set_str(mpq_numref(out), buf, 10);
        mpz_ui_pow_ui(mpq_denref(out), 10, frac_len);
    }
    lp__free(buf);
    if (rc == LP_OK)
        mpq_canonicalize(out);
    else
        mpq_set_ui(out, 0, 1);
    return rc;
}

LP_API int lp_periods_eu_convert(char **out, const char *amount, const char *from_unit,
                                 const char *to_unit, int days_per_week)
{
    lp__unit from, to;
    mpq_t q;
    int rc;

    if (!out)
        return lp__error_set(LP_EINVAL, "lp_periods_eu_convert: NULL out");
    *out = NULL;
    if (!amount || !from_unit || !to_unit)
        return lp__error_set(LP_EINVAL, "lp_periods_eu_convert: NULL argument");
    if ((rc = lp__unit_parse(&from, from_unit, strlen(from_unit))) != LP_OK ||
        (rc = lp__unit_parse(&to, to_unit, strlen(to_unit))) != LP_OK)
        return rc;
    mpq_init(q);
    rc = parse_amount(q, amount);
    if (rc == LP_OK)
        rc = lp__eu_convert(q, q, from, to, days_per_week);
    if (rc == LP_OK)
        rc = rational_string(out, q);
    mpq_clear(q);
    return rc;
}
