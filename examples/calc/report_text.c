/* The text report: what a caseworker reads to the worker, on 80 columns.
 * Per scheme: what is paid, how much, how often, in which currency, why
 * (status, method, own and totalised periods, the agreement), whether it can
 * be paid where the worker lives, the law behind each figure (from the
 * trace), then the lump sums (conditions, what taking one costs, and how many
 * months of pension it equals), the sources cited, and the receipt. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc.h"

#define WIDTH 79
#define MAX_SOURCES 256

static const char rule_line[] =
    "------------------------------------------------------------------------------\n";

typedef struct sources {
    const char *title[MAX_SOURCES], *url[MAX_SOURCES];
    size_t n;
} sources;

static int str_eq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

/* The number of a source in the list at the end of the report (1-based). */
static size_t source_ref(sources *s, const char *title, const char *url)
{
    size_t i;
    if (!title && !url)
        return 0;
    for (i = 0; i < s->n; i++)
        if (str_eq(s->title[i], title) && str_eq(s->url[i], url))
            return i + 1;
    if (s->n == MAX_SOURCES)
        return 0;
    s->title[s->n] = title;
    s->url[s->n] = url;
    return ++s->n;
}

static void amount_words(char *buf, size_t cap, const char *decimal, const char *currency)
{
    char g[128];
    calc_group_digits(g, sizeof g, decimal ? decimal : "0");
    if (snprintf(buf, cap, "%s %s", g, currency ? currency : "") >= (int)cap)
        buf[cap - 1] = '\0';
}

static const char *unit_words(const char *unit, const char *count)
{
    int one = count && !strcmp(count, "1");
    if (!unit)
        return "";
    if (!strcmp(unit, "month"))
        return one ? "month" : "months";
    if (!strcmp(unit, "quarter"))
        return one ? "quarter" : "quarters";
    if (!strcmp(unit, "year"))
        return one ? "year" : "years";
    if (!strcmp(unit, "week"))
        return one ? "week" : "weeks";
    if (!strcmp(unit, "day"))
        return one ? "day" : "days";
    return unit;
}

/* "label: text" with the text wrapped under itself. */
static void field(FILE *fp, const char *label, const char *text)
{
    fprintf(fp, "  %-13s", label);
    calc_wrap(fp, text, 15, 15, WIDTH);
}

/* Is this trace step about an agreement other than the one applied? */
static int other_route(const lp_ruleset *rs, const char *rule, const char *chosen)
{
    const char *open = rule ? strrchr(rule, '[') : NULL;
    size_t i, n = lp_ruleset_agreement_count(rs);
    char id[128];
    const char *close;
    if (!open || !(close = strchr(open, ']')) || (size_t)(close - open - 1) >= sizeof id)
        return 0;
    memcpy(id, open + 1, (size_t)(close - open - 1));
    id[close - open - 1] = '\0';
    for (i = 0; i < n; i++)
        if (!strcmp(lp_ruleset_agreement_id(rs, i), id))
            return !chosen || strcmp(chosen, id) != 0;
    return 0;
}

/* Whether inputs i and j of a step are values of one series, parameter or
 * table (the same name up to "(" or "@") under one citation and grade. */
static int same_run(const lp_trace_step *s, size_t i, size_t j)
{
    const char *ni, *nj, *vi, *vj, *ci, *cj, *gi, *gj;
    size_t len;
    if (lp_trace_step_input_at(s, i, &ni, &vi) != LP_OK || lp_trace_step_input_at(s, j, &nj, &vj) != LP_OK
        || lp_trace_step_input_source(s, i, NULL, NULL, &ci, NULL, &gi) != LP_OK
        || lp_trace_step_input_source(s, j, NULL, NULL, &cj, NULL, &gj) != LP_OK || !ci || !cj)
        return 0;
    len = strcspn(ni, "(@");
    return len == strcspn(nj, "(@") && !strncmp(ni, nj, len) && !strcmp(ci, cj)
           && (gi == gj || (gi && gj && !strcmp(gi, gj)));
}

/* The rule-set values a step read (parameters, series years, table rows), each
 * with the date it was read at, the band matched and the citation of the value
 * used: "uses: rate_b = 0.0155 (on 2023-06-01; art58_1 item 2 1.55%, grade A)".
 * Three or more values of one series or table under one citation (the forty
 * years of an earnings record) are one line with the first and the last; the
 * result XML and JSON list each. */
static void print_step_values(FILE *fp, const lp_trace_step *s)
{
    size_t i, j, n = lp_trace_step_input_count(s), count, last;
    unsigned char *shown = calloc(n ? n : 1, 1);   /* out of memory: each on its own line */
    char line[1024];
    for (i = 0; i < n; i++) {
        const char *name, *value, *at, *row, *cite, *grade, *last_name, *last_value;
        if ((shown && shown[i]) || lp_trace_step_input_at(s, i, &name, &value) != LP_OK
            || lp_trace_step_input_source(s, i, &at, &row, &cite, NULL, &grade) != LP_OK || !cite)
            continue;
        for (count = 1, last = i, j = i + 1; shown && j < n; j++)
            if (!shown[j] && same_run(s, i, j)) {
                count++;
                last = j;
            }
        if (count >= 3 && lp_trace_step_input_at(s, last, &last_name, &last_value) == LP_OK) {
            for (j = i; j <= last; j++)
                if (j == i || (!shown[j] && same_run(s, i, j)))
                    shown[j] = 1;
            snprintf(line, sizeof line, "%s = %s ... %s = %s (%zu values, each read where it applies; %s%s%s)",
                     name, value, last_name, last_value, count, cite, grade ? ", grade " : "", grade ? grade : "");
        } else {
            snprintf(line, sizeof line, "%s = %s (%s%s%s%s; %s%s%s)", name, value, at ? "on " : "", at ? at : "",
                     row ? ", row " : "", row ? row : "", cite, grade ? ", grade " : "", grade ? grade : "");
        }
        fputs("      uses: ", fp);
        calc_wrap(fp, line, 12, 12, WIDTH);
    }
    free(shown);
}

static void print_step(FILE *fp, sources *src, const char *scheme, const lp_trace_step *s)
{
    const char *rule = lp_trace_step_rule(s), *cite = lp_trace_step_cite(s);
    char head[1024], law[1024];
    size_t len = strlen(scheme), ref;
    if (rule && !strncmp(rule, scheme, len) && rule[len] == '/')
        rule += len + 1;
    snprintf(head, sizeof head, "%s = %s", rule ? rule : "?", lp_trace_step_value(s));
    fputs("    - ", fp);
    calc_wrap(fp, head, 8, 6, WIDTH);
    if (lp_trace_step_formula(s) && *lp_trace_step_formula(s)) {
        fputs("      from: ", fp);
        calc_wrap(fp, lp_trace_step_formula(s), 12, 12, WIDTH);
    }
    ref = source_ref(src, lp_trace_step_source_title(s), lp_trace_step_source_url(s));
    if (cite || ref) {
        if (ref)
            snprintf(law, sizeof law, "%s [%zu]", cite ? cite : "", ref);
        else
            snprintf(law, sizeof law, "%s", cite);
        fputs("      law:  ", fp);
        calc_wrap(fp, law, 12, 12, WIDTH);
    }
    print_step_values(fp, s);
}

/* The value of the first trace step whose rule contains `part`, or NULL. */
static const char *step_value(const lp_entitlement *e, const char *part)
{
    size_t i, n = lp_entitlement_trace_count(e);
    for (i = 0; i < n; i++) {
        const lp_trace_step *s = lp_entitlement_trace_at(e, i);
        if (lp_trace_step_rule(s) && strstr(lp_trace_step_rule(s), part))
            return lp_trace_step_value(s);
    }
    return NULL;
}

static void explain(char *buf, size_t cap, const calc_catalogue *cat, const lp_entitlement *e)
{
    const char *ratio = step_value(e, "/ratio[");
    char share[160];
    const char *status = lp_entitlement_status(e), *method = lp_entitlement_method(e);
    const char *ag = lp_entitlement_agreement(e), *unit = lp_entitlement_unit(e);
    const char *own = lp_entitlement_own_periods(e), *tot = lp_entitlement_totalised_periods(e);
    int alone = lp_entitlement_eligible_alone(e);
    char agreement[512] = "";

    if (ag)
        snprintf(agreement, sizeof agreement, "the %s (%s)", calc_agreement_title(cat, ag), ag);
    if (ratio)
        snprintf(share, sizeof share, "the fraction %s of it", ratio);
    else
        snprintf(share, sizeof share, "%s/%s of it", lp_entitlement_own_periods(e),
                 lp_entitlement_totalised_periods(e));
    if (!strcmp(status, "payable") && !strcmp(method, "independent")) {
        snprintf(buf, cap, "The worker qualifies on this scheme's own periods (%s %s), and the pension "
                 "is computed on them alone; no agreement would pay more.", own, unit_words(unit, own));
    } else if (!strcmp(status, "payable") && !strcmp(method, "pro-rata")) {
        snprintf(buf, cap, "%s Under %s the partner countries' periods are added: %s %s in all. The "
                 "pension is first computed as if all of them had been spent here (the theoretical "
                 "amount), and this scheme pays its share: %s.",
                 alone ? "The worker qualifies on this scheme's own periods, but the agreement pays more."
                       : "This scheme's own periods are not enough to qualify.",
                 agreement, tot, unit_words(unit, tot), share);
    } else if (!strcmp(status, "payable") && !strcmp(method, "direct")) {
        snprintf(buf, cap, "%s Under %s the partner countries' periods are added to reach the qualifying "
                 "period (%s %s in all); the pension itself is computed on this scheme's own %s %s only.",
                 alone ? "The worker qualifies on this scheme's own periods."
                       : "This scheme's own periods are not enough to qualify.",
                 agreement, tot, unit_words(unit, tot), own, unit_words(unit, own));
    } else if (!strcmp(status, "not-eligible")) {
        snprintf(buf, cap, "The worker does not qualify: %s %s here%s%s%s%s.", own, unit_words(unit, own),
                 strcmp(own, tot) ? ", " : "", strcmp(own, tot) ? tot : "",
                 strcmp(own, tot) ? " with the partner countries' periods added" : "",
                 strcmp(own, tot) ? "" : " (no agreement adds periods that help)");
    } else if (!strcmp(status, "below-minimum")) {
        snprintf(buf, cap, "The own periods (%s %s) are below the minimum that %s requires before "
                 "totalisation: this scheme need not pay.", own, unit_words(unit, own),
                 ag ? agreement : "the agreement");
    } else if (!strcmp(status, "not-in-force")) {
        snprintf(buf, cap, "%s was not in force on the claim date, so it cannot be applied.",
                 ag ? agreement : "The agreement");
    } else if (!strcmp(status, "not-covered") && !lp_entitlement_amount_text(e, LP_AMOUNT_INDEPENDENT)) {
        snprintf(buf, cap, "This scheme has no pension for this claim: what it gives back is in the "
                 "lump sums, refunds and balances below.");
    } else if (!strcmp(status, "not-covered")) {
        snprintf(buf, cap, "No agreement covers this scheme and benefit; only the scheme's own rules apply.");
    } else if (!strcmp(status, "cannot-compute")) {
        snprintf(buf, cap, "The rule set cannot compute this scheme for this career (see below). Every "
                 "other figure of this report stands.");
    } else {
        snprintf(buf, cap, "Status %s, method %s.", status, method);
    }
}

/* "cannot be computed: the rule set has no value of X for D (file, line N)". */
static void cannot_compute_words(char *buf, size_t cap, const lp_entitlement *e)
{
    const char *file = NULL, *gap = NULL, *date = NULL;
    int line = 0;
    if (lp_entitlement_error_detail(e, &file, &line, NULL, &gap, &date) != LP_OK)
        snprintf(buf, cap, "cannot be computed");
    else if (gap)
        snprintf(buf, cap, "cannot be computed: the rule set has no value of '%s' for %s (%s, line %d)",
                 gap, date, file ? file : "?", line);
    else
        snprintf(buf, cap, "cannot be computed: %s", lp_entitlement_error(e));
}

/* "Provisional: uses X as last published (the new value was due from D)". */
static void print_provisional(FILE *fp, size_t n, int (*at)(const void *, size_t, const char **,
                              const char **, const char **), const void *obj)
{
    char buf[2048];
    size_t i;
    if (!n)
        return;
    snprintf(buf, sizeof buf, "PROVISIONAL: this figure uses ");
    for (i = 0; i < n; i++) {
        const char *name = NULL, *since = NULL;
        if (at(obj, i, &name, &since, NULL) != LP_OK)
            continue;
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s'%s' as last published (the new value "
                 "was due from %s)", i ? "; " : "", name, since);
    }
    snprintf(buf + strlen(buf), sizeof buf - strlen(buf), ": it will change when the new value is published.");
    field(fp, "Note", buf);
}

static int ent_held_at(const void *o, size_t i, const char **n, const char **s, const char **c)
{
    return lp_entitlement_provisional_at(o, i, n, s, c);
}

static int lump_held_at(const void *o, size_t i, const char **n, const char **s, const char **c)
{
    return lp_lump_sum_provisional_at(o, i, n, s, c);
}

static void print_entitlement(FILE *fp, const lp_ruleset *rs, const calc_catalogue *cat, sources *src,
                              const calc_person *p, const lp_entitlement *e)
{
    const char *scheme = lp_entitlement_scheme(e), *cur = lp_entitlement_currency(e);
    const char *freq = lp_entitlement_frequency(e), *status = lp_entitlement_status(e);
    const char *ag = lp_entitlement_agreement(e), *unit = lp_entitlement_unit(e);
    static const lp_amount_kind kinds[] = { LP_AMOUNT_INDEPENDENT, LP_AMOUNT_THEORETICAL, LP_AMOUNT_PRO_RATA,
                                            LP_AMOUNT_DIRECT, LP_AMOUNT_PAYABLE };
    char buf[2048], a[128], head[512];
    size_t i, n;

    fputs(rule_line, fp);
    snprintf(head, sizeof head, "%s %s  %s", calc_scheme_country(cat, scheme), scheme,
             calc_scheme_title(cat, scheme));
    calc_wrap(fp, head, 10, 0, WIDTH);
    fputc('\n', fp);
    if (!strcmp(status, "payable")) {
        lp_money *y = NULL;
        amount_words(a, sizeof a, lp_entitlement_amount_text(e, LP_AMOUNT_PAYABLE), cur);
        snprintf(buf, sizeof buf, "%s %s (%s)", a, calc_frequency_words(freq), lp_entitlement_benefit(e));
        if (!strcmp(freq, "monthly")
            && calc_money_yearly(&y, calc_payable_exact(e), cur, freq) == LP_OK) {
            char yy[128];
            calc_format_money(yy, sizeof yy, y);
            snprintf(buf + strlen(buf), sizeof buf - strlen(buf), ", that is %s %s a year", yy, cur);
        }
        lp_money_free(y);
        field(fp, "PAYABLE", buf);
    } else if (!strcmp(status, "cannot-compute")) {
        cannot_compute_words(buf, sizeof buf, e);
        field(fp, "PAYABLE", buf);
    } else {
        snprintf(buf, sizeof buf, "nothing (%s)", status);
        field(fp, "PAYABLE", buf);
    }
    print_provisional(fp, lp_entitlement_provisional_count(e), ent_held_at, e);
    snprintf(buf, sizeof buf, "%s, method %s%s%s", status, lp_entitlement_method(e),
             ag ? ", under agreement " : "", ag ? ag : "");
    field(fp, "Status", buf);
    explain(buf, sizeof buf, cat, e);
    field(fp, "Why", buf);
    snprintf(buf, sizeof buf, "%s %s of this scheme; %s %s with totalisation",
             lp_entitlement_own_periods(e), unit_words(unit, lp_entitlement_own_periods(e)),
             lp_entitlement_totalised_periods(e), unit_words(unit, lp_entitlement_totalised_periods(e)));
    field(fp, "Periods", buf);
    buf[0] = '\0';
    for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        const char *v = lp_entitlement_amount_text(e, kinds[i]), *x = lp_entitlement_amount_exact_text(e, kinds[i]);
        if (!v)
            continue;
        if (x && !strcmp(x, v))
            x = NULL;
        calc_group_digits(a, sizeof a, v);
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s %s%s%s%s", buf[0] ? "; " : "",
                 lp_amount_kind_name(kinds[i]), a, x ? " (exactly " : "", x ? x : "", x ? ")" : "");
    }
    if (buf[0])
        field(fp, "Amounts", buf);
    if (!strcmp(status, "payable")) {
        if (lp_entitlement_export_allowed(e))
            snprintf(buf, sizeof buf, "yes: it can be paid while the worker lives in %s.", p->residence);
        else
            snprintf(buf, sizeof buf, "NO: it cannot be paid while the worker lives in %s.", p->residence);
        field(fp, "Paid abroad", buf);
    }
    n = lp_entitlement_route_count(e);
    buf[0] = '\0';
    for (i = 0; i < n; i++) {
        const char *rag = NULL, *rst = NULL, *rme = NULL, *rpay = NULL;
        if (lp_entitlement_route_at(e, i, &rag, &rst, &rme, &rpay) != LP_OK)
            continue;
        if (rpay)
            calc_group_digits(a, sizeof a, rpay);
        if (!strcmp(rst, "cannot-compute"))
            rst = "cannot be computed";
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s: %s%s%s%s", buf[0] ? "; " : "",
                 rag ? rag : "alone", rst, rpay ? " " : "", rpay ? a : "",
                 (str_eq(rag, ag) && !strcmp(status, "payable")
                  && (rag || !strcmp(lp_entitlement_method(e), "independent"))) ? " (applied)" : "");
    }
    if (buf[0])
        field(fp, "Routes", buf);
    n = lp_entitlement_trace_count(e);
    if (n) {
        fputs("  The law behind each figure:\n", fp);
        for (i = 0; i < n; i++) {
            const lp_trace_step *s = lp_entitlement_trace_at(e, i);
            if (!other_route(rs, lp_trace_step_rule(s), ag))
                print_step(fp, src, scheme, s);
        }
    }
    fputc('\n', fp);
}

/* What changes when a lump sum is taken: each scheme whose payment differs. */
static void lump_sum_costs(FILE *fp, const lp_ruleset *rs, const lp_history *h, const lp_result *r,
                           const lp_lump_sum *l)
{
    calc_scenario sc;
    lp_result *taken = NULL;
    char key[256], line[1024], a[128], b[128];
    size_t i, n, changed = 0;

    memset(&sc, 0, sizeof sc);
    snprintf(key, sizeof key, "%s/%s", lp_lump_sum_scheme(l), lp_lump_sum_option(l));
    sc.lump_sums[0] = key;
    sc.nlump_sums = 1;
    if (calc_run(&taken, rs, h, &sc, 0, NULL) != LP_OK) {
        field(fp, "Costs", "could not be worked out (the calculation with the lump sum taken failed)");
        return;
    }
    n = lp_result_entitlement_count(r);
    for (i = 0; i < n; i++) {
        const lp_entitlement *e = lp_result_entitlement_at(r, i);
        const lp_entitlement *t = lp_result_entitlement_find(taken, lp_entitlement_scheme(e));
        const char *pa = calc_payable_exact(e), *pb = t ? calc_payable_exact(t) : "0";
        lp_money *ma = NULL, *mb = NULL;
        int cmp = 0;
        if (lp_money_from_string(&ma, pa, lp_entitlement_currency(e)) == LP_OK
            && lp_money_from_string(&mb, pb, lp_entitlement_currency(e)) == LP_OK
            && lp_money_compare(&cmp, ma, mb) == LP_OK && cmp != 0) {
            calc_format_money(a, sizeof a, ma);
            calc_format_money(b, sizeof b, mb);
            snprintf(line, sizeof line, "%s pension %s %s %s becomes %s%s%s", lp_entitlement_scheme(e), a,
                     lp_entitlement_currency(e), calc_frequency_words(lp_entitlement_frequency(e)), b,
                     t ? " " : "", t ? (strcmp(lp_entitlement_status(t), "payable") ? "(not payable)" : "") : "");
            field(fp, changed ? "" : "Taking it", line);
            changed++;
        }
        lp_money_free(ma);
        lp_money_free(mb);
    }
    if (!changed)
        field(fp, "Taking it", "changes no pension payable today (but see whether it erases periods).");
    lp_result_free(taken);
}

static void print_lump_sum(FILE *fp, const lp_ruleset *rs, const lp_history *h, const lp_result *r,
                           const lp_lump_sum *l, sources *src)
{
    const char *scheme = lp_lump_sum_scheme(l), *cur = lp_lump_sum_currency(l);
    const lp_entitlement *e = lp_result_entitlement_find(r, scheme);
    char buf[2048], a[128], months[64];
    size_t i, n = lp_lump_sum_condition_count(l);
    int avail = lp_lump_sum_available(l);
    lp_money *zero_test = NULL;

    snprintf(buf, sizeof buf, "%s / %s (%s)", scheme, lp_lump_sum_option(l), lp_lump_sum_kind(l));
    fputs("  * ", fp);
    calc_wrap(fp, buf, 4, 4, WIDTH);
    amount_words(a, sizeof a, lp_lump_sum_value(l), cur);
    if (lp_lump_sum_error(l))
        snprintf(buf, sizeof buf, "cannot be computed for this career: %s", lp_lump_sum_error(l));
    else
        snprintf(buf, sizeof buf, "%s, %s", a, avail ? "AVAILABLE now: every condition is met"
                                                  : "not available now: a condition is not met");
    field(fp, "Amount", buf);
    print_provisional(fp, lp_lump_sum_provisional_count(l), lump_held_at, l);
    for (i = 0; i < n; i++) {
        const char *id = NULL, *cite = NULL;
        int met = 0;
        if (lp_lump_sum_condition_at(l, i, &id, &met, &cite) != LP_OK)
            continue;
        snprintf(buf, sizeof buf, "[%s] %s%s%s%s", met ? "met" : "NOT met", id, cite ? " (law: " : "",
                 cite ? cite : "", cite ? ")" : "");
        field(fp, i ? "" : "Conditions", buf);
    }
    field(fp, "Forfeits", lp_lump_sum_forfeits_periods(l)
                              ? "the periods it pays for are erased: they no longer count for a pension "
                                "here or, through an agreement, in another country."
                              : "no periods (it does not erase any right).");
    if (lp_money_from_string(&zero_test, lp_lump_sum_value(l) ? lp_lump_sum_value(l) : "0", cur) == LP_OK
        && lp_money_is_zero(zero_test)) {
        /* nothing to compare */
    } else if (calc_lump_sum_months(months, sizeof months, l, e) == 0) {
        char pay[128];
        calc_group_digits(pay, sizeof pay, lp_entitlement_amount_text(e, LP_AMOUNT_PAYABLE));
        snprintf(buf, sizeof buf, "the lump sum equals %s months of the %s pension (%s %s %s): "
                 "after that many months the pension has paid more.",
                 months, scheme, pay, cur, calc_frequency_words(lp_entitlement_frequency(e)));
        field(fp, "Compared", buf);
    } else if (e && strcmp(lp_entitlement_status(e), "payable") != 0) {
        snprintf(buf, sizeof buf, "no %s pension is payable (%s): the lump sum is all this scheme pays.",
                 scheme, lp_entitlement_status(e));
        field(fp, "Compared", buf);
    } else if (!e) {
        field(fp, "Compared", "this scheme pays no pension: the lump sum is what it gives back.");
    }
    if (avail)
        lump_sum_costs(fp, rs, h, r, l);
    lp_money_free(zero_test);
    n = lp_lump_sum_trace_count(l);
    for (i = 0; i < n; i++) {
        const lp_trace_step *s = lp_lump_sum_trace_at(l, i);
        if (i == 0)
            fputs("  The law behind the amount:\n", fp);
        print_step(fp, src, scheme, s);
    }
    fputc('\n', fp);
}

/* A heading: its text, then a line under it. */
static void heading(FILE *fp, const char *text)
{
    int i, w = calc_text_width(text);
    fprintf(fp, "%s\n", text);
    for (i = 0; i < w && i < WIDTH; i++)
        fputc('=', fp);
    fputs("\n\n", fp);
}

/* Page 1, the corridors (corridors.c): for each pair of countries of the
 * career, the agreement in force between them and what it changes, or what its
 * absence means. */
static void print_corridors(FILE *fp, const lp_ruleset *rs, const calc_catalogue *cat,
                            const calc_person *p, const lp_result *r)
{
    calc_corridors cs;
    size_t i, k;
    if (calc_corridors_build(&cs, rs, cat, p, r) != 0 || cs.n == 0)
        return;
    calc_wrap(fp, _("Agreements between the countries of your career"), 0, 0, WIDTH);
    for (i = 0; i < cs.n; i++) {
        fputs("  * ", fp);
        calc_wrap(fp, cs.v[i].headline, 4, 4, WIDTH);
        for (k = 0; k < cs.v[i].nnotes; k++) {
            fputs("    ", fp);
            calc_wrap(fp, cs.v[i].notes[k], 4, 4, WIDTH);
        }
    }
    fputc('\n', fp);
    calc_corridors_free(&cs);
}

/* Page 1 (page1.c): per country, per scheme, what the worker gets, how much,
 * from when, and what it costs; then the case. */
static void print_page1(FILE *fp, const lp_ruleset *rs, const calc_catalogue *cat,
                        const calc_person *p, const lp_result *r)
{
    calc_page1 pg;
    size_t i, k;
    char buf[2048], d[64], b[64];
    const char *last_country = NULL, *last_scheme = NULL;

    heading(fp, _("What you are owed by each country"));
    calc_date_words(d, sizeof d, lp_result_claim_date(r));
    calc_date_words(b, sizeof b, p->birth_date);
    /* TRANSLATORS: %1$s the worker's date of birth, %2$s and %3$s country names,
       %4$s the date of the claim. */
    snprintf(buf, sizeof buf, _("Worker born %1$s. Nationality: %2$s. Living in: %3$s. Worked out for a "
                                "claim on %4$s."),
             b, calc_country_name(cat, p->nationality), calc_country_name(cat, p->residence), d);
    calc_wrap(fp, buf, 0, 0, WIDTH);
    fputc('\n', fp);
    if (calc_page1_build(&pg, rs, cat, p, r) != 0)
        return;
    if (!pg.n) {
        calc_wrap(fp, _("Nothing is payable: the career has no periods in a scheme of these countries."),
                  0, 0, WIDTH);
        fputc('\n', fp);
    }
    for (i = 0; i < pg.n; i++) {
        const calc_line *l = &pg.v[i];
        if (!last_country || strcmp(last_country, l->country)) {
            fprintf(fp, "%s%s\n", last_country ? "\n" : "", l->country);
            last_scheme = NULL;
        }
        if (!last_scheme || strcmp(last_scheme, l->scheme)) {
            fputs("  ", fp);
            calc_wrap(fp, l->title, 2, 2, WIDTH);
        }
        last_country = l->country;
        last_scheme = l->scheme;
        if (l->kind == CALC_LINE_NOTHING)
            snprintf(buf, sizeof buf, "%s", l->what);
        else
            snprintf(buf, sizeof buf, "%s: %s, %s.", l->what, l->amount, l->when);
        fputs("  * ", fp);
        calc_wrap(fp, buf, 4, 4, WIDTH);
        for (k = 0; k < l->nnotes; k++) {
            fputs("    ", fp);
            calc_wrap(fp, l->notes[k], 4, 4, WIDTH);
        }
    }
    fputc('\n', fp);
    if (pg.alternatives) {
        calc_wrap(fp, _("A pension and a one-time payment of the same country are alternatives: "
                        "read what each one costs before choosing."), 0, 0, WIDTH);
        fputc('\n', fp);
    }
    calc_page1_free(&pg);
    print_corridors(fp, rs, cat, p, r);
}

/* A claim item: its text wrapped, then its link on a line of its own, whole
 * (a link broken over two lines cannot be typed in or clicked). */
static void claim_item(FILE *fp, const char *label, const char *prefix, const lp_claim_item *it)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s%s", prefix, it->text);
    fputs("  ", fp);
    calc_pad(fp, label, 13);
    calc_wrap(fp, buf, 15 + (int)strlen(prefix), 15, WIDTH);
    if (it->url)
        fprintf(fp, "%15s%s\n", "", it->url);
}

/* A field of a claim: one item beside its label; several (two offices, three
 * documents to bring) as a list under it, "- " before each. */
static void claim_field(FILE *fp, const char *label, const calc_claim_items *items, int list)
{
    size_t k;
    list = list || items->n > 1;
    for (k = 0; k < items->n; k++)
        claim_item(fp, k ? "" : label, list ? "- " : "", items->v[k]);
}

/* Where and when to claim each thing the worker gets or can take (claims.c). */
static void print_claims(FILE *fp, const lp_ruleset *rs, const calc_catalogue *cat,
                         const lp_result *r)
{
    calc_claims cs;
    size_t i;
    char buf[1024];
    if (calc_claims_build(&cs, rs, r, calc_lang()) != 0 || cs.n == 0)
        return;
    heading(fp, _("Where and when to claim"));
    for (i = 0; i < cs.n; i++) {
        const calc_claim *c = &cs.v[i];
        if (i)
            fputc('\n', fp);
        snprintf(buf, sizeof buf, "%s: %s", calc_country_name(cat, calc_scheme_country(cat, c->scheme)),
                 calc_scheme_title(cat, c->scheme));
        fputs("  ", fp);
        calc_wrap(fp, buf, 2, 2, WIDTH);
        claim_field(fp, _("Where"), &c->office, 0);
        claim_field(fp, _("Form"), &c->form, 0);
        claim_field(fp, _("Online"), &c->link, 0);
        claim_field(fp, _("By when"), &c->deadline, 0);
        claim_field(fp, _("Bring"), &c->bring, 1);
    }
    fputc('\n', fp);
    calc_claims_free(&cs);
}

int calc_report_text(FILE *fp, const lp_ruleset *rs, const calc_catalogue *cat,
                     const char *history_path, const lp_history *h, const lp_result *r)
{
    calc_person p;
    sources *src = calloc(1, sizeof *src);
    size_t i, n = lp_result_entitlement_count(r), nl = lp_result_lump_sum_count(r);
    char buf[1024];

    if (!src)
        return CALC_EXIT_INPUT;
    if (calc_person_read(&p, history_path) != 0) {
        memset(&p, 0, sizeof p);
        snprintf(p.residence, sizeof p.residence, "?");
    }
    print_page1(fp, rs, cat, &p, r);
    print_claims(fp, rs, cat, r);

    fputs(rule_line, fp);
    heading(fp, _("How each figure was computed"));
    fputs("  The detail behind page 1: each scheme's status, method, periods and exact\n"
          "  amounts, the law behind each figure, and the sources.\n\n", fp);
    snprintf(buf, sizeof buf, "%s, claim for an %s pension from %s", lp_result_history_id(r), p.benefit,
             lp_result_claim_date(r));
    field(fp, "Case", buf);
    snprintf(buf, sizeof buf, "born %s, national of %s, living in %s", p.birth_date, p.nationality,
             p.residence);
    field(fp, "Worker", buf);
    fputc('\n', fp);
    if (lp_result_note_count(r)) {
        heading(fp, _("Notes on the career as given"));
        for (i = 0; i < lp_result_note_count(r); i++) {
            const char *scheme = NULL, *msg = NULL;
            int line = 0;
            if (lp_result_note_at(r, i, &scheme, &line, &msg) != LP_OK)
                continue;
            if (line)
                snprintf(buf, sizeof buf, "%s (history line %d): %s", scheme ? scheme : "", line, msg);
            else
                snprintf(buf, sizeof buf, "%s: %s", scheme ? scheme : "", msg);
            fputs("  - ", fp);
            calc_wrap(fp, buf, 4, 4, WIDTH);
        }
        fputc('\n', fp);
    }
    heading(fp, _("Each scheme in detail"));
    for (i = 0; i < n; i++)
        print_entitlement(fp, rs, cat, src, &p, lp_result_entitlement_at(r, i));

    if (nl) {
        fputs(rule_line, fp);
        heading(fp, _("Lump sums, refunds and balances"));
        for (i = 0; i < nl; i++)
            print_lump_sum(fp, rs, h, r, lp_result_lump_sum_at(r, i), src);
    }
    if (src->n) {
        fputs(rule_line, fp);
        heading(fp, _("Sources of law cited above"));
        for (i = 0; i < src->n; i++) {
            snprintf(buf, sizeof buf, "%s%s%s", src->title[i] ? src->title[i] : "",
                     src->url[i] ? " <" : "", src->url[i] ? src->url[i] : "");
            if (src->url[i])
                strncat(buf, ">", sizeof buf - strlen(buf) - 1);
            fprintf(fp, "  [%zu] ", i + 1);
            calc_wrap(fp, buf, 7, 7, WIDTH);
        }
        fputc('\n', fp);
    }
    fputs(rule_line, fp);
    heading(fp, _("Receipt (to reproduce this result)"));
    field(fp, "Library", lp_result_library_version(r));
    fprintf(fp, "  Rules\n    %s\n", lp_result_rules_digest(r));
    fprintf(fp, "  Input\n    %s\n", lp_result_input_digest(r));
    free(src);
    return CALC_EXIT_OK;
}
