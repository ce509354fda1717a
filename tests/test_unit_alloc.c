/* Internal: allocation wrappers, failure injection and error setting. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "config.h"
#include "alloc.h"
#include "error.h"

static void test_unit_alloc__injected_failure_sets_enomem(void **state)
{
    (void)state;
    lp__alloc_fail_at(2);
    void *a = lp__malloc(8);
    assert_non_null(a);
    void *b = lp__malloc(8);
    assert_null(b);
    assert_int_equal(lp_error_last()->code, LP_ENOMEM);
    void *c = lp__malloc(8);
    assert_non_null(c);
    assert_int_equal(lp__alloc_count(), 3);
    lp__alloc_fail_at(0);
    lp__free(a);
    lp__free(c);
}

static void test_unit_alloc__strndup_copies_and_terminates(void **state)
{
    (void)state;
    char *s = lp__strndup("abcdef", 3);
    assert_string_equal(s, "abc");
    lp__free(s);
}

static void test_unit_alloc__error_set_at_keeps_location(void **state)
{
    (void)state;
    int rc = lp__error_set_at(LP_EPARSE, "rules/x.xml", 12, 7, "bad %s", "thing");
    assert_int_equal(rc, LP_EPARSE);
    const lp_error *e = lp_error_last();
    assert_int_equal(e->code, LP_EPARSE);
    assert_string_equal(e->message, "bad thing");
    assert_string_equal(e->file, "rules/x.xml");
    assert_int_equal(e->line, 12);
    assert_int_equal(e->column, 7);
    lp__error_set(LP_EINVAL, "no location");
    assert_null(lp_error_last()->file);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unit_alloc__injected_failure_sets_enomem),
        cmocka_unit_test(test_unit_alloc__strndup_copies_and_terminates),
        cmocka_unit_test(test_unit_alloc__error_set_at_keeps_location),
    };
    return cmocka_run_group_tests_name("unit_alloc", tests, NULL, NULL);
}
