#!/bin/bash
# test_crash.sh (slow) — kill -9 at random moments of imports. After each kill the store passes
# PRAGMA integrity_check, holds exactly the state before the import or the one after it (the
# snapshot's recorded rows, the rows there and the file it came from), no temporary file is
# left beside it, and the same import run again succeeds. Then kill -9 during reports and
# workbook exports: the output folder or file either does not exist or is complete, and the next
# report into the folder removes what the killed one left. KILLS
# import kills (100 by default, 30 with BIMO_SLOW_SCALE=ci) and a third as many output kills; the
# moments are drawn from a fixed seed so a failure can be replayed.
. "$TESTS_DIR/e2e/lib.sh"
. "$TESTS_DIR/e2e/faults_lib.sh"

case ${BIMO_SLOW_SCALE:-full} in
ci) kills=30 ;;
*) kills=100 ;;
esac
kills=${KILLS:-$kills}
RANDOM=${CRASH_SEED:-20251231}

make_extracts 20000
expect_exit 0 "$BIMO" --db s.db init
expect_exit 0 "$BIMO" --db s.db import melderegister A.csv
# How long an import takes here, so the kills spread over the whole run (and a little after).
t0=$(date +%s%N)
expect_exit 0 "$BIMO" --db s.db import melderegister B.csv
span_ms=$((($(date +%s%N) - t0) / 1000000 * 12 / 10 + 20))
echo "an import takes about $((span_ms * 10 / 12)) ms; kills drawn from 0..$span_ms ms"

current=B
early=0 late=0
for ((i = 1; i <= kills; i++)); do
    next=$([ $current = A ] && echo B || echo A)
    old=$(state s.db)
    delay_ms=$((RANDOM % span_ms))
    "$BIMO" --db s.db import melderegister $next.csv >/dev/null 2>&1 &
    pid=$!
    sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    new=$(state_$(tr AB ab <<<$next))
    now=$(state s.db)
    expect_eq "$(sqlite3 s.db "PRAGMA integrity_check")" "ok" "kill $i at $delay_ms ms: integrity"
    if [ "$now" = "$old" ]; then
        early=$((early + 1)); pass
    elif [ "$now" = "$new" ]; then
        late=$((late + 1)); pass
    else
        fail "kill $i at $delay_ms ms: state \"$now\" is neither \"$old\" nor \"$new\""
    fi
    stray=$(ls -A | grep '^s\.db' | grep -Ev '^s\.db(\.key|-wal|-shm)?$')
    expect_eq "$stray" "" "kill $i: no stray files beside the store"
    # The next run succeeds and gives the new state.
    expect_exit 0 "$BIMO" --db s.db import melderegister $next.csv
    expect_eq "$(state s.db)" "$new" "kill $i: the next run loads $next"
    current=$next
done
echo "$kills kills: $early before the commit (old state kept), $late after it (new state)"
expect_eq "$((early > 0 && late > 0))" 1 "kills landed both before and after the commit"
expect_eq "$(sqlite3 s.db "SELECT count(*) FROM import_run WHERE status = 'loaded'
    AND id IN (SELECT import_id FROM snapshot)")" 1 "one loaded run owns the snapshot"

# ---- Reports and workbooks ----------------------------------------------------------------------
expect_exit 0 "$BIMO" --db s.db import aufenthalt sample/aufenthalt_*.csv
TPL="$TESTS_DIR/data/report/kurz.md"
t0=$(date +%s%N)
expect_exit 0 "$BIMO" --db s.db report "$TPL" --period 2025 -o rep0 -q
report_ms=$((($(date +%s%N) - t0) / 1000000))
t0=$(date +%s%N)
expect_exit 0 "$BIMO" --db s.db workbook BEV-1 AUF-1 --period 2025 --by gemeinde -o wb0.xlsx
workbook_ms=$((($(date +%s%N) - t0) / 1000000))
echo "a report takes about $report_ms ms, a workbook $workbook_ms ms"
complete=0 absent=0 left=0
for ((i = 1; i <= kills / 3; i++)); do
    if ((i % 2)); then
        span=$((report_ms * 12 / 10 + 20)) out=rep$i
        "$BIMO" --db s.db report "$TPL" --period 2025 -o $out -q >/dev/null 2>&1 &
    else
        span=$((workbook_ms * 12 / 10 + 20)) out=wb$i.xlsx
        "$BIMO" --db s.db workbook BEV-1 AUF-1 --period 2025 --by gemeinde -o $out >/dev/null 2>&1 &
    fi
    pid=$!
    delay_ms=$((RANDOM % span))
    sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    if [ ! -e $out ]; then
        absent=$((absent + 1)); pass
    elif [ -d $out ]; then # the whole folder, as the finished run wrote it
        expect_eq "$(cd $out && find . -type f | sort | tr '\n' ' ')" "$(cd rep0 && find . -type f | sort | tr '\n' ' ')" \
            "output kill $i at $delay_ms ms: the report folder is complete"
        expect_contains "$(pdfinfo $out/bildungsbericht.pdf 2>&1)" "Pages:" "output kill $i: the PDF is whole"
        complete=$((complete + 1))
    else
        expect_eq "$(python3 -c 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).testzip())' $out 2>&1)" \
            "None" "output kill $i at $delay_ms ms: the workbook is a whole file"
        complete=$((complete + 1))
    fi
    # a killed run may leave its hidden temporary (".rep3.bimo-tmp-XXXXXX"), never a visible
    # partial one; the next run writing the same name removes the hidden one and succeeds
    expect_eq "$(ls | grep -E "^(rep|wb)$i" | grep -vx "$out")" "" "output kill $i: nothing else visible"
    left=$((left + $(ls -A | grep -c "^\.$out\.")))
    if ((i % 2)); then
        expect_exit 0 "$BIMO" --db s.db report "$TPL" --period 2025 -o $out --force -q
        expect_eq "$(cd $out && find . -type f | sort | tr '\n' ' ')" "$(cd rep0 && find . -type f | sort | tr '\n' ' ')" \
            "output kill $i: the next run completes the folder"
    else
        expect_exit 0 "$BIMO" --db s.db workbook BEV-1 AUF-1 --period 2025 --by gemeinde -o $out --force
    fi
    expect_eq "$(ls -A | grep -c "^\.$out\.")" "0" "output kill $i: the next run leaves nothing hidden"
done
echo "$((kills / 3)) output kills: $absent before the rename (no output), $complete after (complete)"
echo "$left temporary file(s) or folder(s) left by killed runs, all removed by the next run"
finish
