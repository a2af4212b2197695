/* period.h — the periods an indicator is computed for: a date, a year, a quarter, a school
 * year, and ranges of them for time series. Pure functions, no allocation. */
#ifndef BIMO_PERIOD_H
#define BIMO_PERIOD_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    BIMO_PT_DATE = 1,   /* 31.12.2025 or 2025-12-31 */
    BIMO_PT_YEAR,       /* 2025 */
    BIMO_PT_QUARTER,    /* 2025Q3 */
    BIMO_PT_SCHOOLYEAR, /* 2024/25 */
} bimo_period_type;

typedef struct bimo_period {
    bimo_period_type type;
    int32_t year; /* calendar year; for a school year its first year */
    int quarter;  /* 1..4 for a quarter */
    int32_t date; /* yyyymmdd for a date */
} bimo_period;

/* A period or an inclusive range first..last of periods of one type. */
typedef struct bimo_period_range {
    bimo_period first, last;
    size_t count; /* 1 for a single period */
} bimo_period_range;

#define BIMO_PERIOD_MAX_COUNT 400 /* longest range accepted (100 years of quarters) */

/* Parses "2025", "2025Q3" (also "2025-Q3", lower-case q), "2024/25" ("2024/2025"), a date
 * ("31.12.2025", "2025-12-31") or a range "A..B" of years, quarters or school years with
 * A <= B. Returns 0, or -1 with a sentence in msg and the 1-based character position of the
 * problem in *column. */
int bimo_period_parse(const char *text, bimo_period_range *out, char *msg, size_t size,
                      long *column);

/* The i-th period of the range (0 = first). */
bimo_period bimo_period_at(const bimo_period_range *range, size_t i);

/* First and last day (yyyymmdd) of the period; a school year runs 1 August to 31 July. */
int32_t bimo_period_start(const bimo_period *p);
int32_t bimo_period_end(const bimo_period *p);

/* The period before p of the same type (a date: the same day one year earlier). */
bimo_period bimo_period_previous(const bimo_period *p);

/* Machine form: "2025-12-31", "2025", "2025Q3", "2024/25". buf needs 16 bytes. */
void bimo_period_label(const bimo_period *p, char *buf, size_t size);

/* German form: "31.12.2025", "2025", "3. Quartal 2025", "Schuljahr 2024/25". */
void bimo_period_label_de(const bimo_period *p, char *buf, size_t size);

/* Adds months to a yyyymmdd date; a day beyond the target month's end becomes its last day
 * (31.01. + 1 month = 28.02. or 29.02.). */
int32_t bimo_date_add_months(int32_t ymd, int months);

#endif
