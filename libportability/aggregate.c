/* Aggregates over the worker's own periods in the scheme being evaluated
 * (rules/README.md 5.6): counts, months, earnings totals and averages, first
 * and last months, contributions with interest at dated rates. Filters: kind,
 * a day window [from, before), the last N months before a date, the best N
 * months by earnings. Work is linear in periods and months: nothing is
 * quadratic in the length of a career. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "calc_internal.h"
#include "decimal.h"
#include "error.h"

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

static int read_window(lp__calc *c, const lp__expr *e, window *w)
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

/* The matching periods clipped to the window. *out is lp__malloc'd. */
static int clipped(lp__calc *c, const window *w, lp__interval **out, size_t *n,
                   const lp__hperiod ***src)
{
    const lp__run *run = c->cur;
    lp__interval *v = lp__malloc((run->nperiods ? run->nperiods : 1) * sizeof *v);
    const lp__hperiod **s = src ? lp__malloc((run->nperiods ? run->nperiods : 1) * sizeof *s) : NULL;
    lp__day start = run->s->from_age >= 0 ? lp__day_add_years(c->h->birth, run->s->from_age) : LP__DAY_MIN;
    lp__day end = run->s->to_age >= 0 ? lp__day_add_years(c->h->birth, run->s->to_age) - 1 : LP__DAY_MAX;
    size_t i, k = 0;
    if (!v || (src && !s)) {
        lp__free(v);
        lp__free(s);
        return LP_ENOMEM;
    }
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
        if (s)
            s[k] = p;
        k++;
    }
    *out = v;
    *n = k;
    if (src)
        *src = s;
    return LP_OK;
}

/* Per-month earnings and coverage over the window: months[i] is month m0 + i. */
typedef struct months {
    int m0, n;
    unsigned char *covered;
    mpq_t *earn;                   /* NULL when not needed */
} months;

static void months_clear(months *m)
{
    int i;
    if (m->earn)
        for (i = 0; i < m->n; i++)
            mpq_clear(m->earn[i]);
    lp__free(m->earn);
    lp__free(m->covered);
}

static int months_build(const lp__interval *v, const lp__hperiod **src, size_t n, int with_earnings,
                        months *m)
{
    int lo = 0, hi = -1, i;
    size_t k;
    memset(m, 0, sizeof *m);
    for (k = 0; k < n; k++) {
        int a = lp__month_index(v[k].from), b = lp__month_index(v[k].to);
        if (k == 0 || a < lo) lo = a;
        if (k == 0 || b > hi) hi = b;
    }
    if (hi < lo)
        return LP_OK;
    m->m0 = lo;
    m->n = hi - lo + 1;
    m->covered = lp__calloc((size_t)m->n, 1);
    if (!m->covered)
        return LP_ENOMEM;
    if (with_earnings) {
        m->earn = lp__malloc((size_t)m->n * sizeof *m->earn);
        if (!m->earn)
            return LP_ENOMEM;
        for (i = 0; i < m->n; i++)
            mpq_init(m->earn[i]);
    }
    for (k = 0; k < n; k++) {
        int a = lp__month_index(v[k].from) - lo, b = lp__month_index(v[k].to) - lo;
        for (i = a; i <= b; i++) {
            m->covered[i] = 1;
            if (m->earn && src[k]->monthly)
                mpq_add(m->earn[i], m->earn[i], src[k]->monthly);
        }
    }
    return LP_OK;
}

static int cmp_desc(const void *a, const void *b)
{
    return -mpq_cmp(*(mpq_srcptr const *)a, *(mpq_srcptr const *)b);
}

/* Sum of earnings over covered months (the best N if asked) and the month count. */
static int earnings(const months *m, long best, long latest, mpq_t total, long *count)
{
    int i;
    long k = 0;
    mpq_set_ui(total, 0, 1);
    if (latest) {
        /* the N most recent covered months, whatever the gaps between them */
        for (i = m->n - 1; i >= 0 && k < latest; i--)
            if (m->covered[i]) {
                mpq_add(total, total, m->earn[i]);
                k++;
            }
    } else if (!best) {
        for (i = 0; i < m->n; i++)
            if (m->covered[i]) {
                mpq_add(total, total, m->earn[i]);
                k++;
            }
    } else {
        mpq_srcptr *v = lp__malloc(((size_t)m->n + 1) * sizeof *v);
        long j;
        if (!v)
            return LP_ENOMEM;
        for (i = 0; i < m->n; i++)
            if (m->covered[i])
                v[k++] = m->earn[i];
        qsort(v, (size_t)k, sizeof *v, cmp_desc);
        if (k > best)
            k = best;
        for (j = 0; j < k; j++)
            mpq_add(total, total, v[j]);
        lp__free(v);
    }
    *count = k;
    return LP_OK;
}

/* "PARAM has no value for MONTH" for a dated parameter read inside an aggregate. */
static int no_value(lp__calc *c, const lp__expr *e, const lp__param *p, lp__day d)
{
    char buf[11], msg[160];
    lp__day_format(buf, d);
    snprintf(msg, sizeof msg, "parameter '%s' has no value in force on %s (read by an aggregate)", p->id, buf);
    return fail(c, e, LP_ENOTFOUND, msg);
}

/* cap: each month's earnings at most the parameter in force that month. */
static int cap_months(lp__calc *c, const lp__expr *e, months *m)
{
    const lp__param *cap;
    int i;
    if (e->cap_param < 0 || !m->earn)
        return LP_OK;
    cap = &c->cur->s->params[e->cap_param];
    for (i = 0; i < m->n; i++) {
        lp__day first = lp__month_index_first_day(m->m0 + i);
        const lp__pvalue *v;
        if (!m->covered[i])
            continue;
        if (!(v = lp__param_at(cap, first)))
            return no_value(c, e, cap, first);
        if (mpq_cmp(m->earn[i], v->q) > 0)
            mpq_set(m->earn[i], v->q);
    }
    return LP_OK;
}

/* Contributions (earnings x rate, read at each month) with interest (read at
 * each year) from the month after payment up to the month of `to`; yearly
 * compounding credits each year's interest at its end. */
static int with_interest(lp__calc *c, const lp__expr *e, const months *m, mpq_t out)
{
    const lp__param *rate = &c->cur->s->params[e->rate_param];
    const lp__param *interest = e->interest_param >= 0 ? &c->cur->s->params[e->interest_param] : NULL;
    lp__day to;
    int rc = lp__formula_eval_day(&c->env, e->args[LP__AGG_TO], &to), t, mt, y, mo, d;
    mpq_t principal, accrued, year_interest, x, twelve;
    if (rc)
        return rc;
    mpq_set_ui(out, 0, 1);
    if (!m->n)
        return LP_OK;
    mt = lp__month_index(to);
    mpq_init(principal);
    mpq_init(accrued);
    mpq_init(year_interest);
    mpq_init(x);
    mpq_init(twelve);
    mpq_set_ui(twelve, 12, 1);
    for (t = m->m0; t <= mt && rc == LP_OK; t++) {
        lp__day first = lp__month_index_first_day(t);
        const lp__pvalue *iv = NULL;
        lp__day_to_ymd(first, &y, &mo, &d);
        if (interest) {
            iv = lp__param_at(interest, lp__day_from_ymd(y, 1, 1));
            if (!iv)
                iv = lp__param_at(interest, first);
            if (!iv) {
                rc = no_value(c, e, interest, first);
                break;
            }
            mpq_mul(x, principal, iv->q);
            mpq_div(x, x, twelve);
            mpq_add(year_interest, year_interest, x);
        }
        if (t - m->m0 < m->n && m->covered[t - m->m0] && mpq_sgn(m->earn[t - m->m0])) {
            const lp__pvalue *rv = lp__param_at(rate, first);
            if (!rv) {
                rc = no_value(c, e, rate, first);
                break;
            }
            mpq_mul(x, m->earn[t - m->m0], rv->q);
            mpq_add(principal, principal, x);
        }
        if (mo == 12 || t == mt) {
            if (e->compound)
                mpq_add(principal, principal, year_interest);
            else
                mpq_add(accrued, accrued, year_interest);
            mpq_set_ui(year_interest, 0, 1);
        }
    }
    if (rc == LP_OK)
        mpq_add(out, principal, accrued);
    mpq_clear(principal);
    mpq_clear(accrued);
    mpq_clear(year_interest);
    mpq_clear(x);
    mpq_clear(twelve);
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

int lp__aggregate_eval(lp__env *env, const lp__expr *e, lp__val *out)
{
    lp__calc *c = (lp__calc *)env;
    window w;
    lp__interval *v = NULL;
    const lp__hperiod **src = NULL;
    size_t n = 0;
    months m;
    long count = 0;
    int rc;

    if (e->index == LP__AGG_COUNT && no_filters(e)) {
        mpq_set(out->q, c->cur->own_count);
        return LP_OK;
    }
    memset(&m, 0, sizeof m);
    if ((rc = read_window(c, e, &w)) || (rc = clipped(c, &w, &v, &n, &src)))
        goto out;
    switch (e->index) {
    case LP__AGG_COUNT:
        n = lp__intervals_merge(v, n);
        rc = lp__count_intervals(out->q, v, n, c->cur->s->counting);
        break;
    case LP__AGG_MONTHS:
    case LP__AGG_FIRST_MONTH:
    case LP__AGG_LAST_MONTH:
        if ((rc = months_build(v, src, n, 0, &m)))
            break;
        if (e->index == LP__AGG_MONTHS) {
            int i;
            for (i = 0; i < m.n; i++)
                count += m.covered[i];
            mpq_set_si(out->q, count, 1);
        } else if (!m.n) {
            rc = fail(c, e, LP_ENOTFOUND, "no covered month matches: first_month/last_month have no answer");
        } else {
            out->day = lp__month_index_first_day(e->index == LP__AGG_FIRST_MONTH ? m.m0 : m.m0 + m.n - 1);
        }
        break;
    case LP__AGG_TOTAL_EARNINGS:
    case LP__AGG_AVERAGE_EARNINGS:
        if ((rc = months_build(v, src, n, 1, &m)) || (rc = cap_months(c, e, &m))
            || (rc = earnings(&m, w.best, w.latest, out->q, &count)))
            break;
        if (e->index == LP__AGG_AVERAGE_EARNINGS) {
            mpq_t k;
            mpq_init(k);
            mpq_set_si(k, count ? count : 1, 1);
            mpq_div(out->q, out->q, k);   /* zero when there are no months */
            mpq_clear(k);
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
        int i, year = -1, in_year = 0;
        if (e->args[LP__AGG_MIN_MONTHS] && (rc = lp__formula_eval_int(env, e->args[LP__AGG_MIN_MONTHS], &need)))
            break;
        if (need < 1 || need > 12) {
            rc = fail(c, e, LP_ERANGE, "calendar_years: min_months must be 1 to 12");
            break;
        }
        if ((rc = months_build(v, src, n, 0, &m)))
            break;
        for (i = 0; i < m.n; i++) {
            int y = (m.m0 + i) / 12;
            if (y != year) {
                count += in_year >= need;
                year = y;
                in_year = 0;
            }
            in_year += m.covered[i];
        }
        count += in_year >= need;
        mpq_set_si(out->q, count, 1);
        break;
    }
    case LP__AGG_CONTRIBUTIONS_WITH_INTEREST:
        if (!(rc = months_build(v, src, n, 1, &m)) && !(rc = cap_months(c, e, &m)))
            rc = with_interest(c, e, &m, out->q);
        break;
    default:
        rc = fail(c, e, LP_ERROR, "unknown aggregate");
    }
out:
    months_clear(&m);
    lp__free(v);
    lp__free(src);
    return rc;
}
