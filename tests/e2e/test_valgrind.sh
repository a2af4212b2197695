#!/bin/bash
# test_valgrind.sh (slow) — the main job under valgrind memcheck: a sample district, the import of
# all five sources, indicators, SQL, rejects and the report. Every run must end without a memory
# error and without a leak (definite, indirect or possible); the only allowances are fontconfig's
# and pango's process-lifetime caches (tests/valgrind.supp). 2,000 persons, 1,000 with
# BIMO_SLOW_SCALE=ci.
. "$TESTS_DIR/e2e/lib.sh"

case ${BIMO_SLOW_SCALE:-full} in
ci) persons=1000 ;;
*) persons=2000 ;;
esac
if ! command -v valgrind >/dev/null; then
    fail "valgrind is not installed (README's apt-get list has it)"
    finish
fi
vg() {
    valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible \
        --errors-for-leak-kinds=definite,indirect,possible --track-fds=no \
        --suppressions="$TESTS_DIR/valgrind.supp" "$BIMO" "$@"
}
# memcheck NAME ARGS...: one bimo run under valgrind; exit 99 means a memory error or leak.
memcheck() {
    local name=$1; shift
    vg "$@" >"$WORK/.out" 2>"$WORK/.err"
    local rc=$?
    OUT=$(cat "$WORK/.out"); ERR=$(cat "$WORK/.err")
    if [ $rc -eq 0 ]; then pass; else fail "$name: exit $rc under valgrind"; echo "$ERR" | head -60 >&2; fi
}

"$BIMO" sample -o sample --persons $persons >/dev/null
memcheck init --db s.db init
for src in melderegister aufenthalt integrationskurs schule schulabgang; do
    memcheck "import $src" --db s.db import $src sample/${src}_*.csv
    expect_contains "$OUT" "0 rejected" "import $src: all rows loaded"
done
memcheck status --db s.db status
memcheck "indicators" --db s.db indicators compute BEV-1 BEV-2 AUF-1 SPR-1 --period 2025 --by gemeinde --format csv
expect_contains "$OUT" "BEV-1,2025" "indicators computed"
memcheck "indicators, school year" --db s.db indicators compute SCH-1 ABS-1 --period 2024/25 --format json
memcheck sql --db s.db sql "SELECT count(*) AS n FROM melderegister" --format csv
memcheck chart --db s.db chart BEV-1 --period 2025 --by altersgruppe,geschlecht -o pyramide.png
memcheck "chart, map" --db s.db chart BEV-2 --period 2025 --by kommune --kind map -o karte.svg
# A failing import: rejects recorded, then listed.
printf 'stichtag;person_id;geburtsdatum;geschlecht;staatsangehoerigkeit;ags\n31.12.2025;X;29.02.2023;m;000;03459024\n' >bad.csv
vg --db s.db import melderegister bad.csv >/dev/null 2>vg.err
expect_eq "$?" 65 "failing import: exit 65, no memory error"
memcheck rejects --db s.db rejects "$(sqlite3 s.db "SELECT max(id) FROM import_run")"
expect_contains "$OUT" '29.02.2023' "rejects listed"
memcheck report --db s.db report -o report --period 2025 -q
expect_eq "$(ls report/bildungsbericht.pdf 2>/dev/null)" "report/bildungsbericht.pdf" "report written"
finish
