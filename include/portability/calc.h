/**
 * @file portability/calc.h
 * @brief The calculation: every country's entitlement for one career.
 * @defgroup lp_calc Calculation
 *
 * lp_calc() computes, for every scheme the worker has periods in: the
 * accumulated (independent) entitlement on the scheme's own periods, the
 * totalised entitlement under each agreement in force that covers it (the most
 * favourable chosen, all reported), and the transferable entitlements (export,
 * lump sums, provident-fund balances).
 * @{
 */
#ifndef PORTABILITY_CALC_H
#define PORTABILITY_CALC_H

#include <portability/common.h>
#include <portability/history.h>
#include <portability/result.h>
#include <portability/ruleset.h>

LP_BEGIN_DECL

/** Flags for lp_calc_options.flags. */
#define LP_CALC_TRACE 0x1u      /**< record a trace step for every figure */

/** Options of a calculation. Grow only at the end. */
typedef struct lp_calc_options {
    unsigned int version;          /**< LP_CALC_OPTIONS_VERSION */
    unsigned int flags;            /**< LP_CALC_* */
    const char *const *without_agreements; /**< agreement ids to ignore (a scenario), or NULL */
    size_t nwithout_agreements;    /**< number of ids */
    const char *const *lump_sums_taken;    /**< "SCHEME/OPTION" taken: their periods are erased */
    size_t nlump_sums_taken;       /**< number of entries */
} lp_calc_options;

/** Current version of lp_calc_options. */
#define LP_CALC_OPTIONS_VERSION 1
/** Static initialiser of lp_calc_options (trace off). */
#define LP_CALC_OPTIONS_INIT { LP_CALC_OPTIONS_VERSION, 0, NULL, 0, NULL, 0 }

/**
 * Initialise an options struct.
 * @param[out] opts the options
 * @param[in] version LP_CALC_OPTIONS_VERSION
 * @return LP_OK or LP_EINVAL.
 */
LP_API int lp_calc_options_init(lp_calc_options *opts, unsigned int version);

/**
 * Compute every entitlement of a career.
 * @param[out] out the result, NULL on failure
 * @param[in] rs the rule set (shared read-only; may be used by many threads)
 * @param[in] h the history (not shared: one thread at a time)
 * @param[in] opts options, or NULL for the defaults
 * @return LP_OK; LP_EINVAL; LP_ENOTFOUND (a period in a scheme the rule set does
 *         not know, a fact naming nothing, a parameter with no value on the date);
 *         LP_EDIVZERO or LP_ERANGE (reached while evaluating a formula); LP_ENOMEM.
 *         lp_error_last() names the rule file and formula, or the history line.
 *
 * Ownership: the caller owns *out (lp_result_free()).
 * Thread-safety: distinct histories may be computed concurrently over one rule set.
 */
LP_API int lp_calc(lp_result **out, const lp_ruleset *rs, lp_history *h,
                   const lp_calc_options *opts);

LP_END_DECL

/** @} */
#endif /* PORTABILITY_CALC_H */
