/* test_values.c — the value parsers of the import: dates, integers, decimals, school years,
 * municipality keys, ages and the matching key of code lists. Each case states its answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "codes.h"
#include "values.h"

static void dates(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int ok;
        int32_t ymd;
    } cases[] = {
        {"31.12.2025", 1, 20251231}, {"2025-12-31", 1, 20251231},
        {"1.2.2024", 1, 20240201},   {"29.02.2024", 1, 20240229}, /* leap year */
        {"29.02.2023", 0, 0},                                     /* not a leap year */
        {"31.02.2024", 0, 0},        {"00.00.0000", 0, 0},
        {"31.04.2025", 0, 0},        {"2025-13-01", 0, 0},
        {"2025-1-01", 0, 0},         {"2019/05/03", 0, 0},
        {"31.12.25", 0, 0},          {"", 0, 0},
        {"01.01.2000x", 0, 0},       {"29.02.2000", 1, 20000229}, /* divisible by 400 */
        {"29.02.1900", 0, 0},                                     /* divisible by 100 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int32_t ymd = 0;
        int rc = bimo_parse_date(cases[i].text, strlen(cases[i].text), &ymd);
        if (cases[i].ok) {
            assert_int_equal(rc, 0);
            assert_int_equal(ymd, cases[i].ymd);
        } else {
            assert_int_equal(rc, -1);
        }
    }
    char buf[11];
    bimo_format_date(20250301, 1, buf);
    assert_string_equal(buf, "01.03.2025");
    bimo_format_date(20250301, 0, buf);
    assert_string_equal(buf, "2025-03-01");
}

static void ages_and_days(void **state)
{
    (void)state;
    assert_int_equal(bimo_age_years(20000101, 20251231), 25);
    assert_int_equal(bimo_age_years(20001231, 20251230), 24); /* the day before the birthday */
    assert_int_equal(bimo_age_years(20001231, 20251231), 25); /* on the birthday */
    /* Born on 29 February: a year older on 1 March in common years (§ 188 BGB). */
    assert_int_equal(bimo_age_years(20000229, 20010228), 0);
    assert_int_equal(bimo_age_years(20000229, 20010301), 1);
    assert_int_equal(bimo_age_years(20000229, 20040229), 4);
    assert_int_equal(bimo_days_between(20250101, 20251231), 364);
    assert_int_equal(bimo_days_between(20240101, 20250101), 366);
    assert_int_equal(bimo_days_between(20250301, 20250228), -1);
}

static void numbers(void **state)
{
    (void)state;
    int64_t i;
    assert_int_equal(bimo_parse_int("42", 2, &i), 0);
    assert_int_equal(i, 42);
    assert_int_equal(bimo_parse_int("-7", 2, &i), 0);
    assert_int_equal(i, -7);
    assert_int_equal(bimo_parse_int("4 2", 3, &i), -1);
    assert_int_equal(bimo_parse_int("", 0, &i), -1);
    assert_int_equal(bimo_parse_int("-", 1, &i), -1);
    double d;
    assert_int_equal(bimo_parse_decimal("1.234,5", 7, &d), 0);
    assert_true(d == 1234.5);
    assert_int_equal(bimo_parse_decimal("1234,5", 6, &d), 0);
    assert_true(d == 1234.5);
    assert_int_equal(bimo_parse_decimal("1234.5", 6, &d), 0);
    assert_true(d == 1234.5);
    assert_int_equal(bimo_parse_decimal("-0,25", 5, &d), 0);
    assert_true(d == -0.25);
    assert_int_equal(bimo_parse_decimal("1,2,3", 5, &d), -1);
    assert_int_equal(bimo_parse_decimal("abc", 3, &d), -1);
}

static void school_years_and_ags(void **state)
{
    (void)state;
    int32_t y;
    assert_int_equal(bimo_parse_schuljahr("2024/25", 7, &y), 0);
    assert_int_equal(y, 2024);
    assert_int_equal(bimo_parse_schuljahr("2024/2025", 9, &y), 0);
    assert_int_equal(bimo_parse_schuljahr("1999/00", 7, &y), 0); /* century turn */
    assert_int_equal(y, 1999);
    assert_int_equal(bimo_parse_schuljahr("2024-25", 7, &y), 0);
    assert_int_equal(bimo_parse_schuljahr("2024/26", 7, &y), -1);
    assert_int_equal(bimo_parse_schuljahr("2024", 4, &y), -1);
    int32_t ags;
    int repaired;
    assert_int_equal(bimo_parse_ags("03459024", 8, &ags, &repaired), 0);
    assert_int_equal(ags, 3459024);
    assert_int_equal(repaired, 0);
    assert_int_equal(bimo_parse_ags("3459024", 7, &ags, &repaired), 0); /* lost its zero */
    assert_int_equal(ags, 3459024);
    assert_int_equal(repaired, 1);
    assert_int_equal(bimo_parse_ags("345902", 6, &ags, &repaired), -1);
    assert_int_equal(bimo_parse_ags("0345902X", 8, &ags, &repaired), -1);
}

static void matching_keys(void **state)
{
    (void)state;
    char key[64];
    static const struct {
        const char *text, *key;
    } cases[] = {
        {"Staatsangehörigkeit", "staatsangehoerigkeit"},
        {"staatsangehoerigkeit", "staatsangehoerigkeit"},
        {"STRASSE", "strasse"},
        {"Straße", "strasse"},
        {"Geburts-Datum", "geburtsdatum"},
        {"person_id", "personid"},
        {"§ 25 Abs. 2 AufenthG", "25abs2aufenthg"},
        {"ÄÖÜ", "aeoeue"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bimo_normalize_key(cases[i].text, strlen(cases[i].text), key, sizeof key);
        assert_string_equal(key, cases[i].key);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dates),         cmocka_unit_test(ages_and_days),
        cmocka_unit_test(numbers),       cmocka_unit_test(school_years_and_ags),
        cmocka_unit_test(matching_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
