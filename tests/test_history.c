/* Histories through the public API: loading (and each documented error with
 * its line), building without XML, copies for scenarios, and calculation
 * errors that name the history line. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/sha2.h>
#include <portability.h>

static lp_ruleset *rules;

static int setup(void **state)
{
    return lp_ruleset_load_dir(&rules, NULL, getenv("LP_RULES_DIR"), NULL) == LP_OK ? 0 : -1;
}

static int teardown(void **state)
{
    lp_ruleset_free(rules);
    return 0;
}

static void load_fails(const char *file, int code, int line, const char *fragment)
{
    char path[1024];
    lp_history *h = (lp_history *)&h;
    const lp_error *e;
    snprintf(path, sizeof path, "%s/histories/%s", getenv("LP_TEST_DATADIR"), file);
    assert_int_equal(lp_history_load_file(&h, path), code);
    assert_null(h);
    e = lp_error_last();
    assert_int_equal(e->code, code);
    assert_int_equal(e->line, line);
    assert_non_null(e->file);
    if (!strstr(e->message, fragment))
        fail_msg("message '%s' lacks '%s'", e->message, fragment);
}

/* A history in memory with the employment element `employment` (one line, line 5). */
static int load_employment(lp_history **h, const char *employment)
{
    char xml[2048];
    snprintf(xml, sizeof xml,
             "<?xml version=\"1.0\"?>\n"
             "<history xmlns=\"urn:libportability:history:1\" id=\"emp\">\n"
             "  <person birth-date=\"1985-05-05\" nationality=\"ID\" residence=\"ID\"/>\n"
             "  <claim date=\"2020-06-01\"/>\n"
             "%s\n"
             "</history>\n", employment);
    return lp_history_load_memory(h, "emp.xml", xml, strlen(xml));
}

static void employment_fails(const char *employment, int code, int line, int column, const char *fragment)
{
    lp_history *h = (lp_history *)&h;
    const lp_error *e;
    assert_int_equal(load_employment(&h, employment), code);
    assert_null(h);
    e = lp_error_last();
    assert_int_equal(e->line, line);
    if (column)
        assert_int_equal(e->column, column);
    assert_string_equal(e->file, "emp.xml");
    if (!strstr(e->message, fragment))
        fail_msg("message '%s' lacks '%s'", e->message, fragment);
}

static void test_history__each_bad_employment_is_refused_at_its_line(void **state)
{
    /* a wage in a currency no one knows: at the <wage> */
    employment_fails("  <employment scheme=\"SA-LABOUR\" employer=\"A\" from=\"2010-01-01\" to=\"2012-12-31\">"
                     "<wage basic=\"4000\" currency=\"XQQ\"/></employment>", LP_ECURRENCY, 5, 0,
                     "unknown currency 'XQQ'");
    /* an employment that ends before it starts */
    employment_fails("  <employment scheme=\"SA-LABOUR\" employer=\"A\" from=\"2012-01-01\" to=\"2010-12-31\"/>",
                     LP_EPARSE, 5, 3, "before it starts");
    /* the schema: a wage needs its basic part; ends is a word; an employer is named */
    employment_fails("  <employment scheme=\"SA-LABOUR\" employer=\"A\" from=\"2010-01-01\" to=\"2012-12-31\">"
                     "<wage allowances=\"100\" currency=\"SAR\"/></employment>", LP_ESCHEMA, 5, 0, "basic");
    employment_fails("  <employment scheme=\"SA-LABOUR\" employer=\"A\" from=\"2010-01-01\" to=\"2012-12-31\" "
                     "ends=\"Resigned\"/>", LP_ESCHEMA, 5, 0, "ends");
    employment_fails("  <employment scheme=\"SA-LABOUR\" employer=\"\" from=\"2010-01-01\" to=\"2012-12-31\"/>",
                     LP_ESCHEMA, 5, 0, "employer");
    /* a negative wage is not an amount */
    employment_fails("  <employment scheme=\"SA-LABOUR\" employer=\"A\" from=\"2010-01-01\" to=\"2012-12-31\">"
                     "<wage basic=\"-4000\" currency=\"SAR\"/></employment>", LP_ESCHEMA, 5, 0, "basic");
}

static const lp_lump_sum *lump_sum_of(const lp_result *r, const char *option, const char *employer)
{
    size_t i;
    for (i = 0; i < lp_result_lump_sum_count(r); i++) {
        const lp_lump_sum *l = lp_result_lump_sum_at(r, i);
        if (strcmp(lp_lump_sum_option(l), option) == 0 && lp_lump_sum_employer(l)
            && strcmp(lp_lump_sum_employer(l), employer) == 0)
            return l;
    }
    return NULL;
}

static void test_history__an_award_is_computed_per_employment(void **state)
{
    lp_history *h = NULL, *copy = NULL;
    lp_result *r = NULL;
    const lp_lump_sum *a, *b;
    int pass;
    /* SA-LABOUR art. 84: 7 years at 5,000 = 5,000 x (5/2 + 2) = 22,500; art. 85: 3 years
     * at 4,500, resigned = 4,500 x 3/2 x 1/3 = 2,250 (tests/data/cases/sa-two-employers) */
    assert_int_equal(lp_history_new(&h, "emp", "1985-05-05", "ID", "ID", "2020-06-01", NULL), LP_OK);
    assert_int_equal(lp_history_add_employment(h, "SA-LABOUR", "Al-Noor Trading", "2010-01-01", "2016-12-31",
                                               "employer-termination", "4000", "1000", "SAR"), LP_OK);
    assert_int_equal(lp_history_add_employment(h, "SA-LABOUR", "Riyadh Build Co", "2017-02-01", "2020-01-31",
                                               "resignation", "3000", "1500", "SAR"), LP_OK);
    assert_int_equal(lp_history_period_count(h), 2);
    assert_int_equal(lp_history_add_employment(h, "SA-LABOUR", NULL, "2010-01-01", "2010-12-31", NULL, NULL,
                                               NULL, NULL), LP_EINVAL);
    assert_int_equal(lp_history_add_employment(h, "SA-LABOUR", "X", "2010-01-01", "2010-12-31", "Resigned",
                                               NULL, NULL, NULL), LP_EPARSE);
    assert_int_equal(lp_history_add_employment(h, "SA-LABOUR", "X", "2010-01-01", "2010-12-31", NULL, "-1",
                                               NULL, "SAR"), LP_EPARSE);
    assert_int_equal(lp_history_add_employment(h, "SA-LABOUR", "X", "2010-01-01", "2010-12-31", NULL, NULL,
                                               "100", "SAR"), LP_EINVAL);
    assert_int_equal(lp_history_period_count(h), 2);
    /* the copy for a scenario carries the employments too */
    assert_int_equal(lp_history_with(&copy, h, "SA", NULL), LP_OK);
    for (pass = 0; pass < 2; pass++) {
        assert_int_equal(lp_calc(&r, rules, pass ? copy : h, NULL), LP_OK);
        a = lump_sum_of(r, "end-of-service-award", "Al-Noor Trading");
        b = lump_sum_of(r, "end-of-service-award", "Riyadh Build Co");
        assert_non_null(a);
        assert_non_null(b);
        assert_string_equal(lp_lump_sum_value(a), "22500.00");
        assert_string_equal(lp_lump_sum_value(b), "2250.00");
        assert_true(lp_lump_sum_available(a) && lp_lump_sum_available(b));
        lp_result_free(r);
    }
    assert_null(lp_lump_sum_employer(NULL));
    lp_history_free(copy);
    lp_history_free(h);
}

static void test_history__a_wage_in_another_currency_is_an_error_at_the_employment(void **state)
{
    lp_history *h = NULL;
    lp_result *r = NULL;
    const lp_lump_sum *l;
    assert_int_equal(load_employment(&h, "  <employment scheme=\"SA-LABOUR\" employer=\"A\" from=\"2010-01-01\" "
                                         "to=\"2016-12-31\" ends=\"contract-end\"><wage basic=\"4000\" "
                                         "currency=\"USD\"/></employment>"), LP_OK);
    assert_int_equal(lp_calc(&r, rules, h, NULL), LP_OK);
    l = lump_sum_of(r, "end-of-service-award", "A");
    assert_non_null(l);
    assert_false(lp_lump_sum_available(l));
    assert_non_null(lp_lump_sum_error(l));
    if (!strstr(lp_lump_sum_error(l), "emp.xml:5:") || !strstr(lp_lump_sum_error(l), "is in USD"))
        fail_msg("error '%s' does not name the employment's line and currency", lp_lump_sum_error(l));
    lp_result_free(r);
    lp_history_free(h);
}

static void test_history__each_bad_balance_is_refused_at_its_line(void **state)
{
    lp_history *h = NULL;
    lp_result *r = NULL;
    const lp_lump_sum *l = NULL;
    size_t i;
    employment_fails("  <balance scheme=\"MY-EPF\" date=\"2009-12-31\" currency=\"XQQ\">100</balance>",
                     LP_ECURRENCY, 5, 3, "unknown currency 'XQQ'");
    employment_fails("  <balance scheme=\"MY-EPF\" date=\"2009-02-30\" currency=\"MYR\">100</balance>",
                     LP_EPARSE, 5, 3, "February 2009");
    employment_fails("  <balance scheme=\"MY-EPF\" date=\"2009-12-31\" currency=\"MYR\">-100</balance>",
                     LP_ESCHEMA, 5, 0, "balance");
    /* a balance in another currency than the scheme's: the lump sum says where */
    assert_int_equal(load_employment(&h, "  <balance scheme=\"MY-EPF\" date=\"2009-12-31\" "
                                         "currency=\"USD\">100</balance>"), LP_OK);
    assert_int_equal(lp_calc(&r, rules, h, NULL), LP_OK);
    for (i = 0; i < lp_result_lump_sum_count(r); i++)
        if (strcmp(lp_lump_sum_option(lp_result_lump_sum_at(r, i)), "leaving-malaysia") == 0)
            l = lp_result_lump_sum_at(r, i);
    assert_non_null(l);
    assert_false(lp_lump_sum_available(l));
    if (!lp_lump_sum_error(l) || !strstr(lp_lump_sum_error(l), "emp.xml:5:3") || !strstr(lp_lump_sum_error(l), "USD"))
        fail_msg("error '%s' does not name the balance's line and currency", lp_lump_sum_error(l));
    lp_result_free(r);
    lp_history_free(h);
    /* a balance of a scheme no rule file defines */
    assert_int_equal(load_employment(&h, "  <balance scheme=\"XX-FUND\" date=\"2009-12-31\" "
                                         "currency=\"MYR\">100</balance>"), LP_OK);
    assert_int_equal(lp_calc(&r, rules, h, NULL), LP_ENOTFOUND);
    assert_int_equal(lp_error_last()->line, 5);
    lp_history_free(h);
}

static void test_history__a_balance_grows_from_its_date(void **state)
{
    lp_history *h = NULL, *copy = NULL;
    lp_result *r = NULL;
    size_t i;
    int pass, seen;
    /* tests/data/cases/my-epf-opening-balance-2009: 12,345.67 on 31 December 2009, the
     * dividends of 2010-2015 (5.80, 6.00, 6.15, 6.35, 6.75, 6.40 %) = 17,753.06 */
    assert_int_equal(lp_history_new(&h, "bal", "1980-07-01", "BD", "BD", "2015-12-31", NULL), LP_OK);
    assert_int_equal(lp_history_add_balance(h, "MY-EPF", "2009-12-31", "12345.67", "MYR"), LP_OK);
    assert_int_equal(lp_history_add_balance(h, "MY-EPF", "2009-12-31", "-1", "MYR"), LP_EPARSE);
    assert_int_equal(lp_history_add_balance(h, "MY-EPF", "2009-12-31", "1", "XQQ"), LP_ECURRENCY);
    assert_int_equal(lp_history_add_balance(h, NULL, "2009-12-31", "1", "MYR"), LP_EINVAL);
    assert_int_equal(lp_history_add_period(h, "MY-EPF", "2010-01-01", "2015-12-31", "contribution", "2500",
                                           "month", "MYR"), LP_OK);
    assert_int_equal(lp_history_with(&copy, h, "NP", NULL), LP_OK);
    for (pass = 0; pass < 2; pass++) {
        assert_int_equal(lp_calc(&r, rules, pass ? copy : h, NULL), LP_OK);
        for (i = 0, seen = 0; i < lp_result_lump_sum_count(r); i++) {
            const lp_lump_sum *l = lp_result_lump_sum_at(r, i);
            if (strcmp(lp_lump_sum_option(l), "leaving-malaysia") == 0) {
                assert_string_equal(lp_lump_sum_value(l), "17753.06");
                seen = 1;
            }
        }
        assert_true(seen);
        lp_result_free(r);
    }
    lp_history_free(copy);
    lp_history_free(h);
}

static void test_history__impossible_date_is_refused_with_its_line(void **state)
{
    load_fails("bad-date.xml", LP_EPARSE, 5, "February 2025 has 28 days");
}

static void test_history__period_ending_before_it_starts_is_refused(void **state)
{
    load_fails("reversed-period.xml", LP_EPARSE, 5, "before it starts");
}

static void test_history__negative_earning_is_refused(void **state)
{
    load_fails("negative-earning.xml", LP_EPARSE, 5, "must not be negative");
}

static void test_history__unknown_currency_is_refused(void **state)
{
    load_fails("unknown-currency.xml", LP_ECURRENCY, 5, "XYZ");
}

static void test_history__schema_error_names_the_element(void **state)
{
    load_fails("schema-error.xml", LP_ESCHEMA, 3, "residence");
}

static void test_history__missing_file_is_not_found(void **state)
{
    lp_history *h = (lp_history *)&h;
    assert_int_equal(lp_history_load_file(&h, "/nonexistent/history.xml"), LP_ENOTFOUND);
    assert_null(h);
    assert_int_equal(lp_history_load_file(NULL, "x"), LP_EINVAL);
    assert_int_equal(lp_history_load_memory(&h, "m", NULL, 5), LP_EINVAL);
    assert_int_equal(lp_history_load_memory(&h, "m", "<oops", 5), LP_EPARSE);
    assert_null(h);
}

static void test_history__unknown_scheme_fails_the_calculation_at_its_line(void **state)
{
    char path[1024];
    lp_history *h = NULL;
    lp_result *r = (lp_result *)&r;
    snprintf(path, sizeof path, "%s/histories/unknown-scheme.xml", getenv("LP_TEST_DATADIR"));
    assert_int_equal(lp_history_load_file(&h, path), LP_OK);
    assert_int_equal(lp_calc(&r, rules, h, NULL), LP_ENOTFOUND);
    assert_null(r);
    assert_int_equal(lp_error_last()->line, 6);
    assert_non_null(strstr(lp_error_last()->message, "XX-NOWHERE"));
    lp_history_free(h);
}

static void test_history__built_through_the_api_computes(void **state)
{
    lp_history *h = NULL, *abroad = NULL;
    lp_result *r = NULL;
    const lp_entitlement *e;
    /* E11: AMSC 16,000 and 25 credited years give 300 + 3,200 + 320 x 15 = 8,300
     * (claim in 2016, before the 1,000 additional benefit) */
    assert_int_equal(lp_history_new(&h, "api", "1950-01-15", "PH", "PH", "2016-12-01", "old-age"), LP_OK);
    assert_int_equal(lp_history_add_period(h, "PH-SSS", "1985-01-01", "2009-12-31", "contribution",
                                           "16000", "month", "PHP"), LP_OK);
    assert_int_equal(lp_history_add_fact(h, "PH-SSS", "amsc", "16000", "PHP"), LP_OK);
    assert_int_equal(lp_history_period_count(h), 1);
    assert_string_equal(lp_history_birth_date(h), "1950-01-15");
    assert_string_equal(lp_history_claim_date(h), "2016-12-01");
    assert_string_equal(lp_history_benefit(h), "old-age");
    assert_string_equal(lp_history_nationality(h), "PH");
    assert_string_equal(lp_history_residence(h), "PH");
    assert_null(lp_history_birth_date(NULL));
    assert_int_equal(lp_calc(&r, rules, h, NULL), LP_OK);
    e = lp_result_entitlement_find(r, "PH-SSS");
    assert_non_null(e);
    assert_string_equal(lp_entitlement_status(e), "payable");
    assert_string_equal(lp_entitlement_amount_text(e, LP_AMOUNT_PAYABLE), "8300.00");
    assert_string_equal(lp_entitlement_own_periods(e), "300");
    lp_result_free(r);
    /* the same career lived abroad, for a scenario */
    assert_int_equal(lp_history_with(&abroad, h, "JP", NULL), LP_OK);
    assert_int_equal(lp_history_period_count(abroad), 1);
    assert_string_equal(lp_history_residence(abroad), "JP");
    assert_string_equal(lp_history_nationality(abroad), "PH");
    assert_int_equal(lp_calc(&r, rules, abroad, NULL), LP_OK);
    assert_string_equal(lp_entitlement_amount_text(lp_result_entitlement_find(r, "PH-SSS"), LP_AMOUNT_PAYABLE), "8300.00");
    lp_result_free(r);
    lp_history_free(abroad);
    lp_history_free(h);
}

static void test_history__an_option_the_rules_cannot_compute_keeps_the_result(void **state)
{
    /* JP-EPI's premium rate is encoded from 2004 only: a withdrawal for a career
     * ending in 1999 cannot be computed, but the pensions still are */
    lp_history *h = NULL;
    lp_result *r = NULL;
    size_t i;
    int seen = 0;
    assert_int_equal(lp_history_new(&h, "old-jp", "1960-03-01", "PH", "PH", "2025-06-15", NULL), LP_OK);
    assert_int_equal(lp_history_add_period(h, "JP-EPI", "1995-01-01", "1999-12-31", "employment",
                                           "250000", "month", "JPY"), LP_OK);
    assert_int_equal(lp_calc(&r, rules, h, NULL), LP_OK);
    assert_non_null(lp_result_entitlement_find(r, "JP-EPI"));
    for (i = 0; i < lp_result_lump_sum_count(r); i++) {
        const lp_lump_sum *l = lp_result_lump_sum_at(r, i);
        if (strcmp(lp_lump_sum_option(l), "withdrawal") != 0)
            continue;
        seen = 1;
        assert_false(lp_lump_sum_available(l));
        assert_non_null(lp_lump_sum_error(l));
        assert_non_null(strstr(lp_lump_sum_error(l), "premium_rate"));
    }
    assert_true(seen);
    lp_result_free(r);
    lp_history_free(h);
    assert_int_equal(lp_history_load_file(&h, "/tmp"), LP_EIO);   /* a directory is no history */
    assert_null(h);
}

static void test_history__api_errors(void **state)
{
    lp_history *h = (lp_history *)&h;
    assert_int_equal(lp_history_new(&h, "x", "1960-02-30", "PH", "PH", "2025-01-01", NULL), LP_EPARSE);
    assert_null(h);
    assert_int_equal(lp_history_new(&h, "x", "1960-01-01", "Philippines", "PH", "2025-01-01", NULL), LP_EINVAL);
    assert_int_equal(lp_history_new(&h, "x", "1960-01-01", "PH", "PH", "1950-01-01", NULL), LP_EPARSE);
    assert_int_equal(lp_history_new(&h, "x", "1960-01-01", "PH", "PH", "2025-01-01", NULL), LP_OK);
    assert_int_equal(lp_history_add_period(h, "PH-SSS", "2000-01-01", "1999-01-01", NULL, NULL, NULL, NULL), LP_EPARSE);
    assert_int_equal(lp_history_add_period(h, "PH-SSS", "2000-01-01", "2001-01-01", "holiday", NULL, NULL, NULL), LP_EPARSE);
    assert_int_equal(lp_history_add_period(h, "PH-SSS", "2000-01-01", "2001-01-01", NULL, "-5", "month", "PHP"), LP_EPARSE);
    assert_int_equal(lp_history_add_period(h, "PH-SSS", "2000-01-01", "2001-01-01", NULL, "5", "month", "ABC"), LP_ECURRENCY);
    assert_int_equal(lp_history_add_period(NULL, "PH-SSS", "2000-01-01", "2001-01-01", NULL, NULL, NULL, NULL), LP_EINVAL);
    assert_int_equal(lp_history_add_fact(h, "PH-SSS", "amsc", "1", "ABC"), LP_ECURRENCY);
    assert_int_equal(lp_history_period_count(h), 0);
    lp_history_free(h);
    lp_history_free(NULL);
}

/* A history built through the API is digested as its content in a fixed
 * binary form (history.c): strings with their NUL, days as 4 bytes
 * little-endian (days from 1970-01-01, worked out with Python's datetime),
 * the kind as one bit in a byte, earnings as numerator and denominator in hex.
 * The bytes are written out here by hand and hashed with Nettle directly. */
static void put(unsigned char *buf, size_t *n, const void *p, size_t len)
{
    memcpy(buf + *n, p, len);
    *n += len;
}

static void put_str(unsigned char *buf, size_t *n, const char *s)
{
    put(buf, n, s, strlen(s) + 1);
}

static void put_day(unsigned char *buf, size_t *n, int32_t d)
{
    uint32_t u = (uint32_t)d;
    unsigned char b[4] = { (unsigned char)u, (unsigned char)(u >> 8), (unsigned char)(u >> 16),
                           (unsigned char)(u >> 24) };
    put(buf, n, b, 4);
}

static void test_history__api_digest_is_the_documented_bytes(void **state)
{
    unsigned char buf[1024], kind, digest[SHA256_DIGEST_SIZE];
    char want[7 + 2 * SHA256_DIGEST_SIZE + 1];
    size_t n = 0, i;
    struct sha256_ctx ctx;
    lp_history *h = NULL;
    lp_result *r = NULL;
    (void)state;
    assert_int_equal(lp_history_new(&h, "digest", "1960-03-15", "PH", "JP", "2025-11-01", "old-age"), LP_OK);
    assert_int_equal(lp_history_add_period(h, "PH-SSS", "2007-01-01", "2012-12-31", "employment",
                                           "20000", "month", "PHP"), LP_OK);
    assert_int_equal(lp_history_add_period(h, "JP-NP", "2015-04-01", "2018-03-31", "contribution",
                                           NULL, NULL, NULL), LP_OK);
    assert_int_equal(lp_history_add_period(h, "PH-SSS", "2015-04-01", "2018-03-31", "voluntary",
                                           "12345.67", "month", "PHP"), LP_OK);
    assert_int_equal(lp_history_add_fact(h, "US-OASDI", "aime", "2500.5", "USD"), LP_OK);
    put_str(buf, &n, "digest");
    put_day(buf, &n, -3579);       /* 1960-03-15 */
    put_day(buf, &n, 20393);       /* 2025-11-01 */
    put_str(buf, &n, "PH");
    put_str(buf, &n, "JP");
    put_str(buf, &n, "old-age");
    put_str(buf, &n, "PH-SSS");
    put_day(buf, &n, 13514);       /* 2007-01-01 */
    put_day(buf, &n, 15705);       /* 2012-12-31 */
    kind = 1u << 1;                /* employment */
    put(buf, &n, &kind, 1);
    put_str(buf, &n, "PHP");
    put_str(buf, &n, "4e20");      /* 20000 */
    put_str(buf, &n, "1");
    put_str(buf, &n, "JP-NP");
    put_day(buf, &n, 16526);       /* 2015-04-01 */
    put_day(buf, &n, 17621);       /* 2018-03-31 */
    kind = 1u << 0;                /* contribution */
    put(buf, &n, &kind, 1);
    put_str(buf, &n, "");          /* no earnings, no currency */
    put_str(buf, &n, "PH-SSS");
    put_day(buf, &n, 16526);
    put_day(buf, &n, 17621);
    kind = 1u << 3;                /* voluntary */
    put(buf, &n, &kind, 1);
    put_str(buf, &n, "PHP");
    put_str(buf, &n, "12d687");    /* 12345.67 = 1234567/100 */
    put_str(buf, &n, "64");
    put_str(buf, &n, "US-OASDI");
    put_str(buf, &n, "aime");
    put_str(buf, &n, "2500.5");
    put_str(buf, &n, "USD");
    sha256_init(&ctx);
    sha256_update(&ctx, n, buf);
    sha256_digest(&ctx, sizeof digest, digest);
    strcpy(want, "sha256:");
    for (i = 0; i < sizeof digest; i++)
        snprintf(want + 7 + 2 * i, 3, "%02x", digest[i]);
    assert_int_equal(lp_calc(&r, rules, h, NULL), LP_OK);
    assert_string_equal(lp_result_input_digest(r), want);
    lp_result_free(r);
    lp_history_free(h);
}

/* The input digest lp_calc reports for h. */
static char *digest_of(const lp_history *h)
{
    lp_result *r = NULL;
    char *d;
    assert_int_equal(lp_calc(&r, rules, h, NULL), LP_OK);
    d = strdup(lp_result_input_digest(r));
    lp_result_free(r);
    return d;
}

/* A history keeps its digest from one calculation to the next, and a change
 * makes the next one digest it anew: a file's bytes until it is changed, then
 * its content, as a history built with that content through the API. */
static void test_history__digest_kept_until_the_history_changes(void **state)
{
    static const char xml[] =
        "<?xml version=\"1.0\"?>\n"
        "<history xmlns=\"urn:libportability:history:1\" id=\"d\">\n"
        "  <person birth-date=\"1960-03-15\" nationality=\"PH\" residence=\"PH\"/>\n"
        "  <claim date=\"2025-11-01\"/>\n"
        "  <period scheme=\"PH-SSS\" from=\"2000-01-01\" to=\"2014-12-31\"/>\n"
        "</history>\n";
    unsigned char raw[SHA256_DIGEST_SIZE];
    char bytes[7 + 2 * SHA256_DIGEST_SIZE + 1];
    struct sha256_ctx ctx;
    lp_history *h = NULL, *built = NULL;
    char *first, *again, *changed, *fresh;
    size_t i;
    (void)state;
    sha256_init(&ctx);
    sha256_update(&ctx, sizeof xml - 1, (const uint8_t *)xml);
    sha256_digest(&ctx, sizeof raw, raw);
    strcpy(bytes, "sha256:");
    for (i = 0; i < sizeof raw; i++)
        snprintf(bytes + 7 + 2 * i, 3, "%02x", raw[i]);
    assert_int_equal(lp_history_load_memory(&h, "d.xml", xml, sizeof xml - 1), LP_OK);
    first = digest_of(h);
    again = digest_of(h);
    assert_string_equal(first, bytes);
    assert_string_equal(again, bytes);
    assert_int_equal(lp_history_add_fact(h, "PH-SSS", "amsc", "16000", "PHP"), LP_OK);
    changed = digest_of(h);
    assert_int_equal(lp_history_new(&built, "d", "1960-03-15", "PH", "PH", "2025-11-01", "old-age"), LP_OK);
    assert_int_equal(lp_history_add_period(built, "PH-SSS", "2000-01-01", "2014-12-31", NULL, NULL, NULL, NULL),
                     LP_OK);
    assert_int_equal(lp_history_add_fact(built, "PH-SSS", "amsc", "16000", "PHP"), LP_OK);
    fresh = digest_of(built);
    assert_string_not_equal(changed, bytes);
    assert_string_equal(changed, fresh);
    free(changed);
    /* and an API-built history: kept, then renewed */
    assert_int_equal(lp_history_add_fact(built, "US-OASDI", "aime", "2500", "USD"), LP_OK);
    changed = digest_of(built);
    assert_string_not_equal(changed, fresh);
    free(again);
    again = digest_of(built);
    assert_string_equal(again, changed);
    free(first);
    free(again);
    free(changed);
    free(fresh);
    lp_history_free(h);
    lp_history_free(built);
}

static void assert_earnings(const lp_history *h, size_t i, const char *rational, const char *currency)
{
    lp_money *m = (lp_money *)1;
    char *text = NULL;
    assert_int_equal(lp_history_period_earnings(&m, h, i), LP_OK);
    if (!rational) {
        assert_null(m);
        return;
    }
    assert_non_null(m);
    assert_int_equal(lp_money_to_rational_string(&text, m), LP_OK);
    assert_string_equal(text, rational);
    assert_string_equal(lp_money_currency(m), currency);
    lp_free(text);
    lp_money_free(m);
}

static void test_history__periods_and_facts_read_back_as_given(void **state)
{
    lp_history *h = NULL;
    const char *scheme = NULL, *kind = NULL, *name = NULL, *value = NULL, *currency = "x";
    lp_date from = {0, 0, 0}, to = {0, 0, 0};
    lp_money *m = NULL;
    (void)state;
    assert_int_equal(lp_history_new(&h, "read", "1960-03-01", "PH", "JP", "2025-04-01", "old-age"), LP_OK);
    /* in the order added, not sorted */
    assert_int_equal(lp_history_add_period(h, "JP-NP", "2013-01-01", "2022-12-31", "employment",
                                           NULL, NULL, NULL), LP_OK);
    assert_int_equal(lp_history_add_period(h, "PH-SSS", "1985-01-01", "2009-12-31", "contribution",
                                           "16000", "month", "PHP"), LP_OK);
    /* per year: the year's total over the period's months (30000/12 = 2500; 1000/2 = 500) */
    assert_int_equal(lp_history_add_period(h, "US-OASDI", "2010-01-01", "2010-12-31", "self-employment",
                                           "30000", "year", "USD"), LP_OK);
    assert_int_equal(lp_history_add_period(h, "US-OASDI", "2011-01-01", "2011-02-28", "voluntary",
                                           "1000", "year", "USD"), LP_OK);
    assert_int_equal(lp_history_add_fact(h, "US-OASDI", "aime", "2500.5", "USD"), LP_OK);
    assert_int_equal(lp_history_add_fact(h, "PH-SSS", "credited-years", "25", NULL), LP_OK);

    assert_int_equal(lp_history_period_count(h), 4);
    assert_int_equal(lp_history_period_at(h, 0, &scheme, &from, &to, &kind), LP_OK);
    assert_string_equal(scheme, "JP-NP");
    assert_string_equal(kind, "employment");
    assert_int_equal(from.year, 2013); assert_int_equal(from.month, 1); assert_int_equal(from.day, 1);
    assert_int_equal(to.year, 2022); assert_int_equal(to.month, 12); assert_int_equal(to.day, 31);
    assert_int_equal(lp_history_period_at(h, 2, &scheme, NULL, &to, &kind), LP_OK);
    assert_string_equal(scheme, "US-OASDI");
    assert_string_equal(kind, "self-employment");
    assert_int_equal(lp_history_period_at(h, 3, NULL, NULL, &to, NULL), LP_OK);
    assert_int_equal(to.year, 2011); assert_int_equal(to.month, 2); assert_int_equal(to.day, 28);
    assert_earnings(h, 0, NULL, NULL);
    assert_earnings(h, 1, "16000", "PHP");
    assert_earnings(h, 2, "2500", "USD");
    assert_earnings(h, 3, "500", "USD");

    assert_int_equal(lp_history_fact_count(h), 2);
    assert_int_equal(lp_history_fact_at(h, 0, &scheme, &name, &value, &currency), LP_OK);
    assert_string_equal(scheme, "US-OASDI");
    assert_string_equal(name, "aime");
    assert_string_equal(value, "2500.5");
    assert_string_equal(currency, "USD");
    assert_int_equal(lp_history_fact_at(h, 1, &scheme, &name, &value, &currency), LP_OK);
    assert_string_equal(name, "credited-years");
    assert_null(currency);

    /* out of range and NULL: LP_EINVAL, outputs untouched */
    scheme = "kept";
    assert_int_equal(lp_history_period_at(h, 4, &scheme, NULL, NULL, NULL), LP_EINVAL);
    assert_string_equal(scheme, "kept");
    assert_int_equal(lp_history_period_at(NULL, 0, &scheme, NULL, NULL, NULL), LP_EINVAL);
    assert_int_equal(lp_history_fact_at(h, 2, &scheme, NULL, NULL, NULL), LP_EINVAL);
    assert_int_equal(lp_history_fact_at(NULL, 0, NULL, NULL, NULL, NULL), LP_EINVAL);
    assert_int_equal(lp_history_fact_count(NULL), 0);
    assert_int_equal(lp_history_period_earnings(&m, h, 4), LP_EINVAL);
    assert_null(m);
    assert_int_equal(lp_history_period_earnings(&m, NULL, 0), LP_EINVAL);
    assert_int_equal(lp_history_period_earnings(NULL, h, 0), LP_EINVAL);
    lp_history_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_history__impossible_date_is_refused_with_its_line),
        cmocka_unit_test(test_history__period_ending_before_it_starts_is_refused),
        cmocka_unit_test(test_history__negative_earning_is_refused),
        cmocka_unit_test(test_history__unknown_currency_is_refused),
        cmocka_unit_test(test_history__schema_error_names_the_element),
        cmocka_unit_test(test_history__missing_file_is_not_found),
        cmocka_unit_test(test_history__unknown_scheme_fails_the_calculation_at_its_line),
        cmocka_unit_test(test_history__built_through_the_api_computes),
        cmocka_unit_test(test_history__periods_and_facts_read_back_as_given),
        cmocka_unit_test(test_history__an_option_the_rules_cannot_compute_keeps_the_result),
        cmocka_unit_test(test_history__api_errors),
        cmocka_unit_test(test_history__api_digest_is_the_documented_bytes),
        cmocka_unit_test(test_history__digest_kept_until_the_history_changes),
        cmocka_unit_test(test_history__each_bad_employment_is_refused_at_its_line),
        cmocka_unit_test(test_history__an_award_is_computed_per_employment),
        cmocka_unit_test(test_history__a_wage_in_another_currency_is_an_error_at_the_employment),
        cmocka_unit_test(test_history__each_bad_balance_is_refused_at_its_line),
        cmocka_unit_test(test_history__a_balance_grows_from_its_date),
    };
    return cmocka_run_group_tests_name("history", tests, setup, teardown);
}
