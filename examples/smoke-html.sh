#!/bin/sh
# The HTML report of every bundled career is well-formed XHTML with a chart
# (inline SVG) when a pension is payable, and none when nothing is (a zero chart
# is left out, issue 19); `make check-browser` prints each in Chromium.
. "${srcdir:-.}/smoke-lib.sh"
for f in "$abs_srcdir"/careers/*.xml; do
    c=$(basename "$f" .xml)
    [ "$c" = cohort ] && continue
    out="report-$c.html"
    if ! "$CALC" --format html "$f" > "$out"; then
        echo "FAIL $c: the HTML report failed"; failures=$((failures + 1)); continue
    fi
    if ! "$XMLLINT" --noout --nonet "$out"; then
        echo "FAIL $c: the HTML report is not well-formed XHTML"; failures=$((failures + 1)); continue
    fi
    if "$CALC" --format xml "$f" 2>/dev/null | grep -q 'status="payable"'; then
        grep -q '<svg' "$out" || { echo "FAIL $c: a pension is payable, but no chart"; failures=$((failures + 1)); }
    elif grep -q '<svg' "$out"; then
        echo "FAIL $c: a chart, but no pension is payable"; failures=$((failures + 1))
    fi
    grep -q '<html xmlns="http://www.w3.org/1999/xhtml"' "$out" || { echo "FAIL $c: not XHTML"; failures=$((failures + 1)); }
    echo "ok $c: $(grep -c '<svg' "$out") chart(s), $(wc -c < "$out") bytes"
    rm -f "$out"
done
# a rule set's source address is a link only when it is http(s): a
# javascript: url in a rule file ran script when the caseworker clicked it
rules=smoke-html-rules.tmp
rm -rf "$rules"
cp -R "$LP_RULES_DIR" "$rules"
sed 's|url="https://[^"]*"|url="javascript:alert(document.cookie)"|' "$LP_RULES_DIR/schemes/PH-SSS.xml" \
    > "$rules/schemes/PH-SSS.xml"
out=smoke-html-js.tmp
"$CALC" --rules "$rules" --format html "$abs_srcdir/careers/filipino-nurse-japan.xml" > "$out" 2>/dev/null
grep -q 'javascript:alert' "$out" || { echo "FAIL: the javascript: url is not shown"; failures=$((failures + 1)); }
if grep -q 'href="javascript:' "$out"; then
    echo "FAIL: a javascript: url is a link"; failures=$((failures + 1))
else
    echo "ok a javascript: url in a rule file is shown, not linked"
fi
rm -rf "$rules" "$out"
finish
