/* summary.h — the per-snapshot count tables (melderegister_summary, aufenthalt_summary,
 * schule_summary),
 * counted in memory while the import loads a file and written when it finishes. */
#ifndef BIMO_SUMMARY_H
#define BIMO_SUMMARY_H

#include <sqlite3.h>
#include <stdint.h>

#include "bimo.h"

#define BIMO_SUMMARY_INPUTS 8         /* most fact columns a summary reads */
#define BIMO_SUMMARY_NULL   INT64_MIN /* an input value that is NULL */

typedef struct bimo_summary bimo_summary;

/* Starts the counts of one import of source. *out is NULL (and BIMO_OK returned) when the
 * source has no summary table. Free with bimo_summary_free(). */
bimo_status bimo_summary_new(const char *source, bimo_summary **out, bimo_error *err);
void bimo_summary_free(bimo_summary *sum); /* NULL is fine */

/* How many fact columns the summary reads (at most BIMO_SUMMARY_INPUTS). */
int bimo_summary_inputs(const bimo_summary *sum);

/* The fact column whose value is input i (0 .. bimo_summary_inputs() - 1), e.g. "geburtsdatum". */
const char *bimo_summary_input(const bimo_summary *sum, int i);

/* Adds delta (1 for a loaded row, -1 for a row removed again) to the count of the row with
 * the input values in[] (BIMO_SUMMARY_NULL for NULL) in the snapshot with index snapshot
 * (0 .. 63, the import's own numbering) and reference date stichtag (yyyymmdd).
 * Returns 0; 1 when the table is full and should be flushed; -1 when out of memory. */
int bimo_summary_add(bimo_summary *sum, int snapshot, int32_t stichtag, const int64_t in[],
                     int64_t delta);

/* The summary table of the source, e.g. "melderegister_summary". */
const char *bimo_summary_table(const bimo_summary *sum);

/* Adds the counts held in memory to the summary table (snapshot_ids maps the import's
 * snapshot numbers to store ids) and empties the memory. Inside the caller's transaction;
 * a replaced snapshot's old rows must have been deleted before its first flush. Counts that
 * end at 0 are left as rows with n = 0; the caller deletes them when the import is done. */
bimo_status bimo_summary_flush(bimo_summary *sum, sqlite3 *db, const int64_t *snapshot_ids,
                               bimo_error *err);

#endif
