/* chart_line.c — time series: one line per series with markers, gaps where a period has no
 * number, a dashed rule where the source or definition changes, labels kept apart. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_impl.h"

/* Source lines compared without their digits (dates, years): what is left names the source. */
static int same_source(const char *a, const char *b)
{
    while (*a || *b) {
        while (isdigit((unsigned char)*a) || *a == '.')
            a++;
        while (isdigit((unsigned char)*b) || *b == '.')
            b++;
        if (*a != *b)
            return 0;
        if (*a) {
            a++;
            b++;
        }
    }
    return 1;
}

int chart_series_break(const bimo_result *res, size_t i)
{
    if (i == 0 || i >= bimo_result_period_count(res))
        return 0;
    const bimo_result_period *a = bimo_result_period_at(res, i - 1),
                             *b = bimo_result_period_at(res, i);
    return a->has_data && b->has_data && !same_source(a->quelle, b->quelle);
}

void chart_kind_notes(chart_ctx *c, const chart_model *m)
{
    if (c->kind == CHART_LINE)
        for (size_t i = 1; i < bimo_result_period_count(c->res); i++)
            if (chart_series_break(c->res, i)) {
                c->extra_notes[c->nextra++] =
                    "Senkrechte gestrichelte Linie: Bruch in der Zeitreihe (Quelle oder "
                    "Abgrenzung geändert); die Werte davor und danach sind nicht verbunden.";
                break;
            }
    if (c->kind == CHART_PYRAMID)
        for (size_t s = 0; s < m->ser.n; s++) {
            const char *code = m->ser.items[s].code;
            if (code && strcmp(code, "m") && strcmp(code, "w")) {
                c->extra_notes[c->nextra++] = "Personen mit dem Geschlechtseintrag „divers“ "
                                              "oder ohne Angabe sind nicht dargestellt.";
                break;
            }
        }
}

typedef struct {
    double y; /* wanted centre */
    double h;
    size_t idx;
} end_label;

static int by_y(const void *a, const void *b)
{
    const end_label *x = a, *y = b;
    return x->y < y->y ? -1 : x->y > y->y ? 1 : (x->idx > y->idx) - (x->idx < y->idx);
}

/* Moves labels apart along y (keeping their order) so none overlaps, inside [top, bottom]. */
static void spread(end_label *l, size_t n, double top, double bottom)
{
    if (n == 0) /* every series suppressed: n - 1 below would wrap around */
        return;
    qsort(l, n, sizeof *l, by_y);
    for (int pass = 0; pass < 4; pass++) {
        for (size_t i = 1; i < n; i++) {
            double min = l[i - 1].y + (l[i - 1].h + l[i].h) / 2 + 0.5;
            if (l[i].y < min)
                l[i].y = min;
        }
        if (n && l[n - 1].y + l[n - 1].h / 2 > bottom)
            l[n - 1].y = bottom - l[n - 1].h / 2;
        for (size_t i = n - 1; i-- > 0;) {
            double max = l[i + 1].y - (l[i].h + l[i + 1].h) / 2 - 0.5;
            if (l[i].y > max)
                l[i].y = max;
        }
        if (n && l[0].y - l[0].h / 2 < top)
            l[0].y = top + l[0].h / 2;
    }
}

int chart_draw_line(chart_ctx *c, const chart_model *m, chart_box plot)
{
    size_t np = m->cat.n, ns = m->ser.n;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < np * ns; i++)
        if (m->cells[i].shown) {
            lo = fmin(lo, m->cells[i].v);
            hi = fmax(hi, m->cells[i].v);
        }
    if (!isfinite(lo)) {
        lo = 0;
        hi = 1;
    }
    /* from zero unless the series lie far above it (rates moving by tenths) */
    if (lo >= 0 && (lo < 0.5 * hi || c->ind->kind == BIMO_KIND_COUNT)) {
        lo = 0;
    } else { /* room for a label below the lowest and above the highest point */
        double pad = (hi - lo) * 0.15;
        lo -= pad;
        hi += pad;
    }
    chart_ticks tk;
    chart_nice_ticks(lo, hi, (int)fmax(3, fmin(7, (plot.y1 - plot.y0) / 40)), &tk);
    if (tk.lo > lo)
        tk.lo -= tk.step;
    size_t nt = (size_t)lround((tk.hi - tk.lo) / tk.step) + 1;
    chart_text *tt = calloc(nt, sizeof *tt), *xl = calloc(np, sizeof *xl),
               *vt = calloc(np * ns, sizeof *vt), *st = calloc(np * ns, sizeof *st);
    end_label *el = calloc(ns, sizeof *el);
    chart_text *et = calloc(ns, sizeof *et);
    if (!tt || !xl || !vt || !st || !el || !et) {
        c->oom = 1;
        goto done;
    }
    double tw = 0;
    for (size_t i = 0; i < nt; i++) {
        char buf[48];
        chart_tick_text(&tk, tk.lo + (double)i * tk.step, buf, sizeof buf);
        chart_text_make(c, &tt[i], buf, CHART_PT_SMALL, 0, 0, 0);
        tw = fmax(tw, tt[i].w);
    }
    chart_text cap;
    chart_text_make(c, &cap, chart_unit_caption(c, 0), CHART_PT_SMALL, 0, 0, 0);
    /* several series: labelled at their last value on the right, so reserve that room */
    double right = 0;
    if (ns > 1)
        for (size_t s = 0; s < ns; s++) {
            size_t last = np;
            for (size_t p = 0; p < np; p++)
                if (chart_cell_at(m, p, s, 0)->shown)
                    last = p;
            if (last == np)
                continue;
            chart_text_make(c, &et[s], chart_cell_at(m, last, s, 0)->text, CHART_PT_VALUE, 0, 0, 0);
            right = fmax(right, et[s].w + 12);
        }
    double x0 = plot.x0 + tw + 5, x1 = plot.x1 - right;
    double step = (x1 - x0) / (double)np;
    /* period labels: upright when they fit their step, else turned */
    int up = 0;
    double xh = 0;
    for (size_t p = 0; p < np; p++) { /* "3. Vj. 2025" may take two lines */
        chart_text_make(c, &xl[p], m->cat.items[p].label, CHART_PT_LABEL, 0, step * 0.92, 2);
        up |= pango_layout_is_ellipsized(xl[p].layout) ||
              pango_layout_get_line_count(xl[p].layout) > 2 || xl[p].w > step * 0.92;
    }
    for (size_t p = 0; p < np && up; p++) {
        chart_text_free(&xl[p]);
        chart_text_make(c, &xl[p], m->cat.items[p].label, CHART_PT_LABEL, 0, 0, 0);
    }
    for (size_t p = 0; p < np; p++) {
        if (!up)
            chart_text_align(&xl[p], 1);
        xh = fmax(xh, up ? xl[p].w : xl[p].h);
    }
    double y0 = plot.y0 + cap.h + 2 + (nt ? tt[0].h / 2 : 0), y1 = plot.y1 - xh - 4;
    double vsize = CHART_PT_VALUE;
#define YPOS(v) (y1 - ((v)-tk.lo) / (tk.hi - tk.lo) * (y1 - y0))
#define XPOS(p) (x0 + ((double)(p) + 0.5) * step)
    /* grid and ticks */
    for (size_t i = 0; i < nt; i++) {
        double v = tk.lo + (double)i * tk.step, y = YPOS(v);
        chart_line(c, x0, y, x1, y, fabs(v) < 1e-12 ? 0.8 : 0.4,
                   fabs(v) < 1e-12 ? chart_grey : chart_grid);
        chart_text_draw(c, &tt[i], x0 - 3 - tt[i].w, y - tt[i].h / 2, chart_grey, BIMO_CHART_TEXT);
    }
    chart_text_draw(c, &cap, plot.x0, plot.y0, chart_grey, BIMO_CHART_TEXT);
    for (size_t p = 0; p < np; p++) {
        if (up)
            chart_text_draw_up(c, &xl[p], XPOS(p) - xl[p].h / 2, y1 + 3, chart_ink,
                               BIMO_CHART_TEXT);
        else
            chart_text_draw(c, &xl[p], XPOS(p) - xl[p].w / 2, y1 + 3, chart_ink, BIMO_CHART_TEXT);
        if (chart_series_break(c->res, p)) {
            double x = XPOS(p) - step / 2;
            static const double dash[] = {2.5, 2};
            cairo_set_dash(c->cr, dash, 2, 0);
            chart_line(c, x, y0, x, y1, 0.7, chart_grey);
            cairo_set_dash(c->cr, NULL, 0, 0);
        }
    }
    /* lines, then markers, then labels above everything */
    for (size_t s = 0; s < ns; s++) {
        chart_rgb col =
            m->ser.src == AX_NONE ? (chart_rgb){0, 0.447, 0.698} : m->ser.items[s].colour;
        chart_set_colour(c, col);
        cairo_set_line_width(c->cr, m->ser.items[s].code || ns == 1 ? 1.5 : 2.2);
        int open = 0;
        for (size_t p = 0; p < np; p++) {
            const chart_cell *cell = chart_cell_at(m, p, s, 0);
            if (!cell->shown || chart_series_break(c->res, p)) {
                if (open)
                    cairo_stroke(c->cr);
                open = 0;
            }
            if (!cell->shown)
                continue;
            if (open)
                cairo_line_to(c->cr, XPOS(p), YPOS(cell->v));
            else
                cairo_move_to(c->cr, XPOS(p), YPOS(cell->v));
            open = 1;
        }
        if (open)
            cairo_stroke(c->cr);
        cairo_new_path(c->cr);
        for (size_t p = 0; p < np; p++) {
            const chart_cell *cell = chart_cell_at(m, p, s, 0);
            if (!cell->shown)
                continue;
            double x = XPOS(p), y = YPOS(cell->v), r = 2.2;
            chart_set_colour(c, col);
            cairo_arc(c->cr, x, y, r, 0, 2 * M_PI);
            cairo_fill(c->cr);
            chart_record(c, BIMO_CHART_MARK, x - r, y - r, x + r, y + r, cell->text);
        }
    }
    /* symbols of missing points, stacked above the axis at their period */
    for (size_t p = 0; p < np; p++) {
        double y = y1 - 2;
        for (size_t s = 0; s < ns; s++) {
            const chart_cell *cell = chart_cell_at(m, p, s, 0);
            if (cell->shown)
                continue;
            chart_text *t = &st[p * ns + s];
            chart_text_make(c, t, cell->text, vsize, 1, 0, 0);
            y -= t->h;
            chart_text_draw(c, t, XPOS(p) - t->w / 2, y, chart_grey, BIMO_CHART_SYMBOL);
        }
    }
    if (ns == 1) { /* one series: every value above its point (below when near the top) */
        for (size_t p = 0; p < np; p++) {
            const chart_cell *cell = chart_cell_at(m, p, 0, 0);
            if (!cell->shown)
                continue;
            chart_text *t = &vt[p];
            chart_text_make(c, t, cell->text, vsize, 0, 0, 0);
            /* below a point that lies under both neighbours: the lines leave it upwards */
            const chart_cell *prev = p > 0 ? chart_cell_at(m, p - 1, 0, 0) : NULL,
                             *next = p + 1 < np ? chart_cell_at(m, p + 1, 0, 0) : NULL;
            int valley = (!prev || !prev->shown || prev->v > cell->v) &&
                         (!next || !next->shown || next->v > cell->v) && (prev || next);
            double y = YPOS(cell->v) - 3 - t->h;
            if (y < y0 || (valley && YPOS(cell->v) + 3 + t->h <= y1))
                y = YPOS(cell->v) + 3;
            chart_text_draw(c, t, XPOS(p) - t->w / 2, y, chart_ink, BIMO_CHART_TEXT);
        }
    } else { /* the last value of each series at its end, moved apart */
        size_t n = 0;
        for (size_t s = 0; s < ns; s++) {
            if (!et[s].layout)
                continue;
            double v = 0;
            for (size_t p = 0; p < np; p++)
                if (chart_cell_at(m, p, s, 0)->shown)
                    v = chart_cell_at(m, p, s, 0)->v;
            el[n++] = (end_label){YPOS(v), et[s].h, s};
        }
        spread(el, n, plot.y0, y1);
        for (size_t i = 0; i < n; i++) { /* a swatch of the series' colour, then the value */
            chart_set_colour(c, m->ser.items[el[i].idx].colour);
            cairo_rectangle(c->cr, x1 + 4, el[i].y - 2.5, 5, 5);
            cairo_fill(c->cr);
            chart_text_draw(c, &et[el[i].idx], x1 + 11, el[i].y - el[i].h / 2, chart_ink,
                            BIMO_CHART_TEXT);
        }
    }
#undef YPOS
#undef XPOS
    chart_text_free(&cap);
done:
    for (size_t i = 0; tt && i < nt; i++)
        chart_text_free(&tt[i]);
    for (size_t i = 0; xl && i < np; i++)
        chart_text_free(&xl[i]);
    for (size_t i = 0; vt && st && i < np * ns; i++) {
        chart_text_free(&vt[i]);
        chart_text_free(&st[i]);
    }
    for (size_t i = 0; et && i < ns; i++)
        chart_text_free(&et[i]);
    free(tt);
    free(xl);
    free(vt);
    free(st);
    free(el);
    free(et);
    return c->oom ? -1 : 0;
}
