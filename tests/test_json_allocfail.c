/* lp_result_to_json() when jansson cannot allocate: every allocation of the
 * document is failed in turn (jansson's allocator hooks, which only a test
 * program may set: the library never touches them). Each attempt gives
 * LP_ENOMEM with nothing returned, or the reference text; run under valgrind
 * or AddressSanitizer (make check-valgrind, --enable-sanitizers) it also shows
 * that a failed build frees all it made. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <portability.h>

static unsigned long calls, fail_at;

static void *failing_malloc(size_t n)
{
    if (fail_at && ++calls == fail_at)
        return NULL;
    return malloc(n);
}

static void test_json_allocfail__every_allocation(void **state)
{
    char path[1024];
    lp_ruleset *rs = NULL;
    lp_history *h = NULL;
    lp_result *r = NULL;
    lp_calc_options o = LP_CALC_OPTIONS_INIT;
    char *ref = NULL, *ref_compact = NULL;
    unsigned long n, total, enomem = 0;
    (void)state;
    snprintf(path, sizeof path, "%s/cases/e12-sss-pro-rata/history.xml", getenv("LP_TEST_DATADIR"));
    assert_int_equal(lp_ruleset_load_dir(&rs, NULL, getenv("LP_RULES_DIR"), NULL), LP_OK);
    assert_int_equal(lp_history_load_file(&h, path), LP_OK);
    o.flags = LP_CALC_TRACE;
    assert_int_equal(lp_calc(&r, rs, h, &o), LP_OK);

    json_set_alloc_funcs(failing_malloc, free);
    calls = 0;
    fail_at = 0;
    assert_int_equal(lp_result_to_json(&ref, r, 0), LP_OK);
    assert_int_equal(lp_result_to_json(&ref_compact, r, LP_JSON_COMPACT), LP_OK);
    /* count the allocations of one document */
    fail_at = (unsigned long)-1;
    calls = 0;
    {
        char *again = NULL;
        assert_int_equal(lp_result_to_json(&again, r, 0), LP_OK);
        assert_string_equal(again, ref);
        lp_free(again);
    }
    total = calls;
    assert_true(total > 100);
    for (n = 1; n <= total; n++) {
        char *out = NULL;
        int rc;
        calls = 0;
        fail_at = n;
        rc = lp_result_to_json(&out, r, n % 2 ? LP_JSON_COMPACT : 0);
        fail_at = 0;
        if (rc == LP_ENOMEM) {
            assert_null(out);
            enomem++;
        } else {
            /* an allocation jansson could do without: the same document */
            assert_int_equal(rc, LP_OK);
            assert_string_equal(out, n % 2 ? ref_compact : ref);
        }
        lp_free(out);
    }
    json_set_alloc_funcs(malloc, free);
    print_message("# %lu allocations of jansson failed in turn: %lu gave LP_ENOMEM\n", total, enomem);
    assert_true(enomem > 0);
    lp_free(ref);
    lp_free(ref_compact);
    lp_result_free(r);
    lp_history_free(h);
    lp_ruleset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_allocfail__every_allocation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
