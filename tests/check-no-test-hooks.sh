#!/bin/sh
# The library that is installed carries no test hook (issue 20): the
# allocation-failure injection (alloc.c under LP_TESTING) is compiled only into
# libportability-testing.la, which the unit tests link. nm without -D: local
# symbols too, not only the exported ones.
set -e
lib="$top_builddir/libportability/.libs/libportability.so"
testing="$top_builddir/libportability/.libs/libportability-testing.a"
[ -f "$lib" ] || { echo "missing $lib"; exit 99; }
hooks='lp__alloc_fail_at|lp__alloc_count'
if nm "$lib" | grep -E "$hooks"; then
    echo "test hooks in $lib: they must be only in libportability-testing.la"
    exit 1
fi
# and the testing library does have them (else this check proves nothing)
if [ -f "$testing" ] && ! nm "$testing" | grep -qE "$hooks"; then
    echo "no test hook in $testing: the check cannot tell"
    exit 1
fi
echo "no test hook in the installed library"
