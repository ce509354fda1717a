/* The benchmark's hand-written baseline: the PH-SSS old-age pension (alone and
 * pro-rata under the Japan-Philippines agreement), the PH-SSS retirement lump
 * sum, the JP-NP old-age basic pension and the JP-NP lump-sum withdrawal,
 * coded directly in C with GMP rationals, for careers with PH-SSS and JP-NP
 * periods only (POP_PH_JP), claims from October to December 2025. It
 * computes exactly the figures lp_calc reports for such a career, so the two
 * can be timed side by side and checked against each other. */
#ifndef LP_BENCH_HANDWRITTEN_H
#define LP_BENCH_HANDWRITTEN_H

#include <gmp.h>

#include "careers.h"

typedef struct hw_period {
    int m_from, m_to;
    int kind_lump;              /* JP-NP: contribution or voluntary (counts for the lump sum) */
    mpq_t earn;                 /* PH-SSS monthly earnings */
} hw_period;

/* A career prepared once (like an lp_history): dates as numbers, earnings as rationals. */
typedef struct hw_career {
    const char *id;
    int by, bm, bd, cy, cm, cd;
    int national_jp, resident_jp;
    int nph, nnp;
    hw_period ph[BENCH_MAX_PERIODS], np[BENCH_MAX_PERIODS];
} hw_career;

/* Working rationals, allocated once and reused (as lp_calc's scratch stack is). */
typedef struct hw_work {
    mpq_t t[12];
    mpz_t z;
} hw_work;

void hw_prepare(hw_career *h, const career *c);
void hw_release(hw_career *h);
void hw_work_init(hw_work *w);
void hw_work_clear(hw_work *w);

/* The figures as one line:
 * id|sss status|sss payable|sss lump available|sss lump value|np status|np payable|np lump available|np lump value */
int hw_compute(char *line, size_t cap, const hw_career *h, hw_work *w);

#endif
