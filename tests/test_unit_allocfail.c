/* Failure paths: make the n-th allocation of the library fail, for every n
 * reached, while loading the shipped rules (lp_ruleset_load_dir on
 * $LP_RULES_DIR), loading a history and computing a career.
 *
 * What each failing n must give, precisely:
 *   - the call returns LP_ENOMEM, its out pointer is NULL, lp_error_last()
 *     says LP_ENOMEM; or
 *   - the call succeeds, and then what it produced is exactly what it produces
 *     without any failure (same rule-set digest and schemes, same result XML):
 *     an allocation whose failure is absorbed (a cache, a trace, a fallback)
 *     must not change a result.
 * A failure that leaves a half-built rule set or result reported as success is
 * a bug. Nothing may leak: `make check-valgrind` runs this test under memcheck
 * (and the sanitizer build under LeakSanitizer).
 *
 * Only the library's own allocations are injected (lp__malloc, lp__calloc,
 * lp__realloc, counted per thread under LP_TESTING). libxml2 and GMP allocate
 * through their own allocators, which a library must not replace (STYLE.md
 * 14.5): their out-of-memory paths are not exercised here, and GMP aborts on
 * out-of-memory by design.
 *
 * The calculation is swept twice: by lp_calc, and by lp_calc_with through one
 * scratch pad that every injected failure leaves half-used, so that the next
 * calculation must start clean from it.
 *
 * LP_ALLOCFAIL_STRIDE=k tests every k-th n only (quicker under valgrind). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include <portability.h>
#include "alloc.h"
#include "calc_internal.h"

static unsigned long stride = 1;
static char history_path[1200];

static const char *rules_dir(void)
{
    return lp_default_rules_dir();
}

static void sweep_report(const char *what, unsigned long tried, unsigned long total,
                         unsigned long enomem, unsigned long absorbed)
{
    print_message("# %s: %lu allocations; %lu failures injected: %lu LP_ENOMEM, %lu absorbed "
                  "with an identical outcome\n", what, total, tried, enomem, absorbed);
}

static void test_unit_allocfail__ruleset_load(void **state)
{
    lp_ruleset *ref = NULL, *rs;
    lp_diagnostics *d = NULL;
    unsigned long n, total, tried = 0, enomem = 0, absorbed = 0;
    int rc;
    (void)state;
    lp__alloc_fail_at(0);
    assert_int_equal(lp_ruleset_load_dir(&ref, NULL, rules_dir(), NULL), LP_OK);
    total = lp__alloc_count();
    assert_true(total > 0);
    for (n = 1; n <= total; n += stride) {
        rs = NULL;
        d = NULL;
        lp__alloc_fail_at(n);
        rc = lp_ruleset_load_dir(&rs, &d, rules_dir(), NULL);
        lp__alloc_fail_at(0);
        tried++;
        if (rc == LP_ENOMEM) {
            assert_null(rs);
            assert_int_equal(lp_error_last()->code, LP_ENOMEM);
            enomem++;
        } else if (rc == LP_OK) {
            size_t i;
            assert_non_null(rs);
            assert_string_equal(lp_ruleset_digest(rs), lp_ruleset_digest(ref));
            assert_int_equal(lp_ruleset_scheme_count(rs), lp_ruleset_scheme_count(ref));
            assert_int_equal(lp_ruleset_agreement_count(rs), lp_ruleset_agreement_count(ref));
            for (i = 0; i < lp_ruleset_scheme_count(rs); i++)
                assert_string_equal(lp_ruleset_scheme_id(rs, i), lp_ruleset_scheme_id(ref, i));
            absorbed++;
        } else {
            fail_msg("allocation %lu of %lu failed: load gave %d (%s): %s", n, total, rc,
                     lp_strerror(rc), lp_error_last()->message);
        }
        lp_ruleset_free(rs);
        lp_diagnostics_free(d);
    }
    sweep_report("lp_ruleset_load_dir (shipped rules)", tried, total, enomem, absorbed);
    lp_ruleset_free(ref);
}

static char *outcome_xml(const lp_ruleset *rs, lp_history *h)
{
    lp_result *r = NULL;
    char *xml = NULL;
    lp_calc_options o = LP_CALC_OPTIONS_INIT;
    o.flags = LP_CALC_TRACE;
    assert_int_equal(lp_calc(&r, rs, h, &o), LP_OK);
    assert_int_equal(lp_result_to_xml(&xml, r), LP_OK);
    lp_result_free(r);
    return xml;
}

/* Fail each n-th allocation of a traced calculation (through pad when not
 * NULL) and of writing its result: LP_ENOMEM, or the reference result. */
static void sweep_calc(const lp_ruleset *rs, lp_history *h, const char *ref, unsigned long total,
                       lp_scratchpad *pad)
{
    unsigned long n, tried = 0, enomem = 0, absorbed = 0;
    int rc;
    for (n = 1; n <= total; n += stride) {
        lp_result *r = NULL;
        char *xml = NULL;
        lp_calc_options o = LP_CALC_OPTIONS_INIT;
        o.flags = LP_CALC_TRACE;
        lp__alloc_fail_at(n);
        rc = pad ? lp_calc_with_pad(&r, pad, rs, h, &o) : lp_calc(&r, rs, h, &o);
        if (rc == LP_OK) {
            /* a whole calculation gives back every intermediate it took */
            if (pad)
                assert_int_equal(pad->eval.depth, 0);
            rc = lp_result_to_xml(&xml, r);
        }
        lp__alloc_fail_at(0);
        tried++;
        if (rc == LP_ENOMEM) {
            assert_null(xml);
            assert_int_equal(lp_error_last()->code, LP_ENOMEM);
            enomem++;
        } else if (rc == LP_OK) {
            if (strcmp(xml, ref) != 0) {
                size_t k = 0;
                while (xml[k] && xml[k] == ref[k])
                    k++;
                fail_msg("allocation %lu of %lu failed, the calculation succeeded with another "
                         "result, from: %.200s", n, total, xml + (k > 80 ? k - 80 : 0));
            }
            absorbed++;
        } else {
            fail_msg("allocation %lu of %lu failed: calc gave %d (%s): %s", n, total, rc,
                     lp_strerror(rc), lp_error_last()->message);
        }
        lp_free(xml);
        lp_result_free(r);
    }
    sweep_report(pad ? "lp_calc_with one scratch pad + lp_result_to_xml (traced)"
                     : "lp_calc + lp_result_to_xml (traced)", tried, total, enomem, absorbed);
}

static void test_unit_allocfail__history_and_calc(void **state)
{
    lp_ruleset *rs = NULL;
    lp_history *ref_h = NULL, *h;
    lp_scratchpad *pad;
    char *ref;
    unsigned long n, total, tried = 0, enomem = 0, absorbed = 0;
    int rc;
    (void)state;
    lp__alloc_fail_at(0);
    assert_int_equal(lp_ruleset_load_dir(&rs, NULL, rules_dir(), NULL), LP_OK);

    /* loading the history */
    lp__alloc_fail_at(0);
    assert_int_equal(lp_history_load_file(&ref_h, history_path), LP_OK);
    total = lp__alloc_count();
    for (n = 1; n <= total; n++) {
        h = NULL;
        lp__alloc_fail_at(n);
        rc = lp_history_load_file(&h, history_path);
        lp__alloc_fail_at(0);
        tried++;
        if (rc == LP_ENOMEM) {
            assert_null(h);
            enomem++;
        } else {
            assert_int_equal(rc, LP_OK);
            assert_int_equal(lp_history_period_count(h), lp_history_period_count(ref_h));
            absorbed++;
        }
        lp_history_free(h);
    }
    sweep_report("lp_history_load_file", tried, total, enomem, absorbed);

    /* computing the career, with a trace, and writing the result */
    lp__alloc_fail_at(0);
    ref = outcome_xml(rs, ref_h);
    total = lp__alloc_count();
    sweep_calc(rs, ref_h, ref, total, NULL);
    lp__alloc_fail_at(1);
    assert_int_equal(lp_scratchpad_new(&pad), LP_ENOMEM);
    assert_null(pad);
    assert_int_equal(lp_error_last()->code, LP_ENOMEM);
    lp__alloc_fail_at(0);
    assert_int_equal(lp_scratchpad_new(&pad), LP_OK);
    sweep_calc(rs, ref_h, ref, total, pad);
    lp_scratchpad_free(pad);
    lp_free(ref);
    lp_history_free(ref_h);
    lp_ruleset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unit_allocfail__ruleset_load),
        cmocka_unit_test(test_unit_allocfail__history_and_calc),
    };
    const char *dir = getenv("LP_TEST_DATADIR"), *s = getenv("LP_ALLOCFAIL_STRIDE");
    if (s && atol(s) > 0)
        stride = (unsigned long)atol(s);
    snprintf(history_path, sizeof history_path, "%s/cases/e10-filipino-japan-totalised/history.xml",
             dir ? dir : "data");
    return cmocka_run_group_tests_name("unit_allocfail", tests, NULL, NULL);
}
