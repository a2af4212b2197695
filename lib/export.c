/* export.c — the quarterly export for cron: the tables of a template computed with disclosure
 * control that is consistent across the release and with earlier releases, written as German
 * CSV, machine CSV and a manifest into a folder that appears whole or not at all. */
#include <errno.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"
#include "error.h"
#include "export.h"
#include "export_secret.h"
#include "output_dir.h"
#include "result_text.h"
#include "store.h"
#include "template.h"
#include "values.h"

#define MAX_PASSES 32 /* hiding only grows, so passes end; this bounds a surprise */
#define KEY_SEP    "\x1f"

/* ---- Logging ------------------------------------------------------------------------------ */

static void log_event(const bimo_export_options *opt, const char *event, const char *path,
                      int64_t count, const char *fmt, ...) BIMO_PRINTF(5, 6);

static void log_event(const bimo_export_options *opt, const char *event, const char *path,
                      int64_t count, const char *fmt, ...)
{
    if (!opt->log)
        return;
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    bimo_export_event ev = {event, msg, path, count};
    opt->log(&ev, opt->ctx);
}

/* ---- The store lock ----------------------------------------------------------------------- */

/* The run holds SQLite's write lock (BEGIN IMMEDIATE) from start to end: the same lock every
 * import takes, so an import and an export, or two exports, exclude each other, the data do
 * not change under the tables, and the release record commits with what was computed. The
 * kernel drops the lock when a process dies, so it never goes stale. Readers go on (WAL). */
static bimo_status lock_store(bimo_store *store, int wait_seconds, bimo_error *err)
{
    sqlite3 *db = bimo_store_db(store);
    sqlite3_busy_timeout(db, wait_seconds > 0 ? wait_seconds * 1000 : 0);
    int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    sqlite3_busy_timeout(db, 5000);
    if (rc == SQLITE_OK)
        return BIMO_OK;
    if ((sqlite3_extended_errcode(db) & 0xff) == SQLITE_BUSY)
        return bimo_fail(err, BIMO_ERR_BUSY,
                         "store %s is locked by another bimo process (an import or export); "
                         "gave up after %d s; try again later or pass --wait SECONDS",
                         bimo_store_path(store), wait_seconds > 0 ? wait_seconds : 0);
    return bimo_store_fail(db, err, "cannot lock the store");
}

/* ---- Hidden cells across tables and releases ---------------------------------------------- */

typedef struct {
    bimo_secret_set *set;
    const bimo_indicator *ind;
    const char *variant;
    int pass;
    int changed; /* a cell was hidden that the set did not hold */
    int failed;  /* out of memory */
    size_t forced;
} secret_ctx;

static int is_stock(const bimo_indicator *ind)
{
    return ind->period == BIMO_PERIOD_STICHTAG || ind->period == BIMO_PERIOD_SCHULJAHR;
}

static int secret_key(const secret_ctx *c, const bimo_cell_coord *coords, size_t n, int denominator,
                      char *out, size_t size)
{
    char cell[1024];
    if (bimo_secret_cell_name(coords, n, cell, sizeof cell) != 0)
        return -1;
    int w = snprintf(out, size, "%s" KEY_SEP "%s" KEY_SEP "%d" KEY_SEP "%s", c->ind->id, c->variant,
                     denominator, cell);
    return w < 0 || (size_t)w >= size ? -1 : 0;
}

static int force_secret(const bimo_result_period *p, const bimo_cell_coord *coords, size_t n,
                        int denominator, void *ctx)
{
    secret_ctx *c = ctx;
    char key[1400];
    if (secret_key(c, coords, n, denominator, key, sizeof key) != 0)
        return 0;
    int hidden = bimo_secret_set_hidden(c->set, key, p->von, p->bis, is_stock(c->ind));
    c->forced += (size_t)hidden;
    return hidden;
}

static int report_secret(const bimo_result_period *p, const bimo_cell_coord *coords, size_t n,
                         int denominator, void *ctx)
{
    secret_ctx *c = ctx;
    char key[1400];
    bimo_secret_span span = {.von = p->von, .bis = p->bis, .pass = c->pass};
    snprintf(span.period, sizeof span.period, "%s", p->period);
    if (secret_key(c, coords, n, denominator, key, sizeof key) != 0)
        return 0;
    int added = bimo_secret_set_add(c->set, key, &span);
    if (added < 0)
        c->failed = 1;
    /* New to the set and not already implied by a span there: other tables must follow. */
    if (added > 0 && !c->changed)
        c->changed = 1;
    return 0;
}

/* The parameters that change the numbers, in a fixed order: "jahre=3&top=10". */
static char *variant_of(const bimo_export_table *t)
{
    char buf[1024] = "";
    const char *sorted[64];
    size_t n = t->nparams < 64 ? t->nparams : 64;
    for (size_t i = 0; i < n; i++) {
        size_t j = i;
        while (j > 0 && strcmp(sorted[j - 1], t->params[i]) > 0) {
            sorted[j] = sorted[j - 1];
            j--;
        }
        sorted[j] = t->params[i];
    }
    for (size_t i = 0; i < n; i++)
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s", i ? "&" : "", sorted[i]);
    for (size_t d = 0; d < t->ndims; d++)
        if (strcmp(t->dims[d], "staat") == 0)
            snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%stop=%d", n ? "&" : "",
                     t->top_n > 0 ? t->top_n : 10);
    return strdup(buf);
}

static bimo_status load_history(bimo_store *store, bimo_secret_set *set, bimo_error *err)
{
    static const char sql[] =
        "SELECT DISTINCT indicator, variant, denominator, cell, period, von, bis FROM release_cell";
    sqlite3 *db = bimo_store_db(store);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
        return bimo_store_fail(db, err, "cannot read earlier releases");
    int rc;
    bimo_status st = BIMO_OK;
    while (st == BIMO_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        char key[1400];
        snprintf(key, sizeof key, "%s" KEY_SEP "%s" KEY_SEP "%d" KEY_SEP "%s",
                 (const char *)sqlite3_column_text(q, 0), (const char *)sqlite3_column_text(q, 1),
                 sqlite3_column_int(q, 2), (const char *)sqlite3_column_text(q, 3));
        bimo_secret_span span = {
            .von = sqlite3_column_int(q, 5), .bis = sqlite3_column_int(q, 6), .pass = 0};
        snprintf(span.period, sizeof span.period, "%s", (const char *)sqlite3_column_text(q, 4));
        if (bimo_secret_set_add(set, key, &span) < 0)
            st = bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    }
    if (st == BIMO_OK && rc != SQLITE_DONE)
        st = bimo_store_fail(db, err, "cannot read earlier releases");
    sqlite3_finalize(q);
    return st;
}

/* ---- Computing the release ---------------------------------------------------------------- */

typedef struct {
    bimo_store *store;
    bimo_engine *engine;
    const bimo_export_table *tables;
    size_t n;
    const bimo_export_options *opt;
    const bimo_export_info *info;
    bimo_result **results;
    char **variants;
    size_t *secret;       /* rows shown as "." per table */
    unsigned char *joint; /* 1: protected over the dimensions of all its indicator's tables */
    size_t forced;
    bimo_secret_set *set;
    int final_pass;
} release;

/* The dimensions of every table of the release with the same indicator and parameters: each
 * such table is protected as a slice of the table over all of them. */
static size_t joint_dims(const release *r, size_t i, const char **out)
{
    size_t n = 0;
    for (size_t j = 0; j < r->n; j++) {
        if (strcmp(r->tables[j].indicator, r->tables[i].indicator) != 0 ||
            strcmp(r->variants[j], r->variants[i]) != 0)
            continue;
        for (size_t d = 0; d < r->tables[j].ndims; d++) {
            size_t k = 0;
            while (k < n && strcmp(out[k], r->tables[j].dims[d]) != 0)
                k++;
            if (k == n && n < BIMO_DIM_COUNT)
                out[n++] = r->tables[j].dims[d];
        }
    }
    return n;
}

static bimo_status compute_table(release *r, size_t i, int pass, int *changed, bimo_error *err)
{
    const bimo_export_table *t = &r->tables[i];
    const char *joint[BIMO_DIM_COUNT];
    const bimo_indicator *ind = bimo_catalogue_find(r->engine->cat, t->indicator);
    if (!ind)
        return bimo_fail(err, BIMO_ERR_NOTFOUND, "table %zu: no indicator \"%s\" in the catalogue",
                         i + 1, t->indicator);
    secret_ctx c = {.set = r->set, .ind = ind, .variant = r->variants[i], .pass = pass};
    bimo_compute_options co = {
        .top_n = t->top_n,
        .quantile = t->quantile,
        .params = t->params,
        .nparams = t->nparams,
        .protect_dims = joint,
        .nprotect_dims = r->joint[i] ? joint_dims(r, i, joint) : 0,
        .force_secret = force_secret,
        .report_secret = report_secret,
        .force_ctx = &c,
    };
    bimo_result_free(r->results[i]);
    r->results[i] = NULL;
    bimo_status st = bimo_compute(r->engine, t->indicator, t->period, t->dims, t->ndims, &co,
                                  &r->results[i], err);
    if (st != BIMO_OK) {
        if (err)
            snprintf(err->file, sizeof err->file, "table %zu (%s %s)", i + 1, t->indicator,
                     t->period ? t->period : "");
        return st;
    }
    if (c.failed)
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    *changed |= c.changed;
    r->forced += c.forced;
    return BIMO_OK;
}

/* Computes every table until no table hides a cell that another does not: hiding only grows
 * and each pass hides, in every table, all cells any table hid before, so at the end a cell
 * shown in two tables (a shared margin) is hidden in both or in neither. */
/* Whether table t shows (or holds as a subtotal) a cell with these coordinates' dimensions. */
static int table_covers(const bimo_export_table *t, const char *cell)
{
    while (*cell) {
        size_t len = strcspn(cell, "=");
        char dim[64];
        snprintf(dim, sizeof dim, "%.*s", (int)len, cell);
        const bimo_dim_spec *d = bimo_dim_find(dim);
        int found = 0;
        for (size_t k = 0; k < t->ndims && !found; k++) {
            const bimo_dim_spec *x = bimo_dim_find(t->dims[k]);
            found = !strcmp(t->dims[k], dim) ||
                    (d && x && d->geo_level && x->geo_level && x->geo_level <= d->geo_level);
        }
        if (!found)
            return 0;
        cell += strcspn(cell, ";");
        cell += *cell == ';';
    }
    return 1;
}

typedef struct {
    release *r;
    int marked;
} joint_ctx;

/* A hidden cell that two tables of one indicator show is bounded by each of them; the two
 * intervals together may pin it. Such tables are protected over the dimensions of all of
 * them instead: each is then a slice of one protected table. */
static void mark_joint(const char *key, const bimo_secret_span *span, void *ctx)
{
    (void)span;
    joint_ctx *c = ctx;
    release *r = c->r;
    const char *variant = strchr(key, KEY_SEP[0]);
    const char *den = variant ? strchr(variant + 1, KEY_SEP[0]) : NULL;
    const char *cell = den ? strchr(den + 1, KEY_SEP[0]) : NULL;
    if (!cell)
        return;
    size_t covering = 0, idlen = (size_t)(variant - key), vlen = (size_t)(den - variant - 1);
    for (int mark = 0; mark < 2; mark++)
        for (size_t i = 0; i < r->n; i++) {
            const char *id = r->tables[i].indicator, *v = r->variants[i];
            if (strlen(id) != idlen || strncmp(id, key, idlen) || strlen(v) != vlen ||
                strncmp(v, variant + 1, vlen))
                continue;
            if (!mark)
                covering += (size_t)table_covers(&r->tables[i], cell + 1);
            else if (covering >= 2 && !r->joint[i])
                r->joint[i] = c->marked = 1;
        }
}

static bimo_status compute_release(release *r, bimo_error *err)
{
    bimo_status st = load_history(r->store, r->set, err);
    int changed = 1, pass = 0;
    while (st == BIMO_OK && changed) {
        if (++pass > MAX_PASSES)
            return bimo_fail(err, BIMO_ERR_DATA,
                             "disclosure control did not settle after %d passes", MAX_PASSES);
        changed = 0;
        r->forced = 0;
        for (size_t i = 0; i < r->n && st == BIMO_OK; i++)
            st = compute_table(r, i, pass, &changed, err);
        if (st == BIMO_OK && !changed) {
            joint_ctx jc = {r, 0};
            bimo_secret_set_each(r->set, pass, mark_joint, &jc);
            changed = jc.marked;
        }
    }
    r->final_pass = pass;
    for (size_t i = 0; st == BIMO_OK && i < r->n; i++)
        for (size_t k = 0; k < bimo_result_row_count(r->results[i]); k++)
            r->secret[i] += bimo_result_row_at(r->results[i], k)->flag == BIMO_FLAG_SECRET;
    return st;
}

/* ---- German CSV for Excel ----------------------------------------------------------------- */

/* One field: text that Excel would run as a formula (= + - @, also after a tab or CR) gets a
 * leading apostrophe; fields with ; " or line breaks are quoted. */
static void de_field(FILE *out, const char *s)
{
    int inert = strchr("=+-@\t\r", s[0]) && s[0];
    int quote = strpbrk(s, ";\"\r\n") != NULL;
    if (quote)
        fputc('"', out);
    if (inert)
        fputc('\'', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    if (quote)
        fputc('"', out);
}

static void de_line(FILE *out, const char *s)
{
    de_field(out, s);
    fputs("\r\n", out);
}

static void de_value(const bimo_indicator *ind, const bimo_result_row *row, double v, FILE *out)
{
    char buf[64];
    if (!(row->has & BIMO_HAS_VALUE))
        snprintf(buf, sizeof buf, "%s", bimo_row_symbol(row));
    else if (row->flag == BIMO_FLAG_ZERO)
        snprintf(buf, sizeof buf, "%s", bimo_flag_symbol(BIMO_FLAG_ZERO));
    else
        bimo_number_de(v, ind->kind == BIMO_KIND_COUNT ? 0 : ind->decimals, buf, sizeof buf);
    de_field(out, buf);
}

static void de_count(const bimo_result_row *row, unsigned bit, int64_t v, FILE *out)
{
    char buf[64];
    bimo_count_text(row, bit, v, buf, sizeof buf);
    de_field(out, buf);
}

static void de_header(const bimo_result *res, FILE *out)
{
    const bimo_indicator *ind = bimo_result_indicator(res);
    int pct = bimo_indicator_is_percent(ind);
    char value[120];
    snprintf(value, sizeof value, pct ? "%s in %%" : "%s",
             ind->kind == BIMO_KIND_SHARE  ? "Anteil"
             : ind->kind == BIMO_KIND_RATE ? "Quote"
                                           : ind->unit);
    de_field(out, "Zeitraum");
    for (size_t d = 0; d < bimo_result_dim_count(res); d++) {
        const char *title = bimo_dimension_title(bimo_result_dim(res, d));
        fputc(';', out);
        de_field(out, title ? title : bimo_result_dim(res, d));
    }
    switch (ind->kind) {
    case BIMO_KIND_COUNT: fputs(";Anzahl", out); break;
    case BIMO_KIND_RATE: fprintf(out, ";Zähler;Nenner;%s", value); break;
    case BIMO_KIND_SHARE: fprintf(out, ";Anzahl;Insgesamt;%s", value); break;
    case BIMO_KIND_QUANTILE:
        fprintf(out, ";Fälle;1. Quartil (%s);Median (%s);3. Quartil (%s)", ind->unit, ind->unit,
                ind->unit);
        break;
    }
    fputs(";Zeichen\r\n", out);
}

static void de_row(const bimo_result *res, const bimo_result_row *row, FILE *out)
{
    const bimo_indicator *ind = bimo_result_indicator(res);
    de_field(out, bimo_result_period_at(res, row->period)->label);
    for (size_t d = 0; d < bimo_result_dim_count(res); d++) {
        fputc(';', out);
        de_field(out, row->cells[d].label);
    }
    fputc(';', out);
    switch (ind->kind) {
    case BIMO_KIND_COUNT: de_value(ind, row, row->value, out); break;
    case BIMO_KIND_RATE:
    case BIMO_KIND_SHARE:
        de_count(row, BIMO_HAS_NUMERATOR, row->numerator, out);
        fputc(';', out);
        de_count(row, BIMO_HAS_DENOMINATOR, row->denominator, out);
        fputc(';', out);
        de_value(ind, row, row->value, out);
        break;
    case BIMO_KIND_QUANTILE:
        de_count(row, BIMO_HAS_NUMERATOR, row->numerator, out);
        fputc(';', out);
        de_value(ind, row, row->q1, out);
        fputc(';', out);
        de_value(ind, row, row->median, out);
        fputc(';', out);
        de_value(ind, row, row->q3, out);
        break;
    }
    fputc(';', out);
    de_field(out, bimo_flag_symbol(row->flag));
    fputs("\r\n", out);
}

static void de_footer(const bimo_result *res, const bimo_export_table *t, FILE *out)
{
    const bimo_indicator *ind = bimo_result_indicator(res);
    char line[1200];
    fputs("\r\n", out);
    bimo_result_source_line(res, line, sizeof line);
    de_line(out, line);
    for (size_t i = 0; i < ind->nfootnotes; i++)
        de_line(out, ind->footnotes[i]);
    if (t->note && *t->note)
        de_line(out, t->note);
    unsigned used = bimo_result_flags_used(res);
    size_t len = (size_t)snprintf(line, sizeof line, "Zeichenerklärung:");
    const char *sep = " ";
    for (int f = 1; f < BIMO_FLAG_COUNT; f++)
        if (used & (1u << f) && len < sizeof line) {
            len += (size_t)snprintf(line + len, sizeof line - len, "%s%s = %s", sep,
                                    bimo_flag_symbol((bimo_flag)f), bimo_flag_legend((bimo_flag)f));
            sep = "; ";
        }
    if (used)
        de_line(out, line);
}

static void write_table_de(const bimo_result *res, const bimo_export_table *t, size_t number,
                           FILE *out)
{
    const bimo_indicator *ind = bimo_result_indicator(res);
    char line[1200];
    fputs("\xEF\xBB\xBF", out); /* Excel reads UTF-8 only with a BOM */
    snprintf(line, sizeof line, "Tabelle %zu: %s", number, t->title ? t->title : ind->title);
    de_line(out, line);
    bimo_result_subtitle(res, line, sizeof line);
    de_line(out, line);
    fputs("\r\n", out);
    de_header(res, out);
    for (size_t k = 0; k < bimo_result_row_count(res); k++)
        de_row(res, bimo_result_row_at(res, k), out);
    de_footer(res, t, out);
}

/* ---- Files and the manifest --------------------------------------------------------------- */

static bimo_status sha256_file(const char *path, char hex[65], int64_t *size, bimo_error *err)
{
    FILE *f = fopen(path, "rb");
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!f || !md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
        if (f)
            fclose(f);
        EVP_MD_CTX_free(md);
        return bimo_fail(err, BIMO_ERR_IO, "cannot read %s back", path);
    }
    unsigned char buf[65536], h[EVP_MAX_MD_SIZE];
    unsigned hlen = 0;
    size_t n;
    *size = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        EVP_DigestUpdate(md, buf, n);
        *size += (int64_t)n;
    }
    int bad = ferror(f);
    fclose(f);
    EVP_DigestFinal_ex(md, h, &hlen);
    EVP_MD_CTX_free(md);
    if (bad)
        return bimo_fail(err, BIMO_ERR_IO, "cannot read %s back", path);
    for (unsigned i = 0; i < hlen && i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", h[i]);
    return BIMO_OK;
}

typedef struct {
    const char *tmp;
    json_t *files;
} file_list;

static bimo_status list_file(file_list *fl, const char *name, bimo_error *err);

/* Writes one file of the export into the temporary folder and lists it in the manifest. */
static bimo_status write_file(file_list *fl, const char *name,
                              bimo_status (*fill)(FILE *out, const void *arg, bimo_error *err),
                              const void *arg, bimo_error *err)
{
    char path[4700];
    snprintf(path, sizeof path, "%s/%s", fl->tmp, name);
    bimo_output *o;
    FILE *fp;
    bimo_status st = bimo_output_open(path, 0, &o, &fp, err);
    if (st != BIMO_OK)
        return st;
    st = fill(fp, arg, err);
    if (st != BIMO_OK) {
        bimo_output_abort(o);
        return st;
    }
    if ((st = bimo_output_commit(o, err)) != BIMO_OK)
        return st;
    return list_file(fl, name, err);
}

/* Lists a file of the temporary folder in the manifest with its size and SHA-256. */
static bimo_status list_file(file_list *fl, const char *name, bimo_error *err)
{
    char path[4700];
    snprintf(path, sizeof path, "%s/%s", fl->tmp, name);
    char hex[65] = "";
    int64_t size = 0;
    bimo_status st = sha256_file(path, hex, &size, err);
    if (st != BIMO_OK)
        return st;
    json_t *f = json_object();
    json_object_set_new(f, "name", json_string(name));
    json_object_set_new(f, "bytes", json_integer(size));
    json_object_set_new(f, "sha256", json_string(hex));
    json_array_append_new(fl->files, f);
    return BIMO_OK;
}

typedef struct {
    const bimo_result *res;
    const bimo_export_table *t;
    size_t number;
} table_arg;

static bimo_status fill_de(FILE *out, const void *arg, bimo_error *err)
{
    const table_arg *a = arg;
    write_table_de(a->res, a->t, a->number, out);
    return ferror(out) ? bimo_fail(err, BIMO_ERR_IO, "cannot write a table") : BIMO_OK;
}

static bimo_status fill_data(FILE *out, const void *arg, bimo_error *err)
{
    const table_arg *a = arg;
    return bimo_results_write(&a->res, 1, BIMO_FORMAT_CSV, out, err);
}

static bimo_status fill_json(FILE *out, const void *arg, bimo_error *err)
{
    if (json_dumpf((const json_t *)arg, out, JSON_INDENT(2)) != 0 || fputc('\n', out) == EOF)
        return bimo_fail(err, BIMO_ERR_IO, "cannot write the manifest");
    return BIMO_OK;
}

static int add_import(const bimo_import_info *info, void *ctx)
{
    if (strcmp(info->status, "loaded") != 0) /* replaced and rolled-back runs feed no table */
        return 0;
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(info->id));
    json_object_set_new(o, "source", json_string(info->source));
    json_object_set_new(o, "file_name", json_string(info->file_name));
    json_object_set_new(o, "sha256", json_string(info->sha256));
    json_object_set_new(o, "stichtag", json_string(info->stichtag));
    json_object_set_new(o, "rows_loaded", json_integer(info->rows_loaded));
    json_object_set_new(o, "finished", json_string(info->finished));
    json_array_append_new((json_t *)ctx, o);
    return 0;
}

/* The date the export stands for: $SOURCE_DATE_EPOCH, else the newest reference date of the
 * data in its tables, so two runs on the same store give the same bytes. */
static void export_date(const release *r, char out[11])
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        time_t t = (time_t)strtoll(sde, NULL, 10);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(out, 11, "%Y-%m-%d", &tm);
        return;
    }
    int32_t newest = 0;
    for (size_t i = 0; i < r->n; i++)
        for (size_t p = 0; p < bimo_result_period_count(r->results[i]); p++) {
            const bimo_result_period *rp = bimo_result_period_at(r->results[i], p);
            if (rp->has_data && rp->stichtag > newest)
                newest = rp->stichtag;
        }
    if (newest)
        bimo_format_date(newest, 0, out);
    else
        snprintf(out, 11, "1970-01-01");
}

static json_t *template_json(const char *path, bimo_error *err, bimo_status *st)
{
    if (!path)
        return json_null();
    char hex[65] = "";
    int64_t size = 0;
    if ((*st = sha256_file(path, hex, &size, err)) != BIMO_OK)
        return NULL;
    const char *slash = strrchr(path, '/');
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(slash ? slash + 1 : path));
    json_object_set_new(o, "sha256", json_string(hex));
    return o;
}

static json_t *table_json(const release *r, size_t i, const char *de, const char *data)
{
    const bimo_export_table *t = &r->tables[i];
    const bimo_result *res = r->results[i];
    json_t *o = json_object();
    json_object_set_new(o, "number", json_integer((json_int_t)i + 1));
    json_object_set_new(o, "indicator", json_string(t->indicator));
    json_object_set_new(o, "title",
                        json_string(t->title ? t->title
                                    : res    ? bimo_result_indicator(res)->title
                                             : ""));
    json_object_set_new(o, "period", json_string(t->period));
    json_t *by = json_array();
    for (size_t d = 0; d < t->ndims; d++)
        json_array_append_new(by, json_string(t->dims[d]));
    json_object_set_new(o, "by", by);
    json_object_set_new(o, "variant", json_string(r->variants[i]));
    json_t *joint = json_array();
    const char *jd[BIMO_DIM_COUNT];
    for (size_t d = 0, nd = r->joint[i] ? joint_dims(r, i, jd) : 0; d < nd; d++)
        json_array_append_new(joint, json_string(jd[d]));
    json_object_set_new(o, "protected_over", joint);
    json_object_set_new(o, "rows", json_integer((json_int_t)bimo_result_row_count(res)));
    json_object_set_new(o, "rows_secret", json_integer((json_int_t)r->secret[i]));
    json_t *files = json_array();
    json_array_append_new(files, json_string(de));
    json_array_append_new(files, json_string(data));
    json_object_set_new(o, "files", files);
    return o;
}

static void table_file_names(const release *r, size_t i, char *de, char *data, size_t size)
{
    snprintf(de, size, "%02zu_%s_tabelle.csv", i + 1, r->tables[i].indicator);
    snprintf(data, size, "%02zu_%s_daten.csv", i + 1, r->tables[i].indicator);
}

/* The workbook of all tables, named after the template ("quartalsexport.xlsx"). */
static bimo_status write_workbook(const release *r, file_list *fl, bimo_error *err)
{
    char name[300] = "export";
    const char *tpl = r->info->template_path;
    if (tpl) {
        const char *slash = strrchr(tpl, '/'), *base = slash ? slash + 1 : tpl;
        const char *dot = strrchr(base, '.');
        snprintf(name, sizeof name - 8, "%.*s", dot && dot > base ? (int)(dot - base) : 250, base);
    }
    strcat(name, ".xlsx");
    bimo_workbook_table *wt = calloc(r->n, sizeof *wt);
    if (!wt)
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < r->n; i++)
        wt[i] = (bimo_workbook_table){r->results[i], r->tables[i].title, r->tables[i].note,
                                      r->tables[i].sheet, r->tables[i].chart};
    bimo_workbook_options wo = {
        .title = r->info->title, .subtitle = r->info->subtitle, .producer = r->info->producer};
    char path[4700];
    snprintf(path, sizeof path, "%s/%s", fl->tmp, name);
    bimo_status st = bimo_workbook_write(path, wt, r->n, &wo, err);
    free(wt);
    return st == BIMO_OK ? list_file(fl, name, err) : st;
}

static bimo_status write_release(release *r, const char *tmp, char manifest_sha[65],
                                 bimo_error *err)
{
    file_list fl = {tmp, json_array()};
    json_t *tables = json_array();
    bimo_status st = BIMO_OK;
    for (size_t i = 0; i < r->n && st == BIMO_OK; i++) {
        char de[300], data[300];
        table_file_names(r, i, de, data, sizeof de);
        table_arg a = {r->results[i], &r->tables[i], i + 1};
        st = write_file(&fl, de, fill_de, &a, err);
        if (st == BIMO_OK)
            st = write_file(&fl, data, fill_data, &a, err);
        if (st == BIMO_OK) {
            json_array_append_new(tables, table_json(r, i, de, data));
            log_event(r->opt, "table", de, (int64_t)r->secret[i],
                      "table %zu: %s %s written, %zu of %zu rows kept secret", i + 1,
                      r->tables[i].indicator, r->tables[i].period, r->secret[i],
                      bimo_result_row_count(r->results[i]));
        }
    }
    if (st == BIMO_OK)
        st = write_workbook(r, &fl, err);
    json_t *imports = json_array();
    if (st == BIMO_OK)
        st = bimo_store_imports(r->store, add_import, imports, err);
    char date[11];
    export_date(r, date);
    json_t *tpl = st == BIMO_OK ? template_json(r->info->template_path, err, &st) : NULL;
    json_t *m = json_object();
    json_object_set_new(m, "format", json_string(BIMO_EXPORT_FORMAT));
    json_object_set_new(m, "bimo_version", json_string(bimo_version()));
    json_object_set_new(m, "date", json_string(date));
    json_object_set_new(m, "period", r->info->period ? json_string(r->info->period) : json_null());
    json_object_set_new(m, "template", tpl ? tpl : json_null());
    json_t *disc = json_object();
    json_object_set_new(disc, "threshold", json_integer(r->engine->disclosure.threshold));
    json_object_set_new(disc, "min_denominator", json_real(r->engine->disclosure.min_denominator));
    json_object_set_new(disc, "consistent_with_earlier_releases", json_true());
    json_object_set_new(disc, "cells_hidden_to_match", json_integer((json_int_t)r->forced));
    json_object_set_new(m, "disclosure", disc);
    json_object_set_new(m, "imports", imports);
    json_object_set_new(m, "tables", tables);
    json_object_set_new(m, "files", fl.files);
    if (st == BIMO_OK)
        st = write_file(&fl, BIMO_EXPORT_MANIFEST, fill_json, m, err);
    if (st == BIMO_OK) {
        char path[4700];
        int64_t size;
        snprintf(path, sizeof path, "%s/" BIMO_EXPORT_MANIFEST, tmp);
        st = sha256_file(path, manifest_sha, &size, err);
    }
    json_decref(m);
    return st;
}

/* ---- The release record ------------------------------------------------------------------- */

typedef struct {
    sqlite3_stmt *q;
    int failed;
} record_ctx;

static void record_cell(const char *key, const bimo_secret_span *span, void *ctx)
{
    record_ctx *c = ctx;
    /* key: indicator, variant, denominator, cell separated by KEY_SEP */
    const char *parts[4] = {key, NULL, NULL, NULL};
    size_t len[4];
    for (int i = 0; i < 3; i++) {
        const char *sep = strchr(parts[i], KEY_SEP[0]);
        if (!sep)
            return;
        len[i] = (size_t)(sep - parts[i]);
        parts[i + 1] = sep + 1;
    }
    len[3] = strlen(parts[3]);
    sqlite3_reset(c->q);
    sqlite3_bind_text(c->q, 1, parts[0], (int)len[0], SQLITE_TRANSIENT);
    sqlite3_bind_text(c->q, 2, parts[1], (int)len[1], SQLITE_TRANSIENT);
    sqlite3_bind_text(c->q, 3, span->period, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(c->q, 4, span->von);
    sqlite3_bind_int(c->q, 5, span->bis);
    sqlite3_bind_text(c->q, 6, parts[3], (int)len[3], SQLITE_TRANSIENT);
    sqlite3_bind_int(c->q, 7, parts[2][0] == '1');
    if (sqlite3_step(c->q) != SQLITE_DONE)
        c->failed = 1;
}

static bimo_status record_release(release *r, const char *dir, const char *manifest_sha,
                                  int64_t *id, bimo_error *err)
{
    sqlite3 *db = bimo_store_db(r->store);
    sqlite3_stmt *q = NULL;
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    const char *tpl = r->info->template_path ? r->info->template_path : "";
    const char *slash = strrchr(tpl, '/');
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO release (created, template, period, directory,"
                           " manifest_sha256, bimo_version) VALUES (?, ?, ?, ?, ?, ?)",
                           -1, &q, NULL) != SQLITE_OK)
        return bimo_store_fail(db, err, "cannot record the release");
    sqlite3_bind_text(q, 1, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 2, slash ? slash + 1 : tpl, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 3, r->info->period ? r->info->period : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 4, dir, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 5, manifest_sha, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 6, bimo_version(), -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        return bimo_store_fail(db, err, "cannot record the release");
    *id = sqlite3_last_insert_rowid(db);
    if (sqlite3_prepare_v2(db,
                           "INSERT OR IGNORE INTO release_cell (release_id, indicator, variant,"
                           " period, von, bis, cell, denominator) VALUES (?8, ?1, ?2, ?3, ?4, ?5,"
                           " ?6, ?7)",
                           -1, &q, NULL) != SQLITE_OK)
        return bimo_store_fail(db, err, "cannot record the release");
    sqlite3_bind_int64(q, 8, *id);
    record_ctx c = {q, 0};
    bimo_secret_set_each(r->set, r->final_pass, record_cell, &c);
    sqlite3_finalize(q);
    if (c.failed)
        return bimo_store_fail(db, err, "cannot record the release's secret cells");
    return BIMO_OK;
}

/* ---- Entry point -------------------------------------------------------------------------- */

static void release_free(release *r)
{
    for (size_t i = 0; i < r->n; i++) {
        if (r->results)
            bimo_result_free(r->results[i]);
        if (r->variants)
            free(r->variants[i]);
    }
    free(r->results);
    free(r->variants);
    free(r->secret);
    free(r->joint);
    bimo_secret_set_free(r->set);
    bimo_engine_free(r->engine);
}

static bimo_status release_init(release *r, bimo_store *store, const bimo_catalogue *cat,
                                const bimo_export_table *tables, size_t n,
                                const bimo_export_info *info, const bimo_export_options *opt,
                                bimo_error *err)
{
    *r = (release){.store = store, .tables = tables, .n = n, .opt = opt, .info = info};
    r->results = calloc(n ? n : 1, sizeof *r->results);
    r->variants = calloc(n ? n : 1, sizeof *r->variants);
    r->secret = calloc(n ? n : 1, sizeof *r->secret);
    r->joint = calloc(n ? n : 1, 1);
    r->set = bimo_secret_set_new();
    if (!r->results || !r->variants || !r->secret || !r->joint || !r->set)
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        if (!(r->variants[i] = variant_of(&tables[i])))
            return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    return bimo_engine_new(store, cat, &r->engine, err);
}

static bimo_status run(release *r, bimo_output_dir *d, bimo_error *err)
{
    bimo_status st = compute_release(r, err);
    char manifest_sha[65] = "";
    if (st == BIMO_OK)
        st = bimo_output_dir_begin(d, err);
    if (st == BIMO_OK)
        st = write_release(r, d->tmp, manifest_sha, err);
    int64_t id = 0;
    /* Recorded before the folder moves in: a kill in between leaves a release on record that
     * nobody saw (later releases hide a few cells more), never one seen but not on record. */
    if (st == BIMO_OK)
        st = bimo_output_dir_check(d, r->opt->force, err);
    if (st == BIMO_OK)
        st = record_release(r, d->path, manifest_sha, &id, err);
    if (st == BIMO_OK)
        st = bimo_store_exec(r->store, "COMMIT", err);
    if (st == BIMO_OK)
        log_event(r->opt, "release", NULL, id,
                  "release %lld recorded in the store (%zu cells hidden to match other tables "
                  "or earlier releases)",
                  (long long)id, r->forced);
    if (st == BIMO_OK)
        st = bimo_output_dir_commit(d, r->opt->force, err);
    return st;
}

bimo_status bimo_export_tables(bimo_store *store, const bimo_catalogue *cat,
                               const bimo_export_table *tables, size_t n,
                               const bimo_export_info *info, const char *dir,
                               const bimo_export_options *opt, bimo_error *err)
{
    static const bimo_export_options defaults = {0};
    static const bimo_export_info no_info = {0};
    if (!opt)
        opt = &defaults;
    if (!info)
        info = &no_info;
    if (!store || !cat || !dir || (!tables && n))
        return bimo_fail(err, BIMO_ERR_ARG, "bimo_export: store, catalogue and folder needed");
    if (n == 0)
        return bimo_fail(err, BIMO_ERR_ARG, "the export has no tables");
    bimo_output_dir d;
    bimo_status st = bimo_output_dir_init(&d, &bimo_output_export, dir, err);
    if (st != BIMO_OK)
        return st;
    /* Refuse early, before any work: the same check runs again before the rename. */
    if ((st = bimo_output_dir_check(&d, opt->force, err)) != BIMO_OK)
        return st;
    if ((st = lock_store(store, opt->wait_seconds, err)) != BIMO_OK)
        return st;
    log_event(opt, "lock", bimo_store_path(store), 0, "store %s locked", bimo_store_path(store));
    int removed = bimo_output_dir_cleanup(&d);
    if (removed)
        log_event(opt, "cleanup", d.parent, removed,
                  "removed %d temporary folder(s) left by an interrupted export", removed);
    release r;
    st = release_init(&r, store, cat, tables, n, info, opt, err);
    if (st == BIMO_OK)
        st = run(&r, &d, err);
    if (st != BIMO_OK) {
        sqlite3_exec(bimo_store_db(store), "ROLLBACK", NULL, NULL, NULL);
        bimo_output_dir_abort(&d);
    } else {
        log_event(opt, "done", dir, (int64_t)n, "export written to %s (%zu tables)", dir, n);
    }
    release_free(&r);
    return st;
}

bimo_status bimo_export(bimo_store *store, const bimo_catalogue *cat, const bimo_template *tpl,
                        const char *dir, const bimo_export_options *opt, bimo_error *err)
{
    if (!tpl)
        return bimo_fail(err, BIMO_ERR_ARG, "bimo_export: a template is needed");
    bimo_export_table *tables = calloc(tpl->nblocks ? tpl->nblocks : 1, sizeof *tables);
    if (!tables)
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < tpl->nblocks; i++) {
        const bimo_tpl_block *b = &tpl->blocks[i];
        if (b->type != BIMO_TPL_TABLE) /* figures belong to reports */
            continue;
        tables[n++] = (bimo_export_table){
            .indicator = b->ind->id,
            .period = b->resolved_period,
            .dims = (const char *const *)b->dims,
            .ndims = b->ndims,
            .title = b->title.text,
            .note = b->note.text,
            .sheet = b->sheet.text,
            .chart = b->chart.text,
            .params = b->params,
            .nparams = b->nparams,
            .top_n = b->top_n,
            .quantile = b->quantile_kind,
        };
    }
    bimo_export_info info = {tpl->path, tpl->period, tpl->title, tpl->subtitle, tpl->authors};
    bimo_status st =
        n ? bimo_export_tables(store, cat, tables, n, &info, dir, opt, err)
          : bimo_fail(err, BIMO_ERR_DATA, "%s has no bimo-table blocks to export", tpl->path);
    free(tables);
    return st;
}
