#!/bin/bash
# indicators.sh — the whole indicator catalogue for every period 2019..2025 (quarters where
# the source is quarterly, school years for school sources) with the breakdowns a report
# uses: every allowed dimension on its own, plus kommune and region where gemeinde is
# allowed, plus the total. One bimo run per indicator computes all its tables (each --by is
# a table from the same computation). Runs on a sample district store built first (not timed).
# Usage: bench/indicators.sh [BUILD_DIR] [PERSONS...]   (default: build, 355000)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
shift || true
SIZES=${*:-355000}
BIMO=$PWD/$BUILD/cli/bimo
TMP=$(mktemp -d /tmp/bimo-bench-indicators.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

header() { sed -n "s/^-- $2: *//p" "$1" | head -1; }

# One line per indicator: ID PERIOD --by D1 --by D2 ...
plan() {
    for f in indicators/*.sql; do
        id=$(header "$f" id); kind=$(header "$f" period); source=$(header "$f" source)
        dims=$(header "$f" dimensions | tr -d ' ')
        case "$kind/$source" in
            schuljahr/schulabgang) period=2018/19..2024/25 ;;
            schuljahr/*) period=2019/20..2025/26 ;;
            stichtag/melderegister) period=2019..2025 ;;
            *) period=2019Q1..2025Q4 ;;
        esac
        line="$id $period"
        for d in ${dims//,/ }; do
            line="$line --by $d"
            if [ "$d" = gemeinde ]; then line="$line --by kommune --by region"; fi
        done
        echo "$line"
    done
}

echo "| persons | indicators | tables | periods | elapsed (all) | per indicator (median) |"
echo "|---:|---:|---:|---|---:|---:|"
for n in $SIZES; do
    "$BIMO" sample -o "$TMP/s" --persons "$n" > /dev/null
    "$BIMO" --db "$TMP/b.db" init > /dev/null
    for s in melderegister aufenthalt integrationskurs schule schulabgang; do
        "$BIMO" --db "$TMP/b.db" import "$s" "$TMP"/s/"$s"_*.csv > /dev/null
    done
    plan > "$TMP/plan"
    : > "$TMP/times"
    start=$(date +%s%N)
    while read -r id period by; do
        t0=$(date +%s%N)
        # shellcheck disable=SC2086
        "$BIMO" --db "$TMP/b.db" indicators compute "$id" --period "$period" $by --intern \
            --format json > /dev/null 2>&1 || { echo "failed: $id $period $by" >&2; exit 1; }
        echo $(( $(date +%s%N) - t0 )) >> "$TMP/times"
    done < "$TMP/plan"
    total=$(( $(date +%s%N) - start ))
    runs=$(( $(grep -o -e ' --by ' "$TMP/plan" | wc -l) + $(wc -l < "$TMP/plan") ))
    med=$(sort -g "$TMP/times" | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
    awk -v n="$n" -v k="$(ls indicators/*.sql | wc -l)" -v r="$runs" -v t="$total" -v m="$med" \
        'BEGIN { printf "| %s | %s | %s | 2019..2025 | %.1f s | %.3f s |\n", n, k, r, t / 1e9, m / 1e9 }'
    # The slowest runs, to see where the time goes.
    paste -d' ' "$TMP/times" "$TMP/plan" | sort -gr | head -10 |
        awk '{ printf "    %.2f s %s %s\n", $1 / 1e9, $2, $3 }' >&2
    rm -rf "$TMP/s" "$TMP"/b.db*
done
