#!/bin/sh
# Set up a fresh machine and run the whole test suite:
#   install the Debian packages, build out of tree in _build/, run `make check`
#   (C, Python, rule-set validation, calculator smoke tests, exports, headers),
#   then the same suite under AddressSanitizer+UBSan and under valgrind when
#   LP_FULL_CHECK=1 (as CI does). Prints one last line: "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
jobs=$(nproc 2>/dev/null || echo 2)

"$top/scripts/install-deps.sh" || { echo "0 passed, 1 failed"; exit 1; }
[ -x configure ] || ./autogen.sh >/dev/null || { echo "0 passed, 1 failed"; exit 1; }

status=0
built=""
run_build() { # name, configure args..., then the make targets in $TARGETS
    name=$1; shift
    dir="$top/_build/$name"
    mkdir -p "$dir"
    find "$dir" -name 'test-suite*.log' -delete 2>/dev/null
    built="$built $dir"
    ( cd "$dir" && "$top/configure" -q --enable-werror "$@" >/dev/null && make -s -j"$jobs" >/dev/null ) ||
        { echo "build $name failed"; status=1; return; }
    # -k: a failing directory (examples/) must not hide the tests after it
    for t in $TARGETS; do
        ( cd "$dir" && make -s -k -j"$jobs" "$t" ) || status=1
    done
}

TARGETS=check run_build main PYTHON=/usr/bin/python3
if [ "${LP_FULL_CHECK:-0}" = 1 ]; then
    TARGETS=check run_build asan --enable-sanitizers --disable-python CC=gcc
    TARGETS="check-valgrind-memcheck check-helgrind-threads" run_build valgrind --disable-python
fi

# Sum the automake summaries of the test-suite logs of this run's builds (each
# SUBDIRS directory writes one; other trees under _build/ are not counted).
passed=0; failed=0
for log in $(find $built -name 'test-suite*.log' 2>/dev/null); do
    p=$(sed -n 's/^# PASS: *//p' "$log" | head -n1)
    f=$(sed -n 's/^# FAIL: *//p' "$log" | head -n1)
    e=$(sed -n 's/^# ERROR: *//p' "$log" | head -n1)
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0} + ${e:-0}))
done
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
