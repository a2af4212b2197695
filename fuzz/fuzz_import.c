/* fuzz_import.c — one registry source's import on arbitrary bytes: header mapping, the
 * validation of every row (dates, codes, AGS, ranges, date order, ages), pseudonyms, duplicate
 * keys, snapshots and rejects, through bimo_import() into a real store. Built once per source
 * with FUZZ_SOURCE set to its name. Besides memory errors it checks that an import fails only
 * for reasons of its input, that the counts add up and that the store stays intact. */
#include <stdint.h>

#include "bimo.h"
#include "fuzz_store.h"

#ifndef FUZZ_SOURCE
#error "FUZZ_SOURCE names the source, e.g. -DFUZZ_SOURCE=\"melderegister\""
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_store_init("fuzz_import_" FUZZ_SOURCE);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path;
    bimo_store *store = fuzz_store_next(data, size, &path);
    /* Odd last bytes allow every row to be rejected, so the rest still loads and the store
     * side runs too; the others keep the default threshold. */
    bimo_import_options opt = {0};
    opt.max_reject_share = size && (data[size - 1] & 1) ? 1.0 : 0;
    opt.file_name = "fuzz.csv";
    bimo_import_result res;
    bimo_error err;
    bimo_status st = bimo_import(store, FUZZ_SOURCE, path, &opt, &res, &err);
    fuzz_check(st != BIMO_ERR_NOMEM && st != BIMO_ERR_STORE && st != BIMO_ERR_ARG,
               "an import fails only for reasons of its input");
    fuzz_check(res.rows_loaded >= 0 && res.rows_rejected >= 0, "counts are not negative");
    fuzz_check(st != BIMO_OK || res.rows_loaded + res.rows_rejected == res.rows_read,
               "loaded + rejected = read");
    fuzz_check(st != BIMO_OK || fuzz_store_intact(store), "the store passes its integrity check");
    return 0;
}
