#!/bin/bash
# test_sample.sh — "bimo sample": argument errors, file names and formats (BOM, CRLF, ';',
# headers, dates), Windows-1252, reproducibility per seed, the faults of --dirty, the
# agreement between the extracts, and that the committed example is what the code writes.
. "$TESTS_DIR/e2e/lib.sh"
PY=/usr/bin/python3

# Argument errors exit 64 with a message; an output folder that cannot be created exits 73.
expect_exit 64 "$BIMO" sample --persons 10
expect_contains "$ERR" "output folder is missing" "missing -o"
expect_exit 64 "$BIMO" sample -o out --persons 0
expect_contains "$ERR" "--persons needs a number" "--persons 0"
expect_exit 64 "$BIMO" sample -o out --persons 10000001
expect_exit 64 "$BIMO" sample -o out --persons abc
expect_exit 64 "$BIMO" sample -o out --from 2026 --to 2025
expect_contains "$ERR" "--from 2026 is after --to 2025" "--from > --to"
expect_exit 64 "$BIMO" sample -o out --from 1999
expect_exit 64 "$BIMO" sample -o out --encoding latin1
expect_contains "$ERR" 'unknown encoding "latin1"' "unknown encoding"
expect_exit 64 "$BIMO" sample -o out --no-such-option
expect_exit 64 "$BIMO" sample -o out extra
[ -e out ] && fail "a refused run created its output folder" || pass
expect_exit 73 "$BIMO" sample -o /dev/null/sample --persons 100
expect_contains "$ERR" "/dev/null/sample" "uncreatable folder named"
touch plainfile
expect_exit 73 "$BIMO" sample -o plainfile --persons 100

# A small run: the summary line, no progress output when stderr is not a terminal.
expect_exit 0 "$BIMO" sample -o a --persons 3000 --seed 7 --from 2024 --to 2025
expect_contains "$OUT" "wrote 15 files with " "summary line"
expect_contains "$OUT" " rows " "summary rows"
expect_eq "$(printf '%s\n' "$OUT" | wc -l)" "1" "one summary line"
expect_eq "$ERR" "" "no progress when not on a terminal"
expect_exit 0 "$BIMO" sample -o q --persons 3000 --seed 7 --from 2024 --to 2025 --quiet
expect_eq "$OUT" "" "--quiet prints nothing"

expected_files="aufenthalt_2024-03-31.csv aufenthalt_2024-06-30.csv aufenthalt_2024-09-30.csv
aufenthalt_2024-12-31.csv aufenthalt_2025-03-31.csv aufenthalt_2025-06-30.csv aufenthalt_2025-09-30.csv
aufenthalt_2025-12-31.csv integrationskurs_2025-12-31.csv melderegister_2024-12-31.csv
melderegister_2025-12-31.csv schulabgang_2023-24.csv schulabgang_2024-25.csv schule_2024-25.csv
schule_2025-26.csv"
expect_eq "$(cd a && ls -A | tr '\n' ' ')" "$(echo $expected_files) " "file names"

# Same seed, same bytes; another seed, other bytes.
"$BIMO" sample -o b --persons 3000 --seed 7 --from 2024 --to 2025 -q
"$BIMO" sample -o c --persons 3000 --seed 8 --from 2024 --to 2025 -q
expect_eq "$(cd b && sha256sum *.csv)" "$(cd a && sha256sum *.csv)" "same seed, same sha256"
same=0
for f in a/*.csv; do cmp -s "$f" "c/${f#a/}" && same=$((same + 1)); done
expect_eq "$same" "0" "another seed changes every file"

# Formats: BOM, header names, ';', CRLF everywhere, DD.MM.YYYY dates.
$PY - a <<'EOF' && pass || fail "formats of the UTF-8 files"
import glob, os, re, sys
headers = {
    "melderegister": "stichtag;person_id;geburtsdatum;geschlecht;staatsangehoerigkeit;staatsangehoerigkeit2;ags;zuzugsdatum;herkunftsland;einreisedatum",
    "aufenthalt": "stichtag;person_id;geburtsdatum;geschlecht;staatsangehoerigkeit;ags;rechtsgrundlage;gueltig_ab;gueltig_bis;einreisedatum;asylantrag_datum",
    "integrationskurs": "stichtag;person_id;geschlecht;geburtsdatum;staatsangehoerigkeit;ags;berechtigung_datum;berechtigung_art;ausgestellt_von;kursart;kursbeginn;kursende;pruefung_datum;dtz_ergebnis;lid_bestanden",
    "schule": "schueler_id;schuljahr;schulnummer;schulform;jahrgang;geschlecht;staatsangehoerigkeit;geburtsjahr;ags_schule;ags_wohnort;sprachlernklasse;bildungsgang;ausbildungsjahr",
    "schulabgang": "schueler_id;schuljahr;schulform;abschluss;geschlecht;staatsangehoerigkeit;geburtsjahr;ags_schule",
}
date = re.compile(r"^\d\d\.\d\d\.\d{4}$")
bad = 0
for path in glob.glob(os.path.join(sys.argv[1], "*.csv")):
    raw = open(path, "rb").read()
    kind = os.path.basename(path).rsplit("_", 1)[0]
    if not raw.startswith(b"\xef\xbb\xbf"):
        print("no BOM", path); bad += 1
    text = raw[3:].decode("utf-8")
    if text.count("\n") != text.count("\r\n") or not text.endswith("\r\n"):
        print("not CRLF throughout", path); bad += 1
    lines = text.split("\r\n")[:-1]
    if lines[0] != headers[kind]:
        print("header", path, lines[0]); bad += 1
    cols = lines[0].split(";")
    for n, line in enumerate(lines[1:], 2):
        f = line.split(";")
        if len(f) != len(cols):
            print(path, n, "fields", len(f)); bad += 1; break
        for c, v in zip(cols, f):
            if (c == "stichtag" or "datum" in c or c in ("kursbeginn", "kursende", "gueltig_ab", "gueltig_bis")) and v and not date.match(v):
                print(path, n, c, v); bad += 1
        if kind.startswith("schul") and not re.match(r"^S\d{8}$", f[0]) or not kind.startswith("schul") and not re.match(r"^P\d{9}$", f[1]):
            print(path, n, "id", line); bad += 1; break
sys.exit(1 if bad else 0)
EOF

# Windows-1252: no BOM, § and ü as single bytes, and the same text as the UTF-8 run.
expect_exit 0 "$BIMO" sample -o w --persons 3000 --seed 7 --from 2024 --to 2025 --encoding cp1252
[ "$(head -c 3 w/aufenthalt_2025-12-31.csv | od -An -tx1 | tr -d ' ')" != "efbbbf" ] && pass || fail "cp1252 has a BOM"
grep -q $'\xa7 24 AufenthG' w/aufenthalt_2025-12-31.csv && pass || fail "cp1252: § is not byte A7"
grep -q $'Freiz\xfcgG/EU' w/aufenthalt_2025-12-31.csv && pass || fail "cp1252: ü is not byte FC"
roundtrip=0
for f in a/*.csv; do
    iconv -f WINDOWS-1252 -t UTF-8 "w/${f#a/}" | cmp -s - <(tail -c +4 "$f") || roundtrip=$((roundtrip + 1))
done
expect_eq "$roundtrip" "0" "cp1252 files decode to the UTF-8 files"

# Quarterly population register.
expect_exit 0 "$BIMO" sample -o qu --persons 500 --from 2025 --to 2025 --quarterly -q
expect_eq "$(ls qu/melderegister_* | wc -l)" "4" "--quarterly writes four register snapshots"

# The extracts agree with each other.
$PY "$TESTS_DIR/e2e/sample_consistency.py" a 2025 && pass || fail "consistency of the extracts"

# --dirty spoils about 1 row in 1,000, in the listed ways, and nothing else.
"$BIMO" sample -o clean --persons 40000 --seed 3 -q
"$BIMO" sample -o dirty --persons 40000 --seed 3 --dirty -q
$PY - clean dirty <<'EOF' && pass || fail "faults of --dirty"
import glob, os, re, sys
clean, dirty = sys.argv[1], sys.argv[2]
kinds = dict.fromkeys(["ISO date", "invalid date", "unknown code", "7-digit AGS", "stray quote",
                       "trailing delimiter"], 0)
rows = faults = other = 0
for path in sorted(glob.glob(os.path.join(clean, "*.csv"))):
    a = open(path, "rb").read().split(b"\r\n")
    b = open(os.path.join(dirty, os.path.basename(path)), "rb").read().split(b"\r\n")
    assert len(a) == len(b), path
    rows += len(a) - 2
    for x, y in zip(a, b):
        if x == y:
            continue
        faults += 1
        x, y = x.decode("utf-8"), y.decode("utf-8")
        if y == x + ";":
            kinds["trailing delimiter"] += 1
        elif '"' in y and y.replace('"', "") == x:
            kinds["stray quote"] += 1
        elif len(y) == len(x) - 1 and re.search(r";3459\d{3}(;|$)", y):
            kinds["7-digit AGS"] += 1
        elif ";888;" in y and len(x) == len(y):
            kinds["unknown code"] += 1
        elif re.search(r";\d{4}-\d\d-\d\d;", y):
            kinds["ISO date"] += 1
        elif re.search(r";(31\.02\.\d{4}|\d{4}/\d\d/\d\d);", y):
            kinds["invalid date"] += 1
        else:
            other += 1
            print("unexpected change:", x, "->", y)
rate = 1000.0 * faults / rows
print(f"--dirty: {faults} faulty rows of {rows} ({rate:.2f} per 1,000):", kinds)
sys.exit(0 if 0.7 <= rate <= 1.3 and all(kinds.values()) and not other else 1)
EOF

# The committed example is what this generator writes (see its README for the command).
EXAMPLE="$TESTS_DIR/../sample-data/landkreis-osnabrueck/example"
expect_exit 0 "$BIMO" sample -o ex --persons 2000 --seed 1 --from 2024 --to 2025
expect_eq "$(cd ex && sha256sum *.csv)" "$(cd "$EXAMPLE" && sha256sum *.csv)" \
    "example is current (regenerate it as its README says)"

# A killed run leaves only hidden temporary files, locked while it lived; the next run writing
# the same names removes them (at 10 million persons they are gigabytes).
"$BIMO" sample -o killed --persons 3000000 >/dev/null 2>&1 &
pid=$!
for _ in $(seq 100); do # until the run has written something
    [ -n "$(find killed -name '.*.bimo-tmp-*' -size +1k 2>/dev/null)" ] && break
    sleep 0.05
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
left=$(ls -A killed | grep -c '\.bimo-tmp-')
expect_eq "$(ls killed | wc -l)" "0" "a killed run leaves no visible file"
expect_eq "$((left > 0))" "1" "the killed run left its hidden files ($left)"
expect_exit 0 "$BIMO" sample -o killed --persons 1000
expect_eq "$(ls -A killed | grep -c '\.bimo-tmp-')" "0" "the next run removed them"
expect_eq "$(ls killed | wc -l)" "50" "and wrote its 50 files"

finish
