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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unit_rules__param_at_finds_the_value_in_force),
    };
    return cmocka_run_group_tests_name("unit_rules", tests, NULL, NULL);
}
