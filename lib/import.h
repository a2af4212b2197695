/* import.h — the registry sources as data: one static array of column specs per source,
 * read by the single import engine in import.c. */
#ifndef BIMO_IMPORT_H
#define BIMO_IMPORT_H

#include <stdint.h>

#include "bimo.h"

typedef enum {
    BIMO_T_PERSON,    /* identifier, replaced by its keyed hash */
    BIMO_T_DATE,      /* DD.MM.YYYY or YYYY-MM-DD -> yyyymmdd */
    BIMO_T_CODE,      /* member of code list `codelist` -> its id */
    BIMO_T_STAAT,     /* Destatis state code or ISO alpha-3 -> Destatis number */
    BIMO_T_AGS,       /* municipality of the district -> AGS number */
    BIMO_T_AGS_ANY,   /* any 8-digit municipality key (e.g. a pupil's home outside) */
    BIMO_T_INT,       /* integer within [min, max] */
    BIMO_T_BOOL,      /* 0/1, ja/nein */
    BIMO_T_SCHULJAHR, /* "2024/25" -> 2024 */
    BIMO_T_TEXT,      /* kept as text (school numbers keep their leading zeros) */
} bimo_value_type;

enum {
    BIMO_REQUIRED = 1 << 0,
    BIMO_SNAPSHOT_KEY = 1 << 1, /* defines the snapshot (stichtag or schuljahr); not a column */
    BIMO_KEY = 1 << 2,          /* part of the row's unique key within its snapshot */
    BIMO_BIRTH = 1 << 3,        /* birth date: not after the reference date, age <= 120 */
    BIMO_NOT_AFTER = 1 << 4,    /* a date that cannot lie after the reference date */
};

typedef struct bimo_column_spec {
    const char *name;    /* canonical name = column in the store (person_id -> person) */
    const char *aliases; /* '|'-separated German/English spellings */
    bimo_value_type type;
    unsigned flags;
    const char *codelist; /* BIMO_T_CODE: list in indicators/codes/ */
    int min, max;         /* BIMO_T_INT */
} bimo_column_spec;

/* "a <= b" for two date columns of a row. */
typedef struct bimo_date_order {
    const char *earlier, *later;
} bimo_date_order;

typedef struct bimo_source_spec {
    const char *name;  /* also the fact table's name */
    const char *title; /* for messages */
    const bimo_column_spec *columns;
    const bimo_date_order *orders;
} bimo_source_spec;

/* The spec of a source, or NULL. */
const bimo_source_spec *bimo_source_find(const char *name);

/* The store column a spec column is written to (person_id -> person, schueler_id ->
 * schueler, others unchanged). */
const char *bimo_source_store_column(const bimo_column_spec *col);

/* Header names that reveal names or addresses; an extract that has one is refused. */
int bimo_is_personal_column(const char *normalized_header);

#endif
