"""The Pythonic API: rule sets, histories (loaded or built), calculate(), the
result objects (entitlements, amounts, routes, trace, lump sums, receipt, XML),
compare(), and object lifetimes."""

import datetime
import gc
import os
import unittest
import weakref
import xml.etree.ElementTree as ET
from decimal import Decimal
from fractions import Fraction

import support
import portability
from portability import History, Money, RuleSet

RESULT_NS = "{urn:libportability:result:1}"


class TestRuleSet(unittest.TestCase):

    def test_ruleset__load_directory(self):
        rs = support.e01_rules()
        self.assertEqual(set(rs.schemes), {"XA-STATE", "XB-STATE"})
        self.assertEqual(len(rs.agreements), 1)
        self.assertTrue(rs.digest.startswith("sha256:"))
        self.assertEqual(len(rs.digest), len("sha256:") + 64)
        self.assertEqual(rs.warnings, [])
        self.assertIn("2 schemes", repr(rs))

    def test_ruleset__scheme_country(self):
        rs = support.e01_rules()
        self.assertEqual(rs.scheme_country("XA-STATE"), "XA")
        self.assertEqual(rs.scheme_country("XB-STATE"), "XB")
        with self.assertRaises(KeyError):
            rs.scheme_country("XC-STATE")

    def test_ruleset__load_default_is_shipped(self):
        self.assertEqual(portability.default_rules_dir(), os.environ["LP_RULES_DIR"])
        rs = RuleSet.load()
        self.assertGreaterEqual(len(rs.schemes), 1)
        self.assertEqual(rs.digest, RuleSet.load(support.SHIPPED_RULES).digest)

    def test_ruleset__load_files_and_memory_agree(self):
        names = sorted(os.listdir(support.E01_RULES))
        paths = [os.path.join(support.E01_RULES, n) for n in names]
        by_files = RuleSet.load(paths)
        self.assertEqual(set(by_files.schemes), {"XA-STATE", "XB-STATE"})
        blobs = {}
        for n, p in zip(names, paths):
            with open(p, "rb") as f:
                blobs[n] = f.read()
        by_memory = RuleSet.from_strings(blobs)
        self.assertEqual(set(by_memory.schemes), set(by_files.schemes))
        r1 = portability.calculate(by_files, History.load(support.E01_HISTORY))
        r2 = portability.calculate(by_memory, History.load(support.E01_HISTORY))
        self.assertEqual([e.payable for e in r1], [e.payable for e in r2])

    def test_ruleset__not_constructible_directly(self):
        with self.assertRaises(TypeError):
            RuleSet()


class TestAgreements(unittest.TestCase):
    """Which countries and schemes an agreement binds, its dates in force, and
    what it does for a scheme (lp_ruleset_agreement_*)."""

    def test_agreement__parties_dates_and_clauses_of_the_textbook_rules(self):
        a = support.e01_rules().agreement("XA-XB")
        self.assertEqual(a.id, "XA-XB")
        self.assertTrue(a.title.startswith("Textbook agreement"))
        self.assertEqual(a.countries, ("XA", "XB"))
        self.assertEqual([p.schemes for p in a.parties], [("XA-STATE",), ("XB-STATE",)])
        self.assertEqual(a.in_force, datetime.date(2000, 1, 1))
        self.assertIsNone(a.terminated)
        self.assertIsNone(a.signed)
        self.assertEqual(set(a.totalisations),
                         {("XA-STATE", "XB-STATE"), ("XB-STATE", "XA-STATE")})
        self.assertEqual(a.exports, ())
        self.assertTrue(a.totalises("XA-STATE", "XB-STATE"))
        self.assertFalse(a.totalises("XA-STATE", "XA-STATE"))
        self.assertFalse(a.pays_abroad("XA-STATE"))

    def test_agreement__in_force_on_its_first_day_and_not_before(self):
        a = support.e01_rules().agreement("XA-XB")
        self.assertFalse(a.in_force_on("1999-12-31"))
        self.assertTrue(a.in_force_on(datetime.date(2000, 1, 1)))
        self.assertTrue(a.in_force_on(datetime.datetime(2027, 12, 31, 23, 0)))
        with self.assertRaises(portability.ParseError):
            a.in_force_on("2023-02-29")
        with self.assertRaises(TypeError):
            a.in_force_on(20000101)

    def test_agreement__unknown_id_is_a_key_error(self):
        with self.assertRaises(KeyError):
            support.e01_rules().agreement("XA-XC")

    def test_agreements_between__shipped_rules(self):
        rs = RuleSet.load(support.SHIPPED_RULES)
        jp_ph = rs.agreement("JP-PH")
        self.assertEqual(jp_ph.in_force, datetime.date(2018, 8, 1))    # MHLW notice, grade A
        self.assertEqual(jp_ph.signed, datetime.date(2015, 11, 19))    # PH Senate, grade A
        self.assertIn(("PH-SSS", "JP-EPI"), jp_ph.totalisations)
        self.assertTrue(jp_ph.pays_abroad("PH-SSS"))
        self.assertEqual([a.id for a in rs.agreements_between("PH", "JP")], ["JP-PH"])
        self.assertEqual([a.id for a in rs.agreements_between("JP", "PH", on="2025-06-01")],
                         ["JP-PH"])
        self.assertEqual(rs.agreements_between("JP", "PH", on="2018-07-31"), ())
        # none in these rules (which is not to say none exists anywhere)
        self.assertEqual(rs.agreements_between("PH", "SA"), ())
        self.assertEqual(rs.agreements_between("PH", "PH"), ())


class TestHistory(unittest.TestCase):

    def test_history__load_file(self):
        h = History.load(support.E01_HISTORY)
        self.assertEqual(h.id, "e01")
        self.assertEqual(h.file, support.E01_HISTORY)
        self.assertEqual(h.period_count, 2)

    def test_history__from_string(self):
        with open(support.E01_HISTORY, encoding="utf-8") as f:
            text = f.read()
        for src in (text, text.encode("utf-8")):
            h = History.from_string(src)
            self.assertEqual(h.id, "e01")
            self.assertEqual(h.period_count, 2)

    def test_history__built_through_api_equals_loaded(self):
        rs = support.e01_rules()
        built = support.e01_history_api()
        self.assertEqual(built.period_count, 2)
        self.assertIsNone(built.file)
        loaded = History.load(support.E01_HISTORY)
        a = portability.calculate(rs, built)
        b = portability.calculate(rs, loaded)
        self.assertEqual([(e.scheme, e.payable, e.status) for e in a],
                         [(e.scheme, e.payable, e.status) for e in b])

    def test_history__dates_and_money_inputs(self):
        h = History("d1", datetime.date(1960, 1, 1), "XA", "XA", datetime.date(2025, 1, 1))
        h.add_period("XA-STATE", datetime.date(1980, 1, 1), "1997-12-31", "contribution",
                     earnings=Money("2500.50", "EUR"))
        h.add_period("XB-STATE", "1998-01-01", "2021-12-31", "contribution",
                     earnings=Decimal("30000"), per="year", currency="EUR")
        h.add_fact("XA-STATE", "some_figure", Fraction(1, 3))
        self.assertEqual(h.period_count, 2)
        with self.assertRaises(TypeError):
            h.add_period("XA-STATE", "1980-01-01", "1980-12-31", "contribution",
                         earnings=2500.5, currency="EUR")
        with self.assertRaises(TypeError):
            h.add_fact("XA-STATE", "x", 0.5)
        with self.assertRaises(TypeError):
            History("d2", 19600101, "XA", "XA", "2025-01-01")
        with self.assertRaises(ValueError):
            h.add_period("XA-STATE", "1980-01-01", "1980-12-31", "contribution",
                         earnings=Money(1, "EUR"), currency="USD")

    def test_history__with_residence_is_a_copy(self):
        h = History.load(support.E01_HISTORY)
        moved = h.with_residence("XB")
        self.assertIsNot(moved, h)
        self.assertEqual(moved.period_count, h.period_count)
        rs = support.e01_rules()
        self.assertFalse(portability.calculate(rs, h)["XB-STATE"].export_allowed)
        self.assertTrue(portability.calculate(rs, moved)["XB-STATE"].export_allowed)
        self.assertEqual(h.with_nationality("XB").period_count, 2)


class TestBatch(unittest.TestCase):

    def test_batch__document_directory_and_bad_records(self):
        import tempfile
        import shutil
        ns = support.HISTORY_NS
        good = ('<history id="b%d"><person birth-date="1960-01-01" nationality="XA" '
                'residence="XA"/><claim benefit="old-age" date="2025-01-01"/>'
                '<period scheme="XA-STATE" from="1980-01-01" to="2004-12-31" '
                'kind="contribution"/></history>\n')
        bad = ('<history id="bad"><person birth-date="1960-01-01" nationality="XA" '
               'residence="XA"/><claim benefit="old-age" date="2025-01-01"/>'
               '<period scheme="XA-STATE" from="1980-02-30" to="2004-12-31" '
               'kind="contribution"/></history>\n')
        doc = ('<?xml version="1.0"?>\n<histories xmlns="%s">\n' % ns + good % 1 + bad
               + good % 3 + "</histories>\n")
        d = tempfile.mkdtemp()
        try:
            path = os.path.join(d, "batch.xml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(doc)
            items = list(portability.read_histories(path, errors="return"))
            self.assertEqual(len(items), 3)
            self.assertEqual([h.id for h in (items[0], items[2])], ["b1", "b3"])
            self.assertIsInstance(items[1], portability.Error)
            self.assertEqual(items[1].line, 4)
            with self.assertRaises(portability.Error):
                list(portability.read_histories(path))
            results = portability.calculate_many(support.e01_rules(),
                                                 [items[0], items[2]], workers=2)
            self.assertEqual([r.history_id for r in results], ["b1", "b3"])
            shutil.copy(support.E01_HISTORY, os.path.join(d, "single.xml"))
            self.assertEqual([h.id for h in portability.read_histories(
                os.path.join(d, "single.xml"))], ["e01"])
            in_dir = list(portability.read_histories(d, errors="return"))
            self.assertEqual(len(in_dir), 4)
        finally:
            shutil.rmtree(d)
        with self.assertRaises(portability.NotFound):
            list(portability.read_histories(os.path.join(support.DATA, "no-such-dir")))

    def test_misuse_is_a_type_error(self):
        # issue 21: from_string(5) read bytes(5); trace='no' turned tracing on
        with self.assertRaises(TypeError):
            History.from_string(5)
        with self.assertRaises(TypeError):
            RuleSet.from_strings({"x.xml": 5})
        with self.assertRaises(TypeError):
            portability.calculate(support.e01_rules(), support.E01_HISTORY, trace="no")

    def test_read_histories_keeps_records_before_a_fault(self):
        # issue 21: a record that is not well-formed, or a file cut short, lost
        # the complete records before it
        import shutil
        import tempfile
        good = ('<history id="b%d"><person birth-date="1960-01-01" nationality="XA" '
                'residence="XA"/><claim benefit="old-age" date="2025-01-01"/>'
                '<period scheme="XA-STATE" from="1980-01-01" to="2004-12-31" '
                'kind="contribution"/></history>\n')
        broken = '<history id="b4"><person></persn></history>\n'
        head = '<?xml version="1.0"?>\n<histories xmlns="%s">\n' % support.HISTORY_NS
        d = tempfile.mkdtemp()
        try:
            path = os.path.join(d, "batch.xml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(head + good % 1 + good % 2 + good % 3 + broken + good % 5
                        + "</histories>\n")
            items = list(portability.read_histories(path, errors="return"))
            self.assertEqual([getattr(i, "id", None) for i in items],
                             ["b1", "b2", "b3", None, "b5"])
            self.assertIn("b4", str(items[3]))
            self.assertEqual(items[3].line, 6)
            with open(path, "w", encoding="utf-8") as f:
                f.write(head + good % 1 + good % 2 + (good % 3)[:40])
            items = list(portability.read_histories(path, errors="return"))
            self.assertEqual([getattr(i, "id", None) for i in items], ["b1", "b2", None])
            self.assertEqual(items[2].line, 5)
        finally:
            shutil.rmtree(d)


class TestCalculate(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.rules = support.e01_rules()
        cls.result = portability.calculate(cls.rules, History.load(support.E01_HISTORY),
                                           trace=True)

    def test_calculate__entitlements(self):
        r = self.result
        self.assertEqual(len(r), 2)
        self.assertEqual([e.scheme for e in r.entitlements], ["XA-STATE", "XB-STATE"])
        a = r["XA-STATE"]
        self.assertEqual((a.benefit, a.status, a.method, a.agreement, a.currency, a.frequency),
                         ("old-age", "payable", "pro-rata", "XA-XB", "EUR", "monthly"))
        self.assertEqual(a.own_periods, Fraction(18))
        self.assertEqual(a.totalised_periods, Fraction(42))
        self.assertIsInstance(a.own_periods, Fraction)
        self.assertEqual(a.unit, "year")
        self.assertFalse(a.eligible_alone)
        self.assertTrue(a.eligible_totalised)
        self.assertTrue(a.export_allowed)
        self.assertTrue(a.is_payable)
        self.assertIsNone(r.entitlement("NO-SUCH"))
        with self.assertRaises(KeyError):
            r["NO-SUCH"]

    def test_calculate__amounts(self):
        a, b = self.result["XA-STATE"], self.result["XB-STATE"]
        self.assertEqual(a.payable, Money(360, "EUR"))
        self.assertEqual(a.rounded("payable"), Decimal("360.00"))
        self.assertEqual(a.amount("theoretical"), Money(800, "EUR"))
        self.assertEqual(b.amount("theoretical").amount, 920)
        self.assertEqual(b.rounded("payable"), Decimal("525.71"))
        self.assertEqual(b.payable.to_decimal("0.01", "half-up"), Decimal("525.71"))
        # the exact pro-rata amount: 24/42 x 920
        self.assertEqual(b.amount("pro-rata").amount, Fraction(24, 42) * 920)
        self.assertIsNone(a.amount("direct"))
        self.assertIn("payable", a.kinds)
        with self.assertRaises(ValueError):
            a.amount("bogus")

    def test_calculate__routes(self):
        routes = self.result["XA-STATE"].routes
        self.assertEqual([r.agreement for r in routes], [None, "XA-XB"])
        self.assertEqual(routes[0].status, "not-eligible")
        self.assertIsNone(routes[0].payable)
        self.assertEqual(routes[1].payable, Money("360.00", "EUR"))

    def test_calculate__trace(self):
        steps = self.result["XB-STATE"].trace
        self.assertGreater(len(steps), 0)
        for s in steps:
            self.assertTrue(s.rule)
            self.assertIsNotNone(s.value)
            self.assertTrue(s.cite, s.rule)
        by_rule = {s.rule: s for s in steps}
        theo = by_rule["XB-STATE/old-age/amount[theoretical]"]
        self.assertEqual(theo.exact, 920)
        self.assertIn("reference_wage", theo.formula)
        self.assertIn("holzmann", theo.source)
        self.assertIsInstance(theo.inputs, dict)
        self.assertTrue(any(s.inputs for s in steps))
        no_trace = portability.calculate(self.rules, History.load(support.E01_HISTORY))
        self.assertEqual(no_trace["XB-STATE"].trace, ())

    def test_calculate__receipt(self):
        r = self.result
        self.assertEqual(r.history_id, "e01")
        self.assertEqual(r.claim_date, "2025-01-01")
        self.assertEqual(r.library_version, portability.library_version)
        self.assertEqual(r.rules_digest, self.rules.digest)
        self.assertTrue(r.input_digest.startswith("sha256:"))
        self.assertEqual(set(r.receipt), {"history", "claim_date", "library_version",
                                          "rules_digest", "input_digest"})
        again = portability.calculate(self.rules, History.load(support.E01_HISTORY))
        self.assertEqual(again.input_digest, r.input_digest)

    def test_calculate__xml_matches_objects(self):
        root = ET.fromstring(self.result.to_xml())
        self.assertEqual(root.tag, RESULT_NS + "result")
        self.assertEqual(root.get("rules-digest"), self.result.rules_digest)
        ents = root.findall(RESULT_NS + "entitlement")
        self.assertEqual([e.get("scheme") for e in ents],
                         [e.scheme for e in self.result.entitlements])
        for el, ent in zip(ents, self.result.entitlements):
            for a in el.findall(RESULT_NS + "amount"):
                self.assertEqual(Decimal(a.get("value")), ent.rounded(a.get("kind")))
                self.assertEqual(Fraction(a.get("exact") or a.get("value")),
                                 ent.amount(a.get("kind")).amount)

    def test_calculate__paths_accepted(self):
        r = portability.calculate(support.E01_RULES, support.E01_HISTORY)
        self.assertEqual(r["XA-STATE"].rounded(), Decimal("360.00"))

    def test_calculate__without_agreements(self):
        r = portability.calculate(self.rules, History.load(support.E01_HISTORY),
                                  without_agreements=("XA-XB",))
        for e in r:
            self.assertNotEqual(e.status, "payable")
            self.assertEqual(e.payable, Money(0, "EUR"))
        with self.assertRaises(TypeError):
            portability.calculate(self.rules, History.load(support.E01_HISTORY),
                                  without_agreements=(1,))

    def test_calculate__lump_sums(self):
        case = os.path.join(support.CASES, "e09-epi-lump-sum")
        if not os.path.isdir(case):
            self.skipTest("no e09 case")
        r = portability.calculate(RuleSet.load(), os.path.join(case, "history.xml"), trace=True)
        by_option = {(l.scheme, l.option): l for l in r.lump_sums}
        gross = by_option[("JP-EPI", "withdrawal")]
        self.assertTrue(gross.available)
        self.assertEqual(gross.amount, Money(990000, "JPY"))
        self.assertEqual(gross.value, Decimal("990000"))
        self.assertIn(gross.kind, ("withdrawal", "refund", "balance"))
        self.assertIsInstance(gross.forfeits_periods, bool)
        for c in gross.conditions:
            self.assertIsInstance(c.met, bool)
            self.assertTrue(c.id)
        net = by_option[("JP-EPI", "withdrawal-net")]
        self.assertEqual(net.amount.to_decimal("1"), Decimal("787842"))
        steps = {s.rule: s for s in net.trace}
        self.assertEqual(steps["JP-EPI/withdrawal-net/amount"].inputs["withdrawal_withholding"],
                         "202158")
        # a definition is no rule-set value: it has no citation of its own
        self.assertNotIn("withdrawal_withholding", steps["JP-EPI/withdrawal-net/amount"].input_sources)
        # every parameter a step read carries the date read at and its value's citation
        cited = [w for s in net.trace for w in s.input_sources.values()]
        self.assertTrue(cited)
        for w in cited:
            self.assertTrue(w["cite"])
            self.assertRegex(w["at"], r"^\d{4}-\d{2}-\d{2}$")
        # taking the lump sum erases the periods it pays for
        taken = portability.calculate(RuleSet.load(), os.path.join(case, "history.xml"),
                                      lump_sums_taken=("JP-EPI/withdrawal",))
        self.assertIsInstance(taken, portability.Result)


class TestTypedFields(unittest.TestCase):
    """The binding reads named fields (issue 20), exact amounts included."""

    def test_figure_is_exact_as_the_rules_rounded_it(self):
        # E01 (case.txt): B = 24/42 x 920 = 3680/7 = 525.714..., rounded by the
        # rules to 525.71: the figure paid, exactly; amount() is before rounding
        r = portability.calculate(support.e01_rules(), support.E01_HISTORY)
        e = r.entitlement("XB-STATE")
        self.assertEqual(e.figure("payable"), Money("525.71", "EUR"))
        self.assertEqual(e.amount("pro-rata"), Money("3680/7", "EUR"))
        self.assertIsNone(e.figure("direct"))
        self.assertTrue(all(isinstance(rt.status, str) for rt in e.routes))

    def test_unknown_or_missing_fields_are_refused(self):
        from portability import _core
        d = {k: None for k in _core.ENTITLEMENT_KEYS}
        self.assertIs(_core._checked(d, _core.ENTITLEMENT_KEYS, "entitlement"), d)
        del d["status"]
        with self.assertRaises(RuntimeError):
            _core._checked(d, _core.ENTITLEMENT_KEYS, "entitlement")
        d["status"] = d["colour"] = None
        with self.assertRaises(RuntimeError):
            _core._checked(d, _core.ENTITLEMENT_KEYS, "entitlement")


class TestCompare(unittest.TestCase):

    def test_compare__portability_gap(self):
        rs = support.e01_rules()
        c = portability.compare(rs, History.load(support.E01_HISTORY), without_agreements="all")
        self.assertEqual([d.scheme for d in c.differences], ["XA-STATE", "XB-STATE"])
        a = c["XA-STATE"]
        self.assertEqual(a.base, Money("360.00", "EUR"))
        self.assertEqual(a.scenario, Money(0, "EUR"))
        self.assertEqual(a.gap, Money("360.00", "EUR"))
        self.assertEqual(a.change, Money("-360.00", "EUR"))
        self.assertEqual(c.gap["XB-STATE"].to_decimal(), Decimal("525.71"))
        self.assertEqual(a.base_status, "payable")
        self.assertNotEqual(a.scenario_status, "payable")
        same = portability.compare(rs, support.E01_HISTORY, without_agreement="XA-XB")
        self.assertEqual(same.gap, c.gap)

    def test_compare__same_sign_as_c_and_lump_sums(self):
        # lp_compare's meaning: difference = scenario - base, per row, lump sums
        # included (E01: XA-STATE pays 360.00 as given, nothing without XA-XB)
        rs = support.e01_rules()
        c = portability.compare(rs, support.E01_HISTORY, without_agreements="all")
        a = c["XA-STATE"]
        self.assertEqual(a.difference, Money("-360.00", "EUR"))
        self.assertEqual(a.difference, a.scenario - a.base)
        self.assertEqual(a.what, "pension")
        for row in c.rows:
            self.assertEqual(row.difference, row.scenario - row.base)
        self.assertEqual(len(c.rows) - len(c.differences), len(c.base.lump_sums))
        self.assertEqual(set(c.lump_sums), {(l.scheme, l.option) for l in c.base.lump_sums})

    def test_compare__residence(self):
        rs = support.e01_rules()
        c = portability.compare(rs, History.load(support.E01_HISTORY), residence="XB")
        self.assertFalse(c.base["XB-STATE"].export_allowed)
        self.assertTrue(c.scenario["XB-STATE"].export_allowed)

    def test_compare__needs_a_known_variation(self):
        rs = support.e01_rules()
        with self.assertRaises(TypeError):
            portability.compare(rs, History.load(support.E01_HISTORY))
        with self.assertRaises(TypeError):
            portability.compare(rs, History.load(support.E01_HISTORY), colour="red")


class TestLifetimes(unittest.TestCase):

    def test_lifetime__children_keep_result_alive(self):
        rs = support.e01_rules()
        r = portability.calculate(rs, History.load(support.E01_HISTORY), trace=True)
        ent = r["XB-STATE"]
        ref = weakref.ref(r)
        del r
        gc.collect()
        self.assertIsNotNone(ref())  # the entitlement holds it
        steps = ent.trace  # reads the C result through the surviving parent
        self.assertGreater(len(steps), 0)
        step = steps[0]
        del ent, steps
        gc.collect()
        self.assertIsNotNone(ref())  # the step holds the entitlement, which holds the result
        self.assertTrue(step.rule)
        del step
        gc.collect()
        self.assertIsNone(ref())

    def test_lifetime__result_keeps_rules_and_history(self):
        r = portability.calculate(support.e01_rules(), support.e01_history_api())
        gc.collect()
        self.assertIn("XA-STATE", r.rules.schemes)
        self.assertEqual(r.history.period_count, 2)
        self.assertIn("XA-STATE", r.to_xml())

    def test_lifetime__handles_not_constructible(self):
        from portability import _portability
        for t in (_portability.RuleSet, _portability.History, _portability.Result,
                  _portability.Money):
            with self.assertRaises(TypeError):
                t()
        with self.assertRaises(TypeError):
            portability.Result()
        with self.assertRaises(TypeError):
            _portability.calc(object(), object())


if __name__ == "__main__":
    unittest.main()
