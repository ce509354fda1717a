#!/bin/sh
# ThreadSanitizer run of tests/test_threads.c: compiles the library sources and
# the test directly with clang -fsanitize=thread (apart from the gcc build) and
# runs 2,000 careers on 8 threads. Usage: scripts/check-tsan.sh [TOP_BUILDDIR]
# (a configured tree, for config.h, version.h and schemas.c; default _build/main).
# Also `make check-tsan`. libxml2 and GMP are not instrumented.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$src/_build/main}" && pwd)
out=$build/tsan
CC=${TSAN_CC:-clang}
mkdir -p "$out"
[ -f "$build/libportability/schemas.c" ] || make -s -C "$build/libportability" schemas.c
CFLAGS="-std=gnu11 -g -O1 -fsanitize=thread -DLP_BUILDING_LIBRARY -DLP_DATA_DIR=\"$src/rules\" \
  -I$src/include -I$build/include -I$build -I$src/libportability $(pkg-config --cflags libxml-2.0 cmocka)"
objs=""
for f in "$src"/libportability/*.c "$build/libportability/schemas.c"; do
    o=$out/$(basename "$f" .c).o
    $CC $CFLAGS -c "$f" -o "$o"
    objs="$objs $o"
done
$CC $CFLAGS "$src/tests/test_threads.c" $objs $(pkg-config --libs libxml-2.0 nettle jansson cmocka) -lgmp -lpthread \
    -o "$out/test_threads"
LP_RULES_DIR="$src/rules" LP_THREADS_CAREERS=${LP_THREADS_CAREERS:-2000} \
    TSAN_OPTIONS="halt_on_error=1 exitcode=66" "$out/test_threads"
