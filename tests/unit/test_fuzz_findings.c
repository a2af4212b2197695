/* test_fuzz_findings.c — what the fuzzers (fuzz/, bench/fuzz.sh) found, kept as regression tests
 * in the normal build. Each case is the minimised input of one finding and the answer the
 * documented contract requires. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "catalogue.h"
#include "codes.h"
#include "table_import.h"

/* fuzz_values: a header cell starting with a digit got "c_" put in front after it had been cut
 * to 60 characters, so the name had 62 (the contract, and SQLite column lists built from it,
 * say at most 60). */
static void column_name_cap_includes_prefix(void **state)
{
    (void)state;
    static const char cell[] = "111/11\x10"
                               "330-33336pppppppppppppppppppppppppppppp6666\xeb"
                               "66666633333";
    char name[64];
    size_t n = bimo_table_column_name(cell, sizeof cell - 1, 3, name, sizeof name);
    /* words 111, 11, 330, 33336ppp...6666, 666666333 joined by '_' are 60 characters; with
     * the prefix the last 2 characters ("33") no longer fit. */
    assert_int_equal(n, 60);
    assert_int_equal(strlen(name), 60);
    assert_string_equal(name, "c_111_11_330_33336pppppppppppppppppppppppppppppp6666_6666663");
    /* A cut that leaves a separator at the end drops it: size 7 leaves 6 characters:
     * "c_" + "123_" of "123_4567", whose '_' goes. */
    char small[7];
    n = bimo_table_column_name("123 4567", 8, 0, small, sizeof small);
    assert_string_equal(small, "c_123");
    assert_int_equal(n, 5);
}

/* fuzz_codes: the matching key reserved two bytes for every character, so "oe" was cut to "o"
 * in a 3-byte buffer while "Ö" gave "oe": the same name spelled two ways got two keys. */
static void key_truncation_is_per_character(void **state)
{
    (void)state;
    char a[3], b[3];
    assert_int_equal(bimo_normalize_key("oe", 2, a, sizeof a), 2);
    assert_int_equal(bimo_normalize_key("\xc3\x96", 2, b, sizeof b), 2);
    assert_string_equal(a, "oe");
    assert_string_equal(b, "oe");
    /* 63 ASCII letters fill a 64-byte key; an umlaut that no longer fits whole is left out. */
    char text[64], key[64];
    memset(text, 'a', 63);
    assert_int_equal(bimo_normalize_key(text, 63, key, sizeof key), 63);
    char two[4] = {'a', 'a', (char)0xC3, (char)0xA4}; /* "aaä" into 4 bytes: "aa" + no room */
    assert_int_equal(bimo_normalize_key(two, 4, key, 4), 2);
    assert_string_equal(key, "aa");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(column_name_cap_includes_prefix),
        cmocka_unit_test(key_truncation_is_per_character),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
