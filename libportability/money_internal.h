/* Internal: lp_money for the other modules (calculation, results), which work
 * on mpq_t directly and hand lp_money values to the caller. */
#ifndef LP_MONEY_INTERNAL_H
#define LP_MONEY_INTERNAL_H

#include <gmp.h>
#include <portability/money.h>

/* A new amount holding a copy of value, in currency (ISO 4217 code,
 * NUL-terminated). *out = NULL first. LP_EINVAL NULL argument, LP_ECURRENCY
 * unknown currency, LP_ENOMEM. */
int lp__money_new(lp_money **out, const mpq_t value, const char *currency);

/* The exact value of m. Borrowed: valid while m lives; never modify it (money
 * values are immutable and may be shared between threads). */
mpq_srcptr lp__money_value(const lp_money *m);

#endif
