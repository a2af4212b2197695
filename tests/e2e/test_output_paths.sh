#!/bin/bash
# test_output_paths.sh — template values never become paths: a report template whose title,
# subtitle, figure and table titles and sheet names are "../" paths, absolute paths and shell
# text writes exactly the report's own files inside -o DIR, and nothing anywhere else. Hidden
# temporary files that killed runs left are removed by the next run writing the same name.
. "$TESTS_DIR/e2e/lib.sh"
bimo() { "$BIMO" --db s.db "$@"; }

expect_exit 0 "$BIMO" sample -o smp --persons 2000 --quiet
expect_exit 0 bimo init
for src in melderegister aufenthalt; do
    expect_exit 0 bimo import "$src" smp/"$src"_*.csv
done
mkdir -p out/deep
cat >evil.md <<'MD'
---
title: ../../../escaped-title
subtitle: /tmp/escaped-subtitle; rm -rf ~
district: ../district
period: 2025
---

# ../../chapter

Text {{BEV-1 value}}.

```bimo-figure
indicator: BEV-2
period: {P-2}..{P}
title: ../../../../escaped-figure
```

```bimo-table
indicator: AUF-1
by: gemeinde
title: /etc/escaped-table
sheet: ..escaped-sheet
```
MD
touch marker
sleep 1
expect_exit 0 bimo report evil.md -o out/deep/rep
# Every file written since the marker lies in out/deep/rep, and they are the report's own.
expect_eq "$(find "$WORK" /tmp -newer marker -type f 2>/dev/null | grep -v "^$WORK/out/deep/rep/" | grep -v "^$WORK/\.\(out\|err\)$" | grep -c escaped)" \
    "0" "no file named after a template value outside the folder"
expect_eq "$(find "$WORK" -newer marker -type f | grep -v "^$WORK/\.\(out\|err\)$" |
    grep -v "^$WORK/s\.db-\(wal\|shm\)$" | grep -vc "^$WORK/out/deep/rep/")" \
    "0" "nothing written outside the folder (but the store's SQLite side files)"
expect_eq "$(cd out/deep/rep && find . -type f | sort | tr '\n' ' ')" \
    "./abbildungen/abbildung-01.png ./abbildungen/abbildung-01.svg ./bildungsbericht.pdf ./bildungsbericht.xlsx " \
    "the report's own files, named by number"
expect_eq "$(ls -A out/deep)" "rep" "no temporary folder left beside it"
# A sheet name with a path separator is refused at its place in the template, before anything
# is written.
sed 's#^sheet: ..escaped-sheet#sheet: ../escaped-sheet#' evil.md >evil2.md
expect_exit 65 bimo report evil2.md -o out/deep/rep2
expect_contains "$ERR" "evil2.md:22:8: a sheet name has at most 31 characters and none of" "sheet with a slash"
expect_eq "$(ls -A out/deep)" "rep" "nothing written for the refused template"

# The hidden temporary file of a killed run (".NAME.bimo-tmp-XXXXXX") goes with the next run that
# writes NAME; one a running run holds (flock) stays, and so does a file of another name.
for f in .t.xlsx.bimo-tmp-Ab12Cd .t.xlsx.bimo-tmp-Xy34Zw .u.xlsx.bimo-tmp-Qr56St .t.xlsx.Ab12Cd; do
    echo partial >"out/$f"
done
hold_lock out/.t.xlsx.bimo-tmp-Xy34Zw
expect_exit 0 bimo workbook BEV-1 --period 2025 -o out/t.xlsx
expect_eq "$(ls -A out | grep -v '^deep$' | LC_ALL=C sort | tr '\n' ' ')" \
    ".t.xlsx.Ab12Cd .t.xlsx.bimo-tmp-Xy34Zw .u.xlsx.bimo-tmp-Qr56St t.xlsx " \
    "the leftover of t.xlsx removed; the held one and other names kept"
release_lock
expect_exit 0 bimo indicators compute BEV-1 --period 2025 --format csv -o out/u.xlsx
expect_exit 0 bimo workbook BEV-1 --period 2025 -o out/t.xlsx --force
expect_eq "$(ls -A out | grep -v '^deep$' | LC_ALL=C sort | tr '\n' ' ')" ".t.xlsx.Ab12Cd t.xlsx u.xlsx " \
    "the next runs remove the rest"
finish
