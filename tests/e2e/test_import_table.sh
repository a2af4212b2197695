#!/bin/bash
# test_import_table.sh — bimo import table NAME FILE on hand-made published tables: title lines,
# typing by inspection, symbols as NULL with their side column, German numbers, codes with
# leading zeros, notes below the table, provenance, replacement and rollback.
. "$TESTS_DIR/e2e/lib.sh"
DATA="$TESTS_DIR/data/import"
REGIO="$DATA/table_regio.csv"
db() { sqlite3 -batch s.db "$@"; }

expect_exit 0 "$BIMO" --db s.db init

# A Regionalstatistik-style table: Windows-1252, ';', CRLF, four title lines (the first with a
# comma, two padded with delimiters), a two-column header pair, symbols, German numbers, AGS
# with leading zeros, an unnamed column, and three note lines below the table.
expect_exit 0 "$BIMO" --db s.db import table bev "$REGIO"
expect_contains "$OUT" "-> ext_bev: title lines skipped: 4; 8 rows read, 5 loaded, 3 rejected" "summary"
expect_contains "$OUT" "cp1252, delimiter ;" "encoding and delimiter found"
expect_contains "$ERR" "ext_bev: stichtag DATE, regionalschluessel TEXT, name TEXT, insgesamt INTEGER (+ symbol)" "columns notice"
expect_contains "$ERR" 'values such as "1.234" are read as German thousands (1234) in: weiblich, insgesamt_2, weiblich_2' "grouping notice"

# Column names and types (PRAGMA table_info): symbol columns only where a symbol occurs.
expect_eq "$(db "SELECT group_concat(name || ' ' || type, ', ') FROM pragma_table_info('ext_bev')")" \
    "stichtag DATE, regionalschluessel TEXT, name TEXT, insgesamt INTEGER, insgesamt_symbol TEXT, weiblich INTEGER, weiblich_symbol TEXT, insgesamt_2 INTEGER, insgesamt_2_symbol TEXT, weiblich_2 INTEGER, weiblich_2_symbol TEXT, auslaenderanteil_in REAL, auslaenderanteil_in_symbol TEXT, column_9 TEXT, flaeche_km REAL" \
    "columns and types"

# Exact values: dates yyyymmdd, German thousands and decimal commas, leading zeros kept.
expect_eq "$(db "SELECT stichtag, regionalschluessel, name, insgesamt, weiblich, insgesamt_2, weiblich_2, auslaenderanteil_in, column_9, flaeche_km FROM ext_bev WHERE rowid = 1")" \
    "20231231|03459|Landkreis Osnabrück|1234567|634567|98765|48000|12.5|07|2121.6" "first row"
expect_eq "$(db "SELECT regionalschluessel, insgesamt, auslaenderanteil_in, flaeche_km FROM ext_bev WHERE name = 'Melle'")" \
    "03459024|47123|9.8|253.5" "German numbers"
expect_eq "$(db "SELECT typeof(stichtag), typeof(regionalschluessel), typeof(insgesamt), typeof(auslaenderanteil_in), typeof(column_9) FROM ext_bev WHERE rowid = 1")" \
    "integer|text|integer|real|text" "storage classes"
expect_eq "$(db "SELECT count(*) FROM ext_bev WHERE regionalschluessel LIKE '0%'")" "5" "AGS keep their leading zero"
# A quoted delimiter stays in the field.
expect_eq "$(db "SELECT name FROM ext_bev WHERE regionalschluessel = '03459002'")" \
    "Ankum; Samtgemeinde Bersenbrück" "quoted field"

# Symbols: NULL (never 0) with the symbol beside it; - . x / ... and LSN's k u [n] [g], – and ….
expect_eq "$(db "SELECT quote(insgesamt), insgesamt_symbol, quote(weiblich), weiblich_symbol, quote(insgesamt_2), insgesamt_2_symbol, quote(weiblich_2), weiblich_2_symbol, quote(auslaenderanteil_in), auslaenderanteil_in_symbol FROM ext_bev WHERE name = 'Georgsmarienhütte'")" \
    "NULL|-|NULL|.|NULL|x|NULL|/|NULL|..." "classic symbols"
expect_eq "$(db "SELECT quote(insgesamt_2), insgesamt_2_symbol, quote(weiblich_2), weiblich_2_symbol, quote(auslaenderanteil_in), auslaenderanteil_in_symbol FROM ext_bev WHERE name = 'Alfhausen'")" \
    "NULL|k|NULL|u|NULL|–" "LSN letters and the en dash"
expect_eq "$(db "SELECT insgesamt_2_symbol, weiblich_2_symbol, auslaenderanteil_in_symbol FROM ext_bev WHERE regionalschluessel = '03459002'")" \
    "[n]|[g]|…" "bracketed symbols and the ellipsis"
expect_eq "$(db "SELECT count(*) FROM ext_bev WHERE insgesamt_symbol IS NULL AND insgesamt IS NULL")" "0" "no NULL without a reason"
expect_eq "$(db "SELECT sum(insgesamt), count(insgesamt) FROM ext_bev")" "1293322|4" "symbols are not zeros"
# Empty fields are NULL without a symbol; in a text column a lone x is data.
expect_eq "$(db "SELECT quote(flaeche_km) FROM ext_bev WHERE name = 'Georgsmarienhütte'")" "NULL" "empty is NULL"
expect_eq "$(db "SELECT group_concat(quote(column_9), ' ') FROM ext_bev")" "'07' 'x' '12' '07' NULL" "text column keeps x"

# The registry of generic tables and the provenance.
expect_eq "$(db "SELECT name, import_id, columns, rows FROM ext_table")" "bev|1|10|5" "ext_table row"
expect_eq "$(db "SELECT source, file_name, sha256, size_bytes, encoding, delimiter, rows_read, rows_loaded, rows_rejected, status, bimo_version IS NOT NULL, finished IS NOT NULL FROM import_run WHERE id = 1")" \
    "table:bev|$REGIO|$(sha256sum < "$REGIO" | cut -d' ' -f1)|$(stat -c %s "$REGIO")|cp1252|;|8|5|3|loaded|1|1" "provenance"
# The notes below the table are rejects with line and reason (the padded one too).
expect_eq "$(db "SELECT group_concat(line || ',' || column || ',' || reason, ' / ') FROM (SELECT * FROM reject_row WHERE import_id = 1 ORDER BY line)")" \
    "12,0,footer or note line / 13,0,footer or note line / 14,0,footer or note line" "notes rejected"
expect_exit 0 "$BIMO" --db s.db rejects 1
expect_contains "$OUT" '13,0,"footer or note line","__________;;;;;;;;;"' "padded note kept as read"
expect_contains "$OUT" "Zeichenerklärung: - = nichts vorhanden" "note text kept (UTF-8)"
expect_exit 0 "$BIMO" --db s.db status
expect_contains "$OUT" "table:bev" "status lists the table import"

# Bad names are usage errors; nothing is recorded.
for bad in Bev 1bev _bev bev-2 "bev x" a234567890123456789012345678901234567890123; do
    expect_exit 64 "$BIMO" --db s.db import table "$bad" "$REGIO"
done
expect_contains "$ERR" "is not valid" "bad name message"
expect_exit 64 "$BIMO" --db s.db import table bev
expect_exit 64 "$BIMO" --db s.db import table bev "$REGIO" "$REGIO"
expect_exit 64 "$BIMO" --db s.db import table bev "$REGIO" --stichtag 31.12.2023
expect_exit 64 "$BIMO" --db s.db import melderegister x.csv --header-line 3
expect_exit 66 "$BIMO" --db s.db import table bev missing.csv
expect_eq "$(db "SELECT count(*) FROM import_run")" "1" "refused commands record nothing"

# A wrong field count is rejected with line, column and reason; over the threshold the
# import rolls back and the previous ext_bev stays as it was.
printf 'Stichtag;Regionalschlüssel;Insgesamt\n31.12.2024;03459;1.300.000\n31.12.2024;03459024;48.000;7\n31.12.2024;03459019\n31.12.2024;03459001;4.200\n' > bad.csv
db ".dump ext_bev ext_table" > before.sql
expect_exit 65 "$BIMO" --db s.db import table bev bad.csv
expect_contains "$ERR" "2 of 4 rows rejected, more than the allowed 1 %" "rollback message"
expect_contains "$ERR" "line 3: 4 fields, but the header has 3" "first reason"
db ".dump ext_bev ext_table" > after.sql
if cmp -s before.sql after.sql; then pass; else fail "a rolled-back import changed ext_bev"; fi
expect_eq "$(db "SELECT status, rows_read, rows_loaded, rows_rejected FROM import_run WHERE id = 2")" "rolled-back|4|0|2" "rolled-back run"
expect_exit 0 "$BIMO" --db s.db rejects 2
expect_contains "$OUT" '3,4,"4 fields, but the header has 3","31.12.2024;03459024;48.000;7"' "too many fields"
expect_contains "$OUT" '4,2,"2 fields, but the header has 3","31.12.2024;03459019"' "too few fields"

# Dry run: typed and recorded, nothing changes.
expect_exit 0 "$BIMO" --db s.db import table bev bad.csv --max-rejects 50% --dry-run
expect_contains "$OUT" "dry run, nothing loaded" "dry run summary"
expect_contains "$ERR" "ext_bev: stichtag DATE, regionalschluessel TEXT, insgesamt INTEGER" "dry run shows the types"
db ".dump ext_bev ext_table" > after.sql
if cmp -s before.sql after.sql; then pass; else fail "a dry run changed ext_bev"; fi

# Re-import replaces the table atomically: new columns, ext_table updated, old run replaced.
expect_exit 0 "$BIMO" --db s.db import table bev bad.csv --max-rejects 50%
expect_contains "$OUT" "4 rows read, 2 loaded, 2 rejected" "replacement summary"
expect_eq "$(db "SELECT group_concat(name || ' ' || type, ', ') FROM pragma_table_info('ext_bev')")" \
    "stichtag DATE, regionalschluessel TEXT, insgesamt INTEGER" "replaced columns"
expect_eq "$(db "SELECT stichtag, regionalschluessel, insgesamt FROM ext_bev ORDER BY rowid")" \
    "$(printf '20241231|03459|1300000\n20241231|03459001|4200')" "replaced rows"
expect_eq "$(db "SELECT name || '|' || import_id || '|' || columns || '|' || rows FROM ext_table")" "bev|4|3|2" "ext_table updated"
expect_eq "$(db "SELECT id || ':' || status FROM import_run ORDER BY id" | tr '\n' ' ')" \
    "1:replaced 2:rolled-back 3:dry-run 4:loaded " "run statuses"

# A second table beside it, from standard input, UTF-8 and comma; plain decimals, a
# two-line header chosen with --header-line.
printf 'Schulform,Schuljahr,Schüler,Anteil,Quote\r\n,,insgesamt,in Prozent,\r\nGS,2024/25,12345,12.5,"1,5"\r\nGYM,2024/25,8000,0.25,2.5\r\n' > schule.csv
expect_exit 0 "$BIMO" --db s.db import table schulen - --header-line 2 < schule.csv
expect_contains "$OUT" "stdin -> ext_schulen: title lines skipped: 1; 2 rows read, 2 loaded" "stdin summary"
expect_eq "$(db "SELECT group_concat(name || ' ' || type, ', ') FROM pragma_table_info('ext_schulen')")" \
    "column_1 TEXT, column_2 TEXT, insgesamt INTEGER, in_prozent REAL, column_5 TEXT" "second header's names"
expect_eq "$(db "SELECT column_1, column_2, insgesamt, in_prozent, column_5 FROM ext_schulen ORDER BY rowid")" \
    "$(printf 'GS|2024/25|12345|12.5|1,5\nGYM|2024/25|8000|0.25|2.5')" "plain decimals; mixed styles stay text"
expect_eq "$(db "SELECT file_name, encoding, delimiter FROM import_run WHERE source = 'table:schulen'")" "stdin|utf-8|," "stdin provenance"
expect_eq "$(db "SELECT count(*) FROM ext_table")" "2" "two generic tables"
finish
