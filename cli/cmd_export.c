/* cmd_export.c — "bimo export": the quarterly export for cron. Parses the options, loads the
 * template and prints the library's events as text lines or JSON objects. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

typedef struct {
    int quiet;
    int json;
} log_state;

static void print_json(FILE *out, const char *event, const char *message, const char *path,
                       int64_t count)
{
    json_t *o = json_object();
    json_object_set_new(o, "event", json_string(event));
    json_object_set_new(o, "message", json_string(message));
    if (path)
        json_object_set_new(o, "path", json_string(path));
    json_object_set_new(o, "count", json_integer(count));
    char *s = json_dumps(o, JSON_COMPACT);
    if (s)
        fprintf(out, "%s\n", s);
    free(s);
    json_decref(o);
    fflush(out);
}

static void on_event(const bimo_export_event *ev, void *ctx)
{
    const log_state *ls = ctx;
    if (ls->quiet)
        return;
    if (ls->json)
        print_json(stdout, ev->event, ev->message, ev->path, ev->count);
    else
        printf("bimo export: %s\n", ev->message);
    fflush(stdout);
}

/* Errors go to stderr, as one JSON object with the exit code when JSON was asked for. */
static int fail(const log_state *ls, const bimo_error *err)
{
    if (!ls->json)
        return cli_report(err);
    char buf[1024];
    bimo_error_format(err, buf, sizeof buf);
    int code = cli_exit_code(err->status);
    print_json(stderr, "error", buf, err->file[0] ? err->file : NULL, code);
    return code;
}

static int parse_seconds(const char *text, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || !*text || *end || v < 0 || v > 86400)
        return 0;
    *out = (int)v;
    return 1;
}

static int run_export(const cli_context *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"period", required_argument, NULL, 'p'},
        {"output", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, 'f'},
        {"wait", required_argument, NULL, 'w'},
        {"quiet", no_argument, NULL, 'q'},
        {"log-format", required_argument, NULL, 'l'},
        {0, 0, 0, 0},
    };
    const char *period = NULL, *dir = NULL;
    log_state ls = {0};
    bimo_export_options eo = {.log = on_event, .ctx = &ls};
    int c;
    while ((c = getopt_long(argc, argv, "p:o:fq", opts, NULL)) != -1) {
        switch (c) {
        case 'p': period = optarg; break;
        case 'o': dir = optarg; break;
        case 'f': eo.force = 1; break;
        case 'q': ls.quiet = 1; break;
        case 'w':
            if (!parse_seconds(optarg, &eo.wait_seconds))
                return cli_usage_error("export",
                                       "--wait takes whole seconds (0 .. 86400), not "
                                       "\"%s\"",
                                       optarg);
            break;
        case 'l':
            if (strcmp(optarg, "json") != 0 && strcmp(optarg, "text") != 0)
                return cli_usage_error("export", "--log-format is text or json, not \"%s\"",
                                       optarg);
            ls.json = strcmp(optarg, "json") == 0;
            break;
        default: return cli_usage_error("export", "unknown option");
        }
    }
    if (optind >= argc)
        return cli_usage_error("export", "which template? e.g. bimo export quartalsexport.md");
    if (argc - optind > 1)
        return cli_usage_error("export", "one template only");
    if (!dir)
        return cli_usage_error("export", "where to? -o DIR is required");

    bimo_error err;
    bimo_error_clear(&err);
    char path[4096];
    const char *tpl_path = argv[optind];
    /* A bare name that is not a file is taken from the templates shipped with bimo. */
    if (!strchr(tpl_path, '/') && access(tpl_path, F_OK) != 0) {
        if (bimo_template_default(tpl_path, path, sizeof path, &err) != BIMO_OK)
            return fail(&ls, &err);
        tpl_path = path;
    }
    bimo_catalogue *cat = NULL;
    bimo_template *tpl = NULL;
    bimo_store *store = NULL;
    bimo_status st = bimo_catalogue_load(NULL, &cat, &err);
    if (st == BIMO_OK)
        st = bimo_template_load(tpl_path, cat, period, &tpl, &err);
    if (st == BIMO_OK) {
        bimo_store_options so = {0};
        st = bimo_store_open(ctx->db_path, &so, &store, &err);
    }
    if (st == BIMO_OK)
        st = bimo_export(store, cat, tpl, dir, &eo, &err);
    bimo_store_close(store);
    bimo_template_free(tpl);
    bimo_catalogue_free(cat);
    return st == BIMO_OK ? 0 : fail(&ls, &err);
}

const cli_command cli_cmd_export = {
    "export",
    "write the tables of an export template into a folder (for cron)",
    "Usage: bimo export TEMPLATE --period P -o DIR [--force] [--wait SECONDS] [--quiet]\n"
    "                   [--log-format text|json]\n\n"
    "Computes the tables of TEMPLATE (a file, or the name of a template shipped with bimo such\n"
    "as quartalsexport.md) for period P (default: the template's) with disclosure control and\n"
    "writes into the new folder DIR, per table, a CSV for German Excel (NN_ID_tabelle.csv: ';',\n"
    "UTF-8 with BOM, decimal comma, symbols) and a machine CSV (NN_ID_daten.csv, the layout of\n"
    "\"bimo indicators compute --format csv\"), the workbook of all tables (NAME.xlsx, after\n"
    "the template) and manifest.json (files with SHA-256, the imports used, version,\n"
    "template, period, disclosure settings).\n\n"
    "Cells hidden by an earlier export of the same indicator and period are hidden again, and\n"
    "tables of one export hide the cells they share alike; each export is recorded in the store.\n"
    "The folder appears whole or not at all: it is built beside DIR and renamed into place; a\n"
    "failed or killed run leaves the previous export untouched, and the next run removes what\n"
    "the killed one left. The same store and template give the same bytes.\n\n"
    "Options:\n"
    "  -p, --period P         the run's period, e.g. 2025Q3\n"
    "  -o, --output DIR       the export folder (must not exist, see --force)\n"
    "  -f, --force            replace an earlier export in DIR\n"
    "      --wait SECONDS     wait for another import or export to finish (default 0)\n"
    "  -q, --quiet            print nothing but errors\n"
    "      --log-format FMT   text (default) or json: one JSON object per event on stdout,\n"
    "                         errors as one JSON object on stderr\n\n"
    "Exit codes: 0 ok, 64 usage, 65 template or data error, 66 no store or template,\n"
    "73 DIR exists (or cannot be created), 74 I/O error, 75 the store is busy.\n",
    run_export,
};
