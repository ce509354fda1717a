/* libFuzzer harness: the formula language. The input is the text of a
 * benefit's amount formula; it is escaped into a minimal scheme file with a
 * few parameters of each type, loaded (lexer, parser, type checker), and
 * when it compiles, evaluated against a fixed career with earnings. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <portability.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char head[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<scheme xmlns=\"urn:libportability:rules:1\" id=\"XF-FUZZ\" country=\"XF\" currency=\"EUR\"\n"
    "        unit=\"month\" counting=\"months-touched\">\n"
    "  <title>fuzz</title>\n"
    "  <source id=\"s\" grade=\"D\">synthetic</source>\n"
    "  <parameter id=\"full_pension\" type=\"money\"><value cite=\"s 1\">800</value></parameter>\n"
    "  <parameter id=\"rate\" type=\"number\"><value cite=\"s 2\">0.02</value></parameter>\n"
    "  <parameter id=\"cutoff\" type=\"date\"><value cite=\"s 3\">2000-01-01</value></parameter>\n"
    "  <benefit id=\"old-age\" frequency=\"monthly\">\n"
    "    <eligible cite=\"s 4\">periods >= 1</eligible>\n"
    "    <amount cite=\"s 5\">";
static const char tail[] =
    "</amount>\n"
    "  </benefit>\n"
    "</scheme>\n";

static lp_history *career(void)
{
    lp_history *h = NULL;
    if (lp_history_new(&h, "fuzz", "1960-01-01", "FR", "FR", "2025-06-01", "old-age") != LP_OK)
        return NULL;
    lp_history_add_period(h, "XF-FUZZ", "1985-01-01", "1999-12-31", "contribution", "1500.50", "month", "EUR");
    lp_history_add_period(h, "XF-FUZZ", "2003-04-10", "2020-06-30", "employment", "30000", "year", "EUR");
    lp_history_add_period(h, "XF-FUZZ", "2021-01-01", "2021-01-01", "voluntary", NULL, NULL, NULL);
    return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static lp_history *h;
    char *doc, *p;
    size_t i;
    lp_rule_buffer b;
    lp_ruleset *rs = NULL;
    lp_result *r = NULL;
    if (size > 4096)
        return 0;
    if (!h && !(h = career()))
        abort();
    /* worst case: every byte becomes "&amp;" */
    doc = malloc(sizeof head + sizeof tail + 5 * size);
    if (!doc)
        return 0;
    p = doc;
    memcpy(p, head, sizeof head - 1);
    p += sizeof head - 1;
    for (i = 0; i < size; i++) {
        unsigned char ch = data[i];
        if (ch == '&') {
            memcpy(p, "&amp;", 5);
            p += 5;
        } else if (ch == '<') {
            memcpy(p, "&lt;", 4);
            p += 4;
        } else if (ch == '\n' || ch == '\t' || (ch >= 0x20 && ch < 0x7f)) {
            *p++ = (char)ch;
        } else {
            *p++ = ' ';
        }
    }
    memcpy(p, tail, sizeof tail - 1);
    p += sizeof tail - 1;
    b.name = "fuzz.xml";
    b.data = doc;
    b.size = (size_t)(p - doc);
    if (lp_ruleset_load_memory(&rs, NULL, &b, 1, NULL) == LP_OK) {
        lp_calc_options o = LP_CALC_OPTIONS_INIT;
        o.flags = LP_CALC_TRACE;
        if (lp_calc(&r, rs, h, &o) == LP_OK) {
            char *xml = NULL;
            lp_result_to_xml(&xml, r);
            lp_free(xml);
        }
    }
    lp_result_free(r);
    lp_ruleset_free(rs);
    free(doc);
    return 0;
}
