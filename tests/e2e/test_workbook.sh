#!/bin/bash
# test_workbook.sh — bimo workbook end to end on the committed example district (2,000
# persons, so small municipalities are suppressed): every table and data cell is read back
# with openpyxl and compared with "bimo indicators compute" (workbook_check.py), for each
# layout (one dimension, two with the last in the columns, time series with and without
# dimensions, rates, quantiles, school years); reproducible bytes; exit codes; no partial file.
. "$TESTS_DIR/e2e/lib.sh"
PY=/usr/bin/python3
CHECK="$TESTS_DIR/e2e/workbook_check.py"
EXAMPLE="$TESTS_DIR/../sample-data/landkreis-osnabrueck/example"
bimo() { "$BIMO" --db s.db "$@"; }

expect_exit 0 bimo init
for s in melderegister aufenthalt integrationskurs schule schulabgang; do
    expect_exit 0 bimo import "$s" "$EXAMPLE"/"$s"_*.csv
done

# compare NAME ARGS...: the workbook of ARGS against compute's JSON and CSV of the same ARGS.
compare() {
    local name=$1; shift
    expect_exit 0 bimo workbook "$@" -o "$name.xlsx"
    WB_ERR=$ERR
    bimo indicators compute "$@" --format json > "$name.json" 2> /dev/null
    bimo indicators compute "$@" --format csv > "$name.csv" 2> /dev/null
    local intern=""
    case " $* " in *" --intern "*) intern=--intern ;; esac
    expect_exit 0 "$PY" "$CHECK" "$name.xlsx" "$name.json" "$name.csv" $intern
    [ "$FAILS" -eq 0 ] || echo "$OUT" >&2
    CHECKED=$OUT
}

# ---- Every layout, compared cell by cell -------------------------------------------------------
# One dimension: a stub with the AGS (text) and the municipality, counts, a rate, quartiles.
compare one AUF-1 BEV-2 SPR-3 --period 2025 --by gemeinde
# 2,000 persons over 34 municipalities: many cells are "." or "/", and they are compared too.
symbols=$(printf '%s\n' "$CHECKED" | sed -n 's/.*(\([0-9]*\) symbols.*/\1/p')
expect_eq "$([ "${symbols:-0}" -gt 50 ] && echo many)" "many" "suppressed cells compared ($symbols)"
# Two dimensions and one period: the last (geschlecht) spreads over the columns.
compare two BEV-1 AUF-1 --period 2025 --by gemeinde,geschlecht
# A time series with dimensions: the periods spread over the columns, with Zähler/Nenner/Anteil.
compare series BEV-2 AUF-1 --period 2024..2025 --by region,geschlecht
# A time series without dimensions: the quarters are the stub.
compare quarters SPR-2 SPR-1 --period 2024Q1..2025Q4
# School years and a share over school forms.
compare school SCH-1 SCH-2 --period 2025/26 --by schulform
# Periods without data ("…" in every cell of 2023: the example starts in 2024).
compare nodata BEV-2 --period 2023..2025 --by region
expect_contains "$CHECKED" "(15 symbols," "nodata: Insgesamt and 4 regions x (Zähler, Nenner, Anteil) of 2023"
# Provisional rates (entry windows not yet over): numbers with the format's " p".
compare provisional SPR-2 --period 2025 --by geschlecht --intern
expect_contains "$CHECKED" "2 provisional)" "provisional: Insgesamt and weiblich (männlich is 0)"
# Unprotected: every number shown and every sheet marked INTERN.
compare intern AUF-1 --period 2025 --by gemeinde --intern
expect_contains "$WB_ERR" "INTERN" "intern: banner on stderr"

# The checker fails on a workbook that does not match (here: the other year's numbers).
bimo indicators compute AUF-1 BEV-2 SPR-3 --period 2024 --by gemeinde --format csv > other.csv
expect_exit 1 "$PY" "$CHECK" one.xlsx one.json other.csv

# ---- Cover, notes, contents -----------------------------------------------------------------
expect_eq "$("$PY" - <<'EOF'
import openpyxl
wb = openpyxl.load_workbook("one.xlsx")
cover, notes = wb["Deckblatt"], wb["Erläuterungen"]
print(cover["A2"].value)
print({r[0].value: r[1].value for r in cover.iter_rows(min_row=6, max_row=12) if r[1].value})
text = [c.value for row in notes.iter_rows() for c in row if isinstance(c.value, str)]
# the profile's thresholds: sperrgrenze 3 -> "1 bis 2", mindestnenner 10
print(any("Fallzahlen von 1 bis 2 werden gesperrt" in t for t in text),
      any("Nenner unter 10" in t for t in text),
      "Zahlenwert geheim zu halten" in text, "SPR-3 Wartezeit bis Kursbeginn" in text)
print(wb.properties.creator, wb.properties.created)
EOF
)" "Bildungsmonitoring Landkreis Osnabrück
{'Gebiet': 'Landkreis Osnabrück', 'Zeitraum der Daten': '01.01.2025 bis 31.12.2025', 'Datenstand': '31.12.2025', 'Herausgeber': 'Bildungsbüro Landkreis Osnabrück', 'Tabellen': '3'}
True True True True
Bildungsbüro Landkreis Osnabrück 2025-12-31 00:00:00" "cover, notes and properties"

# ---- A template: its bimo-table blocks with their own periods, titles, notes, sheets, charts ---
cat > t.md <<'EOF'
---
title: Testbericht
subtitle: Zwei Tabellen
period: 2025
---
# Tabellen

```bimo-table
indicator: AUF-1
by: gemeinde
title: =Schutzsuchende [Gemeinden]
note: Eigene Fußnote zur Tabelle.
sheet: It's Gemeinden
chart: bar
```

```bimo-figure
indicator: BEV-1
```

```bimo-table
indicator: BEV-2
period: {P-1}..{P}
by: gemeinde
```
EOF
expect_exit 0 bimo workbook --template t.md -o tpl.xlsx
# The same tables computed directly: the checker compares them cell by cell.
bimo indicators compute AUF-1 --period 2025 --by gemeinde --format json > a.json
bimo indicators compute BEV-2 --period 2024..2025 --by gemeinde --format json > b.json
"$PY" -c 'import json; print(json.dumps(json.load(open("a.json")) + json.load(open("b.json"))))' \
    > tpl.json
{ bimo indicators compute AUF-1 --period 2025 --by gemeinde --format csv
  bimo indicators compute BEV-2 --period 2024..2025 --by gemeinde --format csv | tail -n +2; } \
    > tpl.csv
expect_exit 0 "$PY" "$CHECK" tpl.xlsx tpl.json tpl.csv
expect_eq "$("$PY" - <<'EOF'
import openpyxl
wb = openpyxl.load_workbook("tpl.xlsx")
print(wb.sheetnames[3:])
ws = wb["It's Gemeinden"]
print(ws["A1"].value, ws["A1"].data_type)
print([c.value for c in ws["A"] if isinstance(c.value, str) and c.value.startswith("2)")])
print(wb["Deckblatt"]["A2"].value, "|", wb["Deckblatt"]["A3"].value)
EOF
)" "[\"It's Gemeinden\", 'BEV-2', 'Daten']
Tabelle 1: =Schutzsuchende [Gemeinden]¹⁾²⁾ s
['2) Eigene Fußnote zur Tabelle.']
Testbericht | Zwei Tabellen" "template: sheets, title, note, cover"
expect_eq "$(unzip -l tpl.xlsx | grep -c 'xl/charts/chart[0-9]*.xml')" "1" "template: the block's chart"
# A block the catalogue does not know: the template's line, exit 65, no file.
printf '# x\n\n```bimo-table\nindicator: NO-SUCH\n```\n' > bad.md
expect_exit 65 bimo workbook --template bad.md --period 2025 -o bad.xlsx
expect_contains "$ERR" "bad.md:4" "template error: file and line"
expect_exit 64 bimo workbook --template t.md AUF-1 -o bad.xlsx
expect_eq "$(ls bad.xlsx 2> /dev/null | wc -l)" "0" "template error: no file"

# ---- Strings that look like formulas stay strings -----------------------------------------------
expect_exit 0 bimo workbook AUF-1 --period 2025 -o f.xlsx --title '=HYPERLINK("http://x","y")' \
    --subtitle '+1' --producer '@SUMME(A1)'
expect_eq "$("$PY" -c '
import openpyxl
ws = openpyxl.load_workbook("f.xlsx")["Deckblatt"]
print([(c.value, c.data_type) for c in (ws["A2"], ws["A3"])], ws["B9"].value)')" \
    "[('=HYPERLINK(\"http://x\",\"y\")', 's'), ('+1', 's')] @SUMME(A1)" "formula-like text is text"
expect_eq "$(unzip -p f.xlsx 'xl/worksheets/*.xml' | grep -c '<f>')" "0" "no formula in any sheet"

# ---- Reproducible bytes ---------------------------------------------------------------------
expect_exit 0 bimo workbook AUF-1 BEV-2 SPR-3 --period 2025 --by gemeinde -o again.xlsx
sleep 1
expect_exit 0 bimo workbook AUF-1 BEV-2 SPR-3 --period 2025 --by gemeinde -o again2.xlsx
expect_exit 0 cmp one.xlsx again.xlsx
expect_exit 0 cmp again.xlsx again2.xlsx
# The creation time is the latest reference date, or SOURCE_DATE_EPOCH (1700000000 is
# 2023-11-14 22:13:20 UTC).
expect_contains "$(unzip -p one.xlsx docProps/core.xml)" \
    '<dcterms:created xsi:type="dcterms:W3CDTF">2025-12-31T00:00:00Z' "created from the data"
SOURCE_DATE_EPOCH=1700000000 "$BIMO" --db s.db workbook AUF-1 --period 2025 -o sde.xlsx
expect_contains "$(unzip -p sde.xlsx docProps/core.xml)" '2023-11-14T22:13:20Z' "SOURCE_DATE_EPOCH"
# ... and then the cover says when it was made (without it, only the date of the data).
expect_eq "$("$PY" -c 'import openpyxl; ws = openpyxl.load_workbook("sde.xlsx")["Deckblatt"]
print([r[1].value for r in ws.iter_rows(min_row=6, max_row=12) if r[0].value == "Erstellt am"])')" \
    "['14.11.2023']" "cover: Erstellt am from SOURCE_DATE_EPOCH"

# ---- Native charts beside the tables --------------------------------------------------------
expect_exit 0 bimo workbook BEV-1 AUF-1 --period 2025 --by region -o chart.xlsx --chart bar
expect_eq "$(unzip -l chart.xlsx | grep -c 'xl/charts/chart[0-9]*.xml')" "2" "one chart per table"
# The chart reads the copy below the table (suppressed cells empty), labelled by the regions.
expect_contains "$(unzip -p chart.xlsx xl/charts/chart1.xml)" "<c:barChart>" "bar chart"
expect_contains "$(unzip -p chart.xlsx xl/charts/chart1.xml)" "'BEV-1'!\$A\$" "chart data range"
# A time series as lines: one line per region (4), the two years as categories.
expect_exit 0 bimo workbook BEV-2 --period 2024..2025 --by region -o line.xlsx --chart line
expect_eq "$(unzip -p line.xlsx xl/charts/chart1.xml | grep -o '<c:ser>' | wc -l)" "4" "line: a series per region"
expect_contains "$(unzip -p line.xlsx xl/charts/chart1.xml)" "<c:lineChart>" "line chart"
# A pie of a two-way table: the "Insgesamt" column, one slice per region.
expect_exit 0 bimo workbook BEV-1 --period 2025 --by region,geschlecht -o pie.xlsx --chart pie
expect_eq "$("$PY" -c 'import openpyxl; ws = openpyxl.load_workbook("pie.xlsx")["BEV-1"]
print([c.value for c in ws["B"][18:23]])')" "['Insgesamt', 763, 446, 623, 214]" \
    "pie: the regions' totals (763 + 446 + 623 + 214 = 2046, the district)"
expect_exit 64 bimo workbook AUF-1 --period 2025 -o x.xlsx --chart radar

# ---- Exit codes and no partial file ---------------------------------------------------------
expect_exit 73 bimo workbook AUF-1 --period 2025 -o one.xlsx
expect_contains "$ERR" "--force" "existing file: hint"
expect_exit 0 cmp one.xlsx again.xlsx
expect_exit 0 bimo workbook AUF-1 --period 2025 -o one.xlsx --force
expect_exit 64 bimo workbook AUF-1 --period 2025
expect_exit 64 bimo workbook --period 2025 -o y.xlsx
expect_exit 65 bimo workbook NO-SUCH --period 2025 -o y.xlsx
expect_exit 64 bimo workbook SCH-1 --period 2025 -o y.xlsx
mkdir ro && chmod 0555 ro
if [ "$(id -u)" -ne 0 ]; then
    expect_exit 73 bimo workbook AUF-1 --period 2025 -o ro/z.xlsx
fi
expect_exit 73 bimo workbook AUF-1 --period 2025 -o no-such-dir/z.xlsx
expect_eq "$(ls -a | grep -c '^\.\(.*\)\.xlsx\.')" "0" "no temporary file left"
expect_eq "$(ls y.xlsx x.xlsx 2> /dev/null | wc -l)" "0" "no partial workbook"

finish
