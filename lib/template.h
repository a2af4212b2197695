/* template.h — report and export templates: CommonMark (cmark) with front matter, bimo-figure
 * and bimo-table blocks and {{...}} placeholders, checked against the catalogue before any work.
 *
 * Use:
 *     bimo_template *t;
 *     bimo_template_load(path, cat, "2025", &t, &err);   // parse + validate, nothing computed
 *     bimo_template_evaluate(t, engine, intern, &err);   // every placeholder's German text
 *     for (size_t i = 0; i < t->nblocks; i++) {           // figures and tables, in order
 *         const bimo_tpl_block *b = &t->blocks[i];
 *         bimo_compute_options o = {.intern = intern, .top_n = b->top_n,
 *                                   .quantile = b->quantile_kind,
 *                                   .params = b->params, .nparams = b->nparams};
 *         bimo_compute(engine, b->ind->id, b->resolved_period, (const char *const *)b->dims,
 * b->ndims, &o, &res, &err);
 *     }
 *     bimo_template_free(t);
 *
 * Every problem found by bimo_template_load() is BIMO_ERR_PARSE (the text is malformed: unknown
 * key, unbalanced braces, a period that is not a period) or BIMO_ERR_DATA (well-formed but not
 * in the catalogue: unknown indicator, a dimension, parameter, field or period kind the
 * indicator does not allow), with the template file, line and column (1-based, in bytes). */
#ifndef BIMO_TEMPLATE_H
#define BIMO_TEMPLATE_H

#include <cmark.h>
#include <stddef.h>

#include "bimo.h"

/* A value as written in the template and where it starts; text is NULL when not given. */
typedef struct bimo_tpl_text {
    char *text;
    long line, column;
} bimo_tpl_text;

typedef enum { BIMO_TPL_FIGURE = 0, BIMO_TPL_TABLE } bimo_tpl_block_type;

/* A fenced block "```bimo-figure" or "```bimo-table" with its key: value lines. */
typedef struct bimo_tpl_block {
    bimo_tpl_block_type type;
    long line;        /* line of the opening fence */
    int number;       /* 1-based among blocks of its type, in document order ("Abbildung 3") */
    cmark_node *node; /* the code block in bimo_template.doc (owned by the document) */
    /* As written; each with the line and column where its value starts. */
    bimo_tpl_text indicator, period, by, kind, title, note, top, quantile, chart, sheet;
    bimo_tpl_text *param; /* every "param: name=value" line */
    size_t nparam;
    /* Resolved and checked against the catalogue. */
    const bimo_indicator *ind; /* owned by the catalogue */
    char *resolved_period;     /* for bimo_compute(): "2025", "2019..2025", "2025/26" */
    char **dims;               /* the "by" dimensions, in order */
    size_t ndims;
    const char **params; /* "name=value" (pointing into param[i].text) for compute options */
    size_t nparams;
    int top_n;                   /* 0: the engine's default */
    bimo_quantile quantile_kind; /* median unless "quantile:" says otherwise */
    /* Figures: the chart kind in template words (bar, hbar, grouped, stacked, stacked100,
     * line, pyramid, map): the block's "kind", else the indicator's chart metadata mapped
     * (grouped-bar -> grouped, stacked-bar -> stacked, stacked-bar-100 -> stacked100),
     * else "bar". Tables: NULL. Static text. */
    const char *chart_kind;
} bimo_tpl_block;

/* What a placeholder inserts. */
typedef enum {
    BIMO_TPL_VALUE = 0,   /* the value (a quantile indicator: its median) */
    BIMO_TPL_NUMERATOR,   /* the count, or the number of observations of a quantile */
    BIMO_TPL_DENOMINATOR, /* rates and shares only */
    BIMO_TPL_MEDIAN,      /* quantile indicators only */
    BIMO_TPL_Q1,
    BIMO_TPL_Q3,
    BIMO_TPL_PERIOD,   /* the period's German label: "2025", "Schuljahr 2025/26" */
    BIMO_TPL_STICHTAG, /* the reference date of the data, "31.12.2025" */
    BIMO_TPL_FIELD_COUNT
} bimo_tpl_field;

/* "{{ID key=value ... field}}" inside a text node of the document. */
typedef struct bimo_tpl_placeholder {
    cmark_node *node;  /* the text node (owned by the document) */
    size_t start, end; /* bytes [start, end) of "{{...}}" in the node's literal */
    long line, column; /* of the "{{" in the template file */
    const bimo_indicator *ind;
    char *period;         /* resolved as for blocks */
    char **dims, **codes; /* cell=dim:code,...: the breakdown and the row's codes (ncell each);
                           * none: the total row */
    size_t ncell;
    char **params; /* "name=value" */
    size_t nparams;
    int top_n;
    bimo_tpl_field field;
    char *text; /* set by bimo_template_evaluate(): the German text to insert */
} bimo_tpl_placeholder;

/* A parsed template. Everything is owned by it and freed by bimo_template_free(). */
struct bimo_template {
    char *path;      /* as given, used in messages */
    char *source;    /* the file's text with the front matter blanked (line numbers kept) */
    cmark_node *doc; /* parsed with CMARK_OPT_SOURCEPOS; text nodes consolidated */
    /* Front matter (NULL when not given). */
    char *title, *subtitle, *district, *authors, *date, *default_period, *kind, *sheet_prefix;
    char *period;           /* the run's period: the caller's, else the front matter's */
    bimo_tpl_block *blocks; /* figures and tables in document order */
    size_t nblocks;
    bimo_tpl_placeholder *ph; /* in document order */
    size_t nph;
};

/* Parses text (len bytes) as the template named path (used in messages) for the run's period
 * (NULL: the front matter's "period"; BIMO_ERR_ARG when neither is given) and checks it
 * against cat. Nothing is computed. *out is owned by the caller. */
bimo_status bimo_template_parse(const char *text, size_t len, const char *path,
                                const bimo_catalogue *cat, const char *period, bimo_template **out,
                                bimo_error *err);

/* Computes every placeholder's text (German, as bimo indicators compute --format table
 * writes it; the symbol when the number is not published) with engine, protected unless
 * intern. A cell of known categories that has no row is empty: "–". A code that is no
 * category of its dimension is BIMO_ERR_DATA at the placeholder. */
bimo_status bimo_template_evaluate(bimo_template *t, bimo_engine *engine, int intern,
                                   bimo_error *err);

/* The literal of text node with every placeholder in it replaced by its text (after
 * bimo_template_evaluate(); before, by the placeholder as written). Caller frees; NULL when
 * out of memory. */
char *bimo_template_node_text(const bimo_template *t, cmark_node *node);

/* Resolves a period expression for indicator ind relative to the run's period run: a literal
 * period is kept; "{P}", "{P-N}", "{P+N}" and ranges of them are converted to the indicator's
 * period kind (see report-templates/README.md). Writes the period for bimo_compute() to out.
 * On failure returns BIMO_ERR_PARSE (not a period) or BIMO_ERR_DATA (not one the indicator
 * allows) with a sentence in msg and the 1-based byte position in text in *column. */
bimo_status bimo_template_resolve_period(const char *text, const char *run,
                                         const bimo_indicator *ind, char *out, size_t size,
                                         char *msg, size_t msgsize, long *column);

/* The names of the fields, indexed by bimo_tpl_field ("value", "numerator", ...). */
extern const char *const bimo_tpl_field_names[BIMO_TPL_FIELD_COUNT];

#endif
