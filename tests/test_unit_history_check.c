/* Internal: the quick check of history_check.c never accepts a <history> the
 * history schema rejects. Well-made records are altered at random, thousands
 * of times (an attribute set to a near miss, removed or added, an element
 * dropped, doubled, moved, renamed or put in another namespace, text or a
 * comment slipped in), written out and read back as the library reads them,
 * and then judged by both: whenever the check says yes, libxml2's validation
 * against the built-in schema must say yes too. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include "config.h"
#include "history_check.h"
#include "test_prng.h"
#include "xml.h"

#define NS "urn:libportability:history:1"

static const char *const templates[] = {
    "<history xmlns=\"" NS "\" id=\"a\">\n"
    "  <person birth-date=\"1960-01-01\" nationality=\"PH\" residence=\"PH\"/>\n"
    "  <claim date=\"2025-06-01\"/>\n"
    "</history>",
    "<history xmlns=\"" NS "\" id=\"b\">\n"
    "  <person birth-date=\"1960-01-01\" nationality=\"PH\" residence=\"JP\"/>\n"
    "  <claim benefit=\"old-age\" date=\"2025-06-01\"/>\n"
    "  <period scheme=\"PH-SSS\" from=\"1985-01-01\" to=\"2014-12-31\"/>\n"
    "  <period scheme=\"JP-EPI\" from=\"2015-01-01\" to=\"2019-12-31\" kind=\"employment\">"
    "<earnings currency=\"JPY\" per=\"month\">300000</earnings></period>\n"
    "  <period scheme=\"KR-NPS\" from=\"2020-01-01\" to=\"2020-12-31\"><earnings currency=\"KRW\">2500000.50</earnings></period>\n"
    "  <employment scheme=\"SA-LABOUR\" employer=\"Al-Noor\" from=\"2021-01-01\" to=\"2022-12-31\" ends=\"contract-end\">"
    "<earnings currency=\"SAR\">5000</earnings><wage basic=\"4000\" allowances=\"1000\" currency=\"SAR\"/></employment>\n"
    "  <fact scheme=\"PH-SSS\" name=\"amsc\" currency=\"PHP\">16000</fact>\n"
    "  <fact scheme=\"JP-NP\" name=\"months_exempt\">12</fact>\n"
    "</history>",
    "<h:history xmlns:h=\"" NS "\" id=\"c d\"><h:person birth-date=\"1970-12-31\" nationality=\"KR\" "
    "residence=\"US\"/><h:claim date=\"2026-01-01\"/><h:period scheme=\"US-OASDI\" from=\"2000-01-01\" "
    "to=\"2010-06-30\" kind=\"self-employment\"><h:earnings currency=\"USD\" per=\"year\">52000/3</h:earnings>"
    "</h:period><h:fact scheme=\"US-OASDI\" name=\"x_1\"></h:fact></h:history>",
    "<history xmlns=\"" NS "\" id=\"e\">\n"
    "  <person birth-date=\"1985-05-05\" nationality=\"ID\" residence=\"ID\"/>\n"
    "  <claim date=\"2020-06-01\"/>\n"
    "  <employment scheme=\"SA-LABOUR\" employer=\"A\" from=\"2010-01-01\" to=\"2016-12-31\"/>\n"
    "  <period scheme=\"SA-GOSI\" from=\"2010-01-01\" to=\"2016-12-31\" count=\"38\"/>\n"
    "  <employment scheme=\"HK-EO\" employer=\"B b\" from=\"2017-01-01\" to=\"2019-12-31\" ends=\"art-81\">"
    "<wage basic=\"1/3\" currency=\"HKD\"/></employment>\n"
    "  <balance scheme=\"MY-EPF\" date=\"2009-12-31\" currency=\"MYR\">12345.67</balance>\n"
    "  <period scheme=\"MY-EPF\" from=\"2010-01-01\" to=\"2015-12-31\"/>\n"
    "</history>",
};

/* Near misses and plain values for every attribute and text of the schema. */
static const char *const values[] = {
    "1960-01-01", "1960-1-01", "19600101", " 1960-01-01", "1960-01-01 ", "abcd-ef-gh", "2025-02-30",
    "1960-01-011", "PH", "ph", "PHL", "P", "P1", "PHP", "php", "PHPP", "P1P", "PH-SSS", "PH--SSS",
    "PH-", "-PH", "ph-sss", "PH_SSS", "A", "A1-B2-C3", "1A", "contribution", "Contribution", "holiday",
    "exempt", "credited", "month", "year", "week", "5", "-5", "5.5", "5.", ".5", "1/3", "1/", "-1/3",
    "0001", "1e5", " 5", "5 ", "+5", "--5", "1/0", "12345678901234567890123456789012345678901",
    "1234567890123456789012345678901234567890", "1.12345678901234567890", "1.123456789012345678901",
    "1/1234567890123456789012345678901234567890", "amsc", "Amsc", "a_1", "_a", "a-b", "1a", "x", "",
    " ", "a b", "\t", "old-age",
    "resignation", "Resigned", "contract-end", "art-81", "-x", "x-", "a--b", "38", "1234567", "038",
};

static const char *const attr_names[] = {
    "id", "kind", "per", "currency", "scheme", "date", "name", "benefit", "birth-date", "nationality",
    "residence", "from", "to", "foo", "employer", "ends", "basic", "allowances", "count",
};

static const char *const element_names[] = {
    "history", "person", "claim", "period", "earnings", "fact", "extra", "employment", "wage", "balance",
};

#define PICK(a) ((a)[prng() % (sizeof(a) / sizeof(a)[0])])

/* The elements of the tree, in document order. */
static size_t elements(xmlNodePtr n, xmlNodePtr *out, size_t cap, size_t k)
{
    for (; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE) {
            if (k < cap)
                out[k++] = n;
            k = elements(n->children, out, cap, k);
        }
    return k;
}

static void mutate(xmlDocPtr doc)
{
    xmlNodePtr all[64], e, c;
    xmlNsPtr ns;
    size_t n = elements(xmlDocGetRootElement(doc), all, 64, 0);
    e = all[prng() % n];
    switch (prng() % 13) {
    case 0: /* an attribute to another value */
    case 1:
        if (e->properties)
            xmlSetProp(e, e->properties->name, (const xmlChar *)PICK(values));
        if (e->properties && e->properties->next && prng() % 2)
            xmlSetProp(e, e->properties->next->name, (const xmlChar *)PICK(values));
        break;
    case 2: /* an attribute removed */
        if (e->properties)
            xmlRemoveProp(prng() % 2 || !e->properties->next ? e->properties : e->properties->next);
        break;
    case 3: /* an attribute added, or set */
        xmlSetProp(e, (const xmlChar *)PICK(attr_names), (const xmlChar *)PICK(values));
        break;
    case 4: /* a namespaced attribute */
        ns = xmlNewNs(e, (const xmlChar *)(prng() % 2 ? "http://www.w3.org/2001/XMLSchema-instance" : "urn:other"),
                      (const xmlChar *)"q");
        xmlSetNsProp(e, ns, (const xmlChar *)(prng() % 2 ? "type" : "nil"), (const xmlChar *)"true");
        break;
    case 5: /* text inside or around */
        c = xmlNewDocText(doc, (const xmlChar *)PICK(values));
        if (prng() % 2 || e == all[0])
            xmlAddChild(e, c);
        else
            xmlAddPrevSibling(e, c);
        break;
    case 6: /* a comment or a processing instruction */
        c = prng() % 2 ? xmlNewDocComment(doc, (const xmlChar *)"c") : xmlNewDocPI(doc, (const xmlChar *)"pi", NULL);
        xmlAddChild(e, c);
        break;
    case 7: /* an element dropped */
        if (e != all[0]) {
            xmlUnlinkNode(e);
            xmlFreeNode(e);
        }
        break;
    case 8: /* an element doubled */
        if (e != all[0])
            xmlAddNextSibling(e, xmlDocCopyNode(e, doc, 1));
        break;
    case 9: /* an element moved after the next one */
        for (c = e->next; c && c->type != XML_ELEMENT_NODE; c = c->next)
            ;
        if (c && e != all[0]) {
            xmlUnlinkNode(e);
            xmlAddNextSibling(c, e);
        }
        break;
    case 10: /* an element renamed */
        xmlNodeSetName(e, (const xmlChar *)PICK(element_names));
        break;
    case 11: /* an element in another namespace, or none */
        if (prng() % 2)
            xmlSetNs(e, xmlNewNs(e, (const xmlChar *)"urn:other", (const xmlChar *)"o"));
        else
            xmlSetNs(e, NULL);
        break;
    default: /* a child element, with an attribute or text */
        c = xmlNewChild(e, e->ns, (const xmlChar *)PICK(element_names), NULL);
        if (prng() % 2)
            xmlSetProp(c, (const xmlChar *)PICK(attr_names), (const xmlChar *)PICK(values));
        else
            xmlNodeSetContent(c, (const xmlChar *)PICK(values));
        break;
    }
}

/* doc as text, read back as the library reads a history (lp__xml_parse's
 * options): the check only ever sees trees the parser made. */
static xmlDocPtr reread(xmlDocPtr doc)
{
    xmlChar *text = NULL;
    int size = 0;
    xmlDocPtr again;
    xmlDocDumpMemory(doc, &text, &size);
    again = xmlReadMemory((const char *)text, size, "mutant.xml", NULL,
                          XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA
                              | XML_PARSE_NOERROR);
    xmlFree(text);
    return again;
}

static int schema_accepts(xmlNodePtr root)
{
    xmlSchemaValidCtxtPtr v = xmlSchemaNewValidCtxt(lp__xml_history_schema());
    int ok;
    assert_non_null(v);
    xmlSchemaSetValidStructuredErrors(v, NULL, NULL);
    ok = xmlSchemaValidateOneElement(v, root) == 0;
    xmlSchemaFreeValidCtxt(v);
    return ok;
}

static void silence(void *ctx, xmlErrorPtr err)
{
    (void)ctx;
    (void)err;
}

/* The two verdicts on a tree the parser made; the test fails when the quick
 * check accepts what the schema rejects. */
static void verdicts(xmlDocPtr parsed, const char *what, int *quick, int *full)
{
    *quick = lp__history_surely_valid(xmlDocGetRootElement(parsed));
    *full = schema_accepts(xmlDocGetRootElement(parsed));
    if (*quick && !*full) {
        xmlChar *text = NULL;
        int size = 0;
        xmlDocDumpMemory(parsed, &text, &size);
        fail_msg("the quick check accepts what the schema rejects (%s):\n%s", what, (const char *)text);
    }
}

/* doc written out and read back, then judged; whether both accepted it. */
static int judge(xmlDocPtr doc, const char *what)
{
    xmlDocPtr again = reread(doc);
    int quick, full;
    assert_non_null(again);
    verdicts(again, what, &quick, &full);
    xmlFreeDoc(again);
    return quick && full;
}

/* Every attribute name on every element of the fullest template, and the
 * text of every element without element children, set in turn to every
 * value of the pool. */
static void test_check__every_attribute_every_value(void **state)
{
    const char *t = templates[1];
    xmlDocPtr doc = xmlReadMemory(t, (int)strlen(t), "t.xml", NULL, 0);
    xmlNodePtr all[64];
    size_t n = elements(xmlDocGetRootElement(doc), all, 64, 0), i, a, v;
    long tried = 0, both = 0;
    (void)state;
    xmlSetStructuredErrorFunc(NULL, silence);
    for (i = 0; i < n; i++)
        for (a = 0; a < sizeof attr_names / sizeof attr_names[0]; a++) {
            xmlChar *old = xmlGetProp(all[i], (const xmlChar *)attr_names[a]);
            for (v = 0; v < sizeof values / sizeof values[0]; v++) {
                char what[128];
                xmlSetProp(all[i], (const xmlChar *)attr_names[a], (const xmlChar *)values[v]);
                snprintf(what, sizeof what, "<%s %s=\"%s\">", (const char *)all[i]->name, attr_names[a], values[v]);
                both += judge(doc, what);
                tried++;
            }
            if (old)
                xmlSetProp(all[i], (const xmlChar *)attr_names[a], old);
            else
                xmlUnsetProp(all[i], (const xmlChar *)attr_names[a]);
            xmlFree(old);
        }
    /* and the text of every element, earnings and facts among them */
    for (i = 0; i < n; i++) {
        xmlChar *old = xmlNodeGetContent(all[i]);
        int had_text = all[i]->children && all[i]->children->type == XML_TEXT_NODE && !all[i]->children->next;
        if (all[i]->children && !had_text) {
            xmlFree(old);
            continue;      /* an element with element children keeps them */
        }
        for (v = 0; v < sizeof values / sizeof values[0]; v++) {
            char what[128];
            xmlNodeSetContent(all[i], (const xmlChar *)values[v]);
            snprintf(what, sizeof what, "<%s>%s<", (const char *)all[i]->name, values[v]);
            both += judge(doc, what);
            tried++;
        }
        xmlNodeSetContent(all[i], had_text ? old : NULL);
        xmlFree(old);
    }
    xmlSetStructuredErrorFunc(NULL, NULL);
    print_message("# %ld single-attribute and text changes: %ld accepted by both\n", tried, both);
    assert_true(both > 0 && both < tried);
    xmlFreeDoc(doc);
}

static void test_check__on_for_this_schema(void **state)
{
    (void)state;
    if (!lp__history_check_enabled())
        fail_msg("rules/portability-history.xsd changed: review libportability/history_check.c against it, "
                 "then set HISTORY_XSD_SHA256 there to the file's new SHA-256");
}

static void test_check__templates_pass(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof templates / sizeof templates[0]; i++) {
        xmlDocPtr doc = xmlReadMemory(templates[i], (int)strlen(templates[i]), "t.xml", NULL, 0);
        assert_non_null(doc);
        assert_true(schema_accepts(xmlDocGetRootElement(doc)));
        assert_true(lp__history_surely_valid(xmlDocGetRootElement(doc)));
        xmlFreeDoc(doc);
    }
}

static void test_check__never_looser_than_the_schema(void **state)
{
    const char *preload = getenv("LD_PRELOAD");
    /* under valgrind (CI's memcheck pass) a tenth */
    long rounds = preload && strstr(preload, "vgpreload") ? 3000 : 30000, r;
    long both = 0, only_schema = 0, neither = 0;
    (void)state;
    xmlSetStructuredErrorFunc(NULL, silence);
    for (r = 0; r < rounds; r++) {
        const char *t = templates[r % (sizeof templates / sizeof templates[0])];
        xmlDocPtr doc = xmlReadMemory(t, (int)strlen(t), "t.xml", NULL, 0), again;
        unsigned k, nmut = prng() % 2 ? 1 : 2 + (unsigned)(prng() % 2);
        int quick, full;
        char what[32];
        for (k = 0; k < nmut; k++)
            mutate(doc);
        again = reread(doc);
        xmlFreeDoc(doc);
        if (!again || !xmlDocGetRootElement(again)) {
            xmlFreeDoc(again);
            continue;
        }
        snprintf(what, sizeof what, "round %ld", r);
        verdicts(again, what, &quick, &full);
        both += quick && full;
        only_schema += !quick && full;
        neither += !quick && !full;
        xmlFreeDoc(again);
    }
    xmlSetStructuredErrorFunc(NULL, NULL);
    print_message("# %ld altered records: both accept %ld, only the schema %ld, neither %ld\n", rounds, both,
                  only_schema, neither);
    /* the alterations must test both sides of the check */
    assert_true(both > rounds / 20);
    assert_true(neither > rounds / 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check__on_for_this_schema),
        cmocka_unit_test(test_check__templates_pass),
        cmocka_unit_test(test_check__every_attribute_every_value),
        cmocka_unit_test(test_check__never_looser_than_the_schema),
    };
    lp__xml_init();
    return cmocka_run_group_tests_name("history_check", tests, NULL, NULL);
}
