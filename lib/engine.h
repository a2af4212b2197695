/* engine.h — the indicator engine's state, shared by engine.c (categories, profile, periods,
 * running an indicator's query once per period) and compute.c (margins, protection, rows). */
#ifndef BIMO_ENGINE_H
#define BIMO_ENGINE_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>

#include "bimo.h"
#include "dims.h"
#include "disclosure.h"
#include "period.h"
#include "sqlfuncs.h"

/* A category of a dimension: a code with its German label. */
typedef struct {
    char *code, *label;
    int64_t sort; /* order within the dimension */
    int parent;   /* gemeinde: its kommune; kommune: its region; else -1 */
    int known;    /* 0: a code not in the code list (labelled with itself) */
} bimo_category;

/* The categories of one dimension and a map from normalised codes and aliases to them. */
typedef struct {
    bimo_category *items;
    size_t n, cap;
    char **keys; /* open addressing, power of two */
    int *vals;
    size_t nslots, nkeys;
} bimo_catset;

/* A snapshot of a source (a row of the snapshot table). */
typedef struct {
    int found;
    int64_t id, first_row, last_row;
    int32_t stichtag;
} bimo_snapshot_ref;

/* A period resolved for an indicator: its dates, snapshots and whether there are data. */
typedef struct {
    bimo_period p;
    char label[16], label_de[40];
    int32_t stichtag, von, bis;
    bimo_snapshot_ref snap, prev;
    int has_data, provisional;
    char note[200];
} bimo_period_ctx;

/* The finest-level result of one (indicator, period, parameters): one row per combination of
 * the indicator's SQL dimensions (or, for quantiles, one per observation). */
typedef struct {
    const bimo_indicator *ind;
    char *key;
    bimo_period_ctx pc;
    int ncols;                        /* SQL dimensions of the indicator */
    bimo_dim_id cols[BIMO_DIM_COUNT]; /* their ids (gemeinde stands for the three levels) */
    size_t n, cap;
    int *cats;           /* n * ncols category indices */
    int64_t *num, *den;  /* numerator (observations: 1), denominator */
    double *val;         /* quantile observations */
    unsigned char *prov; /* the SQL's "provisional" column */
} bimo_finest;

/* A prepared indicator query with the positions of its result columns. */
typedef struct {
    const bimo_indicator *ind;
    sqlite3_stmt *stmt;
    int col_dim[BIMO_DIM_COUNT]; /* by dim id; -1 if not a column */
    int col_num, col_den, col_val, col_prov;
    int uses_prev;
} bimo_prepared;

struct bimo_engine {
    bimo_store *store;
    const bimo_catalogue *cat;
    sqlite3 *db;
    bimo_sql_guard guard;
    bimo_catset sets[BIMO_DIM_COUNT]; /* gemeinde, kommune, region: from the profile */
    char *area;                       /* the district's name */
    json_t *profile;                  /* profil.json, for {placeholders}; may be NULL */
    bimo_disclosure_options disclosure;
    bimo_prepared *prepared;
    size_t nprepared, capprepared;
    bimo_finest **cache;
    size_t ncache, capcache;
};

/* Finds code (already formatted) in dimension d, adding it as an unknown category if it is
 * not there; returns its index or -1 when out of memory. */
int bimo_engine_category(bimo_engine *e, bimo_dim_id d, const char *code);

/* Checks that period type fits the indicator's period kind; BIMO_ERR_ARG with a hint if not. */
bimo_status bimo_engine_check_period(const bimo_indicator *ind, const bimo_period *p,
                                     bimo_error *err);

/* The finest result of ind for period p with the given parameter overrides ("name=value"),
 * from the cache or by running the query. Owned by the engine. */
bimo_status bimo_engine_finest(bimo_engine *e, const bimo_indicator *ind, const bimo_period *p,
                               const char *const *params, size_t nparams, const bimo_finest **out,
                               bimo_error *err);

/* The indicator's source line for a period: {stichtag}, {periode}, {name} and the profile's
 * string keys ({quelle_melderegister}, ...) replaced. Caller frees. */
char *bimo_engine_quelle(const bimo_engine *e, const bimo_indicator *ind,
                         const bimo_period_ctx *pc);

#endif
