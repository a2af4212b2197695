/* test_store.c — unit tests of the store: creation, modes, key, migrations, refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "bimo.h"
#include "store.h"

typedef struct {
    char dir[64];
    char db[128];
    char key[128];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    strcpy(f->dir, "/tmp/bimo-store-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
    snprintf(f->key, sizeof f->key, "%s/t.db.key", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static mode_t mode_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_mode & 0777;
}

static void create_sets_modes_key_and_version(void **state)
{
    fixture *f = *state;
    bimo_store_options opt = {.create = 1};
    bimo_store *s = NULL;
    bimo_error err;
    umask(022);
    assert_int_equal(bimo_store_open(f->db, &opt, &s, &err), BIMO_OK);
    assert_int_equal(bimo_store_schema_version(s), BIMO_SCHEMA_VERSION);
    assert_int_equal(mode_of(f->db), 0600);
    assert_int_equal(mode_of(f->key), 0600);
    /* WAL mode and foreign keys are on. */
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(bimo_store_db(s), "PRAGMA journal_mode", -1, &q, NULL), 0);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 0), "wal");
    sqlite3_finalize(q);
    assert_int_equal(sqlite3_prepare_v2(bimo_store_db(s), "PRAGMA page_size", -1, &q, NULL), 0);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 16384);
    sqlite3_finalize(q);
    assert_int_equal(sqlite3_prepare_v2(bimo_store_db(s), "PRAGMA foreign_keys", -1, &q, NULL), 0);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 1);
    sqlite3_finalize(q);
    /* The key is 32 bytes, not all zero, and is what the store loaded. */
    unsigned char key[40];
    FILE *k = fopen(f->key, "rb");
    assert_int_equal(fread(key, 1, sizeof key, k), 32);
    fclose(k);
    assert_memory_equal(key, bimo_store_key(s), 32);
    static const unsigned char zero[32];
    assert_memory_not_equal(key, zero, 32);
    bimo_store_close(s);

    /* Reopening keeps the same key. */
    assert_int_equal(bimo_store_open(f->db, NULL, &s, &err), BIMO_OK);
    assert_memory_equal(key, bimo_store_key(s), 32);
    bimo_store_close(s);
}

static void missing_store_is_noinput(void **state)
{
    fixture *f = *state;
    bimo_store *s = (bimo_store *)1;
    bimo_error err;
    assert_int_equal(bimo_store_open(f->db, NULL, &s, &err), BIMO_ERR_NOINPUT);
    assert_null(s);
    assert_non_null(strstr(err.message, "bimo init"));
    assert_int_equal(access(f->db, F_OK), -1); /* nothing created */
}

static void newer_schema_is_refused(void **state)
{
    fixture *f = *state;
    bimo_store_options opt = {.create = 1};
    bimo_store *s;
    bimo_error err;
    assert_int_equal(bimo_store_open(f->db, &opt, &s, &err), BIMO_OK);
    /* One version beyond this library's, whatever that is. */
    char sql[64], text[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", BIMO_SCHEMA_VERSION + 1);
    snprintf(text, sizeof text, "schema version %d", BIMO_SCHEMA_VERSION + 1);
    assert_int_equal(bimo_store_exec(s, sql, &err), BIMO_OK);
    bimo_store_close(s);
    assert_int_equal(bimo_store_file_schema_version(f->db), BIMO_SCHEMA_VERSION + 1);
    assert_int_equal(bimo_store_open(f->db, NULL, &s, &err), BIMO_ERR_SCHEMA);
    assert_non_null(strstr(err.message, text));
}

static void old_schema_is_migrated(void **state)
{
    fixture *f = *state;
    bimo_store *s;
    bimo_error err;
    /* A version-0 store: an empty database file and its key, both private. */
    FILE *k = fopen(f->key, "wb");
    static const unsigned char key[32] = {1, 2, 3};
    assert_int_equal(fwrite(key, 1, sizeof key, k), sizeof key);
    fclose(k);
    FILE *d = fopen(f->db, "wb");
    fclose(d);
    chmod(f->key, 0600);
    chmod(f->db, 0600);
    bimo_store_options ro = {.read_only = 1};
    assert_int_equal(bimo_store_open(f->db, &ro, &s, &err), BIMO_ERR_SCHEMA);
    assert_non_null(strstr(err.message, "must be upgraded"));
    assert_int_equal(bimo_store_open(f->db, NULL, &s, &err), BIMO_OK);
    assert_int_equal(bimo_store_schema_version(s), BIMO_SCHEMA_VERSION);
    assert_int_equal(bimo_store_exec(s, "SELECT count(*) FROM import_run, snapshot", &err),
                     BIMO_OK);
    assert_memory_equal(bimo_store_key(s), key, sizeof key);
    bimo_store_close(s);
}

static void readable_key_is_refused(void **state)
{
    fixture *f = *state;
    bimo_store_options opt = {.create = 1};
    bimo_store *s;
    bimo_error err;
    assert_int_equal(bimo_store_open(f->db, &opt, &s, &err), BIMO_OK);
    bimo_store_close(s);
    chmod(f->key, 0640);
    assert_int_equal(bimo_store_open(f->db, NULL, &s, &err), BIMO_ERR_PERM);
    assert_non_null(strstr(err.message, "chmod 600"));
    chmod(f->key, 0600);
    /* A key of the wrong length is damaged. */
    truncate(f->key, 16);
    assert_int_equal(bimo_store_open(f->db, NULL, &s, &err), BIMO_ERR_DATA);
}

static void status_texts_cover_every_status(void **state)
{
    (void)state;
    for (int st = 0; st < BIMO_STATUS_COUNT; st++) {
        assert_non_null(bimo_strerror(st));
        assert_string_not_equal(bimo_strerror(st), "unknown status");
    }
    assert_string_equal(bimo_strerror(BIMO_STATUS_COUNT), "unknown status");
    bimo_error err = {
        .status = BIMO_ERR_DATA, .message = "bad", .file = "x.csv", .line = 4, .column = 2};
    char buf[64];
    bimo_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "x.csv:4:2: bad");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(create_sets_modes_key_and_version, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_store_is_noinput, setup, teardown),
        cmocka_unit_test_setup_teardown(newer_schema_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(old_schema_is_migrated, setup, teardown),
        cmocka_unit_test_setup_teardown(readable_key_is_refused, setup, teardown),
        cmocka_unit_test(status_texts_cover_every_status),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
