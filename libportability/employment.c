/* What a history says about an employment, as the rules read it: the
 * built-in text `separation_reason` and the aggregate `last_wage(part: ...)`
 * (rules/README.md 5.4 and 9).
 *
 * The employment read is the latest (by its last day) <employment> among the
 * periods being computed: a lump sum per="employment" computes on one
 * employer's periods at a time (calc.c), so there it is that employer's.
 * A history without employments in the scheme (written before they existed)
 * gives the same figures as facts of the scheme: separation_reason,
 * last_monthly_wage (the whole wage) and last_basic_wage (its basic part). */
#include "config.h"

#include <string.h>

#include "calc_internal.h"
#include "error.h"

static const char *const fact_names[LP__EMPLOYMENT_FACTS] = {
    "separation_reason", "last_monthly_wage", "last_basic_wage"
};

int lp__employment_fact_slot(const char *name, lp__type *type, const lp__scheme *s)
{
    int i;
    for (i = 0; i < LP__EMPLOYMENT_FACTS; i++)
        if (strcmp(name, fact_names[i]) == 0) {
            memset(type, 0, sizeof *type);
            type->kind = i == LP__EMPLOYMENT_FACT_REASON ? LP__T_TEXT : LP__T_MONEY;
            memcpy(type->currency, s->currency, sizeof type->currency);
            return i;
        }
    return -1;
}

const lp__employment *lp__calc_employment(const lp__calc *c)
{
    const lp__hperiod *last = NULL;
    size_t i;
    for (i = 0; i < c->cur->nperiods; i++) {
        const lp__hperiod *p = c->cur->periods[i];
        if (p->employment && (!last || p->to > last->to || (p->to == last->to && p->line > last->line)))
            last = p;
    }
    return last ? last->employment : NULL;
}

int lp__calc_separation_reason(lp__calc *c, lp__val *out)
{
    const lp__employment *e = lp__calc_employment(c);
    const lp__factval *f = &c->cur->employment_facts[LP__EMPLOYMENT_FACT_REASON];
    if (e) {
        out->text = e->ends ? e->ends : "";   /* "": not ended, or not said: no law's word */
        return LP_OK;
    }
    if (f->set) {
        out->text = f->text;
        return LP_OK;
    }
    return lp__error_set_at(LP_ENOTFOUND, c->cur->s->file, c->cur->s->loc.line, c->cur->s->loc.column,
                            "scheme %s needs how the employment ended: <employment scheme=\"%s\" "
                            "employer=\"...\" ends=\"...\"> in the history (or, for one employer, "
                            "<fact scheme=\"%s\" name=\"separation_reason\">)", c->cur->s->id,
                            c->cur->s->id, c->cur->s->id);
}

/* The fact that stands for a part of the wage in a history without employments. */
static int wage_fact(lp__calc *c, const lp__expr *x, lp__val *out)
{
    const lp__factval *f = NULL;
    const char *name = NULL;
    if (x->part == LP__WAGE_ALL) {
        f = &c->cur->employment_facts[LP__EMPLOYMENT_FACT_WAGE];
        name = "last_monthly_wage";
    } else if (x->part == LP__WAGE_BASIC) {
        f = &c->cur->employment_facts[LP__EMPLOYMENT_FACT_BASIC];
        name = "last_basic_wage";
    }
    if (f && f->set) {
        mpq_set(out->q, f->q);
        return LP_OK;
    }
    return lp__error_set_at(LP_ENOTFOUND, c->cur->s->file, x->line, x->column,
                            "scheme %s needs the last wage: <employment scheme=\"%s\" ...><wage basic=\"...\" "
                            "allowances=\"...\" currency=\"%s\"/></employment> in the history%s%s%s",
                            c->cur->s->id, c->cur->s->id, c->cur->s->currency,
                            name ? " (or, for one employer, <fact name=\"" : "", name ? name : "",
                            name ? "\">)" : "");
}

int lp__calc_last_wage(lp__calc *c, const lp__expr *x, lp__val *out)
{
    const lp__employment *e = lp__calc_employment(c);
    if (!e)
        return wage_fact(c, x, out);
    if (!e->basic)
        return lp__error_set_at(LP_ENOTFOUND, c->h->file, e->line, e->column,
                                "the employment with %s gives no <wage basic=\"...\" currency=\"%s\"/>: "
                                "scheme %s computes from the last wage", e->employer, c->cur->s->currency,
                                c->cur->s->id);
    if (!lp__same_id(e->currency, c->cur->s->currency))
        return lp__error_set_at(LP_ECURRENCY, c->h->file, e->line, e->column,
                                "the wage of the employment with %s is in %s, but scheme %s counts in %s",
                                e->employer, e->currency, c->cur->s->id, c->cur->s->currency);
    switch (x->part) {
    case LP__WAGE_BASIC:
        mpq_set(out->q, e->basic);
        break;
    case LP__WAGE_ALLOWANCES:
        if (e->allowances)
            mpq_set(out->q, e->allowances);
        else
            mpq_set_ui(out->q, 0, 1);
        break;
    default:
        if (e->allowances)
            mpq_add(out->q, e->basic, e->allowances);
        else
            mpq_set(out->q, e->basic);
        break;
    }
    return LP_OK;
}
