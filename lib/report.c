/* report.c — the Bildungsbericht: a template filled with live numbers, its figures and tables
 * computed, typeset to PDF (typeset.c) and written with figure files and a workbook into one
 * output folder that appears whole or not at all. */
#include <cairo-pdf.h>
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bimo_config.h"
#include "chart.h"
#include "dims.h"
#include "error.h"
#include "output_dir.h"
#include "result_text.h"
#include "template.h"
#include "typeset.h"
#include "values.h"

/* A figure or table of the report with its computed result. */
typedef struct {
    const bimo_tpl_block *b;
    bimo_result *res;
} part;

typedef struct {
    bimo_template *t;
    bimo_engine *engine;
    const bimo_report_options *opt;
    part *parts;
    size_t nparts;
    ts_doc *doc;
    int num[3]; /* heading counters */
    bimo_error *err;
    int oom;
} report;

/* ---- Text ---------------------------------------------------------------------------------- */

static void inlines(report *r, cmark_node *parent, ts_buf *b);

static void add(report *r, ts_buf *b, const char *s)
{
    if (ts_buf_add(b, s, strlen(s)))
        r->oom = 1;
}

static void add_escaped(report *r, ts_buf *b, const char *s)
{
    if (ts_buf_escape(b, s ? s : ""))
        r->oom = 1;
}

static void inline_node(report *r, cmark_node *n, ts_buf *b)
{
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_TEXT: {
        char *s = bimo_template_node_text(r->t, n);
        if (!s) {
            r->oom = 1;
            return;
        }
        add_escaped(r, b, s);
        free(s);
        break;
    }
    case CMARK_NODE_SOFTBREAK: add(r, b, " "); break;
    case CMARK_NODE_LINEBREAK: add(r, b, "\n"); break;
    case CMARK_NODE_CODE:
        add(r, b, "<tt>");
        add_escaped(r, b, cmark_node_get_literal(n));
        add(r, b, "</tt>");
        break;
    case CMARK_NODE_EMPH:
        add(r, b, "<i>");
        inlines(r, n, b);
        add(r, b, "</i>");
        break;
    case CMARK_NODE_STRONG:
        add(r, b, "<b>");
        inlines(r, n, b);
        add(r, b, "</b>");
        break;
    case CMARK_NODE_LINK:
        add(r, b, "<span foreground=\"#1b446d\" underline=\"single\">");
        inlines(r, n, b);
        add(r, b, "</span>");
        break;
    case CMARK_NODE_IMAGE: inlines(r, n, b); break;
    default: break; /* raw HTML is not typeset */
    }
}

static void inlines(report *r, cmark_node *parent, ts_buf *b)
{
    for (cmark_node *c = cmark_node_first_child(parent); c; c = cmark_node_next(c))
        inline_node(r, c, b);
}

/* ---- Tables from results --------------------------------------------------------------------- */

static const char *const period_head[] = {"Stichtag", "Jahr", "Zeitraum", "Schuljahr"};

static const char *period_text(const bimo_result *res, size_t i, char *buf)
{
    const bimo_indicator *ind = bimo_result_indicator(res);
    const bimo_result_period *p = bimo_result_period_at(res, i);
    if (ind->period == BIMO_PERIOD_STICHTAG) {
        bimo_format_date(p->stichtag, 1, buf);
        return buf;
    }
    return ind->period == BIMO_PERIOD_SCHULJAHR ? p->period : p->label;
}

/* The measures of a long table: their titles. */
static size_t measures(const bimo_indicator *ind, const char **head)
{
    switch (ind->kind) {
    case BIMO_KIND_COUNT: head[0] = "Anzahl"; return 1;
    case BIMO_KIND_QUANTILE:
        head[0] = "Fälle";
        head[1] = "1. Quartil";
        head[2] = "Median";
        head[3] = "3. Quartil";
        return 4;
    case BIMO_KIND_SHARE:
        head[0] = "Anzahl";
        head[1] = "Insgesamt";
        head[2] = "Anteil";
        return 3;
    default:
        head[0] = "Zähler";
        head[1] = "Nenner";
        head[2] = strcmp(ind->unit, "%") == 0 ? "Anteil" : ind->unit;
        return 3;
    }
}

static void measure_text(const bimo_indicator *ind, const bimo_result_row *row, size_t m, char *buf,
                         size_t size)
{
    if (m == 0) {
        bimo_count_text(row, BIMO_HAS_NUMERATOR, row->numerator, buf, size);
    } else if (ind->kind == BIMO_KIND_QUANTILE) {
        double v = m == 1 ? row->q1 : m == 2 ? row->median : row->q3;
        bimo_value_text(ind, row, v, buf, size);
    } else if (m == 1) {
        bimo_count_text(row, BIMO_HAS_DENOMINATOR, row->denominator, buf, size);
    } else {
        bimo_value_text(ind, row, row->value, buf, size);
    }
}

/* A table's shape: which dimension (or the periods) spreads over the columns. */
typedef struct {
    int col_is_period; /* columns are periods */
    int col_dim;       /* columns are categories of this dimension; -1: measures */
    size_t nkeys;      /* distinct row keys */
    size_t *rowkey;    /* per result row: its table row */
    size_t *colkey;    /* per result row: its column (cross tables) */
    size_t ncolkeys;
    size_t *key_row; /* per table row: a result row that has it (for labels) */
    size_t *col_row; /* per column: a result row that has it */
} shape;

static int same_key(const bimo_result *res, const bimo_result_row *a, const bimo_result_row *b,
                    const shape *s)
{
    if (!s->col_is_period && a->period != b->period)
        return 0;
    for (size_t d = 0; d < bimo_result_dim_count(res); d++)
        if ((int)d != s->col_dim && strcmp(a->cells[d].code, b->cells[d].code) != 0)
            return 0;
    return 1;
}

static int same_col(const bimo_result_row *a, const bimo_result_row *b, const shape *s)
{
    if (s->col_is_period)
        return a->period == b->period;
    return strcmp(a->cells[s->col_dim].code, b->cells[s->col_dim].code) == 0;
}

static size_t distinct_codes(const bimo_result *res, size_t d)
{
    size_t n = 0;
    for (size_t i = 0; i < bimo_result_row_count(res); i++) {
        const bimo_result_row *row = bimo_result_row_at(res, i);
        size_t j = 0;
        while (j < i && strcmp(bimo_result_row_at(res, j)->cells[d].code, row->cells[d].code))
            j++;
        n += j == i;
    }
    return n;
}

static int make_shape(const bimo_result *res, shape *s)
{
    size_t nd = bimo_result_dim_count(res), np = bimo_result_period_count(res);
    size_t nr = bimo_result_row_count(res);
    memset(s, 0, sizeof *s);
    s->col_dim = -1;
    if (np > 1 && np <= 9 && nd >= 1) {
        s->col_is_period = 1;
    } else if (np == 1 && nd >= 2) {
        /* the last dimension across, or the first if the last is too long for the width */
        if (distinct_codes(res, nd - 1) <= 8)
            s->col_dim = (int)nd - 1;
        else if (distinct_codes(res, 0) <= 8)
            s->col_dim = 0;
    }
    s->rowkey = calloc(nr + 1, sizeof *s->rowkey);
    s->colkey = calloc(nr + 1, sizeof *s->colkey);
    s->key_row = calloc(nr + 1, sizeof *s->key_row);
    s->col_row = calloc(nr + 1, sizeof *s->col_row);
    if (!s->rowkey || !s->colkey || !s->key_row || !s->col_row)
        return -1;
    int cross = s->col_is_period || s->col_dim >= 0;
    for (size_t i = 0; i < nr; i++) {
        const bimo_result_row *row = bimo_result_row_at(res, i);
        size_t k = 0;
        if (cross)
            while (k < s->nkeys && !same_key(res, bimo_result_row_at(res, s->key_row[k]), row, s))
                k++;
        else
            k = s->nkeys;
        if (k == s->nkeys)
            s->key_row[s->nkeys++] = i;
        s->rowkey[i] = k;
        if (cross) {
            size_t c = 0;
            while (c < s->ncolkeys && !same_col(bimo_result_row_at(res, s->col_row[c]), row, s))
                c++;
            if (c == s->ncolkeys)
                s->col_row[s->ncolkeys++] = i;
            s->colkey[i] = c;
        }
    }
    return 0;
}

static void shape_free(shape *s)
{
    free(s->rowkey);
    free(s->colkey);
    free(s->key_row);
    free(s->col_row);
}

static ts_grid *make_grid(const bimo_result *res)
{
    const bimo_indicator *ind = bimo_result_indicator(res);
    size_t nd = bimo_result_dim_count(res), np = bimo_result_period_count(res);
    shape s;
    ts_grid *g = NULL;
    if (make_shape(res, &s) != 0)
        goto done;
    int cross = s.col_is_period || s.col_dim >= 0;
    int period_col = !s.col_is_period && np > 1; /* a label column for the period */
    size_t nlabels = (size_t)period_col + nd - (s.col_dim >= 0);
    if (nlabels == 0)
        nlabels = 1; /* a total-only table: one row "Insgesamt" */
    const char *mhead[4];
    size_t nm = measures(ind, mhead);
    size_t nvals = cross ? s.ncolkeys : nm;
    g = ts_grid_new(s.nkeys + 1, nlabels + nvals, 1);
    if (!g)
        goto done;
    char buf[96];
    int oom = 0;
    /* header */
    size_t c = 0;
    if (period_col)
        oom |= ts_grid_set(g, 0, c++, period_head[ind->period]);
    for (size_t d = 0; d < nd; d++)
        if ((int)d != s.col_dim)
            oom |= ts_grid_set(g, 0, c++, bimo_dimension_title(bimo_result_dim(res, d)));
    if (c == 0)
        oom |= ts_grid_set(g, 0, c++, "");
    for (size_t v = 0; v < nvals; v++, c++) {
        g->right[c] = 1;
        char *e = NULL;
        if (!cross) {
            e = g_markup_escape_text(mhead[v], -1);
        } else {
            const bimo_result_row *row = bimo_result_row_at(res, s.col_row[v]);
            e = g_markup_escape_text(s.col_is_period ? period_text(res, row->period, buf)
                                                     : row->cells[s.col_dim].label,
                                     -1);
            g->bold_col[c] = !s.col_is_period && row->cells[s.col_dim].total;
        }
        oom |= !e || ts_grid_set(g, 0, c, e);
        g_free(e);
    }
    /* body: labels from a row of each key, values where the result has them */
    for (size_t k = 0; k < s.nkeys; k++) {
        const bimo_result_row *row = bimo_result_row_at(res, s.key_row[k]);
        size_t r = k + 1;
        c = 0;
        if (period_col)
            oom |= ts_grid_set(g, r, c++, period_text(res, row->period, buf));
        for (size_t d = 0; d < nd; d++) {
            if ((int)d == s.col_dim)
                continue;
            char *e = g_markup_escape_text(row->cells[d].label, -1);
            oom |= !e || ts_grid_set(g, r, c++, e);
            g_free(e);
            g->bold_row[r] |= row->cells[d].total;
        }
        if (c == 0)
            oom |= ts_grid_set(g, r, c++, "Insgesamt");
        if (!cross)
            for (size_t m = 0; m < nm; m++) {
                measure_text(ind, row, m, buf, sizeof buf);
                oom |= ts_grid_set(g, r, nlabels + m, buf);
            }
    }
    if (cross)
        for (size_t i = 0; i < bimo_result_row_count(res); i++) {
            const bimo_result_row *row = bimo_result_row_at(res, i);
            measure_text(ind, row, ind->kind == BIMO_KIND_COUNT ? 0 : 2, buf, sizeof buf);
            oom |= ts_grid_set(g, s.rowkey[i] + 1, nlabels + s.colkey[i], buf);
        }
    for (size_t r = 1; r < g->nrows; r++)
        for (size_t c2 = 0; c2 < g->ncols; c2++)
            if (!g->cells[r * g->ncols + c2])
                oom |= ts_grid_set(g, r, c2, "");
    if (oom) {
        ts_grid_free(g);
        g = NULL;
    }
done:
    shape_free(&s);
    return g;
}

/* ---- Captions and notes ---------------------------------------------------------------------- */

static char *caption(const part *p, const char *word)
{
    ts_buf b = {0};
    const char *title = p->b->title.text ? p->b->title.text : bimo_result_indicator(p->res)->title;
    if (ts_buf_addf(&b, "%s %d: ", word, p->b->number) || ts_buf_escape(&b, title)) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

static char *list_title(const part *p)
{
    ts_buf b = {0};
    const char *title = p->b->title.text ? p->b->title.text : bimo_result_indicator(p->res)->title;
    if (ts_buf_addf(&b, "%s %d: ", p->b->type == BIMO_TPL_FIGURE ? "Abbildung" : "Tabelle",
                    p->b->number) ||
        ts_buf_escape(&b, title)) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

static char *subtitle(const part *p)
{
    char buf[300];
    bimo_result_subtitle(p->res, buf, sizeof buf);
    return g_markup_escape_text(buf, -1);
}

/* Footnotes, the block's note, the symbols used and the source line. */
static char *notes(const part *p, int intern, int legend)
{
    const bimo_indicator *ind = bimo_result_indicator(p->res);
    ts_buf b = {0};
    int n = 0, oom = 0;
    for (size_t i = 0; i < ind->nfootnotes; i++) {
        oom |= ts_buf_addf(&b, "%s%d) ", n ? "\n" : "", n + 1);
        oom |= ts_buf_escape(&b, ind->footnotes[i]);
        n++;
    }
    if (p->b->note.text) {
        oom |= ts_buf_addf(&b, "%s%d) ", n ? "\n" : "", n + 1);
        oom |= ts_buf_escape(&b, p->b->note.text);
        n++;
    }
    unsigned flags = legend ? bimo_result_flags_used(p->res) : 0;
    if (flags) {
        oom |= ts_buf_addf(&b, "%sZeichenerklärung: ", n ? "\n" : "");
        int k = 0;
        for (int f = 1; f < BIMO_FLAG_COUNT; f++)
            if (flags & (1u << f)) {
                oom |= ts_buf_addf(&b, "%s", k++ ? "; " : "");
                oom |= ts_buf_escape(&b, bimo_flag_symbol((bimo_flag)f));
                oom |= ts_buf_addf(&b, " = ");
                oom |= ts_buf_escape(&b, bimo_flag_legend((bimo_flag)f));
            }
        n++;
    }
    char src[600];
    bimo_result_source_line(p->res, src, sizeof src);
    oom |= ts_buf_addf(&b, "%s", n ? "\n" : "");
    oom |= ts_buf_escape(&b, src);
    if (intern)
        oom |= ts_buf_addf(&b, "\n<b>Intern: ohne Geheimhaltung, nicht zur Veröffentlichung.</b>");
    if (oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

/* ---- Figures ------------------------------------------------------------------------------- */

/* Height of a figure's drawing: bars for many categories need room. */
static double figure_height(const part *p)
{
    const char *k = p->b->chart_kind;
    if (!strcmp(k, "pyramid"))
        return 300;
    if (!strcmp(k, "map"))
        return 330;
    size_t cats = 1;
    for (size_t d = 0; d < bimo_result_dim_count(p->res); d++) {
        size_t n = distinct_codes(p->res, d);
        cats = n > cats ? n : cats;
    }
    if (!strcmp(k, "hbar") && cats > 8)
        return cats * 13.0 + 60 > 560 ? 560 : cats * 13.0 + 60;
    return 215;
}

static void chart_options(const part *p, bimo_chart_options *o)
{
    bimo_chart_options_init(o);
    o->kind = p->b->kind.text; /* NULL: the chart module's choice for the result's shape */
    o->title = p->b->title.text;
    o->note = p->b->note.text;
    o->figure_number = p->b->number;
}

/* The figure's plot and legend; the report sets caption, source and footnotes around it. */
static bimo_status draw_figure(void *ctx, cairo_t *cr, double w, double h, bimo_error *err)
{
    const part *p = ctx;
    bimo_chart_options o;
    chart_options(p, &o);
    o.bare = 1;
    return bimo_chart_draw(p->res, &o, cr, w, h, err);
}

/* ---- Blocks ---------------------------------------------------------------------------------- */

static part *find_part(report *r, cmark_node *n)
{
    for (size_t i = 0; i < r->nparts; i++)
        if (r->parts[i].b->node == n)
            return &r->parts[i];
    return NULL;
}

static void add_part(report *r, part *p)
{
    char *cap = caption(p, p->b->type == BIMO_TPL_FIGURE ? "Abbildung" : "Tabelle");
    char *sub = subtitle(p), *nt = notes(p, r->opt && r->opt->intern, p->b->type == BIMO_TPL_TABLE),
         *lt = list_title(p);
    if (!cap || !sub || !nt || !lt) {
        r->oom = 1;
    } else if (p->b->type == BIMO_TPL_FIGURE) {
        r->oom |= ts_figure(r->doc, cap, sub, nt, figure_height(p), draw_figure, p, lt) != 0;
    } else {
        ts_grid *g = make_grid(p->res);
        r->oom |= !g || ts_table(r->doc, cap, sub, g, nt, lt) != 0;
    }
    free(cap);
    g_free(sub);
    free(nt);
    free(lt);
}

static void heading(report *r, cmark_node *n)
{
    int lv = cmark_node_get_heading_level(n);
    lv = lv > 3 ? 3 : lv;
    r->num[lv - 1]++;
    for (int k = lv; k < 3; k++)
        r->num[k] = 0;
    char number[32];
    if (lv == 1)
        snprintf(number, sizeof number, "%d", r->num[0]);
    else if (lv == 2)
        snprintf(number, sizeof number, "%d.%d", r->num[0], r->num[1]);
    else
        snprintf(number, sizeof number, "%d.%d.%d", r->num[0], r->num[1], r->num[2]);
    ts_buf b = {0};
    inlines(r, n, &b);
    r->oom |= !b.s || ts_heading(r->doc, lv, number, b.s) != 0;
    free(b.s);
}

static void blocks(report *r, cmark_node *parent, int indent, int quote, const char *marker);

static void paragraph(report *r, cmark_node *n, int indent, int quote, const char *marker)
{
    ts_buf b = {0};
    inlines(r, n, &b);
    r->oom |= ts_paragraph(r->doc, b.s ? b.s : "", quote ? TS_QUOTE : TS_BODY, indent, marker) != 0;
    free(b.s);
}

static void list(report *r, cmark_node *n, int indent, int quote)
{
    int ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
    int k = cmark_node_get_list_start(n);
    for (cmark_node *it = cmark_node_first_child(n); it; it = cmark_node_next(it), k++) {
        char marker[16];
        snprintf(marker, sizeof marker, ordered ? "%d." : "\u2022", k);
        blocks(r, it, indent + 1, quote, marker);
    }
}

static void blocks(report *r, cmark_node *parent, int indent, int quote, const char *marker)
{
    for (cmark_node *n = cmark_node_first_child(parent); n && !r->oom; n = cmark_node_next(n)) {
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_HEADING: heading(r, n); break;
        case CMARK_NODE_PARAGRAPH:
            paragraph(r, n, indent, quote, marker);
            marker = NULL;
            break;
        case CMARK_NODE_LIST: list(r, n, indent, quote); break;
        case CMARK_NODE_BLOCK_QUOTE: blocks(r, n, indent, 1, NULL); break;
        case CMARK_NODE_CODE_BLOCK: {
            part *p = find_part(r, n);
            if (p) {
                add_part(r, p);
            } else {
                const char *lit = cmark_node_get_literal(n);
                char *e = g_markup_escape_text(lit ? lit : "", -1);
                size_t len = e ? strlen(e) : 0;
                while (len && e[len - 1] == '\n')
                    e[--len] = '\0';
                r->oom |= !e || ts_paragraph(r->doc, e, TS_CODE, indent, NULL) != 0;
                g_free(e);
            }
            break;
        }
        default: break; /* thematic breaks and raw HTML are not typeset */
        }
    }
}

/* ---- Computing ------------------------------------------------------------------------------ */

static bimo_status compute_parts(report *r)
{
    bimo_template *t = r->t;
    r->parts = calloc(t->nblocks ? t->nblocks : 1, sizeof *r->parts);
    if (!r->parts)
        return bimo_fail(r->err, BIMO_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < t->nblocks; i++) {
        const bimo_tpl_block *b = &t->blocks[i];
        bimo_compute_options o = {.intern = r->opt && r->opt->intern,
                                  .top_n = b->top_n,
                                  .quantile = b->quantile_kind,
                                  .params = b->params,
                                  .nparams = b->nparams};
        part *p = &r->parts[r->nparts];
        p->b = b;
        bimo_status st = bimo_compute(r->engine, b->ind->id, b->resolved_period,
                                      (const char *const *)b->dims, b->ndims, &o, &p->res, r->err);
        if (st != BIMO_OK)
            return bimo_fail_at(r->err, st, t->path, b->indicator.line, b->indicator.column, "%s",
                                r->err ? r->err->message : "cannot compute");
        r->nparts++;
    }
    return BIMO_OK;
}

/* ---- Output folder ------------------------------------------------------------------------ */

static cairo_status_t write_stream(void *closure, const unsigned char *data, unsigned int len)
{
    return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static const char *const months[] = {"Januar",    "Februar", "März",     "April",
                                     "Mai",       "Juni",    "Juli",     "August",
                                     "September", "Oktober", "November", "Dezember"};

/* The report's date: the front matter's, else the latest reference date of its data. */
static int32_t report_date(const report *r)
{
    int32_t d = 0;
    if (r->t->date && bimo_parse_date(r->t->date, strlen(r->t->date), &d) == 0)
        return d;
    for (size_t i = 0; i < r->nparts; i++) {
        const bimo_result *res = r->parts[i].res;
        for (size_t k = 0; k < bimo_result_period_count(res); k++) {
            const bimo_result_period *p = bimo_result_period_at(res, k);
            if (p->has_data && p->stichtag > d)
                d = p->stichtag;
        }
    }
    return d ? d : 20000101;
}

static bimo_status write_pdf(report *r, const char *path, int *pages)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return bimo_fail_at(r->err, BIMO_ERR_CANTCREATE, path, 0, 0, "cannot create: %s",
                            strerror(errno));
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_stream, f, 595.276, 841.890);
    const char *area = r->nparts ? bimo_result_area(r->parts[0].res) : "";
    const char *district = r->t->district ? r->t->district : area;
    const char *title = r->t->title ? r->t->title : "Bildungsbericht";
    int32_t date = report_date(r);
    char iso[32], subject[300], creator[64], date_de[64], period[80];
    snprintf(iso, sizeof iso, "%04d-%02d-%02dT00:00:00", date / 10000, date / 100 % 100,
             date % 100);
    if (r->t->subtitle)
        snprintf(subject, sizeof subject, "%s, Berichtsjahr %s", r->t->subtitle, r->t->period);
    else
        snprintf(subject, sizeof subject, "Bildungsmonitoring %s, Berichtsjahr %s", district,
                 r->t->period);
    snprintf(creator, sizeof creator, "bimo %s", bimo_version());
    snprintf(date_de, sizeof date_de, "%d. %s %d", date % 100, months[date / 100 % 100 - 1],
             date / 10000);
    snprintf(period, sizeof period, "Berichtsjahr %s", r->t->period);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR,
                                   r->t->authors ? r->t->authors : district);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT, subject);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, creator);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, iso);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, iso);
    char *esc[5] = {
        g_markup_escape_text(title, -1),
        r->t->subtitle ? g_markup_escape_text(r->t->subtitle, -1) : NULL,
        g_markup_escape_text(district, -1),
        r->t->authors ? g_markup_escape_text(r->t->authors, -1) : NULL,
        g_markup_escape_text(date_de, -1),
    };
    ts_meta meta = {esc[0],
                    esc[1],
                    esc[2],
                    esc[3],
                    esc[4],
                    period,
                    r->opt && r->opt->intern ? "INTERN – nicht zur Veröffentlichung" : NULL};
    r->doc = ts_new(&meta);
    for (int i = 0; i < 5; i++)
        g_free(esc[i]);
    bimo_status st = BIMO_OK;
    if (!r->doc) {
        st = bimo_fail(r->err, BIMO_ERR_NOMEM, "out of memory");
    } else {
        blocks(r, r->t->doc, 0, 0, NULL);
        st = r->oom ? bimo_fail(r->err, BIMO_ERR_NOMEM, "out of memory building the report")
                    : ts_render(r->doc, s, pages, r->err);
        if (st == BIMO_ERR_IO) /* cairo's stream error: the PDF could not be written */
            st = bimo_fail_at(r->err, BIMO_ERR_IO, path, 0, 0, "cannot write the PDF: %s",
                              cairo_status_to_string(cairo_surface_status(s)));
    }
    cairo_surface_finish(s);
    if (st == BIMO_OK && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        st = bimo_fail_at(r->err, BIMO_ERR_IO, path, 0, 0, "cannot write the PDF: %s",
                          cairo_status_to_string(cairo_surface_status(s)));
    cairo_surface_destroy(s);
    if (fclose(f) != 0 && st == BIMO_OK)
        st = bimo_fail_at(r->err, BIMO_ERR_IO, path, 0, 0, "cannot write: %s", strerror(errno));
    return st;
}

/* Every figure's and table's numbers, in the report's order, one sheet each. */
static bimo_status write_workbook(report *r, const char *path)
{
    bimo_workbook_table *tabs = calloc(r->nparts + 1, sizeof *tabs);
    char(*titles)[300] = calloc(r->nparts + 1, sizeof *titles);
    char(*sheets)[32] = calloc(r->nparts + 1, sizeof *sheets);
    if (!tabs || !titles || !sheets) {
        free(tabs);
        free(titles);
        free(sheets);
        return bimo_fail(r->err, BIMO_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < r->nparts; i++) {
        const part *p = &r->parts[i];
        int fig = p->b->type == BIMO_TPL_FIGURE;
        snprintf(titles[i], sizeof titles[i], "%s %d: %s", fig ? "Abbildung" : "Tabelle",
                 p->b->number,
                 p->b->title.text ? p->b->title.text : bimo_result_indicator(p->res)->title);
        snprintf(sheets[i], sizeof sheets[i], "%s", p->b->sheet.text ? p->b->sheet.text : "");
        if (!sheets[i][0])
            snprintf(sheets[i], sizeof sheets[i], "%s %d", fig ? "Abbildung" : "Tabelle",
                     p->b->number);
        tabs[i] =
            (bimo_workbook_table){p->res, titles[i], p->b->note.text, sheets[i], p->b->chart.text};
    }
    int32_t d = report_date(r);
    struct tm tm = {.tm_year = d / 10000 - 1900, .tm_mon = d / 100 % 100 - 1, .tm_mday = d % 100};
    bimo_workbook_options o = {
        .title = r->t->title,
        .subtitle = r->t->subtitle,
        .producer = r->t->authors,
        .created = (int64_t)timegm(&tm),
        .intern = r->opt && r->opt->intern,
        .keep_existing = 1,
    };
    bimo_status st = bimo_workbook_write(path, tabs, r->nparts, &o, r->err);
    free(tabs);
    free(titles);
    free(sheets);
    return st;
}

/* The figure files, written on a second thread while the PDF is typeset: the chart renderer
 * keeps no state and pango's default font map is per thread, and the results are only read. */
typedef struct {
    const report *r;
    const char *tmp;
    bimo_error err;
    bimo_status st;
} figure_job;

static void *write_figures(void *arg)
{
    figure_job *job = arg;
    char path[4400];
    bimo_error_clear(&job->err);
    job->st = BIMO_OK;
    for (size_t i = 0; i < job->r->nparts && job->st == BIMO_OK; i++) {
        const part *p = &job->r->parts[i];
        if (p->b->type != BIMO_TPL_FIGURE)
            continue;
        bimo_chart_options o;
        chart_options(p, &o);
        o.dpi = 150; /* 945 x 591 pixels: sharp on screen and in office documents */
        for (int k = 0; k < 2 && job->st == BIMO_OK; k++) {
            snprintf(path, sizeof path, "%.4200s/abbildungen/abbildung-%02d.%s", job->tmp,
                     p->b->number, k ? "svg" : "png");
            job->st = bimo_chart_write(p->res, &o, path, &job->err);
        }
    }
    return NULL;
}

static bimo_status write_all(report *r, const char *tmp, bimo_report_summary *sum)
{
    char path[4400];
    snprintf(path, sizeof path, "%.4200s/abbildungen", tmp);
    if (mkdir(path, 0755) != 0)
        return bimo_fail_at(r->err, BIMO_ERR_CANTCREATE, path, 0, 0, "cannot create: %s",
                            strerror(errno));
    figure_job job = {r, tmp, {0}, BIMO_OK};
    pthread_t th;
    int threaded = pthread_create(&th, NULL, write_figures, &job) == 0;
    if (!threaded)
        write_figures(&job);
    snprintf(path, sizeof path, "%.4200s/bildungsbericht.pdf", tmp);
    int pages = 0;
    bimo_status st = write_pdf(r, path, &pages);
    if (st == BIMO_OK) {
        snprintf(path, sizeof path, "%.4200s/bildungsbericht.xlsx", tmp);
        st = write_workbook(r, path);
    }
    if (threaded)
        pthread_join(th, NULL);
    if (st != BIMO_OK)
        return st;
    if (job.st != BIMO_OK) {
        if (r->err)
            *r->err = job.err;
        return job.st;
    }
    if (sum) {
        sum->pages = pages;
        for (size_t i = 0; i < r->nparts; i++) {
            sum->figures += r->parts[i].b->type == BIMO_TPL_FIGURE;
            sum->tables += r->parts[i].b->type == BIMO_TPL_TABLE;
        }
        sum->placeholders = (int)r->t->nph;
    }
    return BIMO_OK;
}

void bimo_report_options_init(bimo_report_options *opt)
{
    memset(opt, 0, sizeof *opt);
}

bimo_status bimo_report_write(bimo_store *store, const bimo_catalogue *cat,
                              const char *template_path, const char *dir,
                              const bimo_report_options *opt, bimo_report_summary *summary,
                              bimo_error *err)
{
    if (summary)
        memset(summary, 0, sizeof *summary);
    int force = opt && opt->force;
    bimo_output_dir d;
    bimo_status st = bimo_output_dir_init(&d, &bimo_output_report, dir, err);
    /* Refuse early, before any work: the same check runs again before the rename. */
    if (st == BIMO_OK)
        st = bimo_output_dir_check(&d, force, err);
    if (st != BIMO_OK)
        return st;
    /* Folders of runs that were killed; a running one holds its folder's lock. */
    if (summary)
        summary->removed_leftovers = bimo_output_dir_cleanup(&d);
    else
        bimo_output_dir_cleanup(&d);
    report r = {.opt = opt, .err = err};
    st = bimo_template_load(template_path, cat, opt ? opt->period : NULL, &r.t, err);
    if (st == BIMO_OK)
        st = bimo_engine_new(store, cat, &r.engine, err);
    if (st == BIMO_OK)
        st = bimo_template_evaluate(r.t, r.engine, opt && opt->intern, err);
    if (st == BIMO_OK)
        st = compute_parts(&r);
    if (st == BIMO_OK)
        st = bimo_output_dir_begin(&d, err);
    if (st == BIMO_OK)
        st = write_all(&r, d.tmp, summary);
    if (st == BIMO_OK)
        st = bimo_output_dir_check(&d, force, err);
    if (st == BIMO_OK)
        st = bimo_output_dir_commit(&d, force, err);
    if (st != BIMO_OK)
        bimo_output_dir_abort(&d);
    for (size_t i = 0; i < r.nparts; i++)
        bimo_result_free(r.parts[i].res);
    free(r.parts);
    ts_free(r.doc);
    bimo_engine_free(r.engine);
    bimo_template_free(r.t);
    return st;
}
