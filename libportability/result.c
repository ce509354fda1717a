/* Results: building them during a calculation, and the public read-only
 * accessors of portability/result.h. */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "decimal.h"
#include "error.h"
#include "money_model.h"
#include "rational.h"
#include "result_model.h"

/* A result lives in its own arena, arrays included: building one costs one
 * allocation when it fits the arena's first chunk (nearly always without a
 * trace), and freeing it one free. */
lp_result *lp__result_new(void)
{
    lp__arena *a = lp__arena_new();
    lp_result *r = a ? lp__arena_alloc(a, sizeof *r) : NULL;
    if (!r) {
        lp__arena_free(a);
        return NULL;
    }
    r->arena = a;
    return r;
}

LP_API void lp_result_free(lp_result *r)
{
    if (r)
        lp__arena_free(r->arena);
}

static void *arena_grow(lp__arena *a, void *old, size_t n, size_t *cap, size_t elem);

lp_entitlement *lp__result_add_entitlement(lp_result *r)
{
    lp_entitlement *e;
    lp_entitlement **v = arena_grow(r->arena, r->entitlements, r->nentitlements, &r->cap_entitlements,
                                    sizeof *r->entitlements);
    if (!v)
        return NULL;
    r->entitlements = v;
    e = lp__arena_alloc(r->arena, sizeof *e);
    if (e)
        r->entitlements[r->nentitlements++] = e;
    return e;
}

lp_lump_sum *lp__result_add_lump_sum(lp_result *r)
{
    lp_lump_sum *l;
    lp_lump_sum **v = arena_grow(r->arena, r->lump_sums, r->nlump_sums, &r->cap_lump_sums, sizeof *r->lump_sums);
    if (!v)
        return NULL;
    r->lump_sums = v;
    l = lp__arena_alloc(r->arena, sizeof *l);
    if (l)
        r->lump_sums[r->nlump_sums++] = l;
    return l;
}

/* Arena-side growth for small arrays: copy into a larger block. */
static void *arena_grow(lp__arena *a, void *old, size_t n, size_t *cap, size_t elem)
{
    void *nv;
    size_t ncap;
    if (n < *cap)
        return old;
    ncap = *cap ? *cap * 2 : 4;
    nv = lp__arena_alloc(a, ncap * elem);
    if (!nv)
        return NULL;
    if (old)
        memcpy(nv, old, n * elem);
    *cap = ncap;
    return nv;
}

static const char *arena_take(lp_result *r, char *s)
{
    /* s NULL: formatting it failed (out of memory); remembered so that lp_calc
     * does not return a result with a hole in it */
    const char *copy = s ? lp__arena_strdup(r->arena, s) : NULL;
    if (!s)
        lp__arena_set_failed(r->arena);
    lp__free(s);
    return copy;
}

/* Write the integer n as a decimal with `minor` decimals into the arena
 * ("98450", 2 -> "984.50"; "-5", 2 -> "-0.05"): amounts are shown this way. */
static const char *scaled_text(lp_result *r, mpz_srcptr n, int minor)
{
    size_t digits = mpz_sizeinbase(n, 10) + 2;
    char *buf = lp__arena_alloc(r->arena, digits + (size_t)minor + 4);
    char *d;
    size_t len, ip;
    if (!buf)
        return NULL;
    d = buf + 1;
    mpz_get_str(d, 10, n);
    if (*d == '-') {
        buf[0] = '-';
        memmove(d, d + 1, strlen(d));
    } else {
        buf[0] = '\0';
    }
    len = strlen(d);
    if (minor > 0) {
        /* left-pad to at least minor + 1 digits, then insert the point */
        size_t want = (size_t)minor + 1;
        if (len < want) {
            memmove(d + (want - len), d, len + 1);
            memset(d, '0', want - len);
            len = want;
        }
        ip = len - (size_t)minor;
        memmove(d + ip + 1, d + ip, (size_t)minor + 1);
        d[ip] = '.';
    }
    if (buf[0] == '-' && mpz_sgn(n) == 0)
        buf[0] = '\0';
    if (!buf[0])
        return d;
    /* sign in front of the digits */
    d[-1] = '-';
    return d - 1;
}

#ifdef __SIZEOF_INT128__
/* Amounts of a few digits (nearly all of them) are written from machine
 * integers: the GMP path below allocates for every figure of every result. */
__extension__ typedef __int128 i128;

/* v / 10^k written with exactly k decimals ("-0.05"); buf holds 64 bytes. */
static char *fixed_text(char buf[64], i128 v, int k)
{
    char *p = buf + 63;
    int neg = v < 0, i = 0;
    unsigned __int128 u;
    unsigned long long w;
    *p = '\0';
    u = neg ? -(unsigned __int128)v : (unsigned __int128)v;
    /* 128-bit division is a library call: digits beyond 64 bits first, then 64-bit ones */
    while (u > ULLONG_MAX) {
        if (k > 0 && i == k)
            *--p = '.';
        *--p = (char)('0' + (int)(u % 10));
        u /= 10;
        i++;
    }
    w = (unsigned long long)u;
    do {
        if (k > 0 && i == k)
            *--p = '.';
        *--p = (char)('0' + (int)(w % 10));
        w /= 10;
        i++;
    } while (w > 0 || i <= k);
    if (neg)
        *--p = '-';
    return p;
}

static int small_parts(mpq_srcptr q, long *num, long *den)
{
    if (!mpz_fits_slong_p(mpq_numref(q)) || !mpz_fits_slong_p(mpq_denref(q)))
        return 0;
    *num = mpz_get_si(mpq_numref(q));
    *den = mpz_get_si(mpq_denref(q));
    return 1;
}

/* "num/den" of small parts, in the arena (mpq_get_str's form). */
static const char *small_rational(lp_result *r, long num, long den)
{
    char a[64], b[64], out[130];
    size_t n = 0;
    const char *t = fixed_text(a, num, 0);
    n = strlen(t);
    memcpy(out, t, n);
    if (den != 1) {
        const char *u = fixed_text(b, den, 0);
        out[n++] = '/';
        memcpy(out + n, u, strlen(u));
        n += strlen(u);
    }
    return lp__arena_strndup(r->arena, out, n);
}

/* 1: done; 0: not small, use GMP; LP_ENOMEM (negative): out of memory. */
static int small_amount(lp_result *r, const char **value, const char **exact, mpq_srcptr q, int minor)
{
    long num, den;
    i128 n, v, rem, pow = 1;
    char buf[64];
    int i;
    if (minor > 18 || !small_parts(q, &num, &den))
        return 0;
    for (i = 0; i < minor; i++)
        pow *= 10;
    n = (i128)num * pow;            /* |n| < 2^63 x 10^18 < 2^127 */
    v = n / den;
    rem = n % den;
    /* half-up, ties away from zero: |rem| x 2 >= den */
    if (rem != 0 && 2 * (rem < 0 ? -rem : rem) >= den)
        v += num < 0 ? -1 : 1;
    *value = lp__arena_strdup(r->arena, fixed_text(buf, v, minor));
    *exact = rem == 0 ? NULL : small_rational(r, num, den);
    return *value && (rem == 0 || *exact) ? 1 : LP_ENOMEM;
}

/* lp__value_text for small parts: the exact decimal when it has at most 6
 * decimals, else num/den. NULL with *done 0: not small. */
static const char *small_value_text(lp_result *r, mpq_srcptr q, int *done)
{
    long num, den, rest;
    int twos = 0, fives = 0, k, j;
    i128 scale = 1;
    char buf[64];
    *done = 0;
    if (!small_parts(q, &num, &den))
        return NULL;
    *done = 1;
    for (rest = den; rest % 2 == 0; rest /= 2)
        twos++;
    for (; rest % 5 == 0; rest /= 5)
        fives++;
    k = twos > fives ? twos : fives;
    if (rest != 1 || k > 6)
        return small_rational(r, num, den);
    for (j = 0; j < k; j++)
        scale *= 10;               /* den divides 10^k */
    return lp__arena_strdup(r->arena, fixed_text(buf, (i128)num * (scale / den), k));
}
#endif

/* q as "num/den" ("num" when whole), in the result's arena; NULL when out of memory. */
static const char *rational_text(lp_result *r, mpq_srcptr q)
{
#ifdef __SIZEOF_INT128__
    long num, den;
    if (small_parts(q, &num, &den))
        return small_rational(r, num, den);
#endif
    return arena_take(r, lp__rational_format(q));
}

int lp__amount_text(lp_result *r, mpq_srcptr q, const char *currency, const char **value, const char **exact)
{
    int minor = lp__currency_minor_units(currency, strlen(currency));
    mpz_t scaled, rem;
    mpz_srcptr den = mpq_denref(q);
    int is_exact;
    if (minor < 0)
        minor = 2;
#ifdef __SIZEOF_INT128__
    if ((is_exact = small_amount(r, value, exact, q, minor)) != 0)
        return is_exact > 0 ? LP_OK : LP_ENOMEM;
#endif
    /* value = q rounded half-up (ties away from zero) to 10^-minor, as an
     * integer count of minor units: q * 10^minor / 1, by integer division */
    mpz_init(scaled);
    mpz_init(rem);
    mpz_ui_pow_ui(rem, 10, (unsigned long)minor);
    mpz_mul(scaled, mpq_numref(q), rem);
    mpz_tdiv_qr(scaled, rem, scaled, den);
    is_exact = mpz_sgn(rem) == 0;
    if (!is_exact) {
        /* |rem| * 2 >= den: round away from zero */
        mpz_abs(rem, rem);
        mpz_mul_2exp(rem, rem, 1);
        if (mpz_cmp(rem, den) >= 0) {
            if (mpq_sgn(q) < 0)
                mpz_sub_ui(scaled, scaled, 1);
            else
                mpz_add_ui(scaled, scaled, 1);
        }
    }
    *value = scaled_text(r, scaled, minor);
    *exact = is_exact ? NULL : rational_text(r, q);
    mpz_clear(scaled);
    mpz_clear(rem);
    return *value && (is_exact || *exact) ? LP_OK : LP_ENOMEM;
}

mpq_srcptr lp__result_freeze(lp_result *r, mpq_srcptr q)
{
    void *mem = lp__arena_alloc(r->arena, lp__q_frozen_size(q));
    return mem ? lp__q_freeze(mem, q) : NULL;
}

int lp__amount_set(lp_result *r, lp__amount *a, lp_amount_kind kind, mpq_srcptr q, mpq_srcptr unrounded,
                   const char *currency)
{
    int rc = lp__amount_text(r, q, currency, &a->value, &a->exact);
    a->kind = kind;
    if (rc != LP_OK)
        return rc;
    if (!(a->figure = lp__result_freeze(r, q)))
        return LP_ENOMEM;
    a->unrounded = a->figure;
    a->figure_text = a->exact ? a->exact : a->value;
    if (unrounded && !mpq_equal(q, unrounded)) {
        if (!(a->unrounded = lp__result_freeze(r, unrounded)))
            return LP_ENOMEM;
        /* the text shows the value before the rules' rounding unless the
         * display already needs the exact text of q; "num/den" as every
         * exact text of an amount (DESIGN.md section 4, portability/result.h) */
        if (!a->exact && !(a->exact = rational_text(r, unrounded)))
            return LP_ENOMEM;
    }
    return LP_OK;
}

lp__amount *lp__entitlement_amount(lp_entitlement *e, lp_amount_kind kind)
{
    size_t i;
    for (i = 0; i < e->namounts; i++)
        if (e->amounts[i].kind == kind)
            return &e->amounts[i];
    if (e->namounts == sizeof e->amounts / sizeof e->amounts[0])
        return NULL;
    return &e->amounts[e->namounts++];
}

int lp__entitlement_add_route(lp_result *r, lp_entitlement *e, const char *agreement,
                              lp_status status, lp_method method, mpq_srcptr payable,
                              const char *error)
{
    lp__route *rt;
    const char *exact;
    lp__route *v = arena_grow(r->arena, e->routes, e->nroutes, &e->cap_routes, sizeof *e->routes);
    if (!v)                        /* the entitlement keeps the routes it had */
        return LP_ENOMEM;
    e->routes = v;
    rt = &e->routes[e->nroutes++];
    rt->agreement = agreement;
    rt->status = status;
    rt->method = method;
    rt->payable = NULL;
    rt->payable_q = NULL;
    rt->error = error;
    if (payable && (lp__amount_text(r, payable, e->currency, &rt->payable, &exact) != LP_OK
                    || !(rt->payable_q = lp__result_freeze(r, payable))))
        return LP_ENOMEM;
    return LP_OK;
}

const lp__failure *lp__failure_from_error(lp_result *r, const char *gap_name, lp__day gap_day)
{
    const lp_error *err = lp_error_last();
    lp__failure *f = lp__arena_alloc(r->arena, sizeof *f);
    char msg[1200], day[11];
    if (!f)
        return NULL;
    memset(f, 0, sizeof *f);
    if (err->file)
        snprintf(msg, sizeof msg, "%s:%d:%d: %s", err->file, err->line, err->column, err->message);
    else
        snprintf(msg, sizeof msg, "%s", err->message);
    f->message = lp__arena_strdup(r->arena, msg);
    f->file = err->file ? lp__arena_strdup(r->arena, err->file) : NULL;
    f->line = err->line;
    f->column = err->column;
    if (gap_name) {
        lp__day_format(day, gap_day);
        f->gap_name = gap_name;
        f->gap_date = lp__arena_strdup(r->arena, day);
    }
    if (!f->message || (err->file && !f->file) || (gap_name && !f->gap_date))
        return NULL;
    return f;
}

int lp__result_add_note(lp_result *r, const char *scheme, int line, int column, const char *message)
{
    lp__note *n;
    lp__note *v = arena_grow(r->arena, r->notes, r->nnotes, &r->cap_notes, sizeof *r->notes);
    if (!v)                        /* the result keeps the notes it had */
        return LP_ENOMEM;
    r->notes = v;
    n = &r->notes[r->nnotes++];
    n->scheme = scheme ? lp__arena_strdup(r->arena, scheme) : NULL;   /* a history's text: copied */
    n->line = line;
    n->column = column;
    n->message = lp__arena_strdup(r->arena, message);
    return n->message && (n->scheme || !scheme) ? LP_OK : LP_ENOMEM;
}

lp_trace_step *lp__steps_add(lp_result *r, lp__steps *s)
{
    lp_trace_step *st;
    lp_trace_step **v = arena_grow(r->arena, s->v, s->n, &s->cap, sizeof *s->v);
    if (!v)                        /* the steps so far stay */
        return NULL;
    s->v = v;
    st = lp__arena_alloc(r->arena, sizeof *st);
    if (st)
        s->v[s->n++] = st;
    return st;
}

lp__kv *lp__step_add_input(lp_result *r, lp_trace_step *st, const char *name, const char *value)
{
    lp__kv *kv, *v;
    size_t i;
    for (i = 0; i < st->ninputs; i++)
        if (strcmp(st->inputs[i].name, name) == 0)
            return &st->inputs[i];
    v = arena_grow(r->arena, st->inputs, st->ninputs, &st->cap, sizeof *st->inputs);
    if (!v)                        /* the step keeps the inputs it had */
        return NULL;
    st->inputs = v;
    kv = &st->inputs[st->ninputs++];
    memset(kv, 0, sizeof *kv);
    kv->name = name;
    kv->value = value;
    return kv;
}

const char *lp__value_text(lp_result *r, mpq_srcptr q)
{
    char *s = NULL;
    int exact;
#ifdef __SIZEOF_INT128__
    const char *t = small_value_text(r, q, &exact);
    if (exact)
        return t;
#endif
    exact = lp__decimal_exact(&s, q, 6);
    if (exact == 1)
        return arena_take(r, s);
    if (exact < 0)             /* out of memory: not the rational form instead */
        return arena_take(r, NULL);
    return arena_take(r, lp__rational_format(q));
}

/* A plain number (a ratio, a rate, a relative earnings position) in the
 * trace: its exact decimal when it has one of up to 20 places (0.9585467,
 * not 9585467/10000000), else as lp__value_text. */
const char *lp__number_text(lp_result *r, mpq_srcptr q)
{
    char *s = NULL;
    int exact = lp__decimal_exact(&s, q, 20);
    if (exact == 1)
        return arena_take(r, s);
    if (exact < 0)
        return arena_take(r, NULL);
    return lp__value_text(r, q);
}

/* ---------------------------------------------------------------- accessors */

LP_API const char *lp_result_history_id(const lp_result *r) { return r ? r->history_id : NULL; }
LP_API const char *lp_result_claim_date(const lp_result *r) { return r ? r->claim_date : NULL; }
LP_API const char *lp_result_library_version(const lp_result *r) { return r ? r->library_version : NULL; }
LP_API const char *lp_result_rules_digest(const lp_result *r) { return r ? r->rules_digest : NULL; }
LP_API const char *lp_result_input_digest(const lp_result *r) { return r ? r->input_digest : NULL; }

LP_API size_t lp_result_entitlement_count(const lp_result *r) { return r ? r->nentitlements : 0; }

LP_API const lp_entitlement *lp_result_entitlement_at(const lp_result *r, size_t i)
{
    return r && i < r->nentitlements ? r->entitlements[i] : NULL;
}

LP_API const lp_entitlement *lp_result_entitlement_find(const lp_result *r, const char *scheme)
{
    size_t i;
    for (i = 0; r && scheme && i < r->nentitlements; i++)
        if (strcmp(r->entitlements[i]->scheme, scheme) == 0)
            return r->entitlements[i];
    return NULL;
}

LP_API const char *lp_entitlement_scheme(const lp_entitlement *e) { return e ? e->scheme : NULL; }
LP_API const char *lp_entitlement_benefit(const lp_entitlement *e) { return e ? e->benefit : NULL; }
LP_API const char *lp_entitlement_currency(const lp_entitlement *e) { return e ? e->currency : NULL; }
LP_API const char *lp_entitlement_frequency(const lp_entitlement *e) { return e ? lp_frequency_name(e->frequency) : NULL; }
LP_API const char *lp_entitlement_status(const lp_entitlement *e) { return e ? lp_status_name(e->status) : NULL; }
LP_API const char *lp_entitlement_method(const lp_entitlement *e) { return e ? lp_method_name(e->method) : NULL; }
LP_API lp_status lp_entitlement_status_code(const lp_entitlement *e) { return e ? e->status : LP_STATUS_INVALID; }
LP_API lp_method lp_entitlement_method_code(const lp_entitlement *e) { return e ? e->method : LP_METHOD_INVALID; }
LP_API lp_frequency lp_entitlement_frequency_code(const lp_entitlement *e)
{
    return e ? e->frequency : LP_FREQUENCY_INVALID;
}
LP_API const char *lp_entitlement_agreement(const lp_entitlement *e) { return e ? e->agreement : NULL; }
LP_API const char *lp_entitlement_own_periods(const lp_entitlement *e) { return e ? e->own : NULL; }
LP_API const char *lp_entitlement_totalised_periods(const lp_entitlement *e) { return e ? e->totalised : NULL; }
LP_API const char *lp_entitlement_unit(const lp_entitlement *e) { return e ? lp__unit_name(e->unit) : NULL; }
LP_API int lp_entitlement_eligible_alone(const lp_entitlement *e) { return e ? e->eligible_alone : 0; }
LP_API int lp_entitlement_eligible_totalised(const lp_entitlement *e) { return e ? e->eligible_totalised : 0; }
LP_API int lp_entitlement_export_allowed(const lp_entitlement *e) { return e ? e->export_allowed : 0; }

static const lp__amount *find_amount(const lp_entitlement *e, lp_amount_kind kind)
{
    size_t i;
    for (i = 0; e && i < e->namounts; i++)
        if (e->amounts[i].kind == kind)
            return &e->amounts[i];
    return NULL;
}

LP_API const char *lp_entitlement_amount_text(const lp_entitlement *e, lp_amount_kind kind)
{
    const lp__amount *a = find_amount(e, kind);
    return a ? a->value : NULL;
}

LP_API const char *lp_entitlement_amount_figure_text(const lp_entitlement *e, lp_amount_kind kind)
{
    const lp__amount *a = find_amount(e, kind);
    return a ? a->figure_text : NULL;
}

LP_API const char *lp_entitlement_amount_exact_text(const lp_entitlement *e, lp_amount_kind kind)
{
    const lp__amount *a = find_amount(e, kind);
    return a ? (a->exact ? a->exact : a->value) : NULL;
}

/* An exact value of the result as a new lp_money (q NULL: not computed). */
static int money_of(lp_money **out, mpq_srcptr q, const char *currency)
{
    if (!q)
        return LP_ENOTFOUND;
    return lp__money_from_mpq(out, q, currency);
}

static int amount_money(lp_money **out, const lp_entitlement *e, lp_amount_kind kind, int unrounded,
                        const char *fn)
{
    const lp__amount *a;
    if (!out)
        return lp__error_set(LP_EINVAL, "%s: out is NULL", fn);
    *out = NULL;
    if (!e || !lp_amount_kind_name(kind))
        return lp__error_set(LP_EINVAL, "%s: entitlement is NULL or the amount kind unknown", fn);
    a = find_amount(e, kind);
    return money_of(out, a ? (unrounded ? a->unrounded : a->figure) : NULL, e->currency);
}

LP_API int lp_entitlement_amount_money(lp_money **out, const lp_entitlement *e, lp_amount_kind kind)
{
    return amount_money(out, e, kind, 0, "lp_entitlement_amount_money");
}

LP_API int lp_entitlement_amount_unrounded_money(lp_money **out, const lp_entitlement *e, lp_amount_kind kind)
{
    return amount_money(out, e, kind, 1, "lp_entitlement_amount_unrounded_money");
}

LP_API size_t lp_entitlement_route_count(const lp_entitlement *e) { return e ? e->nroutes : 0; }

LP_API int lp_entitlement_route_at(const lp_entitlement *e, size_t i, const char **agreement,
                                   const char **status, const char **method, const char **payable)
{
    const lp__route *rt;
    if (!e || i >= e->nroutes)
        return lp__error_set(LP_EINVAL, "no route %zu", i);
    rt = &e->routes[i];
    if (agreement) *agreement = rt->agreement;
    if (status) *status = lp_status_name(rt->status);
    if (method) *method = lp_method_name(rt->method);
    if (payable) *payable = rt->payable;
    return LP_OK;
}

LP_API int lp_entitlement_route_codes(const lp_entitlement *e, size_t i, lp_status *status, lp_method *method)
{
    if (!e || i >= e->nroutes)
        return lp__error_set(LP_EINVAL, "lp_entitlement_route_codes: no route %zu", i);
    if (status) *status = e->routes[i].status;
    if (method) *method = e->routes[i].method;
    return LP_OK;
}

LP_API int lp_entitlement_route_payable_money(lp_money **out, const lp_entitlement *e, size_t i)
{
    if (!out)
        return lp__error_set(LP_EINVAL, "lp_entitlement_route_payable_money: out is NULL");
    *out = NULL;
    if (!e || i >= e->nroutes)
        return lp__error_set(LP_EINVAL, "lp_entitlement_route_payable_money: no route %zu", i);
    return money_of(out, e->routes[i].payable_q, e->currency);
}

LP_API const char *lp_entitlement_route_error(const lp_entitlement *e, size_t i)
{
    return e && i < e->nroutes ? e->routes[i].error : NULL;
}

LP_API const char *lp_entitlement_error(const lp_entitlement *e)
{
    return e && e->failure ? e->failure->message : NULL;
}

/* The parts of a failure (lp_entitlement_error_detail, lp_lump_sum_error_detail). */
static int failure_detail(const lp__failure *f, const char **file, int *line, int *column, const char **gap_name,
                          const char **gap_date)
{
    if (!f)
        return LP_ENOTFOUND;
    if (file) *file = f->file;
    if (line) *line = f->line;
    if (column) *column = f->column;
    if (gap_name) *gap_name = f->gap_name;
    if (gap_date) *gap_date = f->gap_date;
    return LP_OK;
}

LP_API int lp_entitlement_error_detail(const lp_entitlement *e, const char **file, int *line, int *column,
                                       const char **gap_name, const char **gap_date)
{
    if (!e)
        return lp__error_set(LP_EINVAL, "lp_entitlement_error_detail: entitlement is NULL");
    return failure_detail(e->failure, file, line, column, gap_name, gap_date);
}

static int held_at(const lp__heldset *h, size_t i, const char **name, const char **since, const char **cite)
{
    if (i >= h->n)
        return lp__error_set(LP_EINVAL, "no provisional value %zu", i);
    if (name) *name = h->v[i].name;
    if (since) *since = h->v[i].since;
    if (cite) *cite = h->v[i].cite;
    return LP_OK;
}

LP_API size_t lp_entitlement_provisional_count(const lp_entitlement *e) { return e ? e->held.n : 0; }

LP_API int lp_entitlement_provisional_at(const lp_entitlement *e, size_t i, const char **name,
                                         const char **since, const char **cite)
{
    if (!e)
        return lp__error_set(LP_EINVAL, "lp_entitlement_provisional_at: entitlement is NULL");
    return held_at(&e->held, i, name, since, cite);
}

LP_API size_t lp_entitlement_trace_count(const lp_entitlement *e) { return e ? e->trace.n : 0; }

LP_API const lp_trace_step *lp_entitlement_trace_at(const lp_entitlement *e, size_t i)
{
    return e && i < e->trace.n ? e->trace.v[i] : NULL;
}

LP_API size_t lp_result_lump_sum_count(const lp_result *r) { return r ? r->nlump_sums : 0; }

LP_API const lp_lump_sum *lp_result_lump_sum_at(const lp_result *r, size_t i)
{
    return r && i < r->nlump_sums ? r->lump_sums[i] : NULL;
}

LP_API const char *lp_lump_sum_scheme(const lp_lump_sum *l) { return l ? l->scheme : NULL; }
LP_API const char *lp_lump_sum_option(const lp_lump_sum *l) { return l ? l->option : NULL; }
LP_API const char *lp_lump_sum_employer(const lp_lump_sum *l) { return l ? l->employer : NULL; }
LP_API const char *lp_lump_sum_kind(const lp_lump_sum *l) { return l ? lp_lump_sum_kind_name(l->kind) : NULL; }
LP_API lp_lump_sum_type lp_lump_sum_kind_code(const lp_lump_sum *l) { return l ? l->kind : LP_LUMP_SUM_INVALID; }
LP_API const char *lp_lump_sum_currency(const lp_lump_sum *l) { return l ? l->currency : NULL; }
LP_API const char *lp_lump_sum_value(const lp_lump_sum *l) { return l ? l->value : NULL; }
LP_API const char *lp_lump_sum_exact(const lp_lump_sum *l) { return l ? (l->exact ? l->exact : l->value) : NULL; }
LP_API int lp_lump_sum_money(lp_money **out, const lp_lump_sum *l)
{
    if (!out)
        return lp__error_set(LP_EINVAL, "lp_lump_sum_money: out is NULL");
    *out = NULL;
    if (!l)
        return lp__error_set(LP_EINVAL, "lp_lump_sum_money: lump sum is NULL");
    return money_of(out, l->amount, l->currency);
}

LP_API int lp_lump_sum_available(const lp_lump_sum *l) { return l ? l->available : 0; }
LP_API int lp_lump_sum_forfeits_periods(const lp_lump_sum *l) { return l ? l->forfeits_periods : 0; }
LP_API const char *lp_lump_sum_error(const lp_lump_sum *l) { return l ? l->error : NULL; }

LP_API int lp_lump_sum_error_detail(const lp_lump_sum *l, const char **file, int *line, int *column,
                                    const char **gap_name, const char **gap_date)
{
    if (!l)
        return lp__error_set(LP_EINVAL, "lp_lump_sum_error_detail: lump sum is NULL");
    return failure_detail(l->failure, file, line, column, gap_name, gap_date);
}
LP_API size_t lp_lump_sum_condition_count(const lp_lump_sum *l) { return l ? l->nconditions : 0; }

LP_API size_t lp_lump_sum_provisional_count(const lp_lump_sum *l) { return l ? l->held.n : 0; }

LP_API int lp_lump_sum_provisional_at(const lp_lump_sum *l, size_t i, const char **name,
                                      const char **since, const char **cite)
{
    if (!l)
        return lp__error_set(LP_EINVAL, "lp_lump_sum_provisional_at: lump sum is NULL");
    return held_at(&l->held, i, name, since, cite);
}

LP_API size_t lp_result_note_count(const lp_result *r) { return r ? r->nnotes : 0; }

LP_API int lp_result_note_at(const lp_result *r, size_t i, const char **scheme, int *line,
                             const char **message)
{
    if (!r || i >= r->nnotes)
        return lp__error_set(LP_EINVAL, "no note %zu", i);
    if (scheme) *scheme = r->notes[i].scheme;
    if (line) *line = r->notes[i].line;
    if (message) *message = r->notes[i].message;
    return LP_OK;
}

LP_API int lp_result_complete(const lp_result *r)
{
    size_t i;
    if (!r)
        return 0;
    for (i = 0; i < r->nentitlements; i++)
        if (r->entitlements[i]->failure)
            return 0;
    return 1;
}

LP_API int lp_result_provisional(const lp_result *r)
{
    size_t i;
    if (!r)
        return 0;
    for (i = 0; i < r->nentitlements; i++)
        if (r->entitlements[i]->held.n)
            return 1;
    for (i = 0; i < r->nlump_sums; i++)
        if (r->lump_sums[i]->held.n)
            return 1;
    return 0;
}

LP_API int lp_lump_sum_condition_at(const lp_lump_sum *l, size_t i, const char **id, int *met,
                                    const char **cite)
{
    if (!l || i >= l->nconditions)
        return lp__error_set(LP_EINVAL, "no condition %zu", i);
    if (id) *id = l->conditions[i].id;
    if (met) *met = l->conditions[i].met;
    if (cite) *cite = l->conditions[i].cite;
    return LP_OK;
}

LP_API size_t lp_lump_sum_trace_count(const lp_lump_sum *l) { return l ? l->trace.n : 0; }

LP_API const lp_trace_step *lp_lump_sum_trace_at(const lp_lump_sum *l, size_t i)
{
    return l && i < l->trace.n ? l->trace.v[i] : NULL;
}

LP_API const char *lp_trace_step_rule(const lp_trace_step *s) { return s ? s->rule : NULL; }
LP_API const char *lp_trace_step_formula(const lp_trace_step *s) { return s ? s->formula : NULL; }
LP_API const char *lp_trace_step_value(const lp_trace_step *s) { return s ? s->value : NULL; }
LP_API const char *lp_trace_step_cite(const lp_trace_step *s) { return s ? s->cite : NULL; }
LP_API const char *lp_trace_step_source_title(const lp_trace_step *s) { return s ? s->title : NULL; }
LP_API const char *lp_trace_step_source_url(const lp_trace_step *s) { return s ? s->url : NULL; }
LP_API size_t lp_trace_step_input_count(const lp_trace_step *s) { return s ? s->ninputs : 0; }

LP_API int lp_trace_step_input_at(const lp_trace_step *s, size_t i, const char **name, const char **value)
{
    if (!s || i >= s->ninputs)
        return lp__error_set(LP_EINVAL, "no input %zu", i);
    if (name) *name = s->inputs[i].name;
    if (value) *value = s->inputs[i].value;
    return LP_OK;
}

LP_API int lp_trace_step_input_source(const lp_trace_step *s, size_t i, const char **at, const char **row,
                                      const char **cite, const char **source, const char **grade)
{
    const lp__kv *kv;
    if (!s || i >= s->ninputs)
        return lp__error_set(LP_EINVAL, "no input %zu", i);
    kv = &s->inputs[i];
    if (at) *at = kv->at;
    if (row) *row = kv->row;
    if (cite) *cite = kv->cite;
    if (source) *source = kv->source;
    if (grade) *grade = kv->grade;
    return LP_OK;
}
