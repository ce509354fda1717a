#!/bin/sh
# The report in the worker's language (issue 19): every bundled career rendered
# with --lang id and --lang fil, as text and as HTML, has page 1 in that language
# (the catalogues po/id.po and po/fil.po): the heading, the country names
# (iso-codes), the words of each pension and lump sum, numbers and dates as the
# language writes them; LANG chooses the language when --lang is not given; an
# unknown --lang value is refused.
. "${srcdir:-.}/smoke-lib.sh"

check() {   # check LABEL FILE PATTERN: FILE must contain PATTERN (fixed string)
    grep -qF -- "$3" "$2" || { echo "FAIL $1: no '$3'"; failures=$((failures + 1)); }
}
check_not() {
    if grep -qF -- "$3" "$2"; then echo "FAIL $1: '$3' is still in English"; failures=$((failures + 1)); fi
}

for f in "$abs_srcdir"/careers/*.xml; do
    c=$(basename "$f" .xml)
    [ "$c" = cohort ] && continue
    for l in id fil; do
        "$CALC" --lang $l "$f" > "smoke-lang-$c-$l.tmp" 2>/dev/null
        "$CALC" --lang $l --format html "$f" > "smoke-lang-$c-$l-html.tmp" 2>/dev/null
        for out in "smoke-lang-$c-$l.tmp" "smoke-lang-$c-$l-html.tmp"; do
            case $l in
            id) check "$c $l" "$out" "Hak Anda dari setiap negara"
                check "$c $l" "$out" "Cara setiap angka dihitung" ;;
            fil) check "$c $l" "$out" "Ang matatanggap mo mula sa bawat bansa"
                 check "$c $l" "$out" "Paano kinalkula ang bawat halaga" ;;
            esac
            check_not "$c $l" "$out" "What you are owed by each country"
            check_not "$c $l" "$out" "Pension:"
            check_not "$c $l" "$out" "One-time payment"
            check_not "$c $l" "$out" "you can claim it now"
        done
    done
    echo "ok $c: page 1 in id and fil"
done

# Figures, dates and country names per language (hand-checked against the
# English report: the National Pension's 103,963 JPY a year, the Employees'
# Pension's 95,983, the lump sum 868,000 / 690,755 JPY).
n=careers/filipino-nurse-japan
"$CALC" --lang id "$abs_srcdir/$n.xml" > smoke-lang-id.tmp
"$CALC" --lang fil "$abs_srcdir/$n.xml" > smoke-lang-fil.tmp
LANG=id_ID.UTF-8 LC_MESSAGES= LC_ALL= "$CALC" "$abs_srcdir/$n.xml" > smoke-lang-env.tmp
check "id" smoke-lang-id.tmp "Pensiun: 103.963 JPY per tahun, mulai 1 Juni 2025."
check "id" smoke-lang-id.tmp "Pensiun: 95.983 JPY per tahun"

check "id" smoke-lang-id.tmp "Pensiun: 4.744,83 PHP per bulan"
check "id" smoke-lang-id.tmp "868.000 JPY sebelum pajak, 690.755 JPY"
check "id" smoke-lang-id.tmp "Jepang"
check "id" smoke-lang-id.tmp "Batas waktu  Within 2 years of leaving Japan"
check "fil" smoke-lang-fil.tmp "Pensiyon: 103,963 JPY kada taon, simula Hunyo 1, 2025."
check "fil" smoke-lang-fil.tmp "Hapon"
check "LANG" smoke-lang-env.tmp "Pensiun: 103.963 JPY per tahun"
# A payment the rules cannot compute is said, translated (the Korean refund: no
# deposit rate for 2016-2021 in the rule set).
"$CALC" --lang id "$abs_srcdir/careers/vietnamese-eps-worker-korea.xml" > smoke-lang-vn-id.tmp
check "id" smoke-lang-vn-id.tmp "Pembayaran sekaligus (refund) belum dapat dihitung"
status_of() { "$@" >/dev/null 2>&1; echo $?; }
[ "$(status_of "$CALC" --lang 'x1' "$abs_srcdir/$n.xml")" = 2 ] ||
    { echo "FAIL: --lang x1 is not refused"; failures=$((failures + 1)); }
# A language without a catalogue falls back to English.
"$CALC" --lang sw "$abs_srcdir/$n.xml" > smoke-lang-sw.tmp 2> smoke-lang-sw-err.tmp
check "sw" smoke-lang-sw.tmp "Pension: 103,963 JPY a year, from 1 June 2025."
# ... and says so, on stderr (the report is unchanged)
check "sw-notice" smoke-lang-sw-err.tmp "no translation into 'sw': the report is in English"
"$CALC" --lang id "$abs_srcdir/$n.xml" > /dev/null 2> smoke-lang-id-err.tmp
if grep -qF "no translation" smoke-lang-id-err.tmp; then echo "FAIL id: a notice for a translated language"; failures=$((failures + 1)); fi
# its own files only: smoke-corridors.sh runs alongside with files of its own
rm -f smoke-lang-*.tmp
finish
