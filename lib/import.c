/* import.c — the one import engine for every registry source: header mapping, validation,
 * pseudonyms, duplicate keys, snapshot replacement, rejects and provenance.
 *
 * Two threads share the work: the reader thread parses, validates and hashes rows into
 * batches; the store thread binds and inserts them. Rejected rows are spilled to a
 * temporary file and written after the load, so a rolled-back import still records them.
 * Duplicate keys are found in bounded memory: a Bloom filter flags possible repeats, and
 * only those candidates are checked exactly against the loaded rows at the end. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <csv.h>

#include "codes.h"
#include "csv_reader.h"
#include "error.h"
#include "import.h"
#include "pipe.h"
#include "provenance.h"
#include "store.h"
#include "summary.h"
#include "transition.h"
#include "values.h"

#define MAX_COLUMNS     16
#define BATCH_ROWS      4096
#define PSEUDONYM_BYTES 16
#define MAX_SNAPSHOTS   64
#define REASON_MAX      300
#define STAAT_CHARS     "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

/* ---- Rows and batches ----------------------------------------------------------------- */

typedef struct {
    int64_t line;
    int snapshot;       /* index into the import's snapshot list */
    uint32_t null_mask; /* bit i: value i is NULL */
    int64_t v[MAX_COLUMNS];
    unsigned char person[PSEUDONYM_BYTES]; /* filled by the hash thread */
    char id[64];                           /* the raw identifier until it is hashed, then wiped */
    uint8_t id_len;
    char text[24];    /* the one text column (school number) */
    int64_t second;   /* the second key column's value (e.g. berechtigung_datum), 0 if none */
    uint32_t raw_off; /* the row's text in the batch, for a duplicate's reject */
    uint32_t raw_len;
} staged_row;

#define BATCH_RAW (1 << 20)  /* bytes of row text a batch holds */
#define RAW_KEPT  (64 << 10) /* a longer row keeps only its start for a duplicate's reject */

typedef struct {
    staged_row rows[BATCH_ROWS];
    int count;
    size_t raw_used;
    char raw[BATCH_RAW];
} batch;

#define BATCHES 6 /* in flight between the three threads; fewer than a pipe's slots */

/* ---- Column plan: how each header field maps to a spec column ------------------------- */

typedef struct {
    const bimo_column_spec *spec;
    int field;            /* index in the CSV record, -1 if absent */
    int value;            /* index into staged_row.v, -1 for snapshot key and person */
    bimo_codelist *codes; /* BIMO_T_CODE */
} planned_column;

typedef struct {
    int key; /* stichtag yyyymmdd (or school year start) */
    int64_t id;
    int64_t rows;
    int64_t first_row, last_row; /* rowid range written by this import */
} snapshot_ref;

typedef struct {
    uint64_t key; /* the row's filter key (identifier, snapshot, second key) */
    unsigned char person[PSEUDONYM_BYTES];
    int64_t second; /* second key value (e.g. berechtigung_datum), 0 if none */
    int snapshot;
    int64_t line;
    long raw_at; /* offset of its masked text in cand_raw */
    uint32_t raw_len;
} dup_candidate;

typedef struct {
    uint64_t key;
    int64_t line;
} key_line; /* spilled for every loaded row, read back only when candidates exist */

typedef struct {
    uint64_t *bits;
    uint64_t nbits; /* a multiple of 512 */
    int64_t capacity, count;
} bloom_layer;

typedef struct importer {
    bimo_store *store;
    sqlite3 *db;
    const bimo_source_spec *source;
    const bimo_import_options *opt;
    const char *path;      /* as given */
    const char *file_name; /* as recorded */
    bimo_error *err;

    planned_column cols[MAX_COLUMNS];
    int ncols;
    int nvalues;        /* stored value columns (excluding person) */
    int person_col;     /* index into cols */
    int snapshot_col;   /* index into cols, -1 if the key comes from options */
    int second_key_col; /* index into cols of a non-person key column, -1 if none */
    int text_value;     /* value index of the text column, -1 if none */
    int header_fields;
    int school;         /* snapshot key is a school year */
    int fixed_stichtag; /* from options, 0 if none */

    bimo_codelist *lists[MAX_COLUMNS];
    int nlists;
    bimo_codelist *staaten, *gemeinden;

    snapshot_ref snaps[MAX_SNAPSHOTS];
    int nsnaps;
    int64_t import_id;

    /* counters */
    int64_t rows_read, rows_repaired, rows_loaded;
    bimo_rejects rj; /* rejected rows, spilled to a temporary file */

    /* duplicates */
    bloom_layer layers[16];
    int bloom_known_size; /* the first layer was sized from the input's size */
    int nlayers;
    dup_candidate *cands;
    FILE *keys;     /* key_line of every loaded row */
    FILE *cand_raw; /* masked text of the candidates, read back for the true repeats */
    key_line keybuf[4096];
    int nkeybuf;
    size_t ncands, cap_cands;

    char *mask; /* the raw text of a rejected row with its identifier masked */
    size_t mask_cap;
    int delimiter;

    /* checks planned once, run per row */
    struct {
        int value, field; /* value index, column index */
        unsigned flags;
    } date_checks[MAX_COLUMNS];
    int ndate_checks;
    struct {
        int earlier, later; /* column indices */
    } orders[8];
    int norders;
    int birth_year_value, birth_year_field; /* school sources: geburtsjahr */
    int32_t *district_ags;                  /* sorted AGS of the district's municipalities */
    size_t ndistrict_ags;

    /* threads: reader -> to_hash -> hasher -> to_store -> store -> free_batches -> reader */
    bimo_pipe to_hash, to_store, free_batches;
    int failed;              /* set by the store thread (atomic) */
    bimo_status hash_status; /* the hash thread's own failure (memory, temporary file) */
    bimo_error hash_err;
    sqlite3_stmt *insert, *insert_many;
    bimo_status store_status;
    bimo_error store_err;

    /* per-snapshot counts (melderegister, aufenthalt; NULL for the other sources), kept by
     * the store thread for every inserted row and by resolve_duplicates for removed ones */
    bimo_summary *summary;
    int summary_value[BIMO_SUMMARY_INPUTS]; /* value index of each summary input */
} importer;

/* ---- Rejects -------------------------------------------------------------------------- */

static void reject(importer *im, int64_t line, long column, const char *reason, const char *raw,
                   size_t raw_len)
{
    bimo_rejects_add(&im->rj, line, column, reason, raw, raw_len);
}

/* ---- Header ----------------------------------------------------------------------------- */

static int spec_matches(const bimo_column_spec *spec, const char *key)
{
    char want[128];
    bimo_normalize_key(spec->name, strlen(spec->name), want, sizeof want);
    if (strcmp(want, key) == 0)
        return 1;
    for (const char *p = spec->aliases; p && *p;) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        bimo_normalize_key(p, n, want, sizeof want);
        if (strcmp(want, key) == 0)
            return 1;
        p += n + (bar != NULL);
    }
    return 0;
}

static void header_text(const bimo_csv_record *rec, int delim, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < rec->nfields && n + 1 < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s",
                              i ? (delim == '\t'  ? "\\t"
                                   : delim == ',' ? ","
                                                  : ";")
                                : "",
                              rec->fields[i]);
}

static bimo_status map_header(importer *im, const bimo_csv_record *rec, int delim)
{
    char found[400];
    header_text(rec, delim, found, sizeof found);
    im->header_fields = (int)rec->nfields;
    for (int c = 0; c < im->ncols; c++)
        im->cols[c].field = -1;
    for (size_t f = 0; f < rec->nfields; f++) {
        char key[128];
        bimo_normalize_key(rec->fields[f], rec->lengths[f], key, sizeof key);
        if (!key[0])
            continue;
        if (bimo_is_personal_column(key))
            return bimo_fail_at(im->err, BIMO_ERR_DATA, im->file_name, rec->line, (long)f + 1,
                                "column \"%s\" holds names or addresses, which bimo does not "
                                "store; remove it from the extract",
                                rec->fields[f]);
        int matched = -1;
        for (int c = 0; c < im->ncols && matched < 0; c++)
            if (spec_matches(im->cols[c].spec, key))
                matched = c;
        if (matched < 0) {
            bimo_import_notice(im->opt, "%s: column \"%s\" is not part of %s and is ignored",
                               im->file_name, rec->fields[f], im->source->name);
            continue;
        }
        if (im->cols[matched].field >= 0)
            return bimo_fail_at(im->err, BIMO_ERR_DATA, im->file_name, rec->line, (long)f + 1,
                                "column \"%s\" appears twice (also column %d)",
                                im->cols[matched].spec->name, im->cols[matched].field + 1);
        im->cols[matched].field = (int)f;
    }
    for (int c = 0; c < im->ncols; c++) {
        const bimo_column_spec *s = im->cols[c].spec;
        if (im->cols[c].field < 0 && (s->flags & BIMO_REQUIRED))
            return bimo_fail_at(im->err, BIMO_ERR_DATA, im->file_name, 0, 0,
                                "required column \"%s\" missing; header has: %s", s->name, found);
    }
    if (im->snapshot_col >= 0 && im->cols[im->snapshot_col].field < 0 && !im->fixed_stichtag)
        return bimo_fail_at(im->err, BIMO_ERR_DATA, im->file_name, 0, 0,
                            "no reference date: give --stichtag DATE or a column \"stichtag\"; "
                            "header has: %s",
                            found);
    return BIMO_OK;
}

/* ---- Code lists --------------------------------------------------------------------- */

static int compare_int32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return x < y ? -1 : x > y;
}

static bimo_status load_lists(importer *im)
{
    bimo_status st = bimo_codelist_load_named("staaten", &im->staaten, im->err);
    if (st == BIMO_OK)
        st = bimo_codelist_load_municipalities(&im->gemeinden, im->err);
    if (st != BIMO_OK)
        return st;
    size_t n = bimo_codelist_size(im->gemeinden);
    if (!(im->district_ags = calloc(n ? n : 1, sizeof *im->district_ags)))
        return bimo_fail(im->err, BIMO_ERR_NOMEM, "out of memory");
    for (size_t r = 0; r < n; r++)
        im->district_ags[im->ndistrict_ags++] = atoi(bimo_codelist_code(im->gemeinden, (int)r));
    qsort(im->district_ags, im->ndistrict_ags, sizeof *im->district_ags, compare_int32);
    /* ISO alpha-3 codes are accepted and mapped to the Destatis code. */
    for (size_t r = 0; r < bimo_codelist_size(im->staaten); r++) {
        const char *iso = bimo_codelist_value(im->staaten, (int)r, "iso3");
        if (iso && *iso && (st = bimo_codelist_add_alias(im->staaten, (int)r, iso)) != BIMO_OK)
            return st;
    }
    for (int c = 0; c < im->ncols; c++) {
        const char *name = im->cols[c].spec->codelist;
        if (!name)
            continue;
        for (int i = 0; i < im->nlists && !im->cols[c].codes; i++)
            if (strcmp(bimo_codelist_name(im->lists[i]), name) == 0)
                im->cols[c].codes = im->lists[i];
        if (im->cols[c].codes)
            continue;
        if ((st = bimo_codelist_load_named(name, &im->lists[im->nlists], im->err)) != BIMO_OK)
            return st;
        im->cols[c].codes = im->lists[im->nlists++];
    }
    return BIMO_OK;
}

static bimo_status sync_lists(importer *im)
{
    bimo_status st = bimo_codelist_sync(im->staaten, im->db, im->err);
    if (st == BIMO_OK)
        st = bimo_codelist_sync(im->gemeinden, im->db, im->err);
    for (int i = 0; st == BIMO_OK && i < im->nlists; i++)
        st = bimo_codelist_sync(im->lists[i], im->db, im->err);
    return st;
}

/* ---- Validation ----------------------------------------------------------------------- */

typedef struct {
    char reason[REASON_MAX];
    long column;
} row_error;

static int row_fail(row_error *e, long column, const char *fmt, ...) BIMO_PRINTF(3, 4);
static int row_fail(row_error *e, long column, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->reason, sizeof e->reason, fmt, ap);
    va_end(ap);
    e->column = column;
    return -1;
}

static void code_examples(const bimo_codelist *l, char *buf, size_t size)
{
    size_t n = 0, count = bimo_codelist_size(l);
    buf[0] = '\0';
    for (size_t r = 0; r < count && r < 8 && n + 1 < size; r++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s", r ? ", " : "",
                              bimo_codelist_code(l, (int)r));
    if (count > 8 && n + 1 < size)
        snprintf(buf + n, size - n, ", ...");
}

/* Parses one field into *out; returns 1 for a value, 0 for empty (NULL), -1 on error. */
static int parse_value(importer *im, const planned_column *pc, const char *s, size_t len,
                       int64_t *out, int *repaired, row_error *e)
{
    const bimo_column_spec *spec = pc->spec;
    long col = pc->field + 1;
    if (len == 0)
        return 0;
    switch (spec->type) {
    case BIMO_T_DATE: {
        int32_t ymd;
        if (bimo_parse_date(s, len, &ymd) != 0)
            return row_fail(e, col, "%s \"%.*s\" is not a date (expected DD.MM.YYYY or YYYY-MM-DD)",
                            spec->name, (int)len > 40 ? 40 : (int)len, s);
        *out = ymd;
        return 1;
    }
    case BIMO_T_CODE: {
        int r = bimo_codelist_find(pc->codes, s, len);
        if (r < 0) {
            char ex[160];
            code_examples(pc->codes, ex, sizeof ex);
            return row_fail(e, col, "%s \"%.*s\" is not in code list %s (%s)", spec->name,
                            (int)len > 40 ? 40 : (int)len, s, spec->codelist, ex);
        }
        *out = bimo_codelist_id(pc->codes, r);
        return 1;
    }
    case BIMO_T_STAAT: {
        char padded[8];
        const char *t = s;
        size_t n = len;
        if (len < 3 && strspn(s, "0123456789") >= len) { /* Excel dropped leading zeros */
            snprintf(padded, sizeof padded, "%03d", atoi(s));
            t = padded;
            n = 3;
        }
        /* Matching keys drop '-', '.' and spaces, so only letters and digits may reach the
         * lookup: "-475" or "4.75" are no state codes. */
        int r = strspn(s, STAAT_CHARS) == len ? bimo_codelist_find(im->staaten, t, n) : -1;
        if (r < 0)
            return row_fail(e, col, "%s \"%.*s\" is not a Destatis state code or ISO alpha-3 code",
                            spec->name, (int)len > 40 ? 40 : (int)len, s);
        *out = bimo_codelist_id(im->staaten, r);
        if (t != s)
            *repaired = 1;
        return 1;
    }
    case BIMO_T_AGS:
    case BIMO_T_AGS_ANY: {
        int32_t ags;
        int fixed = 0;
        if (bimo_parse_ags(s, len, &ags, &fixed) != 0)
            return row_fail(e, col, "%s \"%.*s\" is not an 8-digit municipality key (AGS)",
                            spec->name, (int)len > 40 ? 40 : (int)len, s);
        if (spec->type == BIMO_T_AGS) {
            if (!bsearch(&ags, im->district_ags, im->ndistrict_ags, sizeof ags, compare_int32))
                return row_fail(e, col, "%s \"%.*s\" is not a municipality of the district",
                                spec->name, (int)len, s);
        }
        *out = ags;
        *repaired |= fixed;
        return 1;
    }
    case BIMO_T_INT: {
        int64_t v;
        if (bimo_parse_int(s, len, &v) != 0)
            return row_fail(e, col, "%s \"%.*s\" is not a whole number", spec->name,
                            (int)len > 40 ? 40 : (int)len, s);
        if (v < spec->min || v > spec->max)
            return row_fail(e, col, "%s %lld is out of range %d..%d", spec->name, (long long)v,
                            spec->min, spec->max);
        *out = v;
        return 1;
    }
    case BIMO_T_BOOL: {
        char key[16];
        bimo_normalize_key(s, len, key, sizeof key);
        if (!strcmp(key, "1") || !strcmp(key, "ja") || !strcmp(key, "j") || !strcmp(key, "true"))
            *out = 1;
        else if (!strcmp(key, "0") || !strcmp(key, "nein") || !strcmp(key, "n") ||
                 !strcmp(key, "false"))
            *out = 0;
        else
            return row_fail(e, col, "%s \"%.*s\" is not 0 or 1", spec->name,
                            (int)len > 40 ? 40 : (int)len, s);
        return 1;
    }
    case BIMO_T_SCHULJAHR: {
        int32_t y;
        if (bimo_parse_schuljahr(s, len, &y) != 0)
            return row_fail(e, col, "%s \"%.*s\" is not a school year (expected e.g. 2024/25)",
                            spec->name, (int)len > 40 ? 40 : (int)len, s);
        *out = y;
        return 1;
    }
    case BIMO_T_TEXT:
        /* A spreadsheet opening a later export would run such a value as a formula. */
        if (s[0] && strchr("=+-@\t\r", s[0]))
            return row_fail(e, col,
                            "%s \"%.*s\" begins with '%c', which spreadsheets run as a formula",
                            spec->name, (int)len > 40 ? 40 : (int)len, s, s[0]);
        if (len >= sizeof((staged_row *)0)->text)
            return row_fail(e, col, "%s \"%.*s\" is longer than %zu characters", spec->name,
                            (int)len > 40 ? 40 : (int)len, s, sizeof((staged_row *)0)->text - 1);
        return 1;
    case BIMO_T_PERSON: return 1;
    }
    return 1;
}

static int find_col(const importer *im, const char *name)
{
    for (int c = 0; c < im->ncols; c++)
        if (strcmp(im->cols[c].spec->name, name) == 0)
            return c;
    return -1;
}

/* Turns the spec's row checks into value indices once, so rows need no name lookups. */
static void plan_checks(importer *im)
{
    for (int c = 0; c < im->ncols; c++) {
        const bimo_column_spec *s = im->cols[c].spec;
        if ((s->flags & (BIMO_BIRTH | BIMO_NOT_AFTER)) && im->cols[c].value >= 0) {
            im->date_checks[im->ndate_checks].value = im->cols[c].value;
            im->date_checks[im->ndate_checks].field = c;
            im->date_checks[im->ndate_checks++].flags = s->flags;
        }
    }
    for (const bimo_date_order *o = im->source->orders; o && o->earlier; o++) {
        int a = find_col(im, o->earlier), b = find_col(im, o->later);
        if (a >= 0 && b >= 0 && im->norders < (int)(sizeof im->orders / sizeof im->orders[0])) {
            im->orders[im->norders].earlier = a;
            im->orders[im->norders++].later = b;
        }
    }
    int y = find_col(im, "geburtsjahr");
    im->birth_year_value = y >= 0 ? im->cols[y].value : -1;
    im->birth_year_field = y;
}

static int is_null(const staged_row *row, int value)
{
    return (row->null_mask >> value) & 1;
}

/* Checks across the fields of a row: birth dates, dates after the reference date, order. */
static int check_row(importer *im, staged_row *row, int32_t stichtag, row_error *e)
{
    char a[11], b[11];
    for (int i = 0; i < im->ndate_checks && !im->school; i++) {
        int v = im->date_checks[i].value, c = im->date_checks[i].field;
        if (is_null(row, v))
            continue;
        int32_t d = (int32_t)row->v[v];
        if (d > stichtag) {
            bimo_format_date(d, 1, a);
            bimo_format_date(stichtag, 1, b);
            return row_fail(e, im->cols[c].field + 1, "%s %s lies after the reference date %s",
                            im->cols[c].spec->name, a, b);
        }
        if ((im->date_checks[i].flags & BIMO_BIRTH) && bimo_age_years(d, stichtag) > 120)
            return row_fail(e, im->cols[c].field + 1, "age %d at the reference date is over 120",
                            bimo_age_years(d, stichtag));
    }
    for (int i = 0; i < im->norders; i++) {
        const planned_column *ca = &im->cols[im->orders[i].earlier];
        const planned_column *cb = &im->cols[im->orders[i].later];
        if (is_null(row, ca->value) || is_null(row, cb->value) ||
            row->v[ca->value] <= row->v[cb->value])
            continue;
        bimo_format_date((int32_t)row->v[ca->value], 1, a);
        bimo_format_date((int32_t)row->v[cb->value], 1, b);
        return row_fail(e, cb->field + 1, "%s %s lies before %s %s", cb->spec->name, b,
                        ca->spec->name, a);
    }
    int yv = im->birth_year_value;
    if (im->school && yv >= 0 && !is_null(row, yv)) {
        int64_t y = row->v[yv], start = stichtag / 10000;
        if (y > start || start - y > 40)
            return row_fail(e, im->cols[im->birth_year_field].field + 1,
                            "geburtsjahr %lld does not fit school year %lld/%02lld", (long long)y,
                            (long long)start, (long long)((start + 1) % 100));
    }
    return 0;
}

/* ---- Snapshots ------------------------------------------------------------------------ */

static int snapshot_index(importer *im, int key, row_error *e)
{
    for (int i = 0; i < im->nsnaps; i++)
        if (im->snaps[i].key == key)
            return i;
    if (im->nsnaps == MAX_SNAPSHOTS)
        return row_fail(e, 0, "more than %d reference dates in one file", MAX_SNAPSHOTS);
    im->snaps[im->nsnaps] = (snapshot_ref){.key = key, .id = 0};
    return im->nsnaps++;
}

/* Creates the snapshot row, or empties an existing one so the import replaces it. */
static bimo_status open_snapshot(importer *im, snapshot_ref *s)
{
    int32_t stichtag = im->school ? s->key * 10000 + 1001 : s->key;
    sqlite3_stmt *q;
    int rc = sqlite3_prepare_v2(im->db,
                                "SELECT id, first_row, last_row FROM snapshot"
                                " WHERE source = ? AND stichtag = ?",
                                -1, &q, NULL);
    if (rc != SQLITE_OK)
        return bimo_store_fail(im->db, &im->store_err, "cannot look up the snapshot");
    sqlite3_bind_text(q, 1, im->source->name, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 2, stichtag);
    int64_t first = 0, last = -1;
    s->id = 0;
    if (sqlite3_step(q) == SQLITE_ROW) {
        s->id = sqlite3_column_int64(q, 0);
        first = sqlite3_column_int64(q, 1);
        last = sqlite3_column_int64(q, 2);
    }
    sqlite3_finalize(q);
    char *sql;
    if (s->id) /* replace: the old rows go, the snapshot row stays with the new import */
        sql = sqlite3_mprintf("DELETE FROM \"%w\" WHERE rowid BETWEEN %lld AND %lld"
                              " AND snapshot_id = %lld;"
                              "UPDATE snapshot SET import_id = %lld, rows = 0 WHERE id = %lld",
                              im->source->name, (long long)first, (long long)last, (long long)s->id,
                              (long long)im->import_id, (long long)s->id);
    else if (im->school)
        sql = sqlite3_mprintf("INSERT INTO snapshot (source, stichtag, schuljahr, import_id)"
                              " VALUES (%Q, %d, %d, %lld)",
                              im->source->name, stichtag, s->key, (long long)im->import_id);
    else
        sql = sqlite3_mprintf("INSERT INTO snapshot (source, stichtag, import_id)"
                              " VALUES (%Q, %d, %lld)",
                              im->source->name, stichtag, (long long)im->import_id);
    rc = sql ? sqlite3_exec(im->db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    if (rc == SQLITE_OK && s->id && im->summary) { /* its counts go with its rows */
        sql = sqlite3_mprintf("DELETE FROM \"%w\" WHERE snapshot_id = %lld",
                              bimo_summary_table(im->summary), (long long)s->id);
        rc = sql ? sqlite3_exec(im->db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
        sqlite3_free(sql);
    }
    if (rc != SQLITE_OK)
        return bimo_store_fail(im->db, &im->store_err, "cannot prepare the snapshot");
    if (!s->id)
        s->id = sqlite3_last_insert_rowid(im->db);
    return BIMO_OK;
}

/* Writes the counts held in memory (the store thread while loading, then the finish). */
static bimo_status flush_summary(importer *im, bimo_error *err)
{
    int64_t ids[MAX_SNAPSHOTS];
    for (int i = 0; i < im->nsnaps; i++)
        ids[i] = im->snaps[i].id;
    return bimo_summary_flush(im->summary, im->db, ids, err);
}

/* ---- Duplicate keys: Bloom filter + exact check of candidates ------------------------- */

static bimo_status bloom_add_layer(importer *im, int64_t capacity)
{
    if (im->nlayers == (int)(sizeof im->layers / sizeof im->layers[0]))
        return bimo_fail(im->err, BIMO_ERR_NOMEM, "too many rows for duplicate detection");
    uint64_t nbits = ((uint64_t)capacity * 16 + 511) / 512 * 512; /* 16 bits a row */
    if (nbits < 1 << 16)
        nbits = 1 << 16;
    bloom_layer *l = &im->layers[im->nlayers];
    l->bits = aligned_alloc(64, nbits / 8);
    if (l->bits)
        memset(l->bits, 0, nbits / 8);
    if (!l->bits)
        return bimo_fail(im->err, BIMO_ERR_NOMEM, "out of memory");
    l->nbits = nbits;
    l->capacity = capacity;
    l->count = 0;
    im->nlayers++;
    return BIMO_OK;
}

/* A blocked Bloom filter: the key's bits all lie in one 512-bit block (one cache line), so a
 * row costs one cache miss however large the filter grows; plain probes spread over a 32 MB
 * filter made the 10-million-row import a third slower. */
#define BLOOM_PROBES 8

static uint64_t *bloom_block(const bloom_layer *l, uint64_t h1)
{
    /* Lemire's multiply-shift maps h1 onto the blocks without a division. */
    return l->bits + (size_t)(((unsigned __int128)h1 * (l->nbits >> 9)) >> 64) * 8;
}

static int bloom_has(const bloom_layer *l, uint64_t h1, uint64_t h2)
{
    const uint64_t *block = bloom_block(l, h1);
    for (int k = 0; k < BLOOM_PROBES; k++) {
        unsigned bit = (unsigned)(h2 >> (k * 8)) & 511;
        if (!((block[bit >> 6] >> (bit & 63)) & 1))
            return 0;
    }
    return 1;
}

/* Adds the key; returns 1 if it may have been seen before. */
static int bloom_test_and_add(importer *im, const uint64_t key[2])
{
    uint64_t h1 = key[0], h2 = key[1];
    for (int li = 0; li < im->nlayers; li++)
        if (bloom_has(&im->layers[li], h1, h2))
            return 1;
    bloom_layer *l = &im->layers[im->nlayers - 1];
    if (l->count >= l->capacity) {
        /* The first layer was sized from the file size; a further one only has to cover
         * the estimate's error. Input of unknown size (a pipe) doubles instead. */
        int64_t next = im->bloom_known_size ? l->capacity / 4 : l->capacity * 2;
        if (bloom_add_layer(im, next > (1 << 20) ? next : 1 << 20) != BIMO_OK)
            return 1; /* treat as a candidate: the exact check decides */
        l = &im->layers[im->nlayers - 1];
    }
    uint64_t *block = bloom_block(l, h1);
    for (int k = 0; k < BLOOM_PROBES; k++) {
        unsigned bit = (unsigned)(h2 >> (k * 8)) & 511;
        block[bit >> 6] |= 1ULL << (bit & 63);
    }
    l->count++;
    return 0;
}

static size_t mask_field(importer *im, const char *raw, size_t len, int field, char *out);

/* Notes a row that may repeat an earlier key; runs on the hash thread, in row order. */
static int add_candidate(importer *im, const staged_row *row, uint64_t key, const char *raw)
{
    if (im->ncands == im->cap_cands) {
        size_t cap = im->cap_cands ? im->cap_cands * 2 : 256;
        dup_candidate *c = realloc(im->cands, cap * sizeof *c);
        if (!c)
            return -1;
        im->cands = c;
        im->cap_cands = cap;
    }
    dup_candidate *c = &im->cands[im->ncands];
    memcpy(c->person, row->person, PSEUDONYM_BYTES);
    c->key = key;
    c->second = row->second;
    c->snapshot = row->snapshot;
    c->line = row->line;
    char buf[RAW_KEPT + 32];
    size_t n = mask_field(im, raw, row->raw_len, im->cols[im->person_col].field, buf);
    c->raw_at = ftell(im->cand_raw);
    c->raw_len = (uint32_t)n;
    if (c->raw_at < 0 || fwrite(buf, 1, n, im->cand_raw) != n)
        return -1;
    im->ncands++;
    return 0;
}

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The rowid of the loaded row from line `line`, or 0. The import inserts in line order, so
 * within its rowid range lines grow with rowids: a binary search finds any line. */
static int64_t rowid_of_line(sqlite3_stmt *q, int64_t lo, int64_t hi, int64_t line)
{
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        sqlite3_bind_int64(q, 1, mid);
        int found = sqlite3_step(q) == SQLITE_ROW;
        int64_t r = found ? sqlite3_column_int64(q, 0) : 0,
                l = found ? sqlite3_column_int64(q, 1) : 0;
        sqlite3_reset(q);
        if (found && l < line)
            lo = r + 1;
        else
            hi = mid;
    }
    sqlite3_bind_int64(q, 1, lo);
    int64_t r = 0;
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int64(q, 1) == line)
        r = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    return r;
}

/* True when the row at rowid holds the candidate's key (pseudonym, snapshot, second key):
 * the filter keys are 64-bit hashes, so a match is confirmed before anything is removed. */
static int same_key(importer *im, sqlite3_stmt *q, int64_t rowid, const dup_candidate *c)
{
    sqlite3_bind_int64(q, 1, rowid);
    int same = sqlite3_step(q) == SQLITE_ROW &&
               sqlite3_column_int64(q, 0) == im->snaps[c->snapshot].id &&
               sqlite3_column_bytes(q, 1) == PSEUDONYM_BYTES &&
               memcmp(sqlite3_column_blob(q, 1), c->person, PSEUDONYM_BYTES) == 0 &&
               sqlite3_column_int64(q, 2) == c->second;
    sqlite3_reset(q);
    return same;
}

/* Finds the first line of every candidate key in the spilled keys of all loaded rows. The
 * candidate keys go into an open-addressing table: almost every spilled key misses it at the
 * first probe. */
static bimo_status first_lines(importer *im, const uint64_t *keys, size_t nkeys, int64_t *first)
{
    size_t nslots = 64;
    while (nslots < nkeys * 2)
        nslots <<= 1;
    size_t *slot = calloc(nslots, sizeof *slot); /* index + 1 into keys; 0 is empty */
    if (!slot)
        return bimo_fail(im->err, BIMO_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < nkeys; i++) {
        first[i] = INT64_MAX;
        size_t h = (size_t)(keys[i] >> 17) & (nslots - 1);
        while (slot[h])
            h = (h + 1) & (nslots - 1);
        slot[h] = i + 1;
    }
    bimo_status st = BIMO_OK;
    if (fflush(im->keys) != 0 || fseek(im->keys, 0, SEEK_SET) != 0)
        st = bimo_fail(im->err, BIMO_ERR_IO, "cannot read back the row keys");
    key_line buf[4096];
    size_t n;
    while (st == BIMO_OK && (n = fread(buf, sizeof buf[0], sizeof buf / sizeof buf[0], im->keys)))
        for (size_t i = 0; i < n; i++)
            for (size_t h = (size_t)(buf[i].key >> 17) & (nslots - 1); slot[h];
                 h = (h + 1) & (nslots - 1))
                if (keys[slot[h] - 1] == buf[i].key) {
                    if (buf[i].line < first[slot[h] - 1])
                        first[slot[h] - 1] = buf[i].line;
                    break;
                }
    if (st == BIMO_OK && ferror(im->keys))
        st = bimo_fail(im->err, BIMO_ERR_IO, "cannot read back the row keys");
    free(slot);
    return st;
}

static bimo_status prepare_dup_statements(importer *im, sqlite3_stmt **seek, sqlite3_stmt **get,
                                          sqlite3_stmt **del)
{
    const char *person = bimo_source_store_column(im->cols[im->person_col].spec);
    const char *second = im->second_key_col >= 0 ? im->cols[im->second_key_col].spec->name : NULL;
    char *s1 = sqlite3_mprintf("SELECT rowid, line FROM \"%w\" WHERE rowid >= ? ORDER BY rowid"
                               " LIMIT 1",
                               im->source->name);
    char *s2 = sqlite3_mprintf("SELECT snapshot_id, \"%w\", %s%w%s FROM \"%w\" WHERE rowid = ?",
                               person, second ? "\"" : "", second ? second : "0",
                               second ? "\"" : "", im->source->name);
    char *s3 = sqlite3_mprintf("DELETE FROM \"%w\" WHERE rowid = ?", im->source->name);
    int rc = s1 && s2 && s3 ? SQLITE_OK : SQLITE_NOMEM;
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(im->db, s1, -1, seek, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(im->db, s2, -1, get, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(im->db, s3, -1, del, NULL);
    sqlite3_free(s1);
    sqlite3_free(s2);
    sqlite3_free(s3);
    return rc == SQLITE_OK ? BIMO_OK
                           : bimo_store_fail(im->db, im->err, "cannot check duplicate keys");
}

/* Prepares the reading of a loaded row's summary inputs, for uncount_row(). */
static bimo_status prepare_uncount(importer *im, sqlite3_stmt **out)
{
    *out = NULL;
    if (!im->summary)
        return BIMO_OK;
    sqlite3_str *s = sqlite3_str_new(im->db);
    for (int k = 0; k < bimo_summary_inputs(im->summary); k++)
        sqlite3_str_appendf(s, "%s\"%w\"", k ? ", " : "SELECT ",
                            bimo_summary_input(im->summary, k));
    sqlite3_str_appendf(s, " FROM \"%w\" WHERE rowid = ?", im->source->name);
    char *sql = sqlite3_str_finish(s);
    int rc = sql ? sqlite3_prepare_v2(im->db, sql, -1, out, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    return rc == SQLITE_OK ? BIMO_OK
                           : bimo_store_fail(im->db, im->err, "cannot check duplicate keys");
}

/* Takes the row at rowid, about to be removed as a duplicate, out of the summary counts. */
static bimo_status uncount_row(importer *im, sqlite3_stmt *q, int64_t rowid, int snapshot)
{
    if (!q)
        return BIMO_OK;
    int64_t in[BIMO_SUMMARY_INPUTS];
    sqlite3_bind_int64(q, 1, rowid);
    int found = sqlite3_step(q) == SQLITE_ROW;
    for (int k = 0; found && k < bimo_summary_inputs(im->summary); k++)
        in[k] = sqlite3_column_type(q, k) == SQLITE_NULL ? BIMO_SUMMARY_NULL
                                                         : sqlite3_column_int64(q, k);
    sqlite3_reset(q);
    if (!found)
        return bimo_store_fail(im->db, im->err, "cannot read a duplicate row");
    int full = bimo_summary_add(im->summary, snapshot, im->snaps[snapshot].key, in, -1);
    if (full < 0)
        return bimo_fail(im->err, BIMO_ERR_NOMEM, "out of memory");
    return full ? flush_summary(im, im->err) : BIMO_OK;
}

/* Removes every row whose key an earlier row of the file already had, and rejects it. */
static bimo_status resolve_duplicates(importer *im)
{
    if (!im->ncands)
        return BIMO_OK;
    uint64_t *keys = malloc(im->ncands * sizeof *keys);
    int64_t *first = malloc(im->ncands * sizeof *first);
    if (!keys || !first) {
        free(keys);
        free(first);
        return bimo_fail(im->err, BIMO_ERR_NOMEM, "out of memory");
    }
    size_t nkeys = 0;
    for (size_t i = 0; i < im->ncands; i++)
        keys[nkeys++] = im->cands[i].key;
    qsort(keys, nkeys, sizeof *keys, compare_u64);
    size_t u = 0;
    for (size_t i = 0; i < nkeys; i++)
        if (!u || keys[i] != keys[u - 1])
            keys[u++] = keys[i];
    nkeys = u;

    int64_t lo = INT64_MAX, hi = 0;
    for (int i = 0; i < im->nsnaps; i++)
        if (im->snaps[i].rows) {
            lo = im->snaps[i].first_row < lo ? im->snaps[i].first_row : lo;
            hi = im->snaps[i].last_row > hi ? im->snaps[i].last_row : hi;
        }
    sqlite3_stmt *seek = NULL, *get = NULL, *del = NULL, *uncount = NULL;
    bimo_status st = first_lines(im, keys, nkeys, first);
    if (st == BIMO_OK)
        st = prepare_dup_statements(im, &seek, &get, &del);
    if (st == BIMO_OK)
        st = prepare_uncount(im, &uncount);
    const char *second = im->second_key_col >= 0 ? im->cols[im->second_key_col].spec->name : NULL;
    for (size_t i = 0; st == BIMO_OK && i < im->ncands; i++) {
        dup_candidate *c = &im->cands[i];
        const uint64_t *k = bsearch(&c->key, keys, nkeys, sizeof *keys, compare_u64);
        int64_t line0 = first[k - keys];
        if (line0 >= c->line)
            continue; /* a false alarm of the filter: this row is the first with its key */
        int64_t r0 = rowid_of_line(seek, lo, hi + 1, line0);
        int64_t rc = rowid_of_line(seek, lo, hi + 1, c->line);
        if (!r0 || !rc || !same_key(im, get, r0, c))
            continue; /* two keys with one 64-bit hash: not the same person */
        if ((st = uncount_row(im, uncount, rc, c->snapshot)) != BIMO_OK)
            break;
        sqlite3_bind_int64(del, 1, rc);
        int done = sqlite3_step(del) == SQLITE_DONE;
        sqlite3_reset(del);
        if (!done) {
            st = bimo_store_fail(im->db, im->err, "cannot remove a duplicate row");
            break;
        }
        char reason[REASON_MAX];
        snprintf(reason, sizeof reason, "duplicate %s%s%s: already in line %lld",
                 im->cols[im->person_col].spec->name, second ? " and " : "", second ? second : "",
                 (long long)line0);
        char raw[RAW_KEPT + 32];
        size_t n = 0;
        if (fflush(im->cand_raw) == 0 && fseek(im->cand_raw, c->raw_at, SEEK_SET) == 0)
            n = fread(raw, 1, c->raw_len, im->cand_raw);
        reject(im, c->line, im->cols[im->person_col].field + 1, reason, raw, n);
        im->snaps[c->snapshot].rows--;
        im->rows_loaded--;
    }
    sqlite3_finalize(seek);
    sqlite3_finalize(get);
    sqlite3_finalize(del);
    sqlite3_finalize(uncount);
    free(keys);
    free(first);
    return st;
}

/* ---- The store thread -------------------------------------------------------------------- */

#define ROWS_PER_INSERT 32 /* multi-row INSERTs halve SQLite's per-row cost */

static bimo_status prepare_one(importer *im, int rows, sqlite3_stmt **out)
{
    sqlite3_str *s = sqlite3_str_new(im->db);
    sqlite3_str_appendf(s, "INSERT INTO \"%w\" (snapshot_id, line", im->source->name);
    int params = 2;
    for (int c = 0; c < im->ncols; c++)
        if (im->cols[c].value >= 0 || c == im->person_col) {
            sqlite3_str_appendf(s, ", \"%w\"", bimo_source_store_column(im->cols[c].spec));
            params++;
        }
    sqlite3_str_appendall(s, ") VALUES ");
    for (int r = 0; r < rows; r++) {
        sqlite3_str_appendall(s, r ? ", (?" : "(?");
        for (int p = 1; p < params; p++)
            sqlite3_str_appendall(s, ", ?");
        sqlite3_str_appendall(s, ")");
    }
    char *sql = sqlite3_str_finish(s);
    int rc = sql ? sqlite3_prepare_v3(im->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL)
                 : SQLITE_NOMEM;
    sqlite3_free(sql);
    return rc == SQLITE_OK ? BIMO_OK : bimo_store_fail(im->db, im->err, "cannot prepare insert");
}

static bimo_status prepare_insert(importer *im)
{
    bimo_status st = prepare_one(im, 1, &im->insert);
    return st == BIMO_OK ? prepare_one(im, ROWS_PER_INSERT, &im->insert_many) : st;
}

/* Binds one row from parameter p on; returns the next free parameter. */
static int bind_row(importer *im, sqlite3_stmt *q, int p, const staged_row *row)
{
    sqlite3_bind_int64(q, p++, im->snaps[row->snapshot].id);
    sqlite3_bind_int64(q, p++, row->line);
    for (int c = 0; c < im->ncols; c++) {
        int v = im->cols[c].value;
        if (c == im->person_col)
            sqlite3_bind_blob(q, p++, row->person, PSEUDONYM_BYTES, SQLITE_STATIC);
        else if (v < 0)
            continue;
        else if ((row->null_mask >> v) & 1)
            sqlite3_bind_null(q, p++);
        else if (v == im->text_value)
            sqlite3_bind_text(q, p++, row->text, -1, SQLITE_STATIC);
        else
            sqlite3_bind_int64(q, p++, row->v[v]);
    }
    return p;
}

/* Notes the rowids of rows [from, to) of b, which SQLite numbered consecutively. */
static void note_rows(importer *im, const batch *b, int from, int to)
{
    int64_t last = sqlite3_last_insert_rowid(im->db);
    for (int i = from; i < to; i++) {
        snapshot_ref *s = &im->snaps[b->rows[i].snapshot];
        int64_t rowid = last - (to - 1 - i);
        if (s->rows++ == 0 || rowid < s->first_row)
            s->first_row = rowid;
        if (rowid > s->last_row)
            s->last_row = rowid;
    }
    im->rows_loaded += to - from;
}

/* Counts the rows of b in the snapshot summaries. */
static bimo_status count_rows(importer *im, const batch *b)
{
    for (int i = 0; im->summary && i < b->count; i++) {
        const staged_row *row = &b->rows[i];
        int64_t in[BIMO_SUMMARY_INPUTS];
        for (int k = 0; k < bimo_summary_inputs(im->summary); k++) {
            int v = im->summary_value[k];
            in[k] = v < 0 || is_null(row, v) ? BIMO_SUMMARY_NULL : row->v[v];
        }
        int full =
            bimo_summary_add(im->summary, row->snapshot, im->snaps[row->snapshot].key, in, 1);
        if (full < 0)
            return bimo_fail(&im->store_err, BIMO_ERR_NOMEM, "out of memory");
        if (full && flush_summary(im, &im->store_err) != BIMO_OK)
            return im->store_err.status;
    }
    return BIMO_OK;
}

static bimo_status insert_batch(importer *im, const batch *b)
{
    for (int i = 0; i < b->count; i++) {
        snapshot_ref *s = &im->snaps[b->rows[i].snapshot];
        bimo_status st = s->id ? BIMO_OK : open_snapshot(im, s);
        if (st != BIMO_OK)
            return st;
    }
    int i = 0;
    while (i < b->count) {
        int n = b->count - i >= ROWS_PER_INSERT ? ROWS_PER_INSERT : 1;
        sqlite3_stmt *q = n > 1 ? im->insert_many : im->insert;
        for (int k = 0, p = 1; k < n; k++)
            p = bind_row(im, q, p, &b->rows[i + k]);
        int rc = sqlite3_step(q);
        sqlite3_reset(q);
        if (rc != SQLITE_DONE)
            return bimo_store_fail(im->db, &im->store_err, "cannot insert rows");
        note_rows(im, b, i, i + n);
        i += n;
    }
    return count_rows(im, b);
}

/* Inserts batches; after a failure it keeps draining so the other threads never block. */
static void *store_thread(void *arg)
{
    importer *im = arg;
    batch *b;
    while ((b = bimo_pipe_pop(&im->to_store))) {
        if (im->store_status == BIMO_OK) {
            im->store_status = insert_batch(im, b);
            if (im->store_status != BIMO_OK)
                __atomic_store_n(&im->failed, 1, __ATOMIC_RELEASE);
        }
        bimo_pipe_push(&im->free_batches, b);
    }
    return NULL;
}

static void dup_key(const staged_row *row, uint64_t out[2]);
static bimo_status flush_keys(importer *im);

/* Replaces every row's identifier by its keyed hash (BLAKE2b, 16 bytes) and wipes it and
 * the row's text, after the duplicate filter has seen it. The hash is the costliest step per
 * row, so it has a thread of its own; the filter runs here too, in row order, to keep the
 * reader thread (the pipeline's longest stage) short. */
static void hash_batch(importer *im, batch *b)
{
    const unsigned char *key = bimo_store_key(im->store);
    for (int i = 0; i < b->count; i++) {
        staged_row *row = &b->rows[i];
        crypto_generichash(row->person, PSEUDONYM_BYTES, (const unsigned char *)row->id,
                           row->id_len, key, BIMO_KEY_BYTES);
        if (im->hash_status == BIMO_OK) {
            uint64_t k[2];
            dup_key(row, k);
            if (bloom_test_and_add(im, k) && add_candidate(im, row, k[0], b->raw + row->raw_off))
                im->hash_status = bimo_fail(&im->hash_err, BIMO_ERR_NOMEM, "out of memory");
            im->keybuf[im->nkeybuf++] = (key_line){k[0], row->line};
            if (im->nkeybuf == (int)(sizeof im->keybuf / sizeof im->keybuf[0]))
                im->hash_status = flush_keys(im);
        }
        sodium_memzero(row->id, sizeof row->id);
    }
    sodium_memzero(b->raw, b->raw_used);
}

static void *hash_thread(void *arg)
{
    importer *im = arg;
    batch *b;
    while ((b = bimo_pipe_pop(&im->to_hash))) {
        hash_batch(im, b);
        bimo_pipe_push(&im->to_store, b);
    }
    if (im->hash_status == BIMO_OK)
        im->hash_status = flush_keys(im);
    bimo_pipe_close(&im->to_store);
    return NULL;
}

/* ---- The reader side ------------------------------------------------------------------- */

/* Validates one record into row; returns 0, or -1 with e filled. */
static int stage_row(importer *im, const bimo_csv_record *rec, staged_row *row, int *repaired,
                     int64_t *second_key, row_error *e)
{
    size_t nf = rec->nfields;
    if (nf > (size_t)im->header_fields) { /* a trailing delimiter adds empty fields */
        for (size_t f = (size_t)im->header_fields; f < nf; f++)
            if (rec->lengths[f])
                return row_fail(e, (long)f + 1, "%zu fields, but the header has %d", nf,
                                im->header_fields);
        nf = (size_t)im->header_fields;
    }
    if (nf < (size_t)im->header_fields)
        return row_fail(e, (long)nf, "%zu fields, but the header has %d", nf, im->header_fields);
    row->null_mask = 0;
    row->line = rec->line;
    int32_t key = im->fixed_stichtag;
    *second_key = 0;
    for (int c = 0; c < im->ncols; c++) {
        const planned_column *pc = &im->cols[c];
        const char *s = pc->field >= 0 ? rec->fields[pc->field] : "";
        size_t len = pc->field >= 0 ? rec->lengths[pc->field] : 0;
        int64_t v = 0;
        int got = parse_value(im, pc, s, len, &v, repaired, e);
        if (got < 0)
            return -1;
        if (!got && (pc->spec->flags & BIMO_REQUIRED))
            return row_fail(e, pc->field + 1, "required value %s is empty", pc->spec->name);
        if (pc->spec->flags & BIMO_SNAPSHOT_KEY) {
            if (got && im->fixed_stichtag && v != im->fixed_stichtag) {
                char a[11], b[11];
                bimo_format_date((int32_t)v, 1, a);
                bimo_format_date(im->fixed_stichtag, 1, b);
                return row_fail(e, pc->field + 1, "stichtag %s differs from --stichtag %s", a, b);
            }
            if (got)
                key = (int32_t)v;
            if (!key)
                return row_fail(e, pc->field + 1, "required value %s is empty", pc->spec->name);
            continue;
        }
        if (c == im->person_col)
            continue;
        if (c == im->second_key_col)
            *second_key = v;
        if (!got)
            row->null_mask |= 1u << pc->value;
        else if (pc->spec->type == BIMO_T_TEXT)
            memcpy(row->text, s, len + 1);
        else
            row->v[pc->value] = v;
    }
    int sn = snapshot_index(im, key, e);
    if (sn < 0)
        return -1;
    row->snapshot = sn;
    int32_t stichtag = im->school ? key * 10000 + 1001 : key;
    if (check_row(im, row, stichtag, e) != 0)
        return -1;
    const planned_column *pp = &im->cols[im->person_col];
    size_t idl = rec->lengths[pp->field];
    if (idl >= sizeof row->id)
        return row_fail(e, pp->field + 1, "%s is longer than %zu characters", pp->spec->name,
                        sizeof row->id - 1);
    memcpy(row->id, rec->fields[pp->field], idl);
    row->id_len = (uint8_t)idl;
    return 0;
}

/* 64-bit hash for the duplicate filter (not for pseudonyms: it has no key). */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDULL;
    x ^= x >> 33;
    x *= 0xC4CEB9FE1A85EC53ULL;
    return x ^ (x >> 33);
}

/* Two 64-bit hashes of p in one pass, for the duplicate filter (not for pseudonyms: it has
 * no key). */
static void fast_hash2(const char *p, size_t len, uint64_t seed, uint64_t out[2])
{
    uint64_t a = mix64(seed ^ len), b = mix64(~seed ^ len);
    for (; len >= 8; p += 8, len -= 8) {
        uint64_t k;
        memcpy(&k, p, 8);
        a = mix64(a ^ k) * 0x9E3779B97F4A7C15ULL;
        b = mix64(b + k) * 0xC2B2AE3D27D4EB4FULL;
    }
    uint64_t tail = 0;
    memcpy(&tail, p, len);
    out[0] = mix64(a ^ tail);
    out[1] = mix64(b + tail) | 1;
}

/* The filter key of a row: its identifier, snapshot and second key column. */
static void dup_key(const staged_row *row, uint64_t out[2])
{
    uint64_t extra = (uint64_t)(row->snapshot + 1) * 0x9E3779B97F4A7C15ULL ^ (uint64_t)row->second;
    fast_hash2(row->id, row->id_len, extra, out);
}

static int mask_reserve(importer *im, size_t need)
{
    if (need <= im->mask_cap)
        return 0;
    char *p = realloc(im->mask, need);
    if (!p)
        return -1;
    im->mask = p;
    im->mask_cap = need;
    return 0;
}

/* The identifier's stand-in in rejected rows: '#' and the first 8 bytes of its pseudonym. */
static void mask_token(const importer *im, const char *id, size_t len, char out[18])
{
    unsigned char h[PSEUDONYM_BYTES];
    crypto_generichash(h, PSEUDONYM_BYTES, (const unsigned char *)id, len,
                       bimo_store_key(im->store), BIMO_KEY_BYTES);
    out[0] = '#';
    sodium_bin2hex(out + 1, 17, h, 8);
}

/* Copies raw to out with field number `field` (0-based; delimiters inside quotes do not
 * count) replaced by its token. out needs len + 32 bytes; returns the length written. */
static size_t mask_field(importer *im, const char *raw, size_t len, int field, char *out)
{
    size_t n = 0, start = 0;
    int f = 0, quoted = 0;
    for (size_t i = 0; i <= len; i++) {
        int end = i == len || (!quoted && raw[i] == (char)im->delimiter);
        if (i < len && raw[i] == '"')
            quoted = !quoted;
        if (!end)
            continue;
        if (f == field && i > start) {
            char token[18];
            mask_token(im, raw + start, i - start, token);
            memcpy(out + n, token, 17);
            n += 17;
        } else {
            memcpy(out + n, raw + start, i - start);
            n += i - start;
        }
        if (i < len)
            out[n++] = raw[i];
        start = i + 1;
        f++;
    }
    return n;
}

/* The raw text of a rejected row with the identifier replaced by its token, so rejects keep
 * the row for correction but never the raw identifier (DESIGN §4). Parsed rows are written
 * back field by field; rows the reader could not parse are split at the delimiter outside
 * quotes. */
static const char *masked_raw(importer *im, const bimo_csv_record *rec, size_t *len)
{
    int pf = im->cols[im->person_col].field;
    char token[18];
    if (mask_reserve(im, rec->raw_len * 2 + 64) != 0)
        return NULL;
    size_t n = 0;
    if (!rec->reject_reason) {
        for (size_t f = 0; f < rec->nfields; f++) {
            const char *v = rec->fields[f];
            size_t vl = rec->lengths[f];
            if ((int)f == pf && vl) {
                mask_token(im, v, vl, token);
                v = token;
                vl = 17;
            }
            if (mask_reserve(im, n + vl * 2 + 8) != 0)
                return NULL;
            if (f)
                im->mask[n++] = (char)im->delimiter;
            int quote = memchr(v, im->delimiter, vl) || memchr(v, '"', vl) || memchr(v, '\n', vl) ||
                        memchr(v, '\r', vl);
            if (quote)
                im->mask[n++] = '"';
            for (size_t i = 0; i < vl; i++) {
                if (v[i] == '"')
                    im->mask[n++] = '"';
                im->mask[n++] = v[i];
            }
            if (quote)
                im->mask[n++] = '"';
        }
    } else {
        n = mask_field(im, rec->raw, rec->raw_len, pf, im->mask);
    }
    im->mask[n] = '\0';
    *len = n;
    return im->mask;
}

static void reject_record(importer *im, const bimo_csv_record *rec, long column, const char *reason)
{
    size_t len = 0;
    const char *raw = masked_raw(im, rec, &len);
    reject(im, rec->line, column, reason, raw ? raw : "", raw ? len : 0);
}

static bimo_status flush_keys(importer *im)
{
    size_t n = (size_t)im->nkeybuf;
    im->nkeybuf = 0;
    if (n && fwrite(im->keybuf, sizeof im->keybuf[0], n, im->keys) != n)
        return bimo_fail(&im->hash_err, BIMO_ERR_IO, "cannot write a temporary file: %s",
                         strerror(errno));
    return BIMO_OK;
}

/* Passes a filled batch down the pipeline and takes an empty one; NULL if the store thread
 * failed. */
static batch *hand_over(importer *im, batch *b)
{
    bimo_pipe_push(&im->to_hash, b);
    if (__atomic_load_n(&im->failed, __ATOMIC_ACQUIRE))
        return NULL;
    b = bimo_pipe_pop(&im->free_batches);
    b->count = 0;
    b->raw_used = 0;
    return b;
}

static bimo_status read_rows(importer *im, bimo_csv_reader *r)
{
    const bimo_csv_record *rec;
    bimo_status st;
    int64_t next_progress = 65536;
    batch *b = bimo_pipe_pop(&im->free_batches);
    b->count = 0;
    b->raw_used = 0;
    while ((st = bimo_csv_next(r, &rec, im->err)) == BIMO_OK && rec) {
        im->rows_read++;
        if (rec->reject_reason) {
            reject_record(im, rec, rec->reject_column, rec->reject_reason);
            continue;
        }
        size_t keep = rec->raw_len < RAW_KEPT ? rec->raw_len : RAW_KEPT;
        if (b->raw_used + keep > BATCH_RAW) { /* no room for the row's text: hand over */
            if ((b = hand_over(im, b)) == NULL)
                return BIMO_ERR_ABORTED;
        }
        staged_row *row = &b->rows[b->count];
        row_error e = {{0}, 0};
        int repaired = 0;
        int64_t second = 0;
        if (stage_row(im, rec, row, &repaired, &second, &e) != 0) {
            reject_record(im, rec, e.column, e.reason);
            continue;
        }
        row->second = second;
        row->raw_off = (uint32_t)b->raw_used;
        row->raw_len = (uint32_t)keep;
        memcpy(b->raw + b->raw_used, rec->raw, keep);
        b->raw_used += keep;
        im->rows_repaired += repaired;
        if (++b->count == BATCH_ROWS && (b = hand_over(im, b)) == NULL)
            return BIMO_ERR_ABORTED; /* the store thread failed; its error wins */
        if (im->opt->progress && im->rows_read >= next_progress) {
            bimo_import_progress p = {im->rows_read, bimo_csv_bytes_read(r),
                                      bimo_csv_total_bytes(r)};
            im->opt->progress(&p, im->opt->ctx);
            next_progress += 65536;
        }
    }
    if (b->count)
        bimo_pipe_push(&im->to_hash, b);
    else
        bimo_pipe_push(&im->free_batches, b);
    return st;
}

/* ---- Orchestration --------------------------------------------------------------------- */

static bimo_status plan_columns(importer *im, const char *stichtag)
{
    im->person_col = im->snapshot_col = im->second_key_col = im->text_value = -1;
    for (const bimo_column_spec *s = im->source->columns; s->name; s++) {
        if (im->ncols == MAX_COLUMNS)
            return bimo_fail(im->err, BIMO_ERR_ARG, "too many columns in source spec");
        planned_column *pc = &im->cols[im->ncols];
        pc->spec = s;
        pc->value = -1;
        if (s->flags & BIMO_SNAPSHOT_KEY) {
            im->snapshot_col = im->ncols;
            im->school = s->type == BIMO_T_SCHULJAHR;
        } else if (s->type == BIMO_T_PERSON) {
            im->person_col = im->ncols;
        } else {
            pc->value = im->nvalues++;
            if (s->type == BIMO_T_TEXT)
                im->text_value = pc->value;
            if (s->flags & BIMO_KEY)
                im->second_key_col = im->ncols;
        }
        im->ncols++;
    }
    plan_checks(im);
    if (stichtag && *stichtag) {
        int32_t ymd;
        if (im->school)
            return bimo_fail(im->err, BIMO_ERR_ARG,
                             "--stichtag does not apply to %s: its school year comes from the "
                             "schuljahr column",
                             im->source->name);
        if (bimo_parse_date(stichtag, strlen(stichtag), &ymd) != 0)
            return bimo_fail(im->err, BIMO_ERR_ARG,
                             "--stichtag \"%s\" is not a date (expected DD.MM.YYYY or YYYY-MM-DD)",
                             stichtag);
        im->fixed_stichtag = ymd;
    }
    return BIMO_OK;
}

/* Maps the summary's inputs (if the source has one) to value indices. */
static bimo_status plan_summary(importer *im)
{
    bimo_status st = bimo_summary_new(im->source->name, &im->summary, im->err);
    for (int k = 0; st == BIMO_OK && im->summary && k < bimo_summary_inputs(im->summary); k++) {
        int c = find_col(im, bimo_summary_input(im->summary, k));
        im->summary_value[k] = c >= 0 ? im->cols[c].value : -1;
    }
    return st;
}

static bimo_status begin_run(importer *im, const char *started)
{
    return bimo_run_begin(im->db, im->source->name, im->file_name, started, &im->import_id,
                          im->err);
}

/* Writes the run's final figures (and, for a failed run, its message). */
static bimo_status finish_run(importer *im, const char *status, const char *message,
                              const bimo_import_result *res)
{
    char stichtag[64] = "";
    for (int i = 0, n = 0; i < im->nsnaps && n < (int)sizeof stichtag - 12; i++) {
        char d[11];
        if (im->school)
            snprintf(d, sizeof d, "%d/%02d", im->snaps[i].key, (im->snaps[i].key + 1) % 100);
        else
            bimo_format_date(im->snaps[i].key, 0, d);
        n += snprintf(stichtag + n, sizeof stichtag - n, "%s%s", i ? "," : "", d);
    }
    bimo_run_figures f = {
        .sha256 = res->sha256,
        .encoding = res->encoding,
        .delimiter = res->delimiter,
        .stichtag = stichtag,
        .size_bytes = (int64_t)res->size_bytes,
        .rows_read = im->rows_read,
        .rows_loaded = im->rows_loaded,
        .rows_rejected = im->rj.count,
        .status = status,
        .message = message,
    };
    bimo_status st = bimo_run_finish(im->db, im->import_id, &f, im->err);
    if (st != BIMO_OK)
        return st;
    int rc;
    for (int i = 0; i < im->nsnaps; i++) {
        const snapshot_ref *sn = &im->snaps[i];
        char *sql = sqlite3_mprintf("UPDATE snapshot SET rows = %lld, first_row = %lld,"
                                    " last_row = %lld WHERE id = %lld",
                                    (long long)sn->rows, (long long)sn->first_row,
                                    (long long)sn->last_row, (long long)sn->id);
        rc = sql && sn->id ? sqlite3_exec(im->db, sql, NULL, NULL, NULL) : SQLITE_OK;
        sqlite3_free(sql);
        if (rc != SQLITE_OK)
            return bimo_store_fail(im->db, im->err, "cannot record the snapshot");
    }
    /* The last counts, then the combinations that duplicates emptied again. */
    if (im->summary && (st = flush_summary(im, im->err)) != BIMO_OK)
        return st;
    for (int i = 0; im->summary && i < im->nsnaps; i++) {
        char *del = sqlite3_mprintf("DELETE FROM \"%w\" WHERE snapshot_id = %lld AND n = 0",
                                    bimo_summary_table(im->summary), (long long)im->snaps[i].id);
        rc = del && im->snaps[i].id ? sqlite3_exec(im->db, del, NULL, NULL, NULL) : SQLITE_OK;
        sqlite3_free(del);
        if (rc != SQLITE_OK)
            return bimo_store_fail(im->db, im->err, "cannot write the counts");
    }
    if (strcmp(im->source->name, "aufenthalt") == 0) {
        int64_t ids[MAX_SNAPSHOTS];
        int n = 0;
        for (int i = 0; i < im->nsnaps; i++)
            if (im->snaps[i].id)
                ids[n++] = im->snaps[i].id;
        if ((st = bimo_transitions_refresh(im->db, ids, n, im->err)) != BIMO_OK)
            return st;
    }
    /* Earlier runs whose every snapshot this one replaced no longer hold data. */
    char *sql = sqlite3_mprintf("UPDATE import_run SET status = 'replaced' WHERE source = %Q"
                                " AND status = 'loaded' AND id <> %lld"
                                " AND id NOT IN (SELECT import_id FROM snapshot)",
                                im->source->name, (long long)im->import_id);
    rc = sql ? sqlite3_exec(im->db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    if (rc != SQLITE_OK)
        return bimo_store_fail(im->db, im->err, "cannot record the replaced runs");
    return bimo_rejects_store(&im->rj, im->db, im->import_id, im->err);
}

static void free_importer(importer *im)
{
    for (int i = 0; i < im->nlists; i++)
        bimo_codelist_free(im->lists[i]);
    bimo_codelist_free(im->staaten);
    bimo_codelist_free(im->gemeinden);
    for (int i = 0; i < im->nlayers; i++)
        free(im->layers[i].bits);
    free(im->cands);
    free(im->mask);
    free(im->district_ags);
    bimo_rejects_close(&im->rj);
    if (im->keys)
        fclose(im->keys);
    if (im->cand_raw)
        fclose(im->cand_raw);
    sqlite3_finalize(im->insert);
    sqlite3_finalize(im->insert_many);
    bimo_summary_free(im->summary);
}

static void fill_result(importer *im, bimo_csv_reader *r, bimo_import_result *res,
                        const struct timespec *t0)
{
    memset(res, 0, sizeof *res);
    res->import_id = im->import_id;
    res->rows_read = im->rows_read;
    res->rows_loaded = im->rows_loaded;
    res->rows_rejected = im->rj.count;
    res->rows_repaired = im->rows_repaired;
    res->snapshots = im->nsnaps;
    res->seconds = bimo_seconds_since(t0);
    memcpy(res->first_reasons, im->rj.first_reasons, sizeof res->first_reasons);
    if (r) {
        res->blank_lines = bimo_csv_blank_lines(r);
        res->size_bytes = bimo_csv_bytes_read(r);
        snprintf(res->encoding, sizeof res->encoding, "%s", bimo_csv_encoding(r));
        snprintf(res->delimiter, sizeof res->delimiter, "%s",
                 bimo_delimiter_name(bimo_csv_delimiter(r)));
        bimo_csv_sha256_hex(r, res->sha256);
    }
}

/* Runs the load inside the open transaction: header, threads, duplicates. */
static bimo_status load(importer *im, bimo_csv_reader *r)
{
    const bimo_csv_record *rec;
    bimo_status st = bimo_csv_next(r, &rec, im->err);
    if (st != BIMO_OK)
        return st;
    if (!rec)
        return bimo_fail_at(im->err, BIMO_ERR_DATA, im->file_name, 0, 0,
                            "the file is empty: expected a header line");
    if (rec->reject_reason)
        return bimo_fail_at(im->err, BIMO_ERR_PARSE, im->file_name, rec->line, rec->reject_column,
                            "header: %s", rec->reject_reason);
    im->delimiter = bimo_csv_delimiter(r);
    if ((st = map_header(im, rec, im->delimiter)) != BIMO_OK)
        return st;
    if ((st = sync_lists(im)) != BIMO_OK || (st = prepare_insert(im)) != BIMO_OK)
        return st;
    int64_t total = bimo_csv_total_bytes(r);
    im->bloom_known_size = total > 0;
    if ((st = bloom_add_layer(im, total > 0 ? total / 56 + 1024 : 1 << 20)) != BIMO_OK)
        return st;

    batch *batches = calloc(BATCHES, sizeof *batches);
    if (!batches)
        return bimo_fail(im->err, BIMO_ERR_NOMEM, "out of memory");
    bimo_pipe_init(&im->to_hash);
    bimo_pipe_init(&im->to_store);
    bimo_pipe_init(&im->free_batches);
    for (int i = 0; i < BATCHES; i++)
        bimo_pipe_push(&im->free_batches, &batches[i]);
    pthread_t hasher, storer;
    int started = pthread_create(&hasher, NULL, hash_thread, im) == 0;
    if (started && pthread_create(&storer, NULL, store_thread, im) != 0) {
        bimo_pipe_close(&im->to_hash);
        pthread_join(hasher, NULL);
        started = 0;
    }
    if (started) {
        st = read_rows(im, r);
        bimo_pipe_close(&im->to_hash);
        pthread_join(hasher, NULL);
        pthread_join(storer, NULL);
    } else {
        st = bimo_fail(im->err, BIMO_ERR_NOMEM, "cannot start the import threads");
    }
    bimo_pipe_destroy(&im->to_hash);
    bimo_pipe_destroy(&im->to_store);
    bimo_pipe_destroy(&im->free_batches);
    for (int i = 0; i < BATCHES; i++) /* no identifier outlives the import */
    {
        for (int j = 0; j < batches[i].count; j++)
            sodium_memzero(batches[i].rows[j].id, sizeof batches[i].rows[j].id);
        sodium_memzero(batches[i].raw, batches[i].raw_used);
    }
    free(batches);
    if (im->hash_status != BIMO_OK && im->store_status == BIMO_OK) {
        if (im->err)
            *im->err = im->hash_err;
        return im->hash_status;
    }
    if (im->store_status != BIMO_OK) {
        if (im->err)
            *im->err = im->store_err;
        return im->store_status;
    }
    if (st != BIMO_OK)
        return st;
    return resolve_duplicates(im);
}

static int over_threshold(const importer *im)
{
    return bimo_rejects_over(im->opt->max_reject_share, im->rj.count, im->rows_read);
}

/* After a failed or refused load: undo the data, keep the run and its rejects. */
static bimo_status record_failure(importer *im, const char *status, const char *message,
                                  bimo_import_result *res)
{
    sqlite3_exec(im->db, "ROLLBACK", NULL, NULL, NULL);
    char started[32];
    bimo_iso_now(started);
    bimo_error scratch;
    bimo_error *keep = im->err;
    im->err = &scratch;
    for (int i = 0; i < im->nsnaps; i++)
        im->snaps[i].id = 0;
    bimo_summary_free(im->summary); /* its counts went with the rolled-back rows */
    im->summary = NULL;
    im->rows_loaded = 0;
    bimo_status st = begin_run(im, started);
    if (st == BIMO_OK)
        st = finish_run(im, status, message, res);
    if (st == BIMO_OK && sqlite3_exec(im->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        st = BIMO_ERR_STORE;
    if (st != BIMO_OK)
        sqlite3_exec(im->db, "ROLLBACK", NULL, NULL, NULL);
    im->err = keep;
    res->import_id = st == BIMO_OK ? im->import_id : 0; /* else even the run was rolled back */
    return st;
}

/* After a rollback that recorded nothing (disk full, I/O error, lock): say that nothing changed,
 * and forget the run's id, which named a row that no longer exists. */
static void note_unchanged(bimo_import_result *res, bimo_error *err)
{
    res->import_id = 0;
    res->rows_loaded = 0;
    if (err) {
        size_t n = strlen(err->message);
        snprintf(err->message + n, sizeof err->message - n,
                 "; nothing was loaded, the store is "
                 "unchanged");
    }
}

bimo_status bimo_import(bimo_store *store, const char *source, const char *path,
                        const bimo_import_options *opt, bimo_import_result *result, bimo_error *err)
{
    bimo_import_options defaults = {0};
    bimo_import_result scratch;
    if (!opt)
        opt = &defaults;
    if (!result)
        result = &scratch;
    memset(result, 0, sizeof *result);
    if (sodium_init() < 0)
        return bimo_fail(err, BIMO_ERR_STORE, "libsodium could not be initialised");
    importer *im = calloc(1, sizeof *im);
    if (!im)
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    im->store = store;
    im->db = bimo_store_db(store);
    im->opt = opt;
    im->path = path;
    im->file_name = opt->file_name ? opt->file_name : strcmp(path, "-") == 0 ? "stdin" : path;
    im->err = err;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);

    bimo_status st = BIMO_OK;
    if (!(im->source = bimo_source_find(source)))
        st = bimo_fail(err, BIMO_ERR_ARG, "unknown source \"%s\"", source);
    if (st == BIMO_OK)
        st = plan_columns(im, opt->stichtag);
    if (st == BIMO_OK)
        st = plan_summary(im);
    if (st == BIMO_OK)
        st = load_lists(im);
    if (st == BIMO_OK)
        st = bimo_rejects_open(&im->rj, err);
    if (st == BIMO_OK && (!(im->keys = tmpfile()) || !(im->cand_raw = tmpfile())))
        st = bimo_fail(err, BIMO_ERR_IO, "cannot create a temporary file: %s", strerror(errno));
    bimo_csv_reader *r = NULL;
    if (st == BIMO_OK) {
        bimo_csv_options copt = {.encoding = opt->encoding, .delimiter = opt->delimiter};
        st = bimo_csv_open_path(path, &copt, &r, err);
    }
    if (st != BIMO_OK) {
        free_importer(im);
        free(im);
        return st;
    }

    char started[32];
    bimo_iso_now(started);
    st = begin_run(im, started);
    if (st == BIMO_OK)
        st = load(im, r);
    fill_result(im, r, result, &t0);
    if (st == BIMO_OK && over_threshold(im)) {
        char msg[1400];
        bimo_rejects_message(&im->rj, opt->max_reject_share, im->rj.count, im->rows_read, msg,
                             sizeof msg);
        result->rows_loaded = 0;
        bimo_fail_at(err, BIMO_ERR_DATA, im->file_name, 0, 0, "%s", msg);
        record_failure(im, "rolled-back", msg, result);
        st = BIMO_ERR_DATA;
    } else if (st == BIMO_OK && opt->dry_run) {
        record_failure(im, "dry-run", "dry run: validated only, nothing loaded", result);
        result->rows_loaded = 0;
    } else if (st == BIMO_OK) {
        st = finish_run(im, "loaded", NULL, result);
        if (st == BIMO_OK && sqlite3_exec(im->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
            st = bimo_store_fail(im->db, err, "cannot commit the import");
        if (st != BIMO_OK) {
            sqlite3_exec(im->db, "ROLLBACK", NULL, NULL, NULL);
            note_unchanged(result, err);
        }
    } else if (im->import_id) {
        char msg[600];
        bimo_error_format(err, msg, sizeof msg);
        if (st == BIMO_ERR_BUSY || st == BIMO_ERR_IO ||
            record_failure(im, "failed", msg, result) != BIMO_OK) {
            sqlite3_exec(im->db, "ROLLBACK", NULL, NULL, NULL);
            note_unchanged(result, err);
        }
    }
    result->seconds = bimo_seconds_since(&t0);
    bimo_csv_close(r);
    free_importer(im);
    free(im);
    return st;
}

/* ---- Listing rejects ------------------------------------------------------------------- */

bimo_status bimo_store_rejects(bimo_store *store, int64_t import_id,
                               int (*cb)(const bimo_reject_info *info, void *ctx), void *ctx,
                               bimo_error *err)
{
    sqlite3 *db = bimo_store_db(store);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM import_run WHERE id = ?", -1, &q, NULL) !=
        SQLITE_OK)
        return bimo_store_fail(db, err, "cannot list rejects");
    sqlite3_bind_int64(q, 1, import_id);
    int found = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) > 0;
    sqlite3_finalize(q);
    if (!found)
        return bimo_fail(err, BIMO_ERR_NOTFOUND, "there is no import %lld (see bimo status)",
                         (long long)import_id);
    if (sqlite3_prepare_v2(db,
                           "SELECT line, column, reason, raw FROM reject_row WHERE import_id = ?"
                           " ORDER BY line",
                           -1, &q, NULL) != SQLITE_OK)
        return bimo_store_fail(db, err, "cannot list rejects");
    sqlite3_bind_int64(q, 1, import_id);
    bimo_status st = BIMO_OK;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        bimo_reject_info info = {
            .line = sqlite3_column_int64(q, 0),
            .column = sqlite3_column_int64(q, 1),
            .reason = (const char *)sqlite3_column_text(q, 2),
            .raw = sqlite3_column_text(q, 3) ? (const char *)sqlite3_column_text(q, 3) : "",
        };
        if (cb(&info, ctx)) {
            st = BIMO_ERR_ABORTED;
            break;
        }
    }
    if (st == BIMO_OK && rc != SQLITE_DONE)
        st = bimo_store_fail(db, err, "cannot list rejects");
    sqlite3_finalize(q);
    return st;
}

static int write_reject_csv(const bimo_reject_info *info, void *ctx)
{
    FILE *out = ctx;
    fprintf(out, "%lld,%lld,", (long long)info->line, (long long)info->column);
    csv_fwrite(out, info->reason, strlen(info->reason));
    fputc(',', out);
    csv_fwrite(out, info->raw, strlen(info->raw));
    fputs("\r\n", out);
    return ferror(out) != 0;
}

bimo_status bimo_write_rejects_csv(bimo_store *store, int64_t import_id, FILE *out, bimo_error *err)
{
    fputs("line,column,reason,raw\r\n", out);
    bimo_status st = bimo_store_rejects(store, import_id, write_reject_csv, out, err);
    if (st == BIMO_ERR_ABORTED || (st == BIMO_OK && ferror(out)))
        st = bimo_fail(err, BIMO_ERR_IO, "cannot write the rejected rows: %s", strerror(errno));
    return st;
}
