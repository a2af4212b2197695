/* test_disclosure.c — unit tests of disclosure control: the simplex, the equations of tables
 * with hierarchies, hand-made suppression patterns worked out beside the data, and the rates. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bimo.h"
#include "disclosure.h"
#include "lp.h"

#define R BIMO_DIM_ROOT

/* ---- helpers ---------------------------------------------------------------------------- */

/* A flat dimension: k categories (nodes 0 .. k-1) and "Insgesamt" (node k). */
static const size_t flat2[] = {2, 2, R};
static const size_t flat3[] = {3, 3, 3, R};
static const size_t flat4[] = {4, 4, 4, 4, R};

/* Writes the flags as one letter per cell, rows of `width` cells separated by '/':
 * P primary, S secondary, 0 zero, - published. */
static const char *pattern(const bimo_cell_flag *flags, size_t n, size_t width)
{
    static char buf[512];
    size_t k = 0;
    for (size_t i = 0; i < n && k + 2 < sizeof buf; i++) {
        if (i > 0 && i % width == 0)
            buf[k++] = '/';
        buf[k++] = "-0PS"[flags[i]];
    }
    buf[k] = '\0';
    return buf;
}

/* Protects values with the cube's equations and checks the result with the audit. */
static void protect_checked(const int64_t *values, const bimo_disclosure_eqs *eqs,
                            const bimo_disclosure_options *opt, bimo_cell_flag *flags,
                            bimo_disclosure_stats *stats)
{
    bimo_error err;
    size_t n = bimo_disclosure_eqs_cells(eqs), unsafe = 99;
    bimo_status st = bimo_disclosure_protect(values, n, eqs, opt, flags, stats, &err);
    if (st != BIMO_OK)
        fail_msg("protect: %s", err.message);
    assert_int_equal(bimo_disclosure_audit(values, n, eqs, flags, opt, NULL, &unsafe, &err),
                     BIMO_OK);
    assert_int_equal(unsafe, 0);
}

static bimo_disclosure_cube *cube2(const size_t *rows, size_t nrows, const size_t *cols,
                                   size_t ncols)
{
    bimo_dim_tree dims[2] = {{nrows, rows}, {ncols, cols}};
    bimo_disclosure_cube *c = NULL;
    bimo_error err;
    assert_int_equal(bimo_disclosure_cube_new(2, dims, &c, &err), BIMO_OK);
    return c;
}

/* ---- the simplex ------------------------------------------------------------------------ */

static void lp_bounds_of_a_small_system(void **state)
{
    (void)state;
    /* y0 + y1 + y2 = 10, y0 - y1 = 2, and the first row again (redundant). */
    bimo_lp *lp;
    bimo_error err;
    assert_int_equal(bimo_lp_new(3, 3, &lp, &err), BIMO_OK);
    for (size_t j = 0; j < 3; j++) {
        bimo_lp_set(lp, 0, j, 1);
        bimo_lp_set(lp, 2, j, 1);
    }
    bimo_lp_set(lp, 1, 0, 1);
    bimo_lp_set(lp, 1, 1, -1);
    bimo_lp_set_rhs(lp, 0, 10);
    bimo_lp_set_rhs(lp, 1, 2);
    bimo_lp_set_rhs(lp, 2, 10);
    assert_int_equal(bimo_lp_start(lp), BIMO_LP_OPTIMAL);
    double v;
    /* y0 = y1 + 2, 2 y1 + y2 = 8: y0 in [2, 6], y1 in [0, 4], y2 in [0, 8]. */
    assert_int_equal(bimo_lp_bound(lp, 0, 1, INFINITY, &v), BIMO_LP_OPTIMAL);
    assert_true(fabs(v - 6) < 1e-9);
    assert_int_equal(bimo_lp_bound(lp, 0, 0, -INFINITY, &v), BIMO_LP_OPTIMAL);
    assert_true(fabs(v - 2) < 1e-9);
    assert_int_equal(bimo_lp_bound(lp, 1, 1, INFINITY, &v), BIMO_LP_OPTIMAL);
    assert_true(fabs(v - 4) < 1e-9);
    assert_int_equal(bimo_lp_bound(lp, 2, 1, INFINITY, &v), BIMO_LP_OPTIMAL);
    assert_true(fabs(v - 8) < 1e-9);
    assert_int_equal(bimo_lp_bound(lp, 2, 0, -INFINITY, &v), BIMO_LP_OPTIMAL);
    assert_true(fabs(v) < 1e-9);
    /* A goal stops the search as soon as a point reaches it. */
    assert_int_equal(bimo_lp_bound(lp, 2, 1, 1, &v), BIMO_LP_REACHED);
    assert_true(v >= 1 - 1e-9 && v <= 8 + 1e-9);
    bimo_lp_free(lp);
}

static void lp_unbounded_and_infeasible(void **state)
{
    (void)state;
    bimo_lp *lp;
    bimo_error err;
    double v;
    /* y0 - y1 = 3: y0 has no upper bound, its lower bound is 3. */
    assert_int_equal(bimo_lp_new(1, 2, &lp, &err), BIMO_OK);
    bimo_lp_set(lp, 0, 0, 1);
    bimo_lp_set(lp, 0, 1, -1);
    bimo_lp_set_rhs(lp, 0, 3);
    assert_int_equal(bimo_lp_start(lp), BIMO_LP_OPTIMAL);
    assert_int_equal(bimo_lp_bound(lp, 0, 1, INFINITY, &v), BIMO_LP_UNBOUNDED);
    assert_true(isinf(v) && v > 0);
    assert_int_equal(bimo_lp_bound(lp, 0, 0, -INFINITY, &v), BIMO_LP_OPTIMAL);
    assert_true(fabs(v - 3) < 1e-9);
    bimo_lp_free(lp);
    /* y0 + y1 = -1 has no non-negative solution. */
    assert_int_equal(bimo_lp_new(1, 2, &lp, &err), BIMO_OK);
    bimo_lp_set(lp, 0, 0, 1);
    bimo_lp_set(lp, 0, 1, 1);
    bimo_lp_set_rhs(lp, 0, -1);
    assert_int_equal(bimo_lp_start(lp), BIMO_LP_INFEASIBLE);
    bimo_lp_free(lp);
    /* No rows at all: every column is free upwards. */
    assert_int_equal(bimo_lp_new(0, 1, &lp, &err), BIMO_OK);
    assert_int_equal(bimo_lp_start(lp), BIMO_LP_OPTIMAL);
    assert_int_equal(bimo_lp_bound(lp, 0, 1, INFINITY, &v), BIMO_LP_UNBOUNDED);
    bimo_lp_free(lp);
}

/* ---- equations and cubes ---------------------------------------------------------------- */

static void cube_equations_follow_the_trees(void **state)
{
    (void)state;
    /* Gemeinde G1 G2 G3 (0-2) in Kommune K1 = {G1, G2} (3) and K2 = {G3} (4), Landkreis (5);
     * Geschlecht m w (0, 1), Insgesamt (2). */
    static const size_t gem[] = {3, 3, 4, 5, 5, R};
    bimo_disclosure_cube *c = cube2(gem, 6, flat2, 3);
    assert_int_equal(bimo_disclosure_cube_cells(c), 18);
    /* Along Gemeinde: 3 inner nodes x 3 columns; along Geschlecht: 1 x 6 rows. */
    const bimo_disclosure_eqs *eqs = bimo_disclosure_cube_eqs(c);
    assert_int_equal(bimo_disclosure_eqs_count(eqs), 15);
    size_t nodes[2] = {3, 1}; /* K1, w */
    assert_int_equal(bimo_disclosure_cube_index(c, nodes), 10);
    const size_t *parts;
    size_t nparts;
    /* The first equation: K1 x m = G1 x m + G2 x m. */
    assert_int_equal(bimo_disclosure_eqs_get(eqs, 0, &parts, &nparts), 9);
    assert_int_equal(nparts, 2);
    assert_int_equal(parts[0], 0);
    assert_int_equal(parts[1], 3);
    /* The last: Landkreis x Insgesamt = Landkreis x m + Landkreis x w. */
    assert_int_equal(bimo_disclosure_eqs_get(eqs, 14, &parts, &nparts), 17);
    assert_int_equal(nparts, 2);
    assert_int_equal(parts[0], 15);
    assert_int_equal(parts[1], 16);
    bimo_disclosure_cube_free(c);
}

static void bad_trees_and_equations_are_refused(void **state)
{
    (void)state;
    bimo_disclosure_cube *c = (bimo_disclosure_cube *)1;
    bimo_error err;
    static const size_t two_roots[] = {R, R};
    static const size_t cycle[] = {1, 0, R};
    static const size_t out_of_range[] = {7, R};
    bimo_dim_tree bad[] = {{2, two_roots}, {3, cycle}, {2, out_of_range}, {0, NULL}};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(bimo_disclosure_cube_new(1, &bad[i], &c, &err), BIMO_ERR_ARG);
        assert_null(c);
    }
    assert_int_equal(bimo_disclosure_cube_new(0, bad, &c, &err), BIMO_ERR_ARG);

    bimo_disclosure_eqs *eqs, *small;
    assert_int_equal(bimo_disclosure_eqs_new(4, &eqs, &err), BIMO_OK);
    size_t parts[] = {1, 2};
    assert_int_equal(bimo_disclosure_eqs_add(eqs, 0, parts, 2, &err), BIMO_OK);
    size_t twice[] = {1, 1};
    assert_int_equal(bimo_disclosure_eqs_add(eqs, 0, twice, 2, &err), BIMO_ERR_ARG);
    assert_non_null(strstr(err.message, "twice"));
    assert_int_equal(bimo_disclosure_eqs_add(eqs, 0, parts, 0, &err), BIMO_ERR_ARG);
    assert_int_equal(bimo_disclosure_eqs_add_equal(eqs, 3, 4, &err), BIMO_ERR_ARG);
    assert_int_equal(bimo_disclosure_eqs_add_equal(eqs, 2, 2, &err), BIMO_ERR_ARG);
    assert_int_equal(bimo_disclosure_eqs_new(3, &small, &err), BIMO_OK);
    assert_int_equal(bimo_disclosure_eqs_append(small, eqs, 0, &err), BIMO_ERR_ARG);
    assert_int_equal(bimo_disclosure_eqs_count(eqs), 1);

    /* Values that break an equation, negative counts, a wrong cell count, a zero threshold. */
    int64_t v[4] = {5, 2, 2, 0};
    bimo_cell_flag f[4];
    assert_int_equal(bimo_disclosure_protect(v, 4, eqs, NULL, f, NULL, &err), BIMO_ERR_DATA);
    assert_non_null(strstr(err.message, "not additive"));
    v[0] = 4;
    v[3] = -1;
    assert_int_equal(bimo_disclosure_protect(v, 4, eqs, NULL, f, NULL, &err), BIMO_ERR_ARG);
    v[3] = 0;
    assert_int_equal(bimo_disclosure_protect(v, 3, eqs, NULL, f, NULL, &err), BIMO_ERR_ARG);
    bimo_disclosure_options opt;
    bimo_disclosure_options_init(&opt);
    opt.threshold = 0;
    assert_int_equal(bimo_disclosure_protect(v, 4, eqs, &opt, f, NULL, &err), BIMO_ERR_ARG);
    assert_int_equal(bimo_disclosure_protect(v, 4, eqs, NULL, f, NULL, &err), BIMO_OK);
    /* 2 + 2 = 4 with both >= 1 pins each to 1..3: the audit hides the total as well. */
    assert_string_equal(pattern(f, 4, 4), "SPP0");
    bimo_disclosure_eqs_free(small);
    bimo_disclosure_eqs_free(eqs);
}

/* ---- suppression patterns --------------------------------------------------------------- */

static void three_by_three_with_one_small_cell(void **state)
{
    (void)state;
    /*        A    B    C    Insg
     * r1     1    5    9    15     (r1,A) = 1 is primary.
     * r2     6   20   30    56     Column A: cheapest complement (r2,A) = 6.
     * r3     8   25   40    73     Row r1: cheapest (r1,B) = 5.
     * Insg  15   50   79   144     Row r2 now hides one cell: (r2,B) = 20 is cheapest and
     *                              also closes column B — the diagonal of both complements.
     * Derivable: x = (r1,A); (r1,B) = 6 - x, (r2,A) = 7 - x, (r2,B) = 19 + x, all >= 1, so
     * x in [1, 5]: four integers wide, more than the threshold 3. */
    static const int64_t v[16] = {1, 5, 9, 15, 6, 20, 30, 56, 8, 25, 40, 73, 15, 50, 79, 144};
    bimo_disclosure_cube *c = cube2(flat3, 4, flat3, 4);
    bimo_cell_flag f[16];
    bimo_disclosure_stats stats;
    protect_checked(v, bimo_disclosure_cube_eqs(c), NULL, f, &stats);
    assert_string_equal(pattern(f, 16, 4), "PS--/SS--/----/----");
    assert_int_equal(stats.primary, 1);
    assert_int_equal(stats.secondary, 3);
    assert_int_equal(stats.by_audit, 0);

    bimo_disclosure_bounds b[16];
    size_t unsafe;
    bimo_error err;
    assert_int_equal(
        bimo_disclosure_audit(v, 16, bimo_disclosure_cube_eqs(c), f, NULL, b, &unsafe, &err),
        BIMO_OK);
    assert_int_equal(unsafe, 0);
    static const struct {
        size_t cell;
        double lo, hi;
    } expect[] = {{0, 1, 5}, {1, 1, 5}, {4, 2, 6}, {5, 20, 24}, {3, 15, 15}};
    for (size_t i = 0; i < sizeof expect / sizeof *expect; i++) {
        assert_true(fabs(b[expect[i].cell].lo - expect[i].lo) < 1e-9);
        assert_true(fabs(b[expect[i].cell].hi - expect[i].hi) < 1e-9);
    }
    bimo_disclosure_cube_free(c);
}

static void zero_is_never_a_complement(void **state)
{
    (void)state;
    /* Kommune G1..G4 and Insgesamt: 2, 0, 0, 15 | 17. G1 is primary; the cheapest cells of
     * the line are the zeros, which stay "–"; the next non-zero, G4 = 15, is the complement
     * (not the total 17). G1 + G4 = 17 leaves G1 in [1, 16]. */
    static const int64_t v[5] = {2, 0, 0, 15, 17};
    bimo_dim_tree dim = {5, flat4};
    bimo_disclosure_cube *c;
    bimo_error err;
    assert_int_equal(bimo_disclosure_cube_new(1, &dim, &c, &err), BIMO_OK);
    bimo_cell_flag f[5];
    protect_checked(v, bimo_disclosure_cube_eqs(c), NULL, f, NULL);
    assert_string_equal(pattern(f, 5, 5), "P00S-");
    assert_string_equal(bimo_disclosure_symbol(f[1]), "\u2013");
    assert_string_equal(bimo_disclosure_symbol(f[0]), ".");
    assert_null(bimo_disclosure_symbol(f[4]));
    bimo_disclosure_cube_free(c);

    /* A line whose every other cell is zero: 0 | 0 | 1 with total 1 — the total is primary
     * too, and nothing else is needed. */
    static const int64_t w[4] = {0, 0, 1, 1};
    bimo_dim_tree dim3 = {4, flat3};
    assert_int_equal(bimo_disclosure_cube_new(1, &dim3, &c, &err), BIMO_OK);
    protect_checked(w, bimo_disclosure_cube_eqs(c), NULL, f, NULL);
    assert_string_equal(pattern(f, 4, 4), "00PP");
    bimo_disclosure_cube_free(c);
}

static void municipality_hierarchy_with_one_small_municipality(void **state)
{
    (void)state;
    /* Gemeinde -> Kommune -> Landkreis by Geschlecht. Kommune K1 has two municipalities,
     * G1 is small.
     *             m    w   Insg
     *   G1        1    3     4      (G1,m) = 1 is primary.
     *   G2       20   22    42
     *   G3        9   10    19
     *   G4       14   12    26
     *   K1       21   25    46      = G1 + G2
     *   K2       23   22    45      = G3 + G4
     *   Landkreis 44  47    91
     * Row/column rule: K1's column m -> (G2,m) = 20 (cheaper than K1's 21); row G1 ->
     * (G1,w) = 3; row G2 -> (G2,w) = 22, which also closes K1's column w.
     * Audit: (G1,m) + (G1,w) = 4 with both >= 1 pins (G1,m) to 1..3 — fewer than 4 integers,
     * although every line hides two cells. The cheapest fix is the row total (G1,Insg) = 4;
     * K1's column Insg then hides one cell, closed by (G2,Insg) = 42. Now (G1,m) lies in
     * [1, 20]. The Kommune and Landkreis rows stay published. */
    static const size_t gem[] = {4, 4, 5, 5, 6, 6, R};
    static const int64_t v[21] = {1,  3,  4,  20, 22, 42, 9,  10, 19, 14, 12,
                                  26, 21, 25, 46, 23, 22, 45, 44, 47, 91};
    bimo_disclosure_cube *c = cube2(gem, 7, flat2, 3);
    bimo_cell_flag f[21];
    bimo_disclosure_stats stats;
    protect_checked(v, bimo_disclosure_cube_eqs(c), NULL, f, &stats);
    assert_string_equal(pattern(f, 21, 3), "PSS/SSS/---/---/---/---/---");
    assert_int_equal(stats.by_audit, 1);
    bimo_disclosure_cube_free(c);
}

/* After the greedy search, complements that turned out unnecessary are published again, the
 * largest first. So no complement of a table this size (under the release's limits) can be
 * published on its own: each, shown, leaves some hidden cell narrower than the threshold.
 * Twenty seeded 3-level tables (Gemeinde -> Kommune -> Landkreis by three categories) with many
 * small cells; over all of them at least one complement is released. */
static void every_complement_is_needed(void **state)
{
    (void)state;
    static const size_t gem[] = {8, 8, 8, 9, 9, 9, 10, 10, 11, 11, 11, R};
    uint64_t seed = 20251231;
    size_t released = 0, secondary = 0;
    for (int round = 0; round < 20; round++) {
        bimo_disclosure_cube *c = cube2(gem, 12, flat3, 4);
        size_t n = bimo_disclosure_cube_cells(c);
        int64_t v[48] = {0};
        /* Leaves: Gemeinden 0..7 x categories 0..2, values 0..12 with many 1s and 2s. */
        for (size_t g = 0; g < 8; g++)
            for (size_t k = 0; k < 3; k++) {
                seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
                unsigned r = (unsigned)(seed >> 33) % 16;
                v[g * 4 + k] = r < 4 ? (int64_t)(r % 3) : (int64_t)(r - 3);
            }
        /* Margins: each node's category 3 is its row total; inner nodes sum their children. */
        for (size_t node = 0; node < 12; node++)
            v[node * 4 + 3] = 0;
        for (size_t node = 8; node < 12; node++)
            for (size_t k = 0; k < 3; k++)
                v[node * 4 + k] = 0;
        for (size_t node = 0; node < 11; node++)
            for (size_t k = 0; k < 3; k++)
                if (node < 8)
                    v[gem[node] * 4 + k] += v[node * 4 + k];
        for (size_t k = 0; k < 3; k++)
            for (size_t node = 8; node < 11; node++)
                v[11 * 4 + k] += v[node * 4 + k];
        for (size_t node = 0; node < 12; node++)
            v[node * 4 + 3] = v[node * 4] + v[node * 4 + 1] + v[node * 4 + 2];
        assert_int_equal(n, 48);
        bimo_cell_flag f[48];
        bimo_disclosure_stats stats;
        protect_checked(v, bimo_disclosure_cube_eqs(c), NULL, f, &stats);
        released += stats.released;
        for (size_t cell = 0; cell < n; cell++) {
            if (f[cell] != BIMO_CELL_SECONDARY)
                continue;
            secondary++;
            f[cell] = BIMO_CELL_PUBLISHED;
            size_t unsafe = 0;
            bimo_error err;
            assert_int_equal(bimo_disclosure_audit(v, n, bimo_disclosure_cube_eqs(c), f, NULL, NULL,
                                                   &unsafe, &err),
                             BIMO_OK);
            if (unsafe == 0)
                fail_msg("round %d: complement %zu (value %lld) is not needed", round, cell,
                         (long long)v[cell]);
            f[cell] = BIMO_CELL_SECONDARY;
        }
        bimo_disclosure_cube_free(c);
    }
    print_message("%zu complements, all needed; %zu released as unnecessary\n", secondary,
                  released);
    assert_true(secondary > 20);
    assert_true(released > 0);
}

static void small_cells_in_a_rectangle_need_the_audit(void **state)
{
    (void)state;
    /*        A    B    C   Insg
     * r1     1    1   20    22
     * r2     1    1   30    32
     * r3    10   15   25    50
     * Insg  12   17   75   104
     * Four primary cells; every row and column hides two, so the row/column rule is content,
     * yet r1 gives (r1,A) + (r1,B) = 2: both are pinned to 1. The audit must add cells of
     * rows r1 and r2 (column C or the totals) and of columns A and B (row r3 or the totals). */
    static const int64_t v[16] = {1, 1, 20, 22, 1, 1, 30, 32, 10, 15, 25, 50, 12, 17, 75, 104};
    bimo_disclosure_cube *c = cube2(flat3, 4, flat3, 4);
    bimo_cell_flag f[16];
    bimo_disclosure_stats stats;
    protect_checked(v, bimo_disclosure_cube_eqs(c), NULL, f, &stats);
    assert_int_equal(stats.primary, 4);
    assert_true(stats.by_audit >= 1);
    assert_true(f[2] == BIMO_CELL_SECONDARY || f[3] == BIMO_CELL_SECONDARY);
    assert_true(f[6] == BIMO_CELL_SECONDARY || f[7] == BIMO_CELL_SECONDARY);
    assert_true(f[8] == BIMO_CELL_SECONDARY || f[12] == BIMO_CELL_SECONDARY);
    assert_true(f[9] == BIMO_CELL_SECONDARY || f[13] == BIMO_CELL_SECONDARY);
    bimo_disclosure_cube_free(c);
}

/* Two tables of one release share the municipality totals. */
enum { A_CELLS = 21, B_CELLS = 15 };

static void two_tables(bimo_disclosure_cube **a, bimo_disclosure_cube **b)
{
    /* Table A: Gemeinde -> Kommune -> Landkreis by Geschlecht (m, w, Insg).
     * Table B: Gemeinde (flat) -> Landkreis by deutsch/nichtdeutsch (de, nd, Insg). */
    static const size_t gem_k[] = {4, 4, 5, 5, 6, 6, R};
    static const size_t gem_flat[] = {4, 4, 4, 4, R};
    *a = cube2(gem_k, 7, flat2, 3);
    *b = cube2(gem_flat, 5, flat2, 3);
}

static void tables_sharing_a_margin(void **state)
{
    (void)state;
    /* Table A              m    w   Insg      Table B          de   nd   Insg
     *   G1                 1    1     2         G1              2    0     2
     *   G2                14   16    30         G2             20   10    30
     *   G3                 5    7    12         G3              8    4    12
     *   G4                24   26    50         G4             40   10    50
     *   K1 = G1 + G2      15   17    32         Landkreis      70   24    94
     *   K2 = G3 + G4      29   33    62
     *   Landkreis         44   50    94
     * Alone, A hides row G1 and closes K1's columns with row G2, so (G2,Insg) = 30 is hidden
     * and (G3,Insg) = 12 shown; B hides G1 and closes its Landkreis column Insg with the
     * cheapest total, (G3,Insg) = 12, so it shows (G2,Insg) = 30. Published together,
     * A's K1 = 32 and B's G2 = 30 give G1 = 2. Protected as one release, every shared cell
     * has the same flag in both tables and nothing can be derived. */
    static const int64_t va[A_CELLS] = {1,  1,  2,  14, 16, 30, 5,  7,  12, 24, 26,
                                        50, 15, 17, 32, 29, 33, 62, 44, 50, 94};
    static const int64_t vb[B_CELLS] = {2, 0, 2, 20, 10, 30, 8, 4, 12, 40, 10, 50, 70, 24, 94};
    bimo_disclosure_cube *a, *b;
    two_tables(&a, &b);
    bimo_error err;
    bimo_disclosure_eqs *eqs;
    assert_int_equal(bimo_disclosure_eqs_new(A_CELLS + B_CELLS, &eqs, &err), BIMO_OK);
    assert_int_equal(bimo_disclosure_eqs_append(eqs, bimo_disclosure_cube_eqs(a), 0, &err),
                     BIMO_OK);
    assert_int_equal(bimo_disclosure_eqs_append(eqs, bimo_disclosure_cube_eqs(b), A_CELLS, &err),
                     BIMO_OK);
    /* Shared: (Gi, Insg) for G1..G4 and (Landkreis, Insg). */
    static const size_t a_node[] = {0, 1, 2, 3, 6}, b_node[] = {0, 1, 2, 3, 4};
    size_t shared_a[5], shared_b[5];
    for (size_t i = 0; i < 5; i++) {
        size_t na[2] = {a_node[i], 2}, nb[2] = {b_node[i], 2};
        shared_a[i] = bimo_disclosure_cube_index(a, na);
        shared_b[i] = A_CELLS + bimo_disclosure_cube_index(b, nb);
        assert_int_equal(bimo_disclosure_eqs_add_equal(eqs, shared_a[i], shared_b[i], &err),
                         BIMO_OK);
    }
    int64_t v[A_CELLS + B_CELLS];
    memcpy(v, va, sizeof va);
    memcpy(v + A_CELLS, vb, sizeof vb);

    /* Each table protected on its own: the release as a whole leaks. */
    bimo_cell_flag f[A_CELLS + B_CELLS];
    protect_checked(va, bimo_disclosure_cube_eqs(a), NULL, f, NULL);
    protect_checked(vb, bimo_disclosure_cube_eqs(b), NULL, f + A_CELLS, NULL);
    assert_string_equal(pattern(f, A_CELLS, 3), "PPP/SSS/---/---/---/---/---");
    assert_string_equal(pattern(f + A_CELLS, B_CELLS, 3), "P0P/---/S-S/---/---");
    size_t unsafe = 0;
    assert_int_equal(bimo_disclosure_audit(v, A_CELLS + B_CELLS, eqs, f, NULL, NULL, &unsafe, &err),
                     BIMO_OK);
    assert_true(unsafe > 0);

    /* As one release. */
    protect_checked(v, eqs, NULL, f, NULL);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(f[shared_a[i]], f[shared_b[i]]);
    assert_int_equal(f[shared_a[1]], BIMO_CELL_SECONDARY); /* G2 total, hidden for A's K1 */
    assert_int_equal(f[shared_a[2]], BIMO_CELL_SECONDARY); /* G3 total, hidden for B's column */
    bimo_disclosure_eqs_free(eqs);
    bimo_disclosure_cube_free(a);
    bimo_disclosure_cube_free(b);
}

static void threshold_is_configurable(void **state)
{
    (void)state;
    /* 3 | 4 | 40 | total 47. With threshold 5, counts 3 and 4 are secret as well; they hide
     * each other, and 3 + 4 = 7 leaves each in [1, 6], which spans 5: enough. With
     * threshold 6 it is not, and the audit adds G3 = 40. */
    static const int64_t v[4] = {3, 4, 40, 47};
    bimo_dim_tree dim = {4, flat3};
    bimo_disclosure_cube *c;
    bimo_error err;
    assert_int_equal(bimo_disclosure_cube_new(1, &dim, &c, &err), BIMO_OK);
    bimo_disclosure_options opt;
    bimo_disclosure_options_init(&opt);
    assert_int_equal(opt.threshold, 3);
    bimo_cell_flag f[4];
    protect_checked(v, bimo_disclosure_cube_eqs(c), &opt, f, NULL);
    assert_string_equal(pattern(f, 4, 4), "----");
    opt.threshold = 5;
    protect_checked(v, bimo_disclosure_cube_eqs(c), &opt, f, NULL);
    assert_string_equal(pattern(f, 4, 4), "PP--");
    opt.threshold = 6;
    protect_checked(v, bimo_disclosure_cube_eqs(c), &opt, f, NULL);
    assert_string_equal(pattern(f, 4, 4), "PPS-");
    bimo_disclosure_cube_free(c);
}

static void audit_reports_what_a_reader_can_derive(void **state)
{
    (void)state;
    /* 2 | 5 | 7 | total 14 with only the 2 hidden: 14 - 5 - 7 gives it away exactly. With
     * the 5 hidden too, 2 + 5 = 7 leaves the 2 anywhere in [1, 6]. */
    static const int64_t v[4] = {2, 5, 7, 14};
    bimo_dim_tree dim = {4, flat3};
    bimo_disclosure_cube *c;
    bimo_error err;
    assert_int_equal(bimo_disclosure_cube_new(1, &dim, &c, &err), BIMO_OK);
    const bimo_disclosure_eqs *eqs = bimo_disclosure_cube_eqs(c);
    bimo_cell_flag f[4] = {BIMO_CELL_PRIMARY, BIMO_CELL_PUBLISHED, BIMO_CELL_PUBLISHED,
                           BIMO_CELL_PUBLISHED};
    bimo_disclosure_bounds b[4];
    size_t unsafe = 0;
    assert_int_equal(bimo_disclosure_audit(v, 4, eqs, f, NULL, b, &unsafe, &err), BIMO_OK);
    assert_int_equal(unsafe, 1);
    assert_true(fabs(b[0].lo - 2) < 1e-9 && fabs(b[0].hi - 2) < 1e-9);
    assert_true(b[3].lo == 14 && b[3].hi == 14); /* published: its own value */
    assert_false(bimo_disclosure_bounds_safe(b[0], NULL));

    f[1] = BIMO_CELL_SECONDARY;
    assert_int_equal(bimo_disclosure_audit(v, 4, eqs, f, NULL, b, &unsafe, &err), BIMO_OK);
    assert_int_equal(unsafe, 0);
    assert_true(fabs(b[0].lo - 1) < 1e-9 && fabs(b[0].hi - 6) < 1e-9);
    assert_true(fabs(b[1].lo - 1) < 1e-9 && fabs(b[1].hi - 6) < 1e-9);
    bimo_disclosure_bounds unbounded = {1, INFINITY};
    assert_true(bimo_disclosure_bounds_safe(unbounded, NULL));

    /* Flags that contradict the values are refused: a hidden zero, a shown-as-zero count. */
    f[2] = BIMO_CELL_ZERO;
    assert_int_equal(bimo_disclosure_audit(v, 4, eqs, f, NULL, NULL, &unsafe, &err), BIMO_ERR_ARG);
    bimo_disclosure_cube_free(c);

    /* A release without cells or equations is trivially fine. */
    bimo_disclosure_eqs *none;
    assert_int_equal(bimo_disclosure_eqs_new(0, &none, &err), BIMO_OK);
    assert_int_equal(bimo_disclosure_protect(NULL, 0, none, NULL, NULL, NULL, &err), BIMO_OK);
    bimo_disclosure_eqs_free(none);
}

/* ---- rates ------------------------------------------------------------------------------ */

static void rate_rules(void **state)
{
    (void)state;
    static const struct {
        bimo_cell_flag num, den;
        double den_value;
        bimo_rate_flag expect;
        const char *symbol;
    } cases[] = {
        {BIMO_CELL_PUBLISHED, BIMO_CELL_PUBLISHED, 10, BIMO_RATE_SHOWN, NULL},
        {BIMO_CELL_ZERO, BIMO_CELL_PUBLISHED, 250, BIMO_RATE_SHOWN, NULL}, /* 0 % is fine */
        {BIMO_CELL_PUBLISHED, BIMO_CELL_PUBLISHED, 9, BIMO_RATE_UNRELIABLE, "/"},
        {BIMO_CELL_PUBLISHED, BIMO_CELL_PUBLISHED, 9.5, BIMO_RATE_UNRELIABLE, "/"}, /* a mean */
        {BIMO_CELL_ZERO, BIMO_CELL_ZERO, 0, BIMO_RATE_UNRELIABLE, "/"},
        {BIMO_CELL_PRIMARY, BIMO_CELL_PUBLISHED, 500, BIMO_RATE_SECRET, "."},
        {BIMO_CELL_SECONDARY, BIMO_CELL_PUBLISHED, 500, BIMO_RATE_SECRET, "."},
        {BIMO_CELL_PUBLISHED, BIMO_CELL_SECONDARY, 500, BIMO_RATE_SECRET, "."},
        {BIMO_CELL_PRIMARY, BIMO_CELL_PUBLISHED, 5, BIMO_RATE_SECRET, "."}, /* secret wins */
        {BIMO_CELL_PUBLISHED, BIMO_CELL_PUBLISHED, NAN, BIMO_RATE_UNRELIABLE, "/"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        bimo_rate_flag r =
            bimo_disclosure_rate(cases[i].num, cases[i].den, cases[i].den_value, NULL);
        assert_int_equal(r, cases[i].expect);
        const char *sym = bimo_disclosure_rate_symbol(r);
        if (cases[i].symbol)
            assert_string_equal(sym, cases[i].symbol);
        else
            assert_null(sym);
    }
    bimo_disclosure_options opt;
    bimo_disclosure_options_init(&opt);
    opt.min_denominator = 30;
    assert_int_equal(bimo_disclosure_rate(BIMO_CELL_PUBLISHED, BIMO_CELL_PUBLISHED, 20, &opt),
                     BIMO_RATE_UNRELIABLE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lp_bounds_of_a_small_system),
        cmocka_unit_test(lp_unbounded_and_infeasible),
        cmocka_unit_test(cube_equations_follow_the_trees),
        cmocka_unit_test(bad_trees_and_equations_are_refused),
        cmocka_unit_test(three_by_three_with_one_small_cell),
        cmocka_unit_test(zero_is_never_a_complement),
        cmocka_unit_test(municipality_hierarchy_with_one_small_municipality),
        cmocka_unit_test(small_cells_in_a_rectangle_need_the_audit),
        cmocka_unit_test(every_complement_is_needed),
        cmocka_unit_test(tables_sharing_a_margin),
        cmocka_unit_test(threshold_is_configurable),
        cmocka_unit_test(audit_reports_what_a_reader_can_derive),
        cmocka_unit_test(rate_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
