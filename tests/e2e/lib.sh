# lib.sh — helpers for the end-to-end tests: a scratch folder and assertions that name
# what failed. Each test script sources this file and calls its checks in order.
set -u
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bimo-e2e.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 1
FAILS=0
CHECKS=0

fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
pass() { CHECKS=$((CHECKS + 1)); }

# expect_exit CODE CMD...: runs CMD, keeps stdout in $OUT and stderr in $ERR.
expect_exit() {
    local want=$1; shift
    "$@" >"$WORK/.out" 2>"$WORK/.err"
    local got=$?
    OUT=$(cat "$WORK/.out"); ERR=$(cat "$WORK/.err")
    if [ "$got" -ne "$want" ]; then
        fail "exit $got, expected $want: $*"; echo "  stderr: $ERR" >&2
    else pass; fi
}

# expect_contains TEXT NEEDLE DESCRIPTION
expect_contains() {
    case "$1" in *"$2"*) pass ;; *) fail "$3: expected to find \"$2\" in: $1" ;; esac
}

expect_eq() {
    if [ "$1" = "$2" ]; then pass; else fail "$3: got \"$1\", expected \"$2\""; fi
}

finish() {
    echo "$CHECKS checks passed, $FAILS failed"
    [ "$FAILS" -eq 0 ]
    exit $?
}

# hold_lock PATH: a background process holds flock on PATH, as a running bimo holds its
# temporary output, until release_lock; returns once the lock is held.
hold_lock() {
    flock -o "$1" sleep 60 >/dev/null 2>&1 &
    HOLDER=$!
    for _ in $(seq 200); do
        flock -n "$1" true 2>/dev/null || return 0
        sleep 0.05
    done
    fail "could not hold a lock on $1"
}

release_lock() {
    pkill -P "$HOLDER" 2>/dev/null
    kill "$HOLDER" 2>/dev/null
    wait "$HOLDER" 2>/dev/null
}
