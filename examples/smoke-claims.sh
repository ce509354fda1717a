#!/bin/sh
# Where and when to claim (issue 19): the text report and the HTML report print
# the same claims model (examples/calc/claims.c), so every deadline, office and
# document the text report shows is in the HTML report too; a career with
# nothing to claim under a procedure has no such section in either; the rule
# files' items in the report's language (LC_ALL, LC_MESSAGES, LANG) replace the
# English ones, and a language the rules do not have falls back to English.
. "${srcdir:-.}/smoke-lib.sh"

# The items of the text report's "Where and when to claim" section, one a line
# (wrapped lines joined; the headings naming each scheme left out).
claim_items() {
    sed -n '/^Where and when to claim$/,/^How each figure was computed$/p' "$1" | sed -e '1,2d' -e '$d' |
        awk '{ label = substr($0, 3, 13); sub(/ +$/, "", label) }
             /^$/ { if (item) print item; item = ""; next }
             label ~ /^(Where|Form|Online|By when|Bring)$/ {
                 if (item) print item; item = substr($0, 16); sub(/^- /, "", item); next }
             /^               - / { if (item) print item; item = substr($0, 18); next }
             /^               https?:/ { if (item) print item; item = substr($0, 16); next }
             /^               / { if (item) { sub(/^ +/, ""); item = item " " $0 }; next }
             { if (item) print item; item = "" }
             END { if (item) print item }'
}

for f in "$abs_srcdir"/careers/*.xml; do
    c=$(basename "$f" .xml)
    [ "$c" = cohort ] && continue
    LC_ALL=C "$CALC" "$f" > "smoke-$c-claims.tmp" 2>/dev/null
    LC_ALL=C "$CALC" --format html "$f" > "smoke-$c-claims-html.tmp" 2>/dev/null
    n=0
    claim_items "smoke-$c-claims.tmp" > "smoke-$c-items.tmp"
    while IFS= read -r item; do
        [ -n "$item" ] || continue
        n=$((n + 1))
        # the HTML escapes ' and & only as XML requires; compare on the text
        want=$(printf '%s' "$item" | sed -e "s/&/\&amp;/g")
        if ! tr -s ' \n' '  ' < "smoke-$c-claims-html.tmp" | grep -qF -- "$want"; then
            echo "FAIL $c: the text report's claim item is not in the HTML report: $item"
            failures=$((failures + 1))
        fi
    done < "smoke-$c-items.tmp"
    if [ "$n" -eq 0 ] && grep -q 'Where and when to claim' "smoke-$c-claims-html.tmp"; then
        echo "FAIL $c: the HTML report has a claims section the text report has not"
        failures=$((failures + 1))
    fi
    echo "ok $c: $n claim item(s) in both reports"
    rm -f "smoke-$c-claims.tmp" "smoke-$c-claims-html.tmp" "smoke-$c-items.tmp"
done

# The Japanese lump sum's deadline (JPS: within two years of leaving Japan).
LC_ALL=C "$CALC" "$abs_srcdir/careers/filipino-nurse-japan.xml" > smoke-claims-jp.tmp
grep -q '^  By when      Within 2 years of leaving Japan' smoke-claims-jp.tmp ||
    { echo "FAIL filipino-nurse-japan: no deadline of the Japanese lump sum"; failures=$((failures + 1)); }

# Language: KWSP publishes its list in Malay; Indonesian items are not in the rules.
my="$abs_srcdir/careers/indonesian-worker-malaysia.xml"
LC_ALL=ms_MY.UTF-8 "$CALC" "$my" > smoke-claims-ms.tmp
LC_ALL=id_ID.UTF-8 "$CALC" "$my" > smoke-claims-id.tmp
grep -q -- '- Salinan pasport yang masih sah laku' smoke-claims-ms.tmp ||
    { echo "FAIL ms: the Malay item is not used"; failures=$((failures + 1)); }
if grep -q -- '- A photocopy of your valid passport' smoke-claims-ms.tmp; then
    echo "FAIL ms: the English list is printed beside the Malay one"; failures=$((failures + 1))
fi
grep -q -- '- A photocopy of your valid passport' smoke-claims-id.tmp ||
    { echo "FAIL id: no fall-back to English"; failures=$((failures + 1)); }
grep -q '^  Where        KWSP' smoke-claims-ms.tmp ||
    { echo "FAIL ms: the office (English only) is not shown"; failures=$((failures + 1)); }
rm -f smoke-claims-jp.tmp smoke-claims-ms.tmp smoke-claims-id.tmp
echo "ok languages: ms items used, id falls back to English"
# Several offices, forms and deadlines in one procedure (issue 18): every one is
# shown, in the text report as a list under its label, in the HTML report as a
# list too, in file order. The shipped rules give one of each, so a copy of them
# gets a second office, form and deadline in the Japanese lump sum's procedure
# (test text, cited to the procedure's own source: this copy is never shipped).
rules2=smoke-claims-rules.tmp
rm -rf "$rules2"
cp -R "$LP_RULES_DIR" "$rules2"
awk '/<\/claim-procedure>/ && !done {
        print "    <office cite=\"jps-lumpsum test\">Test office two</office>"
        print "    <form url=\"https://form-two.example/\" cite=\"jps-lumpsum test\">Test form two</form>"
        print "    <deadline cite=\"jps-lumpsum test\">Test deadline two</deadline>"
        done = 1 }
     { print }' "$LP_RULES_DIR/schemes/JP-EPI.xml" > "$rules2/schemes/JP-EPI.xml"
nurse="$abs_srcdir/careers/filipino-nurse-japan.xml"
LC_ALL=C "$CALC" --rules "$rules2" "$nurse" > smoke-claims-two.tmp
LC_ALL=C "$CALC" --rules "$rules2" --format html "$nurse" > smoke-claims-two-html.tmp
sed -n '/^  Japan: Employees/,/^$/p' smoke-claims-two.tmp > smoke-claims-two-jp.tmp
for want in '^  Where        - Japan Pension Service (by post, from your home country)$' \
            '^               - Test office two$' \
            '^  Form         - Application for the Lump-sum Withdrawal Payments' \
            '^               - Test form two$' \
            '^               https://form-two.example/$' \
            '^  By when      - Within 2 years of leaving Japan' \
            '^               - Test deadline two$'; do
    grep -q -- "$want" smoke-claims-two-jp.tmp ||
        { echo "FAIL several items: not in the text report: $want"; failures=$((failures + 1)); }
done
# the second office after the first, in the same list
tr -d '\n' < smoke-claims-two-html.tmp | sed 's/> *</></g' |
    grep -q '<dd><ul><li>Japan Pension Service (by post, from your home country)</li><li>Test office two</li></ul></dd>' ||
    { echo "FAIL several items: the HTML report does not list both offices"; failures=$((failures + 1)); }
tr -d '\n' < smoke-claims-two-html.tmp | sed 's/> *</></g' | grep -q '<li><strong>Test deadline two</strong></li>' ||
    { echo "FAIL several items: the HTML report does not list the second deadline"; failures=$((failures + 1)); }
rm -rf "$rules2" smoke-claims-two.tmp smoke-claims-two-html.tmp smoke-claims-two-jp.tmp
echo "ok several offices, forms and deadlines: all shown, in both reports"
finish
