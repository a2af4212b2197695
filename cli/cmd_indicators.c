/* cmd_indicators.c — "bimo indicators list|show|compute": the indicator catalogue and its
 * evaluation. Parsing options and printing only; the library computes and protects. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"

#define CMD "indicators"

static void print_problems(const bimo_catalogue *cat)
{
    for (size_t i = 0; i < bimo_catalogue_problem_count(cat); i++) {
        char buf[1024];
        bimo_error_format(bimo_catalogue_problem(cat, i), buf, sizeof buf);
        fprintf(stderr, "bimo indicators: %s\n", buf);
    }
    size_t n = bimo_catalogue_problem_count(cat);
    if (n)
        fprintf(stderr, "bimo indicators: %zu indicator file%s not loaded\n", n, n == 1 ? "" : "s");
}

static int load_catalogue(const char *dir, bimo_catalogue **cat)
{
    bimo_error err;
    bimo_error_clear(&err);
    if (bimo_catalogue_load(dir, cat, &err) != BIMO_OK)
        return cli_report(&err);
    return 0;
}

static size_t text_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

static void print_padded(const char *s, size_t w)
{
    fputs(s, stdout);
    for (size_t i = text_width(s); i < w; i++)
        putchar(' ');
}

static void print_dims(const bimo_indicator *ind)
{
    for (size_t d = 0; d < ind->ndimensions; d++)
        printf("%s%s", d ? ", " : "", ind->dimensions[d]);
    if (!ind->ndimensions)
        fputs("-", stdout);
}

static int run_list(const char *dir)
{
    bimo_catalogue *cat;
    int rc = load_catalogue(dir, &cat);
    if (rc)
        return rc;
    size_t wid = 2, wtitle = 5, wunit = 4;
    for (size_t i = 0; i < bimo_catalogue_count(cat); i++) {
        const bimo_indicator *ind = bimo_catalogue_get(cat, i);
        wid = text_width(ind->id) > wid ? text_width(ind->id) : wid;
        wtitle = text_width(ind->title) > wtitle ? text_width(ind->title) : wtitle;
        wunit = text_width(ind->unit) > wunit ? text_width(ind->unit) : wunit;
    }
    print_padded("id", wid + 2);
    print_padded("title", wtitle + 2);
    print_padded("unit", wunit + 2);
    puts("dimensions");
    for (size_t i = 0; i < bimo_catalogue_count(cat); i++) {
        const bimo_indicator *ind = bimo_catalogue_get(cat, i);
        print_padded(ind->id, wid + 2);
        print_padded(ind->title, wtitle + 2);
        print_padded(ind->unit, wunit + 2);
        print_dims(ind);
        putchar('\n');
    }
    print_problems(cat);
    bimo_catalogue_free(cat);
    return 0;
}

static void show_field(const char *key, const char *value)
{
    if (value)
        printf("%-13s%s\n", key, value);
}

static int run_show(const char *dir, int argc, char **argv)
{
    if (argc < 1)
        return cli_usage_error(CMD, "show needs an indicator id");
    bimo_catalogue *cat;
    int rc = load_catalogue(dir, &cat);
    if (rc)
        return rc;
    for (int a = 0; a < argc && !rc; a++) {
        const bimo_indicator *ind = bimo_catalogue_find(cat, argv[a]);
        if (!ind) {
            fprintf(stderr, "bimo indicators: no indicator \"%s\"\n", argv[a]);
            print_problems(cat);
            rc = EX_DATAERR;
            break;
        }
        printf("%s%s %s\n", a ? "\n" : "", ind->id, ind->title);
        show_field("file:", ind->path);
        show_field("definition:", ind->definition);
        show_field("unit:", ind->unit);
        show_field("kind:", bimo_indicator_kind_name(ind->kind));
        show_field("numerator:", ind->numerator);
        show_field("denominator:", ind->denominator);
        show_field("share_of:", ind->share_of);
        printf("%-13s", "dimensions:");
        print_dims(ind);
        putchar('\n');
        show_field("period:", bimo_period_kind_name(ind->period));
        show_field("source:", ind->source);
        show_field("quelle:", ind->quelle);
        for (size_t i = 0; i < ind->nfootnotes; i++)
            show_field("footnote:", ind->footnotes[i]);
        for (size_t i = 0; i < ind->nparams; i++)
            printf("%-13s%s = %s\n", "parameter:", ind->params[i].name, ind->params[i].value);
        show_field("chart:", ind->chart);
        printf("%-13s%d\n\nSQL (from line %ld):\n%s", "order:", ind->order, ind->sql_line,
               ind->sql);
        if (ind->sql[0] && ind->sql[strlen(ind->sql) - 1] != '\n')
            putchar('\n');
    }
    bimo_catalogue_free(cat);
    return rc;
}

/* ---- compute -------------------------------------------------------------------------------- */

#define MAX_TABLES 16

typedef struct {
    const char *period, *output, *dir;
    const char *dims[MAX_TABLES][16]; /* one breakdown per --by */
    size_t ndims[MAX_TABLES];
    size_t ntables;
    const char *params[32];
    size_t nparams;
    bimo_format format;
    bimo_compute_options opt;
    int force;
    char *by_copy[16];
    size_t nby;
} compute_args;

/* Each --by is one table; its dimensions come from one computation per indicator and
 * period, so further breakdowns cost no query. */
static int add_dims(compute_args *a, const char *list)
{
    if (a->nby == MAX_TABLES)
        return -1;
    char *copy = strdup(list);
    if (!copy)
        return -1;
    a->by_copy[a->nby++] = copy;
    size_t t = a->ntables++;
    for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ",")) {
        while (*tok == ' ')
            tok++;
        if (!*tok)
            continue;
        if (a->ndims[t] == 16)
            return -1;
        a->dims[t][a->ndims[t]++] = tok;
    }
    return 0;
}

static int parse_format(const char *s, bimo_format *f)
{
    if (!strcmp(s, "table"))
        *f = BIMO_FORMAT_TABLE;
    else if (!strcmp(s, "csv"))
        *f = BIMO_FORMAT_CSV;
    else if (!strcmp(s, "json"))
        *f = BIMO_FORMAT_JSON;
    else
        return -1;
    return 0;
}

static int parse_compute(int argc, char **argv, compute_args *a)
{
    static const struct option opts[] = {
        {"period", required_argument, NULL, 'p'},
        {"by", required_argument, NULL, 'b'},
        {"format", required_argument, NULL, 'f'},
        {"intern", no_argument, NULL, 'i'},
        {"top", required_argument, NULL, 't'},
        {"quantile", required_argument, NULL, 'q'},
        {"param", required_argument, NULL, 'P'},
        {"output", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, 'F'},
        {"catalogue", required_argument, NULL, 'c'},
        {0, 0, 0, 0},
    };
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'p': a->period = optarg; break;
        case 'b':
            if (add_dims(a, optarg) != 0)
                return cli_usage_error(CMD, "too many dimensions or --by tables");
            break;
        case 'f':
            if (parse_format(optarg, &a->format) != 0)
                return cli_usage_error(CMD, "--format must be table, csv or json");
            break;
        case 'i': a->opt.intern = 1; break;
        case 't':
            a->opt.top_n = (int)strtol(optarg, &end, 10);
            if (*end || a->opt.top_n < 1 || a->opt.top_n > 1000)
                return cli_usage_error(CMD, "--top must be a number from 1 to 1000");
            break;
        case 'q':
            if (!strcmp(optarg, "median"))
                a->opt.quantile = BIMO_QUANTILE_MEDIAN;
            else if (!strcmp(optarg, "q1"))
                a->opt.quantile = BIMO_QUANTILE_Q1;
            else if (!strcmp(optarg, "q3"))
                a->opt.quantile = BIMO_QUANTILE_Q3;
            else
                return cli_usage_error(CMD, "--quantile must be median, q1 or q3");
            break;
        case 'P':
            if (!strchr(optarg, '=') || a->nparams == 32)
                return cli_usage_error(CMD, "--param needs NAME=VALUE");
            a->params[a->nparams++] = optarg;
            break;
        case 'o': a->output = optarg; break;
        case 'F': a->force = 1; break;
        case 'c': a->dir = optarg; break;
        default: return EX_USAGE;
        }
    }
    if (!a->period)
        return cli_usage_error(CMD, "compute needs --period (e.g. 2025, 2025Q3, 2024/25, "
                                    "31.12.2025 or 2019..2025)");
    if (optind >= argc)
        return cli_usage_error(CMD, "compute needs at least one indicator id");
    return 0;
}

/* The --param values an indicator declares; a value no indicator declares is an error. */
static void params_for(const compute_args *a, const bimo_indicator *ind, const char **out,
                       size_t *n)
{
    *n = 0;
    for (size_t i = 0; i < a->nparams; i++) {
        size_t len = (size_t)(strchr(a->params[i], '=') - a->params[i]);
        for (size_t k = 0; k < ind->nparams; k++)
            if (strlen(ind->params[k].name) == len &&
                !strncmp(ind->params[k].name, a->params[i], len))
                out[(*n)++] = a->params[i];
    }
}

static int check_params_known(const compute_args *a, const bimo_catalogue *cat, char **ids,
                              int nids)
{
    for (size_t i = 0; i < a->nparams; i++) {
        size_t len = (size_t)(strchr(a->params[i], '=') - a->params[i]);
        int known = 0;
        for (int k = 0; k < nids && !known; k++) {
            const bimo_indicator *ind = bimo_catalogue_find(cat, ids[k]);
            for (size_t p = 0; ind && p < ind->nparams; p++)
                known |= strlen(ind->params[p].name) == len &&
                         !strncmp(ind->params[p].name, a->params[i], len);
        }
        if (!known)
            return cli_usage_error(CMD, "no requested indicator has the parameter \"%.*s\"",
                                   (int)len, a->params[i]);
    }
    return 0;
}

static int write_results(const compute_args *a, bimo_result **results, size_t n)
{
    bimo_error err;
    bimo_error_clear(&err);
    FILE *fp = stdout;
    bimo_output *out = NULL;
    if (a->output && bimo_output_open(a->output, a->force ? BIMO_OUTPUT_OVERWRITE : 0, &out, &fp,
                                      &err) != BIMO_OK)
        return cli_report(&err);
    bimo_status st =
        bimo_results_write((const bimo_result *const *)results, n, a->format, fp, &err);
    if (st != BIMO_OK) {
        bimo_output_abort(out);
        return cli_report(&err);
    }
    if (out && bimo_output_commit(out, &err) != BIMO_OK)
        return cli_report(&err);
    if (!out && fflush(stdout) != 0)
        return EX_IOERR;
    return 0;
}

static int compute_all(const cli_context *ctx, compute_args *a, char **ids, int nids,
                       const bimo_catalogue *cat)
{
    bimo_store *store;
    int rc = cli_open_store(ctx, 0, 1, &store);
    if (rc)
        return rc;
    bimo_error err;
    bimo_error_clear(&err);
    bimo_engine *engine = NULL;
    size_t ntables = a->ntables ? a->ntables : 1, n = (size_t)nids * ntables;
    bimo_result **results = calloc(n, sizeof *results);
    if (!results || bimo_engine_new(store, cat, &engine, &err) != BIMO_OK)
        rc = results ? cli_report(&err) : EX_OSERR;
    for (size_t k = 0; k < n && !rc; k++) {
        size_t i = k / ntables, t = k % ntables;
        const bimo_indicator *ind = bimo_catalogue_find(cat, ids[i]);
        const char *params[32];
        params_for(a, ind, params, &a->opt.nparams);
        a->opt.params = params;
        if (bimo_compute(engine, ids[i], a->period, a->dims[t], a->ndims[t], &a->opt, &results[k],
                         &err) != BIMO_OK)
            rc = cli_report(&err);
        a->opt.params = NULL;
    }
    if (!rc) {
        if (a->opt.intern)
            fputs("bimo indicators: INTERN – not for publication: no disclosure control was "
                  "applied\n",
                  stderr);
        rc = write_results(a, results, n);
    }
    for (size_t k = 0; results && k < n; k++)
        bimo_result_free(results[k]);
    free(results);
    bimo_engine_free(engine);
    bimo_store_close(store);
    return rc;
}

static int run_compute(const cli_context *ctx, int argc, char **argv)
{
    compute_args a = {.format = BIMO_FORMAT_TABLE};
    int rc = parse_compute(argc, argv, &a);
    char **ids = argv + optind;
    int nids = argc - optind;
    bimo_catalogue *cat = NULL;
    if (!rc)
        rc = load_catalogue(a.dir, &cat);
    for (int i = 0; i < nids && !rc; i++)
        if (!bimo_catalogue_find(cat, ids[i])) {
            fprintf(stderr, "bimo indicators: no indicator \"%s\"; see \"bimo indicators list\"\n",
                    ids[i]);
            print_problems(cat);
            rc = EX_DATAERR;
        }
    if (!rc)
        rc = check_params_known(&a, cat, ids, nids);
    if (!rc)
        rc = compute_all(ctx, &a, ids, nids, cat);
    bimo_catalogue_free(cat);
    for (size_t i = 0; i < a.nby; i++)
        free(a.by_copy[i]);
    return rc;
}

/* ---- plan ----------------------------------------------------------------------------------- */

static int run_plan(const cli_context *ctx, int argc, char **argv)
{
    compute_args a = {.format = BIMO_FORMAT_TABLE};
    int rc = parse_compute(argc, argv, &a);
    if (!rc && (optind >= argc || !a.period))
        rc = cli_usage_error(CMD, "plan needs indicator ids and --period");
    bimo_catalogue *cat = NULL;
    bimo_store *store = NULL;
    bimo_engine *engine = NULL;
    bimo_error err;
    bimo_error_clear(&err);
    if (!rc)
        rc = load_catalogue(a.dir, &cat);
    if (!rc)
        rc = cli_open_store(ctx, 0, 1, &store);
    if (!rc && bimo_engine_new(store, cat, &engine, &err) != BIMO_OK)
        rc = cli_report(&err);
    for (int i = optind; i < argc && !rc; i++) {
        if (i > optind)
            putchar('\n');
        if (bimo_explain(engine, argv[i], a.period, stdout, &err) != BIMO_OK)
            rc = cli_report(&err);
    }
    bimo_engine_free(engine);
    bimo_store_close(store);
    bimo_catalogue_free(cat);
    for (size_t i = 0; i < a.nby; i++)
        free(a.by_copy[i]);
    return rc;
}

/* Takes "--catalogue DIR" (or --catalogue=DIR) out of the arguments of list and show. */
static int take_catalogue(int *argc, char **argv, const char **dir)
{
    int out = 0;
    for (int i = 0; i < *argc; i++) {
        if (!strncmp(argv[i], "--catalogue=", 12)) {
            *dir = argv[i] + 12;
        } else if (!strcmp(argv[i], "--catalogue")) {
            if (i + 1 == *argc)
                return -1;
            *dir = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return -1;
        } else {
            argv[out++] = argv[i];
        }
    }
    *argc = out;
    return 0;
}

static int run_indicators(const cli_context *ctx, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error(CMD, "give list, show, compute or plan");
    const char *sub = argv[1], *dir = NULL;
    if (!strcmp(sub, "compute"))
        return run_compute(ctx, argc - 1, argv + 1);
    if (!strcmp(sub, "plan"))
        return run_plan(ctx, argc - 1, argv + 1);
    int n = argc - 2;
    if (take_catalogue(&n, argv + 2, &dir) != 0)
        return cli_usage_error(CMD, "%s takes only --catalogue DIR as an option", sub);
    if (!strcmp(sub, "list")) {
        if (n > 0)
            return cli_usage_error(CMD, "list takes no arguments");
        return run_list(dir);
    }
    if (!strcmp(sub, "show"))
        return run_show(dir, n, argv + 2);
    return cli_usage_error(CMD, "unknown subcommand \"%s\" (list, show, compute, plan)", sub);
}

const cli_command cli_cmd_indicators = {
    "indicators",
    "list, show and compute the indicators of the catalogue",
    "Usage: bimo [--db FILE] indicators list [--catalogue DIR]\n"
    "       bimo [--db FILE] indicators show [--catalogue DIR] ID...\n"
    "       bimo [--db FILE] indicators compute ID... --period P [--by DIM,...]\n"
    "            [--format table|csv|json] [--intern] [--top N] [--quantile median|q1|q3]\n"
    "            [--param NAME=VALUE]... [-o FILE [--force]] [--catalogue DIR]\n"
    "       bimo [--db FILE] indicators plan ID... --period P [--catalogue DIR]\n\n"
    "The catalogue is one file per indicator in <data>/indicators/ (see README.md there);\n"
    "a broken file is reported with file, line and column and the others still load.\n\n"
    "list     id, title, unit and allowed dimensions of every indicator\n"
    "show     definition, source line, footnotes and the SQL of indicators\n"
    "compute  evaluates indicators on the store (opened read-only)\n"
    "plan     SQLite's query plan of indicators for the last period of P (EXPLAIN QUERY\n"
    "         PLAN with the parameters bound): which keys and rowid ranges they read\n\n"
    "Options of compute:\n"
    "  --period P      a date (31.12.2025), a year (2025), a quarter (2025Q3), a school\n"
    "                  year (2024/25), or a range for a time series (2019..2025,\n"
    "                  2023Q1..2025Q4, 2019/20..2024/25). A period without data is shown as\n"
    "                  \"…\" (no data), never as 0.\n"
    "  --by DIM,...    dimensions (repeat --by for several tables from one computation):\n"
    "                  those the indicator allows (\"list\" shows them; the known ones are\n"
    "                  described in <data>/indicators/README.md). Every margin (\"Insgesamt\")\n"
    "                  is included; kommune and region are the subtotals of the\n"
    "                  municipalities.\n"
    "  --format F      table (default; German numbers and symbols), csv (header\n"
    "                  indicator,period,<dims>,numerator,denominator,value,flag; \".\" decimals)\n"
    "                  or json (the same plus labels and metadata)\n"
    "  --intern        no disclosure control; NOT FOR PUBLICATION (a banner says so)\n"
    "  --top N         dimension staat: the N largest nationalities, the rest \"Übrige\"\n"
    "                  (default 10)\n"
    "  --quantile Q    quantile indicators: the value column holds median (default), q1 or q3\n"
    "  --param N=V     overrides a parameter an indicator declares\n"
    "  -o, --output F  writes to F (atomically) instead of standard output; --force replaces\n"
    "  --catalogue DIR reads indicator files from DIR instead of <data>/indicators\n\n"
    "Without --intern the output is protected (DESIGN §7): counts 0 < n < sperrgrenze and\n"
    "their complements are \".\", rates with a denominator below mindestnenner \"/\"\n"
    "(thresholds from the district profile profil.json). Flags: \"–\" zero, \".\" secret,\n"
    "\"/\" not reliable, \"x\" not meaningful (a rate over a denominator of 0), \"…\" no\n"
    "data, \"p\" provisional.\n",
    run_indicators,
};
