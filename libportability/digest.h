/* SHA-256 digests (GNU Nettle) as "sha256:" + 64 hex digits: the rule set's and
 * the input's fingerprints in a result's receipt. */
#ifndef LP_DIGEST_H
#define LP_DIGEST_H

#include <nettle/sha2.h>

#define LP__DIGEST_TEXT_SIZE 72    /* "sha256:" + 64 hex + NUL, rounded */

/* Finish ctx and write its digest as text into out. */
void lp__sha256_text(char out[LP__DIGEST_TEXT_SIZE], struct sha256_ctx *ctx);

#endif
