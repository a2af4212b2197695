#!/bin/bash
# export.sh — the quarterly export on the filled sample district (355,000 persons): "bimo export
# quartalsexport.md" (16 tables computed with release-consistent protection, a German and a
# machine CSV each, the workbook, the manifest, fsync, the release record, the atomic swap)
# against its peer in the same run, "bimo workbook --template quartalsexport.md" (the same
# tables computed and written as the workbook alone). The store is copied, since an export
# writes its release record; the first export (not timed) migrates the copy and records the
# release that later runs read back.
# Usage: bench/export.sh [BUILD_DIR] [STORE] [RUNS]   (default: build, /work/data/bimo.db, 7)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
STORE=${2:-/work/data/bimo.db}
RUNS=${3:-7}
TMP=$(mktemp -d /tmp/bimo-bench-export.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
cp "$STORE" "$TMP/s.db" && cp "$STORE.key" "$TMP/s.db.key" && chmod 600 "$TMP"/s.db*
BIMO="$BUILD/cli/bimo --db $TMP/s.db"
TPL=report-templates/quartalsexport.md

$BIMO export $TPL --period 2025Q4 -o "$TMP/first" --quiet
echo "== files: $(ls "$TMP/first" | wc -l), $(du -sk "$TMP/first" | cut -f1) KiB"
echo "== peak RSS of one export"
/usr/bin/time -f "%M KiB, %e s" $BIMO export $TPL --period 2025Q4 -o "$TMP/rss" --quiet
hyperfine --warmup 1 --runs "$RUNS" --style basic --export-json "$TMP/h.json" \
    -n export "$BIMO export $TPL --period 2025Q4 -o $TMP/out --force --quiet" \
    -n "workbook (peer)" "$BIMO workbook --template $TPL --period 2025Q4 -o $TMP/q.xlsx --force"
/usr/bin/python3 - "$TMP/h.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
e, w = r["export"], r["workbook (peer)"]
for name, x in r.items():
    print(f"{name}: median {x['median']:.3f} s, min {x['min']:.3f} s, max {x['max']:.3f} s")
print(f"export / workbook: {e['median'] / w['median']:.2f}")
PY
echo "== releases recorded: $(sqlite3 "$TMP/s.db" 'SELECT count(*) FROM release'), hidden cells of the last: $(sqlite3 "$TMP/s.db" 'SELECT count(*) FROM release_cell WHERE release_id = (SELECT max(id) FROM release)')"
