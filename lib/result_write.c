/* result_write.c — writing computed indicators: an aligned German table for people, CSV for
 * machines (the tidy rows as they are) and JSON (the same plus labels and metadata). */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dims.h"
#include "error.h"
#include "result_text.h"
#include "sqlfuncs.h"
#include "values.h"

static bimo_status write_failed(FILE *out, bimo_error *err)
{
    if (ferror(out))
        return bimo_fail(err, BIMO_ERR_IO, "cannot write the output");
    return BIMO_OK;
}

static void value_csv(const bimo_indicator *ind, double v, char *out, size_t size)
{
    if (ind->kind == BIMO_KIND_COUNT)
        snprintf(out, size, "%.0f", v);
    else
        snprintf(out, size, "%.15g", v);
}

/* ---- CSV ------------------------------------------------------------------------------------ */

static int same_dims(const bimo_result *a, const bimo_result *b)
{
    if (bimo_result_dim_count(a) != bimo_result_dim_count(b))
        return 0;
    for (size_t i = 0; i < bimo_result_dim_count(a); i++)
        if (strcmp(bimo_result_dim(a, i), bimo_result_dim(b, i)) != 0)
            return 0;
    return 1;
}

static void csv_rows(const bimo_result *r, FILE *out)
{
    const bimo_indicator *ind = bimo_result_indicator(r);
    for (size_t i = 0; i < bimo_result_row_count(r); i++) {
        const bimo_result_row *row = bimo_result_row_at(r, i);
        bimo_csv_write_field(out, ind->id);
        fputc(',', out);
        bimo_csv_write_field(out, bimo_result_period_at(r, row->period)->period);
        for (size_t d = 0; d < bimo_result_dim_count(r); d++) {
            fputc(',', out);
            bimo_csv_write_field(out, row->cells[d].code);
        }
        char v[64];
        value_csv(ind, row->value, v, sizeof v);
        if (row->has & BIMO_HAS_NUMERATOR)
            fprintf(out, ",%lld", (long long)row->numerator);
        else
            fputc(',', out);
        if (row->has & BIMO_HAS_DENOMINATOR)
            fprintf(out, ",%lld", (long long)row->denominator);
        else
            fputc(',', out);
        fprintf(out, ",%s,%s\n", row->has & BIMO_HAS_VALUE ? v : "", bimo_flag_symbol(row->flag));
    }
}

static bimo_status write_csv(const bimo_result *const *results, size_t n, FILE *out,
                             bimo_error *err)
{
    for (size_t i = 1; i < n; i++)
        if (!same_dims(results[0], results[i]))
            return bimo_fail(err, BIMO_ERR_ARG,
                             "CSV needs the same dimensions in every table (%s differs from %s); "
                             "use one --by per run for CSV, or --format json",
                             bimo_result_indicator(results[i])->id,
                             bimo_result_indicator(results[0])->id);
    fputs("indicator,period", out);
    for (size_t d = 0; n && d < bimo_result_dim_count(results[0]); d++)
        fprintf(out, ",%s", bimo_result_dim(results[0], d));
    fputs(",numerator,denominator,value,flag\n", out);
    for (size_t i = 0; i < n; i++)
        csv_rows(results[i], out);
    return write_failed(out, err);
}

/* ---- JSON ----------------------------------------------------------------------------------- */

static json_t *string_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *string_list(const char *const *list, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(list[i]));
    return a;
}

static json_t *iso_date(int32_t ymd)
{
    char d[11];
    bimo_format_date(ymd, 0, d);
    return json_string(d);
}

static json_t *json_indicator(const bimo_indicator *ind)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(ind->id));
    json_object_set_new(o, "title", json_string(ind->title));
    json_object_set_new(o, "definition", json_string(ind->definition));
    json_object_set_new(o, "unit", json_string(ind->unit));
    json_object_set_new(o, "kind", json_string(bimo_indicator_kind_name(ind->kind)));
    json_object_set_new(o, "numerator", json_string(ind->numerator));
    json_object_set_new(o, "denominator", string_or_null(ind->denominator));
    json_object_set_new(o, "share_of", string_or_null(ind->share_of));
    json_object_set_new(o, "dimensions", string_list(ind->dimensions, ind->ndimensions));
    json_object_set_new(o, "period", json_string(bimo_period_kind_name(ind->period)));
    json_object_set_new(o, "source", json_string(ind->source));
    json_object_set_new(o, "footnotes", string_list(ind->footnotes, ind->nfootnotes));
    json_object_set_new(o, "chart", string_or_null(ind->chart));
    json_object_set_new(o, "decimals", json_integer(ind->decimals));
    json_object_set_new(o, "factor", json_real(ind->factor));
    return o;
}

static json_t *json_periods(const bimo_result *r)
{
    json_t *a = json_array();
    for (size_t i = 0; i < bimo_result_period_count(r); i++) {
        const bimo_result_period *p = bimo_result_period_at(r, i);
        json_t *o = json_object();
        json_object_set_new(o, "period", json_string(p->period));
        json_object_set_new(o, "label", json_string(p->label));
        json_object_set_new(o, "stichtag", iso_date(p->stichtag));
        json_object_set_new(o, "von", iso_date(p->von));
        json_object_set_new(o, "bis", iso_date(p->bis));
        json_object_set_new(o, "data", json_boolean(p->has_data));
        json_object_set_new(o, "provisional", json_boolean(p->provisional));
        json_object_set_new(o, "quelle", json_string(p->quelle));
        json_object_set_new(o, "note", p->note[0] ? json_string(p->note) : json_null());
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *json_row(const bimo_result *r, const bimo_result_row *row, unsigned *flags)
{
    const bimo_indicator *ind = bimo_result_indicator(r);
    json_t *o = json_object(), *margin = json_array();
    json_object_set_new(o, "period", json_string(bimo_result_period_at(r, row->period)->period));
    for (size_t d = 0; d < bimo_result_dim_count(r); d++) {
        char key[64];
        snprintf(key, sizeof key, "%s_label", bimo_result_dim(r, d));
        json_object_set_new(o, bimo_result_dim(r, d), json_string(row->cells[d].code));
        json_object_set_new(o, key, json_string(row->cells[d].label));
        if (row->cells[d].total)
            json_array_append_new(margin, json_string(bimo_result_dim(r, d)));
    }
    json_object_set_new(o, "margin", margin);
    int v = (row->has & BIMO_HAS_VALUE) != 0;
    json_object_set_new(o, "numerator",
                        row->has & BIMO_HAS_NUMERATOR ? json_integer(row->numerator) : json_null());
    json_object_set_new(o, "denominator",
                        row->has & BIMO_HAS_DENOMINATOR ? json_integer(row->denominator)
                                                        : json_null());
    json_object_set_new(o, "value",
                        !v                             ? json_null()
                        : ind->kind == BIMO_KIND_COUNT ? json_integer(row->numerator)
                                                       : json_real(row->value));
    if (ind->kind == BIMO_KIND_QUANTILE) {
        json_object_set_new(o, "q1", v ? json_real(row->q1) : json_null());
        json_object_set_new(o, "median", v ? json_real(row->median) : json_null());
        json_object_set_new(o, "q3", v ? json_real(row->q3) : json_null());
    }
    json_object_set_new(o, "flag", json_string(bimo_flag_symbol(row->flag)));
    *flags |= 1u << row->flag;
    return o;
}

static json_t *json_result(const bimo_result *r)
{
    json_t *o = json_object(), *rows = json_array(), *dims = json_array(), *legend = json_object();
    unsigned flags = 0;
    for (size_t d = 0; d < bimo_result_dim_count(r); d++)
        json_array_append_new(dims, json_string(bimo_result_dim(r, d)));
    for (size_t i = 0; i < bimo_result_row_count(r); i++)
        json_array_append_new(rows, json_row(r, bimo_result_row_at(r, i), &flags));
    for (int f = 1; f < BIMO_FLAG_COUNT; f++)
        if (flags & (1u << f))
            json_object_set_new(legend, bimo_flag_symbol((bimo_flag)f),
                                json_string(bimo_flag_legend((bimo_flag)f)));
    json_object_set_new(o, "indicator", json_indicator(bimo_result_indicator(r)));
    json_object_set_new(o, "area", json_string(bimo_result_area(r)));
    json_object_set_new(o, "intern", json_boolean(bimo_result_intern(r)));
    json_object_set_new(o, "dimensions", dims);
    json_object_set_new(o, "periods", json_periods(r));
    json_object_set_new(o, "rows", rows);
    json_object_set_new(o, "legend", legend);
    return o;
}

static bimo_status write_json(const bimo_result *const *results, size_t n, FILE *out,
                              bimo_error *err)
{
    json_t *all = json_array();
    for (size_t i = 0; all && i < n; i++)
        if (json_array_append_new(all, json_result(results[i])) != 0) {
            json_decref(all);
            all = NULL;
        }
    if (!all)
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    int rc = json_dumpf(all, out, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
    json_decref(all);
    fputc('\n', out);
    if (rc != 0)
        return bimo_fail(err, BIMO_ERR_IO, "cannot write the output");
    return write_failed(out, err);
}

/* ---- Table ---------------------------------------------------------------------------------- */

/* Display width of UTF-8 text: code points, not bytes. */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

static void pad(FILE *out, const char *s, size_t w, int right)
{
    size_t n = width(s);
    if (right)
        for (size_t i = n; i < w; i++)
            fputc(' ', out);
    fputs(s, out);
    if (!right)
        for (size_t i = n; i < w; i++)
            fputc(' ', out);
}

#define MAX_TCOLS (BIMO_DIM_COUNT + 6)

/* One table as text cells: the header line and a row of cells per result row. */
typedef struct {
    size_t ncols, nrows;
    const char *head[MAX_TCOLS];
    int right[MAX_TCOLS];
    size_t w[MAX_TCOLS];
    char **cells; /* nrows * ncols, owned */
} text_table;

static void table_free(text_table *t)
{
    for (size_t i = 0; t->cells && i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
}

/* The German text of a count or value, as a new string (NULL: out of memory). */
static char *count_text(const bimo_result_row *row, unsigned bit, int64_t v)
{
    char buf[64];
    bimo_count_text(row, bit, v, buf, sizeof buf);
    return strdup(buf);
}

static char *value_text(const bimo_indicator *ind, const bimo_result_row *row, double v)
{
    char buf[80];
    bimo_value_text(ind, row, v, buf, sizeof buf);
    return strdup(buf);
}

static void table_head(const bimo_result *r, text_table *t, int multi)
{
    const bimo_indicator *ind = bimo_result_indicator(r);
    static const char *const period_head[] = {"Stichtag", "Jahr", "Zeitraum", "Schuljahr"};
    if (multi)
        t->head[t->ncols++] = period_head[ind->period];
    for (size_t d = 0; d < bimo_result_dim_count(r); d++)
        t->head[t->ncols++] = bimo_dimension_title(bimo_result_dim(r, d));
    size_t first_number = t->ncols;
    switch (ind->kind) {
    case BIMO_KIND_COUNT: t->head[t->ncols++] = "Anzahl"; break;
    case BIMO_KIND_QUANTILE:
        t->head[t->ncols++] = "Fälle";
        t->head[t->ncols++] = "1. Quartil";
        t->head[t->ncols++] = "Median";
        t->head[t->ncols++] = "3. Quartil";
        break;
    default:
        t->head[t->ncols++] = "Zähler";
        t->head[t->ncols++] = "Nenner";
        t->head[t->ncols++] = strcmp(ind->unit, "%") == 0 ? "Anteil" : ind->unit;
        break;
    }
    for (size_t c = 0; c < t->ncols; c++) {
        t->right[c] = c >= first_number;
        t->w[c] = width(t->head[c]);
    }
}

static int table_row(const bimo_result *r, const bimo_result_row *row, int multi, char **cells)
{
    const bimo_indicator *ind = bimo_result_indicator(r);
    size_t c = 0;
    if (multi) {
        const bimo_result_period *p = bimo_result_period_at(r, row->period);
        char date[11];
        bimo_format_date(p->stichtag, 1, date);
        cells[c++] = strdup(ind->period == BIMO_PERIOD_STICHTAG    ? date
                            : ind->period == BIMO_PERIOD_SCHULJAHR ? p->period
                                                                   : p->label);
    }
    for (size_t d = 0; d < bimo_result_dim_count(r); d++)
        cells[c++] = strdup(row->cells[d].label);
    cells[c++] = count_text(row, BIMO_HAS_NUMERATOR, row->numerator);
    if (ind->kind == BIMO_KIND_QUANTILE) {
        cells[c++] = value_text(ind, row, row->q1);
        cells[c++] = value_text(ind, row, row->median);
        cells[c++] = value_text(ind, row, row->q3);
    } else if (ind->kind != BIMO_KIND_COUNT) {
        cells[c++] = count_text(row, BIMO_HAS_DENOMINATOR, row->denominator);
        cells[c++] = value_text(ind, row, row->value);
    } else if (row->flag == BIMO_FLAG_PROVISIONAL && (row->has & BIMO_HAS_VALUE)) {
        free(cells[c - 1]);
        cells[c - 1] = value_text(ind, row, row->value);
    }
    for (size_t i = 0; i < c; i++)
        if (!cells[i])
            return -1;
    return 0;
}

static bimo_status build_table(const bimo_result *r, text_table *t, bimo_error *err)
{
    int multi = bimo_result_period_count(r) > 1;
    table_head(r, t, multi);
    t->nrows = bimo_result_row_count(r);
    t->cells = calloc(t->nrows * t->ncols + 1, sizeof *t->cells);
    if (!t->cells)
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < t->nrows; i++) {
        char **cells = t->cells + i * t->ncols;
        if (table_row(r, bimo_result_row_at(r, i), multi, cells) != 0)
            return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
        for (size_t c = 0; c < t->ncols; c++)
            if (width(cells[c]) > t->w[c])
                t->w[c] = width(cells[c]);
    }
    return BIMO_OK;
}

static void print_table(const text_table *t, FILE *out)
{
    for (size_t c = 0; c < t->ncols; c++) {
        fputs(c ? "  " : "", out);
        pad(out, t->head[c], c + 1 == t->ncols && !t->right[c] ? 0 : t->w[c], t->right[c]);
    }
    fputc('\n', out);
    for (size_t i = 0; i < t->nrows; i++) {
        for (size_t c = 0; c < t->ncols; c++) {
            fputs(c ? "  " : "", out);
            pad(out, t->cells[i * t->ncols + c], t->w[c], t->right[c]);
        }
        fputc('\n', out);
    }
}

static void footer(const bimo_result *r, FILE *out)
{
    const bimo_indicator *ind = bimo_result_indicator(r);
    char line[1024];
    bimo_result_source_line(r, line, sizeof line);
    fprintf(out, "\n%s\n", line);
    for (size_t i = 0; i < ind->nfootnotes; i++)
        fprintf(out, "%zu) %s\n", i + 1, ind->footnotes[i]);
    for (size_t i = 0; i < bimo_result_period_count(r); i++) {
        const bimo_result_period *p = bimo_result_period_at(r, i);
        if (p->note[0])
            fprintf(out, "%s: %s\n", p->label, p->note);
    }
    unsigned flags = bimo_result_flags_used(r);
    const char *sep = "Zeichenerklärung: ";
    for (int f = 1; f < BIMO_FLAG_COUNT; f++)
        if (flags & (1u << f)) {
            fprintf(out, "%s%s %s", sep, bimo_flag_symbol((bimo_flag)f),
                    bimo_flag_legend((bimo_flag)f));
            sep = "; ";
        }
    if (sep[0] == ';')
        fputc('\n', out);
}

static bimo_status write_table(const bimo_result *const *results, size_t n, FILE *out,
                               bimo_error *err)
{
    bimo_status st = BIMO_OK;
    for (size_t i = 0; i < n && st == BIMO_OK; i++) {
        const bimo_result *r = results[i];
        const bimo_indicator *ind = bimo_result_indicator(r);
        text_table t = {0};
        st = build_table(r, &t, err);
        if (st == BIMO_OK) {
            if (i > 0)
                fputc('\n', out);
            if (bimo_result_intern(r))
                fputs("INTERN – nicht zur Veröffentlichung (ohne Geheimhaltung)\n", out);
            int unit = ind->kind != BIMO_KIND_COUNT && strcmp(ind->unit, "%") != 0;
            fprintf(out, "%s %s%s%s%s\n", ind->id, ind->title, unit ? " (" : "",
                    unit ? ind->unit : "", unit ? ")" : "");
            char sub[512];
            bimo_result_subtitle(r, sub, sizeof sub);
            fprintf(out, "%s\n", sub);
            fputc('\n', out);
            print_table(&t, out);
            footer(r, out);
        }
        table_free(&t);
    }
    return st == BIMO_OK ? write_failed(out, err) : st;
}

bimo_status bimo_results_write(const bimo_result *const *results, size_t n, bimo_format format,
                               FILE *out, bimo_error *err)
{
    switch (format) {
    case BIMO_FORMAT_CSV: return write_csv(results, n, out, err);
    case BIMO_FORMAT_JSON: return write_json(results, n, out, err);
    case BIMO_FORMAT_TABLE: return write_table(results, n, out, err);
    }
    return bimo_fail(err, BIMO_ERR_ARG, "unknown output format");
}
