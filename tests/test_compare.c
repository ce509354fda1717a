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

/* The rows are exact: the gap is 0 - 213333/100 (the SSS's 6400/3 as its
 * rules round it, half-up to the centavo), and lump sums have rows too. */
static void test_compare__rows_are_exact_and_include_lump_sums(void **state)
{
    lp_scenario sc = LP_SCENARIO_INIT;
    lp_comparison *c = NULL;
    size_t i, lumps = 0;
    int found = 0;
    sc.without_all_agreements = 1;
    assert_int_equal(lp_compare(&c, rules, career, NULL, &sc), LP_OK);
    for (i = 0; i < lp_comparison_count(c); i++) {
        const char *s, *what;
        lp_money *b = NULL, *v = NULL, *d = NULL, *sum = NULL;
        char *text = NULL;
        int cmp = 1;
        assert_int_equal(lp_comparison_at(c, i, &s, &what, NULL, NULL, NULL, NULL), LP_OK);
        assert_int_equal(lp_comparison_money(c, i, &b, &v, &d), LP_OK);
        /* base + difference = variant, exactly, on every row */
        assert_int_equal(lp_money_add(&sum, b, d), LP_OK);
        assert_int_equal(lp_money_compare(&cmp, sum, v), LP_OK);
        assert_int_equal(cmp, 0);
        if (!strcmp(s, "PH-SSS") && !strcmp(what, "pension")) {
            assert_int_equal(lp_money_to_rational_string(&text, d), LP_OK);
            assert_string_equal(text, "-213333/100");
            lp_free(text);
            found = 1;
        }
        lumps += strcmp(what, "pension") != 0;
        lp_money_free(b);
        lp_money_free(v);
        lp_money_free(d);
        lp_money_free(sum);
    }
    assert_true(found);
    assert_int_equal(lumps, lp_result_lump_sum_count(lp_comparison_base(c)));
    assert_int_equal(lp_comparison_money(c, 0, NULL, NULL, NULL), LP_OK);
    assert_int_equal(lp_comparison_money(c, 9999, NULL, NULL, NULL), LP_EINVAL);
    lp_comparison_free(c);
}

/* The comparison as JSON: both results and the exact rows. */
static void test_compare__comparison_as_json(void **state)
{
    lp_scenario sc = LP_SCENARIO_INIT;
    lp_comparison *c = NULL;
    char *json = NULL, *line = NULL;
    sc.without_all_agreements = 1;
    assert_int_equal(lp_compare(&c, rules, career, NULL, &sc), LP_OK);
    assert_int_equal(lp_comparison_to_json(&json, c, 0), LP_OK);
    assert_non_null(strstr(json, "\"format\": \"" LP_COMPARISON_JSON_FORMAT "\""));
    assert_non_null(strstr(json, "\"format\": \"" LP_RESULT_JSON_FORMAT "\""));
    assert_non_null(strstr(json, "\"difference\": {\n        \"value\": \"-2133.33\",\n"
                                 "        \"exact\": \"-213333/100\""));
    assert_int_equal(lp_comparison_to_json(&line, c, LP_JSON_COMPACT), LP_OK);
    assert_null(strchr(line, '\n'));
    lp_free(line);
    assert_int_equal(lp_comparison_to_json(&line, c, 0x80), LP_EINVAL);
    assert_null(line);
    assert_int_equal(lp_comparison_to_json(&line, NULL, 0), LP_EINVAL);
    lp_free(json);
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

/* Unknown names are refused (LP_EINVAL), naming the known ones; known names pass. */
static void test_compare__unknown_names_are_refused(void **state)
{
    lp_calc_options o = LP_CALC_OPTIONS_INIT;
    lp_scenario sc = LP_SCENARIO_INIT;
    lp_comparison *c = NULL;
    lp_result *r = NULL;
    const char *typo_agreement[] = { "XX-YY" }, *typo_lump[] = { "JP-EPI/withdrawl" };
    const char *unknown_scheme[] = { "XX/withdrawal" }, *good[] = { "JP-EPI/withdrawal" };
    const char *jp_ph[] = { "JP-PH" };

    o.without_agreements = typo_agreement;
    o.nwithout_agreements = 1;
    assert_int_equal(lp_calc_options_check(rules, &o), LP_EINVAL);
    assert_non_null(strstr(lp_error_last()->message, "unknown agreement 'XX-YY'"));
    assert_non_null(strstr(lp_error_last()->message, "JP-PH"));
    assert_int_equal(lp_calc(&r, rules, career, &o), LP_EINVAL);
    assert_null(r);

    o = (lp_calc_options)LP_CALC_OPTIONS_INIT;
    o.lump_sums_taken = typo_lump;
    o.nlump_sums_taken = 1;
    assert_int_equal(lp_calc(&r, rules, career, &o), LP_EINVAL);
    assert_non_null(strstr(lp_error_last()->message, "scheme JP-EPI has JP-EPI/withdrawal, JP-EPI/withdrawal-net"));
    o.lump_sums_taken = unknown_scheme;
    assert_int_equal(lp_calc_options_check(rules, &o), LP_EINVAL);
    assert_non_null(strstr(lp_error_last()->message, "JP-NP/withdrawal"));
    o.lump_sums_taken = good;
    o.without_agreements = jp_ph;
    o.nwithout_agreements = 1;
    assert_int_equal(lp_calc_options_check(rules, &o), LP_OK);
    assert_int_equal(lp_calc_options_check(rules, NULL), LP_OK);
    assert_int_equal(lp_calc_options_check(NULL, &o), LP_EINVAL);

    sc.without_agreements = typo_agreement;
    sc.nwithout_agreements = 1;
    assert_int_equal(lp_compare(&c, rules, career, NULL, &sc), LP_EINVAL);
    assert_null(c);
    sc.without_agreements = NULL;
    sc.nwithout_agreements = 0;
    sc.lump_sums_taken = typo_lump;
    sc.nlump_sums_taken = 1;
    assert_int_equal(lp_compare(&c, rules, career, NULL, &sc), LP_EINVAL);
}

/* The JSON of the E12 result: SSS 6400 x 60/180 = 6400/3, paid as 2133.33. */
/* A result outlives its history. It borrowed the claim's benefit, the
 * worker's residence, a note's scheme and text values in the trace from the
 * history; lp_compare frees the variant's history (another residence) before
 * it returns, so portability-calc --compare --residence JP --format json read
 * freed memory (AddressSanitizer: heap-use-after-free in result_json.c). */
static void test_compare__variant_residence_outlives_its_history(void **state)
{
    lp_scenario sc = LP_SCENARIO_INIT;
    lp_comparison *c = NULL;
    char *json = NULL;
    const lp_result *v;
    size_t i;
    (void)state;
    sc.residence = "JP";
    sc.nationality = "JP";
    assert_int_equal(lp_compare(&c, rules, career, NULL, &sc), LP_OK);
    assert_int_equal(lp_comparison_to_json(&json, c, 0), LP_OK);
    v = lp_comparison_variant(c);
    for (i = 0; i < lp_result_entitlement_count(v); i++)
        assert_string_equal(lp_entitlement_benefit(lp_result_entitlement_at(v, i)), "old-age");
    assert_non_null(strstr(json, "\"residence\": \"JP\""));
    lp_free(json);
    lp_comparison_free(c);
}

/* The same for a result of lp_calc whose history is freed before it is read:
 * its XML and JSON (with the trace, and a note naming a scheme) are the same
 * after the history is gone, and the memory the history held is reused. */
static void test_compare__result_outlives_its_history(void **state)
{
    lp_history *h = NULL;
    lp_result *r = NULL;
    lp_calc_options o = LP_CALC_OPTIONS_INIT;
    char *xml1 = NULL, *xml2 = NULL, *json1 = NULL, *json2 = NULL, *junk[64];
    size_t i;
    (void)state;
    o.flags = LP_CALC_TRACE;
    assert_int_equal(lp_history_with(&h, career, "JP", "PH"), LP_OK);
    /* a period after the claim: a note naming its scheme */
    assert_int_equal(lp_history_add_period(h, "PH-SSS", "2030-01-01", "2030-12-31", "contribution", NULL, NULL,
                                           NULL), LP_OK);
    assert_int_equal(lp_calc(&r, rules, h, &o), LP_OK);
    assert_true(lp_result_note_count(r) > 0);
    assert_int_equal(lp_result_to_xml(&xml1, r), LP_OK);
    assert_int_equal(lp_result_to_json(&json1, r, 0), LP_OK);
    lp_history_free(h);
    for (i = 0; i < 64; i++) {        /* reuse what the history held */
        junk[i] = malloc(64 << (i % 8));
        assert_non_null(junk[i]);
        memset(junk[i], 'X', 64 << (i % 8));
    }
    assert_int_equal(lp_result_to_xml(&xml2, r), LP_OK);
    assert_int_equal(lp_result_to_json(&json2, r, 0), LP_OK);
    assert_string_equal(xml2, xml1);
    assert_string_equal(json2, json1);
    for (i = 0; i < 64; i++)
        free(junk[i]);
    lp_free(xml1);
    lp_free(xml2);
    lp_free(json1);
    lp_free(json2);
    lp_result_free(r);
}

static void test_compare__result_as_json(void **state)
{
    lp_result *r = NULL;
    char *json = NULL, *line = NULL;
    assert_int_equal(lp_calc(&r, rules, career, NULL), LP_OK);
    assert_int_equal(lp_result_to_json(&json, r, 0), LP_OK);
    assert_non_null(strstr(json, "\"format\": \"" LP_RESULT_JSON_FORMAT "\""));
    assert_non_null(strstr(json, "\"scheme\": \"PH-SSS\""));
    assert_non_null(strstr(json, "\"kind\": \"payable\",\n"));
    assert_non_null(strstr(json, "\"value\": \"2133.33\""));
    assert_non_null(strstr(json, "\"exact\": \"6400/3\""));
    assert_null(strstr(json, "\"trace\""));
    assert_int_equal(lp_result_to_json(&line, r, LP_JSON_COMPACT), LP_OK);
    assert_null(strchr(line, '\n'));
    assert_non_null(strstr(line, "\"value\":\"2133.33\",\"exact\":\"6400/3\""));
    lp_free(line);
    assert_int_equal(lp_result_to_json(&line, r, 0x80), LP_EINVAL);
    assert_null(line);
    assert_int_equal(lp_result_to_json(&line, NULL, 0), LP_EINVAL);
    assert_int_equal(lp_result_to_json(NULL, r, 0), LP_EINVAL);
    lp_free(json);
    lp_result_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compare__without_agreements_shows_the_gap),
        cmocka_unit_test(test_compare__rows_are_exact_and_include_lump_sums),
        cmocka_unit_test(test_compare__comparison_as_json),
        cmocka_unit_test(test_compare__removing_one_agreement_by_id),
        cmocka_unit_test(test_compare__same_scenario_has_no_difference),
        cmocka_unit_test(test_compare__errors),
        cmocka_unit_test(test_compare__unknown_names_are_refused),
        cmocka_unit_test(test_compare__result_as_json),
        cmocka_unit_test(test_compare__variant_residence_outlives_its_history),
        cmocka_unit_test(test_compare__result_outlives_its_history),
    };
    return cmocka_run_group_tests_name("compare", tests, setup, teardown);
}
