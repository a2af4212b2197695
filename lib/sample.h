/* sample.h — the synthetic sample district behind "bimo sample" (private to libbimo).
 * A person's whole life history is a pure function of (seed, person key), so every extract
 * is written in one streaming pass over the person slots without holding the population. */
#ifndef BIMO_SAMPLE_H
#define BIMO_SAMPLE_H

#include <stdint.h>

#include "bimo.h"

/* ---- Dates: days since 1970-01-01 --------------------------------------------------- */

#define SMP_NO_DATE INT32_MIN /* unknown or not applicable */
#define SMP_NEVER   INT32_MAX /* an event that does not happen */

int32_t smp_days(int year, int month, int day);
void smp_civil(int32_t days, int *year, int *month, int *day);
int smp_year_of(int32_t days);

/* The school year (its first calendar year) that contains a day; it starts on 1 August. */
int smp_school_year_of(int32_t days);

/* Reference date of the school statistics for school year Y/Y+1 and the day leavers leave. */
int32_t smp_school_census(int year);
int32_t smp_school_end(int year);

/* ---- Counter-based random numbers --------------------------------------------------- */

typedef struct smp_rng {
    uint64_t s;
} smp_rng;

uint64_t smp_mix(uint64_t x);
smp_rng smp_rng_for(uint64_t seed, uint64_t key, uint64_t stream);
uint64_t smp_next(smp_rng *r);
double smp_uniform(smp_rng *r);                          /* [0, 1) */
int smp_chance(smp_rng *r, double p);                    /* 1 with probability p */
int32_t smp_between(smp_rng *r, int32_t lo, int32_t hi); /* uniform in [lo, hi] */
double smp_exponential(smp_rng *r, double rate);         /* years; rate per year */
double smp_lognormal(smp_rng *r, double median, double sigma);

/* ---- Codes the generator writes ------------------------------------------------------ */

/* clang-format off */
enum { G_DE, G_EU, G_TR, G_UA, G_ASYL, G_OTHER, G_COUNT };   /* migration groups */
enum { M_STOCK, M_BIRTH, M_INTERNAL, M_ABROAD, M_EXTERNAL }; /* how a person entered */

enum { /* residence titles; the text is the code of indicators/codes/rechtsgrundlage.csv */
    RG_55, RG_63A, RG_25_1, RG_25_2_1, RG_25_2_2, RG_25_3, RG_23_1, RG_23_4, RG_24, RG_25_5,
    RG_25A, RG_25B, RG_26_3, RG_26_4, RG_60A, RG_60B, RG_50, RG_104C, RG_FREIZUEG, RG_16A,
    RG_16B, RG_18A, RG_18B, RG_18G, RG_19C, RG_28, RG_30, RG_32, RG_33, RG_36, RG_9, RG_9A,
    RG_7, RG_COUNT
};
enum { SF_GS, SF_HS, SF_RS, SF_OBS, SF_GYM, SF_IGS, SF_KGS_HS, SF_KGS_RS, SF_KGS_GY, SF_FOES,
       SF_BBS, SF_COUNT };
enum { AB_OHNE, AB_FOES_L, AB_FOES_GE, AB_HSA9, AB_SEK1_HSA, AB_SEK1_RSA, AB_ERW_SEK1,
       AB_FHR_S, AB_AHR, AB_COUNT };
enum { BG_NONE, BG_BES1, BG_BES2, BG_SPRINT, BG_SPRINT_D, BG_BFS, BG_BS, BG_BFS_Q, BG_FOS,
       BG_BG, BG_COUNT };
enum { KA_ALLGEMEIN, KA_ALPHA, KA_JUGEND, KA_ELTERN, KA_FRAUEN, KA_ZWEITSCHRIFT, KA_INTENSIV,
       KA_FOERDER, KA_COUNT };
enum { DTZ_B1, DTZ_A2, DTZ_UNTER_A2, DTZ_COUNT };
enum { IKA_BERECHTIGT, IKA_VERPFLICHTET };
enum { IKV_ABH, IKV_JOBCENTER, IKV_BAMF };
/* clang-format on */

extern const char *const smp_rg_code[RG_COUNT];
extern const char *const smp_sf_code[SF_COUNT];
extern const char *const smp_ab_code[AB_COUNT];
extern const char *const smp_bg_code[BG_COUNT];
extern const char *const smp_ka_code[KA_COUNT];
extern const char *const smp_dtz_code[DTZ_COUNT];
extern const char *const smp_ika_code[2];
extern const char *const smp_ikv_code[3];

/* Calls cb for every nationality or country code the generator can write. */
void smp_each_state_code(void (*cb)(const char *code, void *ctx), void *ctx);

/* ---- District profile and school network -------------------------------------------- */

#define SMP_MAX_GEMEINDEN 64
#define SMP_MAX_REGIONS   16
#define SMP_MAX_SCHOOLS   512
#define SMP_MAX_CAND      8
#define SMP_MAX_ORIGINS   64
#define SMP_OUTSIDE_AGS   "03404000" /* Stadt Osnabrück: home of the pupils from outside */

typedef struct smp_gemeinde {
    char ags[9];
    char kommune[10];
    int region;
    int einwohner;
} smp_gemeinde;

typedef struct smp_school {
    char nummer[6]; /* synthetic 5-digit school number */
    uint8_t form;   /* SF_*; a KGS holds its three branches under one number */
    uint8_t gemeinde;
} smp_school;

/* The constant part of a run: profile, school network, slot layout and derived tables. */
typedef struct smp_model {
    uint64_t seed;
    uint32_t persons;
    int from_year, to_year;
    int32_t t0;       /* 1 January of from_year - 1: the stock is drawn for this day */
    int32_t t1;       /* 31 December of to_year */
    int32_t ik_start; /* integration-course entitlements from this day on are written */
    int n_gem;
    smp_gemeinde gem[SMP_MAX_GEMEINDEN];
    double gem_cdf[SMP_MAX_GEMEINDEN];
    int n_regions;
    int n_schools;
    smp_school school[SMP_MAX_SCHOOLS];
    uint16_t cand[SMP_MAX_GEMEINDEN][SF_COUNT][SMP_MAX_CAND]; /* nearest schools per form */
    uint8_t n_cand[SMP_MAX_GEMEINDEN][SF_COUNT];
    double outside_cdf[SMP_MAX_GEMEINDEN]; /* where pupils from outside go to school */
    /* slot layout: German stock, then inflow cells, then pupils from outside */
    uint64_t n_de_stock;
    int n_cells;
    struct smp_cell *cells;
    uint64_t n_ext;
    uint64_t n_slots;
    double cohort_cdf[101]; /* birth year of the German stock: t0 year - 101 .. - 1 */
    double nat_cdf[G_COUNT][4][SMP_MAX_ORIGINS]; /* nationality by group and era */
} smp_model;

/* Reads gemeinden.csv of the profile folder and builds the school network. */
bimo_status smp_profile_load(smp_model *m, const char *profile_dir, bimo_error *err);

/* Checks that every code the generator writes is listed in <data>/indicators/codes. */
bimo_status smp_check_codes(const char *data_dir, bimo_error *err);

/* Lays out the person slots for m->persons, years and seed. Free with smp_model_free(). */
bimo_status smp_model_init(smp_model *m, bimo_error *err);
void smp_model_free(smp_model *m);

/* ---- A person's history ------------------------------------------------------------- */

#define SMP_MAX_PHASES 8

typedef struct smp_phase {
    int32_t start;
    uint8_t code; /* RG_* */
} smp_phase;

typedef struct smp_course {
    int32_t date; /* berechtigung_datum, SMP_NO_DATE if none */
    uint8_t art, von, kursart;
    int32_t beginn, ende, pruefung; /* SMP_NEVER if it does not happen */
    int8_t dtz;                     /* DTZ_* or -1 when no exam */
    int8_t lid;                     /* 0/1, -1 when no exam */
} smp_course;

typedef struct smp_person {
    uint64_t slot;
    uint64_t key;
    uint8_t group, mode, origin;
    char sex; /* m, w, d */
    int32_t birth;
    int32_t einreise;       /* first entry to Germany, SMP_NO_DATE if born here */
    int32_t zuzug;          /* moved into the district, SMP_NO_DATE if born here */
    int32_t from, to;       /* resident in [from, to) */
    const char *nat, *nat2; /* Destatis codes; nat2 may be NULL */
    const char *herkunft;   /* country of previous residence if zuzug came from abroad */
    int32_t natur;          /* naturalisation day or SMP_NEVER */
    int natur_swap;         /* after naturalisation write "old;000" instead of "000;old" */
    int natur_keep;         /* keeps the old nationality as second one */
    uint8_t gem1, gem2;     /* municipality before and after the move */
    int32_t move;           /* move within the district, SMP_NEVER if none */
    int n_phases;
    smp_phase phase[SMP_MAX_PHASES];
    int32_t asylantrag;
    smp_course course;
    int school_relevant; /* may appear in schule/schulabgang */
} smp_person;

/* The person in slot s. */
void smp_person_make(const smp_model *m, uint64_t slot, smp_person *p);

static inline int smp_present(const smp_person *p, int32_t day)
{
    return p->from <= day && day < p->to;
}

static inline int smp_gem_at(const smp_person *p, int32_t day)
{
    return day < p->move ? p->gem1 : p->gem2;
}

/* Nationalities on a day: German after naturalisation. */
void smp_nat_at(const smp_person *p, int32_t day, const char **nat, const char **nat2);
int smp_foreign_at(const smp_person *p, int32_t day);

/* The residence title valid on day (index into phase[]), or -1. */
int smp_phase_at(const smp_person *p, int32_t day);

/* Validity of the title of phase i as seen on day: [*from, *to]; *to SMP_NO_DATE if
 * unlimited. Titles with a fixed term are renewed, so from is the last renewal. */
void smp_phase_validity(const smp_person *p, int i, int32_t day, int32_t *from, int32_t *to);

/* ---- School careers ----------------------------------------------------------------- */

#define SMP_MAX_SCHOOL_YEARS 24

typedef struct smp_school_year {
    int16_t year; /* school year Y/Y+1 */
    uint8_t form; /* SF_* */
    uint8_t jahrgang;
    uint16_t school;
    uint8_t slk;          /* Sprachlernklasse */
    uint8_t bildungsgang; /* BG_* for vocational schools */
    uint8_t ajahr;        /* ausbildungsjahr */
} smp_school_year;

typedef struct smp_career {
    int n;
    smp_school_year y[SMP_MAX_SCHOOL_YEARS];
    int leave_year; /* school year at whose end the pupil left general school, -1 if not */
    uint8_t leave_form, leave_abschluss;
    uint16_t leave_school;
} smp_career;

/* The school career of p (empty if p never goes to school in the district's window). */
void smp_career_make(const smp_model *m, const smp_person *p, smp_career *c);

/* ---- Identifiers -------------------------------------------------------------------- */

/* Writes "P" and 9 digits, unique per slot (10 bytes, no terminator). */
void smp_person_id(const smp_model *m, uint64_t slot, char out[10]);
/* Writes "S" and 8 digits, unique per slot (9 bytes, no terminator). */
void smp_pupil_id(const smp_model *m, uint64_t slot, char out[9]);

#endif
