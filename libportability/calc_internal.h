/* State of one calculation, shared by calc.c (routes, totalisation, lump sums)
 * and aggregate.c (sums and counts over the worker's periods). */
#ifndef LP_CALC_INTERNAL_H
#define LP_CALC_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <portability/calc.h>

#include "formula.h"
#include "history_model.h"
#include "period.h"
#include "result_model.h"
#include "rules.h"
#include "workspace.h"

/* A value a history fact gives for an input or definition. */
typedef struct lp__factval {
    int set;
    int line;                      /* the fact's line in the history */
    mpq_ptr q;                     /* from the held pool, NULL until a fact binds a number */
    lp__day day;
    int b;
    const char *text;
} lp__factval;

/* One scheme of the career. */
typedef struct lp__run {
    const lp__scheme *s;
    const lp__hperiod **periods;   /* the history's periods of this scheme (none if a lump sum took them) */
    size_t nperiods;
    lp__interval *own;             /* merged, filtered by kind and from-age */
    size_t nown;
    mpq_ptr own_count;             /* from the held pool */
    lp__factval *inputs;           /* per input */
    lp__factval *defines;          /* per definition: a fact overriding it (NULL: no fact
                                      overrides any) */
    struct lp__year_memo *years;   /* aggregate.c: `year:` figures computed so far (NULL: none) */
    lp__factval employment_facts[3];  /* LP__EMPLOYMENT_FACT_*: a history without employments */
} lp__run;

/* What months(periods: totalised) can read in the current context. */
enum {
    LP__TIMELINE_NONE,             /* no agreement's route is being computed */
    LP__TIMELINE_KNOWN,            /* lp__calc's timeline holds the route's periods */
    LP__TIMELINE_PER_YEAR          /* a partner's periods were converted per year: no dates */
};

typedef struct lp__read lp__read;

typedef struct lp__calc {
    lp__env env;                   /* the evaluator's callbacks receive &calc->env: lp__calc_of */
    const lp_ruleset *rs;
    const lp_history *h;           /* read only: may be shared with other threads */
    const lp_calc_options *opts;
    lp_result *r;
    lp__run *runs;
    size_t nruns;
    lp__run *cur;                  /* the scheme being evaluated */
    /* the evaluation context: the period variable and friends */
    /* point at the route's or the run's own rationals (read only), or at `one` */
    mpq_srcptr periods, flat_ratio;
    mpq_ptr one;
    int totalised;
    /* the totalised periods of the agreement's route being computed, on one
     * timeline (totalise.c), for months(periods: totalised); `timeline_state`
     * says whether they are known (LP__TIMELINE_*) */
    lp__interval *timeline;
    size_t ntimeline, timeline_cap;
    int timeline_state;
    /* with a trace: the values read where a step's formula does not name them
     * (env->read), waiting for their step; each step being computed owns
     * those from the count there was when it began (calc_context.c) */
    struct lp__read {
        lp__kv kv;
        const void *what;          /* the value, row or version read */
    } *reads;
    size_t nreads, reads_cap;
    size_t reads_frame;            /* where the step being computed now began */
    int age;                       /* on the claim date (the built-in `age`) */
    lp__scratch *route_q;          /* the routes' rationals, per entitlement (calc.c) */
    lp__scratch *held;             /* rationals that live as long as the calculation */
    /* definitions computed in this context */
    unsigned char *def_state;      /* 0 not computed, 1 computed */
    int defs_totalised;            /* the `totalised` the computed LP__VARIES_TOTALISED
                                      definitions were computed with (lp__calc_reset_context) */
    lp__val *def_val;              /* .q from the held pool on first use, NULL before */
    int trace;
    lp__steps *steps;              /* where trace steps go now */
    uint64_t held_mask;            /* held values the figure being computed rests on */
    uint64_t *def_held;            /* per definition computed: the held values it rests on */
    lp__workspace ws;              /* temporary arrays of the aggregates: last (not zeroed) */
    /* values read past their end (after-last="hold"), each once; bit i of a
     * mask stands for held[i] (the last bit for all past it, if ever) */
    struct { const lp__param *p; const lp__table *t; } heldv[64];
    size_t nheld;
} lp__calc;

/* The rationals a calculation works with, kept between calculations when the
 * caller supplies them (lp_calc_with): a rational keeps its limbs, so a
 * calculation that reuses a pad does not call the allocator for them. Each
 * pool is a stack: `eval` for intermediate results, `routes` per entitlement,
 * `held` for the calculation's lifetime (facts, definitions, period counts). */
struct lp_scratchpad {
    lp__scratch eval, routes, held;
};

/* The calculation whose evaluation context env is (env is &c->env for every
 * env the evaluator hands a callback: lp_calc_with makes no other). */
static inline lp__calc *lp__calc_of(lp__env *env)
{
    return (lp__calc *)(void *)((char *)env - offsetof(lp__calc, env));
}

/* A zero rational from the scratch stack (NULL when out of memory): give it
 * back with lp__scratch_pop_to(c->env.scratch, depth saved before). */
mpq_ptr lp__calc_tmp(lp__calc *c);

/* The current context changed: forget computed definitions. */
void lp__calc_reset_context(lp__calc *c);

/* Shared by calc.c and totalise.c. */
lp__day lp__calc_age_start(const lp__calc *c, int years);
/* A trace step (NULL when no trace is kept). */
lp_trace_step *lp__calc_step(lp__calc *c, const char *rule, const char *formula, const char *value,
                             const lp__cite *cite);

/* The chain of the calculation: calc_context.c (evaluation context, runs)
 * -> calc_entitlement.c (routes, the pension) -> calc_lump_sum.c (lump sums)
 * -> calc.c (lp_calc). Each file calls only those before it. */

/* calc_context.c: the figures a formula is evaluated against: the periods
 * (own or totalised), whether totalised, a flat pro-rata ratio or NULL. */
void lp__calc_set_context(lp__calc *c, mpq_srcptr periods, int totalised, mpq_srcptr flat_ratio);
/* The held values of mask (cb_held's bits) as a result's provisional list. */
int lp__calc_record_held(lp__calc *c, lp__heldset *out, uint64_t mask);
/* A dated formula list v[n] evaluated at the claim date as type k into out;
 * *used the version that applied. */
int lp__calc_eval_formula(lp__calc *c, const lp__formula *v, size_t n, const char *rule,
                          lp__val *out, lp__tkind k, const lp__formula **used);
/* A boolean and a money formula list, as lp__calc_eval_formula(). */
int lp__calc_eval_bool(lp__calc *c, const lp__formula *v, size_t n, const char *rule, int *out);
int lp__calc_eval_money(lp__calc *c, const lp__formula *v, size_t n, const char *rule, mpq_t out);
/* run->own_count: the run's periods in the scheme's unit, by its counting rule. */
int lp__calc_own_count(lp__calc *c, lp__run *run);
/* The callbacks through which c's formulas read facts, definitions, built-in
 * names and aggregates, and report held values. */
void lp__calc_bind_env(lp__calc *c);
/* One run per scheme the history names (its periods and facts checked and
 * bound); c->runs[i].s is NULL for a scheme the career does not touch. */
int lp__calc_setup_runs(lp__calc *c);
/* The benefit id of scheme s, or NULL. */
const lp__benefit *lp__calc_find_benefit(const lp__scheme *s, const char *id);
/* calc_entitlement.c: the claimed benefit of run's scheme, into c->r. */
int lp__calc_entitlement(lp__calc *c, lp__run *run);
/* calc_lump_sum.c: every lump-sum option of run's scheme, into c->r. */
int lp__calc_lump_sums(lp__calc *c, lp__run *run);

/* Totalisation (totalise.c). */
int lp__calc_has_partner_periods(lp__calc *c, const lp__totalisation *t);
int lp__calc_excluded(const lp__calc *c, const lp__agreement *a);
/* a applies to this calculation: not set aside by the options, and in force on
 * the claim date (entered into force on or before it, not terminated before). */
int lp__calc_agreement_applies(const lp__calc *c, const lp__agreement *a);
/* The clause about scheme s of an agreement that applies and binds country cc:
 * its <equal-treatment> (equal != 0) or its <export>; NULL when none. The
 * agreement goes to *which when which is not NULL. */
const lp__clause *lp__calc_clause(const lp__calc *c, const lp__scheme *s, const char *cc, int equal,
                                  const lp__agreement **which);
int lp__calc_totalise(lp__calc *c, const lp__run *run, const lp__agreement *a,
                      const lp__totalisation *t, mpq_t total, mpq_t converted);

/* Employments (employment.c): the facts that stand for an employment in a
 * history without <employment>s, their slot in lp__run.employment_facts. */
enum { LP__EMPLOYMENT_FACT_REASON, LP__EMPLOYMENT_FACT_WAGE, LP__EMPLOYMENT_FACT_BASIC,
       LP__EMPLOYMENT_FACTS };
/* The slot of a fact named `name` (and the type it is read as), or -1. */
int lp__employment_fact_slot(const char *name, lp__type *type, const lp__scheme *s);
/* The latest employment among the periods being computed, or NULL. */
const lp__employment *lp__calc_employment(const lp__calc *c);
/* The built-in separation_reason ("" for an employment that does not say). */
int lp__calc_separation_reason(lp__calc *c, lp__val *out);
/* last_wage(part: ...): money in the scheme's currency. */
int lp__calc_last_wage(lp__calc *c, const lp__expr *e, lp__val *out);

/* Aggregate functions (aggregate.c; rules/README.md 5.6): the worker's own
 * periods in the scheme being evaluated (c->cur), as the law counts them
 * (shared/domain/RULES.md 1.1: periods of insurance of one scheme).
 * Computes node's aggregate (count, months, total_earnings,
 * average_earnings, first_month, last_month, first_day, last_day, years,
 * contributions_with_interest) over the run's periods of the scheme's kinds
 * (or the node's kind: filter), clipped to the scheme's from-age/to-age and
 * to the node's window (from:, before:, year:, last: N months, best: N
 * months, latest: N covered months); months are counted once however many
 * periods touch them, and concurrent earnings add (or the highest counts,
 * for a scheme that says so). Assumes env is &c->env of a calculation with
 * c->cur set. Writes out->q (or out->day); returns LP_OK, or an error located
 * at the node (a window argument out of range, a dated parameter with no
 * value, no covered month for first_month/last_month). A `year:`-only total
 * or count is kept per run and year: asked again, it is not recomputed. */
int lp__aggregate_eval(lp__env *env, const lp__expr *node, lp__val *out);
/* Free what the aggregates kept for a run (its `year:` figures). */
void lp__aggregate_run_free(lp__run *run);

#endif
