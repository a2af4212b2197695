/* fuzz_csv_reader.c — the streaming CSV reader on arbitrary bytes.
 *
 * The first input byte picks the options (delimiter, encoding, limits) so every branch of the
 * sniffer and the limits is reachable; the rest is the file. Besides memory errors (ASan) it
 * checks the reader's promises: an accepted record's fields are NUL-terminated with the given
 * lengths, line numbers never go backwards, and reading the same bytes in 1-byte chunks gives
 * exactly the same records as reading them in one piece. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_reader.h"

#define MAX_RECORDS 4096 /* fingerprints compared between the two reads */

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_csv_reader: broken promise: %s\n", what);
        abort();
    }
}

/* FNV-1a over everything a record tells its caller. */
static uint64_t fingerprint(const bimo_csv_record *rec)
{
    uint64_t h = 1469598103934665603ULL;
#define MIX(p, n)                                                                                  \
    for (size_t k_ = 0; k_ < (n); k_++)                                                            \
        h = (h ^ ((const unsigned char *)(p))[k_]) * 1099511628211ULL;
    MIX(&rec->nfields, sizeof rec->nfields);
    MIX(&rec->line, sizeof rec->line);
    MIX(&rec->last_line, sizeof rec->last_line);
    MIX(&rec->reject_column, sizeof rec->reject_column);
    if (rec->reject_reason)
        MIX(rec->reject_reason, strlen(rec->reject_reason));
    for (size_t i = 0; i < rec->nfields; i++) {
        MIX(&rec->lengths[i], sizeof rec->lengths[i]);
        MIX(rec->fields[i], rec->lengths[i]);
    }
#undef MIX
    return h;
}

/* Reads everything; returns the number of records and fills fp[] with their fingerprints. */
static size_t read_all(const uint8_t *data, size_t size, const bimo_csv_options *opt, uint64_t *fp,
                       bimo_status *final)
{
    bimo_csv_reader *r = NULL;
    bimo_error err;
    size_t n = 0;
    *final = bimo_csv_open_memory(data, size, "fuzz.csv", opt, &r, &err);
    if (*final != BIMO_OK)
        return 0;
    const bimo_csv_record *rec;
    long last = 0;
    while ((* final = bimo_csv_next(r, &rec, &err)) == BIMO_OK && rec) {
        check(rec->line >= 1 && rec->line > last && rec->last_line >= rec->line,
              "line numbers increase");
        last = rec->last_line;
        check(rec->raw && rec->raw[rec->raw_len] == '\0', "raw is NUL-terminated");
        if (!rec->reject_reason) {
            check(rec->nfields > 0, "an accepted record has fields");
            for (size_t i = 0; i < rec->nfields; i++)
                check(rec->fields[i][rec->lengths[i]] == '\0' &&
                          strlen(rec->fields[i]) == rec->lengths[i],
                      "an accepted field is NUL-terminated text of its length");
        } else {
            check(rec->nfields == 0, "a rejected record has no fields");
        }
        if (n < MAX_RECORDS)
            fp[n] = fingerprint(rec);
        n++;
    }
    check(bimo_csv_delimiter(r) == 0 || bimo_csv_delimiter(r) == ';' ||
              bimo_csv_delimiter(r) == ',' || bimo_csv_delimiter(r) == '\t',
          "the delimiter is one of ; , tab");
    char sha[65];
    bimo_csv_sha256_hex(r, sha);
    check(*final != BIMO_OK || strlen(sha) == 64, "the SHA-256 is known at the end");
    bimo_csv_close(r);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const char *const encodings[] = {NULL, "utf-8", "cp1252", "auto"};
    static const int delimiters[] = {0, ';', ',', '\t'};
    uint8_t sel = data[0];
    bimo_csv_options opt = {0};
    opt.encoding = encodings[sel & 3];
    opt.delimiter = delimiters[(sel >> 2) & 3];
    if (sel & 0x10) { /* small limits, so the overlong-field and -line paths run */
        opt.max_field_bytes = 16;
        opt.max_line_bytes = 48;
        opt.max_record_lines = 3;
    }
    data++;
    size--;

    static uint64_t fp1[MAX_RECORDS], fp2[MAX_RECORDS];
    bimo_status st1, st2;
    size_t n1 = read_all(data, size, &opt, fp1, &st1);
    opt.read_chunk = 1 + (sel >> 5); /* 1..8 bytes: every chunk boundary */
    size_t n2 = read_all(data, size, &opt, fp2, &st2);
    check(st1 == st2, "the same status whatever the chunk size");
    check(n1 == n2, "the same number of records whatever the chunk size");
    for (size_t i = 0; i < n1 && i < MAX_RECORDS; i++)
        check(fp1[i] == fp2[i], "the same records whatever the chunk size");
    return 0;
}
