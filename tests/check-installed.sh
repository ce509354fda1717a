#!/bin/sh
# Build a tiny program against the *installed* headers and library, found
# only through pkg-config, and run it.
set -e
src="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Under DESTDIR the .pc file names the final prefix: point pkg-config at the staged one.
flags=$(pkg-config --define-prefix --cflags --libs libportability)
echo "pkg-config: $flags"
${CC:-cc} -o "$tmp/check_installed" "$src" $flags
libdir=$(pkg-config --define-prefix --variable=libdir libportability)
LD_LIBRARY_PATH="$libdir" "$tmp/check_installed"
