#!/bin/bash
# test_sample_shape.sh — the shapes of a 100,000-person sample district (default years):
# population, foreigners, persons seeking protection by status, nationality, sex and age,
# transitions into Jahrgang 5, leavers by qualification, course waiting times and DTZ
# results, each within a tolerance of the published figure; then the extracts' agreement.
. "$TESTS_DIR/e2e/lib.sh"
PY=/usr/bin/python3

expect_exit 0 "$BIMO" sample -o run --persons 100000 --seed 20250101
echo "$OUT"
$PY "$TESTS_DIR/e2e/sample_shape.py" run "$BIMO_DATA" 100000 2025 && pass || fail "shapes (see above)"
$PY "$TESTS_DIR/e2e/sample_consistency.py" run 2025 && pass || fail "consistency (see above)"

finish
