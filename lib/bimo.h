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
#define BIMO_SCHEMA_VERSION 7

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

/* Copies every code list (indicators/codes/<name>.csv and the district's municipalities) into
 * the store's tables code_<name>, creating the tables that are missing and keeping the ids of
 * codes stored before, so indicator SQL finds every code table even before the first import
 * of a source. bimo init calls it; it is safe to call again. Needs a store opened for
 * writing; runs in one transaction. */
BIMO_API bimo_status bimo_store_sync_codes(bimo_store *store, bimo_error *err);

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

/* ---- Output files ------------------------------------------------------------------------ */

/* An output file written under a temporary name in the same folder and renamed into place
 * by bimo_output_commit(), so a failed or killed run never leaves a partial file. */
typedef struct bimo_output bimo_output;

enum {
    BIMO_OUTPUT_OVERWRITE = 1, /* replace an existing file (else BIMO_ERR_CANTCREATE) */
    BIMO_OUTPUT_PRIVATE = 2,   /* mode 0600: the file holds personal data (rejected rows) */
};

/* Creates the temporary file for path (mode 0644, or 0600 with BIMO_OUTPUT_PRIVATE).
 * *fp is the stream to write to, owned by the output. */
BIMO_API bimo_status bimo_output_open(const char *path, unsigned flags, bimo_output **out,
                                      FILE **fp, bimo_error *err);

/* Flushes, syncs and renames the file into place, then frees out (also on failure). */
BIMO_API bimo_status bimo_output_commit(bimo_output *out, bimo_error *err);

/* Removes the temporary file and frees out. NULL is fine. */
BIMO_API void bimo_output_abort(bimo_output *out);

/* ---- Import ---------------------------------------------------------------------------- */

/* Progress of a running import, reported about every 65,536 rows. */
typedef struct bimo_import_progress {
    int64_t rows;        /* data rows read so far */
    uint64_t bytes;      /* bytes read so far */
    int64_t total_bytes; /* size of the input, -1 when unknown (a pipe) */
} bimo_import_progress;

#define BIMO_NO_REJECTS (-1.0) /* max_reject_share: fail on the first rejected row */

typedef struct bimo_import_options {
    const char *stichtag;    /* reference date (DD.MM.YYYY or YYYY-MM-DD) for snapshot
                              * sources; NULL: taken from a stichtag column */
    const char *encoding;    /* "auto" (NULL), "utf-8" or "cp1252" */
    int delimiter;           /* 0 sniffs it from the header; or ';' ',' '\t' */
    double max_reject_share; /* share of rows that may be rejected before the import rolls
                              * back; 0 means the default 0.01, BIMO_NO_REJECTS none */
    int dry_run;             /* validate and record the run, then roll the data back */
    const char *file_name;   /* name recorded in the provenance; NULL: the path */
    void (*progress)(const bimo_import_progress *p, void *ctx); /* may be NULL */
    void (*notice)(const char *message, void *ctx);             /* e.g. ignored columns */
    void *ctx;
    int header_line; /* bimo_import_table(): 1-based line of the header, lines above it are
                      * skipped; 0 finds it among the first 50 lines */
} bimo_import_options;

typedef struct bimo_import_result {
    int64_t import_id;
    int64_t rows_read, rows_loaded, rows_rejected;
    int64_t rows_repaired; /* rows loaded after a repair (e.g. a 7-digit AGS) */
    int64_t blank_lines;
    uint64_t size_bytes; /* bytes read */
    int snapshots;       /* reference dates or school years written */
    double seconds;
    char encoding[16]; /* utf-8, utf-8-bom, cp1252 */
    char delimiter[8]; /* ";", ",", "tab" */
    char sha256[65];
    char first_reasons[3][256]; /* the first reject messages, "line N: reason" */
    int64_t lines_skipped;      /* bimo_import_table(): title lines above the header */
} bimo_import_result;

/* The registry sources bimo_import() understands, NULL-terminated. */
BIMO_API const char *const *bimo_import_sources(void);

/* Imports the CSV extract at path ("-" reads standard input) as source (melderegister,
 * aufenthalt, integrationskurs, schule, schulabgang) in one transaction. Person and pupil
 * identifiers are replaced by keyed hashes before anything is stored. Rows that fail
 * validation are kept in the store's reject table with line, column and reason; when they
 * exceed the allowed share the import rolls back completely (BIMO_ERR_DATA) and only the
 * run and its rejects are recorded. A snapshot (source and reference date, or school year)
 * imported again replaces the earlier one. result may be NULL. */
BIMO_API bimo_status bimo_import(bimo_store *store, const char *source, const char *path,
                                 const bimo_import_options *opt, bimo_import_result *result,
                                 bimo_error *err);

/* Imports any CSV file at path ("-" reads standard input), e.g. a published table of a
 * statistical office, into table ext_NAME, so custom indicators can use it. name must match
 * [a-z][a-z0-9_]{0,40} (else BIMO_ERR_ARG). Column names come from the header: lower case,
 * umlauts folded, other characters as '_', duplicates numbered (_2, _3), an empty cell
 * column_N. Each column is typed by inspecting all its values: INTEGER, REAL (German "1.234,5"
 * or plain "1234.5"), DATE (DD.MM.YYYY or YYYY-MM-DD, stored as the integer yyyymmdd) or TEXT
 * (codes with leading zeros such as AGS "03459024" stay text). Empty fields are NULL.
 * Official-statistics symbols (- – . x / … ... k g u t [n] [g] [u] and a few more) in numeric
 * or date columns are stored as NULL, never as 0, with the symbol in "<column>_symbol" (only
 * for columns that have one). Lines above the header (opt->header_line, or found among the
 * first 50 lines, which also give the delimiter; for standard input the reader sniffs it from
 * the first line) are skipped; rows with another field count than the header are rejected,
 * short rows with at most one text as "footer or note line" — those below the last data row
 * do not count against max_reject_share. Provenance is recorded as source "table:NAME";
 * ext_table lists the table with its import and the run that loaded its previous version
 * becomes "replaced". Importing NAME again replaces the table in one transaction; a
 * rolled-back import leaves the previous table untouched. The file is meant to hold
 * published aggregates: nothing is pseudonymised. result may be NULL. */
BIMO_API bimo_status bimo_import_table(bimo_store *store, const char *name, const char *path,
                                       const bimo_import_options *opt, bimo_import_result *result,
                                       bimo_error *err);

/* One rejected row as listed by bimo_store_rejects(); strings live during the callback. */
typedef struct bimo_reject_info {
    int64_t line;   /* first line of the row in the file */
    int64_t column; /* 1-based column, 0 if the whole row */
    const char *reason;
    const char *raw; /* the row as read (UTF-8) */
} bimo_reject_info;

/* Calls cb for every rejected row of import import_id in line order; BIMO_ERR_NOTFOUND
 * if there is no such import. bimo_write_rejects_csv() writes the same as CSV (header
 * line,column,reason,raw; RFC 4180 quoting; UTF-8) to out. */
BIMO_API bimo_status bimo_store_rejects(bimo_store *store, int64_t import_id,
                                        int (*cb)(const bimo_reject_info *info, void *ctx),
                                        void *ctx, bimo_error *err);
BIMO_API bimo_status bimo_write_rejects_csv(bimo_store *store, int64_t import_id, FILE *out,
                                            bimo_error *err);

/* ---- Indicators ------------------------------------------------------------------------ */

/* How an indicator's value is formed from the rows its SQL returns. */
typedef enum {
    BIMO_KIND_COUNT = 0, /* value = numerator (a count of persons, pupils, entitlements) */
    BIMO_KIND_RATE,      /* value = numerator / denominator x factor, both counts */
    BIMO_KIND_SHARE,     /* value = numerator / numerator summed over dimension share_of */
    BIMO_KIND_QUANTILE   /* one row per observation; value = median, Q1 or Q3 of "value" */
} bimo_indicator_kind;

/* What a period means for an indicator (header key "period"). */
typedef enum {
    BIMO_PERIOD_STICHTAG = 0, /* a stock at a reference date: a date, a year (its 31.12.) or a
                               * quarter (its last day) selects the snapshot of that date */
    BIMO_PERIOD_JAHR,         /* a flow over calendar years: :von .. :bis span the year */
    BIMO_PERIOD_QUARTAL,      /* a flow over quarters (years are accepted as four quarters) */
    BIMO_PERIOD_SCHULJAHR     /* a school year (2024/25) selects the snapshot of that year */
} bimo_period_kind;

/* A parameter an indicator declares with its default ("-- parameter: jahre = 3"). */
typedef struct bimo_indicator_param {
    const char *name;
    const char *value;
} bimo_indicator_param;

/* One indicator file, as loaded. All strings are owned by the catalogue. */
typedef struct bimo_indicator {
    const char *id;         /* e.g. "BEV-2" */
    const char *title;      /* German, e.g. "Ausländeranteil" */
    const char *definition; /* in words, German */
    const char *unit;       /* e.g. "%", "Personen", "Tage" */
    bimo_indicator_kind kind;
    const char *numerator;         /* what is counted, in words */
    const char *denominator;       /* in words; NULL when the indicator has none */
    const char *const *dimensions; /* allowed dimensions as written in the file */
    size_t ndimensions;
    bimo_period_kind period;
    const char *source; /* melderegister, aufenthalt, integrationskurs, schule, schulabgang
                         * or "none": the fact source whose snapshot a period selects */
    const char *quelle; /* German source line with {stichtag}, {periode}, {name}, {quelle_*} */
    const char *const *footnotes;
    size_t nfootnotes;
    const char *chart;    /* default chart kind, NULL if not given */
    const char *share_of; /* BIMO_KIND_SHARE: the dimension whose total is the denominator */
    int order;            /* position in listings (header key "order", default 1000) */
    int decimals;         /* decimals of the value in tables */
    double factor;        /* rate and share: 100 for unit "%", else 1 unless given */
    const bimo_indicator_param *params;
    size_t nparams;
    const char *sql;  /* the query below the header */
    long sql_line;    /* line of the file where the query starts */
    const char *path; /* the file */
} bimo_indicator;

/* The indicator catalogue: one file per indicator. */
typedef struct bimo_catalogue bimo_catalogue;

/* Loads every *.sql file of dir (NULL: <data folder>/indicators) in name order. A file that
 * is broken (unknown key, missing key, bad value, duplicate id) is skipped and recorded as a
 * problem with file, line and column; the others load. Fails only when dir cannot be read
 * (BIMO_ERR_NOINPUT). *out is owned by the caller (bimo_catalogue_free). */
BIMO_API bimo_status bimo_catalogue_load(const char *dir, bimo_catalogue **out, bimo_error *err);

/* Frees the catalogue and its indicators; NULL is fine. Free results computed from it first. */
BIMO_API void bimo_catalogue_free(bimo_catalogue *cat);

/* The loaded indicators, sorted by order, then id. */
BIMO_API size_t bimo_catalogue_count(const bimo_catalogue *cat);
BIMO_API const bimo_indicator *bimo_catalogue_get(const bimo_catalogue *cat, size_t i);

/* The indicator with this id (exact), or NULL. */
BIMO_API const bimo_indicator *bimo_catalogue_find(const bimo_catalogue *cat, const char *id);

/* The files that did not load: problem i has file, line, column and message. */
BIMO_API size_t bimo_catalogue_problem_count(const bimo_catalogue *cat);
BIMO_API const bimo_error *bimo_catalogue_problem(const bimo_catalogue *cat, size_t i);

/* "count", "rate", "share", "quantile" / "stichtag", "jahr", "quartal", "schuljahr". */
BIMO_API const char *bimo_indicator_kind_name(bimo_indicator_kind kind);
BIMO_API const char *bimo_period_kind_name(bimo_period_kind kind);

/* The dimensions bimo knows (gemeinde, kommune, region, geschlecht, altersgruppe, ...): their
 * number and the name of dimension i (0 .. count-1; NULL beyond), in a fixed order. */
BIMO_API size_t bimo_dimension_count(void);
BIMO_API const char *bimo_dimension_name(size_t i);

/* The German column title of a dimension ("Gemeinde"), or NULL for an unknown name. */
BIMO_API const char *bimo_dimension_title(const char *name);

/* Computes indicators on a store. The engine keeps, for the life of the engine, the finest
 * result of every (indicator, period, parameters) it evaluated, so further breakdowns and
 * margins of the same indicator and period run no query. It reads the store through its own
 * read-only connection; indicator SQL may only read (an authorizer refuses anything else). */
typedef struct bimo_engine bimo_engine;

/* Creates an engine for store and cat (both must outlive it). Loads the code lists and the
 * district profile (municipalities, thresholds, source lines). *out is owned by the caller. */
BIMO_API bimo_status bimo_engine_new(bimo_store *store, const bimo_catalogue *cat,
                                     bimo_engine **out, bimo_error *err);

/* Frees the engine and its cache; NULL is fine. Results stay valid. */
BIMO_API void bimo_engine_free(bimo_engine *engine);

/* Which quantile a BIMO_KIND_QUANTILE result carries in its value column. */
typedef enum { BIMO_QUANTILE_MEDIAN = 0, BIMO_QUANTILE_Q1, BIMO_QUANTILE_Q3 } bimo_quantile;

/* A coordinate of a table cell that is not a margin: dimension name and category code. */
typedef struct bimo_cell_coord {
    const char *dim;  /* gemeinde, kommune, region, geschlecht, ... */
    const char *code; /* as in bimo_result_cell.code */
} bimo_cell_coord;

/* Release consistency (bimo_export): bimo_compute() asks force_secret about every non-zero
 * count cell before disclosure control and suppresses the cell whatever its size when it
 * returns non-zero (an earlier release hid it); afterwards it passes every suppressed cell to
 * report_secret, also subtotals the table does not show. coords are the cell's n non-margin
 * coordinates (a municipality subtotal named by its own level: kommune, region), denominator
 * is 1 for the denominators of a rate. Everything lives during the call. */
struct bimo_result_period;
typedef int (*bimo_secret_cb)(const struct bimo_result_period *period,
                              const bimo_cell_coord *coords, size_t n, int denominator, void *ctx);

typedef struct bimo_compute_options {
    int intern;                /* 1: no disclosure control (not for publication) */
    int top_n;                 /* dimension staat: the N largest nationalities, the rest
                                * "Übrige"; 0 means 10 */
    bimo_quantile quantile;    /* BIMO_KIND_QUANTILE: the value column */
    const char *const *params; /* "name=value" overriding the indicator's parameters */
    size_t nparams;
    const char *const *protect_dims; /* further dimensions the table is protected over, as a
                                      * slice (margin) of the table over dims and these, so
                                      * several breakdowns of a release share one protection;
                                      * ignored with intern */
    size_t nprotect_dims;
    bimo_secret_cb force_secret;  /* may be NULL */
    bimo_secret_cb report_secret; /* may be NULL; its return value is ignored */
    void *force_ctx;              /* passed to both */
} bimo_compute_options;

/* The state of a published number, with the symbols of German official statistics. */
typedef enum {
    BIMO_FLAG_NONE = 0,       /* a number */
    BIMO_FLAG_ZERO,           /* "–" exactly zero (a rate: numerator and denominator 0) */
    BIMO_FLAG_SECRET,         /* "." suppressed (disclosure control) */
    BIMO_FLAG_UNRELIABLE,     /* "/" denominator too small */
    BIMO_FLAG_NODATA,         /* "…" no data for the period (never zero) */
    BIMO_FLAG_PROVISIONAL,    /* "p" provisional: the period is not complete in the data */
    BIMO_FLAG_NOT_MEANINGFUL, /* "x" a rate over a denominator of 0 with a numerator above 0:
                               * no value (Tabellenfach gesperrt, weil Aussage nicht sinnvoll) */
    BIMO_FLAG_COUNT
} bimo_flag;

/* The symbol of a flag ("" for BIMO_FLAG_NONE) and its German legend text. */
BIMO_API const char *bimo_flag_symbol(bimo_flag flag);
BIMO_API const char *bimo_flag_legend(bimo_flag flag);

/* One period of a result. */
typedef struct bimo_result_period {
    const char *period; /* machine form: 2025-12-31, 2025, 2025Q3, 2024/25 */
    const char *label;  /* German: 31.12.2025, 2025, 3. Quartal 2025, Schuljahr 2024/25 */
    int32_t stichtag;   /* reference date (yyyymmdd) */
    int32_t von, bis;   /* first and last day (yyyymmdd) */
    int has_data;       /* 0: no snapshot for the period; its rows are BIMO_FLAG_NODATA */
    int provisional;    /* the period reaches beyond the data's reference date */
    const char *quelle; /* the indicator's source line for this period */
    const char *note;   /* why there are no data, else "" */
} bimo_result_period;

/* One dimension value of a row. */
typedef struct bimo_result_cell {
    const char *code;  /* machine code: AGS "03459024", "m", "475", "10-16"; "Insgesamt" */
    const char *label; /* German label: "Melle, Stadt", "männlich", "Syrien"; "Insgesamt" */
    int total;         /* 1 for the margin "Insgesamt" */
} bimo_result_cell;

enum {
    BIMO_HAS_NUMERATOR = 1,   /* numerator is shown */
    BIMO_HAS_DENOMINATOR = 2, /* denominator is shown (rate, share) */
    BIMO_HAS_VALUE = 4        /* value (and for quantiles q1, median, q3) is shown */
};

/* One row of a tidy result: a period, one cell per dimension, the numbers and a flag.
 * Numbers that are not shown (see has) are 0, so a suppressed number cannot leak. */
typedef struct bimo_result_row {
    size_t period;                 /* index of the period */
    const bimo_result_cell *cells; /* bimo_result_dim_count() cells */
    unsigned margin;               /* bit i set when cells[i] is "Insgesamt"; 0: finest level */
    unsigned has;                  /* BIMO_HAS_* */
    int64_t numerator;             /* count; rate/share: the numerator; quantile: observations */
    int64_t denominator;           /* rate and share */
    double value;                  /* the count, the rate (x factor) or the chosen quantile */
    double q1, median, q3;         /* quantile indicators (type 7, exact) */
    bimo_flag flag;
} bimo_result_row;

/* A computed table. Rows are ordered by period, then by dimension in the requested order,
 * "Insgesamt" before the categories. */
typedef struct bimo_result bimo_result;

/* Computes indicator id for period (a date, year, quarter, school year or a range such as
 * 2019..2025) broken down by dims[0 .. ndims-1] (none: the total only), with every margin:
 * each subset of the dimensions replaced by "Insgesamt", and for gemeinde, kommune and
 * region their subtotals. Unless opt->intern, disclosure control (thresholds from the
 * district profile) suppresses small cells and their complements. opt may be NULL.
 * BIMO_ERR_NOTFOUND for an unknown id, BIMO_ERR_ARG for a period or dimension the indicator
 * does not allow, BIMO_ERR_PARSE/BIMO_ERR_PERM for broken or writing indicator SQL (with
 * the indicator file's line and column). *out is owned by the caller (bimo_result_free). */
BIMO_API bimo_status bimo_compute(bimo_engine *engine, const char *id, const char *period,
                                  const char *const *dims, size_t ndims,
                                  const bimo_compute_options *opt, bimo_result **out,
                                  bimo_error *err);

/* Frees a result; NULL is fine. */
BIMO_API void bimo_result_free(bimo_result *res);

/* The indicator (owned by the catalogue) and whether the result is unprotected. */
BIMO_API const bimo_indicator *bimo_result_indicator(const bimo_result *res);
BIMO_API int bimo_result_intern(const bimo_result *res);

/* The district's name from the profile, e.g. "Landkreis Osnabrück". */
BIMO_API const char *bimo_result_area(const bimo_result *res);

/* The dimensions of the result (requested order; a share's share_of is added if missing). */
BIMO_API size_t bimo_result_dim_count(const bimo_result *res);
BIMO_API const char *bimo_result_dim(const bimo_result *res, size_t i);

BIMO_API size_t bimo_result_period_count(const bimo_result *res);
BIMO_API const bimo_result_period *bimo_result_period_at(const bimo_result *res, size_t i);

BIMO_API size_t bimo_result_row_count(const bimo_result *res);
BIMO_API const bimo_result_row *bimo_result_row_at(const bimo_result *res, size_t i);

/* Writes SQLite's plan for indicator id (EXPLAIN QUERY PLAN of its SQL, bound as the engine
 * binds it for the last period of period) to out as an indented tree: which tables are
 * scanned or searched by which key, the snapshot's rowid range, temporary indexes. */
BIMO_API bimo_status bimo_explain(bimo_engine *engine, const char *id, const char *period,
                                  FILE *out, bimo_error *err);

/* Output formats of results and of bimo_sql_query(). */
typedef enum {
    BIMO_FORMAT_TABLE = 0, /* for people: aligned, German numbers (1.234; 12,3 %), symbols */
    BIMO_FORMAT_CSV,       /* for machines: UTF-8, "." decimals, ISO dates, RFC 4180 */
    BIMO_FORMAT_JSON       /* the CSV's content plus labels and metadata */
} bimo_format;

/* Writes results[0 .. n-1] to out. CSV has one header
 * "indicator,period,<dims...>,numerator,denominator,value,flag" (all results must have the
 * same dimensions, else BIMO_ERR_ARG); a margin's code is "Insgesamt", a missing number
 * empty. JSON is an array with one object per result: metadata, periods and rows. */
BIMO_API bimo_status bimo_results_write(const bimo_result *const *results, size_t n,
                                        bimo_format format, FILE *out, bimo_error *err);

/* ---- Workbooks ------------------------------------------------------------------------ */

/* One table of a workbook: a computed result and how to present it. Strings are borrowed. */
typedef struct bimo_workbook_table {
    const bimo_result *result;
    const char *title; /* overrides the indicator title; NULL: indicator title */
    const char *note;  /* extra footnote or NULL */
    const char *sheet; /* sheet name or NULL (derived from the indicator id, made unique,
                        * Excel limits: 31 characters, none of []:*?/\) */
    const char *chart; /* NULL, or "bar", "column", "line", "pie": a native Excel chart next
                        * to the table */
} bimo_workbook_table;

typedef struct bimo_workbook_options {
    const char *title;    /* cover title, e.g. "Bildungsmonitoring Landkreis Osnabrück";
                           * NULL: "Bildungsmonitoring <district>" */
    const char *subtitle; /* e.g. the period */
    const char *producer; /* e.g. "Bildungsbüro Landkreis Osnabrück"; NULL: the profile's
                           * "herausgeber", else "bimo" */
    int64_t created;      /* Unix time for the document properties; 0: SOURCE_DATE_EPOCH if
                           * set, else the latest reference date of the tables (00:00 UTC) */
    int intern;           /* results are unprotected: mark every sheet "INTERN – nicht zur
                           * Veröffentlichung" (also done when any result is intern) */
    int keep_existing;    /* 1: fail with BIMO_ERR_CANTCREATE if path exists; 0: replace it */
} bimo_workbook_options;

/* Writes tables[0 .. n-1] as an Excel workbook (.xlsx) to path: a cover sheet, a contents
 * sheet linking every table, a notes sheet (definitions, sources, symbol legend, disclosure
 * rule with the profile's thresholds, footnotes), one sheet per table (title, subtitle,
 * header rows with dimension titles, margins, frozen panes, numbers as numbers with formats
 * "#,##0" / "0.0" that Excel shows in the user's locale, symbols as text in suppressed cells,
 * AGS codes as text) and a tidy data sheet "Daten" (one row per value, machine codes).
 * Values only, no formulas; the same input and created time give the same bytes. The file
 * is written under a temporary name beside path and renamed into place; on failure nothing
 * is left. opt may be NULL. BIMO_ERR_ARG for a bad chart kind, BIMO_ERR_CANTCREATE or
 * BIMO_ERR_IO when the file cannot be written. */
BIMO_API bimo_status bimo_workbook_write(const char *path, const bimo_workbook_table *tables,
                                         size_t n, const bimo_workbook_options *opt,
                                         bimo_error *err);

/* ---- Read-only SQL ---------------------------------------------------------------------- */

/* Runs one SQL statement on its own read-only connection to the store and writes the rows
 * to out. An authorizer allows only reading: writes, schema changes, ATTACH, transactions,
 * extensions and PRAGMAs other than reading ones (table_info, index_list, user_version, ...)
 * are refused with BIMO_ERR_PERM; a syntax error is BIMO_ERR_PARSE. The functions
 * bimo_age, bimo_days, bimo_add_months and bimo_altersgruppe are available. */
BIMO_API bimo_status bimo_sql_query(bimo_store *store, const char *sql, bimo_format format,
                                    FILE *out, bimo_error *err);

/* ---- Templates -------------------------------------------------------------------------- */

/* A report or export template: CommonMark with a front matter block (title, subtitle,
 * district, authors, date, period, kind, sheet_prefix), fenced bimo-figure and bimo-table
 * blocks of "key: value" lines and {{ID key=value field}} placeholders in the text
 * (report-templates/README.md describes the syntax). */
typedef struct bimo_template bimo_template;

/* Reads and checks the template at path for the run's period (NULL: the front matter's
 * "period"): every block and placeholder is checked against cat (indicator, keys,
 * dimensions, parameters, fields, periods relative to the run such as {P-6}..{P}). Nothing is
 * computed. Problems are BIMO_ERR_PARSE or BIMO_ERR_DATA with the template's path, line and
 * column; BIMO_ERR_ARG when there is no period or it is not one period; BIMO_ERR_NOINPUT when
 * the file cannot be read. *out is owned by the caller (bimo_template_free). */
BIMO_API bimo_status bimo_template_load(const char *path, const bimo_catalogue *cat,
                                        const char *period, bimo_template **out, bimo_error *err);

/* Frees a template; NULL is fine. */
BIMO_API void bimo_template_free(bimo_template *t);

/* The run's period ("2025"), the front matter's title (NULL if none) and kind ("report" unless
 * the front matter says "export"); owned by the template. */
BIMO_API const char *bimo_template_period(const bimo_template *t);
BIMO_API const char *bimo_template_title(const bimo_template *t);
BIMO_API const char *bimo_template_kind(const bimo_template *t);

/* The path of a template shipped with bimo: <data folder>/report-templates/<name> (NULL:
 * bildungsbericht.md). The file is not checked. */
BIMO_API bimo_status bimo_template_default(const char *name, char *buf, size_t size,
                                           bimo_error *err);

/* Computes every bimo-table block of template t on engine (its indicator, period, by,
 * parameters, top and quantile; protected unless opt->intern) and writes the tables with
 * bimo_workbook_write() in template order, each with the block's title, note, sheet (else
 * the front matter's sheet_prefix and the id) and chart. The cover's title, subtitle and
 * producer default to the front matter's title, subtitle and authors. A template without
 * bimo-table blocks is BIMO_ERR_DATA; a block that fails to compute reports the engine's
 * error at the block's line. opt may be NULL. */
BIMO_API bimo_status bimo_workbook_write_template(const char *path, bimo_engine *engine,
                                                  const bimo_template *t,
                                                  const bimo_workbook_options *opt,
                                                  bimo_error *err);

/* ---- Reports ---------------------------------------------------------------------------- */

typedef struct bimo_report_options {
    const char *period; /* the report period, e.g. "2025"; NULL: the template's front matter */
    int intern;         /* 1: no disclosure control; every page is marked internal */
    int force;          /* 1: replace an existing output folder */
} bimo_report_options;

/* What a finished report holds. */
typedef struct bimo_report_summary {
    int pages, figures, tables, placeholders;
    int removed_leftovers; /* temporary folders of killed runs for dir, removed */
} bimo_report_summary;

/* Zeroes the options: the template's period, protected, no replacing. */
BIMO_API void bimo_report_options_init(bimo_report_options *opt);

/* Renders the report template at template_path (bimo_template_default() gives the shipped
 * Bildungsbericht) from store into the folder dir: dir/bildungsbericht.pdf (A4, cover,
 * contents with links and page numbers, outline, numbered chapters, figures and tables with
 * captions, sources and footnotes; fonts embedded; metadata from the template and the data),
 * every figure as dir/abbildungen/abbildung-NN.png and .svg, and dir/bildungsbericht.xlsx
 * with every figure's and table's numbers. The template is checked and every number computed
 * before anything is written; the folder is assembled beside dir under a temporary name and
 * renamed into place at the end, so a failed run leaves nothing, and the next run removes
 * what a killed one left. An existing dir is BIMO_ERR_CANTCREATE unless opt->force and it
 * holds an earlier report (its bildungsbericht.pdf). The same store and template give the same
 * bytes. Template problems are BIMO_ERR_PARSE/BIMO_ERR_DATA with the template's line and column.
 * opt and summary may be NULL. */
BIMO_API bimo_status bimo_report_write(bimo_store *store, const bimo_catalogue *cat,
                                       const char *template_path, const char *dir,
                                       const bimo_report_options *opt, bimo_report_summary *summary,
                                       bimo_error *err);

/* ---- Export ------------------------------------------------------------------------------ */

/* A step of a running export, for logs (cron). Strings live during the callback. */
typedef struct bimo_export_event {
    const char *event;   /* "lock", "cleanup", "table", "release", "done" */
    const char *message; /* one English sentence */
    const char *path;    /* the file or folder concerned, or NULL */
    int64_t count;       /* table: rows kept secret; cleanup: folders removed; done: tables */
} bimo_export_event;

typedef struct bimo_export_options {
    int force;        /* replace an earlier export in the folder */
    int wait_seconds; /* how long to wait for the store lock; 0: fail at once */
    void (*log)(const bimo_export_event *ev, void *ctx); /* may be NULL */
    void *ctx;
} bimo_export_options;

/* Writes the tables (bimo-table blocks) of template tpl, loaded for the run's
 * period, into the new folder dir: per table "NN_ID_tabelle.csv" for German Excel (";", UTF-8
 * with BOM, decimal comma, symbols, text made inert against formulas) and "NN_ID_daten.csv"
 * (the CSV of bimo_results_write), the workbook of all tables "<template name>.xlsx"
 * (bimo_workbook_write), and "manifest.json" (files with SHA-256, the imports used,
 * bimo version, template, period, disclosure settings). The store must be open for writing:
 * it is locked during the run (another writer or export waits up to opt->wait_seconds, then
 * BIMO_ERR_BUSY). Disclosure is consistent across the release and with earlier ones: a cell
 * that a table of this export, or an earlier export of the same indicator, hid for the same
 * reference date (flows: the same period or a part of it) is hidden again, and tables of one
 * indicator that share a hidden cell are protected together as slices of the table over all
 * their dimensions; the release and its hidden cells are recorded in the store. Everything is built
 * in a temporary folder beside dir and renamed into place at the end; a failure or a kill leaves
 * the earlier export (or none) untouched, and the next run removes the leftovers. An existing dir
 * is BIMO_ERR_CANTCREATE unless opt->force is set and dir holds an earlier export. Output is
 * byte-for-byte reproducible (its date comes from the data or SOURCE_DATE_EPOCH). */
BIMO_API bimo_status bimo_export(bimo_store *store, const bimo_catalogue *cat,
                                 const bimo_template *tpl, const char *dir,
                                 const bimo_export_options *opt, bimo_error *err);

/* ---- Synthetic sample district ------------------------------------------------------- */

/* How bimo_sample_write() encodes its files. */
typedef enum {
    BIMO_SAMPLE_UTF8 = 0, /* UTF-8 with BOM (German Excel's "CSV UTF-8") */
    BIMO_SAMPLE_CP1252    /* Windows-1252 without BOM (German Excel's plain "CSV") */
} bimo_sample_encoding;

#define BIMO_SAMPLE_DEFAULT_PERSONS 355000u
#define BIMO_SAMPLE_MAX_PERSONS     10000000u
#define BIMO_SAMPLE_MIN_YEAR        2000
#define BIMO_SAMPLE_MAX_YEAR        2035

/* Reports progress: done of total person slots so far. A non-zero return stops the run
 * (BIMO_ERR_ABORTED) and removes its files. */
typedef int (*bimo_sample_progress_cb)(uint64_t done, uint64_t total, void *ctx);

/* What a finished run wrote. */
typedef struct bimo_sample_summary {
    int files;
    uint64_t rows; /* data rows, header lines not counted */
    uint64_t bytes;
    uint64_t faults; /* rows spoilt on purpose (dirty) */
    uint64_t slots;  /* person slots generated (persons ever in the district's history) */
} bimo_sample_summary;

typedef struct bimo_sample_options {
    uint32_t persons; /* population at the start, 1 .. BIMO_SAMPLE_MAX_PERSONS */
    uint64_t seed;    /* the same seed and options give byte-identical files */
    int from_year;    /* first reference year (melderegister on 31.12.from_year) */
    int to_year;      /* last reference year, at most 20 years after from_year */
    bimo_sample_encoding encoding;
    int dirty;                        /* spoil about 1 row in 1,000 as real extracts are spoilt */
    int quarterly;                    /* melderegister every quarter instead of every 31 December */
    bimo_sample_progress_cb progress; /* may be NULL */
    void *progress_ctx;
    bimo_sample_summary *summary; /* filled on success when not NULL */
} bimo_sample_options;

/* Sets the defaults: 355,000 persons, seed 1, 2019 .. 2025, UTF-8, clean, yearly. */
BIMO_API void bimo_sample_options_init(bimo_sample_options *opt);

/* Writes the five extracts of a synthetic Landkreis Osnabrück into dir (created if
 * missing; files of the same name are replaced): melderegister_YYYY-MM-DD.csv per
 * 31 December (or quarter), aufenthalt_YYYY-MM-DD.csv per quarter, one cumulative
 * integrationskurs_YYYY-MM-DD.csv as of 31.12.to_year, schule_YYYY-YY.csv per school year
 * from_year/from_year+1 .. to_year/to_year+1, schulabgang_YYYY-YY.csv per school year
 * ending in from_year .. to_year. The population is read from the district profile in
 * the data folder and evolves over time; memory use does not grow with persons. Every
 * file is written under a temporary name and renamed at the end; on failure none is
 * left. opt may be NULL for the defaults. BIMO_ERR_ARG for invalid options,
 * BIMO_ERR_CANTCREATE or BIMO_ERR_IO (with the path) when writing fails. */
BIMO_API bimo_status bimo_sample_write(const char *dir, const bimo_sample_options *opt,
                                       bimo_error *err);

/* ---- Charts ---------------------------------------------------------------------------- */

/* How a result is drawn. Text is German and set in DejaVu Sans (through fontconfig); numbers
 * and symbols read exactly as in tables. */
typedef struct bimo_chart_options {
    const char *kind; /* "bar" (columns), "hbar", "grouped", "stacked", "stacked100", "line",
                       * "pyramid", "map"; NULL: the indicator's chart metadata adapted to the
                       * result (a series over several periods is a line, bars over a
                       * dimension's categories lie horizontally) */
    double width_mm, height_mm; /* default 160 x 100 */
    int dpi;                    /* PNG, default 300 */
    const char *title;          /* overrides the indicator title; NULL: indicator title */
    const char *note;           /* an extra footnote, may be NULL */
    int figure_number;          /* > 0: "Abbildung N: " before the title */
    int bare; /* 1: draw only the plot, legend and symbol legend: no title, subtitle, source or
               * footnotes (the report sets those as its caption) */
} bimo_chart_options;

/* Sets the defaults above. */
BIMO_API void bimo_chart_options_init(bimo_chart_options *opt);

/* Draws res as a chart into path; the format follows the extension (.png, .svg, .pdf). The
 * file is written through bimo_output_* (replaced if it exists, never left half-written).
 * The same result and options give the same bytes; a PDF carries the data's reference date
 * as its creation date. opt may be NULL for the defaults. BIMO_ERR_ARG for an unknown kind
 * or extension, a size out of range, or a result the kind cannot show (a pyramid needs
 * altersgruppe and geschlecht, a map gemeinde or kommune). */
BIMO_API bimo_status bimo_chart_write(const bimo_result *res, const bimo_chart_options *opt,
                                      const char *path, bimo_error *err);

#ifdef __cplusplus
}
#endif
#endif /* BIMO_H */
