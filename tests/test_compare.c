/* Scenarios through the public API: the portability gap of a Filipino career
 * in Japan (EXAMPLES.md E12: with the Japan-Philippines agreement the SSS pays
 * 6,400 x 60/180 = 2,133.33 a month; without it, 60 months are below the 120
 * the SSS needs, and it pays no pension). */
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

static int setup(void **state)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/cases/e12-sss-pro-rata/history.xml", getenv("LP_TEST_DATADIR"));
    if (lp_ruleset_load_dir(&rules, NULL, getenv("LP_RULES_DIR"), NULL) != LP_OK)
        return -1;
    return lp_history_load_file(&career, path) == LP_OK ? 0 : -1;
}

static int teardown(void **state)
{
    lp_history_free(career);
    lp_ruleset_free(rules);
    return 0;
}

/* The row of a scheme's pension. */
static void pension_row(const lp_comparison *c, const char *scheme, const char **base,
                        const char **variant, const char **diff)
{
    size_t i;
    for (i = 0; i < lp_comparison_count(c); i++) {
        const char *s, *what;
        assert_int_equal(lp_comparison_at(c, i, &s, &what, NULL, base, variant, diff), LP_OK);
        if (!strcmp(s, scheme) && !strcmp(what, "pension"))
            return;
    }
    fail_msg("no pension row for %s", scheme);
}

static void test_compare__without_agreements_shows_the_gap(void **state)
{
    lp_scenario sc = LP_SCENARIO_INIT;
    lp_comparison *c = NULL;
    const char *base, *variant, *diff;
    sc.without_all_agreements = 1;
    assert_int_equal(lp_compare(&c, rules, career, NULL, &sc), LP_OK);
    pension_row(c, "PH-SSS", &base, &variant, &diff);
    assert_string_equal(base, "2133.33");
    assert_string_equal(variant, "0.00");
    assert_string_equal(diff, "-2133.33");
    assert_string_equal(lp_entitlement_status(lp_result_entitlement_find(lp_comparison_variant(c), "PH-SSS")),
                        "not-eligible");
    assert_string_equal(lp_entitlement_agreement(lp_result_entitlement_find(lp_comparison_base(c), "PH-SSS")),
                        "JP-PH");
    lp_comparison_free(c);
}

static void test_compare__removing_one_agreement_by_id(void **state)
{
    const char *ids[] = { "JP-PH" };
    lp_scenario sc = LP_SCENARIO_INIT;
    lp_comparison *c = NULL;
    const char *base, *variant, *diff;
    sc.without_agreements = ids;
    sc.nwithout_agreements = 1;
    assert_int_equal(lp_compare(&c, rules, career, NULL, &sc), LP_OK);
    pension_row(c, "PH-SSS", &base, &variant, &diff);
    assert_string_equal(diff, "-2133.33");
    lp_comparison_free(c);
}

static void test_compare__same_scenario_has_no_difference(void **state)
{
    lp_scenario sc = LP_SCENARIO_INIT;
    lp_comparison *c = NULL;
    size_t i;
    assert_int_equal(lp_compare(&c, rules, career, NULL, &sc), LP_OK);
    assert_true(lp_comparison_count(c) > 0);
    for (i = 0; i < lp_comparison_count(c); i++) {
        const char *diff;
        assert_int_equal(lp_comparison_at(c, i, NULL, NULL, NULL, NULL, NULL, &diff), LP_OK);
        assert_true(strspn(diff, "0.") == strlen(diff));
    }
    assert_int_equal(lp_comparison_at(c, 999, NULL, NULL, NULL, NULL, NULL, NULL), LP_EINVAL);
    lp_comparison_free(c);
}

static void test_compare__errors(void **state)
{
    lp_scenario sc = LP_SCENARIO_INIT;
    lp_comparison *c = (lp_comparison *)&c;
    sc.version = 99;
    assert_int_equal(lp_compare(&c, rules, career, NULL, &sc), LP_EINVAL);
    assert_null(c);
    assert_int_equal(lp_compare(NULL, rules, career, NULL, &sc), LP_EINVAL);
    sc.version = LP_SCENARIO_VERSION;
    sc.residence = "Japan";
    assert_int_equal(lp_compare(&c, rules, career, NULL, &sc), LP_EINVAL);
    assert_null(c);
    lp_comparison_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compare__without_agreements_shows_the_gap),
        cmocka_unit_test(test_compare__removing_one_agreement_by_id),
        cmocka_unit_test(test_compare__same_scenario_has_no_difference),
        cmocka_unit_test(test_compare__errors),
    };
    return cmocka_run_group_tests_name("compare", tests, setup, teardown);
}
