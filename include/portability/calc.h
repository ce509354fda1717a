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
 * Check that every name in the options is a name of the rule set: each
 * agreement to leave out an agreement id of @p rs, each lump sum taken a
 * "SCHEME/OPTION" of one of its schemes' lump-sum options. lp_calc(),
 * lp_calc_with() and lp_compare() make this check themselves; call it to
 * refuse a scenario before any career is read (a batch, a command line).
 * @param[in] rs the rule set
 * @param[in] opts the options, or NULL (nothing to check)
 * @return LP_OK; LP_EINVAL for a NULL rule set, an unknown options version,
 *         or a name the rule set does not have. The last error's message then
 *         names the unknown name and lists the known ones ("unknown agreement
 *         'XX-YY': the rule set has CA-JP, CA-KR, ..."; for a lump sum of a
 *         known scheme, that scheme's options).
 */
LP_API int lp_calc_options_check(const lp_ruleset *rs, const lp_calc_options *opts);

/**
 * Compute every entitlement of a career.
 * @param[out] out the result, NULL on failure
 * @param[in] rs the rule set (shared read-only; may be used by many threads)
 * @param[in] h the history (read only: may be computed by many threads at once)
 * @param[in] opts options, or NULL for the defaults
 * @return LP_OK; LP_EINVAL (also for an agreement or lump sum the rule set
 *         does not have: see lp_calc_options_check()); LP_ENOTFOUND (a period in a scheme the rule set does
 *         not know, a fact naming nothing, a parameter with no value on the date);
 *         LP_EDIVZERO or LP_ERANGE (reached while evaluating a formula); LP_ENOMEM.
 *         lp_error_last() names the rule file and formula, or the history line.
 *
 * Ownership: the caller owns *out (lp_result_free()). The result keeps
 * nothing of h (h may be freed first), but borrows the rule set's names,
 * formulas and citations: free rs only after the results computed with it.
 * Thread-safety: one rule set and one history may be shared by any number of
 * threads computing at once (the same history with different options, or
 * different histories), as long as no thread changes the history meanwhile
 * (lp_history_add_period() and the other builders need it to themselves).
 * The history is read, never changed: its input digest (the receipt's
 * `input-digest`) is computed by the first calculation that needs it, or
 * when it was read from a file, and kept in the history for the next ones; a
 * calculation that runs while another publishes it computes the same digest
 * itself. The publication is lock-free (an atomic once-flag), so no thread
 * ever waits for another.
 */
LP_API int lp_calc(lp_result **out, const lp_ruleset *rs, const lp_history *h,
                   const lp_calc_options *opts);

/**
 * Working memory kept from one calculation to the next: the rationals
 * lp_calc() would otherwise allocate and free on every call (a tenth to a
 * fifth of a batch's time, doc/performance.md). It holds no result and no
 * figure that outlives a call: a calculation through a pad gives exactly what
 * lp_calc() gives.
 */
typedef struct lp_scratchpad lp_scratchpad;

/**
 * A new, empty scratch pad.
 * @param[out] out the pad, NULL on failure
 * @return LP_OK, LP_EINVAL (out is NULL) or LP_ENOMEM.
 *
 * Ownership: the caller frees it with lp_scratchpad_free().
 * Thread-safety: one thread at a time; a batch keeps one pad per thread.
 */
LP_API int lp_scratchpad_new(lp_scratchpad **out);

/** Free a pad and all it holds (NULL is allowed). */
LP_API void lp_scratchpad_free(lp_scratchpad *pad);

/**
 * lp_calc() with its working memory taken from, and left in, @p pad.
 * @param[out] out the result, NULL on failure
 * @param[in,out] pad the scratch pad (not shared between threads)
 * @param[in] rs the rule set
 * @param[in] h the history
 * @param[in] opts options, or NULL
 * @return as lp_calc(); LP_EINVAL also when @p pad is NULL. On success the
 *         last error of the thread is cleared (lp_error_last()).
 *
 * The pad grows to the largest calculation it has served and keeps that size
 * (a few kilobytes) until lp_scratchpad_free().
 * Ownership: the caller owns *out (lp_result_free()).
 * Thread-safety: one pad per thread; rs and h may be shared.
 */
LP_API int lp_calc_with_pad(lp_result **out, lp_scratchpad *pad, const lp_ruleset *rs, const lp_history *h,
                            const lp_calc_options *opts);

/**
 * lp_calc_with_pad() with the out-parameter second.
 * @deprecated use lp_calc_with_pad(out, pad, …): out-parameters come first.
 */
LP_DEPRECATED("use lp_calc_with_pad(out, pad, ...)")
LP_API int lp_calc_with(lp_scratchpad *pad, lp_result **out, const lp_ruleset *rs, const lp_history *h,
                        const lp_calc_options *opts);

LP_END_DECL

/** @} */
#endif /* PORTABILITY_CALC_H */
