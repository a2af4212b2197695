/* provenance.c — the record every import leaves in the store: its import_run row, its rejected
 * rows and the threshold that decides whether a run with rejects may load. */
#include "provenance.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "store.h"

/* ---- Rejects ------------------------------------------------------------------------ */

bimo_status bimo_rejects_open(bimo_rejects *rj, bimo_error *err)
{
    memset(rj, 0, sizeof *rj);
    if (!(rj->spill = tmpfile()))
        return bimo_fail(err, BIMO_ERR_IO, "cannot create a temporary file: %s", strerror(errno));
    return BIMO_OK;
}

void bimo_rejects_add(bimo_rejects *rj, int64_t line, long column, const char *reason,
                      const char *raw, size_t raw_len)
{
    rj->count++;
    if (rj->count <= 3)
        snprintf(rj->first_reasons[rj->count - 1], sizeof rj->first_reasons[0], "line %lld: %s",
                 (long long)line, reason);
    if (!rj->spill)
        return;
    /* Record: line, column (int64), reason length (uint32), reason, raw length, raw. */
    uint32_t rlen = (uint32_t)strlen(reason), wlen = (uint32_t)raw_len;
    int64_t col = column;
    fwrite(&line, sizeof line, 1, rj->spill);
    fwrite(&col, sizeof col, 1, rj->spill);
    fwrite(&rlen, sizeof rlen, 1, rj->spill);
    fwrite(reason, 1, rlen, rj->spill);
    fwrite(&wlen, sizeof wlen, 1, rj->spill);
    fwrite(raw, 1, wlen, rj->spill);
}

/* Reads len bytes of the spill into *buf, growing it; -1 if the file ends early. */
static int read_text(FILE *f, uint32_t len, char **buf, size_t *cap)
{
    if (*cap < (size_t)len + 1) {
        char *p = realloc(*buf, (size_t)len + 1);
        if (!p)
            return -1;
        *buf = p;
        *cap = (size_t)len + 1;
    }
    return fread(*buf, 1, len, f) == len ? 0 : -1;
}

bimo_status bimo_rejects_store(bimo_rejects *rj, sqlite3 *db, int64_t import_id, bimo_error *err)
{
    if (!rj->spill || fflush(rj->spill) != 0 || fseek(rj->spill, 0, SEEK_SET) != 0)
        return bimo_fail(err, BIMO_ERR_IO, "cannot read back the rejected rows");
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO reject_row (import_id, line, column, reason, raw)"
                           " VALUES (?, ?, ?, ?, ?)",
                           -1, &q, NULL) != SQLITE_OK)
        return bimo_store_fail(db, err, "cannot record rejected rows");
    bimo_status st = BIMO_OK;
    char *reason = NULL, *raw = NULL;
    size_t reason_cap = 0, raw_cap = 0;
    int64_t line, col;
    uint32_t rlen, wlen;
    while (st == BIMO_OK && fread(&line, sizeof line, 1, rj->spill) == 1) {
        if (fread(&col, sizeof col, 1, rj->spill) != 1 ||
            fread(&rlen, sizeof rlen, 1, rj->spill) != 1 ||
            read_text(rj->spill, rlen, &reason, &reason_cap) != 0 ||
            fread(&wlen, sizeof wlen, 1, rj->spill) != 1 ||
            read_text(rj->spill, wlen, &raw, &raw_cap) != 0) {
            st = bimo_fail(err, BIMO_ERR_IO, "the rejected rows file is damaged");
            break;
        }
        sqlite3_bind_int64(q, 1, import_id);
        sqlite3_bind_int64(q, 2, line);
        sqlite3_bind_int64(q, 3, col);
        sqlite3_bind_text(q, 4, reason, (int)rlen, SQLITE_STATIC);
        sqlite3_bind_text(q, 5, raw ? raw : "", (int)wlen, SQLITE_STATIC);
        if (sqlite3_step(q) != SQLITE_DONE)
            st = bimo_store_fail(db, err, "cannot record rejected rows");
        sqlite3_reset(q);
    }
    free(reason);
    free(raw);
    sqlite3_finalize(q);
    return st;
}

void bimo_rejects_close(bimo_rejects *rj)
{
    if (rj->spill)
        fclose(rj->spill);
    rj->spill = NULL;
}

/* ---- Threshold ------------------------------------------------------------------------ */

double bimo_reject_share(double option)
{
    return option == 0 ? 0.01 : option < 0 ? 0 : option;
}

int bimo_rejects_over(double option, int64_t rejected, int64_t read)
{
    if (option < 0)
        return rejected > 0;
    return read > 0 && (double)rejected > bimo_reject_share(option) * (double)read;
}

void bimo_rejects_message(const bimo_rejects *rj, double option, int64_t rejected, int64_t read,
                          char *buf, size_t size)
{
    snprintf(buf, size,
             "%lld of %lld rows rejected, more than the allowed %.4g %%; nothing was loaded. "
             "First reasons: %s%s%s%s%s",
             (long long)rejected, (long long)read, bimo_reject_share(option) * 100,
             rj->first_reasons[0], rj->first_reasons[1][0] ? "; " : "", rj->first_reasons[1],
             rj->first_reasons[2][0] ? "; " : "", rj->first_reasons[2]);
}

/* ---- The import_run row ------------------------------------------------------------- */

bimo_status bimo_run_begin(sqlite3 *db, const char *source, const char *file_name,
                           const char *started, int64_t *import_id, bimo_error *err)
{
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return bimo_store_fail(db, err, "cannot start the import");
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO import_run (source, file_name, started, status,"
                           " bimo_version) VALUES (?, ?, ?, 'running', ?)",
                           -1, &q, NULL) != SQLITE_OK) {
        bimo_status st = bimo_store_fail(db, err, "cannot record the import");
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return st;
    }
    sqlite3_bind_text(q, 1, source, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, file_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, started, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, bimo_version(), -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) {
        bimo_status st = bimo_store_fail(db, err, "cannot record the import");
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return st;
    }
    *import_id = sqlite3_last_insert_rowid(db);
    return BIMO_OK;
}

bimo_status bimo_run_finish(sqlite3 *db, int64_t import_id, const bimo_run_figures *f,
                            bimo_error *err)
{
    char finished[32];
    bimo_iso_now(finished);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db,
                           "UPDATE import_run SET sha256 = ?, size_bytes = ?, encoding = ?,"
                           " delimiter = ?, stichtag = ?, rows_read = ?, rows_loaded = ?,"
                           " rows_rejected = ?, finished = ?, status = ?, message = ?"
                           " WHERE id = ?",
                           -1, &q, NULL) != SQLITE_OK)
        return bimo_store_fail(db, err, "cannot record the import");
    sqlite3_bind_text(q, 1, f->sha256, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, f->size_bytes);
    sqlite3_bind_text(q, 3, f->encoding, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, f->delimiter, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, f->stichtag, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 6, f->rows_read);
    sqlite3_bind_int64(q, 7, f->rows_loaded);
    sqlite3_bind_int64(q, 8, f->rows_rejected);
    sqlite3_bind_text(q, 9, finished, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 10, f->status, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 11, f->message, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 12, import_id);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? BIMO_OK : bimo_store_fail(db, err, "cannot record the import");
}

/* ---- Small helpers -------------------------------------------------------------------- */

void bimo_iso_now(char buf[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

double bimo_seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

const char *bimo_delimiter_name(int d)
{
    return d == '\t' ? "tab" : d == ',' ? "," : d == ';' ? ";" : d == '|' ? "|" : "?";
}

void bimo_import_notice(const bimo_import_options *opt, const char *fmt, ...)
{
    if (!opt->notice)
        return;
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    opt->notice(msg, opt->ctx);
}
