/* fuzz_store.h — a scratch store for the import fuzzers: a private temporary folder (on /dev/shm
 * when it exists, so commits cost no disk syncs), a store created anew every few hundred inputs
 * so it stays small however long the fuzzer runs, and the input written to a file there. */
#ifndef BIMO_FUZZ_STORE_H
#define BIMO_FUZZ_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "bimo.h"

/* Creates the folder and the first store; aborts on failure (a fuzzer cannot go on). */
void fuzz_store_init(const char *target);

/* Writes the input to the file whose path is returned and hands out the store, renewed every
 * few hundred calls. */
bimo_store *fuzz_store_next(const uint8_t *data, size_t size, const char **csv_path);

/* 1 if PRAGMA quick_check of the store says "ok". */
int fuzz_store_intact(bimo_store *store);

/* Aborts with the target's name and what broke when ok is 0. */
void fuzz_check(int ok, const char *what);

#endif
