#!/bin/bash
# test_install.sh — "meson install" puts the program, library, header, pkg-config file, man
# page and data folders in place, and the installed bimo finds its data through BIMO_DATA.
. "$TESTS_DIR/e2e/lib.sh"
DEST="$WORK/dest"
expect_exit 0 meson install -C "$BUILD_ROOT" --destdir "$DEST" --no-rebuild --quiet
PREFIX=$(meson introspect "$BUILD_ROOT" --buildoptions | python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"][0])')
ROOT="$DEST$PREFIX"
for f in bin/bimo include/bimo.h share/man/man1/bimo.1 share/bimo/indicators/codes/staaten.csv \
         share/bimo/sample-data/landkreis-osnabrueck/gemeinden.csv share/bimo/report-templates/README.md; do
    if [ -f "$ROOT/$f" ]; then pass; else fail "not installed: $f"; fi
done
LIB=$(find "$ROOT" -name 'libbimo.so*' -type f | head -1)
if [ -n "$LIB" ]; then pass; else fail "libbimo.so not installed"; fi
PC=$(find "$ROOT" -name bimo.pc | head -1)
expect_contains "$(cat "$PC" 2>/dev/null)" "Name: bimo" "pkg-config file"
if find "$ROOT/share/bimo" -path '*example*' | grep -q .; then fail "example extracts installed"; else pass; fi

# The installed program looks under $prefix/share/bimo, which the staging folder is not:
# it says so, and BIMO_DATA points it to the staged data.
export LD_LIBRARY_PATH="$(dirname "$LIB")"
unset BIMO_DATA
# init copies the code lists into the new store: without the data folder it fails and leaves
# no store behind.
if [ -d "$PREFIX/share/bimo" ]; then pass; else
    expect_exit 66 "$ROOT/bin/bimo" --db s.db init
    expect_contains "$ERR" "data folder $PREFIX/share/bimo does not exist (set BIMO_DATA)" "init without data"
    expect_eq "$(ls s.db s.db.key 2>/dev/null)" "" "no store left behind"
fi
BIMO_DATA="$ROOT/share/bimo" expect_exit 0 "$ROOT/bin/bimo" --db s.db init
printf 'person_id;geburtsdatum;geschlecht;staatsangehoerigkeit;ags\nX1;01.01.1990;m;000;03459024\n' > m.csv
if [ -d "$PREFIX/share/bimo" ]; then pass; else
    expect_exit 66 "$ROOT/bin/bimo" --db s.db import melderegister m.csv --stichtag 31.12.2025
    expect_contains "$ERR" "data folder $PREFIX/share/bimo does not exist (set BIMO_DATA)" "installed data lookup"
fi
BIMO_DATA="$ROOT/share/bimo" expect_exit 0 "$ROOT/bin/bimo" --db s.db import melderegister m.csv --stichtag 31.12.2025
expect_contains "$OUT" "1 rows read, 1 loaded" "installed bimo imports with BIMO_DATA"
finish
