/* Internal: the covered months of an aggregate as runs (month_runs.h),
 * checked against a month-by-month model of the same rule on generated
 * periods: mid-month bounds, periods that share months (their earnings add,
 * or the highest counts), periods out of order, months without earnings. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <limits.h>
#include <string.h>

#include "config.h"
#include <gmp.h>
#include "date.h"
#include "error.h"
#include "month_runs.h"
#include "test_prng.h"

#define MAXP 12
#define M0 (2000 * 12)             /* the model's first month */
#define NM (30 * 12)               /* and its number of months */

typedef struct career {
    lp__hperiod p[MAXP];
    const lp__hperiod *src[MAXP];
    lp__interval v[MAXP];
    mpq_t earn[MAXP];
    size_t n;
} career;

static int rnd(int lo, int hi)
{
    return lo + (int)(prng() % (uint64_t)(hi - lo + 1));
}

/* Periods within the model's 30 years: apart and in order (share = 0), or
 * any (some touching the same months, in any order). Clipped as the
 * aggregate clips them: some intervals cut inside their period. */
static void make(career *c, int share)
{
    lp__day day = lp__day_from_ymd(2000, 1, 1) + rnd(0, 400);
    size_t k;
    memset(c->p, 0, sizeof c->p);
    c->n = (size_t)rnd(0, MAXP);
    for (k = 0; k < c->n; k++) {
        lp__hperiod *p = &c->p[k];
        lp__day from = share ? lp__day_from_ymd(2000, 1, 1) + rnd(0, 9000) : day;
        lp__day to = from + rnd(0, share ? 1500 : 700);
        if (!share)
            day = lp__month_index_first_day(lp__month_index(to) + 1) + rnd(0, 100);   /* next month or later */
        p->from = from;
        p->to = to;
        p->from_month = lp__month_index(from);
        p->to_month = lp__month_index(to);
        /* earnings: none, zero, or an amount; some periods share one value */
        switch (rnd(0, 4)) {
        case 0: p->monthly = NULL; break;
        case 1: mpq_set_ui(c->earn[k], 0, 1); p->monthly = c->earn[k]; break;
        case 2: p->monthly = k ? c->p[k - 1].monthly : NULL; break;
        default: mpq_set_ui(c->earn[k], (unsigned long)rnd(1, 9000), (unsigned long)rnd(1, 3));
                 mpq_canonicalize(c->earn[k]); p->monthly = c->earn[k]; break;
        }
        c->src[k] = p;
        c->v[k].from = rnd(0, 3) ? from : from + (to - from) / 3;   /* a window cuts some */
        c->v[k].to = rnd(0, 3) ? to : to - (to - from) / 4;
        c->v[k].kinds = 1;
    }
}

/* The model: each month's coverage and earnings, one month at a time. */
static void model(const career *c, int with_earnings, int highest, unsigned char *cov, mpq_t *earn, int *has)
{
    size_t k;
    int i;
    memset(cov, 0, NM);
    memset(has, 0, NM * sizeof *has);
    for (i = 0; i < NM; i++)
        mpq_set_ui(earn[i], 0, 1);
    for (k = 0; k < c->n; k++)
        for (i = lp__month_index(c->v[k].from); i <= lp__month_index(c->v[k].to); i++) {
            mpq_srcptr q = c->p[k].monthly;
            cov[i - M0] = 1;
            if (!with_earnings || !q)
                continue;
            if (!has[i - M0])
                mpq_set(earn[i - M0], q);
            else if (!highest)
                mpq_add(earn[i - M0], earn[i - M0], q);
            else if (mpq_cmp(q, earn[i - M0]) > 0)
                mpq_set(earn[i - M0], q);
            has[i - M0] = 1;
        }
}

/* The run holding month t, or NULL for a month not covered. */
static const lp__month_run *run_at(const lp__months *m, int t)
{
    size_t i;
    for (i = 0; i < m->n; i++)
        if (m->run[i].first <= t && t <= m->run[i].last)
            return &m->run[i];
    return NULL;
}

static mpq_srcptr run_earn(const lp__months *m, int t)
{
    const lp__month_run *r = run_at(m, t);
    return r ? r->earn : NULL;
}

static void check_career(const career *c, int with_earnings, int highest)
{
    lp__workspace ws;
    lp__months m;
    unsigned char cov[NM];
    int has[NM], i, t;
    mpq_t earn[NM], total, expect, tmp;
    long count, n, years[13];
    size_t k;
    for (i = 0; i < NM; i++)
        mpq_init(earn[i]);
    mpq_inits(total, expect, tmp, NULL);
    lp__workspace_init(&ws);
    model(c, with_earnings, highest, cov, earn, has);
    assert_int_equal(lp__months_build(&ws, c->v, c->src, c->n, with_earnings, highest, &m), LP_OK);

    /* runs ascending and apart; each month covered as the model says, with its earnings */
    for (k = 1; k < m.n; k++)
        assert_true(m.run[k - 1].last < m.run[k].first);
    for (k = 0; k < m.n; k++)
        assert_true(m.run[k].first <= m.run[k].last);
    for (i = 0, n = 0; i < NM; i++) {
        mpq_srcptr e = run_earn(&m, M0 + i);
        assert_int_equal(run_at(&m, M0 + i) != NULL, cov[i]);
        n += cov[i];
        if (cov[i] && has[i])
            assert_true(e && mpq_equal(e, earn[i]));
        else if (cov[i])
            assert_true(!e || mpq_sgn(e) == 0);
    }
    assert_int_equal(lp__months_count(&m), n);

    /* calendar years with at least need months */
    for (i = 1; i <= 12; i++) {
        long y, expect_years = 0;
        for (y = 0; y < NM / 12; y++) {
            int in = 0;
            for (t = 0; t < 12; t++)
                in += cov[y * 12 + t];
            expect_years += in >= i;
        }
        years[i] = lp__months_years(&m, i);
        assert_int_equal(years[i], expect_years);
    }

    /* all months, the latest N, the best N */
    assert_int_equal(lp__months_earnings(&ws, &m, 0, 0, total, &count, tmp), LP_OK);
    mpq_set_ui(expect, 0, 1);
    for (i = 0; i < NM; i++)
        if (cov[i])
            mpq_add(expect, expect, earn[i]);
    assert_true(mpq_equal(total, expect));
    assert_int_equal(count, n);
    for (k = 1; k <= 3; k++) {
        long want = rnd(1, 80), got = 0;
        mpq_set_ui(expect, 0, 1);
        for (i = NM - 1; i >= 0 && got < want; i--)
            if (cov[i]) {
                mpq_add(expect, expect, earn[i]);
                got++;
            }
        assert_int_equal(lp__months_earnings(&ws, &m, 0, want, total, &count, tmp), LP_OK);
        assert_true(mpq_equal(total, expect));
        assert_int_equal(count, got);
        /* best: the highest `want` covered months (selection by repeated maximum) */
        {
            unsigned char taken[NM];
            memset(taken, 0, sizeof taken);
            mpq_set_ui(expect, 0, 1);
            for (got = 0; got < want; got++) {
                int best = -1;
                for (i = 0; i < NM; i++)
                    if (cov[i] && !taken[i] && (best < 0 || mpq_cmp(earn[i], earn[best]) > 0))
                        best = i;
                if (best < 0)
                    break;
                taken[best] = 1;
                mpq_add(expect, expect, earn[best]);
            }
            assert_int_equal(lp__months_earnings(&ws, &m, want, 0, total, &count, tmp), LP_OK);
            assert_true(mpq_equal(total, expect));
            assert_int_equal(count, got);
        }
    }

    /* the reader: each month's paying earnings, and how far they stay alike */
    {
        lp__months_cursor cur = { &m, 0 };
        for (t = M0 - 2; t < M0 + NM; t += rnd(1, 5)) {
            mpq_srcptr e = lp__months_earn_at(&cur, t), want = NULL;
            int limit = t + rnd(0, 60), u, expect_u;
            if (t >= M0 && cov[t - M0] && has[t - M0] && mpq_sgn(earn[t - M0]))
                want = run_earn(&m, t);
            assert_ptr_equal(e, want);
            u = lp__months_alike_until(&cur, t, e, limit);
            for (expect_u = t; expect_u < limit; expect_u++) {
                int x = expect_u + 1;
                mpq_srcptr ex = x >= M0 && x < M0 + NM && cov[x - M0] ? run_earn(&m, x) : NULL;
                if (ex && !mpq_sgn(ex))
                    ex = NULL;
                if (ex != e)
                    break;
            }
            assert_int_equal(u, expect_u);
        }
    }

    lp__months_clear(&m);
    lp__workspace_clear(&ws);
    for (i = 0; i < NM; i++)
        mpq_clear(earn[i]);
    mpq_clears(total, expect, tmp, NULL);
}

static void run(int share)
{
    career c;
    int i, k;
    for (k = 0; k < MAXP; k++)
        mpq_init(c.earn[k]);
    for (i = 0; i < 400; i++) {
        make(&c, share);
        check_career(&c, 1, 0);
        check_career(&c, 1, 1);
        check_career(&c, 0, 0);
    }
    for (k = 0; k < MAXP; k++)
        mpq_clear(c.earn[k]);
}

/* The usual career: periods in order, no month shared: one run per period. */
static void test_periods_apart(void **state)
{
    (void)state;
    run(0);
}

/* Periods that share months, in any order: laid out month by month. */
static void test_periods_sharing_months(void **state)
{
    (void)state;
    run(1);
}

/* A worked case: Jan-Mar 2020 at 100, 15 Mar - Apr 2020 at 50 (March holds
 * both: 150), June 2020 with no earnings. */
static void test_shared_month_adds(void **state)
{
    lp__hperiod p[3];
    const lp__hperiod *src[3] = { &p[0], &p[1], &p[2] };
    lp__interval v[3];
    lp__workspace ws;
    lp__months m;
    mpq_t a, b, total, tmp;
    long count;
    int k;
    (void)state;
    mpq_inits(a, b, total, tmp, NULL);
    mpq_set_ui(a, 100, 1);
    mpq_set_ui(b, 50, 1);
    memset(p, 0, sizeof p);
    p[0].from = lp__day_from_ymd(2020, 1, 1);  p[0].to = lp__day_from_ymd(2020, 3, 31);  p[0].monthly = a;
    p[1].from = lp__day_from_ymd(2020, 3, 15); p[1].to = lp__day_from_ymd(2020, 4, 30);  p[1].monthly = b;
    p[2].from = lp__day_from_ymd(2020, 6, 1);  p[2].to = lp__day_from_ymd(2020, 6, 30);  p[2].monthly = NULL;
    for (k = 0; k < 3; k++) {
        p[k].from_month = lp__month_index(p[k].from);
        p[k].to_month = lp__month_index(p[k].to);
        v[k].from = p[k].from;
        v[k].to = p[k].to;
        v[k].kinds = 1;
    }
    lp__workspace_init(&ws);
    assert_int_equal(lp__months_build(&ws, v, src, 3, 1, 0, &m), LP_OK);
    assert_int_equal(lp__months_count(&m), 5);
    assert_int_equal(lp__months_earnings(&ws, &m, 0, 0, total, &count, tmp), LP_OK);
    assert_int_equal(mpz_get_si(mpq_numref(total)), 100 * 2 + 150 + 50);
    assert_int_equal(count, 5);
    assert_int_equal(lp__months_earnings(&ws, &m, 1, 0, total, &count, tmp), LP_OK);
    assert_int_equal(mpz_get_si(mpq_numref(total)), 150);   /* the best month is March */
    assert_int_equal(lp__months_years(&m, 5), 1);
    assert_int_equal(lp__months_years(&m, 6), 0);
    lp__months_clear(&m);
    /* the highest instead of the sum: March earns 100 */
    assert_int_equal(lp__months_build(&ws, v, src, 3, 1, 1, &m), LP_OK);
    assert_int_equal(lp__months_earnings(&ws, &m, 0, 0, total, &count, tmp), LP_OK);
    assert_int_equal(mpz_get_si(mpq_numref(total)), 100 * 3 + 50);
    lp__months_clear(&m);
    lp__workspace_clear(&ws);
    mpq_clears(a, b, total, tmp, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_periods_apart),
        cmocka_unit_test(test_periods_sharing_months),
        cmocka_unit_test(test_shared_month_adds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
