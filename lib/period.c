/* period.c — parsing and iterating periods: dates, years, quarters, school years, ranges.
 * A range is iterated by index, so a time series needs no list in memory. */
#include "period.h"

#include <stdio.h>
#include <string.h>

#include "values.h"

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

int32_t bimo_date_add_months(int32_t ymd, int months)
{
    int y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
    int total = y * 12 + (m - 1) + months;
    y = total / 12;
    m = total % 12 + 1;
    int last = days_in_month(y, m);
    return y * 10000 + m * 100 + (d > last ? last : d);
}

static int all_digits(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return len > 0;
}

static int read_year(const char *s, size_t len, int32_t *year)
{
    if (len != 4 || !all_digits(s, 4))
        return -1;
    int32_t y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    if (y < 1900 || y > 2200)
        return -1;
    *year = y;
    return 0;
}

/* One period without "..". */
static int parse_one(const char *s, size_t len, bimo_period *p)
{
    memset(p, 0, sizeof *p);
    if (bimo_parse_date(s, len, &p->date) == 0) {
        p->type = BIMO_PT_DATE;
        p->year = p->date / 10000;
        return 0;
    }
    if (bimo_parse_schuljahr(s, len, &p->year) == 0) {
        p->type = BIMO_PT_SCHOOLYEAR;
        return 0;
    }
    if (read_year(s, len, &p->year) == 0) {
        p->type = BIMO_PT_YEAR;
        return 0;
    }
    /* 2025Q3 or 2025-Q3 */
    size_t q = len >= 6 && s[4] == '-' ? 5 : 4;
    if (len == q + 2 && (s[q] == 'Q' || s[q] == 'q') && s[q + 1] >= '1' && s[q + 1] <= '4' &&
        read_year(s, 4, &p->year) == 0) {
        p->type = BIMO_PT_QUARTER;
        p->quarter = s[q + 1] - '0';
        return 0;
    }
    return -1;
}

/* Periods from the start of the type's calendar: years, quarters, school years. */
static int64_t ordinal(const bimo_period *p)
{
    return p->type == BIMO_PT_QUARTER ? (int64_t)p->year * 4 + p->quarter - 1 : p->year;
}

static const char expected[] = "expected a date (31.12.2025), a year (2025), a quarter "
                               "(2025Q3), a school year (2024/25) or a range such as 2019..2025";

static void trim(const char **s, size_t *len, long *col)
{
    while (*len && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*len)--;
        (*col)++;
    }
    while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
        (*len)--;
}

int bimo_period_parse(const char *text, bimo_period_range *out, char *msg, size_t size,
                      long *column)
{
    long col0 = 1, col1;
    const char *a = text ? text : "";
    const char *dots = strstr(a, "..");
    size_t alen = dots ? (size_t)(dots - a) : strlen(a);
    trim(&a, &alen, &col0);
    *column = col0;
    if (parse_one(a, alen, &out->first) != 0) {
        snprintf(msg, size, "\"%.*s\" is not a period: %s", (int)alen, a, expected);
        return -1;
    }
    out->last = out->first;
    out->count = 1;
    if (!dots)
        return 0;
    const char *b = dots + 2;
    size_t blen = strlen(b);
    col1 = (long)(b - text) + 1;
    trim(&b, &blen, &col1);
    *column = col1;
    if (parse_one(b, blen, &out->last) != 0) {
        snprintf(msg, size, "\"%.*s\" is not a period: %s", (int)blen, b, expected);
        return -1;
    }
    if (out->first.type == BIMO_PT_DATE || out->last.type == BIMO_PT_DATE) {
        *column = col0;
        snprintf(msg, size,
                 "a range of dates is not supported; give a range of years, "
                 "quarters or school years");
        return -1;
    }
    if (out->first.type != out->last.type) {
        snprintf(msg, size,
                 "both ends of a range must be of one kind (years, quarters or "
                 "school years)");
        return -1;
    }
    int64_t n = ordinal(&out->last) - ordinal(&out->first) + 1;
    if (n < 1) {
        snprintf(msg, size, "the range ends before it starts");
        return -1;
    }
    if (n > BIMO_PERIOD_MAX_COUNT) {
        snprintf(msg, size, "the range has %lld periods; at most %d are allowed", (long long)n,
                 BIMO_PERIOD_MAX_COUNT);
        return -1;
    }
    out->count = (size_t)n;
    return 0;
}

bimo_period bimo_period_at(const bimo_period_range *range, size_t i)
{
    bimo_period p = range->first;
    if (p.type == BIMO_PT_QUARTER) {
        int64_t o = ordinal(&p) + (int64_t)i;
        p.year = (int32_t)(o / 4);
        p.quarter = (int)(o % 4) + 1;
    } else if (p.type != BIMO_PT_DATE) {
        p.year += (int32_t)i;
    }
    return p;
}

int32_t bimo_period_start(const bimo_period *p)
{
    switch (p->type) {
    case BIMO_PT_DATE: return p->date;
    case BIMO_PT_QUARTER: return p->year * 10000 + (p->quarter * 3 - 2) * 100 + 1;
    case BIMO_PT_SCHOOLYEAR: return p->year * 10000 + 801;
    default: return p->year * 10000 + 101;
    }
}

int32_t bimo_period_end(const bimo_period *p)
{
    switch (p->type) {
    case BIMO_PT_DATE: return p->date;
    case BIMO_PT_QUARTER: {
        int m = p->quarter * 3;
        return p->year * 10000 + m * 100 + days_in_month(p->year, m);
    }
    case BIMO_PT_SCHOOLYEAR: return (p->year + 1) * 10000 + 731;
    default: return p->year * 10000 + 1231;
    }
}

bimo_period bimo_period_previous(const bimo_period *p)
{
    bimo_period q = *p;
    if (p->type == BIMO_PT_DATE) {
        q.date = bimo_date_add_months(p->date, -12);
        q.year = q.date / 10000;
    } else if (p->type == BIMO_PT_QUARTER) {
        q.quarter = p->quarter == 1 ? 4 : p->quarter - 1;
        q.year = p->quarter == 1 ? p->year - 1 : p->year;
    } else {
        q.year = p->year - 1;
    }
    return q;
}

void bimo_period_label(const bimo_period *p, char *buf, size_t size)
{
    char d[11];
    switch (p->type) {
    case BIMO_PT_DATE:
        bimo_format_date(p->date, 0, d);
        snprintf(buf, size, "%s", d);
        break;
    case BIMO_PT_QUARTER: snprintf(buf, size, "%dQ%d", (int)p->year, p->quarter); break;
    case BIMO_PT_SCHOOLYEAR:
        snprintf(buf, size, "%d/%02d", (int)p->year, (int)((p->year + 1) % 100));
        break;
    default: snprintf(buf, size, "%d", (int)p->year); break;
    }
}

void bimo_period_label_de(const bimo_period *p, char *buf, size_t size)
{
    char d[11];
    switch (p->type) {
    case BIMO_PT_DATE:
        bimo_format_date(p->date, 1, d);
        snprintf(buf, size, "%s", d);
        break;
    case BIMO_PT_QUARTER: snprintf(buf, size, "%d. Quartal %d", p->quarter, (int)p->year); break;
    case BIMO_PT_SCHOOLYEAR:
        snprintf(buf, size, "Schuljahr %d/%02d", (int)p->year, (int)((p->year + 1) % 100));
        break;
    default: snprintf(buf, size, "%d", (int)p->year); break;
    }
}
