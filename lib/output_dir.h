/* output_dir.h — an output folder (an export, a report): built beside the target, swapped into
 * place atomically, leftovers of killed runs removed by the next run. */
#ifndef BIMO_OUTPUT_DIR_H
#define BIMO_OUTPUT_DIR_H

#include "bimo.h"

#define BIMO_EXPORT_MANIFEST "manifest.json"
#define BIMO_EXPORT_FORMAT   "bimo-export/1" /* the manifest's "format" */

/* What a folder of this kind holds, so that --force replaces an earlier one and never some
 * other folder that happens to have the name: a file, and text its first bytes contain. */
typedef struct bimo_output_kind {
    const char *what;        /* "export", "report": for messages */
    const char *marker;      /* e.g. "manifest.json" */
    const char *marker_text; /* e.g. "\"bimo-export/1\"" */
} bimo_output_kind;

extern const bimo_output_kind bimo_output_export, bimo_output_report;

typedef struct bimo_output_dir {
    const bimo_output_kind *kind;
    char path[4400];   /* the target, e.g. "out/2025Q3" */
    char parent[4096]; /* its folder ("out") */
    char base[256];    /* its name ("2025Q3") */
    char tmp[4400];    /* the folder being built; "" when none */
    int lock_fd;       /* holds flock() on tmp while the run lives */
} bimo_output_dir;

/* Splits path into its folder ("." when none) and name; "out/" names the folder "out". */
void bimo_output_split_path(const char *path, char *parent, size_t psize, char *base, size_t bsize);

/* The temporary name of a file or folder being written for parent/base. */
#define BIMO_OUTPUT_TMP_TAG ".bimo-tmp-"

/* Removes ".<base>.bimo-tmp-XXXXXX" files and folders in parent that no running run holds
 * (flock): what runs that were killed left. Returns how many. */
int bimo_output_remove_leftovers(const char *parent, const char *base);

/* Splits path into folder and name; BIMO_ERR_ARG for ".", "/" and the like. */
bimo_status bimo_output_dir_init(bimo_output_dir *d, const bimo_output_kind *kind, const char *path,
                                 bimo_error *err);

/* BIMO_OK when the target does not exist, or exists, force is set and it holds an earlier
 * folder of this kind (its marker); else BIMO_ERR_CANTCREATE. */
bimo_status bimo_output_dir_check(const bimo_output_dir *d, int force, bimo_error *err);

/* Removes temporary folders of this target that no running run holds; returns how many. */
int bimo_output_dir_cleanup(const bimo_output_dir *d);

/* Creates and locks the temporary folder d->tmp. */
bimo_status bimo_output_dir_begin(bimo_output_dir *d, bimo_error *err);

/* Syncs the temporary folder and renames it to the target (with force, exchanged with the
 * earlier folder, which is then removed). BIMO_ERR_CANTCREATE if the target appeared and
 * force is not set. On failure the temporary folder stays for bimo_output_dir_abort(). */
bimo_status bimo_output_dir_commit(bimo_output_dir *d, int force, bimo_error *err);

/* Removes the temporary folder, if any, and drops its lock. */
void bimo_output_dir_abort(bimo_output_dir *d);

#endif
