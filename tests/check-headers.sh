#!/bin/sh
# Each public header compiles on its own, strict C99.
set -e
inc_src="$top_srcdir/include"
inc_bld="$top_builddir/include"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for h in $(cd "$inc_src" && find . -name '*.h' | sed 's|^\./||') portability/version.h; do
    printf '#include <%s>\nint lp_header_test_dummy(void);\n' "$h" > "$tmp/t.c"
    if ! ${CC:-cc} -std=c99 -pedantic -Wall -Wextra -Werror -I"$inc_src" -I"$inc_bld" \
            -c "$tmp/t.c" -o "$tmp/t.o"; then
        echo "FAIL: $h does not compile alone"; fail=1
    else
        echo "ok: $h"
    fi
done
exit $fail
