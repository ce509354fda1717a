/* Page 1, the corridors (issue 18): for each pair of countries of the career
 * (a country where the worker has periods, and another such country or the
 * worker's nationality), whether a social-security agreement in force on the
 * claim date binds them, and what it changes for this worker:
 *   - the periods it adds: a scheme's pension worked out with the periods of
 *     the other country added (the agreement the result applied), or not
 *     enough even with them;
 *   - a pension paid to the worker in the other country (the agreement's export
 *     clause, where the worker lives there and the pension is paid);
 *   - else, that it changes nothing in what the worker is owed.
 * Where none is in force (none in the rules, not yet, or no longer): what that
 * means, direction by direction: the periods in one country do not count
 * towards the other's pension schemes (those the worker has periods in and that
 * pay a pension), nor towards a pension in the nationality country.
 *
 * Everything comes from the rule data (lp_ruleset_agreement_*) and the result:
 * the code knows no country. "No agreement" is said as what it is, the absence
 * of one in the rules the report uses, not a statement about the world. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc.h"

#define MAX_COUNTRIES 16

static void note(calc_corridor *c, const char *text)
{
    if (c->nnotes < CALC_CORRIDOR_MAX_NOTES)
        snprintf(c->notes[c->nnotes++], sizeof c->notes[0], "%s", text);
}

/* The scheme's title up to its first ": " ("Social Security System
 * (Philippines)"), the part that names it. */
static void short_title(char *buf, size_t cap, const calc_catalogue *cat, const char *scheme)
{
    const char *t = calc_scheme_title(cat, scheme), *colon = strstr(t, ": ");
    size_t n = colon ? (size_t)(colon - t) : strlen(t);
    snprintf(buf, cap, "%.*s", (int)(n < cap ? n : cap - 1), t);
}

/* The i-th scheme the result names (entitlements, then lump sums). */
static const char *scheme_at(const lp_result *r, size_t i)
{
    size_t ne = lp_result_entitlement_count(r);
    return i < ne ? lp_entitlement_scheme(lp_result_entitlement_at(r, i))
                  : lp_lump_sum_scheme(lp_result_lump_sum_at(r, i - ne));
}

static size_t scheme_total(const lp_result *r)
{
    return lp_result_entitlement_count(r) + lp_result_lump_sum_count(r);
}

/* Does the worker have periods in a scheme of this country (the result names one)? */
static int worked_in(const lp_result *r, const calc_catalogue *cat, const char *country)
{
    size_t i;
    for (i = 0; i < scheme_total(r); i++)
        if (!strcmp(calc_scheme_country(cat, scheme_at(r, i)), country))
            return 1;
    return 0;
}

/* A scheme with a pension for this claim, payable or not: an entitlement other
 * than "no pension for this claim" (not covered, with no amount of its own). */
static int pension_scheme(const lp_entitlement *e)
{
    return e && !(strcmp(lp_entitlement_status(e), "not-covered") == 0
                  && !lp_entitlement_amount_text(e, LP_AMOUNT_INDEPENDENT));
}

static int payable(const lp_entitlement *e)
{
    return e && strcmp(lp_entitlement_status(e), "payable") == 0;
}

/* Does agreement i add to scheme the periods of a scheme of `from` the worker has? */
static int adds_worked_periods(const lp_ruleset *rs, size_t i, const lp_result *r,
                               const calc_catalogue *cat, const char *scheme, const char *from)
{
    size_t k;
    int yes = 0;
    for (k = 0; k < scheme_total(r) && !yes; k++) {
        const char *p = scheme_at(r, k);
        if (!strcmp(calc_scheme_country(cat, p), from)
            && lp_ruleset_agreement_totalises(&yes, rs, i, scheme, p) != LP_OK)
            yes = 0;
    }
    return yes;
}

/* "Your periods in F are added to your N months under S: M months in all, ..."
 * for a pension the agreement's route pays: how the added periods served
 * depends on whether the scheme's own periods qualified and on the method. */
static void added_note(char *buf, size_t cap, const calc_catalogue *cat, const lp_entitlement *e,
                       const char *title, const char *from)
{
    char own[96], total[96];
    const char *country = calc_country_in_text(cat, from);
    calc_periods_words(own, sizeof own, lp_entitlement_own_periods(e), lp_entitlement_unit(e));
    calc_periods_words(total, sizeof total, lp_entitlement_totalised_periods(e), lp_entitlement_unit(e));
    if (!lp_entitlement_eligible_alone(e))
        /* TRANSLATORS: %1$s a country; %2$s a period count with its unit ("60
           months"); %3$s a scheme's name; %4$s the periods counted together. */
        snprintf(buf, cap, _("Your periods in %1$s are added to your %2$s under %3$s: %4$s in all, "
                             "and with them you qualify for its pension."), country, own, title, total);
    else if (!strcmp(lp_entitlement_method(e), "pro-rata"))
        /* TRANSLATORS: as in "Your periods in %1$s are added to ...". */
        snprintf(buf, cap, _("Your periods in %1$s are added to your %2$s under %3$s: %4$s in all, "
                             "and its pension is worked out with them."), country, own, title, total);
    else
        /* TRANSLATORS: as in "Your periods in %1$s are added to ...". */
        snprintf(buf, cap, _("Your periods in %1$s are added to your %2$s under %3$s: %4$s in all, "
                             "which count for its conditions; the amount is worked out on your own "
                             "periods."), country, own, title, total);
}

/* "Even with your periods in F added, ..." for a pension not payable although
 * the agreement adds periods the worker has. */
static void not_enough_note(char *buf, size_t cap, const calc_catalogue *cat, const lp_entitlement *e,
                            const char *title, const char *from)
{
    char own[96];
    if (!strcmp(lp_entitlement_status(e), "below-minimum")) {
        calc_periods_words(own, sizeof own, lp_entitlement_own_periods(e), lp_entitlement_unit(e));
        /* TRANSLATORS: %1$s a period count with its unit; %2$s a scheme's
           name; %3$s a country. */
        snprintf(buf, cap, _("Your %1$s under %2$s are fewer than the agreement requires before it adds "
                             "your periods in %3$s."), own, title, calc_country_in_text(cat, from));
    } else {
        /* TRANSLATORS: %1$s a country; %2$s a scheme's name. */
        snprintf(buf, cap, _("Even with your periods in %1$s added, you do not qualify for a pension "
                             "from %2$s."), calc_country_in_text(cat, from), title);
    }
}

/* Append "; title" (or "title" first) to a list of names. */
static void list_add(char *list, size_t cap, const char *title)
{
    size_t n = strlen(list);
    snprintf(list + n, cap - n, "%s%s", n ? "; " : "", title);
}

/* What agreement i, in force, changes for the schemes of country `to` with the
 * periods of `from`: a note per scheme it adds periods to (or could not help),
 * then one for the pensions it pays to the worker living in `from`.
 * Returns the number of notes added. */
static int changes_for(calc_corridor *c, const lp_ruleset *rs, size_t i, const calc_catalogue *cat,
                       const calc_person *who, const lp_result *r, const char *to, const char *from)
{
    const char *id = lp_ruleset_agreement_id(rs, i);
    size_t k, nexported = 0;
    int n = 0;
    char title[256], exported[512] = "", buf[768];
    for (k = 0; k < lp_result_entitlement_count(r); k++) {
        const lp_entitlement *e = lp_result_entitlement_at(r, k);
        const char *s = lp_entitlement_scheme(e), *ag = lp_entitlement_agreement(e);
        const char *st = lp_entitlement_status(e);
        int exports = 0;
        if (strcmp(calc_scheme_country(cat, s), to) != 0)
            continue;
        short_title(title, sizeof title, cat, s);
        buf[0] = '\0';
        if (payable(e) && ag && !strcmp(ag, id))
            added_note(buf, sizeof buf, cat, e, title, from);
        else if ((!strcmp(st, "not-eligible") || !strcmp(st, "below-minimum"))
                 && adds_worked_periods(rs, i, r, cat, s, from))
            not_enough_note(buf, sizeof buf, cat, e, title, from);
        if (buf[0]) {
            note(c, buf);
            n++;
        }
        if (payable(e) && lp_entitlement_export_allowed(e) && !strcmp(who->residence, from)
            && lp_ruleset_agreement_exports(&exports, rs, i, s) == LP_OK && exports) {
            list_add(exported, sizeof exported, title);
            nexported++;
        }
    }
    if (nexported == 1)
        /* TRANSLATORS: %1$s a scheme's name; %2$s the country where the worker lives. */
        snprintf(buf, sizeof buf, _("Under it, your pension from %1$s is paid to you while you live in %2$s."),
                 exported, calc_country_in_text(cat, who->residence));
    else if (nexported > 1)
        /* TRANSLATORS: %1$s the country where the worker lives; %2$s schemes'
           names, separated by semicolons. */
        snprintf(buf, sizeof buf, _("Under it, these pensions are paid to you while you live in %1$s: %2$s."),
                 calc_country_in_text(cat, who->residence), exported);
    if (nexported) {
        note(c, buf);
        n++;
    }
    return n;
}

/* What the absence of an agreement in force means for the periods in `from`:
 * they do not count towards the pension schemes of `to` the worker has, nor
 * (where the worker has none there) towards a pension in `to`. Returns the
 * number of notes added. */
static int absence_for(calc_corridor *c, const calc_catalogue *cat, const lp_result *r,
                       const char *to, const char *from)
{
    size_t k;
    int n = 0;
    char title[256], buf[768];
    if (!worked_in(r, cat, from))
        return 0;                 /* no periods there to count */
    if (!worked_in(r, cat, to)) {
        /* TRANSLATORS: %1$s the country where the worker worked; %2$s another
           country (the worker's own). */
        snprintf(buf, sizeof buf, _("Your periods in %1$s will not count towards a pension in %2$s."),
                 calc_country_in_text(cat, from), calc_country_in_text(cat, to));
        note(c, buf);
        return 1;
    }
    for (k = 0; k < lp_result_entitlement_count(r); k++) {
        const lp_entitlement *e = lp_result_entitlement_at(r, k);
        if (strcmp(calc_scheme_country(cat, lp_entitlement_scheme(e)), to) || !pension_scheme(e))
            continue;
        short_title(title, sizeof title, cat, lp_entitlement_scheme(e));
        /* TRANSLATORS: %1$s a country; %2$s a scheme's name. */
        snprintf(buf, sizeof buf, _("Your periods in %1$s do not count towards a pension from %2$s."),
                 calc_country_in_text(cat, from), title);
        note(c, buf);
        n++;
    }
    return n;
}

/* The agreement binding a and b that is in force on the claim date (the first
 * in the rule set's order, if several are), else one binding them that is not
 * (the latest to enter into force), else none: its index in *out, and 2 (in
 * force), 1 (not in force) or 0 (none). */
static int find_agreement(size_t *out, const lp_ruleset *rs, const char *a, const char *b, lp_date claim)
{
    size_t i;
    int found = 0;
    lp_date best = { 0, 0, 0 };
    for (i = 0; i < lp_ruleset_agreement_count(rs); i++) {
        int binds = 0, on = 0;
        lp_date from;
        if (lp_ruleset_agreement_binds(&binds, rs, i, a, b) != LP_OK || !binds
            || lp_ruleset_agreement_in_force(&on, rs, i, claim) != LP_OK
            || lp_ruleset_agreement_dates(&from, NULL, NULL, rs, i) != LP_OK)
            continue;
        if (on) {
            *out = i;
            return 2;
        }
        if (!found || lp_date_compare(from, best) > 0) {
            *out = i;
            best = from;
            found = 1;
        }
    }
    return found;
}

/* The headline of an agreement not in force on the claim date: not yet, or no longer. */
static void not_in_force_headline(calc_corridor *c, const lp_ruleset *rs, size_t i,
                                  const calc_catalogue *cat, lp_date claim)
{
    lp_date from, to;
    char iso[16], d[64];
    lp_ruleset_agreement_dates(&from, &to, NULL, rs, i);
    if (lp_date_compare(claim, from) < 0) {
        snprintf(iso, sizeof iso, "%04d-%02d-%02d", from.year, from.month, from.day);
        calc_date_words(d, sizeof d, iso);
        /* TRANSLATORS: %1$s and %2$s countries; %3$s a date. */
        snprintf(c->headline, sizeof c->headline, _("The social-security agreement between %1$s and %2$s "
                                                    "comes into force on %3$s, after this claim."),
                 calc_country_in_text(cat, c->a), calc_country_in_text(cat, c->b), d);
    } else {
        snprintf(iso, sizeof iso, "%04d-%02d-%02d", to.year, to.month, to.day);
        calc_date_words(d, sizeof d, iso);
        /* TRANSLATORS: %1$s and %2$s countries; %3$s a date. */
        snprintf(c->headline, sizeof c->headline, _("The social-security agreement between %1$s and %2$s "
                                                    "ended on %3$s, before this claim."),
                 calc_country_in_text(cat, c->a), calc_country_in_text(cat, c->b), d);
    }
}

/* The corridor between a and b: the headline and its notes. */
static void corridor(calc_corridor *c, const lp_ruleset *rs, const calc_catalogue *cat,
                     const calc_person *who, const lp_result *r, lp_date claim)
{
    size_t i = 0;
    int found = find_agreement(&i, rs, c->a, c->b, claim);
    char iso[16], d[64];
    lp_date from;
    if (found == 2) {
        lp_ruleset_agreement_dates(&from, NULL, NULL, rs, i);
        snprintf(iso, sizeof iso, "%04d-%02d-%02d", from.year, from.month, from.day);
        calc_date_words(d, sizeof d, iso);
        /* TRANSLATORS: %1$s and %2$s countries; %3$s the date it came into force. */
        snprintf(c->headline, sizeof c->headline, _("A social-security agreement between %1$s and %2$s "
                                                    "has been in force since %3$s."),
                 calc_country_in_text(cat, c->a), calc_country_in_text(cat, c->b), d);
        if (changes_for(c, rs, i, cat, who, r, c->a, c->b) + changes_for(c, rs, i, cat, who, r, c->b, c->a) == 0)
            note(c, _("It changes nothing in what you are owed for this career."));
        return;
    }
    if (found == 1)
        not_in_force_headline(c, rs, i, cat, claim);
    else
        /* TRANSLATORS: %1$s and %2$s countries. Said of the rules the report
           uses: an agreement they do not hold may exist. */
        snprintf(c->headline, sizeof c->headline, _("There is no social-security agreement between %1$s "
                                                    "and %2$s in the rules this report uses."),
                 calc_country_in_text(cat, c->a), calc_country_in_text(cat, c->b));
    if (absence_for(c, cat, r, c->a, c->b) + absence_for(c, cat, r, c->b, c->a) == 0)
        note(c, _("Each country counts only the periods worked there."));
}

static int listed(char list[][4], size_t n, const char *code)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (!strcmp(list[i], code))
            return 1;
    return 0;
}

int calc_corridors_build(calc_corridors *out, const lp_ruleset *rs, const calc_catalogue *cat,
                         const calc_person *who, const lp_result *r)
{
    char countries[MAX_COUNTRIES][4];
    size_t i, j, n = 0, worked;
    lp_date claim;
    memset(out, 0, sizeof *out);
    if (lp_date_parse(&claim, lp_result_claim_date(r)) != LP_OK)
        return 0;
    /* the countries where the worker has periods, in the result's order, then the nationality */
    for (i = 0; i < scheme_total(r) && n < MAX_COUNTRIES; i++) {
        const char *cc = calc_scheme_country(cat, scheme_at(r, i));
        if (*cc && !listed(countries, n, cc))
            snprintf(countries[n++], sizeof countries[0], "%s", cc);
    }
    worked = n;
    if (who->nationality[0] && who->nationality[0] != '?' && n < MAX_COUNTRIES
        && !listed(countries, n, who->nationality))
        snprintf(countries[n++], sizeof countries[0], "%s", who->nationality);
    for (i = 0; i < worked; i++)
        for (j = i + 1; j < n; j++) {
            calc_corridor *v = realloc(out->v, (out->n + 1) * sizeof *v);
            if (!v) {
                calc_corridors_free(out);
                return -1;
            }
            out->v = v;
            memset(&v[out->n], 0, sizeof v[out->n]);
            memcpy(v[out->n].a, countries[i], sizeof v[out->n].a);
            memcpy(v[out->n].b, countries[j], sizeof v[out->n].b);
            corridor(&v[out->n], rs, cat, who, r, claim);
            out->n++;
        }
    return 0;
}

void calc_corridors_free(calc_corridors *c)
{
    free(c->v);
    memset(c, 0, sizeof *c);
}
