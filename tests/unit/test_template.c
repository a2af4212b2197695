/* test_template.c — report templates: periods relative to the run, front matter, blocks and
 * placeholders with their positions, and one case per kind of error with its line:column.
 * The real catalogue (indicators/) is loaded, so ids and dimensions are the shipped ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "template.h"

static bimo_catalogue *cat;

static int setup(void **state)
{
    (void)state;
    bimo_error err;
    return bimo_catalogue_load(NULL, &cat, &err) == BIMO_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    bimo_catalogue_free(cat);
    return 0;
}

static void relative_periods(void **state)
{
    (void)state;
    static const struct {
        const char *id, *run, *text, *want;
    } ok[] = {
        /* stock (AUF-1): years stay years, a single quarter becomes its last day */
        {"AUF-1", "2025", "{P}", "2025"},
        {"AUF-1", "2025", "{P-6}..{P}", "2019..2025"},
        {"AUF-1", "2025Q3", "{P}", "2025-09-30"},
        {"AUF-1", "2025Q3", "{P-2}..{P}", "2025Q1..2025Q3"},
        {"AUF-1", "2025", "31.12.2024", "31.12.2024"}, /* a literal is kept */
        {"AUF-1", "2025", "2019..{P}", "2019..2025"},
        /* quarterly flow (SPR-1): alone a year is the year (its four quarters); in a range
         * P is the year's last quarter, so {P-7}..{P} are the eight quarters 2024Q1..2025Q4 */
        {"SPR-1", "2025", "{P}", "2025"},
        {"SPR-1", "2025", "{P-1}", "2024"},
        {"SPR-1", "2025", "{P-7}..{P}", "2024Q1..2025Q4"},
        {"SPR-1", "2025Q2", "{P}", "2025Q2"},
        {"SPR-1", "31.12.2025", "{P}", "2025Q4"},
        /* school years: the one whose reference date (1 October) lies in year P */
        {"SCH-1", "2025", "{P}", "2025/26"},
        {"SCH-1", "2025", "{P-6}..{P}", "2019/20..2025/26"},
        {"SCH-1", "2025Q3", "{P}", "2024/25"}, /* 30.09.2025: before the autumn date */
        {"SCH-1", "31.12.2025", "{P}", "2025/26"},
        {"ABS-1", "2025", "{P-1}", "2024/25"},
        {"SCH-1", "2024/25", "{P+1}", "2025/26"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char out[64] = "", msg[300] = "";
        long col = 0;
        const bimo_indicator *ind = bimo_catalogue_find(cat, ok[i].id);
        assert_non_null(ind);
        bimo_status st = bimo_template_resolve_period(ok[i].text, ok[i].run, ind, out, sizeof out,
                                                      msg, sizeof msg, &col);
        if (st != BIMO_OK)
            fail_msg("%s %s %s: %s", ok[i].id, ok[i].run, ok[i].text, msg);
        assert_string_equal(out, ok[i].want);
    }
    static const struct {
        const char *id, *text;
        bimo_status st;
        long column;
        const char *msg;
    } bad[] = {
        {"AUF-1", "{Q}", BIMO_ERR_PARSE, 1, "not a relative period"},
        {"AUF-1", "2019..{P+x}", BIMO_ERR_PARSE, 7, "not a relative period"},
        {"AUF-1", "{P-}", BIMO_ERR_PARSE, 1, "not a relative period"},
        {"AUF-1", "20x5", BIMO_ERR_PARSE, 1, "is not a period"},
        {"AUF-1", "2024/25", BIMO_ERR_DATA, 1, "AUF-1 is a stock"},
        {"SCH-1", "2025", BIMO_ERR_DATA, 1, "per school year"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char out[64] = "", msg[300] = "";
        long col = 0;
        bimo_status st =
            bimo_template_resolve_period(bad[i].text, "2025", bimo_catalogue_find(cat, bad[i].id),
                                         out, sizeof out, msg, sizeof msg, &col);
        assert_int_equal(st, bad[i].st);
        assert_int_equal(col, bad[i].column);
        if (!strstr(msg, bad[i].msg))
            fail_msg("%s: \"%s\" lacks \"%s\"", bad[i].text, msg, bad[i].msg);
    }
}

static const char good[] = "---\n"
                           "title: Bildungsbericht 2025\n"
                           "authors: Bildungsbüro\n"
                           "date: 2026-03-31\n"
                           "period: 2024\n"
                           "---\n"
                           "# Ankommen {{BEV-1 period}}\n"
                           "\n"
                           "Am {{AUF-1 stichtag}} lebten {{AUF-1 value}} Schutzsuchende,\n"
                           "davon *{{AUF-1 cell=schutzstatus:offen numerator}}* offen;\n"
                           "Wartezeit {{SPR-3 field=median}} Tage, `{{nicht ersetzt}}`.\n"
                           "\n"
                           "```bimo-figure\n"
                           "indicator: AUF-1\n"
                           "period: {P-6}..{P}\n"
                           "by: schutzstatus\n"
                           "\n"
                           "title: Schutzsuchende\n"
                           "```\n"
                           "\n"
                           "> ```bimo-table\n"
                           "> indicator: BEV-4\n"
                           "> by: altersgruppe, gemeinde\n"
                           "> param: jahre=2\n"
                           "> sheet: Neuzugewanderte\n"
                           "> ```\n"
                           "\n"
                           "```bimo-figure\n"
                           "indicator: SCH-1\n"
                           "```\n";

static void parse_good(void **state)
{
    (void)state;
    bimo_template *t;
    bimo_error err;
    bimo_error_clear(&err);
    /* No period from the caller: the front matter's 2024 is the run's period. */
    assert_int_equal(bimo_template_parse(good, strlen(good), "t.md", cat, NULL, &t, &err), BIMO_OK);
    assert_string_equal(t->title, "Bildungsbericht 2025");
    assert_string_equal(t->authors, "Bildungsbüro");
    assert_string_equal(t->date, "2026-03-31");
    assert_string_equal(t->period, "2024");
    assert_null(t->subtitle);
    assert_string_equal(bimo_template_kind(t), "report");

    assert_int_equal(t->nblocks, 3);
    const bimo_tpl_block *f1 = &t->blocks[0], *t1 = &t->blocks[1], *f2 = &t->blocks[2];
    assert_int_equal(f1->type, BIMO_TPL_FIGURE);
    assert_int_equal(f1->number, 1);
    assert_int_equal(f1->line, 13);
    assert_string_equal(f1->ind->id, "AUF-1");
    assert_string_equal(f1->resolved_period, "2018..2024"); /* P = 2024 */
    assert_int_equal(f1->period.line, 15);
    assert_int_equal(f1->period.column, 9);
    assert_int_equal(f1->ndims, 1);
    assert_string_equal(f1->dims[0], "schutzstatus");
    assert_string_equal(f1->title.text, "Schutzsuchende");
    assert_int_equal(f1->title.line, 18);
    assert_string_equal(f1->chart_kind, "stacked"); /* AUF-1's chart: stacked-bar */

    assert_int_equal(t1->type, BIMO_TPL_TABLE);
    assert_int_equal(t1->number, 1);
    assert_string_equal(t1->ind->id, "BEV-4");
    assert_int_equal(t1->indicator.line, 22);
    assert_int_equal(t1->indicator.column, 14); /* after "> indicator: " */
    assert_int_equal(t1->ndims, 2);
    assert_string_equal(t1->dims[1], "gemeinde");
    assert_int_equal(t1->nparams, 1);
    assert_string_equal(t1->params[0], "jahre=2");
    assert_string_equal(t1->sheet.text, "Neuzugewanderte");
    assert_null(t1->chart_kind);

    assert_int_equal(f2->number, 2);
    assert_string_equal(f2->resolved_period, "2024/25"); /* school year of autumn 2024 */

    /* Placeholders in document order; the one in a code span is not one. */
    assert_int_equal(t->nph, 5);
    static const struct {
        const char *id;
        long line, column;
        bimo_tpl_field field;
        const char *period;
    } ph[] = {
        {"BEV-1", 7, 12, BIMO_TPL_PERIOD, "2024"},  {"AUF-1", 9, 4, BIMO_TPL_STICHTAG, "2024"},
        {"AUF-1", 9, 30, BIMO_TPL_VALUE, "2024"},   {"AUF-1", 10, 8, BIMO_TPL_NUMERATOR, "2024"},
        {"SPR-3", 11, 11, BIMO_TPL_MEDIAN, "2024"},
    };
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(t->ph[i].ind->id, ph[i].id);
        assert_int_equal(t->ph[i].line, ph[i].line);
        assert_int_equal(t->ph[i].column, ph[i].column);
        assert_int_equal(t->ph[i].field, ph[i].field);
        assert_string_equal(t->ph[i].period, ph[i].period);
    }
    assert_int_equal(t->ph[3].ncell, 1);
    assert_string_equal(t->ph[3].dims[0], "schutzstatus");
    assert_string_equal(t->ph[3].codes[0], "offen");

    /* The node text with placeholder values filled in. */
    t->ph[1].text = strdup("31.12.2024");
    t->ph[2].text = strdup("1.234");
    char *s = bimo_template_node_text(t, t->ph[1].node);
    assert_string_equal(s, "Am 31.12.2024 lebten 1.234 Schutzsuchende,");
    free(s);
    bimo_template_free(t);

    /* The caller's period wins over the front matter's. */
    assert_int_equal(bimo_template_parse(good, strlen(good), "t.md", cat, "2025", &t, &err),
                     BIMO_OK);
    assert_string_equal(t->blocks[0].resolved_period, "2019..2025");
    bimo_template_free(t);
}

static void errors(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        bimo_status st;
        long line, column;
        const char *msg;
    } cases[] = {
        /* front matter */
        {"---\ntitel: x\n---\n", BIMO_ERR_PARSE, 2, 1, "unknown front matter key \"titel\""},
        {"---\ntitle: x\n", BIMO_ERR_PARSE, 1, 1, "no closing"},
        {"---\ntitle x\n---\n", BIMO_ERR_PARSE, 2, 1, "not \"key: value\""},
        {"---\ndate: 31.03.2026\n---\n", BIMO_ERR_PARSE, 2, 1, "ISO date"},
        /* blocks */
        {"\n```bimo-figure\nindicator: AUF-1\nfarbe: rot\n```\n", BIMO_ERR_PARSE, 4, 1,
         "unknown key \"farbe\""},
        {"```bimo-table\nby: gemeinde\n```\n", BIMO_ERR_PARSE, 1, 1, "without \"indicator:\""},
        {"```bimo-table\nindicator: AUF-9\n```\n", BIMO_ERR_DATA, 2, 12,
         "unknown indicator \"AUF-9\""},
        {"```bimo-table\nindicator: AUF-1\nperiod: 2025Q5\n```\n", BIMO_ERR_PARSE, 3, 9,
         "is not a period"},
        {"```bimo-table\nindicator: SCH-1\nperiod: 2025\n```\n", BIMO_ERR_DATA, 3, 9,
         "per school year"},
        {"```bimo-table\nindicator: AUF-1\nperiod: {P-x}\n```\n", BIMO_ERR_PARSE, 3, 9,
         "not a relative period"},
        {"```bimo-table\nindicator: AUF-1\nby: gemeinde, kursart\n```\n", BIMO_ERR_DATA, 3, 15,
         "cannot be broken down by kursart"},
        {"```bimo-table\nindicator: AUF-1\nby: landkreis\n```\n", BIMO_ERR_DATA, 3, 5,
         "\"landkreis\" is not a dimension"},
        {"```bimo-figure\nindicator: AUF-1\nkind: torte\n```\n", BIMO_ERR_PARSE, 3, 7,
         "kind must be"},
        {"```bimo-figure\nindicator: AUF-1\nsheet: A\n```\n", BIMO_ERR_PARSE, 3, 1,
         "belongs in a bimo-table"},
        {"```bimo-table\nindicator: AUF-3\nparam: alter=3\n```\n", BIMO_ERR_DATA, 3, 8,
         "has no parameter \"alter\""},
        {"```bimo-table\nindicator: AUF-1\nquantile: median\n```\n", BIMO_ERR_DATA, 3, 11,
         "not a quantile indicator"},
        {"```bimo-table\nindicator: AUF-1\ntop: viele\n```\n", BIMO_ERR_PARSE, 3, 6, "top must be"},
        {"```bimo-tabelle\nindicator: AUF-1\n```\n", BIMO_ERR_PARSE, 1, 1, "unknown block"},
        /* placeholders */
        {"Text {{AUF-1 value\n", BIMO_ERR_PARSE, 1, 6, "without a closing"},
        {"Text\nmehr AUF-1 value}} hier\n", BIMO_ERR_PARSE, 2, 17, "without an opening"},
        {"# Titel\n\nEs sind {{AUF-7 value}}.\n", BIMO_ERR_DATA, 3, 11,
         "unknown indicator \"AUF-7\""},
        {"Es sind {{AUF-1 wert}}.\n", BIMO_ERR_PARSE, 1, 17, "unknown field \"wert\""},
        {"Es sind {{AUF-1 by=gemeinde value}}.\n", BIMO_ERR_PARSE, 1, 17,
         "unknown placeholder key \"by\""},
        {"Es sind {{AUF-1 denominator}}.\n", BIMO_ERR_DATA, 1, 17, "has no denominator"},
        {"Es sind {{AUF-1 period=2025/26 value}}.\n", BIMO_ERR_DATA, 1, 24, "is a stock"},
        {"Es sind {{AUF-1 cell=kursart:alpha value}}.\n", BIMO_ERR_DATA, 1, 22,
         "cannot be broken down by kursart"},
        {"Es sind {{AUF-1 median}}.\n", BIMO_ERR_DATA, 1, 17, "not a quantile"},
        {"Es sind {{AUF-1 value numerator}}.\n", BIMO_ERR_PARSE, 1, 23, "one field"},
        {"Es sind {{ }}.\n", BIMO_ERR_PARSE, 1, 9, "empty placeholder"},
        {"Es sind {{AUF-2 cell=schutzstatus:\"anerkannt value}}.\n", BIMO_ERR_PARSE, 1, 17,
         "is not closed"},
        {"Es sind {{AUF-2 cell=schutzstatus:an\"erk\"annt value}}.\n", BIMO_ERR_PARSE, 1, 35,
         "quoted whole"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bimo_template *t = (bimo_template *)1;
        bimo_error err;
        bimo_error_clear(&err);
        bimo_status st = bimo_template_parse(cases[i].text, strlen(cases[i].text), "bad.md", cat,
                                             "2025", &t, &err);
        if (st != cases[i].st || err.line != cases[i].line || err.column != cases[i].column ||
            !strstr(err.message, cases[i].msg))
            fail_msg("case %zu: got %d %ld:%ld \"%s\", want %d %ld:%ld \"%s\"", i, st, err.line,
                     err.column, err.message, cases[i].st, cases[i].line, cases[i].column,
                     cases[i].msg);
        assert_null(t);
        assert_string_equal(err.file, "bad.md");
    }
    /* No period at all is a usage problem, not a template error. */
    bimo_template *t;
    bimo_error err;
    assert_int_equal(bimo_template_parse("x\n", 2, "p.md", cat, NULL, &t, &err), BIMO_ERR_ARG);
}

/* A code or label with spaces and commas is quoted; the quotes are not part of it. */
static void quoted_codes(void **state)
{
    (void)state;
    const char *text =
        "Befristet: {{AUF-2 cell=schutzstatus:\"anerkannt, befristet\" value}}, "
        "{{AUF-2 cell=schutzstatus:\"anerkannt unbefristet\",geschlecht:w value}}.\n";
    bimo_template *t = NULL;
    bimo_error err;
    assert_int_equal(bimo_template_parse(text, strlen(text), "q.md", cat, "2025", &t, &err),
                     BIMO_OK);
    assert_int_equal(t->nph, 2);
    assert_int_equal(t->ph[0].ncell, 1);
    assert_string_equal(t->ph[0].codes[0], "anerkannt, befristet");
    assert_int_equal(t->ph[1].ncell, 2);
    assert_string_equal(t->ph[1].dims[0], "schutzstatus");
    assert_string_equal(t->ph[1].codes[0], "anerkannt unbefristet");
    assert_string_equal(t->ph[1].dims[1], "geschlecht");
    assert_string_equal(t->ph[1].codes[1], "w");
    assert_int_equal(t->ph[1].column, 70);
    bimo_template_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(relative_periods),
        cmocka_unit_test(parse_good),
        cmocka_unit_test(quoted_codes),
        cmocka_unit_test(errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
