/* Scenarios (portability/compare.h): the career as given and under a
 * variation, and per scheme the difference between the two — with every
 * agreement removed, the portability gap. */
#include "config.h"

#include <string.h>

#include <portability/compare.h>
#include "alloc.h"
#include "arena.h"
#include "decimal.h"
#include "error.h"
#include "result_model.h"
#include "rules.h"

typedef struct row {
    const char *scheme, *what, *currency, *base, *variant, *difference;
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

/* The exact value of a displayed amount (its exact text, or its value). */
static void amount_value(mpq_t out, const char *value, const char *exact)
{
    const char *s = value;   /* what is paid, as the rules rounded it */
    (void)exact;
    mpq_set_ui(out, 0, 1);
    if (s)
        lp__decimal_parse(out, s, strlen(s));
}

static const lp__amount *payable_of(const lp_entitlement *e)
{
    size_t i;
    for (i = 0; e && i < e->namounts; i++)
        if (strcmp(e->amounts[i].kind, "payable") == 0)
            return &e->amounts[i];
    return NULL;
}

static int add_row(lp_comparison *c, size_t *cap, const char *scheme, const char *what,
                   const char *currency, const char *bv, const char *be, const char *vv, const char *ve)
{
    mpq_t a, b;
    lp__amount shown;
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
    mpq_init(a);
    mpq_init(b);
    amount_value(a, bv, be);
    amount_value(b, vv, ve);
    mpq_sub(b, b, a);
    rc = lp__amount_set(c->base, &shown, "difference", b, currency);
    mpq_clear(a);
    mpq_clear(b);
    if (rc)
        return rc;
    r->scheme = scheme;
    r->what = what;
    r->currency = currency;
    r->base = bv ? bv : "0";
    r->variant = vv ? vv : "0";
    r->difference = shown.value;
    c->nrows++;
    return LP_OK;
}

static const lp_entitlement *find(const lp_result *r, const char *scheme)
{
    return lp_result_entitlement_find(r, scheme);
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

static int build_rows(lp_comparison *c)
{
    size_t cap = 0, i;
    int rc = LP_OK;
    /* pensions: every scheme of either result */
    for (i = 0; rc == LP_OK && i < c->base->nentitlements + c->variant->nentitlements; i++) {
        int in_base = i < c->base->nentitlements;
        const lp_entitlement *e = in_base ? c->base->entitlements[i]
                                          : c->variant->entitlements[i - c->base->nentitlements];
        const lp_entitlement *eb = find(c->base, e->scheme), *ev = find(c->variant, e->scheme);
        const lp__amount *pb = payable_of(eb), *pv = payable_of(ev);
        if (!in_base && eb)
            continue;
        rc = add_row(c, &cap, e->scheme, "pension", e->currency, pb ? pb->value : NULL,
                     pb ? pb->exact : NULL, pv ? pv->value : NULL, pv ? pv->exact : NULL);
    }
    /* lump sums: an option counts only where it is available */
    for (i = 0; rc == LP_OK && i < c->base->nlump_sums + c->variant->nlump_sums; i++) {
        int in_base = i < c->base->nlump_sums;
        const lp_lump_sum *l = in_base ? c->base->lump_sums[i] : c->variant->lump_sums[i - c->base->nlump_sums];
        const lp_lump_sum *lb = find_lump(c->base, l);
        const lp_lump_sum *lv = find_lump(c->variant, l);
        if (!in_base && lb)
            continue;
        rc = add_row(c, &cap, l->scheme, l->option, l->currency,
                     lb && lb->available ? lb->value : NULL, lb && lb->available ? lb->exact : NULL,
                     lv && lv->available ? lv->value : NULL, lv && lv->available ? lv->exact : NULL);
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

LP_API int lp_compare(lp_comparison **out, const lp_ruleset *rs, lp_history *h,
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
