/* The agreements of a loaded rule set through the public API
 * (portability/ruleset.h): which countries and schemes each binds, its dates
 * in force, and whether it adds a partner's periods to a scheme or pays a
 * scheme's pension abroad. Read-only views of the model ruleset_load.c built;
 * the calculation reads the same fields (calc_entitlement.c, totalise.c). */
#include "config.h"

#include <string.h>

#include <portability/ruleset.h>
#include "error.h"
#include "rules.h"

static const lp__agreement *agreement_at(const lp_ruleset *rs, size_t i)
{
    return rs && i < rs->nagreements ? &rs->agreements[i] : NULL;
}

static const lp__party *party_at(const lp_ruleset *rs, size_t i, size_t k)
{
    const lp__agreement *a = agreement_at(rs, i);
    return a && k < a->nparties ? &a->parties[k] : NULL;
}

/* The agreement, or NULL with LP_EINVAL set for fn. */
static const lp__agreement *checked(const char *fn, const lp_ruleset *rs, size_t i)
{
    const lp__agreement *a = agreement_at(rs, i);
    if (!a)
        lp__error_set(LP_EINVAL, "%s: %s", fn, rs ? "no agreement of that index" : "rs is NULL");
    return a;
}

/* An lp__day as an lp_date; {0, 0, 0} for the open ends LP__DAY_MIN / LP__DAY_MAX. */
static lp_date to_date(lp__day d)
{
    lp_date out = { 0, 0, 0 };
    if (d != LP__DAY_MIN && d != LP__DAY_MAX)
        lp__day_to_ymd(d, &out.year, &out.month, &out.day);
    return out;
}

LP_API int lp_ruleset_agreement_find(size_t *out, const lp_ruleset *rs, const char *id)
{
    size_t i;
    if (!out || !rs || !id)
        return lp__error_set(LP_EINVAL, "lp_ruleset_agreement_find: NULL argument");
    for (i = 0; i < rs->nagreements; i++)
        if (strcmp(rs->agreements[i].id, id) == 0) {
            *out = i;
            return LP_OK;
        }
    return lp__error_set(LP_ENOTFOUND, "no agreement '%.64s' in the rule set", id);
}

LP_API const char *lp_ruleset_agreement_title(const lp_ruleset *rs, size_t i)
{
    const lp__agreement *a = agreement_at(rs, i);
    return a ? a->title : NULL;
}

LP_API int lp_ruleset_agreement_dates(lp_date *in_force_out, lp_date *terminated_out,
                                      lp_date *signed_out, const lp_ruleset *rs, size_t i)
{
    const lp__agreement *a = checked("lp_ruleset_agreement_dates", rs, i);
    if (!a)
        return LP_EINVAL;
    if (in_force_out)
        *in_force_out = to_date(a->in_force);
    if (terminated_out)
        *terminated_out = to_date(a->terminated);
    if (signed_out)
        *signed_out = to_date(a->signed_day);
    return LP_OK;
}

LP_API int lp_ruleset_agreement_in_force(int *out, const lp_ruleset *rs, size_t i, lp_date day)
{
    const lp__agreement *a;
    lp__day d;
    if (!out)
        return lp__error_set(LP_EINVAL, "lp_ruleset_agreement_in_force: out is NULL");
    if (!(a = checked("lp_ruleset_agreement_in_force", rs, i)))
        return LP_EINVAL;
    if (!lp__ymd_valid(day.year, day.month, day.day))
        return lp__error_set(LP_EINVAL, "lp_ruleset_agreement_in_force: %04d-%02d-%02d is not a date",
                             day.year, day.month, day.day);
    d = lp__day_from_ymd(day.year, day.month, day.day);
    *out = lp__agreement_in_force(a, d);
    return LP_OK;
}

LP_API size_t lp_ruleset_agreement_party_count(const lp_ruleset *rs, size_t i)
{
    const lp__agreement *a = agreement_at(rs, i);
    return a ? a->nparties : 0;
}

LP_API const char *lp_ruleset_agreement_party_country(const lp_ruleset *rs, size_t i, size_t k)
{
    const lp__party *p = party_at(rs, i, k);
    return p ? p->country : NULL;
}

LP_API size_t lp_ruleset_agreement_party_scheme_count(const lp_ruleset *rs, size_t i, size_t k)
{
    const lp__party *p = party_at(rs, i, k);
    return p ? p->nschemes : 0;
}

LP_API const char *lp_ruleset_agreement_party_scheme(const lp_ruleset *rs, size_t i, size_t k,
                                                     size_t j)
{
    const lp__party *p = party_at(rs, i, k);
    return p && j < p->nschemes ? p->scheme_ids[j] : NULL;
}

LP_API int lp_ruleset_agreement_binds(int *out, const lp_ruleset *rs, size_t i,
                                      const char *country_a, const char *country_b)
{
    const lp__agreement *a;
    if (!out || !country_a || !country_b)
        return lp__error_set(LP_EINVAL, "lp_ruleset_agreement_binds: NULL argument");
    if (!(a = checked("lp_ruleset_agreement_binds", rs, i)))
        return LP_EINVAL;
    *out = strcmp(country_a, country_b) != 0 && lp__agreement_has_party(a, country_a) && lp__agreement_has_party(a, country_b);
    return LP_OK;
}

LP_API int lp_ruleset_agreement_totalises(int *out, const lp_ruleset *rs, size_t i,
                                          const char *scheme, const char *partner)
{
    const lp__agreement *a;
    size_t t, p;
    if (!out || !scheme)
        return lp__error_set(LP_EINVAL, "lp_ruleset_agreement_totalises: NULL argument");
    if (!(a = checked("lp_ruleset_agreement_totalises", rs, i)))
        return LP_EINVAL;
    *out = 0;
    for (t = 0; t < a->ntotalisations && !*out; t++) {
        const lp__totalisation *tot = &a->totalisations[t];
        if (strcmp(tot->scheme_id, scheme) != 0)
            continue;
        for (p = 0; p < tot->npartners && !*out; p++)
            *out = !partner || strcmp(tot->partners[p].scheme_id, partner) == 0;
    }
    return LP_OK;
}

LP_API int lp_ruleset_agreement_exports(int *out, const lp_ruleset *rs, size_t i, const char *scheme)
{
    const lp__agreement *a;
    size_t k;
    if (!out || !scheme)
        return lp__error_set(LP_EINVAL, "lp_ruleset_agreement_exports: NULL argument");
    if (!(a = checked("lp_ruleset_agreement_exports", rs, i)))
        return LP_EINVAL;
    *out = 0;
    for (k = 0; k < a->nexports && !*out; k++)
        *out = strcmp(a->exports[k].scheme_id, scheme) == 0;
    return LP_OK;
}
