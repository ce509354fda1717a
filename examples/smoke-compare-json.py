"""`portability-calc --compare --format json` writes lp_compare()'s result
(lp_comparison_to_json): it follows rules/portability-comparison.schema.json,
its base and variant follow rules/portability-result.schema.json, every row's
difference is variant - base exactly, and the pension rows carry the figures
the text comparison prints. Needs python3-jsonschema.

Environment (examples/Makefile.am): CALC, srcdir, LP_RULES_DIR."""
import json
import os
import subprocess
import sys
import unittest
from fractions import Fraction

try:
    import jsonschema
except ImportError:  # a declared dependency: fail loudly, never skip
    sys.stderr.write("smoke-compare-json: python3-jsonschema is missing\n")
    sys.exit(99)

SRCDIR = os.path.abspath(os.environ.get("srcdir", "."))
CALC = os.environ.get("CALC", os.path.abspath("portability-calc"))
RULES = os.environ.get("LP_RULES_DIR", os.path.join(SRCDIR, "..", "rules"))
CASES = [
    ("--without-agreements", "careers/korean-engineer-us-canada.xml"),
    ("--without-agreement JP-PH", "careers/filipino-nurse-japan.xml"),
    ("--take-lump-sum JP-EPI/withdrawal", "careers/filipino-caregiver-japan-lump-sum.xml"),
]


def validator(name):
    with open(os.path.join(RULES, name), encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


COMPARISON = validator("portability-comparison.schema.json")
RESULT = validator("portability-result.schema.json")


def run(*args):
    p = subprocess.run([CALC, "--rules", RULES] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, cwd=SRCDIR, check=False)
    if p.returncode != 0:
        raise AssertionError("%s: exit %d: %s" % (" ".join(args), p.returncode, p.stderr.decode()))
    return p.stdout.decode("utf-8")


class CompareJson(unittest.TestCase):
    def test_follows_the_schemas_and_the_sign(self):
        for variation, career in CASES:
            with self.subTest(variation=variation, career=career):
                doc = json.loads(run("--compare", *variation.split(), "--format", "json", career))
                COMPARISON.validate(doc)
                RESULT.validate(doc["base"])
                RESULT.validate(doc["variant"])
                self.assertTrue(doc["rows"])
                for row in doc["rows"]:
                    b, v, d = (Fraction(row[k]["exact"]) for k in ("base", "variant", "difference"))
                    self.assertEqual(d, v - b, row)

    def test_lump_sums_have_rows(self):
        doc = json.loads(run("--compare", "--take-lump-sum", "JP-EPI/withdrawal", "--format", "json",
                             "careers/filipino-caregiver-japan-lump-sum.xml"))
        options = {(r["scheme"], r["what"]) for r in doc["rows"] if r["what"] != "pension"}
        self.assertEqual(options, {(l["scheme"], l["option"]) for l in doc["base"]["lump_sums"]})

    def test_korean_engineer_gap(self):
        # KR-NPS: 723,130 won a month computed on the Korean periods (claim 2025-03-01: A
        # 3,089,062 and the 2025 revaluation rates; by hand B = 613,345,200 / 132, basic
        # 2.4 x (A + 0.75 B) = 15,777,546.98 a year, x 0.55 / 12 = 723,137.57, truncated to
        # 10 won), with or without agreements: the US-Korea pro-rata 620,000 x 132/216 =
        # 3,410,000/9 is lower, so the difference is 0.  The US pension ($591) is lost
        # without the agreements (expected/compare-engineer-no-agreements.xml).
        doc = json.loads(run("--compare", "--without-agreements", "--format", "json",
                             "careers/korean-engineer-us-canada.xml"))
        row = [r for r in doc["rows"] if r["scheme"] == "KR-NPS" and r["what"] == "pension"][0]
        self.assertEqual(row["difference"]["exact"], "0")
        self.assertEqual(row["base"]["exact"], "723130")
        us = [r for r in doc["rows"] if r["scheme"] == "US-OASDI" and r["what"] == "pension"][0]
        self.assertEqual(us["difference"]["exact"], "-591")

    def test_the_xml_shows_the_same_rows(self):
        import xml.etree.ElementTree as ET
        xml = ET.fromstring(run("--compare", "--without-agreements", "--format", "xml",
                                "careers/korean-engineer-us-canada.xml"))
        doc = json.loads(run("--compare", "--without-agreements", "--format", "json",
                             "careers/korean-engineer-us-canada.xml"))
        ns = "{urn:libportability:compare:1}"
        pensions = [r for r in doc["rows"] if r["what"] == "pension"]
        diffs = xml.findall(ns + "difference")
        self.assertEqual([d.get("scheme") for d in diffs], [r["scheme"] for r in pensions])
        for d, r in zip(diffs, pensions):
            self.assertEqual(Fraction(d.get("b-minus-a")), Fraction(r["difference"]["exact"]))


if __name__ == "__main__":
    unittest.main()
