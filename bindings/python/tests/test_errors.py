"""Errors as exceptions: one class per libportability code, each carrying the
code, message, file, line and column of lp_error_last()."""

import os
import pickle
import shutil
import tempfile
import unittest

import support
import portability
from portability import Money

INVALID_RULES = os.path.join(support.DATA, "rules", "invalid")

CLASSES = {
    -1: portability.Error, -2: portability.InvalidArgument, -3: portability.NoMemory,
    -4: portability.NotFound, -5: portability.IOFailure, -6: portability.ParseError,
    -7: portability.SchemaError, -8: portability.CurrencyError, -9: portability.DivisionByZero,
    -10: portability.Inexact, -11: portability.RangeError,
}
NAMES = {"LP_EINVAL": -2, "LP_ENOTFOUND": -4, "LP_EIO": -5, "LP_EPARSE": -6, "LP_ESCHEMA": -7,
         "LP_ECURRENCY": -8, "LP_EDIVZERO": -9, "LP_ERANGE": -11}


class TestHierarchy(unittest.TestCase):

    def test_errors__one_class_per_code(self):
        for code, cls in CLASSES.items():
            with self.subTest(cls=cls.__name__):
                self.assertIs(portability.error_class(code), cls)
                self.assertTrue(issubclass(cls, portability.Error))
                self.assertEqual(cls.code, code)
                e = cls(code, "message", "f.xml", 3, 7)
                self.assertEqual((e.code, e.message, e.file, e.line, e.column),
                                 (code, "message", "f.xml", 3, 7))
                self.assertEqual(str(e), "f.xml:3:7: message")
                self.assertIsInstance(pickle.loads(pickle.dumps(e)), cls)
        self.assertIs(portability.error_class(-99), portability.Error)
        self.assertEqual(len(set(CLASSES.values())), len(CLASSES))

    def test_errors__builtin_bases(self):
        self.assertTrue(issubclass(portability.NotFound, LookupError))
        self.assertTrue(issubclass(portability.IOFailure, OSError))
        self.assertTrue(issubclass(portability.ParseError, ValueError))
        self.assertTrue(issubclass(portability.DivisionByZero, ZeroDivisionError))
        self.assertTrue(issubclass(portability.NoMemory, MemoryError))
        self.assertEqual(str(portability.IOFailure(-5, "cannot read", "x.xml", 0, 0)),
                         "x.xml: cannot read")
        from portability import _portability
        self.assertEqual(str(portability.Error(-1, "", None, 0, 0)), _portability.strerror(-1))


class TestRaisedFromC(unittest.TestCase):
    """Every class that the library can produce through the API, raised from C."""

    def check(self, cls, fn, file=None, line=None):
        with self.assertRaises(cls) as cm:
            fn()
        e = cm.exception
        self.assertIs(type(e), cls)
        self.assertEqual(e.code, cls.code)
        self.assertTrue(e.message)
        if file is not None:
            self.assertEqual(e.file, file)
        if line is not None:
            self.assertEqual(e.line, line)
        return e

    def test_errors__invalid_argument(self):
        self.check(portability.InvalidArgument,
                   lambda: portability.History("x", "1960-01-01", "X", "XA", "2025-01-01"))
        self.check(portability.InvalidArgument, lambda: Money(1, "USD").to_decimal("-1"))

    def test_errors__not_found(self):
        missing = os.path.join(support.DATA, "no-such-history.xml")
        self.check(portability.NotFound, lambda: portability.History.load(missing), file=missing)
        self.check(portability.NotFound, lambda: portability.RuleSet.load("/no/such/rules"))
        h = portability.History("x", "1960-01-01", "XA", "XA", "2025-01-01")
        h.add_period("ZZ-NONE", "2000-01-01", "2001-01-01", "contribution")
        e = self.check(portability.NotFound, lambda: portability.calculate(support.e01_rules(), h))
        self.assertIn("ZZ-NONE", e.message)

    def test_errors__parse_error_with_line(self):
        xml = support.history_xml(
            '  <period scheme="XA-STATE" from="1980-01-01" to="1997-12-31" kind="contribution">\n'
            "  </perio>\n")
        e = self.check(portability.ParseError,
                       lambda: portability.History.from_string(xml, "bad.xml"),
                       file="bad.xml", line=6)
        self.assertTrue(str(e).startswith("bad.xml:6:"))

    def test_errors__bad_history_date_names_line(self):
        xml = support.history_xml(
            '  <period scheme="XA-STATE" from="1980-01-01" to="1997-12-31" kind="contribution"/>\n'
            '  <period scheme="XB-STATE" from="2025-02-30" to="2026-12-31" kind="contribution"/>\n')
        with self.assertRaises(portability.Error) as cm:
            portability.History.from_string(xml, "dates.xml")
        self.assertEqual(cm.exception.file, "dates.xml")
        self.assertEqual(cm.exception.line, 6)
        self.assertIn("2025-02-30", cm.exception.message)

    def test_errors__bad_history_file_names_file_and_line(self):
        d = tempfile.mkdtemp()
        try:
            path = os.path.join(d, "h.xml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(support.history_xml(
                    '  <period scheme="XA-STATE" from="1999-01-01" to="1998-12-31"'
                    ' kind="contribution"/>\n'))
            e = self.check(portability.ParseError, lambda: portability.History.load(path),
                           file=path, line=5)
            self.assertIn("before it starts", e.message)
        finally:
            shutil.rmtree(d)

    def test_errors__schema_error_history(self):
        xml = support.history_xml('  <period scheme="XA-STATE" from="1980-01-01"/>\n')
        self.check(portability.SchemaError, lambda: portability.History.from_string(xml, "s.xml"),
                   file="s.xml", line=5)

    def test_errors__bad_rule_file_raises_schema_error_naming_file_and_line(self):
        d = tempfile.mkdtemp()
        try:
            for name in os.listdir(support.E01_RULES):
                shutil.copy(os.path.join(support.E01_RULES, name), d)
            path = os.path.join(d, "A.xml")
            with open(path, encoding="utf-8") as f:
                lines = f.read().split("\n")
            # drop the citation of the eligibility rule: the schema requires it
            n = next(i for i, s in enumerate(lines) if "<eligible" in s)
            lines[n] = lines[n].replace(' cite="', ' note="')
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(lines))
            e = self.check(portability.SchemaError, lambda: portability.RuleSet.load(d),
                           file=path, line=n + 1)
            self.assertIn("note", e.message)
            self.assertTrue(str(e).startswith("%s:%d:" % (path, n + 1)))
            self.assertGreaterEqual(len(e.diagnostics), 1)
            self.assertEqual(e.diagnostics[0].file, path)
            # RuleSet.check lists the same problems without raising
            diags = portability.RuleSet.check(d)
            self.assertEqual([tuple(x) for x in diags], [tuple(x) for x in e.diagnostics])
            self.assertIs(diags[0].error, portability.SchemaError)
        finally:
            shutil.rmtree(d)

    def test_errors__invalid_rule_sets(self):
        """Every invalid rule set of tests/data/rules/invalid, with its expected first problem."""
        if not os.path.isdir(INVALID_RULES):
            self.skipTest("no tests/data/rules/invalid")
        n = 0
        for name in sorted(os.listdir(INVALID_RULES)):
            d = os.path.join(INVALID_RULES, name)
            exp = os.path.join(d, "expected.txt")
            if not os.path.isfile(exp):
                continue
            with open(exp, encoding="utf-8") as f:
                first = f.readline().split(None, 3)
            code, line, column = NAMES[first[0]], int(first[1]), int(first[2])
            with self.subTest(case=name):
                with self.assertRaises(portability.Error) as cm:
                    portability.RuleSet.load(d)
                e = cm.exception
                self.assertIs(type(e), CLASSES[code])
                self.assertIsNotNone(e.file)
                self.assertTrue(e.file.startswith(d))
                diags = portability.RuleSet.check(d)
                self.assertIn((code, line, column),
                              [(x.code, x.line, x.column) for x in diags])
                self.assertEqual(len(diags), len(e.diagnostics))
                n += 1
        self.assertGreater(n, 5)

    def test_errors__valid_rules_check_empty(self):
        self.assertEqual(portability.RuleSet.check(support.E01_RULES), [])
        self.assertEqual(portability.RuleSet.check(), [])

    def test_errors__currency(self):
        self.check(portability.CurrencyError, lambda: Money(1, "ABC"))
        h = portability.History("x", "1960-01-01", "XA", "XA", "2025-01-01")
        self.check(portability.CurrencyError,
                   lambda: h.add_period("XA-STATE", "2000-01-01", "2001-01-01", "contribution",
                                        earnings="100", currency="QQQ"))

    def test_errors__division_by_zero(self):
        self.check(portability.DivisionByZero, lambda: Money("1/0", "USD"))
        self.check(portability.DivisionByZero, lambda: Money(1, "USD") / 0)

    def test_errors__inexact(self):
        self.check(portability.Inexact, lambda: Money("0.005", "USD").to_decimal("0.01", "unnecessary"))

    def test_errors__range(self):
        self.check(portability.RangeError, lambda: Money("9" * 65, "USD"))

    def test_errors__range_before_the_text_is_built(self):
        # Decimal("1E+999999999") was written out in full (a billion digits,
        # gigabytes) before the library refused it, and an int of 5,000 digits
        # raised Python's own ValueError (int_max_str_digits): each is the
        # library's RangeError, at once
        import decimal
        import fractions
        h = portability.History("x", "1960-01-01", "PH", "PH", "2025-06-01")
        for value in (decimal.Decimal("1E+999999999"), decimal.Decimal("-1E-999999999"),
                      10 ** 5000, fractions.Fraction(1, 10 ** 5000)):
            with self.assertRaises(portability.RangeError) as cm:
                Money(value, "USD")
            self.assertIn("more than 64 digits", str(cm.exception))
            with self.assertRaises(portability.RangeError):
                h.add_period("PH-SSS", "2000-01-01", "2000-12-31", earnings=value, currency="PHP")
            with self.assertRaises(portability.RangeError):
                h.add_fact("PH-SSS", "amsc", value, "PHP")
        # the largest the library reads still goes through
        self.assertEqual(Money(10 ** 63, "USD").amount, 10 ** 63)

    def test_errors__io(self):
        # reading a directory as a history cannot succeed; the library reports it
        # as a read failure or a size limit depending on the platform
        with self.assertRaises(portability.Error) as cm:
            portability.History.load(support.DATA)
        self.assertIsInstance(cm.exception, (portability.IOFailure, portability.RangeError))
        self.assertEqual(cm.exception.file, support.DATA)

    def test_errors__no_memory_is_mapped(self):
        # out-of-memory cannot be provoked safely; check the mapping the C glue uses
        from portability import _portability
        self.assertIs(portability.error_class(_portability.LP_ENOMEM), portability.NoMemory)

    def test_errors__error_last_is_per_thread(self):
        # a failure on one thread does not leak its detail into another thread's error
        import threading
        seen = []

        def worker(i):
            try:
                Money("x%d" % i, "USD")
            except portability.ParseError as e:
                seen.append(("x%d" % i) in e.message)

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(seen, [True] * 8)


if __name__ == "__main__":
    unittest.main()
