/* chart_bars.c — bar charts (vertical, horizontal, grouped, stacked, stacked to 100 %) and the
 * population pyramid: every label is measured first, then the scale is fitted around it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_impl.h"
#include "result_text.h"

/* The value axis runs from pixel p0 (value lo) to p1 (value hi); categories are bands of
 * size band starting at c0 along the other axis (with an extra gap after the first band
 * when it is the total). */
typedef struct {
    int horiz;
    double p0, p1, lo, hi;
    double c0, band, gap_after_first;
} geo;

static double vpos(const geo *g, double v)
{
    return g->p0 + (v - g->lo) / (g->hi - g->lo) * (g->p1 - g->p0);
}

static double band_start(const geo *g, size_t i)
{
    return g->c0 + (double)i * g->band + (i > 0 ? g->gap_after_first : 0);
}

/* A rectangle from value v0 to v1 across [k0, k1]. */
static void bar_rect(chart_ctx *c, const geo *g, double k0, double k1, double v0, double v1,
                     chart_rgb col, const char *text)
{
    double a = vpos(g, v0), b = vpos(g, v1);
    if (g->horiz)
        chart_mark_rect(c, a, k0, b, k1, col, text);
    else
        chart_mark_rect(c, k0, a, k1, b, col, text);
}

/* Extent of a text along the value axis and across it. */
static double along(const geo *g, const chart_text *t, int up)
{
    return g->horiz ? t->w : up ? t->w : t->h;
}
static double across(const geo *g, const chart_text *t, int up)
{
    return g->horiz ? t->h : up ? t->h : t->w;
}

/* Places t at pixel position a (its near edge along the value axis, growing in direction dir)
 * centred on cross position k. */
static void place_text(chart_ctx *c, const geo *g, const chart_text *t, int up, double a, int dir,
                       double k, chart_rgb col, bimo_chart_item_type type)
{
    double al = along(g, t, up), ac = across(g, t, up);
    double lo = dir > 0 ? a : a - al;
    if (g->horiz)
        chart_text_draw(c, t, lo, k - ac / 2, col, type);
    else if (up)
        chart_text_draw_up(c, t, k - ac / 2, lo, col, type);
    else
        chart_text_draw(c, t, k - ac / 2, lo, col, type);
}

/* Pixel direction of growing values: +1 right (horizontal) or -1 up (vertical). */
static int vdir(const geo *g)
{
    return g->p1 > g->p0 ? 1 : -1;
}

/* A value label for the bar [base, end] across [k0, k1]: inside the bar's end when it fits,
 * else just outside. Returns 1 when placed inside. */
static int value_label(chart_ctx *c, const geo *g, const chart_text *t, int up, double base,
                       double end, double k0, double k1, chart_rgb bar, int allow_inside)
{
    double a = vpos(g, base), b = vpos(g, end), len = fabs(b - a);
    int dir = (b >= a ? 1 : -1) * (end >= base ? 1 : 1);
    if (end < base)
        dir = -vdir(g);
    else
        dir = vdir(g);
    double al = along(g, t, up), ac = across(g, t, up);
    int inside = allow_inside && len >= al + 2 * CHART_PAD && ac <= fabs(k1 - k0) + 1.5;
    if (inside)
        place_text(c, g, t, up, b - dir * CHART_PAD, -dir, (k0 + k1) / 2, chart_text_on(bar),
                   BIMO_CHART_TEXT);
    else
        place_text(c, g, t, up, b + dir * CHART_PAD, dir, (k0 + k1) / 2, chart_ink,
                   BIMO_CHART_TEXT);
    return inside;
}

/* ---- Bars ----------------------------------------------------------------------------------- */

typedef struct {
    double len; /* value along the axis (a percentage for 100 % stacks) */
    int shown;
    char text[48];
} bar_val;

/* The values drawn: as computed, or for a 100 % stack of counts their share of the bar. */
static void bar_values(const chart_ctx *c, const chart_model *m, int percent, bar_val *out)
{
    int already = c->ind->kind == BIMO_KIND_SHARE && m->ser.src == AX_DIM && c->ind->share_of &&
                  strcmp(bimo_result_dim(c->res, m->ser.dim), c->ind->share_of) == 0;
    for (size_t i = 0; i < m->cat.n; i++) {
        double sum = 0;
        int all = 1;
        for (size_t s = 0; s < m->ser.n; s++) {
            const chart_cell *cell = chart_cell_at(m, i, s, 0);
            sum += cell->shown ? cell->v : 0;
            all &= cell->shown;
        }
        for (size_t s = 0; s < m->ser.n; s++) {
            const chart_cell *cell = chart_cell_at(m, i, s, 0);
            bar_val *b = &out[i * m->ser.n + s];
            b->shown = cell->shown;
            b->len = cell->v;
            snprintf(b->text, sizeof b->text, "%s", cell->text);
            if (!percent || already || !cell->shown)
                continue;
            if (!all || sum <= 0) { /* no honest share without every part */
                b->shown = 0;
                continue;
            }
            b->len = cell->v / sum * 100;
            char num[32];
            bimo_number_de(b->len, 1, num, sizeof num);
            snprintf(b->text, sizeof b->text, "%s %%", num);
        }
    }
}

/* A font size at which every text of the list fits: at most max_h high (wrapped at max_w into
 * as many lines as fit). Lays the texts out into t. */
static double fit_labels(chart_ctx *c, chart_text *t, const char *const *s, size_t n, double max_w,
                         double max_h, double start)
{
    static const double sizes[] = {7.0, 6.5, 6.0, 5.5, 5.0, 4.5};
    double chosen = 4.5;
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        if (sizes[k] > start)
            continue;
        int lines = (int)floor(max_h / (sizes[k] * 1.17));
        if (lines < 1 && k + 1 < sizeof sizes / sizeof sizes[0])
            continue;
        int ok = 1;
        for (size_t i = 0; i < n; i++) {
            chart_text_make(c, &t[i], s[i], sizes[k], 0, max_w, lines > 0 ? lines : 1);
            ok &= t[i].h <= max_h + 0.01 && !pango_layout_is_ellipsized(t[i].layout);
        }
        chosen = sizes[k];
        if (ok || k + 1 == sizeof sizes / sizeof sizes[0])
            break;
        for (size_t i = 0; i < n; i++)
            chart_text_free(&t[i]);
    }
    return chosen;
}

/* The widest word of s at size points (whether a label can wrap without breaking a word). */
static double widest_word(chart_ctx *c, const char *s, double size)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", s);
    double w = 0;
    for (char *save, *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        chart_text t;
        if (chart_text_make(c, &t, tok, size, 0, 0, 0))
            return 1e9;
        w = fmax(w, t.w);
        chart_text_free(&t);
    }
    return w;
}

typedef struct {
    chart_text *t;
    size_t n;
    int up;        /* vertical bars: labels turned */
    double extent; /* room they take below (vertical) or to the left (horizontal) */
} cat_labels;

static void cat_labels_free(cat_labels *l)
{
    for (size_t i = 0; l->t && i < l->n; i++)
        chart_text_free(&l->t[i]);
    free(l->t);
}

static int cat_labels_make(chart_ctx *c, const chart_model *m, int horiz, double room, double band,
                           cat_labels *l)
{
    const char **s = calloc(m->cat.n, sizeof *s);
    l->n = m->cat.n;
    l->t = calloc(m->cat.n, sizeof *l->t);
    l->up = 0;
    if (!s || !l->t) {
        free(s);
        c->oom = 1;
        return -1;
    }
    for (size_t i = 0; i < m->cat.n; i++)
        s[i] = m->cat.items[i].label;
    if (horiz) {
        /* room: the widest the label column may be */
        double natural = 0;
        for (size_t i = 0; i < m->cat.n; i++) {
            chart_text t;
            chart_text_make(c, &t, s[i], CHART_PT_LABEL, 0, 0, 0);
            natural = fmax(natural, t.w);
            chart_text_free(&t);
        }
        fit_labels(c, l->t, s, m->cat.n, fmin(natural + 1, room), band * 0.98, CHART_PT_LABEL);
        l->extent = 0;
        for (size_t i = 0; i < m->cat.n; i++) {
            chart_text_align(&l->t[i], 2);
            l->extent = fmax(l->extent, l->t[i].w);
        }
    } else {
        /* upright if every word fits the band at some size down to 6 pt, else turned */
        double size = 0;
        for (double fs = CHART_PT_LABEL; fs >= 5.99 && size == 0; fs -= 0.5) {
            int ok = 1;
            for (size_t i = 0; i < m->cat.n && ok; i++)
                ok = widest_word(c, s[i], fs) <= band * 0.95;
            if (ok)
                size = fs;
        }
        if (size > 0) {
            double max_h = 0;
            for (size_t i = 0; i < m->cat.n; i++) {
                chart_text_make(c, &l->t[i], s[i], size, 0, band * 0.95, 5);
                chart_text_align(&l->t[i], 1);
                max_h = fmax(max_h, l->t[i].h);
            }
            l->extent = max_h;
        } else {
            l->up = 1;
            fit_labels(c, l->t, s, m->cat.n, room, band * 0.98, CHART_PT_LABEL);
            l->extent = 0;
            for (size_t i = 0; i < m->cat.n; i++)
                l->extent = fmax(l->extent, l->t[i].w);
        }
    }
    free(s);
    /* labels that do not fit their band even at the smallest size: refuse, never overlap */
    for (size_t i = 0; i < m->cat.n && !c->oom && !*c->too_small; i++)
        if ((horiz ? l->t[i].h : l->up ? l->t[i].h : 0) > band * 0.98 + 0.01)
            snprintf(c->too_small, sizeof c->too_small,
                     "the chart is too small for %zu categories: give it more %s", m->cat.n,
                     horiz ? "height" : "width");
    return c->oom || *c->too_small ? -1 : 0;
}

/* Tick labels of the value axis. */
typedef struct {
    chart_ticks tk;
    chart_text t[64];
    size_t n;
    double max_w, max_h;
    double x_min, x_max; /* horizontal axis: labels stay inside */
} tick_labels;

static double clampd(double v, double lo, double hi)
{
    return v > hi ? hi : v < lo ? lo : v;
}

static void ticks_make(chart_ctx *c, tick_labels *tl, double lo, double hi, double len,
                       int count_axis)
{
    int n = (int)fmax(2, fmin(8, len / 32));
    chart_nice_ticks(lo, hi, n, &tl->tk);
    if (count_axis && tl->tk.step < 1) { /* no fractions of persons */
        chart_nice_ticks(lo, fmax(hi, lo + 1), 1, &tl->tk);
        tl->tk.step = fmax(tl->tk.step, 1);
        tl->tk.decimals = 0;
    }
    tl->n = 0;
    tl->max_w = tl->max_h = 0;
    for (double v = tl->tk.lo; v <= tl->tk.hi + tl->tk.step * 1e-6 && tl->n < 64;
         v += tl->tk.step) {
        char buf[48];
        chart_tick_text(&tl->tk, v, buf, sizeof buf);
        chart_text_make(c, &tl->t[tl->n], buf, CHART_PT_SMALL, 0, 0, 0);
        tl->max_w = fmax(tl->max_w, tl->t[tl->n].w);
        tl->max_h = fmax(tl->max_h, tl->t[tl->n].h);
        tl->n++;
    }
}

static void ticks_free(tick_labels *tl)
{
    for (size_t i = 0; i < tl->n; i++)
        chart_text_free(&tl->t[i]);
    tl->n = 0;
}

/* Gridlines and tick labels along the value axis; cross span [k0, k1]. Labels that would
 * touch their neighbour are left out (every second one). */
static void ticks_draw(chart_ctx *c, const geo *g, tick_labels *tl, double k0, double k1)
{
    double spacing = fabs(vpos(g, tl->tk.lo + tl->tk.step) - vpos(g, tl->tk.lo));
    size_t every = 1;
    double need = g->horiz ? tl->max_w + 4 : tl->max_h + 2;
    while (every < tl->n && spacing * (double)every < need)
        every++;
    double last0 = 0, last1 = 0; /* the label drawn before, along the axis */
    int any = 0;
    for (size_t i = 0; i < tl->n; i++) {
        double v = tl->tk.lo + (double)i * tl->tk.step, p = vpos(g, v);
        int zero = fabs(v) < tl->tk.step * 1e-6;
        if (g->horiz)
            chart_line(c, p, k0, p, k1, zero ? 0.8 : 0.4, zero ? chart_grey : chart_grid);
        else
            chart_line(c, k0, p, k1, p, zero ? 0.8 : 0.4, zero ? chart_grey : chart_grid);
        if (i % every)
            continue;
        const chart_text *t = &tl->t[i];
        /* kept inside the chart; left out where that would touch its neighbour */
        double a = g->horiz ? clampd(p - t->w / 2, tl->x_min, tl->x_max - t->w) : p - t->h / 2;
        double b = a + (g->horiz ? t->w : t->h);
        if (any && a < last1 + 3 && last0 < b + 3)
            continue;
        if (g->horiz)
            chart_text_draw(c, t, a, k1 + 2, chart_grey, BIMO_CHART_TEXT);
        else
            chart_text_draw(c, t, k0 - 3 - t->w, a, chart_grey, BIMO_CHART_TEXT);
        last0 = a;
        last1 = b;
        any = 1;
    }
}

/* Scale: the largest pixels per unit with which every label set outside its bar stays in
 * the plot. ends[i] is a bar's end value, ext[i] its label's extent along the axis. */
static double fit_scale(const geo *g0, const double *ends, const double *ext, size_t n)
{
    double room = fabs(g0->p1 - g0->p0), s = room / (g0->hi - g0->lo);
    for (int iter = 0; iter < 3; iter++) {
        double s2 = room / (g0->hi - g0->lo);
        for (size_t i = 0; i < n; i++) {
            double len = (ends[i] - g0->lo) * s;
            if (ext[i] <= 0 || ends[i] <= 0)
                continue;
            int outside = len - 0 * g0->lo < ext[i] + 2 * CHART_PAD;
            if (outside || ends[i] - g0->lo > 0)
                if (outside && (ends[i] - g0->lo) > 0)
                    s2 = fmin(s2, (room - CHART_PAD - ext[i]) / (ends[i] - g0->lo));
        }
        s = s2;
    }
    return s;
}

int chart_draw_bars(chart_ctx *c, const chart_model *m, chart_box plot, int horiz, int stacked,
                    int percent)
{
    size_t nc = m->cat.n, ns = m->ser.n;
    bar_val *vals = calloc(nc * ns, sizeof *vals);
    double *ends = calloc(nc * ns, sizeof *ends), *ext = calloc(nc * ns, sizeof *ext);
    chart_text *vt = calloc(nc * ns, sizeof *vt), *symt = calloc(nc, sizeof *symt);
    cat_labels cl = {0};
    tick_labels tl = {0};
    int rc = -1;
    if (!vals || !ends || !ext || !vt || !symt) {
        c->oom = 1;
        goto done;
    }
    bar_values(c, m, percent, vals);
    /* value range */
    double lo = 0, hi = 0;
    for (size_t i = 0; i < nc; i++) {
        double pos = 0, neg = 0;
        for (size_t s = 0; s < ns; s++) {
            const bar_val *b = &vals[i * ns + s];
            if (!b->shown)
                continue;
            if (stacked) {
                pos += fmax(b->len, 0);
                neg += fmin(b->len, 0);
            } else {
                hi = fmax(hi, b->len);
                lo = fmin(lo, b->len);
            }
        }
        hi = fmax(hi, pos);
        lo = fmin(lo, neg);
    }
    if (percent)
        hi = 100;
    if (hi <= lo)
        hi = lo + 1;
    int count_axis = c->ind->kind == BIMO_KIND_COUNT && !percent;
    double vlen = horiz ? plot.x1 - plot.x0 : plot.y1 - plot.y0;
    ticks_make(c, &tl, lo, hi, vlen * 0.8, count_axis);
    tl.x_min = plot.x0;
    tl.x_max = plot.x1;
    const char *caption = chart_unit_caption(c, percent);
    chart_text cap;
    chart_text_make(c, &cap, caption, CHART_PT_SMALL, 0, 0, 0);

    geo g = {.horiz = horiz, .lo = tl.tk.lo, .hi = tl.tk.hi};
    int total_first = m->cat.with_total && nc > 1;
    double first_gap = total_first ? 6 : 0;
    if (horiz) {
        double bottom = plot.y1 - tl.max_h - 3 - cap.h - 1;
        double band = (bottom - plot.y0 - first_gap) / (double)nc;
        if (cat_labels_make(c, m, 1, (plot.x1 - plot.x0) * 0.38, band, &cl))
            goto done;
        g.p0 = plot.x0 + cl.extent + 5;
        g.p1 = plot.x1 - 1;
        g.c0 = plot.y0;
        g.band = band;
    } else {
        double left = plot.x0 + tl.max_w + 4;
        double band = (plot.x1 - left - first_gap) / (double)nc;
        if (cat_labels_make(c, m, 0, (plot.y1 - plot.y0) * 0.35, band, &cl))
            goto done;
        g.c0 = left;
        g.band = band;
        g.p0 = plot.y1 - cl.extent - 4;
        g.p1 = plot.y0 + cap.h + 2 + tl.max_h / 2;
    }
    g.gap_after_first = first_gap;

    /* value labels and where each bar ends */
    int grouped = ns > 1 && !stacked;
    double thick = grouped ? g.band * 0.8 / (double)ns : g.band * 0.75;
    /* a value label may use its bar's whole slot across */
    double slot = grouped ? thick : stacked ? thick + 1.5 : g.band * 0.95;
    double vsize = fmin(CHART_PT_VALUE, fmax(4.5, slot / 1.17));
    int up_values = 0;
    if (!horiz) { /* value labels upright when they are wider than the bar's room */
        for (size_t i = 0; i < nc * ns && !up_values; i++) {
            chart_text t;
            chart_text_make(c, &t, vals[i].text, vsize, 0, 0, 0);
            up_values = t.w > slot * 0.95;
            chart_text_free(&t);
        }
    }
    int show_values = horiz || up_values ? slot >= 4.5 * 1.17 : 1;
    for (size_t i = 0; i < nc; i++) {
        double pos = 0;
        char sym[128] = "";
        for (size_t s = 0; s < ns; s++) {
            bar_val *b = &vals[i * ns + s];
            chart_text_make(c, &vt[i * ns + s], b->text, vsize, !b->shown, 0, 0);
            if (!b->shown) {
                if (!strstr(sym, b->text))
                    snprintf(sym + strlen(sym), sizeof sym - strlen(sym), "%s%s", *sym ? " " : "",
                             b->text);
                continue;
            }
            if (!stacked) {
                ends[i * ns + s] = b->len;
                ext[i * ns + s] = show_values ? along(&g, &vt[i * ns + s], up_values) : 0;
            }
            pos += fmax(b->len, 0);
        }
        if (stacked && *sym) {
            chart_text_make(c, &symt[i], sym, vsize, 1, 0, 0);
            ends[i * ns] = pos;
            ext[i * ns] = along(&g, &symt[i], 0);
        }
    }
    if (!stacked) /* symbols of suppressed bars sit at zero */
        for (size_t k = 0; k < nc * ns; k++)
            if (!vals[k].shown) {
                ends[k] = 0;
                ext[k] = 0;
            }
    double s = fit_scale(&g, ends, ext, nc * ns);
    double full = fabs(g.p1 - g.p0);
    g.p1 = g.p0 + vdir(&g) * s * (g.hi - g.lo);
    (void)full;

    /* grid, ticks, caption */
    double k0 = g.c0, k1 = band_start(&g, nc - 1) + g.band;
    ticks_draw(c, &g, &tl, k0, horiz ? k1 : plot.x1);
    if (horiz)
        chart_text_draw(c, &cap, plot.x1 - cap.w, k1 + 2 + tl.max_h + 1, chart_grey,
                        BIMO_CHART_TEXT);
    else
        chart_text_draw(c, &cap, plot.x0, plot.y0, chart_grey, BIMO_CHART_TEXT);

    /* bars */
    for (size_t i = 0; i < nc; i++) {
        double b0 = band_start(&g, i), mid = b0 + g.band / 2;
        double pos = 0, neg = 0;
        for (size_t sidx = 0; sidx < ns; sidx++) {
            const bar_val *b = &vals[i * ns + sidx];
            chart_rgb col = ns > 1 ? m->ser.items[sidx].colour : m->cat.items[i].colour;
            if (ns == 1 && !m->cat.items[i].fixed)
                col = m->cat.items[i].code ? chart_main_colour : chart_total_colour;
            double kk0, kk1;
            if (stacked || ns == 1) {
                kk0 = mid - thick / 2;
                kk1 = mid + thick / 2;
            } else {
                kk0 = b0 + g.band * 0.1 + (double)sidx * thick;
                kk1 = kk0 + thick;
            }
            if (!horiz) { /* vertical: bands run left to right; geometry is the same */
            }
            if (!b->shown) {
                if (!stacked)
                    place_text(c, &g, &vt[i * ns + sidx], 0, vpos(&g, 0) + vdir(&g) * CHART_PAD,
                               vdir(&g), (kk0 + kk1) / 2, chart_grey, BIMO_CHART_SYMBOL);
                continue;
            }
            double v0 = 0, v1 = b->len;
            if (stacked) {
                v0 = b->len >= 0 ? pos : neg;
                v1 = v0 + b->len;
                if (b->len >= 0)
                    pos = v1;
                else
                    neg = v1;
            }
            bar_rect(c, &g, kk0, kk1, v0, v1, col, b->text);
            chart_text *t = &vt[i * ns + sidx];
            if (stacked) {
                double len = fabs(vpos(&g, v1) - vpos(&g, v0));
                if (along(&g, t, 0) + 2 * CHART_PAD <= len && across(&g, t, 0) <= kk1 - kk0 + 1.5)
                    place_text(c, &g, t, 0,
                               (vpos(&g, v0) + vpos(&g, v1)) / 2 - vdir(&g) * along(&g, t, 0) / 2,
                               vdir(&g), (kk0 + kk1) / 2, chart_text_on(col), BIMO_CHART_TEXT);
            } else if (show_values) {
                value_label(c, &g, t, up_values, 0, b->len, kk0, kk1, col, 1);
            }
        }
        if (stacked && symt[i].layout)
            place_text(c, &g, &symt[i], 0, vpos(&g, pos) + vdir(&g) * CHART_PAD, vdir(&g), mid,
                       chart_grey, BIMO_CHART_SYMBOL);
    }
    /* category labels */
    for (size_t i = 0; i < nc; i++) {
        double b0 = band_start(&g, i), mid = b0 + g.band / 2;
        const chart_text *t = &cl.t[i];
        if (horiz)
            chart_text_draw(c, t, g.p0 - 4 - t->w, mid - t->h / 2, chart_ink, BIMO_CHART_TEXT);
        else if (cl.up)
            chart_text_draw_up(c, t, mid - t->h / 2, g.p0 + 4, chart_ink, BIMO_CHART_TEXT);
        else
            chart_text_draw(c, t, mid - t->w / 2, g.p0 + 4, chart_ink, BIMO_CHART_TEXT);
    }
    rc = c->oom ? -1 : 0;
    chart_text_free(&cap);
done:
    for (size_t k = 0; vt && k < nc * ns; k++)
        chart_text_free(&vt[k]);
    for (size_t k = 0; symt && k < nc; k++)
        chart_text_free(&symt[k]);
    cat_labels_free(&cl);
    ticks_free(&tl);
    free(vals);
    free(ends);
    free(ext);
    free(vt);
    free(symt);
    return rc;
}

/* ---- Population pyramid --------------------------------------------------------------------- */

static int item_index(const chart_axis *ax, const char *code)
{
    for (size_t i = 0; i < ax->n; i++)
        if (ax->items[i].code && strcmp(ax->items[i].code, code) == 0)
            return (int)i;
    return -1;
}

int chart_draw_pyramid(chart_ctx *c, const chart_model *m, chart_box plot)
{
    int side_ser[2] = {item_index(&m->ser, "m"), item_index(&m->ser, "w")};
    size_t na = m->cat.n, nk = m->sub.n;
    int split = m->sub.src != AX_NONE;
    double max = 0;
    for (size_t a = 0; a < na; a++)
        for (int sd = 0; sd < 2; sd++) {
            double sum = 0;
            for (size_t k = 0; side_ser[sd] >= 0 && k < nk; k++) {
                const chart_cell *cell = chart_cell_at(m, a, (size_t)side_ser[sd], k);
                sum += cell->shown ? fmax(cell->v, 0) : 0;
            }
            max = fmax(max, sum);
        }
    if (max <= 0)
        max = 1;
    /* age labels in the middle column, sides' headings on top, ticks below */
    chart_text head[2];
    for (int sd = 0; sd < 2; sd++)
        chart_text_make(c, &head[sd],
                        side_ser[sd] >= 0 ? m->ser.items[side_ser[sd]].label
                        : sd              ? "weiblich"
                                          : "männlich",
                        CHART_PT_LABEL, 1, 0, 0);
    tick_labels tl = {0};
    double half = (plot.x1 - plot.x0) / 2;
    ticks_make(c, &tl, 0, max, half * 0.7, c->ind->kind == BIMO_KIND_COUNT);
    tl.x_min = plot.x0;
    tl.x_max = plot.x1;
    chart_text cap;
    chart_text_make(c, &cap, chart_unit_caption(c, 0), CHART_PT_SMALL, 0, 0, 0);
    double top = plot.y0 + fmax(head[0].h, head[1].h) + 2;
    double bottom = plot.y1 - tl.max_h - 3 - cap.h - 1;
    double band = (bottom - top) / (double)na;
    const char **s = calloc(na, sizeof *s);
    chart_text *lab = calloc(na, sizeof *lab);
    chart_text *vt = calloc(na * 2 * nk, sizeof *vt);
    if (!s || !lab || !vt) {
        free(s);
        free(lab);
        free(vt);
        c->oom = 1;
        return -1;
    }
    for (size_t a = 0; a < na; a++)
        s[a] = m->cat.items[a].label;
    fit_labels(c, lab, s, na, half * 0.4, band * 0.98, CHART_PT_LABEL);
    double mid_w = 0;
    for (size_t a = 0; a < na; a++) {
        chart_text_align(&lab[a], 1);
        mid_w = fmax(mid_w, lab[a].w);
    }
    double cx = (plot.x0 + plot.x1) / 2, gap = mid_w / 2 + 4;
    double thick = band * 0.8, vsize = fmin(CHART_PT_VALUE, fmax(5.0, thick / 1.2));
    /* each side is an axis from the centre outwards; fit room for outside labels */
    geo side[2];
    double room = half - gap - 1;
    double *ends = calloc(na * 2, sizeof *ends), *ext = calloc(na * 2, sizeof *ext);
    if (!ends || !ext)
        c->oom = 1;
    for (size_t a = 0; a < na && ends && ext; a++)
        for (int sd = 0; sd < 2; sd++) {
            double sum = 0;
            for (size_t k = 0; side_ser[sd] >= 0 && k < nk; k++) {
                const chart_cell *cell = chart_cell_at(m, a, (size_t)side_ser[sd], k);
                chart_text_make(c, &vt[(a * 2 + (size_t)sd) * nk + k], cell->text, vsize, 0, 0, 0);
                sum += cell->shown ? cell->v : 0;
            }
            ends[a * 2 + (size_t)sd] = sum;
            ext[a * 2 + (size_t)sd] =
                split || side_ser[sd] < 0 ? 0 : vt[(a * 2 + (size_t)sd) * nk].w;
        }
    geo g0 = {.horiz = 1, .p0 = 0, .p1 = room, .lo = 0, .hi = tl.tk.hi};
    double sc = ends ? fit_scale(&g0, ends, ext, na * 2) : 1;
    for (int sd = 0; sd < 2; sd++) {
        double p0 = sd ? cx + gap : cx - gap, dir = sd ? 1 : -1;
        side[sd] = (geo){1, p0, p0 + dir * sc * tl.tk.hi, 0, tl.tk.hi, top, band, 0};
    }
    /* gridlines and ticks on both sides */
    ticks_draw(c, &side[0], &tl, top, bottom);
    ticks_draw(c, &side[1], &tl, top, bottom);
    chart_text_draw(c, &cap, plot.x1 - cap.w, bottom + 2 + tl.max_h + 1, chart_grey,
                    BIMO_CHART_TEXT);
    for (int sd = 0; sd < 2; sd++)
        chart_text_draw(c, &head[sd], sd ? cx + gap : cx - gap - head[sd].w, plot.y0, chart_ink,
                        BIMO_CHART_TEXT);
    /* bars: the youngest at the bottom */
    for (size_t a = 0; a < na; a++) {
        double b0 = bottom - (double)(a + 1) * band, mid = b0 + band / 2;
        for (int sd = 0; sd < 2; sd++) {
            if (side_ser[sd] < 0)
                continue;
            const geo *g = &side[sd];
            double pos = 0;
            char sym[128] = "";
            for (size_t k = 0; k < nk; k++) {
                const chart_cell *cell = chart_cell_at(m, a, (size_t)side_ser[sd], k);
                chart_text *t = &vt[(a * 2 + (size_t)sd) * nk + k];
                if (!cell->shown) {
                    if (!strstr(sym, cell->text))
                        snprintf(sym + strlen(sym), sizeof sym - strlen(sym), "%s%s",
                                 *sym ? " " : "", cell->text);
                    continue;
                }
                chart_rgb col = split ? m->sub.items[k].colour : m->ser.items[side_ser[sd]].colour;
                bar_rect(c, g, mid - thick / 2, mid + thick / 2, pos, pos + cell->v, col,
                         cell->text);
                if (split) {
                    double len = fabs(vpos(g, pos + cell->v) - vpos(g, pos));
                    if (t->w + 2 * CHART_PAD <= len && t->h <= thick)
                        chart_text_draw(c, t,
                                        (vpos(g, pos) + vpos(g, pos + cell->v)) / 2 - t->w / 2,
                                        mid - t->h / 2, chart_text_on(col), BIMO_CHART_TEXT);
                } else {
                    value_label(c, g, t, 0, 0, cell->v, mid - thick / 2, mid + thick / 2, col, 1);
                }
                pos += cell->v;
            }
            if (*sym) {
                chart_text st;
                chart_text_make(c, &st, sym, vsize, 1, 0, 0);
                place_text(c, g, &st, 0, vpos(g, pos) + (sd ? 1 : -1) * CHART_PAD, sd ? 1 : -1, mid,
                           chart_grey, BIMO_CHART_SYMBOL);
                chart_text_free(&st);
            }
        }
        chart_text_draw(c, &lab[a], cx - lab[a].w / 2, mid - lab[a].h / 2, chart_ink,
                        BIMO_CHART_TEXT);
    }
    for (size_t i = 0; i < na * 2 * nk; i++)
        chart_text_free(&vt[i]);
    for (size_t a = 0; a < na; a++)
        chart_text_free(&lab[a]);
    for (int sd = 0; sd < 2; sd++)
        chart_text_free(&head[sd]);
    chart_text_free(&cap);
    ticks_free(&tl);
    free(s);
    free(lab);
    free(vt);
    free(ends);
    free(ext);
    return c->oom ? -1 : 0;
}
