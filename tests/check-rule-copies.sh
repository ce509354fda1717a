#!/bin/sh
# Test rule sets that copy a shipped formula word for word (so that a case can
# exercise it with other data) still hold the shipped text: the JP weighted
# wage of rules/schemes/ID-JP.xml in the ID-JP cases' textbook schemes.
set -e
cases="$srcdir/data/cases"
shipped="$top_srcdir/rules/schemes/ID-JP.xml"
# the text of a define, or of a series, from its opening tag to its closing one
# (a define's formula only: its cite may name the copy's own sources)
extract() { # file kind id
    awk -v o="<$2 id=\"$3\"" -v c="</$2>" -v kind="$2" '
        index($0, o) { on = 1; if (kind == "define") sub(/^[^>]*>/, "") }
        on { print }
        on && index($0, c) { exit }' "$1"
}
echo "1..1"
bad=0
for copy in "$cases/id-2-jp-slides-weighted-wage/rules/XI.xml" \
            "$cases/id-jp-weighted-wage-bps-inflation/rules/XJ.xml" \
            "$cases/id-jp-weighted-wage-inflation-missing/rules/XJ.xml"; do
    for d in weighted_wages_total average_weighted_wage; do
        if [ "$(extract "$shipped" define $d)" != "$(extract "$copy" define $d)" ] ||
           [ -z "$(extract "$copy" define $d)" ]; then
            echo "# $copy: define $d is not the text of $shipped"; bad=1
        fi
    done
done
for copy in "$cases/id-jp-weighted-wage-bps-inflation/rules/XJ.xml" \
            "$cases/id-jp-weighted-wage-inflation-missing/rules/XJ.xml"; do
    if [ "$(extract "$shipped" series inflation)" != "$(extract "$copy" series inflation)" ]; then
        echo "# $copy: series inflation is not the one of $shipped"; bad=1
    fi
done
if [ $bad = 0 ]; then
    echo "ok 1 - the ID-JP test rule sets copy the shipped weighted wage word for word"
else
    echo "not ok 1 - a test rule set's copy of the shipped ID-JP formula has drifted"
    exit 1
fi
