#!/bin/bash
# test_summary.sh — the per-snapshot counts melderegister_summary, aufenthalt_summary and
# schule_summary equal
# a GROUP BY of the facts after an import, after replacing a snapshot (also with a duplicate
# row the import removes again), after a rolled-back import and a dry run (both leave them as
# they were), and after migration 3 fills them for a store loaded without them.
. "$TESTS_DIR/e2e/lib.sh"
bimo() { "$BIMO" --db s.db "$@"; }
SCHEMA_VERSION=$(sed -n 's/^#define BIMO_SCHEMA_VERSION //p' "$TESTS_DIR/../lib/bimo.h")

# The facts counted independently of the import's code: by snapshot_id, with bimo_age().
MELDE_FACTS="SELECT m.snapshot_id, m.ags, m.geschlecht, bimo_age(m.geburtsdatum, sn.stichtag),
  CASE WHEN m.staatsangehoerigkeit2 = 0 THEN 0 ELSE m.staatsangehoerigkeit END,
  m.staatsangehoerigkeit = 0 OR m.staatsangehoerigkeit2 IS 0, count(*)
  FROM melderegister AS m JOIN snapshot AS sn ON sn.id = m.snapshot_id GROUP BY 1, 2, 3, 4, 5, 6"
MELDE_SUM="SELECT snapshot_id, ags, geschlecht, alter_jahre, staat, deutsch, n
  FROM melderegister_summary"
AUF_FACTS="SELECT a.snapshot_id, a.ags, a.geschlecht, bimo_age(a.geburtsdatum, sn.stichtag),
  a.staatsangehoerigkeit, a.rechtsgrundlage, count(*)
  FROM aufenthalt AS a JOIN snapshot AS sn ON sn.id = a.snapshot_id GROUP BY 1, 2, 3, 4, 5, 6"
AUF_SUM="SELECT snapshot_id, ags, geschlecht, alter_jahre, staatsangehoerigkeit,
  rechtsgrundlage, n FROM aufenthalt_summary"
SCH_FACTS="SELECT snapshot_id, ags_schule, schulform, jahrgang, geschlecht,
  staatsangehoerigkeit = 0, ifnull(sprachlernklasse, 0), ifnull(bildungsgang, 0),
  ifnull(ausbildungsjahr, 0), count(*) FROM schule GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9"
SCH_SUM="SELECT snapshot_id, ags_schule, schulform, jahrgang, geschlecht, deutsch,
  sprachlernklasse, bildungsgang, ausbildungsjahr, n FROM schule_summary"

# check WHAT: both summaries hold exactly the counts of the facts, and not nothing.
check() {
    expect_exit 0 bimo sql --format csv "SELECT
      (SELECT count(*) FROM ($MELDE_SUM EXCEPT $MELDE_FACTS)) +
      (SELECT count(*) FROM ($MELDE_FACTS EXCEPT $MELDE_SUM)) +
      (SELECT count(*) FROM ($AUF_SUM EXCEPT $AUF_FACTS)) +
      (SELECT count(*) FROM ($AUF_FACTS EXCEPT $AUF_SUM)) +
      (SELECT count(*) FROM ($SCH_SUM EXCEPT $SCH_FACTS)) +
      (SELECT count(*) FROM ($SCH_FACTS EXCEPT $SCH_SUM)) AS differ,
      (SELECT sum(n) FROM melderegister_summary) = (SELECT count(*) FROM melderegister)
      AND (SELECT sum(n) FROM aufenthalt_summary) = (SELECT count(*) FROM aufenthalt)
      AND (SELECT sum(n) FROM schule_summary) = (SELECT count(*) FROM schule)
      AND (SELECT count(*) FROM melderegister) > 0 AND (SELECT count(*) FROM schule) > 0
      AS same_total"
    expect_eq "$OUT" "differ,same_total
0,1" "$1: summaries equal the facts"
}
counts() { sqlite3 s.db "SELECT snapshot_id, count(*), sum(n) FROM melderegister_summary GROUP BY 1"; }

expect_exit 0 "$BIMO" sample -o s --persons 5000 --from 2024 --to 2025
expect_exit 0 bimo init
expect_exit 0 bimo import melderegister s/melderegister_*.csv
expect_exit 0 bimo import aufenthalt s/aufenthalt_*.csv
expect_exit 0 bimo import schule s/schule_*.csv
check "import"
expect_eq "$(sqlite3 s.db "SELECT count(DISTINCT snapshot_id) FROM melderegister_summary;
  SELECT count(DISTINCT snapshot_id) FROM aufenthalt_summary")" "2
8" "a summary per snapshot"
# One row per combination, so fewer rows than persons (many fewer in a full-size district).
expect_eq "$(sqlite3 s.db "SELECT (SELECT count(*) FROM melderegister_summary)
  < (SELECT count(*) FROM melderegister)")" "1" "summary is smaller than the facts"

# Replacing 2025 with fewer persons and one of them twice (a duplicate, removed again).
F=s/melderegister_2025-12-31.csv
{ head -n 3001 "$F"; sed -n 2p "$F"; } > m2025.csv
expect_exit 0 bimo import melderegister m2025.csv
expect_contains "$OUT$ERR" "1" "replacement imported"
expect_eq "$(sqlite3 s.db "SELECT rows FROM snapshot WHERE stichtag = 20251231
  AND source = 'melderegister'")" "3000" "replaced snapshot without the duplicate"
check "replace with duplicate"
before=$(counts)

# A file over the reject threshold rolls back; a dry run loads nothing: counts unchanged.
awk -F';' -v OFS=';' 'NR > 1 && NR % 5 == 0 { $3 = "31.02.1990" } { print }' "$F" > bad.csv
expect_exit 65 bimo import melderegister bad.csv
expect_eq "$(counts)" "$before" "rolled back import leaves the counts"
expect_exit 0 bimo import melderegister "$F" --dry-run
expect_eq "$(counts)" "$before" "dry run leaves the counts"
check "after rollback"

# A store from before the summaries: migration 3 fills them from the facts.
sqlite3 s.db "DROP TABLE melderegister_summary; DROP TABLE aufenthalt_summary;
  DROP TABLE aufenthalt_transition; DROP TABLE aufenthalt_transition_pair;
  DROP INDEX melderegister_zuzug; DROP INDEX melderegister_einreise;
  DROP TABLE release_cell; DROP TABLE release; DROP TABLE schule_summary;
  PRAGMA user_version = 2"
expect_exit 0 bimo status
expect_eq "$(sqlite3 s.db 'PRAGMA user_version')" "$SCHEMA_VERSION" "migrated"
check "migration"
expect_eq "$(counts)" "$before" "migration gives the import's counts"
finish
