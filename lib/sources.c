/* sources.c — the five registry sources of DESIGN §4 as column tables.
 * Adding a column or alias is a one-line change here (and a migration for the store). */
#include <string.h>

#include "import.h"

#define PERSON_ALIASES   "personen_id|personid|ordnungsmerkmal|azr_nr|id"
#define BIRTH_ALIASES    "geburtstag|geb_datum|birth_date|date_of_birth"
#define SEX_ALIASES      "sex|gender"
#define STAAT_ALIASES    "staatsangehoerigkeit1|nationalitaet|nationality|staat"
#define STICHTAG_ALIASES "reference_date|stand|datenstand"

static const bimo_column_spec melderegister[] = {
    {"stichtag", STICHTAG_ALIASES, BIMO_T_DATE, BIMO_SNAPSHOT_KEY},
    {"person_id", PERSON_ALIASES, BIMO_T_PERSON, BIMO_REQUIRED | BIMO_KEY},
    {"geburtsdatum", BIRTH_ALIASES, BIMO_T_DATE, BIMO_REQUIRED | BIMO_BIRTH},
    {"geschlecht", SEX_ALIASES, BIMO_T_CODE, BIMO_REQUIRED, "geschlecht"},
    {"staatsangehoerigkeit", STAAT_ALIASES, BIMO_T_STAAT, BIMO_REQUIRED},
    {"staatsangehoerigkeit2", "zweite_staatsangehoerigkeit|nationality2", BIMO_T_STAAT, 0},
    {"ags", "gemeindeschluessel|municipality_key|ags_wohnort|gemeinde", BIMO_T_AGS, BIMO_REQUIRED},
    {"zuzugsdatum", "zuzug|zuzug_kreis_datum|move_in_date", BIMO_T_DATE, BIMO_NOT_AFTER},
    {"herkunftsland", "herkunftsstaat|zuzug_aus|country_of_origin", BIMO_T_STAAT, 0},
    {"einreisedatum", "einreise|ersteinreise_datum|entry_date", BIMO_T_DATE, BIMO_NOT_AFTER},
    {0},
};

static const bimo_column_spec aufenthalt[] = {
    {"stichtag", STICHTAG_ALIASES, BIMO_T_DATE, BIMO_SNAPSHOT_KEY},
    {"person_id", PERSON_ALIASES, BIMO_T_PERSON, BIMO_REQUIRED | BIMO_KEY},
    {"geburtsdatum", BIRTH_ALIASES, BIMO_T_DATE, BIMO_REQUIRED | BIMO_BIRTH},
    {"geschlecht", SEX_ALIASES, BIMO_T_CODE, BIMO_REQUIRED, "geschlecht"},
    {"staatsangehoerigkeit", STAAT_ALIASES, BIMO_T_STAAT, BIMO_REQUIRED},
    {"ags", "gemeindeschluessel|ags_wohnort|gemeinde", BIMO_T_AGS, BIMO_REQUIRED},
    {"rechtsgrundlage", "aufenthaltsstatus|aufenthaltsstatus_code|aufenthaltstitel|legal_basis",
     BIMO_T_CODE, BIMO_REQUIRED, "rechtsgrundlage"},
    {"gueltig_ab", "titel_gueltig_von|gueltig_von|valid_from", BIMO_T_DATE, BIMO_NOT_AFTER},
    {"gueltig_bis", "titel_gueltig_bis|valid_until", BIMO_T_DATE, 0},
    {"einreisedatum", "einreise|ersteinreise_datum|entry_date", BIMO_T_DATE, BIMO_NOT_AFTER},
    {"asylantrag_datum", "asylantrag|asylum_application_date", BIMO_T_DATE, BIMO_NOT_AFTER},
    {0},
};

static const bimo_date_order aufenthalt_orders[] = {
    {"geburtsdatum", "einreisedatum"},
    {"gueltig_ab", "gueltig_bis"},
    {0},
};

static const bimo_column_spec integrationskurs[] = {
    {"stichtag", STICHTAG_ALIASES, BIMO_T_DATE, BIMO_SNAPSHOT_KEY},
    {"person_id", PERSON_ALIASES, BIMO_T_PERSON, BIMO_REQUIRED | BIMO_KEY},
    {"geschlecht", SEX_ALIASES, BIMO_T_CODE, BIMO_REQUIRED, "geschlecht"},
    {"geburtsdatum", BIRTH_ALIASES, BIMO_T_DATE, BIMO_REQUIRED | BIMO_BIRTH},
    {"staatsangehoerigkeit", STAAT_ALIASES, BIMO_T_STAAT, BIMO_REQUIRED},
    {"ags", "gemeindeschluessel|ags_wohnort|gemeinde", BIMO_T_AGS, BIMO_REQUIRED},
    {"berechtigung_datum", "berechtigungsdatum|ik_berechtigung|entitlement_date", BIMO_T_DATE,
     BIMO_REQUIRED | BIMO_KEY | BIMO_NOT_AFTER},
    {"berechtigung_art", "art_der_berechtigung|entitlement_type", BIMO_T_CODE, BIMO_REQUIRED,
     "berechtigung_art"},
    {"ausgestellt_von", "ausstellende_stelle|issued_by", BIMO_T_CODE, 0, "ausgestellt_von"},
    {"kursart", "kurstyp|course_type", BIMO_T_CODE, 0, "kursart"},
    {"kursbeginn", "kursstart|course_start", BIMO_T_DATE, BIMO_NOT_AFTER},
    {"kursende", "course_end", BIMO_T_DATE, BIMO_NOT_AFTER},
    {"pruefung_datum", "pruefungsdatum|exam_date", BIMO_T_DATE, BIMO_NOT_AFTER},
    {"dtz_ergebnis", "dtz|dtz_result", BIMO_T_CODE, 0, "dtz_ergebnis"},
    {"lid_bestanden", "lid|lid_passed", BIMO_T_BOOL, 0},
    {0},
};

static const bimo_date_order integrationskurs_orders[] = {
    {"geburtsdatum", "berechtigung_datum"},
    {"berechtigung_datum", "kursbeginn"},
    {"kursbeginn", "kursende"},
    {"kursbeginn", "pruefung_datum"},
    {0},
};

static const bimo_date_order melderegister_orders[] = {
    {"geburtsdatum", "einreisedatum"},
    {"geburtsdatum", "zuzugsdatum"},
    {0},
};

#define PUPIL_ALIASES "schuelerid|schueler_nr|pupil_id|id"

static const bimo_column_spec schule[] = {
    {"schueler_id", PUPIL_ALIASES, BIMO_T_PERSON, BIMO_REQUIRED | BIMO_KEY},
    {"schuljahr", "school_year", BIMO_T_SCHULJAHR, BIMO_REQUIRED | BIMO_SNAPSHOT_KEY},
    {"schulnummer", "schul_nr|school_id|dienststellennummer", BIMO_T_TEXT, BIMO_REQUIRED},
    {"schulform", "schulart|school_type", BIMO_T_CODE, BIMO_REQUIRED, "schulform"},
    {"jahrgang", "schuljahrgang|klassenstufe|grade", BIMO_T_INT, BIMO_REQUIRED, NULL, 1, 13},
    {"geschlecht", SEX_ALIASES, BIMO_T_CODE, BIMO_REQUIRED, "geschlecht"},
    {"staatsangehoerigkeit", STAAT_ALIASES, BIMO_T_STAAT, BIMO_REQUIRED},
    {"geburtsjahr", "birth_year", BIMO_T_INT, 0, NULL, 1900, 2200},
    {"ags_schule", "schulort|school_ags", BIMO_T_AGS, BIMO_REQUIRED},
    {"ags_wohnort", "wohnort|home_ags", BIMO_T_AGS_ANY, 0},
    {"sprachlernklasse", "slk|language_class", BIMO_T_BOOL, 0},
    {"bildungsgang", "bildungsgang_bbs|programme", BIMO_T_CODE, 0, "bildungsgang"},
    {"ausbildungsjahr", "ausbildungsjahrgang|programme_year", BIMO_T_INT, 0, NULL, 1, 4},
    {0},
};

static const bimo_column_spec schulabgang[] = {
    {"schueler_id", PUPIL_ALIASES, BIMO_T_PERSON, BIMO_REQUIRED | BIMO_KEY},
    {"schuljahr", "school_year", BIMO_T_SCHULJAHR, BIMO_REQUIRED | BIMO_SNAPSHOT_KEY},
    {"schulform", "schulart|school_type", BIMO_T_CODE, BIMO_REQUIRED, "schulform"},
    {"abschluss", "abschlussart|qualification", BIMO_T_CODE, BIMO_REQUIRED, "abschluss"},
    {"geschlecht", SEX_ALIASES, BIMO_T_CODE, BIMO_REQUIRED, "geschlecht"},
    {"staatsangehoerigkeit", STAAT_ALIASES, BIMO_T_STAAT, BIMO_REQUIRED},
    {"geburtsjahr", "birth_year", BIMO_T_INT, 0, NULL, 1900, 2200},
    {"ags_schule", "schulort|school_ags", BIMO_T_AGS, BIMO_REQUIRED},
    {0},
};

static const bimo_source_spec sources[] = {
    {"melderegister", "population register", melderegister, melderegister_orders},
    {"aufenthalt", "residence status", aufenthalt, aufenthalt_orders},
    {"integrationskurs", "integration courses", integrationskurs, integrationskurs_orders},
    {"schule", "pupils", schule, NULL},
    {"schulabgang", "school leavers", schulabgang, NULL},
};

static const char *const source_names[] = {"melderegister", "aufenthalt",  "integrationskurs",
                                           "schule",        "schulabgang", NULL};

const char *const *bimo_import_sources(void)
{
    return source_names;
}

const bimo_source_spec *bimo_source_find(const char *name)
{
    for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++)
        if (strcmp(sources[i].name, name) == 0)
            return &sources[i];
    return NULL;
}

const char *bimo_source_store_column(const bimo_column_spec *col)
{
    if (strcmp(col->name, "person_id") == 0)
        return "person";
    if (strcmp(col->name, "schueler_id") == 0)
        return "schueler";
    return col->name;
}

int bimo_is_personal_column(const char *h)
{
    static const char *const refused[] = {
        "name",          "vorname",      "nachname",  "familienname", "geburtsname",
        "rufname",       "firstname",    "lastname",  "surname",      "strasse",
        "hausnummer",    "adresse",      "anschrift", "address",      "street",
        "plz",           "postleitzahl", "telefon",   "email",        "emailadresse",
        "wohnanschrift", "geburtsort",   NULL};
    for (int i = 0; refused[i]; i++)
        if (strcmp(h, refused[i]) == 0)
            return 1;
    return 0;
}
