/* fuzz_codes.c — code lists on arbitrary text: the matching key (umlauts, spaces, punctuation)
 * and lookups in the real lists (states with ISO aliases, the district's municipalities, school
 * forms). A key is never longer than its buffer, normalising valid UTF-8 (all the reader hands
 * on) is idempotent, and a lookup gives a row of the list or -1. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bimo.h"
#include "codes.h"

static bimo_codelist *lists[4];

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_codes: broken promise: %s\n", what);
        abort();
    }
}

/* 1 if s is well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF). */
static int valid_utf8(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (!len || i + len > n || (len == 2 && c < 0xC2))
            return 0;
        unsigned cp = len == 1 ? c : c & (0x7F >> len);
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
            cp = cp << 6 | (s[i + k] & 0x3F);
        }
        if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
            return 0;
        i += len;
    }
    return 1;
}

static void free_lists(void)
{
    for (int i = 0; i < 4; i++)
        bimo_codelist_free(lists[i]);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    static const char *const names[] = {"staaten", "schulform", "rechtsgrundlage"};
    bimo_error err;
    for (int i = 0; i < 3; i++)
        if (bimo_codelist_load_named(names[i], &lists[i], &err) != BIMO_OK) {
            fprintf(stderr, "fuzz_codes: %s: %s\n", names[i], err.message);
            abort();
        }
    if (bimo_codelist_load_municipalities(&lists[3], &err) != BIMO_OK) {
        fprintf(stderr, "fuzz_codes: gemeinden: %s\n", err.message);
        abort();
    }
    atexit(free_lists);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size ? size : 1); /* no NUL: ASan sees a read past the length */
    if (!s)
        return 0;
    memcpy(s, data, size);
    size_t cap = 1 + (size & 63); /* small buffers too: truncation must stay inside */
    char *key = malloc(cap), *again = malloc(cap);
    size_t n = bimo_normalize_key(s, size, key, cap);
    check(n < cap && key[n] == '\0', "the key fits its buffer");
    if (valid_utf8(data, size)) {
        size_t m = bimo_normalize_key(key, n, again, cap);
        check(m == n && memcmp(key, again, n) == 0, "normalising a key again changes nothing");
    }
    for (int i = 0; i < 4; i++) {
        int row = bimo_codelist_find(lists[i], s, size);
        check(row >= -1 && (row < 0 || (size_t)row < bimo_codelist_size(lists[i])),
              "a lookup gives a row of the list or -1");
    }
    free(again);
    free(key);
    free(s);
    return 0;
}
