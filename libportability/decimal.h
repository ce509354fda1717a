/* Internal: exact decimal and rational literals, rounding to a step, decimal
 * output, rounding-mode names and the ISO 4217 minor-unit table.
 *
 * Used by money.c and by the rule-language and history loaders. Values are
 * GMP rationals (mpq_t) owned and initialised by the caller. Every failure
 * sets the thread-local last error (lp__error_set) and returns its code.
 *
 * Literal grammar (the lexical space of XML Schema's xs:decimal, so that
 * whatever a schema-valid document holds is also accepted here, plus GMP's
 * rational notation):
 *
 *   literal  = decimal | rational
 *   decimal  = [sign] ( digits [ "." [digits] ] | "." digits )
 *   rational = [sign] digits "/" digits
 *   sign     = "+" | "-"
 *
 * So "12", "-12.345", "+0.5", ".5", "5." and "-3/4" are accepted, and ".",
 * "", "+", "1e5", "1,000", " 1", "1 ", "3/-4" and "1.5/2" are LP_EPARSE.
 * "-0" is zero. A decimal literal holds at most LP__DECIMAL_MAX_DIGITS digits
 * in all (integer and fraction, leading zeros included); a rational one at most
 * LP__DECIMAL_MAX_DIGITS on each side of the "/". Longer is LP_ERANGE, which
 * bounds the work a hostile 10,000-digit literal can cause.
 */
#ifndef LP_DECIMAL_H
#define LP_DECIMAL_H

#include <stddef.h>
#include <gmp.h>
#include <portability/money.h>

#define LP__DECIMAL_MAX_DIGITS 64   /* digits in one literal; more is LP_ERANGE */

/* Parse a decimal or "num/den" literal s[0..len) exactly into out
 * (canonicalised). s need not be NUL-terminated. Errors: LP_EPARSE malformed,
 * LP_ERANGE too many digits, LP_EDIVZERO zero denominator, LP_EINVAL NULL s.
 * out is initialised by the caller and is unchanged on failure. */
int lp__decimal_parse(mpq_t out, const char *s, size_t len);

/* Round x to a multiple of step (> 0) in mode. out may alias x or step.
 * LP_EINVAL if step <= 0 or mode is unknown, LP_EINEXACT for
 * LP_ROUND_UNNECESSARY when x is not already a multiple (out unchanged on
 * failure). Hot path: four GMP temporaries on the stack (mpz_init does not
 * allocate in GMP >= 6.2; limbs are allocated only as the products need them);
 * no static scratch, no globals, so it is thread-safe. */
int lp__round(mpq_t out, const mpq_t x, const mpq_t step, lp_rounding mode);

/* out = x * y (x / y when divide) rounded as lp__round rounds it, without
 * forming the product in lowest terms first (the rounding needs one division
 * of the unreduced product, not a gcd): 1 when done; 0 when an operand, the
 * product or the result does not fit a machine word, when y is zero for a
 * division, or for LP_ROUND_UNNECESSARY (then nothing is written and the
 * caller multiplies and rounds as usual, with the usual errors). out may
 * alias an operand. */
int lp__round_product(mpq_t out, const mpq_t x, const mpq_t y, int divide, const mpq_t step, lp_rounding mode);

/* Round to step, then print in plain decimal with as many decimals as step
 * needs (step 0.01 -> "2133.33", 1 -> "984", 100 -> "831700", 0.1 -> "3.3",
 * 0.001 -> 3 dp, 1/4 -> 2 dp). Zero prints unsigned. *out is lp__malloc'd,
 * NULL on failure. LP_EINVAL when step <= 0 or has no finite decimal expansion
 * (1/3); LP_EINEXACT as lp__round; LP_ENOMEM. */
int lp__decimal_format(char **out, const mpq_t x, const mpq_t step, lp_rounding mode);

/* lp__decimal_format, printing at least min_decimals decimals (pads with
 * zeros): step 0.1 with min_decimals 2 -> "1640.90". Used where the step was
 * written with trailing zeros ("0.10"). */
int lp__decimal_format_min(char **out, const mpq_t x, const mpq_t step, lp_rounding mode,
                           unsigned min_decimals);

/* Exact value as "num/den", or "num" when den is 1. lp__malloc'd (NULL +
 * LP_ENOMEM on failure). */
char *lp__rational_format(const mpq_t x);

/* Exact decimal output: when x has a finite decimal expansion of at most
 * max_decimals decimals, writes it with the fewest decimals that hold it
 * ("3.294", "-0.5", "12") into lp__malloc'd *out and returns 1. Otherwise
 * *out = NULL and returns 0 (1/3; 1/1000 with max_decimals 2). Negative
 * (LP_ENOMEM) on allocation failure. */
int lp__decimal_exact(char **out, const mpq_t x, unsigned max_decimals);

/* Rule-file rounding names: "half-up" (ties away from zero), "half-even",
 * "half-down" (ties toward zero), "up" and "ceiling" (toward +inf), "down" and
 * "floor" (toward -inf), "toward-zero", "away-from-zero", "unnecessary".
 * Case-sensitive; name[0..len) need not be NUL-terminated. LP_EPARSE for
 * anything else (the message lists the valid names); *out unchanged then. */
int lp__rounding_parse(lp_rounding *out, const char *name, size_t len);

/* Canonical name of a mode ("half-up", "half-even", "half-down", "ceiling",
 * "floor", "toward-zero", "away-from-zero", "unnecessary"); static; NULL for a
 * value outside the enum. lp__rounding_parse reads each back. */
const char *lp__rounding_name(lp_rounding mode);

/* ISO 4217 alphabetic code code[0..len) -> minor units (JPY 0, KRW 0, PHP 2,
 * USD 2, KWD 3, CLF 4 ...); -1 if unknown (or len != 3). Case-sensitive:
 * codes are upper case. Binary search over the sorted table in
 * currencies.def. */
int lp__currency_minor_units(const char *code, size_t len);

#endif
