/* libFuzzer harness: the history loader (lp_history_load_memory), then the
 * calculation of what loaded against the shipped rules (loaded once, from
 * LP_RULES_DIR or the directory compiled in as FUZZ_RULES_DIR). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <portability.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const lp_ruleset *rules(void)
{
    static lp_ruleset *rs;
    if (!rs) {
        const char *dir = getenv("LP_RULES_DIR");
        if (!dir)
            dir = FUZZ_RULES_DIR;
        if (lp_ruleset_load_dir(&rs, NULL, dir, NULL) != LP_OK) {
            fprintf(stderr, "fuzz_history: cannot load the rules in %s: %s\n", dir,
                    lp_error_last()->message);
            abort();
        }
    }
    return rs;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const lp_ruleset *rs = rules();
    lp_history *h = NULL;
    lp_result *r = NULL;
    if (lp_history_load_memory(&h, "fuzz.xml", (const char *)data, size) == LP_OK) {
        if (lp_calc(&r, rs, h, NULL) == LP_OK) {
            char *xml = NULL;
            lp_result_to_xml(&xml, r);
            lp_free(xml);
        }
    }
    lp_result_free(r);
    lp_history_free(h);
    return 0;
}
