/* Page 1: what the worker gets from each country, in plain words, in the
 * report's language (issue 19). The text report prints this model and the HTML
 * report document carries it (report_html.c), so the two cannot say different
 * things. Everything else (ids, exact fractions, the law, grades) is for the
 * appendix "How each figure was computed".
 *
 * Per country (its name from rules/countries.xml, in the report's language),
 * per scheme (its title from the rule file):
 *   - a payable pension: how much, how often, from when, and what to know
 *     (paid abroad or not, counted with an agreement, provisional);
 *   - a lump sum the worker can take now: how much, once; when the rules give
 *     one payment as gross and net (two options of one kind of a scheme that
 *     share one claim procedure, the net one the smaller), both on one line;
 *     what taking it costs, from the rule data: the periods it erases
 *     (forfeits-periods) and the pension of the same scheme it replaces;
 *   - nothing: one plain line; left out when the same scheme gives a lump sum.
 * No scheme id, status word, method id, fraction or boolean is written here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc.h"

static calc_line *grow(calc_page1 *p)
{
    calc_line *v = realloc(p->v, (p->n + 1) * sizeof *v);
    if (!v)
        return NULL;
    p->v = v;
    memset(&v[p->n], 0, sizeof v[p->n]);
    return &v[p->n++];
}

static void note(calc_line *l, const char *text)
{
    if (l->nnotes < CALC_LINE_MAX_NOTES)
        snprintf(l->notes[l->nnotes++], sizeof l->notes[0], "%s", text);
}

/* "92,081 JPY" in the report's language. */
static void money_words(char *buf, size_t cap, const char *decimal, const char *currency)
{
    char n[128];
    calc_number_words(n, sizeof n, decimal);
    snprintf(buf, cap, "%s %s", n, currency ? currency : "");
}

/* "60 months", "1 year": a period count and its unit, in the report's language. */
void calc_periods_words(char *buf, size_t cap, const char *count, const char *unit)
{
    unsigned long n = 2;
    char num[64];
    const char *u;
    if (count && strspn(count, "0123456789") == strlen(count))
        n = strtoul(count, NULL, 10);
    calc_number_words(num, sizeof num, count ? count : "0");
    if (unit && !strcmp(unit, "year"))
        u = ngettext("year", "years", n);
    else if (unit && !strcmp(unit, "quarter"))
        u = ngettext("quarter", "quarters", n);
    else if (unit && !strcmp(unit, "week"))
        u = ngettext("week", "weeks", n);
    else if (unit && !strcmp(unit, "day"))
        u = ngettext("day", "days", n);
    else
        u = ngettext("month", "months", n);
    snprintf(buf, cap, "%s %s", num, u);
}

/* A lump-sum option's id as words: "end-of-service-award" -> "end of service award". */
static void option_words(char *buf, size_t cap, const char *option)
{
    size_t i;
    snprintf(buf, cap, "%s", option ? option : "");
    for (i = 0; buf[i]; i++)
        if (buf[i] == '-' || buf[i] == '_')
            buf[i] = ' ';
}

static void set_place(calc_line *l, const calc_catalogue *cat, const char *scheme)
{
    const char *code = calc_scheme_country(cat, scheme);
    l->scheme = scheme;
    snprintf(l->country_code, sizeof l->country_code, "%s", code);
    snprintf(l->country, sizeof l->country, "%s", calc_country_name(cat, code));
    snprintf(l->title, sizeof l->title, "%s", calc_scheme_title(cat, scheme));
}

static int has_lump_sum(const lp_result *r, const char *scheme)
{
    size_t i;
    for (i = 0; i < lp_result_lump_sum_count(r); i++) {
        const lp_lump_sum *l = lp_result_lump_sum_at(r, i);
        if (lp_lump_sum_available(l) && !strcmp(lp_lump_sum_scheme(l), scheme))
            return 1;
    }
    return 0;
}

static void pension_line(calc_line *l, const calc_catalogue *cat, const calc_person *who,
                         const lp_result *r, const lp_entitlement *e)
{
    const char *freq = lp_entitlement_frequency(e);
    char m[160], d[64], buf[512];
    l->kind = CALC_LINE_PENSION;
    snprintf(l->what, sizeof l->what, "%s", _("Pension"));
    money_words(m, sizeof m, lp_entitlement_amount_text(e, LP_AMOUNT_PAYABLE), lp_entitlement_currency(e));
    if (!strcmp(freq, "monthly"))
        snprintf(l->amount, sizeof l->amount, _("%s a month"), m);
    else if (!strcmp(freq, "yearly"))
        snprintf(l->amount, sizeof l->amount, _("%s a year"), m);
    else if (!strcmp(freq, "weekly"))
        snprintf(l->amount, sizeof l->amount, _("%s a week"), m);
    else
        snprintf(l->amount, sizeof l->amount, _("%s, paid once"), m);
    calc_date_words(d, sizeof d, lp_result_claim_date(r));
    snprintf(l->when, sizeof l->when, _("from %s"), d);
    if (lp_entitlement_agreement(e))
        note(l, _("Your periods in the other country of the social security agreement are counted "
                  "to reach it."));
    if (!lp_entitlement_export_allowed(e)) {
        snprintf(buf, sizeof buf, _("It cannot be paid while you live in %s."),
                 calc_country_in_text(cat, who->residence));
        note(l, buf);
    }
    if (lp_entitlement_provisional_count(e))
        note(l, _("Provisional: a rate it uses is due to be updated, and the amount will change."));
}

/* The other option of the same payment (gross beside net), or NULL: an
 * available lump sum of the same scheme and kind that one claim procedure of
 * the scheme covers together with l. */
static const lp_lump_sum *same_payment(const lp_ruleset *rs, const lp_result *r, const lp_lump_sum *l)
{
    size_t i, k, s;
    if (lp_ruleset_scheme_find(rs, lp_lump_sum_scheme(l), &s) != LP_OK)
        return NULL;
    for (i = 0; i < lp_result_lump_sum_count(r); i++) {
        const lp_lump_sum *o = lp_result_lump_sum_at(r, i);
        if (o == l || !lp_lump_sum_available(o) || strcmp(lp_lump_sum_scheme(o), lp_lump_sum_scheme(l))
            || strcmp(lp_lump_sum_kind(o), lp_lump_sum_kind(l)))
            continue;
        for (k = 0; k < lp_ruleset_claim_count(rs, s); k++) {
            const lp_claim_procedure *p = lp_ruleset_claim_at(rs, s, k);
            if (lp_claim_procedure_applies(p, lp_lump_sum_option(l))
                && lp_claim_procedure_applies(p, lp_lump_sum_option(o)))
                return o;
        }
    }
    return NULL;
}

/* -1, 0, 1 as a < b, a = b, a > b; 0 when they cannot be compared. */
static int compare_values(const lp_lump_sum *a, const lp_lump_sum *b)
{
    lp_money *ma = NULL, *mb = NULL;
    int c = 0;
    if (lp_money_from_string(&ma, lp_lump_sum_value(a) ? lp_lump_sum_value(a) : "0",
                             lp_lump_sum_currency(a)) == LP_OK
        && lp_money_from_string(&mb, lp_lump_sum_value(b) ? lp_lump_sum_value(b) : "0",
                                lp_lump_sum_currency(b)) == LP_OK)
        lp_money_compare(&c, ma, mb);
    lp_money_free(ma);
    lp_money_free(mb);
    return c;
}

static void lump_sum_line(calc_line *l, const calc_catalogue *cat, const lp_result *r,
                          const lp_lump_sum *ls, const lp_lump_sum *net)
{
    const char *scheme = lp_lump_sum_scheme(ls), *cur = lp_lump_sum_currency(ls);
    const lp_entitlement *e = lp_result_entitlement_find(r, scheme);
    char g[160], n[160], months[64], plain[64], buf[768], per[96], words[128];
    l->kind = CALC_LINE_LUMP_SUM;
    l->option = lp_lump_sum_option(ls);
    option_words(words, sizeof words, lp_lump_sum_option(ls));
    /* TRANSLATORS: %s is the rule file's name of the payment, in English, e.g.
       "end of service award", "withdrawal". */
    if (lp_lump_sum_employer(ls))
        /* TRANSLATORS: %1$s is the payment's name as in "One-time payment (%s)";
           %2$s the employer's name as the history gives it. */
        snprintf(l->what, sizeof l->what, _("One-time payment (%1$s) from %2$s"), words,
                 lp_lump_sum_employer(ls));
    else
        snprintf(l->what, sizeof l->what, _("One-time payment (%s)"), words);
    money_words(g, sizeof g, lp_lump_sum_value(ls), cur);
    if (net) {
        money_words(n, sizeof n, lp_lump_sum_value(net), cur);
        snprintf(l->amount, sizeof l->amount, _("%1$s before tax, %2$s after the tax withheld"), g, n);
    } else {
        snprintf(l->amount, sizeof l->amount, "%s", g);
    }
    snprintf(l->when, sizeof l->when, "%s", _("you can claim it now"));
    if (lp_lump_sum_forfeits_periods(ls)) {
        if (e) {
            calc_periods_words(per, sizeof per, lp_entitlement_own_periods(e), lp_entitlement_unit(e));
            snprintf(buf, sizeof buf, _("Taking it erases your %s here: they no longer count towards "
                                        "a pension in this country or under an agreement."), per);
        } else {
            snprintf(buf, sizeof buf, "%s", _("Taking it erases your periods here: they no longer count "
                                              "towards a pension in this country or under an agreement."));
        }
        note(l, buf);
    }
    if (e && !strcmp(lp_entitlement_status(e), "payable")) {
        size_t i, w = 0;
        if (calc_lump_sum_months(months, sizeof months, ls, e) == 0) {
            for (i = 0; months[i] && w + 1 < sizeof plain; i++)
                if (months[i] != ',')
                    plain[w++] = months[i];
            plain[w] = '\0';
            calc_number_words(months, sizeof months, plain);
            snprintf(buf, sizeof buf, _("It is instead of the pension above: it equals %s months of "
                                        "that pension."), months);
        } else {
            snprintf(buf, sizeof buf, "%s", _("It is instead of the pension above."));
        }
        note(l, buf);
    }
}

static void nothing_line(calc_line *l, const calc_catalogue *cat, const lp_entitlement *e)
{
    const char *st = lp_entitlement_status(e);
    char per[96];
    l->kind = CALC_LINE_NOTHING;
    if (!strcmp(st, "not-eligible")) {
        calc_periods_words(per, sizeof per, lp_entitlement_own_periods(e), lp_entitlement_unit(e));
        snprintf(l->what, sizeof l->what, _("No pension: your %s here are not enough to qualify."), per);
    } else if (!strcmp(st, "cannot-compute")) {
        snprintf(l->what, sizeof l->what, "%s", _("The pension cannot be worked out yet: a figure the law "
                                                  "needs is missing from the rules (see the appendix)."));
    } else {
        snprintf(l->what, sizeof l->what, "%s", _("No pension under this scheme."));
    }
    (void)cat;
}

/* A lump sum the rules cannot compute for this career: said on page 1 (the
 * reason and the rule are in the appendix), never left out. */
static void unknown_lump_sum_line(calc_line *l, const lp_lump_sum *ls)
{
    char words[128];
    l->kind = CALC_LINE_NOTHING;
    option_words(words, sizeof words, lp_lump_sum_option(ls));
    /* TRANSLATORS: %s is the rule file's name of the payment, in English, as in
       "One-time payment (%s)". */
    snprintf(l->what, sizeof l->what, _("The one-time payment (%s) cannot be worked out yet: a figure "
                                        "the law needs is missing from the rules (see the appendix)."),
             words);
}

/* A lump sum with a figure that the worker does not get now (a condition
 * not met: too little service, the wrong reason for leaving, an age not
 * reached): what it would be and which conditions fail, from the rule's
 * condition ids, so that page 1 says what leaving early or resigning costs. */
static void unavailable_line(calc_line *l, const lp_lump_sum *ls)
{
    char words[128], g[160], unmet[384], one[128];
    size_t i, w = 0;
    l->kind = CALC_LINE_NOTHING;
    option_words(words, sizeof words, lp_lump_sum_option(ls));
    if (lp_lump_sum_employer(ls)) {
        size_t n = strlen(words);
        snprintf(words + n, sizeof words - n, ", %s", lp_lump_sum_employer(ls));
    }
    money_words(g, sizeof g, lp_lump_sum_value(ls), lp_lump_sum_currency(ls));
    unmet[0] = '\0';
    for (i = 0; i < lp_lump_sum_condition_count(ls); i++) {
        const char *id = NULL;
        int met = 1;
        if (lp_lump_sum_condition_at(ls, i, &id, &met, NULL) != LP_OK || met || !id)
            continue;
        option_words(one, sizeof one, id);
        w += (size_t)snprintf(unmet + w, w < sizeof unmet ? sizeof unmet - w : 0, "%s%s",
                              w ? ", " : "", one);
        if (w >= sizeof unmet)
            break;
    }
    /* TRANSLATORS: %1$s is the payment's name in English as in "One-time
       payment (%s)", with the employer after a comma where there is one; %2$s
       the amount with its currency; %3$s the rule's conditions not met, in
       English words (e.g. "service 5 years"). */
    snprintf(l->what, sizeof l->what, _("Not owed now: the one-time payment (%1$s) of %2$s. Not met: %3$s."),
             words, g, unmet);
}

/* Is a lump sum one the worker does not get now, with a figure to show? */
static int unavailable_with_figure(const lp_lump_sum *ls)
{
    const char *v = lp_lump_sum_value(ls);
    return !lp_lump_sum_available(ls) && !lp_lump_sum_error(ls) && v && strspn(v, "0.") != strlen(v);
}

/* Add the lines of one scheme: its pension if payable, the lump sums the
 * worker can take now, a line for each lump sum the rules cannot compute,
 * where nothing is payable now the lump sums not owed with why, and a
 * "nothing" line for a pension not payable (left out when a lump sum
 * says what the scheme gives, never when the pension cannot be computed). */
static int add_scheme(calc_page1 *p, const lp_ruleset *rs, const calc_catalogue *cat,
                      const calc_person *who, const lp_result *r, const char *scheme)
{
    const lp_entitlement *e = lp_result_entitlement_find(r, scheme);
    int payable = e && !strcmp(lp_entitlement_status(e), "payable");
    size_t i;
    calc_line *l;
    if (payable) {
        if (!(l = grow(p)))
            return -1;
        set_place(l, cat, scheme);
        pension_line(l, cat, who, r, e);
    }
    for (i = 0; i < lp_result_lump_sum_count(r); i++) {
        const lp_lump_sum *ls = lp_result_lump_sum_at(r, i), *other;
        if (!lp_lump_sum_available(ls) || strcmp(lp_lump_sum_scheme(ls), scheme))
            continue;
        other = same_payment(rs, r, ls);
        if (other && compare_values(ls, other) < 0)
            continue;             /* the net option: on the gross one's line */
        if (!(l = grow(p)))
            return -1;
        set_place(l, cat, scheme);
        lump_sum_line(l, cat, r, ls, other);
    }
    for (i = 0; i < lp_result_lump_sum_count(r); i++) {
        const lp_lump_sum *ls = lp_result_lump_sum_at(r, i);
        if (!lp_lump_sum_error(ls) || strcmp(lp_lump_sum_scheme(ls), scheme))
            continue;
        if (!(l = grow(p)))
            return -1;
        set_place(l, cat, scheme);
        unknown_lump_sum_line(l, ls);
    }
    /* where the scheme pays nothing now, what it would pay, and why not */
    for (i = 0; !payable && !has_lump_sum(r, scheme) && i < lp_result_lump_sum_count(r); i++) {
        const lp_lump_sum *ls = lp_result_lump_sum_at(r, i);
        if (!unavailable_with_figure(ls) || strcmp(lp_lump_sum_scheme(ls), scheme))
            continue;
        if (!(l = grow(p)))
            return -1;
        set_place(l, cat, scheme);
        unavailable_line(l, ls);
    }
    /* a pension that cannot be computed is always said; "nothing" only where no
     * lump sum says what the scheme gives */
    if (e && !payable && (lp_entitlement_error(e) || !has_lump_sum(r, scheme))) {
        if (!(l = grow(p)))
            return -1;
        set_place(l, cat, scheme);
        nothing_line(l, cat, e);
    }
    return 0;
}

/* The i-th scheme the result names (entitlements, then lump sums). */
static const char *scheme_at(const lp_result *r, size_t i)
{
    size_t ne = lp_result_entitlement_count(r);
    return i < ne ? lp_entitlement_scheme(lp_result_entitlement_at(r, i))
                  : lp_lump_sum_scheme(lp_result_lump_sum_at(r, i - ne));
}

/* Has a scheme (of the country, when country is set) come before index i? */
static int named_before(const lp_result *r, const calc_catalogue *cat, size_t i, const char *what,
                        int by_country)
{
    size_t j;
    for (j = 0; j < i; j++) {
        const char *s = scheme_at(r, j);
        if (!strcmp(by_country ? calc_scheme_country(cat, s) : s, what))
            return 1;
    }
    return 0;
}

int calc_page1_build(calc_page1 *out, const lp_ruleset *rs, const calc_catalogue *cat,
                     const calc_person *who, const lp_result *r)
{
    size_t i, j, n = lp_result_entitlement_count(r) + lp_result_lump_sum_count(r);
    memset(out, 0, sizeof *out);
    /* the countries, and each country's schemes, in the order the result names them */
    for (i = 0; i < n; i++) {
        const char *code = calc_scheme_country(cat, scheme_at(r, i));
        if (named_before(r, cat, i, code, 1))
            continue;
        for (j = i; j < n; j++) {
            const char *scheme = scheme_at(r, j);
            if (strcmp(calc_scheme_country(cat, scheme), code) || named_before(r, cat, j, scheme, 0))
                continue;
            if (add_scheme(out, rs, cat, who, r, scheme) != 0) {
                calc_page1_free(out);
                return -1;
            }
        }
    }
    /* the warning only where a country has both a pension and a lump sum */
    for (i = 0; i < out->n; i++)
        for (j = 0; j < out->n; j++)
            if (out->v[i].kind == CALC_LINE_LUMP_SUM && out->v[j].kind == CALC_LINE_PENSION
                && !strcmp(out->v[i].country_code, out->v[j].country_code))
                out->alternatives = 1;
    return 0;
}

void calc_page1_free(calc_page1 *p)
{
    free(p->v);
    memset(p, 0, sizeof *p);
}
