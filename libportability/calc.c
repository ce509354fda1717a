/* The calculation (portability/calc.h): for every scheme of a career, the
 * independent route on its own periods, one route per agreement that covers
 * it (totalised periods, theoretical, pro-rata and direct amounts), the most
 * favourable chosen; then export and the lump-sum options. The C code knows no
 * scheme: everything comes from the rule set. */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <portability/version.h>
#include "alloc.h"
#include "calc_internal.h"
#include "decimal.h"
#include "error.h"
#include "rational.h"

LP_API int lp_calc_options_init(lp_calc_options *opts, unsigned int version)
{
    if (!opts || version != LP_CALC_OPTIONS_VERSION)
        return lp__error_set(LP_EINVAL, "lp_calc_options_init: unknown options version %u", version);
    memset(opts, 0, sizeof *opts);
    opts->version = version;
    return LP_OK;
}


/* ---------------------------------------------------------------- context */

/* A new route: forget the definitions that depend on the period variable;
 * the others stand for the whole scheme. */
void lp__calc_reset_context(lp__calc *c)
{
    size_t i;
    if (!c->cur)
        return;
    /* with a trace, every route and option shows all the definitions it used */
    for (i = 0; i < c->cur->s->ndefines; i++)
        if (c->cur->s->defines[i].varies || c->trace)
            c->def_state[i] = 0;
}

mpq_ptr lp__calc_tmp(lp__calc *c)
{
    return lp__scratch_push_zero(c->env.scratch);
}

static void set_context(lp__calc *c, mpq_srcptr periods, int totalised, mpq_srcptr flat_ratio)
{
    c->periods = periods;
    c->totalised = totalised;
    c->flat_ratio = flat_ratio ? flat_ratio : c->one;
    lp__calc_reset_context(c);
}

/* out->q NULL: the evaluator borrows the fact's own rational (read-only). */
static void copy_fact(lp__tkind k, lp__val *out, const lp__factval *f)
{
    if (k == LP__T_NUMBER || k == LP__T_MONEY) {
        if (out->q)
            mpq_set(out->q, f->q);
        else
            out->q = (mpq_ptr)f->q;
    }
    out->day = f->day;
    out->b = f->b;
    out->text = f->text;
}

static void trace_define(lp__calc *c, const lp__define *d, const lp__val *v);

static int cb_define(lp__env *env, int index, lp__val *out)
{
    lp__calc *c = lp__calc_of(env);
    const lp__define *d = &c->cur->s->defines[index];
    int rc;
    if (c->cur->defines[index].set) {
        copy_fact(d->type.kind, out, &c->cur->defines[index]);
        return LP_OK;
    }
    if (!c->def_state[index]) {
        /* first use of this slot in this calculation; the held values it reads
         * are its own, and every figure that uses it rests on them too */
        uint64_t outer = c->held_mask;
        if (!c->def_val[index].q && !(c->def_val[index].q = lp__scratch_push(c->held)))
            return LP_ENOMEM;
        c->held_mask = 0;
        rc = lp__formula_eval(env, d->f.expr, &c->def_val[index]);
        c->def_held[index] = c->held_mask;
        c->held_mask |= outer;
        if (rc)
            return rc;
        c->def_state[index] = 1;
        if (c->trace)
            trace_define(c, d, &c->def_val[index]);
    } else {
        c->held_mask |= c->def_held[index];
    }
    if (!out->q) {                 /* borrowed, read-only (formula.h) */
        *out = c->def_val[index];
        return LP_OK;
    }
    lp__val_copy(d->type.kind, out, &c->def_val[index]);
    return LP_OK;
}

static int cb_input(lp__env *env, int index, lp__val *out)
{
    lp__calc *c = lp__calc_of(env);
    const lp__input *in = &c->cur->s->inputs[index];
    if (!c->cur->inputs[index].set)   /* located at the input's declaration */
        return lp__error_set_at(LP_ENOTFOUND, in->loc.file, in->loc.line, in->loc.column,
                                "scheme %s needs the fact '%s' (%s) in the history: "
                                "<fact scheme=\"%s\" name=\"%s\">", c->cur->s->id, in->id,
                                in->description && *in->description ? in->description : in->id,
                                c->cur->s->id, in->id);
    copy_fact(in->type.kind, out, &c->cur->inputs[index]);
    return LP_OK;
}

static int cb_builtin(lp__env *env, int which, lp__val *out)
{
    lp__calc *c = lp__calc_of(env);
    switch (which) {
    case LP__B_PERIODS: mpq_set(out->q, c->periods); break;
    case LP__B_OWN_PERIODS: mpq_set(out->q, c->cur->own_count); break;
    case LP__B_TOTALISED: out->b = c->totalised; break;
    case LP__B_FLAT_RATIO: mpq_set(out->q, c->flat_ratio); break;
    case LP__B_CLAIM_DATE: out->day = c->h->claim; break;
    case LP__B_BIRTH_DATE: out->day = c->h->birth; break;
    case LP__B_AGE: mpq_set_si(out->q, c->age, 1); break;
    case LP__B_NATIONALITY: out->text = c->h->nationality; break;
    case LP__B_RESIDENCE: out->text = c->h->residence; break;
    case LP__B_COUNTRY: out->text = c->cur->s->country; break;
    case LP__B_SEPARATION_REASON: return lp__calc_separation_reason(c, out);
    default: return lp__error_set(LP_ERROR, "unknown built-in %d", which);
    }
    return LP_OK;
}

/* A value read past its end because its rule holds it: remember it once, and
 * mark the figure being computed as resting on it. */
static void cb_held(lp__env *env, const lp__param *p, const lp__table *t)
{
    lp__calc *c = lp__calc_of(env);
    size_t i, max = sizeof c->heldv / sizeof c->heldv[0];
    for (i = 0; i < c->nheld; i++)
        if (c->heldv[i].p == p && c->heldv[i].t == t)
            break;
    if (i == c->nheld && i < max) {
        c->heldv[i].p = p;
        c->heldv[i].t = t;
        c->nheld++;
    }
    c->held_mask |= (uint64_t)1 << (i < max ? i : max - 1);
}

/* The held values of a mask, as the result lists them. */
static int record_held(lp__calc *c, lp__heldset *out, uint64_t mask)
{
    size_t i, n = 0;
    char day[11];
    out->n = 0;
    if (!mask)
        return LP_OK;
    for (i = 0; i < c->nheld; i++)
        n += (mask >> i) & 1;
    if (!(out->v = lp__arena_alloc(c->r->arena, n * sizeof *out->v)))
        return LP_ENOMEM;
    for (i = 0; i < c->nheld; i++) {
        lp__held *h = &out->v[out->n];
        const lp__span *span;
        if (!((mask >> i) & 1))
            continue;
        if (c->heldv[i].p) {
            const lp__pvalue *last = &c->heldv[i].p->values[c->heldv[i].p->nvalues - 1];
            h->name = c->heldv[i].p->id;
            h->cite = last->cite.text;
            span = &last->span;
        } else {
            const lp__tversion *last = lp__table_at(c->heldv[i].t, LP__DAY_MAX);
            h->name = c->heldv[i].t->id;
            h->cite = last->cite.text;
            span = &last->span;
        }
        lp__day_format(day, span->to + 1);
        if (!(h->since = lp__arena_strdup(c->r->arena, day)))
            return LP_ENOMEM;
        out->n++;
    }
    return LP_OK;
}

/* ---------------------------------------------------------------- trace */

static const char *val_text(lp__calc *c, lp__tkind k, const lp__val *v)
{
    char buf[11];
    switch (k) {
    case LP__T_NUMBER: return lp__number_text(c->r, v->q);
    case LP__T_MONEY: return lp__value_text(c->r, v->q);
    case LP__T_DATE:
        lp__day_format(buf, v->day);
        return lp__arena_strdup(c->r->arena, buf);
    case LP__T_BOOL: return v->b ? "true" : "false";
    case LP__T_TEXT: return v->text ? v->text : "";
    }
    return "";
}

/* A definition's value for a trace: as val_text, and a number the rules
 * display as a percentage (display="percent") x 100 with "%": "95.85467%". */
static const char *define_text(lp__calc *c, const lp__define *d, const lp__val *v)
{
    const char *n;
    char *out;
    size_t len;
    mpq_t pct;
    if (!d->percent || d->type.kind != LP__T_NUMBER)
        return val_text(c, d->type.kind, v);
    mpq_init(pct);
    mpq_set_ui(pct, 100, 1);
    mpq_mul(pct, pct, v->q);
    n = lp__number_text(c->r, pct);
    mpq_clear(pct);
    if (!n)
        return NULL;
    len = strlen(n) + 2;
    if ((out = lp__arena_alloc(c->r->arena, len)))
        snprintf(out, len, "%s%%", n);
    return out;
}

/* The citation of a dated rule-set value on a step's input. */
static void trace_cite(lp__calc *c, lp__kv *kv, lp__day at, const lp__cite *cite)
{
    char buf[11];
    lp__day_format(buf, at);
    kv->at = lp__arena_strdup(c->r->arena, buf);
    kv->cite = cite->text;
    if (cite->source) {
        kv->source = cite->source->id;
        kv->grade = cite->source->grade;
    }
}

/* The band of a table version that holds x: "min..max", "min.." when open,
 * "default" when none does (the table's default was used). */
static const char *trace_row(lp__calc *c, const lp__tversion *ver, mpq_srcptr x)
{
    size_t i;
    for (i = 0; i < ver->nrows; i++) {
        const lp__row *r = &ver->rows[i];
        if (lp__q_cmp(x, r->min) >= 0 && (!r->max || lp__q_cmp(x, r->max) <= 0)) {
            const char *lo = lp__number_text(c->r, r->min);
            const char *hi = r->max ? lp__number_text(c->r, r->max) : "";
            size_t n = (lo ? strlen(lo) : 0) + (hi ? strlen(hi) : 0) + 3;
            char *band = lp__arena_alloc(c->r->arena, n);
            if (band && lo && hi)
                snprintf(band, n, "%s..%s", lo, hi);
            return band;
        }
    }
    return "default";
}

/* The date a parameter or table look-up reads at: its `at`, or the claim date. */
static int trace_day(lp__calc *c, const lp__expr *e, lp__day *out)
{
    if (!e->at) {
        *out = c->env.claim_day;
        return LP_OK;
    }
    return lp__formula_eval_day(&c->env, e->at, out);
}

/* A parameter as an input of a step: its value, the date it was read at and
 * the citation of the value in force on that date. */
static void trace_param(lp__calc *c, lp_trace_step *st, const lp__expr *e)
{
    const lp__param *p = &c->cur->s->params[e->index];
    size_t depth = c->env.scratch->depth;
    const lp__pvalue *pv;
    lp__kv *kv;
    lp__day d;
    lp__val v;
    memset(&v, 0, sizeof v);
    if ((v.q = lp__calc_tmp(c)) && lp__formula_eval(&c->env, e, &v) == LP_OK
        && (kv = lp__step_add_input(c->r, st, p->id, val_text(c, e->type.kind, &v))) && !kv->cite
        && trace_day(c, e, &d) == LP_OK && (pv = lp__param_at(p, d)))
        trace_cite(c, kv, d, &pv->cite);
    lp__scratch_pop_to(c->env.scratch, depth);
}

/* A look-up of a series or a table as an input of a step: "awi(2023)" with
 * the value it returned, the table's band matched and the citation of the
 * value or version used (its arguments hold no fold name: trace_inputs does
 * not enter a fold's body). */
static void trace_lookup(lp__calc *c, lp_trace_step *st, const lp__expr *e)
{
    size_t depth = c->env.scratch->depth;
    const char *id = e->op == LP__OP_SERIES ? c->cur->s->params[e->index].id
                                            : c->cur->s->tables[e->index].id;
    lp__val x, v;
    lp__kv *kv;
    lp__day d;
    memset(&x, 0, sizeof x);
    memset(&v, 0, sizeof v);
    if ((x.q = lp__calc_tmp(c)) && (v.q = lp__calc_tmp(c))
        && lp__formula_eval(&c->env, e->args[0], &x) == LP_OK
        && lp__formula_eval(&c->env, e, &v) == LP_OK) {
        const char *arg = lp__number_text(c->r, x.q);
        size_t n = strlen(id) + (arg ? strlen(arg) : 1) + 3;
        char *name = lp__arena_alloc(c->r->arena, n);
        if (name && arg) {
            snprintf(name, n, "%s(%s)", id, arg);
            kv = lp__step_add_input(c->r, st, name, val_text(c, e->type.kind, &v));
            if (kv && !kv->cite && e->op == LP__OP_SERIES) {
                const lp__param *p = &c->cur->s->params[e->index];
                const lp__pvalue *pv;
                d = lp__day_from_ymd((int)mpz_get_si(mpq_numref(x.q)), 1, 1);
                if ((pv = lp__param_at(p, d)))
                    trace_cite(c, kv, d, &pv->cite);
            } else if (kv && !kv->cite && trace_day(c, e, &d) == LP_OK) {
                const lp__tversion *ver = lp__table_at(&c->cur->s->tables[e->index], d);
                if (ver) {
                    trace_cite(c, kv, d, &ver->cite);
                    kv->row = trace_row(c, ver, x.q);
                }
            }
        }
    }
    lp__scratch_pop_to(c->env.scratch, depth);
}

/* The inputs of a step: the names its formula reads, with their values now. */
static void trace_inputs(lp__calc *c, lp_trace_step *st, const lp__expr *e)
{
    const char *name = NULL;
    size_t i;
    if (!e)
        return;
    switch (e->op) {
    case LP__OP_FOLD:
        /* the body reads the fold's names, which hold no value outside it:
         * list what the bounds and the start read; the fold's own figure is
         * the step's value */
        for (i = 0; i < LP__FOLD_ARG_BODY; i++)
            trace_inputs(c, st, e->args[i]);
        return;
    case LP__OP_SERIES:
    case LP__OP_TABLE:
        trace_lookup(c, st, e);
        break;
    case LP__OP_PARAM:
        trace_param(c, st, e);
        trace_inputs(c, st, e->at);
        return;
    case LP__OP_DEFINE: {
        const lp__define *d = &c->cur->s->defines[e->index];
        lp__val v;
        size_t depth = c->env.scratch->depth;
        memset(&v, 0, sizeof v);
        if ((v.q = lp__calc_tmp(c)) && lp__formula_eval(&c->env, e, &v) == LP_OK)
            lp__step_add_input(c->r, st, d->id, define_text(c, d, &v));
        lp__scratch_pop_to(c->env.scratch, depth);
        return;
    }
    case LP__OP_INPUT: name = c->cur->s->inputs[e->index].id; break;
    case LP__OP_BUILTIN: name = lp__builtin_name(e->index); break;
    default: break;
    }
    if (name) {
        lp__val v;
        size_t depth = c->env.scratch->depth;
        memset(&v, 0, sizeof v);
        if ((v.q = lp__calc_tmp(c)) && lp__formula_eval(&c->env, e, &v) == LP_OK)
            lp__step_add_input(c->r, st, name, val_text(c, e->type.kind, &v));
        lp__scratch_pop_to(c->env.scratch, depth);
        return;
    }
    trace_inputs(c, st, e->at);
    for (i = 0; i < e->nargs; i++)
        trace_inputs(c, st, e->args[i]);
}

lp_trace_step *lp__calc_step(lp__calc *c, const char *rule, const char *formula, const char *value,
                           const lp__cite *cite)
{
    lp_trace_step *st;
    if (!c->trace || !c->steps)
        return NULL;
    st = lp__steps_add(c->r, c->steps);
    if (!st)
        return NULL;
    st->rule = lp__arena_strdup(c->r->arena, rule);
    st->formula = formula;
    st->value = value;
    if (cite) {
        st->cite = cite->text;
        if (cite->source) {
            st->title = cite->source->title;
            st->url = cite->source->url;
        }
    }
    return st;
}

/* A definition computed in the current context: its own step, so an auditor
 * sees how every intermediate figure was built. */
static void trace_define(lp__calc *c, const lp__define *d, const lp__val *v)
{
    char rule[160];
    lp_trace_step *st;
    snprintf(rule, sizeof rule, "%s/define/%s[periods=%s]", c->cur->s->id, d->id,
             lp__value_text(c->r, c->periods));
    st = lp__calc_step(c, rule, d->f.text, define_text(c, d, v), &d->f.cite);
    if (st)
        trace_inputs(c, st, d->f.expr);
}

/* Evaluate the version of a dated formula in force on the claim date. */
static int eval_formula(lp__calc *c, const lp__formula *v, size_t n, const char *rule,
                        lp__val *out, lp__tkind k, const lp__formula **used)
{
    const lp__formula *f = lp__formula_at(v, n, c->h->claim);
    char buf[11];
    int rc;
    if (used)
        *used = f;
    if (!f) {
        lp__day_format(buf, c->h->claim);
        return lp__error_set_at(LP_ENOTFOUND, c->cur->s->file, v && n ? v[0].loc.line : 0, 0,
                                "%s%sno version of this formula is in force on the claim date %s",
                                rule, *rule ? ": " : "", buf);
    }
    c->env.file = c->cur->s->file;
    rc = lp__formula_eval(&c->env, f->expr, out);
    if (rc == LP_OK && c->trace) {
        lp_trace_step *st = lp__calc_step(c, rule, f->text, val_text(c, k, out), &f->cite);
        if (st)
            trace_inputs(c, st, f->expr);
    }
    return rc;
}

/* ---------------------------------------------------------------- periods */

/* Whole years from the birth date for from-age. */
lp__day lp__calc_age_start(const lp__calc *c, int years)
{
    return lp__day_add_years(c->h->birth, years);
}

/* A scheme's own intervals from a list of history periods, filtered by the
 * scheme's kinds and from-age, merged. */
static int own_intervals(lp__calc *c, const lp__scheme *s, const lp__hperiod *const *p, size_t n,
                         lp__interval **out, size_t *nout)
{
    lp__interval *v = lp__workspace_alloc_raw(&c->ws, (n ? n : 1) * sizeof *v);
    lp__day start = s->from_age >= 0 ? lp__calc_age_start(c, s->from_age) : LP__DAY_MIN;
    lp__day end = s->to_age >= 0 ? lp__calc_age_start(c, s->to_age) - 1 : LP__DAY_MAX;
    size_t i, k = 0;
    if (!v)
        return LP_ENOMEM;
    for (i = 0; i < n; i++) {
        if (!(p[i]->kind & s->kinds) || p[i]->to < start || p[i]->from > end || p[i]->count >= 0)
            continue;              /* (a counted period counts for its number: own_count) */
        v[k].from = p[i]->from < start ? start : p[i]->from;
        v[k].to = p[i]->to > end ? end : p[i]->to;
        v[k].kinds = p[i]->kind;
        k++;
    }
    *nout = lp__intervals_merge(v, k);
    *out = v;
    return LP_OK;
}

/* What a counted period (count=) can hold in the scheme's unit: its dates
 * counted by the scheme's rule. */
static int count_capacity(const lp__hperiod *p, lp__counting counting, mpq_t out)
{
    lp__interval one;
    one.from = p->from;
    one.to = p->to;
    one.kinds = p->kind;
    return lp__count_intervals(out, &one, 1, counting);
}

/* run->own, run->nown and run->own_count from run's periods: the dated ones
 * merged and counted by the scheme's rule, plus the number of each counted
 * period (within the scheme's kinds and ages: one cut by an age limit is an
 * error, its number cannot be split). */
static int own_count(lp__calc *c, lp__run *run)
{
    const lp__scheme *s = run->s;
    lp__day start = s->from_age >= 0 ? lp__calc_age_start(c, s->from_age) : LP__DAY_MIN;
    lp__day end = s->to_age >= 0 ? lp__calc_age_start(c, s->to_age) - 1 : LP__DAY_MAX;
    size_t i;
    if (own_intervals(c, s, run->periods, run->nperiods, &run->own, &run->nown) != LP_OK)
        return LP_ENOMEM;
    if (lp__count_intervals(run->own_count, run->own, run->nown, s->counting) != LP_OK)
        return lp_error_last()->code;
    for (i = 0; i < run->nperiods; i++) {
        const lp__hperiod *p = run->periods[i];
        if (p->count < 0 || !(p->kind & s->kinds) || p->to < start || p->from > end)
            continue;
        if (p->from < start || p->to > end)
            return lp__error_set_at(LP_EPARSE, c->h->file, p->line, p->column,
                                    "this %s period of %ld contributions crosses an age limit of the "
                                    "scheme: give the count of each side as its own period", p->scheme,
                                    p->count);
        mpz_add_ui(mpq_numref(run->own_count), mpq_numref(run->own_count),
                   (unsigned long)p->count * mpz_get_ui(mpq_denref(run->own_count)));
    }
    return LP_OK;
}

/* A count no greater than what its period can hold (38 weeks in a year, not 60). */
static int counts_fit(lp__calc *c, const lp__run *run)
{
    size_t i;
    mpq_ptr cap = lp__calc_tmp(c);
    size_t depth = c->env.scratch->depth - 1;
    int rc = cap ? LP_OK : LP_ENOMEM;
    for (i = 0; rc == LP_OK && i < run->nperiods; i++) {
        const lp__hperiod *p = run->periods[i];
        if (p->count < 0)
            continue;
        if ((rc = count_capacity(p, run->s->counting, cap)) != LP_OK)
            break;
        if (mpq_cmp_ui(cap, (unsigned long)p->count, 1) < 0) {
            char from[11], to[11];
            lp__day_format(from, p->from);
            lp__day_format(to, p->to);
            rc = lp__error_set_at(LP_ERANGE, c->h->file, p->line, p->column,
                                  "%ld contributions counted from %s to %s, which hold at most %s in "
                                  "the unit of scheme %s (%s)", p->count, from, to,
                                  lp__value_text(c->r, cap), p->scheme, lp__unit_name(run->s->unit));
        }
    }
    lp__scratch_pop_to(c->env.scratch, depth);
    return rc;
}

static int lump_sum_taken(const lp_calc_options *o, const lp__scheme *s)
{
    size_t i, k;
    size_t idlen = strlen(s->id);
    for (i = 0; o && i < o->nlump_sums_taken; i++) {
        const char *t = o->lump_sums_taken[i];
        if (strncmp(t, s->id, idlen) != 0 || t[idlen] != '/')
            continue;
        for (k = 0; k < s->nlumpsums; k++)
            if (strcmp(s->lumpsums[k].id, t + idlen + 1) == 0 && s->lumpsums[k].forfeits_periods)
                return 1;
    }
    return 0;
}

/* Parse a fact's text as a value of type t. */
static int parse_fact(lp__calc *c, const lp__fact *f, lp__type t, lp__factval *v)
{
    const char *file = c->h->file;
    const char *s = f->value;
    size_t len;
    while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
        s++;
    len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\n' || s[len - 1] == '\t' || s[len - 1] == '\r'))
        len--;
    if (!v->q && !(v->q = lp__scratch_push(c->held)))
        return LP_ENOMEM;
    switch (t.kind) {
    case LP__T_MONEY:
        if (f->currency[0] && strcmp(f->currency, t.currency) != 0)
            return lp__error_set_at(LP_ECURRENCY, file, f->line, f->column,
                                    "fact '%s' is in %s but scheme %s expects %s", f->name, f->currency,
                                    f->scheme, t.currency);
        /* fall through */
    case LP__T_NUMBER:
        if (lp__decimal_parse(v->q, s, len) != LP_OK)
            return lp__error_set_at(lp_error_last()->code, file, f->line, f->column, "fact '%s': %s",
                                    f->name, lp_error_last()->message);
        break;
    case LP__T_DATE:
        if (lp__day_parse(&v->day, s, len) != LP_OK)
            return lp__error_set_at(LP_EPARSE, file, f->line, f->column, "fact '%s': %s", f->name,
                                    lp_error_last()->message);
        break;
    case LP__T_BOOL:
        if (len == 4 && memcmp(s, "true", 4) == 0)
            v->b = 1;
        else if (!(len == 5 && memcmp(s, "false", 5) == 0))
            return lp__error_set_at(LP_EPARSE, file, f->line, f->column, "fact '%s': true or false expected",
                                    f->name);
        break;
    case LP__T_TEXT:
        v->text = lp__arena_strndup(c->r->arena, s, len);
        break;
    }
    v->set = 1;
    return LP_OK;
}

/* A fact bound to an input or an overridable definition: once only, and
 * within the input's declared range (money never below zero unless the input
 * says so). */
static int bind_fact(lp__calc *c, const lp__fact *f, lp__type t, const lp__input *in, lp__factval *v)
{
    const char *file = c->h->file;
    mpq_srcptr min = in ? in->min : NULL, max = in ? in->max : NULL;
    int rc;
    if (v->set)
        return lp__error_set_at(LP_EPARSE, file, f->line, f->column, "fact '%s' of scheme %s is given "
                                "twice (also on line %d): keep one", f->name, f->scheme, v->line);
    if ((rc = parse_fact(c, f, t, v)))
        return rc;
    v->line = f->line;
    if (t.kind != LP__T_NUMBER && t.kind != LP__T_MONEY)
        return LP_OK;
    if ((min && mpq_cmp(v->q, min) < 0) || (!min && t.kind == LP__T_MONEY && mpq_sgn(v->q) < 0)) {
        char *lo = min ? lp__rational_format(min) : NULL;
        rc = lp__error_set_at(LP_ERANGE, file, f->line, f->column, "fact '%s' is below %s, the least "
                              "value scheme %s accepts", f->name, lo ? lo : "0", f->scheme);
        lp__free(lo);
        return rc;
    }
    if (max && mpq_cmp(v->q, max) > 0) {
        char *hi = lp__rational_format(max);
        rc = lp__error_set_at(LP_ERANGE, file, f->line, f->column, "fact '%s' is above %s, the greatest "
                              "value scheme %s accepts", f->name, hi ? hi : "?", f->scheme);
        lp__free(hi);
        return rc;
    }
    return LP_OK;
}

/* A history fact supplies an <input> of the scheme, or replaces a definition
 * the rules mark overridable (an institution's own AIME); it can never
 * replace any other part of the law. */
static int bind_facts(lp__calc *c, lp__run *run)
{
    const lp__scheme *s = run->s;
    size_t i, k;
    int rc;
    for (i = 0; i < c->h->nfacts; i++) {
        const lp__fact *f = &c->h->facts[i];
        int found = 0;
        if (!lp__same_id(f->scheme, s->id))
            continue;
        for (k = 0; k < s->ninputs && !found; k++)
            if (lp__same_id(s->inputs[k].id, f->name)) {
                if ((rc = bind_fact(c, f, s->inputs[k].type, &s->inputs[k], &run->inputs[k])))
                    return rc;
                found = 1;
            }
        for (k = 0; k < s->ndefines && !found; k++)
            if (lp__same_id(s->defines[k].id, f->name)) {
                if (!s->defines[k].overridable)
                    return lp__error_set_at(LP_EPARSE, c->h->file, f->line, f->column,
                                            "fact '%s' names a figure scheme %s computes by law (%s, "
                                            "line %d): a fact can only supply an input the scheme "
                                            "declares", f->name, s->id, s->file, s->defines[k].f.loc.line);
                if ((rc = bind_fact(c, f, s->defines[k].type, NULL, &run->defines[k])))
                    return rc;
                found = 1;
            }
        {                          /* a history without employments: these facts stand for one */
            lp__type t;
            int slot = lp__employment_fact_slot(f->name, &t, s);
            if (slot >= 0) {
                if ((rc = bind_fact(c, f, t, NULL, &run->employment_facts[slot])))
                    return rc;
                found = 1;
            }
        }
        if (!found)
            return lp__error_set_at(LP_ENOTFOUND, c->h->file, f->line, f->column,
                                    "fact '%s' is not an input of scheme %s (%s)",
                                    f->name, s->id, s->file);
    }
    return LP_OK;
}

/* A period that ends after the claim date counts up to it (the law counts the
 * periods completed by then; an open end such as 9999-12-31 means "still
 * insured"); one that starts after it counts for nothing. Either way the
 * result notes it. Returns the period to count (a copy cut at the claim date,
 * in the workspace, or p itself when it starts after), NULL when out of memory. */
static const lp__hperiod *up_to_claim(lp__calc *c, const lp__hperiod *p)
{
    char from[11], to[11], claim[11], msg[256];
    lp__hperiod *cut;
    lp__day_format(from, p->from);
    lp__day_format(to, p->to);
    lp__day_format(claim, c->h->claim);
    if (p->from > c->h->claim) {
        snprintf(msg, sizeof msg, "the period from %s to %s starts after the claim date %s: it is "
                 "left out", from, to, claim);
        return lp__result_add_note(c->r, p->scheme, p->line, p->column, msg) == LP_OK ? p : NULL;
    }
    snprintf(msg, sizeof msg, "the period from %s to %s ends after the claim date %s: it is counted "
             "up to the claim date", from, to, claim);
    if (lp__result_add_note(c->r, p->scheme, p->line, p->column, msg) != LP_OK)
        return NULL;
    if (!(cut = lp__workspace_alloc_raw(&c->ws, sizeof *cut)))
        return NULL;
    *cut = *p;
    cut->to = c->h->claim;
    cut->to_month = lp__month_index(c->h->claim);
    return cut;
}

static int same_earnings(const lp__hperiod *a, const lp__hperiod *b)
{
    if (a->count != b->count)  /* two counts on the same dates are two records */
        return 0;
    if (a->employment || b->employment)    /* two employers on the same dates are two */
        return a->employment && b->employment && strcmp(a->employment->employer, b->employment->employer) == 0;
    if (!a->monthly || !b->monthly)
        return !a->monthly && !b->monthly;
    return strcmp(a->currency, b->currency) == 0 && mpq_equal(a->monthly, b->monthly);
}

static int cmp_period(const void *x, const void *y)
{
    const lp__hperiod *a = *(const lp__hperiod *const *)x, *b = *(const lp__hperiod *const *)y;
    if (a->from != b->from)
        return a->from < b->from ? -1 : 1;
    if (a->to != b->to)
        return a->to < b->to ? -1 : 1;
    return (a->kind > b->kind) - (a->kind < b->kind);
}

/* The same period listed twice (same dates, kind and earnings) is an input
 * error, never money counted twice. Concurrent periods that differ (two
 * employers in the same months) are the scheme's business: their months count
 * once, and their earnings add or the highest counts (concurrent-earnings). */
static int no_duplicates(lp__calc *c, const lp__run *run)
{
    const lp__hperiod **v;
    size_t i;
    for (i = 1; i < run->nperiods; i++)   /* strictly in order (the usual history): none twice */
        if (cmp_period(&run->periods[i - 1], &run->periods[i]) >= 0)
            break;
    if (i >= run->nperiods)
        return LP_OK;
    if (!(v = lp__workspace_alloc_raw(&c->ws, run->nperiods * sizeof *v)))
        return LP_ENOMEM;
    memcpy(v, run->periods, run->nperiods * sizeof *v);
    qsort(v, run->nperiods, sizeof *v, cmp_period);
    for (i = 1; i < run->nperiods; i++) {
        const lp__hperiod *a = v[i - 1], *b = v[i];
        if (cmp_period(&v[i - 1], &v[i]) == 0 && same_earnings(a, b)) {
            const lp__hperiod *later = a->line > b->line ? a : b, *first = later == a ? b : a;
            return lp__error_set_at(LP_EPARSE, c->h->file, later->line, later->column,
                                    "this %s period is listed twice (the same dates, kind and earnings "
                                    "as on line %d): remove one", later->scheme, first->line);
        }
    }
    return LP_OK;
}

/* A counted period (count=) that ends after the claim date: its number is
 * for all its dates and cannot be cut at the claim, so it is left out, with
 * a note (a record year still open on the claim date has not been counted). */
static int counted_after_claim(lp__calc *c, const lp__hperiod *p)
{
    char from[11], to[11], claim[11], msg[256];
    lp__day_format(from, p->from);
    lp__day_format(to, p->to);
    lp__day_format(claim, c->h->claim);
    snprintf(msg, sizeof msg, "the %ld contributions counted from %s to %s end after the claim date %s: "
             "a number cannot be cut at the claim, so they are left out", p->count, from, to, claim);
    return lp__result_add_note(c->r, p->scheme, p->line, p->column, msg);
}

/* pscheme[i]: the rule-set index of period i's scheme (worked out once, so
 * that no scheme is looked up by name per period and scheme). */
static int init_run(lp__calc *c, lp__run *run, const lp__scheme *s, const int *pscheme)
{
    size_t i;
    int rc, taken = lump_sum_taken(c->opts, s), si = (int)(s - c->rs->schemes);
    run->s = s;
    if (!(run->own_count = lp__scratch_push(c->held)))
        return LP_ENOMEM;
    /* in the workspace's bottom: they live as long as the calculation */
    run->periods = lp__workspace_alloc_raw(&c->ws, (c->h->nperiods ? c->h->nperiods : 1) * sizeof *run->periods);
    run->inputs = lp__workspace_alloc(&c->ws, (s->ninputs ? s->ninputs : 1) * sizeof *run->inputs);
    run->defines = lp__workspace_alloc(&c->ws, (s->ndefines ? s->ndefines : 1) * sizeof *run->defines);
    if (!run->periods || !run->inputs || !run->defines)
        return LP_ENOMEM;
    for (i = 0; i < c->h->nperiods && !taken; i++) {
        const lp__hperiod *p = &c->h->periods[i];
        if (pscheme[i] != si)
            continue;
        /* a scheme sums earnings in its own currency; converting is the caller's
         * business, with its own dated rates (lp_money_convert) */
        if (p->monthly && !lp__same_id(p->currency, s->currency))
            return lp__error_set_at(LP_ECURRENCY, c->h->file, p->line, p->column,
                                    "earnings in %s for scheme %s, which counts in %s: convert them "
                                    "first (rates and their dates are the caller's)", p->currency,
                                    s->id, s->currency);
        if (p->count >= 0 && p->to > c->h->claim) {
            if ((rc = counted_after_claim(c, p)))
                return rc;
            continue;
        }
        if (p->to > c->h->claim && !(p = up_to_claim(c, p)))
            return LP_ENOMEM;
        if (p->from <= c->h->claim)        /* (one wholly after it is left out, with a note) */
            run->periods[run->nperiods++] = p;
    }
    if ((rc = no_duplicates(c, run)))
        return rc;
    if ((rc = counts_fit(c, run)) || (rc = own_count(c, run)))
        return rc;
    return bind_facts(c, run);
}

static const lp__benefit *find_benefit(const lp__scheme *s, const char *id);

/* The claimed benefit must be one that some scheme of the rule set defines:
 * a typo ("old_age", "disability") would otherwise report every scheme as
 * not covered. The error lists the benefits the rule set knows. */
static int known_benefit(lp__calc *c)
{
    char known[512] = "";
    size_t i, k, j, len = 0;
    for (i = 0; i < c->rs->nschemes; i++)
        for (k = 0; k < c->rs->schemes[i].nbenefits; k++)
            if (lp__same_id(c->rs->schemes[i].benefits[k].id, c->h->benefit))
                return LP_OK;
    /* not found: list each benefit id once (the first scheme that defines it) */
    for (i = 0; i < c->rs->nschemes; i++)
        for (k = 0; k < c->rs->schemes[i].nbenefits; k++) {
            const char *id = c->rs->schemes[i].benefits[k].id;
            int seen = 0;
            for (j = 0; j < i && !seen; j++)
                seen = find_benefit(&c->rs->schemes[j], id) != NULL;
            if (!seen && len + strlen(id) + 3 < sizeof known)
                len += (size_t)snprintf(known + len, sizeof known - len, "%s%s", len ? ", " : "", id);
        }
    if (!len)                      /* a rule set of lump sums and awards only */
        return LP_OK;
    return lp__error_set_at(LP_ENOTFOUND, c->h->file, c->h->claim_line, c->h->claim_column,
                            "the claim is for the benefit '%s', which no scheme of the rule set "
                            "defines; known benefits: %s", c->h->benefit, known);
}

/* "unknown scheme 'X': no rule file defines it; known schemes: A, B, ..." */
static int unknown_scheme(lp__calc *c, const char *id, int line, int column)
{
    char known[1024] = "";
    size_t i, len = 0;
    for (i = 0; i < c->rs->nschemes && len + strlen(c->rs->schemes[i].id) + 8 < sizeof known; i++)
        len += (size_t)snprintf(known + len, sizeof known - len, "%s%s", i ? ", " : "", c->rs->schemes[i].id);
    if (i < c->rs->nschemes)
        snprintf(known + len, sizeof known - len, ", ...");
    return lp__error_set_at(LP_ENOTFOUND, c->h->file, line, column,
                            "unknown scheme '%s': no rule file defines it; known schemes: %s", id,
                            c->rs->nschemes ? known : "(none)");
}

/* A nationality or residence must be a country code of the rule set's list
 * (rules/countries.xml, ISO 3166-1), where it has one. */
static int known_country(lp__calc *c, const char *what, const char *code)
{
    if (lp__ruleset_knows_country(c->rs, code))
        return LP_OK;
    return lp__error_set_at(LP_ENOTFOUND, c->h->file, c->h->person_line, c->h->person_column,
                            "%s '%s' is not a country code the rule set knows (ISO 3166-1 "
                            "alpha-2: the %zu codes of its countries.xml)", what, code, c->rs->ncountries);
}

/* One run per scheme the history names, in rule-set order; an unknown scheme is an error. */
static int setup_runs(lp__calc *c)
{
    size_t i;
    int rc, k;
    int *pscheme = lp__workspace_alloc_raw(&c->ws, (c->h->nperiods ? c->h->nperiods : 1) * sizeof *pscheme);
    unsigned char *used = lp__workspace_alloc(&c->ws, c->rs->nschemes ? c->rs->nschemes : 1);
    if (!pscheme || !used)
        return LP_ENOMEM;
    if ((rc = known_benefit(c)) || (rc = known_country(c, "nationality", c->h->nationality))
        || (rc = known_country(c, "residence", c->h->residence)))
        return rc;
    for (i = 0; i < c->h->nperiods; i++) {
        const lp__hperiod *p = &c->h->periods[i];
        if (p->from < c->h->birth) {
            char from[11], birth[11];
            lp__day_format(from, p->from);
            lp__day_format(birth, c->h->birth);
            return lp__error_set_at(LP_EPARSE, c->h->file, p->line, p->column,
                                    "this %s period starts (%s) before the worker was born (%s)",
                                    p->scheme, from, birth);
        }
        if ((k = pscheme[i] = lp__ruleset_scheme_index(c->rs, c->h->periods[i].scheme)) < 0)
            return unknown_scheme(c, c->h->periods[i].scheme, c->h->periods[i].line, c->h->periods[i].column);
        used[k] = 1;
    }
    for (i = 0; i < c->h->nfacts; i++) {
        if ((k = lp__ruleset_scheme_index(c->rs, c->h->facts[i].scheme)) < 0)
            return unknown_scheme(c, c->h->facts[i].scheme, c->h->facts[i].line, c->h->facts[i].column);
        used[k] = 1;
    }
    for (i = 0; i < c->h->nbalances; i++) {
        if ((k = lp__ruleset_scheme_index(c->rs, c->h->balances[i].scheme)) < 0)
            return unknown_scheme(c, c->h->balances[i].scheme, c->h->balances[i].line, c->h->balances[i].column);
        used[k] = 1;
    }
    c->runs = lp__workspace_alloc(&c->ws, (c->rs->nschemes ? c->rs->nschemes : 1) * sizeof *c->runs);
    if (!c->runs)
        return LP_ENOMEM;
    c->nruns = c->rs->nschemes;
    for (i = 0; i < c->rs->nschemes; i++)
        if (used[i] && (rc = init_run(c, &c->runs[i], &c->rs->schemes[i], pscheme)))
            return rc;
    return LP_OK;
}

/* ---------------------------------------------------------------- totalisation */

static const lp__benefit *find_benefit(const lp__scheme *s, const char *id)
{
    size_t i;
    for (i = 0; i < s->nbenefits; i++)
        if (lp__same_id(s->benefits[i].id, id))
            return &s->benefits[i];
    return NULL;
}

static int covers(const lp__totalisation *t, const char *benefit)
{
    size_t i;
    for (i = 0; i < t->nbenefits; i++)
        if (lp__same_id(t->benefits[i], benefit))
            return 1;
    return 0;
}

/* ---------------------------------------------------------------- routes */

/* Route statuses: every route's status is one of these (or the independent
 * route's, copied), so they are compared as pointers. */
static const char ST_PAYABLE[] = "payable", ST_NOT_ELIGIBLE[] = "not-eligible",
                  ST_NOT_IN_FORCE[] = "not-in-force", ST_BELOW_MINIMUM[] = "below-minimum",
                  ST_CANNOT_COMPUTE[] = "cannot-compute";

typedef struct route {
    const lp__agreement *a;        /* NULL: independent */
    const lp__totalisation *t;
    const char *status, *method;
    int eligible;
    int computed;                  /* amounts below are set */
    mpq_ptr total;                 /* a route that does not totalise points at the run's own count */
    mpq_ptr theoretical, pro_rata, direct, payable;
    mpq_ptr pro_rata_exact, payable_exact;   /* before the rules' rounding */
    int has_theoretical, has_pro_rata, has_direct;
    const lp__failure *failure;    /* status cannot-compute: why */
} route;

/* A route's rationals come from the calculation's route pool, each when the
 * route first needs it (most agreement routes stop before they compute an
 * amount); the pool is emptied for each entitlement and its slots reused, so
 * a calculation initialises only as many as its busiest entitlement uses. */
static void route_init(route *r)
{
    memset(r, 0, sizeof *r);
}

/* *field, taken from the pool (zero) if the route has none yet. */
static int route_q(lp__calc *c, mpq_ptr *field)
{
    if (*field)
        return LP_OK;
    return (*field = lp__scratch_push_zero(c->route_q)) ? LP_OK : LP_ENOMEM;
}

/* The rationals every computed route has: periods and what it pays. */
static int route_basic(lp__calc *c, route *r)
{
    int rc = route_q(c, &r->total);
    if (rc == LP_OK)
        rc = route_q(c, &r->payable);
    if (rc == LP_OK)
        rc = route_q(c, &r->payable_exact);
    return rc;
}

static int apply_rounding(lp__calc *c, const lp__benefit *b, lp__round_of of, mpq_t x, const char *rule)
{
    const lp__round_rule *rr = lp__rounding_at(b, of, c->h->claim);
    if (!rr)
        return LP_OK;
    if (lp__round(x, x, rr->step, rr->mode) != LP_OK)
        return lp_error_last()->code;
    if (c->trace) {
        char f[96];
        char *st = lp__rational_format(rr->step);
        if (!st)
            return LP_ENOMEM;
        snprintf(f, sizeof f, "round(%s, %s, %s)", of == LP__ROUND_OF_PAYABLE ? "payable" : "pro-rata",
                 st, lp__rounding_name(rr->mode));
        lp__free(st);
        lp__calc_step(c, rule, lp__arena_strdup(c->r->arena, f), lp__value_text(c->r, x), &rr->cite);
    }
    return LP_OK;
}

static int eval_bool(lp__calc *c, const lp__formula *v, size_t n, const char *rule, int *out)
{
    lp__val val;
    size_t depth = c->env.scratch->depth;
    int rc;
    memset(&val, 0, sizeof val);
    if (!(val.q = lp__calc_tmp(c)))
        return LP_ENOMEM;
    rc = eval_formula(c, v, n, rule, &val, LP__T_BOOL, NULL);
    *out = val.b;
    lp__scratch_pop_to(c->env.scratch, depth);
    return rc;
}

static int eval_money(lp__calc *c, const lp__formula *v, size_t n, const char *rule, mpq_t out)
{
    lp__val val;
    memset(&val, 0, sizeof val);
    val.q = out;
    return eval_formula(c, v, n, rule, &val, LP__T_MONEY, NULL);
}

/* The name of a rule in traces ("PH-SSS/old-age/amount[theoretical]"); only
 * formatted when a trace is kept, since the hot path has no use for it. */
static char *rule_name(const lp__calc *c, char *buf, size_t cap, const lp__scheme *s,
                       const lp__benefit *b, const char *what, const char *route_name)
{
    if (!c->trace) {
        buf[0] = '\0';
        return buf;
    }
    snprintf(buf, cap, "%s/%s/%s[%s]", s->id, b->id, what, route_name);
    return buf;
}

/* The independent route (a national benefit on national periods alone, no
 * agreement: shared/domain/RULES.md 1.1; the "independent benefit" of
 * bilateral agreements, the "national benefit" of EC 883/2004 Art 52(1)(a)).
 * Computes: in the context of the run's own periods (periods = own_periods,
 * totalised false) the benefit's eligibility and, when eligible, its amount
 * and the payable amount rounded as the scheme's `payable` rounding says.
 * Assumes: c->cur is run, the route pool was emptied for this entitlement.
 * Returns LP_OK with r->status "payable" or "not-eligible" (r->computed is 1
 * either way, r->payable_exact is the amount before rounding), or the first
 * evaluation error (a fact missing, a parameter without a value on a date),
 * which the caller turns into a "cannot-compute" route (route_failed). */
static int independent_route(lp__calc *c, lp__run *run, const lp__benefit *b, route *r)
{
    char name[160];
    int rc;
    r->total = (mpq_ptr)run->own_count;     /* read only: its own periods */
    if ((rc = route_basic(c, r)))
        return rc;
    set_context(c, run->own_count, 0, NULL);
    rc = eval_bool(c, b->eligible, b->neligible, rule_name(c, name, sizeof name, run->s, b, "eligible", "independent"),
                   &r->eligible);
    r->computed = 1;
    r->method = "independent";
    if (rc)
        return rc;
    if (!r->eligible) {
        r->status = ST_NOT_ELIGIBLE;
        return LP_OK;
    }
    rc = eval_money(c, b->amount, b->namount, rule_name(c, name, sizeof name, run->s, b, "amount", "independent"),
                    r->payable);
    mpq_set(r->payable_exact, r->payable);
    if (rc == LP_OK)
        rc = apply_rounding(c, b, LP__ROUND_OF_PAYABLE, r->payable,
                            rule_name(c, name, sizeof name, run->s, b, "payable", "independent"));
    r->status = ST_PAYABLE;
    return rc;
}

/* The pro-rata fraction of a totalised benefit (RULES.md 1.2: the theoretical
 * amount on all periods x own periods / total periods; EC 883/2004 Art
 * 52(1)(b)(ii)), as the agreement's totalisation chooses it (rules/README.md
 * 6.1, t->ratio): the scheme's own <ratio> formula (evaluated in the
 * totalised context the caller set), when the scheme has one; own_periods /
 * the agreement's ratio-denominator; own_periods / its theoretical-periods;
 * else own_periods / r->total, the total capped at the benefit's
 * max-periods. Assumes r->total is the route's totalised periods. Writes
 * ratio; returns LP_OK, LP_EDIVZERO for no periods at all, or an evaluation
 * error. */
static int pro_rata_ratio(lp__calc *c, const lp__run *run, const lp__benefit *b, const lp__totalisation *t,
                          const route *r, mpq_t ratio)
{
    char name[160];
    const char *how;
    if (t->ratio == LP__RATIO_SCHEME && b->nratio) {
        lp__val v;
        memset(&v, 0, sizeof v);
        v.q = ratio;
        return eval_formula(c, b->ratio, b->nratio, rule_name(c, name, sizeof name, run->s, b, "ratio", t ? "totalised" : ""),
                            &v, LP__T_NUMBER, NULL);
    }
    if (t->ratio == LP__RATIO_OWN_DENOMINATOR) {
        lp__q_div(ratio, run->own_count, t->ratio_denominator);
        how = "own_periods / ratio-denominator";
    } else if (t->ratio == LP__RATIO_OWN_THEORETICAL) {
        lp__q_div(ratio, run->own_count, t->theoretical_periods);
        how = "own_periods / theoretical-periods";
    } else {
        mpq_srcptr den = r->total;
        if (b->max_periods && lp__q_cmp(den, b->max_periods) > 0)
            den = b->max_periods;
        if (mpq_sgn(den) == 0)
            return lp__error_set(LP_EDIVZERO, "%s: no periods to pro-rate over", run->s->id);
        lp__q_div(ratio, run->own_count, den);
        how = b->max_periods ? "own_periods / min(totalised, max-periods)" : "own_periods / totalised";
    }
    if (c->trace)
        lp__calc_step(c, rule_name(c, name, sizeof name, run->s, b, "ratio", "totalised"), how,
                      lp__value_text(c->r, ratio), &t->cite);
    return LP_OK;
}

/* One agreement's route for the benefit (RULES.md 1.2-1.4: totalisation of
 * insurance periods, then a pro-rata or a direct benefit; AGREEMENTS.md for
 * each agreement's article). Computes, in this order, stopping at the first
 * that settles it: the agreement not in force on the claim date ("not-in-
 * force"); only-if-not-eligible-alone with the independent route eligible
 * (the independent amount, method "independent"); fewer own periods than the
 * agreement's minimum ("below-minimum"); else the totalised periods (own +
 * partner periods converted: lp__calc_totalise), eligibility on them, and the
 * amount: pro-rata = theoretical amount (the formula on the totalised periods,
 * or on the agreement's theoretical-periods) x pro_rata_ratio, rounded as the
 * scheme's pro-rata rounding; direct = the formula on own periods with
 * totalised true (x own / flat-minimum, at most 1, for direct-flat); with
 * pay-higher the higher of that and the independent amount. The payable is
 * rounded as the scheme's payable rounding; payable_exact keeps it before.
 * Assumes: indep is this entitlement's independent route, already computed;
 * c->cur is run. Returns LP_OK with r's status set, or an evaluation error
 * (the caller's route_failed makes it "cannot-compute"). */
static int agreement_route(lp__calc *c, lp__run *run, const lp__benefit *b, const lp__agreement *a,
                           const lp__totalisation *t, const route *indep, route *r)
{
    char name[160];
    mpq_ptr converted = NULL, tmp = NULL;
    size_t depth = c->env.scratch->depth;
    int rc;
    r->a = a;
    r->t = t;
    r->method = t->method == LP__METHOD_PRO_RATA ? "pro-rata" : "direct";
    if (c->h->claim < a->in_force || c->h->claim > a->terminated) {
        r->status = ST_NOT_IN_FORCE;
        return LP_OK;
    }
    if (t->only_if_not_eligible_alone && indep->eligible) {
        /* the scheme pays on its own periods; the agreement is not used */
        r->status = indep->status;
        r->method = "independent";
        r->total = (mpq_ptr)run->own_count;   /* read only */
        if ((rc = route_basic(c, r)))
            return rc;
        mpq_set(r->payable, indep->payable);
        mpq_set(r->payable_exact, indep->payable_exact);
        r->eligible = 1;
        r->computed = 1;
        return LP_OK;
    }
    if (t->minimum_own && lp__q_cmp(run->own_count, t->minimum_own) < 0) {
        r->status = ST_BELOW_MINIMUM;
        return LP_OK;
    }
    if (!(converted = lp__calc_tmp(c)) || !(tmp = lp__calc_tmp(c)) || route_q(c, &r->total)) {
        rc = LP_ENOMEM;
        goto out;
    }
    rc = lp__calc_totalise(c, run, a, t, r->total, converted);
    if (rc)
        goto out;
    r->computed = 1;
    if (c->trace) {
        char f[128];
        snprintf(f, sizeof f, "own %s + converted partner periods", lp__value_text(c->r, run->own_count));
        lp__calc_step(c, rule_name(c, name, sizeof name, run->s, b, "periods", a->id), lp__arena_strdup(c->r->arena, f),
             lp__value_text(c->r, r->total), &t->cite);
    }
    set_context(c, r->total, 1, NULL);
    rc = eval_bool(c, b->eligible, b->neligible, rule_name(c, name, sizeof name, run->s, b, "eligible", a->id), &r->eligible);
    if (rc)
        goto out;
    if (!r->eligible) {
        r->status = ST_NOT_ELIGIBLE;
        goto out;
    }
    if ((rc = route_basic(c, r)))
        goto out;
    if (t->method == LP__METHOD_PRO_RATA || t->pay_higher) {
        if ((rc = route_q(c, &r->theoretical)) || (rc = route_q(c, &r->pro_rata))
            || (rc = route_q(c, &r->pro_rata_exact)))
            goto out;
        if (t->theoretical_periods)
            set_context(c, t->theoretical_periods, 1, NULL);
        rc = eval_money(c, b->amount, b->namount, rule_name(c, name, sizeof name, run->s, b, "amount", "theoretical"),
                        r->theoretical);
        r->has_theoretical = 1;
        if (rc == LP_OK) {
            set_context(c, r->total, 1, NULL);
            rc = pro_rata_ratio(c, run, b, t, r, tmp);
        }
        if (rc)
            goto out;
        lp__q_mul(r->pro_rata, r->theoretical, tmp);
        mpq_set(r->pro_rata_exact, r->pro_rata);
        if (c->trace)
            lp__calc_step(c, rule_name(c, name, sizeof name, run->s, b, "pro-rata", "exact"), "theoretical * ratio",
                 lp__value_text(c->r, r->pro_rata), &t->cite);
        rc = apply_rounding(c, b, LP__ROUND_OF_PRO_RATA, r->pro_rata,
                            rule_name(c, name, sizeof name, run->s, b, "pro-rata", a->id));
        r->has_pro_rata = 1;
        if (rc)
            goto out;
        mpq_set(r->payable, r->pro_rata);
    }
    if (t->method != LP__METHOD_PRO_RATA) {
        if ((rc = route_q(c, &r->direct)))
            goto out;
        if (t->method == LP__METHOD_DIRECT_FLAT) {
            lp__q_div(tmp, run->own_count, t->flat_minimum);
            if (mpq_cmp_ui(tmp, 1, 1) > 0)
                mpq_set_ui(tmp, 1, 1);
        }
        set_context(c, run->own_count, 1, t->method == LP__METHOD_DIRECT_FLAT ? tmp : NULL);
        rc = eval_money(c, b->amount, b->namount, rule_name(c, name, sizeof name, run->s, b, "amount", "direct"),
                        r->direct);
        r->has_direct = 1;
        if (rc)
            goto out;
        mpq_set(r->payable, r->direct);
    }
    if (t->pay_higher && indep->eligible && lp__q_cmp(indep->payable, r->payable) > 0) {
        mpq_set(r->payable, indep->payable);
        r->method = "independent";
        if (c->trace)
            lp__calc_step(c, rule_name(c, name, sizeof name, run->s, b, "payable", a->id),
                 "max(independent, pro-rata)", lp__value_text(c->r, r->payable), &t->cite);
    }
    mpq_set(r->payable_exact, r->t->method == LP__METHOD_PRO_RATA && strcmp(r->method, "independent")
            ? r->pro_rata_exact : r->payable);
    rc = apply_rounding(c, b, LP__ROUND_OF_PAYABLE, r->payable,
                        rule_name(c, name, sizeof name, run->s, b, "payable", a->id));
    r->status = ST_PAYABLE;
out:
    lp__scratch_pop_to(c->env.scratch, depth);
    return rc;
}

/* ---------------------------------------------------------------- export */


/* An export clause of an agreement in force (not excluded) lifts the scheme's
 * residence restrictions for residents of its parties. */
static const lp__clause *export_clause(lp__calc *c, const lp__scheme *s, const lp__agreement **which)
{
    size_t i, k;
    for (i = 0; i < c->rs->nagreements; i++) {
        const lp__agreement *a = &c->rs->agreements[i];
        if (lp__calc_excluded(c, a) || c->h->claim < a->in_force || c->h->claim > a->terminated
            || !lp__calc_party_country(a, c->h->residence))
            continue;
        for (k = 0; k < a->nexports; k++)
            if (a->exports[k].scheme >= 0 && &c->rs->schemes[a->exports[k].scheme] == s) {
                *which = a;
                return &a->exports[k];
            }
    }
    return NULL;
}

/* Whether the benefit is paid to the claimant's country of residence
 * (RULES.md 1.5, export of benefits; EC 883/2004 Art 7). *out is 1 when the
 * claimant resides in the scheme's country; else when an agreement in force
 * whose party is the country of residence has an export clause for the
 * scheme; else, when the scheme has an <export> condition, that condition,
 * evaluated in the context of the best route (its periods, totalised when it
 * is an agreement's) or of the own periods when no route pays (best NULL);
 * a scheme with neither is not paid abroad (0). Returns LP_OK or an
 * evaluation error. */
static int export_allowed(lp__calc *c, lp__run *run, const lp__benefit *b, const route *best, int *out)
{
    const lp__agreement *a = NULL;
    const lp__clause *cl;
    char name[160];
    *out = strcmp(c->h->residence, run->s->country) == 0;
    if (*out)
        return LP_OK;
    if ((cl = export_clause(c, run->s, &a))) {
        *out = 1;
        if (c->trace)
            lp__calc_step(c, rule_name(c, name, sizeof name, run->s, b, "export", a->id),
                 "residence is a party to the agreement", "true", &cl->cite);
        return LP_OK;
    }
    if (!run->s->nexports)
        return LP_OK;
    set_context(c, best && best->computed ? best->total : run->own_count, best && best->a != NULL, NULL);
    name[0] = '\0';
    if (c->trace)
        snprintf(name, sizeof name, "%s/export", run->s->id);
    return eval_bool(c, run->s->exports, run->s->nexports, name, out);
}

/* ---------------------------------------------------------------- entitlement */

/* Record an amount; exact is its value before the rules rounded it (or q). */
static int set_amount(lp__calc *c, lp_entitlement *e, lp_amount_kind kind, mpq_srcptr q, mpq_srcptr exact)
{
    lp__amount *a = lp__entitlement_amount(e, kind);
    return a ? lp__amount_set(c->r, a, kind, q, exact, e->currency) : LP_ERROR;
}

/* What a route pays, for the result's list of routes: NULL when it pays nothing. */
static mpq_srcptr route_payable(const route *r)
{
    return r->computed && r->status == ST_PAYABLE ? r->payable : NULL;
}

/* The result's value of a route status (one of the ST_ constants above). */
static lp_status status_code(const char *st)
{
    return st == ST_PAYABLE ? LP_STATUS_PAYABLE
           : st == ST_NOT_ELIGIBLE ? LP_STATUS_NOT_ELIGIBLE
           : st == ST_NOT_IN_FORCE ? LP_STATUS_NOT_IN_FORCE
           : st == ST_BELOW_MINIMUM ? LP_STATUS_BELOW_MINIMUM
           : st == ST_CANNOT_COMPUTE ? LP_STATUS_CANNOT_COMPUTE : lp_status_from_name(st);
}

/* Status when no route pays: the most telling reason. */
static const char *no_route_status(const route *routes, size_t n)
{
    size_t i;
    int below = 0, not_in_force = 0, evaluated = 0;
    for (i = 1; i < n; i++) {
        below |= routes[i].status == ST_BELOW_MINIMUM;
        not_in_force |= routes[i].status == ST_NOT_IN_FORCE;
        evaluated |= routes[i].status == ST_NOT_ELIGIBLE;
    }
    if (below)
        return ST_BELOW_MINIMUM;
    if (not_in_force && !evaluated)
        return ST_NOT_IN_FORCE;
    return ST_NOT_ELIGIBLE;
}

/* A route whose rules could not be computed for this career (rc is an error
 * other than out of memory): the route says why, and so does the entitlement
 * (its first such route), which then pays nothing rather than a figure that
 * may not be the most favourable. Other schemes are not affected. */
static int route_failed(lp__calc *c, lp_entitlement *e, route *r, int rc)
{
    if (rc == LP_OK || rc == LP_ENOMEM)
        return rc;
    r->status = ST_CANNOT_COMPUTE;
    r->method = "none";
    r->computed = 0;
    r->failure = lp__failure_from_error(c->r, c->env.gap.name, c->env.gap.day);
    c->env.gap.name = NULL;
    if (!r->failure)
        return LP_ENOMEM;
    if (!e->failure)
        e->failure = r->failure;
    return LP_OK;
}

/* Room for one more route: the first ROUTES_ON_STACK on the caller's stack,
 * then a heap array that doubles (no cap on the agreements of a scheme). */
#define ROUTES_ON_STACK 16

static int route_room(route **routes, size_t n, size_t *cap, route *on_stack)
{
    route *more;
    if (n < *cap)
        return LP_OK;
    if (!(more = lp__malloc(2 * *cap * sizeof *more)))
        return LP_ENOMEM;
    memcpy(more, *routes, n * sizeof *more);
    if (*routes != on_stack)
        lp__free(*routes);
    *routes = more;
    *cap *= 2;
    return LP_OK;
}

/* The entitlement of one scheme for the claimed benefit (DESIGN.md: the
 * result's entitlement; RULES.md 1.1-1.5): the independent route, then one
 * route per totalisation of an agreement (not excluded by the options) that
 * covers the scheme and benefit and whose partner schemes hold periods of the
 * career, with no limit on their number; the most favourable payable route
 * is taken (on a tie an agreement route that computed its own amounts wins
 * over the independent one: the comparison the agreement made), its amounts
 * recorded (independent, theoretical, pro-rata, direct, payable), every
 * route listed with its status, and the export decided. A scheme without
 * the claimed benefit gives "not-covered". A route that cannot be computed
 * makes the whole entitlement "cannot-compute" (no figure that might not be
 * the most favourable). Returns LP_OK, or LP_ENOMEM (evaluation errors are
 * recorded in the result, not returned). */
static int entitlement(lp__calc *c, lp__run *run)
{
    const lp__scheme *s = run->s;
    const lp__benefit *b = find_benefit(s, c->h->benefit);
    lp_entitlement *e = lp__result_add_entitlement(c->r);
    route on_stack[ROUTES_ON_STACK], *routes = on_stack;
    size_t nroutes = 0, cap = ROUTES_ON_STACK, i, k, best = 0, depth = c->env.scratch->depth;
    int rc = LP_OK, any = 0;

    if (!e)
        return LP_ENOMEM;
    c->cur = run;
    c->steps = &e->trace;
    e->scheme = s->id;
    e->benefit = c->h->benefit;
    e->currency = s->currency;
    e->unit = lp__unit_name(s->unit);
    e->residence = c->h->residence;
    e->own = lp__value_text(c->r, run->own_count);
    e->totalised = e->own;
    e->frequency = b ? lp_frequency_from_name(b->frequency) : LP_FREQUENCY_MONTHLY;
    if (!b) {
        e->status = LP_STATUS_NOT_COVERED;
        e->method = LP_METHOD_NONE;
        return LP_OK;
    }
    lp__scratch_pop_to(c->route_q, 0);     /* a new entitlement: the pool's slots are free */
    c->held_mask = 0;
    c->env.gap.name = NULL;
    route_init(&routes[nroutes]);
    rc = independent_route(c, run, b, &routes[nroutes]);
    rc = route_failed(c, e, &routes[nroutes++], rc);
    for (i = 0; rc == LP_OK && i < c->rs->nagreements; i++) {
        const lp__agreement *a = &c->rs->agreements[i];
        if (lp__calc_excluded(c, a))
            continue;
        for (k = 0; rc == LP_OK && k < a->ntotalisations; k++) {
            const lp__totalisation *t = &a->totalisations[k];
            if (t->scheme < 0 || &c->rs->schemes[t->scheme] != s || !covers(t, b->id)
                || !lp__calc_has_partner_periods(c, t))
                continue;
            if ((rc = route_room(&routes, nroutes, &cap, on_stack)))
                break;
            route_init(&routes[nroutes]);
            rc = agreement_route(c, run, b, a, t, &routes[0], &routes[nroutes]);
            rc = route_failed(c, e, &routes[nroutes++], rc);
        }
    }
    /* the most favourable route that pays (none while a route could not be computed) */
    for (i = 0; rc == LP_OK && !e->failure && i < nroutes; i++) {
        if (!routes[i].computed || routes[i].status != ST_PAYABLE)
            continue;
        /* on a tie an agreement's route that computed its own amounts wins over
         * the independent one: it carries the comparison (pay-the-higher) the law
         * made; a route that only deferred to the independent amount does not */
        if (!any || lp__q_cmp(routes[i].payable, routes[best].payable) > 0
            || (best == 0 && (routes[i].has_pro_rata || routes[i].has_direct)
                && lp__q_cmp(routes[i].payable, routes[best].payable) == 0))
            best = i;
        any = 1;
    }
    if (rc == LP_OK) {
        const route *r = &routes[best];
        e->eligible_alone = routes[0].eligible;
        for (i = 1; i < nroutes; i++)
            e->eligible_totalised |= routes[i].eligible;
        e->status = status_code(e->failure ? ST_CANNOT_COMPUTE : any ? ST_PAYABLE : no_route_status(routes, nroutes));
        e->method = any ? lp_method_from_name(r->method) : LP_METHOD_NONE;
        e->agreement = any && r->a && strcmp(r->method, "independent") != 0 ? r->a->id : NULL;
        if (any && r->a)
            e->totalised = lp__value_text(c->r, r->total);
        /* the independent amount is the formula's value; payable rounding is for what is paid */
        if (!e->failure)
            rc = set_amount(c, e, LP_AMOUNT_INDEPENDENT, routes[0].payable_exact, NULL);
        if (rc == LP_OK && any && r->has_theoretical)
            rc = set_amount(c, e, LP_AMOUNT_THEORETICAL, r->theoretical, NULL);
        if (rc == LP_OK && any && r->has_pro_rata)
            rc = set_amount(c, e, LP_AMOUNT_PRO_RATA, r->pro_rata, r->pro_rata_exact);
        if (rc == LP_OK && any && r->has_direct)
            rc = set_amount(c, e, LP_AMOUNT_DIRECT, r->direct, NULL);
        if (rc == LP_OK && !e->failure) {
            mpq_ptr zero = lp__calc_tmp(c);   /* popped below */
            rc = zero ? set_amount(c, e, LP_AMOUNT_PAYABLE, any ? r->payable : zero, any ? r->payable_exact : NULL)
                      : LP_ENOMEM;
        }
        for (i = 0; rc == LP_OK && i < nroutes; i++)
            rc = lp__entitlement_add_route(c->r, e, routes[i].a ? routes[i].a->id : NULL,
                                           status_code(routes[i].status),
                                           routes[i].computed || i == 0 ? lp_method_from_name(routes[i].method)
                                                                        : LP_METHOD_NONE,
                                           route_payable(&routes[i]),
                                           routes[i].failure ? routes[i].failure->message : NULL);
        if (rc == LP_OK && !e->failure) {
            route exp;             /* where export cannot be computed, neither can the entitlement */
            route_init(&exp);
            rc = export_allowed(c, run, b, any ? r : NULL, &e->export_allowed);
            if ((rc = route_failed(c, e, &exp, rc)) == LP_OK && e->failure) {
                e->status = LP_STATUS_CANNOT_COMPUTE;
                e->method = LP_METHOD_NONE;
                e->agreement = NULL;
                e->namounts = 0;
            }
        }
        if (rc == LP_OK)
            rc = record_held(c, &e->held, c->held_mask);
    }
    if (routes != on_stack)
        lp__free(routes);
    lp__scratch_pop_to(c->env.scratch, depth);
    return rc;
}

/* ---------------------------------------------------------------- lump sums */

/* One lump-sum option on the periods of run (all the scheme's, or one
 * employer's: employer is then its name). */
static int lump_sum_option(lp__calc *c, lp__run *run, const lp__lumpsum *ls, const char *employer)
{
    const lp__scheme *s = run->s;
    size_t k;
    char name[240];
    int rc = LP_OK;
    {
        lp_lump_sum *l = lp__result_add_lump_sum(c->r);
        mpq_ptr amount = NULL;
        size_t depth = c->env.scratch->depth;
        if (!l)
            return LP_ENOMEM;
        c->steps = &l->trace;
        l->scheme = s->id;
        l->option = ls->id;
        if (employer && !(l->employer = lp__arena_strdup(c->r->arena, employer)))
            return LP_ENOMEM;
        l->kind = lp_lump_sum_kind_from_name(ls->kind);
        l->currency = s->currency;
        l->forfeits_periods = ls->forfeits_periods;
        l->available = 1;
        l->conditions = lp__arena_alloc(c->r->arena, (ls->nconditions ? ls->nconditions : 1) * sizeof *l->conditions);
        if (!l->conditions || !(amount = lp__calc_tmp(c)))
            return LP_ENOMEM;
        set_context(c, run->own_count, 0, NULL);
        c->held_mask = 0;
        c->env.gap.name = NULL;
        for (k = 0; k < ls->nconditions; k++) {   /* every condition is listed, even past an error */
            l->conditions[k].id = ls->conditions[k].id;
            l->conditions[k].cite = ls->conditions[k].f.cite.text;
            l->conditions[k].met = 0;
        }
        for (k = 0; rc == LP_OK && k < ls->nconditions; k++) {
            name[0] = '\0';
            if (c->trace)
                snprintf(name, sizeof name, "%s/%s%s%s/condition/%s", s->id, ls->id, employer ? "/" : "",
                         employer ? employer : "", ls->conditions[k].id);
            rc = eval_bool(c, &ls->conditions[k].f, 1, name, &l->conditions[k].met);
            l->available &= l->conditions[k].met;
        }
        l->nconditions = ls->nconditions;
        if (rc == LP_OK) {
            name[0] = '\0';
            if (c->trace)
                snprintf(name, sizeof name, "%s/%s%s%s/amount", s->id, ls->id, employer ? "/" : "",
                         employer ? employer : "");
            rc = eval_money(c, ls->amount, ls->namount, name, amount);
            if (rc != LP_OK && !l->available) {
                rc = LP_OK;     /* not available, and not computable either (below the first band) */
                mpq_set_ui(amount, 0, 1);
            }
        }
        if (rc != LP_OK && rc != LP_ENOMEM) {
            /* the rules cannot compute this option for this career (a rate with no value
             * on a date, a fact missing): say so on the option, keep every other figure */
            const lp_error *err = lp_error_last();
            char msg[1200];
            snprintf(msg, sizeof msg, "%s:%d:%d: %s", err->file ? err->file : "", err->line,
                     err->column, err->message);
            l->error = lp__arena_strdup(c->r->arena, msg);
            l->available = 0;
            mpq_set_ui(amount, 0, 1);
            c->env.gap.name = NULL;
            rc = LP_OK;
        }
        if (rc == LP_OK)
            rc = record_held(c, &l->held, c->held_mask);
        if (rc == LP_OK && (rc = lp__amount_text(c->r, amount, s->currency, &l->value, &l->exact)) == LP_OK
            && !(l->amount = lp__result_freeze(c->r, amount)))
            rc = LP_ENOMEM;
        lp__scratch_pop_to(c->env.scratch, depth);
    }
    return rc;
}

static const char *employer_of(const lp__hperiod *p)
{
    return p->employment ? p->employment->employer : NULL;
}

static int same_employer(const char *a, const char *b)
{
    return a && b ? strcmp(a, b) == 0 : a == b;
}

/* Make run's periods those of one employer (sub holds room for them all). */
static int select_employer(lp__calc *c, lp__run *run, const lp__hperiod **all, size_t nall,
                           const lp__hperiod **sub, const char *employer)
{
    size_t i;
    int rc;
    run->nperiods = 0;
    for (i = 0; i < nall; i++)
        if (same_employer(employer_of(all[i]), employer))
            sub[run->nperiods++] = all[i];
    run->periods = sub;
    if ((rc = own_count(c, run)))
        return rc;
    memset(c->def_state, 0, run->s->ndefines);   /* what was computed was for other periods */
    lp__aggregate_run_free(run);                  /* and so were the `year:` figures kept */
    return LP_OK;
}

/* A lump sum per="employment": one result per employer, in the order the
 * history first names them (periods with no employer are one more), each on
 * that employer's periods alone; run is then as it was. */
static int lump_sum_per_employment(lp__calc *c, lp__run *run, const lp__lumpsum *ls)
{
    const lp__hperiod **all = run->periods;
    size_t nall = run->nperiods, i, j;
    const lp__hperiod **sub = lp__workspace_alloc_raw(&c->ws, (nall ? nall : 1) * sizeof *sub);
    int rc = sub ? LP_OK : LP_ENOMEM;
    for (i = 0; rc == LP_OK && i < nall; i++) {
        for (j = 0; j < i && !same_employer(employer_of(all[j]), employer_of(all[i])); j++)
            ;
        if (j < i)                 /* done with the first of its periods */
            continue;
        if ((rc = select_employer(c, run, all, nall, sub, employer_of(all[i]))) == LP_OK)
            rc = lump_sum_option(c, run, ls, employer_of(all[i]));
    }
    run->periods = all;
    run->nperiods = nall;
    if (rc == LP_OK)
        rc = own_count(c, run);
    memset(c->def_state, 0, run->s->ndefines);
    lp__aggregate_run_free(run);
    return rc;
}

/* The lump-sum options of a scheme (RULES.md 1.6: a refund of contributions
 * or a provident fund's withdrawal, instead of or besides a pension; an
 * award an employer owes). For each option (once per employer for a lump
 * sum per="employment"), in the context of the run's own periods (not
 * totalised): every condition listed with whether it is met (evaluation stops at the first
 * error), available = all met, and the amount; an amount that cannot be
 * computed for an option that is not available anyway is 0 (below a table's
 * first band). Assumes c->r's result exists; a lump sum the caller says was
 * taken (options.lump_sums_taken) already removed the run's periods
 * (init_run). Returns LP_OK or LP_ENOMEM: an option the rules cannot compute
 * for this career carries its own error and is not available, and every
 * other figure stands. */
static int lump_sums(lp__calc *c, lp__run *run)
{
    size_t i;
    int rc = LP_OK;
    c->cur = run;
    for (i = 0; rc == LP_OK && i < run->s->nlumpsums; i++) {
        const lp__lumpsum *ls = &run->s->lumpsums[i];
        rc = ls->per_employment && run->nperiods ? lump_sum_per_employment(c, run, ls)
                                                 : lump_sum_option(c, run, ls, NULL);
    }
    return rc;
}

/* ---------------------------------------------------------------- entry */

static int receipt(lp__calc *c)
{
    c->r->history_id = lp__arena_strdup(c->r->arena, c->h->id);
    c->r->claim_date = lp__arena_strndup(c->r->arena, c->h->claim_text, 10);   /* YYYY-MM-DD */
    c->r->library_version = LP_VERSION_STRING;
    c->r->rules_digest = c->rs->digest;
    c->r->input_digest = lp__arena_strdup(c->r->arena, lp__history_digest(c->h));
    return c->r->history_id && c->r->claim_date && c->r->input_digest ? LP_OK : LP_ENOMEM;
}

static int alloc_defs(lp__calc *c)
{
    size_t i, max = 1;
    for (i = 0; i < c->rs->nschemes; i++)
        if (c->rs->schemes[i].ndefines > max)
            max = c->rs->schemes[i].ndefines;
    c->def_state = lp__workspace_alloc(&c->ws, max);
    c->def_val = lp__workspace_alloc(&c->ws, max * sizeof *c->def_val);
    c->def_held = lp__workspace_alloc_raw(&c->ws, max * sizeof *c->def_held);
    return c->def_state && c->def_val && c->def_held ? LP_OK : LP_ENOMEM;
}

static void scratchpad_init(lp_scratchpad *pad)
{
    lp__scratch_init(&pad->eval);
    lp__scratch_init(&pad->routes);
    lp__scratch_init(&pad->held);
}

LP_API int lp_scratchpad_new(lp_scratchpad **out)
{
    if (!out)
        return lp__error_set(LP_EINVAL, "lp_scratchpad_new: out is NULL");
    if (!(*out = lp__malloc(sizeof **out)))
        return LP_ENOMEM;      /* lp__malloc has set the error */
    scratchpad_init(*out);
    return LP_OK;
}

static void scratchpad_clear(lp_scratchpad *pad)
{
    lp__scratch_clear(&pad->eval);
    lp__scratch_clear(&pad->routes);
    lp__scratch_clear(&pad->held);
}

LP_API void lp_scratchpad_free(lp_scratchpad *pad)
{
    if (!pad)
        return;
    scratchpad_clear(pad);
    lp__free(pad);
}

LP_API int lp_calc(lp_result **out, const lp_ruleset *rs, lp_history *h, const lp_calc_options *opts)
{
    lp_scratchpad pad;             /* a calculation on its own frees all it took */
    int rc;
    scratchpad_init(&pad);
    rc = lp_calc_with_pad(out, &pad, rs, h, opts);
    scratchpad_clear(&pad);
    return rc;
}

LP_API int lp_calc_with_pad(lp_result **out, lp_scratchpad *pad, const lp_ruleset *rs, lp_history *h,
                            const lp_calc_options *opts)
{
    lp__calc c;
    size_t i;
    int rc;
    unsigned long failures = lp__alloc_failures();
    if (!out)
        return lp__error_set(LP_EINVAL, "lp_calc: out is NULL");
    *out = NULL;
    if (!rs || !h || !pad)
        return lp__error_set(LP_EINVAL, "lp_calc: rule set, history or scratch pad is NULL");
    if (opts && opts->version != LP_CALC_OPTIONS_VERSION)
        return lp__error_set(LP_EINVAL, "lp_calc: unknown options version %u", opts->version);
    if (opts && ((rc = lp__check_strings("lp_calc", "options.without_agreements", opts->without_agreements,
                                         opts->nwithout_agreements)) != LP_OK
                 || (rc = lp__check_strings("lp_calc", "options.lump_sums_taken", opts->lump_sums_taken,
                                            opts->nlump_sums_taken)) != LP_OK))
        return rc;
    if ((rc = lp_calc_options_check(rs, opts)) != LP_OK)
        return rc;
    memset(&c, 0, offsetof(lp__calc, ws));   /* the workspace's buffer needs no zeroing */
    c.rs = rs;
    c.h = h;
    c.opts = opts;
    c.trace = opts && (opts->flags & LP_CALC_TRACE);
    c.env.claim_day = h->claim;
    c.age = lp__age_on(h->birth, h->claim);
    c.env.define = cb_define;
    c.env.input = cb_input;
    c.env.builtin = cb_builtin;
    c.env.aggregate = lp__aggregate_eval;
    c.env.held = cb_held;
    c.nheld = 0;
    /* every pool starts empty; its slots keep their limbs from earlier calculations */
    pad->eval.depth = pad->routes.depth = pad->held.depth = 0;
    c.env.scratch = &pad->eval;
    c.route_q = &pad->routes;
    c.held = &pad->held;
    lp__workspace_init(&c.ws);
    if ((c.one = lp__scratch_push(c.held)))
        mpq_set_ui(c.one, 1, 1);
    c.r = c.one ? lp__result_new() : NULL;
    rc = c.r ? alloc_defs(&c) : LP_ENOMEM;
    if (rc == LP_OK)
        rc = receipt(&c);
    if (rc == LP_OK)
        rc = setup_runs(&c);
    for (i = 0; rc == LP_OK && i < c.nruns; i++) {
        if (!c.runs[i].s)
            continue;
        c.env.scheme = c.runs[i].s;
        memset(c.def_state, 0, c.runs[i].s->ndefines);   /* a new scheme: nothing is known */
        rc = entitlement(&c, &c.runs[i]);
        if (rc == LP_OK)
            rc = lump_sums(&c, &c.runs[i]);
    }
    for (i = 0; c.runs && i < c.nruns; i++)
        lp__aggregate_run_free(&c.runs[i]);
    lp__workspace_clear(&c.ws);
    /* an allocation that failed where the calculation went on (a trace step,
     * a formatted value) must not give a result with a hole in it */
    if (rc == LP_OK && lp__alloc_failures() != failures)
        rc = LP_ENOMEM;
    if (rc != LP_OK) {
        if (rc == LP_ENOMEM && lp_error_last()->code != LP_ENOMEM)
            lp__error_set(LP_ENOMEM, "out of memory");
        lp_result_free(c.r);
        return rc;
    }
    *out = c.r;
    lp_error_clear();              /* a route that could not be computed set one; it is in the result */
    return LP_OK;
}
