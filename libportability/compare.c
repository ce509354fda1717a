/* Scenarios (portability/compare.h): the career as given and under a
 * variation, and per scheme the difference between the two — with every
 * agreement removed, the portability gap. */
#include "config.h"

#include <string.h>

#include <portability/compare.h>
#include "alloc.h"
#include "arena.h"
#include "money_model.h"
#include "rational.h"
#include "error.h"
#include "result_model.h"
#include "rules.h"

/* One row: a scheme's pension or one lump-sum option, in both results.
 * Amounts are exact (frozen in the base result's arena); the text is made
 * from them once, for the string accessors. */
typedef struct row {
    const char *scheme, *what, *currency;
    mpq_srcptr base_q, variant_q, difference_q;
    const char *base, *variant, *difference;
} row;

struct lp_comparison {
    lp_result *base, *variant;
    lp__arena *arena;
    row *rows;
    size_t nrows;
};

LP_API void lp_comparison_free(lp_comparison *c)
{
    if (!c)
        return;
    lp_result_free(c->base);
    lp_result_free(c->variant);
    lp__arena_free(c->arena);
    lp__free(c);
}

/* What a scheme pays, exactly, as the rules rounded it; NULL when nothing is
 * payable (no such scheme, not eligible, cannot compute). */
static mpq_srcptr pension_of(const lp_entitlement *e, const char **shown)
{
    size_t i;
    *shown = NULL;
    for (i = 0; e && i < e->namounts; i++)
        if (e->amounts[i].kind == LP_AMOUNT_PAYABLE) {
            *shown = e->amounts[i].value;
            return e->amounts[i].figure;
        }
    return NULL;
}

/* What an option pays, exactly; NULL when it is not available. */
static mpq_srcptr lump_sum_of(const lp_lump_sum *l, const char **shown)
{
    *shown = l && l->available ? l->value : NULL;
    return l && l->available ? l->amount : NULL;
}

static int add_row(lp_comparison *c, size_t *cap, const char *scheme, const char *what, const char *currency,
                   mpq_srcptr bq, const char *bv, mpq_srcptr vq, const char *vv)
{
    mpq_t d;
    const char *exact;
    row *r;
    int rc;
    if (c->nrows == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        row *n = lp__arena_alloc(c->arena, ncap * sizeof *n);
        if (!n)
            return LP_ENOMEM;
        if (c->rows)
            memcpy(n, c->rows, c->nrows * sizeof *n);
        c->rows = n;
        *cap = ncap;
    }
    r = &c->rows[c->nrows];
    /* the gap: variant - base, exactly; nothing payable counts as 0 */
    mpq_init(d);
    if (vq)
        mpq_set(d, vq);
    if (bq)
        mpq_sub(d, d, bq);
    rc = lp__amount_text(c->base, d, currency, &r->difference, &exact);
    if (rc == LP_OK && !(r->difference_q = lp__result_freeze(c->base, d)))
        rc = LP_ENOMEM;
    mpq_set_ui(d, 0, 1);
    if (rc == LP_OK && (!(r->base_q = bq ? bq : lp__result_freeze(c->base, d))
                        || !(r->variant_q = vq ? vq : lp__result_freeze(c->base, d))))
        rc = LP_ENOMEM;
    mpq_clear(d);
    if (rc)
        return rc;
    r->scheme = scheme;
    r->what = what;
    r->currency = currency;
    r->base = bv ? bv : "0";
    r->variant = vv ? vv : "0";
    c->nrows++;
    return LP_OK;
}

/* The option of a scheme, owed by the same employer (a lump sum per employment) or by none. */
static const lp_lump_sum *find_lump(const lp_result *r, const lp_lump_sum *l)
{
    size_t i;
    for (i = 0; i < r->nlump_sums; i++) {
        const lp_lump_sum *o = r->lump_sums[i];
        if (!strcmp(o->scheme, l->scheme) && !strcmp(o->option, l->option)
            && (o->employer && l->employer ? !strcmp(o->employer, l->employer) : o->employer == l->employer))
            return o;
    }
    return NULL;
}

/* The rows: every scheme's pension (the base's schemes, then any only the
 * variant has), then every lump-sum option likewise; an option counts only
 * where it is available. */
static int build_rows(lp_comparison *c)
{
    size_t cap = 0, i;
    int rc = LP_OK;
    for (i = 0; rc == LP_OK && i < c->base->nentitlements + c->variant->nentitlements; i++) {
        int in_base = i < c->base->nentitlements;
        const lp_entitlement *e = in_base ? c->base->entitlements[i]
                                          : c->variant->entitlements[i - c->base->nentitlements];
        const lp_entitlement *eb = lp_result_entitlement_find(c->base, e->scheme);
        const char *bv, *vv;
        mpq_srcptr bq, vq;
        if (!in_base && eb)
            continue;
        bq = pension_of(eb, &bv);
        vq = pension_of(lp_result_entitlement_find(c->variant, e->scheme), &vv);
        rc = add_row(c, &cap, e->scheme, "pension", e->currency, bq, bv, vq, vv);
    }
    for (i = 0; rc == LP_OK && i < c->base->nlump_sums + c->variant->nlump_sums; i++) {
        int in_base = i < c->base->nlump_sums;
        const lp_lump_sum *l = in_base ? c->base->lump_sums[i] : c->variant->lump_sums[i - c->base->nlump_sums];
        const lp_lump_sum *lb = find_lump(c->base, l);
        const char *bv, *vv;
        mpq_srcptr bq, vq;
        if (!in_base && lb)
            continue;
        bq = lump_sum_of(lb, &bv);
        vq = lump_sum_of(find_lump(c->variant, l), &vv);
        rc = add_row(c, &cap, l->scheme, l->option, l->currency, bq, bv, vq, vv);
    }
    return rc;
}

/* Concatenate two id lists into the arena. */
static const char **join(lp__arena *a, const char *const *x, size_t nx, const char *const *y, size_t ny)
{
    const char **v = lp__arena_alloc(a, (nx + ny + 1) * sizeof *v);
    if (!v)
        return NULL;
    if (nx)
        memcpy(v, x, nx * sizeof *v);
    if (ny)
        memcpy(v + nx, y, ny * sizeof *v);
    return v;
}

LP_API int lp_compare(lp_comparison **out, const lp_ruleset *rs, const lp_history *h,
                      const lp_calc_options *opts, const lp_scenario *variant)
{
    lp_calc_options base_opts = LP_CALC_OPTIONS_INIT, var_opts;
    lp_history *vh = NULL;
    lp_comparison *c;
    int rc;
    size_t i;

    if (!out)
        return lp__error_set(LP_EINVAL, "lp_compare: out is NULL");
    *out = NULL;
    if (!rs || !h || !variant || variant->version != LP_SCENARIO_VERSION)
        return lp__error_set(LP_EINVAL, "lp_compare: rule set, history or scenario missing or of an unknown version");
    if (opts && opts->version != LP_CALC_OPTIONS_VERSION)
        return lp__error_set(LP_EINVAL, "lp_compare: unknown options version %u", opts->version);
    if ((opts && ((rc = lp__check_strings("lp_compare", "options.without_agreements", opts->without_agreements,
                                          opts->nwithout_agreements)) != LP_OK
                  || (rc = lp__check_strings("lp_compare", "options.lump_sums_taken", opts->lump_sums_taken,
                                             opts->nlump_sums_taken)) != LP_OK))
        || (rc = lp__check_strings("lp_compare", "scenario.without_agreements", variant->without_agreements,
                                   variant->nwithout_agreements)) != LP_OK
        || (rc = lp__check_strings("lp_compare", "scenario.lump_sums_taken", variant->lump_sums_taken,
                                   variant->nlump_sums_taken)) != LP_OK)
        return rc;
    if (opts)
        base_opts = *opts;
    c = lp__calloc(1, sizeof *c);
    if (!c || !(c->arena = lp__arena_new())) {
        lp__free(c);
        return LP_ENOMEM;
    }
    var_opts = base_opts;
    if (variant->without_all_agreements) {
        const char **ids = lp__arena_alloc(c->arena, (rs->nagreements + 1) * sizeof *ids);
        if (!ids) {
            lp_comparison_free(c);
            return LP_ENOMEM;
        }
        for (i = 0; i < rs->nagreements; i++)
            ids[i] = rs->agreements[i].id;
        var_opts.without_agreements = ids;
        var_opts.nwithout_agreements = rs->nagreements;
    } else if (variant->nwithout_agreements) {
        var_opts.without_agreements = join(c->arena, base_opts.without_agreements, base_opts.nwithout_agreements,
                                           variant->without_agreements, variant->nwithout_agreements);
        var_opts.nwithout_agreements = base_opts.nwithout_agreements + variant->nwithout_agreements;
    }
    if (variant->nlump_sums_taken) {
        var_opts.lump_sums_taken = join(c->arena, base_opts.lump_sums_taken, base_opts.nlump_sums_taken,
                                        variant->lump_sums_taken, variant->nlump_sums_taken);
        var_opts.nlump_sums_taken = base_opts.nlump_sums_taken + variant->nlump_sums_taken;
    }
    if ((variant->nwithout_agreements && !var_opts.without_agreements)
        || (variant->nlump_sums_taken && !var_opts.lump_sums_taken)) {
        lp_comparison_free(c);
        return LP_ENOMEM;
    }
    rc = lp_calc(&c->base, rs, h, &base_opts);
    if (rc == LP_OK && (variant->residence || variant->nationality))
        rc = lp_history_with(&vh, h, variant->residence, variant->nationality);
    if (rc == LP_OK)
        rc = lp_calc(&c->variant, rs, vh ? vh : h, &var_opts);
    if (rc == LP_OK)
        rc = build_rows(c);
    lp_history_free(vh);
    if (rc != LP_OK) {
        lp_comparison_free(c);
        return rc;
    }
    *out = c;
    lp_error_clear();
    return LP_OK;
}

LP_API const lp_result *lp_comparison_base(const lp_comparison *c) { return c ? c->base : NULL; }
LP_API const lp_result *lp_comparison_variant(const lp_comparison *c) { return c ? c->variant : NULL; }
LP_API size_t lp_comparison_count(const lp_comparison *c) { return c ? c->nrows : 0; }

LP_API int lp_comparison_at(const lp_comparison *c, size_t i, const char **scheme,
                            const char **what, const char **currency, const char **base,
                            const char **variant, const char **difference)
{
    const row *r;
    if (!c || i >= c->nrows)
        return lp__error_set(LP_EINVAL, "lp_comparison_at: no row %zu", i);
    r = &c->rows[i];
    if (scheme) *scheme = r->scheme;
    if (what) *what = r->what;
    if (currency) *currency = r->currency;
    if (base) *base = r->base;
    if (variant) *variant = r->variant;
    if (difference) *difference = r->difference;
    return LP_OK;
}

LP_API int lp_comparison_money(const lp_comparison *c, size_t i, lp_money **base, lp_money **variant,
                               lp_money **difference)
{
    const row *r;
    lp_money **outs[3];
    mpq_srcptr qs[3];
    int k, rc = LP_OK;
    outs[0] = base, outs[1] = variant, outs[2] = difference;
    for (k = 0; k < 3; k++)
        if (outs[k])
            *outs[k] = NULL;
    if (!c || i >= c->nrows)
        return lp__error_set(LP_EINVAL, "lp_comparison_money: no row %zu", i);
    r = &c->rows[i];
    qs[0] = r->base_q, qs[1] = r->variant_q, qs[2] = r->difference_q;
    for (k = 0; rc == LP_OK && k < 3; k++)
        if (outs[k])
            rc = lp__money_from_mpq(outs[k], qs[k], r->currency);
    if (rc != LP_OK)
        for (k = 0; k < 3; k++)
            if (outs[k]) {
                lp_money_free(*outs[k]);
                *outs[k] = NULL;
            }
    return rc;
}
