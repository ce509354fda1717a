"""Result.to_dict() and to_json(): the same content as the XML, exact amounts as
strings (never binary numbers); and names a rule set does not have are refused with
ValueError listing the known ones."""

import json
import unittest
import xml.etree.ElementTree as ET
from fractions import Fraction

import support
import portability

NS = "{urn:libportability:result:1}"


def amounts(ent):
    return {a["kind"]: a for a in ent["amounts"]}


class TestToDict(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.rules = support.e01_rules()
        cls.result = portability.calculate(cls.rules, support.E01_HISTORY)
        cls.d = cls.result.to_dict()

    def ent(self, scheme):
        return next(e for e in self.d["entitlements"] if e["scheme"] == scheme)

    def test_figures_of_case_e01(self):
        # tests/data/cases/e01-pro-rata/case.txt: A = 18/40 x 800 = 360.00,
        # B = 24/42 x 920 = 3680/7, paid as 525.71
        a, b = self.ent("XA-STATE"), self.ent("XB-STATE")
        self.assertEqual(a["status"], "payable")
        self.assertEqual(a["method"], "pro-rata")
        self.assertEqual(a["periods"]["totalised"], "42")
        self.assertIs(a["eligible"]["alone"], False)
        self.assertEqual(amounts(a)["theoretical"]["value"], "800.00")
        self.assertEqual(amounts(a)["payable"]["value"], "360.00")
        self.assertEqual(amounts(b)["payable"]["value"], "525.71")
        self.assertEqual(amounts(b)["pro-rata"]["exact"], "3680/7")
        self.assertEqual(Fraction(amounts(b)["pro-rata"]["exact"]), Fraction(24, 42) * 920)

    def test_same_content_as_the_objects(self):
        self.assertEqual(self.d["history"], self.result.history_id)
        self.assertEqual(self.d["rules_digest"], self.result.rules_digest)
        self.assertEqual(len(self.d["entitlements"]), len(self.result.entitlements))
        for obj, e in zip(self.result.entitlements, self.d["entitlements"]):
            self.assertEqual(e["scheme"], obj.scheme)
            self.assertEqual(e["status"], obj.status)
            self.assertEqual(e["method"], obj.method)
            self.assertEqual(e["agreement"], obj.agreement)
            self.assertEqual(Fraction(e["periods"]["own"]), obj.own_periods)
            for kind in obj.kinds:
                self.assertEqual(Fraction(amounts(e)[kind]["exact"]), obj.amount(kind).amount)
                self.assertEqual(amounts(e)[kind]["value"], str(obj.rounded(kind)))
            self.assertEqual(len(e["routes"]), len(obj.routes))
        self.assertEqual(len(self.d["lump_sums"]), len(self.result.lump_sums))

    def test_same_figures_as_the_xml(self):
        root = ET.fromstring(self.result.to_xml())
        for el in root.findall(NS + "entitlement"):
            e = self.ent(el.get("scheme"))
            for a in el.findall(NS + "amount"):
                got = amounts(e)[a.get("kind")]
                self.assertEqual(got["value"], a.get("value"))
                self.assertEqual(got["exact"], a.get("exact") or a.get("value"))

    def test_only_text_booleans_and_null(self):
        """No number for any figure: every figure is exact text (integers are
        only line and column numbers)."""
        def walk(v, key=None):
            if key in ("line", "column") and type(v) is int:
                return
            self.assertIn(type(v), (str, bool, type(None), dict, list))
            if isinstance(v, dict):
                for k, x in v.items():
                    walk(x, k)
            elif isinstance(v, list):
                for x in v:
                    walk(x)
        walk(self.d)
        traced = portability.calculate(self.rules, support.E01_HISTORY, trace=True).to_dict()
        walk(traced)
        self.assertTrue(traced["entitlements"][0]["trace"])

    def test_to_json_is_the_same_data(self):
        self.assertEqual(json.loads(self.result.to_json()), self.d)
        self.assertNotIn("\n", self.result.to_json())
        self.assertEqual(self.d["format"], "urn:libportability:result:1")


class TestUnknownNames(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.rules = portability.RuleSet.load(support.SHIPPED_RULES)
        cls.history = portability.History.load(
            support.os.path.join(support.EXAMPLES, "careers", "filipino-nurse-japan.xml"))

    def test_unknown_agreement(self):
        with self.assertRaises(ValueError) as cm:
            portability.calculate(self.rules, self.history, without_agreements=["XX-YY"])
        self.assertIn("unknown agreement 'XX-YY'", str(cm.exception))
        self.assertIn("JP-PH", str(cm.exception))

    def test_misspelt_lump_sum(self):
        with self.assertRaises(ValueError) as cm:
            portability.calculate(self.rules, self.history, lump_sums_taken=["JP-EPI/withdrawl"])
        self.assertIn("JP-EPI/withdrawal", str(cm.exception))

    def test_known_names_are_accepted(self):
        r = portability.calculate(self.rules, self.history, without_agreements=["JP-PH"],
                                  lump_sums_taken=["JP-EPI/withdrawal"])
        self.assertIsNone(r["JP-EPI"].agreement)


if __name__ == "__main__":
    unittest.main()
