/* Finding, loading and checking the rule set. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "calc.h"

static int is_dir(const char *path)
{
    struct stat st;
    return path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *calc_rules_dir(const char *given)
{
    const char *env = getenv("LP_RULES_DIR");
    const char *dflt;
    if (given)
        return given;
    dflt = lp_default_rules_dir();
    if ((env && *env) || is_dir(dflt))
        return dflt;
#ifdef LP_SOURCE_RULES_DIR
    /* run uninstalled from the build tree: the rules of the source tree */
    if (is_dir(LP_SOURCE_RULES_DIR))
        return LP_SOURCE_RULES_DIR;
#endif
    return dflt;
}

static size_t print_diagnostics(const lp_diagnostics *d, const char *dir)
{
    size_t i, n = lp_diagnostics_count(d);
    for (i = 0; i < n; i++) {
        const lp_diagnostic *g = lp_diagnostics_at(d, i);
        fprintf(stderr, "%s:%d:%d: %s\n", g->file ? g->file : dir, g->line, g->column, g->message);
    }
    return n;
}

int calc_load_rules(lp_ruleset **out, const char *dir)
{
    lp_diagnostics *d = NULL;
    int rc = lp_ruleset_load_dir(out, &d, dir, NULL);
    size_t n = print_diagnostics(d, dir);
    lp_diagnostics_free(d);
    if (rc && !n)
        calc_print_error();
    return rc;
}

int calc_check_rules(const char *dir)
{
    lp_ruleset *rs = NULL;
    if (calc_load_rules(&rs, dir) != LP_OK)
        return CALC_EXIT_INPUT;
    printf("%s: %zu schemes, %zu agreements, %s: no problems found\n", dir,
           lp_ruleset_scheme_count(rs), lp_ruleset_agreement_count(rs), lp_ruleset_digest(rs));
    lp_ruleset_free(rs);
    return CALC_EXIT_OK;
}
