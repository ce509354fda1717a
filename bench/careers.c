/* Synthetic careers for the benchmark: see careers.h.
 *
 * Shapes follow tests/data/cases/NAME/history.xml. Every period is a run of whole
 * calendar months. The dates keep clear of the holes the shipped rule set
 * leaves on purpose (values it does not know are evaluation errors, not
 * guesses): claims are dated October to December 2025 (JP-NP has FY2024 and
 * FY2025 amounts, CA-OAS quarters up to 2025, US bend points up to 2026),
 * births 1950 to 1963 (US bend points of the year of age 62), periods from
 * 2007 (PH-SSS contribution rates start in 2007), MY-EPF periods from 2013
 * (dividend rates start in 2013). KR-NPS refunds carry interest at a deposit
 * rate the rule set knows for 2022 and 2025 only, so a career with Korean
 * periods has a nationality outside the refund list (the refund is then not
 * available and not computed). The bench still runs every career through
 * lp_calc once before timing and regenerates one that fails; the number of
 * such rejections is printed. */
#include <stdio.h>
#include <string.h>

#include "careers.h"

static uint64_t next(rng *r)
{
    /* xorshift64* */
    uint64_t x = r->s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    r->s = x;
    return x * UINT64_C(2685821657736338717);
}

/* Uniform in [lo, hi]. */
static int rnd(rng *r, int lo, int hi)
{
    return lo + (int)(next(r) % (uint64_t)(hi - lo + 1));
}

static int month_index(int y, int m)
{
    return y * 12 + m - 1;
}

static int days_in_month(int y, int m)
{
    static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

enum { PH, JP, KR, US, CA, MY, NCOUNTRIES };
static const char *const country_code[] = { "PH", "JP", "KR", "US", "CA", "MY" };

/* Nationalities outside the KR-NPS refund list (see the header comment). */
static const char *const not_refund_list[] = { "JP", "VN", "CN", "NP" };

static void add_period(career *c, const char *scheme, const char *kind, int from, int to, long earn,
                       const char *cur)
{
    bperiod *p = &c->p[c->nperiods++];
    p->scheme = scheme;
    p->kind = kind;
    p->m_from = from;
    p->m_to = to;
    p->earnings = earn;
    p->currency = cur;
}

static void add_fact(career *c, const char *scheme, const char *name, long value, const char *cur)
{
    bfact *f = &c->f[c->nfacts++];
    f->scheme = scheme;
    f->name = name;
    f->value = value;
    f->currency = cur;
}

void career_generate(career *c, rng *r, int pop, long serial)
{
    int countries[NCOUNTRIES], k, i, j, target, nchunks = 0, used = 0;
    int chunk[BENCH_MAX_PERIODS], chunk_jp_emp[BENCH_MAX_PERIODS];
    int start, end = month_index(2025, 6), span, gaps[BENCH_MAX_PERIODS], len[BENCH_MAX_PERIODS];
    int weight[BENCH_MAX_PERIODS], wsum = 0, gsum = 0, m, has_kr = 0;

    memset(c, 0, sizeof *c);
    snprintf(c->id, sizeof c->id, "w%07ld", serial);
    c->by = rnd(r, 1950, 1963);
    c->bm = rnd(r, 1, 12);
    c->bd = rnd(r, 1, 28);
    c->cy = 2025;
    c->cm = rnd(r, 10, 12);
    c->cd = rnd(r, 1, 28);

    /* which countries */
    for (i = 0; i < NCOUNTRIES; i++)
        countries[i] = i;
    if (pop == POP_PH_JP) {
        k = 2;
    } else {
        k = rnd(r, 2, 5);
        for (i = 0; i < k; i++) {
            j = rnd(r, i, NCOUNTRIES - 1);
            m = countries[i];
            countries[i] = countries[j];
            countries[j] = m;
        }
    }
    target = rnd(r, 3, 20);
    if (target < k)
        target = k;

    /* chunks of the timeline: each country at least once, then at random; a
     * Japanese employment chunk is two periods (JP-NP Category 2 and JP-EPI) */
    while (used < target && nchunks < BENCH_MAX_PERIODS) {
        int cc = nchunks < k ? countries[nchunks] : countries[rnd(r, 0, k - 1)];
        int emp = cc == JP && pop == POP_ALL && used + 2 <= target && rnd(r, 0, 9) < 6;
        chunk[nchunks] = cc;
        chunk_jp_emp[nchunks] = emp;
        used += emp ? 2 : 1;
        nchunks++;
    }
    for (i = nchunks - 1; i > 0; i--) {          /* shuffle */
        j = rnd(r, 0, i);
        m = chunk[i]; chunk[i] = chunk[j]; chunk[j] = m;
        m = chunk_jp_emp[i]; chunk_jp_emp[i] = chunk_jp_emp[j]; chunk_jp_emp[j] = m;
    }
    for (i = 0, j = 0; i < nchunks; i++)          /* MY chunks last (from 2013) */
        if (chunk[i] != MY) {
            int t = chunk[i], e = chunk_jp_emp[i], q;
            for (q = i; q > j; q--) {
                chunk[q] = chunk[q - 1];
                chunk_jp_emp[q] = chunk_jp_emp[q - 1];
            }
            chunk[j] = t;
            chunk_jp_emp[j] = e;
            j++;
        }

    /* lengths and gaps over [start, end] */
    start = month_index(rnd(r, 2007, 2015), rnd(r, 1, 12));
    span = end - start + 1;
    for (i = 0; i < nchunks; i++) {
        weight[i] = rnd(r, 1, 8);
        wsum += weight[i];
        gaps[i] = rnd(r, 0, 1) ? rnd(r, 0, 6) : 0;
        gsum += gaps[i];
    }
    if (span - gsum < nchunks * 2) {
        memset(gaps, 0, sizeof gaps);
        gsum = 0;
    }
    for (i = 0; i < nchunks; i++) {
        len[i] = (span - gsum) * weight[i] / wsum;
        if (len[i] < 1)
            len[i] = 1;
    }

    m = start;
    for (i = 0; i < nchunks && m <= end; i++) {
        int from = m, to = m + len[i] - 1;
        if (to > end)
            to = end;
        m = to + 1 + gaps[i];
        switch (chunk[i]) {
        case PH:
            add_period(c, "PH-SSS", "contribution", from, to, 500L * rnd(r, 2, 60), "PHP");
            break;
        case JP:
            if (chunk_jp_emp[i]) {
                add_period(c, "JP-NP", "employment", from, to, 0, NULL);
                add_period(c, "JP-EPI", "employment", from, to, 1000L * rnd(r, 88, 650), "JPY");
            } else {
                add_period(c, "JP-NP", "contribution", from, to, 0, NULL);
            }
            break;
        case KR:
            add_period(c, "KR-NPS", "contribution", from, to, 10000L * rnd(r, 40, 600), "KRW");
            has_kr = 1;
            break;
        case US:
            /* US earnings as a monthly amount: the rules compute the AIME and the
             * theoretical record from them (issue 17), no AIME fact */
            add_period(c, "US-OASDI", "employment", from, to, 100L * rnd(r, 20, 120), "USD");
            break;
        case CA:
            add_period(c, "CA-OAS", "residence", from, to, 0, NULL);
            break;
        default:
            if (from < month_index(2013, 1))
                from = month_index(2013, 1);
            if (from > to)
                from = to;
            add_period(c, "MY-EPF", "contribution", from, to, 100L * rnd(r, 15, 80), "MYR");
            break;
        }
    }
    if (has_kr) {
        add_fact(c, "KR-NPS", "pension_amount", 1000L * rnd(r, 100, 900), "KRW");
        add_fact(c, "KR-NPS", "theoretical_pension_amount", 1000L * rnd(r, 300, 1500), "KRW");
    }

    /* who: mostly a national of one of the countries, living in one of them */
    if (pop == POP_PH_JP) {
        i = rnd(r, 0, 9);
        memcpy(c->nationality, i < 8 ? "PH" : i < 9 ? "VN" : "JP", 3);
        i = rnd(r, 0, 9);
        memcpy(c->residence, i < 6 ? "PH" : i < 9 ? "JP" : "VN", 3);
    } else {
        memcpy(c->nationality, country_code[countries[rnd(r, 0, k - 1)]], 3);
        if (has_kr)
            memcpy(c->nationality, not_refund_list[rnd(r, 0, 3)], 3);
        memcpy(c->residence, country_code[countries[rnd(r, 0, k - 1)]], 3);
    }
}

static void fmt_date(char buf[11], int y, int m, int d)
{
    /* the generator's dates are in years 1950..2039: four digits, no sign */
    unsigned yy = (unsigned)y % 10000u, mm = (unsigned)m % 100u, dd = (unsigned)d % 100u;
    buf[0] = (char)('0' + yy / 1000); buf[1] = (char)('0' + yy / 100 % 10);
    buf[2] = (char)('0' + yy / 10 % 10); buf[3] = (char)('0' + yy % 10); buf[4] = '-';
    buf[5] = (char)('0' + mm / 10); buf[6] = (char)('0' + mm % 10); buf[7] = '-';
    buf[8] = (char)('0' + dd / 10); buf[9] = (char)('0' + dd % 10); buf[10] = '\0';
}

static void month_first(char buf[11], int mi)
{
    fmt_date(buf, mi / 12, mi % 12 + 1, 1);
}

static void month_last(char buf[11], int mi)
{
    fmt_date(buf, mi / 12, mi % 12 + 1, days_in_month(mi / 12, mi % 12 + 1));
}

int career_to_history(lp_history **out, const career *c)
{
    char birth[11], claim[11], from[11], to[11], num[24];
    lp_history *h;
    int i, rc;
    fmt_date(birth, c->by, c->bm, c->bd);
    fmt_date(claim, c->cy, c->cm, c->cd);
    *out = NULL;
    if ((rc = lp_history_new(&h, c->id, birth, c->nationality, c->residence, claim, "old-age")))
        return rc;
    for (i = 0; rc == LP_OK && i < c->nperiods; i++) {
        const bperiod *p = &c->p[i];
        month_first(from, p->m_from);
        month_last(to, p->m_to);
        snprintf(num, sizeof num, "%ld", p->earnings);
        rc = lp_history_add_period(h, p->scheme, from, to, p->kind, p->earnings ? num : NULL,
                                   p->earnings ? "month" : NULL, p->earnings ? p->currency : NULL);
    }
    for (i = 0; rc == LP_OK && i < c->nfacts; i++) {
        snprintf(num, sizeof num, "%ld", c->f[i].value);
        rc = lp_history_add_fact(h, c->f[i].scheme, c->f[i].name, num, c->f[i].currency);
    }
    if (rc) {
        lp_history_free(h);
        return rc;
    }
    *out = h;
    return LP_OK;
}

void career_write_xml(FILE *fp, const career *c)
{
    char birth[11], claim[11], from[11], to[11];
    int i;
    fmt_date(birth, c->by, c->bm, c->bd);
    fmt_date(claim, c->cy, c->cm, c->cd);
    fprintf(fp, "<history id=\"%s\"><person birth-date=\"%s\" nationality=\"%s\" residence=\"%s\"/>"
            "<claim benefit=\"old-age\" date=\"%s\"/>\n", c->id, birth, c->nationality, c->residence, claim);
    for (i = 0; i < c->nperiods; i++) {
        const bperiod *p = &c->p[i];
        month_first(from, p->m_from);
        month_last(to, p->m_to);
        fprintf(fp, "<period scheme=\"%s\" from=\"%s\" to=\"%s\" kind=\"%s\"", p->scheme, from, to, p->kind);
        if (p->earnings)
            fprintf(fp, "><earnings currency=\"%s\">%ld</earnings></period>\n", p->currency, p->earnings);
        else
            fputs("/>\n", fp);
    }
    for (i = 0; i < c->nfacts; i++)
        fprintf(fp, "<fact scheme=\"%s\" name=\"%s\" currency=\"%s\">%ld</fact>\n", c->f[i].scheme,
                c->f[i].name, c->f[i].currency, c->f[i].value);
    fputs("</history>\n", fp);
}

void career_write_line(FILE *fp, const career *c)
{
    char birth[11], claim[11], from[11], to[11];
    int i;
    fmt_date(birth, c->by, c->bm, c->bd);
    fmt_date(claim, c->cy, c->cm, c->cd);
    fprintf(fp, "%s %s %s %s %s", c->id, birth, c->nationality, c->residence, claim);
    for (i = 0; i < c->nperiods; i++) {
        const bperiod *p = &c->p[i];
        month_first(from, p->m_from);
        month_last(to, p->m_to);
        fprintf(fp, "|%s %s %s %s %ld", p->scheme, p->kind, from, to, p->earnings);
    }
    fputc('\n', fp);
}
