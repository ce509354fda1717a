/* libFuzzer harness (issue 21): rule sets generated from the input, not
 * mutated bytes. The input is read as a small program: each step adds one
 * <define> to a scheme, chosen among the shapes that broke evaluation before
 * (a definition squaring the one before, a wide flat sum, a long chain of
 * products or divisions, a big literal, a deep nesting of parentheses, a
 * comparison chain of 'and'/'or'), and the benefit's amount reads the last
 * one. What loads is computed for a fixed career. It must never crash, run
 * away (libFuzzer -timeout) or exhaust memory (-rss_limit_mb): the limits of
 * SECURITY.md must stop it, with LP_ERANGE naming a place in the file. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <portability.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct gen {
    const uint8_t *in;
    size_t size, pos;
    char *out;
    size_t len, cap;
} gen;

static unsigned byte(gen *g)
{
    return g->pos < g->size ? g->in[g->pos++] : 0;
}

static void put(gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#include <stdarg.h>

static void put(gen *g, const char *fmt, ...)
{
    va_list ap;
    int n;
    for (;;) {
        va_start(ap, fmt);
        n = vsnprintf(g->out + g->len, g->cap - g->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < g->cap - g->len)
            break;
        g->cap *= 2;
        if (!(g->out = realloc(g->out, g->cap)))
            abort();
    }
    g->len += (size_t)n;
}

/* A term: an earlier definition, a literal or a built-in name. */
static void term(gen *g, unsigned i)
{
    unsigned b = byte(g);
    if (i > 0 && b % 4 != 0)
        put(g, "d%u", b % i);
    else if (b % 8 == 0)
        put(g, "periods");
    else
        put(g, "%u", byte(g) + 1);
}

/* One definition d<i>. */
static void define(gen *g, unsigned i)
{
    unsigned shape = byte(g) % 8, n, k;
    put(g, "  <define id=\"d%u\" type=\"number\" cite=\"s 1\">", i);
    switch (shape) {
    case 0:         /* squaring the definition before */
        if (i > 0)
            put(g, "d%u * d%u", i - 1, i - 1);
        else
            put(g, "123456789012345678901234567890123456789");
        break;
    case 1:         /* a big literal, up to 64 digits, maybe a fraction */
        n = byte(g) % 64 + 1;
        for (k = 0; k < n; k++)
            put(g, "%u", (byte(g) % 9) + 1);
        if (byte(g) % 2)
            put(g, "/7");
        break;
    case 2:         /* a wide flat sum (up to 8,000 terms; the schema allows 65,536 characters) */
        n = (byte(g) * 32 + byte(g)) % 8000 + 2;
        for (k = 0; k < n; k++) {
            if (k)
                put(g, k % 3 ? " + " : " - ");
            term(g, i);
        }
        break;
    case 3:         /* a chain of products, or of products and divisions */
        n = byte(g) % 250 + 2;
        k = byte(g) % 2;
        for (unsigned j = 0; j < n; j++) {
            if (j)
                put(g, k && j % 5 == 0 ? " / " : " * ");
            term(g, i);
        }
        break;
    case 4:         /* nested parentheses */
        n = byte(g) % 120 + 1;
        for (k = 0; k < n; k++)
            put(g, "(");
        term(g, i);
        for (k = 0; k < n; k++)
            put(g, " + 1)");
        break;
    case 5:         /* a comparison chain turned back into a number */
        n = byte(g) % 500 + 1;
        put(g, "if ");
        for (k = 0; k < n; k++) {
            if (k)
                put(g, k % 2 ? " and " : " or ");
            term(g, i);
            put(g, " &gt; 1");
        }
        put(g, " then ");
        term(g, i);
        put(g, " else 0");
        break;
    case 6:         /* a product of two earlier ones */
        term(g, i);
        put(g, " * ");
        term(g, i);
        break;
    default:        /* a division that may be by zero */
        term(g, i);
        put(g, " / (");
        term(g, i);
        put(g, " - %u)", byte(g) % 3);
        break;
    }
    put(g, "</define>\n");
}

static void compute(const lp_ruleset *rs)
{
    lp_history *h = NULL;
    lp_result *r = NULL;
    int rc;
    if (lp_history_new(&h, "fuzz", "1960-01-01", "XA", "XA", "2025-06-01", "old-age") != LP_OK)
        abort();
    lp_history_add_period(h, "XA-GEN", "1990-01-01", "2019-12-31", "contribution", NULL, NULL, NULL);
    rc = lp_calc(&r, rs, h, NULL);
    /* a failure of evaluation names the rule file and a line in it */
    if (rc != LP_OK && rc != LP_ENOMEM) {
        const lp_error *e = lp_error_last();
        if (rc == LP_ERANGE && (!e->file || e->line <= 0))
            abort();
    }
    lp_result_free(r);
    lp_history_free(h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gen g = { data, size, 0, malloc(4096), 0, 4096 };
    lp_rule_buffer b;
    lp_ruleset *rs = NULL;
    lp_diagnostics *d = NULL;
    unsigned n, i;
    if (!g.out)
        abort();
    put(&g, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<scheme xmlns=\"urn:libportability:rules:1\" id=\"XA-GEN\" country=\"XA\" currency=\"EUR\" "
            "unit=\"month\" counting=\"months-touched\">\n  <title>Generated</title>\n"
            "  <source id=\"s\" grade=\"D\">generated</source>\n");
    n = byte(&g) % 48 + 1;
    for (i = 0; i < n; i++)
        define(&g, i);
    put(&g, "  <benefit id=\"old-age\" frequency=\"monthly\">\n"
            "    <eligible cite=\"s 2\">periods &gt;= 0</eligible>\n"
            "    <amount cite=\"s 3\">min(max(d%u, 0), 1000) * 1 EUR</amount>\n"
            "  </benefit>\n</scheme>\n", n - 1);
    b.name = "gen.xml";
    b.data = g.out;
    b.size = g.len;
    if (lp_ruleset_load_memory(&rs, &d, &b, 1, NULL) == LP_OK)
        compute(rs);
    lp_diagnostics_free(d);
    lp_ruleset_free(rs);
    free(g.out);
    return 0;
}
