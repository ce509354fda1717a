/* Public period API: counting rules over merged periods, and the
 * Reg 987/2009 Art 13 conversion. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include <portability.h>

static lp_period P(int y1, int m1, int d1, int y2, int m2, int d2, const char *kind)
{
    lp_period p;
    p.from.year = y1;
    p.from.month = m1;
    p.from.day = d1;
    p.to.year = y2;
    p.to.month = m2;
    p.to.day = d2;
    p.kind = kind;
    return p;
}

static void assert_count(const lp_period *v, size_t n, const char *counting, const char *expected)
{
    char *s = NULL;
    int rc = lp_periods_count(&s, v, n, counting);
    if (rc != LP_OK)
        print_error("%s: %s\n", counting, lp_error_last()->message);
    assert_int_equal(rc, LP_OK);
    assert_non_null(s);
    assert_string_equal(s, expected);
    lp_free(s);
}

static void assert_count_fails(const lp_period *v, size_t n, const char *counting, int code)
{
    char *s = (char *)"sentinel";
    lp_error_clear();
    assert_int_equal(lp_periods_count(&s, v, n, counting), code);
    assert_null(s);
    assert_int_equal(lp_error_last()->code, code);
    assert_string_not_equal(lp_error_last()->message, "");
}

static void test_period__count_japanese_career_five_years(void **state)
{
    (void)state;
    lp_period p = P(1995, 4, 1, 2000, 3, 31, "contribution");
    assert_count(&p, 1, "days", "1827");
    assert_count(&p, 1, "weeks", "261");
    assert_count(&p, 1, "months-touched", "60");
    assert_count(&p, 1, "whole-months", "60");
    assert_count(&p, 1, "quarters-touched", "20");
    assert_count(&p, 1, "whole-years", "5");
    assert_count(&p, 1, "eu-days-5", "1320");
    assert_count(&p, 1, "eu-days-6", "1560");
    assert_count(&p, 1, "eu-days-7", "1800");
    assert_count(&p, 1, "months-to-loss", "60");        /* ends on a month's last day */
    assert_count(&p, 1, "whole-months-part-up", "60");
}

/* Japan: the month in which coverage is lost (the day after the last day) does
 * not count; a month of both start and loss counts as one. Taiwan: whole
 * months, a part month left over as one. */
static void test_period__count_to_loss_and_part_up(void **state)
{
    (void)state;
    lp_period mid = P(2022, 1, 10, 2024, 12, 15, "employment");
    lp_period end = P(2022, 1, 10, 2024, 12, 31, "employment");
    lp_period one = P(2024, 3, 5, 2024, 3, 20, NULL);
    lp_period v[] = { P(2024, 3, 5, 2024, 3, 20, NULL), P(2024, 5, 10, 2024, 11, 20, NULL) };
    lp_period tw = P(2010, 1, 15, 2025, 1, 14, NULL);
    lp_period last = P(9999, 12, 2, 9999, 12, 31, NULL);
    assert_count(&mid, 1, "months-to-loss", "35");
    assert_count(&mid, 1, "months-touched", "36");
    assert_count(&end, 1, "months-to-loss", "36");
    assert_count(&one, 1, "months-to-loss", "1");
    assert_count(v, 2, "months-to-loss", "7");         /* March; May - October */
    assert_count(&last, 1, "months-to-loss", "1");
    assert_count(&tw, 1, "whole-months-part-up", "180");
    assert_count(&tw, 1, "months-touched", "181");
    assert_count(&one, 1, "whole-months-part-up", "1");
}

static void test_period__count_partial_months(void **state)
{
    (void)state;
    lp_period p = P(2024, 1, 15, 2024, 2, 14, NULL);
    assert_count(&p, 1, "days", "31");
    assert_count(&p, 1, "weeks", "4");
    assert_count(&p, 1, "months-touched", "2");
    assert_count(&p, 1, "whole-months", "1");
    assert_count(&p, 1, "quarters-touched", "1");
    assert_count(&p, 1, "whole-years", "0");
    /* Jan 15..31: 17 days = 2 weeks (10) + 3; Feb 1..14: 2 weeks (10) */
    assert_count(&p, 1, "eu-days-5", "23");
}

static void test_period__count_merges_overlaps_once(void **state)
{
    (void)state;
    lp_period v[] = {
        P(2020, 1, 1, 2020, 6, 30, "employment"),
        P(2020, 4, 1, 2020, 12, 31, "residence"),      /* overlaps the first */
        P(2021, 1, 1, 2021, 1, 31, "credited"),        /* adjacent */
        P(2020, 2, 1, 2020, 2, 29, "voluntary"),       /* contained */
    };
    assert_count(v, 4, "days", "397");
    assert_count(v, 4, "months-touched", "13");
    assert_count(v, 4, "whole-months", "13");
    assert_count(v, 4, "whole-years", "1");
    assert_count(v, 4, "quarters-touched", "5");
    assert_count(v, 4, "eu-days-7", "390");
}

static void test_period__count_empty_is_zero(void **state)
{
    (void)state;
    assert_count(NULL, 0, "days", "0");
    assert_count(NULL, 0, "eu-days-6", "0");
}

static void test_period__count_rejects_period_ending_before_start(void **state)
{
    (void)state;
    lp_period p = P(2020, 2, 1, 2020, 1, 31, NULL);
    assert_count_fails(&p, 1, "days", LP_EPARSE);
}

static void test_period__count_rejects_invalid_dates(void **state)
{
    (void)state;
    lp_period p = P(2023, 2, 29, 2023, 3, 31, NULL);
    assert_count_fails(&p, 1, "days", LP_EPARSE);
    p = P(2023, 1, 1, 2023, 13, 1, NULL);
    assert_count_fails(&p, 1, "days", LP_EPARSE);
    p = P(0, 1, 1, 2023, 1, 1, NULL);
    assert_count_fails(&p, 1, "days", LP_EPARSE);
}

static void test_period__count_rejects_unknown_names(void **state)
{
    (void)state;
    lp_period p = P(2023, 1, 1, 2023, 3, 31, "contribution");
    assert_count_fails(&p, 1, "fortnights", LP_EPARSE);
    assert_count_fails(&p, 1, "", LP_EPARSE);
    assert_count_fails(&p, 1, "Days", LP_EPARSE);
    p.kind = "holiday";
    assert_count_fails(&p, 1, "days", LP_EPARSE);
}

static void test_period__count_null_arguments(void **state)
{
    (void)state;
    lp_period p = P(2023, 1, 1, 2023, 3, 31, NULL);
    assert_count_fails(&p, 1, NULL, LP_EINVAL);
    assert_count_fails(NULL, 1, "days", LP_EINVAL);
    assert_int_equal(lp_periods_count(NULL, &p, 1, "days"), LP_EINVAL);
}

static void assert_convert(const char *amount, const char *from, const char *to, int dpw, const char *expected)
{
    char *s = NULL;
    int rc = lp_periods_eu_convert(&s, amount, from, to, dpw);
    if (rc != LP_OK)
        print_error("%s %s->%s: %s\n", amount, from, to, lp_error_last()->message);
    assert_int_equal(rc, LP_OK);
    assert_string_equal(s, expected);
    lp_free(s);
}

static void assert_convert_fails(const char *amount, const char *from, const char *to, int dpw, int code)
{
    char *s = (char *)"sentinel";
    lp_error_clear();
    assert_int_equal(lp_periods_eu_convert(&s, amount, from, to, dpw), code);
    assert_null(s);
    assert_int_equal(lp_error_last()->code, code);
}

static void test_period__eu_convert_table(void **state)
{
    (void)state;
    assert_convert("1", "month", "day", 5, "22");
    assert_convert("1", "month", "day", 6, "26");
    assert_convert("1", "month", "day", 7, "30");
    assert_convert("1", "quarter", "day", 5, "66");
    assert_convert("1", "year", "day", 7, "360");
    assert_convert("10", "day", "week", 5, "2");
    assert_convert("11", "day", "week", 5, "3");     /* point (e): 2.2 -> 3 */
    assert_convert("3", "month", "week", 5, "13");
    assert_convert("1", "month", "week", 5, "5");     /* 13/3 -> 5 */
    assert_convert("13", "week", "quarter", 6, "1");
    assert_convert("52", "week", "year", 6, "1");
    assert_convert("1", "year", "month", 6, "12");
    assert_convert("0", "year", "day", 5, "0");
}

static void test_period__eu_convert_fractional_amounts(void **state)
{
    (void)state;
    assert_convert("1.5", "month", "day", 5, "33");
    assert_convert("3/2", "week", "day", 5, "8");     /* 7.5 -> 8 */
    assert_convert("0.5", "year", "week", 7, "26");
    assert_convert("1.50", "month", "month", 5, "3/2"); /* same unit: unchanged */
    assert_convert("4/2", "week", "week", 5, "2");
}

static void test_period__eu_convert_errors(void **state)
{
    (void)state;
    assert_convert_fails("1", "month", "day", 4, LP_EINVAL);
    assert_convert_fails("1", "month", "day", 8, LP_EINVAL);
    assert_convert_fails("-1", "month", "day", 5, LP_EINVAL);
    assert_convert_fails("1", "fortnight", "day", 5, LP_EPARSE);
    assert_convert_fails("1", "month", "days", 5, LP_EPARSE);
    assert_convert_fails("1e3", "month", "day", 5, LP_EPARSE);
    assert_convert_fails("", "month", "day", 5, LP_EPARSE);
    assert_convert_fails(" 1", "month", "day", 5, LP_EPARSE);
    assert_convert_fails("1.", "month", "day", 5, LP_EPARSE);
    assert_convert_fails("1/0", "month", "day", 5, LP_EPARSE);
    assert_convert_fails("1/2/3", "month", "day", 5, LP_EPARSE);
    assert_convert_fails("+1", "month", "day", 5, LP_EPARSE);
    assert_convert_fails(NULL, "month", "day", 5, LP_EINVAL);
    assert_convert_fails("1", NULL, "day", 5, LP_EINVAL);
    assert_convert_fails("1", "month", NULL, 5, LP_EINVAL);
    assert_int_equal(lp_periods_eu_convert(NULL, "1", "month", "day", 5), LP_EINVAL);
}

/* Issue 21: a 10,000,000-digit amount was converted; 64 digits is the limit
 * of every literal (decimal.h). */
static void test_period__eu_convert_digit_limit(void **state)
{
    size_t n = 10000000;
    char *big = malloc(n + 1);
    (void)state;
    assert_non_null(big);
    memset(big, '7', n);
    big[n] = '\0';
    assert_convert_fails(big, "month", "day", 5, LP_ERANGE);
    big[65] = '\0';
    assert_convert_fails(big, "month", "day", 5, LP_ERANGE);
    big[64] = '\0';
    assert_convert("7777777777777777777777777777777777777777777777777777777777777777", "month", "month",
                   5, big);
    memcpy(big, "1.", 2);
    memset(big + 2, '7', 64);       /* 1 + 64 digits */
    big[66] = '\0';
    assert_convert_fails(big, "month", "day", 5, LP_ERANGE);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_period__eu_convert_digit_limit),
        cmocka_unit_test(test_period__count_japanese_career_five_years),
        cmocka_unit_test(test_period__count_partial_months),
        cmocka_unit_test(test_period__count_to_loss_and_part_up),
        cmocka_unit_test(test_period__count_merges_overlaps_once),
        cmocka_unit_test(test_period__count_empty_is_zero),
        cmocka_unit_test(test_period__count_rejects_period_ending_before_start),
        cmocka_unit_test(test_period__count_rejects_invalid_dates),
        cmocka_unit_test(test_period__count_rejects_unknown_names),
        cmocka_unit_test(test_period__count_null_arguments),
        cmocka_unit_test(test_period__eu_convert_table),
        cmocka_unit_test(test_period__eu_convert_fractional_amounts),
        cmocka_unit_test(test_period__eu_convert_errors),
    };
    return cmocka_run_group_tests_name("period", tests, NULL, NULL);
}
