/* Internal: the dated look-up of a parameter (rules.c lp__param_at) finds
 * the value in force on a day, or none in a gap, before the first value or
 * after the last; checked on every day of 1990-2030 against a scan of all
 * values, for parameters of 0 to 40 values with gaps and open ends. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "config.h"
#include <portability.h>
#include "date.h"
#include "rules.h"
#include "test_prng.h"

/* What lp__param_at must give: the one value whose span holds d. */
static const lp__pvalue *scan(const lp__param *p, lp__day d)
{
    size_t i;
    for (i = 0; i < p->nvalues; i++)
        if (lp__span_contains(p->values[i].span, d))
            return &p->values[i];
    return NULL;
}

/* n values in date order, as the loader leaves them: consecutive or with a
 * gap, the first open at the start and the last open at the end sometimes. */
static void make_param(lp__param *p, lp__pvalue *v, size_t n)
{
    lp__day day = lp__day_from_ymd(1992, 1, 1);
    size_t i;
    memset(p, 0, sizeof *p);
    memset(v, 0, n * sizeof *v);
    for (i = 0; i < n; i++) {
        day += (lp__day)(prng() % 3 == 0 ? 1 + prng() % 200 : 0);     /* a gap, or none */
        v[i].span.from = day;
        v[i].span.to = day + (lp__day)(prng() % 700);
        day = v[i].span.to + 1;
    }
    if (n && prng() % 2)
        v[0].span.from = LP__DAY_MIN;
    if (n && prng() % 2)
        v[n - 1].span.to = LP__DAY_MAX;
    p->values = v;
    p->nvalues = n;
}

static void test_unit_rules__param_at_finds_the_value_in_force(void **state)
{
    lp__pvalue v[40];
    lp__param p;
    lp__day first = lp__day_from_ymd(1990, 1, 1), last = lp__day_from_ymd(2030, 12, 31), d;
    size_t n, found = 0, gaps = 0;
    int round;
    (void)state;
    for (round = 0; round < 6; round++)
        for (n = 0; n <= 40; n++) {
            make_param(&p, v, n);
            for (d = first; d <= last; d++) {
                const lp__pvalue *want = scan(&p, d);
                assert_ptr_equal(lp__param_at(&p, d), want);
                if (want)
                    found++;
                else
                    gaps++;
            }
        }
    /* both outcomes must have been tried, many times */
    assert_true(found > 100000);
    assert_true(gaps > 100000);
}

/* What lp__tversion_row must give: the first row whose band holds x. */
static const lp__row *scan_rows(const lp__tversion *ver, mpq_srcptr x)
{
    size_t i;
    for (i = 0; i < ver->nrows; i++)
        if (mpq_cmp(x, ver->rows[i].min) >= 0 && (!ver->rows[i].max || mpq_cmp(x, ver->rows[i].max) <= 0))
            return &ver->rows[i];
    return NULL;
}

/* Table rows (rules.c lp__tversion_row): bands in ascending order, closed
 * below the next one, are searched by halves; rows in any other order are
 * read in order. Both give the first row that holds x, checked on bands of
 * whole and fractional bounds (k/4), with gaps, touching bands (max 5/4, next
 * min 6/4), an open last band, and the same rows shuffled. */
static void test_unit_rules__table_row_finds_the_band(void **state)
{
    enum { MAXROWS = 30 };
    mpq_t bounds[2 * MAXROWS], x;
    lp__row rows[MAXROWS];
    lp__tversion ver;
    size_t n, i;
    int round, ordered = 0, unordered = 0;
    long found = 0, none = 0, k;
    (void)state;
    for (i = 0; i < 2 * MAXROWS; i++)
        mpq_init(bounds[i]);
    mpq_init(x);
    for (round = 0; round < 40; round++)
        for (n = 0; n <= MAXROWS; n++) {
            long at = -20 + (long)(prng() % 10);
            memset(&ver, 0, sizeof ver);
            for (i = 0; i < n; i++) {
                at += (long)(prng() % 3);                      /* a gap, or none */
                mpq_set_si(bounds[2 * i], at, 4);
                mpq_canonicalize(bounds[2 * i]);
                at += (long)(prng() % 6);
                mpq_set_si(bounds[2 * i + 1], at, 4);
                mpq_canonicalize(bounds[2 * i + 1]);
                at++;                                          /* the next band starts above */
                rows[i].min = bounds[2 * i];
                rows[i].max = bounds[2 * i + 1];
                rows[i].value = bounds[2 * i];
            }
            if (n && prng() % 2)
                rows[n - 1].max = NULL;                        /* open at the top */
            if (n > 1 && round % 2) {                          /* shuffled: read in order */
                for (i = n - 1; i > 0; i--) {
                    size_t j = (size_t)(prng() % (i + 1));
                    lp__row t = rows[i];
                    rows[i] = rows[j];
                    rows[j] = t;
                }
            }
            ver.rows = rows;
            ver.nrows = n;
            ver.ordered = lp__tversion_rows_ordered(&ver);
            if (ver.ordered)
                ordered++;
            else
                unordered++;
            for (k = -24 * 4; k <= 160 * 4; k++) {             /* every quarter, and between */
                const lp__row *want;
                mpq_set_si(x, 2 * k + (k % 3 == 0), 8);
                mpq_canonicalize(x);
                want = scan_rows(&ver, x);
                assert_ptr_equal(lp__tversion_row(&ver, x), want);
                if (want)
                    found++;
                else
                    none++;
            }
        }
    assert_true(ordered > 500);
    assert_true(unordered > 500);
    assert_true(found > 100000);
    assert_true(none > 100000);
    for (i = 0; i < 2 * MAXROWS; i++)
        mpq_clear(bounds[i]);
    mpq_clear(x);
}

/* The shipped series' index by year (rules.h by_year, made when the rules
 * load) gives for every year what lp__param_at gives on 1 January; and the
 * shipped tables' versions in ascending order are marked so. */
static void test_unit_rules__shipped_series_index_and_ordered_tables(void **state)
{
    lp_ruleset *rs = NULL;
    size_t i, j, k, indexed = 0, ordered = 0;
    (void)state;
    assert_int_equal(lp_ruleset_load_dir(&rs, NULL, lp_default_rules_dir(), NULL), LP_OK);
    for (i = 0; i < rs->nschemes; i++) {
        const lp__scheme *s = &rs->schemes[i];
        for (j = 0; j < s->nparams; j++) {
            const lp__param *p = &s->params[j];
            int y;
            if (!p->yearly)
                continue;
            assert_non_null(p->by_year);            /* every shipped series is indexed */
            indexed++;
            for (y = 1900; y <= 2100; y++) {
                const lp__pvalue *want = lp__param_at(p, lp__day_from_ymd(y, 1, 1));
                if (y >= p->first_year && y <= p->last_year)
                    assert_ptr_equal(p->by_year[y - p->first_year], want);
                else
                    assert_true(y < p->first_year ? want == NULL : 1);
            }
        }
        for (j = 0; j < s->ntables; j++)
            for (k = 0; k < s->tables[j].nversions; k++) {
                const lp__tversion *v = &s->tables[j].versions[k];
                assert_int_equal(v->ordered, lp__tversion_rows_ordered(v));
                ordered += (size_t)v->ordered;
            }
    }
    assert_true(indexed >= 3);                     /* US-OASDI's awi, taxable_max, cola at least */
    assert_true(ordered > 0);
    lp_ruleset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unit_rules__param_at_finds_the_value_in_force),
        cmocka_unit_test(test_unit_rules__table_row_finds_the_band),
        cmocka_unit_test(test_unit_rules__shipped_series_index_and_ordered_tables),
    };
    return cmocka_run_group_tests_name("unit_rules", tests, NULL, NULL);
}
