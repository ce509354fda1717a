/* Internal: lp_money handles made from exact values the library already holds. */
#ifndef LP_MONEY_MODEL_H
#define LP_MONEY_MODEL_H

#include <gmp.h>
#include <portability/money.h>

/* A new amount equal to q in currency (an ISO 4217 code, checked). LP_OK,
 * LP_ECURRENCY, LP_EINVAL (NULL argument), LP_ENOMEM; *out is NULL on failure.
 * Unlike lp_money_from_string(), no digit limit applies: q is already exact. */
int lp__money_from_mpq(lp_money **out, mpq_srcptr q, const char *currency);

#endif
