/* sample_model.c — the synthetic population of the sample district: who lives there when,
 * with which nationality, residence title and integration course. Parameters are tables. */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "sample.h"

/* ---- Dates --------------------------------------------------------------------------- */

/* Civil-calendar conversions after H. Hinnant's days_from_civil / civil_from_days. */
int32_t smp_days(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int32_t)doe - 719468;
}

void smp_civil(int32_t z, int *y, int *m, int *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)yoe + era * 400 + (*m <= 2);
}

int smp_year_of(int32_t days)
{
    int y, m, d;
    smp_civil(days, &y, &m, &d);
    return y;
}

int smp_school_year_of(int32_t days)
{
    int y, m, d;
    smp_civil(days, &y, &m, &d);
    return m >= 8 ? y : y - 1;
}

int32_t smp_school_census(int year)
{
    return smp_days(year, 9, 15);
}

int32_t smp_school_end(int year)
{
    return smp_days(year + 1, 7, 1);
}

#define YEAR_DAYS  365.25
#define MONTH_DAYS 30.44

static int32_t add_years(int32_t day, double years)
{
    double d = day + years * YEAR_DAYS;
    return d >= (double)(SMP_NEVER - 1) ? SMP_NEVER - 1 : (int32_t)d;
}

/* ---- Random numbers ------------------------------------------------------------------ */

/* splitmix64: a counter-based generator, so any person's numbers can be drawn directly. */
uint64_t smp_mix(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

smp_rng smp_rng_for(uint64_t seed, uint64_t key, uint64_t stream)
{
    smp_rng r = {
        smp_mix(smp_mix(seed ^ 0x5DEECE66DULL) ^ smp_mix(key) ^ (stream * 0x632BE59BD9B4E019ULL))};
    return r;
}

uint64_t smp_next(smp_rng *r)
{
    r->s += 0x9E3779B97F4A7C15ULL;
    uint64_t z = r->s;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

double smp_uniform(smp_rng *r)
{
    return (double)(smp_next(r) >> 11) * 0x1.0p-53;
}

int smp_chance(smp_rng *r, double p)
{
    return smp_uniform(r) < p;
}

int32_t smp_between(smp_rng *r, int32_t lo, int32_t hi)
{
    if (hi <= lo)
        return lo;
    return lo + (int32_t)(smp_next(r) % (uint64_t)(hi - lo + 1));
}

double smp_exponential(smp_rng *r, double rate)
{
    if (rate <= 0)
        return INFINITY;
    return -log(1.0 - smp_uniform(r)) / rate;
}

double smp_lognormal(smp_rng *r, double median, double sigma)
{
    double u1 = 1.0 - smp_uniform(r), u2 = smp_uniform(r);
    double z = sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
    return median * exp(sigma * z);
}

/* Index i with cdf[i-1] <= u < cdf[i]; cdf is increasing and ends at 1. */
static int pick_cdf(const double *cdf, int n, double u)
{
    int lo = 0, hi = n - 1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (u < cdf[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

static int pick_weights(smp_rng *r, const float *w, int n)
{
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += w[i];
    double u = smp_uniform(r) * sum;
    for (int i = 0; i < n; i++) {
        if (u < w[i])
            return i;
        u -= w[i];
    }
    return n - 1;
}

/* ---- Codes --------------------------------------------------------------------------- */

const char *const smp_rg_code[RG_COUNT] = {
    [RG_55] = "§ 55 AsylG",
    [RG_63A] = "§ 63a AsylG",
    [RG_25_1] = "§ 25 Abs. 1 AufenthG",
    [RG_25_2_1] = "§ 25 Abs. 2 S. 1 Alt. 1 AufenthG",
    [RG_25_2_2] = "§ 25 Abs. 2 S. 1 Alt. 2 AufenthG",
    [RG_25_3] = "§ 25 Abs. 3 AufenthG",
    [RG_23_1] = "§ 23 Abs. 1 AufenthG",
    [RG_23_4] = "§ 23 Abs. 4 AufenthG",
    [RG_24] = "§ 24 AufenthG",
    [RG_25_5] = "§ 25 Abs. 5 AufenthG",
    [RG_25A] = "§ 25a AufenthG",
    [RG_25B] = "§ 25b AufenthG",
    [RG_26_3] = "§ 26 Abs. 3 AufenthG",
    [RG_26_4] = "§ 26 Abs. 4 AufenthG",
    [RG_60A] = "§ 60a AufenthG",
    [RG_60B] = "§ 60b AufenthG",
    [RG_50] = "§ 50 AufenthG",
    [RG_104C] = "§ 104c AufenthG",
    [RG_FREIZUEG] = "FreizügG/EU",
    [RG_16A] = "§ 16a AufenthG",
    [RG_16B] = "§ 16b AufenthG",
    [RG_18A] = "§ 18a AufenthG",
    [RG_18B] = "§ 18b AufenthG",
    [RG_18G] = "§ 18g AufenthG",
    [RG_19C] = "§ 19c AufenthG",
    [RG_28] = "§ 28 AufenthG",
    [RG_30] = "§ 30 AufenthG",
    [RG_32] = "§ 32 AufenthG",
    [RG_33] = "§ 33 AufenthG",
    [RG_36] = "§ 36 AufenthG",
    [RG_9] = "§ 9 AufenthG",
    [RG_9A] = "§ 9a AufenthG",
    [RG_7] = "§ 7 Abs. 1 S. 3 AufenthG",
};

/* Term of a title in days before it is renewed; 0 for unlimited titles. */
static const int16_t rg_term[RG_COUNT] = {
    [RG_55] = 182,   [RG_63A] = 182,  [RG_25_1] = 1096, [RG_25_2_1] = 1096, [RG_25_2_2] = 365,
    [RG_25_3] = 365, [RG_23_1] = 730, [RG_23_4] = 1096, [RG_24] = 730,      [RG_25_5] = 730,
    [RG_25A] = 730,  [RG_25B] = 730,  [RG_60A] = 182,   [RG_60B] = 91,      [RG_50] = 91,
    [RG_104C] = 548, [RG_16A] = 730,  [RG_16B] = 730,   [RG_18A] = 1461,    [RG_18B] = 1461,
    [RG_18G] = 1461, [RG_19C] = 730,  [RG_28] = 1096,   [RG_30] = 1096,     [RG_32] = 1096,
    [RG_33] = 1096,  [RG_36] = 1096,  [RG_7] = 365,
};

const char *const smp_sf_code[SF_COUNT] = {"GS",     "HS",     "RS",     "OBS",  "GYM", "IGS",
                                           "KGS-HS", "KGS-RS", "KGS-GY", "FOES", "BBS"};
const char *const smp_ab_code[AB_COUNT] = {"OHNE",     "FOES_L",   "FOES_GE", "HSA9", "SEK1_HSA",
                                           "SEK1_RSA", "ERW_SEK1", "FHR_S",   "AHR"};
const char *const smp_bg_code[BG_COUNT] = {"",    "BES1", "BES2",  "SPRINT", "SPRINT-D",
                                           "BFS", "BS",   "BFS-Q", "FOS",    "BG"};
const char *const smp_ka_code[KA_COUNT] = {"allgemein", "alpha",        "jugend",   "eltern",
                                           "frauen",    "zweitschrift", "intensiv", "foerder"};
const char *const smp_dtz_code[DTZ_COUNT] = {"B1", "A2", "unter A2"};
const char *const smp_ika_code[2] = {"berechtigt", "verpflichtet"};
const char *const smp_ikv_code[3] = {"ABH", "Jobcenter", "BAMF"};

/* ---- Parameters ---------------------------------------------------------------------- */

/* Persons entering the district per year and per person of the target population, from
 * `from` until the next knot: born here, moved in from elsewhere in Germany, arrived from
 * abroad. Germans enter only inside the window; the stock before is drawn directly. */
typedef struct {
    int16_t from;
    float birth, internal, abroad;
} inflow_knot;

static const inflow_knot inflow_de[] = {
    {1960, 0.0082f, 0.0315f, 0.0015f},
    {2022, 0.0078f, 0.0315f, 0.0015f},
    {2024, 0.0074f, 0.0315f, 0.0015f},
};
static const inflow_knot inflow_eu[] = {
    {1960, 0.00010f, 0.00010f, 0.0008f}, {1990, 0.00010f, 0.00020f, 0.0010f},
    {2004, 0.00020f, 0.00050f, 0.0025f}, {2011, 0.00040f, 0.00080f, 0.0040f},
    {2020, 0.00045f, 0.00080f, 0.0036f},
};
static const inflow_knot inflow_tr[] = {
    {1960, 0.0f, 0.0f, 0.0f},
    {1961, 0.00010f, 0.00010f, 0.0030f},
    {1974, 0.00040f, 0.00020f, 0.0012f},
    {2000, 0.00015f, 0.00020f, 0.0006f},
    {2016, 0.00015f, 0.00020f, 0.0004f},
};
static const inflow_knot inflow_ua[] = {
    {1960, 0.0f, 0.0f, 0.0f},
    {2022, 0.00010f, 0.00020f, 0.0036f},
    {2023, 0.00010f, 0.00020f, 0.0008f},
    {2024, 0.00010f, 0.00010f, 0.0005f},
    {2025, 0.00010f, 0.00010f, 0.0003f},
};
static const inflow_knot inflow_asyl[] = {
    {1960, 0.0f, 0.0f, 0.0f},
    {1980, 0.00002f, 0.00002f, 0.0003f},
    {2013, 0.00005f, 0.00005f, 0.0006f},
    {2014, 0.00010f, 0.00010f, 0.0012f},
    {2015, 0.00010f, 0.00020f, 0.0045f},
    {2016, 0.00015f, 0.00060f, 0.0030f},
    {2017, 0.00020f, 0.00050f, 0.0010f},
    {2018, 0.00020f, 0.00040f, 0.0008f},
    {2019, 0.00020f, 0.00030f, 0.0007f},
    {2020, 0.00020f, 0.00020f, 0.0005f},
    {2021, 0.00020f, 0.00020f, 0.0007f},
    {2022, 0.00020f, 0.00020f, 0.0010f},
    {2023, 0.00020f, 0.00020f, 0.0015f},
    {2024, 0.00020f, 0.00020f, 0.0014f},
    {2025, 0.00020f, 0.00020f, 0.0012f},
};
static const inflow_knot inflow_other[] = {
    {1960, 0.00005f, 0.00005f, 0.0003f}, {1990, 0.00010f, 0.00020f, 0.0010f},
    {2005, 0.00020f, 0.00030f, 0.0011f}, {2015, 0.00025f, 0.00035f, 0.0015f},
    {2022, 0.00025f, 0.00035f, 0.0020f},
};

#define KNOTS(a) a, (int)(sizeof a / sizeof a[0])

typedef struct {
    const inflow_knot *knots;
    int n_knots;
    float leave_rate;    /* moves away per year */
    float natur_rate;    /* naturalisations per year once eligible */
    float natur_after;   /* years of residence before naturalisation */
    int16_t era_from[4]; /* first year of each era of the nationality mix */
    float age_w[10];     /* age at arrival, bands of age_band[] */
    float female_child, female_adult;
} group_spec;

static const float age_band[11] = {0, 6, 12, 16, 18, 25, 30, 40, 50, 65, 85};

/* clang-format off */
static const group_spec groups[G_COUNT] = {
    /* inflows, moves away, naturalisations per year and after years, eras of the mix,
     * age at arrival by band, female share of children and of adults */
    [G_DE] = {KNOTS(inflow_de), 0, 0, 0, {1960, 1960, 1960, 1960},
              {9, 6, 3, 2, 22, 16, 20, 10, 8, 4}, 0.49f, 0.51f},
    [G_EU] = {KNOTS(inflow_eu), 0.11f, 0.005f, 8, {1960, 1990, 2004, 2011},
              {5, 4, 2, 1.5f, 20, 20, 25, 13, 8, 1.5f}, 0.49f, 0.40f},
    [G_TR] = {KNOTS(inflow_tr), 0.03f, 0.015f, 8, {1960, 1960, 1960, 1960},
              {6, 4, 3, 2, 30, 22, 18, 8, 5, 2}, 0.49f, 0.45f},
    [G_UA] = {KNOTS(inflow_ua), 0.12f, 0, 0, {1960, 1960, 1960, 1960},
              {8, 10, 6, 3, 7, 7, 18, 15, 14, 9}, 0.49f, 0.68f},
    [G_ASYL] = {KNOTS(inflow_asyl), 0.07f, 0.06f, 6, {1960, 2014, 2017, 2022},
                {8, 7, 6, 5, 25, 16, 18, 9, 4, 1}, 0.48f, 0.40f},
    [G_OTHER] = {KNOTS(inflow_other), 0.08f, 0.02f, 8, {1960, 1990, 2005, 2015},
                 {6, 5, 3, 2, 22, 20, 24, 10, 6, 2}, 0.49f, 0.50f},
};
/* clang-format on */

/* Countries of origin per group: weight per era, and for asylum seekers the share the
 * BAMF recognises and how (GFK, subsidiary, Abschiebungsverbot; the rest § 25 Abs. 1);
 * p_alpha and p_script steer the course type (literacy, second-script learners). */
typedef struct {
    const char *code;
    float w[4];
    float p_rec, gfk, sub, abs3;
    float p_alpha, p_script;
} origin;

static const origin origins_eu[] = {
    {"137", {30, 10, 3, 3}, 0, 0, 0, 0, 0.03f, 0},
    {"134", {20, 8, 3, 4}, 0, 0, 0, 0, 0.03f, 0.10f},
    {"161", {10, 3, 2, 1.5f}, 0, 0, 0, 0, 0.02f, 0},
    {"153", {15, 6, 2, 1.5f}, 0, 0, 0, 0, 0.04f, 0},
    {"148", {15, 20, 15, 6}, 0, 0, 0, 0, 0.01f, 0},
    {"151", {5, 4, 2, 1}, 0, 0, 0, 0, 0.01f, 0},
    {"129", {3, 3, 2, 1}, 0, 0, 0, 0, 0.01f, 0},
    {"152", {2, 25, 45, 18}, 0, 0, 0, 0, 0.03f, 0},
    {"154", {0, 3, 5, 30}, 0, 0, 0, 0, 0.08f, 0},
    {"125", {0, 1, 3, 13}, 0, 0, 0, 0, 0.10f, 0.20f},
    {"130", {0, 6, 2, 5}, 0, 0, 0, 0, 0.03f, 0},
    {"165", {0, 2, 4, 6}, 0, 0, 0, 0, 0.03f, 0},
    {"142", {0, 1, 4, 2.5f}, 0, 0, 0, 0, 0.02f, 0},
    {"139", {0, 1, 3, 2}, 0, 0, 0, 0, 0.02f, 0},
    {"155", {0, 1, 2, 1.5f}, 0, 0, 0, 0, 0.03f, 0},
    {"164", {0, 1, 1, 1}, 0, 0, 0, 0, 0.02f, 0},
    {"131", {0, 1, 0.5f, 0.3f}, 0, 0, 0, 0, 0.02f, 0},
    {"126", {1, 1, 1, 0.5f}, 0, 0, 0, 0, 0.01f, 0},
    {"124", {1, 1, 1, 0.5f}, 0, 0, 0, 0, 0.01f, 0},
    {"135", {0.5f, 0.5f, 0.5f, 0.3f}, 0, 0, 0, 0, 0.01f, 0},
    {"128", {0.2f, 0.2f, 0.2f, 0.2f}, 0, 0, 0, 0, 0.01f, 0},
    {"157", {0.3f, 0.3f, 0.3f, 0.3f}, 0, 0, 0, 0, 0.01f, 0},
    {"127", {0, 0.2f, 0.3f, 0.3f}, 0, 0, 0, 0, 0.01f, 0},
    {"143", {0.2f, 0.2f, 0.2f, 0.1f}, 0, 0, 0, 0, 0.01f, 0},
    {"145", {0, 0.1f, 0.1f, 0.1f}, 0, 0, 0, 0, 0.01f, 0},
    {"181", {0.1f, 0.1f, 0.2f, 0.2f}, 0, 0, 0, 0, 0.01f, 0.10f},
};
static const origin origins_tr[] = {
    {"163", {1, 1, 1, 1}, 0, 0, 0, 0, 0.12f, 0},
};
static const origin origins_ua[] = {
    {"166", {1, 1, 1, 1}, 0, 0, 0, 0, 0.02f, 0.55f},
};
static const origin origins_asyl[] = {
    {"475", {15, 40, 21, 16}, 0.90f, 0.40f, 0.55f, 0.03f, 0.20f, 0.35f},
    {"423", {12, 13, 12, 13}, 0.65f, 0.30f, 0.15f, 0.50f, 0.38f, 0.30f},
    {"438", {20, 14, 12, 5}, 0.45f, 0.50f, 0.25f, 0.20f, 0.25f, 0.35f},
    {"439", {8, 4, 6, 4}, 0.50f, 0.70f, 0.10f, 0.15f, 0.05f, 0.45f},
    {"224", {5, 5, 4, 2}, 0.85f, 0.65f, 0.30f, 0.03f, 0.45f, 0.25f},
    {"273", {5, 2, 4, 3}, 0.55f, 0.35f, 0.40f, 0.20f, 0.50f, 0.05f},
    {"163", {2, 0.5f, 6, 15}, 0.25f, 0.85f, 0.05f, 0.05f, 0.10f, 0},
    {"232", {3, 2, 5, 2}, 0.12f, 0.40f, 0.10f, 0.40f, 0.15f, 0},
    {"430", {3, 1, 5, 3}, 0.03f, 0.30f, 0.20f, 0.30f, 0.05f, 0.40f},
    {"160", {8, 2, 3, 3}, 0.20f, 0.50f, 0.30f, 0.10f, 0.03f, 0.45f},
    {"121", {4, 3, 1, 0.5f}, 0.02f, 0.30f, 0.30f, 0.30f, 0.05f, 0},
    {"150", {5, 2, 0.5f, 0.2f}, 0.02f, 0.30f, 0.30f, 0.30f, 0.05f, 0},
    {"170", {6, 1, 0.5f, 0.2f}, 0.02f, 0.30f, 0.30f, 0.30f, 0.08f, 0.20f},
    {"144", {3, 1, 0.5f, 0.2f}, 0.02f, 0.30f, 0.30f, 0.30f, 0.08f, 0.20f},
    {"225", {2, 1, 1, 1}, 0.30f, 0.50f, 0.30f, 0.15f, 0.40f, 0.30f},
    {"461", {3, 1, 1, 1}, 0.05f, 0.50f, 0.20f, 0.20f, 0.20f, 0.30f},
    {"997", {2, 1.5f, 1, 1}, 0.60f, 0.60f, 0.30f, 0.05f, 0.20f, 0.30f},
    {"998", {1, 1, 1, 1}, 0.40f, 0.40f, 0.40f, 0.10f, 0.25f, 0.30f},
    {"252", {1, 0.5f, 0.5f, 0.5f}, 0.05f, 0.40f, 0.20f, 0.30f, 0.20f, 0.20f},
    {"221", {1, 0.5f, 0.5f, 0.5f}, 0.05f, 0.40f, 0.20f, 0.30f, 0.15f, 0.20f},
    {"451", {1, 0.5f, 0.5f, 0.5f}, 0.30f, 0.50f, 0.30f, 0.15f, 0.05f, 0.35f},
    {"261", {0.5f, 0.5f, 2, 1}, 0.15f, 0.40f, 0.20f, 0.30f, 0.40f, 0},
    {"237", {0.5f, 0.5f, 2, 0.5f}, 0.05f, 0.40f, 0.20f, 0.30f, 0.35f, 0},
    {"277", {0.5f, 0.5f, 1, 0.5f}, 0.50f, 0.40f, 0.30f, 0.25f, 0.35f, 0.30f},
    {"367", {0, 0, 0.5f, 2}, 0.05f, 0.30f, 0.20f, 0.40f, 0.02f, 0},
    {"349", {0, 0, 0.2f, 1.5f}, 0.02f, 0.30f, 0.20f, 0.40f, 0.02f, 0},
};
static const origin origins_other[] = {
    {"150", {0, 3, 8, 8}, 0, 0, 0, 0, 0.06f, 0},
    {"170", {10, 8, 5, 5}, 0, 0, 0, 0, 0.06f, 0.1f},
    {"122", {5, 8, 4, 4}, 0, 0, 0, 0, 0.05f, 0},
    {"121", {0, 2, 2, 5}, 0, 0, 0, 0, 0.05f, 0},
    {"144", {3, 3, 3, 4}, 0, 0, 0, 0, 0.06f, 0.2f},
    {"140", {0, 0, 1, 1}, 0, 0, 0, 0, 0.03f, 0},
    {"160", {3, 15, 8, 4}, 0, 0, 0, 0, 0.02f, 0.5f},
    {"444", {2, 12, 5, 2}, 0, 0, 0, 0, 0.02f, 0.5f},
    {"166", {1, 4, 4, 3}, 0, 0, 0, 0, 0.02f, 0.5f},
    {"169", {0, 1, 1, 1}, 0, 0, 0, 0, 0.02f, 0.5f},
    {"146", {0, 0.5f, 1, 3}, 0, 0, 0, 0, 0.03f, 0},
    {"432", {3, 4, 3, 3}, 0, 0, 0, 0, 0.04f, 0.6f},
    {"479", {1, 3, 4, 4}, 0, 0, 0, 0, 0.02f, 0.7f},
    {"436", {1, 2, 4, 10}, 0, 0, 0, 0, 0.02f, 0.4f},
    {"460", {1, 1, 1, 1}, 0, 0, 0, 0, 0.10f, 0.5f},
    {"431", {2, 1, 1, 1}, 0, 0, 0, 0, 0.06f, 0.5f},
    {"462", {1, 1, 1, 3}, 0, 0, 0, 0, 0.02f, 0},
    {"437", {0.5f, 0.5f, 1, 2}, 0, 0, 0, 0, 0.02f, 0},
    {"368", {4, 3, 3, 3}, 0, 0, 0, 0, 0.01f, 0},
    {"168", {4, 3, 3, 3}, 0, 0, 0, 0, 0.01f, 0},
    {"158", {2, 2, 1, 1}, 0, 0, 0, 0, 0.01f, 0},
    {"149", {0.5f, 0.5f, 0.5f, 0.5f}, 0, 0, 0, 0, 0.01f, 0},
    {"252", {3, 2, 2, 3}, 0, 0, 0, 0, 0.15f, 0.2f},
    {"285", {2, 1, 1, 2}, 0, 0, 0, 0, 0.08f, 0.2f},
    {"221", {1, 1, 1, 1}, 0, 0, 0, 0, 0.10f, 0.2f},
    {"327", {1, 1, 2, 3}, 0, 0, 0, 0, 0.02f, 0},
    {"349", {0.2f, 0.3f, 1, 2}, 0, 0, 0, 0, 0.02f, 0},
    {"367", {0, 0, 0.5f, 1.5f}, 0, 0, 0, 0, 0.02f, 0},
    {"422", {0, 1, 1, 1}, 0, 0, 0, 0, 0.03f, 0.5f},
    {"425", {0, 1, 1, 1}, 0, 0, 0, 0, 0.03f, 0.3f},
    {"430", {0, 1, 1, 2}, 0, 0, 0, 0, 0.03f, 0.5f},
    {"237", {0, 0.2f, 0.5f, 0.5f}, 0, 0, 0, 0, 0.3f, 0},
    {"261", {0, 0.2f, 0.5f, 0.5f}, 0, 0, 0, 0, 0.3f, 0},
    {"277", {0, 0.2f, 0.3f, 0.3f}, 0, 0, 0, 0, 0.2f, 0.3f},
    {"238", {0.5f, 0.5f, 0.5f, 1}, 0, 0, 0, 0, 0.1f, 0},
    {"262", {0.2f, 0.5f, 1, 1.5f}, 0, 0, 0, 0, 0.05f, 0},
    {"442", {0.5f, 0.5f, 0.5f, 0.5f}, 0, 0, 0, 0, 0.01f, 0.7f},
    {"467", {0.5f, 0.5f, 0.5f, 0.5f}, 0, 0, 0, 0, 0.01f, 0.7f},
    {"348", {0.5f, 0.5f, 0.5f, 0.5f}, 0, 0, 0, 0, 0.01f, 0},
    {"353", {0.3f, 0.3f, 0.3f, 0.5f}, 0, 0, 0, 0, 0.01f, 0},
    {"323", {0.3f, 0.3f, 0.3f, 0.3f}, 0, 0, 0, 0, 0.01f, 0},
    {"332", {0.2f, 0.2f, 0.2f, 0.2f}, 0, 0, 0, 0, 0.01f, 0},
    {"523", {0.3f, 0.3f, 0.3f, 0.3f}, 0, 0, 0, 0, 0.01f, 0},
    {"475", {0.5f, 0.5f, 0.5f, 0.5f}, 0, 0, 0, 0, 0.05f, 0.4f},
    {"439", {1, 1, 1, 2}, 0, 0, 0, 0, 0.03f, 0.4f},
    {"438", {0.5f, 0.5f, 0.5f, 0.5f}, 0, 0, 0, 0, 0.1f, 0.4f},
    {"459", {0.3f, 0.3f, 0.3f, 0.3f}, 0, 0, 0, 0, 0.05f, 0.4f},
    {"445", {0.3f, 0.3f, 0.3f, 0.3f}, 0, 0, 0, 0, 0.05f, 0.4f},
    {"287", {0.5f, 0.5f, 1, 2}, 0, 0, 0, 0, 0.05f, 0.4f},
    {"232", {0.5f, 0.5f, 1, 2}, 0, 0, 0, 0, 0.05f, 0},
};

static const struct {
    const origin *list;
    int n;
} origin_lists[G_COUNT] = {
    [G_DE] = {NULL, 0},
    [G_EU] = {origins_eu, (int)(sizeof origins_eu / sizeof origins_eu[0])},
    [G_TR] = {origins_tr, 1},
    [G_UA] = {origins_ua, 1},
    [G_ASYL] = {origins_asyl, (int)(sizeof origins_asyl / sizeof origins_asyl[0])},
    [G_OTHER] = {origins_other, (int)(sizeof origins_other / sizeof origins_other[0])},
};

/* Second nationality of German dual nationals, and countries Germans return from. */
static const char *const dual_codes[] = {"163", "152", "160", "444", "137", "134", "148",
                                         "168", "368", "154", "130", "170", "129", "151"};
static const float dual_w[] = {30, 20, 10, 5, 5, 5, 5, 3, 3, 4, 3, 3, 2, 2};
static const char *const return_codes[] = {"151", "158", "168", "368", "148", "129",
                                           "161", "137", "157", "348", "523", "479"};
static const float return_w[] = {15, 15, 12, 12, 10, 8, 8, 6, 4, 4, 3, 3};
static const char *const aussiedler_codes[] = {"160", "444", "166", "152", "154"};
static const float aussiedler_w[] = {40, 40, 8, 8, 4};
/* Countries asylum seekers arrive from besides their own (last residence abroad). */
static const char *const transit_codes[] = {"163", "134", "451", "445", "439"};
static const float transit_w[] = {50, 25, 10, 10, 5};

/* Arrival months of the two large waves; uniform otherwise. */
static const float month_asyl_2015[12] = {2, 2, 2, 3, 3, 4, 6, 9, 13, 16, 15, 12};
static const float month_asyl_2016[12] = {14, 12, 6, 4, 3, 3, 3, 3, 3, 3, 3, 3};
static const float month_ua_2022[12] = {0, 1, 25, 25, 15, 8, 5, 4, 4, 4, 4, 5};

/* Mortality (Gompertz) and German moves out of the district per year by age. */
#define GOMPERTZ_B        0.088
#define GOMPERTZ_A_MALE   6.0e-5
#define GOMPERTZ_A_FEMALE 3.2e-5
static const float de_leave_age[7] = {0, 18, 25, 30, 45, 65, 200};
static const float de_leave_rate[6] = {0.030f, 0.100f, 0.080f, 0.040f, 0.015f, 0.010f};

/* Streams of random numbers per person, so one aspect can change without moving others. */
enum { ST_BASE, ST_STATUS, ST_COURSE, ST_SCHOOL, ST_PLACE };

#define KEY(kind, n) (((uint64_t)(kind) << 56) | (uint64_t)(n))
#define FIRST_YEAR   1960

/* ---- Model set-up -------------------------------------------------------------------- */

typedef struct smp_cell {
    uint64_t start; /* first slot */
    uint32_t count;
    int16_t year;
    uint8_t group, mode;
} smp_cell;

static const inflow_knot *knot_for(const group_spec *g, int year)
{
    const inflow_knot *k = &g->knots[0];
    for (int i = 1; i < g->n_knots && g->knots[i].from <= year; i++)
        k = &g->knots[i];
    return k;
}

static double rate_of(const inflow_knot *k, int mode)
{
    return mode == M_BIRTH ? k->birth : mode == M_INTERNAL ? k->internal : k->abroad;
}

static int era_of(const group_spec *g, int year)
{
    int e = 0;
    for (int i = 1; i < 4; i++)
        if (year >= g->era_from[i])
            e = i;
    return e;
}

/* Relative size of German birth cohorts (West Germany, smoothed). */
static double births_rel(int y)
{
    if (y < 1946)
        return 0.70;
    if (y < 1955)
        return 0.90;
    if (y < 1969)
        return y == 1964 ? 1.18 : 1.12;
    if (y < 1975)
        return 0.90;
    if (y < 1990)
        return 0.74;
    if (y < 1998)
        return 0.78;
    if (y < 2012)
        return 0.64;
    if (y < 2022)
        return 0.62;
    return 0.60;
}

static double gompertz_survival(double a, double age)
{
    return exp(-a / GOMPERTZ_B * (exp(GOMPERTZ_B * age) - 1.0));
}

static void init_cohorts(smp_model *m)
{
    int t0y = smp_year_of(m->t0);
    double sum = 0;
    for (int k = 0; k < 101; k++) { /* k = 100: born in the year before t0 */
        double age = 100.5 - k;
        double s = 0.5 * (gompertz_survival(GOMPERTZ_A_MALE, age) +
                          gompertz_survival(GOMPERTZ_A_FEMALE, age));
        double w = births_rel(t0y - 101 + k) * s;
        if (age >= 19 && age < 30)
            w *= 0.85; /* young adults leave rural districts for study and work */
        sum += w;
        m->cohort_cdf[k] = sum;
    }
    for (int k = 0; k < 101; k++)
        m->cohort_cdf[k] /= sum;
    m->cohort_cdf[100] = 1.0;
}

static void init_nat_cdf(smp_model *m)
{
    for (int g = 0; g < G_COUNT; g++) {
        int n = origin_lists[g].n;
        for (int e = 0; e < 4; e++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += origin_lists[g].list[i].w[e];
                m->nat_cdf[g][e][i] = sum;
            }
            for (int i = 0; i < n; i++)
                m->nat_cdf[g][e][i] = sum > 0 ? m->nat_cdf[g][e][i] / sum : 1.0;
            if (n)
                m->nat_cdf[g][e][n - 1] = 1.0;
        }
    }
}

static int add_cells(smp_model *m, int group, int first_year, double *cum, uint64_t *slots)
{
    const group_spec *g = &groups[group];
    for (int y = first_year; y <= m->to_year; y++) {
        const inflow_knot *k = knot_for(g, y);
        for (int mode = M_BIRTH; mode <= M_ABROAD; mode++) {
            double before = floor(*cum + 0.5);
            *cum += rate_of(k, mode) * m->persons;
            uint64_t count = (uint64_t)(floor(*cum + 0.5) - before);
            if (count == 0)
                continue;
            smp_cell *c = &m->cells[m->n_cells++];
            *c = (smp_cell){*slots, (uint32_t)count, (int16_t)y, (uint8_t)group, (uint8_t)mode};
            *slots += count;
        }
    }
    return 0;
}

/* Estimates how many foreigners of the inflow history live in the district at t0, by
 * evaluating a spread sample of them; the German stock fills the rest up to `persons`. */
static double estimate_foreign_stock(const smp_model *m, uint64_t first, uint64_t end)
{
    uint64_t n = end - first;
    if (n == 0)
        return 0;
    uint64_t k = n < 512 ? n : 512;
    uint64_t present = 0;
    smp_person p;
    for (uint64_t i = 0; i < k; i++) {
        uint64_t slot = first + i * n / k;
        smp_person_make(m, slot, &p);
        present += smp_present(&p, m->t0);
    }
    return (double)present * (double)n / (double)k;
}

bimo_status smp_model_init(smp_model *m, bimo_error *err)
{
    m->t0 = smp_days(m->from_year - 1, 1, 1);
    m->t1 = smp_days(m->to_year, 12, 31);
    m->ik_start = smp_days(m->from_year - 3, 1, 1);
    init_cohorts(m);
    init_nat_cdf(m);
    int years = m->to_year - FIRST_YEAR + 1;
    m->cells = calloc((size_t)years * 3 * G_COUNT, sizeof *m->cells);
    if (!m->cells)
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    /* Foreign inflow cells first, numbered from slot 0 while the German stock is unknown;
     * persons are keyed by cell and position, so moving the cells later changes no one. */
    m->n_cells = 0;
    m->n_de_stock = 0;
    uint64_t slots = 0;
    int t0y = smp_year_of(m->t0);
    for (int g = G_EU; g < G_COUNT; g++) {
        double cum = 0;
        add_cells(m, g, FIRST_YEAR, &cum, &slots);
    }
    /* Only cells entered before t0 can be present on t0; estimate cell by cell. */
    double foreign = 0;
    m->n_slots = slots;
    m->n_ext = 0;
    for (int i = 0; i < m->n_cells; i++)
        if (m->cells[i].year < t0y)
            foreign +=
                estimate_foreign_stock(m, m->cells[i].start, m->cells[i].start + m->cells[i].count);
    double cum = 0;
    add_cells(m, G_DE, t0y, &cum, &slots);
    double de = (double)m->persons - foreign;
    m->n_de_stock = de > 0 ? (uint64_t)floor(de + 0.5) : 0;
    for (int i = 0; i < m->n_cells; i++)
        m->cells[i].start += m->n_de_stock;
    m->n_ext = (uint64_t)floor(m->persons * 0.004 + 0.5);
    m->n_slots = m->n_de_stock + slots + m->n_ext;
    if (m->n_slots >= 100000000ULL)
        return bimo_fail(err, BIMO_ERR_ARG, "too many persons for 8-digit pupil numbers");
    return BIMO_OK;
}

void smp_model_free(smp_model *m)
{
    if (m) {
        free(m->cells);
        m->cells = NULL;
    }
}

/* ---- Identifiers --------------------------------------------------------------------- */

/* Multiplying by a number coprime to 10 permutes the residues, so ids stay unique while
 * they do not give away the order in which persons were generated. */
void smp_person_id(const smp_model *m, uint64_t slot, char out[10])
{
    uint64_t v = (slot * 387420489ULL + smp_mix(m->seed) % 1000000000ULL) % 1000000000ULL;
    out[0] = 'P';
    for (int i = 9; i >= 1; i--, v /= 10)
        out[i] = (char)('0' + v % 10);
}

void smp_pupil_id(const smp_model *m, uint64_t slot, char out[9])
{
    uint64_t v = (slot * 40353607ULL + smp_mix(m->seed ^ 1) % 100000000ULL) % 100000000ULL;
    out[0] = 'S';
    for (int i = 8; i >= 1; i--, v /= 10)
        out[i] = (char)('0' + v % 10);
}

/* ---- Helpers for a person ------------------------------------------------------------ */

static int32_t death_day(smp_rng *r, char sex, int32_t birth, int32_t alive_on)
{
    double a = sex == 'm' ? GOMPERTZ_A_MALE : GOMPERTZ_A_FEMALE;
    double x0 = (alive_on - birth) / YEAR_DAYS;
    if (x0 < 0)
        x0 = 0;
    double u = 1.0 - smp_uniform(r);
    double x = log(exp(GOMPERTZ_B * x0) - GOMPERTZ_B / a * log(u)) / GOMPERTZ_B;
    if (x > 109)
        x = 109 + smp_uniform(r);
    int32_t d = add_years(birth, x);
    return d > alive_on ? d : alive_on + 1;
}

/* The day a German leaves the district, walking through the age bands of the hazard. */
static int32_t german_leave_day(smp_rng *r, int32_t birth, int32_t from)
{
    double e = smp_exponential(r, 1.0);
    double age = (from - birth) / YEAR_DAYS;
    if (age < 0)
        age = 0;
    double t = age;
    for (int i = 0; i < 6; i++) {
        if (t >= de_leave_age[i + 1])
            continue;
        double span = de_leave_age[i + 1] - t;
        if (e < de_leave_rate[i] * span)
            return add_years(from, t + e / de_leave_rate[i] - age);
        e -= de_leave_rate[i] * span;
        t = de_leave_age[i + 1];
    }
    return SMP_NEVER;
}

static char draw_sex(smp_rng *r, double female)
{
    double u = smp_uniform(r);
    if (u < 0.0002)
        return 'd';
    return u < female ? 'w' : 'm';
}

static int draw_gemeinde(const smp_model *m, smp_rng *r)
{
    return pick_cdf(m->gem_cdf, m->n_gem, smp_uniform(r));
}

/* One move inside the district for some persons. */
static void place(const smp_model *m, smp_person *p)
{
    smp_rng r = smp_rng_for(m->seed, p->key, ST_PLACE);
    p->gem1 = p->gem2 = (uint8_t)draw_gemeinde(m, &r);
    p->move = SMP_NEVER;
    if (m->n_gem < 2 || !smp_chance(&r, 0.15))
        return;
    int32_t lo = p->from > m->t0 ? p->from : m->t0;
    int32_t hi = p->to < m->t1 ? p->to : m->t1;
    if (hi - lo < 60)
        return;
    p->move = smp_between(&r, lo + 1, hi - 1);
    for (int i = 0; i < 8 && p->gem2 == p->gem1; i++)
        p->gem2 = (uint8_t)draw_gemeinde(m, &r);
    if (p->gem2 == p->gem1)
        p->move = SMP_NEVER;
}

static void add_phase(smp_person *p, int32_t start, int code)
{
    if (p->n_phases > 0 && start <= p->phase[p->n_phases - 1].start)
        start = p->phase[p->n_phases - 1].start + 1;
    if (p->n_phases < SMP_MAX_PHASES)
        p->phase[p->n_phases++] = (smp_phase){start, (uint8_t)code};
}

static double age_on(const smp_person *p, int32_t day)
{
    return (day - p->birth) / YEAR_DAYS;
}

/* ---- Integration courses ------------------------------------------------------------- */

static const int16_t course_ue[KA_COUNT] = {700, 1000, 1000, 1000, 1000, 1000, 430, 1000};
static const float dtz_b1[KA_COUNT] = {0.54f, 0.22f, 0.59f, 0.45f, 0.43f, 0.51f, 0.81f, 0.35f};
static const float dtz_a2[KA_COUNT] = {0.37f,  0.485f, 0.335f, 0.405f,
                                       0.415f, 0.385f, 0.16f,  0.445f};
static const float lid_pass[DTZ_COUNT] = {0.93f, 0.80f, 0.55f};

static void entitle(smp_person *p, int32_t date, int art, int von)
{
    if (p->course.date == SMP_NO_DATE || date < p->course.date)
        p->course = (smp_course){.date = date, .art = (uint8_t)art, .von = (uint8_t)von};
}

/* Completes an entitlement: kept only for adults living in the district on its date;
 * then waiting time, course type, course and exam. */
static void finish_course(const smp_model *m, smp_person *p, smp_rng *r)
{
    smp_course *c = &p->course;
    if (c->date == SMP_NO_DATE)
        return;
    double age = age_on(p, c->date);
    if (age < 18 || age >= 65 || !smp_present(p, c->date) || c->date < m->ik_start ||
        c->date > m->t1) {
        c->date = SMP_NO_DATE;
        return;
    }
    const origin *o = &origin_lists[p->group].list[p->origin];
    if (age < 27 && smp_chance(r, 0.12))
        c->kursart = KA_JUGEND;
    else if (p->sex == 'w' && smp_chance(r, 0.12))
        c->kursart = smp_chance(r, 0.5) ? KA_ELTERN : KA_FRAUEN;
    else if (smp_chance(r, o->p_alpha))
        c->kursart = KA_ALPHA;
    else if (smp_chance(r, o->p_script * 0.35))
        c->kursart = KA_ZWEITSCHRIFT;
    else if (smp_chance(r, 0.012))
        c->kursart = KA_INTENSIV;
    else if (smp_chance(r, 0.01))
        c->kursart = KA_FOERDER;
    else
        c->kursart = KA_ALLGEMEIN;
    int obliged = c->art == IKA_VERPFLICHTET;
    c->beginn = c->ende = c->pruefung = SMP_NEVER;
    c->dtz = c->lid = -1;
    if (smp_chance(r, obliged ? 0.10 : 0.22))
        return; /* never starts a course */
    double wait = smp_lognormal(r, obliged ? 7.0 : 4.0, obliged ? 0.55 : 0.7);
    int32_t beginn = c->date + (int32_t)(wait * MONTH_DAYS) + 1;
    if (beginn >= p->to)
        return; /* moved away or died before a place was free */
    c->beginn = beginn;
    c->ende = beginn + (int32_t)(course_ue[c->kursart] * (0.30 + 0.10 * smp_uniform(r)));
    if (!smp_chance(r, 0.85))
        return; /* dropped out or took no exam */
    c->pruefung = c->ende + smp_between(r, 0, 30);
    double u = smp_uniform(r);
    c->dtz = u < dtz_b1[c->kursart]                        ? DTZ_B1
             : u < dtz_b1[c->kursart] + dtz_a2[c->kursart] ? DTZ_A2
                                                           : DTZ_UNTER_A2;
    c->lid = (int8_t)smp_chance(r, lid_pass[c->dtz]);
}

/* ---- Residence titles ---------------------------------------------------------------- */

static int work_title(smp_rng *r)
{
    static const uint8_t codes[] = {RG_18A, RG_18B, RG_18G, RG_19C, RG_16B, RG_16A};
    static const float w[] = {18, 12, 8, 14, 10, 5};
    return codes[pick_weights(r, w, 6)];
}

static int is_family_title(int code)
{
    return code == RG_28 || code == RG_30 || code == RG_32 || code == RG_36;
}

/* Titles of third-country nationals who did not come for protection. */
static void titles_regular(const smp_model *m, smp_person *p, smp_rng *r, int32_t a)
{
    (void)m;
    int first;
    if (p->mode == M_BIRTH)
        first = RG_33;
    else if (age_on(p, a) < 18)
        first = RG_32;
    else if (p->group == G_TR) {
        static const uint8_t codes[] = {RG_30, RG_28, RG_18A, RG_18B, RG_16B, RG_19C, RG_7, RG_36};
        static const float w[] = {40, 20, 12, 5, 10, 5, 3, 5};
        first = codes[pick_weights(r, w, 8)];
    } else {
        static const uint8_t codes[] = {RG_18A, RG_18B, RG_18G, RG_19C, RG_16B,
                                        RG_16A, RG_30,  RG_28,  RG_7,   RG_36};
        static const float w[] = {18, 12, 8, 14, 10, 5, 18, 10, 3, 2};
        first = codes[pick_weights(r, w, 10)];
    }
    add_phase(p, a, first);
    if (first == RG_16B) {
        int32_t done = a + smp_between(r, 3 * 365, 6 * 365);
        if (smp_chance(r, 0.4)) {
            if (done < p->to)
                p->to = done > p->from ? done : p->from; /* graduates and leaves */
            return;
        }
        add_phase(p, done, RG_18B);
        first = RG_18B;
    }
    double p_ne = p->group == G_TR ? 0.85 : 0.6;
    if (first == RG_18G && smp_chance(r, 0.7))
        add_phase(p, a + smp_between(r, 660, 900), RG_9);
    else if (smp_chance(r, p_ne))
        add_phase(p, a + smp_between(r, 4 * 365, 9 * 365), smp_chance(r, 0.15) ? RG_9A : RG_9);
    if (p->mode != M_BIRTH && age_on(p, a) >= 18) {
        if (is_family_title(first) && smp_chance(r, 0.65))
            entitle(p, a + smp_between(r, 14, 90),
                    smp_chance(r, 0.5) ? IKA_VERPFLICHTET : IKA_BERECHTIGT, IKV_ABH);
        else if (!is_family_title(first) && smp_chance(r, 0.08))
            entitle(p, a + smp_between(r, 30, 365), IKA_BERECHTIGT, IKV_ABH);
    }
}

/* Origins whose asylum seekers were admitted to courses during the procedure. */
static int good_prospects(const char *code, int32_t f)
{
    int y = smp_year_of(f);
    if (y >= 2015 && y <= 2019)
        return !strcmp(code, "475") || !strcmp(code, "224") || !strcmp(code, "438") ||
               !strcmp(code, "439") || !strcmp(code, "273");
    return y >= 2022 && !strcmp(code, "423");
}

/* The asylum procedure: arrival, application, decision, and what follows a decision. */
static void titles_asylum(const smp_model *m, smp_person *p, smp_rng *r, int32_t a)
{
    (void)m;
    const origin *o = &origin_lists[G_ASYL].list[p->origin];
    int wave = a >= smp_days(2015, 1, 1) && a < smp_days(2016, 7, 1);
    int32_t f;
    if (p->mode == M_BIRTH) {
        f = a + smp_between(r, 7, 60);
        add_phase(p, a, RG_55);
    } else {
        f = a + (wave ? smp_between(r, 30, 270) : smp_between(r, 3, 45));
        add_phase(p, a, RG_63A);
        add_phase(p, f, RG_55);
    }
    p->asylantrag = f;
    int32_t d = f + (int32_t)(smp_lognormal(r, wave ? 13.0 : 10.0, 0.45) * MONTH_DAYS);
    int rec = smp_chance(r, o->p_rec);
    if (!rec && smp_chance(r, 0.8)) { /* appeal: the procedure stays open in court */
        d += (int32_t)(smp_lognormal(r, 20.0, 0.4) * MONTH_DAYS);
        rec = smp_chance(r, 0.2);
    }
    double adult_at_d = age_on(p, d) >= 18;
    if (good_prospects(o->code, f) && adult_at_d && d - f > 120 && smp_chance(r, 0.30))
        entitle(p, f + smp_between(r, 60, 150), IKA_BERECHTIGT, IKV_BAMF);
    if (rec) {
        double u = smp_uniform(r);
        int code = u < o->gfk                      ? RG_25_2_1
                   : u < o->gfk + o->sub           ? RG_25_2_2
                   : u < o->gfk + o->sub + o->abs3 ? RG_25_3
                                                   : RG_25_1;
        add_phase(p, d, code);
        double early = smp_uniform(r); /* settlement permit after 5-7 or 8-14 years */
        if (early < 0.8) {
            int32_t ne = a + (early < 0.5 ? smp_between(r, 5 * 365, 7 * 365)
                                          : smp_between(r, 8 * 365, 14 * 365));
            if (ne < d + 365)
                ne = d + 365;
            add_phase(p, ne, code == RG_25_2_1 || code == RG_25_1 ? RG_26_3 : RG_26_4);
        }
        if (age_on(p, d) >= 18 && smp_chance(r, 0.85)) {
            int obliged = smp_chance(r, 0.55);
            entitle(p, d + smp_between(r, 7, 60), obliged ? IKA_VERPFLICHTET : IKA_BERECHTIGT,
                    obliged ? (smp_chance(r, 0.7) ? IKV_JOBCENTER : IKV_ABH) : IKV_ABH);
        }
        return;
    }
    double u = smp_uniform(r);
    int code = u < 0.75 ? RG_60A : u < 0.95 ? RG_50 : RG_60B;
    add_phase(p, d, code);
    if (code == RG_50 && smp_chance(r, 0.5))
        add_phase(p, d + smp_between(r, 90, 270), RG_60A);
    /* Rejected persons leave (return or removal) unless their stay is regularised. */
    int32_t leave = add_years(d, smp_exponential(r, 0.45));
    int32_t regular = SMP_NEVER;
    if (smp_chance(r, 0.3))
        regular = d + smp_between(r, 3 * 365, 7 * 365);
    if (leave < regular) {
        if (leave < p->to)
            p->to = leave > p->from ? leave : p->from;
        return;
    }
    if (regular >= smp_days(2023, 1, 1) && smp_chance(r, 0.4)) {
        add_phase(p, regular, RG_104C);
        add_phase(p, regular + 548, RG_25B);
    } else {
        add_phase(p, regular,
                  age_on(p, regular) < 27 ? RG_25A
                  : smp_chance(r, 0.6)    ? RG_25B
                                          : RG_25_5);
    }
}

/* Admitted from abroad by a federal or Land programme or resettled: protection without an
 * asylum procedure. */
static int resettled(const smp_person *p, smp_rng *r, int32_t a)
{
    const char *c = p->nat;
    int y = smp_year_of(a);
    return p->mode == M_ABROAD && y >= 2013 && y <= 2019 &&
           (!strcmp(c, "475") || !strcmp(c, "438") || !strcmp(c, "224") || !strcmp(c, "273")) &&
           smp_chance(r, 0.04);
}

static void titles_resettled(smp_person *p, smp_rng *r, int32_t a)
{
    add_phase(p, a, smp_chance(r, 0.6) ? RG_23_1 : RG_23_4);
    if (smp_chance(r, 0.6))
        add_phase(p, a + smp_between(r, 5 * 365, 8 * 365), RG_26_4);
    if (age_on(p, a) >= 18 && smp_chance(r, 0.8))
        entitle(p, a + smp_between(r, 14, 90), IKA_BERECHTIGT, IKV_ABH);
}

static void titles_family_of_refugee(smp_person *p, smp_rng *r, int32_t a)
{
    int child = age_on(p, a) < 18;
    add_phase(p, a, child ? RG_32 : age_on(p, a) >= 60 ? RG_36 : RG_30);
    if (smp_chance(r, 0.55))
        add_phase(p, a + smp_between(r, 5 * 365, 8 * 365), RG_9);
    if (!child && smp_chance(r, 0.7))
        entitle(p, a + smp_between(r, 14, 90),
                smp_chance(r, 0.55) ? IKA_VERPFLICHTET : IKA_BERECHTIGT, IKV_ABH);
}

static void titles(const smp_model *m, smp_person *p, int family)
{
    smp_rng r = smp_rng_for(m->seed, p->key, ST_STATUS);
    int32_t a = p->einreise != SMP_NO_DATE ? p->einreise : p->birth;
    int adult = p->mode != M_BIRTH && age_on(p, a) >= 18;
    switch (p->group) {
    case G_EU:
        add_phase(p, a, RG_FREIZUEG);
        if (adult && smp_chance(&r, 0.06))
            entitle(p, a + smp_between(&r, 30, 720), IKA_BERECHTIGT, IKV_BAMF);
        break;
    case G_UA:
        add_phase(p, a, RG_24);
        if (p->mode != M_BIRTH && smp_chance(&r, 0.07))
            add_phase(p, a + smp_between(&r, 540, 1280), work_title(&r));
        if (adult && smp_chance(&r, 0.75)) {
            int obliged = smp_chance(&r, 0.45);
            entitle(p, a + smp_between(&r, 30, 150), obliged ? IKA_VERPFLICHTET : IKA_BERECHTIGT,
                    obliged ? (smp_chance(&r, 0.8) ? IKV_JOBCENTER : IKV_ABH)
                            : (smp_chance(&r, 0.5) ? IKV_BAMF : IKV_ABH));
        }
        break;
    case G_ASYL:
        if (family)
            titles_family_of_refugee(p, &r, a);
        else if (resettled(p, &r, a))
            titles_resettled(p, &r, a);
        else
            titles_asylum(m, p, &r, a);
        break;
    default: titles_regular(m, p, &r, a); break;
    }
    smp_rng rc = smp_rng_for(m->seed, p->key, ST_COURSE);
    finish_course(m, p, &rc);
}

int smp_phase_at(const smp_person *p, int32_t day)
{
    int found = -1;
    for (int i = 0; i < p->n_phases && p->phase[i].start <= day; i++)
        found = i;
    return found < 0 && p->n_phases > 0 ? 0 : found;
}

void smp_phase_validity(const smp_person *p, int i, int32_t day, int32_t *from, int32_t *to)
{
    int code = p->phase[i].code;
    int32_t start = p->phase[i].start;
    int term = rg_term[code];
    if (term == 0 || day < start) {
        *from = start;
        *to = term == 0 ? SMP_NO_DATE : start + term - 1;
        return;
    }
    int32_t k = (day - start) / term;
    *from = start + k * term;
    *to = *from + term - 1;
}

/* ---- Nationality --------------------------------------------------------------------- */

void smp_nat_at(const smp_person *p, int32_t day, const char **nat, const char **nat2)
{
    if (day < p->natur) {
        *nat = p->nat;
        *nat2 = p->nat2;
    } else if (!p->natur_keep) {
        *nat = "000";
        *nat2 = NULL;
    } else if (p->natur_swap) {
        *nat = p->nat;
        *nat2 = "000";
    } else {
        *nat = "000";
        *nat2 = p->nat;
    }
}

int smp_foreign_at(const smp_person *p, int32_t day)
{
    const char *a, *b;
    smp_nat_at(p, day, &a, &b);
    return strcmp(a, "000") != 0 && !(b && strcmp(b, "000") == 0);
}

static void german_dual(smp_person *p, smp_rng *r, double share)
{
    if (!smp_chance(r, share))
        return;
    const char *other = dual_codes[pick_weights(r, dual_w, (int)(sizeof dual_w / sizeof *dual_w))];
    if (smp_chance(r, 0.1)) { /* written foreign first: German only through the second field */
        p->nat = other;
        p->nat2 = "000";
    } else {
        p->nat2 = other;
    }
}

/* ---- Persons ------------------------------------------------------------------------- */

static int draw_age_days(smp_rng *r, const group_spec *g)
{
    int band = pick_weights(r, g->age_w, 10);
    double age = age_band[band] + smp_uniform(r) * (age_band[band + 1] - age_band[band]);
    return (int)(age * YEAR_DAYS);
}

static int32_t entry_day(smp_rng *r, int group, int year)
{
    const float *months = NULL;
    if (group == G_ASYL && year == 2015)
        months = month_asyl_2015;
    else if (group == G_ASYL && year == 2016)
        months = month_asyl_2016;
    else if (group == G_UA && year == 2022)
        months = month_ua_2022;
    if (!months)
        return smp_days(year, 1, 1) +
               smp_between(r, 0, smp_days(year + 1, 1, 1) - smp_days(year, 1, 1) - 1);
    int mo = pick_weights(r, months, 12) + 1;
    int32_t first = smp_days(year, mo, 1);
    int32_t last = mo == 12 ? smp_days(year + 1, 1, 1) - 1 : smp_days(year, mo + 1, 1) - 1;
    if (group == G_UA && year == 2022 && mo == 2)
        first = smp_days(2022, 2, 24);
    return smp_between(r, first, last);
}

static void school_relevance(const smp_model *m, smp_person *p)
{
    int by = smp_year_of(p->birth);
    p->school_relevant = by >= m->from_year - 27 && by <= m->to_year - 5 &&
                         p->to > smp_days(m->from_year - 1, 8, 1) && p->from <= m->t1;
}

static void make_german_stock(const smp_model *m, uint64_t i, smp_person *p)
{
    p->key = KEY(1, i);
    p->group = G_DE;
    p->mode = M_STOCK;
    smp_rng r = smp_rng_for(m->seed, p->key, ST_BASE);
    int t0y = smp_year_of(m->t0);
    int by = t0y - 101 + pick_cdf(m->cohort_cdf, 101, smp_uniform(&r));
    int32_t y0 = smp_days(by, 1, 1), y1 = smp_days(by + 1, 1, 1);
    p->birth = smp_between(&r, y0, y1 - 1);
    p->sex = draw_sex(&r, 0.505);
    double age = age_on(p, m->t0);
    double here = age < 1 ? 1.0 : age < 18 ? 0.75 : age < 30 ? 0.55 : 0.45;
    p->from = p->birth;
    if (!smp_chance(&r, here)) {
        int32_t lo = p->birth + 1, earliest = add_years(m->t0, -30);
        p->zuzug = smp_between(&r, lo > earliest ? lo : earliest, m->t0 - 1);
        p->from = p->zuzug;
        double u = smp_uniform(&r);
        if (by <= 1980 && u < 0.08) { /* Spätaussiedler */
            int32_t e = smp_between(&r, smp_days(1988, 1, 1), smp_days(2000, 12, 31));
            if (e > p->birth && e <= p->zuzug) {
                p->einreise = e;
                if (smp_chance(&r, 0.5)) {
                    p->zuzug = p->from = e;
                    p->herkunft = aussiedler_codes[pick_weights(&r, aussiedler_w, 5)];
                }
                if (smp_chance(&r, 0.2))
                    p->nat2 = p->herkunft ? p->herkunft : "160";
            }
        } else if (u < 0.11) { /* returned from abroad */
            p->herkunft = return_codes[pick_weights(&r, return_w, 12)];
        }
    }
    if (!p->nat2)
        german_dual(p, &r, 0.03);
    int32_t leave = german_leave_day(&r, p->birth, m->t0);
    int32_t death = death_day(&r, p->sex, p->birth, m->t0);
    p->to = leave < death ? leave : death;
}

static void make_german_inflow(smp_person *p, smp_rng *r, int32_t e)
{
    const group_spec *g = &groups[G_DE];
    if (p->mode == M_BIRTH) {
        p->birth = e;
        p->sex = draw_sex(r, 0.487);
        german_dual(p, r, 0.05);
    } else {
        p->birth = e - draw_age_days(r, g);
        p->sex = draw_sex(r, age_on(p, e) < 18 ? g->female_child : g->female_adult);
        p->zuzug = e;
        if (p->mode == M_ABROAD) {
            if (smp_chance(r, 0.12)) {
                p->einreise = e;
                p->herkunft = aussiedler_codes[pick_weights(r, aussiedler_w, 5)];
            } else {
                p->herkunft = return_codes[pick_weights(r, return_w, 12)];
            }
        }
        german_dual(p, r, 0.03);
    }
    p->from = e;
    int32_t leave = german_leave_day(r, p->birth, e);
    int32_t death = death_day(r, p->sex, p->birth, e);
    p->to = leave < death ? leave : death;
}

static void make_foreign_inflow(const smp_model *m, smp_person *p, smp_rng *r, int32_t e, int year)
{
    const group_spec *g = &groups[p->group];
    int era = era_of(g, year);
    p->origin =
        (uint8_t)pick_cdf(m->nat_cdf[p->group][era], origin_lists[p->group].n, smp_uniform(r));
    const origin *o = &origin_lists[p->group].list[p->origin];
    p->nat = o->code;
    int family = 0;
    if (p->mode == M_BIRTH) {
        p->birth = e;
        p->from = e;
        p->sex = draw_sex(r, g->female_child);
    } else {
        p->birth = e - draw_age_days(r, g);
        p->sex = draw_sex(r, age_on(p, e) < 18 ? g->female_child : g->female_adult);
        if (p->group == G_ASYL) {
            double fam = year <= 2016 ? 0.05 : year <= 2021 ? 0.30 : 0.15;
            family = smp_chance(r, fam);
        }
        if (p->mode == M_ABROAD) {
            p->einreise = e;
            int32_t delay = 0;
            if (p->group == G_ASYL && !family) /* first months in the Land's reception centre */
                delay = (year == 2015 || year == 2016) ? smp_between(r, 30, 240)
                                                       : smp_between(r, 14, 150);
            else if (p->group == G_UA)
                delay = smp_between(r, 0, 30);
            p->zuzug = e + delay;
            p->herkunft = p->nat;
            if (p->group == G_ASYL && !family && smp_chance(r, 0.15))
                p->herkunft = transit_codes[pick_weights(r, transit_w, 5)];
            if (!strcmp(p->nat, "997") || !strcmp(p->nat, "998"))
                p->herkunft = transit_codes[pick_weights(r, transit_w, 5)];
        } else {
            int32_t earliest = smp_days(g->knots[0].from, 1, 1);
            if (p->group == G_UA)
                earliest = smp_days(2022, 2, 24);
            int32_t ein = e - smp_between(r, 180, 8 * 365);
            if (ein < earliest)
                ein = earliest;
            if (ein <= p->birth)
                ein = p->birth + 1;
            p->einreise = ein < e ? ein : e;
            p->zuzug = e;
        }
        p->from = p->zuzug;
    }
    int32_t leave = add_years(p->from, smp_exponential(r, g->leave_rate));
    int32_t death = death_day(r, p->sex, p->birth, p->from);
    p->to = leave < death ? leave : death;
    if (g->natur_rate > 0) {
        int32_t a = p->einreise != SMP_NO_DATE ? p->einreise : p->birth;
        p->natur = add_years(a, g->natur_after + smp_exponential(r, g->natur_rate));
        p->natur_keep = smp_chance(r, 0.7);
        p->natur_swap = smp_chance(r, 0.1);
    }
    titles(m, p, family);
    /* Only recognised refugees, settled residents and EU citizens are naturalised. */
    if (p->natur != SMP_NEVER) {
        int i = smp_phase_at(p, p->natur);
        int code = i >= 0 ? p->phase[i].code : -1;
        int ok = code == RG_25_1 || code == RG_25_2_1 || code == RG_25_2_2 || code == RG_26_3 ||
                 code == RG_26_4 || code == RG_9 || code == RG_9A || code == RG_FREIZUEG;
        if (!ok)
            p->natur = SMP_NEVER;
    }
}

static void make_inflow(const smp_model *m, int ci, uint64_t j, smp_person *p)
{
    const smp_cell *c = &m->cells[ci];
    p->key = KEY(2, ((uint64_t)ci << 32) | j);
    p->group = c->group;
    p->mode = c->mode;
    smp_rng r = smp_rng_for(m->seed, p->key, ST_BASE);
    int32_t e = entry_day(&r, c->group, c->year);
    if (c->group == G_DE)
        make_german_inflow(p, &r, e);
    else
        make_foreign_inflow(m, p, &r, e, c->year);
}

static void make_external(const smp_model *m, uint64_t i, smp_person *p)
{
    p->key = KEY(3, i);
    p->group = G_DE;
    p->mode = M_EXTERNAL;
    smp_rng r = smp_rng_for(m->seed, p->key, ST_BASE);
    int by = smp_between(&r, m->from_year - 21, m->to_year - 6);
    p->birth = smp_between(&r, smp_days(by, 1, 1), smp_days(by, 12, 31));
    p->sex = draw_sex(&r, 0.49);
    if (smp_chance(&r, 0.1)) {
        int g = smp_chance(&r, 0.5) ? G_EU : G_OTHER;
        p->nat = origin_lists[g]
                     .list[pick_cdf(m->nat_cdf[g][3], origin_lists[g].n, smp_uniform(&r))]
                     .code;
    }
    p->from = p->to = SMP_NEVER;
    p->gem1 = p->gem2 = (uint8_t)pick_cdf(m->outside_cdf, m->n_gem, smp_uniform(&r));
    p->move = SMP_NEVER;
    p->school_relevant = 1;
}

void smp_person_make(const smp_model *m, uint64_t slot, smp_person *p)
{
    memset(p, 0, offsetof(smp_person, phase));
    p->slot = slot;
    p->nat = "000";
    p->natur = SMP_NEVER;
    p->einreise = p->zuzug = p->asylantrag = SMP_NO_DATE;
    p->course.date = SMP_NO_DATE;
    if (slot < m->n_de_stock) {
        make_german_stock(m, slot, p);
    } else if (slot < m->n_slots - m->n_ext) {
        uint64_t rel = slot;
        int lo = 0, hi = m->n_cells - 1;
        while (lo < hi) { /* the last cell starting at or before slot */
            int mid = (lo + hi + 1) / 2;
            if (m->cells[mid].start <= rel)
                lo = mid;
            else
                hi = mid - 1;
        }
        make_inflow(m, lo, slot - m->cells[lo].start, p);
    } else {
        make_external(m, slot - (m->n_slots - m->n_ext), p);
        return;
    }
    place(m, p);
    school_relevance(m, p);
}

/* ---- Codes for the check against indicators/codes ------------------------------------ */

void smp_each_state_code(void (*cb)(const char *code, void *ctx), void *ctx)
{
    cb("000", ctx);
    for (int g = 0; g < G_COUNT; g++)
        for (int i = 0; i < origin_lists[g].n; i++)
            cb(origin_lists[g].list[i].code, ctx);
    for (size_t i = 0; i < sizeof dual_codes / sizeof *dual_codes; i++)
        cb(dual_codes[i], ctx);
    for (size_t i = 0; i < sizeof return_codes / sizeof *return_codes; i++)
        cb(return_codes[i], ctx);
    for (size_t i = 0; i < sizeof aussiedler_codes / sizeof *aussiedler_codes; i++)
        cb(aussiedler_codes[i], ctx);
    for (size_t i = 0; i < sizeof transit_codes / sizeof *transit_codes; i++)
        cb(transit_codes[i], ctx);
}
