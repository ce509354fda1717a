"""Exact money: ``Money(amount, currency)``.

The amount is an exact rational held by the C library (an ``lp_money``
handle) and shown to Python as a ``fractions.Fraction``; the currency is an
ISO 4217 code. Amounts cross the boundary as text only:

* ``Decimal`` (finite) is sent as ``format(d, 'f')``;
* ``Fraction`` (or any ``numbers.Rational``) as ``"num/den"``;
* ``int`` as ``str(i)``;
* ``str`` unchanged: the C library validates it (plain decimal or ``num/den``);
* anything else (IEEE 754 binary numbers included) raises ``TypeError``.

Rounding is never implicit: ``to_decimal(step, rounding)`` and
``round(step, rounding)`` name both (the step defaults to the currency's minor
unit), and the C library does the rounding. ``format(m, spec)`` and
``round(m, n)`` follow Python's protocols with a fixed mode, half-even (see
their docstrings). ``str(m)`` is exact: every digit of a terminating decimal,
else ``num/den``.
"""

import decimal
import fractions
import numbers
import operator
import re

from . import _portability as _c
from ._errors import RangeError

__all__ = ["Money", "ROUNDING_MODES", "FORMAT_ROUNDING", "amount_text"]

#: Rounding mode names, as in rule files (``lp_rounding_from_string``).
ROUNDING_MODES = ("half-up", "half-even", "half-down", "ceiling", "floor", "up", "down",
                  "toward-zero", "away-from-zero", "unnecessary")


#: The library reads at most 64 digits a number (each side of a fraction).
#: A value whose text would be far longer is refused here, before it is
#: written out: Decimal("1E+999999999") is a billion characters, and an int
#: of 5,000 digits cannot even be written (Python's int_max_str_digits).
_MAX_TEXT_BITS = 1024            # about 308 digits: far past the limit, cheap to test


def _too_long(what):
    raise RangeError(message="%s: number has more than 64 digits" % what)


def amount_text(value, what="amount"):
    """The wire text of an exact number: Decimal, Fraction, int or str.

    Raises ``TypeError`` for any other type (an IEEE 754 binary number
    included: it cannot hold an amount exactly) and ``ValueError`` for a
    Decimal that is not finite.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise TypeError("%s must be Decimal, Fraction, int or str, not bool" % what)
    if isinstance(value, int):
        if value.bit_length() > _MAX_TEXT_BITS:
            _too_long(what)
        return str(value)
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise ValueError("%s must be a finite Decimal, not %s" % (what, value))
        t = value.as_tuple()
        if len(t.digits) + abs(t.exponent) > 300:
            _too_long(what)
        return format(value, "f")
    if isinstance(value, numbers.Rational):
        num, den = int(value.numerator), int(value.denominator)
        if num.bit_length() > _MAX_TEXT_BITS or den.bit_length() > _MAX_TEXT_BITS:
            _too_long(what)
        return "%d/%d" % (num, den)
    raise TypeError("%s must be Decimal, Fraction, int or str, not %s"
                    % (what, type(value).__name__))


def _step_text(step):
    return amount_text(step, "step")


def _step_for_places(places):
    """The step 10^-places as text: "1", "0.01", "100" (places -2)."""
    if places <= 0:
        return "1" + "0" * -places
    return "0." + "0" * (places - 1) + "1"


def _exact_decimal(q):
    """The exact decimal of a Fraction whose denominator is 2^a 5^b, else None.

    Built from its digits, not by Decimal arithmetic, so no context precision
    (28 digits by default) cuts it: 40 digits stay 40 digits.
    """
    d = q.denominator
    twos = fives = 0
    while d % 2 == 0:
        d //= 2
        twos += 1
    while d % 5 == 0:
        d //= 5
        fives += 1
    if d != 1:
        return None
    places = max(twos, fives)
    scaled = abs(q.numerator) * (10 ** places) // q.denominator
    digits = tuple(int(c) for c in str(scaled))
    return decimal.Decimal((1 if q.numerator < 0 else 0, digits, -places))


# Python's format-spec mini-language, as Decimal reads it.
_FORMAT_SPEC = re.compile(r"""
    \A(?:(?P<fill>.)?(?P<align>[<>=^]))?(?P<sign>[-+ ])?(?P<z>z)?(?P<alt>\#)?(?P<zero>0)?
    (?P<width>[0-9]+)?(?P<grouping>[,_])?(?:\.(?P<precision>[0-9]+))?(?P<type>[eEfFgGn%])?\Z
""", re.VERBOSE | re.DOTALL)

#: The mode of ``format()`` and ``round()`` (Python's own for Decimal and Fraction).
FORMAT_ROUNDING = "half-even"


class Money:
    """An exact amount of one currency. Immutable and hashable.

    >>> Money("0.10", "USD") + Money(Fraction(1, 5), "USD")
    Money('3/10', 'USD')
    """

    __slots__ = ("_h", "_q", "_cur")

    def __init__(self, amount, currency):
        if isinstance(amount, Money):
            if amount.currency != currency:
                raise _c_currency_error(amount.currency, currency)
            self._h = amount._h
            self._q = amount._q
            self._cur = amount._cur
            return
        if not isinstance(currency, str):
            raise TypeError("currency must be an ISO 4217 code (str), not %s"
                            % type(currency).__name__)
        self._h = _c.money_new(amount_text(amount), currency)
        self._q = amount if type(amount) is fractions.Fraction else None
        self._cur = None

    @classmethod
    def _wrap(cls, handle, currency=None, q=None):
        m = cls.__new__(cls)
        m._h = handle
        m._q = q
        m._cur = currency
        return m

    @classmethod
    def zero(cls, currency):
        """Zero in a currency."""
        return cls(0, currency)

    # -- reading -------------------------------------------------------------

    @property
    def amount(self):
        """The exact amount as a ``fractions.Fraction``."""
        q = self._q
        if q is None:
            q = self._q = fractions.Fraction(_c.money_rational(self._h))
        return q

    @property
    def currency(self):
        """The ISO 4217 code."""
        cur = self._cur
        if cur is None:
            cur = self._cur = _c.money_currency(self._h)
        return cur

    def exact_text(self):
        """The exact value as canonical ``"num/den"`` text (``"num"`` for integers)."""
        return _c.money_rational(self._h)

    def minor_unit(self):
        """The currency's minor unit as a ``Decimal`` step: 1 (JPY), 0.01 (USD), 0.001 (KWD)."""
        return decimal.Decimal(_step_for_places(self.minor_units()))

    def to_decimal(self, step=None, rounding="half-up"):
        """Round to a multiple of ``step`` with a named mode and return a ``Decimal``.

        ``step`` defaults to the currency's minor unit from the C library
        (``lp_currency_minor_units``: JPY 1, USD 0.01, KWD 0.001). The C library
        rounds (``lp_money_to_decimal_string``); the Decimal is built from its
        text, so nothing is lost on the way. ``rounding`` is one of
        ``ROUNDING_MODES``; ``"unnecessary"`` raises ``Inexact`` when rounding
        would change the value.
        """
        if step is None:
            step = _step_for_places(self.minor_units())
        return decimal.Decimal(_c.money_decimal(self._h, _step_text(step), rounding))

    def round(self, step=None, rounding="half-up"):
        """The amount rounded to a multiple of ``step`` (default: the currency's
        minor unit), as exact ``Money``."""
        if step is None:
            step = _step_for_places(self.minor_units())
        return Money._wrap(_c.money_round(self._h, _step_text(step), rounding), self._cur)

    def __round__(self, ndigits=None):
        """``round(m, n)``: ``Money`` rounded to n decimals (n may be negative:
        -2 rounds to hundreds); ``round(m)``: to the currency's minor unit, not
        to an integer (a Money stays a Money). Ties go to the even multiple, as
        Python's ``round`` does for Decimal and Fraction; name another mode with
        ``m.round(step, rounding)``."""
        places = self.minor_units() if ndigits is None else operator.index(ndigits)
        return self.round(_step_for_places(places), FORMAT_ROUNDING)

    def __format__(self, spec):
        """``format(m, spec)``: the amount (without the currency) formatted as a
        ``Decimal`` by Python's format-spec mini-language, exactly.

        An empty spec gives ``str(m)``. With a fixed-point type (``"f"``, ``"F"``,
        ``"%"``; ``",.2f"``, ``">12.3f"``), the C library first rounds the exact
        amount to the shown decimals (6 when no precision is given), half-even
        as Python does, so no binary number and no Decimal context is involved.
        Other types (``"e"``, ``"g"``, ``"n"``, none with a precision) apply to
        the exact decimal under a half-even context; for an amount with no finite
        decimal (1/3) they raise ``ValueError``: give a fixed-point precision, or
        round first.
        """
        if not spec:
            return str(self)
        m = _FORMAT_SPEC.match(spec)
        if m is None:
            raise ValueError("invalid format specifier %r for Money" % spec)
        kind = m.group("type")
        if kind in ("f", "F", "%"):
            places = int(m.group("precision") or 6) + (2 if kind == "%" else 0)
            return format(self.to_decimal(_step_for_places(places), FORMAT_ROUNDING), spec)
        d = _exact_decimal(self.amount)
        if d is None:
            raise ValueError("%s has no finite decimal: format it with a fixed-point "
                             "precision such as '.2f', or round it first" % self.exact_text())
        with decimal.localcontext() as ctx:
            ctx.rounding = decimal.ROUND_HALF_EVEN
            return format(d, spec)

    def minor_units(self):
        """Decimals of the currency (0 for JPY, 2 for USD, 3 for KWD)."""
        return _c.currency_minor_units(self.currency)

    def to_minor_unit(self, rounding="half-up"):
        """``to_decimal`` at the currency's own minor unit (1 for JPY, 0.01 for USD)."""
        return self.to_decimal(None, rounding)

    def convert(self, currency, rate, date):
        """Convert at a dated exchange rate (units of ``currency`` per one unit), exactly."""
        if hasattr(date, "isoformat"):
            date = date.isoformat()
        return Money._wrap(_c.money_convert(self._h, currency, amount_text(rate, "rate"), date),
                           currency)

    @property
    def exchange(self):
        """``(rate, date, from_currency)`` when this amount was converted, else None."""
        return _c.money_exchange(self._h)

    # -- arithmetic ----------------------------------------------------------

    def __add__(self, other):
        if isinstance(other, Money):
            return Money._wrap(_c.money_add(self._h, other._h), self._cur)
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self
        return NotImplemented

    def __radd__(self, other):
        # lets sum(amounts) start from 0
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self
        return NotImplemented

    def __sub__(self, other):
        if isinstance(other, Money):
            return Money._wrap(_c.money_sub(self._h, other._h), self._cur)
        return NotImplemented

    def __neg__(self):
        return Money._wrap(_c.money_neg(self._h), self._cur)

    def __pos__(self):
        return self

    def __abs__(self):
        return -self if _c.money_sign(self._h) < 0 else self

    def __mul__(self, factor):
        if isinstance(factor, (Money, str)):
            return NotImplemented
        return Money._wrap(_c.money_mul(self._h, amount_text(factor, "factor")), self._cur)

    __rmul__ = __mul__

    def __truediv__(self, divisor):
        if isinstance(divisor, Money):
            if divisor.currency != self.currency:
                raise _c_currency_error(self.currency, divisor.currency)
            if divisor.amount == 0:
                raise _division_by_zero()
            return self.amount / divisor.amount
        if isinstance(divisor, str):
            return NotImplemented
        return Money._wrap(_c.money_div(self._h, amount_text(divisor, "divisor")), self._cur)

    # -- comparison ----------------------------------------------------------

    def __eq__(self, other):
        if isinstance(other, Money):
            return self.currency == other.currency and self.amount == other.amount
        return NotImplemented

    def __hash__(self):
        return hash((self.amount, self.currency))

    def _cmp(self, other):
        if not isinstance(other, Money):
            return NotImplemented
        return _c.money_compare(self._h, other._h)

    def __lt__(self, other):
        c = self._cmp(other)
        return c if c is NotImplemented else c < 0

    def __le__(self, other):
        c = self._cmp(other)
        return c if c is NotImplemented else c <= 0

    def __gt__(self, other):
        c = self._cmp(other)
        return c if c is NotImplemented else c > 0

    def __ge__(self, other):
        c = self._cmp(other)
        return c if c is NotImplemented else c >= 0

    def __bool__(self):
        return _c.money_sign(self._h) != 0

    # -- text ----------------------------------------------------------------

    def __repr__(self):
        return "Money(%r, %r)" % (self.exact_text(), self.currency)

    def __str__(self):
        d = _exact_decimal(self.amount)
        return "%s %s" % (format(d, "f") if d is not None else self.exact_text(), self.currency)

    def __reduce__(self):
        """Pickles as its exact text and currency, and its exchange record when it
        was converted (see ``_unpickle``)."""
        exchange = self.exchange
        if exchange is None:
            return (Money, (self.exact_text(), self.currency))
        return (_unpickle, (self.exact_text(), self.currency, exchange))


def _unpickle(amount, currency, exchange):
    """A converted Money with its exchange record: the amount before conversion
    (amount / rate, exact) converted again at the same rate and date gives the
    same exact amount and record."""
    rate, date, from_currency = exchange
    before = Money(fractions.Fraction(amount) / fractions.Fraction(rate), from_currency)
    return before.convert(currency, rate, date)


def _c_currency_error(a, b):
    from ._errors import CurrencyError
    return CurrencyError(_c.LP_ECURRENCY, "currency mismatch: %s and %s" % (a, b))


def _division_by_zero():
    from ._errors import DivisionByZero
    return DivisionByZero(_c.LP_EDIVZERO, "division by zero")
