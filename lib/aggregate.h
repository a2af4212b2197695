/* aggregate.h — summing finest-level rows into a table with every margin: each axis is a tree
 * of categories (leaves, subtotals, one root "Insgesamt"), and a row adds to every combination
 * of its categories' ancestors. Exact quantiles of the values collected per cell. */
#ifndef BIMO_AGGREGATE_H
#define BIMO_AGGREGATE_H

#include <stddef.h>
#include <stdint.h>

#include "bimo.h"

#define BIMO_AGG_MAX_DEPTH 8 /* nodes on the way from a leaf to the root, both included */
#define BIMO_AGG_MAX_AXES  16

/* One axis: nnodes nodes, parent[i] the node that node i is part of, -1 for the root. */
typedef struct bimo_agg_axis {
    size_t nnodes;
    const int *parent;
} bimo_agg_axis;

/* The cells of the table: every tuple of nodes, row-major (the last axis varies fastest),
 * the same order as bimo_disclosure_cube_index(). */
typedef struct bimo_agg bimo_agg;

/* Builds the layout; BIMO_ERR_ARG for a tree without exactly one root, a cycle, a depth over
 * BIMO_AGG_MAX_DEPTH, or more than max_cells cells. *out is owned by the caller. */
bimo_status bimo_agg_new(size_t naxes, const bimo_agg_axis *axes, size_t max_cells, bimo_agg **out,
                         bimo_error *err);
void bimo_agg_free(bimo_agg *agg);

size_t bimo_agg_cells(const bimo_agg *agg);
size_t bimo_agg_axes(const bimo_agg *agg);

/* The cell of the node tuple nodes[0 .. naxes-1]. */
size_t bimo_agg_index(const bimo_agg *agg, const int *nodes);

/* The most cells one row adds to (the product of the axes' depths). */
size_t bimo_agg_max_targets(const bimo_agg *agg);

/* Writes the cells a row with nodes[0 .. naxes-1] adds to (its own cell and all margins above
 * it) into cells (room for bimo_agg_max_targets()) and returns their number. */
size_t bimo_agg_targets(const bimo_agg *agg, const int *nodes, size_t *cells);

/* For each value column v (0 .. nvalues-1), adds values[v][r] of each row r (nodes in
 * rows[r * naxes ..]) to cells[v] of every cell the row belongs to. BIMO_ERR_NOMEM is the only
 * failure. */
bimo_status bimo_agg_sum(const bimo_agg *agg, size_t nrows, const int *rows, size_t nvalues,
                         const int64_t *const *values, int64_t *const *cells);

/* Quantile p (0..1) of sorted[0 .. n-1] by linear interpolation between closest ranks
 * (Hyndman-Fan type 7, the default of R and of Excel's QUARTILE.INC): h = (n - 1) p,
 * x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]). The median of an even n is the
 * mean of the two middle values. n must be > 0. */
double bimo_quantile7(const double *sorted, size_t n, double p);

#endif
