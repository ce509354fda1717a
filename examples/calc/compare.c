/* --compare: the career as given (A) beside a variation of it (B), with the
 * difference per scheme and the total per currency and year: the
 * portability gap worker and employer organisations argue from. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "calc.h"

#define COMPARE_NS "urn:libportability:compare:1"
#define MAX_CURRENCIES 32

/* A pension row of lp_compare()'s result, with what the printout adds: each
 * side's entitlement (for its status) and how often it is paid. */
typedef struct row {
    const char *scheme, *currency, *frequency;
    const lp_entitlement *a, *b;
    lp_money *ma, *mb, *diff;       /* lp_comparison_money(): exact */
    int unknown;                    /* a side could not be computed: no figure, no difference */
} row;

typedef struct totals {
    const char *currency[MAX_CURRENCIES];
    lp_money *a[MAX_CURRENCIES], *b[MAX_CURRENCIES];
    size_t n;
    const char *left_out[MAX_CURRENCIES];   /* schemes not in the totals (cannot be computed) */
    size_t nleft_out;
} totals;

/* A year of payments: x 12 when paid monthly, x 52 weekly. */
static lp_money *yearly(const lp_money *m, const char *frequency)
{
    lp_money *y = NULL;
    const char *times = "1";
    if (frequency && !strcmp(frequency, "monthly"))
        times = "12";
    else if (frequency && !strcmp(frequency, "weekly"))
        times = "52";
    lp_money_mul(&y, m, times);
    return y;
}

static int cannot_compute(const lp_entitlement *e)
{
    return e && lp_entitlement_status_code(e) == LP_STATUS_CANNOT_COMPUTE;
}

static void add_total(totals *t, const char *cur, const lp_money *ya, const lp_money *yb)
{
    size_t i;
    for (i = 0; i < t->n; i++)
        if (!strcmp(t->currency[i], cur))
            break;
    if (i == t->n) {
        if (t->n == MAX_CURRENCIES)
            return;
        t->currency[i] = cur;
        lp_money_from_string(&t->a[i], "0", cur);
        lp_money_from_string(&t->b[i], "0", cur);
        t->n++;
    }
    {
        lp_money *sa = NULL, *sb = NULL;
        if (ya && lp_money_add(&sa, t->a[i], ya) == LP_OK) {
            lp_money_free(t->a[i]);
            t->a[i] = sa;
        }
        if (yb && lp_money_add(&sb, t->b[i], yb) == LP_OK) {
            lp_money_free(t->b[i]);
            t->b[i] = sb;
        }
    }
}

/* The pension rows of c (lp_compare's order: every scheme of A, then any
 * scheme only B has) and their totals a year per currency. */
static size_t build_rows(row **out, const lp_comparison *c, totals *t)
{
    const lp_result *ra = lp_comparison_base(c), *rb = lp_comparison_variant(c);
    size_t count = lp_comparison_count(c), n = 0, i;
    row *rows = calloc(count + 1, sizeof *rows);
    *out = rows;
    if (!rows)
        return 0;
    for (i = 0; i < count; i++) {
        const char *scheme, *what, *currency;
        const lp_entitlement *like;
        row *r;
        lp_money *ya, *yb;
        if (lp_comparison_at(c, i, &scheme, &what, &currency, NULL, NULL, NULL) != LP_OK
            || strcmp(what, "pension") != 0)
            continue;
        r = &rows[n++];
        r->scheme = scheme;
        r->currency = currency;
        r->a = lp_result_entitlement_find(ra, scheme);
        r->b = lp_result_entitlement_find(rb, scheme);
        like = r->a ? r->a : r->b;
        r->frequency = lp_entitlement_frequency(like);
        lp_comparison_money(c, i, &r->ma, &r->mb, &r->diff);
        if ((r->unknown = cannot_compute(r->a) || cannot_compute(r->b))) {
            /* a figure that could not be computed is not a zero: no difference,
             * and the totals say they leave it out */
            if (t->nleft_out < MAX_CURRENCIES)
                t->left_out[t->nleft_out++] = scheme;
            continue;
        }
        ya = r->ma ? yearly(r->ma, r->frequency) : NULL;
        yb = r->mb ? yearly(r->mb, r->frequency) : NULL;
        add_total(t, r->currency, ya, yb);
        lp_money_free(ya);
        lp_money_free(yb);
    }
    return n;
}

static void free_rows(row *rows, size_t n, totals *t)
{
    size_t i;
    for (i = 0; i < n; i++) {
        lp_money_free(rows[i].ma);
        lp_money_free(rows[i].mb);
        lp_money_free(rows[i].diff);
    }
    free(rows);
    for (i = 0; i < t->n; i++) {
        lp_money_free(t->a[i]);
        lp_money_free(t->b[i]);
    }
}

static void money_or_dash(char *buf, size_t cap, const lp_money *m)
{
    if (m)
        calc_format_money(buf, cap, m);
    else
        snprintf(buf, cap, "-");
}

static void signed_money(char *buf, size_t cap, const lp_money *m)
{
    char t[128];
    money_or_dash(t, sizeof t, m);
    if (snprintf(buf, cap, "%s%s", m && lp_money_sign(m) > 0 ? "+" : "", t) >= (int)cap)
        buf[cap - 1] = '\0';
}

static const char *status_of(const lp_entitlement *e)
{
    return e ? lp_entitlement_status(e) : "(none)";
}

/* The option of r that is l's: same scheme and option, owed by the same employer (or by none). */
static const lp_lump_sum *same_lump_sum(const lp_result *r, const lp_lump_sum *l)
{
    size_t i;
    for (i = 0; i < lp_result_lump_sum_count(r); i++) {
        const lp_lump_sum *o = lp_result_lump_sum_at(r, i);
        const char *e1 = lp_lump_sum_employer(o), *e2 = lp_lump_sum_employer(l);
        if (!strcmp(lp_lump_sum_scheme(o), lp_lump_sum_scheme(l)) && !strcmp(lp_lump_sum_option(o), lp_lump_sum_option(l))
            && (e1 && e2 ? !strcmp(e1, e2) : e1 == e2))
            return o;
    }
    return NULL;
}

static void lump_sums_text(FILE *fp, const lp_result *ra, const lp_result *rb)
{
    size_t i, na = lp_result_lump_sum_count(ra), shown = 0;
    for (i = 0; i < na; i++) {
        const lp_lump_sum *la = lp_result_lump_sum_at(ra, i), *lb = same_lump_sum(rb, la);
        char key[160], va[64], vb[64];
        if (!shown++)
            fputs("\nLump sums (once)          A                    B\n", fp);
        snprintf(key, sizeof key, "%s/%s", lp_lump_sum_scheme(la), lp_lump_sum_option(la));
        calc_group_digits(va, sizeof va, lp_lump_sum_value(la));
        if (lb)
            calc_group_digits(vb, sizeof vb, lp_lump_sum_value(lb));
        else
            snprintf(vb, sizeof vb, "-");
        fputs("  ", fp);
        if (calc_text_width(key) >= 24) {
            fprintf(fp, "%s\n", key);
            calc_pad(fp, "", 26);
        } else {
            calc_pad(fp, key, 24);
        }
        fprintf(fp, "%s %s", va, lp_lump_sum_currency(la));
        fprintf(fp, "%*s", 17 - calc_text_width(va) > 0 ? 17 - calc_text_width(va) : 1, "");
        fprintf(fp, "%s %s\n", vb, lp_lump_sum_currency(la));
        fputs("  ", fp);
        calc_pad(fp, "", 24);
        calc_pad(fp, lp_lump_sum_available(la) ? "available" : "not available", 21);
        fprintf(fp, "%s\n", lb ? (lp_lump_sum_available(lb) ? "available" : "not available") : "-");
    }
}

static int compare_text(FILE *fp, const lp_comparison *c, const char *label_b)
{
    const lp_result *ra = lp_comparison_base(c), *rb = lp_comparison_variant(c);
    row *rows = NULL;
    totals t;
    size_t i, n;
    char a[128], b[128], d[128], per[32];

    memset(&t, 0, sizeof t);
    n = build_rows(&rows, c, &t);
    fprintf(fp, "COMPARISON OF TWO SCENARIOS: case %s, claim date %s\n", lp_result_history_id(ra),
            lp_result_claim_date(ra));
    fputs("  A  as given\n", fp);
    fputs("  B  ", fp);
    calc_wrap(fp, label_b, 5, 5, 79);
    fputc('\n', fp);
    fputs("Scheme      Paid          A                  B                  B - A\n", fp);
    for (i = 0; i < n; i++) {
        const row *r = &rows[i];
        money_or_dash(a, sizeof a, cannot_compute(r->a) ? NULL : r->ma);
        money_or_dash(b, sizeof b, cannot_compute(r->b) ? NULL : r->mb);
        signed_money(d, sizeof d, r->unknown ? NULL : r->diff);
        snprintf(per, sizeof per, "%s %s", r->currency, calc_frequency_words(r->frequency));
        calc_pad(fp, r->scheme, 12);
        calc_pad(fp, per, 14);
        calc_pad(fp, a, 19);
        calc_pad(fp, b, 19);
        fprintf(fp, "%s\n", d);
        calc_pad(fp, "", 26);
        calc_pad(fp, status_of(r->a), 19);
        fprintf(fp, "%s\n", status_of(r->b));
    }
    if (!n)
        fputs("  (no pension scheme in this career)\n", fp);
    if (t.n) {
        fputs("\nTotal a year\n", fp);
        for (i = 0; i < t.n; i++) {
            lp_money *diff = NULL;
            money_or_dash(a, sizeof a, t.a[i]);
            money_or_dash(b, sizeof b, t.b[i]);
            lp_money_sub(&diff, t.b[i], t.a[i]);
            signed_money(d, sizeof d, diff);
            lp_money_free(diff);
            calc_pad(fp, "", 12);
            snprintf(per, sizeof per, "%s a year", t.currency[i]);
            calc_pad(fp, per, 14);
            calc_pad(fp, a, 19);
            calc_pad(fp, b, 19);
            fprintf(fp, "%s\n", d);
        }
    }
    for (i = 0; i < t.nleft_out; i++)
        fprintf(fp, "%s%s%s", i ? ", " : "  Not in the totals (could not be computed): ", t.left_out[i],
                i + 1 == t.nleft_out ? "\n" : "");
    lump_sums_text(fp, ra, rb);
    free_rows(rows, n, &t);
    return CALC_EXIT_OK;
}

static void set(xmlNodePtr n, const char *name, const char *value)
{
    if (value)
        xmlSetProp(n, (const xmlChar *)name, (const xmlChar *)value);
}

static void set_money(xmlNodePtr n, const char *name, const lp_money *m)
{
    char *s = NULL;
    if (m && lp_money_to_rational_string(&s, m) == LP_OK)
        set(n, name, s);
    lp_free(s);
}

/* Set name to m's decimal with grouped digits, for a printed page. */
static void set_text(xmlNodePtr n, const char *name, const lp_money *m)
{
    char buf[128];
    if (m) {
        calc_format_money(buf, sizeof buf, m);
        set(n, name, buf);
    }
}

/* How a lump sum reads in a printed comparison. */
static void lump_sum_words(char *buf, size_t cap, const lp_lump_sum *l)
{
    char g[128];
    if (!l)
        snprintf(buf, cap, "-");
    else if (lp_lump_sum_error(l))
        snprintf(buf, cap, "cannot be computed");
    else if (!lp_lump_sum_available(l))
        snprintf(buf, cap, "not available");
    else {
        calc_group_digits(g, sizeof g, lp_lump_sum_value(l));
        snprintf(buf, cap, "%s %s", g, lp_lump_sum_currency(l));
    }
}

/* The printed rows of the lump sums: each option of A beside the same one of B. */
static void lump_sum_rows(xmlNodePtr root, xmlNsPtr ns, const lp_result *ra, const lp_result *rb)
{
    size_t i;
    char a[192], b[192];
    for (i = 0; i < lp_result_lump_sum_count(ra); i++) {
        const lp_lump_sum *l = lp_result_lump_sum_at(ra, i);
        xmlNodePtr n = xmlNewChild(root, ns, (const xmlChar *)"lump-sum", NULL);
        lump_sum_words(a, sizeof a, l);
        lump_sum_words(b, sizeof b, same_lump_sum(rb, l));
        set(n, "scheme", lp_lump_sum_scheme(l));
        set(n, "option", lp_lump_sum_option(l));
        set(n, "employer", lp_lump_sum_employer(l));
        set(n, "a-text", a);
        set(n, "b-text", b);
    }
}

/* The comparison as a document (namespace COMPARE_NS): both results, a
 * <difference> per pension, a <total> a year per currency and the schemes
 * left out of the totals; printable: each figure also as grouped text
 * (a-text, b-text, b-minus-a-text) for the HTML page. NULL when out of
 * memory or a result cannot be embedded. */
static xmlDocPtr compare_doc(const lp_comparison *c, const char *label_b, int printable)
{
    const lp_result *ra = lp_comparison_base(c), *rb = lp_comparison_variant(c);
    xmlDocPtr doc = xmlNewDoc((const xmlChar *)"1.0");
    xmlNodePtr root, n;
    xmlNsPtr ns;
    row *rows = NULL;
    totals t;
    size_t i, nrows;
    int ok = 1;

    memset(&t, 0, sizeof t);
    if (!doc)
        return NULL;
    root = xmlNewDocNode(doc, NULL, (const xmlChar *)"comparison", NULL);
    xmlDocSetRootElement(doc, root);
    ns = xmlNewNs(root, (const xmlChar *)COMPARE_NS, NULL);
    xmlSetNs(root, ns);
    set(root, "case", lp_result_history_id(ra));
    set(root, "claim-date", lp_result_claim_date(ra));
    n = xmlNewChild(root, ns, (const xmlChar *)"scenario", NULL);
    set(n, "id", "A");
    set(n, "label", "as given");
    if (calc_embed_result(n, ra) != 0)
        ok = 0;
    n = xmlNewChild(root, ns, (const xmlChar *)"scenario", NULL);
    set(n, "id", "B");
    set(n, "label", label_b);
    if (calc_embed_result(n, rb) != 0)
        ok = 0;
    nrows = build_rows(&rows, c, &t);
    for (i = 0; i < nrows; i++) {
        const row *r = &rows[i];
        n = xmlNewChild(root, ns, (const xmlChar *)"difference", NULL);
        set(n, "scheme", r->scheme);
        set(n, "currency", r->currency);
        set(n, "frequency", r->frequency);
        set(n, "status-a", status_of(r->a));
        set(n, "status-b", status_of(r->b));
        if (!cannot_compute(r->a))
            set_money(n, "a", r->ma);
        if (!cannot_compute(r->b))
            set_money(n, "b", r->mb);
        if (!r->unknown)
            set_money(n, "b-minus-a", r->diff);
        if (printable) {
            set(n, "per", calc_frequency_words(r->frequency));
            set_text(n, "a-text", cannot_compute(r->a) ? NULL : r->ma);
            set_text(n, "b-text", cannot_compute(r->b) ? NULL : r->mb);
            set_text(n, "b-minus-a-text", r->unknown ? NULL : r->diff);
        }
    }
    for (i = 0; i < t.nleft_out; i++) {
        n = xmlNewChild(root, ns, (const xmlChar *)"not-in-totals", NULL);
        set(n, "scheme", t.left_out[i]);
        set(n, "why", "cannot-compute");
    }
    for (i = 0; i < t.n; i++) {
        lp_money *diff = NULL;
        n = xmlNewChild(root, ns, (const xmlChar *)"total", NULL);
        set(n, "currency", t.currency[i]);
        set(n, "per", "year");
        set_money(n, "a", t.a[i]);
        set_money(n, "b", t.b[i]);
        if (lp_money_sub(&diff, t.b[i], t.a[i]) == LP_OK)
            set_money(n, "b-minus-a", diff);
        if (printable) {
            set_text(n, "a-text", t.a[i]);
            set_text(n, "b-text", t.b[i]);
            set_text(n, "b-minus-a-text", diff);
        }
        lp_money_free(diff);
    }
    free_rows(rows, nrows, &t);
    if (printable)
        lump_sum_rows(root, ns, ra, rb);
    if (!ok) {
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

static int compare_xml(FILE *fp, const lp_comparison *c, const char *label_b)
{
    xmlDocPtr doc = compare_doc(c, label_b, 0);
    int rc = doc && xmlDocFormatDump(fp, doc, 1) >= 0 ? CALC_EXIT_OK : CALC_EXIT_INPUT;
    xmlFreeDoc(doc);
    return rc;
}

/* The comparison as a printable page: the document through report.xsl. */
static int compare_html(FILE *fp, const lp_comparison *c, const char *label_b)
{
    xmlDocPtr doc = compare_doc(c, label_b, 1);
    int rc = doc ? calc_report_html(fp, doc) : CALC_EXIT_INPUT;
    xmlFreeDoc(doc);
    return rc;
}

static int compare_json(FILE *fp, const lp_comparison *c)
{
    char *json = NULL;
    if (lp_comparison_to_json(&json, c, 0) != LP_OK) {
        calc_print_error();
        return CALC_EXIT_INPUT;
    }
    fprintf(fp, "%s\n", json);
    lp_free(json);
    return CALC_EXIT_OK;
}

/* The calculator's variation as the library's scenario. */
static void scenario_of(lp_scenario *out, const calc_scenario *sc)
{
    lp_scenario init = LP_SCENARIO_INIT;
    *out = init;
    out->residence = sc->residence;
    out->nationality = sc->nationality;
    out->without_agreements = sc->without;
    out->nwithout_agreements = sc->nwithout;
    out->without_all_agreements = sc->all_agreements_off;
    out->lump_sums_taken = sc->lump_sums;
    out->nlump_sums_taken = sc->nlump_sums;
}

int calc_mode_compare(const calc_args *a)
{
    lp_ruleset *rs = NULL;
    lp_history *h = NULL;
    lp_comparison *c = NULL;
    lp_scenario sc;
    char label[1024];
    int status = CALC_EXIT_INPUT;

    if (calc_load_rules(&rs, calc_rules_dir(a->rules)) != LP_OK)
        return CALC_EXIT_INPUT;
    if ((status = calc_scenario_check(rs, &a->variation)) != CALC_EXIT_OK) {
        lp_ruleset_free(rs);
        return status;
    }
    status = CALC_EXIT_INPUT;
    scenario_of(&sc, &a->variation);
    if (lp_history_load_file(&h, a->inputs[0]) != LP_OK || lp_compare(&c, rs, h, NULL, &sc) != LP_OK) {
        calc_print_error();
        goto done;
    }
    calc_scenario_label(label, sizeof label, &a->variation);
    if (!strcmp(a->format, "xml"))
        status = compare_xml(stdout, c, label);
    else if (!strcmp(a->format, "html"))
        status = compare_html(stdout, c, label);
    else if (!strcmp(a->format, "json"))
        status = compare_json(stdout, c);
    else
        status = compare_text(stdout, c, label);
done:
    lp_comparison_free(c);
    lp_history_free(h);
    lp_ruleset_free(rs);
    return status;
}
