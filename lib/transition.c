/* transition.c — counting AUF-4's transitions per pair of residence snapshots. Each person of
 * the earlier stock is matched by pseudonym in the later one (a hash join in memory: a stock
 * is tens of thousands of rows); the counts go to aufenthalt_transition, the pair to
 * aufenthalt_transition_pair, which tells the indicator that the counts exist. */
#include "transition.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "store.h"
#include "values.h"

#define KEY_BYTES 32 /* pseudonyms are 16 bytes; longer keys are hashed in full but cut */

typedef struct {
    int64_t id, first_row, last_row;
    int32_t stichtag;
} snap;

/* A person of the earlier stock. */
typedef struct {
    unsigned char key[KEY_BYTES];
    int keylen, matched;
    int64_t rg, ags, geschlecht, geburtsdatum, staat;
} person;

/* One count: rechtsgrundlage before (0: new), now (0: gone), ags, geschlecht, alter, staat. */
typedef struct {
    int64_t k[6];
    int64_t n;
} count;

typedef struct {
    count *items;
    size_t n, nslots; /* power of two; an empty slot has n == 0 */
} count_map;

static uint64_t hash_bytes(const unsigned char *p, int len)
{
    uint64_t h = 1469598103934665603ULL;
    for (int i = 0; i < len; i++)
        h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

static uint64_t hash_count(const int64_t *k)
{
    uint64_t h = 1469598103934665603ULL;
    for (int i = 0; i < 6; i++) {
        h ^= (uint64_t)k[i];
        h *= 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
    }
    return h;
}

static int count_add(count_map *m, const int64_t *k)
{
    if ((m->n + 1) * 2 > m->nslots) {
        count_map g = {.nslots = m->nslots ? m->nslots * 2 : 4096};
        if (!(g.items = calloc(g.nslots, sizeof *g.items)))
            return -1;
        for (size_t i = 0; i < m->nslots; i++)
            if (m->items[i].n) {
                size_t s = hash_count(m->items[i].k) & (g.nslots - 1);
                while (g.items[s].n)
                    s = (s + 1) & (g.nslots - 1);
                g.items[s] = m->items[i];
            }
        g.n = m->n;
        free(m->items);
        *m = g;
    }
    size_t s = hash_count(k) & (m->nslots - 1);
    while (m->items[s].n && memcmp(m->items[s].k, k, sizeof m->items[s].k))
        s = (s + 1) & (m->nslots - 1);
    if (!m->items[s].n) {
        memcpy(m->items[s].k, k, sizeof m->items[s].k);
        m->n++;
    }
    m->items[s].n++;
    return 0;
}

static const char rows_sql[] =
    "SELECT person, rechtsgrundlage, ags, geschlecht, geburtsdatum, staatsangehoerigkeit"
    " FROM aufenthalt WHERE rowid BETWEEN ?1 AND ?2 AND snapshot_id = ?3";

static void bind_snap(sqlite3_stmt *q, const snap *s)
{
    sqlite3_reset(q);
    sqlite3_bind_int64(q, 1, s->first_row);
    sqlite3_bind_int64(q, 2, s->last_row);
    sqlite3_bind_int64(q, 3, s->id);
}

static void read_person(sqlite3_stmt *q, person *p)
{
    int len = sqlite3_column_bytes(q, 0);
    p->keylen = len < KEY_BYTES ? len : KEY_BYTES;
    memcpy(p->key, sqlite3_column_blob(q, 0), (size_t)p->keylen);
    p->rg = sqlite3_column_int64(q, 1);
    p->ags = sqlite3_column_int64(q, 2);
    p->geschlecht = sqlite3_column_int64(q, 3);
    p->geburtsdatum = sqlite3_column_int64(q, 4);
    p->staat = sqlite3_column_int64(q, 5);
    p->matched = 0;
}

/* Counts the pair (before, after) into m. */
static bimo_status count_pair(sqlite3 *db, sqlite3_stmt *q, const snap *before, const snap *after,
                              count_map *m, bimo_error *err)
{
    size_t cap = (size_t)(before->last_row - before->first_row + 1), np = 0, nslots = 16;
    while (nslots < cap * 2)
        nslots *= 2;
    person *ps = malloc((cap ? cap : 1) * sizeof *ps);
    size_t *slots = calloc(nslots, sizeof *slots); /* person index + 1 */
    if (!ps || !slots) {
        free(ps);
        free(slots);
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    }
    int rc;
    bind_snap(q, before);
    while (np < cap && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        person *p = &ps[np];
        read_person(q, p);
        size_t s = hash_bytes(p->key, p->keylen) & (nslots - 1);
        while (slots[s])
            s = (s + 1) & (nslots - 1);
        slots[s] = ++np;
    }
    bimo_status st = BIMO_OK;
    person cur;
    bind_snap(q, after);
    while (st == BIMO_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        read_person(q, &cur);
        size_t s = hash_bytes(cur.key, cur.keylen) & (nslots - 1);
        person *was = NULL;
        for (; slots[s]; s = (s + 1) & (nslots - 1)) {
            person *p = &ps[slots[s] - 1];
            if (p->keylen == cur.keylen && !memcmp(p->key, cur.key, (size_t)cur.keylen)) {
                was = p;
                break;
            }
        }
        if (was)
            was->matched = 1;
        int64_t k[6] = {was ? was->rg : 0,
                        cur.rg,
                        cur.ags,
                        cur.geschlecht,
                        bimo_age_years((int32_t)cur.geburtsdatum, after->stichtag),
                        cur.staat};
        if (count_add(m, k) != 0)
            st = bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    }
    /* Who left the stock: attributes as before, age at the later date. */
    for (size_t i = 0; st == BIMO_OK && i < np; i++) {
        const person *p = &ps[i];
        int64_t k[6] = {p->rg,
                        0,
                        p->ags,
                        p->geschlecht,
                        bimo_age_years((int32_t)p->geburtsdatum, after->stichtag),
                        p->staat};
        if (!p->matched && count_add(m, k) != 0)
            st = bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    }
    if (st == BIMO_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
        st = bimo_store_fail(db, err, "cannot read the residence snapshots");
    sqlite3_reset(q);
    free(ps);
    free(slots);
    return st;
}

/* Key order, so the counts are appended to the table's B-tree rather than scattered. */
static int cmp_count(const void *a, const void *b)
{
    const int64_t *x = ((const count *)a)->k, *y = ((const count *)b)->k;
    for (int i = 0; i < 6; i++)
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    return 0;
}

static bimo_status write_pair(sqlite3 *db, const snap *before, const snap *after, count_map *m,
                              bimo_error *err)
{
    size_t n = 0;
    for (size_t i = 0; i < m->nslots; i++)
        if (m->items[i].n)
            m->items[n++] = m->items[i];
    qsort(m->items, n, sizeof *m->items, cmp_count);
    sqlite3_stmt *ins = NULL, *pair = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "INSERT INTO aufenthalt_transition (snapshot_id, prev_snapshot_id,"
                                " rechtsgrundlage_vorher, rechtsgrundlage, ags, geschlecht,"
                                " alter_jahre, staatsangehoerigkeit, n)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                                -1, &ins, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db,
                                "INSERT OR REPLACE INTO aufenthalt_transition_pair"
                                " (snapshot_id, prev_snapshot_id) VALUES (?1, ?2)",
                                -1, &pair, NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < n; i++) {
        const count *c = &m->items[i];
        sqlite3_bind_int64(ins, 1, after->id);
        sqlite3_bind_int64(ins, 2, before->id);
        for (int k = 0; k < 6; k++)
            sqlite3_bind_int64(ins, 3 + k, c->k[k]);
        sqlite3_bind_int64(ins, 9, c->n);
        rc = sqlite3_step(ins) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        sqlite3_reset(ins);
    }
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(pair, 1, after->id);
        sqlite3_bind_int64(pair, 2, before->id);
        rc = sqlite3_step(pair) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    bimo_status st =
        rc == SQLITE_OK ? BIMO_OK : bimo_store_fail(db, err, "cannot write the transitions");
    sqlite3_finalize(ins);
    sqlite3_finalize(pair);
    return st;
}

/* Drops the counts of every pair that involves snapshot id: each pair is one range of the
 * counts' key, found through the small pair table. */
static bimo_status drop_pairs(sqlite3 *db, int64_t id, bimo_error *err)
{
    sqlite3_stmt *q = NULL, *del = NULL;
    int rc =
        sqlite3_prepare_v2(db,
                           "SELECT snapshot_id, prev_snapshot_id FROM aufenthalt_transition_pair"
                           " WHERE snapshot_id = ?1 OR prev_snapshot_id = ?1",
                           -1, &q, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db,
                                "DELETE FROM aufenthalt_transition"
                                " WHERE snapshot_id = ?1 AND prev_snapshot_id = ?2",
                                -1, &del, NULL);
    if (rc == SQLITE_OK)
        sqlite3_bind_int64(q, 1, id);
    while (rc == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW) {
        sqlite3_bind_int64(del, 1, sqlite3_column_int64(q, 0));
        sqlite3_bind_int64(del, 2, sqlite3_column_int64(q, 1));
        rc = sqlite3_step(del) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        sqlite3_reset(del);
    }
    sqlite3_finalize(q);
    sqlite3_finalize(del);
    char *sql = sqlite3_mprintf("DELETE FROM aufenthalt_transition_pair"
                                " WHERE snapshot_id = %lld OR prev_snapshot_id = %lld",
                                (long long)id, (long long)id);
    if (rc == SQLITE_OK)
        rc = sql ? sqlite3_exec(db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    return rc == SQLITE_OK ? BIMO_OK : bimo_store_fail(db, err, "cannot drop old transitions");
}

/* The snapshot on 31 December of the year before (dir -1) or after (+1) s, or -1. */
static int year_apart(const snap *all, int n, int i, int dir)
{
    int32_t want = all[i].stichtag + dir * 10000;
    for (int j = 0; j < n; j++)
        if (all[j].stichtag == want)
            return j;
    return -1;
}

bimo_status bimo_transitions_refresh(sqlite3 *db, const int64_t *ids, int n, bimo_error *err)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db,
                           "SELECT id, stichtag, first_row, last_row FROM snapshot"
                           " WHERE source = 'aufenthalt' ORDER BY stichtag",
                           -1, &q, NULL) != SQLITE_OK)
        return bimo_store_fail(db, err, "cannot read the snapshots");
    snap *all = NULL;
    int nall = 0, cap = 0, rc;
    bimo_status st = BIMO_OK;
    while (st == BIMO_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (nall == cap) {
            snap *g = realloc(all, (size_t)(cap = cap ? cap * 2 : 64) * sizeof *g);
            if (!g) {
                st = bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
                break;
            }
            all = g;
        }
        all[nall++] = (snap){sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 2),
                             sqlite3_column_int64(q, 3), sqlite3_column_int(q, 1)};
    }
    sqlite3_finalize(q);
    /* Pairs as (before, after) indices into all; at most four per imported snapshot. */
    int(*pairs)[2] = malloc((size_t)(n ? n : 1) * 4 * sizeof *pairs), npairs = 0;
    if (st == BIMO_OK && !pairs)
        st = bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    for (int k = 0; st == BIMO_OK && k < n; k++) {
        st = drop_pairs(db, ids[k], err);
        for (int i = 0; st == BIMO_OK && i < nall; i++) {
            if (all[i].id != ids[k])
                continue;
            int cand[4][2] = {{i - 1, i}, {i, i + 1}, {-1, -1}, {-1, -1}};
            if (all[i].stichtag % 10000 == 1231) {
                cand[2][0] = year_apart(all, nall, i, -1), cand[2][1] = i;
                cand[3][0] = i, cand[3][1] = year_apart(all, nall, i, +1);
            }
            for (int c = 0; c < 4; c++) {
                if (cand[c][0] < 0 || cand[c][1] < 0 || cand[c][1] >= nall)
                    continue;
                int dup = 0;
                for (int p = 0; p < npairs; p++)
                    dup |= pairs[p][0] == cand[c][0] && pairs[p][1] == cand[c][1];
                if (!dup) {
                    pairs[npairs][0] = cand[c][0];
                    pairs[npairs++][1] = cand[c][1];
                }
            }
        }
    }
    if (st == BIMO_OK && sqlite3_prepare_v2(db, rows_sql, -1, &q, NULL) != SQLITE_OK)
        st = bimo_store_fail(db, err, "cannot read the residence snapshots");
    else if (st != BIMO_OK)
        q = NULL;
    for (int p = 0; st == BIMO_OK && p < npairs; p++) {
        const snap *before = &all[pairs[p][0]], *after = &all[pairs[p][1]];
        count_map m = {0};
        st = count_pair(db, q, before, after, &m, err);
        if (st == BIMO_OK)
            st = write_pair(db, before, after, &m, err);
        free(m.items);
    }
    sqlite3_finalize(q);
    free(pairs);
    free(all);
    return st;
}
