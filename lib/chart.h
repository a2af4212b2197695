/* chart.h — the chart renderer's internal interface: drawing a result into any cairo context
 * (the report typesetter places vector charts on its pages) and a trace of what was drawn. */
#ifndef BIMO_CHART_H
#define BIMO_CHART_H

#include <cairo.h>
#include <stddef.h>

#include "bimo.h"

/* What a drawn item is, for tests and the typesetter's checks. */
typedef enum {
    BIMO_CHART_TEXT = 0, /* any text: title, labels, ticks, legend, footer */
    BIMO_CHART_MARK,     /* a bar, a segment, a line point or a tile standing for one value */
    BIMO_CHART_SYMBOL    /* the symbol ("." "/" "…" "x") drawn instead of a value */
} bimo_chart_item_type;

/* One drawn item with its box in the chart's coordinates (points, origin top left). */
typedef struct bimo_chart_item {
    bimo_chart_item_type type;
    double x0, y0, x1, y1;
    char text[200]; /* the text (a mark: its value label, drawn or not) */
} bimo_chart_item;

/* Collects every item a draw call makes; zero-initialise, free with bimo_chart_trace_free. */
typedef struct bimo_chart_trace {
    bimo_chart_item *items;
    size_t n, cap;
} bimo_chart_trace;

void bimo_chart_trace_free(bimo_chart_trace *trace);

/* Draws the chart of res into cr at the current origin, width_pt x height_pt points (1 user
 * unit = 1 point). Keeps no state between calls. BIMO_ERR_ARG when the result cannot be drawn
 * as the kind asks (a pyramid without age group and sex, a map without municipalities). */
bimo_status bimo_chart_draw(const bimo_result *res, const bimo_chart_options *opt, cairo_t *cr,
                            double width_pt, double height_pt, bimo_error *err);

/* The same, recording every text, mark and symbol in trace (may be NULL). */
bimo_status bimo_chart_draw_traced(const bimo_result *res, const bimo_chart_options *opt,
                                   cairo_t *cr, double width_pt, double height_pt,
                                   bimo_chart_trace *trace, bimo_error *err);

/* The chart as a file's bytes in memory: format "png", "svg" or "pdf" (what bimo_chart_write
 * writes). *data is malloc'ed, owned by the caller. */
bimo_status bimo_chart_render(const bimo_result *res, const bimo_chart_options *opt,
                              const char *format, unsigned char **data, size_t *size,
                              bimo_error *err);

#endif
