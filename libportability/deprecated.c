/* Functions kept for one release after their replacement (LP_DEPRECATED in
 * the headers), each a wrapper of the new one; delete this file at the next
 * soname bump (issue 20). */
#include "config.h"

#include <portability/calc.h>
#include <portability/errors.h>
#include <portability/history.h>
#include <portability/result.h>

LP_API const char *lp_entitlement_amount(const lp_entitlement *e, const char *kind)
{
    return lp_entitlement_amount_text(e, lp_amount_kind_from_name(kind));
}

LP_API const char *lp_entitlement_amount_exact(const lp_entitlement *e, const char *kind)
{
    return lp_entitlement_amount_exact_text(e, lp_amount_kind_from_name(kind));
}

LP_API int lp_calc_with(lp_scratchpad *pad, lp_result **out, const lp_ruleset *rs, const lp_history *h,
                        const lp_calc_options *opts)
{
    return lp_calc_with_pad(out, pad, rs, h, opts);
}

/* The end of the batch was LP_ENOTFOUND before lp_batch_read() gave it a code
 * of its own; callers written then loop until LP_ENOTFOUND. */
LP_API int lp_batch_next(lp_batch *b, lp_history **out)
{
    int rc = lp_batch_read(out, b);
    return rc == LP_ITEROVER ? LP_ENOTFOUND : rc;
}
