/* sqlfuncs.h — read-only connections to the store for indicator SQL and "bimo sql": the
 * authorizer that only lets statements read, and bimo's SQL functions. */
#ifndef BIMO_SQLFUNCS_H
#define BIMO_SQLFUNCS_H

#include <sqlite3.h>
#include <stdio.h>

#include "bimo.h"

/* What the authorizer refused first, for the message. */
typedef struct bimo_sql_guard {
    int allow_pragmas; /* 1: reading PRAGMAs (table_info, user_version, ...) are allowed */
    int schema;        /* 1: what was refused changes the schema (CREATE, DROP, ...) */
    char denied[192];  /* e.g. "INSERT into melderegister"; empty while nothing was refused */
} bimo_sql_guard;

/* Opens the store file read-only (SQLITE_OPEN_READONLY, query_only, defensive, no extensions),
 * installs the read-only authorizer with guard as its state (guard must outlive the
 * connection) and registers the SQL functions. The connection stays in one read transaction
 * until it is closed: everything read through it (a whole report, many tables) comes from one
 * state of the store, whatever imports commit meanwhile. *out is closed with sqlite3_close(). */
bimo_status bimo_sql_open_readonly(bimo_store *store, bimo_sql_guard *guard, sqlite3 **out,
                                   bimo_error *err);

/* Whether preparing sql on a guarded connection was refused (by the authorizer, or because
 * it would write); if so, writes what was refused into buf, e.g. "DELETE from melderegister"
 * or "DROP TABLE (a change of the database schema)". rc is sqlite3_prepare's result. */
int bimo_sql_refused(sqlite3 *db, const bimo_sql_guard *guard, int rc, sqlite3_stmt *stmt,
                     const char *sql, char *buf, size_t size);

/* Registers on db: bimo_age(born, at) completed years; bimo_days(a, b) days from a to b;
 * bimo_add_months(date, n); bimo_date(date) as "YYYY-MM-DD"; bimo_altersgruppe(born, at)
 * the code of the age group (indicators/codes/altersgruppen.csv); bimo_altersgruppe_of(age)
 * the same for an age in completed years (the summary tables' alter_jahre). Dates are yyyymmdd
 * integers; NULL in, NULL out. */
bimo_status bimo_sql_register_functions(sqlite3 *db, bimo_error *err);

/* True when s holds nothing but spaces, semicolons and "--" comments: what may follow the
 * one statement of an indicator file or of "bimo sql". */
int bimo_sql_is_blank(const char *s);

/* Writes s as one CSV field, quoted (RFC 4180) only when it holds a comma, quote or line end. */
void bimo_csv_write_field(FILE *out, const char *s);

#endif
