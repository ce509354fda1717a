#!/bin/sh
# --batch on the cohort (one record in it is broken on purpose: exit 1, one
# error row, every other record computed) and on the careers folder.
. "${srcdir:-.}/smoke-lib.sh"
expect batch-cohort.csv 1 "$CALC" --batch --jobs 4 careers/cohort.xml
expect batch-cohort.xml 1 "$CALC" --batch --jobs 3 --format xml careers/cohort.xml
expect batch-careers.csv 1 "$CALC" --batch careers
# the same rows whatever the number of threads
if [ -z "$LP_REGEN" ]; then
    (cd "$abs_srcdir" && LP_RULES_DIR=../rules "$CALC" --batch --jobs 1 careers/cohort.xml 2>&1) | normalise > smoke-batch-j1.tmp
    if ! cmp -s "$abs_srcdir/expected/batch-cohort.csv" smoke-batch-j1.tmp; then
        echo "FAIL: --jobs 1 and --jobs 4 differ"; failures=$((failures + 1))
    fi
    rm -f smoke-batch-j1.tmp
fi
# a folder with no history file was an empty batch and success: it is said,
# exit 1 (csv and html alike)
rm -rf smoke-batch-empty.d
mkdir smoke-batch-empty.d
"$CALC" --batch smoke-batch-empty.d > /dev/null 2> smoke-batch-empty.err
rc=$?
[ "$rc" = 1 ] || { echo "FAIL: an empty folder gives exit $rc, expected 1"; failures=$((failures + 1)); }
grep -q 'smoke-batch-empty.d: no history files' smoke-batch-empty.err ||
    { echo "FAIL: an empty folder is not said"; failures=$((failures + 1)); }
"$CALC" --batch --format html --output-dir smoke-batch-empty.out smoke-batch-empty.d > /dev/null 2>&1
rc=$?
[ "$rc" = 1 ] || { echo "FAIL: an empty folder (html) gives exit $rc, expected 1"; failures=$((failures + 1)); }
rm -rf smoke-batch-empty.d smoke-batch-empty.out smoke-batch-empty.err
finish
