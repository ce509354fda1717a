#!/bin/sh
# make check-browser (issue 19; not part of make check): print each bundled
# career's HTML report to PDF in headless Chromium, as a caseworker would print
# it on A4, and check page 1 as printed: it says what each country pays and how
# much (the summary), where and by when to claim when the rules have a claim
# procedure for the career, and it shows no rule id, exact fraction, grade or
# boolean.
# Each career is printed in English, Bahasa Indonesia and Filipino (--lang en,
# id, fil); page 1 is saved as doc/report/<career>.png, <career>.id.png and
# <career>.fil.png for review. Page 1 must show no scheme id, status or method
# word either.
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

# The page-1 heading and the claims heading in each language (po/*.po).
title_en='What you are owed by each country'; claim_en='Where and when to claim'
title_id='Hak Anda dari setiap negara'; claim_id='Di mana dan kapan mengajukan klaim'
title_fil='Ang matatanggap mo mula sa bawat bansa'; claim_fil='Saan at kailan mag-claim'

for f in "$abs_srcdir"/careers/*.xml; do
    c=$(basename "$f" .xml)
    [ "$c" = cohort ] && continue
    LC_ALL=C "$CALC" "$f" > "smoke-$c-browser.tmp" 2>/dev/null
  for l in en id fil; do
    eval "title=\$title_$l; claim=\$claim_$l"
    png="$OUT/$c.png"; [ "$l" = en ] || png="$OUT/$c.$l.png"
    LC_ALL=C "$CALC" --lang $l --format html "$f" > "report-$c.html" 2>/dev/null
    rm -f "report-$c.pdf"
    timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
        --no-pdf-header-footer --print-to-pdf="$PWD/report-$c.pdf" "file://$PWD/report-$c.html" \
        >/dev/null 2>&1
    if [ ! -s "report-$c.pdf" ]; then
        echo "FAIL $c ($l): Chromium printed no PDF"; failures=$((failures + 1)); continue
    fi
    page1=$(pdftotext -f 1 -l 1 -layout "report-$c.pdf" - | tr -s ' ')
    bad=0
    fail() { echo "FAIL $c ($l): page 1 $1"; bad=1; }
    printf '%s' "$page1" | grep -qF "$title" || fail "has no heading '$title'"
    # something paid or payable: page 1 shows an amount with its currency
    if grep -Eq '^  \* (Pension|One-time payment).*[0-9] [A-Z]{3}' "smoke-$c-browser.tmp"; then
        printf '%s' "$page1" | grep -Eq '[0-9] ?[A-Z]{3}' || fail "shows no amount"
    fi
    if grep -q '^Where and when to claim$' "smoke-$c-browser.tmp"; then
        pages12=$(pdftotext -f 1 -l 2 -layout "report-$c.pdf" - | tr -s ' ')
        printf '%s' "$pages12" | sed '/How each figure\|Cara setiap\|Paano kinalkula/,$d' |
            grep -qF "$claim" || fail "(or 2) does not say where to claim before the appendix"
    fi
    printf '%s' "$page1" | grep -Eq 'define/|eligible\[|amount\[|\[periods=' && fail "shows a rule id"
    printf '%s' "$page1" | grep -v 'https\?://' | grep -Eq '(^|[^A-Za-z0-9])[A-Z]{2}-[A-Z]{2,}[A-Z0-9-]*' &&
        fail "shows a scheme id"
    printf '%s' "$page1" | grep -Eqw 'not-covered|not-eligible|cannot-compute|pro-rata|independent' &&
        fail "shows a status or method id"
    # (a law's number and year, "Law 8/1980" in a scheme's title, is not a fraction)
    printf '%s' "$page1" | grep -v 'https\?://' | sed -E 's#[0-9]+/(19|20)[0-9]{2}##g' |
        grep -Eq '(^|[^0-9/.-])[0-9]+/[0-9]+([^0-9/-]|$)' && fail "shows a fraction"
    printf '%s' "$page1" | grep -Eqi 'grade [ABCD]|\(grade|, [ABCD]\)' && fail "shows a grade"
    printf '%s' "$page1" | grep -Eqw 'true|false' && fail "shows a boolean"
    pdftoppm -f 1 -l 1 -r 60 -png "report-$c.pdf" "smoke-$c-page"
    mv "smoke-$c-page-1.png" "$png" 2>/dev/null || mv "smoke-$c-page-01.png" "$png"
    [ "$bad" -eq 0 ] && echo "ok $c ($l): page 1 as printed ($(basename "$png"))"
    failures=$((failures + bad))
    rm -f "report-$c.html" "report-$c.pdf"
  done
    rm -f "smoke-$c-browser.tmp"
done
finish
