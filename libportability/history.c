/* Worker histories: reading the XML (validated against the built-in history
 * schema, then checked for what a schema cannot say: real calendar dates,
 * periods that end after they start, no negative earnings), and building one
 * through the API. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


#include <portability/history.h>
#include "alloc.h"
#include "annotate.h"
#include "decimal.h"
#include "diagnostics.h"
#include "digest.h"
#include "money_model.h"
#include "history_check.h"
#include "history_model.h"
#include "period.h"
#include "xml.h"

#define LP__HISTORY_MAX_PERIODS 10000000u
#define LP__HISTORY_MAX_FACTS 100000u

_Static_assert(sizeof ((lp__digest_cache *)0)->text == LP__DIGEST_TEXT_SIZE, "digest text size");

static lp_history *history_alloc(void)
{
    lp_history *h = lp__calloc(1, sizeof *h);
    if (h && (!(h->arena = lp__arena_new()) || !(h->digest = lp__arena_alloc(h->arena, sizeof *h->digest)))) {
        lp__arena_free(h->arena);
        lp__free(h);
        return NULL;
    }
    if (h) {
        atomic_init(&h->digest->state, LP__DIGEST_NONE);
        LP__ATOMIC_VARIABLE(&h->digest->state, sizeof h->digest->state);
    }
    return h;
}

/* The history changed: its digest is no longer known. Only a builder calls
 * this, and nothing else may use h meanwhile (history.h), so a relaxed store
 * is enough; the next calculation computes the digest again. */
static void digest_forget(lp_history *h)
{
    atomic_store_explicit(&h->digest->state, LP__DIGEST_NONE, memory_order_relaxed);
}

LP_API void lp_history_free(lp_history *h)
{
    if (!h)
        return;
    lp__free(h->periods);
    lp__free(h->facts);
    lp__free(h->balances);
    lp__arena_free(h->arena);
    lp__free(h);
}

static int valid_country(const char *c)
{
    return c && strlen(c) == 2 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z';
}

/* ---------------------------------------------------------------- building */

/* The months over which a yearly amount is spread: a calendar year's total
 * ("per" year) is the period's earnings in each calendar year it covers, so
 * a period within one year spreads it over the months it touches (a 6-month
 * period stating 30000 per year earned 5000 a month, not 2500), and a period
 * crossing 1 January must cover whole calendar years (12 months each).
 * Returns 0 for a period the rule cannot read. */
static int months_of_year_total(lp__day from, lp__day to)
{
    int fy, fm, fd, ty, tm, td;
    lp__day_to_ymd(from, &fy, &fm, &fd);
    lp__day_to_ymd(to, &ty, &tm, &td);
    if (fy == ty)
        return tm - fm + 1;
    if (fm == 1 && fd == 1 && tm == 12 && td == 31)
        return 12;
    return 0;
}

/* A period's monthly earnings from their text ("per" month or year), as a
 * read-only rational in the history's arena. */
static int monthly_earnings(mpq_srcptr *out, lp__arena *arena, const char *file, int line, int column,
                            const char *earnings, const char *per, const char *currency,
                            lp__day from, lp__day to)
{
    mpq_t q;
    int rc = LP_OK;
    mpq_init(q);
    if (lp__decimal_parse(q, earnings, strlen(earnings)) != LP_OK) {
        rc = lp__error_set_at(lp_error_last()->code, file, line, column, "earnings: %s",
                              lp_error_last()->message);
    } else if (mpq_sgn(q) < 0) {
        rc = lp__error_set_at(LP_EPARSE, file, line, column, "earnings must not be negative (%s %s)",
                              earnings, currency);
    } else if (per && strcmp(per, "year") == 0) {
        int months = months_of_year_total(from, to);
        if (!months) {
            char a[11], b[11];
            lp__day_format(a, from);
            lp__day_format(b, to);
            rc = lp__error_set_at(LP_EPARSE, file, line, column, "earnings per year on a period from %s "
                                  "to %s: the amount is each calendar year's total, so a period that "
                                  "crosses 1 January must run from 1 January to 31 December; split it "
                                  "at the turn of the year", a, b);
        } else {
            mpz_mul_ui(mpq_denref(q), mpq_denref(q), (unsigned long)months);
            mpq_canonicalize(q);
        }
    } else if (per && strcmp(per, "month") != 0) {
        rc = lp__error_set_at(LP_EPARSE, file, line, column, "earnings per '%s': month or year expected", per);
    }
    if (rc == LP_OK && !(*out = lp__arena_mpq_frozen(arena, q)))
        rc = LP_ENOMEM;
    mpq_clear(q);
    return rc;
}

static int add_period(lp_history *h, const char *file, int line, int column, const char *scheme,
                      const char *from, const char *to, const char *kind, const char *earnings,
                      const char *per, const char *currency, long count)
{
    lp__hperiod *p;
    lp__day f, t;
    int rc;
    unsigned k = kind ? lp__kind_parse(kind, strlen(kind)) : LP__KIND_CONTRIBUTION;

    if (!scheme || !*scheme || !from || !to)
        return lp__error_set_at(LP_EINVAL, file, line, column, "a period needs a scheme, from and to");
    if (lp__day_parse(&f, from, strlen(from)) != LP_OK || lp__day_parse(&t, to, strlen(to)) != LP_OK)
        return lp__error_set_at(LP_EPARSE, file, line, column, "period: %s", lp_error_last()->message);
    if (t < f)
        return lp__error_set_at(LP_EPARSE, file, line, column,
                                "period of %s ends (%s) before it starts (%s)", scheme, to, from);
    if (!k)
        return lp__error_set_at(LP_EPARSE, file, line, column, "unknown period kind '%s'", kind);
    if (h->nperiods >= LP__HISTORY_MAX_PERIODS)
        return lp__error_set_at(LP_ERANGE, file, line, column, "more than %u periods",
                                LP__HISTORY_MAX_PERIODS);
    if (h->nperiods == h->cap_periods) {
        size_t ncap = h->cap_periods ? h->cap_periods * 2 : 16;
        lp__hperiod *n = lp__realloc(h->periods, ncap * sizeof *n);
        if (!n)
            return LP_ENOMEM;
        h->periods = n;
        h->cap_periods = ncap;
    }
    p = &h->periods[h->nperiods];
    memset(p, 0, sizeof *p);
    p->scheme = lp__arena_strdup(h->arena, scheme);
    p->from = f;
    p->to = t;
    p->from_month = lp__month_index(f);
    p->to_month = lp__month_index(t);
    p->kind = k;
    p->count = count;
    p->line = line;
    p->column = column;
    if (!p->scheme)
        return LP_ENOMEM;
    if (earnings) {
        if (!currency || lp__currency_minor_units(currency, strlen(currency)) < 0)
            return lp__error_set_at(LP_ECURRENCY, file, line, column, "earnings: unknown currency '%s'",
                                    currency ? currency : "");
        snprintf(p->currency, sizeof p->currency, "%s", currency);
        if ((rc = monthly_earnings(&p->monthly, h->arena, file, line, column, earnings, per, currency,
                                   f, t)))
            return rc;
    }
    h->nperiods++;
    digest_forget(h);
    return LP_OK;
}

/* A non-negative amount of a wage, as a read-only rational in the arena. */
static int wage_part(mpq_srcptr *out, lp__arena *arena, const char *file, int line, int column,
                     const char *what, const char *text)
{
    mpq_t q;
    int rc = LP_OK;
    mpq_init(q);
    if (lp__decimal_parse(q, text, strlen(text)) != LP_OK)
        rc = lp__error_set_at(lp_error_last()->code, file, line, column, "wage %s: %s", what,
                              lp_error_last()->message);
    else if (mpq_sgn(q) < 0)
        rc = lp__error_set_at(LP_EPARSE, file, line, column, "wage %s must not be negative (%s)", what, text);
    else if (!(*out = lp__arena_mpq_frozen(arena, q)))
        rc = LP_ENOMEM;
    mpq_clear(q);
    return rc;
}

/* The words of ends=: lower-case letters, digits and hyphens, a letter first. */
static int valid_reason(const char *s)
{
    if (!(*s >= 'a' && *s <= 'z'))
        return 0;
    for (s++; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
            return 0;
    return 1;
}

/* An employment: a period of kind employment that carries its employer, how
 * it ended and the last monthly wage (basic, and allowances if any). The
 * wage's errors point at wline:wcolumn (its <wage> element). */
/* The month-by-month earnings an employment may carry, as on a period. */
typedef struct earnings_text {
    const char *amount, *per, *currency;
} earnings_text;

static int add_employment(lp_history *h, const char *file, int line, int column, const char *scheme,
                          const char *employer, const char *from, const char *to, const char *ends,
                          const earnings_text *earn, int wline, int wcolumn, const char *basic,
                          const char *allowances, const char *currency)
{
    lp__employment *e;
    mpq_srcptr b = NULL, a = NULL;
    int rc;
    if (!employer || !*employer)
        return lp__error_set_at(LP_EINVAL, file, line, column, "an employment needs an employer");
    if (ends && !valid_reason(ends))
        return lp__error_set_at(LP_EPARSE, file, line, column, "ends='%s': a word of lower-case letters, "
                                "digits and hyphens expected (resignation, dismissal, contract-end, ...)", ends);
    if (allowances && !basic)
        return lp__error_set_at(LP_EINVAL, file, wline, wcolumn, "a wage with allowances needs its basic part");
    if (basic && (!currency || lp__currency_minor_units(currency, strlen(currency)) < 0))
        return lp__error_set_at(LP_ECURRENCY, file, wline, wcolumn, "wage: unknown currency '%s'",
                                currency ? currency : "");
    /* the wage first: a refused employment leaves no period behind */
    if (basic && ((rc = wage_part(&b, h->arena, file, wline, wcolumn, "basic", basic))
                  || (allowances && (rc = wage_part(&a, h->arena, file, wline, wcolumn, "allowances",
                                                    allowances)))))
        return rc;
    if ((rc = add_period(h, file, line, column, scheme, from, to, "employment", earn ? earn->amount : NULL,
                         earn ? earn->per : NULL, earn ? earn->currency : NULL, -1)))
        return rc;
    if (!(e = lp__arena_alloc(h->arena, sizeof *e))) {
        h->nperiods--;
        return LP_ENOMEM;
    }
    memset(e, 0, sizeof *e);
    e->line = line;
    e->column = column;
    if (!(e->employer = lp__arena_strdup(h->arena, employer)) || (ends && !(e->ends = lp__arena_strdup(h->arena, ends)))) {
        h->nperiods--;
        return LP_ENOMEM;
    }
    e->basic = b;
    e->allowances = a;
    if (basic)
        snprintf(e->currency, sizeof e->currency, "%s", currency);
    h->periods[h->nperiods - 1].employment = e;
    return LP_OK;
}

/* A balance a fund held on a date: a non-negative amount in a known currency. */
static int add_balance(lp_history *h, const char *file, int line, int column, const char *scheme,
                       const char *date, const char *amount, const char *currency)
{
    lp__balance *b;
    mpq_t q;
    lp__day d;
    int rc = LP_OK;
    if (!scheme || !*scheme || !date || !amount)
        return lp__error_set_at(LP_EINVAL, file, line, column, "a balance needs a scheme, a date and an amount");
    if (lp__day_parse(&d, date, strlen(date)) != LP_OK)
        return lp__error_set_at(LP_EPARSE, file, line, column, "balance: %s", lp_error_last()->message);
    if (!currency || lp__currency_minor_units(currency, strlen(currency)) < 0)
        return lp__error_set_at(LP_ECURRENCY, file, line, column, "balance: unknown currency '%s'",
                                currency ? currency : "");
    if (h->nbalances >= LP__HISTORY_MAX_FACTS)
        return lp__error_set_at(LP_ERANGE, file, line, column, "too many balances");
    if (h->nbalances == h->cap_balances) {
        size_t ncap = h->cap_balances ? h->cap_balances * 2 : 4;
        lp__balance *n = lp__realloc(h->balances, ncap * sizeof *n);
        if (!n)
            return LP_ENOMEM;
        h->balances = n;
        h->cap_balances = ncap;
    }
    b = &h->balances[h->nbalances];
    memset(b, 0, sizeof *b);
    mpq_init(q);
    if (lp__decimal_parse(q, amount, strlen(amount)) != LP_OK)
        rc = lp__error_set_at(lp_error_last()->code, file, line, column, "balance: %s", lp_error_last()->message);
    else if (mpq_sgn(q) < 0)
        rc = lp__error_set_at(LP_EPARSE, file, line, column, "a balance must not be negative (%s %s)", amount,
                              currency);
    else if (!(b->amount = lp__arena_mpq_frozen(h->arena, q)) || !(b->scheme = lp__arena_strdup(h->arena, scheme)))
        rc = LP_ENOMEM;
    mpq_clear(q);
    if (rc)
        return rc;
    b->day = d;
    snprintf(b->currency, sizeof b->currency, "%s", currency);
    b->line = line;
    b->column = column;
    h->nbalances++;
    digest_forget(h);
    return LP_OK;
}

static int add_fact(lp_history *h, const char *file, int line, int column, const char *scheme,
                    const char *name, const char *value, const char *currency)
{
    lp__fact *f;
    if (!scheme || !name || !value)
        return lp__error_set_at(LP_EINVAL, file, line, column, "a fact needs a scheme, a name and a value");
    if (currency && lp__currency_minor_units(currency, strlen(currency)) < 0)
        return lp__error_set_at(LP_ECURRENCY, file, line, column, "fact '%s': unknown currency '%s'",
                                name, currency);
    if (h->nfacts >= LP__HISTORY_MAX_FACTS)
        return lp__error_set_at(LP_ERANGE, file, line, column, "too many facts");
    if (h->nfacts == h->cap_facts) {
        size_t ncap = h->cap_facts ? h->cap_facts * 2 : 8;
        lp__fact *n = lp__realloc(h->facts, ncap * sizeof *n);
        if (!n)
            return LP_ENOMEM;
        h->facts = n;
        h->cap_facts = ncap;
    }
    f = &h->facts[h->nfacts];
    memset(f, 0, sizeof *f);
    f->scheme = lp__arena_strdup(h->arena, scheme);
    f->name = lp__arena_strdup(h->arena, name);
    f->value = lp__arena_strdup(h->arena, value);
    f->line = line;
    f->column = column;
    if (currency)
        snprintf(f->currency, sizeof f->currency, "%s", currency);
    if (!f->scheme || !f->name || !f->value)
        return LP_ENOMEM;
    h->nfacts++;
    digest_forget(h);
    return LP_OK;
}

static int set_person(lp_history *h, const char *file, int line, int column, const char *id,
                      const char *birth, const char *nationality, const char *residence,
                      const char *claim, const char *benefit)
{
    if (!id || !birth || !claim || !valid_country(nationality) || !valid_country(residence))
        return lp__error_set_at(LP_EINVAL, file, line, column,
                                "a history needs an id, a birth date, a claim date and two-letter "
                                "nationality and residence codes");
    if (lp__day_parse(&h->birth, birth, strlen(birth)) != LP_OK
        || lp__day_parse(&h->claim, claim, strlen(claim)) != LP_OK)
        return lp__error_set_at(LP_EPARSE, file, line, column, "%s", lp_error_last()->message);
    if (h->claim < h->birth)
        return lp__error_set_at(LP_EPARSE, file, line, column, "the claim date is before the birth date");
    lp__day_format(h->birth_text, h->birth);
    lp__day_format(h->claim_text, h->claim);
    h->id = lp__arena_strdup(h->arena, id);
    h->benefit = lp__arena_strdup(h->arena, benefit ? benefit : "old-age");
    h->file = file ? lp__arena_strdup(h->arena, file) : NULL;
    memcpy(h->nationality, nationality, 3);
    memcpy(h->residence, residence, 3);
    if (!h->id || !h->benefit || (file && !h->file))
        return LP_ENOMEM;
    return LP_OK;
}

LP_API int lp_history_new(lp_history **out, const char *id, const char *birth_date,
                          const char *nationality, const char *residence,
                          const char *claim_date, const char *benefit)
{
    lp_history *h;
    int rc;
    if (!out)
        return lp__error_set(LP_EINVAL, "lp_history_new: out is NULL");
    *out = NULL;
    if (!(h = history_alloc()))
        return LP_ENOMEM;
    rc = set_person(h, NULL, 0, 0, id, birth_date, nationality, residence, claim_date, benefit);
    if (rc) {
        lp_history_free(h);
        return rc;
    }
    *out = h;
    return LP_OK;
}

LP_API int lp_history_add_period(lp_history *h, const char *scheme, const char *from,
                                 const char *to, const char *kind, const char *earnings,
                                 const char *per, const char *currency)
{
    if (!h)
        return lp__error_set(LP_EINVAL, "lp_history_add_period: history is NULL");
    return add_period(h, NULL, 0, 0, scheme, from, to, kind, earnings, per, currency, -1);
}

LP_API int lp_history_add_employment(lp_history *h, const char *scheme, const char *employer,
                                     const char *from, const char *to, const char *ends,
                                     const char *basic_wage, const char *allowances, const char *currency)
{
    if (!h)
        return lp__error_set(LP_EINVAL, "lp_history_add_employment: history is NULL");
    return add_employment(h, NULL, 0, 0, scheme, employer, from, to, ends, NULL, 0, 0, basic_wage, allowances,
                          currency);
}

LP_API int lp_history_add_balance(lp_history *h, const char *scheme, const char *date, const char *amount,
                                  const char *currency)
{
    if (!h)
        return lp__error_set(LP_EINVAL, "lp_history_add_balance: history is NULL");
    return add_balance(h, NULL, 0, 0, scheme, date, amount, currency);
}

LP_API int lp_history_add_fact(lp_history *h, const char *scheme, const char *name,
                               const char *value, const char *currency)
{
    if (!h)
        return lp__error_set(LP_EINVAL, "lp_history_add_fact: history is NULL");
    return add_fact(h, NULL, 0, 0, scheme, name, value, currency);
}

/* An employment copied into c, its wage through its text (exact: num/den). */
static int copy_employment(lp_history *c, const char *file, const lp__hperiod *p, const char *from,
                           const char *to, const char *monthly)
{
    const lp__employment *e = p->employment;
    earnings_text earn = { monthly, "month", p->currency };
    char *basic = e->basic ? lp__rational_format(e->basic) : NULL;
    char *allow = e->allowances ? lp__rational_format(e->allowances) : NULL;
    int rc;
    if ((e->basic && !basic) || (e->allowances && !allow))
        rc = LP_ENOMEM;
    else
        rc = add_employment(c, file, p->line, p->column, p->scheme, e->employer, from, to, e->ends,
                            p->monthly ? &earn : NULL, e->line, e->column, basic, allow,
                            e->basic ? e->currency : NULL);
    lp__free(basic);
    lp__free(allow);
    return rc;
}

LP_API int lp_history_with(lp_history **out, const lp_history *h, const char *residence,
                           const char *nationality)
{
    lp_history *c;
    size_t i;
    int rc = LP_OK;
    char birth[11], claim[11], money[512];
    if (!out)
        return lp__error_set(LP_EINVAL, "lp_history_with: out is NULL");
    *out = NULL;
    if (!h || (residence && !valid_country(residence)) || (nationality && !valid_country(nationality)))
        return lp__error_set(LP_EINVAL, "lp_history_with: bad history or country code");
    lp__day_format(birth, h->birth);
    lp__day_format(claim, h->claim);
    rc = lp_history_new(&c, h->id, birth, nationality ? nationality : h->nationality,
                        residence ? residence : h->residence, claim, h->benefit);
    if (rc)
        return rc;
    if (h->file && !(c->file = lp__arena_strdup(c->arena, h->file)))
        rc = LP_ENOMEM;
    for (i = 0; rc == LP_OK && i < h->nperiods; i++) {
        const lp__hperiod *p = &h->periods[i];
        char from[11], to[11], *earn = NULL;
        lp__day_format(from, p->from);
        lp__day_format(to, p->to);
        if (p->monthly && !(earn = lp__rational_format(p->monthly))) {
            rc = LP_ENOMEM;
            break;
        }
        snprintf(money, sizeof money, "%s", earn ? earn : "");
        lp__free(earn);
        if (p->employment) {
            rc = copy_employment(c, h->file, p, from, to, money);
            continue;
        }
        rc = add_period(c, h->file, p->line, p->column, p->scheme, from, to, lp__kind_name(p->kind),
                        p->monthly ? money : NULL, "month", p->monthly ? p->currency : NULL, p->count);
    }
    for (i = 0; rc == LP_OK && i < h->nbalances; i++) {
        const lp__balance *b = &h->balances[i];
        char date[11], *amount = lp__rational_format(b->amount);
        lp__day_format(date, b->day);
        rc = amount ? add_balance(c, h->file, b->line, b->column, b->scheme, date, amount, b->currency)
                    : LP_ENOMEM;
        lp__free(amount);
    }
    for (i = 0; rc == LP_OK && i < h->nfacts; i++) {
        const lp__fact *f = &h->facts[i];
        rc = add_fact(c, h->file, f->line, f->column, f->scheme, f->name, f->value,
                      f->currency[0] ? f->currency : NULL);
    }
    if (rc) {
        lp_history_free(c);
        return rc;
    }
    *out = c;
    return LP_OK;
}

LP_API const char *lp_history_id(const lp_history *h)
{
    return h ? h->id : NULL;
}

LP_API const char *lp_history_file(const lp_history *h)
{
    return h ? h->file : NULL;
}

LP_API const char *lp_history_birth_date(const lp_history *h)
{
    return h ? h->birth_text : NULL;
}

LP_API const char *lp_history_claim_date(const lp_history *h)
{
    return h ? h->claim_text : NULL;
}

LP_API const char *lp_history_benefit(const lp_history *h)
{
    return h ? h->benefit : NULL;
}

LP_API const char *lp_history_nationality(const lp_history *h)
{
    return h ? h->nationality : NULL;
}

LP_API const char *lp_history_residence(const lp_history *h)
{
    return h ? h->residence : NULL;
}

LP_API size_t lp_history_period_count(const lp_history *h)
{
    return h ? h->nperiods : 0;
}

static lp_date public_date(lp__day d)
{
    lp_date out;
    lp__day_to_ymd(d, &out.year, &out.month, &out.day);
    return out;
}

LP_API int lp_history_period_at(const lp_history *h, size_t i, const char **scheme,
                                lp_date *from, lp_date *to, const char **kind)
{
    const lp__hperiod *p;
    if (!h || i >= h->nperiods)
        return lp__error_set(LP_EINVAL, "lp_history_period_at: no period %zu", i);
    p = &h->periods[i];
    if (scheme) *scheme = p->scheme;
    if (from) *from = public_date(p->from);
    if (to) *to = public_date(p->to);
    if (kind) *kind = lp__kind_name(p->kind);
    return LP_OK;
}

LP_API int lp_history_period_earnings(lp_money **out, const lp_history *h, size_t i)
{
    const lp__hperiod *p;
    if (!out)
        return lp__error_set(LP_EINVAL, "lp_history_period_earnings: out is NULL");
    *out = NULL;
    if (!h || i >= h->nperiods)
        return lp__error_set(LP_EINVAL, "lp_history_period_earnings: no period %zu", i);
    p = &h->periods[i];
    return p->monthly ? lp__money_from_mpq(out, p->monthly, p->currency) : LP_OK;
}

LP_API size_t lp_history_fact_count(const lp_history *h)
{
    return h ? h->nfacts : 0;
}

LP_API int lp_history_fact_at(const lp_history *h, size_t i, const char **scheme,
                              const char **name, const char **value, const char **currency)
{
    const lp__fact *f;
    if (!h || i >= h->nfacts)
        return lp__error_set(LP_EINVAL, "lp_history_fact_at: no fact %zu", i);
    f = &h->facts[i];
    if (scheme) *scheme = f->scheme;
    if (name) *name = f->name;
    if (value) *value = f->value;
    if (currency) *currency = f->currency[0] ? f->currency : NULL;
    return LP_OK;
}

/* ---------------------------------------------------------------- digest */

/* The digest's input goes through a buffer: one sha256_update per kilobyte
 * rather than per field (the calls cost more than the hashing of a short
 * career). The bytes, and so the digest, are the same. */
typedef struct hasher {
    struct sha256_ctx ctx;
    size_t n;
    uint8_t buf[1024];
} hasher;

static void hash_bytes(hasher *h, const void *p, size_t len)
{
    if (len > sizeof h->buf - h->n) {
        sha256_update(&h->ctx, h->n, h->buf);
        h->n = 0;
        if (len > sizeof h->buf) {
            sha256_update(&h->ctx, len, p);
            return;
        }
    }
    memcpy(h->buf + h->n, p, len);
    h->n += len;
}

/* A string with its NUL, copied in one pass (no strlen: the strings are short). */
static void hash_str(hasher *h, const char *s)
{
    do {
        if (h->n == sizeof h->buf) {
            sha256_update(&h->ctx, h->n, h->buf);
            h->n = 0;
        }
        h->buf[h->n++] = (uint8_t)*s;
    } while (*s++);
}

/* A day number as 4 bytes, little-endian: the digest must not depend on the host. */
static void hash_day(hasher *h, lp__day d)
{
    uint8_t b[4];
    uint32_t u = (uint32_t)d;
    b[0] = (uint8_t)u;
    b[1] = (uint8_t)(u >> 8);
    b[2] = (uint8_t)(u >> 16);
    b[3] = (uint8_t)(u >> 24);
    hash_bytes(h, b, sizeof b);
}

/* An integer as mpz_get_str(base 16) writes it, with its NUL. */
static void hash_hex(hasher *h, mpz_srcptr z)
{
    char buf[2 * LP__DECIMAL_MAX_DIGITS + 8];
    if (mpz_fits_ulong_p(z)) {
        unsigned long v = mpz_get_ui(z);
        char *p = buf + sizeof buf - 1;
        *p = '\0';
        do {
            *--p = "0123456789abcdef"[v & 15];
            v >>= 4;
        } while (v);
        hash_bytes(h, p, (size_t)(buf + sizeof buf - p));
        return;
    }
    mpz_get_str(buf, 16, z);
    hash_str(h, buf);
}

/* A rational as sign-and-hex text: a stack buffer, no allocation, for the
 * amounts a history holds (bounded in digits when parsed). */
static void hash_rational(hasher *h, mpq_srcptr q)
{
    if ((!mpz_fits_ulong_p(mpq_numref(q)) || !mpz_fits_ulong_p(mpq_denref(q)))
        && mpz_sizeinbase(mpq_numref(q), 16) + mpz_sizeinbase(mpq_denref(q), 16) + 4
           > 2 * LP__DECIMAL_MAX_DIGITS + 8) {
        char *t = lp__rational_format(q);
        hash_str(h, t ? t : "?");
        lp__free(t);
        return;
    }
    hash_hex(h, mpq_numref(q));
    hash_hex(h, mpq_denref(q));
}

/* The digest of a history built through the API (or read from a batch): its
 * content in a fixed binary form, into out. */
static void content_digest(const lp_history *h, char out[LP__DIGEST_TEXT_SIZE])
{
    hasher x;
    size_t i;
    sha256_init(&x.ctx);
    x.n = 0;
    hash_str(&x, h->id);
    hash_day(&x, h->birth);
    hash_day(&x, h->claim);
    hash_str(&x, h->nationality);
    hash_str(&x, h->residence);
    hash_str(&x, h->benefit);
    for (i = 0; i < h->nperiods; i++) {
        const lp__hperiod *p = &h->periods[i];
        uint8_t kind = (uint8_t)p->kind;
        hash_str(&x, p->scheme);
        hash_day(&x, p->from);
        hash_day(&x, p->to);
        hash_bytes(&x, &kind, 1);
        hash_str(&x, p->currency);
        if (p->monthly)
            hash_rational(&x, p->monthly);
        if (p->count >= 0)         /* (absent from the digest of a history without counts) */
            hash_day(&x, (lp__day)p->count);   /* 4 bytes, little-endian */
        if (p->employment) {       /* (absent from the digest of a history without employments) */
            const lp__employment *e = p->employment;
            hash_str(&x, e->employer);
            hash_str(&x, e->ends ? e->ends : "");
            hash_str(&x, e->currency);
            if (e->basic)
                hash_rational(&x, e->basic);
            if (e->allowances)
                hash_rational(&x, e->allowances);
        }
    }
    for (i = 0; i < h->nfacts; i++) {
        hash_str(&x, h->facts[i].scheme);
        hash_str(&x, h->facts[i].name);
        hash_str(&x, h->facts[i].value);
        hash_str(&x, h->facts[i].currency);
    }
    for (i = 0; i < h->nbalances; i++) {   /* (after the facts: a history without balances keeps its digest) */
        hash_str(&x, h->balances[i].scheme);
        hash_day(&x, h->balances[i].day);
        hash_str(&x, h->balances[i].currency);
        hash_rational(&x, h->balances[i].amount);
    }
    sha256_update(&x.ctx, x.n, x.buf);
    lp__sha256_text(out, &x.ctx);
}

/* A once-flag without a lock: whoever finds the digest unpublished computes
 * it (a pure function of the content, so every thread computes the same
 * text); the first to move the state from NONE to WRITING copies its text in
 * and releases READY; a reader that acquires READY reads the text, complete.
 * No thread waits for another: a thread that loses the race, or arrives while
 * the text is being copied, returns its own copy in buf. */
const char *lp__history_digest(const lp_history *h, char buf[LP__DIGEST_TEXT_SIZE])
{
    lp__digest_cache *d = h->digest;
    unsigned expected = LP__DIGEST_NONE;
    if (atomic_load_explicit(&d->state, memory_order_acquire) == LP__DIGEST_READY) {
        LP__HAPPENS_AFTER(d);
        return d->text;
    }
    content_digest(h, buf);
    if (atomic_compare_exchange_strong_explicit(&d->state, &expected, LP__DIGEST_WRITING,
                                                memory_order_acquire, memory_order_relaxed)) {
        memcpy(d->text, buf, LP__DIGEST_TEXT_SIZE);
        LP__HAPPENS_BEFORE(d);
        atomic_store_explicit(&d->state, LP__DIGEST_READY, memory_order_release);
    }
    return buf;
}

/* ---------------------------------------------------------------- XML */

/* Build a history from a validated <history> element. */
/* An element's text as the schema reads it: a comment inside
 * (<earnings>1<!-- x -->000</earnings>) is left out, where the text used to be
 * read as "" and refused as a malformed number. Borrowed from the tree, or
 * *owned (xmlFree it). */
static const char *text_of(const xmlNode *n, xmlChar **owned)
{
    const char *t = lp__xml_text(n);
    *owned = NULL;
    if (t)
        return t;
    *owned = xmlNodeGetContent(n);
    return *owned ? (const char *)*owned : "";
}

/* count= (the schema allows 1 to 6 digits), or -1. */
static long count_attr(const xmlNode *n)
{
    const char *c = lp__xml_attr(n, "count");
    return c ? strtol(c, NULL, 10) : -1;
}

static int read_period(lp_history *h, const xmlNode *n, const char *file, const char *data, size_t size)
{
    xmlNodePtr e = lp__xml_child(n, "earnings");
    xmlChar *owned = NULL;
    const char *text = e ? text_of(e, &owned) : NULL;
    int rc = add_period(h, file, lp__xml_line(n), lp__xml_column(data, size, n), lp__xml_attr(n, "scheme"),
                        lp__xml_attr(n, "from"), lp__xml_attr(n, "to"), lp__xml_attr(n, "kind"),
                        text, e ? lp__xml_attr(e, "per") : NULL,
                        e ? lp__xml_attr(e, "currency") : NULL, count_attr(n));
    xmlFree(owned);
    return rc;
}

/* <employment scheme employer from to [ends]> with an optional <wage basic [allowances] currency/>. */
static int read_employment(lp_history *h, const xmlNode *n, const char *file, const char *data, size_t size)
{
    xmlNodePtr w = lp__xml_child(n, "wage"), e = lp__xml_child(n, "earnings");
    int line = lp__xml_line(n), column = lp__xml_column(data, size, n), rc;
    xmlChar *owned = NULL;
    earnings_text earn;
    if (e) {
        earn.amount = text_of(e, &owned);
        earn.per = lp__xml_attr(e, "per");
        earn.currency = lp__xml_attr(e, "currency");
    }
    rc = add_employment(h, file, line, column, lp__xml_attr(n, "scheme"), lp__xml_attr(n, "employer"),
                        lp__xml_attr(n, "from"), lp__xml_attr(n, "to"), lp__xml_attr(n, "ends"),
                        e ? &earn : NULL, w ? lp__xml_line(w) : line, w ? lp__xml_column(data, size, w) : column,
                        w ? lp__xml_attr(w, "basic") : NULL, w ? lp__xml_attr(w, "allowances") : NULL,
                        w ? lp__xml_attr(w, "currency") : NULL);
    xmlFree(owned);
    return rc;
}

int lp__history_from_node(lp_history **out, const xmlNode *node, const char *file,
                          const char *data, size_t size)
{
    lp_history *h = history_alloc();
    xmlNodePtr person, claim, n;
    int rc;
    *out = NULL;
    if (!h)
        return LP_ENOMEM;
    person = lp__xml_child(node, "person");
    claim = lp__xml_child(node, "claim");
    rc = set_person(h, file, lp__xml_line(person), lp__xml_column(data, size, person),
                    lp__xml_attr(node, "id"), lp__xml_attr(person, "birth-date"),
                    lp__xml_attr(person, "nationality"), lp__xml_attr(person, "residence"),
                    lp__xml_attr(claim, "date"), lp__xml_attr(claim, "benefit"));
    if (person) {
        h->person_line = lp__xml_line(person);
        h->person_column = lp__xml_column(data, size, person);
    }
    if (claim) {
        h->claim_line = lp__xml_line(claim);
        h->claim_column = lp__xml_column(data, size, claim);
    }
    for (n = node->children; rc == LP_OK && n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)n->name, "period") == 0)
            rc = read_period(h, n, file, data, size);
        else if (strcmp((const char *)n->name, "employment") == 0)
            rc = read_employment(h, n, file, data, size);
        else if (strcmp((const char *)n->name, "balance") == 0) {
            xmlChar *owned = NULL;
            const char *text = text_of(n, &owned);
            rc = add_balance(h, file, lp__xml_line(n), lp__xml_column(data, size, n), lp__xml_attr(n, "scheme"),
                             lp__xml_attr(n, "date"), text, lp__xml_attr(n, "currency"));
            xmlFree(owned);
        }
    }
    for (n = lp__xml_child(node, "fact"); rc == LP_OK && n; n = lp__xml_next(n, "fact")) {
        xmlChar *owned = NULL;
        const char *text = text_of(n, &owned);
        rc = add_fact(h, file, lp__xml_line(n), lp__xml_column(data, size, n), lp__xml_attr(n, "scheme"),
                      lp__xml_attr(n, "name"), text, lp__xml_attr(n, "currency"));
        xmlFree(owned);
    }
    if (rc) {
        lp_history_free(h);
        return rc;
    }
    *out = h;
    return LP_OK;
}

/* Parse, validate and read one document holding a single <history>. */
static int load_bytes(lp_history **out, const char *name, const char *data, size_t size)
{
    lp_diagnostics *d = lp__diags_new();
    xmlDocPtr doc = NULL;
    xmlSchemaPtr schema = NULL;
    xmlNodePtr root;
    int rc;

    if (!d)
        return LP_ENOMEM;
    doc = lp__xml_parse(name, data, size, d);
    if (!doc) {
        rc = lp__diags_restore_error(d);
        goto done;
    }
    root = xmlDocGetRootElement(doc);
    if (!root || strcmp((const char *)root->name, "history") != 0) {
        rc = lp__error_set_at(LP_ESCHEMA, name, root ? lp__xml_line(root) : 1, 1,
                              "a history file has one <history> element (urn:libportability:history:1) "
                              "at its root; for many, use a batch");
        goto done;
    }
    if (!(schema = lp__xml_history_schema())) {
        rc = lp__error_set(LP_ENOMEM, "cannot compile the built-in history schema");
        goto done;
    }
    if (!lp__history_surely_valid(root) && lp__xml_validate_plain(doc, schema, name, data, size, d,
                                                                   "urn:libportability:history:1") != LP_OK) {
        rc = lp__diags_restore_error(d);
        goto done;
    }
    rc = lp__history_from_node(out, root, name, data, size);
    if (rc == LP_OK) {
        /* the input digest of a file is the digest of its bytes */
        struct sha256_ctx ctx;
        sha256_init(&ctx);
        sha256_update(&ctx, size, (const uint8_t *)data);
        lp__sha256_text((*out)->digest->text, &ctx);
        atomic_store_explicit(&(*out)->digest->state, LP__DIGEST_READY, memory_order_release);
    }
done:
    xmlFreeDoc(doc);
    lp_diagnostics_free(d);
    return rc;
}

LP_API int lp_history_load_memory(lp_history **out, const char *name, const char *data, size_t size)
{
    if (!out)
        return lp__error_set(LP_EINVAL, "lp_history_load_memory: out is NULL");
    *out = NULL;
    if (!data && size)
        return lp__error_set(LP_EINVAL, "lp_history_load_memory: data is NULL");
    return load_bytes(out, name ? name : "(memory)", data ? data : "", size);
}

int lp__read_file(char **data, size_t *size, const char *path, size_t limit)
{
    int not_regular;
    struct stat st;
    FILE *fp = lp__fopen_regular(path, &not_regular, &st);
    long n;
    char *buf;
    *data = NULL;
    *size = 0;
    if (!fp && not_regular)
        return lp__error_set_at(LP_EIO, path, 0, 0, "%s", lp__not_regular_words(&st));
    if (!fp)
        return lp__error_set_at(LP_ENOTFOUND, path, 0, 0, "cannot open: %s", strerror(errno));
    if (fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0) {
        fclose(fp);
        return lp__error_set_at(LP_EIO, path, 0, 0, "cannot read (not a regular file?)");
    }
    if ((unsigned long)n > limit) {
        fclose(fp);
        return lp__error_set_at(LP_ERANGE, path, 0, 0, "file too large (%ld bytes; the limit is %zu)", n, limit);
    }
    if (!(buf = lp__malloc((size_t)n + 1))) {
        fclose(fp);
        return LP_ENOMEM;
    }
    *size = fread(buf, 1, (size_t)n, fp);
    buf[*size] = '\0';
    if (ferror(fp)) {
        fclose(fp);
        lp__free(buf);
        return lp__error_set_at(LP_EIO, path, 0, 0, "read error");
    }
    fclose(fp);
    *data = buf;
    return LP_OK;
}

LP_API int lp_history_load_file(lp_history **out, const char *path)
{
    char *data;
    size_t size;
    int rc;
    if (!out)
        return lp__error_set(LP_EINVAL, "lp_history_load_file: out is NULL");
    *out = NULL;
    if (!path)
        return lp__error_set(LP_EINVAL, "lp_history_load_file: path is NULL");
    /* the parser refuses more than LP__XML_MAX_FILE_SIZE anyway: refuse it before
     * reading it all into memory */
    rc = lp__read_file(&data, &size, path, LP__XML_MAX_FILE_SIZE);
    if (rc)
        return rc;
    rc = load_bytes(out, path, data, size);
    lp__free(data);
    return rc;
}
