/* The evaluation context of a calculation (calc_internal.h): the callbacks
 * through which a formula reads the worker's facts, the scheme's definitions
 * and the built-in names; the values held past their last date; the trace of
 * each figure with the values and citations it read; and a scheme's run: the
 * worker's own periods in it (clipped at the claim, counted by its rule), its
 * facts bound to its inputs. The first link of the calculation's chain:
 * calc_context -> calc_entitlement -> calc_lump_sum -> calc.c (the entry). */
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

/* A new route: forget the definitions that depend on the period variable,
 * and those that depend on `totalised` when it changed since they were
 * computed; the others stand for the whole scheme. */
void lp__calc_reset_context(lp__calc *c)
{
    const lp__scheme *s;
    size_t i;
    if (!c->cur)
        return;
    s = c->cur->s;
    /* with a trace, every route and option shows all the definitions it used */
    if (c->trace || (s->ndefines && (!s->varying || !s->by_totalised))) {
        memset(c->def_state, 0, s->ndefines);
        c->defs_totalised = c->totalised;
        return;
    }
    for (i = 0; i < s->nvarying; i++)
        c->def_state[s->varying[i]] = 0;
    if (c->totalised != c->defs_totalised) {
        for (i = 0; i < s->nby_totalised; i++)
            c->def_state[s->by_totalised[i]] = 0;
        c->defs_totalised = c->totalised;
    }
}

mpq_ptr lp__calc_tmp(lp__calc *c)
{
    return lp__scratch_push_zero(c->env.scratch);
}

void lp__calc_set_context(lp__calc *c, mpq_srcptr periods, int totalised, mpq_srcptr flat_ratio)
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

static void trace_define(lp__calc *c, const lp__define *d, const lp__val *v, size_t mark);

static int cb_define(lp__env *env, int index, lp__val *out)
{
    lp__calc *c = lp__calc_of(env);
    const lp__define *d = &c->cur->s->defines[index];
    int rc;
    if (c->cur->defines && c->cur->defines[index].set) {
        copy_fact(d->type.kind, out, &c->cur->defines[index]);
        return LP_OK;
    }
    if (!c->def_state[index]) {
        /* first use of this slot in this calculation; the held values it reads
         * are its own, and every figure that uses it rests on them too */
        uint64_t outer = c->held_mask;
        size_t reads = c->nreads, frame = c->reads_frame;   /* its unnamed reads (cb_read) */
        int folds = env->folds;
        if (!c->def_val[index].q && !(c->def_val[index].q = lp__scratch_push(c->held)))
            return LP_ENOMEM;
        c->held_mask = 0;
        c->reads_frame = reads;
        env->folds = 0;            /* its own formula: a fold around it is not its */
        rc = lp__formula_eval(env, d->f.expr, &c->def_val[index]);
        env->folds = folds;
        c->reads_frame = frame;
        c->def_held[index] = c->held_mask;
        c->held_mask |= outer;
        if (rc) {
            c->nreads = reads;
            return rc;
        }
        c->def_state[index] = 1;
        if (c->trace)
            trace_define(c, d, &c->def_val[index], reads);
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

/* equal_treatment: the worker is the scheme's national, or an agreement that
 * applies to this calculation (lp__calc_agreement_applies) binds the scheme's
 * country and the worker's nationality and declares <equal-treatment> for the
 * scheme. It follows the options: without that agreement, it is false. The
 * clause that grants it goes to *why (NULL for the scheme's own nationals). */
static int equal_treatment(const lp__calc *c, const lp__clause **why)
{
    *why = NULL;
    if (strcmp(c->h->nationality, c->cur->s->country) == 0)
        return 1;
    return (*why = lp__calc_clause(c, c->cur->s, c->h->nationality, 1, NULL)) != NULL;
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
    case LP__B_EQUAL_TREATMENT: {
        const lp__clause *why;
        out->b = equal_treatment(c, &why);
        break;
    }
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
int lp__calc_record_held(lp__calc *c, lp__heldset *out, uint64_t mask)
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
    case LP__T_TEXT:    /* a copy: the text may be the history's (a residence, an employment's end) */
        return lp__arena_strdup(c->r->arena, v->text ? v->text : "");
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
    const lp__row *r = lp__tversion_row(ver, x);
    const char *lo, *hi;
    char *band;
    size_t n;
    if (!r)
        return "default";
    lo = lp__number_text(c->r, r->min);
    hi = r->max ? lp__number_text(c->r, r->max) : "";
    n = (lo ? strlen(lo) : 0) + (hi ? strlen(hi) : 0) + 3;
    band = lp__arena_alloc(c->r->arena, n);
    if (band && lo && hi)
        snprintf(band, n, "%s..%s", lo, hi);
    return band;
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

/* A built-in name whose value rests on a rule: equal_treatment granted by an
 * agreement cites the agreement's clause (on the claim date). */
static void trace_builtin_cite(lp__calc *c, lp__kv *kv, int which)
{
    const lp__clause *why;
    if (which == LP__B_EQUAL_TREATMENT && equal_treatment(c, &why) && why)
        trace_cite(c, kv, c->h->claim, &why->cite);
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
        lp__kv *kv = NULL;
        size_t depth = c->env.scratch->depth;
        memset(&v, 0, sizeof v);
        if ((v.q = lp__calc_tmp(c)) && lp__formula_eval(&c->env, e, &v) == LP_OK)
            kv = lp__step_add_input(c->r, st, name, val_text(c, e->type.kind, &v));
        lp__scratch_pop_to(c->env.scratch, depth);
        if (kv && !kv->cite && e->op == LP__OP_BUILTIN)
            trace_builtin_cite(c, kv, e->index);
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

/* A dated value read where the formula of the step being computed does not
 * name it (formula.h, env->read; set with a trace only): kept as an input
 * for that step with its citation, the date it was read at and, for a
 * table, its row; a table read for several keys of one row (the months of
 * a fiscal year) is one input, named by the first key. */
static void cb_read(lp__env *env, const lp__param *p, const lp__pvalue *pv, const lp__table *t,
                    const lp__tversion *ver, const lp__row *row, mpq_srcptr key, lp__day at)
{
    lp__calc *c = lp__calc_of(env);
    const char *id = p ? p->id : t->id, *arg = NULL, *value;
    /* what was read: the value of a parameter or series, the row of a table
     * (its default: the version); kept once for the step */
    const void *what = p ? (const void *)pv : row ? (const void *)row : (const void *)ver;
    char from[11], *name;
    lp__day span_from;
    lp__kv *kv;
    size_t n, i;
    for (i = c->reads_frame; i < c->nreads; i++)
        if (c->reads[i].what == what)
            return;
    if (p && p->yearly) {
        char year[8];
        int y, m, d;
        lp__day_to_ymd(at, &y, &m, &d);
        snprintf(year, sizeof year, "%d", y);
        arg = lp__arena_strdup(c->r->arena, year);
    } else if (!p) {
        arg = lp__number_text(c->r, key);
    }
    /* one input per value: a parameter or a table version by the day it
     * starts ("contribution_rate@2019-04-01"), a series by its year */
    span_from = p ? pv->span.from : ver->span.from;
    from[0] = '\0';
    if (span_from != LP__DAY_MIN)  /* a value with no start is the only one */
        lp__day_format(from, span_from);
    n = strlen(id) + (arg ? strlen(arg) + 2 : 0) + strlen(from) + 2;
    if ((arg == NULL && (!p || p->yearly)) || !(name = lp__arena_alloc(c->r->arena, n)))
        return;                    /* out of memory: the result fails (lp_calc checks) */
    if ((p && p->yearly) || (arg && !from[0]))
        snprintf(name, n, "%s(%s)", id, arg);
    else if (arg)
        snprintf(name, n, "%s(%s)@%s", id, arg, from);
    else
        snprintf(name, n, from[0] ? "%s@%s" : "%s", id, from);
    if (c->nreads == c->reads_cap) {
        size_t cap = c->reads_cap ? 2 * c->reads_cap : 32;
        lp__read *v = lp__realloc(c->reads, cap * sizeof *v);
        if (!v)
            return;
        c->reads = v;
        c->reads_cap = cap;
    }
    if (p) {                       /* a value of any type: a date, a text, a number */
        lp__val v;
        memset(&v, 0, sizeof v);
        v.q = (mpq_ptr)pv->q;
        v.day = pv->day;
        v.b = pv->b;
        v.text = pv->text;
        value = val_text(c, p->type.kind, &v);
    } else {
        value = lp__number_text(c->r, row ? row->value : t->fallback);
    }
    c->reads[c->nreads].what = what;
    kv = &c->reads[c->nreads++].kv;
    memset(kv, 0, sizeof *kv);
    kv->name = name;
    kv->value = value;
    trace_cite(c, kv, at, p ? &pv->cite : &ver->cite);
    if (t)
        kv->row = trace_row(c, ver, key);
}

/* The values read since mark (cb_read) as inputs of st; they are then
 * forgotten. */
static void trace_reads(lp__calc *c, lp_trace_step *st, size_t mark)
{
    size_t i;
    for (i = mark; st && i < c->nreads; i++) {
        lp__kv *kv = lp__step_add_input(c->r, st, c->reads[i].kv.name, c->reads[i].kv.value);
        if (kv && !kv->cite)       /* not named by the formula already */
            *kv = c->reads[i].kv;
    }
    c->nreads = mark;
}

/* A definition computed in the current context: its own step, so an auditor
 * sees how every intermediate figure was built; with the values its folds
 * and aggregates read since mark. */
static void trace_define(lp__calc *c, const lp__define *d, const lp__val *v, size_t mark)
{
    char rule[160];
    lp_trace_step *st;
    snprintf(rule, sizeof rule, "%s/define/%s[periods=%s]", c->cur->s->id, d->id,
             lp__value_text(c->r, c->periods));
    st = lp__calc_step(c, rule, d->f.text, define_text(c, d, v), &d->f.cite);
    if (st)
        trace_inputs(c, st, d->f.expr);
    trace_reads(c, st, mark);
}

/* Evaluate the version of a dated formula in force on the claim date. */
int lp__calc_eval_formula(lp__calc *c, const lp__formula *v, size_t n, const char *rule,
                        lp__val *out, lp__tkind k, const lp__formula **used)
{
    const lp__formula *f = lp__formula_at(v, n, c->h->claim);
    char buf[11];
    size_t reads, frame;
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
    reads = c->nreads;
    frame = c->reads_frame;
    c->reads_frame = reads;
    rc = lp__formula_eval(&c->env, f->expr, out);
    c->reads_frame = frame;
    if (rc == LP_OK && c->trace) {
        lp_trace_step *st = lp__calc_step(c, rule, f->text, val_text(c, k, out), &f->cite);
        if (st)
            trace_inputs(c, st, f->expr);
        trace_reads(c, st, reads);
    }
    c->nreads = reads;
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
int lp__calc_own_count(lp__calc *c, lp__run *run)
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
                /* the first overriding fact makes the run's list of them */
                if (!run->defines
                    && !(run->defines = lp__workspace_alloc(&c->ws, s->ndefines * sizeof *run->defines)))
                    return LP_ENOMEM;
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
/* A copy of p ending on `to`, in the workspace (it lives as long as the
 * calculation); NULL when out of memory. */
static const lp__hperiod *period_ending(lp__calc *c, const lp__hperiod *p, lp__day to)
{
    lp__hperiod *cut = lp__workspace_alloc_raw(&c->ws, sizeof *cut);
    if (!cut)
        return NULL;
    *cut = *p;
    cut->to = to;
    cut->to_month = lp__month_index(to);
    return cut;
}

static const lp__hperiod *up_to_claim(lp__calc *c, const lp__hperiod *p)
{
    char from[11], to[11], claim[11], msg[256];
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
    return period_ending(c, p, c->h->claim);
}

/* counting="months-to-loss" (period.h): the period p, ended on the last day
 * of the month before the month its coverage was lost in: the day after its
 * last day, or the claim date for a period that reaches it (lp__loss_end).
 * Returns p when nothing moves, a copy in the workspace otherwise, NULL when
 * out of memory. */
static const lp__hperiod *to_loss(lp__calc *c, const lp__hperiod *p)
{
    lp__day end = lp__loss_end(p->from, p->to, p->to >= c->h->claim ? c->h->claim : p->to + 1);
    return end == p->to ? p : period_ending(c, p, end);
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

/* A period of a kind the scheme does not count (rules' `kinds`): it stays in
 * the history but counts for nothing here, which the result says, never in
 * silence ("an <employment> of a scheme that counts contributions only"). */
static int kind_not_counted(lp__calc *c, const lp__scheme *s, const lp__hperiod *p)
{
    char kinds[160] = "", msg[320];
    size_t len = 0;
    unsigned bit;
    for (bit = 1; bit && bit <= s->kinds; bit <<= 1) {
        const char *name = (s->kinds & bit) ? lp__kind_name(bit) : NULL;
        if (name && len + strlen(name) + 3 < sizeof kinds)
            len += (size_t)snprintf(kinds + len, sizeof kinds - len, "%s%s", len ? ", " : "", name);
    }
    snprintf(msg, sizeof msg, "this period is of kind '%s', which %s does not count (it counts: %s): it is left out",
             lp__kind_name(p->kind) ? lp__kind_name(p->kind) : "?", s->id, kinds);
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
    run->defines = NULL;           /* made by the first fact that overrides a definition */
    if (!run->periods || !run->inputs)
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
        if (!(p->kind & s->kinds) && (rc = kind_not_counted(c, s, p)))
            return rc;
        if (p->count >= 0 && p->to > c->h->claim) {
            if ((rc = counted_after_claim(c, p)))
                return rc;
            continue;
        }
        if (p->to > c->h->claim && !(p = up_to_claim(c, p)))
            return LP_ENOMEM;
        if (s->counting == LP__COUNT_MONTHS_TO_LOSS && p->from <= c->h->claim && p->count < 0 && !(p = to_loss(c, p)))
            return LP_ENOMEM;
        if (p->from <= c->h->claim)        /* (one wholly after it is left out, with a note) */
            run->periods[run->nperiods++] = p;
    }
    if ((rc = no_duplicates(c, run)))
        return rc;
    if ((rc = counts_fit(c, run)) || (rc = lp__calc_own_count(c, run)))
        return rc;
    return bind_facts(c, run);
}


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
                seen = lp__calc_find_benefit(&c->rs->schemes[j], id) != NULL;
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
int lp__calc_setup_runs(lp__calc *c)
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
        /* a career's periods come in runs of one scheme: the previous one's index */
        if (i > 0 && lp__same_id(p->scheme, c->h->periods[i - 1].scheme))
            k = pscheme[i] = pscheme[i - 1];
        else if ((k = pscheme[i] = lp__ruleset_scheme_index(c->rs, c->h->periods[i].scheme)) < 0)
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

/* The benefit id of scheme s, or NULL. */
const lp__benefit *lp__calc_find_benefit(const lp__scheme *s, const char *id)
{
    size_t i;
    for (i = 0; i < s->nbenefits; i++)
        if (lp__same_id(s->benefits[i].id, id))
            return &s->benefits[i];
    return NULL;
}

int lp__calc_eval_bool(lp__calc *c, const lp__formula *v, size_t n, const char *rule, int *out)
{
    lp__val val;
    size_t depth = c->env.scratch->depth;
    int rc;
    memset(&val, 0, sizeof val);
    if (!(val.q = lp__calc_tmp(c)))
        return LP_ENOMEM;
    rc = lp__calc_eval_formula(c, v, n, rule, &val, LP__T_BOOL, NULL);
    *out = val.b;
    lp__scratch_pop_to(c->env.scratch, depth);
    return rc;
}

int lp__calc_eval_money(lp__calc *c, const lp__formula *v, size_t n, const char *rule, mpq_t out)
{
    lp__val val;
    memset(&val, 0, sizeof val);
    val.q = out;
    return lp__calc_eval_formula(c, v, n, rule, &val, LP__T_MONEY, NULL);
}

void lp__calc_bind_env(lp__calc *c)
{
    c->env.define = cb_define;
    c->env.input = cb_input;
    c->env.builtin = cb_builtin;
    c->env.aggregate = lp__aggregate_eval;
    c->env.held = cb_held;
    c->env.read = c->trace ? cb_read : NULL;
}
