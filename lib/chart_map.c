/* chart_map.c — the tile map: one square per municipality (gemeinden.csv) or reporting unit
 * (kacheln.csv) on the district profile's grid, shaded by class with a legend of the breaks. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_impl.h"
#include "codes.h"
#include "error.h"
#include "result_text.h"

/* Sequential blues (ColorBrewer), light to dark: the order survives grey printing. */
static const chart_rgb blues[] = {
    {0.937, 0.953, 1.000}, {0.776, 0.859, 0.937}, {0.620, 0.792, 0.882}, {0.420, 0.682, 0.839},
    {0.192, 0.510, 0.741}, {0.031, 0.318, 0.612}, {0.031, 0.188, 0.420},
};
#define MAX_CLASSES 7

typedef struct {
    int row, col;
} tile_pos;

/* Tile positions of the items from the profile: gemeinden.csv (kachel_zeile, kachel_spalte)
 * for municipalities, kacheln.csv (zeile, spalte) for reporting units. */
static int load_positions(const chart_ctx *c, const chart_model *m, tile_pos *pos, int *rows,
                          int *cols, bimo_error *err)
{
    char dir[1024], path[1100];
    if (bimo_profile_dir(dir, sizeof dir, err) != BIMO_OK)
        return -1;
    int kommune = strcmp(bimo_result_dim(c->res, m->cat.dim), "kommune") == 0;
    snprintf(path, sizeof path, "%s/%s", dir, kommune ? "kacheln.csv" : "gemeinden.csv");
    bimo_codelist *list;
    if (bimo_codelist_load(path, kommune ? "kacheln" : "gemeinden", &list, err) != BIMO_OK)
        return -1;
    const char *rc = kommune ? "zeile" : "kachelzeile", *cc = kommune ? "spalte" : "kachelspalte";
    *rows = *cols = 0;
    for (size_t i = 0; i < m->cat.n; i++) {
        const char *code = m->cat.items[i].code;
        int r = code ? bimo_codelist_find(list, code, strlen(code)) : -1;
        const char *a = r >= 0 ? bimo_codelist_value(list, r, rc) : NULL;
        const char *b = r >= 0 ? bimo_codelist_value(list, r, cc) : NULL;
        pos[i] = (tile_pos){a ? atoi(a) : 0, b ? atoi(b) : 0};
        if (pos[i].row < 1 || pos[i].col < 1) {
            bimo_codelist_free(list);
            bimo_fail(err, BIMO_ERR_DATA, "%s: no tile position for %s (%s)", path,
                      code ? code : "?", m->cat.items[i].label);
            return -1;
        }
        *rows = pos[i].row > *rows ? pos[i].row : *rows;
        *cols = pos[i].col > *cols ? pos[i].col : *cols;
    }
    bimo_codelist_free(list);
    return 0;
}

/* A tile's short name: "Stadt" and "Samtgemeinde" are common to many and carry little. */
static void tile_name(const char *label, char *out, size_t size)
{
    static const struct {
        const char *from, *to;
    } subs[] = {{", Stadt", ""},
                {"Samtgemeinde ", "SG "},
                {" am Teutoburger Wald", " a. T. W."},
                {"Georgsmarienhütte", "Georgsmarien\xC2\xAD"
                                      "hütte"}}; /* soft hyphen */
    snprintf(out, size, "%s", label);
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
        char *p = strstr(out, subs[i].from);
        if (!p)
            continue;
        char rest[256];
        snprintf(rest, sizeof rest, "%s", p + strlen(subs[i].from));
        snprintf(p, size - (size_t)(p - out), "%s%s", subs[i].to, rest);
    }
}

int chart_draw_map(chart_ctx *c, const chart_model *m, chart_box plot, bimo_error *err)
{
    size_t n = m->cat.n;
    tile_pos *pos = calloc(n ? n : 1, sizeof *pos);
    if (!pos) {
        c->oom = 1;
        return -1;
    }
    int rows, cols;
    if (load_positions(c, m, pos, &rows, &cols, err)) {
        free(pos);
        return -1;
    }
    /* Class breaks: the finest step of 1, 2 or 5 x 10^k, no finer than the numbers in the
     * tiles (so a tile's number tells its class), that needs at most 6 classes between the
     * smallest and the largest number as shown. */
    int dec = c->ind->kind == BIMO_KIND_COUNT ? 0 : c->ind->decimals;
    double unit = pow(10, -dec), lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++)
        if (m->cells[i].shown) {
            double v = round(m->cells[i].v / unit) * unit;
            lo = fmin(lo, v);
            hi = fmax(hi, v);
        }
    if (!isfinite(lo))
        lo = hi = 0;
    chart_ticks tk = {0};
    int ncls = 1;
    for (int e = 0; e < 40; e++) {
        static const double mant[] = {1, 2, 5};
        tk.step = mant[e % 3] * unit * pow(10, e / 3);
        tk.lo = floor(lo / tk.step + 1e-9) * tk.step;
        tk.hi = floor(hi / tk.step + 1e-9) * tk.step + tk.step;
        ncls = (int)lround((tk.hi - tk.lo) / tk.step);
        if (ncls <= 6)
            break;
    }
    tk.decimals = 0;
    for (double st = tk.step; tk.decimals < 6 && fabs(st - round(st)) > 1e-9; st *= 10)
        tk.decimals++;
    if (ncls < 1)
        ncls = 1;
    /* palette indices spread over the ramp */
    int shade[MAX_CLASSES];
    for (int k = 0; k < ncls; k++)
        shade[k] = ncls == 1 ? 3 : (int)lround(1 + (double)k * 5.0 / (double)(ncls - 1));
    /* legend on the right: one line per class, the unit above */
    int pct = bimo_indicator_is_percent(c->ind);
    chart_text leg[MAX_CLASSES + 2], cap;
    double leg_w = 0, leg_h = 0;
    chart_text_make(c, &cap, chart_unit_caption(c, 0), CHART_PT_SMALL, 0, 0, 0);
    for (int k = 0; k < ncls; k++) {
        char a[48], b[48], buf[128];
        chart_tick_text(&tk, tk.lo + k * tk.step, a, sizeof a);
        chart_tick_text(&tk, tk.lo + (k + 1) * tk.step, b, sizeof b);
        snprintf(buf, sizeof buf, "%s bis unter %s", a, b);
        chart_text_make(c, &leg[k], buf, CHART_PT_SMALL, 0, 0, 0);
        leg_w = fmax(leg_w, leg[k].w);
        leg_h += leg[k].h + 2;
    }
    (void)pct;
    double legend_w = leg_w + 14;
    double gw = plot.x1 - plot.x0 - legend_w - 10, gh = plot.y1 - plot.y0;
    /* tiles may be wider than high, so names need fewer breaks */
    double th = fmin(gh / rows, gw / cols), tw = fmin(gw / cols, th * 1.7);
    double gx = plot.x0 + (gw - tw * cols) / 2, gy = plot.y0 + (gh - th * rows) / 2;
    double iw = tw - 1.2, ih = th - 1.2;
    for (size_t i = 0; i < n; i++) {
        const chart_cell *cell = &m->cells[i];
        double x = gx + (pos[i].col - 1) * tw, y = gy + (pos[i].row - 1) * th;
        chart_rgb fill = chart_white;
        if (cell->shown) {
            double shown = round(cell->v / unit) * unit;
            int k = (int)floor((shown - tk.lo) / tk.step + 1e-9);
            k = k < 0 ? 0 : k >= ncls ? ncls - 1 : k;
            fill = blues[shade[k]];
            chart_mark_rect(c, x, y, x + iw, y + ih, fill, cell->text);
        } else {
            chart_set_colour(c, chart_grid);
            cairo_set_line_width(c->cr, 0.6);
            cairo_rectangle(c->cr, x + 0.3, y + 0.3, iw - 0.6, ih - 0.6);
            cairo_stroke(c->cr);
        }
        char name[128];
        tile_name(m->cat.items[i].label, name, sizeof name);
        chart_text tn, tv;
        double fs = fmin(6.0, fmax(4.0, ih / 5.0));
        /* the number alone: the legend names the unit */
        char value[48];
        if (cell->shown && cell->v != 0)
            bimo_number_de(cell->v, c->ind->kind == BIMO_KIND_COUNT ? 0 : c->ind->decimals, value,
                           sizeof value);
        else
            snprintf(value, sizeof value, "%s", cell->text);
        chart_text_make(c, &tv, value, fs + 0.5, 1, iw - 2, 1);
        int lines = (int)floor((ih - tv.h - 2) / (fs * 1.17));
        chart_text_make(c, &tn, name, fs, 0, iw - 2, lines < 1 ? 1 : lines);
        chart_text_align(&tn, 1);
        chart_text_align(&tv, 1);
        chart_rgb ink = chart_text_on(fill);
        double ty = y + (ih - (lines >= 1 ? tn.h : 0) - tv.h) / 2;
        if (lines >= 1)
            chart_text_draw(c, &tn, x + (iw - tn.w) / 2, ty, ink, BIMO_CHART_TEXT);
        chart_text_draw(c, &tv, x + (iw - tv.w) / 2, ty + (lines >= 1 ? tn.h : 0), ink,
                        cell->shown ? BIMO_CHART_TEXT : BIMO_CHART_SYMBOL);
        chart_text_free(&tn);
        chart_text_free(&tv);
    }
    /* legend */
    double lx = gx + tw * cols + 10, ly = plot.y0 + (gh - leg_h - cap.h - 3) / 2;
    chart_text_draw(c, &cap, lx, ly, chart_grey, BIMO_CHART_TEXT);
    ly += cap.h + 3;
    for (int k = ncls - 1; k >= 0; k--) {
        chart_set_colour(c, blues[shade[k]]);
        cairo_rectangle(c->cr, lx, ly + (leg[k].h - 8) / 2, 10, 8);
        cairo_fill(c->cr);
        chart_text_draw(c, &leg[k], lx + 14, ly, chart_ink, BIMO_CHART_TEXT);
        ly += leg[k].h + 2;
        chart_text_free(&leg[k]);
    }
    chart_text_free(&cap);
    free(pos);
    return c->oom ? -1 : 0;
}
