#!/bin/bash
# test_sql_hostile.sh — more ways to make `bimo sql` write, copy, attach or load code, beyond
# test_sql.sh: each is refused (exit 77) or unknown (exit 65), no file appears, and the store's
# bytes are the same afterwards.
. "$TESTS_DIR/e2e/lib.sh"
bimo() { "$BIMO" --db s.db "$@"; }

expect_exit 0 bimo init
expect_exit 0 bimo import melderegister "$TESTS_DIR/data/indicators/melderegister.csv"
expect_exit 0 bimo status # a clean close: the write-ahead log is folded into the store
before=$(sha256sum s.db | cut -c1-64)

refused() { # SQL NEEDLE
    expect_exit 77 bimo sql "$1"
    expect_contains "$ERR" "refused: $2" "refused: $1"
}
refused "VACUUM INTO 'copy.db'" "a statement that writes"
refused "SAVEPOINT a" "SAVEPOINT"
refused "CREATE VIRTUAL TABLE v USING fts5(a)" "CREATE VIRTUAL TABLE"
refused "WITH x AS (SELECT 1) INSERT INTO snapshot SELECT * FROM snapshot" "INSERT into snapshot"
refused "SELECT fts3_tokenizer('simple', x'0000000000000000')" "function fts3_tokenizer()"
refused "PRAGMA query_only = 0" "PRAGMA query_only = 0"
refused "PRAGMA wal_checkpoint(TRUNCATE)" "PRAGMA wal_checkpoint"
refused "PRAGMA temp_store_directory = '/tmp'" "PRAGMA temp_store_directory"
refused "PRAGMA mmap_size = 1000000" "PRAGMA mmap_size"
refused "PRAGMA optimize" "PRAGMA optimize"
refused "DETACH main" "DETACH main"
refused "ANALYZE" "ANALYZE (a change of the database schema)"
refused "ATTACH 'file:other.db?mode=rwc' AS o" "ATTACH"
refused "SELECT load_extension('libm.so.6', 'cos')" "function load_extension()"
# The shell's file functions and the page-level table do not exist here.
unknown() { # SQL
    expect_exit 65 bimo sql "$1"
}
unknown "SELECT writefile('w.txt', 'x')"
unknown "SELECT readfile('/etc/passwd')"
unknown "INSERT INTO sqlite_dbpage VALUES (1, zeroblob(16384))"
unknown "SELECT edit('x')"
expect_eq "$(ls copy.db other.db w.txt 2>/dev/null)" "" "no file was written"
expect_eq "$(sha256sum s.db | cut -c1-64)" "$before" "the store's bytes are unchanged"
finish
