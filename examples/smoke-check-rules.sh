#!/bin/sh
# --check-rules: the shipped rule set loads clean; a broken one lists its
# problems as FILE:LINE:COLUMN: MESSAGE and exits 1.
. "${srcdir:-.}/smoke-lib.sh"
"$CALC" --check-rules > smoke-check.tmp 2>&1 || { echo "FAIL: the shipped rules do not load"; cat smoke-check.tmp; failures=$((failures + 1)); }
cat smoke-check.tmp
unset LP_RULES_DIR
"$CALC" --check-rules --rules "$abs_srcdir/../rules" > smoke-check.tmp 2>&1 || { echo "FAIL: --rules"; failures=$((failures + 1)); }
rm -rf smoke-check-rules.tmp; mkdir smoke-check-rules.tmp
cat > smoke-check-rules.tmp/XX-BAD.xml <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<scheme xmlns="urn:libportability:rules:1" id="XX-BAD" country="XX" currency="PHP" unit="month" counting="months-touched">
  <title>Broken on purpose</title>
  <source id="s">nowhere</source>
  <benefit id="old-age" frequency="monthly">
    <eligible cite="s 1">age >= 60 and</eligible>
    <amount cite="s 2">300 PHP + 5 JPY</amount>
  </benefit>
</scheme>
XML
"$CALC" --check-rules --rules smoke-check-rules.tmp > smoke-check.tmp 2>&1
rc=$?
cat smoke-check.tmp
[ "$rc" = 1 ] || { echo "FAIL: broken rules: exit $rc, expected 1"; failures=$((failures + 1)); }
grep -q 'XX-BAD.xml:[0-9]*:[0-9]*: ' smoke-check.tmp || { echo "FAIL: no file:line:column"; failures=$((failures + 1)); }
rm -rf smoke-check-rules.tmp smoke-check.tmp
finish
