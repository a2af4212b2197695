/* fuzz_template.c — the report and export template parser on arbitrary text: front matter,
 * CommonMark, bimo-figure and bimo-table blocks, {{...}} placeholders and period expressions,
 * checked against the real indicator catalogue; then the placeholder expander over every text
 * node that holds one. A refused template names a line of the text and says why; an accepted
 * one has every block and placeholder tied to an indicator and a resolved period. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "bimo.h"
#include "template.h"

static bimo_catalogue *cat;

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_template: broken promise: %s\n", what);
        abort();
    }
}

static void free_catalogue(void)
{
    bimo_catalogue_free(cat);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char dir[4096];
    bimo_error err;
    if (bimo_data_dir(dir, sizeof dir - 16, &err) != BIMO_OK) {
        fprintf(stderr, "fuzz_template: %s\n", err.message);
        abort();
    }
    strcat(dir, "/indicators");
    if (bimo_catalogue_load(dir, &cat, &err) != BIMO_OK) {
        fprintf(stderr, "fuzz_template: %s: %s\n", dir, err.message);
        abort();
    }
    atexit(free_catalogue);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The first byte picks the run's period: the front matter's, a year, a quarter or a
     * school year. */
    static const char *const periods[] = {NULL, "2025", "2025Q3", "2024/25"};
    if (size < 1)
        return 0;
    const char *period = periods[data[0] & 3];
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    size_t lines = 1;
    for (size_t i = 0; i < len; i++) /* CommonMark ends lines at LF, CR LF and a lone CR */
        lines += text[i] == '\n' || (text[i] == '\r' && (i + 1 == len || text[i + 1] != '\n'));

    bimo_template *t = NULL;
    bimo_error err;
    bimo_error_clear(&err);
    bimo_status st = bimo_template_parse(text, len, "fuzz.md", cat, period, &t, &err);
    if (st != BIMO_OK) {
        check(t == NULL, "a refused template gives nothing");
        check(st == BIMO_ERR_PARSE || st == BIMO_ERR_DATA || st == BIMO_ERR_ARG,
              "a refused template is a parse, data or argument error");
        check(err.message[0] != '\0', "the error says why");
        check(err.line >= 0 && (size_t)err.line <= lines + 1, "the error names a line of the text");
        return 0;
    }
    check(t != NULL && t->period != NULL, "an accepted template has a period");
    for (size_t i = 0; i < t->nblocks; i++)
        check(t->blocks[i].ind != NULL, "every block names an indicator");
    for (size_t i = 0; i < t->nph; i++) {
        const bimo_tpl_placeholder *p = &t->ph[i];
        check(p->ind != NULL && p->period != NULL, "every placeholder is resolved");
        check(p->start < p->end && p->line >= 1 && (size_t)p->line <= lines,
              "a placeholder has a place in the text");
        char *s = bimo_template_node_text(t, p->node);
        check(s != NULL, "the expander returns text");
        free(s);
    }
    bimo_template_free(t);
    return 0;
}
