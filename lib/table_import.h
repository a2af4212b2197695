/* table_import.h — the pieces of the generic table import (bimo import table NAME) that work on
 * single values: official-statistics symbols, column typing by inspection, column names. */
#ifndef BIMO_TABLE_IMPORT_H
#define BIMO_TABLE_IMPORT_H

#include <stddef.h>
#include <stdint.h>

/* The type a column of ext_NAME gets. */
typedef enum {
    BIMO_COL_TEXT,    /* kept as written (codes with leading zeros, names, mixed content) */
    BIMO_COL_INTEGER, /* whole numbers, "1.234" read as German thousands grouping */
    BIMO_COL_REAL,    /* decimals, German "1.234,5" or plain "1234.5" (one style per column) */
    BIMO_COL_DATE,    /* DD.MM.YYYY or YYYY-MM-DD, stored as the integer yyyymmdd */
} bimo_col_type;

/* How the numbers of a column are written; decides what a dot means. */
typedef enum {
    BIMO_NUM_GERMAN, /* ',' is the decimal mark, '.' groups thousands */
    BIMO_NUM_PLAIN,  /* '.' is the decimal mark, no grouping */
} bimo_num_style;

/* What inspection learned about one column so far, in constant memory. */
typedef struct bimo_col_stats {
    int64_t values;          /* non-empty cells that are not a symbol */
    int64_t symbols;         /* cells holding an official-statistics symbol */
    unsigned not_number : 1; /* a value that is no number (or a code with a leading zero) */
    unsigned not_date : 1;   /* a value that is no date */
    unsigned comma : 1;      /* "12,5": German decimal comma */
    unsigned dot : 1;        /* "12.5", "0.25", "1.2345": only a decimal point fits */
    unsigned grouped : 1;    /* "1.234.567", "1.234,5": only thousands grouping fits */
    unsigned ambiguous : 1;  /* "1.234": grouping or decimal point */
} bimo_col_stats;

/* 1 if the whole cell is an official-statistics symbol standing for a missing value:
 * - – — . • x X / … ... * k g u t [n] [g] [u] [x] [t] [k] (DIN 55301 and LSN letter codes). */
int bimo_table_is_symbol(const char *s, size_t len);

/* Adds one cell (UTF-8, spaces around it already trimmed) to the column's statistics. */
void bimo_col_observe(bimo_col_stats *c, const char *s, size_t len);

/* Adds the statistics of `from` to `into` (rows held back and then found to be data). */
void bimo_col_merge(bimo_col_stats *into, const bimo_col_stats *from);

/* The type every observed value fits, and for numbers how they are written. A column with
 * only symbols is INTEGER (a numeric column that is entirely suppressed); an empty one TEXT. */
bimo_col_type bimo_col_decide(const bimo_col_stats *c, bimo_num_style *style);

/* Converts a value of a column whose type was decided as INTEGER, REAL or DATE (dates as
 * yyyymmdd into *i). Returns 0, or -1 if the text does not fit (then store it as text). */
int bimo_col_parse_int(const char *s, size_t len, int64_t *out);
int bimo_col_parse_real(const char *s, size_t len, bimo_num_style style, double *out);

/* Writes the column name for header cell `text` (field index `index`, 0-based): lower case,
 * umlauts folded (ä -> ae, ß -> ss), every other run of characters outside [a-z0-9] turned
 * into one '_', no '_' at either end; "c_" before a leading digit; "column_N" (1-based) when
 * nothing is left. Returns the name's length (at most size - 1, and at most 60). */
size_t bimo_table_column_name(const char *text, size_t len, int index, char *out, size_t size);

/* 1 if name is a valid table NAME: [a-z][a-z0-9_]{0,40}. */
int bimo_table_name_valid(const char *name);

#endif
