/* A scheme's pension (calc_internal.h; shared/domain/RULES.md 1.3-1.5): the
 * independent route on its own periods, one route per agreement that covers
 * it (totalised periods; theoretical, pro-rata and direct amounts), the most
 * favourable chosen, and whether it can be paid abroad. Reads the context
 * (calc_context.c); the C code knows no scheme. */
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

static int covers(const lp__totalisation *t, const char *benefit)
{
    size_t i;
    for (i = 0; i < t->nbenefits; i++)
        if (lp__same_id(t->benefits[i], benefit))
            return 1;
    return 0;
}

/* ---------------------------------------------------------------- routes */

/* A route's status is one of LP_STATUS_PAYABLE, _NOT_ELIGIBLE, _NOT_IN_FORCE,
 * _BELOW_MINIMUM or _CANNOT_COMPUTE (LP_STATUS_INVALID until decided), its
 * method LP_METHOD_INDEPENDENT, _PRO_RATA, _DIRECT or _NONE (cannot-compute):
 * the result's own values, named only by the writers (result_names.c). */
typedef struct route {
    const lp__agreement *a;        /* NULL: independent */
    const lp__totalisation *t;
    lp_status status;
    lp_method method;
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
    r->status = LP_STATUS_INVALID;
    r->method = LP_METHOD_INVALID;
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
 * Returns LP_OK with r->status payable or not-eligible (r->computed is 1
 * either way, r->payable_exact is the amount before rounding), or the first
 * evaluation error (a fact missing, a parameter without a value on a date),
 * which the caller turns into a cannot-compute route (route_failed). */
static int independent_route(lp__calc *c, lp__run *run, const lp__benefit *b, route *r)
{
    char name[160];
    int rc;
    r->total = (mpq_ptr)run->own_count;     /* read only: its own periods */
    if ((rc = route_basic(c, r)))
        return rc;
    lp__calc_set_context(c, run->own_count, 0, NULL);
    rc = lp__calc_eval_bool(c, b->eligible, b->neligible, rule_name(c, name, sizeof name, run->s, b, "eligible", "independent"),
                   &r->eligible);
    r->computed = 1;
    r->method = LP_METHOD_INDEPENDENT;
    if (rc)
        return rc;
    if (!r->eligible) {
        r->status = LP_STATUS_NOT_ELIGIBLE;
        return LP_OK;
    }
    rc = lp__calc_eval_money(c, b->amount, b->namount, rule_name(c, name, sizeof name, run->s, b, "amount", "independent"),
                    r->payable);
    mpq_set(r->payable_exact, r->payable);
    if (rc == LP_OK)
        rc = apply_rounding(c, b, LP__ROUND_OF_PAYABLE, r->payable,
                            rule_name(c, name, sizeof name, run->s, b, "payable", "independent"));
    r->status = LP_STATUS_PAYABLE;
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
        return lp__calc_eval_formula(c, b->ratio, b->nratio, rule_name(c, name, sizeof name, run->s, b, "ratio", t ? "totalised" : ""),
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
 * that settles it: the agreement not in force on the claim date (status
 * not-in-force); only-if-not-eligible-alone with the independent route
 * eligible (the independent amount, method independent); fewer own periods
 * than the agreement's minimum (below-minimum); else the totalised periods (own +
 * partner periods converted: lp__calc_totalise), eligibility on them, and the
 * amount: pro-rata = theoretical amount (the formula on the totalised periods,
 * or on the agreement's theoretical-periods) x pro_rata_ratio, rounded as the
 * scheme's pro-rata rounding; direct = the formula on own periods with
 * totalised true (x own / flat-minimum, at most 1, for direct-flat); with
 * pay-higher the higher of that and the independent amount. The payable is
 * rounded as the scheme's payable rounding; payable_exact keeps it before.
 * Assumes: indep is this entitlement's independent route, already computed;
 * c->cur is run. Returns LP_OK with r's status set, or an evaluation error
 * (the caller's route_failed makes it cannot-compute). */
static int agreement_route(lp__calc *c, lp__run *run, const lp__benefit *b, const lp__agreement *a,
                           const lp__totalisation *t, const route *indep, route *r)
{
    char name[160];
    mpq_ptr converted = NULL, tmp = NULL;
    size_t depth = c->env.scratch->depth;
    int rc;
    r->a = a;
    r->t = t;
    r->method = t->method == LP__METHOD_PRO_RATA ? LP_METHOD_PRO_RATA : LP_METHOD_DIRECT;
    if (!lp__agreement_in_force(a, c->h->claim)) {
        r->status = LP_STATUS_NOT_IN_FORCE;
        return LP_OK;
    }
    if (t->only_if_not_eligible_alone && indep->eligible) {
        /* the scheme pays on its own periods; the agreement is not used */
        r->status = indep->status;
        r->method = LP_METHOD_INDEPENDENT;
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
        r->status = LP_STATUS_BELOW_MINIMUM;
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
    lp__calc_set_context(c, r->total, 1, NULL);
    rc = lp__calc_eval_bool(c, b->eligible, b->neligible, rule_name(c, name, sizeof name, run->s, b, "eligible", a->id), &r->eligible);
    if (rc)
        goto out;
    if (!r->eligible) {
        r->status = LP_STATUS_NOT_ELIGIBLE;
        goto out;
    }
    if ((rc = route_basic(c, r)))
        goto out;
    if (t->method == LP__METHOD_PRO_RATA || t->pay_higher) {
        if ((rc = route_q(c, &r->theoretical)) || (rc = route_q(c, &r->pro_rata))
            || (rc = route_q(c, &r->pro_rata_exact)))
            goto out;
        if (t->theoretical_periods)
            lp__calc_set_context(c, t->theoretical_periods, 1, NULL);
        rc = lp__calc_eval_money(c, b->amount, b->namount, rule_name(c, name, sizeof name, run->s, b, "amount", "theoretical"),
                        r->theoretical);
        r->has_theoretical = 1;
        if (rc == LP_OK) {
            lp__calc_set_context(c, r->total, 1, NULL);
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
        lp__calc_set_context(c, run->own_count, 1, t->method == LP__METHOD_DIRECT_FLAT ? tmp : NULL);
        rc = lp__calc_eval_money(c, b->amount, b->namount, rule_name(c, name, sizeof name, run->s, b, "amount", "direct"),
                        r->direct);
        r->has_direct = 1;
        if (rc)
            goto out;
        mpq_set(r->payable, r->direct);
    }
    if (t->pay_higher && indep->eligible && lp__q_cmp(indep->payable, r->payable) > 0) {
        mpq_set(r->payable, indep->payable);
        r->method = LP_METHOD_INDEPENDENT;
        if (c->trace)
            lp__calc_step(c, rule_name(c, name, sizeof name, run->s, b, "payable", a->id),
                 "max(independent, pro-rata)", lp__value_text(c->r, r->payable), &t->cite);
    }
    mpq_set(r->payable_exact, r->t->method == LP__METHOD_PRO_RATA && r->method != LP_METHOD_INDEPENDENT
            ? r->pro_rata_exact : r->payable);
    rc = apply_rounding(c, b, LP__ROUND_OF_PAYABLE, r->payable,
                        rule_name(c, name, sizeof name, run->s, b, "payable", a->id));
    r->status = LP_STATUS_PAYABLE;
out:
    c->timeline_state = LP__TIMELINE_NONE;   /* the route's periods end with it */
    lp__scratch_pop_to(c->env.scratch, depth);
    return rc;
}

/* ---------------------------------------------------------------- export */


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
    /* an export clause of an agreement that applies and whose party is the
     * country of residence lifts the scheme's residence restrictions */
    if ((cl = lp__calc_clause(c, run->s, c->h->residence, 0, &a))) {
        *out = 1;
        if (c->trace)
            lp__calc_step(c, rule_name(c, name, sizeof name, run->s, b, "export", a->id),
                 "residence is a party to the agreement", "true", &cl->cite);
        return LP_OK;
    }
    if (!run->s->nexports)
        return LP_OK;
    lp__calc_set_context(c, best && best->computed ? best->total : run->own_count, best && best->a != NULL, NULL);
    name[0] = '\0';
    if (c->trace)
        snprintf(name, sizeof name, "%s/export", run->s->id);
    return lp__calc_eval_bool(c, run->s->exports, run->s->nexports, name, out);
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
    return r->computed && r->status == LP_STATUS_PAYABLE ? r->payable : NULL;
}

/* Status when no route pays: the most telling reason. */
static lp_status no_route_status(const route *routes, size_t n)
{
    size_t i;
    int below = 0, not_in_force = 0, evaluated = 0;
    for (i = 1; i < n; i++) {
        below |= routes[i].status == LP_STATUS_BELOW_MINIMUM;
        not_in_force |= routes[i].status == LP_STATUS_NOT_IN_FORCE;
        evaluated |= routes[i].status == LP_STATUS_NOT_ELIGIBLE;
    }
    if (below)
        return LP_STATUS_BELOW_MINIMUM;
    if (not_in_force && !evaluated)
        return LP_STATUS_NOT_IN_FORCE;
    return LP_STATUS_NOT_ELIGIBLE;
}

/* A route whose rules could not be computed for this career (rc is an error
 * other than out of memory): the route says why, and so does the entitlement
 * (its first such route), which then pays nothing rather than a figure that
 * may not be the most favourable. Other schemes are not affected. */
static int route_failed(lp__calc *c, lp_entitlement *e, route *r, int rc)
{
    if (rc == LP_OK || rc == LP_ENOMEM)
        return rc;
    r->status = LP_STATUS_CANNOT_COMPUTE;
    r->method = LP_METHOD_NONE;
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
 * the claimed benefit gives not-covered. A route that cannot be computed
 * makes the whole entitlement cannot-compute (no figure that might not be
 * the most favourable). Returns LP_OK, or LP_ENOMEM (evaluation errors are
 * recorded in the result, not returned). */
int lp__calc_entitlement(lp__calc *c, lp__run *run)
{
    const lp__scheme *s = run->s;
    const lp__benefit *b = lp__calc_find_benefit(s, c->h->benefit);
    lp_entitlement *e = lp__result_add_entitlement(c->r);
    route on_stack[ROUTES_ON_STACK], *routes = on_stack;
    size_t nroutes = 0, cap = ROUTES_ON_STACK, i, k, best = 0, depth = c->env.scratch->depth;
    int rc = LP_OK, any = 0;

    if (!e)
        return LP_ENOMEM;
    c->cur = run;
    c->steps = &e->trace;
    e->scheme = s->id;
    e->benefit = c->r->benefit;       /* the result's copies: the history may be freed first */
    e->currency = s->currency;
    e->unit = s->unit;
    e->residence = c->r->residence;
    e->own = lp__value_text(c->r, run->own_count);
    e->totalised = e->own;
    e->frequency = b ? b->frequency : LP_FREQUENCY_MONTHLY;
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
        if (!routes[i].computed || routes[i].status != LP_STATUS_PAYABLE)
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
        e->status = e->failure ? LP_STATUS_CANNOT_COMPUTE : any ? LP_STATUS_PAYABLE : no_route_status(routes, nroutes);
        e->method = any ? r->method : LP_METHOD_NONE;
        e->agreement = any && r->a && r->method != LP_METHOD_INDEPENDENT ? r->a->id : NULL;
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
                                           routes[i].status,
                                           routes[i].computed || i == 0 ? routes[i].method : LP_METHOD_NONE,
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
            rc = lp__calc_record_held(c, &e->held, c->held_mask);
    }
    if (routes != on_stack)
        lp__free(routes);
    lp__scratch_pop_to(c->env.scratch, depth);
    return rc;
}

