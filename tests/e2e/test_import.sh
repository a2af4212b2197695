#!/bin/bash
# test_import.sh — bimo import on hand-made extracts: every reject reason with its line and
# column, provenance, rollback over the threshold, snapshot replacement, stdin, encodings,
# and that no raw identifier reaches the store file.
. "$TESTS_DIR/e2e/lib.sh"
DATA="$TESTS_DIR/data/import"
db() { sqlite3 -batch s.db "$@"; }

expect_exit 0 "$BIMO" --db s.db init

# A clean extract: BOM, ';', CRLF, DD.MM.YYYY, a stichtag column.
expect_exit 0 "$BIMO" --db s.db import melderegister "$DATA/melde_ok.csv"
expect_contains "$OUT" "5 rows read, 5 loaded, 0 rejected" "clean import summary"
expect_contains "$OUT" "utf-8-bom, delimiter ;" "encoding and delimiter found"
expect_eq "$(db "SELECT count(*) FROM melderegister")" "5" "rows in store"
expect_eq "$(db "SELECT stichtag, rows FROM snapshot WHERE source = 'melderegister'")" "20251231|5" "snapshot"
expect_eq "$(db "SELECT sha256, size_bytes, encoding, delimiter, stichtag, status FROM import_run WHERE id = 1")" \
    "$(sha256sum < "$DATA/melde_ok.csv" | cut -d' ' -f1)|$(stat -c %s "$DATA/melde_ok.csv")|utf-8-bom|;|2025-12-31|loaded" "provenance"
# Dates are yyyymmdd, states Destatis numbers, AGS numbers; the leap-day birth stays.
expect_eq "$(db "SELECT geburtsdatum, staatsangehoerigkeit, ags, einreisedatum FROM melderegister WHERE line = 4")" \
    "20000229|166|3459019|20220310" "stored values"
expect_eq "$(db "SELECT count(*) FROM melderegister WHERE staatsangehoerigkeit2 = 0")" "1" "second nationality"
expect_eq "$(db "SELECT length(person) FROM melderegister LIMIT 1")" "16" "pseudonym length"
expect_exit 0 "$BIMO" --db s.db status
expect_contains "$OUT" "melderegister" "status lists the import"
expect_contains "$OUT" "$(sha256sum < "$DATA/melde_ok.csv" | cut -d' ' -f1)" "status shows sha256"

# Every reject reason, with line and column (header = line 1).
expect_exit 0 "$BIMO" --db s.db import melderegister "$DATA/melde_bad.csv" --max-rejects 100%
expect_contains "$OUT" "16 rows read, 5 loaded, 11 rejected, 2 repaired" "bad file summary"
expect_exit 0 "$BIMO" --db s.db rejects 2
REJ=$OUT
check_reject() { # line column reason-fragment
    local row
    row=$(printf '%s\n' "$REJ" | grep "^$1,$2,")
    expect_contains "$row" "$3" "reject at line $1 column $2"
}
check_reject 3 3 'geburtsdatum ""31.02.1990"" is not a date (expected DD.MM.YYYY or YYYY-MM-DD)'
check_reject 4 4 'geschlecht ""q"" is not in code list geschlecht (m, w, d, x)'
check_reject 5 5 'staatsangehoerigkeit ""999x"" is not a Destatis state code or ISO alpha-3 code'
check_reject 6 7 'ags ""03404000"" is not a municipality of the district'
check_reject 8 3 'geburtsdatum 01.01.2026 lies after the reference date 31.12.2025'
check_reject 9 3 'age 125 at the reference date is over 120'
check_reject 10 9 '9 fields, but the header has 10'
check_reject 11 2 'required value person_id is empty'
check_reject 12 2 'duplicate person_id: already in line 2'
check_reject 13 5 'quot'
check_reject 14 8 'zuzugsdatum 01.01.1980 lies before geburtsdatum 01.01.1990'
expect_eq "$(printf '%s\n' "$REJ" | wc -l)" "12" "header + 11 rejects"
expect_contains "$REJ" ';31.02.1990;m;000;;03459024;;;' "raw row kept"
# The repaired rows: 7-digit AGS, ISO alpha-3, a state code that lost its zeros.
expect_eq "$(db "SELECT group_concat(ags || '/' || staatsangehoerigkeit, ' ') FROM melderegister m JOIN snapshot s ON s.id = m.snapshot_id WHERE s.import_id = 2 ORDER BY line")" \
    "3459024/0 3459024/0 3459024/475 3459024/0 3459024/0" "repaired values"
# The second file carried the same reference date: it replaced the first snapshot.
expect_eq "$(db "SELECT count(*) FROM snapshot WHERE source = 'melderegister'")" "1" "one snapshot"
expect_eq "$(db "SELECT count(*) FROM melderegister")" "5" "snapshot replaced"
expect_eq "$(db "SELECT status FROM import_run WHERE id = 1")" "replaced" "replaced run marked"

# rejects -o writes a private file and refuses to overwrite.
expect_exit 0 "$BIMO" --db s.db rejects 2 -o rej.csv
expect_eq "$(stat -c %a rej.csv)" "600" "rejects file mode"
expect_exit 73 "$BIMO" --db s.db rejects 2 -o rej.csv
expect_exit 66 "$BIMO" --db s.db rejects 99
expect_contains "$ERR" "no import 99" "unknown import"

# Over the threshold: nothing changes but the record of the run (every other table, code
# tables included, dumps byte for byte as before).
dump_data() { db .dump | grep -v -e '^INSERT INTO import_run' -e '^INSERT INTO reject_row'; }
dump_data > before.sql
expect_exit 65 "$BIMO" --db s.db import melderegister "$DATA/melde_bad.csv"
expect_contains "$ERR" "11 of 16 rows rejected, more than the allowed 1 %" "rollback message"
expect_contains "$ERR" "line 3: geburtsdatum" "first reason in message"
dump_data > after.sql
if cmp -s before.sql after.sql; then pass; else fail "rollback changed the data"; fi
expect_eq "$(db "SELECT status, rows_loaded, rows_rejected FROM import_run WHERE id = 3")" "rolled-back|0|11" "rolled-back run recorded"
expect_eq "$(db "SELECT count(*) FROM reject_row WHERE import_id = 3")" "11" "rejects of the rolled-back run"

# Header problems fail before any row is read.
printf 'person_id;geburtsdatum;geschlecht;ags\n1;01.01.1990;m;03459024\n' > nohdr.csv
expect_exit 65 "$BIMO" --db s.db import melderegister nohdr.csv --stichtag 31.12.2025
expect_contains "$ERR" 'required column "staatsangehoerigkeit" missing; header has: person_id;geburtsdatum;geschlecht;ags' "missing column"
printf 'person_id;Nachname;geburtsdatum;geschlecht;staatsangehoerigkeit;ags\n' > name.csv
expect_exit 65 "$BIMO" --db s.db import melderegister name.csv --stichtag 31.12.2025
expect_contains "$ERR" 'column "Nachname" holds names or addresses' "name column refused"
printf 'person_id;geburtsdatum;geschlecht;staatsangehoerigkeit;ags\n' > nodate.csv
expect_exit 65 "$BIMO" --db s.db import melderegister nodate.csv
expect_contains "$ERR" "no reference date" "no stichtag"
expect_exit 66 "$BIMO" --db s.db import melderegister missing.csv
expect_exit 64 "$BIMO" --db s.db import nosuchsource x.csv

# Back to the clean 2025 extract, then another reference date from stdin with --stichtag, Windows-1252 header, comma delimiter,
# and an unknown column that is ignored with a notice.
expect_exit 0 "$BIMO" --db s.db import melderegister "$DATA/melde_ok.csv"
printf 'Person_ID,Geburtsdatum,Geschlecht,Staatsangeh\xf6rigkeit,AGS,Bemerkung\r\nP001,1980-03-15,2,000,03459024,x\r\nP009,1975-06-01,1,163,03459008,y\r\n' > cp.csv
expect_exit 0 "$BIMO" --db s.db import melderegister - --stichtag 31.12.2024 < cp.csv
expect_contains "$OUT" "2 rows read, 2 loaded" "stdin import"
expect_contains "$OUT" "cp1252, delimiter ," "cp1252 and comma detected"
expect_contains "$ERR" 'column "Bemerkung" is not part of melderegister and is ignored' "ignored column notice"
expect_eq "$(db "SELECT file_name, sha256 FROM import_run ORDER BY id DESC LIMIT 1")" \
    "stdin|$(sha256sum < cp.csv | cut -d' ' -f1)" "stdin provenance"
expect_eq "$(db "SELECT stichtag, rows FROM snapshot WHERE source = 'melderegister' ORDER BY stichtag")" \
    "$(printf '20241231|2\n20251231|5')" "two snapshots"
# The same person has the same pseudonym in both snapshots (P001).
expect_eq "$(db "SELECT count(*) FROM melderegister a JOIN melderegister b ON a.person = b.person AND a.snapshot_id < b.snapshot_id")" "1" "pseudonyms link snapshots"
# Replacing 2024 leaves 2025 alone.
expect_exit 0 "$BIMO" --db s.db import melderegister - --stichtag 2024-12-31 < <(head -2 cp.csv)
expect_eq "$(db "SELECT stichtag, rows FROM snapshot WHERE source = 'melderegister' ORDER BY stichtag")" \
    "$(printf '20241231|1\n20251231|5')" "replace one snapshot only"
expect_eq "$(db "SELECT count(*) FROM melderegister")" "6" "rows after replacement"

# A --stichtag that contradicts the stichtag column is a reject.
expect_exit 65 "$BIMO" --db s.db import melderegister "$DATA/melde_ok.csv" --stichtag 30.06.2025
expect_contains "$ERR" "stichtag 31.12.2025 differs from --stichtag 30.06.2025" "stichtag mismatch"

# Dry run: validated and recorded, nothing loaded.
expect_exit 0 "$BIMO" --db s.db import melderegister "$DATA/melde_ok.csv" --dry-run
expect_contains "$OUT" "dry run" "dry run summary"
expect_eq "$(db "SELECT status FROM import_run ORDER BY id DESC LIMIT 1")" "dry-run" "dry run recorded"
expect_eq "$(db "SELECT count(*) FROM melderegister")" "6" "dry run loads nothing"

# Three rows of one person: the first stays, both repeats name it.
printf 'stichtag;person_id;geburtsdatum;geschlecht;staatsangehoerigkeit;ags\n' > triple.csv
for i in 1 2 3; do printf '31.12.2023;TRIPLE1;0%d.01.1990;m;000;03459024\n' "$i" >> triple.csv; done
printf '31.12.2023;TRIPLE2;01.01.1990;w;000;03459024\n' >> triple.csv
expect_exit 0 "$BIMO" --db s.db import melderegister triple.csv --max-rejects 100%
expect_contains "$OUT" "4 rows read, 2 loaded, 2 rejected" "triple summary"
T=$("$BIMO" --db s.db rejects "$(db "SELECT max(id) FROM import_run")")
expect_contains "$T" '3,2,"duplicate person_id: already in line 2"' "second copy"
expect_contains "$T" '4,2,"duplicate person_id: already in line 2"' "third copy"
expect_eq "$(db "SELECT group_concat(geburtsdatum) FROM melderegister m JOIN snapshot s ON s.id = m.snapshot_id WHERE s.stichtag = 20231231")" "19900101,19900101" "first copy kept"

# A row the reader cannot parse, with a quoted delimiter before the identifier: the mask
# still finds the identifier's field.
printf 'stichtag;hinweis;person_id;geburtsdatum;geschlecht;staatsangehoerigkeit;ags\n31.12.2022;"a;b";X99;01.01.1990;m;0"0;03459024\n' > quoted.csv
expect_exit 65 "$BIMO" --db s.db import melderegister quoted.csv
expect_contains "$("$BIMO" --db s.db rejects "$(db "SELECT max(id) FROM import_run")")" '31.12.2022;""a;b"";#' "masked after a quoted delimiter"

# No raw identifier is anywhere in the store files, not even in the rejects: there the
# identifier is masked by a token.
db "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
for id in P001 P002 P003 P004 P005 P009 B01 B02 B06 B12 B14 X99 TRIPLE1 TRIPLE2; do
    if grep -a -q "$id" s.db s.db-wal 2>/dev/null; then fail "identifier $id found in the store"; else pass; fi
done
expect_contains "$REJ" '31.12.2025;#' "masked identifier in a reject"
finish
