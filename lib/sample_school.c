/* sample_school.c — the sample district's profile, its synthetic school network and the
 * school career of every pupil (Grundschule, Sek I, Oberstufe, vocational school). */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "sample.h"

/* ---- Small well-formed CSV files (profile and code lists) ---------------------------- */

#define MAX_FIELDS 16

typedef struct {
    char *text;
    char *pos;
    const char *path;
    long line;
} small_csv;

static bimo_status small_csv_open(small_csv *f, const char *path, bimo_error *err)
{
    memset(f, 0, sizeof *f);
    f->path = path;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return bimo_fail_at(err, BIMO_ERR_NOINPUT, path, 0, 0, "cannot open: %m");
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap + 1);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len, fp)) > 0) {
        len += n;
        if (len == cap) {
            char *bigger = cap < (1 << 24) ? realloc(buf, cap * 2 + 1) : NULL;
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    int bad = ferror(fp);
    fclose(fp);
    if (!buf)
        return bimo_fail_at(err, BIMO_ERR_NOMEM, path, 0, 0, "file too large or out of memory");
    if (bad) {
        free(buf);
        return bimo_fail_at(err, BIMO_ERR_IO, path, 0, 0, "read error");
    }
    buf[len] = '\0';
    f->text = buf;
    f->pos = buf + (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0);
    return BIMO_OK;
}

/* Splits the next non-empty line into fields in place; returns the count, 0 at the end. */
static int small_csv_next(small_csv *f, char **fields)
{
    while (*f->pos) {
        char *line = f->pos;
        char *end = line + strcspn(line, "\n");
        f->pos = *end ? end + 1 : end;
        f->line++;
        *end = '\0';
        if (end > line && end[-1] == '\r')
            end[-1] = '\0';
        if (!*line)
            continue;
        int n = 0;
        for (char *p = line; n < MAX_FIELDS;) {
            fields[n++] = p;
            char *semi = strchr(p, ';');
            if (!semi)
                break;
            *semi = '\0';
            p = semi + 1;
        }
        return n;
    }
    return 0;
}

static void small_csv_close(small_csv *f)
{
    free(f->text);
    f->text = NULL;
}

static int column(char **header, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(header[i], name) == 0)
            return i;
    return -1;
}

/* ---- Profile ------------------------------------------------------------------------- */

static int region_index(char names[][48], int *n, const char *name)
{
    for (int i = 0; i < *n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    if (*n >= SMP_MAX_REGIONS)
        return -1;
    snprintf(names[*n], 48, "%s", name);
    return (*n)++;
}

static int valid_ags(const char *s)
{
    return strlen(s) == 8 && strspn(s, "0123456789") == 8;
}

static bimo_status read_gemeinden(smp_model *m, const char *path, bimo_error *err)
{
    small_csv f;
    bimo_status st = small_csv_open(&f, path, err);
    if (st != BIMO_OK)
        return st;
    char *fields[MAX_FIELDS];
    int nh = small_csv_next(&f, fields);
    int c_ags = column(fields, nh, "ags"), c_ew = column(fields, nh, "einwohner"),
        c_kom = column(fields, nh, "kommune"), c_reg = column(fields, nh, "region");
    if (c_ags < 0 || c_ew < 0 || c_kom < 0 || c_reg < 0) {
        small_csv_close(&f);
        return bimo_fail_at(err, BIMO_ERR_PARSE, path, 1, 0,
                            "header needs the columns ags, einwohner, kommune and region");
    }
    char regions[SMP_MAX_REGIONS][48];
    m->n_regions = 0;
    m->n_gem = 0;
    int n;
    while ((n = small_csv_next(&f, fields)) > 0) {
        if (n != nh || m->n_gem >= SMP_MAX_GEMEINDEN) {
            st = bimo_fail_at(err, BIMO_ERR_PARSE, path, f.line, 0,
                              n != nh ? "%d fields, but the header has %d"
                                      : "more than %d municipalities",
                              n != nh ? n : SMP_MAX_GEMEINDEN, nh);
            break;
        }
        smp_gemeinde *g = &m->gem[m->n_gem];
        char *end;
        long ew = strtol(fields[c_ew], &end, 10);
        int reg = region_index(regions, &m->n_regions, fields[c_reg]);
        if (!valid_ags(fields[c_ags]) || *end || ew <= 0 || ew > 10000000 || reg < 0 ||
            strlen(fields[c_kom]) >= sizeof g->kommune) {
            st = bimo_fail_at(err, BIMO_ERR_DATA, path, f.line, 0,
                              "expected an 8-digit ags, a positive einwohner, a kommune key "
                              "and at most %d regions",
                              SMP_MAX_REGIONS);
            break;
        }
        memcpy(g->ags, fields[c_ags], 9);
        snprintf(g->kommune, sizeof g->kommune, "%s", fields[c_kom]);
        g->region = reg;
        g->einwohner = (int)ew;
        m->n_gem++;
    }
    small_csv_close(&f);
    if (st == BIMO_OK && m->n_gem == 0)
        st = bimo_fail_at(err, BIMO_ERR_DATA, path, 0, 0, "no municipalities listed");
    return st;
}

/* ---- School network ------------------------------------------------------------------ */

static void add_school(smp_model *m, int form, int gem)
{
    if (m->n_schools >= SMP_MAX_SCHOOLS)
        return;
    smp_school *s = &m->school[m->n_schools];
    snprintf(s->nummer, sizeof s->nummer, "%05u", (unsigned)(70101 + m->n_schools) % 100000u);
    s->form = (uint8_t)form;
    s->gemeinde = (uint8_t)gem;
    m->n_schools++;
}

/* The largest (rank 0) or next largest municipality among those with member[i] set. */
static int largest(const smp_model *m, const int *member, int rank)
{
    int order[SMP_MAX_GEMEINDEN], n = 0;
    for (int i = 0; i < m->n_gem; i++)
        if (member[i])
            order[n++] = i;
    for (int i = 1; i < n; i++) /* insertion sort by population, descending */
        for (int j = i; j > 0 && m->gem[order[j]].einwohner > m->gem[order[j - 1]].einwohner; j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    if (n == 0)
        return -1;
    return order[rank < n ? rank : n - 1];
}

/* A rule-based network, roughly the size of a rural district's: Grundschulen everywhere,
 * Oberschulen and Gymnasien per reporting unit, the rarer forms once per region. */
static void build_schools(smp_model *m)
{
    m->n_schools = 0;
    for (int g = 0; g < m->n_gem; g++) {
        int gs = (int)floor(m->gem[g].einwohner / 3500.0 + 0.5);
        for (int i = 0; i < (gs < 1 ? 1 : gs); i++)
            add_school(m, SF_GS, g);
    }
    int done[SMP_MAX_GEMEINDEN] = {0};
    for (int g = 0; g < m->n_gem; g++) {
        if (done[g])
            continue;
        int member[SMP_MAX_GEMEINDEN] = {0}, pop = 0;
        for (int h = 0; h < m->n_gem; h++)
            if (strcmp(m->gem[h].kommune, m->gem[g].kommune) == 0) {
                member[h] = done[h] = 1;
                pop += m->gem[h].einwohner;
            }
        if (pop >= 7000)
            add_school(m, SF_OBS, largest(m, member, 0));
        if (pop >= 25000)
            add_school(m, SF_OBS, largest(m, member, 1));
        if (pop >= 20000)
            add_school(m, SF_GYM, largest(m, member, 0));
        if (pop >= 40000)
            add_school(m, SF_GYM, largest(m, member, 0));
    }
    int smallest = -1, smallest_pop = INT_MAX;
    for (int r = 0; r < m->n_regions; r++) {
        int member[SMP_MAX_GEMEINDEN] = {0}, pop = 0;
        for (int h = 0; h < m->n_gem; h++)
            if (m->gem[h].region == r) {
                member[h] = 1;
                pop += m->gem[h].einwohner;
            }
        add_school(m, SF_IGS, largest(m, member, 0));
        add_school(m, SF_FOES, largest(m, member, 0));
        add_school(m, SF_RS, largest(m, member, 1));
        if (pop >= 80000)
            add_school(m, SF_HS, largest(m, member, 0));
        if (pop >= 50000)
            add_school(m, SF_BBS, largest(m, member, 0));
        if (pop < smallest_pop) {
            smallest_pop = pop;
            smallest = largest(m, member, 0);
        }
    }
    add_school(m, SF_KGS_GY, smallest); /* one KGS; its branches share the number */
    /* Every form needs a school somewhere, whatever the profile. */
    static const int forms[] = {SF_GS,  SF_HS,     SF_RS,   SF_OBS, SF_GYM,
                                SF_IGS, SF_KGS_GY, SF_FOES, SF_BBS};
    for (size_t f = 0; f < sizeof forms / sizeof *forms; f++) {
        int any = 0;
        for (int s = 0; s < m->n_schools; s++)
            any |= m->school[s].form == forms[f];
        if (!any) {
            int all[SMP_MAX_GEMEINDEN];
            for (int i = 0; i < m->n_gem; i++)
                all[i] = 1;
            add_school(m, forms[f], largest(m, all, 0));
        }
    }
}

/* For each municipality and form the schools to choose from: in the municipality, else
 * in its reporting unit, else in its region, else anywhere. */
static void build_candidates(smp_model *m)
{
    for (int g = 0; g < m->n_gem; g++)
        for (int f = 0; f < SF_COUNT; f++) {
            int n = 0;
            for (int level = 0; level < 4 && n == 0; level++)
                for (int s = 0; s < m->n_schools && n < SMP_MAX_CAND; s++) {
                    const smp_school *sc = &m->school[s];
                    const smp_gemeinde *at = &m->gem[sc->gemeinde];
                    int near = level == 0   ? sc->gemeinde == g
                               : level == 1 ? strcmp(at->kommune, m->gem[g].kommune) == 0
                               : level == 2 ? at->region == m->gem[g].region
                                            : 1;
                    if (sc->form == f && near)
                        m->cand[g][f][n++] = (uint16_t)s;
                }
            m->n_cand[g][f] = (uint8_t)n;
        }
}

bimo_status smp_profile_load(smp_model *m, const char *profile_dir, bimo_error *err)
{
    char path[PATH_MAX];
    if ((size_t)snprintf(path, sizeof path, "%s/gemeinden.csv", profile_dir) >= sizeof path)
        return bimo_fail(err, BIMO_ERR_ARG, "profile path too long: %s", profile_dir);
    bimo_status st = read_gemeinden(m, path, err);
    if (st != BIMO_OK)
        return st;
    double sum = 0;
    for (int g = 0; g < m->n_gem; g++) {
        sum += m->gem[g].einwohner;
        m->gem_cdf[g] = sum;
    }
    for (int g = 0; g < m->n_gem; g++)
        m->outside_cdf[g] = m->gem_cdf[g] = m->gem_cdf[g] / sum;
    m->gem_cdf[m->n_gem - 1] = m->outside_cdf[m->n_gem - 1] = 1.0;
    build_schools(m);
    build_candidates(m);
    return BIMO_OK;
}

/* ---- Code check ---------------------------------------------------------------------- */

typedef struct {
    char **codes;
    int n;
    const char *list;
    const char *missing;
} code_set;

static void check_one(const char *code, void *ctx)
{
    code_set *s = ctx;
    if (s->missing || !*code)
        return;
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->codes[i], code) == 0)
            return;
    s->missing = code;
}

static bimo_status check_list(const char *data_dir, const char *name, const char *const *codes,
                              int n, void (*each)(void (*)(const char *, void *), void *),
                              bimo_error *err)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/indicators/codes/%s.csv", data_dir, name);
    small_csv f;
    bimo_status st = small_csv_open(&f, path, err);
    if (st != BIMO_OK)
        return st;
    code_set set = {NULL, 0, name, NULL};
    char *fields[MAX_FIELDS];
    int cap = 0;
    small_csv_next(&f, fields); /* header */
    while (small_csv_next(&f, fields) > 0) {
        if (set.n == cap) {
            cap = cap ? cap * 2 : 64;
            char **more = realloc(set.codes, (size_t)cap * sizeof *more);
            if (!more) {
                free(set.codes);
                small_csv_close(&f);
                return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
            }
            set.codes = more;
        }
        set.codes[set.n++] = fields[0];
    }
    for (int i = 0; i < n; i++)
        check_one(codes[i], &set);
    if (each)
        each(check_one, &set);
    if (set.missing)
        st = bimo_fail_at(err, BIMO_ERR_DATA, path, 0, 0,
                          "code \"%s\" written by the sample generator is not in the list",
                          set.missing);
    free(set.codes);
    small_csv_close(&f);
    return st;
}

bimo_status smp_check_codes(const char *data_dir, bimo_error *err)
{
    static const char *const sexes[] = {"m", "w", "d"};
    bimo_status st = BIMO_OK;
#define CHECK(name, arr, n, each)                                                                  \
    if (st == BIMO_OK)                                                                             \
    st = check_list(data_dir, name, arr, n, each, err)
    CHECK("rechtsgrundlage", smp_rg_code, RG_COUNT, NULL);
    CHECK("schulform", smp_sf_code, SF_COUNT, NULL);
    CHECK("abschluss", smp_ab_code, AB_COUNT, NULL);
    CHECK("bildungsgang", smp_bg_code + 1, BG_COUNT - 1, NULL);
    CHECK("kursart", smp_ka_code, KA_COUNT, NULL);
    CHECK("dtz_ergebnis", smp_dtz_code, DTZ_COUNT, NULL);
    CHECK("berechtigung_art", smp_ika_code, 2, NULL);
    CHECK("ausgestellt_von", smp_ikv_code, 3, NULL);
    CHECK("geschlecht", sexes, 3, NULL);
    CHECK("staaten", NULL, 0, smp_each_state_code);
#undef CHECK
    return st;
}

/* ---- School careers ------------------------------------------------------------------ */

typedef struct {
    const smp_model *m;
    const smp_person *p;
    smp_career *c;
    smp_rng r;
    int foreign; /* non-German pupil: other transitions and qualifications */
    int repeats;
} career;

static uint16_t pick_school(const career *k, int form, int year)
{
    int key = form == SF_KGS_HS || form == SF_KGS_RS ? SF_KGS_GY : form;
    int gem = smp_gem_at(k->p, smp_school_census(year));
    int n = k->m->n_cand[gem][key];
    uint64_t h = smp_mix(k->p->key ^ ((uint64_t)key << 40));
    return n ? k->m->cand[gem][key][h % (uint64_t)n] : 0;
}

static void record(career *k, int year, int form, int jg, uint16_t school, int bg, int ajahr)
{
    const smp_model *m = k->m;
    smp_career *c = k->c;
    if (year < m->from_year || year > m->to_year || c->n >= SMP_MAX_SCHOOL_YEARS)
        return;
    int32_t census = smp_school_census(year);
    int32_t in = k->p->einreise;
    int slk = form != SF_BBS && jg <= 10 && in != SMP_NO_DATE && in <= census && census - in < 365;
    c->y[c->n++] = (smp_school_year){(int16_t)year, (uint8_t)form, (uint8_t)jg,   school,
                                     (uint8_t)slk,  (uint8_t)bg,   (uint8_t)ajahr};
}

static double age_at(const career *k, int32_t day)
{
    return (day - k->p->birth) / 365.25;
}

static int draw(smp_rng *r, const float *w, int n)
{
    double u = smp_uniform(r), sum = 0;
    for (int i = 0; i < n; i++)
        sum += w[i];
    u *= sum;
    for (int i = 0; i < n; i++) {
        if (u < w[i])
            return i;
        u -= w[i];
    }
    return n - 1;
}

static int kgs_branch(smp_rng *r)
{
    static const float w[] = {45, 35, 20};
    static const uint8_t f[] = {SF_KGS_GY, SF_KGS_RS, SF_KGS_HS};
    return f[draw(r, w, 3)];
}

/* Form in Schuljahrgang 5 after the Grundschule (Niedersachsen, no binding recommendation). */
static int sek1_form(career *k)
{
    if (smp_chance(&k->r, k->foreign ? 0.05 : 0.034))
        return SF_FOES;
    static const uint8_t forms[] = {SF_GYM, SF_OBS, SF_IGS, SF_RS, SF_HS, SF_KGS_GY};
    static const float de[] = {41.5f, 32, 11.5f, 10, 2.5f, 2.5f};
    static const float nd[] = {22, 42, 16, 10, 7, 3};
    int f = forms[draw(&k->r, k->foreign ? nd : de, 6)];
    return f == SF_KGS_GY ? kgs_branch(&k->r) : f;
}

static int newcomer_form(career *k)
{
    static const uint8_t forms[] = {SF_OBS, SF_HS, SF_IGS, SF_RS, SF_GYM, SF_KGS_GY, SF_FOES};
    static const float w[] = {42, 10, 22, 8, 10, 4, 4};
    int f = forms[draw(&k->r, w, 7)];
    return f == SF_KGS_GY ? kgs_branch(&k->r) : f;
}

static int is_gym(int form)
{
    return form == SF_GYM || form == SF_KGS_GY;
}

static double repeat_rate(const career *k, int form, int jg)
{
    double p;
    if (form == SF_GS)
        p = jg <= 3 ? 0.008 : 0;
    else if (form == SF_FOES)
        p = 0;
    else if (form == SF_IGS)
        p = 0.008;
    else if (is_gym(form))
        p = jg >= 11 ? 0.03 : 0.02;
    else
        p = 0.025;
    return k->foreign ? p * 1.5 : p;
}

/* Qualification at the end of Schuljahrgang 10 outside the Gymnasium. */
static int abschluss_10(career *k, int form)
{
    static const uint8_t ab[] = {AB_OHNE, AB_SEK1_HSA, AB_SEK1_RSA, AB_ERW_SEK1};
    static const float de[4][4] = {
        {7, 50, 35, 8}, {3, 23, 44, 30}, {2, 11, 49, 38}, {3, 19, 36, 42}};
    static const float nd[4][4] = {
        {15, 52, 27, 6}, {8, 30, 42, 20}, {5, 16, 51, 28}, {8, 26, 36, 30}};
    int row = form == SF_HS || form == SF_KGS_HS   ? 0
              : form == SF_OBS                     ? 1
              : form == SF_RS || form == SF_KGS_RS ? 2
                                                   : 3;
    return ab[draw(&k->r, k->foreign ? nd[row] : de[row], 4)];
}

static int foes_abschluss(career *k, int jg)
{
    static const float w[] = {45, 15, 10, 30};
    int i = draw(&k->r, w, 4);
    return i == 0    ? AB_FOES_L
           : i == 1  ? AB_FOES_GE
           : i == 2  ? AB_OHNE
           : jg <= 9 ? AB_HSA9
                     : AB_SEK1_HSA;
}

/* End of a school year in general education: returns the qualification when the pupil
 * leaves, else -1 with form, jahrgang and school set for the next year. */
static int end_of_year(career *k, int year, int *form, int *jg, uint16_t *school, int *entrant)
{
    smp_rng *r = &k->r;
    int f = *form, j = *jg;
    if (age_at(k, smp_school_census(year)) > 21)
        return j >= 11 ? AB_ERW_SEK1 : AB_OHNE;
    if (k->repeats < 2 && smp_chance(r, repeat_rate(k, f, j))) {
        k->repeats++;
        return -1;
    }
    if (f == SF_GS) {
        if (j < 4) {
            *jg = j + 1;
            if (j >= 1 && smp_chance(r, 0.004)) {
                *form = SF_FOES;
                *school = pick_school(k, SF_FOES, year + 1);
            }
            return -1;
        }
        *form = sek1_form(k);
        *jg = 5;
        *school = pick_school(k, *form, year + 1);
        return -1;
    }
    if (f == SF_FOES) {
        if (j >= 10 || (j == 9 && smp_chance(r, 0.3)))
            return foes_abschluss(k, j);
        *jg = j + 1;
        return -1;
    }
    if (is_gym(f) && j >= 5 && j <= 9 && smp_chance(r, 0.03)) { /* change to another form */
        static const uint8_t to[] = {SF_OBS, SF_RS, SF_IGS};
        static const float w[] = {60, 25, 15};
        *form = f == SF_KGS_GY ? SF_KGS_RS : to[draw(r, w, 3)];
        *jg = j + 1;
        if (f != SF_KGS_GY)
            *school = pick_school(k, *form, year + 1);
        return -1;
    }
    int oberstufe = is_gym(f) || j >= 11;
    if (j == 9 && !is_gym(f)) {
        double leave = f == SF_HS || f == SF_KGS_HS ? 0.35 : f == SF_IGS ? 0.03 : 0.05;
        if (smp_chance(r, leave))
            return smp_chance(r, k->foreign ? 0.45 : 0.25) ? AB_OHNE : AB_HSA9;
    }
    if (j == 10 && !oberstufe) {
        int ab = abschluss_10(k, f);
        static const float cont[] = {0.10f, 0.20f, 0.25f, 0.40f};
        double p = f == SF_HS    ? cont[0]
                   : f == SF_OBS ? cont[1]
                   : f == SF_RS  ? cont[2]
                   : f == SF_IGS ? cont[3]
                                 : 0.35;
        if (ab != AB_ERW_SEK1 || !smp_chance(r, p))
            return ab;
        *entrant = 1; /* on to the gymnasiale Oberstufe */
        *jg = 11;
        if (f == SF_KGS_HS || f == SF_KGS_RS)
            *form = SF_KGS_GY;
        else if (f != SF_IGS) {
            *form = smp_chance(r, 0.75) ? SF_GYM : SF_IGS;
            *school = pick_school(k, *form, year + 1);
        }
        return -1;
    }
    int late = *entrant || f == SF_IGS;
    if (j == 10 && smp_chance(r, 0.08))
        return smp_chance(r, 0.7) ? AB_ERW_SEK1 : AB_SEK1_RSA;
    if (j == 11 && smp_chance(r, late ? 0.10 : 0.04))
        return AB_ERW_SEK1;
    if (j == 12 && smp_chance(r, late ? 0.02 : 0.005))
        return AB_FHR_S;
    if (j >= 13)
        return smp_chance(r, late ? 0.93 : 0.98) ? AB_AHR : AB_FHR_S;
    *jg = j + 1;
    return -1;
}

/* Vocational school years from `year` on. */
static void vocational(career *k, int year, int ab, int newcomer)
{
    smp_rng *r = &k->r;
    int plan[3][2], n = 0; /* bildungsgang, years */
    double u = smp_uniform(r);
    int bs_years = smp_chance(r, ab == AB_AHR ? 0.5 : 0.15) ? 2 : 3;
#define PLAN(bg, y) (plan[n][0] = (bg), plan[n][1] = (y), n++)
    if (newcomer) {
        PLAN(smp_chance(r, 0.12) ? BG_SPRINT_D : BG_SPRINT, 1);
        u = smp_uniform(r);
        if (u < 0.30)
            PLAN(BG_BES2, 1);
        else if (u < 0.55)
            PLAN(BG_BS, bs_years);
        else if (u < 0.70)
            PLAN(BG_BFS, 1);
    } else if (ab == AB_OHNE || ab == AB_FOES_L || (ab == AB_FOES_GE && u < 0.2)) {
        if (ab == AB_FOES_GE || u < 0.65) {
            PLAN(BG_BES1, 1);
            if (smp_chance(r, 0.6)) {
                PLAN(BG_BES2, 1);
                double v = smp_uniform(r);
                if (v < 0.35)
                    PLAN(BG_BS, bs_years);
                else if (v < 0.45)
                    PLAN(BG_BFS, 1);
            }
        }
    } else if (ab == AB_HSA9 || ab == AB_SEK1_HSA) {
        if (u < 0.40)
            PLAN(BG_BS, bs_years);
        else if (u < 0.62) {
            PLAN(BG_BFS, 1);
            double v = smp_uniform(r);
            if (v < 0.5)
                PLAN(BG_BS, bs_years);
            else if (v < 0.65)
                PLAN(BG_BFS_Q, 2);
        } else if (u < 0.72)
            PLAN(ab == AB_HSA9 ? BG_BES2 : BG_BS, ab == AB_HSA9 ? 1 : bs_years);
        else if (u < 0.82)
            PLAN(BG_BFS_Q, 2);
    } else if (ab == AB_SEK1_RSA || ab == AB_ERW_SEK1) {
        if (u < 0.42)
            PLAN(BG_BS, bs_years);
        else if (u < 0.54)
            PLAN(BG_BFS_Q, 2);
        else if (u < 0.64)
            PLAN(BG_FOS, 2);
        else if (u < 0.80)
            PLAN(BG_BG, 3);
        else if (u < 0.84) {
            PLAN(BG_BFS, 1);
            if (smp_chance(r, 0.5))
                PLAN(BG_BS, bs_years);
        }
    } else if (u < 0.20) {
        PLAN(BG_BS, bs_years);
    }
#undef PLAN
    if (n == 0)
        return;
    uint16_t school = pick_school(k, SF_BBS, year);
    for (int i = 0; i < n && year <= k->m->to_year; i++)
        for (int aj = 1; aj <= plan[i][1] && year <= k->m->to_year; aj++, year++) {
            if (age_at(k, smp_school_census(year)) > 24)
                return;
            record(k, year, SF_BBS, 10 + aj, school, plan[i][0], aj);
            if (plan[i][0] == BG_BS && aj == 1 && smp_chance(r, 0.12))
                return; /* apprenticeship ended early */
        }
}

void smp_career_make(const smp_model *m, const smp_person *p, smp_career *c)
{
    c->n = 0;
    c->leave_year = -1;
    if (!p->school_relevant)
        return;
    career k = {m, p, c, smp_rng_for(m->seed, p->key, 3 /* ST_SCHOOL */), 0, 0};
    int by, bm, bd;
    smp_civil(p->birth, &by, &bm, &bd);
    int enrol = by + 6 + (bm >= 10); /* six years old by 30 September */
    double u = smp_uniform(&k.r);
    if (u < 0.06)
        enrol++;
    else if (u < 0.08 && bm >= 10)
        enrol--;
    int first = enrol, form = SF_GS, jg = 1;
    if (p->einreise != SMP_NO_DATE && smp_school_year_of(p->einreise) > enrol) {
        first = smp_school_year_of(p->einreise); /* arrived from abroad at school age */
        k.foreign = smp_foreign_at(p, smp_school_census(first));
        int regular = first - enrol + 1;
        if (regular >= 11) {
            if (age_at(&k, smp_school_census(first)) <= 21 && smp_chance(&k.r, 0.75))
                vocational(&k, first, AB_OHNE, 1);
            return;
        }
        jg = regular - smp_chance(&k.r, 0.4);
        if (jg < 1)
            jg = 1;
        form = jg <= 4 ? SF_GS : newcomer_form(&k);
    } else {
        k.foreign = smp_foreign_at(p, smp_school_census(enrol));
    }
    if (first > m->to_year)
        return;
    if (form == SF_GS && smp_chance(&k.r, k.foreign ? 0.024 : 0.016))
        form = SF_FOES; /* starts school at a Förderschule */
    uint16_t school = pick_school(&k, form, first);
    int entrant = 0;
    for (int year = first; year <= m->to_year; year++) {
        record(&k, year, form, jg, school, BG_NONE, 0);
        int f = form;
        uint16_t s = school;
        int ab = end_of_year(&k, year, &form, &jg, &school, &entrant);
        if (ab >= 0) {
            c->leave_year = year;
            c->leave_form = (uint8_t)f;
            c->leave_abschluss = (uint8_t)ab;
            c->leave_school = s;
            vocational(&k, year + 1, ab, 0);
            return;
        }
    }
}
