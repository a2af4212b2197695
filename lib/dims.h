/* dims.h — the dimensions indicators are broken down by: their names, German titles, the
 * code lists that label them and how the municipality hierarchy is layered. */
#ifndef BIMO_DIMS_H
#define BIMO_DIMS_H

#include <stddef.h>

typedef enum {
    BIMO_DIM_GEMEINDE = 0,
    BIMO_DIM_KOMMUNE,
    BIMO_DIM_REGION,
    BIMO_DIM_GESCHLECHT,
    BIMO_DIM_ALTERSGRUPPE,
    BIMO_DIM_DEUTSCH,
    BIMO_DIM_STAAT,
    BIMO_DIM_SCHUTZSTATUS,
    BIMO_DIM_KURSART,
    BIMO_DIM_SCHULFORM,
    BIMO_DIM_ABSCHLUSS,
    BIMO_DIM_BERECHTIGUNG_ART,
    BIMO_DIM_AUSGESTELLT_VON,
    BIMO_DIM_DTZ_ERGEBNIS,
    BIMO_DIM_BILDUNGSGANG,
    BIMO_DIM_SCHUTZSTATUS_VORHER,
    BIMO_DIM_COUNT
} bimo_dim_id;

typedef struct bimo_dim_spec {
    bimo_dim_id id;
    const char *name;  /* as in indicator files and --by */
    const char *title; /* German column title */
    int geo_level;     /* 1 gemeinde, 2 kommune, 3 region; 0 not geographic */
    /* Labels: code list indicators/codes/<codelist>.csv, the code in column code_col (NULL:
     * the first column, with its aliases), the label in label_col, the order by sort_col
     * (NULL: file order); column names as the code list stores them (bimo_normalize_key:
     * kategorie_bezeichnung -> kategoriebezeichnung). Geographic dimensions are labelled
     * from the district profile. */
    const char *codelist, *code_col, *label_col, *sort_col;
    int digits;   /* integer codes are written with this many digits (AGS 8, state 3) */
    int complete; /* 1: every category of the code list is shown, also when it is empty */
} bimo_dim_spec;

/* The spec of a dimension name, or NULL. */
const bimo_dim_spec *bimo_dim_find(const char *name);
const bimo_dim_spec *bimo_dim_get(bimo_dim_id id);

/* Writes the known dimension names, ", "-separated, in table order, to buf. */
void bimo_dim_list(char *buf, size_t size);

/* The dimension whose SQL column carries the values of d: gemeinde for the three
 * geographic levels (kommune and region are derived from it), d itself otherwise. */
bimo_dim_id bimo_dim_base(bimo_dim_id d);

#endif
