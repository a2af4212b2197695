/* store.c — the SQLite store: creation, permissions, pseudonym key, schema migrations.
 * The key lives beside the store in "<store>.key" (0600): a copied store alone reveals nothing. */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "error.h"

struct bimo_store {
    sqlite3 *db;
    char *path;
    char *uri; /* "file:...?immutable=1" on a read-only file system, else NULL */
    int version;
    unsigned char key[BIMO_KEY_BYTES];
};

/* Forward migrations: entry i brings a store from version i to i + 1. Never edit a shipped
 * entry; append a new one and raise BIMO_SCHEMA_VERSION. */
static const char *const migrations[] = {
    /* 0 -> 1: provenance and rejected rows */
    "CREATE TABLE import_run ("
    "  id INTEGER PRIMARY KEY,"
    "  source TEXT NOT NULL,"
    "  file_name TEXT NOT NULL,"
    "  sha256 TEXT,"
    "  size_bytes INTEGER,"
    "  encoding TEXT,"
    "  delimiter TEXT,"
    "  stichtag TEXT,"
    "  rows_read INTEGER NOT NULL DEFAULT 0,"
    "  rows_loaded INTEGER NOT NULL DEFAULT 0,"
    "  rows_rejected INTEGER NOT NULL DEFAULT 0,"
    "  started TEXT NOT NULL,"
    "  finished TEXT,"
    "  status TEXT NOT NULL,"
    "  message TEXT,"
    "  bimo_version TEXT NOT NULL);"
    "CREATE TABLE reject_row ("
    "  import_id INTEGER NOT NULL REFERENCES import_run(id) ON DELETE CASCADE,"
    "  line INTEGER NOT NULL,"
    "  column INTEGER,"
    "  reason TEXT NOT NULL,"
    "  raw TEXT);"
    "CREATE INDEX reject_row_import ON reject_row(import_id, line);",

    /* 1 -> 2: the five sources. One snapshot per source and reference date (or school
     * year). Facts are plain rowid tables appended in file order, so a snapshot's rows lie
     * in the rowid range [first_row, last_row] of its snapshot row: reading or deleting a
     * snapshot is a range scan, and loading needs no index. Dates are integers yyyymmdd,
     * codes are ids of the code_* tables, persons are 16-byte keyed hashes. */
    "CREATE TABLE snapshot ("
    "  id INTEGER PRIMARY KEY,"
    "  source TEXT NOT NULL,"
    "  stichtag INTEGER NOT NULL," /* yyyymmdd; school sources: 1 October of the start year */
    "  schuljahr INTEGER,"         /* start year of the school year, e.g. 2024 for 2024/25 */
    "  import_id INTEGER NOT NULL REFERENCES import_run(id),"
    "  rows INTEGER NOT NULL DEFAULT 0,"
    "  first_row INTEGER NOT NULL DEFAULT 0,"
    "  last_row INTEGER NOT NULL DEFAULT -1,"
    "  UNIQUE (source, stichtag));"
    "CREATE TABLE melderegister ("
    "  snapshot_id INTEGER NOT NULL, line INTEGER NOT NULL, person BLOB NOT NULL,"
    "  geburtsdatum INTEGER NOT NULL, geschlecht INTEGER NOT NULL,"
    "  staatsangehoerigkeit INTEGER NOT NULL, staatsangehoerigkeit2 INTEGER,"
    "  ags INTEGER NOT NULL, zuzugsdatum INTEGER, herkunftsland INTEGER, einreisedatum INTEGER);"
    "CREATE TABLE aufenthalt ("
    "  snapshot_id INTEGER NOT NULL, line INTEGER NOT NULL, person BLOB NOT NULL,"
    "  geburtsdatum INTEGER NOT NULL, geschlecht INTEGER NOT NULL,"
    "  staatsangehoerigkeit INTEGER NOT NULL, ags INTEGER NOT NULL,"
    "  rechtsgrundlage INTEGER NOT NULL, gueltig_ab INTEGER, gueltig_bis INTEGER,"
    "  einreisedatum INTEGER, asylantrag_datum INTEGER);"
    "CREATE TABLE integrationskurs ("
    "  snapshot_id INTEGER NOT NULL, line INTEGER NOT NULL, person BLOB NOT NULL,"
    "  geschlecht INTEGER NOT NULL, geburtsdatum INTEGER NOT NULL,"
    "  staatsangehoerigkeit INTEGER NOT NULL, ags INTEGER NOT NULL,"
    "  berechtigung_datum INTEGER NOT NULL, berechtigung_art INTEGER NOT NULL,"
    "  ausgestellt_von INTEGER, kursart INTEGER, kursbeginn INTEGER, kursende INTEGER,"
    "  pruefung_datum INTEGER, dtz_ergebnis INTEGER, lid_bestanden INTEGER);"
    "CREATE TABLE schule ("
    "  snapshot_id INTEGER NOT NULL, line INTEGER NOT NULL, schueler BLOB NOT NULL,"
    "  schulnummer TEXT NOT NULL, schulform INTEGER NOT NULL, jahrgang INTEGER NOT NULL,"
    "  geschlecht INTEGER NOT NULL, staatsangehoerigkeit INTEGER NOT NULL, geburtsjahr INTEGER,"
    "  ags_schule INTEGER NOT NULL, ags_wohnort INTEGER, sprachlernklasse INTEGER,"
    "  bildungsgang INTEGER, ausbildungsjahr INTEGER);"
    "CREATE TABLE schulabgang ("
    "  snapshot_id INTEGER NOT NULL, line INTEGER NOT NULL, schueler BLOB NOT NULL,"
    "  schulform INTEGER NOT NULL, abschluss INTEGER NOT NULL, geschlecht INTEGER NOT NULL,"
    "  staatsangehoerigkeit INTEGER NOT NULL, geburtsjahr INTEGER, ags_schule INTEGER NOT NULL);"
    /* Generic tables (bimo import table NAME) are registered here; their data lives in
     * ext_NAME, official-statistics symbols in ext_NAME's <column>_symbol columns. */
    "CREATE TABLE ext_table ("
    "  name TEXT PRIMARY KEY, import_id INTEGER NOT NULL REFERENCES import_run(id),"
    "  columns INTEGER NOT NULL, rows INTEGER NOT NULL);",

    /* 2 -> 3: per-snapshot counts of the register and residence facts, so the population
     * and status indicators read one row per combination (about 60,000 for a snapshot of
     * 1 million persons) instead of one per person. The import fills them from the rows it
     * loads (summary.c); this migration fills them once from the facts already stored.
     * WITHOUT ROWID with snapshot_id first: a snapshot's counts are one range of the key,
     * read, replaced and deleted together. alter_jahre is the age in completed years at the
     * snapshot's stichtag (yyyymmdd arithmetic as bimo_age_years: (stichtag - born) / 10000);
     * the age groups stay a code list, applied when the counts are read. In the register
     * counts, German (deutsch = 1) is anyone with 000 as either nationality, and staat is
     * then 0, otherwise the first nationality. */
    "CREATE TABLE melderegister_summary ("
    "  snapshot_id INTEGER NOT NULL, ags INTEGER NOT NULL, geschlecht INTEGER NOT NULL,"
    "  alter_jahre INTEGER NOT NULL, staat INTEGER NOT NULL, deutsch INTEGER NOT NULL,"
    "  n INTEGER NOT NULL,"
    "  PRIMARY KEY (snapshot_id, ags, geschlecht, alter_jahre, staat, deutsch)) WITHOUT ROWID;"
    "CREATE TABLE aufenthalt_summary ("
    "  snapshot_id INTEGER NOT NULL, ags INTEGER NOT NULL, geschlecht INTEGER NOT NULL,"
    "  alter_jahre INTEGER NOT NULL, staatsangehoerigkeit INTEGER NOT NULL,"
    "  rechtsgrundlage INTEGER NOT NULL, n INTEGER NOT NULL,"
    "  PRIMARY KEY (snapshot_id, ags, geschlecht, alter_jahre, staatsangehoerigkeit,"
    "               rechtsgrundlage)) WITHOUT ROWID;"
    "INSERT INTO melderegister_summary"
    " SELECT m.snapshot_id, m.ags, m.geschlecht, (sn.stichtag - m.geburtsdatum) / 10000,"
    "  CASE WHEN coalesce(m.staatsangehoerigkeit2, -1) = 0 THEN 0 ELSE m.staatsangehoerigkeit END,"
    "  (m.staatsangehoerigkeit = 0 OR coalesce(m.staatsangehoerigkeit2, -1) = 0), count(*)"
    " FROM snapshot AS sn JOIN melderegister AS m"
    "  ON m.rowid BETWEEN sn.first_row AND sn.last_row AND m.snapshot_id = sn.id"
    " WHERE sn.source = 'melderegister' GROUP BY 1, 2, 3, 4, 5, 6;"
    "INSERT INTO aufenthalt_summary"
    " SELECT a.snapshot_id, a.ags, a.geschlecht, (sn.stichtag - a.geburtsdatum) / 10000,"
    "  a.staatsangehoerigkeit, a.rechtsgrundlage, count(*)"
    " FROM snapshot AS sn JOIN aufenthalt AS a"
    "  ON a.rowid BETWEEN sn.first_row AND sn.last_row AND a.snapshot_id = sn.id"
    " WHERE sn.source = 'aufenthalt' GROUP BY 1, 2, 3, 4, 5, 6;",

    /* 3 -> 4: AUF-4's status transitions, counted per pair of residence snapshots when an
     * import finishes (transition.c), so the indicator does not join two stocks of persons
     * by pseudonym for every period. rechtsgrundlage_vorher 0: not in the earlier stock;
     * rechtsgrundlage 0: no longer in the stock; attributes of the later stock (of the earlier
     * one for those who left), alter_jahre at the later stichtag. A pair is listed in
     * aufenthalt_transition_pair once counted; stores migrated from version 3 have no pairs
     * until their next aufenthalt import, and the indicator joins the persons meanwhile. */
    "CREATE TABLE aufenthalt_transition ("
    "  snapshot_id INTEGER NOT NULL, prev_snapshot_id INTEGER NOT NULL,"
    "  rechtsgrundlage_vorher INTEGER NOT NULL, rechtsgrundlage INTEGER NOT NULL,"
    "  ags INTEGER NOT NULL, geschlecht INTEGER NOT NULL, alter_jahre INTEGER NOT NULL,"
    "  staatsangehoerigkeit INTEGER NOT NULL, n INTEGER NOT NULL,"
    "  PRIMARY KEY (snapshot_id, prev_snapshot_id, rechtsgrundlage_vorher, rechtsgrundlage,"
    "               ags, geschlecht, alter_jahre, staatsangehoerigkeit)) WITHOUT ROWID;"
    "CREATE TABLE aufenthalt_transition_pair ("
    "  snapshot_id INTEGER NOT NULL, prev_snapshot_id INTEGER NOT NULL,"
    "  PRIMARY KEY (snapshot_id, prev_snapshot_id)) WITHOUT ROWID;",

    /* 4 -> 5: the arrivals from abroad (BEV-3: zuzugsdatum of persons with a herkunftsland)
     * and the newly arrived (BEV-4: einreisedatum) are about one person in ten of a register
     * snapshot; partial indexes over just those rows let the two indicators read a date range
     * of a snapshot instead of all its persons (a tenth of the time), at a small cost per
     * imported row. */
    "CREATE INDEX melderegister_zuzug ON melderegister (snapshot_id, zuzugsdatum)"
    "  WHERE herkunftsland <> 0;"
    "CREATE INDEX melderegister_einreise ON melderegister (snapshot_id, einreisedatum)"
    "  WHERE einreisedatum IS NOT NULL;",

    /* 5 -> 6: published releases (bimo export) and the cells each kept secret, so a later
     * release hides them again and differencing two releases reveals nothing. A cell is named
     * by its non-margin coordinates ("geschlecht=w;kommune=0345901"), so it has one name in
     * every breakdown; variant holds the parameters that change the numbers. von/bis (yyyymmdd)
     * span the period: a year's cell is the sum of its quarters' cells. */
    "CREATE TABLE release ("
    "  id INTEGER PRIMARY KEY,"
    "  created TEXT NOT NULL,"   /* ISO 8601 UTC of the run */
    "  template TEXT NOT NULL,"  /* file name of the template */
    "  period TEXT NOT NULL,"    /* the run's period */
    "  directory TEXT NOT NULL," /* where it was written */
    "  manifest_sha256 TEXT NOT NULL,"
    "  bimo_version TEXT NOT NULL);"
    "CREATE TABLE release_cell ("
    "  release_id INTEGER NOT NULL REFERENCES release(id) ON DELETE CASCADE,"
    "  indicator TEXT NOT NULL, variant TEXT NOT NULL,"
    "  period TEXT NOT NULL, von INTEGER NOT NULL, bis INTEGER NOT NULL,"
    "  cell TEXT NOT NULL,"
    "  denominator INTEGER NOT NULL," /* 1: the denominator of a rate */
    "  PRIMARY KEY (indicator, variant, von, bis, cell, denominator, release_id)) WITHOUT ROWID;",

    /* 6 -> 7: per-snapshot counts of the pupils, as for the register (migration 3): the
     * school indicators read one row per combination of school municipality, school form,
     * Jahrgang, sex, German or not, language class, course of education and training year
     * (a few thousand a school year) instead of every pupil. 0 stands for a missing
     * sprachlernklasse, bildungsgang or ausbildungsjahr. */
    "CREATE TABLE schule_summary ("
    "  snapshot_id INTEGER NOT NULL, ags_schule INTEGER NOT NULL, schulform INTEGER NOT NULL,"
    "  jahrgang INTEGER NOT NULL, geschlecht INTEGER NOT NULL, deutsch INTEGER NOT NULL,"
    "  sprachlernklasse INTEGER NOT NULL, bildungsgang INTEGER NOT NULL,"
    "  ausbildungsjahr INTEGER NOT NULL, n INTEGER NOT NULL,"
    "  PRIMARY KEY (snapshot_id, ags_schule, schulform, jahrgang, geschlecht, deutsch,"
    "               sprachlernklasse, bildungsgang, ausbildungsjahr)) WITHOUT ROWID;"
    "INSERT INTO schule_summary"
    " SELECT snapshot_id, ags_schule, schulform, jahrgang, geschlecht,"
    "  staatsangehoerigkeit = 0, coalesce(sprachlernklasse, 0), coalesce(bildungsgang, 0),"
    "  coalesce(ausbildungsjahr, 0), count(*)"
    " FROM schule GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;",
};

#define MIGRATION_COUNT ((int)(sizeof migrations / sizeof migrations[0]))
_Static_assert(MIGRATION_COUNT == BIMO_SCHEMA_VERSION, "one migration per schema version");

sqlite3 *bimo_store_db(bimo_store *store)
{
    return store->db;
}
const unsigned char *bimo_store_key(const bimo_store *store)
{
    return store->key;
}
const char *bimo_store_path(const bimo_store *store)
{
    return store->path;
}
int bimo_store_schema_version(const bimo_store *store)
{
    return store->version;
}

bimo_status bimo_store_fail(sqlite3 *db, bimo_error *err, const char *what)
{
    int code = sqlite3_extended_errcode(db) & 0xff;
    bimo_status st = BIMO_ERR_STORE;
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        st = BIMO_ERR_BUSY;
    else if (code == SQLITE_FULL || code == SQLITE_IOERR)
        st = BIMO_ERR_IO;
    else if (code == SQLITE_READONLY || code == SQLITE_PERM || code == SQLITE_AUTH)
        st = BIMO_ERR_PERM;
    else if (code == SQLITE_NOMEM)
        st = BIMO_ERR_NOMEM;
    else if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
        return bimo_fail(err, BIMO_ERR_DATA, "%s: not a bimo store, or the file is damaged (%s)",
                         what, sqlite3_errmsg(db));
    if (st == BIMO_ERR_BUSY)
        return bimo_fail(err, st, "%s: the store is locked by another bimo process", what);
    return bimo_fail(err, st, "%s: %s", what, sqlite3_errmsg(db));
}

bimo_status bimo_store_exec(bimo_store *store, const char *sql, bimo_error *err)
{
    if (sqlite3_exec(store->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return bimo_store_fail(store->db, err, "store");
    return BIMO_OK;
}

/* Refuses files that the group or others can read: the store holds personal data. */
static bimo_status check_private(const char *path, const char *what, bimo_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return bimo_fail(err, BIMO_ERR_NOINPUT, "%s %s: %s", what, path, strerror(errno));
    if (st.st_mode & 077)
        return bimo_fail(err, BIMO_ERR_PERM,
                         "%s %s is accessible to other users (mode %03o); run chmod 600 %s", what,
                         path, (unsigned)(st.st_mode & 0777), path);
    return BIMO_OK;
}

/* The folder of path (".", when it has none) into buf. */
static void folder_of(const char *path, char *buf, size_t size)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(buf, size, ".");
    else if (slash == path)
        snprintf(buf, size, "/");
    else
        snprintf(buf, size, "%.*s", (int)(slash - path), path);
}

/* Writing needs the file and its folder (SQLite's -wal and -shm files live beside the store);
 * said up front, since SQLite itself only reports "unable to open database file". */
static bimo_status check_writable(const char *path, bimo_error *err)
{
    char dir[4096];
    folder_of(path, dir, sizeof dir);
    const char *what = access(path, W_OK) != 0 ? path : access(dir, W_OK | X_OK) != 0 ? dir : NULL;
    if (!what)
        return BIMO_OK;
    return bimo_fail(err, BIMO_ERR_PERM,
                     "store %s cannot be written (%s: %s); imports and migrations need write "
                     "access to the store and its folder",
                     path, what, strerror(errno));
}

/* 1 if path lies on a file system mounted read-only: then nobody can change the store, and it
 * may be read without SQLite's shared-memory file, which could not be created there. */
static int on_read_only_fs(const char *path)
{
    struct statvfs v;
    return statvfs(path, &v) == 0 && (v.f_flag & ST_RDONLY);
}

/* "file:" URI of path with immutable=1 (sqlite3_free it); characters that mean something in a
 * URI are %-escaped. */
static char *immutable_uri(const char *path)
{
    size_t n = strlen(path);
    char *buf = sqlite3_malloc64(3 * n + 32), *p = buf;
    if (!buf)
        return NULL;
    p += sprintf(p, "file:");
    for (const unsigned char *c = (const unsigned char *)path; *c; c++)
        p += strchr("?#%", *c) || *c < 0x20 ? sprintf(p, "%%%02X", *c) : sprintf(p, "%c", *c);
    strcpy(p, "?immutable=1");
    return buf;
}

static bimo_status create_private_file(const char *path, const void *data, size_t len,
                                       bimo_error *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return bimo_fail(err, errno == EEXIST ? BIMO_ERR_ARG : BIMO_ERR_CANTCREATE,
                         "cannot create %s: %s", path, strerror(errno));
    ssize_t n = len ? write(fd, data, len) : 0;
    int ok = (size_t)n == len && fsync(fd) == 0;
    if (close(fd) != 0)
        ok = 0;
    if (!ok) {
        unlink(path);
        return bimo_fail(err, BIMO_ERR_IO, "cannot write %s", path);
    }
    return BIMO_OK;
}

static bimo_status load_key(bimo_store *s, const char *key_path, bimo_error *err)
{
    bimo_status st = check_private(key_path, "pseudonym key", err);
    if (st == BIMO_ERR_NOINPUT)
        return bimo_fail(err, BIMO_ERR_NOINPUT,
                         "pseudonym key %s is missing; without it new imports cannot be linked "
                         "to the persons already in store %s",
                         key_path, s->path);
    if (st != BIMO_OK)
        return st;
    FILE *f = fopen(key_path, "rb");
    if (!f)
        return bimo_fail(err, BIMO_ERR_NOINPUT, "cannot read %s: %s", key_path, strerror(errno));
    size_t n = fread(s->key, 1, sizeof s->key, f);
    int extra = fgetc(f);
    fclose(f);
    if (n != sizeof s->key || extra != EOF)
        return bimo_fail(err, BIMO_ERR_DATA, "pseudonym key %s is damaged (expected %d bytes)",
                         key_path, BIMO_KEY_BYTES);
    return BIMO_OK;
}

static int read_user_version(sqlite3 *db)
{
    sqlite3_stmt *q;
    int v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(q) == SQLITE_ROW)
        v = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return v;
}

static bimo_status migrate(bimo_store *s, bimo_error *err)
{
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return bimo_store_fail(s->db, err, "cannot lock the store for migration");
    int v = read_user_version(s->db); /* again, inside the lock */
    for (; v >= 0 && v < MIGRATION_COUNT; v++) {
        char pragma[48];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
        if (sqlite3_exec(s->db, migrations[v], NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(s->db, pragma, NULL, NULL, NULL) != SQLITE_OK) {
            bimo_status st = bimo_store_fail(s->db, err, "schema migration failed");
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            return st;
        }
    }
    if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        bimo_status st = bimo_store_fail(s->db, err, "schema migration failed");
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return st;
    }
    s->version = MIGRATION_COUNT;
    return BIMO_OK;
}

static bimo_status create_files(const char *path, const char *key_path, bimo_error *err)
{
    if (sodium_init() < 0)
        return bimo_fail(err, BIMO_ERR_STORE, "libsodium could not be initialised");
    unsigned char key[BIMO_KEY_BYTES];
    randombytes_buf(key, sizeof key);
    bimo_status st = create_private_file(key_path, key, sizeof key, err);
    sodium_memzero(key, sizeof key);
    if (st != BIMO_OK)
        return st;
    st = create_private_file(path, NULL, 0, err);
    if (st != BIMO_OK)
        unlink(key_path);
    return st;
}

static bimo_status configure(bimo_store *s, int timeout_ms, int read_only, bimo_error *err)
{
    sqlite3_busy_timeout(s->db, timeout_ms);
    /* 16 KiB pages: bulk appends and snapshot scans run about a fifth faster than with
     * SQLite's 4 KiB default. Only a new, empty file can still take it. */
    const char *pragmas = read_only ? "PRAGMA foreign_keys = ON; PRAGMA query_only = ON;"
                                    : "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL;"
                                      "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";
    if (sqlite3_exec(s->db, pragmas, NULL, NULL, NULL) != SQLITE_OK)
        return bimo_store_fail(s->db, err, "cannot configure the store");
    return BIMO_OK;
}

static bimo_status check_version(bimo_store *s, int read_only, bimo_error *err)
{
    s->version = read_user_version(s->db);
    if (s->version < 0)
        return bimo_fail(err, BIMO_ERR_SCHEMA, "%s is not a bimo store or is damaged (%s)", s->path,
                         sqlite3_errmsg(s->db));
    if (s->version > BIMO_SCHEMA_VERSION)
        return bimo_fail(err, BIMO_ERR_SCHEMA,
                         "store %s has schema version %d, but this bimo %s supports up to "
                         "version %d; use a newer bimo",
                         s->path, s->version, bimo_version(), BIMO_SCHEMA_VERSION);
    if (s->version < BIMO_SCHEMA_VERSION) {
        if (read_only)
            return bimo_fail(err, BIMO_ERR_SCHEMA,
                             "store %s has schema version %d and must be upgraded to %d; "
                             "open it once for writing (e.g. bimo status)",
                             s->path, s->version, BIMO_SCHEMA_VERSION);
        return migrate(s, err);
    }
    return BIMO_OK;
}

bimo_status bimo_store_open(const char *path, const bimo_store_options *opt, bimo_store **out,
                            bimo_error *err)
{
    bimo_store_options defaults = {0};
    if (!opt)
        opt = &defaults;
    if (!path || !out)
        return bimo_fail(err, BIMO_ERR_ARG, "bimo_store_open: path and out are required");
    *out = NULL;

    size_t plen = strlen(path);
    char *key_path = malloc(plen + 5);
    bimo_store *s = calloc(1, sizeof *s);
    if (!key_path || !s || !(s->path = strdup(path))) {
        free(key_path);
        free(s);
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    }
    memcpy(key_path, path, plen);
    memcpy(key_path + plen, ".key", 5);

    bimo_status st = BIMO_OK;
    int exists = access(path, F_OK) == 0;
    if (!exists && !opt->create)
        st = bimo_fail(err, BIMO_ERR_NOINPUT, "store %s does not exist; create it with bimo init",
                       path);
    else if (!exists)
        st = create_files(path, key_path, err);
    if (st == BIMO_OK)
        st = check_private(path, "store", err);
    if (st == BIMO_OK)
        st = load_key(s, key_path, err);
    if (st == BIMO_OK && !opt->read_only)
        st = check_writable(path, err);
    char *uri = NULL;
    if (st == BIMO_OK && opt->read_only && on_read_only_fs(path)) {
        char wal[4200];
        struct stat ws;
        snprintf(wal, sizeof wal, "%s-wal", path);
        if (stat(wal, &ws) == 0 && ws.st_size > 0)
            st = bimo_fail(err, BIMO_ERR_PERM,
                           "store %s is on a read-only file system, and %s holds changes not yet "
                           "in the store; open it once where it can be written",
                           path, wal);
        else if (!(uri = immutable_uri(path)))
            st = bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    }
    s->uri = uri;
    if (st == BIMO_OK) {
        int flags = opt->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
        if (bimo_store_connect(s, flags, &s->db) != SQLITE_OK)
            st = bimo_store_fail(s->db, err, "cannot open the store");
    }
    if (st == BIMO_OK)
        st = configure(s, opt->busy_timeout_ms > 0 ? opt->busy_timeout_ms : 5000, opt->read_only,
                       err);
    if (st == BIMO_OK)
        st = check_version(s, opt->read_only, err);
    free(key_path);
    if (st != BIMO_OK) {
        if (err && !err->file[0])
            snprintf(err->file, sizeof err->file, "%s", path);
        bimo_store_close(s);
        return st;
    }
    *out = s;
    return BIMO_OK;
}

int bimo_store_connect(const bimo_store *store, int flags, sqlite3 **db)
{
    flags |= SQLITE_OPEN_NOMUTEX | (store->uri ? SQLITE_OPEN_URI : 0);
    return sqlite3_open_v2(store->uri ? store->uri : store->path, db, flags, NULL);
}

void bimo_store_close(bimo_store *store)
{
    if (!store)
        return;
    sqlite3_close(store->db);
    sqlite3_free(store->uri);
    sodium_memzero(store->key, sizeof store->key);
    free(store->path);
    free(store);
}

int bimo_store_file_schema_version(const char *path)
{
    sqlite3 *db = NULL;
    int v = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)
        v = read_user_version(db);
    sqlite3_close(db);
    return v;
}

static const char *text_or_empty(sqlite3_stmt *q, int col)
{
    const unsigned char *t = sqlite3_column_text(q, col);
    return t ? (const char *)t : "";
}

bimo_status bimo_store_imports(bimo_store *store, bimo_import_cb cb, void *ctx, bimo_error *err)
{
    static const char sql[] =
        "SELECT id, source, file_name, sha256, size_bytes, encoding, delimiter, stichtag,"
        " rows_read, rows_loaded, rows_rejected, started, finished, status, bimo_version"
        " FROM import_run ORDER BY id";
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(store->db, sql, -1, &q, NULL) != SQLITE_OK)
        return bimo_store_fail(store->db, err, "cannot list imports");
    int rc;
    bimo_status st = BIMO_OK;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        bimo_import_info info = {
            .id = sqlite3_column_int64(q, 0),
            .source = text_or_empty(q, 1),
            .file_name = text_or_empty(q, 2),
            .sha256 = text_or_empty(q, 3),
            .size_bytes = sqlite3_column_int64(q, 4),
            .encoding = text_or_empty(q, 5),
            .delimiter = text_or_empty(q, 6),
            .stichtag = text_or_empty(q, 7),
            .rows_read = sqlite3_column_int64(q, 8),
            .rows_loaded = sqlite3_column_int64(q, 9),
            .rows_rejected = sqlite3_column_int64(q, 10),
            .started = text_or_empty(q, 11),
            .finished = text_or_empty(q, 12),
            .status = text_or_empty(q, 13),
            .bimo_version = text_or_empty(q, 14),
        };
        if (cb(&info, ctx)) {
            st = BIMO_ERR_ABORTED;
            break;
        }
    }
    if (st == BIMO_OK && rc != SQLITE_DONE)
        st = bimo_store_fail(store->db, err, "cannot list imports");
    sqlite3_finalize(q);
    return st;
}
