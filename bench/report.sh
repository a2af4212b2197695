#!/bin/bash
# report.sh — the Bildungsbericht end to end: from the filled store (PDF, 23 figures as PNG
# and SVG, the workbook), and from the raw extracts including their import into a new store.
# hyperfine medians, peak memory by /usr/bin/time -v. Prints Markdown tables.
# Usage: bench/report.sh [BUILD_DIR] [STORE] [EXTRACTS] [RUNS]
#        (default: build /work/data/bimo.db /work/data/sample 5)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
STORE=${2:-/work/data/bimo.db}
EXTRACTS=${3:-/work/data/sample}
RUNS=${4:-5}
BIMO=$PWD/$BUILD/cli/bimo
TMP=$(mktemp -d /tmp/bimo-bench-report.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install hyperfine)"; exit 1; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# The store is only read (bimo report opens it read-only).
hyperfine --style none --runs "$RUNS" --export-json "$TMP/store.json" \
    "$BIMO --db $STORE report --period 2025 -o $TMP/r --force -q" >/dev/null
rss=$( { /usr/bin/time -v "$BIMO" --db "$STORE" report --period 2025 -o "$TMP/r" --force -q; } 2>&1 |
    awk -F: '/Maximum resident/ {gsub(/ /, "", $2); print $2}')

cat >"$TMP/full.sh" <<SH
set -e
rm -rf $TMP/n.db $TMP/n.db-wal $TMP/n.db-shm $TMP/n.db.key $TMP/r2
$BIMO --db $TMP/n.db init >/dev/null
for s in melderegister aufenthalt integrationskurs schule schulabgang; do
    $BIMO --db $TMP/n.db import \$s $EXTRACTS/\${s}_*.csv >/dev/null
done
$BIMO --db $TMP/n.db report --period 2025 -o $TMP/r2 -q
SH
hyperfine --style none --runs 3 --export-json "$TMP/full.json" "bash $TMP/full.sh" >/dev/null

/usr/bin/python3 - "$TMP/store.json" "$TMP/full.json" "$rss" "$TMP/r" <<'PY'
import json, os, sys
def stats(p):
    r = json.load(open(p))["results"][0]
    return r["median"], r["min"], r["max"], r["user"] + r["system"]
s, f = stats(sys.argv[1]), stats(sys.argv[2])
pdf = os.path.getsize(os.path.join(sys.argv[4], "bildungsbericht.pdf"))
figs = len(os.listdir(os.path.join(sys.argv[4], "abbildungen")))
print("| what | median | min | max | CPU (user + system, mean) |")
print("|---|---:|---:|---:|---:|")
print(f"| report from the filled store (PDF {pdf:,} bytes, {figs} figure files, workbook) | {s[0]:.2f} s | {s[1]:.2f} s | {s[2]:.2f} s | {s[3]:.2f} s |")
print(f"| raw extracts: init, import of the five sources, report | {f[0]:.2f} s | {f[1]:.2f} s | {f[2]:.2f} s | {f[3]:.2f} s |")
print(f"\npeak memory of the report from the store: {int(sys.argv[3]) / 1024:.0f} MB")
PY
