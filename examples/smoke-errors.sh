#!/bin/sh
# Errors are one line, FILE:LINE:COLUMN: MESSAGE; exit 1 for bad input, 2 for
# bad usage, 0 for --help.
. "${srcdir:-.}/smoke-lib.sh"
status() {
    want=$1; what=$2; shift 2
    "$CALC" "$@" > smoke-errors.tmp 2>&1
    rc=$?
    if [ "$rc" != "$want" ]; then
        echo "FAIL $what: exit $rc, expected $want"; cat smoke-errors.tmp; failures=$((failures + 1))
    else
        echo "ok $what (exit $rc): $(head -n 1 smoke-errors.tmp)"
    fi
}
status 0 "--help" --help
grep -q -- '--compare' smoke-errors.tmp || { echo "FAIL: --help does not explain --compare"; failures=$((failures + 1)); }
status 2 "no history" 
status 2 "unknown option" --frobnicate careers.xml
status 2 "bad --jobs" --batch --jobs many x.xml
status 2 "bad format" --format pdf x.xml
status 2 "compare without a variation" --compare "$abs_srcdir/careers/filipino-nurse-japan.xml"
status 2 "bad country" --compare --residence Japan "$abs_srcdir/careers/filipino-nurse-japan.xml"
status 1 "missing history" does-not-exist.xml
grep -q '^does-not-exist.xml:0:0: ' smoke-errors.tmp || { echo "FAIL: no file:line:column"; failures=$((failures + 1)); }

cat > smoke-errors-bad.tmp <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<history xmlns="urn:libportability:history:1" id="bad">
  <person birth-date="1960-01-01" nationality="PH" residence="PH"/>
  <claim benefit="old-age" date="2025-06-01"/>
  <period scheme="PH-SSS" from="2010-01-01" to="2025-02-30" kind="contribution"/>
</history>
XML
status 1 "impossible date" smoke-errors-bad.tmp
grep -q '^smoke-errors-bad.tmp:5:[0-9]*: ' smoke-errors.tmp || { echo "FAIL: the error does not name line 5"; cat smoke-errors.tmp; failures=$((failures + 1)); }
[ "$(wc -l < smoke-errors.tmp)" -eq 1 ] || { echo "FAIL: the error is not one line"; failures=$((failures + 1)); }

printf '<history xmlns="urn:libportability:history:1" id="x">\n  <person birth-date="1960-01-01"\n' > smoke-errors-bad.tmp
status 1 "malformed XML" smoke-errors-bad.tmp
grep -q '^smoke-errors-bad.tmp:[0-9]*:[0-9]*: ' smoke-errors.tmp || { echo "FAIL: no file:line:column"; failures=$((failures + 1)); }

printf '<?xml version="1.0"?>\n<!DOCTYPE h [<!ENTITY x "y">]>\n<history xmlns="urn:libportability:history:1" id="&x;"/>\n' > smoke-errors-bad.tmp
status 1 "DOCTYPE refused" smoke-errors-bad.tmp
status 1 "DOCTYPE refused in a batch" --batch smoke-errors-bad.tmp
# issue 21: output lost to a full disk exited 0 (--help, --check-rules,
# --compare text), and html blamed report.xsl:0:0
full() {
    what=$1; shift
    if [ ! -w /dev/full ]; then echo "skip $what: no /dev/full"; return; fi
    "$CALC" "$@" > /dev/full 2> smoke-errors.tmp
    rc=$?
    if [ "$rc" = 0 ] || ! grep -q 'No space left on device' smoke-errors.tmp || grep -q 'report.xsl' smoke-errors.tmp; then
        echo "FAIL $what to a full disk: exit $rc"; cat smoke-errors.tmp; failures=$((failures + 1))
    else
        echo "ok $what to a full disk (exit $rc): $(head -n 1 smoke-errors.tmp)"
    fi
}
nurse="$abs_srcdir/careers/filipino-nurse-japan.xml"
full "--help" --help
full "--version" --version
full "--check-rules" --check-rules
full "--compare (text)" --compare --without-agreement JP-PH "$nurse"
full "--format html" --format html "$nurse"
full "--format text" "$nurse"
full "--format xml" --format xml "$nurse"
full "--batch" --batch "$nurse"
rm -f smoke-errors.tmp smoke-errors-bad.tmp
finish
