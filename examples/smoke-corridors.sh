#!/bin/sh
# Page 1's corridors (issue 18): for each pair of countries of a career, the
# agreement in force between them and what it changes for the worker, or what
# its absence means, from the rule data only. The text report and the HTML
# report print the same model (examples/calc/corridors.c); an agreement not yet
# in force, one that has ended, and one the rules do not hold are each said so,
# and the periods they would have added are then said not to count.
. "${srcdir:-.}/smoke-lib.sh"

# The corridors block of a text report, one sentence a line: each corridor's
# lines joined (its headline and notes wrap at the same indentation), then cut
# after each full stop that a capital follows.
corridor_lines() {
    sed -n '/^Agreements between the countries of your career$/,/^$/p' "$1" | sed -e '1d' -e '/^$/d' |
        awk '/^  \* / { if (s) print s; s = substr($0, 5); next }
             { sub(/^ +/, ""); s = s " " $0 }
             END { if (s) print s }' |
        sed 's/\. \([A-Z]\)/.\
\1/g'
}

check() {   # check FILE TEXT WHAT: TEXT is a line of FILE's corridors
    corridor_lines "$1" | grep -qxF -- "$2" ||
        { echo "FAIL $3: not said: $2"; failures=$((failures + 1)); }
}

# every career: each corridor line of the text report is in the HTML report
for f in "$abs_srcdir"/careers/*.xml; do
    c=$(basename "$f" .xml)
    [ "$c" = cohort ] && continue
    LC_ALL=C "$CALC" "$f" > "smoke-$c-corr.tmp" 2>/dev/null
    LC_ALL=C "$CALC" --format html "$f" 2>/dev/null | tr -s ' \n' '  ' > "smoke-$c-corr-html.tmp"
    n=0
    corridor_lines "smoke-$c-corr.tmp" > "smoke-$c-corr-lines.tmp"
    while IFS= read -r line; do
        n=$((n + 1))
        want=$(printf '%s' "$line" | sed -e "s/&/\&amp;/g")
        grep -qF -- "$want" "smoke-$c-corr-html.tmp" ||
            { echo "FAIL $c: the corridor line is not in the HTML report: $line"; failures=$((failures + 1)); }
    done < "smoke-$c-corr-lines.tmp"
    [ "$n" -gt 0 ] || { echo "FAIL $c: no corridor on page 1"; failures=$((failures + 1)); }
    echo "ok $c: $n corridor line(s) in both reports"
    rm -f "smoke-$c-corr.tmp" "smoke-$c-corr-html.tmp" "smoke-$c-corr-lines.tmp"
done

# Japan-Philippines (rules/agreements/JP-PH.xml: in force 2018-08-01) for the
# nurse in Japan (60 months in Japan's two schemes, 114 in the SSS, claim
# 2025-06-01): 60 + 114 = 174 months counted by each side, the Japanese
# pensions paid to her in the Philippines (the agreement's export clauses).
nurse="$abs_srcdir/careers/filipino-nurse-japan.xml"
LC_ALL=C "$CALC" "$nurse" > smoke-corr-jp.tmp
check smoke-corr-jp.tmp "A social-security agreement between Japan and the Philippines has been in force since 1 August 2018." in-force
check smoke-corr-jp.tmp "Your periods in the Philippines are added to your 60 months under National Pension (Japan): 174 months in all, and with them you qualify for its pension." in-force
check smoke-corr-jp.tmp "Your periods in Japan are added to your 114 months under Social Security System (Philippines): 174 months in all, and with them you qualify for its pension." in-force
check smoke-corr-jp.tmp "Under it, these pensions are paid to you while you live in the Philippines: Employees' Pension Insurance (Japan); National Pension (Japan)." in-force

# the same career claimed the day before the agreement came into force
sed 's/<claim benefit="old-age" date="[0-9-]*"/<claim benefit="old-age" date="2018-07-31"/' "$nurse" > smoke-corr-early.xml
grep -q 'date="2018-07-31"' smoke-corr-early.xml || { echo "FAIL: the claim date was not changed"; failures=$((failures + 1)); }
LC_ALL=C "$CALC" smoke-corr-early.xml > smoke-corr-early.tmp 2>/dev/null
check smoke-corr-early.tmp "The social-security agreement between Japan and the Philippines comes into force on 1 August 2018, after this claim." not-yet
check smoke-corr-early.tmp "Your periods in Japan do not count towards a pension from Social Security System (Philippines)." not-yet
check smoke-corr-early.tmp "Your periods in the Philippines do not count towards a pension from National Pension (Japan)." not-yet

# a copy of the rules in which the agreement ended before the claim, and one without it
rules2=smoke-corr-rules.tmp
rm -rf "$rules2"
cp -R "$LP_RULES_DIR" "$rules2"
sed 's/in-force="2018-08-01">/in-force="2018-08-01" terminated="2020-12-31">/' \
    "$LP_RULES_DIR/agreements/JP-PH.xml" > "$rules2/agreements/JP-PH.xml"
LC_ALL=C "$CALC" --rules "$rules2" "$nurse" > smoke-corr-ended.tmp 2>/dev/null
check smoke-corr-ended.tmp "The social-security agreement between Japan and the Philippines ended on 31 December 2020, before this claim." ended
check smoke-corr-ended.tmp "Your periods in Japan do not count towards a pension from Social Security System (Philippines)." ended
rm -f "$rules2/agreements/JP-PH.xml"
LC_ALL=C "$CALC" --rules "$rules2" "$nurse" > smoke-corr-none.tmp 2>/dev/null
check smoke-corr-none.tmp "There is no social-security agreement between Japan and the Philippines in the rules this report uses." none
check smoke-corr-none.tmp "Your periods in the Philippines do not count towards a pension from Employees' Pension Insurance (Japan)." none

# a career in a country with no agreement towards the worker's own (no periods there)
LC_ALL=C "$CALC" "$abs_srcdir/careers/myanmar-worker-thailand.xml" > smoke-corr-mm.tmp
check smoke-corr-mm.tmp "There is no social-security agreement between Thailand and Myanmar in the rules this report uses." nationality
check smoke-corr-mm.tmp "Your periods in Thailand will not count towards a pension in Myanmar." nationality
# lump sums only on both sides
LC_ALL=C "$CALC" "$abs_srcdir/careers/indonesian-domestic-worker-saudi-hong-kong.xml" > smoke-corr-sa.tmp
check smoke-corr-sa.tmp "Each country counts only the periods worked there." lump-sums-only
# three agreements, one of which changes nothing for this worker
LC_ALL=C "$CALC" "$abs_srcdir/careers/korean-engineer-us-canada.xml" > smoke-corr-kr.tmp
check smoke-corr-kr.tmp "It changes nothing in what you are owed for this career." nothing-changes

# in the report's language: Indonesian and Filipino
LC_ALL=C "$CALC" --lang id "$abs_srcdir/careers/myanmar-worker-thailand.xml" > smoke-corr-id.tmp
grep -q 'Masa iur Anda di Thailand tidak akan dihitung untuk pensiun di Myanmar' smoke-corr-id.tmp ||
    { echo "FAIL id: the corridor is not in Indonesian"; failures=$((failures + 1)); }
LC_ALL=C "$CALC" --lang fil "$nurse" > smoke-corr-fil.tmp
grep -q '^  \* May kasunduan sa social security sa pagitan ng Hapon at Pilipinas' smoke-corr-fil.tmp ||
    { echo "FAIL fil: the corridor is not in Filipino"; failures=$((failures + 1)); }

rm -rf "$rules2" smoke-corr-*.tmp smoke-corr-early.xml
echo "ok corridors: in force, not yet, ended, none, towards the nationality, lump sums only, nothing changed"
finish
