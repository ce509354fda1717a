/* Totalisation: a partner's periods converted into a scheme's units and added
 * to its own (as if on one timeline, or per calendar year with a cap), third
 * states' periods where an agreement's clause says so, and the predicates on
 * agreements the routes need (in force, excluded by a scenario, parties). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "calc_internal.h"
#include "decimal.h"
#include "error.h"
#include "rational.h"

/* Whether the career has periods in any partner scheme of t: an agreement
 * whose partners the worker never belonged to changes nothing for them. */
int lp__calc_has_partner_periods(lp__calc *c, const lp__totalisation *t)
{
    size_t i;
    for (i = 0; i < t->npartners; i++) {
        const lp__run *pr = t->partners[i].scheme >= 0 && c->runs[t->partners[i].scheme].s
                            ? &c->runs[t->partners[i].scheme] : NULL;
        if (pr && pr->nperiods)
            return 1;
    }
    return 0;
}

int lp__calc_excluded(const lp__calc *c, const lp__agreement *a)
{
    size_t i;
    for (i = 0; c->opts && i < c->opts->nwithout_agreements; i++)
        if (strcmp(c->opts->without_agreements[i], a->id) == 0)
            return 1;
    return 0;
}

int lp__calc_agreement_applies(const lp__calc *c, const lp__agreement *a)
{
    return !lp__calc_excluded(c, a) && lp__agreement_in_force(a, c->h->claim);
}

const lp__clause *lp__calc_clause(const lp__calc *c, const lp__scheme *s, const char *cc, int equal,
                                  const lp__agreement **which)
{
    size_t i, k;
    for (i = 0; i < c->rs->nagreements; i++) {
        const lp__agreement *a = &c->rs->agreements[i];
        const lp__clause *v = equal ? a->equal : a->exports;
        size_t n = equal ? a->nequal : a->nexports;
        if (!lp__calc_agreement_applies(c, a) || !lp__agreement_has_party(a, cc))
            continue;
        for (k = 0; k < n; k++)
            if (v[k].scheme >= 0 && &c->rs->schemes[v[k].scheme] == s) {
                if (which)
                    *which = a;
                return &v[k];
            }
    }
    return NULL;
}

/* Month masks per calendar year over [y0, y0 + n). */
static void mark_months(uint16_t *mask, int y0, int n, lp__day from, lp__day to)
{
    int a = lp__month_index(from), b = lp__month_index(to), m;
    for (m = a; m <= b; m++) {
        int y = m / 12 - y0;
        if (y >= 0 && y < n)
            mask[y] |= (uint16_t)(1u << (m % 12));
    }
}

static int popcount12(unsigned x)
{
    int k = 0;
    for (; x; x &= x - 1)
        k++;
    return k;
}

/* Partner periods converted per calendar year (the US: one quarter for each 3
 * months or remainder, own and converted at most 4 a year). Months in a unit
 * the scheme already credits are not counted again. */
static int convert_per_year(lp__calc *c, const lp__run *own, const lp__partner *p,
                            const lp__interval *pv, size_t pn, mpq_t out)
{
    int y0 = 9999, y1 = 1, n, y, yy, m, d;
    uint16_t *own_mask, *par_mask;
    size_t i, depth = c->env.scratch->depth;
    lp__workspace_mark mark = lp__workspace_mark_now(&c->ws);
    mpq_ptr units, step;
    if (!pn)
        return LP_OK;
    for (i = 0; i < pn; i++) {
        lp__day_to_ymd(pv[i].from, &y, &m, &d);
        if (y < y0) y0 = y;
        lp__day_to_ymd(pv[i].to, &y, &m, &d);
        if (y > y1) y1 = y;
    }
    n = y1 - y0 + 1;
    own_mask = lp__workspace_alloc(&c->ws, (size_t)n * sizeof *own_mask);
    par_mask = lp__workspace_alloc(&c->ws, (size_t)n * sizeof *par_mask);
    units = lp__calc_tmp(c);
    step = lp__calc_tmp(c);
    if (!own_mask || !par_mask || !units || !step) {
        lp__workspace_release(&c->ws, mark);
        lp__scratch_pop_to(c->env.scratch, depth);
        return LP_ENOMEM;
    }
    for (i = 0; i < own->nown; i++)
        mark_months(own_mask, y0, n, own->own[i].from, own->own[i].to);
    for (i = 0; i < pn; i++)
        mark_months(par_mask, y0, n, pv[i].from, pv[i].to);
    mpq_set_ui(step, 1, 1);
    for (yy = 0; yy < n; yy++) {
        unsigned o = own_mask[yy], pm = par_mask[yy], credited = o;
        int own_units, q;
        if (own->s->unit == LP__UNIT_QUARTER) {
            credited = 0;
            for (q = 0; q < 4; q++)
                if (o & (7u << (3 * q)))
                    credited |= 7u << (3 * q);
        }
        pm &= ~credited;
        if (!pm)
            continue;
        mpq_set_ui(units, (unsigned long)popcount12(pm), (unsigned long)p->months_per_unit);
        mpq_canonicalize(units);
        lp__round(units, units, step, p->rounding);
        if (p->per_year_cap) {
            if (own->s->unit == LP__UNIT_QUARTER) {
                own_units = 0;
                for (q = 0; q < 4; q++)
                    own_units += (o & (7u << (3 * q))) != 0;
            } else {
                own_units = own->s->unit == LP__UNIT_MONTH ? popcount12(o) : 0;
            }
            if (mpz_cmp_si(mpq_numref(units), p->per_year_cap - own_units) > 0)
                mpq_set_si(units, p->per_year_cap - own_units > 0 ? p->per_year_cap - own_units : 0, 1);
        }
        lp__q_add(out, out, units);
    }
    lp__workspace_release(&c->ws, mark);
    lp__scratch_pop_to(c->env.scratch, depth);
    return LP_OK;
}

/* Two per-year partner clauses that convert alike (their months are then
 * put on one timeline before converting). */
static int same_per_year(const lp__partner *a, const lp__partner *b)
{
    return a->conversion == LP__CONV_PER_YEAR && b->conversion == LP__CONV_PER_YEAR
           && a->months_per_unit == b->months_per_unit && a->rounding == b->rounding
           && a->per_year_cap == b->per_year_cap;
}

static int partner_has_periods(const lp__calc *c, const lp__partner *p)
{
    return p->scheme >= 0 && c->runs[p->scheme].s && c->runs[p->scheme].nperiods;
}

/* Totalised periods of run under t: own plus converted partner periods. */
/* A partner scheme's intervals as this scheme may count them: the partner's
 * own periods, within this scheme's age window and from the clause's date
 * (*pv in the workspace). */
static int partner_intervals(lp__calc *c, const lp__run *run, const lp__run *pr, lp__day from,
                             lp__interval **pv, size_t *pn)
{
    lp__day start = run->s->from_age >= 0 ? lp__calc_age_start(c, run->s->from_age) : LP__DAY_MIN;
    lp__day end = run->s->to_age >= 0 ? lp__calc_age_start(c, run->s->to_age) - 1 : LP__DAY_MAX;
    size_t k, w = 0;
    /* the partner's own intervals were worked out when its run was set up */
    *pv = lp__workspace_alloc_raw(&c->ws, (pr->nown ? pr->nown : 1) * sizeof **pv);
    if (!*pv)
        return LP_ENOMEM;
    memcpy(*pv, pr->own, pr->nown * sizeof **pv);
    *pn = pr->nown;
    if (from > start)
        start = from;
    for (k = 0; k < *pn; k++) {
        if ((*pv)[k].to < start || (*pv)[k].from > end)
            continue;
        (*pv)[w] = (*pv)[k];
        if ((*pv)[w].from < start)
            (*pv)[w].from = start;
        if ((*pv)[w].to > end)
            (*pv)[w].to = end;
        w++;
    }
    *pn = w;
    return LP_OK;
}

/* all has room for every run's intervals (see lp__calc_totalise). */
static int append_intervals(lp__interval *all, size_t *nall, const lp__interval *v, size_t n)
{
    memcpy(all + *nall, v, n * sizeof *v);
    *nall += n;
    return LP_OK;
}

/* Two countries bound by an agreement in force that totalises periods. */
static int totalising_between(lp__calc *c, const char *x, const char *y)
{
    size_t i;
    for (i = 0; i < c->rs->nagreements; i++) {
        const lp__agreement *a = &c->rs->agreements[i];
        if (!lp__calc_agreement_applies(c, a) || a->coverage_only || !a->ntotalisations)
            continue;
        if (lp__agreement_has_party(a, x) && lp__agreement_has_party(a, y))
            return 1;
    }
    return 0;
}

static int is_partner(const lp__totalisation *t, const lp__scheme *s, const lp_ruleset *rs)
{
    size_t i;
    for (i = 0; i < t->npartners; i++)
        if (t->partners[i].scheme >= 0 && &rs->schemes[t->partners[i].scheme] == s)
            return 1;
    return 0;
}

/* A third state's scheme counts under a third-state clause (Canada-Philippines
 * Art IX) when the scheme's country and every other party are bound to that
 * state by agreements that totalise. */
static int third_state_counts(lp__calc *c, const lp__agreement *a, const lp__run *run, const lp__run *x)
{
    size_t i;
    if (lp__agreement_has_party(a, x->s->country))
        return 0;
    for (i = 0; i < a->nparties; i++)
        if (!totalising_between(c, a->parties[i].country, x->s->country))
            return 0;
    return strcmp(run->s->country, x->s->country) != 0;
}

/* Keep the route's merged periods for months(periods: totalised), when the
 * scheme's formulas read them; a partner converted per calendar year has
 * units, not dates, so none are kept then. */
static int keep_timeline(lp__calc *c, const lp__run *run, const lp__interval *all, size_t nall, int per_year)
{
    c->timeline_state = per_year ? LP__TIMELINE_PER_YEAR : LP__TIMELINE_KNOWN;
    c->ntimeline = 0;
    if (per_year || !run->s->reads_timeline)
        return LP_OK;
    if (nall > c->timeline_cap) {
        lp__interval *v = lp__realloc(c->timeline, nall * sizeof *v);
        if (!v) {
            c->timeline_state = LP__TIMELINE_NONE;
            return LP_ENOMEM;
        }
        c->timeline = v;
        c->timeline_cap = nall;
    }
    memcpy(c->timeline, all, nall * sizeof *all);
    c->ntimeline = nall;
    return LP_OK;
}

/* Totalised periods of run under t: own plus converted partner periods (and
 * third states' periods where the clause says so). The merged periods are
 * kept in c for the route (keep_timeline). */
int lp__calc_totalise(lp__calc *c, const lp__run *run, const lp__agreement *a,
                    const lp__totalisation *t, mpq_t total, mpq_t converted)
{
    lp__interval *all = NULL;
    size_t nall = run->nown, i;
    int rc = LP_OK;
    lp__workspace_mark mark = lp__workspace_mark_now(&c->ws);
    size_t cap = 1;
    int per_year = 0;
    mpq_set_ui(converted, 0, 1);
    /* room for this run's intervals, each partner clause's and each third state's */
    for (i = 0; i < c->nruns; i++)
        cap += c->runs[i].nown;
    for (i = 0; i < t->npartners; i++)
        if (t->partners[i].scheme >= 0)
            cap += c->runs[t->partners[i].scheme].nown;
    all = lp__workspace_alloc_raw(&c->ws, cap * sizeof *all);
    if (!all)
        return LP_ENOMEM;
    memcpy(all, run->own, run->nown * sizeof *all);
    for (i = 0; i < t->npartners && rc == LP_OK; i++) {
        const lp__partner *p = &t->partners[i];
        lp__run *pr = p->scheme >= 0 && c->runs[p->scheme].s ? &c->runs[p->scheme] : NULL;
        lp__interval *pv = NULL;
        size_t pn = 0;
        if (!pr || !pr->nperiods)
            continue;
        if (p->conversion == LP__CONV_PER_YEAR) {
            /* Per-year partners are converted together: the months of every
             * per-year partner with the same conversion (Japan's NP and EPI for
             * the same months of work) are one timeline, so a month covered
             * by two of them counts once and the yearly cap holds for all of
             * them (audit 2: NP + EPI months were converted twice). */
            size_t j, k, gn = 0;
            int first = 1;
            lp__interval *gv;
            for (j = 0; j < i && first; j++)
                if (same_per_year(&t->partners[j], p) && partner_has_periods(c, &t->partners[j]))
                    first = 0;
            if (!first)
                continue;
            gv = lp__workspace_alloc_raw(&c->ws, cap * sizeof *gv);
            if (!gv) {
                rc = LP_ENOMEM;
                break;
            }
            for (j = i; j < t->npartners && rc == LP_OK; j++) {
                const lp__partner *q = &t->partners[j];
                if (!same_per_year(q, p) || !partner_has_periods(c, q))
                    continue;
                rc = partner_intervals(c, run, &c->runs[q->scheme], q->from, &pv, &pn);
                for (k = 0; rc == LP_OK && k < pn; k++)
                    gv[gn++] = pv[k];
            }
            per_year |= gn > 0;
            if (rc == LP_OK)
                rc = convert_per_year(c, run, p, gv, gn, converted);
            continue;
        }
        rc = partner_intervals(c, run, pr, p->from, &pv, &pn);
        if (rc == LP_OK)
            rc = append_intervals(all, &nall, pv, pn);
    }
    for (i = 0; t->third_state && rc == LP_OK && i < c->nruns; i++) {
        const lp__run *x = &c->runs[i];
        lp__interval *pv = NULL;
        size_t pn = 0;
        if (!x->s || x == run || !x->nperiods || is_partner(t, x->s, c->rs)
            || !third_state_counts(c, a, run, x))
            continue;
        rc = partner_intervals(c, run, x, LP__DAY_MIN, &pv, &pn);
        if (rc == LP_OK)
            rc = append_intervals(all, &nall, pv, pn);
        if (rc == LP_OK && c->trace) {
            char name[160], f[160];
            snprintf(name, sizeof name, "%s/third-state[%s]", run->s->id, a->id);
            snprintf(f, sizeof f, "periods of %s counted: every party is bound to %s by a totalising agreement",
                     x->s->id, x->s->country);
            lp__calc_step(c, name, lp__arena_strdup(c->r->arena, f), "true", &t->cite);
        }
    }
    if (rc == LP_OK) {
        nall = lp__intervals_merge(all, nall);
        rc = keep_timeline(c, run, all, nall, per_year);
        if (rc == LP_OK)
            rc = lp__count_intervals(total, all, nall, run->s->counting);
        if (rc == LP_OK) {
            /* converted += total - own; total = own + converted */
            lp__q_sub(total, total, run->own_count);
            lp__q_add(converted, converted, total);
            lp__q_add(total, run->own_count, converted);
        }
    }
    lp__workspace_release(&c->ws, mark);
    return rc;
}
