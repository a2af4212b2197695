/* attack_equations.h — the additivity equations the attack tests build themselves (independent
 * of the library's): a flat list, equation i being cells[start[i]] = sum of
 * cells[start[i]+1 .. start[i+1]). Include after <cmocka.h>. */
#ifndef BIMO_ATTACK_EQUATIONS_H
#define BIMO_ATTACK_EQUATIONS_H

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

#endif
