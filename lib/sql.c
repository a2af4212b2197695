/* sql.c — bimo sql: one read-only statement on the store, written as a table, CSV or JSON.
 * CSV and JSON stream row by row; the table keeps the rows to align its columns. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "sqlfuncs.h"
#include "store.h"

/* The text of a value: numbers as SQLite prints them, blobs as hex, NULL as NULL. */
static char *value_text(sqlite3_stmt *q, int c)
{
    switch (sqlite3_column_type(q, c)) {
    case SQLITE_NULL: return NULL;
    case SQLITE_FLOAT: {
        char buf[64];
        snprintf(buf, sizeof buf, "%.15g", sqlite3_column_double(q, c));
        return strdup(buf);
    }
    case SQLITE_BLOB: {
        const unsigned char *b = sqlite3_column_blob(q, c);
        int n = sqlite3_column_bytes(q, c);
        char *hex = malloc((size_t)n * 2 + 1);
        for (int i = 0; hex && i < n; i++)
            snprintf(hex + 2 * i, 3, "%02x", b[i]);
        if (hex)
            hex[2 * n] = '\0';
        return hex;
    }
    default: {
        const char *t = (const char *)sqlite3_column_text(q, c);
        return strdup(t ? t : "");
    }
    }
}

static int csv_row(sqlite3_stmt *q, FILE *out)
{
    for (int c = 0; c < sqlite3_column_count(q); c++) {
        if (c)
            fputc(',', out);
        if (sqlite3_column_type(q, c) == SQLITE_NULL)
            continue;
        char *v = value_text(q, c);
        if (!v)
            return -1;
        bimo_csv_write_field(out, v);
        free(v);
    }
    fputc('\n', out);
    return 0;
}

static json_t *json_value(sqlite3_stmt *q, int c)
{
    switch (sqlite3_column_type(q, c)) {
    case SQLITE_NULL: return json_null();
    case SQLITE_INTEGER: return json_integer(sqlite3_column_int64(q, c));
    case SQLITE_FLOAT: return json_real(sqlite3_column_double(q, c));
    default: {
        char *v = value_text(q, c);
        json_t *s = v ? json_string(v) : NULL;
        free(v);
        return s ? s : json_null(); /* text that is not UTF-8 becomes null */
    }
    }
}

static int json_row(sqlite3_stmt *q, FILE *out, int first)
{
    json_t *o = json_object();
    for (int c = 0; o && c < sqlite3_column_count(q); c++)
        json_object_set_new(o, sqlite3_column_name(q, c), json_value(q, c));
    char *text = o ? json_dumps(o, JSON_REAL_PRECISION(15)) : NULL;
    json_decref(o);
    if (!text)
        return -1;
    fprintf(out, "%s\n  %s", first ? "" : ",", text);
    free(text);
    return 0;
}

/* ---- Table ---------------------------------------------------------------------------------- */

typedef struct {
    int ncols;
    size_t nrows, cap;
    char **cells; /* nrows * ncols; NULL is SQL NULL */
    size_t *w;
    int *right;
} grid;

static size_t width(const char *s)
{
    size_t w = 0;
    for (; s && *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

static void grid_free(grid *g)
{
    for (size_t i = 0; i < g->nrows * (size_t)g->ncols; i++)
        free(g->cells[i]);
    free(g->cells);
    free(g->w);
    free(g->right);
}

static int grid_row(grid *g, sqlite3_stmt *q)
{
    if (g->nrows == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 64;
        char **c = realloc(g->cells, cap * (size_t)g->ncols * sizeof *c);
        if (!c)
            return -1;
        g->cells = c;
        g->cap = cap;
    }
    char **row = g->cells + g->nrows * (size_t)g->ncols;
    for (int c = 0; c < g->ncols; c++) {
        int t = sqlite3_column_type(q, c);
        row[c] = value_text(q, c);
        if (!row[c] && t != SQLITE_NULL) {
            for (int k = 0; k < c; k++)
                free(row[k]);
            return -1;
        }
        if (t == SQLITE_TEXT || t == SQLITE_BLOB)
            g->right[c] = 0;
        if (width(row[c] ? row[c] : "NULL") > g->w[c])
            g->w[c] = width(row[c] ? row[c] : "NULL");
    }
    g->nrows++;
    return 0;
}

static void grid_print(const grid *g, sqlite3_stmt *q, FILE *out)
{
    for (int pass = 0; pass < 2; pass++) {
        for (int c = 0; c < g->ncols; c++) {
            const char *h = sqlite3_column_name(q, c);
            fputs(c ? "  " : "", out);
            size_t n = pass ? g->w[c] : width(h);
            if (!pass && g->right[c])
                for (size_t i = n; i < g->w[c]; i++)
                    fputc(' ', out);
            for (size_t i = 0; pass && i < n; i++)
                fputc('-', out);
            if (!pass)
                fputs(h, out);
            if (!pass && !g->right[c] && c + 1 < g->ncols)
                for (size_t i = n; i < g->w[c]; i++)
                    fputc(' ', out);
        }
        fputc('\n', out);
    }
    for (size_t r = 0; r < g->nrows; r++) {
        for (int c = 0; c < g->ncols; c++) {
            const char *v = g->cells[r * (size_t)g->ncols + (size_t)c];
            size_t n = width(v ? v : "NULL");
            fputs(c ? "  " : "", out);
            for (size_t i = n; g->right[c] && i < g->w[c]; i++)
                fputc(' ', out);
            fputs(v ? v : "NULL", out);
            for (size_t i = n; !g->right[c] && c + 1 < g->ncols && i < g->w[c]; i++)
                fputc(' ', out);
        }
        fputc('\n', out);
    }
    fprintf(out, "(%zu row%s)\n", g->nrows, g->nrows == 1 ? "" : "s");
}

/* ---- Running -------------------------------------------------------------------------------- */

static bimo_status prepare(sqlite3 *db, const bimo_sql_guard *guard, const char *sql,
                           sqlite3_stmt **q, bimo_error *err)
{
    const char *tail = NULL;
    char what[256];
    int rc = sqlite3_prepare_v2(db, sql, -1, q, &tail);
    if (bimo_sql_refused(db, guard, rc, *q, sql, what, sizeof what))
        return bimo_fail(err, BIMO_ERR_PERM,
                         "refused: %s; bimo sql only reads (no INSERT, UPDATE, DELETE, CREATE, "
                         "DROP, ATTACH, transactions, extensions or writing PRAGMAs)",
                         what);
    if (rc != SQLITE_OK) {
        long line = 0, col = 0;
        for (int i = 0, off = sqlite3_error_offset(db); off >= 0 && i <= off && sql[i]; i++) {
            line += line == 0;
            if (i == off)
                break;
            if (sql[i] == '\n') {
                line++;
                col = 0;
            } else if (((unsigned char)sql[i] & 0xC0) != 0x80) {
                col++;
            }
        }
        return bimo_fail_at(err, BIMO_ERR_PARSE, line ? "SQL" : NULL, line, line ? col + 1 : 0,
                            "%s", sqlite3_errmsg(db));
    }
    if (!*q)
        return bimo_fail(err, BIMO_ERR_ARG, "no SQL statement given");
    if (!bimo_sql_is_blank(tail))
        return bimo_fail(err, BIMO_ERR_ARG,
                         "give one statement at a time (found more after "
                         "the first ';')");
    return BIMO_OK;
}

static bimo_status run(sqlite3 *db, sqlite3_stmt *q, bimo_format format, FILE *out, bimo_error *err)
{
    grid g = {.ncols = sqlite3_column_count(q)};
    if (format == BIMO_FORMAT_TABLE) {
        g.w = calloc((size_t)g.ncols + 1, sizeof *g.w);
        g.right = calloc((size_t)g.ncols + 1, sizeof *g.right);
        if (!g.w || !g.right) {
            grid_free(&g);
            return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
        }
        for (int c = 0; c < g.ncols; c++) {
            g.w[c] = width(sqlite3_column_name(q, c));
            g.right[c] = 1;
        }
    } else if (format == BIMO_FORMAT_CSV) {
        for (int c = 0; c < g.ncols; c++) {
            fputs(c ? "," : "", out);
            bimo_csv_write_field(out, sqlite3_column_name(q, c));
        }
        fputc('\n', out);
    } else {
        fputc('[', out);
    }
    int rc, fail = 0;
    size_t n = 0;
    while (!fail && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        fail = format == BIMO_FORMAT_TABLE ? grid_row(&g, q)
               : format == BIMO_FORMAT_CSV ? csv_row(q, out)
                                           : json_row(q, out, n == 0);
        n++;
    }
    bimo_status st = BIMO_OK;
    if (fail)
        st = bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    else if (rc != SQLITE_DONE)
        st = bimo_store_fail(db, err, "SQL");
    else if (format == BIMO_FORMAT_TABLE)
        grid_print(&g, q, out);
    else if (format == BIMO_FORMAT_JSON)
        fputs(n ? "\n]\n" : "]\n", out);
    grid_free(&g);
    if (st == BIMO_OK && ferror(out))
        st = bimo_fail(err, BIMO_ERR_IO, "cannot write the output");
    return st;
}

bimo_status bimo_sql_query(bimo_store *store, const char *sql, bimo_format format, FILE *out,
                           bimo_error *err)
{
    if (!store || !sql || !out)
        return bimo_fail(err, BIMO_ERR_ARG, "bimo_sql_query: store, sql and out are required");
    bimo_sql_guard guard = {.allow_pragmas = 1};
    sqlite3 *db;
    bimo_status st = bimo_sql_open_readonly(store, &guard, &db, err);
    if (st != BIMO_OK)
        return st;
    sqlite3_stmt *q = NULL;
    st = prepare(db, &guard, sql, &q, err);
    if (st == BIMO_OK)
        st = run(db, q, format, out, err);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return st;
}
