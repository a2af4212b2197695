/* csv_read.c — micro benchmark of the streaming CSV reader: reads one file to the end and
 * prints records, rejects and throughput (bench/csv_read.sh runs it under hyperfine). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "csv_reader.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: csv_read FILE\n");
        return 64;
    }
    bimo_csv_options opt = {0};
    bimo_csv_reader *r;
    bimo_error err;
    double t0 = now();
    if (bimo_csv_open_path(argv[1], &opt, &r, &err) != BIMO_OK) {
        char msg[800];
        bimo_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "csv_read: %s\n", msg);
        return 66;
    }
    const bimo_csv_record *rec;
    long rows = 0, rejects = 0;
    uint64_t field_bytes = 0;
    bimo_status st;
    while ((st = bimo_csv_next(r, &rec, &err)) == BIMO_OK && rec) {
        rows++;
        if (rec->reject_reason)
            rejects++;
        for (size_t i = 0; i < rec->nfields; i++)
            field_bytes += rec->lengths[i];
    }
    double secs = now() - t0;
    if (st != BIMO_OK) {
        char msg[800];
        bimo_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "csv_read: %s\n", msg);
        bimo_csv_close(r);
        return 74;
    }
    char sha[65];
    bimo_csv_sha256_hex(r, sha);
    double mb = (double)bimo_csv_bytes_read(r) / 1e6;
    printf("%ld records (%ld rejected), %" PRIu64 " field bytes, %.1f MB in %.3f s: "
           "%.0f MB/s, %.2f M records/s\n",
           rows, rejects, field_bytes, mb, secs, mb / secs, (double)rows / secs / 1e6);
    printf("encoding %s, delimiter '%s', %ld blank lines, sha256 %s\n", bimo_csv_encoding(r),
           bimo_csv_delimiter(r) == '\t' ? "\\t" : (char[]){(char)bimo_csv_delimiter(r), 0},
           bimo_csv_blank_lines(r), sha);
    bimo_csv_close(r);
    return 0;
}
