/* The in-memory model of a loaded rule set: schemes, their parameters, tables,
 * formulas and benefits; agreements and their clauses. Built by ruleset_load.c,
 * immutable afterwards, read by the calculation. Everything lives in the rule
 * set's arena. */
#ifndef LP_RULES_H
#define LP_RULES_H

#include <string.h>

#include <gmp.h>
#include <portability/money.h>
#include <portability/result.h>
#include <portability/ruleset.h>

#include "arena.h"
#include "date.h"
#include "formula.h"
#include "period.h"

#define LP__DAY_MIN INT32_MIN
#define LP__DAY_MAX INT32_MAX

typedef struct lp__source {
    const char *id, *url, *grade, *title;
} lp__source;

/* A citation: the source it names and the pinpoint, e.g. "s. 12-B". */
typedef struct lp__cite {
    const lp__source *source;
    const char *text;          /* the whole cite attribute */
} lp__cite;

/* Where an element sits. */
typedef struct lp__loc {
    const char *file;
    int line, column;
} lp__loc;

typedef struct lp__span {
    lp__day from, to;          /* inclusive; LP__DAY_MIN / LP__DAY_MAX when open */
} lp__span;

typedef struct lp__pvalue {
    lp__span span;
    mpq_srcptr q;              /* frozen (rational.h) */
    lp__day day;
    int b;
    const char *text;
    lp__cite cite;
    lp__loc loc;
} lp__pvalue;

typedef struct lp__param {
    const char *id;
    lp__type type;
    lp__pvalue *values;        /* sorted by span.from */
    size_t nvalues;
    int yearly;                /* a <series>: one value per calendar year, read as id(YEAR) */
    /* a series' value of each year from first_year to last_year, as
     * lp__param_at gives it on 1 January (NULL: none), worked out when the
     * rule set loads; by_year NULL: no such index (read with lp__param_at) */
    const struct lp__pvalue **by_year;
    int first_year, last_year;
    int hold;                  /* after-last="hold": the last value stays in force past its
                                  end, and a figure that reads it there is provisional */
    lp__loc loc;
} lp__param;

typedef struct lp__row {
    mpq_srcptr min, max;       /* max NULL: open */
    mpq_srcptr value;
} lp__row;

typedef struct lp__tversion {
    lp__span span;
    lp__row *rows;
    size_t nrows;
    int ordered;               /* rows ascending, each closed below the next (max < next min):
                                  lp__tversion_row searches them by halves */
    lp__cite cite;
    lp__loc loc;
} lp__tversion;

typedef struct lp__table {
    const char *id;
    lp__type type;
    mpq_srcptr fallback;       /* the default, or NULL */
    lp__tversion *versions;
    size_t nversions;
    int hold;                  /* after-last="hold", as for a parameter */
    lp__loc loc;
} lp__table;

typedef struct lp__input {
    const char *id;
    lp__type type;
    const char *description;
    lp__cite cite;
    mpq_srcptr min, max;       /* the range a number or money fact must lie in, or NULL */
    lp__loc loc;
} lp__input;

/* A formula as written, its compiled tree, its dates and its citation. */
typedef struct lp__formula {
    lp__span span;
    const char *text;
    lp__expr *expr;
    lp__cite cite;
    lp__loc loc;
} lp__formula;

/* lp__define.varies: the levels are ordered (a definition varies as much as
 * the most varying thing it reads). */
enum { LP__VARIES_NOT, LP__VARIES_TOTALISED, LP__VARIES_ROUTE };

typedef struct lp__define {
    const char *id;
    lp__type type;
    lp__formula f;
    int overridable;           /* a history fact may replace it (overridable="true") */
    int percent;               /* display="percent": a trace shows it x 100 with "%" */
    int varies;                /* what of a route it depends on, directly or through another
                                  definition: LP__VARIES_NOT (computed once per scheme),
                                  LP__VARIES_TOTALISED (the `totalised` flag only: one value
                                  for the independent route, one for all agreement routes)
                                  or LP__VARIES_ROUTE (the period variable, flat_ratio or the
                                  route's periods: recomputed per route) */
} lp__define;

typedef enum { LP__ROUND_OF_PRO_RATA, LP__ROUND_OF_PAYABLE } lp__round_of;

typedef struct lp__round_rule {
    lp__round_of of;
    lp__span span;
    mpq_srcptr step;
    lp_rounding mode;
    lp__cite cite;
    lp__loc loc;
} lp__round_rule;

typedef struct lp__benefit {
    const char *id;
    lp_frequency frequency;        /* how often it is paid: the result's value */
    mpq_srcptr max_periods;    /* NULL if none */
    lp__formula *eligible;
    size_t neligible;
    lp__formula *amount;
    size_t namount;
    lp__formula *ratio;        /* the pro-rata fraction, when the scheme's law fixes it */
    size_t nratio;
    lp__round_rule *rounding;
    size_t nrounding;
    lp__loc loc;
} lp__benefit;

typedef struct lp__condition {
    const char *id;
    lp__formula f;
} lp__condition;

typedef struct lp__lumpsum {
    const char *id;
    lp_lump_sum_type kind;     /* withdrawal, refund, balance, award: the result's value */
    int forfeits_periods;
    int per_employment;        /* per="employment": one result per employer */
    lp__condition *conditions;
    size_t nconditions;
    lp__formula *amount;
    size_t namount;
    lp__loc loc;
} lp__lumpsum;

/* A claim procedure (<claim-procedure>): the options it is for (none: all of the
 * scheme's) and its items, public structs (portability/ruleset.h) in the arena. */
struct lp_claim_procedure {
    const char **options;
    size_t noptions;
    lp_claim_item *items;
    size_t nitems;
    lp__loc loc;
};

typedef struct lp__scheme {
    const char *id, *title;
    char country[3], currency[4];
    lp__unit unit;
    lp__counting counting;
    unsigned kinds;            /* period kinds that are this scheme's periods */
    int from_age;              /* -1: none */
    int to_age;                /* periods from this birthday on do not count; -1: none */
    int earnings_required;     /* earnings="required": an earnings aggregate over a covered period
                                  without <earnings> is an evaluation error, not a zero */
    int earnings_highest;      /* concurrent-earnings="highest": in a month touched by several
                                  periods the highest earnings count, not their sum */
    const char *file;
    lp__source *sources; size_t nsources;
    lp__param *params; size_t nparams;
    lp__table *tables; size_t ntables;
    lp__input *inputs; size_t ninputs;
    lp__define *defines; size_t ndefines;
    int *varying; size_t nvarying;   /* the indices of the definitions that vary by route, in order */
    int *by_totalised; size_t nby_totalised;   /* those that vary with `totalised` only */
    int reads_timeline;        /* a formula reads months(periods: totalised): its routes keep
                                  their merged periods (totalise.c) */
    lp__benefit *benefits; size_t nbenefits;
    lp__lumpsum *lumpsums; size_t nlumpsums;
    lp__formula *exports; size_t nexports;
    struct lp_claim_procedure *claims; size_t nclaims;
    lp__loc loc;
} lp__scheme;

typedef enum { LP__CONV_TIMELINE, LP__CONV_PER_YEAR } lp__conversion;
typedef enum { LP__METHOD_PRO_RATA, LP__METHOD_DIRECT, LP__METHOD_DIRECT_FLAT } lp__method;

/* The pro-rata fraction an agreement applies (<totalisation ratio="…">,
 * rules/README.md section 6.1). */
typedef enum {
    LP__RATIO_SCHEME,          /* "scheme": the benefit's own <ratio>, else own / totalised */
    LP__RATIO_OWN_TOTALISED,   /* "own-over-totalised": own / totalised (at most max-periods),
                                  the scheme's own <ratio> set aside */
    LP__RATIO_OWN_THEORETICAL, /* "own-over-theoretical": own / theoretical-periods */
    LP__RATIO_OWN_DENOMINATOR  /* "own-over-denominator": own / ratio-denominator */
} lp__ratio;

typedef struct lp__partner {
    const char *scheme_id;
    int scheme;                /* index in the rule set, -1 if unknown */
    lp__conversion conversion;
    int months_per_unit;
    lp_rounding rounding;
    int per_year_cap;          /* 0: none */
    lp__day from;              /* partner periods before this day do not count (LP__DAY_MIN) */
    lp__cite cite;
    lp__loc loc;
} lp__partner;

typedef struct lp__totalisation {
    const char *scheme_id;
    int scheme;
    const char **benefits; size_t nbenefits;
    lp__method method;
    mpq_srcptr minimum_own;    /* NULL if none */
    mpq_srcptr flat_minimum;   /* direct-flat */
    mpq_srcptr theoretical_periods; /* theoretical amount on this many periods, not the total */
    mpq_srcptr ratio_denominator; /* pro-rata fraction own / this, not own / total */
    lp__ratio ratio;           /* which pro-rata fraction */
    int pay_higher, only_if_not_eligible_alone, third_state;
    lp__partner *partners; size_t npartners;
    lp__cite cite;
    lp__loc loc;
} lp__totalisation;

typedef struct lp__party {
    char country[3];
    const char **scheme_ids; int *schemes; size_t nschemes;
} lp__party;

typedef struct lp__clause {    /* export and equal-treatment clauses: a scheme, cited */
    const char *scheme_id;
    int scheme;
    lp__cite cite;
    lp__loc loc;
} lp__clause;

typedef struct lp__agreement {
    const char *id, *title;
    const char *file;
    lp__day signed_day, in_force, terminated;   /* terminated LP__DAY_MAX if none */
    lp__source *sources; size_t nsources;
    lp__party *parties; size_t nparties;
    int coverage_only;
    lp__cite coverage_cite;
    lp__totalisation *totalisations; size_t ntotalisations;
    lp__clause *exports; size_t nexports;
    lp__clause *equal; size_t nequal;   /* <equal-treatment>: the partner's nationals as the scheme's */
    lp__loc loc;
} lp__agreement;

/* Equal identifiers: the first letter settles most comparisons of a
 * calculation's names (schemes, benefits, currencies, amount kinds) without
 * calling strcmp. */
static inline int lp__same_id(const char *a, const char *b)
{
    return a == b || (a[0] == b[0] && strcmp(a, b) == 0);
}

/* Look-ups used by the evaluator and the calculation. */
int lp__span_contains(lp__span s, lp__day d);
/* Agreement a is in force on day d: entered into force on or before it, not
 * terminated before it (both end days count). */
int lp__agreement_in_force(const lp__agreement *a, lp__day d);
/* Country cc (ISO 3166 alpha-2) is one of agreement a's parties. */
int lp__agreement_has_party(const lp__agreement *a, const char *cc);
/* The value (version) in force on d, or NULL. Past the end of the last one, a
 * parameter or table marked after-last="hold" gives the last one: the caller
 * sees it held when d > span.to, and must report the figure provisional. */
const lp__pvalue *lp__param_at(const lp__param *p, lp__day d);
const lp__tversion *lp__table_at(const lp__table *t, lp__day d);
/* The first row of ver whose band [min, max] holds x, or NULL. Rows that are
 * ordered (ver->ordered) hold x in at most one row, found by halves; others
 * are read in their order. */
const lp__row *lp__tversion_row(const lp__tversion *ver, mpq_srcptr x);
/* 1 when ver's rows are ordered as ver->ordered says (set when loaded). */
int lp__tversion_rows_ordered(const lp__tversion *ver);
/* The version of a dated formula list in force on d, or NULL. */
const lp__formula *lp__formula_at(const lp__formula *v, size_t n, lp__day d);
const lp__round_rule *lp__rounding_at(const lp__benefit *b, lp__round_of of, lp__day d);



/* ---- the loaded rule set ---- */
/* A country a history may name (rules/countries.xml). */
typedef struct lp__country {
    char code[3];
    const char *name;
} lp__country;

struct lp_ruleset {
    lp__arena *arena;
    lp__scheme *schemes; size_t nschemes;
    lp__agreement *agreements; size_t nagreements;
    lp__country *countries; size_t ncountries;   /* sorted by code; none: codes are not checked */
    char digest[72];           /* "sha256:" + 64 hex digits */
};

/* Index of a scheme by id, or -1. */
int lp__ruleset_scheme_index(const struct lp_ruleset *rs, const char *id);
/* 1 when the rule set knows the country code (or lists no countries at all). */
int lp__ruleset_knows_country(const struct lp_ruleset *rs, const char *code);
#endif
