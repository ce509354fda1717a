/* The typed result (issue 20): the vocabulary as enums with one name each,
 * amounts read exactly, errors cleared on success, the end of a batch, and the
 * deprecated wrappers kept for one release.
 *
 * Figures are those of EXAMPLES.md E12 (tests/data/cases/e12-sss-pro-rata,
 * grade C arithmetic in its case.txt): the SSS's pro-rata share is
 * 6,400 x 60/180 = 6400/3 a month, which its rules round half-up to the
 * centavo (PH-SSS.xml, <rounding of="payable" step="0.01">): 2133.33 is paid. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <portability.h>

static lp_ruleset *rules;
static lp_history *career;
static lp_result *result;

static int setup(void **state)
{
    char path[1024];
    (void)state;
    snprintf(path, sizeof path, "%s/cases/e12-sss-pro-rata/history.xml", getenv("LP_TEST_DATADIR"));
    if (lp_ruleset_load_dir(&rules, NULL, getenv("LP_RULES_DIR"), NULL) != LP_OK
        || lp_history_load_file(&career, path) != LP_OK)
        return -1;
    return lp_calc(&result, rules, career, NULL) == LP_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    lp_result_free(result);
    lp_history_free(career);
    lp_ruleset_free(rules);
    return 0;
}

/* m equals the rational text want, in m's currency. */
static void assert_money(const lp_money *m, const char *want)
{
    char *s = NULL;
    assert_non_null(m);
    assert_int_equal(lp_money_to_rational_string(&s, m), LP_OK);
    assert_string_equal(s, want);
    lp_free(s);
}

static void test_types__every_name_round_trips(void **state)
{
    int v;
    (void)state;
    for (v = LP_STATUS_PAYABLE; v <= LP_STATUS_CANNOT_COMPUTE; v++)
        assert_int_equal(lp_status_from_name(lp_status_name((lp_status)v)), v);
    for (v = LP_METHOD_INDEPENDENT; v <= LP_METHOD_NONE; v++)
        assert_int_equal(lp_method_from_name(lp_method_name((lp_method)v)), v);
    for (v = LP_AMOUNT_INDEPENDENT; v <= LP_AMOUNT_PAYABLE; v++)
        assert_int_equal(lp_amount_kind_from_name(lp_amount_kind_name((lp_amount_kind)v)), v);
    for (v = LP_FREQUENCY_MONTHLY; v <= LP_FREQUENCY_WEEKLY; v++)
        assert_int_equal(lp_frequency_from_name(lp_frequency_name((lp_frequency)v)), v);
    for (v = LP_LUMP_SUM_WITHDRAWAL; v <= LP_LUMP_SUM_AWARD; v++)
        assert_int_equal(lp_lump_sum_kind_from_name(lp_lump_sum_kind_name((lp_lump_sum_type)v)), v);
    /* the names the XML writes, byte for byte */
    assert_string_equal(lp_status_name(LP_STATUS_NOT_ELIGIBLE), "not-eligible");
    assert_string_equal(lp_status_name(LP_STATUS_CANNOT_COMPUTE), "cannot-compute");
    assert_string_equal(lp_method_name(LP_METHOD_PRO_RATA), "pro-rata");
    assert_string_equal(lp_amount_kind_name(LP_AMOUNT_THEORETICAL), "theoretical");
    assert_string_equal(lp_frequency_name(LP_FREQUENCY_YEARLY), "yearly");
    assert_string_equal(lp_lump_sum_kind_name(LP_LUMP_SUM_AWARD), "award");
    /* out of range and unknown */
    assert_null(lp_status_name(LP_STATUS_INVALID));
    assert_null(lp_status_name((lp_status)(LP_STATUS_CANNOT_COMPUTE + 1)));
    assert_null(lp_method_name(LP_METHOD_INVALID));
    assert_null(lp_amount_kind_name((lp_amount_kind)99));
    assert_int_equal(lp_status_from_name("Payable"), LP_STATUS_INVALID);
    assert_int_equal(lp_method_from_name(NULL), LP_METHOD_INVALID);
    assert_int_equal(lp_frequency_from_name("weekly"), LP_FREQUENCY_WEEKLY);
    assert_int_equal(lp_frequency_from_name("fortnightly"), LP_FREQUENCY_INVALID);
}

static void test_types__entitlement_codes_match_the_strings(void **state)
{
    const lp_entitlement *e = lp_result_entitlement_find(result, "PH-SSS");
    lp_status st = LP_STATUS_INVALID;
    lp_method me = LP_METHOD_INVALID;
    size_t i;
    (void)state;
    assert_non_null(e);
    assert_int_equal(lp_entitlement_status_code(e), LP_STATUS_PAYABLE);
    assert_int_equal(lp_entitlement_method_code(e), LP_METHOD_PRO_RATA);
    assert_int_equal(lp_entitlement_frequency_code(e), LP_FREQUENCY_MONTHLY);
    assert_int_equal(lp_entitlement_status_code(NULL), LP_STATUS_INVALID);
    assert_int_equal(lp_entitlement_method_code(NULL), LP_METHOD_INVALID);
    assert_int_equal(lp_entitlement_frequency_code(NULL), LP_FREQUENCY_INVALID);
    for (i = 0; i < lp_result_entitlement_count(result); i++) {
        const lp_entitlement *x = lp_result_entitlement_at(result, i);
        assert_string_equal(lp_entitlement_status(x), lp_status_name(lp_entitlement_status_code(x)));
        assert_string_equal(lp_entitlement_method(x), lp_method_name(lp_entitlement_method_code(x)));
        assert_string_equal(lp_entitlement_frequency(x), lp_frequency_name(lp_entitlement_frequency_code(x)));
    }
    /* E12: the SSS alone is not eligible (60 < 120 months); JP-PH pays pro rata */
    assert_int_equal(lp_entitlement_route_count(e), 2);
    assert_int_equal(lp_entitlement_route_codes(e, 0, &st, &me), LP_OK);
    assert_int_equal(st, LP_STATUS_NOT_ELIGIBLE);
    assert_int_equal(me, LP_METHOD_INDEPENDENT);
    assert_int_equal(lp_entitlement_route_codes(e, 1, &st, NULL), LP_OK);
    assert_int_equal(st, LP_STATUS_PAYABLE);
    assert_int_equal(lp_entitlement_route_codes(e, 2, &st, &me), LP_EINVAL);
    for (i = 0; i < lp_result_lump_sum_count(result); i++) {
        const lp_lump_sum *l = lp_result_lump_sum_at(result, i);
        assert_string_equal(lp_lump_sum_kind(l), lp_lump_sum_kind_name(lp_lump_sum_kind_code(l)));
    }
    assert_int_equal(lp_lump_sum_kind_code(NULL), LP_LUMP_SUM_INVALID);
}

/* 6,400 x 60/180 = 6400/3 before the rules' rounding, 2133.33 = 213333/100
 * after it: both exact in the model. */
static void test_types__amounts_are_exact(void **state)
{
    const lp_entitlement *e = lp_result_entitlement_find(result, "PH-SSS");
    lp_money *m = (lp_money *)&m;
    (void)state;
    assert_string_equal(lp_entitlement_amount_text(e, LP_AMOUNT_PAYABLE), "2133.33");
    assert_string_equal(lp_entitlement_amount_exact_text(e, LP_AMOUNT_PAYABLE), "6400/3");
    assert_string_equal(lp_entitlement_amount_figure_text(e, LP_AMOUNT_PAYABLE), "2133.33");
    assert_string_equal(lp_entitlement_amount_figure_text(e, LP_AMOUNT_THEORETICAL), "6400.00");
    assert_int_equal(lp_entitlement_amount_money(&m, e, LP_AMOUNT_PAYABLE), LP_OK);
    assert_money(m, "213333/100");
    assert_string_equal(lp_money_currency(m), "PHP");
    lp_money_free(m);
    assert_int_equal(lp_entitlement_amount_unrounded_money(&m, e, LP_AMOUNT_PAYABLE), LP_OK);
    assert_money(m, "6400/3");
    lp_money_free(m);
    assert_int_equal(lp_entitlement_amount_unrounded_money(&m, e, LP_AMOUNT_PRO_RATA), LP_OK);
    assert_money(m, "6400/3");
    lp_money_free(m);
    assert_int_equal(lp_entitlement_amount_money(&m, e, LP_AMOUNT_THEORETICAL), LP_OK);
    assert_money(m, "6400");
    lp_money_free(m);
    /* the route that pays: what it pays */
    assert_int_equal(lp_entitlement_route_payable_money(&m, e, 1), LP_OK);
    assert_money(m, "213333/100");
    lp_money_free(m);
    assert_int_equal(lp_entitlement_route_payable_money(&m, e, 0), LP_ENOTFOUND);
    assert_null(m);
    /* not computed, and misuse */
    assert_int_equal(lp_entitlement_amount_money(&m, e, LP_AMOUNT_DIRECT), LP_ENOTFOUND);
    assert_null(m);
    assert_null(lp_entitlement_amount_text(e, LP_AMOUNT_DIRECT));
    assert_int_equal(lp_entitlement_amount_money(&m, e, LP_AMOUNT_INVALID), LP_EINVAL);
    assert_int_equal(lp_entitlement_amount_money(&m, NULL, LP_AMOUNT_PAYABLE), LP_EINVAL);
    assert_int_equal(lp_entitlement_amount_money(NULL, e, LP_AMOUNT_PAYABLE), LP_EINVAL);
    assert_null(lp_entitlement_amount_text(e, (lp_amount_kind)42));
}

static void test_types__lump_sum_money_equals_its_text(void **state)
{
    size_t i;
    (void)state;
    assert_true(lp_result_lump_sum_count(result) > 0);
    for (i = 0; i < lp_result_lump_sum_count(result); i++) {
        const lp_lump_sum *l = lp_result_lump_sum_at(result, i);
        lp_money *m = NULL, *t = NULL;
        int cmp = 1;
        assert_int_equal(lp_lump_sum_money(&m, l), LP_OK);
        assert_int_equal(lp_money_from_string(&t, lp_lump_sum_exact(l), lp_lump_sum_currency(l)), LP_OK);
        assert_int_equal(lp_money_compare(&cmp, m, t), LP_OK);
        assert_int_equal(cmp, 0);
        lp_money_free(m);
        lp_money_free(t);
    }
    assert_int_equal(lp_lump_sum_money(NULL, lp_result_lump_sum_at(result, 0)), LP_EINVAL);
}

/* The deprecated string-kind accessors still answer, as their enum twins. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
static void test_types__deprecated_wrappers(void **state)
{
    const lp_entitlement *e = lp_result_entitlement_find(result, "PH-SSS");
    (void)state;
    assert_string_equal(lp_entitlement_amount(e, "pro-rata"), "2133.33");
    assert_string_equal(lp_entitlement_amount_exact(e, "pro-rata"), "6400/3");
    assert_null(lp_entitlement_amount(e, "no-such-kind"));
    assert_null(lp_entitlement_amount(e, NULL));
}
#pragma GCC diagnostic pop

/* A success clears the error an earlier failure left. */
static void test_types__success_clears_the_last_error(void **state)
{
    lp_money *m = NULL;
    lp_result *r = NULL;
    lp_comparison *c = NULL;
    lp_scenario sc = LP_SCENARIO_INIT;
    char *xml = NULL;
    (void)state;
    assert_int_equal(lp_money_from_string(&m, "1.2.3", "PHP"), LP_EPARSE);
    assert_int_equal(lp_error_last()->code, LP_EPARSE);
    assert_int_equal(lp_calc(&r, rules, career, NULL), LP_OK);
    assert_int_equal(lp_error_last()->code, LP_OK);
    assert_string_equal(lp_error_last()->message, "");
    assert_null(lp_error_last()->file);

    assert_int_equal(lp_money_from_string(&m, "x", "PHP"), LP_EPARSE);
    assert_int_equal(lp_result_to_xml(&xml, r), LP_OK);
    assert_int_equal(lp_error_last()->code, LP_OK);
    lp_free(xml);

    assert_int_equal(lp_money_from_string(&m, "x", "PHP"), LP_EPARSE);
    sc.without_all_agreements = 1;
    assert_int_equal(lp_compare(&c, rules, career, NULL, &sc), LP_OK);
    assert_int_equal(lp_error_last()->code, LP_OK);
    lp_comparison_free(c);
    lp_result_free(r);
}

/* The end of a batch is LP_ITEROVER, and stays so; lp_batch_next (deprecated)
 * still ends with LP_ENOTFOUND. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
static void test_types__end_of_a_batch(void **state)
{
    char path[1024];
    lp_batch *b = NULL;
    lp_history *h = NULL;
    size_t n = 0;
    int rc;
    (void)state;
    snprintf(path, sizeof path, "%s/cases/e12-sss-pro-rata/history.xml", getenv("LP_TEST_DATADIR"));
    assert_int_equal(lp_batch_open(&b, path), LP_OK);
    while ((rc = lp_batch_read(&h, b)) == LP_OK) {
        assert_int_equal(lp_error_last()->code, LP_OK);
        lp_history_free(h);
        n++;
    }
    assert_int_equal(rc, LP_ITEROVER);
    assert_null(h);
    assert_int_equal(n, 1);
    assert_int_equal(lp_batch_read(&h, b), LP_ITEROVER);
    assert_string_equal(lp_strerror(LP_ITEROVER), "end of the iteration");
    lp_batch_free(b);

    assert_int_equal(lp_batch_open(&b, path), LP_OK);
    assert_int_equal(lp_batch_next(b, &h), LP_OK);
    lp_history_free(h);
    assert_int_equal(lp_batch_next(b, &h), LP_ENOTFOUND);
    lp_batch_free(b);
}
#pragma GCC diagnostic pop

/* lp_calc_with_pad (out first) and the deprecated lp_calc_with agree. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
static void test_types__out_parameter_first(void **state)
{
    lp_scratchpad *pad = NULL;
    lp_result *a = NULL, *b = NULL;
    char *xa = NULL, *xb = NULL;
    (void)state;
    assert_int_equal(lp_scratchpad_new(&pad), LP_OK);
    assert_int_equal(lp_calc_with_pad(&a, pad, rules, career, NULL), LP_OK);
    assert_int_equal(lp_calc_with(pad, &b, rules, career, NULL), LP_OK);
    assert_int_equal(lp_result_to_xml(&xa, a), LP_OK);
    assert_int_equal(lp_result_to_xml(&xb, b), LP_OK);
    assert_string_equal(xa, xb);
    lp_result_free(a);
    assert_int_equal(lp_calc_with_pad(&a, NULL, rules, career, NULL), LP_EINVAL);
    assert_null(a);
    lp_free(xa);
    lp_free(xb);
    lp_result_free(b);
    lp_scratchpad_free(pad);
}
#pragma GCC diagnostic pop

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_types__every_name_round_trips),
        cmocka_unit_test(test_types__entitlement_codes_match_the_strings),
        cmocka_unit_test(test_types__amounts_are_exact),
        cmocka_unit_test(test_types__lump_sum_money_equals_its_text),
        cmocka_unit_test(test_types__deprecated_wrappers),
        cmocka_unit_test(test_types__success_clears_the_last_error),
        cmocka_unit_test(test_types__end_of_a_batch),
        cmocka_unit_test(test_types__out_parameter_first),
    };
    return cmocka_run_group_tests_name("result types", tests, setup, teardown);
}
