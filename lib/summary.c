/* summary.c — per-snapshot counts of the register and residence facts (schema: store.c,
 * migration 3), counted in the import's store thread and written when the import finishes.
 *
 * Counting in memory costs a hash probe per row (tens of milliseconds for a million rows),
 * where an INSERT ... SELECT ... GROUP BY over the loaded rows costs SQLite a sort (about
 * 2 s for a million rows). The table holds at most SUMMARY_CAP combinations: when it is
 * full its counts are added to the summary table (an upsert) and it starts again empty, so
 * memory stays bounded however many persons a file holds (the 10-million-person sample
 * register has about 208,000 combinations: a flush in the middle, one at the end). The same rules
 * are written in SQL in migrations 3 and 6, which fill the tables of stores loaded before them. */
#include "summary.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "store.h"
#include "values.h"

#define MAX_KEYS    8         /* summary columns between snapshot_id and n, at most */
#define SUMMARY_CAP (1 << 17) /* entries held before they are written: 8 MiB of slots */

typedef struct {
    const char *source, *table;
    int ninputs, nkeys;
    const char *inputs[BIMO_SUMMARY_INPUTS]; /* fact columns, in the order of in[] */
    const char *columns;                     /* the nkeys summary columns, in the order of out[] */
    void (*key)(const int64_t in[], int32_t stichtag, int64_t out[]);
} summary_spec;

/* in: geburtsdatum, geschlecht, staatsangehoerigkeit, staatsangehoerigkeit2, ags.
 * out: ags, geschlecht, alter_jahre, staat, deutsch. German is anyone with 000 as either
 * nationality (BEV-1, BEV-2); staat is then 0, otherwise the first nationality. */
static void melderegister_key(const int64_t in[], int32_t stichtag, int64_t out[])
{
    int german2 = in[3] == 0; /* BIMO_SUMMARY_NULL is not 0 */
    out[0] = in[4];
    out[1] = in[1];
    out[2] = bimo_age_years((int32_t)in[0], stichtag);
    out[3] = german2 ? 0 : in[2];
    out[4] = in[2] == 0 || german2;
}

/* in: geburtsdatum, geschlecht, staatsangehoerigkeit, ags, rechtsgrundlage.
 * out: ags, geschlecht, alter_jahre, staatsangehoerigkeit, rechtsgrundlage. */
static void aufenthalt_key(const int64_t in[], int32_t stichtag, int64_t out[])
{
    out[0] = in[3];
    out[1] = in[1];
    out[2] = bimo_age_years((int32_t)in[0], stichtag);
    out[3] = in[2];
    out[4] = in[4];
}

/* in: ags_schule, schulform, jahrgang, geschlecht, staatsangehoerigkeit, sprachlernklasse,
 * bildungsgang, ausbildungsjahr. out: the same with deutsch (staatsangehoerigkeit 000) in place
 * of the state, and 0 for a missing sprachlernklasse, bildungsgang or ausbildungsjahr (code ids
 * start at 1, so 0 joins no code, as NULL does not). */
static void schule_key(const int64_t in[], int32_t stichtag, int64_t out[])
{
    (void)stichtag;
    for (int i = 0; i < 8; i++)
        out[i] = in[i] == BIMO_SUMMARY_NULL ? 0 : in[i];
    out[4] = in[4] == 0;
}

static const summary_spec specs[] = {
    {"melderegister",
     "melderegister_summary",
     5,
     5,
     {"geburtsdatum", "geschlecht", "staatsangehoerigkeit", "staatsangehoerigkeit2", "ags"},
     "ags, geschlecht, alter_jahre, staat, deutsch",
     melderegister_key},
    {"aufenthalt",
     "aufenthalt_summary",
     5,
     5,
     {"geburtsdatum", "geschlecht", "staatsangehoerigkeit", "ags", "rechtsgrundlage"},
     "ags, geschlecht, alter_jahre, staatsangehoerigkeit, rechtsgrundlage",
     aufenthalt_key},
    {"schule",
     "schule_summary",
     8,
     8,
     {"ags_schule", "schulform", "jahrgang", "geschlecht", "staatsangehoerigkeit",
      "sprachlernklasse", "bildungsgang", "ausbildungsjahr"},
     "ags_schule, schulform, jahrgang, geschlecht, deutsch, sprachlernklasse, bildungsgang,"
     " ausbildungsjahr",
     schule_key},
};

typedef struct {
    int32_t key[MAX_KEYS]; /* AGS, code ids, ages, state codes; unused keys stay 0 */
    int64_t n;
    int32_t snapshot; /* -1: empty slot */
} entry;

struct bimo_summary {
    const summary_spec *spec;
    entry *slots; /* open addressing, power of two */
    size_t nslots, used;
};

static uint64_t hash_key(int snapshot, const int32_t key[])
{
    uint64_t h = (uint64_t)snapshot * 0x9E3779B97F4A7C15u;
    for (int i = 0; i < MAX_KEYS; i++) {
        h ^= (uint64_t)key[i] + 0x9E3779B97F4A7C15u + (h << 6) + (h >> 2);
        h *= 0xBF58476D1CE4E5B9u;
    }
    return h ^ (h >> 31);
}

static entry *alloc_slots(size_t n)
{
    entry *e = malloc(n * sizeof *e);
    for (size_t i = 0; e && i < n; i++)
        e[i].snapshot = -1;
    return e;
}

static entry *find_slot(entry *slots, size_t nslots, int snapshot, const int32_t key[])
{
    size_t i = (size_t)hash_key(snapshot, key) & (nslots - 1);
    while (slots[i].snapshot >= 0 &&
           (slots[i].snapshot != snapshot || memcmp(slots[i].key, key, sizeof slots[i].key) != 0))
        i = (i + 1) & (nslots - 1);
    return &slots[i];
}

static int grow(bimo_summary *sum)
{
    size_t n = sum->nslots * 2;
    entry *slots = alloc_slots(n);
    if (!slots)
        return -1;
    for (size_t i = 0; i < sum->nslots; i++)
        if (sum->slots[i].snapshot >= 0)
            *find_slot(slots, n, sum->slots[i].snapshot, sum->slots[i].key) = sum->slots[i];
    free(sum->slots);
    sum->slots = slots;
    sum->nslots = n;
    return 0;
}

bimo_status bimo_summary_new(const char *source, bimo_summary **out, bimo_error *err)
{
    *out = NULL;
    const summary_spec *spec = NULL;
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
        if (strcmp(specs[i].source, source) == 0)
            spec = &specs[i];
    if (!spec)
        return BIMO_OK;
    bimo_summary *sum = calloc(1, sizeof *sum);
    if (sum) {
        sum->spec = spec;
        sum->nslots = 4096;
        sum->slots = alloc_slots(sum->nslots);
    }
    if (!sum || !sum->slots) {
        free(sum);
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    }
    *out = sum;
    return BIMO_OK;
}

void bimo_summary_free(bimo_summary *sum)
{
    if (!sum)
        return;
    free(sum->slots);
    free(sum);
}

int bimo_summary_inputs(const bimo_summary *sum)
{
    return sum->spec->ninputs;
}

const char *bimo_summary_input(const bimo_summary *sum, int i)
{
    return sum->spec->inputs[i];
}

int bimo_summary_add(bimo_summary *sum, int snapshot, int32_t stichtag, const int64_t in[],
                     int64_t delta)
{
    int64_t wide[MAX_KEYS] = {0};
    int32_t key[MAX_KEYS];
    sum->spec->key(in, stichtag, wide);
    for (int k = 0; k < MAX_KEYS; k++) {
        if (wide[k] < INT32_MIN || wide[k] > INT32_MAX)
            return -1;
        key[k] = (int32_t)wide[k];
    }
    entry *e = find_slot(sum->slots, sum->nslots, snapshot, key);
    if (e->snapshot < 0) {
        if (2 * (sum->used + 1) > sum->nslots) { /* load at most one half: short probes */
            if (grow(sum) != 0)
                return -1;
            e = find_slot(sum->slots, sum->nslots, snapshot, key);
        }
        memcpy(e->key, key, sizeof key);
        e->snapshot = snapshot;
        e->n = 0;
        sum->used++;
    }
    e->n += delta;
    return sum->used >= SUMMARY_CAP;
}

const char *bimo_summary_table(const bimo_summary *sum)
{
    return sum->spec->table;
}

bimo_status bimo_summary_flush(bimo_summary *sum, sqlite3 *db, const int64_t *snapshot_ids,
                               bimo_error *err)
{
    if (!sum->used)
        return BIMO_OK;
    int nkeys = sum->spec->nkeys;
    char *ins = sqlite3_mprintf("INSERT INTO \"%w\" (snapshot_id, %s, n) VALUES (?%.*s, ?)"
                                " ON CONFLICT DO UPDATE SET n = n + excluded.n",
                                sum->spec->table, sum->spec->columns, 3 * nkeys,
                                ", ?, ?, ?, ?, ?, ?, ?, ?");
    sqlite3_stmt *q = NULL;
    int rc = ins ? sqlite3_prepare_v2(db, ins, -1, &q, NULL) : SQLITE_NOMEM;
    for (size_t i = 0; rc == SQLITE_OK && i < sum->nslots; i++) {
        entry *e = &sum->slots[i];
        if (e->snapshot < 0)
            continue;
        if (e->n != 0) {
            sqlite3_bind_int64(q, 1, snapshot_ids[e->snapshot]);
            for (int k = 0; k < nkeys; k++)
                sqlite3_bind_int64(q, 2 + k, e->key[k]);
            sqlite3_bind_int64(q, 2 + nkeys, e->n);
            rc = sqlite3_step(q) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
            sqlite3_reset(q);
        }
        e->snapshot = -1;
    }
    sum->used = 0;
    bimo_status st =
        rc == SQLITE_OK ? BIMO_OK : bimo_store_fail(db, err, "cannot write the counts");
    sqlite3_finalize(q);
    sqlite3_free(ins);
    return st;
}
