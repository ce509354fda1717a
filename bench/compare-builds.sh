#!/bin/sh
# Same careers, two builds, byte-identical output? A check for optimisations
# (doc/performance.md): a faster build must compute exactly what the old one did.
#   bench/compare-builds.sh OLD-BUILD-DIR NEW-BUILD-DIR RULES-DIR [N]
# Each build directory is a configured and built tree (bench/lp-bench built in
# NEW with `make bench/lp-bench`). Writes N careers (default 20000) of the
# benchmark's population with NEW's lp-bench, runs portability-calc --batch of
# both builds on them (XML; and with --trace on the first 1000), and compares
# the outputs byte for byte. Exit status 0 when they agree.
#   OLD_RULES=DIR bench/compare-builds.sh ...: OLD runs on the rule set in DIR
# (a rule rewritten in new language: the old build cannot read the new rules).
# The results are then compared without their rules digest, and the traces,
# which show the formulas' text, are not compared.
set -e
old=$(cd "$1" && pwd)
new=$(cd "$2" && pwd)
rules=$(cd "$3" && pwd)
old_rules=$(cd "${OLD_RULES:-$3}" && pwd)
n=${4:-20000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lp-compare.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
run() {   # run BUILD-DIR PROGRAM ARGS...
    dir=$1; shift
    LD_LIBRARY_PATH="$dir/libportability/.libs" "$@"
}
run "$new" "$new/bench/lp-bench" batch-input "$rules" "$tmp/careers.xml" "$n"
run "$new" "$new/bench/lp-bench" batch-input "$rules" "$tmp/traced.xml" 1000
status=0
# exit 3 (a scheme could not be computed for a career) still wrote every
# result: only 1 and 2 stop the comparison
calc() {   # calc BUILD-DIR OUT ARGS...
    dir=$1; out=$2; shift 2
    rc=0
    run "$dir" "$dir/examples/portability-calc" "$@" > "$out" || rc=$?
    [ "$rc" = 0 ] || [ "$rc" = 3 ] || { echo "compare-builds: $dir exited $rc" >&2; exit 2; }
}
for b in old new; do
    eval dir=\$$b
    r=$rules
    [ $b = new ] || r=$old_rules
    calc "$dir" "$tmp/$b.xml" --batch --rules "$r" --format xml "$tmp/careers.xml"
    [ "$old_rules" != "$rules" ] ||
        calc "$dir" "$tmp/$b-trace.xml" --batch --trace --rules "$r" --format xml "$tmp/traced.xml"
done
traces=-trace
if [ "$old_rules" != "$rules" ]; then
    for b in old new; do
        sed 's/rules-digest="[^"]*"//' "$tmp/$b.xml" > "$tmp/$b.cut" && mv "$tmp/$b.cut" "$tmp/$b.xml"
    done
    traces=
    echo "compare-builds: two rule sets: results compared without their rules digest; traces not compared"
fi
for f in "" $traces; do
    if cmp -s "$tmp/old$f.xml" "$tmp/new$f.xml"; then
        echo "compare-builds: identical${f:+ (with the trace)}: $(wc -c < "$tmp/new$f.xml") bytes of results"
    else
        echo "compare-builds: the builds differ${f:+ (with the trace)}:"
        cmp "$tmp/old$f.xml" "$tmp/new$f.xml" || true
        status=1
    fi
done
exit $status
