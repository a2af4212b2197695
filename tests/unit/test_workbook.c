/* test_workbook.c — sheet names within Excel's rules: at most 31 characters, none of
 * []:*?/\, no apostrophe at either end, unique regardless of case. Each case states its answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "workbook.h"

static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void single_names(void **state)
{
    (void)state;
    static const struct {
        const char *want, *got;
    } cases[] = {
        {"AUF-1", "AUF-1"},
        {NULL, "Tabelle 1"},
        {"", "Tabelle 1"},
        {"a/b\\c:d*e?f[g]h", "a_b_c_d_e_f_g_h"}, /* every forbidden character */
        {"'Zitat'", "Zitat"},                    /* no apostrophe at either end */
        {"It's", "It's"},                        /* inside is fine */
        {"Übergänge Grundschule → Sek I (verknüpft)", "Übergänge Grundschule → Sek I ("}, /* 31 */
        {"=SUMME(A1)", "=SUMME(A1)"}, /* a name, never a formula */
        {"inhalt", "inhalt (2)"},     /* a fixed sheet, case ignored */
        {"Daten", "Daten (2)"},
        {"history", "history (2)"},    /* reserved by Excel */
        {"Tab\tulator", "Tab ulator"}, /* control characters */
        {"///", "___"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char names[1][BIMO_SHEET_NAME_SIZE];
        const char *want[1] = {cases[i].want};
        bimo_workbook_sheet_names(want, 1, names);
        assert_string_equal(names[0], cases[i].got);
        assert_true(chars(names[0]) <= 31);
    }
}

static void unique_names(void **state)
{
    (void)state;
    /* 31 characters each, equal but for case: the second and third are cut to 27 + " (2)"/" (3)" */
    const char *want[] = {"Schutzsuchende im Bildungsalter",
                          "SCHUTZSUCHENDE IM BILDUNGSALTER",
                          "Schutzsuchende im Bildungsalter",
                          "AUF-1",
                          "auf-1",
                          NULL,
                          "Tabelle 6"};
    const char *got[] = {"Schutzsuchende im Bildungsalter",
                         "SCHUTZSUCHENDE IM BILDUNGSA (2)",
                         "Schutzsuchende im Bildungsa (3)",
                         "AUF-1",
                         "auf-1 (2)",
                         "Tabelle 6",
                         "Tabelle 6 (2)"};
    char names[7][BIMO_SHEET_NAME_SIZE];
    bimo_workbook_sheet_names(want, 7, names);
    for (size_t i = 0; i < 7; i++) {
        assert_string_equal(names[i], got[i]);
        assert_true(chars(names[i]) <= 31);
        assert_null(strpbrk(names[i], "[]:*?/\\"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(single_names),
        cmocka_unit_test(unique_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
