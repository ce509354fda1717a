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
status 2 "--output-dir with one career (it would be ignored)" --output-dir smoke-errors-out.d "$abs_srcdir/careers/filipino-nurse-japan.xml"
# getopt_long: short forms, values joined by '='
status 0 "-h" -h
status 0 "-V" -V
grep -q '^portability-calc (libportability) ' smoke-errors.tmp || { echo "FAIL: -V does not print the version"; failures=$((failures + 1)); }
status 0 "--format=json" --format=json "$abs_srcdir/careers/filipino-nurse-japan.xml"
status 2 "--format without a value" --format
status 2 "--format=csv without --batch" --format=csv "$abs_srcdir/careers/filipino-nurse-japan.xml"
# unknown names: exit 2 and the known ones listed
NURSE="$abs_srcdir/careers/filipino-nurse-japan.xml"
status 2 "unknown agreement" --compare --without-agreement XX-YY "$NURSE"
grep -q "unknown agreement 'XX-YY': the rule set has .*JP-PH" smoke-errors.tmp || { echo "FAIL: the known agreements are not listed"; failures=$((failures + 1)); }
status 2 "misspelt lump sum" --compare --take-lump-sum JP-EPI/withdrawl "$NURSE"
grep -q "unknown lump sum 'JP-EPI/withdrawl': scheme JP-EPI has JP-EPI/withdrawal, JP-EPI/withdrawal-net" smoke-errors.tmp || { echo "FAIL: the known options are not listed"; failures=$((failures + 1)); }
status 2 "lump sum of an unknown scheme" --compare --take-lump-sum XX-YY/withdrawal "$NURSE"
grep -q "the rule set has .*JP-NP/withdrawal" smoke-errors.tmp || { echo "FAIL: the known lump sums are not listed"; failures=$((failures + 1)); }
status 2 "unknown agreement, one career" --without-agreement XX-YY "$NURSE"
status 2 "unknown agreement, batch" --batch --without-agreement XX-YY "$NURSE"
status 0 "known names" --compare --without-agreement JP-PH --take-lump-sum JP-EPI/withdrawal "$NURSE"
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
status 1 "impossible date in a batch" --batch smoke-errors-bad.tmp
grep -q '^bad,smoke-errors-bad.tmp,,,error,' smoke-errors.tmp || { echo "FAIL: the error row does not name its case"; cat smoke-errors.tmp; failures=$((failures + 1)); }
sed -e 's/to="2025-02-30"/to="30\/12\/2024"/' smoke-errors-bad.tmp > smoke-errors-bad2.tmp
status 1 "schema error in plain words" smoke-errors-bad2.tmp
grep -q "^smoke-errors-bad2.tmp:5:3: period 'to' must be a date like 2009-12-31 (year-month-day), not '30/12/2024'$" smoke-errors.tmp || { echo "FAIL: not in plain words"; failures=$((failures + 1)); }
sed -e 's/ xmlns="[^"]*"//' smoke-errors-bad.tmp > smoke-errors-bad2.tmp
status 1 "history without its namespace" smoke-errors-bad2.tmp
grep -q 'xmlns="urn:libportability:history:1"' smoke-errors.tmp || { echo "FAIL: the namespace to add is not named"; failures=$((failures + 1)); }
rm -f smoke-errors-bad2.tmp

printf '<history xmlns="urn:libportability:history:1" id="x">\n  <person birth-date="1960-01-01"\n' > smoke-errors-bad.tmp
status 1 "malformed XML" smoke-errors-bad.tmp
grep -q '^smoke-errors-bad.tmp:[0-9]*:[0-9]*: ' smoke-errors.tmp || { echo "FAIL: no file:line:column"; failures=$((failures + 1)); }

printf '<?xml version="1.0"?>\n<!DOCTYPE h [<!ENTITY x "y">]>\n<history xmlns="urn:libportability:history:1" id="&x;"/>\n' > smoke-errors-bad.tmp
status 1 "DOCTYPE refused" smoke-errors-bad.tmp
status 1 "DOCTYPE refused in a batch" --batch smoke-errors-bad.tmp
# a case id a spreadsheet would take for a formula is written with a ' first
sed -e 's/id="filipino-nurse-japan"/id="=1+2"/' "$NURSE" > smoke-errors-bad.tmp
status 0 "formula-like case id" --batch smoke-errors-bad.tmp
grep -q "^\"'=1+2\",smoke-errors-bad.tmp,JP-EPI,old-age,payable,direct,JP-PH,95983,JPY,yearly,," smoke-errors.tmp || { echo "FAIL: the case id is not guarded"; cat smoke-errors.tmp; failures=$((failures + 1)); }
grep -q "^\"'=1+2\",smoke-errors-bad.tmp,JP-EPI,withdrawal,.*,once,withdrawal," smoke-errors.tmp || { echo "FAIL: no lump-sum row"; failures=$((failures + 1)); }

# One scheme the rules cannot compute: the report is written, that scheme says why,
# every other figure stands, and the exit status is 3 (issue 16).
cases="$abs_srcdir/../tests/data/cases"
status 3 "a scheme cannot be computed" --rules "$cases/s16-cannot-compute-one-scheme/rules" \
    "$cases/s16-cannot-compute-one-scheme/history.xml"
sed -n '/^  Textbook State A$/,+2p' smoke-errors.tmp | grep -q "The pension cannot be worked out yet" || { echo "FAIL: page 1 does not say XA-STATE cannot be computed"; failures=$((failures + 1)); }
tr '\n' ' ' < smoke-errors.tmp | grep -q "no value of 'full_pension' *for 2025-01-01" || { echo "FAIL: the gap is not named"; failures=$((failures + 1)); }
grep -q "Pension: 525.71 EUR a month" smoke-errors.tmp || { echo "FAIL: the other scheme's figure is lost"; failures=$((failures + 1)); }
status 3 "a scheme cannot be computed, batch" --batch --rules "$cases/s16-cannot-compute-one-scheme/rules" \
    "$cases/s16-cannot-compute-one-scheme/history.xml"
grep -q "XA-STATE,old-age,cannot-compute,none,,0,EUR,.*full_pension" smoke-errors.tmp || { echo "FAIL: the batch row does not say why"; failures=$((failures + 1)); }
# A lump sum the rules cannot compute says so, not "a condition is not met".
status 0 "a lump sum cannot be computed" "$cases/sa-gap-service-ended-2004/history.xml"
grep -q "cannot be computed for this career" smoke-errors.tmp || { echo "FAIL: the lump sum's error is not shown"; failures=$((failures + 1)); }
if grep -q "a condition is not met" smoke-errors.tmp; then echo "FAIL: the lump sum is said to miss a condition"; failures=$((failures + 1)); fi

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
