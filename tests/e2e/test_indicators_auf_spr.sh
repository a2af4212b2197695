#!/bin/bash
# test_indicators_auf_spr.sh — the indicators BEV-3, BEV-4, AUF-2, AUF-2a, AUF-3, AUF-4 and
# SPR-1 .. SPR-6 (with SPR-4a) end to end: small hand-made extracts in
# tests/data/indicators/{bev,auf,spr}/ imported with the real bimo import, every expected
# number worked out by hand in the comments; then every indicator over a time series of a
# small synthetic district, with each allowed dimension, checked against direct counts.
. "$TESTS_DIR/e2e/lib.sh"
DATA="$TESTS_DIR/data/indicators"
bimo() { "$BIMO" --db f.db "$@"; }
csv() { expect_exit 0 "$BIMO" --db f.db indicators compute "$@" --format csv --intern; }

expect_exit 0 bimo init
for f in "$DATA"/bev/melderegister_*.csv; do expect_exit 0 bimo import melderegister "$f"; done
for f in "$DATA"/auf/aufenthalt_*.csv; do expect_exit 0 bimo import aufenthalt "$f"; done
expect_eq "$(sqlite3 f.db 'SELECT sum(rows_rejected) FROM import_run')" "0" "no rejects"

# ==== BEV-3 Zuzüge aus dem Ausland (bev/melderegister_*.csv) =====================================
# Snapshot 31.12.2025, 13 persons. Counted (herkunftsland not NULL and not 000, zuzugsdatum in
# 01.01.2025 .. 31.12.2025):
#   B03 Syria, 15.03.2025; B04 Ukraine, 01.01.2025 (first day of the period); B05 Ukraine,
#   31.12.2025 (the reference date itself); B07 German back from the USA (368), 01.08.2025;
#   B08 Syrian and German, 01.09.2025; B12 Ukraine, 01.02.2025; B13 Ukraine, 01.10.2025 = 7.
# Not counted: B01 (no move), B02 (moved from within Germany: herkunftsland 000), B06 (moved on
#   31.12.2024, the previous year), B09 (herkunftsland but no zuzugsdatum), B10 (moved in 2025
#   without a herkunftsland: from elsewhere in Germany), B11 (moved in 2023).
csv BEV-3 --period 2024..2025
expect_eq "$OUT" "indicator,period,numerator,denominator,value,flag
BEV-3,2024,3,,3,
BEV-3,2025,7,,7," "BEV-3 series"
# 2024 (snapshot 31.12.2024): B06 (31.12.2024, last day), B14 (15.07.2024), B15 (01.01.2024,
# first day) = 3; B11 moved in 2023.

# Age at 31.12.2025: B13 1 (0-3); B04 9 (6-10); B08 13 (10-16); B03 born 29.02.2008: 17, and B05
# born 31.12.2009: exactly 16 on the reference date, so 16-19 (2); B07 40, B12 born 29.02.2000:
# 25, so 25-65 (2).
csv BEV-3 --period 2025 --by altersgruppe
expect_eq "$OUT" "indicator,period,altersgruppe,numerator,denominator,value,flag
BEV-3,2025,Insgesamt,7,,7,
BEV-3,2025,0-3,1,,1,
BEV-3,2025,3-6,0,,0,–
BEV-3,2025,6-10,1,,1,
BEV-3,2025,10-16,1,,1,
BEV-3,2025,16-19,2,,2,
BEV-3,2025,19-25,0,,0,–
BEV-3,2025,25-65,2,,2,
BEV-3,2025,65+,0,,0,–" "BEV-3 by age group"

# By nationality (not by herkunftsland): Ukraine B04 B05 B12 B13 = 4; German B07 and B08 (475
# and 000: German) = 2; Syria B03 = 1. Largest first.
csv BEV-3 --period 2025 --by staat
expect_eq "$OUT" "indicator,period,staat,numerator,denominator,value,flag
BEV-3,2025,Insgesamt,7,,7,
BEV-3,2025,166,4,,4,
BEV-3,2025,000,2,,2,
BEV-3,2025,475,1,,1," "BEV-3 by nationality"
csv BEV-3 --period 2025 --by deutsch
expect_eq "$OUT" "indicator,period,deutsch,numerator,denominator,value,flag
BEV-3,2025,Insgesamt,7,,7,
BEV-3,2025,deutsch,2,,2,
BEV-3,2025,nichtdeutsch,5,,5," "BEV-3 German returners and dual nationals"
# m B03 B08 B13 = 3, w B04 B05 B07 B12 = 4. Regions: Mitte/Ost = Melle B03 B08 + Bramsche B04 = 3;
# Nordkreis = Ankum B05 B12 B13 = 3; Südkreis = Bad Iburg B07 = 1.
csv BEV-3 --period 2025 --by geschlecht
expect_eq "$OUT" "indicator,period,geschlecht,numerator,denominator,value,flag
BEV-3,2025,Insgesamt,7,,7,
BEV-3,2025,m,3,,3,
BEV-3,2025,w,4,,4," "BEV-3 by sex"
csv BEV-3 --period 2025 --by region
expect_eq "$OUT" "indicator,period,region,numerator,denominator,value,flag
BEV-3,2025,Insgesamt,7,,7,
BEV-3,2025,Mitte/Ost,3,,3,
BEV-3,2025,Nordkreis,3,,3,
BEV-3,2025,Südkreis,1,,1,
BEV-3,2025,Wittlager Land,0,,0,–" "BEV-3 by region"

# A single date counts from 1 January of its year: snapshot 28.02.2025 holds B04 (01.01.2025)
# and B12 (01.02.2025) = 2; B06 (31.12.2024) and B14 (2024) moved in the year before. B12,
# born 29.02.2000, is 24 on 28.02.2025 (25 only on 01.03.), so 19-25; B04 is 9.
csv BEV-3 --period 28.02.2025 --by altersgruppe
expect_contains "$OUT" "BEV-3,2025-02-28,Insgesamt,2,,2," "BEV-3 year to date"
expect_contains "$OUT" "BEV-3,2025-02-28,6-10,1,,1," "BEV-3 6-10 on 28.02."
expect_contains "$OUT" "BEV-3,2025-02-28,19-25,1,,1," "BEV-3 leap-day birthday not yet 25"
expect_contains "$OUT" "BEV-3,2025-02-28,25-65,0,,0,–" "BEV-3 nobody 25-65 on 28.02."
# A quarter needs the snapshot at its end: there is none on 31.03.2025.
csv BEV-3 --period 2025Q1
expect_eq "$OUT" "indicator,period,numerator,denominator,value,flag
BEV-3,2025Q1,,,,…" "BEV-3 quarter without snapshot"

# ==== BEV-4 Neuzugewanderte im Bildungsalter =====================================================
# 31.12.2025, jahre = 3: first entry on or after 31.12.2022; alter_bis = 25: younger than 25.
# In: B03 (10.03.2025, 17), B04 (01.01.2025, 9), B05 (31.12.2025, 16), B08 (01.09.2025, 13),
#   B10 (31.12.2022: exactly three years, included; born 31.12.2019: exactly 6), B13 (01.10.2025,
#   1) = 6.
# Out: B06 (20.12.2024, but 35), B12 (01.02.2025, but exactly 25 on 31.12.2025), B11 (30.12.2022:
#   one day too early; and 30), B07 (no einreisedatum), B09 (2000), B01 B02.
csv BEV-4 --period 2025 --by altersgruppe
expect_eq "$OUT" "indicator,period,altersgruppe,numerator,denominator,value,flag
BEV-4,2025,Insgesamt,6,,6,
BEV-4,2025,0-3,1,,1,
BEV-4,2025,3-6,0,,0,–
BEV-4,2025,6-10,2,,2,
BEV-4,2025,10-16,1,,1,
BEV-4,2025,16-19,2,,2,
BEV-4,2025,19-25,0,,0,–
BEV-4,2025,25-65,0,,0,–
BEV-4,2025,65+,0,,0,–" "BEV-4 by education stage"
# B08 holds 475 and 000: German. Ukraine B04 B05 B13 = 3, Iraq B10, Syria B03.
csv BEV-4 --period 2025 --by deutsch
expect_eq "$OUT" "indicator,period,deutsch,numerator,denominator,value,flag
BEV-4,2025,Insgesamt,6,,6,
BEV-4,2025,deutsch,1,,1,
BEV-4,2025,nichtdeutsch,5,,5," "BEV-4 dual national counts as German"
csv BEV-4 --period 2025 --by staat
expect_eq "$OUT" "indicator,period,staat,numerator,denominator,value,flag
BEV-4,2025,Insgesamt,6,,6,
BEV-4,2025,166,3,,3,
BEV-4,2025,000,1,,1,
BEV-4,2025,438,1,,1,
BEV-4,2025,475,1,,1," "BEV-4 by nationality"
# m B03 B08 B13, w B04 B05 B10. Melle B03 B08, Bramsche B04 B10, Ankum B05 B13.
csv BEV-4 --period 2025 --by geschlecht
expect_eq "$OUT" "indicator,period,geschlecht,numerator,denominator,value,flag
BEV-4,2025,Insgesamt,6,,6,
BEV-4,2025,m,3,,3,
BEV-4,2025,w,3,,3," "BEV-4 by sex"
csv BEV-4 --period 2025 --by gemeinde
expect_contains "$OUT" "BEV-4,2025,03459024,2,,2," "BEV-4 Melle"
expect_contains "$OUT" "BEV-4,2025,03459014,2,,2," "BEV-4 Bramsche"
expect_contains "$OUT" "BEV-4,2025,03459002,2,,2," "BEV-4 Ankum"
# jahre = 1 (from 31.12.2024): B10 drops out, 5. All ages (alter_bis = 200): B06 and B12 come
# in, 8; B11 stays out (30.12.2022 is before 31.12.2022).
csv BEV-4 --period 2025 --param jahre=1
expect_contains "$OUT" "BEV-4,2025,5,,5," "BEV-4 one year"
csv BEV-4 --period 2025 --param alter_bis=200
expect_contains "$OUT" "BEV-4,2025,8,,8," "BEV-4 all ages"
# 31.12.2024 (from 31.12.2021): B14 (15.07.2024, 10) = 1; all ages add B06 (34), B11 (30.12.2022,
# now within three years; 29), B15 (01.01.2024, 36) = 4.
csv BEV-4 --period 2024
expect_contains "$OUT" "BEV-4,2024,1,,1," "BEV-4 2024"
csv BEV-4 --period 2024 --param alter_bis=200
expect_contains "$OUT" "BEV-4,2024,4,,4," "BEV-4 2024 all ages"
# 28.02.2025 (from 28.02.2022): B04 (9: 6-10), B14 (10: 10-16), B12 born 29.02.2000: 24 on
# 28.02.2025, so still in the education age and in 19-25 = 3; B06 and B11 are too old.
csv BEV-4 --period 28.02.2025 --by altersgruppe
expect_eq "$OUT" "indicator,period,altersgruppe,numerator,denominator,value,flag
BEV-4,2025-02-28,Insgesamt,3,,3,
BEV-4,2025-02-28,0-3,0,,0,–
BEV-4,2025-02-28,3-6,0,,0,–
BEV-4,2025-02-28,6-10,1,,1,
BEV-4,2025-02-28,10-16,1,,1,
BEV-4,2025-02-28,16-19,0,,0,–
BEV-4,2025-02-28,19-25,1,,1,
BEV-4,2025-02-28,25-65,0,,0,–
BEV-4,2025-02-28,65+,0,,0,–" "BEV-4 leap-day birthday"

# ==== AUF-2 Aufenthaltsstatus (auf/aufenthalt_*.csv) =============================================
# 31.12.2025, 13 persons: offen A01 A12 (§ 55), A02 (§ 63a) = 3; anerkannt befristet A03
# (§ 25 Abs. 2, GFK), A04 A05 (§ 24) = 3; anerkannt unbefristet A06 (§ 26 Abs. 3) = 1; abgelehnt
# A07 (§ 60a), A08 (§ 50) = 2; kein Schutzstatus A09 (FreizügG/EU), A10 (§ 104c), A11 (§ 18a),
# A13 (§ 32) = 4. 3/13 = 23,08 %, 1/13 = 7,69 %, 2/13 = 15,38 %, 4/13 = 30,77 %.
csv AUF-2 --period 2025
expect_eq "$OUT" "indicator,period,schutzstatus,numerator,denominator,value,flag
AUF-2,2025,Insgesamt,13,13,100,
AUF-2,2025,offen,3,13,23.0769230769231,
AUF-2,2025,anerkannt befristet,3,13,23.0769230769231,
AUF-2,2025,anerkannt unbefristet,1,13,7.69230769230769,
AUF-2,2025,abgelehnt,2,13,15.3846153846154,
AUF-2,2025,kein Schutzstatus,4,13,30.7692307692308," "AUF-2 shares"
sum=$(printf '%s\n' "$OUT" | awk -F, 'NR > 2 {s += $6} END {printf "%.6f", s}')
expect_eq "$sum" "100.000000" "AUF-2 shares sum to 100 %"
# 31.12.2024, 13 persons: offen A01 A03 A07 A12 A14 = 5; befristet A04 A05 A06 (§ 25 Abs. 2
# subsidiär) A15 (§ 25 Abs. 3) = 4; abgelehnt A08 A10 (§ 60a) = 2; kein A09, A16 (§ 9) = 2.
csv AUF-2 --period 2024
expect_eq "$OUT" "indicator,period,schutzstatus,numerator,denominator,value,flag
AUF-2,2024,Insgesamt,13,13,100,
AUF-2,2024,offen,5,13,38.4615384615385,
AUF-2,2024,anerkannt befristet,4,13,30.7692307692308,
AUF-2,2024,abgelehnt,2,13,15.3846153846154,
AUF-2,2024,kein Schutzstatus,2,13,15.3846153846154," "AUF-2 2024"
# Women (A02 A04 A05 A09 A11 A13 = 6): offen A02 1/6, befristet A04 A05 2/6, kein 3/6 = 50 %.
csv AUF-2 --period 2025 --by geschlecht
expect_contains "$OUT" "AUF-2,2025,Insgesamt,w,6,6,100," "AUF-2 women"
expect_contains "$OUT" "AUF-2,2025,anerkannt befristet,w,2,6,33.3333333333333," "AUF-2 w"
expect_contains "$OUT" "AUF-2,2025,kein Schutzstatus,w,3,6,50," "AUF-2 women kein Schutzstatus"
expect_contains "$OUT" "AUF-2,2025,offen,d,1,1,100," "AUF-2 divers"

# ==== AUF-2a Untergruppen ========================================================================
# Aufenthaltsgestattung A01 A12 = 2, Ankunftsnachweis A02, aus Asylverfahren A03, nicht aus
# Asylverfahren A04 A05 = 2, Niederlassungserlaubnis humanitär A06, geduldet A07, ohne Duldung
# A08, EU-Freizügigkeit A09, Erwerbstätigkeit/Studium A11, Familie A13, Sonstige A10 (§ 104c);
# no Niederlassungserlaubnis (§ 9) on 31.12.2025. Order of codes/schutzstatus.csv.
csv AUF-2a --period 2025
expect_eq "$OUT" "indicator,period,schutzstatus,numerator,denominator,value,flag
AUF-2a,2025,Insgesamt,13,13,100,
AUF-2a,2025,Aufenthaltsgestattung,2,13,15.3846153846154,
AUF-2a,2025,Ankunftsnachweis,1,13,7.69230769230769,
AUF-2a,2025,aus Asylverfahren,1,13,7.69230769230769,
AUF-2a,2025,nicht aus Asylverfahren,2,13,15.3846153846154,
AUF-2a,2025,Niederlassungserlaubnis humanitär,1,13,7.69230769230769,
AUF-2a,2025,geduldet,1,13,7.69230769230769,
AUF-2a,2025,ohne Duldung,1,13,7.69230769230769,
AUF-2a,2025,EU-Freizügigkeit,1,13,7.69230769230769,
AUF-2a,2025,Erwerbstätigkeit/Studium,1,13,7.69230769230769,
AUF-2a,2025,Familie,1,13,7.69230769230769,
AUF-2a,2025,Sonstige,1,13,7.69230769230769," "AUF-2a subgroups"
expect_exit 0 bimo indicators compute AUF-2a --period 2025 --format json --intern
expect_contains "$OUT" "anerkannt, befristet: nicht aus dem Asylverfahren" "AUF-2a subgroup label"

# ==== AUF-3 Schutzsuchende im Bildungsalter ======================================================
# Protection seekers younger than 25 on 31.12.2025: A02 (2: 0-3), A01 (born 31.12.2019: exactly
# 6, so 6-10), A04 (10) and A07 (13): 10-16, A03 (17: 16-19), A12 (born 29.02.2004: 21, 19-25)
# = 6. Out: A05 (born 31.12.2000: exactly 25), A08 (26), A06 (45); A09 A10 A11 A13 have no
# protection status.
csv AUF-3 --period 2025 --by altersgruppe
expect_eq "$OUT" "indicator,period,altersgruppe,numerator,denominator,value,flag
AUF-3,2025,Insgesamt,6,,6,
AUF-3,2025,0-3,1,,1,
AUF-3,2025,3-6,0,,0,–
AUF-3,2025,6-10,1,,1,
AUF-3,2025,10-16,2,,2,
AUF-3,2025,16-19,1,,1,
AUF-3,2025,19-25,1,,1,
AUF-3,2025,25-65,0,,0,–
AUF-3,2025,65+,0,,0,–" "AUF-3 by education stage"
# offen A01 A02 A12, befristet A03 A04, abgelehnt A07. Mitte/Ost: Melle A01 A03, Bramsche A02
# A07 = 4; Nordkreis: Ankum A04 A12 = 2.
csv AUF-3 --period 2025 --by schutzstatus
expect_eq "$OUT" "indicator,period,schutzstatus,numerator,denominator,value,flag
AUF-3,2025,Insgesamt,6,,6,
AUF-3,2025,offen,3,,3,
AUF-3,2025,anerkannt befristet,2,,2,
AUF-3,2025,abgelehnt,1,,1," "AUF-3 by status"
csv AUF-3 --period 2025 --by region
expect_eq "$OUT" "indicator,period,region,numerator,denominator,value,flag
AUF-3,2025,Insgesamt,6,,6,
AUF-3,2025,Mitte/Ost,4,,4,
AUF-3,2025,Nordkreis,2,,2,
AUF-3,2025,Südkreis,0,,0,–
AUF-3,2025,Wittlager Land,0,,0,–" "AUF-3 by region"
# alter_bis = 26 takes A05 (25) in, not A08 (26): 7. On 31.12.2024: A01 (5), A04 (9), A07 (12),
# A15 (14), A03 (16), A12 (20), A05 (24) = 7; A08 (born 10.10.1999) is 25 and out.
csv AUF-3 --period 2025 --param alter_bis=26
expect_contains "$OUT" "AUF-3,2025,7,,7," "AUF-3 under 26"
csv AUF-3 --period 2024
expect_contains "$OUT" "AUF-3,2024,7,,7," "AUF-3 2024"

# ==== AUF-4 Statuswechsel 31.12.2024 -> 31.12.2025 (persons matched by pseudonym) ================
# Rows: the group on 31.12.2024 (schutzstatus_vorher), columns: the group on 31.12.2025.
#   offen (5): A01 A12 -> offen, A03 -> anerkannt befristet (GFK), A07 -> abgelehnt (Duldung),
#     A14 -> not in the 2025 extract: 2/5 = 40 %, 1/5 = 20 % each.
#   anerkannt befristet (4): A04 A05 stay (§ 24), A06 -> unbefristet (§ 26 Abs. 3), A15 gone:
#     2/4 = 50 %, 1/4 = 25 %, 1/4 = 25 %.
#   anerkannt unbefristet: nobody on 31.12.2024, so no row.
#   abgelehnt (2): A08 stays (§ 60a -> § 50), A10 -> kein Schutzstatus (§ 104c): 50 %, 50 %.
#   kein Schutzstatus (2): A09 stays, A16 gone: 50 %, 50 %.
#   neu (3): A02 (offen), A11 and A13 (kein Schutzstatus) are not in the 2024 extract: 1/3,
#     2/3.
# All rows (Insgesamt): 5 + 4 + 2 + 2 + 3 = 16 persons; columns offen A01 A12 A02 = 3,
# befristet A03 A04 A05 = 3, unbefristet A06 = 1, abgelehnt A07 A08 = 2, kein A09 A10 A11 A13
# = 4, nicht mehr im Bestand A14 A15 A16 = 3: 3/16 = 18,75 %, 1/16 = 6,25 %, 2/16 = 12,5 %,
# 4/16 = 25 %. Without "nicht mehr im Bestand" the columns hold the 13 persons of 31.12.2025;
# without "neu" the rows the 13 of 31.12.2024.
csv AUF-4 --period 2025 --by schutzstatus_vorher,schutzstatus
expect_eq "$OUT" "indicator,period,schutzstatus_vorher,schutzstatus,numerator,denominator,value,flag
AUF-4,2025,Insgesamt,Insgesamt,16,16,100,
AUF-4,2025,Insgesamt,offen,3,16,18.75,
AUF-4,2025,Insgesamt,anerkannt befristet,3,16,18.75,
AUF-4,2025,Insgesamt,anerkannt unbefristet,1,16,6.25,
AUF-4,2025,Insgesamt,abgelehnt,2,16,12.5,
AUF-4,2025,Insgesamt,kein Schutzstatus,4,16,25,
AUF-4,2025,Insgesamt,nicht mehr im Bestand,3,16,18.75,
AUF-4,2025,offen,Insgesamt,5,5,100,
AUF-4,2025,offen,offen,2,5,40,
AUF-4,2025,offen,anerkannt befristet,1,5,20,
AUF-4,2025,offen,anerkannt unbefristet,0,5,0,–
AUF-4,2025,offen,abgelehnt,1,5,20,
AUF-4,2025,offen,kein Schutzstatus,0,5,0,–
AUF-4,2025,offen,nicht mehr im Bestand,1,5,20,
AUF-4,2025,anerkannt befristet,Insgesamt,4,4,100,
AUF-4,2025,anerkannt befristet,offen,0,4,0,–
AUF-4,2025,anerkannt befristet,anerkannt befristet,2,4,50,
AUF-4,2025,anerkannt befristet,anerkannt unbefristet,1,4,25,
AUF-4,2025,anerkannt befristet,abgelehnt,0,4,0,–
AUF-4,2025,anerkannt befristet,kein Schutzstatus,0,4,0,–
AUF-4,2025,anerkannt befristet,nicht mehr im Bestand,1,4,25,
AUF-4,2025,abgelehnt,Insgesamt,2,2,100,
AUF-4,2025,abgelehnt,offen,0,2,0,–
AUF-4,2025,abgelehnt,anerkannt befristet,0,2,0,–
AUF-4,2025,abgelehnt,anerkannt unbefristet,0,2,0,–
AUF-4,2025,abgelehnt,abgelehnt,1,2,50,
AUF-4,2025,abgelehnt,kein Schutzstatus,1,2,50,
AUF-4,2025,abgelehnt,nicht mehr im Bestand,0,2,0,–
AUF-4,2025,kein Schutzstatus,Insgesamt,2,2,100,
AUF-4,2025,kein Schutzstatus,offen,0,2,0,–
AUF-4,2025,kein Schutzstatus,anerkannt befristet,0,2,0,–
AUF-4,2025,kein Schutzstatus,anerkannt unbefristet,0,2,0,–
AUF-4,2025,kein Schutzstatus,abgelehnt,0,2,0,–
AUF-4,2025,kein Schutzstatus,kein Schutzstatus,1,2,50,
AUF-4,2025,kein Schutzstatus,nicht mehr im Bestand,1,2,50,
AUF-4,2025,neu,Insgesamt,3,3,100,
AUF-4,2025,neu,offen,1,3,33.3333333333333,
AUF-4,2025,neu,anerkannt befristet,0,3,0,–
AUF-4,2025,neu,anerkannt unbefristet,0,3,0,–
AUF-4,2025,neu,abgelehnt,0,3,0,–
AUF-4,2025,neu,kein Schutzstatus,2,3,66.6666666666667,
AUF-4,2025,neu,nicht mehr im Bestand,0,3,0,–" "AUF-4 transition matrix"
# The share_of dimension is always there: without --by, the column totals of all 16.
csv AUF-4 --period 2025
expect_eq "$OUT" "indicator,period,schutzstatus,numerator,denominator,value,flag
AUF-4,2025,Insgesamt,16,16,100,
AUF-4,2025,offen,3,16,18.75,
AUF-4,2025,anerkannt befristet,3,16,18.75,
AUF-4,2025,anerkannt unbefristet,1,16,6.25,
AUF-4,2025,abgelehnt,2,16,12.5,
AUF-4,2025,kein Schutzstatus,4,16,25,
AUF-4,2025,nicht mehr im Bestand,3,16,18.75," "AUF-4 columns"
# Who is gone keeps the municipality of 2024: of the offen row, A14 lived in Bramsche with A07
# (now abgelehnt, still in Bramsche): 1/2 each; Melle holds A01 (offen) and A03 (befristet).
csv AUF-4 --period 2025 --by schutzstatus_vorher,gemeinde
expect_contains "$OUT" "AUF-4,2025,Insgesamt,offen,03459014,2,2,100," "AUF-4 Bramsche"
expect_contains "$OUT" "AUF-4,2025,nicht mehr im Bestand,offen,03459014,1,2,50," "AUF-4 gone from Bramsche"
expect_contains "$OUT" "AUF-4,2025,offen,offen,03459024,1,2,50," "AUF-4 Melle"
# A date compares with the newest snapshot before it (31.12.2024); 2024 has no snapshot before.
csv AUF-4 --period 31.12.2025
expect_contains "$OUT" "AUF-4,2025-12-31,Insgesamt,16,16,100," "AUF-4 on a date"
csv AUF-4 --period 2024
expect_eq "$OUT" "indicator,period,schutzstatus,numerator,denominator,value,flag
AUF-4,2024,Insgesamt,,,,…" "AUF-4 without a previous snapshot"

# The transitions were counted when the extracts were imported: one pair (31.12.2024 ->
# 31.12.2025, neighbours and a year apart at once). Without the counts (a store migrated from
# an older version) the indicator joins the persons by pseudonym: the same table.
expect_eq "$(sqlite3 f.db 'SELECT count(*) FROM aufenthalt_transition_pair')" "1" "one pair"
csv AUF-4 --period 2025 --by schutzstatus_vorher,schutzstatus,gemeinde,altersgruppe,staat
counted=$OUT
sqlite3 f.db 'DELETE FROM aufenthalt_transition_pair'
csv AUF-4 --period 2025 --by schutzstatus_vorher,schutzstatus,gemeinde,altersgruppe,staat
expect_eq "$OUT" "$counted" "AUF-4 joined by pseudonym equals the counts"
# Imported newest first, and 2024 again over itself: the pair is counted anew, same table.
expect_exit 0 "$BIMO" --db r.db init
expect_exit 0 "$BIMO" --db r.db import aufenthalt "$DATA/auf/aufenthalt_2025-12-31.csv"
expect_exit 0 "$BIMO" --db r.db import aufenthalt "$DATA/auf/aufenthalt_2024-12-31.csv"
expect_exit 0 "$BIMO" --db r.db import aufenthalt "$DATA/auf/aufenthalt_2024-12-31.csv"
expect_eq "$(sqlite3 r.db 'SELECT count(*) FROM aufenthalt_transition_pair')" "1" "one pair again"
expect_exit 0 "$BIMO" --db r.db indicators compute AUF-4 --period 2025 --intern --format csv \
    --by schutzstatus_vorher,schutzstatus,gemeinde,altersgruppe,staat
expect_eq "$OUT" "$counted" "AUF-4 counted out of order"

# The plans the catalogue's speed relies on (bimo indicators plan): AUF-4 reads one key range
# of the counts, BEV-3 and BEV-4 a date range of the partial indexes on arrival dates, AUF-1
# the residence counts by snapshot.
expect_exit 0 "$BIMO" --db r.db indicators plan AUF-4 AUF-1 --period 2025
expect_contains "$OUT" "SEARCH t USING PRIMARY KEY (snapshot_id=? AND prev_snapshot_id=?)" \
    "AUF-4 plan: the counts of the pair"
expect_contains "$OUT" "SEARCH s USING PRIMARY KEY (snapshot_id=?)" "AUF-1 plan: the counts"
expect_exit 0 bimo indicators plan BEV-3 BEV-4 --period 2025
expect_contains "$OUT" "USING INDEX melderegister_zuzug (snapshot_id=? AND zuzugsdatum>? AND" \
    "BEV-3 plan: arrivals by date"
expect_contains "$OUT" "USING INDEX melderegister_einreise (snapshot_id=? AND einreisedatum>?" \
    "BEV-4 plan: entries by date"
expect_exit 64 bimo indicators plan BEV-3

# ==== SPR: integrationskurs is cumulative; the newest extract is the current state ===============
# First only the extract of 30.06.2025 (K01 K06 K10): 2025 is not over, so "p"; 2025Q3 starts
# after the data's reference date: no data.
expect_exit 0 bimo import integrationskurs "$DATA/spr/integrationskurs_2025-06-30.csv"
csv SPR-1 --period 2025
expect_eq "$OUT" "indicator,period,numerator,denominator,value,flag
SPR-1,2025,2,,2,p" "SPR-1 provisional year"
csv SPR-1 --period 2025Q1..2025Q3
expect_eq "$OUT" "indicator,period,numerator,denominator,value,flag
SPR-1,2025Q1,2,,2,
SPR-1,2025Q2,0,,0,–
SPR-1,2025Q3,,,,…" "SPR-1 quarters of the older extract"
expect_exit 0 bimo import integrationskurs "$DATA/spr/integrationskurs_2025-12-31.csv"

# The extract of 31.12.2025 (12 entitlements; K05 has two). Kind: b berechtigt, v verpflichtet.
#     born       living in entitled   kind issuer    course       start      exam       DTZ LiD
# K01 12.05.1990 Melle     15.01.2024 b    ABH       allgemein    19.04.2024 10.12.2024 B1  1
# K02 03.07.1985 Bramsche  01.03.2024 v    Jobcenter alpha        01.03.2025 15.12.2025 A2  1
# K03 20.10.1992 Ankum     31.12.2024 b    BAMF      -            -
# K04 15.02.1988 Melle     10.05.2024 v    ABH       frauen       11.05.2025 01.12.2025 <A2 0
# K05 07.07.1995 Bad Iburg 20.08.2024 b    ABH       allgemein    20.08.2024 15.03.2025 B1  0
# K06 29.02.2000 Ankum     28.02.2025 b    ABH       jugend       01.04.2025 20.12.2025 B1  1
# K07 29.02.2000 Melle     01.03.2025 v    Jobcenter -            -
# K08 01.01.2005 Bramsche  31.12.2025 v    ABH       allgemein    31.12.2025
# K09 10.10.1980 Melle     15.06.2025 b    BAMF      allgemein    01.09.2025
# K10 01.01.1990 Bramsche  10.01.2025 b    ABH       eltern       10.03.2025 20.11.2025 A2  1
# K05 07.07.1995 Bad Iburg 01.04.2025 v    Jobcenter allgemein    15.04.2025 01.10.2025 B1  1
# K12 14.11.1978 Bad Iburg 05.02.2025 b    ABH       zweitschrift 01.03.2025 10.12.2025 -   1
# Sex: m K01 K05 K07 K08 K09; w K02 K03 K04 K06 K10 K12.

# ==== SPR-1 Teilnahmeberechtigungen ==============================================================
# 2024: K01 K02 K03 (31.12.2024, the last day) K04 K05 = 5. 2025: K06 K07 K10 K12 (Q1), K05
# K09 (Q2), K08 (31.12.2025, Q4) = 7. 2023: none, but the data cover it: 0, not "…". 2026 lies
# after the data's reference date: no data.
csv SPR-1 --period 2023..2026
expect_eq "$OUT" "indicator,period,numerator,denominator,value,flag
SPR-1,2023,0,,0,–
SPR-1,2024,5,,5,
SPR-1,2025,7,,7,
SPR-1,2026,,,,…" "SPR-1 series"
csv SPR-1 --period 2025Q1..2025Q4
expect_eq "$OUT" "indicator,period,numerator,denominator,value,flag
SPR-1,2025Q1,4,,4,
SPR-1,2025Q2,2,,2,
SPR-1,2025Q3,0,,0,–
SPR-1,2025Q4,1,,1," "SPR-1 quarters"
csv SPR-1 --period 2024Q4
expect_contains "$OUT" "SPR-1,2024Q4,1,,1," "SPR-1 entitlement on the last day of a quarter"
# By kind and issuer, 2025 (7): berechtigt K06 K10 K12 (ABH), K09 (BAMF) = 4; verpflichtet K08
# (ABH), K07 and K05's second entitlement (Jobcenter) = 3. ABH K06 K08 K10 K12 = 4, Jobcenter
# K05 K07 = 2, BAMF K09 = 1. Nobody berechtigt by the Jobcenter, nobody verpflichtet by the
# BAMF: 0 ("–"); both lists are shown complete, in the order of their code lists.
csv SPR-1 --period 2025 --by berechtigung_art,ausgestellt_von
expect_eq "$OUT" "indicator,period,berechtigung_art,ausgestellt_von,numerator,denominator,value,flag
SPR-1,2025,Insgesamt,Insgesamt,7,,7,
SPR-1,2025,Insgesamt,ABH,4,,4,
SPR-1,2025,Insgesamt,Jobcenter,2,,2,
SPR-1,2025,Insgesamt,BAMF,1,,1,
SPR-1,2025,berechtigt,Insgesamt,4,,4,
SPR-1,2025,berechtigt,ABH,3,,3,
SPR-1,2025,berechtigt,Jobcenter,0,,0,–
SPR-1,2025,berechtigt,BAMF,1,,1,
SPR-1,2025,verpflichtet,Insgesamt,3,,3,
SPR-1,2025,verpflichtet,ABH,1,,1,
SPR-1,2025,verpflichtet,Jobcenter,2,,2,
SPR-1,2025,verpflichtet,BAMF,0,,0,–" "SPR-1 by kind and issuer"
# 2024 (5) by kind: berechtigt K01 K03 K05 = 3, verpflichtet K02 K04 = 2.
csv SPR-1 --period 2024 --by berechtigung_art
expect_eq "$OUT" "indicator,period,berechtigung_art,numerator,denominator,value,flag
SPR-1,2024,Insgesamt,5,,5,
SPR-1,2024,berechtigt,3,,3,
SPR-1,2024,verpflichtet,2,,2," "SPR-1 2024 by kind"
csv SPR-1 --period 2025 --by geschlecht
expect_eq "$OUT" "indicator,period,geschlecht,numerator,denominator,value,flag
SPR-1,2025,Insgesamt,7,,7,
SPR-1,2025,m,4,,4,
SPR-1,2025,w,3,,3," "SPR-1 by sex"
# Age on the day of the entitlement: K06 and K07 were both born on 29.02.2000; K06 is 24 on
# 28.02.2025 (19-25), K07 25 on 01.03.2025 (25-65). K08 20 (19-25); K05 29, K09 44, K10 35,
# K12 46 (25-65). 19-25: 2, 25-65: 5.
csv SPR-1 --period 2025 --by altersgruppe
expect_contains "$OUT" "SPR-1,2025,19-25,2,,2," "SPR-1 19-25 (leap day: not yet 25)"
expect_contains "$OUT" "SPR-1,2025,25-65,5,,5," "SPR-1 25-65 (leap day: 25 on 01.03.)"

# ==== SPR-2 Kurseintrittsquote (monate = 12) =====================================================
# 2024 (5): K01 95 days (15.01. -> 19.04.2024, a leap year) yes; K02 01.03.2024 -> 01.03.2025,
# exactly 12 months, yes; K05 begun on the day of entitlement, yes; K04 10.05.2024 -> 11.05.2025,
# one day late, no; K03 not begun, no. 3/5 = 60 %. Every window has ended by 31.12.2025 (K03's,
# from 31.12.2024, ends on 31.12.2025 itself): final.
# 2025 (7): K06 K08 (same day) K09 K10 K05 K12 yes, K07 not (yet) begun: 6/7 = 85,7 %, all
# windows still open on 31.12.2025: provisional. m K05 K07 K08 K09 3/4, w K06 K10 K12 3/3;
# 2024: m K01 K05 2/2, w K02 K03 K04 1/3.
csv SPR-2 --period 2024..2025 --by geschlecht
expect_eq "$OUT" "indicator,period,geschlecht,numerator,denominator,value,flag
SPR-2,2024,Insgesamt,3,5,60,
SPR-2,2024,m,2,2,100,
SPR-2,2024,w,1,3,33.3333333333333,
SPR-2,2025,Insgesamt,6,7,85.7142857142857,p
SPR-2,2025,m,3,4,75,p
SPR-2,2025,w,3,3,100,p" "SPR-2 cohorts"
# monate = 6: K01 (95 days) and K05 (0 days); K02 now too late: 2/5 = 40 %.
csv SPR-2 --period 2024 --param monate=6
expect_eq "$OUT" "indicator,period,numerator,denominator,value,flag
SPR-2,2024,2,5,40," "SPR-2 six months"
# The quarter of K03 alone (31.12.2024, never begun): 0/1, final.
csv SPR-2 --period 2024Q4
expect_eq "$OUT" "indicator,period,numerator,denominator,value,flag
SPR-2,2024Q4,0,1,0,–" "SPR-2 entitlement on the last day"
# Verpflichtete 2025: K05 (14 days) and K08 (same day) yes, K07 no: 2/3.
csv SPR-2 --period 2025 --param art=verpflichtet
expect_eq "$OUT" "indicator,period,numerator,denominator,value,flag
SPR-2,2025,2,3,66.6666666666667,p" "SPR-2 Verpflichtete"

# ==== SPR-3 Wartezeit bis Kursbeginn =============================================================
# Courses begun in 2024: K05 0 days (same day), K01 95: median 47.5; type 7: Q1 at h = 0.25:
# 23.75, Q3 at h = 0.75: 71.25.
# Courses begun in 2025 (8), days: K08 0, K05 14 (01.04. -> 15.04.), K12 24 (05.02. -> 01.03.),
# K06 32 (28.02. -> 01.04.), K10 59 (10.01. -> 10.03.), K09 78 (15.06. -> 01.09.), K02 365
# (01.03.2024 -> 01.03.2025), K04 366 (10.05.2024 -> 11.05.2025). Median at h = 3.5:
# (32 + 59) / 2 = 45.5; Q1 at h = 1.75: 14 + 0.75 x 10 = 21.5; Q3 at h = 5.25: 78 + 0.25 x 287
# = 149.75.
csv SPR-3 --period 2024..2025
expect_eq "$OUT" "indicator,period,numerator,denominator,value,flag
SPR-3,2024,2,,47.5,
SPR-3,2025,8,,45.5," "SPR-3 medians"
csv SPR-3 --period 2024..2025 --quantile q1
expect_eq "$OUT" "indicator,period,numerator,denominator,value,flag
SPR-3,2024,2,,23.75,
SPR-3,2025,8,,21.5," "SPR-3 first quartiles"
csv SPR-3 --period 2024..2025 --quantile q3
expect_eq "$OUT" "indicator,period,numerator,denominator,value,flag
SPR-3,2024,2,,71.25,
SPR-3,2025,8,,149.75," "SPR-3 third quartiles"
# By course type, 2025: allgemein K08 0, K05 14, K09 78: median 14; the others one each.
csv SPR-3 --period 2025 --by kursart
expect_eq "$OUT" "indicator,period,kursart,numerator,denominator,value,flag
SPR-3,2025,Insgesamt,8,,45.5,
SPR-3,2025,allgemein,3,,14,
SPR-3,2025,alpha,1,,365,
SPR-3,2025,jugend,1,,32,
SPR-3,2025,eltern,1,,59,
SPR-3,2025,frauen,1,,366,
SPR-3,2025,zweitschrift,1,,24," "SPR-3 by course type"
# Women K12 24, K06 32, K10 59, K02 365, K04 366: median 59; men 0, 14, 78: 14.
csv SPR-3 --period 2025 --by geschlecht
expect_eq "$OUT" "indicator,period,geschlecht,numerator,denominator,value,flag
SPR-3,2025,Insgesamt,8,,45.5,
SPR-3,2025,m,3,,14,
SPR-3,2025,w,5,,59," "SPR-3 by sex"
# 2025Q1: K12 24, K10 59, K02 365 (n = 3): Q3 at h = 1.5: 59 + 0.5 x 306 = 212.
csv SPR-3 --period 2025Q1 --quantile q3
expect_eq "$OUT" "indicator,period,numerator,denominator,value,flag
SPR-3,2025Q1,3,,212," "SPR-3 quarter"
# Verpflichtete 2025: K08 0, K05 14, K02 365, K04 366: (14 + 365) / 2 = 189.5.
csv SPR-3 --period 2025 --param art=verpflichtet
expect_eq "$OUT" "indicator,period,numerator,denominator,value,flag
SPR-3,2025,4,,189.5," "SPR-3 Verpflichtete"

# ==== SPR-4 Kurseintritte, SPR-4a Frauenanteil ===================================================
# 2024: K01 K05 (allgemein, m) = 2. 2025: allgemein K05 K08 K09 (m) = 3; alpha K02, jugend K06,
# eltern K10, frauen K04, zweitschrift K12 (w) = 5; together 8.
csv SPR-4 --period 2024..2025
expect_eq "$OUT" "indicator,period,numerator,denominator,value,flag
SPR-4,2024,2,,2,
SPR-4,2025,8,,8," "SPR-4 series"
csv SPR-4 --period 2025 --by kursart,geschlecht
expect_eq "$OUT" "indicator,period,kursart,geschlecht,numerator,denominator,value,flag
SPR-4,2025,Insgesamt,Insgesamt,8,,8,
SPR-4,2025,Insgesamt,m,3,,3,
SPR-4,2025,Insgesamt,w,5,,5,
SPR-4,2025,allgemein,Insgesamt,3,,3,
SPR-4,2025,allgemein,m,3,,3,
SPR-4,2025,allgemein,w,0,,0,–
SPR-4,2025,alpha,Insgesamt,1,,1,
SPR-4,2025,alpha,m,0,,0,–
SPR-4,2025,alpha,w,1,,1,
SPR-4,2025,jugend,Insgesamt,1,,1,
SPR-4,2025,jugend,m,0,,0,–
SPR-4,2025,jugend,w,1,,1,
SPR-4,2025,eltern,Insgesamt,1,,1,
SPR-4,2025,eltern,m,0,,0,–
SPR-4,2025,eltern,w,1,,1,
SPR-4,2025,frauen,Insgesamt,1,,1,
SPR-4,2025,frauen,m,0,,0,–
SPR-4,2025,frauen,w,1,,1,
SPR-4,2025,zweitschrift,Insgesamt,1,,1,
SPR-4,2025,zweitschrift,m,0,,0,–
SPR-4,2025,zweitschrift,w,1,,1," "SPR-4 by course type and sex"
# Share of women 2025: 5/8 = 62,5 %; allgemein 0/3.
csv SPR-4a --period 2025 --by kursart
expect_eq "$OUT" "indicator,period,kursart,numerator,denominator,value,flag
SPR-4a,2025,Insgesamt,5,8,62.5,
SPR-4a,2025,allgemein,0,3,0,–
SPR-4a,2025,alpha,1,1,100,
SPR-4a,2025,jugend,1,1,100,
SPR-4a,2025,eltern,1,1,100,
SPR-4a,2025,frauen,1,1,100,
SPR-4a,2025,zweitschrift,1,1,100," "SPR-4a share of women"

# ==== SPR-5 DTZ-Ergebnisse =======================================================================
# DTZ taken in 2025 (6): B1 K05 (15.03., allgemein, m), K05 (01.10., allgemein, m), K06 (jugend,
# w); A2 K02 (alpha, w), K10 (eltern, w); unter A2 K04 (frauen, w). K12 took only the LiD test:
# not counted. B1 3/6 = 50 %, A2 2/6 = 33,3 %, unter A2 1/6 = 16,7 %: together 100 %. 2024: K01
# B1, 1/1; A2 and unter A2 0/1 (all three results are always shown).
csv SPR-5 --period 2024..2025
expect_eq "$OUT" "indicator,period,dtz_ergebnis,numerator,denominator,value,flag
SPR-5,2024,Insgesamt,1,1,100,
SPR-5,2024,B1,1,1,100,
SPR-5,2024,A2,0,1,0,–
SPR-5,2024,unter A2,0,1,0,–
SPR-5,2025,Insgesamt,6,6,100,
SPR-5,2025,B1,3,6,50,
SPR-5,2025,A2,2,6,33.3333333333333,
SPR-5,2025,unter A2,1,6,16.6666666666667," "SPR-5 shares"
# By course type: allgemein K05 K05 (B1, B1) 2/2; alpha K02 A2, jugend K06 B1, eltern K10 A2,
# frauen K04 unter A2, 1/1 each; no zweitschrift (K12 has no DTZ).
csv SPR-5 --period 2025 --by kursart,dtz_ergebnis
expect_eq "$OUT" "indicator,period,kursart,dtz_ergebnis,numerator,denominator,value,flag
SPR-5,2025,Insgesamt,Insgesamt,6,6,100,
SPR-5,2025,Insgesamt,B1,3,6,50,
SPR-5,2025,Insgesamt,A2,2,6,33.3333333333333,
SPR-5,2025,Insgesamt,unter A2,1,6,16.6666666666667,
SPR-5,2025,allgemein,Insgesamt,2,2,100,
SPR-5,2025,allgemein,B1,2,2,100,
SPR-5,2025,allgemein,A2,0,2,0,–
SPR-5,2025,allgemein,unter A2,0,2,0,–
SPR-5,2025,alpha,Insgesamt,1,1,100,
SPR-5,2025,alpha,B1,0,1,0,–
SPR-5,2025,alpha,A2,1,1,100,
SPR-5,2025,alpha,unter A2,0,1,0,–
SPR-5,2025,jugend,Insgesamt,1,1,100,
SPR-5,2025,jugend,B1,1,1,100,
SPR-5,2025,jugend,A2,0,1,0,–
SPR-5,2025,jugend,unter A2,0,1,0,–
SPR-5,2025,eltern,Insgesamt,1,1,100,
SPR-5,2025,eltern,B1,0,1,0,–
SPR-5,2025,eltern,A2,1,1,100,
SPR-5,2025,eltern,unter A2,0,1,0,–
SPR-5,2025,frauen,Insgesamt,1,1,100,
SPR-5,2025,frauen,B1,0,1,0,–
SPR-5,2025,frauen,A2,0,1,0,–
SPR-5,2025,frauen,unter A2,1,1,100," "SPR-5 by course type"
# Men: both exams of K05, B1 2/2; women K06 B1, K02 K10 A2, K04 unter A2: 1/4 = 25 %, 2/4 =
# 50 %, 1/4 = 25 %.
csv SPR-5 --period 2025 --by geschlecht,dtz_ergebnis
expect_eq "$OUT" "indicator,period,geschlecht,dtz_ergebnis,numerator,denominator,value,flag
SPR-5,2025,Insgesamt,Insgesamt,6,6,100,
SPR-5,2025,Insgesamt,B1,3,6,50,
SPR-5,2025,Insgesamt,A2,2,6,33.3333333333333,
SPR-5,2025,Insgesamt,unter A2,1,6,16.6666666666667,
SPR-5,2025,m,Insgesamt,2,2,100,
SPR-5,2025,m,B1,2,2,100,
SPR-5,2025,m,A2,0,2,0,–
SPR-5,2025,m,unter A2,0,2,0,–
SPR-5,2025,w,Insgesamt,4,4,100,
SPR-5,2025,w,B1,1,4,25,
SPR-5,2025,w,A2,2,4,50,
SPR-5,2025,w,unter A2,1,4,25," "SPR-5 by sex"

# ==== SPR-6 Kurserfolg ===========================================================================
# Persons with an exam in 2025 (6): K02 (A2), K04 (unter A2, LiD failed), K05 (March: B1 but LiD
# failed; October: B1 and LiD), K06 (B1 and LiD), K10 (A2), K12 (LiD only). Successful: K05 and
# K06, 2/6 = 33,3 %. K05 counts once, with the course type of the last exam (allgemein).
# Men: K05 1/1; women: K06 of K02 K04 K06 K10 K12, 1/5 = 20 %. 2024: K01, 1/1.
csv SPR-6 --period 2024..2025 --by geschlecht
expect_eq "$OUT" "indicator,period,geschlecht,numerator,denominator,value,flag
SPR-6,2024,Insgesamt,1,1,100,
SPR-6,2024,m,1,1,100,
SPR-6,2024,w,0,0,,–
SPR-6,2025,Insgesamt,2,6,33.3333333333333,
SPR-6,2025,m,1,1,100,
SPR-6,2025,w,1,5,20," "SPR-6 by sex"
csv SPR-6 --period 2025 --by kursart
expect_eq "$OUT" "indicator,period,kursart,numerator,denominator,value,flag
SPR-6,2025,Insgesamt,2,6,33.3333333333333,
SPR-6,2025,allgemein,1,1,100,
SPR-6,2025,alpha,0,1,0,–
SPR-6,2025,jugend,1,1,100,
SPR-6,2025,eltern,0,1,0,–
SPR-6,2025,frauen,0,1,0,–
SPR-6,2025,zweitschrift,0,1,0,–" "SPR-6 by course type of the last exam"
# In 2025Q1 K05 had only the March exam (LiD failed): 0/1. The fourth quarter holds the other
# five persons' exams and K05's second one: 2/6.
csv SPR-6 --period 2025Q1..2025Q4
expect_eq "$OUT" "indicator,period,numerator,denominator,value,flag
SPR-6,2025Q1,0,1,0,–
SPR-6,2025Q2,0,0,,–
SPR-6,2025Q3,0,0,,–
SPR-6,2025Q4,2,6,33.3333333333333," "SPR-6 quarters"

# ==== Publication output: small cells are protected ==============================================
# SPR-3's 8 waiting times are below mindestnenner (10): the median is "/".
expect_exit 0 bimo indicators compute SPR-3 --period 2025 --format csv
expect_eq "$OUT" "indicator,period,numerator,denominator,value,flag
SPR-3,2025,8,,,/" "SPR-3 protected median"
expect_exit 0 bimo indicators compute SPR-2 --period 2025 --intern
expect_contains "$OUT" "85,7 % p" "SPR-2 table: provisional"
expect_contains "$OUT" "Datenstand 31.12.2025" "SPR-2 source line"

# ==== A small synthetic district: every indicator, every dimension, time series ==================
# The sample has the population register on each 31.12., the foreigners' authority at the end of
# each quarter and one cumulative integration-course extract of 31.12.2025.
expect_exit 0 "$BIMO" sample -o smp --persons 5000 --quiet
expect_exit 0 "$BIMO" --db s.db init
for src in melderegister aufenthalt integrationskurs schule schulabgang; do
    expect_exit 0 "$BIMO" --db s.db import "$src" smp/"$src"_*.csv
done
q() { sqlite3 s.db "$1"; }
scsv() { expect_exit 0 "$BIMO" --db s.db indicators compute "$@" --format csv --intern; }

# The numerator of a total row ("Insgesamt" in every dimension column) of period $2.
total() { printf '%s\n' "$1" | awk -F, -v p="$2" '$2 == p {
    for (i = 3; i <= NF - 4; i++) if ($i != "Insgesamt") next; print $(NF - 3); exit }'; }

# Each category row (all other dimensions at Insgesamt) adds up to the total row, per period;
# prints the first period where it does not, or nothing.
margins() { printf '%s\n' "$1" | awk -F, 'NR > 1 && $NF != "…" {
    k = 0; pos = 0
    for (i = 3; i <= NF - 4; i++) if ($i != "Insgesamt") { k++; pos = i }
    if (k == 0) tot[$2] = $(NF - 3)
    else if (k == 1) sum[$2 "," pos] += $(NF - 3) }
    END { for (key in sum) { split(key, a, ","); if (sum[key] != tot[a[1]]) { print key; exit } }
    }'; }

# dims ID: the dimensions the indicator allows, from "bimo indicators list".
dims() { "$BIMO" indicators list | awk -v id="$1" '$1 == id' | sed 's/.*  //; s/,//g'; }

check_series() { # ID PERIODS: compute with every allowed dimension, check the margins
    local id=$1 periods=$2 d
    scsv "$id" --period "$periods"
    local plain=$OUT
    expect_eq "$(printf '%s\n' "$OUT" | sed 1d | grep -vc "^$id,")" "0" "$id $periods: rows"
    local all
    all=$(dims "$id")
    expect_eq "$([ -n "$all" ] && echo ok)" "ok" "$id: dimensions listed"
    case " $all " in *" gemeinde "*) all="$all kommune region" ;; esac
    for d in $all; do
        scsv "$id" --period "$periods" --by "$d"
        expect_eq "$(margins "$OUT")" "" "$id $periods by $d: categories add up to the total"
        case "$ERR" in *rror*) fail "$id by $d: $ERR" ;; esac
    done
    SERIES=$plain
}

for id in BEV-3 BEV-4; do
    check_series "$id" 2019..2025
    expect_eq "$(printf '%s\n' "$SERIES" | grep -c '…')" "0" "$id: every year has data"
done
for id in AUF-2 AUF-2a AUF-3 AUF-4; do
    check_series "$id" 2019Q1..2025Q4
done
for id in SPR-1 SPR-2 SPR-3 SPR-4 SPR-4a SPR-5 SPR-6; do
    check_series "$id" 2019..2025
    expect_eq "$(printf '%s\n' "$SERIES" | grep -c '…')" "0" "$id: data for every year"
    # Only SPR-2's cohort 2025 is provisional: its 12-month windows are open on 31.12.2025.
    want=""; [ "$id" = SPR-2 ] && want="2025"
    expect_eq "$(printf '%s\n' "$SERIES" | grep ',p$' | cut -d, -f2 | tr '\n' ' ' | sed 's/ $//')" \
        "$want" "$id: provisional periods"
    check_series "$id" 2019Q1..2025Q4
done
# AUF-4 in 2019Q1 has no previous quarter; every later quarter has.
scsv AUF-4 --period 2019Q1..2025Q4
expect_eq "$(printf '%s\n' "$OUT" | grep '…' | cut -d, -f2 | sort -u)" "2019Q1" "AUF-4: 2019Q1 only"

# Totals against direct counts in the store (ages as completed years: (date - born) / 10000).
# categories CSV EXCLUDED: the numerators of the rows of the first dimension but the total and
# the category EXCLUDED.
categories() { printf '%s\n' "$1" | awk -F, -v x="$2" 'NR > 1 && $3 != "Insgesamt" && $3 != x {
    s += $4 } END {print s + 0}'; }
AUF25="(SELECT id FROM snapshot WHERE source = 'aufenthalt' AND stichtag = 20251231)"
AUF24="(SELECT id FROM snapshot WHERE source = 'aufenthalt' AND stichtag = 20241231)"
MEL25="(SELECT id FROM snapshot WHERE source = 'melderegister' AND stichtag = 20251231)"
n_auf=$(q "SELECT count(*) FROM aufenthalt WHERE snapshot_id = $AUF25")
n_auf24=$(q "SELECT count(*) FROM aufenthalt WHERE snapshot_id = $AUF24")
SCHUTZ="FROM aufenthalt AS a JOIN code_rechtsgrundlage AS r ON r.id = a.rechtsgrundlage
        WHERE a.snapshot_id = $AUF25 AND r.gruppe <> 'kein Schutzstatus'"
n_schutz=$(q "SELECT count(*) $SCHUTZ")
n_schutz25=$(q "SELECT count(*) $SCHUTZ AND (20251231 - a.geburtsdatum) / 10000 < 25")
expect_eq "$([ "$n_auf" -gt 100 ] && [ "$n_schutz25" -gt 0 ] && echo ok)" "ok" "sample: foreigners"
scsv AUF-1 --period 31.12.2025
expect_eq "$(total "$OUT" 2025-12-31)" "$n_schutz" "AUF-1 total = protection seekers"
scsv AUF-2 --period 2025
expect_eq "$(total "$OUT" 2025)" "$n_auf" "AUF-2 total = foreigners in the store"
expect_eq "$(categories "$OUT" "kein Schutzstatus")" "$n_schutz" "AUF-2: the protection groups = AUF-1"
scsv AUF-2a --period 2025
expect_eq "$(total "$OUT" 2025)" "$n_auf" "AUF-2a total = foreigners in the store"
scsv AUF-3 --period 2025
expect_eq "$(total "$OUT" 2025)" "$n_schutz25" "AUF-3 total = protection seekers under 25"
scsv AUF-3 --period 2025 --param alter_bis=200
expect_eq "$(total "$OUT" 2025)" "$n_schutz" "AUF-3 all ages = AUF-1"
# AUF-4: the rows of the matrix (without "neu") add up to the stock of 31.12.2024, its columns
# (without "nicht mehr im Bestand") to the stock of 31.12.2025.
scsv AUF-4 --period 2025 --by schutzstatus_vorher,schutzstatus
before=$(printf '%s\n' "$OUT" | awk -F, '$3 != "Insgesamt" && $3 != "neu" && $4 == "Insgesamt" {
    s += $5 } END {print s + 0}')
after=$(printf '%s\n' "$OUT" | awk -F, '$3 == "Insgesamt" && $4 != "Insgesamt" &&
    $4 != "nicht mehr im Bestand" && NR > 1 {s += $5} END {print s + 0}')
expect_eq "$before" "$n_auf24" "AUF-4: the rows hold the stock of 31.12.2024"
expect_eq "$after" "$n_auf" "AUF-4: the columns hold the stock of 31.12.2025"

n=$(q "SELECT count(*) FROM melderegister WHERE snapshot_id = $MEL25 AND herkunftsland <> 0
       AND zuzugsdatum BETWEEN 20250101 AND 20251231")
scsv BEV-3 --period 2025
expect_eq "$(total "$OUT" 2025)" "$n" "BEV-3 total = direct count"
expect_eq "$([ "$n" -gt 0 ] && echo ok)" "ok" "sample: arrivals from abroad in 2025"
n=$(q "SELECT count(*) FROM melderegister WHERE snapshot_id = $MEL25
       AND einreisedatum BETWEEN 20221231 AND 20251231 AND (20251231 - geburtsdatum) / 10000 < 25")
scsv BEV-4 --period 2025
expect_eq "$(total "$OUT" 2025)" "$n" "BEV-4 total = direct count"

# SPR: per year against direct counts; SPR-2's denominator is SPR-1, SPR-3's observations and
# SPR-4a's denominator are SPR-4, B1 + A2 + unter A2 is every DTZ.
IK="snapshot_id = (SELECT max(id) FROM snapshot WHERE source = 'integrationskurs')"
scsv SPR-1 --period 2019..2025; s1=$OUT
scsv SPR-2 --period 2019..2025; s2=$OUT
scsv SPR-3 --period 2019..2025; s3=$OUT
scsv SPR-4 --period 2019..2025; s4=$OUT
scsv SPR-4a --period 2019..2025; s4a=$OUT
scsv SPR-5 --period 2019..2025; s5=$OUT
scsv SPR-6 --period 2019..2025; s6=$OUT
scsv SPR-1 --period 2019Q1..2025Q4; s1q=$OUT
col() { printf '%s\n' "$1" | awk -F, -v p="$2" -v c="$3" '$2 == p {print $c}'; }
all=0
for y in 2019 2020 2021 2022 2023 2024 2025; do
    n=$(q "SELECT count(*) FROM integrationskurs WHERE $IK AND berechtigung_datum / 10000 = $y")
    expect_eq "$(col "$s1" $y 3)" "$n" "SPR-1 $y = direct count"
    expect_eq "$(col "$s2" $y 4)" "$n" "SPR-2 $y denominator = SPR-1"
    all=$((all + n))
    n=$(q "SELECT count(*) FROM integrationskurs WHERE $IK AND kursbeginn / 10000 = $y")
    expect_eq "$(col "$s4" $y 3)" "$n" "SPR-4 $y = direct count"
    expect_eq "$(col "$s3" $y 3)" "$n" "SPR-3 $y observations = SPR-4"
    expect_eq "$(col "$s4a" $y 4)" "$n" "SPR-4a $y denominator = SPR-4"
    n=$(q "SELECT count(*) FROM integrationskurs WHERE $IK AND pruefung_datum / 10000 = $y
           AND dtz_ergebnis IS NOT NULL")
    expect_eq "$(printf '%s\n' "$s5" | awk -F, -v p=$y '$2 == p && $3 == "Insgesamt" {print $5}')" \
        "$n" "SPR-5 $y denominator = direct count"
    expect_eq "$(printf '%s\n' "$s5" | awk -F, -v p=$y '$2 == p && $3 != "Insgesamt" {s += $4}
        END {print s + 0}')" "$n" "SPR-5 $y: B1 + A2 + unter A2"
    n=$(q "SELECT count(DISTINCT person) FROM integrationskurs WHERE $IK
           AND pruefung_datum / 10000 = $y")
    expect_eq "$(col "$s6" $y 4)" "$n" "SPR-6 $y denominator = persons with an exam"
    v=$(col "$s2" $y 5)
    expect_eq "$(awk -v v="$v" 'BEGIN {print (v == "" || (v >= 0 && v <= 100)) ? "ok" : v}')" "ok" \
        "SPR-2 $y in 0..100 %"
done
expect_eq "$(printf '%s\n' "$s1q" | awk -F, 'NR > 1 {s += $3} END {print s}')" "$all" \
    "SPR-1: the quarters add up to the years"
expect_eq "$([ "$all" -gt 0 ] && echo ok)" "ok" "sample: entitlements 2019..2025"
finish
