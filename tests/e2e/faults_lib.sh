# faults_lib.sh — shared by the fault tests: a sample district, two versions of one extract and
# the store's state as one line, so a test can say "old or new, nothing in between".

# make_extracts N: writes sample/ with about N persons and A.csv (the melderegister extract of
# 31.12.2025) and B.csv (the same without its last 1000 rows).
make_extracts() {
    "$BIMO" sample -o sample --persons "$1" >/dev/null || { fail "bimo sample"; return 1; }
    cp sample/melderegister_2025-12-31.csv A.csv
    head -n -1000 A.csv >B.csv
    ROWS_A=$(($(wc -l <A.csv) - 1))
    ROWS_B=$((ROWS_A - 1000))
    SHA_A=$(sha256sum A.csv | cut -c1-64)
    SHA_B=$(sha256sum B.csv | cut -c1-64)
}

# state DB: the melderegister snapshots as "stichtag:rows:counted:sha256" — rows as recorded,
# rows actually there, and the file the snapshot came from.
state() {
    sqlite3 -batch "$1" "SELECT group_concat(x, ' ') FROM (SELECT s.stichtag || ':' || s.rows
        || ':' || (SELECT count(*) FROM melderegister m WHERE m.snapshot_id = s.id) || ':'
        || r.sha256 AS x FROM snapshot s JOIN import_run r ON r.id = s.import_id
        WHERE s.source = 'melderegister' ORDER BY s.stichtag)"
}
STATE_EMPTY=""
state_a() { echo "20251231:$ROWS_A:$ROWS_A:$SHA_A"; }
state_b() { echo "20251231:$ROWS_B:$ROWS_B:$SHA_B"; }
