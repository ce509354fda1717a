"""Threads: calculate_many() over several workers gives exactly what a sequential
loop gives, in order; one rule set and even one history are shared safely."""

import os
import threading
import unittest

import support
import portability
from portability import History, RuleSet


def cohort(n):
    """E1-like careers with every split of 42 years between the two states."""
    out = []
    for i in range(n):
        a = 5 + i % 33
        out.append(support.e01_history_api("c%03d" % i, residence="XA" if i % 2 else "XB",
                                           years_a=a, years_b=42 - a))
    return out


def run_threads(n, work):
    """Run work() on n threads at once; the items of the lists they return, and
    the exceptions they raised."""
    got, errors = [], []

    def worker():
        try:
            got.extend(work())
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return got, errors


def summary(r):
    return (r.history_id, r.input_digest,
            tuple((e.scheme, e.status, e.method, e.payable, e.rounded("payable"))
                  for e in r.entitlements),
            r.to_xml())


class TestThreads(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.rules = support.e01_rules()

    def test_threads__calculate_many_equals_sequential(self):
        histories = cohort(120)
        sequential = [summary(portability.calculate(self.rules, h)) for h in histories]
        for workers in (2, 4, os.cpu_count() or 2):
            with self.subTest(workers=workers):
                results = portability.calculate_many(self.rules, histories, workers=workers)
                self.assertEqual([summary(r) for r in results], sequential)

    def test_threads__calculate_many_default_workers_and_options(self):
        histories = cohort(10)
        results = portability.calculate_many(self.rules, histories, trace=True)
        self.assertEqual([r.history_id for r in results], [h.id for h in histories])
        self.assertTrue(all(e.trace for r in results for e in r))
        self.assertEqual(portability.calculate_many(self.rules, []), [])

    def test_threads__paths_loaded_on_workers(self):
        results = portability.calculate_many(self.rules, [support.E01_HISTORY] * 6, workers=3)
        self.assertEqual(len({r.input_digest for r in results}), 1)
        self.assertEqual(results[0]["XB-STATE"].rounded("payable"),
                         portability.calculate(self.rules, support.E01_HISTORY)
                         ["XB-STATE"].rounded("payable"))

    def test_threads__shipped_cases_parallel(self):
        paths = []
        for name in sorted(os.listdir(support.CASES)):
            p = os.path.join(support.CASES, name)
            case = os.path.join(p, "case.txt")
            if os.path.isfile(case) and os.path.isfile(os.path.join(p, "history.xml")):
                with open(case, encoding="utf-8") as f:
                    if any(l.split("#")[0].strip() == "rules: shipped" for l in f):
                        paths.append(os.path.join(p, "history.xml"))
        if not paths:
            self.skipTest("no cases with the shipped rules")
        shipped = RuleSet.load()
        seq = [summary(r) for r in portability.calculate_many(shipped, paths, workers=1,
                                                               errors="return")
               if not isinstance(r, Exception)]
        par = [summary(r) for r in portability.calculate_many(shipped, paths, workers=4,
                                                               errors="return")
               if not isinstance(r, Exception)]
        self.assertEqual(par, seq)

    def test_threads__errors_raise_or_return(self):
        bad = History("bad", "1960-01-01", "XA", "XA", "2025-01-01")
        bad.add_period("ZZ-NONE", "2000-01-01", "2001-12-31", "contribution")
        items = cohort(3) + [bad] + cohort(2)
        with self.assertRaises(portability.NotFound):
            portability.calculate_many(self.rules, items, workers=2)
        out = portability.calculate_many(self.rules, items, workers=2, errors="return")
        self.assertIsInstance(out[3], portability.NotFound)
        self.assertEqual([type(x).__name__ for i, x in enumerate(out) if i != 3], ["Result"] * 5)
        with self.assertRaises(ValueError):
            portability.calculate_many(self.rules, items, errors="ignore")

    def test_threads__one_history_many_threads(self):
        h = History.load(support.E01_HISTORY)
        want = summary(portability.calculate(self.rules, h))
        got, errors = run_threads(4, lambda: [summary(portability.calculate(self.rules, h)) for _ in range(50)])
        self.assertEqual(errors, [])
        self.assertEqual(len(got), 200)
        self.assertTrue(all(g == want for g in got))

    def test_threads__one_built_history_many_threads_at_once(self):
        # built through the API, so no digest is known until a calculation
        # publishes it: the threads race to compute it, and every one of them
        # must report what one thread alone reports
        for k in range(5):
            want = summary(portability.calculate(self.rules, support.e01_history_api("race-%d" % k)))
            h = support.e01_history_api("race-%d" % k)
            barrier = threading.Barrier(4)

            def work():
                barrier.wait()
                return [summary(portability.calculate(self.rules, h)) for _ in range(10)]

            got, errors = run_threads(4, work)
            self.assertEqual(errors, [])
            self.assertEqual(len(got), 40)
            self.assertTrue(all(g == want for g in got))

    def test_threads__adding_while_another_thread_calculates_is_refused(self):
        h = support.e01_history_api("busy")
        for y in range(1980, 2020):          # many periods: each calculation takes a while
            for m in range(1, 13):
                h.add_period("XA-STATE", "%04d-%02d-01" % (y, m), "%04d-%02d-28" % (y, m), "contribution")
        before = len(h.periods)
        stop = threading.Event()
        done = []

        def worker():
            while not stop.is_set():
                portability.calculate(self.rules, h)
                done.append(1)

        t = threading.Thread(target=worker)
        t.start()
        refused = added = 0
        try:
            for _ in range(20000):
                try:
                    h.add_period("XA-STATE", "1981-01-01", "1981-01-31", "contribution")
                    added += 1
                except RuntimeError as e:
                    self.assertIn("being calculated on another thread", str(e))
                    refused += 1
                    if refused >= 3:
                        break
        finally:
            stop.set()
            t.join()
        self.assertGreaterEqual(refused, 3)
        self.assertEqual(len(h.periods), before + added)   # a refused addition left nothing behind
        # once no thread calculates it, it may change again
        h.add_period("XA-STATE", "1981-01-01", "1981-01-31", "contribution")
        self.assertEqual(len(h.periods), before + added + 1)

    def test_threads__money_from_many_threads(self):
        from fractions import Fraction
        from portability import Money
        totals = []

        def worker(k):
            m = Money(0, "EUR")
            for i in range(1, 501):
                m = m + Money(Fraction(k, i), "EUR")
            totals.append((k, m.amount))

        threads = [threading.Thread(target=worker, args=(k,)) for k in range(1, 5)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        h500 = sum(Fraction(1, i) for i in range(1, 501))
        self.assertEqual(sorted(totals), [(k, k * h500) for k in range(1, 5)])


if __name__ == "__main__":
    unittest.main()
