#!/bin/bash
# load.sh — how the main job's stages grow with the district: for each population size, the
# extracts of 2025 from `bimo sample` are imported (all five sources, one process per source,
# /usr/bin/time -v: elapsed and peak RSS) and a set of indicators is computed (BEV-1, BEV-2 and
# AUF-1 by municipality for 31.12.2025, SCH-1 for 2025/26), then the same numbers for BEV-1 are
# counted by the sqlite3 shell straight from the store as the peer. Prints a Markdown table with
# the time per million persons, which stays flat when a stage grows linearly.
# Usage: bench/load.sh [BUILD_DIR] [PERSONS...]   (default: build, 100000 300000 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
shift || true
SIZES=${*:-100000 300000 1000000}
BIMO=$PWD/$BUILD/cli/bimo
TMP=$(mktemp -d /tmp/bimo-bench-load.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# timed OUT CMD...: runs CMD, writes "seconds kib" to OUT.
timed() {
    local out=$1; shift
    /usr/bin/time -f '%e %M' -o "$out" "$@" >/dev/null 2>"$TMP/err" || { cat "$TMP/err" >&2; exit 1; }
}

echo "| persons | rows imported | import s | import s per M persons | import peak RSS MiB | indicators s | per M persons | indicators peak RSS MiB | sqlite3 count s (peer) | indicators / peer |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $SIZES; do
    rm -rf "$TMP/s" "$TMP"/b.db*
    "$BIMO" sample -o "$TMP/s" --persons "$n" --from 2025 --to 2025 >/dev/null
    "$BIMO" --db "$TMP/b.db" init >/dev/null
    rows=0 secs=0 rss=0
    for src in melderegister aufenthalt integrationskurs schule schulabgang; do
        timed "$TMP/t" "$BIMO" --db "$TMP/b.db" import $src "$TMP"/s/${src}_*.csv
        read -r s k <"$TMP/t"
        secs=$(awk -v a="$secs" -v b="$s" 'BEGIN { print a + b }')
        rss=$((k > rss ? k : rss))
    done
    rows=$(sqlite3 "$TMP/b.db" "SELECT sum(rows_loaded) FROM import_run WHERE status = 'loaded'")
    timed "$TMP/i" bash -c "'$BIMO' --db '$TMP/b.db' indicators compute BEV-1 BEV-2 AUF-1 \
        --period 31.12.2025 --by gemeinde --format csv && \
        '$BIMO' --db '$TMP/b.db' indicators compute SCH-1 --period 2025/26 --format csv"
    read -r isecs irss <"$TMP/i"
    timed "$TMP/p" sqlite3 "$TMP/b.db" "SELECT ags, count(*) FROM melderegister WHERE snapshot_id =
        (SELECT id FROM snapshot WHERE source = 'melderegister' AND stichtag = 20251231) GROUP BY ags"
    read -r psecs _ <"$TMP/p"
    awk -v n="$n" -v rows="$rows" -v s="$secs" -v rss="$rss" -v is="$isecs" -v irss="$irss" -v ps="$psecs" 'BEGIN {
        printf "| %d | %d | %.2f | %.2f | %.1f | %.2f | %.2f | %.1f | %.2f | %.1fx |\n",
            n, rows, s, s / (n / 1e6), rss / 1024, is, is / (n / 1e6), irss / 1024, ps, (ps > 0 ? is / ps : 0) }'
done
