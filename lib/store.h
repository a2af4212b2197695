/* store.h — private access to the SQLite store for the library's modules.
 * The public side (open/close/provenance) is declared in bimo.h. */
#ifndef BIMO_STORE_H
#define BIMO_STORE_H

#include <sqlite3.h>

#include "bimo.h"

#define BIMO_KEY_BYTES 32

sqlite3 *bimo_store_db(bimo_store *store);
const unsigned char *bimo_store_key(const bimo_store *store);

/* Opens another connection to the store's file (flags: SQLITE_OPEN_READONLY or _READWRITE),
 * the way the store itself was opened (immutable on a read-only file system). Returns the SQLite
 * result; *db must be closed with sqlite3_close() also on failure. */
int bimo_store_connect(const bimo_store *store, int flags, sqlite3 **db);

/* Maps the last SQLite error of db to a status and message (BUSY -> BIMO_ERR_BUSY). */
bimo_status bimo_store_fail(sqlite3 *db, bimo_error *err, const char *what);

/* Runs one or more statements without results. */
bimo_status bimo_store_exec(bimo_store *store, const char *sql, bimo_error *err);

#endif
