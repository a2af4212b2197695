#!/bin/bash
# test_crash.sh (slow) — kill -9 at random moments of imports. After each kill the store passes
# PRAGMA integrity_check, holds exactly the state before the import or the one after it (the
# snapshot's recorded rows, the rows there and the file it came from), no temporary file is
# left beside it, and the same import run again succeeds. KILLS kills, 100 by default, 30 with
# BIMO_SLOW_SCALE=ci; the moments are drawn from a fixed seed so a failure can be replayed.
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
finish
