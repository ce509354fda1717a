#!/bin/sh
# The README's first command: install the Debian packages, build out of tree in
# _build/main, and run the caseworker calculator on a bundled career (a Filipino
# nurse who worked in Japan and came home) with the shipped rules.
# Usage: scripts/run-example.sh [CAREER.xml] [portability-calc options...]
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "$LP_SKIP_DEPS" ]; then
    "$top/scripts/install-deps.sh"
fi
cd "$top"
[ -x configure ] || ./autogen.sh
mkdir -p _build/main
cd _build/main
[ -f Makefile ] || ../../configure -q PYTHON="${PYTHON:-python3}"
make -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
career=${1:-$top/examples/careers/filipino-nurse-japan.xml}
[ $# -gt 0 ] && shift
LP_RULES_DIR="$top/rules" LP_REPORT_XSL="$top/examples/report.xsl" \
    ./examples/portability-calc --format text "$@" "$career"
