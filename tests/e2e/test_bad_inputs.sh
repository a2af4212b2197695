#!/bin/bash
# test_bad_inputs.sh — every malformed file in tests/data/bad/ through the real binary, as listed in
# its MANIFEST.tsv: the exit code, the message, and where the message points (FILE:LINE:COLUMN in
# stderr, or the first rejected row's line and column). After all of them the store is intact and
# holds no row of any failed import.
. "$TESTS_DIR/e2e/lib.sh"
BAD="$TESTS_DIR/data/bad"
db() { sqlite3 -batch s.db "$@"; }

expect_exit 0 "$BIMO" --db s.db init
cases=0
while IFS=$'\t' read -r file command want where message; do
    case $file in '#'* | '') continue ;; esac
    cases=$((cases + 1))
    read -r -a args <<<"$command"
    # import SOURCE FILE [OPTIONS] or import table NAME FILE: the options follow the file
    if [ "${args[0]}" = table ]; then
        expect_exit "$want" "$BIMO" --db s.db import table "${args[1]}" "$BAD/$file" "${args[@]:2}"
    else
        expect_exit "$want" "$BIMO" --db s.db import "${args[0]}" "$BAD/$file" "${args[@]:1}"
    fi
    expect_contains "$OUT$ERR" "$message" "$file: message"
    if [ "$where" != - ]; then
        line=${where%%:*}
        col=${where#*:}
        [ "$col" = "$where" ] && col=
        loc="$BAD/$file:$line:${col:+$col:}"
        case $ERR in
        *"$loc"*) pass ;;
        *)
            id=$(sed -n 's/.*recorded as import \([0-9]*\).*/\1/p' <<<"$ERR")
            first=$("$BIMO" --db s.db rejects "${id:-0}" 2>/dev/null | sed -n 2p | cut -d, -f1,2)
            expect_eq "$first" "$line,$col" "$file: where (neither $loc in stderr nor the first reject)"
            ;;
        esac
    fi
done <"$BAD/MANIFEST.tsv"
expect_eq "$(( cases >= 40 ))" 1 "at least 40 malformed files ($cases)"
expect_eq "$(ls "$BAD" | grep -vc '^MANIFEST.tsv$')" "$cases" "every file in tests/data/bad is in the manifest"

# The failed imports left nothing: only header_only.csv (no rows), formula_in_id.csv (2 rows,
# the identifier pseudonymised like any other) and the table with a formula cell loaded.
expect_eq "$(db "PRAGMA integrity_check")" "ok" "store intact"
expect_eq "$(db "SELECT count(*) FROM melderegister")" "2" "only the two rows of formula_in_id.csv"
expect_eq "$(db "SELECT count(*) FROM melderegister WHERE person LIKE '%HYPERLINK%'")" "0" "the identifier is not stored as given"
expect_eq "$(db "SELECT count(*) FROM schule") $(db "SELECT count(*) FROM schulabgang") $(db "SELECT count(*) FROM aufenthalt") $(db "SELECT count(*) FROM integrationskurs")" \
    "0 0 0 0" "no row of a failed import"
# A formula in a published table is data: kept verbatim as text, never evaluated.
expect_eq "$(db "SELECT typeof(name), name FROM ext_bad WHERE gemeinde = '03459024'")" \
    'text|=HYPERLINK("http://example.org";"Bramsche")' "formula cell kept as text"
finish
