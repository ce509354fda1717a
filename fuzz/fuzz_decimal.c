/* libFuzzer harness: the decimal parser (internal lp__decimal_parse on the
 * exact bytes, so any over-read is caught), its output and rounding, and the
 * public lp_money_from_string / lp_money_to_decimal_string. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gmp.h>
#include <portability.h>
#include "alloc.h"
#include "decimal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const currencies[] = { "PHP", "JPY", "KWD", "CLF", "XQQ", "" };
    static const char *const steps[] = { "0.01", "1", "100", "1/4", "1/3", "0" };
    mpq_t q, step;
    char *copy, *s = NULL;
    lp_money *m = NULL;
    unsigned sel = size ? data[0] : 0;
    if (size > 256)
        return 0;
    /* exact-size copy: no terminator, so ASan sees any read past the end */
    copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    mpq_init(q);
    mpq_init(step);
    if (lp__decimal_parse(q, copy, size) == LP_OK) {
        s = lp__rational_format(q);
        lp__free(s);
        s = NULL;
        mpq_set_ui(step, 1, 100);
        if (lp__decimal_format(&s, q, step, (lp_rounding)(sel % 9)) == LP_OK)
            lp__free(s);
        s = NULL;
        if (lp__decimal_exact(&s, q, 20) > 0)
            lp__free(s);
        s = NULL;
    }
    free(copy);
    /* the public side, NUL-terminated */
    copy = malloc(size + 1);
    if (copy) {
        memcpy(copy, data, size);
        copy[size] = '\0';
        if (lp_money_from_string(&m, copy, currencies[sel % 6]) == LP_OK) {
            char *out = NULL;
            if (lp_money_to_decimal_string(&out, m, steps[(sel >> 3) % 6], (lp_rounding)((sel >> 5) % 9)) == LP_OK)
                lp_free(out);
            out = NULL;
            if (lp_money_to_rational_string(&out, m) == LP_OK)
                lp_free(out);
        }
        lp_money_free(m);
        free(copy);
    }
    mpq_clear(q);
    mpq_clear(step);
    return 0;
}
