#!/bin/sh
# --compare: with and without an agreement, another residence, a lump sum taken.
. "${srcdir:-.}/smoke-lib.sh"
expect compare-nurse-without-jp-ph.txt 0 "$CALC" --compare --without-agreement JP-PH careers/filipino-nurse-japan.xml
expect compare-nurse-residence-jp.txt 0 "$CALC" --compare --residence JP careers/filipino-nurse-japan.xml
expect compare-nurse-lump-sum.txt 0 "$CALC" --compare --take-lump-sum JP-EPI/withdrawal careers/filipino-nurse-japan.xml
expect compare-nurse-lump-sum.html 0 "$CALC" --compare --take-lump-sum JP-EPI/withdrawal --format html careers/filipino-nurse-japan.xml
expect compare-engineer-no-agreements.txt 0 "$CALC" --compare --without-agreements careers/korean-engineer-us-canada.xml
expect compare-engineer-no-agreements.xml 0 "$CALC" --compare --without-agreements --format xml careers/korean-engineer-us-canada.xml
expect compare-caregiver-lump-sum.txt 0 "$CALC" --compare --take-lump-sum JP-EPI/withdrawal careers/filipino-caregiver-japan-lump-sum.xml
expect compare-nurse-germany-without-de-ph.txt 0 "$CALC" --compare --without-agreement DE-PH careers/filipino-nurse-germany.xml
finish
