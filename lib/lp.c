/* lp.c — dense tableau simplex for the bounds audit of disclosure control.
 * The systems are small (rows and columns in the hundreds) and their coefficients are 0 and
 * +-1, so a dense tableau in doubles with Dantzig's rule is fast and exact enough; the test
 * suite cross-checks the bounds against GLPK's exact rational simplex.
 *
 * Phase 1 uses one artificial variable per row. Artificials are never stored as columns: once
 * one leaves the basis it can never enter again, so only the structural columns are kept.
 * Degenerate stretches switch to Bland's rule, which cannot cycle. */
#include "lp.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

#define EPS_PIVOT      1e-9 /* smallest usable pivot element */
#define EPS_COST       1e-9 /* reduced costs below this count as zero */
#define EPS_ZERO       1e-12
#define EPS_FEAS       1e-6 /* residual that counts as zero, for right-hand sides up to 1e6 */
#define DEGENERATE_RUN 50

struct bimo_lp {
    size_t m, n;   /* rows still in use (redundant rows are dropped), columns */
    double *t;     /* m x n tableau B^-1 A, row-major, row stride n */
    double *rhs;   /* B^-1 b, kept >= 0 */
    size_t *basis; /* basic variable of each row; n + r marks the artificial of row r */
    double *z;     /* reduced costs of the current objective (to be maximised) */
    size_t *nz;    /* scratch: non-zero columns of the pivot row */
    double zval;   /* current objective value */
    double feas;   /* EPS_FEAS scaled to the right-hand sides */
    int started;
    size_t pivots;
};

bimo_status bimo_lp_new(size_t rows, size_t cols, bimo_lp **out, bimo_error *err)
{
    *out = NULL;
    if (cols == 0 || (rows > 0 && cols > SIZE_MAX / sizeof(double) / rows))
        return bimo_fail(err, BIMO_ERR_ARG, "linear program of %zu x %zu is not possible", rows,
                         cols);
    bimo_lp *lp = calloc(1, sizeof *lp);
    if (!lp)
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory for a linear program");
    lp->m = rows;
    lp->n = cols;
    lp->t = calloc(rows * cols + 1, sizeof *lp->t);
    lp->rhs = calloc(rows + 1, sizeof *lp->rhs);
    lp->basis = calloc(rows + 1, sizeof *lp->basis);
    lp->z = calloc(cols, sizeof *lp->z);
    lp->nz = malloc(cols * sizeof *lp->nz);
    if (!lp->t || !lp->rhs || !lp->basis || !lp->z || !lp->nz) {
        bimo_lp_free(lp);
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory for a linear program of %zu x %zu",
                         rows, cols);
    }
    *out = lp;
    return BIMO_OK;
}

void bimo_lp_free(bimo_lp *lp)
{
    if (!lp)
        return;
    free(lp->t);
    free(lp->rhs);
    free(lp->basis);
    free(lp->z);
    free(lp->nz);
    free(lp);
}

void bimo_lp_set(bimo_lp *lp, size_t row, size_t col, double a)
{
    lp->t[row * lp->n + col] = a;
}

void bimo_lp_set_rhs(bimo_lp *lp, size_t row, double b)
{
    lp->rhs[row] = b;
}

size_t bimo_lp_pivots(const bimo_lp *lp)
{
    return lp->pivots;
}

static void pivot(bimo_lp *lp, size_t r, size_t j)
{
    size_t n = lp->n, *nz = lp->nz, nnz = 0;
    double *pr = lp->t + r * n;
    double p = pr[j];
    for (size_t k = 0; k < n; k++) {
        if (pr[k] != 0.0) {
            pr[k] /= p;
            nz[nnz++] = k;
        }
    }
    pr[j] = 1.0;
    lp->rhs[r] /= p;
    /* The tableau is sparse: only the pivot row's non-zero columns change elsewhere. */
    for (size_t i = 0; i < lp->m; i++) {
        double *row = lp->t + i * n;
        double f = row[j];
        if (i == r || f == 0.0)
            continue;
        for (size_t q = 0; q < nnz; q++) {
            size_t k = nz[q];
            row[k] -= f * pr[k];
            if (fabs(row[k]) < EPS_ZERO)
                row[k] = 0.0;
        }
        row[j] = 0.0;
        lp->rhs[i] -= f * lp->rhs[r];
        if (lp->rhs[i] < 0.0 && lp->rhs[i] > -lp->feas)
            lp->rhs[i] = 0.0;
    }
    double f = lp->z[j];
    if (f != 0.0) {
        for (size_t q = 0; q < nnz; q++)
            lp->z[nz[q]] -= f * pr[nz[q]];
        lp->z[j] = 0.0;
        lp->zval += f * lp->rhs[r];
    }
    lp->basis[r] = j;
    lp->pivots++;
}

/* The entering column: the largest reduced cost (Dantzig) or, under Bland's rule, the first
 * positive one. SIZE_MAX when the current basis is optimal. */
static size_t choose_entering(const bimo_lp *lp, int bland)
{
    size_t best = SIZE_MAX;
    double best_z = EPS_COST;
    for (size_t j = 0; j < lp->n; j++) {
        if (lp->z[j] > best_z) {
            best = j;
            if (bland)
                break;
            best_z = lp->z[j];
        }
    }
    return best;
}

/* The leaving row by the ratio test; ties go to the smallest basic index under Bland's rule
 * and to the larger pivot element otherwise. SIZE_MAX when the column is unbounded. */
static size_t choose_leaving(const bimo_lp *lp, size_t j, int bland, double *ratio)
{
    size_t best = SIZE_MAX;
    double best_ratio = INFINITY, best_piv = 0.0;
    for (size_t i = 0; i < lp->m; i++) {
        double a = lp->t[i * lp->n + j];
        if (a <= EPS_PIVOT)
            continue;
        double q = lp->rhs[i] / a;
        int better;
        if (best == SIZE_MAX || q < best_ratio - EPS_ZERO)
            better = 1;
        else if (q > best_ratio + EPS_ZERO)
            better = 0;
        else if (bland)
            better = lp->basis[i] < lp->basis[best];
        else
            better = a > best_piv;
        if (better) {
            best = i;
            best_ratio = q;
            best_piv = a;
        }
    }
    *ratio = best_ratio;
    return best;
}

/* Runs simplex iterations on the current objective until it is optimal, unbounded, or (with
 * a finite goal) the objective value reaches goal. */
static bimo_lp_result run(bimo_lp *lp, double goal)
{
    size_t limit = 50 * (lp->m + lp->n) + 1000, degenerate = 0;
    for (size_t iter = 0; iter < limit; iter++) {
        if (lp->zval >= goal - EPS_COST)
            return BIMO_LP_REACHED;
        int bland = degenerate >= DEGENERATE_RUN;
        size_t j = choose_entering(lp, bland);
        if (j == SIZE_MAX)
            return BIMO_LP_OPTIMAL;
        double ratio;
        size_t r = choose_leaving(lp, j, bland, &ratio);
        if (r == SIZE_MAX)
            return BIMO_LP_UNBOUNDED;
        degenerate = ratio < EPS_ZERO ? degenerate + 1 : 0;
        pivot(lp, r, j);
    }
    return BIMO_LP_STALLED;
}

static void drop_row(bimo_lp *lp, size_t r)
{
    size_t last = lp->m - 1;
    if (r != last) {
        memcpy(lp->t + r * lp->n, lp->t + last * lp->n, lp->n * sizeof *lp->t);
        lp->rhs[r] = lp->rhs[last];
        lp->basis[r] = lp->basis[last];
    }
    lp->m--;
}

/* After phase 1 an artificial may still be basic at level zero: pivot it out on any usable
 * element of its row, or drop the row when it has none (the row is a combination of others). */
static void drive_out_artificials(bimo_lp *lp)
{
    for (size_t r = 0; r < lp->m;) {
        if (lp->basis[r] < lp->n) {
            r++;
            continue;
        }
        const double *row = lp->t + r * lp->n;
        size_t best = SIZE_MAX;
        double best_a = EPS_PIVOT;
        for (size_t j = 0; j < lp->n; j++) {
            if (fabs(row[j]) > best_a) {
                best = j;
                best_a = fabs(row[j]);
            }
        }
        if (best == SIZE_MAX) {
            drop_row(lp, r);
            continue;
        }
        lp->rhs[r] = 0.0;
        pivot(lp, r, best);
        r++;
    }
}

bimo_lp_result bimo_lp_start(bimo_lp *lp)
{
    size_t n = lp->n;
    double maxb = 0.0;
    for (size_t r = 0; r < lp->m; r++)
        maxb = fmax(maxb, fabs(lp->rhs[r]));
    lp->feas = EPS_FEAS * (1.0 + maxb * 1e-6);
    for (size_t r = 0; r < lp->m; r++) {
        if (lp->rhs[r] < 0.0) {
            for (size_t k = 0; k < n; k++)
                lp->t[r * n + k] = -lp->t[r * n + k];
            lp->rhs[r] = -lp->rhs[r];
        }
        lp->basis[r] = n + r;
    }
    /* Phase 1 maximises minus the sum of the artificials. */
    memset(lp->z, 0, n * sizeof *lp->z);
    lp->zval = 0.0;
    for (size_t r = 0; r < lp->m; r++) {
        for (size_t k = 0; k < n; k++)
            lp->z[k] += lp->t[r * n + k];
        lp->zval -= lp->rhs[r];
    }
    bimo_lp_result res = run(lp, INFINITY);
    if (res == BIMO_LP_STALLED)
        return res;
    if (lp->zval < -lp->feas * (double)(lp->m + 1))
        return BIMO_LP_INFEASIBLE;
    drive_out_artificials(lp);
    lp->started = 1;
    return BIMO_LP_OPTIMAL;
}

bimo_lp_result bimo_lp_bound(bimo_lp *lp, size_t col, int maximize, double goal, double *value)
{
    if (!lp->started)
        return BIMO_LP_STALLED;
    double s = maximize ? 1.0 : -1.0;
    size_t n = lp->n, row = SIZE_MAX;
    for (size_t r = 0; r < lp->m; r++)
        if (lp->basis[r] == col)
            row = r;
    memset(lp->z, 0, n * sizeof *lp->z);
    if (row == SIZE_MAX) {
        lp->z[col] = s;
        lp->zval = 0.0;
    } else {
        for (size_t k = 0; k < n; k++)
            lp->z[k] = -s * lp->t[row * n + k];
        lp->z[col] = 0.0;
        lp->zval = s * lp->rhs[row];
    }
    bimo_lp_result res = run(lp, s * goal);
    if (res == BIMO_LP_UNBOUNDED)
        *value = s * INFINITY;
    else
        *value = s * lp->zval;
    return res;
}
