/* fuzz_store.c — the scratch store of the import fuzzers (see fuzz_store.h). */
#include "fuzz_store.h"

#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"

#define STORE_RUNS 500

static const char *name = "fuzz";
static char dir[PATH_MAX], db_path[PATH_MAX + 16], csv_path[PATH_MAX + 16];
static bimo_store *store;
static int runs;

void fuzz_check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "%s: broken promise: %s\n", name, what);
        abort();
    }
}

static void remove_store(void)
{
    static const char *const suffixes[] = {"", ".key", "-wal", "-shm", "-journal"};
    bimo_store_close(store);
    store = NULL;
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        char p[PATH_MAX + 32];
        snprintf(p, sizeof p, "%s%s", db_path, suffixes[i]);
        unlink(p);
    }
}

static void cleanup(void)
{
    remove_store();
    unlink(csv_path);
    rmdir(dir);
}

static void new_store(void)
{
    remove_store();
    bimo_store_options so = {.create = 1};
    bimo_error err;
    if (bimo_store_open(db_path, &so, &store, &err) != BIMO_OK) {
        fprintf(stderr, "%s: cannot create the store: %s\n", name, err.message);
        abort();
    }
}

void fuzz_store_init(const char *target)
{
    name = target;
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(dir, sizeof dir, "%s/bimo-fuzz-XXXXXX", base);
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        abort();
    }
    snprintf(db_path, sizeof db_path, "%s/fuzz.db", dir);
    snprintf(csv_path, sizeof csv_path, "%s/input.csv", dir);
    atexit(cleanup);
    new_store();
}

bimo_store *fuzz_store_next(const uint8_t *data, size_t size, const char **path)
{
    if (++runs % STORE_RUNS == 0)
        new_store();
    FILE *f = fopen(csv_path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
        perror(csv_path);
        abort();
    }
    *path = csv_path;
    return store;
}

int fuzz_store_intact(bimo_store *s)
{
    sqlite3_stmt *q = NULL;
    int ok =
        sqlite3_prepare_v2(bimo_store_db(s), "PRAGMA quick_check", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(q, 0), "ok") == 0;
    sqlite3_finalize(q);
    return ok;
}
