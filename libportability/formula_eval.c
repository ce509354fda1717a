/* Evaluation of compiled formulas. Intermediate rationals come from a scratch
 * stack that is reused between evaluations, so the hot path does not allocate
 * once it is warm. Parameters and tables are read from the scheme's model;
 * definitions, inputs, built-in names and aggregates from the calculation
 * through the env callbacks. */
#include "config.h"

#include <string.h>

#include "alloc.h"
#include "decimal.h"
#include "error.h"
#include "rational.h"
#include "formula.h"
#include "rules.h"

void lp__scratch_init(lp__scratch *s)
{
    s->blocks = NULL;
    s->nblocks = 0;
    s->depth = 0;
    s->inited = 0;
}

static mpq_ptr slot(lp__scratch *s, size_t i)
{
    if (i < LP__SCRATCH_FIRST)
        return &s->first[i];
    i -= LP__SCRATCH_FIRST;
    return &s->blocks[i / LP__SCRATCH_BLOCK][i % LP__SCRATCH_BLOCK];
}

void lp__scratch_clear(lp__scratch *s)
{
    size_t i;
    for (i = 0; i < s->inited; i++)
        mpq_clear(slot(s, i));
    for (i = 0; i < s->nblocks; i++)
        lp__free(s->blocks[i]);
    lp__free(s->blocks);
    lp__scratch_init(s);
}

mpq_ptr lp__scratch_grow(lp__scratch *s)
{
    if (s->depth == s->inited) {
        if (s->inited == LP__SCRATCH_FIRST + s->nblocks * LP__SCRATCH_BLOCK) {
            __mpq_struct **nb = lp__realloc(s->blocks, (s->nblocks + 1) * sizeof *nb);
            if (!nb)
                return NULL;
            s->blocks = nb;
            if (!(nb[s->nblocks] = lp__malloc(LP__SCRATCH_BLOCK * sizeof **nb)))
                return NULL;
            s->nblocks++;
        }
        mpq_init(slot(s, s->inited));
        s->inited++;
    }
    return slot(s, s->depth++);
}

mpq_ptr lp__scratch_push_zero(lp__scratch *s)
{
    mpq_ptr q = lp__scratch_push(s);
    if (q)
        mpq_set_ui(q, 0, 1);
    return q;
}

/* Scratch slots are released by restoring the depth saved on entry, which
 * stays right even when an allocation failed half-way. */
#define MARK(env) size_t mark_ = (env)->scratch->depth
#define RELEASE(env) ((env)->scratch->depth = mark_)


#include <stdarg.h>
#include <stdio.h>

int lp__formula_fail(lp__env *env, const lp__expr *e, int code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return lp__error_set_at(code, env->file, e->line, e->column, "%s", msg);
}

static int param_value(lp__env *env, const lp__expr *e, const lp__pvalue **out);
static int series_value(lp__env *env, const lp__expr *e, const lp__pvalue **out);
static int local_value(lp__env *env, const lp__expr *e, lp__val *v);

/* An input (a fact of the history) read at node e. A fact that is missing has
 * no line in the history: the error then names the rule that reads it (it
 * used to be located at :0:0). */
static int read_input(lp__env *env, const lp__expr *e, lp__val *out)
{
    int rc = env->input(env, e->index, out);
    if (rc && lp_error_last()->line == 0 && env->file) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s", lp_error_last()->message);
        return lp__formula_fail(env, e, rc, "%s", msg);
    }
    return rc;
}

/* Evaluate a child for its parent to read. Literals, parameters, definitions
 * and inputs are not copied: v->q points at their own rational, which the
 * parent must not write (no operator writes into its operands). Anything
 * else is computed into a fresh scratch slot. */
static int child(lp__env *env, const lp__expr *e, lp__val *v)
{
    const lp__pvalue *pv;
    int rc;
    memset(v, 0, sizeof *v);
    /* a part of a fold's body that no year changes: its cache (formula_hoist.c) */
    if (e->hoist_fold && (rc = lp__hoisted_value(env, e, v)) != LP__HOIST_NONE)
        return rc;
    switch (e->op) {
    case LP__OP_LITERAL:
        v->q = (mpq_ptr)e->q;      /* frozen: read only, as every borrowed operand */
        v->day = e->day;
        v->b = e->b;
        v->text = e->text;
        return LP_OK;
    case LP__OP_PARAM:
        if ((rc = param_value(env, e, &pv)))
            return rc;
        v->q = (mpq_ptr)pv->q;     /* frozen: read only */
        v->day = pv->day;
        v->b = pv->b;
        v->text = pv->text;
        return LP_OK;
    case LP__OP_SERIES:
        if ((rc = series_value(env, e, &pv)))
            return rc;
        v->q = (mpq_ptr)pv->q;     /* frozen: read only */
        return LP_OK;
    case LP__OP_LOCAL:
        return local_value(env, e, v);          /* borrowed, read only */
    case LP__OP_DEFINE:
        return env->define(env, e->index, v);   /* v->q NULL: borrowed */
    case LP__OP_INPUT:
        return read_input(env, e, v);
    default:
        v->q = lp__scratch_push(env->scratch);
        if (!v->q)
            return LP_ENOMEM;
        return lp__formula_eval_node(env, e, v);   /* (its cache was tried above) */
    }
}

/* Evaluate a node's first operand into the node's own result slot q when it
 * must be computed (the node then works in place, as the lp__q_* functions and
 * lp__round allow): one scratch slot fewer per level of a formula, which kept
 * a calculation's scratch stack 34 deep. Leaves are borrowed as in child(). */
static int child_into(lp__env *env, const lp__expr *e, lp__val *v, mpq_ptr q)
{
    switch (e->op) {
    case LP__OP_LITERAL:
    case LP__OP_PARAM:
    case LP__OP_SERIES:
    case LP__OP_LOCAL:
    case LP__OP_DEFINE:
    case LP__OP_INPUT:
        return child(env, e, v);
    default:
        if (e->hoist_fold)
            return child(env, e, v);               /* borrowed from its fold's cache */
        memset(v, 0, sizeof *v);
        v->q = q;
        return lp__formula_eval_node(env, e, v);
    }
}

/* The date a dated look-up reads at: its `at`, or the claim date. */
static int lookup_day(lp__env *env, const lp__expr *e, lp__day *out)
{
    if (!e->at) {
        *out = env->claim_day;
        return LP_OK;
    }
    return lp__formula_eval_day(env, e->at, out);
}

/* The value of a parameter in force on its look-up date. */
static int param_value(lp__env *env, const lp__expr *e, const lp__pvalue **out)
{
    const lp__param *p = &env->scheme->params[e->index];
    lp__day d;
    char buf[11];
    int rc = lookup_day(env, e, &d);
    if (rc)
        return rc;
    *out = lp__param_at(p, d);
    if (!*out) {
        lp__day_format(buf, d);
        env->gap.name = p->id;
        env->gap.day = d;
        return lp__formula_fail(env, e, LP_ENOTFOUND, "parameter '%s' has no value in force on %s", p->id, buf);
    }
    if (d > (*out)->span.to && env->held)
        env->held(env, p, NULL);
    if (env->read && env->folds)
        env->read(env, p, *out, NULL, NULL, NULL, NULL, d);
    return LP_OK;
}

/* A series' value for the year y (in 1..9999). */
static int series_find(lp__env *env, const lp__expr *e, long y, const lp__pvalue **out)
{
    const lp__param *p = &env->scheme->params[e->index];
    struct lp__series_memo *m;
    /* the years of its values: the index made when the rules loaded */
    if (p->by_year && y >= p->first_year && y <= p->last_year && (*out = p->by_year[y - p->first_year]))
        return LP_OK;
    m = &env->series_memo[((size_t)e->index * 31u + (size_t)y) & (LP__SERIES_MEMO - 1)];
    if (m->p == p && m->year == y) {
        *out = m->v;
        return LP_OK;
    }
    *out = lp__param_at(p, lp__day_from_ymd((int)y, 1, 1));
    if (!*out) {
        env->gap.name = p->id;
        env->gap.day = lp__day_from_ymd((int)y, 1, 1);
        return lp__formula_fail(env, e, LP_ENOTFOUND, "series '%s' has no value for %ld", p->id, y);
    }
    m->p = p;
    m->year = y;
    m->v = *out;
    return LP_OK;
}

/* The value of series e for the year its argument gives; a read in a fold's
 * body goes to the trace (env->read). */
static int series_value(lp__env *env, const lp__expr *e, const lp__pvalue **out)
{
    const lp__param *p = &env->scheme->params[e->index];
    long y;
    int rc = lp__formula_eval_int(env, e->args[0], &y);
    if (rc)
        return rc;
    if (y < LP__YEAR_MIN || y > LP__YEAR_MAX)
        return lp__formula_fail(env, e, LP_ERANGE, "series '%s': %ld is not a year", p->id, y);
    if ((rc = series_find(env, e, y, out)) == LP_OK && env->read && env->folds)
        env->read(env, p, *out, NULL, NULL, NULL, NULL, lp__day_from_ymd((int)y, 1, 1));
    return rc;
}

/* A name bound by a fold being evaluated (its value is borrowed). */
static int local_value(lp__env *env, const lp__expr *e, lp__val *v)
{
    if (e->index < 0 || e->index >= LP__FORMULA_MAX_LOCALS || !env->locals[e->index].q)
        return lp__formula_fail(env, e, LP_ERROR, "a fold's name is read outside its fold");
    *v = env->locals[e->index];
    return LP_OK;
}

static int eval_param(lp__env *env, const lp__expr *e, lp__val *out)
{
    const lp__param *p = &env->scheme->params[e->index];
    const lp__pvalue *v;
    int rc = param_value(env, e, &v);
    if (rc)
        return rc;
    switch (p->type.kind) {
    case LP__T_NUMBER:
    case LP__T_MONEY:
        mpq_set(out->q, v->q);
        break;
    case LP__T_DATE: out->day = v->day; break;
    case LP__T_BOOL: out->b = v->b; break;
    case LP__T_TEXT: out->text = v->text; break;
    }
    return LP_OK;
}

static int eval_table(lp__env *env, const lp__expr *e, lp__val *out)
{
    MARK(env);
    const lp__table *t = &env->scheme->tables[e->index];
    const lp__tversion *ver;
    const lp__row *row;
    lp__val x;
    lp__day d;
    char buf[11];
    int rc = lookup_day(env, e, &d);
    if (rc || (rc = child(env, e->args[0], &x)))
        goto out;
    ver = lp__table_at(t, d);
    if (!ver) {
        lp__day_format(buf, d);
        env->gap.name = t->id;
        env->gap.day = d;
        rc = lp__formula_fail(env, e, LP_ENOTFOUND, "table '%s' has no version in force on %s", t->id, buf);
        goto out;
    }
    if (d > ver->span.to && env->held)
        env->held(env, NULL, t);
    row = lp__tversion_row(ver, x.q);
    if ((row || t->fallback) && env->read && env->folds)
        env->read(env, NULL, NULL, t, ver, row, x.q, d);
    if (row) {
        mpq_set(out->q, row->value);
    } else if (t->fallback) {
        mpq_set(out->q, t->fallback);
    } else {
        char *s = lp__rational_format(x.q);
        env->gap.name = t->id;     /* a missing row is a gap of the table too (README 3.2) */
        env->gap.day = d;
        rc = lp__formula_fail(env, e, LP_ENOTFOUND, "table '%s' has no row for %s", t->id, s ? s : "?");
        lp__free(s);
    }
out:
    RELEASE(env);
    return rc;
}

/* word is one of the white-space separated words of list. */
int lp__word_in(const char *word, const char *list)
{
    size_t n = strlen(word);
    const char *s = list;
    if (!n)
        return 0;
    while (*s) {
        size_t k;
        while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
            s++;
        for (k = 0; s[k] && s[k] != ' ' && s[k] != '\t' && s[k] != '\n' && s[k] != '\r'; k++)
            ;
        if (k == n && memcmp(s, word, n) == 0)
            return 1;
        s += k;
    }
    return 0;
}

/* Arithmetic and comparison on two children; membership of a word. */
static int eval_binary(lp__env *env, const lp__expr *e, lp__val *out)
{
    MARK(env);
    lp__val a, b;
    int rc = child_into(env, e->args[0], &a, out->q), cmp;
    if (rc) {
        RELEASE(env);
        return rc;
    }
    /* and / or short-circuit */
    if ((e->op == LP__OP_AND && !a.b) || (e->op == LP__OP_OR && a.b)) {
        out->b = a.b;
        RELEASE(env);
        return LP_OK;
    }
    rc = child(env, e->args[1], &b);
    if (rc)
        goto out;
    switch (e->op) {
    case LP__OP_ADD: lp__q_add(out->q, a.q, b.q); break;
    case LP__OP_SUB: lp__q_sub(out->q, a.q, b.q); break;
    case LP__OP_MUL: lp__q_mul(out->q, a.q, b.q); break;
    case LP__OP_DIV:
        if (mpq_sgn(b.q) == 0) {
            rc = lp__formula_fail(env, e, LP_EDIVZERO, "division by zero");
            break;
        }
        lp__q_div(out->q, a.q, b.q);
        break;
    case LP__OP_AND:
    case LP__OP_OR:
        out->b = b.b;
        break;
    case LP__OP_IN:
        out->b = lp__word_in(a.text ? a.text : "", b.text ? b.text : "");
        break;
    default:
        switch (e->args[0]->type.kind) {
        case LP__T_DATE: cmp = a.day < b.day ? -1 : a.day > b.day; break;
        case LP__T_BOOL: cmp = a.b != b.b; break;
        case LP__T_TEXT:           /* one text read twice (a name held by the rules) is itself */
            cmp = a.text == b.text ? 0 : strcmp(a.text ? a.text : "", b.text ? b.text : "");
            break;
        default: cmp = lp__q_cmp(a.q, b.q); break;
        }
        switch (e->op) {
        case LP__OP_EQ: out->b = cmp == 0; break;
        case LP__OP_NE: out->b = cmp != 0; break;
        case LP__OP_LT: out->b = cmp < 0; break;
        case LP__OP_LE: out->b = cmp <= 0; break;
        case LP__OP_GT: out->b = cmp > 0; break;
        default: out->b = cmp >= 0; break;
        }
    }
out:
    RELEASE(env);
    return rc;
}

void lp__val_copy(lp__tkind k, lp__val *out, const lp__val *v)
{
    if (k == LP__T_NUMBER || k == LP__T_MONEY)
        mpq_set(out->q, v->q);
    out->day = v->day;
    out->b = v->b;
    out->text = v->text;
}

static int val_cmp(const lp__expr *e, const lp__val *a, const lp__val *b)
{
    if (e->type.kind == LP__T_DATE)
        return a->day < b->day ? -1 : a->day > b->day;
    return lp__q_cmp(a->q, b->q);
}

static int eval_minmax(lp__env *env, const lp__expr *e, lp__val *out)
{
    lp__val best, v;
    size_t i, inner;
    MARK(env);
    /* a later argument that wins is copied into out (borrowed operands are read-only) */
    int rc = child_into(env, e->args[0], &best, out->q);
    /* each later argument uses the slots above best's, released per round */
    inner = env->scratch->depth;
    for (i = 1; !rc && i < e->nargs; i++) {
        rc = child(env, e->args[i], &v);
        if (!rc) {
            int c = val_cmp(e, &v, &best);
            if ((e->op == LP__OP_MIN && c < 0) || (e->op == LP__OP_MAX && c > 0)) {
                if (e->type.kind != LP__T_DATE) {
                    mpq_set(out->q, v.q);
                    best.q = out->q;
                }
                best.day = v.day;
            }
        }
        env->scratch->depth = inner;
    }
    if (!rc)
        lp__val_copy(e->type.kind, out, &best);
    RELEASE(env);
    return rc;
}

static int eval_clamp(lp__env *env, const lp__expr *e, lp__val *out)
{
    MARK(env);
    lp__val x, lo, hi;
    int rc = child_into(env, e->args[0], &x, out->q);
    if (!rc)
        rc = child(env, e->args[1], &lo);
    if (!rc)
        rc = child(env, e->args[2], &hi);
    if (!rc) {
        const lp__val *r = &x;
        if (val_cmp(e, &x, &lo) < 0)
            r = &lo;
        if (val_cmp(e, r, &hi) > 0)
            r = &hi;
        lp__val_copy(e->type.kind, out, r);
    }
    RELEASE(env);
    return rc;
}

static inline int bounded(lp__env *env, const lp__expr *e, const lp__val *out);

/* out = x rounded to step as round node e says, or the node's error. */
static int round_to_step(lp__env *env, const lp__expr *e, mpq_ptr out, mpq_srcptr x, mpq_srcptr step)
{
    if (mpq_sgn(step) <= 0)
        return lp__formula_fail(env, e, LP_EINVAL, "a rounding step must be greater than zero");
    if (lp__round(out, x, step, e->mode) != LP_OK)
        return lp__formula_fail(env, e, lp_error_last()->code, "%s", lp_error_last()->message);
    return LP_OK;
}

/* round(A * B, STEP) or round(A / B, STEP) with a literal STEP, p the product
 * node: the figure, the errors and the work counted are those of computing
 * the product (eval_binary, then its bounds) and rounding it, but when all
 * fits machine words the product is not brought to lowest terms first
 * (lp__round_product): the rounding needs it only divided once. Two gcds
 * fewer for each year of a record indexed and rounded to the cent. */
__attribute__((noinline))      /* off the evaluator's hot path: it stays small enough to inline */
static int round_of_product(lp__env *env, const lp__expr *e, const lp__expr *p, lp__val *out)
{
    lp__val a, b, step;
    int rc = child(env, p->args[0], &a);
    if (!rc)
        rc = child(env, p->args[1], &b);
    if (rc)
        return rc;
    if (p->op == LP__OP_DIV && mpq_sgn(b.q) == 0)
        return lp__formula_fail(env, p, LP_EDIVZERO, "division by zero");
    if ((rc = child(env, e->args[1], &step)))   /* a literal: read, not evaluated */
        return rc;
    if (mpq_sgn(step.q) > 0 && lp__round_product(out->q, a.q, b.q, p->op == LP__OP_DIV, step.q, e->mode))
        return bounded(env, p, out);   /* the product's work: a word-sized value counts as the rounded one */
    if (p->op == LP__OP_MUL)
        lp__q_mul(out->q, a.q, b.q);
    else
        lp__q_div(out->q, a.q, b.q);
    if ((rc = bounded(env, p, out)))
        return rc;
    return round_to_step(env, e, out->q, out->q, step.q);
}

static int eval_round(lp__env *env, const lp__expr *e, lp__val *out)
{
    MARK(env);
    lp__val x, step;
    int rc;
    const lp__expr *p = e->args[0];
    if ((p->op == LP__OP_MUL || p->op == LP__OP_DIV) && !p->hoist_fold && e->args[1]->op == LP__OP_LITERAL) {
        rc = round_of_product(env, e, p, out);
        RELEASE(env);
        return rc;
    }
    rc = child_into(env, e->args[0], &x, out->q);
    if (!rc)
        rc = child(env, e->args[1], &step);
    if (!rc)
        rc = round_to_step(env, e, out->q, x.q, step.q);
    RELEASE(env);
    return rc;
}

int lp__formula_eval_int(lp__env *env, const lp__expr *e, long *out)
{
    MARK(env);
    lp__val v;
    int rc;
    /* a fold's year and a literal year are read where they are (no node is
     * evaluated, as child() would not evaluate one); anything else, or one
     * that is no whole number, takes the general way and its errors */
    if (e->op == LP__OP_LOCAL && e->index >= 0 && e->index < LP__FORMULA_MAX_LOCALS
        && env->locals[e->index].q && lp__q_get_long(env->locals[e->index].q, out))
        return LP_OK;
    if (e->op == LP__OP_LITERAL && e->q && lp__q_get_long(e->q, out))
        return LP_OK;
    rc = child(env, e, &v);
    if (!rc) {
        if (!lp__q_get_long(v.q, out))
            rc = lp__formula_fail(env, e, LP_ERANGE, "a whole number is expected here");
    }
    RELEASE(env);
    return rc;
}

int lp__formula_eval_day(lp__env *env, const lp__expr *e, lp__day *out)
{
    MARK(env);
    lp__val v;
    int rc = child(env, e, &v);
    if (!rc)
        *out = v.day;
    RELEASE(env);
    return rc;
}

/* Date functions. Integers are bounded so no date leaves years 1..9999. */
static int eval_date_fn(lp__env *env, const lp__expr *e, lp__val *out)
{
    long n[3] = { 0, 0, 0 };
    lp__day d = 0, d2 = 0;
    int y, m, dd, rc = LP_OK;
    switch (e->op) {
    case LP__OP_DATE:
        if ((rc = lp__formula_eval_int(env, e->args[0], &n[0])) || (rc = lp__formula_eval_int(env, e->args[1], &n[1]))
            || (rc = lp__formula_eval_int(env, e->args[2], &n[2])))
            return rc;
        if (n[0] < LP__YEAR_MIN || n[0] > LP__YEAR_MAX || !lp__ymd_valid((int)n[0], (int)n[1], (int)n[2]))
            return lp__formula_fail(env, e, LP_ERANGE, "date(%ld, %ld, %ld) is not a calendar date", n[0], n[1], n[2]);
        out->day = lp__day_from_ymd((int)n[0], (int)n[1], (int)n[2]);
        return LP_OK;
    default:
        break;
    }
    if ((rc = lp__formula_eval_day(env, e->args[0], &d)))
        return rc;
    lp__day_to_ymd(d, &y, &m, &dd);
    switch (e->op) {
    case LP__OP_YEAR: mpq_set_si(out->q, y, 1); break;
    case LP__OP_MONTH: mpq_set_si(out->q, m, 1); break;
    case LP__OP_DAY: mpq_set_si(out->q, dd, 1); break;
    case LP__OP_QUARTER_START: out->day = lp__day_from_ymd(y, (m - 1) / 3 * 3 + 1, 1); break;
    case LP__OP_YEAR_START: out->day = lp__day_from_ymd(y, 1, 1); break;
    case LP__OP_AGE_ON: {
        lp__val birth;
        lp__val *b = &birth;
        memset(b, 0, sizeof birth);
        if ((rc = env->builtin(env, LP__B_BIRTH_DATE, b)))
            return rc;
        if (d < birth.day)
            return lp__formula_fail(env, e, LP_ERANGE, "age_on: the date is before the birth date");
        mpq_set_si(out->q, lp__age_on(birth.day, d), 1);
        break;
    }
    case LP__OP_ADD_MONTHS:
    case LP__OP_ADD_YEARS:
    case LP__OP_FISCAL_YEAR_START:
    case LP__OP_ADD_DAYS:
        if ((rc = lp__formula_eval_int(env, e->args[1], &n[0])))
            return rc;
        if (e->op == LP__OP_ADD_DAYS) {
            if (n[0] < -3660000 || n[0] > 3660000
                || d + n[0] < lp__day_min() || d + n[0] > lp__day_max())
                return lp__formula_fail(env, e, LP_ERANGE, "the date would leave the years 1 to 9999");
            out->day = (lp__day)(d + n[0]);
            break;
        }
        if (e->op == LP__OP_FISCAL_YEAR_START) {
            if (n[0] < 1 || n[0] > 12)
                return lp__formula_fail(env, e, LP_ERANGE, "fiscal_year_start: the month must be 1 to 12");
            out->day = lp__fiscal_year_start(d, (int)n[0]);
            break;
        }
        if (n[0] < -120000 || n[0] > 120000
            || (e->op == LP__OP_ADD_YEARS && (y + n[0] < LP__YEAR_MIN || y + n[0] > LP__YEAR_MAX))
            || (e->op == LP__OP_ADD_MONTHS && (y * 12L + m - 1 + n[0] < 12L * LP__YEAR_MIN
                                               || y * 12L + m - 1 + n[0] >= 12L * (LP__YEAR_MAX + 1))))
            return lp__formula_fail(env, e, LP_ERANGE, "the date would leave the years 1 to 9999");
        out->day = e->op == LP__OP_ADD_YEARS ? lp__day_add_years(d, (int)n[0])
                                             : lp__day_add_months(d, (int)n[0]);
        break;
    case LP__OP_MONTHS_BETWEEN:
    case LP__OP_YEARS_BETWEEN: {
        int y2, m2, dd2;
        long months;
        if ((rc = lp__formula_eval_day(env, e->args[1], &d2)))
            return rc;
        lp__day_to_ymd(d2, &y2, &m2, &dd2);
        /* whole months from d to d2: the anniversary day counts */
        months = (y2 - y) * 12L + (m2 - m);
        if (d2 >= d && dd2 < dd && lp__day_add_months(d, (int)months) > d2)
            months--;
        else if (d2 < d && dd2 > dd && lp__day_add_months(d, (int)months) < d2)
            months++;
        mpq_set_si(out->q, e->op == LP__OP_YEARS_BETWEEN ? months / 12 : months, 1);
        break;
    }
    default:
        break;
    }
    return LP_OK;
}

/* Numbers of at most this many limbs are within LP__EVAL_MAX_BITS whatever
 * their top limb holds. */
#define LIMBS_SURELY_BOUNDED (LP__EVAL_MAX_BITS / GMP_NUMB_BITS)

/* The work of one node, and the size of what it gave (formula.h). q is the
 * number the node gave, or NULL. */
/* inlined into the evaluator: every node passes here */
__attribute__((always_inline)) static inline int bounded_q(lp__env *env, const lp__expr *e, mpq_srcptr q)
{
    size_t limbs = 0;
    if (q) {
        size_t ln = mpz_size(mpq_numref(q)), ld = mpz_size(mpq_denref(q));
        /* a number of L limbs has at most L x GMP_NUMB_BITS bits: the exact
         * bit count (mpz_sizeinbase, a call into libgmp) is needed only for
         * a number that may be past the limit (2.6% of a calculation was
         * spent on it: doc/performance.md, session 6) */
        if ((ln > LIMBS_SURELY_BOUNDED || ld > LIMBS_SURELY_BOUNDED)
            && (mpz_sizeinbase(mpq_numref(q), 2) > LP__EVAL_MAX_BITS
                || mpz_sizeinbase(mpq_denref(q), 2) > LP__EVAL_MAX_BITS))
            return lp__formula_fail(env, e, LP_ERANGE, "a number grows past the limit of %d bits (about "
                        "19,700 digits) here: the rules cannot be evaluated within the limits",
                        LP__EVAL_MAX_BITS);
        limbs = ln + ld;
    }
    /* one unit per 8 limbs, and for a number past 32 limbs as many again per
     * 32 limbs it holds: multiplying, dividing and reducing a fraction (a
     * gcd) take time that grows faster than the size, and a linear count let
     * a rule set run 18 s within the budget on numbers near the bit limit
     * (formula.h) */
    env->work += 1 + limbs / 8 + (limbs / 8) * (limbs / 32);
    if (env->work > LP__EVAL_MAX_WORK)
        return lp__formula_fail(env, e, LP_ERANGE, "the calculation needs more than %lu units of work (the "
                    "limit): the rules cannot be evaluated within the limits", LP__EVAL_MAX_WORK);
    return LP_OK;
}

__attribute__((always_inline)) static inline int bounded(lp__env *env, const lp__expr *e, const lp__val *out)
{
    return bounded_q(env, e,
                     (e->type.kind == LP__T_NUMBER || e->type.kind == LP__T_MONEY) && out->q ? out->q : NULL);
}

int lp__formula_bound_step(lp__env *env, const lp__expr *e, mpq_srcptr q)
{
    return bounded_q(env, e, q);
}

static int eval_node(lp__env *env, const lp__expr *e, lp__val *out);

int lp__formula_eval_node(lp__env *env, const lp__expr *e, lp__val *out)
{
    int rc = eval_node(env, e, out);
    return rc ? rc : bounded(env, e, out);
}

int lp__formula_eval(lp__env *env, const lp__expr *e, lp__val *out)
{
    if (e->hoist_fold) {
        lp__val v;
        int rc = lp__hoisted_value(env, e, &v);
        if (rc != LP__HOIST_NONE) {
            if (rc == LP_OK)
                lp__val_copy(e->type.kind, out, &v);
            return rc;
        }
    }
    return lp__formula_eval_node(env, e, out);
}

static int eval_node(lp__env *env, const lp__expr *e, lp__val *out)
{
    MARK(env);
    lp__val a;
    int rc;

    switch (e->op) {
    case LP__OP_LITERAL:
        if (e->q)
            mpq_set(out->q, e->q);
        out->day = e->day;
        out->b = e->b;
        out->text = e->text;
        return LP_OK;
    case LP__OP_PARAM:
        return eval_param(env, e, out);
    case LP__OP_TABLE:
        return eval_table(env, e, out);
    case LP__OP_DEFINE:
        return env->define(env, e->index, out);
    case LP__OP_INPUT:
        return read_input(env, e, out);
    case LP__OP_BUILTIN:
        return env->builtin(env, e->index, out);
    case LP__OP_AGGREGATE:
        return env->aggregate(env, e, out);
    case LP__OP_SERIES: {
        const lp__pvalue *pv;
        if ((rc = series_value(env, e, &pv)))
            return rc;
        mpq_set(out->q, pv->q);
        return LP_OK;
    }
    case LP__OP_LOCAL:
        if ((rc = local_value(env, e, &a)))
            return rc;
        lp__val_copy(e->type.kind, out, &a);
        return LP_OK;
    case LP__OP_FOLD:
        return lp__formula_eval_fold(env, e, out);
    case LP__OP_NEG:
    case LP__OP_NOT:
    case LP__OP_ABS:
        rc = child_into(env, e->args[0], &a, out->q);
        if (!rc) {
            if (e->op == LP__OP_NOT)
                out->b = !a.b;
            else if (e->op == LP__OP_NEG)
                mpq_neg(out->q, a.q);
            else
                mpq_abs(out->q, a.q);
        }
        RELEASE(env);
        return rc;
    case LP__OP_IF:
        rc = child_into(env, e->args[0], &a, out->q);
        RELEASE(env);
        if (rc)
            return rc;
        return lp__formula_eval(env, e->args[a.b ? 1 : 2], out);
    case LP__OP_MIN:
    case LP__OP_MAX:
        return eval_minmax(env, e, out);
    case LP__OP_CLAMP:
        return eval_clamp(env, e, out);
    case LP__OP_ROUND:
        return eval_round(env, e, out);
    case LP__OP_ADD: case LP__OP_SUB: case LP__OP_MUL: case LP__OP_DIV:
    case LP__OP_EQ: case LP__OP_NE: case LP__OP_LT: case LP__OP_LE:
    case LP__OP_GT: case LP__OP_GE: case LP__OP_AND: case LP__OP_OR: case LP__OP_IN:
        return eval_binary(env, e, out);
    default:
        return eval_date_fn(env, e, out);
    }
}
