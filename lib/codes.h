/* codes.h — code lists (the files in indicators/codes and the district profile) in memory and in
 * the store. A code's id is stable for the life of a store: facts store ids, not text. */
#ifndef BIMO_CODES_H
#define BIMO_CODES_H

#include <stddef.h>
#include <stdint.h>

#include "bimo.h"

typedef struct bimo_codelist bimo_codelist;

/* Writes the matching key of text: lower case, umlauts folded (ä -> ae, ß -> ss), and
 * spaces, '§', '.', '_' and '-' removed. Returns the key length (truncated to size - 1). */
size_t bimo_normalize_key(const char *text, size_t len, char *out, size_t size);

/* Loads the code list file path (the first column is the code; an optional column "aliase" holds
 * '|'-separated alternative spellings). name is the list's name (e.g. "schulform"). */
bimo_status bimo_codelist_load(const char *path, const char *name, bimo_codelist **out,
                               bimo_error *err);
void bimo_codelist_free(bimo_codelist *list);

/* The district profile folder: $BIMO_PROFILE, else the bundled Landkreis Osnabrück. */
bimo_status bimo_profile_dir(char *buf, size_t size, bimo_error *err);

/* Loads the district's municipalities (profile gemeinden.csv, code = 8-digit AGS). */
bimo_status bimo_codelist_load_municipalities(bimo_codelist **out, bimo_error *err);

/* Loads <datadir>/indicators/codes/<name>.csv. */
bimo_status bimo_codelist_load_named(const char *name, bimo_codelist **out, bimo_error *err);

/* Copies the list into table code_<name> of db (creating or extending it), keeping ids of
 * codes seen before, and sets the in-memory ids from it. Numeric codes (Destatis state
 * codes, AGS) use their number as id. */
struct sqlite3;
bimo_status bimo_codelist_sync(bimo_codelist *list, struct sqlite3 *db, bimo_error *err);

/* Finds text (code or alias, matched by bimo_normalize_key) and returns its row index, or
 * -1. */
int bimo_codelist_find(const bimo_codelist *list, const char *text, size_t len);

size_t bimo_codelist_size(const bimo_codelist *list);
const char *bimo_codelist_name(const bimo_codelist *list);
int64_t bimo_codelist_id(const bimo_codelist *list, int row);
const char *bimo_codelist_code(const bimo_codelist *list, int row);
/* The value of column `column` in row, or NULL if the list has no such column. */
const char *bimo_codelist_value(const bimo_codelist *list, int row, const char *column);

/* Adds an alias for row (e.g. ISO alpha-3 codes for states). */
bimo_status bimo_codelist_add_alias(bimo_codelist *list, int row, const char *alias);

#endif
