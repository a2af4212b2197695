/* error.h — filling bimo_error records inside the library.
 * Every module reports failures through these helpers so messages look alike. */
#ifndef BIMO_ERROR_H
#define BIMO_ERROR_H

#include "bimo.h"

#if defined(__GNUC__)
#define BIMO_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define BIMO_PRINTF(a, b)
#endif

/* Sets err (if non-NULL) and returns status, so callers can write `return bimo_fail(...)`. */
bimo_status bimo_fail(bimo_error *err, bimo_status status, const char *fmt, ...) BIMO_PRINTF(3, 4);

/* Like bimo_fail() with an input location; file may be NULL, line/column 0 when unknown. */
bimo_status bimo_fail_at(bimo_error *err, bimo_status status, const char *file, long line,
                         long column, const char *fmt, ...) BIMO_PRINTF(6, 7);

#endif
