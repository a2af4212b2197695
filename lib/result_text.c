/* result_text.c — German number text, symbols, subtitles and source lines of results. */
#include "result_text.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "values.h"

/* German grouping: 1234567 -> "1.234.567". */
static void group_de(const char *digits, char *out, size_t size)
{
    size_t n = strlen(digits), o = 0;
    for (size_t i = 0; i < n && o + 2 < size; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            out[o++] = '.';
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

void bimo_number_de(double v, int decimals, char *out, size_t size)
{
    char plain[64], grouped[96];
    snprintf(plain, sizeof plain, "%.*f", decimals, fabs(v));
    char *dot = strchr(plain, '.');
    if (dot)
        *dot = '\0';
    group_de(plain, grouped, sizeof grouped);
    /* no "-0,0": a negative number that rounds to zero loses its sign */
    int negative = v < 0 && strspn(plain, "0") + (dot ? 1 + strspn(dot + 1, "0") : 0) <
                                strlen(plain) + (dot ? 1 + strlen(dot + 1) : 0);
    snprintf(out, size, "%s%s%s%s", negative ? "-" : "", grouped, dot ? "," : "",
             dot ? dot + 1 : "");
}

const char *bimo_row_symbol(const bimo_result_row *row)
{
    if (row->flag == BIMO_FLAG_SECRET || row->flag == BIMO_FLAG_UNRELIABLE ||
        row->flag == BIMO_FLAG_NODATA || row->flag == BIMO_FLAG_NOT_MEANINGFUL)
        return bimo_flag_symbol(row->flag);
    return bimo_flag_symbol(BIMO_FLAG_ZERO);
}

int bimo_count_text(const bimo_result_row *row, unsigned bit, int64_t v, char *out, size_t size)
{
    if (!(row->has & bit)) {
        snprintf(out, size, "%s", bimo_row_symbol(row));
        return 0;
    }
    if (v == 0) {
        snprintf(out, size, "%s", bimo_flag_symbol(BIMO_FLAG_ZERO));
        return 0;
    }
    bimo_number_de((double)v, 0, out, size);
    return 1;
}

int bimo_indicator_is_percent(const bimo_indicator *ind)
{
    return ind->kind != BIMO_KIND_COUNT && ind->kind != BIMO_KIND_QUANTILE &&
           strcmp(ind->unit, "%") == 0;
}

int bimo_value_text(const bimo_indicator *ind, const bimo_result_row *row, double v, char *out,
                    size_t size)
{
    char num[64];
    if (!(row->has & BIMO_HAS_VALUE)) {
        snprintf(out, size, "%s", bimo_row_symbol(row));
        return 0;
    }
    if (v == 0) {
        snprintf(out, size, "%s", bimo_flag_symbol(BIMO_FLAG_ZERO));
        return 0;
    }
    bimo_number_de(v, ind->kind == BIMO_KIND_COUNT ? 0 : ind->decimals, num, sizeof num);
    snprintf(out, size, "%s%s%s", num, bimo_indicator_is_percent(ind) ? " %" : "",
             row->flag == BIMO_FLAG_PROVISIONAL ? " p" : "");
    return 1;
}

void bimo_result_subtitle(const bimo_result *r, char *out, size_t size)
{
    const bimo_indicator *ind = bimo_result_indicator(r);
    size_t n = bimo_result_period_count(r);
    const bimo_result_period *a = bimo_result_period_at(r, 0), *b = bimo_result_period_at(r, n - 1);
    const char *area = bimo_result_area(r);
    char d1[11], d2[11];
    bimo_format_date(a->stichtag, 1, d1);
    bimo_format_date(b->stichtag, 1, d2);
    int stock = ind->period == BIMO_PERIOD_STICHTAG;
    if (n == 1 && stock)
        snprintf(out, size, "%s, Stichtag %s", area, d1);
    else if (n == 1)
        snprintf(out, size, "%s, %s", area, a->label);
    else if (stock)
        snprintf(out, size, "%s, Stichtage %s bis %s", area, d1, d2);
    else if (ind->period == BIMO_PERIOD_SCHULJAHR)
        snprintf(out, size, "%s, Schuljahre %s bis %s", area, a->period, b->period);
    else
        snprintf(out, size, "%s, %s bis %s", area, a->label, b->label);
}

void bimo_result_source_line(const bimo_result *r, char *out, size_t size)
{
    size_t n = bimo_result_period_count(r);
    const char *q = bimo_result_period_at(r, n - 1)->quelle;
    snprintf(out, size, "%s%s", strncmp(q, "Quelle", 6) == 0 ? "" : "Quelle: ", q);
}

unsigned bimo_result_flags_used(const bimo_result *r)
{
    unsigned flags = 0;
    for (size_t i = 0; i < bimo_result_row_count(r); i++) {
        const bimo_result_row *row = bimo_result_row_at(r, i);
        flags |= 1u << row->flag;
        flags |= (unsigned)((row->has & BIMO_HAS_NUMERATOR) && row->numerator == 0)
                 << BIMO_FLAG_ZERO;
        flags |= (unsigned)((row->has & BIMO_HAS_DENOMINATOR) && row->denominator == 0)
                 << BIMO_FLAG_ZERO;
        flags |= (unsigned)((row->has & BIMO_HAS_VALUE) && row->value == 0) << BIMO_FLAG_ZERO;
    }
    return flags & ~1u;
}
