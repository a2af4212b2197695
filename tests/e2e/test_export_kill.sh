#!/usr/bin/env bash
# test_export_kill.sh — bimo export killed (SIGKILL) at random points of its run, many times:
# after every kill the export folder holds one complete export (the earlier or the new one,
# every file as the manifest lists it), and the next run leaves no temporary folder.
. "$TESTS_DIR/e2e/lib.sh"
export EXPORT_TEMPLATE="$TESTS_DIR/data/export/quartal.md"
kills=40
[ "${BIMO_SLOW_SCALE:-}" = ci ] && kills=20
expect_exit 0 "$BIMO" sample -o smp --persons 5000 --quiet
expect_exit 0 "$BIMO" --db s.db init
for src in melderegister aufenthalt integrationskurs; do
    expect_exit 0 "$BIMO" --db s.db import "$src" smp/"$src"_*.csv
done
expect_exit 0 python3 "$TESTS_DIR/e2e/export_checks.py" kill "$BIMO" s.db killed "$kills" 20251231
echo "$OUT"
[ -n "$ERR" ] && echo "$ERR" >&2
finish
