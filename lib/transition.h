/* transition.h — the status transitions between residence snapshots (indicator AUF-4),
 * counted once per pair of snapshots when an aufenthalt import finishes, so the indicator
 * reads a few thousand counts instead of joining two stocks of persons by pseudonym. */
#ifndef BIMO_TRANSITION_H
#define BIMO_TRANSITION_H

#include <sqlite3.h>
#include <stdint.h>

#include "bimo.h"

/* Recounts, inside the caller's transaction, every pair of aufenthalt snapshots that involves
 * one of ids[0 .. n-1] (snapshots the import wrote): with the snapshot just before and just
 * after it, and for a 31 December also with the 31 December a year before and after (the
 * comparison dates of quarterly and yearly periods). Pairs counted earlier that involve these
 * snapshots are dropped first; pairs of other snapshots stay. */
bimo_status bimo_transitions_refresh(sqlite3 *db, const int64_t *ids, int n, bimo_error *err);

#endif
