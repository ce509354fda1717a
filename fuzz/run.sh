#!/bin/sh
# Build the libFuzzer harnesses with clang (ASan + UBSan), separately from the
# gcc build, and run each for a while.
#
#   fuzz/run.sh [-b TOP_BUILDDIR] [-s SECONDS] [-j JOBS] [-n] [HARNESS...]
#
#   -b  a configured build tree (for config.h, portability/version.h and
#       libportability/schemas.c); default _build/main, or the make caller's
#   -s  seconds per harness (default 60; 0 builds only)
#   -j  libFuzzer -jobs/-workers (default 1)
#   -n  build only
#   HARNESS: ruleset formula history decimal rulegen batch (default: all six)
#
# Objects and binaries go to TOP_BUILDDIR/fuzz; corpora to
# TOP_BUILDDIR/fuzz/corpus/<harness> (seeded from rules/ and tests/data/ on
# the first run and kept between runs); crashes to TOP_BUILDDIR/fuzz/artifacts.
# A crash makes the script fail: fix it, then copy the input into
# fuzz/regressions/<harness>/ (replayed by `make check`, see fuzz/README.md).
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=$src/_build/main
seconds=60
jobs=1
build_only=0
while getopts b:s:j:n opt; do
    case $opt in
    b) build=$(cd "$OPTARG" && pwd) ;;
    s) seconds=$OPTARG ;;
    j) jobs=$OPTARG ;;
    n) build_only=1 ;;
    *) sed -n '2,20p' "$0"; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
harnesses=${*:-ruleset formula history decimal rulegen batch}
[ "$seconds" = 0 ] && build_only=1

CC=${FUZZ_CC:-clang}
out=$build/fuzz
mkdir -p "$out/obj" "$out/artifacts"
[ -f "$build/config.h" ] || { echo "fuzz/run.sh: $build is not a configured build tree (-b)" >&2; exit 2; }
[ -f "$build/libportability/schemas.c" ] || make -s -C "$build/libportability" schemas.c

SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
CFLAGS="-std=gnu11 -g -O1 $SAN -DLP_BUILDING_LIBRARY -DLP_DATA_DIR=\"$src/rules\" \
  -I$src/include -I$build/include -I$build -I$src/libportability \
  $(pkg-config --cflags gmp libxml-2.0 nettle jansson 2>/dev/null || pkg-config --cflags libxml-2.0 jansson)"
LIBS="$(pkg-config --libs libxml-2.0 nettle jansson) -lgmp -lpthread"

# the library, compiled directly with clang (with coverage for libFuzzer)
objs=""
for f in "$src"/libportability/*.c "$build/libportability/schemas.c"; do
    o=$out/obj/$(basename "$f" .c).o
    if [ ! -f "$o" ] || [ "$f" -nt "$o" ] || [ -n "$(find "$src/libportability" "$src/include" -name '*.h' -newer "$o" 2>/dev/null | head -n1)" ]; then
        $CC $CFLAGS -fsanitize=fuzzer-no-link -c "$f" -o "$o"
    fi
    objs="$objs $o"
done

for h in $harnesses; do
    $CC $CFLAGS -fsanitize=fuzzer -DFUZZ_RULES_DIR=\"$src/rules\" \
        "$src/fuzz/fuzz_$h.c" $objs $LIBS -o "$out/fuzz_$h"
done
[ "$build_only" = 1 ] && exit 0

seed() { # harness corpus-dir
    [ -n "$(ls -A "$2" 2>/dev/null)" ] && return 0
    mkdir -p "$2"
    case $1 in
    ruleset) cp "$src"/rules/schemes/*.xml "$src"/rules/agreements/*.xml "$2"/
             find "$src/tests/data" -path '*rules*' -name '*.xml' -size -64k | while read -r f; do
                 cp "$f" "$2/$(echo "$f" | cksum | cut -d' ' -f1).xml"; done ;;
    history) find "$src/tests/data" -name '*.xml' -size -64k ! -path '*rules*' | while read -r f; do
                 cp "$f" "$2/$(echo "$f" | cksum | cut -d' ' -f1).xml"; done ;;
    formula) python3 "$src/fuzz/formulas.py" "$2" "$src"/rules/schemes/*.xml \
                 $(find "$src/tests/data" -path '*rules*' -name '*.xml' -size -64k) ;;
    decimal) i=0; for v in 0 -0 12 -12.345 +0.5 .5 5. -3/4 1/0 0.01 1e5 "1,000" " 1" 3/-4 1.5/2 \
                 99999999999999999999999999999999999999999999999999999999999999999 \
                 0.0000000000000000000000000000000000000001 2133.333333 1200 13689; do
                 i=$((i + 1)); printf '%s' "$v" > "$2/seed$i"; done ;;
    rulegen|batch) i=0; for v in a0 b1x c2yy 'd3 zz' '%%%%' '~~~~~~~~' '0123456789abcdef' \
                 '</history><history id="x">' '<!-- -->' '<![CDATA[<]]>' '"><' ; do
                 i=$((i + 1)); printf '%s' "$v" > "$2/seed$i"; done ;;
    esac
    if [ -d "$src/fuzz/regressions/$1" ]; then cp "$src/fuzz/regressions/$1"/* "$2"/ 2>/dev/null || true; fi
}

# -jobs=1 would still fork a worker logging to fuzz-0.log (shared between
# harnesses run at the same time): only ask for jobs when there are several
par=""
[ "$jobs" -gt 1 ] && par="-jobs=$jobs -workers=$jobs"
status=0
for h in $harnesses; do
    corpus=$out/corpus/$h
    seed "$h" "$corpus"
    dict=""
    [ -f "$src/fuzz/$h.dict" ] && dict="-dict=$src/fuzz/$h.dict"
    echo "== fuzz_$h: $seconds s"
    ( cd "$out" && LP_RULES_DIR="$src/rules" ASAN_OPTIONS=detect_leaks=1 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        ./fuzz_$h -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=20 \
          -print_final_stats=1 -artifact_prefix="$out/artifacts/$h-" $dict $par "$corpus" ) > "$out/$h.log" 2>&1 || { status=1; echo "fuzz_$h FAILED: see $out/$h.log"; }
    grep -E '^#[0-9]+.*(DONE|pulse)|stat::number_of_executed_units|stat::peak_rss' "$out/$h.log" | tail -n 3
done
exit $status
