/* Synthetic careers for the benchmark (bench/README in doc/performance.md):
 * a reproducible population (fixed seed) of migrant workers with 2 to 5
 * countries and 3 to 20 periods each, over the shipped rule set. A career is
 * kept in a compact form and turned into an lp_history (through the C API),
 * a <history> XML element, or a text line for the Python baseline. */
#ifndef LP_BENCH_CAREERS_H
#define LP_BENCH_CAREERS_H

#include <stdint.h>
#include <stdio.h>

#include <portability.h>

#define BENCH_MAX_PERIODS 24
#define BENCH_MAX_FACTS 4

/* A period of whole calendar months [m_from, m_to] (month index y*12+m-1). */
typedef struct bperiod {
    const char *scheme;
    const char *kind;
    int m_from, m_to;
    long earnings;          /* monthly, in currency units; 0: no earnings element */
    const char *currency;
} bperiod;

typedef struct bfact {
    const char *scheme, *name, *currency;
    long value;
} bfact;

typedef struct career {
    char id[24];
    int by, bm, bd;         /* birth */
    int cy, cm, cd;         /* claim */
    char nationality[3], residence[3];
    int nperiods, nfacts;
    bperiod p[BENCH_MAX_PERIODS];
    bfact f[BENCH_MAX_FACTS];
} career;

typedef struct rng {
    uint64_t s;
} rng;

/* Kinds of population. */
enum {
    POP_ALL,                /* 2 to 5 of PH JP KR US CA MY, every scheme and agreement */
    POP_PH_JP               /* PH-SSS and JP-NP (Category 1) only: the baseline's scope */
};

void career_generate(career *c, rng *r, int pop, long serial);

/* Build an lp_history through the public API. */
int career_to_history(lp_history **out, const career *c);

/* One <history> element (no XML declaration). */
void career_write_xml(FILE *fp, const career *c);

/* One line for bench/baseline.py:
 * id birth nationality residence claim|scheme kind from to earnings|... */
void career_write_line(FILE *fp, const career *c);

#endif
