#!/bin/sh
# make check-browser (issue 19; not part of make check): print each bundled
# career's HTML report to PDF in headless Chromium, as a caseworker would print
# it on A4, and check page 1 as printed: it says what each country pays and how
# much (the summary), where and by when to claim when the rules have a claim
# procedure for the career, and it shows no rule id, exact fraction, grade or
# boolean.
# Page 1 of each is saved as doc/report/<career>.png for review.
# Needs Debian's chromium and poppler-utils (scripts/install-deps.sh --browser).
. "${srcdir:-.}/smoke-lib.sh"
OUT=${CHECK_BROWSER_OUT:-$abs_srcdir/../doc/report}
for tool in chromium pdftotext pdftoppm; do
    command -v $tool >/dev/null 2>&1 ||
        { echo "check-browser: $tool not found: scripts/install-deps.sh --browser"; exit 1; }
done
mkdir -p "$OUT"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

for f in "$abs_srcdir"/careers/*.xml; do
    c=$(basename "$f" .xml)
    [ "$c" = cohort ] && continue
    LC_ALL=C "$CALC" --format html "$f" > "report-$c.html" 2>/dev/null
    LC_ALL=C "$CALC" "$f" > "smoke-$c-browser.tmp" 2>/dev/null
    rm -f "report-$c.pdf"
    timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
        --no-pdf-header-footer --print-to-pdf="$PWD/report-$c.pdf" "file://$PWD/report-$c.html" \
        >/dev/null 2>&1
    if [ ! -s "report-$c.pdf" ]; then
        echo "FAIL $c: Chromium printed no PDF"; failures=$((failures + 1)); continue
    fi
    page1=$(pdftotext -f 1 -l 1 -layout "report-$c.pdf" - | tr -s ' ')
    bad=0
    fail() { echo "FAIL $c: page 1 $1"; bad=1; }
    printf '%s' "$page1" | grep -q 'Summary: what each country pays' || fail "has no summary"
    if grep -q '^  [A-Z][A-Z] *[A-Z][A-Z]-[A-Z0-9-]* *[0-9][0-9,.]* [A-Z][A-Z][A-Z] ' "smoke-$c-browser.tmp"; then
        printf '%s' "$page1" | grep -Eq '[0-9] ?[A-Z]{3}' || fail "shows no amount"
    fi
    if grep -q '^WHERE AND WHEN TO CLAIM$' "smoke-$c-browser.tmp"; then
        printf '%s' "$page1" | grep -q 'Where and when to claim' || fail "does not say where to claim"
        if grep -q '^  By when ' "smoke-$c-browser.tmp"; then
            printf '%s' "$page1" | grep -q 'By when' || fail "does not say by when"
        fi
    fi
    printf '%s' "$page1" | grep -Eq 'define/|eligible\[|amount\[|\[periods=' && fail "shows a rule id"
    printf '%s' "$page1" | grep -v 'https\?://' | grep -Eq '(^|[^0-9/.-])[0-9]+/[0-9]+([^0-9/-]|$)' &&
        fail "shows a fraction"
    printf '%s' "$page1" | grep -Eqi 'grade [ABCD]|\(grade|, [ABCD]\)' && fail "shows a grade"
    printf '%s' "$page1" | grep -Eqw 'true|false' && fail "shows a boolean"
    pdftoppm -f 1 -l 1 -r 60 -png "report-$c.pdf" "smoke-$c-page"
    mv "smoke-$c-page-1.png" "$OUT/$c.png" 2>/dev/null || mv "smoke-$c-page-01.png" "$OUT/$c.png"
    [ "$bad" -eq 0 ] && echo "ok $c: page 1 as printed (doc/report/$c.png)"
    failures=$((failures + bad))
    rm -f "report-$c.html" "report-$c.pdf" "smoke-$c-browser.tmp"
done
finish
