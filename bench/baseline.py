#!/usr/bin/python3
"""Plain Python baseline of the benchmark (doc/performance.md).

The same figures as bench/handwritten.c, with fractions.Fraction for money:
the PH-SSS old-age pension (alone, or pro-rata under the Japan-Philippines
agreement), the PH-SSS retirement lump sum, the JP-NP old-age basic pension
(alone or totalised) and the JP-NP lump-sum withdrawal, for careers holding
PH-SSS and JP-NP periods only, claimed from October to December 2025.
Rules: rules/schemes/PH-SSS.xml, rules/schemes/JP-NP.xml,
rules/agreements/JP-PH.xml, written out by hand the way a Python programmer
would (sets of months, Fractions, no rule engine).

    baseline.py CAREERS.txt [RESULTS.txt]

CAREERS.txt is written by `lp-bench baseline-input`. Prints
"careers=N ns=T hash=H": the time of the computation alone (reading the file
is not counted) and an FNV-1a hash of the result lines, which lp-bench
compares with lp_calc's.
"""
import datetime
import sys
import time
from fractions import Fraction


def month_index(d):
    return d[0] * 12 + d[1] - 1


def parse_date(s):
    return (int(s[0:4]), int(s[5:7]), int(s[8:10]))


def read_careers(path):
    careers = []
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split("|")
            cid, birth, nat, res, claim = parts[0].split(" ")
            periods = []
            for p in parts[1:]:
                scheme, kind, frm, to, earn = p.split(" ")
                periods.append((scheme, kind, parse_date(frm), parse_date(to), int(earn)))
            careers.append((cid, parse_date(birth), nat, res, parse_date(claim), periods))
    return careers


def age_on(birth, day):
    a = day[0] - birth[0]
    if (day[1], day[2]) < (birth[1], birth[2]):
        a -= 1
    return a


def months_of(frm, to, start=None):
    """Calendar months touched by [frm, to], from the day `start` on."""
    if start is not None:
        if to < start:
            return range(0)
        if frm < start:
            frm = start
    return range(month_index(frm), month_index(to) + 1)


def round_half_up(x, step):
    q = x / step
    n = (q.numerator * 2 + q.denominator) // (2 * q.denominator)
    return n * step


def money(x, decimals):
    step = Fraction(1, 10 ** decimals)
    n = round_half_up(x, step) / step
    n = int(n)
    if decimals:
        return "%d.%0*d" % (n // 10 ** decimals, decimals, n % 10 ** decimals)
    return "%d" % n


SSS_RATES = [((2007, 1), Fraction(104, 1000)), ((2014, 1), Fraction(11, 100)),
             ((2019, 4), Fraction(12, 100)), ((2021, 1), Fraction(13, 100)),
             ((2023, 1), Fraction(14, 100)), ((2025, 1), Fraction(15, 100))]

NP_PREMIUM = {1995: 11700, 1996: 12300, 1997: 12800, 1998: 13300, 1999: 13300, 2000: 13300, 2001: 13300, 2002: 13300, 2003: 13300, 2004: 13300, 2005: 13580, 2006: 13860, 2007: 14100, 2008: 14410, 2009: 14660, 2010: 15100, 2011: 15020, 2012: 14980, 2013: 15040, 2014: 15250, 2015: 15590, 2016: 16260, 2017: 16490, 2018: 16340, 2019: 16410, 2020: 16540, 2021: 16610, 2022: 16590, 2023: 16520, 2024: 16980, 2025: 17510}


def sss_rate(m):
    rate = None
    for (y, mo), r in SSS_RATES:
        if m >= y * 12 + mo - 1:
            rate = r
    return rate


def sss_own_cys(months, semester):
    """Calendar years with at least 6 contributions before the semester (RA 8282 s.8)."""
    per_year = {}
    for m in months:
        if m < semester:
            per_year[m // 12] = per_year.get(m // 12, 0) + 1
    return sum(1 for n in per_year.values() if n >= 6)


def sss_pension(cys, totalised, amsc):
    formula1 = Fraction(300) + Fraction(20, 100) * amsc + Fraction(2, 100) * amsc * max(cys - 10, 0)
    formula2 = Fraction(40, 100) * amsc
    minimum = Fraction(2400) if cys >= 20 else Fraction(1200) if cys >= 10 else Fraction(0)
    basic = max(formula1, formula2, minimum)
    return basic + (Fraction(0) if totalised else Fraction(1000))


def compute(career):
    cid, birth, nat, res, claim, periods = career
    age = age_on(birth, claim)
    quarter = claim[0] * 12 + (claim[1] - 1) // 3 * 3
    semester = quarter - 3                      # month index of the semester's first month
    np_start = (birth[0] + 20, birth[1], birth[2])
    ph = [p for p in periods if p[0] == "PH-SSS"]
    np = [p for p in periods if p[0] == "JP-NP"]

    # ---- PH-SSS
    ph_months = set()
    for p in ph:
        ph_months.update(months_of(p[2], p[3]))
    own = len(ph_months)
    from_semester = len([m for m in ph_months if m >= semester])
    earnings = {}
    for p in ph:
        for m in months_of(p[2], p[3]):
            earnings[m] = earnings.get(m, Fraction(0)) + p[4]
    for m in earnings:                          # from January 2021 the regular-SSS part only
        if m >= 2021 * 12 and earnings[m] > 20000:
            earnings[m] = Fraction(20000)
    before = [m for m in ph_months if m < semester]
    last60 = [m for m in before if m >= semester - 60]
    avg60 = sum((earnings[m] for m in last60), Fraction(0)) / 60
    avg_all = sum((earnings[m] for m in before), Fraction(0)) / len(before) if before else Fraction(0)
    amsc = max(avg60, avg_all)
    sss_status, sss_pay = "not-eligible", Fraction(0)
    if age >= 60 and own - from_semester >= 120:
        sss_status, sss_pay = "payable", sss_pension(sss_own_cys(ph_months, semester), False, amsc)
    elif own < 12:
        sss_status = "below-minimum"
    else:
        all_months = set(ph_months)
        for p in np:
            all_months.update(months_of(p[2], p[3], np_start))
        total = len(all_months)
        if age >= 60 and total - from_semester >= 120:
            theoretical = sss_pension((total - from_semester) // 12, True, amsc)
            sss_pay = round_half_up(theoretical * Fraction(own, total), Fraction(1, 100))
            sss_status = "payable"
    sss_ls_avail = age >= 60 and len(before) < 120 and own >= 1
    sss_ls = Fraction(0)
    for p in ph:
        for m in months_of(p[2], p[3]):
            sss_ls += p[4] * sss_rate(m)

    # ---- JP-NP
    np_months, lump_months, last_lump = set(), set(), None
    for p in np:
        ms = months_of(p[2], p[3], np_start)
        np_months.update(ms)
        if p[1] in ("contribution", "voluntary"):
            lump_months.update(ms)
    own_np = len(np_months)
    lsm = len(lump_months)
    if lump_months:
        last_lump = max(lump_months)
    totalised = set(np_months)
    for p in ph:
        totalised.update(months_of(p[2], p[3], np_start))
    np_status, np_pay = "not-eligible", Fraction(0)
    # Japan: 65 is attained on the day before the birthday (Age Calculation Act)
    next_day = datetime.date(*claim) + datetime.timedelta(days=1)
    if age_on(birth, (next_day.year, next_day.month, next_day.day)) >= 65 and len(totalised) >= 120:
        full = 829300 if birth <= (1956, 4, 1) else 831700
        np_pay = round_half_up(Fraction(full) * min(own_np, 480) / 480, Fraction(1))
        np_status = "payable"
    np_ls_avail = nat != "JP" and res != "JP" and lsm >= 6 and own_np < 120
    np_ls = Fraction(0)
    if lsm >= 6:
        year, month = last_lump // 12, last_lump % 12 + 1
        fiscal_year = year if month >= 4 else year - 1
        premium = NP_PREMIUM.get(fiscal_year)
        if premium is not None:
            cap = 36 if (year, month) < (2021, 4) else 60
            np_ls = Fraction(premium) / 2 * min(lsm // 6 * 6, cap)

    return "%s|%s|%s|%d|%s|%s|%s|%d|%s\n" % (
        cid, sss_status, money(sss_pay, 2), sss_ls_avail, money(sss_ls, 2),
        np_status, money(np_pay, 0), np_ls_avail, money(np_ls, 0))


def fnv1a(h, s):
    for b in s.encode():
        h = ((h ^ b) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return h


def main():
    careers = read_careers(sys.argv[1])
    t0 = time.perf_counter_ns()
    lines = [compute(c) for c in careers]
    t1 = time.perf_counter_ns()
    h = 14695981039346656037
    for line in lines:
        h = fnv1a(h, line)
    if len(sys.argv) > 2:
        with open(sys.argv[2], "w") as f:
            f.writelines(lines)
    print("careers=%d ns=%d hash=%016x" % (len(careers), t1 - t0, h))


if __name__ == "__main__":
    main()
