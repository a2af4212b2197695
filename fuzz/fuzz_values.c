/* fuzz_values.c — the value parsers of the import and the table import on arbitrary text: dates,
 * integers, decimals, school years, municipality keys, statistics symbols, column names and
 * column typing. Whatever a parser accepts must be in range and survive a round trip. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table_import.h"
#include "values.h"

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_values: broken promise: %s\n", what);
        abort();
    }
}

static int valid_ymd(int32_t ymd)
{
    int y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The parsers take (pointer, length) and must not read past it: a heap copy without a NUL
     * lets ASan catch a read of one byte too many. */
    char *s = malloc(size ? size : 1);
    if (!s)
        return 0;
    memcpy(s, data, size);

    int32_t ymd;
    if (bimo_parse_date(s, size, &ymd) == 0) {
        check(valid_ymd(ymd), "a parsed date is a calendar date");
        char buf[11], iso[11];
        bimo_format_date(ymd, 1, buf);
        bimo_format_date(ymd, 0, iso);
        int32_t again;
        check(bimo_parse_date(buf, strlen(buf), &again) == 0 && again == ymd,
              "a German date round-trips");
        check(bimo_parse_date(iso, strlen(iso), &again) == 0 && again == ymd,
              "an ISO date round-trips");
        check(bimo_days_between(ymd, ymd) == 0, "no days between a date and itself");
        check(bimo_age_years(ymd, ymd) == 0, "age 0 on the birth day");
    }
    int64_t i64;
    if (bimo_parse_int(s, size, &i64) == 0) {
        char buf[32];
        int n = snprintf(buf, sizeof buf, "%lld", (long long)i64);
        int64_t again;
        check(bimo_parse_int(buf, (size_t)n, &again) == 0 && again == i64,
              "an integer round-trips");
    }
    double d;
    if (bimo_parse_decimal(s, size, &d) == 0)
        check(d == d, "a parsed decimal is a number");
    int32_t year;
    if (bimo_parse_schuljahr(s, size, &year) == 0)
        check(year > 0 && year <= 9999, "a school year has a four-digit start");
    int32_t ags;
    int repaired = 0;
    if (bimo_parse_ags(s, size, &ags, &repaired) == 0)
        check(ags >= 0 && ags <= 99999999 && (repaired == 0 || repaired == 1),
              "an AGS has at most 8 digits");

    (void)bimo_table_is_symbol(s, size);
    if (bimo_col_parse_int(s, size, &i64) == 0)
        check(1, "");
    (void)bimo_col_parse_real(s, size, BIMO_NUM_GERMAN, &d);
    (void)bimo_col_parse_real(s, size, BIMO_NUM_PLAIN, &d);

    char name[64];
    size_t n = bimo_table_column_name(s, size, 3, name, sizeof name);
    check(n > 0 && n <= 60 && n == strlen(name), "a column name has 1 to 60 characters");
    for (size_t k = 0; k < n; k++)
        check((name[k] >= 'a' && name[k] <= 'z') || (name[k] >= '0' && name[k] <= '9') ||
                  name[k] == '_',
              "a column name is [a-z0-9_]");
    check(name[0] != '_' && name[n - 1] != '_', "no '_' at either end of a column name");

    /* Column typing: split the input at newlines into cells and type the column. */
    bimo_col_stats st = {0};
    size_t from = 0;
    for (size_t k = 0; k <= size; k++)
        if (k == size || s[k] == '\n') {
            bimo_col_observe(&st, s + from, k - from);
            from = k + 1;
        }
    bimo_num_style style;
    bimo_col_type t = bimo_col_decide(&st, &style);
    check(t == BIMO_COL_TEXT || t == BIMO_COL_INTEGER || t == BIMO_COL_REAL || t == BIMO_COL_DATE,
          "a column gets one of the four types");
    free(s);
    return 0;
}
