#!/bin/sh
# The text report and the result XML of every bundled career.
. "${srcdir:-.}/smoke-lib.sh"
for f in "$abs_srcdir"/careers/*.xml; do
    c=$(basename "$f" .xml)
    [ "$c" = cohort ] && continue
    # exit 3: the report is complete but a scheme cannot be computed (the nurse's
    # EPI pension: revaluation rates not found, rules/schemes/JP-EPI.xml)
    want=0; [ "$c" = filipino-nurse-japan ] && want=3
    expect "$c.txt" $want "$CALC" "careers/$c.xml"
    expect "$c.xml" $want "$CALC" --format xml "careers/$c.xml"
done
finish
