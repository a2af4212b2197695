/* chart.c — charts of computed results with cairo and pango: options, the page frame (title,
 * subtitle, legend, symbol legend, footnotes, source line), text helpers and writing files. */
#include "chart.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <ctype.h>
#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "chart_impl.h"
#include "codes.h"
#include "dims.h"
#include "error.h"
#include "result_text.h"
#include "values.h"

const chart_rgb chart_ink = {0.13, 0.13, 0.13};
const chart_rgb chart_grey = {0.33, 0.33, 0.33};
const chart_rgb chart_grid = {0.86, 0.86, 0.86};
const chart_rgb chart_white = {1, 1, 1};
const chart_rgb chart_total_colour = {0.30, 0.30, 0.30};
const chart_rgb chart_main_colour = {0, 0x72 / 255.0, 0xB2 / 255.0};

#define MM_TO_PT (72.0 / 25.4)

void bimo_chart_options_init(bimo_chart_options *opt)
{
    *opt = (bimo_chart_options){.width_mm = 160, .height_mm = 100, .dpi = 300};
}

void bimo_chart_trace_free(bimo_chart_trace *trace)
{
    if (!trace)
        return;
    free(trace->items);
    *trace = (bimo_chart_trace){0};
}

/* ---- Drawing helpers ------------------------------------------------------------------------ */

void chart_record(chart_ctx *c, bimo_chart_item_type type, double x0, double y0, double x1,
                  double y1, const char *text)
{
    bimo_chart_trace *t = c->trace;
    if (!t)
        return;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        bimo_chart_item *items = realloc(t->items, cap * sizeof *items);
        if (!items) {
            c->oom = 1;
            return;
        }
        t->items = items;
        t->cap = cap;
    }
    bimo_chart_item *it = &t->items[t->n++];
    *it = (bimo_chart_item){type, x0, y0, x1, y1, ""};
    snprintf(it->text, sizeof it->text, "%s", text ? text : "");
}

void chart_set_colour(chart_ctx *c, chart_rgb col)
{
    cairo_set_source_rgb(c->cr, col.r, col.g, col.b);
}

chart_rgb chart_text_on(chart_rgb bg)
{
    double lum = 0.2126 * bg.r + 0.7152 * bg.g + 0.0722 * bg.b;
    return lum < 0.5 ? chart_white : chart_ink;
}

void chart_mark_rect(chart_ctx *c, double x0, double y0, double x1, double y1, chart_rgb col,
                     const char *text)
{
    double ax = fmin(x0, x1), bx = fmax(x0, x1), ay = fmin(y0, y1), by = fmax(y0, y1);
    chart_set_colour(c, col);
    cairo_rectangle(c->cr, ax, ay, bx - ax, by - ay);
    cairo_fill(c->cr);
    chart_record(c, BIMO_CHART_MARK, ax, ay, bx, by, text);
}

void chart_line(chart_ctx *c, double x0, double y0, double x1, double y1, double width,
                chart_rgb col)
{
    chart_set_colour(c, col);
    cairo_set_line_width(c->cr, width);
    cairo_move_to(c->cr, x0, y0);
    cairo_line_to(c->cr, x1, y1);
    cairo_stroke(c->cr);
}

static void text_measure(chart_text *t)
{
    PangoRectangle log;
    pango_layout_get_extents(t->layout, NULL, &log);
    t->w = (double)log.width / PANGO_SCALE;
    t->h = (double)log.height / PANGO_SCALE;
    t->ox = (double)log.x / PANGO_SCALE;
}

int chart_text_make(chart_ctx *c, chart_text *t, const char *s, double size, int bold, double max_w,
                    int max_lines)
{
    *t = (chart_text){0};
    t->layout = pango_layout_new(c->pango);
    PangoFontDescription *fd = pango_font_description_from_string(CHART_FONT);
    if (!t->layout || !fd) {
        if (fd)
            pango_font_description_free(fd);
        c->oom = 1;
        return -1;
    }
    pango_font_description_set_size(fd, (int)lround(size * PANGO_SCALE));
    if (bold)
        pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(t->layout, fd);
    pango_font_description_free(fd);
    pango_layout_set_text(t->layout, s, -1);
    if (max_w > 0) {
        pango_layout_set_width(t->layout, (int)(max_w * PANGO_SCALE));
        pango_layout_set_wrap(t->layout, PANGO_WRAP_WORD_CHAR);
        if (max_lines > 0) {
            pango_layout_set_height(t->layout, -max_lines);
            pango_layout_set_ellipsize(t->layout, PANGO_ELLIPSIZE_END);
        }
    }
    text_measure(t);
    return 0;
}

void chart_text_align(chart_text *t, int align)
{
    if (!align)
        return;
    pango_layout_set_width(t->layout, (int)ceil(t->w * PANGO_SCALE) + 1);
    pango_layout_set_alignment(t->layout, align == 1 ? PANGO_ALIGN_CENTER : PANGO_ALIGN_RIGHT);
    text_measure(t);
}

void chart_text_free(chart_text *t)
{
    if (t->layout)
        g_object_unref(t->layout);
    t->layout = NULL;
}

/* A text cut short by ellipsis is recorded as such, so a check for the full text fails. */
static void record_text(chart_ctx *c, const chart_text *t, bimo_chart_item_type type, double x0,
                        double y0, double x1, double y1)
{
    if (!c->trace)
        return;
    char buf[sizeof c->trace->items[0].text];
    snprintf(buf, sizeof buf, "%s%s", pango_layout_is_ellipsized(t->layout) ? "[gekürzt] " : "",
             pango_layout_get_text(t->layout));
    chart_record(c, type, x0, y0, x1, y1, buf);
}

void chart_text_draw(chart_ctx *c, const chart_text *t, double x, double y, chart_rgb col,
                     bimo_chart_item_type type)
{
    if (!t->layout)
        return;
    chart_set_colour(c, col);
    cairo_move_to(c->cr, x - t->ox, y);
    pango_cairo_show_layout(c->cr, t->layout);
    cairo_new_path(c->cr);
    record_text(c, t, type, x, y, x + t->w, y + t->h);
}

void chart_text_draw_up(chart_ctx *c, const chart_text *t, double x, double y, chart_rgb col,
                        bimo_chart_item_type type)
{
    if (!t->layout)
        return;
    cairo_save(c->cr);
    cairo_translate(c->cr, x, y + t->w);
    cairo_rotate(c->cr, -M_PI / 2);
    chart_set_colour(c, col);
    cairo_move_to(c->cr, -t->ox, 0);
    pango_cairo_update_layout(c->cr, t->layout);
    pango_cairo_show_layout(c->cr, t->layout);
    cairo_new_path(c->cr);
    cairo_restore(c->cr);
    pango_cairo_update_layout(c->cr, t->layout);
    record_text(c, t, type, x, y, x + t->h, y + t->w);
}

/* ---- Axes ----------------------------------------------------------------------------------- */

void chart_nice_ticks(double lo, double hi, int n, chart_ticks *t)
{
    if (n < 2)
        n = 2;
    if (!(hi > lo)) {
        hi = lo + 1;
        if (lo == 0)
            hi = 1;
    }
    double raw = (hi - lo) / n, mag = pow(10, floor(log10(raw))), f = raw / mag;
    static const double steps[] = {1, 2, 2.5, 5, 10};
    double step = 10 * mag;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (f <= steps[i] * 1.0000001) {
            step = steps[i] * mag;
            break;
        }
    /* counts have no fractions of a person */
    t->step = step;
    t->lo = floor(lo / step + 1e-9) * step;
    t->hi = ceil(hi / step - 1e-9) * step;
    if (t->hi <= t->lo)
        t->hi = t->lo + step;
    int dec = 0;
    for (double s = step; dec < 6 && fabs(s - round(s)) > 1e-9; s *= 10)
        dec++;
    t->decimals = dec;
}

void chart_tick_text(const chart_ticks *t, double v, char *out, size_t size)
{
    if (fabs(v) < t->step * 1e-6)
        v = 0;
    bimo_number_de(v, t->decimals, out, size);
}

const char *chart_unit_caption(const chart_ctx *c, int percent)
{
    if (percent || bimo_indicator_is_percent(c->ind))
        return "in %";
    return c->ind->unit;
}

/* ---- Legend --------------------------------------------------------------------------------- */

double chart_legend(chart_ctx *c, const chart_axis *ax, double x0, double x1, double y, int draw)
{
    double x = x0, row_h = 0, top = y, sw = 7;
    for (size_t i = 0; i < ax->n; i++) {
        chart_text t;
        if (chart_text_make(c, &t, ax->items[i].label, CHART_PT_LABEL, 0, (x1 - x0) - sw - 3, 2))
            return 0;
        double w = sw + 3 + t.w;
        if (x > x0 && x + w > x1) {
            x = x0;
            y += row_h + 2;
            row_h = 0;
        }
        if (draw) {
            double sy = y + (fmin(t.h, 9) - sw) / 2;
            chart_set_colour(c, ax->items[i].colour);
            cairo_rectangle(c->cr, x, sy, sw, sw);
            cairo_fill(c->cr);
            chart_text_draw(c, &t, x + sw + 3, y, chart_ink, BIMO_CHART_TEXT);
        }
        row_h = fmax(row_h, t.h);
        x += w + 9;
        chart_text_free(&t);
    }
    return ax->n ? y + row_h - top : 0;
}

/* ---- Colours -------------------------------------------------------------------------------- */

/* Okabe–Ito, ordered so that neighbours differ in lightness (they stay apart in grey). */
static const chart_rgb palette[] = {
    {0x00 / 255.0, 0x72 / 255.0, 0xB2 / 255.0},
    {0xE6 / 255.0, 0x9F / 255.0, 0x00 / 255.0},
    {0x00 / 255.0, 0x9E / 255.0, 0x73 / 255.0},
    {0x56 / 255.0, 0xB4 / 255.0, 0xE9 / 255.0},
    {0xD5 / 255.0, 0x5E / 255.0, 0x00 / 255.0},
    {0xF0 / 255.0, 0xE4 / 255.0, 0x42 / 255.0},
    {0xCC / 255.0, 0x79 / 255.0, 0xA7 / 255.0},
    {0x99 / 255.0, 0x99 / 255.0, 0x99 / 255.0},
    /* beyond eight categories: Paul Tol's "muted" colours, also safe for colour blindness */
    {0x33 / 255.0, 0x22 / 255.0, 0x88 / 255.0},
    {0xDD / 255.0, 0xCC / 255.0, 0x77 / 255.0},
    {0x11 / 255.0, 0x77 / 255.0, 0x33 / 255.0},
    {0x88 / 255.0, 0xCC / 255.0, 0xEE / 255.0},
    {0x88 / 255.0, 0x22 / 255.0, 0x55 / 255.0},
    {0x44 / 255.0, 0xAA / 255.0, 0x99 / 255.0},
    {0x99 / 255.0, 0x99 / 255.0, 0x33 / 255.0},
    {0xAA / 255.0, 0x44 / 255.0, 0x99 / 255.0},
};
#define PALETTE_N (sizeof palette / sizeof palette[0])

static int parse_hex(const char *s, chart_rgb *out)
{
    unsigned r, g, b;
    if (!s || strlen(s) != 7 || sscanf(s, "#%2x%2x%2x", &r, &g, &b) != 3)
        return -1;
    *out = (chart_rgb){r / 255.0, g / 255.0, b / 255.0};
    return 0;
}

/* The row of code in list, matched on column col (NULL: the code column), or -1. */
static int codelist_row(const bimo_codelist *list, const char *col, const char *code)
{
    if (!col)
        return bimo_codelist_find(list, code, strlen(code));
    for (size_t r = 0; r < bimo_codelist_size(list); r++) {
        const char *v = bimo_codelist_value(list, (int)r, col);
        if (v && strcmp(v, code) == 0)
            return (int)r;
    }
    return -1;
}

/* Gives every item of a dimension axis its fixed colour: the code list's "farbe", else the
 * palette by the code's row in the list, so a category looks the same in every chart. */
static void colour_dim_items(chart_ctx *c, chart_axis *ax)
{
    const bimo_dim_spec *spec = bimo_dim_find(bimo_result_dim(c->res, ax->dim));
    bimo_codelist *list = NULL;
    if (spec && spec->codelist && bimo_codelist_load_named(spec->codelist, &list, NULL) != BIMO_OK)
        list = NULL;
    int *rows = calloc(ax->n ? ax->n : 1, sizeof *rows);
    if (!rows) {
        bimo_codelist_free(list);
        c->oom = 1;
        return;
    }
    for (size_t i = 0; i < ax->n; i++) {
        chart_item *it = &ax->items[i];
        chart_rgb col;
        rows[i] = it->code && list ? codelist_row(list, spec->code_col, it->code) : -1;
        if (!it->code) {
            it->colour = chart_total_colour;
            it->fixed = 1;
        } else if (rows[i] >= 0 &&
                   parse_hex(bimo_codelist_value(list, rows[i], "farbe"), &col) == 0) {
            it->colour = col;
            it->fixed = 1;
        }
    }
    /* the others: the palette by their row in the code list (by position for codes the list
     * lacks), moving on where the colour is taken already */
    size_t pos = 0;
    for (size_t i = 0; i < ax->n; i++) {
        chart_item *it = &ax->items[i];
        if (it->fixed)
            continue;
        size_t want = (size_t)(rows[i] >= 0 ? rows[i] : (int)pos++) % PALETTE_N;
        for (size_t step = 0; step < PALETTE_N; step++) {
            size_t k = (want + step) % PALETTE_N;
            int taken = 0;
            for (size_t j = 0; j < ax->n && !taken; j++)
                taken = j != i && (ax->items[j].fixed || j < i) &&
                        !memcmp(&ax->items[j].colour, &palette[k], sizeof palette[k]);
            if (!taken || step + 1 == PALETTE_N) {
                it->colour = palette[k];
                break;
            }
        }
    }
    free(rows);
    bimo_codelist_free(list);
}

/* Periods as series: light to dark blue, the newest darkest. */
static void colour_period_items(chart_axis *ax)
{
    const chart_rgb a = {0.74, 0.84, 0.91}, b = {0.03, 0.32, 0.61};
    for (size_t i = 0; i < ax->n; i++) {
        double f = ax->n > 1 ? (double)i / (double)(ax->n - 1) : 1;
        ax->items[i].colour =
            (chart_rgb){a.r + f * (b.r - a.r), a.g + f * (b.g - a.g), a.b + f * (b.b - a.b)};
    }
}

/* ---- Model ---------------------------------------------------------------------------------- */

int chart_dim_index(const bimo_result *res, const char *name)
{
    for (size_t i = 0; i < bimo_result_dim_count(res); i++)
        if (strcmp(bimo_result_dim(res, i), name) == 0)
            return (int)i;
    return -1;
}

/* "2025", "3. Vj. 2025", "2024/25", "31.12.2025": short enough for an axis. */
static void period_short(const bimo_result_period *p, char *out, size_t size)
{
    const char *s = p->period;
    size_t n = strlen(s);
    if (n == 6 && s[4] == 'Q')
        snprintf(out, size, "%c. Vj. %.4s", s[5], s);
    else if (n == 10 && s[4] == '-')
        snprintf(out, size, "%.2s.%.2s.%.4s", s + 8, s + 5, s);
    else
        snprintf(out, size, "%s", s);
}

static int axis_push(chart_axis *ax, const char *code, const char *label, size_t period)
{
    chart_item *items = realloc(ax->items, (ax->n + 1) * sizeof *items);
    if (!items)
        return -1;
    ax->items = items;
    items[ax->n] = (chart_item){code, label, "", chart_total_colour, period, 0};
    snprintf(items[ax->n].short_label, sizeof items[ax->n].short_label, "%s", label);
    ax->n++;
    return 0;
}

static int axis_find(const chart_axis *ax, const bimo_result_row *row)
{
    switch (ax->src) {
    case AX_NONE: return 0;
    case AX_PERIOD: return (int)row->period;
    case AX_DIM: {
        const bimo_result_cell *cell = &row->cells[ax->dim];
        for (size_t i = 0; i < ax->n; i++)
            if (ax->items[i].code ? !cell->total && strcmp(ax->items[i].code, cell->code) == 0
                                  : cell->total)
                return (int)i;
        return -1;
    }
    }
    return -1;
}

static int axis_build(chart_ctx *c, chart_axis *ax, chart_axis_spec spec, size_t period)
{
    *ax = (chart_axis){spec.src, spec.dim, spec.with_total, NULL, 0};
    const bimo_result *r = c->res;
    if (spec.src == AX_NONE)
        return axis_push(ax, NULL, "Insgesamt", 0);
    if (spec.src == AX_PERIOD) {
        for (size_t p = 0; p < bimo_result_period_count(r); p++) {
            if (axis_push(ax, "", bimo_result_period_at(r, p)->label, p))
                return -1;
            period_short(bimo_result_period_at(r, p), ax->items[p].short_label,
                         sizeof ax->items[p].short_label);
        }
        for (size_t p = 0; p < ax->n; p++) /* the array has stopped moving */
            ax->items[p].label = ax->items[p].short_label;
        colour_period_items(ax);
        return 0;
    }
    if (spec.with_total && axis_push(ax, NULL, "Insgesamt", 0))
        return -1;
    for (size_t i = 0; i < bimo_result_row_count(r); i++) {
        const bimo_result_row *row = bimo_result_row_at(r, i);
        const bimo_result_cell *cell = &row->cells[spec.dim];
        if (cell->total || (period != (size_t)-1 && row->period != period) ||
            axis_find(ax, row) >= 0)
            continue;
        if (axis_push(ax, cell->code, cell->label, 0))
            return -1;
    }
    colour_dim_items(c, ax);
    return 0;
}

static void cell_fill(chart_ctx *c, chart_cell *cell, const bimo_result_row *row)
{
    cell->row = row;
    cell->shown = (row->has & BIMO_HAS_VALUE) != 0;
    cell->v = cell->shown ? row->value : 0;
    bimo_value_text(c->ind, row, row->value, cell->text, sizeof cell->text);
}

void chart_note_flag(chart_ctx *c, const chart_cell *cell)
{
    if (cell->row && (!cell->shown || cell->row->flag == BIMO_FLAG_PROVISIONAL))
        c->flags_shown |= 1u << cell->row->flag;
    else if (cell->row && cell->shown && cell->v == 0)
        c->flags_shown |= 1u << BIMO_FLAG_ZERO;
}

int chart_model_build(chart_ctx *c, chart_model *m, chart_axis_spec cat, chart_axis_spec ser,
                      chart_axis_spec sub)
{
    *m = (chart_model){0};
    const bimo_result *r = c->res;
    int by_period = cat.src == AX_PERIOD || ser.src == AX_PERIOD || sub.src == AX_PERIOD;
    m->period = bimo_result_period_count(r) - 1;
    size_t only = by_period ? (size_t)-1 : m->period;
    if (axis_build(c, &m->cat, cat, only) || axis_build(c, &m->ser, ser, only) ||
        axis_build(c, &m->sub, sub, only))
        return -1;
    size_t n = m->cat.n * m->ser.n * m->sub.n;
    m->cells = calloc(n ? n : 1, sizeof *m->cells);
    if (!m->cells)
        return -1;
    for (size_t i = 0; i < n; i++)
        snprintf(m->cells[i].text, sizeof m->cells[i].text, "%s",
                 bimo_flag_symbol(BIMO_FLAG_NODATA));
    const chart_axis *axes[3] = {&m->cat, &m->ser, &m->sub};
    for (size_t i = 0; i < bimo_result_row_count(r); i++) {
        const bimo_result_row *row = bimo_result_row_at(r, i);
        if (!by_period && row->period != m->period)
            continue;
        /* every dimension no axis shows must be at its total */
        int ok = 1;
        for (size_t d = 0; d < bimo_result_dim_count(r) && ok; d++) {
            int used = 0;
            for (size_t a = 0; a < 3; a++)
                used |= axes[a]->src == AX_DIM && axes[a]->dim == d;
            ok = used || row->cells[d].total;
        }
        int ic = ok ? axis_find(&m->cat, row) : -1, is = ok ? axis_find(&m->ser, row) : -1,
            ik = ok ? axis_find(&m->sub, row) : -1;
        if (ic < 0 || is < 0 || ik < 0)
            continue;
        cell_fill(c, chart_cell_at(m, (size_t)ic, (size_t)is, (size_t)ik), row);
    }
    return 0;
}

void chart_model_free(chart_model *m)
{
    free(m->cat.items);
    free(m->ser.items);
    free(m->sub.items);
    free(m->cells);
    *m = (chart_model){0};
}

/* ---- Kind and axes -------------------------------------------------------------------------- */

static const struct {
    const char *name;
    chart_kind kind;
} kind_names[] = {
    {"bar", CHART_BAR},
    {"hbar", CHART_HBAR},
    {"grouped", CHART_GROUPED},
    {"grouped-bar", CHART_GROUPED},
    {"stacked", CHART_STACKED},
    {"stacked-bar", CHART_STACKED},
    {"stacked100", CHART_STACKED100},
    {"stacked-bar-100", CHART_STACKED100},
    {"line", CHART_LINE},
    {"pyramid", CHART_PYRAMID},
    {"map", CHART_MAP},
};

static int kind_parse(const char *s, chart_kind *out)
{
    for (size_t i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++)
        if (strcmp(kind_names[i].name, s) == 0) {
            *out = kind_names[i].kind;
            return 0;
        }
    return -1;
}

/* The indicator's proposal, adapted to what was computed: a time series is a line, bars
 * over the categories of a dimension lie horizontally so long names stay readable. */
static chart_kind default_kind(const bimo_result *r)
{
    const bimo_indicator *ind = bimo_result_indicator(r);
    chart_kind k = CHART_BAR;
    if (ind->chart)
        kind_parse(ind->chart, &k);
    size_t nd = bimo_result_dim_count(r), np = bimo_result_period_count(r);
    if (np > 1 && nd <= 1 && k != CHART_STACKED && k != CHART_STACKED100)
        return CHART_LINE;
    if ((k == CHART_PYRAMID &&
         (chart_dim_index(r, "altersgruppe") < 0 || chart_dim_index(r, "geschlecht") < 0)) ||
        (k == CHART_MAP && chart_dim_index(r, "gemeinde") < 0 && chart_dim_index(r, "kommune") < 0))
        k = CHART_BAR;
    if (k == CHART_BAR && nd >= 1)
        return CHART_HBAR;
    return k;
}

static chart_axis_spec spec_of(chart_axis_src src, size_t dim, int total)
{
    return (chart_axis_spec){src, dim, total};
}

/* The dimension that a stack or group splits into: a share's share_of, else the second. */
static size_t series_dim(const bimo_result *r)
{
    const bimo_indicator *ind = bimo_result_indicator(r);
    int s = ind->share_of ? chart_dim_index(r, ind->share_of) : -1;
    return s == 0 || s == 1 ? (size_t)s : 1;
}

static int choose_axes(chart_ctx *c, chart_model *m, bimo_error *err)
{
    const bimo_result *r = c->res;
    size_t nd = bimo_result_dim_count(r), np = bimo_result_period_count(r);
    chart_axis_spec none = spec_of(AX_NONE, 0, 0), per = spec_of(AX_PERIOD, 0, 0);
    chart_axis_spec cat = np > 1 ? per : none, ser = none, sub = none;
    int not_count = c->ind->kind != BIMO_KIND_COUNT;
    switch (c->kind) {
    case CHART_BAR:
    case CHART_HBAR:
        if (nd >= 1) {
            cat = spec_of(AX_DIM, 0, not_count && nd == 1);
            ser = nd >= 2 ? spec_of(AX_DIM, 1, 0) : np > 1 ? per : none;
        }
        break;
    case CHART_GROUPED:
        if (nd >= 2) {
            size_t s = series_dim(r);
            cat = spec_of(AX_DIM, 1 - s, 0);
            ser = spec_of(AX_DIM, s, 0);
        } else if (nd == 1) {
            cat = spec_of(AX_DIM, 0, 0);
            ser = np > 1 ? per : none;
        }
        break;
    case CHART_STACKED:
    case CHART_STACKED100:
        if (nd >= 2) {
            size_t s = series_dim(r);
            cat = spec_of(AX_DIM, 1 - s, c->kind == CHART_STACKED100);
            ser = spec_of(AX_DIM, s, 0);
        } else if (nd == 1) {
            ser = spec_of(AX_DIM, 0, 0);
        }
        break;
    case CHART_LINE:
        cat = per;
        if (nd >= 1)
            ser = spec_of(AX_DIM, 0, not_count);
        break;
    case CHART_PYRAMID: {
        int a = chart_dim_index(r, "altersgruppe"), g = chart_dim_index(r, "geschlecht");
        if (a < 0 || g < 0)
            return bimo_fail(err, BIMO_ERR_ARG,
                             "a population pyramid needs the dimensions altersgruppe and "
                             "geschlecht (--by altersgruppe,geschlecht)"),
                   -1;
        cat = spec_of(AX_DIM, (size_t)a, 0);
        ser = spec_of(AX_DIM, (size_t)g, 0);
        for (size_t d = 0; d < nd; d++)
            if ((int)d != a && (int)d != g) {
                sub = spec_of(AX_DIM, d, 0);
                break;
            }
        break;
    }
    case CHART_MAP: {
        int g = chart_dim_index(r, "gemeinde");
        if (g < 0)
            g = chart_dim_index(r, "kommune");
        if (g < 0)
            return bimo_fail(err, BIMO_ERR_ARG,
                             "a tile map needs the dimension gemeinde or kommune (--by gemeinde)"),
                   -1;
        cat = spec_of(AX_DIM, (size_t)g, 0);
        break;
    }
    }
    if (chart_model_build(c, m, cat, ser, sub)) {
        c->oom = 1;
        return -1;
    }
    return 0;
}

/* ---- Frame: title, legend, footer ----------------------------------------------------------- */

static int wants_legend(const chart_ctx *c, const chart_model *m)
{
    switch (c->kind) {
    case CHART_PYRAMID: return m->sub.src != AX_NONE;
    case CHART_MAP: return 0;
    default: return m->ser.src != AX_NONE;
    }
}

static double draw_header(chart_ctx *c)
{
    if (c->opt->bare)
        return 0;
    char title[600], sub[400];
    const char *t = c->opt->title ? c->opt->title : c->ind->title;
    if (c->opt->figure_number > 0)
        snprintf(title, sizeof title, "Abbildung %d: %s", c->opt->figure_number, t);
    else
        snprintf(title, sizeof title, "%s", t);
    bimo_result_subtitle(c->res, sub, sizeof sub);
    chart_text a, b;
    if (chart_text_make(c, &a, title, 9.5, 1, c->width, 3))
        return 0;
    if (chart_text_make(c, &b, sub, 7.5, 0, c->width, 2)) {
        chart_text_free(&a);
        return 0;
    }
    chart_text_draw(c, &a, 0, 0, chart_ink, BIMO_CHART_TEXT);
    chart_text_draw(c, &b, 0, a.h + 1, chart_grey, BIMO_CHART_TEXT);
    double h = a.h + 1 + b.h + 6;
    chart_text_free(&a);
    chart_text_free(&b);
    return h;
}

/* The footer lines, top to bottom; returns their number. Strings are written into buf. */
static size_t footer_lines(chart_ctx *c, char lines[][640], size_t max)
{
    size_t n = 0;
    if (c->flags_shown) {
        size_t o = (size_t)snprintf(lines[n], 640, "Zeichenerklärung: ");
        int first = 1;
        for (int f = 1; f < BIMO_FLAG_COUNT; f++)
            if (c->flags_shown & (1u << f)) {
                o += (size_t)snprintf(lines[n] + o, o < 640 ? 640 - o : 0, "%s%s = %s",
                                      first ? "" : "; ", bimo_flag_symbol((bimo_flag)f),
                                      bimo_flag_legend((bimo_flag)f));
                first = 0;
            }
        n++;
    }
    for (size_t i = 0; i < c->nextra && n < max; i++)
        snprintf(lines[n++], 640, "%s", c->extra_notes[i]);
    if (c->opt->bare)
        return n;
    size_t k = 1;
    for (size_t i = 0; i < c->ind->nfootnotes && n < max; i++)
        snprintf(lines[n++], 640, "%zu) %s", k++, c->ind->footnotes[i]);
    if (c->opt->note && n < max)
        snprintf(lines[n++], 640, "%zu) %s", k++, c->opt->note);
    if (n < max)
        bimo_result_source_line(c->res, lines[n++], 640);
    return n;
}

static double draw_footer(chart_ctx *c, int draw)
{
    char lines[16][640];
    size_t n = footer_lines(c, lines, 16);
    double h = 0;
    chart_text t[16];
    for (size_t i = 0; i < n; i++) {
        if (chart_text_make(c, &t[i], lines[i], CHART_PT_SMALL, 0, c->width, 3)) {
            for (size_t k = 0; k < i; k++)
                chart_text_free(&t[k]);
            return 0;
        }
        h += t[i].h + 0.5;
    }
    double y = c->height - h;
    for (size_t i = 0; i < n; i++) {
        if (draw)
            chart_text_draw(c, &t[i], 0, y, chart_grey, BIMO_CHART_TEXT);
        y += t[i].h + 0.5;
        chart_text_free(&t[i]);
    }
    return n ? h + 5 : 0;
}

/* Symbols and footnotes the kind will show, known before the plot is drawn. */
static int zeros_written(const chart_ctx *c, const chart_model *m)
{
    switch (c->kind) {
    case CHART_STACKED:
    case CHART_STACKED100: return 0;
    case CHART_PYRAMID: return m->sub.src == AX_NONE;
    case CHART_LINE: return m->ser.n == 1;
    default: return 1;
    }
}

static void note_flags(chart_ctx *c, const chart_model *m)
{
    for (size_t i = 0; i < m->cat.n; i++)
        for (size_t s = 0; s < m->ser.n; s++) {
            const char *code = m->ser.items[s].code;
            /* a pyramid draws men and women only */
            if (c->kind == CHART_PYRAMID && (!code || (strcmp(code, "m") && strcmp(code, "w"))))
                continue;
            for (size_t k = 0; k < m->sub.n; k++) {
                const chart_cell *cell = chart_cell_at(m, i, s, k);
                unsigned before = c->flags_shown;
                chart_note_flag(c, cell);
                /* "–" only where zeros are written: segments of zero are simply absent */
                if (cell->shown && !zeros_written(c, m))
                    c->flags_shown = before | (c->flags_shown & ~(1u << BIMO_FLAG_ZERO));
            }
        }
}

static PangoContext *pango_for(cairo_t *cr)
{
    PangoFontMap *map = pango_cairo_font_map_get_default();
    PangoContext *pc = pango_font_map_create_context(map);
    if (!pc)
        return NULL;
    /* Unhinted metrics: text measures the same on a PNG, an SVG and a PDF page. */
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(pc, fo);
    cairo_font_options_destroy(fo);
    pango_cairo_context_set_resolution(pc, 72);
    pango_context_set_round_glyph_positions(pc, FALSE);
    pango_cairo_update_context(cr, pc);
    return pc;
}

bimo_status bimo_chart_draw_traced(const bimo_result *res, const bimo_chart_options *opt,
                                   cairo_t *cr, double width_pt, double height_pt,
                                   bimo_chart_trace *trace, bimo_error *err)
{
    bimo_chart_options defaults;
    if (!opt) {
        bimo_chart_options_init(&defaults);
        opt = &defaults;
    }
    if (!res || !cr || !(width_pt > 20) || !(height_pt > 20))
        return bimo_fail(err, BIMO_ERR_ARG, "chart: no result or a size below 20 points");
    chart_ctx c = {.cr = cr,
                   .res = res,
                   .ind = bimo_result_indicator(res),
                   .opt = opt,
                   .width = width_pt,
                   .height = height_pt,
                   .trace = trace};
    if (opt->kind) {
        if (kind_parse(opt->kind, &c.kind))
            return bimo_fail(err, BIMO_ERR_ARG,
                             "unknown chart kind \"%s\" (bar, hbar, grouped, stacked, "
                             "stacked100, line, pyramid, map)",
                             opt->kind);
    } else {
        c.kind = default_kind(res);
    }
    chart_model m;
    if (choose_axes(&c, &m, err))
        return c.oom ? bimo_fail(err, BIMO_ERR_NOMEM, "out of memory") : err->status;
    note_flags(&c, &m);
    chart_kind_notes(&c, &m);
    cairo_save(cr);
    c.pango = pango_for(cr);
    int rc = c.pango ? 0 : -1;
    double top = rc ? 0 : draw_header(&c);
    if (!rc && wants_legend(&c, &m))
        top += chart_legend(&c, c.kind == CHART_PYRAMID ? &m.sub : &m.ser, 0, c.width, top, 1) + 6;
    double bottom = rc ? 0 : draw_footer(&c, 1);
    chart_box plot = {0, top, c.width, c.height - bottom};
    switch (c.kind) {
    case CHART_BAR: rc = rc ? rc : chart_draw_bars(&c, &m, plot, 0, 0, 0); break;
    case CHART_HBAR:
    case CHART_GROUPED: rc = rc ? rc : chart_draw_bars(&c, &m, plot, 1, 0, 0); break;
    case CHART_STACKED:
        rc = rc ? rc : chart_draw_bars(&c, &m, plot, m.cat.src != AX_PERIOD, 1, 0);
        break;
    case CHART_STACKED100:
        rc = rc ? rc : chart_draw_bars(&c, &m, plot, m.cat.src != AX_PERIOD, 1, 1);
        break;
    case CHART_LINE: rc = rc ? rc : chart_draw_line(&c, &m, plot); break;
    case CHART_PYRAMID: rc = rc ? rc : chart_draw_pyramid(&c, &m, plot); break;
    case CHART_MAP: rc = rc ? rc : chart_draw_map(&c, &m, plot, err); break;
    }
    (void)rc;
    chart_model_free(&m);
    if (c.pango)
        g_object_unref(c.pango);
    cairo_restore(cr);
    if (c.oom || !c.pango)
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory while drawing the chart");
    if (rc && *c.too_small)
        return bimo_fail(err, BIMO_ERR_ARG, "%s", c.too_small);
    if (rc)
        return err && err->status ? err->status : bimo_fail(err, BIMO_ERR_DATA, "chart failed");
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        return bimo_fail(err, BIMO_ERR_IO, "cairo: %s", cairo_status_to_string(cairo_status(cr)));
    return BIMO_OK;
}

bimo_status bimo_chart_draw(const bimo_result *res, const bimo_chart_options *opt, cairo_t *cr,
                            double width_pt, double height_pt, bimo_error *err)
{
    return bimo_chart_draw_traced(res, opt, cr, width_pt, height_pt, NULL, err);
}

/* ---- Files ---------------------------------------------------------------------------------- */

typedef enum { FMT_PNG, FMT_SVG, FMT_PDF } file_format;

/* The output collected in memory: cairo writes the SVG's ids from a counter that runs over
 * the whole process, so they are renumbered before the file is written. */
typedef struct {
    unsigned char *data;
    size_t n, cap;
    int failed;
} membuf;

static cairo_status_t mem_write(void *closure, const unsigned char *data, unsigned int len)
{
    membuf *b = closure;
    if (b->n + len > b->cap) {
        size_t cap = b->cap ? b->cap : 65536;
        while (cap < b->n + len)
            cap *= 2;
        unsigned char *d = realloc(b->data, cap);
        if (!d) {
            b->failed = 1;
            return CAIRO_STATUS_NO_MEMORY;
        }
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->n, data, len);
    b->n += len;
    return CAIRO_STATUS_SUCCESS;
}

/* Renumbers the ids cairo gives surfaces, glyphs, patterns and clips ("surface17",
 * "glyph3-2", "clip5"...) in order of first appearance, so the bytes do not depend on what
 * else the process drew before. */
static int svg_normalise(membuf *in, FILE *fp)
{
    static const char *const prefixes[] = {"surface", "glyph",  "clip",   "pattern", "image",
                                           "mask",    "linear", "radial", "filter",  "source"};
    enum { NPREFIX = sizeof prefixes / sizeof prefixes[0], MAXMAP = 4096 };
    struct {
        int prefix;
        long from;
    } *map = malloc(MAXMAP * sizeof *map);
    if (!map)
        return -1;
    size_t nmap = 0;
    long next[NPREFIX] = {0};
    const char *s = (const char *)in->data, *end = s + in->n;
    while (s < end) {
        int matched = -1;
        size_t plen = 0;
        if ((s == (const char *)in->data || !isalnum((unsigned char)s[-1])))
            for (int p = 0; p < NPREFIX; p++) {
                plen = strlen(prefixes[p]);
                if ((size_t)(end - s) > plen && memcmp(s, prefixes[p], plen) == 0 &&
                    isdigit((unsigned char)s[plen])) {
                    matched = p;
                    break;
                }
            }
        if (matched < 0) { /* copy up to the next place an id can start */
            const char *t = s + 1;
            while (t < end && !(isalpha((unsigned char)*t) && !isalnum((unsigned char)t[-1])))
                t++;
            fwrite(s, 1, (size_t)(t - s), fp);
            s = t;
            continue;
        }
        const char *d = s + plen;
        char *stop;
        long num = strtol(d, &stop, 10);
        size_t k = 0;
        while (k < nmap && !(map[k].prefix == matched && map[k].from == num))
            k++;
        if (k == nmap && nmap < MAXMAP) {
            map[nmap].prefix = matched;
            map[nmap].from = num;
            nmap++;
        }
        long to = 0;
        for (size_t i = 0; i <= k && i < nmap; i++)
            to += map[i].prefix == matched;
        (void)next;
        fprintf(fp, "%s%ld", prefixes[matched], k < nmap ? to : num);
        s = stop;
    }
    free(map);
    return ferror(fp) ? -1 : 0;
}

static void png_write_fn(png_structp png, png_bytep data, size_t len)
{
    membuf *b = png_get_io_ptr(png);
    if (mem_write(b, data, (unsigned int)len) != CAIRO_STATUS_SUCCESS)
        png_error(png, "out of memory");
}

static void png_flush_fn(png_structp png)
{
    (void)png;
}

/* Encodes the image as 8-bit RGB with the resolution in pHYs. Charts are large flat areas:
 * the "Sub" filter turns them into runs of zeros that zlib's fastest level packs well, at a
 * fraction of the time of libpng's adaptive filtering (most of the time of a chart). */
static int png_encode(cairo_surface_t *surf, int dpi, membuf *buf)
{
    cairo_surface_flush(surf);
    int w = cairo_image_surface_get_width(surf), h = cairo_image_surface_get_height(surf);
    int stride = cairo_image_surface_get_stride(surf);
    unsigned char *data = cairo_image_surface_get_data(surf);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    unsigned char *rgb = malloc((size_t)w * 3);
    if (!png || !info || !rgb || !data) {
        png_destroy_write_struct(&png, &info);
        free(rgb);
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(rgb);
        return -1;
    }
    png_set_write_fn(png, buf, png_write_fn, png_flush_fn);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_uint_32 ppm = (png_uint_32)lround(dpi / 0.0254);
    png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    png_set_compression_level(png, 1);
    png_write_info(png, info);
    /* cairo's RGB24 is a native-endian 32-bit xRGB word per pixel: unpacked here, row by
     * row, faster than libpng's general transforms */
    for (int y = 0; y < h; y++) {
        const uint32_t *src = (const uint32_t *)(data + (size_t)y * (size_t)stride);
        unsigned char *dst = rgb;
        for (int x = 0; x < w; x++) {
            uint32_t p = src[x];
            dst[0] = (unsigned char)(p >> 16);
            dst[1] = (unsigned char)(p >> 8);
            dst[2] = (unsigned char)p;
            dst += 3;
        }
        png_write_row(png, rgb);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(rgb);
    return buf->failed ? -1 : 0;
}

static int format_of(const char *path, file_format *f)
{
    const char *dot = strrchr(path, '.');
    if (!dot)
        return -1;
    if (!strcasecmp(dot, ".png"))
        *f = FMT_PNG;
    else if (!strcasecmp(dot, ".svg"))
        *f = FMT_SVG;
    else if (!strcasecmp(dot, ".pdf"))
        *f = FMT_PDF;
    else
        return -1;
    return 0;
}

static bimo_status render(const bimo_result *res, const bimo_chart_options *opt, file_format f,
                          membuf *buf, bimo_error *err)
{
    double w = opt->width_mm * MM_TO_PT, h = opt->height_mm * MM_TO_PT;
    cairo_surface_t *surf;
    if (f == FMT_PNG) {
        int wp = (int)lround(opt->width_mm / 25.4 * opt->dpi),
            hp = (int)lround(opt->height_mm / 25.4 * opt->dpi);
        surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, wp, hp);
    } else if (f == FMT_SVG) {
        surf = cairo_svg_surface_create_for_stream(mem_write, buf, w, h);
        cairo_svg_surface_restrict_to_version(surf, CAIRO_SVG_VERSION_1_1);
    } else {
        surf = cairo_pdf_surface_create_for_stream(mem_write, buf, w, h);
        /* the data's reference date, not the clock: the same data give the same file */
        const bimo_result_period *p = bimo_result_period_at(res, bimo_result_period_count(res) - 1);
        char date[32];
        snprintf(date, sizeof date, "%04d-%02d-%02dT00:00:00", p->stichtag / 10000,
                 p->stichtag / 100 % 100, p->stichtag % 100);
        cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATE_DATE, date);
        cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_MOD_DATE, date);
        cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE,
                                       opt->title ? opt->title : bimo_result_indicator(res)->title);
        cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "bimo");
    }
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surf);
        return bimo_fail(err, BIMO_ERR_NOMEM, "cairo: cannot create the surface");
    }
    cairo_t *cr = cairo_create(surf);
    if (f == FMT_PNG) {
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
        cairo_scale(cr, opt->dpi / 72.0, opt->dpi / 72.0);
    }
    /* a small margin so strokes at the edge are not cut */
    cairo_translate(cr, 2, 2);
    bimo_status st = bimo_chart_draw(res, opt, cr, w - 4, h - 4, err);
    cairo_destroy(cr);
    if (st == BIMO_OK && f == FMT_PNG && png_encode(surf, opt->dpi, buf))
        st = bimo_fail(err, buf->failed ? BIMO_ERR_NOMEM : BIMO_ERR_IO, "cannot encode the PNG");
    cairo_surface_finish(surf);
    if (st == BIMO_OK && (buf->failed || cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS))
        st = bimo_fail(err, BIMO_ERR_NOMEM, "cairo: %s",
                       cairo_status_to_string(cairo_surface_status(surf)));
    cairo_surface_destroy(surf);
    return st;
}

bimo_status bimo_chart_render(const bimo_result *res, const bimo_chart_options *opt,
                              const char *format, unsigned char **data, size_t *size,
                              bimo_error *err)
{
    bimo_chart_options o;
    if (opt)
        o = *opt;
    else
        bimo_chart_options_init(&o);
    *data = NULL;
    *size = 0;
    char name[16];
    file_format f;
    snprintf(name, sizeof name, "x.%s", format ? format : "");
    if (!res || format_of(name, &f))
        return bimo_fail(err, BIMO_ERR_ARG, "chart format must be png, svg or pdf");
    if (o.width_mm < 20 || o.width_mm > 2000 || o.height_mm < 20 || o.height_mm > 2000 ||
        o.dpi < 36 || o.dpi > 2400 ||
        (f == FMT_PNG && fmax(o.width_mm, o.height_mm) * o.dpi > 25.4 * 30000))
        return bimo_fail(err, BIMO_ERR_ARG,
                         "chart size %.0f x %.0f mm at %d dpi is out of range (20 to 2000 mm, "
                         "36 to 2400 dpi)",
                         o.width_mm, o.height_mm, o.dpi);
    membuf buf = {0};
    bimo_status st = render(res, &o, f, &buf, err);
    if (st == BIMO_OK && f == FMT_SVG) {
        char *text = NULL;
        size_t n = 0;
        FILE *mem = open_memstream(&text, &n);
        if (!mem || svg_normalise(&buf, mem) || fclose(mem)) {
            free(text);
            st = bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
        } else {
            free(buf.data);
            buf.data = (unsigned char *)text;
            buf.n = n;
        }
    }
    if (st != BIMO_OK) {
        free(buf.data);
        return st;
    }
    *data = buf.data;
    *size = buf.n;
    return BIMO_OK;
}

bimo_status bimo_chart_write(const bimo_result *res, const bimo_chart_options *opt,
                             const char *path, bimo_error *err)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    file_format f;
    if (!res || !path || format_of(path, &f))
        return bimo_fail(err, BIMO_ERR_ARG,
                         "%s: the chart's file name must end in .png, .svg or .pdf",
                         path ? path : "(null)");
    unsigned char *data;
    size_t n;
    bimo_status st = bimo_chart_render(res, opt, dot + 1, &data, &n, err);
    bimo_output *out = NULL;
    FILE *fp = NULL;
    if (st == BIMO_OK)
        st = bimo_output_open(path, BIMO_OUTPUT_OVERWRITE, &out, &fp, err);
    if (st == BIMO_OK) {
        if (fwrite(data, 1, n, fp) != n) {
            bimo_output_abort(out);
            st = bimo_fail(err, BIMO_ERR_IO, "cannot write %s", path);
        } else {
            st = bimo_output_commit(out, err);
        }
    }
    free(data);
    return st;
}
