/* result_text.h — the German text of computed numbers, shared by every writer of results
 * (tables, charts, workbooks, the report) so a number reads the same everywhere. */
#ifndef BIMO_RESULT_TEXT_H
#define BIMO_RESULT_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "bimo.h"

/* A number in German form with the given decimals: 1234.5 -> "1.234,5", -3 -> "-3". */
void bimo_number_de(double v, int decimals, char *out, size_t size);

/* The symbol that stands for a number the row does not show ("." "/" "…" "x"), else "–". */
const char *bimo_row_symbol(const bimo_result_row *row);

/* A count of the row (numerator or denominator, selected by bit = BIMO_HAS_*): "1.234",
 * "–" for zero, the row's symbol when it is not shown. Returns 1 when out is a number. */
int bimo_count_text(const bimo_result_row *row, unsigned bit, int64_t v, char *out, size_t size);

/* A value of the row (value, q1, median or q3): "12,3 %" for percentages, "1.234", "–" for
 * zero, " p" appended when provisional, the symbol when not shown. 1 when out is a number. */
int bimo_value_text(const bimo_indicator *ind, const bimo_result_row *row, double v, char *out,
                    size_t size);

/* Whether the indicator's values are percentages (rates and shares in "%"). */
int bimo_indicator_is_percent(const bimo_indicator *ind);

/* "Landkreis Osnabrück, Stichtag 31.12.2025", "..., Stichtage 31.12.2019 bis 31.12.2025",
 * "..., Schuljahr 2024/25", "..., 1. Quartal 2023 bis 4. Quartal 2025". */
void bimo_result_subtitle(const bimo_result *res, char *out, size_t size);

/* "Quelle: ..." of the result's last period (the prefix added when the line lacks it). */
void bimo_result_source_line(const bimo_result *res, char *out, size_t size);

/* Bit f set for every flag f whose symbol appears in the result (incl. BIMO_FLAG_ZERO for
 * shown zeros), for the symbol legend ("Zeichenerklärung"). */
unsigned bimo_result_flags_used(const bimo_result *res);

/* The thresholds the result was protected with (sperrgrenze, mindestnenner of the profile). */
void bimo_result_disclosure(const bimo_result *res, int64_t *threshold, double *min_denominator);

/* The publisher named in the district profile (key "herausgeber"), or NULL. */
const char *bimo_result_producer(const bimo_result *res);

#endif
