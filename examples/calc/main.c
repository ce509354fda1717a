/* portability-calc: the caseworker's calculator (DESIGN.md §9).
 * This file reads the command line and hands over to one mode: a single
 * career (main.c: single), --batch (batch.c), --compare (compare.c) or
 * --check-rules (rules.c). */
#include <getopt.h>
#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc.h"

static const char help_text[] =
"Usage:\n"
"  portability-calc [--rules DIR] [--format text|xml|html|json] [--trace] HISTORY.xml\n"
"  portability-calc --batch [--jobs N] [--format csv|xml|jsonl] HISTORY.xml|DIR ...\n"
"  portability-calc --batch --format html --output-dir DIR HISTORY.xml|DIR ...\n"
"  portability-calc --compare VARIATION HISTORY.xml\n"
"  portability-calc --check-rules [--rules DIR]\n"
"\n"
"Works out what each country's social-security scheme owes a worker whose\n"
"career was spent in several countries, under the agreements between them.\n"
"\n"
"One career (a history file):\n"
"  --format text   a report to read to the worker (the default): what each\n"
"                  country pays, how much, how often, why, the law behind each\n"
"                  figure, whether it can be paid abroad, and the lump sums\n"
"  --format html   the same as a printable page (A4), with a chart of what\n"
"                  the agreements add; save it and open it in a browser\n"
"  --format xml    the result as data (rules/portability-result.xsd)\n"
"  --format json   the same data as JSON (rules/portability-result.schema.json);\n"
"                  amounts are strings of exact decimals or fractions\n"
"  --trace         with --format xml or json: include every step of the\n"
"                  calculation\n"
"  --lang LANG     the report's language: en, id (Bahasa Indonesia) or fil\n"
"                  (Filipino); default: LC_ALL, LC_MESSAGES or LANG, else en.\n"
"                  Page 1 and the headings are translated; the appendix\n"
"                  \"How each figure was computed\" is in English\n"
"\n"
"Many careers:\n"
"  --batch         read every history of a <histories> file, of a folder of\n"
"                  history files, or of several files; one CSV row per\n"
"                  pension and one per lump-sum option (--format csv, the\n"
"                  default), one <result> each (--format xml), or one JSON\n"
"                  object a line (--format jsonl). A history that cannot be\n"
"                  read or computed gets an error row; the others go on.\n"
"  --jobs N        compute on N threads (default: 1)\n"
"  --format html --output-dir DIR\n"
"                  one HTML report per history file (DIR/CASE.html) and an\n"
"                  index page (DIR/index.html): case, countries, status and\n"
"                  what is payable; history files and folders only\n"
"\n"
"What if (two columns, as given and changed, and the difference):\n"
"  --compare with one or more of:\n"
"  --without-agreement ID   as if agreement ID did not exist (e.g. JP-PH)\n"
"  --without-agreements     as if there were no agreements at all\n"
"  --residence CC           as if the worker lived in country CC (e.g. JP)\n"
"  --nationality CC         as if the worker were a national of CC\n"
"  --take-lump-sum S/O      as if lump sum O of scheme S had been taken\n"
"                           (e.g. JP-EPI/withdrawal)\n"
"  with --format json: the library's comparison (lp_compare) as JSON\n"
"  (rules/portability-comparison.schema.json); html: a printable page\n"
"\n"
"Rules:\n"
"  --rules DIR     the rule set to use (default: the one shipped with the\n"
"                  program, or the folder named by LP_RULES_DIR)\n"
"  --check-rules   check a rule set and list every problem found\n"
"\n"
"  -h, --help      this text\n"
"  -V, --version   the program's version\n"
"An option's value may follow it (--format html) or be joined to it by '='\n"
"(--format=html). Agreement and lump-sum names must be those of the rule set:\n"
"an unknown one is refused with the list of known ones.\n"
"\n"
"Problems are reported on one line as FILE:LINE:COLUMN: MESSAGE.\n"
"Exit status: 0 done, 1 a history or rule file is wrong (or a batch record\n"
"failed, or the output could not be written), 2 the command line is wrong\n"
"(an unknown option, format, agreement or lump sum), 3 done, but a scheme\n"
"could not be computed for a career (the report says which and why).\n";

int calc_usage_error(const char *fmt, ...)
{
    va_list ap;
    fputs("portability-calc: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs(" (try --help)\n", stderr);
    return CALC_EXIT_USAGE;
}

void calc_print_error(void)
{
    const lp_error *e = lp_error_last();
    const char *msg = e->message && *e->message ? e->message : lp_strerror(e->code);
    if (e->file)
        fprintf(stderr, "%s:%d:%d: %s\n", e->file, e->line, e->column, msg);
    else
        fprintf(stderr, "portability-calc: %s\n", msg);
}

static int valid_country(const char *s)
{
    return strlen(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}

static int parse_jobs(int *out, const char *s)
{
    int n = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || n > 10000)
            return -1;
        n = n * 10 + (*s - '0');
    }
    if (n < 1 || n > 1024)
        return -1;
    *out = n;
    return 0;
}

/* Long options; every one has a code below (values past the ASCII range
 * for those without a short form). */
enum {
    OPT_RULES = 256, OPT_FORMAT, OPT_TRACE, OPT_BATCH, OPT_JOBS, OPT_COMPARE, OPT_CHECK_RULES,
    OPT_WITHOUT_AGREEMENT, OPT_WITHOUT_AGREEMENTS, OPT_RESIDENCE, OPT_NATIONALITY,
    OPT_TAKE_LUMP_SUM, OPT_LANG, OPT_OUTPUT_DIR
};

static const struct option long_options[] = {
    { "rules", required_argument, NULL, OPT_RULES },
    { "format", required_argument, NULL, OPT_FORMAT },
    { "trace", no_argument, NULL, OPT_TRACE },
    { "batch", no_argument, NULL, OPT_BATCH },
    { "jobs", required_argument, NULL, OPT_JOBS },
    { "compare", no_argument, NULL, OPT_COMPARE },
    { "check-rules", no_argument, NULL, OPT_CHECK_RULES },
    { "without-agreement", required_argument, NULL, OPT_WITHOUT_AGREEMENT },
    { "without-agreements", no_argument, NULL, OPT_WITHOUT_AGREEMENTS },
    { "residence", required_argument, NULL, OPT_RESIDENCE },
    { "nationality", required_argument, NULL, OPT_NATIONALITY },
    { "take-lump-sum", required_argument, NULL, OPT_TAKE_LUMP_SUM },
    { "lang", required_argument, NULL, OPT_LANG },
    { "output-dir", required_argument, NULL, OPT_OUTPUT_DIR },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'V' },
    { NULL, 0, NULL, 0 }
};

static int known_format(const char *v)
{
    static const char *const formats[] = { "text", "xml", "html", "json", "csv", "jsonl" };
    size_t i;
    for (i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (!strcmp(v, formats[i]))
            return 1;
    return 0;
}

/* The option getopt_long() just refused, as the user typed it. */
static const char *refused_option(char **argv, int optind_after)
{
    return argv[optind_after - 1];
}

/* Every mode writes its output on stdout. A write that failed (a full disk,
 * a closed pipe) must not end in success: flush and close stdout, check both
 * and the stream's error flag, and turn a success into exit status 1. */
static int finish_output(int status)
{
    int failed = fflush(stdout) != 0 || ferror(stdout), err = errno;
    if (fclose(stdout) != 0 && !failed) {
        failed = 1;
        err = errno;
    }
    if (!failed || (status != CALC_EXIT_OK && status != CALC_EXIT_PARTIAL))
        return status;             /* a mode that failed has said why */
    fprintf(stderr, "portability-calc: cannot write the output: %s\n", strerror(err ? err : EIO));
    return CALC_EXIT_INPUT;
}

static int run(int argc, char **argv);

int main(int argc, char **argv)
{
    return finish_output(run(argc, argv));
}

static int run(int argc, char **argv)
{
    calc_args a;
    enum { SINGLE, BATCH, COMPARE, CHECK } mode = SINGLE;
    int c, variations = 0;
    /* on the stack: main returns from many places, and nothing must leak */
    const char *inputs[argc + 1];

    memset(&a, 0, sizeof a);
    memset(inputs, 0, sizeof inputs);
    a.jobs = 1;
    a.inputs = inputs;
    opterr = 0;                    /* our messages, in our one-line form */
    while ((c = getopt_long(argc, argv, ":hV", long_options, NULL)) != -1) {
        const char *v = optarg;
        switch (c) {
        case 'h':
            fputs(help_text, stdout);
            return CALC_EXIT_OK;
        case 'V':
            printf("portability-calc (libportability) %s\n", lp_version_string());
            return CALC_EXIT_OK;
        case OPT_RULES:
            a.rules = v;
            break;
        case OPT_FORMAT:
            if (!known_format(v))
                return calc_usage_error("unknown format '%s': text, xml, html, json, csv or jsonl", v);
            a.format = v;
            break;
        case OPT_TRACE:
            a.trace = 1;
            break;
        case OPT_OUTPUT_DIR:
            if (!*v)
                return calc_usage_error("--output-dir needs a folder");
            a.output_dir = v;
            break;
        case OPT_LANG:
            if (!calc_lang_valid(v))
                return calc_usage_error("--lang needs a language code such as en, id or fil, not '%s'", v);
            a.lang = v;
            break;
        case OPT_BATCH:
            mode = BATCH;
            break;
        case OPT_JOBS:
            if (parse_jobs(&a.jobs, v))
                return calc_usage_error("--jobs needs a number from 1 to 1024, not '%s'", v);
            break;
        case OPT_COMPARE:
            mode = COMPARE;
            break;
        case OPT_CHECK_RULES:
            mode = CHECK;
            break;
        case OPT_WITHOUT_AGREEMENT:
            if (a.variation.nwithout >= sizeof a.variation.without / sizeof a.variation.without[0])
                return calc_usage_error("too many --without-agreement");
            a.variation.without[a.variation.nwithout++] = v;
            variations++;
            break;
        case OPT_WITHOUT_AGREEMENTS:
            a.variation.all_agreements_off = 1;
            variations++;
            break;
        case OPT_RESIDENCE:
        case OPT_NATIONALITY:
            if (!valid_country(v))
                return calc_usage_error("--%s needs a two-letter country code (e.g. JP), not '%s'",
                                        c == OPT_RESIDENCE ? "residence" : "nationality", v);
            if (c == OPT_RESIDENCE)
                a.variation.residence = v;
            else
                a.variation.nationality = v;
            variations++;
            break;
        case OPT_TAKE_LUMP_SUM:
            if (!strchr(v, '/') || v[0] == '/' || v[strlen(v) - 1] == '/')
                return calc_usage_error("--take-lump-sum needs SCHEME/OPTION (e.g. JP-EPI/withdrawal), not '%s'", v);
            if (a.variation.nlump_sums >= sizeof a.variation.lump_sums / sizeof a.variation.lump_sums[0])
                return calc_usage_error("too many --take-lump-sum");
            a.variation.lump_sums[a.variation.nlump_sums++] = v;
            variations++;
            break;
        case ':':
            return calc_usage_error("%s needs a value", refused_option(argv, optind));
        case '?':
        default:
            return calc_usage_error("unknown or ambiguous option '%s'", refused_option(argv, optind));
        }
    }
    calc_i18n_init(a.lang);
    /* getopt_long moved the operands (history files, folders) to the end */
    for (; optind < argc; optind++)
        inputs[a.ninputs++] = argv[optind];

    /* an option that does nothing in this mode is refused, not ignored */
    if (a.output_dir && !(mode == BATCH && a.format && !strcmp(a.format, "html")))
        return calc_usage_error("--output-dir is for --batch --format html");
    switch (mode) {
    case CHECK:
        if (a.ninputs)
            return calc_usage_error("--check-rules takes no history");
        return calc_check_rules(calc_rules_dir(a.rules));
    case BATCH:
        if (!a.ninputs)
            return calc_usage_error("--batch needs a history file or a folder");
        if (!a.format)
            a.format = "csv";
        if (!strcmp(a.format, "json"))
            return calc_usage_error("--batch writes JSON as one object a line: --format jsonl");
        if (!strcmp(a.format, "html")) {
            if (!a.output_dir)
                return calc_usage_error("--batch --format html needs --output-dir DIR (an index page and "
                                        "one report per case are written there)");
            return calc_mode_batch_html(&a);
        }
        if (a.output_dir)
            return calc_usage_error("--output-dir is for --batch --format html");
        if (strcmp(a.format, "csv") && strcmp(a.format, "xml") && strcmp(a.format, "jsonl"))
            return calc_usage_error("--batch writes csv, xml, jsonl or html, not %s", a.format);
        return calc_mode_batch(&a);
    case COMPARE:
        if (a.ninputs != 1)
            return calc_usage_error("--compare needs one history file");
        if (!variations)
            return calc_usage_error("--compare needs a variation: --without-agreement ID, "
                                    "--without-agreements, --residence CC, --nationality CC "
                                    "or --take-lump-sum SCHEME/OPTION");
        if (!a.format)
            a.format = "text";
        if (strcmp(a.format, "text") && strcmp(a.format, "xml") && strcmp(a.format, "json")
            && strcmp(a.format, "html"))
            return calc_usage_error("--compare writes text, xml, json or html, not %s", a.format);
        return calc_mode_compare(&a);
    case SINGLE:
    default:
        if (a.ninputs != 1)
            return calc_usage_error(a.ninputs ? "give one history file (or use --batch)"
                                              : "give a history file");
        if (!a.format)
            a.format = "text";
        if (!strcmp(a.format, "csv") || !strcmp(a.format, "jsonl"))
            return calc_usage_error("%s is for --batch", a.format);
        return calc_mode_single(&a);
    }
}
