/* csv_reader.h — streaming CSV reader: libcsv plus encoding detection, dialect sniffing and resync.
 * Private to the library; the import engine and the fuzzers read every extract through it. */
#ifndef BIMO_CSV_READER_H
#define BIMO_CSV_READER_H

#include <stddef.h>
#include <stdint.h>

#include "bimo.h"

/* Optional settings; a zeroed struct (or NULL) means the defaults. */
typedef struct bimo_csv_options {
    const char *encoding;   /* NULL/"auto", "utf-8", "cp1252" (also "windows-1252") */
    int delimiter;          /* 0: sep= line or sniffed from the header; or ';' ',' '\t' */
    size_t max_field_bytes; /* 0: 1 MiB; a longer field rejects its record */
    int max_record_lines;   /* 0: 100; a quoted field may span at most this many lines */
    size_t max_line_bytes;  /* 0: 4 x max_field_bytes; a longer physical line is rejected
                               without ever being held in memory whole */
    size_t read_chunk;      /* 0: 256 KiB; tests use tiny chunks to hit every boundary */
} bimo_csv_options;

/* One record (the header is just the first one). Owned by the reader and valid until the next
 * bimo_csv_next() or bimo_csv_close(). */
typedef struct bimo_csv_record {
    size_t nfields;            /* 0 when rejected */
    const char *const *fields; /* NUL-terminated UTF-8, spaces around unquoted fields trimmed */
    const size_t *lengths;     /* bytes, without the NUL */
    long line;                 /* first physical line, 1-based */
    long last_line;            /* last physical line (> line when a quoted field holds newlines) */
    const char *raw;           /* the record as read, converted to UTF-8 when the file is
                                  Windows-1252, without its final line terminator; NUL-terminated.
                                  It may hold invalid UTF-8 or NUL bytes when that is the reason
                                  for the reject, and is cut to max_line_bytes for overlong lines */
    size_t raw_len;
    const char *reject_reason; /* NULL when the record is fine; then the fields are valid */
    long reject_column;        /* 1-based field index of the problem, 0 if unknown */
} bimo_csv_record;

typedef struct bimo_csv_reader bimo_csv_reader;

/* Opens a CSV file for streaming; path "-" reads standard input. opt may be NULL. Errors name
 * the path in err->file: BIMO_ERR_NOINPUT (missing, unreadable, a directory), BIMO_ERR_ARG (bad
 * options), BIMO_ERR_NOMEM. On success *out is owned by the caller: bimo_csv_close(). */
bimo_status bimo_csv_open_path(const char *path, const bimo_csv_options *opt, bimo_csv_reader **out,
                               bimo_error *err);

/* Like bimo_csv_open_path() over len bytes at data, which must stay valid and unchanged until
 * bimo_csv_close(). name (may be NULL) is used in messages. */
bimo_status bimo_csv_open_memory(const void *data, size_t len, const char *name,
                                 const bimo_csv_options *opt, bimo_csv_reader **out,
                                 bimo_error *err);

/* Reads the next record into *rec; *rec is NULL at the end of the input. A record that is
 * malformed comes back with reject_reason set, and reading goes on after it. Returns BIMO_ERR_IO
 * when reading fails and BIMO_ERR_NOMEM; once failed, every later call fails the same way. */
bimo_status bimo_csv_next(bimo_csv_reader *r, const bimo_csv_record **rec, bimo_error *err);

/* Stops reading and frees everything, also the records handed out. NULL is fine. */
void bimo_csv_close(bimo_csv_reader *r);

/* Facts for provenance and progress. The delimiter and encoding are known once the first record
 * was returned; the encoding can still change from "utf-8" to "cp1252" while an all-ASCII start
 * is followed by Windows-1252 bytes, so record it after the end. */
const char *bimo_csv_encoding(const bimo_csv_reader *r); /* "utf-8", "utf-8-bom", "cp1252" */
int bimo_csv_delimiter(const bimo_csv_reader *r);        /* ';' ',' '\t'; 0 before the header */
long bimo_csv_blank_lines(const bimo_csv_reader *r);     /* blank lines skipped so far */
long bimo_csv_lines(const bimo_csv_reader *r);           /* physical lines read so far */
/* Why the first line cannot start a CSV file (a ZIP archive, a PDF, UTF-16, binary data, an
 * unsupported "sep=" delimiter), or NULL; that line came back rejected with this reason. */
const char *bimo_csv_first_line_problem(const bimo_csv_reader *r);
const char *bimo_csv_name(const bimo_csv_reader *r);    /* path, "stdin" or the memory name */
uint64_t bimo_csv_bytes_read(const bimo_csv_reader *r); /* raw bytes consumed so far */
int64_t bimo_csv_total_bytes(const bimo_csv_reader *r); /* input size, -1 if unknown (pipe) */

/* Writes the SHA-256 of all raw input bytes as 64 hex digits into out; an empty string until
 * the end of the input was reached. */
void bimo_csv_sha256_hex(const bimo_csv_reader *r, char out[65]);

#endif
