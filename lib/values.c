/* values.c — parsers for the value types of the registry extracts.
 * Hand-written because they sit on the import's hot path: no locale, no allocation. */
#include "values.h"

#include <string.h>

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

/* Reads 1..max digits at s[*i]; returns -1 if there are none. */
static int read_digits(const char *s, size_t len, size_t *i, int min, int max)
{
    int v = 0, n = 0;
    while (*i < len && is_digit(s[*i]) && n < max) {
        v = v * 10 + (s[*i] - '0');
        (*i)++;
        n++;
    }
    return n >= min ? v : -1;
}

static int valid_ymd(int y, int m, int d, int32_t *ymd)
{
    if (y < 1800 || y > 2200 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return -1;
    *ymd = y * 10000 + m * 100 + d;
    return 0;
}

int bimo_parse_date(const char *s, size_t len, int32_t *ymd)
{
    size_t i = 0;
    if (len >= 10 && s[4] == '-') { /* YYYY-MM-DD */
        int y = read_digits(s, len, &i, 4, 4);
        if (y < 0 || i >= len || s[i++] != '-')
            return -1;
        int m = read_digits(s, len, &i, 2, 2);
        if (m < 0 || i >= len || s[i++] != '-')
            return -1;
        int d = read_digits(s, len, &i, 2, 2);
        if (d < 0 || i != len)
            return -1;
        return valid_ymd(y, m, d, ymd);
    }
    int d = read_digits(s, len, &i, 1, 2); /* D.M.YYYY */
    if (d < 0 || i >= len || s[i++] != '.')
        return -1;
    int m = read_digits(s, len, &i, 1, 2);
    if (m < 0 || i >= len || s[i++] != '.')
        return -1;
    int y = read_digits(s, len, &i, 4, 4);
    if (y < 0 || i != len)
        return -1;
    return valid_ymd(y, m, d, ymd);
}

void bimo_format_date(int32_t ymd, int de, char *buf)
{
    unsigned y = (unsigned)(ymd / 10000) % 10000, m = (unsigned)(ymd / 100 % 100),
             d = (unsigned)(ymd % 100);
    char yy[4] = {(char)('0' + y / 1000), (char)('0' + y / 100 % 10), (char)('0' + y / 10 % 10),
                  (char)('0' + y % 10)};
    char mm[2] = {(char)('0' + m / 10), (char)('0' + m % 10)};
    char dd[2] = {(char)('0' + d / 10), (char)('0' + d % 10)};
    if (de) {
        memcpy(buf, dd, 2);
        buf[2] = '.';
        memcpy(buf + 3, mm, 2);
        buf[5] = '.';
        memcpy(buf + 6, yy, 4);
    } else {
        memcpy(buf, yy, 4);
        buf[4] = '-';
        memcpy(buf + 5, mm, 2);
        buf[7] = '-';
        memcpy(buf + 8, dd, 2);
    }
    buf[10] = '\0';
}

/* Days since 1970-01-01 (proleptic Gregorian), from Howard Hinnant's civil algorithm. */
static int32_t days_from_civil(int32_t ymd)
{
    int y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int32_t bimo_days_between(int32_t a, int32_t b)
{
    return days_from_civil(b) - days_from_civil(a);
}

int bimo_age_years(int32_t born, int32_t at)
{
    /* yyyymmdd arithmetic: the birthday is reached when mmdd(at) >= mmdd(born). */
    return (at - born) / 10000;
}

int bimo_parse_int(const char *s, size_t len, int64_t *out)
{
    size_t i = 0;
    int neg = 0;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    if (i == len || len - i > 18)
        return -1;
    int64_t v = 0;
    for (; i < len; i++) {
        if (!is_digit(s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = neg ? -v : v;
    return 0;
}

int bimo_parse_decimal(const char *s, size_t len, double *out)
{
    /* German style when a comma is present: dots group thousands, the comma is decimal. */
    int has_comma = 0;
    for (size_t i = 0; i < len; i++)
        has_comma |= s[i] == ',';
    size_t i = 0;
    int neg = 0, digits = 0;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    double v = 0, scale = 0;
    for (; i < len; i++) {
        char c = s[i];
        if (is_digit(c)) {
            digits++;
            if (scale > 0) {
                v += (c - '0') / scale;
                scale *= 10;
            } else {
                v = v * 10 + (c - '0');
            }
        } else if ((c == ',' && has_comma) || (c == '.' && !has_comma)) {
            if (scale > 0)
                return -1;
            scale = 10;
        } else if (c == '.' && has_comma && scale == 0) {
            continue; /* thousands separator */
        } else {
            return -1;
        }
    }
    if (digits == 0 || digits > 17)
        return -1;
    *out = neg ? -v : v;
    return 0;
}

int bimo_parse_schuljahr(const char *s, size_t len, int32_t *start_year)
{
    size_t i = 0;
    int y = read_digits(s, len, &i, 4, 4);
    if (y < 1900 || y > 2200 || i >= len || (s[i] != '/' && s[i] != '-'))
        return -1;
    i++;
    size_t rest = len - i;
    int next = read_digits(s, len, &i, 2, 4);
    if (i != len || (rest != 2 && rest != 4))
        return -1;
    int expect = rest == 2 ? (y + 1) % 100 : y + 1;
    if (next != expect)
        return -1;
    *start_year = y;
    return 0;
}

int bimo_parse_ags(const char *s, size_t len, int32_t *ags, int *repaired)
{
    if (len != 7 && len != 8)
        return -1;
    int32_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (!is_digit(s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    if (v < 1000000) /* Land keys run 01..16: a real AGS has at least 7 significant digits */
        return -1;
    *ags = v;
    *repaired = len == 7;
    return 0;
}
