/* test_disclosure_attack.c — attacks protected random tables: every suppressed cell is
 * re-derived from the published cells with GLPK's exact simplex and must stay undetermined.
 *
 * The test builds its own additivity equations from the category trees and solves its own
 * linear programs with GLPK, so it does not rely on the code it tests. Tables are seeded and
 * deterministic: 1-3 dimensions of 2-8 categories, sometimes one level of subtotals (some
 * with a single member, like a municipality that is its own reporting unit), counts with many
 * zeros and small values; one release in five is a pair of tables from the same data that
 * share the margin of their first dimension. BIMO_ATTACK_TABLES sets how many releases are
 * attacked (default 1000). BIMO_ATTACK_INTEGER=1 adds an integer attack (GLPK's branch and
 * bound on every bounded cell): slower, and so far it never found a narrower interval than
 * the rounded linear bounds. */
#include <inttypes.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <glpk.h>

#include "attack_equations.h"
#include "bimo.h"
#include "disclosure.h"

#define SEED        UINT64_C(20251231)
#define MAX_CELLS   360 /* per release, so 1,000 releases stay within seconds */
#define MAX_NODES   16
#define THRESHOLD   3
#define EXACT_EVERY 25 /* every 25th release is re-solved entirely in rational arithmetic */

/* ---- random releases -------------------------------------------------------------------- */

static uint64_t next(uint64_t *s) /* splitmix64 */
{
    uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static size_t uniform(uint64_t *s, size_t lo, size_t hi) /* lo .. hi inclusive */
{
    return lo + (size_t)(next(s) % (hi - lo + 1));
}

/* Many zeros and small values, a few large ones. */
static int64_t skewed_count(uint64_t *s)
{
    size_t r = uniform(s, 0, 99);
    if (r < 30)
        return 0;
    if (r < 55)
        return (int64_t)uniform(s, 1, 2);
    if (r < 75)
        return (int64_t)uniform(s, 3, 9);
    if (r < 95)
        return (int64_t)uniform(s, 10, 99);
    return (int64_t)uniform(s, 100, 999);
}

typedef struct {
    size_t nnodes, nleaves;
    size_t parent[MAX_NODES];
} tree;

/* Leaves first, then the subtotals (if any), then the root. */
static void random_tree(uint64_t *s, tree *t)
{
    size_t leaves = uniform(s, 2, 8), groups = 0;
    if (uniform(s, 0, 1))
        groups = uniform(s, 2, leaves < 4 ? leaves : 4);
    t->nleaves = leaves;
    t->nnodes = leaves + groups + 1;
    size_t root = t->nnodes - 1;
    for (size_t i = 0; i < leaves; i++)
        t->parent[i] = groups == 0 ? root : leaves + (i < groups ? i : uniform(s, 0, groups - 1));
    for (size_t g = 0; g < groups; g++)
        t->parent[leaves + g] = root;
    t->parent[root] = BIMO_DIM_ROOT;
}

/* ---- equations built by the test itself -------------------------------------------------- */

/* For every cell of a table and every dimension in which its category has members:
 * cell = sum over the members. Cells are numbered from offset, row-major. */
static void table_equations(size_t ndims, const tree *dims, size_t offset, eqlist *l)
{
    size_t ncells = 1, coord[3];
    for (size_t d = 0; d < ndims; d++)
        ncells *= dims[d].nnodes;
    for (size_t c = 0; c < ncells; c++) {
        size_t rest = c;
        for (size_t d = ndims; d-- > 0;) {
            coord[d] = rest % dims[d].nnodes;
            rest /= dims[d].nnodes;
        }
        size_t stride = 1;
        for (size_t d = ndims; d-- > 0;) {
            int any = 0;
            for (size_t k = 0; k < dims[d].nnodes; k++) {
                if (dims[d].parent[k] != coord[d])
                    continue;
                if (!any)
                    eq_begin(l, offset + c);
                any = 1;
                eq_push(l, offset + c + (k - coord[d]) * stride);
            }
            if (any)
                eq_end(l);
            stride *= dims[d].nnodes;
        }
    }
}

static void link_cells(eqlist *l, size_t a, size_t b)
{
    eq_begin(l, a);
    eq_push(l, b);
    eq_end(l);
}

/* ---- one release ------------------------------------------------------------------------ */

typedef struct {
    size_t ntables, ncells;
    size_t ndims[2];
    tree dims[2][3];
    size_t offset[2];
    int64_t *values;
    eqlist eqs;
} release;

static int is_ancestor_or_self(const tree *t, size_t anc, size_t node)
{
    for (size_t p = node; p != BIMO_DIM_ROOT; p = t->parent[p])
        if (p == anc)
            return 1;
    return 0;
}

/* The value of a table cell: the sum of the micro counts (over the leaves of all base
 * dimensions) that fall under its categories. base_of maps table dimension -> base dim. */
static int64_t cell_value(const tree *base, size_t nbase, const int64_t *micro,
                          const size_t *base_of, size_t ndims, const size_t *coord)
{
    size_t nmicro = 1;
    for (size_t d = 0; d < nbase; d++)
        nmicro *= base[d].nleaves;
    int64_t sum = 0;
    for (size_t m = 0; m < nmicro; m++) {
        size_t leaf[3], rest = m;
        for (size_t d = nbase; d-- > 0;) {
            leaf[d] = rest % base[d].nleaves;
            rest /= base[d].nleaves;
        }
        int in = 1;
        for (size_t d = 0; d < ndims && in; d++)
            in = is_ancestor_or_self(&base[base_of[d]], coord[d], leaf[base_of[d]]);
        if (in)
            sum += micro[m];
    }
    return sum;
}

static size_t cells_of(size_t ndims, const tree *dims)
{
    size_t n = 1;
    for (size_t d = 0; d < ndims; d++)
        n *= dims[d].nnodes;
    return n;
}

static void fill_table(release *r, size_t t, const tree *base, size_t nbase, const int64_t *micro,
                       const size_t *base_of)
{
    size_t nd = r->ndims[t], n = cells_of(nd, r->dims[t]);
    for (size_t c = 0; c < n; c++) {
        size_t coord[3], rest = c;
        for (size_t d = nd; d-- > 0;) {
            coord[d] = rest % r->dims[t][d].nnodes;
            rest /= r->dims[t][d].nnodes;
        }
        r->values[r->offset[t] + c] = cell_value(base, nbase, micro, base_of, nd, coord);
    }
}

/* A single table of 1-3 dimensions, or (one in five) two 2-dimensional tables over the same
 * micro data that share their first dimension, tied by equations over that margin. */
static void random_release(uint64_t *s, release *r)
{
    memset(r, 0, sizeof *r);
    tree base[3];
    size_t nbase;
    int pair = uniform(s, 0, 4) == 0;
    for (;;) {
        nbase = pair ? 3 : uniform(s, 1, 3);
        for (size_t d = 0; d < nbase; d++)
            random_tree(s, &base[d]);
        if (pair) {
            r->ntables = 2;
            r->ndims[0] = r->ndims[1] = 2;
            r->dims[0][0] = r->dims[1][0] = base[0];
            r->dims[0][1] = base[1];
            r->dims[1][1] = base[2];
        } else {
            r->ntables = 1;
            r->ndims[0] = nbase;
            for (size_t d = 0; d < nbase; d++)
                r->dims[0][d] = base[d];
        }
        r->ncells = 0;
        for (size_t t = 0; t < r->ntables; t++) {
            r->offset[t] = r->ncells;
            r->ncells += cells_of(r->ndims[t], r->dims[t]);
        }
        if (r->ncells <= MAX_CELLS)
            break;
    }
    size_t nmicro = 1;
    for (size_t d = 0; d < nbase; d++)
        nmicro *= base[d].nleaves;
    int64_t *micro = malloc(nmicro * sizeof *micro);
    assert_non_null(micro);
    for (size_t m = 0; m < nmicro; m++)
        micro[m] = skewed_count(s);
    r->values = malloc(r->ncells * sizeof *r->values);
    assert_non_null(r->values);
    static const size_t single[] = {0, 1, 2}, first_pair[] = {0, 1}, second_pair[] = {0, 2};
    if (pair) {
        fill_table(r, 0, base, nbase, micro, first_pair);
        fill_table(r, 1, base, nbase, micro, second_pair);
    } else {
        fill_table(r, 0, base, nbase, micro, single);
    }
    free(micro);
    for (size_t t = 0; t < r->ntables; t++)
        table_equations(r->ndims[t], r->dims[t], r->offset[t], &r->eqs);
    if (pair) {
        /* Cell (g, Insgesamt) is the same number in both tables. */
        size_t n0 = r->dims[0][0].nnodes, w1 = r->dims[0][1].nnodes, w2 = r->dims[1][1].nnodes;
        for (size_t g = 0; g < n0; g++)
            link_cells(&r->eqs, r->offset[0] + g * w1 + (w1 - 1), r->offset[1] + g * w2 + (w2 - 1));
    }
}

static void release_free(release *r)
{
    free(r->values);
    free(r->eqs.start);
    free(r->eqs.cells);
}

/* The library's view of the same release: cubes, appended, and the same links. */
static bimo_disclosure_eqs *library_equations(const release *r)
{
    bimo_error err;
    bimo_disclosure_eqs *eqs;
    assert_int_equal(bimo_disclosure_eqs_new(r->ncells, &eqs, &err), BIMO_OK);
    for (size_t t = 0; t < r->ntables; t++) {
        bimo_dim_tree dims[3];
        for (size_t d = 0; d < r->ndims[t]; d++) {
            dims[d].nnodes = r->dims[t][d].nnodes;
            dims[d].parent = r->dims[t][d].parent;
        }
        bimo_disclosure_cube *cube;
        assert_int_equal(bimo_disclosure_cube_new(r->ndims[t], dims, &cube, &err), BIMO_OK);
        assert_int_equal(
            bimo_disclosure_eqs_append(eqs, bimo_disclosure_cube_eqs(cube), r->offset[t], &err),
            BIMO_OK);
        bimo_disclosure_cube_free(cube);
    }
    if (r->ntables == 2) {
        size_t n0 = r->dims[0][0].nnodes, w1 = r->dims[0][1].nnodes, w2 = r->dims[1][1].nnodes;
        for (size_t g = 0; g < n0; g++)
            assert_int_equal(bimo_disclosure_eqs_add_equal(eqs, r->offset[0] + g * w1 + (w1 - 1),
                                                           r->offset[1] + g * w2 + (w2 - 1), &err),
                             BIMO_OK);
    }
    /* Both ways of writing the equations must agree in number. */
    assert_int_equal(bimo_disclosure_eqs_count(eqs), r->eqs.count);
    return eqs;
}

/* ---- the attack ------------------------------------------------------------------------- */

typedef struct {
    int integer; /* also attack with integer programs */
    size_t releases, pairs, cells, zero, primary, secondary, lps, exact, mips;
    double max_diff;
    double t_protect, t_audit, t_glpk; /* seconds */
    size_t by_audit, rounds, pivots;
} tally;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int suppressed(bimo_cell_flag f)
{
    return f == BIMO_CELL_PRIMARY || f == BIMO_CELL_SECONDARY;
}

/* Groups of suppressed cells joined by equations: the test's own union-find. Bounds of one
 * group do not depend on the others, and small LPs are much faster for GLPK. */
static void hidden_groups(const release *r, const bimo_cell_flag *flags, size_t *up)
{
    for (size_t c = 0; c < r->ncells; c++)
        up[c] = c;
    for (size_t e = 0; e < r->eqs.count; e++) {
        size_t first = SIZE_MAX;
        for (size_t k = r->eqs.start[e]; k < r->eqs.start[e + 1]; k++) {
            size_t c = r->eqs.cells[k];
            if (!suppressed(flags[c]))
                continue;
            if (first == SIZE_MAX)
                first = find_root(up, c);
            else
                up[find_root(up, c)] = first;
        }
    }
}

/* Builds the attacker's LP for the group whose root is g: one column per suppressed cell of the
 * group (>= 1, since zeros are shown), one fixed row per equation that contains one, published
 * cells moved to the right-hand side. */
static glp_prob *attacker_lp(const release *r, const bimo_cell_flag *flags, size_t *up, size_t g,
                             size_t *col_of)
{
    glp_prob *P = glp_create_prob();
    int ncols = 0;
    for (size_t c = 0; c < r->ncells; c++)
        col_of[c] = suppressed(flags[c]) && find_root(up, c) == g ? (size_t)++ncols : 0;
    glp_add_cols(P, ncols);
    for (int j = 1; j <= ncols; j++)
        glp_set_col_bnds(P, j, GLP_LO, 1.0, 0.0);
    int *ind = malloc((r->ncells + 1) * sizeof *ind);
    double *val = malloc((r->ncells + 1) * sizeof *val);
    assert_true(ind && val);
    for (size_t e = 0; e < r->eqs.count; e++) {
        int len = 0;
        double rhs = 0;
        for (size_t k = r->eqs.start[e]; k < r->eqs.start[e + 1]; k++) {
            size_t c = r->eqs.cells[k];
            double coef = k == r->eqs.start[e] ? 1.0 : -1.0;
            if (col_of[c]) {
                len++;
                ind[len] = (int)col_of[c];
                val[len] = coef;
            } else if (!suppressed(flags[c])) {
                rhs -= coef * (double)r->values[c];
            }
        }
        if (len == 0)
            continue;
        int row = glp_add_rows(P, 1);
        glp_set_row_bnds(P, row, GLP_FX, rhs, rhs);
        glp_set_mat_row(P, row, len, ind, val);
    }
    free(ind);
    free(val);
    return P;
}

/* The test's own statement of the criterion: the integers in [lo, hi] span >= threshold. */
static int wide_enough(double lo, double hi)
{
    return isinf(hi) || floor(hi + 1e-6) - ceil(lo - 1e-6) >= THRESHOLD;
}

/* The integer bounds of column j: branch and bound on a copy with integer columns. */
static void integer_bounds(glp_prob *P, int j, double *lo, double *hi)
{
    glp_prob *Q = glp_create_prob();
    glp_copy_prob(Q, P, GLP_OFF);
    int ncols = glp_get_num_cols(Q);
    for (int k = 1; k <= ncols; k++) {
        glp_set_obj_coef(Q, k, k == j ? 1.0 : 0.0);
        glp_set_col_kind(Q, k, GLP_IV);
    }
    glp_iocp parm;
    glp_init_iocp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    parm.presolve = GLP_ON;
    for (int dir = 0; dir < 2; dir++) {
        glp_set_obj_dir(Q, dir ? GLP_MIN : GLP_MAX);
        assert_int_equal(glp_intopt(Q, &parm), 0);
        assert_int_equal(glp_mip_status(Q), GLP_OPT);
        *(dir ? lo : hi) = glp_mip_obj_val(Q);
    }
    glp_delete_prob(Q);
}

static int integral(double x)
{
    return fabs(x - round(x)) < 1e-7;
}

/* Bounds every cell of one group with GLPK and checks them against the criterion and against
 * the library's own audit. The floating simplex answers first; the exact rational simplex
 * re-solves every cell of every 25th release, and every cell whose verdict a rounding error
 * could change: an interval exactly as wide as the threshold, or a bound that is not an
 * integer (rounding it decides the verdict). */
static void check_group(size_t index, const release *r, const bimo_cell_flag *flags,
                        const bimo_disclosure_bounds *lib, glp_prob *P, const size_t *col_of,
                        tally *tl)
{
    for (size_t c = 0; c < r->ncells; c++) {
        if (!col_of[c])
            continue;
        int j = (int)col_of[c], exact = index % EXACT_EVERY == 0;
        /* An unbounded cell is safe whatever its lower bound; only the bounded need both. */
        double hi = glpk_bound(P, j, GLP_MAX, exact), lo = 1.0;
        tl->lps++;
        tl->exact += exact;
        if (!isinf(hi)) {
            lo = glpk_bound(P, j, GLP_MIN, exact);
            tl->lps++;
            tl->exact += exact;
            if (!exact && (floor(hi + 1e-6) - ceil(lo - 1e-6) <= THRESHOLD || !integral(lo) ||
                           !integral(hi))) {
                hi = glpk_bound(P, j, GLP_MAX, 1);
                lo = glpk_bound(P, j, GLP_MIN, 1);
                tl->exact += 2;
            }
        }
        if (tl->integer && !isinf(hi)) {
            double ilo, ihi;
            integer_bounds(P, j, &ilo, &ihi);
            tl->mips += 2;
            if (!wide_enough(ilo, ihi))
                fail_msg("release %zu: cell %zu = %" PRId64 " is narrowed to [%g, %g] by an "
                         "integer attack (linear bounds [%g, %g])",
                         index, c, r->values[c], ilo, ihi, lo, hi);
        }
        if (lo > (double)r->values[c] + 1e-9 || hi < (double)r->values[c] - 1e-9)
            fail_msg("release %zu: cell %zu = %" PRId64 " outside its bounds [%g, %g]", index, c,
                     r->values[c], lo, hi);
        if (!wide_enough(lo, hi))
            fail_msg("release %zu: cell %zu = %" PRId64 " (%s) is narrowed to [%g, %g]", index, c,
                     r->values[c], flags[c] == BIMO_CELL_PRIMARY ? "primary" : "secondary", lo, hi);
        if (isinf(hi) != isinf(lib[c].hi))
            fail_msg("release %zu: cell %zu: GLPK hi %g, library hi %g", index, c, hi, lib[c].hi);
        double diff = isinf(hi) ? 0.0 : fmax(fabs(lo - lib[c].lo), fabs(hi - lib[c].hi));
        if (diff > 1e-6)
            fail_msg("release %zu: cell %zu: GLPK [%g, %g], library [%g, %g]", index, c, lo, hi,
                     lib[c].lo, lib[c].hi);
        if (diff > tl->max_diff)
            tl->max_diff = diff;
    }
}

static void attack_release(size_t index, const release *r, tally *tl)
{
    bimo_disclosure_eqs *eqs = library_equations(r);
    int64_t *copy = malloc(r->ncells * sizeof *copy);
    bimo_cell_flag *flags = malloc(r->ncells * sizeof *flags);
    bimo_disclosure_bounds *lib = malloc(r->ncells * sizeof *lib);
    size_t *col_of = malloc(r->ncells * sizeof *col_of), *up = malloc(r->ncells * sizeof *up);
    assert_true(copy && flags && lib && col_of && up);
    memcpy(copy, r->values, r->ncells * sizeof *copy);
    bimo_error err;
    double t0 = now();
    bimo_disclosure_stats stats;
    bimo_status st = bimo_disclosure_protect(r->values, r->ncells, eqs, NULL, flags, &stats, &err);
    tl->t_protect += now() - t0;
    tl->by_audit += stats.by_audit;
    tl->rounds += stats.audit_rounds;
    tl->pivots += stats.lp_pivots;
    if (st != BIMO_OK)
        fail_msg("release %zu: protect failed: %s", index, err.message);

    /* Nothing published was changed; zeros are shown; every small count is hidden. */
    assert_memory_equal(copy, r->values, r->ncells * sizeof *copy);
    for (size_t c = 0; c < r->ncells; c++) {
        int64_t v = r->values[c];
        if ((v == 0) != (flags[c] == BIMO_CELL_ZERO) ||
            ((v > 0 && v < THRESHOLD) != (flags[c] == BIMO_CELL_PRIMARY)))
            fail_msg("release %zu: cell %zu = %" PRId64 " has flag %d", index, c, v, flags[c]);
        tl->zero += flags[c] == BIMO_CELL_ZERO;
        tl->primary += flags[c] == BIMO_CELL_PRIMARY;
        tl->secondary += flags[c] == BIMO_CELL_SECONDARY;
    }
    tl->cells += r->ncells;

    /* No equation hides exactly one cell. */
    for (size_t e = 0; e < r->eqs.count; e++) {
        size_t hidden = 0;
        for (size_t k = r->eqs.start[e]; k < r->eqs.start[e + 1]; k++)
            hidden += suppressed(flags[r->eqs.cells[k]]);
        if (hidden == 1)
            fail_msg("release %zu: equation %zu hides a single cell", index, e);
    }

    /* The library's own exact audit, to compare with GLPK. */
    size_t unsafe = 0;
    t0 = now();
    assert_int_equal(
        bimo_disclosure_audit(r->values, r->ncells, eqs, flags, NULL, lib, &unsafe, &err), BIMO_OK);
    assert_int_equal(unsafe, 0);
    tl->t_audit += now() - t0;

    t0 = now();
    hidden_groups(r, flags, up);
    for (size_t c = 0; c < r->ncells; c++) {
        if (!suppressed(flags[c]) || find_root(up, c) != c)
            continue;
        glp_prob *P = attacker_lp(r, flags, up, c, col_of);
        check_group(index, r, flags, lib, P, col_of, tl);
        glp_delete_prob(P);
    }
    tl->t_glpk += now() - t0;
    bimo_disclosure_eqs_free(eqs);
    free(copy);
    free(flags);
    free(lib);
    free(col_of);
    free(up);
}

static size_t releases_wanted(void)
{
    const char *env = getenv("BIMO_ATTACK_TABLES");
    if (env && *env) {
        long n = strtol(env, NULL, 10);
        if (n > 0)
            return (size_t)n;
    }
    return 1000;
}

static void random_tables_resist_the_attack(void **state)
{
    (void)state;
    glp_term_out(GLP_OFF);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    tally tl = {0};
    const char *integer = getenv("BIMO_ATTACK_INTEGER");
    tl.integer = integer && strcmp(integer, "1") == 0;
    size_t want = releases_wanted();
    for (size_t i = 0; i < want; i++) {
        uint64_t s = SEED ^ (UINT64_C(0x100000001B3) * (i + 1));
        release r;
        random_release(&s, &r);
        attack_release(i, &r, &tl);
        tl.releases++;
        tl.pairs += r.ntables == 2;
        release_free(&r);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("disclosure attack: %zu releases (%zu of them two tables sharing a margin), %zu cells: "
           "%zu zero, %zu primary, %zu secondary; %zu GLPK bounds (%zu also exact) on %zu "
           "suppressed cells, none narrower than %d; largest difference to the library's audit "
           "%.3g; %.1f s\n",
           tl.releases, tl.pairs, tl.cells, tl.zero, tl.primary, tl.secondary, tl.lps, tl.exact,
           tl.primary + tl.secondary, THRESHOLD, tl.max_diff, secs);
    if (tl.integer)
        printf("integer attack: %zu integer bounds, none narrower than %d\n", tl.mips, THRESHOLD);
    printf("protect: %zu complements from the audit, %zu audit rounds, %zu pivots; time: protect "
           "%.2f s, library audit %.2f s, GLPK %.2f s\n",
           tl.by_audit, tl.rounds, tl.pivots, tl.t_protect, tl.t_audit, tl.t_glpk);
    assert_int_equal(tl.releases, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(random_tables_resist_the_attack),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
