/* Loop-invariant parts of fold bodies (formula.h, lp__formula_hoist).
 *
 * A fold evaluates its body once a year. A part of the body that reads none
 * of the names its fold binds gives the same value every year of one
 * evaluation of the fold: US-OASDI's theoretical earnings read
 * awi(indexing_year) and year(claim_date) - 2 in each of some forty years.
 * When the rule set loads, such parts are marked (the largest ones: a part
 * inside a marked part is not marked again); when a fold is evaluated, each
 * marked part is computed the first time the body reaches it, exactly as
 * without the cache, and read from the cache in the years after.
 *
 * Why the result cannot change:
 *  - formulas have no side effects: a definition, an aggregate, a parameter,
 *    a series or a built-in gives the same value for the whole of a fold's
 *    evaluation (the context does not change inside a formula);
 *  - a part is computed lazily, where the body first needs it, so an error
 *    (a missing value, a bound) happens where and when it happened before; a
 *    part in a branch that no year takes is never computed;
 *  - a value read again adds to env->work and env->fold_steps what its
 *    computation spent, so the bounds (formula.h) count what they counted
 *    before; when adding it would pass a bound, the part is evaluated as
 *    usual and stops at the node where it always stopped;
 *  - a held value (after-last="hold") that the part read marked the figure
 *    the first time; the figure's mark only grows while the fold runs;
 *  - the size bound was checked on the value when it was computed.
 * Which fold a part belongs to: the innermost fold whose body holds it, and
 * its cache is found through env->hoist[slot] only while that same fold node
 * is being evaluated (a definition's own fold, evaluated inside the body,
 * puts the outer cache back when it ends). */
#include "config.h"

#include <string.h>

#include "error.h"
#include "formula.h"

/* 1 when e reads a name bound by a fold whose slots are lo..hi. */
static int reads_slots(const lp__expr *e, int lo, int hi)
{
    size_t i;
    if (!e)
        return 0;
    if (e->op == LP__OP_LOCAL && e->index >= lo && e->index <= hi)
        return 1;
    if (reads_slots(e->at, lo, hi))
        return 1;
    for (i = 0; i < e->nargs; i++)
        if (reads_slots(e->args[i], lo, hi))
            return 1;
    return 0;
}

/* Worth a place in the cache: a node that computes something. Leaves are
 * already read where they are (a literal, a parameter read at the claim, a
 * definition computed once per context, a fact, a built-in). */
static int computes(const lp__expr *e)
{
    switch (e->op) {
    case LP__OP_LITERAL:
    case LP__OP_LOCAL:
    case LP__OP_DEFINE:
    case LP__OP_INPUT:
    case LP__OP_BUILTIN:
        return 0;
    case LP__OP_PARAM:
        return e->at != NULL;
    default:
        return 1;
    }
}

static void hoist_fold(lp__expr *fold);

/* Mark the invariant parts of e, a part of fold's body (or of the bounds or
 * start of a fold nested in it, which are evaluated once per year of fold). */
static void walk(lp__expr *fold, lp__expr *e)
{
    int lo = fold->slot, hi = fold->slot + (fold->index == LP__FOLD_CHAIN);
    size_t i;
    if (!e)
        return;
    if (computes(e) && fold->nhoisted < LP__FOLD_MAX_HOISTED && !reads_slots(e, lo, hi)) {
        e->hoist_fold = fold;
        e->hoist = fold->nhoisted++;
        /* the folds inside it have invariant parts of their own */
        lp__formula_hoist(e);
        return;
    }
    if (e->op == LP__OP_FOLD) {
        /* its body belongs to it: what is invariant there is cached per year
         * of this nested fold */
        for (i = 0; i < LP__FOLD_ARG_BODY; i++)
            walk(fold, e->args[i]);
        hoist_fold(e);
        return;
    }
    walk(fold, e->at);
    for (i = 0; i < e->nargs; i++)
        walk(fold, e->args[i]);
}

static void hoist_fold(lp__expr *fold)
{
    if (fold->nargs != LP__FOLD_NARGS || fold->slot < 0)
        return;
    walk(fold, fold->args[LP__FOLD_ARG_BODY]);
}

void lp__formula_hoist(lp__expr *e)
{
    size_t i;
    if (!e)
        return;
    if (e->op == LP__OP_FOLD) {
        for (i = 0; i < LP__FOLD_ARG_BODY && i < e->nargs; i++)
            lp__formula_hoist(e->args[i]);
        hoist_fold(e);
        return;
    }
    lp__formula_hoist(e->at);
    for (i = 0; i < e->nargs; i++)
        lp__formula_hoist(e->args[i]);
}

/* ---------------------------------------------------------------- evaluation */

int lp__hoist_begin(lp__env *env, const lp__expr *e, lp__hoist_frame *f, lp__hoist_frame **saved)
{
    int i;
    *saved = env->hoist[e->slot];
    if (!e->nhoisted)
        return LP_OK;          /* nothing cached: env->hoist[e->slot] is left as it was */
    f->fold = e;
    for (i = 0; i < e->nhoisted; i++) {
        memset(&f->v[i], 0, sizeof f->v[i]);
        if (!(f->v[i].v.q = lp__scratch_push(env->scratch)))
            return LP_ENOMEM;
    }
    env->hoist[e->slot] = f;
    return LP_OK;
}

void lp__hoist_end(lp__env *env, const lp__expr *e, lp__hoist_frame *saved)
{
    env->hoist[e->slot] = saved;
}

int lp__hoisted_value(lp__env *env, const lp__expr *e, lp__val *v)
{
    const lp__expr *fold = e->hoist_fold;
    lp__hoist_frame *f = env->hoist[fold->slot];
    lp__hoisted *h;
    unsigned long work, steps;
    mpq_ptr q;
    int rc;
    if (!f || f->fold != fold)
        return LP__HOIST_NONE;
    h = &f->v[e->hoist];
    if (h->known) {
        if (env->work + h->work > LP__EVAL_MAX_WORK || env->fold_steps + h->steps > LP__FOLD_MAX_STEPS)
            return LP__HOIST_NONE;
        env->work += h->work;
        env->fold_steps += h->steps;
        *v = h->v;
        return LP_OK;
    }
    work = env->work;
    steps = env->fold_steps;
    q = h->v.q;
    memset(&h->v, 0, sizeof h->v);
    h->v.q = q;
    if ((rc = lp__formula_eval_node(env, e, &h->v)))
        return rc;
    h->work = env->work - work;
    h->steps = env->fold_steps - steps;
    h->known = 1;
    *v = h->v;
    return LP_OK;
}
