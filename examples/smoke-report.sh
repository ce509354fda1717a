#!/bin/sh
# The text report and the result XML of every bundled career.
. "${srcdir:-.}/smoke-lib.sh"
for f in "$abs_srcdir"/careers/*.xml; do
    c=$(basename "$f" .xml)
    [ "$c" = cohort ] && continue
    expect "$c.txt" 0 "$CALC" "careers/$c.xml"
    expect "$c.xml" 0 "$CALC" --format xml "careers/$c.xml"
done
# a case id with a C1 control (U+009B, a terminal's escape) and a bidi
# override (U+202E: "gnp.exe" read as "exe.png") is printed with U+FFFD in
# their place in the text report; the XML keeps the id as it is
f=smoke-report-controls.tmp
sed 's/id="filipino-nurse-japan"/id="a\&#x9b;31m\&#x202e;gnp.exe"/' "$abs_srcdir/careers/filipino-nurse-japan.xml" > "$f"
if "$CALC" "$f" | grep -q "$(printf 'a\357\277\27531m\357\277\275gnp.exe')"; then
    echo "ok controls in a case id are shown as U+FFFD"
else
    echo "FAIL: a control character of a case id reached the text report"; failures=$((failures + 1))
fi
"$CALC" --format xml "$f" | grep -q "$(printf 'a\302\23331m\342\200\256gnp.exe')" ||
    { echo "FAIL: the XML result changed the case id"; failures=$((failures + 1)); }
rm -f "$f"
finish
