/* values.h — parsing the values found in registry extracts: dates, integers, decimals with
 * a comma, school years, municipality keys. Pure functions, shared by import and fuzzers. */
#ifndef BIMO_VALUES_H
#define BIMO_VALUES_H

#include <stddef.h>
#include <stdint.h>

/* Parses "DD.MM.YYYY" (day and month may have one digit) or "YYYY-MM-DD" into yyyymmdd.
 * Returns 0 on success, -1 if the text is not a date of the Gregorian calendar
 * (31.02.2024, 29.02.2023 and 00.00.0000 are refused). */
int bimo_parse_date(const char *s, size_t len, int32_t *ymd);

/* Formats yyyymmdd as "DD.MM.YYYY" (de = 1) or "YYYY-MM-DD"; buf needs 11 bytes. */
void bimo_format_date(int32_t ymd, int de, char *buf);

/* Days between two yyyymmdd dates (b - a). */
int32_t bimo_days_between(int32_t a, int32_t b);

/* Completed years of age at date `at` for someone born on `born` (both yyyymmdd). Someone
 * born on 29 February turns a year older on 1 March in common years (§ 188 BGB). */
int bimo_age_years(int32_t born, int32_t at);

/* Parses an optionally signed decimal integer without grouping; -1 if not an integer or
 * out of range. */
int bimo_parse_int(const char *s, size_t len, int64_t *out);

/* Parses German or plain decimals: "1.234,5", "1234,5", "1234.5", "-3". */
int bimo_parse_decimal(const char *s, size_t len, double *out);

/* Parses a school year "2024/25", "2024/2025" or "2024-25" into its first calendar year. */
int bimo_parse_schuljahr(const char *s, size_t len, int32_t *start_year);

/* Parses a municipality key (AGS): 8 digits, or 7 digits that lost their leading zero
 * (then *repaired = 1). Returns the key as an integer (03459024 -> 3459024). */
int bimo_parse_ags(const char *s, size_t len, int32_t *ags, int *repaired);

#endif
