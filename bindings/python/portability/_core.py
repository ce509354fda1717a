"""Rule sets, histories, calculations and results."""

import concurrent.futures
import datetime
import decimal
import fractions
import json
import os

from . import _portability as _c

from ._errors import Diagnostic
from ._history_view import Fact, Period
from ._money import Money, amount_text

__all__ = [
    "RuleSet", "History", "Result", "Entitlement", "Route", "LumpSum", "Condition",
    "TraceStep", "calculate", "calculate_many", "default_rules_dir", "AMOUNT_KINDS",
    "read_histories",
]

#: The amount kinds an entitlement may carry.
AMOUNT_KINDS = ("independent", "theoretical", "pro-rata", "direct", "payable")


def _path(p):
    return os.fsdecode(os.fspath(p))


def _iso(d, what):
    if isinstance(d, (datetime.date, datetime.datetime)):
        if isinstance(d, datetime.datetime):
            d = d.date()
        return d.isoformat()
    if isinstance(d, str):
        return d
    raise TypeError("%s must be a datetime.date or an ISO 8601 str, not %s"
                    % (what, type(d).__name__))


def _fraction(text):
    return None if text is None else fractions.Fraction(text)


def default_rules_dir():
    """The shipped rule set's directory (``$LP_RULES_DIR`` if set, else the installed one)."""
    return _c.default_rules_dir()


# ----------------------------------------------------------------- rule sets

def _xml_bytes(xml):
    """XML text as bytes: ``str`` (encoded as UTF-8), or a bytes-like object.
    Anything else is a TypeError: ``bytes(5)`` would have read five NUL bytes."""
    if isinstance(xml, str):
        return xml.encode("utf-8")
    if isinstance(xml, (bytes, bytearray, memoryview)):
        return bytes(xml)
    raise TypeError("XML must be str or bytes, not %s" % type(xml).__name__)


class RuleSet:
    """A loaded, validated and compiled rule set. Immutable: share it between threads."""

    __slots__ = ("_h", "path", "_info", "warnings")

    def __init__(self, *args, **kwargs):
        raise TypeError("use RuleSet.load(path) or RuleSet.from_strings(...)")

    @classmethod
    def _new(cls, handle, diags, path):
        rs = object.__new__(cls)
        rs._h = handle
        rs.path = path
        rs._info = None
        rs.warnings = [Diagnostic(*d) for d in diags]
        return rs

    @staticmethod
    def _spec(path):
        if path is None:
            path = _c.default_rules_dir()
        if isinstance(path, (str, bytes, os.PathLike)):
            path = _path(path)
            return path, (path if os.path.isdir(path) or not os.path.exists(path) else (path,))
        files = tuple(_path(p) for p in path)
        return files, files

    @classmethod
    def load(cls, path=None):
        """Load a rule set: a directory (every ``*.xml`` below it), one file, or a list
        of files. ``None`` loads the shipped rules (``default_rules_dir()``).

        Raises ``SchemaError``, ``ParseError``, ``CurrencyError``, ``NotFound`` ... naming
        the file, line and column of the first problem; ``exc.diagnostics`` lists them all.
        """
        shown, spec = cls._spec(path)
        handle, diags = _c.ruleset_load(spec)
        return cls._new(handle, diags, shown)

    @classmethod
    def from_strings(cls, files):
        """Load rule files held in memory: a mapping (or pairs) of name to XML text/bytes."""
        items = files.items() if hasattr(files, "items") else files
        bufs = tuple((name, _xml_bytes(data)) for name, data in items)
        handle, diags = _c.ruleset_load_memory(bufs)
        return cls._new(handle, diags, None)

    @staticmethod
    def check(path=None):
        """Validate a rule set without keeping it: the list of ``Diagnostic``s
        (empty when it is valid)."""
        _, spec = RuleSet._spec(path)
        return [Diagnostic(*d) for d in _c.ruleset_check(spec)]

    def _load_info(self):
        if self._info is None:
            self._info = _c.ruleset_info(self._h)
        return self._info

    @property
    def digest(self):
        """``sha256:`` digest of the rule files (the receipt's rules digest)."""
        return self._load_info()[0]

    @property
    def schemes(self):
        """Scheme ids, e.g. ``('CA-OAS', 'JP-EPI', ...)``."""
        return self._load_info()[1]

    @property
    def agreements(self):
        """Agreement ids, e.g. ``('JP-PH', ...)``."""
        return self._load_info()[2]

    def scheme_country(self, scheme):
        """The ISO 3166-1 country of a scheme of the rule set (``'JP'`` for
        ``'JP-EPI'``, as its rule file says); KeyError for an unknown scheme."""
        info = self._load_info()
        for sid, country in zip(info[1], info[3]):
            if sid == scheme:
                return country
        raise KeyError(scheme)

    def agreement(self, id):
        """The agreement with this id (an ``Agreement``: its parties, dates in force,
        what it does for each scheme); KeyError for an unknown id."""
        from ._agreements import Agreement
        try:
            return Agreement(self, self.agreements.index(id))
        except ValueError:
            raise KeyError(id) from None

    def agreements_between(self, country_a, country_b, on=None):
        """The agreements binding two countries (ISO 3166-1 codes), in rule-set
        order; with ``on`` (a date or ISO text), only those in force that day.
        An empty tuple means the rule set holds none, not that none exists."""
        found = (self.agreement(a) for a in self.agreements)
        return tuple(a for a in found if a.binds(country_a, country_b)
                     and (on is None or a.in_force_on(on)))

    def __repr__(self):
        return "<RuleSet %s: %d schemes, %d agreements>" % (
            self.path, len(self.schemes), len(self.agreements))


# ----------------------------------------------------------------- histories

class History:
    """A worker's career: person, claim, periods with earnings, facts.

    ``History(id, birth_date, nationality, residence, claim_date, benefit='old-age')``
    starts one through the API; ``History.load(path)`` and ``History.from_string(xml)``
    read one (rules/portability-history.xsd). Dates are ``datetime.date`` or ISO text.

    A History may be calculated by several threads at once (``calculate_many`` with the
    same history twice, a ``compare`` while another thread calculates it): a calculation
    only reads it. Adding to a History while another thread calculates it raises
    ``RuntimeError``.
    """

    # _source: (XML bytes, name) while the history is exactly the document it was
    # read from (its input digest is the digest of those bytes), for pickling.
    __slots__ = ("_h", "_source", "__weakref__")

    def __init__(self, id, birth_date, nationality, residence, claim_date, benefit="old-age"):
        self._h = _c.history_new(id, _iso(birth_date, "birth_date"), nationality, residence,
                                 _iso(claim_date, "claim_date"), benefit)
        self._source = None

    @classmethod
    def _wrap(cls, handle, source=None):
        h = object.__new__(cls)
        h._h = handle
        h._source = source
        return h

    @classmethod
    def load(cls, path):
        """Read a history file; errors name the file, line and column."""
        path = _path(path)
        h = cls._wrap(_c.history_load_file(path))
        try:
            with open(path, "rb") as f:
                h._source = (f.read(), path)
        except OSError:
            pass  # pickled by content instead
        return h

    @classmethod
    def from_string(cls, xml, name="<string>"):
        """Read a history from XML text (``str`` or ``bytes``)."""
        data = _xml_bytes(xml)
        return cls._wrap(_c.history_load_memory(name, data), (data, name))

    def add_period(self, scheme, start, end, kind="contribution", earnings=None, per="month",
                   currency=None):
        """Add a period ``[start, end]`` (inclusive) in a scheme.

        ``earnings`` (per ``per``, "month" or "year") is a ``Money`` (its currency is used),
        or a Decimal, Fraction, int or str with ``currency``. Returns ``self``.
        """
        text = None
        if earnings is not None:
            if isinstance(earnings, Money):
                if currency is not None and currency != earnings.currency:
                    raise ValueError("earnings in %s but currency=%s"
                                     % (earnings.currency, currency))
                currency = earnings.currency
                text = earnings.exact_text()
            else:
                text = amount_text(earnings, "earnings")
        _c.history_add_period(self._h, scheme, _iso(start, "start"), _iso(end, "end"), kind,
                              text, per if text is not None else None, currency)
        self._source = None
        return self

    def add_fact(self, scheme, name, value, currency=None):
        """Give a scheme-specific figure directly (an AIME, an average salary credit...).

        ``value`` is a ``Money``, an exact number (Decimal, Fraction, int), a date, a bool
        or text. Returns ``self``.
        """
        if isinstance(value, Money):
            if currency is not None and currency != value.currency:
                raise ValueError("fact in %s but currency=%s" % (value.currency, currency))
            currency = value.currency
            text = value.exact_text()
        elif isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, (datetime.date, datetime.datetime)):
            text = _iso(value, "value")
        else:
            text = amount_text(value, "fact value")
        _c.history_add_fact(self._h, scheme, name, text, currency)
        self._source = None
        return self

    def with_residence(self, residence=None, nationality=None):
        """A copy living in another country (and/or of another nationality)."""
        return History._wrap(_c.history_with(self._h, residence, nationality))

    def with_nationality(self, nationality):
        """A copy with another nationality."""
        return History._wrap(_c.history_with(self._h, None, nationality))

    @property
    def id(self):
        return _c.history_info(self._h)[0]

    @property
    def file(self):
        """The file the history was read from, or None."""
        return _c.history_info(self._h)[1]

    @property
    def period_count(self):
        return _c.history_info(self._h)[2]

    # -- the career as given (read-only; see _history_view.py) ------------------

    @property
    def birth_date(self):
        """Date of birth (``datetime.date``)."""
        return datetime.date.fromisoformat(_c.history_person(self._h)[0])

    @property
    def claim_date(self):
        """Date of the claim (``datetime.date``)."""
        return datetime.date.fromisoformat(_c.history_person(self._h)[1])

    @property
    def nationality(self):
        """Nationality, ISO 3166 alpha-2."""
        return _c.history_person(self._h)[2]

    @property
    def residence(self):
        """Country of residence, ISO 3166 alpha-2."""
        return _c.history_person(self._h)[3]

    @property
    def benefit(self):
        """The benefit claimed ("old-age")."""
        return _c.history_person(self._h)[4]

    @property
    def periods(self):
        """The periods as given, in order: a tuple of ``Period`` (scheme, start, end,
        kind, monthly earnings ``Money`` or None). A snapshot: ``add_period`` does
        not change a tuple already read."""
        return tuple(Period._from_c(t) for t in _c.history_periods(self._h))

    @property
    def facts(self):
        """The facts as given, in order: a tuple of ``Fact`` (scheme, name, value, currency)."""
        return tuple(Fact(*t) for t in _c.history_facts(self._h))

    def __reduce__(self):
        from . import _pickling
        return _pickling.history_reduce(self)

    def __repr__(self):
        hid, f, n = _c.history_info(self._h)
        return "<History %r: %d periods%s>" % (hid, n, " from %s" % f if f else "")


def read_histories(path, errors="raise"):
    """Iterate over the histories of a batch: a ``<histories>`` document (read as a
    stream), a single history file, or a directory of them (in name order).

    A record that fails raises its exception (``errors="raise"``), or is yielded as the
    exception object and the batch goes on (``errors="return"``).
    """
    if errors not in ("raise", "return"):
        raise ValueError("errors must be 'raise' or 'return'")
    batch = _c.batch_open(_path(path))
    while True:
        try:
            h = _c.batch_next(batch)
        except Exception as exc:  # noqa: BLE001 - a record's error, handed back
            if errors == "raise":
                raise
            yield exc
            continue
        if h is None:
            return
        yield History._wrap(h)


# -------------------------------------------------------------------- results

class TraceStep:
    """One step of a trace: the rule, its formula, the value, the law behind it."""

    __slots__ = ("_parent", "rule", "formula", "value", "cite", "source_title", "source_url",
                 "inputs", "input_sources")

    def __init__(self, parent, t):
        self._parent = parent  # keeps the Result (and its C handle) alive
        (self.rule, self.formula, self.value, self.cite, self.source_title, self.source_url,
         inputs) = t
        #: name -> value of every input the step's formula read
        self.inputs = {i[0]: i[1] for i in inputs}
        #: name -> where a rule-set value came from: a dict of "at" (the date read at),
        #: "row" (a table's band), "cite", "source" (its id) and "grade", each only when
        #: it applies; inputs that are no rule-set value (facts, definitions) are absent
        self.input_sources = {}
        for i in inputs:
            where = {k: v for k, v in zip(("at", "row", "cite", "source", "grade"), i[2:]) if v is not None}
            if where:
                self.input_sources[i[0]] = where

    @property
    def source(self):
        """The citation with the source's title and URL, as one text."""
        parts = [p for p in (self.cite, self.source_title, self.source_url) if p]
        return "; ".join(parts) if parts else None

    @property
    def exact(self):
        """The value as a Fraction when it is a number, else None."""
        try:
            return fractions.Fraction(self.value)
        except (TypeError, ValueError):
            return None

    def __repr__(self):
        return "<TraceStep %s = %s>" % (self.rule, self.value)


# The named fields _portability.c's py_result_entitlement() writes: both sides
# name them, and _checked() refuses a dict with a key missing or unknown.
ENTITLEMENT_KEYS = frozenset((
    "scheme", "benefit", "currency", "frequency", "status", "method", "agreement",
    "own_periods", "totalised_periods", "unit", "eligible_alone", "eligible_totalised",
    "export_allowed", "amounts", "routes", "trace_count"))
AMOUNT_KEYS = frozenset(("value", "exact", "figure"))
ROUTE_KEYS = frozenset(("agreement", "status", "method", "payable"))


def _checked(d, keys, what):
    """d, after checking that its keys are exactly keys (the C side's names)."""
    if set(d) != keys:
        raise RuntimeError("_portability %s fields %s, expected %s"
                           % (what, sorted(d), sorted(keys)))
    return d


class Route:
    """One way an entitlement was computed: independently, or under an agreement."""

    __slots__ = ("agreement", "status", "method", "payable_text", "_currency", "error")

    def __init__(self, t, currency, error=None):
        self.agreement, self.status, self.method = t["agreement"], t["status"], t["method"]
        self.payable_text = t["payable"]
        self._currency = currency
        #: why the route could not be computed (status "cannot-compute"), or None
        self.error = error

    @property
    def payable(self):
        """The payable amount of this route (rounded as the rules say), or None."""
        if self.payable_text is None:
            return None
        return Money(self.payable_text, self._currency)

    def __repr__(self):
        return "<Route %s %s %s %s>" % (self.agreement or "independent", self.status,
                                        self.method, self.payable_text)


class CannotCompute:
    """Why the rule set could not compute a scheme for this career: the message
    ("file:line:column: ..."), the rule file and position, and where the cause is
    a dated value with no value on a date, that parameter (``gap``) and date."""

    __slots__ = ("message", "file", "line", "column", "gap", "date")

    def __init__(self, message, file, line, column, gap, date):
        self.message, self.file, self.line, self.column = message, file, line, column
        self.gap, self.date = gap, date

    def __str__(self):
        return self.message

    def __repr__(self):
        return "<CannotCompute %s>" % self.message


class Held:
    """A value read past its last published date because its rule holds it until
    the next is published: the figure that rests on it is provisional."""

    __slots__ = ("parameter", "since", "cite")

    def __init__(self, t):
        self.parameter, self.since, self.cite = t

    def __repr__(self):
        return "<Held %s since %s>" % (self.parameter, self.since)


def _status_detail(result, what, index):
    """(CannotCompute or None, tuple of Held, route errors)."""
    (msg, file, line, column, gap, date, held,
     routes) = _c.result_status_detail(result._h, what, index)
    error = CannotCompute(msg, file, line, column, gap, date) if msg is not None else None
    return error, tuple(Held(h) for h in held), routes


class Entitlement:
    """What one scheme owes for one benefit. Holds its Result alive.

    ``status`` is "cannot-compute" when the rule set cannot compute this scheme
    for this career; ``error`` (a ``CannotCompute``) then says why, and every
    other entitlement of the result stands. ``provisional`` lists the values held
    past their last published date that the figure rests on (empty when none)."""

    __slots__ = ("_result", "_index", "scheme", "benefit", "currency", "frequency", "status",
                 "method", "agreement", "own_periods", "totalised_periods", "unit",
                 "eligible_alone", "eligible_totalised", "export_allowed", "_amounts",
                 "routes", "_ntrace", "_trace", "error", "provisional")

    def __init__(self, result, index):
        self._result = result
        self._index = index
        d = _checked(_c.result_entitlement(result._h, index), ENTITLEMENT_KEYS, "entitlement")
        self.scheme, self.benefit, self.currency = d["scheme"], d["benefit"], d["currency"]
        self.frequency, self.status, self.method = d["frequency"], d["status"], d["method"]
        self.agreement, self.unit = d["agreement"], d["unit"]
        self._amounts = {k: _checked(v, AMOUNT_KEYS, "amount") for k, v in d["amounts"].items()}
        routes = tuple(_checked(r, ROUTE_KEYS, "route") for r in d["routes"])
        self._ntrace = d["trace_count"]
        self.own_periods = _fraction(d["own_periods"])
        self.totalised_periods = _fraction(d["totalised_periods"])
        self.eligible_alone = d["eligible_alone"]
        self.eligible_totalised = d["eligible_totalised"]
        self.export_allowed = d["export_allowed"]
        self.error, self.provisional, route_errors = _status_detail(result, "entitlement", index)
        self.routes = tuple(Route(r, self.currency, err) for r, err in zip(routes, route_errors))
        self._trace = None

    @property
    def result(self):
        return self._result

    @property
    def kinds(self):
        """The amount kinds computed for this entitlement."""
        return tuple(k for k in AMOUNT_KINDS if k in self._amounts)

    def amount(self, kind="payable"):
        """The exact amount of a kind ("independent", "theoretical", "pro-rata",
        "direct", "payable") as ``Money``, or None if it was not computed."""
        if kind not in AMOUNT_KINDS:
            raise ValueError("unknown amount kind %r (expected one of %s)"
                             % (kind, ", ".join(AMOUNT_KINDS)))
        t = self._amounts.get(kind)
        if t is None:
            return None
        return Money(t["exact"] if t["exact"] is not None else t["value"], self.currency)

    def figure(self, kind="payable"):
        """The amount of a kind exactly as the rules rounded it (what is paid, for
        "payable"), not rounded for display, as ``Money``; None if not computed.
        The library's lp_entitlement_amount_money()."""
        t = self._amounts.get(kind)
        return None if t is None else Money(t["figure"], self.currency)

    def rounded(self, kind="payable"):
        """The amount of a kind as the ``Decimal`` shown in the result (rounded as the
        rules say, then to the currency's minor unit), or None."""
        t = self._amounts.get(kind)
        return None if t is None else decimal.Decimal(t["value"])

    @property
    def payable(self):
        """The figure the scheme pays, as ``Money``: the payable amount rounded as the
        rules say (and shown to the currency's minor unit), i.e. ``rounded("payable")``;
        zero when nothing is payable. ``amount("payable")`` is the exact value before
        rounding."""
        t = self._amounts.get("payable")
        return Money(t["value"] if t is not None else 0, self.currency)

    @property
    def is_payable(self):
        return self.status == "payable"

    @property
    def trace(self):
        """The trace steps (empty unless calculated with ``trace=True``)."""
        if self._trace is None:
            self._trace = tuple(TraceStep(self, s) for s in
                                _c.result_trace(self._result._h, "entitlement", self._index))
        return self._trace

    def __repr__(self):
        return "<Entitlement %s/%s %s %s %s>" % (
            self.scheme, self.benefit, self.status, self.method, self.rounded("payable"))


class Condition:
    """A condition of a lump-sum option: id, whether it is met, its citation."""

    __slots__ = ("id", "met", "cite")

    def __init__(self, t):
        self.id, self.met, self.cite = t

    def __repr__(self):
        return "<Condition %s met=%s>" % (self.id, self.met)


class LumpSum:
    """A lump-sum, refund, balance or award option of a scheme. Holds its Result
    alive. ``employer`` names the employer a lump sum per employment is owed by
    (else None). ``error`` says why the rules could not compute it for this career (it
    is then unavailable, with value 0), else None; ``cannot_compute`` the same as a
    ``CannotCompute`` (the rule's file and position, the parameter and date of a
    dated gap); ``provisional`` lists the values held past their last published
    date that the amount rests on."""

    __slots__ = ("_result", "_index", "scheme", "option", "employer", "kind", "currency", "value_text",
                 "exact_text", "available", "forfeits_periods", "conditions", "_ntrace",
                 "_trace", "error", "cannot_compute", "provisional")

    def __init__(self, result, index):
        self._result = result
        self._index = index
        (self.scheme, self.option, self.kind, self.currency, self.value_text, self.exact_text,
         available, forfeits, conds, self._ntrace, self.employer) = _c.result_lump_sum(result._h, index)
        self.available = bool(available)
        self.forfeits_periods = bool(forfeits)
        self.conditions = tuple(Condition(c) for c in conds)
        self.cannot_compute, self.provisional, _ = _status_detail(result, "lump-sum", index)
        self.error = self.cannot_compute.message if self.cannot_compute is not None else None
        self._trace = None

    @property
    def amount(self):
        """The exact amount as ``Money``, or None."""
        text = self.exact_text if self.exact_text is not None else self.value_text
        return None if text is None else Money(text, self.currency)

    @property
    def value(self):
        """The amount as shown in the result (``Decimal``), or None."""
        return None if self.value_text is None else decimal.Decimal(self.value_text)

    @property
    def trace(self):
        if self._trace is None:
            self._trace = tuple(TraceStep(self, s) for s in
                                _c.result_trace(self._result._h, "lump-sum", self._index))
        return self._trace

    def __repr__(self):
        return "<LumpSum %s/%s %s %s available=%s>" % (
            self.scheme, self.option, self.value_text, self.currency, self.available)


class Note:
    """What the calculation did with the input that the reader must know (a
    period that ends after the claim date, counted up to it)."""

    __slots__ = ("scheme", "line", "message")

    def __init__(self, scheme, line, message):
        self.scheme, self.line, self.message = scheme, line, message

    def __repr__(self):
        return "<Note %s line %s: %s>" % (self.scheme, self.line, self.message)


class Result:
    """The result of a calculation: entitlements, lump sums, trace and receipt.

    Keeps the RuleSet and History it was computed from alive; its entitlements,
    lump sums and trace steps keep it alive in turn.
    """

    __slots__ = ("_h", "rules", "history", "history_id", "claim_date", "library_version",
                 "rules_digest", "input_digest", "_nent", "_nlump", "_ents", "_lumps",
                 "notes", "complete", "provisional", "_options", "__weakref__")

    def __init__(self, *args, **kwargs):
        raise TypeError("results come from portability.calculate()")

    @classmethod
    def _wrap(cls, handle, rules, history):
        r = object.__new__(cls)
        r._h = handle
        r.rules = rules
        r.history = history
        (r.history_id, r.claim_date, r.library_version, r.rules_digest, r.input_digest,
         r._nent, r._nlump) = _c.result_info(handle)
        r._ents = None
        r._lumps = None
        r._options = None  # (trace, without_agreements, lump_sums_taken), set by calculate()
        notes, complete, provisional = _c.result_notes(handle)
        #: what the calculation did with the input: ((scheme, line, message), ...)
        r.notes = tuple(Note(*n) for n in notes)
        #: True when every entitlement was computed (none is "cannot-compute")
        r.complete = bool(complete)
        #: True when any figure rests on a value held past its last published date
        r.provisional = bool(provisional)
        return r

    @property
    def entitlements(self):
        if self._ents is None:
            self._ents = tuple(Entitlement(self, i) for i in range(self._nent))
        return self._ents

    @property
    def lump_sums(self):
        if self._lumps is None:
            self._lumps = tuple(LumpSum(self, i) for i in range(self._nlump))
        return self._lumps

    def entitlement(self, scheme, benefit=None):
        """The entitlement of a scheme (and benefit), or None."""
        for e in self.entitlements:
            if e.scheme == scheme and (benefit is None or e.benefit == benefit):
                return e
        return None

    def __getitem__(self, scheme):
        e = self.entitlement(scheme)
        if e is None:
            raise KeyError(scheme)
        return e

    def __iter__(self):
        return iter(self.entitlements)

    def __len__(self):
        return self._nent

    @property
    def receipt(self):
        """What reproduces this result: library version, rules digest, input digest, claim date."""
        return {
            "history": self.history_id,
            "claim_date": self.claim_date,
            "library_version": self.library_version,
            "rules_digest": self.rules_digest,
            "input_digest": self.input_digest,
        }

    def to_xml(self):
        """The result document (rules/portability-result.xsd) as text."""
        return _c.result_to_xml(self._h)

    def to_json(self):
        """The result as JSON text (rules/portability-result.schema.json), one line."""
        return _c.result_to_json(self._h)

    def to_dict(self):
        """The result as plain data: what ``to_json()`` holds, as dicts and lists.

        The content is that of ``to_xml()``, each attribute under its name with
        '-' written '_' (``claim_date``, ``forfeits_periods``). Every amount,
        period count and trace value is a ``str`` of exact text (``"2133.33"``,
        ``"6400/3"``: ``fractions.Fraction(text)`` reads either), never a binary
        number (the library writes no JSON numbers); booleans are ``bool``, a
        value that does not apply is ``None``.
        """
        return json.loads(_c.result_to_json(self._h))

    def __reduce__(self):
        """Pickles as what reproduces it, checked on unpickling (see _pickling.py)."""
        from . import _pickling
        return (_pickling.result_from_state, _pickling.result_state(self))

    def __repr__(self):
        return "<Result %s: %d entitlements, %d lump sums>" % (
            self.history_id, self._nent, self._nlump)


# ---------------------------------------------------------------- calculation

def _names(value, what):
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    out = tuple(value)
    for v in out:
        if not isinstance(v, str):
            raise TypeError("%s must be str, not %s" % (what, type(v).__name__))
    return out


def calculate(rules, history, trace=False, without_agreements=(), lump_sums_taken=()):
    """Compute every entitlement of a career.

    ``rules`` is a ``RuleSet`` (or a path, loaded each call: prefer loading once);
    ``history`` a ``History`` (or a path). ``without_agreements`` names agreements to
    ignore (a scenario); ``lump_sums_taken`` names ``"SCHEME/OPTION"`` lump sums taken
    (their periods are erased). The C calculation runs without the GIL.
    """
    if not isinstance(trace, int) or trace not in (0, 1):
        # trace='no' used to turn tracing on (any non-empty text is true)
        raise TypeError("trace must be True or False, not %r" % (trace,))
    if not isinstance(rules, RuleSet):
        rules = RuleSet.load(rules)
    if not isinstance(history, History):
        history = History.load(history)
    without = _names(without_agreements, "agreement id")
    taken = _names(lump_sums_taken, "lump sum")
    handle = _c.calc(rules._h, history._h, bool(trace), without, taken)
    r = Result._wrap(handle, rules, history)
    r._options = (bool(trace), without, taken)
    return r


def calculate_many(rules, histories, workers=None, errors="raise", **options):
    """Calculate many careers on threads sharing one rule set; results in input order.

    ``histories`` holds ``History`` objects or paths (loaded on the worker threads).
    ``workers`` defaults to ``os.cpu_count()``. With ``errors="return"`` a failing
    history gives its exception object in place of a result instead of raising.
    Other keyword arguments are passed to ``calculate()``.
    """
    if errors not in ("raise", "return"):
        raise ValueError("errors must be 'raise' or 'return'")
    if not isinstance(rules, RuleSet):
        rules = RuleSet.load(rules)
    items = list(histories)
    if workers is None:
        workers = os.cpu_count() or 1
    workers = max(1, min(int(workers), len(items) or 1))

    def one(h):
        try:
            return calculate(rules, h, **options)
        except Exception as exc:  # noqa: BLE001 - handed back to the caller
            if errors == "return":
                return exc
            raise

    if workers == 1:
        return [one(h) for h in items]
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, items))
