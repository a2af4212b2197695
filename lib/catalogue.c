/* catalogue.c — loading indicator files: a header of "-- key: value" lines, then one SQL query.
 * A broken file is reported with file, line and column and does not stop the others. */
#include "catalogue.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dims.h"
#include "error.h"

#define MAX_FILE_BYTES (1 << 20)
#define DEFAULT_ORDER  1000

const char *const bimo_builtin_params[] = {
    /* the period */
    "stichtag",
    "von",
    "bis",
    "schuljahr",
    /* its snapshot */
    "snapshot",
    "first_row",
    "last_row",
    "datenstand",
    /* the snapshot before */
    "prev_snapshot",
    "prev_first_row",
    "prev_last_row",
    "prev_stichtag",
    "prev_von",
    "prev_bis",
    NULL,
};

static const char *const kind_names[] = {"count", "rate", "share", "quantile", NULL};
static const char *const period_names[] = {"stichtag", "jahr", "quartal", "schuljahr", NULL};
static const char *const source_names[] = {
    "melderegister", "aufenthalt", "integrationskurs", "schule", "schulabgang", "none", NULL};
static const char *const chart_names[] = {
    "bar",  "grouped-bar", "stacked-bar", "stacked-bar-100", "line",      "pyramid",
    "map",  "hbar",        "grouped",     "stacked",         "stacked100", NULL};

const char *bimo_indicator_kind_name(bimo_indicator_kind kind)
{
    return (unsigned)kind <= BIMO_KIND_QUANTILE ? kind_names[kind] : "?";
}

const char *bimo_period_kind_name(bimo_period_kind kind)
{
    return (unsigned)kind <= BIMO_PERIOD_SCHULJAHR ? period_names[kind] : "?";
}

/* ---- Header keys ---------------------------------------------------------------------------- */

typedef enum {
    K_ID,
    K_TITLE,
    K_DEFINITION,
    K_UNIT,
    K_KIND,
    K_NUMERATOR,
    K_DENOMINATOR,
    K_DIMENSIONS,
    K_PERIOD,
    K_SOURCE,
    K_QUELLE,
    K_FOOTNOTE,
    K_CHART,
    K_SHARE_OF,
    K_ORDER,
    K_DECIMALS,
    K_FACTOR,
    K_PARAMETER,
    K_COUNT
} key_id;

static const struct {
    const char *name;
    int required, repeatable;
} keys[K_COUNT] = {
    [K_ID] = {"id", 1, 0},
    [K_TITLE] = {"title", 1, 0},
    [K_DEFINITION] = {"definition", 1, 0},
    [K_UNIT] = {"unit", 1, 0},
    [K_KIND] = {"kind", 1, 0},
    [K_NUMERATOR] = {"numerator", 1, 0},
    [K_DENOMINATOR] = {"denominator", 0, 0},
    [K_DIMENSIONS] = {"dimensions", 0, 0},
    [K_PERIOD] = {"period", 1, 0},
    [K_SOURCE] = {"source", 1, 0},
    [K_QUELLE] = {"quelle", 1, 0},
    [K_FOOTNOTE] = {"footnote", 0, 1},
    [K_CHART] = {"chart", 0, 0},
    [K_SHARE_OF] = {"share_of", 0, 0},
    [K_ORDER] = {"order", 0, 0},
    [K_DECIMALS] = {"decimals", 0, 0},
    [K_FACTOR] = {"factor", 0, 0},
    [K_PARAMETER] = {"parameter", 0, 1},
};

/* One header entry as read: its text (continuations appended) and where its value began. */
typedef struct {
    key_id key;
    char *value;
    long line, column;
} entry;

typedef struct {
    const char *path;
    entry *entries;
    size_t n, cap;
    bimo_error *err;
} header;

static void header_free(header *h)
{
    for (size_t i = 0; i < h->n; i++)
        free(h->entries[i].value);
    free(h->entries);
}

static char *strndup_trim(const char *s, size_t len)
{
    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    char *out = malloc(len + 1);
    if (out) {
        memcpy(out, s, len);
        out[len] = '\0';
    }
    return out;
}

static bimo_status add_entry(header *h, key_id k, const char *v, size_t vlen, long line,
                             long key_column, long column)
{
    if (!keys[k].repeatable)
        for (size_t i = 0; i < h->n; i++)
            if (h->entries[i].key == k)
                return bimo_fail_at(h->err, BIMO_ERR_PARSE, h->path, line, key_column,
                                    "key \"%s\" given twice (first in line %ld)", keys[k].name,
                                    h->entries[i].line);
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 24;
        entry *e = realloc(h->entries, cap * sizeof *e);
        if (!e)
            return bimo_fail(h->err, BIMO_ERR_NOMEM, "out of memory");
        h->entries = e;
        h->cap = cap;
    }
    char *value = strndup_trim(v, vlen);
    if (!value)
        return bimo_fail(h->err, BIMO_ERR_NOMEM, "out of memory");
    h->entries[h->n++] = (entry){k, value, line, column};
    return BIMO_OK;
}

static bimo_status append_continuation(header *h, const char *t, size_t len, long line)
{
    if (h->n == 0)
        return bimo_fail_at(h->err, BIMO_ERR_PARSE, h->path, line, 3,
                            "continuation line before the first \"-- key: value\" line");
    char *more = strndup_trim(t, len);
    entry *e = &h->entries[h->n - 1];
    size_t a = strlen(e->value), b = more ? strlen(more) : 0;
    char *joined = more ? realloc(e->value, a + b + 2) : NULL;
    if (!joined) {
        free(more);
        return bimo_fail(h->err, BIMO_ERR_NOMEM, "out of memory");
    }
    if (a && b)
        joined[a++] = ' ';
    memcpy(joined + a, more, b + 1);
    e->value = joined;
    free(more);
    return BIMO_OK;
}

static int is_key_char(char c)
{
    return (c >= 'a' && c <= 'z') || c == '_';
}

/* One header line: s points after "--", len is the rest of the line. */
static bimo_status header_line(header *h, const char *s, size_t len, long line)
{
    size_t spaces = 0;
    while (spaces < len && (s[spaces] == ' ' || s[spaces] == '\t'))
        spaces++;
    if (spaces == len) /* an empty comment line */
        return BIMO_OK;
    if (spaces >= 2 || s[0] == '\t')
        return append_continuation(h, s + spaces, len - spaces, line);
    size_t k = spaces;
    while (k < len && is_key_char(s[k]))
        k++;
    long key_col = (long)spaces + 3;
    if (k == spaces || k >= len || s[k] != ':')
        return bimo_fail_at(h->err, BIMO_ERR_PARSE, h->path, line, key_col,
                            "expected \"-- key: value\" or a continuation line \"--   text\"");
    size_t klen = k - spaces;
    for (int i = 0; i < K_COUNT; i++)
        if (strlen(keys[i].name) == klen && memcmp(keys[i].name, s + spaces, klen) == 0) {
            size_t v = k + 1;
            while (v < len && (s[v] == ' ' || s[v] == '\t'))
                v++;
            return add_entry(h, (key_id)i, s + v, len - v, line, key_col, (long)v + 3);
        }
    return bimo_fail_at(h->err, BIMO_ERR_PARSE, h->path, line, key_col,
                        "unknown key \"%.*s\" (known: id, title, definition, unit, kind, "
                        "numerator, denominator, dimensions, period, source, quelle, footnote, "
                        "chart, share_of, order, decimals, factor, parameter)",
                        (int)klen, s + spaces);
}

/* Reads the header lines; *sql_at is the offset of the first line after them. */
static bimo_status read_header(header *h, const char *text, size_t len, size_t *sql_at,
                               long *sql_line)
{
    size_t pos = 0;
    long line = 1;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        size_t l = end - pos;
        if (l && text[pos + l - 1] == '\r')
            l--;
        if (l < 2 || text[pos] != '-' || text[pos + 1] != '-')
            break;
        bimo_status st = header_line(h, text + pos + 2, l - 2, line);
        if (st != BIMO_OK)
            return st;
        pos = nl ? end + 1 : len;
        line++;
    }
    *sql_at = pos;
    *sql_line = line;
    return BIMO_OK;
}

/* ---- Values --------------------------------------------------------------------------------- */

static const entry *find_entry(const header *h, key_id k)
{
    for (size_t i = 0; i < h->n; i++)
        if (h->entries[i].key == k)
            return &h->entries[i];
    return NULL;
}

static int word_index(const char *const *words, const char *w)
{
    for (int i = 0; words[i]; i++)
        if (strcmp(words[i], w) == 0)
            return i;
    return -1;
}

static bimo_status bad_value(const header *h, const entry *e, const char *fmt, const char *what)
{
    char msg[400];
    snprintf(msg, sizeof msg, fmt, what);
    return bimo_fail_at(h->err, BIMO_ERR_PARSE, h->path, e->line, e->column, "%s: %s",
                        keys[e->key].name, msg);
}

static char *dup(const char *s)
{
    return s ? strdup(s) : NULL;
}

static bimo_status choose(const header *h, key_id k, const char *const *words, int *out)
{
    const entry *e = find_entry(h, k);
    int i = word_index(words, e->value);
    if (i < 0) {
        char list[200] = "";
        for (int j = 0; words[j]; j++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", j ? ", " : "",
                     words[j]);
        char msg[300];
        snprintf(msg, sizeof msg, "\"%s\" is not one of %s", e->value, list);
        return bad_value(h, e, "%s", msg);
    }
    *out = i;
    return BIMO_OK;
}

static int valid_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 32)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 (i > 0 && (c == '-' || c == '_' || c == '.'));
        if (!ok)
            return 0;
    }
    return 1;
}

/* Splits "a, b, c" into dims; checks each is a known dimension, once. */
static bimo_status parse_dimensions(const header *h, const entry *e, bimo_indicator *ind)
{
    const char **list = calloc(BIMO_DIM_COUNT + 1, sizeof *list);
    if (!list)
        return bimo_fail(h->err, BIMO_ERR_NOMEM, "out of memory");
    ind->dimensions = list;
    const char *p = e->value;
    while (*p) {
        while (*p == ' ' || *p == '\t')
            p++;
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        long col = e->column + (long)(p - e->value);
        char *name = strndup_trim(p, n);
        if (!name)
            return bimo_fail(h->err, BIMO_ERR_NOMEM, "out of memory");
        if (!*name || !bimo_dim_find(name)) {
            char known[400];
            bimo_dim_list(known, sizeof known);
            bimo_status st =
                bimo_fail_at(h->err, BIMO_ERR_PARSE, h->path, e->line, col,
                             "dimensions: \"%s\" is not a dimension (known: %s)", name, known);
            free(name);
            return st;
        }
        for (size_t i = 0; i < ind->ndimensions; i++)
            if (strcmp(list[i], name) == 0) {
                free(name);
                return bimo_fail_at(h->err, BIMO_ERR_PARSE, h->path, e->line, col,
                                    "dimensions: \"%s\" is listed twice", list[i]);
            }
        list[ind->ndimensions++] = name;
        p += n + (comma != NULL);
    }
    return BIMO_OK;
}

static bimo_status parse_int(const header *h, key_id k, int lo, int hi, int *out)
{
    const entry *e = find_entry(h, k);
    if (!e)
        return BIMO_OK;
    char *end;
    errno = 0;
    long v = strtol(e->value, &end, 10);
    if (errno || end == e->value || *end || v < lo || v > hi) {
        char msg[100];
        snprintf(msg, sizeof msg, "\"%s\" is not a whole number from %d to %d", e->value, lo, hi);
        return bad_value(h, e, "%s", msg);
    }
    *out = (int)v;
    return BIMO_OK;
}

static int valid_param_name(const char *s, size_t n)
{
    if (n == 0 || n > 40 || !(s[0] >= 'a' && s[0] <= 'z'))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return 0;
    return 1;
}

static bimo_status parse_params(const header *h, bimo_indicator *ind)
{
    size_t n = 0;
    for (size_t i = 0; i < h->n; i++)
        n += h->entries[i].key == K_PARAMETER;
    bimo_indicator_param *params = calloc(n + 1, sizeof *params);
    if (!params)
        return bimo_fail(h->err, BIMO_ERR_NOMEM, "out of memory");
    ind->params = params;
    for (size_t i = 0; i < h->n; i++) {
        const entry *e = &h->entries[i];
        if (e->key != K_PARAMETER)
            continue;
        const char *eq = strchr(e->value, '=');
        char *name = eq ? strndup_trim(e->value, (size_t)(eq - e->value)) : NULL;
        if (!eq || !name || !valid_param_name(name, strlen(name))) {
            free(name);
            return bad_value(h, e, "%s",
                             "expected \"name = default\" with a name of lower-case letters, "
                             "digits and _");
        }
        for (int b = 0; bimo_builtin_params[b]; b++)
            if (strcmp(bimo_builtin_params[b], name) == 0) {
                free(name);
                return bad_value(h, e, "\"%s\" is bound by bimo itself; choose another name",
                                 bimo_builtin_params[b]);
            }
        for (size_t j = 0; j < ind->nparams; j++)
            if (strcmp(params[j].name, name) == 0) {
                free(name);
                return bad_value(h, e, "parameter \"%s\" is declared twice", params[j].name);
            }
        params[ind->nparams].name = name;
        if (!(params[ind->nparams++].value = strndup_trim(eq + 1, strlen(eq + 1))))
            return bimo_fail(h->err, BIMO_ERR_NOMEM, "out of memory");
    }
    return BIMO_OK;
}

static bimo_status parse_footnotes(const header *h, bimo_indicator *ind)
{
    size_t n = 0;
    for (size_t i = 0; i < h->n; i++)
        n += h->entries[i].key == K_FOOTNOTE;
    const char **notes = calloc(n + 1, sizeof *notes);
    if (!notes)
        return bimo_fail(h->err, BIMO_ERR_NOMEM, "out of memory");
    ind->footnotes = notes;
    for (size_t i = 0; i < h->n; i++)
        if (h->entries[i].key == K_FOOTNOTE &&
            !(notes[ind->nfootnotes++] = dup(h->entries[i].value)))
            return bimo_fail(h->err, BIMO_ERR_NOMEM, "out of memory");
    return BIMO_OK;
}

static bimo_status check_required(const header *h, long line)
{
    for (int k = 0; k < K_COUNT; k++) {
        const entry *e = find_entry(h, (key_id)k);
        if (keys[k].required && !e)
            return bimo_fail_at(h->err, BIMO_ERR_PARSE, h->path, line, 1,
                                "required key \"%s\" is missing from the header", keys[k].name);
        if (e && !*e->value && k != K_DIMENSIONS)
            return bimo_fail_at(h->err, BIMO_ERR_PARSE, h->path, e->line, e->column,
                                "%s: the value is empty", keys[k].name);
    }
    return BIMO_OK;
}

/* Rules between keys: a rate needs a denominator, a share its share_of dimension. */
static bimo_status check_kind(const header *h, const bimo_indicator *ind)
{
    const entry *kind = find_entry(h, K_KIND), *share_of = find_entry(h, K_SHARE_OF);
    if (ind->kind == BIMO_KIND_RATE && !ind->denominator)
        return bimo_fail_at(h->err, BIMO_ERR_PARSE, h->path, kind->line, kind->column,
                            "kind: a rate needs the key \"denominator\"");
    if (ind->kind == BIMO_KIND_SHARE && !share_of)
        return bimo_fail_at(h->err, BIMO_ERR_PARSE, h->path, kind->line, kind->column,
                            "kind: a share needs the key \"share_of\" (the dimension whose "
                            "total is the denominator)");
    if (share_of && ind->kind != BIMO_KIND_SHARE)
        return bad_value(h, share_of, "%s", "only a share (kind: share) has share_of");
    if (share_of) {
        for (size_t i = 0; i < ind->ndimensions; i++)
            if (strcmp(ind->dimensions[i], share_of->value) == 0)
                return BIMO_OK;
        return bad_value(h, share_of, "\"%s\" is not among the dimensions", share_of->value);
    }
    return BIMO_OK;
}

static bimo_status parse_factor(const header *h, bimo_indicator *ind)
{
    ind->factor = ind->unit && strcmp(ind->unit, "%") == 0 ? 100 : 1;
    const entry *e = find_entry(h, K_FACTOR);
    if (!e)
        return BIMO_OK;
    char *end;
    double v = strtod(e->value, &end);
    if (end == e->value || *end || !(v > 0) || v > 1e9)
        return bad_value(h, e, "\"%s\" is not a positive number", e->value);
    ind->factor = v;
    return BIMO_OK;
}

static bimo_status fill(const header *h, bimo_indicator *ind)
{
#define TEXT(k) (find_entry(h, k) ? find_entry(h, k)->value : NULL)
    const entry *id = find_entry(h, K_ID);
    if (!valid_id(id->value))
        return bad_value(h, id, "\"%s\" is not an id (letters, digits, then also - _ .)",
                         id->value);
    const key_id texts[] = {K_ID,          K_TITLE,  K_DEFINITION, K_UNIT,  K_NUMERATOR,
                            K_DENOMINATOR, K_SOURCE, K_QUELLE,     K_CHART, K_SHARE_OF};
    const char **slots[] = {&ind->id,        &ind->title,       &ind->definition, &ind->unit,
                            &ind->numerator, &ind->denominator, &ind->source,     &ind->quelle,
                            &ind->chart,     &ind->share_of};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (TEXT(texts[i]) && !(*slots[i] = dup(TEXT(texts[i]))))
            return bimo_fail(h->err, BIMO_ERR_NOMEM, "out of memory");
#undef TEXT
    int kind, period, source, chart;
    bimo_status st = choose(h, K_KIND, kind_names, &kind);
    if (st == BIMO_OK)
        st = choose(h, K_PERIOD, period_names, &period);
    if (st == BIMO_OK)
        st = choose(h, K_SOURCE, source_names, &source);
    if (st == BIMO_OK && find_entry(h, K_CHART))
        st = choose(h, K_CHART, chart_names, &chart);
    if (st != BIMO_OK)
        return st;
    ind->kind = (bimo_indicator_kind)kind;
    ind->period = (bimo_period_kind)period;
    ind->order = DEFAULT_ORDER;
    ind->decimals = ind->kind == BIMO_KIND_COUNT ? 0 : 1;
    if ((st = parse_int(h, K_ORDER, -1000000, 1000000, &ind->order)) != BIMO_OK ||
        (st = parse_int(h, K_DECIMALS, 0, 6, &ind->decimals)) != BIMO_OK ||
        (st = parse_factor(h, ind)) != BIMO_OK)
        return st;
    const entry *dims = find_entry(h, K_DIMENSIONS);
    if (dims)
        st = parse_dimensions(h, dims, ind);
    else if (!(ind->dimensions = calloc(1, sizeof *ind->dimensions)))
        st = bimo_fail(h->err, BIMO_ERR_NOMEM, "out of memory");
    if (st == BIMO_OK)
        st = parse_footnotes(h, ind);
    if (st == BIMO_OK)
        st = parse_params(h, ind);
    if (st == BIMO_OK)
        st = check_kind(h, ind);
    return st;
}

/* True when text holds something other than blanks and SQL comments. */
static int has_sql(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        if (c == '-' && i + 1 < len && s[i + 1] == '-') {
            while (i < len && s[i] != '\n')
                i++;
            continue;
        }
        if (c == '/' && i + 1 < len && s[i + 1] == '*') {
            const char *end = NULL;
            for (size_t j = i + 2; j + 1 < len && !end; j++)
                if (s[j] == '*' && s[j + 1] == '/')
                    end = s + j;
            if (!end)
                return 0;
            i = (size_t)(end - s) + 1;
            continue;
        }
        return 1;
    }
    return 0;
}

bimo_status bimo_indicator_parse(const char *text, size_t len, const char *path,
                                 bimo_indicator **out, bimo_error *err)
{
    *out = NULL;
    header h = {.path = path, .err = err};
    size_t sql_at = 0;
    long sql_line = 1;
    bimo_indicator *ind = NULL;
    bimo_status st = read_header(&h, text, len, &sql_at, &sql_line);
    if (st == BIMO_OK && h.n == 0)
        st = bimo_fail_at(err, BIMO_ERR_PARSE, path, 1, 1,
                          "no header: an indicator file starts with \"-- key: value\" lines "
                          "(id, title, definition, unit, kind, numerator, period, source, "
                          "quelle)");
    if (st == BIMO_OK)
        st = check_required(&h, sql_line);
    if (st == BIMO_OK && !has_sql(text + sql_at, len - sql_at))
        st = bimo_fail_at(err, BIMO_ERR_PARSE, path, sql_line, 1, "no SQL query after the header");
    if (st == BIMO_OK && !(ind = calloc(1, sizeof *ind)))
        st = bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    if (st == BIMO_OK)
        st = fill(&h, ind);
    if (st == BIMO_OK) {
        char *sql = malloc(len - sql_at + 1);
        if (sql) {
            memcpy(sql, text + sql_at, len - sql_at);
            sql[len - sql_at] = '\0';
        }
        ind->sql = sql;
        ind->sql_line = sql_line;
        if (!sql || !(ind->path = strdup(path)))
            st = bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    }
    header_free(&h);
    if (st != BIMO_OK) {
        bimo_indicator_free(ind);
        return st;
    }
    *out = ind;
    return BIMO_OK;
}

static void free_list(const char *const *list, size_t n)
{
    if (!list)
        return;
    for (size_t i = 0; i < n; i++)
        free((char *)list[i]);
    free((void *)list);
}

void bimo_indicator_free(bimo_indicator *ind)
{
    if (!ind)
        return;
    const char *texts[] = {ind->id,        ind->title,       ind->definition, ind->unit,
                           ind->numerator, ind->denominator, ind->source,     ind->quelle,
                           ind->chart,     ind->share_of,    ind->sql,        ind->path};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        free((char *)texts[i]);
    free_list(ind->dimensions, ind->ndimensions);
    free_list(ind->footnotes, ind->nfootnotes);
    if (ind->params) {
        for (size_t i = 0; i < ind->nparams; i++) {
            free((char *)ind->params[i].name);
            free((char *)ind->params[i].value);
        }
        free((void *)ind->params);
    }
    free(ind);
}

const char *bimo_indicator_param_value(const bimo_indicator *ind, const char *name)
{
    for (size_t i = 0; i < ind->nparams; i++)
        if (strcmp(ind->params[i].name, name) == 0)
            return ind->params[i].value;
    return NULL;
}

/* ---- The catalogue -------------------------------------------------------------------------- */

struct bimo_catalogue {
    bimo_indicator **items;
    size_t n, cap;
    bimo_error *problems;
    size_t nproblems, pcap;
};

static int grow(void **array, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 16;
    void *p = realloc(*array, c * size);
    if (!p)
        return -1;
    *array = p;
    *cap = c;
    return 0;
}

static bimo_status add_problem(bimo_catalogue *cat, const bimo_error *e)
{
    if (grow((void **)&cat->problems, &cat->pcap, cat->nproblems, sizeof *cat->problems))
        return BIMO_ERR_NOMEM;
    cat->problems[cat->nproblems++] = *e;
    return BIMO_OK;
}

static bimo_status read_file(const char *path, char **text, size_t *len, bimo_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return bimo_fail_at(err, BIMO_ERR_NOINPUT, path, 0, 0, "cannot read: %s", strerror(errno));
    char *buf = malloc(MAX_FILE_BYTES + 1);
    size_t n = buf ? fread(buf, 1, MAX_FILE_BYTES + 1, f) : 0;
    int bad = ferror(f);
    fclose(f);
    if (!buf)
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    if (bad || n > MAX_FILE_BYTES) {
        free(buf);
        return bimo_fail_at(err, bad ? BIMO_ERR_IO : BIMO_ERR_PARSE, path, 0, 0,
                            bad ? "read error" : "larger than 1 MB; not an indicator file");
    }
    buf[n] = '\0';
    if (memchr(buf, '\0', n)) {
        free(buf);
        return bimo_fail_at(err, BIMO_ERR_PARSE, path, 0, 0, "binary file, not SQL text");
    }
    *text = buf;
    *len = n;
    return BIMO_OK;
}

/* Loads one file into the catalogue, or records why it could not. Only NOMEM fails. */
static bimo_status load_one(bimo_catalogue *cat, const char *path)
{
    bimo_error e;
    bimo_error_clear(&e);
    char *text = NULL;
    size_t len = 0;
    bimo_indicator *ind = NULL;
    bimo_status st = read_file(path, &text, &len, &e);
    if (st == BIMO_OK)
        st = bimo_indicator_parse(text, len, path, &ind, &e);
    free(text);
    if (st == BIMO_OK) {
        const bimo_indicator *other = bimo_catalogue_find(cat, ind->id);
        if (other) {
            bimo_fail_at(&e, BIMO_ERR_PARSE, path, 1, 1, "id \"%s\" is already defined in %s",
                         ind->id, other->path);
            bimo_indicator_free(ind);
            st = BIMO_ERR_PARSE;
        }
    }
    if (st == BIMO_ERR_NOMEM)
        return st;
    if (st != BIMO_OK)
        return add_problem(cat, &e);
    if (grow((void **)&cat->items, &cat->cap, cat->n, sizeof *cat->items)) {
        bimo_indicator_free(ind);
        return BIMO_ERR_NOMEM;
    }
    cat->items[cat->n++] = ind;
    return BIMO_OK;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int by_order(const void *a, const void *b)
{
    const bimo_indicator *x = *(bimo_indicator *const *)a, *y = *(bimo_indicator *const *)b;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return strcmp(x->id, y->id);
}

static int is_sql_name(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && name[0] != '.' && strcmp(name + n - 4, ".sql") == 0;
}

/* The *.sql names of dir, sorted, so loading does not depend on the file system's order. */
static bimo_status list_files(const char *dir, char ***names, size_t *count, bimo_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return bimo_fail_at(err, BIMO_ERR_NOINPUT, dir, 0, 0,
                            "cannot read the indicator folder: %s", strerror(errno));
    char **list = NULL;
    size_t n = 0, cap = 0;
    bimo_status st = BIMO_OK;
    struct dirent *de;
    while (st == BIMO_OK && (de = readdir(d)) != NULL) {
        if (!is_sql_name(de->d_name))
            continue;
        if (grow((void **)&list, &cap, n, sizeof *list) || !(list[n] = strdup(de->d_name)))
            st = bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
        else
            n++;
    }
    closedir(d);
    if (n)
        qsort(list, n, sizeof *list, by_name);
    *names = list;
    *count = n;
    return st;
}

bimo_status bimo_catalogue_load(const char *dir, bimo_catalogue **out, bimo_error *err)
{
    *out = NULL;
    char path[PATH_MAX], folder[PATH_MAX];
    if (!dir) {
        bimo_status st = bimo_data_dir(path, sizeof path, err);
        if (st != BIMO_OK)
            return st;
        if ((size_t)snprintf(folder, sizeof folder, "%s/indicators", path) >= sizeof folder)
            return bimo_fail(err, BIMO_ERR_ARG, "data folder path too long");
        dir = folder;
    }
    bimo_catalogue *cat = calloc(1, sizeof *cat);
    if (!cat)
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    char **names = NULL;
    size_t n = 0;
    bimo_status st = list_files(dir, &names, &n, err);
    for (size_t i = 0; i < n && st == BIMO_OK; i++) {
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, names[i]) >= sizeof path)
            continue;
        if (load_one(cat, path) != BIMO_OK)
            st = bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (st != BIMO_OK) {
        bimo_catalogue_free(cat);
        return st;
    }
    if (cat->n)
        qsort(cat->items, cat->n, sizeof *cat->items, by_order);
    *out = cat;
    return BIMO_OK;
}

void bimo_catalogue_free(bimo_catalogue *cat)
{
    if (!cat)
        return;
    for (size_t i = 0; i < cat->n; i++)
        bimo_indicator_free(cat->items[i]);
    free(cat->items);
    free(cat->problems);
    free(cat);
}

size_t bimo_catalogue_count(const bimo_catalogue *cat)
{
    return cat->n;
}

const bimo_indicator *bimo_catalogue_get(const bimo_catalogue *cat, size_t i)
{
    return i < cat->n ? cat->items[i] : NULL;
}

const bimo_indicator *bimo_catalogue_find(const bimo_catalogue *cat, const char *id)
{
    for (size_t i = 0; i < cat->n; i++)
        if (strcmp(cat->items[i]->id, id) == 0)
            return cat->items[i];
    return NULL;
}

size_t bimo_catalogue_problem_count(const bimo_catalogue *cat)
{
    return cat->nproblems;
}

const bimo_error *bimo_catalogue_problem(const bimo_catalogue *cat, size_t i)
{
    return i < cat->nproblems ? &cat->problems[i] : NULL;
}
