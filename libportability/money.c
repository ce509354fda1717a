/* Exact money: the public lp_money handle (see portability/money.h). */
#include "config.h"

#include <string.h>

#include <gmp.h>

#include <portability/money.h>
#include "decimal.h"
#include "money_model.h"
#include "alloc.h"
#include "error.h"

/* Decimals of an exchange rate still written as a decimal; beyond, num/den. */
#define RATE_MAX_DECIMALS 64

struct lp_money {
    mpq_t value;
    char currency[4];
    /* Exchange record: rate == NULL when the value was not converted. */
    char *rate;           /* exact rate text, lp__malloc'd */
    char rate_date[11];   /* YYYY-MM-DD */
    char from[4];         /* ISO 4217 code converted from */
};

/* ---- helpers ------------------------------------------------------------ */

static int null_argument(const char *function)
{
    return lp__error_set(LP_EINVAL, "%s: NULL argument", function);
}

/* LP_OK when code is a known ISO 4217 code (NUL-terminated). */
static int check_currency(const char *code)
{
    size_t len = strlen(code);
    if (lp__currency_minor_units(code, len) < 0) {
        int shown = len > 8 ? 8 : (int)len;
        return lp__error_set(LP_ECURRENCY, "unknown ISO 4217 currency \"%.*s%s\"", shown, code,
                             len > 8 ? "..." : "");
    }
    return LP_OK;
}

/* A zero amount in a currency already checked. NULL on LP_ENOMEM. */
static lp_money *money_alloc(const char *currency)
{
    lp_money *m = lp__malloc(sizeof *m);
    if (!m)
        return NULL;
    mpq_init(m->value);
    memcpy(m->currency, currency, 3);
    m->currency[3] = '\0';
    m->rate = NULL;
    m->rate_date[0] = '\0';
    m->from[0] = '\0';
    return m;
}

/* Copy src's exchange record (if any) into dst, which has none. */
static int copy_exchange(lp_money *dst, const lp_money *src)
{
    if (!src->rate)
        return LP_OK;
    dst->rate = lp__strdup(src->rate);
    if (!dst->rate)
        return LP_ENOMEM;
    memcpy(dst->rate_date, src->rate_date, sizeof dst->rate_date);
    memcpy(dst->from, src->from, sizeof dst->from);
    return LP_OK;
}

static int same_exchange(const lp_money *a, const lp_money *b)
{
    if (!a->rate || !b->rate)
        return !a->rate && !b->rate;
    return strcmp(a->rate, b->rate) == 0 && strcmp(a->rate_date, b->rate_date) == 0
           && strcmp(a->from, b->from) == 0;
}

static int parse_text(mpq_t out, const char *text)
{
    return lp__decimal_parse(out, text, strlen(text));
}

/* Decimals written in a literal that parsed: digits after the '.', if any. */
static unsigned written_decimals(const char *text)
{
    const char *point = strchr(text, '.');
    return point ? (unsigned)strlen(point + 1) : 0;
}

/* A new amount like m (currency and exchange record) holding no value yet. */
static int money_like(lp_money **out, const lp_money *m)
{
    lp_money *r = money_alloc(m->currency);
    if (!r)
        return LP_ENOMEM;
    if (copy_exchange(r, m) != LP_OK) {
        lp_money_free(r);
        return LP_ENOMEM;
    }
    *out = r;
    return LP_OK;
}

static int days_in_month(unsigned year, unsigned month)
{
    static const unsigned char days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
        return 29;
    return days[month - 1];
}

/* A proleptic Gregorian date written YYYY-MM-DD, year 0001-9999.
 * (A tiny local check: the dates module owns date arithmetic.) */
static int check_date(const char *s)
{
    static const int digit_at[8] = { 0, 1, 2, 3, 5, 6, 8, 9 };
    unsigned year, month, day;
    size_t i;

    for (i = 0; i < 10 && s[i]; i++)
        ;
    if (i != 10 || s[10] != '\0' || s[4] != '-' || s[7] != '-')
        goto malformed;
    for (i = 0; i < 8; i++)
        if (s[digit_at[i]] < '0' || s[digit_at[i]] > '9')
            goto malformed;
    year = (unsigned)((s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0'));
    month = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
    day = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
    if (year < 1 || month < 1 || month > 12 || day < 1 || (int)day > days_in_month(year, month))
        return lp__error_set(LP_ERANGE, "exchange-rate date %s does not exist", s);
    return LP_OK;
malformed:
    return lp__error_set(LP_EPARSE, "exchange-rate date \"%.20s\" is not YYYY-MM-DD", s);
}

/* ---- construction and output -------------------------------------------- */

LP_API int lp_money_from_string(lp_money **out, const char *amount, const char *currency)
{
    lp_money *m;
    int rc;

    if (!out)
        return null_argument("lp_money_from_string");
    *out = NULL;
    if (!amount || !currency)
        return null_argument("lp_money_from_string");
    if ((rc = check_currency(currency)) != LP_OK)
        return rc;
    if (!(m = money_alloc(currency)))
        return LP_ENOMEM;
    if ((rc = parse_text(m->value, amount)) != LP_OK) {
        lp_money_free(m);
        return rc;
    }
    *out = m;
    return LP_OK;
}

int lp__money_from_mpq(lp_money **out, mpq_srcptr q, const char *currency)
{
    lp_money *m;
    int rc;
    if (!out)
        return null_argument("lp__money_from_mpq");
    *out = NULL;
    if (!q || !currency)
        return null_argument("lp__money_from_mpq");
    if ((rc = check_currency(currency)) != LP_OK)
        return rc;
    if (!(m = money_alloc(currency)))
        return LP_ENOMEM;
    mpq_set(m->value, q);
    *out = m;
    return LP_OK;
}

LP_API void lp_money_free(lp_money *m)
{
    if (!m)
        return;
    mpq_clear(m->value);
    lp__free(m->rate);
    lp__free(m);
}

LP_API const char *lp_money_currency(const lp_money *m)
{
    return m ? m->currency : NULL;
}

LP_API int lp_money_to_rational_string(char **out, const lp_money *m)
{
    if (!out)
        return null_argument("lp_money_to_rational_string");
    *out = NULL;
    if (!m)
        return null_argument("lp_money_to_rational_string");
    *out = lp__rational_format(m->value);
    return *out ? LP_OK : LP_ENOMEM;
}

LP_API int lp_money_to_decimal_string(char **out, const lp_money *m, const char *step,
                                      lp_rounding mode)
{
    mpq_t q;
    int rc;

    if (!out)
        return null_argument("lp_money_to_decimal_string");
    *out = NULL;
    if (!m || !step)
        return null_argument("lp_money_to_decimal_string");
    mpq_init(q);
    rc = parse_text(q, step);
    if (rc == LP_OK)
        rc = lp__decimal_format_min(out, m->value, q, mode, written_decimals(step));
    mpq_clear(q);
    return rc;
}

/* ---- arithmetic --------------------------------------------------------- */

static int add_sub(lp_money **out, const lp_money *a, const lp_money *b, int subtract,
                   const char *function)
{
    lp_money *r;

    if (!out)
        return null_argument(function);
    *out = NULL;
    if (!a || !b)
        return null_argument(function);
    if (strcmp(a->currency, b->currency) != 0)
        return lp__error_set(LP_ECURRENCY, "%s: currency mismatch (%s and %s)", function,
                             a->currency, b->currency);
    if (!(r = money_alloc(a->currency)))
        return LP_ENOMEM;
    if (same_exchange(a, b) && copy_exchange(r, a) != LP_OK) {
        lp_money_free(r);
        return LP_ENOMEM;
    }
    if (subtract)
        mpq_sub(r->value, a->value, b->value);
    else
        mpq_add(r->value, a->value, b->value);
    *out = r;
    return LP_OK;
}

LP_API int lp_money_add(lp_money **out, const lp_money *a, const lp_money *b)
{
    return add_sub(out, a, b, 0, "lp_money_add");
}

LP_API int lp_money_sub(lp_money **out, const lp_money *a, const lp_money *b)
{
    return add_sub(out, a, b, 1, "lp_money_sub");
}

static int mul_div(lp_money **out, const lp_money *m, const char *text, int divide,
                   const char *function)
{
    mpq_t f;
    int rc;

    if (!out)
        return null_argument(function);
    *out = NULL;
    if (!m || !text)
        return null_argument(function);
    mpq_init(f);
    rc = parse_text(f, text);
    if (rc == LP_OK && divide && mpq_sgn(f) == 0)
        rc = lp__error_set(LP_EDIVZERO, "%s: division by zero", function);
    if (rc == LP_OK)
        rc = money_like(out, m);
    if (rc == LP_OK) {
        if (divide)
            mpq_div((*out)->value, m->value, f);
        else
            mpq_mul((*out)->value, m->value, f);
    }
    mpq_clear(f);
    return rc;
}

LP_API int lp_money_mul(lp_money **out, const lp_money *m, const char *factor)
{
    return mul_div(out, m, factor, 0, "lp_money_mul");
}

LP_API int lp_money_div(lp_money **out, const lp_money *m, const char *divisor)
{
    return mul_div(out, m, divisor, 1, "lp_money_div");
}

LP_API int lp_money_neg(lp_money **out, const lp_money *m)
{
    int rc;

    if (!out)
        return null_argument("lp_money_neg");
    *out = NULL;
    if (!m)
        return null_argument("lp_money_neg");
    if ((rc = money_like(out, m)) != LP_OK)
        return rc;
    mpq_neg((*out)->value, m->value);
    return LP_OK;
}

LP_API int lp_money_round(lp_money **out, const lp_money *m, const char *step, lp_rounding mode)
{
    lp_money *r = NULL;
    mpq_t q;
    int rc;

    if (!out)
        return null_argument("lp_money_round");
    *out = NULL;
    if (!m || !step)
        return null_argument("lp_money_round");
    mpq_init(q);
    rc = parse_text(q, step);
    if (rc == LP_OK)
        rc = money_like(&r, m);
    if (rc == LP_OK)
        rc = lp__round(r->value, m->value, q, mode);
    mpq_clear(q);
    if (rc != LP_OK) {
        lp_money_free(r);
        return rc;
    }
    *out = r;
    return LP_OK;
}

/* ---- comparison --------------------------------------------------------- */

LP_API int lp_money_compare(int *out, const lp_money *a, const lp_money *b)
{
    int cmp;

    if (!out || !a || !b)
        return null_argument("lp_money_compare");
    if (strcmp(a->currency, b->currency) != 0)
        return lp__error_set(LP_ECURRENCY, "lp_money_compare: currency mismatch (%s and %s)",
                             a->currency, b->currency);
    cmp = mpq_cmp(a->value, b->value);
    *out = (cmp > 0) - (cmp < 0);
    return LP_OK;
}

LP_API int lp_money_is_zero(const lp_money *m)
{
    if (!m) {
        null_argument("lp_money_is_zero");
        return 0;
    }
    return mpq_sgn(m->value) == 0;
}

LP_API int lp_money_sign(const lp_money *m)
{
    if (!m) {
        null_argument("lp_money_sign");
        return 0;
    }
    return mpq_sgn(m->value);
}

/* ---- rounding names and currencies -------------------------------------- */

LP_API int lp_rounding_from_string(lp_rounding *out, const char *name)
{
    if (!out || !name)
        return null_argument("lp_rounding_from_string");
    return lp__rounding_parse(out, name, strlen(name));
}

LP_API const char *lp_rounding_to_string(lp_rounding mode)
{
    return lp__rounding_name(mode);
}

LP_API int lp_currency_minor_units(int *out, const char *code)
{
    if (out)
        *out = -1;
    if (!out || !code)
        return null_argument("lp_currency_minor_units");
    if (check_currency(code) != LP_OK)
        return LP_ECURRENCY;
    *out = lp__currency_minor_units(code, strlen(code));
    return LP_OK;
}

/* ---- exchange ----------------------------------------------------------- */

LP_API int lp_money_convert(lp_money **out, const lp_money *m, const char *to_currency,
                            const char *rate, const char *rate_date)
{
    lp_money *r = NULL;
    mpq_t q;
    int rc;

    if (!out)
        return null_argument("lp_money_convert");
    *out = NULL;
    if (!m || !to_currency || !rate || !rate_date)
        return null_argument("lp_money_convert");
    if ((rc = check_currency(to_currency)) != LP_OK)
        return rc;
    if (strcmp(to_currency, m->currency) == 0)
        return lp__error_set(LP_EINVAL, "lp_money_convert: the amount is already in %s",
                             to_currency);
    if ((rc = check_date(rate_date)) != LP_OK)
        return rc;
    mpq_init(q);
    rc = parse_text(q, rate);
    if (rc == LP_OK && mpq_sgn(q) <= 0)
        rc = lp__error_set(LP_EINVAL, "lp_money_convert: exchange rate must be positive");
    if (rc == LP_OK && !(r = money_alloc(to_currency)))
        rc = LP_ENOMEM;
    if (rc == LP_OK) {
        /* The rate as exact text: decimal when it has a finite expansion. */
        int exact = lp__decimal_exact(&r->rate, q, RATE_MAX_DECIMALS);
        if (exact == 0)
            r->rate = lp__rational_format(q);
        if (!r->rate)
            rc = LP_ENOMEM;
    }
    if (rc == LP_OK) {
        memcpy(r->rate_date, rate_date, sizeof r->rate_date);
        memcpy(r->from, m->currency, sizeof r->from);
        mpq_mul(r->value, m->value, q);
        *out = r;
    } else {
        lp_money_free(r);
    }
    mpq_clear(q);
    return rc;
}

LP_API const char *lp_money_exchange_rate(const lp_money *m)
{
    return m ? m->rate : NULL;
}

LP_API const char *lp_money_exchange_date(const lp_money *m)
{
    return m && m->rate ? m->rate_date : NULL;
}

LP_API const char *lp_money_exchange_from(const lp_money *m)
{
    return m && m->rate ? m->from : NULL;
}
