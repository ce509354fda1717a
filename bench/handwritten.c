/* Hand-written GMP baseline (see handwritten.h). The rules are those of
 * rules/schemes/PH-SSS.xml, rules/schemes/JP-NP.xml and
 * rules/agreements/JP-PH.xml, with their parameter values for the claims the
 * bench generates (October to December 2025), coded the way a programmer
 * would who knows these two schemes and nothing else. */
#include <stdio.h>
#include <string.h>

#include "handwritten.h"

#define BASE_MONTH (1990 * 12)
#define NMONTHS (60 * 12)

static int month_index(int y, int m)
{
    return y * 12 + m - 1;
}

void hw_prepare(hw_career *h, const career *c)
{
    int i;
    memset(h, 0, sizeof *h);
    h->id = c->id;
    h->by = c->by; h->bm = c->bm; h->bd = c->bd;
    h->cy = c->cy; h->cm = c->cm; h->cd = c->cd;
    h->national_jp = strcmp(c->nationality, "JP") == 0;
    h->resident_jp = strcmp(c->residence, "JP") == 0;
    for (i = 0; i < c->nperiods; i++) {
        const bperiod *p = &c->p[i];
        hw_period *q = strcmp(p->scheme, "PH-SSS") == 0 ? &h->ph[h->nph++] : &h->np[h->nnp++];
        q->m_from = p->m_from;
        q->m_to = p->m_to;
        q->kind_lump = strcmp(p->kind, "contribution") == 0 || strcmp(p->kind, "voluntary") == 0;
        mpq_init(q->earn);
        mpq_set_si(q->earn, p->earnings, 1);
    }
}

void hw_release(hw_career *h)
{
    int i;
    for (i = 0; i < h->nph; i++)
        mpq_clear(h->ph[i].earn);
    for (i = 0; i < h->nnp; i++)
        mpq_clear(h->np[i].earn);
}

void hw_work_init(hw_work *w)
{
    int i;
    for (i = 0; i < 12; i++)
        mpq_init(w->t[i]);
    mpz_init(w->z);
}

void hw_work_clear(hw_work *w)
{
    int i;
    for (i = 0; i < 12; i++)
        mpq_clear(w->t[i]);
    mpz_clear(w->z);
}

/* Completed years of age on the claim date. */
static int age(const hw_career *h)
{
    int a = h->cy - h->by;
    if (h->cm < h->bm || (h->cm == h->bm && h->cd < h->bd))
        a--;
    return a;
}

/* Completed years of age on the day after the claim date: Japan's age is
 * attained on the day before the birthday (Age Calculation Act, Civil Code
 * art. 143), so one is 65 on the claim date when 65 on the next day. */
static int age_next_day(const hw_career *h)
{
    static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int y = h->cy, m = h->cm, d = h->cd + 1, a;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[m - 1] + (m == 2 && leap)) {
        d = 1;
        if (++m > 12) {
            m = 1;
            y++;
        }
    }
    a = y - h->by;
    if (m < h->bm || (m == h->bm && d < h->bd))
        a--;
    return a;
}

/* Mark months [from, to] clipped to [lo, hi]; returns how many were newly marked. */
static int mark(unsigned char *mask, int from, int to, int lo, int hi)
{
    int m, k = 0;
    if (from < lo) from = lo;
    if (to > hi) to = hi;
    for (m = from; m <= to; m++) {
        k += !mask[m - BASE_MONTH];
        mask[m - BASE_MONTH] = 1;
    }
    return k;
}

/* x rounded half-up (ties away from zero; x >= 0 here) to 1/scale, as text with
 * `decimals` digits after the point. */
static void money_text(char *buf, size_t cap, mpq_srcptr x, long scale, int decimals, mpz_t z)
{
    long v;
    /* floor(x * scale + 1/2) = floor((2 * num * scale + den) / (2 * den)) */
    mpz_mul_si(z, mpq_numref(x), 2 * scale);
    mpz_add(z, z, mpq_denref(x));
    mpz_fdiv_q(z, z, mpq_denref(x));
    mpz_fdiv_q_2exp(z, z, 1);
    v = mpz_get_si(z);
    if (decimals)
        snprintf(buf, cap, "%ld.%02ld", v / scale, v % scale);
    else
        snprintf(buf, cap, "%ld", v);
}

/* Round x in place, half-up, to 1/scale. */
static void round_to(mpq_t x, long scale, mpz_t z)
{
    mpz_mul_si(z, mpq_numref(x), 2 * scale);
    mpz_add(z, z, mpq_denref(x));
    mpz_fdiv_q(z, z, mpq_denref(x));
    mpz_fdiv_q_2exp(z, z, 1);
    mpq_set_z(x, z);
    mpz_set_si(z, scale);
    mpz_mul(mpq_denref(x), mpq_denref(x), z);
    mpq_canonicalize(x);
}

/* PH-SSS credited years on the own periods: calendar years with at least 6
 * contributions before the semester of contingency (RA 8282 s.8). */
static long sss_own_cys(const unsigned char *mask, int semester)
{
    long cys = 0;
    int y, m, n;
    for (y = BASE_MONTH / 12; y * 12 < semester; y++) {
        for (n = 0, m = y * 12; m < y * 12 + 12 && m < semester; m++)
            n += mask[m - BASE_MONTH];
        cys += n >= 6;
    }
    return cys;
}

/* PH-SSS basic monthly pension + additional benefit (RA 11199 s.12-B), with
 * `cys` credited years. */
static void sss_amount(mpq_t out, long cys, int totalised, mpq_srcptr amsc, hw_work *w)
{
    mpq_ptr a = w->t[6], b = w->t[7];
    /* 300 + 20% AMSC + 2% AMSC per CYS above 10 */
    mpq_set_ui(a, cys > 10 ? (unsigned long)(10 + (cys - 10)) : 10UL, 50);   /* (10 + n) / 50 = 20% + n x 2% */
    mpq_canonicalize(a);
    mpq_mul(a, a, amsc);
    mpq_set_ui(b, 300, 1);
    mpq_add(a, a, b);
    /* 40% AMSC */
    mpq_set_ui(b, 2, 5);
    mpq_mul(b, b, amsc);
    if (mpq_cmp(b, a) > 0)
        mpq_swap(a, b);
    /* minimum pension */
    mpq_set_ui(b, cys >= 20 ? 2400 : cys >= 10 ? 1200 : 0, 1);
    if (mpq_cmp(b, a) > 0)
        mpq_swap(a, b);
    if (!totalised) {
        mpq_set_ui(b, 1000, 1);                     /* additional benefit since 2017 */
        mpq_add(a, a, b);
    }
    mpq_set(out, a);
}

/* PH-SSS contribution rate of month m, in thousandths. */
static long sss_rate(int m)
{
    if (m < month_index(2007, 1)) return -1;
    if (m < month_index(2014, 1)) return 104;
    if (m < month_index(2019, 4)) return 110;
    if (m < month_index(2021, 1)) return 120;
    if (m < month_index(2023, 1)) return 130;
    if (m < month_index(2025, 1)) return 140;
    return 150;
}

/* JP-NP monthly premium of the fiscal year starting in April of fy. */
static long np_premium(int fy)
{
    /* FY1995 to FY2025, as rules/schemes/JP-NP.xml encodes them */
    static const long p[] = { 11700, 12300, 12800, 13300, 13300, 13300, 13300, 13300, 13300, 13300, 13580, 13860, 14100, 14410, 14660, 15100, 15020, 14980, 15040, 15250, 15590, 16260, 16490, 16340, 16410, 16540, 16610, 16590, 16520, 16980, 17510 };
    return fy >= 1995 && fy <= 2025 ? p[fy - 1995] : -1;
}

int hw_compute(char *line, size_t cap, const hw_career *h, hw_work *w)
{
    unsigned char ph_mask[NMONTHS], all_mask[NMONTHS];
    int a = age(h), i;
    int semester = month_index(h->cy, (h->cm - 1) / 3 * 3 + 1) - 3;
    int np_start = month_index(h->by + 20, h->bm);        /* JP-NP from-age 20 (births on day <= 28) */
    long own_ph = 0, ph_from_sem = 0, total, own_np = 0, lsm = 0, months_before = 0;
    int last_lump = -1;
    mpq_ptr amsc = w->t[0], x = w->t[1], y = w->t[2], amount = w->t[3], ls = w->t[4], sum = w->t[5];
    const char *sss_status, *np_status;
    char sss_pay[32], sss_ls[32], np_pay[32], np_ls[32];
    int sss_ls_avail, np_ls_avail, indep;

    /* ---- PH-SSS ---- */
    memset(ph_mask, 0, sizeof ph_mask);
    for (i = 0; i < h->nph; i++)
        own_ph += mark(ph_mask, h->ph[i].m_from, h->ph[i].m_to, BASE_MONTH, BASE_MONTH + NMONTHS - 1);
    for (i = semester; i < BASE_MONTH + NMONTHS; i++)
        ph_from_sem += ph_mask[i - BASE_MONTH];
    /* AMSC = max(earnings of the last 60 months before the semester / 60, average before it);
     * from January 2021 a month's MSC counts at most 20,000 (the regular-SSS part) */
    mpq_set_ui(x, 0, 1);
    mpq_set_ui(y, 0, 1);
    for (i = 0; i < h->nph; i++) {
        const hw_period *p = &h->ph[i];
        int f = p->m_from, t = p->m_to < semester ? p->m_to : semester - 1, f60 = f < semester - 60 ? semester - 60 : f;
        int mpf = month_index(2021, 1), k;
        if (t >= f)
            months_before += t - f + 1;
        for (k = 0; k < 2; k++) {           /* k = 0: months before 2021; k = 1: from 2021, capped */
            int lo = k ? (f > mpf ? f : mpf) : f, hi = k ? t : (t < mpf - 1 ? t : mpf - 1);
            int lo60 = lo < f60 ? f60 : lo;
            mpq_set(w->t[8], p->earn);
            if (k && mpq_cmp_ui(w->t[8], 20000, 1) > 0)
                mpq_set_ui(w->t[8], 20000, 1);
            if (hi >= lo) {
                mpq_set_ui(sum, (unsigned long)(hi - lo + 1), 1);
                mpq_mul(sum, sum, w->t[8]);
                mpq_add(y, y, sum);
            }
            if (hi >= lo60) {
                mpq_set_ui(sum, (unsigned long)(hi - lo60 + 1), 1);
                mpq_mul(sum, sum, w->t[8]);
                mpq_add(x, x, sum);
            }
        }
    }
    mpq_set_ui(sum, 60, 1);
    mpq_div(x, x, sum);
    if (months_before) {
        mpq_set_ui(sum, (unsigned long)months_before, 1);
        mpq_div(y, y, sum);
    }
    mpq_set(amsc, mpq_cmp(x, y) >= 0 ? x : y);

    indep = a >= 60 && own_ph - ph_from_sem >= 120;
    sss_status = "not-eligible";
    strcpy(sss_pay, "0.00");
    if (indep) {
        sss_amount(amount, sss_own_cys(ph_mask, semester), 0, amsc, w);
        money_text(sss_pay, sizeof sss_pay, amount, 100, 2, w->z);
        sss_status = "payable";
    } else if (own_ph < 12) {
        sss_status = "below-minimum";                   /* JP-PH minimum-own 12 */
    } else {
        memcpy(all_mask, ph_mask, sizeof all_mask);
        total = own_ph;
        for (i = 0; i < h->nnp; i++)
            if (h->np[i].m_to >= np_start)
                total += mark(all_mask, h->np[i].m_from, h->np[i].m_to, np_start, BASE_MONTH + NMONTHS - 1);
        if (a >= 60 && total - ph_from_sem >= 120) {
            sss_amount(amount, (total - ph_from_sem) / 12, 1, amsc, w);   /* theoretical: whole years */
            mpq_set_ui(x, (unsigned long)own_ph, (unsigned long)total);
            mpq_canonicalize(x);
            mpq_mul(amount, amount, x);
            round_to(amount, 100, w->z);                          /* pro-rata, half-up to the centavo */
            money_text(sss_pay, sizeof sss_pay, amount, 100, 2, w->z);
            sss_status = "payable";
        }
    }

    /* PH-SSS retirement lump sum: contributions (MSC x rate of the month), no interest */
    sss_ls_avail = a >= 60 && own_ph - ph_from_sem < 120 && own_ph >= 1;
    /* months before the semester: every period here ends before it */
    mpq_set_ui(ls, 0, 1);
    for (i = 0; i < h->nph; i++) {
        const hw_period *p = &h->ph[i];
        int m = p->m_from;
        while (m <= p->m_to) {
            long r = sss_rate(m);
            int e = m;
            while (e + 1 <= p->m_to && sss_rate(e + 1) == r)
                e++;
            mpq_set_si(x, (long)(e - m + 1) * r, 1000);
            mpq_canonicalize(x);
            mpq_mul(x, x, p->earn);
            mpq_add(ls, ls, x);
            m = e + 1;
        }
    }
    money_text(sss_ls, sizeof sss_ls, ls, 100, 2, w->z);

    /* ---- JP-NP ---- */
    memset(all_mask, 0, sizeof all_mask);
    for (i = 0; i < h->nnp; i++) {
        const hw_period *p = &h->np[i];
        int k;
        if (p->m_to < np_start)
            continue;
        k = mark(all_mask, p->m_from, p->m_to, np_start, BASE_MONTH + NMONTHS - 1);
        own_np += k;
        if (p->kind_lump) {
            lsm += k;
            if (p->m_to > last_lump)
                last_lump = p->m_to;
        }
    }
    total = own_np;
    for (i = 0; i < h->nph; i++)
        total += mark(all_mask, h->ph[i].m_from, h->ph[i].m_to, np_start, BASE_MONTH + NMONTHS - 1);
    np_status = "not-eligible";
    strcpy(np_pay, "0");
    if (age_next_day(h) >= 65 && total >= 120) {        /* alone, or totalised (direct) */
        int older = h->by < 1956 || (h->by == 1956 && (h->bm < 4 || (h->bm == 4 && h->bd <= 1)));
        long paid = own_np < 480 ? own_np : 480;
        mpq_set_ui(amount, older ? 829300 : 831700, 480);
        mpq_canonicalize(amount);
        mpq_set_ui(x, (unsigned long)paid, 1);
        mpq_mul(amount, amount, x);
        money_text(np_pay, sizeof np_pay, amount, 1, 0, w->z);
        np_status = "payable";
    }
    np_ls_avail = !h->national_jp && !h->resident_jp && lsm >= 6 && own_np < 120;
    strcpy(np_ls, "0");
    if (lsm >= 6) {
        int fy = last_lump / 12 - (last_lump % 12 < 3);
        long prem = np_premium(fy), n = lsm / 6 * 6, capn = last_lump < month_index(2021, 4) ? 36 : 60;
        if (prem > 0) {
            mpq_set_si(ls, prem * (n < capn ? n : capn), 2);
            mpq_canonicalize(ls);
            money_text(np_ls, sizeof np_ls, ls, 1, 0, w->z);
        }
    }
    return snprintf(line, cap, "%s|%s|%s|%d|%s|%s|%s|%d|%s\n", h->id, sss_status, sss_pay, sss_ls_avail, sss_ls,
                    np_status, np_pay, np_ls_avail, np_ls);
}
