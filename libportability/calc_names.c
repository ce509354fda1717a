/* The names a caller gives a calculation (agreements to leave out, lump sums
 * taken) must be names of the loaded rule set: a typo would otherwise be a
 * scenario that silently changes nothing. A refusal lists the known names. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <portability/calc.h>
#include "error.h"
#include "rules.h"

/* Room for the list of known names in a message (the last error holds 1024
 * bytes); a longer list ends with "...". */
#define KNOWN_MAX 700

static void add_name(char *buf, size_t cap, const char *a, const char *b)
{
    size_t n = strlen(buf);
    int w;
    if (n >= 3 && strcmp(buf + n - 3, "...") == 0)
        return;                    /* full already */
    w = snprintf(buf + n, cap - n, "%s%s%s%s", n ? ", " : "", a, b ? "/" : "", b ? b : "");
    if (w < 0 || (size_t)w >= cap - n) {
        buf[n] = '\0';
        snprintf(buf + n, cap - n, "%s...", n ? ", " : "");
    }
}

static int agreement_known(const struct lp_ruleset *rs, const char *id)
{
    size_t i;
    for (i = 0; i < rs->nagreements; i++)
        if (strcmp(rs->agreements[i].id, id) == 0)
            return 1;
    return 0;
}

static int check_agreement(const struct lp_ruleset *rs, const char *id)
{
    char known[KNOWN_MAX] = "";
    size_t i;
    if (id && agreement_known(rs, id))
        return LP_OK;
    for (i = 0; i < rs->nagreements; i++)
        add_name(known, sizeof known, rs->agreements[i].id, NULL);
    return lp__error_set(LP_EINVAL, "unknown agreement '%.64s': the rule set has %s",
                         id ? id : "(null)", known[0] ? known : "no agreement");
}

/* The scheme of "SCHEME/OPTION" (its text before the last '/'), or NULL. */
static const lp__scheme *scheme_of(const struct lp_ruleset *rs, const char *taken)
{
    const char *slash = strrchr(taken, '/');
    size_t i, len;
    if (!slash)
        return NULL;
    len = (size_t)(slash - taken);
    for (i = 0; i < rs->nschemes; i++)
        if (strlen(rs->schemes[i].id) == len && strncmp(rs->schemes[i].id, taken, len) == 0)
            return &rs->schemes[i];
    return NULL;
}

static int check_lump_sum(const struct lp_ruleset *rs, const char *taken)
{
    char known[KNOWN_MAX] = "";
    const lp__scheme *s = taken ? scheme_of(rs, taken) : NULL;
    size_t i, k;
    if (s) {
        const char *option = strrchr(taken, '/') + 1;
        for (k = 0; k < s->nlumpsums; k++)
            if (strcmp(s->lumpsums[k].id, option) == 0)
                return LP_OK;
        for (k = 0; k < s->nlumpsums; k++)
            add_name(known, sizeof known, s->id, s->lumpsums[k].id);
        return lp__error_set(LP_EINVAL, "unknown lump sum '%.64s': scheme %s has %s",
                             taken, s->id, known[0] ? known : "no lump sum");
    }
    for (i = 0; i < rs->nschemes; i++)
        for (k = 0; k < rs->schemes[i].nlumpsums; k++)
            add_name(known, sizeof known, rs->schemes[i].id, rs->schemes[i].lumpsums[k].id);
    return lp__error_set(LP_EINVAL, "unknown lump sum '%.64s' (SCHEME/OPTION): the rule set has %s",
                         taken ? taken : "(null)", known[0] ? known : "no lump sum");
}

LP_API int lp_calc_options_check(const lp_ruleset *rs, const lp_calc_options *opts)
{
    size_t i;
    int rc = LP_OK;
    if (!rs)
        return lp__error_set(LP_EINVAL, "lp_calc_options_check: rule set is NULL");
    if (!opts)
        return LP_OK;
    if (opts->version != LP_CALC_OPTIONS_VERSION)
        return lp__error_set(LP_EINVAL, "lp_calc: unknown options version %u", opts->version);
    if ((opts->nwithout_agreements && !opts->without_agreements)
        || (opts->nlump_sums_taken && !opts->lump_sums_taken))
        return lp__error_set(LP_EINVAL, "lp_calc: a name list is NULL but its count is not 0");
    for (i = 0; rc == LP_OK && i < opts->nwithout_agreements; i++)
        rc = check_agreement(rs, opts->without_agreements[i]);
    for (i = 0; rc == LP_OK && i < opts->nlump_sums_taken; i++)
        rc = check_lump_sum(rs, opts->lump_sums_taken[i]);
    return rc;
}
