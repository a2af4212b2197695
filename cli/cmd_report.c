/* cmd_report.c — "bimo report": the Bildungsbericht from a template. Parses options and prints;
 * the library checks the template, computes, typesets and writes the folder. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"

#define CMD "report"

static int run_report(const cli_context *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"period", required_argument, NULL, 'p'}, {"output", required_argument, NULL, 'o'},
        {"intern", no_argument, NULL, 'i'},       {"force", no_argument, NULL, 'f'},
        {"quiet", no_argument, NULL, 'q'},        {0, 0, 0, 0},
    };
    bimo_report_options opt;
    bimo_report_options_init(&opt);
    const char *out = NULL;
    int quiet = 0, c;
    while ((c = getopt_long(argc, argv, "o:q", opts, NULL)) != -1) {
        switch (c) {
        case 'p': opt.period = optarg; break;
        case 'o': out = optarg; break;
        case 'i': opt.intern = 1; break;
        case 'f': opt.force = 1; break;
        case 'q': quiet = 1; break;
        default: return cli_usage_error(CMD, "unknown option");
        }
    }
    if (!out)
        return cli_usage_error(CMD, "give the output folder with -o DIR");
    if (argc - optind > 1)
        return cli_usage_error(CMD, "give at most one template");
    bimo_error err;
    bimo_error_clear(&err);
    char tpl[4096];
    if (optind < argc)
        snprintf(tpl, sizeof tpl, "%s", argv[optind]);
    else if (bimo_template_default(NULL, tpl, sizeof tpl, &err) != BIMO_OK)
        return cli_report(&err);
    bimo_catalogue *cat;
    if (bimo_catalogue_load(NULL, &cat, &err) != BIMO_OK)
        return cli_report(&err);
    bimo_store *store;
    int rc = cli_open_store(ctx, 0, 1, &store);
    if (rc) {
        bimo_catalogue_free(cat);
        return rc;
    }
    bimo_report_summary sum;
    if (bimo_report_write(store, cat, tpl, out, &opt, &sum, &err) != BIMO_OK)
        rc = cli_report(&err);
    else if (!quiet && sum.removed_leftovers)
        printf("removed %d temporary folder(s) left by an interrupted report\n",
               sum.removed_leftovers);
    if (!rc && !quiet)
        printf("%s/bildungsbericht.pdf: %d pages, %d figures, %d tables, %d numbers in the text\n",
               out, sum.pages, sum.figures, sum.tables, sum.placeholders);
    bimo_store_close(store);
    bimo_catalogue_free(cat);
    return rc;
}

const cli_command cli_cmd_report = {
    "report",
    "render the Bildungsbericht (PDF, figures, workbook)",
    "Usage: bimo [--db FILE] report [TEMPLATE] [--period P] -o DIR [--intern] [--force]\n\n"
    "Fills the report template (default: report-templates/bildungsbericht.md of the data\n"
    "folder) with numbers from the store and writes the folder DIR:\n"
    "  DIR/bildungsbericht.pdf       the typeset report (A4, contents, figures, tables)\n"
    "  DIR/abbildungen/*.png, *.svg  every figure as an image\n"
    "  DIR/bildungsbericht.xlsx      every figure's and table's numbers\n\n"
    "The template is checked and every number computed before anything is written; an error\n"
    "in the template names file:line:column and exits 65. DIR is assembled under a temporary\n"
    "name beside it and renamed at the end, so a failed run leaves nothing behind; the next\n"
    "run removes what an interrupted one left.\n\n"
    "Options:\n"
    "  --period P   the report period (e.g. 2025); default: \"period:\" of the template\n"
    "  -o DIR       the output folder (must not exist unless --force)\n"
    "  --intern     no disclosure control; every page is marked internal\n"
    "  --force      replace an earlier report in DIR (never another folder)\n"
    "  -q, --quiet  print nothing on success\n",
    run_report,
};
