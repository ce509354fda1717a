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
#include <portability/money.h>

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

/**
 * @name The result's vocabulary
 * Each value has one name, the text the XML and JSON results write
 * (lp_status_name(LP_STATUS_NOT_ELIGIBLE) is "not-eligible"). Values are never
 * renumbered; later versions may add values at the end.
 * @{
 */
/** The outcome of an entitlement or of one of its routes. */
typedef enum lp_status {
    LP_STATUS_INVALID = -1,       /**< not a status (a NULL entitlement, an unknown name) */
    LP_STATUS_PAYABLE = 0,        /**< "payable": a pension is due */
    LP_STATUS_NOT_ELIGIBLE,       /**< "not-eligible": conditions not met */
    LP_STATUS_NOT_IN_FORCE,       /**< "not-in-force": no agreement route was in force */
    LP_STATUS_NOT_COVERED,        /**< "not-covered": the scheme has no such benefit */
    LP_STATUS_BELOW_MINIMUM,      /**< "below-minimum": under an agreement's minimum period */
    LP_STATUS_CANNOT_COMPUTE      /**< "cannot-compute": the rules cannot compute it (see lp_entitlement_error()) */
} lp_status;

/** How the amount paid was reached. */
typedef enum lp_method {
    LP_METHOD_INVALID = -1,       /**< not a method */
    LP_METHOD_INDEPENDENT = 0,    /**< "independent": the scheme's own law alone */
    LP_METHOD_PRO_RATA,           /**< "pro-rata": totalised, then the theoretical amount x own / total */
    LP_METHOD_DIRECT,             /**< "direct": totalised, the scheme's formula on the total */
    LP_METHOD_NONE                /**< "none": nothing is paid */
} lp_method;

/** The amounts an entitlement may carry. */
typedef enum lp_amount_kind {
    LP_AMOUNT_INVALID = -1,       /**< not a kind */
    LP_AMOUNT_INDEPENDENT = 0,    /**< "independent": on own periods alone */
    LP_AMOUNT_THEORETICAL,        /**< "theoretical": as if every totalised period were the scheme's */
    LP_AMOUNT_PRO_RATA,           /**< "pro-rata": theoretical x own / totalised */
    LP_AMOUNT_DIRECT,             /**< "direct": the formula on the totalised periods */
    LP_AMOUNT_PAYABLE             /**< "payable": what is paid */
} lp_amount_kind;

/** How often a benefit is paid. */
typedef enum lp_frequency {
    LP_FREQUENCY_INVALID = -1,    /**< not a frequency */
    LP_FREQUENCY_MONTHLY = 0,     /**< "monthly" */
    LP_FREQUENCY_YEARLY,          /**< "yearly" */
    LP_FREQUENCY_ONCE,            /**< "once" */
    LP_FREQUENCY_WEEKLY           /**< "weekly" (paid 52 times a year) */
} lp_frequency;

/** What a lump-sum option is (the type is not named lp_lump_sum_kind: that
 * name is the accessor lp_lump_sum_kind(), which gives the name). */
typedef enum lp_lump_sum_type {
    LP_LUMP_SUM_INVALID = -1,     /**< not a kind */
    LP_LUMP_SUM_WITHDRAWAL = 0,   /**< "withdrawal": a lump-sum withdrawal payment */
    LP_LUMP_SUM_REFUND,           /**< "refund": contributions refunded */
    LP_LUMP_SUM_BALANCE,          /**< "balance": an account's balance */
    LP_LUMP_SUM_AWARD             /**< "award": an award the employer owes when the work ends (end of service, severance) */
} lp_lump_sum_type;

/**
 * The name of a value: the text the XML and JSON results write.
 * @return a static string; NULL for an _INVALID value or one out of range.
 */
LP_API const char *lp_status_name(lp_status s);
/** The name of a method ("pro-rata"), as lp_status_name(). */
LP_API const char *lp_method_name(lp_method m);
/** The name of an amount kind ("payable"), as lp_status_name(). */
LP_API const char *lp_amount_kind_name(lp_amount_kind k);
/** The name of a frequency ("monthly"), as lp_status_name(). */
LP_API const char *lp_frequency_name(lp_frequency f);
/** The name of a lump-sum kind ("withdrawal"), as lp_status_name(). */
LP_API const char *lp_lump_sum_kind_name(lp_lump_sum_type k);
/**
 * The value of a name, the inverse of lp_status_name(): "payable" gives
 * LP_STATUS_PAYABLE. Names are matched exactly (case-sensitive).
 * @return the value, or LP_STATUS_INVALID for NULL or an unknown name.
 */
LP_API lp_status lp_status_from_name(const char *name);
/** The method of a name, or LP_METHOD_INVALID (as lp_status_from_name()). */
LP_API lp_method lp_method_from_name(const char *name);
/** The amount kind of a name, or LP_AMOUNT_INVALID (as lp_status_from_name()). */
LP_API lp_amount_kind lp_amount_kind_from_name(const char *name);
/** The frequency of a name, or LP_FREQUENCY_INVALID (as lp_status_from_name()). */
LP_API lp_frequency lp_frequency_from_name(const char *name);
/** The lump-sum kind of a name, or LP_LUMP_SUM_INVALID (as lp_status_from_name()). */
LP_API lp_lump_sum_type lp_lump_sum_kind_from_name(const char *name);
/** @} */

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
/** How often the amount is paid: "weekly", "monthly", "yearly" or "once" (the benefit's
 *  frequency in its rule file). */
LP_API const char *lp_entitlement_frequency(const lp_entitlement *e);
/**
 * "payable", "not-eligible", "not-in-force", "not-covered", "below-minimum",
 * or "cannot-compute": the rule set cannot compute this scheme for this career
 * (a parameter with no value on a date, a fact the scheme needs is missing);
 * lp_entitlement_error() says why. Every other scheme of the result stands.
 */
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
/** The entitlement's status; LP_STATUS_INVALID when e is NULL. */
LP_API lp_status lp_entitlement_status_code(const lp_entitlement *e);
/** The method of the amount paid; LP_METHOD_INVALID when e is NULL. */
LP_API lp_method lp_entitlement_method_code(const lp_entitlement *e);
/** How often the benefit is paid; LP_FREQUENCY_INVALID when e is NULL. */
LP_API lp_frequency lp_entitlement_frequency_code(const lp_entitlement *e);
/**
 * An amount by kind, as text.
 * @param[in] e the entitlement
 * @param[in] kind the amount wanted
 * @return the figure as the rules rounded it (what is paid, for
 *         LP_AMOUNT_PAYABLE), shown to the currency's minor unit (half-up);
 *         NULL if that amount was not computed, e is NULL or kind is invalid.
 *         Borrowed: valid while the result lives.
 */
LP_API const char *lp_entitlement_amount_text(const lp_entitlement *e, lp_amount_kind kind);
/**
 * An amount by kind exactly as the rules rounded it (what is paid, for
 * LP_AMOUNT_PAYABLE), as text: the decimal of lp_entitlement_amount_text()
 * when the display rounding lost nothing, else "num/den" ("6400/3" where the
 * rules do not round and 2133.33 is shown). The value of
 * lp_entitlement_amount_money(), for callers that work with text.
 * @return NULL if the amount was not computed, e is NULL or kind is invalid.
 */
LP_API const char *lp_entitlement_amount_figure_text(const lp_entitlement *e, lp_amount_kind kind);
/**
 * The exact value of an amount before any rounding, as text: before the
 * rules' own rounding (the pro-rata 3680/7 that is paid as 525.71) or the
 * display's. Equal to lp_entitlement_amount_text() when nothing was rounded
 * away. NULL if the amount was not computed.
 */
LP_API const char *lp_entitlement_amount_exact_text(const lp_entitlement *e, lp_amount_kind kind);
/**
 * An amount by kind, exactly: the figure as the rules rounded it (for
 * LP_AMOUNT_PAYABLE, what is paid), not rounded for display. Where the rules
 * do not round, this is the formula's exact value (6400/3, shown as 2133.33).
 *
 * @param[out] out the amount in the entitlement's currency; NULL on failure
 * @param[in] e the entitlement
 * @param[in] kind the amount wanted
 * @return LP_OK; LP_ENOTFOUND when that amount was not computed (nothing
 *         written but *out = NULL); LP_EINVAL (out or e NULL, kind invalid);
 *         LP_ENOMEM.
 *
 * Ownership: the caller owns *out (lp_money_free()).
 * Thread-safety: distinct threads may read the same result at once.
 */
LP_API int lp_entitlement_amount_money(lp_money **out, const lp_entitlement *e, lp_amount_kind kind);
/**
 * An amount by kind before any rounding, exactly (the pro-rata 3680/7 that
 * the rules round to 525.71): equal to lp_entitlement_amount_money() when the
 * rules did not round it. Arguments, return and ownership as
 * lp_entitlement_amount_money().
 */
LP_API int lp_entitlement_amount_unrounded_money(lp_money **out, const lp_entitlement *e,
                                                 lp_amount_kind kind);
/**
 * An amount by kind name: "independent", "theoretical", "pro-rata", "direct", "payable".
 * @deprecated use lp_entitlement_amount_text() with an lp_amount_kind.
 * @return as lp_entitlement_amount_text(); NULL for an unknown name.
 */
LP_DEPRECATED("use lp_entitlement_amount_text()")
LP_API const char *lp_entitlement_amount(const lp_entitlement *e, const char *kind);
/**
 * The exact value of an amount by kind name, as text.
 * @deprecated use lp_entitlement_amount_exact_text() with an lp_amount_kind.
 */
LP_DEPRECATED("use lp_entitlement_amount_exact_text()")
LP_API const char *lp_entitlement_amount_exact(const lp_entitlement *e, const char *kind);
/** Whether the pension may be paid in the worker's country of residence (1/0). */
LP_API int lp_entitlement_export_allowed(const lp_entitlement *e);
/** Number of routes considered (independent, then one per agreement). */
LP_API size_t lp_entitlement_route_count(const lp_entitlement *e);
/** Route i: its agreement (NULL for independent), status, method and payable amount.
 *  Each output may be NULL (not wanted). */
LP_API int lp_entitlement_route_at(const lp_entitlement *e, size_t i, const char **agreement,
                                   const char **status, const char **method, const char **payable);
/**
 * Route i's status and method as values. Each output may be NULL (not wanted).
 * @return LP_OK, or LP_EINVAL when e is NULL or i is out of range.
 */
LP_API int lp_entitlement_route_codes(const lp_entitlement *e, size_t i, lp_status *status, lp_method *method);
/**
 * Route i's payable amount exactly, as the rules rounded it (see
 * lp_entitlement_amount_money()).
 * @return LP_OK; LP_ENOTFOUND when the route pays nothing (*out = NULL);
 *         LP_EINVAL (out or e NULL, i out of range); LP_ENOMEM.
 * Ownership: the caller owns *out (lp_money_free()).
 */
LP_API int lp_entitlement_route_payable_money(lp_money **out, const lp_entitlement *e, size_t i);
/** Why route i could not be computed (its status is "cannot-compute"), or NULL. */
LP_API const char *lp_entitlement_route_error(const lp_entitlement *e, size_t i);
/**
 * Why the entitlement could not be computed (status "cannot-compute"):
 * "file:line:column: message", naming the rule file and element. NULL when it
 * was computed.
 */
LP_API const char *lp_entitlement_error(const lp_entitlement *e);
/**
 * The parts of lp_entitlement_error(): the rule file and position, and, where
 * the cause is a dated value with no value on a date, the parameter or table
 * and that date (YYYY-MM-DD); else *gap_name and *gap_date are NULL. Any out
 * pointer may be NULL.
 * @return LP_OK; LP_ENOTFOUND when the entitlement was computed (nothing is
 *         written); LP_EINVAL when e is NULL.
 */
LP_API int lp_entitlement_error_detail(const lp_entitlement *e, const char **file, int *line, int *column,
                                       const char **gap_name, const char **gap_date);
/**
 * Values held past their last published date that the figure rests on (their
 * rule says the last value holds until the next is published: after-last="hold").
 * A figure with any is provisional: it will change when the law publishes the
 * new value. 0 when the figure rests on published values only.
 */
LP_API size_t lp_entitlement_provisional_count(const lp_entitlement *e);
/**
 * Held value i: the parameter or table, the first day past its last published
 * value (YYYY-MM-DD), and that value's citation. Any out pointer may be NULL.
 * @return LP_OK, or LP_EINVAL when e is NULL or i is out of range.
 */
LP_API int lp_entitlement_provisional_at(const lp_entitlement *e, size_t i, const char **name,
                                         const char **since, const char **cite);
/** Number of trace steps (0 unless LP_CALC_TRACE). */
LP_API size_t lp_entitlement_trace_count(const lp_entitlement *e);
LP_API const lp_trace_step *lp_entitlement_trace_at(const lp_entitlement *e, size_t i);

/** Number of lump-sum options. */
LP_API size_t lp_result_lump_sum_count(const lp_result *r);
LP_API const lp_lump_sum *lp_result_lump_sum_at(const lp_result *r, size_t i);
LP_API const char *lp_lump_sum_scheme(const lp_lump_sum *l);
LP_API const char *lp_lump_sum_option(const lp_lump_sum *l);
/** The employer a lump sum per="employment" of the rules is owed by, else NULL. */
LP_API const char *lp_lump_sum_employer(const lp_lump_sum *l);
/** "withdrawal", "refund", "balance" or "award" (lp_lump_sum_kind_name() of lp_lump_sum_kind_code()). */
LP_API const char *lp_lump_sum_kind(const lp_lump_sum *l);
/** The option's kind; LP_LUMP_SUM_INVALID when l is NULL. */
LP_API lp_lump_sum_type lp_lump_sum_kind_code(const lp_lump_sum *l);
LP_API const char *lp_lump_sum_currency(const lp_lump_sum *l);
/** The amount (rounded decimal) and its exact value. */
LP_API const char *lp_lump_sum_value(const lp_lump_sum *l);
LP_API const char *lp_lump_sum_exact(const lp_lump_sum *l);
/**
 * The amount exactly (an option that is not available or could not be
 * computed is 0, as lp_lump_sum_value() says).
 * @param[out] out the amount in the option's currency; NULL on failure
 * @param[in] l the option
 * @return LP_OK; LP_EINVAL (out or l NULL); LP_ENOMEM.
 * Ownership: the caller owns *out (lp_money_free()).
 */
LP_API int lp_lump_sum_money(lp_money **out, const lp_lump_sum *l);
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
/**
 * The parts of lp_lump_sum_error(), as lp_entitlement_error_detail() gives
 * them for an entitlement: the rule file and position, and the parameter or
 * table and the date of a dated gap (else NULL). Any out pointer may be NULL.
 * @return LP_OK; LP_ENOTFOUND when the option was computed (nothing is
 *         written); LP_EINVAL when l is NULL.
 */
LP_API int lp_lump_sum_error_detail(const lp_lump_sum *l, const char **file, int *line, int *column,
                                    const char **gap_name, const char **gap_date);
LP_API size_t lp_lump_sum_condition_count(const lp_lump_sum *l);
/** Values held past their last published date that the amount rests on (see
 * lp_entitlement_provisional_count()); 0 when none. */
LP_API size_t lp_lump_sum_provisional_count(const lp_lump_sum *l);
/** Held value i, as lp_entitlement_provisional_at(). */
LP_API int lp_lump_sum_provisional_at(const lp_lump_sum *l, size_t i, const char **name,
                                      const char **since, const char **cite);
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
/**
 * Where input i of a step comes from, when it is a value of the rule set: a
 * parameter, a series' year or a table look-up. Every figure of a trace can so
 * be followed to the dated value, and the law, it rests on.
 *
 * For a parameter, `at` is the date it was read at (the claim date, or the
 * formula's `at`) and the citation is that of the value in force on it; for a
 * series, `at` is 1 January of the year read; for a table, `at` is the date of
 * the version read, `row` the band matched and the citation the version's. An
 * input that is not a rule-set value (a definition, a fact of the history, a
 * built-in name) has all five NULL, as has a field that does not apply.
 *
 * Example: the input "awi(2019)" of an AIME step gives at "2019-01-01", row
 * NULL, cite "an103 Table 1", source "an103", grade "A"; the input
 * "band_number(48)" of a lump-sum step gives row "48..53" (an open band
 * "60..", the table's default "default").
 *
 * @param[in]  s      a trace step (lp_entitlement_trace_at(), lp_lump_sum_trace_at())
 * @param[in]  i      the input's index, below lp_trace_step_input_count()
 * @param[out] at     the date read at, YYYY-MM-DD, or NULL; may be NULL (not wanted)
 * @param[out] row    the table band matched, "min..max", "min.." or "default", or NULL;
 *                    may be NULL
 * @param[out] cite   the value's cite attribute as written ("ra11199 s. 12-B"), or
 *                    NULL; may be NULL
 * @param[out] source the id of the source the cite names ("ra11199"), or NULL; may be NULL
 * @param[out] grade  that source's grade ("A" to "D"), or NULL; may be NULL
 * @return LP_OK; LP_EINVAL when s is NULL or i is out of range (outputs untouched).
 *         The strings live as long as the result.
 */
LP_API int lp_trace_step_input_source(const lp_trace_step *s, size_t i, const char **at, const char **row,
                                      const char **cite, const char **source, const char **grade);
/** @} */

/** @name The result as a whole */
/** @{ */
/** 1 when every entitlement was computed (none is "cannot-compute"); 0 otherwise or if r is NULL. */
LP_API int lp_result_complete(const lp_result *r);
/** 1 when any figure of the result is provisional (rests on a value held past its last published date). */
LP_API int lp_result_provisional(const lp_result *r);
/**
 * Notes on what the calculation did with the input that the reader must
 * know, e.g. a period that ends after the claim date, counted up to it.
 */
LP_API size_t lp_result_note_count(const lp_result *r);
/**
 * Note i: the scheme it concerns, the history line it refers to (0: none) and
 * the message. Any out pointer may be NULL.
 * @return LP_OK, or LP_EINVAL when r is NULL or i is out of range.
 */
LP_API int lp_result_note_at(const lp_result *r, size_t i, const char **scheme, int *line,
                             const char **message);
/** @} */

/**
 * The result as XML (rules/portability-result.xsd).
 * @param[out] out the document, NUL-terminated; free with lp_free()
 * @param[in] r the result
 * @return LP_OK, LP_EINVAL, LP_ENOMEM.
 */
LP_API int lp_result_to_xml(char **out, const lp_result *r);

/** lp_result_to_json() flag: one line, no spaces (one object a line: JSON Lines). */
#define LP_JSON_COMPACT 0x1u

/** The value of the "format" key of every JSON result: its schema's version. */
#define LP_RESULT_JSON_FORMAT "urn:libportability:result:1"

/**
 * The result as JSON, validated by rules/portability-result.schema.json.
 *
 * The same content as lp_result_to_xml(): one object with the receipt
 * ("history", "claim_date", "library_version", "rules_digest",
 * "input_digest"), an array "entitlements" and an array "lump_sums", each
 * XML attribute under the same name with '-' written '_' ("forfeits_periods").
 * Keys come in a fixed order, that of the XML.
 *
 * Exact text, never JSON numbers for figures: every amount, period count and
 * trace value is a JSON string holding the library's decimal or rational text
 * ("2133.33", "6400/3"), because most JSON readers turn numbers into binary
 * floats; the only JSON numbers are line and column numbers in a file. Each
 * amount carries "value" (as the rules rounded it, shown to the currency's
 * minor unit) and "exact" (before any rounding; equal to "value" when nothing
 * was rounded away, as lp_entitlement_amount_exact()). Booleans are JSON
 * booleans; a value that does not apply (no agreement) is null. Every
 * entitlement and lump sum has "provisional" (true when it rests on a value
 * held past its last published date) and "held_values" (those values); an
 * entitlement that could not be computed has "cannot_compute" (message, file,
 * line, column, parameter, date), and a route or lump sum that could not be
 * computed has "error"; the result's "notes" say what the calculation did
 * with the input that the reader must know. "trace"
 * arrays are present on every entitlement and lump sum when the result was
 * computed with LP_CALC_TRACE, and absent otherwise. Consumers must ignore
 * keys they do not know: later versions add keys (never remove or retype one)
 * without changing "format".
 *
 * @param[out] out the document, UTF-8, NUL-terminated, without a final
 *             newline; NULL on failure. Free with lp_free().
 * @param[in] r the result
 * @param[in] flags 0 (indented by two spaces, one key a line) or
 *            LP_JSON_COMPACT (one line)
 * @return LP_OK; LP_EINVAL (out or r NULL, an unknown flag); LP_ENOMEM.
 *
 * Ownership: the caller owns *out (lp_free()).
 * Thread-safety: distinct threads may write the same result at once (it is
 * only read).
 */
LP_API int lp_result_to_json(char **out, const lp_result *r, unsigned int flags);

LP_END_DECL

/** @} */
#endif /* PORTABILITY_RESULT_H */
