/* Exact rational arithmetic with a machine-word fast path (rational.h). */
#include "config.h"

#include <limits.h>
#include <string.h>

#include "rational.h"

/* out = a x k through GMP. */
static void mul_ui_gmp(mpq_ptr out, mpq_srcptr a, unsigned long k)
{
    mpq_t t;
    mpq_init(t);
    mpq_set_ui(t, k, 1);
    mpq_mul(out, a, t);
    mpq_clear(t);
}

#ifdef __SIZEOF_INT128__
__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

/* The fields of __mpz_struct (_mp_size: the number of limbs, negative for a
 * negative number; _mp_d: the limbs, least significant first; _mp_alloc: the
 * limbs allocated) are read and written directly: gmp.h declares them, and
 * here mpz_size()/mpz_getlimbn() were calls into libgmp that cost as much as
 * the arithmetic they guarded. */
#if GMP_NUMB_BITS != 64 || GMP_NAIL_BITS != 0
#error "rational.c expects 64-bit limbs without nails"
#endif

/* q as n/d with |n| <= LONG_MAX and 0 < d <= LONG_MAX (canonical: d > 0). */
static inline int small(mpq_srcptr q, long *n, long *d)
{
    return lp__q_small(q, n, d);
}

/* out = n / d (canonical already), written in place when out has room. */
static inline void set_small(mpq_ptr out, long n, unsigned long d)
{
    __mpz_struct *num = mpq_numref(out), *den = mpq_denref(out);
    if (num->_mp_alloc < 1 || den->_mp_alloc < 1) {
        mpq_set_si(out, n, d);
        return;
    }
    num->_mp_d[0] = n < 0 ? -(mp_limb_t)n : (mp_limb_t)n;
    num->_mp_size = n < 0 ? -1 : n > 0;
    den->_mp_d[0] = d;
    den->_mp_size = 1;
}

/* Binary gcd (Stein), with the difference's trailing zeros counted while
 * the smaller operand is chosen, so that each round waits on one
 * subtraction and the choices compile to conditional moves, not branches
 * that the unpredictable bits of money amounts would mispredict. When one
 * operand is far longer than the other (an amount in cents over 100, a
 * product over a power of ten) a remainder first leaves a short loop. */
static unsigned long long gcd_u64(unsigned long long u, unsigned long long v)
{
    int shift, vz;
    if (!u || !v)
        return u | v;
    if (u > v ? (u >> 16) > v : (v >> 16) > u) {   /* lengths differ by more than 16 bits */
        if (u > v)
            u %= v;
        else
            v %= u;
        if (!u || !v)
            return u | v;
    }
    shift = __builtin_ctzll(u | v);
    u >>= __builtin_ctzll(u);
    vz = __builtin_ctzll(v);
    for (;;) {
        unsigned long long d, lo;
        v >>= vz;                  /* u and v odd */
        d = v - u;                 /* modulo 2^64: |v - u| has the same trailing zeros */
        if (!d)
            return u << shift;
        vz = __builtin_ctzll(d);
        lo = v < u ? v : u;
        v = v < u ? u - v : d;
        u = lo;
    }
}

/* out = n / 1: no reduction needed. */
static int set_integer(mpq_ptr out, i128 n)
{
    if (n > LONG_MAX || n < -LONG_MAX)
        return 0;
    set_small(out, (long)n, 1);
    return 1;
}

/* out = n / d, reduced, when it fits; 0 when it does not (nothing written). */
static int set_reduced(mpq_ptr out, i128 n, i128 d)
{
    u128 wn = n < 0 ? -(u128)n : (u128)n, wd = (u128)d;   /* d > 0 */
    unsigned long long un, ud, g;
    if (wn > ULLONG_MAX || wd > ULLONG_MAX)
        return 0;
    un = (unsigned long long)wn;   /* 64-bit division from here: 128-bit is a library call */
    ud = (unsigned long long)wd;
    g = gcd_u64(un, ud);
    if (g != 1) {
        un /= g;
        ud /= g;
    }
    if (un > LONG_MAX || ud > ULONG_MAX)
        return 0;
    if (un == 0)
        ud = 1;
    set_small(out, n < 0 ? -(long)un : (long)un, (unsigned long)ud);
    return 1;
}

/* out = n / d when |n| and d fit, canonical already (the callers divided
 * out every common factor); 0 when it does not fit (nothing written). */
static int set_canonical(mpq_ptr out, int negative, u128 n, u128 d)
{
    if (n > LONG_MAX || d > ULONG_MAX)
        return 0;
    if (n == 0)
        d = 1;
    set_small(out, negative ? -(long)n : (long)n, (unsigned long)d);
    return 1;
}

/* a/ad + sign x b/bd, both canonical. Integers and a shared denominator
 * (amounts in one currency, counts of months) skip the general case; that
 * one reduces by the denominators' gcd before multiplying and by the gcd of
 * the sum with it after (Knuth, TAOCP 4.5.1), so the gcds are taken of
 * short numbers and the sum is never reduced whole. */
static int add_small(mpq_ptr out, long an, long ad, long bn, long bd, int sign)
{
    i128 n = sign > 0 ? (i128)bn : -(i128)bn, t;
    unsigned long long g, g2, ut;
    if (ad == 1 && bd == 1)
        return set_integer(out, (i128)an + n);
    if (ad == bd)
        return set_reduced(out, (i128)an + n, ad);
    g = gcd_u64((unsigned long long)ad, (unsigned long long)bd);
    t = (i128)an * (bd / (long)g) + n * (ad / (long)g);
    if (t > (i128)ULLONG_MAX || t < -(i128)ULLONG_MAX)
        return 0;
    ut = (unsigned long long)(t < 0 ? -t : t);
    g2 = gcd_u64(ut, g);
    return set_canonical(out, t < 0, ut / g2, (u128)(ad / (long)g) * (u128)(bd / (long)g2));
}

/* (an/ad) x (bn/bd), both canonical: each numerator is divided by its gcd
 * with the other's denominator before multiplying (Knuth, TAOCP 4.5.1). The
 * product is then canonical, the gcds are of single words, and a product
 * that only reduction brings back into a word stays out of GMP. */
static int mul_small(mpq_ptr out, long an, long ad, long bn, long bd)
{
    unsigned long long ua = an < 0 ? -(unsigned long long)an : (unsigned long long)an;
    unsigned long long ub = bn < 0 ? -(unsigned long long)bn : (unsigned long long)bn;
    unsigned long long uad = (unsigned long long)ad, ubd = (unsigned long long)bd, g;
    if (!ua || !ub)
        return set_canonical(out, 0, 0, 1);
    if (ubd != 1 && (g = gcd_u64(ua, ubd)) != 1) {
        ua /= g;
        ubd /= g;
    }
    if (uad != 1 && (g = gcd_u64(ub, uad)) != 1) {
        ub /= g;
        uad /= g;
    }
    return set_canonical(out, (an < 0) != (bn < 0), (u128)ua * ub, (u128)uad * ubd);
}

void lp__q_add(mpq_ptr out, mpq_srcptr a, mpq_srcptr b)
{
    long an, ad, bn, bd;
    if (small(a, &an, &ad) && small(b, &bn, &bd) && add_small(out, an, ad, bn, bd, 1))
        return;
    mpq_add(out, a, b);
}

void lp__q_sub(mpq_ptr out, mpq_srcptr a, mpq_srcptr b)
{
    long an, ad, bn, bd;
    if (small(a, &an, &ad) && small(b, &bn, &bd) && add_small(out, an, ad, bn, bd, -1))
        return;
    mpq_sub(out, a, b);
}

void lp__q_mul(mpq_ptr out, mpq_srcptr a, mpq_srcptr b)
{
    long an, ad, bn, bd;
    if (small(a, &an, &ad) && small(b, &bn, &bd)
        && (ad == 1 && bd == 1 ? set_integer(out, (i128)an * bn) : mul_small(out, an, ad, bn, bd)))
        return;
    mpq_mul(out, a, b);
}

void lp__q_div(mpq_ptr out, mpq_srcptr a, mpq_srcptr b)
{
    long an, ad, bn, bd;
    /* a / b = a x (bd/bn), and bd/bn is canonical as b is */
    if (small(a, &an, &ad) && small(b, &bn, &bd) && bn != 0
        && mul_small(out, an, ad, bn < 0 ? -bd : bd, bn < 0 ? -bn : bn))
        return;
    mpq_div(out, a, b);
}

void lp__q_mul_ui(mpq_ptr out, mpq_srcptr a, unsigned long k)
{
    long an, ad;
    if (k <= LONG_MAX && small(a, &an, &ad)
        && (ad == 1 ? set_integer(out, (i128)an * (long)k) : set_reduced(out, (i128)an * (long)k, ad)))
        return;
    mul_ui_gmp(out, a, k);
}

int lp__q_cmp(mpq_srcptr a, mpq_srcptr b)
{
    long an, ad, bn, bd;
    if (small(a, &an, &ad) && small(b, &bn, &bd)) {
        i128 l = (i128)an * bd, r = (i128)bn * ad;   /* denominators are positive */
        return l < r ? -1 : l > r;
    }
    return mpq_cmp(a, b);
}

void lp__q_set_si_reduced(mpq_ptr out, long n, unsigned long d)
{
    if (d <= ULLONG_MAX && set_reduced(out, n, (i128)d))
        return;
    mpq_set_si(out, n, d);
    mpq_canonicalize(out);
}

int lp__q_get_long(mpq_srcptr q, long *out)
{
    long n, d;
    if (small(q, &n, &d)) {        /* |n| <= LONG_MAX: the fast answer */
        if (d != 1)
            return 0;
        *out = n;
        return 1;
    }
    if (mpz_cmp_ui(mpq_denref(q), 1) != 0 || !mpz_fits_slong_p(mpq_numref(q)))
        return 0;
    *out = mpz_get_si(mpq_numref(q));
    return 1;
}

#else /* no 128-bit integers: GMP throughout */

void lp__q_set_si_reduced(mpq_ptr out, long n, unsigned long d)
{
    mpq_set_si(out, n, d);
    mpq_canonicalize(out);
}

int lp__q_get_long(mpq_srcptr q, long *out)
{
    if (mpz_cmp_ui(mpq_denref(q), 1) != 0 || !mpz_fits_slong_p(mpq_numref(q)))
        return 0;
    *out = mpz_get_si(mpq_numref(q));
    return 1;
}

void lp__q_add(mpq_ptr out, mpq_srcptr a, mpq_srcptr b) { mpq_add(out, a, b); }
void lp__q_sub(mpq_ptr out, mpq_srcptr a, mpq_srcptr b) { mpq_sub(out, a, b); }
void lp__q_mul(mpq_ptr out, mpq_srcptr a, mpq_srcptr b) { mpq_mul(out, a, b); }
void lp__q_div(mpq_ptr out, mpq_srcptr a, mpq_srcptr b) { mpq_div(out, a, b); }

void lp__q_mul_ui(mpq_ptr out, mpq_srcptr a, unsigned long k)
{
    mul_ui_gmp(out, a, k);
}

int lp__q_cmp(mpq_srcptr a, mpq_srcptr b) { return mpq_cmp(a, b); }

#endif

/* ---------------------------------------------------------------- frozen */

size_t lp__q_frozen_size(mpq_srcptr q)
{
    return sizeof(__mpq_struct) + (mpz_size(mpq_numref(q)) + mpz_size(mpq_denref(q))) * sizeof(mp_limb_t);
}

mpq_srcptr lp__q_freeze(void *mem, mpq_srcptr q)
{
    __mpq_struct *copy = mem;
    mpz_srcptr num = mpq_numref(q), den = mpq_denref(q);
    size_t nn = mpz_size(num), nd = mpz_size(den);
    mp_limb_t *limbs = (mp_limb_t *)(copy + 1);
    if (nn)
        memcpy(limbs, mpz_limbs_read(num), nn * sizeof *limbs);
    memcpy(limbs + nn, mpz_limbs_read(den), nd * sizeof *limbs);
    mpz_roinit_n(&copy->_mp_num, limbs, mpz_sgn(num) < 0 ? -(mp_size_t)nn : (mp_size_t)nn);
    mpz_roinit_n(&copy->_mp_den, limbs + nn, (mp_size_t)nd);
    return copy;
}
