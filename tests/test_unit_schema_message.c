/* libxml2's schema messages in plain words (libportability/schema_message.c):
 * one test per kind of message mapped, with the raw text libxml2 2.9 writes
 * for histories (seen with xmllint and the calculator on broken careers), and
 * one end-to-end through lp_history_load_memory() keeping file:line:column. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <portability.h>
#include "schema_message.h"

#define NS "urn:libportability:history:1"

static void plain_is(const char *raw, int mapped, const char *want)
{
    char out[768];
    assert_int_equal(lp__schema_plain(out, sizeof out, raw, NS), mapped);
    assert_string_equal(out, want);
}

static void test_schema_message__date_pattern(void **state)
{
    (void)state;
    plain_is("Element '{" NS "}period', attribute 'to': [facet 'pattern'] The value '31/12/2009' "
             "is not accepted by the pattern '[0-9]{4}-[0-9]{2}-[0-9]{2}'.", 1,
             "period 'to' must be a date like 2009-12-31 (year-month-day), not '31/12/2009'");
}

static void test_schema_message__amount_pattern_of_element_text(void **state)
{
    (void)state;
    plain_is("Element '{" NS "}earnings': [facet 'pattern'] The value '15,000' is not accepted by "
             "the pattern '[0-9]{1,40}(\\.[0-9]{1,20}|/[0-9]{1,40})?'.", 1,
             "<earnings> must be an amount like 15000 or 1234.56 (digits and a point: no commas, "
             "spaces or currency signs), not '15,000'");
}

static void test_schema_message__country_pattern(void **state)
{
    (void)state;
    plain_is("Element '{" NS "}person', attribute 'residence': [facet 'pattern'] The value 'ph' is "
             "not accepted by the pattern '[A-Z]{2}'.", 1,
             "person 'residence' must be a two-letter country code in capitals (ISO 3166-1), not 'ph'");
}

static void test_schema_message__unknown_pattern_is_quoted(void **state)
{
    (void)state;
    plain_is("Element '{" NS "}x', attribute 'y': [facet 'pattern'] The value 'a' is not accepted "
             "by the pattern '[0-9]+'.", 1, "x 'y' must match the pattern [0-9]+, not 'a'");
}

static void test_schema_message__enumeration(void **state)
{
    (void)state;
    plain_is("Element '{" NS "}period', attribute 'kind': [facet 'enumeration'] The value 'contrib' "
             "is not an element of the set {'contribution', 'employment', 'voluntary'}.", 1,
             "period 'kind' must be one of contribution, employment, voluntary, not 'contrib'");
}

static void test_schema_message__required_attribute(void **state)
{
    (void)state;
    plain_is("Element '{" NS "}period': The attribute 'from' is required but missing.", 1,
             "<period> needs a 'from' attribute");
    plain_is("Element '{" NS "}history': The attribute 'id' is required but missing.", 1,
             "<history> needs an 'id' attribute");
}

static void test_schema_message__attribute_not_allowed(void **state)
{
    (void)state;
    plain_is("Element '{" NS "}period', attribute 'colour': The attribute 'colour' is not allowed.", 1,
             "<period> has no attribute 'colour' (misspelt, or not part of a history)");
}

static void test_schema_message__element_not_expected(void **state)
{
    (void)state;
    plain_is("Element '{" NS "}claimx': This element is not expected. Expected is ( {" NS "}claim ).", 1,
             "<claimx> is not expected here: expected <claim>");
    plain_is("Element '{" NS "}x': This element is not expected. Expected is one of ( {" NS "}period, {"
             NS "}fact ).", 1, "<x> is not expected here: expected <period> or <fact>");
    plain_is("Element '{" NS "}claim': This element is not expected.", 1,
             "<claim> is not expected here (misspelt, out of order, or one too many)");
}

static void test_schema_message__missing_child(void **state)
{
    (void)state;
    plain_is("Element '{" NS "}history': Missing child element(s). Expected is ( {" NS "}claim ).", 1,
             "<history> is incomplete: <claim> is missing");
}

static void test_schema_message__text_in_element_only_content(void **state)
{
    (void)state;
    plain_is("Element '{" NS "}history': Character content other than whitespace is not allowed "
             "because the content type is 'element-only'.", 1, "<history> holds only elements, not text");
}

static void test_schema_message__root_without_namespace(void **state)
{
    (void)state;
    plain_is("Element 'history': No matching global declaration available for the validation root.", 1,
             "<history> has no namespace: write <history xmlns=\"" NS "\" ...>");
}

static void test_schema_message__other_messages_lose_only_namespaces(void **state)
{
    (void)state;
    plain_is("Element '{" NS "}fact': 'x' is not a valid value of the atomic type 'xs:integer'.", 0,
             "Element 'fact': 'x' is not a valid value of the atomic type 'xs:integer'.");
    plain_is("something else entirely", 0, "something else entirely");
}

/* A long value is quoted by its first 40 characters (whole UTF-8 ones), so
 * the words saying what was expected stay in the message: a 10,000-digit
 * amount used to fill it with digits. */
static void test_schema_message__long_value_is_shortened(void **state)
{
    char raw[12000], want[400];
    size_t n;
    (void)state;
    n = (size_t)snprintf(raw, sizeof raw, "Element '{" NS "}earnings': [facet 'pattern'] The value '");
    memset(raw + n, '7', 10000);
    snprintf(raw + n + 10000, sizeof raw - n - 10000,
             "' is not accepted by the pattern '-?[0-9]{1,40}(\\.[0-9]{1,20}|/[0-9]{1,40})?'.\n");
    snprintf(want, sizeof want, "<earnings> must be an amount like 15000, 1234.56 or -20 (digits and a point: "
             "no commas, spaces or currency signs), not '%.40s...'", raw + n);
    plain_is(raw, 1, want);
    /* forty characters of two bytes each, then "..." */
    n = (size_t)snprintf(raw, sizeof raw, "Element '{" NS "}period', attribute 'kind': [facet 'enumeration'] "
                         "The value '");
    for (size_t i = 0; i < 50; i++)
        n += (size_t)snprintf(raw + n, sizeof raw - n, "\xc3\xa9");
    snprintf(raw + n, sizeof raw - n, "' is not an element of the set {'contribution', 'employment'}.\n");
    snprintf(want, sizeof want, "period 'kind' must be one of contribution, employment, not '%.80s...'",
             strstr(raw, "The value '") + 11);
    plain_is(raw, 1, want);
}

/* libxml2 cuts its own message near 64,000 bytes: past that the pattern is
 * lost, and the raw words were shown; now the value is named too long. */
static void test_schema_message__value_cut_by_libxml2(void **state)
{
    char raw[800];
    size_t n;
    (void)state;
    n = (size_t)snprintf(raw, sizeof raw, "Element '{" NS "}earnings': [facet 'pattern'] The value '");
    memset(raw + n, '1', 500);
    raw[n + 500] = '\0';
    plain_is(raw, 1, "<earnings> is far too long to be read (tens of thousands of characters): "
                     "'1111111111111111111111111111111111111111...'");
}

/* Rule files get the plain words too (expected_ns NULL), where the rule
 * author read libxml2's "Element '{urn:libportability:rules:1}parameter':
 * This element is not expected. Expected is one of ( {urn:...}series, ...". */
static void test_schema_message__rule_files(void **state)
{
#define RNS "urn:libportability:rules:1"
    char out[768];
    (void)state;
    assert_int_equal(lp__schema_plain(out, sizeof out, "Element '{" RNS "}parameter': This element is not "
                                      "expected. Expected is one of ( {" RNS "}series, {" RNS "}table ).\n",
                                      NULL), 1);
    assert_string_equal(out, "<parameter> is not expected here: expected <series> or <table>");
    assert_int_equal(lp__schema_plain(out, sizeof out, "Element 'history': No matching global declaration "
                                      "available for the validation root.\n", NULL), 1);
    assert_string_equal(out, "<history> is not the root element a rule file has: <scheme>, <agreement> or "
                             "<countries>, in namespace " RNS);
#undef RNS
}

static void test_schema_message__through_the_api_with_its_location(void **state)
{
    static const char doc[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<history xmlns=\"" NS "\" id=\"t\">\n"
        "  <person birth-date=\"1960-01-01\" nationality=\"XA\" residence=\"XA\"/>\n"
        "  <claim benefit=\"old-age\" date=\"2025-01-01\"/>\n"
        "  <period scheme=\"XA-STATE\" from=\"1980-01-01\" to=\"31/12/2009\" kind=\"contribution\"/>\n"
        "</history>\n";
    static const char bare[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<history id=\"t\">\n"
        "  <person birth-date=\"1960-01-01\" nationality=\"XA\" residence=\"XA\"/>\n"
        "</history>\n";
    lp_history *h = NULL;
    const lp_error *e;
    (void)state;
    assert_int_equal(lp_history_load_memory(&h, "h.xml", doc, sizeof doc - 1), LP_ESCHEMA);
    e = lp_error_last();
    assert_string_equal(e->file, "h.xml");
    assert_int_equal(e->line, 5);
    assert_int_equal(e->column, 3);
    assert_string_equal(e->message,
                        "period 'to' must be a date like 2009-12-31 (year-month-day), not '31/12/2009'");
    assert_int_equal(lp_history_load_memory(&h, "bare.xml", bare, sizeof bare - 1), LP_ESCHEMA);
    e = lp_error_last();
    assert_int_equal(e->line, 2);
    assert_non_null(strstr(e->message, "xmlns=\"" NS "\""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_message__date_pattern),
        cmocka_unit_test(test_schema_message__amount_pattern_of_element_text),
        cmocka_unit_test(test_schema_message__country_pattern),
        cmocka_unit_test(test_schema_message__unknown_pattern_is_quoted),
        cmocka_unit_test(test_schema_message__enumeration),
        cmocka_unit_test(test_schema_message__required_attribute),
        cmocka_unit_test(test_schema_message__attribute_not_allowed),
        cmocka_unit_test(test_schema_message__element_not_expected),
        cmocka_unit_test(test_schema_message__missing_child),
        cmocka_unit_test(test_schema_message__text_in_element_only_content),
        cmocka_unit_test(test_schema_message__root_without_namespace),
        cmocka_unit_test(test_schema_message__other_messages_lose_only_namespaces),
        cmocka_unit_test(test_schema_message__long_value_is_shortened),
        cmocka_unit_test(test_schema_message__value_cut_by_libxml2),
        cmocka_unit_test(test_schema_message__rule_files),
        cmocka_unit_test(test_schema_message__through_the_api_with_its_location),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
