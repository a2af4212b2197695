/* test_sample.c — unit tests of the sample generator: calendar, random numbers, person
 * histories and school careers, the code-list check, options, files and failure clean-up. */
#include <dirent.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "bimo.h"
#include "sample.h"

/* ---- Helpers ------------------------------------------------------------------------- */

static const char *data_dir(void)
{
    const char *d = getenv("BIMO_DATA");
    assert_non_null(d);
    return d;
}

static void make_temp_dir(char *buf, size_t n)
{
    snprintf(buf, n, "/tmp/bimo-sample-XXXXXX");
    assert_non_null(mkdtemp(buf));
}

static void remove_tree(const char *dir)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* Entries of dir other than . and .. (temporary files included). */
static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static smp_model *model_for(uint32_t persons, uint64_t seed)
{
    smp_model *m = calloc(1, sizeof *m);
    assert_non_null(m);
    m->persons = persons;
    m->seed = seed;
    m->from_year = 2019;
    m->to_year = 2025;
    char profile[4096];
    snprintf(profile, sizeof profile, "%s/sample-data/landkreis-osnabrueck", data_dir());
    bimo_error err;
    assert_int_equal(smp_profile_load(m, profile, &err), BIMO_OK);
    assert_int_equal(smp_model_init(m, &err), BIMO_OK);
    return m;
}

static void model_free(smp_model *m)
{
    smp_model_free(m);
    free(m);
}

/* ---- Calendar and random numbers ----------------------------------------------------- */

static void dates_round_trip(void **state)
{
    (void)state;
    static const struct {
        int y, m, d;
        int32_t days;
    } known[] = {
        {1970, 1, 1, 0},
        {2000, 3, 1, 11017},
        {2024, 2, 29, 19782},
        {1899, 12, 31, -25568},
    };
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        assert_int_equal(smp_days(known[i].y, known[i].m, known[i].d), known[i].days);
    for (int32_t z = smp_days(1880, 1, 1); z < smp_days(2081, 1, 1); z++) {
        int y, m, d;
        smp_civil(z, &y, &m, &d);
        assert_int_equal(smp_days(y, m, d), z);
    }
    assert_int_equal(smp_school_year_of(smp_days(2024, 7, 31)), 2023);
    assert_int_equal(smp_school_year_of(smp_days(2024, 8, 1)), 2024);
    assert_true(smp_school_census(2024) < smp_school_end(2024));
}

static void rng_is_a_function_of_seed_key_stream(void **state)
{
    (void)state;
    smp_rng a = smp_rng_for(7, 42, 1), b = smp_rng_for(7, 42, 1), c = smp_rng_for(7, 42, 2),
            d = smp_rng_for(8, 42, 1);
    int same_c = 0, same_d = 0;
    for (int i = 0; i < 100; i++) {
        uint64_t x = smp_next(&a);
        assert_int_equal(x, smp_next(&b));
        same_c += x == smp_next(&c);
        same_d += x == smp_next(&d);
    }
    assert_int_equal(same_c, 0);
    assert_int_equal(same_d, 0);
    double sum = 0;
    for (int i = 0; i < 100000; i++) {
        double u = smp_uniform(&a);
        assert_true(u >= 0 && u < 1);
        sum += u;
    }
    assert_true(sum / 100000 > 0.49 && sum / 100000 < 0.51);
}

/* ---- Persons ------------------------------------------------------------------------- */

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void person_histories_are_consistent(void **state)
{
    (void)state;
    smp_model *m = model_for(20000, 3);
    assert_true(m->n_slots > 20000);
    uint64_t *ids = malloc(m->n_slots * sizeof *ids);
    assert_non_null(ids);
    int32_t last = smp_days(2025, 12, 31);
    uint64_t present = 0, foreign = 0;
    smp_person p;
    for (uint64_t s = 0; s < m->n_slots; s++) {
        smp_person_make(m, s, &p);
        char id[10];
        smp_person_id(m, s, id);
        assert_int_equal(id[0], 'P');
        ids[s] = strtoull(id + 1, NULL, 10);
        assert_true(p.gem1 < m->n_gem && p.gem2 < m->n_gem);
        assert_true(p.sex == 'm' || p.sex == 'w' || p.sex == 'd');
        if (p.mode == M_EXTERNAL)
            continue;
        assert_true(p.birth <= p.from);
        if (p.zuzug != SMP_NO_DATE)
            assert_int_equal(p.zuzug, p.from);
        if (p.einreise != SMP_NO_DATE) {
            assert_true(p.einreise > p.birth);
            assert_true(p.zuzug == SMP_NO_DATE || p.einreise <= p.zuzug);
        }
        for (int i = 1; i < p.n_phases; i++)
            assert_true(p.phase[i].start > p.phase[i - 1].start);
        if (p.group != G_DE)
            assert_true(p.n_phases > 0);
        if (p.asylantrag != SMP_NO_DATE)
            assert_true(p.asylantrag >= (p.einreise != SMP_NO_DATE ? p.einreise : p.birth));
        const smp_course *c = &p.course;
        if (c->date != SMP_NO_DATE) {
            assert_true(smp_present(&p, c->date));
            assert_true(c->beginn == SMP_NEVER || c->beginn > c->date);
            assert_true(c->pruefung == SMP_NEVER ||
                        (c->pruefung >= c->ende && c->ende > c->beginn));
            assert_true((c->dtz >= 0) == (c->pruefung != SMP_NEVER));
        }
        if (smp_present(&p, last)) {
            present++;
            if (smp_foreign_at(&p, last)) {
                foreign++;
                int i = smp_phase_at(&p, last);
                assert_true(i >= 0);
                int32_t from, to;
                smp_phase_validity(&p, i, last, &from, &to);
                assert_true(from <= last && (to == SMP_NO_DATE || to >= last));
            }
        }
    }
    /* About --persons residents, about a tenth of them foreign. */
    assert_true(present > 18000 && present < 22000);
    assert_true(foreign * 100 > present * 7 && foreign * 100 < present * 13);
    qsort(ids, m->n_slots, sizeof *ids, cmp_u64);
    for (uint64_t s = 1; s < m->n_slots; s++)
        assert_true(ids[s] != ids[s - 1]);
    free(ids);
    model_free(m);
}

static void school_careers_are_consistent(void **state)
{
    (void)state;
    smp_model *m = model_for(20000, 5);
    smp_person p;
    smp_career c;
    int careers = 0, transitions = 0;
    for (uint64_t s = 0; s < m->n_slots; s++) {
        smp_person_make(m, s, &p);
        smp_career_make(m, &p, &c);
        careers += c.n > 0;
        for (int i = 0; i < c.n; i++) {
            const smp_school_year *y = &c.y[i];
            assert_true(y->year >= m->from_year && y->year <= m->to_year);
            assert_true(y->jahrgang >= 1 && y->jahrgang <= 13);
            assert_true(y->school < m->n_schools);
            if (y->form == SF_GS)
                assert_true(y->jahrgang <= 4);
            if (y->slk)
                assert_true(y->jahrgang <= 10 && y->form != SF_BBS);
            assert_true((y->form == SF_BBS) == (y->bildungsgang != BG_NONE));
            if (i == 0)
                continue;
            const smp_school_year *x = &c.y[i - 1];
            assert_int_equal(y->year, x->year + 1);
            if (x->form != SF_BBS && y->form != SF_BBS)
                assert_true(y->jahrgang == x->jahrgang || y->jahrgang == x->jahrgang + 1);
            if (x->form == SF_GS && x->jahrgang == 4 && y->jahrgang == 5) {
                transitions++;
                assert_true(y->form != SF_GS);
            }
        }
        if (c.leave_year >= 0)
            assert_true(c.leave_abschluss < AB_COUNT && c.leave_form != SF_BBS &&
                        c.leave_form != SF_GS);
    }
    assert_true(careers > 2000);
    assert_true(transitions > 500);
    model_free(m);
}

/* ---- Code lists ---------------------------------------------------------------------- */

static void generator_codes_are_in_the_code_lists(void **state)
{
    (void)state;
    bimo_error err;
    bimo_error_clear(&err);
    assert_int_equal(smp_check_codes(data_dir(), &err), BIMO_OK);
}

static void a_missing_code_is_reported(void **state)
{
    (void)state;
    char dir[64], cmd[1024];
    make_temp_dir(dir, sizeof dir);
    snprintf(cmd, sizeof cmd,
             "mkdir -p '%s/indicators' && cp -r '%s/indicators/codes' '%s/indicators/' && "
             "grep -v '^§ 24 AufenthG;' '%s/indicators/codes/rechtsgrundlage.csv' > "
             "'%s/indicators/codes/rechtsgrundlage.csv'",
             dir, data_dir(), dir, data_dir(), dir);
    assert_int_equal(system(cmd), 0);
    bimo_error err;
    bimo_error_clear(&err);
    assert_int_equal(smp_check_codes(dir, &err), BIMO_ERR_DATA);
    assert_non_null(strstr(err.message, "§ 24 AufenthG"));
    assert_non_null(strstr(err.file, "rechtsgrundlage.csv"));
    remove_tree(dir);
}

/* ---- Options and files --------------------------------------------------------------- */

static void invalid_options_are_refused(void **state)
{
    (void)state;
    static const struct {
        uint32_t persons;
        int from, to, encoding;
    } cases[] = {
        {0, 2019, 2025, 0},        /* no persons */
        {10000001, 2019, 2025, 0}, /* too many */
        {100, 2025, 2019, 0},      /* years reversed */
        {100, 1990, 2025, 0},      /* before the first year */
        {100, 2000, 2025, 0},      /* more than 20 years */
        {100, 2019, 2025, 7},      /* unknown encoding */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        bimo_sample_options opt;
        bimo_sample_options_init(&opt);
        opt.persons = cases[i].persons;
        opt.from_year = cases[i].from;
        opt.to_year = cases[i].to;
        opt.encoding = (bimo_sample_encoding)cases[i].encoding;
        bimo_error err;
        bimo_error_clear(&err);
        assert_int_equal(bimo_sample_write("/tmp/bimo-sample-never", &opt, &err), BIMO_ERR_ARG);
        assert_true(err.message[0] != '\0');
    }
}

static void an_uncreatable_folder_is_reported(void **state)
{
    (void)state;
    bimo_sample_options opt;
    bimo_sample_options_init(&opt);
    opt.persons = 100;
    bimo_error err;
    bimo_error_clear(&err);
    assert_int_equal(bimo_sample_write("/dev/null/sample", &opt, &err), BIMO_ERR_CANTCREATE);
    assert_string_equal(err.file, "/dev/null/sample");
}

static void write_small(const char *dir, uint64_t seed, bimo_sample_summary *sum)
{
    bimo_sample_options opt;
    bimo_sample_options_init(&opt);
    opt.persons = 3000;
    opt.seed = seed;
    opt.from_year = 2023;
    opt.to_year = 2025;
    opt.summary = sum;
    bimo_error err;
    bimo_error_clear(&err);
    assert_int_equal(bimo_sample_write(dir, &opt, &err), BIMO_OK);
}

static void files_are_named_formatted_and_reproducible(void **state)
{
    (void)state;
    char a[64], b[64], c[64], path[256];
    make_temp_dir(a, sizeof a);
    make_temp_dir(b, sizeof b);
    make_temp_dir(c, sizeof c);
    bimo_sample_summary sa, sb, sc;
    write_small(a, 11, &sa);
    write_small(b, 11, &sb);
    write_small(c, 12, &sc);
    /* 3 melderegister, 12 aufenthalt, 1 integrationskurs, 3 schule, 3 schulabgang */
    assert_int_equal(sa.files, 22);
    assert_int_equal(count_entries(a), 22); /* no temporary file left */
    static const char *const names[] = {
        "melderegister_2023-12-31.csv",
        "melderegister_2025-12-31.csv",
        "aufenthalt_2023-03-31.csv",
        "aufenthalt_2025-09-30.csv",
        "integrationskurs_2025-12-31.csv",
        "schule_2023-24.csv",
        "schule_2025-26.csv",
        "schulabgang_2022-23.csv",
        "schulabgang_2024-25.csv",
    };
    int differs = 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        size_t la, lb, lc;
        snprintf(path, sizeof path, "%s/%s", a, names[i]);
        char *x = slurp(path, &la);
        snprintf(path, sizeof path, "%s/%s", b, names[i]);
        char *y = slurp(path, &lb);
        snprintf(path, sizeof path, "%s/%s", c, names[i]);
        char *z = slurp(path, &lc);
        assert_true(la == lb && memcmp(x, y, la) == 0);
        differs += la != lc || memcmp(x, z, la) != 0;
        assert_memory_equal(x, "\xEF\xBB\xBF", 3);
        assert_non_null(strstr(x, "\r\n"));
        assert_null(strstr(x, "\n\n"));
        free(x);
        free(y);
        free(z);
    }
    assert_int_equal(differs, (int)(sizeof names / sizeof *names));
    assert_true(sa.rows > 3000 * 4 && sa.rows == sb.rows);
    remove_tree(a);
    remove_tree(b);
    remove_tree(c);
}

static int stop_early(uint64_t done, uint64_t total, void *ctx)
{
    (void)total;
    int *calls = ctx;
    ++*calls;
    return done > 0;
}

static void a_stopped_run_leaves_no_files(void **state)
{
    (void)state;
    char dir[64];
    make_temp_dir(dir, sizeof dir);
    int calls = 0;
    bimo_sample_options opt;
    bimo_sample_options_init(&opt);
    opt.persons = 200000;
    opt.progress = stop_early;
    opt.progress_ctx = &calls;
    bimo_error err;
    bimo_error_clear(&err);
    assert_int_equal(bimo_sample_write(dir, &opt, &err), BIMO_ERR_ABORTED);
    assert_int_equal(calls, 2);
    assert_int_equal(count_entries(dir), 0);
    remove_tree(dir);
}

static void a_failed_write_leaves_no_files(void **state)
{
    (void)state;
    char dir[64];
    make_temp_dir(dir, sizeof dir);
    struct rlimit old, small;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    small = old;
    small.rlim_cur = 300 * 1024; /* the first big file fails, as on a full disk */
    void (*was)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    bimo_sample_options opt;
    bimo_sample_options_init(&opt);
    opt.persons = 20000;
    bimo_error err;
    bimo_error_clear(&err);
    bimo_status st = bimo_sample_write(dir, &opt, &err);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, was);
    assert_int_equal(st, BIMO_ERR_IO);
    assert_non_null(strstr(err.file, dir));
    assert_int_equal(count_entries(dir), 0);
    remove_tree(dir);
}

static void a_failed_rename_takes_back_the_files(void **state)
{
    (void)state;
    char dir[64], path[256];
    make_temp_dir(dir, sizeof dir);
    /* A folder in the way of the last file makes its rename fail. */
    snprintf(path, sizeof path, "%s/schulabgang_2024-25.csv", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    bimo_sample_options opt;
    bimo_sample_options_init(&opt);
    opt.persons = 2000;
    opt.from_year = 2024;
    opt.to_year = 2025;
    bimo_error err;
    bimo_error_clear(&err);
    assert_int_equal(bimo_sample_write(dir, &opt, &err), BIMO_ERR_CANTCREATE);
    assert_string_equal(err.file, path);
    assert_int_equal(count_entries(dir), 1); /* only the folder in the way */
    remove_tree(dir);
}

static void cp1252_converts_the_residence_titles(void **state)
{
    (void)state;
    char dir[64], path[256];
    make_temp_dir(dir, sizeof dir);
    bimo_sample_options opt;
    bimo_sample_options_init(&opt);
    opt.persons = 5000;
    opt.from_year = opt.to_year = 2025;
    opt.encoding = BIMO_SAMPLE_CP1252;
    bimo_error err;
    bimo_error_clear(&err);
    assert_int_equal(bimo_sample_write(dir, &opt, &err), BIMO_OK);
    snprintf(path, sizeof path, "%s/aufenthalt_2025-12-31.csv", dir);
    size_t n;
    char *text = slurp(path, &n);
    assert_memory_equal(text, "stichtag;", 9); /* no BOM */
    assert_non_null(strstr(text, "\xA7 24 AufenthG"));
    assert_non_null(strstr(text, "Freiz\xFCgG/EU"));
    assert_null(strstr(text, "\xC2\xA7"));
    free(text);
    remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dates_round_trip),
        cmocka_unit_test(rng_is_a_function_of_seed_key_stream),
        cmocka_unit_test(person_histories_are_consistent),
        cmocka_unit_test(school_careers_are_consistent),
        cmocka_unit_test(generator_codes_are_in_the_code_lists),
        cmocka_unit_test(a_missing_code_is_reported),
        cmocka_unit_test(invalid_options_are_refused),
        cmocka_unit_test(an_uncreatable_folder_is_reported),
        cmocka_unit_test(files_are_named_formatted_and_reproducible),
        cmocka_unit_test(a_stopped_run_leaves_no_files),
        cmocka_unit_test(a_failed_write_leaves_no_files),
        cmocka_unit_test(a_failed_rename_takes_back_the_files),
        cmocka_unit_test(cp1252_converts_the_residence_titles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
