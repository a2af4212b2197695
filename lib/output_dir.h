/* export_dir.h — the export folder: built beside the target, swapped into place atomically,
 * leftovers of killed runs removed by the next run. */
#ifndef BIMO_EXPORT_DIR_H
#define BIMO_EXPORT_DIR_H

#include "bimo.h"

#define BIMO_EXPORT_MANIFEST "manifest.json"
#define BIMO_EXPORT_FORMAT   "bimo-export/1" /* the manifest's "format" */

typedef struct bimo_export_dir {
    char path[4400];   /* the target, e.g. "out/2025Q3" */
    char parent[4096]; /* its folder ("out") */
    char base[256];    /* its name ("2025Q3") */
    char tmp[4400];    /* the folder being built; "" when none */
    int lock_fd;       /* holds flock() on tmp while the run lives */
} bimo_export_dir;

/* Splits path into folder and name; BIMO_ERR_ARG for ".", "/" and the like. */
bimo_status bimo_export_dir_init(bimo_export_dir *d, const char *path, bimo_error *err);

/* BIMO_OK when the target does not exist, or exists, force is set and it holds an earlier
 * export (a manifest of this format); else BIMO_ERR_CANTCREATE. */
bimo_status bimo_export_dir_check(const bimo_export_dir *d, int force, bimo_error *err);

/* Removes temporary folders of this target that no running export holds; returns how many. */
int bimo_export_dir_cleanup(const bimo_export_dir *d);

/* Creates and locks the temporary folder d->tmp. */
bimo_status bimo_export_dir_begin(bimo_export_dir *d, bimo_error *err);

/* Syncs the temporary folder and renames it to the target (with force, exchanged with the
 * earlier export, which is then removed). BIMO_ERR_CANTCREATE if the target appeared and
 * force is not set. On failure the temporary folder stays for bimo_export_dir_abort(). */
bimo_status bimo_export_dir_commit(bimo_export_dir *d, int force, bimo_error *err);

/* Removes the temporary folder, if any, and drops its lock. */
void bimo_export_dir_abort(bimo_export_dir *d);

#endif
