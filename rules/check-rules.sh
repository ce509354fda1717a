#!/bin/sh
# Validate every shipped rule file against portability-rules.xsd with xmllint
# (Debian package libxml2-utils). Exit 77 (skip) if xmllint is missing.
srcdir=${srcdir:-.}
command -v xmllint >/dev/null 2>&1 || { echo "xmllint not found (apt-get install libxml2-utils)"; exit 77; }
n=0; bad=0
for f in "$srcdir"/countries.xml "$srcdir"/schemes/*.xml "$srcdir"/agreements/*.xml; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    if ! xmllint --noout --nonet --schema "$srcdir/portability-rules.xsd" "$f" 2>check-rules.err; then
        cat check-rules.err
        bad=$((bad + 1))
    fi
done
rm -f check-rules.err
echo "rule files: $n checked against portability-rules.xsd, $bad invalid"
[ "$n" -gt 0 ] && [ "$bad" -eq 0 ]
