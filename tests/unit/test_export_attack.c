/* test_export_attack.c — a differencing attack on a series of exports: four quarterly exports
 * of SPR-1 (entitlements) by region and kind, and the annual table of the same year, each a
 * separate bimo export on one store. An attacker who holds all five reads every published
 * number, knows that each table adds up along both dimensions, that the year is the sum of
 * its quarters and that a "." stands for a count of at least 1, and bounds every hidden cell
 * with GLPK. No hidden cell may be narrowed to fewer than threshold + 1 integers.
 *
 * The same attack on the annual table protected on its own (bimo_compute without the record
 * of the quarterly releases) shows what the release record prevents: there it does pin
 * hidden quarterly cells, which the test asserts too, so the attack is known to bite. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <glpk.h>

#include "bimo.h"
#include "export.h"

#define THRESHOLD 3
#define MAX_CELLS 512

/* ---- The published numbers -------------------------------------------------------------- */

typedef struct {
    char period[16], region[64], art[64];
    int published; /* 1: value known to the reader */
    double value;  /* the published count (hidden: the true count, for the report only) */
} cell;

typedef struct {
    cell c[MAX_CELLS];
    size_t n;
} release_set;

static size_t find_cell(release_set *s, const char *period, const char *region, const char *art)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->c[i].period, period) && !strcmp(s->c[i].region, region) &&
            !strcmp(s->c[i].art, art))
            return i;
    assert_true(s->n < MAX_CELLS);
    cell *x = &s->c[s->n];
    memset(x, 0, sizeof *x);
    snprintf(x->period, sizeof x->period, "%s", period);
    snprintf(x->region, sizeof x->region, "%s", region);
    snprintf(x->art, sizeof x->art, "%s", art);
    return s->n++;
}

/* Reads a machine CSV (indicator,period,region,berechtigung_art,numerator,...): a number in
 * the numerator column is published, an empty one with flag "." hidden. */
static void read_csv(release_set *s, const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[512];
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "indicator,period,region,berechtigung_art,numerator,denominator,"
                              "value,flag\n");
    while (fgets(line, sizeof line, f)) {
        char *field[8] = {0}, *p = line;
        line[strcspn(line, "\n")] = '\0';
        for (int k = 0; k < 8; k++) {
            field[k] = p;
            p = strchr(p, ',');
            if (!p) {
                assert_int_equal(k, 7);
                break;
            }
            *p++ = '\0';
        }
        size_t i = find_cell(s, field[1], field[2], field[3]);
        if (field[4][0]) {
            s->c[i].published = 1;
            s->c[i].value = atof(field[4]);
        } else {
            assert_string_equal(field[7], ".");
        }
    }
    fclose(f);
}

/* ---- The attacker's linear program ------------------------------------------------------ */

/* Adds  x[total] - sum x[parts] = 0  with published cells moved to the right-hand side. */
static void add_equation(glp_prob *P, const release_set *s, const int *col, size_t total,
                         const size_t *parts, size_t nparts)
{
    int ind[MAX_CELLS + 1], n = 0;
    double val[MAX_CELLS + 1], rhs = 0;
    for (size_t k = 0; k <= nparts; k++) {
        size_t c = k == 0 ? total : parts[k - 1];
        double coef = k == 0 ? 1.0 : -1.0;
        if (s->c[c].published) {
            rhs -= coef * s->c[c].value;
        } else {
            ind[++n] = col[c];
            val[n] = coef;
        }
    }
    if (n == 0)
        return;
    int row = glp_add_rows(P, 1);
    glp_set_row_bnds(P, row, GLP_FX, rhs, rhs);
    glp_set_mat_row(P, row, n, ind, val);
}

static const char *const quarters[] = {"2025Q1", "2025Q2", "2025Q3", "2025Q4"};

/* Every additivity of the release: each table along both dimensions, the year over quarters. */
static void add_equations(glp_prob *P, release_set *s, const int *col)
{
    size_t parts[MAX_CELLS];
    size_t n0 = s->n;
    for (size_t t = 0; t < n0; t++) {
        const cell *c = &s->c[t];
        /* c is the total of its row (region margin) or column (kind margin). */
        for (int dim = 0; dim < 2; dim++) {
            const char *code = dim == 0 ? c->region : c->art;
            if (strcmp(code, "Insgesamt") != 0)
                continue;
            size_t k = 0;
            for (size_t i = 0; i < n0; i++) {
                const cell *x = &s->c[i];
                if (strcmp(x->period, c->period) != 0)
                    continue;
                if (dim == 0 && !strcmp(x->art, c->art) && strcmp(x->region, "Insgesamt"))
                    parts[k++] = i;
                if (dim == 1 && !strcmp(x->region, c->region) && strcmp(x->art, "Insgesamt"))
                    parts[k++] = i;
            }
            if (k)
                add_equation(P, s, col, t, parts, k);
        }
        if (!strcmp(c->period, "2025")) {
            for (int q = 0; q < 4; q++)
                parts[q] = find_cell(s, quarters[q], c->region, c->art);
            add_equation(P, s, col, t, parts, 4);
        }
    }
    assert_int_equal(s->n, n0); /* every quarter cell of the year was published or hidden */
}

static double bound(glp_prob *P, int j, int dir)
{
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    for (int k = 1; k <= glp_get_num_cols(P); k++)
        glp_set_obj_coef(P, k, k == j ? 1.0 : 0.0);
    glp_set_obj_dir(P, dir);
    assert_int_equal(glp_simplex(P, &parm), 0);
    assert_int_equal(glp_exact(P, &parm), 0); /* rational arithmetic: no rounding doubts */
    if (glp_get_status(P) == GLP_UNBND)
        return INFINITY;
    assert_int_equal(glp_get_status(P), GLP_OPT);
    return glp_get_obj_val(P);
}

/* Number of hidden cells the attacker narrows to fewer than threshold + 1 integers. */
static size_t attack(release_set *s, size_t *hidden)
{
    glp_prob *P = glp_create_prob();
    int col[MAX_CELLS];
    *hidden = 0;
    for (size_t i = 0; i < s->n; i++) {
        col[i] = 0;
        if (s->c[i].published)
            continue;
        col[i] = glp_add_cols(P, 1);
        glp_set_col_bnds(P, col[i], GLP_LO, 1.0, 0.0); /* "." is a count of at least 1 */
        (*hidden)++;
    }
    add_equations(P, s, col);
    size_t pinned = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (s->c[i].published)
            continue;
        double hi = bound(P, col[i], GLP_MAX), lo = bound(P, col[i], GLP_MIN);
        if (!isinf(hi) && floor(hi + 1e-9) - ceil(lo - 1e-9) < THRESHOLD) {
            printf("  pinned: %s %s %s in [%g, %g]\n", s->c[i].period, s->c[i].region, s->c[i].art,
                   lo, hi);
            pinned++;
        }
    }
    glp_delete_prob(P);
    return pinned;
}

/* ---- The releases ----------------------------------------------------------------------- */

typedef struct {
    char dir[256];
    bimo_store *store;
    bimo_catalogue *cat;
} fixture;

static int setup(void **state)
{
    static fixture fx;
    snprintf(fx.dir, sizeof fx.dir, "/tmp/bimo-export-attack.XXXXXX");
    if (!mkdtemp(fx.dir))
        return -1;
    char path[512];
    bimo_error err;
    bimo_sample_options so;
    bimo_sample_options_init(&so);
    /* A few dozen entitlements a quarter: many small cells. The control below needs data
     * where the annual table protected alone is pinned; with the regions protected over the
     * whole municipality hierarchy that holds for this size (not for every size). */
    so.persons = 30000;
    so.from_year = 2023;
    so.to_year = 2025;
    snprintf(path, sizeof path, "%s/smp", fx.dir);
    if (bimo_sample_write(path, &so, &err) != BIMO_OK)
        return -1;
    bimo_store_options sto = {.create = 1};
    snprintf(path, sizeof path, "%s/s.db", fx.dir);
    if (bimo_store_open(path, &sto, &fx.store, &err) != BIMO_OK ||
        bimo_store_sync_codes(fx.store, &err) != BIMO_OK)
        return -1;
    snprintf(path, sizeof path, "%s/smp/integrationskurs_2025-12-31.csv", fx.dir);
    if (bimo_import(fx.store, "integrationskurs", path, NULL, NULL, &err) != BIMO_OK ||
        bimo_catalogue_load(NULL, &fx.cat, &err) != BIMO_OK)
        return -1;
    *state = &fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    bimo_catalogue_free(fx->cat);
    bimo_store_close(fx->store);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *const dims[] = {"region", "berechtigung_art"};

static void export_period(fixture *fx, const char *period, const char *name)
{
    bimo_export_table t = {.indicator = "SPR-1", .period = period, .dims = dims, .ndims = 2};
    bimo_export_info info = {.period = period};
    char dir[512];
    snprintf(dir, sizeof dir, "%s/%s", fx->dir, name);
    bimo_error err;
    bimo_error_clear(&err);
    bimo_status st = bimo_export_tables(fx->store, fx->cat, &t, 1, &info, dir, NULL, &err);
    if (st != BIMO_OK)
        fail_msg("export %s: %s", period, err.message);
}

static void read_export(release_set *s, const fixture *fx, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s/01_SPR-1_daten.csv", fx->dir, name);
    read_csv(s, path);
}

/* The annual table as it would be published without the record of earlier releases. */
static void write_naive_year(fixture *fx, const char *path)
{
    bimo_engine *e = NULL;
    bimo_result *res = NULL;
    bimo_error err;
    assert_int_equal(bimo_engine_new(fx->store, fx->cat, &e, &err), BIMO_OK);
    assert_int_equal(bimo_compute(e, "SPR-1", "2025", dims, 2, NULL, &res, &err), BIMO_OK);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    const bimo_result *r = res;
    assert_int_equal(bimo_results_write(&r, 1, BIMO_FORMAT_CSV, f, &err), BIMO_OK);
    fclose(f);
    bimo_result_free(res);
    bimo_engine_free(e);
}

static void quarters_and_year_resist_differencing(void **state)
{
    fixture *fx = *state;
    glp_term_out(GLP_OFF);
    for (int q = 0; q < 4; q++)
        export_period(fx, quarters[q], quarters[q]);
    char naive[512];
    snprintf(naive, sizeof naive, "%s/naive-2025.csv", fx->dir);
    write_naive_year(fx, naive); /* before the annual export records its own pattern */
    export_period(fx, "2025", "2025");

    release_set *s = calloc(1, sizeof *s);
    assert_non_null(s);
    for (int q = 0; q < 4; q++)
        read_export(s, fx, quarters[q]);
    read_export(s, fx, "2025");
    size_t hidden = 0, pinned = attack(s, &hidden);
    printf("release series: %zu cells, %zu hidden, %zu pinned\n", s->n, hidden, pinned);
    assert_true(hidden >= 4); /* the data have small cells: the attack has work to do */
    assert_int_equal(pinned, 0);

    /* The same year protected on its own: differencing pins hidden quarter cells. */
    memset(s, 0, sizeof *s);
    for (int q = 0; q < 4; q++)
        read_export(s, fx, quarters[q]);
    read_csv(s, naive);
    size_t naive_hidden = 0, naive_pinned = attack(s, &naive_hidden);
    printf("year protected alone: %zu hidden, %zu pinned\n", naive_hidden, naive_pinned);
    assert_true(naive_pinned > 0);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quarters_and_year_resist_differencing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
