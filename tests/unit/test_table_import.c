/* test_table_import.c — the generic table import: symbols, typing by inspection, number
 * styles, column names, and on small files the header search, held-back rows and notes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "bimo.h"
#include "store.h"
#include "table_import.h"

static void symbols(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int symbol;
    } cases[] = {
        {"-", 1},   {"\xE2\x80\x93", 1}, /* – en dash, exactly zero */
        {".", 1},   {"x", 1},
        {"/", 1},   {"\xE2\x80\xA6", 1}, /* … */
        {"...", 1}, {"k", 1},
        {"g", 1},   {"u", 1},
        {"t", 1},   {"[n]", 1},
        {"[g]", 1}, {"[u]", 1},
        {"*", 1},   {"", 0},
        {"0", 0},   {"-1", 0},
        {"..", 0},  {"p", 0}, /* a flag on a number, not a value */
        {"xx", 0},  {"[p]", 0},
        {"n", 0},   {"- ", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(bimo_table_is_symbol(cases[i].text, strlen(cases[i].text)),
                         cases[i].symbol);
}

/* The cells of a column, '|'-separated, and the type inspection must find. */
static void typing(void **state)
{
    (void)state;
    static const struct {
        const char *cells;
        bimo_col_type type;
        bimo_num_style style;
    } cases[] = {
        {"1|22|333|-4", BIMO_COL_INTEGER, BIMO_NUM_GERMAN},
        {"1.234|56|7.890", BIMO_COL_INTEGER, BIMO_NUM_GERMAN},       /* German thousands */
        {"1.234.567|12", BIMO_COL_INTEGER, BIMO_NUM_GERMAN},         /* unambiguous grouping */
        {"12,5|3|1.234,75", BIMO_COL_REAL, BIMO_NUM_GERMAN},         /* decimal comma */
        {"1.234|12,5", BIMO_COL_REAL, BIMO_NUM_GERMAN},              /* 1.234 is 1234 here */
        {"12.5|3|0.25", BIMO_COL_REAL, BIMO_NUM_PLAIN},              /* decimal point */
        {"1.234|12.5", BIMO_COL_REAL, BIMO_NUM_PLAIN},               /* 1.234 is 1.234 here */
        {"12,5|12.5", BIMO_COL_TEXT, BIMO_NUM_GERMAN},               /* two styles */
        {"1.234.567|12.5", BIMO_COL_TEXT, BIMO_NUM_GERMAN},          /* two styles */
        {"03459|03459024|03404000", BIMO_COL_TEXT, BIMO_NUM_GERMAN}, /* AGS keep zeros */
        {"1|2|03", BIMO_COL_TEXT, BIMO_NUM_GERMAN},                  /* one leading zero */
        {"0|10|-|.", BIMO_COL_INTEGER, BIMO_NUM_GERMAN},             /* lone 0 is a number */
        {"0,5|0.5", BIMO_COL_TEXT, BIMO_NUM_GERMAN},
        {"0,5|1", BIMO_COL_REAL, BIMO_NUM_GERMAN},
        {"31.12.2023|2024-01-31|.", BIMO_COL_DATE, BIMO_NUM_GERMAN},
        {"31.12.2023|2023", BIMO_COL_TEXT, BIMO_NUM_GERMAN}, /* date and number */
        {"31.02.2023", BIMO_COL_TEXT, BIMO_NUM_GERMAN},      /* no such day */
        {"m|w|x|d", BIMO_COL_TEXT, BIMO_NUM_GERMAN},         /* x is data here */
        {"-|.|x|/", BIMO_COL_INTEGER, BIMO_NUM_GERMAN},      /* all suppressed */
        {"", BIMO_COL_TEXT, BIMO_NUM_GERMAN},                /* all empty */
        {"123456789012345678", BIMO_COL_INTEGER, BIMO_NUM_GERMAN},
        {"1234567890123456789", BIMO_COL_TEXT, BIMO_NUM_GERMAN}, /* too long: an id */
        {"1e5|2", BIMO_COL_TEXT, BIMO_NUM_GERMAN},
        {"12 p|3", BIMO_COL_TEXT, BIMO_NUM_GERMAN},
        {"1.23|4", BIMO_COL_REAL, BIMO_NUM_PLAIN},
        {"1.2345|4", BIMO_COL_REAL, BIMO_NUM_PLAIN},
        {"+5|-5", BIMO_COL_INTEGER, BIMO_NUM_GERMAN},
        {"2024/25", BIMO_COL_TEXT, BIMO_NUM_GERMAN},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bimo_col_stats st = {0};
        const char *p = cases[i].cells;
        for (;;) {
            const char *bar = strchr(p, '|');
            size_t n = bar ? (size_t)(bar - p) : strlen(p);
            bimo_col_observe(&st, p, n);
            if (!bar)
                break;
            p = bar + 1;
        }
        bimo_num_style style;
        bimo_col_type type = bimo_col_decide(&st, &style);
        if (type != cases[i].type || style != cases[i].style)
            fail_msg("\"%s\": type %d style %d, expected %d/%d", cases[i].cells, type, style,
                     cases[i].type, cases[i].style);
    }
}

static void merging(void **state)
{
    (void)state;
    bimo_col_stats a = {0}, b = {0};
    bimo_col_observe(&a, "12", 2);
    bimo_col_observe(&b, "12,5", 4);
    bimo_col_observe(&b, "-", 1);
    bimo_col_merge(&a, &b);
    bimo_num_style style;
    assert_int_equal(bimo_col_decide(&a, &style), BIMO_COL_REAL);
    assert_int_equal(a.values, 2);
    assert_int_equal(a.symbols, 1);
}

static void conversion(void **state)
{
    (void)state;
    int64_t i;
    double d;
    assert_int_equal(bimo_col_parse_int("1.234.567", 9, &i), 0);
    assert_int_equal(i, 1234567);
    assert_int_equal(bimo_col_parse_int("-47.123", 7, &i), 0);
    assert_int_equal(i, -47123);
    assert_int_equal(bimo_col_parse_int("0", 1, &i), 0);
    assert_int_equal(i, 0);
    assert_int_equal(bimo_col_parse_int("12,5", 4, &i), -1);
    assert_int_equal(bimo_col_parse_int("1.234,5", 7, &i), -1);
    assert_int_equal(bimo_col_parse_int("007", 3, &i), -1);
    assert_int_equal(bimo_col_parse_real("1.234,75", 8, BIMO_NUM_GERMAN, &d), 0);
    assert_true(d == 1234.75);
    assert_int_equal(bimo_col_parse_real("12,5", 4, BIMO_NUM_GERMAN, &d), 0);
    assert_true(d == 12.5);
    assert_int_equal(bimo_col_parse_real("1.234", 5, BIMO_NUM_GERMAN, &d), 0);
    assert_true(d == 1234);
    assert_int_equal(bimo_col_parse_real("1.234", 5, BIMO_NUM_PLAIN, &d), 0);
    assert_true(d == 1.234);
    assert_int_equal(bimo_col_parse_real("-0.1", 4, BIMO_NUM_PLAIN, &d), 0);
    assert_true(d == -0.1);
    assert_int_equal(bimo_col_parse_real("12.5", 4, BIMO_NUM_GERMAN, &d), -1);
    assert_int_equal(bimo_col_parse_real("12,5", 4, BIMO_NUM_PLAIN, &d), -1);
    assert_int_equal(bimo_col_parse_real("x", 1, BIMO_NUM_PLAIN, &d), -1);
}

static void names(void **state)
{
    (void)state;
    static const struct {
        const char *header;
        int index;
        const char *name;
    } cases[] = {
        {"Regionalschlüssel", 0, "regionalschluessel"},
        {"Ausländeranteil in %", 0, "auslaenderanteil_in"},
        {"  Name der Gemeinde ", 0, "name_der_gemeinde"},
        {"ÄÖÜ-ß", 0, "aeoeue_ss"},
        {"unter_3 Jahre", 0, "unter_3_jahre"},
        {"Fläche km²", 0, "flaeche_km"},
        {"2023", 0, "c_2023"},
        {"", 4, "column_5"},
        {"%%%", 0, "column_1"},
        {"A__B", 0, "a_b"},
        {"Kreisfreie Stadt / Landkreis", 0, "kreisfreie_stadt_landkreis"},
    };
    char out[64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bimo_table_column_name(cases[i].header, strlen(cases[i].header), cases[i].index, out,
                               sizeof out);
        assert_string_equal(out, cases[i].name);
    }
    char longer[200];
    memset(longer, 'a', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    assert_int_equal(bimo_table_column_name(longer, strlen(longer), 0, out, sizeof out), 60);
    assert_int_equal(strlen(out), 60);

    assert_true(bimo_table_name_valid("bev"));
    assert_true(bimo_table_name_valid("schulen_2024"));
    assert_true(bimo_table_name_valid("a2345678901234567890123456789012345678901")); /* 41 */
    assert_false(bimo_table_name_valid("a23456789012345678901234567890123456789012"));
    assert_false(bimo_table_name_valid(""));
    assert_false(bimo_table_name_valid("Bev"));
    assert_false(bimo_table_name_valid("1bev"));
    assert_false(bimo_table_name_valid("_bev"));
    assert_false(bimo_table_name_valid("bev-2"));
    assert_false(bimo_table_name_valid("bev;drop"));
    assert_false(bimo_table_name_valid(NULL));
}

/* ---- On files ------------------------------------------------------------------------- */

typedef struct {
    char dir[64];
    char db[128];
    char csv[128];
    bimo_store *store;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    strcpy(f->dir, "/tmp/bimo-table-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
    snprintf(f->csv, sizeof f->csv, "%s/t.csv", f->dir);
    bimo_store_options opt = {.create = 1};
    assert_int_equal(bimo_store_open(f->db, &opt, &f->store, NULL), BIMO_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    bimo_store_close(f->store);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static bimo_status import_text(fixture *f, const char *text, const bimo_import_options *opt,
                               bimo_import_result *res)
{
    FILE *fp = fopen(f->csv, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    bimo_error err;
    bimo_error_clear(&err);
    return bimo_import_table(f->store, "t", f->csv, opt, res, &err);
}

/* The result of one query as "a|b" lines joined by ' '. */
static void query(fixture *f, const char *sql, char *out, size_t size)
{
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(bimo_store_db(f->store), sql, -1, &q, NULL), SQLITE_OK);
    size_t n = 0;
    out[0] = '\0';
    while (sqlite3_step(q) == SQLITE_ROW)
        for (int c = 0; c < sqlite3_column_count(q); c++) {
            const char *t = (const char *)sqlite3_column_text(q, c);
            n += (size_t)snprintf(out + n, size - n, "%s%s", c ? "|" : (n ? " " : ""),
                                  t ? t : "NULL");
        }
    sqlite3_finalize(q);
}

static void header_search_and_notes(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *csv;
        int header_line;
        int64_t skipped, read, loaded, rejected;
        const char *sql, *rows;
    } cases[] = {
        /* title lines, one with a comma; a trailing note */
        {"Title, with comma\nSubtitle\na;b;c\n1;2;3\n4;5;6\nQuelle: Amt\n", 0, 2, 3, 2, 1,
         "SELECT a, b, c FROM ext_t", "1|2|3 4|5|6"},
        /* padded title lines and a padded footer */
        {"Title;;\n;;\na;b;c\n1;2;3\n4;5;6\nStand 2024;;\n", 0, 2, 3, 2, 1,
         "SELECT a, c FROM ext_t", "1|3 4|6"},
        /* a key with empty values inside the table is data */
        {"a;b;c\n1;2;3\n7;;\n4;5;6\n", 0, 0, 3, 3, 0, "SELECT a, b FROM ext_t", "1|2 7|NULL 4|5"},
        /* only keys: the held-back rows are the table */
        {"a;b\n1;\n2;\n", 0, 0, 2, 2, 0, "SELECT a, b FROM ext_t", "1|NULL 2|NULL"},
        /* a two-line header: auto takes the first, --header-line the second */
        {";Bevölkerung;Bevölkerung\nJahr;insgesamt;weiblich\n2023;10;5\n", 2, 1, 1, 1, 0,
         "SELECT jahr, insgesamt, weiblich FROM ext_t", "2023|10|5"},
        {";Bevölkerung;Bevölkerung\nJahr;insgesamt;weiblich\n2023;10;5\n", 0, 0, 2, 2, 0,
         "SELECT type FROM pragma_table_info('ext_t') WHERE name = 'bevoelkerung'", "TEXT"},
        /* header only */
        {"a;b\n", 0, 0, 0, 0, 0, "SELECT count(*) FROM ext_t", "0"},
        /* a trailing delimiter on every line */
        {"a;b;\n1;2;\n", 0, 0, 1, 1, 0, "SELECT a, b FROM ext_t", "1|2"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bimo_import_options opt = {.header_line = cases[i].header_line};
        bimo_import_result res;
        assert_int_equal(import_text(f, cases[i].csv, &opt, &res), BIMO_OK);
        if (res.lines_skipped != cases[i].skipped || res.rows_read != cases[i].read ||
            res.rows_loaded != cases[i].loaded || res.rows_rejected != cases[i].rejected)
            fail_msg("case %zu: skipped %lld read %lld loaded %lld rejected %lld", i,
                     (long long)res.lines_skipped, (long long)res.rows_read,
                     (long long)res.rows_loaded, (long long)res.rows_rejected);
        char got[256];
        query(f, cases[i].sql, got, sizeof got);
        if (strcmp(got, cases[i].rows) != 0)
            fail_msg("case %zu: got \"%s\", expected \"%s\"", i, got, cases[i].rows);
    }
}

static void notes_inside_count_below_do_not(void **state)
{
    fixture *f = *state;
    bimo_import_options opt = {.max_reject_share = BIMO_NO_REJECTS};
    bimo_import_result res;
    /* Notes below the last data row are rejects that do not count against the threshold. */
    assert_int_equal(import_text(f, "a;b\n1;2\nnote 1\nnote 2;\n", &opt, &res), BIMO_OK);
    assert_int_equal(res.rows_rejected, 2);
    /* The same note between data rows counts. */
    assert_int_equal(import_text(f, "a;b\n1;2\nnote 1\n3;4\n", &opt, &res), BIMO_ERR_DATA);
    assert_int_equal(res.rows_loaded, 0);
    char got[256];
    query(f, "SELECT status, rows_read, rows_rejected FROM import_run ORDER BY id DESC LIMIT 1",
          got, sizeof got);
    assert_string_equal(got, "rolled-back|3|1");
    /* The earlier table is still there. */
    query(f, "SELECT a, b FROM ext_t", got, sizeof got);
    assert_string_equal(got, "1|2");
}

static void bad_arguments(void **state)
{
    fixture *f = *state;
    bimo_error err;
    bimo_import_result res;
    assert_int_equal(bimo_import_table(f->store, "Bad", f->csv, NULL, &res, &err), BIMO_ERR_ARG);
    assert_non_null(strstr(err.message, "table name \"Bad\" is not valid"));
    assert_int_equal(bimo_import_table(f->store, NULL, f->csv, NULL, &res, &err), BIMO_ERR_ARG);
    bimo_import_options opt = {.header_line = 7};
    assert_int_equal(import_text(f, "a;b\n1;2\n", &opt, &res), BIMO_ERR_DATA);
    assert_int_equal(bimo_import_table(f->store, "t", "/nonexistent/x.csv", NULL, &res, &err),
                     BIMO_ERR_NOINPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(symbols),
        cmocka_unit_test(typing),
        cmocka_unit_test(merging),
        cmocka_unit_test(conversion),
        cmocka_unit_test(names),
        cmocka_unit_test_setup_teardown(header_search_and_notes, setup, teardown),
        cmocka_unit_test_setup_teardown(notes_inside_count_below_do_not, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_arguments, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
