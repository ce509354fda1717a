/* portability-calc: the caseworker's calculator (minimal first version:
 * --check-rules and --format xml; the text and HTML reports, batch and
 * compare modes grow on top of it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <portability.h>

static int usage(void)
{
    fprintf(stderr, "usage: portability-calc [--rules DIR] [--format xml] [--trace] HISTORY.xml\n"
                    "       portability-calc --check-rules [--rules DIR]\n");
    return 2;
}

static void print_error(void)
{
    const lp_error *e = lp_error_last();
    if (e->file)
        fprintf(stderr, "%s:%d:%d: %s\n", e->file, e->line, e->column, e->message);
    else
        fprintf(stderr, "portability-calc: %s\n", e->message);
}

int main(int argc, char **argv)
{
    const char *rules = NULL, *history = NULL;
    int check = 0, trace = 0, i, rc;
    lp_ruleset *rs = NULL;
    lp_diagnostics *d = NULL;
    lp_history *h = NULL;
    lp_result *r = NULL;
    lp_calc_options opts = LP_CALC_OPTIONS_INIT;
    char *xml = NULL;

    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--rules") && i + 1 < argc)
            rules = argv[++i];
        else if (!strcmp(argv[i], "--check-rules"))
            check = 1;
        else if (!strcmp(argv[i], "--trace"))
            trace = 1;
        else if (!strcmp(argv[i], "--format") && i + 1 < argc)
            i++;
        else if (argv[i][0] == '-')
            return usage();
        else
            history = argv[i];
    }
    if (!rules)
        rules = lp_default_rules_dir();
    rc = lp_ruleset_load_dir(&rs, &d, rules, NULL);
    for (i = 0; i < (int)lp_diagnostics_count(d); i++) {
        const lp_diagnostic *g = lp_diagnostics_at(d, (size_t)i);
        fprintf(stderr, "%s:%d:%d: %s\n", g->file ? g->file : rules, g->line, g->column, g->message);
    }
    lp_diagnostics_free(d);
    if (rc) {
        if (!i)
            print_error();
        return 1;
    }
    if (check) {
        printf("%s: %zu schemes, %zu agreements, %s\n", rules, lp_ruleset_scheme_count(rs),
               lp_ruleset_agreement_count(rs), lp_ruleset_digest(rs));
        lp_ruleset_free(rs);
        return 0;
    }
    if (!history) {
        lp_ruleset_free(rs);
        return usage();
    }
    if (trace)
        opts.flags |= LP_CALC_TRACE;
    if (lp_history_load_file(&h, history) || lp_calc(&r, rs, h, &opts) || lp_result_to_xml(&xml, r)) {
        print_error();
        lp_history_free(h);
        lp_ruleset_free(rs);
        return 1;
    }
    fputs(xml, stdout);
    lp_free(xml);
    lp_result_free(r);
    lp_history_free(h);
    lp_ruleset_free(rs);
    return 0;
}
