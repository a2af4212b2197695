#!/bin/bash
# import.sh — bimo's import of melderegister extracts from `bimo sample` against the sqlite3
# shell's .import of the same file into a table with the same columns (which validates
# nothing), at 1 and 10 million rows; plus bimo's peak memory. Prints a Markdown table.
# Usage: bench/import.sh [BUILD_DIR] [SIZES...]   (default: build, 1000000 10000000)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
shift || true
SIZES=${*:-1000000 10000000}
BIMO=$PWD/$BUILD/cli/bimo
TMP=$(mktemp -d /tmp/bimo-bench-import.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install hyperfine)"; exit 1; }

echo "| rows | bimo import (median) | sqlite3 .import (median) | rows/s bimo | rows/s .import | ratio | bimo peak RSS |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for n in $SIZES; do
    # One reference date only: a melderegister snapshot of about n rows.
    "$BIMO" sample -o "$TMP/s$n" --persons "$n" --from 2025 --to 2025 > /dev/null
    f="$TMP/s$n/melderegister_2025-12-31.csv"
    rows=$(($(wc -l < "$f") - 1))
    cols=$(head -1 "$f" | sed 's/^\xEF\xBB\xBF//; s/\r$//')
    cat > "$TMP/peer.sql" <<SQL
CREATE TABLE melderegister ($(tr ';' ',' <<<"$cols"));
.mode csv
.separator ;
.import --skip 1 $f melderegister
SQL
    hyperfine --style none --runs 3 --export-json "$TMP/h$n.json" \
        --prepare "rm -f $TMP/b.db $TMP/b.db-wal $TMP/b.db-shm $TMP/b.db.key; $BIMO --db $TMP/b.db init" \
        "$BIMO --db $TMP/b.db import melderegister $f" \
        --prepare "rm -f $TMP/p.db" \
        "sqlite3 $TMP/p.db < $TMP/peer.sql" > /dev/null
    rm -f "$TMP"/b.db*
    "$BIMO" --db "$TMP/b.db" init > /dev/null
    rss=$( { /usr/bin/time -v "$BIMO" --db "$TMP/b.db" import melderegister "$f" > /dev/null; } 2>&1 |
        awk -F: '/Maximum resident/ {gsub(/ /, "", $2); print $2}')
    python3 - "$TMP/h$n.json" "$rows" "$rss" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
rows, rss = int(sys.argv[2]), int(sys.argv[3])
b, p = res[0]["median"], res[1]["median"]
print(f"| {rows:,} | {b:.2f} s | {p:.2f} s | {rows/b/1e6:.2f} M | {rows/p/1e6:.2f} M | {p/b:.2f}x | {rss/1024:.1f} MiB |")
PY
    rm -rf "$TMP/s$n" "$TMP"/b.db* "$TMP/p.db"
done
