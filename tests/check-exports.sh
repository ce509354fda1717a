#!/bin/sh
# The shared library exports exactly the reviewed list of versioned lp_ symbols.
set -e
lib="$top_builddir/libportability/.libs/libportability.so"
[ -f "$lib" ] || { echo "missing $lib"; exit 99; }
nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBR]$/ {print $3}' | sort > exports.actual
bad=$(grep -v '@@LIBPORTABILITY_0$' exports.actual | grep -v '^LIBPORTABILITY_0@@LIBPORTABILITY_0$' || true)
if [ -n "$bad" ]; then
    echo "unversioned or foreign exports:"; echo "$bad"; exit 1
fi
sed -e 's/@@LIBPORTABILITY_0$//' exports.actual | grep -v '^LIBPORTABILITY_0$' | sort > exports.actual.tmp
mv exports.actual.tmp exports.actual
if ! diff -u "$srcdir/exported-symbols.txt" exports.actual; then
    echo "exports differ from tests/exported-symbols.txt: review the change and the libtool version"
    exit 1
fi
echo "exports: $(wc -l < exports.actual) versioned lp_ symbols, as reviewed"
