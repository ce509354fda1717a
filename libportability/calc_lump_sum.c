/* A scheme's lump-sum options (calc_internal.h; RULES.md 1.6): refunds,
 * withdrawals, balances and the awards an employer owes, each with its
 * conditions and amount on the scheme's own periods, once per employer for
 * an option per="employment". Reads the context (calc_context.c) and the
 * evaluation helpers of calc_entitlement.c. */
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
        l->kind = ls->kind;
        l->currency = s->currency;
        l->forfeits_periods = ls->forfeits_periods;
        l->available = 1;
        l->conditions = lp__arena_alloc(c->r->arena, (ls->nconditions ? ls->nconditions : 1) * sizeof *l->conditions);
        if (!l->conditions || !(amount = lp__calc_tmp(c)))
            return LP_ENOMEM;
        lp__calc_set_context(c, run->own_count, 0, NULL);
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
            rc = lp__calc_eval_bool(c, &ls->conditions[k].f, 1, name, &l->conditions[k].met);
            l->available &= l->conditions[k].met;
        }
        l->nconditions = ls->nconditions;
        if (rc == LP_OK) {
            name[0] = '\0';
            if (c->trace)
                snprintf(name, sizeof name, "%s/%s%s%s/amount", s->id, ls->id, employer ? "/" : "",
                         employer ? employer : "");
            rc = lp__calc_eval_money(c, ls->amount, ls->namount, name, amount);
            if (rc != LP_OK && !l->available) {
                rc = LP_OK;     /* not available, and not computable either (below the first band) */
                mpq_set_ui(amount, 0, 1);
            }
        }
        if (rc != LP_OK && rc != LP_ENOMEM) {
            /* the rules cannot compute this option for this career (a rate with no value
             * on a date, a fact missing): say so on the option, keep every other figure */
            if (!(l->failure = lp__failure_from_error(c->r, c->env.gap.name, c->env.gap.day)))
                return LP_ENOMEM;
            l->error = l->failure->message;
            l->available = 0;
            mpq_set_ui(amount, 0, 1);
            c->env.gap.name = NULL;
            rc = LP_OK;
        }
        if (rc == LP_OK)
            rc = lp__calc_record_held(c, &l->held, c->held_mask);
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
    if ((rc = lp__calc_own_count(c, run)))
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
        rc = lp__calc_own_count(c, run);
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
int lp__calc_lump_sums(lp__calc *c, lp__run *run)
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

