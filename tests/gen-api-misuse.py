#!/usr/bin/env python3
"""Generate the calls of test_api_misuse.c from the public headers (issue 21).

For every exported function (tests/exported-symbols.txt) the prototype is read
from include/portability/*.h, and one call is written per pointer parameter:
that parameter NULL, every other one valid (taken from the test's fixture by
type). A parameter the header documents as optional ("or NULL", "may be NULL")
is still passed NULL, but the call may succeed. A `size_t i` index is also
passed SIZE_MAX. Each call must not crash; a call that passes NULL where NULL
is not allowed must fail (LP_EINVAL, or NULL / 0 from a getter).

A symbol without a prototype, or a parameter type without a fixture value,
stops the generator: a new function cannot go untested.

usage: gen-api-misuse.py SRCDIR > api_misuse_calls.inc
"""
import os
import re
import sys

# A valid value for each parameter type (the fixture is `fx`).
VALID = {
    "const lp_ruleset *": "fx->rs",
    "lp_history *": "fx->h",
    "const lp_history *": "fx->h",
    "const lp_result *": "fx->r",
    "lp_result *": "NULL",              # only lp_result_free takes one
    "const lp_entitlement *": "fx->e",
    "const lp_lump_sum *": "fx->l",
    "const lp_trace_step *": "fx->t",
    "const lp_comparison *": "fx->cmp",
    "lp_comparison *": "NULL",          # lp_comparison_free
    "const lp_money *": "fx->m",
    "lp_money *": "NULL",               # lp_money_free
    "lp_scratchpad *": "fx->pad",
    "lp_batch *": "fx->batch",
    "const lp_diagnostics *": "fx->d",
    "lp_diagnostics *": "NULL",         # lp_diagnostics_free
    "lp_ruleset *": "NULL",             # lp_ruleset_free
    "const lp_period *": "fx->periods",
    "const lp_calc_options *": "&fx->copts",
    "lp_calc_options *": "&v_copts",
    "const lp_scenario *": "&fx->scen",
    "const lp_ruleset_options *": "&fx->ropts",
    "lp_ruleset_options *": "&v_ropts",
    "const lp_rule_buffer *": "fx->buffers",
    "const char *const *": "fx->paths",
    "void *": "NULL",                   # lp_free
    "int *": "&v_int",
    "lp_date *": "&v_date",
    "lp_rounding *": "&v_rounding",
    "const char **": "&v_cstr",
    "const lp_claim_procedure *": "fx->claim",
    "size_t *": "&v_size",
}
# Out-parameters that receive an object: the local, and how to free it.
OUT_OBJECTS = {
    "lp_result **": ("lp_result", "lp_result_free"),
    "lp_history **": ("lp_history", "lp_history_free"),
    "lp_batch **": ("lp_batch", "lp_batch_free"),
    "lp_money **": ("lp_money", "lp_money_free"),
    "lp_ruleset **": ("lp_ruleset", "lp_ruleset_free"),
    "lp_diagnostics **": ("lp_diagnostics", "lp_diagnostics_free"),
    "lp_comparison **": ("lp_comparison", "lp_comparison_free"),
    "lp_scratchpad **": ("lp_scratchpad", "lp_scratchpad_free"),
    "char **": ("char", "lp_free"),
}
# const char * arguments by parameter name (anything else: fx->text).
STRINGS = {
    "path": "fx->history_path", "dir": "fx->rules_dir", "currency": "\"PHP\"",
    "to_currency": "\"EUR\"", "code": "\"EUR\"", "iso": "\"2000-01-01\"",
    "birth_date": "\"1960-01-01\"", "claim_date": "\"2025-06-01\"", "from": "\"1990-01-01\"",
    "to": "\"1999-12-31\"", "rate_date": "\"2020-01-01\"", "nationality": "\"PH\"",
    "residence": "\"PH\"", "scheme": "\"PH-SSS\"", "amount": "\"1\"", "factor": "\"2\"",
    "divisor": "\"2\"", "rate": "\"1\"", "value": "\"1\"", "step": "\"0.01\"",
    "kind": "\"monthly\"", "counting": "\"days\"", "from_unit": "\"days\"", "to_unit": "\"months\"",
    "id": "\"x\"", "name": "\"x\"", "benefit": "\"old-age\"", "data": "fx->text",
    "earnings": "\"1\"", "per": "\"month\"",
}
SCALARS = {
    "size_t": "0", "int": "5", "unsigned int": "1", "lp_date": "fx->date",
    "lp_rounding": "LP_ROUND_HALF_UP",
}
# Functions whose int result is a value, not an error code.
INT_VALUES = {
    "lp_date_is_valid", "lp_date_compare", "lp_money_is_zero", "lp_money_sign",
    "lp_entitlement_eligible_alone", "lp_entitlement_eligible_totalised",
    "lp_entitlement_export_allowed", "lp_lump_sum_available", "lp_lump_sum_forfeits_periods",
    "lp_result_complete", "lp_result_provisional", "lp_claim_procedure_applies",
}


def prototypes(srcdir):
    protos = {}
    inc = os.path.join(srcdir, "include", "portability")
    for f in sorted(os.listdir(inc)):
        if not f.endswith(".h") and not f.endswith(".h.in"):
            continue
        text = open(os.path.join(inc, f), encoding="utf-8").read()
        # the documentation block before each prototype, for "or NULL"
        for m in re.finditer(r"(/\*\*(?:(?!\*/).)*\*/\s*)?LP_API\s+([^;{]*?)\(([^)]*)\)\s*;",
                             text, re.S):
            doc = m.group(1) or ""
            head = re.sub(r"\s+", " ", m.group(2)).strip()
            head = re.sub(r"LP_DEPRECATED\([^)]*\)|LP_WARN_UNUSED", "", head).strip()
            hm = re.match(r"(.*?)\b(lp_\w+)$", head)
            if not hm:
                continue
            ret, name = hm.group(1).strip(), hm.group(2)
            params = []
            args = re.sub(r"\s+", " ", m.group(3)).strip()
            if args and args != "void":
                for p in args.split(","):
                    pm = re.match(r"(.*?)(\w+)$", p.strip())
                    ptype = re.sub(r"\s*\*\s*", " *", pm.group(1).strip()).replace(" * *", " **")
                    ptype = ptype.replace("*const *", "*const *")
                    params.append((ptype.strip(), pm.group(2)))
            protos[name] = (ret, params, doc)
    return protos


def optional(doc, pname, ptype):
    """Does the documentation let pname be NULL?"""
    if ptype in ("const char **", "int *", "lp_date *") and \
            re.search(r"(Each|Any) out(put|\s+(\*\s+)?pointer)\s+(\*\s+)?may\s+(\*\s+)?be NULL", doc):
        return True
    for part in re.sub(r"\s*\n\s*\*\s*", " ", doc).split("@"):
        if re.match(r"param\[[^\]]*\]\s+%s\b" % re.escape(pname), part) and \
                re.search(r"or NULL|may be NULL|NULL is allowed|NULL when", part):
            return True
    return pname in ("opts", "diags") or re.search(r"NULL is allowed", doc) is not None


def value_for(ptype, pname, fname):
    if ptype in OUT_OBJECTS:
        return "&o_%s" % pname
    if ptype == "const char *":
        return STRINGS.get(pname, "fx->text")
    if ptype in VALID:
        return VALID[ptype]
    if ptype in SCALARS:
        if fname == "lp_date_fiscal_year" and pname == "first_month":
            return "4"
        return SCALARS[ptype]
    sys.exit("gen-api-misuse.py: no fixture value for %s %s in %s" % (ptype, pname, fname))


def call(out, fname, ret, params, bad, bad_value, must_fail, also=None):
    out.append("    {")
    for ptype, pname in params:
        if ptype in OUT_OBJECTS:
            out.append("        %s *o_%s = NULL;" % (OUT_OBJECTS[ptype][0], pname))
    also = also or {}
    args = [bad_value if i == bad else also[i] if i in also else value_for(t, n, fname)
            for i, (t, n) in enumerate(params)]
    what = "%s(%s = %s%s)" % (fname, params[bad][1], bad_value,
                              "".join(", %s = %s" % (params[i][1], v) for i, v in also.items()))
    expr = "%s(%s)" % (fname, ", ".join(args))
    if ret == "void":
        out.append("        %s;" % expr)
    elif ret == "int" and fname not in INT_VALUES:
        out.append("        int rc = %s;" % expr)
        if must_fail:
            out.append("        misuse_check(rc != LP_OK, \"%s\");" % what)
        else:
            out.append("        (void)rc;")
    elif ret == "int" or ret == "size_t":
        out.append("        %s v = %s;" % (ret, expr))
        out.append("        (void)v;")
    else:
        out.append("        const void *p = (const void *)%s;" % expr)
        if must_fail:
            out.append("        misuse_check(p == NULL, \"%s\");" % what)
        else:
            out.append("        (void)p;")
    for ptype, pname in params:
        if ptype in OUT_OBJECTS:
            out.append("        if (o_%s)" % pname)
            out.append("            %s(o_%s);" % (OUT_OBJECTS[ptype][1], pname))
    out.append("        calls++;")
    out.append("    }")


def main():
    srcdir = sys.argv[1]
    protos = prototypes(srcdir)
    symbols = [s.strip() for s in open(os.path.join(srcdir, "tests", "exported-symbols.txt"))
               if s.strip() and not s.startswith("#")]
    missing = [s for s in symbols if s not in protos]
    if missing:
        sys.exit("gen-api-misuse.py: no prototype for %s" % ", ".join(missing))
    out = ["/* Generated by tests/gen-api-misuse.py from the public headers: do not edit. */",
           "static int generated_calls(const fixture *fx)", "{",
           "    int calls = 0, v_int = 0;", "    size_t v_size = 0;", "    lp_date v_date;", "    lp_rounding v_rounding;",
           "    const char *v_cstr = NULL;", "    lp_calc_options v_copts;",
           "    lp_ruleset_options v_ropts;",
           "    (void)v_int; (void)v_size; (void)v_date; (void)v_rounding; (void)v_cstr; (void)v_copts; (void)v_ropts;"]
    for fname in symbols:
        ret, params, doc = protos[fname]
        for i, (ptype, pname) in enumerate(params):
            counted = i + 1 < len(params) and params[i + 1] == ("size_t", "count") \
                or i + 1 < len(params) and params[i + 1] == ("size_t", "n")
            if "*" in ptype and counted:
                # an array and its count: NULL with a count must fail
                call(out, fname, ret, params, i, "NULL", False)
                call(out, fname, ret, params, i, "NULL", True, {i + 1: "3"})
            elif "*" in ptype:
                must_fail = not optional(doc, pname, ptype) and not fname.endswith("_free") \
                    and fname != "lp_free"
                call(out, fname, ret, params, i, "NULL", must_fail)
            elif ptype == "size_t" and pname == "i":
                call(out, fname, ret, params, i, "SIZE_MAX", True)
    out.append("    return calls;")
    out.append("}")
    print("\n".join(out))


if __name__ == "__main__":
    main()
