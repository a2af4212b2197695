/* dims.c — the table of known dimensions (DESIGN §6). Adding a dimension is a row here, a
 * code list in indicators/codes/ and a column in the indicators that offer it. */
#include "dims.h"

#include <string.h>

#include "bimo.h"

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
};

static const char *const names[BIMO_DIM_COUNT + 1] = {
    "gemeinde", "kommune",      "region",  "geschlecht", "altersgruppe", "deutsch",
    "staat",    "schutzstatus", "kursart", "schulform",  "abschluss",    NULL,
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

const char *const *bimo_dimension_names(void)
{
    return names;
}

const char *bimo_dimension_title(const char *name)
{
    const bimo_dim_spec *d = name ? bimo_dim_find(name) : NULL;
    return d ? d->title : NULL;
}
