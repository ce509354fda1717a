/* Internal: exact literals, rounding to a step, decimal output, rounding
 * names, the ISO 4217 table; property tests of the rounding modes over
 * generated values (integers and rationals only). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "config.h"
#include <gmp.h>
#include "decimal.h"
#include "result_model.h"
#include "test_prng.h"
#include "alloc.h"
#include "error.h"
#include <portability/money.h>

/* Parse s (NUL-terminated) into out, which must succeed. */
static void q(mpq_t out, const char *s)
{
    int rc = lp__decimal_parse(out, s, strlen(s));
    if (rc != LP_OK)
        fail_msg("parse \"%s\": %d %s", s, rc, lp_error_last()->message);
}

static void assert_q(const mpq_t x, const char *expected)
{
    char *s = lp__rational_format(x);
    assert_non_null(s);
    assert_string_equal(s, expected);
    lp__free(s);
}

/* ---- lp__decimal_parse -------------------------------------------------- */

static void test_unit_decimal__parse_accepts(void **state)
{
    static const struct { const char *in, *out; } cases[] = {
        { "0", "0" },        { "-0", "0" },        { "+0", "0" },        { "-0.000", "0" },
        { "007", "7" },      { "007.50", "15/2" }, { "-12.345", "-2469/200" },
        { "+0.5", "1/2" },   { ".5", "1/2" },      { "-.25", "-1/4" },   { "1.", "1" },
        { "-3/4", "-3/4" },  { "+3/4", "3/4" },    { "6/8", "3/4" },     { "0/5", "0" },
        { "10/1", "10" },    { "007/014", "1/2" }, { "0.183", "183/1000" },
        { "9999999999999999999", "9999999999999999999" },           /* 19 digits: fast path */
        { "18446744073709551616", "18446744073709551616" },         /* 2^64: slow path */
        { "-123456789012345678901234567890.123456789",
          "-123456789012345678901234567890123456789/1000000000" },
    };
    size_t i;
    mpq_t x;
    (void)state;
    mpq_init(x);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        q(x, cases[i].in);
        assert_q(x, cases[i].out);
    }
    mpq_clear(x);
}

static void test_unit_decimal__parse_rejects(void **state)
{
    static const struct { const char *in; int code; } cases[] = {
        { "", LP_EPARSE },      { ".", LP_EPARSE },      { "+", LP_EPARSE },
        { "-", LP_EPARSE },     { "+.", LP_EPARSE },     { "1e5", LP_EPARSE },
        { "1,000", LP_EPARSE }, { " 1", LP_EPARSE },     { "1 ", LP_EPARSE },
        { "1..2", LP_EPARSE },  { "--1", LP_EPARSE },    { "+-1", LP_EPARSE },
        { "3/-4", LP_EPARSE },  { "3/+4", LP_EPARSE },   { "1.5/2", LP_EPARSE },
        { "3/4.0", LP_EPARSE }, { "/4", LP_EPARSE },     { "3/", LP_EPARSE },
        { "3//4", LP_EPARSE },  { "1/2/3", LP_EPARSE },  { "0x1A", LP_EPARSE },
        { "\xef\xbc\x91", LP_EPARSE },                   /* fullwidth digit one */
        { "3/0", LP_EDIVZERO }, { "-3/00", LP_EDIVZERO }, { "0/0", LP_EDIVZERO },
    };
    size_t i;
    mpq_t x;
    (void)state;
    mpq_init(x);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mpq_set_ui(x, 42, 1);
        lp_error_clear();
        if (lp__decimal_parse(x, cases[i].in, strlen(cases[i].in)) != cases[i].code)
            fail_msg("\"%s\": want %d, got %d", cases[i].in, cases[i].code, lp_error_last()->code);
        assert_int_equal(lp_error_last()->code, cases[i].code);
        assert_true(lp_error_last()->message[0] != '\0');
        assert_q(x, "42");                              /* unchanged on failure */
    }
    assert_int_equal(lp__decimal_parse(x, NULL, 0), LP_EINVAL);
    mpq_clear(x);
}

static void test_unit_decimal__parse_digit_limits(void **state)
{
    char buf[10100];
    mpq_t x;
    (void)state;
    mpq_init(x);
    memset(buf, '7', sizeof buf);
    /* 64 integer digits: fine; 65: LP_ERANGE */
    assert_int_equal(lp__decimal_parse(x, buf, 64), LP_OK);
    assert_int_equal(lp__decimal_parse(x, buf, 65), LP_ERANGE);
    /* 10,000 digits: LP_ERANGE, message quotes a bounded prefix */
    assert_int_equal(lp__decimal_parse(x, buf, 10000), LP_ERANGE);
    assert_true(strlen(lp_error_last()->message) < 200);
    /* the limit counts fraction digits and leading zeros too */
    buf[0] = '0';
    buf[1] = '.';
    assert_int_equal(lp__decimal_parse(x, buf, 65), LP_OK);      /* "0." + 63: 64 digits */
    assert_int_equal(lp__decimal_parse(x, buf, 66), LP_ERANGE);  /* 65 digits */
    /* rationals: 64 digits on each side */
    memset(buf, '3', 64);
    buf[64] = '/';
    memset(buf + 65, '9', 65);
    assert_int_equal(lp__decimal_parse(x, buf, 129), LP_OK);
    assert_int_equal(lp__decimal_parse(x, buf, 130), LP_ERANGE);
    mpq_clear(x);
}

static void test_unit_decimal__parse_is_length_bounded(void **state)
{
    mpq_t x;
    (void)state;
    mpq_init(x);
    assert_int_equal(lp__decimal_parse(x, "12345", 2), LP_OK);
    assert_q(x, "12");
    assert_int_equal(lp__decimal_parse(x, "3/4junk", 3), LP_OK);
    assert_q(x, "3/4");
    assert_int_equal(lp__decimal_parse(x, "1\0" "5", 3), LP_EPARSE);   /* embedded NUL */
    assert_int_equal(lp__decimal_parse(x, "5", 0), LP_EPARSE);
    mpq_clear(x);
}

static void test_unit_decimal__parse_matches_gmp_on_long_integers(void **state)
{
    static const char *const ints[] = {
        "1234567890123456789", "12345678901234567890", "-98765432109876543210987654321",
        "1000000000000000000000000000000000000000000000000000000000000000",
    };
    size_t i;
    mpq_t x, y;
    (void)state;
    mpq_inits(x, y, NULL);
    for (i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        q(x, ints[i]);
        assert_int_equal(mpq_set_str(y, ints[i], 10), 0);
        assert_true(mpq_equal(x, y));
    }
    mpq_clears(x, y, NULL);
}

/* ---- lp__round, lp__decimal_format, lp__decimal_exact -------------------- */

static void test_unit_decimal__round_aliases_and_errors(void **state)
{
    mpq_t x, step, out;
    (void)state;
    mpq_inits(x, step, out, NULL);
    q(x, "2.345");
    q(step, "0.01");
    assert_int_equal(lp__round(x, x, step, LP_ROUND_HALF_EVEN), LP_OK);   /* out == x */
    assert_q(x, "117/50");                                                /* 2.34 */
    q(x, "7.5");
    assert_int_equal(lp__round(step, x, step, LP_ROUND_HALF_UP), LP_OK);  /* out == step */
    assert_q(step, "15/2");
    q(x, "1");
    mpq_set_ui(out, 9, 1);
    mpq_set_si(step, 0, 1);
    assert_int_equal(lp__round(out, x, step, LP_ROUND_FLOOR), LP_EINVAL);
    mpq_set_si(step, -1, 100);
    assert_int_equal(lp__round(out, x, step, LP_ROUND_FLOOR), LP_EINVAL);
    q(step, "0.3");
    assert_int_equal(lp__round(out, x, step, (lp_rounding)8), LP_EINVAL);
    assert_int_equal(lp__round(out, x, step, LP_ROUND_UNNECESSARY), LP_EINEXACT);
    assert_non_null(strstr(lp_error_last()->message, "3/10"));
    assert_q(out, "9");                                                   /* unchanged */
    mpq_clears(x, step, out, NULL);
}

static void test_unit_decimal__format(void **state)
{
    static const struct { const char *x, *step; lp_rounding mode; const char *out; } cases[] = {
        { "6400/3", "0.01", LP_ROUND_HALF_UP, "2133.33" },
        { "984.54", "1", LP_ROUND_FLOOR, "984" },
        { "831700", "100", LP_ROUND_UNNECESSARY, "831700" },
        { "3.294", "0.1", LP_ROUND_HALF_UP, "3.3" },
        { "1.2345", "0.001", LP_ROUND_HALF_EVEN, "1.234" },
        { "1.2345", "0.001", LP_ROUND_HALF_UP, "1.235" },
        { "0.0005", "0.001", LP_ROUND_HALF_UP, "0.001" },
        { "-0.0005", "0.001", LP_ROUND_HALF_DOWN, "0.000" },
        { "-0.0005", "0.001", LP_ROUND_HALF_UP, "-0.001" },
        { "-7/2", "1", LP_ROUND_HALF_EVEN, "-4" },
        { "0.3", "1/4", LP_ROUND_HALF_UP, "0.25" },
        { "0.3", "1/8", LP_ROUND_CEIL, "0.375" },
        { "0.3", "0.5", LP_ROUND_CEIL, "0.5" },
        { "123", "1000", LP_ROUND_HALF_UP, "0" },
        { "-1", "1/1024", LP_ROUND_UNNECESSARY, "-1.0000000000" },
        { "12345678901234567890123", "0.01", LP_ROUND_FLOOR, "12345678901234567890123.00" },
    };
    size_t i;
    mpq_t x, step;
    char *s = NULL;
    (void)state;
    mpq_inits(x, step, NULL);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        q(x, cases[i].x);
        q(step, cases[i].step);
        assert_int_equal(lp__decimal_format(&s, x, step, cases[i].mode), LP_OK);
        assert_string_equal(s, cases[i].out);
        lp__free(s);
    }
    /* min_decimals pads */
    q(x, "1640.92");
    q(step, "0.1");
    assert_int_equal(lp__decimal_format_min(&s, x, step, LP_ROUND_FLOOR, 2), LP_OK);
    assert_string_equal(s, "1640.90");
    lp__free(s);
    assert_int_equal(lp__decimal_format_min(&s, x, step, LP_ROUND_FLOOR, 0), LP_OK);
    assert_string_equal(s, "1640.9");
    lp__free(s);
    /* a step without a finite decimal expansion cannot be printed */
    q(step, "1/3");
    s = (char *)&s;
    assert_int_equal(lp__decimal_format(&s, x, step, LP_ROUND_FLOOR), LP_EINVAL);
    assert_null(s);
    q(step, "0.1");                                  /* 1640.92 is not a multiple */
    s = (char *)&s;
    assert_int_equal(lp__decimal_format(&s, x, step, LP_ROUND_UNNECESSARY), LP_EINEXACT);
    assert_null(s);
    mpq_set_si(step, 0, 1);
    assert_int_equal(lp__decimal_format(&s, x, step, LP_ROUND_FLOOR), LP_EINVAL);
    assert_null(s);
    assert_int_equal(lp__decimal_format(NULL, x, step, LP_ROUND_FLOOR), LP_EINVAL);
    mpq_clears(x, step, NULL);
}

static void test_unit_decimal__rational_and_exact_output(void **state)
{
    static const struct { const char *x; unsigned max; int rc; const char *out; } cases[] = {
        { "3.294", 3, 1, "3.294" },   { "3.294", 2, 0, NULL },    { "1/3", 64, 0, NULL },
        { "-1/2", 1, 1, "-0.5" },     { "12", 0, 1, "12" },       { "0", 0, 1, "0" },
        { "1/1024", 10, 1, "0.0009765625" },                      { "1/1024", 9, 0, NULL },
        { "-0.0065", 64, 1, "-0.0065" }, { "7/40", 3, 1, "0.175" },
        /* powers of 5 are removed at once (mpz_remove), not one division each */
        { "1/3125", 5, 1, "0.00032" }, { "1/3125", 4, 0, NULL }, { "3/1250", 4, 1, "0.0024" },
        { "1/15", 64, 0, NULL },
    };
    size_t i;
    mpq_t x;
    char *s;
    (void)state;
    mpq_init(x);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        q(x, cases[i].x);
        s = (char *)&s;
        assert_int_equal(lp__decimal_exact(&s, x, cases[i].max), cases[i].rc);
        if (cases[i].out)
            assert_string_equal(s, cases[i].out);
        else
            assert_null(s);
        lp__free(s);
    }
    /* a denominator of 5^4000 x 3: no finite decimal; 5^4000 alone: 4000 places */
    mpz_ui_pow_ui(mpq_denref(x), 5, 4000);
    mpz_set_ui(mpq_numref(x), 1);
    assert_int_equal(lp__decimal_exact(&s, x, 3999), 0);
    assert_int_equal(lp__decimal_exact(&s, x, 4000), 1);
    assert_int_equal(strlen(s), 4002);
    lp__free(s);
    mpz_mul_ui(mpq_denref(x), mpq_denref(x), 3);
    assert_int_equal(lp__decimal_exact(&s, x, 100000), 0);
    q(x, "-6/8");
    assert_q(x, "-3/4");
    q(x, "-0");
    assert_q(x, "0");
    mpq_clear(x);
}

/* ---- rounding names ----------------------------------------------------- */

static void test_unit_decimal__rounding_parse(void **state)
{
    static const struct { const char *name; lp_rounding mode; } cases[] = {
        { "half-up", LP_ROUND_HALF_UP },       { "half-even", LP_ROUND_HALF_EVEN },
        { "half-down", LP_ROUND_HALF_DOWN },   { "up", LP_ROUND_CEIL },
        { "ceiling", LP_ROUND_CEIL },          { "down", LP_ROUND_FLOOR },
        { "floor", LP_ROUND_FLOOR },           { "toward-zero", LP_ROUND_TOWARD_ZERO },
        { "away-from-zero", LP_ROUND_AWAY_FROM_ZERO }, { "unnecessary", LP_ROUND_UNNECESSARY },
    };
    static const char *const bad[] = { "", "half", "half-upp", "Half-Up", "UP", "ceil",
                                       "round-half-up", "toward_zero" };
    size_t i;
    lp_rounding r;
    int mode;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        r = (lp_rounding)-1;
        assert_int_equal(lp__rounding_parse(&r, cases[i].name, strlen(cases[i].name)), LP_OK);
        assert_int_equal(r, cases[i].mode);
    }
    /* length-bounded: a name inside a larger buffer (XML attribute) */
    assert_int_equal(lp__rounding_parse(&r, "half-evenXYZ", 9), LP_OK);
    assert_int_equal(r, LP_ROUND_HALF_EVEN);
    assert_int_equal(lp__rounding_parse(&r, "up", 1), LP_EPARSE);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = LP_ROUND_TOWARD_ZERO;
        assert_int_equal(lp__rounding_parse(&r, bad[i], strlen(bad[i])), LP_EPARSE);
        assert_int_equal(r, LP_ROUND_TOWARD_ZERO);
        assert_non_null(strstr(lp_error_last()->message, "half-up"));
        assert_non_null(strstr(lp_error_last()->message, "unnecessary"));
    }
    for (mode = LP_ROUND_HALF_UP; mode <= LP_ROUND_UNNECESSARY; mode++) {
        const char *name = lp__rounding_name((lp_rounding)mode);
        assert_non_null(name);
        assert_int_equal(lp__rounding_parse(&r, name, strlen(name)), LP_OK);
        assert_int_equal(r, mode);
    }
    assert_null(lp__rounding_name((lp_rounding)8));
    assert_int_equal(lp__rounding_parse(NULL, "up", 2), LP_EINVAL);
    assert_int_equal(lp__rounding_parse(&r, NULL, 0), LP_EINVAL);
}

/* ---- ISO 4217 table ----------------------------------------------------- */

static const struct { const char *code; int units; } table[] = {
#define LP_CURRENCY(code, units) { code, units },
#include "currencies.def"
#undef LP_CURRENCY
};

static void test_unit_decimal__currency_table_is_sorted_and_searchable(void **state)
{
    size_t i, n = sizeof table / sizeof table[0];
    (void)state;
    assert_true(n > 150);
    for (i = 0; i < n; i++) {
        const char *c = table[i].code;
        assert_int_equal(strlen(c), 3);
        assert_true(c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z'
                    && c[2] >= 'A' && c[2] <= 'Z');
        assert_true(table[i].units >= 0 && table[i].units <= 4);
        if (i > 0 && strcmp(table[i - 1].code, c) >= 0)
            fail_msg("currencies.def is not sorted at %s, %s", table[i - 1].code, c);
        assert_int_equal(lp__currency_minor_units(c, 3), table[i].units);
    }
}

static void test_unit_decimal__currency_minor_units(void **state)
{
    static const struct { const char *code; int units; } cases[] = {
        /* ASEAN */
        { "BND", 2 }, { "KHR", 2 }, { "IDR", 2 }, { "LAK", 2 }, { "MMK", 2 }, { "MYR", 2 },
        { "PHP", 2 }, { "SGD", 2 }, { "THB", 2 }, { "VND", 0 },
        /* East Asia */
        { "CNY", 2 }, { "HKD", 2 }, { "JPY", 0 }, { "KPW", 2 }, { "KRW", 0 }, { "MNT", 2 },
        { "MOP", 2 }, { "TWD", 2 },
        /* EU */
        { "EUR", 2 }, { "CZK", 2 }, { "DKK", 2 }, { "HUF", 2 }, { "PLN", 2 }, { "RON", 2 },
        { "SEK", 2 },
        /* North America */
        { "USD", 2 }, { "CAD", 2 }, { "MXN", 2 },
        /* Gulf */
        { "AED", 2 }, { "BHD", 3 }, { "KWD", 3 }, { "OMR", 3 }, { "QAR", 2 }, { "SAR", 2 },
        /* others, and the table's ends */
        { "AED", 2 }, { "ZWG", 2 }, { "CHF", 2 }, { "GBP", 2 }, { "CLF", 4 }, { "UYW", 4 },
        { "ISK", 0 }, { "XOF", 0 }, { "XAF", 0 }, { "XPF", 0 }, { "INR", 2 },
    };
    static const char *const unknown[] = { "", "US", "USDX", "usd", "Usd", "ZZZ", "AAA",
                                           "XAU", "XTS", "XXX", "ZWL", "HRK", "US\0" };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (lp__currency_minor_units(cases[i].code, 3) != cases[i].units)
            fail_msg("%s: want %d", cases[i].code, cases[i].units);
    for (i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        assert_int_equal(lp__currency_minor_units(unknown[i], strlen(unknown[i])), -1);
    assert_int_equal(lp__currency_minor_units("US\0", 3), -1);
    assert_int_equal(lp__currency_minor_units("USDX", 3), 2);    /* length-bounded */
    assert_int_equal(lp__currency_minor_units(NULL, 3), -1);
}

/* ---- properties over generated values ----------------------------------- */


#define MODES 7   /* the modes that round (all but LP_ROUND_UNNECESSARY) */

/* |a| */
static void q_abs(mpq_t out, const mpq_t a)
{
    mpq_abs(out, a);
}

/* Whether a / step is an integer. */
static int is_multiple(const mpq_t a, const mpq_t step, mpq_t tmp)
{
    mpq_div(tmp, a, step);
    return mpz_cmp_ui(mpq_denref(tmp), 1) == 0;
}

static void test_unit_decimal__rounding_properties(void **state)
{
    static const char *const steps[] = { "0.01", "0.1", "1", "10", "100", "0.001", "0.25",
                                         "0.05", "1/3", "7/40", "1/12" };
    static const unsigned long dens[] = { 1, 2, 3, 4, 7, 8, 10, 12, 40, 100, 480, 1000, 1024 };
    const int iterations = 20000;
    mpq_t x, step, r[MODES], t, u, half;
    int i, m, halves = 0, multiples = 0;
    (void)state;

    mpq_inits(x, step, t, u, half, NULL);
    for (m = 0; m < MODES; m++)
        mpq_init(r[m]);
    mpq_set_ui(half, 1, 2);

    for (i = 0; i < iterations; i++) {
        uint64_t bits = prng();
        int64_t num = (int64_t)(prng() % 20000001u) - 10000000;
        q(step, steps[bits % (sizeof steps / sizeof steps[0])]);
        switch ((bits >> 8) % 4) {
        case 0:   /* an exact half: (k + 1/2) * step */
            mpq_set_si(x, num / 1000, 1);
            mpq_add(x, x, half);
            mpq_mul(x, x, step);
            break;
        case 1:   /* already a multiple */
            mpq_set_si(x, num / 1000, 1);
            mpq_mul(x, x, step);
            break;
        case 2:   /* a random fraction with a usual denominator */
            mpq_set_si(x, num, dens[(bits >> 16) % (sizeof dens / sizeof dens[0])]);
            mpq_canonicalize(x);
            break;
        default:  /* a random fraction with a random denominator */
            mpq_set_si(x, num, 1 + (unsigned long)((bits >> 16) % 100000));
            mpq_canonicalize(x);
            break;
        }

        for (m = 0; m < MODES; m++) {
            assert_int_equal(lp__round(r[m], x, step, (lp_rounding)m), LP_OK);
            /* a multiple of the step */
            assert_true(is_multiple(r[m], step, t));
            /* idempotent, and exact for "unnecessary" */
            assert_int_equal(lp__round(u, r[m], step, (lp_rounding)m), LP_OK);
            assert_true(mpq_equal(u, r[m]));
            assert_int_equal(lp__round(u, r[m], step, LP_ROUND_UNNECESSARY), LP_OK);
            assert_true(mpq_equal(u, r[m]));
            /* |r - x| < step */
            mpq_sub(t, r[m], x);
            q_abs(t, t);
            assert_true(mpq_cmp(t, step) < 0);
            /* the nearest modes are within half a step */
            if (m <= LP_ROUND_HALF_DOWN) {
                mpq_mul(u, step, half);
                assert_true(mpq_cmp(t, u) <= 0);
            }
        }

        /* "unnecessary" fails exactly when x is not a multiple */
        if (is_multiple(x, step, t)) {
            multiples++;
            assert_int_equal(lp__round(u, x, step, LP_ROUND_UNNECESSARY), LP_OK);
            for (m = 0; m < MODES; m++)
                assert_true(mpq_equal(r[m], x));
        } else {
            assert_int_equal(lp__round(u, x, step, LP_ROUND_UNNECESSARY), LP_EINEXACT);
        }

        /* floor <= x <= ceil, and they are equal or one step apart */
        assert_true(mpq_cmp(r[LP_ROUND_FLOOR], x) <= 0);
        assert_true(mpq_cmp(x, r[LP_ROUND_CEIL]) <= 0);
        mpq_sub(t, r[LP_ROUND_CEIL], r[LP_ROUND_FLOOR]);
        assert_true(mpq_sgn(t) == 0 || mpq_equal(t, step));

        /* toward zero never grows the magnitude, away from zero never shrinks it */
        q_abs(t, r[LP_ROUND_TOWARD_ZERO]);
        q_abs(u, x);
        assert_true(mpq_cmp(t, u) <= 0);
        q_abs(t, r[LP_ROUND_AWAY_FROM_ZERO]);
        assert_true(mpq_cmp(t, u) >= 0);
        /* and they are floor/ceiling by sign */
        if (mpq_sgn(x) >= 0) {
            assert_true(mpq_equal(r[LP_ROUND_TOWARD_ZERO], r[LP_ROUND_FLOOR]));
            assert_true(mpq_equal(r[LP_ROUND_AWAY_FROM_ZERO], r[LP_ROUND_CEIL]));
        } else {
            assert_true(mpq_equal(r[LP_ROUND_TOWARD_ZERO], r[LP_ROUND_CEIL]));
            assert_true(mpq_equal(r[LP_ROUND_AWAY_FROM_ZERO], r[LP_ROUND_FLOOR]));
        }

        /* the nearest modes differ only on exact halves: (x - floor) / step == 1/2 */
        mpq_sub(t, x, r[LP_ROUND_FLOOR]);
        mpq_div(t, t, step);
        if (mpq_equal(t, half)) {
            halves++;
            /* ties: half-up away from zero, half-down toward zero, half-even even */
            assert_true(mpq_equal(r[LP_ROUND_HALF_UP], r[LP_ROUND_AWAY_FROM_ZERO]));
            assert_true(mpq_equal(r[LP_ROUND_HALF_DOWN], r[LP_ROUND_TOWARD_ZERO]));
            mpq_div(t, r[LP_ROUND_HALF_EVEN], step);
            assert_true(mpz_even_p(mpq_numref(t)));
        } else {
            assert_true(mpq_equal(r[LP_ROUND_HALF_UP], r[LP_ROUND_HALF_EVEN]));
            assert_true(mpq_equal(r[LP_ROUND_HALF_UP], r[LP_ROUND_HALF_DOWN]));
        }

        /* symmetry: rounding -x mirrors rounding x */
        mpq_neg(t, x);
        assert_int_equal(lp__round(u, t, step, LP_ROUND_HALF_UP), LP_OK);
        mpq_neg(u, u);
        assert_true(mpq_equal(u, r[LP_ROUND_HALF_UP]));
        assert_int_equal(lp__round(u, t, step, LP_ROUND_CEIL), LP_OK);
        mpq_neg(u, u);
        assert_true(mpq_equal(u, r[LP_ROUND_FLOOR]));
    }
    /* the generator really exercised ties and exact multiples */
    assert_true(halves > iterations / 5);
    assert_true(multiples > iterations / 5);

    for (m = 0; m < MODES; m++)
        mpq_clear(r[m]);
    mpq_clears(x, step, t, u, half, NULL);
}

/* Printing agrees with rounding: parse(format(x)) == round(x) for decimal steps. */
static void test_unit_decimal__format_round_trips(void **state)
{
    static const char *const steps[] = { "0.01", "0.1", "1", "10", "100", "0.001", "0.25",
                                         "0.05", "1/8" };
    mpq_t x, step, r, back;
    char *s;
    int i;
    (void)state;
    mpq_inits(x, step, r, back, NULL);
    for (i = 0; i < 5000; i++) {
        uint64_t bits = prng();
        int64_t num = (int64_t)(prng() % 2000000001u) - 1000000000;
        lp_rounding mode = (lp_rounding)((bits >> 4) % MODES);
        mpq_set_si(x, num, 1 + (unsigned long)((bits >> 16) % 5000));
        mpq_canonicalize(x);
        q(step, steps[bits % (sizeof steps / sizeof steps[0])]);
        assert_int_equal(lp__round(r, x, step, mode), LP_OK);
        assert_int_equal(lp__decimal_format(&s, x, step, mode), LP_OK);
        q(back, s);
        if (!mpq_equal(back, r))
            fail_msg("format %s", s);
        assert_true(s[0] != '-' || mpq_sgn(r) < 0);      /* never "-0" */
        lp__free(s);
    }
    mpq_clears(x, step, r, back, NULL);
}

/* ---- allocation failures ------------------------------------------------ */

/* Each allocation of a money pipeline fails in turn: every step returns
 * LP_ENOMEM or succeeds, and nothing leaks (valgrind). */
/* lp__round works in machine integers when every part of x and step fits a
 * long, and with GMP integers otherwise. Rounding x to step is the same as
 * rounding x*K to step*K, then dividing by K: K = 10^25 sends the second
 * through GMP, so both paths must agree on every mode, sign and tie. */
static void test_unit_decimal__round_small_and_big_paths_agree(void **state)
{
    static const char *const steps[] = { "0.01", "1", "0.05", "1/3", "7/40", "100" };
    mpq_t x, step, big_x, big_step, k, r1, r2;
    int i, m, ties = 0;
    (void)state;
    mpq_inits(x, step, big_x, big_step, k, r1, r2, NULL);
    mpz_ui_pow_ui(mpq_numref(k), 10, 25);
    for (i = 0; i < 5000; i++) {
        uint64_t bits = prng();
        int64_t num = (int64_t)(prng() % 2000001u) - 1000000;
        q(step, steps[bits % (sizeof steps / sizeof steps[0])]);
        mpq_set_si(x, num, (unsigned long)(1 + (bits >> 8) % 400));
        mpq_canonicalize(x);
        if ((bits >> 20) % 4 == 0) {        /* an exact tie: (n + 1/2) x step */
            mpq_set_si(x, 2 * (num / 100) + 1, 2);
            mpq_mul(x, x, step);
            ties++;
        }
        mpq_mul(big_x, x, k);
        mpq_mul(big_step, step, k);
        assert_false(mpz_fits_slong_p(mpq_numref(big_step)));
        for (m = 0; m < LP_ROUND_UNNECESSARY; m++) {
            assert_int_equal(lp__round(r1, x, step, (lp_rounding)m), LP_OK);
            assert_int_equal(lp__round(r2, big_x, big_step, (lp_rounding)m), LP_OK);
            mpq_div(r2, r2, k);
            if (!mpq_equal(r1, r2))
                fail_msg("mode %d: %s to %s gives %s (machine) and %s (GMP)", m, mpq_get_str(NULL, 10, x),
                         mpq_get_str(NULL, 10, step), mpq_get_str(NULL, 10, r1), mpq_get_str(NULL, 10, r2));
        }
        assert_int_equal(lp__round(r1, x, step, LP_ROUND_UNNECESSARY),
                         lp__round(r2, big_x, big_step, LP_ROUND_UNNECESSARY));
    }
    assert_true(ties > 500);
    mpq_clears(x, step, big_x, big_step, k, r1, r2, NULL);
}

/* A product or quotient rounded without being brought to lowest terms first
 * (lp__round_product, formula_eval.c's round of a product) gives what
 * lp__round gives on the product GMP computes, in every mode, on operands
 * with common factors (amounts in cents over rates in 1/10^7), exact ties,
 * negative values, and operands too large for the machine words (then it
 * declines, returning 0, and writes nothing). */
static void test_unit_decimal__round_of_a_product_matches_gmp(void **state)
{
    static const char *const steps[] = { "0.01", "1", "0.10", "1/3", "7/40", "100" };
    static const long dens[] = { 1, 100, 10000000, 12, 3, 1000000007 };
    mpq_t x, y, step, prod, r1, r2;
    int i, m, done = 0, declined = 0;
    (void)state;
    mpq_inits(x, y, step, prod, r1, r2, NULL);
    for (i = 0; i < 20000; i++) {
        uint64_t bits = prng();
        int divide = (bits >> 3) % 3 == 0;
        q(step, steps[bits % (sizeof steps / sizeof steps[0])]);
        mpq_set_si(x, (long)(prng() % 200000001u) - 100000000, (unsigned long)dens[(bits >> 8) % 6]);
        mpq_set_si(y, (long)(prng() % 20000001u) - 10000000, (unsigned long)dens[(bits >> 12) % 6]);
        if ((bits >> 16) % 7 == 0)          /* beyond the machine words */
            mpz_mul_2exp(mpq_numref(y), mpq_numref(y), 70);
        mpq_canonicalize(x);
        mpq_canonicalize(y);
        if (divide && mpq_sgn(y) == 0)
            continue;
        if (divide)
            mpq_div(prod, x, y);
        else
            mpq_mul(prod, x, y);
        if ((bits >> 20) % 4 == 0) {        /* make the product an exact tie: (n + 1/2) x step */
            mpq_set_si(prod, 2 * (long)((bits >> 24) % 100000) - 100000 + 1, 2);
            mpq_mul(prod, prod, step);
            mpq_set(x, prod);
            mpq_set_ui(y, 1, 1);
            divide = 0;
        }
        for (m = 0; m <= LP_ROUND_UNNECESSARY; m++) {
            int rc2;
            mpq_set_si(r1, 12345, 1);       /* a declined call writes nothing */
            rc2 = lp__round(r2, prod, step, (lp_rounding)m);
            if (lp__round_product(r1, x, y, divide, step, (lp_rounding)m)) {
                assert_int_equal(rc2, LP_OK);
                if (!mpq_equal(r1, r2))
                    fail_msg("mode %d: %s %s %s to %s gives %s, lp__round %s", m, mpq_get_str(NULL, 10, x),
                             divide ? "/" : "x", mpq_get_str(NULL, 10, y), mpq_get_str(NULL, 10, step),
                             mpq_get_str(NULL, 10, r1), mpq_get_str(NULL, 10, r2));
                done++;
            } else {
                assert_true(mpq_cmp_si(r1, 12345, 1) == 0);
                declined++;
            }
        }
    }
    assert_true(done > 50000);
    assert_true(declined > 5000);
    mpq_clears(x, y, step, prod, r1, r2, NULL);
}

/* Results write amounts from machine integers when numerator and denominator
 * fit a long (result.c), and through GMP otherwise: both must give the text
 * the GMP formatting gives, on random values up to the edges of a long. */
static void test_unit_decimal__result_texts_match_gmp_formatting(void **state)
{
    static const unsigned long dens[] = { 1, 2, 3, 4, 7, 8, 12, 40, 64, 100, 1000, 3125, 1000000,
                                          2000000, 78125000, 9 };
    static const char *const currencies[] = { "PHP", "JPY", "KWD", "USD" };
    lp_result *r = lp__result_new();
    mpq_t x, step;
    int i;
    (void)state;
    assert_non_null(r);
    mpq_inits(x, step, NULL);
    for (i = 0; i < 20000; i++) {
        uint64_t bits = prng();
        int64_t num = (int64_t)(prng() >> (bits % 3 == 0 ? 1 : 24));   /* up to 2^63 - 1, or small */
        const char *cur = currencies[(bits >> 4) % 4];
        int minor = lp__currency_minor_units(cur, 3);
        char *want = NULL, *want_exact = NULL;
        const char *got;
        lp__amount a = { 0 };
        if (bits & 0x100)
            num = -num;
        mpq_set_si(x, num, dens[(bits >> 12) % (sizeof dens / sizeof dens[0])]);
        if (bits % 7 == 0)         /* beyond a long: the GMP path */
            mpz_mul_2exp(mpq_numref(x), mpq_numref(x), 70);
        mpq_canonicalize(x);
        /* value_text: the exact decimal up to 6 decimals, else num/den */
        got = lp__value_text(r, x);
        if (lp__decimal_exact(&want, x, 6) != 1)
            want = lp__rational_format(x);
        assert_non_null(got);
        assert_string_equal(got, want);
        lp__free(want);
        /* an amount: half-up to the currency's minor unit, and the exact value when rounded */
        mpq_set_ui(step, 1, 1);
        mpz_ui_pow_ui(mpq_denref(step), 10, (unsigned long)minor);
        assert_int_equal(lp__decimal_format_min(&want, x, step, LP_ROUND_HALF_UP, (unsigned)minor), LP_OK);
        mpq_div(step, x, step);    /* x in minor units: exact when an integer */
        if (mpz_cmp_ui(mpq_denref(step), 1) != 0)
            want_exact = lp__rational_format(x);
        assert_int_equal(lp__amount_set(r, &a, LP_AMOUNT_PAYABLE, x, NULL, cur), LP_OK);
        assert_string_equal(a.value, want);
        if (want_exact)
            assert_string_equal(a.exact, want_exact);
        else
            assert_null(a.exact);
        /* the exact value is kept beside the text */
        assert_true(mpq_equal(a.figure, x));
        assert_true(a.unrounded == a.figure);
        lp__free(want);
        lp__free(want_exact);
    }
    mpq_clears(x, step, NULL);
    lp_result_free(r);
}

static void test_unit_decimal__allocation_failures_are_clean(void **state)
{
    unsigned long n;
    int completed = 0;
    (void)state;
    for (n = 1; n < 100 && !completed; n++) {
        lp_money *yen = NULL, *usd = NULL, *r = NULL, *sum = NULL;
        char *dec = NULL, *rat = NULL;
        int rc;
        lp__alloc_fail_at(n);
        rc = lp_money_from_string(&yen, "103962.5", "JPY");
        if (rc == LP_OK)
            rc = lp_money_convert(&usd, yen, "USD", "1/150", "2024-03-01");
        if (rc == LP_OK)
            rc = lp_money_round(&r, usd, "0.01", LP_ROUND_HALF_UP);
        if (rc == LP_OK)
            rc = lp_money_add(&sum, r, r);
        if (rc == LP_OK)
            rc = lp_money_to_decimal_string(&dec, sum, "0.10", LP_ROUND_FLOOR);
        if (rc == LP_OK)
            rc = lp_money_to_rational_string(&rat, sum);
        if (rc == LP_OK) {
            assert_string_equal(dec, "1386.10");          /* 2 x 693.08 = 1386.16 */
            assert_string_equal(rat, "34654/25");
            completed = lp__alloc_count() < n;
        } else {
            assert_int_equal(rc, LP_ENOMEM);
            assert_int_equal(lp_error_last()->code, LP_ENOMEM);
        }
        lp_money_free(yen);
        lp_money_free(usd);
        lp_money_free(r);
        lp_money_free(sum);
        lp__free(dec);
        lp__free(rat);
    }
    lp__alloc_fail_at(0);
    assert_true(completed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unit_decimal__parse_accepts),
        cmocka_unit_test(test_unit_decimal__parse_rejects),
        cmocka_unit_test(test_unit_decimal__parse_digit_limits),
        cmocka_unit_test(test_unit_decimal__parse_is_length_bounded),
        cmocka_unit_test(test_unit_decimal__parse_matches_gmp_on_long_integers),
        cmocka_unit_test(test_unit_decimal__round_aliases_and_errors),
        cmocka_unit_test(test_unit_decimal__format),
        cmocka_unit_test(test_unit_decimal__rational_and_exact_output),
        cmocka_unit_test(test_unit_decimal__rounding_parse),
        cmocka_unit_test(test_unit_decimal__currency_table_is_sorted_and_searchable),
        cmocka_unit_test(test_unit_decimal__currency_minor_units),
        cmocka_unit_test(test_unit_decimal__rounding_properties),
        cmocka_unit_test(test_unit_decimal__format_round_trips),
        cmocka_unit_test(test_unit_decimal__round_small_and_big_paths_agree),
        cmocka_unit_test(test_unit_decimal__round_of_a_product_matches_gmp),
        cmocka_unit_test(test_unit_decimal__result_texts_match_gmp_formatting),
        cmocka_unit_test(test_unit_decimal__allocation_failures_are_clean),
    };
    return cmocka_run_group_tests_name("unit_decimal", tests, NULL, NULL);
}
