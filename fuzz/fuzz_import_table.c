/* fuzz_import_table.c — the generic table import (bimo import table NAME: header search, column
 * typing by inspection, official-statistics symbols, footer lines) on arbitrary bytes, through
 * bimo_import_table() into a real store. */
#include <stdint.h>

#include "bimo.h"
#include "fuzz_store.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_store_init("fuzz_import_table");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path;
    bimo_store *store = fuzz_store_next(data, size, &path);
    /* The last byte picks the reject threshold and the header line (0: searched for). */
    uint8_t sel = size ? data[size - 1] : 0;
    bimo_import_options opt = {0};
    opt.max_reject_share = sel & 1 ? 1.0 : 0;
    opt.header_line = (sel >> 1) & 3;
    opt.file_name = "fuzz.csv";
    bimo_import_result res;
    bimo_error err;
    bimo_status st = bimo_import_table(store, "fuzz", path, &opt, &res, &err);
    fuzz_check(st != BIMO_ERR_NOMEM && st != BIMO_ERR_STORE && st != BIMO_ERR_ARG,
               "an import fails only for reasons of its input");
    fuzz_check(st != BIMO_OK || res.rows_loaded <= res.rows_read, "loaded <= read");
    fuzz_check(st != BIMO_OK || fuzz_store_intact(store), "the store passes its integrity check");
    return 0;
}
