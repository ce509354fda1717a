/* Public money API: exact amounts, arithmetic, rounding names, currencies,
 * exchange; every documented error, and *out NULL after each failure. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include <portability.h>

/* A sentinel that is not NULL, to prove constructors reset *out on failure. */
#define NOT_NULL ((void *)&sentinel)
static int sentinel;

static lp_money *money(const char *amount, const char *currency)
{
    lp_money *m = NULL;
    int rc = lp_money_from_string(&m, amount, currency);
    if (rc != LP_OK)
        fail_msg("lp_money_from_string(\"%s\", \"%s\") = %d: %s", amount, currency, rc,
                 lp_error_last()->message);
    return m;
}

static void assert_rational(const lp_money *m, const char *expected)
{
    char *s = NULL;
    assert_int_equal(lp_money_to_rational_string(&s, m), LP_OK);
    assert_string_equal(s, expected);
    lp_free(s);
}

static void assert_decimal(const lp_money *m, const char *step, lp_rounding mode,
                           const char *expected)
{
    char *s = NULL;
    int rc = lp_money_to_decimal_string(&s, m, step, mode);
    if (rc != LP_OK)
        fail_msg("to_decimal_string(step %s) = %d: %s", step, rc, lp_error_last()->message);
    assert_string_equal(s, expected);
    lp_free(s);
}

/* The last error has this code and a non-empty message. */
static void assert_last_error(int code)
{
    const lp_error *e = lp_error_last();
    assert_int_equal(e->code, code);
    assert_true(e->message[0] != '\0');
}

/* from_string fails with code, leaves *out NULL and sets the last error. */
static void assert_from_string_fails(const char *amount, const char *currency, int code)
{
    lp_money *m = NOT_NULL;
    lp_error_clear();
    assert_int_equal(lp_money_from_string(&m, amount, currency), code);
    assert_null(m);
    assert_last_error(code);
}

/* ---- construction and output -------------------------------------------- */

static void test_money__from_string_reads_decimals_and_fractions(void **state)
{
    static const struct { const char *in, *rational; } cases[] = {
        { "0", "0" },            { "-0", "0" },           { "12", "12" },
        { "-12.345", "-2469/200" }, { "+0.5", "1/2" },    { ".5", "1/2" },
        { "5.", "5" },           { "007.50", "15/2" },    { "-3/4", "-3/4" },
        { "6/8", "3/4" },        { "+10/5", "2" },        { "0.000001", "1/1000000" },
        { "123456789012345678901234567890.5", "246913578024691357802469135781/2" },
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lp_money *m = money(cases[i].in, "USD");
        assert_rational(m, cases[i].rational);
        assert_string_equal(lp_money_currency(m), "USD");
        lp_money_free(m);
    }
}

static void test_money__from_string_rejects_malformed_text(void **state)
{
    static const char *const bad[] = {
        "", ".", "+", "-", "1e5", "1E5", "1,000", "1 000", " 1", "1 ", "0x10", "1.2.3",
        "--1", "3/-4", "1.5/2", "/4", "3/", "abc", "12a", "\xc2\xbd", "NaN", "inf",
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_from_string_fails(bad[i], "USD", LP_EPARSE);
}

static void test_money__from_string_limits_digits(void **state)
{
    char *big = malloc(10002);
    lp_money *m = NULL;
    (void)state;
    assert_non_null(big);
    /* a 10,000-digit amount is refused, not computed */
    memset(big, '9', 10000);
    big[10000] = '\0';
    assert_from_string_fails(big, "USD", LP_ERANGE);
    /* 64 digits is the limit, 65 is over */
    big[64] = '\0';
    assert_int_equal(lp_money_from_string(&m, big, "USD"), LP_OK);
    lp_money_free(m);
    big[64] = '9';
    big[65] = '\0';
    assert_from_string_fails(big, "USD", LP_ERANGE);
    free(big);
}

static void test_money__from_string_zero_denominator_is_edivzero(void **state)
{
    (void)state;
    assert_from_string_fails("3/0", "USD", LP_EDIVZERO);
    assert_from_string_fails("-3/000", "USD", LP_EDIVZERO);
}

static void test_money__from_string_unknown_currency(void **state)
{
    static const char *const bad[] = { "XYZ", "usd", "US", "USDD", "", "XAU", "BGN1" };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_from_string_fails("1", bad[i], LP_ECURRENCY);
}

static void test_money__from_string_null_arguments(void **state)
{
    (void)state;
    assert_int_equal(lp_money_from_string(NULL, "1", "USD"), LP_EINVAL);
    assert_last_error(LP_EINVAL);
    assert_from_string_fails(NULL, "USD", LP_EINVAL);
    assert_from_string_fails("1", NULL, LP_EINVAL);
}

static void test_money__free_and_getters_accept_null(void **state)
{
    (void)state;
    lp_money_free(NULL);
    assert_null(lp_money_currency(NULL));
    assert_null(lp_money_exchange_rate(NULL));
    assert_null(lp_money_exchange_date(NULL));
    assert_null(lp_money_exchange_from(NULL));
}

static void test_money__to_rational_string_errors(void **state)
{
    char *s = NOT_NULL;
    lp_money *m = money("1", "JPY");
    (void)state;
    assert_int_equal(lp_money_to_rational_string(&s, NULL), LP_EINVAL);
    assert_null(s);
    assert_last_error(LP_EINVAL);
    assert_int_equal(lp_money_to_rational_string(NULL, m), LP_EINVAL);
    lp_money_free(m);
}

static void test_money__to_decimal_string_prints_the_step_decimals(void **state)
{
    lp_money *m = money("6400/3", "USD");      /* 2133.333... */
    lp_money *n = money("-0.004", "USD");
    lp_money *y = money("831700", "JPY");
    (void)state;
    assert_decimal(m, "0.01", LP_ROUND_HALF_UP, "2133.33");
    assert_decimal(m, "0.10", LP_ROUND_FLOOR, "2133.30");  /* written decimals kept */
    assert_decimal(m, "0.1", LP_ROUND_FLOOR, "2133.3");
    assert_decimal(m, "1", LP_ROUND_CEIL, "2134");
    assert_decimal(m, "1.000", LP_ROUND_CEIL, "2134.000");
    assert_decimal(m, "0.001", LP_ROUND_HALF_EVEN, "2133.333");
    assert_decimal(m, "1/4", LP_ROUND_HALF_UP, "2133.25");
    assert_decimal(m, "100", LP_ROUND_HALF_UP, "2100");
    assert_decimal(n, "0.01", LP_ROUND_HALF_UP, "0.00");    /* no "-0.00" */
    assert_decimal(n, "0.01", LP_ROUND_FLOOR, "-0.01");
    assert_decimal(y, "100", LP_ROUND_UNNECESSARY, "831700");
    assert_decimal(y, "1", LP_ROUND_UNNECESSARY, "831700");
    lp_money_free(m);
    lp_money_free(n);
    lp_money_free(y);
}

static void test_money__to_decimal_string_errors(void **state)
{
    static const struct { const char *step; lp_rounding mode; int code; } cases[] = {
        { "0.01", LP_ROUND_UNNECESSARY, LP_EINEXACT },
        { "0", LP_ROUND_HALF_UP, LP_EINVAL },
        { "-0.01", LP_ROUND_HALF_UP, LP_EINVAL },
        { "1/3", LP_ROUND_HALF_UP, LP_EINVAL },     /* no finite decimal expansion */
        { "0.01", (lp_rounding)99, LP_EINVAL },
        { "0.01", (lp_rounding)-1, LP_EINVAL },
        { "cent", LP_ROUND_HALF_UP, LP_EPARSE },
        { "1/0", LP_ROUND_HALF_UP, LP_EDIVZERO },
    };
    lp_money *m = money("1/3", "EUR");
    char *s;
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        s = NOT_NULL;
        lp_error_clear();
        assert_int_equal(lp_money_to_decimal_string(&s, m, cases[i].step, cases[i].mode),
                         cases[i].code);
        assert_null(s);
        assert_last_error(cases[i].code);
    }
    s = NOT_NULL;
    assert_int_equal(lp_money_to_decimal_string(&s, NULL, "1", LP_ROUND_FLOOR), LP_EINVAL);
    assert_null(s);
    s = NOT_NULL;
    assert_int_equal(lp_money_to_decimal_string(&s, m, NULL, LP_ROUND_FLOOR), LP_EINVAL);
    assert_null(s);
    assert_int_equal(lp_money_to_decimal_string(NULL, m, "1", LP_ROUND_FLOOR), LP_EINVAL);
    lp_money_free(m);
}

/* ---- arithmetic --------------------------------------------------------- */

static void test_money__add_sub_are_exact(void **state)
{
    lp_money *a = money("0.1", "EUR"), *b = money("0.2", "EUR"), *third = money("1/3", "EUR");
    lp_money *r = NULL;
    (void)state;
    assert_int_equal(lp_money_add(&r, a, b), LP_OK);
    assert_rational(r, "3/10");                    /* not 0.30000000000000004 */
    lp_money_free(r);
    assert_int_equal(lp_money_sub(&r, a, third), LP_OK);
    assert_rational(r, "-7/30");
    assert_string_equal(lp_money_currency(r), "EUR");
    lp_money_free(r);
    /* operands are untouched (immutable values) */
    assert_rational(a, "1/10");
    assert_rational(b, "1/5");
    lp_money_free(a);
    lp_money_free(b);
    lp_money_free(third);
}

static void test_money__add_sub_currency_mismatch(void **state)
{
    lp_money *usd = money("1", "USD"), *jpy = money("1", "JPY");
    lp_money *r = NOT_NULL;
    (void)state;
    assert_int_equal(lp_money_add(&r, usd, jpy), LP_ECURRENCY);
    assert_null(r);
    assert_last_error(LP_ECURRENCY);
    assert_non_null(strstr(lp_error_last()->message, "JPY"));
    r = NOT_NULL;
    assert_int_equal(lp_money_sub(&r, jpy, usd), LP_ECURRENCY);
    assert_null(r);
    lp_money_free(usd);
    lp_money_free(jpy);
}

static void test_money__add_sub_null_arguments(void **state)
{
    lp_money *a = money("1", "USD");
    lp_money *r = NOT_NULL;
    (void)state;
    assert_int_equal(lp_money_add(&r, a, NULL), LP_EINVAL);
    assert_null(r);
    r = NOT_NULL;
    assert_int_equal(lp_money_sub(&r, NULL, a), LP_EINVAL);
    assert_null(r);
    assert_int_equal(lp_money_add(NULL, a, a), LP_EINVAL);
    assert_int_equal(lp_money_sub(NULL, a, a), LP_EINVAL);
    assert_last_error(LP_EINVAL);
    lp_money_free(a);
}

static void test_money__mul_div_are_exact(void **state)
{
    lp_money *m = money("727.67", "CAD"), *r = NULL, *back = NULL;
    (void)state;
    assert_int_equal(lp_money_mul(&r, m, "4/40"), LP_OK);
    assert_rational(r, "72767/1000");
    assert_int_equal(lp_money_div(&back, r, "0.1"), LP_OK);
    assert_rational(back, "72767/100");             /* back to 727.67 exactly */
    lp_money_free(back);
    lp_money_free(r);
    assert_int_equal(lp_money_div(&r, m, "3"), LP_OK);
    assert_rational(r, "72767/300");
    assert_string_equal(lp_money_currency(r), "CAD");
    lp_money_free(r);
    assert_int_equal(lp_money_mul(&r, m, "-1"), LP_OK);
    assert_rational(r, "-72767/100");
    lp_money_free(r);
    lp_money_free(m);
}

static void test_money__div_by_zero_is_edivzero(void **state)
{
    static const char *const zeros[] = { "0", "-0", "0.000", "0/7", "7/0" };
    lp_money *m = money("10", "PHP");
    lp_money *r;
    size_t i;
    (void)state;
    for (i = 0; i < sizeof zeros / sizeof zeros[0]; i++) {
        r = NOT_NULL;
        lp_error_clear();
        assert_int_equal(lp_money_div(&r, m, zeros[i]), LP_EDIVZERO);
        assert_null(r);
        assert_last_error(LP_EDIVZERO);
    }
    /* multiplying by zero is fine */
    assert_int_equal(lp_money_mul(&r, m, "0"), LP_OK);
    assert_true(lp_money_is_zero(r));
    lp_money_free(r);
    lp_money_free(m);
}

static void test_money__mul_div_bad_factor(void **state)
{
    lp_money *m = money("10", "PHP");
    lp_money *r = NOT_NULL;
    char big[80];
    (void)state;
    assert_int_equal(lp_money_mul(&r, m, "1.1.1"), LP_EPARSE);
    assert_null(r);
    r = NOT_NULL;
    assert_int_equal(lp_money_div(&r, m, "2e3"), LP_EPARSE);
    assert_null(r);
    memset(big, '1', 70);
    big[70] = '\0';
    r = NOT_NULL;
    assert_int_equal(lp_money_mul(&r, m, big), LP_ERANGE);
    assert_null(r);
    r = NOT_NULL;
    assert_int_equal(lp_money_mul(&r, m, "1/0"), LP_EDIVZERO);
    assert_null(r);
    r = NOT_NULL;
    assert_int_equal(lp_money_mul(&r, NULL, "1"), LP_EINVAL);
    assert_null(r);
    r = NOT_NULL;
    assert_int_equal(lp_money_div(&r, m, NULL), LP_EINVAL);
    assert_null(r);
    assert_int_equal(lp_money_mul(NULL, m, "1"), LP_EINVAL);
    lp_money_free(m);
}

static void test_money__neg(void **state)
{
    lp_money *m = money("-3/4", "KRW"), *r = NULL;
    (void)state;
    assert_int_equal(lp_money_neg(&r, m), LP_OK);
    assert_rational(r, "3/4");
    assert_string_equal(lp_money_currency(r), "KRW");
    lp_money_free(r);
    r = NOT_NULL;
    assert_int_equal(lp_money_neg(&r, NULL), LP_EINVAL);
    assert_null(r);
    assert_int_equal(lp_money_neg(NULL, m), LP_EINVAL);
    lp_money_free(m);
}

static void test_money__round_to_any_step(void **state)
{
    lp_money *m = money("1640.92", "USD"), *r = NULL;
    lp_money *t = money("10/3", "USD"), *h = money("1640.5", "USD");
    (void)state;
    assert_int_equal(lp_money_round(&r, m, "0.10", LP_ROUND_FLOOR), LP_OK);
    assert_rational(r, "16409/10");
    lp_money_free(r);
    assert_int_equal(lp_money_round(&r, m, "1", LP_ROUND_HALF_UP), LP_OK);
    assert_rational(r, "1641");
    lp_money_free(r);
    /* steps need not be decimal for lp_money_round */
    assert_int_equal(lp_money_round(&r, t, "1/3", LP_ROUND_UNNECESSARY), LP_OK);
    assert_rational(r, "10/3");
    lp_money_free(r);
    /* 1640.5 = 4921.5 thirds: a tie between 4921/3 and 4922/3 */
    assert_int_equal(lp_money_round(&r, h, "1/3", LP_ROUND_HALF_EVEN), LP_OK);
    assert_rational(r, "4922/3");
    lp_money_free(r);
    assert_int_equal(lp_money_round(&r, h, "1/3", LP_ROUND_HALF_DOWN), LP_OK);
    assert_rational(r, "4921/3");
    lp_money_free(r);
    assert_int_equal(lp_money_round(&r, m, "1/3", LP_ROUND_HALF_EVEN), LP_OK);
    assert_rational(r, "1641");                      /* 4922.76 thirds -> 4923/3 */
    lp_money_free(r);
    lp_money_free(m);
    lp_money_free(h);
    lp_money_free(t);
}

static void test_money__round_errors(void **state)
{
    lp_money *m = money("1640.92", "USD");
    lp_money *r;
    (void)state;
    r = NOT_NULL;
    assert_int_equal(lp_money_round(&r, m, "0.10", LP_ROUND_UNNECESSARY), LP_EINEXACT);
    assert_null(r);
    assert_last_error(LP_EINEXACT);
    r = NOT_NULL;
    assert_int_equal(lp_money_round(&r, m, "0", LP_ROUND_FLOOR), LP_EINVAL);
    assert_null(r);
    r = NOT_NULL;
    assert_int_equal(lp_money_round(&r, m, "-1", LP_ROUND_FLOOR), LP_EINVAL);
    assert_null(r);
    r = NOT_NULL;
    assert_int_equal(lp_money_round(&r, m, "1", (lp_rounding)42), LP_EINVAL);
    assert_null(r);
    r = NOT_NULL;
    assert_int_equal(lp_money_round(&r, m, "dime", LP_ROUND_FLOOR), LP_EPARSE);
    assert_null(r);
    r = NOT_NULL;
    assert_int_equal(lp_money_round(&r, NULL, "1", LP_ROUND_FLOOR), LP_EINVAL);
    assert_null(r);
    r = NOT_NULL;
    assert_int_equal(lp_money_round(&r, m, NULL, LP_ROUND_FLOOR), LP_EINVAL);
    assert_null(r);
    assert_int_equal(lp_money_round(NULL, m, "1", LP_ROUND_FLOOR), LP_EINVAL);
    lp_money_free(m);
}

/* ---- comparison --------------------------------------------------------- */

static void test_money__compare(void **state)
{
    lp_money *a = money("1/3", "THB"), *b = money("0.3333333333", "THB");
    lp_money *c = money("2/6", "THB"), *d = money("1/3", "VND");
    int cmp = 7;
    (void)state;
    assert_int_equal(lp_money_compare(&cmp, a, b), LP_OK);
    assert_int_equal(cmp, 1);
    assert_int_equal(lp_money_compare(&cmp, b, a), LP_OK);
    assert_int_equal(cmp, -1);
    assert_int_equal(lp_money_compare(&cmp, a, c), LP_OK);
    assert_int_equal(cmp, 0);
    cmp = 7;
    assert_int_equal(lp_money_compare(&cmp, a, d), LP_ECURRENCY);
    assert_last_error(LP_ECURRENCY);
    assert_int_equal(cmp, 7);
    assert_int_equal(lp_money_compare(NULL, a, b), LP_EINVAL);
    assert_int_equal(lp_money_compare(&cmp, NULL, b), LP_EINVAL);
    assert_int_equal(lp_money_compare(&cmp, a, NULL), LP_EINVAL);
    lp_money_free(a);
    lp_money_free(b);
    lp_money_free(c);
    lp_money_free(d);
}

static void test_money__is_zero_and_sign(void **state)
{
    lp_money *z = money("-0.000", "SGD"), *p = money("1/1000000", "SGD"), *n = money("-5", "SGD");
    (void)state;
    assert_true(lp_money_is_zero(z));
    assert_false(lp_money_is_zero(p));
    assert_int_equal(lp_money_sign(z), 0);
    assert_int_equal(lp_money_sign(p), 1);
    assert_int_equal(lp_money_sign(n), -1);
    lp_error_clear();
    assert_int_equal(lp_money_is_zero(NULL), 0);
    assert_last_error(LP_EINVAL);
    lp_error_clear();
    assert_int_equal(lp_money_sign(NULL), 0);
    assert_last_error(LP_EINVAL);
    lp_money_free(z);
    lp_money_free(p);
    lp_money_free(n);
}

/* ---- rounding names and currencies -------------------------------------- */

static void test_money__rounding_names(void **state)
{
    static const struct { const char *name; lp_rounding mode; } cases[] = {
        { "half-up", LP_ROUND_HALF_UP },       { "half-even", LP_ROUND_HALF_EVEN },
        { "half-down", LP_ROUND_HALF_DOWN },   { "ceiling", LP_ROUND_CEIL },
        { "up", LP_ROUND_CEIL },               { "floor", LP_ROUND_FLOOR },
        { "down", LP_ROUND_FLOOR },            { "toward-zero", LP_ROUND_TOWARD_ZERO },
        { "away-from-zero", LP_ROUND_AWAY_FROM_ZERO }, { "unnecessary", LP_ROUND_UNNECESSARY },
    };
    size_t i;
    int mode;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lp_rounding r = (lp_rounding)-1;
        assert_int_equal(lp_rounding_from_string(&r, cases[i].name), LP_OK);
        assert_int_equal(r, cases[i].mode);
    }
    /* every mode has a name that reads back */
    for (mode = LP_ROUND_HALF_UP; mode <= LP_ROUND_UNNECESSARY; mode++) {
        lp_rounding r = (lp_rounding)-1;
        const char *name = lp_rounding_to_string((lp_rounding)mode);
        assert_non_null(name);
        assert_int_equal(lp_rounding_from_string(&r, name), LP_OK);
        assert_int_equal(r, mode);
    }
    assert_string_equal(lp_rounding_to_string(LP_ROUND_CEIL), "ceiling");
    assert_string_equal(lp_rounding_to_string(LP_ROUND_FLOOR), "floor");
    assert_null(lp_rounding_to_string((lp_rounding)99));
    assert_null(lp_rounding_to_string((lp_rounding)-1));
}

static void test_money__rounding_from_string_errors(void **state)
{
    static const char *const bad[] = { "", "HALF-UP", "half_up", "halfup", "half-up ", "ceil",
                                       "round", "bankers" };
    size_t i;
    lp_rounding r = LP_ROUND_HALF_EVEN;
    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lp_error_clear();
        assert_int_equal(lp_rounding_from_string(&r, bad[i]), LP_EPARSE);
        assert_last_error(LP_EPARSE);
        /* the message lists the valid names */
        assert_non_null(strstr(lp_error_last()->message, "half-even"));
        assert_non_null(strstr(lp_error_last()->message, "away-from-zero"));
        assert_int_equal(r, LP_ROUND_HALF_EVEN);
    }
    assert_int_equal(lp_rounding_from_string(NULL, "up"), LP_EINVAL);
    assert_int_equal(lp_rounding_from_string(&r, NULL), LP_EINVAL);
}

static void test_money__currency_minor_units(void **state)
{
    static const struct { const char *code; int units; } cases[] = {
        { "JPY", 0 }, { "KRW", 0 }, { "VND", 0 }, { "PHP", 2 }, { "USD", 2 }, { "EUR", 2 },
        { "CAD", 2 }, { "KWD", 3 }, { "BHD", 3 }, { "OMR", 3 }, { "CLF", 4 }, { "AED", 2 },
        { "XOF", 0 },
    };
    size_t i;
    int units;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        units = 99;
        assert_int_equal(lp_currency_minor_units(&units, cases[i].code), LP_OK);
        assert_int_equal(units, cases[i].units);
    }
    units = 99;
    assert_int_equal(lp_currency_minor_units(&units, "ZZZ"), LP_ECURRENCY);
    assert_int_equal(units, -1);
    assert_last_error(LP_ECURRENCY);
    units = 99;
    assert_int_equal(lp_currency_minor_units(&units, "jpy"), LP_ECURRENCY);
    assert_int_equal(units, -1);
    units = 99;
    assert_int_equal(lp_currency_minor_units(&units, NULL), LP_EINVAL);
    assert_int_equal(units, -1);
    assert_int_equal(lp_currency_minor_units(NULL, "USD"), LP_EINVAL);
}

/* ---- exchange ----------------------------------------------------------- */

static void test_money__convert_keeps_rate_and_date(void **state)
{
    lp_money *yen = money("103963", "JPY"), *usd = NULL, *r = NULL;
    (void)state;
    assert_null(lp_money_exchange_rate(yen));
    assert_null(lp_money_exchange_date(yen));
    assert_null(lp_money_exchange_from(yen));
    assert_int_equal(lp_money_convert(&usd, yen, "USD", "0.00650", "2024-03-01"), LP_OK);
    assert_string_equal(lp_money_currency(usd), "USD");
    assert_rational(usd, "1351519/2000");          /* 103963 x 0.0065 = 675.7595 */
    assert_decimal(usd, "0.01", LP_ROUND_HALF_UP, "675.76");
    assert_string_equal(lp_money_exchange_rate(usd), "0.0065");
    assert_string_equal(lp_money_exchange_date(usd), "2024-03-01");
    assert_string_equal(lp_money_exchange_from(usd), "JPY");
    /* values derived from a converted amount keep its record */
    assert_int_equal(lp_money_round(&r, usd, "0.01", LP_ROUND_HALF_UP), LP_OK);
    assert_string_equal(lp_money_exchange_rate(r), "0.0065");
    assert_string_equal(lp_money_exchange_date(r), "2024-03-01");
    assert_string_equal(lp_money_exchange_from(r), "JPY");
    lp_money_free(r);
    assert_int_equal(lp_money_mul(&r, usd, "12"), LP_OK);
    assert_string_equal(lp_money_exchange_date(r), "2024-03-01");
    lp_money_free(r);
    assert_int_equal(lp_money_neg(&r, usd), LP_OK);
    assert_string_equal(lp_money_exchange_from(r), "JPY");
    lp_money_free(r);
    assert_int_equal(lp_money_add(&r, usd, usd), LP_OK);   /* same record: kept */
    assert_string_equal(lp_money_exchange_rate(r), "0.0065");
    lp_money_free(r);
    lp_money_free(usd);
    lp_money_free(yen);
}

static void test_money__convert_rational_rate_and_mixed_records(void **state)
{
    lp_money *yen = money("300", "JPY"), *usd = NULL, *plain = money("1", "USD");
    lp_money *eur = NULL, *sum = NULL;
    (void)state;
    assert_int_equal(lp_money_convert(&usd, yen, "USD", "1/150", "2000-02-29"), LP_OK);
    assert_rational(usd, "2");
    assert_string_equal(lp_money_exchange_rate(usd), "1/150");
    /* adding a converted and a plain amount drops the record (no single rate) */
    assert_int_equal(lp_money_add(&sum, usd, plain), LP_OK);
    assert_rational(sum, "3");
    assert_null(lp_money_exchange_rate(sum));
    assert_null(lp_money_exchange_date(sum));
    assert_null(lp_money_exchange_from(sum));
    lp_money_free(sum);
    /* converting again replaces the record */
    assert_int_equal(lp_money_convert(&eur, usd, "EUR", "0.9", "2024-12-31"), LP_OK);
    assert_rational(eur, "9/5");
    assert_string_equal(lp_money_exchange_from(eur), "USD");
    assert_string_equal(lp_money_exchange_rate(eur), "0.9");
    assert_string_equal(lp_money_exchange_date(eur), "2024-12-31");
    lp_money_free(eur);
    lp_money_free(usd);
    lp_money_free(plain);
    lp_money_free(yen);
}

static void test_money__convert_errors(void **state)
{
    static const struct { const char *to, *rate, *date; int code; } cases[] = {
        { "XYZ", "1", "2024-01-01", LP_ECURRENCY },
        { "JPY", "1", "2024-01-01", LP_EINVAL },      /* already in JPY */
        { "USD", "0", "2024-01-01", LP_EINVAL },
        { "USD", "-0.0065", "2024-01-01", LP_EINVAL },
        { "USD", "0.0065x", "2024-01-01", LP_EPARSE },
        { "USD", "1/0", "2024-01-01", LP_EDIVZERO },
        { "USD", "1", "2025-02-30", LP_ERANGE },
        { "USD", "1", "2023-02-29", LP_ERANGE },
        { "USD", "1", "1900-02-29", LP_ERANGE },
        { "USD", "1", "2024-13-01", LP_ERANGE },
        { "USD", "1", "2024-04-31", LP_ERANGE },
        { "USD", "1", "2024-00-10", LP_ERANGE },
        { "USD", "1", "2024-01-00", LP_ERANGE },
        { "USD", "1", "0000-01-01", LP_ERANGE },
        { "USD", "1", "2024-1-01", LP_EPARSE },
        { "USD", "1", "2024/01/01", LP_EPARSE },
        { "USD", "1", "2024-01-01T00:00", LP_EPARSE },
        { "USD", "1", "", LP_EPARSE },
        { "USD", "1", "20240101", LP_EPARSE },
        { "USD", "1", "+024-01-01", LP_EPARSE },
    };
    lp_money *yen = money("1000", "JPY");
    lp_money *r;
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        r = NOT_NULL;
        lp_error_clear();
        if (lp_money_convert(&r, yen, cases[i].to, cases[i].rate, cases[i].date) != cases[i].code)
            fail_msg("case %zu (%s %s %s): got %d, want %d", i, cases[i].to, cases[i].rate,
                     cases[i].date, lp_error_last()->code, cases[i].code);
        assert_null(r);
        assert_last_error(cases[i].code);
    }
    r = NOT_NULL;
    assert_int_equal(lp_money_convert(&r, NULL, "USD", "1", "2024-01-01"), LP_EINVAL);
    assert_null(r);
    r = NOT_NULL;
    assert_int_equal(lp_money_convert(&r, yen, NULL, "1", "2024-01-01"), LP_EINVAL);
    assert_null(r);
    r = NOT_NULL;
    assert_int_equal(lp_money_convert(&r, yen, "USD", NULL, "2024-01-01"), LP_EINVAL);
    assert_null(r);
    r = NOT_NULL;
    assert_int_equal(lp_money_convert(&r, yen, "USD", "1", NULL), LP_EINVAL);
    assert_null(r);
    assert_int_equal(lp_money_convert(NULL, yen, "USD", "1", "2024-01-01"), LP_EINVAL);
    lp_money_free(yen);
}

static void test_money__convert_hostile_rate_is_erange(void **state)
{
    char *big = malloc(10003);
    lp_money *yen = money("1000", "JPY");
    lp_money *r = NOT_NULL;
    (void)state;
    assert_non_null(big);
    big[0] = '0';
    big[1] = '.';
    memset(big + 2, '1', 10000);
    big[10002] = '\0';
    assert_int_equal(lp_money_convert(&r, yen, "USD", big, "2024-01-01"), LP_ERANGE);
    assert_null(r);
    r = NOT_NULL;
    assert_int_equal(lp_money_round(&r, yen, big, LP_ROUND_FLOOR), LP_ERANGE);
    assert_null(r);
    free(big);
    lp_money_free(yen);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_money__from_string_reads_decimals_and_fractions),
        cmocka_unit_test(test_money__from_string_rejects_malformed_text),
        cmocka_unit_test(test_money__from_string_limits_digits),
        cmocka_unit_test(test_money__from_string_zero_denominator_is_edivzero),
        cmocka_unit_test(test_money__from_string_unknown_currency),
        cmocka_unit_test(test_money__from_string_null_arguments),
        cmocka_unit_test(test_money__free_and_getters_accept_null),
        cmocka_unit_test(test_money__to_rational_string_errors),
        cmocka_unit_test(test_money__to_decimal_string_prints_the_step_decimals),
        cmocka_unit_test(test_money__to_decimal_string_errors),
        cmocka_unit_test(test_money__add_sub_are_exact),
        cmocka_unit_test(test_money__add_sub_currency_mismatch),
        cmocka_unit_test(test_money__add_sub_null_arguments),
        cmocka_unit_test(test_money__mul_div_are_exact),
        cmocka_unit_test(test_money__div_by_zero_is_edivzero),
        cmocka_unit_test(test_money__mul_div_bad_factor),
        cmocka_unit_test(test_money__neg),
        cmocka_unit_test(test_money__round_to_any_step),
        cmocka_unit_test(test_money__round_errors),
        cmocka_unit_test(test_money__compare),
        cmocka_unit_test(test_money__is_zero_and_sign),
        cmocka_unit_test(test_money__rounding_names),
        cmocka_unit_test(test_money__rounding_from_string_errors),
        cmocka_unit_test(test_money__currency_minor_units),
        cmocka_unit_test(test_money__convert_keeps_rate_and_date),
        cmocka_unit_test(test_money__convert_rational_rate_and_mixed_records),
        cmocka_unit_test(test_money__convert_errors),
        cmocka_unit_test(test_money__convert_hostile_rate_is_erange),
    };
    return cmocka_run_group_tests_name("money", tests, NULL, NULL);
}
