/* export_secret.c — the cells kept secret by releases, so a new release hides them again.
 * A cell is named by indicator, variant (parameters), measure and its non-margin coordinates;
 * each name carries the periods in which it was hidden. */
#include "export_secret.h"

#include <stdlib.h>
#include <string.h>

#include "dims.h"
#include "error.h"

typedef struct {
    char *key;
    bimo_secret_span *spans;
    size_t n, cap;
} entry;

struct bimo_secret_set {
    entry *items;
    size_t n, cap;
    int *slots; /* open addressing: index into items, -1 empty */
    size_t nslots;
};

static uint64_t hash(const char *s)
{
    uint64_t h = UINT64_C(1469598103934665603); /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
    return h;
}

bimo_secret_set *bimo_secret_set_new(void)
{
    return calloc(1, sizeof(bimo_secret_set));
}

void bimo_secret_set_free(bimo_secret_set *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->items[i].key);
        free(s->items[i].spans);
    }
    free(s->items);
    free(s->slots);
    free(s);
}

static int rehash(bimo_secret_set *s, size_t nslots)
{
    int *slots = malloc(nslots * sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < nslots; i++)
        slots[i] = -1;
    for (size_t i = 0; i < s->n; i++) {
        size_t j = hash(s->items[i].key) & (nslots - 1);
        while (slots[j] >= 0)
            j = (j + 1) & (nslots - 1);
        slots[j] = (int)i;
    }
    free(s->slots);
    s->slots = slots;
    s->nslots = nslots;
    return 0;
}

static entry *find(const bimo_secret_set *s, const char *key)
{
    if (!s->nslots)
        return NULL;
    for (size_t j = hash(key) & (s->nslots - 1); s->slots[j] >= 0; j = (j + 1) & (s->nslots - 1))
        if (strcmp(s->items[s->slots[j]].key, key) == 0)
            return &s->items[s->slots[j]];
    return NULL;
}

static entry *find_or_add(bimo_secret_set *s, const char *key)
{
    entry *e = find(s, key);
    if (e)
        return e;
    if (2 * (s->n + 1) > s->nslots && rehash(s, s->nslots ? 2 * s->nslots : 256) != 0)
        return NULL;
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 128;
        entry *p = realloc(s->items, cap * sizeof *p);
        if (!p)
            return NULL;
        s->items = p;
        s->cap = cap;
    }
    e = &s->items[s->n];
    memset(e, 0, sizeof *e);
    if (!(e->key = strdup(key)))
        return NULL;
    size_t j = hash(key) & (s->nslots - 1);
    while (s->slots[j] >= 0)
        j = (j + 1) & (s->nslots - 1);
    s->slots[j] = (int)s->n++;
    return e;
}

int bimo_secret_set_add(bimo_secret_set *s, const char *key, const bimo_secret_span *span)
{
    entry *e = find_or_add(s, key);
    if (!e)
        return -1;
    for (size_t i = 0; i < e->n; i++) {
        bimo_secret_span *x = &e->spans[i];
        if (x->von == span->von && x->bis == span->bis && strcmp(x->period, span->period) == 0) {
            if (span->pass > x->pass)
                x->pass = span->pass;
            return 0;
        }
    }
    if (e->n == e->cap) {
        size_t cap = e->cap ? 2 * e->cap : 4;
        bimo_secret_span *p = realloc(e->spans, cap * sizeof *p);
        if (!p)
            return -1;
        e->spans = p;
        e->cap = cap;
    }
    e->spans[e->n++] = *span;
    return 1;
}

int bimo_secret_set_hidden(const bimo_secret_set *s, const char *key, int32_t von, int32_t bis,
                           int stock)
{
    const entry *e = find(s, key);
    for (size_t i = 0; e && i < e->n; i++) {
        const bimo_secret_span *x = &e->spans[i];
        /* A stock is one day: the same reference date is the same cell. A flow over a period
         * is the sum of its parts: a part hidden before must not be recoverable as the whole
         * minus the other parts, so the whole is hidden too. */
        if (stock ? x->bis == bis : x->von >= von && x->bis <= bis)
            return 1;
    }
    return 0;
}

void bimo_secret_set_each(const bimo_secret_set *s, int pass,
                          void (*cb)(const char *key, const bimo_secret_span *span, void *ctx),
                          void *ctx)
{
    for (size_t i = 0; i < s->n; i++)
        for (size_t k = 0; k < s->items[i].n; k++)
            if (s->items[i].spans[k].pass == pass)
                cb(s->items[i].key, &s->items[i].spans[k], ctx);
}

static int cmp_coord(const void *a, const void *b)
{
    return strcmp(((const bimo_cell_coord *)a)->dim, ((const bimo_cell_coord *)b)->dim);
}

int bimo_secret_cell_name(const bimo_cell_coord *coords, size_t n, char *out, size_t size)
{
    bimo_cell_coord c[BIMO_DIM_COUNT];
    if (n > BIMO_DIM_COUNT)
        return -1;
    memcpy(c, coords, n * sizeof *c);
    qsort(c, n, sizeof *c, cmp_coord);
    /* A municipality shown with its reporting unit is the same cell as the municipality
     * alone: only the finest geographic level names it. */
    int finest = 0;
    for (size_t i = 0; i < n; i++) {
        const bimo_dim_spec *d = bimo_dim_find(c[i].dim);
        if (d && d->geo_level && (!finest || d->geo_level < finest))
            finest = d->geo_level;
    }
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const bimo_dim_spec *d = bimo_dim_find(c[i].dim);
        if (d && d->geo_level && d->geo_level != finest)
            continue;
        int w = snprintf(out + len, size - len, "%s%s=%s", len ? ";" : "", c[i].dim, c[i].code);
        if (w < 0 || (size_t)w >= size - len)
            return -1;
        len += (size_t)w;
    }
    return 0;
}
