"""Pickling: Money (with its exchange record), History (its content) and Result
(what reproduces it, checked on unpickling; see portability/_pickling.py)."""

import os
import pickle
import shutil
import tempfile
import unittest
from fractions import Fraction

import support
import portability
from portability import History, Money

import test_history


def support_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def roundtrip(x):
    return pickle.loads(pickle.dumps(x, protocol=pickle.HIGHEST_PROTOCOL))


class TestPickleMoney(unittest.TestCase):

    def test_exact_amounts(self):
        for m in (Money(Fraction(-7, 3), "EUR"), Money("123456789012345678901234567890123456789.5",
                                                      "EUR"), Money(0, "JPY")):
            back = roundtrip(m)
            self.assertEqual(back, m)
            self.assertEqual(back.exact_text(), m.exact_text())
            self.assertIsNone(back.exchange)

    def test_a_converted_amount_keeps_its_exchange_record(self):
        m = Money("103962.5", "JPY").convert("USD", "0.0065", "2025-01-06")
        back = roundtrip(m)
        self.assertEqual(back, m)
        self.assertEqual(back.amount, Fraction("675.75625"))
        self.assertEqual(back.exchange, ("0.0065", "2025-01-06", "JPY"))
        third = Money(1, "EUR").convert("USD", "1/3", "2025-01-06")
        self.assertEqual(roundtrip(third).exchange, third.exchange)
        self.assertEqual(roundtrip(third).amount, Fraction(1, 3))


class TestPickleHistory(unittest.TestCase):

    def test_content_and_input_digest_survive(self):
        h = test_history.built()
        back = roundtrip(h)
        self.assertIsNot(back, h)
        for attr in ("id", "birth_date", "claim_date", "nationality", "residence", "benefit",
                     "periods", "facts"):
            self.assertEqual(getattr(back, attr), getattr(h, attr), attr)
        # an API history rebuilt has the same input digest (earnings per year included)
        h = support.e01_history_api()
        h.add_period("XA-STATE", "2022-01-01", "2022-12-31", earnings="1000", per="year",
                     currency="EUR")
        rules = support.e01_rules()
        self.assertEqual(portability.calculate(rules, roundtrip(h)).input_digest,
                         portability.calculate(rules, h).input_digest)

    def test_a_loaded_history_comes_back_as_its_document(self):
        rules = support.e01_rules()
        for h in (History.load(support.E01_HISTORY),
                  History.from_string(support_bytes(support.E01_HISTORY), "e01.xml")):
            back = roundtrip(h)
            self.assertEqual(back.file, h.file)
            self.assertEqual(back.periods, h.periods)
            self.assertEqual(portability.calculate(rules, back).input_digest,
                             portability.calculate(rules, h).input_digest)

    def test_a_changed_loaded_history_pickles_as_its_content(self):
        h = History.load(support.E01_HISTORY)
        h.add_period("XA-STATE", "2022-01-01", "2022-12-31")
        back = roundtrip(h)
        self.assertIsNone(back.file)
        self.assertEqual(back.periods, h.periods)
        self.assertEqual(len(back.periods), 3)


class TestPickleResult(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="lp-pickle-")
        self.rules_dir = os.path.join(self.tmp, "rules")
        shutil.copytree(support.E01_RULES, self.rules_dir)
        self.rules = portability.RuleSet.load(self.rules_dir)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_reproduced_under_the_same_rules(self):
        r = portability.calculate(self.rules, support.E01_HISTORY, trace=True)
        back = roundtrip(r)
        self.assertEqual(back.to_xml(), r.to_xml())
        self.assertEqual(back.rules_digest, r.rules_digest)
        self.assertEqual(back["XB-STATE"].amount("pro-rata").amount, Fraction(3680, 7))
        self.assertEqual(back["XA-STATE"].payable, Money("360.00", "EUR"))
        self.assertTrue(back["XA-STATE"].trace)

    def test_options_are_kept(self):
        r = portability.calculate(self.rules, support.E01_HISTORY,
                                  without_agreements=self.rules.agreements)
        self.assertEqual(roundtrip(r).to_xml(), r.to_xml())

    def test_refuses_rules_that_changed(self):
        data = pickle.dumps(portability.calculate(self.rules, support.E01_HISTORY))
        # make the same directory hold other rules: the digest changes
        for name in sorted(os.listdir(self.rules_dir)):
            path = os.path.join(self.rules_dir, name)
            if os.path.isfile(path) and name.endswith(".xml"):
                with open(path, "a") as f:
                    f.write("<!-- changed -->\n")
                break
        else:
            self.fail("no rule file in %s" % self.rules_dir)
        with self.assertRaises(pickle.UnpicklingError) as cm:
            self._loads_without_registry(data)
        self.assertIn("not recomputed", str(cm.exception))

    def test_registered_rules_are_found_by_digest(self):
        files = {}
        for name in sorted(os.listdir(self.rules_dir)):
            path = os.path.join(self.rules_dir, name)
            if os.path.isfile(path) and name.endswith(".xml"):
                with open(path, encoding="utf-8") as f:
                    files[name] = f.read()
        memory = portability.RuleSet.from_strings(files)
        data = pickle.dumps(portability.calculate(memory, support.E01_HISTORY))
        with self.assertRaises(pickle.UnpicklingError):
            self._loads_without_registry(data)
        portability.register_rules(memory)
        self.assertEqual(pickle.loads(data)["XA-STATE"].payable, Money("360.00", "EUR"))

    def _loads_without_registry(self, data):
        from portability import _pickling
        saved = dict(_pickling._rules_by_digest)
        _pickling._rules_by_digest.clear()
        try:
            return pickle.loads(data)
        finally:
            _pickling._rules_by_digest.update(saved)


if __name__ == "__main__":
    unittest.main()
