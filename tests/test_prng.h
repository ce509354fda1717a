/* A deterministic generator for property tests (xorshift64*): a failure
 * reproduces from the seed. */
#ifndef LP_TEST_PRNG_H
#define LP_TEST_PRNG_H

#include <stdint.h>

static uint64_t prng_state = 0x9E3779B97F4A7C15u;

static inline uint64_t prng(void)
{
    prng_state ^= prng_state >> 12;
    prng_state ^= prng_state << 25;
    prng_state ^= prng_state >> 27;
    return prng_state * 0x2545F4914F6CDD1Du;
}

#endif
