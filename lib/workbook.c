/* workbook.c — Excel workbooks of computed tables after official-statistics practice: a cover,
 * contents with links, notes, one sheet per table, a tidy data sheet (libxlsxwriter). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xlsxwriter.h>

#include "dims.h"
#include "error.h"
#include "output.h"
#include "result_text.h"
#include "values.h"
#include "workbook.h"

#define COL_MIN_WIDTH 6.0
#define COL_MAX_WIDTH 60.0
#define WIDE_PORTRAIT                                                                              \
    110.0 /* total column width (characters) above which a sheet prints landscape */
#define INTERN_TEXT "INTERN – nicht zur Veröffentlichung"
#define TABLE_HEAD  4 /* the header rows of a table sheet start here (title, subtitle, banner) */

/* ---- Writing context ------------------------------------------------------------------------ */

/* Number formats by (percent, decimals, provisional, bold): created on first use. */
#define MAX_DEC 6

typedef struct {
    lxw_workbook *wb;
    lxw_error lerr; /* first libxlsxwriter error, reported at the end */
    int intern;
    lxw_format *title, *subtitle, *bold, *text, *text_bold, *code, *head, *head_left, *symbol,
        *symbol_bold, *banner, *note, *link, *big, *wrap;
    lxw_format *num[2][MAX_DEC + 1][2][2];
} wb_ctx;

/* A sheet being written and the widths its columns need (in characters). */
typedef struct {
    lxw_worksheet *ws;
    char name[BIMO_SHEET_NAME_SIZE];
    double *width;
    size_t ncols;
    int wide_rows; /* rows whose text may run over the columns (titles): not counted */
} sheet;

static void lxw_check(wb_ctx *c, lxw_error e)
{
    if (e != LXW_NO_ERROR && c->lerr == LXW_NO_ERROR)
        c->lerr = e;
}

/* Display width of UTF-8 text in characters. */
static size_t text_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void need_width(sheet *s, lxw_col_t col, double w)
{
    if (col >= s->ncols) {
        size_t n = (size_t)col + 16;
        double *p = realloc(s->width, n * sizeof *p);
        if (!p)
            return; /* widths are cosmetic: a failed growth only leaves the default */
        for (size_t i = s->ncols; i < n; i++)
            p[i] = 0;
        s->width = p;
        s->ncols = n;
    }
    if (w > s->width[col])
        s->width[col] = w;
}

/* Text cells: worksheet_write_string never turns "=..." into a formula. */
static void put_text(wb_ctx *c, sheet *s, lxw_row_t r, lxw_col_t col, const char *text,
                     lxw_format *f, int measure)
{
    if (!text || !*text)
        return;
    lxw_check(c, worksheet_write_string(s->ws, r, col, text, f));
    if (measure)
        need_width(s, col, (double)text_chars(text) * (f == c->head || f == c->bold ? 1.1 : 1.0));
}

/* Number cells; a value that is not finite is never written (it shows "x"). */
static void put_number(wb_ctx *c, sheet *s, lxw_row_t r, lxw_col_t col, double v, int decimals,
                       lxw_format *f)
{
    if (!isfinite(v)) {
        put_text(c, s, r, col, bimo_flag_symbol(BIMO_FLAG_NOT_MEANINGFUL), c->symbol, 1);
        return;
    }
    lxw_check(c, worksheet_write_number(s->ws, r, col, v, f));
    char buf[64];
    bimo_number_de(v, decimals, buf, sizeof buf);
    need_width(s, col, (double)strlen(buf) + 2.0);
}

static lxw_format *new_format(wb_ctx *c)
{
    lxw_format *f = workbook_add_format(c->wb);
    if (!f && c->lerr == LXW_NO_ERROR)
        c->lerr = LXW_ERROR_MEMORY_MALLOC_FAILED;
    return f;
}

static void make_formats(wb_ctx *c)
{
    struct spec {
        lxw_format **f;
        int bold, size, wrap, align, border, text, color;
    } specs[] = {
        {&c->title, 1, 13},
        {&c->subtitle, 0, 11},
        {&c->big, 1, 18},
        {&c->bold, 1},
        {&c->text},
        {&c->text_bold, 1},
        {&c->code, 0, 0, 0, 0, 0, 1},
        {&c->head, 1, 0, 1, LXW_ALIGN_CENTER, 1},
        {&c->head_left, 1, 0, 1, LXW_ALIGN_LEFT, 1},
        {&c->symbol, 0, 0, 0, LXW_ALIGN_RIGHT},
        {&c->symbol_bold, 1, 0, 0, LXW_ALIGN_RIGHT},
        {&c->banner, 1, 12, 0, 0, 0, 0, LXW_COLOR_RED},
        {&c->note, 0, 9},
        {&c->wrap, 0, 0, 1},
    };
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        lxw_format *f = *specs[i].f = new_format(c);
        if (!f)
            return;
        if (specs[i].bold)
            format_set_bold(f);
        if (specs[i].size)
            format_set_font_size(f, specs[i].size);
        if (specs[i].wrap) {
            format_set_text_wrap(f);
            format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
        }
        if (specs[i].align)
            format_set_align(f, specs[i].align);
        if (specs[i].border)
            format_set_bottom(f, LXW_BORDER_THIN);
        if (specs[i].text)
            format_set_num_format(f, "@");
        if (specs[i].color)
            format_set_font_color(f, specs[i].color);
    }
    c->link = NULL; /* libxlsxwriter's hyperlink style */
}

/* "#,##0" for counts, "0.0" for percentages; zero shows "–" (genau null) while the cell keeps
 * the number 0, and a provisional number carries " p". Excel localises the separators. */
static lxw_format *number_format(wb_ctx *c, int percent, int decimals, int provisional, int bold)
{
    decimals = decimals < 0 ? 0 : decimals > MAX_DEC ? MAX_DEC : decimals;
    lxw_format **slot = &c->num[percent != 0][decimals][provisional != 0][bold != 0];
    if (*slot)
        return *slot;
    char base[32], fmt[128];
    snprintf(base, sizeof base, "%s%s%.*s", percent ? "0" : "#,##0", decimals ? "." : "", decimals,
             "000000");
    const char *p = provisional ? "\\ \"p\"" : "";
    snprintf(fmt, sizeof fmt, "%s%s;\\-%s%s;\"–\"", base, p, base, p);
    lxw_format *f = new_format(c);
    if (f) {
        format_set_num_format(f, fmt);
        if (bold)
            format_set_bold(f);
    }
    return *slot = f;
}

/* ---- Sheet names ---------------------------------------------------------------------------- */

static const char *const fixed_sheets[] = {"Deckblatt", "Inhalt", "Erläuterungen", "Daten",
                                           "History"};

static int same_name(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
        if ((x >= 'A' && x <= 'Z' ? x + 32 : x) != (y >= 'A' && y <= 'Z' ? y + 32 : y))
            return 0;
    }
    return *a == *b;
}

/* Copies at most max characters of s (whole UTF-8 sequences) with the characters Excel
 * forbids in sheet names replaced by "_" and no apostrophe at either end. */
static void clean_name(const char *s, size_t max, char *out, size_t size)
{
    size_t o = 0, chars = 0;
    while (*s == '\'')
        s++;
    for (; *s && chars < max && o + 5 < size; chars++) {
        size_t len = 1;
        while (((unsigned char)s[len] & 0xC0) == 0x80)
            len++;
        if (len == 1 && strchr("[]:*?/\\", *s))
            out[o++] = '_';
        else if (len == 1 && (unsigned char)*s < 0x20)
            out[o++] = ' ';
        else {
            memcpy(out + o, s, len);
            o += len;
        }
        s += len;
    }
    while (o > 0 && (out[o - 1] == '\'' || out[o - 1] == ' '))
        o--;
    out[o] = '\0';
}

static int name_taken(const char *name, char (*names)[BIMO_SHEET_NAME_SIZE], size_t n)
{
    for (size_t i = 0; i < sizeof fixed_sheets / sizeof fixed_sheets[0]; i++)
        if (same_name(name, fixed_sheets[i]))
            return 1;
    for (size_t i = 0; i < n; i++)
        if (same_name(name, names[i]))
            return 1;
    return 0;
}

void bimo_workbook_sheet_names(const char *const *wanted, size_t n,
                               char (*names)[BIMO_SHEET_NAME_SIZE])
{
    for (size_t i = 0; i < n; i++) {
        char base[BIMO_SHEET_NAME_SIZE];
        clean_name(wanted[i] ? wanted[i] : "", BIMO_SHEET_MAX, base, sizeof base);
        if (!base[0])
            snprintf(base, sizeof base, "Tabelle %zu", i + 1);
        snprintf(names[i], sizeof names[i], "%s", base);
        for (int k = 2; name_taken(names[i], names, i); k++) {
            char suffix[16], cut[BIMO_SHEET_NAME_SIZE];
            snprintf(suffix, sizeof suffix, " (%d)", k);
            clean_name(base, BIMO_SHEET_MAX - strlen(suffix), cut, sizeof cut);
            snprintf(names[i], sizeof names[i], "%s%s", cut, suffix);
        }
    }
}

static void internal_link(const char *sheet_name, char *out, size_t size)
{
    /* 'It''s' — apostrophes doubled inside the quoted name */
    size_t o = (size_t)snprintf(out, size, "internal:'");
    for (const char *p = sheet_name; *p && o + 8 < size; p++) {
        if (*p == '\'')
            out[o++] = '\'';
        out[o++] = *p;
    }
    snprintf(out + o, size - o, "'!A1");
}

/* ---- Table layout --------------------------------------------------------------------------- */

/* The numbers a table shows per category: count, or numerator/denominator/value, or quartiles. */
typedef enum { M_NUM, M_DEN, M_VAL, M_Q1, M_MED, M_Q3 } measure;

typedef struct {
    const bimo_result *res;
    const bimo_indicator *ind;
    int period_col, period_row; /* the period is the column or a stub dimension */
    int coldim;                 /* result dimension spread over the columns, -1: none */
    size_t rowdims[BIMO_DIM_COUNT], nrowdims;
    size_t nstub; /* stub columns: period, then per row dimension (code and) label */
    measure m[6];
    size_t nm;
    size_t *rowrep, nrows; /* a result row standing for each table row */
    size_t *colrep, ncols; /* a result row standing for each column category */
    size_t *cell;          /* nrows * ncols: result row + 1, 0 when there is none */
    size_t header_rows, first_data;
} layout;

static void layout_free(layout *l)
{
    free(l->rowrep);
    free(l->colrep);
    free(l->cell);
}

static int has_code_column(const char *dim)
{
    const bimo_dim_spec *s = bimo_dim_find(dim);
    return s && s->digits > 0;
}

static int same_row_key(const layout *l, size_t a, size_t b)
{
    const bimo_result_row *x = bimo_result_row_at(l->res, a), *y = bimo_result_row_at(l->res, b);
    if (l->period_row && x->period != y->period)
        return 0;
    for (size_t i = 0; i < l->nrowdims; i++)
        if (strcmp(x->cells[l->rowdims[i]].code, y->cells[l->rowdims[i]].code) != 0)
            return 0;
    return 1;
}

static int same_col_key(const layout *l, size_t a, size_t b)
{
    const bimo_result_row *x = bimo_result_row_at(l->res, a), *y = bimo_result_row_at(l->res, b);
    if (l->period_col)
        return x->period == y->period;
    return l->coldim < 0 || strcmp(x->cells[l->coldim].code, y->cells[l->coldim].code) == 0;
}

static void plan_measures(layout *l)
{
    switch (l->ind->kind) {
    case BIMO_KIND_COUNT: l->m[l->nm++] = M_VAL; break;
    case BIMO_KIND_QUANTILE:
        l->m[l->nm++] = M_NUM;
        l->m[l->nm++] = M_Q1;
        l->m[l->nm++] = M_MED;
        l->m[l->nm++] = M_Q3;
        break;
    default:
        l->m[l->nm++] = M_NUM;
        l->m[l->nm++] = M_DEN;
        l->m[l->nm++] = M_VAL;
        break;
    }
}

/* Time series spread the periods over the columns; a single period spreads the last of two or
 * more dimensions; otherwise the numbers are the only columns. */
static bimo_status plan_layout(const bimo_result *r, layout *l, bimo_error *err)
{
    memset(l, 0, sizeof *l);
    l->res = r;
    l->ind = bimo_result_indicator(r);
    size_t nd = bimo_result_dim_count(r), np = bimo_result_period_count(r);
    l->coldim = -1;
    if (np > 1 && nd > 0)
        l->period_col = 1;
    else if (np > 1)
        l->period_row = 1;
    else if (nd > 1)
        l->coldim = (int)nd - 1;
    for (size_t d = 0; d < nd; d++)
        if ((int)d != l->coldim)
            l->rowdims[l->nrowdims++] = d;
    l->nstub = (size_t)l->period_row + l->nrowdims;
    for (size_t i = 0; i < l->nrowdims; i++)
        l->nstub += (size_t)has_code_column(bimo_result_dim(r, l->rowdims[i]));
    if (l->nstub == 0)
        l->nstub = 1; /* a total-only table still has its "Insgesamt" stub */
    plan_measures(l);

    size_t n = bimo_result_row_count(r);
    l->rowrep = malloc((n + 1) * sizeof *l->rowrep);
    l->colrep = malloc((n + 1) * sizeof *l->colrep);
    size_t *row_of = malloc((n + 1) * sizeof *row_of), *col_of = malloc((n + 1) * sizeof *col_of);
    if (!l->rowrep || !l->colrep || !row_of || !col_of) {
        free(row_of);
        free(col_of);
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    }
    size_t last = 0;
    for (size_t i = 0; i < n; i++) {
        /* rows come in table order, so the next table row is tried first */
        size_t k = l->nrows;
        if (l->nrows && last + 1 < l->nrows && same_row_key(l, l->rowrep[last + 1], i))
            k = last + 1;
        else if (l->nrows && same_row_key(l, l->rowrep[last], i))
            k = last;
        else
            for (size_t j = 0; j < l->nrows; j++)
                if (same_row_key(l, l->rowrep[j], i)) {
                    k = j;
                    break;
                }
        if (k == l->nrows)
            l->rowrep[l->nrows++] = i;
        row_of[i] = last = k;
        size_t c = l->ncols;
        for (size_t j = 0; j < l->ncols; j++)
            if (same_col_key(l, l->colrep[j], i)) {
                c = j;
                break;
            }
        if (c == l->ncols)
            l->colrep[l->ncols++] = i;
        col_of[i] = c;
    }
    l->cell = calloc(l->nrows * l->ncols + 1, sizeof *l->cell);
    if (!l->cell) {
        free(row_of);
        free(col_of);
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        l->cell[row_of[i] * l->ncols + col_of[i]] = i + 1;
    free(row_of);
    free(col_of);
    if (l->nstub + l->ncols * l->nm > LXW_COL_MAX - 64)
        return bimo_fail(err, BIMO_ERR_DATA, "%s: %zu columns do not fit on a sheet", l->ind->id,
                         l->nstub + l->ncols * l->nm);
    int spread = l->period_col || l->coldim >= 0;
    l->header_rows = (spread ? 2u : 0u) + (l->nm > 1 || !spread ? 1u : 0u);
    l->first_data = TABLE_HEAD + l->header_rows;
    return BIMO_OK;
}

static const char *period_title(const bimo_indicator *ind)
{
    static const char *const t[] = {"Stichtag", "Jahr", "Zeitraum", "Schuljahr"};
    return t[ind->period];
}

static void period_text(const bimo_result *r, size_t p, char *out, size_t size)
{
    const bimo_indicator *ind = bimo_result_indicator(r);
    const bimo_result_period *per = bimo_result_period_at(r, p);
    char date[11];
    bimo_format_date(per->stichtag, 1, date);
    snprintf(out, size, "%s",
             ind->period == BIMO_PERIOD_STICHTAG    ? date
             : ind->period == BIMO_PERIOD_SCHULJAHR ? per->period
                                                    : per->label);
}

static void measure_title(const bimo_indicator *ind, measure m, char *out, size_t size)
{
    int pct = bimo_indicator_is_percent(ind);
    switch (m) {
    case M_NUM:
        snprintf(out, size, "%s", ind->kind == BIMO_KIND_QUANTILE ? "Fälle" : "Zähler");
        break;
    case M_DEN: snprintf(out, size, "Nenner"); break;
    case M_VAL:
        if (ind->kind == BIMO_KIND_COUNT)
            snprintf(out, size, "Anzahl");
        else
            snprintf(out, size, "%s", pct ? "Anteil in %" : ind->unit);
        break;
    case M_Q1: snprintf(out, size, "1. Quartil (%s)", ind->unit); break;
    case M_MED: snprintf(out, size, "Median (%s)", ind->unit); break;
    case M_Q3: snprintf(out, size, "3. Quartil (%s)", ind->unit); break;
    }
}

/* Whether the row shows measure m, and its number. */
static int measure_value(const bimo_result_row *row, measure m, double *v)
{
    switch (m) {
    case M_NUM: *v = (double)row->numerator; return (row->has & BIMO_HAS_NUMERATOR) != 0;
    case M_DEN: *v = (double)row->denominator; return (row->has & BIMO_HAS_DENOMINATOR) != 0;
    case M_VAL: *v = row->value; break;
    case M_Q1: *v = row->q1; break;
    case M_MED: *v = row->median; break;
    case M_Q3: *v = row->q3; break;
    }
    return (row->has & BIMO_HAS_VALUE) != 0;
}

static int measure_decimals(const bimo_indicator *ind, measure m)
{
    return m == M_NUM || m == M_DEN || ind->kind == BIMO_KIND_COUNT ? 0 : ind->decimals;
}

/* ---- One table sheet ------------------------------------------------------------------------ */

static const char *const superscript[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};

/* "¹⁾" for footnote 1, "¹²⁾" for 12. */
static void marker(int n, char *out, size_t size)
{
    char digits[16];
    snprintf(digits, sizeof digits, "%d", n);
    size_t o = 0;
    out[0] = '\0';
    for (const char *d = digits; *d && o + 8 < size; d++)
        o += (size_t)snprintf(out + o, size - o, "%s", superscript[*d - '0']);
    snprintf(out + o, size - o, "⁾");
}

/* The footnotes of a table: the indicator's, the table's note, then notes on periods. */
static size_t footnote_count(const bimo_workbook_table *t)
{
    const bimo_indicator *ind = bimo_result_indicator(t->result);
    return ind->nfootnotes + (t->note && *t->note ? 1 : 0);
}

static const char *table_title(const bimo_workbook_table *t)
{
    return t->title && *t->title ? t->title : bimo_result_indicator(t->result)->title;
}

static void write_stub_head(wb_ctx *c, sheet *s, const layout *l)
{
    lxw_row_t h0 = TABLE_HEAD, h1 = (lxw_row_t)(TABLE_HEAD + l->header_rows - 1);
    lxw_col_t col = 0;
    const char *titles[BIMO_DIM_COUNT * 2 + 2];
    size_t n = 0;
    if (l->period_row)
        titles[n++] = period_title(l->ind);
    for (size_t i = 0; i < l->nrowdims; i++) {
        const char *dim = bimo_result_dim(l->res, l->rowdims[i]);
        if (has_code_column(dim))
            titles[n++] = strcmp(dim, "gemeinde") == 0 ? "Gemeindeschlüssel" : "Schlüssel";
        titles[n++] = bimo_dimension_title(dim);
    }
    if (n == 0)
        titles[n++] = "";
    for (size_t i = 0; i < n; i++, col++) {
        if (h1 > h0)
            lxw_check(c, worksheet_merge_range(s->ws, h0, col, h1, col, titles[i], c->head_left));
        else
            put_text(c, s, h0, col, titles[i], c->head_left, 0);
        need_width(s, col, (double)text_chars(titles[i]) + 1.0);
    }
}

static void write_column_head(wb_ctx *c, sheet *s, const layout *l)
{
    lxw_row_t r = TABLE_HEAD;
    lxw_col_t first = (lxw_col_t)l->nstub, last = (lxw_col_t)(l->nstub + l->ncols * l->nm - 1);
    int spread = l->period_col || l->coldim >= 0;
    char buf[256];
    if (spread) {
        const char *title = l->period_col
                                ? period_title(l->ind)
                                : bimo_dimension_title(bimo_result_dim(l->res, (size_t)l->coldim));
        if (last > first)
            lxw_check(c, worksheet_merge_range(s->ws, r, first, r, last, title, c->head));
        else
            put_text(c, s, r, first, title, c->head, 0);
        r++;
        for (size_t j = 0; j < l->ncols; j++) {
            const bimo_result_row *rep = bimo_result_row_at(l->res, l->colrep[j]);
            if (l->period_col)
                period_text(l->res, rep->period, buf, sizeof buf);
            else
                snprintf(buf, sizeof buf, "%s", rep->cells[l->coldim].label);
            lxw_col_t a = (lxw_col_t)(first + j * l->nm), b = (lxw_col_t)(a + l->nm - 1);
            if (b > a)
                lxw_check(c, worksheet_merge_range(s->ws, r, a, r, b, buf, c->head));
            else
                put_text(c, s, r, a, buf, c->head, 0);
            /* a merged label spreads over its measures; a single column must hold it */
            need_width(s, a, ((double)text_chars(buf) + 1.0) / (double)l->nm);
        }
        r++;
    }
    if (l->nm > 1 || !spread)
        for (size_t j = 0; j < l->ncols; j++)
            for (size_t k = 0; k < l->nm; k++) {
                measure_title(l->ind, l->m[k], buf, sizeof buf);
                lxw_col_t col = (lxw_col_t)(first + j * l->nm + k);
                put_text(c, s, r, col, buf, c->head, 0);
                need_width(s, col, (double)text_chars(buf) * 0.8 + 1.0); /* wraps */
            }
}

/* Stub cells of table row i: period, then per row dimension its code (AGS as text) and label. */
static int write_stub(wb_ctx *c, sheet *s, const layout *l, size_t i, lxw_row_t r)
{
    const bimo_result_row *row = bimo_result_row_at(l->res, l->rowrep[i]);
    int total = 1;
    for (size_t d = 0; d < l->nrowdims; d++)
        total &= row->cells[l->rowdims[d]].total;
    lxw_format *f = total ? c->text_bold : c->text;
    lxw_col_t col = 0;
    char buf[64];
    if (l->period_row) {
        period_text(l->res, row->period, buf, sizeof buf);
        put_text(c, s, r, col++, buf, c->code, 1);
    }
    for (size_t d = 0; d < l->nrowdims; d++) {
        const bimo_result_cell *cell = &row->cells[l->rowdims[d]];
        if (has_code_column(bimo_result_dim(l->res, l->rowdims[d]))) {
            if (!cell->total)
                put_text(c, s, r, col, cell->code, c->code, 1);
            col++;
        }
        put_text(c, s, r, col++, cell->label, f, 1);
    }
    if (l->nstub == 1 && col == 0)
        put_text(c, s, r, 0, "Insgesamt", c->text_bold, 1);
    return total;
}

static void write_cells(wb_ctx *c, sheet *s, const layout *l, size_t i, lxw_row_t r, int bold)
{
    int pct = bimo_indicator_is_percent(l->ind);
    for (size_t j = 0; j < l->ncols; j++) {
        size_t ri = l->cell[i * l->ncols + j];
        const bimo_result_row *row = ri ? bimo_result_row_at(l->res, ri - 1) : NULL;
        int col_total =
            l->coldim >= 0 && bimo_result_row_at(l->res, l->colrep[j])->cells[l->coldim].total;
        for (size_t k = 0; k < l->nm; k++) {
            lxw_col_t col = (lxw_col_t)(l->nstub + j * l->nm + k);
            double v;
            if (!row)
                continue;
            if (!measure_value(row, l->m[k], &v)) {
                put_text(c, s, r, col, bimo_row_symbol(row),
                         bold || col_total ? c->symbol_bold : c->symbol, 1);
                continue;
            }
            int value = l->m[k] != M_NUM && l->m[k] != M_DEN;
            int prov = value && row->flag == BIMO_FLAG_PROVISIONAL;
            int dec = measure_decimals(l->ind, l->m[k]);
            lxw_format *f = number_format(c, value && pct, dec, prov, bold || col_total);
            put_number(c, s, r, col, v, dec, f);
            if (prov)
                need_width(s, col, s->width[col] + 2.0);
        }
    }
}

/* Source line, footnotes, notes on periods, the symbols used; returns the next free row. */
static lxw_row_t write_footer(wb_ctx *c, sheet *s, const bimo_workbook_table *t, lxw_row_t r)
{
    const bimo_result *res = t->result;
    const bimo_indicator *ind = bimo_result_indicator(res);
    char line[2048];
    r++;
    bimo_result_source_line(res, line, sizeof line);
    put_text(c, s, r++, 0, line, c->note, 0);
    int k = 1;
    for (size_t i = 0; i < ind->nfootnotes; i++, k++) {
        snprintf(line, sizeof line, "%d) %s", k, ind->footnotes[i]);
        put_text(c, s, r++, 0, line, c->note, 0);
    }
    if (t->note && *t->note) {
        snprintf(line, sizeof line, "%d) %s", k, t->note);
        put_text(c, s, r++, 0, line, c->note, 0);
    }
    for (size_t i = 0; i < bimo_result_period_count(res); i++) {
        const bimo_result_period *p = bimo_result_period_at(res, i);
        if (p->note[0]) {
            snprintf(line, sizeof line, "%s: %s", p->label, p->note);
            put_text(c, s, r++, 0, line, c->note, 0);
        }
    }
    unsigned flags = bimo_result_flags_used(res);
    size_t o = (size_t)snprintf(line, sizeof line, "Zeichenerklärung:");
    const char *sep = " ";
    for (int f = 1; f < BIMO_FLAG_COUNT && o < sizeof line; f++)
        if (flags & (1u << f)) {
            o += (size_t)snprintf(line + o, sizeof line - o, "%s%s = %s", sep,
                                  bimo_flag_symbol((bimo_flag)f), bimo_flag_legend((bimo_flag)f));
            sep = "; ";
        }
    if (sep[0] == ';')
        put_text(c, s, r++, 0, line, c->note, 0);
    r++;
    lxw_check(c, worksheet_write_url_opt(s->ws, r++, 0, "internal:'Inhalt'!A1", c->link,
                                         "Zurück zum Inhalt", NULL));
    return r;
}

/* The labels of a row's stub dimensions, "Mitte/Ost, männlich" ("Insgesamt" without any). */
static void row_label(const layout *l, const bimo_result_row *row, char *out, size_t size)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t d = 0; d < l->nrowdims && o < size; d++)
        o += (size_t)snprintf(out + o, size - o, "%s%s", d ? ", " : "",
                              row->cells[l->rowdims[d]].label);
    if (!out[0])
        snprintf(out, size, "Insgesamt");
}

/* A native chart of the value column beside the table. Suppressed cells are text, which
 * Excel would plot as zero, so the chart reads a copy of the numbers below the table where
 * those cells are left empty and drawn as gaps. */
static void write_chart(wb_ctx *c, sheet *s, const layout *l, const char *kind, lxw_row_t r)
{
    static const struct {
        const char *name;
        uint8_t type;
    } kinds[] = {{"bar", LXW_CHART_BAR},
                 {"column", LXW_CHART_COLUMN},
                 {"line", LXW_CHART_LINE},
                 {"pie", LXW_CHART_PIE}};
    uint8_t type = 0;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strcmp(kind, kinds[i].name))
            type = kinds[i].type;
    if (!type)
        return;
    size_t vm = l->nm - 1; /* the value (or median) */
    if (l->ind->kind == BIMO_KIND_QUANTILE)
        vm = 2;
    /* categories: rows below every margin; series: the columns that are not "Insgesamt" */
    size_t rows[4096], nr = 0, cols[512], nc = 0;
    for (size_t i = 0; i < l->nrows && nr < 4096; i++) {
        const bimo_result_row *row = bimo_result_row_at(l->res, l->rowrep[i]);
        int any_total = 0;
        for (size_t d = 0; d < l->nrowdims; d++)
            any_total |= row->cells[l->rowdims[d]].total;
        if (!any_total || l->nrows == 1)
            rows[nr++] = i;
    }
    for (size_t j = 0; j < l->ncols && nc < 512; j++)
        if (l->coldim < 0 || !bimo_result_row_at(l->res, l->colrep[j])->cells[l->coldim].total ||
            l->ncols == 1)
            cols[nc++] = j;
    int by_row = type == LXW_CHART_LINE && l->period_col; /* time series: one line per row */
    size_t nseries = by_row ? nr : nc, ncat = by_row ? nc : nr;
    if (type == LXW_CHART_PIE) {
        /* one pie: the categories' shares of their total ("Insgesamt" column if any) */
        for (size_t j = 0; j < l->ncols && l->coldim >= 0 && !by_row; j++)
            if (bimo_result_row_at(l->res, l->colrep[j])->cells[l->coldim].total) {
                cols[0] = j;
                nc = 1;
            }
        nseries = nseries ? 1 : 0;
    }
    lxw_chart *ch = nseries && ncat ? workbook_add_chart(c->wb, type) : NULL;
    if (!ch)
        return;
    put_text(c, s, r++, 0, "Werte für das Diagramm (gesperrte Werte ohne Darstellung)", c->note, 0);
    lxw_row_t top = r;
    char buf[256];
    for (size_t a = 0; a < ncat; a++) {
        size_t ci = by_row ? cols[a] : rows[a];
        const bimo_result_row *rep =
            bimo_result_row_at(l->res, by_row ? l->colrep[ci] : l->rowrep[ci]);
        if (by_row || l->period_row)
            period_text(l->res, rep->period, buf, sizeof buf);
        else
            row_label(l, rep, buf, sizeof buf);
        put_text(c, s, top + 1 + (lxw_row_t)a, 0, buf, c->text, 0);
    }
    for (size_t b = 0; b < nseries; b++) {
        size_t si = by_row ? rows[b] : cols[b];
        const bimo_result_row *rep =
            bimo_result_row_at(l->res, by_row ? l->rowrep[si] : l->colrep[si]);
        if (by_row)
            row_label(l, rep, buf, sizeof buf);
        else if (l->period_col)
            period_text(l->res, rep->period, buf, sizeof buf);
        else if (l->coldim >= 0)
            snprintf(buf, sizeof buf, "%s", rep->cells[l->coldim].label);
        else
            measure_title(l->ind, l->m[vm], buf, sizeof buf);
        lxw_col_t col = (lxw_col_t)(1 + b);
        put_text(c, s, top, col, buf, c->text_bold, 0);
        for (size_t a = 0; a < ncat; a++) {
            size_t i = by_row ? rows[b] : rows[a], j = by_row ? cols[a] : cols[b];
            size_t ri = l->cell[i * l->ncols + j];
            double v;
            if (ri && measure_value(bimo_result_row_at(l->res, ri - 1), l->m[vm], &v) &&
                isfinite(v))
                lxw_check(c, worksheet_write_number(s->ws, top + 1 + (lxw_row_t)a, col, v, NULL));
        }
        lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
        if (!se)
            continue;
        chart_series_set_categories(se, s->name, top + 1, 0, top + (lxw_row_t)ncat, 0);
        chart_series_set_values(se, s->name, top + 1, col, top + (lxw_row_t)ncat, col);
        chart_series_set_name_range(se, s->name, top, col);
    }
    chart_title_set_name_range(ch, s->name, 0, 0);
    chart_show_blanks_as(ch, LXW_CHART_BLANKS_AS_GAP);
    if (nseries <= 1 && type != LXW_CHART_PIE)
        chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
    lxw_chart_options o = {.x_scale = 1.5, .y_scale = 1.5};
    lxw_check(c, worksheet_insert_chart_opt(s->ws, TABLE_HEAD,
                                            (lxw_col_t)(l->nstub + l->ncols * l->nm + 1), ch, &o));
}

static void intern_banner(wb_ctx *c, sheet *s, lxw_row_t r)
{
    if (!c->intern)
        return;
    put_text(c, s, r, 0, INTERN_TEXT, c->banner, 0);
    lxw_check(c, worksheet_set_header(s->ws, "&C&\"-,Bold\"&KFF0000" INTERN_TEXT));
    worksheet_set_tab_color(s->ws, LXW_COLOR_RED);
}

/* Widths from content; landscape when the columns are wider than a portrait page. */
static void finish_sheet(wb_ctx *c, sheet *s, int fit)
{
    double total = 0;
    for (size_t i = 0; i < s->ncols; i++) {
        if (s->width[i] <= 0)
            continue;
        double w = s->width[i] + 1.0;
        w = w < COL_MIN_WIDTH ? COL_MIN_WIDTH : w > COL_MAX_WIDTH ? COL_MAX_WIDTH : w;
        total += w;
        lxw_check(c, worksheet_set_column(s->ws, (lxw_col_t)i, (lxw_col_t)i, w, NULL));
    }
    worksheet_set_paper(s->ws, 9); /* A4 */
    if (total > WIDE_PORTRAIT)
        worksheet_set_landscape(s->ws);
    if (fit)
        worksheet_fit_to_pages(s->ws, 1, 0);
    worksheet_set_footer(s->ws, "&L&A&RSeite &P von &N");
}

static bimo_status write_table(wb_ctx *c, sheet *s, const bimo_workbook_table *t, size_t number,
                               bimo_error *err)
{
    layout l;
    bimo_status st = plan_layout(t->result, &l, err);
    if (st != BIMO_OK) {
        layout_free(&l);
        return st;
    }
    char buf[1024], marks[256] = "";
    size_t o = 0;
    for (size_t k = 1; k <= footnote_count(t) && o + 16 < sizeof marks; k++) {
        marker((int)k, marks + o, sizeof marks - o);
        o = strlen(marks);
    }
    snprintf(buf, sizeof buf, "Tabelle %zu: %s%s", number, table_title(t), marks);
    put_text(c, s, 0, 0, buf, c->title, 0);
    bimo_result_subtitle(t->result, buf, sizeof buf);
    put_text(c, s, 1, 0, buf, c->subtitle, 0);
    intern_banner(c, s, 2);

    write_stub_head(c, s, &l);
    write_column_head(c, s, &l);
    lxw_row_t r = (lxw_row_t)l.first_data;
    for (size_t i = 0; i < l.nrows; i++, r++) {
        int total = write_stub(c, s, &l, i, r);
        write_cells(c, s, &l, i, r, total && (l.nrowdims > 0 || l.period_row == 0));
    }
    lxw_check(c, worksheet_ignore_errors(s->ws, LXW_IGNORE_NUMBER_STORED_AS_TEXT, "A1:XFD1048576"));
    worksheet_freeze_panes(s->ws, (lxw_row_t)l.first_data, (lxw_col_t)l.nstub);
    lxw_check(c, worksheet_repeat_rows(s->ws, TABLE_HEAD, (lxw_row_t)(l.first_data - 1)));
    r = write_footer(c, s, t, r);
    if (t->chart && *t->chart)
        write_chart(c, s, &l, t->chart, r + 1);
    finish_sheet(c, s, 1);
    layout_free(&l);
    return BIMO_OK;
}

/* ---- Cover, contents, notes, data ----------------------------------------------------------- */

typedef struct {
    const bimo_workbook_table *t;
    size_t n;
    char (*names)[BIMO_SHEET_NAME_SIZE];
    const bimo_workbook_options *opt;
    const char *area, *producer;
    int32_t data_date;
    time_t created;
    int created_explicit; /* given or SOURCE_DATE_EPOCH, not the data's date */
} wb_info;

/* "31.12.2025", or "01.01.2024 bis 31.12.2025" from the first to the last day of all periods. */
static void data_span(const wb_info *w, char *out, size_t size)
{
    int32_t von = 0, bis = 0;
    for (size_t i = 0; i < w->n; i++)
        for (size_t p = 0; p < bimo_result_period_count(w->t[i].result); p++) {
            const bimo_result_period *per = bimo_result_period_at(w->t[i].result, p);
            int32_t a = bimo_result_indicator(w->t[i].result)->period == BIMO_PERIOD_STICHTAG
                            ? per->stichtag
                            : per->von;
            if (!von || a < von)
                von = a;
            if (per->bis > bis)
                bis = per->bis;
        }
    char d1[11], d2[11];
    bimo_format_date(von, 1, d1);
    bimo_format_date(bis, 1, d2);
    if (von == bis)
        snprintf(out, size, "%s", d1);
    else
        snprintf(out, size, "%s bis %s", d1, d2);
}

static void write_cover(wb_ctx *c, sheet *s, const wb_info *w)
{
    char buf[1024], date[11];
    if (w->opt && w->opt->title && *w->opt->title)
        snprintf(buf, sizeof buf, "%s", w->opt->title);
    else
        snprintf(buf, sizeof buf, "Bildungsmonitoring %s", w->area);
    put_text(c, s, 1, 0, buf, c->big, 0);
    if (w->opt && w->opt->subtitle && *w->opt->subtitle)
        put_text(c, s, 2, 0, w->opt->subtitle, c->subtitle, 0);
    intern_banner(c, s, 3);
    lxw_row_t r = 5;
    bimo_format_date(w->data_date, 1, date);
    struct tm tm;
    time_t created = w->created;
    gmtime_r(&created, &tm);
    char made[16];
    strftime(made, sizeof made, "%d.%m.%Y", &tm);
    char span[64];
    data_span(w, span, sizeof span);
    const char *rows[][2] = {
        {"Gebiet", w->area},
        {"Zeitraum der Daten", span},
        {"Datenstand", date},
        {"Herausgeber", w->producer},
        {"Erstellt am", w->created_explicit ? made : NULL},
        {"Tabellen", NULL},
    };
    snprintf(buf, sizeof buf, "%zu", w->n);
    rows[5][1] = buf;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (!rows[i][1])
            continue;
        put_text(c, s, r, 0, rows[i][0], c->bold, 1);
        put_text(c, s, r++, 1, rows[i][1], c->text, 1);
    }
    r++;
    lxw_check(c, worksheet_write_url_opt(s->ws, r++, 0, "internal:'Inhalt'!A1", c->link,
                                         "Zum Inhaltsverzeichnis", NULL));
    snprintf(buf, sizeof buf, "Erstellt mit bimo %s", bimo_version());
    put_text(c, s, r + 1, 0, buf, c->note, 0);
    finish_sheet(c, s, 1);
}

static void write_contents(wb_ctx *c, sheet *s, const wb_info *w)
{
    char buf[1024], link[BIMO_SHEET_NAME_SIZE * 2 + 32];
    put_text(c, s, 0, 0, "Inhalt", c->title, 0);
    intern_banner(c, s, 1);
    lxw_row_t r = 3;
    put_text(c, s, r, 0, "Tabelle", c->head_left, 1);
    put_text(c, s, r, 1, "Titel", c->head_left, 1);
    put_text(c, s, r, 2, "Gebiet und Zeitraum", c->head_left, 1);
    put_text(c, s, r++, 3, "Blatt", c->head_left, 1);
    for (size_t i = 0; i < w->n; i++, r++) {
        internal_link(w->names[i], link, sizeof link);
        snprintf(buf, sizeof buf, "Tabelle %zu", i + 1);
        lxw_check(c, worksheet_write_url_opt(s->ws, r, 0, link, c->link, buf, NULL));
        need_width(s, 0, (double)strlen(buf));
        put_text(c, s, r, 1, table_title(&w->t[i]), c->text, 1);
        bimo_result_subtitle(w->t[i].result, buf, sizeof buf);
        put_text(c, s, r, 2, buf, c->text, 1);
        put_text(c, s, r, 3, w->names[i], c->code, 1);
    }
    r++;
    static const char *const others[][2] = {
        {"Erläuterungen", "Definitionen, Quellen, Zeichenerklärung, Geheimhaltung, Fußnoten"},
        {"Daten", "Alle Werte in maschinenlesbarer Form (eine Zeile je Wert)"},
    };
    for (size_t i = 0; i < 2; i++, r++) {
        internal_link(others[i][0], link, sizeof link);
        lxw_check(c, worksheet_write_url_opt(s->ws, r, 0, link, c->link, others[i][0], NULL));
        need_width(s, 0, (double)text_chars(others[i][0]));
        put_text(c, s, r, 1, others[i][1], c->text, 1);
        put_text(c, s, r, 3, others[i][0], c->code, 1);
    }
    worksheet_freeze_panes(s->ws, 4, 0);
    finish_sheet(c, s, 1);
}

static int seen_before(const wb_info *w, size_t i)
{
    for (size_t k = 0; k < i; k++)
        if (bimo_result_indicator(w->t[k].result) == bimo_result_indicator(w->t[i].result))
            return 1;
    return 0;
}

static lxw_row_t section(wb_ctx *c, sheet *s, lxw_row_t r, const char *title)
{
    put_text(c, s, r + 1, 0, title, c->title, 0);
    return r + 2;
}

static lxw_row_t notes_definitions(wb_ctx *c, sheet *s, const wb_info *w, lxw_row_t r)
{
    r = section(c, s, r, "Definitionen");
    for (size_t i = 0; i < w->n; i++) {
        if (seen_before(w, i))
            continue;
        const bimo_indicator *ind = bimo_result_indicator(w->t[i].result);
        char buf[1024];
        snprintf(buf, sizeof buf, "%s %s", ind->id, ind->title);
        put_text(c, s, r++, 0, buf, c->bold, 0);
        const char *rows[][2] = {
            {"Definition", ind->definition},
            {"Einheit", ind->unit},
            {"Zähler", ind->kind == BIMO_KIND_COUNT ? NULL : ind->numerator},
            {"Gezählt wird", ind->kind == BIMO_KIND_COUNT ? ind->numerator : NULL},
            {"Nenner", ind->denominator}};
        for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++)
            if (rows[k][1] && *rows[k][1]) {
                put_text(c, s, r, 0, rows[k][0], c->text, 1);
                put_text(c, s, r++, 1, rows[k][1], c->wrap, 0);
            }
        r++;
    }
    return r;
}

static lxw_row_t notes_sources(wb_ctx *c, sheet *s, const wb_info *w, lxw_row_t r)
{
    r = section(c, s, r, "Quellen");
    for (size_t i = 0; i < w->n; i++) {
        char buf[2048], prev[2048];
        bimo_result_source_line(w->t[i].result, buf, sizeof buf);
        int dup = 0;
        for (size_t k = 0; k < i && !dup; k++) {
            bimo_result_source_line(w->t[k].result, prev, sizeof prev);
            dup = strcmp(prev, buf) == 0;
        }
        if (dup)
            continue;
        snprintf(prev, sizeof prev, "Tabelle %zu", i + 1);
        put_text(c, s, r, 0, prev, c->text, 1);
        put_text(c, s, r++, 1, buf, c->wrap, 0);
    }
    return r;
}

static lxw_row_t notes_legend(wb_ctx *c, sheet *s, lxw_row_t r)
{
    r = section(c, s, r, "Zeichenerklärung");
    for (int f = 1; f < BIMO_FLAG_COUNT; f++) {
        put_text(c, s, r, 0, bimo_flag_symbol((bimo_flag)f), c->text, 1);
        put_text(c, s, r++, 1, bimo_flag_legend((bimo_flag)f), c->wrap, 0);
    }
    put_text(c, s, r++, 1,
             "Zahlen sind als Zahlen gespeichert; Excel zeigt sie mit den Trennzeichen der "
             "eingestellten Sprache. Gesperrte Felder enthalten das Zeichen als Text.",
             c->wrap, 0);
    return r;
}

static lxw_row_t notes_disclosure(wb_ctx *c, sheet *s, const wb_info *w, lxw_row_t r)
{
    r = section(c, s, r, "Geheimhaltung");
    char buf[1024];
    if (c->intern) {
        put_text(c, s, r++, 1,
                 "INTERN: Es wurde keine Geheimhaltung angewandt. Die Tabellen enthalten "
                 "Einzelangaben und dürfen nicht veröffentlicht oder weitergegeben werden.",
                 c->wrap, 0);
        return r;
    }
    int64_t threshold = 3;
    double min_den = 10;
    if (w->n)
        bimo_result_disclosure(w->t[0].result, &threshold, &min_den);
    char den[64];
    bimo_number_de(min_den, min_den == floor(min_den) ? 0 : 1, den, sizeof den);
    snprintf(buf, sizeof buf,
             "Fallzahlen von 1 bis %lld werden gesperrt (.). Damit sich gesperrte Werte nicht "
             "aus Summen und Insgesamt-Werten errechnen lassen, werden weitere Felder gesperrt "
             "(sekundäre Geheimhaltung).",
             (long long)(threshold - 1));
    if (threshold <= 1)
        snprintf(buf, sizeof buf, "Es werden keine Fallzahlen wegen kleiner Werte gesperrt.");
    put_text(c, s, r++, 1, buf, c->wrap, 0);
    snprintf(buf, sizeof buf,
             "Anteile, deren Zähler gesperrt ist, werden ebenfalls gesperrt (.). Liegt eine "
             "Quote nahe bei 100 %%, würde ihr Nenner den gesperrten Zähler eingrenzen; dann "
             "wird auch der Nenner gesperrt. Anteile und Quoten mit einem Nenner unter %s "
             "werden nicht ausgewiesen (/).",
             den);
    put_text(c, s, r++, 1, buf, c->wrap, 0);
    return r;
}

static lxw_row_t notes_footnotes(wb_ctx *c, sheet *s, const wb_info *w, lxw_row_t r)
{
    r = section(c, s, r, "Fußnoten");
    for (size_t i = 0; i < w->n; i++) {
        const bimo_indicator *ind = bimo_result_indicator(w->t[i].result);
        char head[64], buf[2048];
        snprintf(head, sizeof head, "Tabelle %zu", i + 1);
        int k = 1;
        for (size_t f = 0; f < ind->nfootnotes; f++, k++) {
            snprintf(buf, sizeof buf, "%d) %s", k, ind->footnotes[f]);
            put_text(c, s, r, 0, head, c->text, 1);
            put_text(c, s, r++, 1, buf, c->wrap, 0);
        }
        if (w->t[i].note && *w->t[i].note) {
            snprintf(buf, sizeof buf, "%d) %s", k, w->t[i].note);
            put_text(c, s, r, 0, head, c->text, 1);
            put_text(c, s, r++, 1, buf, c->wrap, 0);
        }
    }
    return r;
}

static void write_notes(wb_ctx *c, sheet *s, const wb_info *w)
{
    put_text(c, s, 0, 0, "Erläuterungen", c->title, 0);
    intern_banner(c, s, 1);
    lxw_row_t r = 2;
    r = notes_definitions(c, s, w, r);
    r = notes_sources(c, s, w, r);
    r = notes_legend(c, s, r);
    r = notes_disclosure(c, s, w, r);
    notes_footnotes(c, s, w, r);
    finish_sheet(c, s, 1);
    lxw_check(c, worksheet_set_column(s->ws, 1, 1, 100, c->wrap));
}

/* The tidy data: one row per value with machine codes, the union of all tables' dimensions. */
static void write_data(wb_ctx *c, sheet *s, const wb_info *w)
{
    const char *dims[BIMO_DIM_COUNT];
    size_t nd = 0;
    int quantiles = 0;
    for (size_t k = 0; k < bimo_dimension_count(); k++)
        for (size_t i = 0; i < w->n; i++) {
            const bimo_result *r = w->t[i].result;
            int used = 0;
            for (size_t d = 0; d < bimo_result_dim_count(r); d++)
                used |= strcmp(bimo_result_dim(r, d), bimo_dimension_name(k)) == 0;
            if (used) {
                dims[nd++] = bimo_dimension_name(k);
                break;
            }
        }
    for (size_t i = 0; i < w->n; i++)
        quantiles |= bimo_result_indicator(w->t[i].result)->kind == BIMO_KIND_QUANTILE;
    const char *head[BIMO_DIM_COUNT + 12];
    size_t nh = 0;
    head[nh++] = "table";
    head[nh++] = "sheet";
    head[nh++] = "indicator";
    head[nh++] = "period";
    for (size_t d = 0; d < nd; d++)
        head[nh++] = dims[d];
    head[nh++] = "numerator";
    head[nh++] = "denominator";
    head[nh++] = "value";
    if (quantiles) {
        head[nh++] = "q1";
        head[nh++] = "median";
        head[nh++] = "q3";
    }
    head[nh++] = "flag";
    for (size_t h = 0; h < nh; h++)
        put_text(c, s, 0, (lxw_col_t)h, head[h], c->head_left, 1);
    lxw_row_t r = 1;
    for (size_t i = 0; i < w->n; i++) {
        const bimo_result *res = w->t[i].result;
        const bimo_indicator *ind = bimo_result_indicator(res);
        size_t col_of[BIMO_DIM_COUNT];
        for (size_t d = 0; d < bimo_result_dim_count(res); d++)
            for (size_t k = 0; k < nd; k++)
                if (!strcmp(dims[k], bimo_result_dim(res, d)))
                    col_of[d] = 4 + k;
        for (size_t j = 0; j < bimo_result_row_count(res); j++, r++) {
            const bimo_result_row *row = bimo_result_row_at(res, j);
            put_number(c, s, r, 0, (double)(i + 1), 0, NULL);
            put_text(c, s, r, 1, w->names[i], c->code, 1);
            put_text(c, s, r, 2, ind->id, c->code, 1);
            put_text(c, s, r, 3, bimo_result_period_at(res, row->period)->period, c->code, 1);
            for (size_t d = 0; d < bimo_result_dim_count(res); d++)
                put_text(c, s, r, (lxw_col_t)col_of[d], row->cells[d].code, c->code, 1);
            lxw_col_t col = (lxw_col_t)(4 + nd);
            if (row->has & BIMO_HAS_NUMERATOR)
                put_number(c, s, r, col, (double)row->numerator, 0, NULL);
            if (row->has & BIMO_HAS_DENOMINATOR)
                put_number(c, s, r, col + 1, (double)row->denominator, 0, NULL);
            if (row->has & BIMO_HAS_VALUE) {
                put_number(c, s, r, col + 2,
                           ind->kind == BIMO_KIND_COUNT ? (double)row->numerator : row->value, 6,
                           NULL);
                if (quantiles && ind->kind == BIMO_KIND_QUANTILE) {
                    put_number(c, s, r, col + 3, row->q1, 1, NULL);
                    put_number(c, s, r, col + 4, row->median, 1, NULL);
                    put_number(c, s, r, col + 5, row->q3, 1, NULL);
                }
            }
            put_text(c, s, r, (lxw_col_t)(nh - 1), bimo_flag_symbol(row->flag), c->code, 1);
        }
    }
    worksheet_freeze_panes(s->ws, 1, 0);
    lxw_check(c, worksheet_autofilter(s->ws, 0, 0, r > 1 ? r - 1 : 1, (lxw_col_t)(nh - 1)));
    lxw_check(c, worksheet_ignore_errors(s->ws, LXW_IGNORE_NUMBER_STORED_AS_TEXT, "A1:XFD1048576"));
    if (c->intern) {
        lxw_check(c, worksheet_set_header(s->ws, "&C&\"-,Bold\"&KFF0000" INTERN_TEXT));
        worksheet_set_tab_color(s->ws, LXW_COLOR_RED);
    }
    lxw_check(c, worksheet_repeat_rows(s->ws, 0, 0));
    finish_sheet(c, s, 1);
}

/* ---- The workbook --------------------------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (no time zone involved). */
static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static time_t creation_time(wb_info *w)
{
    w->created_explicit = 1;
    if (w->opt && w->opt->created > 0)
        return (time_t)w->opt->created;
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        errno = 0;
        long long v = strtoll(sde, &end, 10);
        if (!*end && errno == 0 && v > 0)
            return (time_t)v;
    }
    w->created_explicit = 0;
    int32_t d = w->data_date;
    return (time_t)(days_from_civil(d / 10000, d / 100 % 100, d % 100) * 86400);
}

static int32_t latest_date(const bimo_workbook_table *t, size_t n)
{
    int32_t best = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t p = 0; p < bimo_result_period_count(t[i].result); p++) {
            const bimo_result_period *per = bimo_result_period_at(t[i].result, p);
            if (per->stichtag > best)
                best = per->stichtag;
        }
    return best ? best : 19700101;
}

static bimo_status check_tables(const char *path, const bimo_workbook_table *t, size_t n,
                                bimo_error *err)
{
    static const char *const charts[] = {"bar", "column", "line", "pie"};
    size_t total = 0;
    if (!path || (n && !t))
        return bimo_fail(err, BIMO_ERR_ARG, "bimo_workbook_write: path and tables are required");
    for (size_t i = 0; i < n; i++) {
        if (!t[i].result)
            return bimo_fail(err, BIMO_ERR_ARG, "workbook table %zu has no result", i + 1);
        int ok = !t[i].chart || !*t[i].chart;
        for (size_t k = 0; k < 4 && !ok; k++)
            ok = strcmp(t[i].chart, charts[k]) == 0;
        if (!ok)
            return bimo_fail(err, BIMO_ERR_ARG,
                             "chart \"%s\" of table %zu: use bar, column, line or pie", t[i].chart,
                             i + 1);
        total += bimo_result_row_count(t[i].result);
    }
    /* the data sheet holds every row of every table */
    if (total > LXW_ROW_MAX - 64)
        return bimo_fail(err, BIMO_ERR_DATA, "%zu values do not fit on one sheet (at most %d rows)",
                         total, LXW_ROW_MAX - 64);
    return BIMO_OK;
}

static bimo_status add_sheet(wb_ctx *c, sheet *s, const char *name, bimo_error *err)
{
    snprintf(s->name, sizeof s->name, "%s", name);
    if (!(s->ws = workbook_add_worksheet(c->wb, name)))
        return bimo_fail(err, BIMO_ERR_DATA, "cannot add the sheet \"%s\"", name);
    return BIMO_OK;
}

static void set_properties(wb_ctx *c, const wb_info *w)
{
    char title[512], comments[128];
    if (w->opt && w->opt->title && *w->opt->title)
        snprintf(title, sizeof title, "%s", w->opt->title);
    else
        snprintf(title, sizeof title, "Bildungsmonitoring %s", w->area);
    snprintf(comments, sizeof comments, "Erstellt mit bimo %s%s", bimo_version(),
             c->intern ? "; " INTERN_TEXT : "");
    lxw_doc_properties p = {
        .title = title,
        .subject = (char *)(w->opt && w->opt->subtitle ? w->opt->subtitle : NULL),
        .author = (char *)w->producer,
        .company = (char *)w->producer,
        .comments = comments,
        .status = c->intern ? (char *)"INTERN" : NULL,
        .created = w->created,
    };
    lxw_check(c, workbook_set_properties(c->wb, &p));
}

static bimo_status write_all(wb_ctx *c, const wb_info *w, sheet *sheets, bimo_error *err)
{
    size_t ns = w->n + 4;
    const char *fixed[] = {"Deckblatt", "Inhalt", "Erläuterungen"};
    bimo_status st = BIMO_OK;
    for (size_t i = 0; i < 3 && st == BIMO_OK; i++)
        st = add_sheet(c, &sheets[i], fixed[i], err);
    for (size_t i = 0; i < w->n && st == BIMO_OK; i++)
        st = add_sheet(c, &sheets[3 + i], w->names[i], err);
    if (st == BIMO_OK)
        st = add_sheet(c, &sheets[ns - 1], "Daten", err);
    if (st != BIMO_OK)
        return st;
    make_formats(c);
    set_properties(c, w);
    write_cover(c, &sheets[0], w);
    write_contents(c, &sheets[1], w);
    write_notes(c, &sheets[2], w);
    for (size_t i = 0; i < w->n && st == BIMO_OK; i++)
        st = write_table(c, &sheets[3 + i], &w->t[i], i + 1, err);
    if (st == BIMO_OK)
        write_data(c, &sheets[ns - 1], w);
    return st;
}

bimo_status bimo_workbook_write(const char *path, const bimo_workbook_table *tables, size_t n,
                                const bimo_workbook_options *opt, bimo_error *err)
{
    bimo_status st = check_tables(path, tables, n, err);
    if (st != BIMO_OK)
        return st;
    wb_info w = {
        .t = tables, .n = n, .opt = opt, .area = n ? bimo_result_area(tables[0].result) : ""};
    wb_ctx c = {.intern = opt && opt->intern};
    for (size_t i = 0; i < n; i++)
        c.intern |= bimo_result_intern(tables[i].result);
    w.producer = opt && opt->producer && *opt->producer ? opt->producer
                 : n && bimo_result_producer(tables[0].result)
                     ? bimo_result_producer(tables[0].result)
                     : "bimo";
    w.data_date = latest_date(tables, n);
    w.created = creation_time(&w);
    w.names = calloc(n + 1, sizeof *w.names);
    sheet *sheets = calloc(n + 4, sizeof *sheets);
    const char **wanted = calloc(n + 1, sizeof *wanted);
    bimo_output *out = NULL;
    FILE *fp;
    if (!w.names || !sheets || !wanted) {
        st = bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        wanted[i] = tables[i].sheet && *tables[i].sheet
                        ? tables[i].sheet
                        : bimo_result_indicator(tables[i].result)->id;
    bimo_workbook_sheet_names(wanted, n, w.names);
    st = bimo_output_open(path, opt && opt->keep_existing ? 0 : BIMO_OUTPUT_OVERWRITE, &out, &fp,
                          err);
    if (st != BIMO_OK)
        goto done;
    /* libxlsxwriter opens the temporary file by name and rewrites it in place. */
    lxw_workbook_options lo = {0};
    if (!(c.wb = workbook_new_opt(bimo_output_temp_path(out), &lo))) {
        st = bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
        goto done;
    }
    st = write_all(&c, &w, sheets, err);
    if (st == BIMO_OK && c.lerr != LXW_NO_ERROR)
        st = bimo_fail(err, BIMO_ERR_DATA, "cannot write the workbook %s: %s", path,
                       lxw_strerror(c.lerr));
    lxw_error e = workbook_close(c.wb);
    if (st == BIMO_OK && e != LXW_NO_ERROR)
        st = bimo_fail(err, BIMO_ERR_IO, "cannot write %s: %s", path, lxw_strerror(e));
    if (st == BIMO_OK) {
        st = bimo_output_commit(out, err);
        out = NULL;
    }
done:
    bimo_output_abort(out);
    for (size_t i = 0; sheets && i < n + 4; i++)
        free(sheets[i].width);
    free(sheets);
    free(wanted);
    free(w.names);
    return st;
}
