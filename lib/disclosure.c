/* disclosure.c — primary and secondary cell suppression with an exact audit.
 * Every table that leaves bimo for publication passes through bimo_disclosure_protect().
 *
 * Model. A release is a set of non-negative integer count cells and linear additivity
 * equations  total = sum(parts)  (margins, subtotal hierarchies, and cells that appear in
 * several tables). A reader of the release knows the published cells, all equations, that
 * counts are integers, and that a suppressed cell is at least 1 (zeros are always shown as
 * "–", so "." means non-zero).
 *
 * Algorithm.
 *   1. Primary: 0 < n < threshold is secret; n = 0 is shown and never suppressed.
 *   2. Row/column rule: no equation may hide exactly one of its cells, because that cell
 *      would be the total minus the published parts. While one does, suppress its cheapest
 *      published non-zero cell (smallest count; ties go to a cell that also closes another
 *      such equation, then to the lower index). Zeros never serve as complements: "." always
 *      stands for a non-zero count, so a hidden zero would protect nothing.
 *   3. Audit: equations can be combined, so two hidden cells per line are not enough in
 *      general. For every suppressed cell the audit computes the interval [lo, hi] that the
 *      published cells and the equations allow (linear programs: minimise and maximise the
 *      cell subject to the equations, suppressed cells >= 1). A cell is safe when
 *      floor(hi) - ceil(lo) >= threshold: the reader cannot narrow it to fewer than
 *      threshold + 1 integers. For a primary cell (lo >= 1) this implies hi > threshold, so
 *      the reader cannot even tell that it is below the threshold. When a cell fails, the
 *      candidates are the published non-zero cells of the equations containing it (or, if
 *      those are all hidden, of the nearest equations reached through hidden cells); the
 *      cheapest candidate that makes the cell safe on its own is suppressed (of the few
 *      cheapest tried), else the cheapest. Step 2 runs again, and the audit repeats.
 *
 * Why this terminates with a safe release. Each round suppresses at least one more cell, so
 * there are at most ncells rounds. If a failing cell had no published non-zero cell in any
 * equation reachable through hidden cells, its group of hidden cells would only be tied to
 * zeros: the true values times any factor >= 1 would then satisfy every equation, making the
 * cell unbounded above, i.e. safe. So a complement always exists while a cell fails, and the
 * loop ends only when the audit passes. The audit's linear programs are split by connected
 * groups of hidden cells (groups share no equation, so they are independent). Hiding another
 * cell turns a constant into a variable >= 1, which can only widen every interval, so a cell
 * once shown safe stays safe and is not solved again.
 *
 * The bounds are those of the linear relaxation, the attacker model of the standard tools
 * (tau-argus); for one-dimensional hierarchies and two-dimensional tables with plain margins
 * (network matrices) they are also the integer bounds. Rounding them to integers in the
 * criterion uses integrality as far as it is cheap. */
#include "disclosure.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "lp.h"

#define MAX_VALUE   ((int64_t)1 << 31) /* keeps the simplex far from rounding trouble */
#define EPS_BOUND   1e-6               /* tolerance when rounding LP bounds to integers */
#define NO_CELL     SIZE_MAX
#define MAX_TRIES   8   /* candidate complements tried per failing cell */
#define MAX_RELEASE 256 /* complements tried for release after the audit, largest first */
/* The release's share of the work (simplex work: rows x columns x (pivots + 1) of each linear
 * program), counted, not timed, so the same table always gets the same result: at least
 * RELEASE_MIN_WORK, else a quarter of what the protection spent. */
#define RELEASE_MIN_WORK 200000000.0
#define RELEASE_SHARE    4.0
/* Publishing a cell narrows the intervals of its whole group, so each try audits the group
 * again; groups larger than this are left as they are. */
#define RELEASE_MAX_GROUP 400

/* ---- Options, symbols, rates ----------------------------------------------------------- */

static const bimo_disclosure_options default_options = {
    .threshold = BIMO_DISCLOSURE_THRESHOLD,
    .min_denominator = BIMO_DISCLOSURE_MIN_DENOMINATOR,
};

void bimo_disclosure_options_init(bimo_disclosure_options *opt)
{
    *opt = default_options;
}

static const bimo_disclosure_options *options_or_default(const bimo_disclosure_options *opt)
{
    return opt ? opt : &default_options;
}

const char *bimo_disclosure_symbol(bimo_cell_flag flag)
{
    switch (flag) {
    case BIMO_CELL_ZERO: return "\u2013"; /* – */
    case BIMO_CELL_PRIMARY:
    case BIMO_CELL_SECONDARY: return ".";
    case BIMO_CELL_PUBLISHED: break;
    }
    return NULL;
}

static int is_suppressed(bimo_cell_flag flag)
{
    return flag == BIMO_CELL_PRIMARY || flag == BIMO_CELL_SECONDARY;
}

bimo_rate_flag bimo_disclosure_rate(bimo_cell_flag numerator, bimo_cell_flag denominator,
                                    double denominator_value, const bimo_disclosure_options *opt)
{
    opt = options_or_default(opt);
    if (is_suppressed(numerator) || is_suppressed(denominator))
        return BIMO_RATE_SECRET;
    if (!(denominator_value >= opt->min_denominator))
        return BIMO_RATE_UNRELIABLE;
    return BIMO_RATE_SHOWN;
}

const char *bimo_disclosure_rate_symbol(bimo_rate_flag flag)
{
    switch (flag) {
    case BIMO_RATE_SECRET: return ".";
    case BIMO_RATE_UNRELIABLE: return "/";
    case BIMO_RATE_SHOWN: break;
    }
    return NULL;
}

int bimo_disclosure_bounds_safe(bimo_disclosure_bounds b, const bimo_disclosure_options *opt)
{
    opt = options_or_default(opt);
    if (isinf(b.hi))
        return 1;
    double width = floor(b.hi + EPS_BOUND) - ceil(b.lo - EPS_BOUND);
    return width >= (double)opt->threshold;
}

/* ---- Equations -------------------------------------------------------------------------- */

struct bimo_disclosure_eqs {
    size_t ncells;
    size_t count, cap; /* equations */
    size_t *start;     /* members of equation i: cells[start[i] .. start[i+1]), total first */
    size_t *cells;
    size_t used, cells_cap;
};

bimo_status bimo_disclosure_eqs_new(size_t ncells, bimo_disclosure_eqs **out, bimo_error *err)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory for disclosure equations");
    (*out)->ncells = ncells;
    (*out)->start = calloc(1, sizeof *(*out)->start);
    if (!(*out)->start) {
        bimo_disclosure_eqs_free(*out);
        *out = NULL;
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory for disclosure equations");
    }
    return BIMO_OK;
}

void bimo_disclosure_eqs_free(bimo_disclosure_eqs *eqs)
{
    if (!eqs)
        return;
    free(eqs->start);
    free(eqs->cells);
    free(eqs);
}

size_t bimo_disclosure_eqs_cells(const bimo_disclosure_eqs *eqs)
{
    return eqs->ncells;
}

size_t bimo_disclosure_eqs_count(const bimo_disclosure_eqs *eqs)
{
    return eqs->count;
}

size_t bimo_disclosure_eqs_get(const bimo_disclosure_eqs *eqs, size_t i, const size_t **parts,
                               size_t *nparts)
{
    const size_t *m = eqs->cells + eqs->start[i];
    *parts = m + 1;
    *nparts = eqs->start[i + 1] - eqs->start[i] - 1;
    return m[0];
}

static bimo_status reserve(bimo_disclosure_eqs *eqs, size_t members, bimo_error *err)
{
    if (eqs->count == eqs->cap) {
        size_t cap = eqs->cap ? 2 * eqs->cap : 64;
        size_t *p = realloc(eqs->start, (cap + 1) * sizeof *p);
        if (!p)
            return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory for disclosure equations");
        eqs->start = p;
        eqs->cap = cap;
    }
    if (members > eqs->cells_cap - eqs->used) {
        size_t cap = eqs->cells_cap ? 2 * eqs->cells_cap : 256;
        while (cap - eqs->used < members)
            cap *= 2;
        size_t *p = realloc(eqs->cells, cap * sizeof *p);
        if (!p)
            return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory for disclosure equations");
        eqs->cells = p;
        eqs->cells_cap = cap;
    }
    return BIMO_OK;
}

/* Appends one equation whose members (total first) are already checked. */
static bimo_status push_equation(bimo_disclosure_eqs *eqs, size_t total, const size_t *parts,
                                 size_t nparts, size_t offset, bimo_error *err)
{
    bimo_status st = reserve(eqs, nparts + 1, err);
    if (st != BIMO_OK)
        return st;
    eqs->cells[eqs->used++] = total + offset;
    for (size_t k = 0; k < nparts; k++)
        eqs->cells[eqs->used++] = parts[k] + offset;
    eqs->start[++eqs->count] = eqs->used;
    return BIMO_OK;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

bimo_status bimo_disclosure_eqs_add(bimo_disclosure_eqs *eqs, size_t total, const size_t *parts,
                                    size_t nparts, bimo_error *err)
{
    if (nparts == 0 || nparts >= eqs->ncells)
        return bimo_fail(err, BIMO_ERR_ARG, "an equation needs 1 to %zu parts, not %zu",
                         eqs->ncells ? eqs->ncells - 1 : 0, nparts);
    size_t *sorted = malloc((nparts + 1) * sizeof *sorted);
    if (!sorted)
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory for disclosure equations");
    sorted[0] = total;
    memcpy(sorted + 1, parts, nparts * sizeof *parts);
    qsort(sorted, nparts + 1, sizeof *sorted, cmp_size);
    bimo_status st = BIMO_OK;
    for (size_t k = 0; k <= nparts && st == BIMO_OK; k++) {
        if (sorted[k] >= eqs->ncells)
            st = bimo_fail(err, BIMO_ERR_ARG, "equation refers to cell %zu of %zu", sorted[k],
                           eqs->ncells);
        else if (k > 0 && sorted[k] == sorted[k - 1])
            st = bimo_fail(err, BIMO_ERR_ARG, "equation names cell %zu twice", sorted[k]);
    }
    free(sorted);
    if (st != BIMO_OK)
        return st;
    return push_equation(eqs, total, parts, nparts, 0, err);
}

bimo_status bimo_disclosure_eqs_add_equal(bimo_disclosure_eqs *eqs, size_t a, size_t b,
                                          bimo_error *err)
{
    return bimo_disclosure_eqs_add(eqs, a, &b, 1, err);
}

bimo_status bimo_disclosure_eqs_append(bimo_disclosure_eqs *dst, const bimo_disclosure_eqs *src,
                                       size_t offset, bimo_error *err)
{
    if (offset > dst->ncells || src->ncells > dst->ncells - offset)
        return bimo_fail(err, BIMO_ERR_ARG,
                         "cannot place %zu cells at offset %zu of a set of %zu cells", src->ncells,
                         offset, dst->ncells);
    for (size_t i = 0; i < src->count; i++) {
        const size_t *parts;
        size_t nparts;
        size_t total = bimo_disclosure_eqs_get(src, i, &parts, &nparts);
        bimo_status st = push_equation(dst, total, parts, nparts, offset, err);
        if (st != BIMO_OK)
            return st;
    }
    return BIMO_OK;
}

/* ---- Cubes ------------------------------------------------------------------------------ */

struct bimo_disclosure_cube {
    size_t ndims, ncells;
    size_t *nnodes, *stride;
    bimo_disclosure_eqs *eqs;
};

void bimo_disclosure_cube_free(bimo_disclosure_cube *cube)
{
    if (!cube)
        return;
    free(cube->nnodes);
    free(cube->stride);
    bimo_disclosure_eqs_free(cube->eqs);
    free(cube);
}

size_t bimo_disclosure_cube_cells(const bimo_disclosure_cube *cube)
{
    return cube->ncells;
}

size_t bimo_disclosure_cube_index(const bimo_disclosure_cube *cube, const size_t *nodes)
{
    size_t idx = 0;
    for (size_t d = 0; d < cube->ndims; d++)
        idx += nodes[d] * cube->stride[d];
    return idx;
}

const bimo_disclosure_eqs *bimo_disclosure_cube_eqs(const bimo_disclosure_cube *cube)
{
    return cube->eqs;
}

static bimo_status check_tree(size_t d, const bimo_dim_tree *t, bimo_error *err)
{
    if (t->nnodes == 0 || !t->parent)
        return bimo_fail(err, BIMO_ERR_ARG, "dimension %zu has no categories", d);
    size_t roots = 0;
    for (size_t i = 0; i < t->nnodes; i++) {
        if (t->parent[i] == BIMO_DIM_ROOT)
            roots++;
        else if (t->parent[i] >= t->nnodes || t->parent[i] == i)
            return bimo_fail(err, BIMO_ERR_ARG, "dimension %zu: node %zu has parent %zu", d, i,
                             t->parent[i]);
    }
    if (roots != 1)
        return bimo_fail(err, BIMO_ERR_ARG, "dimension %zu has %zu roots, needs exactly one", d,
                         roots);
    for (size_t i = 0; i < t->nnodes; i++) {
        size_t p = i, steps = 0;
        while (p != BIMO_DIM_ROOT && steps++ <= t->nnodes)
            p = t->parent[p];
        if (p != BIMO_DIM_ROOT)
            return bimo_fail(err, BIMO_ERR_ARG, "dimension %zu: node %zu lies on a cycle", d, i);
    }
    return BIMO_OK;
}

/* Adds the equations of dimension d: for every inner node and every line of the cube
 * along d (a cell with coordinate 0 in d stands for its line). */
static bimo_status add_dimension(bimo_disclosure_cube *c, size_t d, const bimo_dim_tree *t,
                                 size_t *parts, bimo_error *err)
{
    size_t stride = c->stride[d], nn = t->nnodes;
    for (size_t base = 0; base < c->ncells; base++) {
        if ((base / stride) % nn != 0)
            continue;
        for (size_t p = 0; p < nn; p++) {
            size_t k = 0;
            for (size_t ch = 0; ch < nn; ch++)
                if (t->parent[ch] == p)
                    parts[k++] = base + ch * stride;
            if (k == 0)
                continue;
            bimo_status st = push_equation(c->eqs, base + p * stride, parts, k, 0, err);
            if (st != BIMO_OK)
                return st;
        }
    }
    return BIMO_OK;
}

bimo_status bimo_disclosure_cube_new(size_t ndims, const bimo_dim_tree *dims,
                                     bimo_disclosure_cube **out, bimo_error *err)
{
    *out = NULL;
    if (ndims == 0)
        return bimo_fail(err, BIMO_ERR_ARG, "a table needs at least one dimension");
    size_t ncells = 1, maxnodes = 0;
    for (size_t d = 0; d < ndims; d++) {
        bimo_status st = check_tree(d, &dims[d], err);
        if (st != BIMO_OK)
            return st;
        if (dims[d].nnodes > SIZE_MAX / 2 / ncells)
            return bimo_fail(err, BIMO_ERR_ARG, "table has too many cells");
        ncells *= dims[d].nnodes;
        if (dims[d].nnodes > maxnodes)
            maxnodes = dims[d].nnodes;
    }
    bimo_disclosure_cube *c = calloc(1, sizeof *c);
    size_t *parts = malloc(maxnodes * sizeof *parts);
    bimo_status st = BIMO_ERR_NOMEM;
    if (!c || !parts)
        goto fail;
    c->ndims = ndims;
    c->ncells = ncells;
    c->nnodes = malloc(ndims * sizeof *c->nnodes);
    c->stride = malloc(ndims * sizeof *c->stride);
    if (!c->nnodes || !c->stride)
        goto fail;
    for (size_t d = ndims, s = 1; d-- > 0;) {
        c->nnodes[d] = dims[d].nnodes;
        c->stride[d] = s;
        s *= dims[d].nnodes;
    }
    st = bimo_disclosure_eqs_new(ncells, &c->eqs, err);
    for (size_t d = 0; d < ndims && st == BIMO_OK; d++)
        st = add_dimension(c, d, &dims[d], parts, err);
    if (st != BIMO_OK)
        goto fail;
    free(parts);
    *out = c;
    return BIMO_OK;
fail:
    free(parts);
    bimo_disclosure_cube_free(c);
    if (st == BIMO_ERR_NOMEM)
        return bimo_fail(err, st, "out of memory for a table of %zu cells", ncells);
    return st;
}

/* ---- Protection state ------------------------------------------------------------------- */

typedef struct {
    const int64_t *v;
    size_t n, neq;
    const bimo_disclosure_eqs *eqs;
    const bimo_disclosure_options *opt;
    bimo_cell_flag *flags;
    size_t *inc_start, *inc; /* equations of each cell: inc[inc_start[c] .. inc_start[c+1]) */
    size_t *nsup;            /* suppressed members of each equation */
    unsigned char *proven;   /* cell shown safe; hiding more cells only widens intervals */
    size_t *queue;           /* ring of equations to look at for the row/column rule */
    unsigned char *queued;
    size_t qhead, qlen;
    size_t *uf;     /* union-find over cells: groups of hidden cells */
    size_t *group;  /* cells of all groups, group by group */
    size_t *gstart; /* group g: group[gstart[g] .. gstart[g+1]) */
    size_t ngroups;
    size_t *local;   /* cell -> column in the current group's LP */
    size_t *eq_mark; /* equation -> stamp of the last group that used it */
    size_t *scratch; /* rows of a group's LP, then BFS levels */
    size_t *scratch2;
    unsigned char *seen;
    size_t *visited, *cand; /* search for complements after a failed audit */
    bimo_cell_flag *bak_flags;
    size_t *bak_nsup;
    double lp_size; /* rows x columns of the last linear program built */
    double work;    /* simplex work so far, see RELEASE_MIN_WORK */
    bimo_disclosure_stats stats;
} state;

static void state_free(state *s)
{
    free(s->inc_start);
    free(s->inc);
    free(s->nsup);
    free(s->proven);
    free(s->queue);
    free(s->queued);
    free(s->uf);
    free(s->group);
    free(s->gstart);
    free(s->local);
    free(s->eq_mark);
    free(s->scratch);
    free(s->scratch2);
    free(s->seen);
    free(s->visited);
    free(s->cand);
    free(s->bak_flags);
    free(s->bak_nsup);
}

static bimo_status validate(const int64_t *values, size_t ncells, const bimo_disclosure_eqs *eqs,
                            const bimo_disclosure_options *opt, bimo_error *err)
{
    if ((!values && ncells > 0) || !eqs)
        return bimo_fail(err, BIMO_ERR_ARG, "no cells or no equations given");
    if (ncells != eqs->ncells)
        return bimo_fail(err, BIMO_ERR_ARG, "%zu cells given for equations over %zu cells", ncells,
                         eqs->ncells);
    if (opt->threshold < 1 || opt->threshold > MAX_VALUE)
        return bimo_fail(err, BIMO_ERR_ARG, "disclosure threshold %lld is not a positive count",
                         (long long)opt->threshold);
    for (size_t i = 0; i < ncells; i++)
        if (values[i] < 0 || values[i] > MAX_VALUE)
            return bimo_fail(err, BIMO_ERR_ARG, "cell %zu holds %lld, not a count", i,
                             (long long)values[i]);
    for (size_t e = 0; e < eqs->count; e++) {
        const size_t *parts;
        size_t nparts;
        size_t total = bimo_disclosure_eqs_get(eqs, e, &parts, &nparts);
        int64_t sum = 0;
        for (size_t k = 0; k < nparts && sum <= MAX_VALUE; k++)
            sum += values[parts[k]];
        if (sum != values[total])
            return bimo_fail(err, BIMO_ERR_DATA,
                             "table is not additive: cell %zu holds %lld but its %zu parts "
                             "(equation %zu) sum to %lld",
                             total, (long long)values[total], nparts, e + 1, (long long)sum);
    }
    return BIMO_OK;
}

static bimo_status state_init(state *s, const int64_t *values, size_t n,
                              const bimo_disclosure_eqs *eqs, const bimo_disclosure_options *opt,
                              bimo_cell_flag *flags, bimo_error *err)
{
    memset(s, 0, sizeof *s);
    s->v = values;
    s->n = n;
    s->neq = eqs->count;
    s->eqs = eqs;
    s->opt = opt;
    s->flags = flags;
    size_t nm = eqs->used, neq = eqs->count;
    s->inc_start = calloc(n + 1, sizeof *s->inc_start);
    s->inc = malloc((nm + 1) * sizeof *s->inc);
    s->nsup = calloc(neq + 1, sizeof *s->nsup);
    s->proven = calloc(n + 1, 1);
    s->queue = malloc((neq + 1) * sizeof *s->queue);
    s->queued = calloc(neq + 1, 1);
    s->uf = malloc((n + 1) * sizeof *s->uf);
    s->group = malloc((n + 1) * sizeof *s->group);
    s->gstart = malloc((n + 2) * sizeof *s->gstart);
    s->local = malloc((n + 1) * sizeof *s->local);
    s->eq_mark = malloc((neq + 1) * sizeof *s->eq_mark);
    s->scratch = malloc((neq + n + 1) * sizeof *s->scratch);
    s->scratch2 = malloc((n + 1) * sizeof *s->scratch2);
    s->seen = calloc(n + 1, 1);
    s->visited = malloc((n + 1) * sizeof *s->visited);
    s->cand = malloc((n + 1) * sizeof *s->cand);
    s->bak_flags = malloc((n + 1) * sizeof *s->bak_flags);
    s->bak_nsup = malloc((neq + 1) * sizeof *s->bak_nsup);
    if (!s->inc_start || !s->inc || !s->nsup || !s->proven || !s->queue || !s->queued || !s->uf ||
        !s->group || !s->gstart || !s->local || !s->eq_mark || !s->scratch || !s->scratch2 ||
        !s->seen || !s->visited || !s->cand || !s->bak_flags || !s->bak_nsup) {
        state_free(s);
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory for disclosure control of %zu cells",
                         n);
    }
    for (size_t i = 0; i < nm; i++)
        s->inc_start[eqs->cells[i] + 1]++;
    for (size_t c = 0; c < n; c++)
        s->inc_start[c + 1] += s->inc_start[c];
    size_t *fill = s->scratch; /* reuse as a cursor per cell; n entries are enough */
    memcpy(fill, s->inc_start, n * sizeof *fill);
    for (size_t e = 0; e < neq; e++)
        for (size_t k = eqs->start[e]; k < eqs->start[e + 1]; k++)
            s->inc[fill[eqs->cells[k]]++] = e;
    for (size_t c = 0; c < n; c++)
        s->local[c] = NO_CELL;
    for (size_t e = 0; e < neq; e++)
        s->eq_mark[e] = NO_CELL;
    return BIMO_OK;
}

/* ---- Row/column rule -------------------------------------------------------------------- */

static void enqueue(state *s, size_t e)
{
    if (s->queued[e])
        return;
    s->queued[e] = 1;
    s->queue[(s->qhead + s->qlen++) % s->neq] = e;
}

static void suppress(state *s, size_t cell, bimo_cell_flag flag)
{
    s->flags[cell] = flag;
    for (size_t k = s->inc_start[cell]; k < s->inc_start[cell + 1]; k++) {
        size_t e = s->inc[k];
        if (++s->nsup[e] == 1)
            enqueue(s, e);
    }
}

/* Equations other than skip that hide exactly one cell and would be closed by hiding cell. */
static size_t closes(const state *s, size_t cell, size_t skip)
{
    size_t count = 0;
    for (size_t k = s->inc_start[cell]; k < s->inc_start[cell + 1]; k++)
        if (s->inc[k] != skip && s->nsup[s->inc[k]] == 1)
            count++;
    return count;
}

/* The cheapest complement among the published non-zero members of equation e. */
static size_t cheapest_in_equation(const state *s, size_t e)
{
    size_t best = NO_CELL, best_closes = 0;
    for (size_t k = s->eqs->start[e]; k < s->eqs->start[e + 1]; k++) {
        size_t c = s->eqs->cells[k];
        if (s->flags[c] != BIMO_CELL_PUBLISHED)
            continue;
        size_t cl = closes(s, c, e);
        if (best == NO_CELL || s->v[c] < s->v[best] ||
            (s->v[c] == s->v[best] && (cl > best_closes || (cl == best_closes && c < best)))) {
            best = c;
            best_closes = cl;
        }
    }
    return best;
}

/* Suppresses complements until no equation hides exactly one cell. Such an equation always
 * has a published non-zero member: if the hidden cell is the total, its parts sum to a
 * non-zero count; if it is a part, the total is at least that part. */
static void close_singletons(state *s)
{
    while (s->qlen > 0) {
        size_t e = s->queue[s->qhead];
        s->qhead = (s->qhead + 1) % s->neq;
        s->qlen--;
        s->queued[e] = 0;
        if (s->nsup[e] != 1)
            continue;
        size_t c = cheapest_in_equation(s, e);
        if (c != NO_CELL)
            suppress(s, c, BIMO_CELL_SECONDARY);
    }
}

/* ---- Audit ------------------------------------------------------------------------------ */

static size_t uf_find(size_t *uf, size_t x)
{
    while (uf[x] != x) {
        uf[x] = uf[uf[x]];
        x = uf[x];
    }
    return x;
}

/* Splits the hidden cells into groups that share equations; each group's bounds depend
 * only on its own equations. Groups are listed in order of their smallest cell. */
static void build_groups(state *s)
{
    for (size_t c = 0; c < s->n; c++)
        s->uf[c] = c;
    for (size_t e = 0; e < s->neq; e++) {
        size_t first = NO_CELL;
        for (size_t k = s->eqs->start[e]; k < s->eqs->start[e + 1]; k++) {
            size_t c = s->eqs->cells[k];
            if (!is_suppressed(s->flags[c]))
                continue;
            if (first == NO_CELL) {
                first = uf_find(s->uf, c);
            } else {
                size_t r = uf_find(s->uf, c);
                if (r != first)
                    s->uf[r > first ? r : first] = r > first ? first : r;
                first = uf_find(s->uf, first);
            }
        }
    }
    /* Number the groups by their root, then bucket the cells. */
    size_t *gid = s->local, *count = s->scratch2;
    s->ngroups = 0;
    for (size_t c = 0; c < s->n; c++)
        gid[c] = NO_CELL;
    for (size_t c = 0; c < s->n; c++) {
        if (!is_suppressed(s->flags[c]))
            continue;
        size_t r = uf_find(s->uf, c);
        if (gid[r] == NO_CELL)
            gid[r] = s->ngroups++;
    }
    memset(count, 0, (s->ngroups + 1) * sizeof *count);
    for (size_t c = 0; c < s->n; c++)
        if (is_suppressed(s->flags[c]))
            count[gid[uf_find(s->uf, c)]]++;
    s->gstart[0] = 0;
    for (size_t g = 0; g < s->ngroups; g++)
        s->gstart[g + 1] = s->gstart[g] + count[g];
    memcpy(count, s->gstart, s->ngroups * sizeof *count);
    for (size_t c = 0; c < s->n; c++)
        if (is_suppressed(s->flags[c]))
            s->group[count[gid[uf_find(s->uf, c)]]++] = c;
    for (size_t c = 0; c < s->n; c++)
        gid[c] = NO_CELL;
}

/* Builds the LP of group g over y = x - 1 >= 0: one row per equation touching the group,
 * hidden members as columns, published members moved to the right-hand side. */
static bimo_status group_lp(state *s, size_t g, bimo_lp **out, bimo_error *err)
{
    const size_t *cells = s->group + s->gstart[g];
    size_t nv = s->gstart[g + 1] - s->gstart[g], nrows = 0;
    size_t *rows = s->scratch;
    for (size_t k = 0; k < nv; k++) {
        s->local[cells[k]] = k;
        for (size_t i = s->inc_start[cells[k]]; i < s->inc_start[cells[k] + 1]; i++) {
            size_t e = s->inc[i];
            if (s->eq_mark[e] != g) {
                s->eq_mark[e] = g;
                rows[nrows++] = e;
            }
        }
    }
    s->lp_size = (double)nrows * (double)nv;
    bimo_status st = bimo_lp_new(nrows, nv, out, err);
    for (size_t r = 0; r < nrows && st == BIMO_OK; r++) {
        size_t e = rows[r];
        double rhs = 0.0;
        for (size_t k = s->eqs->start[e]; k < s->eqs->start[e + 1]; k++) {
            size_t c = s->eqs->cells[k];
            double coef = k == s->eqs->start[e] ? 1.0 : -1.0;
            if (is_suppressed(s->flags[c])) {
                bimo_lp_set(*out, r, s->local[c], coef);
                rhs -= coef; /* the shift x = y + 1 */
            } else {
                rhs -= coef * (double)s->v[c];
            }
        }
        bimo_lp_set_rhs(*out, r, rhs);
    }
    for (size_t r = 0; r < nrows; r++)
        s->eq_mark[rows[r]] = NO_CELL;
    for (size_t k = 0; k < nv; k++)
        s->local[cells[k]] = NO_CELL;
    return st;
}

static bimo_status lp_trouble(bimo_error *err, size_t cell)
{
    return bimo_fail(err, BIMO_ERR_DATA,
                     "disclosure audit: the linear program for cell %zu did not converge", cell);
}

/* Bounds of one hidden cell (column k, true value v) in x-space. With exact = 0 the searches
 * stop once the cell is proven safe, and *b then holds the part found so far. */
static bimo_status cell_bounds(state *s, bimo_lp *lp, size_t k, size_t cell, int exact,
                               bimo_disclosure_bounds *b, int *safe, bimo_error *err)
{
    double t = (double)s->opt->threshold, y0 = (double)s->v[cell] - 1.0, hi, lo;
    bimo_lp_result r = bimo_lp_bound(lp, k, 1, exact ? INFINITY : y0 + t, &hi);
    if (r == BIMO_LP_STALLED || r == BIMO_LP_INFEASIBLE)
        return lp_trouble(err, cell);
    b->hi = hi + 1.0;
    b->lo = 1.0;
    if (!exact && r != BIMO_LP_OPTIMAL) {
        *safe = 1;
        return BIMO_OK;
    }
    double goal = exact || isinf(hi) ? -INFINITY : floor(hi + EPS_BOUND) - t;
    r = bimo_lp_bound(lp, k, 0, goal, &lo);
    if (r == BIMO_LP_STALLED || r == BIMO_LP_INFEASIBLE || r == BIMO_LP_UNBOUNDED)
        return lp_trouble(err, cell);
    b->lo = lo + 1.0;
    *safe = (!exact && r == BIMO_LP_REACHED) || bimo_disclosure_bounds_safe(*b, s->opt);
    return BIMO_OK;
}

/* Audits group g. Counts unsafe cells in *unsafe and reports the first in *first; with
 * stop_first the audit ends there. bounds (may be NULL) receives exact bounds per cell. */
static bimo_status audit_group(state *s, size_t g, int stop_first, bimo_disclosure_bounds *bounds,
                               size_t *unsafe, size_t *first, bimo_error *err)
{
    bimo_lp *lp = NULL;
    bimo_status st = group_lp(s, g, &lp, err);
    if (st != BIMO_OK)
        return st;
    const size_t *cells = s->group + s->gstart[g];
    size_t nv = s->gstart[g + 1] - s->gstart[g];
    if (bimo_lp_start(lp) != BIMO_LP_OPTIMAL)
        st = lp_trouble(err, cells[0]);
    for (size_t k = 0; k < nv && st == BIMO_OK; k++) {
        if (s->proven[cells[k]] && !bounds)
            continue;
        bimo_disclosure_bounds b;
        int safe = 0;
        st = cell_bounds(s, lp, k, cells[k], bounds != NULL, &b, &safe, err);
        if (st != BIMO_OK)
            break;
        if (bounds)
            bounds[cells[k]] = b;
        s->proven[cells[k]] = (unsigned char)safe;
        if (!safe) {
            if (*first == NO_CELL)
                *first = cells[k];
            (*unsafe)++;
            if (stop_first)
                break;
        }
    }
    s->stats.lp_pivots += bimo_lp_pivots(lp);
    s->work += s->lp_size * (double)(bimo_lp_pivots(lp) + 1);
    bimo_lp_free(lp);
    return st;
}

/* Candidate complements for a cell that fails the audit: the published non-zero cells of the
 * equations with it; if there are none, those of the equations of the hidden cells next to
 * it, and so on outwards. Written to s->cand, cheapest first; returns their number. */
static size_t collect_candidates(state *s, size_t cell)
{
    size_t *level = s->scratch, *next = s->scratch2, nlevel = 1, ncand = 0, nvisited = 0;
    level[0] = cell;
    s->seen[cell] = 1;
    s->visited[nvisited++] = cell;
    while (nlevel > 0 && ncand == 0) {
        size_t nnext = 0;
        for (size_t l = 0; l < nlevel; l++) {
            for (size_t i = s->inc_start[level[l]]; i < s->inc_start[level[l] + 1]; i++) {
                size_t e = s->inc[i];
                for (size_t k = s->eqs->start[e]; k < s->eqs->start[e + 1]; k++) {
                    size_t c = s->eqs->cells[k];
                    if (s->seen[c] || s->flags[c] == BIMO_CELL_ZERO)
                        continue;
                    s->seen[c] = 1;
                    s->visited[nvisited++] = c;
                    if (s->flags[c] == BIMO_CELL_PUBLISHED)
                        s->cand[ncand++] = c;
                    else
                        next[nnext++] = c;
                }
            }
        }
        memcpy(level, next, nnext * sizeof *level);
        nlevel = nnext;
    }
    for (size_t i = 0; i < nvisited; i++)
        s->seen[s->visited[i]] = 0;
    /* Insertion sort by (value, index): the lists are short. */
    for (size_t i = 1; i < ncand; i++) {
        size_t c = s->cand[i], j = i;
        while (j > 0 && (s->v[s->cand[j - 1]] > s->v[c] ||
                         (s->v[s->cand[j - 1]] == s->v[c] && s->cand[j - 1] > c))) {
            s->cand[j] = s->cand[j - 1];
            j--;
        }
        s->cand[j] = c;
    }
    return ncand;
}

/* Whether hiding cand (and closing the equations that then hide one cell) makes cell safe.
 * The state is restored afterwards. */
static bimo_status complement_helps(state *s, size_t cell, size_t cand, int *helps, bimo_error *err)
{
    memcpy(s->bak_flags, s->flags, s->n * sizeof *s->flags);
    memcpy(s->bak_nsup, s->nsup, s->neq * sizeof *s->nsup);
    suppress(s, cand, BIMO_CELL_SECONDARY);
    close_singletons(s);
    build_groups(s);
    size_t g = 0, k = 0;
    while (s->group[s->gstart[g] + k] != cell) {
        if (++k == s->gstart[g + 1] - s->gstart[g]) {
            g++;
            k = 0;
        }
    }
    bimo_lp *lp = NULL;
    bimo_status st = group_lp(s, g, &lp, err);
    if (st == BIMO_OK && bimo_lp_start(lp) != BIMO_LP_OPTIMAL)
        st = lp_trouble(err, cell);
    if (st == BIMO_OK) {
        bimo_disclosure_bounds b;
        st = cell_bounds(s, lp, k, cell, 0, &b, helps, err);
        s->stats.lp_pivots += bimo_lp_pivots(lp);
        s->work += s->lp_size * (double)(bimo_lp_pivots(lp) + 1);
    }
    bimo_lp_free(lp);
    memcpy(s->flags, s->bak_flags, s->n * sizeof *s->flags);
    memcpy(s->nsup, s->bak_nsup, s->neq * sizeof *s->nsup);
    return st;
}

/* Chooses the complement for a cell that fails the audit: the cheapest candidate that makes
 * it safe on its own, among the MAX_TRIES cheapest; else simply the cheapest (the next round
 * adds more). */
static bimo_status audit_complement(state *s, size_t cell, size_t *chosen, int *helped,
                                    bimo_error *err)
{
    size_t ncand = collect_candidates(s, cell);
    if (ncand == 0)
        return bimo_fail(err, BIMO_ERR_DATA, "disclosure audit: no complement found for cell %zu",
                         cell);
    *chosen = s->cand[0];
    for (size_t i = 0; i < ncand && i < MAX_TRIES; i++) {
        int helps = 0;
        bimo_status st = complement_helps(s, cell, s->cand[i], &helps, err);
        if (st != BIMO_OK)
            return st;
        if (helps) {
            *chosen = s->cand[i];
            *helped = 1;
            break;
        }
    }
    return BIMO_OK;
}

static int group_unproven(const state *s, size_t g)
{
    for (size_t i = s->gstart[g]; i < s->gstart[g + 1]; i++)
        if (!s->proven[s->group[i]])
            return 1;
    return 0;
}

/* One audit round: audits the groups with cells not yet shown safe and gives the first
 * failing group one more complement. *changed tells whether anything was added. */
static bimo_status audit_round(state *s, int *changed, bimo_error *err)
{
    *changed = 0;
    s->stats.audit_rounds++;
    build_groups(s);
    for (size_t g = 0; g < s->ngroups; g++) {
        if (!group_unproven(s, g))
            continue;
        size_t unsafe = 0, first = NO_CELL;
        bimo_status st = audit_group(s, g, 1, NULL, &unsafe, &first, err);
        if (st != BIMO_OK)
            return st;
        if (first == NO_CELL)
            continue;
        size_t c = NO_CELL;
        int helps = 0;
        st = audit_complement(s, first, &c, &helps, err);
        if (st != BIMO_OK)
            return st;
        suppress(s, c, BIMO_CELL_SECONDARY);
        s->proven[first] = (unsigned char)helps;
        s->stats.by_audit++;
        close_singletons(s);
        *changed = 1;
        return BIMO_OK;
    }
    return BIMO_OK;
}

typedef struct {
    int64_t value;
    size_t cell;
} ranked;

static int cmp_ranked_desc(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->value != y->value)
        return x->value > y->value ? -1 : 1;
    return x->cell < y->cell ? -1 : x->cell > y->cell;
}

static void set_hidden(state *s, size_t cell, bimo_cell_flag flag)
{
    int was = is_suppressed(s->flags[cell]), now = is_suppressed(flag);
    s->flags[cell] = flag;
    for (size_t k = s->inc_start[cell]; k < s->inc_start[cell + 1] && was != now; k++)
        s->nsup[s->inc[k]] += now ? 1 : (size_t)-1;
}

/* Whether every hidden cell next to cell (in one of its equations) passes the audit: the
 * groups they fall into after cell was published again. gof maps cells to groups. */
static bimo_status neighbours_safe(state *s, size_t cell, size_t *gof, int *safe, bimo_error *err)
{
    build_groups(s);
    for (size_t g = 0; g < s->ngroups; g++)
        for (size_t i = s->gstart[g]; i < s->gstart[g + 1]; i++) {
            gof[s->group[i]] = g;
            s->proven[s->group[i]] = 0; /* publishing narrows intervals: prove them again */
        }
    *safe = 1;
    bimo_status st = BIMO_OK;
    for (size_t i = s->inc_start[cell]; i < s->inc_start[cell + 1] && *safe && st == BIMO_OK; i++) {
        size_t e = s->inc[i];
        for (size_t k = s->eqs->start[e]; k < s->eqs->start[e + 1] && *safe && st == BIMO_OK; k++) {
            size_t c = s->eqs->cells[k];
            if (!is_suppressed(s->flags[c]) || s->proven[c])
                continue;
            size_t unsafe = 0, first = NO_CELL;
            st = audit_group(s, gof[c], 1, NULL, &unsafe, &first, err);
            *safe = first == NO_CELL;
        }
    }
    return st;
}

/* Publishes again complements that turned out unnecessary, the largest first. The greedy
 * search adds complements one at a time, and one chosen early in a long cascade (a region's
 * total of thousands) often protects nothing once the later ones are in. A complement stays
 * published only if no equation then hides exactly one cell and every hidden cell next to it
 * still passes the audit; cells forced by the caller stay hidden. */
static bimo_status release_redundant(state *s, const unsigned char *forced, bimo_error *err)
{
    size_t n = 0;
    ranked *order = malloc((s->n ? s->n : 1) * sizeof *order);
    size_t *gof = malloc((s->n ? s->n : 1) * sizeof *gof);
    if (!order || !gof) {
        free(order);
        free(gof);
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    }
    build_groups(s);
    for (size_t g = 0; g < s->ngroups; g++)
        for (size_t i = s->gstart[g]; i < s->gstart[g + 1]; i++)
            gof[s->group[i]] = s->gstart[g + 1] - s->gstart[g]; /* the size of its group */
    for (size_t c = 0; c < s->n; c++)
        if (s->flags[c] == BIMO_CELL_SECONDARY && !(forced && forced[c]) &&
            gof[c] <= RELEASE_MAX_GROUP)
            order[n++] = (ranked){s->v[c], c};
    qsort(order, n, sizeof *order, cmp_ranked_desc);
    /* Bounded work: large cubes already took long to protect. */
    double start = s->work, budget = start / RELEASE_SHARE;
    if (budget < RELEASE_MIN_WORK)
        budget = RELEASE_MIN_WORK;
    bimo_status st = BIMO_OK;
    for (size_t i = 0; i < n && i < MAX_RELEASE && st == BIMO_OK && s->work - start < budget; i++) {
        size_t c = order[i].cell;
        set_hidden(s, c, BIMO_CELL_PUBLISHED);
        int safe = 1;
        for (size_t k = s->inc_start[c]; k < s->inc_start[c + 1] && safe; k++)
            safe = s->nsup[s->inc[k]] != 1;
        if (safe)
            st = neighbours_safe(s, c, gof, &safe, err);
        if (!safe || st != BIMO_OK)
            set_hidden(s, c, BIMO_CELL_SECONDARY);
        else
            s->stats.released++;
    }
    free(order);
    free(gof);
    return st;
}

bimo_status bimo_disclosure_protect(const int64_t *values, size_t ncells,
                                    const bimo_disclosure_eqs *eqs,
                                    const bimo_disclosure_options *opt, bimo_cell_flag *flags,
                                    bimo_disclosure_stats *stats, bimo_error *err)
{
    return bimo_disclosure_protect_forced(values, ncells, eqs, opt, NULL, flags, stats, err);
}

bimo_status bimo_disclosure_protect_forced(const int64_t *values, size_t ncells,
                                           const bimo_disclosure_eqs *eqs,
                                           const bimo_disclosure_options *opt,
                                           const unsigned char *forced, bimo_cell_flag *flags,
                                           bimo_disclosure_stats *stats, bimo_error *err)
{
    opt = options_or_default(opt);
    bimo_status st = validate(values, ncells, eqs, opt, err);
    if (st != BIMO_OK)
        return st;
    if (!flags && ncells > 0)
        return bimo_fail(err, BIMO_ERR_ARG, "no room for the cell flags");
    for (size_t c = 0; c < ncells; c++)
        flags[c] = values[c] == 0 ? BIMO_CELL_ZERO : BIMO_CELL_PUBLISHED;
    state s;
    st = state_init(&s, values, ncells, eqs, opt, flags, err);
    if (st != BIMO_OK)
        return st;
    for (size_t c = 0; c < ncells; c++)
        if (values[c] > 0 && values[c] < opt->threshold)
            suppress(&s, c, BIMO_CELL_PRIMARY);
    /* Cells hidden by an earlier release stay hidden; a zero is shown all the same, since "."
     * always stands for a non-zero count. */
    for (size_t c = 0; forced && c < ncells; c++)
        if (forced[c] && flags[c] == BIMO_CELL_PUBLISHED)
            suppress(&s, c, BIMO_CELL_SECONDARY);
    close_singletons(&s);
    for (int changed = 1; changed && st == BIMO_OK;)
        st = audit_round(&s, &changed, err);
    if (st == BIMO_OK)
        st = release_redundant(&s, forced, err);
    if (st == BIMO_OK && stats) {
        *stats = s.stats;
        for (size_t c = 0; c < ncells; c++) {
            stats->zero += flags[c] == BIMO_CELL_ZERO;
            stats->primary += flags[c] == BIMO_CELL_PRIMARY;
            stats->secondary += flags[c] == BIMO_CELL_SECONDARY;
        }
    }
    state_free(&s);
    return st;
}

bimo_status bimo_disclosure_audit(const int64_t *values, size_t ncells,
                                  const bimo_disclosure_eqs *eqs, const bimo_cell_flag *flags,
                                  const bimo_disclosure_options *opt,
                                  bimo_disclosure_bounds *bounds, size_t *unsafe, bimo_error *err)
{
    opt = options_or_default(opt);
    *unsafe = 0;
    bimo_status st = validate(values, ncells, eqs, opt, err);
    if (st != BIMO_OK)
        return st;
    for (size_t c = 0; c < ncells; c++)
        if ((flags[c] == BIMO_CELL_ZERO) != (values[c] == 0) || flags[c] > BIMO_CELL_SECONDARY)
            return bimo_fail(err, BIMO_ERR_ARG, "cell %zu: flag %d does not fit value %lld", c,
                             (int)flags[c], (long long)values[c]);
    state s;
    /* The audit never writes flags; the state only shares the protect code's layout. */
    st = state_init(&s, values, ncells, eqs, opt, (bimo_cell_flag *)flags, err);
    if (st != BIMO_OK)
        return st;
    if (bounds)
        for (size_t c = 0; c < ncells; c++)
            bounds[c].lo = bounds[c].hi = (double)values[c];
    build_groups(&s);
    size_t first = NO_CELL;
    for (size_t g = 0; g < s.ngroups && st == BIMO_OK; g++)
        st = audit_group(&s, g, 0, bounds, unsafe, &first, err);
    state_free(&s);
    return st;
}
