/* test_indicators.c — the indicator engine's pure parts: periods (parsing, iterating, bounds),
 * the indicator file header (every kind of error with its line and column), exact quantiles
 * and margins summed over hierarchical axes. Each case states its expected answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "aggregate.h"
#include "catalogue.h"
#include "dims.h"
#include "period.h"

/* ---- Periods -------------------------------------------------------------------------------- */

static void period_parsing(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        bimo_period_type type;
        size_t count;
        const char *first, *last; /* machine labels */
        int32_t start, end;       /* first day of the first, last day of the last period */
    } ok[] = {
        {"2025", BIMO_PT_YEAR, 1, "2025", "2025", 20250101, 20251231},
        {"2025Q3", BIMO_PT_QUARTER, 1, "2025Q3", "2025Q3", 20250701, 20250930},
        {"2024q1", BIMO_PT_QUARTER, 1, "2024Q1", "2024Q1", 20240101, 20240331},
        {"2025-Q4", BIMO_PT_QUARTER, 1, "2025Q4", "2025Q4", 20251001, 20251231},
        {"2024/25", BIMO_PT_SCHOOLYEAR, 1, "2024/25", "2024/25", 20240801, 20250731},
        {"2024/2025", BIMO_PT_SCHOOLYEAR, 1, "2024/25", "2024/25", 20240801, 20250731},
        {"31.12.2025", BIMO_PT_DATE, 1, "2025-12-31", "2025-12-31", 20251231, 20251231},
        {"2025-06-30", BIMO_PT_DATE, 1, "2025-06-30", "2025-06-30", 20250630, 20250630},
        {"2019..2025", BIMO_PT_YEAR, 7, "2019", "2025", 20190101, 20251231},
        {" 2019 .. 2025 ", BIMO_PT_YEAR, 7, "2019", "2025", 20190101, 20251231},
        {"2023Q1..2025Q4", BIMO_PT_QUARTER, 12, "2023Q1", "2025Q4", 20230101, 20251231},
        {"2024Q4..2025Q1", BIMO_PT_QUARTER, 2, "2024Q4", "2025Q1", 20241001, 20250331},
        {"2019/20..2024/25", BIMO_PT_SCHOOLYEAR, 6, "2019/20", "2024/25", 20190801, 20250731},
        {"2024Q1", BIMO_PT_QUARTER, 1, "2024Q1", "2024Q1", 20240101, 20240331},
        {"2024Q1..2024Q1", BIMO_PT_QUARTER, 1, "2024Q1", "2024Q1", 20240101, 20240331},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        bimo_period_range r;
        char msg[200] = "", a[16], b[16];
        long col = 0;
        assert_int_equal(bimo_period_parse(ok[i].text, &r, msg, sizeof msg, &col), 0);
        assert_int_equal(r.first.type, ok[i].type);
        assert_int_equal(r.count, ok[i].count);
        bimo_period first = bimo_period_at(&r, 0), last = bimo_period_at(&r, r.count - 1);
        bimo_period_label(&first, a, sizeof a);
        bimo_period_label(&last, b, sizeof b);
        assert_string_equal(a, ok[i].first);
        assert_string_equal(b, ok[i].last);
        assert_int_equal(bimo_period_start(&first), ok[i].start);
        assert_int_equal(bimo_period_end(&last), ok[i].end);
    }
    static const struct {
        const char *text;
        long column; /* where the problem is */
        const char *msg;
    } bad[] = {
        {"", 1, "is not a period"},
        {"2025Q5", 1, "is not a period"},
        {"25", 1, "is not a period"},
        {"31.02.2025", 1, "is not a period"},
        {"2024/26", 1, "is not a period"},
        {"2025..x", 7, "\"x\" is not a period"},
        {"2025..2019", 7, "ends before it starts"},
        {"2019..2025Q1", 7, "one kind"},
        {"31.12.2024..31.12.2025", 1, "range of dates"},
        {"1900Q1..2200Q4", 9, "at most 400"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bimo_period_range r;
        char msg[200] = "";
        long col = 0;
        if (bimo_period_parse(bad[i].text, &r, msg, sizeof msg, &col) != -1)
            fail_msg("case %zu \"%s\" parsed", i, bad[i].text);
        assert_int_equal(col, bad[i].column);
        assert_non_null(strstr(msg, bad[i].msg));
    }
}

static void period_iteration(void **state)
{
    (void)state;
    bimo_period_range r;
    char msg[200], buf[40];
    long col;
    /* 2023Q1..2025Q4: 12 quarters; the 6th is 2024Q2, ending 30.06.2024. */
    assert_int_equal(bimo_period_parse("2023Q1..2025Q4", &r, msg, sizeof msg, &col), 0);
    bimo_period p = bimo_period_at(&r, 5);
    bimo_period_label(&p, buf, sizeof buf);
    assert_string_equal(buf, "2024Q2");
    assert_int_equal(bimo_period_end(&p), 20240630);
    bimo_period_label_de(&p, buf, sizeof buf);
    assert_string_equal(buf, "2. Quartal 2024");
    /* Quarter ends: 31.03., 30.06., 30.09., 31.12. */
    const int32_t ends[4] = {20230331, 20230630, 20230930, 20231231};
    for (size_t i = 0; i < 4; i++) {
        bimo_period q = bimo_period_at(&r, i);
        assert_int_equal(bimo_period_end(&q), ends[i]);
    }
    /* The previous period: a quarter before 2025Q1 is 2024Q4; a school year before 2024/25 is
     * 2023/24; a date one year earlier (29.02.2024 -> 28.02.2023). */
    assert_int_equal(bimo_period_parse("2025Q1", &r, msg, sizeof msg, &col), 0);
    p = bimo_period_previous(&r.first);
    bimo_period_label(&p, buf, sizeof buf);
    assert_string_equal(buf, "2024Q4");
    assert_int_equal(bimo_period_parse("2024/25", &r, msg, sizeof msg, &col), 0);
    p = bimo_period_previous(&r.first);
    bimo_period_label_de(&p, buf, sizeof buf);
    assert_string_equal(buf, "Schuljahr 2023/24");
    assert_int_equal(bimo_period_parse("29.02.2024", &r, msg, sizeof msg, &col), 0);
    p = bimo_period_previous(&r.first);
    assert_int_equal(p.date, 20230228);
    bimo_period_label_de(&r.first, buf, sizeof buf);
    assert_string_equal(buf, "29.02.2024");
    /* 1999/00 is a school year too. */
    assert_int_equal(bimo_period_parse("1999/00", &r, msg, sizeof msg, &col), 0);
    bimo_period_label(&r.first, buf, sizeof buf);
    assert_string_equal(buf, "1999/00");
    /* Adding months keeps the day unless the month is shorter. */
    assert_int_equal(bimo_date_add_months(20250131, 1), 20250228);
    assert_int_equal(bimo_date_add_months(20240131, 1), 20240229);
    assert_int_equal(bimo_date_add_months(20251115, 12), 20261115);
    assert_int_equal(bimo_date_add_months(20250315, -3), 20241215);
}

/* ---- Header --------------------------------------------------------------------------------- */

/* A valid file; cases replace one of its lines (or drop it with ""). */
static const char *const base[] = {
    "-- id: T-1",                                                                /* 1 */
    "-- title: Testindikator",                                                   /* 2 */
    "-- definition: Eine Definition, die über",                                  /* 3 */
    "--   zwei Zeilen geht.",                                                    /* 4 */
    "-- unit: %",                                                                /* 5 */
    "-- kind: rate",                                                             /* 6 */
    "-- numerator: Zähler",                                                      /* 7 */
    "-- denominator: Nenner",                                                    /* 8 */
    "-- dimensions: gemeinde, geschlecht",                                       /* 9 */
    "-- period: stichtag",                                                       /* 10 */
    "-- source: melderegister",                                                  /* 11 */
    "-- quelle: Melderegister, Stichtag {stichtag}",                             /* 12 */
    "-- footnote: Erste Fußnote.",                                               /* 13 */
    "-- footnote: Zweite Fußnote.",                                              /* 14 */
    "--",                                                                        /* 15 */
    "-- parameter: jahre = 3",                                                   /* 16 */
    "",                                                                          /* 17 */
    "SELECT 1 AS gemeinde, 'm' AS geschlecht, 1 AS numerator, 2 AS denominator", /* 18 */
};
#define BASE_LINES (sizeof base / sizeof base[0])

static char *make_file(size_t replace_line, const char *with)
{
    static char buf[4096];
    buf[0] = '\0';
    for (size_t i = 0; i < BASE_LINES; i++) {
        const char *line = i + 1 == replace_line ? with : base[i];
        if (i + 1 == replace_line && !*with)
            continue;
        strcat(buf, line);
        strcat(buf, "\n");
    }
    return buf;
}

static void header_valid(void **state)
{
    (void)state;
    bimo_indicator *ind = NULL;
    bimo_error err;
    bimo_error_clear(&err);
    const char *text = make_file(0, NULL);
    assert_int_equal(bimo_indicator_parse(text, strlen(text), "T-1.sql", &ind, &err), BIMO_OK);
    assert_string_equal(ind->id, "T-1");
    assert_string_equal(ind->definition, "Eine Definition, die über zwei Zeilen geht.");
    assert_int_equal(ind->kind, BIMO_KIND_RATE);
    assert_int_equal(ind->period, BIMO_PERIOD_STICHTAG);
    assert_int_equal(ind->ndimensions, 2);
    assert_string_equal(ind->dimensions[1], "geschlecht");
    assert_int_equal(ind->nfootnotes, 2);
    assert_string_equal(ind->footnotes[1], "Zweite Fußnote.");
    assert_int_equal(ind->nparams, 1);
    assert_string_equal(ind->params[0].name, "jahre");
    assert_string_equal(bimo_indicator_param_value(ind, "jahre"), "3");
    assert_true(ind->factor == 100); /* unit % */
    assert_int_equal(ind->decimals, 1);
    assert_int_equal(ind->order, 1000);
    assert_int_equal(ind->sql_line, 17);
    assert_non_null(strstr(ind->sql, "SELECT 1 AS gemeinde"));
    bimo_indicator_free(ind);

    /* CRLF line ends and a BOM are fine. */
    char crlf[4096] = "\xEF\xBB\xBF";
    for (const char *p = make_file(0, NULL); *p; p++) {
        if (*p == '\n')
            strcat(crlf, "\r");
        strncat(crlf, p, 1);
    }
    assert_int_equal(bimo_indicator_parse(crlf, strlen(crlf), "T-1.sql", &ind, &err), BIMO_OK);
    assert_string_equal(ind->title, "Testindikator");
    bimo_indicator_free(ind);
}

static void header_errors(void **state)
{
    (void)state;
    static const struct {
        size_t line;      /* base line replaced */
        const char *with; /* "" drops it */
        long err_line, err_col;
        const char *msg;
    } cases[] = {
        {2, "-- titel: Testindikator", 2, 4, "unknown key \"titel\""},
        {2, "-- Title: Testindikator", 2, 4, "expected \"-- key: value\""},
        {2, "-- this is prose", 2, 4, "expected \"-- key: value\""},
        {1, "--   id: T-1", 1, 3, "continuation line before the first"},
        {5, "", 16, 1, "required key \"unit\" is missing"},
        {12, "", 16, 1, "required key \"quelle\" is missing"},
        {6, "-- kind: ratio", 6, 10, "kind: \"ratio\" is not one of count, rate, share, quantile"},
        {10, "-- period: monat", 10, 12, "period: \"monat\" is not one of"},
        {11, "-- source: zensus", 11, 12, "source: \"zensus\" is not one of"},
        {9, "-- dimensions: gemeinde, bundesland", 9, 26, "\"bundesland\" is not a dimension"},
        {9, "-- dimensions: gemeinde,geschlecht,gemeinde", 9, 36, "\"gemeinde\" is listed twice"},
        {14, "-- unit: Personen", 14, 4, "key \"unit\" given twice (first in line 5)"},
        {8, "", 6, 10, "a rate needs the key \"denominator\""},
        {6, "-- kind: share", 6, 10, "a share needs the key \"share_of\""},
        {15, "-- share_of: geschlecht", 15, 14, "only a share (kind: share) has share_of"},
        {1, "-- id: T 1", 1, 8, "\"T 1\" is not an id"},
        {16, "-- parameter: stichtag = 3", 16, 15, "\"stichtag\" is bound by bimo itself"},
        {16, "-- parameter: 3jahre", 16, 15, "expected \"name = default\""},
        {15, "-- order: erst", 15, 11, "order: \"erst\" is not a whole number"},
        {15, "-- decimals: 9", 15, 14, "decimals: \"9\" is not a whole number from 0 to 6"},
        {15, "-- chart: torte", 15, 11, "chart: \"torte\" is not one of"},
        {15, "-- factor: -1", 15, 12, "factor: \"-1\" is not a positive number"},
        {2, "-- title:", 2, 10, "title: the value is empty"},
        {18, "-- only a comment", 17, 1, "no SQL query after the header"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bimo_indicator *ind = NULL;
        bimo_error err;
        bimo_error_clear(&err);
        const char *text = make_file(cases[i].line, cases[i].with);
        bimo_status st = bimo_indicator_parse(text, strlen(text), "T-1.sql", &ind, &err);
        if (st != BIMO_ERR_PARSE || err.line != cases[i].err_line ||
            err.column != cases[i].err_col || !strstr(err.message, cases[i].msg))
            fail_msg("case %zu (%s): got %d %ld:%ld %s", i, cases[i].with, st, err.line, err.column,
                     err.message);
        assert_null(ind);
        assert_string_equal(err.file, "T-1.sql");
    }
    /* A share whose share_of is not among the dimensions. */
    char text[4096];
    snprintf(text, sizeof text, "%s", make_file(6, "-- kind: share"));
    char *den = strstr(text, "-- denominator: Nenner");
    memcpy(den, "-- share_of: staat    ", 22);
    bimo_indicator *ind = NULL;
    bimo_error err;
    assert_int_equal(bimo_indicator_parse(text, strlen(text), "T-1.sql", &ind, &err),
                     BIMO_ERR_PARSE);
    assert_int_equal(err.line, 8);
    assert_int_equal(err.column, 14);
    assert_non_null(strstr(err.message, "\"staat\" is not among the dimensions"));
    /* No header at all. */
    assert_int_equal(bimo_indicator_parse("SELECT 1", 8, "x.sql", &ind, &err), BIMO_ERR_PARSE);
    assert_int_equal(err.line, 1);
    assert_non_null(strstr(err.message, "no header"));
}

/* ---- Quantiles ------------------------------------------------------------------------------ */

static void quantiles(void **state)
{
    (void)state;
    /* Odd n = 5: 10 20 30 40 50. h = 4p: Q1 at h 1 -> 20, median h 2 -> 30, Q3 h 3 -> 40. */
    const double odd[] = {10, 20, 30, 40, 50};
    assert_true(bimo_quantile7(odd, 5, 0.25) == 20);
    assert_true(bimo_quantile7(odd, 5, 0.5) == 30);
    assert_true(bimo_quantile7(odd, 5, 0.75) == 40);
    /* Even n = 4: 100 200 400 800. Median h 1.5 -> (200 + 400) / 2 = 300; Q1 h 0.75 ->
     * 100 + 0.75 * 100 = 175; Q3 h 2.25 -> 400 + 0.25 * 400 = 500. */
    const double even[] = {100, 200, 400, 800};
    assert_true(bimo_quantile7(even, 4, 0.5) == 300);
    assert_true(bimo_quantile7(even, 4, 0.25) == 175);
    assert_true(bimo_quantile7(even, 4, 0.75) == 500);
    /* n = 6 of days: 3 5 8 13 21 34. Median h 2.5 -> (8 + 13) / 2 = 10.5; Q1 h 1.25 ->
     * 5 + 0.25 * 3 = 5.75; Q3 h 3.75 -> 13 + 0.75 * 8 = 19. */
    const double six[] = {3, 5, 8, 13, 21, 34};
    assert_true(bimo_quantile7(six, 6, 0.5) == 10.5);
    assert_true(bimo_quantile7(six, 6, 0.25) == 5.75);
    assert_true(bimo_quantile7(six, 6, 0.75) == 19);
    /* One value: every quantile is that value; two: the median is their mean. */
    const double one[] = {7}, two[] = {7, 8};
    assert_true(bimo_quantile7(one, 1, 0.25) == 7 && bimo_quantile7(one, 1, 0.75) == 7);
    assert_true(bimo_quantile7(two, 2, 0.5) == 7.5);
}

/* ---- Margins -------------------------------------------------------------------------------- */

/* The dimension table: each row sits at its id, names are unique, and the public list, the
 * lookup by name and the text for error messages all read the same rows. */
static void dimension_table(void **state)
{
    (void)state;
    char list[400];
    bimo_dim_list(list, sizeof list);
    assert_int_equal(bimo_dimension_count(), BIMO_DIM_COUNT);
    for (size_t i = 0; i < bimo_dimension_count(); i++) {
        const char *name = bimo_dimension_name(i);
        assert_non_null(name);
        const bimo_dim_spec *d = bimo_dim_find(name);
        assert_non_null(d);
        assert_int_equal(d->id, i);
        assert_ptr_equal(bimo_dim_get((bimo_dim_id)i), d);
        assert_non_null(bimo_dimension_title(name));
        assert_non_null(strstr(list, name));
        assert_true(d->geo_level || d->codelist); /* every other dimension has its labels */
    }
    assert_null(bimo_dimension_name(BIMO_DIM_COUNT));
    assert_null(bimo_dim_find("bundesland"));
    assert_string_equal(bimo_dim_get(BIMO_DIM_SCHUTZSTATUS_VORHER)->codelist, "schutzstatus");
    assert_string_equal(bimo_dim_get(BIMO_DIM_DTZ_ERGEBNIS)->sort_col, "sortierung");
    assert_int_equal(strncmp(list, "gemeinde, kommune, region, ", 27), 0);
}

static void margins(void **state)
{
    (void)state;
    /* Axis 0, municipalities: 0 Landkreis <- 1 region A <- 2 unit U (of A) <- 3 g1, 4 g2;
     * 5 region B <- 6 g3 (directly). Axis 1, sex: 0 Insgesamt <- 1 m, 2 w. */
    const int geo_parent[] = {-1, 0, 1, 2, 2, 0, 5};
    const int sex_parent[] = {-1, 0, 0};
    bimo_agg_axis axes[2] = {{7, geo_parent}, {3, sex_parent}};
    bimo_agg *agg;
    bimo_error err;
    assert_int_equal(bimo_agg_new(2, axes, 1000, &agg, &err), BIMO_OK);
    assert_int_equal(bimo_agg_cells(agg), 21);
    /* A row in g1 adds to g1, U, A, Landkreis (4 nodes) x m, Insgesamt (2): 8 cells. */
    assert_int_equal(bimo_agg_max_targets(agg), 8);
    /* Rows: g1 m 5, g2 w 3, g3 m 2, g3 w 4, g1 m 1 (the same cell twice). */
    const int rows[] = {3, 1, 4, 2, 6, 1, 6, 2, 3, 1};
    const int64_t values[] = {5, 3, 2, 4, 1};
    /* A second column summed in the same pass: every row counts 1. */
    const int64_t ones[] = {1, 1, 1, 1, 1};
    int64_t cells[21] = {0}, counts[21] = {0};
    assert_int_equal(bimo_agg_sum(agg, 5, rows, 2, (const int64_t *const[]){values, ones},
                                  (int64_t *const[]){cells, counts}),
                     BIMO_OK);
    assert_int_equal(counts[bimo_agg_index(agg, (const int[]){0, 0})], 5);
    assert_int_equal(counts[bimo_agg_index(agg, (const int[]){3, 1})], 2); /* g1 m twice */
    assert_int_equal(counts[bimo_agg_index(agg, (const int[]){5, 2})], 1); /* B women: g3 w */
#define CELL(g, s) cells[bimo_agg_index(agg, (const int[]){g, s})]
    assert_int_equal(CELL(0, 0), 15); /* grand total */
    assert_int_equal(CELL(0, 1), 8);  /* all men: 5 + 2 + 1 */
    assert_int_equal(CELL(0, 2), 7);  /* all women: 3 + 4 */
    assert_int_equal(CELL(1, 0), 9);  /* region A: 5 + 3 + 1 */
    assert_int_equal(CELL(2, 0), 9);  /* unit U equals region A here */
    assert_int_equal(CELL(3, 1), 6);  /* g1 men */
    assert_int_equal(CELL(3, 2), 0);  /* g1 women: zero, not missing */
    assert_int_equal(CELL(5, 2), 4);  /* region B women */
    assert_int_equal(CELL(6, 0), 6);  /* g3 */
#undef CELL
    /* Every margin equals the sum of its parts. */
    for (int s = 0; s < 3; s++) {
        int64_t parts = 0;
        for (int g = 0; g < 7; g++)
            if (geo_parent[g] == 0)
                parts += cells[bimo_agg_index(agg, (const int[]){g, s})];
        assert_int_equal(parts, cells[bimo_agg_index(agg, (const int[]){0, s})]);
    }
    bimo_agg_free(agg);

    /* No axes: one cell, the total. */
    assert_int_equal(bimo_agg_new(0, NULL, 10, &agg, &err), BIMO_OK);
    int64_t total = 0;
    const int64_t v[] = {4, 5};
    assert_int_equal(
        bimo_agg_sum(agg, 2, NULL, 1, (const int64_t *const[]){v}, (int64_t *const[]){&total}),
        BIMO_OK);
    assert_int_equal(total, 9);
    bimo_agg_free(agg);

    /* Refusals: two roots, a cycle, too many cells. */
    const int two_roots[] = {-1, -1}, cycle[] = {-1, 2, 1};
    bimo_agg_axis bad1 = {2, two_roots}, bad2 = {3, cycle};
    assert_int_equal(bimo_agg_new(1, &bad1, 100, &agg, &err), BIMO_ERR_ARG);
    assert_int_equal(bimo_agg_new(1, &bad2, 100, &agg, &err), BIMO_ERR_ARG);
    assert_int_equal(bimo_agg_new(2, axes, 20, &agg, &err), BIMO_ERR_ARG);
    assert_non_null(strstr(err.message, "more than 20 cells"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(period_parsing),  cmocka_unit_test(period_iteration),
        cmocka_unit_test(header_valid),    cmocka_unit_test(header_errors),
        cmocka_unit_test(quantiles),       cmocka_unit_test(margins),
        cmocka_unit_test(dimension_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
