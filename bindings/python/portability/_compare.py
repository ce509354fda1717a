"""Scenario comparison: the same career under two sets of assumptions."""

from ._core import History, RuleSet, _names, calculate
from ._money import Money

__all__ = ["compare", "Comparison", "SchemeDifference"]


class SchemeDifference:
    """One scheme's payable amount in the base case and in the scenario.

    ``gap`` is ``base - scenario``: what the scenario loses (the portability gap
    when the scenario drops the agreements); ``change`` is ``scenario - base``.
    """

    __slots__ = ("scheme", "benefit", "currency", "base", "scenario", "base_status",
                 "scenario_status")

    def __init__(self, scheme, benefit, currency, base_ent, scen_ent):
        self.scheme = scheme
        self.benefit = benefit
        self.currency = currency
        self.base = base_ent.payable if base_ent is not None else Money(0, currency)
        self.scenario = scen_ent.payable if scen_ent is not None else Money(0, currency)
        self.base_status = base_ent.status if base_ent is not None else None
        self.scenario_status = scen_ent.status if scen_ent is not None else None

    @property
    def gap(self):
        return self.base - self.scenario

    @property
    def change(self):
        return self.scenario - self.base

    def __repr__(self):
        return "<SchemeDifference %s: %s -> %s (gap %s)>" % (
            self.scheme, self.base, self.scenario, self.gap)


class Comparison:
    """Two results of one career and their per-scheme differences."""

    __slots__ = ("base", "scenario", "variation", "differences")

    def __init__(self, base, scenario, variation):
        self.base = base
        self.scenario = scenario
        self.variation = variation
        keys = []
        for r in (base, scenario):
            for e in r.entitlements:
                k = (e.scheme, e.benefit)
                if k not in keys:
                    keys.append(k)
        diffs = []
        for scheme, benefit in keys:
            b = base.entitlement(scheme, benefit)
            s = scenario.entitlement(scheme, benefit)
            currency = (b or s).currency
            diffs.append(SchemeDifference(scheme, benefit, currency, b, s))
        self.differences = tuple(diffs)

    def __iter__(self):
        return iter(self.differences)

    def __getitem__(self, scheme):
        for d in self.differences:
            if d.scheme == scheme:
                return d
        raise KeyError(scheme)

    @property
    def gap(self):
        """``{scheme: base - scenario}`` for every scheme of either result."""
        return {d.scheme: d.gap for d in self.differences}

    def __repr__(self):
        return "<Comparison %r: %d schemes>" % (self.variation, len(self.differences))


_KNOWN = ("without_agreements", "without_agreement", "residence", "nationality",
          "lump_sums_taken", "take_lump_sum")


def compare(rules, history, trace=False, **variation):
    """Calculate a career as it is and under a variation, and compare them.

    Variations (any combination): ``without_agreements=("JP-PH",)`` (or
    ``without_agreement="JP-PH"``; ``without_agreements="all"`` drops every agreement of
    the rule set), ``residence="JP"``, ``nationality="PH"``,
    ``lump_sums_taken=("JP-EPI/withdrawal",)`` (or ``take_lump_sum=...``).
    Returns a ``Comparison`` with ``.base``, ``.scenario`` and ``.differences``.
    """
    unknown = set(variation) - set(_KNOWN)
    if unknown:
        raise TypeError("unknown variation(s): %s (expected %s)"
                        % (", ".join(sorted(unknown)), ", ".join(_KNOWN)))
    if not variation:
        raise TypeError("compare() needs a variation, e.g. without_agreements=('JP-PH',)")
    if not isinstance(rules, RuleSet):
        rules = RuleSet.load(rules)
    if not isinstance(history, History):
        history = History.load(history)

    without = variation.get("without_agreements", ())
    if without == "all":
        without = rules.agreements
    without = _names(without, "agreement id") + _names(variation.get("without_agreement"),
                                                       "agreement id")
    taken = _names(variation.get("lump_sums_taken", ()), "lump sum") + \
        _names(variation.get("take_lump_sum"), "lump sum")

    scen_history = history
    if variation.get("residence") is not None or variation.get("nationality") is not None:
        scen_history = history.with_residence(variation.get("residence"),
                                              variation.get("nationality"))

    base = calculate(rules, history, trace=trace)
    scenario = calculate(rules, scen_history, trace=trace, without_agreements=without,
                         lump_sums_taken=taken)
    return Comparison(base, scenario, dict(variation))
