#!/bin/bash
# test_import_progress.sh — on a terminal the import draws a progress bar on stderr (rows,
# MB/s, share done and time left); without a terminal it draws nothing.
. "$TESTS_DIR/e2e/lib.sh"
command -v script > /dev/null || { echo "script(1) is missing (bsdutils)"; exit 77; }
awk 'BEGIN { print "stichtag;person_id;geburtsdatum;geschlecht;staatsangehoerigkeit;ags";
             for (i = 1; i <= 150000; i++) printf "31.12.2025;P%d;01.01.1980;m;000;03459024\n", i }' > big.csv
expect_exit 0 "$BIMO" --db s.db init
# Not a terminal: stderr stays empty.
expect_exit 0 "$BIMO" --db s.db import melderegister big.csv
expect_eq "$ERR" "" "no progress without a terminal"
expect_contains "$OUT" "150000 rows read, 150000 loaded" "summary line"
# A terminal (script gives the command a pseudo-terminal).
script -qec "$BIMO --db s.db import melderegister big.csv" /dev/null > tty.out 2>&1
TTY=$(tr '\r' '\n' < tty.out)
expect_contains "$TTY" "big.csv: 65536 rows" "progress rows"
expect_contains "$TTY" "MB/s" "progress speed"
expect_contains "$TTY" "left" "progress time left"
expect_contains "$TTY" "150000 rows read, 150000 loaded" "summary after the bar"
finish
