/* typeset.c — pages for the report: items laid out with pango, paginated in a first pass (so
 * the contents know every page number), then drawn with cairo in a second pass. */
#include "typeset.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

/* ---- Page geometry and type scale (points) --------------------------------------------------- */

#define PAGE_W   595.276
#define PAGE_H   841.890
#define M_LEFT   70.0
#define M_RIGHT  62.0
#define M_TOP    76.0
#define M_BOTTOM 70.0
#define TEXT_W   (PAGE_W - M_LEFT - M_RIGHT)
#define BODY_TOP M_TOP
#define BODY_BOT (PAGE_H - M_BOTTOM)
#define LIST_IND 16.0 /* indentation per list level */
#define CELL_PX  3.5  /* table cell padding, horizontal */
#define CELL_PY  2.2  /* and vertical */

static const char F_BODY[] = "DejaVu Serif 9.5";
static const char F_CODE[] = "DejaVu Sans Mono 8";
static const char F_SMALL[] = "DejaVu Sans 8";
static const char F_CAPTION[] = "DejaVu Sans Bold 8.8";
static const char F_SUB[] = "DejaVu Sans 8";
static const char F_NOTE[] = "DejaVu Sans 6.8";
static const char F_TABLE[] = "DejaVu Sans 7.3";
static const char F_TABLE_SMALL[] = "DejaVu Sans 6.2"; /* headers of wide tables */
static const char F_RUN[] = "DejaVu Sans 7.3";
static const char *const F_HEAD[3] = {"DejaVu Sans Bold 16", "DejaVu Sans Bold 12",
                                      "DejaVu Sans Bold 10"};
static const double HEAD_BEFORE[3] = {0, 16, 11}, HEAD_AFTER[3] = {14, 7, 5};
#define PARA_AFTER 6.0
#define BLOCK_GAP  14.0 /* space around figures and tables */

/* Colours: a dark blue for headings and rules, greys for secondary text. */
#define C_ACCENT 0.106, 0.267, 0.427
#define C_TEXT   0.10, 0.10, 0.10
#define C_GREY   0.38, 0.38, 0.38
#define C_HEADBG 0.898, 0.922, 0.945

double ts_text_width(void)
{
    return TEXT_W;
}

/* ---- Buffers ----------------------------------------------------------------------------------
 */

int ts_buf_add(ts_buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = (b->n + n + 1) * 2;
        char *ns = realloc(b->s, cap);
        if (!ns)
            return -1;
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
    return 0;
}

int ts_buf_addf(ts_buf *b, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    if ((size_t)n < sizeof tmp)
        return ts_buf_add(b, tmp, (size_t)n);
    char *big = malloc((size_t)n + 1);
    if (!big)
        return -1;
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    int rc = ts_buf_add(b, big, (size_t)n);
    free(big);
    return rc;
}

int ts_buf_escape(ts_buf *b, const char *text)
{
    char *e = g_markup_escape_text(text, -1);
    if (!e)
        return -1;
    int rc = ts_buf_add(b, e, strlen(e));
    g_free(e);
    return rc;
}

/* ---- Grids ------------------------------------------------------------------------------------
 */

ts_grid *ts_grid_new(size_t rows, size_t cols, size_t nhead)
{
    ts_grid *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->nrows = rows;
    g->ncols = cols;
    g->nhead = nhead;
    g->cells = calloc(rows * cols + 1, sizeof *g->cells);
    g->right = calloc(cols ? cols : 1, 1);
    g->bold_col = calloc(cols ? cols : 1, 1);
    g->bold_row = calloc(rows ? rows : 1, 1);
    g->indent = calloc(rows ? rows : 1, 1);
    if (!g->cells || !g->right || !g->bold_col || !g->bold_row || !g->indent) {
        ts_grid_free(g);
        return NULL;
    }
    return g;
}

void ts_grid_free(ts_grid *g)
{
    if (!g)
        return;
    for (size_t i = 0; g->cells && i < g->nrows * g->ncols; i++)
        free(g->cells[i]);
    free(g->cells);
    free(g->right);
    free(g->bold_col);
    free(g->bold_row);
    free(g->indent);
    free(g);
}

int ts_grid_set(ts_grid *g, size_t r, size_t c, const char *markup)
{
    char *s = strdup(markup ? markup : "");
    if (!s)
        return -1;
    free(g->cells[r * g->ncols + c]);
    g->cells[r * g->ncols + c] = s;
    return 0;
}

/* ---- Items ------------------------------------------------------------------------------------
 */

typedef enum { IT_HEADING, IT_PARA, IT_FIGURE, IT_TABLE } it_kind;

/* A laid-out text: its layout and the top and height of every line. */
typedef struct {
    PangoLayout *lay;
    int nlines;
    double *top, *lh; /* per line */
    double h;
} text_box;

typedef struct {
    it_kind kind;
    int level, style, indent;
    char *number, *markup, *marker;
    char *caption, *subtitle, *notes, *list_title;
    double body_h;
    ts_draw_fn draw;
    void *ctx;
    ts_grid *grid;
    /* pass one */
    text_box text, mark, cap, sub, note, cont;
    text_box *cells; /* grid cells */
    double *col_w, *row_h, head_h;
    const char *head_font;
    int page; /* first page it appears on */
} item;

/* Where a part of an item goes: lines or rows [from, to) at y on page. */
typedef struct {
    size_t item;
    int page;
    double y;
    size_t from, to;
    int first, last; /* the part holds the item's start / end */
} placement;

struct ts_doc {
    ts_meta meta;
    char *strs[8]; /* owned copies of the meta strings */
    item *items;
    size_t n, cap;
    PangoFontMap *fm;
    PangoContext *pc;
    placement *pl;
    size_t npl, cappl;
    int toc_pages, first_body, last_page;
    int oom;
};

static char *dup0(const char *s)
{
    return s ? strdup(s) : NULL;
}

ts_doc *ts_new(const ts_meta *meta)
{
    ts_doc *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    const char *src[7] = {meta->title,      meta->subtitle,     meta->district, meta->authors,
                          meta->date_label, meta->period_label, meta->notice};
    const char **dst[7] = {&d->meta.title,   &d->meta.subtitle,   &d->meta.district,
                           &d->meta.authors, &d->meta.date_label, &d->meta.period_label,
                           &d->meta.notice};
    for (int i = 0; i < 7; i++) {
        d->strs[i] = dup0(src[i]);
        if (src[i] && !d->strs[i]) {
            ts_free(d);
            return NULL;
        }
        *dst[i] = d->strs[i];
    }
    d->fm = pango_cairo_font_map_new();
    if (!d->fm) {
        ts_free(d);
        return NULL;
    }
    /* 72 dpi: one pango point is one PDF point. */
    pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(d->fm), 72.0);
    d->pc = pango_font_map_create_context(d->fm);
    cairo_font_options_t *fo = cairo_font_options_create();
    /* Unhinted metrics: the layout measured in pass one is the layout drawn in pass two. */
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(d->pc, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_language(d->pc, pango_language_from_string("de-de"));
    return d;
}

static void box_free(text_box *b)
{
    if (b->lay)
        g_object_unref(b->lay);
    free(b->top);
    free(b->lh);
    memset(b, 0, sizeof *b);
}

void ts_free(ts_doc *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        item *it = &d->items[i];
        free(it->number);
        free(it->markup);
        free(it->marker);
        free(it->caption);
        free(it->subtitle);
        free(it->notes);
        free(it->list_title);
        box_free(&it->text);
        box_free(&it->mark);
        box_free(&it->cap);
        box_free(&it->sub);
        box_free(&it->note);
        box_free(&it->cont);
        if (it->cells)
            for (size_t c = 0; c < it->grid->nrows * it->grid->ncols; c++)
                box_free(&it->cells[c]);
        free(it->cells);
        free(it->col_w);
        free(it->row_h);
        ts_grid_free(it->grid);
    }
    free(d->items);
    free(d->pl);
    for (int i = 0; i < 8; i++)
        free(d->strs[i]);
    if (d->pc)
        g_object_unref(d->pc);
    if (d->fm)
        g_object_unref(d->fm);
    free(d);
}

static item *add(ts_doc *d, it_kind kind)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 64;
        item *ni = realloc(d->items, cap * sizeof *ni);
        if (!ni)
            return NULL;
        d->items = ni;
        d->cap = cap;
    }
    item *it = &d->items[d->n++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    return it;
}

#define DUP_OR_FAIL(dst, src)                                                                      \
    do {                                                                                           \
        if ((src) && !((dst) = strdup(src)))                                                       \
            return -1;                                                                             \
    } while (0)

int ts_heading(ts_doc *d, int level, const char *number, const char *markup)
{
    item *it = add(d, IT_HEADING);
    if (!it)
        return -1;
    it->level = level < 1 ? 1 : level > 3 ? 3 : level;
    DUP_OR_FAIL(it->number, number);
    DUP_OR_FAIL(it->markup, markup);
    return 0;
}

int ts_paragraph(ts_doc *d, const char *markup, int style, int indent, const char *marker)
{
    item *it = add(d, IT_PARA);
    if (!it)
        return -1;
    it->style = style;
    it->indent = indent;
    DUP_OR_FAIL(it->markup, markup);
    DUP_OR_FAIL(it->marker, marker);
    return 0;
}

int ts_figure(ts_doc *d, const char *caption, const char *subtitle, const char *notes, double h,
              ts_draw_fn draw, void *ctx, const char *list_title)
{
    item *it = add(d, IT_FIGURE);
    if (!it)
        return -1;
    it->body_h = h;
    it->draw = draw;
    it->ctx = ctx;
    DUP_OR_FAIL(it->caption, caption);
    DUP_OR_FAIL(it->subtitle, subtitle);
    DUP_OR_FAIL(it->notes, notes);
    DUP_OR_FAIL(it->list_title, list_title);
    return 0;
}

int ts_table(ts_doc *d, const char *caption, const char *subtitle, ts_grid *grid, const char *notes,
             const char *list_title)
{
    item *it = add(d, IT_TABLE);
    if (!it) {
        ts_grid_free(grid);
        return -1;
    }
    it->grid = grid;
    DUP_OR_FAIL(it->caption, caption);
    DUP_OR_FAIL(it->subtitle, subtitle);
    DUP_OR_FAIL(it->notes, notes);
    DUP_OR_FAIL(it->list_title, list_title);
    return 0;
}

/* ---- Pass one: measuring -------------------------------------------------------------------- */

/* Lays out markup in font at width (0: no wrapping) and records its lines. */
static int measure(ts_doc *d, text_box *b, const char *markup, const char *font, double width,
                   int justify, PangoAlignment align, double spacing)
{
    box_free(b);
    b->lay = pango_layout_new(d->pc);
    PangoFontDescription *fd = pango_font_description_from_string(font);
    pango_layout_set_font_description(b->lay, fd);
    pango_font_description_free(fd);
    if (width > 0) {
        pango_layout_set_width(b->lay, (int)(width * PANGO_SCALE));
        pango_layout_set_wrap(b->lay, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_justify(b->lay, justify);
    pango_layout_set_alignment(b->lay, align);
    if (spacing > 0)
        pango_layout_set_line_spacing(b->lay, (float)spacing);
    pango_layout_set_markup(b->lay, markup ? markup : "", -1);
    b->nlines = pango_layout_get_line_count(b->lay);
    b->top = calloc((size_t)b->nlines + 1, sizeof *b->top);
    b->lh = calloc((size_t)b->nlines + 1, sizeof *b->lh);
    if (!b->top || !b->lh)
        return -1;
    PangoLayoutIter *iter = pango_layout_get_iter(b->lay);
    int i = 0;
    do {
        int y0, y1;
        pango_layout_iter_get_line_yrange(iter, &y0, &y1);
        b->top[i] = (double)y0 / PANGO_SCALE;
        b->lh[i] = (double)(y1 - y0) / PANGO_SCALE;
        i++;
    } while (i < b->nlines && pango_layout_iter_next_line(iter));
    pango_layout_iter_free(iter);
    int w, h;
    pango_layout_get_size(b->lay, &w, &h);
    b->h = (double)h / PANGO_SCALE;
    return 0;
}

static double width_of(ts_doc *d, const char *markup, const char *font)
{
    text_box b = {0};
    double w = 0;
    if (measure(d, &b, markup, font, 0, 0, PANGO_ALIGN_LEFT, 0) == 0) {
        PangoRectangle ink, log;
        pango_layout_get_extents(b.lay, &ink, &log);
        w = (double)log.width / PANGO_SCALE;
    }
    box_free(&b);
    return w;
}

static const char *para_font(int style)
{
    return style == TS_CODE ? F_CODE : style == TS_SMALL ? F_SMALL : F_BODY;
}

static double para_x(const item *it)
{
    return it->indent * LIST_IND + (it->style == TS_QUOTE ? 14 : 0);
}

static int measure_table(ts_doc *d, item *it)
{
    ts_grid *g = it->grid;
    size_t nc = g->ncols, nr = g->nrows;
    it->cells = calloc(nr * nc + 1, sizeof *it->cells);
    it->col_w = calloc(nc ? nc : 1, sizeof *it->col_w);
    it->row_h = calloc(nr ? nr : 1, sizeof *it->row_h);
    if (!it->cells || !it->col_w || !it->row_h)
        return -1;
    /* Each column wants its body on one line and its header within about 60 pt; it needs
     * at least its widest number (numbers never wrap) and its header's longest word. */
    double *want = calloc(nc + 1, sizeof *want), *need = calloc(nc + 1, sizeof *need);
    if (!want || !need) {
        free(want);
        free(need);
        return -1;
    }
    double sum = 0, sum_need = 0;
    it->head_font = F_TABLE;
again:
    sum = sum_need = 0;
    for (size_t c = 0; c < nc; c++) {
        double body = 0, head = 0, word = 0;
        for (size_t r = 0; r < nr; r++) {
            int bold = r < g->nhead || g->bold_row[r] || g->bold_col[c];
            const char *cell = g->cells[r * nc + c] ? g->cells[r * nc + c] : "";
            ts_buf b = {0};
            if (ts_buf_addf(&b, bold ? "<b>%s</b>" : "%s", cell) != 0)
                return -1;
            double cw = width_of(d, b.s, r < g->nhead ? it->head_font : F_TABLE) +
                        (c == 0 ? g->indent[r] * 8.0 : 0);
            free(b.s);
            if (r >= g->nhead) {
                body = cw > body ? cw : body;
                continue;
            }
            head = cw > head ? cw : head;
            for (const char *w = cell; *w;) { /* the header's words */
                size_t n = strcspn(w, " ");
                b = (ts_buf){0};
                if (ts_buf_addf(&b, "<b>%.*s</b>", (int)n, w) != 0)
                    return -1;
                double ww = width_of(d, b.s, it->head_font);
                free(b.s);
                word = ww > word ? ww : word;
                w += n + (w[n] == ' ');
            }
        }
        double h = c == 0 ? head : head < 60 ? head : (word > 60 ? word : 60);
        want[c] = (body > h ? body : h) + 2 * CELL_PX;
        need[c] =
            c == 0 ? (want[c] < 90 ? want[c] : 90) : (body > word ? body : word) + 2 * CELL_PX;
        sum += want[c];
        sum_need += need[c];
    }
    double target = nc >= 4 ? TEXT_W : (sum > TEXT_W * 0.62 ? sum : TEXT_W * 0.62);
    if (target > TEXT_W)
        target = TEXT_W;
    for (size_t c = 0; c < nc; c++)
        it->col_w[c] = want[c];
    if (sum_need > target && it->head_font == F_TABLE) {
        it->head_font =
            F_TABLE_SMALL; /* long header words: a smaller header before breaking them */
        goto again;
    }
    if (sum_need > target && need[0] > 60) { /* many columns: the labels wrap sooner */
        sum_need -= need[0] - 60;
        need[0] = 60;
    }
    if (sum < target) {
        it->col_w[0] += target - sum;
    } else if (sum > target && sum_need <= target) {
        /* every column gives up the same share of what it could give */
        double f = (sum - target) / (sum - sum_need);
        for (size_t c = 0; c < nc; c++)
            it->col_w[c] = want[c] - f * (want[c] - need[c]);
    } else if (sum > target) {
        for (size_t c = 0; c < nc; c++) /* too many columns: everything shrinks and wraps */
            it->col_w[c] = need[c] * target / sum_need;
    }
    free(want);
    free(need);
    it->head_h = 0;
    for (size_t r = 0; r < nr; r++) {
        double rh = 0;
        for (size_t c = 0; c < nc; c++) {
            int bold = r < g->nhead || g->bold_row[r] || g->bold_col[c];
            ts_buf b = {0};
            if (ts_buf_addf(&b, bold ? "<b>%s</b>" : "%s",
                            g->cells[r * nc + c] ? g->cells[r * nc + c] : "") != 0)
                return -1;
            double ind = c == 0 ? g->indent[r] * 8.0 : 0;
            int rc = measure(d, &it->cells[r * nc + c], b.s, r < g->nhead ? it->head_font : F_TABLE,
                             it->col_w[c] - 2 * CELL_PX - ind, 0,
                             g->right[c] ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT, 0);
            free(b.s);
            if (rc)
                return -1;
            double h = it->cells[r * nc + c].h;
            rh = h > rh ? h : rh;
        }
        it->row_h[r] = rh + 2 * CELL_PY;
        if (r < g->nhead)
            it->head_h += it->row_h[r];
    }
    return 0;
}

static int measure_item(ts_doc *d, item *it)
{
    switch (it->kind) {
    case IT_HEADING: {
        ts_buf b = {0};
        int rc = ts_buf_addf(&b, "%s%s%s", it->number ? it->number : "", it->number ? "\u2003" : "",
                             it->markup);
        rc = rc ? rc
                : measure(d, &it->text, b.s, F_HEAD[it->level - 1], TEXT_W, 0, PANGO_ALIGN_LEFT,
                          1.1);
        free(b.s);
        return rc;
    }
    case IT_PARA: {
        double x = para_x(it);
        if (it->marker &&
            measure(d, &it->mark, it->marker, para_font(it->style), 0, 0, PANGO_ALIGN_LEFT, 0))
            return -1;
        return measure(d, &it->text, it->markup, para_font(it->style), TEXT_W - x, 0,
                       PANGO_ALIGN_LEFT, it->style == TS_CODE ? 1.1 : 1.28);
    }
    case IT_FIGURE:
    case IT_TABLE:
        if (measure(d, &it->cap, it->caption, F_CAPTION, TEXT_W, 0, PANGO_ALIGN_LEFT, 1.1) ||
            measure(d, &it->sub, it->subtitle, F_SUB, TEXT_W, 0, PANGO_ALIGN_LEFT, 1.1) ||
            measure(d, &it->note, it->notes, F_NOTE, TEXT_W, 0, PANGO_ALIGN_LEFT, 1.15))
            return -1;
        if (it->kind == IT_TABLE) {
            ts_buf b = {0};
            int rc = ts_buf_addf(&b, "%s (Fortsetzung)", it->caption);
            rc = rc ? rc : measure(d, &it->cont, b.s, F_CAPTION, TEXT_W, 0, PANGO_ALIGN_LEFT, 1.1);
            free(b.s);
            return rc ? rc : measure_table(d, it);
        }
        return 0;
    }
    return 0;
}

/* ---- Pass one: pages ---------------------------------------------------------------------- */

static int place(ts_doc *d, size_t i, int page, double y, size_t from, size_t to, int first,
                 int last)
{
    if (d->npl == d->cappl) {
        size_t cap = d->cappl ? d->cappl * 2 : 256;
        placement *np = realloc(d->pl, cap * sizeof *np);
        if (!np)
            return -1;
        d->pl = np;
        d->cappl = cap;
    }
    d->pl[d->npl++] = (placement){i, page, y, from, to, first, last};
    if (first)
        d->items[i].page = page;
    return 0;
}

static double caption_h(const item *it)
{
    return it->cap.h + 2 + it->sub.h + 5;
}
static double notes_h(const item *it)
{
    return it->notes ? 4 + it->note.h : 0;
}
static double figure_h(const item *it)
{
    return caption_h(it) + it->body_h + notes_h(it);
}

/* The height an item needs at least where it starts (to keep a heading with it). */
static double min_start(const ts_doc *d, size_t i)
{
    if (i >= d->n)
        return 0;
    const item *it = &d->items[i];
    switch (it->kind) {
    case IT_HEADING: return it->text.h + HEAD_AFTER[it->level - 1] + min_start(d, i + 1);
    case IT_PARA: return it->text.nlines <= 2 ? it->text.h : it->text.top[2];
    case IT_FIGURE: return figure_h(it);
    default: {
        double h = caption_h(it) + it->head_h;
        for (size_t r = it->grid->nhead; r < it->grid->nrows && r < it->grid->nhead + 3; r++)
            h += it->row_h[r];
        return h;
    }
    }
}

typedef struct {
    int page;
    double y;
} cursor;

static void new_page(cursor *c)
{
    c->page++;
    c->y = BODY_TOP;
}

static int at_top(const cursor *c)
{
    return c->y <= BODY_TOP + 0.01;
}

static int paginate_para(ts_doc *d, size_t i, cursor *c)
{
    item *it = &d->items[i];
    /* a list ends with the paragraph space its items leave out */
    if (!it->marker && it->indent == 0 && i > 0 && d->items[i - 1].kind == IT_PARA &&
        d->items[i - 1].indent > 0 && !at_top(c))
        c->y += PARA_AFTER - 2.5;
    text_box *t = &it->text;
    size_t n = (size_t)t->nlines, from = 0;
    while (from < n) {
        double base = t->top[from];
        size_t k = from;
        while (k < n && c->y + (t->top[k] + t->lh[k] - base) <= BODY_BOT + 0.01)
            k++;
        size_t fit = k - from;
        if (fit < n - from) {
            /* No orphan (one line at the foot) and no widow (one line at the head). */
            if (n - from - fit < 2 && fit > 2)
                fit = n - from - 2;
            if (fit < 2 && !at_top(c)) {
                new_page(c);
                continue;
            }
            if (fit == 0)
                fit = 1;
        }
        if (place(d, i, c->page, c->y, from, from + fit, from == 0, from + fit == n))
            return -1;
        size_t last = from + fit - 1;
        c->y += t->top[last] + t->lh[last] - base;
        from += fit;
        if (from < n)
            new_page(c);
    }
    c->y += it->style == TS_CODE ? PARA_AFTER : it->marker ? 2.5 : PARA_AFTER;
    return 0;
}

static int paginate_table(ts_doc *d, size_t i, cursor *c)
{
    item *it = &d->items[i];
    ts_grid *g = it->grid;
    size_t r = g->nhead, n = g->nrows;
    if (!at_top(c))
        c->y += BLOCK_GAP - PARA_AFTER;
    int first = 1;
    while (1) {
        double head = (first ? caption_h(it) : it->cont.h + 5) + it->head_h;
        double y = c->y + head;
        size_t k = r;
        while (k < n && y + it->row_h[k] <= BODY_BOT + 0.01)
            y += it->row_h[k++];
        int all = k == n;
        /* The notes go with the last rows; at least three rows start a table. */
        if (all && y + notes_h(it) > BODY_BOT && k - r > 2) {
            k -= 2;
            all = 0;
        } else if (!all && n - k < 2 && k - r > 3) {
            k = n - 2; /* no single row carried over to the next page */
        }
        if ((k - r < (n - r < 3 ? n - r : 3)) && !at_top(c)) {
            new_page(c);
            continue;
        }
        if (k == r && k < n)
            k++; /* a row taller than a page: placed anyway */
        if (place(d, i, c->page, c->y, r, k, first, k == n))
            return -1;
        y = c->y + head;
        for (size_t j = r; j < k; j++)
            y += it->row_h[j];
        if (k == n) {
            c->y = y + notes_h(it) + BLOCK_GAP;
            return 0;
        }
        r = k;
        first = 0;
        new_page(c);
    }
}

static int paginate(ts_doc *d)
{
    cursor c = {d->first_body, BODY_TOP};
    for (size_t i = 0; i < d->n; i++) {
        item *it = &d->items[i];
        switch (it->kind) {
        case IT_HEADING: {
            int lv = it->level - 1;
            if (lv == 0 && !at_top(&c))
                new_page(&c);
            if (!at_top(&c))
                c.y += HEAD_BEFORE[lv];
            if (!at_top(&c) && c.y + min_start(d, i) > BODY_BOT)
                new_page(&c);
            if (place(d, i, c.page, c.y, 0, 1, 1, 1))
                return -1;
            c.y += it->text.h + HEAD_AFTER[lv];
            break;
        }
        case IT_PARA:
            if (paginate_para(d, i, &c))
                return -1;
            break;
        case IT_FIGURE: {
            double h = figure_h(it);
            if (!at_top(&c))
                c.y += BLOCK_GAP - PARA_AFTER;
            if (!at_top(&c) && c.y + h > BODY_BOT)
                new_page(&c);
            if (place(d, i, c.page, c.y, 0, 1, 1, 1))
                return -1;
            c.y += h + BLOCK_GAP;
            break;
        }
        case IT_TABLE:
            if (paginate_table(d, i, &c))
                return -1;
            break;
        }
    }
    d->last_page = c.page;
    return 0;
}

/* ---- Contents ------------------------------------------------------------------------------ */

typedef struct {
    size_t item;
    int kind; /* 0 heading, 1 figure, 2 table, 3 section title */
    const char *title;
    text_box box;
    double h;
} toc_entry;

#define TOC_NUM_W  30.0
#define TOC_PAGE_W 26.0

typedef struct {
    toc_entry *e;
    size_t n;
} toc;

static void toc_free(toc *t)
{
    for (size_t i = 0; i < t->n; i++)
        box_free(&t->e[i].box);
    free(t->e);
}

static int toc_build(ts_doc *d, toc *t)
{
    size_t cap = d->n + 3;
    t->e = calloc(cap, sizeof *t->e);
    if (!t->e)
        return -1;
    static const char *const section[] = {NULL, "Abbildungen", "Tabellen"};
    for (int kind = 0; kind < 3; kind++) {
        int any = 0;
        for (size_t i = 0; i < d->n; i++) {
            item *it = &d->items[i];
            int k = it->kind == IT_HEADING  ? 0
                    : it->kind == IT_FIGURE ? 1
                    : it->kind == IT_TABLE  ? 2
                                            : -1;
            if (k != kind || (k == 0 && it->level > 2))
                continue;
            if (kind && !any)
                t->e[t->n++] = (toc_entry){0, 3, section[kind], {0}, 0};
            any = 1;
            toc_entry *e = &t->e[t->n++];
            e->item = i;
            e->kind = kind;
            const char *font =
                kind == 0 && it->level == 1 ? "DejaVu Sans Bold 9" : "DejaVu Sans 8.8";
            double ind = kind == 0 && it->level == 2 ? 18 : 0;
            const char *txt = kind == 0 ? it->markup : it->list_title;
            if (measure(d, &e->box, txt, font, TEXT_W - TOC_NUM_W - ind - TOC_PAGE_W - 6, 0,
                        PANGO_ALIGN_LEFT, 1.1))
                return -1;
            e->h = e->box.h + (kind == 0 && it->level == 1 ? 7 : 3.5);
        }
    }
    for (size_t i = 0; i < t->n; i++)
        if (t->e[i].kind == 3) {
            if (measure(d, &t->e[i].box, t->e[i].title, F_HEAD[1], TEXT_W, 0, PANGO_ALIGN_LEFT,
                        1.1))
                return -1;
            t->e[i].h = t->e[i].box.h + 8;
        }
    return 0;
}

/* Pages the contents need: entries flow from below the "Inhalt" heading. */
static int toc_pages(const toc *t, double title_h)
{
    int pages = 1;
    double y = BODY_TOP + title_h + HEAD_AFTER[0];
    for (size_t i = 0; i < t->n; i++) {
        double h = t->e[i].h + (t->e[i].kind == 3 ? 18 : 0);
        if (y + h > BODY_BOT) {
            pages++;
            y = BODY_TOP;
        }
        y += h;
    }
    return pages;
}

/* ---- Pass two: drawing ---------------------------------------------------------------------- */

static void show_box(cairo_t *cr, const text_box *b, double x, double y)
{
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, b->lay);
}

/* Draws lines [from, to) of b with the first at y. */
static void show_lines(cairo_t *cr, const text_box *b, double x, double y, size_t from, size_t to)
{
    PangoLayoutIter *iter = pango_layout_get_iter(b->lay);
    size_t i = 0;
    double base = b->top[from];
    do {
        if (i >= from && i < to) {
            PangoRectangle log;
            pango_layout_iter_get_line_extents(iter, NULL, &log);
            int bl = pango_layout_iter_get_baseline(iter);
            cairo_move_to(cr, x + (double)log.x / PANGO_SCALE, y + (double)bl / PANGO_SCALE - base);
            pango_cairo_show_layout_line(cr, pango_layout_iter_get_line_readonly(iter));
        }
        i++;
    } while (i < to && pango_layout_iter_next_line(iter));
    pango_layout_iter_free(iter);
}

static void set_rgb(cairo_t *cr, double r, double g, double b)
{
    cairo_set_source_rgb(cr, r, g, b);
}

static void dest_name(char *buf, size_t size, size_t i)
{
    snprintf(buf, size, "i%zu", i);
}

static void rule(cairo_t *cr, double x0, double x1, double y, double w)
{
    cairo_set_line_width(cr, w);
    cairo_move_to(cr, x0, y);
    cairo_line_to(cr, x1, y);
    cairo_stroke(cr);
}

static void draw_heading(ts_doc *d, cairo_t *cr, size_t i, double y)
{
    char attr[64], name[32];
    dest_name(name, sizeof name, i);
    snprintf(attr, sizeof attr, "name='%s'", name);
    cairo_tag_begin(cr, CAIRO_TAG_DEST, attr);
    set_rgb(cr, C_ACCENT);
    show_box(cr, &d->items[i].text, M_LEFT, y);
    cairo_tag_end(cr, CAIRO_TAG_DEST);
    if (d->items[i].level == 1) {
        set_rgb(cr, C_ACCENT);
        rule(cr, M_LEFT, M_LEFT + TEXT_W, y + d->items[i].text.h + 4, 0.8);
    }
}

static void draw_caption(ts_doc *d, cairo_t *cr, size_t i, double y, int cont)
{
    item *it = &d->items[i];
    char attr[64], name[32];
    set_rgb(cr, C_TEXT);
    if (cont) {
        show_box(cr, &it->cont, M_LEFT, y);
        return;
    }
    dest_name(name, sizeof name, i);
    snprintf(attr, sizeof attr, "name='%s'", name);
    cairo_tag_begin(cr, CAIRO_TAG_DEST, attr);
    show_box(cr, &it->cap, M_LEFT, y);
    cairo_tag_end(cr, CAIRO_TAG_DEST);
    set_rgb(cr, C_GREY);
    show_box(cr, &it->sub, M_LEFT, y + it->cap.h + 2);
}

static void draw_notes(cairo_t *cr, const item *it, double y)
{
    if (!it->notes)
        return;
    set_rgb(cr, C_GREY);
    show_box(cr, &it->note, M_LEFT, y + 4);
}

static void draw_row(cairo_t *cr, const item *it, size_t r, double y)
{
    const ts_grid *g = it->grid;
    double x = M_LEFT;
    for (size_t c = 0; c < g->ncols; c++) {
        const text_box *b = &it->cells[r * g->ncols + c];
        double ind = c == 0 ? g->indent[r] * 8.0 : 0;
        /* header cells stand on the rule below them when others wrap to more lines */
        double down = r < g->nhead ? it->row_h[r] - 2 * CELL_PY - b->h : 0;
        set_rgb(cr, C_TEXT);
        show_box(cr, b, x + CELL_PX + ind, y + CELL_PY + down);
        x += it->col_w[c];
    }
}

static double table_w(const item *it)
{
    double w = 0;
    for (size_t c = 0; c < it->grid->ncols; c++)
        w += it->col_w[c];
    return w;
}

static void draw_table_part(ts_doc *d, cairo_t *cr, const placement *p)
{
    item *it = &d->items[p->item];
    const ts_grid *g = it->grid;
    double y = p->y, w = table_w(it);
    draw_caption(d, cr, p->item, y, !p->first);
    y += p->first ? caption_h(it) : it->cont.h + 5;
    set_rgb(cr, C_HEADBG);
    cairo_rectangle(cr, M_LEFT, y, w, it->head_h);
    cairo_fill(cr);
    set_rgb(cr, C_ACCENT);
    rule(cr, M_LEFT, M_LEFT + w, y, 0.8);
    for (size_t r = 0; r < g->nhead; r++) {
        draw_row(cr, it, r, y);
        y += it->row_h[r];
    }
    set_rgb(cr, C_ACCENT);
    rule(cr, M_LEFT, M_LEFT + w, y, 0.5);
    for (size_t r = p->from; r < p->to; r++) {
        if (g->bold_row[r] && r > p->from) {
            cairo_set_source_rgb(cr, 0.75, 0.78, 0.82);
            rule(cr, M_LEFT, M_LEFT + w, y, 0.3);
        }
        draw_row(cr, it, r, y);
        y += it->row_h[r];
    }
    set_rgb(cr, C_ACCENT);
    rule(cr, M_LEFT, M_LEFT + w, y, 0.8);
    if (p->last)
        draw_notes(cr, it, y);
}

static bimo_status draw_figure(ts_doc *d, cairo_t *cr, const placement *p, bimo_error *err)
{
    item *it = &d->items[p->item];
    double y = p->y;
    draw_caption(d, cr, p->item, y, 0);
    y += caption_h(it);
    cairo_save(cr);
    cairo_translate(cr, M_LEFT, y);
    cairo_rectangle(cr, 0, 0, TEXT_W, it->body_h);
    cairo_clip(cr);
    bimo_status st = it->draw ? it->draw(it->ctx, cr, TEXT_W, it->body_h, err) : BIMO_OK;
    cairo_restore(cr);
    draw_notes(cr, it, y + it->body_h);
    return st;
}

static void draw_para(ts_doc *d, cairo_t *cr, const placement *p)
{
    item *it = &d->items[p->item];
    double x = M_LEFT + para_x(it);
    set_rgb(cr, C_TEXT);
    if (it->marker && p->first)
        show_box(cr, &it->mark, x - 11, p->y);
    if (it->style == TS_QUOTE) {
        set_rgb(cr, C_ACCENT);
        cairo_set_line_width(cr, 1.5);
        const text_box *t = &it->text;
        double h = t->top[p->to - 1] + t->lh[p->to - 1] - t->top[p->from];
        cairo_move_to(cr, x - 8, p->y);
        cairo_line_to(cr, x - 8, p->y + h);
        cairo_stroke(cr);
        set_rgb(cr, C_TEXT);
    }
    show_lines(cr, &it->text, x, p->y, p->from, p->to);
}

/* The text of a box without markup, for the outline. */
static char *plain(const text_box *b)
{
    return strdup(pango_layout_get_text(b->lay));
}

static void running(ts_doc *d, cairo_t *cr, int page, const char *chapter)
{
    text_box b = {0};
    set_rgb(cr, C_GREY);
    if (d->meta.title &&
        measure(d, &b, d->meta.title, F_RUN, TEXT_W * 0.48, 0, PANGO_ALIGN_LEFT, 0) == 0)
        show_box(cr, &b, M_LEFT, 40);
    if (chapter && measure(d, &b, chapter, F_RUN, TEXT_W * 0.48, 0, PANGO_ALIGN_RIGHT, 0) == 0)
        show_box(cr, &b, M_LEFT + TEXT_W * 0.52, 40);
    cairo_set_source_rgb(cr, 0.7, 0.7, 0.7);
    rule(cr, M_LEFT, M_LEFT + TEXT_W, 53, 0.4);
    char num[16];
    snprintf(num, sizeof num, "%d", page);
    set_rgb(cr, C_GREY);
    if (measure(d, &b, num, F_RUN, TEXT_W, 0, PANGO_ALIGN_CENTER, 0) == 0)
        show_box(cr, &b, M_LEFT, PAGE_H - 44);
    if (d->meta.notice && measure(d, &b, d->meta.notice, "DejaVu Sans Bold 7.3", TEXT_W, 0,
                                  PANGO_ALIGN_RIGHT, 0) == 0) {
        cairo_set_source_rgb(cr, 0.75, 0.1, 0.1);
        show_box(cr, &b, M_LEFT, PAGE_H - 44);
    }
    box_free(&b);
}

static void draw_cover(ts_doc *d, cairo_t *cr)
{
    text_box b = {0};
    set_rgb(cr, C_ACCENT);
    cairo_rectangle(cr, 0, 0, PAGE_W, 330);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.93, 0.62, 0.16);
    cairo_rectangle(cr, 0, 330, PAGE_W, 7);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    double y = 150;
    if (d->meta.district &&
        measure(d, &b, d->meta.district, "DejaVu Sans 13", TEXT_W, 0, PANGO_ALIGN_LEFT, 0) == 0) {
        show_box(cr, &b, M_LEFT, 110);
    }
    if (d->meta.title && measure(d, &b, d->meta.title, "DejaVu Sans Bold 30", TEXT_W, 0,
                                 PANGO_ALIGN_LEFT, 1.05) == 0) {
        show_box(cr, &b, M_LEFT, y);
        y += b.h + 12;
    }
    if (d->meta.subtitle &&
        measure(d, &b, d->meta.subtitle, "DejaVu Sans 14", TEXT_W, 0, PANGO_ALIGN_LEFT, 1.2) == 0)
        show_box(cr, &b, M_LEFT, y);
    set_rgb(cr, C_TEXT);
    y = 400;
    if (d->meta.period_label && measure(d, &b, d->meta.period_label, "DejaVu Sans 12", TEXT_W, 0,
                                        PANGO_ALIGN_LEFT, 1.2) == 0) {
        show_box(cr, &b, M_LEFT, y);
        y += b.h + 8;
    }
    if (d->meta.notice && measure(d, &b, d->meta.notice, "DejaVu Sans Bold 12", TEXT_W, 0,
                                  PANGO_ALIGN_LEFT, 0) == 0) {
        cairo_set_source_rgb(cr, 0.75, 0.1, 0.1);
        show_box(cr, &b, M_LEFT, y + 10);
    }
    set_rgb(cr, C_GREY);
    ts_buf f = {0};
    if (d->meta.authors)
        ts_buf_addf(&f, "%s\n", d->meta.authors);
    if (d->meta.date_label)
        ts_buf_addf(&f, "Stand: %s", d->meta.date_label);
    if (f.s && measure(d, &b, f.s, "DejaVu Sans 10", TEXT_W, 0, PANGO_ALIGN_LEFT, 1.3) == 0)
        show_box(cr, &b, M_LEFT, PAGE_H - 80 - b.h);
    free(f.s);
    box_free(&b);
}

/* Dots from x0 to x1 on the baseline y. */
static void leaders(cairo_t *cr, double x0, double x1, double y)
{
    set_rgb(cr, C_GREY);
    for (double x = x1 - 3; x > x0 + 3; x -= 4) {
        cairo_new_sub_path(cr);
        cairo_arc(cr, x, y, 0.45, 0, 6.2832);
        cairo_fill(cr);
    }
}

static void draw_toc(ts_doc *d, cairo_t *cr, toc *t, int *page)
{
    text_box b = {0};
    running(d, cr, *page, "Inhalt");
    set_rgb(cr, C_ACCENT);
    double y = BODY_TOP;
    if (measure(d, &b, "Inhalt", F_HEAD[0], TEXT_W, 0, PANGO_ALIGN_LEFT, 0) == 0) {
        show_box(cr, &b, M_LEFT, y);
        rule(cr, M_LEFT, M_LEFT + TEXT_W, y + b.h + 4, 0.8);
        y += b.h + HEAD_AFTER[0];
    }
    for (size_t i = 0; i < t->n; i++) {
        toc_entry *e = &t->e[i];
        double h = e->h + (e->kind == 3 ? 18 : 0);
        if (y + h > BODY_BOT) {
            cairo_show_page(cr);
            (*page)++;
            running(d, cr, *page, "Inhalt");
            y = BODY_TOP;
        }
        if (e->kind == 3) {
            set_rgb(cr, C_ACCENT);
            show_box(cr, &e->box, M_LEFT, y + 18);
            y += h;
            continue;
        }
        item *it = &d->items[e->item];
        double ind = e->kind == 0 && it->level == 2 ? 18 : 0;
        char attr[64], name[32], num[48], pg[16];
        dest_name(name, sizeof name, e->item);
        snprintf(attr, sizeof attr, "dest='%s'", name);
        cairo_tag_begin(cr, CAIRO_TAG_LINK, attr);
        const char *font =
            e->kind == 0 && it->level == 1 ? "DejaVu Sans Bold 9" : "DejaVu Sans 8.8";
        if (e->kind == 0)
            snprintf(num, sizeof num, "%s", it->number ? it->number : "");
        else
            snprintf(num, sizeof num, "%s", "");
        set_rgb(cr, C_TEXT);
        if (num[0] && measure(d, &b, num, font, 0, 0, PANGO_ALIGN_LEFT, 0) == 0)
            show_box(cr, &b, M_LEFT + ind, y);
        show_box(cr, &e->box, M_LEFT + TOC_NUM_W + ind, y);
        snprintf(pg, sizeof pg, "%d", it->page);
        if (measure(d, &b, pg, font, TOC_PAGE_W, 0, PANGO_ALIGN_RIGHT, 0) == 0)
            show_box(cr, &b, M_LEFT + TEXT_W - TOC_PAGE_W, y + e->box.top[e->box.nlines - 1]);
        cairo_tag_end(cr, CAIRO_TAG_LINK);
        /* leaders after the last line of the title */
        PangoRectangle log;
        PangoLayoutLine *ll = pango_layout_get_line_readonly(e->box.lay, e->box.nlines - 1);
        pango_layout_line_get_extents(ll, NULL, &log);
        double base = y + e->box.top[e->box.nlines - 1] + e->box.lh[e->box.nlines - 1] - 2.6;
        leaders(cr, M_LEFT + TOC_NUM_W + ind + (double)log.width / PANGO_SCALE + 2,
                M_LEFT + TEXT_W - TOC_PAGE_W + 6, base);
        y += e->h;
    }
    box_free(&b);
    cairo_show_page(cr);
    (*page)++;
}

static void outline(ts_doc *d, cairo_surface_t *s)
{
    int parent[4] = {CAIRO_PDF_OUTLINE_ROOT, 0, 0, 0};
    for (size_t i = 0; i < d->n; i++) {
        item *it = &d->items[i];
        if (it->kind != IT_HEADING)
            continue;
        char attr[64], name[32];
        dest_name(name, sizeof name, i);
        snprintf(attr, sizeof attr, "dest='%s'", name);
        char *txt = plain(&it->text);
        if (!txt) {
            d->oom = 1;
            return;
        }
        int lv = it->level;
        int p = lv == 1 ? CAIRO_PDF_OUTLINE_ROOT : parent[lv - 1];
        int id = cairo_pdf_surface_add_outline(s, p, txt, attr,
                                               lv == 1 ? CAIRO_PDF_OUTLINE_FLAG_BOLD : 0);
        free(txt);
        parent[lv] = id;
        for (int k = lv + 1; k < 4; k++)
            parent[k] = id;
    }
}

bimo_status ts_render(ts_doc *d, cairo_surface_t *surface, int *pages, bimo_error *err)
{
    for (size_t i = 0; i < d->n; i++)
        if (measure_item(d, &d->items[i]))
            return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory laying out the report");
    toc t = {0};
    text_box title = {0};
    if (toc_build(d, &t) ||
        measure(d, &title, "Inhalt", F_HEAD[0], TEXT_W, 0, PANGO_ALIGN_LEFT, 0)) {
        toc_free(&t);
        box_free(&title);
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory laying out the contents");
    }
    d->toc_pages = toc_pages(&t, title.h);
    box_free(&title);
    d->first_body = 2 + d->toc_pages;
    d->npl = 0;
    if (paginate(d)) {
        toc_free(&t);
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory paginating the report");
    }
    cairo_t *cr = cairo_create(surface);
    pango_cairo_update_context(cr, d->pc);
    draw_cover(d, cr);
    cairo_show_page(cr);
    int page = 2;
    draw_toc(d, cr, &t, &page);
    toc_free(&t);
    bimo_status st = BIMO_OK;
    size_t k = 0;
    const char *chapter = NULL;
    char *chapter_text = NULL;
    for (int p = d->first_body; p <= d->last_page && st == BIMO_OK; p++) {
        /* the chapter of the page: the last level-1 heading placed on or before it */
        for (size_t j = k; j < d->npl && d->pl[j].page == p; j++) {
            item *it = &d->items[d->pl[j].item];
            if (it->kind == IT_HEADING && it->level == 1) {
                free(chapter_text);
                chapter_text = plain(&it->text);
                chapter = chapter_text;
            }
        }
        running(d, cr, p, chapter);
        for (; k < d->npl && d->pl[k].page == p && st == BIMO_OK; k++) {
            const placement *pl = &d->pl[k];
            switch (d->items[pl->item].kind) {
            case IT_HEADING: draw_heading(d, cr, pl->item, pl->y); break;
            case IT_PARA: draw_para(d, cr, pl); break;
            case IT_FIGURE: st = draw_figure(d, cr, pl, err); break;
            case IT_TABLE: draw_table_part(d, cr, pl); break;
            }
        }
        cairo_show_page(cr);
    }
    free(chapter_text);
    if (st == BIMO_OK)
        outline(d, surface);
    if (st == BIMO_OK && cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        st = bimo_fail(err, BIMO_ERR_IO, "cairo: %s", cairo_status_to_string(cairo_status(cr)));
    cairo_destroy(cr);
    if (st == BIMO_OK && d->oom)
        st = bimo_fail(err, BIMO_ERR_NOMEM, "out of memory drawing the report");
    *pages = d->last_page;
    return st;
}
