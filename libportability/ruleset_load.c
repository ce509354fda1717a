/* Building the rule-set model from validated XML documents: schemes first
 * (names, then formulas, so formulas may name anything in their scheme), then
 * agreements (which name schemes). Every problem becomes a diagnostic with its
 * file, line and column, and loading goes on so that one pass reports all. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "alloc.h"
#include "decimal.h"
#include "diagnostics.h"
#include "ruleset_load.h"
#include "xml.h"

typedef struct loader {
    lp__arena *arena;
    lp_diagnostics *d;
    const lp__file *file;      /* the file being read */
    lp__scheme *scheme;        /* the scheme whose formulas compile now */
    lp__source *sources;       /* the current file's sources */
    size_t nsources;
} loader;

#define STR_EQ(a, b) (strcmp((a), (b)) == 0)

/* ------------------------------------------------------------- positions */

static lp__loc loc_of(loader *L, const xmlNode *n)
{
    lp__loc l;
    l.file = L->file->name;
    l.line = lp__xml_line(n);
    l.column = lp__xml_column(L->file->data, L->file->size, n);
    return l;
}

static void diag_at(loader *L, const xmlNode *n, int code, const char *fmt, ...) LP__PRINTF(4, 5);

#include <stdarg.h>

static void diag_at(loader *L, const xmlNode *n, int code, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    lp__loc l = loc_of(L, n);
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lp__diags_add(L->d, code, l.file, l.line, l.column, "%s", msg);
}

static void on_formula_diag(void *payload, int code, const char *file, int line, int column,
                            const char *message)
{
    loader *L = payload;
    lp__diags_add(L->d, code, file, line, column, "%s", message);
}

/* ------------------------------------------------------------- strings */

static const char *dup_attr(loader *L, const xmlNode *n, const char *name)
{
    const char *v = lp__xml_attr(n, name);
    return v ? lp__arena_strdup(L->arena, v) : NULL;
}

static const char *dup_text(loader *L, const xmlNode *n)
{
    const char *t = lp__xml_text(n);
    char *copy;
    xmlChar *all;
    /* on a failed copy "" (never NULL): the arena remembers the failure and
     * the load ends with LP_ENOMEM (lp__ruleset_build) */
    if (t)
        return (copy = lp__arena_strdup(L->arena, t)) ? copy : "";
    all = xmlNodeGetContent(n);
    copy = lp__arena_strdup(L->arena, all ? (const char *)all : "");
    xmlFree(all);
    return copy ? copy : "";
}

/* A copy without leading and trailing white space. */
static const char *trimmed(loader *L, const char *s)
{
    size_t n;
    const char *copy;
    if (!s)
        return "";             /* the copy failed: out of memory (see dup_text) */
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    copy = lp__arena_strndup(L->arena, s, n);
    return copy ? copy : "";
}

/* ------------------------------------------------------------- values */

/* A decimal, a fraction or a percentage into q. */
static int parse_number(loader *L, const xmlNode *n, const char *text, mpq_ptr q, const char *what)
{
    size_t len = strlen(text);
    int percent = len > 0 && text[len - 1] == '%';
    if (lp__decimal_parse(q, text, len - (size_t)percent) != LP_OK) {
        /* quote at most 40 characters: a 10,000-digit value would push the reason out of the message */
        diag_at(L, n, lp_error_last()->code, "%s: '%.40s%s' is not a number (%s)", what, text,
                len > 40 ? "..." : "", lp_error_last()->message);
        return -1;
    }
    if (percent) {
        mpq_t h;
        mpq_init(h);
        mpq_set_ui(h, 100, 1);
        mpq_div(q, q, h);
        mpq_clear(h);
    }
    return 0;
}

/* A number of the rules, frozen in the rule set's arena (rational.h): read by
 * every calculation, kept next to its limbs. Zero when the text is not a
 * number (the problem is reported and the load fails); NULL when out of
 * memory (the arena records it). */
static mpq_srcptr frozen_number(loader *L, const xmlNode *n, const char *text, const char *what)
{
    mpq_srcptr frozen;
    mpq_t q;
    mpq_init(q);
    if (parse_number(L, n, text, q, what) < 0)
        mpq_set_ui(q, 0, 1);
    frozen = lp__arena_mpq_frozen(L->arena, q);
    mpq_clear(q);
    return frozen;
}

static mpq_srcptr number_attr(loader *L, const xmlNode *n, const char *name)
{
    const char *v = lp__xml_attr(n, name);
    return v ? frozen_number(L, n, v, name) : NULL;
}

static int parse_day(loader *L, const xmlNode *n, const char *text, lp__day *out, const char *what)
{
    if (lp__day_parse(out, text, strlen(text)) != LP_OK) {
        diag_at(L, n, LP_EPARSE, "%s: %s", what, lp_error_last()->message);
        return -1;
    }
    return 0;
}

static lp__span span_of(loader *L, const xmlNode *n)
{
    lp__span s;
    const char *from = lp__xml_attr(n, "from"), *to = lp__xml_attr(n, "to");
    s.from = LP__DAY_MIN;
    s.to = LP__DAY_MAX;
    if (from && parse_day(L, n, from, &s.from, "from") < 0)
        s.from = LP__DAY_MIN;
    if (to && parse_day(L, n, to, &s.to, "to") < 0)
        s.to = LP__DAY_MAX;
    if (s.from > s.to) {
        diag_at(L, n, LP_ESCHEMA, "'to' (%s) is before 'from' (%s)", to, from);
        s.to = s.from;
    }
    return s;
}

static int spans_overlap(lp__span a, lp__span b)
{
    return a.from <= b.to && b.from <= a.to;
}

static lp__type type_attr(loader *L, const xmlNode *n)
{
    lp__type t;
    const char *k = lp__xml_attr(n, "type"), *cur = lp__xml_attr(n, "currency");
    memset(&t, 0, sizeof t);
    if (!k || STR_EQ(k, "number"))
        t.kind = LP__T_NUMBER;
    else if (STR_EQ(k, "money"))
        t.kind = LP__T_MONEY;
    else if (STR_EQ(k, "date"))
        t.kind = LP__T_DATE;
    else if (STR_EQ(k, "boolean"))
        t.kind = LP__T_BOOL;
    else
        t.kind = LP__T_TEXT;
    if (t.kind == LP__T_MONEY) {
        const char *c = cur ? cur : L->scheme->currency;
        if (lp__currency_minor_units(c, strlen(c)) < 0)
            diag_at(L, n, LP_ECURRENCY, "unknown currency '%s' (ISO 4217 code expected)", c);
        snprintf(t.currency, sizeof t.currency, "%s", c);
    } else if (cur) {
        diag_at(L, n, LP_ESCHEMA, "'currency' only applies to type=\"money\"");
    }
    return t;
}

/* ------------------------------------------------------------- citations */

/* The source elements of a file: the root's, then those a claim procedure
 * declares (a claim procedure is written at the end of a scheme file, with its
 * own sources, so that it is added without touching the rest of the file). All
 * are the file's sources: any cite of the file may name any of them. */
static size_t source_nodes(const xmlNode *root, xmlNodePtr *out, size_t cap)
{
    size_t n = 0;
    xmlNodePtr s, c;
    for (s = lp__xml_child(root, "source"); s; s = lp__xml_next(s, "source"), n++)
        if (out && n < cap)
            out[n] = s;
    for (c = lp__xml_child(root, "claim-procedure"); c; c = lp__xml_next(c, "claim-procedure"))
        for (s = lp__xml_child(c, "source"); s; s = lp__xml_next(s, "source"), n++)
            if (out && n < cap)
                out[n] = s;
    return n;
}

static lp__source *read_sources(loader *L, const xmlNode *root, size_t *count)
{
    size_t n = source_nodes(root, NULL, 0), i, j;
    lp__source *v = lp__arena_alloc(L->arena, (n ? n : 1) * sizeof *v);
    xmlNodePtr *nodes = lp__arena_alloc(L->arena, (n ? n : 1) * sizeof *nodes);
    *count = 0;
    if (!v || !nodes)
        return NULL;
    source_nodes(root, nodes, n);
    for (i = 0; i < n; i++) {
        xmlNodePtr s = nodes[i];
        v[i].id = dup_attr(L, s, "id");
        v[i].url = dup_attr(L, s, "url");
        v[i].grade = dup_attr(L, s, "grade");
        v[i].title = trimmed(L, dup_text(L, s));
        for (j = 0; j < i; j++)
            if (v[i].id && v[j].id && STR_EQ(v[i].id, v[j].id))
                diag_at(L, s, LP_ESCHEMA, "source '%s' is declared twice in this file", v[i].id);
    }
    *count = n;
    return v;
}

/* cite="ID pinpoint": ID must be a source declared in the same file. */
static lp__cite cite_of(loader *L, const xmlNode *n)
{
    lp__cite c;
    const char *text = lp__xml_attr(n, "cite");
    size_t idlen, i;
    c.source = NULL;
    c.text = NULL;
    if (!text) {
        diag_at(L, n, LP_ESCHEMA, "<%s> has no 'cite': every value, formula and clause must "
                "cite its public source", (const char *)n->name);
        return c;
    }
    c.text = lp__arena_strdup(L->arena, text);
    idlen = strcspn(text, " \t\n");
    for (i = 0; i < L->nsources; i++)
        if (L->sources[i].id && strlen(L->sources[i].id) == idlen
            && memcmp(L->sources[i].id, text, idlen) == 0)
            c.source = &L->sources[i];
    if (!c.source)
        diag_at(L, n, LP_ENOTFOUND, "cite names source '%.*s', which this file does not declare "
                "with <source id=\"%.*s\">", (int)idlen, text, (int)idlen, text);
    return c;
}

/* ------------------------------------------------------------- scheme scope */

static int resolve(void *payload, const char *name, size_t len, lp__symbol *out)
{
    loader *L = payload;
    const lp__scheme *s = L->scheme;
    size_t i;
#define FIND(arr, n, kind_)                                                         \
    for (i = 0; i < (n); i++)                                                       \
        if ((arr)[i].id && strlen((arr)[i].id) == len                             \
            && memcmp((arr)[i].id, name, len) == 0) {                                \
            out->kind = (kind_);                                                    \
            out->index = (int)i;                                                    \
            out->type = (arr)[i].type;                                              \
            return 1;                                                               \
        }
    for (i = 0; i < s->nparams; i++)
        /* an id is NULL after an allocation failure (the load then fails) */
        if (s->params[i].id && strlen(s->params[i].id) == len
            && memcmp(s->params[i].id, name, len) == 0) {
            out->kind = s->params[i].yearly ? LP__SYM_SERIES : LP__SYM_PARAM;
            out->index = (int)i;
            out->type = s->params[i].type;
            return 1;
        }
    FIND(s->tables, s->ntables, LP__SYM_TABLE)
    FIND(s->inputs, s->ninputs, LP__SYM_INPUT)
    FIND(s->defines, s->ndefines, LP__SYM_DEFINE)
#undef FIND
    return 0;
}

static int compile(loader *L, const xmlNode *n, const char *text, lp__expr **out,
                   const lp__type *expected)
{
    lp__compiler c;
    lp__srcpos pos;
    int rc;
    memset(&c, 0, sizeof c);
    c.arena = L->arena;
    c.resolve = resolve;
    c.resolve_payload = L;
    c.diag = on_formula_diag;
    c.diag_payload = L;
    memcpy(c.currency, L->scheme->currency, sizeof c.currency);
    pos.file = L->file->name;
    lp__xml_text_pos(L->file->data, L->file->size, n, &pos.line, &pos.column);
    rc = lp__formula_compile(out, &c, text, strlen(text), pos, expected);
    L->scheme->reads_timeline |= c.reads_timeline;
    return rc;
}

/* A dated, cited formula element. */
static void read_formula(loader *L, const xmlNode *n, lp__formula *f, const lp__type *expected)
{
    f->span = span_of(L, n);
    f->cite = cite_of(L, n);
    f->loc = loc_of(L, n);
    f->text = dup_text(L, n);
    if (f->text)
        compile(L, n, f->text, &f->expr, expected);
}

/* Every child <name> as a formula list; versions must not overlap. */
static lp__formula *read_formulas(loader *L, const xmlNode *parent, const char *name,
                                  const lp__type *expected, size_t *count)
{
    size_t n = lp__xml_count(parent, name), i = 0, j;
    lp__formula *v = lp__arena_alloc(L->arena, (n ? n : 1) * sizeof *v);
    xmlNodePtr c;
    *count = 0;
    if (!v)
        return NULL;
    for (c = lp__xml_child(parent, name); c; c = lp__xml_next(c, name), i++) {
        read_formula(L, c, &v[i], expected);
        for (j = 0; j < i; j++)
            if (spans_overlap(v[i].span, v[j].span))
                diag_at(L, c, LP_ESCHEMA, "this <%s> overlaps the dates of the one on line %d: "
                        "give each version 'from'/'to' dates that do not overlap", name, v[j].loc.line);
    }
    *count = n;
    return v;
}

/* ------------------------------------------------------------- parameters and tables */

static void read_value(loader *L, const xmlNode *n, lp__type t, lp__pvalue *v)
{
    const char *text = trimmed(L, dup_text(L, n));
    v->span = span_of(L, n);
    v->cite = cite_of(L, n);
    v->loc = loc_of(L, n);
    if (!text)
        return;
    switch (t.kind) {
    case LP__T_NUMBER:
    case LP__T_MONEY:
        v->q = frozen_number(L, n, text, "value");
        break;
    case LP__T_DATE:
        parse_day(L, n, text, &v->day, "value");
        break;
    case LP__T_BOOL:
        if (STR_EQ(text, "true") || STR_EQ(text, "false"))
            v->b = text[0] == 't';
        else
            diag_at(L, n, LP_EPARSE, "value: '%s' is not true or false", text);
        break;
    case LP__T_TEXT:
        v->text = text;
        break;
    }
}

static int cmp_pvalue(const void *a, const void *b)
{
    const lp__pvalue *x = a, *y = b;
    return x->span.from < y->span.from ? -1 : x->span.from > y->span.from;
}

/* after-last="hold" (the schema allows "none", the default, and "hold"). */
static int after_last_hold(const xmlNode *n)
{
    const char *v = lp__xml_attr(n, "after-last");
    return v && STR_EQ(v, "hold");
}

static void read_param(loader *L, const xmlNode *n, lp__param *p)
{
    size_t nv = lp__xml_count(n, "value"), i = 0;
    xmlNodePtr v;
    p->id = dup_attr(L, n, "id");
    p->type = type_attr(L, n);
    p->loc = loc_of(L, n);
    p->hold = after_last_hold(n);
    p->values = lp__arena_alloc(L->arena, (nv ? nv : 1) * sizeof *p->values);
    if (!p->values)
        return;
    for (v = lp__xml_child(n, "value"); v; v = lp__xml_next(v, "value"), i++)
        read_value(L, v, p->type, &p->values[i]);
    p->nvalues = nv;
    qsort(p->values, nv, sizeof *p->values, cmp_pvalue);
    for (i = 1; i < nv; i++)
        if (spans_overlap(p->values[i - 1].span, p->values[i].span))
            lp__diags_add(L->d, LP_ESCHEMA, L->file->name, p->values[i].loc.line, p->values[i].loc.column,
                          "parameter '%s': this value's dates overlap those of the value on line %d",
                          p->id, p->values[i - 1].loc.line);
}

/* A series' values by year (rules.h by_year): a fold reads a series for
 * each year of a career, and an index is one read where lp__param_at is a
 * search and a date. Series of more years than this are read as before. */
#define SERIES_INDEX_MAX_YEARS 1000

static void series_index(loader *L, lp__param *p)
{
    int y0, y1, y, m, d;
    if (!p->nvalues)
        return;
    lp__day_to_ymd(p->values[0].span.from, &y0, &m, &d);
    lp__day_to_ymd(p->values[p->nvalues - 1].span.from, &y1, &m, &d);
    if (y1 < y0 || y1 - y0 >= SERIES_INDEX_MAX_YEARS)
        return;
    p->by_year = lp__arena_alloc(L->arena, (size_t)(y1 - y0 + 1) * sizeof *p->by_year);
    if (!p->by_year)
        return;
    for (y = y0; y <= y1; y++)
        p->by_year[y - y0] = lp__param_at(p, lp__day_from_ymd(y, 1, 1));
    p->first_year = y0;
    p->last_year = y1;
}

/* A series: a parameter whose values are keyed by calendar year
 * (<value year="1951">), each in force from 1 January to 31 December. */
static void read_series(loader *L, const xmlNode *n, lp__param *p)
{
    size_t nv = lp__xml_count(n, "value"), i = 0;
    xmlNodePtr v;
    p->id = dup_attr(L, n, "id");
    p->type = type_attr(L, n);
    p->loc = loc_of(L, n);
    p->yearly = 1;
    if (p->type.kind != LP__T_NUMBER && p->type.kind != LP__T_MONEY)
        diag_at(L, n, LP_ESCHEMA, "series '%s': a series holds numbers or money", p->id);
    p->values = lp__arena_alloc(L->arena, (nv ? nv : 1) * sizeof *p->values);
    if (!p->values)
        return;
    for (v = lp__xml_child(n, "value"); v; v = lp__xml_next(v, "value"), i++) {
        const char *ys = lp__xml_attr(v, "year");
        int y = ys ? atoi(ys) : 0;
        read_value(L, v, p->type, &p->values[i]);
        if (y < LP__YEAR_MIN || y > LP__YEAR_MAX) {
            diag_at(L, v, LP_EPARSE, "series '%s': year '%s' is not a calendar year", p->id, ys ? ys : "");
            y = LP__YEAR_MIN;
        }
        p->values[i].span.from = lp__day_from_ymd(y, 1, 1);
        p->values[i].span.to = lp__day_from_ymd(y, 12, 31);
    }
    p->nvalues = nv;
    qsort(p->values, nv, sizeof *p->values, cmp_pvalue);
    for (i = 1; i < nv; i++)
        if (p->values[i - 1].span.from == p->values[i].span.from)
            lp__diags_add(L->d, LP_ESCHEMA, L->file->name, p->values[i].loc.line, p->values[i].loc.column,
                          "series '%s': a second value for the year of the value on line %d",
                          p->id, p->values[i - 1].loc.line);
    series_index(L, p);
}

/* Rows i < r of one version whose ranges (min and max included, a missing
 * bound open) share a value with row r: the first would win in silence. */
static void check_row_overlap(loader *L, const xmlNode *n, const lp__table *t, const lp__row *rows,
                              size_t r)
{
    const lp__row *b = &rows[r];
    size_t i;
    for (i = 0; i < r; i++) {
        const lp__row *a = &rows[i];
        if ((!a->min || !b->max || mpq_cmp(a->min, b->max) <= 0)
            && (!b->min || !a->max || mpq_cmp(b->min, a->max) <= 0)) {
            diag_at(L, n, LP_ESCHEMA, "table '%s': this row's range overlaps row %zu of the same "
                    "version (a value in both would take the first row's)", t->id, i + 1);
            return;
        }
    }
}

static void read_table(loader *L, const xmlNode *n, lp__table *t)
{
    size_t nver = lp__xml_count(n, "version"), i = 0, j;
    xmlNodePtr v;
    t->id = dup_attr(L, n, "id");
    t->type = type_attr(L, n);
    t->loc = loc_of(L, n);
    if (t->type.kind != LP__T_NUMBER && t->type.kind != LP__T_MONEY)
        diag_at(L, n, LP_ESCHEMA, "table '%s': a table holds numbers or money", t->id);
    t->fallback = number_attr(L, n, "default");
    t->hold = after_last_hold(n);
    t->versions = lp__arena_alloc(L->arena, (nver ? nver : 1) * sizeof *t->versions);
    if (!t->versions)
        return;
    for (v = lp__xml_child(n, "version"); v; v = lp__xml_next(v, "version"), i++) {
        lp__tversion *ver = &t->versions[i];
        size_t nrows = lp__xml_count(v, "row"), r = 0;
        xmlNodePtr row;
        ver->span = span_of(L, v);
        ver->cite = cite_of(L, v);
        ver->loc = loc_of(L, v);
        ver->rows = lp__arena_alloc(L->arena, (nrows ? nrows : 1) * sizeof *ver->rows);
        if (!ver->rows)
            return;
        for (row = lp__xml_child(v, "row"); row; row = lp__xml_next(row, "row"), r++) {
            lp__row *rw = &ver->rows[r];
            rw->min = number_attr(L, row, "min");
            rw->max = number_attr(L, row, "max");
            rw->value = frozen_number(L, row, trimmed(L, dup_text(L, row)), "row");
            if (rw->min && rw->max && mpq_cmp(rw->min, rw->max) > 0)
                diag_at(L, row, LP_ESCHEMA, "table '%s': row 'max' is below its 'min'", t->id);
            check_row_overlap(L, row, t, ver->rows, r);
        }
        ver->nrows = nrows;
        ver->ordered = lp__tversion_rows_ordered(ver);
        for (j = 0; j < i; j++)
            if (spans_overlap(ver->span, t->versions[j].span))
                diag_at(L, v, LP_ESCHEMA, "table '%s': this version's dates overlap the version on line %d",
                        t->id, t->versions[j].loc.line);
    }
    t->nversions = nver;
}

/* ------------------------------------------------------------- scheme */


/* The names of one scheme seen so far: an open-addressing set with a count
 * per name. Each name used to be compared with every earlier one, which made
 * loading quadratic in the number of names (60,000 definitions: 8 s). */
typedef struct name_set {
    const char **name;
    unsigned *count;
    size_t mask;
} name_set;

static int name_set_init(loader *L, name_set *ns, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n + 2)
        cap *= 2;
    ns->mask = cap - 1;
    ns->name = lp__arena_alloc(L->arena, cap * sizeof *ns->name);
    ns->count = lp__arena_alloc(L->arena, cap * sizeof *ns->count);
    if (!ns->name || !ns->count)
        return -1;
    memset(ns->name, 0, cap * sizeof *ns->name);
    return 0;
}

/* How many times id was seen before; counts it once more. */
static unsigned name_seen(name_set *ns, const char *id)
{
    size_t h = 14695981039346656037ull & SIZE_MAX;
    const unsigned char *p;
    for (p = (const unsigned char *)id; *p; p++)
        h = (h ^ *p) * (size_t)1099511628211ull;
    for (h &= ns->mask; ns->name[h] && !STR_EQ(ns->name[h], id); h = (h + 1) & ns->mask)
        ;
    if (!ns->name[h]) {
        ns->name[h] = id;
        ns->count[h] = 0;
    }
    return ns->count[h]++;
}

/* Names of one scheme: unique, and not a word of the language. */
static void check_name(loader *L, const xmlNode *n, const char *id, name_set *seen)
{
    unsigned before;
    if (!id)
        return;
    if (lp__formula_word(id, strlen(id)))
        diag_at(L, n, LP_ESCHEMA, "'%s' is a word of the formula language; choose another name", id);
    for (before = name_seen(seen, id); before > 0; before--)
        diag_at(L, n, LP_ESCHEMA, "the name '%s' is used twice in this scheme", id);
}

/* Phase 1: everything formulas may name. */
static void read_scheme_names(loader *L, const xmlNode *root, lp__scheme *s)
{
    size_t np = lp__xml_count(root, "parameter") + lp__xml_count(root, "series");
    size_t nt = lp__xml_count(root, "table");
    size_t ni = lp__xml_count(root, "input"), nd = lp__xml_count(root, "define");
    name_set seen;
    int seen_ok = name_set_init(L, &seen, np + nt + ni + nd) == 0;
    size_t i;
    xmlNodePtr n;
    const char *v;

    s->id = dup_attr(L, root, "id");
    s->file = L->file->name;
    s->loc = loc_of(L, root);
    snprintf(s->country, sizeof s->country, "%s", lp__xml_attr(root, "country"));
    snprintf(s->currency, sizeof s->currency, "%s", lp__xml_attr(root, "currency"));
    if (lp__currency_minor_units(s->currency, strlen(s->currency)) < 0)
        diag_at(L, root, LP_ECURRENCY, "scheme '%s': unknown currency '%s' (ISO 4217 code expected)",
                s->id, s->currency);
    v = lp__xml_attr(root, "unit");
    lp__unit_parse(&s->unit, v, strlen(v));
    v = lp__xml_attr(root, "counting");
    lp__counting_parse(&s->counting, v, strlen(v));
    s->kinds = LP__KIND_ALL;
    if ((v = lp__xml_attr(root, "kinds"))) {
        const char *p = v;
        s->kinds = 0;
        while (*p) {
            size_t len = strcspn(p, " \t\n");
            if (len)
                s->kinds |= lp__kind_parse(p, len);
            p += len;
            p += strspn(p, " \t\n");
        }
    }
    s->from_age = (v = lp__xml_attr(root, "from-age")) ? atoi(v) : -1;
    s->to_age = (v = lp__xml_attr(root, "to-age")) ? atoi(v) : -1;
    s->earnings_highest = (v = lp__xml_attr(root, "concurrent-earnings")) && STR_EQ(v, "highest");
    s->earnings_required = (v = lp__xml_attr(root, "earnings")) && STR_EQ(v, "required");
    if (s->to_age >= 0 && s->to_age <= s->from_age)
        diag_at(L, root, LP_ESCHEMA, "to-age must be greater than from-age");
    n = lp__xml_child(root, "title");
    s->title = n ? trimmed(L, dup_text(L, n)) : s->id;
    s->sources = L->sources;
    s->nsources = L->nsources;
    if (!seen_ok)
        return;

    s->params = lp__arena_alloc(L->arena, (np ? np : 1) * sizeof *s->params);
    s->tables = lp__arena_alloc(L->arena, (nt ? nt : 1) * sizeof *s->tables);
    s->inputs = lp__arena_alloc(L->arena, (ni ? ni : 1) * sizeof *s->inputs);
    s->defines = lp__arena_alloc(L->arena, (nd ? nd : 1) * sizeof *s->defines);
    if (!s->params || !s->tables || !s->inputs || !s->defines)
        return;
    for (i = 0, n = lp__xml_child(root, "parameter"); n; n = lp__xml_next(n, "parameter"), i++) {
        read_param(L, n, &s->params[i]);
        check_name(L, n, s->params[i].id, &seen);
    }
    for (n = lp__xml_child(root, "series"); n; n = lp__xml_next(n, "series"), i++) {
        read_series(L, n, &s->params[i]);
        check_name(L, n, s->params[i].id, &seen);
    }
    s->nparams = np;
    for (i = 0, n = lp__xml_child(root, "table"); n; n = lp__xml_next(n, "table"), i++) {
        read_table(L, n, &s->tables[i]);
        check_name(L, n, s->tables[i].id, &seen);
    }
    s->ntables = nt;
    for (i = 0, n = lp__xml_child(root, "input"); n; n = lp__xml_next(n, "input"), i++) {
        lp__input *in = &s->inputs[i];
        in->id = dup_attr(L, n, "id");
        in->type = type_attr(L, n);
        in->description = trimmed(L, dup_text(L, n));
        in->cite = cite_of(L, n);
        in->loc = loc_of(L, n);
        in->min = number_attr(L, n, "min");
        in->max = number_attr(L, n, "max");
        check_name(L, n, in->id, &seen);
    }
    s->ninputs = ni;
    for (i = 0, n = lp__xml_child(root, "define"); n; n = lp__xml_next(n, "define"), i++) {
        lp__define *df = &s->defines[i];
        df->id = dup_attr(L, n, "id");
        df->type = type_attr(L, n);
        df->overridable = lp__xml_attr(n, "overridable") && STR_EQ(lp__xml_attr(n, "overridable"), "true");
        df->percent = lp__xml_attr(n, "display") && STR_EQ(lp__xml_attr(n, "display"), "percent");
        if (df->percent && df->type.kind != LP__T_NUMBER)
            diag_at(L, n, LP_ESCHEMA, "display=\"percent\" is for a number, not this %s", lp__xml_attr(n, "type"));
        check_name(L, n, df->id, &seen);
    }
    s->ndefines = nd;
}

/* Definitions may not depend on themselves, directly or through others, nor
 * on a chain of more than LP__DEFINE_MAX_CHAIN others: evaluation recurses
 * through the chain (each step up to LP__FORMULA_MAX_DEPTH deep), and a
 * hostile file with 60,000 chained definitions overflowed the stack. */
#define LP__DEFINE_MAX_CHAIN 64

typedef struct cycle_walk {
    const lp__scheme *s;
    unsigned char *state;      /* 0 new, 1 on the path, 2 done */
    unsigned char *height;     /* done: longest chain from it, 1..LP__DEFINE_MAX_CHAIN */
    int found;                 /* 1 a cycle, 2 a chain too long */
    int at;
    int depth;
    int below;                 /* longest chain below the definition being visited */
} cycle_walk;

static void visit(void *payload, int index);

static void visit(void *payload, int index)
{
    cycle_walk *w = payload;
    int saved, h;
    if (w->found)
        return;
    if (w->state[index] == 2) {
        if (w->height[index] > w->below)
            w->below = w->height[index];
        return;
    }
    if (w->state[index] == 1) {
        w->found = 1;
        w->at = index;
        return;
    }
    if (w->depth >= LP__DEFINE_MAX_CHAIN) {
        w->found = 2;
        w->at = index;
        return;
    }
    w->state[index] = 1;
    saved = w->below;
    w->below = 0;
    w->depth++;
    lp__formula_each_define(w->s->defines[index].f.expr, visit, w);
    w->depth--;
    h = w->below + 1;
    if (h > LP__DEFINE_MAX_CHAIN && !w->found) {
        w->found = 2;
        w->at = index;
    }
    w->height[index] = (unsigned char)(h > LP__DEFINE_MAX_CHAIN ? LP__DEFINE_MAX_CHAIN : h);
    w->below = saved > h ? saved : h;
    w->state[index] = 2;
}

/* What each definition depends on of a route (after the cycle check, so the
 * walk ends): LP__VARIES_ROUTE definitions are recomputed for each route of a
 * calculation, LP__VARIES_TOTALISED ones when `totalised` changes (a route's
 * value of `totalised` is all of the route they read: the theoretical PIA of
 * every agreement's route is one figure), the others once per scheme. */
static int expr_varies(const lp__scheme *s, const lp__expr *e, unsigned char *state);

static int define_varies(const lp__scheme *s, int i, unsigned char *state)
{
    if (state[i] == 0) {
        state[i] = 1;          /* in progress: a cycle was reported already */
        state[i] = (unsigned char)(2 + expr_varies(s, s->defines[i].f.expr, state));
    }
    return state[i] >= 2 ? state[i] - 2 : LP__VARIES_NOT;
}

static int max_level(int a, int b)
{
    return a > b ? a : b;
}

static int expr_varies(const lp__scheme *s, const lp__expr *e, unsigned char *state)
{
    size_t i;
    int v = LP__VARIES_NOT;
    if (!e)
        return v;
    if (e->op == LP__OP_BUILTIN && (e->index == LP__B_PERIODS || e->index == LP__B_FLAT_RATIO))
        return LP__VARIES_ROUTE;
    if (e->op == LP__OP_AGGREGATE && e->totalised)   /* the route's periods */
        return LP__VARIES_ROUTE;
    if (e->op == LP__OP_BUILTIN && e->index == LP__B_TOTALISED)
        v = LP__VARIES_TOTALISED;
    if (e->op == LP__OP_DEFINE)
        v = max_level(v, define_varies(s, e->index, state));
    v = max_level(v, expr_varies(s, e->at, state));
    for (i = 0; i < e->nargs && v < LP__VARIES_ROUTE; i++)
        v = max_level(v, expr_varies(s, e->args[i], state));
    return v;
}

/* The indices of the definitions that vary at `level`, in order (NULL when
 * out of memory: the context then forgets every definition, calc_context.c). */
static int *varying_list(loader *L, const lp__scheme *s, int level, size_t *n)
{
    int *v = lp__arena_alloc(L->arena, (s->ndefines ? s->ndefines : 1) * sizeof *v);
    size_t i;
    *n = 0;
    for (i = 0; v && i < s->ndefines; i++)
        if (s->defines[i].varies == level)
            v[(*n)++] = (int)i;
    return v;
}

static void mark_varying(loader *L, lp__scheme *s)
{
    unsigned char *state = lp__arena_alloc(L->arena, s->ndefines ? s->ndefines : 1);
    size_t i;
    for (i = 0; state && i < s->ndefines; i++)
        s->defines[i].varies = define_varies(s, (int)i, state);
    if (!state)                    /* every definition is taken to vary by route */
        for (i = 0; i < s->ndefines; i++)
            s->defines[i].varies = LP__VARIES_ROUTE;
    s->varying = varying_list(L, s, LP__VARIES_ROUTE, &s->nvarying);
    s->by_totalised = varying_list(L, s, LP__VARIES_TOTALISED, &s->nby_totalised);
}

static void check_cycles(loader *L, lp__scheme *s)
{
    cycle_walk w;
    size_t i;
    if (!s->ndefines)
        return;
    memset(&w, 0, sizeof w);
    w.s = s;
    w.state = lp__arena_alloc(L->arena, s->ndefines);
    w.height = lp__arena_alloc(L->arena, s->ndefines);
    if (!w.state || !w.height)
        return;
    memset(w.state, 0, s->ndefines);
    for (i = 0; i < s->ndefines && !w.found; i++)
        visit(&w, (int)i);
    if (w.found == 1) {
        const lp__define *df = &s->defines[w.at];
        lp__diags_add(L->d, LP_ESCHEMA, df->f.loc.file, df->f.loc.line, df->f.loc.column,
                      "definition '%s' depends on itself (a cycle between definitions)", df->id);
    } else if (w.found == 2) {
        const lp__define *df = &s->defines[w.at];
        lp__diags_add(L->d, LP_ERANGE, df->f.loc.file, df->f.loc.line, df->f.loc.column,
                      "definition '%s' is reached through a chain of more than %d definitions "
                      "depending on one another", df->id, LP__DEFINE_MAX_CHAIN);
    }
}

static void read_rounding(loader *L, const xmlNode *n, lp__round_rule *r)
{
    const char *of = lp__xml_attr(n, "of"), *mode = lp__xml_attr(n, "mode");
    r->of = of && STR_EQ(of, "payable") ? LP__ROUND_OF_PAYABLE : LP__ROUND_OF_PRO_RATA;
    r->span = span_of(L, n);
    r->cite = cite_of(L, n);
    r->loc = loc_of(L, n);
    r->step = number_attr(L, n, "step");
    if (r->step && mpq_sgn(r->step) <= 0)
        diag_at(L, n, LP_ESCHEMA, "a rounding step must be greater than zero");
    if (mode && lp__rounding_parse(&r->mode, mode, strlen(mode)) != LP_OK)
        diag_at(L, n, LP_EPARSE, "%s", lp_error_last()->message);
}

/* Definitions whose value is known at load (literals and + - * / of them):
 * their values, so that a chain of definitions squaring one another is
 * refused when it loads rather than when a career is computed. */
typedef struct constants {
    loader *L;
    const lp__scheme *s;
    unsigned char *state;      /* per definition: 0 unknown, 1 constant, 2 not, 3 too large */
    __mpq_struct *value;       /* per definition, when constant */
} constants;

static int too_large(mpq_srcptr q)
{
    return mpz_sizeinbase(mpq_numref(q), 2) > LP__EVAL_MAX_BITS
           || mpz_sizeinbase(mpq_denref(q), 2) > LP__EVAL_MAX_BITS;
}

static int constant_value(constants *k, const lp__expr *e, mpq_ptr q);

/* Definition i's constant value into q: 1, 0 not constant, -2 too large. */
static int constant_define(constants *k, int i, mpq_ptr q)
{
    int r;
    if (!k)
        return 0;
    if (k->state[i] == 0) {
        const lp__define *df = &k->s->defines[i];
        k->state[i] = 2;           /* cycles were refused before: this only guards */
        mpq_init(&k->value[i]);
        r = df->f.expr && (df->type.kind == LP__T_NUMBER || df->type.kind == LP__T_MONEY)
            ? constant_value(k, df->f.expr, &k->value[i]) : 0;
        k->state[i] = r == 1 ? 1 : r < 0 ? 3 : 2;
        if (r == -1 && k->L)       /* grown here, not read from one already too large */
            lp__diags_add(k->L->d, LP_ERANGE, df->f.loc.file, df->f.loc.line, df->f.loc.column,
                          "definition '%s' is a number of more than %d bits whatever the career "
                          "(the limit of evaluation): the rules cannot be computed", df->id,
                          LP__EVAL_MAX_BITS);
    }
    if (k->state[i] == 1)
        mpq_set(q, &k->value[i]);
    return k->state[i] == 1 ? 1 : k->state[i] == 3 ? -2 : 0;
}

/* The value of a formula made only of literals, constant definitions and
 * + - * /, into q: 1; 0 when it reads anything else; -1 when a step grows past
 * the evaluation limit (LP__EVAL_MAX_BITS, formula.h); -2 when it reads a
 * definition that did. */
static int constant_value(constants *k, const lp__expr *e, mpq_ptr q)
{
    mpq_t b;
    int r;
    switch (e->op) {
    case LP__OP_LITERAL:
        if (!e->q)
            return 0;
        mpq_set(q, e->q);
        return 1;
    case LP__OP_DEFINE:
        return constant_define(k, e->index, q);
    case LP__OP_NEG:
        if ((r = constant_value(k, e->args[0], q)) == 1)
            mpq_neg(q, q);
        return r;
    case LP__OP_ADD: case LP__OP_SUB: case LP__OP_MUL: case LP__OP_DIV:
        if ((r = constant_value(k, e->args[0], q)) != 1)
            return r;
        mpq_init(b);
        r = constant_value(k, e->args[1], b);
        if (r == 1 && e->op == LP__OP_DIV && mpq_sgn(b) == 0)
            r = 0;                 /* a division by zero: evaluation reports it */
        if (r == 1) {
            if (e->op == LP__OP_ADD)
                mpq_add(q, q, b);
            else if (e->op == LP__OP_SUB)
                mpq_sub(q, q, b);
            else if (e->op == LP__OP_MUL)
                mpq_mul(q, q, b);
            else
                mpq_div(q, q, b);
            if (too_large(q))
                r = -1;
        }
        mpq_clear(b);
        return r;
    default:
        return 0;
    }
}

/* Every definition known at load that grows past the limit is refused. */
static void check_constants(loader *L, const lp__scheme *s)
{
    constants k;
    mpq_t q;
    size_t i;
    if (!s->ndefines)
        return;
    k.L = L;
    k.s = s;
    k.state = lp__calloc(s->ndefines, 1);
    k.value = lp__malloc(s->ndefines * sizeof *k.value);
    if (k.state && k.value) {
        mpq_init(q);
        for (i = 0; i < s->ndefines; i++)
            constant_define(&k, (int)i, q);
        mpq_clear(q);
        for (i = 0; i < s->ndefines; i++)
            if (k.state[i])
                mpq_clear(&k.value[i]);
    }
    lp__free(k.state);
    lp__free(k.value);
}

/* An amount that is a constant below zero can never be right. */
static void check_amounts(loader *L, const xmlNode *n, const lp__formula *f, size_t count)
{
    size_t i;
    mpq_t q;
    mpq_init(q);
    for (i = 0; i < count; i++) {
        xmlNodePtr a;
        size_t k = 0;
        if (!f[i].expr || constant_value(NULL, f[i].expr, q) != 1 || mpq_sgn(q) >= 0)
            continue;
        for (a = lp__xml_child(n, "amount"); a && k < i; a = lp__xml_next(a, "amount"))
            k++;
        diag_at(L, a ? a : n, LP_ERANGE, "this amount is always below zero: a benefit cannot be "
                "negative");
    }
    mpq_clear(q);
}

static void read_benefit(loader *L, const xmlNode *n, lp__benefit *b)
{
    lp__type boolean, money, number;
    size_t nr = lp__xml_count(n, "rounding"), i = 0, j;
    xmlNodePtr r;
    memset(&boolean, 0, sizeof boolean);
    boolean.kind = LP__T_BOOL;
    number = boolean;
    number.kind = LP__T_NUMBER;
    money = boolean;
    money.kind = LP__T_MONEY;
    memcpy(money.currency, L->scheme->currency, sizeof money.currency);
    b->id = dup_attr(L, n, "id");
    b->frequency = lp_frequency_from_name(lp__xml_attr(n, "frequency"));
    if (b->frequency == LP_FREQUENCY_INVALID)   /* (the schema allows only the result's names) */
        diag_at(L, n, LP_ESCHEMA, "a benefit's frequency is weekly, monthly, yearly or once");
    b->max_periods = number_attr(L, n, "max-periods");
    b->loc = loc_of(L, n);
    b->eligible = read_formulas(L, n, "eligible", &boolean, &b->neligible);
    b->amount = read_formulas(L, n, "amount", &money, &b->namount);
    check_amounts(L, n, b->amount, b->namount);
    b->ratio = read_formulas(L, n, "ratio", &number, &b->nratio);
    b->rounding = lp__arena_alloc(L->arena, (nr ? nr : 1) * sizeof *b->rounding);
    if (!b->rounding)
        return;
    for (r = lp__xml_child(n, "rounding"); r; r = lp__xml_next(r, "rounding"), i++) {
        read_rounding(L, r, &b->rounding[i]);
        for (j = 0; j < i; j++)
            if (b->rounding[j].of == b->rounding[i].of && spans_overlap(b->rounding[j].span, b->rounding[i].span))
                diag_at(L, r, LP_ESCHEMA, "this rounding rule overlaps the dates of the one on line %d",
                        b->rounding[j].loc.line);
    }
    b->nrounding = nr;
}

static void read_lumpsum(loader *L, const xmlNode *n, lp__lumpsum *ls)
{
    lp__type boolean, money;
    size_t nc = lp__xml_count(n, "condition"), i = 0;
    xmlNodePtr c;
    const char *f = lp__xml_attr(n, "forfeits-periods");
    memset(&boolean, 0, sizeof boolean);
    boolean.kind = LP__T_BOOL;
    money = boolean;
    money.kind = LP__T_MONEY;
    memcpy(money.currency, L->scheme->currency, sizeof money.currency);
    ls->id = dup_attr(L, n, "id");
    ls->kind = lp_lump_sum_kind_from_name(lp__xml_attr(n, "kind"));
    if (ls->kind == LP_LUMP_SUM_INVALID)        /* (the schema allows only the result's names) */
        diag_at(L, n, LP_ESCHEMA, "a lump sum's kind is withdrawal, refund, balance or award");
    ls->forfeits_periods = f && (STR_EQ(f, "true") || STR_EQ(f, "1"));
    ls->per_employment = (f = lp__xml_attr(n, "per")) && STR_EQ(f, "employment");
    ls->loc = loc_of(L, n);
    ls->conditions = lp__arena_alloc(L->arena, (nc ? nc : 1) * sizeof *ls->conditions);
    if (!ls->conditions)
        return;
    for (c = lp__xml_child(n, "condition"); c; c = lp__xml_next(c, "condition"), i++) {
        ls->conditions[i].id = dup_attr(L, c, "id");
        read_formula(L, c, &ls->conditions[i].f, &boolean);
    }
    ls->nconditions = nc;
    ls->amount = read_formulas(L, n, "amount", &money, &ls->namount);
}

/* Phase 2: formulas. */
static void read_scheme_formulas(loader *L, const xmlNode *root, lp__scheme *s)
{
    size_t nb = lp__xml_count(root, "benefit"), nl = lp__xml_count(root, "lump-sum"), i;
    xmlNodePtr n;
    lp__type boolean;
    memset(&boolean, 0, sizeof boolean);
    boolean.kind = LP__T_BOOL;

    for (i = 0, n = lp__xml_child(root, "define"); n && i < s->ndefines; n = lp__xml_next(n, "define"), i++)
        read_formula(L, n, &s->defines[i].f, &s->defines[i].type);
    check_cycles(L, s);
    if (!L->d->errors)
        mark_varying(L, s);
    if (!L->d->errors)
        check_constants(L, s);
    s->benefits = lp__arena_alloc(L->arena, (nb ? nb : 1) * sizeof *s->benefits);
    s->lumpsums = lp__arena_alloc(L->arena, (nl ? nl : 1) * sizeof *s->lumpsums);
    if (!s->benefits || !s->lumpsums)
        return;
    for (i = 0, n = lp__xml_child(root, "benefit"); n; n = lp__xml_next(n, "benefit"), i++)
        read_benefit(L, n, &s->benefits[i]);
    s->nbenefits = nb;
    for (i = 0, n = lp__xml_child(root, "lump-sum"); n; n = lp__xml_next(n, "lump-sum"), i++)
        read_lumpsum(L, n, &s->lumpsums[i]);
    s->nlumpsums = nl;
    s->exports = read_formulas(L, root, "export", &boolean, &s->nexports);
}

/* ------------------------------------------------------------- agreements */

static int scheme_ref(loader *L, const lp_ruleset *rs, const xmlNode *n, const char *id)
{
    int i = id ? lp__ruleset_scheme_index(rs, id) : -1;
    if (i < 0 && id)
        diag_at(L, n, LP_ENOTFOUND, "agreement names scheme '%s', which no rule file defines", id);
    return i;
}

static const char **split_ids(loader *L, const char *list, size_t *count)
{
    size_t n = 0, k = 0;
    const char *p;
    const char **v;
    for (p = list; *p;) {
        size_t len;
        p += strspn(p, " \t\n");
        len = strcspn(p, " \t\n");
        if (len)
            n++;
        p += len;
    }
    v = lp__arena_alloc(L->arena, (n ? n : 1) * sizeof *v);
    *count = 0;
    if (!v)
        return NULL;
    for (p = list; *p && k < n;) {
        size_t len;
        p += strspn(p, " \t\n");
        len = strcspn(p, " \t\n");
        /* out of memory: no list at all (the load fails; nothing may read
         * a NULL name in it before then) */
        if (len && !(v[k++] = lp__arena_strndup(L->arena, p, len))) {
            *count = 0;
            return NULL;
        }
        p += len;
    }
    *count = n;
    return v;
}

static int bool_attr(const xmlNode *n, const char *name)
{
    const char *v = lp__xml_attr(n, name);
    return v && (STR_EQ(v, "true") || STR_EQ(v, "1"));
}

static int in_parties(const lp__agreement *a, int scheme)
{
    size_t i, j;
    for (i = 0; i < a->nparties; i++)
        for (j = 0; j < a->parties[i].nschemes; j++)
            if (a->parties[i].schemes[j] == scheme && scheme >= 0)
                return 1;
    return 0;
}

static void read_partner(loader *L, const lp_ruleset *rs, const xmlNode *n, lp__partner *p)
{
    const char *conv = lp__xml_attr(n, "conversion"), *v;
    p->scheme_id = dup_attr(L, n, "scheme");
    p->scheme = scheme_ref(L, rs, n, p->scheme_id);
    p->conversion = conv && STR_EQ(conv, "per-year") ? LP__CONV_PER_YEAR : LP__CONV_TIMELINE;
    p->months_per_unit = (v = lp__xml_attr(n, "months-per-unit")) ? atoi(v) : 1;
    p->per_year_cap = (v = lp__xml_attr(n, "per-year-cap")) ? atoi(v) : 0;
    p->rounding = LP_ROUND_CEIL;
    if ((v = lp__xml_attr(n, "rounding")) && lp__rounding_parse(&p->rounding, v, strlen(v)) != LP_OK)
        diag_at(L, n, LP_EPARSE, "%s", lp_error_last()->message);
    if (p->conversion == LP__CONV_PER_YEAR && !lp__xml_attr(n, "months-per-unit"))
        diag_at(L, n, LP_ESCHEMA, "conversion=\"per-year\" needs 'months-per-unit'");
    p->from = LP__DAY_MIN;
    if ((v = lp__xml_attr(n, "from")))
        parse_day(L, n, v, &p->from, "from");
    p->cite = cite_of(L, n);
    p->loc = loc_of(L, n);
}

/* Each benefit a totalisation names must be one its scheme defines. */
static void check_benefit_ids(loader *L, const lp_ruleset *rs, const xmlNode *n, const lp__totalisation *t)
{
    const lp__scheme *s;
    size_t i, j;
    if (t->scheme < 0)
        return;
    s = &rs->schemes[t->scheme];
    for (i = 0; i < t->nbenefits; i++) {
        for (j = 0; j < s->nbenefits && !(s->benefits[j].id && STR_EQ(s->benefits[j].id, t->benefits[i])); j++)
            ;
        if (j == s->nbenefits)
            diag_at(L, n, LP_ENOTFOUND, "totalisation names benefit '%s', which scheme '%s' does not define",
                    t->benefits[i], t->scheme_id);
    }
}

/* Do two totalisations of one agreement cover the same benefit of one
 * scheme? (No 'benefits' list: every benefit.) */
static int same_cover(const lp__totalisation *a, const lp__totalisation *b)
{
    size_t i, j;
    if (a->scheme < 0 || a->scheme != b->scheme)
        return 0;
    if (!a->nbenefits || !b->nbenefits)
        return 1;
    for (i = 0; i < a->nbenefits; i++)
        for (j = 0; j < b->nbenefits; j++)
            if (STR_EQ(a->benefits[i], b->benefits[j]))
                return 1;
    return 0;
}

/* The pro-rata fraction the agreement chooses: ratio="scheme" (the default),
 * "own-over-totalised", "own-over-theoretical" (needs theoretical-periods) or
 * "own-over-denominator" (needs ratio-denominator; a ratio-denominator alone
 * means it too). Anything else is a load error. */
static void load_ratio(loader *L, const xmlNode *n, lp__totalisation *t)
{
    const char *r = lp__xml_attr(n, "ratio");
    if (!r)
        t->ratio = t->ratio_denominator ? LP__RATIO_OWN_DENOMINATOR : LP__RATIO_SCHEME;
    else if (STR_EQ(r, "scheme"))
        t->ratio = LP__RATIO_SCHEME;
    else if (STR_EQ(r, "own-over-totalised"))
        t->ratio = LP__RATIO_OWN_TOTALISED;
    else if (STR_EQ(r, "own-over-theoretical"))
        t->ratio = LP__RATIO_OWN_THEORETICAL;
    else if (STR_EQ(r, "own-over-denominator"))
        t->ratio = LP__RATIO_OWN_DENOMINATOR;
    else {
        diag_at(L, n, LP_ESCHEMA, "unknown pro-rata ratio '%s' (scheme, own-over-totalised, "
                "own-over-theoretical or own-over-denominator)", r);
        return;
    }
    if (t->ratio == LP__RATIO_OWN_THEORETICAL && !t->theoretical_periods)
        diag_at(L, n, LP_ESCHEMA, "ratio=\"own-over-theoretical\" needs 'theoretical-periods'");
    if (t->ratio == LP__RATIO_OWN_DENOMINATOR && !t->ratio_denominator)
        diag_at(L, n, LP_ESCHEMA, "ratio=\"own-over-denominator\" needs 'ratio-denominator'");
    if (t->ratio != LP__RATIO_OWN_DENOMINATOR && t->ratio_denominator)
        diag_at(L, n, LP_ESCHEMA, "'ratio-denominator' goes with ratio=\"own-over-denominator\" only");
}

static void read_totalisation(loader *L, const lp_ruleset *rs, const lp__agreement *a,
                              const xmlNode *n, lp__totalisation *t)
{
    const char *m = lp__xml_attr(n, "method");
    size_t np = lp__xml_count(n, "partner"), i = 0;
    xmlNodePtr p;
    t->scheme_id = dup_attr(L, n, "scheme");
    t->scheme = scheme_ref(L, rs, n, t->scheme_id);
    if (t->scheme >= 0 && !in_parties(a, t->scheme))
        diag_at(L, n, LP_ESCHEMA, "totalisation for '%s', which no <party> of this agreement lists",
                t->scheme_id);
    t->benefits = split_ids(L, lp__xml_attr(n, "benefits"), &t->nbenefits);
    t->method = !m || STR_EQ(m, "pro-rata") ? LP__METHOD_PRO_RATA
              : STR_EQ(m, "direct") ? LP__METHOD_DIRECT : LP__METHOD_DIRECT_FLAT;
    t->minimum_own = number_attr(L, n, "minimum-own");
    t->flat_minimum = number_attr(L, n, "flat-minimum");
    t->theoretical_periods = number_attr(L, n, "theoretical-periods");
    t->ratio_denominator = number_attr(L, n, "ratio-denominator");
    if (t->method == LP__METHOD_DIRECT_FLAT && (!t->flat_minimum || mpq_sgn(t->flat_minimum) <= 0))
        diag_at(L, n, LP_ESCHEMA, "method=\"direct-flat\" needs a positive 'flat-minimum'");
    if (t->ratio_denominator && mpq_sgn(t->ratio_denominator) <= 0)
        diag_at(L, n, LP_ESCHEMA, "'ratio-denominator' must be greater than zero");
    if (t->theoretical_periods && mpq_sgn(t->theoretical_periods) <= 0)
        diag_at(L, n, LP_ESCHEMA, "'theoretical-periods' must be greater than zero");
    load_ratio(L, n, t);
    check_benefit_ids(L, rs, n, t);
    t->pay_higher = bool_attr(n, "pay-higher");
    t->only_if_not_eligible_alone = bool_attr(n, "only-if-not-eligible-alone");
    t->third_state = bool_attr(n, "third-state");
    t->cite = cite_of(L, n);
    t->loc = loc_of(L, n);
    t->partners = lp__arena_alloc(L->arena, (np ? np : 1) * sizeof *t->partners);
    if (!t->partners)
        return;
    for (p = lp__xml_child(n, "partner"); p; p = lp__xml_next(p, "partner"), i++) {
        read_partner(L, rs, p, &t->partners[i]);
        if (t->partners[i].scheme >= 0 && t->partners[i].scheme == t->scheme)
            diag_at(L, p, LP_ESCHEMA, "a scheme cannot be its own partner");
    }
    t->npartners = np;
}

/* <export> and <equal-treatment>: a scheme each, which must be one of the
 * parties' schemes (a clause on another scheme would never act). */
static void read_clauses(loader *L, const lp_ruleset *rs, const lp__agreement *a, const xmlNode *root,
                         const char *name, lp__clause **out, size_t *count)
{
    size_t n = lp__xml_count(root, name), i = 0;
    xmlNodePtr c;
    lp__clause *v = lp__arena_alloc(L->arena, (n ? n : 1) * sizeof *v);
    *out = v;
    *count = 0;
    if (!v)
        return;
    for (c = lp__xml_child(root, name); c; c = lp__xml_next(c, name), i++) {
        v[i].scheme_id = dup_attr(L, c, "scheme");
        v[i].scheme = scheme_ref(L, rs, c, v[i].scheme_id);
        v[i].cite = cite_of(L, c);
        v[i].loc = loc_of(L, c);
        if (v[i].scheme >= 0 && !in_parties(a, v[i].scheme))
            diag_at(L, c, LP_ESCHEMA, "<%s scheme=\"%s\">: the scheme is not in any <party> of agreement '%s'",
                    name, v[i].scheme_id, a->id);
    }
    *count = n;
}

static void read_agreement(loader *L, const lp_ruleset *rs, const xmlNode *root, lp__agreement *a)
{
    size_t np = lp__xml_count(root, "party"), nt = lp__xml_count(root, "totalisation"), i = 0, j;
    xmlNodePtr n;
    const char *v;
    a->id = dup_attr(L, root, "id");
    a->file = L->file->name;
    a->loc = loc_of(L, root);
    n = lp__xml_child(root, "title");
    a->title = n ? trimmed(L, dup_text(L, n)) : a->id;
    a->sources = L->sources;
    a->nsources = L->nsources;
    a->signed_day = LP__DAY_MIN;
    a->terminated = LP__DAY_MAX;
    if ((v = lp__xml_attr(root, "signed")))
        parse_day(L, root, v, &a->signed_day, "signed");
    if ((v = lp__xml_attr(root, "in-force")))
        parse_day(L, root, v, &a->in_force, "in-force");
    if ((v = lp__xml_attr(root, "terminated")))
        parse_day(L, root, v, &a->terminated, "terminated");
    if (a->signed_day != LP__DAY_MIN && a->in_force < a->signed_day)
        diag_at(L, root, LP_ESCHEMA, "agreement '%s' enters into force before it was signed", a->id);
    if (a->terminated < a->in_force)
        diag_at(L, root, LP_ESCHEMA, "agreement '%s' is terminated before it enters into force", a->id);
    a->parties = lp__arena_alloc(L->arena, (np ? np : 1) * sizeof *a->parties);
    if (!a->parties)
        return;
    for (n = lp__xml_child(root, "party"); n; n = lp__xml_next(n, "party"), i++) {
        lp__party *p = &a->parties[i];
        snprintf(p->country, sizeof p->country, "%s", lp__xml_attr(n, "country"));
        p->scheme_ids = split_ids(L, lp__xml_attr(n, "schemes"), &p->nschemes);
        p->schemes = lp__arena_alloc(L->arena, (p->nschemes ? p->nschemes : 1) * sizeof *p->schemes);
        if (!p->scheme_ids || !p->schemes)
            return;
        for (j = 0; j < p->nschemes; j++) {
            p->schemes[j] = scheme_ref(L, rs, n, p->scheme_ids[j]);
            if (p->schemes[j] >= 0 && strcmp(rs->schemes[p->schemes[j]].country, p->country) != 0)
                diag_at(L, n, LP_ESCHEMA, "scheme '%s' belongs to %s, not to party %s",
                        p->scheme_ids[j], rs->schemes[p->schemes[j]].country, p->country);
        }
    }
    a->nparties = np;
    if ((n = lp__xml_child(root, "coverage-only"))) {
        a->coverage_only = 1;
        a->coverage_cite = cite_of(L, n);
    }
    a->totalisations = lp__arena_alloc(L->arena, (nt ? nt : 1) * sizeof *a->totalisations);
    if (!a->totalisations)
        return;
    for (i = 0, n = lp__xml_child(root, "totalisation"); n; n = lp__xml_next(n, "totalisation"), i++) {
        read_totalisation(L, rs, a, n, &a->totalisations[i]);
        for (j = 0; j < i; j++)
            if (same_cover(&a->totalisations[j], &a->totalisations[i])) {
                diag_at(L, n, LP_ESCHEMA, "a second <totalisation> of scheme '%s' for the same benefit "
                        "(the first is on line %d): give each benefit one", a->totalisations[i].scheme_id,
                        a->totalisations[j].loc.line);
                break;
            }
    }
    a->ntotalisations = nt;
    read_clauses(L, rs, a, root, "export", &a->exports, &a->nexports);
    read_clauses(L, rs, a, root, "equal-treatment", &a->equal, &a->nequal);
}

/* ------------------------------------------------------------- claim procedures */

/* A copy with every run of white space made one space, trimmed: the text of a
 * claim item is prose that the rule file may wrap over several lines. */
static const char *collapsed(loader *L, const char *s)
{
    size_t n = strlen(s), k = 0;
    char *out = lp__arena_alloc(L->arena, n + 1);
    int space = 0;
    if (!out)
        return "";
    for (; *s; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
            space = k > 0;
            continue;
        }
        if (space)
            out[k++] = ' ';
        space = 0;
        out[k++] = *s;
    }
    out[k] = '\0';
    return out;
}

/* A language tag as the rule files write it: 2-3 lower-case letters, then
 * optional subtags of 1-8 letters or digits ("en", "id", "fil", "zh-Hant"). */
static int lang_tag_ok(const char *t)
{
    size_t n = 0;
    while (t[n] >= 'a' && t[n] <= 'z')
        n++;
    if (n < 2 || n > 3)
        return 0;
    t += n;
    while (*t == '-') {
        t++;
        for (n = 0; (t[n] >= 'a' && t[n] <= 'z') || (t[n] >= 'A' && t[n] <= 'Z')
                    || (t[n] >= '0' && t[n] <= '9'); n++)
            ;
        if (n < 1 || n > 8)
            return 0;
        t += n;
    }
    return *t == '\0';
}

static const struct { const char *name; lp_claim_field field; } claim_fields[] = {
    { "office", LP_CLAIM_OFFICE }, { "form", LP_CLAIM_FORM }, { "link", LP_CLAIM_LINK },
    { "deadline", LP_CLAIM_DEADLINE }, { "bring", LP_CLAIM_BRING },
};

/* The field of a claim item element, 0 if the element is none (a source). */
static lp_claim_field claim_field(const xmlNode *n)
{
    size_t i;
    for (i = 0; i < sizeof claim_fields / sizeof claim_fields[0]; i++)
        if (STR_EQ((const char *)n->name, claim_fields[i].name))
            return claim_fields[i].field;
    return (lp_claim_field)0;
}

static void read_claim_item(loader *L, const xmlNode *n, lp_claim_item *it)
{
    xmlChar *lang = xmlGetNsProp(n, (const xmlChar *)"lang", XML_XML_NAMESPACE);
    lp__cite c = cite_of(L, n);
    it->field = claim_field(n);
    it->lang = lang ? lp__arena_strdup(L->arena, (const char *)lang) : "en";
    if (!it->lang)
        it->lang = "en";
    if (lang && !lang_tag_ok((const char *)lang))
        diag_at(L, n, LP_ESCHEMA, "xml:lang '%.40s' is not a language tag like en, id or fil",
                (const char *)lang);
    xmlFree(lang);
    it->text = collapsed(L, dup_text(L, n));
    it->url = dup_attr(L, n, "url");
    it->cite = c.text;
    it->source_title = c.source ? c.source->title : NULL;
    it->source_url = c.source ? c.source->url : NULL;
    it->source_grade = c.source ? c.source->grade : NULL;
    if (it->field == LP_CLAIM_LINK && !it->url)
        diag_at(L, n, LP_ESCHEMA, "<link> needs a 'url': the page the worker is sent to");
}

/* A name in for="..." must be a benefit or a lump-sum option of the scheme. */
static int scheme_has_option(const lp__scheme *s, const char *name)
{
    size_t i;
    for (i = 0; i < s->nbenefits; i++)
        if (s->benefits[i].id && STR_EQ(s->benefits[i].id, name))
            return 1;
    for (i = 0; i < s->nlumpsums; i++)
        if (s->lumpsums[i].id && STR_EQ(s->lumpsums[i].id, name))
            return 1;
    return 0;
}

static void read_claim(loader *L, const xmlNode *n, struct lp_claim_procedure *p)
{
    const char *list = lp__xml_attr(n, "for");
    size_t i, count = 0;
    xmlNodePtr c;
    p->loc = loc_of(L, n);
    if (list) {
        p->options = split_ids(L, list, &p->noptions);
        for (i = 0; p->options && i < p->noptions; i++)
            if (!scheme_has_option(L->scheme, p->options[i]))
                diag_at(L, n, LP_ENOTFOUND, "claim procedure for '%s': scheme '%s' has no "
                        "benefit or lump-sum option of that name", p->options[i],
                        L->scheme->id ? L->scheme->id : "?");
    }
    for (c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && claim_field(c))
            count++;
    p->items = lp__arena_alloc(L->arena, (count ? count : 1) * sizeof *p->items);
    if (!p->items)
        return;
    for (c = n->children, i = 0; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && claim_field(c))
            read_claim_item(L, c, &p->items[i++]);
    p->nitems = count;
}

/* After the formulas: for="..." names the scheme's benefits and lump sums. */
static void read_claims(loader *L, const xmlNode *root, lp__scheme *s)
{
    size_t n = lp__xml_count(root, "claim-procedure"), i = 0;
    xmlNodePtr c;
    s->claims = lp__arena_alloc(L->arena, (n ? n : 1) * sizeof *s->claims);
    if (!s->claims)
        return;
    memset(s->claims, 0, (n ? n : 1) * sizeof *s->claims);
    for (c = lp__xml_child(root, "claim-procedure"); c; c = lp__xml_next(c, "claim-procedure"), i++)
        read_claim(L, c, &s->claims[i]);
    s->nclaims = n;
}

/* ------------------------------------------------------------- countries */

static int cmp_country(const void *a, const void *b)
{
    return strcmp(((const lp__country *)a)->code, ((const lp__country *)b)->code);
}

/* The codes of a <countries> file, added to the rule set's list (kept sorted);
 * a code listed twice is an error. */
static void read_countries(loader *L, lp_ruleset *rs, const xmlNode *root)
{
    size_t n = lp__xml_count(root, "country"), i, k = rs->ncountries;
    lp__country *v = lp__arena_alloc(L->arena, (k + n ? k + n : 1) * sizeof *v);
    xmlNodePtr c;
    if (!v)
        return;
    if (k)
        memcpy(v, rs->countries, k * sizeof *v);
    for (c = lp__xml_child(root, "country"); c; c = lp__xml_next(c, "country")) {
        const char *code = lp__xml_attr(c, "code");
        cite_of(L, c);             /* checked like every citation */
        snprintf(v[k].code, sizeof v[k].code, "%s", code ? code : "");
        v[k].name = trimmed(L, dup_text(L, c));
        k++;
    }
    qsort(v, k, sizeof *v, cmp_country);
    for (i = 1; i < k; i++)
        if (STR_EQ(v[i].code, v[i - 1].code))
            diag_at(L, root, LP_ESCHEMA, "country '%s' is listed twice", v[i].code);
    rs->countries = v;
    rs->ncountries = k;
}

/* Where the rule set lists countries, every scheme's country and every
 * agreement party's must be one of them (a typo would make an agreement
 * silently never apply). */
static void check_countries(loader *L, const lp_ruleset *rs, const lp__file *files, xmlDocPtr *docs,
                            size_t n)
{
    size_t i;
    if (!rs->ncountries)
        return;
    for (i = 0; i < n; i++) {
        xmlNodePtr root, p;
        const char *cc;
        if (!docs[i])
            continue;
        root = xmlDocGetRootElement(docs[i]);
        L->file = &files[i];
        if (STR_EQ((const char *)root->name, "scheme") && (cc = lp__xml_attr(root, "country"))
            && !lp__ruleset_knows_country(rs, cc))
            diag_at(L, root, LP_ESCHEMA, "country '%s' is not in the rule set's list of countries", cc);
        if (!STR_EQ((const char *)root->name, "agreement"))
            continue;
        for (p = lp__xml_child(root, "party"); p; p = lp__xml_next(p, "party"))
            if ((cc = lp__xml_attr(p, "country")) && !lp__ruleset_knows_country(rs, cc))
                diag_at(L, p, LP_ESCHEMA, "party country '%s' is not in the rule set's list of countries", cc);
    }
}

/* ------------------------------------------------------------- entry point */

int lp__ruleset_build(lp_ruleset *rs, lp_diagnostics *d, const lp__file *files,
                      xmlDocPtr *docs, size_t n)
{
    loader L;
    size_t i, ns = 0, na = 0;
    memset(&L, 0, sizeof L);
    L.arena = rs->arena;
    L.d = d;
    for (i = 0; i < n; i++) {
        if (!docs[i])
            continue;
        if (STR_EQ((const char *)xmlDocGetRootElement(docs[i])->name, "scheme"))
            ns++;
        else if (STR_EQ((const char *)xmlDocGetRootElement(docs[i])->name, "agreement"))
            na++;
    }
    rs->schemes = lp__arena_alloc(rs->arena, (ns ? ns : 1) * sizeof *rs->schemes);
    rs->agreements = lp__arena_alloc(rs->arena, (na ? na : 1) * sizeof *rs->agreements);
    if (!rs->schemes || !rs->agreements)
        return LP_ENOMEM;
    /* schemes: names of all first, so duplicates are seen before formulas */
    for (i = 0; i < n; i++) {
        xmlNodePtr root;
        size_t k;
        if (!docs[i] || !STR_EQ((const char *)(root = xmlDocGetRootElement(docs[i]))->name, "scheme"))
            continue;
        L.file = &files[i];
        L.sources = read_sources(&L, root, &L.nsources);
        L.scheme = &rs->schemes[rs->nschemes];
        read_scheme_names(&L, root, L.scheme);
        for (k = 0; k < rs->nschemes; k++)
            if (L.scheme->id && rs->schemes[k].id && STR_EQ(rs->schemes[k].id, L.scheme->id))
                diag_at(&L, root, LP_ESCHEMA, "scheme '%s' is also defined in %s", L.scheme->id,
                        rs->schemes[k].file);
        rs->nschemes++;
    }
    for (i = 0, ns = 0; i < n; i++) {
        xmlNodePtr root;
        if (!docs[i] || !STR_EQ((const char *)(root = xmlDocGetRootElement(docs[i]))->name, "scheme"))
            continue;
        L.file = &files[i];
        L.scheme = &rs->schemes[ns++];
        L.sources = L.scheme->sources;
        L.nsources = L.scheme->nsources;
        read_scheme_formulas(&L, root, L.scheme);
        read_claims(&L, root, L.scheme);
    }
    for (i = 0; i < n; i++) {
        xmlNodePtr root;
        size_t k;
        if (!docs[i] || !STR_EQ((const char *)(root = xmlDocGetRootElement(docs[i]))->name, "agreement"))
            continue;
        L.file = &files[i];
        L.sources = read_sources(&L, root, &L.nsources);
        read_agreement(&L, rs, root, &rs->agreements[rs->nagreements]);
        for (k = 0; k < rs->nagreements; k++)
            if (rs->agreements[k].id && STR_EQ(rs->agreements[k].id, rs->agreements[rs->nagreements].id))
                diag_at(&L, root, LP_ESCHEMA, "agreement '%s' is also defined in %s",
                        rs->agreements[k].id, rs->agreements[k].file);
        rs->nagreements++;
    }
    for (i = 0; i < n; i++) {
        xmlNodePtr root;
        if (!docs[i] || !STR_EQ((const char *)(root = xmlDocGetRootElement(docs[i]))->name, "countries"))
            continue;
        L.file = &files[i];
        L.sources = read_sources(&L, root, &L.nsources);
        read_countries(&L, rs, root);
    }
    check_countries(&L, rs, files, docs, n);
    /* the loader goes on after a failed allocation (to collect every problem):
     * a rule set missing a piece must not be reported as loaded */
    if (lp__arena_failed(rs->arena))
        return lp__error_set(LP_ENOMEM, "out of memory");
    return lp__diags_first_code(d);
}
