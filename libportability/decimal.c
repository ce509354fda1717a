/* Exact decimal and rational literals, rounding to a step, decimal output,
 * rounding-mode names and ISO 4217 minor units (see decimal.h). */
#include "config.h"

#include <limits.h>
#include <string.h>

#include <gmp.h>

#include "decimal.h"
#include "rational.h"
#include "alloc.h"
#include "error.h"

/* How much of a bad literal is quoted back in an error message. */
#define SHOW_MAX 40

/* Digits that always fit an unsigned long (fast path of the parser). */
#define ULONG_DIGITS (ULONG_MAX >= 18446744073709551615UL ? 19 : 9)

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int literal_error(int code, const char *what, const char *s, size_t len)
{
    int shown = len > SHOW_MAX ? SHOW_MAX : (int)len;
    return lp__error_set(code, "%s: \"%.*s%s\"", what, shown, s, len > SHOW_MAX ? "..." : "");
}

/* Set z from n ASCII digits (n >= 1). buf has room for the terminating NUL. */
static void set_digits(mpz_t z, char *buf, size_t n)
{
    if (n <= ULONG_DIGITS) {
        unsigned long v = 0;
        size_t i;
        for (i = 0; i < n; i++)
            v = v * 10 + (unsigned long)(buf[i] - '0');
        mpz_set_ui(z, v);
    } else {
        buf[n] = '\0';
        mpz_set_str(z, buf, 10);
    }
}

int lp__decimal_parse(mpq_t out, const char *s, size_t len)
{
    /* The digits are copied to the stack: at most LP__DECIMAL_MAX_DIGITS each. */
    char num[LP__DECIMAL_MAX_DIGITS + 1];
    char den[LP__DECIMAL_MAX_DIGITS + 1];
    size_t i = 0, nn = 0, nd = 0, frac = 0;
    int negative = 0, rational = 0;

    if (!s)
        return lp__error_set(LP_EINVAL, "number: NULL text");
    if (i < len && (s[i] == '+' || s[i] == '-')) {
        negative = s[i] == '-';
        i++;
    }
    for (; i < len && is_digit(s[i]); i++) {
        if (nn == LP__DECIMAL_MAX_DIGITS)
            return literal_error(LP_ERANGE, "number has more than 64 digits", s, len);
        num[nn++] = s[i];
    }
    if (i < len && s[i] == '/') {
        rational = 1;
        i++;
        for (; i < len && is_digit(s[i]); i++) {
            if (nd == LP__DECIMAL_MAX_DIGITS)
                return literal_error(LP_ERANGE, "denominator has more than 64 digits", s, len);
            den[nd++] = s[i];
        }
        if (nn == 0 || nd == 0 || i != len)
            return literal_error(LP_EPARSE, "malformed rational number (expected num/den)", s, len);
    } else {
        if (i < len && s[i] == '.') {
            i++;
            for (; i < len && is_digit(s[i]); i++) {
                if (nn == LP__DECIMAL_MAX_DIGITS)
                    return literal_error(LP_ERANGE, "number has more than 64 digits", s, len);
                num[nn++] = s[i];
                frac++;
            }
        }
        if (nn == 0 || i != len)
            return literal_error(LP_EPARSE,
                                 "malformed number (expected a plain decimal such as -12.34 "
                                 "or a fraction such as 3/4)", s, len);
    }

    if (rational) {
        /* Check the denominator before touching out, which stays unchanged on failure. */
        size_t k;
        for (k = 0; k < nd && den[k] == '0'; k++)
            ;
        if (k == nd)
            return literal_error(LP_EDIVZERO, "zero denominator", s, len);
        set_digits(mpq_denref(out), den, nd);
    } else {
        mpz_ui_pow_ui(mpq_denref(out), 10, (unsigned long)frac);
    }
    set_digits(mpq_numref(out), num, nn);
    if (negative)
        mpz_neg(mpq_numref(out), mpq_numref(out));
    mpq_canonicalize(out);
    return LP_OK;
}

/* Whether a non-exact quotient q (truncated toward zero; sign the sign of the
 * remainder, half the remainder against half the divisor: <0, 0, >0) moves
 * one step away from zero. Inexact with mode 'unnecessary' is the caller's. */
static int rounds_away(lp_rounding mode, int sign, int half, int q_odd)
{
    switch (mode) {
    case LP_ROUND_HALF_UP: return half >= 0;
    case LP_ROUND_HALF_EVEN: return half > 0 || (half == 0 && q_odd);
    case LP_ROUND_HALF_DOWN: return half > 0;
    case LP_ROUND_CEIL: return sign > 0;
    case LP_ROUND_FLOOR: return sign < 0;
    case LP_ROUND_AWAY_FROM_ZERO: return 1;
    case LP_ROUND_TOWARD_ZERO:
    default: return 0;
    }
}

static int inexact(const mpq_t x, const mpq_t step)
{
    char msg[160];
    gmp_snprintf(msg, sizeof msg, "%Qd is not a multiple of %Qd", x, step);
    return lp__error_set(LP_EINEXACT, "rounding needed but mode is 'unnecessary': %s", msg);
}

#ifdef __SIZEOF_INT128__
/* a/b (b > 0; a and b need not be coprime: the same value rounds alike) to a
 * multiple of c/e (c, e > 0) in mode, all four within a long: 1 and out set;
 * 0 when the result does not fit (nothing written); -1 when the value is
 * not a multiple and mode is LP_ROUND_UNNECESSARY (nothing written). */
static int round_words(mpq_t out, long a, long b, long c, long e, lp_rounding mode)
{
    __int128 n, d, q, r, num;
    int sign;
    n = (__int128)a * e;           /* |n|, d < 2^126 */
    d = (__int128)b * c;
    if (n >= -(__int128)LONG_MAX && n <= LONG_MAX && d <= LONG_MAX) {
        /* the usual amount and step: a 64-bit division (the 128-bit one is
         * a call into the compiler's runtime), the same quotient and remainder */
        q = (long)n / (long)d;
        r = (long)n % (long)d;
    } else {
        q = n / d;                 /* truncated toward zero */
        r = n % d;                 /* the sign of n */
    }
    sign = r > 0 ? 1 : r < 0 ? -1 : 0;
    if (sign) {
        __int128 twice = 2 * (r < 0 ? -r : r);
        if (mode == LP_ROUND_UNNECESSARY)
            return -1;
        if (rounds_away(mode, sign, twice > d ? 1 : twice < d ? -1 : 0, (int)(q & 1)))
            q += sign;
    }
    if (q > LONG_MAX || q < -LONG_MAX)
        return 0;
    num = q * c;                   /* |q|, c < 2^63 */
    if (num > LONG_MAX || num < -LONG_MAX)
        return 0;
    lp__q_set_si_reduced(out, (long)num, (unsigned long)e);
    return 1;
}

/* Amounts and steps of a few digits (nearly all of them) in machine integers:
 * no allocation. 0 when a value does not fit, and nothing was written. */
static int round_small(mpq_t out, const mpq_t x, const mpq_t step, lp_rounding mode, int *rc)
{
    long a, b, c, e;
    int done;
    /* each of the four fits a long (|a| <= LONG_MAX, 0 < b, c, e <= LONG_MAX:
     * the step is positive), read from GMP's fields (rational.h) */
    if (!lp__q_small(x, &a, &b) || !lp__q_small(step, &c, &e))
        return 0;
    if ((done = round_words(out, a, b, c, e, mode)) == 0)
        return 0;
    *rc = done < 0 ? inexact(x, step) : LP_OK;
    return 1;
}

int lp__round_product(mpq_t out, const mpq_t x, const mpq_t y, int divide, const mpq_t step, lp_rounding mode)
{
    long a, b, c, e, yn, yd;
    __int128 n, d;
    if (mode == LP_ROUND_UNNECESSARY || !lp__q_small(x, &a, &b) || !lp__q_small(y, &yn, &yd)
        || !lp__q_small(step, &c, &e) || c <= 0 || (divide && yn == 0))
        return 0;
    if (divide) {                  /* x / y = x * (yd / yn), yn != 0 */
        long t = yn;
        yn = t < 0 ? -yd : yd;
        yd = t < 0 ? -t : t;
    }
    n = (__int128)a * yn;          /* unreduced: the value is the product's */
    d = (__int128)b * yd;
    if (n > LONG_MAX || n < -(__int128)LONG_MAX || d > LONG_MAX)
        return 0;
    return round_words(out, (long)n, (long)d, c, e, mode) > 0;
}
#else
int lp__round_product(mpq_t out, const mpq_t x, const mpq_t y, int divide, const mpq_t step, lp_rounding mode)
{
    (void)out; (void)x; (void)y; (void)divide; (void)step; (void)mode;
    return 0;
}
#endif

int lp__round(mpq_t out, const mpq_t x, const mpq_t step, lp_rounding mode)
{
    mpz_t n, d, q, r;
    int sign, rc;

    if (mpq_sgn(step) <= 0)
        return lp__error_set(LP_EINVAL, "rounding step must be positive");
    if ((unsigned)mode > (unsigned)LP_ROUND_UNNECESSARY)
        return lp__error_set(LP_EINVAL, "unknown rounding mode %d", (int)mode);
#ifdef __SIZEOF_INT128__
    if (round_small(out, x, step, mode, &rc))
        return rc;
#endif

    /* x / step = (a/b) / (c/e) = (a*e) / (b*c); b, c, e > 0. */
    mpz_inits(n, d, q, r, NULL);
    mpz_mul(n, mpq_numref(x), mpq_denref(step));
    mpz_mul(d, mpq_denref(x), mpq_numref(step));
    mpz_tdiv_qr(q, r, n, d);      /* q truncated toward zero; r has the sign of x */
    sign = mpz_sgn(r);
    if (sign != 0) {
        int half;
        if (mode == LP_ROUND_UNNECESSARY) {
            rc = inexact(x, step);
            mpz_clears(n, d, q, r, NULL);
            return rc;
        }
        mpz_abs(r, r);
        mpz_mul_2exp(r, r, 1);
        half = mpz_cmp(r, d);      /* 2|r| against d: the fraction against 1/2 */
        if (rounds_away(mode, sign, half, mpz_odd_p(q))) {
            if (sign > 0)
                mpz_add_ui(q, q, 1);
            else
                mpz_sub_ui(q, q, 1);
        }
    }
    /* out = q * step; out may be x or step, which are no longer read. */
    mpz_mul(mpq_numref(out), q, mpq_numref(step));
    mpz_set(mpq_denref(out), mpq_denref(step));
    mpq_canonicalize(out);
    mpz_clears(n, d, q, r, NULL);
    return LP_OK;
}

/* Decimals needed to write any multiple of 1/den: max(a, b) for den = 2^a 5^b,
 * -1 when den has another prime factor (no finite decimal expansion). */
static long decimals_for(const mpz_t den)
{
    mpz_t rest, five;
    unsigned long twos, fives;
    long k = -1;

    mpz_inits(rest, NULL);
    mpz_init_set_ui(five, 5);
    twos = mpz_scan1(den, 0);              /* den > 0, so a 1 bit exists */
    mpz_tdiv_q_2exp(rest, den, twos);
    /* mpz_remove divides by powers of 5 at once: dividing by 5 once a factor
     * took time quadratic in the size, and a trace of a balance compounded
     * over centuries (a denominator of 2000^n) spent seconds here */
    fives = mpz_remove(rest, rest, five);
    mpz_clear(five);
    if (mpz_cmp_ui(rest, 1) == 0 && twos <= LONG_MAX && fives <= LONG_MAX)
        k = (long)(twos > fives ? twos : fives);
    mpz_clear(rest);
    return k;
}

/* *out = x (x * 10^k an integer) printed with exactly k decimals. */
static int print_fixed(char **out, const mpq_t x, unsigned long k)
{
    mpz_t n;
    char *digits = NULL, *buf = NULL, *p;
    size_t len, intlen;
    int negative;

    *out = NULL;
    mpz_init(n);
    mpz_ui_pow_ui(n, 10, k);
    mpz_mul(n, n, mpq_numref(x));
    mpz_divexact(n, n, mpq_denref(x));
    negative = mpz_sgn(n) < 0;
    mpz_abs(n, n);
    digits = lp__malloc(mpz_sizeinbase(n, 10) + 2);
    if (!digits)
        goto done;
    mpz_get_str(digits, 10, n);
    len = strlen(digits);
    intlen = len > k ? len - k : 1;
    buf = lp__malloc((size_t)negative + intlen + 1 + k + 1);
    if (!buf)
        goto done;
    p = buf;
    if (negative)
        *p++ = '-';
    if (len > k) {
        memcpy(p, digits, intlen);
        p += intlen;
    } else {
        *p++ = '0';
    }
    if (k > 0) {
        *p++ = '.';
        if (len < k) {
            memset(p, '0', k - len);
            p += k - len;
            memcpy(p, digits, len);
            p += len;
        } else {
            memcpy(p, digits + (len - k), k);
            p += k;
        }
    }
    *p = '\0';
    *out = buf;
done:
    lp__free(digits);
    mpz_clear(n);
    return *out ? LP_OK : LP_ENOMEM;
}

int lp__decimal_format(char **out, const mpq_t x, const mpq_t step, lp_rounding mode)
{
    return lp__decimal_format_min(out, x, step, mode, 0);
}

int lp__decimal_format_min(char **out, const mpq_t x, const mpq_t step, lp_rounding mode,
                           unsigned min_decimals)
{
    mpq_t r;
    long k;
    int rc;

    if (!out)
        return lp__error_set(LP_EINVAL, "decimal output: NULL out");
    *out = NULL;
    if (mpq_sgn(step) <= 0)
        return lp__error_set(LP_EINVAL, "rounding step must be positive");
    k = decimals_for(mpq_denref(step));
    if (k < 0) {
        char msg[120];
        gmp_snprintf(msg, sizeof msg, "%Qd", step);
        return lp__error_set(LP_EINVAL,
                             "rounding step %s has no finite decimal expansion: "
                             "it cannot be printed as a decimal", msg);
    }
    if ((unsigned long)k < min_decimals)
        k = (long)min_decimals;
    mpq_init(r);
    rc = lp__round(r, x, step, mode);
    if (rc == LP_OK)
        rc = print_fixed(out, r, (unsigned long)k);
    mpq_clear(r);
    return rc;
}

char *lp__rational_format(const mpq_t x)
{
    size_t size = mpz_sizeinbase(mpq_numref(x), 10) + mpz_sizeinbase(mpq_denref(x), 10) + 3;
    char *buf = lp__malloc(size);
    if (buf)
        mpq_get_str(buf, 10, x);
    return buf;
}

int lp__decimal_exact(char **out, const mpq_t x, unsigned max_decimals)
{
    long k;
    int rc;

    *out = NULL;
    k = decimals_for(mpq_denref(x));
    if (k < 0 || (unsigned long)k > max_decimals)
        return 0;
    rc = print_fixed(out, x, (unsigned long)k);
    return rc == LP_OK ? 1 : rc;
}

static const struct {
    const char *name;
    lp_rounding mode;
} rounding_names[] = {
    { "half-up", LP_ROUND_HALF_UP },
    { "half-even", LP_ROUND_HALF_EVEN },
    { "half-down", LP_ROUND_HALF_DOWN },
    { "ceiling", LP_ROUND_CEIL },
    { "up", LP_ROUND_CEIL },
    { "floor", LP_ROUND_FLOOR },
    { "down", LP_ROUND_FLOOR },
    { "toward-zero", LP_ROUND_TOWARD_ZERO },
    { "away-from-zero", LP_ROUND_AWAY_FROM_ZERO },
    { "unnecessary", LP_ROUND_UNNECESSARY },
};

/* Indexed by lp_rounding. */
static const char *const canonical_names[] = {
    "half-up", "half-even", "half-down", "ceiling", "floor",
    "toward-zero", "away-from-zero", "unnecessary",
};

int lp__rounding_parse(lp_rounding *out, const char *name, size_t len)
{
    size_t i;

    if (!out || !name)
        return lp__error_set(LP_EINVAL, "rounding mode: NULL argument");
    for (i = 0; i < sizeof rounding_names / sizeof rounding_names[0]; i++) {
        if (strlen(rounding_names[i].name) == len && memcmp(rounding_names[i].name, name, len) == 0) {
            *out = rounding_names[i].mode;
            return LP_OK;
        }
    }
    return literal_error(LP_EPARSE,
                         "unknown rounding mode (valid: half-up, half-even, half-down, "
                         "up, ceiling, down, floor, toward-zero, away-from-zero, unnecessary)",
                         name, len);
}

const char *lp__rounding_name(lp_rounding mode)
{
    if ((unsigned)mode > (unsigned)LP_ROUND_UNNECESSARY)
        return NULL;
    return canonical_names[mode];
}

static const struct {
    char code[4];
    signed char minor_units;
} currencies[] = {
#define LP_CURRENCY(code, minor_units) { code, minor_units },
#include "currencies.def"
#undef LP_CURRENCY
};

int lp__currency_minor_units(const char *code, size_t len)
{
    size_t lo = 0, hi = sizeof currencies / sizeof currencies[0];
    unsigned long key;

    if (!code || len != 3)
        return -1;
    /* three letters as one number: same order as memcmp, no call per probe
     * (a result looks the currency up for every amount it shows) */
#define CODE_KEY(s) ((unsigned long)(unsigned char)(s)[0] << 16 | (unsigned long)(unsigned char)(s)[1] << 8 \
                     | (unsigned long)(unsigned char)(s)[2])
    key = CODE_KEY(code);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        unsigned long k = CODE_KEY(currencies[mid].code);
        if (key == k)
            return currencies[mid].minor_units;
        if (key < k)
            hi = mid;
        else
            lo = mid + 1;
    }
#undef CODE_KEY
    return -1;
}
