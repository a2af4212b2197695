/* attack_equations.h — what the attack tests share, independent of the library they attack:
 * the additivity equations they build themselves (a flat list, equation i being
 * cells[start[i]] = sum of cells[start[i]+1 .. start[i+1])), the union-find that groups
 * connected hidden cells, and GLPK's bound of one cell. Include after <cmocka.h> and
 * <glpk.h>. */
#ifndef BIMO_ATTACK_EQUATIONS_H
#define BIMO_ATTACK_EQUATIONS_H

#include <math.h>
#include <stdlib.h>

typedef struct {
    size_t count, used, cap_eq, cap_cells;
    size_t *start, *cells;
} eqlist;

static void eq_push(eqlist *l, size_t cell)
{
    if (l->used == l->cap_cells) {
        l->cap_cells = l->cap_cells ? 2 * l->cap_cells : 1024;
        l->cells = realloc(l->cells, l->cap_cells * sizeof *l->cells);
        assert_non_null(l->cells);
    }
    l->cells[l->used++] = cell;
}

/* Starts an equation whose left side is total; eq_push() its parts, then eq_end(). */
static void eq_begin(eqlist *l, size_t total)
{
    if (l->count + 2 >= l->cap_eq) {
        l->cap_eq = l->cap_eq ? 2 * l->cap_eq : 256;
        l->start = realloc(l->start, l->cap_eq * sizeof *l->start);
        assert_non_null(l->start);
    }
    l->start[l->count] = l->used;
    eq_push(l, total);
}

static void eq_end(eqlist *l)
{
    l->count++;
    l->start[l->count] = l->used;
}

static size_t find_root(size_t *up, size_t x)
{
    while (up[x] != x)
        x = up[x] = up[up[x]];
    return x;
}

/* Optimises column j in direction dir with GLPK's floating simplex and, with exact set,
 * confirms the basis with its rational simplex. Returns the bound, +-INFINITY if unbounded. */
static double glpk_bound(glp_prob *P, int j, int dir, int exact)
{
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    int ncols = glp_get_num_cols(P);
    for (int k = 1; k <= ncols; k++)
        glp_set_obj_coef(P, k, k == j ? 1.0 : 0.0);
    glp_set_obj_dir(P, dir);
    assert_int_equal(glp_simplex(P, &parm), 0);
    if (exact)
        assert_int_equal(glp_exact(P, &parm), 0);
    int status = glp_get_status(P);
    if (status == GLP_UNBND)
        return dir == GLP_MAX ? INFINITY : -INFINITY;
    assert_int_equal(status, GLP_OPT);
    return glp_get_obj_val(P);
}

#endif
