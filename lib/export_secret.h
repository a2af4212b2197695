/* export_secret.h — the set of cells that releases kept secret, looked up by cell name and
 * period, so every table of a release and of later releases hides them again. */
#ifndef BIMO_EXPORT_SECRET_H
#define BIMO_EXPORT_SECRET_H

#include <stddef.h>
#include <stdint.h>

#include "bimo.h"

/* A period in which a cell was hidden. */
typedef struct bimo_secret_span {
    char period[16];  /* machine form */
    int32_t von, bis; /* yyyymmdd */
    int pass;         /* 0: an earlier release; k: pass k of the current export */
} bimo_secret_span;

typedef struct bimo_secret_set bimo_secret_set;

bimo_secret_set *bimo_secret_set_new(void); /* NULL when out of memory */
void bimo_secret_set_free(bimo_secret_set *s);

/* Adds span to the cell named key (a span already there keeps the higher pass). Returns 1
 * when the span is new, 0 when it was there, -1 when out of memory. */
int bimo_secret_set_add(bimo_secret_set *s, const char *key, const bimo_secret_span *span);

/* Whether the cell key was hidden in a period that the period [von, bis] would give away:
 * for a stock the same reference date (bis), for a flow any period within [von, bis]. */
int bimo_secret_set_hidden(const bimo_secret_set *s, const char *key, int32_t von, int32_t bis,
                           int stock);

/* Calls cb for every span added in the given pass. */
void bimo_secret_set_each(const bimo_secret_set *s, int pass,
                          void (*cb)(const char *key, const bimo_secret_span *span, void *ctx),
                          void *ctx);

/* The name of a cell: its coordinates sorted by dimension, only the finest geographic level
 * kept, as "dim=code;dim=code" ("" for the grand total). -1 when size is too small. */
int bimo_secret_cell_name(const bimo_cell_coord *coords, size_t n, char *out, size_t size);

#endif
