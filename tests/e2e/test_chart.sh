#!/bin/bash
# test_chart.sh — "bimo chart" end to end on an empty store with the fixture indicators of
# tests/data/charts: every kind in every format, the files' structure (SVG as XML, PNG size,
# the PDF's text), identical bytes on a second run, and the errors.
. "$(dirname "$0")/lib.sh"

bimo() { "$BIMO" --db "$WORK/t.db" "$@"; }
CAT="$TESTS_DIR/data/charts"
expect_exit 0 bimo init

expect_exit 0 bimo chart --help
expect_contains "$OUT" "stacked100" "help lists the kinds"

chart() { expect_exit 0 bimo chart "$@" --catalogue "$CAT"; }

# ---- every kind as SVG; bar also as PNG and PDF, map as PDF -----------------------------------
KINDS="bar:FIG-SF:2025:schulform hbar:FIG-GEM:2025:gemeinde grouped:FIG-SF:2025:schulform,geschlecht
stacked:FIG-SF:2025:schulform,geschlecht stacked100:FIG-SF:2025:schulform,geschlecht
line:FIG-SF:2019..2025:schulform pyramid:FIG-POP:2025:altersgruppe,geschlecht,deutsch
map:FIG-GEM:2025:kommune"
same() { if cmp -s "$1" "$2"; then pass; else fail "$1: a second run differs"; fi; }
for spec in $KINDS; do
    IFS=: read -r kind id period by <<<"$spec"
    chart "$id" --period "$period" --by "$by" --kind "$kind" -o "$kind.svg"
    chart "$id" --period "$period" --by "$by" --kind "$kind" -o again.svg
    same "$kind.svg" again.svg
done
for ext in png pdf; do
    chart FIG-SF --period 2025 --by schulform --kind bar -o "bar.$ext"
    chart FIG-SF --period 2025 --by schulform --kind bar -o "again.$ext"
    same "bar.$ext" "again.$ext"
done
chart FIG-GEM --period 2025 --by kommune --kind map -o map.pdf

# SVG: well-formed XML of 160 x 100 mm with drawn glyphs and paths.
OUT=$(python3 - "$WORK" <<'EOF'
import sys, xml.etree.ElementTree as ET
ns = "{http://www.w3.org/2000/svg}"
for kind in ["bar", "hbar", "grouped", "stacked", "stacked100", "line", "pyramid", "map"]:
    root = ET.parse(f"{sys.argv[1]}/{kind}.svg").getroot()
    paths = len(root.findall(f".//{ns}path"))
    uses = len(root.findall(f".//{ns}use"))
    print(kind, root.tag == ns + "svg", root.get("width"), root.get("height"), paths > 10, uses > 50)
EOF
)
for kind in bar hbar grouped stacked stacked100 line pyramid map; do
    expect_contains "$OUT" "$kind True 453.543307pt 283.464567pt True True" "$kind.svg is an SVG of 160 x 100 mm"
done

# PNG: 160 x 100 mm at 300 dpi = 1890 x 1181 pixels; --width 80 --height 50 --dpi 96: 302 x 189.
pngsize() { python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); print(*struct.unpack(">II", d[16:24]))' "$1"; }
expect_eq "$(pngsize bar.png)" "1890 1181" "PNG pixel size"
chart FIG-SF --period 2025 --by schulform -o small.png --width 80 --height 50 --dpi 96
expect_eq "$(pngsize small.png)" "302 189" "PNG pixel size from --width, --height, --dpi"

# PDF: the text a reader extracts holds every label, value and symbol (FIG-SF 2025: GS 890,
# RS 250, GYM 470, the long IGS 165; HS and FOES secret) and the data's date as creation date.
TEXT=$(pdftotext bar.pdf - | tr '\n' ' ')
for word in "Schülerinnen und Schüler nach Schulform" "Landkreis Osnabrück, 2025" Grundschule \
    Hauptschule Realschule Gymnasium Förderschule "Integrierte Gesamtschule mit gymnasialer" \
    Oberstufe 890 250 470 165 "Zeichenerklärung: . = Zahlenwert geheim zu halten" \
    "1) Testdaten." "Quelle: Testquelle Schulstatistik, 2025" Personen; do
    expect_contains "$TEXT" "$word" "bar.pdf shows \"$word\""
done
expect_contains "$(pdfinfo bar.pdf)" "Dec 31 00:00:00 2025" "PDF creation date is the data's"
# Tile map of the reporting units: Samtgemeinde Artland 110 / 580 = 19,0 %, Glandorf "/".
TEXT=$(pdftotext map.pdf - | tr '\n' ' ')
for word in "SG Artland" "19,0" "Bad Essen" "7,5" "Glandorf" "/" "20 bis unter 25" "5 bis unter 10"; do
    expect_contains "$TEXT" "$word" "map.pdf shows \"$word\""
done
# Default kind: FIG-GEM proposes a map; over several years FIG-SF becomes a line.
chart FIG-GEM --period 2025 --by gemeinde -o default.pdf --figure 4 --note "Eine Anmerkung."
TEXT=$(pdftotext default.pdf - | tr '\n' ' ')
expect_contains "$TEXT" "Abbildung 4: Anteil mit Testmerkmal" "figure number"
expect_contains "$TEXT" "1) Eine Anmerkung." "extra footnote"
expect_contains "$TEXT" "Georgsmarien" "tile names"
chart FIG-SF --period 2025 --by schulform -o bare.pdf --bare
TEXT=$(pdftotext bare.pdf - | tr '\n' ' ')
case "$TEXT" in *Quelle*|*"nach Schulform"*) fail "--bare leaves out title and source" ;; *) pass ;; esac
expect_contains "$TEXT" "Zeichenerklärung" "--bare keeps the symbol legend"

# ---- errors: usage 64, data 65; nothing is written ------------------------------------------
expect_exit 64 bimo chart FIG-SF --period 2025 --kind pie -o x.png --catalogue "$CAT"
expect_contains "$ERR" "unknown chart kind \"pie\"" "unknown kind"
expect_exit 64 bimo chart FIG-SF --period 2025 --by schulform --kind pyramid -o x.png --catalogue "$CAT"
expect_contains "$ERR" "altersgruppe and geschlecht" "pyramid needs age and sex"
expect_exit 64 bimo chart FIG-SF --period 2025 -o x.jpg --catalogue "$CAT"
expect_contains "$ERR" "must end in .png, .svg or .pdf" "unknown extension"
expect_exit 64 bimo chart FIG-SF -o x.png --catalogue "$CAT"
expect_contains "$ERR" "needs --period" "period required"
expect_exit 64 bimo chart FIG-SF --period 2025 --width 5 -o x.png --catalogue "$CAT"
expect_exit 65 bimo chart NOPE-1 --period 2025 -o x.png --catalogue "$CAT"
if ls x.* .x.* 2>/dev/null | grep -q .; then fail "a failed run left a file"; else pass; fi

finish
