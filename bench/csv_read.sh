#!/bin/bash
# csv_read.sh — benchmark of the streaming CSV reader (bench/csv_read) against `wc -l` as the
# peer: generates a 1,000,000-row extract (~90 bytes a row) with awk and times both with hyperfine.
# Usage: bench/csv_read.sh [BUILD_DIR]   (default: build; ROWS=... changes the row count)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
rows=${ROWS:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ninja -C "$build" bench/csv_read >/dev/null
bin="$build/bench/csv_read"

# An extract like aufenthalt in UTF-8, as a district's export would look: ';', decimal and
# date formats of German Excel, some umlauts, no quotes (the common case).
awk -v rows="$rows" 'BEGIN {
    split("Bad Iburg|Bramsche|Georgsmarienh\303\274tte|Melle|Quakenbr\303\274ck|Ostercappeln", town, "|")
    split("\302\247 24 AufenthG|\302\247 25 Abs. 2|\302\247 55 AsylG|\302\247 60a AufenthG", title, "|")
    print "person_id;geburtsdatum;geschlecht;staatsangehoerigkeit;ags;wohnort;zuzugsdatum;" \
          "herkunftsland;einreisedatum;rechtsgrundlage"
    for (i = 1; i <= rows; i++)
        printf "P%011d;%02d.%02d.%04d;%s;%03d;0345%04d;%s;%04d-%02d-%02d;%03d;%02d.%02d.%04d;%s\n",
            i, 1 + i % 28, 1 + i % 12, 1930 + i % 90, (i % 2 ? "m" : "w"), i % 500, i % 100,
            town[1 + i % 6], 2000 + i % 25, 1 + i % 12, 1 + i % 28, i % 500,
            1 + i % 28, 1 + i % 12, 2000 + i % 25, title[1 + i % 4]
}' >"$work/plain.csv"
# The same rows with every field quoted (some exporters do this): every line goes through libcsv.
awk 'BEGIN { FS = ";"; OFS = ";" } { for (f = 1; f <= NF; f++) $f = "\"" $f "\""; print }' \
    "$work/plain.csv" >"$work/quoted.csv"
# The same rows in Windows-1252 (German Excel's default): every line with an umlaut is converted.
iconv -f UTF-8 -t WINDOWS-1252 "$work/plain.csv" >"$work/cp1252.csv"

size=$(stat -c %s "$work/plain.csv")
echo "input: $rows rows, $size bytes ($((size / (rows + 1))) bytes a row)"
"$bin" "$work/plain.csv"

hyperfine --warmup 2 --runs 10 --export-json "$work/times.json" \
    -n "csv_read" "$bin $work/plain.csv" \
    -n "wc -l" "wc -l $work/plain.csv" \
    -n "csv_read quoted" "$bin $work/quoted.csv" \
    -n "csv_read cp1252" "$bin $work/cp1252.csv" >/dev/null

python3 - "$work/times.json" "$rows" "$work" <<'PY'
import json, os, statistics, sys
res = json.load(open(sys.argv[1]))["results"]
rows, work = int(sys.argv[2]), sys.argv[3]
inputs = {"csv_read": "plain", "wc -l": "plain", "csv_read quoted": "quoted",
          "csv_read cp1252": "cp1252"}
med = {r["command"]: statistics.median(r["times"]) for r in res}
print(f"{'command':<22} {'median s':>9} {'MB':>6} {'MB/s':>7} {'M rows/s':>9} {'x wc -l':>8}")
for name, t in med.items():
    size = os.path.getsize(os.path.join(work, inputs[name] + ".csv"))
    print(f"{name:<22} {t:9.3f} {size / 1e6:6.1f} {size / t / 1e6:7.0f} {rows / t / 1e6:9.2f}"
          f" {t / med['wc -l']:8.1f}")
PY
