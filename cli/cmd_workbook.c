/* cmd_workbook.c — "bimo workbook": computes indicators and writes them as an Excel workbook.
 * Parsing options and printing only; the library computes, protects and writes. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"

#define CMD      "workbook"
#define MAX_DIMS 16

typedef struct {
    const char *period, *output, *title, *subtitle, *producer, *dir, *chart, *template_path;
    const char *dims[MAX_DIMS];
    size_t ndims;
    char *by_copy;
    int intern, force, top_n;
} workbook_args;

static int split_dims(workbook_args *a, const char *list)
{
    free(a->by_copy);
    a->ndims = 0;
    if (!(a->by_copy = strdup(list)))
        return -1;
    for (char *tok = strtok(a->by_copy, ","); tok; tok = strtok(NULL, ",")) {
        while (*tok == ' ')
            tok++;
        if (!*tok)
            continue;
        if (a->ndims == MAX_DIMS)
            return -1;
        a->dims[a->ndims++] = tok;
    }
    return 0;
}

static int parse_args(int argc, char **argv, workbook_args *a)
{
    static const struct option opts[] = {
        {"period", required_argument, NULL, 'p'},
        {"by", required_argument, NULL, 'b'},
        {"output", required_argument, NULL, 'o'},
        {"intern", no_argument, NULL, 'i'},
        {"force", no_argument, NULL, 'F'},
        {"title", required_argument, NULL, 'T'},
        {"subtitle", required_argument, NULL, 'S'},
        {"producer", required_argument, NULL, 'P'},
        {"chart", required_argument, NULL, 'C'},
        {"top", required_argument, NULL, 't'},
        {"catalogue", required_argument, NULL, 'c'},
        {"template", required_argument, NULL, 'M'},
        {0, 0, 0, 0},
    };
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'p': a->period = optarg; break;
        case 'b':
            if (split_dims(a, optarg) != 0)
                return cli_usage_error(CMD, "too many dimensions in --by");
            break;
        case 'o': a->output = optarg; break;
        case 'i': a->intern = 1; break;
        case 'F': a->force = 1; break;
        case 'T': a->title = optarg; break;
        case 'S': a->subtitle = optarg; break;
        case 'P': a->producer = optarg; break;
        case 'C': a->chart = optarg; break;
        case 't':
            a->top_n = (int)strtol(optarg, &end, 10);
            if (*end || a->top_n < 1 || a->top_n > 1000)
                return cli_usage_error(CMD, "--top must be a number from 1 to 1000");
            break;
        case 'c': a->dir = optarg; break;
        case 'M': a->template_path = optarg; break;
        default: return EX_USAGE;
        }
    }
    if (!a->output)
        return cli_usage_error(CMD, "needs -o FILE.xlsx");
    if (a->template_path) {
        if (optind < argc || a->ndims || a->chart || a->top_n)
            return cli_usage_error(CMD, "--template takes its tables from the template: no "
                                        "indicator ids, --by, --chart or --top");
        return 0;
    }
    if (!a->period)
        return cli_usage_error(CMD, "needs --period (e.g. 2025, 2025Q3, 2024/25 or 2019..2025)");
    if (optind >= argc)
        return cli_usage_error(CMD, "needs at least one indicator id or --template FILE");
    if (a->chart && strcmp(a->chart, "bar") && strcmp(a->chart, "column") &&
        strcmp(a->chart, "line") && strcmp(a->chart, "pie"))
        return cli_usage_error(CMD, "--chart must be bar, column, line or pie");
    return 0;
}

static bimo_workbook_options workbook_options(const workbook_args *a)
{
    return (bimo_workbook_options){.title = a->title,
                                   .subtitle = a->subtitle,
                                   .producer = a->producer,
                                   .intern = a->intern,
                                   .keep_existing = !a->force};
}

static void intern_notice(const workbook_args *a)
{
    if (a->intern)
        fputs("bimo workbook: INTERN – not for publication: no disclosure control was applied\n",
              stderr);
}

static int compute_and_write(const cli_context *ctx, const workbook_args *a, char **ids, int nids,
                             const bimo_catalogue *cat)
{
    bimo_store *store;
    int rc = cli_open_store(ctx, 0, 1, &store);
    if (rc)
        return rc;
    bimo_error err;
    bimo_error_clear(&err);
    bimo_engine *engine = NULL;
    bimo_result **results = calloc((size_t)nids, sizeof *results);
    bimo_workbook_table *tables = calloc((size_t)nids, sizeof *tables);
    bimo_compute_options copt = {.intern = a->intern, .top_n = a->top_n};
    if (!results || !tables)
        rc = EX_OSERR;
    else if (bimo_engine_new(store, cat, &engine, &err) != BIMO_OK)
        rc = cli_report(&err);
    for (int i = 0; i < nids && !rc; i++) {
        if (bimo_compute(engine, ids[i], a->period, a->dims, a->ndims, &copt, &results[i], &err) !=
            BIMO_OK)
            rc = cli_report(&err);
        else
            tables[i] = (bimo_workbook_table){.result = results[i], .chart = a->chart};
    }
    if (!rc) {
        bimo_workbook_options wopt = workbook_options(a);
        if (bimo_workbook_write(a->output, tables, (size_t)nids, &wopt, &err) != BIMO_OK)
            rc = cli_report(&err);
        else
            intern_notice(a);
    }
    for (int i = 0; results && i < nids; i++)
        bimo_result_free(results[i]);
    free(results);
    free(tables);
    bimo_engine_free(engine);
    bimo_store_close(store);
    return rc;
}

static int write_template(const cli_context *ctx, const workbook_args *a, const bimo_catalogue *cat)
{
    bimo_error err;
    bimo_error_clear(&err);
    bimo_template *t = NULL;
    if (bimo_template_load(a->template_path, cat, a->period, &t, &err) != BIMO_OK)
        return cli_report(&err);
    bimo_store *store = NULL;
    int rc = cli_open_store(ctx, 0, 1, &store);
    bimo_engine *engine = NULL;
    if (!rc && bimo_engine_new(store, cat, &engine, &err) != BIMO_OK)
        rc = cli_report(&err);
    bimo_workbook_options wopt = workbook_options(a);
    if (!rc && bimo_workbook_write_template(a->output, engine, t, &wopt, &err) != BIMO_OK)
        rc = cli_report(&err);
    if (!rc)
        intern_notice(a);
    bimo_engine_free(engine);
    bimo_store_close(store);
    bimo_template_free(t);
    return rc;
}

static int run_workbook(const cli_context *ctx, int argc, char **argv)
{
    workbook_args a = {0};
    int rc = parse_args(argc, argv, &a);
    char **ids = argv + optind;
    int nids = argc - optind;
    bimo_catalogue *cat = NULL;
    bimo_error err;
    bimo_error_clear(&err);
    if (!rc && bimo_catalogue_load(a.dir, &cat, &err) != BIMO_OK)
        rc = cli_report(&err);
    for (int i = 0; i < nids && !rc; i++)
        if (!bimo_catalogue_find(cat, ids[i])) {
            fprintf(stderr, "bimo workbook: no indicator \"%s\"; see \"bimo indicators list\"\n",
                    ids[i]);
            rc = EX_DATAERR;
        }
    if (!rc && a.template_path)
        rc = write_template(ctx, &a, cat);
    else if (!rc)
        rc = compute_and_write(ctx, &a, ids, nids, cat);
    bimo_catalogue_free(cat);
    free(a.by_copy);
    return rc;
}

const cli_command cli_cmd_workbook = {
    "workbook",
    "write indicators as an Excel workbook (cover, contents, notes, tables, data)",
    "Usage: bimo [--db FILE] workbook ID... --period P [--by DIM,...] -o FILE.xlsx\n"
    "       bimo [--db FILE] workbook --template FILE [--period P] -o FILE.xlsx\n"
    "            [--force] [--intern] [--title T] [--subtitle S] [--producer P]\n"
    "            [--chart bar|column|line|pie] [--top N] [--catalogue DIR]\n\n"
    "Computes each indicator for period P with the same --by dimensions (as \"bimo\n"
    "indicators compute\" does) and writes one workbook: a cover (title, district, period,\n"
    "date of the data, publisher), contents with links, notes (definitions, sources, symbol\n"
    "legend, disclosure rule, footnotes), one sheet per table and a sheet \"Daten\" with one\n"
    "row per value and machine codes. Numbers are stored as numbers (Excel shows them with\n"
    "the separators of its language), suppressed cells as their symbol, municipality keys\n"
    "(AGS) as text. No formulas. The same store gives the same bytes: the creation time is\n"
    "$SOURCE_DATE_EPOCH or the latest reference date of the tables.\n\n"
    "With --template the tables are the template's bimo-table blocks, each with its own\n"
    "period (relative to --period, default the front matter's), breakdown, title, note,\n"
    "sheet and chart (report-templates/README.md).\n\n"
    "Options:\n"
    "  --template F    the tables of template F (e.g. <data>/report-templates/quartalsexport.md)\n"
    "  --period P      a date, year, quarter, school year or a range (2019..2025); a time\n"
    "                  series puts the periods in the columns\n"
    "  --by DIM,...    dimensions of every table; with one period the last of two or more\n"
    "                  dimensions goes into the columns\n"
    "  -o, --output F  the workbook; written atomically; --force replaces an existing file\n"
    "  --intern        no disclosure control; every sheet is marked \"INTERN – nicht zur\n"
    "                  Veröffentlichung\"; NOT FOR PUBLICATION\n"
    "  --title T       the cover title (default \"Bildungsmonitoring <district>\")\n"
    "  --subtitle S    the cover subtitle, e.g. the period in words\n"
    "  --producer P    the publisher (default: \"herausgeber\" of the district profile)\n"
    "  --chart K       a native Excel chart (bar, column, line, pie) beside every table\n"
    "  --top N         dimension staat: the N largest nationalities (default 10)\n"
    "  --catalogue DIR reads indicator files from DIR instead of <data>/indicators\n",
    run_workbook,
};
