"""No leaks over many calls: 200,000 Money operations and 20,000 calculations
(with their results, entitlements, trace steps, XML and error paths) must leave
the process's resident memory and Python's traced allocations flat.

A leak of one C handle per call would be 200,000 x (an lp_money: a GMP rational
and a struct, over 64 bytes) = more than 12 MB, and 20,000 x an lp_result
(kilobytes) = tens of MB; the bounds below are a fraction of that. A positive
control checks that retaining handles does cross the bound.
"""

import gc
import os
import tracemalloc
import unittest
from decimal import Decimal
from fractions import Fraction

import support
import portability
from portability import History, Money

MONEY_OPS = int(os.environ.get("LP_LEAK_MONEY_OPS", "200000"))
CALCS = int(os.environ.get("LP_LEAK_CALCS", "20000"))
RSS_BOUND = 4 * 1024 * 1024        # bytes of resident growth allowed after warm-up
TRACED_BOUND = 256 * 1024          # bytes of Python allocations allowed to remain


def rss():
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


def measure(fn, n, warmup):
    """Run fn(i) warm-up times, then n times watching the resident size, then n/10
    times under tracemalloc (kept apart: tracemalloc's own tables take RSS).
    Returns (RSS growth, traced growth) in bytes."""
    for i in range(warmup):
        fn(i)
    gc.collect()
    before_rss = rss()
    for i in range(n):
        fn(i)
    gc.collect()
    after_rss = rss()
    tracemalloc.start()
    gc.collect()
    before_traced = tracemalloc.get_traced_memory()[0]
    for i in range(max(1, n // 10)):
        fn(i)
    gc.collect()
    after_traced = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return after_rss - before_rss, after_traced - before_traced


def money_op(i):
    """Ten Money operations through the C library (one of them a failure)."""
    a = Money(Decimal(i) / 100, "EUR")                 # 1: Decimal in
    b = Money(Fraction(i + 1, 7), "EUR")               # 2: Fraction in
    c = a + b - Money(i, "EUR")                        # 3-5: int in, add, sub
    d = (c * Fraction(3, 2)) / 5                       # 6-7: mul, div
    d.to_decimal("0.01", "half-even")                  # 8: decimal out
    _ = d.amount, hash(d), d < a                       # 9: rational out, compare
    try:
        Money("x%d" % (i % 10), "EUR")                 # 10: an error path
    except portability.ParseError:
        pass


class TestLeaks(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.rules = support.e01_rules()
        with open(support.E01_HISTORY, encoding="utf-8") as f:
            cls.history_text = f.read()

    def report(self, what, n, grew_rss, grew_traced):
        print("\n# %s: %d calls, RSS %+d KiB; %d calls under tracemalloc, %+d KiB"
              % (what, n, grew_rss // 1024, max(1, n // 10), grew_traced // 1024))

    def test_leaks__money_operations(self):
        n = MONEY_OPS // 10
        grew_rss, grew_traced = measure(money_op, n, warmup=2000)
        self.report("Money (x10 operations)", n * 10, grew_rss, grew_traced)
        self.assertLess(grew_rss, RSS_BOUND)
        self.assertLess(grew_traced, TRACED_BOUND)

    def test_leaks__calculations(self):
        rules, text = self.rules, self.history_text.encode("utf-8")

        def calc(i):
            if i % 4 == 0:
                h = History.from_string(text, "e01.xml")
            else:
                h = support.e01_history_api("leak%d" % i, years_a=18 + i % 5)
            r = portability.calculate(rules, h, trace=(i % 2 == 0))
            for e in r.entitlements:
                e.payable.to_decimal()
                for s in e.trace:
                    _ = s.inputs, s.source
                _ = e.routes, e.amount("theoretical")
            if i % 10 == 0:
                r.to_xml()
            if i % 50 == 0:
                portability.compare(rules, h, without_agreements="all")
                try:
                    History.from_string("<history", "bad.xml")
                except portability.ParseError:
                    pass

        grew_rss, grew_traced = measure(calc, CALCS, warmup=2000)
        self.report("calculations", CALCS, grew_rss, grew_traced)
        self.assertLess(grew_rss, RSS_BOUND)
        self.assertLess(grew_traced, TRACED_BOUND)

    def test_leaks__calculate_many(self):
        histories = [support.e01_history_api("m%d" % i) for i in range(200)]

        def batch(i):
            portability.calculate_many(self.rules, histories, workers=2)

        grew_rss, grew_traced = measure(batch, 20, warmup=3)
        self.report("calculate_many (200 careers, 2 threads)", 20 * 200, grew_rss, grew_traced)
        self.assertLess(grew_rss, RSS_BOUND)
        self.assertLess(grew_traced, TRACED_BOUND)

    def test_leaks__rule_set_loads(self):
        def load(i):
            portability.RuleSet.load(support.E01_RULES)

        grew_rss, grew_traced = measure(load, 300, warmup=20)
        self.report("rule-set loads", 300, grew_rss, grew_traced)
        self.assertLess(grew_rss, RSS_BOUND)
        self.assertLess(grew_traced, TRACED_BOUND)

    def test_leaks__positive_control(self):
        """Holding on to one Money per call (what a per-call C leak looks like) is caught."""
        kept = []

        def leaky(i):
            kept.append(Money(Fraction(i, 7), "EUR"))

        grew_rss, grew_traced = measure(leaky, MONEY_OPS // 2, warmup=0)
        self.report("control (retained handles)", MONEY_OPS // 2, grew_rss, grew_traced)
        self.assertGreater(grew_rss, RSS_BOUND)
        self.assertGreater(grew_traced, TRACED_BOUND)
        del kept[:]


if __name__ == "__main__":
    unittest.main()
