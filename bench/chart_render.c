/* chart_render.c — times the chart renderer alone: computes the charts of bench/charts.list
 * once, then draws all of them as PNG and as SVG into memory, several rounds, and prints the
 * median CPU seconds of a round (indicator computation and disk writes excluded).
 * Usage: chart_render DB LIST [ROUNDS [DPI]] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bimo.h"
#include "chart.h"

typedef struct {
    bimo_result *res;
    char kind[16];
    double w, h;
} job;

/* CPU seconds of the process: the machine's cores are shared, so wall time says more about
 * the neighbours than about the renderer (the wall time is printed too). */
static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int load_jobs(bimo_engine *e, const char *list, job *jobs, size_t *n)
{
    FILE *fp = fopen(list, "r");
    if (!fp)
        return -1;
    char line[512];
    *n = 0;
    while (fgets(line, sizeof line, fp) && *n < 64) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        line[strcspn(line, "\n")] = '\0';
        char *f[6] = {0}, *p = line;
        for (int i = 0; i < 6; i++)
            f[i] = strsep(&p, ";");
        if (!f[5])
            continue;
        const char *dims[8];
        size_t nd = 0;
        for (char *s = f[2], *d; s && (d = strsep(&s, ","));)
            if (*d && nd < 8)
                dims[nd++] = d;
        bimo_error err;
        bimo_error_clear(&err);
        job *j = &jobs[*n];
        if (bimo_compute(e, f[0], f[1], dims, nd, NULL, &j->res, &err) != BIMO_OK) {
            fprintf(stderr, "%s: %s\n", f[0], err.message);
            fclose(fp);
            return -1;
        }
        snprintf(j->kind, sizeof j->kind, "%s", f[3]);
        j->w = atof(f[4]);
        j->h = atof(f[5]);
        (*n)++;
    }
    fclose(fp);
    return 0;
}

/* Draws every job in format; returns seconds and adds the bytes to *bytes. */
static int dpi = 300;

static double round_of(job *jobs, size_t n, const char *format, size_t *bytes, double *wall)
{
    double t0 = cpu(), w0 = now();
    for (size_t i = 0; i < n; i++) {
        bimo_chart_options o;
        bimo_chart_options_init(&o);
        o.kind = jobs[i].kind;
        o.width_mm = jobs[i].w;
        o.height_mm = jobs[i].h;
        o.figure_number = (int)i + 1;
        o.dpi = dpi;
        unsigned char *data;
        size_t size;
        bimo_error err;
        bimo_error_clear(&err);
        if (bimo_chart_render(jobs[i].res, &o, format, &data, &size, &err) != BIMO_OK) {
            fprintf(stderr, "chart %zu: %s\n", i + 1, err.message);
            exit(1);
        }
        *bytes += size;
        free(data);
    }
    *wall += now() - w0;
    return cpu() - t0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: chart_render DB LIST [ROUNDS [DPI]]\n");
        return 64;
    }
    int rounds = argc > 3 ? atoi(argv[3]) : 5;
    if (rounds < 1 || rounds > 100)
        rounds = 5;
    if (argc > 4)
        dpi = atoi(argv[4]);
    bimo_error err;
    bimo_error_clear(&err);
    bimo_store *store = NULL;
    bimo_catalogue *cat = NULL;
    bimo_engine *e = NULL;
    bimo_store_options so = {.read_only = 1};
    if (bimo_store_open(argv[1], &so, &store, &err) != BIMO_OK ||
        bimo_catalogue_load(NULL, &cat, &err) != BIMO_OK ||
        bimo_engine_new(store, cat, &e, &err) != BIMO_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    static job jobs[64];
    size_t n;
    double t0 = now();
    if (load_jobs(e, argv[2], jobs, &n))
        return 1;
    double compute = now() - t0;
    double png[100], svg[100], total[100], wall[100];
    size_t png_bytes = 0, svg_bytes = 0;
    double ignore = 0;
    round_of(jobs, n, "png", &png_bytes, &ignore); /* warm-up: fonts and glyph caches */
    for (int r = 0; r < rounds; r++) {
        png_bytes = svg_bytes = 0;
        wall[r] = 0;
        png[r] = round_of(jobs, n, "png", &png_bytes, &wall[r]);
        svg[r] = round_of(jobs, n, "svg", &svg_bytes, &wall[r]);
        total[r] = png[r] + svg[r];
    }
    qsort(wall, (size_t)rounds, sizeof *wall, by_value);
    qsort(png, (size_t)rounds, sizeof *png, by_value);
    qsort(svg, (size_t)rounds, sizeof *svg, by_value);
    qsort(total, (size_t)rounds, sizeof *total, by_value);
    printf("charts %zu\nrounds %d\ncompute_s %.3f\npng_cpu_s %.3f\nsvg_cpu_s %.3f\n"
           "total_cpu_s %.3f\ntotal_wall_s %.3f\npng_mb %.1f\nsvg_mb %.1f\n",
           n, rounds, compute, png[rounds / 2], svg[rounds / 2], total[rounds / 2],
           wall[rounds / 2], png_bytes / 1e6, svg_bytes / 1e6);
    for (size_t i = 0; i < n; i++)
        bimo_result_free(jobs[i].res);
    bimo_engine_free(e);
    bimo_catalogue_free(cat);
    bimo_store_close(store);
    return 0;
}
