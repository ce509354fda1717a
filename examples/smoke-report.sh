#!/bin/sh
# The text report and the result XML of every bundled career.
. "${srcdir:-.}/smoke-lib.sh"
for f in "$abs_srcdir"/careers/*.xml; do
    c=$(basename "$f" .xml)
    [ "$c" = cohort ] && continue
    expect "$c.txt" 0 "$CALC" "careers/$c.xml"
    expect "$c.xml" 0 "$CALC" --format xml "careers/$c.xml"
done
finish
