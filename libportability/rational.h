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

#endif
