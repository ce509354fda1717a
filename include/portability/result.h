/**
 * @file portability/result.h
 * @brief The result of a calculation: entitlements, lump sums, trace, receipt.
 * @defgroup lp_result Results
 *
 * Everything here is read-only and borrowed from the lp_result: valid while the
 * result lives. Amounts are given as decimal strings rounded as the rules say
 * (to the currency's minor unit otherwise) and as exact rationals "num/den".
 * @{
 */
#ifndef PORTABILITY_RESULT_H
#define PORTABILITY_RESULT_H

#include <portability/common.h>

LP_BEGIN_DECL

/** The result of lp_calc(). */
typedef struct lp_result lp_result;
/** One entitlement: a scheme and a benefit. */
typedef struct lp_entitlement lp_entitlement;
/** One lump-sum or balance option of a scheme. */
typedef struct lp_lump_sum lp_lump_sum;
/** One step of a trace. */
typedef struct lp_trace_step lp_trace_step;

/** Free a result; NULL is allowed. */
LP_API void lp_result_free(lp_result *r);

/** @name Receipt: what reproduces this result */
/** @{ */
LP_API const char *lp_result_history_id(const lp_result *r);
LP_API const char *lp_result_claim_date(const lp_result *r);
LP_API const char *lp_result_library_version(const lp_result *r);
LP_API const char *lp_result_rules_digest(const lp_result *r);
LP_API const char *lp_result_input_digest(const lp_result *r);
/** @} */

/** Number of entitlements. */
LP_API size_t lp_result_entitlement_count(const lp_result *r);
/** Entitlement i, or NULL. Borrowed: valid while r lives. */
LP_API const lp_entitlement *lp_result_entitlement_at(const lp_result *r, size_t i);
/** The entitlement of a scheme (for the claimed benefit), or NULL. */
LP_API const lp_entitlement *lp_result_entitlement_find(const lp_result *r, const char *scheme);

LP_API const char *lp_entitlement_scheme(const lp_entitlement *e);
LP_API const char *lp_entitlement_benefit(const lp_entitlement *e);
LP_API const char *lp_entitlement_currency(const lp_entitlement *e);
LP_API const char *lp_entitlement_frequency(const lp_entitlement *e);
/** "payable", "not-eligible", "not-in-force", "not-covered" or "below-minimum". */
LP_API const char *lp_entitlement_status(const lp_entitlement *e);
/** "independent", "pro-rata", "direct" or "none". */
LP_API const char *lp_entitlement_method(const lp_entitlement *e);
/** The agreement applied, or NULL. */
LP_API const char *lp_entitlement_agreement(const lp_entitlement *e);
/** Own and totalised periods in the scheme's unit (exact rationals as text), and the unit. */
LP_API const char *lp_entitlement_own_periods(const lp_entitlement *e);
LP_API const char *lp_entitlement_totalised_periods(const lp_entitlement *e);
LP_API const char *lp_entitlement_unit(const lp_entitlement *e);
/** Eligibility on own periods alone, and with totalisation (1/0). */
LP_API int lp_entitlement_eligible_alone(const lp_entitlement *e);
LP_API int lp_entitlement_eligible_totalised(const lp_entitlement *e);
/**
 * An amount by kind: "independent", "theoretical", "pro-rata", "direct", "payable".
 * @return the figure as the rules rounded it (what is paid, for "payable"),
 *         shown to the currency's minor unit; NULL if that amount was not computed.
 */
LP_API const char *lp_entitlement_amount(const lp_entitlement *e, const char *kind);
/**
 * The exact value of an amount before any rounding: before the rules' own
 * rounding (the pro-rata 3680/7 that is paid as 525.71) or the display's.
 * Equal to lp_entitlement_amount() when nothing was rounded away. NULL if the
 * amount was not computed.
 */
LP_API const char *lp_entitlement_amount_exact(const lp_entitlement *e, const char *kind);
/** Whether the pension may be paid in the worker's country of residence (1/0). */
LP_API int lp_entitlement_export_allowed(const lp_entitlement *e);
/** Number of routes considered (independent, then one per agreement). */
LP_API size_t lp_entitlement_route_count(const lp_entitlement *e);
/** Route i: its agreement (NULL for independent), status, method and payable amount.
 *  Each output may be NULL (not wanted). */
LP_API int lp_entitlement_route_at(const lp_entitlement *e, size_t i, const char **agreement,
                                   const char **status, const char **method, const char **payable);
/** Number of trace steps (0 unless LP_CALC_TRACE). */
LP_API size_t lp_entitlement_trace_count(const lp_entitlement *e);
LP_API const lp_trace_step *lp_entitlement_trace_at(const lp_entitlement *e, size_t i);

/** Number of lump-sum options. */
LP_API size_t lp_result_lump_sum_count(const lp_result *r);
LP_API const lp_lump_sum *lp_result_lump_sum_at(const lp_result *r, size_t i);
LP_API const char *lp_lump_sum_scheme(const lp_lump_sum *l);
LP_API const char *lp_lump_sum_option(const lp_lump_sum *l);
/** "withdrawal", "refund" or "balance". */
LP_API const char *lp_lump_sum_kind(const lp_lump_sum *l);
LP_API const char *lp_lump_sum_currency(const lp_lump_sum *l);
/** The amount (rounded decimal) and its exact value. */
LP_API const char *lp_lump_sum_value(const lp_lump_sum *l);
LP_API const char *lp_lump_sum_exact(const lp_lump_sum *l);
/** 1 when every condition is met. */
LP_API int lp_lump_sum_available(const lp_lump_sum *l);
/** 1 when taking it erases the periods it pays for. */
LP_API int lp_lump_sum_forfeits_periods(const lp_lump_sum *l);
/**
 * Why the option could not be computed for this career ("file:line:column:
 * message": a rate with no value on a date, a missing fact), or NULL. Such an
 * option is reported unavailable with value 0; the rest of the result stands.
 */
LP_API const char *lp_lump_sum_error(const lp_lump_sum *l);
LP_API size_t lp_lump_sum_condition_count(const lp_lump_sum *l);
/** Condition i: its id, whether met, and its citation. Each output may be NULL (not wanted). */
LP_API int lp_lump_sum_condition_at(const lp_lump_sum *l, size_t i, const char **id, int *met,
                                    const char **cite);
LP_API size_t lp_lump_sum_trace_count(const lp_lump_sum *l);
LP_API const lp_trace_step *lp_lump_sum_trace_at(const lp_lump_sum *l, size_t i);

/** @name Trace steps */
/** @{ */
/** The rule, e.g. "PH-SSS/old-age/amount[theoretical]". */
LP_API const char *lp_trace_step_rule(const lp_trace_step *s);
/** The formula text as written in the rule file. */
LP_API const char *lp_trace_step_formula(const lp_trace_step *s);
/** The value computed (exact, as text). */
LP_API const char *lp_trace_step_value(const lp_trace_step *s);
/** The citation ("ra11199 s. 12-B"), the source's title and URL (may be NULL). */
LP_API const char *lp_trace_step_cite(const lp_trace_step *s);
LP_API const char *lp_trace_step_source_title(const lp_trace_step *s);
LP_API const char *lp_trace_step_source_url(const lp_trace_step *s);
/** Inputs of the step: names and values. */
LP_API size_t lp_trace_step_input_count(const lp_trace_step *s);
/** Input i of the step: its name and value. Each output may be NULL (not wanted). */
LP_API int lp_trace_step_input_at(const lp_trace_step *s, size_t i, const char **name, const char **value);
/** @} */

/**
 * The result as XML (rules/portability-result.xsd).
 * @param[out] out the document, NUL-terminated; free with lp_free()
 * @param[in] r the result
 * @return LP_OK, LP_EINVAL, LP_ENOMEM.
 */
LP_API int lp_result_to_xml(char **out, const lp_result *r);

LP_END_DECL

/** @} */
#endif /* PORTABILITY_RESULT_H */
