#!/bin/bash
# test_indicators.sh — the indicator engine end to end on small hand-made extracts: every
# expected number below is worked out by hand in the comments, from the fixtures in
# tests/data/indicators/. Also the catalogue's error reports, periods without data,
# disclosure control and the three output formats.
. "$TESTS_DIR/e2e/lib.sh"
DATA="$TESTS_DIR/data/indicators"
bimo() { "$BIMO" --db s.db "$@"; }
csv() { expect_exit 0 "$BIMO" --db s.db indicators compute "$@" --format csv --intern; }

# ---- A fresh store: every code table exists, and a source never imported has no data -------------
# init copies the code lists, so the tables the indicators join are there before any import.
expect_exit 0 "$BIMO" --db e.db init
expect_eq "$(sqlite3 e.db "SELECT count(*) FROM sqlite_schema WHERE name IN ('code_rechtsgrundlage',
    'code_berechtigung_art', 'code_ausgestellt_von', 'code_bildungsgang', 'code_geschlecht',
    'code_staaten', 'code_gemeinden')")" "7" "init creates the code tables"
expect_eq "$(sqlite3 e.db "SELECT id, code FROM code_geschlecht ORDER BY id" | tr '\n' ' ')" \
    "1|m 2|w 3|d 4|x " "code ids in file order"
# AUF-1 (aufenthalt, stichtag), SPR-1 (integrationskurs, quartal) and BBS-2 (schule,
# schuljahr): no snapshot, so "…" and exit 0.
expect_exit 0 "$BIMO" --db e.db indicators compute AUF-1 SPR-1 --period 2025 --format csv
expect_eq "$OUT" "indicator,period,numerator,denominator,value,flag
AUF-1,2025,,,,…
SPR-1,2025,,,,…" "fresh store: no data"
expect_exit 0 "$BIMO" --db e.db indicators compute BBS-2 --period 2025/26 --format csv
expect_eq "$OUT" "indicator,period,numerator,denominator,value,flag
BBS-2,2025/26,,,,…" "fresh store: no school data"
# A store made before init copied the code lists lacks them: the period is resolved before the
# query is prepared, so it is still "no data", not "no such table".
sqlite3 e.db "DROP TABLE code_rechtsgrundlage; DROP TABLE code_bildungsgang"
expect_exit 0 "$BIMO" --db e.db indicators compute AUF-1 --period 2025 --by schutzstatus --format csv
expect_eq "$OUT" "indicator,period,schutzstatus,numerator,denominator,value,flag
AUF-1,2025,Insgesamt,,,,…" "no code table: no data"
expect_exit 0 "$BIMO" --db e.db indicators compute BBS-2 --period 2025/26 --format csv
expect_eq "$OUT" "indicator,period,numerator,denominator,value,flag
BBS-2,2025/26,,,,…" "no code table, school year: no data"

expect_exit 0 bimo init
expect_exit 0 bimo import melderegister "$DATA/melderegister.csv"
expect_exit 0 bimo import melderegister "$DATA/melderegister_leap.csv"
expect_exit 0 bimo import aufenthalt "$DATA/aufenthalt.csv"
expect_exit 0 bimo import schule "$DATA/schule.csv"

# ---- The catalogue ---------------------------------------------------------------------------
expect_exit 0 bimo indicators list
expect_eq "$(printf '%s\n' "$OUT" | awk '$1 == "BEV-2" {print $2}')" "Ausländeranteil" "list: id and title"
expect_contains "$OUT" "gemeinde, geschlecht, altersgruppe, deutsch, staat" "list: dimensions"
# Sorted by the header key order (BEV 100s, AUF 200s, ..., SCH 400s), whatever else is there.
expect_eq "$(printf '%s\n' "$OUT" | awk 'NR > 1 {print $1}' | grep -x -e BEV-1 -e BEV-2 -e AUF-1 -e AUF-5 -e SCH-2 | tr '\n' ' ')" \
    "BEV-1 BEV-2 AUF-1 AUF-5 SCH-2 " "list: sorted by order"
expect_exit 0 bimo indicators show BEV-2
expect_contains "$OUT" "kind:        rate" "show: kind"
expect_contains "$OUT" "denominator: Bevölkerung insgesamt" "show: denominator"
expect_contains "$OUT" "AS denominator" "show: SQL"
expect_exit 65 bimo indicators show NO-SUCH

# ---- BEV-1 Bevölkerung at 31.12.2025 (melderegister.csv, 12 persons) -------------------------
# Municipalities: Melle P01 P02 P08 P09 = 4; Bramsche P03 P10 = 2; Ankum P04 P05 = 2;
# Alfhausen P06 P12 = 2; Bad Iburg P07 P11 = 2. Regions: Mitte/Ost = Melle + Bramsche = 6;
# Nordkreis = Samtgemeinde Bersenbrück (Ankum + Alfhausen) = 4; Südkreis = Bad Iburg = 2;
# Wittlager Land: nobody, so "–" (zero, not missing).
csv BEV-1 --period 2025 --by region
expect_eq "$OUT" "indicator,period,region,numerator,denominator,value,flag
BEV-1,2025,Insgesamt,12,,12,
BEV-1,2025,Mitte/Ost,6,,6,
BEV-1,2025,Nordkreis,4,,4,
BEV-1,2025,Südkreis,2,,2,
BEV-1,2025,Wittlager Land,0,,0,–" "BEV-1 by region"
expect_contains "$ERR" "INTERN" "--intern banner on stderr"

# The hierarchy: a region row, its reporting unit rows and the municipality rows below them.
# Samtgemeinde Bersenbrück (034595402) = Ankum 2 + Alfhausen 2 = 4 = all of Nordkreis.
csv BEV-1 --period 31.12.2025 --by region,kommune,gemeinde
expect_contains "$OUT" "BEV-1,2025-12-31,Nordkreis,Insgesamt,Insgesamt,4,,4," "region subtotal"
expect_contains "$OUT" "BEV-1,2025-12-31,Nordkreis,034595402,Insgesamt,4,,4," "kommune subtotal"
expect_contains "$OUT" "BEV-1,2025-12-31,Nordkreis,034595402,03459001,2,,2," "Alfhausen"
expect_contains "$OUT" "BEV-1,2025-12-31,Mitte/Ost,03459024,03459024,4,,4," "Melle"
# 1 total + 4 regions + 21 reporting units + 34 municipalities = 60 rows, plus the header.
expect_eq "$(printf '%s\n' "$OUT" | wc -l)" "61" "rows of the full hierarchy"

# Age groups in completed years at 31.12.2025: 0-3 P08 (0); 3-6 P09 (born 31.12.2022: 3 on the
# reference date itself, so 3-6, not 0-3); 6-10 P05 (9); 10-16 P02 (15), P06 (born 31.12.2015:
# exactly 10, so 10-16); 16-19 P10 (18); 19-25 nobody (shown as –); 25-65 P01 (45), P03 (born
# 29.02.2000: 25), P07 (35), P11 (25); 65+ P04 (exactly 75), P12 (65).
csv BEV-1 --period 2025 --by altersgruppe
expect_eq "$OUT" "indicator,period,altersgruppe,numerator,denominator,value,flag
BEV-1,2025,Insgesamt,12,,12,
BEV-1,2025,0-3,1,,1,
BEV-1,2025,3-6,1,,1,
BEV-1,2025,6-10,1,,1,
BEV-1,2025,10-16,2,,2,
BEV-1,2025,16-19,1,,1,
BEV-1,2025,19-25,0,,0,–
BEV-1,2025,25-65,4,,4,
BEV-1,2025,65+,2,,2," "BEV-1 by age group"

# Leap-day birthday (melderegister_leap.csv): L1 born 29.02.2020 is 2 on 28.02.2023 and turns 3
# on 01.03.2023 (§ 188 BGB); L2 born 01.03.2020 likewise; L3 born 28.02.2020 is 3 on 28.02.2023.
# 28.02.2023: 0-3 = L1 L2 = 2, 3-6 = L3 = 1. 01.03.2023: 0-3 = 0, 3-6 = 3.
csv BEV-1 --period 28.02.2023 --by altersgruppe
expect_contains "$OUT" "BEV-1,2023-02-28,0-3,2,,2," "leap day: two under 3 on 28.02."
expect_contains "$OUT" "BEV-1,2023-02-28,3-6,1,,1," "leap day: one aged 3 on 28.02."
csv BEV-1 --period 2023-03-01 --by altersgruppe
expect_contains "$OUT" "BEV-1,2023-03-01,0-3,0,,0,–" "leap day: nobody under 3 on 01.03."
expect_contains "$OUT" "BEV-1,2023-03-01,3-6,3,,3," "leap day: three aged 3 on 01.03."

# Nationalities, top 2: German 7 (P01 P04 P05 P07 P08 P09 P11; P07 has 475 and 000, so German);
# then five states with 1 each (163 P12, 166 P03, 423 P06, 438 P10, 475 P02): ties go to the
# lower code, so 163 (P12 has 163 first and 475 second, neither German); "Übrige" = 4.
csv BEV-1 --period 2025 --by staat --top 2
expect_eq "$OUT" "indicator,period,staat,numerator,denominator,value,flag
BEV-1,2025,Insgesamt,12,,12,
BEV-1,2025,000,7,,7,
BEV-1,2025,163,1,,1,
BEV-1,2025,uebrige,4,,4," "BEV-1 top 2 nationalities"

# A time series with a year without a snapshot: 2024 has no data ("…"), never zeros.
csv BEV-1 --period 2024..2025 --by geschlecht
expect_eq "$OUT" "indicator,period,geschlecht,numerator,denominator,value,flag
BEV-1,2024,Insgesamt,,,,…
BEV-1,2024,m,,,,…
BEV-1,2024,w,,,,…
BEV-1,2024,d,,,,…
BEV-1,2025,Insgesamt,12,,12,
BEV-1,2025,m,6,,6,
BEV-1,2025,w,5,,5,
BEV-1,2025,d,1,,1," "no data is not zero"

# ---- BEV-2 Ausländeranteil -----------------------------------------------------------------
# Not German: P02 (475), P03 (166), P06 (423), P10 (438), P12 (163 + 475) = 5; P07 (475 + 000)
# is German. 5 / 12 = 41,7 %. By sex: m P02 P06 P12 of 6 (P02 P04 P06 P07 P09 P12) = 50 %;
# w P03 P10 of 5 (P01 P03 P05 P08 P10) = 40 %; d 0 of 1 (P11) = 0 %, flagged "–".
csv BEV-2 --period 2025 --by geschlecht
expect_eq "$OUT" "indicator,period,geschlecht,numerator,denominator,value,flag
BEV-2,2025,Insgesamt,5,12,41.6666666666667,
BEV-2,2025,m,3,6,50,
BEV-2,2025,w,2,5,40,
BEV-2,2025,d,0,1,0,–" "BEV-2 by sex"
# The margin is 5 / 12 from the counts, not the mean of the three rates (30 %).
# By region: Mitte/Ost P02 P03 P10 of 6 = 50 %; Nordkreis P06 P12 of 4 = 50 %; Südkreis 0 of 2;
# Wittlager Land 0 of 0: no rate ("–", empty value).
csv BEV-2 --period 2025 --by region
expect_contains "$OUT" "BEV-2,2025,Südkreis,0,2,0,–" "rate 0 of 2"
expect_contains "$OUT" "BEV-2,2025,Wittlager Land,0,0,,–" "rate 0 of 0"
# For people: German number format.
expect_exit 0 bimo indicators compute BEV-2 --period 2025 --intern
expect_contains "$OUT" "INTERN – nicht zur Veröffentlichung" "table banner"
expect_contains "$OUT" "41,7 %" "German percent"
expect_contains "$OUT" "Stichtag 31.12.2025" "table subtitle"
expect_contains "$OUT" "Quelle: Einwohnermelderegister Landkreis Osnabrück, Stichtag 31.12.2025; eigene Berechnung" "source line"

# ---- AUF-1 Schutzsuchende nach Schutzstatus at 31.12.2025 (aufenthalt.csv, 12 persons) -----------
# offen: A01 A02 A04 A05 (§ 55 AsylG), A03 (§ 63a) = 5; anerkannt befristet: A06 (§ 25 Abs. 2),
# A07 A08 (§ 24) = 3; anerkannt unbefristet: A09 (§ 26 Abs. 3) = 1; abgelehnt: A10 (§ 60a) = 1.
# Not protection seekers: A11 (FreizügG/EU) and A12 (§ 104c). Total 10.
csv AUF-1 --period 2025Q4 --by schutzstatus
expect_eq "$OUT" "indicator,period,schutzstatus,numerator,denominator,value,flag
AUF-1,2025Q4,Insgesamt,10,,10,
AUF-1,2025Q4,offen,5,,5,
AUF-1,2025Q4,anerkannt befristet,3,,3,
AUF-1,2025Q4,anerkannt unbefristet,1,,1,
AUF-1,2025Q4,abgelehnt,1,,1," "AUF-1 by status"

# ---- AUF-5 Dauer offener Verfahren -------------------------------------------------------------
# Open procedures with an application date, days to 31.12.2025: A03 77 (15.10.2025), A01 213
# (01.06.2025), A02 365 (31.12.2024), A04 1095 (01.01.2023); A05 has no date and is left out.
# n = 4 (even): median = (213 + 365) / 2 = 289; type 7: Q1 at h = 0.75: 77 + 0.75 x 136 = 179;
# Q3 at h = 2.25: 365 + 0.25 x 730 = 547.5. Men A03 A01 A04: median 213, Q1 77 + 0.5 x 136 = 145,
# Q3 213 + 0.5 x 882 = 654; women A02: all 365.
csv AUF-5 --period 2025 --by geschlecht
expect_eq "$OUT" "indicator,period,geschlecht,numerator,denominator,value,flag
AUF-5,2025,Insgesamt,4,,289,
AUF-5,2025,m,3,,213,
AUF-5,2025,w,1,,365," "AUF-5 medians"
csv AUF-5 --period 2025 --by geschlecht --quantile q3
expect_contains "$OUT" "AUF-5,2025,Insgesamt,4,,547.5," "AUF-5 Q3 (even n)"
expect_contains "$OUT" "AUF-5,2025,m,3,,654," "AUF-5 Q3 men"
csv AUF-5 --period 2025 --quantile q1
expect_contains "$OUT" "AUF-5,2025,4,,179," "AUF-5 Q1"
expect_exit 0 bimo indicators compute AUF-5 --period 2025 --by gemeinde --intern
# Bad Iburg: A04 alone, 1.095 days; the total row shows all three quantiles.
T=$(printf '%s\n' "$OUT" | tr -s ' ')
expect_contains "$T" "Gemeinde Fälle 1. Quartil Median 3. Quartil" "AUF-5 table head"
expect_contains "$T" "Insgesamt 4 179,0 289,0 547,5" "AUF-5 table"
expect_contains "$T" "Bad Iburg, Stadt 1 1.095,0 1.095,0 1.095,0" "AUF-5 grouping"
expect_contains "$T" "Ankum – – – –" "AUF-5 no observations"

# ---- SCH-2 Übergänge in Schuljahrgang 5, 2025/26 (schule.csv) ------------------------------------
# Jahrgang 5 without Förderschulen (S11 S12 left out; S13 is in Jahrgang 6, S14 in 4): 12 pupils.
# GYM S01 S02 S03 + KGS-Gymnasialzweig S06 = 4; OBS S04 S05 S16 = 3; RS S10 + KGS-Realschulzweig
# S07 = 2; HS: KGS-Hauptschulzweig S08 = 1; IGS S09 = 1; KGS without branch S15 = 1.
# 1/12 = 8.33 %, 2/12 = 16.67 %, 3/12 = 25 %, 4/12 = 33.33 %: together 100 %.
csv SCH-2 --period 2025/26
expect_eq "$OUT" "indicator,period,schulform,numerator,denominator,value,flag
SCH-2,2025/26,Insgesamt,12,12,100,
SCH-2,2025/26,HS,1,12,8.33333333333333,
SCH-2,2025/26,RS,2,12,16.6666666666667,
SCH-2,2025/26,OBS,3,12,25,
SCH-2,2025/26,GYM,4,12,33.3333333333333,
SCH-2,2025/26,IGS,1,12,8.33333333333333,
SCH-2,2025/26,KGS,1,12,8.33333333333333," "SCH-2 shares"
sum=$(printf '%s\n' "$OUT" | awk -F, 'NR > 2 {s += $6} END {printf "%.6f", s}')
expect_eq "$sum" "100.000000" "SCH-2 shares sum to 100 %"
# Asked by region only, schulform is added (the shares are across it). Mitte/Ost (Melle and
# Bramsche): 10 pupils, 4 at Gymnasien (S01 S02 S06 Melle, S03 Bramsche) = 40 %.
csv SCH-2 --period 2025/26 --by region
expect_contains "$OUT" "indicator,period,schulform,region," "share_of added"
expect_contains "$OUT" "SCH-2,2025/26,GYM,Mitte/Ost,4,10,40," "SCH-2 Gymnasium in Mitte/Ost"
# The school year 2024/25 has no data.
csv SCH-2 --period 2024/25
expect_eq "$OUT" "indicator,period,schulform,numerator,denominator,value,flag
SCH-2,2024/25,Insgesamt,,,,…" "school year without data"

# ---- Several indicators, JSON, output file -------------------------------------------------------
csv BEV-1 BEV-2 --period 2025
expect_eq "$OUT" "indicator,period,numerator,denominator,value,flag
BEV-1,2025,12,,12,
BEV-2,2025,5,12,41.6666666666667," "two indicators, one header"
expect_exit 0 bimo indicators compute BEV-2 --period 2025 --by geschlecht --format json --intern
printf '%s' "$OUT" > bev2.json
expect_eq "$(python3 -c '
import json
r = json.load(open("bev2.json"))[0]
row = [x for x in r["rows"] if x["geschlecht"] == "w"][0]
print(r["indicator"]["id"], r["indicator"]["kind"], r["intern"], r["periods"][0]["stichtag"],
      row["geschlecht_label"], row["numerator"], row["denominator"], row["value"], r["rows"][0]["margin"])
')" "BEV-2 rate True 2025-12-31 weiblich 2 5 40.0 ['geschlecht']" "JSON rows and metadata"
expect_exit 0 bimo indicators compute BEV-1 --period 2025 --format csv --intern -o out.csv
expect_eq "$(cat out.csv)" "indicator,period,numerator,denominator,value,flag
BEV-1,2025,12,,12," "output file"
expect_exit 73 bimo indicators compute BEV-1 --period 2025 --format csv -o out.csv

# ---- Disclosure control (no --intern) --------------------------------------------------------------
# By sex: d = 1 (P11) is below 3, so secret; the row m + w + d = 12 would give it away, so the
# smallest other non-zero cell, w = 5, is suppressed too. m = 6 and the total stay.
expect_exit 0 bimo indicators compute BEV-1 --period 2025 --by geschlecht --format csv
expect_eq "$OUT" "indicator,period,geschlecht,numerator,denominator,value,flag
BEV-1,2025,Insgesamt,12,,12,
BEV-1,2025,m,6,,6,
BEV-1,2025,w,,,,.
BEV-1,2025,d,,,,." "primary and secondary suppression"
# A rate whose numerator is suppressed is suppressed: w has 2 foreigners (below 3), m is its
# complement; the total rate 5 / 12 has a denominator of at least 10 and is shown.
expect_exit 0 bimo indicators compute BEV-2 --period 2025 --by geschlecht --format csv
expect_contains "$OUT" "BEV-2,2025,Insgesamt,5,12,41.6666666666667," "protected total rate"
expect_contains "$OUT" "BEV-2,2025,w,,,,." "suppressed rate"
expect_contains "$OUT" "BEV-2,2025,m,,6,,." "rate of a complement"
# A median of fewer than 10 observations is not reliable: AUF-5's 4 cases are shown, the
# median is "/".
expect_exit 0 bimo indicators compute AUF-5 --period 2025 --format csv
expect_eq "$OUT" "indicator,period,numerator,denominator,value,flag
AUF-5,2025,4,,,/" "unreliable median"
expect_exit 0 bimo indicators compute BEV-2 --period 2025 --by region --format table
expect_contains "$OUT" "Zeichenerklärung: – genau null (nichts vorhanden); . Zahlenwert geheim zu halten" "legend"
expect_exit 64 bimo indicators compute BEV-2 --period 2025 --param x=1 --intern

# ---- Wrong requests ------------------------------------------------------------------------------
expect_exit 64 bimo indicators compute BEV-2 --period 2025 --by staat
expect_contains "$ERR" "BEV-2 cannot be broken down by staat; it allows gemeinde, geschlecht, altersgruppe" "dimension not allowed"
# Several --by: one table each, all from one computation.
expect_exit 0 bimo indicators compute BEV-1 --period 2025 --by geschlecht --by altersgruppe --intern
expect_contains "$OUT" "Geschlecht" "first --by table"
expect_contains "$OUT" "Altersgruppe" "second --by table"
expect_eq "$(printf '%s\n' "$OUT" | grep -c '^Insgesamt')" "2" "a total row in each table"
expect_exit 64 bimo indicators compute BEV-1 --period 2025 --by geschlecht --by altersgruppe --intern --format csv
expect_contains "$ERR" "CSV needs the same dimensions in every table" "csv with two breakdowns"

expect_exit 64 bimo indicators compute BEV-1 --period 2025Q5
expect_contains "$ERR" "\"2025Q5\" is not a period" "bad period"
expect_exit 64 bimo indicators compute SCH-2 --period 2025
expect_contains "$ERR" "SCH-2 is defined per school year" "period kind"
expect_exit 64 bimo indicators compute BEV-1 --period 2025 --by bundesland
expect_exit 65 bimo indicators compute NO-SUCH --period 2025
expect_exit 64 bimo indicators compute BEV-1

# ---- A catalogue of one's own: broken files, parameters, SQL that writes ---------------------------
mkdir cat
cp "$TESTS_DIR/../indicators/BEV-1.sql" cat/
HEAD='-- title: Test
-- definition: Test
-- unit: Personen
-- kind: count
-- numerator: Personen
-- period: stichtag
-- source: melderegister
-- quelle: Test'
printf -- '-- id: BAD-1\n-- titel: Test\n' > cat/BAD-1.sql
printf -- '-- id: OLD-1\n%s\n-- parameter: alter = 60\n\nSELECT count(*) AS numerator FROM melderegister\nWHERE rowid BETWEEN :first_row AND :last_row AND snapshot_id = :snapshot\n  AND bimo_age(geburtsdatum, :stichtag) >= :alter\n' "$HEAD" > cat/OLD-1.sql
printf -- '-- id: WRITE-1\n%s\n\nDELETE FROM melderegister\n' "$HEAD" > cat/WRITE-1.sql
printf -- '-- id: SYN-1\n%s\n\nSELECT count(*) AS numerator\nFROM melderegister\nWHER snapshot_id = 1\n' "$HEAD" > cat/SYN-1.sql
printf -- '-- id: COL-1\n%s\n\nSELECT count(*) AS anzahl FROM melderegister\n' "$HEAD" > cat/COL-1.sql
expect_exit 0 bimo indicators list --catalogue cat
expect_contains "$OUT" "OLD-1" "the other files load"
expect_contains "$ERR" "cat/BAD-1.sql:2:4: unknown key \"titel\"" "broken file reported"
# Parameters are bound: 60 and older are P04 (75) and P12 (65); 18 and older add P01 P03 P07
# P10 (exactly 18) P11 = 7.
expect_exit 0 bimo indicators compute OLD-1 --period 2025 --catalogue cat --format csv --intern
expect_contains "$OUT" "OLD-1,2025,2,,2," "parameter default"
expect_exit 0 bimo indicators compute OLD-1 --period 2025 --catalogue cat --format csv --intern --param alter=18
expect_contains "$OUT" "OLD-1,2025,7,,7," "parameter given"
# WRITE-1: header lines 1-9, a blank line 10, the DELETE in line 11.
expect_exit 77 bimo indicators compute WRITE-1 --period 2025 --catalogue cat --intern
expect_contains "$ERR" "WRITE-1.sql:11:1: indicator SQL may only read; refused: DELETE from melderegister" "writing SQL refused"
# SYN-1: the query starts in line 11; in line 13 "WHER" is read as a table alias, so the
# error is at "snapshot_id", column 6.
expect_exit 65 bimo indicators compute SYN-1 --period 2025 --catalogue cat --intern
expect_contains "$ERR" "SYN-1.sql:13:6: SQL error: near \"snapshot_id\": syntax error" "syntax error located"
expect_exit 65 bimo indicators compute COL-1 --period 2025 --catalogue cat --intern
expect_contains "$ERR" "result column \"anzahl\" is not expected" "unexpected column"
# ---- A rate over a denominator of 0: "x", and its numerator protected like any count ---------------
# ZERO-1 by sex: m = n / 0 (n a parameter, default 1), w = 6 / 14, d = 4 / 4.
mkdir cat0
printf -- '-- id: ZERO-1\n-- title: Test\n-- definition: Test\n-- unit: %%\n-- kind: rate\n-- numerator: Fälle\n-- denominator: Basis\n-- dimensions: geschlecht\n-- period: stichtag\n-- source: none\n-- parameter: n = 1\n-- quelle: Test\n\nSELECT '"'m'"' AS geschlecht, :n AS numerator, 0 AS denominator\nUNION ALL SELECT '"'w'"', 6, 14\nUNION ALL SELECT '"'d'"', 4, 4\n' > cat0/ZERO-1.sql
zero() { expect_exit 0 bimo indicators compute ZERO-1 --catalogue cat0 --period 2025 --by geschlecht --format csv "$@"; }
# Unprotected: m has 1 case out of none: no value, flag x. Total 11 / 18 = 61,1 %; w 6 / 14 =
# 42,9 %; d 4 / 4 = 100 %.
zero --intern
expect_eq "$OUT" "indicator,period,geschlecht,numerator,denominator,value,flag
ZERO-1,2025,Insgesamt,11,18,61.1111111111111,
ZERO-1,2025,m,1,0,,x
ZERO-1,2025,w,6,14,42.8571428571429,
ZERO-1,2025,d,4,4,100," "rate over a denominator of 0 (intern)"
# Protected: the numerators m 1 + w 6 + d 4 = 11: m = 1 is below 3, secret; the smallest other
# cell, d = 4, is its complement (m + d = 5, each in [1, 4]). The denominators 0, 14, 4 (18)
# have no cell below 3 (0 is shown). m's numerator must not appear although its rate is void;
# d's rate is secret with its numerator; the total 11 / 18 is shown (18 >= 10).
zero
expect_eq "$OUT" "indicator,period,geschlecht,numerator,denominator,value,flag
ZERO-1,2025,Insgesamt,11,18,61.1111111111111,
ZERO-1,2025,m,,0,,.
ZERO-1,2025,w,6,14,42.8571428571429,
ZERO-1,2025,d,,4,,." "numerator over a denominator of 0 protected"
# n = 5: no count below 3 (15 = 5 + 6 + 4; 18 = 0 + 14 + 4): m's 5 is shown, its rate "x";
# total 15 / 18 = 83,3 %; d's 4 / 4 has a denominator below 10: "/".
zero --param n=5
expect_eq "$OUT" "indicator,period,geschlecht,numerator,denominator,value,flag
ZERO-1,2025,Insgesamt,15,18,83.3333333333333,
ZERO-1,2025,m,5,0,,x
ZERO-1,2025,w,6,14,42.8571428571429,
ZERO-1,2025,d,4,4,,/" "published numerator over a denominator of 0"
expect_exit 0 bimo indicators compute ZERO-1 --catalogue cat0 --period 2025 --by geschlecht --param n=5
expect_contains "$OUT" "x Tabellenfach gesperrt, weil Aussage nicht sinnvoll" "legend of x"
expect_contains "$OUT" "– genau null" "legend of a zero denominator"
# ---- A margin is protected with its cells, for counts and shares alike ----------------------------
# Five persons by sex: m 2, w 1, d 1, x 1 - every cell is below 3 and secret. A published total
# of 5 would tell that each holds 1 or 2 (5 minus the three others, each at least 1), fewer than
# 3 possible values, so the total is secret as well. CNT-1 counts them, SHR-1 is the share by
# sex (its denominator is the total, so the breakdown is always there). Without a breakdown a
# count is a table of one cell and its 5 is shown.
ROWS="SELECT 'm' AS geschlecht UNION ALL SELECT 'm' UNION ALL SELECT 'w' UNION ALL SELECT 'd' UNION ALL SELECT 'x'"
SRC='-- numerator: Personen\n-- dimensions: geschlecht\n-- period: stichtag\n-- source: none\n-- quelle: Test\n'
printf -- "-- id: CNT-1\n-- title: Test\n-- definition: Test\n-- kind: count\n-- unit: Personen\n$SRC\n%s\n" "$ROWS" > cat0/CNT-1.sql
printf -- "-- id: SHR-1\n-- title: Test\n-- definition: Test\n-- kind: share\n-- share_of: geschlecht\n-- unit: %%\n$SRC\n%s\n" "$ROWS" > cat0/SHR-1.sql
expect_exit 0 bimo indicators compute CNT-1 --catalogue cat0 --period 2025 --format csv
expect_eq "$OUT" "indicator,period,numerator,denominator,value,flag
CNT-1,2025,5,,5," "count without breakdown: total shown"
expect_exit 0 bimo indicators compute CNT-1 --catalogue cat0 --period 2025 --by geschlecht --format csv
expect_eq "$OUT" "indicator,period,geschlecht,numerator,denominator,value,flag
CNT-1,2025,Insgesamt,,,,.
CNT-1,2025,m,,,,.
CNT-1,2025,w,,,,.
CNT-1,2025,d,,,,.
CNT-1,2025,x,,,,." "count by sex: the total would narrow the cells"
expect_exit 0 bimo indicators compute SHR-1 --catalogue cat0 --period 2025 --format csv
expect_eq "$OUT" "indicator,period,geschlecht,numerator,denominator,value,flag
SHR-1,2025,Insgesamt,,,,.
SHR-1,2025,m,,,,.
SHR-1,2025,w,,,,.
SHR-1,2025,d,,,,.
SHR-1,2025,x,,,,." "share: protected like the count by the same dimension"
# Unprotected: 5 = 2 + 1 + 1 + 1; shares 40 % and 20 %.
expect_exit 0 bimo indicators compute SHR-1 --catalogue cat0 --period 2025 --format csv --intern
expect_eq "$OUT" "indicator,period,geschlecht,numerator,denominator,value,flag
SHR-1,2025,Insgesamt,5,5,100,
SHR-1,2025,m,2,5,40,
SHR-1,2025,w,1,5,20,
SHR-1,2025,d,1,5,20,
SHR-1,2025,x,1,5,20," "share unprotected"

# ---- :datenstand: the reference date of the snapshot the engine chose -----------------------------
# A flow over years (period jahr) reads the newest melderegister snapshot, 31.12.2025, for every
# year; :stichtag is the end of each year. DS-1 returns :datenstand as its numerator in one row
# when :stichtag is 31.12.2024 or 31.12.2025: 2024 and 2025 give 20251231, 2023 no row (0, "–").
printf -- '-- id: DS-1\n-- title: Test\n-- definition: Test\n-- unit: Tag\n-- kind: count\n-- numerator: Datenstand\n-- period: jahr\n-- source: melderegister\n-- quelle: Test\n\nSELECT :datenstand AS numerator WHERE :stichtag BETWEEN 20241231 AND 20251231\n' > cat0/DS-1.sql
expect_exit 0 bimo indicators compute DS-1 --catalogue cat0 --period 2023..2025 --format csv --intern
expect_eq "$OUT" "indicator,period,numerator,denominator,value,flag
DS-1,2023,0,,0,–
DS-1,2024,20251231,,20251231,
DS-1,2025,20251231,,20251231," ":datenstand is the snapshot's date"

expect_eq "$(sqlite3 s.db 'SELECT count(*) FROM melderegister')" "18" "store unchanged"
finish
