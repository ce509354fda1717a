/* The result as JSON (rules/portability-result.schema.json), built with
 * jansson (doc/json.md says why jansson) so quoting and UTF-8 are jansson's.
 *
 * The content is the XML's (result_xml.c), one key per XML attribute with
 * '-' written '_'. Every amount, rate and period count is a JSON string
 * holding the library's exact text ("2133.33", "6400/3"): a JSON number would
 * be read as binary floating point by most consumers, which never holds money here.
 * The only JSON numbers are line and column numbers. Booleans are JSON
 * booleans; an absent value (no agreement) is null. */
#include "config.h"

#include <string.h>

#include <jansson.h>

#include "alloc.h"
#include "error.h"
#include "result_json.h"
#include "result_model.h"

/* Everything is added through these, which remember the first failure (out
 * of memory, or text that is not UTF-8), so the builders stay linear. */
typedef struct builder {
    int failed;
} builder;

static json_t *fresh(builder *b, json_t *v)
{
    if (!v)
        b->failed = 1;
    return v;
}

/* obj[key] = v, taking ownership of v (also on failure). */
static void put(builder *b, json_t *obj, const char *key, json_t *v)
{
    if (!obj || !v) {
        json_decref(v);
        b->failed = 1;
        return;
    }
    if (json_object_set_new(obj, key, v) < 0)
        b->failed = 1;
}

static void put_text(builder *b, json_t *obj, const char *key, const char *s)
{
    put(b, obj, key, s ? json_string(s) : json_null());
}

/* Only when s is not NULL: keys the XML writes only when they apply. */
static void put_text_if(builder *b, json_t *obj, const char *key, const char *s)
{
    if (s)
        put_text(b, obj, key, s);
}

static void put_bool(builder *b, json_t *obj, const char *key, int v)
{
    put(b, obj, key, json_boolean(v));
}

static void append(builder *b, json_t *arr, json_t *v)
{
    if (!arr || !v) {
        json_decref(v);
        b->failed = 1;
        return;
    }
    if (json_array_append_new(arr, v) < 0)
        b->failed = 1;
}

static json_t *trace(builder *b, const lp_trace_step *const *steps, size_t n)
{
    json_t *arr = fresh(b, json_array());
    size_t i, k;
    for (i = 0; i < n; i++) {
        const lp_trace_step *st = steps[i];
        json_t *o = fresh(b, json_object()), *inputs = fresh(b, json_array()), *src;
        put_text(b, o, "rule", st->rule);
        put_text(b, o, "formula", st->formula);
        put_text(b, o, "value", st->value);
        for (k = 0; k < st->ninputs; k++) {
            json_t *in = fresh(b, json_object());
            put_text(b, in, "name", st->inputs[k].name);
            put_text(b, in, "value", st->inputs[k].value);
            put_text_if(b, in, "at", st->inputs[k].at);
            put_text_if(b, in, "row", st->inputs[k].row);
            put_text_if(b, in, "cite", st->inputs[k].cite);
            put_text_if(b, in, "source", st->inputs[k].source);
            put_text_if(b, in, "grade", st->inputs[k].grade);
            append(b, inputs, in);
        }
        put(b, o, "inputs", inputs);
        src = fresh(b, json_object());
        put_text(b, src, "cite", st->cite);
        put_text(b, src, "title", st->title);
        put_text(b, src, "url", st->url);
        put(b, o, "source", src);
        append(b, arr, o);
    }
    return arr;
}

static json_t *amounts(builder *b, const lp_entitlement *e)
{
    json_t *arr = fresh(b, json_array());
    size_t i;
    for (i = 0; i < e->namounts; i++) {
        const lp__amount *a = &e->amounts[i];
        json_t *o = fresh(b, json_object());
        put_text(b, o, "kind", lp_amount_kind_name(a->kind));
        put_text(b, o, "value", a->value);
        /* as lp_entitlement_amount_exact(): the value itself when exact */
        put_text(b, o, "exact", a->exact ? a->exact : a->value);
        append(b, arr, o);
    }
    return arr;
}

static json_t *routes(builder *b, const lp_entitlement *e)
{
    json_t *arr = fresh(b, json_array());
    size_t i;
    for (i = 0; i < e->nroutes; i++) {
        json_t *o = fresh(b, json_object());
        put_text(b, o, "agreement", e->routes[i].agreement);
        put_text(b, o, "status", lp_status_name(e->routes[i].status));
        put_text(b, o, "method", lp_method_name(e->routes[i].method));
        put_text(b, o, "payable", e->routes[i].payable);
        put_text_if(b, o, "error", e->routes[i].error);
        append(b, arr, o);
    }
    return arr;
}

static void put_int(builder *b, json_t *obj, const char *key, int v)
{
    put(b, obj, key, json_integer(v));
}

/* The values held past their last published date that a figure rests on
 * (the XML's <provisional> elements): always an array, empty when none. */
static json_t *held(builder *b, const lp__heldset *h)
{
    json_t *arr = fresh(b, json_array());
    size_t i;
    for (i = 0; i < h->n; i++) {
        json_t *o = fresh(b, json_object());
        put_text(b, o, "parameter", h->v[i].name);
        put_text(b, o, "since", h->v[i].since);
        put_text(b, o, "cite", h->v[i].cite);
        append(b, arr, o);
    }
    return arr;
}

/* Why an entitlement or a lump sum could not be computed (the XML's <cannot-compute>). */
static json_t *failure(builder *b, const lp__failure *f)
{
    json_t *o = fresh(b, json_object());
    put_text(b, o, "message", f->message);
    put_text(b, o, "file", f->file);
    if (f->file) {
        put_int(b, o, "line", f->line);
        put_int(b, o, "column", f->column);
    } else {
        put(b, o, "line", json_null());
        put(b, o, "column", json_null());
    }
    put_text(b, o, "parameter", f->gap_name);
    put_text(b, o, "date", f->gap_date);
    return o;
}

/* The place for fields an entitlement carries only in some states, after the
 * common fields: why it cannot be computed (status "cannot-compute") and the
 * values held past their last date that make it provisional. A new one goes
 * here, under the key of its XML attribute or element with '-' written '_',
 * and into rules/portability-result.schema.json. */
static void entitlement_extras(builder *b, json_t *o, const lp_entitlement *e)
{
    if (e->failure)
        put(b, o, "cannot_compute", failure(b, e->failure));
}

static json_t *entitlement(builder *b, const lp_entitlement *e, int with_trace)
{
    json_t *o = fresh(b, json_object()), *p, *el, *ex;
    put_text(b, o, "scheme", e->scheme);
    put_text(b, o, "benefit", e->benefit);
    put_text(b, o, "currency", e->currency);
    put_text(b, o, "frequency", lp_frequency_name(e->frequency));
    put_text(b, o, "status", lp_status_name(e->status));
    put_text(b, o, "method", lp_method_name(e->method));
    put_text(b, o, "agreement", e->agreement);
    put_bool(b, o, "provisional", e->held.n > 0);
    p = fresh(b, json_object());
    put_text(b, p, "own", e->own);
    put_text(b, p, "totalised", e->totalised);
    put_text(b, p, "unit", lp__unit_name(e->unit));
    put(b, o, "periods", p);
    el = fresh(b, json_object());
    put_bool(b, el, "alone", e->eligible_alone);
    put_bool(b, el, "totalised", e->eligible_totalised);
    put(b, o, "eligible", el);
    put(b, o, "amounts", amounts(b, e));
    ex = fresh(b, json_object());
    put_text(b, ex, "residence", e->residence);
    put_bool(b, ex, "allowed", e->export_allowed);
    put(b, o, "export", ex);
    put(b, o, "routes", routes(b, e));
    put(b, o, "held_values", held(b, &e->held));
    entitlement_extras(b, o, e);
    if (with_trace)
        put(b, o, "trace", trace(b, (const lp_trace_step *const *)e->trace.v, e->trace.n));
    return o;
}

static json_t *lump_sum(builder *b, const lp_lump_sum *l, int with_trace)
{
    json_t *o = fresh(b, json_object()), *conds = fresh(b, json_array());
    size_t i;
    put_text(b, o, "scheme", l->scheme);
    put_text(b, o, "option", l->option);
    put_text_if(b, o, "employer", l->employer);
    put_text(b, o, "kind", lp_lump_sum_kind_name(l->kind));
    put_text(b, o, "currency", l->currency);
    put_text(b, o, "value", l->value);
    put_text(b, o, "exact", l->exact ? l->exact : l->value);
    put_bool(b, o, "available", l->available);
    put_bool(b, o, "forfeits_periods", l->forfeits_periods);
    put_text_if(b, o, "error", l->error);
    put_bool(b, o, "provisional", l->held.n > 0);
    for (i = 0; i < l->nconditions; i++) {
        json_t *c = fresh(b, json_object());
        put_text(b, c, "id", l->conditions[i].id);
        put_bool(b, c, "met", l->conditions[i].met);
        put_text(b, c, "cite", l->conditions[i].cite);
        append(b, conds, c);
    }
    put(b, o, "conditions", conds);
    put(b, o, "held_values", held(b, &l->held));
    if (l->failure)
        put(b, o, "cannot_compute", failure(b, l->failure));
    if (with_trace)
        put(b, o, "trace", trace(b, (const lp_trace_step *const *)l->trace.v, l->trace.n));
    return o;
}

/* What the calculation did with the input that the reader must know. */
static json_t *notes(builder *b, const lp_result *r)
{
    json_t *arr = fresh(b, json_array());
    size_t i;
    for (i = 0; i < r->nnotes; i++) {
        json_t *o = fresh(b, json_object());
        put_text(b, o, "scheme", r->notes[i].scheme);
        if (r->notes[i].line)
            put_int(b, o, "line", r->notes[i].line);
        else
            put(b, o, "line", json_null());
        put_text(b, o, "message", r->notes[i].message);
        append(b, arr, o);
    }
    return arr;
}

/* Whether any entitlement or lump sum carries a trace: the whole document
 * then carries "trace" everywhere (possibly empty), else nowhere. */
static int traced(const lp_result *r)
{
    size_t i;
    for (i = 0; i < r->nentitlements; i++)
        if (r->entitlements[i]->trace.n)
            return 1;
    for (i = 0; i < r->nlump_sums; i++)
        if (r->lump_sums[i]->trace.n)
            return 1;
    return 0;
}

static json_t *document(builder *b, const lp_result *r)
{
    json_t *o = fresh(b, json_object()), *ents = fresh(b, json_array());
    json_t *lumps = fresh(b, json_array());
    int with_trace = traced(r);
    size_t i;
    put_text(b, o, "format", LP_RESULT_JSON_FORMAT);
    put_text(b, o, "history", r->history_id);
    put_text(b, o, "claim_date", r->claim_date);
    put_text(b, o, "library_version", r->library_version);
    put_text(b, o, "rules_digest", r->rules_digest);
    put_text(b, o, "input_digest", r->input_digest);
    for (i = 0; i < r->nentitlements; i++)
        append(b, ents, entitlement(b, r->entitlements[i], with_trace));
    put(b, o, "entitlements", ents);
    for (i = 0; i < r->nlump_sums; i++)
        append(b, lumps, lump_sum(b, r->lump_sums[i], with_trace));
    put(b, o, "lump_sums", lumps);
    put(b, o, "notes", notes(b, r));
    return o;
}

/* The text of doc into a buffer of ours. json_dumpb() writes into a buffer
 * it is given and so cannot fail half-way; json_dumps() can, and jansson
 * 2.14 then drops an object key that did not fit and still returns the rest
 * (tests/test_json_allocfail.c found it). A size of 0 is jansson's failure. */
static char *dump(const json_t *doc, size_t jflags)
{
    size_t need = json_dumpb(doc, NULL, 0, jflags);
    char *text;
    if (!need || !(text = lp__malloc(need + 1)))
        return NULL;
    if (json_dumpb(doc, text, need, jflags) != need) {
        lp__free(text);
        return NULL;
    }
    text[need] = '\0';
    return text;
}

json_t *lp__result_json(const lp_result *r)
{
    builder b;
    json_t *doc;
    memset(&b, 0, sizeof b);
    doc = document(&b, r);
    if (b.failed) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

char *lp__json_dump(const json_t *doc, unsigned int flags)
{
    return dump(doc, JSON_PRESERVE_ORDER | ((flags & LP_JSON_COMPACT) ? JSON_COMPACT : JSON_INDENT(2)));
}

LP_API int lp_result_to_json(char **out, const lp_result *r, unsigned int flags)
{
    builder b;
    json_t *doc;
    size_t jflags = JSON_PRESERVE_ORDER;

    if (!out)
        return lp__error_set(LP_EINVAL, "lp_result_to_json: out is NULL");
    *out = NULL;
    if (!r)
        return lp__error_set(LP_EINVAL, "lp_result_to_json: result is NULL");
    if (flags & ~(unsigned int)LP_JSON_COMPACT)
        return lp__error_set(LP_EINVAL, "lp_result_to_json: unknown flags 0x%x", flags);
    jflags |= (flags & LP_JSON_COMPACT) ? JSON_COMPACT : JSON_INDENT(2);
    memset(&b, 0, sizeof b);
    doc = document(&b, r);
    if (!b.failed)
        *out = dump(doc, jflags);
    json_decref(doc);
    if (!*out)
        return lp__error_set(LP_ENOMEM, "cannot write the result JSON (out of memory, or text that is not UTF-8)");
    lp_error_clear();
    return LP_OK;
}
