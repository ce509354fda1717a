/**
 * @file portability/compare.h
 * @brief Scenarios: the same career under a variation, and the difference per scheme.
 * @defgroup lp_compare Scenarios and the portability gap
 *
 * The variation can remove agreements (or all of them: what the worker would
 * get with no agreement at all — the portability gap), change the residence or
 * nationality, or take lump sums (whose periods are then erased).
 * @{
 */
#ifndef PORTABILITY_COMPARE_H
#define PORTABILITY_COMPARE_H

#include <portability/calc.h>

LP_BEGIN_DECL

/** A variation of a career. Grow only at the end. */
typedef struct lp_scenario {
    unsigned int version;                  /**< LP_SCENARIO_VERSION */
    const char *residence;                 /**< another residence (ISO 3166), or NULL */
    const char *nationality;               /**< another nationality, or NULL */
    const char *const *without_agreements; /**< agreements to remove, or NULL */
    size_t nwithout_agreements;            /**< number of ids */
    int without_all_agreements;            /**< 1: remove every agreement */
    const char *const *lump_sums_taken;    /**< "SCHEME/OPTION" taken */
    size_t nlump_sums_taken;               /**< number of entries */
} lp_scenario;

/** Current version of lp_scenario. */
#define LP_SCENARIO_VERSION 1
/** Static initialiser of lp_scenario (no variation). */
#define LP_SCENARIO_INIT { LP_SCENARIO_VERSION, NULL, NULL, NULL, 0, 0, NULL, 0 }

/** Two results of one career and their differences. */
typedef struct lp_comparison lp_comparison;

/**
 * Compute a career as given (the base) and under a variation.
 * @param[out] out the comparison, NULL on failure
 * @param[in] rs the rule set
 * @param[in] h the history
 * @param[in] opts options of both calculations (their own without/taken lists
 *            are kept in the base and extended in the variant), or NULL
 * @param[in] variant the variation
 * @return LP_OK, or the error of either calculation (see lp_calc()), LP_EINVAL.
 *
 * Ownership: the caller owns *out (lp_comparison_free()).
 * Thread-safety: as lp_calc(): h is read only and may be shared.
 */
LP_API int lp_compare(lp_comparison **out, const lp_ruleset *rs, const lp_history *h,
                      const lp_calc_options *opts, const lp_scenario *variant);

/** Free a comparison; NULL is allowed. */
LP_API void lp_comparison_free(lp_comparison *c);
/** The result as given. Borrowed: valid while c lives. */
LP_API const lp_result *lp_comparison_base(const lp_comparison *c);
/** The result under the variation. Borrowed: valid while c lives. */
LP_API const lp_result *lp_comparison_variant(const lp_comparison *c);
/**
 * Number of rows: one per scheme's pension (the base's schemes in their
 * order, then any scheme only the variant has), then one per lump-sum option
 * likewise.
 *
 * The meaning of a row, the one the calculator's --compare and the Python
 * binding show: the amount of each side is what is paid, exactly as the
 * rules rounded it — a pension's payable amount (0 when nothing is payable:
 * not eligible, not covered, cannot compute), a lump sum's value where the
 * option is available (0 where it is not); the difference is variant − base,
 * computed exactly. A negative difference is what the variation loses (with
 * every agreement removed, the portability gap).
 */
LP_API size_t lp_comparison_count(const lp_comparison *c);

/**
 * Row i of a comparison, as text. Amounts are decimals rounded to the
 * currency's minor unit ("0" where nothing is paid); the difference
 * (variant − base) is computed exactly first, then rounded for display.
 * @param[in] c the comparison
 * @param[in] i the row
 * @param[out] scheme the scheme id (may be NULL)
 * @param[out] what "pension", or the lump-sum option id (may be NULL)
 * @param[out] currency (may be NULL)
 * @param[out] base the amount as given (may be NULL)
 * @param[out] variant the amount under the variation (may be NULL)
 * @param[out] difference variant − base (may be NULL)
 * @return LP_OK, or LP_EINVAL when i is out of range. Strings are borrowed from c.
 */
LP_API int lp_comparison_at(const lp_comparison *c, size_t i, const char **scheme,
                            const char **what, const char **currency, const char **base,
                            const char **variant, const char **difference);

/**
 * Row i's amounts exactly (see lp_comparison_count() for their meaning).
 * @param[in] c the comparison
 * @param[in] i the row
 * @param[out] base the amount as given (may be NULL: not wanted)
 * @param[out] variant the amount under the variation (may be NULL)
 * @param[out] difference variant − base (may be NULL)
 * @return LP_OK; LP_EINVAL when c is NULL or i out of range; LP_ENOMEM. On
 *         failure every wanted output is NULL.
 *
 * Ownership: the caller owns each amount written (lp_money_free()).
 */
LP_API int lp_comparison_money(const lp_comparison *c, size_t i, lp_money **base, lp_money **variant,
                               lp_money **difference);

/** The value of the "format" key of a comparison's JSON: its schema's version. */
#define LP_COMPARISON_JSON_FORMAT "urn:libportability:comparison:1"

/**
 * A comparison as JSON, validated by rules/portability-comparison.schema.json:
 * one object with "format" (LP_COMPARISON_JSON_FORMAT), "base" and "variant"
 * (each the document of lp_result_to_json(), rules/portability-result.schema.json)
 * and "rows", one per row of lp_comparison_at() in its order: "scheme",
 * "what" ("pension" or the lump-sum option), "currency", and "base",
 * "variant" and "difference" (variant − base), each {"value", "exact"}: the
 * decimal rounded to the currency's minor unit and the exact rational text.
 * As for results, figures are JSON strings, never numbers; consumers ignore
 * keys they do not know.
 * @param[out] out the document, UTF-8, NUL-terminated; NULL on failure. Free
 *             with lp_free().
 * @param[in] c the comparison
 * @param[in] flags 0 (indented) or LP_JSON_COMPACT (one line)
 * @return LP_OK; LP_EINVAL (out or c NULL, an unknown flag); LP_ENOMEM.
 */
LP_API int lp_comparison_to_json(char **out, const lp_comparison *c, unsigned int flags);

LP_END_DECL

/** @} */
#endif /* PORTABILITY_COMPARE_H */
