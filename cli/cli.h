/* cli.h — what the bimo commands share: the command table entry, exit codes, messages.
 * Commands parse their arguments, call libbimo and print; they hold no domain logic. */
#ifndef BIMO_CLI_H
#define BIMO_CLI_H

#include <stdio.h>

#include "bimo.h"

typedef struct cli_context {
    const char *db_path; /* --db, $BIMO_DB or ./bimo.db */
} cli_context;

typedef struct cli_command {
    const char *name;
    const char *summary;
    const char *usage; /* full help text printed by "bimo COMMAND --help" */
    int (*run)(const cli_context *ctx, int argc, char **argv);
} cli_command;

/* sysexits.h code for a library status. */
int cli_exit_code(bimo_status status);

/* Prints "bimo: <formatted error>" to stderr and returns the matching exit code. */
int cli_report(const bimo_error *err);

/* Prints "bimo COMMAND: message" and a hint to stderr; returns EX_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* True when argv holds -h or --help before any "--". */
int cli_wants_help(int argc, char **argv);

/* Opens the store of ctx; prints the error and returns its exit code on failure, else 0. */
int cli_open_store(const cli_context *ctx, int create, int read_only, bimo_store **out);

extern const cli_command cli_cmd_init, cli_cmd_status, cli_cmd_import, cli_cmd_rejects;
extern const cli_command cli_cmd_sample;
extern const cli_command cli_cmd_indicators, cli_cmd_sql;
extern const cli_command cli_cmd_workbook;
extern const cli_command cli_cmd_chart;
extern const cli_command cli_cmd_report;
extern const cli_command cli_cmd_export;

#endif
