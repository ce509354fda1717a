"""libportability for Python: social-security entitlements across multi-country careers.

    >>> import portability
    >>> rules = portability.RuleSet.load()                # the shipped rule set
    >>> h = portability.History.load("case.xml")
    >>> r = portability.calculate(rules, h, trace=True)
    >>> for e in r.entitlements:
    ...     print(e.scheme, e.status, e.payable.to_decimal("0.01"))

Amounts are exact: ``Money`` holds a ``fractions.Fraction`` and a currency;
``to_decimal(step, rounding)`` gives a ``decimal.Decimal`` rounded by the C
library (the step defaults to the currency's minor unit); ``str(m)`` is exact,
``format(m, ",.2f")`` and ``round(m, 2)`` round half-even as Python does. Amounts go in as ``Decimal``, ``Fraction``, ``int`` or ``str``; any
other type raises ``TypeError``. Failures raise subclasses of
``portability.Error`` carrying ``code``, ``message``, ``file``, ``line`` and
``column``.

Threads: a ``RuleSet`` is immutable and shared; calculations release the GIL,
so ``calculate_many`` runs careers in parallel on threads.
"""

from . import _portability as _c

from ._errors import (CurrencyError, Diagnostic, DivisionByZero, Error, Inexact,
                      InvalidArgument, IOFailure, NoMemory, NotFound, ParseError,
                      RangeError, SchemaError, error_class)
from ._money import ROUNDING_MODES, Money
from ._core import (AMOUNT_KINDS, CannotCompute, Condition, Entitlement, Held, History,
                    LumpSum, Note, Result, Route, RuleSet, TraceStep, calculate,
                    calculate_many, default_rules_dir, read_histories)
from ._agreements import Agreement, Party
from ._compare import Comparison, SchemeDifference, compare
from ._history_view import Fact, Period
from ._pickling import register_rules

#: Version of the C library the module is linked to.
library_version = _c.version()
__version__ = library_version

__all__ = [
    "Money", "ROUNDING_MODES",
    "RuleSet", "History", "Result", "Entitlement", "Route", "LumpSum", "Condition",
    "TraceStep", "AMOUNT_KINDS", "Diagnostic", "read_histories",
    "CannotCompute", "Held", "Note", "Period", "Fact", "register_rules",
    "calculate", "calculate_many", "compare", "Comparison", "SchemeDifference",
    "Agreement", "Party",
    "default_rules_dir", "library_version",
    "Error", "InvalidArgument", "NoMemory", "NotFound", "IOFailure", "ParseError",
    "SchemaError", "CurrencyError", "DivisionByZero", "Inexact", "RangeError", "error_class",
]
