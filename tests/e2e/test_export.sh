#!/usr/bin/env bash
# test_export.sh — bimo export end to end on a small sample store: the folder's files, the
# German CSV, the manifest, reproducible bytes, refusing and replacing, the store lock, two
# exports at once, and exports killed at random points.
. "$TESTS_DIR/e2e/lib.sh"
bimo() { "$BIMO" --db s.db "$@"; }
CHECKS_PY="$TESTS_DIR/e2e/export_checks.py"
# A fixed template with 16 tables, so the checks below do not follow edits of the shipped one.
TPL="$TESTS_DIR/data/export/quartal.md"
export EXPORT_TEMPLATE="$TPL"

expect_exit 0 "$BIMO" sample -o smp --persons 5000 --quiet
expect_exit 0 bimo init
for src in melderegister aufenthalt integrationskurs; do
    expect_exit 0 bimo import "$src" smp/"$src"_*.csv
done

# Help, man page and usage errors.
expect_exit 0 "$BIMO" --help
expect_contains "$OUT" "export" "export in --help"
expect_exit 0 bimo export --help
expect_contains "$OUT" "--wait SECONDS" "export --help"
expect_exit 64 bimo export --period 2025Q3 -o x
expect_contains "$ERR" "which template" "no template"
expect_exit 64 bimo export "$TPL" --period 2025Q3
expect_contains "$ERR" "-o DIR is required" "no folder"
expect_exit 64 bimo export "$TPL" --period 2025Q3 -o x --wait soon
expect_exit 64 bimo export "$TPL" --period 2025Q3 -o x --log-format xml
expect_exit 66 "$BIMO" --db missing.db export "$TPL" --period 2025Q3 -o x
expect_exit 66 bimo export nosuch.md --period 2025Q3 -o x
printf '```bimo-table\nindicator: NOPE-1\n```\n' > bad.md
expect_exit 65 bimo export ./bad.md --period 2025Q3 -o x
expect_contains "$ERR" "bad.md:2" "template error located"
printf '```bimo-figure\nindicator: SPR-1\n```\n' > figures.md
expect_exit 65 bimo export ./figures.md --period 2025Q3 -o x
expect_contains "$ERR" "no bimo-table blocks" "figures are not exported"
expect_eq "$(ls -a | grep -c '^x\|^\.x')" "0" "failed runs leave no folder"

# A complete export: 16 tables, two CSV each, the workbook and the manifest.
expect_exit 0 bimo export "$TPL" --period 2025Q3 -o out
expect_contains "$OUT" "export written to out (16 tables)" "summary line"
expect_eq "$(ls out | wc -l)" "34" "files"
expect_eq "$(ls out/*.xlsx)" "out/quartal.xlsx" "workbook named after the template"
expect_exit 0 python3 "$CHECKS_PY" verify out
expect_eq "$(python3 -c 'import json,sys; m=json.load(open("out/manifest.json")); print(m["period"], m["template"]["name"], m["disclosure"]["threshold"], len(m["tables"]), sorted({i["source"] for i in m["imports"]}))')" \
    "2025Q3 quartal.md 3 16 ['aufenthalt', 'integrationskurs', 'melderegister']" "manifest"
expect_eq "$(python3 -c 'import json; m=json.load(open("out/manifest.json")); print(m["date"], m["bimo_version"] != "")')" \
    "2025-09-30 True" "manifest date: the newest reference date of the tables"
# SHA-256 as sha256sum computes it.
want=$(sha256sum out/01_AUF-1_tabelle.csv | cut -d' ' -f1)
expect_contains "$(cat out/manifest.json)" "$want" "manifest holds sha256sum's digest"

# The shipped template (found by its name) exports as well.
expect_exit 0 bimo export quartalsexport.md --period 2025Q3 -o shipped --quiet
expect_exit 0 python3 "$CHECKS_PY" verify shipped
n=$(grep -c '^```bimo-table' "$BIMO_DATA/report-templates/quartalsexport.md")
expect_eq "$(python3 -c 'import json; print(len(json.load(open("shipped/manifest.json"))["tables"]))')" "$n" "shipped template: one table per block"

# The German CSV: BOM, CRLF, ';', decimal comma, German labels, symbols and the legend.
expect_eq "$(head -c 3 out/08_SPR-1_tabelle.csv | od -An -tx1 | tr -d ' ')" "efbbbf" "BOM"
expect_eq "$(head -1 out/08_SPR-1_tabelle.csv | od -An -c | grep -c '\\r')" "1" "CRLF"
expect_eq "$(sed -n 4p out/08_SPR-1_tabelle.csv | tr -d '\r')" \
    "Zeitraum;Art der Berechtigung;Ausgestellt von;Anzahl;Zeichen" "header"
# AUF-2a (shares by subgroup): the total row and a subgroup row as numbers with decimal comma.
expect_eq "$(sed -n 5p out/02_AUF-2a_tabelle.csv | tr -d '\r')" \
    "$(awk -F, '$3=="Insgesamt" {printf "30.09.2025;Insgesamt;%s;%s;100,0;", $4, $5}' out/02_AUF-2a_daten.csv)" \
    "total row equals the machine CSV"
row=$(awk -F, 'NR > 1 && $3 != "Insgesamt" && $4 + 0 > 10 {print; exit}' out/02_AUF-2a_daten.csv)
code=$(echo "$row" | cut -d, -f3); num=$(echo "$row" | cut -d, -f4); den=$(echo "$row" | cut -d, -f5)
pct=$(python3 -c "print(f'{round($num / $den * 100, 1):.1f}'.replace('.', ','))")
expect_contains "$(tr -d '\r' < out/02_AUF-2a_tabelle.csv)" ";$num;$den;$pct;" "share $code with decimal comma"
expect_contains "$(cat out/04_AUF-4_tabelle.csv)" "Zeichenerklärung: " "legend"
# Text that Excel would run as a formula is made inert with a leading apostrophe (and quoted
# when it holds ; or quotes).
printf '%s\n' '```bimo-table' 'indicator: SPR-1' 'by: region' 'note: =HYPERLINK("http://x";"y")' '```' \
    '```bimo-table' 'indicator: SPR-1' 'note: @SUM(1)' '```' > formula.md
expect_exit 0 bimo export ./formula.md --period 2025Q3 -o formula --quiet
expect_eq "$(grep -a 'HYPERLINK' formula/01_SPR-1_tabelle.csv | tr -d '\r')" \
    "\"'=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\"" "formula made inert and quoted"
expect_eq "$(grep -a 'SUM' formula/02_SPR-1_tabelle.csv | tr -d '\r')" "'@SUM(1)" "@ made inert"
expect_contains "$(cat out/04_AUF-4_tabelle.csv)" "Quelle: " "source line"

# The workbook read back with openpyxl (Debian's python3): a sheet per table named as in the
# template, and its tidy data sheet holds exactly the numbers and flags of the machine CSVs.
expect_exit 0 /usr/bin/python3 - "$TPL" out <<'PY'
import csv, glob, re, sys
import openpyxl
tpl, d = sys.argv[1], sys.argv[2]
wb = openpyxl.load_workbook(f"{d}/quartal.xlsx")
sheets = re.findall(r"^sheet: (.+)$", open(tpl, encoding="utf-8").read(), re.M)
assert wb.sheetnames == ["Deckblatt", "Inhalt", "Erläuterungen"] + sheets + ["Daten"], wb.sheetnames
rows = list(wb["Daten"].iter_rows(values_only=True))
head, rows = rows[0], rows[1:]
col = {h: i for i, h in enumerate(head)}
checked = 0
for path in sorted(glob.glob(f"{d}/*_daten.csv")):
    number = int(path.split("/")[-1][:2])
    mine = [r for r in rows if r[col["table"]] == number]
    data = list(csv.DictReader(open(path, encoding="utf-8")))
    assert len(mine) == len(data), (path, len(mine), len(data))
    for w, c in zip(mine, data):
        for key in c:
            if key in ("numerator", "denominator", "value", "flag"):
                continue
            assert str(w[col[key]]) == c[key], (path, key, w, c)
        for key in ("numerator", "denominator"):
            got = "" if w[col[key]] is None else str(int(w[col[key]]))
            assert got == c[key], (path, key, w, c)
        assert (w[col["flag"]] or "") == c["flag"], (path, w, c)
        v = w[col["value"]] if w[col["value"]] is not None else w[col["median"]]
        assert (v is None) == (c["value"] == ""), (path, w, c)
        assert v is None or abs(float(v) - float(c["value"])) < 1e-9, (path, w, c)
        checked += 1
assert checked > 500, checked
PY
[ -n "$ERR" ] && echo "$ERR" >&2

# The machine CSV of a table that no other table shares cells with is the compute output.
expect_exit 0 bimo indicators compute AUF-5 --period 2025-09-30 --by region --format csv
expect_eq "$(cat out/05_AUF-5_daten.csv)" "$OUT" "machine CSV = indicators compute"

# Consistent hiding: a cell of SPR-4 hidden in one table is hidden in the other.
s4=$(awk -F, '$3=="Insgesamt" {print $7}' out/11_SPR-4_daten.csv)
s4r=$(awk -F, '$3=="Insgesamt" {print $7}' out/12_SPR-4_daten.csv)
expect_eq "$s4" "$s4r" "shared total has one flag in both tables"
# AUF-3 by kommune x altersgruppe and by altersgruppe x schutzstatus share the age-group
# margins: each has one flag in both; when any of them is hidden, both tables are protected
# as slices of kommune x altersgruppe x schutzstatus (the manifest says so).
expect_exit 0 python3 - out <<'PY'
import csv, json, sys
d = sys.argv[1]
a = {r["altersgruppe"]: r["flag"] for r in csv.DictReader(open(f"{d}/06_AUF-3_daten.csv")) if r["kommune"] == "Insgesamt"}
b = {r["altersgruppe"]: r["flag"] for r in csv.DictReader(open(f"{d}/07_AUF-3_daten.csv")) if r["schutzstatus"] == "Insgesamt"}
assert a == b and len(a) > 5, (a, b)
m = json.load(open(f"{d}/manifest.json"))
over = [t["protected_over"] for t in m["tables"] if t["indicator"] == "AUF-3"]
shared_hidden = "." in a.values()
want = ["kommune", "altersgruppe", "schutzstatus"] if shared_hidden else []
assert over == [want, want], (over, a)
print("AUF-3 shared margins hidden:", shared_hidden)
PY
[ -n "$ERR" ] && echo "$ERR" >&2
expect_eq "$(sqlite3 s.db 'SELECT count(*) FROM release')" "3" "releases recorded (fixture, shipped, formula)"
cells=$(sqlite3 s.db 'SELECT count(*) FROM release_cell WHERE release_id = 1')
expect_eq "$([ "$cells" -gt 0 ] && echo yes)" "yes" "hidden cells recorded ($cells)"
# Every "." in the machine CSV of SPR-4 by kursart is a recorded cell.
for code in $(awk -F, '$7=="." {print $3}' out/11_SPR-4_daten.csv); do
    expect_eq "$(sqlite3 s.db "SELECT count(*) FROM release_cell WHERE indicator = 'SPR-4'
        AND period = '2025Q3' AND cell = 'kursart=$code' AND denominator = 0")" "1" "recorded kursart=$code"
done

# Reproducible: a second run (which now reads release 1) gives the same bytes.
expect_exit 0 bimo export "$TPL" --period 2025Q3 -o out2 --quiet
expect_eq "$OUT" "" "--quiet prints nothing"
expect_exit 0 diff -r out out2

# Refuses an existing folder; --force replaces an export, never another folder.
expect_exit 73 bimo export "$TPL" --period 2025Q3 -o out
expect_contains "$ERR" "exists already; use --force" "exists"
mkdir notanexport && echo keep > notanexport/file.txt
expect_exit 73 bimo export "$TPL" --period 2025Q3 -o notanexport --force
expect_contains "$ERR" "is not a bimo export" "refuses a foreign folder"
expect_eq "$(cat notanexport/file.txt)" "keep" "foreign folder untouched"
expect_exit 0 bimo export "$TPL" --period 2025Q2 -o out --force
expect_eq "$(python3 -c 'import json; print(json.load(open("out/manifest.json"))["period"])')" "2025Q2" "replaced"
expect_eq "$(ls -a | grep -c '\.bimo-')" "0" "no temporary folders"

# A changed store gives a different manifest (and the same tables).
cp out2/manifest.json before.json
expect_exit 0 bimo import integrationskurs smp/integrationskurs_*.csv
expect_exit 0 bimo export "$TPL" --period 2025Q3 -o out3 --quiet
expect_eq "$(cmp -s before.json out3/manifest.json && echo same || echo differs)" "differs" "manifest follows the store"
expect_exit 0 diff out2/01_AUF-1_daten.csv out3/01_AUF-1_daten.csv

# JSON log: one object per event on stdout; errors as one object on stderr.
expect_exit 0 bimo export "$TPL" --period 2025Q3 -o out4 --log-format json
expect_eq "$(printf '%s\n' "$OUT" | python3 -c 'import json,sys; print(" ".join(sorted({json.loads(l)["event"] for l in sys.stdin})))')" \
    "done lock release table" "events"
expect_eq "$(printf '%s\n' "$OUT" | grep -c '"event":"table"')" "16" "one event per table"
expect_exit 73 bimo export "$TPL" --period 2025Q3 -o out4 --log-format json
expect_eq "$(printf '%s' "$ERR" | python3 -c 'import json,sys; e=json.load(sys.stdin); print(e["event"], e["count"])')" "error 73" "JSON error"

# The store lock: another writer holds it, the export gives up at once with 75 ...
(echo "BEGIN IMMEDIATE;"; sleep 2; echo "COMMIT;") | sqlite3 s.db &
holder=$!
for _ in $(seq 50); do sqlite3 s.db "BEGIN IMMEDIATE; ROLLBACK" 2>/dev/null || break; sleep 0.05; done
expect_exit 75 bimo export "$TPL" --period 2025Q3 -o busy
expect_contains "$ERR" "locked by another bimo process" "busy message"
expect_eq "$(ls -a | grep -c 'busy')" "0" "busy run leaves nothing"
# ... or waits for it with --wait.
expect_exit 0 bimo export "$TPL" --period 2025Q3 -o busy --wait 20 --quiet
wait "$holder"
# Two exports at once: the one holding the lock finishes, the other exits 75.
expect_exit 0 python3 "$CHECKS_PY" concurrent "$BIMO" s.db conc1 conc2
[ -n "$ERR" ] && echo "$ERR" >&2

# Killed at random points: the folder always holds one complete export, and the next run
# leaves no temporary folder (a few kills here; test_export_kill.sh in the slow suite does more).
expect_exit 0 python3 "$CHECKS_PY" kill "$BIMO" s.db killed 4 7
[ -n "$ERR" ] && echo "$ERR" >&2
finish
