/* Issue 21: every public function checks every pointer it dereferences,
 * arrays included. The calls of generated_calls() are written by
 * gen-api-misuse.py from the headers and the export list: one per pointer
 * parameter, that parameter NULL, the others valid (from the fixture below),
 * plus every index past the end. The hand-written tests below cover what a
 * generator cannot see: arrays and counts inside option structs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <portability.h>

typedef struct fixture {
    lp_ruleset *rs;
    lp_history *h;
    lp_result *r;
    const lp_entitlement *e;
    const lp_lump_sum *l;
    const lp_trace_step *t;
    const lp_claim_procedure *claim;
    lp_comparison *cmp;
    lp_money *m;
    lp_scratchpad *pad;
    lp_batch *batch;
    lp_diagnostics *d;
    lp_period periods[1];
    lp_calc_options copts;
    lp_scenario scen;
    lp_ruleset_options ropts;
    lp_rule_buffer buffers[1];
    const char *paths[1];
    lp_date date;
    const char *text;
    char history_path[1024];
    char rules_dir[1024];
} fixture;

static int failures;

static void misuse_check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "misuse not refused: %s\n", what);
        failures++;
    }
}

#include "api_misuse_calls.inc"

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    const char *datadir = getenv("LP_TEST_DATADIR");
    const char *rules = getenv("LP_RULES_DIR");
    static const char bad_rules[] = "<scheme xmlns=\"urn:libportability:rules:1\"/>";
    lp_calc_options trace = LP_CALC_OPTIONS_INIT;
    lp_scenario none = LP_SCENARIO_INIT;
    size_t i;
    if (!fx || !datadir || !rules)
        return -1;
    snprintf(fx->history_path, sizeof fx->history_path,
             "%s/cases/e10-filipino-japan-totalised/history.xml", datadir);
    snprintf(fx->rules_dir, sizeof fx->rules_dir, "%s", rules);
    trace.flags = LP_CALC_TRACE;
    if (lp_ruleset_load_dir(&fx->rs, NULL, fx->rules_dir, NULL) != LP_OK
        || lp_history_load_file(&fx->h, fx->history_path) != LP_OK
        || lp_calc(&fx->r, fx->rs, fx->h, &trace) != LP_OK
        || lp_scratchpad_new(&fx->pad) != LP_OK
        || lp_batch_open(&fx->batch, fx->history_path) != LP_OK
        || lp_money_from_string(&fx->m, "10.50", "PHP") != LP_OK
        || lp_date_parse(&fx->date, "2000-02-29") != LP_OK)
        return -1;
    none.without_all_agreements = 1;
    if (lp_compare(&fx->cmp, fx->rs, fx->h, NULL, &none) != LP_OK)
        return -1;
    fx->buffers[0].name = "bad.xml";
    fx->buffers[0].data = bad_rules;
    fx->buffers[0].size = sizeof bad_rules - 1;
    (void)lp_ruleset_load_memory(&(lp_ruleset *){NULL}, &fx->d, fx->buffers, 1, NULL);
    fx->e = lp_result_entitlement_at(fx->r, 0);
    for (i = 0; i < lp_result_lump_sum_count(fx->r) && !fx->l; i++)
        fx->l = lp_result_lump_sum_at(fx->r, i);
    fx->t = fx->e ? lp_entitlement_trace_at(fx->e, 0) : NULL;
    if (lp_ruleset_scheme_find(fx->rs, "JP-EPI", &i) == LP_OK)
        fx->claim = lp_ruleset_claim_at(fx->rs, i, 0);
    fx->periods[0].from = fx->date;
    fx->periods[0].to = fx->date;
    fx->copts = (lp_calc_options)LP_CALC_OPTIONS_INIT;
    fx->scen = (lp_scenario)LP_SCENARIO_INIT;
    lp_ruleset_options_init(&fx->ropts, LP_RULESET_OPTIONS_VERSION);
    fx->paths[0] = fx->history_path;
    fx->text = "x";
    if (!fx->e || !fx->l || !fx->t || !fx->d || !fx->claim)
        return -1;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    lp_comparison_free(fx->cmp);
    lp_result_free(fx->r);
    lp_history_free(fx->h);
    lp_ruleset_free(fx->rs);
    lp_scratchpad_free(fx->pad);
    lp_batch_free(fx->batch);
    lp_money_free(fx->m);
    lp_diagnostics_free(fx->d);
    free(fx);
    return 0;
}

static void test_api_misuse__generated(void **state)
{
    int calls;
    failures = 0;
    calls = generated_calls(*state);
    printf("# %d generated calls with a NULL or out-of-range argument\n", calls);
    assert_true(calls > 200);
    assert_int_equal(failures, 0);
}

/* The seven calls the red team made crash. */
static void test_api_misuse__arrays(void **state)
{
    fixture *fx = *state;
    const char *with_null[] = {"JP-PH", NULL, "KR-PH"};
    const char *paths[] = {fx->history_path, NULL};
    lp_calc_options o = LP_CALC_OPTIONS_INIT;
    lp_scenario s = LP_SCENARIO_INIT;
    lp_result *r = NULL;
    lp_comparison *c = NULL;
    lp_ruleset *rs = NULL;
    lp_diagnostics *d = NULL;

    assert_int_equal(lp_ruleset_load_files(&rs, &d, paths, 2, NULL), LP_EINVAL);
    assert_null(rs);
    lp_diagnostics_free(d);
    assert_int_equal(lp_ruleset_load_files(&rs, NULL, NULL, 2, NULL), LP_EINVAL);

    o.nwithout_agreements = 3;
    assert_int_equal(lp_calc(&r, fx->rs, fx->h, &o), LP_EINVAL);
    assert_non_null(strstr(lp_error_last()->message, "without_agreements"));
    o.without_agreements = with_null;
    assert_int_equal(lp_calc(&r, fx->rs, fx->h, &o), LP_EINVAL);
    assert_non_null(strstr(lp_error_last()->message, "without_agreements[1]"));
    o = (lp_calc_options)LP_CALC_OPTIONS_INIT;
    o.nlump_sums_taken = 3;
    assert_int_equal(lp_calc(&r, fx->rs, fx->h, &o), LP_EINVAL);
    o.lump_sums_taken = with_null;
    assert_int_equal(lp_calc(&r, fx->rs, fx->h, &o), LP_EINVAL);
    assert_null(r);

    s.nwithout_agreements = 3;
    assert_int_equal(lp_compare(&c, fx->rs, fx->h, NULL, &s), LP_EINVAL);
    s.without_agreements = with_null;
    assert_int_equal(lp_compare(&c, fx->rs, fx->h, NULL, &s), LP_EINVAL);
    s = (lp_scenario)LP_SCENARIO_INIT;
    s.nlump_sums_taken = 2;
    assert_int_equal(lp_compare(&c, fx->rs, fx->h, NULL, &s), LP_EINVAL);
    o = (lp_calc_options)LP_CALC_OPTIONS_INIT;
    o.nwithout_agreements = 1;
    s = (lp_scenario)LP_SCENARIO_INIT;
    assert_int_equal(lp_compare(&c, fx->rs, fx->h, &o, &s), LP_EINVAL);
    assert_null(c);
}

/* lp_ruleset_load_* refused no options version; lp_calc refused them. */
static void test_api_misuse__options_versions(void **state)
{
    fixture *fx = *state;
    lp_ruleset_options ro;
    lp_calc_options co = LP_CALC_OPTIONS_INIT;
    lp_scenario s = LP_SCENARIO_INIT;
    lp_ruleset *rs = NULL;
    lp_comparison *c = NULL;
    unsigned int bad[] = {0, 999};
    size_t i;
    for (i = 0; i < 2; i++) {
        memset(&ro, 0, sizeof ro);
        ro.version = bad[i];
        assert_int_equal(lp_ruleset_load_dir(&rs, NULL, fx->rules_dir, &ro), LP_EINVAL);
        assert_int_equal(lp_ruleset_load_files(&rs, NULL, fx->paths, 1, &ro), LP_EINVAL);
        assert_int_equal(lp_ruleset_load_memory(&rs, NULL, fx->buffers, 1, &ro), LP_EINVAL);
        assert_null(rs);
        co.version = bad[i];
        assert_int_equal(lp_compare(&c, fx->rs, fx->h, &co, &s), LP_EINVAL);
        assert_null(c);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_misuse__generated),
        cmocka_unit_test(test_api_misuse__arrays),
        cmocka_unit_test(test_api_misuse__options_versions),
    };
    return cmocka_run_group_tests_name("api_misuse", tests, setup, teardown);
}
