/* lp.h — a small dense simplex that bounds single variables of a linear system.
 * Disclosure control uses it to find what a reader can derive about suppressed cells. */
#ifndef BIMO_LP_H
#define BIMO_LP_H

#include <stddef.h>

#include "bimo.h"

/* The problem is always  A y = b,  y >= 0  with m rows and n columns. Phase 1 finds one
 * feasible basis; every later bound starts from the basis the previous one ended on, so a
 * sequence of min/max questions over the same system costs a few pivots each. */
typedef struct bimo_lp bimo_lp;

typedef enum bimo_lp_result {
    BIMO_LP_OPTIMAL,    /* the bound was found; *value holds it */
    BIMO_LP_REACHED,    /* a feasible point reached the goal; *value is that point's value */
    BIMO_LP_UNBOUNDED,  /* the variable has no finite bound in that direction */
    BIMO_LP_INFEASIBLE, /* A y = b has no solution with y >= 0 */
    BIMO_LP_STALLED     /* the iteration limit was hit (numerical trouble); no answer */
} bimo_lp_result;

/* Creates a problem with all coefficients and right-hand sides zero. On success *out is
 * owned by the caller (bimo_lp_free). */
bimo_status bimo_lp_new(size_t rows, size_t cols, bimo_lp **out, bimo_error *err);

/* Frees the problem; NULL is fine. */
void bimo_lp_free(bimo_lp *lp);

/* Sets A[row][col] and b[row]. Only before bimo_lp_start(). */
void bimo_lp_set(bimo_lp *lp, size_t row, size_t col, double a);
void bimo_lp_set_rhs(bimo_lp *lp, size_t row, double b);

/* Phase 1: finds a feasible basis and drops redundant rows. Returns BIMO_LP_OPTIMAL when
 * the system is feasible, BIMO_LP_INFEASIBLE or BIMO_LP_STALLED otherwise. */
bimo_lp_result bimo_lp_start(bimo_lp *lp);

/* Maximises (maximize != 0) or minimises y[col] over the feasible set. The search stops
 * early with BIMO_LP_REACHED once a feasible point has y[col] >= goal (maximising) or
 * <= goal (minimising); pass INFINITY / -INFINITY to get the exact bound. *value receives
 * the bound, the reached value, or +-INFINITY when unbounded. Needs bimo_lp_start() first. */
bimo_lp_result bimo_lp_bound(bimo_lp *lp, size_t col, int maximize, double goal, double *value);

/* Number of pivots done so far (for statistics and tests). */
size_t bimo_lp_pivots(const bimo_lp *lp);

#endif
