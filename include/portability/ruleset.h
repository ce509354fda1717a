/**
 * @file portability/ruleset.h
 * @brief Rule sets: schemes and agreements loaded from XML, validated and compiled.
 * @defgroup lp_ruleset Rule sets
 *
 * A rule set is a directory of rule files (rules/README.md). Loading parses each
 * file safely (no network, no external entities, no DTD), validates it against
 * the schema, compiles every formula and checks names, types, dates and
 * citations across files. All problems are reported in one pass as a list of
 * diagnostics. A loaded rule set is immutable and may be shared by any number
 * of threads.
 * @{
 */
#ifndef PORTABILITY_RULESET_H
#define PORTABILITY_RULESET_H

#include <portability/common.h>
#include <portability/date.h>

LP_BEGIN_DECL

/** A loaded, immutable rule set. */
typedef struct lp_ruleset lp_ruleset;

/** One problem found in a rule file or a history. Read-only. */
typedef struct lp_diagnostic {
    int code;             /**< lp_error_code, e.g. LP_ESCHEMA, LP_EPARSE, LP_ECURRENCY */
    const char *file;     /**< the file (or buffer name), or NULL */
    int line;             /**< 1-based line, 0 if unknown */
    int column;           /**< 1-based column, 0 if unknown */
    const char *message;  /**< what is wrong and what was expected */
} lp_diagnostic;

/** A list of diagnostics. */
typedef struct lp_diagnostics lp_diagnostics;

/** Options for loading a rule set. Grow only at the end. */
typedef struct lp_ruleset_options {
    unsigned int version;      /**< LP_RULESET_OPTIONS_VERSION */
    size_t max_file_size;      /**< bytes per rule file; 0: the default (8 MiB) */
} lp_ruleset_options;

/** Current version of lp_ruleset_options. */
#define LP_RULESET_OPTIONS_VERSION 1
/** Static initialiser of lp_ruleset_options. */
#define LP_RULESET_OPTIONS_INIT { LP_RULESET_OPTIONS_VERSION, 0 }

/**
 * Initialise an options struct.
 * @param[out] opts the options
 * @param[in] version LP_RULESET_OPTIONS_VERSION
 * @return LP_OK or LP_EINVAL (NULL, or a version this library does not know).
 */
LP_API int lp_ruleset_options_init(lp_ruleset_options *opts, unsigned int version);

/** A rule file held in memory, for lp_ruleset_load_memory(). */
typedef struct lp_rule_buffer {
    const char *name;     /**< name used in diagnostics (e.g. the file name) */
    const char *data;     /**< the XML bytes */
    size_t size;          /**< number of bytes */
} lp_rule_buffer;

/**
 * Load every `*.xml` file below a directory (recursively, in name order).
 * @param[out] out the rule set, NULL on failure
 * @param[out] diags if not NULL, receives the list of problems (also on success,
 *             where it is empty); free with lp_diagnostics_free()
 * @param[in] dir the directory
 * @param[in] opts options, or NULL for the defaults
 * @return LP_OK; LP_ENOTFOUND or LP_EIO (directory); LP_ESCHEMA, LP_EPARSE,
 *         LP_ECURRENCY (the first problem found; all are in diags).
 *
 * Ownership: the caller owns *out and *diags.
 */
LP_API int lp_ruleset_load_dir(lp_ruleset **out, lp_diagnostics **diags, const char *dir,
                               const lp_ruleset_options *opts);

/**
 * Load the given rule files as one rule set.
 * @param[out] out the rule set, NULL on failure
 * @param[out] diags as for lp_ruleset_load_dir(), may be NULL
 * @param[in] paths file paths
 * @param[in] count number of paths
 * @param[in] opts options, or NULL
 * @return as lp_ruleset_load_dir().
 */
LP_API int lp_ruleset_load_files(lp_ruleset **out, lp_diagnostics **diags,
                                 const char *const *paths, size_t count,
                                 const lp_ruleset_options *opts);

/**
 * Load rule files held in memory as one rule set.
 * @param[out] out the rule set, NULL on failure
 * @param[out] diags as for lp_ruleset_load_dir(), may be NULL
 * @param[in] buffers the files
 * @param[in] count number of buffers
 * @param[in] opts options, or NULL
 * @return as lp_ruleset_load_dir().
 */
LP_API int lp_ruleset_load_memory(lp_ruleset **out, lp_diagnostics **diags,
                                  const lp_rule_buffer *buffers, size_t count,
                                  const lp_ruleset_options *opts);

/** Free a rule set; NULL is allowed. */
LP_API void lp_ruleset_free(lp_ruleset *rs);

/**
 * SHA-256 digest of the rule files loaded: "sha256:" and 64 hex digits.
 * The files are hashed in name order, each as its name, a NUL, its size in
 * decimal, a NUL and its bytes, so the same files give the same digest anywhere.
 * @return Borrowed: valid while rs lives. NULL if rs is NULL.
 */
LP_API const char *lp_ruleset_digest(const lp_ruleset *rs);

/** Number of schemes in the rule set. */
LP_API size_t lp_ruleset_scheme_count(const lp_ruleset *rs);
/** Id of scheme i (e.g. PH-SSS). Borrowed: valid while rs lives; NULL if out of range. */
LP_API const char *lp_ruleset_scheme_id(const lp_ruleset *rs, size_t i);
/** Number of agreements in the rule set. */
LP_API size_t lp_ruleset_agreement_count(const lp_ruleset *rs);
/** Id of agreement i (e.g. JP-PH). Borrowed: valid while rs lives; NULL if out of range. */
LP_API const char *lp_ruleset_agreement_id(const lp_ruleset *rs, size_t i);

/**
 * @name Catalogue of a loaded rule set
 * What a report needs to say about a scheme without reading the rule files:
 * its title, country and currency, and how the worker claims its benefits.
 * Every pointer returned is borrowed: valid while the rule set lives.
 * @{
 */

/**
 * Find a scheme by id.
 * @param[in] rs the rule set
 * @param[in] id a scheme id, as the rule files name it
 * @param[out] index the scheme's index (for the lp_ruleset_scheme_* calls)
 * @return LP_OK; LP_ENOTFOUND (no such scheme); LP_EINVAL (a NULL argument).
 */
LP_API int lp_ruleset_scheme_find(const lp_ruleset *rs, const char *id, size_t *index);
/** Title of scheme i, as its rule file gives it; NULL if out of range. */
LP_API const char *lp_ruleset_scheme_title(const lp_ruleset *rs, size_t i);
/** Country of scheme i (ISO 3166 alpha-2); NULL if out of range. */
LP_API const char *lp_ruleset_scheme_country(const lp_ruleset *rs, size_t i);
/** Currency of scheme i (ISO 4217, e.g. "JPY"); NULL if out of range. */
LP_API const char *lp_ruleset_scheme_currency(const lp_ruleset *rs, size_t i);

/** One claim procedure of a scheme (`<claim-procedure>`, rules/README.md §4.1). Read-only. */
typedef struct lp_claim_procedure lp_claim_procedure;

/** What a claim item tells the worker. */
typedef enum lp_claim_field {
    LP_CLAIM_OFFICE = 1,   /**< where to claim: the office or agency */
    LP_CLAIM_FORM,         /**< the form to fill in */
    LP_CLAIM_LINK,         /**< the agency's page for the claim (url set) */
    LP_CLAIM_DEADLINE,     /**< by when: a time limit, in words */
    LP_CLAIM_BRING         /**< a document or detail to bring */
} lp_claim_field;

/**
 * One cited item of a claim procedure, in one language. The rule files hold
 * the text as the agency publishes it; the library neither translates nor
 * rewrites it. Grows only at the end.
 */
typedef struct lp_claim_item {
    lp_claim_field field;      /**< what it is */
    const char *lang;          /**< its language (BCP 47, e.g. "en", "id", "fil"); "en" when the
                                    rule file gives none */
    const char *text;          /**< the text, white space trimmed; never NULL */
    const char *url;           /**< a link (the form's or the page's), or NULL */
    const char *cite;          /**< the cite attribute: source id and pinpoint */
    const char *source_title;  /**< the cited source's description */
    const char *source_url;    /**< the cited source's address, or NULL */
    const char *source_grade;  /**< the cited source's grade (A-D), or NULL */
} lp_claim_item;

/** Number of claim procedures of scheme i (0 if out of range). */
LP_API size_t lp_ruleset_claim_count(const lp_ruleset *rs, size_t scheme);
/** Claim procedure j of scheme i, in file order; NULL if out of range. */
LP_API const lp_claim_procedure *lp_ruleset_claim_at(const lp_ruleset *rs, size_t scheme,
                                                     size_t j);
/**
 * Whether a claim procedure is the one for a benefit or lump-sum option.
 * @param[in] p the procedure
 * @param[in] option a benefit id or lump-sum option id of its scheme, e.g. "withdrawal"
 * @return 1 if p names option, or names none (it is then the scheme's procedure for
 *         everything); 0 otherwise, or if an argument is NULL.
 */
LP_API int lp_claim_procedure_applies(const lp_claim_procedure *p, const char *option);
/** Number of items of a claim procedure (0 for NULL). */
LP_API size_t lp_claim_procedure_item_count(const lp_claim_procedure *p);
/** Item k of a claim procedure, in file order; NULL if out of range. */
LP_API const lp_claim_item *lp_claim_procedure_item_at(const lp_claim_procedure *p, size_t k);

/** @} */

/**
 * @name Agreements of a loaded rule set
 * Which countries and schemes an agreement binds, when it is in force, and two
 * things it does for a scheme: add a partner scheme's periods to the scheme's
 * own (a `<totalisation>` with that `<partner>`), and pay the scheme's pension
 * to residents of the other parties (an `<export>` clause). Everything is read
 * from the agreement's rule file (rules/README.md §6), as written there: the
 * library neither completes nor guesses an agreement, and a rule set that
 * holds no agreement between two countries says nothing of whether one exists
 * in the world. Agreements are numbered 0 to lp_ruleset_agreement_count() - 1,
 * as for lp_ruleset_agreement_id(). Every pointer returned is borrowed: valid
 * while the rule set lives.
 * @{
 */

/**
 * Find an agreement by id.
 * @param[out] out the agreement's index; written only on success
 * @param[in]  rs  the rule set
 * @param[in]  id  an agreement id, as its rule file names it (e.g. "JP-PH")
 * @return LP_OK; LP_ENOTFOUND (no such agreement); LP_EINVAL (a NULL argument).
 */
LP_API int lp_ruleset_agreement_find(size_t *out, const lp_ruleset *rs, const char *id);

/** Title of agreement i, as its rule file gives it; NULL if out of range. */
LP_API const char *lp_ruleset_agreement_title(const lp_ruleset *rs, size_t i);

/**
 * The dates of agreement i: when it entered into force, when it stopped, and
 * when it was signed. The agreement is in force from in-force to terminated,
 * both days included.
 * @param[out] in_force_out   the first day in force
 * @param[out] terminated_out the last day in force; {0, 0, 0} (not a valid
 *                            date: lp_date_is_valid() is 0) while the rule file
 *                            gives no end
 * @param[out] signed_out     the day it was signed; {0, 0, 0} when the rule
 *                            file gives none
 * @param[in]  rs             the rule set
 * @param[in]  i              the agreement's index
 * Each output may be NULL (not wanted); outputs are written only on success.
 * @return LP_OK; LP_EINVAL (rs NULL, or i out of range).
 */
LP_API int lp_ruleset_agreement_dates(lp_date *in_force_out, lp_date *terminated_out,
                                      lp_date *signed_out, const lp_ruleset *rs, size_t i);

/**
 * Whether agreement i is in force on a day (for a claim: its claim date), as the
 * calculation decides it: in-force <= day <= terminated.
 * @param[out] out 1 in force, 0 not (not yet, or no longer)
 * @param[in]  rs  the rule set
 * @param[in]  i   the agreement's index
 * @param[in]  day a valid date
 * @return LP_OK; LP_EINVAL (out or rs NULL, i out of range, or an invalid day).
 */
LP_API int lp_ruleset_agreement_in_force(int *out, const lp_ruleset *rs, size_t i, lp_date day);

/** Number of parties of agreement i (`<party>`, in file order); 0 if out of range. */
LP_API size_t lp_ruleset_agreement_party_count(const lp_ruleset *rs, size_t i);
/** Country of party k of agreement i (ISO 3166 alpha-2, e.g. "PH"); NULL if out of range. */
LP_API const char *lp_ruleset_agreement_party_country(const lp_ruleset *rs, size_t i, size_t k);
/** Number of schemes party k of agreement i brings into the agreement's scope; 0 if out of range. */
LP_API size_t lp_ruleset_agreement_party_scheme_count(const lp_ruleset *rs, size_t i, size_t k);
/** Scheme j of party k of agreement i (a scheme id, e.g. "PH-SSS"), in file order; NULL if out
 *  of range. */
LP_API const char *lp_ruleset_agreement_party_scheme(const lp_ruleset *rs, size_t i, size_t k,
                                                     size_t j);

/**
 * Whether agreement i binds two countries: each is the country of one of its
 * parties, and they differ.
 * @param[out] out       1 or 0
 * @param[in]  rs        the rule set
 * @param[in]  i         the agreement's index
 * @param[in]  country_a an ISO 3166 alpha-2 code
 * @param[in]  country_b another one
 * @return LP_OK; LP_EINVAL (a NULL argument, or i out of range).
 */
LP_API int lp_ruleset_agreement_binds(int *out, const lp_ruleset *rs, size_t i,
                                      const char *country_a, const char *country_b);

/**
 * Whether agreement i adds a partner scheme's periods to a scheme's own: it has a
 * `<totalisation>` for the scheme that names the partner (for some benefit of the
 * scheme; which benefits, and how the periods convert, are in the rule file).
 * Whether the periods help a given worker is the calculation's answer
 * (lp_entitlement_agreement(), lp_entitlement_totalised_periods()), not this one.
 * @param[out] out     1 or 0
 * @param[in]  rs      the rule set
 * @param[in]  i       the agreement's index
 * @param[in]  scheme  the scheme whose periods are added to, e.g. "PH-SSS"
 * @param[in]  partner the partner scheme whose periods are added, e.g. "JP-NP";
 *                     or NULL: any partner
 * @return LP_OK; LP_EINVAL (out, rs or scheme NULL, or i out of range).
 */
LP_API int lp_ruleset_agreement_totalises(int *out, const lp_ruleset *rs, size_t i,
                                          const char *scheme, const char *partner);

/**
 * Whether agreement i pays a scheme's pension to residents of its other parties
 * (an `<export>` clause for the scheme). The calculation applies it only while
 * the agreement is in force and the worker lives in a party's country
 * (lp_entitlement_export_allowed()).
 * @param[out] out    1 or 0
 * @param[in]  rs     the rule set
 * @param[in]  i      the agreement's index
 * @param[in]  scheme a scheme id
 * @return LP_OK; LP_EINVAL (a NULL argument, or i out of range).
 */
LP_API int lp_ruleset_agreement_exports(int *out, const lp_ruleset *rs, size_t i, const char *scheme);

/** @} */

/**
 * The rule set shipped with the library: the directory named by the
 * environment variable LP_RULES_DIR if set, else the installed data directory.
 * @return a path. Borrowed: static or from the environment.
 */
LP_API const char *lp_default_rules_dir(void);

/** Number of diagnostics in a list (0 for NULL). */
LP_API size_t lp_diagnostics_count(const lp_diagnostics *d);
/** Diagnostic i. Borrowed: valid while d lives; NULL if out of range. */
LP_API const lp_diagnostic *lp_diagnostics_at(const lp_diagnostics *d, size_t i);
/** Free a diagnostics list; NULL is allowed. */
LP_API void lp_diagnostics_free(lp_diagnostics *d);

LP_END_DECL

/** @} */
#endif /* PORTABILITY_RULESET_H */
