"""Seed corpus for fuzz_formula: every formula text found in rule files.
Usage: formulas.py OUTDIR FILE.xml...  (one file per distinct formula)"""
import hashlib
import os
import sys
import xml.etree.ElementTree as ET

NS = "{urn:libportability:rules:1}"
TAGS = {"eligible", "amount", "define", "condition", "value", "formula"}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    seen = set()
    for path in sys.argv[2:]:
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError:
            continue
        for el in root.iter():
            tag = el.tag.replace(NS, "")
            text = (el.text or "").strip()
            if tag in TAGS and text and text not in seen and len(text) < 4096:
                seen.add(text)
                name = hashlib.sha1(text.encode()).hexdigest()[:16]
                with open(os.path.join(out, name), "w", encoding="utf-8") as f:
                    f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
