/* export.h — the export's tables without a template, for the library's own tests. */
#ifndef BIMO_EXPORT_H
#define BIMO_EXPORT_H

#include "bimo.h"

/* One table of an export, as a template's bimo-table block gives it. */
typedef struct bimo_export_table {
    const char *indicator;   /* id, e.g. "AUF-1" */
    const char *period;      /* a literal period or range (see bimo_compute) */
    const char *const *dims; /* breakdown; may be NULL when ndims is 0 */
    size_t ndims;
    const char *title;         /* NULL: the indicator's title */
    const char *note;          /* an extra footnote, or NULL */
    const char *sheet;         /* workbook sheet name, or NULL */
    const char *chart;         /* native workbook chart kind, or NULL */
    const char *const *params; /* "name=value" */
    size_t nparams;
    int top_n; /* dimension staat; 0 means 10 */
    bimo_quantile quantile;
} bimo_export_table;

/* What the manifest and the workbook's cover say about the release. */
typedef struct bimo_export_info {
    const char *template_path; /* recorded with its SHA-256; may be NULL */
    const char *period;        /* the run's period; may be NULL */
    const char *title;         /* NULL: "Quartalsexport" */
    const char *subtitle;      /* may be NULL */
    const char *producer;      /* the workbook's producer; NULL: the profile's */
} bimo_export_info;

/* bimo_export() for tables[0 .. n-1] given directly. */
bimo_status bimo_export_tables(bimo_store *store, const bimo_catalogue *cat,
                               const bimo_export_table *tables, size_t n,
                               const bimo_export_info *info, const char *dir,
                               const bimo_export_options *opt, bimo_error *err);

#endif
