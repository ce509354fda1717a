/* The in-memory result (public side: portability/result.h) and the builders
 * the calculation uses. Everything lives in the result's arena. */
#ifndef LP_RESULT_MODEL_H
#define LP_RESULT_MODEL_H

#include <gmp.h>
#include <portability/result.h>

#include "arena.h"
#include "date.h"
#include "period.h"

/* An input of a trace step: a name and its value; for a parameter, series or
 * table look-up also the date it was read at, the table row matched ("min..max",
 * "min.." when open, "default") and the citation of the dated value used
 * (the whole cite attribute, its source's id and grade). Unused fields NULL. */
typedef struct lp__kv {
    const char *name, *value;
    const char *at, *row, *cite, *source, *grade;
} lp__kv;

struct lp_trace_step {
    const char *rule, *formula, *value, *cite, *title, *url;
    lp__kv *inputs;
    size_t ninputs, cap;
};

/* An amount: exact values kept (frozen rationals in the result's arena),
 * and the text the accessors and writers show. */
typedef struct lp__amount {
    lp_amount_kind kind;
    mpq_srcptr figure;         /* as the rules rounded it: what the figure is */
    mpq_srcptr unrounded;      /* before the rules' rounding (== figure when none) */
    const char *value, *exact; /* display text; exact NULL when value is exact */
    const char *figure_text;   /* figure exactly: value when exact, else num/den */
} lp__amount;

/* Why a scheme, a route or an option could not be computed for this career:
 * the error as the evaluation set it, and the dated value it found missing. */
typedef struct lp__failure {
    const char *message;       /* "file:line:column: message" */
    const char *file;          /* the rule file, or NULL */
    int line, column;
    const char *gap_name;      /* the parameter or table with no value, or NULL */
    const char *gap_date;      /* and the date it was read at (YYYY-MM-DD) */
} lp__failure;

/* A value read past its last published date because its rule holds it
 * (after-last="hold"): the figure that rests on it is provisional. */
typedef struct lp__held {
    const char *name;          /* the parameter or table */
    const char *since;         /* the first day past its last value (YYYY-MM-DD) */
    const char *cite;          /* the last value's citation */
} lp__held;

typedef struct lp__heldset {
    lp__held *v;
    size_t n;
} lp__heldset;

/* Something the calculation did with the input that the reader must know
 * (a period cut at the claim date), with the history's line. */
typedef struct lp__note {
    const char *scheme, *message;
    int line, column;
} lp__note;

typedef struct lp__route {
    const char *agreement, *payable;
    lp_status status;
    lp_method method;
    mpq_srcptr payable_q;      /* payable exactly, or NULL (pays nothing) */
    const char *error;         /* status cannot-compute: why */
} lp__route;

typedef struct lp__steps {
    lp_trace_step **v;
    size_t n, cap;
} lp__steps;

struct lp_entitlement {
    const char *scheme, *benefit, *currency, *agreement;
    lp_frequency frequency;
    lp_status status;
    lp_method method;
    const char *own, *totalised, *residence;
    lp__unit unit;                 /* of own and totalised (named by lp__unit_name at the edges) */
    int eligible_alone, eligible_totalised, export_allowed;
    lp__amount amounts[5];
    size_t namounts;
    lp__route *routes;
    size_t nroutes, cap_routes;
    const lp__failure *failure;    /* status cannot-compute: why, else NULL */
    lp__heldset held;              /* values held past their end: the figure is provisional */
    lp__steps trace;
};

typedef struct lp__cond { const char *id, *cite; int met; } lp__cond;

struct lp_lump_sum {
    const char *scheme, *option, *currency, *value, *exact;
    lp_lump_sum_type kind;
    mpq_srcptr amount;         /* the value exactly */
    const char *employer;      /* per="employment": the employer it is owed by, else NULL */
    int available, forfeits_periods;
    const char *error;         /* why the option could not be computed, or NULL */
    const lp__failure *failure;    /* the same, in parts (file, position, gap), or NULL */
    lp__cond *conditions;
    size_t nconditions;
    lp__heldset held;          /* values held past their end: the figure is provisional */
    lp__steps trace;
};

struct lp_result {
    lp__arena *arena;
    const char *history_id, *claim_date, *library_version, *rules_digest, *input_digest;
    /* the claim's benefit and the worker's residence, copied from the history:
     * a result outlives its history (lp_compare frees the variant's) */
    const char *benefit, *residence;
    lp_entitlement **entitlements;
    size_t nentitlements, cap_entitlements;
    lp_lump_sum **lump_sums;
    size_t nlump_sums, cap_lump_sums;
    lp__note *notes;
    size_t nnotes, cap_notes;
};

lp_result *lp__result_new(void);
lp_entitlement *lp__result_add_entitlement(lp_result *r);
lp_lump_sum *lp__result_add_lump_sum(lp_result *r);
/* Record an amount: q (as the rules rounded it) kept exactly, its value
 * rounded to the currency's minor unit (half-up) for display, its exact text
 * kept when they differ. unrounded: the value before the rules' rounding, or
 * NULL (none). */
int lp__amount_set(lp_result *r, lp__amount *a, lp_amount_kind kind, mpq_srcptr q, mpq_srcptr unrounded,
                   const char *currency);
/* The display text of q alone (no exact value kept): *value rounded to the
 * currency's minor unit, *exact its exact text or NULL when equal. */
int lp__amount_text(lp_result *r, mpq_srcptr q, const char *currency, const char **value, const char **exact);
/* A frozen copy of q in the result's arena, or NULL (out of memory). */
mpq_srcptr lp__result_freeze(lp_result *r, mpq_srcptr q);
lp__amount *lp__entitlement_amount(lp_entitlement *e, lp_amount_kind kind);
int lp__entitlement_add_route(lp_result *r, lp_entitlement *e, const char *agreement,
                              lp_status status, lp_method method, mpq_srcptr payable,
                              const char *error);
/* The error last set (lp_error_last) as a failure kept in r; gap names the
 * dated value missing (gap->name NULL: none). NULL when out of memory. */
const lp__failure *lp__failure_from_error(lp_result *r, const char *gap_name, lp__day gap_day);
int lp__result_add_note(lp_result *r, const char *scheme, int line, int column, const char *message);
lp_trace_step *lp__steps_add(lp_result *r, lp__steps *s);
/* Add an input to a step (a name already listed is kept as it is): the entry,
 * or NULL when out of memory. */
lp__kv *lp__step_add_input(lp_result *r, lp_trace_step *st, const char *name, const char *value);
/* Exact value as text for traces: a short decimal when exact, else num/den. */
const char *lp__value_text(lp_result *r, mpq_srcptr q);
/* A plain number for the trace: exact decimal up to 20 places, else as above. */
const char *lp__number_text(lp_result *r, mpq_srcptr q);

#endif
