/* template.c — reading report and export templates: front matter, bimo-figure/bimo-table
 * blocks and {{...}} placeholders, every one checked against the catalogue with its position. */
#include "template.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dims.h"
#include "engine.h"
#include "error.h"
#include "period.h"
#include "result_text.h"
#include "values.h"

const char *const bimo_tpl_field_names[BIMO_TPL_FIELD_COUNT] = {
    "value", "numerator", "denominator", "median", "q1", "q3", "period", "stichtag",
};

/* ---- Small helpers ------------------------------------------------------------------------ */

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static void trim_span(const char **s, size_t *n)
{
    while (*n && isspace((unsigned char)**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n && isspace((unsigned char)(*s)[*n - 1]))
        (*n)--;
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

/* Appends s to a growing array of strings; -1 when out of memory. */
static int push(char ***v, size_t *n, char *s)
{
    if (!s)
        return -1;
    char **nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv) {
        free(s);
        return -1;
    }
    nv[(*n)++] = s;
    *v = nv;
    return 0;
}

/* Parse state: the template being built and where errors point. */
typedef struct {
    bimo_template *t;
    const bimo_catalogue *cat;
    bimo_error *err;
} parser;

#define FAIL(p, st, line, col, ...) bimo_fail_at((p)->err, st, (p)->t->path, line, col, __VA_ARGS__)
#define NOMEM(p)                    bimo_fail((p)->err, BIMO_ERR_NOMEM, "out of memory reading a template")

/* ---- Periods relative to the run ----------------------------------------------------------- */

/* The run period converted to the indicator's period kind. A range end of a quarterly flow
 * counts quarters, so a year stands for its last quarter there; alone it is the whole year. */
static bimo_period convert(const bimo_period *run, bimo_period_kind kind, int in_range)
{
    bimo_period p = *run, q = {0};
    int32_t end = bimo_period_end(run);
    switch (kind) {
    case BIMO_PERIOD_STICHTAG:
        if (p.type == BIMO_PT_QUARTER && !in_range)
            return (bimo_period){.type = BIMO_PT_DATE, .year = p.year, .date = end};
        if (p.type == BIMO_PT_SCHOOLYEAR)
            return (bimo_period){.type = BIMO_PT_YEAR, .year = p.year};
        return p;
    case BIMO_PERIOD_JAHR: return (bimo_period){.type = BIMO_PT_YEAR, .year = end / 10000};
    case BIMO_PERIOD_QUARTAL:
        if (p.type == BIMO_PT_QUARTER)
            return p;
        if (p.type == BIMO_PT_DATE) {
            q = (bimo_period){.type = BIMO_PT_QUARTER, .year = p.year};
            q.quarter = (p.date / 100 % 100 + 2) / 3;
            return q;
        }
        if (in_range)
            return (bimo_period){.type = BIMO_PT_QUARTER, .year = end / 10000, .quarter = 4};
        return (bimo_period){.type = BIMO_PT_YEAR,
                             .year = p.type == BIMO_PT_SCHOOLYEAR ? p.year : end / 10000};
    default:
        /* The school year whose reference date (autumn) lies in the year P, or the latest
         * one that began on or before the last day of a quarter or a date. */
        if (p.type == BIMO_PT_SCHOOLYEAR)
            return p;
        q.type = BIMO_PT_SCHOOLYEAR;
        q.year =
            p.type == BIMO_PT_YEAR ? p.year : (end % 10000 >= 1001 ? end / 10000 : end / 10000 - 1);
        return q;
    }
}

static bimo_period shift(bimo_period p, int n)
{
    if (p.type == BIMO_PT_QUARTER) {
        long o = (long)p.year * 4 + p.quarter - 1 + n;
        p.year = (int32_t)(o / 4);
        p.quarter = (int)(o % 4) + 1;
    } else if (p.type == BIMO_PT_DATE) {
        p.date = bimo_date_add_months(p.date, 12 * n);
        p.year = p.date / 10000;
    } else {
        p.year += n;
    }
    return p;
}

/* One end of a period expression: "{P}", "{P-6}", "{P+1}" or a literal, written to out. */
static int resolve_end(const char *s, size_t n, const bimo_period *run, bimo_period_kind kind,
                       int in_range, char *out, size_t size, char *msg, size_t msgsize)
{
    if (n == 0 || s[0] != '{') {
        snprintf(out, size, "%.*s", (int)n, s);
        return 0;
    }
    int off = 0;
    char sign = 0, tail[2] = "";
    int used = 0;
    if (n < 3 || s[n - 1] != '}' || s[1] != 'P' ||
        (n > 3 && (sscanf(s + 2, "%c%d%1[}]%n", &sign, &off, tail, &used) != 3 ||
                   (sign != '-' && sign != '+') || (size_t)used != n - 2 || off < 0 || off > 400 ||
                   !isdigit((unsigned char)s[3])))) {
        snprintf(msg, msgsize,
                 "\"%.*s\" is not a relative period: expected {P}, {P-N} or {P+N} (N a number "
                 "of periods), or a period such as 2025",
                 (int)n, s);
        return -1;
    }
    bimo_period p = shift(convert(run, kind, in_range), sign == '-' ? -off : off);
    bimo_period_label(&p, out, size);
    return 0;
}

bimo_status bimo_template_resolve_period(const char *text, const char *run,
                                         const bimo_indicator *ind, char *out, size_t size,
                                         char *msg, size_t msgsize, long *column)
{
    bimo_period_range rr, r;
    long col = 1;
    if (bimo_period_parse(run, &rr, msg, msgsize, &col) != 0 || rr.count != 1) {
        *column = 1;
        snprintf(msg, msgsize, "the report period \"%s\" must be one period such as 2025", run);
        return BIMO_ERR_ARG;
    }
    const char *dots = strstr(text, "..");
    const char *a = text, *b = dots ? dots + 2 : NULL;
    size_t an = dots ? (size_t)(dots - text) : strlen(text), bn = b ? strlen(b) : 0;
    trim_span(&a, &an);
    if (b)
        trim_span(&b, &bn);
    char ea[40], eb[40];
    *column = (long)(a - text) + 1;
    if (resolve_end(a, an, &rr.first, ind->period, b != NULL, ea, sizeof ea, msg, msgsize))
        return BIMO_ERR_PARSE;
    if (b) {
        *column = (long)(b - text) + 1;
        if (resolve_end(b, bn, &rr.first, ind->period, 1, eb, sizeof eb, msg, msgsize))
            return BIMO_ERR_PARSE;
        snprintf(out, size, "%s..%s", ea, eb);
    } else {
        snprintf(out, size, "%s", ea);
    }
    long pcol = 1;
    if (bimo_period_parse(out, &r, msg, msgsize, &pcol) != 0) {
        *column = 1;
        if (strcmp(out, text) != 0) /* name what the relative period became */
            snprintf(msg + strlen(msg), msgsize - strlen(msg), " (resolved to \"%s\")", out);
        return BIMO_ERR_PARSE;
    }
    bimo_error e;
    bimo_error_clear(&e);
    if (bimo_engine_check_period(ind, &r.first, &e) != BIMO_OK) {
        *column = 1;
        snprintf(msg, msgsize, "period \"%s\": %s", out, e.message);
        return BIMO_ERR_DATA;
    }
    return BIMO_OK;
}

/* ---- Front matter -------------------------------------------------------------------------- */

static const struct {
    const char *key;
    size_t offset;
} front_keys[] = {
    {"title", offsetof(bimo_template, title)},
    {"subtitle", offsetof(bimo_template, subtitle)},
    {"district", offsetof(bimo_template, district)},
    {"authors", offsetof(bimo_template, authors)},
    {"date", offsetof(bimo_template, date)},
    {"period", offsetof(bimo_template, default_period)},
    {"kind", offsetof(bimo_template, kind)},
    {"sheet_prefix", offsetof(bimo_template, sheet_prefix)},
};

/* A "key: value" line: key and value spans; -1 if there is no colon after a key. */
static int split_key(const char *line, size_t n, const char **key, size_t *kn, const char **val,
                     size_t *vn)
{
    const char *colon = memchr(line, ':', n);
    if (!colon)
        return -1;
    *key = line;
    *kn = (size_t)(colon - line);
    trim_span(key, kn);
    *val = colon + 1;
    *vn = n - (size_t)(colon + 1 - line);
    trim_span(val, vn);
    return *kn ? 0 : -1;
}

static size_t line_len(const char *s, const char *end)
{
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    return nl ? (size_t)(nl - s) : (size_t)(end - s);
}

static int is_fence(const char *s, size_t n)
{
    while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return n == 3 && memcmp(s, "---", 3) == 0;
}

static bimo_status check_front(parser *p, long line)
{
    bimo_template *t = p->t;
    if (t->kind && strcmp(t->kind, "report") != 0 && strcmp(t->kind, "export") != 0)
        return FAIL(p, BIMO_ERR_PARSE, line, 1, "kind must be report or export, not \"%s\"",
                    t->kind);
    int32_t d;
    if (t->date &&
        (strlen(t->date) != 10 || bimo_parse_date(t->date, 10, &d) != 0 || t->date[4] != '-'))
        return FAIL(p, BIMO_ERR_PARSE, line, 1,
                    "date must be an ISO date such as 2026-03-31, "
                    "not \"%s\"",
                    t->date);
    return BIMO_OK;
}

/* Reads the front matter at the start of t->source into t and blanks it (newlines kept, so
 * cmark's line numbers are the file's). */
static bimo_status parse_front(parser *p, size_t len)
{
    char *s = p->t->source, *end = s + len;
    if (!is_fence(s, line_len(s, end)))
        return BIMO_OK;
    char *cur = s + line_len(s, end);
    long line = 1;
    long date_line = 0;
    while (cur < end) {
        cur++; /* the newline */
        line++;
        size_t n = line_len(cur, end);
        if (is_fence(cur, n)) {
            for (char *c = s; c < cur + n; c++)
                *c = *c == '\n' ? '\n' : ' ';
            return check_front(p, date_line ? date_line : 1);
        }
        const char *key, *val;
        size_t kn, vn;
        const char *l = cur;
        size_t ln = n;
        while (ln && l[ln - 1] == '\r')
            ln--;
        trim_span(&l, &ln);
        if (ln == 0 || l[0] == '#') {
            cur += n;
            continue;
        }
        long col = (long)(l - cur) + 1;
        if (split_key(l, ln, &key, &kn, &val, &vn) != 0)
            return FAIL(p, BIMO_ERR_PARSE, line, col,
                        "front matter line is not \"key: value\": \"%.*s\"", (int)ln, l);
        size_t k = 0;
        while (k < sizeof front_keys / sizeof front_keys[0] &&
               (strlen(front_keys[k].key) != kn || memcmp(front_keys[k].key, key, kn) != 0))
            k++;
        if (k == sizeof front_keys / sizeof front_keys[0])
            return FAIL(p, BIMO_ERR_PARSE, line, col,
                        "unknown front matter key \"%.*s\" (known: title, subtitle, district, "
                        "authors, date, period, kind, sheet_prefix)",
                        (int)kn, key);
        char **slot = (char **)((char *)p->t + front_keys[k].offset);
        if (*slot)
            return FAIL(p, BIMO_ERR_PARSE, line, col, "front matter key \"%.*s\" given twice",
                        (int)kn, key);
        if (!(*slot = dup_n(val, vn)))
            return NOMEM(p);
        if (!strcmp(front_keys[k].key, "date") || !strcmp(front_keys[k].key, "kind"))
            date_line = line;
        cur += n;
    }
    return FAIL(p, BIMO_ERR_PARSE, 1, 1,
                "the front matter that starts here has no closing "
                "\"---\" line");
}

/* ---- Catalogue checks ---------------------------------------------------------------------- */

static int dim_allowed(const bimo_indicator *ind, const bimo_dim_spec *d)
{
    for (size_t i = 0; i < ind->ndimensions; i++) {
        const bimo_dim_spec *a = bimo_dim_find(ind->dimensions[i]);
        if (a && (a->id == d->id || (d->geo_level && a->geo_level && a->geo_level <= d->geo_level)))
            return 1;
    }
    return 0;
}

static bimo_status check_dim(parser *p, const bimo_indicator *ind, const char *name, long line,
                             long col)
{
    const bimo_dim_spec *d = bimo_dim_find(name);
    if (!d) {
        char known[400];
        bimo_dim_list(known, sizeof known);
        return FAIL(p, BIMO_ERR_DATA, line, col, "\"%s\" is not a dimension (known: %s)", name,
                    known);
    }
    if (!dim_allowed(ind, d)) {
        char list[300] = "";
        for (size_t i = 0; i < ind->ndimensions; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                     ind->dimensions[i]);
        return FAIL(p, BIMO_ERR_DATA, line, col, "%s cannot be broken down by %s; it allows %s",
                    ind->id, name, list[0] ? list : "no dimensions");
    }
    return BIMO_OK;
}

static bimo_status find_indicator(parser *p, const char *id, long line, long col,
                                  const bimo_indicator **out)
{
    *out = bimo_catalogue_find(p->cat, id);
    if (!*out)
        return FAIL(p, BIMO_ERR_DATA, line, col,
                    "unknown indicator \"%s\" (bimo indicators list shows the catalogue)", id);
    return BIMO_OK;
}

static bimo_status check_param(parser *p, const bimo_indicator *ind, const char *nv, long line,
                               long col)
{
    const char *eq = strchr(nv, '=');
    if (!eq || eq == nv)
        return FAIL(p, BIMO_ERR_PARSE, line, col, "a parameter is written name=value, not \"%s\"",
                    nv);
    for (size_t i = 0; i < ind->nparams; i++)
        if (strlen(ind->params[i].name) == (size_t)(eq - nv) &&
            !memcmp(ind->params[i].name, nv, (size_t)(eq - nv)))
            return BIMO_OK;
    return FAIL(p, BIMO_ERR_DATA, line, col, "%s has no parameter \"%.*s\"%s", ind->id,
                (int)(eq - nv), nv, ind->nparams ? "" : " (it has none)");
}

static bimo_status check_top(parser *p, const char *v, long line, long col, int *out)
{
    char *e;
    errno = 0;
    long n = strtol(v, &e, 10);
    if (!*v || *e || errno || n < 1 || n > 200)
        return FAIL(p, BIMO_ERR_PARSE, line, col, "top must be a number from 1 to 200, not \"%s\"",
                    v);
    *out = (int)n;
    return BIMO_OK;
}

static bimo_status resolve(parser *p, const bimo_indicator *ind, const char *text, long line,
                           long col, char **out)
{
    char buf[64], msg[400];
    long c = 1;
    bimo_status st = bimo_template_resolve_period(text ? text : "{P}", p->t->period, ind, buf,
                                                  sizeof buf, msg, sizeof msg, &c);
    if (st != BIMO_OK)
        return FAIL(p, st, line, text ? col + c - 1 : col, "%s", msg);
    return (*out = strdup(buf)) ? BIMO_OK : NOMEM(p);
}

/* ---- bimo-figure / bimo-table blocks -------------------------------------------------------- */

enum { F_FIG = 1, F_TAB = 2 };

static const struct {
    const char *key;
    size_t offset;
    int where; /* F_FIG, F_TAB */
} block_keys[] = {
    {"indicator", offsetof(bimo_tpl_block, indicator), F_FIG | F_TAB},
    {"period", offsetof(bimo_tpl_block, period), F_FIG | F_TAB},
    {"by", offsetof(bimo_tpl_block, by), F_FIG | F_TAB},
    {"kind", offsetof(bimo_tpl_block, kind), F_FIG},
    {"title", offsetof(bimo_tpl_block, title), F_FIG | F_TAB},
    {"note", offsetof(bimo_tpl_block, note), F_FIG | F_TAB},
    {"top", offsetof(bimo_tpl_block, top), F_FIG | F_TAB},
    {"quantile", offsetof(bimo_tpl_block, quantile), F_FIG | F_TAB},
    {"chart", offsetof(bimo_tpl_block, chart), F_TAB},
    {"sheet", offsetof(bimo_tpl_block, sheet), F_TAB},
};

static const char *const figure_kinds[] = {"bar",        "hbar", "grouped", "stacked",
                                           "stacked100", "line", "pyramid", "map"};
static const char *const table_charts[] = {"bar", "column", "line", "pie"};

static const char *in_list(const char *v, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v, list[i]))
            return list[i];
    return NULL;
}

/* The indicator's chart metadata in template words. */
static const char *default_kind(const bimo_indicator *ind)
{
    static const struct {
        const char *meta, *kind;
    } map[] = {
        {"grouped-bar", "grouped"}, {"stacked-bar", "stacked"}, {"stacked-bar-100", "stacked100"}};
    if (!ind->chart)
        return "bar";
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(ind->chart, map[i].meta))
            return map[i].kind;
    const char *k = in_list(ind->chart, figure_kinds, sizeof figure_kinds / sizeof *figure_kinds);
    return k ? k : "bar";
}

static bimo_status block_line(parser *p, bimo_tpl_block *b, const char *l, size_t n, long line,
                              long col)
{
    const char *key, *val;
    size_t kn, vn;
    const char *name = b->type == BIMO_TPL_FIGURE ? "bimo-figure" : "bimo-table";
    if (split_key(l, n, &key, &kn, &val, &vn) != 0)
        return FAIL(p, BIMO_ERR_PARSE, line, col, "%s line is not \"key: value\": \"%.*s\"", name,
                    (int)n, l);
    long vcol = col + (long)(val - l);
    if (kn == 5 && !memcmp(key, "param", 5)) {
        bimo_tpl_text *np = realloc(b->param, (b->nparam + 1) * sizeof *np);
        if (!np)
            return NOMEM(p);
        b->param = np;
        b->param[b->nparam] = (bimo_tpl_text){dup_n(val, vn), line, vcol};
        if (!b->param[b->nparam++].text)
            return NOMEM(p);
        return BIMO_OK;
    }
    for (size_t k = 0; k < sizeof block_keys / sizeof block_keys[0]; k++) {
        if (strlen(block_keys[k].key) != kn || memcmp(block_keys[k].key, key, kn) != 0)
            continue;
        if (!(block_keys[k].where & (b->type == BIMO_TPL_FIGURE ? F_FIG : F_TAB)))
            return FAIL(p, BIMO_ERR_PARSE, line, col, "key \"%.*s\" belongs in a %s block", (int)kn,
                        key, b->type == BIMO_TPL_FIGURE ? "bimo-table" : "bimo-figure");
        bimo_tpl_text *slot = (bimo_tpl_text *)((char *)b + block_keys[k].offset);
        if (slot->text)
            return FAIL(p, BIMO_ERR_PARSE, line, col,
                        "key \"%.*s\" given twice (first on line "
                        "%ld)",
                        (int)kn, key, slot->line);
        *slot = (bimo_tpl_text){dup_n(val, vn), line, vcol};
        return slot->text ? BIMO_OK : NOMEM(p);
    }
    return FAIL(p, BIMO_ERR_PARSE, line, col,
                "unknown key \"%.*s\" in %s (known: indicator, period, by, %s, title, note, param, "
                "top, quantile)",
                (int)kn, key, name, b->type == BIMO_TPL_FIGURE ? "kind" : "chart, sheet");
}

/* Column of the literal line l inside the file's line `line` (cmark strips container
 * prefixes such as "> " from a code block's content). */
static long column_of(const parser *p, long line, const char *l, size_t n)
{
    const char *s = p->t->source;
    for (long i = 1; i < line && s; i++) {
        s = strchr(s, '\n');
        s = s ? s + 1 : NULL;
    }
    if (!s)
        return 1;
    size_t sn = strcspn(s, "\n");
    for (size_t i = 0; n && i + n <= sn; i++)
        if (!memcmp(s + i, l, n))
            return (long)i + 1;
    return 1;
}

/* Splits a comma list into trimmed items; *cols gets each item's offset in v. */
static bimo_status split_list(parser *p, const char *v, long line, long col, char ***out, size_t *n,
                              long **cols)
{
    const char *s = v;
    while (1) {
        size_t len = 0; /* up to a comma outside quotes: "anerkannt, befristet" is one item */
        for (int quoted = 0; s[len] && (quoted || s[len] != ','); len++)
            quoted ^= s[len] == '"';
        const char *item = s;
        size_t in = len;
        trim_span(&item, &in);
        if (in == 0)
            return FAIL(p, BIMO_ERR_PARSE, line, col + (long)(s - v),
                        "empty item in the list "
                        "\"%s\"",
                        v);
        long *nc = realloc(*cols, (*n + 1) * sizeof *nc);
        if (!nc)
            return NOMEM(p);
        *cols = nc;
        nc[*n] = col + (long)(item - v);
        if (push(out, n, dup_n(item, in)) != 0)
            return NOMEM(p);
        if (!s[len])
            return BIMO_OK;
        s += len + 1;
    }
}

static bimo_status resolve_block(parser *p, bimo_tpl_block *b)
{
    bimo_status st;
    const char *name = b->type == BIMO_TPL_FIGURE ? "bimo-figure" : "bimo-table";
    if (!b->indicator.text || !*b->indicator.text)
        return FAIL(p, BIMO_ERR_PARSE, b->line, 1, "%s block without \"indicator:\"", name);
    if ((st = find_indicator(p, b->indicator.text, b->indicator.line, b->indicator.column,
                             &b->ind)) != BIMO_OK)
        return st;
    const bimo_indicator *ind = b->ind;
    if ((st = resolve(p, ind, b->period.text, b->period.text ? b->period.line : b->line,
                      b->period.text ? b->period.column : 1, &b->resolved_period)) != BIMO_OK)
        return st;
    if (b->by.text) {
        long *cols = NULL;
        st = split_list(p, b->by.text, b->by.line, b->by.column, &b->dims, &b->ndims, &cols);
        for (size_t i = 0; st == BIMO_OK && i < b->ndims; i++) {
            st = check_dim(p, ind, b->dims[i], b->by.line, cols[i]);
            for (size_t j = 0; st == BIMO_OK && j < i; j++)
                if (!strcmp(b->dims[i], b->dims[j]))
                    st = FAIL(p, BIMO_ERR_DATA, b->by.line, cols[i],
                              "dimension %s is given "
                              "twice",
                              b->dims[i]);
        }
        free(cols);
        if (st != BIMO_OK)
            return st;
    }
    if (b->nparam && !(b->params = calloc(b->nparam, sizeof *b->params)))
        return NOMEM(p);
    for (size_t i = 0; i < b->nparam; i++) {
        if ((st = check_param(p, ind, b->param[i].text, b->param[i].line, b->param[i].column)))
            return st;
        b->params[b->nparams++] = b->param[i].text;
    }
    if (b->top.text && (st = check_top(p, b->top.text, b->top.line, b->top.column, &b->top_n)))
        return st;
    if (b->quantile.text) {
        static const char *const q[] = {"median", "q1", "q3"};
        const bimo_tpl_text *v = &b->quantile;
        if (ind->kind != BIMO_KIND_QUANTILE)
            return FAIL(p, BIMO_ERR_DATA, v->line, v->column,
                        "%s is not a quantile indicator; "
                        "\"quantile:\" does not apply",
                        ind->id);
        size_t k = 0;
        while (k < 3 && strcmp(v->text, q[k]))
            k++;
        if (k == 3)
            return FAIL(p, BIMO_ERR_PARSE, v->line, v->column,
                        "quantile must be median, q1 or "
                        "q3, not \"%s\"",
                        v->text);
        b->quantile_kind = k == 0   ? BIMO_QUANTILE_MEDIAN
                           : k == 1 ? BIMO_QUANTILE_Q1
                                    : BIMO_QUANTILE_Q3;
    }
    if (b->type == BIMO_TPL_FIGURE) {
        b->chart_kind = b->kind.text ? in_list(b->kind.text, figure_kinds,
                                               sizeof figure_kinds / sizeof *figure_kinds)
                                     : default_kind(ind);
        if (!b->chart_kind)
            return FAIL(p, BIMO_ERR_PARSE, b->kind.line, b->kind.column,
                        "kind must be bar, hbar, grouped, stacked, stacked100, line, pyramid or "
                        "map, not \"%s\"",
                        b->kind.text);
    }
    if (b->chart.text &&
        !in_list(b->chart.text, table_charts, sizeof table_charts / sizeof *table_charts))
        return FAIL(p, BIMO_ERR_PARSE, b->chart.line, b->chart.column,
                    "chart must be bar, column, line or pie, not \"%s\"", b->chart.text);
    if (b->sheet.text && (strlen(b->sheet.text) > 31 || strpbrk(b->sheet.text, "[]:*?/\\")))
        return FAIL(p, BIMO_ERR_PARSE, b->sheet.line, b->sheet.column,
                    "a sheet name has at most 31 characters and none of [ ] : * ? / \\");
    return BIMO_OK;
}

static bimo_status parse_block(parser *p, cmark_node *node, bimo_tpl_block_type type)
{
    bimo_template *t = p->t;
    bimo_tpl_block *nb = realloc(t->blocks, (t->nblocks + 1) * sizeof *nb);
    if (!nb)
        return NOMEM(p);
    t->blocks = nb;
    bimo_tpl_block *b = &nb[t->nblocks++];
    memset(b, 0, sizeof *b);
    b->type = type;
    b->node = node;
    b->line = cmark_node_get_start_line(node);
    b->number = 1;
    for (size_t i = 0; i + 1 < t->nblocks; i++)
        b->number += t->blocks[i].type == type;
    const char *lit = cmark_node_get_literal(node);
    const char *s = lit ? lit : "";
    for (long line = b->line + 1; *s; line++) {
        size_t n = strcspn(s, "\n");
        const char *l = s;
        size_t ln = n;
        while (ln && l[ln - 1] == '\r')
            ln--;
        trim_span(&l, &ln);
        if (ln && l[0] != '#') {
            bimo_status st = block_line(p, b, l, ln, line, column_of(p, line, l, ln));
            if (st != BIMO_OK)
                return st;
        }
        s += n + (s[n] == '\n');
    }
    return resolve_block(p, b);
}

/* ---- Placeholders ------------------------------------------------------------------------- */

static bimo_status ph_field(parser *p, bimo_tpl_placeholder *ph, const char *w, size_t n, long line,
                            long col, int *seen)
{
    size_t f = 0;
    while (f < BIMO_TPL_FIELD_COUNT &&
           (strlen(bimo_tpl_field_names[f]) != n || memcmp(bimo_tpl_field_names[f], w, n)))
        f++;
    if (f == BIMO_TPL_FIELD_COUNT)
        return FAIL(p, BIMO_ERR_PARSE, line, col,
                    "unknown field \"%.*s\" (known: value, numerator, denominator, median, q1, "
                    "q3, period, stichtag)",
                    (int)n, w);
    if (*seen)
        return FAIL(p, BIMO_ERR_PARSE, line, col,
                    "a placeholder has one field; \"%.*s\" is a "
                    "second",
                    (int)n, w);
    *seen = 1;
    const bimo_indicator *ind = ph->ind;
    if (f == BIMO_TPL_DENOMINATOR && ind->kind != BIMO_KIND_RATE && ind->kind != BIMO_KIND_SHARE)
        return FAIL(p, BIMO_ERR_DATA, line, col, "%s is a %s and has no denominator", ind->id,
                    bimo_indicator_kind_name(ind->kind));
    if ((f == BIMO_TPL_MEDIAN || f == BIMO_TPL_Q1 || f == BIMO_TPL_Q3) &&
        ind->kind != BIMO_KIND_QUANTILE)
        return FAIL(p, BIMO_ERR_DATA, line, col, "%s is not a quantile indicator; it has no %.*s",
                    ind->id, (int)n, w);
    ph->field = (bimo_tpl_field)f;
    return BIMO_OK;
}

/* A code in quotes ("anerkannt befristet") loses them; a quote anywhere else is an error. */
static bimo_status unquote_code(parser *p, char *code, long line, long col)
{
    size_t n = strlen(code);
    if (n >= 2 && code[0] == '"' && code[n - 1] == '"') {
        memmove(code, code + 1, n - 2);
        code[n - 2] = '\0';
        n -= 2;
    }
    if (!n || strchr(code, '"'))
        return FAIL(p, BIMO_ERR_PARSE, line, col,
                    "a code with spaces or commas is quoted whole, e.g. "
                    "cell=schutzstatus:\"anerkannt befristet\"");
    return BIMO_OK;
}

/* cell=dim:code,dim:"code with spaces" */
static bimo_status ph_cell(parser *p, bimo_tpl_placeholder *ph, const char *v, long line, long col)
{
    char **items = NULL;
    size_t n = 0;
    long *cols = NULL;
    bimo_status st = split_list(p, v, line, col, &items, &n, &cols);
    for (size_t i = 0; st == BIMO_OK && i < n; i++) {
        char *colon = strchr(items[i], ':');
        if (!colon || colon == items[i] || !colon[1]) {
            st = FAIL(p, BIMO_ERR_PARSE, line, cols[i], "a cell is written dim:code, not \"%s\"",
                      items[i]);
            break;
        }
        *colon = '\0';
        if ((st = check_dim(p, ph->ind, items[i], line, cols[i])) != BIMO_OK ||
            (st = unquote_code(p, colon + 1, line, cols[i] + (long)(colon - items[i]) + 1)) !=
                BIMO_OK)
            break;
        if (push(&ph->dims, &ph->ncell, strdup(items[i])) != 0) {
            st = NOMEM(p);
            break;
        }
        size_t nc = ph->ncell - 1;
        if (push(&ph->codes, &nc, strdup(colon + 1)) != 0) {
            st = NOMEM(p);
            break;
        }
    }
    free_list(items, n);
    free(cols);
    return st;
}

static bimo_status ph_key(parser *p, bimo_tpl_placeholder *ph, const char *w, size_t n, long line,
                          long col, int *seen_field, int *seen_period)
{
    const char *eq = memchr(w, '=', n);
    size_t kn = (size_t)(eq - w);
    char *v = dup_n(eq + 1, n - kn - 1);
    if (!v)
        return NOMEM(p);
    long vcol = col + (long)kn + 1;
    bimo_status st = BIMO_OK;
    if (kn == 6 && !memcmp(w, "period", 6)) {
        free(ph->period);
        ph->period = NULL;
        st = *seen_period ? FAIL(p, BIMO_ERR_PARSE, line, col, "period given twice")
                          : resolve(p, ph->ind, v, line, vcol, &ph->period);
        *seen_period = 1;
    } else if (kn == 4 && !memcmp(w, "cell", 4)) {
        st = ph->ncell ? FAIL(p, BIMO_ERR_PARSE, line, col, "cell given twice")
                       : ph_cell(p, ph, v, line, vcol);
    } else if (kn == 5 && !memcmp(w, "param", 5)) {
        st = check_param(p, ph->ind, v, line, vcol);
        if (st == BIMO_OK) {
            st = push(&ph->params, &ph->nparams, v) ? NOMEM(p) : BIMO_OK;
            v = NULL;
        }
    } else if (kn == 3 && !memcmp(w, "top", 3)) {
        st = check_top(p, v, line, vcol, &ph->top_n);
    } else if (kn == 5 && !memcmp(w, "field", 5)) {
        st = ph_field(p, ph, v, strlen(v), line, vcol, seen_field);
    } else {
        st = FAIL(p, BIMO_ERR_PARSE, line, col,
                  "unknown placeholder key \"%.*s\" (known: period, cell, param, top, field)",
                  (int)kn, w);
    }
    free(v);
    return st;
}

/* The inside of "{{...}}" (s, n bytes), starting at line:col of the "{{". */
static bimo_status parse_placeholder(parser *p, bimo_tpl_placeholder *ph, const char *s, size_t n,
                                     long line, long col)
{
    size_t i = 0;
    int word = 0, seen_field = 0, seen_period = 0;
    while (i < n) {
        while (i < n && isspace((unsigned char)s[i]))
            i++;
        if (i == n)
            break;
        size_t w = i;
        int quoted = 0; /* spaces inside quotes belong to the word: cell=d:"a b" */
        for (; i < n && (quoted || !isspace((unsigned char)s[i])); i++)
            quoted ^= s[i] == '"';
        long wcol = col + 2 + (long)w;
        if (quoted)
            return FAIL(p, BIMO_ERR_PARSE, line, wcol, "a quote in \"%.*s\" is not closed",
                        (int)(i - w), s + w);
        bimo_status st;
        if (word++ == 0) {
            char *id = dup_n(s + w, i - w);
            if (!id)
                return NOMEM(p);
            st = find_indicator(p, id, line, wcol, &ph->ind);
            free(id);
        } else if (memchr(s + w, '=', i - w)) {
            st = ph_key(p, ph, s + w, i - w, line, wcol, &seen_field, &seen_period);
        } else {
            st = ph_field(p, ph, s + w, i - w, line, wcol, &seen_field);
        }
        if (st != BIMO_OK)
            return st;
    }
    if (!ph->ind)
        return FAIL(p, BIMO_ERR_PARSE, line, col,
                    "empty placeholder: expected {{ID field}}, "
                    "e.g. {{AUF-1 value}}");
    if (!seen_period)
        return resolve(p, ph->ind, NULL, line, col, &ph->period);
    return BIMO_OK;
}

/* Where the k-th tok ("{{" or "}}") of a text node is in the file: searched in the node's
 * first line from its start column (escapes and entities can make the literal differ from
 * the source; then the node's start is the best place to point at). */
static void locate(const parser *p, cmark_node *node, const char *lit, size_t off, const char *tok,
                   long *line, long *col)
{
    *line = cmark_node_get_start_line(node);
    *col = cmark_node_get_start_column(node);
    const char *s = p->t->source;
    for (long i = 1; i < *line && s; i++) {
        s = strchr(s, '\n');
        s = s ? s + 1 : NULL;
    }
    if (!s)
        return;
    size_t sn = strcspn(s, "\n");
    size_t k = 0; /* tokens before off in the literal */
    for (const char *q = lit; (q = strstr(q, tok)) && (size_t)(q - lit) < off; q += 2)
        k++;
    size_t from = *col > 0 && (size_t)*col - 1 < sn ? (size_t)*col - 1 : 0;
    for (size_t i = from; i + 1 < sn; i++) {
        if (s[i] != tok[0] || s[i + 1] != tok[1])
            continue;
        if (k-- == 0) {
            *col = (long)i + 1;
            return;
        }
        i++;
    }
}

static bimo_status scan_text(parser *p, cmark_node *node)
{
    const char *lit = cmark_node_get_literal(node);
    if (!lit)
        return BIMO_OK;
    const char *s = lit;
    long line, col;
    for (;;) {
        const char *open = strstr(s, "{{"), *close = strstr(s, "}}");
        if (!open && !close)
            return BIMO_OK;
        if (!open || (close && close < open)) {
            locate(p, node, lit, (size_t)(close - lit), "}}", &line, &col);
            return FAIL(p, BIMO_ERR_PARSE, line, col, "\"}}\" without an opening \"{{\"");
        }
        locate(p, node, lit, (size_t)(open - lit), "{{", &line, &col);
        close = strstr(open + 2, "}}");
        const char *again = strstr(open + 2, "{{");
        if (!close || (again && again < close))
            return FAIL(p, BIMO_ERR_PARSE, line, col,
                        "\"{{\" without a closing \"}}\" "
                        "(a placeholder must be on one line, without emphasis inside)");
        bimo_template *t = p->t;
        bimo_tpl_placeholder *np = realloc(t->ph, (t->nph + 1) * sizeof *np);
        if (!np)
            return NOMEM(p);
        t->ph = np;
        bimo_tpl_placeholder *ph = &np[t->nph++];
        memset(ph, 0, sizeof *ph);
        ph->node = node;
        ph->start = (size_t)(open - lit);
        ph->end = (size_t)(close + 2 - lit);
        ph->line = line;
        ph->column = col;
        bimo_status st = parse_placeholder(p, ph, open + 2, (size_t)(close - open - 2), line, col);
        if (st != BIMO_OK)
            return st;
        s = close + 2;
    }
}

/* ---- The document -------------------------------------------------------------------------- */

static bimo_status walk(parser *p)
{
    cmark_iter *it = cmark_iter_new(p->t->doc);
    if (!it)
        return NOMEM(p);
    bimo_status st = BIMO_OK;
    cmark_event_type ev;
    while (st == BIMO_OK && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        if (ev != CMARK_EVENT_ENTER)
            continue;
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type type = cmark_node_get_type(n);
        if (type == CMARK_NODE_TEXT) {
            st = scan_text(p, n);
        } else if (type == CMARK_NODE_CODE_BLOCK) {
            const char *info = cmark_node_get_fence_info(n);
            char word[32] = "";
            sscanf(info ? info : "", "%31s", word);
            if (!strcmp(word, "bimo-figure"))
                st = parse_block(p, n, BIMO_TPL_FIGURE);
            else if (!strcmp(word, "bimo-table"))
                st = parse_block(p, n, BIMO_TPL_TABLE);
            else if (!strncmp(word, "bimo-", 5))
                st = FAIL(p, BIMO_ERR_PARSE, cmark_node_get_start_line(n),
                          cmark_node_get_start_column(n),
                          "unknown block \"%s\" (known: bimo-figure, bimo-table)", word);
        }
    }
    cmark_iter_free(it);
    return st;
}

bimo_status bimo_template_parse(const char *text, size_t len, const char *path,
                                const bimo_catalogue *cat, const char *period, bimo_template **out,
                                bimo_error *err)
{
    *out = NULL;
    bimo_template *t = calloc(1, sizeof *t);
    if (!t || !(t->path = strdup(path ? path : "template")) || !(t->source = dup_n(text, len))) {
        bimo_template_free(t);
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory reading a template");
    }
    parser p = {t, cat, err};
    bimo_status st = BIMO_OK;
    if (memchr(text, '\0', len))
        st = FAIL(&p, BIMO_ERR_PARSE, 1, 1, "the template holds a NUL byte; it is not text");
    if (st == BIMO_OK)
        st = parse_front(&p, len);
    if (st == BIMO_OK) {
        const char *per = period && *period ? period : t->default_period;
        if (!per)
            st = bimo_fail(err, BIMO_ERR_ARG,
                           "%s: no period: give --period or \"period:\" in "
                           "the front matter",
                           t->path);
        else if (!(t->period = strdup(per)))
            st = NOMEM(&p);
    }
    if (st == BIMO_OK) {
        bimo_period_range r;
        char msg[300];
        long col;
        if (bimo_period_parse(t->period, &r, msg, sizeof msg, &col) != 0 || r.count != 1)
            st = bimo_fail(err, BIMO_ERR_ARG,
                           "the report period \"%s\" must be one period "
                           "such as 2025, 2025Q4 or 2025/26",
                           t->period);
    }
    if (st == BIMO_OK) {
        t->doc = cmark_parse_document(t->source, len, CMARK_OPT_SOURCEPOS);
        if (!t->doc)
            st = NOMEM(&p);
        else
            cmark_consolidate_text_nodes(t->doc);
    }
    if (st == BIMO_OK)
        st = walk(&p);
    if (st != BIMO_OK) {
        bimo_template_free(t);
        return st;
    }
    *out = t;
    return BIMO_OK;
}

bimo_status bimo_template_load(const char *path, const bimo_catalogue *cat, const char *period,
                               bimo_template **out, bimo_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return bimo_fail_at(err, BIMO_ERR_NOINPUT, path, 0, 0, "cannot open the template: %s",
                            strerror(errno));
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 4096 > cap) {
            char *nb = realloc(buf, cap = cap * 2 + 8192);
            if (!nb) {
                free(buf);
                fclose(f);
                return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory reading %s", path);
            }
            buf = nb;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return bimo_fail_at(err, BIMO_ERR_IO, path, 0, 0, "cannot read the template");
    }
    /* A BOM (Windows editors) would hide the front matter fence. */
    size_t skip = len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3) ? 3 : 0;
    bimo_status st = bimo_template_parse(buf + skip, len - skip, path, cat, period, out, err);
    free(buf);
    return st;
}

bimo_status bimo_template_default(const char *name, char *buf, size_t size, bimo_error *err)
{
    char dir[4096];
    bimo_status st = bimo_data_dir(dir, sizeof dir, err);
    if (st != BIMO_OK)
        return st;
    if ((size_t)snprintf(buf, size, "%s/report-templates/%s", dir,
                         name ? name : "bildungsbericht.md") >= size)
        return bimo_fail(err, BIMO_ERR_ARG, "template path too long");
    return BIMO_OK;
}

const char *bimo_template_period(const bimo_template *t)
{
    return t->period;
}
const char *bimo_template_title(const bimo_template *t)
{
    return t->title;
}
const char *bimo_template_kind(const bimo_template *t)
{
    return t->kind ? t->kind : "report";
}

static void free_text(bimo_tpl_text *x)
{
    free(x->text);
}

void bimo_template_free(bimo_template *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nblocks; i++) {
        bimo_tpl_block *b = &t->blocks[i];
        bimo_tpl_text *f[] = {&b->indicator, &b->period, &b->by,       &b->kind,  &b->title,
                              &b->note,      &b->top,    &b->quantile, &b->chart, &b->sheet};
        for (size_t k = 0; k < sizeof f / sizeof f[0]; k++)
            free_text(f[k]);
        for (size_t k = 0; k < b->nparam; k++)
            free_text(&b->param[k]);
        free(b->param);
        free(b->params);
        free(b->resolved_period);
        free_list(b->dims, b->ndims);
    }
    free(t->blocks);
    for (size_t i = 0; i < t->nph; i++) {
        bimo_tpl_placeholder *ph = &t->ph[i];
        free(ph->period);
        free_list(ph->dims, ph->ncell);
        free_list(ph->codes, ph->ncell);
        free_list(ph->params, ph->nparams);
        free(ph->text);
    }
    free(t->ph);
    char **front[] = {&t->title, &t->subtitle, &t->district,       &t->authors,
                      &t->date,  &t->kind,     &t->default_period, &t->sheet_prefix};
    for (size_t k = 0; k < sizeof front / sizeof front[0]; k++)
        free(*front[k]);
    free(t->period);
    if (t->doc)
        cmark_node_free(t->doc);
    free(t->source);
    free(t->path);
    free(t);
}

/* ---- Values -------------------------------------------------------------------------------- */

static int row_matches(const bimo_result *res, const bimo_result_row *row,
                       const bimo_tpl_placeholder *ph, size_t period)
{
    if (row->period != period)
        return 0;
    for (size_t d = 0; d < bimo_result_dim_count(res); d++) {
        const bimo_result_cell *c = &row->cells[d];
        size_t k = 0;
        while (k < ph->ncell && strcmp(ph->dims[k], bimo_result_dim(res, d)))
            k++;
        if (k == ph->ncell) {
            if (!c->total) /* a dimension added by the engine (share_of): its total */
                return 0;
        } else if (strcmp(c->code, ph->codes[k]) != 0 && strcasecmp(c->label, ph->codes[k]) != 0) {
            return 0;
        }
    }
    return 1;
}

/* Whether every code of the placeholder's cell is a category the engine knows (from the code
 * lists and the district profile): such a row is missing from a result because it is empty. */
static int known_cell(const bimo_engine *e, const bimo_tpl_placeholder *ph)
{
    for (size_t k = 0; k < ph->ncell; k++) {
        const bimo_dim_spec *d = bimo_dim_find(ph->dims[k]);
        const bimo_catset *set = &e->sets[d->id];
        size_t i = 0;
        while (i < set->n &&
               !(set->items[i].known && (!strcmp(set->items[i].code, ph->codes[k]) ||
                                         !strcasecmp(set->items[i].label, ph->codes[k]))))
            i++;
        if (i == set->n)
            return 0;
    }
    return 1;
}

static bimo_status ph_value(const bimo_engine *e, bimo_tpl_placeholder *ph, const bimo_result *res,
                            const char *path, bimo_error *err)
{
    size_t np = bimo_result_period_count(res), last = np - 1;
    const bimo_result_period *per = bimo_result_period_at(res, last);
    char buf[96];
    if (ph->field == BIMO_TPL_PERIOD || ph->field == BIMO_TPL_STICHTAG) {
        if (ph->field == BIMO_TPL_PERIOD)
            snprintf(buf, sizeof buf, "%s", per->label);
        else
            bimo_format_date(per->stichtag, 1, buf);
        return (ph->text = strdup(buf)) ? BIMO_OK : bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    }
    const bimo_result_row *row = NULL;
    for (size_t i = 0; i < bimo_result_row_count(res) && !row; i++)
        if (row_matches(res, bimo_result_row_at(res, i), ph, last))
            row = bimo_result_row_at(res, i);
    if (!row && known_cell(e, ph))
        return (ph->text = strdup(bimo_flag_symbol(BIMO_FLAG_ZERO)))
                   ? BIMO_OK
                   : bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    if (!row) {
        char cell[200] = "";
        for (size_t k = 0; k < ph->ncell; k++)
            snprintf(cell + strlen(cell), sizeof cell - strlen(cell), "%s%s:%s", k ? "," : "",
                     ph->dims[k], ph->codes[k]);
        return bimo_fail_at(err, BIMO_ERR_DATA, path, ph->line, ph->column,
                            "%s has no row %s for %s", ph->ind->id, cell, per->label);
    }
    const bimo_indicator *ind = ph->ind;
    switch (ph->field) {
    case BIMO_TPL_NUMERATOR:
        bimo_count_text(row, BIMO_HAS_NUMERATOR, row->numerator, buf, sizeof buf);
        break;
    case BIMO_TPL_DENOMINATOR:
        bimo_count_text(row, BIMO_HAS_DENOMINATOR, row->denominator, buf, sizeof buf);
        break;
    case BIMO_TPL_MEDIAN: bimo_value_text(ind, row, row->median, buf, sizeof buf); break;
    case BIMO_TPL_Q1: bimo_value_text(ind, row, row->q1, buf, sizeof buf); break;
    case BIMO_TPL_Q3: bimo_value_text(ind, row, row->q3, buf, sizeof buf); break;
    default: bimo_value_text(ind, row, row->value, buf, sizeof buf); break;
    }
    return (ph->text = strdup(buf)) ? BIMO_OK : bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
}

bimo_status bimo_template_evaluate(bimo_template *t, bimo_engine *engine, int intern,
                                   bimo_error *err)
{
    for (size_t i = 0; i < t->nph; i++) {
        bimo_tpl_placeholder *ph = &t->ph[i];
        bimo_compute_options o = {.intern = intern,
                                  .top_n = ph->top_n,
                                  .params = (const char *const *)ph->params,
                                  .nparams = ph->nparams};
        bimo_result *res;
        bimo_status st = bimo_compute(engine, ph->ind->id, ph->period,
                                      (const char *const *)ph->dims, ph->ncell, &o, &res, err);
        if (st != BIMO_OK)
            return bimo_fail_at(err, st, t->path, ph->line, ph->column, "%s",
                                err ? err->message : "cannot compute");
        free(ph->text);
        ph->text = NULL;
        st = ph_value(engine, ph, res, t->path, err);
        bimo_result_free(res);
        if (st != BIMO_OK)
            return st;
    }
    return BIMO_OK;
}

char *bimo_template_node_text(const bimo_template *t, cmark_node *node)
{
    const char *lit = cmark_node_get_literal(node);
    if (!lit)
        lit = "";
    size_t cap = strlen(lit) + 1, len = 0, from = 0;
    for (size_t i = 0; i < t->nph; i++)
        if (t->ph[i].node == node && t->ph[i].text)
            cap += strlen(t->ph[i].text);
    char *out = malloc(cap);
    if (!out)
        return NULL;
    for (size_t i = 0; i < t->nph; i++) {
        const bimo_tpl_placeholder *ph = &t->ph[i];
        if (ph->node != node || !ph->text)
            continue;
        memcpy(out + len, lit + from, ph->start - from);
        len += ph->start - from;
        memcpy(out + len, ph->text, strlen(ph->text));
        len += strlen(ph->text);
        from = ph->end;
    }
    strcpy(out + len, lit + from);
    return out;
}
