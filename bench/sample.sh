#!/bin/bash
# sample.sh — throughput and memory of "bimo sample" at 1 and 10 million persons (default
# years 2019..2025: 50 files). Each run writes into a folder under /tmp that is removed
# afterwards; /usr/bin/time -v gives wall time and peak RSS. Prints a Markdown table.
# Usage: bench/sample.sh [BUILD_DIR] [SIZES...]   (default: build, 1000000 10000000)
#        RUNS=3 bench/sample.sh ...               (median of several runs per size)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
shift || true
SIZES=${*:-1000000 10000000}
RUNS=${RUNS:-1}
BIMO=$PWD/$BUILD/cli/bimo
TMP=$(mktemp -d /tmp/bimo-bench-sample.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
[ -x /usr/bin/time ] || { echo "/usr/bin/time is needed (apt-get install time)"; exit 1; }

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

echo "| persons | files | rows | MB written | elapsed s | rows/s | peak RSS MiB | runs |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $SIZES; do
    : >"$TMP/elapsed"
    : >"$TMP/rss"
    for ((r = 1; r <= RUNS; r++)); do
        /usr/bin/time -v "$BIMO" sample -o "$TMP/out" --persons "$n" >"$TMP/summary" 2>"$TMP/time"
        # "wrote 50 files with 10885016 rows (742.7 MB) for 1000000 persons to ... in 5.5 s"
        read -r files rows mb < <(awk '{gsub(/\(/, "", $7); print $2, $5, $7}' "$TMP/summary")
        awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0;
            for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$TMP/time" >>"$TMP/elapsed"
        awk -F': ' '/Maximum resident set size/ {print $2 / 1024}' "$TMP/time" >>"$TMP/rss"
        rm -rf "$TMP/out"
    done
    secs=$(median <"$TMP/elapsed")
    rss=$(median <"$TMP/rss")
    printf "| %d | %d | %d | %.0f | %.1f | %.0f | %.1f | %d |\n" "$n" "$files" "$rows" "$mb" \
        "$secs" "$(awk -v r="$rows" -v s="$secs" 'BEGIN {print r / s}')" "$rss" "$RUNS"
done
