/* test_chart.c — the chart renderer on fixed results: the fixture indicators of
 * tests/data/charts (source "none", values in the SQL) computed on an empty store, drawn
 * with a trace of every text and mark. Each case states what must be drawn. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo.h>
#include <cmocka.h>

#include "chart.h"

typedef struct {
    char dir[256];
    bimo_store *store;
    bimo_catalogue *cat;
    bimo_engine *engine;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "%s/bimo-chart-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    assert_non_null(mkdtemp(f->dir));
    char path[300], cat[512];
    snprintf(path, sizeof path, "%s/t.db", f->dir);
    snprintf(cat, sizeof cat, "%s/tests/data/charts", getenv("BIMO_DATA"));
    bimo_store_options so = {.create = 1};
    bimo_error err;
    bimo_error_clear(&err);
    assert_int_equal(bimo_store_open(path, &so, &f->store, &err), BIMO_OK);
    assert_int_equal(bimo_store_sync_codes(f->store, &err), BIMO_OK);
    assert_int_equal(bimo_catalogue_load(cat, &f->cat, &err), BIMO_OK);
    assert_int_equal(bimo_catalogue_problem_count(f->cat), 0);
    assert_int_equal(bimo_engine_new(f->store, f->cat, &f->engine, &err), BIMO_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[400];
    bimo_engine_free(f->engine);
    bimo_catalogue_free(f->cat);
    bimo_store_close(f->store);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static bimo_result *compute(fixture *f, const char *id, const char *period, const char *by)
{
    const char *dims[4];
    size_t n = 0;
    char buf[128];
    snprintf(buf, sizeof buf, "%s", by ? by : "");
    for (char *save, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
        dims[n++] = t;
    /* the names must outlive the call only during compute */
    bimo_result *r = NULL;
    bimo_error err;
    bimo_error_clear(&err);
    if (bimo_compute(f->engine, id, period, dims, n, NULL, &r, &err) != BIMO_OK)
        fail_msg("compute %s: %s", id, err.message);
    return r;
}

/* Draws res as kind at w x h points with a trace. */
static void draw(const bimo_result *res, const char *kind, double w, double h, bimo_chart_trace *t)
{
    bimo_chart_options o;
    bimo_chart_options_init(&o);
    o.kind = kind;
    o.figure_number = 3;
    cairo_surface_t *s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR, NULL);
    cairo_t *cr = cairo_create(s);
    bimo_error err;
    bimo_error_clear(&err);
    *t = (bimo_chart_trace){0};
    if (bimo_chart_draw_traced(res, &o, cr, w, h, t, &err) != BIMO_OK)
        fail_msg("draw %s: %s", kind, err.message);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
}

static size_t count(const bimo_chart_trace *t, bimo_chart_item_type type)
{
    size_t n = 0;
    for (size_t i = 0; i < t->n; i++)
        n += t->items[i].type == type;
    return n;
}

/* Whether a text (or symbol) item reads exactly s. */
static int has_text(const bimo_chart_trace *t, const char *s)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->items[i].type != BIMO_CHART_MARK && strcmp(t->items[i].text, s) == 0)
            return 1;
    return 0;
}

static int has_symbol(const bimo_chart_trace *t, const char *s)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->items[i].type == BIMO_CHART_SYMBOL && strcmp(t->items[i].text, s) == 0)
            return 1;
    return 0;
}

/* No two texts overlap (touching is fine) and every text lies inside the chart; unless
 * allow_cut, none is abbreviated. */
static void check_layout(const bimo_chart_trace *t, double w, double h, int allow_cut)
{
    const double eps = 0.01;
    for (size_t i = 0; i < t->n; i++) {
        const bimo_chart_item *a = &t->items[i];
        if (a->type == BIMO_CHART_MARK)
            continue;
        if (a->x0 < -0.5 || a->y0 < -0.5 || a->x1 > w + 0.5 || a->y1 > h + 0.5)
            fail_msg("\"%s\" leaves the chart: %.1f %.1f %.1f %.1f", a->text, a->x0, a->y0, a->x1,
                     a->y1);
        if (!allow_cut && strncmp(a->text, "[gekürzt]", 10) == 0)
            fail_msg("text cut short: %s", a->text);
        for (size_t k = i + 1; k < t->n; k++) {
            const bimo_chart_item *b = &t->items[k];
            if (b->type == BIMO_CHART_MARK)
                continue;
            if (a->x0 < b->x1 - eps && b->x0 < a->x1 - eps && a->y0 < b->y1 - eps &&
                b->y0 < a->y1 - eps)
                fail_msg("\"%s\" (%.1f %.1f %.1f %.1f) overlaps \"%s\" (%.1f %.1f %.1f %.1f)",
                         a->text, a->x0, a->y0, a->x1, a->y1, b->text, b->x0, b->y0, b->x1, b->y1);
        }
    }
}

#define W 453.5 /* 160 mm */
#define H 283.5 /* 100 mm */

typedef struct {
    const char *id, *period, *by, *kind;
    size_t marks, symbols; /* bars, segments, points or tiles; values drawn as symbols */
    const char *texts[40]; /* must be drawn (labels and value labels) */
    const char *symbol;    /* a symbol that must be drawn */
} chart_case;

/* FIG-SF 2025 by schulform: GS 450 + 440 = 890, HS 55, RS 250, GYM 470, the long IGS 165, FOES
 * 2. FOES (2 < 3) is secret and HS, the smallest other, its complement: 4 bars, 2 symbols.
 * By sex as well, HS and FOES are secret in both sexes: 8 bars or segments, 4 symbols (a
 * stack shows one symbol text per bar: 2). FIG-GEM: municipality n has n + 5 of 100 + 2n
 * cases (n = 33 has 1 case and Belm, n = 8, is its complement: "."; n = 34 has a
 * denominator of 8 < 10: "/"); Insgesamt 728 / 4.430 = 16,4 %. */
static const chart_case cases[] = {
    {"FIG-SF",
     "2025",
     "schulform",
     "bar",
     4,
     2,
     {"Abbildung 3: Schülerinnen und Schüler nach Schulform", "Landkreis Osnabrück, 2025",
      "Grundschule", "Hauptschule", "Realschule", "Gymnasium", "Förderschule",
      "Integrierte Gesamtschule mit gymnasialer Oberstufe", "890", "250", "470", "165",
      "Quelle: Testquelle Schulstatistik, 2025", "1) Testdaten.", "Personen"},
     "."},
    {"FIG-SF",
     "2025",
     "schulform",
     "hbar",
     4,
     2,
     {"Grundschule", "Integrierte Gesamtschule mit gymnasialer Oberstufe", "890", "250", "470",
      "165", "Zeichenerklärung: . = Zahlenwert geheim zu halten"},
     "."},
    /* grouped: schulform x sex, 6 x 2 cells, 8 shown */
    {"FIG-SF",
     "2025",
     "schulform,geschlecht",
     "grouped",
     8,
     4,
     {"männlich", "weiblich", "Grundschule", "450", "440", "120", "130", "210", "260", "80", "85"},
     "."},
    {"FIG-SF",
     "2025",
     "schulform,geschlecht",
     "stacked",
     8,
     2,
     {"männlich", "weiblich", "450", "440", "120", "130", "210", "260"},
     "."},
    /* 100 %: GS 450 / 890 = 50,6 % and 440 / 890 = 49,4 %; RS 48,0 / 52,0; GYM 44,7 / 55,3;
     * a first bar "Insgesamt": men 450 + 30 + 120 + 210 + 80 + 1 = 891 of 1.832 = 48,6 %,
     * women 941 = 51,4 %: 10 segments */
    {"FIG-SF",
     "2025",
     "schulform,geschlecht",
     "stacked100",
     10,
     2,
     {"50,6 %", "49,4 %", "48,0 %", "52,0 %", "44,7 %", "55,3 %", "48,6 %", "51,4 %", "Insgesamt",
      "in %"},
     "."},
    /* line: the total grows by 20 a year from 1.712 (2019) to 1.832 (2025) */
    {"FIG-SF",
     "2019..2025",
     NULL,
     "line",
     7,
     0,
     {"1.712", "1.732", "1.752", "1.772", "1.792", "1.812", "1.832", "2019", "2025",
      "Landkreis Osnabrück, 2019 bis 2025"},
     NULL},
    /* one line per school form: 4 shown x 7 years; HS and FOES are "." every year (14); the
     * last values are written at the lines' ends */
    {"FIG-SF",
     "2019..2025",
     "schulform",
     "line",
     28,
     14,
     {"890", "250", "470", "165", "Grundschule", "Förderschule"},
     "."},
    /* 34 municipalities and the total on 100 mm: n = 33 (1 case) and Belm (n = 8, its
     * complement) ".", n = 34 "/": 31 + 1 bars, 3 symbols */
    {"FIG-GEM",
     "2025",
     "gemeinde",
     "hbar",
     32,
     3,
     {"Insgesamt", "16,4 %", "Alfhausen", "5,9 %", "Dissen am Teutoburger Wald, Stadt", "15,4 %",
      "Georgsmarienhütte, Stadt", "17,4 %", "Voltlage", "22,6 %", "Glandorf"},
     "/"},
    {"FIG-GEM",
     "2025",
     "gemeinde",
     "bar",
     32,
     3,
     {"Insgesamt", "Alfhausen", "Dissen am Teutoburger Wald, Stadt", "Glandorf"},
     "/"},
    /* tile maps: 34 municipalities; the 21 reporting units, of which Belm, Wallenhorst and
     * Glandorf have no value (Samtgemeinde Artland 110 / 580 = 19,0 %) */
    {"FIG-GEM", "2025", "gemeinde", "map", 31, 3, {"5,9", "22,6", "in %"}, "/"},
    {"FIG-GEM", "2025", "kommune", "map", 18, 3, {"19,0", "7,5", "in %"}, "."},
    /* pyramid: age group n (1..8) has 50 + 20n per sex and nationality, Germans 100 more,
     * women 7 more: men under 3 70 + 170 = 240, women 77 + 177 = 254; men 65+ 210 + 310 =
     * 520, women 65+ 2 + 317 = 319 */
    {"FIG-POP",
     "2025",
     "altersgruppe,geschlecht",
     "pyramid",
     16,
     0,
     {"männlich", "weiblich", "unter 3 Jahre", "65 Jahre und älter", "240", "254", "520", "319"},
     NULL},
    /* split by nationality: 0-3 and 65+ are secret in all four cells (the 2 and its
     * complements): 32 - 8 = 24 segments, 4 bars with a symbol */
    {"FIG-POP",
     "2025",
     "altersgruppe,geschlecht,deutsch",
     "pyramid",
     24,
     4,
     {"Deutsche", "Ausländerinnen und Ausländer", "unter 3 Jahre"},
     "."},
};

static void kinds(void **state)
{
    fixture *f = *state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const chart_case *c = &cases[i];
        bimo_result *r = compute(f, c->id, c->period, c->by);
        bimo_chart_trace t;
        draw(r, c->kind, W, H, &t);
        if (count(&t, BIMO_CHART_MARK) != c->marks || count(&t, BIMO_CHART_SYMBOL) != c->symbols)
            fail_msg("case %zu (%s %s): %zu marks, %zu symbols; expected %zu, %zu", i, c->id,
                     c->kind, count(&t, BIMO_CHART_MARK), count(&t, BIMO_CHART_SYMBOL), c->marks,
                     c->symbols);
        for (size_t k = 0; k < 40 && c->texts[k]; k++)
            if (!has_text(&t, c->texts[k]))
                fail_msg("case %zu (%s %s): \"%s\" not drawn", i, c->id, c->kind, c->texts[k]);
        if (c->symbol && !has_symbol(&t, c->symbol))
            fail_msg("case %zu: symbol \"%s\" not drawn", i, c->symbol);
        check_layout(&t, W, H, 0);
        bimo_chart_trace_free(&t);
        bimo_result_free(r);
    }
}

/* The same checks on small and tall charts: labels shrink, wrap or are abbreviated ("…"),
 * never collide. */
static void sizes(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *kind, *by;
        double w, h;
    } s[] = {
        {"hbar", "gemeinde", 240, 500},
        {"bar", "schulform", 240, 200},
        {"hbar", "schulform", 200, 160},
        {"map", "gemeinde", 453, 453},
        {"pyramid", "altersgruppe,geschlecht", 300, 200},
        {"pyramid", "altersgruppe,geschlecht,deutsch", 425, 160},
        {"line", "schulform", 200, 150},
        {"stacked100", "schulform,geschlecht", 200, 170},
    };
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
        const char *id = strstr(s[i].by, "alter")      ? "FIG-POP"
                         : strstr(s[i].by, "gemeinde") ? "FIG-GEM"
                                                       : "FIG-SF";
        const char *period = strcmp(s[i].kind, "line") ? "2025" : "2019..2025";
        bimo_result *r = compute(f, id, period, s[i].by);
        bimo_chart_trace t;
        draw(r, s[i].kind, s[i].w, s[i].h, &t);
        assert_true(count(&t, BIMO_CHART_MARK) > 0);
        check_layout(&t, s[i].w, s[i].h, 1); /* long names may be abbreviated here */
        bimo_chart_trace_free(&t);
        bimo_result_free(r);
    }
}

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long len = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    unsigned char *buf = malloc((size_t)len + 1);
    assert_int_equal(fread(buf, 1, (size_t)len, fp), (size_t)len);
    fclose(fp);
    *n = (size_t)len;
    return buf;
}

/* Two writes of the same result give the same bytes (SVG ids do not depend on what the
 * process drew before); the PNG has the asked pixel size. */
static void files(void **state)
{
    fixture *f = *state;
    bimo_result *r = compute(f, "FIG-SF", "2025", "schulform");
    bimo_chart_options o;
    bimo_chart_options_init(&o);
    bimo_error err;
    bimo_error_clear(&err);
    static const char *const ext[] = {"svg", "png", "pdf"};
    for (size_t e = 0; e < 3; e++) {
        char a[300], b[300];
        snprintf(a, sizeof a, "%s/a.%s", f->dir, ext[e]);
        snprintf(b, sizeof b, "%s/b.%s", f->dir, ext[e]);
        assert_int_equal(bimo_chart_write(r, &o, a, &err), BIMO_OK);
        /* another chart in between moves cairo's counters */
        bimo_result *g = compute(f, "FIG-GEM", "2025", "gemeinde");
        char c[300];
        snprintf(c, sizeof c, "%s/c.%s", f->dir, ext[e]);
        assert_int_equal(bimo_chart_write(g, &o, c, &err), BIMO_OK);
        bimo_result_free(g);
        assert_int_equal(bimo_chart_write(r, &o, b, &err), BIMO_OK);
        size_t na, nb;
        unsigned char *da = slurp(a, &na), *db = slurp(b, &nb);
        assert_true(na > 1000);
        assert_int_equal(na, nb);
        assert_memory_equal(da, db, na);
        free(da);
        free(db);
    }
    /* 160 x 100 mm at 300 dpi: 1890 x 1181 pixels; 80 x 50 mm at 96 dpi: 302 x 189 */
    char p[300];
    snprintf(p, sizeof p, "%s/a.png", f->dir);
    cairo_surface_t *img = cairo_image_surface_create_from_png(p);
    assert_int_equal(cairo_image_surface_get_width(img), 1890);
    assert_int_equal(cairo_image_surface_get_height(img), 1181);
    cairo_surface_destroy(img);
    o.width_mm = 80;
    o.height_mm = 50;
    o.dpi = 96;
    snprintf(p, sizeof p, "%s/small.png", f->dir);
    assert_int_equal(bimo_chart_write(r, &o, p, &err), BIMO_OK);
    img = cairo_image_surface_create_from_png(p);
    assert_int_equal(cairo_image_surface_get_width(img), 302);
    assert_int_equal(cairo_image_surface_get_height(img), 189);
    cairo_surface_destroy(img);
    /* errors: an unknown kind, a pyramid without age groups, a wrong extension */
    o.kind = "pie";
    assert_int_equal(bimo_chart_write(r, &o, p, &err), BIMO_ERR_ARG);
    assert_non_null(strstr(err.message, "unknown chart kind \"pie\""));
    o.kind = "pyramid";
    assert_int_equal(bimo_chart_write(r, &o, p, &err), BIMO_ERR_ARG);
    assert_non_null(strstr(err.message, "altersgruppe and geschlecht"));
    o.kind = NULL;
    snprintf(p, sizeof p, "%s/x.jpg", f->dir);
    assert_int_equal(bimo_chart_write(r, &o, p, &err), BIMO_ERR_ARG);
    assert_int_equal(access(p, F_OK), -1);
    bimo_result_free(r);
}

/* Too small for its categories: an error that says so, nothing drawn over each other. 34
 * municipalities and the total need 35 bands of at least 4.5 pt type. */
static void too_small(void **state)
{
    fixture *f = *state;
    bimo_result *r = compute(f, "FIG-GEM", "2025", "gemeinde");
    bimo_chart_options o;
    bimo_chart_options_init(&o);
    o.kind = "hbar";
    o.height_mm = 40;
    cairo_surface_t *s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR, NULL);
    cairo_t *cr = cairo_create(s);
    bimo_error err;
    bimo_error_clear(&err);
    assert_int_equal(bimo_chart_draw(r, &o, cr, W, 113, &err), BIMO_ERR_ARG);
    assert_non_null(strstr(err.message, "too small for 35 categories: give it more height"));
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    bimo_result_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kinds),
        cmocka_unit_test(sizes),
        cmocka_unit_test(too_small),
        cmocka_unit_test(files),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
