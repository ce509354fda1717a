/* The in-memory result (public side: portability/result.h) and the builders
 * the calculation uses. Everything lives in the result's arena. */
#ifndef LP_RESULT_MODEL_H
#define LP_RESULT_MODEL_H

#include <gmp.h>
#include <portability/result.h>

#include "arena.h"
#include "date.h"

typedef struct lp__kv { const char *name, *value; } lp__kv;

struct lp_trace_step {
    const char *rule, *formula, *value, *cite, *title, *url;
    lp__kv *inputs;
    size_t ninputs, cap;
};

typedef struct lp__amount {
    const char *kind, *value, *exact;   /* exact NULL when value is exact */
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
    const char *agreement, *status, *method, *payable;
    const char *error;         /* status cannot-compute: why */
} lp__route;

typedef struct lp__steps {
    lp_trace_step **v;
    size_t n, cap;
} lp__steps;

struct lp_entitlement {
    const char *scheme, *benefit, *currency, *frequency, *status, *method, *agreement;
    const char *own, *totalised, *unit, *residence;
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
    const char *scheme, *option, *kind, *currency, *value, *exact;
    const char *employer;      /* per="employment": the employer it is owed by, else NULL */
    int available, forfeits_periods;
    const char *error;         /* why the option could not be computed, or NULL */
    lp__cond *conditions;
    size_t nconditions;
    lp__heldset held;          /* values held past their end: the figure is provisional */
    lp__steps trace;
};

struct lp_result {
    lp__arena *arena;
    const char *history_id, *claim_date, *library_version, *rules_digest, *input_digest;
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
/* Record an amount: value rounded to the currency's minor unit (half-up) for
 * display, exact kept when they differ. */
int lp__amount_set(lp_result *r, lp__amount *a, const char *kind, mpq_srcptr q, const char *currency);
lp__amount *lp__entitlement_amount(lp_entitlement *e, const char *kind);
int lp__entitlement_add_route(lp_result *r, lp_entitlement *e, const char *agreement,
                              const char *status, const char *method, const char *payable,
                              const char *error);
/* The error last set (lp_error_last) as a failure kept in r; gap names the
 * dated value missing (gap->name NULL: none). NULL when out of memory. */
const lp__failure *lp__failure_from_error(lp_result *r, const char *gap_name, lp__day gap_day);
int lp__result_add_note(lp_result *r, const char *scheme, int line, int column, const char *message);
lp_trace_step *lp__steps_add(lp_result *r, lp__steps *s);
int lp__step_add_input(lp_result *r, lp_trace_step *st, const char *name, const char *value);
/* Exact value as text for traces: a short decimal when exact, else num/den. */
const char *lp__value_text(lp_result *r, mpq_srcptr q);
/* A plain number for the trace: exact decimal up to 20 places, else as above. */
const char *lp__number_text(lp_result *r, mpq_srcptr q);

#endif
