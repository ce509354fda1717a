/* SHA-256 digests as text (see digest.h). */
#include "config.h"

#include <string.h>

#include "digest.h"

void lp__sha256_text(char out[LP__DIGEST_TEXT_SIZE], struct sha256_ctx *ctx)
{
    static const char hex[] = "0123456789abcdef";
    uint8_t raw[SHA256_DIGEST_SIZE];
    size_t i;
    sha256_digest(ctx, sizeof raw, raw);
    memcpy(out, "sha256:", 7);
    for (i = 0; i < sizeof raw; i++) {
        out[7 + 2 * i] = hex[raw[i] >> 4];
        out[8 + 2 * i] = hex[raw[i] & 15];
    }
    out[7 + 2 * sizeof raw] = '\0';
}
