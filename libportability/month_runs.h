/* Internal: the covered months of an aggregate's window (aggregate.c) as runs
 * of consecutive months with the same earnings.
 *
 * A month is covered when a period of the window touches it; its earnings are
 * the `monthly` of the one period that touches it, or, where several do, their
 * sum (or the highest, for a scheme whose concurrent earnings do not add). The
 * usual career (periods apart, in order) gives one run per period, so an
 * aggregate's work grows with its periods, not with the months of a career:
 * counting 40 years of months, adding their earnings or their contributions
 * with interest takes a few steps per period. Periods that share a month (two
 * employers, a change of job mid-month) are laid out month by month first,
 * then cut into runs: the same figures, by the same rule.
 *
 * Months are lp__month_index values (year x 12 + month - 1). */
#ifndef LP_MONTH_RUNS_H
#define LP_MONTH_RUNS_H

#include <stddef.h>
#include <gmp.h>

#include "history_model.h"
#include "period.h"
#include "workspace.h"

/* Months first..last (inclusive), covered, each earning *earn (NULL: nothing
 * recorded, read as zero). */
typedef struct lp__month_run {
    int first, last;
    mpq_srcptr earn;
} lp__month_run;

typedef struct lp__months {
    lp__month_run *run;            /* ascending and apart: run[i].last < run[i + 1].first */
    size_t n;
    mpq_t *sums;                   /* the earnings of months several periods touch */
    size_t nsums;
} lp__months;

/* The months that the n intervals v (clipped from the periods src[k]) touch.
 * with_earnings: each run carries its earnings (else NULL everywhere);
 * highest: concurrent earnings give the highest, not the sum. Arrays in ws;
 * the sums are freed by lp__months_clear, which the caller owes even after
 * an error. Returns LP_OK or LP_ENOMEM. */
int lp__months_build(lp__workspace *ws, const lp__interval *v, const lp__hperiod *const *src, size_t n,
                     int with_earnings, int highest, lp__months *m);
void lp__months_clear(lp__months *m);

/* Compare earnings, NULL being zero. */
int lp__earn_cmp(mpq_srcptr a, mpq_srcptr b);

/* The number of covered months. */
long lp__months_count(const lp__months *m);
/* The calendar years (first to last covered) holding at least need covered months. */
long lp__months_years(const lp__months *m, long need);

/* Append months first..last earning earn to runs[*n] (the next after the last
 * in runs, which must have room), joined to the last run when it continues
 * it with the same earnings. For rewriting the runs piece by piece. */
void lp__months_append(lp__month_run *runs, size_t *n, int first, int last, mpq_srcptr earn);

/* total = the earnings of the covered months: all of them, the best N
 * (highest earnings) when best > 0, or the N most recent when latest > 0;
 * *count = the months taken. tmp is scratch. Returns LP_OK or LP_ENOMEM. */
int lp__months_earnings(lp__workspace *ws, const lp__months *m, long best, long latest, mpq_t total, long *count,
                        mpq_t tmp);

/* A reader of months in increasing order (contributions with interest). */
typedef struct lp__months_cursor {
    const lp__months *m;
    size_t i;                      /* the first run not wholly before the last month asked */
} lp__months_cursor;

/* Month t's earnings when it pays a contribution (covered, with earnings
 * other than zero), else NULL. t never decreases between calls. */
mpq_srcptr lp__months_earn_at(lp__months_cursor *cur, int t);
/* The last month u in t..limit such that every month from t to u has the
 * earnings lp__months_earn_at gives for t (earn). */
int lp__months_alike_until(lp__months_cursor *cur, int t, mpq_srcptr earn, int limit);

#endif
