/* workbook.h — the parts of the workbook writer that stand on their own: naming sheets within
 * Excel's rules (tested directly, since a bad name makes Excel refuse the whole file). */
#ifndef BIMO_WORKBOOK_H
#define BIMO_WORKBOOK_H

#include <stddef.h>

#define BIMO_SHEET_MAX       31                       /* Excel's limit, in characters */
#define BIMO_SHEET_NAME_SIZE (BIMO_SHEET_MAX * 4 + 1) /* UTF-8 bytes */

/* names[i] becomes wanted[i] (NULL or empty: "Tabelle i+1") cut to 31 characters at a
 * character boundary, with []:*?/\ replaced by "_", control characters by spaces and no
 * apostrophe or space at either end; a name equal (ASCII case ignored) to an earlier one or
 * to a fixed sheet (Deckblatt, Inhalt, Erläuterungen, Daten, History) gets " (2)", " (3)" ...
 * with the base shortened so the whole stays within 31 characters. */
void bimo_workbook_sheet_names(const char *const *wanted, size_t n,
                               char (*names)[BIMO_SHEET_NAME_SIZE]);

#endif
