/* catalogue.h — indicator files: the "-- key: value" header and the query below it.
 * The public side (loading a folder, lookup) is declared in bimo.h. */
#ifndef BIMO_CATALOGUE_H
#define BIMO_CATALOGUE_H

#include <stddef.h>

#include "bimo.h"

/* Parameters the engine binds itself; an indicator's own parameters may not use these names. */
extern const char *const bimo_builtin_params[];

/* Parses the text of one indicator file (path is used in messages). Every problem is reported
 * as BIMO_ERR_PARSE with path, line and column. *out is owned by the caller
 * (bimo_indicator_free). */
bimo_status bimo_indicator_parse(const char *text, size_t len, const char *path,
                                 bimo_indicator **out, bimo_error *err);

void bimo_indicator_free(bimo_indicator *ind);

/* The value of parameter name of ind (its default), or NULL. */
const char *bimo_indicator_param_value(const bimo_indicator *ind, const char *name);

#endif
