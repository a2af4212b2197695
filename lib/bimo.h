/* bimo.h — the public interface of libbimo, the education monitoring library.
 * Everything a program needs to import registry extracts, compute indicators and render output. */
#ifndef BIMO_H
#define BIMO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define BIMO_API __attribute__((visibility("default")))
#else
#define BIMO_API
#endif

/* One status for every function that can fail. */
typedef enum {
    BIMO_OK = 0,
    BIMO_ERR_NOMEM,      /* out of memory */
    BIMO_ERR_ARG,        /* invalid argument from the caller */
    BIMO_ERR_NOINPUT,    /* an input file or the store does not exist or cannot be read */
    BIMO_ERR_CANTCREATE, /* an output file cannot be created */
    BIMO_ERR_IO,         /* read or write failed (disk full, I/O error) */
    BIMO_ERR_PARSE,      /* malformed input text (CSV, template, indicator file) */
    BIMO_ERR_DATA,       /* well-formed input whose content is invalid */
    BIMO_ERR_BUSY,       /* the store is locked by another writer */
    BIMO_ERR_SCHEMA,     /* the store has a schema this version cannot use */
    BIMO_ERR_PERM,       /* a file has unsafe permissions or access is denied */
    BIMO_ERR_STORE,      /* SQLite reported an error */
    BIMO_ERR_NOTFOUND,   /* a named object (import, indicator) does not exist */
    BIMO_ERR_ABORTED,    /* a callback asked to stop */
    BIMO_STATUS_COUNT
} bimo_status;

/* Static English text for a status; never NULL. */
BIMO_API const char *bimo_strerror(bimo_status status);

/* Error details filled by failing functions when the caller passes a non-NULL pointer.
 * file/line/column locate the problem in an input (0 when not applicable). */
typedef struct bimo_error {
    bimo_status status;
    char message[512];
    char file[256];
    long line;
    long column;
} bimo_error;

/* Resets an error record to BIMO_OK with empty text. */
BIMO_API void bimo_error_clear(bimo_error *err);

/* Formats "file:line:column: message" (parts that are unset are left out) into buf. */
BIMO_API void bimo_error_format(const bimo_error *err, char *buf, size_t size);

/* The library's version string, e.g. "0.1.0". */
BIMO_API const char *bimo_version(void);

/* ---- Data folder --------------------------------------------------------------------- */

/* Finds the folder holding indicators/, report-templates/ and sample-data/: $BIMO_DATA if set,
 * the source tree when the running program lives in the build tree, else $prefix/share/bimo.
 * Writes the path into buf; BIMO_ERR_NOINPUT if the folder does not exist. */
BIMO_API bimo_status bimo_data_dir(char *buf, size_t size, bimo_error *err);

/* ---- Store --------------------------------------------------------------------------- */

/* The schema version this library writes; stores report theirs through PRAGMA user_version. */
#define BIMO_SCHEMA_VERSION 1

typedef struct bimo_store bimo_store;

typedef struct bimo_store_options {
    int create;          /* 1: create the store and its key if missing (bimo init) */
    int read_only;       /* 1: open without write access (queries, reports) */
    int busy_timeout_ms; /* how long to wait for another writer; 0 means 5000 */
} bimo_store_options;

/* Opens (or with opt->create, creates) the store at path. A new store file and its
 * pseudonym key "<path>.key" are created with mode 0600; an existing key or store that
 * others can read is refused with BIMO_ERR_PERM. The schema is migrated forward; a store
 * written by a newer bimo fails with BIMO_ERR_SCHEMA. On success *out is owned by the
 * caller and freed with bimo_store_close(). opt may be NULL (open existing, read-write). */
BIMO_API bimo_status bimo_store_open(const char *path, const bimo_store_options *opt,
                                     bimo_store **out, bimo_error *err);

/* Closes the store and wipes the key from memory. NULL is fine. */
BIMO_API void bimo_store_close(bimo_store *store);

/* The path the store was opened with (owned by the store). */
BIMO_API const char *bimo_store_path(const bimo_store *store);

/* The schema version found in the file (after migration). */
BIMO_API int bimo_store_schema_version(const bimo_store *store);

/* Reads the schema version of a store file without migrating it; -1 if unreadable. */
BIMO_API int bimo_store_file_schema_version(const char *path);

/* One recorded import run (provenance), as listed by bimo_store_imports(). Strings are
 * valid only during the callback. */
typedef struct bimo_import_info {
    int64_t id;
    const char *source; /* melderegister, aufenthalt, ..., or table:NAME */
    const char *file_name;
    const char *sha256; /* hex */
    int64_t size_bytes;
    const char *encoding;  /* utf-8, utf-8-bom, cp1252 */
    const char *delimiter; /* ";", ",", "tab" */
    const char *stichtag;  /* ISO date or school year; may be empty */
    int64_t rows_read, rows_loaded, rows_rejected;
    const char *started; /* ISO 8601 UTC */
    const char *finished;
    const char *status; /* loaded, rolled-back, dry-run, replaced */
    const char *bimo_version;
} bimo_import_info;

typedef int (*bimo_import_cb)(const bimo_import_info *info, void *ctx); /* non-zero stops */

/* Calls cb for every recorded import, oldest first. */
BIMO_API bimo_status bimo_store_imports(bimo_store *store, bimo_import_cb cb, void *ctx,
                                        bimo_error *err);

#ifdef __cplusplus
}
#endif
#endif /* BIMO_H */
