#!/bin/sh
# --batch --format html --output-dir DIR (issue 19): one report per career and an
# index page with one row per case (its id linking to its report, the
# countries, the status, what is payable); a history that cannot be read gets
# an error row and exit status 1; --format html without --output-dir is refused.
. "${srcdir:-.}/smoke-lib.sh"
out=smoke-batch-html.out
rm -rf "$out"
"$CALC" --batch --format html --output-dir "$out" "$abs_srcdir/careers/filipino-nurse-germany.xml" \
    "$abs_srcdir/careers/indonesian-domestic-worker-saudi-hong-kong.xml" > /dev/null 2>&1
rc=$?
[ "$rc" = 0 ] || { echo "FAIL: exit $rc, expected 0"; failures=$((failures + 1)); }
for c in filipino-nurse-germany indonesian-domestic-worker-saudi-hong-kong; do
    [ -s "$out/$c.html" ] || { echo "FAIL: no $c.html"; failures=$((failures + 1)); }
    grep -q "<a href=\"$c.html\">$c</a>" "$out/index.html" ||
        { echo "FAIL: the index does not link $c"; failures=$((failures + 1)); }
done
grep -q 'What you are owed by each country' "$out/filipino-nurse-germany.html" ||
    { echo "FAIL: the report is not the single-career report"; failures=$((failures + 1)); }
grep -q '<td>Germany, Philippines</td>' "$out/index.html" ||
    { echo "FAIL: the index has no countries"; failures=$((failures + 1)); }
grep -q 'Pension: 325.88 EUR a month' "$out/index.html" ||
    { echo "FAIL: the index has no payable amount"; failures=$((failures + 1)); }
[ "$(grep -c '<tr>' "$out/index.html")" = 3 ] ||
    { echo "FAIL: the index has not one row per case"; failures=$((failures + 1)); }
# a <histories> file is not a history file: an error row, exit 1
"$CALC" --batch --format html --output-dir "$out" "$abs_srcdir/careers/cohort.xml" > /dev/null 2>&1
rc=$?
[ "$rc" = 1 ] || { echo "FAIL: a bad input gives exit $rc, expected 1"; failures=$((failures + 1)); }
grep -q '<td>error</td>' "$out/index.html" || { echo "FAIL: no error row"; failures=$((failures + 1)); }
"$CALC" --batch --format html "$abs_srcdir/careers/filipino-nurse-japan.xml" > /dev/null 2>&1
rc=$?
[ "$rc" = 2 ] || { echo "FAIL: no --output-dir gives exit $rc, expected 2"; failures=$((failures + 1)); }
rm -rf "$out"
# ids that read alike as file names ("a/b" and "a_b"), and a case called
# "index", each overwrote a report (and the index page): every case keeps its
# own report; a name ending in ".XML" is an error row, as for --batch csv
in=smoke-batch-html.in
rm -rf "$in"
mkdir "$in"
for pair in 1:a/b 2:a_b 3:index 4:INDEX; do
    sed "s|id=\"filipino-nurse-japan\"|id=\"${pair#*:}\"|" "$abs_srcdir/careers/filipino-nurse-japan.xml" \
        > "$in/${pair%%:*}.xml"
done
cp "$in/1.xml" "$in/5.XML"
"$CALC" --batch --format html --output-dir "$out" "$in" > /dev/null 2>&1
rc=$?
[ "$rc" = 1 ] || { echo "FAIL: a folder with a .XML name gives exit $rc, expected 1"; failures=$((failures + 1)); }
for f in a_b a_b-2 index-2 INDEX-3; do
    grep -q "<a href=\"$f.html\">" "$out/index.html" && [ -s "$out/$f.html" ] ||
        { echo "FAIL: no report $f.html linked from the index"; failures=$((failures + 1)); }
done
grep -q '<td>Case</td>\|<th>' "$out/index.html" ||
    { echo "FAIL: index.html was overwritten by a report"; failures=$((failures + 1)); }
grep -q 'lower case' "$out/index.html" || { echo "FAIL: 5.XML has no error row"; failures=$((failures + 1)); }
rm -rf "$out" "$in"
# a symbolic link planted in the output folder as a report or as index.html
# is not followed (the report overwrote the file it named)
rm -rf "$out" smoke-batch-html.victim
mkdir "$out"
echo keep > smoke-batch-html.victim
ln -s ../smoke-batch-html.victim "$out/index.html"
ln -s ../smoke-batch-html.victim "$out/filipino-nurse-japan.html"
"$CALC" --batch --format html --output-dir "$out" "$abs_srcdir/careers/filipino-nurse-japan.xml" > /dev/null 2>&1
rc=$?
[ "$rc" = 1 ] || { echo "FAIL: links in the output folder give exit $rc, expected 1"; failures=$((failures + 1)); }
[ "$(cat smoke-batch-html.victim)" = keep ] ||
    { echo "FAIL: a link in the output folder was followed"; failures=$((failures + 1)); }
rm -rf "$out" smoke-batch-html.victim
echo "ok batch html"
finish
