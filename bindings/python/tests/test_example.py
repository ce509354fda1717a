"""The example examples/portability_gap.py (a smoke test), and the rule that no
IEEE 754 binary number type appears anywhere in the binding or the Python examples."""

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from decimal import Decimal

import support

SCRIPT = os.path.join(support.EXAMPLES, "portability_gap.py")
BINDINGS = os.path.normpath(os.path.join(support.HERE, ".."))


def run(*args):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    return subprocess.run([sys.executable, SCRIPT] + list(args), env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=600)


class TestPortabilityGapExample(unittest.TestCase):

    def rows(self, text):
        return list(csv.DictReader(io.StringIO(text)))

    def test_example__synthetic_cohort(self):
        p = run("--cohort", "30", "--jobs", "2")
        self.assertEqual(p.returncode, 0, p.stderr)
        rows = self.rows(p.stdout)
        self.assertEqual(list(rows[0].keys()),
                         ["history", "scheme", "benefit", "currency", "payable_with_agreements",
                          "payable_without_agreements", "difference", "status_with",
                          "status_without", "agreement"])
        people = {r["history"] for r in rows if r["history"] != "TOTAL"}
        self.assertEqual(len(people), 30)
        sums = {}
        unknown = [r for r in rows if "cannot-compute" in (r["status_with"], r["status_without"])]
        for r in unknown:     # no figure, and not a zero in the totals
            self.assertEqual((r["payable_with_agreements"], r["difference"]), ("", ""))
        for r in rows:
            if r in unknown:
                continue
            w, wo, d = (Decimal(r[k]) for k in ("payable_with_agreements",
                                                "payable_without_agreements", "difference"))
            self.assertEqual(d, w - wo)
            self.assertNotIn("E", r["difference"])  # plain decimals, never exponents
            if r["history"] != "TOTAL":
                s = sums.setdefault(r["scheme"], [Decimal(0), Decimal(0)])
                s[0] += w
                s[1] += wo
        totals = {r["scheme"]: r for r in rows if r["history"] == "TOTAL"}
        self.assertEqual(set(totals), set(sums))
        for scheme, (w, wo) in sums.items():
            self.assertEqual(Decimal(totals[scheme]["payable_with_agreements"]), w)
            self.assertEqual(Decimal(totals[scheme]["payable_without_agreements"]), wo)
        # the agreements must matter for somebody in this cohort
        self.assertTrue(any(Decimal(r["difference"]) > 0 for r in rows))

    def test_example__histories_and_rules(self):
        d = tempfile.mkdtemp()
        try:
            out = os.path.join(d, "gap.csv")
            p = run("--rules", support.E01_RULES, "--no-totals", "-o", out, support.E01_HISTORY)
            self.assertEqual(p.returncode, 0, p.stderr)
            with open(out, encoding="utf-8") as f:
                rows = self.rows(f.read())
        finally:
            shutil.rmtree(d)
        got = {r["scheme"]: (r["payable_with_agreements"], r["payable_without_agreements"],
                             r["difference"]) for r in rows}
        self.assertEqual(got, {"XA-STATE": ("360.00", "0.00", "360.00"),
                               "XB-STATE": ("525.71", "0.00", "525.71")})

    def test_example__by_corridor(self):
        p = run("--rules", support.SHIPPED_RULES, "--by-corridor",
                os.path.join(support.EXAMPLES, "careers", "filipino-nurse-germany.xml"),
                os.path.join(support.EXAMPLES, "careers", "indonesian-domestic-worker-saudi-hong-kong.xml"),
                os.path.join(support.EXAMPLES, "careers", "filipino-nurse-japan.xml"))
        self.assertEqual(p.returncode, 0, p.stderr)
        rows = {(r["nationality"], r["scheme_country"], r["currency"]): r for r in self.rows(p.stdout)}
        self.assertEqual(len(rows), len(self.rows(p.stdout)))   # one frequency each here
        # the SSS pension exists only through the agreements (examples/careers: 3,265.31
        # with DE-PH for the nurse in Germany; 4,744.83 with JP-PH for the nurse in Japan)
        ph = rows[("PH", "PH", "PHP")]
        self.assertEqual(ph["careers"], "2")
        self.assertEqual(Decimal(ph["payable_with_agreements"]), Decimal("3265.31") + Decimal("4744.83"))
        self.assertEqual(Decimal(ph["difference"]), Decimal(ph["payable_with_agreements"])
                         - Decimal(ph["payable_without_agreements"]))
        self.assertEqual(ph["agreements"], "DE-PH JP-PH")
        # no agreement with Saudi Arabia or Hong Kong: nothing added
        sa = rows[("ID", "SA", "SAR")]
        self.assertEqual((sa["difference"], sa["agreements"]), ("0", "none in these rules"))
        # Japan: both pensions of the nurse in Japan reach 120 months only with JP-PH
        # (103,963 + 95,983 JPY a year; examples/careers/filipino-nurse-japan.xml)
        jp = rows[("PH", "JP", "JPY")]
        self.assertEqual(Decimal(jp["payable_with_agreements"]), Decimal(103963 + 95983))
        self.assertEqual(jp["schemes_not_computed"], "0")

    def test_example__failures_exit_1(self):
        p = run("--rules", support.E01_RULES, os.path.join(support.DATA, "no-such.xml"))
        self.assertEqual(p.returncode, 1)
        self.assertIn("no-such.xml", p.stderr)
        p = run("--jobs", "0")
        self.assertEqual(p.returncode, 2)


class TestNoBinaryNumbers(unittest.TestCase):

    def test_no_ieee754_types_in_the_binding(self):
        word = re.compile(r"\b(" + "fl" + "oat|dou" + r"ble)\b|fl" + "oat", re.I)
        files = []
        for root, _, names in os.walk(BINDINGS):
            files.extend(os.path.join(root, n) for n in names
                         if n.endswith((".c", ".h", ".py", ".am")))
        if os.path.isdir(support.EXAMPLES):
            files.extend(os.path.join(support.EXAMPLES, n) for n in os.listdir(support.EXAMPLES)
                         if n.endswith(".py"))
        self.assertGreater(len(files), 5)
        for path in files:
            with open(path, encoding="utf-8") as f:
                for no, line in enumerate(f, 1):
                    self.assertIsNone(word.search(line), "%s:%d: %s" % (path, no, line.strip()))


if __name__ == "__main__":
    unittest.main()
