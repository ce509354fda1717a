/* Where and when to claim: the page-1 model of the claim procedures. For each
 * pension that is payable and each lump sum the worker can take, the scheme's
 * <claim-procedure> for it (rules/README.md §4.1): every office, form, link,
 * deadline and document to bring it gives (a procedure may name several of
 * each: offices where the worker may claim, forms, ...), each field in the
 * report's language where the rule file has it and in English otherwise. The
 * text report and the HTML report document both print this model, so the two
 * cannot say different things. A procedure is shown once per scheme even when
 * it is for several options (JP-EPI's gross and net withdrawal are one payment). */
#include <stdlib.h>
#include <string.h>

#include "calc.h"

/* Does the procedure give this field in this language? */
static int has_field_in(const lp_claim_procedure *p, lp_claim_field f, const char *lang)
{
    size_t k;
    for (k = 0; k < lp_claim_procedure_item_count(p); k++) {
        const lp_claim_item *it = lp_claim_procedure_item_at(p, k);
        if (it->field == f && !strcmp(it->lang, lang))
            return 1;
    }
    return 0;
}

/* Every item of a field, in lang where the procedure has the field in lang,
 * else in English (an item in a third language is never shown). */
static void pick(calc_claim_items *out, const lp_claim_procedure *p, lp_claim_field f, const char *lang)
{
    const char *use = has_field_in(p, f, lang) ? lang : "en";
    size_t k;
    out->n = 0;
    for (k = 0; k < lp_claim_procedure_item_count(p) && out->n < CALC_CLAIM_MAX_ITEMS; k++) {
        const lp_claim_item *it = lp_claim_procedure_item_at(p, k);
        if (it->field == f && !strcmp(it->lang, use))
            out->v[out->n++] = it;
    }
}

static void fill(calc_claim *c, const lp_claim_procedure *p, const char *lang)
{
    c->procedure = p;
    pick(&c->office, p, LP_CLAIM_OFFICE, lang);
    pick(&c->form, p, LP_CLAIM_FORM, lang);
    pick(&c->link, p, LP_CLAIM_LINK, lang);
    pick(&c->deadline, p, LP_CLAIM_DEADLINE, lang);
    pick(&c->bring, p, LP_CLAIM_BRING, lang);
}

static int shown(const calc_claims *cs, const lp_claim_procedure *p)
{
    size_t i;
    for (i = 0; i < cs->n; i++)
        if (cs->v[i].procedure == p)
            return 1;
    return 0;
}

/* Add the procedure of scheme/option, if the rule set has one not yet shown. */
static int add(calc_claims *cs, const lp_ruleset *rs, const char *scheme, const char *option,
               const char *lang)
{
    size_t i, j;
    calc_claim *grown;
    if (lp_ruleset_scheme_find(rs, scheme, &i) != LP_OK)
        return 0;
    for (j = 0; j < lp_ruleset_claim_count(rs, i); j++) {
        const lp_claim_procedure *p = lp_ruleset_claim_at(rs, i, j);
        if (!lp_claim_procedure_applies(p, option) || shown(cs, p))
            continue;
        if (!(grown = realloc(cs->v, (cs->n + 1) * sizeof *cs->v)))
            return -1;
        cs->v = grown;
        memset(&cs->v[cs->n], 0, sizeof cs->v[cs->n]);
        cs->v[cs->n].scheme = scheme;
        cs->v[cs->n].option = option;
        fill(&cs->v[cs->n], p, lang);
        cs->n++;
        return 0;
    }
    return 0;
}

int calc_claims_build(calc_claims *out, const lp_ruleset *rs, const lp_result *r, const char *lang)
{
    size_t i;
    memset(out, 0, sizeof *out);
    for (i = 0; i < lp_result_entitlement_count(r); i++) {
        const lp_entitlement *e = lp_result_entitlement_at(r, i);
        if (strcmp(lp_entitlement_status(e), "payable") == 0
            && add(out, rs, lp_entitlement_scheme(e), lp_entitlement_benefit(e), lang) != 0)
            goto fail;
    }
    for (i = 0; i < lp_result_lump_sum_count(r); i++) {
        const lp_lump_sum *l = lp_result_lump_sum_at(r, i);
        if (lp_lump_sum_available(l)
            && add(out, rs, lp_lump_sum_scheme(l), lp_lump_sum_option(l), lang) != 0)
            goto fail;
    }
    return 0;
fail:
    calc_claims_free(out);
    return -1;
}

void calc_claims_free(calc_claims *cs)
{
    free(cs->v);
    memset(cs, 0, sizeof *cs);
}

const char *calc_report_lang(void)
{
    static char lang[16];
    const char *vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
    size_t i, n;
    for (i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (!v || !*v)
            continue;
        for (n = 0; n < sizeof lang - 1 && v[n] >= 'a' && v[n] <= 'z'; n++)
            lang[n] = v[n];
        lang[n] = '\0';
        /* "C" and "POSIX" start with capitals: they and anything odd read as English */
        return n >= 2 && n <= 3 ? lang : "en";
    }
    return "en";
}
