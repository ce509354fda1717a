/* The result as XML (rules/portability-result.xsd), written with libxml2's
 * text writer so escaping and encoding are libxml2's, not ours. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "alloc.h"
#include "error.h"
#include "result_model.h"
#include "xml.h"

#define NS "urn:libportability:result:1"

typedef struct writer {
    xmlTextWriterPtr w;
    int failed;
} writer;

static void start(writer *x, const char *name)
{
    if (!x->failed && xmlTextWriterStartElement(x->w, BAD_CAST name) < 0)
        x->failed = 1;
}

static void end(writer *x)
{
    if (!x->failed && xmlTextWriterEndElement(x->w) < 0)
        x->failed = 1;
}

static void attr(writer *x, const char *name, const char *value)
{
    if (!x->failed && value && xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST value) < 0)
        x->failed = 1;
}

static void text(writer *x, const char *value)
{
    if (!x->failed && value && xmlTextWriterWriteString(x->w, BAD_CAST value) < 0)
        x->failed = 1;
}

static const char *yes(int b)
{
    return b ? "true" : "false";
}

static void trace(writer *x, const lp__steps *s)
{
    size_t i, k;
    if (!s->n)
        return;
    start(x, "trace");
    for (i = 0; i < s->n; i++) {
        const lp_trace_step *st = s->v[i];
        start(x, "step");
        attr(x, "rule", st->rule);
        attr(x, "formula", st->formula);
        attr(x, "value", st->value);
        for (k = 0; k < st->ninputs; k++) {
            start(x, "input");
            attr(x, "name", st->inputs[k].name);
            attr(x, "value", st->inputs[k].value);
            attr(x, "at", st->inputs[k].at);
            attr(x, "row", st->inputs[k].row);
            attr(x, "cite", st->inputs[k].cite);
            attr(x, "source", st->inputs[k].source);
            attr(x, "grade", st->inputs[k].grade);
            end(x);
        }
        start(x, "source");
        attr(x, "cite", st->cite);
        attr(x, "url", st->url);
        text(x, st->title);
        end(x);
        end(x);
    }
    end(x);
}

static void held(writer *x, const lp__heldset *h)
{
    size_t i;
    for (i = 0; i < h->n; i++) {
        start(x, "provisional");
        attr(x, "parameter", h->v[i].name);
        attr(x, "since", h->v[i].since);
        attr(x, "cite", h->v[i].cite);
        end(x);
    }
}

static void failure(writer *x, const lp__failure *f)
{
    char num[16];
    start(x, "cannot-compute");
    attr(x, "file", f->file);
    if (f->file) {
        snprintf(num, sizeof num, "%d", f->line);
        attr(x, "line", num);
        snprintf(num, sizeof num, "%d", f->column);
        attr(x, "column", num);
    }
    attr(x, "parameter", f->gap_name);
    attr(x, "date", f->gap_date);
    text(x, f->message);
    end(x);
}

static void entitlement(writer *x, const lp_entitlement *e)
{
    size_t i;
    start(x, "entitlement");
    attr(x, "scheme", e->scheme);
    attr(x, "benefit", e->benefit);
    attr(x, "currency", e->currency);
    attr(x, "frequency", lp_frequency_name(e->frequency));
    attr(x, "status", lp_status_name(e->status));
    attr(x, "method", lp_method_name(e->method));
    attr(x, "agreement", e->agreement);
    if (e->held.n)
        attr(x, "provisional", "true");
    start(x, "periods");
    attr(x, "own", e->own);
    attr(x, "totalised", e->totalised);
    attr(x, "unit", lp__unit_name(e->unit));
    end(x);
    start(x, "eligible");
    attr(x, "alone", yes(e->eligible_alone));
    attr(x, "totalised", yes(e->eligible_totalised));
    end(x);
    for (i = 0; i < e->namounts; i++) {
        start(x, "amount");
        attr(x, "kind", lp_amount_kind_name(e->amounts[i].kind));
        attr(x, "value", e->amounts[i].value);
        attr(x, "exact", e->amounts[i].exact);
        end(x);
    }
    start(x, "export");
    attr(x, "residence", e->residence);
    attr(x, "allowed", yes(e->export_allowed));
    end(x);
    for (i = 0; i < e->nroutes; i++) {
        start(x, "route");
        attr(x, "agreement", e->routes[i].agreement ? e->routes[i].agreement : NULL);
        attr(x, "status", lp_status_name(e->routes[i].status));
        attr(x, "method", lp_method_name(e->routes[i].method));
        attr(x, "payable", e->routes[i].payable);
        attr(x, "error", e->routes[i].error);
        end(x);
    }
    if (e->failure)
        failure(x, e->failure);
    held(x, &e->held);
    trace(x, &e->trace);
    end(x);
}

static void lump_sum(writer *x, const lp_lump_sum *l)
{
    size_t i;
    start(x, "lump-sum");
    attr(x, "scheme", l->scheme);
    attr(x, "option", l->option);
    attr(x, "employer", l->employer);
    attr(x, "kind", lp_lump_sum_kind_name(l->kind));
    attr(x, "currency", l->currency);
    attr(x, "value", l->value);
    attr(x, "exact", l->exact);
    attr(x, "available", yes(l->available));
    attr(x, "forfeits-periods", yes(l->forfeits_periods));
    attr(x, "error", l->error);
    if (l->held.n)
        attr(x, "provisional", "true");
    for (i = 0; i < l->nconditions; i++) {
        start(x, "condition");
        attr(x, "id", l->conditions[i].id);
        attr(x, "met", yes(l->conditions[i].met));
        attr(x, "cite", l->conditions[i].cite);
        end(x);
    }
    if (l->failure)
        failure(x, l->failure);
    held(x, &l->held);
    trace(x, &l->trace);
    end(x);
}

LP_API int lp_result_to_xml(char **out, const lp_result *r)
{
    writer x;
    xmlBufferPtr buf;
    size_t i;
    if (!out)
        return lp__error_set(LP_EINVAL, "lp_result_to_xml: out is NULL");
    *out = NULL;
    if (!r)
        return lp__error_set(LP_EINVAL, "lp_result_to_xml: result is NULL");
    lp__xml_init();
    buf = xmlBufferCreate();
    if (!buf)
        return lp__error_set(LP_ENOMEM, "out of memory");
    memset(&x, 0, sizeof x);
    x.w = xmlNewTextWriterMemory(buf, 0);
    if (!x.w) {
        xmlBufferFree(buf);
        return lp__error_set(LP_ENOMEM, "out of memory");
    }
    xmlTextWriterSetIndent(x.w, 1);
    xmlTextWriterSetIndentString(x.w, BAD_CAST "  ");
    if (xmlTextWriterStartDocument(x.w, NULL, "UTF-8", NULL) < 0)
        x.failed = 1;
    start(&x, "result");
    attr(&x, "xmlns", NS);
    attr(&x, "history", r->history_id);
    attr(&x, "claim-date", r->claim_date);
    attr(&x, "library-version", r->library_version);
    attr(&x, "rules-digest", r->rules_digest);
    attr(&x, "input-digest", r->input_digest);
    for (i = 0; i < r->nentitlements; i++)
        entitlement(&x, r->entitlements[i]);
    for (i = 0; i < r->nlump_sums; i++)
        lump_sum(&x, r->lump_sums[i]);
    for (i = 0; i < r->nnotes; i++) {
        char num[16];
        start(&x, "note");
        attr(&x, "scheme", r->notes[i].scheme);
        if (r->notes[i].line) {
            snprintf(num, sizeof num, "%d", r->notes[i].line);
            attr(&x, "line", num);
        }
        text(&x, r->notes[i].message);
        end(&x);
    }
    end(&x);
    if (!x.failed && xmlTextWriterEndDocument(x.w) < 0)
        x.failed = 1;
    xmlFreeTextWriter(x.w);
    if (!x.failed) {
        *out = lp__strdup((const char *)xmlBufferContent(buf));
        if (!*out)
            x.failed = 1;
    }
    xmlBufferFree(buf);
    if (x.failed)
        return lp__error_set(LP_ENOMEM, "cannot write the result XML");
    lp_error_clear();
    return LP_OK;
}
