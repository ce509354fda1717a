"""Pickling of histories and results: what is stored, and how it comes back.

A ``History`` read from a document (``History.load``, ``History.from_string``)
and not changed since pickles as that document's bytes and name: it comes back
identical, input digest (the digest of the bytes), ``file`` and line numbers
included. Any other History (built through the API, changed by ``add_period``
or ``add_fact``, read from a batch) pickles as its content, read through the
accessors: id, person, claim, the periods (monthly earnings exact) and the
facts. It is rebuilt through the API, so it has the input digest of an API
history of that content; ``file`` is None.

A ``Result`` has no C constructor from its document, so it pickles as what
reproduces it, and unpickling reproduces it and proves it did:

* the ``History`` (as above) and the calculation's options (trace, agreements
  left out, lump sums taken);
* the rules digest and where the rule set was loaded from (absolute path, or
  None for rules loaded from memory);
* the library version and the SHA-256 of the result document (``to_xml()``).

Unpickling takes the rule set with that digest: one registered with
``register_rules(rules)`` (or already used by an unpickling), else the one
loaded from the recorded path. It refuses, with ``pickle.UnpicklingError``,
rules whose digest differs (never a silent recomputation under other rules),
another library version, or a recomputed document that differs from the one
pickled. The figures of an unpickled Result are therefore the pickled ones.
"""

import hashlib
import os
import pickle
import threading

from . import _portability as _c

__all__ = ["register_rules", "history_reduce", "history_from_document", "history_from_state",
           "result_state", "result_from_state"]

_FORMAT = 1
_rules_by_digest = {}
_lock = threading.Lock()


def register_rules(rules):
    """Make a loaded ``RuleSet`` the one unpickled results of its digest use
    (needed for rules loaded with ``RuleSet.from_strings``, or moved since)."""
    with _lock:
        _rules_by_digest[rules.digest] = rules


def _rules_for(digest, spec):
    from ._core import RuleSet
    with _lock:
        rules = _rules_by_digest.get(digest)
    if rules is not None:
        return rules
    if spec is None:
        raise pickle.UnpicklingError(
            "the result was computed with rules loaded from memory (%s): "
            "register them with portability.register_rules() first" % digest)
    rules = RuleSet.load(spec)
    if rules.digest != digest:
        raise pickle.UnpicklingError(
            "the rules at %s have digest %s, the result was computed with %s: "
            "not recomputed" % (spec, rules.digest, digest))
    register_rules(rules)
    return rules


def _absolute(spec):
    if spec is None:
        return None
    if isinstance(spec, str):
        return os.path.abspath(spec)
    return tuple(os.path.abspath(p) for p in spec)


def _document_digest(result):
    return hashlib.sha256(result.to_xml().encode("utf-8")).hexdigest()


# ------------------------------------------------------------------ histories

def history_reduce(h):
    """``History.__reduce__``: its document, or its content."""
    if h._source is not None:
        return (history_from_document, h._source)
    return (history_from_state, (h.id, h.birth_date, h.nationality, h.residence,
                                 h.claim_date, h.benefit, h.periods, h.facts))


def history_from_document(data, name):
    """A History read again from the bytes it was read from."""
    from ._core import History
    h = History._wrap(_c.history_load_memory(name, data), (data, name))
    return h


def history_from_state(id, birth_date, nationality, residence, claim_date, benefit, periods,
                       facts):
    """A History rebuilt through the API from ``history_state``'s content."""
    from ._core import History
    h = History(id, birth_date, nationality, residence, claim_date, benefit)
    for p in periods:
        h.add_period(p.scheme, p.start, p.end, p.kind, p.earnings, per="month")
    for f in facts:
        h.add_fact(f.scheme, f.name, f.value, f.currency)  # the text as given
    return h


# -------------------------------------------------------------------- results

def result_state(r):
    """The arguments of ``result_from_state`` that reproduce ``r``."""
    if r._options is None:
        raise pickle.PicklingError("this Result does not record how it was computed")
    trace, without, taken = r._options
    return (_FORMAT, r.rules_digest, _absolute(r.rules.path), r.library_version, r.history,
            trace, without, taken, _document_digest(r))


def result_from_state(fmt, rules_digest, rules_path, library_version, history, trace, without,
                      taken, document_sha256):
    """Recompute a pickled Result under the same rules and library, and check it."""
    from ._core import calculate
    if fmt != _FORMAT:
        raise pickle.UnpicklingError("unknown Result pickle format %r" % (fmt,))
    if library_version != _c.version():
        raise pickle.UnpicklingError(
            "the result was computed by libportability %s, this is %s: not recomputed"
            % (library_version, _c.version()))
    rules = _rules_for(rules_digest, rules_path)
    r = calculate(rules, history, trace=trace, without_agreements=without,
                  lump_sums_taken=taken)
    if _document_digest(r) != document_sha256:
        raise pickle.UnpicklingError("the recomputed result differs from the pickled one")
    return r
