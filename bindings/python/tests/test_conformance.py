"""Conformance through Python: the textbook case E1 (Holzmann 2016, Table 7) and
every case folder of tests/data/cases/ that has a case.txt.

Each `expect:` line (an XPath over the result, README of tests/data/cases) is
checked twice: against a result tree rebuilt from the Python objects alone
(Entitlement, LumpSum, TraceStep ...), and against the result XML. Both must
give the expected figure, so the Python API carries everything the XML does.
"""

import os
import re
import unittest
import xml.etree.ElementTree as ET
from decimal import Decimal

import support
import portability
from portability import History, RuleSet

# ------------------------------------------------------------- case.txt parsing


class Case:
    def __init__(self, path):
        self.dir = path
        self.name = os.path.basename(path)
        self.rules = None  # shipped
        self.history = os.path.join(path, "history.xml")
        self.trace = False
        self.without = []
        self.taken = []
        self.residence = None
        self.nationality = None
        self.expects = []
        self.expect_error = None
        with open(os.path.join(path, "case.txt"), encoding="utf-8") as f:
            for raw in f:
                s = raw.strip()
                if not s or s.startswith("#"):
                    continue
                if s.startswith("expect:"):
                    path_, _, want = s[len("expect:"):].strip().partition(" = ")
                    self.expects.append((path_.strip(), want.strip()))
                    continue
                if s.startswith("expect-error:"):
                    self.expect_error = s[len("expect-error:"):].strip()
                    continue
                s = s.split(" #")[0].strip()
                key, _, value = s.partition(":")
                value = value.strip()
                if key == "rules" and value != "shipped":
                    self.rules = os.path.join(path, value)
                elif key == "history":
                    self.history = os.path.join(path, value)
                elif key == "options":
                    for tok in value.split():
                        if tok == "trace":
                            self.trace = True
                        elif tok.startswith("without-agreement="):
                            self.without.append(tok.split("=", 1)[1])
                        elif tok.startswith("take-lump-sum="):
                            self.taken.append(tok.split("=", 1)[1])
                        elif tok.startswith("residence="):
                            self.residence = tok.split("=", 1)[1]
                        elif tok.startswith("nationality="):
                            self.nationality = tok.split("=", 1)[1]


def all_cases():
    out = []
    if os.path.isdir(support.CASES):
        for name in sorted(os.listdir(support.CASES)):
            p = os.path.join(support.CASES, name)
            if os.path.isfile(os.path.join(p, "case.txt")):
                out.append(Case(p))
    return out


# ------------------------------------------- a result tree from Python objects

def _b(x):
    return "true" if x else "false"


def _q(f):
    return None if f is None else str(f)


def _steps(parent, steps):
    tr = ET.SubElement(parent, "trace")
    for s in steps:
        st = ET.SubElement(tr, "step", _attrs(rule=s.rule, formula=s.formula, value=s.value))
        for name, value in s.inputs.items():
            ET.SubElement(st, "input", _attrs(name=name, value=value, **s.input_sources.get(name, {})))
        if s.cite or s.source_title or s.source_url:
            src = ET.SubElement(st, "source", _attrs(cite=s.cite, url=s.source_url))
            src.text = s.source_title


def _attrs(**kw):
    return {k.replace("_", "-"): v for k, v in kw.items() if v is not None}


def tree_from_objects(r):
    """The result as a tree, built only from the Python objects (not from to_xml())."""
    root = ET.Element("result", _attrs(history=r.history_id, claim_date=r.claim_date,
                                       library_version=r.library_version,
                                       rules_digest=r.rules_digest, input_digest=r.input_digest))
    for e in r.entitlements:
        el = ET.SubElement(root, "entitlement", _attrs(
            scheme=e.scheme, benefit=e.benefit, currency=e.currency, frequency=e.frequency,
            status=e.status, method=e.method, agreement=e.agreement,
            provisional="true" if e.provisional else None))
        ET.SubElement(el, "periods", _attrs(own=_q(e.own_periods),
                                            totalised=_q(e.totalised_periods), unit=e.unit))
        ET.SubElement(el, "eligible", {"alone": _b(e.eligible_alone),
                                       "totalised": _b(e.eligible_totalised)})
        for kind in e.kinds:
            value = e.rounded(kind)
            exact = e.amount(kind).exact_text()
            a = {"kind": kind, "value": str(value)}
            if portability.Money(value, e.currency).amount != e.amount(kind).amount:
                a["exact"] = exact
            ET.SubElement(el, "amount", a)
        ET.SubElement(el, "export", {"allowed": _b(e.export_allowed)})
        for rt in e.routes:
            ET.SubElement(el, "route", _attrs(agreement=rt.agreement, status=rt.status,
                                              method=rt.method, payable=rt.payable_text,
                                              error=rt.error))
        if e.error is not None:
            cc = ET.SubElement(el, "cannot-compute", _attrs(
                file=e.error.file, line=str(e.error.line) if e.error.file else None,
                column=str(e.error.column) if e.error.file else None,
                parameter=e.error.gap, date=e.error.date))
            cc.text = e.error.message
        for h in e.provisional:
            ET.SubElement(el, "provisional", _attrs(parameter=h.parameter, since=h.since, cite=h.cite))
        if e.trace:
            _steps(el, e.trace)
    for ls in r.lump_sums:
        el = ET.SubElement(root, "lump-sum", _attrs(
            scheme=ls.scheme, option=ls.option, employer=ls.employer, kind=ls.kind, currency=ls.currency,
            value=ls.value_text, exact=ls.exact_text, available=_b(ls.available),
            forfeits_periods=_b(ls.forfeits_periods), error=ls.error,
            provisional="true" if ls.provisional else None))
        for c in ls.conditions:
            ET.SubElement(el, "condition", _attrs(id=c.id, met=_b(c.met), cite=c.cite))
        if ls.cannot_compute is not None:
            f = ls.cannot_compute
            cc = ET.SubElement(el, "cannot-compute", _attrs(
                file=f.file, line=str(f.line) if f.file else None,
                column=str(f.column) if f.file else None, parameter=f.gap, date=f.date))
            cc.text = f.message
        for h in ls.provisional:
            ET.SubElement(el, "provisional", _attrs(parameter=h.parameter, since=h.since, cite=h.cite))
        if ls.trace:
            _steps(el, ls.trace)
    for n in r.notes:
        note = ET.SubElement(root, "note", _attrs(scheme=n.scheme, line=str(n.line) if n.line else None))
        note.text = n.message
    return root


def tree_from_xml(text):
    root = ET.fromstring(text)
    for el in root.iter():
        if "}" in el.tag:
            el.tag = el.tag.split("}", 1)[1]
    return root


# --------------------------------------------------- a small XPath 1.0 subset

def _split(path, sep="/"):
    parts, depth, quote, cur = [], 0, None, ""
    for ch in path:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "[" or ch == "(":
            depth += 1
        elif ch == "]" or ch == ")":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        cur += ch
    parts.append(cur)
    return parts


_STEP = re.compile(r"^([\w-]+|@[\w-]+)((?:\[.*\])?)$")


def _predicate(el, pred):
    pred = pred.strip()
    for conj in re.split(r"\s+and\s+", pred):
        conj = conj.strip()
        m = re.match(r"^not\((.*)\)$", conj)
        if m:
            if select([el], m.group(1)):
                return False
            continue
        m = re.match(r"^@([\w-]+)\s*=\s*'([^']*)'$", conj)
        if m:
            if el.get(m.group(1)) != m.group(2):
                return False
            continue
        raise ValueError("unsupported predicate: %s" % conj)
    return True


def select(nodes, path):
    """Nodes (elements, or attribute strings for a final @name) a relative path selects."""
    for step in _split(path):
        m = _STEP.match(step.strip())
        if not m:
            raise ValueError("unsupported step: %s" % step)
        name, preds = m.group(1), m.group(2)
        if name.startswith("@"):
            nodes = [n.get(name[1:]) for n in nodes if n.get(name[1:]) is not None]
            continue
        out = []
        for n in nodes:
            out.extend(c for c in n if c.tag == name)
        for p in re.findall(r"\[((?:[^\[\]']|'[^']*')*)\]", preds):
            out = [c for c in out if _predicate(c, p)]
        nodes = out
    return nodes


def evaluate(root, expr):
    m = re.match(r"^(count|sum)\((.*)\)$", expr)
    if m:
        nodes = select([root], m.group(2))
        if m.group(1) == "count":
            return str(len(nodes))
        total = sum((Decimal(n) for n in nodes), Decimal(0))
        return str(int(total)) if total == total.to_integral_value() else str(total.normalize())
    nodes = select([root], expr)
    if not nodes:
        return None
    n = nodes[0]
    return n if isinstance(n, str) else (n.text or "")


# ------------------------------------------------------------------ the tests

CODES = {"LP_EINVAL": portability.InvalidArgument, "LP_ENOTFOUND": portability.NotFound,
         "LP_EPARSE": portability.ParseError, "LP_ESCHEMA": portability.SchemaError,
         "LP_ECURRENCY": portability.CurrencyError, "LP_EDIVZERO": portability.DivisionByZero,
         "LP_ERANGE": portability.RangeError, "LP_EIO": portability.IOFailure}


class TestConformance(unittest.TestCase):

    _rules = {}

    def rules(self, path):
        key = path or "shipped"
        if key not in self._rules:
            self._rules[key] = RuleSet.load(path)
        return self._rules[key]

    def test_conformance__e01_pro_rata_holzmann_table7(self):
        """State A pays 18/40 x 800 = 360.00; State B 24/42 x 920 = 525.71 (EUR a month)."""
        r = portability.calculate(support.e01_rules(), History.load(support.E01_HISTORY),
                                  trace=True)
        a, b = r["XA-STATE"], r["XB-STATE"]
        self.assertEqual((a.status, a.method, b.status, b.method),
                         ("payable", "pro-rata", "payable", "pro-rata"))
        self.assertEqual(a.rounded("payable"), Decimal("360.00"))
        self.assertEqual(b.rounded("payable"), Decimal("525.71"))
        self.assertEqual(a.payable.to_decimal("0.01", "half-up"), Decimal("360.00"))
        self.assertEqual(b.payable.to_decimal("0.01", "half-up"), Decimal("525.71"))
        self.assertEqual(a.amount("theoretical").to_decimal(), Decimal("800.00"))
        self.assertEqual(b.amount("theoretical").to_decimal(), Decimal("920.00"))
        self.assertEqual((a.own_periods, a.totalised_periods), (18, 42))
        self.assertEqual((b.own_periods, b.totalised_periods), (24, 42))
        self.assertTrue(all(s.cite for e in r for s in e.trace))

    def test_conformance__cases(self):
        cases = all_cases()
        self.assertGreater(len(cases), 0, "no case folders under %s" % support.CASES)
        checked = 0
        for case in cases:
            with self.subTest(case=case.name):
                checked += self.run_case(case)
        self.assertGreater(checked, 0)

    def run_case(self, case):
        rules = self.rules(case.rules)
        try:
            h = History.load(case.history)
            if case.residence or case.nationality:
                h = h.with_residence(case.residence, case.nationality)
            r = portability.calculate(rules, h, trace=case.trace,
                                      without_agreements=case.without,
                                      lump_sums_taken=case.taken)
        except portability.Error as e:
            if not case.expect_error:
                raise
            parts = case.expect_error.split()
            self.assertIsInstance(e, CODES[parts[0]])
            if len(parts) >= 3 and parts[1] == "line":
                self.assertEqual(e.line, int(parts[2]), str(e))
            return 1
        self.assertIsNone(case.expect_error, "expected an error, the history was accepted")
        objects = tree_from_objects(r)
        document = tree_from_xml(r.to_xml())
        for expr, want in case.expects:
            self.assertEqual(evaluate(objects, expr), want, "%s (Python objects)" % expr)
            self.assertEqual(evaluate(document, expr), want, "%s (result XML)" % expr)
        return len(case.expects)


if __name__ == "__main__":
    unittest.main()
