/* Public error model: codes, texts, the thread-local last error, version. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <string.h>

#include <portability.h>

static void test_errors__strerror_names_every_code(void **state)
{
    (void)state;
    for (int code = LP_ERANGE; code <= LP_OK; code++) {
        const char *text = lp_strerror(code);
        assert_non_null(text);
        assert_string_not_equal(text, "unknown error");
    }
    assert_string_equal(lp_strerror(-999), "unknown error");
    assert_string_equal(lp_strerror(LP_EDIVZERO), "division by zero");
}

static void test_errors__last_is_never_null_and_clears(void **state)
{
    (void)state;
    lp_error_clear();
    const lp_error *e = lp_error_last();
    assert_non_null(e);
    assert_int_equal(e->code, LP_OK);
    assert_string_equal(e->message, "");
    assert_null(e->file);
    assert_int_equal(e->line, 0);
}

static void *other_thread(void *arg)
{
    (void)arg;
    /* A fresh thread sees no error even if the main thread has one. */
    return (void *)(intptr_t)lp_error_last()->code;
}

static void test_errors__last_is_per_thread(void **state)
{
    (void)state;
    pthread_t t;
    void *code = NULL;
    lp_error_clear();
    lp_free(NULL); /* NULL-safe, sets nothing */
    assert_int_equal(lp_error_last()->code, LP_OK);
    assert_int_equal(pthread_create(&t, NULL, other_thread, NULL), 0);
    assert_int_equal(pthread_join(t, &code), 0);
    assert_int_equal((intptr_t)code, LP_OK);
}

static void test_errors__version_matches_headers(void **state)
{
    (void)state;
    int major = -1, minor = -1, micro = -1;
    lp_version(&major, &minor, &micro);
    assert_int_equal(major, LP_VERSION_MAJOR);
    assert_int_equal(minor, LP_VERSION_MINOR);
    assert_int_equal(micro, LP_VERSION_MICRO);
    assert_string_equal(lp_version_string(), LP_VERSION_STRING);
    assert_true(LP_VERSION_CHECK(0, 0, 0));
    assert_false(LP_VERSION_CHECK(LP_VERSION_MAJOR + 1, 0, 0));
    lp_version(NULL, NULL, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_errors__strerror_names_every_code),
        cmocka_unit_test(test_errors__last_is_never_null_and_clears),
        cmocka_unit_test(test_errors__last_is_per_thread),
        cmocka_unit_test(test_errors__version_matches_headers),
    };
    return cmocka_run_group_tests_name("errors", tests, NULL, NULL);
}
