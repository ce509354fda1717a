/* Exact rational arithmetic with a machine-word fast path.
 *
 * Amounts, rates and period counts are nearly always small rationals (a few
 * digits over 1, 100 or 12). GMP's mpq functions handle them exactly but pay
 * for generality: two gcds, a temporary and often a reallocation per
 * operation (about 900 instructions for a product of two centavo amounts).
 * These functions give exactly the mpq_* result, computing it in 64/128-bit
 * integers when both operands' numerators and denominators fit a long and the
 * result does too, and calling GMP otherwise. out may alias a or b. */
#ifndef LP_RATIONAL_H
#define LP_RATIONAL_H

#include <limits.h>
#include <gmp.h>

void lp__q_add(mpq_ptr out, mpq_srcptr a, mpq_srcptr b);
void lp__q_sub(mpq_ptr out, mpq_srcptr a, mpq_srcptr b);
void lp__q_mul(mpq_ptr out, mpq_srcptr a, mpq_srcptr b);
/* b must not be zero. */
void lp__q_div(mpq_ptr out, mpq_srcptr a, mpq_srcptr b);
/* out = a x k. */
void lp__q_mul_ui(mpq_ptr out, mpq_srcptr a, unsigned long k);
/* mpq_cmp's sign: negative, zero or positive as a <, =, > b. */
int lp__q_cmp(mpq_srcptr a, mpq_srcptr b);
/* out = n / d reduced (mpq_set_si then mpq_canonicalize); d > 0. */
void lp__q_set_si_reduced(mpq_ptr out, long n, unsigned long d);
/* 1 and n / d = q (d > 0) when q's numerator and denominator each fit in
 * one limb of at most LONG_MAX, read from GMP's fields without a call into
 * libgmp; 0 otherwise (then nothing is written). */
static inline int lp__q_small(mpq_srcptr q, long *n, long *d)
{
    const __mpz_struct *num = mpq_numref(q), *den = mpq_denref(q);
    mp_limb_t ln, ld;
    if (num->_mp_size > 1 || num->_mp_size < -1 || den->_mp_size != 1 || GMP_NUMB_BITS != 64
        || GMP_NAIL_BITS != 0)
        return 0;
    ln = num->_mp_size ? num->_mp_d[0] : 0;
    ld = den->_mp_d[0];
    if (ln > (mp_limb_t)LONG_MAX || ld > (mp_limb_t)LONG_MAX)
        return 0;
    *n = num->_mp_size < 0 ? -(long)ln : (long)ln;
    *d = (long)ld;
    return 1;
}

/* 1 and *out = q when q is a whole number that fits a long, else 0 (the
 * test of mpz_cmp_ui(den, 1) == 0 && mpz_fits_slong_p(num)). */
int lp__q_get_long(mpq_srcptr q, long *out);

/* Frozen rationals: a read-only copy of q laid out as the rational followed
 * by its limbs (mpz_roinit_n), in memory the caller owns. Values read at every
 * calculation (a history's earnings, a formula's literals) are frozen where
 * they are kept, so reading one touches one place instead of following a
 * pointer to a separate GMP allocation. Nothing of GMP to clear; never write
 * to it. */
/* Bytes a frozen copy of q takes (a multiple of the limb size). */
size_t lp__q_frozen_size(mpq_srcptr q);
/* Freeze q at mem (lp__q_frozen_size(q) bytes, aligned for a pointer). */
mpq_srcptr lp__q_freeze(void *mem, mpq_srcptr q);

#endif
