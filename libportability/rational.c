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

/* Binary gcd, after one Euclid step: the operands of a reduction are often
 * of very different sizes (an amount in cents over 100, a product over a
 * power of ten), and a remainder by the smaller one leaves a short loop. */
static unsigned long long gcd_u64(unsigned long long a, unsigned long long b)
{
    int shift;
    if (a > b) {
        if (!b)
            return a;
        a %= b;
    } else if (a) {
        b %= a;
    } else {
        return b;
    }
    if (!a)
        return b;
    if (!b)
        return a;
    shift = __builtin_ctzll(a | b);
    a >>= __builtin_ctzll(a);
    do {
        b >>= __builtin_ctzll(b);
        if (a > b) {
            unsigned long long t = a;
            a = b;
            b = t;
        }
        b -= a;
    } while (b);
    return a << shift;
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
    un /= g;
    ud /= g;
    if (un > LONG_MAX || ud > ULONG_MAX)
        return 0;
    if (un == 0)
        ud = 1;
    set_small(out, n < 0 ? -(long)un : (long)un, (unsigned long)ud);
    return 1;
}

/* a/ad + sign x b/bd. Integers and a shared denominator (amounts in one
 * currency, counts of months) skip the general cross-multiplication. */
static int add_small(mpq_ptr out, long an, long ad, long bn, long bd, int sign)
{
    i128 n = sign > 0 ? (i128)bn : -(i128)bn;
    if (ad == 1 && bd == 1)
        return set_integer(out, (i128)an + n);
    if (ad == bd)
        return set_reduced(out, (i128)an + n, ad);
    return set_reduced(out, (i128)an * bd + n * ad, (i128)ad * bd);
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
        && (ad == 1 && bd == 1 ? set_integer(out, (i128)an * bn)
                               : set_reduced(out, (i128)an * bn, (i128)ad * bd)))
        return;
    mpq_mul(out, a, b);
}

void lp__q_div(mpq_ptr out, mpq_srcptr a, mpq_srcptr b)
{
    long an, ad, bn, bd;
    if (small(a, &an, &ad) && small(b, &bn, &bd) && bn != 0
        && set_reduced(out, (bn < 0 ? -(i128)an : (i128)an) * bd, (i128)ad * (bn < 0 ? -(i128)bn : bn)))
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
