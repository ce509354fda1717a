#!/usr/bin/env python3
"""The portability gap of a cohort of careers, as CSV.

For every career and every scheme it has periods in: what the scheme pays with the
social-security agreements of the rule set, what it pays without any of them
(each scheme alone), and the difference -- the portability gap that worker and
employer organisations argue from. Amounts are exact decimals as the rules round
them, in each scheme's own currency (no conversion), and one TOTAL row per scheme
and currency sums the cohort.

    portability_gap.py [--rules DIR] [--jobs N] [--no-totals] [--by-corridor] [-o FILE] [HISTORY.xml | DIR ...]

With --by-corridor, one row per corridor instead: from the worker's nationality
(origin) to the country of the scheme (destination), the careers, and what the
schemes of that country pay them with the agreements of the rule set and without
any (lp_compare), in each currency and frequency, and the difference: what the
agreements add in that corridor. Pensions only: a scheme's lump sums are
alternatives to each other and to its pension, which a cohort's sum would count
twice. Two columns say which agreements: those the calculation applied ("none
applied"), and those of the rule set that bind origin and destination and are in
force on a claim date of the corridor's careers ("no agreement" where the rule set
holds none; "not in force: ID" where it holds one in force on none of those dates;
empty where origin and destination are one country, whose pensions only
agreements with other countries change). "No agreement" is said of the rule set:
an agreement it does not hold may exist.

A scheme that cannot be computed (in either scenario) is not a zero: its row has no
figures and says so in the status columns, and it is left out of the totals; a
corridor counts such schemes in its own column.

Each argument is a history file, a batch document (<histories>) or a directory of them;
a record that fails is reported on standard error and the rest go on.

With no history, a built-in synthetic cohort is used: Filipino workers born
1955-1964 with 2-7 years in the Philippine SSS and 3-9 years in Japan (National
Pension and Employees' Pension Insurance) up to 2023-2024, claiming in the Philippines
in October 2025. The careers are illustrative, not statistics.

Exit status: 0 success, 1 a history or the rule set failed, 2 bad usage.
"""

import argparse
import concurrent.futures
import csv
import os
import sys
from decimal import Decimal

import portability


def synthetic_cohort(n):
    """n deterministic careers across the Philippines and Japan (integer arithmetic only)."""
    cohort = []
    for i in range(n):
        birth_year = 1955 + (i * 7) % 10
        sss_years = 2 + (i * 5) % 6             # 2..7 years in the SSS
        jp_years = 3 + (i * 3) % 7              # 3..9 years in Japan
        sss_salary = 8000 + 1000 * ((i * 11) % 13)     # PHP a month
        jp_salary = 200000 + 10000 * ((i * 13) % 21)   # JPY a month
        h = portability.History("cohort-%03d" % (i + 1), "%d-05-01" % birth_year, "PH", "PH",
                                 "2025-10-01")
        # Japan last, ending in March 2023 or 2024; the SSS years just before it (the
        # shipped rules' parameter tables start in 2007 for the SSS, 2013 for Japan's
        # withholding on the lump sum)
        jp_end = 2024 - (i % 2)
        jp_start = jp_end - jp_years
        start = jp_start - sss_years
        h.add_period("PH-SSS", "%d-01-01" % start, "%d-12-31" % (jp_start - 1),
                     "contribution", earnings=sss_salary, per="month", currency="PHP")
        h.add_period("JP-NP", "%d-04-01" % jp_start, "%d-03-31" % jp_end, "employment")
        h.add_period("JP-EPI", "%d-04-01" % jp_start, "%d-03-31" % jp_end, "employment",
                     earnings=jp_salary, per="month", currency="JPY")
        cohort.append(h)
    return cohort


def read_careers(paths, errors):
    """Histories from files, batch documents (<histories>) and directories of them."""
    out = []
    for p in paths:
        for h in portability.read_histories(p, errors="return"):
            if isinstance(h, Exception):
                errors.append(h)
            else:
                out.append(h)
    return out


def payable(ent):
    """The payable figure as the rules round it (Decimal), 0 when nothing is payable."""
    if ent is None:
        return Decimal(0)
    d = ent.rounded("payable")
    return d if d is not None else Decimal(0)


def cannot_compute(ent):
    return ent is not None and ent.status == "cannot-compute"


def corridor_agreements(rules, origin, destination, claim_dates):
    """The agreements of the rule set binding origin and destination, in force on
    one of the claim dates: their ids; "not in force: IDS" when the rules hold
    some that are in force on none of them; "no agreement" when they hold none;
    "" when origin and destination are one country."""
    if origin == destination:
        return ""
    binding = rules.agreements_between(origin, destination)
    in_force = [a.id for a in binding if any(a.in_force_on(d) for d in claim_dates)]
    if in_force:
        return " ".join(in_force)
    if binding:
        return "not in force: " + " ".join(a.id for a in binding)
    return "no agreement"


def write_corridors(w, rules, rows):
    """rows: (origin, destination, currency, frequency, history, claim date, with,
    without, agreement, unknown); amounts are added only within one currency and one
    frequency."""
    corridors = {}
    for nat, country, cur, freq, hid, claim, p_with, p_without, agreement, unknown in rows:
        c = corridors.setdefault((nat, country, cur, freq),
                                 {"careers": set(), "claims": set(), "with": Decimal(0),
                                  "without": Decimal(0), "agreements": set(), "unknown": 0})
        c["careers"].add(hid)
        c["claims"].add(claim)
        if unknown:
            c["unknown"] += 1
            continue
        c["with"] += p_with
        c["without"] += p_without
        if agreement:
            c["agreements"].add(agreement)
    w.writerow(["nationality", "scheme_country", "currency", "frequency", "careers",
                "payable_with_agreements",
                "payable_without_agreements", "difference", "agreements",
                "agreements_between", "schemes_not_computed"])
    for (nat, country, cur, freq), c in sorted(corridors.items()):
        w.writerow([nat, country, cur, freq, len(c["careers"]), c["with"], c["without"],
                    c["with"] - c["without"],
                    " ".join(sorted(c["agreements"])) or "none applied",
                    corridor_agreements(rules, nat, country, sorted(c["claims"])),
                    c["unknown"]])


def corridor_rows(rules, h, cmp):
    """The rows of one career for --by-corridor: each pension of lp_compare's two
    results, with the agreements and without any. Lump sums are left out: a
    scheme's options are alternatives (gross and net, a lump sum instead of the
    pension), and a sum of them over a cohort would count one payment twice."""
    base, alone = cmp.base, cmp.scenario
    origin, claim = h.nationality, h.claim_date
    out = []
    for d in cmp.differences:
        b = base.entitlement(d.scheme, d.benefit)
        a = alone.entitlement(d.scheme, d.benefit)
        like = b if b is not None else a
        out.append((origin, rules.scheme_country(d.scheme), d.currency,
                    like.frequency if like is not None else "", base.history_id, claim,
                    payable(b), payable(a), (b.agreement if b is not None else None) or "",
                    cannot_compute(b) or cannot_compute(a)))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description="Portability gap of a cohort of careers, as CSV.")
    ap.add_argument("histories", nargs="*", help="history files or directories of them")
    ap.add_argument("--rules", help="rule-set directory (default: the shipped rules)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker threads")
    ap.add_argument("--cohort", type=int, default=40, help="size of the synthetic cohort")
    ap.add_argument("--no-totals", action="store_true", help="leave out the TOTAL rows")
    ap.add_argument("--by-corridor", action="store_true",
                    help="one row per nationality and scheme country instead of per career")
    ap.add_argument("-o", "--output", help="write the CSV here instead of standard output")
    args = ap.parse_args(argv)
    if args.jobs < 1 or args.cohort < 1:
        ap.error("--jobs and --cohort must be positive")

    try:
        rules = portability.RuleSet.load(args.rules)
    except portability.Error as e:
        print("portability_gap: %s" % e, file=sys.stderr)
        return 1
    failed = 0
    if args.histories:
        errors = []
        try:
            histories = read_careers(args.histories, errors)
        except portability.Error as e:   # a path that cannot be opened at all
            print("portability_gap: %s" % e, file=sys.stderr)
            return 1
        for e in errors:
            print("portability_gap: %s" % e, file=sys.stderr)
        failed += len(errors)
    else:
        histories = synthetic_cohort(args.cohort)

    # each career as given and without any agreement: the library's comparison
    # (lp_compare), in parallel threads over one shared rule set
    def compare_one(h):
        try:
            return portability.compare(rules, h, without_agreements="all")
        except portability.Error as e:
            return e

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        comparisons = list(zip(histories, pool.map(compare_one, histories)))

    out = open(args.output, "w", newline="", encoding="utf-8") if args.output else sys.stdout
    totals = {}
    try:
        w = csv.writer(out, lineterminator="\n")
        corridor_rows_all = []
        if not args.by_corridor:
            w.writerow(["history", "scheme", "benefit", "currency", "payable_with_agreements",
                        "payable_without_agreements", "difference", "status_with",
                        "status_without", "agreement"])
        for h, cmp in comparisons:
            if isinstance(cmp, Exception):
                failed += 1
                print("portability_gap: %s" % cmp, file=sys.stderr)
                continue
            base, alone = cmp.base, cmp.scenario
            if args.by_corridor:
                corridor_rows_all.extend(corridor_rows(rules, h, cmp))
                continue
            for d in cmp.differences:
                b = base.entitlement(d.scheme, d.benefit)
                a = alone.entitlement(d.scheme, d.benefit)
                unknown = cannot_compute(b) or cannot_compute(a)
                p_with, p_without = payable(b), payable(a)
                agreement = (b.agreement if b is not None else None) or ""
                if unknown:
                    w.writerow([base.history_id, d.scheme, d.benefit, d.currency, "", "", "",
                                d.base_status or "", d.scenario_status or "", agreement])
                    continue
                w.writerow([base.history_id, d.scheme, d.benefit, d.currency, p_with, p_without,
                            p_with - p_without, d.base_status or "", d.scenario_status or "",
                            agreement])
                t = totals.setdefault((d.scheme, d.benefit, d.currency),
                                      [Decimal(0), Decimal(0)])
                t[0] += p_with
                t[1] += p_without
        if args.by_corridor:
            write_corridors(w, rules, corridor_rows_all)
        elif not args.no_totals:
            for (scheme, benefit, currency), (tw, to) in sorted(totals.items()):
                w.writerow(["TOTAL", scheme, benefit, currency, tw, to, tw - to, "", "", ""])
    finally:
        if out is not sys.stdout:
            out.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
