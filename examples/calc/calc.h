/* portability-calc: declarations shared by the calculator's files.
 * The calculator uses only the public headers of libportability (and libxml2 /
 * libxslt for reading rule-file titles, building report documents and the
 * HTML stylesheet). No binary floating point holds an amount anywhere: amounts are
 * lp_money values or the library's decimal strings. */
#ifndef PORTABILITY_CALC_EXAMPLE_H
#define PORTABILITY_CALC_EXAMPLE_H

#include <stddef.h>
#include <stdio.h>

#include <portability.h>

/* Exit statuses (DESIGN.md §9). */
#define CALC_EXIT_OK 0
#define CALC_EXIT_INPUT 1
#define CALC_EXIT_USAGE 2
#define CALC_EXIT_PARTIAL 3    /* the report was written, but a scheme could not be computed */

/* ------------------------------------------------------------ scenario */

/* A variation of a career (--compare, or the scenario of a report). */
typedef struct calc_scenario {
    const char *without[64];        /* agreement ids ignored */
    size_t nwithout;
    const char *lump_sums[16];      /* "SCHEME/OPTION" taken */
    size_t nlump_sums;
    const char *residence;          /* another residence, or NULL */
    const char *nationality;        /* another nationality, or NULL */
    int all_agreements_off;         /* ignore every agreement of the rule set */
} calc_scenario;

/* Run one scenario: *out is the result (lp_result_free). trace: LP_CALC_TRACE.
 * pad: the thread's scratch pad (a batch keeps one per thread), or NULL.
 * Returns LP_OK or the library's error (lp_error_last() has the detail). */
int calc_run(lp_result **out, const lp_ruleset *rs, const lp_history *h,
             const calc_scenario *sc, int trace, lp_scratchpad *pad);
/* Refuse a scenario naming an agreement or lump sum the rule set does not
 * have, printing the known names: CALC_EXIT_USAGE, else CALC_EXIT_OK. */
int calc_scenario_check(const lp_ruleset *rs, const calc_scenario *sc);
/* A one-line description of a scenario ("as given", "without agreement JP-PH"). */
void calc_scenario_label(char *buf, size_t cap, const calc_scenario *sc);

/* ------------------------------------------------------------ rules */

/* Where the rule set is: --rules, else LP_RULES_DIR / the installed data
 * directory, else the rules/ of the source tree (uninstalled runs). */
const char *calc_rules_dir(const char *given);
/* Load a rule set, printing every diagnostic as file:line:column: message.
 * Returns LP_OK or the error. */
int calc_load_rules(lp_ruleset **out, const char *dir);
/* --check-rules. Returns an exit status. */
int calc_check_rules(const char *dir);

/* Titles and countries of the schemes and agreements, read from the rule
 * files (the library gives ids only). */
typedef struct calc_catalogue calc_catalogue;
calc_catalogue *calc_catalogue_load(const char *dir);
void calc_catalogue_free(calc_catalogue *c);
const char *calc_scheme_title(const calc_catalogue *c, const char *id);
/* The scheme's country (ISO 3166 alpha-2), "" if unknown. */
const char *calc_scheme_country(const calc_catalogue *c, const char *id);
const char *calc_agreement_title(const calc_catalogue *c, const char *id);
/* The English name of a country (rules/countries.xml), or code when unknown. */
const char *calc_country_english(const calc_catalogue *c, const char *code);
/* Whether the country's name takes "the" in running English (countries.xml
 * article="the": "the Philippines"). */
int calc_country_takes_the(const calc_catalogue *c, const char *code);

/* ------------------------------------------------------------ language (i18n.c) */

#include <libintl.h>
#define _(s) gettext(s)
#define N_(s) (s)

/* Choose the report's language (lang, or NULL for LC_ALL / LC_MESSAGES / LANG)
 * and bind the catalogues; call once before any output. */
void calc_i18n_init(const char *lang);
/* The report's language ("en", "id", "fil"). */
const char *calc_lang(void);
/* 2 or 3 lower-case letters: 1, else 0. */
int calc_lang_valid(const char *lang);
/* A country's name in the report's language (iso-codes), English if untranslated. */
const char *calc_country_name(const calc_catalogue *c, const char *code);
/* The country's name inside a sentence, in the report's language: "the
 * Philippines" in English. Valid until four more calls on this thread. */
const char *calc_country_in_text(const calc_catalogue *c, const char *code);
/* A decimal string grouped, with the language's separators: "1234567.5" ->
 * "1,234,567.5" in English, "1.234.567,5" in Indonesian. */
void calc_number_words(char *buf, size_t cap, const char *decimal);
/* An ISO date in words: "2025-06-01" -> "1 June 2025" / "1 Juni 2025". */
void calc_date_words(char *buf, size_t cap, const char *iso);

/* ------------------------------------------------------------ the worker */

/* What the report shows of the history file (the library keeps these private). */
typedef struct calc_person {
    char birth_date[16], nationality[4], residence[4], claim_date[16], benefit[32];
} calc_person;
/* Read the person and claim of a history file; 0 ok, -1 not readable. */
int calc_person_read(calc_person *out, const char *path);

/* ------------------------------------------------------------ errors */

/* Print lp_error_last() as one line: file:line:column: message. */
void calc_print_error(void);
/* Print a usage error (one line) and return CALC_EXIT_USAGE. */
int calc_usage_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* ------------------------------------------------------------ money */

/* An amount's per-year equivalent: monthly x 12, yearly and once unchanged.
 * *out is an lp_money (lp_money_free), NULL on error. */
int calc_money_yearly(lp_money **out, const char *exact, const char *currency,
                      const char *frequency);
/* Format a decimal string with thousands separators: "103963" -> "103,963". */
void calc_group_digits(char *buf, size_t cap, const char *decimal);
/* Format an lp_money rounded to its currency's minor unit, grouped. */
void calc_format_money(char *buf, size_t cap, const lp_money *m);
/* "a month", "a year", "once". */
const char *calc_frequency_words(const char *frequency);
/* The payable amount of an entitlement as paid (rounded by the rules), or "0". */
const char *calc_payable_exact(const lp_entitlement *e);
/* How many months of pension a lump sum equals, rounded down to 0.1 month,
 * into buf; returns 0 when it could be computed. */
int calc_lump_sum_months(char *buf, size_t cap, const lp_lump_sum *l, const lp_entitlement *e);

/* ------------------------------------------------------------ text */

/* Write text wrapped to width columns, the first line after `first`
 * (already printed, of width first_width) and later lines indented by indent. */
void calc_wrap(FILE *fp, const char *text, int indent, int first_width, int width);
/* Display width of a UTF-8 string (East Asian wide characters count 2). */
int calc_text_width(const char *s);
/* Print s padded with spaces to width display columns. */
void calc_pad(FILE *fp, const char *s, int width);

/* ------------------------------------------------------------ claims */

#define CALC_CLAIM_MAX_ITEMS 12

/* The items of one field of a claim procedure (all its offices, all its
 * forms, ...), in file order, each borrowed from the rule set. */
typedef struct calc_claim_items {
    const lp_claim_item *v[CALC_CLAIM_MAX_ITEMS];
    size_t n;
} calc_claim_items;

/* How to claim one thing the worker gets or can take (claims.c): every item of
 * its scheme's claim procedure, field by field, in the report's language where
 * the rule file has that field in it, in English otherwise. A field the rules
 * do not give is empty (then the report says nothing of it); one they give
 * several times (offices, forms, links, deadlines, documents) lists them all. */
typedef struct calc_claim {
    const char *scheme, *option;
    const lp_claim_procedure *procedure;
    calc_claim_items office, form, link, deadline, bring;
} calc_claim;

typedef struct calc_claims {
    calc_claim *v;
    size_t n;
} calc_claims;

/* The claims of a result: payable pensions, then available lump sums, each
 * procedure once. 0, or -1 (out of memory; *out is empty). */
int calc_claims_build(calc_claims *out, const lp_ruleset *rs, const lp_result *r, const char *lang);
void calc_claims_free(calc_claims *cs);
/* The report's language from LC_ALL, LC_MESSAGES or LANG ("id_ID.UTF-8" -> "id");
 * "en" when none is set or it is C/POSIX. */
const char *calc_report_lang(void);

/* ------------------------------------------------------------ page 1 (page1.c) */

#define CALC_LINE_MAX_NOTES 4

typedef enum { CALC_LINE_PENSION, CALC_LINE_LUMP_SUM, CALC_LINE_NOTHING } calc_line_kind;

/* One thing page 1 says, in the report's language: what (a pension, a lump
 * sum, or a plain "nothing" sentence), how much, from when, and notes on what
 * it costs or what to know. */
typedef struct calc_line {
    calc_line_kind kind;
    const char *scheme, *option;        /* borrowed from the result (not shown) */
    char country_code[4];
    char country[128], title[512];
    char what[512], amount[512], when[128];
    char notes[CALC_LINE_MAX_NOTES][768];
    size_t nnotes;
} calc_line;

typedef struct calc_page1 {
    calc_line *v;
    size_t n;
    int alternatives;   /* a country has both a pension and a lump sum */
} calc_page1;

/* The lines of page 1, grouped by country. 0, or -1 (out of memory). */
int calc_page1_build(calc_page1 *out, const lp_ruleset *rs, const calc_catalogue *cat,
                     const calc_person *who, const lp_result *r);
void calc_page1_free(calc_page1 *p);
/* "60 months", "1 year": a period count in its unit ("month", "quarter",
 * "year", "week", "day"), in the report's language. */
void calc_periods_words(char *buf, size_t cap, const char *count, const char *unit);

/* ------------------------------------------------------------ corridors (corridors.c) */

#define CALC_CORRIDOR_MAX_NOTES 8

/* What page 1 says of two countries of the career (issue 18): whether an
 * agreement in force on the claim date binds them (its first sentence,
 * `headline`), and what it changes for this worker, or what its absence
 * means (`notes`), in the report's language, from the rule data and the
 * result only. */
typedef struct calc_corridor {
    char a[4], b[4];                    /* the two countries (ISO 3166 alpha-2) */
    char headline[512];
    char notes[CALC_CORRIDOR_MAX_NOTES][768];
    size_t nnotes;
} calc_corridor;

typedef struct calc_corridors {
    calc_corridor *v;
    size_t n;
} calc_corridors;

/* One corridor per pair of a country where the worker has periods and
 * another country of the career (another such country, or the worker's
 * nationality). 0, or -1 (out of memory; *out is empty). */
int calc_corridors_build(calc_corridors *out, const lp_ruleset *rs, const calc_catalogue *cat,
                         const calc_person *who, const lp_result *r);
void calc_corridors_free(calc_corridors *c);

/* ------------------------------------------------------------ modes */

typedef struct calc_args {
    const char *rules;          /* --rules, or NULL */
    const char *format;         /* text, xml, html, csv */
    const char *lang;           /* --lang, or NULL */
    const char *output_dir;     /* --output-dir (--batch --format html), or NULL */
    int trace;                  /* --trace */
    int jobs;                   /* --jobs */
    calc_scenario variation;    /* --compare */
    const char *const *inputs;  /* history files (or directories for --batch) */
    size_t ninputs;
} calc_args;

int calc_report_text(FILE *fp, const lp_ruleset *rs, const calc_catalogue *cat,
                     const char *history_path, const lp_history *h, const lp_result *r);
/* Build the report document (the history, titles, results with and without
 * agreements, the gap figures) that the XSLT stylesheet turns into HTML.
 * Returns an xmlDocPtr (as void *, to keep libxml2 out of this header). */
void *calc_report_document(const lp_ruleset *rs, const calc_catalogue *cat,
                           const char *history_path,
                           const lp_result *with, const lp_result *without);
int calc_report_html(FILE *fp, void *report_document);
/* Append a copy of a result's XML root under an xmlNodePtr. 0 on success. */
int calc_embed_result(void *parent_node, const lp_result *r);
/* Path of the stylesheet: LP_REPORT_XSL, else installed, else source tree. */
const char *calc_stylesheet_path(void);

int calc_mode_single(const calc_args *a);
int calc_mode_batch(const calc_args *a);
/* --batch --format html --output-dir DIR (batch_html.c). */
int calc_mode_batch_html(const calc_args *a);
int calc_mode_compare(const calc_args *a);

#endif
