#!/bin/sh
# `make bench` (doc/performance.md): every figure of issue 10 in one run.
#   run-bench.sh LP-BENCH RULES-DIR
# Writes the baseline careers, times the plain Python baseline on them with
# /usr/bin/python3 (override: PYTHON_BASELINE), then runs lp-bench, which
# times lp_calc, the hand-written GMP function, the rule-set load and the
# streaming batches, and prints the table. Scratch files (up to about 1.5 GB
# for the 1,000,000-career batch) go to a temporary directory under $TMPDIR,
# removed at the end. Sizes: see the environment variables in bench/lp-bench.c.
set -e
bench=$1
rules=$2
here=$(cd "$(dirname "$0")" && pwd)
python=${PYTHON_BASELINE:-/usr/bin/python3}
n=${LP_BENCH_BASELINE:-20000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lp-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
"$bench" baseline-input "$rules" "$tmp/baseline.txt" "$n"
if [ -x "$python" ]; then
    "$python" "$here/baseline.py" "$tmp/baseline.txt" > "$tmp/python.txt"
else
    echo "run-bench.sh: $python not found: the Python baseline is skipped" >&2
fi
"$bench" run "$rules" "$tmp" "$tmp/python.txt"
