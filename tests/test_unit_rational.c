/* Internal: the machine-word fast path of rational arithmetic (rational.c)
 * gives exactly GMP's mpq result, for small operands, operands at the edges
 * of a long, results that overflow it, zero, negative values and aliasing.
 * A frozen rational (arena.c, a history's earnings) keeps the value it was
 * copied from and works as an operand of both. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <limits.h>

#include "config.h"
#include <gmp.h>
#include "arena.h"
#include "rational.h"
#include "test_prng.h"


/* A random rational: small, near a long's limit, or beyond it. */
static void draw(mpq_t q)
{
    static const long dens[] = { 1, 2, 3, 4, 12, 40, 100, 1000, 7, 360 };
    uint64_t bits = prng();
    long n;
    unsigned long d;
    switch (bits % 5) {
    case 0: n = 0; break;
    case 1: n = (long)(prng() % 2000001) - 1000000; break;
    case 2: n = (long)(prng() >> 1); break;                    /* up to LONG_MAX */
    case 3: n = -(long)(prng() >> 33); break;
    default: n = LONG_MAX - (long)(prng() % 3); break;
    }
    d = (bits >> 8) % 3 == 0 ? (unsigned long)(prng() >> 1) | 1 : (unsigned long)dens[(bits >> 16) % 10];
    mpq_set_si(q, n, d);
    if ((bits >> 24) % 9 == 0)     /* beyond a long */
        mpz_mul_2exp(mpq_numref(q), mpq_numref(q), 65);
    mpq_canonicalize(q);
    if ((bits >> 28) % 2)
        mpq_neg(q, q);
}

static void test_unit_rational__operations_match_gmp(void **state)
{
    mpq_t a, b, want, got, alias;
    int i, nonzero = 0;
    (void)state;
    mpq_inits(a, b, want, got, alias, NULL);
    for (i = 0; i < 200000; i++) {
        unsigned long k = (unsigned long)(prng() % 1000);
        draw(a);
        draw(b);
        mpq_add(want, a, b);
        lp__q_add(got, a, b);
        assert_true(mpq_equal(want, got));
        mpq_sub(want, a, b);
        lp__q_sub(got, a, b);
        assert_true(mpq_equal(want, got));
        mpq_mul(want, a, b);
        lp__q_mul(got, a, b);
        assert_true(mpq_equal(want, got));
        if (mpq_sgn(b)) {
            mpq_div(want, a, b);
            lp__q_div(got, a, b);
            assert_true(mpq_equal(want, got));
            nonzero++;
        }
        mpq_set_ui(want, k, 1);
        mpq_mul(want, a, want);
        lp__q_mul_ui(got, a, k);
        assert_true(mpq_equal(want, got));
        {
            int cg = mpq_cmp(a, b), cl = lp__q_cmp(a, b);
            assert_int_equal(cg < 0 ? -1 : cg > 0, cl < 0 ? -1 : cl > 0);
            assert_int_equal(lp__q_cmp(a, a), 0);
        }
        /* out aliasing an operand */
        mpq_set(alias, a);
        mpq_add(want, a, b);
        lp__q_add(alias, alias, b);
        assert_true(mpq_equal(want, alias));
        mpq_set(alias, b);
        mpq_mul(want, a, b);
        lp__q_mul(alias, a, alias);
        assert_true(mpq_equal(want, alias));
        /* the results are canonical: GMP's own functions accept them */
        mpq_set(alias, got);
        mpq_canonicalize(alias);
        assert_true(mpq_equal(alias, got));
    }
    assert_true(nonzero > 100000);
    mpq_clears(a, b, want, got, alias, NULL);
}

static void test_unit_rational__edges(void **state)
{
    mpq_t a, b, got;
    (void)state;
    mpq_inits(a, b, got, NULL);
    /* LONG_MAX + LONG_MAX overflows a long: GMP's answer */
    mpq_set_si(a, LONG_MAX, 1);
    lp__q_add(got, a, a);
    assert_int_equal(mpz_cmp_ui(mpq_denref(got), 1), 0);
    assert_int_equal(mpz_sizeinbase(mpq_numref(got), 2), 64);
    /* 1/3 - 1/3 is 0/1 */
    mpq_set_si(a, 1, 3);
    lp__q_sub(got, a, a);
    assert_int_equal(mpq_sgn(got), 0);
    assert_int_equal(mpz_cmp_ui(mpq_denref(got), 1), 0);
    /* (-3/4) / (-9/2) = 1/6 */
    mpq_set_si(a, -3, 4);
    mpq_set_si(b, -9, 2);
    lp__q_div(got, a, b);
    mpq_set_si(b, 1, 6);
    assert_true(mpq_equal(got, b));
    mpq_clears(a, b, got, NULL);
}

static void test_unit_rational__frozen_copy_keeps_the_value(void **state)
{
    lp__arena *arena = lp__arena_new();
    mpq_t a, b, want, got;
    int i;
    (void)state;
    assert_non_null(arena);
    mpq_inits(a, b, want, got, NULL);
    for (i = 0; i < 20000; i++) {
        mpq_srcptr frozen;
        draw(a);
        draw(b);
        frozen = lp__arena_mpq_frozen(arena, a);
        assert_non_null(frozen);
        assert_true(mpq_equal(frozen, a));
        /* the copy owns its limbs: changing the source leaves it alone */
        mpq_add(want, a, b);
        mpq_set_ui(a, 7, 1);
        lp__q_add(got, frozen, b);
        assert_true(mpq_equal(want, got));
        mpq_add(got, frozen, b);
        assert_true(mpq_equal(want, got));
    }
    mpq_clears(a, b, want, got, NULL);
    lp__arena_free(arena);        /* the copies are arena memory: nothing of GMP to clear */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unit_rational__operations_match_gmp),
        cmocka_unit_test(test_unit_rational__edges),
        cmocka_unit_test(test_unit_rational__frozen_copy_keeps_the_value),
    };
    return cmocka_run_group_tests_name("unit_rational", tests, NULL, NULL);
}
