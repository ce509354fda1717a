"""The calculator's JSON, for every bundled career, follows the shipped JSON
Schema (rules/portability-result.schema.json) and carries the same figures as
its XML: every amount's value and exact text, status, method, agreement,
periods, eligibility, export, routes, lump sums and their conditions, and the
trace. The same for each line of `--batch --format jsonl` against the batch
XML. Needs python3-jsonschema (scripts/install-deps.sh).

Environment (examples/Makefile.am): CALC, srcdir, LP_RULES_DIR."""
import glob
import json
import os
import subprocess
import sys
import unittest
import xml.etree.ElementTree as ET

try:
    import jsonschema
except ImportError:  # a declared dependency: fail loudly, never skip
    sys.stderr.write("smoke-json: python3-jsonschema is missing: "
                     "sudo apt-get install python3-jsonschema\n")
    sys.exit(99)

SRCDIR = os.path.abspath(os.environ.get("srcdir", "."))
CALC = os.environ.get("CALC", os.path.abspath("portability-calc"))
RULES = os.environ.get("LP_RULES_DIR", os.path.join(SRCDIR, "..", "rules"))
NS = "{urn:libportability:result:1}"
CAREERS = sorted(p for p in glob.glob(os.path.join(SRCDIR, "careers", "*.xml"))
                 if not p.endswith("cohort.xml"))
COHORT = os.path.join(SRCDIR, "careers", "cohort.xml")


# A trace input: name and value, and for a rule-set value where it was read
# and its citation (each only when it applies, in JSON as in XML).
INPUT_KEYS = ("name", "value", "at", "row", "cite", "source", "grade")


def load_schema():
    with open(os.path.join(RULES, "portability-result.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return schema, cls


SCHEMA, VALIDATOR = load_schema()


def run(*args, status=0):
    """The calculator's output; status: the exit status expected, or a tuple."""
    p = subprocess.run([CALC, "--rules", RULES] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, cwd=SRCDIR, check=False)
    if p.returncode not in (status if isinstance(status, tuple) else (status,)):
        raise AssertionError("%s: exit %d, expected %d: %s"
                             % (" ".join(args), p.returncode, status, p.stderr.decode()))
    return p.stdout.decode("utf-8")


def exact_only(text):
    """Parse JSON, failing on any value that is not text, a boolean, null, an
    object or an array: every figure is exact text. Integers appear only as the
    line and column numbers of a file."""
    doc = json.loads(text)

    def walk(v, where):
        if isinstance(v, dict):
            for k, x in v.items():
                walk(x, where + "/" + k)
        elif isinstance(v, list):
            for i, x in enumerate(v):
                walk(x, "%s/%d" % (where, i))
        elif type(v) is int:
            if not where.endswith(("/line", "/column")):
                raise AssertionError("a JSON number at %s" % where)
        elif type(v) not in (str, bool, type(None)):
            raise AssertionError("a JSON number at %s: %r" % (where, v))
    walk(doc, "")
    return doc


def xml_bool(v):
    return {"true": True, "false": False}[v]


def trace_from_xml(el):
    t = el.find(NS + "trace")
    if t is None:
        return None
    steps = []
    for st in t.findall(NS + "step"):
        src = st.find(NS + "source")
        steps.append({
            "rule": st.get("rule"), "formula": st.get("formula"), "value": st.get("value"),
            "inputs": [{k: i.get(k) for k in INPUT_KEYS if i.get(k) is not None}
                       for i in st.findall(NS + "input")],
            "source": {"cite": src.get("cite"), "title": src.text or "", "url": src.get("url")},
        })
    return steps


def trace_from_json(obj):
    if "trace" not in obj:
        return None
    out = []
    for st in obj["trace"]:
        st = dict(st)
        st["source"] = dict(st["source"], title=st["source"]["title"] or "")
        out.append(st)
    return out


def held_from_xml(el):
    return [{"parameter": p.get("parameter"), "since": p.get("since"), "cite": p.get("cite")}
            for p in el.findall(NS + "provisional")]


def number_or_none(text):
    return None if text is None else int(text)


def failure_from_xml(el):
    f = el.find(NS + "cannot-compute")
    if f is None:
        return None
    return {"message": f.text or "", "file": f.get("file"), "line": number_or_none(f.get("line")),
            "column": number_or_none(f.get("column")), "parameter": f.get("parameter"),
            "date": f.get("date")}


def route_from_xml(r):
    d = {"agreement": r.get("agreement"), "status": r.get("status"), "method": r.get("method"),
         "payable": r.get("payable")}
    if r.get("error") is not None:
        d["error"] = r.get("error")
    return d


def entitlement_from_xml(e):
    p, el, ex = e.find(NS + "periods"), e.find(NS + "eligible"), e.find(NS + "export")
    d = {
        "scheme": e.get("scheme"), "benefit": e.get("benefit"), "currency": e.get("currency"),
        "frequency": e.get("frequency"), "status": e.get("status"), "method": e.get("method"),
        "agreement": e.get("agreement"),
        "provisional": xml_bool(e.get("provisional", "false")),
        "periods": {"own": p.get("own"), "totalised": p.get("totalised"), "unit": p.get("unit")},
        "eligible": {"alone": xml_bool(el.get("alone")), "totalised": xml_bool(el.get("totalised"))},
        "amounts": [{"kind": a.get("kind"), "value": a.get("value"),
                     "exact": a.get("exact") or a.get("value")}
                    for a in e.findall(NS + "amount")],
        "export": {"residence": ex.get("residence"), "allowed": xml_bool(ex.get("allowed"))},
        "routes": [route_from_xml(r) for r in e.findall(NS + "route")],
        "held_values": held_from_xml(e),
    }
    f = failure_from_xml(e)
    if f is not None:
        d["cannot_compute"] = f
    t = trace_from_xml(e)
    if t is not None:
        d["trace"] = t
    return d


def lump_sum_from_xml(l):
    d = {
        "scheme": l.get("scheme"), "option": l.get("option"), "kind": l.get("kind"),
        "currency": l.get("currency"), "value": l.get("value"),
        "exact": l.get("exact") or l.get("value"),
        "available": xml_bool(l.get("available")),
        "forfeits_periods": xml_bool(l.get("forfeits-periods")),
        "conditions": [{"id": c.get("id"), "met": xml_bool(c.get("met")), "cite": c.get("cite")}
                       for c in l.findall(NS + "condition")],
    }
    if l.get("employer") is not None:
        d["employer"] = l.get("employer")
    if l.get("error") is not None:
        d["error"] = l.get("error")
    d["provisional"] = xml_bool(l.get("provisional", "false"))
    d["held_values"] = held_from_xml(l)
    f = failure_from_xml(l)
    if f is not None:
        d["cannot_compute"] = f
    t = trace_from_xml(l)
    if t is not None:
        d["trace"] = t
    return d


def result_from_xml(r):
    return {
        "format": "urn:libportability:result:1",
        "history": r.get("history"), "claim_date": r.get("claim-date"),
        "library_version": r.get("library-version"), "rules_digest": r.get("rules-digest"),
        "input_digest": r.get("input-digest"),
        "entitlements": [entitlement_from_xml(e) for e in r.findall(NS + "entitlement")],
        "lump_sums": [lump_sum_from_xml(l) for l in r.findall(NS + "lump-sum")],
        "notes": [{"scheme": n.get("scheme"), "line": number_or_none(n.get("line")),
                   "message": n.text or ""} for n in r.findall(NS + "note")],
    }


def comparable(doc):
    """The JSON document with traces normalised as the XML can hold them."""
    doc = json.loads(json.dumps(doc))
    for group in ("entitlements", "lump_sums"):
        for item in doc[group]:
            t = trace_from_json(item)
            if t:
                item["trace"] = t
            elif t is not None:
                del item["trace"]      # the XML leaves out an empty <trace>
    return doc


class JsonOutput(unittest.TestCase):

    def check_one(self, path, *extra):
        # 3: done, but a scheme could not be computed (the document says which)
        doc = exact_only(run("--format", "json", *extra, path, status=(0, 3)))
        VALIDATOR(SCHEMA).validate(doc)
        xml = ET.fromstring(run("--format", "xml", *extra, path, status=(0, 3)).encode("utf-8"))
        self.assertEqual(comparable(doc), result_from_xml(xml))
        return doc

    def test_every_career_validates_and_matches_the_xml(self):
        self.assertTrue(CAREERS)
        for path in CAREERS:
            with self.subTest(career=os.path.basename(path)):
                doc = self.check_one(path)
                self.assertTrue(doc["entitlements"])
                self.assertNotIn("trace", doc["entitlements"][0])

    def test_with_the_trace(self):
        for path in CAREERS:
            with self.subTest(career=os.path.basename(path)):
                doc = self.check_one(path, "--trace")
                self.assertTrue(any(item["trace"] for group in ("entitlements", "lump_sums")
                                    for item in doc[group]))

    def test_a_scheme_that_cannot_be_computed_and_a_provisional_figure(self):
        """The lead's cases: cannot_compute with its location, held_values."""
        cases = os.path.join(SRCDIR, "..", "tests", "data", "cases")
        one = os.path.join(cases, "s16-cannot-compute-one-scheme")
        doc = exact_only(run("--rules", os.path.join(one, "rules"), "--format", "json",
                             os.path.join(one, "history.xml"), status=3))
        VALIDATOR(SCHEMA).validate(doc)
        xml = ET.fromstring(run("--rules", os.path.join(one, "rules"), "--format", "xml",
                                os.path.join(one, "history.xml"), status=3).encode("utf-8"))
        self.assertEqual(comparable(doc), result_from_xml(xml))
        failed = [e for e in doc["entitlements"] if e["status"] == "cannot-compute"]
        self.assertEqual(len(failed), 1)
        self.assertEqual(failed[0]["cannot_compute"]["parameter"], "full_pension")
        held = os.path.join(cases, "jp-np-2027-held", "history.xml")
        if os.path.exists(held):
            doc = self.check_one(held)
            self.assertTrue(any(e["provisional"] and e["held_values"] for e in doc["entitlements"]))

    def test_the_format_option_joined_by_equals(self):
        self.assertEqual(run("--format=json", CAREERS[0], status=(0, 3)),
                         run("--format", "json", CAREERS[0], status=(0, 3)))

    def test_a_schema_violation_is_caught(self):
        """The test can fail: a number for an amount or a missing status is refused."""
        doc = exact_only(run("--format", "json", CAREERS[0], status=(0, 3)))
        i = next(i for i, e in enumerate(doc["entitlements"]) if e["amounts"])
        bad = json.loads(json.dumps(doc))
        bad["entitlements"][i]["amounts"][0]["value"] = 15
        with self.assertRaises(jsonschema.ValidationError):
            VALIDATOR(SCHEMA).validate(bad)
        bad = json.loads(json.dumps(doc))
        del bad["entitlements"][0]["status"]
        with self.assertRaises(jsonschema.ValidationError):
            VALIDATOR(SCHEMA).validate(bad)


class JsonLines(unittest.TestCase):

    def test_batch_lines_validate_and_match_the_batch_xml(self):
        lines = run("--batch", "--jobs", "2", "--format", "jsonl", COHORT, status=1).splitlines()
        batch = ET.fromstring(run("--batch", "--format", "xml", COHORT, status=1).encode("utf-8"))
        items = list(batch)
        self.assertEqual(len(lines), len(items))
        errors = 0
        for line, item in zip(lines, items):
            doc = exact_only(line)
            if item.tag == "{urn:libportability:batch:1}error":
                errors += 1
                VALIDATOR(SCHEMA["$defs"]["batch_error"]).validate(doc)
                self.assertEqual(doc["error"]["case"], item.get("case"))
                self.assertEqual(doc["error"]["file"], item.get("file"))
                self.assertEqual(doc["error"]["line"], int(item.get("line")))
                self.assertEqual(doc["error"]["message"], item.text)
            else:
                VALIDATOR(SCHEMA).validate(doc)
                self.assertEqual(comparable(doc), result_from_xml(item))
        self.assertEqual(errors, 1)   # cohort-013, broken on purpose

    def test_json_is_not_a_batch_format(self):
        run("--batch", "--format", "json", COHORT, status=2)

    def test_jsonl_is_only_for_a_batch(self):
        run("--format", "jsonl", CAREERS[0], status=2)


if __name__ == "__main__":
    unittest.main(verbosity=1)
