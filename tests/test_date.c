/* Public date API: parsing, formatting, validity, comparison, month and year
 * arithmetic, age and fiscal years. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include <portability.h>

static lp_date D(int y, int m, int d)
{
    lp_date r = { y, m, d };
    return r;
}

static void assert_date(lp_date got, int y, int m, int d)
{
    assert_int_equal(got.year, y);
    assert_int_equal(got.month, m);
    assert_int_equal(got.day, d);
}

/* Parse must fail with code, leave *out untouched and set the last error. */
static void assert_parse_fails(const char *iso, int code)
{
    lp_date out = { 7, 7, 7 };
    lp_error_clear();
    assert_int_equal(lp_date_parse(&out, iso), code);
    assert_date(out, 7, 7, 7);
    assert_int_equal(lp_error_last()->code, code);
    assert_string_not_equal(lp_error_last()->message, "");
}

static void test_date__parse_valid_dates(void **state)
{
    (void)state;
    lp_date d;
    assert_int_equal(lp_date_parse(&d, "2025-02-03"), LP_OK);
    assert_date(d, 2025, 2, 3);
    assert_int_equal(lp_date_parse(&d, "2024-02-29"), LP_OK);
    assert_date(d, 2024, 2, 29);
    assert_int_equal(lp_date_parse(&d, "2000-02-29"), LP_OK);
    assert_date(d, 2000, 2, 29);
    assert_int_equal(lp_date_parse(&d, "0001-01-01"), LP_OK);
    assert_date(d, 1, 1, 1);
    assert_int_equal(lp_date_parse(&d, "9999-12-31"), LP_OK);
    assert_date(d, 9999, 12, 31);
    assert_int_equal(lp_date_parse(&d, "1970-01-01"), LP_OK);
    assert_date(d, 1970, 1, 1);
}

static void test_date__parse_rejects_nonexistent_days(void **state)
{
    (void)state;
    assert_parse_fails("2025-02-30", LP_EPARSE);
    assert_string_equal(lp_error_last()->message, "2025-02-30: February 2025 has 28 days");
    assert_parse_fails("2023-02-29", LP_EPARSE);
    assert_string_equal(lp_error_last()->message, "2023-02-29: February 2023 has 28 days");
    assert_parse_fails("1900-02-29", LP_EPARSE);
    assert_parse_fails("2025-04-31", LP_EPARSE);
    assert_string_equal(lp_error_last()->message, "2025-04-31: April 2025 has 30 days");
    assert_parse_fails("2025-13-01", LP_EPARSE);
    assert_non_null(strstr(lp_error_last()->message, "month 13"));
    assert_parse_fails("2025-00-10", LP_EPARSE);
    assert_parse_fails("2025-01-00", LP_EPARSE);
    assert_parse_fails("2025-01-32", LP_EPARSE);
}

static void test_date__parse_rejects_malformed_text(void **state)
{
    (void)state;
    assert_parse_fails("2025-2-3", LP_EPARSE);
    assert_parse_fails("2025-02-03x", LP_EPARSE);
    assert_parse_fails(" 2025-02-03", LP_EPARSE);
    assert_parse_fails("2025-02-03 ", LP_EPARSE);
    assert_parse_fails("2025/02/03", LP_EPARSE);
    assert_parse_fails("20250203", LP_EPARSE);
    assert_parse_fails("+025-02-03", LP_EPARSE);
    assert_parse_fails("2025-0a-03", LP_EPARSE);
    assert_parse_fails("-025-02-03", LP_EPARSE);
    assert_parse_fails("12025-02-03", LP_EPARSE);
    assert_parse_fails("2025-02-03T00:00", LP_EPARSE);
    assert_parse_fails("", LP_EPARSE);
}

static void test_date__parse_year_zero_is_out_of_range(void **state)
{
    (void)state;
    assert_parse_fails("0000-01-01", LP_ERANGE);
}

static void test_date__parse_null_arguments(void **state)
{
    (void)state;
    lp_date d = { 7, 7, 7 };
    assert_int_equal(lp_date_parse(&d, NULL), LP_EINVAL);
    assert_date(d, 7, 7, 7);
    assert_int_equal(lp_date_parse(NULL, "2025-01-01"), LP_EINVAL);
}

static void test_date__format_round_trips(void **state)
{
    (void)state;
    char *s = NULL;
    lp_date d;
    assert_int_equal(lp_date_format(&s, D(2024, 2, 29)), LP_OK);
    assert_string_equal(s, "2024-02-29");
    assert_int_equal(lp_date_parse(&d, s), LP_OK);
    assert_date(d, 2024, 2, 29);
    lp_free(s);
    assert_int_equal(lp_date_format(&s, D(1, 1, 1)), LP_OK);
    assert_string_equal(s, "0001-01-01");
    lp_free(s);
}

static void test_date__format_invalid_date_sets_out_null(void **state)
{
    (void)state;
    char *s = (char *)"sentinel";
    assert_int_equal(lp_date_format(&s, D(2023, 2, 29)), LP_EINVAL);
    assert_null(s);
    s = (char *)"sentinel";
    assert_int_equal(lp_date_format(&s, D(10000, 1, 1)), LP_EINVAL);
    assert_null(s);
    assert_int_equal(lp_date_format(NULL, D(2023, 2, 28)), LP_EINVAL);
}

static void test_date__is_valid_follows_gregorian_leap_years(void **state)
{
    (void)state;
    assert_true(lp_date_is_valid(D(2024, 2, 29)));
    assert_false(lp_date_is_valid(D(2023, 2, 29)));
    assert_false(lp_date_is_valid(D(1900, 2, 29)));
    assert_true(lp_date_is_valid(D(2000, 2, 29)));
    assert_false(lp_date_is_valid(D(2025, 2, 30)));
    assert_true(lp_date_is_valid(D(2025, 12, 31)));
    assert_false(lp_date_is_valid(D(2025, 11, 31)));
    assert_false(lp_date_is_valid(D(0, 1, 1)));
    assert_false(lp_date_is_valid(D(10000, 1, 1)));
    assert_false(lp_date_is_valid(D(2025, 0, 1)));
    assert_false(lp_date_is_valid(D(2025, 13, 1)));
    assert_false(lp_date_is_valid(D(2025, 1, 0)));
    assert_false(lp_date_is_valid(D(2025, 1, -1)));
}

static void test_date__compare_orders_fields(void **state)
{
    (void)state;
    assert_int_equal(lp_date_compare(D(2025, 1, 1), D(2025, 1, 1)), 0);
    assert_int_equal(lp_date_compare(D(2024, 12, 31), D(2025, 1, 1)), -1);
    assert_int_equal(lp_date_compare(D(2025, 1, 1), D(2024, 12, 31)), 1);
    assert_int_equal(lp_date_compare(D(2025, 2, 1), D(2025, 1, 31)), 1);
    assert_int_equal(lp_date_compare(D(2025, 1, 30), D(2025, 1, 31)), -1);
}

static void test_date__add_months_end_of_month_rule(void **state)
{
    (void)state;
    lp_date r;
    assert_int_equal(lp_date_add_months(&r, D(2025, 1, 31), 1), LP_OK);
    assert_date(r, 2025, 2, 28);
    assert_int_equal(lp_date_add_months(&r, D(2024, 1, 31), 1), LP_OK);
    assert_date(r, 2024, 2, 29);
    assert_int_equal(lp_date_add_months(&r, D(2024, 3, 31), -1), LP_OK);
    assert_date(r, 2024, 2, 29);
    assert_int_equal(lp_date_add_months(&r, D(2025, 3, 31), 1), LP_OK);
    assert_date(r, 2025, 4, 30);
    assert_int_equal(lp_date_add_months(&r, D(2025, 11, 15), 3), LP_OK);
    assert_date(r, 2026, 2, 15);
    assert_int_equal(lp_date_add_months(&r, D(2025, 1, 15), -13), LP_OK);
    assert_date(r, 2023, 12, 15);
    assert_int_equal(lp_date_add_months(&r, D(2025, 1, 15), 0), LP_OK);
    assert_date(r, 2025, 1, 15);
    /* no drift memory: the clamped day is the result's own */
    assert_int_equal(lp_date_add_months(&r, D(2025, 1, 31), 2), LP_OK);
    assert_date(r, 2025, 3, 31);
}

static void test_date__add_months_errors(void **state)
{
    (void)state;
    lp_date r = { 7, 7, 7 };
    assert_int_equal(lp_date_add_months(&r, D(9999, 12, 1), 1), LP_ERANGE);
    assert_date(r, 7, 7, 7);
    assert_int_equal(lp_date_add_months(&r, D(1, 1, 31), -1), LP_ERANGE);
    assert_int_equal(lp_date_add_months(&r, D(2025, 1, 1), 2147483647), LP_ERANGE);
    assert_int_equal(lp_date_add_months(&r, D(2025, 1, 1), -2147483647 - 1), LP_ERANGE);
    assert_int_equal(lp_date_add_months(&r, D(2025, 2, 29), 1), LP_EINVAL);
    assert_date(r, 7, 7, 7);
    assert_int_equal(lp_date_add_months(NULL, D(2025, 1, 1), 1), LP_EINVAL);
    assert_int_equal(lp_error_last()->code, LP_EINVAL);
}

static void test_date__add_years_leap_day(void **state)
{
    (void)state;
    lp_date r = { 7, 7, 7 };
    assert_int_equal(lp_date_add_years(&r, D(2024, 2, 29), 1), LP_OK);
    assert_date(r, 2025, 2, 28);
    assert_int_equal(lp_date_add_years(&r, D(2024, 2, 29), 4), LP_OK);
    assert_date(r, 2028, 2, 29);
    assert_int_equal(lp_date_add_years(&r, D(2024, 2, 29), -124), LP_OK);
    assert_date(r, 1900, 2, 28);
    assert_int_equal(lp_date_add_years(&r, D(2025, 6, 30), -10), LP_OK);
    assert_date(r, 2015, 6, 30);
    r = D(7, 7, 7);
    assert_int_equal(lp_date_add_years(&r, D(9999, 1, 1), 1), LP_ERANGE);
    assert_int_equal(lp_date_add_years(&r, D(2025, 1, 1), 2147483647), LP_ERANGE);
    assert_int_equal(lp_date_add_years(&r, D(2025, 1, 32), 1), LP_EINVAL);
    assert_date(r, 7, 7, 7);
    assert_int_equal(lp_date_add_years(NULL, D(2025, 1, 1), 1), LP_EINVAL);
}

static void test_date__age_around_birthdays(void **state)
{
    (void)state;
    int age = -7;
    assert_int_equal(lp_date_age(&age, D(1960, 5, 10), D(2025, 5, 9)), LP_OK);
    assert_int_equal(age, 64);
    assert_int_equal(lp_date_age(&age, D(1960, 5, 10), D(2025, 5, 10)), LP_OK);
    assert_int_equal(age, 65);
    assert_int_equal(lp_date_age(&age, D(1960, 5, 10), D(2025, 5, 11)), LP_OK);
    assert_int_equal(age, 65);
    assert_int_equal(lp_date_age(&age, D(1960, 12, 31), D(2025, 1, 1)), LP_OK);
    assert_int_equal(age, 64);
    assert_int_equal(lp_date_age(&age, D(1960, 5, 10), D(1960, 5, 10)), LP_OK);
    assert_int_equal(age, 0);
}

static void test_date__age_born_on_february_29(void **state)
{
    (void)state;
    int age = -7;
    /* common year: the birthday is reached on 1 March */
    assert_int_equal(lp_date_age(&age, D(1960, 2, 29), D(2025, 2, 28)), LP_OK);
    assert_int_equal(age, 64);
    assert_int_equal(lp_date_age(&age, D(1960, 2, 29), D(2025, 3, 1)), LP_OK);
    assert_int_equal(age, 65);
    /* leap year: on 29 February itself */
    assert_int_equal(lp_date_age(&age, D(1960, 2, 29), D(2024, 2, 28)), LP_OK);
    assert_int_equal(age, 63);
    assert_int_equal(lp_date_age(&age, D(1960, 2, 29), D(2024, 2, 29)), LP_OK);
    assert_int_equal(age, 64);
    /* someone born on 1 March is not older on 29 February */
    assert_int_equal(lp_date_age(&age, D(1960, 3, 1), D(2024, 2, 29)), LP_OK);
    assert_int_equal(age, 63);
}

static void test_date__age_errors(void **state)
{
    (void)state;
    int age = -7;
    assert_int_equal(lp_date_age(&age, D(2000, 1, 2), D(2000, 1, 1)), LP_EINVAL);
    assert_int_equal(age, -7);
    assert_int_equal(lp_error_last()->code, LP_EINVAL);
    assert_int_equal(lp_date_age(&age, D(2001, 2, 29), D(2025, 1, 1)), LP_EINVAL);
    assert_int_equal(lp_date_age(&age, D(2001, 2, 28), D(2025, 2, 30)), LP_EINVAL);
    assert_int_equal(age, -7);
    assert_int_equal(lp_date_age(NULL, D(2000, 1, 1), D(2025, 1, 1)), LP_EINVAL);
}

static void test_date__fiscal_year_japan_boundaries(void **state)
{
    (void)state;
    int fy = -7;
    assert_int_equal(lp_date_fiscal_year(&fy, D(2026, 3, 31), 4), LP_OK);
    assert_int_equal(fy, 2025);
    assert_int_equal(lp_date_fiscal_year(&fy, D(2025, 4, 1), 4), LP_OK);
    assert_int_equal(fy, 2025);
    assert_int_equal(lp_date_fiscal_year(&fy, D(2025, 3, 31), 4), LP_OK);
    assert_int_equal(fy, 2024);
    assert_int_equal(lp_date_fiscal_year(&fy, D(2025, 12, 31), 4), LP_OK);
    assert_int_equal(fy, 2025);
    assert_int_equal(lp_date_fiscal_year(&fy, D(2026, 1, 1), 4), LP_OK);
    assert_int_equal(fy, 2025);
    /* calendar year and a July-June year */
    assert_int_equal(lp_date_fiscal_year(&fy, D(2025, 12, 31), 1), LP_OK);
    assert_int_equal(fy, 2025);
    assert_int_equal(lp_date_fiscal_year(&fy, D(2025, 6, 30), 7), LP_OK);
    assert_int_equal(fy, 2024);
    assert_int_equal(lp_date_fiscal_year(&fy, D(2025, 7, 1), 7), LP_OK);
    assert_int_equal(fy, 2025);
}

static void test_date__fiscal_year_errors(void **state)
{
    (void)state;
    int fy = -7;
    assert_int_equal(lp_date_fiscal_year(&fy, D(2025, 4, 1), 0), LP_EINVAL);
    assert_int_equal(lp_date_fiscal_year(&fy, D(2025, 4, 1), 13), LP_EINVAL);
    assert_int_equal(lp_date_fiscal_year(&fy, D(2025, 4, 31), 4), LP_EINVAL);
    assert_int_equal(fy, -7);
    assert_int_equal(lp_date_fiscal_year(NULL, D(2025, 4, 1), 4), LP_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date__parse_valid_dates),
        cmocka_unit_test(test_date__parse_rejects_nonexistent_days),
        cmocka_unit_test(test_date__parse_rejects_malformed_text),
        cmocka_unit_test(test_date__parse_year_zero_is_out_of_range),
        cmocka_unit_test(test_date__parse_null_arguments),
        cmocka_unit_test(test_date__format_round_trips),
        cmocka_unit_test(test_date__format_invalid_date_sets_out_null),
        cmocka_unit_test(test_date__is_valid_follows_gregorian_leap_years),
        cmocka_unit_test(test_date__compare_orders_fields),
        cmocka_unit_test(test_date__add_months_end_of_month_rule),
        cmocka_unit_test(test_date__add_months_errors),
        cmocka_unit_test(test_date__add_years_leap_day),
        cmocka_unit_test(test_date__age_around_birthdays),
        cmocka_unit_test(test_date__age_born_on_february_29),
        cmocka_unit_test(test_date__age_errors),
        cmocka_unit_test(test_date__fiscal_year_japan_boundaries),
        cmocka_unit_test(test_date__fiscal_year_errors),
    };
    return cmocka_run_group_tests_name("date", tests, NULL, NULL);
}
