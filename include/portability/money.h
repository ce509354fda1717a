/**
 * @file portability/money.h
 * @brief Exact money: amounts as exact rationals tagged with an ISO 4217
 * currency, explicit rounding, and dated currency conversion.
 * @defgroup lp_money Money
 *
 * An lp_money is an immutable handle holding an exact rational amount (no
 * binary approximation anywhere) and a three-letter ISO 4217 currency code.
 * Arithmetic never changes its operands: it returns a new handle through
 * `out`, which the caller releases with lp_money_free(). Values may be shared
 * read-only between threads.
 *
 * Amounts cross the API as text:
 * - **decimal**: an optional sign, digits, an optional point and digits, as in
 *   XML Schema's xs:decimal: `"-12.345"`, `"12"`, `"+0.5"`, `".5"`, `"5."`.
 *   No exponent, no digit grouping, no spaces. `"."` alone is rejected.
 * - **rational**: `"num/den"` with an optional sign on `num` only
 *   (`"-3/4"`); `den` must not be zero.
 * - at most 64 digits in a decimal literal, and at most 64 digits on each
 *   side of a `/`; longer literals fail with LP_ERANGE. Results of arithmetic
 *   are not limited.
 *
 * Rounding is never implicit: it happens only in lp_money_round() and
 * lp_money_to_decimal_string(), with a step (any positive decimal or
 * rational, such as `"0.01"`, `"0.10"`, `"1"`, `"100"`, `"0.25"`) and an
 * lp_rounding mode.
 *
 * Known fatal cases: GMP, which holds the amounts, aborts the process when it
 * cannot allocate memory. Division by zero is checked before GMP sees it and
 * reported as LP_EDIVZERO.
 * @{
 */
#ifndef PORTABILITY_MONEY_H
#define PORTABILITY_MONEY_H

#include <portability/common.h>

LP_BEGIN_DECL

/**
 * Rounding modes. The value x is rounded to a multiple n*step of a positive
 * step. Names in parentheses are those used in rule files
 * (lp_rounding_from_string()).
 */
typedef enum lp_rounding {
    LP_ROUND_HALF_UP,        /**< nearest; ties away from zero ("half-up"): 2.5->3, -2.5->-3 */
    LP_ROUND_HALF_EVEN,      /**< nearest; ties to the even multiple ("half-even"): 2.5->2, 3.5->4 */
    LP_ROUND_HALF_DOWN,      /**< nearest; ties toward zero ("half-down"): 2.5->2, -2.5->-2 */
    LP_ROUND_CEIL,           /**< toward +infinity ("ceiling", also "up"): -2.1->-2 */
    LP_ROUND_FLOOR,          /**< toward -infinity ("floor", also "down"): -2.1->-3 */
    LP_ROUND_TOWARD_ZERO,    /**< truncate ("toward-zero"): -2.9->-2 */
    LP_ROUND_AWAY_FROM_ZERO, /**< away from zero ("away-from-zero"): -2.1->-3 */
    LP_ROUND_UNNECESSARY     /**< assert exactness ("unnecessary"): LP_EINEXACT if not a multiple */
} lp_rounding;

/** An exact amount in one currency. Opaque and immutable. */
typedef struct lp_money lp_money;

/**
 * Make an amount from text.
 *
 * @param[out] out      the new amount; NULL on failure.
 * @param[in]  amount   decimal (`"-1234.56"`) or rational (`"-3/4"`) text.
 * @param[in]  currency ISO 4217 alphabetic code, upper case (`"JPY"`).
 * @return LP_OK; LP_EPARSE for malformed text; LP_ERANGE for more than 64
 *         digits; LP_EDIVZERO for a zero denominator; LP_ECURRENCY for an
 *         unknown currency; LP_EINVAL for a NULL argument.
 *
 * Ownership: the caller owns `*out` and releases it with lp_money_free().
 */
LP_API int lp_money_from_string(lp_money **out, const char *amount, const char *currency);

/**
 * Release an amount.
 * @param[in] m the amount; NULL is allowed and does nothing.
 */
LP_API void lp_money_free(lp_money *m);

/**
 * The ISO 4217 code of an amount.
 * @param[in] m the amount.
 * @return the three-letter code, or NULL if `m` is NULL.
 *         Borrowed: valid while `m` lives.
 */
LP_API const char *lp_money_currency(const lp_money *m);

/**
 * The exact value as canonical `"num/den"` text, or `"num"` when the value is
 * an integer (`"-3/4"`, `"1234"`, `"0"`). Nothing is lost.
 *
 * @param[out] out the text; NULL on failure.
 * @param[in]  m   the amount.
 * @return LP_OK; LP_EINVAL for a NULL argument; LP_ENOMEM.
 *
 * Ownership: the caller releases `*out` with lp_free().
 */
LP_API int lp_money_to_rational_string(char **out, const lp_money *m);

/**
 * Round to a step and print in plain decimal notation.
 *
 * The number of decimals printed is the larger of the decimals written in
 * `step` and the decimals the step's value needs: `"0.01"` -> 2, `"0.10"` -> 2,
 * `"0.1"` -> 1, `"0.25"` -> 2, `"1"` and `"100"` -> 0. Zero prints without a
 * sign (`"0.00"`). Negative amounts print with a leading `-`.
 *
 * @param[out] out  the text, e.g. `"2133.33"`; NULL on failure.
 * @param[in]  m    the amount.
 * @param[in]  step the rounding step, a positive decimal or rational whose
 *                  value has a finite decimal expansion (`"1/4"` is allowed,
 *                  `"1/3"` is not).
 * @param[in]  mode the rounding mode.
 * @return LP_OK; LP_EINEXACT when `mode` is LP_ROUND_UNNECESSARY and `m` is
 *         not a multiple of `step`; LP_EINVAL for a NULL argument, a step that
 *         is not positive or has no finite decimal expansion, or an unknown
 *         mode; LP_EPARSE / LP_ERANGE / LP_EDIVZERO for malformed step text.
 *
 * Ownership: the caller releases `*out` with lp_free().
 */
LP_API int lp_money_to_decimal_string(char **out, const lp_money *m, const char *step,
                                      lp_rounding mode);

/**
 * Sum of two amounts of the same currency.
 *
 * The result keeps the exchange record (lp_money_exchange_rate() ...) only when
 * both operands carry the same one.
 * @param[out] out the sum; NULL on failure.
 * @param[in]  a   first amount.
 * @param[in]  b   second amount.
 * @return LP_OK; LP_ECURRENCY when the currencies differ; LP_EINVAL for a NULL
 *         argument.
 *
 * Ownership: the caller owns `*out` (lp_money_free()).
 */
LP_API int lp_money_add(lp_money **out, const lp_money *a, const lp_money *b);

/**
 * Difference `a - b` of two amounts of the same currency.
 *
 * The exchange record is kept as for lp_money_add().
 * @param[out] out the difference; NULL on failure.
 * @param[in]  a   minuend.
 * @param[in]  b   subtrahend.
 * @return LP_OK; LP_ECURRENCY when the currencies differ; LP_EINVAL for a NULL
 *         argument.
 *
 * Ownership: the caller owns `*out` (lp_money_free()).
 */
LP_API int lp_money_sub(lp_money **out, const lp_money *a, const lp_money *b);

/**
 * Product of an amount and an exact factor, in the amount's currency.
 *
 * @param[out] out    the product; NULL on failure.
 * @param[in]  m      the amount.
 * @param[in]  factor decimal or rational text (`"0.996"`, `"4/40"`).
 * @return LP_OK; LP_EPARSE / LP_ERANGE / LP_EDIVZERO for malformed factor
 *         text; LP_EINVAL for a NULL argument.
 *
 * Ownership: the caller owns `*out` (lp_money_free()).
 */
LP_API int lp_money_mul(lp_money **out, const lp_money *m, const char *factor);

/**
 * Quotient of an amount by an exact divisor, in the amount's currency.
 *
 * @param[out] out     the quotient; NULL on failure.
 * @param[in]  m       the amount.
 * @param[in]  divisor decimal or rational text (`"12"`, `"480"`).
 * @return LP_OK; LP_EDIVZERO when the divisor is zero (or has a zero
 *         denominator); LP_EPARSE / LP_ERANGE for malformed text; LP_EINVAL
 *         for a NULL argument.
 *
 * Ownership: the caller owns `*out` (lp_money_free()).
 */
LP_API int lp_money_div(lp_money **out, const lp_money *m, const char *divisor);

/**
 * The opposite of an amount.
 *
 * @param[out] out `-m`; NULL on failure.
 * @param[in]  m   the amount.
 * @return LP_OK; LP_EINVAL for a NULL argument.
 *
 * Ownership: the caller owns `*out` (lp_money_free()).
 */
LP_API int lp_money_neg(lp_money **out, const lp_money *m);

/**
 * Round an amount to a multiple of a step, exactly.
 *
 * @param[out] out  the rounded amount; NULL on failure.
 * @param[in]  m    the amount.
 * @param[in]  step positive decimal or rational text (`"0.10"`, `"100"`,
 *                  `"1/3"`).
 * @param[in]  mode the rounding mode.
 * @return LP_OK; LP_EINEXACT when `mode` is LP_ROUND_UNNECESSARY and `m` is
 *         not a multiple of `step`; LP_EINVAL for a NULL argument, a step that
 *         is not positive, or an unknown mode; LP_EPARSE / LP_ERANGE /
 *         LP_EDIVZERO for malformed step text.
 *
 * Ownership: the caller owns `*out` (lp_money_free()).
 */
LP_API int lp_money_round(lp_money **out, const lp_money *m, const char *step,
                          lp_rounding mode);

/**
 * Compare two amounts of the same currency.
 *
 * @param[out] out -1, 0 or 1 as `a` is less than, equal to or greater than
 *                 `b`; left unchanged on failure.
 * @param[in]  a   first amount.
 * @param[in]  b   second amount.
 * @return LP_OK; LP_ECURRENCY when the currencies differ; LP_EINVAL for a NULL
 *         argument.
 */
LP_API int lp_money_compare(int *out, const lp_money *a, const lp_money *b);

/**
 * Whether an amount is exactly zero.
 * @param[in] m the amount.
 * @return 1 if zero, else 0. A NULL `m` returns 0 and sets the last error to
 *         LP_EINVAL.
 */
LP_API int lp_money_is_zero(const lp_money *m);

/**
 * The sign of an amount.
 * @param[in] m the amount.
 * @return -1, 0 or 1. A NULL `m` returns 0 and sets the last error to
 *         LP_EINVAL.
 */
LP_API int lp_money_sign(const lp_money *m);

/**
 * Parse a rule-file rounding name.
 *
 * Accepted: `"half-up"`, `"half-even"`, `"half-down"`, `"ceiling"` and
 * `"up"` (both LP_ROUND_CEIL), `"floor"` and `"down"` (both LP_ROUND_FLOOR),
 * `"toward-zero"`, `"away-from-zero"`, `"unnecessary"`. Case-sensitive.
 * @param[out] out  the mode; unchanged on failure.
 * @param[in]  name the name.
 * @return LP_OK; LP_EPARSE for an unknown name (the message lists the valid
 *         ones); LP_EINVAL for a NULL argument.
 */
LP_API int lp_rounding_from_string(lp_rounding *out, const char *name);

/**
 * The canonical name of a rounding mode (`"half-up"`, `"ceiling"`,
 * `"floor"` ...), which lp_rounding_from_string() reads back.
 * @param[in] mode the mode.
 * @return a static string, or NULL for a value outside lp_rounding.
 */
LP_API const char *lp_rounding_to_string(lp_rounding mode);

/**
 * The minor units (decimal places) of an ISO 4217 currency: 0 for JPY and
 * KRW, 2 for USD and PHP, 3 for KWD.
 * @param[out] out  the number of decimals; set to -1 on failure.
 * @param[in]  code ISO 4217 alphabetic code, upper case.
 * @return LP_OK; LP_ECURRENCY for an unknown code; LP_EINVAL for a NULL
 *         argument.
 */
LP_API int lp_currency_minor_units(int *out, const char *code);

/**
 * Convert an amount to another currency at a dated exchange rate, exactly.
 *
 * The result is `m * rate` in `to_currency`, and records the rate, its date
 * and the original currency (lp_money_exchange_rate(),
 * lp_money_exchange_date(), lp_money_exchange_from()). Converting an amount
 * that was itself converted replaces the record. Nothing is rounded.
 *
 * @param[out] out         the converted amount; NULL on failure.
 * @param[in]  m           the amount.
 * @param[in]  to_currency ISO 4217 code of the target currency, different
 *                         from `m`'s.
 * @param[in]  rate        units of `to_currency` per one unit of `m`'s
 *                         currency, as decimal or rational text; must be > 0.
 * @param[in]  rate_date   the rate's date, `YYYY-MM-DD` (year 0001-9999).
 * @return LP_OK; LP_ECURRENCY for an unknown target currency; LP_EPARSE for a
 *         malformed rate or date; LP_ERANGE for a date that does not exist
 *         (`2025-02-30`) or a rate with more than 64 digits; LP_EINVAL for a
 *         NULL argument, a rate that is not positive, or a target currency
 *         equal to the source; LP_EDIVZERO for a zero denominator in the rate.
 *
 * Ownership: the caller owns `*out` (lp_money_free()).
 */
LP_API int lp_money_convert(lp_money **out, const lp_money *m, const char *to_currency,
                            const char *rate, const char *rate_date);

/**
 * The exchange rate an amount was converted at, as exact text: plain decimal
 * when the rate has a finite decimal expansion (`"0.0065"`), else `"num/den"`.
 * @param[in] m the amount.
 * @return the rate, or NULL when `m` was not converted (or is NULL).
 *         Borrowed: valid while `m` lives.
 */
LP_API const char *lp_money_exchange_rate(const lp_money *m);

/**
 * The date of the exchange rate an amount was converted at.
 * @param[in] m the amount.
 * @return `"YYYY-MM-DD"`, or NULL when `m` was not converted (or is NULL).
 *         Borrowed: valid while `m` lives.
 */
LP_API const char *lp_money_exchange_date(const lp_money *m);

/**
 * The currency an amount was converted from.
 * @param[in] m the amount.
 * @return the ISO 4217 code, or NULL when `m` was not converted (or is NULL).
 *         Borrowed: valid while `m` lives.
 */
LP_API const char *lp_money_exchange_from(const lp_money *m);

LP_END_DECL

/** @} */
#endif /* PORTABILITY_MONEY_H */
