#!/bin/bash
# test_cli.sh — the bimo command's global behaviour: help, version, init, status, exit codes,
# file permissions, and that the man page and --help list the same commands.
. "$TESTS_DIR/e2e/lib.sh"

expect_exit 0 "$BIMO" --version
expect_contains "$OUT" "bimo 0.1.0" "--version"

expect_exit 0 "$BIMO" --help
HELP=$OUT
expect_exit 64 "$BIMO"
expect_exit 64 "$BIMO" no-such-command
expect_contains "$ERR" 'unknown command "no-such-command"' "unknown command message"

# Commands in --help and in the man page are the same set.
help_cmds=$(printf '%s\n' "$HELP" | sed -n '/^Commands:/,/^$/p' | awk 'NF && !/Commands:/ {print $1}' | sort)
man_cmds=$(sed -n '/^\.SH COMMANDS/,/^\.SH /p' "$TESTS_DIR/../cli/bimo.1" | awk '/^\.B / {print $2}' | sort)
expect_eq "$man_cmds" "$help_cmds" "man page commands vs --help"
for c in $help_cmds; do
    expect_exit 0 "$BIMO" "$c" --help
    expect_contains "$OUT" "Usage: bimo" "$c --help"
done

# status on a missing store: exit 66 and a hint.
expect_exit 66 "$BIMO" --db missing.db status
expect_contains "$ERR" "bimo init" "missing store hint"

# init creates store and key with mode 0600, whatever the umask.
umask 022
expect_exit 0 "$BIMO" --db s.db init
expect_eq "$(stat -c %a s.db)" "600" "store mode"
expect_eq "$(stat -c %a s.db.key)" "600" "key mode"
expect_eq "$(stat -c %s s.db.key)" "32" "key size"
expect_exit 73 "$BIMO" --db s.db init
expect_contains "$ERR" "already exists" "init twice"

# BIMO_DB is the default store.
BIMO_DB=s.db expect_exit 0 "$BIMO" status
expect_contains "$OUT" "schema version: $(sed -n 's/^#define BIMO_SCHEMA_VERSION //p' \
    "$TESTS_DIR/../lib/bimo.h")" "status schema"
expect_contains "$OUT" "imports:        none yet" "status imports"

# Files readable by others are refused.
chmod 644 s.db.key
expect_exit 77 "$BIMO" --db s.db status
expect_contains "$ERR" "accessible to other users" "key readable by others"
chmod 600 s.db.key
chmod 640 s.db
expect_exit 77 "$BIMO" --db s.db status
chmod 600 s.db

# Missing key.
mv s.db.key k
expect_exit 66 "$BIMO" --db s.db status
expect_contains "$ERR" "pseudonym key" "missing key"
mv k s.db.key

# A store written by a newer bimo.
sqlite3 s.db "PRAGMA user_version = 99"
expect_exit 65 "$BIMO" --db s.db status
expect_contains "$ERR" "schema version 99" "newer schema"
expect_contains "$ERR" "use a newer bimo" "newer schema hint"

# Not a database at all.
head -c 4096 /dev/urandom > junk.db; chmod 600 junk.db; cp s.db.key junk.db.key
expect_exit 65 "$BIMO" --db junk.db status

finish
