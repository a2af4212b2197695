/* fuzz_indicator.c — the indicator-file parser ("-- key: value" header, then the query) on
 * arbitrary text. A parsed indicator must be complete: an id, a title, a query, and every
 * string and array it promises readable; a refused file names a line within the text (or
 * the one just below its end). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalogue.h"

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_indicator: broken promise: %s\n", what);
        abort();
    }
}

static size_t touch(const char *s) /* reads the whole string, so ASan sees a bad pointer */
{
    return s ? strlen(s) : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bimo_indicator *ind = NULL;
    bimo_error err;
    bimo_error_clear(&err);
    bimo_status st = bimo_indicator_parse((const char *)data, size, "fuzz.sql", &ind, &err);
    size_t lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';
    if (st != BIMO_OK) {
        check(ind == NULL, "a refused file gives no indicator");
        check(st == BIMO_ERR_PARSE || st == BIMO_ERR_DATA, "a refused file is a parse error");
        /* a key missing from a header that ends the text is reported just below it */
        check(err.line >= 0 && (size_t)err.line <= lines + 1, "the error names a line of the text");
        check(err.message[0] != '\0', "the error has a message");
        return 0;
    }
    check(ind && ind->id && ind->title && ind->sql, "an indicator has id, title and query");
    size_t n = touch(ind->id) + touch(ind->title) + touch(ind->definition) + touch(ind->unit) +
               touch(ind->numerator) + touch(ind->denominator) + touch(ind->source) +
               touch(ind->quelle) + touch(ind->chart) + touch(ind->share_of) + touch(ind->sql);
    for (size_t i = 0; i < ind->ndimensions; i++)
        n += touch(ind->dimensions[i]);
    for (size_t i = 0; i < ind->nfootnotes; i++)
        n += touch(ind->footnotes[i]);
    for (size_t i = 0; i < ind->nparams; i++) {
        n += touch(ind->params[i].name) + touch(ind->params[i].value);
        check(bimo_indicator_param_value(ind, ind->params[i].name) != NULL,
              "every parameter can be looked up");
    }
    check(ind->sql_line >= 1 && (size_t)ind->sql_line <= lines, "the query starts on a line");
    check(strlen(bimo_indicator_kind_name(ind->kind)) > 1, "the kind has a name");
    check(strlen(bimo_period_kind_name(ind->period)) > 1, "the period has a name");
    (void)n;
    bimo_indicator_free(ind);
    return 0;
}
