/* engine.c — the indicator engine's groundwork: categories from code lists and the district
 * profile, periods resolved to snapshots, and each indicator's query run once per period.
 * The finest-level rows are cached for the engine's life; compute.c builds tables from them. */
#include "engine.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalogue.h"
#include "codes.h"
#include "error.h"
#include "sqlfuncs.h"
#include "store.h"
#include "values.h"

#define NO_ANSWER "ohne Angabe" /* the category of a NULL dimension value */

/* ---- Category sets -------------------------------------------------------------------------- */

static uint64_t hash_text(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static void catset_free(bimo_catset *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->items[i].code);
        free(s->items[i].label);
    }
    for (size_t i = 0; i < s->nslots; i++)
        free(s->keys[i]);
    free(s->items);
    free(s->keys);
    free(s->vals);
    memset(s, 0, sizeof *s);
}

static long slot_of(const bimo_catset *s, const char *key)
{
    size_t mask = s->nslots - 1;
    for (size_t i = hash_text(key) & mask;; i = (i + 1) & mask) {
        if (!s->keys[i])
            return -1 - (long)i;
        if (strcmp(s->keys[i], key) == 0)
            return (long)i;
    }
}

static int catset_find(const bimo_catset *s, const char *text)
{
    char key[256];
    bimo_normalize_key(text, strlen(text), key, sizeof key);
    if (!s->nslots)
        return -1;
    long slot = slot_of(s, key);
    return slot >= 0 ? s->vals[slot] : -1;
}

/* Maps the normalised text to category idx; the first mapping of a key wins. */
static int catset_key(bimo_catset *s, const char *text, int idx)
{
    char key[256];
    bimo_normalize_key(text, strlen(text), key, sizeof key);
    if ((s->nkeys + 1) * 2 > s->nslots) {
        size_t old_n = s->nslots;
        char **old_k = s->keys;
        int *old_v = s->vals;
        s->nslots = old_n ? old_n * 2 : 64;
        s->keys = calloc(s->nslots, sizeof *s->keys);
        s->vals = calloc(s->nslots, sizeof *s->vals);
        if (!s->keys || !s->vals) {
            free(s->keys);
            free(s->vals);
            s->keys = old_k;
            s->vals = old_v;
            s->nslots = old_n;
            return -1;
        }
        for (size_t i = 0; i < old_n; i++)
            if (old_k[i]) {
                long at = -1 - slot_of(s, old_k[i]);
                s->keys[at] = old_k[i];
                s->vals[at] = old_v[i];
            }
        free(old_k);
        free(old_v);
    }
    long slot = slot_of(s, key);
    if (slot >= 0)
        return 0;
    if (!(s->keys[-1 - slot] = strdup(key)))
        return -1;
    s->vals[-1 - slot] = idx;
    s->nkeys++;
    return 0;
}

static int catset_add(bimo_catset *s, const char *code, const char *label, int64_t sort, int parent,
                      int known)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        bimo_category *items = realloc(s->items, cap * sizeof *items);
        if (!items)
            return -1;
        s->items = items;
        s->cap = cap;
    }
    bimo_category *c = &s->items[s->n];
    c->code = strdup(code);
    c->label = strdup(label ? label : code);
    c->sort = sort;
    c->parent = parent;
    c->known = known;
    if (!c->code || !c->label) {
        free(c->code);
        free(c->label);
        return -1;
    }
    int idx = (int)s->n++;
    return catset_key(s, code, idx) == 0 ? idx : -1;
}

/* ---- Loading categories --------------------------------------------------------------------- */

static bimo_status add_aliases(bimo_catset *s, const bimo_codelist *l, int row, int idx,
                               bimo_error *err)
{
    const char *aliases = bimo_codelist_value(l, row, "aliase");
    const char *iso = bimo_codelist_value(l, row, "iso3");
    if (iso && *iso && catset_key(s, iso, idx) != 0)
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    for (const char *p = aliases ? aliases : ""; *p;) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        char one[256];
        snprintf(one, sizeof one, "%.*s", (int)n, p);
        if (catset_key(s, one, idx) != 0)
            return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
        p += n + (bar != NULL);
    }
    return BIMO_OK;
}

static bimo_status load_codelist_dim(bimo_engine *e, const bimo_dim_spec *d, bimo_error *err)
{
    bimo_codelist *l;
    bimo_status st = bimo_codelist_load_named(d->codelist, &l, err);
    if (st != BIMO_OK)
        return st;
    bimo_catset *s = &e->sets[d->id];
    for (size_t r = 0; r < bimo_codelist_size(l) && st == BIMO_OK; r++) {
        const char *code = d->code_col ? bimo_codelist_value(l, (int)r, d->code_col)
                                       : bimo_codelist_code(l, (int)r);
        const char *label = bimo_codelist_value(l, (int)r, d->label_col);
        const char *sort = d->sort_col ? bimo_codelist_value(l, (int)r, d->sort_col) : NULL;
        if (!code || !*code) {
            st = bimo_fail(err, BIMO_ERR_DATA, "code list %s: column \"%s\" is missing or empty",
                           d->codelist, d->code_col ? d->code_col : "code");
            break;
        }
        if (d->code_col && catset_find(s, code) >= 0)
            continue; /* several codes of one category (abschluss -> kategorie) */
        int idx = catset_add(s, code, label && *label ? label : code,
                             sort && *sort ? atoll(sort) : (int64_t)r, -1, 1);
        if (idx < 0)
            st = bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
        else if (!d->code_col)
            st = add_aliases(s, l, (int)r, idx, err);
    }
    bimo_codelist_free(l);
    return st;
}

/* Regions have no code and are listed alphabetically. */
static void sort_regions(bimo_catset *s)
{
    for (size_t i = 0; i < s->n; i++) {
        int64_t rank = 0;
        for (size_t j = 0; j < s->n; j++)
            rank += strcmp(s->items[j].label, s->items[i].label) < 0;
        s->items[i].sort = rank;
    }
}

static const char *value_or(const bimo_codelist *l, int row, const char *col, const char *dflt)
{
    const char *v = bimo_codelist_value(l, row, col);
    return v && *v ? v : dflt;
}

static bimo_status load_geography(bimo_engine *e, bimo_error *err)
{
    bimo_codelist *l;
    bimo_status st = bimo_codelist_load_municipalities(&l, err);
    if (st != BIMO_OK)
        return st;
    bimo_catset *gem = &e->sets[BIMO_DIM_GEMEINDE], *kom = &e->sets[BIMO_DIM_KOMMUNE],
                *reg = &e->sets[BIMO_DIM_REGION];
    for (size_t r = 0; r < bimo_codelist_size(l) && st == BIMO_OK; r++) {
        const char *ags = bimo_codelist_code(l, (int)r);
        const char *name = value_or(l, (int)r, "name", ags);
        const char *region = value_or(l, (int)r, "region", e->area);
        const char *kcode = value_or(l, (int)r, "kommune", ags);
        const char *kname = value_or(l, (int)r, "kommunename", name);
        int ri = catset_find(reg, region);
        if (ri < 0)
            ri = catset_add(reg, region, region, 0, -1, 1);
        int ki = ri < 0 ? -1 : catset_find(kom, kcode);
        if (ri >= 0 && ki < 0)
            ki = catset_add(kom, kcode, kname, atoll(kcode), ri, 1);
        if (ki < 0 || catset_add(gem, ags, name, atoll(ags), ki, 1) < 0)
            st = bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    }
    bimo_codelist_free(l);
    sort_regions(reg);
    return st;
}

int bimo_engine_category(bimo_engine *e, bimo_dim_id d, const char *code)
{
    bimo_catset *s = &e->sets[d];
    int idx = catset_find(s, code);
    if (idx >= 0)
        return idx;
    int64_t sort = INT64_MAX / 2 + (int64_t)s->n; /* after the known ones, in order of sight */
    if (d != BIMO_DIM_GEMEINDE)
        return catset_add(s, code, code, sort, -1, 0);
    /* A municipality outside the profile gets its own reporting unit without a region. */
    bimo_catset *kom = &e->sets[BIMO_DIM_KOMMUNE], *reg = &e->sets[BIMO_DIM_REGION];
    int ri = catset_find(reg, "ohne Zuordnung");
    if (ri < 0)
        ri = catset_add(reg, "ohne Zuordnung", "ohne Zuordnung", INT64_MAX / 2, -1, 0);
    int ki = ri < 0 ? -1 : catset_add(kom, code, code, sort, ri, 0);
    return ki < 0 ? -1 : catset_add(s, code, code, sort, ki, 0);
}

/* ---- Profile -------------------------------------------------------------------------------- */

static bimo_status load_profile(bimo_engine *e, bimo_error *err)
{
    char dir[PATH_MAX], path[PATH_MAX + 16];
    bimo_status st = bimo_profile_dir(dir, sizeof dir, err);
    if (st != BIMO_OK)
        return st;
    snprintf(path, sizeof path, "%s/profil.json", dir);
    bimo_disclosure_options_init(&e->disclosure);
    json_error_t jerr;
    e->profile = json_load_file(path, 0, &jerr);
    if (!e->profile && access(path, F_OK) == 0)
        return bimo_fail_at(err, BIMO_ERR_PARSE, path, jerr.line, jerr.column, "%s", jerr.text);
    const char *name = e->profile ? json_string_value(json_object_get(e->profile, "name")) : NULL;
    if (!(e->area = strdup(name ? name : "Landkreis")))
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    json_t *t = e->profile ? json_object_get(e->profile, "sperrgrenze") : NULL;
    if (t && json_is_integer(t) && json_integer_value(t) >= 1)
        e->disclosure.threshold = json_integer_value(t);
    else if (t)
        return bimo_fail_at(err, BIMO_ERR_DATA, path, 0, 0,
                            "sperrgrenze must be a whole number "
                            ">= 1");
    json_t *m = e->profile ? json_object_get(e->profile, "mindestnenner") : NULL;
    if (m && json_is_number(m) && json_number_value(m) >= 0)
        e->disclosure.min_denominator = json_number_value(m);
    else if (m)
        return bimo_fail_at(err, BIMO_ERR_DATA, path, 0, 0, "mindestnenner must be a number >= 0");
    return BIMO_OK;
}

/* ---- Engine --------------------------------------------------------------------------------- */

static void finest_free(bimo_finest *f)
{
    if (!f)
        return;
    free(f->key);
    free(f->cats);
    free(f->num);
    free(f->den);
    free(f->val);
    free(f->prov);
    free(f);
}

void bimo_engine_free(bimo_engine *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->nprepared; i++)
        sqlite3_finalize(e->prepared[i].stmt);
    free(e->prepared);
    for (size_t i = 0; i < e->ncache; i++)
        finest_free(e->cache[i]);
    free(e->cache);
    for (int d = 0; d < BIMO_DIM_COUNT; d++)
        catset_free(&e->sets[d]);
    sqlite3_close(e->db);
    json_decref(e->profile);
    free(e->area);
    free(e);
}

bimo_status bimo_engine_new(bimo_store *store, const bimo_catalogue *cat, bimo_engine **out,
                            bimo_error *err)
{
    *out = NULL;
    if (!store || !cat)
        return bimo_fail(err, BIMO_ERR_ARG, "bimo_engine_new: store and catalogue are required");
    bimo_engine *e = calloc(1, sizeof *e);
    if (!e)
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    e->store = store;
    e->cat = cat;
    bimo_status st = bimo_sql_open_readonly(store, &e->guard, &e->db, err);
    if (st == BIMO_OK)
        st = load_profile(e, err);
    if (st == BIMO_OK)
        st = load_geography(e, err);
    for (int d = 0; d < BIMO_DIM_COUNT && st == BIMO_OK; d++)
        if (bimo_dim_get((bimo_dim_id)d)->codelist)
            st = load_codelist_dim(e, bimo_dim_get((bimo_dim_id)d), err);
    if (st != BIMO_OK) {
        bimo_engine_free(e);
        return st;
    }
    *out = e;
    return BIMO_OK;
}

/* ---- Preparing an indicator's query --------------------------------------------------------- */

/* Line and column in the indicator file of byte offset off of its SQL. */
static void sql_location(const bimo_indicator *ind, int off, long *line, long *col)
{
    *line = ind->sql_line;
    *col = 1;
    for (int i = 0; i < off && ind->sql[i]; i++) {
        if (ind->sql[i] == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)ind->sql[i] & 0xC0) != 0x80) {
            (*col)++;
        }
    }
}

/* Reports a problem of the query at byte offset off, or at the query's first word (off < 0). */
static bimo_status sql_fail(const bimo_indicator *ind, bimo_error *err, bimo_status st, int off,
                            const char *fmt, const char *what)
{
    long line, col;
    if (off < 0)
        off = (int)strspn(ind->sql, " \t\r\n");
    sql_location(ind, off, &line, &col);
    return bimo_fail_at(err, st, ind->path, line, col, fmt, what);
}

/* The SQL dimension columns an indicator must return: gemeinde for any of the three levels. */
static int sql_dims(const bimo_indicator *ind, bimo_dim_id *out)
{
    int n = 0;
    for (size_t i = 0; i < ind->ndimensions; i++) {
        bimo_dim_id b = bimo_dim_base(bimo_dim_find(ind->dimensions[i])->id);
        int seen = 0;
        for (int j = 0; j < n; j++)
            seen |= out[j] == b;
        if (!seen)
            out[n++] = b;
    }
    return n;
}

static bimo_status map_columns(const bimo_indicator *ind, bimo_prepared *pp, bimo_error *err)
{
    for (int d = 0; d < BIMO_DIM_COUNT; d++)
        pp->col_dim[d] = -1;
    pp->col_num = pp->col_den = pp->col_val = pp->col_prov = -1;
    bimo_dim_id need[BIMO_DIM_COUNT];
    int nneed = sql_dims(ind, need);
    for (int c = 0; c < sqlite3_column_count(pp->stmt); c++) {
        const char *name = sqlite3_column_name(pp->stmt, c);
        const bimo_dim_spec *d = bimo_dim_find(name);
        int *slot = NULL;
        if (d && d->geo_level > 1)
            return sql_fail(ind, err, BIMO_ERR_PARSE, -1,
                            "result column \"%s\": return the municipality as column gemeinde; "
                            "kommune and region are derived from it",
                            name);
        for (int i = 0; d && i < nneed; i++)
            if (need[i] == d->id)
                slot = &pp->col_dim[d->id];
        if (!strcmp(name, "numerator") && ind->kind != BIMO_KIND_QUANTILE)
            slot = &pp->col_num;
        else if (!strcmp(name, "denominator") && ind->kind == BIMO_KIND_RATE)
            slot = &pp->col_den;
        else if (!strcmp(name, "value") && ind->kind == BIMO_KIND_QUANTILE)
            slot = &pp->col_val;
        else if (!strcmp(name, "provisional"))
            slot = &pp->col_prov;
        if (!slot || *slot >= 0)
            return sql_fail(ind, err, BIMO_ERR_PARSE, -1,
                            "result column \"%s\" is not expected (one column per dimension in "
                            "the header, then numerator, denominator for a rate, value for a "
                            "quantile, optional provisional)",
                            name);
        *slot = c;
    }
    for (int i = 0; i < nneed; i++)
        if (pp->col_dim[need[i]] < 0)
            return sql_fail(ind, err, BIMO_ERR_PARSE, -1,
                            "the query returns no column \"%s\" (a dimension in the header)",
                            bimo_dim_get(need[i])->name);
    /* Without a numerator column each row counts once (count and share). */
    const char *missing = ind->kind == BIMO_KIND_QUANTILE ? (pp->col_val < 0 ? "value" : NULL)
                          : ind->kind != BIMO_KIND_RATE   ? NULL
                          : pp->col_num < 0               ? "numerator"
                          : pp->col_den < 0               ? "denominator"
                                                          : NULL;
    if (missing)
        return sql_fail(ind, err, BIMO_ERR_PARSE, -1, "the query returns no column \"%s\"",
                        missing);
    return BIMO_OK;
}

static int is_builtin(const char *name)
{
    for (int i = 0; bimo_builtin_params[i]; i++)
        if (strcmp(bimo_builtin_params[i], name) == 0)
            return 1;
    return 0;
}

static bimo_status check_params(const bimo_indicator *ind, bimo_prepared *pp, bimo_error *err)
{
    for (int i = 1; i <= sqlite3_bind_parameter_count(pp->stmt); i++) {
        const char *name = sqlite3_bind_parameter_name(pp->stmt, i);
        if (!name)
            return sql_fail(ind, err, BIMO_ERR_PARSE, -1, "%s",
                            "the query has a positional parameter (?); use named ones such as "
                            ":stichtag");
        const char *bare = name + 1;
        const char *at = strstr(ind->sql, name);
        int off = at ? (int)(at - ind->sql) : -1;
        if (!is_builtin(bare) && !bimo_indicator_param_value(ind, bare))
            return sql_fail(ind, err, BIMO_ERR_PARSE, off,
                            "unknown parameter %s: bimo binds :stichtag, :von, :bis, :schuljahr, "
                            ":snapshot, :first_row, :last_row, :datenstand and :prev_*; declare "
                            "others with \"-- parameter: name = default\"",
                            name);
        pp->uses_prev |= strncmp(bare, "prev_", 5) == 0;
    }
    return BIMO_OK;
}

static bimo_status prepare(bimo_engine *e, const bimo_indicator *ind, bimo_prepared **out,
                           bimo_error *err)
{
    for (size_t i = 0; i < e->nprepared; i++)
        if (e->prepared[i].ind == ind) {
            *out = &e->prepared[i];
            return BIMO_OK;
        }
    bimo_prepared pp = {.ind = ind};
    const char *tail = NULL;
    char what[256];
    e->guard.denied[0] = '\0';
    e->guard.schema = 0;
    int rc = sqlite3_prepare_v3(e->db, ind->sql, -1, SQLITE_PREPARE_PERSISTENT, &pp.stmt, &tail);
    bimo_status st = BIMO_OK;
    if (bimo_sql_refused(e->db, &e->guard, rc, pp.stmt, ind->sql, what, sizeof what))
        st =
            sql_fail(ind, err, BIMO_ERR_PERM, -1, "indicator SQL may only read; refused: %s", what);
    else if (rc != SQLITE_OK)
        st = sql_fail(ind, err, BIMO_ERR_PARSE, sqlite3_error_offset(e->db), "SQL error: %s",
                      sqlite3_errmsg(e->db));
    else if (!pp.stmt)
        st = sql_fail(ind, err, BIMO_ERR_PARSE, -1, "%s", "no SQL statement after the header");
    else if (tail && !bimo_sql_is_blank(tail))
        st = sql_fail(ind, err, BIMO_ERR_PARSE, (int)(tail - ind->sql), "%s",
                      "only one statement is allowed");
    if (st == BIMO_OK)
        st = map_columns(ind, &pp, err);
    if (st == BIMO_OK)
        st = check_params(ind, &pp, err);
    if (st == BIMO_OK && e->nprepared == e->capprepared) {
        size_t cap = e->capprepared ? e->capprepared * 2 : 16;
        bimo_prepared *p = realloc(e->prepared, cap * sizeof *p);
        if (!p)
            st = bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
        else {
            e->prepared = p;
            e->capprepared = cap;
        }
    }
    if (st != BIMO_OK) {
        sqlite3_finalize(pp.stmt);
        return st;
    }
    e->prepared[e->nprepared] = pp;
    *out = &e->prepared[e->nprepared++];
    return BIMO_OK;
}

/* ---- Periods and snapshots ------------------------------------------------------------------ */

bimo_status bimo_engine_check_period(const bimo_indicator *ind, const bimo_period *p,
                                     bimo_error *err)
{
    int ok;
    const char *hint;
    switch (ind->period) {
    case BIMO_PERIOD_STICHTAG:
        ok = p->type == BIMO_PT_DATE || p->type == BIMO_PT_YEAR || p->type == BIMO_PT_QUARTER;
        hint = "a stock at a reference date: give a date (31.12.2025), a year (2025, its "
               "31.12.) or a quarter (2025Q4, its last day), or a range of years or quarters";
        break;
    case BIMO_PERIOD_JAHR:
        ok = p->type == BIMO_PT_YEAR;
        hint = "defined per calendar year: give a year (2025) or a range (2019..2025)";
        break;
    case BIMO_PERIOD_QUARTAL:
        ok = p->type == BIMO_PT_YEAR || p->type == BIMO_PT_QUARTER;
        hint = "a flow over quarters or years: give 2025Q3, 2025 or a range such as "
               "2023Q1..2025Q4";
        break;
    default:
        ok = p->type == BIMO_PT_SCHOOLYEAR;
        hint = "defined per school year: give 2024/25 or a range such as 2019/20..2024/25";
        break;
    }
    if (!ok)
        return bimo_fail(err, BIMO_ERR_ARG, "%s is %s", ind->id, hint);
    return BIMO_OK;
}

static bimo_status find_snapshot(bimo_engine *e, const char *sql, const char *source, int64_t key,
                                 bimo_snapshot_ref *ref, bimo_error *err)
{
    sqlite3_stmt *q;
    memset(ref, 0, sizeof *ref);
    if (sqlite3_prepare_v2(e->db, sql, -1, &q, NULL) != SQLITE_OK)
        return bimo_store_fail(e->db, err, "cannot read the snapshots");
    sqlite3_bind_text(q, 1, source, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, key);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        ref->found = 1;
        ref->id = sqlite3_column_int64(q, 0);
        ref->stichtag = sqlite3_column_int(q, 1);
        ref->first_row = sqlite3_column_int64(q, 2);
        ref->last_row = sqlite3_column_int64(q, 3);
    }
    bimo_status st = BIMO_OK;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        st = bimo_store_fail(e->db, err, "cannot read the snapshots");
    sqlite3_finalize(q);
    return st;
}

#define SNAP_COLS "SELECT id, stichtag, first_row, last_row FROM snapshot WHERE source = ?1 "
static const char snap_at[] = SNAP_COLS "AND stichtag = ?2";
static const char snap_before[] = SNAP_COLS "AND stichtag < ?2 ORDER BY stichtag DESC LIMIT 1";
static const char snap_school[] = SNAP_COLS "AND schuljahr = ?2";

static void date_de(int32_t ymd, char *buf)
{
    bimo_format_date(ymd, 1, buf);
}

static bimo_status resolve_stock(bimo_engine *e, const bimo_indicator *ind, int uses_prev,
                                 bimo_period_ctx *pc, bimo_error *err)
{
    char d[11];
    pc->stichtag = pc->bis = bimo_period_end(&pc->p);
    pc->von = bimo_period_start(&pc->p);
    bimo_status st = find_snapshot(e, snap_at, ind->source, pc->stichtag, &pc->snap, err);
    if (st == BIMO_OK && uses_prev) {
        if (pc->p.type == BIMO_PT_DATE) {
            st = find_snapshot(e, snap_before, ind->source, pc->stichtag, &pc->prev, err);
        } else {
            bimo_period q = bimo_period_previous(&pc->p);
            st = find_snapshot(e, snap_at, ind->source, bimo_period_end(&q), &pc->prev, err);
        }
    }
    date_de(pc->stichtag, d);
    pc->has_data = pc->snap.found && (!uses_prev || pc->prev.found);
    if (!pc->snap.found)
        snprintf(pc->note, sizeof pc->note, "keine Daten: %s hat keinen Stichtag %s", ind->source,
                 d);
    else if (!pc->has_data)
        snprintf(pc->note, sizeof pc->note, "keine Daten: %s hat keinen Vergleichsstichtag vor %s",
                 ind->source, d);
    return st;
}

static bimo_status resolve_flow(bimo_engine *e, const bimo_indicator *ind, int uses_prev,
                                bimo_period_ctx *pc, bimo_error *err)
{
    char d[11];
    pc->von = bimo_period_start(&pc->p);
    pc->stichtag = pc->bis = bimo_period_end(&pc->p);
    /* A cumulative source: the newest snapshot is the current state. */
    bimo_status st = find_snapshot(e, snap_before, ind->source, 99991231, &pc->snap, err);
    if (st == BIMO_OK && uses_prev)
        st = find_snapshot(e, snap_before, ind->source, pc->von, &pc->prev, err);
    pc->has_data = pc->snap.found && pc->snap.stichtag >= pc->von && (!uses_prev || pc->prev.found);
    pc->provisional = pc->has_data && pc->snap.stichtag < pc->bis;
    if (!pc->snap.found) {
        snprintf(pc->note, sizeof pc->note, "keine Daten: %s ist nicht importiert", ind->source);
    } else if (pc->snap.stichtag < pc->von) {
        date_de(pc->snap.stichtag, d);
        snprintf(pc->note, sizeof pc->note, "keine Daten: der Datenstand von %s ist der %s",
                 ind->source, d);
    } else if (!pc->has_data) {
        snprintf(pc->note, sizeof pc->note, "keine Daten: %s hat keinen Stand vor dem Zeitraum",
                 ind->source);
    }
    return st;
}

static bimo_status resolve_school(bimo_engine *e, const bimo_indicator *ind, int uses_prev,
                                  bimo_period_ctx *pc, bimo_error *err)
{
    pc->von = bimo_period_start(&pc->p);
    pc->bis = bimo_period_end(&pc->p);
    bimo_status st = find_snapshot(e, snap_school, ind->source, pc->p.year, &pc->snap, err);
    if (st == BIMO_OK && uses_prev)
        st = find_snapshot(e, snap_school, ind->source, pc->p.year - 1, &pc->prev, err);
    pc->stichtag = pc->snap.found ? pc->snap.stichtag : pc->p.year * 10000 + 1001;
    pc->has_data = pc->snap.found && (!uses_prev || pc->prev.found);
    if (!pc->has_data)
        snprintf(pc->note, sizeof pc->note, "keine Daten: %s hat kein Schuljahr %s%s", ind->source,
                 pc->label, pc->snap.found ? " davor" : "");
    return st;
}

static bimo_status resolve_period(bimo_engine *e, const bimo_indicator *ind, int uses_prev,
                                  bimo_period_ctx *pc, bimo_error *err)
{
    bimo_period_label(&pc->p, pc->label, sizeof pc->label);
    bimo_period_label_de(&pc->p, pc->label_de, sizeof pc->label_de);
    if (strcmp(ind->source, "none") == 0) {
        pc->von = bimo_period_start(&pc->p);
        pc->stichtag = pc->bis = bimo_period_end(&pc->p);
        pc->has_data = 1;
        return BIMO_OK;
    }
    if (ind->period == BIMO_PERIOD_STICHTAG)
        return resolve_stock(e, ind, uses_prev, pc, err);
    if (ind->period == BIMO_PERIOD_SCHULJAHR)
        return resolve_school(e, ind, uses_prev, pc, err);
    return resolve_flow(e, ind, uses_prev, pc, err);
}

/* ---- Running the query ---------------------------------------------------------------------- */

static const char *override_of(const char *name, const char *const *params, size_t nparams)
{
    size_t n = strlen(name);
    for (size_t i = nparams; i-- > 0;)
        if (strncmp(params[i], name, n) == 0 && params[i][n] == '=')
            return params[i] + n + 1;
    return NULL;
}

static void bind_text_value(sqlite3_stmt *q, int i, const char *v)
{
    char *end;
    long long n = strtoll(v, &end, 10);
    if (*v && !*end) {
        sqlite3_bind_int64(q, i, n);
        return;
    }
    double x = strtod(v, &end);
    if (*v && !*end)
        sqlite3_bind_double(q, i, x);
    else
        sqlite3_bind_text(q, i, v, -1, SQLITE_TRANSIENT);
}

/* Binds the snapshot's id (what 0), first row (1), last row (2) or reference date (3). */
static void bind_snap(sqlite3_stmt *q, int i, const bimo_snapshot_ref *s, int what)
{
    if (!s->found) {
        sqlite3_bind_null(q, i);
        return;
    }
    int64_t v = what == 0   ? s->id
                : what == 1 ? s->first_row
                : what == 2 ? s->last_row
                            : s->stichtag;
    sqlite3_bind_int64(q, i, v);
}

static void bind_all(const bimo_prepared *pp, const bimo_period_ctx *pc, const char *const *params,
                     size_t nparams)
{
    sqlite3_stmt *q = pp->stmt;
    for (int i = 1; i <= sqlite3_bind_parameter_count(q); i++) {
        const char *n = sqlite3_bind_parameter_name(q, i) + 1;
        if (!strcmp(n, "stichtag"))
            sqlite3_bind_int(q, i, pc->stichtag);
        else if (!strcmp(n, "von"))
            sqlite3_bind_int(q, i, pc->von);
        else if (!strcmp(n, "bis"))
            sqlite3_bind_int(q, i, pc->bis);
        else if (!strcmp(n, "schuljahr"))
            sqlite3_bind_int(q, i, pc->p.type == BIMO_PT_SCHOOLYEAR ? pc->p.year : pc->bis / 10000);
        else if (!strcmp(n, "snapshot") || !strcmp(n, "prev_snapshot"))
            bind_snap(q, i, n[0] == 'p' ? &pc->prev : &pc->snap, 0);
        else if (!strcmp(n, "first_row") || !strcmp(n, "prev_first_row"))
            bind_snap(q, i, n[0] == 'p' ? &pc->prev : &pc->snap, 1);
        else if (!strcmp(n, "last_row") || !strcmp(n, "prev_last_row"))
            bind_snap(q, i, n[0] == 'p' ? &pc->prev : &pc->snap, 2);
        else if (!strcmp(n, "datenstand"))
            bind_snap(q, i, &pc->snap, 3);
        else if (!strcmp(n, "prev_stichtag") || !strcmp(n, "prev_bis")) {
            if (pc->prev.found)
                sqlite3_bind_int(q, i, pc->prev.stichtag);
            else
                sqlite3_bind_null(q, i);
        } else if (!strcmp(n, "prev_von")) {
            bimo_period prev = bimo_period_previous(&pc->p);
            sqlite3_bind_int(q, i, bimo_period_start(&prev));
        } else {
            const char *v = override_of(n, params, nparams);
            bind_text_value(q, i, v ? v : bimo_indicator_param_value(pp->ind, n));
        }
    }
}

/* The code text of a dimension value: integers padded to the dimension's digits. */
static void code_text(sqlite3_stmt *q, int col, int digits, char *buf, size_t size)
{
    switch (sqlite3_column_type(q, col)) {
    case SQLITE_INTEGER:
        snprintf(buf, size, "%0*lld", digits, (long long)sqlite3_column_int64(q, col));
        break;
    case SQLITE_FLOAT: {
        double v = sqlite3_column_double(q, col);
        if (v == floor(v) && fabs(v) < 1e15)
            snprintf(buf, size, "%0*lld", digits, (long long)v);
        else
            snprintf(buf, size, "%g", v);
        break;
    }
    case SQLITE_NULL: snprintf(buf, size, "%s", NO_ANSWER); break;
    default: snprintf(buf, size, "%s", (const char *)sqlite3_column_text(q, col)); break;
    }
}

static int whole_number(sqlite3_stmt *q, int col, int64_t *out)
{
    int t = sqlite3_column_type(q, col);
    if (t == SQLITE_NULL) {
        *out = 0;
        return 0;
    }
    if (t == SQLITE_INTEGER) {
        *out = sqlite3_column_int64(q, col);
        return *out >= 0 ? 0 : -1;
    }
    double v = sqlite3_column_double(q, col);
    if (t != SQLITE_FLOAT || v != floor(v) || v < 0 || v > 1e15)
        return -1;
    *out = (int64_t)v;
    return 0;
}

static int finest_grow(bimo_finest *f)
{
    if (f->n < f->cap)
        return 0;
    size_t cap = f->cap ? f->cap * 2 : 256;
    int *cats = realloc(f->cats, cap * (size_t)(f->ncols ? f->ncols : 1) * sizeof *cats);
    if (cats)
        f->cats = cats;
    int64_t *num = realloc(f->num, cap * sizeof *num);
    if (num)
        f->num = num;
    int64_t *den = realloc(f->den, cap * sizeof *den);
    if (den)
        f->den = den;
    double *val = realloc(f->val, cap * sizeof *val);
    if (val)
        f->val = val;
    unsigned char *prov = realloc(f->prov, cap);
    if (prov)
        f->prov = prov;
    if (!cats || !num || !den || !val || !prov)
        return -1;
    f->cap = cap;
    return 0;
}

/* ---- Reading rows: categories by raw value, rows merged by category tuple ------------------- */

/* Maps the raw values of one result column (an integer or a text) to categories, so a value is
 * formatted and looked up once per query, not once per row. */
typedef struct {
    size_t nslots, n; /* power of two */
    unsigned char *used;
    int64_t *ikey;
    char **tkey; /* NULL: an integer slot */
    int *idx;
    /* The previous row's value: rows come in key order, so a column often repeats it. */
    int last_idx; /* -1: none yet */
    int64_t last_iv;
    const char *last_tv; /* a tkey string, or NULL for an integer */
} value_cache;

/* The state of one query run: a cache per column and an index of the rows by category tuple,
 * so a query that returns one row per person still yields one row per combination. */
typedef struct {
    value_cache cols[BIMO_DIM_COUNT];
    size_t *slots; /* row index + 1, 0 for empty; power of two */
    size_t nslots;
} row_reader;

static void reader_free(row_reader *rr)
{
    for (int c = 0; c < BIMO_DIM_COUNT; c++) {
        value_cache *vc = &rr->cols[c];
        for (size_t i = 0; i < vc->nslots; i++)
            free(vc->tkey[i]);
        free(vc->used);
        free(vc->ikey);
        free(vc->tkey);
        free(vc->idx);
    }
    free(rr->slots);
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
}

static uint64_t value_hash(int text, int64_t iv, const char *tv)
{
    return text ? hash_text(tv) : mix((uint64_t)iv);
}

static size_t vc_slot(const value_cache *vc, int text, int64_t iv, const char *tv)
{
    size_t mask = vc->nslots - 1;
    for (size_t i = value_hash(text, iv, tv) & mask;; i = (i + 1) & mask)
        if (!vc->used[i] ||
            (text ? vc->tkey[i] && !strcmp(vc->tkey[i], tv) : !vc->tkey[i] && vc->ikey[i] == iv))
            return i;
}

static int vc_grow(value_cache *vc)
{
    value_cache old = *vc;
    vc->nslots = old.nslots ? old.nslots * 2 : 64;
    vc->used = calloc(vc->nslots, 1);
    vc->ikey = calloc(vc->nslots, sizeof *vc->ikey);
    vc->tkey = calloc(vc->nslots, sizeof *vc->tkey);
    vc->idx = calloc(vc->nslots, sizeof *vc->idx);
    if (!vc->used || !vc->ikey || !vc->tkey || !vc->idx) {
        free(vc->used);
        free(vc->ikey);
        free(vc->tkey);
        free(vc->idx);
        *vc = old;
        return -1;
    }
    for (size_t i = 0; i < old.nslots; i++)
        if (old.used[i]) {
            size_t s = vc_slot(vc, old.tkey[i] != NULL, old.ikey[i], old.tkey[i]);
            vc->used[s] = 1;
            vc->ikey[s] = old.ikey[i];
            vc->tkey[s] = old.tkey[i];
            vc->idx[s] = old.idx[i];
        }
    free(old.used);
    free(old.ikey);
    free(old.tkey);
    free(old.idx);
    return 0;
}

/* The category of column col's value in the current row, or -1 when out of memory. */
static int category_of(bimo_engine *e, value_cache *vc, sqlite3_stmt *q, int col,
                       const bimo_dim_spec *d)
{
    char code[256];
    int type = sqlite3_column_type(q, col);
    if (type != SQLITE_INTEGER && type != SQLITE_TEXT) {
        code_text(q, col, d->digits, code, sizeof code);
        return bimo_engine_category(e, d->id, code);
    }
    int text = type == SQLITE_TEXT;
    int64_t iv = text ? 0 : sqlite3_column_int64(q, col);
    const char *tv = text ? (const char *)sqlite3_column_text(q, col) : NULL;
    if (vc->n &&
        (text ? vc->last_tv && !strcmp(vc->last_tv, tv) : !vc->last_tv && vc->last_iv == iv))
        return vc->last_idx;
    if ((vc->n + 1) * 2 > vc->nslots && vc_grow(vc) != 0)
        return -1;
    size_t s = vc_slot(vc, text, iv, tv);
    if (vc->used[s]) {
        vc->last_iv = iv;
        vc->last_tv = vc->tkey[s];
        return vc->last_idx = vc->idx[s];
    }
    code_text(q, col, d->digits, code, sizeof code);
    int idx = bimo_engine_category(e, d->id, code);
    if (idx < 0 || (text && !(vc->tkey[s] = strdup(tv))))
        return -1;
    vc->used[s] = 1;
    vc->ikey[s] = iv;
    vc->idx[s] = idx;
    vc->n++;
    vc->last_iv = iv;
    vc->last_tv = vc->tkey[s];
    return vc->last_idx = idx;
}

static uint64_t tuple_hash(const int *cats, int n)
{
    uint64_t h = 1469598103934665603ULL;
    for (int i = 0; i < n; i++)
        h = mix(h ^ (uint64_t)(uint32_t)cats[i]);
    return h;
}

/* The slot of the row with categories cats: holding it, or empty. */
static size_t row_slot(const row_reader *rr, const bimo_finest *f, const int *cats)
{
    size_t mask = rr->nslots - 1;
    size_t bytes = (size_t)f->ncols * sizeof *cats;
    for (size_t i = tuple_hash(cats, f->ncols) & mask;; i = (i + 1) & mask)
        if (!rr->slots[i] || !memcmp(f->cats + (rr->slots[i] - 1) * (size_t)f->ncols, cats, bytes))
            return i;
}

static int rows_grow(row_reader *rr, const bimo_finest *f)
{
    size_t n = rr->nslots ? rr->nslots * 2 : 1024;
    size_t *slots = calloc(n, sizeof *slots);
    if (!slots)
        return -1;
    free(rr->slots);
    rr->slots = slots;
    rr->nslots = n;
    for (size_t r = 0; r < f->n; r++)
        rr->slots[row_slot(rr, f, f->cats + r * (size_t)f->ncols)] = r + 1;
    return 0;
}

static bimo_status read_row(bimo_engine *e, const bimo_prepared *pp, row_reader *rr, bimo_finest *f,
                            bimo_error *err)
{
    sqlite3_stmt *q = pp->stmt;
    const bimo_indicator *ind = pp->ind;
    if (pp->col_val >= 0 && sqlite3_column_type(q, pp->col_val) == SQLITE_NULL)
        return BIMO_OK; /* an observation without a value is not counted */
    int cats[BIMO_DIM_COUNT];
    for (int c = 0; c < f->ncols; c++) {
        const bimo_dim_spec *d = bimo_dim_get(f->cols[c]);
        if ((cats[c] = category_of(e, &rr->cols[c], q, pp->col_dim[d->id], d)) < 0)
            return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    }
    int64_t num = 1, den = 0;
    if (pp->col_num >= 0 && whole_number(q, pp->col_num, &num) != 0)
        return sql_fail(ind, err, BIMO_ERR_DATA, -1, "%s",
                        "column numerator must hold whole numbers >= 0 (counts)");
    if (pp->col_den >= 0 && whole_number(q, pp->col_den, &den) != 0)
        return sql_fail(ind, err, BIMO_ERR_DATA, -1, "%s",
                        "column denominator must hold whole numbers >= 0 (counts)");
    unsigned char prov = pp->col_prov >= 0 && sqlite3_column_int(q, pp->col_prov) != 0;
    size_t slot = 0;
    if (pp->col_val < 0) { /* counts: merge rows of the same categories */
        if ((f->n + 1) * 2 > rr->nslots && rows_grow(rr, f) != 0)
            return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
        slot = row_slot(rr, f, cats);
        if (rr->slots[slot]) {
            size_t r = rr->slots[slot] - 1;
            f->num[r] += num;
            f->den[r] += den;
            f->prov[r] |= prov;
            return BIMO_OK;
        }
    }
    if (finest_grow(f) != 0)
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    size_t r = f->n++;
    memcpy(f->cats + r * (size_t)f->ncols, cats, (size_t)f->ncols * sizeof *cats);
    f->num[r] = num;
    f->den[r] = den;
    f->val[r] = pp->col_val >= 0 ? sqlite3_column_double(q, pp->col_val) : 0;
    f->prov[r] = prov;
    if (pp->col_val < 0)
        rr->slots[slot] = r + 1;
    return BIMO_OK;
}

static bimo_status run_query(bimo_engine *e, const bimo_prepared *pp, bimo_finest *f,
                             const char *const *params, size_t nparams, bimo_error *err)
{
    sqlite3_stmt *q = pp->stmt;
    row_reader rr = {0};
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    bind_all(pp, &f->pc, params, nparams);
    int rc;
    bimo_status st = BIMO_OK;
    while (st == BIMO_OK && (rc = sqlite3_step(q)) == SQLITE_ROW)
        st = read_row(e, pp, &rr, f, err);
    if (st == BIMO_OK && rc != SQLITE_DONE) {
        char what[300];
        snprintf(what, sizeof what, "%s (%s)", pp->ind->id, pp->ind->path);
        st = bimo_store_fail(e->db, err, what);
    }
    sqlite3_reset(q);
    reader_free(&rr);
    return st;
}

static char *cache_key(const bimo_indicator *ind, const bimo_period *p, const char *const *params,
                       size_t nparams)
{
    char label[16];
    bimo_period_label(p, label, sizeof label);
    size_t len = strlen(ind->id) + strlen(label) + 4;
    for (size_t i = 0; i < ind->nparams; i++) {
        const char *v = override_of(ind->params[i].name, params, nparams);
        len += strlen(ind->params[i].name) + strlen(v ? v : ind->params[i].value) + 2;
    }
    char *key = malloc(len);
    if (!key)
        return NULL;
    int n = snprintf(key, len, "%s|%s", ind->id, label);
    for (size_t i = 0; i < ind->nparams; i++) {
        const char *v = override_of(ind->params[i].name, params, nparams);
        n += snprintf(key + n, len - (size_t)n, "|%s=%s", ind->params[i].name,
                      v ? v : ind->params[i].value);
    }
    return key;
}

static bimo_status cache_add(bimo_engine *e, bimo_finest *f, bimo_error *err)
{
    if (e->ncache == e->capcache) {
        size_t cap = e->capcache ? e->capcache * 2 : 32;
        bimo_finest **c = realloc(e->cache, cap * sizeof *c);
        if (!c)
            return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
        e->cache = c;
        e->capcache = cap;
    }
    e->cache[e->ncache++] = f;
    return BIMO_OK;
}

bimo_status bimo_engine_finest(bimo_engine *e, const bimo_indicator *ind, const bimo_period *p,
                               const char *const *params, size_t nparams, const bimo_finest **out,
                               bimo_error *err)
{
    char *key = cache_key(ind, p, params, nparams);
    if (!key)
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < e->ncache; i++)
        if (strcmp(e->cache[i]->key, key) == 0) {
            free(key);
            *out = e->cache[i];
            return BIMO_OK;
        }
    bimo_prepared *pp;
    bimo_finest *f = calloc(1, sizeof *f);
    if (!f) {
        free(key);
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    }
    f->ind = ind;
    f->key = key;
    f->pc.p = *p;
    f->ncols = sql_dims(ind, f->cols);
    /* The period first: without its snapshot there is nothing to run, and the query is not
     * prepared, so a store that lacks the tables it reads (a source never imported) shows
     * "no data" rather than an SQL error. A query that compares with the previous snapshot
     * needs that one too. */
    bimo_status st = resolve_period(e, ind, 0, &f->pc, err);
    if (st == BIMO_OK && f->pc.has_data)
        st = prepare(e, ind, &pp, err);
    if (st == BIMO_OK && f->pc.has_data && pp->uses_prev)
        st = resolve_period(e, ind, 1, &f->pc, err);
    if (st == BIMO_OK && f->pc.has_data)
        st = run_query(e, pp, f, params, nparams, err);
    if (st == BIMO_OK && f->n == 0 && strcmp(ind->source, "none") == 0) {
        f->pc.has_data = 0; /* without a snapshot, no rows is all we know */
        snprintf(f->pc.note, sizeof f->pc.note, "keine Daten für %s", f->pc.label_de);
    }
    if (st == BIMO_OK)
        st = cache_add(e, f, err);
    if (st != BIMO_OK) {
        finest_free(f);
        return st;
    }
    *out = f;
    return BIMO_OK;
}

/* ---- Source line ---------------------------------------------------------------------------- */

static int append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t c = (*len + n + 1) * 2;
        char *b = realloc(*buf, c);
        if (!b)
            return -1;
        *buf = b;
        *cap = c;
    }
    memcpy(*buf + *len, s, n);
    *len += n;
    (*buf)[*len] = '\0';
    return 0;
}

/* The text for {name} in a source line, or NULL to keep the placeholder. */
static const char *placeholder(const bimo_engine *e, const bimo_period_ctx *pc, const char *name,
                               char *buf)
{
    if (!strcmp(name, "stichtag")) {
        bimo_format_date(pc->snap.found ? pc->snap.stichtag : pc->stichtag, 1, buf);
        return buf;
    }
    if (!strcmp(name, "periode"))
        return pc->label_de;
    if (!strcmp(name, "name"))
        return e->area;
    return e->profile ? json_string_value(json_object_get(e->profile, name)) : NULL;
}

char *bimo_engine_quelle(const bimo_engine *e, const bimo_indicator *ind, const bimo_period_ctx *pc)
{
    char *buf = NULL, date[11];
    size_t len = 0, cap = 0;
    const char *s = ind->quelle;
    int fail = append(&buf, &len, &cap, "", 0);
    while (*s && !fail) {
        const char *open = strchr(s, '{'), *close = open ? strchr(open, '}') : NULL;
        if (!open || !close) {
            fail = append(&buf, &len, &cap, s, strlen(s));
            break;
        }
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(close - open - 1), open + 1);
        const char *v = placeholder(e, pc, name, date);
        fail = append(&buf, &len, &cap, s, (size_t)(open - s)) ||
               (v ? append(&buf, &len, &cap, v, strlen(v))
                  : append(&buf, &len, &cap, open, (size_t)(close - open + 1)));
        s = close + 1;
    }
    if (fail) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* ---- Query plans ------------------------------------------------------------------------------
 */

bimo_status bimo_explain(bimo_engine *e, const char *id, const char *period, FILE *out,
                         bimo_error *err)
{
    const bimo_indicator *ind = bimo_catalogue_find(e->cat, id);
    if (!ind)
        return bimo_fail(err, BIMO_ERR_NOTFOUND, "no indicator \"%s\"", id);
    bimo_period_range range;
    char msg[300];
    long col = 0;
    if (bimo_period_parse(period, &range, msg, sizeof msg, &col) != 0)
        return bimo_fail(err, BIMO_ERR_ARG, "period \"%s\" (at character %ld): %s",
                         period ? period : "", col, msg);
    bimo_period_ctx pc = {.p = bimo_period_at(&range, range.count - 1)};
    bimo_status st = bimo_engine_check_period(ind, &pc.p, err);
    bimo_prepared *pp = NULL;
    if (st == BIMO_OK)
        st = resolve_period(e, ind, 0, &pc, err);
    if (st == BIMO_OK)
        st = prepare(e, ind, &pp, err);
    if (st == BIMO_OK && pp->uses_prev)
        st = resolve_period(e, ind, 1, &pc, err);
    if (st != BIMO_OK)
        return st;
    /* The same statement with EXPLAIN QUERY PLAN in front, bound as the engine binds it. */
    char *sql = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", ind->sql);
    bimo_prepared explain = *pp;
    if (!sql || sqlite3_prepare_v2(e->db, sql, -1, &explain.stmt, NULL) != SQLITE_OK) {
        sqlite3_free(sql);
        return bimo_store_fail(e->db, err, "cannot explain the query");
    }
    sqlite3_free(sql);
    bind_all(&explain, &pc, NULL, 0);
    fprintf(out, "%s %s (%s%s)\n", ind->id, ind->path, pc.label_de,
            pc.has_data ? "" : ", no data: the plan is the same");
    /* Rows come in tree order: id, parent, detail; indent each under its parent. */
    int ids[256], depth[256], n = 0, rc;
    while ((rc = sqlite3_step(explain.stmt)) == SQLITE_ROW) {
        int node = sqlite3_column_int(explain.stmt, 0),
            parent = sqlite3_column_int(explain.stmt, 1);
        int d = 0;
        for (int i = n - 1; i >= 0; i--)
            if (ids[i] == parent) {
                d = depth[i] + 1;
                break;
            }
        if (n < 256) {
            ids[n] = node;
            depth[n++] = d;
        }
        fprintf(out, "%*s%s\n", 2 + 2 * d, "", (const char *)sqlite3_column_text(explain.stmt, 3));
    }
    st = rc == SQLITE_DONE ? BIMO_OK : bimo_store_fail(e->db, err, "cannot explain the query");
    sqlite3_finalize(explain.stmt);
    if (st == BIMO_OK && ferror(out))
        st = bimo_fail(err, BIMO_ERR_IO, "cannot write the output");
    return st;
}
