/* error.c — status texts and error records.
 * The texts are English; German names from the data are quoted as they are. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bimo_config.h"

static const char *const status_text[BIMO_STATUS_COUNT] = {
    [BIMO_OK] = "ok",
    [BIMO_ERR_NOMEM] = "out of memory",
    [BIMO_ERR_ARG] = "invalid argument",
    [BIMO_ERR_NOINPUT] = "input not found or not readable",
    [BIMO_ERR_CANTCREATE] = "cannot create output",
    [BIMO_ERR_IO] = "input/output error",
    [BIMO_ERR_PARSE] = "malformed input",
    [BIMO_ERR_DATA] = "invalid data",
    [BIMO_ERR_BUSY] = "store is busy",
    [BIMO_ERR_SCHEMA] = "unsupported store schema",
    [BIMO_ERR_PERM] = "permission problem",
    [BIMO_ERR_STORE] = "store error",
    [BIMO_ERR_NOTFOUND] = "not found",
    [BIMO_ERR_ABORTED] = "aborted",
};

const char *bimo_strerror(bimo_status status)
{
    if ((unsigned)status >= BIMO_STATUS_COUNT)
        return "unknown status";
    return status_text[status];
}

const char *bimo_version(void)
{
    return BIMO_VERSION;
}

void bimo_error_clear(bimo_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

static void set_location(bimo_error *err, bimo_status status, const char *file, long line,
                         long column)
{
    err->status = status;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->column = column;
}

bimo_status bimo_fail(bimo_error *err, bimo_status status, const char *fmt, ...)
{
    if (!err)
        return status;
    set_location(err, status, NULL, 0, 0);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return status;
}

bimo_status bimo_fail_at(bimo_error *err, bimo_status status, const char *file, long line,
                         long column, const char *fmt, ...)
{
    if (!err)
        return status;
    set_location(err, status, file, line, column);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return status;
}

void bimo_error_format(const bimo_error *err, char *buf, size_t size)
{
    if (!err || size == 0)
        return;
    const char *msg = err->message[0] ? err->message : bimo_strerror(err->status);
    if (err->file[0] && err->line > 0 && err->column > 0)
        snprintf(buf, size, "%s:%ld:%ld: %s", err->file, err->line, err->column, msg);
    else if (err->file[0] && err->line > 0)
        snprintf(buf, size, "%s:%ld: %s", err->file, err->line, msg);
    else if (err->file[0])
        snprintf(buf, size, "%s: %s", err->file, msg);
    else
        snprintf(buf, size, "%s", msg);
}
