/* The covered months of an aggregate's window as runs: see month_runs.h. */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "month_runs.h"
#include "rational.h"

int lp__earn_cmp(mpq_srcptr a, mpq_srcptr b)
{
    if (!a || !b)
        return a ? mpq_sgn(a) : b ? -mpq_sgn(b) : 0;
    return lp__q_cmp(a, b);
}

void lp__months_append(lp__month_run *runs, size_t *n, int first, int last, mpq_srcptr earn)
{
    if (*n && runs[*n - 1].last + 1 == first && runs[*n - 1].earn == earn) {
        runs[*n - 1].last = last;
        return;
    }
    runs[*n].first = first;
    runs[*n].last = last;
    runs[*n].earn = earn;
    (*n)++;
}

/* Months several periods touch: each month's earnings laid out, then cut into
 * runs. earn[i] points at the month's earnings: the period's own `monthly`
 * when one period touches the month (no copy, no arithmetic), a sum in
 * m->sums when several do, or NULL for none. mi: each interval's first and
 * last month. */
static int by_month(lp__workspace *ws, const int *mi, const lp__hperiod *const *src, size_t n, int with_earnings,
                    int highest, lp__months *m)
{
    int lo = mi[0], hi = mi[1], months, i;
    unsigned char *covered;
    mpq_srcptr *earn = NULL;
    size_t *sum_at = NULL;         /* month -> index in m->sums + 1, 0 for none */
    size_t k;
    for (k = 1; k < n; k++) {
        if (mi[2 * k] < lo) lo = mi[2 * k];
        if (mi[2 * k + 1] > hi) hi = mi[2 * k + 1];
    }
    months = hi - lo + 1;
    if (!(covered = lp__workspace_alloc(ws, (size_t)months))
        || (with_earnings && !(earn = lp__workspace_alloc(ws, (size_t)months * sizeof *earn)))
        || !(m->run = lp__workspace_alloc_raw(ws, (size_t)months * sizeof *m->run)))
        return LP_ENOMEM;
    for (k = 0; k < n; k++) {
        int a = mi[2 * k] - lo, b = mi[2 * k + 1] - lo;
        mpq_srcptr q = src[k]->monthly;
        memset(covered + a, 1, (size_t)(b - a + 1));
        for (i = a; earn && q && i <= b; i++) {
            if (!earn[i] || (highest && lp__q_cmp(q, earn[i]) > 0)) {
                earn[i] = q;
                continue;
            }
            if (highest)
                continue;
            if (!sum_at) {         /* a second period's earnings in a month: sums of their own */
                m->sums = lp__workspace_alloc_raw(ws, (size_t)months * sizeof *m->sums);
                sum_at = lp__workspace_alloc(ws, (size_t)months * sizeof *sum_at);
                if (!m->sums || !sum_at)
                    return LP_ENOMEM;
            }
            if (!sum_at[i]) {
                mpq_init(m->sums[m->nsums]);
                mpq_set(m->sums[m->nsums], earn[i]);
                earn[i] = m->sums[m->nsums++];
                sum_at[i] = m->nsums;
            }
            lp__q_add(m->sums[sum_at[i] - 1], m->sums[sum_at[i] - 1], q);
        }
    }
    for (i = 0; i < months; i++)
        if (covered[i])
            lp__months_append(m->run, &m->n, lo + i, lo + i, earn ? earn[i] : NULL);
    return LP_OK;
}

int lp__months_build(lp__workspace *ws, const lp__interval *v, const lp__hperiod *const *src, size_t n,
                     int with_earnings, int highest, lp__months *m)
{
    int *mi, apart = 1;
    size_t k;
    memset(m, 0, sizeof *m);
    if (!n)
        return LP_OK;
    if (!(mi = lp__workspace_alloc_raw(ws, 2 * n * sizeof *mi)))   /* first and last month of each */
        return LP_ENOMEM;
    for (k = 0; k < n; k++) {
        /* an unclipped bound has its month index in the history already */
        mi[2 * k] = v[k].from == src[k]->from ? src[k]->from_month : lp__month_index(v[k].from);
        mi[2 * k + 1] = v[k].to == src[k]->to ? src[k]->to_month : lp__month_index(v[k].to);
        if (k && mi[2 * k] <= mi[2 * k - 1])
            apart = 0;
    }
    if (!apart)
        return by_month(ws, mi, src, n, with_earnings, highest, m);
    /* in order, no month shared: one run per period */
    if (!(m->run = lp__workspace_alloc_raw(ws, n * sizeof *m->run)))
        return LP_ENOMEM;
    for (k = 0; k < n; k++)
        lp__months_append(m->run, &m->n, mi[2 * k], mi[2 * k + 1], with_earnings ? src[k]->monthly : NULL);
    return LP_OK;
}

void lp__months_clear(lp__months *m)
{
    size_t i;
    for (i = 0; i < m->nsums; i++)
        mpq_clear(m->sums[i]);
    m->nsums = 0;
}

long lp__months_count(const lp__months *m)
{
    long count = 0;
    size_t i;
    for (i = 0; i < m->n; i++)
        count += m->run[i].last - m->run[i].first + 1;
    return count;
}

long lp__months_years(const lp__months *m, long need)
{
    long years = 0, in_year = 0;
    int year = INT_MIN;
    size_t i;
    for (i = 0; i < m->n; i++) {
        int t = m->run[i].first;
        while (t <= m->run[i].last) {
            int y = t / 12, u = y * 12 + 11 < m->run[i].last ? y * 12 + 11 : m->run[i].last;
            if (y != year) {
                years += in_year >= need;
                year = y;
                in_year = 0;
            }
            in_year += u - t + 1;
            t = u + 1;
        }
    }
    return years + (in_year >= need);
}

/* total += q x k (q NULL: zero). */
static void add_times(mpq_t total, mpq_srcptr q, long k, mpq_t tmp)
{
    if (!q || !k)
        return;
    if (k == 1) {
        lp__q_add(total, total, q);
        return;
    }
    lp__q_mul_ui(tmp, q, (unsigned long)k);
    lp__q_add(total, total, tmp);
}

static int cmp_desc(const void *a, const void *b)
{
    return -lp__earn_cmp(((const lp__month_run *)a)->earn, ((const lp__month_run *)b)->earn);
}

int lp__months_earnings(lp__workspace *ws, const lp__months *m, long best, long latest, mpq_t total, long *count,
                        mpq_t tmp)
{
    const lp__month_run *v = m->run;
    long k = 0, limit = latest ? latest : best ? best : LONG_MAX;
    size_t i;
    mpq_set_ui(total, 0, 1);
    if (best && !latest && m->n > 1) {
        /* the best months: the runs by earnings, highest first (equal
         * earnings give the same sum whichever months are taken) */
        lp__month_run *s = lp__workspace_alloc_raw(ws, m->n * sizeof *s);
        if (!s)
            return LP_ENOMEM;
        memcpy(s, m->run, m->n * sizeof *s);
        qsort(s, m->n, sizeof *s, cmp_desc);
        v = s;
    }
    for (i = 0; i < m->n && k < limit; i++) {
        /* the latest months are taken from the last run back */
        const lp__month_run *r = latest ? &v[m->n - 1 - i] : &v[i];
        long take = r->last - r->first + 1;
        if (take > limit - k)
            take = limit - k;
        add_times(total, r->earn, take, tmp);
        k += take;
    }
    *count = k;
    return LP_OK;
}

/* Run j is the first whose last month is t or later: t's contributing earnings. */
static mpq_srcptr earn_of(const lp__months *m, size_t j, int t)
{
    mpq_srcptr e;
    if (j == m->n || m->run[j].first > t)
        return NULL;
    e = m->run[j].earn;
    return e && mpq_sgn(e) ? e : NULL;
}

mpq_srcptr lp__months_earn_at(lp__months_cursor *cur, int t)
{
    while (cur->i < cur->m->n && cur->m->run[cur->i].last < t)
        cur->i++;
    return earn_of(cur->m, cur->i, t);
}

int lp__months_alike_until(lp__months_cursor *cur, int t, mpq_srcptr earn, int limit)
{
    const lp__months *m = cur->m;
    size_t j = cur->i;
    int u = t;
    if (t >= limit)
        return t;
    while (j < m->n && m->run[j].last < t)
        j++;
    for (;;) {
        /* the months alike from u: the rest of run j, or the gap before it */
        int end = j < m->n && m->run[j].first <= u ? m->run[j].last : j < m->n ? m->run[j].first - 1 : INT_MAX;
        if (end >= limit)
            return limit;
        u = end + 1;
        if (j < m->n && m->run[j].last < u)
            j++;
        if (earn_of(m, j, u) != earn)
            return end;
    }
}
