"""Shared helpers of the Python tests (run by `make check`, or by hand with
PYTHONPATH=BUILD/bindings/python/stage, the package as installed)."""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, "..", "..", ".."))

DATA = os.environ.get("LP_TEST_DATADIR") or os.path.join(TOP, "tests", "data")
CASES = os.path.join(DATA, "cases")
SHIPPED_RULES = os.environ.get("LP_RULES_DIR") or os.path.join(TOP, "rules")
EXAMPLES = os.environ.get("LP_EXAMPLES_DIR") or os.path.join(TOP, "examples")
os.environ.setdefault("LP_RULES_DIR", SHIPPED_RULES)

E01 = os.path.join(CASES, "e01-pro-rata")
E01_RULES = os.path.join(E01, "rules")
E01_HISTORY = os.path.join(E01, "history.xml")

if HERE not in sys.path:
    sys.path.insert(0, HERE)

import portability  # noqa: E402  (after the environment is set)

HISTORY_NS = "urn:libportability:history:1"


def history_xml(body, id="t1", birth="1960-01-01", nationality="XA", residence="XA",
                claim="2025-01-01"):
    """A small history document, one element per line (so errors have known lines)."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<history xmlns="%s" id="%s">\n'
        '  <person birth-date="%s" nationality="%s" residence="%s"/>\n'
        '  <claim benefit="old-age" date="%s"/>\n'
        "%s"
        "</history>\n" % (HISTORY_NS, id, birth, nationality, residence, claim, body))


def e01_rules():
    return portability.RuleSet.load(E01_RULES)


def e01_history_api(id="e01-api", residence="XA", years_a=18, years_b=24):
    """The E1 textbook career built through the API."""
    h = portability.History(id, "1960-01-01", "XA", residence, "2025-01-01")
    h.add_period("XA-STATE", "1980-01-01", "%04d-12-31" % (1980 + years_a - 1), "contribution")
    h.add_period("XB-STATE", "%04d-01-01" % (1980 + years_a),
                 "%04d-12-31" % (1980 + years_a + years_b - 1), "contribution")
    return h
