/* Claim procedures and the catalogue of a rule set through the public API
 * (issue 19): a scheme's title, country and currency; its <claim-procedure>
 * items in file order with their language, link, citation and the cited
 * source; which options a procedure is for; the documented NULL and
 * out-of-range answers; and the shipped Japanese lump sums' two-year limit. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <portability.h>

static const char scheme_xml[] =
    "<scheme xmlns='urn:libportability:rules:1' id='XX-TEST' country='XX' currency='PHP'"
    " unit='month' counting='months-touched'><title>  A test scheme </title>"
    "<source id='law'>A law</source>"
    "<benefit id='old-age' frequency='monthly'><eligible cite='law s. 1'>periods >= 120</eligible>"
    "<amount cite='law s. 2'>1000 PHP</amount></benefit>"
    "<lump-sum id='refund' kind='refund'><amount cite='law s. 3'>10 PHP</amount></lump-sum>"
    "<claim-procedure for='refund'>"
    "<source id='page' url='https://agency.example/refund' grade='A'>The agency's page</source>"
    "<office cite='page Where'>The   agency,\n   any branch</office>"
    "<deadline cite='page When'>Within a year</deadline>"
    "<deadline xml:lang='fil' cite='page Kailan'>Sa loob ng isang taon</deadline>"
    "<link url='https://agency.example/refund' cite='law s. 9'>The refund page</link>"
    "</claim-procedure>"
    "<claim-procedure><bring cite='law s. 10'>A passport</bring></claim-procedure>"
    "</scheme>";

static lp_ruleset *load(void)
{
    lp_rule_buffer b = { "XX.xml", scheme_xml, sizeof scheme_xml - 1 };
    lp_ruleset *rs = NULL;
    lp_diagnostics *d = NULL;
    int rc = lp_ruleset_load_memory(&rs, &d, &b, 1, NULL);
    if (rc != LP_OK && lp_diagnostics_count(d) > 0)
        print_error("%s\n", lp_diagnostics_at(d, 0)->message);
    assert_int_equal(rc, LP_OK);
    lp_diagnostics_free(d);
    return rs;
}

static void test_claims__catalogue_gives_title_country_currency(void **state)
{
    lp_ruleset *rs = load();
    size_t i = 99;
    (void)state;
    assert_int_equal(lp_ruleset_scheme_find(rs, "XX-TEST", &i), LP_OK);
    assert_int_equal(i, 0);
    assert_string_equal(lp_ruleset_scheme_title(rs, i), "A test scheme");
    assert_string_equal(lp_ruleset_scheme_country(rs, i), "XX");
    assert_string_equal(lp_ruleset_scheme_currency(rs, i), "PHP");
    assert_int_equal(lp_ruleset_scheme_find(rs, "YY-NONE", &i), LP_ENOTFOUND);
    assert_int_equal(lp_ruleset_scheme_find(NULL, "XX-TEST", &i), LP_EINVAL);
    assert_int_equal(lp_ruleset_scheme_find(rs, "XX-TEST", NULL), LP_EINVAL);
    assert_null(lp_ruleset_scheme_title(rs, 1));
    assert_null(lp_ruleset_scheme_country(NULL, 0));
    assert_null(lp_ruleset_scheme_currency(rs, 5));
    lp_ruleset_free(rs);
}

static void test_claims__items_in_file_order_with_language_and_source(void **state)
{
    lp_ruleset *rs = load();
    const lp_claim_procedure *p;
    const lp_claim_item *it;
    (void)state;
    assert_int_equal(lp_ruleset_claim_count(rs, 0), 2);
    p = lp_ruleset_claim_at(rs, 0, 0);
    assert_non_null(p);
    assert_int_equal(lp_claim_procedure_item_count(p), 4);

    it = lp_claim_procedure_item_at(p, 0);
    assert_int_equal(it->field, LP_CLAIM_OFFICE);
    assert_string_equal(it->lang, "en");                 /* no xml:lang: English */
    assert_string_equal(it->text, "The agency, any branch");   /* white space collapsed */
    assert_null(it->url);
    assert_string_equal(it->cite, "page Where");
    assert_string_equal(it->source_title, "The agency's page");
    assert_string_equal(it->source_url, "https://agency.example/refund");
    assert_string_equal(it->source_grade, "A");

    it = lp_claim_procedure_item_at(p, 2);
    assert_int_equal(it->field, LP_CLAIM_DEADLINE);
    assert_string_equal(it->lang, "fil");
    assert_string_equal(it->text, "Sa loob ng isang taon");

    it = lp_claim_procedure_item_at(p, 3);
    assert_int_equal(it->field, LP_CLAIM_LINK);
    assert_string_equal(it->url, "https://agency.example/refund");
    assert_string_equal(it->source_title, "A law");     /* a root source, cited from inside */
    assert_null(it->source_grade);

    assert_null(lp_claim_procedure_item_at(p, 4));
    assert_null(lp_ruleset_claim_at(rs, 0, 2));
    assert_null(lp_ruleset_claim_at(rs, 1, 0));
    assert_int_equal(lp_ruleset_claim_count(rs, 1), 0);
    assert_int_equal(lp_claim_procedure_item_count(NULL), 0);
    assert_null(lp_claim_procedure_item_at(NULL, 0));
    lp_ruleset_free(rs);
}

static void test_claims__for_names_options_and_none_means_all(void **state)
{
    lp_ruleset *rs = load();
    const lp_claim_procedure *only = lp_ruleset_claim_at(rs, 0, 0);
    const lp_claim_procedure *all = lp_ruleset_claim_at(rs, 0, 1);
    (void)state;
    assert_int_equal(lp_claim_procedure_applies(only, "refund"), 1);
    assert_int_equal(lp_claim_procedure_applies(only, "old-age"), 0);
    assert_int_equal(lp_claim_procedure_applies(all, "old-age"), 1);
    assert_int_equal(lp_claim_procedure_applies(all, "refund"), 1);
    assert_int_equal(lp_claim_procedure_applies(NULL, "refund"), 0);
    assert_int_equal(lp_claim_procedure_applies(all, NULL), 0);
    lp_ruleset_free(rs);
}

/* The Japan Pension Service: the lump sum is claimed within two years of
 * leaving Japan (nenkin.go.jp, Lump-sum Withdrawal Payments). */
static void test_claims__shipped_japanese_lump_sum_has_its_deadline(void **state)
{
    lp_ruleset *rs = NULL;
    const char *dir = getenv("LP_RULES_DIR");
    const char *ids[] = { "JP-EPI", "JP-NP" };
    size_t k;
    (void)state;
    assert_non_null(dir);
    assert_int_equal(lp_ruleset_load_dir(&rs, NULL, dir, NULL), LP_OK);
    for (k = 0; k < 2; k++) {
        size_t i, j, n, found = 0;
        assert_int_equal(lp_ruleset_scheme_find(rs, ids[k], &i), LP_OK);
        for (j = 0; j < lp_ruleset_claim_count(rs, i); j++) {
            const lp_claim_procedure *p = lp_ruleset_claim_at(rs, i, j);
            if (!lp_claim_procedure_applies(p, "withdrawal"))
                continue;
            for (n = 0; n < lp_claim_procedure_item_count(p); n++) {
                const lp_claim_item *it = lp_claim_procedure_item_at(p, n);
                if (it->field == LP_CLAIM_DEADLINE && strstr(it->text, "2 years of leaving Japan")
                    && it->source_grade && !strcmp(it->source_grade, "A"))
                    found++;
            }
        }
        assert_int_equal(found, 1);
    }
    lp_ruleset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_claims__catalogue_gives_title_country_currency),
        cmocka_unit_test(test_claims__items_in_file_order_with_language_and_source),
        cmocka_unit_test(test_claims__for_names_options_and_none_means_all),
        cmocka_unit_test(test_claims__shipped_japanese_lump_sum_has_its_deadline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
