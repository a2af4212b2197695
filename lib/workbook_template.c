/* workbook_template.c — a workbook from a template: every bimo-table block computed with its
 * own period, breakdown and parameters, then written by bimo_workbook_write(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "template.h"
#include "workbook.h"

static const char *text_or_null(const bimo_tpl_text *x)
{
    return x->text && *x->text ? x->text : NULL;
}

/* The sheet of a block: its "sheet:", else the front matter's sheet_prefix and the id. */
static const char *block_sheet(const bimo_template *t, const bimo_tpl_block *b, char *buf,
                               size_t size)
{
    if (text_or_null(&b->sheet))
        return b->sheet.text;
    if (!t->sheet_prefix || !*t->sheet_prefix)
        return NULL;
    snprintf(buf, size, "%s%s", t->sheet_prefix, b->ind->id);
    return buf;
}

bimo_status bimo_workbook_write_template(const char *path, bimo_engine *engine,
                                         const bimo_template *t, const bimo_workbook_options *opt,
                                         bimo_error *err)
{
    if (!path || !engine || !t)
        return bimo_fail(err, BIMO_ERR_ARG,
                         "bimo_workbook_write_template: path, engine and "
                         "template are required");
    size_t n = 0;
    for (size_t i = 0; i < t->nblocks; i++)
        n += t->blocks[i].type == BIMO_TPL_TABLE;
    if (n == 0)
        return bimo_fail_at(err, BIMO_ERR_DATA, t->path, 0, 0,
                            "the template has no bimo-table block to put into a workbook");
    bimo_workbook_table *tables = calloc(n, sizeof *tables);
    bimo_result **results = calloc(n, sizeof *results);
    char(*sheets)[BIMO_SHEET_NAME_SIZE] = calloc(n, sizeof *sheets);
    bimo_status st =
        tables && results && sheets ? BIMO_OK : bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    int intern = opt && opt->intern;
    for (size_t i = 0, k = 0; i < t->nblocks && st == BIMO_OK; i++) {
        const bimo_tpl_block *b = &t->blocks[i];
        if (b->type != BIMO_TPL_TABLE)
            continue;
        bimo_compute_options o = {.intern = intern,
                                  .top_n = b->top_n,
                                  .quantile = b->quantile_kind,
                                  .params = b->params,
                                  .nparams = b->nparams};
        st = bimo_compute(engine, b->ind->id, b->resolved_period, (const char *const *)b->dims,
                          b->ndims, &o, &results[k], err);
        if (st != BIMO_OK) {
            /* say which block failed: the engine's message, at the block's line */
            if (err && !err->file[0])
                snprintf(err->file, sizeof err->file, "%s", t->path);
            if (err && !err->line)
                err->line = b->line;
            break;
        }
        tables[k] = (bimo_workbook_table){
            .result = results[k],
            .title = text_or_null(&b->title),
            .note = text_or_null(&b->note),
            .sheet = block_sheet(t, b, sheets[k], sizeof sheets[k]),
            .chart = text_or_null(&b->chart),
        };
        k++;
    }
    if (st == BIMO_OK) {
        bimo_workbook_options wo = opt ? *opt : (bimo_workbook_options){0};
        if (!wo.title)
            wo.title = t->title;
        if (!wo.subtitle)
            wo.subtitle = t->subtitle;
        if (!wo.producer)
            wo.producer = t->authors;
        st = bimo_workbook_write(path, tables, n, &wo, err);
    }
    for (size_t i = 0; results && i < n; i++)
        bimo_result_free(results[i]);
    free(results);
    free(tables);
    free(sheets);
    return st;
}
