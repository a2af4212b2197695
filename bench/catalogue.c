/* catalogue.c — computes a plan of indicator tables in one process with one engine, the way
 * the report and the export do, and prints the time of each indicator and the total.
 * Plan lines (from bench/indicators.sh): "ID PERIOD [--by DIM[,DIM]]..."; each --by is a
 * table. Usage: catalogue STORE PLAN [--protect] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    fprintf(stderr, "catalogue: %s\n", buf);
    return 1;
}

/* Computes one table: dims is a comma-separated list or NULL for the total. */
static int table(bimo_engine *eng, const char *id, const char *period, char *dims, int protect,
                 size_t *rows)
{
    const char *list[8];
    size_t n = 0;
    for (char *d = dims ? strtok(dims, ",") : NULL; d && n < 8; d = strtok(NULL, ","))
        list[n++] = d;
    bimo_compute_options opt = {.intern = !protect};
    bimo_result *res;
    bimo_error err;
    bimo_error_clear(&err);
    if (bimo_compute(eng, id, period, list, n, &opt, &res, &err) != BIMO_OK)
        return fail(&err);
    *rows += bimo_result_row_count(res);
    bimo_result_free(res);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: catalogue STORE PLAN [--protect]\n");
        return 64;
    }
    int protect = argc > 3 && strcmp(argv[3], "--protect") == 0;
    double t0 = now();
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
    FILE *plan = fopen(argv[2], "r");
    if (!plan) {
        perror(argv[2]);
        return 66;
    }
    char line[4096];
    size_t tables = 0, rows = 0;
    double start = now();
    printf("start-up %.3f s\n", start - t0);
    while (fgets(line, sizeof line, plan)) {
        line[strcspn(line, "\n")] = '\0';
        char *save, *id = strtok_r(line, " ", &save), *period = strtok_r(NULL, " ", &save);
        if (!id || !period)
            continue;
        double t = now();
        if (table(eng, id, period, NULL, protect, &rows))
            return 1;
        tables++;
        for (char *w = strtok_r(NULL, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
            if (strcmp(w, "--by") != 0)
                continue;
            char *dims = strtok_r(NULL, " ", &save);
            if (table(eng, id, period, dims, protect, &rows))
                return 1;
            tables++;
        }
        printf("%-8s %.3f s\n", id, now() - t);
    }
    fclose(plan);
    printf("total %.3f s, %zu tables, %zu rows, %s\n", now() - start, tables, rows,
           protect ? "protected" : "intern");
    bimo_engine_free(eng);
    bimo_catalogue_free(cat);
    bimo_store_close(store);
    return 0;
}
