# Shared by the smoke tests (sourced). Environment from examples/Makefile.am:
# CALC (the built program, absolute), srcdir, LP_RULES_DIR, LP_REPORT_XSL.
# LP_REGEN=1 rewrites expected/ instead of comparing (then review the diff).
srcdir=${srcdir:-.}
CALC=${CALC:-$PWD/portability-calc}
XMLLINT=${XMLLINT:-xmllint}
abs_srcdir=$(cd "$srcdir" && pwd)
failures=0

# Digests and the version change with every rule edit and release: mask them; and the
# rule set's absolute folder (it appears in an error naming a rule file's line), which
# differs from one checkout to another.
normalise() {
    sed -e "s|${LP_RULES_DIR:-/nonexistent}/|RULES/|g" \
        -e 's/sha256:[0-9a-f]\{64\}/sha256:DIGEST/g' \
        -e 's/library-version="[^"]*"/library-version="VERSION"/g' \
        -e 's/^\(  Library *\).*$/\1VERSION/'
}

# expect NAME STATUS COMMAND...: run COMMAND in the source folder (so paths in
# the output are relative), check its exit status, compare its normalised
# output (stdout, then stderr) with expected/NAME.
expect() {
    name=$1; want=$2; shift 2
    out="$PWD/smoke-$name.out"
    # the rules by a relative path: rule-file paths in messages (and the text
    # report's wrapping of them) are the same wherever the tree is
    (cd "$abs_srcdir" && LP_RULES_DIR=../rules "$@") > "$out.tmp" 2> "$out.err"
    rc=$?
    cat "$out.err" >> "$out.tmp"
    normalise < "$out.tmp" > "$out"
    rm -f "$out.tmp" "$out.err"
    if [ "$rc" != "$want" ]; then
        echo "FAIL $name: exit status $rc, expected $want"; failures=$((failures + 1))
    fi
    if [ -n "$LP_REGEN" ]; then
        cp "$out" "$abs_srcdir/expected/$name"
        echo "regenerated expected/$name (review it)"
    elif ! diff -u "$abs_srcdir/expected/$name" "$out"; then
        echo "FAIL $name: output differs from expected/$name"; failures=$((failures + 1))
    else
        echo "ok $name"
    fi
}

finish() {
    [ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
    exit 0
}
