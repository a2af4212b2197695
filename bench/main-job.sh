#!/bin/bash
# main-job.sh — README's main job at a given population size, stage by stage: `bimo sample`
# of all years, the import of each source (all its files in one run), and the default
# Bildungsbericht from the filled store; wall, user and system seconds and peak memory of each
# stage by /usr/bin/time. Prints a Markdown table and the store's size. The sizes where a
# target was set (355,000 persons) and the 10-million load of the hardening work.
# Usage: bench/main-job.sh [BUILD_DIR] [PERSONS] [WORK_DIR]
#        (default: build, 355000, a new folder under /tmp; 10 million needs about 14 GB there)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
PERSONS=${2:-355000}
BIMO=$PWD/$BUILD/cli/bimo
TMP=$(mktemp -d "${3:-/tmp}/bimo-bench-main.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# stage NAME ROWS CMD...: runs CMD under /usr/bin/time and prints the table row.
stage() {
    local name=$1 rows=$2; shift 2
    /usr/bin/time -f '%e %U %S %M' -o "$TMP/t" "$@" >/dev/null 2>"$TMP/err" ||
        { cat "$TMP/err" >&2; exit 1; }
    read -r wall user sys kib <"$TMP/t"
    printf '| %s | %s | %.1f s | %.1f s | %.1f s | %d MiB |\n' "$name" "$rows" "$wall" "$user" \
        "$sys" $((kib / 1024))
}

echo "$(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| stage | rows | wall | user | system | peak memory |"
echo "|---|---:|---:|---:|---:|---:|"
stage "sample, $PERSONS persons, 2019–2025" "" "$BIMO" sample -o "$TMP/s" --persons "$PERSONS"
"$BIMO" --db "$TMP/b.db" init >/dev/null
for src in melderegister aufenthalt integrationskurs schule schulabgang; do
    files=$(ls "$TMP"/s/${src}_*.csv | wc -l)
    rows=$(($(cat "$TMP"/s/${src}_*.csv | wc -l) - files)) # less the header lines
    stage "import $src ($files files)" "$rows" \
        "$BIMO" --db "$TMP/b.db" import $src "$TMP"/s/${src}_*.csv
done
rm -rf "$TMP/s"
stage "report (default template)" "" "$BIMO" --db "$TMP/b.db" report --period 2025 -o "$TMP/r"
echo
echo "store: $(du -sh "$TMP/b.db" | cut -f1); report: $(pdfinfo "$TMP/r/bildungsbericht.pdf" | awk '/^Pages:/ {print $2}') pages"
