/* libFuzzer harness: the rule-set loader on one in-memory rule file
 * (lp_ruleset_load_memory). When the bytes load, every scheme is computed for
 * a fixed career, so the compiled formulas are evaluated too. */
#include <stddef.h>
#include <stdint.h>

#include <portability.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void compute(const lp_ruleset *rs)
{
    lp_history *h = NULL;
    lp_result *r = NULL;
    char *xml = NULL;
    size_t i;
    if (lp_history_new(&h, "fuzz", "1960-01-01", "PH", "JP", "2025-06-01", "old-age") != LP_OK)
        return;
    for (i = 0; i < lp_ruleset_scheme_count(rs) && i < 8; i++)
        lp_history_add_period(h, lp_ruleset_scheme_id(rs, i), "1990-01-01", "2019-12-31",
                              "contribution", NULL, NULL, NULL);
    if (lp_calc(&r, rs, h, NULL) == LP_OK)
        lp_result_to_xml(&xml, r);
    lp_free(xml);
    lp_result_free(r);
    lp_history_free(h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lp_rule_buffer b = { "fuzz.xml", (const char *)data, size };
    lp_ruleset *rs = NULL;
    lp_diagnostics *d = NULL;
    size_t i;
    if (lp_ruleset_load_memory(&rs, &d, &b, 1, NULL) == LP_OK)
        compute(rs);
    for (i = 0; i < lp_diagnostics_count(d); i++)
        (void)lp_diagnostics_at(d, i)->message[0];
    lp_diagnostics_free(d);
    lp_ruleset_free(rs);
    return 0;
}
