/* Scenarios: the career as given, or varied (without an agreement, every
 * agreement, another residence or nationality, a lump sum taken). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc.h"

int calc_run(lp_result **out, const lp_ruleset *rs, const lp_history *h,
             const calc_scenario *sc, int trace, lp_scratchpad *pad)
{
    lp_calc_options opts;
    lp_history *varied = NULL;
    const char **ids = NULL;
    int rc;

    *out = NULL;
    lp_calc_options_init(&opts, LP_CALC_OPTIONS_VERSION);
    if (trace)
        opts.flags |= LP_CALC_TRACE;
    if (sc && sc->all_agreements_off) {
        size_t i, n = lp_ruleset_agreement_count(rs);
        if (n) {
            if (!(ids = calloc(n, sizeof *ids)))
                return LP_ENOMEM;
            for (i = 0; i < n; i++)
                ids[i] = lp_ruleset_agreement_id(rs, i);
            opts.without_agreements = ids;
            opts.nwithout_agreements = n;
        }
    } else if (sc && sc->nwithout) {
        opts.without_agreements = sc->without;
        opts.nwithout_agreements = sc->nwithout;
    }
    if (sc && sc->nlump_sums) {
        opts.lump_sums_taken = sc->lump_sums;
        opts.nlump_sums_taken = sc->nlump_sums;
    }
    if (sc && (sc->residence || sc->nationality)) {
        rc = lp_history_with(&varied, h, sc->residence, sc->nationality);
        if (rc) {
            free(ids);
            return rc;
        }
    }
    if (pad)
        rc = lp_calc_with_pad(out, pad, rs, varied ? varied : h, &opts);
    else
        rc = lp_calc(out, rs, varied ? varied : h, &opts);
    lp_history_free(varied);
    free(ids);
    return rc;
}

int calc_scenario_check(const lp_ruleset *rs, const calc_scenario *sc)
{
    lp_calc_options opts;
    lp_calc_options_init(&opts, LP_CALC_OPTIONS_VERSION);
    if (!sc)
        return CALC_EXIT_OK;
    opts.without_agreements = sc->without;
    opts.nwithout_agreements = sc->nwithout;
    opts.lump_sums_taken = sc->lump_sums;
    opts.nlump_sums_taken = sc->nlump_sums;
    if (lp_calc_options_check(rs, &opts) != LP_OK) {
        fprintf(stderr, "portability-calc: %s\n", lp_error_last()->message);
        return CALC_EXIT_USAGE;
    }
    return CALC_EXIT_OK;
}

static void append(char *buf, size_t cap, const char *s)
{
    size_t n = strlen(buf);
    if (n + 1 < cap)
        snprintf(buf + n, cap - n, "%s%s", n ? ", " : "", s);
}

void calc_scenario_label(char *buf, size_t cap, const calc_scenario *sc)
{
    char part[256];
    size_t i;
    buf[0] = '\0';
    if (!sc) {
        snprintf(buf, cap, "as given");
        return;
    }
    if (sc->all_agreements_off)
        append(buf, cap, "without any agreement");
    for (i = 0; i < sc->nwithout; i++) {
        snprintf(part, sizeof part, "without agreement %s", sc->without[i]);
        append(buf, cap, part);
    }
    if (sc->residence) {
        snprintf(part, sizeof part, "living in %s", sc->residence);
        append(buf, cap, part);
    }
    if (sc->nationality) {
        snprintf(part, sizeof part, "national of %s", sc->nationality);
        append(buf, cap, part);
    }
    for (i = 0; i < sc->nlump_sums; i++) {
        snprintf(part, sizeof part, "lump sum %s taken", sc->lump_sums[i]);
        append(buf, cap, part);
    }
    if (!buf[0])
        snprintf(buf, cap, "as given");
}
