/* disclosure.h — statistical disclosure control of published tables: primary and secondary
 * cell suppression with an exact audit, and the symbols of German official statistics. */
#ifndef BIMO_DISCLOSURE_H
#define BIMO_DISCLOSURE_H

#include <stddef.h>
#include <stdint.h>

#include "bimo.h"

#define BIMO_DISCLOSURE_THRESHOLD       3  /* counts with 0 < n < 3 are secret */
#define BIMO_DISCLOSURE_MIN_DENOMINATOR 10 /* rates over fewer cases are not reliable */

typedef struct bimo_disclosure_options {
    int64_t threshold;      /* a count with 0 < n < threshold is secret; at least 1 */
    double min_denominator; /* a rate whose denominator is below this is shown as "/" */
} bimo_disclosure_options;

/* Fills opt with the defaults above. Functions taking options accept NULL for them. */
void bimo_disclosure_options_init(bimo_disclosure_options *opt);

/* The outcome for one count cell. */
typedef enum bimo_cell_flag {
    BIMO_CELL_PUBLISHED = 0, /* shown as its number */
    BIMO_CELL_ZERO,     /* exactly zero, shown as "–"; never suppressed, never a complement */
    BIMO_CELL_PRIMARY,  /* 0 < n < threshold, shown as "." */
    BIMO_CELL_SECONDARY /* complement of other secret cells, shown as "." */
} bimo_cell_flag;

/* The symbol printed instead of the number: "–" for zero, "." for a suppressed cell, NULL for
 * a published one (print the number). */
const char *bimo_disclosure_symbol(bimo_cell_flag flag);

/* ---- Additivity equations --------------------------------------------------------------- */

/* A set of equations  cell[total] = sum of cell[parts]  over cells 0 .. ncells-1. Several
 * tables of one release go into one set (see bimo_disclosure_eqs_append), and a cell that
 * appears in two tables is tied with bimo_disclosure_eqs_add_equal (or given one index). */
typedef struct bimo_disclosure_eqs bimo_disclosure_eqs;

/* Creates an empty set over ncells cells. *out is owned by the caller. */
bimo_status bimo_disclosure_eqs_new(size_t ncells, bimo_disclosure_eqs **out, bimo_error *err);

/* Frees the set; NULL is fine. */
void bimo_disclosure_eqs_free(bimo_disclosure_eqs *eqs);

/* Adds  cell[total] = sum of cell[parts[0 .. nparts-1]]. The cells must be distinct and
 * below ncells, nparts at least 1 (BIMO_ERR_ARG otherwise). parts is copied. */
bimo_status bimo_disclosure_eqs_add(bimo_disclosure_eqs *eqs, size_t total, const size_t *parts,
                                    size_t nparts, bimo_error *err);

/* Adds cell[a] = cell[b]: the same number shown in two tables. */
bimo_status bimo_disclosure_eqs_add_equal(bimo_disclosure_eqs *eqs, size_t a, size_t b,
                                          bimo_error *err);

/* Copies every equation of src into dst with all cell indices shifted by offset: cells
 * 0 .. n-1 of src become offset .. offset+n-1 of dst. */
bimo_status bimo_disclosure_eqs_append(bimo_disclosure_eqs *dst, const bimo_disclosure_eqs *src,
                                       size_t offset, bimo_error *err);

size_t bimo_disclosure_eqs_cells(const bimo_disclosure_eqs *eqs);
size_t bimo_disclosure_eqs_count(const bimo_disclosure_eqs *eqs);

/* Equation i: returns its total cell and points *parts at its nparts part cells (owned by
 * the set, valid until it changes). */
size_t bimo_disclosure_eqs_get(const bimo_disclosure_eqs *eqs, size_t i, const size_t **parts,
                               size_t *nparts);

/* ---- Tables with hierarchical margins ---------------------------------------------------- */

#define BIMO_DIM_ROOT ((size_t)-1) /* parent of a dimension's root ("Insgesamt") */

/* One dimension of a table as a tree of categories: leaves, subtotal nodes and one root,
 * e.g. Gemeinde -> Kommune -> Region -> Landkreis. parent[i] is the node of which node i
 * is a part, BIMO_DIM_ROOT for the root. Each inner node is the sum of its children. */
typedef struct bimo_dim_tree {
    size_t nnodes;
    const size_t *parent;
} bimo_dim_tree;

/* A table over ndims such dimensions: one cell for every tuple of nodes (leaves and
 * subtotals alike), indexed row-major (the last dimension varies fastest). */
typedef struct bimo_disclosure_cube bimo_disclosure_cube;

/* Builds the cube and its equations: for every dimension, every inner node and every
 * combination of the other dimensions' nodes, cell(.., node, ..) = sum of cell(.., child, ..).
 * BIMO_ERR_ARG for a tree without exactly one root, with a cycle or a parent out of range.
 * The trees are not kept. *out is owned by the caller. */
bimo_status bimo_disclosure_cube_new(size_t ndims, const bimo_dim_tree *dims,
                                     bimo_disclosure_cube **out, bimo_error *err);

/* Frees the cube and its equations; NULL is fine. */
void bimo_disclosure_cube_free(bimo_disclosure_cube *cube);

size_t bimo_disclosure_cube_cells(const bimo_disclosure_cube *cube);

/* The cell index of the node tuple nodes[0 .. ndims-1]. */
size_t bimo_disclosure_cube_index(const bimo_disclosure_cube *cube, const size_t *nodes);

/* The cube's equations, owned by the cube. */
const bimo_disclosure_eqs *bimo_disclosure_cube_eqs(const bimo_disclosure_cube *cube);

/* ---- Protection ------------------------------------------------------------------------- */

/* What bimo_disclosure_protect() did; any field may be ignored. */
typedef struct bimo_disclosure_stats {
    size_t zero, primary, secondary; /* cells flagged so */
    size_t by_audit;                 /* secondary cells added because the audit failed */
    size_t audit_rounds;             /* audit passes run */
    size_t released;                 /* complements published again as unnecessary */
    size_t lp_pivots;                /* simplex pivots, a measure of the audit's work */
} bimo_disclosure_stats;

/* Decides for each of the ncells cells (values[i] >= 0, counts) whether it is published,
 * zero, or suppressed (primary or secondary), and writes flags[0 .. ncells-1]. The values
 * must satisfy every equation (BIMO_ERR_DATA otherwise) and be below 2^31; ncells must
 * equal bimo_disclosure_eqs_cells(eqs). On BIMO_OK the result passes
 * bimo_disclosure_audit(); on failure the flags are unspecified. stats may be NULL.
 * Complements that the greedy search added but that turn out unnecessary are published
 * again afterwards, the largest first, each only if every hidden cell stays safe (within a
 * counted amount of work, so the result never depends on the machine's speed).
 * The audit solves one dense linear program per group of connected hidden cells: a
 * municipality hierarchy (60 nodes) by 9 age groups (540 cells) takes milliseconds, the same
 * by sex as well (1,620 cells) a few tenths of a second. */
bimo_status bimo_disclosure_protect(const int64_t *values, size_t ncells,
                                    const bimo_disclosure_eqs *eqs,
                                    const bimo_disclosure_options *opt, bimo_cell_flag *flags,
                                    bimo_disclosure_stats *stats, bimo_error *err);

/* As bimo_disclosure_protect(), and every non-zero cell c with forced[c] != 0 is suppressed
 * as well (a secondary cell, before the complements are chosen), e.g. because an earlier
 * release of the same table suppressed it. forced may be NULL. */
bimo_status bimo_disclosure_protect_forced(const int64_t *values, size_t ncells,
                                           const bimo_disclosure_eqs *eqs,
                                           const bimo_disclosure_options *opt,
                                           const unsigned char *forced, bimo_cell_flag *flags,
                                           bimo_disclosure_stats *stats, bimo_error *err);

/* The interval a reader can derive for a cell; hi is INFINITY when it is unbounded. */
typedef struct bimo_disclosure_bounds {
    double lo, hi;
} bimo_disclosure_bounds;

/* The audit criterion: a suppressed cell is safe when the integers in [lo, hi] span at
 * least threshold, i.e. floor(hi) - ceil(lo) >= threshold. */
int bimo_disclosure_bounds_safe(bimo_disclosure_bounds b, const bimo_disclosure_options *opt);

/* Re-derives every suppressed cell from the published cells and the equations (linear
 * bounds, suppressed cells >= 1 because zeros are shown) and counts the cells that are not
 * safe in *unsafe. With bounds non-NULL it writes exact bounds for all ncells cells (a
 * published cell gets lo = hi = its value); without, it stops each search once safety is
 * proven. The flags must be consistent with the values (zero flag iff value 0). */
bimo_status bimo_disclosure_audit(const int64_t *values, size_t ncells,
                                  const bimo_disclosure_eqs *eqs, const bimo_cell_flag *flags,
                                  const bimo_disclosure_options *opt,
                                  bimo_disclosure_bounds *bounds, size_t *unsafe, bimo_error *err);

/* ---- Rates ------------------------------------------------------------------------------ */

typedef enum bimo_rate_flag {
    BIMO_RATE_SHOWN = 0, /* print the rate */
    BIMO_RATE_SECRET,    /* "." — numerator or denominator suppressed */
    BIMO_RATE_UNRELIABLE /* "/" — denominator below min_denominator */
} bimo_rate_flag;

/* The rule for a rate numerator / denominator: secret when the numerator cell is suppressed
 * (the rate would give it away) or when the denominator cell is (rate and numerator would
 * give it away); otherwise not reliable when the denominator is below min_denominator.
 * A denominator that is not a protected count (a mean, an external figure) is passed as
 * BIMO_CELL_PUBLISHED. */
bimo_rate_flag bimo_disclosure_rate(bimo_cell_flag numerator, bimo_cell_flag denominator,
                                    double denominator_value, const bimo_disclosure_options *opt);

/* "." for BIMO_RATE_SECRET, "/" for BIMO_RATE_UNRELIABLE, NULL when the rate is shown. */
const char *bimo_disclosure_rate_symbol(bimo_rate_flag flag);

#endif
