#!/bin/bash
# indicators.sh — the whole indicator catalogue for every period 2019..2025 (quarters where
# the source is quarterly, school years for school sources) with the breakdowns a report
# uses: every allowed dimension on its own, plus kommune and region where gemeinde is
# allowed, plus the total. Timed two ways on the same store in the same run:
#   library  one process and one engine for the whole plan (bench/catalogue.c), as the
#            report and the export compute: median of 3 runs unprotected (--intern) and
#            one run protected (disclosure control on every table);
#   cli      one `bimo indicators compute` per indicator, each --by a table (the peer).
# Stores are built first (not timed) from `bimo sample` of the given sizes, or STORE=FILE
# uses an existing store.
# Usage: bench/indicators.sh [BUILD_DIR] [PERSONS...]   (default: build, 355000)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
shift || true
SIZES=${*:-355000}
BIMO=$PWD/$BUILD/cli/bimo
CATALOGUE=$PWD/$BUILD/bench/catalogue
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

total() { sed -n 's/^total \([0-9.]*\) s.*/\1/p'; }

echo "| persons | tables | library, intern (median of 3) | library, protected | cli, one process per indicator | cli / library |"
echo "|---:|---:|---:|---:|---:|---:|"
for n in $SIZES; do
    store=${STORE:-$TMP/b.db}
    if [ -z "${STORE:-}" ]; then
        "$BIMO" sample -o "$TMP/s" --persons "$n" > /dev/null
        "$BIMO" --db "$store" init > /dev/null
        for s in melderegister aufenthalt integrationskurs schule schulabgang; do
            "$BIMO" --db "$store" import "$s" "$TMP"/s/"$s"_*.csv > /dev/null
        done
        rm -rf "$TMP/s"
    fi
    plan > "$TMP/plan"
    times=()
    for r in 1 2 3; do
        BIMO_DATA=$PWD "$CATALOGUE" "$store" "$TMP/plan" > "$TMP/run$r"
        times+=("$(total < "$TMP/run$r")")
    done
    lib=$(printf '%s\n' "${times[@]}" | sort -g | sed -n 2p)
    BIMO_DATA=$PWD "$CATALOGUE" "$store" "$TMP/plan" --protect > "$TMP/prot"
    prot=$(total < "$TMP/prot")
    tables=$(sed -n 's/^total [0-9.]* s, \([0-9]*\) tables.*/\1/p' "$TMP/run1")
    start=$(date +%s%N)
    while read -r id period by; do
        # shellcheck disable=SC2086
        "$BIMO" --db "$store" indicators compute "$id" --period "$period" $by --intern \
            --format json > /dev/null 2>&1 || { echo "failed: $id $period $by" >&2; exit 1; }
    done < "$TMP/plan"
    cli=$(awk -v t="$(( $(date +%s%N) - start ))" 'BEGIN { printf "%.2f", t / 1e9 }')
    awk -v n="$n" -v k="$tables" -v l="$lib" -v p="$prot" -v c="$cli" \
        'BEGIN { printf "| %s | %s | %.2f s | %.2f s | %.2f s | %.1fx |\n", n, k, l, p, c, c / l }'
    # Where the time goes: the slowest indicators of the median run.
    grep -v -e '^total' -e '^start' "$TMP/run1" | sort -k2 -gr | head -6 | sed 's/^/    /' >&2
    [ -n "${STORE:-}" ] || rm -f "$store"*
done
