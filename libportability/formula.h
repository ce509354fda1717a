/* Formulas of the rule language: text parsed once, when a rule set loads, into
 * a typed tree with every name resolved; evaluated many times without parsing.
 * The language has no loops and no recursion, so every evaluation ends.
 * Syntax: rules/README.md section 5. */
#ifndef LP_FORMULA_H
#define LP_FORMULA_H

#include <stddef.h>
#include <gmp.h>
#include <portability/money.h>

#include "arena.h"
#include "date.h"
#include "error.h"

/* ---- types ---- */
typedef enum lp__tkind {
    LP__T_NUMBER, LP__T_MONEY, LP__T_DATE, LP__T_BOOL, LP__T_TEXT
} lp__tkind;

typedef struct lp__type {
    lp__tkind kind;
    char currency[4];   /* for LP__T_MONEY */
} lp__type;

/* "number", "PHP money", "date", ... into buf */
const char *lp__type_name(lp__type t, char buf[32]);
int lp__type_equal(lp__type a, lp__type b);

/* ---- names a formula may use ---- */
typedef enum lp__symkind {
    LP__SYM_PARAM, LP__SYM_TABLE, LP__SYM_DEFINE, LP__SYM_INPUT,
    LP__SYM_SERIES             /* a parameter with one value per calendar year: awi(y) */
} lp__symkind;

typedef struct lp__symbol {
    lp__symkind kind;
    int index;
    lp__type type;
} lp__symbol;

/* Built-in names (rules/README.md 5.4). */
typedef enum lp__builtin {
    LP__B_PERIODS, LP__B_OWN_PERIODS, LP__B_TOTALISED, LP__B_FLAT_RATIO,
    LP__B_CLAIM_DATE, LP__B_BIRTH_DATE, LP__B_AGE, LP__B_NATIONALITY,
    LP__B_RESIDENCE, LP__B_COUNTRY,
    LP__B_SEPARATION_REASON,   /* how the employment ended (the history's ends=, else a fact) */
    LP__B_EQUAL_TREATMENT,     /* the worker is treated as the scheme's national (calc_context.c) */
    LP__B_COUNT_
} lp__builtin;

/* The name of a built-in ("periods", ...). */
const char *lp__builtin_name(int which);
/* A word of the formula language (keyword, fold, built-in name, function or
 * aggregate): no rule may take it as a name. */
int lp__formula_word(const char *name, size_t len);
/* word is one of the white-space separated words of list (the 'in' operator). */
int lp__word_in(const char *word, const char *list);

/* Aggregates over the worker's own periods in the scheme (README 5.6). */
typedef enum lp__aggregate {
    LP__AGG_COUNT, LP__AGG_MONTHS, LP__AGG_TOTAL_EARNINGS, LP__AGG_AVERAGE_EARNINGS,
    LP__AGG_FIRST_MONTH, LP__AGG_LAST_MONTH, LP__AGG_CONTRIBUTIONS_WITH_INTEREST,
    LP__AGG_YEARS, LP__AGG_FIRST_DAY, LP__AGG_LAST_DAY,
    LP__AGG_LAST_WAGE          /* the employment's last monthly wage (part: in e->part) */
} lp__aggregate;

/* Slots of an aggregate's named arguments (NULL when absent). */
enum { LP__AGG_FROM, LP__AGG_BEFORE, LP__AGG_LAST, LP__AGG_BEST, LP__AGG_TO, LP__AGG_MIN_MONTHS,
       LP__AGG_LATEST, LP__AGG_YEAR, LP__AGG_MIN_COUNT, LP__AGG_NARGS };

/* Folds over calendar years (rules/README.md 5.7): the kind of an
 * LP__OP_FOLD node, in its `index`. */
typedef enum lp__fold {
    LP__FOLD_SUM,              /* sum(for y from A to B: X) */
    LP__FOLD_SUM_HIGHEST,      /* sum_highest(N, for y from A to B: X) */
    LP__FOLD_COUNT,            /* count(for y from A to B: CONDITION) */
    LP__FOLD_CHAIN             /* chain(v = START, for y from A to B: X using v) */
} lp__fold;

/* Operand slots of a fold. */
enum { LP__FOLD_ARG_FIRST, LP__FOLD_ARG_FROM, LP__FOLD_ARG_TO, LP__FOLD_ARG_BODY, LP__FOLD_NARGS };

/* A fold walks at most LP__FOLD_MAX_YEARS years (a working life is well
 * inside it); nested folds bind at most LP__FORMULA_MAX_LOCALS names (a chain
 * binds two); and one calculation evaluates fold bodies at most
 * LP__FOLD_MAX_STEPS times in all (a career's folds take a few hundred), so
 * nesting cannot multiply the work without bound. */
#define LP__FOLD_MAX_YEARS 200
#define LP__FORMULA_MAX_LOCALS 8
#define LP__FOLD_MAX_STEPS 1000000

typedef enum lp__op {
    LP__OP_LITERAL,     /* number, money, date, boolean or text constant */
    LP__OP_PARAM, LP__OP_TABLE, LP__OP_DEFINE, LP__OP_INPUT, LP__OP_BUILTIN,
    LP__OP_AGGREGATE,
    LP__OP_NEG, LP__OP_NOT,
    LP__OP_ADD, LP__OP_SUB, LP__OP_MUL, LP__OP_DIV,
    LP__OP_EQ, LP__OP_NE, LP__OP_LT, LP__OP_LE, LP__OP_GT, LP__OP_GE,
    LP__OP_IN,                 /* text in a text of words */
    LP__OP_AND, LP__OP_OR, LP__OP_IF,
    LP__OP_MIN, LP__OP_MAX, LP__OP_CLAMP, LP__OP_ROUND, LP__OP_ABS,
    LP__OP_DATE, LP__OP_YEAR, LP__OP_MONTH, LP__OP_DAY,
    LP__OP_ADD_MONTHS, LP__OP_ADD_YEARS, LP__OP_MONTHS_BETWEEN, LP__OP_YEARS_BETWEEN,
    LP__OP_AGE_ON, LP__OP_FISCAL_YEAR_START, LP__OP_QUARTER_START, LP__OP_YEAR_START,
    LP__OP_ADD_DAYS,
    LP__OP_SERIES,             /* a series' value for a year: args[0] the year */
    LP__OP_FOLD,               /* index: lp__fold; args: LP__FOLD_ARG_* */
    LP__OP_LOCAL               /* a name bound by a fold; index: its slot */
} lp__op;

/* The parts of a wage last_wage(part: ...) reads. */
enum { LP__WAGE_ALL, LP__WAGE_BASIC, LP__WAGE_ALLOWANCES };

typedef struct lp__expr lp__expr;
struct lp__expr {
    /* read by every evaluation: together at the start (formulas are packed,
     * node then operands, in evaluation order: lp__formula_compile) */
    lp__op op;
    int index;                 /* symbol index, builtin or aggregate */
    lp__type type;
    size_t nargs;
    lp__expr **args;           /* operands; aggregates use the LP__AGG_* slots */
    lp__expr *at;              /* dated look-up date (PARAM, TABLE), or NULL */
    mpq_srcptr q;              /* literal number or money (frozen once packed) */
    /* literals other than numbers, options of some operators, diagnostics */
    lp__day day;               /* literal date */
    int b;                     /* literal boolean */
    const char *text;          /* literal text */
    lp_rounding mode;          /* LP__OP_ROUND */
    unsigned kinds;            /* aggregate kind filter (0 = all) */
    int compound;              /* contributions_with_interest: yearly (1) or none (0) */
    int opening;               /* contributions_with_interest: from the history's balance (opening: balance) */
    int totalised;             /* months: over the route's totalised periods (periods: totalised) */
    int part;                  /* last_wage: LP__WAGE_ALL, LP__WAGE_BASIC or LP__WAGE_ALLOWANCES */
    int rate_param, interest_param;
    int cap_param;             /* earnings aggregates: each month capped at this parameter */
    int through_table;         /* earnings aggregates: each month's earnings mapped through this
                                  money table (a wage-class schedule), -1 for none */
    int weight_table;          /* total_earnings, average_earnings: each month's earnings times the
                                  row of this number table keyed by the month as YYYYMM, -1 for none */
    int slot;                  /* LP__OP_FOLD: slot of the year name (chain: of the running
                                  value, the year at slot + 1) */
    /* loop-invariant parts of a fold's body (formula_hoist.c): a node of the
     * body that reads none of its fold's names has hoist_fold set to that fold
     * and its place `hoist` in the fold's cache; the fold counts them */
    const lp__expr *hoist_fold;
    int hoist;
    int nhoisted;              /* LP__OP_FOLD */
    int line, column;          /* position of the node in its rule file */
};

/* Where a formula's text sits, for diagnostics. */
typedef struct lp__srcpos {
    const char *file;
    int line, column;          /* of the first character of the text */
} lp__srcpos;

/* Name resolution offered by the caller (a scheme's scope). Returns 1 and
 * fills *out when the name exists, 0 otherwise. */
typedef int (*lp__resolve_fn)(void *payload, const char *name, size_t len, lp__symbol *out);

/* Called once per problem found; message is complete ("unknown name 'amcs'"). */
typedef void (*lp__diag_fn)(void *payload, int code, const char *file, int line,
                            int column, const char *message);

typedef struct lp__compiler {
    lp__arena *arena;
    lp__resolve_fn resolve;
    void *resolve_payload;
    lp__diag_fn diag;
    void *diag_payload;
    char currency[4];          /* the scheme's currency: money from earnings aggregates */
    int reads_timeline;        /* set by the compiler: a formula has months(periods: totalised) */
} lp__compiler;

#define LP__FORMULA_MAX_DEPTH 200   /* nesting of a formula */
#define LP__FORMULA_MAX_NODES 100000

/* Evaluation is bounded by construction (issue 21; SECURITY.md):
 *  - every number or amount a formula node produces has a numerator and a
 *    denominator of at most LP__EVAL_MAX_BITS bits (about 19,700 decimal
 *    digits): one step past it is LP_ERANGE at that node, so no step works on
 *    operands larger than this (a chain of squarings stops after a few steps);
 *  - one calculation spends at most LP__EVAL_MAX_WORK units of work: each node
 *    evaluated costs 1, plus one per 8 limbs (512 bits) of the number it gives,
 *    times 1 + limbs / 32 (a number past 2,048 bits costs more than its size:
 *    products, quotients and the gcd that reduces a fraction grow faster than
 *    linearly, and a linear count allowed 18 s of evaluation).
 *    Every node type is counted, as all are evaluated through
 *    lp__formula_eval; a rule set whose definitions fan out exponentially
 *    stops with LP_ERANGE rather than running for hours. */
#define LP__EVAL_MAX_BITS 65536
#define LP__EVAL_MAX_WORK 10000000ul

/* Compile text into *out. expected may be NULL (any type). Returns LP_OK, or
 * an error code after reporting through c->diag. */
int lp__formula_compile(lp__expr **out, lp__compiler *c, const char *text, size_t len,
                        lp__srcpos pos, const lp__type *expected);

/* Loop-invariant subexpressions of fold bodies (formula_hoist.c): a part of
 * a body that reads none of its fold's names (awi(indexing_year),
 * year(claim_date) - 2) has the same value in every year of one evaluation of
 * the fold. It is computed the first time the body reaches it, as before, and
 * read from the fold's cache in later years. Computing it lazily keeps every
 * error where it was (a part in a branch no year takes is never computed), and
 * a value read again adds the work and fold steps its computation spent, so
 * the bounds count exactly what they counted without the cache. At most
 * LP__FOLD_MAX_HOISTED parts a fold; marks the tree e in place (once packed). */
#define LP__FOLD_MAX_HOISTED 8
void lp__formula_hoist(lp__expr *e);

/* Calls fn for every define index referenced by e (for cycle checks). */
void lp__formula_each_define(const lp__expr *e, void (*fn)(void *, int), void *payload);

/* ---- evaluation ---- */

/* A value: which fields matter depends on the node's static type. */
typedef struct lp__val {
    mpq_ptr q;                 /* number, money: points into scratch or caller storage */
    lp__day day;
    int b;
    const char *text;
} lp__val;

/* Copy a value of static type k (the rational only for numbers and money). */
void lp__val_copy(lp__tkind k, lp__val *out, const lp__val *v);

/* Reusable rationals for intermediate results, used as a stack: a slot is
 * initialised the first time it is reached and then reused, so evaluation does
 * not allocate per arithmetic step. The first LP__SCRATCH_FIRST slots live in
 * the structure itself, further ones in blocks that never move (a slot's
 * address stays valid while it is on the stack). */
#define LP__SCRATCH_FIRST 24
#define LP__SCRATCH_BLOCK 32
typedef struct lp__scratch {
    __mpq_struct first[LP__SCRATCH_FIRST];
    __mpq_struct **blocks;     /* each LP__SCRATCH_BLOCK slots */
    size_t nblocks;
    size_t depth;              /* slots in use */
    size_t inited;             /* slots mpq_init'ed so far */
} lp__scratch;

void lp__scratch_init(lp__scratch *s);
/* The slot of a new depth: initialised (and a block added) as needed; NULL
 * when out of memory. */
mpq_ptr lp__scratch_grow(lp__scratch *s);
/* A slot on top of the stack (value unspecified); NULL when out of memory.
 * Release with lp__scratch_pop_to(s, depth saved before). Inline: a formula
 * takes one for nearly every node it computes, and a slot reached before is
 * only an address to work out. */
static inline mpq_ptr lp__scratch_push(lp__scratch *s)
{
    size_t i = s->depth;
    if (i >= s->inited)
        return lp__scratch_grow(s);
    s->depth = i + 1;
    if (i < LP__SCRATCH_FIRST)
        return &s->first[i];
    i -= LP__SCRATCH_FIRST;
    return &s->blocks[i / LP__SCRATCH_BLOCK][i % LP__SCRATCH_BLOCK];
}
/* The same, set to zero. */
mpq_ptr lp__scratch_push_zero(lp__scratch *s);
static inline void lp__scratch_pop_to(lp__scratch *s, size_t depth) { s->depth = depth; }
void lp__scratch_clear(lp__scratch *s);

struct lp__scheme;
typedef struct lp__env lp__env;
#define LP__SERIES_MEMO 64         /* entries of lp__env.series_memo (a power of two) */
struct lp__param;
struct lp__pvalue;
struct lp__table;
struct lp__tversion;
struct lp__row;

/* The dated value an evaluation found missing, for a result that names the
 * gap ("parameter X has no value on D"): set just before the error. */
typedef struct lp__gap {
    const char *name;          /* the parameter or table; NULL: the error was no gap */
    lp__day day;
} lp__gap;

/* The cache of one evaluation of a fold (formula_hoist.c). */
typedef struct lp__hoisted {
    int known;                 /* computed in this evaluation of the fold */
    lp__val v;                 /* v.q: a scratch slot of the fold's */
    unsigned long work, steps; /* what computing it spent (env->work, env->fold_steps) */
} lp__hoisted;

typedef struct lp__hoist_frame {
    const lp__expr *fold;
    lp__hoisted v[LP__FOLD_MAX_HOISTED];
} lp__hoist_frame;

struct lp__env {
    const struct lp__scheme *scheme;
    lp__day claim_day;
    lp__scratch *scratch;      /* the calculation's (it may outlive the calculation: lp_scratchpad) */
    const char *file;          /* rule file, for evaluation errors */
    /* supplied by the calculation */
    int (*define)(lp__env *env, int index, lp__val *out);
    int (*input)(lp__env *env, int index, lp__val *out);
    int (*builtin)(lp__env *env, int which, lp__val *out);
    int (*aggregate)(lp__env *env, const lp__expr *node, lp__val *out);
    /* names bound by the folds being evaluated (LP__OP_LOCAL reads locals[slot]);
     * set by the evaluator only */
    lp__val locals[LP__FORMULA_MAX_LOCALS];
    /* the caches of the folds being evaluated, by their slot (NULL: none) */
    lp__hoist_frame *hoist[LP__FORMULA_MAX_LOCALS];
    unsigned long fold_steps;  /* fold bodies evaluated in this calculation */
    /* a value read past its end because its rule holds it (after-last="hold"):
     * the figure being computed is provisional; one of p, t is set; may be NULL */
    void (*held)(lp__env *env, const struct lp__param *p, const struct lp__table *t);
    lp__gap gap;               /* written by a failed dated look-up */
    /* with a trace: a dated value read where the formula of the step being
     * computed does not name it (a fold's body, an aggregate's cap:,
     * through:, rate: and interest:), for the step to list with its citation;
     * NULL without a trace. A parameter or series value pv of p read at `at`,
     * or the version ver of table t read at `at` for key (row: the row found,
     * NULL for the table's default). */
    void (*read)(lp__env *env, const struct lp__param *p, const struct lp__pvalue *pv,
                 const struct lp__table *t, const struct lp__tversion *ver, const struct lp__row *row,
                 mpq_srcptr key, lp__day at);
    int folds;                 /* folds being evaluated now (their bodies' reads go to env->read) */
    unsigned long work;        /* spent in this calculation (zeroed with it): LP__EVAL_MAX_WORK */
    /* series values found by year (formula_eval.c; zeroed with the calculation):
     * a fold reads the same few years of a series again and again */
    struct lp__series_memo {
        const struct lp__param *p;
        long year;
        const struct lp__pvalue *v;
    } series_memo[LP__SERIES_MEMO];
};

/* The callbacks `define` and `input` are also called with out->q NULL: they
 * then point out->q at their own rational instead of copying it (the
 * evaluator only reads it). */

/* Evaluate e; out->q must point to an initialised rational for number and
 * money types. Errors (LP_EDIVZERO, LP_ENOTFOUND for a missing table row or fact,
 * ...) are set with the node's file, line and column. */
int lp__formula_eval(lp__env *env, const lp__expr *e, lp__val *out);

/* A fold over calendar years (formula_fold.c). */
int lp__formula_eval_fold(lp__env *env, const lp__expr *e, lp__val *out);

/* e evaluated without its fold's cache (formula_eval.c): the node's own work. */
int lp__formula_eval_node(lp__env *env, const lp__expr *e, lp__val *out);

/* Returned by lp__hoisted_value when e must be evaluated as usual. */
#define LP__HOIST_NONE (-1)
/* e, a hoisted part (e->hoist_fold set): its value from the cache of the
 * current evaluation of its fold, computed there the first time; v->q then
 * points at the cache (read only). LP__HOIST_NONE when the fold has no cache
 * now, or reading it again would pass a bound (the usual evaluation then
 * stops where it always did). */
int lp__hoisted_value(lp__env *env, const lp__expr *e, lp__val *v);
/* Start (frame set up, its slots taken from the scratch stack) and end an
 * evaluation of fold e: its cache is env->hoist[e->slot] in between, and
 * what was there before is put back by lp__hoist_end. */
int lp__hoist_begin(lp__env *env, const lp__expr *e, lp__hoist_frame *f, lp__hoist_frame **saved);
void lp__hoist_end(lp__env *env, const lp__expr *e, lp__hoist_frame *saved);

/* Set an evaluation error at e's file, line and column; returns code. */
int lp__formula_fail(lp__env *env, const lp__expr *e, int code, const char *fmt, ...) LP__PRINTF(4, 5);
/* One step of a loop inside an aggregate (a year of contributions_with_interest)
 * that gave q: checked against LP__EVAL_MAX_BITS and counted against
 * LP__EVAL_MAX_WORK as a node giving q would be, the error at e. */
int lp__formula_bound_step(lp__env *env, const lp__expr *e, mpq_srcptr q);

/* Helpers for aggregate implementations: evaluate an optional argument. */
int lp__formula_eval_day(lp__env *env, const lp__expr *e, lp__day *out);
int lp__formula_eval_int(lp__env *env, const lp__expr *e, long *out);

#endif
