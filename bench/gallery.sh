#!/bin/bash
# gallery.sh — draws every chart of bench/charts.list (all kinds, the charts of a full report)
# for the sample district into one folder as PNG, for review by eye.
# Usage: bench/gallery.sh [OUTDIR] (default out/gallery); BIMO_DB selects the store
# (default /work/data/bimo.db if present, else out/bimo.db), BIMO the binary.
set -eu
cd "$(dirname "$0")/.."
OUT=${1:-out/gallery}
BIMO=${BIMO:-build/cli/bimo}
DB=${BIMO_DB:-}
[ -n "$DB" ] || { [ -f /work/data/bimo.db ] && DB=/work/data/bimo.db || DB=out/bimo.db; }
mkdir -p "$OUT"
n=0
while IFS=';' read -r id period by kind w h; do
    case "$id" in ''|'#'*) continue ;; esac
    n=$((n + 1))
    name=$(printf '%02d-%s-%s' "$n" "$id" "$kind")
    args=(--period "$period" --kind "$kind" --width "$w" --height "$h" --figure "$n")
    [ -n "$by" ] && args+=(--by "$by")
    "$BIMO" --db "$DB" chart "$id" "${args[@]}" -o "$OUT/$name.png"
    echo "$OUT/$name.png"
done < bench/charts.list
echo "$n charts in $OUT"
