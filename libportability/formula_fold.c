/* Folds over calendar years (rules/README.md 5.7): a formula evaluated once
 * for each year y from A to B, the values summed, the N highest summed,
 * the years where a condition holds counted, or a running value carried
 * from one year to the next (a chain of yearly adjustments, each rounded as
 * the body says).
 *
 * Bounds: A and B are whole years in 1..9999 and a fold walks at most
 * LP__FOLD_MAX_YEARS years, so an evaluation's work is known before it
 * starts; nested folds bind at most LP__FORMULA_MAX_LOCALS names (the parser
 * refuses more), and a calculation evaluates at most LP__FOLD_MAX_STEPS fold
 * bodies in all. The names a fold binds live in env->locals for the duration
 * of the fold, and the fold puts back what it found there, so a definition
 * with a fold of its own, evaluated inside another fold, leaves the outer
 * names intact. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "formula.h"
#include "rational.h"

/* The years A..B of a fold. B < A is an empty fold (no year). */
static int fold_years(lp__env *env, const lp__expr *e, long *from, long *to)
{
    int rc = lp__formula_eval_int(env, e->args[LP__FOLD_ARG_FROM], from);
    if (!rc)
        rc = lp__formula_eval_int(env, e->args[LP__FOLD_ARG_TO], to);
    if (rc)
        return rc;
    if (*from < LP__YEAR_MIN || *from > LP__YEAR_MAX || *to < LP__YEAR_MIN || *to > LP__YEAR_MAX)
        return lp__formula_fail(env, e, LP_ERANGE, "a fold's years must lie in 1 to 9999 (from %ld to %ld)",
                    *from, *to);
    if (*to >= *from && *to - *from + 1 > LP__FOLD_MAX_YEARS)
        return lp__formula_fail(env, e, LP_ERANGE, "a fold over %ld years (from %ld to %ld): at most %d",
                    *to - *from + 1, *from, *to, LP__FOLD_MAX_YEARS);
    return LP_OK;
}

/* Evaluate the body for year y into v (v->q already points at storage);
 * each evaluation counts against the calculation's LP__FOLD_MAX_STEPS. */
static int body_at(lp__env *env, const lp__expr *e, mpq_ptr yq, long y, lp__val *v)
{
    if (++env->fold_steps > LP__FOLD_MAX_STEPS)
        return lp__formula_fail(env, e, LP_ERANGE, "folds evaluated more than %d years in this calculation",
                    LP__FOLD_MAX_STEPS);
    mpq_set_si(yq, y, 1);
    return lp__formula_eval(env, e->args[LP__FOLD_ARG_BODY], v);
}

static int cmp_desc(const void *a, const void *b)
{
    return lp__q_cmp(*(mpq_srcptr const *)b, *(mpq_srcptr const *)a);
}

/* Mark in low[] the m lowest of vals[0..k) (0 < m < k): one pass that keeps
 * their indices in ascending order of value, as an insertion sort of m. On
 * ties the earlier year is kept among the lowest; the sum of the others is
 * the same whichever of equal values is left out. */
#define LOWEST_BY_INSERTION 16
static void mark_lowest(mpq_srcptr *vals, long k, long m, unsigned char *low)
{
    long idx[LOWEST_BY_INSERTION], have = 0, i, j;
    for (i = 0; i < k; i++) {
        if (have == m && lp__q_cmp(vals[i], vals[idx[m - 1]]) >= 0)
            continue;              /* not below the highest of the lowest */
        j = have < m ? have++ : m - 1;
        while (j > 0 && lp__q_cmp(vals[i], vals[idx[j - 1]]) < 0) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = i;
    }
    for (i = 0; i < m; i++)
        low[idx[i]] = 1;
}

/* Sum of the n highest of the body's values (all of them when there are
 * fewer years than n). A career has a few more years than n (forty years
 * for a best thirty-five): the few lowest are found and left out; more
 * than LOWEST_BY_INSERTION left out takes a sort. */
static int sum_highest(lp__env *env, const lp__expr *e, mpq_ptr yq, long a, long b, lp__val *out)
{
    mpq_srcptr vals[LP__FOLD_MAX_YEARS];
    unsigned char low[LP__FOLD_MAX_YEARS];
    long n, y, k = 0, i;
    lp__val v;
    int rc = lp__formula_eval_int(env, e->args[LP__FOLD_ARG_FIRST], &n);
    if (rc)
        return rc;
    if (n < 0)
        return lp__formula_fail(env, e->args[LP__FOLD_ARG_FIRST], LP_ERANGE,
                    "sum_highest: the number of years must not be negative");
    for (y = a; y <= b; y++) {
        memset(&v, 0, sizeof v);
        if (!(v.q = lp__scratch_push(env->scratch)))
            return LP_ENOMEM;
        if ((rc = body_at(env, e, yq, y, &v)))
            return rc;
        vals[k++] = v.q;
    }
    /* with no more years than n, every year counts: the sum needs no order
     * (exact sums do not depend on it); else the n highest */
    memset(low, 0, (size_t)k);
    if (k > n && k - n <= LOWEST_BY_INSERTION) {
        mark_lowest(vals, k, k - n, low);
    } else if (k > n) {
        qsort(vals, (size_t)k, sizeof *vals, cmp_desc);
        memset(low + n, 1, (size_t)(k - n));
    }
    mpq_set_ui(out->q, 0, 1);
    for (i = 0; i < k; i++)
        if (!low[i])
            lp__q_add(out->q, out->q, vals[i]);
    return LP_OK;
}

static int fold_run(lp__env *env, const lp__expr *e, mpq_ptr yq, long a, long b, lp__val *out)
{
    lp__val v;
    long y, n = 0;
    int rc;
    memset(&v, 0, sizeof v);
    if (e->index == LP__FOLD_SUM_HIGHEST)
        return sum_highest(env, e, yq, a, b, out);
    if (!(v.q = lp__scratch_push(env->scratch)))
        return LP_ENOMEM;
    switch (e->index) {
    case LP__FOLD_SUM:
        mpq_set_ui(out->q, 0, 1);
        for (y = a; y <= b; y++) {
            if ((rc = body_at(env, e, yq, y, &v)))
                return rc;
            lp__q_add(out->q, out->q, v.q);
        }
        return LP_OK;
    case LP__FOLD_COUNT:
        for (y = a; y <= b; y++) {
            if ((rc = body_at(env, e, yq, y, &v)))
                return rc;
            n += v.b != 0;
        }
        mpq_set_si(out->q, n, 1);
        return LP_OK;
    default: {                     /* LP__FOLD_CHAIN: the running value is out->q */
        lp__val *run = &env->locals[e->slot];
        memset(run, 0, sizeof *run);
        run->q = lp__scratch_push(env->scratch);
        if (!run->q)
            return LP_ENOMEM;
        if ((rc = lp__formula_eval(env, e->args[LP__FOLD_ARG_FIRST], run)))
            return rc;
        for (y = a; y <= b; y++) {
            if ((rc = body_at(env, e, yq, y, &v)))
                return rc;
            mpq_set(run->q, v.q);
        }
        mpq_set(out->q, run->q);
        return LP_OK;
    }
    }
}

int lp__formula_eval_fold(lp__env *env, const lp__expr *e, lp__val *out)
{
    size_t mark = env->scratch->depth;
    int chain = e->index == LP__FOLD_CHAIN;
    int ys = e->slot + chain;      /* the year's slot */
    lp__val saved[2];
    lp__hoist_frame frame, *saved_frame;
    long a, b;
    int rc;

    if (e->slot < 0 || ys >= LP__FORMULA_MAX_LOCALS)
        return lp__formula_fail(env, e, LP_ERROR, "fold: bad name slot");
    saved[0] = env->locals[e->slot];
    saved[1] = env->locals[ys];
    rc = fold_years(env, e, &a, &b);
    if (!rc) {
        memset(&env->locals[ys], 0, sizeof env->locals[ys]);
        env->locals[ys].q = lp__scratch_push(env->scratch);
        rc = env->locals[ys].q ? LP_OK : LP_ENOMEM;
    }
    if (!rc) {
        /* the body's invariant parts, cached for this evaluation (formula_hoist.c) */
        rc = lp__hoist_begin(env, e, &frame, &saved_frame);
        env->folds++;              /* the body's look-ups go to the trace (env->read) */
        if (!rc)
            rc = fold_run(env, e, env->locals[ys].q, a, b, out);
        env->folds--;
        lp__hoist_end(env, e, saved_frame);
    }
    env->locals[e->slot] = saved[0];
    env->locals[ys] = saved[1];
    env->scratch->depth = mark;
    return rc;
}
