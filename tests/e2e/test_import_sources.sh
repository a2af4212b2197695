#!/bin/bash
# test_import_sources.sh — the four other registry sources on small hand-made extracts:
# code lists, school years as snapshots, cumulative course data, row checks per source.
. "$TESTS_DIR/e2e/lib.sh"
DATA="$TESTS_DIR/data/import"
db() { sqlite3 -batch s.db "$@"; }
rejects_of() { "$BIMO" --db s.db rejects "$1"; }
expect_exit 0 "$BIMO" --db s.db init

# aufenthalt: 7 rows, A6 has an unknown legal basis, A7 a title valid from the future.
expect_exit 0 "$BIMO" --db s.db import aufenthalt "$DATA/aufenthalt.csv" --max-rejects 50%
expect_contains "$OUT" "7 rows read, 5 loaded, 2 rejected" "aufenthalt summary"
R=$(rejects_of 1)
expect_contains "$R" '7,7,"rechtsgrundlage ""§ 99 Fantasie"" is not in code list rechtsgrundlage' "unknown title"
expect_contains "$R" '8,8,"gueltig_ab 01.02.2026 lies after the reference date 31.12.2025"' "title from the future"
# Titles resolve to their protection status group through the code table.
expect_eq "$(db "SELECT group_concat(c.gruppe, '|') FROM (SELECT c.gruppe FROM aufenthalt a JOIN code_rechtsgrundlage c ON c.id = a.rechtsgrundlage ORDER BY a.line) c")" \
    "anerkannt befristet|anerkannt befristet|offen|abgelehnt|kein Schutzstatus" "status groups"

# integrationskurs: key is person and entitlement date; a course may begin on the day of the
# entitlement (A2), not before it (A3); A2's repeated entitlement of 15.05.2022 is a duplicate.
expect_exit 0 "$BIMO" --db s.db import integrationskurs "$DATA/integrationskurs.csv" --max-rejects 50%
expect_contains "$OUT" "6 rows read, 4 loaded, 2 rejected" "integrationskurs summary"
R=$(rejects_of 2)
expect_contains "$R" '5,11,"kursbeginn 01.09.2025 lies before berechtigung_datum 01.10.2025"' "course before entitlement"
expect_contains "$R" '7,2,"duplicate person_id and berechtigung_datum: already in line 3"' "duplicate entitlement"
expect_eq "$(db "SELECT count(*) FROM integrationskurs i JOIN code_dtz_ergebnis d ON d.id = i.dtz_ergebnis WHERE d.code = 'unter A2'")" "1" "dtz alias"
# Persons link across sources through the shared pseudonym key.
expect_eq "$(db "SELECT count(DISTINCT a.person) FROM aufenthalt a JOIN integrationskurs i ON i.person = a.person")" "3" "linked persons"

# schule: two school years in one file become two snapshots; school numbers keep zeros;
# a home outside the district is fine for ags_wohnort.
expect_exit 0 "$BIMO" --db s.db import schule "$DATA/schule.csv" --max-rejects 50%
expect_contains "$OUT" "8 rows read, 6 loaded, 2 rejected" "schule summary"
R=$(rejects_of 3)
expect_contains "$R" '8,5,"jahrgang 14 is out of range 1..13"' "jahrgang range"
expect_contains "$R" '9,8,"geburtsjahr 1970 does not fit school year 2025/26"' "birth year check"
expect_eq "$(db "SELECT schuljahr || ':' || rows FROM snapshot WHERE source = 'schule' ORDER BY schuljahr")" \
    "$(printf '2024:2\n2025:4')" "school year snapshots"
expect_eq "$(db "SELECT schulnummer, ags_wohnort FROM schule WHERE line = 3")" "01234|3404000" "text and outside AGS"
# A Jahrgang-4 pupil of 2024/25 is found in Jahrgang 5 of 2025/26 (linked transition).
expect_eq "$(db "SELECT count(*) FROM schule a JOIN schule b ON a.schueler = b.schueler WHERE a.jahrgang = 4 AND b.jahrgang = 5")" "2" "linked pupils"
# --stichtag makes no sense for school years.
expect_exit 64 "$BIMO" --db s.db import schule "$DATA/schule.csv" --stichtag 01.10.2025

# schulabgang
expect_exit 0 "$BIMO" --db s.db import schulabgang "$DATA/schulabgang.csv" --max-rejects 50%
expect_contains "$OUT" "4 rows read, 3 loaded, 1 rejected" "schulabgang summary"
expect_contains "$(rejects_of 4)" '5,4,"abschluss ""XYZ"" is not in code list abschluss' "unknown qualification"
expect_eq "$(db "SELECT group_concat(c.kategorie, ',') FROM (SELECT c.kategorie FROM schulabgang s JOIN code_abschluss c ON c.id = s.abschluss ORDER BY s.line) c")" "3,1,5" "federal categories"

# Re-importing a school year replaces only that year.
head -3 "$DATA/schule.csv" > one_year.csv
expect_exit 0 "$BIMO" --db s.db import schule one_year.csv
expect_eq "$(db "SELECT schuljahr || ':' || rows FROM snapshot WHERE source = 'schule' ORDER BY schuljahr")" \
    "$(printf '2024:2\n2025:4')" "replace one school year"
expect_eq "$(db "SELECT count(*) FROM schule")" "6" "rows after replacing a school year"
finish
