/**
 * @file portability/history.h
 * @brief A worker's history: person, claim, periods with earnings, facts.
 * @defgroup lp_history Histories
 *
 * Loaded from XML (rules/portability-history.xsd, namespace
 * urn:libportability:history:1) or built through this API. A batch document
 * (`<histories>`) or a directory of files is read one history at a time with
 * lp_batch_*, so memory does not grow with the batch.
 *
 * Threads: a history may be read (the getters) and computed (lp_calc(),
 * lp_compare(), which take it const) by several threads at once; the
 * builders (lp_history_add_*) need it to themselves, with no calculation of
 * it running.
 * @{
 */
#ifndef PORTABILITY_HISTORY_H
#define PORTABILITY_HISTORY_H

#include <portability/common.h>
#include <portability/date.h>
#include <portability/money.h>

LP_BEGIN_DECL

/** A worker history. */
typedef struct lp_history lp_history;

/**
 * Load one history from a file.
 * @param[out] out the history, NULL on failure
 * @param[in] path the file
 * @return LP_OK; LP_ENOTFOUND or LP_EIO (file); LP_EPARSE (malformed XML, a bad
 *         date, amount or period); LP_ESCHEMA (does not follow the schema);
 *         LP_ERANGE (too large, too many digits). lp_error_last() has the file,
 *         line and column.
 */
LP_API int lp_history_load_file(lp_history **out, const char *path);

/**
 * Load one history from memory.
 * @param[out] out the history, NULL on failure
 * @param[in] name name used in error messages
 * @param[in] data the XML bytes
 * @param[in] size number of bytes
 * @return as lp_history_load_file().
 */
LP_API int lp_history_load_memory(lp_history **out, const char *name, const char *data, size_t size);

/**
 * Start a history through the API (no XML).
 * @param[out] out the history
 * @param[in] id case id
 * @param[in] birth_date ISO date
 * @param[in] nationality ISO 3166 alpha-2
 * @param[in] residence ISO 3166 alpha-2
 * @param[in] claim_date ISO date
 * @param[in] benefit claimed benefit, e.g. "old-age", or NULL (old-age)
 * @return LP_OK, LP_EINVAL (NULL, bad country code), LP_EPARSE (bad date), LP_ENOMEM.
 */
LP_API int lp_history_new(lp_history **out, const char *id, const char *birth_date,
                          const char *nationality, const char *residence,
                          const char *claim_date, const char *benefit);

/**
 * Add a period.
 * @param[in,out] h the history
 * @param[in] scheme scheme id, e.g. PH-SSS
 * @param[in] from first day, ISO
 * @param[in] to last day, ISO (inclusive)
 * @param[in] kind contribution, employment, self-employment, voluntary, residence, credited or exempt,
 *            or NULL (unspecified)
 * @param[in] earnings amount per `per`, decimal or num/den, or NULL
 * @param[in] per "month" or "year" (ignored without earnings). "year": the amount is
 *                 the period's earnings in each calendar year it covers (a 6-month
 *                 period within one year earned that amount over its 6 months); a
 *                 period crossing 1 January must then run from 1 January to 31 December
 * @param[in] currency ISO 4217 of the earnings, or NULL
 * @return LP_OK, LP_EINVAL, LP_EPARSE (bad date, a period ending before it starts,
 *         unknown kind, a negative or malformed amount), LP_ECURRENCY, LP_ERANGE.
 */
LP_API int lp_history_add_period(lp_history *h, const char *scheme, const char *from,
                                 const char *to, const char *kind, const char *earnings,
                                 const char *per, const char *currency);

/**
 * Add a fact: a scheme-specific figure given directly (an AIME, an average
 * salary credit), overriding what the rules would derive.
 * @param[in,out] h the history
 * @param[in] scheme scheme id
 * @param[in] name the rule name it gives (an input or definition of the scheme)
 * @param[in] value the value as text (decimal, num/den, ISO date, true/false or text)
 * @param[in] currency ISO 4217 for money, or NULL
 * @return LP_OK, LP_EINVAL, LP_ECURRENCY, LP_ENOMEM.
 */
LP_API int lp_history_add_fact(lp_history *h, const char *scheme, const char *name,
                               const char *value, const char *currency);

/**
 * Add an employment: a period (kind employment) of a scheme with its employer,
 * how the work ended and the last monthly wage, for the awards a labour law
 * computes per employer (a lump sum per="employment" of the rules). The periods
 * of one scheme with the same employer are one employment; its end and wage
 * are those of the latest.
 * @param[in,out] h the history
 * @param[in] scheme scheme id
 * @param[in] employer the employer's name (any text)
 * @param[in] from first day, ISO
 * @param[in] to last day, ISO (inclusive)
 * @param[in] ends why the work ended (resignation, dismissal, contract-end, ...: the words
 *            of the scheme's rules), or NULL
 * @param[in] basic_wage the last monthly basic wage, decimal or num/den, or NULL
 * @param[in] allowances the last month's allowances on top of it, or NULL
 * @param[in] currency ISO 4217 of the wage (needed with a wage)
 * @return LP_OK, LP_EINVAL, LP_EPARSE, LP_ECURRENCY, LP_ERANGE, LP_ENOMEM.
 */
LP_API int lp_history_add_employment(lp_history *h, const char *scheme, const char *employer,
                                     const char *from, const char *to, const char *ends,
                                     const char *basic_wage, const char *allowances, const char *currency);

/**
 * Add a dated balance: what a provident fund held for the worker on a date (the
 * fund's statement). The rules grow it from that date (contributions_with_interest
 * with `opening: balance`) and count only the contributions after it.
 * @param[in,out] h the history
 * @param[in] scheme scheme id, e.g. a provident fund
 * @param[in] date ISO date of the balance (the day it was held, e.g. 31 December)
 * @param[in] amount decimal or num/den, not negative
 * @param[in] currency ISO 4217 (the scheme's own: another is an error of the calculation)
 * @return LP_OK, LP_EINVAL, LP_EPARSE, LP_ECURRENCY, LP_ERANGE, LP_ENOMEM.
 */
LP_API int lp_history_add_balance(lp_history *h, const char *scheme, const char *date, const char *amount,
                                  const char *currency);

/**
 * A copy of a history with another residence and/or nationality (for scenarios).
 * @param[out] out the copy
 * @param[in] h the history
 * @param[in] residence new residence, or NULL to keep
 * @param[in] nationality new nationality, or NULL to keep
 * @return LP_OK, LP_EINVAL, LP_ENOMEM.
 */
LP_API int lp_history_with(lp_history **out, const lp_history *h, const char *residence,
                           const char *nationality);

/** Free a history; NULL is allowed. */
LP_API void lp_history_free(lp_history *h);
/** Case id. Borrowed: valid while h lives. */
LP_API const char *lp_history_id(const lp_history *h);
/** File the history was read from, or NULL. Borrowed. */
LP_API const char *lp_history_file(const lp_history *h);
/** Birth date, ISO 8601. Borrowed: valid while h lives; NULL for NULL. */
LP_API const char *lp_history_birth_date(const lp_history *h);
/** Claim date, ISO 8601. Borrowed: valid while h lives. */
LP_API const char *lp_history_claim_date(const lp_history *h);
/** The benefit claimed ("old-age"). Borrowed: valid while h lives. */
LP_API const char *lp_history_benefit(const lp_history *h);
/** Nationality, ISO 3166 alpha-2. Borrowed: valid while h lives. */
LP_API const char *lp_history_nationality(const lp_history *h);
/** Country of residence, ISO 3166 alpha-2. Borrowed: valid while h lives. */
LP_API const char *lp_history_residence(const lp_history *h);
/** Number of periods. */
LP_API size_t lp_history_period_count(const lp_history *h);

/**
 * Read period i of a history, in the order the periods were read or added
 * (not sorted, not merged: as given).
 *
 * @param[in]  h      the history.
 * @param[in]  i      the index, 0 to lp_history_period_count() - 1.
 * @param[out] scheme the scheme id. Borrowed: valid while h lives.
 * @param[out] from   the first day.
 * @param[out] to     the last day (inclusive).
 * @param[out] kind   `"contribution"`, `"employment"`, `"self-employment"`,
 *                    `"voluntary"`, `"residence"`, `"credited"` or `"exempt"`.
 *                    Static text.
 * Any output may be NULL when not wanted; outputs are written only on success.
 * @return LP_OK; LP_EINVAL for a NULL history or i out of range.
 */
LP_API int lp_history_period_at(const lp_history *h, size_t i, const char **scheme,
                                lp_date *from, lp_date *to, const char **kind);

/**
 * The earnings of period i, per month.
 *
 * Earnings given per year are a calendar year's stated total, spread over the
 * period's months in that year, exactly: `"30000"` per year on a whole year
 * reads back as 2500 per month, `"1000"` per year on January and February as
 * 500. The currency is the one given with the earnings.
 *
 * @param[out] out the monthly earnings, or NULL when the period has none.
 * @param[in]  h   the history.
 * @param[in]  i   the index, 0 to lp_history_period_count() - 1.
 * @return LP_OK (*out is NULL for a period without earnings); LP_EINVAL for a
 *         NULL argument or i out of range; LP_ENOMEM.
 *
 * Ownership: the caller owns `*out` and releases it with lp_money_free().
 */
LP_API int lp_history_period_earnings(lp_money **out, const lp_history *h, size_t i);

/** Number of facts (lp_history_add_fact(), `<fact>` elements). 0 for NULL. */
LP_API size_t lp_history_fact_count(const lp_history *h);

/**
 * Read fact i of a history, in the order the facts were read or added.
 *
 * @param[in]  h        the history.
 * @param[in]  i        the index, 0 to lp_history_fact_count() - 1.
 * @param[out] scheme   the scheme id.
 * @param[out] name     the rule name the fact gives.
 * @param[out] value    the value as given (decimal, num/den, ISO date,
 *                      true/false or text).
 * @param[out] currency the ISO 4217 code given with it, or NULL when none was.
 * Text outputs are borrowed: valid while h lives. Any output may be NULL when
 * not wanted; outputs are written only on success.
 * @return LP_OK; LP_EINVAL for a NULL history or i out of range.
 */
LP_API int lp_history_fact_at(const lp_history *h, size_t i, const char **scheme,
                              const char **name, const char **value, const char **currency);

/** A stream of histories: a batch document, a single history file, or a directory. */
typedef struct lp_batch lp_batch;

/**
 * Open a batch: a `<histories>` document (read as a stream), a single
 * `<history>` file, or a directory of such files (in name order).
 * @param[out] out the batch
 * @param[in] path file or directory
 * @return LP_OK, LP_ENOTFOUND, LP_EIO, LP_ENOMEM.
 */
LP_API int lp_batch_open(lp_batch **out, const char *path);

/**
 * The next history of a batch.
 * @param[out] out the history (caller owns it: lp_history_free()), NULL at
 *             the end or on error
 * @param[in,out] b the batch
 * @return LP_OK with *out set (the last error of the thread cleared);
 *         LP_ITEROVER at the end of the batch, and on every call after it; or the error
 *         of this record (lp_error_last() names its file and line, and the
 *         message starts "history 'ID': " when the record has an id) — the
 *         batch goes on with the next record on the next call.
 *
 * Every complete record before a fault is returned: a stream cut short, or a
 * record whose tags do not balance, ends with one error after them. In a
 * directory, a name ending in ".XML" (another case) or a dangling link is an
 * error (LP_EIO) in its place, never skipped.
 */
LP_API int lp_batch_read(lp_history **out, lp_batch *b);

/**
 * lp_batch_read() with the out-parameter second, and LP_ENOTFOUND (not
 * LP_ITEROVER) at the end of the batch.
 * @deprecated use lp_batch_read(out, b) and test for LP_ITEROVER.
 */
LP_DEPRECATED("use lp_batch_read(out, b); the end is LP_ITEROVER")
LP_API int lp_batch_next(lp_batch *b, lp_history **out);

/**
 * The id of the record lp_batch_read() last read, also of one it could not
 * load (an error row can then name its case).
 * @param[in] b the batch
 * @return the id (for a file that could not be loaded, read from the file's
 *         root element), or NULL when it could not be read (malformed XML, no
 *         id attribute). Borrowed: valid until the next lp_batch_read() or
 *         lp_batch_free().
 */
LP_API const char *lp_batch_record_id(const lp_batch *b);

/** Free a batch; NULL is allowed. */
LP_API void lp_batch_free(lp_batch *b);

LP_END_DECL

/** @} */
#endif /* PORTABILITY_HISTORY_H */
