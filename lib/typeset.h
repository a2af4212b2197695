/* typeset.h — a small page typesetter on cairo and pango: A4 pages with a cover, a table of
 * contents, numbered headings, paragraphs, lists, figures and tables that split across pages.
 *
 * The caller appends items in reading order (all text is pango markup) and calls ts_render()
 * once: it lays out every item (pass one: pages and the page of every heading), then draws the
 * cover, the contents with the right page numbers and links, and the body (pass two). Nothing
 * depends on the clock or on addresses, so the same items give the same PDF bytes. */
#ifndef BIMO_TYPESET_H
#define BIMO_TYPESET_H

#include <cairo.h>
#include <stddef.h>

#include "bimo.h"

typedef struct ts_doc ts_doc;

/* Draws the body of a figure into cr, origin at its top left, w x h points. */
typedef bimo_status (*ts_draw_fn)(void *ctx, cairo_t *cr, double w, double h, bimo_error *err);

/* A table: nhead header rows, then body rows; cells are markup, row-major. */
typedef struct ts_grid {
    size_t nrows, ncols, nhead;
    char **cells;            /* nrows * ncols, owned by the grid */
    unsigned char *right;    /* per column: 1 right aligned (numbers) */
    unsigned char *bold_row; /* per row: 1 for a margin ("Insgesamt") */
    unsigned char *bold_col; /* per column: 1 for a margin column */
    unsigned char *indent;   /* per row: levels of indentation of the first cell */
} ts_grid;

/* A grid of rows x cols with empty cells; NULL when out of memory. */
ts_grid *ts_grid_new(size_t rows, size_t cols, size_t nhead);
void ts_grid_free(ts_grid *g);
/* Sets cell (r, c) to a copy of markup; -1 when out of memory. */
int ts_grid_set(ts_grid *g, size_t r, size_t c, const char *markup);

typedef struct ts_meta {
    const char *title, *subtitle, *district, *authors, *date_label, *period_label;
    const char *notice; /* e.g. "INTERN – nicht zur Veröffentlichung", or NULL */
} ts_meta;

ts_doc *ts_new(const ts_meta *meta);
void ts_free(ts_doc *doc);

/* Appends a heading of level 1..3 (level 1 starts a new page); number is "2" or "2.1". */
int ts_heading(ts_doc *doc, int level, const char *number, const char *markup);

/* Paragraph styles. */
enum { TS_BODY = 0, TS_QUOTE, TS_CODE, TS_SMALL };

/* Appends a paragraph; marker (markup, e.g. "•" or "3.") makes it a list item at indent
 * levels (0 = none). */
int ts_paragraph(ts_doc *doc, const char *markup, int style, int indent, const char *marker);

/* Appends a figure: caption ("Abbildung 3: ..."), subtitle and notes (markup, notes may be
 * NULL) around a body of height h points drawn by draw(ctx, ...). list_title is the entry in
 * the list of figures. Kept together on one page. */
int ts_figure(ts_doc *doc, const char *caption, const char *subtitle, const char *notes, double h,
              ts_draw_fn draw, void *ctx, const char *list_title);

/* Appends a table (the doc takes grid); split across pages with the header rows repeated. */
int ts_table(ts_doc *doc, const char *caption, const char *subtitle, ts_grid *grid,
             const char *notes, const char *list_title);

/* The width of the text column in points (figures are drawn this wide). */
double ts_text_width(void);

/* Lays out and draws the document onto surface (a cairo PDF surface of A4 size), with the
 * outline; returns the number of pages in *pages. */
bimo_status ts_render(ts_doc *doc, cairo_surface_t *surface, int *pages, bimo_error *err);

/* Markup escaping: appends text to a growing buffer; -1 when out of memory. */
typedef struct ts_buf {
    char *s;
    size_t n, cap;
} ts_buf;
int ts_buf_add(ts_buf *b, const char *s, size_t n);
int ts_buf_addf(ts_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int ts_buf_escape(ts_buf *b, const char *text);

#endif
