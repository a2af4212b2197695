#!/bin/bash
# test_report.sh — bimo report end to end on a small synthetic district: the folder's files;
# every chapter title and caption of the default template in the PDF; every placeholder value
# equal to bimo indicators compute; the contents' page numbers equal the pages of the
# headings; metadata and embedded fonts; identical bytes on a second run; template errors
# with file:line:column and exit 65 before anything is written; an existing folder is kept, and
# replaced only when it holds an earlier report; leftovers of killed runs are removed.
. "$TESTS_DIR/e2e/lib.sh"
SRC=$(dirname "$TESTS_DIR")
TPL="$SRC/report-templates/bildungsbericht.md"
bimo() { "$BIMO" --db s.db "$@"; }

expect_exit 0 "$BIMO" sample -o smp --persons 5000 --quiet
expect_exit 0 bimo init
for src in melderegister aufenthalt integrationskurs schule schulabgang; do
    expect_exit 0 bimo import "$src" smp/"$src"_*.csv
done

# ==== The default template ========================================================================
expect_exit 0 bimo report --period 2025 -o rep
nfig=$(grep -c '^```bimo-figure' "$TPL")
ntab=$(grep -c '^```bimo-table' "$TPL")
expect_contains "$OUT" "$nfig figures, $ntab tables" "summary line"
for f in rep/bildungsbericht.pdf rep/bildungsbericht.xlsx; do
    [ -s "$f" ] && pass || fail "missing $f"
done
# Every figure as PNG and SVG, numbered as in the captions.
expect_eq "$(ls rep/abbildungen | grep -c '^abbildung-[0-9][0-9]\.png$')" "$nfig" "PNG files"
expect_eq "$(ls rep/abbildungen | grep -c '^abbildung-[0-9][0-9]\.svg$')" "$nfig" "SVG files"
expect_contains "$(file rep/abbildungen/abbildung-01.png)" "PNG image data" "PNG"
expect_contains "$(head -c 200 rep/abbildungen/abbildung-01.svg)" "<svg" "SVG"
# The workbook has one sheet per figure and table (openpyxl, Debian's python3-openpyxl).
sheets=$(/usr/bin/python3 -c 'import openpyxl,sys; print("\n".join(openpyxl.load_workbook(sys.argv[1]).sheetnames))' rep/bildungsbericht.xlsx)
expect_eq "$(printf '%s\n' "$sheets" | grep -c '^Abbildung [0-9]*$')" "$nfig" "figure sheets"
expect_eq "$(printf '%s\n' "$sheets" | grep -c '^Tabelle [0-9]*$')" "$((ntab - $(grep -c '^sheet: ' "$TPL")))" "table sheets"

expect_eq "$(ls -a . | grep -c '^\.rep\.')" "0" "no temporary folder left"

pdftotext rep/bildungsbericht.pdf all.txt
# One line of text, spaces collapsed, so a caption broken over two lines is still found.
flat=$(tr '\n' ' ' <all.txt | tr -s ' ')
# Every chapter and section title (the heading lines of the template; placeholders in headings
# are not used by the default template).
while IFS= read -r h; do
    expect_contains "$flat" "$h" "heading"
done < <(grep -E '^#{1,2} ' "$TPL" | sed -E 's/^#+ //')
# Every caption: "Abbildung N: " and "Tabelle N: " for N = 1 .. count, and every title override.
for i in $(seq 1 "$nfig"); do expect_contains "$flat" "Abbildung $i: " "figure caption $i"; done
for i in $(seq 1 "$ntab"); do expect_contains "$flat" "Tabelle $i: " "table caption $i"; done
while IFS= read -r t; do
    expect_contains "$flat" "$t" "caption title"
done < <(sed -n 's/^title: //p' "$TPL" | tail -n +2)

# The contents (pages 2 and 3): every "N Title ... P" line names the page P whose text has the
# heading "N Title" (pdftotext shows the em space between number and title as a space).
pdftotext -layout -f 2 -l 3 rep/bildungsbericht.pdf toc.txt
n=0
while IFS=$'\t' read -r num title page; do
    pdftotext -f "$page" -l "$page" rep/bildungsbericht.pdf page.txt
    if tr '\n' ' ' <page.txt | tr -s ' ' | grep -qF "$num $title"; then pass; else
        fail "contents: \"$num $title\" is not on page $page"; fi
    n=$((n + 1))
done < <(sed -E 's/ {2,}/ /g' toc.txt |
         sed -nE 's/^ *([0-9]+(\.[0-9]+)?) (.*[^ ]) ([0-9]+) *$/\1\t\3\t\4/p')
heads=$(grep -cE '^#{1,2} ' "$TPL")
expect_eq "$n" "$heads" "contents entries"
# Each entry of the contents (headings, figures, tables) is a link; the PDF has an outline.
expect_eq "$(grep -ao '/Subtype /Link' rep/bildungsbericht.pdf | wc -l)" "$((heads + nfig + ntab))" "links"
expect_eq "$(grep -ac '/Outlines' rep/bildungsbericht.pdf)" "2" "outline (catalogue entry and object)"

# Metadata and fonts.
info=$(pdfinfo rep/bildungsbericht.pdf)
expect_contains "$info" "Title:           Bildungsbericht" "pdf title"
expect_contains "$info" "Author:          Bildungsmonitoring des Landkreises" "pdf author"
expect_contains "$info" "Creator:         bimo" "pdf creator"
# No date in the front matter: the latest reference date of the data, 31.12.2025.
expect_contains "$info" "CreationDate:    Wed Dec 31 00:00:00 2025" "pdf date from the data"
expect_contains "$info" "Page size:       595.276 x 841.89 pts (A4)" "A4"
fonts=$(pdffonts rep/bildungsbericht.pdf | tail -n +3)
expect_contains "$fonts" "DejaVuSerif" "serif body font"
expect_contains "$fonts" "DejaVuSans-Bold" "sans bold headings"
expect_eq "$(printf '%s\n' "$fonts" | awk '$(NF-4) != "yes"' | wc -l)" "0" "every font embedded"

# The same store and template give the same bytes.
expect_exit 0 bimo report -o rep2 --quiet
expect_eq "$OUT" "" "quiet"
for f in bildungsbericht.pdf bildungsbericht.xlsx abbildungen/abbildung-02.png abbildungen/abbildung-02.svg; do
    if cmp -s "rep/$f" "rep2/$f"; then pass; else fail "two runs differ: $f"; fi
done

# ==== Placeholder values equal bimo indicators compute ===========================================
expect_exit 0 bimo report "$SRC/tests/data/report/werte.md" -o werte
pdftotext werte/bildungsbericht.pdf werte.txt
# cval ROW K ARGS...: column K from the right of row ROW of the table output (columns are
# separated by two or more spaces); ROW "-" is the first row below the header.
cval() {
    local row=$1 k=$2; shift 2
    "$BIMO" --db s.db indicators compute "$@" --format table |
        awk -F'  +' -v row="$row" -v k="$k" '
            NR > 3 && NF > 0 && !seen { if (row == "-") { hdr++; if (hdr == 2) { print $(NF-k+1); seen = 1 } }
                                        else if ($1 == row) { print $(NF-k+1); seen = 1 } }'
}
check() { # check Wnn EXPECTED
    if grep -qxF "• $1 $2 ;" werte.txt; then pass; else
        fail "placeholder $1: expected \"$2\", PDF has \"$(grep "$1" werte.txt)\""; fi
}
check W01 "$(cval Insgesamt 1 AUF-1 --period 2025 --by schutzstatus)"
check W02 "$(cval offen 1 AUF-1 --period 2025 --by schutzstatus)"
check W03 "$(cval - 1 BEV-2 --period 2025)"
check W04 "$(cval - 1 BEV-2 --period 2024)"
check W05 "$(cval - 3 BEV-2 --period 2025)"
check W06 "$(cval - 2 BEV-2 --period 2025)"
check W07 "$(cval - 2 SPR-3 --period 2025)"
check W08 "$(cval - 3 SPR-3 --period 2025)"
check W09 "$(cval Insgesamt 1 SCH-1 --period 2025/26 --by schulform)"
check W10 "$(cval Gymnasium 1 SCH-1 --period 2025/26 --by schulform)"
check W11 "$(cval "ohne Hauptschulabschluss" 1 ABS-1 --period 2024/25 --by abschluss)"
check W12 "$(cval "Melle, Stadt" 1 BEV-1 --period 2025 --by kommune)"
check W13 "31.12.2025"
check W14 "Schuljahr 2025/26"
check W15 "$(cval - 1 SPR-1 --period 2025)"
# Codes and labels with spaces and commas, quoted: the same row by its code and by its label.
check W16 "$(cval "anerkannt, befristet" 1 AUF-2 --period 2025 --by schutzstatus)"
check W17 "$(cval "anerkannt, befristet" 3 AUF-2 --period 2025 --by schutzstatus)"

# ==== Template errors: file:line:column, exit 65, nothing written ===============================
printf -- '---\ntitle: x\n---\n# A\n\nText {{AUF-1 wert}}.\n' >bad1.md
expect_exit 65 bimo report bad1.md --period 2025 -o bad
expect_contains "$ERR" "bad1.md:6:14: unknown field \"wert\"" "unknown field"
printf '# A\n\n```bimo-figure\nindicator: AUF-1\nby: kursart\n```\n' >bad2.md
expect_exit 65 bimo report bad2.md --period 2025 -o bad
expect_contains "$ERR" "bad2.md:5:5: AUF-1 cannot be broken down by kursart" "bad dimension"
printf '# A\n\n```bimo-table\nindicator: AUF-1\nperiod: {P-x}\n```\n' >bad3.md
expect_exit 65 bimo report bad3.md --period 2025 -o bad
expect_contains "$ERR" "bad3.md:5:9: \"{P-x}\" is not a relative period" "bad period"
printf '# A\n\nWert {{AUF-1 value.\n' >bad4.md
expect_exit 65 bimo report bad4.md --period 2025 -o bad
expect_contains "$ERR" "bad4.md:3:6: \"{{\" without a closing \"}}\"" "unbalanced braces"
printf '# A\n\n```bimo-table\nindicator: XYZ-1\n```\n' >bad5.md
expect_exit 65 bimo report bad5.md --period 2025 -o bad
expect_contains "$ERR" "bad5.md:4:12: unknown indicator \"XYZ-1\"" "unknown indicator"
printf '# A\n\n```bimo-table\nindicator: AUF-1\nfarbe: rot\n```\n' >bad6.md
expect_exit 65 bimo report bad6.md --period 2025 -o bad
expect_contains "$ERR" "bad6.md:5:1: unknown key \"farbe\"" "unknown key"
[ -e bad ] && fail "a failed run left the folder bad" || pass
expect_eq "$(ls -a . | grep -c '^\.bad\.')" "0" "no temporary folder after errors"

# An existing folder is kept unless --force replaces it.
expect_exit 73 bimo report "$SRC/tests/data/report/werte.md" -o werte
expect_contains "$ERR" "exists" "existing folder"
expect_exit 0 bimo report "$SRC/tests/data/report/werte.md" -o werte --force --period 2024
pdftotext werte/bildungsbericht.pdf werte2.txt
expect_contains "$(cat werte2.txt)" "W13 31.12.2024 ;" "replaced with the 2024 report"
expect_exit 64 bimo report --period 2025
# --force replaces an earlier report only, never another folder (the one holding the store, a
# home folder): no bildungsbericht.pdf starting with "%PDF-", no replacing.
mkdir other && echo "Notizen" >other/notizen.txt
expect_exit 73 bimo report "$SRC/tests/data/report/werte.md" -o other --force
expect_contains "$ERR" "other exists and is not a bimo report (no bildungsbericht.pdf)" "not a report"
expect_eq "$(ls other)" "notizen.txt" "the other folder kept"
echo "kein PDF" >other/bildungsbericht.pdf
expect_exit 73 bimo report "$SRC/tests/data/report/werte.md" -o other --force
expect_eq "$(ls other | tr '\n' ' ')" "bildungsbericht.pdf notizen.txt " "a fake PDF does not count"
expect_exit 64 bimo report "$SRC/tests/data/report/werte.md" -o . --force
expect_contains "$ERR" "cannot be the report folder" "the current folder"
expect_eq "$(ls -a . | grep -c '^\.other\.')" "0" "no temporary folder after refusals"
# What a killed run left beside the folder (its temporary folder, no longer locked) goes with the
# next run; one that a running report holds (flock) stays.
mkdir .werte.bimo-tmp-Ab12Cd .werte.bimo-tmp-Xy34Zw .werte.bimo-old-Qr56St
echo partial >.werte.bimo-tmp-Ab12Cd/bildungsbericht.pdf
hold_lock .werte.bimo-tmp-Xy34Zw
expect_exit 0 bimo report "$SRC/tests/data/report/werte.md" -o werte --force --period 2024
expect_contains "$OUT" "removed 2 temporary folder(s) left by an interrupted report" "leftovers named"
expect_eq "$(ls -a . | grep '^\.werte\.' | tr '\n' ' ')" ".werte.bimo-tmp-Xy34Zw " \
    "only the folder a running report holds is left"
release_lock
expect_exit 0 bimo report "$SRC/tests/data/report/werte.md" -o werte --force --period 2024 -q
expect_eq "$OUT" "" "--quiet prints nothing"
expect_eq "$(ls -a . | grep -c '^\.werte\.')" "0" "its lock gone, the next run removes it"

# --intern: no disclosure control, every page marked.
expect_exit 0 bimo report "$SRC/tests/data/report/werte.md" -o intern --intern --quiet
pages=$(pdfinfo intern/bildungsbericht.pdf | awk '/^Pages:/ {print $2}')
marked=0
for p in $(seq 2 "$pages"); do
    pdftotext -f "$p" -l "$p" intern/bildungsbericht.pdf - | grep -q "INTERN – nicht zur Veröffentlichung" &&
        marked=$((marked + 1))
done
expect_eq "$marked" "$((pages - 1))" "every page after the cover marked intern"
finish
