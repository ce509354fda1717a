/* Aggregates over the worker's own periods in the scheme being evaluated
 * (rules/README.md 5.6): counts, months, earnings totals and averages, first
 * and last months, contributions with interest at dated rates. Filters: kind,
 * a day window [from, before), the last N months before a date, the best N
 * months by earnings. The window's months are read as runs of months with
 * the same earnings (month_runs.h): the work grows with the periods (and the
 * years, where interest is credited yearly), and with the months only where
 * periods share them; nothing is quadratic in the length of a career. */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "calc_internal.h"
#include "decimal.h"
#include "error.h"
#include "month_runs.h"
#include "rational.h"

/* The window and filter of one aggregate call. */
typedef struct window {
    unsigned kinds;
    lp__day from, to;              /* inclusive day range */
    long best;                     /* 0: all months */
    long latest;                   /* 0: all months; else the N latest covered months */
} window;

static int fail(lp__calc *c, const lp__expr *e, int code, const char *msg)
{
    return lp__error_set_at(code, c->cur->s->file, e->line, e->column, "%s", msg);
}

/* year: the value of the `year:` argument when the caller has evaluated it
 * already, else NULL. */
static int read_window(lp__calc *c, const lp__expr *e, const long *year, window *w)
{
    lp__env *env = &c->env;
    lp__day before = LP__DAY_MAX;
    long last = 0;
    int rc;
    w->kinds = e->kinds ? e->kinds : c->cur->s->kinds;
    w->from = LP__DAY_MIN;
    w->best = 0;
    w->latest = 0;
    if (e->args[LP__AGG_FROM] && (rc = lp__formula_eval_day(env, e->args[LP__AGG_FROM], &w->from)))
        return rc;
    if (e->args[LP__AGG_BEFORE] && (rc = lp__formula_eval_day(env, e->args[LP__AGG_BEFORE], &before)))
        return rc;
    if (e->args[LP__AGG_YEAR]) {   /* year: Y is from: 1 January Y, before: 1 January Y + 1 */
        long y;
        lp__day first, next;
        if (year)
            y = *year;
        else if ((rc = lp__formula_eval_int(env, e->args[LP__AGG_YEAR], &y)))
            return rc;
        if (y < LP__YEAR_MIN || y >= LP__YEAR_MAX)
            return fail(c, e->args[LP__AGG_YEAR], LP_ERANGE, "year: a calendar year is expected");
        first = lp__day_from_ymd((int)y, 1, 1);
        next = lp__day_from_ymd((int)y + 1, 1, 1);
        if (first > w->from)
            w->from = first;
        if (next < before)
            before = next;
    }
    if (e->args[LP__AGG_LAST]) {
        lp__day end = before == LP__DAY_MAX ? c->h->claim : before;
        if ((rc = lp__formula_eval_int(env, e->args[LP__AGG_LAST], &last)))
            return rc;
        if (last < 1 || last > 12 * 10000)
            return fail(c, e->args[LP__AGG_LAST], LP_ERANGE, "last: a number of months from 1 is expected");
        {
            long m = lp__month_index(end) - last;
            lp__day start = m < 12 ? lp__day_min() : lp__month_index_first_day((int)m);
            if (start > w->from)
                w->from = start;
        }
        if (before == LP__DAY_MAX)
            before = end;
    }
    if (e->args[LP__AGG_BEST]) {
        if ((rc = lp__formula_eval_int(env, e->args[LP__AGG_BEST], &w->best)))
            return rc;
        if (w->best < 1)
            return fail(c, e->args[LP__AGG_BEST], LP_ERANGE, "best: a number of months from 1 is expected");
    }
    if (e->args[LP__AGG_LATEST]) {
        if ((rc = lp__formula_eval_int(env, e->args[LP__AGG_LATEST], &w->latest)))
            return rc;
        if (w->latest < 1)
            return fail(c, e->args[LP__AGG_LATEST], LP_ERANGE, "latest: a number of months from 1 is expected");
    }
    w->to = before == LP__DAY_MAX ? LP__DAY_MAX : before - 1;
    return LP_OK;
}

/* The matching periods clipped to the window (arrays in the workspace). */
static int clipped(lp__calc *c, const window *w, lp__interval **out, size_t *n,
                   const lp__hperiod ***src)
{
    const lp__run *run = c->cur;
    lp__interval *v = lp__workspace_alloc_raw(&c->ws, (run->nperiods ? run->nperiods : 1) * sizeof *v);
    const lp__hperiod **s = lp__workspace_alloc_raw(&c->ws, (run->nperiods ? run->nperiods : 1) * sizeof *s);
    lp__day start = run->s->from_age >= 0 ? lp__day_add_years(c->h->birth, run->s->from_age) : LP__DAY_MIN;
    lp__day end = run->s->to_age >= 0 ? lp__day_add_years(c->h->birth, run->s->to_age) - 1 : LP__DAY_MAX;
    size_t i, k = 0;
    if (!v || !s)
        return LP_ENOMEM;
    for (i = 0; i < run->nperiods; i++) {
        const lp__hperiod *p = run->periods[i];
        lp__day f = p->from, t = p->to;
        if (!(p->kind & w->kinds))
            continue;
        if (f < w->from) f = w->from;
        if (f < start) f = start;
        if (t > w->to) t = w->to;
        if (t > end) t = end;
        if (f > t)
            continue;
        v[k].from = f;
        v[k].to = t;
        v[k].kinds = p->kind;
        s[k] = p;
        k++;
    }
    *out = v;
    *n = k;
    *src = s;
    return LP_OK;
}

/* earnings="required": every period the window covers must carry earnings
 * (the figure is computed from them: a period without would count its months
 * as earning nothing, silently). The error names the period's history line. */
static int earnings_present(lp__calc *c, const lp__expr *e, const lp__hperiod **src, size_t n)
{
    char from[11], to[11], msg[300];
    size_t k;
    if (!c->cur->s->earnings_required)
        return LP_OK;
    for (k = 0; k < n; k++) {
        if (src[k]->monthly || src[k]->count >= 0)
            continue;
        lp__day_format(from, src[k]->from);   /* the period as the history gives it */
        lp__day_format(to, src[k]->to);
        snprintf(msg, sizeof msg, "the %s period from %s to %s (history line %d) has no <earnings>: %s computes "
                 "this figure from the earnings of every month (earnings=\"required\")", src[k]->scheme, from, to,
                 src[k]->line, c->cur->s->id);
        return fail(c, e, LP_ENOTFOUND, msg);
    }
    return LP_OK;
}

/* "PARAM has no value for MONTH" for a dated parameter read inside an aggregate. */
static int no_value(lp__calc *c, const lp__expr *e, const lp__param *p, lp__day d)
{
    char buf[11], msg[160];
    lp__day_format(buf, d);
    snprintf(msg, sizeof msg, "parameter '%s' has no value in force on %s (read by an aggregate)", p->id, buf);
    c->env.gap.name = p->id;
    c->env.gap.day = d;
    return fail(c, e, LP_ENOTFOUND, msg);
}

/* A dated parameter read inside an aggregate: a value held past its end
 * (after-last="hold") makes the figure provisional. */
static const lp__pvalue *param_read(lp__calc *c, const lp__param *p, lp__day d)
{
    const lp__pvalue *v = lp__param_at(p, d);
    if (v && d > v->span.to && c->env.held)
        c->env.held(&c->env, p, NULL);
    if (v && c->env.read)          /* the trace lists it on the aggregate's step */
        c->env.read(&c->env, p, v, NULL, NULL, NULL, NULL, d);
    return v;
}


/* The last month from month a on whose first day a dated value read on a's
 * first day stays in force: the month of its span's end, or INT_MAX for a
 * value without end or held past its end (after-last="hold": every later
 * month reads it). */
static int last_month_in_span(lp__span span, int a)
{
    if (span.to >= lp__day_from_ymd(LP__YEAR_MAX, 12, 1) || span.to < lp__month_index_first_day(a))
        return INT_MAX;
    return lp__month_index(span.to);
}

/* through: each covered month's earnings replaced by the row of the table
 * version in force on the month's first day that holds them (a wage-class
 * schedule: a salary becomes its salary credit).  A month with no version in
 * force, or earnings in no row and no default, is an error naming the table
 * and the month; a version read past its end (after-last="hold") makes the
 * figure provisional.  A month without earnings reads the table at zero.
 * Each run is cut where the version changes: a piece reads one row. */
static int through_months(lp__calc *c, const lp__expr *e, lp__months *m)
{
    const lp__table *t;
    const lp__tversion *ver = NULL;   /* the version of the piece before, while it is in force */
    lp__month_run *out;
    size_t i, n = 0;
    if (e->through_table < 0 || !m->n)
        return LP_OK;
    t = &c->cur->s->tables[e->through_table];
    if (!(out = lp__workspace_alloc_raw(&c->ws, (m->n + t->nversions) * sizeof *out)))
        return LP_ENOMEM;
    for (i = 0; i < m->n; i++) {
        const lp__month_run *r = &m->run[i];
        int a, b;
        for (a = r->first; a <= r->last; a = b + 1) {
            lp__day first = lp__month_index_first_day(a);
            mpq_srcptr x = r->earn, q = t->fallback;
            const lp__row *row;
            char buf[11], msg[200];
            if ((!ver || !lp__span_contains(ver->span, first)) && !(ver = lp__table_at(t, first))) {
                lp__day_format(buf, first);
                snprintf(msg, sizeof msg, "table '%s' has no version in force on %s (read by an aggregate's "
                         "through:)", t->id, buf);
                c->env.gap.name = t->id;
                c->env.gap.day = first;
                return fail(c, e, LP_ENOTFOUND, msg);
            }
            if (first > ver->span.to && c->env.held)
                c->env.held(&c->env, NULL, t);
            if (x) {
                row = lp__tversion_row(ver, x);
                if ((row || t->fallback) && c->env.read)
                    c->env.read(&c->env, NULL, NULL, t, ver, row, x, first);
            } else {               /* no earnings: the row of zero */
                size_t depth = c->env.scratch->depth;
                mpq_ptr z = lp__calc_tmp(c);
                if (!z)
                    return LP_ENOMEM;
                row = lp__tversion_row(ver, z);
                if ((row || t->fallback) && c->env.read)
                    c->env.read(&c->env, NULL, NULL, t, ver, row, z, first);
                lp__scratch_pop_to(c->env.scratch, depth);
            }
            if (row)
                q = row->value;
            if (!q) {
                lp__day_format(buf, first);
                c->env.gap.name = t->id;
                c->env.gap.day = first;
                snprintf(msg, sizeof msg, "table '%s' has no row for the earnings of the month of %s", t->id, buf);
                return fail(c, e, LP_ENOTFOUND, msg);
            }
            b = last_month_in_span(ver->span, a);
            if (b > r->last)
                b = r->last;
            lp__months_append(out, &n, a, b, q);
        }
    }
    m->run = out;
    m->n = n;
    return LP_OK;
}

/* The month t as its weight: key, YYYYMM (202504 for April 2025). */
static long month_key(int t)
{
    return (long)(t / 12) * 100 + t % 12 + 1;
}

/* The last month whose YYYYMM key is at most max (NULL: no end), or INT_MAX. */
static int last_month_keyed(mpq_srcptr max, mpq_ptr tmp)
{
    long k;
    if (!max)
        return INT_MAX;
    mpz_fdiv_q(mpq_numref(tmp), mpq_numref(max), mpq_denref(max));
    mpz_set_ui(mpq_denref(tmp), 1);
    if (!mpz_fits_slong_p(mpq_numref(tmp)) || (k = mpz_get_si(mpq_numref(tmp))) >= 100L * LP__YEAR_MAX)
        return INT_MAX;
    if (k < 1)
        return -1;
    /* YYYY00 ends with the December before, YYYY13 to YYYY99 with December */
    return k % 100 == 0 ? (int)(k / 100) * 12 - 1 : (int)(k / 100) * 12 + (k % 100 > 12 ? 12 : (int)(k % 100)) - 1;
}

/* weight: the earnings of the covered months (after through: and cap:), each
 * times the row of number table t whose key is its month written YYYYMM
 * (202504 for April 2025), in the version in force on the claim date: what
 * sum(for each covered month: earnings of the month * t(YYYYMM)) computes, as
 * a revaluation table by month of earnings is written. Every covered month
 * reads its row, one without earnings too (its product is zero, but a month
 * the table has no row for is an error naming the table and the month, as
 * the formula would give); no rounding. *count: the covered months. A row is
 * kept while the months' keys stay in its band: each run is cut where the
 * band ends, and a piece of months is one product. */
static int weighted_earnings(lp__calc *c, const lp__expr *e, const lp__months *m, mpq_t total, long *count,
                             mpq_t tmp)
{
    const lp__table *t = &c->cur->s->tables[e->weight_table];
    const lp__tversion *ver = lp__table_at(t, c->h->claim);
    const lp__row *row = NULL;
    mpq_srcptr w;
    char buf[11], msg[200];
    size_t i;
    mpq_set_ui(total, 0, 1);
    *count = 0;
    if (!m->n)
        return LP_OK;
    if (!ver) {
        lp__day_format(buf, c->h->claim);
        snprintf(msg, sizeof msg, "table '%s' has no version in force on %s (read by an aggregate's weight:)", t->id, buf);
        c->env.gap.name = t->id;
        c->env.gap.day = c->h->claim;
        return fail(c, e, LP_ENOTFOUND, msg);
    }
    if (c->h->claim > ver->span.to && c->env.held)
        c->env.held(&c->env, NULL, t);
    for (i = 0; i < m->n; i++) {
        const lp__month_run *r = &m->run[i];
        int a, b;
        for (a = r->first; a <= r->last; a = b + 1) {
            long key = month_key(a);
            mpq_set_si(tmp, key, 1);
            if (!row || lp__q_cmp(tmp, row->min) < 0 || (row->max && lp__q_cmp(tmp, row->max) > 0))
                row = lp__tversion_row(ver, tmp);
            if ((row || t->fallback) && c->env.read)
                c->env.read(&c->env, NULL, NULL, t, ver, row, tmp, c->h->claim);
            if (!(w = row ? row->value : t->fallback)) {
                c->env.gap.name = t->id;
                c->env.gap.day = c->h->claim;
                snprintf(msg, sizeof msg, "table '%s' has no row for %ld (the month of earnings, read by an "
                         "aggregate's weight:)", t->id, key);
                return fail(c, e, LP_ENOTFOUND, msg);
            }
            /* the months of the run the row holds (the default: this month alone) */
            b = row ? last_month_keyed(row->max, tmp) : a;
            if (b > r->last)
                b = r->last;
            if (b < a)             /* (a row holds a's key: never; a piece is at least a month) */
                b = a;
            *count += b - a + 1;
            if (r->earn) {
                int rc;
                lp__q_mul(tmp, r->earn, w);
                if (b > a)
                    lp__q_mul_ui(tmp, tmp, (unsigned long)(b - a + 1));
                lp__q_add(total, total, tmp);
                /* each piece a step of the evaluation's bounds: rates of a hostile
                 * table with ever new denominators would grow the sum's fraction */
                if ((rc = lp__formula_bound_step(&c->env, e, total)) != LP_OK)
                    return rc;
            }
        }
    }
    return LP_OK;
}

/* The value of a dated parameter read on the first day of month t, for t
 * increasing: looked up again only when t leaves the months the last value
 * covers (a look-up per month was most of the cost of a long career). */
typedef struct param_cursor {
    lp__calc *c;
    const lp__param *p;
    const lp__pvalue *v;
    int hi;                        /* v is in force for months up to hi; -1: none yet */
} param_cursor;

static const lp__pvalue *cursor_at(param_cursor *cur, int t)
{
    if (cur->v && t <= cur->hi)
        return cur->v;
    cur->v = param_read(cur->c, cur->p, lp__month_index_first_day(t));
    /* every later month whose first day is within the span keeps the value
     * (a value held past its end keeps it for ever) */
    if (cur->v)
        cur->hi = last_month_in_span(cur->v->span, t);
    return cur->v;
}

/* cap: each month's earnings at most the parameter in force that month (read
 * through a cursor: the months go up, and a cap stays in force for years).
 * Each run is cut where the cap changes. */
static int cap_months(lp__calc *c, const lp__expr *e, lp__months *m)
{
    param_cursor cur;
    lp__month_run *out;
    size_t i, n = 0;
    if (e->cap_param < 0 || !m->n)
        return LP_OK;
    cur.c = c;
    cur.p = &c->cur->s->params[e->cap_param];
    cur.v = NULL;
    cur.hi = -1;
    if (!(out = lp__workspace_alloc_raw(&c->ws, (m->n + cur.p->nvalues) * sizeof *out)))
        return LP_ENOMEM;
    for (i = 0; i < m->n; i++) {
        const lp__month_run *r = &m->run[i];
        int a, b;
        for (a = r->first; a <= r->last; a = b + 1) {
            const lp__pvalue *v = cursor_at(&cur, a);
            if (!v)
                return no_value(c, e, cur.p, lp__month_index_first_day(a));
            b = cur.hi < r->last ? cur.hi : r->last;
            lp__months_append(out, &n, a, b, lp__earn_cmp(r->earn, v->q) > 0 ? v->q : r->earn);
        }
    }
    m->run = out;
    m->n = n;
    return LP_OK;
}

/* Contributions (earnings x rate, read at each month) with interest (read at
 * each year) from the month after payment up to the month of `to`; yearly
 * compounding credits each year's interest at its end.
 *
 * Month t earns principal(t) x i / 12, where i is the rate read for t and
 * principal(t) is the principal before t's contribution. The months are taken
 * in runs that share everything (interest or not, the same contribution, one
 * rate, one year): a run of n months from principal P with contribution c
 * adds n x c to the principal, and n x P + c x n(n-1)/2 to the sum of the
 * principals that earn interest; each rate's share of the year is
 * (that sum) x i / 12, credited at the year's end. The result is the same as
 * month by month, in a few operations per run instead of several per month. */
typedef struct interest_state {
    mpq_ptr principal, accrued, year_interest, psum, x, contribution, earned;
    long n;                        /* months in the current run */
    int earns;                     /* the run's months earn interest */
    mpq_srcptr earn;               /* the run's monthly earnings (NULL: no contribution) */
    const lp__pvalue *rv;          /* and the contribution rate */
    mpq_srcptr c_earn;             /* `contribution` is c_earn x c_rv */
    const lp__pvalue *c_rv;
    const lp__pvalue *earned_rv;   /* `earned` waits to be multiplied by this rate (NULL: nothing waits) */
} interest_state;

/* Runs that earn no interest add up their earnings x months while the rate
 * stays the same (`earned`), and join the principal as one product when the
 * rate changes, a run earns interest or the sum is taken: r x (e1 n1 + e2 n2)
 * is e1 x r x n1 + e2 x r x n2, with one multiplication by the rate (a refund
 * of contributions without interest multiplied each period's earnings). */
static void earned_close(interest_state *st)
{
    if (!st->earned_rv)
        return;
    lp__q_mul(st->x, st->earned, st->earned_rv->q);
    lp__q_add(st->principal, st->principal, st->x);
    mpq_set_ui(st->earned, 0, 1);
    st->earned_rv = NULL;
}

/* Close the current run: its interest base into psum, its contributions into
 * the principal. */
static void run_close(interest_state *st)
{
    long n = st->n;
    if (!n)
        return;
    st->n = 0;
    if (!st->earns) {
        if (!st->earn)
            return;
        if (st->earned_rv != st->rv)
            earned_close(st);
        if (n == 1) {
            lp__q_add(st->earned, st->earned, st->earn);
        } else {
            lp__q_mul_ui(st->x, st->earn, (unsigned long)n);
            lp__q_add(st->earned, st->earned, st->x);
        }
        st->earned_rv = st->rv;
        return;
    }
    earned_close(st);              /* the principal is read below */
    if (st->earn && (st->earn != st->c_earn || st->rv != st->c_rv)) {
        lp__q_mul(st->contribution, st->earn, st->rv->q);
        st->c_earn = st->earn;
        st->c_rv = st->rv;
    }
    /* psum += n x P + c x n(n-1)/2 */
    if (mpq_sgn(st->principal)) {
        lp__q_mul_ui(st->x, st->principal, (unsigned long)n);
        lp__q_add(st->psum, st->psum, st->x);
    }
    if (st->earn && n > 1) {
        lp__q_mul_ui(st->x, st->contribution, (unsigned long)(n * (n - 1) / 2));
        lp__q_add(st->psum, st->psum, st->x);
    }
    if (st->earn) {
        lp__q_mul_ui(st->x, st->contribution, (unsigned long)n);
        lp__q_add(st->principal, st->principal, st->x);
    }
}

/* The interest of one rate's months: year_interest += psum x i / 12. */
static void rate_close(interest_state *st, const lp__pvalue *iv)
{
    if (iv && mpq_sgn(st->psum) && mpq_sgn(iv->q)) {
        lp__q_mul(st->x, st->psum, iv->q);
        mpz_mul_ui(mpq_denref(st->x), mpq_denref(st->x), 12);
        mpq_canonicalize(st->x);
        lp__q_add(st->year_interest, st->year_interest, st->x);
    }
    mpq_set_ui(st->psum, 0, 1);
}

/* With a trace, each year's interest is its own step (the dividend a fund
 * credits for the year, on the opening balance and the contributions); a
 * year with none has no step. */
static void trace_year_interest(lp__calc *c, const lp__expr *e, int year, mpq_srcptr q, const lp__pvalue *iv)
{
    char rule[160], f[200];
    const lp__param *p = &c->cur->s->params[e->interest_param];
    if (!c->trace)
        return;
    snprintf(rule, sizeof rule, "%s/interest/%d", c->cur->s->id, year);
    snprintf(f, sizeof f, "interest credited for %d at %s %s", year, p->id, iv ? lp__value_text(c->r, iv->q) : "?");
    lp__calc_step(c, rule, lp__arena_strdup(c->r->arena, f), lp__value_text(c->r, q), iv ? &iv->cite : NULL);
}

/* The history's balance for contributions_with_interest(opening: balance): the
 * latest of the scheme dated on or before `to`, in the scheme's currency. */
static int opening_balance(lp__calc *c, const lp__expr *e, const lp__balance **out)
{
    lp__day to;
    size_t i;
    int rc = lp__formula_eval_day(&c->env, e->args[LP__AGG_TO], &to);
    *out = NULL;
    if (rc)
        return rc;
    for (i = 0; i < c->h->nbalances; i++) {
        const lp__balance *b = &c->h->balances[i];
        if (!lp__same_id(b->scheme, c->cur->s->id) || b->day > to || (*out && (*out)->day > b->day))
            continue;
        if (!lp__same_id(b->currency, c->cur->s->currency))
            return lp__error_set_at(LP_ECURRENCY, c->h->file, b->line, b->column,
                                    "a balance in %s for scheme %s, which counts in %s", b->currency,
                                    b->scheme, c->cur->s->currency);
        *out = b;
    }
    return LP_OK;
}

static int with_interest(lp__calc *c, const lp__expr *e, const lp__months *m, const lp__balance *opening,
                         mpq_t out)
{
    lp__months_cursor months = { m, 0 };
    param_cursor rate = { c, &c->cur->s->params[e->rate_param], NULL, -1 };
    const lp__param *interest = e->interest_param >= 0 ? &c->cur->s->params[e->interest_param] : NULL;
    const lp__pvalue *iv = NULL, *iv_year = NULL, *cur_iv = NULL;
    lp__day to;
    int rc = lp__formula_eval_day(&c->env, e->args[LP__AGG_TO], &to), t, u, mt, year = -1;
    const lp__day last_year = lp__day_from_ymd(LP__YEAR_MAX, 1, 1);   /* a span to it has no end */
    interest_state st;
    mpq_ptr *tmp[] = { &st.principal, &st.accrued, &st.year_interest, &st.psum, &st.x, &st.contribution,
                       &st.earned };
    size_t i;
    if (rc)
        return rc;
    mpq_set_ui(out, 0, 1);
    if (!m->n && !opening)
        return LP_OK;
    /* scratch slots, popped by the caller */
    for (i = 0; i < sizeof tmp / sizeof tmp[0]; i++) {
        if (!(*tmp[i] = lp__calc_tmp(c)))
            return LP_ENOMEM;
    }
    st.n = 0;
    st.earns = 0;
    st.earn = st.c_earn = NULL;
    st.rv = st.c_rv = st.earned_rv = NULL;
    mt = lp__month_index(to);
    t = m->n ? m->run[0].first : INT_MAX;
    if (opening) {                 /* the balance earns from the month after its date */
        mpq_set(st.principal, opening->amount);
        if (lp__month_index(opening->day) + 1 < t)
            t = lp__month_index(opening->day) + 1;
    }
    if (!interest && mt > (m->n ? m->run[m->n - 1].last : t - 1))
        mt = m->n ? m->run[m->n - 1].last : t - 1;   /* no interest: nothing happens after the last covered month */
    for (; t <= mt; t = u + 1) {
        int y = t / 12, earns = 0, limit = mt;
        mpq_srcptr earn = lp__months_earn_at(&months, t);
        const lp__pvalue *rv = NULL;
        if (interest) {
            if (y != year) {
                year = y;
                iv_year = param_read(c, interest, lp__day_from_ymd(y, 1, 1));
            }
            iv = iv_year ? iv_year : param_read(c, interest, lp__month_index_first_day(t));
            if (!iv) {
                rc = no_value(c, e, interest, lp__month_index_first_day(t));
                break;
            }
            if (iv != cur_iv) {
                run_close(&st);
                rate_close(&st, cur_iv);
                cur_iv = iv;
            }
            earns = mpq_sgn(iv->q) != 0;   /* this month's interest, on the principal before its contribution */
            /* interest is read by the year (by the month when the year has none);
             * a zero rate read on 1 January holds for every year whose 1 January
             * its span covers: nothing to credit at those years' ends */
            if (!iv_year)
                limit = t;
            else if (earns)
                limit = y * 12 + 11;
            else                   /* (a zero rate held past its end holds for ever) */
                limit = iv_year->span.to >= last_year
                        || iv_year->span.to < lp__day_from_ymd(y, 1, 1) ? INT_MAX
                        : lp__month_index(iv_year->span.to) / 12 * 12 + 11;
        }
        if (earn) {
            if (!(rv = cursor_at(&rate, t))) {
                rc = no_value(c, e, rate.p, lp__month_index_first_day(t));
                break;
            }
            if (rate.hi < limit)
                limit = rate.hi;
        }
        if (limit > mt)
            limit = mt;
        /* the months up to u are all alike: one step for all of them */
        u = lp__months_alike_until(&months, t, earn, limit);
        if (st.n && (earns != st.earns || earn != st.earn || rv != st.rv))
            run_close(&st);
        st.earns = earns;
        st.earn = earn;
        st.rv = rv;
        st.n += u - t + 1;
        if (u % 12 == 11 || u == mt) {
            /* a run that earns no interest may go on into the next year */
            if (st.earns || u == mt)
                run_close(&st);
            rate_close(&st, cur_iv);
            if (mpq_sgn(st.year_interest)) {
                trace_year_interest(c, e, u / 12, st.year_interest, cur_iv);
                lp__q_add(e->compound ? st.principal : st.accrued, e->compound ? st.principal : st.accrued,
                          st.year_interest);
                mpq_set_ui(st.year_interest, 0, 1);
            }
            /* each year is a step of the evaluation's bounds, counted for
             * the sums it works on: a claim in 9999 compounded 8,000 years of
             * interest into ever longer fractions, 40 s for one calculation */
            if ((rc = lp__formula_bound_step(&c->env, e, st.principal)) != LP_OK
                || (rc = lp__formula_bound_step(&c->env, e, st.accrued)) != LP_OK
                || (rc = lp__formula_bound_step(&c->env, e, st.psum)) != LP_OK
                || (rc = lp__formula_bound_step(&c->env, e, st.x)) != LP_OK
                || (rc = lp__formula_bound_step(&c->env, e, st.earned)) != LP_OK)
                break;
        }
    }
    if (rc == LP_OK) {
        earned_close(&st);
        lp__q_add(out, st.principal, st.accrued);
    }
    return rc;
}

/* The number of v's intervals in the scheme's unit: the dated ones merged and
 * counted by the scheme's rule, plus the number of each counted period
 * (count=) the window holds whole; one the window cuts is an error, its
 * number cannot be split (a record per calendar year is read by year). v is
 * reordered. */
static int count_with_numbers(lp__calc *c, const lp__expr *e, lp__interval *v, const lp__hperiod **src,
                              size_t n, mpq_t out)
{
    size_t k, kept = 0;
    unsigned long numbers = 0;
    int rc;
    for (k = 0; k < n; k++) {
        if (src[k]->count < 0) {
            v[kept++] = v[k];
            continue;
        }
        if (v[k].from != src[k]->from || v[k].to != src[k]->to)
            return lp__error_set_at(LP_EPARSE, c->h->file, src[k]->line, src[k]->column,
                                    "this %s period's %ld contributions are a number for all its dates: "
                                    "%s:%d:%d reads part of it (give one period per calendar year)",
                                    src[k]->scheme, src[k]->count, c->cur->s->file, e->line, e->column);
        numbers += (unsigned long)src[k]->count;
    }
    kept = lp__intervals_merge(v, kept);
    if ((rc = lp__count_intervals(out, v, kept, c->cur->s->counting)) != LP_OK)
        return rc;
    mpz_addmul_ui(mpq_numref(out), mpq_denref(out), numbers);
    return LP_OK;
}

/* calendar_years(min_count: N): the years whose count (above) is at least N,
 * from the first year of v to the last. */
static int years_with_count(lp__calc *c, const lp__expr *e, const lp__interval *v, const lp__hperiod **src,
                            size_t n, long need, long *years)
{
    lp__interval *w = lp__workspace_alloc_raw(&c->ws, (n ? n : 1) * sizeof *w);
    const lp__hperiod **s = lp__workspace_alloc_raw(&c->ws, (n ? n : 1) * sizeof *s);
    mpq_ptr q = lp__calc_tmp(c);
    int y, y0 = LP__YEAR_MAX, y1 = LP__YEAR_MIN, rc = LP_OK;
    size_t k, m;
    *years = 0;
    if (!w || !s || !q)
        return LP_ENOMEM;
    for (k = 0; k < n; k++) {
        int a, b, dd, mm;
        lp__day_to_ymd(v[k].from, &a, &mm, &dd);
        lp__day_to_ymd(v[k].to, &b, &mm, &dd);
        if (a < y0) y0 = a;
        if (b > y1) y1 = b;
    }
    for (y = y0; rc == LP_OK && y <= y1; y++) {
        lp__day first = lp__day_from_ymd(y, 1, 1), last = lp__day_from_ymd(y, 12, 31);
        for (k = 0, m = 0; k < n; k++) {
            if (v[k].to < first || v[k].from > last)
                continue;
            w[m] = v[k];
            if (w[m].from < first) w[m].from = first;
            if (w[m].to > last) w[m].to = last;
            s[m++] = src[k];
        }
        if ((rc = count_with_numbers(c, e, w, s, m, q)) == LP_OK && mpq_cmp_si(q, need, 1) >= 0)
            (*years)++;
    }
    return rc;
}

static int no_filters(const lp__expr *e)
{
    int i;
    for (i = 0; i < LP__AGG_NARGS; i++)
        if (e->args[i] && i != LP__AGG_TO)
            return 0;
    return e->kinds == 0;
}

/* A `year: Y` filter alone on total_earnings or count (a fold over the years
 * of a career asks for each year's figure, often several times: session 6 of
 * doc/performance.md) is computed once per run and calculation, by the same
 * code as any aggregate, and kept here for the years of the run's periods
 * (the only years with a figure other than zero). */
typedef struct lp__year_memo {
    int y0, n;                     /* years y0 .. y0 + n - 1 */
    mpq_ptr *v[2];                 /* [0] total_earnings, [1] count; per year, NULL until computed */
} lp__year_memo;

void lp__aggregate_run_free(lp__run *run)
{
    if (!run->years)
        return;
    lp__free(run->years->v[0]);
    lp__free(run->years->v[1]);
    lp__free(run->years);
    run->years = NULL;
}

/* The aggregate is total_earnings or count filtered by `year:` alone. */
static int year_only(const lp__expr *e)
{
    int i;
    if ((e->index != LP__AGG_TOTAL_EARNINGS && e->index != LP__AGG_COUNT) || e->kinds || e->cap_param >= 0
        || e->through_table >= 0 || e->weight_table >= 0 || !e->args[LP__AGG_YEAR])
        return 0;
    for (i = 0; i < LP__AGG_NARGS; i++)
        if (e->args[i] && i != LP__AGG_YEAR)
            return 0;
    return 1;
}

/* The run's memo, made on first use for the years its periods touch; NULL
 * when out of memory (the figure is then computed as if there were none). */
static lp__year_memo *year_memo(lp__run *run)
{
    lp__year_memo *m;
    int lo = 0, hi = -1, y, d;
    size_t i;
    if (run->years || !run->nperiods)
        return run->years;
    for (i = 0; i < run->nperiods; i++) {
        lp__day_to_ymd(run->periods[i]->from, &y, &d, &d);
        if (i == 0 || y < lo)
            lo = y;
        lp__day_to_ymd(run->periods[i]->to, &y, &d, &d);
        if (i == 0 || y > hi)
            hi = y;
    }
    if (!(m = lp__malloc(sizeof *m)))
        return NULL;
    m->y0 = lo;
    m->n = hi - lo + 1;
    m->v[0] = lp__calloc((size_t)m->n, sizeof *m->v[0]);
    m->v[1] = lp__calloc((size_t)m->n, sizeof *m->v[1]);
    run->years = m;
    if (!m->v[0] || !m->v[1]) {
        lp__aggregate_run_free(run);
        return NULL;
    }
    return m;
}

/* months(periods: totalised): the calendar months the route's totalised
 * periods (own and partners', merged on one timeline: totalise.c) touch in
 * window w. Outside an agreement's route they are the run's own periods
 * (the caller computes those); within one whose partner was converted per
 * calendar year, or where no route's periods are known (an export condition),
 * there are no dates to read: an error, never a guess. */
static int totalised_months(lp__calc *c, const lp__expr *e, const window *w, mpq_t out)
{
    long count = 0;
    int last = -1, a, b;
    size_t k;
    if (c->timeline_state == LP__TIMELINE_PER_YEAR)
        return fail(c, e, LP_EINVAL, "months(periods: totalised): a partner's periods were converted per calendar "
                    "year under this agreement, so they have no months to count");
    if (c->timeline_state != LP__TIMELINE_KNOWN)
        return fail(c, e, LP_EINVAL, "months(periods: totalised): the totalised periods are known only in the "
                    "formulas of an agreement's route (eligibility and amount)");
    /* merged: sorted and apart; two may touch one month, counted once */
    for (k = 0; k < c->ntimeline; k++) {
        lp__day f = c->timeline[k].from > w->from ? c->timeline[k].from : w->from;
        lp__day t = c->timeline[k].to < w->to ? c->timeline[k].to : w->to;
        if (f > t)
            continue;
        a = lp__month_index(f);
        b = lp__month_index(t);
        if (a <= last)
            a = last + 1;
        if (a <= b)
            count += b - a + 1;
        if (b > last)
            last = b;
    }
    mpq_set_si(out, count, 1);
    return LP_OK;
}

static int aggregate_compute(lp__env *env, const lp__expr *e, const long *the_year, lp__val *out);

int lp__aggregate_eval(lp__env *env, const lp__expr *e, lp__val *out)
{
    lp__calc *c = lp__calc_of(env);
    lp__year_memo *m;
    mpq_ptr *slot;
    long y;
    int rc;
    if (!year_only(e) || !(m = year_memo(c->cur)))
        return aggregate_compute(env, e, NULL, out);
    if ((rc = lp__formula_eval_int(env, e->args[LP__AGG_YEAR], &y)))
        return rc;
    if (y < m->y0 || y >= (long)m->y0 + m->n)
        return aggregate_compute(env, e, &y, out);
    slot = &m->v[e->index == LP__AGG_COUNT][y - m->y0];
    if (*slot) {
        mpq_set(out->q, *slot);
        return LP_OK;
    }
    if ((rc = aggregate_compute(env, e, &y, out)))
        return rc;
    /* kept with the calculation's other lasting rationals (none is freed before it ends) */
    if ((*slot = lp__scratch_push(c->held)))
        mpq_set(*slot, out->q);
    return LP_OK;
}

/* The aggregate e; the_year: its `year:` already evaluated (or NULL). */
static int aggregate_compute(lp__env *env, const lp__expr *e, const long *the_year, lp__val *out)
{
    lp__calc *c = lp__calc_of(env);
    window w;
    lp__interval *v = NULL;
    const lp__hperiod **src = NULL;
    size_t n = 0;
    lp__months m;
    long count = 0;
    int rc;
    size_t depth = env->scratch->depth;
    lp__workspace_mark mark = lp__workspace_mark_now(&c->ws);
    mpq_ptr tmp;
    const lp__balance *opening = NULL;

    if (e->index == LP__AGG_LAST_WAGE)
        return lp__calc_last_wage(c, e, out);
    if (e->index == LP__AGG_COUNT && no_filters(e)) {
        mpq_set(out->q, c->cur->own_count);
        return LP_OK;
    }
    memset(&m, 0, sizeof m);
    if (!(tmp = lp__scratch_push(env->scratch))) {
        rc = LP_ENOMEM;
        goto out;
    }
    if ((rc = read_window(c, e, the_year, &w)))
        goto out;
    if (e->totalised && c->totalised) {
        rc = totalised_months(c, e, &w, out->q);
        goto out;
    }
    if (e->opening) {              /* only the contributions after the balance's date count */
        if ((rc = opening_balance(c, e, &opening)))
            goto out;
        if (opening && opening->day + 1 > w.from)
            w.from = opening->day + 1;
    }
    if ((rc = clipped(c, &w, &v, &n, &src)))
        goto out;
    switch (e->index) {
    case LP__AGG_COUNT:
        rc = count_with_numbers(c, e, v, src, n, out->q);
        break;
    case LP__AGG_MONTHS:
    case LP__AGG_FIRST_MONTH:
    case LP__AGG_LAST_MONTH:
        if ((rc = lp__months_build(&c->ws, v, src, n, 0, c->cur->s->earnings_highest, &m)))
            break;
        if (e->index == LP__AGG_MONTHS)
            mpq_set_si(out->q, lp__months_count(&m), 1);
        else if (!m.n)
            rc = fail(c, e, LP_ENOTFOUND, "no covered month matches: first_month/last_month have no answer");
        else
            out->day = lp__month_index_first_day(e->index == LP__AGG_FIRST_MONTH ? m.run[0].first
                                                                                  : m.run[m.n - 1].last);
        break;
    case LP__AGG_TOTAL_EARNINGS:
    case LP__AGG_AVERAGE_EARNINGS:
        if ((rc = earnings_present(c, e, src, n))
            || (rc = lp__months_build(&c->ws, v, src, n, 1, c->cur->s->earnings_highest, &m))
            || (rc = through_months(c, e, &m)) || (rc = cap_months(c, e, &m))
            || (rc = e->weight_table >= 0 ? weighted_earnings(c, e, &m, out->q, &count, tmp)
                                          : lp__months_earnings(&c->ws, &m, w.best, w.latest, out->q, &count, tmp)))
            break;
        if (e->index == LP__AGG_AVERAGE_EARNINGS) {
            mpq_set_si(tmp, count ? count : 1, 1);
            lp__q_div(out->q, out->q, tmp);   /* zero when there are no months */
        }
        break;
    case LP__AGG_FIRST_DAY:
    case LP__AGG_LAST_DAY: {
        size_t k;
        if (!n) {
            rc = fail(c, e, LP_ENOTFOUND, "no covered day matches: first_day/last_day have no answer");
            break;
        }
        out->day = e->index == LP__AGG_FIRST_DAY ? v[0].from : v[0].to;
        for (k = 1; k < n; k++) {
            if (e->index == LP__AGG_FIRST_DAY && v[k].from < out->day)
                out->day = v[k].from;
            if (e->index == LP__AGG_LAST_DAY && v[k].to > out->day)
                out->day = v[k].to;
        }
        break;
    }
    case LP__AGG_YEARS: {
        /* calendar years with at least min_months covered months (default 1) */
        long need = 1;
        if (e->args[LP__AGG_MIN_COUNT]) {    /* years with at least N in the scheme's unit */
            if ((rc = lp__formula_eval_int(env, e->args[LP__AGG_MIN_COUNT], &need)))
                break;
            if (need < 1) {
                rc = fail(c, e, LP_ERANGE, "calendar_years: min_count must be 1 or more");
                break;
            }
            if ((rc = years_with_count(c, e, v, src, n, need, &count)) == LP_OK)
                mpq_set_si(out->q, count, 1);
            break;
        }
        if (e->args[LP__AGG_MIN_MONTHS] && (rc = lp__formula_eval_int(env, e->args[LP__AGG_MIN_MONTHS], &need)))
            break;
        if (need < 1 || need > 12) {
            rc = fail(c, e, LP_ERANGE, "calendar_years: min_months must be 1 to 12");
            break;
        }
        if ((rc = lp__months_build(&c->ws, v, src, n, 0, c->cur->s->earnings_highest, &m)) == LP_OK)
            mpq_set_si(out->q, lp__months_years(&m, need), 1);
        break;
    }
    case LP__AGG_CONTRIBUTIONS_WITH_INTEREST:
        if (!(rc = earnings_present(c, e, src, n))
            && !(rc = lp__months_build(&c->ws, v, src, n, 1, c->cur->s->earnings_highest, &m))
            && !(rc = through_months(c, e, &m)) && !(rc = cap_months(c, e, &m)))
            rc = with_interest(c, e, &m, opening, out->q);
        break;
    default:
        rc = fail(c, e, LP_ERROR, "unknown aggregate");
    }
out:
    lp__scratch_pop_to(env->scratch, depth);
    lp__months_clear(&m);
    lp__workspace_release(&c->ws, mark);
    return rc;
}
