#!/bin/bash
# test_indicators_sch.sh — the school indicators (SCH-1, SCH-1a, SCH-3, SCH-4, SCH-4a, ABS-1,
# ABS-2, BBS-1, BBS-2) end to end on small hand-made extracts imported with the real
# "bimo import": every expected number is worked out by hand in the comments, from the
# fixtures in tests/data/indicators/sch/ and tests/data/indicators/abs/. Then every indicator
# on a synthetic district (bimo sample) for all school years and each allowed dimension,
# with totals checked against direct counts of the store.
. "$TESTS_DIR/e2e/lib.sh"
SCH="$TESTS_DIR/data/indicators/sch"
ABS="$TESTS_DIR/data/indicators/abs"
bimo() { "$BIMO" --db s.db "$@"; }
csv() { expect_exit 0 "$BIMO" --db s.db indicators compute "$@" --format csv --intern; }

expect_exit 0 bimo init
expect_exit 0 bimo import schule "$SCH/schule_2024-25.csv" "$SCH/schule_2025-26.csv"
expect_exit 0 bimo import schulabgang "$ABS/schulabgang_2023-24.csv" "$ABS/schulabgang_2024-25.csv"
expect_exit 0 bimo import melderegister "$ABS/melderegister_2025-12-31.csv"

# ---- The catalogue -----------------------------------------------------------------------------
expect_exit 0 bimo indicators list
for id in SCH-1 SCH-1a SCH-3 SCH-4 SCH-4a ABS-1 ABS-2 BBS-1 BBS-2; do
    expect_contains "$OUT" "$id " "list: $id"
done
expect_exit 0 bimo indicators show SCH-3
expect_contains "$OUT" "kind:        share" "SCH-3 is a share"
expect_contains "$OUT" "Wiederholung" "SCH-3 definition names the repeaters"
expect_exit 0 bimo indicators show ABS-2
expect_contains "$OUT" "31.12. des Abgangsjahres" "ABS-2 names the population date"

# ---- SCH-1 Schülerinnen und Schüler, 2025/26 (sch/schule_2025-26.csv, 40 pupils) ---------------
# By the form that counts (zaehlt_als): GS V07 V13 N01 N02 N06 N08 = 6; HS: KGS-Hauptschulzweig
# V03 N05 = 2; RS: KGS-Realschulzweig V10 = 1; OBS V04 V05 N03 N04 = 4; GYM V01 V14 V16 V17 +
# KGS-Gymnasialzweig V02 = 5; IGS V11 N07 = 2; KGS without branch K01 = 1; FOES V06 V12 V15 = 3;
# BBS B01..B16 = 16. 6 + 2 + 1 + 4 + 5 + 2 + 1 + 3 + 16 = 40.
csv SCH-1 --period 2025/26 --by schulform
expect_eq "$OUT" "indicator,period,schulform,numerator,denominator,value,flag
SCH-1,2025/26,Insgesamt,40,,40,
SCH-1,2025/26,GS,6,,6,
SCH-1,2025/26,HS,2,,2,
SCH-1,2025/26,RS,1,,1,
SCH-1,2025/26,OBS,4,,4,
SCH-1,2025/26,GYM,5,,5,
SCH-1,2025/26,IGS,2,,2,
SCH-1,2025/26,KGS,1,,1,
SCH-1,2025/26,FOES,3,,3,
SCH-1,2025/26,BBS,16,,16," "SCH-1 by school form (KGS branches under their form)"
expect_eq "$(sqlite3 s.db "SELECT count(*) FROM schule s JOIN snapshot n ON n.id = s.snapshot_id
                           WHERE n.source = 'schule' AND n.schuljahr = 2025")" "40" \
    "SCH-1 total is the number of pupil rows"
# Not German: V04 (475) V05 (166) N01 (166) N02 (475) N03 (475) N04 (423) N05 (166) N07 (438)
# N08 (163) B02 (475) B04 (423) B05 (166) B06 (475) B11 (163) = 14; German 40 - 14 = 26.
csv SCH-1 --period 2025/26 --by deutsch
expect_eq "$OUT" "indicator,period,deutsch,numerator,denominator,value,flag
SCH-1,2025/26,Insgesamt,40,,40,
SCH-1,2025/26,deutsch,26,,26,
SCH-1,2025/26,nichtdeutsch,14,,14," "SCH-1 by German/non-German"
# m: V01 V03 V05 V07 V11 V12 V15 V16 N02 N03 N05 N06 B01 B03 B04 B06 B08 B10 B11 B14 = 20;
# w: the other 20.
csv SCH-1 --period 2025/26 --by geschlecht
expect_eq "$OUT" "indicator,period,geschlecht,numerator,denominator,value,flag
SCH-1,2025/26,Insgesamt,40,,40,
SCH-1,2025/26,m,20,,20,
SCH-1,2025/26,w,20,,20," "SCH-1 by sex"

# ---- SCH-1a Anteil ausländischer Schülerinnen und Schüler --------------------------------------
# 14 / 40 = 35 %. GS N01 N02 N08 of 6 = 50 %; HS N05 of 2 = 50 %; RS 0 of 1; OBS all 4 = 100 %;
# GYM 0 of 5; IGS N07 of 2 = 50 %; KGS 0 of 1; FOES 0 of 3; BBS B02 B04 B05 B06 B11 of 16 =
# 31.25 %.
csv SCH-1a --period 2025/26 --by schulform
expect_eq "$OUT" "indicator,period,schulform,numerator,denominator,value,flag
SCH-1a,2025/26,Insgesamt,14,40,35,
SCH-1a,2025/26,GS,3,6,50,
SCH-1a,2025/26,HS,1,2,50,
SCH-1a,2025/26,RS,0,1,0,–
SCH-1a,2025/26,OBS,4,4,100,
SCH-1a,2025/26,GYM,0,5,0,–
SCH-1a,2025/26,IGS,1,2,50,
SCH-1a,2025/26,KGS,0,1,0,–
SCH-1a,2025/26,FOES,0,3,0,–
SCH-1a,2025/26,BBS,5,16,31.25," "SCH-1a by school form"

# ---- SCH-3 Übergänge Grundschule -> Sek I (verknüpft), 2025/26 ---------------------------------
# Jahrgang 4 at a Grundschule in 2024/25 (sch/schule_2024-25.csv): V01..V11, V14, V15, V17 = 14.
# Not in the cohort: V12 (Jahrgang 4 of a Förderschule), V13 (Jahrgang 3), V16 (Jahrgang 5).
# Repeaters, in Jahrgang 4 again in 2025/26, are left out of numerator and denominator: V07
# (Grundschule again) and V15 (now Jahrgang 4 of a Förderschule). Cohort 14 - 2 = 12:
#   GYM: V01, V14, V02 (KGS-Gymnasialzweig), V17 (Jahrgang 6: skipped a year) = 4
#   HS: V03 (KGS-Hauptschulzweig) = 1; RS: V10 (KGS-Realschulzweig) = 1; OBS: V04 V05 = 2;
#   IGS: V11 = 1; FOES: V06 = 1 (a Förderschule is a school form of its own here);
#   nicht gefunden (no row in 2025/26): V08 V09 = 2.
# 1/12 = 8.33 %, 2/12 = 16.67 %, 4/12 = 33.33 %; together 100 %.
csv SCH-3 --period 2025/26
expect_eq "$OUT" "indicator,period,schulform,numerator,denominator,value,flag
SCH-3,2025/26,Insgesamt,12,12,100,
SCH-3,2025/26,HS,1,12,8.33333333333333,
SCH-3,2025/26,RS,1,12,8.33333333333333,
SCH-3,2025/26,OBS,2,12,16.6666666666667,
SCH-3,2025/26,GYM,4,12,33.3333333333333,
SCH-3,2025/26,IGS,1,12,8.33333333333333,
SCH-3,2025/26,FOES,1,12,8.33333333333333,
SCH-3,2025/26,nicht gefunden,2,12,16.6666666666667," "SCH-3 linked transitions"
sum=$(printf '%s\n' "$OUT" | awk -F, 'NR > 2 {s += $6} END {printf "%.6f", s}')
expect_eq "$sum" "100.000000" "SCH-3 shares sum to 100 %"
# Nationality as in Jahrgang 4: not German V04 (475) V05 (166) -> OBS, V09 (423) not found:
# OBS 2/3 = 66.67 %, nicht gefunden 1/3; German 9: GYM 4/9 = 44.44 %, nicht gefunden V08 1/9.
csv SCH-3 --period 2025/26 --by deutsch
expect_contains "$OUT" "SCH-3,2025/26,Insgesamt,nichtdeutsch,3,3,100," "SCH-3 non-German cohort"
expect_contains "$OUT" "SCH-3,2025/26,OBS,nichtdeutsch,2,3,66.6666666666667," \
    "SCH-3 non-German to OBS"
expect_contains "$OUT" "SCH-3,2025/26,GYM,deutsch,4,9,44.4444444444444," "SCH-3 German to GYM"
expect_contains "$OUT" "SCH-3,2025/26,nicht gefunden,deutsch,1,9,11.1111111111111," \
    "SCH-3 German not found"
# Region of the Grundschule: Mitte/Ost (Melle V01 V02 V03 V04 V17, Bramsche V05 V06; V07 is a
# repeater) = 7, of them GYM V01 V02 V17 = 3; Nordkreis (Ankum V08 V09 V10) = 3, not found 2;
# Südkreis (Bad Iburg V11 V14; V15 repeats) = 2; Wittlager Land: nobody.
csv SCH-3 --period 2025/26 --by region
expect_contains "$OUT" "SCH-3,2025/26,Insgesamt,Mitte/Ost,7,7,100," "SCH-3 Mitte/Ost cohort"
expect_contains "$OUT" "SCH-3,2025/26,GYM,Mitte/Ost,3,7,42.8571428571429," "SCH-3 Mitte/Ost to GYM"
expect_contains "$OUT" "SCH-3,2025/26,nicht gefunden,Nordkreis,2,3,66.6666666666667," \
    "SCH-3 Nordkreis not found"
expect_contains "$OUT" "SCH-3,2025/26,Insgesamt,Südkreis,2,2,100," \
    "SCH-3 Südkreis without the repeater"
expect_contains "$OUT" "SCH-3,2025/26,Insgesamt,Wittlager Land,0,0,,–" "SCH-3 empty region"
# 2024/25 has no school year before it in the store: no data, not zero.
csv SCH-3 --period 2024/25
expect_eq "$OUT" "indicator,period,schulform,numerator,denominator,value,flag
SCH-3,2024/25,Insgesamt,,,,…" "SCH-3 without the previous school year"

# ---- SCH-4 Sprachlernklassen, 2025/26 ----------------------------------------------------------
# sprachlernklasse = 1 at general schools: N01 (GS, Melle), N02 (GS, Bad Iburg), N03 N04 (OBS,
# Bramsche), N05 (KGS-Hauptschulzweig -> HS, Melle), N06 (GS, Ankum, German) = 6. B05 (SPRINT at
# a vocational school, flagged 1) is not counted: SPRINT belongs to BBS-1. N08 has no entry.
csv SCH-4 --period 2025/26 --by schulform
expect_eq "$OUT" "indicator,period,schulform,numerator,denominator,value,flag
SCH-4,2025/26,Insgesamt,6,,6,
SCH-4,2025/26,GS,3,,3,
SCH-4,2025/26,HS,1,,1,
SCH-4,2025/26,OBS,2,,2," "SCH-4 by school form"
# Regions: Mitte/Ost N01 N03 N04 N05 = 4; Nordkreis N06 = 1; Südkreis N02 = 1.
csv SCH-4 --period 2025/26 --by region
expect_eq "$OUT" "indicator,period,region,numerator,denominator,value,flag
SCH-4,2025/26,Insgesamt,6,,6,
SCH-4,2025/26,Mitte/Ost,4,,4,
SCH-4,2025/26,Nordkreis,1,,1,
SCH-4,2025/26,Südkreis,1,,1,
SCH-4,2025/26,Wittlager Land,0,,0,–" "SCH-4 by region"
csv SCH-4 --period 2025/26 --by deutsch
expect_eq "$OUT" "indicator,period,deutsch,numerator,denominator,value,flag
SCH-4,2025/26,Insgesamt,6,,6,
SCH-4,2025/26,deutsch,1,,1,
SCH-4,2025/26,nichtdeutsch,5,,5," "SCH-4 by German/non-German"

# ---- SCH-4a Anteil ausländischer Schülerinnen und Schüler in Sprachlernklassen -----------------
# Non-German pupils of general schools: V04 V05 N01 N02 N03 N04 N05 N07 N08 = 9; in a
# Sprachlernklasse N01 N02 N03 N04 N05 = 5 (N06 is German and not counted): 5/9 = 55.56 %.
# GS N01 N02 of N01 N02 N08 = 2/3; HS N05 1/1; OBS N03 N04 of V04 V05 N03 N04 = 2/4; IGS N07 0/1.
csv SCH-4a --period 2025/26 --by schulform
expect_eq "$OUT" "indicator,period,schulform,numerator,denominator,value,flag
SCH-4a,2025/26,Insgesamt,5,9,55.5555555555556,
SCH-4a,2025/26,GS,2,3,66.6666666666667,
SCH-4a,2025/26,HS,1,1,100,
SCH-4a,2025/26,OBS,2,4,50,
SCH-4a,2025/26,IGS,0,1,0,–" "SCH-4a by school form"
# Mitte/Ost: V04 N01 N05 (Melle), V05 N03 N04 N07 (Bramsche) = 7, in SLK N01 N03 N04 N05 = 4;
# Nordkreis N08 0/1; Südkreis N02 1/1; Wittlager Land 0/0.
csv SCH-4a --period 2025/26 --by region
expect_eq "$OUT" "indicator,period,region,numerator,denominator,value,flag
SCH-4a,2025/26,Insgesamt,5,9,55.5555555555556,
SCH-4a,2025/26,Mitte/Ost,4,7,57.1428571428571,
SCH-4a,2025/26,Nordkreis,0,1,0,–
SCH-4a,2025/26,Südkreis,1,1,100,
SCH-4a,2025/26,Wittlager Land,0,0,,–" "SCH-4a by region"

# ---- BBS-1 Berufseinstieg und Sprachförderung, 2025/26 -----------------------------------------
# BES1 B01 B02, BES2 B03 B04 B16 (no ausbildungsjahr: counted, BBS-1 takes every year), SPRINT
# B05, SPRINT-Dual B06 = 7. Not: B07 (einjährige Berufsfachschule), B08..B15 (BS, BFS-Q, FOS, BG).
# German B01 B03 B16 = 3, not German B02 B04 B05 B06 = 4; m B01 B03 B04 B06 = 4, w 3.
# Melle (Mitte/Ost) B01 B02 B03 B16 = 4; Bersenbrück (Nordkreis) B04 B05 B06 = 3.
csv BBS-1 --period 2025/26 --by deutsch
expect_eq "$OUT" "indicator,period,deutsch,numerator,denominator,value,flag
BBS-1,2025/26,Insgesamt,7,,7,
BBS-1,2025/26,deutsch,3,,3,
BBS-1,2025/26,nichtdeutsch,4,,4," "BBS-1 by German/non-German"
csv BBS-1 --period 2025/26 --by geschlecht
expect_eq "$OUT" "indicator,period,geschlecht,numerator,denominator,value,flag
BBS-1,2025/26,Insgesamt,7,,7,
BBS-1,2025/26,m,4,,4,
BBS-1,2025/26,w,3,,3," "BBS-1 by sex"
# By programme: BES1 B01 B02 = 2, BES2 B03 B04 B16 = 3, SPRINT B05 = 1, SPRINT-D B06 = 1; the
# German ones B01 (BES1), B03 B16 (BES2); SPRINT and SPRINT-Dual have no German pupil (0, "–").
csv BBS-1 --period 2025/26 --by bildungsgang,deutsch
expect_eq "$OUT" "indicator,period,bildungsgang,deutsch,numerator,denominator,value,flag
BBS-1,2025/26,Insgesamt,Insgesamt,7,,7,
BBS-1,2025/26,Insgesamt,deutsch,3,,3,
BBS-1,2025/26,Insgesamt,nichtdeutsch,4,,4,
BBS-1,2025/26,BES1,Insgesamt,2,,2,
BBS-1,2025/26,BES1,deutsch,1,,1,
BBS-1,2025/26,BES1,nichtdeutsch,1,,1,
BBS-1,2025/26,BES2,Insgesamt,3,,3,
BBS-1,2025/26,BES2,deutsch,2,,2,
BBS-1,2025/26,BES2,nichtdeutsch,1,,1,
BBS-1,2025/26,SPRINT,Insgesamt,1,,1,
BBS-1,2025/26,SPRINT,deutsch,0,,0,–
BBS-1,2025/26,SPRINT,nichtdeutsch,1,,1,
BBS-1,2025/26,SPRINT-D,Insgesamt,1,,1,
BBS-1,2025/26,SPRINT-D,deutsch,0,,0,–
BBS-1,2025/26,SPRINT-D,nichtdeutsch,1,,1," "BBS-1 by programme and German/non-German"
csv BBS-1 --period 2025/26 --by region
expect_contains "$OUT" "BBS-1,2025/26,Mitte/Ost,4,,4," "BBS-1 Mitte/Ost"
expect_contains "$OUT" "BBS-1,2025/26,Nordkreis,3,,3," "BBS-1 Nordkreis"

# ---- BBS-2 Übergangsbereich, 2025/26 -----------------------------------------------------------
# New entrants (ausbildungsjahr 1) in the three sectors: Übergangsbereich B01 B02 (BES1), B03 B04
# (BES2), B05 (SPRINT), B06 (SPRINT-Dual), B07 (einjährige BFS) = 7; duales System B08 B09 B11
# (BS) = 3; Schulberufssystem B12 (BFS-Q) = 1. Not counted: B10 B13 (second year), B16 (year
# unknown), B14 (FOS) and B15 (BG: Hochschulzugangsberechtigung). 7 / 11 = 63.64 %.
# German: B01 B03 B07 of B01 B03 B07 B08 B09 B12 = 3/6 = 50 %; not German: B02 B04 B05 B06 of
# B02 B04 B05 B06 B11 = 4/5 = 80 %. m: B01 B03 B04 B06 of + B08 B11 = 4/6; w: B02 B05 B07 of
# + B09 B12 = 3/5 = 60 %. Mitte/Ost (Melle) B01 B02 B03 B07 of + B08 B09 = 4/6; Nordkreis
# (Bersenbrück) B04 B05 B06 of + B11 B12 = 3/5.
csv BBS-2 --period 2025/26 --by deutsch
expect_eq "$OUT" "indicator,period,deutsch,numerator,denominator,value,flag
BBS-2,2025/26,Insgesamt,7,11,63.6363636363636,
BBS-2,2025/26,deutsch,3,6,50,
BBS-2,2025/26,nichtdeutsch,4,5,80," "BBS-2 by German/non-German"
csv BBS-2 --period 2025/26 --by geschlecht
expect_eq "$OUT" "indicator,period,geschlecht,numerator,denominator,value,flag
BBS-2,2025/26,Insgesamt,7,11,63.6363636363636,
BBS-2,2025/26,m,4,6,66.6666666666667,
BBS-2,2025/26,w,3,5,60," "BBS-2 by sex"
csv BBS-2 --period 2025/26 --by region
expect_eq "$OUT" "indicator,period,region,numerator,denominator,value,flag
BBS-2,2025/26,Insgesamt,7,11,63.6363636363636,
BBS-2,2025/26,Mitte/Ost,4,6,66.6666666666667,
BBS-2,2025/26,Nordkreis,3,5,60,
BBS-2,2025/26,Südkreis,0,0,,–
BBS-2,2025/26,Wittlager Land,0,0,,–" "BBS-2 by region"

# ---- ABS-1 Abgänger nach Abschluss, 2024/25 (abs/schulabgang_2024-25.csv, 16 leavers) ----------
# 1 ohne HSA: A01 (Förderschule Lernen), A02 (Förderschule GE), A03 (Förderschule, ohne), A05
#   (HS, ohne) = 4: leavers of a Förderschule without HSA count as "ohne";
# 2 HSA: A04 (Förderschule with HSA after 9), A06, A07 = 3; 3 mittlerer: A08 A09 A10 A11 = 4;
# 4 FHR: A12 = 1; 5 AHR: A13 A14 A15 A16 = 4. 4 + 3 + 4 + 1 + 4 = 16.
csv ABS-1 --period 2024/25
expect_eq "$OUT" "indicator,period,abschluss,numerator,denominator,value,flag
ABS-1,2024/25,Insgesamt,16,16,100,
ABS-1,2024/25,1,4,16,25,
ABS-1,2024/25,2,3,16,18.75,
ABS-1,2024/25,3,4,16,25,
ABS-1,2024/25,4,1,16,6.25,
ABS-1,2024/25,5,4,16,25," "ABS-1 shares"
sum=$(printf '%s\n' "$OUT" | awk -F, 'NR > 2 {s += $6} END {printf "%.6f", s}')
expect_eq "$sum" "100.000000" "ABS-1 shares sum to 100 %"
# Not German A03 (475, ohne) A05 (423, ohne) A07 (166, HSA) A11 (475, mittlerer) = 4: 50 / 25 /
# 25 / 0 / 0 %. German 12: ohne A01 A02 = 2, HSA A04 A06 = 2, mittlerer A08 A09 A10 = 3, FHR 1,
# AHR 4: 16.67 / 16.67 / 25 / 8.33 / 33.33 %.
csv ABS-1 --period 2024/25 --by deutsch
expect_eq "$OUT" "indicator,period,abschluss,deutsch,numerator,denominator,value,flag
ABS-1,2024/25,Insgesamt,Insgesamt,16,16,100,
ABS-1,2024/25,Insgesamt,deutsch,12,12,100,
ABS-1,2024/25,Insgesamt,nichtdeutsch,4,4,100,
ABS-1,2024/25,1,Insgesamt,4,16,25,
ABS-1,2024/25,1,deutsch,2,12,16.6666666666667,
ABS-1,2024/25,1,nichtdeutsch,2,4,50,
ABS-1,2024/25,2,Insgesamt,3,16,18.75,
ABS-1,2024/25,2,deutsch,2,12,16.6666666666667,
ABS-1,2024/25,2,nichtdeutsch,1,4,25,
ABS-1,2024/25,3,Insgesamt,4,16,25,
ABS-1,2024/25,3,deutsch,3,12,25,
ABS-1,2024/25,3,nichtdeutsch,1,4,25,
ABS-1,2024/25,4,Insgesamt,1,16,6.25,
ABS-1,2024/25,4,deutsch,1,12,8.33333333333333,
ABS-1,2024/25,4,nichtdeutsch,0,4,0,–
ABS-1,2024/25,5,Insgesamt,4,16,25,
ABS-1,2024/25,5,deutsch,4,12,33.3333333333333,
ABS-1,2024/25,5,nichtdeutsch,0,4,0,–" "ABS-1 by German/non-German"
# m A01 A03 A05 A06 A08 A11 A14 A16 = 8: ohne A01 A03 A05 = 3/8 = 37.5 %; w 8: ohne A02 = 12.5 %.
csv ABS-1 --period 2024/25 --by geschlecht
expect_contains "$OUT" "ABS-1,2024/25,1,m,3,8,37.5," "ABS-1 men without HSA"
expect_contains "$OUT" "ABS-1,2024/25,1,w,1,8,12.5," "ABS-1 women without HSA"
# Förderschule A01..A04: ohne 3 of 4 (75 %), HSA A04 1 of 4.
csv ABS-1 --period 2024/25 --by schulform
expect_contains "$OUT" "ABS-1,2024/25,1,FOES,3,4,75," "ABS-1 Förderschule without HSA"
expect_contains "$OUT" "ABS-1,2024/25,2,FOES,1,4,25," "ABS-1 Förderschule with HSA"
# KGS branches: A09 (KGS-Realschulzweig) under RS with A10 = 2; A14 (KGS-Gymnasialzweig) under
# GYM with A12 A13 A15 = 4, of them AHR A13 A14 A15 = 3 (75 %).
expect_contains "$OUT" "ABS-1,2024/25,Insgesamt,RS,2,2,100," "ABS-1 KGS-Realschulzweig under RS"
expect_contains "$OUT" "ABS-1,2024/25,5,GYM,3,4,75," "ABS-1 KGS-Gymnasialzweig under GYM"

# ---- ABS-2 Quote ohne Hauptschulabschluss, 2024/25 ---------------------------------------------
# Numerator: the 4 leavers without HSA above (A01 A02 A03 A05). Denominator: 15- and
# 16-year-olds on 31.12.2025 (abs/melderegister_2025-12-31.csv): born 01.01.2009 .. 31.12.2010,
# M01 (born 31.12.2010: 15 on the day) M03 (born 01.01.2009: 16) M05..M10 M12..M19 = 16; not
# M02 (01.01.2011: 14), M04 (31.12.2008: 17), M11, M20. Mean of the two age years 16 / 2 = 8,
# so 4 / 8 = 50 % (bimo: 4 / 16 x 200).
# German (M07 has 475 and 000: German) M01 M03 M07 M08 M09 M12 M13 M14 M18 M19 = 10: A01 A02
# 2 / 5 = 40 %; not German M05 M06 M10 M15 M16 M17 = 6: A03 A05 2 / 3 = 66.67 %.
# m M03 M05 M07 M09 M10 M14 M17 M19 = 8: A01 A03 A05 3 / 4 = 75 %; w 8: A02 1 / 4 = 25 %.
csv ABS-2 --period 2024/25 --by deutsch
expect_eq "$OUT" "indicator,period,deutsch,numerator,denominator,value,flag
ABS-2,2024/25,Insgesamt,4,16,50,
ABS-2,2024/25,deutsch,2,10,40,
ABS-2,2024/25,nichtdeutsch,2,6,66.6666666666667," "ABS-2 by German/non-German"
csv ABS-2 --period 2024/25 --by geschlecht
expect_eq "$OUT" "indicator,period,geschlecht,numerator,denominator,value,flag
ABS-2,2024/25,Insgesamt,4,16,50,
ABS-2,2024/25,m,3,8,75,
ABS-2,2024/25,w,1,8,25," "ABS-2 by sex"
# 2023/24 has leavers (C01 without HSA) but no population on 31.12.2024: no rate, and the
# leaver is not shown either (protected output included). 2025/26 has no leavers: no data.
csv ABS-2 --period 2023/24..2025/26
expect_eq "$OUT" "indicator,period,numerator,denominator,value,flag
ABS-2,2023/24,0,0,,–
ABS-2,2024/25,4,16,50,
ABS-2,2025/26,,,,…" "ABS-2 with and without the population"
expect_exit 0 bimo indicators compute ABS-2 --period 2023/24..2024/25 --format csv
expect_eq "$OUT" "indicator,period,numerator,denominator,value,flag
ABS-2,2023/24,0,0,,–
ABS-2,2024/25,4,16,50," "ABS-2 protected"
expect_exit 0 bimo indicators compute ABS-2 --period 2024/25 --intern
expect_contains "$OUT" "50,0 %" "ABS-2 table"
expect_contains "$OUT" "Stichtag 31.12. des Abgangsjahres" "ABS-2 source line"

# ---- A synthetic district: every indicator, every school year, each allowed dimension ----------
# 5,000 persons, 2019..2025: schule 2019/20..2025/26, schulabgang 2018/19..2024/25,
# melderegister on 31.12.2019..2025. Every computation must succeed; the totals must agree with
# direct counts of the store and shares must add up to 100 %.
expect_exit 0 "$BIMO" sample -o smp --persons 5000 --quiet
expect_exit 0 "$BIMO" --db d.db init
for src in melderegister aufenthalt integrationskurs schule schulabgang; do
    expect_exit 0 "$BIMO" --db d.db import "$src" smp/"$src"_*.csv
done
dcsv() { "$BIMO" --db d.db indicators compute "$@" --format csv --intern 2>/dev/null; }
SJ=2019/20..2025/26
AJ=2018/19..2024/25
for spec in "SCH-1 $SJ schulform deutsch geschlecht gemeinde kommune region" \
            "SCH-1a $SJ schulform geschlecht gemeinde kommune region" \
            "SCH-3 $SJ schulform gemeinde kommune region geschlecht deutsch" \
            "SCH-4 $SJ schulform gemeinde kommune region deutsch geschlecht" \
            "SCH-4a $SJ schulform gemeinde kommune region geschlecht" \
            "BBS-1 $SJ bildungsgang deutsch geschlecht gemeinde kommune region" \
            "BBS-2 $SJ deutsch geschlecht gemeinde kommune region" \
            "ABS-1 $AJ abschluss deutsch geschlecht schulform gemeinde kommune region" \
            "ABS-2 $AJ deutsch geschlecht"; do
    set -- $spec
    id=$1 period=$2
    shift 2
    expect_exit 0 "$BIMO" --db d.db indicators compute "$id" --period "$period" --format csv \
        --intern
    for dim in "$@"; do
        expect_exit 0 "$BIMO" --db d.db indicators compute "$id" --period "$period" --by "$dim" \
            --format csv --intern
    done
done
# SCH-1: the total of each school year is the number of pupil rows of its snapshot.
got=$(dcsv SCH-1 --period $SJ | awk -F, 'NR > 1 {print $2, $3}')
want=$(sqlite3 d.db "SELECT n.schuljahr || '/' || substr(n.schuljahr + 1, 3), count(*)
                     FROM snapshot n JOIN schule s ON s.snapshot_id = n.id
                     WHERE n.source = 'schule' GROUP BY n.schuljahr ORDER BY n.schuljahr")
expect_eq "$got" "$(printf '%s\n' "$want" | tr '|' ' ')" "sample: SCH-1 totals = pupil rows"
# SCH-1a's denominator is SCH-1's total.
expect_eq "$(dcsv SCH-1a --period $SJ | awk -F, 'NR > 1 {print $2, $4}')" "$got" \
    "sample: SCH-1a denominators = SCH-1 totals"
# Shares add up to 100 % in every year: ABS-1 over the five categories, SCH-3 over the forms
# and "nicht gefunden" (2019/20 has no year before it and no data).
sums() { awk -F, 'NR > 1 && $3 != "Insgesamt" && $6 != "" {s[$2] += $6}
                  END {for (p in s) printf "%s %.6f\n", p, s[p]}' | sort; }
expect_eq "$(dcsv ABS-1 --period $AJ | sums | awk '{print $2}' | sort -u)" "100.000000" \
    "sample: ABS-1 shares sum to 100 % in each year"
expect_eq "$(dcsv SCH-3 --period $SJ | sums | awk '{print $2}' | sort -u)" "100.000000" \
    "sample: SCH-3 shares sum to 100 % in each year"
first=$(dcsv SCH-3 --period $SJ | awk -F, '$2 == "2019/20" && $3 == "Insgesamt" {print $7}')
expect_eq "$first" "…" "sample: SCH-3 2019/20 has no previous year"
# ABS-1's total is the number of leaver rows; ABS-2's numerator its category 1.
got=$(dcsv ABS-1 --period $AJ | awk -F, '$3 == "Insgesamt" {print $2, $4}')
want=$(sqlite3 d.db "SELECT n.schuljahr || '/' || substr(n.schuljahr + 1, 3), count(*)
                     FROM snapshot n JOIN schulabgang a ON a.snapshot_id = n.id
                     WHERE n.source = 'schulabgang' GROUP BY n.schuljahr ORDER BY n.schuljahr")
expect_eq "$got" "$(printf '%s\n' "$want" | tr '|' ' ')" "sample: ABS-1 totals = leaver rows"
expect_eq "$(dcsv ABS-2 --period $AJ | awk -F, 'NR > 1 {print $2, $3}')" \
    "$(dcsv ABS-1 --period $AJ | awk -F, '$3 == "1" {print $2, $4}')" \
    "sample: ABS-2 numerator = ABS-1 category 1"
# ABS-2's denominator: the 15- and 16-year-olds on 31.12. of the year the school year ends.
# Born after 31.12. of Y - 17 and at most 31.12. of Y - 15: 15 or 16 years old on 31.12.Y; the
# school year ending in Y starts in Y - 1.
want=$(sqlite3 d.db "SELECT n.stichtag / 10000 - 1, count(*) FROM snapshot n
                     JOIN melderegister m ON m.snapshot_id = n.id
                     WHERE n.source = 'melderegister' AND n.stichtag % 10000 = 1231
                       AND m.geburtsdatum > n.stichtag - 170000
                       AND m.geburtsdatum <= n.stichtag - 150000
                     GROUP BY n.stichtag ORDER BY n.stichtag")
expect_eq "$(dcsv ABS-2 --period $AJ | awk -F, 'NR > 1 {print substr($2, 1, 4), $4}')" \
    "$(printf '%s\n' "$want" | tr '|' ' ')" "sample: ABS-2 denominators"
# Rates stay within 0..100 % (ABS-2 is a population-based quota of a few per cent).
outside=$(dcsv BBS-2 SCH-1a SCH-4a ABS-2 --period $SJ |
          awk -F, 'NR > 1 && $5 != "" && ($5 < 0 || $5 > 100)' | wc -l)
expect_eq "$outside" "0" "sample: rates between 0 and 100 %"
# BBS-1 counts rows with the four programmes.
got=$(dcsv BBS-1 --period $SJ | awk -F, 'NR > 1 {print $2, $3}')
want=$(sqlite3 d.db "SELECT n.schuljahr || '/' || substr(n.schuljahr + 1, 3), count(*)
                     FROM snapshot n JOIN schule s ON s.snapshot_id = n.id
                     JOIN code_bildungsgang b ON b.id = s.bildungsgang
                     WHERE n.source = 'schule' AND b.code IN ('BES1', 'BES2', 'SPRINT', 'SPRINT-D')
                     GROUP BY n.schuljahr ORDER BY n.schuljahr")
expect_eq "$got" "$(printf '%s\n' "$want" | tr '|' ' ')" "sample: BBS-1 totals"
finish
