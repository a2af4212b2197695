#!/bin/bash
# fuzz.sh [SECONDS] — builds the libFuzzer targets (fuzz/) with clang-14 under address and
# undefined-behaviour sanitizers in build-fuzz/ and runs each for SECONDS (default 60), FUZZ_JOBS
# (default 2) at a time. Corpora start from the tests' data and grow in build-fuzz/corpus/;
# anything found is written to build-fuzz/findings/. Prints one line per target (runs, time,
# findings) and exits 1 if any target found something.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
seconds=${1:-60}
jobs=${FUZZ_JOBS:-2}
build=${FUZZ_BUILD:-build-fuzz}
root=$PWD

if [ ! -f "$build/build.ninja" ]; then
    setup_log=$(mktemp)
    CC=clang-14 meson setup "$build" -Dfuzz=true -Dwerror=true -Db_sanitize=address,undefined \
        -Db_lundef=false >"$setup_log" 2>&1 || { cat "$setup_log"; rm -f "$setup_log"; exit 1; }
    rm -f "$setup_log"
fi
sources=(melderegister aufenthalt integrationskurs schule schulabgang)
targets=(csv_reader values codes indicator template import_table)
for s in "${sources[@]}"; do targets+=("import_$s"); done
meson compile -C "$build" -j 2 "${targets[@]/#/fuzz_}" >"$build/fuzz-compile.log" 2>&1 ||
    { tail -40 "$build/fuzz-compile.log"; exit 1; }

# seed DIR FILE...: copies files into the seed folder (the csv reader's seeds get the option
# byte it reads first: 0, the defaults).
seed() {
    local dir=$1 prefix=$2; shift 2
    mkdir -p "$dir"
    for f in "$@"; do
        [ -f "$f" ] || continue
        { printf "$prefix"; cat "$f"; } >"$dir/$(basename "$f")"
    done
}
seeds=$build/seeds
rm -rf "$seeds"
csvs=(tests/data/import/*.csv tests/data/indicators/*.csv tests/data/indicators/*/*.csv
      tests/data/bad/*)
seed "$seeds/csv_reader" '\000' "${csvs[@]}"
seed "$seeds/import_table" '' "${csvs[@]}"
seed "$seeds/indicator" '' indicators/*.sql
seed "$seeds/template" '\000' report-templates/*.md tests/data/report/*.md
for s in "${sources[@]}"; do
    seed "$seeds/import_$s" '' tests/data/import/"${s:0:5}"*.csv tests/data/indicators/*/"$s"_*.csv \
        tests/data/indicators/"$s".csv
done
mkdir -p "$seeds/values" "$seeds/codes"
i=0
for v in 31.12.2025 2024-02-29 1.3.2024 00.00.0000 2024/25 2024/2025 03459024 3459024 \
    "1.234,5" 1234.5 -17 "[x]" ... x "Einwohner (insgesamt)" "1.234.567" 9223372036854775807; do
    printf '%s' "$v" >"$seeds/values/$((i++))"
done
for v in TUR 475 Türkei Syrien GYM Gymnasium "§ 25 Abs. 2 AufenthG" 03459024 Bramsche "Georgsmarienhütte"; do
    printf '%s' "$v" >"$seeds/codes/$((i++))"
done

dict_for() {
    case $1 in
    indicator) echo "-dict=$root/fuzz/indicator.dict" ;;
    template) echo "-dict=$root/fuzz/markdown.dict" ;;
    values | codes) echo "" ;;
    *) echo "-dict=$root/fuzz/csv.dict" ;;
    esac
}

run_one() { # target
    local t=$1 corpus=$build/corpus/$1 log=$build/logs/$1.log
    mkdir -p "$corpus" "$build/logs" "$build/findings"
    local max_len=4096
    case $t in import_* | csv_reader | template) max_len=16384 ;; esac
    # shellcheck disable=SC2046
    BIMO_DATA=$root ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
        UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$build/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
        -max_len=$max_len -print_final_stats=1 $(dict_for "$t") \
        -artifact_prefix="$build/findings/$t-" "$corpus" "$seeds/$t" >"$log" 2>&1
    local rc=$?
    local runs secs
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
    if [ $rc -eq 0 ]; then
        printf '%-28s %10s runs %5s s  no finding\n' "fuzz_$t" "${runs:-?}" "${secs:-?}"
    else
        printf '%-28s %10s runs %5s s  FINDING (exit %d), see %s\n' "fuzz_$t" "${runs:-?}" \
            "${secs:-?}" $rc "$log"
        grep -m3 -E 'ERROR|broken promise|SUMMARY' "$log" | sed 's/^/    /'
    fi
    return $rc
}
export -f run_one dict_for
export build seconds seeds root

printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one {}'
