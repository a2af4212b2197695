#!/bin/bash
# review-report.sh — renders the Bildungsbericht of a store and turns every page into a PNG
# (pdftoppm, poppler-utils) for looking at: cover, contents, headings at page feet, figures,
# tables split across pages, captions, sources. Prints the folder and the pages' files.
# Usage: bench/review-report.sh [STORE] [PERIOD] [OUT]
#        (default: out/bimo.db, 2025, /tmp/bimo-review; the build in build/)
set -euo pipefail
cd "$(dirname "$0")/.."
STORE=${1:-out/bimo.db}
PERIOD=${2:-2025}
OUT=${3:-/tmp/bimo-review}
BIMO=$PWD/build/cli/bimo
command -v pdftoppm >/dev/null || { echo "pdftoppm is needed (apt-get install poppler-utils)"; exit 1; }
rm -rf "$OUT"
mkdir -p "$OUT"
"$BIMO" --db "$STORE" report --period "$PERIOD" -o "$OUT/bericht"
# 70 dpi shows a page whole on a screen; 150 dpi is enough to read the tables' numbers.
pdftoppm -r 70 -png "$OUT/bericht/bildungsbericht.pdf" "$OUT/seite"
pdftoppm -r 150 -png "$OUT/bericht/bildungsbericht.pdf" "$OUT/gross"
pdfinfo "$OUT/bericht/bildungsbericht.pdf" | grep -E '^(Title|Author|Subject|CreationDate|Pages):'
pdffonts "$OUT/bericht/bildungsbericht.pdf" | tail -n +3 | awk '{print "font", $1, "embedded", $(NF-4)}' | sort -u
ls "$OUT"/seite-*.png
