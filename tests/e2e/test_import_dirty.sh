#!/bin/bash
# test_import_dirty.sh — the --dirty sample district imports with every planted fault either
# rejected (invalid date, unknown code, stray quote) or loaded (ISO date, trailing delimiter,
# 7-digit AGS repaired), and the rejected lines are exactly the planted ones.
. "$TESTS_DIR/e2e/lib.sh"
PY=/usr/bin/python3
"$BIMO" sample -o clean --persons 30000 --seed 5 --from 2025 --to 2025 -q
"$BIMO" sample -o dirty --persons 30000 --seed 5 --from 2025 --to 2025 --dirty -q
expect_exit 0 "$BIMO" --db s.db init
for f in dirty/*.csv; do
    source=$(basename "$f" | sed 's/_.*//')
    expect_exit 0 "$BIMO" --db s.db import "$source" "$f"
    id=$(sqlite3 s.db "SELECT max(id) FROM import_run")
    "$BIMO" --db s.db rejects "$id" > "rejects_$(basename "$f")"
    sqlite3 s.db "SELECT rows_read, rows_loaded, rows_rejected FROM import_run WHERE id = $id" > "counts_$(basename "$f")"
    printf '%s\n' "$OUT" | sed -n 's/.* \([0-9]*\) repaired.*/\1/p' > "repaired_$(basename "$f")"
done
$PY - <<'PYEOF' && pass || fail "faults handled as planted"
import csv, glob, os, re, sys
ok = True
total = {"rejected": 0, "repaired": 0, "loaded faults": 0}
for path in sorted(glob.glob("clean/*.csv")):
    name = os.path.basename(path)
    a = open(path, "rb").read().split(b"\r\n")
    b = open(os.path.join("dirty", name), "rb").read().split(b"\r\n")
    want_rejected, want_repaired, loaded_faults = set(), 0, 0
    for line, (x, y) in enumerate(zip(a, b), start=1):
        if x == y:
            continue
        x, y = x.decode("utf-8"), y.decode("utf-8")
        if y == x + ";" or re.search(r";\d{4}-\d\d-\d\d;", y):
            loaded_faults += 1                       # trailing delimiter, ISO date: accepted
        elif len(y) == len(x) - 1 and re.search(r";3459\d{3}(;|$)", y):
            want_repaired += 1                       # 7-digit AGS: repaired
        else:
            want_rejected.add(line)                  # stray quote, unknown code, bad date
    rows = len(a) - 2
    got = [r for r in csv.DictReader(open("rejects_" + name, encoding="utf-8"))]
    got_lines = {int(r["line"]) for r in got}
    read, loaded, rejected = map(int, open("counts_" + name).read().split("|"))
    repaired = int(open("repaired_" + name).read().strip() or 0)
    checks = [read == rows, got_lines == want_rejected, rejected == len(want_rejected),
              loaded == rows - len(want_rejected), repaired == want_repaired]
    print(f"{name}: {rows} rows, rejected {rejected} (planted {len(want_rejected)}), "
          f"repaired {repaired} (planted {want_repaired}), other faults loaded {loaded_faults}")
    if not all(checks):
        ok = False
        print("  mismatch: missing", sorted(want_rejected - got_lines)[:5],
              "extra", sorted(got_lines - want_rejected)[:5])
    total["rejected"] += rejected
    total["repaired"] += repaired
    total["loaded faults"] += loaded_faults
print(total)
sys.exit(0 if ok and all(total.values()) else 1)
PYEOF
finish
