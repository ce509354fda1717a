#!/bin/sh
# A batch of 1,000 histories with one broken file yields 999 results and one
# error row naming the file and line; the same with a 1,000-history stream.
. "${srcdir:-.}/smoke-lib.sh"
dir=batch-1000
rm -rf "$dir"; mkdir -p "$dir/files"
i=0
{
echo '<?xml version="1.0" encoding="UTF-8"?>'
echo '<histories xmlns="urn:libportability:history:1">'
} > "$dir/stream.xml"
while [ $i -lt 1000 ]; do
    n=$(printf '%04d' $i)
    y=$((2008 + i % 6)); m=$((1 + i % 12)); m=$(printf '%02d' $m)
    body="  <person birth-date=\"1960-$m-15\" nationality=\"PH\" residence=\"PH\"/>
  <claim benefit=\"old-age\" date=\"2025-06-01\"/>
  <period scheme=\"PH-SSS\" from=\"$y-01-01\" to=\"2016-12-31\" kind=\"contribution\">
    <earnings per=\"month\" currency=\"PHP\">$((10000 + i * 10))</earnings>
  </period>
  <period scheme=\"JP-EPI\" from=\"2017-$m-01\" to=\"2021-03-31\" kind=\"employment\">
    <earnings per=\"month\" currency=\"JPY\">$((200000 + i * 100))</earnings>
  </period>
  <period scheme=\"JP-NP\" from=\"2017-$m-01\" to=\"2021-03-31\" kind=\"employment\"/>"
    if [ $i -eq 500 ]; then
        # broken: a period that ends before it starts
        body="  <person birth-date=\"1960-01-15\" nationality=\"PH\" residence=\"PH\"/>
  <claim benefit=\"old-age\" date=\"2025-06-01\"/>
  <period scheme=\"PH-SSS\" from=\"2016-12-31\" to=\"2008-01-01\" kind=\"contribution\"/>"
    fi
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<history xmlns="urn:libportability:history:1" id="case-%s">\n%s\n</history>\n' "$n" "$body" > "$dir/files/case-$n.xml"
    printf '  <history id="case-%s">\n%s\n  </history>\n' "$n" "$body" >> "$dir/stream.xml"
    i=$((i + 1))
done
echo '</histories>' >> "$dir/stream.xml"

check() {
    what=$1; shift
    start=$(date +%s%N 2>/dev/null || echo 0)
    "$CALC" "$@" > "$dir/out.csv"
    rc=$?
    end=$(date +%s%N 2>/dev/null || echo 0)
    cases=$(tail -n +2 "$dir/out.csv" | grep -v ',error,' | cut -d, -f1 | sort -u | wc -l)
    errors=$(grep -c ',error,' "$dir/out.csv")
    ms=$(( (end - start) / 1000000 ))
    echo "$what: exit $rc, $cases histories computed, $errors error row(s), ${ms} ms"
    grep ',error,' "$dir/out.csv"
    [ "$rc" = 1 ] || { echo "FAIL $what: exit status $rc, expected 1"; failures=$((failures + 1)); }
    [ "$cases" = 999 ] || { echo "FAIL $what: $cases results, expected 999"; failures=$((failures + 1)); }
    [ "$errors" = 1 ] || { echo "FAIL $what: $errors error rows, expected 1"; failures=$((failures + 1)); }
    grep ',error,' "$dir/out.csv" | grep -q '\.xml:[0-9][0-9]*:[0-9][0-9]*: ' \
        || { echo "FAIL $what: the error row does not name file:line:column"; failures=$((failures + 1)); }
}
check "1,000 files, 4 jobs" --batch --jobs 4 "$dir/files"
check "1,000 files, 1 job" --batch --jobs 1 "$dir/files"
check "1,000-history stream, 4 jobs" --batch --jobs 4 "$dir/stream.xml"
rm -rf "$dir"
finish
