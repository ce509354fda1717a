/* Internal: day numbers, interval merging, counting rules, Art 13 conversion,
 * and property tests over generated intervals (deterministic integer PRNG). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <stdlib.h>

#include "config.h"
#include <gmp.h>
#include "date.h"
#include "error.h"
#include "period.h"

/* ---- helpers -------------------------------------------------------------- */

static uint64_t rng_state;

static void rng_seed(uint64_t seed)
{
    rng_state = seed;
}

/* splitmix64 */
static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* uniform-enough integer in [lo, hi] */
static int64_t rng_range(int64_t lo, int64_t hi)
{
    return lo + (int64_t)(rng_next() % (uint64_t)(hi - lo + 1));
}

static lp__day day(int y, int m, int d)
{
    assert_true(lp__ymd_valid(y, m, d));
    return lp__day_from_ymd(y, m, d);
}

static lp__interval iv(lp__day from, lp__day to)
{
    lp__interval r;
    r.from = from;
    r.to = to;
    r.kinds = LP__KIND_CONTRIBUTION;
    return r;
}

/* Count a copy of v (merged first) by rule; the count must be an integer. */
static long count_rule(const lp__interval *v, size_t n, lp__counting rule)
{
    lp__interval *copy = malloc((n ? n : 1) * sizeof *copy);
    mpq_t q;
    long r;
    size_t m;
    assert_non_null(copy);
    if (n)
        memcpy(copy, v, n * sizeof *copy);
    m = lp__intervals_merge(copy, n);
    mpq_init(q);
    assert_int_equal(lp__count_intervals(q, copy, m, rule), LP_OK);
    assert_int_equal(mpz_cmp_ui(mpq_denref(q), 1), 0);
    assert_true(mpz_fits_slong_p(mpq_numref(q)));
    r = mpz_get_si(mpq_numref(q));
    mpq_clear(q);
    free(copy);
    return r;
}

static long count1(lp__day from, lp__day to, lp__counting rule)
{
    lp__interval v = iv(from, to);
    return count_rule(&v, 1, rule);
}

/* Art 13 conversion of num/den; returns the result as a string (static buffer). */
static const char *convert(const char *amount, lp__unit from, lp__unit to, int dpw)
{
    static char buf[64];
    mpq_t a, out;
    mpq_init(a);
    mpq_init(out);
    assert_int_equal(mpq_set_str(a, amount, 10), 0);
    mpq_canonicalize(a);
    assert_int_equal(lp__eu_convert(out, a, from, to, dpw), LP_OK);
    assert_true(mpz_sizeinbase(mpq_numref(out), 10) + mpz_sizeinbase(mpq_denref(out), 10) + 3 < sizeof buf);
    mpq_get_str(buf, 10, out);
    mpq_clear(a);
    mpq_clear(out);
    return buf;
}

/* ---- dates ---------------------------------------------------------------- */

static void test_unit_period__day_numbers_have_known_anchors(void **state)
{
    (void)state;
    assert_int_equal(lp__day_from_ymd(1970, 1, 1), 0);
    assert_int_equal(lp__day_from_ymd(1969, 12, 31), -1);
    assert_int_equal(lp__day_from_ymd(2000, 3, 1), 11017);
    assert_int_equal(lp__day_from_ymd(1, 1, 1), -719162);
    assert_int_equal(lp__day_from_ymd(9999, 12, 31), 2932896);
    assert_int_equal(lp__day_min(), -719162);
    assert_int_equal(lp__day_max(), 2932896);
    /* 55 years of 365 days and 14 leap days (1972..2024) */
    assert_int_equal(lp__day_from_ymd(2025, 1, 1), 20089);
}

static void test_unit_period__ymd_round_trips_every_day_1900_2100(void **state)
{
    (void)state;
    lp__day first = day(1900, 1, 1), last = day(2100, 12, 31);
    int py = 1899, pm = 12, pd = 31;
    long n = 0;
    for (lp__day d = first; d <= last; d++) {
        int y, m, dd;
        char text[11];
        lp__day back;
        lp__day_to_ymd(d, &y, &m, &dd);
        assert_true(lp__ymd_valid(y, m, dd));
        assert_int_equal(lp__day_from_ymd(y, m, dd), d);
        /* the month index has its own arithmetic (no day): the same month */
        assert_int_equal(lp__month_index(d), y * 12 + m - 1);
        /* the next calendar day of the previous one */
        if (dd == 1) {
            assert_int_equal(pd, lp__days_in_month(py, pm));
            assert_int_equal(y * 12 + m, py * 12 + pm + 1);
        } else {
            assert_int_equal(dd, pd + 1);
            assert_int_equal(m, pm);
            assert_int_equal(y, py);
        }
        lp__day_format(text, d);
        assert_int_equal(lp__day_parse(&back, text, 10), LP_OK);
        assert_int_equal(back, d);
        py = y;
        pm = m;
        pd = dd;
        n++;
    }
    assert_int_equal(n, 73414);   /* 201 years, 49 leap days (1900 and 2100 are not leap) */
}

static void test_unit_period__extreme_days_round_trip(void **state)
{
    (void)state;
    int y, m, d;
    lp__day_to_ymd(lp__day_min(), &y, &m, &d);
    assert_int_equal(y * 10000 + m * 100 + d, 10101);
    lp__day_to_ymd(lp__day_max(), &y, &m, &d);
    assert_int_equal(y * 10000 + m * 100 + d, 99991231);
    rng_seed(7);
    for (int i = 0; i < 20000; i++) {
        lp__day x = (lp__day)rng_range(lp__day_min(), lp__day_max());
        lp__day_to_ymd(x, &y, &m, &d);
        assert_true(lp__ymd_valid(y, m, d));
        assert_int_equal(lp__day_from_ymd(y, m, d), x);
        assert_int_equal(lp__month_index(x), y * 12 + m - 1);
    }
    assert_int_equal(lp__month_index(lp__day_min()), 12);
    assert_int_equal(lp__month_index(lp__day_max()), 9999 * 12 + 11);
}

static void test_unit_period__validity_and_month_lengths(void **state)
{
    (void)state;
    assert_int_equal(lp__days_in_month(2024, 2), 29);
    assert_int_equal(lp__days_in_month(2023, 2), 28);
    assert_int_equal(lp__days_in_month(1900, 2), 28);
    assert_int_equal(lp__days_in_month(2000, 2), 29);
    assert_int_equal(lp__days_in_month(2025, 4), 30);
    assert_int_equal(lp__days_in_month(2025, 12), 31);
    assert_true(lp__ymd_valid(2024, 2, 29));
    assert_false(lp__ymd_valid(2023, 2, 29));
    assert_false(lp__ymd_valid(0, 1, 1));
    assert_false(lp__ymd_valid(10000, 1, 1));
    assert_false(lp__ymd_valid(2025, 13, 1));
    assert_false(lp__ymd_valid(2025, 6, 31));
}

static void test_unit_period__parse_messages_and_bounds(void **state)
{
    (void)state;
    lp__day d = 12345;
    assert_int_equal(lp__day_parse(&d, "2025-02-30", 10), LP_EPARSE);
    assert_string_equal(lp_error_last()->message, "2025-02-30: February 2025 has 28 days");
    assert_int_equal(d, 12345);
    assert_int_equal(lp__day_parse(&d, "0000-12-31", 10), LP_ERANGE);
    assert_int_equal(lp__day_parse(&d, "2025-2-3", 8), LP_EPARSE);
    assert_int_equal(lp__day_parse(&d, "2025-02-03x", 11), LP_EPARSE);
    assert_int_equal(d, 12345);
    /* the length bounds the text: no NUL needed after the date */
    assert_int_equal(lp__day_parse(&d, "2025-02-03xyz", 10), LP_OK);
    assert_int_equal(d, day(2025, 2, 3));
    assert_int_equal(lp__day_parse(&d, "2025-02-0", 9), LP_EPARSE);
    assert_int_equal(lp__day_parse(NULL, "2025-02-03", 10), LP_EINVAL);
    assert_int_equal(lp__day_parse(&d, NULL, 10), LP_EINVAL);
}

static void test_unit_period__format(void **state)
{
    (void)state;
    char s[11];
    lp__day_format(s, day(1, 1, 1));
    assert_string_equal(s, "0001-01-01");
    lp__day_format(s, day(9999, 12, 31));
    assert_string_equal(s, "9999-12-31");
    lp__day_format(s, 0);
    assert_string_equal(s, "1970-01-01");
}

static void test_unit_period__add_months_and_years(void **state)
{
    (void)state;
    assert_int_equal(lp__day_add_months(day(2025, 1, 31), 1), day(2025, 2, 28));
    assert_int_equal(lp__day_add_months(day(2024, 1, 31), 1), day(2024, 2, 29));
    assert_int_equal(lp__day_add_months(day(2024, 3, 31), -1), day(2024, 2, 29));
    assert_int_equal(lp__day_add_months(day(2024, 12, 15), 1), day(2025, 1, 15));
    assert_int_equal(lp__day_add_months(day(2025, 1, 15), -1), day(2024, 12, 15));
    assert_int_equal(lp__day_add_months(day(1, 1, 1), 12 * 9998 + 11), day(9999, 12, 1));
    assert_int_equal(lp__day_add_years(day(2024, 2, 29), 1), day(2025, 2, 28));
    assert_int_equal(lp__day_add_years(day(2024, 2, 29), -4), day(2020, 2, 29));
    assert_int_equal(lp__day_add_years(day(2000, 2, 29), -100), day(1900, 2, 28));
}

static void test_unit_period__add_months_stays_valid_property(void **state)
{
    (void)state;
    rng_seed(11);
    for (int i = 0; i < 50000; i++) {
        lp__day d = (lp__day)rng_range(day(1800, 1, 1), day(2200, 12, 31));
        int months = (int)rng_range(-1200, 1200);
        int y, m, dd, ry, rm, rd;
        lp__day r = lp__day_add_months(d, months);
        lp__day_to_ymd(d, &y, &m, &dd);
        lp__day_to_ymd(r, &ry, &rm, &rd);
        assert_true(lp__ymd_valid(ry, rm, rd));
        assert_int_equal(lp__month_index(r) - lp__month_index(d), months);
        /* the day is kept, or clamped to the last day of the target month */
        if (dd <= lp__days_in_month(ry, rm))
            assert_int_equal(rd, dd);
        else
            assert_int_equal(rd, lp__days_in_month(ry, rm));
        assert_int_equal(lp__day_add_years(d, months / 12), lp__day_add_months(d, (months / 12) * 12));
    }
}

static void test_unit_period__age_on(void **state)
{
    (void)state;
    assert_int_equal(lp__age_on(day(1960, 5, 10), day(2025, 5, 9)), 64);
    assert_int_equal(lp__age_on(day(1960, 5, 10), day(2025, 5, 10)), 65);
    assert_int_equal(lp__age_on(day(1960, 2, 29), day(2025, 2, 28)), 64);
    assert_int_equal(lp__age_on(day(1960, 2, 29), day(2025, 3, 1)), 65);
    assert_int_equal(lp__age_on(day(1960, 2, 29), day(2024, 2, 29)), 64);
    assert_int_equal(lp__age_on(day(2000, 1, 1), day(2000, 1, 1)), 0);
    assert_true(lp__age_on(day(2000, 1, 2), day(2000, 1, 1)) < 0);
}

static void test_unit_period__fiscal_years_and_month_index(void **state)
{
    (void)state;
    assert_int_equal(lp__fiscal_year(day(2026, 3, 31), 4), 2025);
    assert_int_equal(lp__fiscal_year(day(2025, 4, 1), 4), 2025);
    assert_int_equal(lp__fiscal_year(day(2025, 3, 31), 4), 2024);
    assert_int_equal(lp__fiscal_year(day(2025, 1, 1), 1), 2025);
    assert_int_equal(lp__fiscal_year_start(day(2026, 3, 31), 4), day(2025, 4, 1));
    assert_int_equal(lp__fiscal_year_start(day(2025, 4, 1), 4), day(2025, 4, 1));
    assert_int_equal(lp__fiscal_year_start(day(2025, 12, 31), 1), day(2025, 1, 1));
    assert_int_equal(lp__month_index(day(2025, 1, 31)), 2025 * 12);
    assert_int_equal(lp__month_index(day(2025, 12, 1)), 2025 * 12 + 11);
    assert_int_equal(lp__month_index_first_day(2025 * 12 + 1), day(2025, 2, 1));
    assert_int_equal(lp__month_index_first_day(lp__month_index(day(2024, 2, 29))), day(2024, 2, 1));
}

/* ---- names ---------------------------------------------------------------- */

static void test_unit_period__kind_unit_and_counting_names(void **state)
{
    (void)state;
    static const char *const kinds[] = {
        "contribution", "employment", "self-employment", "voluntary", "residence", "credited", "exempt"
    };
    static const char *const countings[] = {
        "days", "weeks", "months-touched", "whole-months", "quarters-touched", "whole-years",
        "eu-days-5", "eu-days-6", "eu-days-7", "months-to-loss", "whole-months-part-up"
    };
    unsigned all = 0;
    lp__unit u = LP__UNIT_YEAR;
    lp__counting c = LP__COUNT_DAYS;
    for (size_t i = 0; i < 7; i++) {
        unsigned bit = lp__kind_parse(kinds[i], strlen(kinds[i]));
        assert_int_equal(bit, 1u << i);
        assert_string_equal(lp__kind_name(bit), kinds[i]);
        all |= bit;
    }
    assert_int_equal(all, LP__KIND_ALL);
    assert_int_equal(lp__kind_parse("self-employment", 15), LP__KIND_SELF_EMPLOYMENT);
    assert_int_equal(lp__kind_parse("employmentX", 10), LP__KIND_EMPLOYMENT);   /* length-bounded */
    assert_int_equal(lp__kind_parse("employ", 6), 0);
    assert_int_equal(lp__kind_parse("", 0), 0);
    assert_int_equal(lp__kind_parse(NULL, 0), 0);
    assert_null(lp__kind_name(0));
    assert_null(lp__kind_name(3));
    assert_null(lp__kind_name(1u << 7));

    assert_int_equal(lp__unit_parse(&u, "day", 3), LP_OK);
    assert_int_equal(u, LP__UNIT_DAY);
    assert_int_equal(lp__unit_parse(&u, "quarter", 7), LP_OK);
    assert_int_equal(u, LP__UNIT_QUARTER);
    assert_int_equal(lp__unit_parse(&u, "days", 4), LP_EPARSE);
    assert_int_equal(u, LP__UNIT_QUARTER);
    assert_int_equal(lp__unit_parse(&u, NULL, 0), LP_EPARSE);
    assert_string_equal(lp__unit_name(LP__UNIT_YEAR), "year");

    for (size_t i = 0; i < sizeof countings / sizeof countings[0]; i++) {
        assert_int_equal(lp__counting_parse(&c, countings[i], strlen(countings[i])), LP_OK);
        assert_int_equal(c, (lp__counting)i);
        assert_string_equal(lp__counting_name(c), countings[i]);
    }
    assert_int_equal(lp__counting_parse(&c, "eu-days-8", 9), LP_EPARSE);
    assert_non_null(strstr(lp_error_last()->message, "eu-days-8"));
    assert_int_equal(c, LP__COUNT_WHOLE_MONTHS_PART_UP);   /* untouched: the last one parsed */
}

/* ---- merging -------------------------------------------------------------- */

static void test_unit_period__merge_overlap_adjacent_contained_unsorted(void **state)
{
    (void)state;
    lp__interval v[6];
    size_t n;
    v[0] = iv(day(2020, 6, 1), day(2020, 12, 31));            /* overlaps v[1] */
    v[0].kinds = LP__KIND_EMPLOYMENT;
    v[1] = iv(day(2020, 1, 1), day(2020, 6, 30));
    v[1].kinds = LP__KIND_RESIDENCE;
    v[2] = iv(day(2021, 1, 1), day(2021, 3, 31));             /* adjacent */
    v[2].kinds = LP__KIND_CREDITED;
    v[3] = iv(day(2020, 3, 1), day(2020, 3, 31));             /* contained */
    v[3].kinds = LP__KIND_VOLUNTARY;
    v[4] = iv(day(2021, 4, 3), day(2021, 4, 3));              /* one-day gap before it */
    v[5] = iv(day(2019, 1, 1), day(2019, 1, 1));              /* unsorted, separate */
    n = lp__intervals_merge(v, 6);
    assert_int_equal(n, 3);
    assert_int_equal(v[0].from, day(2019, 1, 1));
    assert_int_equal(v[0].to, day(2019, 1, 1));
    assert_int_equal(v[1].from, day(2020, 1, 1));
    assert_int_equal(v[1].to, day(2021, 3, 31));
    assert_int_equal(v[1].kinds, LP__KIND_EMPLOYMENT | LP__KIND_RESIDENCE | LP__KIND_CREDITED | LP__KIND_VOLUNTARY);
    assert_int_equal(v[2].from, day(2021, 4, 3));
    assert_int_equal(v[2].kinds, LP__KIND_CONTRIBUTION);
    assert_int_equal(lp__intervals_merge(NULL, 0), 0);
    assert_int_equal(lp__intervals_merge(v, 1), 1);
}

static void test_unit_period__merge_property_union_and_idempotent(void **state)
{
    (void)state;
    enum { WINDOW = 400, MAXN = 24 };
    lp__day base = day(2000, 1, 1);
    rng_seed(12345);
    for (int iter = 0; iter < 4000; iter++) {
        lp__interval v[MAXN], again[MAXN];
        unsigned char in[WINDOW], out[WINDOW];
        size_t n = (size_t)rng_range(0, MAXN), m, m2;
        memset(in, 0, sizeof in);
        memset(out, 0, sizeof out);
        for (size_t i = 0; i < n; i++) {
            int64_t a = rng_range(0, WINDOW - 1), len = rng_range(1, 40);
            int64_t b = a + len - 1 < WINDOW - 1 ? a + len - 1 : WINDOW - 1;
            v[i] = iv((lp__day)(base + a), (lp__day)(base + b));
            v[i].kinds = 1u << rng_range(0, 6);
            for (int64_t k = a; k <= b; k++)
                in[k] = 1;
        }
        m = lp__intervals_merge(v, n);
        assert_true(m <= n);
        for (size_t i = 0; i < m; i++) {
            assert_true(v[i].from <= v[i].to);
            if (i > 0)
                assert_true(v[i].from > v[i - 1].to + 1);   /* sorted, gap of at least a day */
            for (lp__day k = v[i].from; k <= v[i].to; k++)
                out[k - base] = 1;
        }
        assert_memory_equal(in, out, WINDOW);
        memcpy(again, v, m * sizeof *v);
        m2 = lp__intervals_merge(again, m);
        assert_int_equal(m2, m);
        if (m)
            assert_memory_equal(again, v, m * sizeof *v);
        /* the days count equals the union's size */
        {
            long covered = 0;
            for (int k = 0; k < WINDOW; k++)
                covered += in[k];
            assert_int_equal(count_rule(v, m, LP__COUNT_DAYS), covered);
        }
    }
}

/* ---- counting: hand-worked cases ------------------------------------------ */

static void test_unit_period__count_days_and_weeks(void **state)
{
    (void)state;
    lp__interval v[2];
    assert_int_equal(count1(day(1995, 4, 1), day(2000, 3, 31), LP__COUNT_DAYS), 1827);
    assert_int_equal(count1(day(2024, 1, 1), day(2024, 12, 31), LP__COUNT_DAYS), 366);
    assert_int_equal(count1(day(2024, 1, 1), day(2024, 1, 1), LP__COUNT_DAYS), 1);
    assert_int_equal(count1(day(2024, 1, 1), day(2024, 1, 6), LP__COUNT_WEEKS), 0);
    assert_int_equal(count1(day(2024, 1, 1), day(2024, 1, 7), LP__COUNT_WEEKS), 1);
    assert_int_equal(count1(day(2024, 1, 1), day(2024, 12, 31), LP__COUNT_WEEKS), 52);
    /* weeks are whole per merged interval: 6 + 6 days are no week */
    v[0] = iv(day(2024, 1, 1), day(2024, 1, 6));
    v[1] = iv(day(2024, 1, 8), day(2024, 1, 13));
    assert_int_equal(count_rule(v, 2, LP__COUNT_WEEKS), 0);
    assert_int_equal(count_rule(v, 2, LP__COUNT_DAYS), 12);
    /* ... unless they touch and merge */
    v[1] = iv(day(2024, 1, 7), day(2024, 1, 12));
    assert_int_equal(count_rule(v, 2, LP__COUNT_WEEKS), 1);
    assert_int_equal(count_rule(NULL, 0, LP__COUNT_WEEKS), 0);
}

static void test_unit_period__count_months_touched(void **state)
{
    (void)state;
    lp__interval v[3];
    assert_int_equal(count1(day(1995, 4, 1), day(2000, 3, 31), LP__COUNT_MONTHS_TOUCHED), 60);
    assert_int_equal(count1(day(2024, 1, 15), day(2024, 2, 14), LP__COUNT_MONTHS_TOUCHED), 2);
    assert_int_equal(count1(day(2024, 1, 31), day(2024, 2, 1), LP__COUNT_MONTHS_TOUCHED), 2);
    assert_int_equal(count1(day(2024, 1, 10), day(2024, 1, 10), LP__COUNT_MONTHS_TOUCHED), 1);
    /* two periods in the same month count that month once */
    v[0] = iv(day(2024, 1, 1), day(2024, 1, 5));
    v[1] = iv(day(2024, 1, 20), day(2024, 3, 2));
    v[2] = iv(day(2024, 3, 20), day(2024, 3, 25));
    assert_int_equal(count_rule(v, 3, LP__COUNT_MONTHS_TOUCHED), 3);
}

static void test_unit_period__count_whole_months(void **state)
{
    (void)state;
    lp__interval v[2];
    assert_int_equal(count1(day(1995, 4, 1), day(2000, 3, 31), LP__COUNT_WHOLE_MONTHS), 60);
    assert_int_equal(count1(day(1995, 4, 1), day(2000, 3, 30), LP__COUNT_WHOLE_MONTHS), 59);
    assert_int_equal(count1(day(2024, 1, 15), day(2024, 2, 14), LP__COUNT_WHOLE_MONTHS), 1);
    assert_int_equal(count1(day(2024, 1, 15), day(2024, 2, 13), LP__COUNT_WHOLE_MONTHS), 0);
    assert_int_equal(count1(day(2024, 1, 1), day(2024, 1, 31), LP__COUNT_WHOLE_MONTHS), 1);
    assert_int_equal(count1(day(2023, 2, 1), day(2023, 2, 28), LP__COUNT_WHOLE_MONTHS), 1);
    /* no day d in the next month: that month's last day ends the month */
    assert_int_equal(count1(day(2023, 1, 31), day(2023, 2, 28), LP__COUNT_WHOLE_MONTHS), 1);
    assert_int_equal(count1(day(2023, 1, 31), day(2023, 2, 27), LP__COUNT_WHOLE_MONTHS), 0);
    assert_int_equal(count1(day(2024, 1, 31), day(2024, 2, 29), LP__COUNT_WHOLE_MONTHS), 1);
    assert_int_equal(count1(day(2024, 1, 30), day(2024, 2, 28), LP__COUNT_WHOLE_MONTHS), 0);
    assert_int_equal(count1(day(2024, 1, 30), day(2024, 2, 29), LP__COUNT_WHOLE_MONTHS), 1);
    assert_int_equal(count1(day(2023, 1, 31), day(2023, 3, 30), LP__COUNT_WHOLE_MONTHS), 2);
    assert_int_equal(count1(day(2023, 1, 31), day(2023, 3, 29), LP__COUNT_WHOLE_MONTHS), 1);
    assert_int_equal(count1(day(9999, 12, 1), day(9999, 12, 31), LP__COUNT_WHOLE_MONTHS), 1);
    /* summed over merged intervals: 2 + 1 */
    v[0] = iv(day(2020, 1, 10), day(2020, 3, 20));
    v[1] = iv(day(2020, 5, 1), day(2020, 6, 15));
    assert_int_equal(count_rule(v, 2, LP__COUNT_WHOLE_MONTHS), 3);
}

static void test_unit_period__count_whole_months_part_up(void **state)
{
    (void)state;
    lp__interval v[2];
    /* exactly 15 years; 6 days more are one month more; a part month alone is one */
    assert_int_equal(count1(day(2010, 1, 15), day(2025, 1, 14), LP__COUNT_WHOLE_MONTHS_PART_UP), 180);
    assert_int_equal(count1(day(2010, 1, 15), day(2025, 1, 20), LP__COUNT_WHOLE_MONTHS_PART_UP), 181);
    assert_int_equal(count1(day(2010, 1, 15), day(2025, 1, 15), LP__COUNT_WHOLE_MONTHS_PART_UP), 181);
    assert_int_equal(count1(day(2024, 3, 5), day(2024, 3, 20), LP__COUNT_WHOLE_MONTHS_PART_UP), 1);
    assert_int_equal(count1(day(2024, 3, 5), day(2024, 3, 5), LP__COUNT_WHOLE_MONTHS_PART_UP), 1);
    /* the last day of a shorter month ends the month: nothing left */
    assert_int_equal(count1(day(2023, 1, 31), day(2023, 2, 28), LP__COUNT_WHOLE_MONTHS_PART_UP), 1);
    assert_int_equal(count1(day(2023, 1, 31), day(2023, 3, 29), LP__COUNT_WHOLE_MONTHS_PART_UP), 2);
    assert_int_equal(count1(day(2023, 1, 31), day(2023, 3, 30), LP__COUNT_WHOLE_MONTHS_PART_UP), 2);
    assert_int_equal(count1(day(2023, 1, 31), day(2023, 3, 31), LP__COUNT_WHOLE_MONTHS_PART_UP), 3);
    assert_int_equal(count1(day(9999, 12, 1), day(9999, 12, 31), LP__COUNT_WHOLE_MONTHS_PART_UP), 1);
    assert_int_equal(count1(day(9999, 12, 2), day(9999, 12, 31), LP__COUNT_WHOLE_MONTHS_PART_UP), 1);
    /* per merged interval: (2 + part) + (1 + part) */
    v[0] = iv(day(2020, 1, 10), day(2020, 3, 20));
    v[1] = iv(day(2020, 5, 1), day(2020, 6, 15));
    assert_int_equal(count_rule(v, 2, LP__COUNT_WHOLE_MONTHS_PART_UP), 5);
}

static void test_unit_period__count_quarters_touched(void **state)
{
    (void)state;
    lp__interval v[2];
    assert_int_equal(count1(day(2023, 3, 31), day(2023, 4, 1), LP__COUNT_QUARTERS_TOUCHED), 2);
    assert_int_equal(count1(day(2023, 1, 1), day(2023, 12, 31), LP__COUNT_QUARTERS_TOUCHED), 4);
    assert_int_equal(count1(day(2022, 12, 31), day(2024, 1, 1), LP__COUNT_QUARTERS_TOUCHED), 6);
    assert_int_equal(count1(day(1995, 4, 1), day(2000, 3, 31), LP__COUNT_QUARTERS_TOUCHED), 20);
    /* a year with 12 months touched still gives 4 */
    v[0] = iv(day(2023, 1, 31), day(2023, 2, 1));
    v[1] = iv(day(2023, 3, 15), day(2023, 12, 1));
    assert_int_equal(count_rule(v, 2, LP__COUNT_MONTHS_TOUCHED), 12);
    assert_int_equal(count_rule(v, 2, LP__COUNT_QUARTERS_TOUCHED), 4);
    /* two periods in one quarter */
    v[0] = iv(day(2023, 1, 1), day(2023, 1, 5));
    v[1] = iv(day(2023, 3, 1), day(2023, 3, 5));
    assert_int_equal(count_rule(v, 2, LP__COUNT_QUARTERS_TOUCHED), 1);
}

static void test_unit_period__count_whole_years(void **state)
{
    (void)state;
    lp__interval v[2];
    assert_int_equal(count1(day(1995, 4, 1), day(2000, 3, 31), LP__COUNT_WHOLE_YEARS), 5);
    assert_int_equal(count1(day(1995, 4, 1), day(2000, 3, 30), LP__COUNT_WHOLE_YEARS), 4);
    assert_int_equal(count1(day(2024, 2, 29), day(2025, 2, 28), LP__COUNT_WHOLE_YEARS), 1);
    /* whole months are summed before dividing: 6 + 6 months = 1 year */
    v[0] = iv(day(2020, 1, 1), day(2020, 6, 30));
    v[1] = iv(day(2021, 1, 1), day(2021, 6, 30));
    assert_int_equal(count_rule(v, 2, LP__COUNT_WHOLE_YEARS), 1);
}

static void test_unit_period__count_eu_days(void **state)
{
    (void)state;
    lp__interval v[5];
    /* a full calendar year is the yearly maximum of each scheme */
    assert_int_equal(count1(day(2023, 1, 1), day(2023, 12, 31), LP__COUNT_EU_DAYS_5), 264);
    assert_int_equal(count1(day(2023, 1, 1), day(2023, 12, 31), LP__COUNT_EU_DAYS_6), 312);
    assert_int_equal(count1(day(2024, 1, 1), day(2024, 12, 31), LP__COUNT_EU_DAYS_7), 360);
    /* a full February counts a full month */
    assert_int_equal(count1(day(2023, 2, 1), day(2023, 2, 28), LP__COUNT_EU_DAYS_5), 22);
    assert_int_equal(count1(day(2023, 2, 1), day(2023, 2, 28), LP__COUNT_EU_DAYS_7), 30);
    /* 22 + 22 + (1 week + 3 days) */
    assert_int_equal(count1(day(2024, 1, 1), day(2024, 3, 10), LP__COUNT_EU_DAYS_5), 52);
    assert_int_equal(count1(day(2024, 1, 1), day(2024, 3, 10), LP__COUNT_EU_DAYS_6), 26 + 26 + 6 + 3);
    /* less than a week: days, at most a week's worth */
    assert_int_equal(count1(day(2024, 1, 1), day(2024, 1, 1), LP__COUNT_EU_DAYS_5), 1);
    assert_int_equal(count1(day(2024, 1, 1), day(2024, 1, 6), LP__COUNT_EU_DAYS_5), 5);
    assert_int_equal(count1(day(2024, 1, 1), day(2024, 1, 6), LP__COUNT_EU_DAYS_6), 6);
    assert_int_equal(count1(day(2024, 1, 1), day(2024, 1, 7), LP__COUNT_EU_DAYS_5), 5);
    /* a partial month never exceeds a full one: 30 of 31 days */
    assert_int_equal(count1(day(2023, 1, 2), day(2023, 1, 31), LP__COUNT_EU_DAYS_5), 22);
    assert_int_equal(count1(day(2023, 1, 2), day(2023, 1, 31), LP__COUNT_EU_DAYS_7), 30);
    /* the days covered in a month are pooled: 6 runs of 6 days... */
    v[0] = iv(day(2023, 1, 1), day(2023, 1, 6));
    v[1] = iv(day(2023, 1, 8), day(2023, 1, 13));
    v[2] = iv(day(2023, 1, 15), day(2023, 1, 20));
    v[3] = iv(day(2023, 1, 22), day(2023, 1, 27));
    v[4] = iv(day(2023, 1, 29), day(2023, 1, 31));
    /* 27 days = 3 weeks + 6 days -> 15 + 5 */
    assert_int_equal(count_rule(v, 5, LP__COUNT_EU_DAYS_5), 20);
    assert_int_equal(count_rule(v, 5, LP__COUNT_EU_DAYS_7), 27);
    /* a partial month and a month split over two merged periods */
    v[0] = iv(day(2023, 1, 1), day(2023, 1, 10));
    v[1] = iv(day(2023, 1, 20), day(2023, 2, 10));
    /* Jan: 10 + 12 = 22 days = 3 weeks + 1; Feb: 10 days = 1 week + 3 */
    assert_int_equal(count_rule(v, 2, LP__COUNT_EU_DAYS_5), (15 + 1) + (5 + 3));
    assert_int_equal(count_rule(v, 2, LP__COUNT_EU_DAYS_7), 22 + 10);
    assert_int_equal(count_rule(NULL, 0, LP__COUNT_EU_DAYS_7), 0);
}

static void test_unit_period__count_rejects_unmerged_input(void **state)
{
    (void)state;
    lp__interval v[2];
    mpq_t q;
    mpq_init(q);
    mpq_set_ui(q, 7, 1);
    v[0] = iv(day(2023, 1, 1), day(2023, 1, 10));
    v[1] = iv(day(2023, 1, 11), day(2023, 1, 20));   /* adjacent: not merged */
    assert_int_equal(lp__count_intervals(q, v, 2, LP__COUNT_DAYS), LP_EINVAL);
    v[1] = iv(day(2022, 1, 11), day(2022, 1, 20));   /* unsorted */
    assert_int_equal(lp__count_intervals(q, v, 2, LP__COUNT_DAYS), LP_EINVAL);
    v[1] = iv(day(2023, 2, 11), day(2023, 2, 1));    /* reversed */
    assert_int_equal(lp__count_intervals(q, v, 2, LP__COUNT_DAYS), LP_EINVAL);
    v[1] = iv(day(2023, 2, 1), day(2023, 2, 11));
    assert_int_equal(lp__count_intervals(q, v, 2, (lp__counting)99), LP_EINVAL);
    assert_int_equal(lp__count_intervals(q, NULL, 2, LP__COUNT_DAYS), LP_EINVAL);
    assert_int_equal(mpq_cmp_ui(q, 7, 1), 0);
    assert_int_equal(lp__count_intervals(q, v, 2, LP__COUNT_DAYS), LP_OK);
    assert_int_equal(mpq_cmp_ui(q, 21, 1), 0);
    mpq_clear(q);
}

/* ---- counting: properties ------------------------------------------------- */

/* A random interval of 1..max_len days starting in 1950..2050. */
static void random_span(lp__day *a, lp__day *b, int64_t max_len)
{
    *a = (lp__day)rng_range(day(1950, 1, 1), day(2050, 12, 31));
    *b = (lp__day)(*a + rng_range(0, max_len - 1));
}

static void test_unit_period__days_additive_property(void **state)
{
    (void)state;
    rng_seed(1);
    for (int i = 0; i < 5000; i++) {
        lp__day a, b, c;
        random_span(&a, &b, 5000);
        if (a == b)
            continue;
        c = (lp__day)rng_range((int64_t)a + 1, b);
        assert_int_equal(count1(a, c - 1, LP__COUNT_DAYS) + count1(c, b, LP__COUNT_DAYS),
                         count1(a, b, LP__COUNT_DAYS));
    }
}

static void test_unit_period__months_and_quarters_additive_at_boundaries(void **state)
{
    (void)state;
    static const lp__counting rules[] = {
        LP__COUNT_MONTHS_TOUCHED, LP__COUNT_EU_DAYS_5, LP__COUNT_EU_DAYS_6, LP__COUNT_EU_DAYS_7, LP__COUNT_DAYS
    };
    int checked = 0;
    rng_seed(2);
    for (int i = 0; i < 4000; i++) {
        lp__day a, b, c;
        int ma, mb;
        random_span(&a, &b, 3000);
        ma = lp__month_index(a);
        mb = lp__month_index(b);
        if (ma == mb)
            continue;
        /* split on the first day of a month inside (a, b] */
        c = lp__month_index_first_day((int)rng_range(ma + 1, mb));
        for (size_t r = 0; r < sizeof rules / sizeof rules[0]; r++)
            assert_int_equal(count1(a, c - 1, rules[r]) + count1(c, b, rules[r]), count1(a, b, rules[r]));
        /* quarters: split on the first day of a quarter */
        if (lp__month_index(c) % 3 == 0)
            assert_int_equal(count1(a, c - 1, LP__COUNT_QUARTERS_TOUCHED) + count1(c, b, LP__COUNT_QUARTERS_TOUCHED),
                             count1(a, b, LP__COUNT_QUARTERS_TOUCHED));
        checked++;
    }
    assert_true(checked > 3000);
}

static void test_unit_period__whole_months_additive_at_anniversaries(void **state)
{
    (void)state;
    int checked = 0;
    rng_seed(3);
    for (int i = 0; i < 5000; i++) {
        lp__day a, b, c;
        int y, m, d, k, total;
        random_span(&a, &b, 4000);
        total = (int)count1(a, b, LP__COUNT_WHOLE_MONTHS);
        if (total == 0)
            continue;
        lp__day_to_ymd(a, &y, &m, &d);
        /* an anniversary that exists: day d of the k-th following month */
        k = (int)rng_range(1, total);
        c = lp__day_add_months(a, k);
        {
            int cy, cm, cd;
            lp__day_to_ymd(c, &cy, &cm, &cd);
            if (cd != d)
                continue;
        }
        assert_int_equal(count1(a, c - 1, LP__COUNT_WHOLE_MONTHS), k);
        /* c may be b + 1: the span was exactly k months and nothing is left */
        assert_int_equal(k + (c <= b ? count1(c, b, LP__COUNT_WHOLE_MONTHS) : 0), total);
        checked++;
    }
    assert_true(checked > 4000);
}

static void test_unit_period__whole_months_matches_month_stepping(void **state)
{
    (void)state;
    /* independent definition: the largest k whose k-th month end (the day
     * before day d of month m+k, or the last day of month m+k-1... i.e. the
     * anniversary, or the 1st of the next month when day d does not exist)
     * is not after b */
    rng_seed(4);
    for (int i = 0; i < 3000; i++) {
        lp__day a, b;
        int y, m, d, k = 0;
        random_span(&a, &b, 800);
        lp__day_to_ymd(a, &y, &m, &d);
        for (;;) {
            int mi = y * 12 + (m - 1) + k + 1, ay = mi / 12, am = mi % 12 + 1;
            lp__day anniversary = lp__ymd_valid(ay, am, d) ? lp__day_from_ymd(ay, am, d)
                                                           : lp__month_index_first_day(mi + 1);
            if (anniversary - 1 > b)
                break;
            k++;
        }
        assert_int_equal(count1(a, b, LP__COUNT_WHOLE_MONTHS), k);
    }
}

static void test_unit_period__counts_match_brute_force(void **state)
{
    (void)state;
    enum { MAXN = 12, WINDOW = 1500 };
    lp__day base = day(2019, 11, 1);
    static const int per_week[3] = { 5, 6, 7 };
    rng_seed(5);
    for (int iter = 0; iter < 1500; iter++) {
        lp__interval v[MAXN];
        unsigned char in[WINDOW];
        long days = 0, months = 0, quarters = 0, eu[3] = { 0, 0, 0 };
        int last_month = -1, last_quarter = -1;
        size_t n = (size_t)rng_range(1, MAXN);
        memset(in, 0, sizeof in);
        for (size_t i = 0; i < n; i++) {
            int64_t a = rng_range(0, WINDOW - 1), len = rng_range(1, rng_range(0, 1) ? 10 : 200);
            int64_t b = a + len - 1 < WINDOW - 1 ? a + len - 1 : WINDOW - 1;
            v[i] = iv((lp__day)(base + a), (lp__day)(base + b));
            for (int64_t k = a; k <= b; k++)
                in[k] = 1;
        }
        /* brute force over the days of the window */
        for (int s = 0; s < 3; s++) {
            long year_sum = 0, covered = 0;
            int cur_mi = -1, cur_year = -1, cur_len = 0;
            int pm = s == 0 ? 22 : s == 1 ? 26 : 30;
            for (int k = 0; k <= WINDOW; k++) {
                int y = 0, m = 1, d = 1, mi;
                if (k < WINDOW)
                    lp__day_to_ymd((lp__day)(base + k), &y, &m, &d);
                mi = k < WINDOW ? y * 12 + m - 1 : -2;
                if (mi != cur_mi) {
                    if (covered) {
                        long md = covered == cur_len ? pm
                                  : (covered / 7) * per_week[s] + (covered % 7 < per_week[s] ? covered % 7 : per_week[s]);
                        year_sum += md < pm ? md : pm;
                    }
                    covered = 0;
                    if (k == WINDOW || y != cur_year) {
                        eu[s] += year_sum < 12 * pm ? year_sum : 12 * pm;
                        year_sum = 0;
                        cur_year = y;
                    }
                    cur_mi = mi;
                    cur_len = k < WINDOW ? lp__days_in_month(y, m) : 0;
                }
                if (k < WINDOW && in[k])
                    covered++;
            }
        }
        for (int k = 0; k < WINDOW; k++) {
            int y, m, d;
            if (!in[k])
                continue;
            lp__day_to_ymd((lp__day)(base + k), &y, &m, &d);
            days++;
            if (y * 12 + m - 1 != last_month) {
                months++;
                last_month = y * 12 + m - 1;
            }
            if (y * 4 + (m - 1) / 3 != last_quarter) {
                quarters++;
                last_quarter = y * 4 + (m - 1) / 3;
            }
        }
        assert_int_equal(count_rule(v, n, LP__COUNT_DAYS), days);
        assert_int_equal(count_rule(v, n, LP__COUNT_MONTHS_TOUCHED), months);
        assert_int_equal(count_rule(v, n, LP__COUNT_QUARTERS_TOUCHED), quarters);
        assert_int_equal(count_rule(v, n, LP__COUNT_EU_DAYS_5), eu[0]);
        assert_int_equal(count_rule(v, n, LP__COUNT_EU_DAYS_6), eu[1]);
        assert_int_equal(count_rule(v, n, LP__COUNT_EU_DAYS_7), eu[2]);
        /* whole-years is whole-months / 12, and more coverage never lowers EU days */
        assert_int_equal(count_rule(v, n, LP__COUNT_WHOLE_YEARS), count_rule(v, n, LP__COUNT_WHOLE_MONTHS) / 12);
        {
            lp__interval more[MAXN + 1];
            memcpy(more, v, n * sizeof *v);
            more[n] = iv((lp__day)(base + rng_range(0, WINDOW - 1)), 0);
            more[n].to = more[n].from;
            for (int s = 0; s < 3; s++)
                assert_true(count_rule(more, n + 1, (lp__counting)(LP__COUNT_EU_DAYS_5 + s)) >= eu[s]);
        }
    }
}

/* ---- Art 13 conversion ---------------------------------------------------- */

static void test_unit_period__eu_convert_table(void **state)
{
    (void)state;
    assert_string_equal(convert("1", LP__UNIT_MONTH, LP__UNIT_DAY, 5), "22");
    assert_string_equal(convert("1", LP__UNIT_MONTH, LP__UNIT_DAY, 6), "26");
    assert_string_equal(convert("1", LP__UNIT_MONTH, LP__UNIT_DAY, 7), "30");
    assert_string_equal(convert("1", LP__UNIT_WEEK, LP__UNIT_DAY, 6), "6");
    assert_string_equal(convert("1", LP__UNIT_QUARTER, LP__UNIT_DAY, 5), "66");
    assert_string_equal(convert("1", LP__UNIT_QUARTER, LP__UNIT_DAY, 6), "78");
    assert_string_equal(convert("1", LP__UNIT_QUARTER, LP__UNIT_DAY, 7), "90");
    assert_string_equal(convert("1", LP__UNIT_YEAR, LP__UNIT_DAY, 5), "264");
    assert_string_equal(convert("10", LP__UNIT_DAY, LP__UNIT_WEEK, 5), "2");
    assert_string_equal(convert("11", LP__UNIT_DAY, LP__UNIT_WEEK, 5), "3");   /* point (e) */
    assert_string_equal(convert("22", LP__UNIT_DAY, LP__UNIT_MONTH, 5), "1");
    assert_string_equal(convert("23", LP__UNIT_DAY, LP__UNIT_MONTH, 5), "2");
    assert_string_equal(convert("264", LP__UNIT_DAY, LP__UNIT_YEAR, 5), "1");
    assert_string_equal(convert("67", LP__UNIT_DAY, LP__UNIT_QUARTER, 5), "2");
    /* non-day systems */
    assert_string_equal(convert("3", LP__UNIT_MONTH, LP__UNIT_WEEK, 5), "13");
    assert_string_equal(convert("3", LP__UNIT_MONTH, LP__UNIT_QUARTER, 7), "1");
    assert_string_equal(convert("13", LP__UNIT_WEEK, LP__UNIT_QUARTER, 5), "1");
    assert_string_equal(convert("14", LP__UNIT_WEEK, LP__UNIT_QUARTER, 5), "2");
    assert_string_equal(convert("1", LP__UNIT_YEAR, LP__UNIT_WEEK, 5), "52");
    assert_string_equal(convert("1", LP__UNIT_YEAR, LP__UNIT_QUARTER, 5), "4");
    assert_string_equal(convert("1", LP__UNIT_YEAR, LP__UNIT_MONTH, 5), "12");
    assert_string_equal(convert("1", LP__UNIT_MONTH, LP__UNIT_WEEK, 5), "5");   /* 13/3 -> 5 */
    assert_string_equal(convert("6", LP__UNIT_WEEK, LP__UNIT_MONTH, 5), "2");   /* 18/13 -> 2 */
    assert_string_equal(convert("13", LP__UNIT_WEEK, LP__UNIT_MONTH, 7), "3");
    assert_string_equal(convert("26", LP__UNIT_WEEK, LP__UNIT_YEAR, 5), "1");   /* 1/2 -> 1 */
    /* fractions and identity */
    assert_string_equal(convert("3/2", LP__UNIT_MONTH, LP__UNIT_DAY, 5), "33");
    assert_string_equal(convert("1/2", LP__UNIT_YEAR, LP__UNIT_MONTH, 5), "6");
    assert_string_equal(convert("3/2", LP__UNIT_MONTH, LP__UNIT_MONTH, 5), "3/2");
    assert_string_equal(convert("0", LP__UNIT_DAY, LP__UNIT_YEAR, 5), "0");
}

static void test_unit_period__eu_convert_errors_and_aliasing(void **state)
{
    (void)state;
    mpq_t q;
    mpq_init(q);
    mpq_set_ui(q, 11, 1);
    assert_int_equal(lp__eu_convert(q, q, LP__UNIT_DAY, LP__UNIT_WEEK, 5), LP_OK);
    assert_int_equal(mpq_cmp_ui(q, 3, 1), 0);
    assert_int_equal(lp__eu_convert(q, q, LP__UNIT_DAY, LP__UNIT_WEEK, 4), LP_EINVAL);
    assert_int_equal(lp_error_last()->code, LP_EINVAL);
    assert_int_equal(lp__eu_convert(q, q, LP__UNIT_DAY, LP__UNIT_WEEK, 8), LP_EINVAL);
    assert_int_equal(lp__eu_convert(q, q, (lp__unit)9, LP__UNIT_WEEK, 5), LP_EINVAL);
    assert_int_equal(mpq_cmp_ui(q, 3, 1), 0);
    mpq_set_si(q, -1, 1);
    assert_int_equal(lp__eu_convert(q, q, LP__UNIT_DAY, LP__UNIT_WEEK, 5), LP_EINVAL);
    mpq_clear(q);
}

static void test_unit_period__eu_convert_round_trip_property(void **state)
{
    (void)state;
    /* converting whole units to a smaller unit is exact in the table, so
     * converting back gives the amount again */
    rng_seed(6);
    for (int i = 0; i < 3000; i++) {
        mpq_t a, b, c;
        int dpw = (int)rng_range(5, 7);
        lp__unit big = (lp__unit)rng_range(LP__UNIT_WEEK, LP__UNIT_YEAR);
        mpq_init(a);
        mpq_init(b);
        mpq_init(c);
        mpq_set_ui(a, (unsigned long)rng_range(0, 100000), 1);
        assert_int_equal(lp__eu_convert(b, a, big, LP__UNIT_DAY, dpw), LP_OK);
        assert_int_equal(lp__eu_convert(c, b, LP__UNIT_DAY, big, dpw), LP_OK);
        assert_true(mpq_equal(a, c));
        /* rounding up: the result never falls short of the exact value */
        mpq_set_ui(a, (unsigned long)rng_range(0, 100000), (unsigned long)rng_range(1, 50));
        mpq_canonicalize(a);
        assert_int_equal(lp__eu_convert(b, a, LP__UNIT_DAY, big, dpw), LP_OK);
        assert_int_equal(lp__eu_convert(c, b, big, LP__UNIT_DAY, dpw), LP_OK);
        assert_true(mpq_cmp(c, a) >= 0);
        mpq_clear(a);
        mpq_clear(b);
        mpq_clear(c);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unit_period__day_numbers_have_known_anchors),
        cmocka_unit_test(test_unit_period__ymd_round_trips_every_day_1900_2100),
        cmocka_unit_test(test_unit_period__extreme_days_round_trip),
        cmocka_unit_test(test_unit_period__validity_and_month_lengths),
        cmocka_unit_test(test_unit_period__parse_messages_and_bounds),
        cmocka_unit_test(test_unit_period__format),
        cmocka_unit_test(test_unit_period__add_months_and_years),
        cmocka_unit_test(test_unit_period__add_months_stays_valid_property),
        cmocka_unit_test(test_unit_period__age_on),
        cmocka_unit_test(test_unit_period__fiscal_years_and_month_index),
        cmocka_unit_test(test_unit_period__kind_unit_and_counting_names),
        cmocka_unit_test(test_unit_period__merge_overlap_adjacent_contained_unsorted),
        cmocka_unit_test(test_unit_period__merge_property_union_and_idempotent),
        cmocka_unit_test(test_unit_period__count_days_and_weeks),
        cmocka_unit_test(test_unit_period__count_months_touched),
        cmocka_unit_test(test_unit_period__count_whole_months),
        cmocka_unit_test(test_unit_period__count_whole_months_part_up),
        cmocka_unit_test(test_unit_period__count_quarters_touched),
        cmocka_unit_test(test_unit_period__count_whole_years),
        cmocka_unit_test(test_unit_period__count_eu_days),
        cmocka_unit_test(test_unit_period__count_rejects_unmerged_input),
        cmocka_unit_test(test_unit_period__days_additive_property),
        cmocka_unit_test(test_unit_period__months_and_quarters_additive_at_boundaries),
        cmocka_unit_test(test_unit_period__whole_months_additive_at_anniversaries),
        cmocka_unit_test(test_unit_period__whole_months_matches_month_stepping),
        cmocka_unit_test(test_unit_period__counts_match_brute_force),
        cmocka_unit_test(test_unit_period__eu_convert_table),
        cmocka_unit_test(test_unit_period__eu_convert_errors_and_aliasing),
        cmocka_unit_test(test_unit_period__eu_convert_round_trip_property),
    };
    return cmocka_run_group_tests_name("unit_period", tests, NULL, NULL);
}
