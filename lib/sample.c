/* sample.c — bimo_sample_write(): the five registry extracts of the synthetic sample
 * district, written in one streaming pass over all persons into German-Excel-style CSV. */
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "codes.h"
#include "error.h"
#include "output_dir.h"
#include "sample.h"

#define BUF_SIZE        (256 * 1024)
#define ROW_MAX         1024 /* a row (with a fault added) never needs more */
#define MAX_FIELDS      16
#define DATE_FIRST_YEAR 1880
#define DATE_LAST_YEAR  2080

enum { F_MELDE, F_AUFENTHALT, F_KURS, F_SCHULE, F_ABGANG };

static const char *const headers[] = {
    [F_MELDE] = "stichtag;person_id;geburtsdatum;geschlecht;staatsangehoerigkeit;"
                "staatsangehoerigkeit2;ags;zuzugsdatum;herkunftsland;einreisedatum",
    [F_AUFENTHALT] = "stichtag;person_id;geburtsdatum;geschlecht;staatsangehoerigkeit;ags;"
                     "rechtsgrundlage;gueltig_ab;gueltig_bis;einreisedatum;asylantrag_datum",
    [F_KURS] = "stichtag;person_id;geschlecht;geburtsdatum;staatsangehoerigkeit;ags;"
               "berechtigung_datum;berechtigung_art;ausgestellt_von;kursart;kursbeginn;"
               "kursende;pruefung_datum;dtz_ergebnis;lid_bestanden",
    [F_SCHULE] = "schueler_id;schuljahr;schulnummer;schulform;jahrgang;geschlecht;"
                 "staatsangehoerigkeit;geburtsjahr;ags_schule;ags_wohnort;sprachlernklasse;"
                 "bildungsgang;ausbildungsjahr",
    [F_ABGANG] = "schueler_id;schuljahr;schulform;abschluss;geschlecht;staatsangehoerigkeit;"
                 "geburtsjahr;ags_schule",
};

typedef struct out_file {
    int kind;
    int32_t day; /* reference date; for school files the school year */
    int index;   /* position in the run, mixed into the fault choice */
    char *path, *tmp;
    int fd;
    char *buf;
    size_t len;
    uint64_t rows, bytes;
} out_file;

/* A row being built at the end of a file's buffer, with the offsets of its fields. */
typedef struct {
    out_file *f;
    char *start, *p;
    int nf;
    uint16_t off[MAX_FIELDS];
} row;

typedef struct run {
    smp_model m;
    const bimo_sample_options *opt;
    bimo_error *err;
    char *dates; /* "DD.MM.YYYY" for every day of DATE_FIRST_YEAR..DATE_LAST_YEAR */
    int32_t date0, date_n;
    const char *rg[RG_COUNT]; /* residence titles in the output encoding */
    size_t rg_len[RG_COUNT];
    char rg_store[RG_COUNT][64];
    out_file *files;
    int n_files;
    int first_melde, n_melde, first_auf, n_auf, kurs, first_schule, n_schule, first_abgang,
        n_abgang;
    uint64_t faults;
} run;

/* ---- Options ------------------------------------------------------------------------- */

void bimo_sample_options_init(bimo_sample_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->persons = BIMO_SAMPLE_DEFAULT_PERSONS;
    opt->seed = 1;
    opt->from_year = 2019;
    opt->to_year = 2025;
    opt->encoding = BIMO_SAMPLE_UTF8;
}

static bimo_status check_options(const bimo_sample_options *o, bimo_error *err)
{
    if (o->persons < 1 || o->persons > BIMO_SAMPLE_MAX_PERSONS)
        return bimo_fail(err, BIMO_ERR_ARG, "persons must be between 1 and %u, not %u",
                         BIMO_SAMPLE_MAX_PERSONS, o->persons);
    if (o->from_year < BIMO_SAMPLE_MIN_YEAR || o->to_year > BIMO_SAMPLE_MAX_YEAR)
        return bimo_fail(err, BIMO_ERR_ARG, "years must lie between %d and %d",
                         BIMO_SAMPLE_MIN_YEAR, BIMO_SAMPLE_MAX_YEAR);
    if (o->from_year > o->to_year)
        return bimo_fail(err, BIMO_ERR_ARG, "from year %d is after to year %d", o->from_year,
                         o->to_year);
    if (o->to_year - o->from_year >= 20)
        return bimo_fail(err, BIMO_ERR_ARG, "at most 20 years at once, not %d",
                         o->to_year - o->from_year + 1);
    if (o->encoding != BIMO_SAMPLE_UTF8 && o->encoding != BIMO_SAMPLE_CP1252)
        return bimo_fail(err, BIMO_ERR_ARG, "unknown encoding %d", (int)o->encoding);
    return BIMO_OK;
}

/* ---- Text in the output encoding ----------------------------------------------------- */

static bimo_status init_dates(run *R)
{
    R->date0 = smp_days(DATE_FIRST_YEAR, 1, 1);
    R->date_n = smp_days(DATE_LAST_YEAR + 1, 1, 1) - R->date0;
    R->dates = malloc((size_t)R->date_n * 10);
    if (!R->dates)
        return bimo_fail(R->err, BIMO_ERR_NOMEM, "out of memory");
    for (int32_t i = 0; i < R->date_n; i++) {
        int y, m, d;
        smp_civil(R->date0 + i, &y, &m, &d);
        char *s = R->dates + (size_t)i * 10;
        s[0] = (char)('0' + d / 10), s[1] = (char)('0' + d % 10), s[2] = '.';
        s[3] = (char)('0' + m / 10), s[4] = (char)('0' + m % 10), s[5] = '.';
        s[6] = (char)('0' + y / 1000), s[7] = (char)('0' + y / 100 % 10);
        s[8] = (char)('0' + y / 10 % 10), s[9] = (char)('0' + y % 10);
    }
    return BIMO_OK;
}

/* Only the residence titles hold non-ASCII text (§, ü): they are converted once. */
static bimo_status init_codes(run *R)
{
    iconv_t cd = (iconv_t)-1;
    if (R->opt->encoding == BIMO_SAMPLE_CP1252 &&
        (cd = iconv_open("WINDOWS-1252", "UTF-8")) == (iconv_t)-1)
        return bimo_fail(R->err, BIMO_ERR_ARG, "iconv cannot convert to Windows-1252: %m");
    bimo_status st = BIMO_OK;
    for (int i = 0; i < RG_COUNT && st == BIMO_OK; i++) {
        const char *src = smp_rg_code[i];
        if (cd == (iconv_t)-1) {
            R->rg[i] = src;
            R->rg_len[i] = strlen(src);
            continue;
        }
        char *in = (char *)src, *out = R->rg_store[i];
        size_t in_left = strlen(src), out_left = sizeof R->rg_store[i] - 1;
        if (iconv(cd, &in, &in_left, &out, &out_left) == (size_t)-1)
            st = bimo_fail(R->err, BIMO_ERR_DATA, "cannot convert \"%s\" to Windows-1252", src);
        R->rg[i] = R->rg_store[i];
        R->rg_len[i] = (size_t)(out - R->rg_store[i]);
    }
    if (cd != (iconv_t)-1)
        iconv_close(cd);
    return st;
}

/* ---- Files --------------------------------------------------------------------------- */

static bimo_status flush_file(run *R, out_file *f)
{
    size_t done = 0;
    while (done < f->len) {
        ssize_t n = write(f->fd, f->buf + done, f->len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return bimo_fail_at(R->err, BIMO_ERR_IO, f->path, 0, 0, "write failed: %m");
        done += (size_t)n;
    }
    f->bytes += f->len;
    f->len = 0;
    return BIMO_OK;
}

static void put_text(out_file *f, const char *s, size_t n)
{
    memcpy(f->buf + f->len, s, n);
    f->len += n;
}

static bimo_status open_file(run *R, out_file *f, const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 32;
    f->fd = -1;
    f->path = malloc(n);
    f->tmp = malloc(n);
    f->buf = malloc(BUF_SIZE);
    if (!f->path || !f->tmp || !f->buf)
        return bimo_fail(R->err, BIMO_ERR_NOMEM, "out of memory");
    snprintf(f->path, n, "%s/%s", dir, name);
    /* The shared temporary name, locked while this run lives: a killed run's files (gigabytes
     * at 10 million persons) are removed by the next run writing the same names. */
    snprintf(f->tmp, n, "%s/.%s" BIMO_OUTPUT_TMP_TAG "XXXXXX", dir, name);
    bimo_output_remove_leftovers(dir, name);
    f->fd = mkstemp(f->tmp);
    if (f->fd < 0) {
        free(f->tmp);
        f->tmp = NULL;
        return bimo_fail_at(R->err, BIMO_ERR_CANTCREATE, f->path, 0, 0, "cannot create: %m");
    }
    flock(f->fd, LOCK_EX | LOCK_NB);
    mode_t mask = umask(0); /* mkstemp made it 0600; extracts are ordinary files */
    umask(mask);
    fchmod(f->fd, 0666 & ~mask);
    if (R->opt->encoding == BIMO_SAMPLE_UTF8)
        put_text(f, "\xEF\xBB\xBF", 3);
    put_text(f, headers[f->kind], strlen(headers[f->kind]));
    put_text(f, "\r\n", 2);
    return BIMO_OK;
}

static void free_files(run *R, int remove_tmp)
{
    for (int i = 0; i < R->n_files; i++) {
        out_file *f = &R->files[i];
        if (f->fd >= 0)
            close(f->fd);
        if (remove_tmp && f->tmp)
            unlink(f->tmp);
        free(f->path);
        free(f->tmp);
        free(f->buf);
    }
    free(R->files);
    R->files = NULL;
    R->n_files = 0;
}

/* Flushes and closes every file, then renames them into place. */
static bimo_status commit_files(run *R)
{
    bimo_status st = BIMO_OK;
    for (int i = 0; i < R->n_files && st == BIMO_OK; i++) {
        out_file *f = &R->files[i];
        st = flush_file(R, f);
        if (st == BIMO_OK && close(f->fd) != 0)
            st = bimo_fail_at(R->err, BIMO_ERR_IO, f->path, 0, 0, "close failed: %m");
        f->fd = -1;
    }
    int renamed = 0;
    while (st == BIMO_OK && renamed < R->n_files) {
        out_file *f = &R->files[renamed];
        if (rename(f->tmp, f->path) != 0) {
            st = bimo_fail_at(R->err, BIMO_ERR_CANTCREATE, f->path, 0, 0,
                              "cannot rename %s into place: %m", f->tmp);
            break;
        }
        free(f->tmp);
        f->tmp = NULL;
        renamed++;
    }
    if (st != BIMO_OK) /* all or nothing: take back the files already in place */
        for (int i = 0; i < renamed; i++)
            unlink(R->files[i].path);
    return st;
}

static bimo_status make_dir(const char *dir, bimo_error *err)
{
    struct stat st;
    if (mkdir(dir, 0777) == 0 || (errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode)))
        return access(dir, W_OK | X_OK) == 0 ? BIMO_OK
                                             : bimo_fail_at(err, BIMO_ERR_CANTCREATE, dir, 0, 0,
                                                            "output folder is not writable");
    return bimo_fail_at(err, BIMO_ERR_CANTCREATE, dir, 0, 0, "cannot create output folder: %m");
}

static void date_name(char *buf, size_t n, const char *prefix, int32_t day)
{
    int y, m, d;
    smp_civil(day, &y, &m, &d);
    snprintf(buf, n, "%s_%04d-%02d-%02d.csv", prefix, y, m, d);
}

static bimo_status open_all(run *R, const char *dir)
{
    const smp_model *m = &R->m;
    int years = m->to_year - m->from_year + 1;
    R->n_melde = R->opt->quarterly ? 4 * years : years;
    R->n_auf = 4 * years;
    R->n_schule = R->n_abgang = years;
    int total = R->n_melde + R->n_auf + 1 + R->n_schule + R->n_abgang;
    R->files = calloc((size_t)total, sizeof *R->files);
    if (!R->files)
        return bimo_fail(R->err, BIMO_ERR_NOMEM, "out of memory");
    static const int quarter_end[4][2] = {{3, 31}, {6, 30}, {9, 30}, {12, 31}};
    R->first_melde = 0;
    R->first_auf = R->n_melde;
    R->kurs = R->first_auf + R->n_auf;
    R->first_schule = R->kurs + 1;
    R->first_abgang = R->first_schule + R->n_schule;
    for (int i = 0; i < total; i++) {
        out_file *f = &R->files[i];
        f->fd = -1;
        f->index = i;
        char name[64];
        if (i < R->first_auf) {
            int y = m->from_year + (R->opt->quarterly ? i / 4 : i);
            int q = R->opt->quarterly ? i % 4 : 3;
            f->kind = F_MELDE;
            f->day = smp_days(y, quarter_end[q][0], quarter_end[q][1]);
            date_name(name, sizeof name, "melderegister", f->day);
        } else if (i < R->kurs) {
            int k = i - R->first_auf;
            f->kind = F_AUFENTHALT;
            f->day = smp_days(m->from_year + k / 4, quarter_end[k % 4][0], quarter_end[k % 4][1]);
            date_name(name, sizeof name, "aufenthalt", f->day);
        } else if (i == R->kurs) {
            f->kind = F_KURS;
            f->day = m->t1;
            date_name(name, sizeof name, "integrationskurs", f->day);
        } else if (i < R->first_abgang) {
            f->kind = F_SCHULE;
            f->day = m->from_year + (i - R->first_schule);
            snprintf(name, sizeof name, "schule_%04d-%02d.csv", f->day, (f->day + 1) % 100);
        } else {
            f->kind = F_ABGANG;
            f->day = m->from_year - 1 + (i - R->first_abgang);
            snprintf(name, sizeof name, "schulabgang_%04d-%02d.csv", f->day, (f->day + 1) % 100);
        }
        R->n_files = i + 1;
        bimo_status st = open_file(R, f, dir, name);
        if (st != BIMO_OK)
            return st;
    }
    return BIMO_OK;
}

/* ---- Rows ---------------------------------------------------------------------------- */

static bimo_status row_begin(run *R, row *w, out_file *f)
{
    if (f->len + ROW_MAX > BUF_SIZE) {
        bimo_status st = flush_file(R, f);
        if (st != BIMO_OK)
            return st;
    }
    w->f = f;
    w->start = w->p = f->buf + f->len;
    w->nf = 1;
    w->off[0] = 0;
    return BIMO_OK;
}

static inline void sep(row *w)
{
    *w->p++ = ';';
    if (w->nf < MAX_FIELDS)
        w->off[w->nf++] = (uint16_t)(w->p - w->start);
}

static inline void put(row *w, const char *s, size_t n)
{
    memcpy(w->p, s, n);
    w->p += n;
}

static inline void put_str(row *w, const char *s)
{
    if (s)
        put(w, s, strlen(s));
}

static void put_date(run *R, row *w, int32_t day)
{
    if (day == SMP_NO_DATE || day == SMP_NEVER)
        return;
    int32_t i = day - R->date0;
    if (i >= 0 && i < R->date_n) {
        put(w, R->dates + (size_t)i * 10, 10);
        return;
    }
    int y, m, d;
    smp_civil(day, &y, &m, &d);
    w->p += sprintf(w->p, "%02d.%02d.%04d", d, m, y);
}

static void put_uint(row *w, unsigned v)
{
    char tmp[12];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *w->p++ = tmp[--n];
}

static void put_school_year(row *w, int y)
{
    put_uint(w, (unsigned)y);
    *w->p++ = '/';
    *w->p++ = (char)('0' + (y + 1) / 10 % 10);
    *w->p++ = (char)('0' + (y + 1) % 10);
}

/* ---- Faults (--dirty) ---------------------------------------------------------------- */

enum { FAULT_ISO_DATE, FAULT_BAD_DATE, FAULT_CODE, FAULT_AGS7, FAULT_QUOTE, FAULT_TRAILING };

static void insert_at(row *w, size_t at, const char *s, size_t n)
{
    memmove(w->start + at + n, w->start + at, (size_t)(w->p - w->start) - at);
    memcpy(w->start + at, s, n);
    w->p += n;
}

/* Spoils the finished row (CRLF not yet written) in one of the ways extracts go wrong:
 * date_field, nat_field and ags_field are field numbers (-1 when the row has none). */
static void spoil(run *R, row *w, uint64_t h, int date_field, int nat_field, int ags_field)
{
    int kind = (int)(h % 100);
    kind = kind < 25   ? FAULT_ISO_DATE
           : kind < 35 ? FAULT_BAD_DATE
           : kind < 55 ? FAULT_CODE
           : kind < 75 ? FAULT_AGS7
           : kind < 85 ? FAULT_QUOTE
                       : FAULT_TRAILING;
    char *date = date_field >= 0 ? w->start + w->off[date_field] : NULL;
    if ((kind == FAULT_ISO_DATE || kind == FAULT_BAD_DATE) && (!date || date[2] != '.'))
        kind = FAULT_CODE;
    if (kind == FAULT_AGS7 && w->start[w->off[ags_field]] != '0')
        kind = FAULT_TRAILING; /* only a leading zero gets lost */
    if (kind == FAULT_ISO_DATE || kind == FAULT_BAD_DATE) {
        char d[10];
        memcpy(d, date, 10); /* DD.MM.YYYY */
        if (kind == FAULT_ISO_DATE || (h >> 8) % 2) {
            char sepc = kind == FAULT_ISO_DATE ? '-' : '/';
            char out[10] = {d[6], d[7], d[8], d[9], sepc, d[3], d[4], sepc, d[0], d[1]};
            memcpy(date, out, 10);
        } else {
            memcpy(date, "31.02.", 6);
        }
    } else if (kind == FAULT_CODE) {
        memcpy(w->start + w->off[nat_field], "888", 3); /* no Destatis state has 888 */
    } else if (kind == FAULT_AGS7) {
        size_t at = w->off[ags_field];
        memmove(w->start + at, w->start + at + 1, (size_t)(w->p - w->start) - at - 1);
        w->p--;
    } else if (kind == FAULT_QUOTE) {
        insert_at(w, w->off[ags_field] + 8, "\"", 1);
    } else {
        *w->p++ = ';';
    }
    R->faults++;
}

static void row_end(run *R, row *w, int date_field, int nat_field, int ags_field)
{
    out_file *f = w->f;
    if (R->opt->dirty) {
        uint64_t h =
            smp_mix(R->m.seed ^ smp_mix(((uint64_t)f->index << 40) ^ f->rows ^ 0xD1D1D1D1ULL));
        if (h % 1000 == 0)
            spoil(R, w, h >> 16, date_field, nat_field, ags_field);
    }
    *w->p++ = '\r';
    *w->p++ = '\n';
    f->len = (size_t)(w->p - f->buf);
    f->rows++;
}

static const char *ags_of(const run *R, int gem)
{
    return R->m.gem[gem].ags;
}

static bimo_status row_melde(run *R, out_file *f, const smp_person *p, const char *pid)
{
    row w;
    bimo_status st = row_begin(R, &w, f);
    if (st != BIMO_OK)
        return st;
    const char *nat, *nat2;
    smp_nat_at(p, f->day, &nat, &nat2);
    put_date(R, &w, f->day);
    sep(&w);
    put(&w, pid, 10);
    sep(&w);
    put_date(R, &w, p->birth);
    sep(&w);
    *w.p++ = p->sex;
    sep(&w);
    put(&w, nat, 3);
    sep(&w);
    put_str(&w, nat2);
    sep(&w);
    put(&w, ags_of(R, smp_gem_at(p, f->day)), 8);
    sep(&w);
    put_date(R, &w, p->zuzug);
    sep(&w);
    put_str(&w, p->herkunft);
    sep(&w);
    put_date(R, &w, p->einreise);
    row_end(R, &w, 2, 4, 6);
    return BIMO_OK;
}

static bimo_status row_aufenthalt(run *R, out_file *f, const smp_person *p, const char *pid)
{
    int i = smp_phase_at(p, f->day);
    if (i < 0)
        return BIMO_OK;
    row w;
    bimo_status st = row_begin(R, &w, f);
    if (st != BIMO_OK)
        return st;
    int32_t from, to;
    smp_phase_validity(p, i, f->day, &from, &to);
    put_date(R, &w, f->day);
    sep(&w);
    put(&w, pid, 10);
    sep(&w);
    put_date(R, &w, p->birth);
    sep(&w);
    *w.p++ = p->sex;
    sep(&w);
    put(&w, p->nat, 3);
    sep(&w);
    put(&w, ags_of(R, smp_gem_at(p, f->day)), 8);
    sep(&w);
    put(&w, R->rg[p->phase[i].code], R->rg_len[p->phase[i].code]);
    sep(&w);
    put_date(R, &w, from);
    sep(&w);
    put_date(R, &w, to);
    sep(&w);
    put_date(R, &w, p->einreise);
    sep(&w);
    if (p->asylantrag != SMP_NO_DATE && p->asylantrag <= f->day)
        put_date(R, &w, p->asylantrag);
    row_end(R, &w, 2, 4, 5);
    return BIMO_OK;
}

static bimo_status row_kurs(run *R, out_file *f, const smp_person *p, const char *pid)
{
    const smp_course *c = &p->course;
    row w;
    bimo_status st = row_begin(R, &w, f);
    if (st != BIMO_OK)
        return st;
    const char *nat, *nat2;
    smp_nat_at(p, c->date, &nat, &nat2);
    int32_t t = f->day;
    int begun = c->beginn <= t, tested = c->pruefung <= t;
    put_date(R, &w, t);
    sep(&w);
    put(&w, pid, 10);
    sep(&w);
    *w.p++ = p->sex;
    sep(&w);
    put_date(R, &w, p->birth);
    sep(&w);
    put(&w, nat, 3);
    sep(&w);
    put(&w, ags_of(R, smp_gem_at(p, c->date)), 8);
    sep(&w);
    put_date(R, &w, c->date);
    sep(&w);
    put_str(&w, smp_ika_code[c->art]);
    sep(&w);
    put_str(&w, smp_ikv_code[c->von]);
    sep(&w);
    if (begun)
        put_str(&w, smp_ka_code[c->kursart]);
    sep(&w);
    if (begun)
        put_date(R, &w, c->beginn);
    sep(&w);
    if (c->ende <= t)
        put_date(R, &w, c->ende);
    sep(&w);
    if (tested)
        put_date(R, &w, c->pruefung);
    sep(&w);
    if (tested)
        put_str(&w, smp_dtz_code[c->dtz]);
    sep(&w);
    if (tested)
        *w.p++ = (char)('0' + c->lid);
    row_end(R, &w, 3, 4, 5);
    return BIMO_OK;
}

static bimo_status row_schule(run *R, out_file *f, const smp_person *p, const char *sid,
                              const smp_school_year *y)
{
    row w;
    bimo_status st = row_begin(R, &w, f);
    if (st != BIMO_OK)
        return st;
    int32_t census = smp_school_census(y->year);
    const char *nat, *nat2;
    smp_nat_at(p, census, &nat, &nat2);
    if (nat2 && strcmp(nat2, "000") == 0)
        nat = nat2; /* the school statistics keep the German nationality */
    const smp_school *s = &R->m.school[y->school];
    put(&w, sid, 9);
    sep(&w);
    put_school_year(&w, y->year);
    sep(&w);
    put(&w, s->nummer, 5);
    sep(&w);
    put_str(&w, smp_sf_code[y->form]);
    sep(&w);
    put_uint(&w, y->jahrgang);
    sep(&w);
    *w.p++ = p->sex;
    sep(&w);
    put(&w, nat, 3);
    sep(&w);
    put_uint(&w, (unsigned)smp_year_of(p->birth));
    sep(&w);
    put(&w, ags_of(R, s->gemeinde), 8);
    sep(&w);
    if (p->mode == M_EXTERNAL)
        put(&w, SMP_OUTSIDE_AGS, 8);
    else
        put(&w, ags_of(R, smp_gem_at(p, census)), 8);
    sep(&w);
    *w.p++ = (char)('0' + y->slk);
    sep(&w);
    put_str(&w, smp_bg_code[y->bildungsgang]);
    sep(&w);
    if (y->ajahr)
        put_uint(&w, y->ajahr);
    row_end(R, &w, -1, 6, 8);
    return BIMO_OK;
}

static bimo_status row_abgang(run *R, out_file *f, const smp_person *p, const char *sid,
                              const smp_career *c)
{
    row w;
    bimo_status st = row_begin(R, &w, f);
    if (st != BIMO_OK)
        return st;
    const char *nat, *nat2;
    smp_nat_at(p, smp_school_end(c->leave_year), &nat, &nat2);
    if (nat2 && strcmp(nat2, "000") == 0)
        nat = nat2;
    put(&w, sid, 9);
    sep(&w);
    put_school_year(&w, c->leave_year);
    sep(&w);
    put_str(&w, smp_sf_code[c->leave_form]);
    sep(&w);
    put_str(&w, smp_ab_code[c->leave_abschluss]);
    sep(&w);
    *w.p++ = p->sex;
    sep(&w);
    put(&w, nat, 3);
    sep(&w);
    put_uint(&w, (unsigned)smp_year_of(p->birth));
    sep(&w);
    put(&w, ags_of(R, R->m.school[c->leave_school].gemeinde), 8);
    row_end(R, &w, -1, 5, 7);
    return BIMO_OK;
}

/* ---- The pass over all persons ------------------------------------------------------- */

static bimo_status emit_person(run *R, const smp_person *p)
{
    bimo_status st = BIMO_OK;
    const smp_model *m = &R->m;
    if (p->mode != M_EXTERNAL && p->to > m->t0 && p->from <= m->t1) {
        char pid[10];
        smp_person_id(m, p->slot, pid);
        for (int i = 0; i < R->n_melde && st == BIMO_OK; i++) {
            out_file *f = &R->files[R->first_melde + i];
            if (smp_present(p, f->day))
                st = row_melde(R, f, p, pid);
        }
        for (int i = 0; p->group != G_DE && i < R->n_auf && st == BIMO_OK; i++) {
            out_file *f = &R->files[R->first_auf + i];
            if (smp_present(p, f->day) && smp_foreign_at(p, f->day))
                st = row_aufenthalt(R, f, p, pid);
        }
        if (p->course.date != SMP_NO_DATE && st == BIMO_OK)
            st = row_kurs(R, &R->files[R->kurs], p, pid);
    }
    if (!p->school_relevant || st != BIMO_OK)
        return st;
    smp_career c;
    smp_career_make(m, p, &c);
    if (c.n == 0 && c.leave_year < 0)
        return BIMO_OK;
    char sid[9];
    smp_pupil_id(m, p->slot, sid);
    int external = p->mode == M_EXTERNAL;
    for (int i = 0; i < c.n && st == BIMO_OK; i++) {
        const smp_school_year *y = &c.y[i];
        if (external || smp_present(p, smp_school_census(y->year)))
            st = row_schule(R, &R->files[R->first_schule + (y->year - m->from_year)], p, sid, y);
    }
    int k = c.leave_year - (m->from_year - 1);
    if (st == BIMO_OK && k >= 0 && k < R->n_abgang &&
        (external || smp_present(p, smp_school_end(c.leave_year))))
        st = row_abgang(R, &R->files[R->first_abgang + k], p, sid, &c);
    return st;
}

static bimo_status generate(run *R)
{
    const smp_model *m = &R->m;
    smp_person p;
    for (uint64_t slot = 0; slot < m->n_slots; slot++) {
        if ((slot & 0xFFFF) == 0 && R->opt->progress &&
            R->opt->progress(slot, m->n_slots, R->opt->progress_ctx))
            return bimo_fail(R->err, BIMO_ERR_ABORTED, "stopped after %llu of %llu persons",
                             (unsigned long long)slot, (unsigned long long)m->n_slots);
        smp_person_make(m, slot, &p);
        bimo_status st = emit_person(R, &p);
        if (st != BIMO_OK)
            return st;
    }
    if (R->opt->progress)
        R->opt->progress(m->n_slots, m->n_slots, R->opt->progress_ctx);
    return BIMO_OK;
}

bimo_status bimo_sample_write(const char *dir, const bimo_sample_options *opt, bimo_error *err)
{
    bimo_sample_options defaults;
    if (!opt) {
        bimo_sample_options_init(&defaults);
        opt = &defaults;
    }
    if (!dir || !*dir)
        return bimo_fail(err, BIMO_ERR_ARG, "no output folder given");
    bimo_status st = check_options(opt, err);
    if (st != BIMO_OK)
        return st;
    run *R = calloc(1, sizeof *R);
    if (!R)
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    R->opt = opt;
    R->err = err;
    R->m.seed = opt->seed;
    R->m.persons = opt->persons;
    R->m.from_year = opt->from_year;
    R->m.to_year = opt->to_year;
    char data[PATH_MAX], profile[PATH_MAX];
    st = bimo_data_dir(data, sizeof data, err);
    if (st == BIMO_OK)
        st = smp_check_codes(data, err);
    if (st == BIMO_OK) /* $BIMO_PROFILE, else the bundled Landkreis Osnabrück */
        st = bimo_profile_dir(profile, sizeof profile, err);
    if (st == BIMO_OK)
        st = smp_profile_load(&R->m, profile, err);
    if (st == BIMO_OK)
        st = smp_model_init(&R->m, err);
    if (st == BIMO_OK)
        st = init_dates(R);
    if (st == BIMO_OK)
        st = init_codes(R);
    if (st == BIMO_OK)
        st = make_dir(dir, err);
    if (st == BIMO_OK)
        st = open_all(R, dir);
    if (st == BIMO_OK)
        st = generate(R);
    if (st == BIMO_OK)
        st = commit_files(R);
    if (st == BIMO_OK && opt->summary) {
        bimo_sample_summary *s = opt->summary;
        memset(s, 0, sizeof *s);
        s->files = R->n_files;
        for (int i = 0; i < R->n_files; i++) {
            s->rows += R->files[i].rows;
            s->bytes += R->files[i].bytes;
        }
        s->faults = R->faults;
        s->slots = R->m.n_slots;
    }
    free_files(R, st != BIMO_OK);
    smp_model_free(&R->m);
    free(R->dates);
    free(R);
    return st;
}
