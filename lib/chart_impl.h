/* chart_impl.h — what the chart modules share: the drawing context with its text helpers, the
 * data model a result is turned into (categories x series of values) and the kinds' painters. */
#ifndef BIMO_CHART_IMPL_H
#define BIMO_CHART_IMPL_H

#include <pango/pangocairo.h>

#include "chart.h"

typedef struct {
    double r, g, b;
} chart_rgb;

/* A text laid out by pango; w and h are its logical extents in points. */
typedef struct {
    PangoLayout *layout;
    double w, h, ox; /* ox: where the logical box starts inside the layout */
} chart_text;

typedef enum {
    CHART_BAR,
    CHART_HBAR,
    CHART_GROUPED,
    CHART_STACKED,
    CHART_STACKED100,
    CHART_LINE,
    CHART_PYRAMID,
    CHART_MAP
} chart_kind;

/* Where an axis of the model takes its items from. */
typedef enum { AX_NONE, AX_PERIOD, AX_DIM } chart_axis_src;

typedef struct {
    const char *code;  /* NULL: the total ("Insgesamt") */
    const char *label; /* owned by the result, or static */
    char short_label[40];
    chart_rgb colour;
    size_t period; /* AX_PERIOD */
    int fixed;     /* the colour is the category's own (code list "farbe") */
} chart_item;

typedef struct {
    chart_axis_src src;
    size_t dim; /* AX_DIM: index into the result's dimensions */
    int with_total;
    chart_item *items;
    size_t n;
} chart_axis;

/* One value of the model: the row it comes from and its text. */
typedef struct {
    const bimo_result_row *row; /* NULL: the result has no such row */
    int shown;                  /* a number is drawn */
    double v;                   /* the number drawn */
    char text[48];              /* its German text, or the symbol */
} chart_cell;

/* Categories x series x parts (the parts of a pyramid's bar); cells[(c * ser.n + s) * sub.n + k].
 * An axis of source AX_NONE has one item, the total. */
typedef struct {
    chart_axis cat, ser, sub;
    chart_cell *cells;
    size_t period; /* the period shown when no axis is the periods */
} chart_model;

typedef struct {
    chart_axis_src src;
    size_t dim;
    int with_total;
} chart_axis_spec;

/* The state of one draw call. */
typedef struct {
    cairo_t *cr;
    PangoContext *pango;
    const bimo_result *res;
    const bimo_indicator *ind;
    const bimo_chart_options *opt;
    chart_kind kind;
    double width, height;
    bimo_chart_trace *trace;
    int oom;
    unsigned flags_shown;       /* bit f: flag f's symbol appears in the chart */
    const char *extra_notes[4]; /* footnotes a kind adds (static strings) */
    size_t nextra;
    char too_small[160]; /* why the chart cannot be drawn legibly at this size, else "" */
} chart_ctx;

/* Plot area the kinds draw into. */
typedef struct {
    double x0, y0, x1, y1;
} chart_box;

/* Styles. */
#define CHART_FONT     "DejaVu Sans"
#define CHART_PT_LABEL 7.0
#define CHART_PT_VALUE 6.5
#define CHART_PT_SMALL 6.5
#define CHART_PAD      2.5

extern const chart_rgb chart_ink, chart_grey, chart_grid, chart_white, chart_total_colour,
    chart_main_colour;

/* Text: lays out s at size points (bold if asked), wrapped at max_w (<= 0: one line) into at
 * most max_lines lines (ellipsized; 0: no limit). */
int chart_text_make(chart_ctx *c, chart_text *t, const char *s, double size, int bold, double max_w,
                    int max_lines);
void chart_text_free(chart_text *t);
/* Draws t with its top left at (x, y); align: 0 left, 1 centre, 2 right of the lines. */
void chart_text_draw(chart_ctx *c, const chart_text *t, double x, double y, chart_rgb col,
                     bimo_chart_item_type type);
void chart_text_align(chart_text *t, int align);
/* Draws t turned 90 degrees anticlockwise, its box (t->h wide, t->w high) at (x, y). */
void chart_text_draw_up(chart_ctx *c, const chart_text *t, double x, double y, chart_rgb col,
                        bimo_chart_item_type type);
/* Fills a rectangle and records it as a mark carrying text. */
void chart_mark_rect(chart_ctx *c, double x0, double y0, double x1, double y1, chart_rgb col,
                     const char *text);
void chart_record(chart_ctx *c, bimo_chart_item_type type, double x0, double y0, double x1,
                  double y1, const char *text);
void chart_line(chart_ctx *c, double x0, double y0, double x1, double y1, double width,
                chart_rgb col);
void chart_set_colour(chart_ctx *c, chart_rgb col);
/* Black or white, whichever reads better on bg. */
chart_rgb chart_text_on(chart_rgb bg);
/* A legend of swatches and labels flowing in rows across [x0, x1] from y; returns its height.
 * With draw 0 it only measures. */
double chart_legend(chart_ctx *c, const chart_axis *ax, double x0, double x1, double y, int draw);

/* Nice axis: ticks from lo to hi (lo <= 0 <= hi for bars) at a step of 1, 2, 2.5 or 5 x 10^k,
 * about n of them. */
typedef struct {
    double lo, hi, step;
    int decimals;
} chart_ticks;
void chart_nice_ticks(double lo, double hi, int n, chart_ticks *t);
void chart_tick_text(const chart_ticks *t, double v, char *out, size_t size);
/* Caption of the value axis: "in %", "Personen", ... */
const char *chart_unit_caption(const chart_ctx *c, int percent);

/* Model: builds the axes and the cells of the result for the given axis sources. */
int chart_model_build(chart_ctx *c, chart_model *m, chart_axis_spec cat, chart_axis_spec ser,
                      chart_axis_spec sub);
static inline chart_cell *chart_cell_at(const chart_model *m, size_t c, size_t s, size_t k)
{
    return &m->cells[(c * m->ser.n + s) * m->sub.n + k];
}
void chart_model_free(chart_model *m);
/* Index of dimension name in the result, or -1. */
int chart_dim_index(const bimo_result *res, const char *name);
/* Notes the flag of a cell that is drawn as its symbol (for the symbol legend). */
void chart_note_flag(chart_ctx *c, const chart_cell *cell);

/* Footnotes a kind adds (a break in a time series, persons a pyramid leaves out); set before
 * the frame is laid out. */
void chart_kind_notes(chart_ctx *c, const chart_model *m);
/* Whether periods i-1 and i differ in source or definition (their source lines differ in
 * more than dates). */
int chart_series_break(const bimo_result *res, size_t i);

/* The kinds. Each draws into the plot box and returns 0, or -1 on error (err filled). */
int chart_draw_bars(chart_ctx *c, const chart_model *m, chart_box plot, int horizontal, int stacked,
                    int percent);
int chart_draw_line(chart_ctx *c, const chart_model *m, chart_box plot);
int chart_draw_pyramid(chart_ctx *c, const chart_model *m, chart_box plot);
int chart_draw_map(chart_ctx *c, const chart_model *m, chart_box plot, bimo_error *err);

#endif
