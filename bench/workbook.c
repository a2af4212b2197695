/* workbook.c — a workbook with a table of every indicator of the catalogue, the way the report
 * writes one: computes the tables once (timed), then writes the workbook REPEAT times (each
 * timed) and prints the median, so writing is measured apart from computing. Also writes the
 * results as JSON for the peer (bench/workbook_peer.py).
 * Usage: workbook STORE OUT.xlsx RESULTS.json [REPEAT [intern]] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bimo.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int fail(const bimo_error *err)
{
    char buf[1024];
    bimo_error_format(err, buf, sizeof buf);
    fprintf(stderr, "workbook: %s\n", buf);
    return 1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The period a yearly report uses for the indicator: 2025, or the school year. */
static const char *period_for(const bimo_indicator *ind)
{
    if (ind->period != BIMO_PERIOD_SCHULJAHR)
        return "2025";
    return strcmp(ind->source, "schulabgang") == 0 ? "2024/25" : "2025/26";
}

/* Municipalities in the rows and the indicator's first other dimension in the columns. */
static size_t dims_for(const bimo_indicator *ind, const char **dims)
{
    size_t n = 0;
    for (size_t i = 0; i < ind->ndimensions; i++)
        if (!strcmp(ind->dimensions[i], "gemeinde"))
            dims[n++] = "gemeinde";
    for (size_t i = 0; i < ind->ndimensions && n < 2; i++)
        if (strcmp(ind->dimensions[i], "gemeinde") != 0)
            dims[n++] = ind->dimensions[i];
    return n;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: workbook STORE OUT.xlsx RESULTS.json [REPEAT [intern]]\n");
        return 64;
    }
    int repeat = argc > 4 ? atoi(argv[4]) : 5;
    repeat = repeat < 1 ? 1 : repeat > 99 ? 99 : repeat;
    bimo_compute_options copt = {.intern = argc > 5 && strcmp(argv[5], "intern") == 0};
    bimo_error err;
    bimo_error_clear(&err);
    bimo_store_options so = {.read_only = 1};
    bimo_store *store;
    bimo_catalogue *cat;
    bimo_engine *eng;
    if (bimo_store_open(argv[1], &so, &store, &err) != BIMO_OK ||
        bimo_catalogue_load(NULL, &cat, &err) != BIMO_OK ||
        bimo_engine_new(store, cat, &eng, &err) != BIMO_OK)
        return fail(&err);
    size_t n = bimo_catalogue_count(cat), rows = 0;
    bimo_result **res = calloc(n, sizeof *res);
    bimo_workbook_table *tables = calloc(n, sizeof *tables);
    double t0 = now();
    for (size_t i = 0; i < n; i++) {
        const bimo_indicator *ind = bimo_catalogue_get(cat, i);
        const char *dims[2];
        size_t nd = dims_for(ind, dims);
        if (bimo_compute(eng, ind->id, period_for(ind), dims, nd, &copt, &res[i], &err) != BIMO_OK)
            return fail(&err);
        tables[i].result = res[i];
        rows += bimo_result_row_count(res[i]);
    }
    double compute = now() - t0, times[99];
    FILE *js = fopen(argv[3], "w");
    if (!js || bimo_results_write((const bimo_result *const *)res, n, BIMO_FORMAT_JSON, js, &err) !=
                   BIMO_OK)
        return fail(&err);
    fclose(js);
    for (int r = 0; r < repeat; r++) {
        double t = now();
        if (bimo_workbook_write(argv[2], tables, n, NULL, &err) != BIMO_OK)
            return fail(&err);
        times[r] = now() - t;
    }
    qsort(times, (size_t)repeat, sizeof times[0], cmp_double);
    struct stat st;
    stat(argv[2], &st);
    printf("tables %zu rows %zu compute %.3f write_median %.3f write_min %.3f write_max %.3f "
           "bytes %lld\n",
           n, rows, compute, times[repeat / 2], times[0], times[repeat - 1], (long long)st.st_size);
    for (size_t i = 0; i < n; i++)
        bimo_result_free(res[i]);
    free(res);
    free(tables);
    bimo_engine_free(eng);
    bimo_catalogue_free(cat);
    bimo_store_close(store);
    return 0;
}
