"""Scenario comparison: the same career under two sets of assumptions.

One meaning, the C library's (``lp_compare``, portability/compare.h): each
side's amount is what is paid, exactly as the rules rounded it (a pension's
payable amount, 0 when nothing is payable; a lump sum's value where the option
is available, else 0), and the difference is ``scenario - base``. Every
pension and every lump-sum option has a row."""

from ._core import History, RuleSet, Result, _names, _c
from ._money import Money

__all__ = ["compare", "Comparison", "SchemeDifference"]

# the keys of a row as _portability.c's comparison_row() writes them
_ROW_KEYS = frozenset(("scheme", "what", "currency", "base", "variant", "difference"))


class SchemeDifference:
    """One row: a scheme's pension (``what == "pension"``) or one of its lump-sum
    options, in the base case and in the scenario.

    ``difference`` is ``scenario - base``, as the C library and the calculator's
    ``--compare`` give it: negative when the scenario loses (with every
    agreement dropped, the portability gap). ``change`` is the same value;
    ``gap`` is ``base - scenario`` (what the scenario loses, positive).
    """

    __slots__ = ("scheme", "what", "benefit", "currency", "base", "scenario", "difference",
                 "base_status", "scenario_status")

    def __init__(self, row, base, scenario):
        if set(row) != _ROW_KEYS:
            raise RuntimeError("comparison row keys %s, expected %s"
                               % (sorted(row), sorted(_ROW_KEYS)))
        self.scheme = row["scheme"]
        self.what = row["what"]
        self.currency = row["currency"]
        self.base = Money(row["base"], self.currency)
        self.scenario = Money(row["variant"], self.currency)
        self.difference = Money(row["difference"], self.currency)
        if self.what == "pension":
            b, s = base.entitlement(self.scheme), scenario.entitlement(self.scheme)
            self.benefit = (b or s).benefit if (b or s) is not None else None
            self.base_status = b.status if b is not None else None
            self.scenario_status = s.status if s is not None else None
        else:
            self.benefit = None
            self.base_status = self.scenario_status = None

    @property
    def is_pension(self):
        return self.what == "pension"

    @property
    def change(self):
        """``scenario - base`` (the same as ``difference``)."""
        return self.difference

    @property
    def gap(self):
        """``base - scenario``: what the scenario loses."""
        return -self.difference

    def __repr__(self):
        return "<SchemeDifference %s %s: %s -> %s (difference %s)>" % (
            self.scheme, self.what, self.base, self.scenario, self.difference)


class Comparison:
    """Two results of one career and their differences: ``rows`` (pensions, then
    lump-sum options, as ``lp_compare`` orders them) and ``differences`` (the
    pension rows)."""

    __slots__ = ("base", "scenario", "variation", "rows", "differences")

    def __init__(self, base, scenario, variation, rows):
        self.base = base
        self.scenario = scenario
        self.variation = variation
        self.rows = tuple(SchemeDifference(r, base, scenario) for r in rows)
        self.differences = tuple(d for d in self.rows if d.is_pension)

    def __iter__(self):
        return iter(self.differences)

    def __getitem__(self, scheme):
        for d in self.differences:
            if d.scheme == scheme:
                return d
        raise KeyError(scheme)

    @property
    def lump_sums(self):
        """The lump-sum rows: ``{(scheme, option): SchemeDifference}``."""
        return {(d.scheme, d.what): d for d in self.rows if not d.is_pension}

    @property
    def gap(self):
        """``{scheme: base - scenario}`` for every pension: what the scenario loses."""
        return {d.scheme: d.gap for d in self.differences}

    def __repr__(self):
        return "<Comparison %r: %d rows>" % (self.variation, len(self.rows))


_KNOWN = ("without_agreements", "without_agreement", "residence", "nationality",
          "lump_sums_taken", "take_lump_sum")


def compare(rules, history, trace=False, **variation):
    """Calculate a career as it is and under a variation, and compare them
    (``lp_compare``; the C calculation runs without the GIL).

    Variations (any combination): ``without_agreements=("JP-PH",)`` (or
    ``without_agreement="JP-PH"``; ``without_agreements="all"`` drops every agreement of
    the rule set), ``residence="JP"``, ``nationality="PH"``,
    ``lump_sums_taken=("JP-EPI/withdrawal",)`` (or ``take_lump_sum=...``).
    Returns a ``Comparison`` with ``.base``, ``.scenario``, ``.rows`` and ``.differences``.
    """
    unknown = set(variation) - set(_KNOWN)
    if unknown:
        raise TypeError("unknown variation(s): %s (expected %s)"
                        % (", ".join(sorted(unknown)), ", ".join(_KNOWN)))
    if not variation:
        raise TypeError("compare() needs a variation, e.g. without_agreements=('JP-PH',)")
    if not isinstance(trace, int) or trace not in (0, 1):
        raise TypeError("trace must be True or False, not %r" % (trace,))
    if not isinstance(rules, RuleSet):
        rules = RuleSet.load(rules)
    if not isinstance(history, History):
        history = History.load(history)

    without = variation.get("without_agreements", ())
    drop_all = isinstance(without, str) and without == "all"
    without = () if drop_all else _names(without, "agreement id")
    without += _names(variation.get("without_agreement"), "agreement id")
    taken = _names(variation.get("lump_sums_taken", ()), "lump sum") + \
        _names(variation.get("take_lump_sum"), "lump sum")
    residence, nationality = variation.get("residence"), variation.get("nationality")

    base_h, scen_h, rows = _c.compare(rules._h, history._h, bool(trace), without, drop_all,
                                      residence, nationality, taken)
    base = Result._wrap(base_h, rules, history)
    base._options = (bool(trace), (), ())
    scen_history = history
    if residence is not None or nationality is not None:
        scen_history = history.with_residence(residence, nationality)
    scenario = Result._wrap(scen_h, rules, scen_history)
    scenario._options = (bool(trace), tuple(rules.agreements) + without if drop_all else without, taken)
    return Comparison(base, scenario, dict(variation), rows)
