/* The calculation (portability/calc.h): for every scheme of a career, the
 * independent route on its own periods, one route per agreement that covers
 * it (totalised periods, theoretical, pro-rata and direct amounts), the most
 * favourable chosen; then export and the lump-sum options. The C code knows no
 * scheme: everything comes from the rule set. */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <portability/version.h>
#include "alloc.h"
#include "calc_internal.h"
#include "decimal.h"
#include "digest.h"
#include "error.h"
#include "rational.h"

/* ---------------------------------------------------------------- entry */

static int receipt(lp__calc *c)
{
    char digest[LP__DIGEST_TEXT_SIZE];
    c->r->history_id = lp__arena_strdup(c->r->arena, c->h->id);
    c->r->claim_date = lp__arena_strndup(c->r->arena, c->h->claim_text, 10);   /* YYYY-MM-DD */
    c->r->library_version = LP_VERSION_STRING;
    c->r->rules_digest = c->rs->digest;
    c->r->input_digest = lp__arena_strdup(c->r->arena, lp__history_digest(c->h, digest));
    c->r->benefit = lp__arena_strdup(c->r->arena, c->h->benefit);
    c->r->residence = lp__arena_strdup(c->r->arena, c->h->residence);
    return c->r->history_id && c->r->claim_date && c->r->input_digest && c->r->benefit && c->r->residence
           ? LP_OK : LP_ENOMEM;
}

static int alloc_defs(lp__calc *c)
{
    size_t i, max = 1;
    for (i = 0; i < c->rs->nschemes; i++)
        if (c->rs->schemes[i].ndefines > max)
            max = c->rs->schemes[i].ndefines;
    c->def_state = lp__workspace_alloc(&c->ws, max);
    c->def_val = lp__workspace_alloc(&c->ws, max * sizeof *c->def_val);
    c->def_held = lp__workspace_alloc_raw(&c->ws, max * sizeof *c->def_held);
    return c->def_state && c->def_val && c->def_held ? LP_OK : LP_ENOMEM;
}

static void scratchpad_init(lp_scratchpad *pad)
{
    lp__scratch_init(&pad->eval);
    lp__scratch_init(&pad->routes);
    lp__scratch_init(&pad->held);
}

LP_API int lp_scratchpad_new(lp_scratchpad **out)
{
    if (!out)
        return lp__error_set(LP_EINVAL, "lp_scratchpad_new: out is NULL");
    if (!(*out = lp__malloc(sizeof **out)))
        return LP_ENOMEM;      /* lp__malloc has set the error */
    scratchpad_init(*out);
    return LP_OK;
}

static void scratchpad_clear(lp_scratchpad *pad)
{
    lp__scratch_clear(&pad->eval);
    lp__scratch_clear(&pad->routes);
    lp__scratch_clear(&pad->held);
}

LP_API void lp_scratchpad_free(lp_scratchpad *pad)
{
    if (!pad)
        return;
    scratchpad_clear(pad);
    lp__free(pad);
}

LP_API int lp_calc(lp_result **out, const lp_ruleset *rs, const lp_history *h, const lp_calc_options *opts)
{
    lp_scratchpad pad;             /* a calculation on its own frees all it took */
    int rc;
    scratchpad_init(&pad);
    rc = lp_calc_with_pad(out, &pad, rs, h, opts);
    scratchpad_clear(&pad);
    return rc;
}

LP_API int lp_calc_with_pad(lp_result **out, lp_scratchpad *pad, const lp_ruleset *rs, const lp_history *h,
                            const lp_calc_options *opts)
{
    lp__calc c;
    size_t i;
    int rc;
    unsigned long failures = lp__alloc_failures();
    if (!out)
        return lp__error_set(LP_EINVAL, "lp_calc: out is NULL");
    *out = NULL;
    if (!rs || !h || !pad)
        return lp__error_set(LP_EINVAL, "lp_calc: rule set, history or scratch pad is NULL");
    if (opts && opts->version != LP_CALC_OPTIONS_VERSION)
        return lp__error_set(LP_EINVAL, "lp_calc: unknown options version %u", opts->version);
    if (opts && ((rc = lp__check_strings("lp_calc", "options.without_agreements", opts->without_agreements,
                                         opts->nwithout_agreements)) != LP_OK
                 || (rc = lp__check_strings("lp_calc", "options.lump_sums_taken", opts->lump_sums_taken,
                                            opts->nlump_sums_taken)) != LP_OK))
        return rc;
    if ((rc = lp_calc_options_check(rs, opts)) != LP_OK)
        return rc;
    memset(&c, 0, offsetof(lp__calc, ws));   /* the workspace's buffer needs no zeroing */
    c.rs = rs;
    c.h = h;
    c.opts = opts;
    c.trace = opts && (opts->flags & LP_CALC_TRACE);
    c.env.claim_day = h->claim;
    c.age = lp__age_on(h->birth, h->claim);
    lp__calc_bind_env(&c);
    c.nheld = 0;
    /* every pool starts empty; its slots keep their limbs from earlier calculations */
    pad->eval.depth = pad->routes.depth = pad->held.depth = 0;
    c.env.scratch = &pad->eval;
    c.route_q = &pad->routes;
    c.held = &pad->held;
    lp__workspace_init(&c.ws);
    if ((c.one = lp__scratch_push(c.held)))
        mpq_set_ui(c.one, 1, 1);
    c.r = c.one ? lp__result_new() : NULL;
    rc = c.r ? alloc_defs(&c) : LP_ENOMEM;
    if (rc == LP_OK)
        rc = receipt(&c);
    if (rc == LP_OK)
        rc = lp__calc_setup_runs(&c);
    for (i = 0; rc == LP_OK && i < c.nruns; i++) {
        if (!c.runs[i].s)
            continue;
        c.env.scheme = c.runs[i].s;
        memset(c.def_state, 0, c.runs[i].s->ndefines);   /* a new scheme: nothing is known */
        rc = lp__calc_entitlement(&c, &c.runs[i]);
        if (rc == LP_OK)
            rc = lp__calc_lump_sums(&c, &c.runs[i]);
    }
    for (i = 0; c.runs && i < c.nruns; i++)
        lp__aggregate_run_free(&c.runs[i]);
    lp__free(c.timeline);
    lp__free(c.reads);
    lp__workspace_clear(&c.ws);
    /* an allocation that failed where the calculation went on (a trace step,
     * a formatted value) must not give a result with a hole in it */
    if (rc == LP_OK && lp__alloc_failures() != failures)
        rc = LP_ENOMEM;
    if (rc != LP_OK) {
        if (rc == LP_ENOMEM && lp_error_last()->code != LP_ENOMEM)
            lp__error_set(LP_ENOMEM, "out of memory");
        lp_result_free(c.r);
        return rc;
    }
    *out = c.r;
    lp_error_clear();              /* a route that could not be computed set one; it is in the result */
    return LP_OK;
}
