"""Read-only views of a History's periods and facts (``History.periods``, ``History.facts``).

Both are named tuples: immutable, comparable, picklable, and built afresh from
the C history (``lp_history_period_at``, ``lp_history_period_earnings``,
``lp_history_fact_at``) at each access, so they never go stale.
"""

import collections
import datetime

from ._money import Money

__all__ = ["Period", "Fact"]


class Period(collections.namedtuple("Period", "scheme start end kind earnings")):
    """One period of a career, as given (in input order, not merged).

    ``scheme`` (id), ``start`` and ``end`` (``datetime.date``, both days
    included), ``kind`` ("contribution", "employment", ...) and ``earnings``:
    the earnings **per month** as exact ``Money`` (earnings given per year are
    the year's total spread over the period's months in that year, exactly),
    or None.
    """

    __slots__ = ()

    @classmethod
    def _from_c(cls, t):
        scheme, start, end, kind, earnings = t
        return cls(scheme, datetime.date.fromisoformat(start), datetime.date.fromisoformat(end),
                   kind, None if earnings is None else Money._wrap(earnings))

    @property
    def per(self):
        """The period of the ``earnings``: always "month"."""
        return "month"


class Fact(collections.namedtuple("Fact", "scheme name value currency")):
    """A figure given directly for a scheme: ``scheme``, ``name`` (the rule it
    gives), ``value`` (the text as given: decimal, num/den, ISO date,
    true/false or text) and ``currency`` (ISO 4217, or None)."""

    __slots__ = ()

    @property
    def money(self):
        """The value as exact ``Money`` when the fact has a currency, else None."""
        return None if self.currency is None else Money(self.value, self.currency)
