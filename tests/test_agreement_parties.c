/* The agreements of a rule set through the public API (issue 18): which
 * countries and schemes an agreement binds, its dates in force (the first and
 * the last day included, an open end, no signature date), whether it adds a
 * partner scheme's periods to a scheme and whether it pays a scheme abroad,
 * the documented NULL and out-of-range answers, and the shipped Japan-
 * Philippines agreement as its rule file gives it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <portability.h>

#define SCHEME(id, cc) \
    "<scheme xmlns='urn:libportability:rules:1' id='" id "' country='" cc "' currency='PHP'" \
    " unit='month' counting='months-touched'><title>" id "</title><source id='law'>A law</source>" \
    "<benefit id='old-age' frequency='monthly'><eligible cite='law s. 1'>periods >= 120</eligible>" \
    "<amount cite='law s. 2'>1000 PHP</amount></benefit></scheme>"

static const char *const texts[] = {
    SCHEME("XA-P", "XA"),
    SCHEME("XB-P", "XB"),
    SCHEME("XB-Q", "XB"),
    SCHEME("XC-P", "XC"),
    /* signed, in force 2012-01-01 to 2020-12-31; XA-P counts XB-P's periods (not
       XB-Q's); XB-P is paid abroad */
    "<agreement xmlns='urn:libportability:rules:1' id='XA-XB' signed='2010-05-01'"
    " in-force='2012-01-01' terminated='2020-12-31'>"
    "<title>Agreement between A and B</title><source id='law'>A treaty</source>"
    "<party country='XA' schemes='XA-P'/><party country='XB' schemes='XB-P XB-Q'/>"
    "<totalisation scheme='XA-P' benefits='old-age' method='pro-rata' cite='law art. 3'>"
    "<partner scheme='XB-P' conversion='timeline' cite='law art. 4'/></totalisation>"
    "<export scheme='XB-P' cite='law art. 5'/>"
    "</agreement>",
    /* no signature date, no end, coverage only */
    "<agreement xmlns='urn:libportability:rules:1' id='XB-XC' in-force='2015-03-01'>"
    "<title>Agreement between B and C</title><source id='law'>A treaty</source>"
    "<party country='XB' schemes='XB-Q'/><party country='XC' schemes='XC-P'/>"
    "<coverage-only cite='law art. 1'/>"
    "</agreement>",
};

static lp_ruleset *load(void)
{
    static const char *const names[] = { "XA-P.xml", "XB-P.xml", "XB-Q.xml", "XC-P.xml",
                                         "XA-XB.xml", "XB-XC.xml" };
    lp_rule_buffer b[6];
    lp_ruleset *rs = NULL;
    lp_diagnostics *d = NULL;
    size_t i;
    int rc;
    for (i = 0; i < 6; i++)
        b[i] = (lp_rule_buffer){ names[i], texts[i], strlen(texts[i]) };
    rc = lp_ruleset_load_memory(&rs, &d, b, 6, NULL);
    if (rc != LP_OK && lp_diagnostics_count(d) > 0)
        print_error("%s\n", lp_diagnostics_at(d, 0)->message);
    assert_int_equal(rc, LP_OK);
    lp_diagnostics_free(d);
    return rs;
}

static size_t find(const lp_ruleset *rs, const char *id)
{
    size_t i = 99;
    assert_int_equal(lp_ruleset_agreement_find(&i, rs, id), LP_OK);
    assert_string_equal(lp_ruleset_agreement_id(rs, i), id);
    return i;
}

static void assert_date(lp_date d, int y, int m, int day)
{
    assert_int_equal(d.year, y);
    assert_int_equal(d.month, m);
    assert_int_equal(d.day, day);
}

static int in_force(const lp_ruleset *rs, size_t i, int y, int m, int d)
{
    lp_date day = { y, m, d };
    int out = -1;
    assert_int_equal(lp_ruleset_agreement_in_force(&out, rs, i, day), LP_OK);
    return out;
}

static void test_agreements__find_and_title(void **state)
{
    lp_ruleset *rs = load();
    size_t i = 42;
    (void)state;
    assert_string_equal(lp_ruleset_agreement_title(rs, find(rs, "XA-XB")), "Agreement between A and B");
    assert_string_equal(lp_ruleset_agreement_title(rs, find(rs, "XB-XC")), "Agreement between B and C");
    assert_int_equal(lp_ruleset_agreement_find(&i, rs, "XA-XC"), LP_ENOTFOUND);
    assert_int_equal(i, 42);
    assert_int_equal(lp_ruleset_agreement_find(NULL, rs, "XA-XB"), LP_EINVAL);
    assert_int_equal(lp_ruleset_agreement_find(&i, NULL, "XA-XB"), LP_EINVAL);
    assert_int_equal(lp_ruleset_agreement_find(&i, rs, NULL), LP_EINVAL);
    assert_null(lp_ruleset_agreement_title(rs, 2));
    assert_null(lp_ruleset_agreement_title(NULL, 0));
    lp_ruleset_free(rs);
}

static void test_agreements__dates_open_ends_and_in_force(void **state)
{
    lp_ruleset *rs = load();
    size_t ab = find(rs, "XA-XB"), bc = find(rs, "XB-XC");
    lp_date from, to, sig;
    lp_date bad = { 2023, 2, 29 };
    int out = -1;
    (void)state;
    assert_int_equal(lp_ruleset_agreement_dates(&from, &to, &sig, rs, ab), LP_OK);
    assert_date(from, 2012, 1, 1);
    assert_date(to, 2020, 12, 31);
    assert_date(sig, 2010, 5, 1);
    assert_int_equal(lp_ruleset_agreement_dates(&from, &to, &sig, rs, bc), LP_OK);
    assert_date(from, 2015, 3, 1);
    assert_date(to, 0, 0, 0);          /* no end */
    assert_date(sig, 0, 0, 0);         /* no signature date in the file */
    assert_int_equal(lp_date_is_valid(to), 0);
    /* each output may be NULL */
    assert_int_equal(lp_ruleset_agreement_dates(NULL, NULL, &sig, rs, ab), LP_OK);
    assert_date(sig, 2010, 5, 1);
    assert_int_equal(lp_ruleset_agreement_dates(&from, NULL, NULL, rs, 2), LP_EINVAL);
    assert_int_equal(lp_ruleset_agreement_dates(&from, NULL, NULL, NULL, 0), LP_EINVAL);
    /* the first and the last day are in force, the days around them are not */
    assert_int_equal(in_force(rs, ab, 2011, 12, 31), 0);
    assert_int_equal(in_force(rs, ab, 2012, 1, 1), 1);
    assert_int_equal(in_force(rs, ab, 2020, 12, 31), 1);
    assert_int_equal(in_force(rs, ab, 2021, 1, 1), 0);
    assert_int_equal(in_force(rs, bc, 2015, 2, 28), 0);
    assert_int_equal(in_force(rs, bc, 2027, 12, 31), 1);
    assert_int_equal(lp_ruleset_agreement_in_force(&out, rs, ab, bad), LP_EINVAL);
    assert_int_equal(out, -1);
    assert_int_equal(lp_ruleset_agreement_in_force(NULL, rs, ab, from), LP_EINVAL);
    assert_int_equal(lp_ruleset_agreement_in_force(&out, rs, 7, from), LP_EINVAL);
    lp_ruleset_free(rs);
}

static void test_agreements__parties_and_their_schemes(void **state)
{
    lp_ruleset *rs = load();
    size_t ab = find(rs, "XA-XB");
    int out = -1;
    (void)state;
    assert_int_equal(lp_ruleset_agreement_party_count(rs, ab), 2);
    assert_string_equal(lp_ruleset_agreement_party_country(rs, ab, 0), "XA");
    assert_string_equal(lp_ruleset_agreement_party_country(rs, ab, 1), "XB");
    assert_int_equal(lp_ruleset_agreement_party_scheme_count(rs, ab, 0), 1);
    assert_int_equal(lp_ruleset_agreement_party_scheme_count(rs, ab, 1), 2);
    assert_string_equal(lp_ruleset_agreement_party_scheme(rs, ab, 0, 0), "XA-P");
    assert_string_equal(lp_ruleset_agreement_party_scheme(rs, ab, 1, 0), "XB-P");
    assert_string_equal(lp_ruleset_agreement_party_scheme(rs, ab, 1, 1), "XB-Q");
    assert_null(lp_ruleset_agreement_party_scheme(rs, ab, 1, 2));
    assert_null(lp_ruleset_agreement_party_scheme(rs, ab, 2, 0));
    assert_null(lp_ruleset_agreement_party_country(rs, ab, 2));
    assert_null(lp_ruleset_agreement_party_country(NULL, 0, 0));
    assert_int_equal(lp_ruleset_agreement_party_count(rs, 9), 0);
    assert_int_equal(lp_ruleset_agreement_party_scheme_count(rs, ab, 5), 0);
    /* binds: both countries parties, in either order, and not the same one twice */
    assert_int_equal(lp_ruleset_agreement_binds(&out, rs, ab, "XA", "XB"), LP_OK);
    assert_int_equal(out, 1);
    assert_int_equal(lp_ruleset_agreement_binds(&out, rs, ab, "XB", "XA"), LP_OK);
    assert_int_equal(out, 1);
    assert_int_equal(lp_ruleset_agreement_binds(&out, rs, ab, "XA", "XA"), LP_OK);
    assert_int_equal(out, 0);
    assert_int_equal(lp_ruleset_agreement_binds(&out, rs, ab, "XA", "XC"), LP_OK);
    assert_int_equal(out, 0);
    assert_int_equal(lp_ruleset_agreement_binds(&out, rs, find(rs, "XB-XC"), "XC", "XB"), LP_OK);
    assert_int_equal(out, 1);
    assert_int_equal(lp_ruleset_agreement_binds(&out, rs, ab, NULL, "XB"), LP_EINVAL);
    assert_int_equal(lp_ruleset_agreement_binds(&out, rs, 3, "XA", "XB"), LP_EINVAL);
    lp_ruleset_free(rs);
}

static void test_agreements__what_it_does_for_a_scheme(void **state)
{
    lp_ruleset *rs = load();
    size_t ab = find(rs, "XA-XB"), bc = find(rs, "XB-XC");
    int out = -1;
    (void)state;
    assert_int_equal(lp_ruleset_agreement_totalises(&out, rs, ab, "XA-P", "XB-P"), LP_OK);
    assert_int_equal(out, 1);
    assert_int_equal(lp_ruleset_agreement_totalises(&out, rs, ab, "XA-P", NULL), LP_OK);
    assert_int_equal(out, 1);
    /* a party's scheme that is not a partner of the totalisation */
    assert_int_equal(lp_ruleset_agreement_totalises(&out, rs, ab, "XA-P", "XB-Q"), LP_OK);
    assert_int_equal(out, 0);
    /* the other way round: B's scheme counts nothing of A's */
    assert_int_equal(lp_ruleset_agreement_totalises(&out, rs, ab, "XB-P", NULL), LP_OK);
    assert_int_equal(out, 0);
    /* coverage only: it adds no periods */
    assert_int_equal(lp_ruleset_agreement_totalises(&out, rs, bc, "XB-Q", NULL), LP_OK);
    assert_int_equal(out, 0);
    assert_int_equal(lp_ruleset_agreement_exports(&out, rs, ab, "XB-P"), LP_OK);
    assert_int_equal(out, 1);
    assert_int_equal(lp_ruleset_agreement_exports(&out, rs, ab, "XA-P"), LP_OK);
    assert_int_equal(out, 0);
    assert_int_equal(lp_ruleset_agreement_exports(&out, rs, bc, "XC-P"), LP_OK);
    assert_int_equal(out, 0);
    assert_int_equal(lp_ruleset_agreement_totalises(&out, rs, ab, NULL, NULL), LP_EINVAL);
    assert_int_equal(lp_ruleset_agreement_totalises(NULL, rs, ab, "XA-P", NULL), LP_EINVAL);
    assert_int_equal(lp_ruleset_agreement_exports(&out, rs, 2, "XB-P"), LP_EINVAL);
    assert_int_equal(lp_ruleset_agreement_exports(&out, NULL, 0, "XB-P"), LP_EINVAL);
    lp_ruleset_free(rs);
}

/* rules/agreements/JP-PH.xml: in force 2018-08-01 (MHLW notice, grade A), signed
 * 2015-11-19 (Philippine Senate, A); Japan's National Pension and Employees'
 * Pension Insurance and the Philippine SSS; the SSS counts both Japanese
 * schemes' periods; all three are paid abroad. */
static void test_agreements__shipped_japan_philippines(void **state)
{
    lp_ruleset *rs = NULL;
    const char *dir = getenv("LP_RULES_DIR");
    lp_date from, to, sig;
    size_t i, jp, ph;
    int out = -1;
    (void)state;
    assert_non_null(dir);
    assert_int_equal(lp_ruleset_load_dir(&rs, NULL, dir, NULL), LP_OK);
    i = find(rs, "JP-PH");
    assert_int_equal(lp_ruleset_agreement_dates(&from, &to, &sig, rs, i), LP_OK);
    assert_date(from, 2018, 8, 1);
    assert_date(sig, 2015, 11, 19);
    assert_int_equal(lp_date_is_valid(to), 0);
    assert_int_equal(in_force(rs, i, 2018, 7, 31), 0);
    assert_int_equal(in_force(rs, i, 2018, 8, 1), 1);
    assert_int_equal(lp_ruleset_agreement_party_count(rs, i), 2);
    jp = strcmp(lp_ruleset_agreement_party_country(rs, i, 0), "JP") == 0 ? 0 : 1;
    ph = 1 - jp;
    assert_string_equal(lp_ruleset_agreement_party_country(rs, i, jp), "JP");
    assert_string_equal(lp_ruleset_agreement_party_country(rs, i, ph), "PH");
    assert_int_equal(lp_ruleset_agreement_party_scheme_count(rs, i, jp), 2);
    assert_string_equal(lp_ruleset_agreement_party_scheme(rs, i, ph, 0), "PH-SSS");
    assert_int_equal(lp_ruleset_agreement_totalises(&out, rs, i, "PH-SSS", "JP-EPI"), LP_OK);
    assert_int_equal(out, 1);
    assert_int_equal(lp_ruleset_agreement_exports(&out, rs, i, "PH-SSS"), LP_OK);
    assert_int_equal(out, 1);
    assert_int_equal(lp_ruleset_agreement_binds(&out, rs, i, "PH", "SA"), LP_OK);
    assert_int_equal(out, 0);
    lp_ruleset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_agreements__find_and_title),
        cmocka_unit_test(test_agreements__dates_open_ends_and_in_force),
        cmocka_unit_test(test_agreements__parties_and_their_schemes),
        cmocka_unit_test(test_agreements__what_it_does_for_a_scheme),
        cmocka_unit_test(test_agreements__shipped_japan_philippines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
