#!/bin/bash
# workbook.sh — writing workbooks on the filled sample district (355,000 persons, read-only):
# 1. bench/workbook: a table of every indicator of the catalogue (municipalities x the first
#    other dimension, 2025 or the school year, protected), computed once, then the workbook
#    written REPEAT times; writing is timed apart from computing (median).
# 2. the peer: openpyxl writing the same tables, same shape (bench/workbook_peer.py), median.
# 3. end to end: "bimo workbook --template quartalsexport.md" (computing and writing), hyperfine.
# Usage: bench/workbook.sh [BUILD_DIR] [STORE] [REPEAT]   (default: build, /work/data/bimo.db, 7)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
STORE=${2:-/work/data/bimo.db}
REPEAT=${3:-7}
TMP=$(mktemp -d /tmp/bimo-bench-workbook.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

echo "== bimo_workbook_write, every indicator (compute once, write $REPEAT times)"
"$BUILD/bench/workbook" "$STORE" "$TMP/all.xlsx" "$TMP/all.json" "$REPEAT"
echo "== peer: openpyxl, the same tables (write 3 times)"
/usr/bin/python3 bench/workbook_peer.py "$TMP/all.json" "$TMP/peer.xlsx" 3
echo "== end to end: bimo workbook --template quartalsexport.md --period 2025Q4"
hyperfine --warmup 1 --runs 5 --style basic --export-json "$TMP/h.json" \
    "$BUILD/cli/bimo --db $STORE workbook --template report-templates/quartalsexport.md \
--period 2025Q4 -o $TMP/q.xlsx --force"
/usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("median %.3f s" % r["median"])' "$TMP/h.json"
