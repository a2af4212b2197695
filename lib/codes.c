/* codes.c — code lists: loading, matching by normalised key, and stable ids in the store.
 * Lists are small (at most a few hundred rows); lookups sit on the import's hot path. */
#include "codes.h"

#include <dirent.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_reader.h"
#include "error.h"
#include "store.h"

typedef struct {
    char *key; /* normalised */
    int row;
} code_slot;

struct bimo_codelist {
    char *name;
    size_t ncols;
    char **columns; /* column names; column 0 is "code" */
    size_t nrows;
    char **cells; /* nrows * ncols */
    int64_t *ids;
    code_slot *slots; /* open addressing, power of two */
    size_t nslots, nkeys;
};

size_t bimo_normalize_key(const char *text, size_t len, char *out, size_t size)
{
    size_t n = 0;
    /* Truncation stops before a character that no longer fits whole, so a long key is cut at
     * the same place whether its text spells "ö" or "oe". */
    for (size_t i = 0; i < len && n + 1 < size; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == 0xC3 && i + 1 < len) { /* Latin-1 supplement in UTF-8 */
            if (n + 2 >= size)
                break;
            unsigned char d = (unsigned char)text[++i];
            const char *fold = NULL;
            switch (d) {
            case 0xA4:
            case 0x84: fold = "ae"; break;
            case 0xB6:
            case 0x96: fold = "oe"; break;
            case 0xBC:
            case 0x9C: fold = "ue"; break;
            case 0x9F: fold = "ss"; break;
            }
            if (fold) {
                out[n++] = fold[0];
                out[n++] = fold[1];
            } else {
                out[n++] = (char)c;
                out[n++] = (char)d;
            }
            continue;
        }
        if (c == 0xC2 && i + 1 < len && (unsigned char)text[i + 1] == 0xA7) { /* § */
            i++;
            continue;
        }
        if (c == ' ' || c == '.' || c == '_' || c == '-' || c == '\t')
            continue;
        out[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    out[n] = '\0';
    return n;
}

static uint64_t hash_key(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int find_slot(const bimo_codelist *l, const char *key)
{
    size_t mask = l->nslots - 1;
    for (size_t i = hash_key(key) & mask;; i = (i + 1) & mask) {
        if (!l->slots[i].key)
            return -1 - (int)i;
        if (strcmp(l->slots[i].key, key) == 0)
            return (int)i;
    }
}

static bimo_status insert_key(bimo_codelist *l, const char *text, int row, bimo_error *err)
{
    char key[256];
    bimo_normalize_key(text, strlen(text), key, sizeof key);
    if (!key[0])
        return BIMO_OK;
    if ((l->nkeys + 1) * 2 > l->nslots) { /* keep the load under one half */
        size_t old_n = l->nslots;
        code_slot *old = l->slots;
        l->nslots = old_n ? old_n * 2 : 64;
        l->slots = calloc(l->nslots, sizeof *l->slots);
        if (!l->slots)
            return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
        for (size_t i = 0; i < old_n; i++)
            if (old[i].key)
                l->slots[-1 - find_slot(l, old[i].key)] = old[i];
        free(old);
    }
    int s = find_slot(l, key);
    if (s >= 0) /* the first spelling wins; a repeat is harmless */
        return BIMO_OK;
    char *copy = strdup(key);
    if (!copy)
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    l->slots[-1 - s] = (code_slot){copy, row};
    l->nkeys++;
    return BIMO_OK;
}

int bimo_codelist_find(const bimo_codelist *list, const char *text, size_t len)
{
    char key[256];
    bimo_normalize_key(text, len, key, sizeof key);
    if (!key[0] || !list->nslots)
        return -1;
    int s = find_slot(list, key);
    return s >= 0 ? list->slots[s].row : -1;
}

void bimo_codelist_free(bimo_codelist *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->nslots; i++)
        free(l->slots[i].key);
    for (size_t i = 0; i < l->nrows * l->ncols; i++)
        free(l->cells[i]);
    for (size_t i = 0; i < l->ncols; i++)
        free(l->columns[i]);
    free(l->slots);
    free(l->cells);
    free(l->columns);
    free(l->ids);
    free(l->name);
    free(l);
}

static int column_index(const bimo_codelist *l, const char *column)
{
    for (size_t i = 0; i < l->ncols; i++)
        if (strcmp(l->columns[i], column) == 0)
            return (int)i;
    return -1;
}

static bimo_status add_row(bimo_codelist *l, const bimo_csv_record *rec, const char *path,
                           bimo_error *err)
{
    if (rec->nfields != l->ncols)
        return bimo_fail_at(err, BIMO_ERR_PARSE, path, rec->line, 0,
                            "%zu fields, but the header has %zu", rec->nfields, l->ncols);
    if (rec->lengths[0] == 0)
        return bimo_fail_at(err, BIMO_ERR_PARSE, path, rec->line, 1, "empty code");
    char **cells = realloc(l->cells, (l->nrows + 1) * l->ncols * sizeof *cells);
    int64_t *ids = realloc(l->ids, (l->nrows + 1) * sizeof *ids);
    if (cells)
        l->cells = cells;
    if (ids)
        l->ids = ids;
    if (!cells || !ids)
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    int row = (int)l->nrows++;
    for (size_t c = 0; c < l->ncols; c++)
        l->cells[row * l->ncols + c] = NULL;
    for (size_t c = 0; c < l->ncols; c++)
        if (!(l->cells[row * l->ncols + c] = strdup(rec->fields[c])))
            return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    l->ids[row] = row + 1;
    if (bimo_codelist_find(l, rec->fields[0], rec->lengths[0]) >= 0)
        return bimo_fail_at(err, BIMO_ERR_DATA, path, rec->line, 1, "code \"%s\" appears twice",
                            rec->fields[0]);
    bimo_status st = insert_key(l, rec->fields[0], row, err);
    int alias_col = column_index(l, "aliase");
    if (st == BIMO_OK && alias_col >= 0) {
        char *aliases = l->cells[row * l->ncols + alias_col];
        for (char *p = aliases; st == BIMO_OK && *p;) {
            char *bar = strchr(p, '|');
            size_t n = bar ? (size_t)(bar - p) : strlen(p);
            char one[256];
            snprintf(one, sizeof one, "%.*s", (int)n, p);
            st = insert_key(l, one, row, err);
            p += n + (bar != NULL);
        }
    }
    return st;
}

bimo_status bimo_codelist_load(const char *path, const char *name, bimo_codelist **out,
                               bimo_error *err)
{
    *out = NULL;
    bimo_csv_reader *r;
    bimo_csv_options opt = {.encoding = "utf-8", .delimiter = ';'};
    bimo_status st = bimo_csv_open_path(path, &opt, &r, err);
    if (st != BIMO_OK)
        return st;
    bimo_codelist *l = calloc(1, sizeof *l);
    if (!l || !(l->name = strdup(name))) {
        free(l);
        bimo_csv_close(r);
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    }
    const bimo_csv_record *rec;
    while ((st = bimo_csv_next(r, &rec, err)) == BIMO_OK && rec) {
        if (rec->reject_reason) {
            st = bimo_fail_at(err, BIMO_ERR_PARSE, path, rec->line, rec->reject_column, "%s",
                              rec->reject_reason);
            break;
        }
        if (!l->columns) {
            l->ncols = rec->nfields;
            l->columns = calloc(l->ncols, sizeof *l->columns);
            if (!l->columns) {
                st = bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
                break;
            }
            for (size_t c = 0; c < l->ncols && st == BIMO_OK; c++) {
                char key[128];
                bimo_normalize_key(rec->fields[c], rec->lengths[c], key, sizeof key);
                if (!(l->columns[c] = strdup(key)))
                    st = bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
            }
            continue;
        }
        if ((st = add_row(l, rec, path, err)) != BIMO_OK)
            break;
    }
    bimo_csv_close(r);
    if (st == BIMO_OK && !l->columns)
        st = bimo_fail_at(err, BIMO_ERR_PARSE, path, 1, 0, "code list is empty");
    if (st != BIMO_OK) {
        bimo_codelist_free(l);
        return st;
    }
    *out = l;
    return BIMO_OK;
}

bimo_status bimo_codelist_load_named(const char *name, bimo_codelist **out, bimo_error *err)
{
    char dir[PATH_MAX], path[PATH_MAX + 64];
    bimo_status st = bimo_data_dir(dir, sizeof dir, err);
    if (st != BIMO_OK)
        return st;
    snprintf(path, sizeof path, "%s/indicators/codes/%s.csv", dir, name);
    return bimo_codelist_load(path, name, out, err);
}

bimo_status bimo_profile_dir(char *buf, size_t size, bimo_error *err)
{
    const char *env = getenv("BIMO_PROFILE");
    if (env && *env) {
        if ((size_t)snprintf(buf, size, "%s", env) >= size)
            return bimo_fail(err, BIMO_ERR_ARG, "BIMO_PROFILE is too long");
        return BIMO_OK;
    }
    char dir[PATH_MAX];
    bimo_status st = bimo_data_dir(dir, sizeof dir, err);
    if (st == BIMO_OK &&
        (size_t)snprintf(buf, size, "%s/sample-data/landkreis-osnabrueck", dir) >= size)
        st = bimo_fail(err, BIMO_ERR_ARG, "data folder path too long");
    return st;
}

bimo_status bimo_codelist_load_municipalities(bimo_codelist **out, bimo_error *err)
{
    char dir[PATH_MAX], path[PATH_MAX + 32];
    bimo_status st = bimo_profile_dir(dir, sizeof dir, err);
    if (st != BIMO_OK)
        return st;
    snprintf(path, sizeof path, "%s/gemeinden.csv", dir);
    return bimo_codelist_load(path, "gemeinden", out, err);
}

static int all_numeric(const bimo_codelist *l)
{
    for (size_t r = 0; r < l->nrows; r++) {
        const char *c = l->cells[r * l->ncols];
        if (strlen(c) > 12 || strspn(c, "0123456789") != strlen(c))
            return 0;
    }
    return 1;
}

/* Creates code_<name> or adds the columns it lacks; columns other than id and code are text. */
static bimo_status ensure_table(bimo_codelist *l, sqlite3 *db, bimo_error *err)
{
    char *sql = sqlite3_mprintf("CREATE TABLE IF NOT EXISTS \"code_%w\" (id INTEGER PRIMARY KEY,"
                                " code TEXT NOT NULL UNIQUE)",
                                l->name);
    int rc = sql ? sqlite3_exec(db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    for (size_t c = 1; rc == SQLITE_OK && c < l->ncols; c++) {
        sql = sqlite3_mprintf("ALTER TABLE \"code_%w\" ADD COLUMN \"%w\" TEXT", l->name,
                              l->columns[c]);
        rc = sql ? sqlite3_exec(db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
        sqlite3_free(sql);
        if (rc == SQLITE_ERROR && strstr(sqlite3_errmsg(db), "duplicate column"))
            rc = SQLITE_OK;
    }
    return rc == SQLITE_OK ? BIMO_OK : bimo_store_fail(db, err, "cannot store code list");
}

bimo_status bimo_codelist_sync(bimo_codelist *l, sqlite3 *db, bimo_error *err)
{
    bimo_status st = ensure_table(l, db, err);
    if (st != BIMO_OK)
        return st;
    /* Numeric codes (state codes, AGS) keep their number; others get the next free id on first
     * sight. */
    int numeric = all_numeric(l);
    sqlite3_str *s = sqlite3_str_new(db);
    sqlite3_str_appendf(s, "INSERT INTO \"code_%w\" (id, code", l->name);
    for (size_t c = 1; c < l->ncols; c++)
        sqlite3_str_appendf(s, ", \"%w\"", l->columns[c]);
    sqlite3_str_appendf(s, ") VALUES (%s, ?1", numeric ? "CAST(?1 AS INTEGER)" : "NULL");
    for (size_t c = 1; c < l->ncols; c++)
        sqlite3_str_appendf(s, ", ?%d", (int)c + 1);
    sqlite3_str_appendf(s, ") ON CONFLICT(code) DO UPDATE SET code = excluded.code");
    for (size_t c = 1; c < l->ncols; c++)
        sqlite3_str_appendf(s, ", \"%w\" = excluded.\"%w\"", l->columns[c], l->columns[c]);
    sqlite3_str_appendf(s, " RETURNING id");
    char *sql = sqlite3_str_finish(s);
    sqlite3_stmt *q = NULL;
    int rc = sql ? sqlite3_prepare_v2(db, sql, -1, &q, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    for (size_t r = 0; rc == SQLITE_OK && r < l->nrows; r++) {
        for (size_t c = 0; c < l->ncols; c++)
            sqlite3_bind_text(q, (int)c + 1, l->cells[r * l->ncols + c], -1, SQLITE_STATIC);
        rc = sqlite3_step(q);
        if (rc == SQLITE_ROW) {
            l->ids[r] = sqlite3_column_int64(q, 0);
            rc = sqlite3_step(q);
        }
        rc = rc == SQLITE_DONE ? sqlite3_reset(q) : rc;
    }
    if (rc != SQLITE_OK)
        st = bimo_store_fail(db, err, "cannot store code list");
    sqlite3_finalize(q);
    return st;
}

/* Loads the list at path and copies it into the store. */
static bimo_status sync_one(const char *path, const char *name, sqlite3 *db, bimo_error *err)
{
    bimo_codelist *l;
    bimo_status st = bimo_codelist_load(path, name, &l, err);
    if (st == BIMO_OK)
        st = bimo_codelist_sync(l, db, err);
    bimo_codelist_free(l);
    return st;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_csv(const struct dirent *d)
{
    size_t n = strlen(d->d_name);
    return d->d_name[0] != '.' && n > 4 && strcmp(d->d_name + n - 4, ".csv") == 0;
}

/* Every list of indicators/codes/ in name order, so ids come out the same on every store. */
static bimo_status sync_folder(sqlite3 *db, bimo_error *err)
{
    char dir[PATH_MAX], path[PATH_MAX + 300], name[256];
    bimo_status st = bimo_data_dir(dir, sizeof dir, err);
    if (st != BIMO_OK)
        return st;
    snprintf(path, sizeof path, "%s/indicators/codes", dir);
    struct dirent **list;
    int n = scandir(path, &list, is_csv, by_name);
    if (n < 0)
        return bimo_fail_at(err, BIMO_ERR_NOINPUT, path, 0, 0, "cannot read the code lists");
    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof name, "%.*s", (int)strlen(list[i]->d_name) - 4, list[i]->d_name);
        snprintf(path, sizeof path, "%s/indicators/codes/%s", dir, list[i]->d_name);
        if (st == BIMO_OK)
            st = sync_one(path, name, db, err);
        free(list[i]);
    }
    free(list);
    return st;
}

bimo_status bimo_store_sync_codes(bimo_store *store, bimo_error *err)
{
    if (!store)
        return bimo_fail(err, BIMO_ERR_ARG, "bimo_store_sync_codes: store is required");
    sqlite3 *db = bimo_store_db(store);
    bimo_status st = bimo_store_exec(store, "BEGIN IMMEDIATE", err);
    if (st != BIMO_OK)
        return st;
    st = sync_folder(db, err);
    bimo_codelist *l = NULL;
    if (st == BIMO_OK)
        st = bimo_codelist_load_municipalities(&l, err);
    if (st == BIMO_OK)
        st = bimo_codelist_sync(l, db, err);
    bimo_codelist_free(l);
    if (st == BIMO_OK)
        return bimo_store_exec(store, "COMMIT", err);
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return st;
}

size_t bimo_codelist_size(const bimo_codelist *l)
{
    return l->nrows;
}
const char *bimo_codelist_name(const bimo_codelist *l)
{
    return l->name;
}
int64_t bimo_codelist_id(const bimo_codelist *l, int row)
{
    return l->ids[row];
}
const char *bimo_codelist_code(const bimo_codelist *l, int row)
{
    return l->cells[row * l->ncols];
}

const char *bimo_codelist_value(const bimo_codelist *l, int row, const char *column)
{
    int c = column_index(l, column);
    return c < 0 ? NULL : l->cells[row * l->ncols + c];
}

bimo_status bimo_codelist_add_alias(bimo_codelist *l, int row, const char *alias)
{
    return insert_key(l, alias, row, NULL);
}
