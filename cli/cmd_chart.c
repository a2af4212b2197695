/* cmd_chart.c — "bimo chart": computes one indicator and draws it as a PNG, SVG or PDF chart.
 * Parsing options and printing only; the library computes, protects and draws. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"

#define CMD "chart"

typedef struct {
    const char *period, *output, *by, *catalogue;
    const char *dims[16];
    size_t ndims;
    const char *params[32];
    size_t nparams;
    bimo_compute_options compute;
    bimo_chart_options chart;
    char *by_copy;
} chart_args;

static int parse_number(const char *s, double lo, double hi, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !(v >= lo && v <= hi))
        return -1;
    *out = v;
    return 0;
}

static int split_dims(chart_args *a)
{
    if (!a->by)
        return 0;
    if (!(a->by_copy = strdup(a->by)))
        return -1;
    for (char *save, *tok = strtok_r(a->by_copy, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        if (!*tok)
            continue;
        if (a->ndims == 16)
            return -1;
        a->dims[a->ndims++] = tok;
    }
    return 0;
}

static int parse_args(int argc, char **argv, chart_args *a)
{
    static const struct option opts[] = {
        {"period", required_argument, NULL, 'p'},
        {"by", required_argument, NULL, 'b'},
        {"kind", required_argument, NULL, 'k'},
        {"output", required_argument, NULL, 'o'},
        {"width", required_argument, NULL, 'W'},
        {"height", required_argument, NULL, 'H'},
        {"dpi", required_argument, NULL, 'd'},
        {"intern", no_argument, NULL, 'i'},
        {"param", required_argument, NULL, 'P'},
        {"title", required_argument, NULL, 't'},
        {"note", required_argument, NULL, 'n'},
        {"figure", required_argument, NULL, 'f'},
        {"bare", no_argument, NULL, 'B'},
        {"top", required_argument, NULL, 'T'},
        {"catalogue", required_argument, NULL, 'c'},
        {0, 0, 0, 0},
    };
    int c;
    double v;
    optind = 0;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 'p': a->period = optarg; break;
        case 'b':
            if (a->by)
                return cli_usage_error(CMD, "give --by once (DIM or DIM,DIM)");
            a->by = optarg;
            break;
        case 'k': a->chart.kind = optarg; break;
        case 'o': a->output = optarg; break;
        case 'W':
        case 'H':
            if (parse_number(optarg, 20, 2000, &v))
                return cli_usage_error(CMD, "--width and --height are millimetres, 20 to 2000");
            *(c == 'W' ? &a->chart.width_mm : &a->chart.height_mm) = v;
            break;
        case 'd':
            if (parse_number(optarg, 36, 2400, &v))
                return cli_usage_error(CMD, "--dpi must be a number from 36 to 2400");
            a->chart.dpi = (int)v;
            break;
        case 'i': a->compute.intern = 1; break;
        case 'P':
            if (!strchr(optarg, '=') || a->nparams == 32)
                return cli_usage_error(CMD, "--param needs NAME=VALUE");
            a->params[a->nparams++] = optarg;
            break;
        case 't': a->chart.title = optarg; break;
        case 'n': a->chart.note = optarg; break;
        case 'f':
            if (parse_number(optarg, 1, 999, &v))
                return cli_usage_error(CMD, "--figure must be a number from 1 to 999");
            a->chart.figure_number = (int)v;
            break;
        case 'B': a->chart.bare = 1; break;
        case 'c': a->catalogue = optarg; break;
        case 'T':
            if (parse_number(optarg, 1, 1000, &v))
                return cli_usage_error(CMD, "--top must be a number from 1 to 1000");
            a->compute.top_n = (int)v;
            break;
        default: return EX_USAGE;
        }
    }
    if (optind != argc - 1)
        return cli_usage_error(CMD, "give exactly one indicator id");
    if (!a->period)
        return cli_usage_error(CMD, "chart needs --period (e.g. 2025, 2024/25 or 2019..2025)");
    if (!a->output)
        return cli_usage_error(CMD, "chart needs -o FILE.png, FILE.svg or FILE.pdf");
    if (split_dims(a))
        return cli_usage_error(CMD, "--by takes at most 16 dimensions");
    return 0;
}

static int run_chart(const cli_context *ctx, int argc, char **argv)
{
    chart_args a = {0};
    bimo_chart_options_init(&a.chart);
    int rc = parse_args(argc, argv, &a);
    if (rc) {
        free(a.by_copy);
        return rc;
    }
    const char *id = argv[optind];
    a.compute.params = a.params;
    a.compute.nparams = a.nparams;
    bimo_error err;
    bimo_error_clear(&err);
    bimo_catalogue *cat = NULL;
    bimo_store *store = NULL;
    bimo_engine *engine = NULL;
    bimo_result *res = NULL;
    if (bimo_catalogue_load(a.catalogue, &cat, &err) != BIMO_OK) {
        rc = cli_report(&err);
    } else if (!bimo_catalogue_find(cat, id)) {
        fprintf(stderr, "bimo chart: no indicator \"%s\"; see \"bimo indicators list\"\n", id);
        rc = EX_DATAERR;
    }
    if (!rc)
        rc = cli_open_store(ctx, 0, 1, &store);
    if (!rc &&
        (bimo_engine_new(store, cat, &engine, &err) != BIMO_OK ||
         bimo_compute(engine, id, a.period, a.dims, a.ndims, &a.compute, &res, &err) != BIMO_OK ||
         bimo_chart_write(res, &a.chart, a.output, &err) != BIMO_OK))
        rc = cli_report(&err);
    if (!rc && a.compute.intern)
        fputs("bimo chart: INTERN – not for publication: no disclosure control was applied\n",
              stderr);
    bimo_result_free(res);
    bimo_engine_free(engine);
    bimo_store_close(store);
    bimo_catalogue_free(cat);
    free(a.by_copy);
    return rc;
}

const cli_command cli_cmd_chart = {
    "chart",
    "draw an indicator as a chart (PNG, SVG or PDF)",
    "Usage: bimo [--db FILE] chart ID --period P [--by DIM[,DIM...]] [--kind KIND]\n"
    "            -o FILE.png|FILE.svg|FILE.pdf [--width MM] [--height MM] [--dpi N]\n"
    "            [--intern] [--param NAME=VALUE]... [--top N] [--title TEXT] [--note TEXT]\n"
    "            [--figure N] [--bare] [--catalogue DIR]\n\n"
    "Computes indicator ID as \"bimo indicators compute\" does (same --period, --by, --param,\n"
    "--top and --intern) and draws it. The format follows the file name; an existing file is\n"
    "replaced. The same data give the same bytes.\n\n"
    "Kinds (--kind; default: the indicator's chart metadata, a line for several periods):\n"
    "  bar         vertical bars, one per category (or period)\n"
    "  hbar        horizontal bars, for long category names\n"
    "  grouped     bars of the second dimension (or the periods) side by side\n"
    "  stacked     bars of the second dimension (a share's share_of) stacked\n"
    "  stacked100  the same, each bar to 100 %\n"
    "  line        a time series over a range of periods (--period 2019..2025); with --by one\n"
    "              line per category\n"
    "  pyramid     population pyramid: --by altersgruppe,geschlecht[,DIM] (DIM splits the\n"
    "              bars, e.g. deutsch)\n"
    "  map         tile map of the municipalities (--by gemeinde) or the reporting units\n"
    "              (--by kommune), positions from the district profile\n\n"
    "Options:\n"
    "  --width MM, --height MM  size (default 160 x 100 mm, an A4 text column)\n"
    "  --dpi N                  PNG resolution (default 300)\n"
    "  --title TEXT, --note TEXT  another title; an extra footnote\n"
    "  --figure N               \"Abbildung N: \" before the title\n"
    "  --bare                   no title, subtitle, footnotes or source line (for captions)\n"
    "  --catalogue DIR          reads indicator files from DIR instead of <data>/indicators\n\n"
    "Text is German and set in DejaVu Sans; suppressed values appear as their symbol\n"
    "(\".\", \"/\"), never as an empty bar, and the symbols are explained under the chart.\n",
    run_chart,
};
