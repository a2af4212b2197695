/* aggregate.c — margins by ancestor chains: each row is added to the cartesian product of its
 * nodes' chains (leaf, subtotals, root), so a table with all margins takes one pass. */
#include "aggregate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

typedef struct {
    size_t nnodes;
    int *chain;    /* nnodes * BIMO_AGG_MAX_DEPTH: node, parent, ..., root */
    int *depth;    /* chain length per node */
    size_t stride; /* cells between neighbouring nodes of this axis */
} agg_axis;

struct bimo_agg {
    size_t naxes, ncells, max_targets;
    agg_axis *axes;
};

void bimo_agg_free(bimo_agg *agg)
{
    if (!agg)
        return;
    for (size_t a = 0; a < agg->naxes; a++) {
        free(agg->axes[a].chain);
        free(agg->axes[a].depth);
    }
    free(agg->axes);
    free(agg);
}

static bimo_status build_chains(agg_axis *ax, const bimo_agg_axis *in, bimo_error *err)
{
    size_t roots = 0;
    ax->nnodes = in->nnodes;
    ax->chain = malloc(in->nnodes * BIMO_AGG_MAX_DEPTH * sizeof *ax->chain);
    ax->depth = malloc(in->nnodes * sizeof *ax->depth);
    if (!ax->chain || !ax->depth)
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < in->nnodes; i++) {
        int *c = ax->chain + i * BIMO_AGG_MAX_DEPTH;
        int d = 0;
        roots += in->parent[i] < 0;
        for (int n = (int)i; n >= 0; n = in->parent[n]) {
            if (d == BIMO_AGG_MAX_DEPTH || (size_t)n >= in->nnodes)
                return bimo_fail(err, BIMO_ERR_ARG,
                                 "aggregation: node %zu has a cycle, a parent out of range or "
                                 "more than %d levels",
                                 i, BIMO_AGG_MAX_DEPTH);
            c[d++] = n;
        }
        ax->depth[i] = d;
    }
    if (roots != 1)
        return bimo_fail(err, BIMO_ERR_ARG, "aggregation: a tree needs exactly one root, has %zu",
                         roots);
    return BIMO_OK;
}

bimo_status bimo_agg_new(size_t naxes, const bimo_agg_axis *axes, size_t max_cells, bimo_agg **out,
                         bimo_error *err)
{
    *out = NULL;
    if (naxes > BIMO_AGG_MAX_AXES)
        return bimo_fail(err, BIMO_ERR_ARG, "aggregation: at most %d axes", BIMO_AGG_MAX_AXES);
    bimo_agg *agg = calloc(1, sizeof *agg);
    if (!agg || (naxes && !(agg->axes = calloc(naxes, sizeof *agg->axes)))) {
        free(agg);
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    }
    agg->naxes = naxes;
    agg->ncells = 1;
    agg->max_targets = 1;
    bimo_status st = BIMO_OK;
    for (size_t a = 0; a < naxes && st == BIMO_OK; a++) {
        if (axes[a].nnodes == 0 || agg->ncells > max_cells / axes[a].nnodes) {
            st = bimo_fail(err, BIMO_ERR_ARG,
                           "the table would have more than %zu cells; ask for fewer dimensions",
                           max_cells);
            break;
        }
        agg->ncells *= axes[a].nnodes;
        st = build_chains(&agg->axes[a], &axes[a], err);
        int deepest = 0;
        for (size_t i = 0; st == BIMO_OK && i < axes[a].nnodes; i++)
            if (agg->axes[a].depth[i] > deepest)
                deepest = agg->axes[a].depth[i];
        agg->max_targets *= (size_t)deepest;
    }
    size_t stride = 1;
    for (size_t a = naxes; a-- > 0;) {
        agg->axes[a].stride = stride;
        stride *= agg->axes[a].nnodes;
    }
    if (st != BIMO_OK) {
        bimo_agg_free(agg);
        return st;
    }
    *out = agg;
    return BIMO_OK;
}

size_t bimo_agg_cells(const bimo_agg *agg)
{
    return agg->ncells;
}

size_t bimo_agg_axes(const bimo_agg *agg)
{
    return agg->naxes;
}

size_t bimo_agg_max_targets(const bimo_agg *agg)
{
    return agg->max_targets;
}

size_t bimo_agg_index(const bimo_agg *agg, const int *nodes)
{
    size_t cell = 0;
    for (size_t a = 0; a < agg->naxes; a++)
        cell += (size_t)nodes[a] * agg->axes[a].stride;
    return cell;
}

size_t bimo_agg_targets(const bimo_agg *agg, const int *nodes, size_t *cells)
{
    int pos[BIMO_AGG_MAX_AXES] = {0}; /* odometer over the axes' chains */
    size_t n = 0;
    for (;;) {
        size_t cell = 0;
        for (size_t a = 0; a < agg->naxes; a++) {
            const agg_axis *ax = &agg->axes[a];
            cell += (size_t)ax->chain[nodes[a] * BIMO_AGG_MAX_DEPTH + pos[a]] * ax->stride;
        }
        cells[n++] = cell;
        size_t a = agg->naxes;
        while (a-- > 0) {
            if (++pos[a] < agg->axes[a].depth[nodes[a]])
                break;
            pos[a] = 0;
        }
        if (a == (size_t)-1)
            return n;
    }
}

/* Two passes: rows first go to their own (finest) cell, then each touched finest cell is
 * added to its margins, so the margins cost one walk per distinct cell, not per row. */
bimo_status bimo_agg_sum(const bimo_agg *agg, size_t nrows, const int *rows, size_t nvalues,
                         const int64_t *const *values, int64_t *const *cells)
{
    size_t *targets = malloc(agg->max_targets * sizeof *targets);
    size_t *first = malloc(agg->ncells * sizeof *first); /* a row of the cell, or SIZE_MAX */
    size_t *touched = malloc((nrows ? nrows : 1) * sizeof *touched), ntouched = 0;
    int64_t *own = calloc(agg->ncells * (nvalues ? nvalues : 1), sizeof *own);
    if (!targets || !first || !touched || !own) {
        free(targets);
        free(first);
        free(touched);
        free(own);
        return BIMO_ERR_NOMEM;
    }
    memset(first, 0xff, agg->ncells * sizeof *first);
    for (size_t r = 0; r < nrows; r++) {
        size_t cell = 0;
        for (size_t a = 0; a < agg->naxes; a++)
            cell += (size_t)rows[r * agg->naxes + a] * agg->axes[a].stride;
        if (first[cell] == SIZE_MAX) {
            first[cell] = r;
            touched[ntouched++] = cell;
        }
        for (size_t v = 0; v < nvalues; v++)
            own[cell * nvalues + v] += values[v][r];
    }
    for (size_t i = 0; i < ntouched; i++) {
        size_t cell = touched[i];
        size_t n = bimo_agg_targets(agg, rows ? rows + first[cell] * agg->naxes : NULL, targets);
        for (size_t v = 0; v < nvalues; v++) {
            int64_t x = own[cell * nvalues + v];
            for (size_t t = 0; t < n; t++)
                cells[v][targets[t]] += x;
        }
    }
    free(targets);
    free(first);
    free(touched);
    free(own);
    return BIMO_OK;
}

double bimo_quantile7(const double *sorted, size_t n, double p)
{
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);
    if (lo + 1 >= n)
        return sorted[n - 1];
    return sorted[lo] + (h - (double)lo) * (sorted[lo + 1] - sorted[lo]);
}
