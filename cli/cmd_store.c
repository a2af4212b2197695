/* cmd_store.c — "bimo init" and "bimo status": creating a store and showing what it holds. */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "cli.h"

static int run_init(const cli_context *ctx, int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
        return cli_usage_error("init", "unexpected argument \"%s\"", argv[1]);
    if (access(ctx->db_path, F_OK) == 0) {
        fprintf(stderr, "bimo init: store %s already exists; nothing changed\n", ctx->db_path);
        return EX_CANTCREAT;
    }
    bimo_store *store;
    int rc = cli_open_store(ctx, 1, 0, &store);
    if (rc)
        return rc;
    /* The code tables belong to a new store; without them it is not made at all. */
    bimo_error err;
    bimo_error_clear(&err);
    if (bimo_store_sync_codes(store, &err) != BIMO_OK) {
        char key[4096];
        bimo_store_close(store);
        snprintf(key, sizeof key, "%s.key", ctx->db_path);
        unlink(ctx->db_path);
        unlink(key);
        return cli_report(&err);
    }
    printf("created store %s (schema version %d) and pseudonym key %s.key\n", ctx->db_path,
           bimo_store_schema_version(store), ctx->db_path);
    bimo_store_close(store);
    return 0;
}

const cli_command cli_cmd_init = {
    "init",
    "create a new store and its pseudonym key",
    "Usage: bimo [--db FILE] init\n\n"
    "Creates the store FILE (default ./bimo.db) with mode 0600 and a secret pseudonym key\n"
    "FILE.key beside it (32 random bytes, mode 0600). Person identifiers are replaced at\n"
    "import by a keyed hash with this key: keep it with the store, never publish it, and\n"
    "back it up together with the store (without it new imports cannot be linked to the\n"
    "persons already stored). The code lists of <data>/indicators/codes/ and the district's\n"
    "municipalities are copied into the store's code tables. Refuses to touch an existing\n"
    "store; when the code lists cannot be read, no store is left behind.\n",
    run_init,
};

static int print_import(const bimo_import_info *info, void *ctx)
{
    int *count = ctx;
    if (++*count == 1)
        printf("\n%4s  %-18s %-10s %9s %9s %9s  %-11s %s\n", "id", "source", "stichtag", "read",
               "loaded", "rejected", "status", "file");
    printf("%4lld  %-18s %-10s %9lld %9lld %9lld  %-11s %s\n", (long long)info->id, info->source,
           info->stichtag, (long long)info->rows_read, (long long)info->rows_loaded,
           (long long)info->rows_rejected, info->status, info->file_name);
    printf("      sha256 %s, %lld bytes, %s, delimiter %s, %s .. %s, bimo %s\n", info->sha256,
           (long long)info->size_bytes, info->encoding, info->delimiter, info->started,
           info->finished, info->bimo_version);
    return 0;
}

static int run_status(const cli_context *ctx, int argc, char **argv)
{
    if (argc > 1)
        return cli_usage_error("status", "unexpected argument \"%s\"", argv[1]);
    bimo_store *store;
    int rc = cli_open_store(ctx, 0, 0, &store);
    if (rc)
        return rc;
    printf("store:          %s\n", bimo_store_path(store));
    printf("schema version: %d\n", bimo_store_schema_version(store));
    int count = 0;
    bimo_error err;
    bimo_error_clear(&err);
    if (bimo_store_imports(store, print_import, &count, &err) != BIMO_OK) {
        bimo_store_close(store);
        return cli_report(&err);
    }
    if (count == 0)
        printf("imports:        none yet\n");
    bimo_store_close(store);
    return 0;
}

const cli_command cli_cmd_status = {
    "status",
    "show the store, its schema version and the imports so far",
    "Usage: bimo [--db FILE] status\n\n"
    "Prints the store path, its schema version and every import with its provenance:\n"
    "source, reference date, rows read/loaded/rejected, status, file name, SHA-256,\n"
    "size, encoding, delimiter, start and end time and the bimo version that loaded it.\n",
    run_status,
};
