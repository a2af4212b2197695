/* dims.c — the table of known dimensions (DESIGN §6). Adding a dimension is a row here, a
 * code list in indicators/codes/ and a column in the indicators that offer it. */
#include "dims.h"

#include <stdio.h>
#include <string.h>

#include "bimo.h"

/* One row per dimension, indexed by its id. */
static const bimo_dim_spec dims[BIMO_DIM_COUNT] = {
    {BIMO_DIM_GEMEINDE, "gemeinde", "Gemeinde", 1, NULL, NULL, NULL, NULL, 8},
    {BIMO_DIM_KOMMUNE, "kommune", "Kommune", 2, NULL, NULL, NULL, NULL, 0},
    {BIMO_DIM_REGION, "region", "Region", 3, NULL, NULL, NULL, NULL, 0},
    {BIMO_DIM_GESCHLECHT, "geschlecht", "Geschlecht", 0, "geschlecht", NULL, "bezeichnung", NULL,
     0},
    {BIMO_DIM_ALTERSGRUPPE, "altersgruppe", "Altersgruppe", 0, "altersgruppen", NULL, "bezeichnung",
     NULL, 0, 1},
    {BIMO_DIM_DEUTSCH, "deutsch", "Deutsche/Ausländer", 0, "deutsch", NULL, "bezeichnung", NULL, 0,
     1},
    {BIMO_DIM_STAAT, "staat", "Staatsangehörigkeit", 0, "staaten", NULL, "name", NULL, 3},
    {BIMO_DIM_SCHUTZSTATUS, "schutzstatus", "Schutzstatus", 0, "schutzstatus", NULL, "bezeichnung",
     "sortierung", 0},
    {BIMO_DIM_KURSART, "kursart", "Kursart", 0, "kursart", NULL, "bezeichnung", NULL, 0},
    {BIMO_DIM_SCHULFORM, "schulform", "Schulform", 0, "schulform", NULL, "bezeichnung",
     "sortierung", 0},
    {BIMO_DIM_ABSCHLUSS, "abschluss", "Abschluss", 0, "abschluss", "kategorie",
     "kategoriebezeichnung", "kategorie", 0, 1},
    {BIMO_DIM_BERECHTIGUNG_ART, "berechtigung_art", "Art der Berechtigung", 0, "berechtigung_art",
     NULL, "bezeichnung", NULL, 0, 1},
    {BIMO_DIM_AUSGESTELLT_VON, "ausgestellt_von", "Ausgestellt von", 0, "ausgestellt_von", NULL,
     "bezeichnung", NULL, 0, 1},
    {BIMO_DIM_DTZ_ERGEBNIS, "dtz_ergebnis", "DTZ-Ergebnis", 0, "dtz_ergebnis", NULL, "bezeichnung",
     "sortierung", 0, 1},
    {BIMO_DIM_BILDUNGSGANG, "bildungsgang", "Bildungsgang", 0, "bildungsgang", NULL, "bezeichnung",
     NULL, 0},
    /* The status group at the previous reference date (AUF-4), with "neu" for persons who were
     * not in the stock then; the same code list as schutzstatus. */
    {BIMO_DIM_SCHUTZSTATUS_VORHER, "schutzstatus_vorher", "Schutzstatus am vorigen Stichtag", 0,
     "schutzstatus", NULL, "bezeichnung", "sortierung", 0},
};

const bimo_dim_spec *bimo_dim_find(const char *name)
{
    for (int i = 0; i < BIMO_DIM_COUNT; i++)
        if (strcmp(dims[i].name, name) == 0)
            return &dims[i];
    return NULL;
}

const bimo_dim_spec *bimo_dim_get(bimo_dim_id id)
{
    return (unsigned)id < BIMO_DIM_COUNT ? &dims[id] : NULL;
}

bimo_dim_id bimo_dim_base(bimo_dim_id d)
{
    return dims[d].geo_level ? BIMO_DIM_GEMEINDE : d;
}

void bimo_dim_list(char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; i < BIMO_DIM_COUNT && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "", dims[i].name);
}

size_t bimo_dimension_count(void)
{
    return BIMO_DIM_COUNT;
}

const char *bimo_dimension_name(size_t i)
{
    return i < BIMO_DIM_COUNT ? dims[i].name : NULL;
}

const char *bimo_dimension_title(const char *name)
{
    const bimo_dim_spec *d = name ? bimo_dim_find(name) : NULL;
    return d ? d->title : NULL;
}
