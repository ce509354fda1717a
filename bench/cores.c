/* cores: the multiplier probe of cores.h. */
#define _GNU_SOURCE
#include "cores.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* About 16 ms for one thread on a 5 GHz core that issues two multiplies a
 * cycle; long enough to swamp starting a thread, short enough to be taken
 * between every two timings. */
#define PROBE_ROUNDS 20000000L
#define PROBE_MAX_THREADS 256

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Eight independent chains: a core can issue their multiplies back to back,
 * so the multipliers, not the latency of one chain, set the pace. The empty
 * asm keeps the compiler from folding or vectorising the chains. */
static void *multiply_chains(void *seed)
{
    const uint64_t m = UINT64_C(6364136223846793005);
    uint64_t a = (uintptr_t)seed, b = a + 1, c = a + 2, d = a + 3, e = a + 4, f = a + 5, g = a + 6,
             h = a + 7;
    long i;
    for (i = 0; i < PROBE_ROUNDS; i++) {
        a *= m, b *= m, c *= m, d *= m, e *= m, f *= m, g *= m, h *= m;
        __asm__ volatile("" : "+r"(a), "+r"(b), "+r"(c), "+r"(d), "+r"(e), "+r"(f), "+r"(g), "+r"(h));
    }
    return (void *)(uintptr_t)(a ^ b ^ c ^ d ^ e ^ f ^ g ^ h);
}

/* Wall time of the kernel run once on each of n threads at the same time. */
static long long time_chains(int n)
{
    pthread_t tid[PROBE_MAX_THREADS];
    long long t0 = now_ns();
    int t;
    for (t = 0; t < n; t++)
        if (pthread_create(&tid[t], NULL, multiply_chains, (void *)(uintptr_t)(t + 1)) != 0) {
            fprintf(stderr, "lp-bench: pthread_create failed\n");
            exit(1);
        }
    for (t = 0; t < n; t++)
        pthread_join(tid[t], NULL);
    return now_ns() - t0;
}

long cores_probe(int nthreads)
{
    long long one, all;
    if (nthreads < 2 || nthreads > PROBE_MAX_THREADS)
        return 100;
    one = time_chains(1);
    all = time_chains(nthreads);
    return all > 0 ? (long)(one * 100 * nthreads / all) : 0;
}

int cores_separate(long speedup, int nthreads)
{
    return speedup * 10 >= 9L * 100 * nthreads;
}
