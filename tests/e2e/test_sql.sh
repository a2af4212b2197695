#!/bin/bash
# test_sql.sh — bimo sql: reading works in all three formats; anything that would change the
# store is refused with exit 77 and a message naming what was refused; the store file is
# byte for byte the same afterwards.
. "$TESTS_DIR/e2e/lib.sh"
bimo() { "$BIMO" --db s.db "$@"; }
expect_exit 0 bimo init
expect_exit 0 bimo import melderegister "$TESTS_DIR/data/indicators/melderegister.csv"
before=$(sha256sum s.db | cut -d' ' -f1)

# 12 persons; Melle (3459024) has 4 of them.
Q="SELECT ags, count(*) AS n FROM melderegister GROUP BY ags ORDER BY n DESC, ags LIMIT 2"
expect_exit 0 bimo sql --format csv "$Q"
expect_eq "$OUT" "ags,n
3459024,4
3459001,2" "csv"
expect_exit 0 bimo sql "$Q"
expect_eq "$OUT" "    ags  n
-------  -
3459024  4
3459001  2
(2 rows)" "table"
expect_exit 0 bimo sql --format json "$Q;"
expect_eq "$OUT" '[
  {"ags": 3459024, "n": 4},
  {"ags": 3459001, "n": 2}
]' "json"
# Text, NULL, a blob (16-byte pseudonym as hex), bimo's SQL functions, reading PRAGMAs.
expect_exit 0 bimo sql --format csv "SELECT bimo_date(geburtsdatum) AS geb, bimo_age(geburtsdatum, 20251231) AS alter_,
  bimo_altersgruppe(geburtsdatum, 20251231) AS gruppe, staatsangehoerigkeit2, length(hex(person)) AS h
  FROM melderegister WHERE line = 7"
expect_eq "$OUT" "geb,alter_,gruppe,staatsangehoerigkeit2,h
2015-12-31,10,10-16,,32" "functions and NULL"
expect_exit 0 bimo sql --format csv "SELECT name FROM pragma_table_info('snapshot') WHERE cid = 2"
expect_eq "$OUT" "name
stichtag" "pragma table_info"
expect_exit 0 bimo sql "PRAGMA user_version"
SCHEMA_VERSION=$(sed -n 's/^#define BIMO_SCHEMA_VERSION //p' "$TESTS_DIR/../lib/bimo.h")
expect_contains "$OUT" "$SCHEMA_VERSION" "pragma user_version"
expect_exit 0 bimo sql --format csv "SELECT code, bezeichnung FROM code_geschlecht WHERE code = 'w'"
expect_eq "$OUT" "code,bezeichnung
w,weiblich" "code table"
echo "SELECT count(*) AS n FROM melderegister" > stmt.sql
expect_exit 0 bimo sql --format csv - < stmt.sql
expect_eq "$OUT" "n
12" "statement from stdin"

# Refused: exit 77, with what was refused.
refuse() { # SQL NEEDLE
    expect_exit 77 bimo sql "$1"
    expect_contains "$ERR" "refused: $2" "refused: $1"
}
refuse "INSERT INTO melderegister SELECT * FROM melderegister" "INSERT into melderegister"
refuse "UPDATE melderegister SET ags = 0" "UPDATE of melderegister"
refuse "DELETE FROM melderegister" "DELETE from melderegister"
refuse "CREATE TABLE x (a)" "CREATE TABLE (a change of the database schema)"
refuse "CREATE TEMP VIEW v AS SELECT 1" "CREATE TEMP VIEW (a change of the database schema)"
refuse "DROP TABLE melderegister" "DROP TABLE (a change of the database schema)"
refuse "CREATE INDEX i ON snapshot(stichtag)" "CREATE INDEX (a change of the database schema)"
refuse "DELETE FROM sqlite_master" "DELETE FROM (table sqlite_master may not be modified)"
refuse "UPDATE sqlite_master SET sql = 1" "UPDATE (table sqlite_master may not be modified)"
refuse "ALTER TABLE snapshot ADD COLUMN x" "ALTER TABLE snapshot"
refuse "ATTACH DATABASE 'other.db' AS o" "ATTACH"
refuse "PRAGMA writable_schema = 1" "PRAGMA writable_schema = 1"
refuse "PRAGMA user_version = 7" "PRAGMA user_version = 7"
refuse "PRAGMA journal_mode = DELETE" "PRAGMA journal_mode = DELETE"
refuse "SELECT load_extension('/tmp/evil.so')" "function load_extension()"
refuse "BEGIN" "BEGIN (transaction)"
refuse "VACUUM" "a statement that writes"
refuse "REINDEX" "REINDEX"
expect_exit 65 bimo sql "SELEC 1"
expect_contains "$ERR" "SQL:1:1: near \"SELEC\": syntax error" "syntax error"
expect_exit 65 bimo sql "SELECT nosuchcolumn FROM snapshot"
expect_exit 64 bimo sql "SELECT 1; DELETE FROM melderegister"
expect_contains "$ERR" "one statement at a time" "second statement"
expect_exit 64 bimo sql
expect_exit 64 bimo sql --format xml "SELECT 1"

# Nothing changed.
expect_eq "$(sha256sum s.db | cut -d' ' -f1)" "$before" "store file unchanged"
expect_eq "$(sqlite3 s.db 'SELECT count(*) FROM melderegister; PRAGMA user_version')" "12
$SCHEMA_VERSION" "store content unchanged"
[ ! -e other.db ] && pass || fail "ATTACH created other.db"
expect_exit 0 bimo sql --help
expect_contains "$OUT" "melderegister     snapshot_id, line, person, geburtsdatum" "help lists tables"
expect_contains "$OUT" "yyyymmdd" "help explains the encodings"
finish
