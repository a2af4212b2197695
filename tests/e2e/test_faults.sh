#!/bin/bash
# test_faults.sh — what bimo does when the machine is against it: a full disk during an import,
# a report and an export, a read-only store, a missing or exposed key, an exposed store, a store
# of a newer schema, damaged store files, readers and reports while an import writes, and two
# writers at once. Each fault gives a clear message and exit code, and the store keeps its old state or
# gets the new one, never a mix.
. "$TESTS_DIR/e2e/lib.sh"
. "$TESTS_DIR/e2e/faults_lib.sh"

make_extracts 20000
expect_exit 0 "$BIMO" --db s.db init
expect_exit 0 "$BIMO" --db s.db import melderegister A.csv
expect_eq "$(state s.db)" "$(state_a)" "A loaded"

# ---- A full disk -------------------------------------------------------------------------------
# The store lives on a tmpfs; after A is in, a filler file leaves half a snapshot's size free, too
# little for the write-ahead log of a second snapshot. A snapshot takes D bytes: the store with A
# less an empty store. Where mounting is not allowed, a file-size limit (ulimit -f) of D / 2 plays
# the full disk for the second import: its write-ahead log cannot take the snapshot.
expect_exit 0 "$BIMO" --db empty.db init
s_kib=$(($(stat -c %s s.db) / 1024))
d_kib=$((s_kib - $(stat -c %s empty.db) / 1024))
mkdir small
if [ -z "${FAULTS_NO_MOUNT:-}" ] && mount -t tmpfs -o size=64m tmpfs small 2>/dev/null; then
    trap 'umount "$WORK/small" 2>/dev/null; umount "$WORK/ro" 2>/dev/null; rm -rf "$WORK"' EXIT
    full_disk=tmpfs
    run_small() { "$BIMO" "$@"; }
else
    full_disk=ulimit
    run_small() { (trap '' XFSZ; ulimit -f $((d_kib)); exec "$BIMO" "$@"); } # 512-byte blocks
fi
echo "full disk by $full_disk (a snapshot takes $d_kib KiB)"
expect_exit 0 "$BIMO" --db small/s.db init
expect_exit 0 "$BIMO" --db small/s.db import melderegister A.csv
if [ $full_disk = tmpfs ]; then
    avail=$(df -k --output=avail small | tail -1)
    dd if=/dev/zero of=small/filler bs=1k count=$((avail - d_kib / 2)) 2>/dev/null
fi
before=$(state small/s.db)
runs_before=$(sqlite3 small/s.db "SELECT count(*) FROM import_run")
cp sample/melderegister_2024-12-31.csv C.csv
expect_exit 74 run_small --db small/s.db import melderegister C.csv
expect_contains "$ERR" "; nothing was loaded, the store is unchanged" "full disk: message"
# SQLite says "database or disk is full" on ENOSPC; a file-size limit gives EFBIG, "disk I/O error".
[ $full_disk = tmpfs ] && expect_contains "$ERR" "cannot commit the import: database or disk is full" "full disk: cause"
case $ERR in *"recorded as import"*) fail "full disk: names a run that was rolled back" ;; *) pass ;; esac
expect_eq "$(sqlite3 small/s.db "PRAGMA integrity_check")" "ok" "full disk: store intact"
expect_eq "$(state small/s.db)" "$before" "full disk: store unchanged"
expect_eq "$(sqlite3 small/s.db "SELECT count(*) FROM import_run")" "$runs_before" "full disk: no run recorded"
expect_exit 74 run_small --db small/s.db import table big C.csv
expect_contains "$ERR" "nothing was loaded, the store is unchanged" "full disk, table: message"
expect_eq "$(sqlite3 small/s.db "SELECT count(*) FROM sqlite_master WHERE name = 'ext_big'")" "0" "full disk, table: no table"
# With room again the same import goes through.
rm -f small/filler
expect_exit 0 "$BIMO" --db small/s.db import melderegister C.csv
expect_contains "$(state small/s.db)" "20241231:" "full disk: next run succeeds"

# ---- A full disk for the report and the export -------------------------------------------------
# Their folder goes to a small tmpfs that a filler leaves 64 KiB of (where mounting is not
# allowed, a file-size limit of 64 KiB): each stops with 73 or 74, names what it could not
# write, leaves neither the folder nor a temporary one, and the store keeps its state. With
# room, the same runs succeed (so the disk was the cause).
expect_exit 0 "$BIMO" --db s.db report --period 2025 -o roomy-report
expect_exit 0 "$BIMO" --db s.db export "$TESTS_DIR/../report-templates/quartalsexport.md" \
    --period 2025Q3 -o roomy-export --quiet
before=$(state s.db) # the export records its release
mkdir tiny
if [ $full_disk = tmpfs ] && mount -t tmpfs -o size=4m tmpfs tiny 2>/dev/null; then
    trap 'umount "$WORK/small" "$WORK/tiny" 2>/dev/null; umount "$WORK/ro" 2>/dev/null; rm -rf "$WORK"' EXIT
    avail=$(df -k --output=avail tiny | tail -1)
    dd if=/dev/zero of=tiny/filler bs=1k count=$((avail - 64)) 2>/dev/null
    run_tiny() { "$BIMO" "$@"; }
else
    run_tiny() { (trap '' XFSZ; ulimit -f 128; exec "$BIMO" "$@"); }
fi
run_tiny --db s.db report --period 2025 -o tiny/bericht > out.txt 2> err.txt
rc=$?
case $rc in 73 | 74) pass ;; *) fail "full disk, report: exit $rc, expected 73 or 74: $(cat err.txt)" ;; esac
expect_contains "$(cat err.txt)" "tiny/" "full disk, report: names the file"
expect_eq "$(ls -A tiny | grep -v '^filler$')" "" "full disk, report: nothing left in the folder"
run_tiny --db s.db export "$TESTS_DIR/../report-templates/quartalsexport.md" --period 2025Q3 \
    -o tiny/export --quiet > out.txt 2> err.txt
rc=$?
case $rc in 73 | 74) pass ;; *) fail "full disk, export: exit $rc, expected 73 or 74: $(cat err.txt)" ;; esac
expect_contains "$(cat err.txt)" "tiny/" "full disk, export: names the file"
expect_eq "$(ls -A tiny | grep -v '^filler$')" "" "full disk, export: nothing left in the folder"
expect_eq "$(sqlite3 s.db "PRAGMA integrity_check")" "ok" "full disk, export: store intact"
expect_eq "$(state s.db)" "$before" "full disk, report and export: store unchanged"
[ $full_disk = tmpfs ] && umount tiny 2>/dev/null

# ---- A read-only store --------------------------------------------------------------------------
mkdir ro
if [ "$(id -u)" -ne 0 ]; then
    cp -p s.db s.db.key ro/ && chmod 0500 ro && chmod 0400 ro/s.db
    ro_ok=1
elif [ -z "${FAULTS_NO_MOUNT:-}" ] && mount -t tmpfs -o size=16m tmpfs ro 2>/dev/null; then
    cp -p s.db s.db.key ro/ && mount -o remount,ro ro
    ro_ok=1
else
    echo "read-only store: skipped (root without mount)"
    ro_ok=0
fi
if [ $ro_ok = 1 ]; then
    expect_exit 77 "$BIMO" --db ro/s.db import melderegister B.csv
    expect_contains "$ERR" "store ro/s.db cannot be written" "read-only: message"
    expect_contains "$ERR" "imports and migrations need write access to the store and its folder" "read-only: why"
    # Reading still works.
    expect_exit 0 "$BIMO" --db ro/s.db indicators compute BEV-1 --period 31.12.2025 --format csv
    expect_contains "$OUT" "BEV-1,2025-12-31,$ROWS_A,,$ROWS_A," "read-only: indicators computed"
    expect_exit 0 "$BIMO" --db ro/s.db sql "SELECT count(*) AS n FROM melderegister" --format csv
    expect_eq "$OUT" "$(printf 'n\n%s' "$ROWS_A")" "read-only: sql"
fi

# ---- Key and store files ------------------------------------------------------------------------
cp -p s.db k.db
expect_exit 66 "$BIMO" --db k.db import melderegister B.csv
expect_contains "$ERR" "pseudonym key k.db.key is missing" "missing key"
cp -p s.db.key k.db.key && chmod 0644 k.db.key
expect_exit 77 "$BIMO" --db k.db import melderegister B.csv
expect_contains "$ERR" "pseudonym key k.db.key is accessible to other users (mode 644); run chmod 600 k.db.key" "key readable by others"
expect_exit 77 "$BIMO" --db k.db indicators compute BEV-1 --period 2025
chmod 0600 k.db.key && chmod 0640 k.db
expect_exit 77 "$BIMO" --db k.db status
expect_contains "$ERR" "store k.db is accessible to other users (mode 640); run chmod 600 k.db" "store readable by others"
chmod 0600 k.db

cp -p s.db new.db && cp -p s.db.key new.db.key
sqlite3 new.db "PRAGMA user_version = 99"
expect_exit 65 "$BIMO" --db new.db import melderegister B.csv
expect_contains "$ERR" "store new.db has schema version 99, but this bimo" "newer schema"
expect_contains "$ERR" "use a newer bimo" "newer schema: what to do"
expect_eq "$(sqlite3 new.db "PRAGMA user_version")" "99" "newer schema: left alone"

# Damaged files: the header overwritten, the middle half of the pages random bytes, a truncated file, no database.
cp -p s.db.key d1.db.key && cp -p s.db d1.db && printf 'this is no SQLite' | dd of=d1.db conv=notrunc 2>/dev/null
expect_exit 65 "$BIMO" --db d1.db status
expect_contains "$ERR" "not a bimo store, or the file is damaged" "damaged header"
cp -p s.db.key d2.db.key && cp -p s.db d2.db
pages=$(($(stat -c %s d2.db) / 16384))
head -c $((pages / 2 * 16384)) /dev/urandom | dd of=d2.db bs=16384 seek=$((pages / 4)) conv=notrunc 2>/dev/null
expect_exit 65 "$BIMO" --db d2.db import melderegister B.csv
expect_contains "$ERR" "damaged" "damaged pages: import"
expect_exit 65 "$BIMO" --db d2.db indicators compute BEV-1 --period 31.12.2025
expect_contains "$ERR" "damaged" "damaged pages: indicators"
cp -p s.db.key d3.db.key && cp -p s.db d3.db && truncate -s 20000 d3.db
expect_exit 65 "$BIMO" --db d3.db status
expect_contains "$ERR" "damaged" "truncated store"
cp -p s.db.key d4.db.key && cp -p A.csv d4.db && chmod 0600 d4.db
expect_exit 65 "$BIMO" --db d4.db status
expect_contains "$ERR" "not a bimo store" "a CSV file as store"

# ---- Readers while an import writes ------------------------------------------------------------
# The writer swaps the snapshot of 31.12.2025 between A and B; every reader sees all of A or all
# of B: the indicator's total, and the snapshot's recorded rows against the rows there.
( for f in B A B A; do "$BIMO" --db s.db import melderegister $f.csv >/dev/null 2>&1 || echo "writer failed: $f" >>writer.err; done ) &
writer=$!
reads=0
while kill -0 $writer 2>/dev/null; do
    total=$("$BIMO" --db s.db indicators compute BEV-1 --period 31.12.2025 --format csv 2>&1 | sed -n 2p | cut -d, -f3)
    pair=$("$BIMO" --db s.db sql "SELECT s.rows || '/' || (SELECT count(*) FROM melderegister m WHERE m.snapshot_id = s.id) AS x FROM snapshot s WHERE s.source = 'melderegister' AND s.stichtag = 20251231" --format csv 2>&1 | sed -n 2p)
    reads=$((reads + 1))
    case "$total $pair" in
    "$ROWS_A $ROWS_A/$ROWS_A" | "$ROWS_B $ROWS_B/$ROWS_B" | "$ROWS_A $ROWS_B/$ROWS_B" | "$ROWS_B $ROWS_A/$ROWS_A") pass ;;
    *) fail "reader $reads saw half an import: total $total, rows/counted $pair" ;;
    esac
done
wait $writer
expect_eq "$(cat writer.err 2>/dev/null)" "" "the writer was never blocked by readers"
echo "readers: $reads rounds during 4 imports"
expect_eq "$(( reads >= 3 ))" 1 "readers ran during the imports ($reads)"
expect_eq "$(state s.db)" "$(state_a)" "after the swaps: A"

# ---- Reports while an import writes ------------------------------------------------------------
# A report reads many tables one after the other; an import that commits in between must not give
# a report with some tables from before it and some from after. The writer swaps A and B 30 times;
# every report written meanwhile has the text of the report from A or of the one from B. (Before
# the report read in one transaction, about one report in ten mixed the two.)
TPL_READ="$TESTS_DIR/data/report/lesen.md"
expect_exit 0 "$BIMO" --db s.db report "$TPL_READ" -o rep_a -q
expect_exit 0 "$BIMO" --db s.db import melderegister B.csv
expect_exit 0 "$BIMO" --db s.db report "$TPL_READ" -o rep_b -q
pdftotext -layout rep_a/bildungsbericht.pdf rep_a.txt
pdftotext -layout rep_b/bildungsbericht.pdf rep_b.txt
expect_eq "$(cmp -s rep_a.txt rep_b.txt && echo same)" "" "the reports of A and B differ"
( for i in $(seq 15); do
    for f in A B; do "$BIMO" --db s.db import melderegister $f.csv >/dev/null 2>&1 || echo "writer failed: $f" >>writer2.err; done
done ) &
writer=$!
reports=0 from_a=0 from_b=0
while kill -0 $writer 2>/dev/null; do
    rm -rf rep_x
    if ! "$BIMO" --db s.db report "$TPL_READ" -o rep_x -q 2>rep_x.err; then
        fail "report $reports during imports failed: $(cat rep_x.err)"
        continue
    fi
    reports=$((reports + 1))
    pdftotext -layout rep_x/bildungsbericht.pdf rep_x.txt
    if cmp -s rep_x.txt rep_a.txt; then
        from_a=$((from_a + 1)); pass
    elif cmp -s rep_x.txt rep_b.txt; then
        from_b=$((from_b + 1)); pass
    else
        fail "report $reports mixes A and B: $(diff rep_a.txt rep_x.txt | head -4 | tr '\n' ' ')"
    fi
done
wait $writer
expect_eq "$(cat writer2.err 2>/dev/null)" "" "the writer was never blocked by reports"
echo "reports: $reports during 30 imports, $from_a of A and $from_b of B"
expect_eq "$(( reports >= 5 ))" 1 "reports ran during the imports ($reports)"
expect_eq "$(state s.db)" "$(state_b)" "after the swaps: B"

# ---- Two writers ---------------------------------------------------------------------------------
# Both start at once; each waits for the other (or gives up with 75 after its busy timeout); the
# store ends with one of the two complete.
for round in 1 2 3; do
    "$BIMO" --db s.db import melderegister A.csv >w1.out 2>&1 &
    p1=$!
    "$BIMO" --db s.db import melderegister B.csv >w2.out 2>&1 &
    p2=$!
    wait $p1; r1=$?
    wait $p2; r2=$?
    case "$r1 $r2" in
    "0 0" | "0 75" | "75 0") pass ;;
    *) fail "two writers, round $round: exit $r1 and $r2: $(cat w1.out w2.out)" ;;
    esac
    s=$(state s.db)
    if [ "$s" = "$(state_a)" ] || [ "$s" = "$(state_b)" ]; then pass; else fail "two writers: state $s"; fi
done
expect_eq "$(sqlite3 s.db "PRAGMA integrity_check")" "ok" "store intact after the writers"
expect_eq "$(ls | grep -c '^s\.db.*tmp')" "0" "no temporary files left beside the store"
finish
