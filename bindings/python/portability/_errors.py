"""The exception hierarchy: one ``portability.Error`` with a subclass per
libportability error code (the pygit2 pattern).

Every exception raised from a C failure carries the fields of the library's
``lp_error_last()``, read on the same thread straight after the failing call:
``code`` (the negative ``LP_E*`` number), ``message``, ``file`` (the rule
file or history, or ``None``), ``line`` and ``column`` (1-based, 0 when
unknown). ``str(exc)`` reads ``file:line:column: message``, like the
command-line tools.
"""

from . import _portability as _c

__all__ = [
    "Error", "InvalidArgument", "NoMemory", "NotFound", "IOFailure", "ParseError",
    "SchemaError", "CurrencyError", "DivisionByZero", "Inexact", "RangeError",
    "Diagnostic", "error_class",
]


class Error(Exception):
    """A libportability failure (LP_ERROR, and the base of every other code)."""

    code = _c.LP_ERROR

    def __init__(self, code=None, message="", file=None, line=0, column=0):
        if code is None:
            code = type(self).code
        super().__init__(code, message, file, line, column)
        self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self._diagnostics = []

    @property
    def diagnostics(self):
        """Every problem found (a rule set reports all of them in one pass): a list of
        ``Diagnostic``; empty for failures other than loading a rule set."""
        return self._diagnostics

    @diagnostics.setter
    def diagnostics(self, items):
        self._diagnostics = [d if isinstance(d, Diagnostic) else Diagnostic(*d) for d in items]

    def __str__(self):
        where = ""
        if self.file:
            where = self.file
            if self.line:
                where += ":%d" % self.line
                if self.column:
                    where += ":%d" % self.column
            where += ": "
        return where + (self.message or _c.strerror(self.code))

    def __reduce__(self):
        return (type(self), (self.code, self.message, self.file, self.line, self.column))


class InvalidArgument(Error, ValueError):
    """LP_EINVAL: a bad argument."""
    code = _c.LP_EINVAL


class NoMemory(Error, MemoryError):
    """LP_ENOMEM: out of memory."""
    code = _c.LP_ENOMEM


class NotFound(Error, LookupError):
    """LP_ENOTFOUND: no such file, scheme, rule or name."""
    code = _c.LP_ENOTFOUND


class IOFailure(Error, OSError):
    """LP_EIO: reading or writing failed."""
    code = _c.LP_EIO

    def __init__(self, code=None, message="", file=None, line=0, column=0):
        Error.__init__(self, code, message, file, line, column)

    def __str__(self):
        return Error.__str__(self)


class ParseError(Error, ValueError):
    """LP_EPARSE: malformed XML, amount, date or formula."""
    code = _c.LP_EPARSE


class SchemaError(Error, ValueError):
    """LP_ESCHEMA: a document fails XSD validation or a rule-set check."""
    code = _c.LP_ESCHEMA


class CurrencyError(Error, ValueError):
    """LP_ECURRENCY: currency mismatch or unknown currency."""
    code = _c.LP_ECURRENCY


class DivisionByZero(Error, ZeroDivisionError):
    """LP_EDIVZERO: division by zero."""
    code = _c.LP_EDIVZERO


class Inexact(Error, ArithmeticError):
    """LP_EINEXACT: rounding needed but 'unnecessary' was asked."""
    code = _c.LP_EINEXACT


class RangeError(Error, ValueError):
    """LP_ERANGE: a value out of the accepted range (digits, dates, sizes)."""
    code = _c.LP_ERANGE


_BY_CODE = {cls.code: cls for cls in (
    Error, InvalidArgument, NoMemory, NotFound, IOFailure, ParseError, SchemaError,
    CurrencyError, DivisionByZero, Inexact, RangeError)}


def error_class(code):
    """The exception class of an ``LP_E*`` code (``Error`` for unknown codes)."""
    return _BY_CODE.get(code, Error)


def _factory(code, message, file, line, column):
    return error_class(code)(code, message, file, line, column)


_c._register_errors(_factory)


class Diagnostic:
    """One problem found in a rule file: code, file, line, column, message."""

    __slots__ = ("code", "file", "line", "column", "message")

    def __init__(self, code, file, line, column, message):
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.message = message

    @property
    def error(self):
        """The exception class of this diagnostic's code."""
        return error_class(self.code)

    def __iter__(self):
        return iter((self.code, self.file, self.line, self.column, self.message))

    def __eq__(self, other):
        if not isinstance(other, Diagnostic):
            return NotImplemented
        return tuple(self) == tuple(other)

    def __hash__(self):
        return hash(tuple(self))

    def __str__(self):
        where = self.file or "<rules>"
        if self.line:
            where += ":%d" % self.line
            if self.column:
                where += ":%d" % self.column
        return "%s: %s" % (where, self.message)

    def __repr__(self):
        return "Diagnostic(%s, %r, %d, %d, %r)" % (
            self.error.__name__, self.file, self.line, self.column, self.message)
