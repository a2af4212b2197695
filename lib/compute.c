/* compute.c — from an indicator's finest-level rows to a tidy table with every margin:
 * dimensions become axes (trees of categories with "Insgesamt" at the root; the municipality
 * hierarchy gemeinde -> kommune -> region is one axis), rows are summed into all cells in
 * one pass, values are formed from unrounded counts, and disclosure control is applied. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "catalogue.h"
#include "engine.h"
#include "error.h"
#include "result_text.h"

#define TOTAL       "Insgesamt"
#define OTHERS_CODE "uebrige"
#define OTHERS      "Übrige"
#define MAX_CELLS   2000000
#define DEFAULT_TOP 10

/* ---- The result ----------------------------------------------------------------------------- */

typedef struct {
    bimo_result_period pub;
    char period[16], label[40], note[200];
    char *quelle;
} result_period;

struct bimo_result {
    const bimo_indicator *ind;
    int intern;
    char *area;
    const char *producer;               /* profile key "herausgeber", NULL if absent */
    bimo_disclosure_options disclosure; /* the thresholds the result was protected with */
    size_t ndims;
    const char *dims[BIMO_DIM_COUNT];
    result_period *periods;
    size_t nperiods;
    bimo_result_row *rows;
    size_t nrows;
    bimo_result_cell *cells;
    char **strings; /* node codes and labels, owned */
    size_t nstrings, capstrings;
};

void bimo_result_free(bimo_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nperiods; i++)
        free(r->periods[i].quelle);
    for (size_t i = 0; i < r->nstrings; i++)
        free(r->strings[i]);
    free(r->strings);
    free(r->periods);
    free(r->rows);
    free(r->cells);
    free(r->area);
    free(r);
}

static const char *keep(bimo_result *r, const char *s)
{
    if (r->nstrings == r->capstrings) {
        size_t cap = r->capstrings ? r->capstrings * 2 : 64;
        char **p = realloc(r->strings, cap * sizeof *p);
        if (!p)
            return NULL;
        r->strings = p;
        r->capstrings = cap;
    }
    char *copy = strdup(s);
    if (copy)
        r->strings[r->nstrings++] = copy;
    return copy;
}

const bimo_indicator *bimo_result_indicator(const bimo_result *r)
{
    return r->ind;
}
int bimo_result_intern(const bimo_result *r)
{
    return r->intern;
}
const char *bimo_result_area(const bimo_result *r)
{
    return r->area;
}
const char *bimo_result_producer(const bimo_result *r)
{
    return r->producer;
}
void bimo_result_disclosure(const bimo_result *r, int64_t *threshold, double *min_denominator)
{
    *threshold = r->disclosure.threshold;
    *min_denominator = r->disclosure.min_denominator;
}
size_t bimo_result_dim_count(const bimo_result *r)
{
    return r->ndims;
}
const char *bimo_result_dim(const bimo_result *r, size_t i)
{
    return i < r->ndims ? r->dims[i] : NULL;
}
size_t bimo_result_period_count(const bimo_result *r)
{
    return r->nperiods;
}
const bimo_result_period *bimo_result_period_at(const bimo_result *r, size_t i)
{
    return i < r->nperiods ? &r->periods[i].pub : NULL;
}
size_t bimo_result_row_count(const bimo_result *r)
{
    return r->nrows;
}
const bimo_result_row *bimo_result_row_at(const bimo_result *r, size_t i)
{
    return i < r->nrows ? &r->rows[i] : NULL;
}

const char *bimo_flag_symbol(bimo_flag flag)
{
    static const char *const s[BIMO_FLAG_COUNT] = {"", "–", ".", "/", "…", "p", "x"};
    return (unsigned)flag < BIMO_FLAG_COUNT ? s[flag] : "";
}

const char *bimo_flag_legend(bimo_flag flag)
{
    static const char *const s[BIMO_FLAG_COUNT] = {
        "",
        "genau null (nichts vorhanden)",
        "Zahlenwert geheim zu halten",
        "keine Angabe, da Zahlenwert nicht sicher genug",
        "keine Daten für diesen Zeitraum",
        "vorläufige Zahl",
        "Tabellenfach gesperrt, weil Aussage nicht sinnvoll",
    };
    return (unsigned)flag < BIMO_FLAG_COUNT ? s[flag] : "";
}

/* ---- The request ---------------------------------------------------------------------------- */

/* A requested dimension: the axis it is shown from and, for the municipality levels, which. */
typedef struct {
    bimo_dim_id dim;
    int axis;
    int level; /* 1 gemeinde, 2 kommune, 3 region; 0 not geographic */
} column;

/* One axis of the table: node 0 is the root "Insgesamt", then the categories, grouped by level
 * (regions, reporting units, municipalities) and sorted within a level. */
typedef struct {
    bimo_dim_id base; /* the SQL dimension */
    int fcol;         /* its column in the finest rows */
    int finest_level; /* geographic: the finest level requested (0: not geographic) */
    size_t n, cap;
    const char **code, **label;
    int *parent, *level;
    int *emit;    /* 1: the node's rows are shown */
    int *leaf_of; /* category index -> node */
    size_t nleaf_of;
} axis;

typedef struct {
    bimo_engine *e;
    const bimo_indicator *ind;
    const bimo_compute_options *opt;
    bimo_result *res;
    column cols[BIMO_DIM_COUNT];
    size_t ncols;
    axis axes[BIMO_DIM_COUNT];
    size_t naxes;
    const bimo_finest **fin; /* one per period */
    size_t nperiods;
    bimo_agg *agg;
    int share_axis; /* share: the axis whose root is the denominator, else -1 */
} request;

static void axis_free(axis *a)
{
    free(a->code);
    free(a->label);
    free(a->parent);
    free(a->level);
    free(a->emit);
    free(a->leaf_of);
}

static int allows(const bimo_indicator *ind, const bimo_dim_spec *d)
{
    for (size_t i = 0; i < ind->ndimensions; i++) {
        const bimo_dim_spec *a = bimo_dim_find(ind->dimensions[i]);
        if (a->id == d->id || (d->geo_level && a->geo_level && a->geo_level <= d->geo_level))
            return 1;
    }
    return 0;
}

static bimo_status add_column(request *rq, const char *name, bimo_error *err)
{
    const bimo_dim_spec *d = bimo_dim_find(name);
    if (!d) {
        char known[400];
        bimo_dim_list(known, sizeof known);
        return bimo_fail(err, BIMO_ERR_ARG, "\"%s\" is not a dimension (known: %s)", name, known);
    }
    if (!allows(rq->ind, d)) {
        char list[300] = "";
        for (size_t i = 0; i < rq->ind->ndimensions; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                     rq->ind->dimensions[i]);
        return bimo_fail(err, BIMO_ERR_ARG, "%s cannot be broken down by %s; it allows %s",
                         rq->ind->id, name, list[0] ? list : "no dimensions");
    }
    for (size_t i = 0; i < rq->ncols; i++)
        if (rq->cols[i].dim == d->id)
            return bimo_fail(err, BIMO_ERR_ARG, "dimension %s is given twice", name);
    rq->cols[rq->ncols++] = (column){d->id, -1, d->geo_level};
    return BIMO_OK;
}

/* Columns in the requested order; one axis per non-geographic column and one for the
 * municipality levels together. */
static bimo_status plan_columns(request *rq, const char *const *dims, size_t ndims, bimo_error *err)
{
    if (ndims > BIMO_DIM_COUNT)
        return bimo_fail(err, BIMO_ERR_ARG, "too many dimensions");
    const char *share = rq->ind->kind == BIMO_KIND_SHARE ? rq->ind->share_of : NULL;
    int has_share = 0;
    for (size_t i = 0; share && i < ndims; i++)
        has_share |= strcmp(dims[i], share) == 0;
    bimo_status st = share && !has_share ? add_column(rq, share, err) : BIMO_OK;
    for (size_t i = 0; i < ndims && st == BIMO_OK; i++)
        st = add_column(rq, dims[i], err);
    if (st != BIMO_OK)
        return st;
    int geo_axis = -1;
    for (size_t i = 0; i < rq->ncols; i++) {
        column *c = &rq->cols[i];
        if (c->level && geo_axis >= 0) {
            c->axis = geo_axis;
            continue;
        }
        c->axis = (int)rq->naxes;
        rq->axes[rq->naxes].base = bimo_dim_base(c->dim);
        if (c->level)
            geo_axis = (int)rq->naxes;
        rq->naxes++;
    }
    for (size_t i = 0; i < rq->ncols; i++) {
        axis *a = &rq->axes[rq->cols[i].axis];
        if (rq->cols[i].level && (!a->finest_level || rq->cols[i].level < a->finest_level))
            a->finest_level = rq->cols[i].level;
    }
    rq->share_axis = -1;
    for (size_t i = 0; share && i < rq->ncols; i++)
        if (strcmp(bimo_dim_get(rq->cols[i].dim)->name, share) == 0)
            rq->share_axis = rq->cols[i].axis;
    return BIMO_OK;
}

/* Release consistency (opt->protect_dims): an axis without a column for each further dimension,
 * so the table is protected as a slice of the table over all of them, like every other
 * breakdown of the release; shared cells then have one protection. Only the margins of these
 * axes are shown. */
static bimo_status plan_protect_axes(request *rq, bimo_error *err)
{
    for (size_t i = 0; i < rq->opt->nprotect_dims; i++) {
        const char *name = rq->opt->protect_dims[i];
        const bimo_dim_spec *d = bimo_dim_find(name);
        if (!d || !allows(rq->ind, d))
            return bimo_fail(err, BIMO_ERR_ARG, "%s cannot be protected over dimension %s",
                             rq->ind->id, name);
        size_t a = 0;
        while (a < rq->naxes && (d->geo_level ? !rq->axes[a].finest_level
                                              : rq->axes[a].base != bimo_dim_base(d->id)))
            a++;
        if (a == BIMO_DIM_COUNT)
            return bimo_fail(err, BIMO_ERR_ARG, "too many dimensions");
        if (a == rq->naxes)
            rq->axes[rq->naxes++].base = bimo_dim_base(d->id);
        if (d->geo_level && (!rq->axes[a].finest_level || d->geo_level < rq->axes[a].finest_level))
            rq->axes[a].finest_level = d->geo_level;
    }
    return BIMO_OK;
}

static bimo_status check_params(const request *rq, bimo_error *err)
{
    for (size_t i = 0; i < rq->opt->nparams; i++) {
        const char *p = rq->opt->params[i], *eq = strchr(p, '=');
        char name[64];
        snprintf(name, sizeof name, "%.*s", eq ? (int)(eq - p) : (int)strlen(p), p);
        if (!eq)
            return bimo_fail(err, BIMO_ERR_ARG, "parameter \"%s\": expected NAME=VALUE", p);
        if (!bimo_indicator_param_value(rq->ind, name))
            return bimo_fail(err, BIMO_ERR_ARG, "%s has no parameter \"%s\"", rq->ind->id, name);
    }
    return BIMO_OK;
}

/* ---- Axes ----------------------------------------------------------------------------------- */

static int axis_add(request *rq, axis *a, const char *code, const char *label, int parent,
                    int level)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 32;
        const char **c = realloc(a->code, cap * sizeof *c);
        if (c)
            a->code = c;
        const char **l = realloc(a->label, cap * sizeof *l);
        if (l)
            a->label = l;
        int *p = realloc(a->parent, cap * sizeof *p);
        if (p)
            a->parent = p;
        int *v = realloc(a->level, cap * sizeof *v);
        if (v)
            a->level = v;
        int *m = realloc(a->emit, cap * sizeof *m);
        if (m)
            a->emit = m;
        if (!c || !l || !p || !v || !m)
            return -1;
        a->cap = cap;
    }
    int root = parent < 0;
    a->code[a->n] = root ? TOTAL : keep(rq->res, code);
    a->label[a->n] = root ? TOTAL : keep(rq->res, label);
    if (!a->code[a->n] || !a->label[a->n])
        return -1;
    a->parent[a->n] = parent;
    a->level[a->n] = level;
    a->emit[a->n] = root;
    for (size_t i = 0; !root && i < rq->ncols; i++)
        a->emit[a->n] |= &rq->axes[rq->cols[i].axis] == a &&
                         (rq->cols[i].level ? rq->cols[i].level == level : 1);
    return (int)a->n++;
}

/* Indices of the categories of set ordered by (sort, code). */
static int *sorted_categories(const bimo_catset *set)
{
    int *idx = malloc((set->n ? set->n : 1) * sizeof *idx);
    if (!idx)
        return NULL;
    for (size_t i = 0; i < set->n; i++)
        idx[i] = (int)i;
    for (size_t i = 1; i < set->n; i++) { /* insertion sort: sets are small */
        int v = idx[i];
        size_t j = i;
        const bimo_category *c = &set->items[v];
        while (j > 0) {
            const bimo_category *p = &set->items[idx[j - 1]];
            if (p->sort < c->sort || (p->sort == c->sort && strcmp(p->code, c->code) <= 0))
                break;
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = v;
    }
    return idx;
}

/* Nodes for every category of one geographic level; node_of[category] receives the node. */
static bimo_status geo_level(request *rq, axis *a, bimo_dim_id d, int level, const int *parent_node,
                             int *node_of, bimo_error *err)
{
    const bimo_catset *set = &rq->e->sets[d];
    int *order = sorted_categories(set);
    if (!order)
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < set->n; i++) {
        const bimo_category *c = &set->items[order[i]];
        int parent = parent_node ? parent_node[c->parent] : 0;
        int n = axis_add(rq, a, c->code, c->label, parent, level);
        if (n < 0) {
            free(order);
            return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
        }
        node_of[order[i]] = n;
    }
    free(order);
    return BIMO_OK;
}

/* The municipality axis: every region, reporting unit and municipality of the profile, also
 * when a coarser level is asked for, so subtotals are complete and protected together. */
static bimo_status build_geo_axis(request *rq, axis *a, bimo_error *err)
{
    bimo_engine *e = rq->e;
    size_t ng = e->sets[BIMO_DIM_GEMEINDE].n, nk = e->sets[BIMO_DIM_KOMMUNE].n,
           nr = e->sets[BIMO_DIM_REGION].n;
    int *reg = calloc(nr + 1, sizeof *reg), *kom = calloc(nk + 1, sizeof *kom);
    a->leaf_of = calloc(ng + 1, sizeof *a->leaf_of);
    a->nleaf_of = ng;
    bimo_status st =
        reg && kom && a->leaf_of ? BIMO_OK : bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    if (st == BIMO_OK && axis_add(rq, a, NULL, NULL, -1, 0) != 0)
        st = bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    /* Always down to the municipalities, also for a table by kommune or region only: the
     * tables of every level then protect the same cube and hide the same cells, so a reader
     * who holds the table by gemeinde and the one by kommune learns nothing from the pair. */
    if (st == BIMO_OK)
        st = geo_level(rq, a, BIMO_DIM_REGION, 3, NULL, reg, err);
    if (st == BIMO_OK)
        st = geo_level(rq, a, BIMO_DIM_KOMMUNE, 2, reg, kom, err);
    if (st == BIMO_OK)
        st = geo_level(rq, a, BIMO_DIM_GEMEINDE, 1, kom, a->leaf_of, err);
    free(reg);
    free(kom);
    return st;
}

/* The weight of each staat category in the newest period with data, for the top N. */
static int64_t *staat_weights(const request *rq, const axis *a, const char *present)
{
    size_t n = rq->e->sets[a->base].n;
    int64_t *w = calloc(n + 1, sizeof *w);
    if (!w)
        return NULL;
    for (size_t p = rq->nperiods; p-- > 0;) {
        const bimo_finest *f = rq->fin[p];
        if (!f->pc.has_data || f->n == 0)
            continue;
        for (size_t r = 0; r < f->n; r++)
            w[f->cats[r * (size_t)f->ncols + (size_t)a->fcol]] +=
                rq->ind->kind == BIMO_KIND_RATE ? f->den[r] : f->num[r];
        break;
    }
    for (size_t i = 0; i < n; i++)
        if (!present[i])
            w[i] = -1;
    return w;
}

static int *rank_by_weight(const bimo_catset *set, const int64_t *w)
{
    int *idx = malloc((set->n ? set->n : 1) * sizeof *idx);
    if (!idx)
        return NULL;
    for (size_t i = 0; i < set->n; i++)
        idx[i] = (int)i;
    for (size_t i = 1; i < set->n; i++) {
        int v = idx[i];
        size_t j = i;
        while (j > 0 && (w[idx[j - 1]] < w[v] ||
                         (w[idx[j - 1]] == w[v] &&
                          strcmp(set->items[idx[j - 1]].code, set->items[v].code) > 0))) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = v;
    }
    return idx;
}

static bimo_status build_staat_leaves(request *rq, axis *a, const char *present, bimo_error *err)
{
    const bimo_catset *set = &rq->e->sets[a->base];
    int64_t *w = staat_weights(rq, a, present);
    int *order = w ? rank_by_weight(set, w) : NULL;
    bimo_status st = order ? BIMO_OK : bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    size_t top = rq->opt->top_n > 0 ? (size_t)rq->opt->top_n : DEFAULT_TOP, shown = 0;
    int others = -1;
    for (size_t i = 0; st == BIMO_OK && i < set->n; i++) {
        int c = order[i];
        if (!present[c])
            continue;
        if (shown < top && w[c] > 0) {
            shown++;
            a->leaf_of[c] = axis_add(rq, a, set->items[c].code, set->items[c].label, 0, 1);
        } else {
            if (others < 0)
                others = -2; /* placed after the loop so it comes last */
            a->leaf_of[c] = -2;
        }
        if (a->leaf_of[c] == -1)
            st = bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    }
    if (st == BIMO_OK && others == -2) {
        others = axis_add(rq, a, OTHERS_CODE, OTHERS, 0, 1);
        for (size_t c = 0; c < set->n; c++)
            if (a->leaf_of[c] == -2)
                a->leaf_of[c] = others;
        if (others < 0)
            st = bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    }
    free(w);
    free(order);
    return st;
}

/* A flat axis: the root and the categories found in the data of any period. */
static bimo_status build_flat_axis(request *rq, axis *a, bimo_error *err)
{
    const bimo_catset *set = &rq->e->sets[a->base];
    char *present = calloc(set->n + 1, 1);
    a->leaf_of = malloc((set->n + 1) * sizeof *a->leaf_of);
    a->nleaf_of = set->n;
    if (!present || !a->leaf_of || axis_add(rq, a, NULL, NULL, -1, 0) != 0) {
        free(present);
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < set->n; i++)
        a->leaf_of[i] = -1;
    for (size_t p = 0; p < rq->nperiods; p++) {
        const bimo_finest *f = rq->fin[p];
        for (size_t r = 0; f->pc.has_data && r < f->n; r++)
            present[f->cats[r * (size_t)f->ncols + (size_t)a->fcol]] = 1;
    }
    for (size_t i = 0; bimo_dim_get(a->base)->complete && i < set->n; i++)
        present[i] |= set->items[i].known;
    bimo_status st = BIMO_OK;
    if (a->base == BIMO_DIM_STAAT) {
        st = build_staat_leaves(rq, a, present, err);
    } else {
        int *order = sorted_categories(set);
        if (!order)
            st = bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
        for (size_t i = 0; st == BIMO_OK && i < set->n; i++) {
            int c = order[i];
            if (present[c] && (a->leaf_of[c] = axis_add(rq, a, set->items[c].code,
                                                        set->items[c].label, 0, 1)) < 0)
                st = bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
        }
        free(order);
    }
    free(present);
    return st;
}

static bimo_status build_axes(request *rq, bimo_error *err)
{
    bimo_status st = BIMO_OK;
    const bimo_finest *f0 = rq->fin[0];
    for (size_t i = 0; i < rq->naxes && st == BIMO_OK; i++) {
        axis *a = &rq->axes[i];
        for (int c = 0; c < f0->ncols; c++)
            if (f0->cols[c] == a->base)
                a->fcol = c;
        st = a->finest_level ? build_geo_axis(rq, a, err) : build_flat_axis(rq, a, err);
    }
    bimo_agg_axis trees[BIMO_DIM_COUNT];
    for (size_t i = 0; i < rq->naxes; i++)
        trees[i] = (bimo_agg_axis){rq->axes[i].n, rq->axes[i].parent};
    if (st == BIMO_OK)
        st = bimo_agg_new(rq->naxes, trees, MAX_CELLS, &rq->agg, err);
    return st;
}

/* ---- Counting ------------------------------------------------------------------------------- */

/* The sums of one period over all cells. */
typedef struct {
    int64_t *num, *den, *prov;
    size_t *qoff; /* quantile: values of cell c are qval[qoff[c] .. qoff[c + 1]) */
    double *qval;
    bimo_cell_flag *nflag, *dflag;
} sums;

static void sums_free(sums *s)
{
    free(s->num);
    free(s->den);
    free(s->prov);
    free(s->qoff);
    free(s->qval);
    free(s->nflag);
    free(s->dflag);
    memset(s, 0, sizeof *s);
}

/* The finest rows of f as node tuples of the axes. */
static int *leaf_rows(const request *rq, const bimo_finest *f)
{
    int *rows = malloc((f->n ? f->n : 1) * (rq->naxes ? rq->naxes : 1) * sizeof *rows);
    if (!rows)
        return NULL;
    for (size_t r = 0; r < f->n; r++)
        for (size_t a = 0; a < rq->naxes; a++) {
            const axis *ax = &rq->axes[a];
            int cat = f->cats[r * (size_t)f->ncols + (size_t)ax->fcol];
            rows[r * rq->naxes + a] = (size_t)cat < ax->nleaf_of ? ax->leaf_of[cat] : 0;
        }
    return rows;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Collects each observation into every cell it belongs to, then sorts each cell's values. */
static bimo_status collect_values(const request *rq, const bimo_finest *f, const int *rows, sums *s)
{
    size_t ncells = bimo_agg_cells(rq->agg), *t = malloc(bimo_agg_max_targets(rq->agg) * sizeof *t);
    s->qoff = calloc(ncells + 1, sizeof *s->qoff);
    size_t *fill = calloc(ncells + 1, sizeof *fill);
    if (!t || !s->qoff || !fill) {
        free(t);
        free(fill);
        return BIMO_ERR_NOMEM;
    }
    for (size_t r = 0; r < f->n; r++) {
        size_t n = bimo_agg_targets(rq->agg, rows + r * rq->naxes, t);
        for (size_t i = 0; i < n; i++)
            s->qoff[t[i] + 1]++;
    }
    for (size_t c = 0; c < ncells; c++)
        s->qoff[c + 1] += s->qoff[c];
    s->qval = malloc((s->qoff[ncells] ? s->qoff[ncells] : 1) * sizeof *s->qval);
    for (size_t r = 0; s->qval && r < f->n; r++) {
        size_t n = bimo_agg_targets(rq->agg, rows + r * rq->naxes, t);
        for (size_t i = 0; i < n; i++)
            s->qval[s->qoff[t[i]] + fill[t[i]]++] = f->val[r];
    }
    for (size_t c = 0; s->qval && c < ncells; c++)
        qsort(s->qval + s->qoff[c], s->qoff[c + 1] - s->qoff[c], sizeof *s->qval, cmp_double);
    free(t);
    free(fill);
    return s->qval ? BIMO_OK : BIMO_ERR_NOMEM;
}

static bimo_status count_period(const request *rq, const bimo_finest *f, sums *s, bimo_error *err)
{
    size_t ncells = bimo_agg_cells(rq->agg);
    s->num = calloc(ncells, sizeof *s->num);
    s->den = calloc(ncells, sizeof *s->den);
    s->prov = calloc(ncells, sizeof *s->prov);
    int64_t *prov = malloc((f->n ? f->n : 1) * sizeof *prov);
    int *rows = leaf_rows(rq, f);
    bimo_status st = s->num && s->den && s->prov && prov && rows ? BIMO_OK : BIMO_ERR_NOMEM;
    for (size_t r = 0; st == BIMO_OK && r < f->n; r++)
        prov[r] = f->prov[r];
    if (st == BIMO_OK) {
        const int64_t *in[] = {f->num, prov, f->den};
        int64_t *out[] = {s->num, s->prov, s->den};
        st = bimo_agg_sum(rq->agg, f->n, rows, rq->ind->kind == BIMO_KIND_RATE ? 3 : 2, in, out);
    }
    if (st == BIMO_OK && rq->ind->kind == BIMO_KIND_QUANTILE)
        st = collect_values(rq, f, rows, s);
    free(prov);
    free(rows);
    return st == BIMO_OK ? BIMO_OK : bimo_fail(err, st, "out of memory");
}

/* ---- Disclosure control --------------------------------------------------------------------- */

/* Both index cells row-major with the last axis fastest; checking each axis's stride (its
 * last node with all other axes at the root) catches a change of either layout. */
static int same_layout(const request *rq, const bimo_disclosure_cube *cube)
{
    int nodes[BIMO_DIM_COUNT] = {0};
    size_t snodes[BIMO_DIM_COUNT] = {0};
    for (size_t a = 0; cube && a < rq->naxes; a++) {
        nodes[a] = (int)rq->axes[a].n - 1;
        snodes[a] = rq->axes[a].n - 1;
        if (bimo_disclosure_cube_index(cube, snodes) != bimo_agg_index(rq->agg, nodes))
            return 0;
        nodes[a] = 0;
        snodes[a] = 0;
    }
    return 1;
}

/* ---- Release consistency (opt->force_secret, opt->report_secret) ------------------------ */

/* The non-margin coordinates of cube cell c; a municipality-axis node is named by its own
 * level (gemeinde, kommune or region), so one cell has one name in every breakdown. */
static size_t cell_coords(const request *rq, size_t c, bimo_cell_coord *coords)
{
    size_t n = 0;
    for (size_t a = rq->naxes; a-- > 0;) { /* row-major, the last axis fastest */
        const axis *ax = &rq->axes[a];
        size_t node = c % ax->n;
        c /= ax->n;
        if (node == 0)
            continue;
        bimo_dim_id d = ax->finest_level ? (bimo_dim_id)(ax->level[node] - 1) : ax->base;
        coords[n++] = (bimo_cell_coord){bimo_dim_get(d)->name, ax->code[node]};
    }
    return n;
}

/* forced[c] for every cell of the cube, asked of the caller for each non-zero cell. */
static bimo_status forced_cells(const request *rq, size_t p, int denominator, const int64_t *values,
                                size_t ncells, unsigned char **out, bimo_error *err)
{
    *out = NULL;
    if (!rq->opt->force_secret)
        return BIMO_OK;
    if (!(*out = calloc(ncells ? ncells : 1, 1)))
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    bimo_cell_coord coords[BIMO_DIM_COUNT];
    for (size_t c = 0; c < ncells; c++)
        if (values[c] != 0)
            (*out)[c] =
                rq->opt->force_secret(&rq->res->periods[p].pub, coords, cell_coords(rq, c, coords),
                                      denominator, rq->opt->force_ctx) != 0;
    return BIMO_OK;
}

/* Tells the caller every suppressed cell, also subtotals the table does not show. */
static void report_secret(const request *rq, size_t p, int denominator, const bimo_cell_flag *flags,
                          size_t ncells)
{
    bimo_cell_coord coords[BIMO_DIM_COUNT];
    for (size_t c = 0; rq->opt->report_secret && c < ncells; c++)
        if (flags[c] == BIMO_CELL_PRIMARY || flags[c] == BIMO_CELL_SECONDARY)
            rq->opt->report_secret(&rq->res->periods[p].pub, coords, cell_coords(rq, c, coords),
                                   denominator, rq->opt->force_ctx);
}

/* The table's additivity equations: the cube of its axes (one cell when it has none). */
static bimo_status table_eqs(const request *rq, bimo_disclosure_cube **cube,
                             bimo_disclosure_eqs **own, const bimo_disclosure_eqs **eqs,
                             bimo_error *err)
{
    *cube = NULL;
    *own = NULL;
    bimo_status st;
    if (rq->naxes == 0) {
        st = bimo_disclosure_eqs_new(1, own, err);
        *eqs = *own;
    } else {
        bimo_dim_tree trees[BIMO_DIM_COUNT];
        size_t *parents[BIMO_DIM_COUNT] = {0};
        st = BIMO_OK;
        for (size_t a = 0; a < rq->naxes && st == BIMO_OK; a++) {
            const axis *ax = &rq->axes[a];
            if (!(parents[a] = malloc(ax->n * sizeof *parents[a])))
                st = bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
            for (size_t i = 0; st == BIMO_OK && i < ax->n; i++)
                parents[a][i] = ax->parent[i] < 0 ? BIMO_DIM_ROOT : (size_t)ax->parent[i];
            trees[a] = (bimo_dim_tree){ax->n, parents[a]};
        }
        if (st == BIMO_OK)
            st = bimo_disclosure_cube_new(rq->naxes, trees, cube, err);
        for (size_t a = 0; a < rq->naxes; a++)
            free(parents[a]);
        *eqs = *cube ? bimo_disclosure_cube_eqs(*cube) : NULL;
    }
    if (st == BIMO_OK &&
        (bimo_disclosure_eqs_cells(*eqs) != bimo_agg_cells(rq->agg) || !same_layout(rq, *cube)))
        st = bimo_fail(err, BIMO_ERR_DATA, "disclosure control: the table layout differs");
    return st;
}

/* Protects one system of counts (numerators, or a rate's denominators) into *flags (allocated
 * on first use); cells with more[c] are suppressed as well, like those the release forces. */
static bimo_status protect_counts(const request *rq, size_t p, int denominator,
                                  const int64_t *values, const bimo_disclosure_eqs *eqs,
                                  const unsigned char *more, bimo_cell_flag **flags,
                                  bimo_error *err)
{
    size_t ncells = bimo_agg_cells(rq->agg);
    if (!*flags && !(*flags = calloc(ncells ? ncells : 1, sizeof **flags)))
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    unsigned char *forced = NULL;
    bimo_status st = forced_cells(rq, p, denominator, values, ncells, &forced, err);
    if (st == BIMO_OK && more && !forced && !(forced = calloc(ncells ? ncells : 1, 1)))
        st = bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    for (size_t c = 0; st == BIMO_OK && more && c < ncells; c++)
        forced[c] |= more[c];
    if (st == BIMO_OK)
        st = bimo_disclosure_protect_forced(values, ncells, eqs, &rq->e->disclosure, forced, *flags,
                                            NULL, err);
    free(forced);
    return st;
}

static int is_secret(bimo_cell_flag f)
{
    return f == BIMO_CELL_PRIMARY || f == BIMO_CELL_SECONDARY;
}

/* For a rate that counts persons among its denominator's persons (numerator <= denominator in
 * every cell), a reader bounds a hidden numerator by its shown denominator, and a hidden
 * denominator by its shown numerator, which the additive audit alone does not see: a hidden
 * 1 over a shown 3 lies in 1..3. Where that leaves fewer values than the threshold, the
 * partner is hidden too and both systems are protected again. A cell is a candidate only
 * when its two numbers differ by less than the threshold (else the partner bounds nothing
 * the threshold does not allow); only then are exact bounds computed. Returns through
 * *changed whether a partner was hidden. */
static bimo_status couple_rate(const request *rq, const int64_t *values, const int64_t *partner,
                               const bimo_disclosure_eqs *eqs, const bimo_cell_flag *flags,
                               const bimo_cell_flag *pflags, int is_numerator, unsigned char *more,
                               int *changed, bimo_error *err)
{
    size_t ncells = bimo_agg_cells(rq->agg);
    const bimo_disclosure_options *opt = &rq->e->disclosure;
    int candidates = 0;
    for (size_t c = 0; c < ncells && !candidates; c++)
        candidates = is_secret(flags[c]) && !is_secret(pflags[c]) && !more[c] &&
                     llabs(partner[c] - values[c]) < opt->threshold;
    if (!candidates)
        return BIMO_OK;
    bimo_disclosure_bounds *b = malloc((ncells ? ncells : 1) * sizeof *b);
    size_t unsafe = 0;
    if (!b)
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    bimo_status st = bimo_disclosure_audit(values, ncells, eqs, flags, opt, b, &unsafe, err);
    for (size_t c = 0; st == BIMO_OK && c < ncells; c++) {
        if (!is_secret(flags[c]) || is_secret(pflags[c]) || more[c])
            continue;
        bimo_disclosure_bounds k = b[c];
        if (is_numerator && (double)partner[c] < k.hi)
            k.hi = (double)partner[c];
        if (!is_numerator && (double)partner[c] > k.lo)
            k.lo = (double)partner[c];
        if (!bimo_disclosure_bounds_safe(k, opt)) {
            more[c] = 1; /* marks the partner's cell: same index in the other system */
            *changed = 1;
        }
    }
    free(b);
    return st;
}

static bimo_status protect_period(const request *rq, size_t p, sums *s, bimo_error *err)
{
    size_t ncells = bimo_agg_cells(rq->agg);
    int rate = rq->ind->kind == BIMO_KIND_RATE;
    bimo_disclosure_cube *cube;
    bimo_disclosure_eqs *own;
    const bimo_disclosure_eqs *eqs;
    bimo_status st = table_eqs(rq, &cube, &own, &eqs, err);
    int within = rate;
    for (size_t c = 0; within && c < ncells; c++)
        within = s->num[c] <= s->den[c];
    unsigned char *nmore = within ? calloc(ncells ? ncells : 1, 1) : NULL;
    unsigned char *dmore = within ? calloc(ncells ? ncells : 1, 1) : NULL;
    if (st == BIMO_OK && within && (!nmore || !dmore))
        st = bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    /* Each round hides at least one more cell, so this ends; 2 rounds are usual. */
    for (int changed = 1; st == BIMO_OK && changed;) {
        changed = 0;
        st = protect_counts(rq, p, 0, s->num, eqs, nmore, &s->nflag, err);
        if (st == BIMO_OK && rate)
            st = protect_counts(rq, p, 1, s->den, eqs, dmore, &s->dflag, err);
        if (st == BIMO_OK && within)
            st = couple_rate(rq, s->num, s->den, eqs, s->nflag, s->dflag, 1, dmore, &changed, err);
        if (st == BIMO_OK && within)
            st = couple_rate(rq, s->den, s->num, eqs, s->dflag, s->nflag, 0, nmore, &changed, err);
    }
    if (st == BIMO_OK) {
        report_secret(rq, p, 0, s->nflag, ncells);
        if (rate)
            report_secret(rq, p, 1, s->dflag, ncells);
    }
    free(nmore);
    free(dmore);
    bimo_disclosure_cube_free(cube);
    bimo_disclosure_eqs_free(own);
    return st;
}

/* ---- Rows ----------------------------------------------------------------------------------- */

/* The node shown in column c for node n of its axis: its ancestor at the column's level, or 0
 * ("Insgesamt") when n is the root or a coarser subtotal. */
static int shown_node(const request *rq, size_t c, int n)
{
    const column *col = &rq->cols[c];
    const axis *a = &rq->axes[col->axis];
    if (!col->level)
        return n;
    while (n > 0 && a->level[n] < col->level)
        n = a->parent[n];
    return n > 0 && a->level[n] == col->level ? n : 0;
}

typedef struct {
    int rank[BIMO_DIM_COUNT];
    int node[BIMO_DIM_COUNT];
} tuple;

static int cmp_tuple(const void *x, const void *y)
{
    const tuple *a = x, *b = y;
    for (int i = 0; i < BIMO_DIM_COUNT; i++)
        if (a->rank[i] != b->rank[i])
            return a->rank[i] < b->rank[i] ? -1 : 1;
    return 0;
}

/* Every combination of shown nodes, sorted column by column, "Insgesamt" first. */
static tuple *shown_tuples(const request *rq, size_t *count)
{
    size_t n = 1;
    for (size_t a = 0; a < rq->naxes; a++) {
        size_t k = 0;
        for (size_t i = 0; i < rq->axes[a].n; i++)
            k += rq->axes[a].emit[i] != 0;
        n *= k;
    }
    tuple *t = calloc(n ? n : 1, sizeof *t);
    if (!t)
        return NULL;
    int pos[BIMO_DIM_COUNT] = {0};
    for (size_t i = 0; i < n; i++) {
        for (size_t a = 0; a < rq->naxes; a++) {
            while (!rq->axes[a].emit[pos[a]])
                pos[a]++;
            t[i].node[a] = pos[a];
        }
        for (size_t c = 0; c < rq->ncols; c++)
            t[i].rank[c] = shown_node(rq, c, t[i].node[rq->cols[c].axis]);
        for (size_t a = rq->naxes; a-- > 0;) { /* next combination */
            do
                pos[a]++;
            while ((size_t)pos[a] < rq->axes[a].n && !rq->axes[a].emit[pos[a]]);
            if ((size_t)pos[a] < rq->axes[a].n)
                break;
            pos[a] = 0;
        }
    }
    qsort(t, n, sizeof *t, cmp_tuple);
    *count = n;
    return t;
}

static size_t share_cell(const request *rq, const tuple *t)
{
    int nodes[BIMO_DIM_COUNT];
    memcpy(nodes, t->node, sizeof nodes);
    nodes[rq->share_axis] = 0;
    return bimo_agg_index(rq->agg, nodes);
}

static double ratio(const request *rq, int64_t num, int64_t den)
{
    return (double)num / (double)den * rq->ind->factor;
}

/* The numbers and flag of one row, unprotected. */
static void fill_intern(const request *rq, const sums *s, size_t cell, size_t dcell,
                        bimo_result_row *row)
{
    const bimo_indicator *ind = rq->ind;
    row->numerator = s->num[cell];
    row->has = BIMO_HAS_NUMERATOR;
    if (ind->kind == BIMO_KIND_COUNT) {
        row->value = (double)row->numerator;
        row->has |= BIMO_HAS_VALUE;
        row->flag = row->numerator == 0 ? BIMO_FLAG_ZERO : BIMO_FLAG_NONE;
    } else if (ind->kind == BIMO_KIND_QUANTILE) {
        size_t n = s->qoff[cell + 1] - s->qoff[cell];
        row->numerator = (int64_t)n;
        if (n == 0) {
            row->flag = BIMO_FLAG_ZERO;
            return;
        }
        const double *v = s->qval + s->qoff[cell];
        row->q1 = bimo_quantile7(v, n, 0.25);
        row->median = bimo_quantile7(v, n, 0.5);
        row->q3 = bimo_quantile7(v, n, 0.75);
        row->value = rq->opt->quantile == BIMO_QUANTILE_Q1   ? row->q1
                     : rq->opt->quantile == BIMO_QUANTILE_Q3 ? row->q3
                                                             : row->median;
        row->has |= BIMO_HAS_VALUE;
    } else {
        row->denominator = ind->kind == BIMO_KIND_RATE ? s->den[cell] : s->num[dcell];
        row->has |= BIMO_HAS_DENOMINATOR;
        if (row->denominator == 0) { /* nothing to divide: a rate of cases out of none is void */
            row->flag = row->numerator == 0 ? BIMO_FLAG_ZERO : BIMO_FLAG_NOT_MEANINGFUL;
            return;
        }
        row->value = ratio(rq, row->numerator, row->denominator);
        row->has |= BIMO_HAS_VALUE;
        row->flag = row->numerator == 0 ? BIMO_FLAG_ZERO : BIMO_FLAG_NONE;
    }
}

/* Applies the disclosure flags: suppressed numbers are cleared, never just flagged. */
static void apply_protection(const request *rq, const sums *s, size_t cell, size_t dcell,
                             bimo_result_row *row)
{
    const bimo_indicator *ind = rq->ind;
    bimo_cell_flag nf = s->nflag[cell];
    int nsecret = nf == BIMO_CELL_PRIMARY || nf == BIMO_CELL_SECONDARY;
    if (ind->kind == BIMO_KIND_COUNT) {
        if (nsecret) {
            row->has = 0;
            row->numerator = 0;
            row->value = 0;
            row->flag = BIMO_FLAG_SECRET;
        }
        return;
    }
    if (row->denominator == 0 && ind->kind != BIMO_KIND_QUANTILE) {
        /* No value to hide (flag "–" or "x"), but a numerator above 0 is a count like any
         * other: protected by its table's suppression. A denominator of 0 is never secret. */
        if (nsecret) {
            row->has &= ~(unsigned)BIMO_HAS_NUMERATOR;
            row->numerator = 0;
            row->flag = BIMO_FLAG_SECRET;
        }
        return;
    }
    bimo_cell_flag df = ind->kind == BIMO_KIND_RATE    ? s->dflag[cell]
                        : ind->kind == BIMO_KIND_SHARE ? s->nflag[dcell]
                                                       : BIMO_CELL_PUBLISHED;
    double dv = ind->kind == BIMO_KIND_QUANTILE ? (double)row->numerator : (double)row->denominator;
    bimo_rate_flag rf = bimo_disclosure_rate(nf, df, dv, &rq->e->disclosure);
    if (nsecret) {
        row->has &= ~(unsigned)BIMO_HAS_NUMERATOR;
        row->numerator = 0;
    }
    if (df == BIMO_CELL_PRIMARY || df == BIMO_CELL_SECONDARY) {
        row->has &= ~(unsigned)BIMO_HAS_DENOMINATOR;
        row->denominator = 0;
    }
    if (ind->kind == BIMO_KIND_QUANTILE && row->flag == BIMO_FLAG_ZERO) /* no observations */
        return;
    if (rf != BIMO_RATE_SHOWN) {
        row->has &= ~(unsigned)BIMO_HAS_VALUE;
        row->value = row->q1 = row->median = row->q3 = 0;
        row->flag = rf == BIMO_RATE_SECRET ? BIMO_FLAG_SECRET : BIMO_FLAG_UNRELIABLE;
    }
}

static void fill_row(const request *rq, size_t p, const sums *s, const tuple *t,
                     bimo_result_row *row)
{
    const bimo_finest *f = rq->fin[p];
    row->period = p;
    if (!f->pc.has_data) {
        row->flag = BIMO_FLAG_NODATA;
        return;
    }
    size_t cell = bimo_agg_index(rq->agg, t->node);
    size_t dcell = rq->share_axis >= 0 ? share_cell(rq, t) : cell;
    fill_intern(rq, s, cell, dcell, row);
    if (!rq->opt->intern)
        apply_protection(rq, s, cell, dcell, row);
    if (row->flag == BIMO_FLAG_NONE && (f->pc.provisional || s->prov[cell] > 0))
        row->flag = BIMO_FLAG_PROVISIONAL;
}

static bimo_status period_rows(request *rq, size_t p, const tuple *tuples, size_t ntuples,
                               bimo_error *err)
{
    const bimo_finest *f = rq->fin[p];
    sums s = {0};
    bimo_status st = BIMO_OK;
    if (f->pc.has_data) {
        st = count_period(rq, f, &s, err);
        if (st == BIMO_OK && !rq->opt->intern)
            st = protect_period(rq, p, &s, err);
    }
    bimo_result *res = rq->res;
    for (size_t i = 0; i < ntuples && st == BIMO_OK; i++) {
        bimo_result_row *row = &res->rows[res->nrows];
        bimo_result_cell *cells = &res->cells[res->nrows * (res->ndims ? res->ndims : 1)];
        memset(row, 0, sizeof *row);
        for (size_t c = 0; c < rq->ncols; c++) {
            const axis *a = &rq->axes[rq->cols[c].axis];
            int n = tuples[i].rank[c]; /* the node shown in column c */
            cells[c] = (bimo_result_cell){a->code[n], a->label[n], n == 0};
            row->margin |= n == 0 ? 1u << c : 0;
        }
        row->cells = cells;
        fill_row(rq, p, &s, &tuples[i], row);
        res->nrows++;
    }
    sums_free(&s);
    return st;
}

/* ---- Entry point ---------------------------------------------------------------------------- */

static bimo_status setup_periods(request *rq, const char *text, bimo_error *err)
{
    bimo_period_range range;
    char msg[300];
    long col = 0;
    if (bimo_period_parse(text, &range, msg, sizeof msg, &col) != 0)
        return bimo_fail(err, BIMO_ERR_ARG, "period \"%s\" (at character %ld): %s",
                         text ? text : "", col, msg);
    rq->nperiods = range.count;
    rq->fin = calloc(range.count, sizeof *rq->fin);
    rq->res->periods = calloc(range.count, sizeof *rq->res->periods);
    if (!rq->fin || !rq->res->periods)
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    bimo_status st = BIMO_OK;
    for (size_t i = 0; i < range.count && st == BIMO_OK; i++) {
        bimo_period p = bimo_period_at(&range, i);
        st = bimo_engine_check_period(rq->ind, &p, err);
        if (st == BIMO_OK)
            st = bimo_engine_finest(rq->e, rq->ind, &p, rq->opt->params, rq->opt->nparams,
                                    &rq->fin[i], err);
    }
    return st;
}

static bimo_status describe_periods(request *rq, bimo_error *err)
{
    for (size_t i = 0; i < rq->nperiods; i++) {
        const bimo_period_ctx *pc = &rq->fin[i]->pc;
        result_period *rp = &rq->res->periods[i];
        snprintf(rp->period, sizeof rp->period, "%s", pc->label);
        snprintf(rp->label, sizeof rp->label, "%s", pc->label_de);
        snprintf(rp->note, sizeof rp->note, "%s", pc->note);
        if (!(rp->quelle = bimo_engine_quelle(rq->e, rq->ind, pc)))
            return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
        rp->pub =
            (bimo_result_period){rp->period,   rp->label,       pc->stichtag, pc->von, pc->bis,
                                 pc->has_data, pc->provisional, rp->quelle,   rp->note};
        rq->res->nperiods++;
    }
    return BIMO_OK;
}

static bimo_status build_rows(request *rq, bimo_error *err)
{
    size_t ntuples = 0;
    tuple *tuples = shown_tuples(rq, &ntuples);
    bimo_result *res = rq->res;
    size_t nrows = ntuples * rq->nperiods;
    res->rows = calloc(nrows ? nrows : 1, sizeof *res->rows);
    res->cells = calloc((nrows ? nrows : 1) * (res->ndims ? res->ndims : 1), sizeof *res->cells);
    bimo_status st = tuples && res->rows && res->cells
                         ? BIMO_OK
                         : bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    for (size_t p = 0; p < rq->nperiods && st == BIMO_OK; p++)
        st = period_rows(rq, p, tuples, ntuples, err);
    free(tuples);
    return st;
}

bimo_status bimo_compute(bimo_engine *e, const char *id, const char *period,
                         const char *const *dims, size_t ndims, const bimo_compute_options *opt,
                         bimo_result **out, bimo_error *err)
{
    static const bimo_compute_options defaults = {0};
    *out = NULL;
    request rq = {.e = e, .opt = opt ? opt : &defaults};
    if (!e || !id)
        return bimo_fail(err, BIMO_ERR_ARG, "bimo_compute: engine and id are required");
    if (!(rq.ind = bimo_catalogue_find(e->cat, id)))
        return bimo_fail(err, BIMO_ERR_NOTFOUND, "no indicator \"%s\" in the catalogue", id);
    if (rq.opt->top_n < 0)
        return bimo_fail(err, BIMO_ERR_ARG, "top_n must be 0 (default) or more");
    if (!(rq.res = calloc(1, sizeof *rq.res)) || !(rq.res->area = strdup(e->area))) {
        free(rq.res);
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    }
    rq.res->ind = rq.ind;
    rq.res->intern = rq.opt->intern != 0;
    rq.res->disclosure = e->disclosure;
    const char *producer =
        e->profile ? json_string_value(json_object_get(e->profile, "herausgeber")) : NULL;
    if (producer && !(rq.res->producer = keep(rq.res, producer))) {
        bimo_result_free(rq.res);
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    }
    bimo_status st = plan_columns(&rq, dims, ndims, err);
    if (st == BIMO_OK && !rq.opt->intern)
        st = plan_protect_axes(&rq, err);
    if (st == BIMO_OK)
        st = check_params(&rq, err);
    rq.res->ndims = rq.ncols;
    for (size_t i = 0; i < rq.ncols; i++)
        rq.res->dims[i] = bimo_dim_get(rq.cols[i].dim)->name;
    if (st == BIMO_OK)
        st = setup_periods(&rq, period, err);
    if (st == BIMO_OK)
        st = describe_periods(&rq, err);
    if (st == BIMO_OK)
        st = build_axes(&rq, err);
    if (st == BIMO_OK)
        st = build_rows(&rq, err);
    for (size_t a = 0; a < rq.naxes; a++)
        axis_free(&rq.axes[a]);
    bimo_agg_free(rq.agg);
    free((void *)rq.fin);
    if (st != BIMO_OK) {
        bimo_result_free(rq.res);
        return st;
    }
    *out = rq.res;
    return BIMO_OK;
}
