#!/bin/bash
# charts.sh — the renderer's time for the charts of a full report (bench/charts.list) as PNG
# (300 dpi) and SVG, indicator computation excluded (bench/chart_render, median of 5
# rounds, CPU and wall seconds), against gnuplot 5.4 (pngcairo and svg terminals, also
# cairo and pango) drawing a bar chart of the same tables in one process, by hyperfine.
# Usage: bench/charts.sh [BUILD_DIR] (default build); BIMO_DB the store (default
# /work/data/bimo.db if present, else out/bimo.db). Needs gnuplot-nox and hyperfine.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
DB=${BIMO_DB:-}
[ -n "$DB" ] || { [ -f /work/data/bimo.db ] && DB=/work/data/bimo.db || DB=out/bimo.db; }
TMP=$(mktemp -d /dev/shm/bimo-bench-charts.XXXXXX 2>/dev/null || mktemp -d)
trap 'rm -rf "$TMP"' EXIT

echo "== bimo: render only, 150 dpi (for screens)"
"$BUILD/bench/chart_render" "$DB" bench/charts.list 5 150 | tr '\n' ' '
echo
echo "== bimo: render only, 300 dpi (print)"
"$BUILD/bench/chart_render" "$DB" bench/charts.list 5 | tee "$TMP/bimo.txt"

# The peer's input: each chart's table as CSV, one gnuplot script drawing all of them.
n=0
: >"$TMP/all.gp"
while IFS=';' read -r id period by kind w h; do
    case "$id" in ''|'#'*) continue ;; esac
    n=$((n + 1))
    args=(--period "$period" --format csv)
    [ -n "$by" ] && args+=(--by "$by")
    "$BUILD/cli/bimo" --db "$DB" indicators compute "$id" "${args[@]}" >"$TMP/$n.csv"
    nd=$(awk -F, 'NR == 1 {print NF - 6}' "$TMP/$n.csv")
    xcol=$((nd > 0 ? 3 : 2)) vcol=$((nd + 5))
    px=$(awk -v mm="$w" 'BEGIN {printf "%d", mm / 25.4 * 300 + 0.5}')
    py=$(awk -v mm="$h" 'BEGIN {printf "%d", mm / 25.4 * 300 + 0.5}')
    # A table whose every value is kept secret has nothing to plot: gnuplot draws the frame.
    if awk -F, -v c="$vcol" 'NR > 1 && $c != "" {found = 1} END {exit !found}' "$TMP/$n.csv"; then
        plot="set autoscale; plot \"$TMP/$n.csv\" every ::1 using 0:$vcol:xtic($xcol) with boxes notitle"
    else
        plot="set xrange [0:1]; set yrange [0:1]; plot 2 notitle"
    fi
    cat >>"$TMP/all.gp" <<EOF
set datafile separator ","
set style fill solid
set xtics rotate by 90
set title "$id"
set terminal pngcairo size $px,$py font "DejaVu Sans,20"
set output "$TMP/$n.png"
$plot
set terminal svg size $px,$py font "DejaVu Sans,20"
set output "$TMP/$n.svg"
replot
EOF
done <bench/charts.list

echo "== gnuplot: the same $n tables as bar charts, PNG and SVG"
hyperfine --warmup 1 --runs 5 --export-json "$TMP/gp.json" "gnuplot $TMP/all.gp" >/dev/null
python3 - "$TMP/gp.json" "$TMP/bimo.txt" <<'EOF'
import json, sys, statistics
r = json.load(open(sys.argv[1]))["results"][0]
b = dict(l.split() for l in open(sys.argv[2]))
gp_wall = statistics.median(r["times"])
gp_cpu = r["user"] + r["system"]
print(f"gnuplot median wall {gp_wall:.3f} s, mean CPU {gp_cpu:.3f} s")
print(f"| renderer | charts | PNG CPU s | SVG CPU s | total CPU s | total wall s |")
print(f"|---|---:|---:|---:|---:|---:|")
print(f"| bimo (render only) | {b['charts']} | {float(b['png_cpu_s']):.3f} | {float(b['svg_cpu_s']):.3f} "
      f"| {float(b['total_cpu_s']):.3f} | {float(b['total_wall_s']):.3f} |")
print(f"| gnuplot 5.4 (peer, whole process) | {b['charts']} | | | {gp_cpu:.3f} | {gp_wall:.3f} |")
print(f"ratio bimo / gnuplot: CPU {float(b['total_cpu_s']) / gp_cpu:.2f}, wall {float(b['total_wall_s']) / gp_wall:.2f}")
EOF
