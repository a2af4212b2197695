/* provenance.h — recording an import run: its import_run row, its rejected rows (spilled to a
 * temporary file while reading, moved into reject_row at the end) and the reject threshold. */
#ifndef BIMO_PROVENANCE_H
#define BIMO_PROVENANCE_H

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "bimo.h"

/* The rejected rows of one run. They go to a temporary file rather than the store, so a run
 * that is rolled back can still record them after the rollback. */
typedef struct bimo_rejects {
    FILE *spill;
    int64_t count;
    char first_reasons[3][256]; /* "line N: reason" of the first three */
} bimo_rejects;

/* Creates the spill file; BIMO_ERR_IO if no temporary file can be made. */
bimo_status bimo_rejects_open(bimo_rejects *rj, bimo_error *err);

/* Counts a rejected row and spills it (raw: the row as read, UTF-8, raw_len bytes). */
void bimo_rejects_add(bimo_rejects *rj, int64_t line, long column, const char *reason,
                      const char *raw, size_t raw_len);

/* Writes every spilled row into reject_row for import_id (inside the caller's transaction).
 * The spill can be stored more than once (after a rollback, into the failed run). */
bimo_status bimo_rejects_store(bimo_rejects *rj, sqlite3 *db, int64_t import_id, bimo_error *err);

/* Closes the spill file. Safe on a zeroed or already closed struct. */
void bimo_rejects_close(bimo_rejects *rj);

/* The effective share for the max_reject_share option (0: 1 %, BIMO_NO_REJECTS: none). */
double bimo_reject_share(double option);

/* True when rejected rows exceed the allowed share of the rows read. */
int bimo_rejects_over(double option, int64_t rejected, int64_t read);

/* "R of N rows rejected, more than the allowed P %; nothing was loaded. First reasons: ..." */
void bimo_rejects_message(const bimo_rejects *rj, double option, int64_t rejected, int64_t read,
                          char *buf, size_t size);

/* The figures written into a run's import_run row when it ends. */
typedef struct bimo_run_figures {
    const char *sha256, *encoding, *delimiter, *stichtag;
    int64_t size_bytes, rows_read, rows_loaded, rows_rejected;
    const char *status;  /* loaded, rolled-back, dry-run, failed */
    const char *message; /* NULL when the run loaded */
} bimo_run_figures;

/* Starts the run's transaction (BEGIN IMMEDIATE) and inserts its import_run row with status
 * "running"; *import_id is the new row's id. started is ISO 8601 UTC. On failure no
 * transaction is left open. */
bimo_status bimo_run_begin(sqlite3 *db, const char *source, const char *file_name,
                           const char *started, int64_t *import_id, bimo_error *err);

/* Writes the run's final figures into its import_run row (inside the transaction). */
bimo_status bimo_run_finish(sqlite3 *db, int64_t import_id, const bimo_run_figures *f,
                            bimo_error *err);

/* The current time as ISO 8601 UTC ("2025-12-31T23:59:59Z"). */
void bimo_iso_now(char buf[32]);

/* Seconds on the monotonic clock since t0. */
double bimo_seconds_since(const struct timespec *t0);

/* The delimiter as recorded in provenance: ";", ",", "tab" ("?" if unknown). */
const char *bimo_delimiter_name(int delimiter);

/* Passes a formatted notice (e.g. an ignored column) to opt->notice, if set. */
void bimo_import_notice(const bimo_import_options *opt, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
