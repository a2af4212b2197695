/* main.c — the bimo command: global options and the command table.
 * Each command lives in its own file and is listed here once. */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"

static const cli_command *const commands[] = {
    &cli_cmd_init,       &cli_cmd_status, &cli_cmd_import,   &cli_cmd_rejects, &cli_cmd_sample,
    &cli_cmd_indicators, &cli_cmd_sql,    &cli_cmd_workbook, &cli_cmd_chart,   &cli_cmd_report,
    &cli_cmd_export,
};

#define COMMAND_COUNT (sizeof commands / sizeof commands[0])

static void print_help(FILE *out)
{
    fprintf(out, "Usage: bimo [--db FILE] COMMAND [ARGS]\n\n"
                 "Education monitoring for German districts: imports registry extracts into a\n"
                 "store, computes indicators and writes charts, workbooks and the report.\n\n"
                 "Commands:\n");
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        fprintf(out, "  %-12s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(out, "\nOptions:\n"
                 "  --db FILE    the store (default $BIMO_DB, else ./bimo.db)\n"
                 "  --help       show this help; \"bimo COMMAND --help\" for a command\n"
                 "  --version    show the version\n\n"
                 "Exit codes follow sysexits.h: 0 ok, 64 usage, 65 data error, 66 no input,\n"
                 "73 cannot create output, 74 I/O error, 75 store busy, 77 permission.\n");
}

int cli_exit_code(bimo_status status)
{
    static const int codes[BIMO_STATUS_COUNT] = {
        [BIMO_OK] = 0,
        [BIMO_ERR_NOMEM] = EX_OSERR,
        [BIMO_ERR_ARG] = EX_USAGE,
        [BIMO_ERR_NOINPUT] = EX_NOINPUT,
        [BIMO_ERR_CANTCREATE] = EX_CANTCREAT,
        [BIMO_ERR_IO] = EX_IOERR,
        [BIMO_ERR_PARSE] = EX_DATAERR,
        [BIMO_ERR_DATA] = EX_DATAERR,
        [BIMO_ERR_BUSY] = EX_TEMPFAIL,
        [BIMO_ERR_SCHEMA] = EX_DATAERR,
        [BIMO_ERR_PERM] = EX_NOPERM,
        [BIMO_ERR_STORE] = EX_SOFTWARE,
        [BIMO_ERR_NOTFOUND] = EX_NOINPUT,
        [BIMO_ERR_ABORTED] = 1,
    };
    if ((unsigned)status >= BIMO_STATUS_COUNT)
        return EX_SOFTWARE;
    return codes[status];
}

int cli_report(const bimo_error *err)
{
    char buf[1024];
    bimo_error_format(err, buf, sizeof buf);
    fprintf(stderr, "bimo: %s\n", buf);
    return cli_exit_code(err->status);
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "bimo %s: ", command);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry \"bimo %s --help\".\n", command);
    return EX_USAGE;
}

int cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return 0;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return 1;
    }
    return 0;
}

int cli_open_store(const cli_context *ctx, int create, int read_only, bimo_store **out)
{
    bimo_store_options opt = {.create = create, .read_only = read_only};
    bimo_error err;
    bimo_error_clear(&err);
    if (bimo_store_open(ctx->db_path, &opt, out, &err) != BIMO_OK)
        return cli_report(&err);
    return 0;
}

int main(int argc, char **argv)
{
    cli_context ctx = {.db_path = getenv("BIMO_DB")};
    if (!ctx.db_path || !*ctx.db_path)
        ctx.db_path = "bimo.db";

    static const struct option global_opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {0, 0, 0, 0},
    };
    int c;
    /* "+" stops at the command name so its own options are left to it. */
    while ((c = getopt_long(argc, argv, "+h", global_opts, NULL)) != -1) {
        switch (c) {
        case 'd': ctx.db_path = optarg; break;
        case 'h': print_help(stdout); return 0;
        case 'V': printf("bimo %s\n", bimo_version()); return 0;
        default: fprintf(stderr, "Try \"bimo --help\".\n"); return EX_USAGE;
        }
    }
    if (optind >= argc) {
        print_help(stderr);
        return EX_USAGE;
    }
    const char *name = argv[optind];
    for (size_t i = 0; i < COMMAND_COUNT; i++) {
        if (strcmp(commands[i]->name, name) != 0)
            continue;
        int sub_argc = argc - optind;
        char **sub_argv = argv + optind;
        if (cli_wants_help(sub_argc, sub_argv)) {
            fputs(commands[i]->usage, stdout);
            return 0;
        }
        optind = 0; /* re-initialise getopt (glibc) for the command's own options */
        return commands[i]->run(&ctx, sub_argc, sub_argv);
    }
    fprintf(stderr, "bimo: unknown command \"%s\"\nTry \"bimo --help\".\n", name);
    return EX_USAGE;
}
