/* cmd_import.c — "bimo import" and "bimo rejects": loading extracts and showing what was
 * refused. The library does the work; this file parses options, draws progress, prints. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

typedef struct {
    const char *file;
    int tty;
    struct timespec t0;
    int drawn;
} progress_state;

static double elapsed(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void draw_progress(const bimo_import_progress *p, void *ctx)
{
    progress_state *ps = ctx;
    if (!ps->tty)
        return;
    double s = elapsed(&ps->t0);
    double mbs = s > 0 ? p->bytes / 1e6 / s : 0;
    char eta[32] = "";
    if (p->total_bytes > 0 && p->bytes > 0) {
        double frac = (double)p->bytes / (double)p->total_bytes;
        int rest = (int)(s / frac - s + 0.5);
        snprintf(eta, sizeof eta, " %3.0f %%, %d:%02d left", frac * 100, rest / 60, rest % 60);
    }
    fprintf(stderr, "\r%s: %lld rows, %.1f MB/s%s   ", ps->file, (long long)p->rows, mbs, eta);
    ps->drawn = 1;
}

static void print_notice(const char *message, void *ctx)
{
    progress_state *ps = ctx;
    if (ps->drawn)
        fputc('\n', stderr);
    ps->drawn = 0;
    fprintf(stderr, "bimo import: %s\n", message);
}

static int parse_share(const char *text, double *share)
{
    char *end;
    double v = strtod(text, &end);
    if (end == text || (*end && strcmp(end, "%") != 0) || v < 0 || v > 100)
        return -1;
    *share = v == 0 ? BIMO_NO_REJECTS : v / 100;
    return 0;
}

static int parse_delimiter(const char *text, int *delim)
{
    if (!strcmp(text, "auto"))
        *delim = 0;
    else if (!strcmp(text, ";") || !strcmp(text, ",") || !strcmp(text, "|"))
        *delim = text[0];
    else if (!strcmp(text, "tab") || !strcmp(text, "\\t") || !strcmp(text, "\t"))
        *delim = '\t';
    else
        return -1;
    return 0;
}

static int is_source(const char *name)
{
    for (const char *const *s = bimo_import_sources(); *s; s++)
        if (!strcmp(*s, name))
            return 1;
    return 0;
}

/* source "table": table is the NAME of bimo import table NAME FILE. */
static int import_one(bimo_store *store, const char *source, const char *table, const char *path,
                      bimo_import_options *opt, progress_state *ps)
{
    bimo_import_result res;
    bimo_error err;
    bimo_error_clear(&err);
    ps->file = strcmp(path, "-") ? path : "stdin";
    ps->drawn = 0;
    clock_gettime(CLOCK_MONOTONIC, &ps->t0);
    bimo_status st = table ? bimo_import_table(store, table, path, opt, &res, &err)
                           : bimo_import(store, source, path, opt, &res, &err);
    if (ps->drawn)
        fputs("\r\033[K", stderr);
    if (st != BIMO_OK) {
        int rc = cli_report(&err);
        if (res.import_id)
            fprintf(stderr,
                    "bimo import: the run is recorded as import %lld; see \"bimo rejects "
                    "%lld\"\n",
                    (long long)res.import_id, (long long)res.import_id);
        return rc;
    }
    if (table)
        printf("%s -> ext_%s: title lines skipped: %lld; ", ps->file, table,
               (long long)res.lines_skipped);
    else
        printf("%s: ", ps->file);
    printf("%lld rows read, %lld loaded, %lld rejected, %lld repaired, %lld blank lines; "
           "%s, delimiter %s; %.2f s%s [import %lld]\n",
           (long long)res.rows_read, (long long)res.rows_loaded, (long long)res.rows_rejected,
           (long long)res.rows_repaired, (long long)res.blank_lines, res.encoding, res.delimiter,
           res.seconds, opt->dry_run ? " (dry run, nothing loaded)" : "", (long long)res.import_id);
    for (int i = 0; i < 3 && res.first_reasons[i][0]; i++)
        printf("  rejected %s\n", res.first_reasons[i]);
    return 0;
}

static int run_import(const cli_context *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"stichtag", required_argument, NULL, 's'},
        {"encoding", required_argument, NULL, 'e'},
        {"delimiter", required_argument, NULL, 'd'},
        {"max-rejects", required_argument, NULL, 'm'},
        {"dry-run", no_argument, NULL, 'n'},
        {"header-line", required_argument, NULL, 'H'},
        {0, 0, 0, 0},
    };
    bimo_import_options opt = {0};
    progress_state ps = {.tty = isatty(2)};
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 's': opt.stichtag = optarg; break;
        case 'e':
            if (strcmp(optarg, "auto") && strcmp(optarg, "utf-8") && strcmp(optarg, "cp1252"))
                return cli_usage_error("import", "--encoding must be auto, utf-8 or cp1252");
            opt.encoding = optarg;
            break;
        case 'd':
            if (parse_delimiter(optarg, &opt.delimiter) != 0)
                return cli_usage_error("import", "--delimiter must be auto, ';', ',' or tab");
            break;
        case 'm':
            if (parse_share(optarg, &opt.max_reject_share) != 0)
                return cli_usage_error("import", "--max-rejects takes a percentage such as 1%%");
            break;
        case 'n': opt.dry_run = 1; break;
        case 'H': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (end == optarg || *end || n < 0 || n > 1000000)
                return cli_usage_error("import", "--header-line takes a line number (0: find it)");
            opt.header_line = (int)n;
            break;
        }
        default: return cli_usage_error("import", "unknown option");
        }
    }
    if (argc - optind < 2)
        return cli_usage_error("import", "expected SOURCE and at least one FILE");
    const char *source = argv[optind++], *table = NULL;
    if (!strcmp(source, "table")) {
        /* One FILE: a second import of NAME would replace the first. */
        if (argc - optind != 2)
            return cli_usage_error("import", "expected table NAME FILE (one file per table)");
        if (opt.stichtag)
            return cli_usage_error("import", "--stichtag does not apply to tables");
        table = argv[optind++];
    } else if (!is_source(source)) {
        return cli_usage_error("import", "unknown source \"%s\"", source);
    } else if (opt.header_line) {
        return cli_usage_error("import", "--header-line applies to tables only");
    }
    opt.progress = draw_progress;
    opt.notice = print_notice;
    opt.ctx = &ps;

    bimo_store *store;
    int rc = cli_open_store(ctx, 0, 0, &store);
    if (rc)
        return rc;
    int first_failure = 0;
    for (int i = optind; i < argc; i++) {
        int one = import_one(store, source, table, argv[i], &opt, &ps);
        if (one && !first_failure)
            first_failure = one;
    }
    bimo_store_close(store);
    return first_failure;
}

const cli_command cli_cmd_import = {
    "import",
    "import registry extracts and published tables (CSV) into the store",
    "Usage: bimo [--db FILE] import SOURCE FILE... [OPTIONS]\n"
    "       bimo [--db FILE] import table NAME FILE [OPTIONS]\n\n"
    "SOURCE is one of melderegister, aufenthalt, integrationskurs, schule, schulabgang.\n"
    "FILE \"-\" reads standard input. Each file is imported in its own transaction.\n"
    "\"import table NAME FILE\" loads any CSV (e.g. a table of the statistical office) into\n"
    "table ext_NAME (NAME: a-z, then up to 40 of a-z, 0-9, _), replacing an earlier one.\n"
    "Columns are typed by their values (INTEGER, REAL, DATE as yyyymmdd, TEXT; codes with\n"
    "leading zeros stay TEXT); empty fields and symbols such as - . x / ... are NULL, the\n"
    "symbol kept in <column>_symbol. Title lines above the header are skipped; notes below\n"
    "the table are rejected without counting against --max-rejects.\n\n"
    "Options:\n"
    "  --stichtag DATE        reference date (DD.MM.YYYY or YYYY-MM-DD) when the file has\n"
    "                         no stichtag column (melderegister, aufenthalt, integrationskurs)\n"
    "  --encoding ENC         auto (default), utf-8 or cp1252\n"
    "  --delimiter D          auto (default: sniffed from the header), ';', ',' or tab\n"
    "  --max-rejects P%       share of rows that may be rejected (default 1%); above it the\n"
    "                         import rolls back completely; 0 allows none\n"
    "  --dry-run              validate and record the run and its rejects, load nothing\n"
    "  --header-line N        table: the header is line N (default 0: the first of the\n"
    "                         first 50 lines that is as wide as most of them)\n\n"
    "The reader takes UTF-8 with or without BOM and Windows-1252, CRLF/LF/CR, RFC 4180\n"
    "quoting, a \"sep=;\" first line, dates DD.MM.YYYY or YYYY-MM-DD. Header names are matched\n"
    "ignoring case and umlaut spelling; unknown columns are ignored with a notice; columns\n"
    "with names or addresses are refused. Person and pupil identifiers are replaced by a\n"
    "keyed hash before anything is stored. A snapshot (source and reference date, or school\n"
    "year) imported again replaces the earlier one. Rejected rows are kept with line, column\n"
    "and reason: see \"bimo rejects\".\n\n"
    "Exit status: 0 when every file loaded, 65 when a file was refused (bad header, too many\n"
    "rejects), 66 when a file cannot be read, 75 when another process writes the store.\n",
    run_import,
};

static int run_rejects(const cli_context *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, 'f'},
        {0, 0, 0, 0},
    };
    const char *path = NULL;
    int force = 0, c;
    while ((c = getopt_long(argc, argv, "o:f", opts, NULL)) != -1) {
        switch (c) {
        case 'o': path = optarg; break;
        case 'f': force = 1; break;
        default: return cli_usage_error("rejects", "unknown option");
        }
    }
    if (argc - optind != 1)
        return cli_usage_error("rejects", "expected one IMPORT id (see bimo status)");
    char *end;
    long long id = strtoll(argv[optind], &end, 10);
    if (*end || id <= 0)
        return cli_usage_error("rejects", "IMPORT must be a positive number, not \"%s\"",
                               argv[optind]);
    bimo_store *store;
    int rc = cli_open_store(ctx, 0, 1, &store);
    if (rc)
        return rc;
    bimo_error err;
    bimo_error_clear(&err);
    bimo_output *out = NULL;
    FILE *fp = stdout;
    bimo_status st = BIMO_OK;
    if (path)
        st = bimo_output_open(path, BIMO_OUTPUT_PRIVATE | (force ? BIMO_OUTPUT_OVERWRITE : 0), &out,
                              &fp, &err);
    if (st == BIMO_OK)
        st = bimo_write_rejects_csv(store, id, fp, &err);
    if (out)
        st = st == BIMO_OK ? bimo_output_commit(out, &err) : (bimo_output_abort(out), st);
    bimo_store_close(store);
    return st == BIMO_OK ? 0 : cli_report(&err);
}

const cli_command cli_cmd_rejects = {
    "rejects",
    "write the rejected rows of an import as CSV",
    "Usage: bimo [--db FILE] rejects IMPORT [-o FILE] [--force]\n\n"
    "Writes the rows that import IMPORT (an id from \"bimo status\") rejected, as CSV with\n"
    "the columns line, column, reason, raw (the row as read). Without -o the CSV goes to\n"
    "standard output. -o writes FILE atomically with mode 0600 (the rows hold personal\n"
    "data) and refuses to replace an existing file unless --force is given.\n",
    run_rejects,
};
