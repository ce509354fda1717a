"""The agreements of a rule set, read-only: which countries and schemes each
binds, its dates in force, and what it does for a scheme (adds a partner's
periods, pays the pension abroad), as its rule file says (rules/README.md §6).

A rule set that holds no agreement between two countries says only that: not
that none exists in the world.
"""

import datetime

from . import _portability as _c


def _date(text):
    return None if text is None else datetime.date.fromisoformat(text)


class Party:
    """One party of an agreement: its country and the schemes it brings in."""

    __slots__ = ("country", "schemes")

    def __init__(self, country, schemes):
        self.country = country
        self.schemes = tuple(schemes)

    def __repr__(self):
        return "<Party %s: %s>" % (self.country, " ".join(self.schemes))


class Agreement:
    """A social-security agreement of a rule set (``RuleSet.agreement(id)``).

    ``in_force`` is the first day in force and ``terminated`` the last (``None``
    while the rule file gives no end); ``signed`` is ``None`` when the file gives
    no date. ``totalisations`` are the ``(scheme, partner)`` pairs: the partner
    scheme's periods count towards the scheme's. ``exports`` are the schemes whose
    pension it pays to residents of its other parties.
    """

    __slots__ = ("_rules", "_index", "id", "title", "in_force", "terminated", "signed",
                 "parties", "totalisations", "exports")

    def __init__(self, rules, index):
        (self.id, self.title, in_force, terminated, signed, parties, totalisations,
         exports) = _c.ruleset_agreement(rules._h, index)
        self._rules, self._index = rules, index
        self.in_force = _date(in_force)
        self.terminated = _date(terminated)
        self.signed = _date(signed)
        self.parties = tuple(Party(c, s) for c, s in parties)
        self.totalisations = tuple(tuple(p) for p in totalisations)
        self.exports = tuple(exports)

    @property
    def countries(self):
        """The parties' countries, in file order."""
        return tuple(p.country for p in self.parties)

    @property
    def schemes(self):
        """Every scheme in the agreement's scope, party by party."""
        return tuple(s for p in self.parties for s in p.schemes)

    def binds(self, country_a, country_b):
        """Whether both countries are parties (two different ones)."""
        return country_a != country_b and country_a in self.countries \
            and country_b in self.countries

    def in_force_on(self, day):
        """Whether it is in force on a day (``datetime.date`` or ISO text), as the
        calculation decides it for a claim on that day."""
        if isinstance(day, datetime.datetime):
            day = day.date()
        if isinstance(day, datetime.date):
            day = day.isoformat()
        if not isinstance(day, str):
            raise TypeError("day must be a datetime.date or an ISO 8601 str, not %s"
                            % type(day).__name__)
        return _c.ruleset_agreement_in_force(self._rules._h, self._index, day)

    def totalises(self, scheme, partner=None):
        """Whether the partner scheme's periods (any partner's, when None) count
        towards the scheme's."""
        return any(s == scheme and (partner is None or p == partner)
                   for s, p in self.totalisations)

    def pays_abroad(self, scheme):
        """Whether it pays the scheme's pension to residents of its other parties."""
        return scheme in self.exports

    def __repr__(self):
        return "<Agreement %s: %s, in force %s%s>" % (
            self.id, " ".join(self.countries), self.in_force,
            " to %s" % self.terminated if self.terminated else "")
