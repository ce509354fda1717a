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
``round(step, rounding)`` name both, and the C library does the rounding.
"""

import decimal
import fractions
import numbers

from . import _portability as _c

__all__ = ["Money", "ROUNDING_MODES", "amount_text"]

#: Rounding mode names, as in rule files (``lp_rounding_from_string``).
ROUNDING_MODES = ("half-up", "half-even", "half-down", "ceiling", "floor", "up", "down",
                  "toward-zero", "away-from-zero", "unnecessary")


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
        return str(value)
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise ValueError("%s must be a finite Decimal, not %s" % (what, value))
        return format(value, "f")
    if isinstance(value, fractions.Fraction):
        return "%d/%d" % (value.numerator, value.denominator)
    if isinstance(value, numbers.Rational):
        return "%d/%d" % (value.numerator, value.denominator)
    raise TypeError("%s must be Decimal, Fraction, int or str, not %s"
                    % (what, type(value).__name__))


def _step_text(step):
    return amount_text(step, "step")


def _exact_decimal(q):
    """The exact decimal of a Fraction whose denominator is 2^a 5^b, else None."""
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
    scaled = q.numerator * (10 ** places) // q.denominator
    return decimal.Decimal(scaled).scaleb(-places)


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

    def to_decimal(self, step="0.01", rounding="half-up"):
        """Round to a multiple of ``step`` with a named mode and return a ``Decimal``.

        The C library rounds (``lp_money_to_decimal_string``); the Decimal is
        built from its text, so nothing is lost on the way. ``rounding`` is one
        of ``ROUNDING_MODES``; ``"unnecessary"`` raises ``Inexact`` when
        rounding would change the value.
        """
        return decimal.Decimal(_c.money_decimal(self._h, _step_text(step), rounding))

    def round(self, step="0.01", rounding="half-up"):
        """The amount rounded to a multiple of ``step``, as exact ``Money``."""
        return Money._wrap(_c.money_round(self._h, _step_text(step), rounding), self._cur)

    def minor_units(self):
        """Decimals of the currency (0 for JPY, 2 for USD, 3 for KWD)."""
        return _c.currency_minor_units(self.currency)

    def to_minor_unit(self, rounding="half-up"):
        """``to_decimal`` at the currency's own minor unit (1 for JPY, 0.01 for USD)."""
        n = self.minor_units()
        step = "1" if n == 0 else "0." + "0" * (n - 1) + "1"
        return self.to_decimal(step, rounding)

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
        return "%s %s" % (d if d is not None else self.exact_text(), self.currency)

    def __reduce__(self):
        return (Money, (self.exact_text(), self.currency))


def _c_currency_error(a, b):
    from ._errors import CurrencyError
    return CurrencyError(_c.LP_ECURRENCY, "currency mismatch: %s and %s" % (a, b))


def _division_by_zero():
    from ._errors import DivisionByZero
    return DivisionByZero(_c.LP_EDIVZERO, "division by zero")
