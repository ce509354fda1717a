"""History accessors: the person, the claim, the periods and the facts as given."""

import datetime
import os
import unittest
from fractions import Fraction

import support
import portability
from portability import Fact, History, Money, Period


def built():
    h = History("read", "1960-03-01", "PH", "JP", datetime.date(2025, 4, 1))
    h.add_period("JP-NP", "2013-01-01", "2022-12-31", "employment")
    h.add_period("PH-SSS", "1985-01-01", "2009-12-31", earnings=Money("16000", "PHP"))
    # per year: the year's total over the period's months (30000/12 = 2500; 1000/2 = 500)
    h.add_period("US-OASDI", "2010-01-01", "2010-12-31", "self-employment",
                 earnings="30000", per="year", currency="USD")
    h.add_period("US-OASDI", "2011-01-01", "2011-02-28", "voluntary",
                 earnings=1000, per="year", currency="USD")
    h.add_fact("US-OASDI", "aime", "2500.5", currency="USD")
    h.add_fact("PH-SSS", "credited-years", 25)
    return h


class TestHistoryAccessors(unittest.TestCase):

    def test_person_and_claim(self):
        h = built()
        self.assertEqual(h.birth_date, datetime.date(1960, 3, 1))
        self.assertEqual(h.claim_date, datetime.date(2025, 4, 1))
        self.assertEqual(h.nationality, "PH")
        self.assertEqual(h.residence, "JP")
        self.assertEqual(h.benefit, "old-age")
        abroad = h.with_residence("KR")
        self.assertEqual((abroad.residence, abroad.nationality), ("KR", "PH"))
        self.assertEqual(h.residence, "JP")

    def test_periods_as_given_with_monthly_earnings(self):
        p = built().periods
        self.assertIsInstance(p, tuple)
        self.assertEqual(len(p), 4)
        self.assertEqual(p[0], Period("JP-NP", datetime.date(2013, 1, 1),
                                      datetime.date(2022, 12, 31), "employment", None))
        self.assertEqual(p[1].scheme, "PH-SSS")
        self.assertEqual(p[1].kind, "contribution")
        self.assertEqual(p[1].earnings, Money("16000", "PHP"))
        self.assertEqual(p[2].earnings, Money("2500", "USD"))
        self.assertEqual(p[3].earnings.amount, Fraction(500))
        self.assertEqual(p[3].earnings.currency, "USD")
        self.assertEqual(p[3].end, datetime.date(2011, 2, 28))
        self.assertEqual(p[3].per, "month")

    def test_periods_are_read_only_snapshots(self):
        h = built()
        p = h.periods
        with self.assertRaises(AttributeError):
            p[0].scheme = "XX"
        with self.assertRaises(TypeError):
            p[0] = None
        h.add_period("JP-NP", "2023-01-01", "2023-12-31")
        self.assertEqual(len(p), 4)
        self.assertEqual(len(h.periods), 5)
        self.assertEqual(h.period_count, 5)

    def test_facts(self):
        f = built().facts
        self.assertEqual(f, (Fact("US-OASDI", "aime", "2500.5", "USD"),
                             Fact("PH-SSS", "credited-years", "25", None)))
        self.assertEqual(f[0].money, Money("2500.5", "USD"))
        self.assertIsNone(f[1].money)
        h = History("m", "1960-01-01", "PH", "PH", "2025-01-01")
        h.add_fact("US-OASDI", "aime", Money("2500.5", "USD"))
        self.assertEqual(h.facts[0].value, "5001/2")  # a Money goes in as its exact text
        self.assertEqual(h.facts[0].money, Money("2500.5", "USD"))

    def test_loaded_history(self):
        h = History.load(support.E01_HISTORY)
        self.assertEqual(h.birth_date, datetime.date(1960, 1, 1))
        self.assertEqual(h.claim_date, datetime.date(2025, 1, 1))
        self.assertEqual([(x.scheme, x.start.year, x.end.year, x.kind) for x in h.periods],
                         [("XA-STATE", 1980, 1997, "contribution"),
                          ("XB-STATE", 1998, 2021, "contribution")])
        self.assertEqual(h.facts, ())
        self.assertEqual(portability.History.from_string(
            support.history_xml("")).periods, ())

    def test_a_fact_from_xml(self):
        path = os.path.join(support.CASES, "ae-boundary-11-months", "history.xml")
        facts = History.load(path).facts
        self.assertTrue(facts)
        self.assertTrue(all(isinstance(f, Fact) and f.scheme and f.name for f in facts))


if __name__ == "__main__":
    unittest.main()
