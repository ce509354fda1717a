/* The HTML report: a report document is built from the result XML of two
 * calculations (with the agreements, and without any), the history and the
 * titles of the rule files, and the figures of the portability-gap chart
 * (worked out here exactly with lp_money, so the stylesheet does no
 * arithmetic); the XSLT stylesheet report.xsl turns it into a printable page
 * through libxslt. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxslt/security.h>
#include <libxslt/transform.h>
#include <libxslt/xslt.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/xsltutils.h>

#include "calc.h"

#define REPORT_NS "urn:libportability:report:1"
#define BAR_MAX "300"   /* the longest bar of a chart, in SVG user units */
#define SAFE_XML (XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR | XML_PARSE_NOCDATA)

const char *calc_stylesheet_path(void)
{
    const char *env = getenv("LP_REPORT_XSL");
    struct stat st;
    if (env && *env)
        return env;
#ifdef LP_INSTALLED_XSL
    if (stat(LP_INSTALLED_XSL, &st) == 0)
        return LP_INSTALLED_XSL;
#endif
#ifdef LP_SOURCE_XSL
    if (stat(LP_SOURCE_XSL, &st) == 0)
        return LP_SOURCE_XSL;
#endif
    (void)st;
    return "report.xsl";
}

static xmlNodePtr new_child(xmlNodePtr parent, xmlNsPtr ns, const char *name)
{
    return xmlNewChild(parent, ns, (const xmlChar *)name, NULL);
}

static void set(xmlNodePtr n, const char *name, const char *value)
{
    if (value)
        xmlSetProp(n, (const xmlChar *)name, (const xmlChar *)value);
}

/* Parse a result's XML and put a copy of its root under parent. */
int calc_embed_result(void *parent_node, const lp_result *r)
{
    xmlNodePtr parent = parent_node;
    char *xml = NULL;
    xmlDocPtr doc;
    int rc;
    if (!r)
        return 0;
    if ((rc = lp_result_to_xml(&xml, r)) != LP_OK)
        return rc;
    doc = xmlReadMemory(xml, (int)strlen(xml), "result.xml", NULL, SAFE_XML);
    lp_free(xml);
    if (!doc)
        return -1;
    xmlAddChild(parent, xmlDocCopyNode(xmlDocGetRootElement(doc), parent->doc, 1));
    xmlFreeDoc(doc);
    return 0;
}

/* Copy the history file's root element (person, claim, periods) into the report. */
static void embed_history(xmlNodePtr parent, const char *path)
{
    xmlDocPtr doc = xmlReadFile(path, NULL, SAFE_XML);
    if (!doc)
        return;
    if (!doc->intSubset && xmlDocGetRootElement(doc))
        xmlAddChild(parent, xmlDocCopyNode(xmlDocGetRootElement(doc), parent->doc, 1));
    xmlFreeDoc(doc);
}

/* The yearly payable of a scheme in a result, as exact lp_money (zero if none). */
static lp_money *yearly(const lp_result *r, const lp_entitlement *like)
{
    const lp_entitlement *e = r ? lp_result_entitlement_find(r, lp_entitlement_scheme(like)) : NULL;
    lp_money *m = NULL;
    calc_money_yearly(&m, e ? calc_payable_exact(e) : "0", lp_entitlement_currency(like),
                      lp_entitlement_frequency(like));
    return m;
}

/* round(v / max * BAR_MAX), as text; "0" when max is zero. */
static void bar_width(char *buf, size_t cap, const lp_money *v, const lp_money *max)
{
    lp_money *q = NULL, *w = NULL;
    char *den = NULL, *s = NULL;
    snprintf(buf, cap, "0");
    if (!v || !max || lp_money_is_zero(max) || lp_money_to_rational_string(&den, max) != LP_OK)
        return;
    if (lp_money_div(&q, v, den) == LP_OK && lp_money_mul(&w, q, BAR_MAX) == LP_OK
        && lp_money_to_decimal_string(&s, w, "1", LP_ROUND_HALF_UP) == LP_OK)
        snprintf(buf, cap, "%s", s);
    lp_free(s);
    lp_free(den);
    lp_money_free(q);
    lp_money_free(w);
}

/* One <gap> per entitlement: payable a year with and without the agreements,
 * the difference, and bar lengths scaled to the largest figure of the same
 * country and currency. */
static void add_gaps(xmlNodePtr root, xmlNsPtr ns, const calc_catalogue *cat,
                     const lp_result *with, const lp_result *without)
{
    size_t i, j, n = lp_result_entitlement_count(with);
    for (i = 0; i < n; i++) {
        const lp_entitlement *e = lp_result_entitlement_at(with, i);
        const char *country = calc_scheme_country(cat, lp_entitlement_scheme(e));
        const char *cur = lp_entitlement_currency(e);
        lp_money *a = yearly(with, e), *b = yearly(without, e), *max = NULL, *d = NULL;
        xmlNodePtr g = new_child(root, ns, "gap");
        char wa[64], wb[64], fa[128], fb[128], fd[128];
        if (!a || !b) {
            lp_money_free(a);
            lp_money_free(b);
            continue;
        }
        /* the largest yearly figure of this country and currency */
        for (j = 0; j < n; j++) {
            const lp_entitlement *o = lp_result_entitlement_at(with, j);
            lp_money *oa, *ob;
            int c = 0;
            if (strcmp(calc_scheme_country(cat, lp_entitlement_scheme(o)), country)
                || strcmp(lp_entitlement_currency(o), cur))
                continue;
            oa = yearly(with, o);
            ob = yearly(without, o);
            if (oa && (!max || (lp_money_compare(&c, oa, max) == LP_OK && c > 0))) {
                lp_money_free(max);
                max = oa;
                oa = NULL;
            }
            if (ob && (!max || (lp_money_compare(&c, ob, max) == LP_OK && c > 0))) {
                lp_money_free(max);
                max = ob;
                ob = NULL;
            }
            lp_money_free(oa);
            lp_money_free(ob);
        }
        bar_width(wa, sizeof wa, a, max);
        bar_width(wb, sizeof wb, b, max);
        calc_format_money(fa, sizeof fa, a);
        calc_format_money(fb, sizeof fb, b);
        if (lp_money_sub(&d, a, b) == LP_OK)
            calc_format_money(fd, sizeof fd, d);
        else
            snprintf(fd, sizeof fd, "?");
        set(g, "scheme", lp_entitlement_scheme(e));
        set(g, "country", country);
        set(g, "currency", cur);
        set(g, "with", fa);
        set(g, "without", fb);
        set(g, "difference", fd);
        set(g, "with-bar", wa);
        set(g, "without-bar", wb);
        lp_money_free(a);
        lp_money_free(b);
        lp_money_free(max);
        lp_money_free(d);
    }
}

/* One element per item of a field (every office, every form, ...). */
static void add_claim_items(xmlNodePtr parent, xmlNsPtr ns, const char *name, const calc_claim_items *items)
{
    size_t k;
    for (k = 0; k < items->n; k++) {
        xmlNodePtr n = xmlNewTextChild(parent, ns, (const xmlChar *)name, (const xmlChar *)items->v[k]->text);
        set(n, "url", items->v[k]->url);
        set(n, "lang", items->v[k]->lang);
    }
}

/* One <claim> per claim procedure of the claims model (claims.c), the same
 * model the text report prints. */
static void add_claims(xmlNodePtr root, xmlNsPtr ns, const lp_ruleset *rs, const calc_catalogue *cat,
                       const lp_result *with)
{
    calc_claims cs;
    size_t i;
    if (calc_claims_build(&cs, rs, with, calc_lang()) != 0)
        return;
    for (i = 0; i < cs.n; i++) {
        const calc_claim *c = &cs.v[i];
        xmlNodePtr n = new_child(root, ns, "claim");
        set(n, "scheme", c->scheme);
        set(n, "option", c->option);
        set(n, "country", calc_scheme_country(cat, c->scheme));
        set(n, "country-name", calc_country_name(cat, calc_scheme_country(cat, c->scheme)));
        set(n, "title", calc_scheme_title(cat, c->scheme));
        add_claim_items(n, ns, "office", &c->office);
        add_claim_items(n, ns, "form", &c->form);
        add_claim_items(n, ns, "link", &c->link);
        add_claim_items(n, ns, "deadline", &c->deadline);
        add_claim_items(n, ns, "bring", &c->bring);
    }
    calc_claims_free(&cs);
}

/* One <figure> per payable pension and per lump sum: its amount with grouped
 * digits ("92,081"), as the text report writes it, so page 1 of the HTML report
 * shows the same figure and the stylesheet does no formatting of numbers. */
static void add_figures(xmlNodePtr root, xmlNsPtr ns, const lp_result *with)
{
    size_t i;
    char g[128];
    for (i = 0; i < lp_result_entitlement_count(with); i++) {
        const lp_entitlement *e = lp_result_entitlement_at(with, i);
        const char *v = lp_entitlement_amount_text(e, LP_AMOUNT_PAYABLE);
        xmlNodePtr n;
        if (!v)
            continue;
        calc_group_digits(g, sizeof g, v);
        n = new_child(root, ns, "figure");
        set(n, "scheme", lp_entitlement_scheme(e));
        set(n, "amount", g);
    }
    for (i = 0; i < lp_result_lump_sum_count(with); i++) {
        const lp_lump_sum *l = lp_result_lump_sum_at(with, i);
        xmlNodePtr n;
        calc_group_digits(g, sizeof g, lp_lump_sum_value(l) ? lp_lump_sum_value(l) : "0");
        n = new_child(root, ns, "figure");
        set(n, "scheme", lp_lump_sum_scheme(l));
        set(n, "option", lp_lump_sum_option(l));
        set(n, "amount", g);
    }
}

/* Page 1's corridors (corridors.c), the model the text report prints:
 * <corridor a=".." b=".."> with its <headline> and <note>s. */
static void add_corridors(xmlNodePtr page1, xmlNsPtr ns, const lp_ruleset *rs, const calc_catalogue *cat,
                          const calc_person *who, const lp_result *with)
{
    calc_corridors cs;
    size_t i, k;
    if (calc_corridors_build(&cs, rs, cat, who, with) != 0)
        return;
    for (i = 0; i < cs.n; i++) {
        xmlNodePtr n = new_child(page1, ns, "corridor");
        set(n, "a", cs.v[i].a);
        set(n, "b", cs.v[i].b);
        xmlNewTextChild(n, ns, (const xmlChar *)"headline", (const xmlChar *)cs.v[i].headline);
        for (k = 0; k < cs.v[i].nnotes; k++)
            xmlNewTextChild(n, ns, (const xmlChar *)"note", (const xmlChar *)cs.v[i].notes[k]);
    }
    calc_corridors_free(&cs);
}

/* Page 1 (page1.c), the same model the text report prints: <page1> with one
 * <country> a country and one <line> per thing the worker gets. */
static void add_page1(xmlNodePtr root, xmlNsPtr ns, const lp_ruleset *rs, const calc_catalogue *cat,
                      const char *history_path, const lp_result *with)
{
    calc_page1 pg;
    calc_person who;
    xmlNodePtr top, country = NULL;
    size_t i, k;
    char d[64], b[64], buf[1024];
    if (calc_person_read(&who, history_path) != 0) {
        memset(&who, 0, sizeof who);
        snprintf(who.residence, sizeof who.residence, "?");
    }
    if (calc_page1_build(&pg, rs, cat, &who, with) != 0)
        return;
    top = new_child(root, ns, "page1");
    set(top, "alternatives", pg.alternatives ? "true" : "false");
    calc_date_words(d, sizeof d, lp_result_claim_date(with));
    calc_date_words(b, sizeof b, who.birth_date);
    snprintf(buf, sizeof buf, _("Worker born %1$s. Nationality: %2$s. Living in: %3$s. Worked out for a "
                                "claim on %4$s."),
             b, calc_country_name(cat, who.nationality), calc_country_name(cat, who.residence), d);
    xmlNewTextChild(top, ns, (const xmlChar *)"worker", (const xmlChar *)buf);
    for (i = 0; i < pg.n; i++) {
        const calc_line *l = &pg.v[i];
        xmlNodePtr n;
        static const char *const kinds[] = { "pension", "lump-sum", "nothing" };
        if (!country || i == 0 || strcmp(l->country, pg.v[i - 1].country)) {
            country = new_child(top, ns, "country");
            set(country, "name", l->country);
        }
        n = new_child(country, ns, "line");
        set(n, "kind", kinds[l->kind]);
        set(n, "title", l->title);
        xmlNewTextChild(n, ns, (const xmlChar *)"what", (const xmlChar *)l->what);
        if (l->kind != CALC_LINE_NOTHING) {
            xmlNewTextChild(n, ns, (const xmlChar *)"amount", (const xmlChar *)l->amount);
            xmlNewTextChild(n, ns, (const xmlChar *)"when", (const xmlChar *)l->when);
        }
        for (k = 0; k < l->nnotes; k++)
            xmlNewTextChild(n, ns, (const xmlChar *)"note", (const xmlChar *)l->notes[k]);
    }
    calc_page1_free(&pg);
    add_corridors(top, ns, rs, cat, &who, with);
}

/* The fixed text of page 1 and the appendix headings, in the report's
 * language: <text id="...">, which the stylesheet prints (it has no English
 * of its own for these). */
static void add_texts(xmlNodePtr root, xmlNsPtr ns)
{
    const char *const t[][2] = {
        { "title", _("What you are owed by each country") },
        { "alternatives", _("A pension and a one-time payment of the same country are alternatives: "
                            "read what each one costs before choosing.") },
        { "nothing", _("Nothing is payable: the career has no periods in a scheme of these countries.") },
        { "corridors", _("Agreements between the countries of your career") },
        { "claim", _("Where and when to claim") },
        { "where", _("Where") },
        { "form", _("Form") },
        { "online", _("Online") },
        { "by-when", _("By when") },
        { "bring", _("Bring") },
        { "appendix", _("How each figure was computed") },
        { "gap", _("The portability gap: what the agreements add") },
        { "detail", _("Each scheme in detail") },
        { "lump-sums", _("Lump sums, refunds and balances") },
        { "notes", _("Notes on the career as given") },
        { "receipt", _("Receipt (to reproduce this result)") },
    };
    size_t i;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        xmlNodePtr n = xmlNewTextChild(root, ns, (const xmlChar *)"text", (const xmlChar *)t[i][1]);
        set(n, "id", t[i][0]);
    }
}

void *calc_report_document(const lp_ruleset *rs, const calc_catalogue *cat,
                           const char *history_path,
                           const lp_result *with, const lp_result *without)
{
    xmlDocPtr doc = xmlNewDoc((const xmlChar *)"1.0");
    xmlNodePtr root, n, sc;
    xmlNsPtr ns;
    size_t i;
    char months[64];

    if (!doc)
        return NULL;
    root = xmlNewDocNode(doc, NULL, (const xmlChar *)"report", NULL);
    xmlDocSetRootElement(doc, root);
    ns = xmlNewNs(root, (const xmlChar *)REPORT_NS, NULL);
    xmlSetNs(root, ns);
    set(root, "program", "portability-calc");
    set(root, "version", lp_version_string());
    set(root, "lang", calc_lang());
    embed_history(root, history_path);
    for (i = 0; i < lp_ruleset_scheme_count(rs); i++) {
        const char *id = lp_ruleset_scheme_id(rs, i);
        n = new_child(root, ns, "scheme");
        set(n, "id", id);
        set(n, "country", calc_scheme_country(cat, id));
        set(n, "title", calc_scheme_title(cat, id));
    }
    for (i = 0; i < lp_ruleset_agreement_count(rs); i++) {
        const char *id = lp_ruleset_agreement_id(rs, i);
        n = new_child(root, ns, "agreement");
        set(n, "id", id);
        set(n, "title", calc_agreement_title(cat, id));
    }
    add_gaps(root, ns, cat, with, without);
    for (i = 0; i < lp_result_lump_sum_count(with); i++) {
        const lp_lump_sum *l = lp_result_lump_sum_at(with, i);
        const lp_entitlement *e = lp_result_entitlement_find(with, lp_lump_sum_scheme(l));
        if (calc_lump_sum_months(months, sizeof months, l, e) != 0)
            continue;
        n = new_child(root, ns, "lump-sum-months");
        set(n, "scheme", lp_lump_sum_scheme(l));
        set(n, "option", lp_lump_sum_option(l));
        set(n, "months", months);
    }
    add_figures(root, ns, with);
    add_claims(root, ns, rs, cat, with);
    add_page1(root, ns, rs, cat, history_path, with);
    add_texts(root, ns);
    sc = new_child(root, ns, "scenario");
    set(sc, "name", "with-agreements");
    if (calc_embed_result(sc, with) != 0)
        goto fail;
    if (without) {
        sc = new_child(root, ns, "scenario");
        set(sc, "name", "without-agreements");
        if (calc_embed_result(sc, without) != 0)
            goto fail;
    }
    return doc;
fail:
    xmlFreeDoc(doc);
    return NULL;
}

int calc_report_html(FILE *fp, void *report_document)
{
    const char *path = calc_stylesheet_path();
    xmlDocPtr sdoc, out = NULL;
    xsltStylesheetPtr style = NULL;
    xsltSecurityPrefsPtr sec;
    xsltTransformContextPtr ctxt = NULL;
    int rc = CALC_EXIT_INPUT;

    sdoc = xmlReadFile(path, NULL, SAFE_XML);
    if (!sdoc) {
        fprintf(stderr, "%s:0:0: cannot read the report stylesheet (set LP_REPORT_XSL)\n", path);
        return CALC_EXIT_INPUT;
    }
    if (!(style = xsltParseStylesheetDoc(sdoc))) {
        xmlFreeDoc(sdoc);
        fprintf(stderr, "%s:0:0: the report stylesheet is not valid XSLT\n", path);
        return CALC_EXIT_INPUT;
    }
    /* the stylesheet may read and write nothing but its input and output */
    sec = xsltNewSecurityPrefs();
    xsltSetSecurityPrefs(sec, XSLT_SECPREF_READ_FILE, xsltSecurityForbid);
    xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_FILE, xsltSecurityForbid);
    xsltSetSecurityPrefs(sec, XSLT_SECPREF_CREATE_DIRECTORY, xsltSecurityForbid);
    xsltSetSecurityPrefs(sec, XSLT_SECPREF_READ_NETWORK, xsltSecurityForbid);
    xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_NETWORK, xsltSecurityForbid);
    ctxt = xsltNewTransformContext(style, report_document);
    if (ctxt && sec && xsltSetCtxtSecurityPrefs(sec, ctxt) == 0)
        out = xsltApplyStylesheetUser(style, report_document, NULL, NULL, NULL, ctxt);
    if (!out)
        fprintf(stderr, "%s:0:0: the report stylesheet failed\n", path);
    else if (xsltSaveResultToFile(fp, out, style) < 0 || fflush(fp) != 0 || ferror(fp))
        fprintf(stderr, "portability-calc: cannot write the report: %s\n", strerror(errno ? errno : EIO));
    else
        rc = CALC_EXIT_OK;
    xmlFreeDoc(out);
    if (ctxt)
        xsltFreeTransformContext(ctxt);
    xsltFreeSecurityPrefs(sec);
    xsltFreeStylesheet(style);
    return rc;
}
