#!/bin/bash
# test_hostile.sh — inputs built to exhaust memory or time, each generated on the fly: a 100 MiB
# field, a line of a million delimiters, a quote that never closes, and a flood of empty lines
# through a pipe. Each is rejected or handled, within MAX_RSS_KIB of memory (measured with
# /usr/bin/time) and a time limit. The flood has EMPTY_LINES lines: 10 million in the normal
# suite; in the slow suite a billion, or 100 million with BIMO_SLOW_SCALE=ci.
. "$TESTS_DIR/e2e/lib.sh"

if [ -n "${EMPTY_LINES:-}" ]; then
    lines=$EMPTY_LINES
else
    case ${BIMO_SLOW_SCALE:-full} in
    ci) lines=100000000 ;;
    *) lines=1000000000 ;;
    esac
fi
MAX_RSS_KIB=${MAX_RSS_KIB:-262144} # 256 MiB; the inputs below are 100 MiB and more
H='stichtag;person_id;geburtsdatum;geschlecht;staatsangehoerigkeit;staatsangehoerigkeit2;ags;zuzugsdatum;herkunftsland;einreisedatum'
ROW='31.12.2025;P9;01.01.1990;m;000;;03459024;;;'
expect_exit 0 "$BIMO" --db s.db init

# measured LIMIT_S NAME CMD...: runs CMD (reading measured.in) under /usr/bin/time, keeps
# stdout/stderr in $OUT/$ERR, the exit in $RC, and checks peak memory and time.
measured() {
    local limit=$1 name=$2; shift 2
    /usr/bin/time -f '%M %e' -o time.txt "$@" <measured.in >"$WORK/.out" 2>"$WORK/.err"
    RC=$?
    OUT=$(cat "$WORK/.out"); ERR=$(cat "$WORK/.err")
    read -r rss secs <time.txt
    echo "$name: exit $RC, max RSS $rss KiB, $secs s"
    expect_eq "$((rss < MAX_RSS_KIB))" 1 "$name: max RSS $rss KiB under $MAX_RSS_KIB"
    expect_eq "$(awk -v s="$secs" -v l="$limit" 'BEGIN { print (s < l) }')" 1 "$name: $secs s under $limit s"
}

# A 100 MiB field: the row is rejected (fields are at most 1 MiB) without holding the field;
# the row after it still loads.
{
    echo "$H"
    printf '31.12.2025;P1;01.01.1990;m;000;;03459024;'
    head -c $((100 * 1024 * 1024)) /dev/zero | tr '\0' x
    printf ';;\n%s\n' "$ROW"
} >measured.in
measured 30 "100 MiB field" "$BIMO" --db s.db import melderegister - --max-rejects 50%
expect_eq "$RC" 0 "100 MiB field: exit"
expect_contains "$OUT" "2 rows read, 1 loaded, 1 rejected" "100 MiB field: counts"
expect_eq "$("$BIMO" --db s.db rejects 1 | sed -n 2p | cut -d, -f1-3)" '2,0,"line is longer than 4 MiB"' \
    "100 MiB field: the reason"
# The same through the generic table import.
measured 30 "100 MiB field, table" "$BIMO" --db s.db import table big - --max-rejects 50%
expect_eq "$RC" 0 "100 MiB field, table: exit"
expect_contains "$OUT" "2 rows read, 1 loaded, 1 rejected" "100 MiB field, table: counts"

# A million delimiters in one line: as empty trailing fields they are padding (the row loads);
# with text between them the row has a million fields and is rejected.
{ echo "$H"; printf '31.12.2025;P3;01.01.1990;m;000;;03459024;;;'; head -c 1000000 /dev/zero | tr '\0' ';'; echo; } >measured.in
measured 30 "a million empty fields" "$BIMO" --db s.db import melderegister -
expect_eq "$RC" 0 "a million empty fields: exit"
expect_contains "$OUT" "1 rows read, 1 loaded, 0 rejected" "a million empty fields: loaded"
{ echo "$H"; head -c 1000000 /dev/zero | tr '\0' ';' | sed 's/;/x;/g'; echo; echo "$ROW"; } >measured.in
measured 30 "a million fields" "$BIMO" --db s.db import melderegister - --max-rejects 50%
expect_eq "$RC" 0 "a million fields: exit"
expect_contains "$OUT" "2 rows read, 1 loaded, 1 rejected" "a million fields: counts"
expect_contains "$("$BIMO" --db s.db rejects 4 | sed -n 2p)" '1000001 fields, but the header has 10' \
    "a million fields: the reason"

# A quote that never closes, followed by a million lines: the record gives up after 100 lines
# and reading resumes behind it, so the rows after the quote still count.
{ echo "$H"; printf '31.12.2025;"P4;01.01.1990;m;000;;03459024;;;\n'; yes "$ROW" | head -n 1000000 | awk -F';' -v OFS=';' '{ $2 = "Q" NR; print }'; } >measured.in
measured 60 "an open quote" "$BIMO" --db s.db import melderegister - --max-rejects 50%
expect_eq "$RC" 0 "an open quote: exit"
expect_contains "$OUT" "rows read, 1000000 loaded, 1 rejected" "an open quote: every row after it loads"

# A flood of empty lines through a pipe (never a file): counted and skipped in constant memory.
rm -f measured.in && mkfifo measured.in
{ echo "$H"; yes '' | head -n "$lines"; echo "$ROW"; } >measured.in &
measured $((lines / 2000000 + 30)) "$lines empty lines" "$BIMO" --db s.db import melderegister -
wait
expect_eq "$RC" 0 "empty lines: exit"
expect_contains "$OUT" "1 rows read, 1 loaded, 0 rejected, 0 repaired, $lines blank lines" "empty lines: counted"
expect_eq "$(sqlite3 s.db "PRAGMA integrity_check")" "ok" "store intact"
finish
