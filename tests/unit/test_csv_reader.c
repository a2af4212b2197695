/* test_csv_reader.c — unit tests of the streaming CSV reader: dialects, encodings, line numbers,
 * rejects and resync, limits, file/stdin/memory input, SHA-256 and chunk boundaries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <fcntl.h>
#include <sodium.h>

#include "bimo.h"
#include "csv_reader.h"

#define MIB (1024 * 1024)

/* ---- Helpers ----------------------------------------------------------------------------- */

/* Writes s with control bytes, '\\' and '|' escaped; in raw text also bytes >= 0x80 as \xHH,
 * since raw may hold invalid UTF-8. */
static void put_escaped(FILE *f, const char *s, size_t n, int raw)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\r')
            fputs("\\r", f);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c == '\t')
            fputs("\\t", f);
        else if (c == 0)
            fputs("\\0", f);
        else if (c == '\\')
            fputs("\\\\", f);
        else if (c == '|' && !raw)
            fputs("\\|", f);
        else if (c >= 0x80 && raw)
            fprintf(f, "\\x%02x", c);
        else
            fputc(c, f);
    }
}

/* Reads every record and writes one line per record:
 *   "LINE[-LAST]:f1|f2|..."              for a good record
 *   "LINE[-LAST]!COLUMN REASON: RAW"     for a rejected one
 * The caller frees the string. */
static char *dump(bimo_csv_reader *r)
{
    char *out = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&out, &size);
    assert_non_null(f);
    const bimo_csv_record *rec;
    bimo_error err;
    bimo_status st;
    while ((st = bimo_csv_next(r, &rec, &err)) == BIMO_OK && rec) {
        fprintf(f, "%ld", rec->line);
        if (rec->last_line != rec->line)
            fprintf(f, "-%ld", rec->last_line);
        assert_true(rec->last_line >= rec->line);
        assert_int_equal(rec->raw[rec->raw_len], '\0');
        if (rec->reject_reason) {
            assert_int_equal(rec->nfields, 0);
            fprintf(f, "!%ld %s: ", rec->reject_column, rec->reject_reason);
            put_escaped(f, rec->raw, rec->raw_len, 1);
        } else {
            assert_true(rec->nfields > 0);
            fputc(':', f);
            for (size_t i = 0; i < rec->nfields; i++) {
                assert_int_equal(strlen(rec->fields[i]), rec->lengths[i]);
                if (i)
                    fputc('|', f);
                put_escaped(f, rec->fields[i], rec->lengths[i], 0);
            }
        }
        fputc('\n', f);
    }
    assert_int_equal(st, BIMO_OK);
    /* The end is sticky. */
    assert_int_equal(bimo_csv_next(r, &rec, &err), BIMO_OK);
    assert_null(rec);
    fclose(f);
    return out;
}

static bimo_csv_reader *open_mem(const char *data, size_t len, const bimo_csv_options *opt)
{
    bimo_csv_reader *r = NULL;
    bimo_error err;
    assert_int_equal(bimo_csv_open_memory(data, len, "test.csv", opt, &r, &err), BIMO_OK);
    return r;
}

static char *write_temp(const char *data, size_t len)
{
    char *path = strdup("/tmp/bimo-csv-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, data + done, len - done);
        assert_true(n > 0);
        done += (size_t)n;
    }
    assert_int_equal(close(fd), 0);
    return path;
}

/* ---- The table of cases ------------------------------------------------------------------ */

#define IN(s) s, sizeof(s) - 1
#define X10   "xxxxxxxxxx"

typedef struct {
    const char *name;
    const char *in;
    size_t len;
    const char *encoding; /* option */
    int delimiter;        /* option */
    size_t max_field;
    int max_lines;
    const char *expect; /* dump() of all records */
    long blank;
    const char *found_encoding;
    int found_delimiter;
} csv_case;

static const csv_case cases[] = {
    /* RFC 4180 */
    {"quoted delimiter", IN("a;b\n1;\"x;y\"\n"), 0, 0, 0, 0, "1:a|b\n2:1|x;y\n", 0, "utf-8", ';'},
    {"doubled quotes, CRLF", IN("a;b\r\n1;\"x\"\"y\"\r\n"), 0, 0, 0, 0, "1:a|b\n2:1|x\"y\n", 0,
     "utf-8", ';'},
    {"quoted CRLF", IN("a;b\r\n1;\"x\r\ny\"\r\n2;z\r\n"), 0, 0, 0, 0,
     "1:a|b\n2-3:1|x\\r\\ny\n4:2|z\n", 0, "utf-8", ';'},
    {"quoted LF, comma", IN("a,b\n\"x\ny\",1\n"), 0, 0, 0, 0, "1:a|b\n2-3:x\\ny|1\n", 0, "utf-8",
     ','},
    {"quoted lone CR", IN("a;b\r1;\"x\ry\"\r2;z"), 0, 0, 0, 0, "1:a|b\n2-3:1|x\\ry\n4:2|z\n", 0,
     "utf-8", ';'},
    {"empty fields", IN("a;b;c\n;;\n"), 0, 0, 0, 0, "1:a|b|c\n2:||\n", 0, "utf-8", ';'},
    {"empty quoted field", IN("a;b\n\"\";x\n"), 0, 0, 0, 0, "1:a|b\n2:|x\n", 0, "utf-8", ';'},
    {"no final newline", IN("a;b\n1;2"), 0, 0, 0, 0, "1:a|b\n2:1|2\n", 0, "utf-8", ';'},
    {"quoted last field, no final newline", IN("a;b\n1;\"2\""), 0, 0, 0, 0, "1:a|b\n2:1|2\n", 0,
     "utf-8", ';'},
    {"doubled quote at the very end", IN("a\n\"x\"\"\""), 0, 0, 0, 0, "1:a\n2:x\"\n", 0, "utf-8",
     ';'},
    {"final blank line", IN("a;b\n1;2\n\n"), 0, 0, 0, 0, "1:a|b\n2:1|2\n", 1, "utf-8", ';'},
    {"empty input", IN(""), 0, 0, 0, 0, "", 0, "utf-8", 0},
    {"only blank lines", IN("\n\r\n  \n\t\r"), 0, 0, 0, 0, "", 4, "utf-8", 0},

    /* Delimiter sniffing */
    {"comma wins", IN("name,age;x,y\n"), 0, 0, 0, 0, "1:name|age;x|y\n", 0, "utf-8", ','},
    {"tie: semicolon first", IN("a;b,c\n"), 0, 0, 0, 0, "1:a|b,c\n", 0, "utf-8", ';'},
    {"tie: TAB before comma", IN("a\tb,c\n"), 0, 0, 0, 0, "1:a|b,c\n", 0, "utf-8", '\t'},
    {"no delimiter: one column", IN("x\n1\n"), 0, 0, 0, 0, "1:x\n2:1\n", 0, "utf-8", ';'},
    {"quoted delimiters do not count", IN("\"a,b,c\";d\n"), 0, 0, 0, 0, "1:a,b,c|d\n", 0, "utf-8",
     ';'},
    {"explicit delimiter", IN("a;b,c\n"), 0, ',', 0, 0, "1:a;b|c\n", 0, "utf-8", ','},
    {"sep= line overrides the sniff", IN("sep=;\na,b,c;d\n1,5;2\n"), 0, 0, 0, 0,
     "2:a,b,c|d\n3:1,5|2\n", 0, "utf-8", ';'},
    {"quoted SEP=, after a BOM", IN("\xEF\xBB\xBF\"SEP=,\"\r\na;b,c\r\n"), 0, 0, 0, 0, "2:a;b|c\n",
     0, "utf-8-bom", ','},

    /* German Excel habits */
    {"BOM and semicolon", IN("\xEF\xBB\xBFName;Ort\r\nM\xC3\xBCller;K\xC3\xB6ln\r\n"), 0, 0, 0, 0,
     "1:Name|Ort\n2:M\xC3\xBCller|K\xC3\xB6ln\n", 0, "utf-8-bom", ';'},
    {"Windows-1252 header and values",
     IN("Staatsangeh\xF6rigkeit;Stra\xDF"
        "e;Betrag\r\nT\xFCrkei;Gro\xDF"
        "e Str.;12 \x80\r\n"),
     0, 0, 0, 0,
     "1:Staatsangeh\xC3\xB6rigkeit|Stra\xC3\x9F"
     "e|Betrag\n2:T\xC3\xBCrkei|Gro\xC3\x9F"
     "e Str.|12 \xE2\x82\xAC\n",
     0, "cp1252", ';'},
    {"ASCII first, Windows-1252 later",
     IN("a;b\n1;x\n2;Gr\xFC\xDF"
        "e\n"),
     0, 0, 0, 0,
     "1:a|b\n2:1|x\n3:2|Gr\xC3\xBC\xC3\x9F"
     "e\n",
     0, "cp1252", ';'},
    {"Windows-1252 inside a quoted newline",
     IN("a;b\r\n1;\"Gr\xFC\r\n\xDF"
        "e\"\r\n"),
     0, 0, 0, 0,
     "1:a|b\n2-3:1|Gr\xC3\xBC\\r\\n\xC3\x9F"
     "e\n",
     0, "cp1252", ';'},
    {"trailing semicolon", IN("a;b;\r\n1;2;\r\n"), 0, 0, 0, 0, "1:a|b|\n2:1|2|\n", 0, "utf-8", ';'},
    {"decimal comma kept in quotes", IN("Betrag;Anteil\n\"1.234,5\";\"12,3 %\"\n"), 0, 0, 0, 0,
     "1:Betrag|Anteil\n2:1.234,5|12,3 %\n", 0, "utf-8", ';'},
    {"mixed line endings", IN("a;b\r\n1;2\n3;4\r5;6\r\n7;8"), 0, 0, 0, 0,
     "1:a|b\n2:1|2\n3:3|4\n4:5|6\n5:7|8\n", 0, "utf-8", ';'},
    {"old Mac CR only", IN("a;b\r1;2\r"), 0, 0, 0, 0, "1:a|b\n2:1|2\n", 0, "utf-8", ';'},

    /* Line numbers and blank lines */
    {"quoted newlines and blank lines", IN("a;b\n\n1;\"x\n\ny\"\n\n   \n2;z\n"), 0, 0, 0, 0,
     "1:a|b\n3-5:1|x\\n\\ny\n8:2|z\n", 3, "utf-8", ';'},
    {"blank lines before the header", IN("\n\r\na;b\n1;2\n"), 0, 0, 0, 0, "3:a|b\n4:1|2\n", 2,
     "utf-8", ';'},

    /* Trimming */
    {"spaces trimmed, quoted kept", IN("a ; b \n  x  ;\" y \"\n"), 0, 0, 0, 0, "1:a|b\n2:x| y \n",
     0, "utf-8", ';'},
    {"spaces around quotes", IN("a;b\n  \"x\"  ;y\n"), 0, 0, 0, 0, "1:a|b\n2:x|y\n", 0, "utf-8",
     ';'},
    {"TABs trimmed with semicolon", IN("a;b\n\tx\t;\t\"y\"\n"), 0, 0, 0, 0, "1:a|b\n2:x|y\n", 0,
     "utf-8", ';'},
    {"TAB delimiter, inner spaces kept",
     IN("Vor Name\tOrt\n Anna Maria \t Bad Iburg\n\t\n\t\"q\"\t\n"), 0, 0, 0, 0,
     "1:Vor Name|Ort\n2:Anna Maria|Bad Iburg\n3:|\n4:|q|\n", 0, "utf-8", '\t'},

    /* Rejects, each reason */
    {"malformed quote mid-line, resync", IN("a;b;c\n1;x\"y;3\n2;ok;4\n"), 0, 0, 0, 0,
     "1:a|b|c\n2!2 malformed quoting: 1;x\"y;3\n3:2|ok|4\n", 0, "utf-8", ';'},
    {"text after a closing quote", IN("a;b;c\n1;2;\"ab\"c\n2;ok;4\n"), 0, 0, 0, 0,
     "1:a|b|c\n2!3 malformed quoting: 1;2;\"ab\"c\n3:2|ok|4\n", 0, "utf-8", ';'},
    {"unterminated quote at EOF", IN("a;b\n1;\"abc\n"), 0, 0, 0, 0,
     "1:a|b\n2!2 unterminated quote: 1;\"abc\n", 0, "utf-8", ';'},
    {"unterminated quote at EOF, no newline", IN("a;b\n1;\"abc"), 0, 0, 0, 0,
     "1:a|b\n2!2 unterminated quote: 1;\"abc\n", 0, "utf-8", ';'},
    {"unterminated quote, lines after it read again", IN("a;b\n1;\"abc\n2;x\n\n3;y\n"), 0, 0, 0, 0,
     "1:a|b\n2!2 unterminated quote: 1;\"abc\n3:2|x\n5:3|y\n", 1, "utf-8", ';'},
    {"unterminated quote, resync after max lines", IN("a;b\n1;\"abc\n2;x\n3;y\n4;z\n5;w\n"), 0, 0,
     0, 3, "1:a|b\n2!2 unterminated quote: 1;\"abc\n3:2|x\n4:3|y\n5:4|z\n6:5|w\n", 0, "utf-8", ';'},
    {"unterminated quote, resync after a quote error", IN("a;b\n1;\"abc\n2;\"x\";3\n4;y\n"), 0, 0,
     0, 0, "1:a|b\n2!2 unterminated quote: 1;\"abc\n3:2|x|3\n4:4|y\n", 0, "utf-8", ';'},
    {"unterminated quote, resync after max bytes", IN("a;b\n1;\"abc\n2;xxxxxxxx\n3;yyyyyyyy\n"), 0,
     0, 16, 0, "1:a|b\n2!2 unterminated quote: 1;\"abc\n3:2|xxxxxxxx\n4:3|yyyyyyyy\n", 0, "utf-8",
     ';'},
    {"quoted field over max lines", IN("a;b\n1;\"x\ny\"\n"), 0, 0, 0, 1,
     "1:a|b\n2!2 unterminated quote: 1;\"x\n3!1 malformed quoting: y\"\n", 0, "utf-8", ';'},
    {"NUL byte", IN("a;b\n1;x\0y\n2;z\n"), 0, 0, 0, 0,
     "1:a|b\n2!2 NUL byte in column 2: 1;x\\0y\n3:2|z\n", 0, "utf-8", ';'},
    {"NUL byte in a quoted field", IN("a;b\n\"x\0\";1\n"), 0, 0, 0, 0,
     "1:a|b\n2!1 NUL byte in column 1: \"x\\0\";1\n", 0, "utf-8", ';'},
    {"invalid UTF-8 when utf-8 is forced",
     IN("a;b\n1;Gr\xFC\xDF"
        "e\n2;z\n"),
     "utf-8", 0, 0, 0,
     "1:a|b\n2!2 invalid UTF-8 in column 2: 1;Gr\\xfc\\xdf"
     "e\n3:2|z\n",
     0, "utf-8", ';'},
    {"invalid UTF-8 after a BOM",
     IN("\xEF\xBB\xBF"
        "a;b\n1;\xFC\n"),
     0, 0, 0, 0, "1:a|b\n2!2 invalid UTF-8 in column 2: 1;\\xfc\n", 0, "utf-8-bom", ';'},
    {"mixed encodings in auto mode",
     IN("a;b\nM\xC3\xBCller;1\nGr\xFC\xDF"
        "e;2\n3;x\n"),
     0, 0, 0, 0,
     "1:a|b\n2:M\xC3\xBCller|1\n3!1 invalid UTF-8 in column 1 (the file mixes UTF-8 and "
     "Windows-1252): Gr\\xfc\\xdf"
     "e;2\n4:3|x\n",
     0, "utf-8", ';'},
    {"overlong UTF-8 form", IN("a\n\xC0\xAF\n"), "utf-8", 0, 0, 0,
     "1:a\n2!1 invalid UTF-8 in column 1: \\xc0\\xaf\n", 0, "utf-8", ';'},
    {"byte undefined in Windows-1252", IN("a;b\n1;x\x81y\n2;z\n"), "cp1252", 0, 0, 0,
     "1:a|b\n2!2 byte undefined in Windows-1252 in column 2: 1;x\\x81y\n3:2|z\n", 0, "cp1252", ';'},
    {"field over the limit", IN("a;b\n1;123456789\n2;12345678\n"), 0, 0, 8, 0,
     "1:a|b\n2!2 field in column 2 is longer than 8 bytes: 1;123456789\n3:2|12345678\n", 0, "utf-8",
     ';'},
    {"quoted field over the limit", IN("a;b\n\"1234\n5678\";z\n2;z\n"), 0, 0, 8, 0,
     "1:a|b\n2-3!1 field in column 1 is longer than 8 bytes: \"1234\\n5678\";z\n4:2|z\n", 0,
     "utf-8", ';'},
    {"line over the limit", IN("a;b\n1;" X10 X10 X10 X10 "\n2;z\n"), 0, 0, 8, 0,
     "1:a|b\n2!0 line is longer than 32 bytes: 1;" X10 X10 X10 "\n3:2|z\n", 0, "utf-8", ';'},
    {"line over the limit inside quotes", IN("a;b\n1;\"ab\n" X10 X10 X10 X10 "\n2;z\n"), 0, 0, 8, 0,
     "1:a|b\n2!2 unterminated quote: 1;\"ab\n3!0 line is longer than 32 bytes: " X10 X10 X10
     "xx\n4:2|z\n",
     0, "utf-8", ';'},
    {"first reject in a record wins", IN("a;b;c\n\0;\xFF;1234567890\n"), "utf-8", 0, 8, 0,
     "1:a|b|c\n2!1 NUL byte in column 1: \\0;\\xff;1234567890\n", 0, "utf-8", ';'},
};

static void check_case(const csv_case *c, const bimo_csv_options *opt, const char *variant)
{
    bimo_csv_reader *r = open_mem(c->in, c->len, opt);
    char *got = dump(r);
    if (strcmp(got, c->expect) != 0)
        fail_msg("case \"%s\" (%s):\n--- expected\n%s--- got\n%s", c->name, variant, c->expect,
                 got);
    if (bimo_csv_blank_lines(r) != c->blank)
        fail_msg("case \"%s\" (%s): %ld blank lines, expected %ld", c->name, variant,
                 bimo_csv_blank_lines(r), c->blank);
    if (strcmp(bimo_csv_encoding(r), c->found_encoding) != 0)
        fail_msg("case \"%s\" (%s): encoding %s, expected %s", c->name, variant,
                 bimo_csv_encoding(r), c->found_encoding);
    if (bimo_csv_delimiter(r) != c->found_delimiter)
        fail_msg("case \"%s\" (%s): delimiter %d, expected %d", c->name, variant,
                 bimo_csv_delimiter(r), c->found_delimiter);
    assert_int_equal(bimo_csv_bytes_read(r), c->len);
    free(got);
    bimo_csv_close(r);
}

/* Every case, read whole, then in tiny chunks so that every terminator and "\r\n" pair
 * straddles a chunk. */
static void table_cases(void **state)
{
    (void)state;
    static const size_t chunks[] = {1, 2, 3, 5, 7, 64};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const csv_case *c = &cases[i];
        bimo_csv_options opt = {.encoding = c->encoding,
                                .delimiter = c->delimiter,
                                .max_field_bytes = c->max_field,
                                .max_record_lines = c->max_lines};
        check_case(c, &opt, "whole");
        for (size_t k = 0; k < sizeof chunks / sizeof chunks[0]; k++) {
            char variant[32];
            snprintf(variant, sizeof variant, "chunks of %zu", chunks[k]);
            opt.read_chunk = chunks[k];
            check_case(c, &opt, variant);
        }
    }
}

/* ---- Dedicated tests --------------------------------------------------------------------- */

static const char sample[] = "\xEF\xBB\xBFsep=;\r\n"
                             "Name;Ort;Betrag\r\n"
                             "M\xC3\xBCller;\"Bad\r\nIburg\";\"1.234,5\"\r\n"
                             "\r\n"
                             "x\"y;2;3\r\n"
                             "Gau\xC3\x9F;Melle;7";

static const char sample_dump[] = "2:Name|Ort|Betrag\n"
                                  "3-4:M\xC3\xBCller|Bad\\r\\nIburg|1.234,5\n"
                                  "6!1 malformed quoting: x\"y;2;3\n"
                                  "7:Gau\xC3\x9F|Melle|7\n";

static void file_stdin_and_memory_agree(void **state)
{
    (void)state;
    bimo_csv_reader *r = open_mem(IN(sample), NULL);
    char *mem = dump(r);
    assert_string_equal(mem, sample_dump);
    bimo_csv_close(r);

    char *path = write_temp(IN(sample));
    bimo_error err;
    assert_int_equal(bimo_csv_open_path(path, NULL, &r, &err), BIMO_OK);
    assert_string_equal(bimo_csv_name(r), path);
    assert_int_equal(bimo_csv_total_bytes(r), sizeof sample - 1);
    char *file = dump(r);
    assert_string_equal(file, mem);
    assert_int_equal(bimo_csv_blank_lines(r), 1);
    assert_int_equal(bimo_csv_lines(r), 7);
    assert_string_equal(bimo_csv_encoding(r), "utf-8-bom");
    bimo_csv_close(r);

    /* "-" reads standard input. */
    int saved = dup(STDIN_FILENO), fd = open(path, O_RDONLY);
    assert_true(saved >= 0 && fd >= 0);
    assert_int_equal(dup2(fd, STDIN_FILENO), STDIN_FILENO);
    close(fd);
    assert_int_equal(bimo_csv_open_path("-", NULL, &r, &err), BIMO_OK);
    assert_string_equal(bimo_csv_name(r), "stdin");
    char *in = dump(r);
    assert_string_equal(in, mem);
    bimo_csv_close(r);
    assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
    close(saved);
    assert_int_equal(fcntl(STDIN_FILENO, F_GETFD), 0); /* still open */

    unlink(path);
    free(path);
    free(mem);
    free(file);
    free(in);
}

static void sha256_of_known_input(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        size_t len;
        const char *sha;
    } vectors[] = {
        {IN("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {IN(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    };
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        bimo_csv_reader *r = open_mem(vectors[i].in, vectors[i].len, NULL);
        char hex[65];
        if (vectors[i].len) {
            bimo_csv_sha256_hex(r, hex);
            assert_string_equal(hex, ""); /* not before the end */
        }
        free(dump(r));
        bimo_csv_sha256_hex(r, hex);
        assert_string_equal(hex, vectors[i].sha);
        assert_int_equal(bimo_csv_bytes_read(r), vectors[i].len);
        assert_int_equal(bimo_csv_total_bytes(r), vectors[i].len);
        bimo_csv_close(r);
    }
    /* From a file, in chunks. */
    char *path = write_temp(IN("abc"));
    bimo_csv_options opt = {.read_chunk = 1};
    bimo_csv_reader *r;
    bimo_error err;
    assert_int_equal(bimo_csv_open_path(path, &opt, &r, &err), BIMO_OK);
    free(dump(r));
    char hex[65];
    bimo_csv_sha256_hex(r, hex);
    assert_string_equal(hex, vectors[0].sha);
    bimo_csv_close(r);
    unlink(path);
    free(path);
}

/* A generated input of about 1.5 MB: rows of varying length, every 7th with a quoted field
 * that spans a CRLF, every 11th with umlauts, every 13th followed by a blank line. */
typedef struct {
    char *data;
    size_t len;
    long rows;
} big_input;

static void big_field(long i, char *buf, size_t size)
{
    size_t n = (size_t)(i * 37 % 300);
    snprintf(buf, size, "v%ld:", i);
    size_t at = strlen(buf);
    for (size_t k = 0; k < n && at + 1 < size; k++)
        buf[at++] = (char)('a' + (i + (long)k) % 26);
    buf[at] = '\0';
}

static big_input make_big(void)
{
    big_input b = {0};
    FILE *f = open_memstream(&b.data, &b.len);
    fputs("id;text;note\r\n", f);
    char field[400];
    for (long i = 1; b.rows = i - 1, ftell(f) < 1500000; i++) {
        big_field(i, field, sizeof field);
        if (i % 7 == 0)
            fprintf(f, "%ld;\"%s\r\n\"\"second\"\" line\";x\r\n", i, field);
        else if (i % 11 == 0)
            fprintf(f,
                    "%ld;%s;Gr\xC3\xBC\xC3\x9F"
                    "e\r\n",
                    i, field);
        else
            fprintf(f, "%ld;%s;\r\n", i, field);
        if (i % 13 == 0)
            fputs("\r\n", f);
    }
    fclose(f);
    return b;
}

static void check_big(bimo_csv_reader *r, long rows)
{
    const bimo_csv_record *rec;
    bimo_error err;
    char field[400], text[500];
    assert_int_equal(bimo_csv_next(r, &rec, &err), BIMO_OK);
    assert_non_null(rec);
    assert_int_equal(rec->nfields, 3);
    long line = 2;
    for (long i = 1; i <= rows; i++) {
        assert_int_equal(bimo_csv_next(r, &rec, &err), BIMO_OK);
        assert_non_null(rec);
        assert_null(rec->reject_reason);
        assert_int_equal(rec->nfields, 3);
        assert_int_equal(strtol(rec->fields[0], NULL, 10), i);
        assert_int_equal(rec->line, line);
        big_field(i, field, sizeof field);
        if (i % 7 == 0) {
            snprintf(text, sizeof text, "%s\r\n\"second\" line", field);
            assert_string_equal(rec->fields[1], text);
            assert_string_equal(rec->fields[2], "x");
            assert_int_equal(rec->last_line, line + 1);
        } else {
            assert_string_equal(rec->fields[1], field);
            assert_string_equal(rec->fields[2], i % 11 == 0 ? "Gr\xC3\xBC\xC3\x9F"
                                                              "e"
                                                            : "");
            assert_int_equal(rec->last_line, line);
        }
        line = rec->last_line + 1 + (i % 13 == 0);
    }
    assert_int_equal(bimo_csv_next(r, &rec, &err), BIMO_OK);
    assert_null(rec);
    assert_int_equal(bimo_csv_blank_lines(r), rows / 13);
}

static void chunk_boundaries(void **state)
{
    (void)state;
    big_input b = make_big();
    assert_true(b.len > 1400000);
    unsigned char h[crypto_hash_sha256_BYTES];
    char expect[65], hex[65];
    crypto_hash_sha256(h, (const unsigned char *)b.data, b.len);
    sodium_bin2hex(expect, sizeof expect, h, sizeof h);

    bimo_csv_reader *r = open_mem(b.data, b.len, NULL);
    check_big(r, b.rows);
    bimo_csv_sha256_hex(r, hex);
    assert_string_equal(hex, expect);
    bimo_csv_close(r);

    /* From a file: large enough for the read-ahead thread, with the default chunk (records
     * straddle the 256 KiB boundaries) and with an odd small chunk (many hand-overs). */
    char *path = write_temp(b.data, b.len);
    static const size_t chunks[] = {0, 4093};
    for (size_t k = 0; k < 2; k++) {
        bimo_csv_options opt = {.read_chunk = chunks[k]};
        bimo_error err;
        assert_int_equal(bimo_csv_open_path(path, &opt, &r, &err), BIMO_OK);
        check_big(r, b.rows);
        bimo_csv_sha256_hex(r, hex);
        assert_string_equal(hex, expect);
        assert_int_equal(bimo_csv_bytes_read(r), b.len);
        assert_int_equal(bimo_csv_total_bytes(r), b.len);
        bimo_csv_close(r);
    }
    /* Closing early stops the read-ahead thread. */
    bimo_csv_options small = {.read_chunk = 1000};
    bimo_error err;
    const bimo_csv_record *rec;
    assert_int_equal(bimo_csv_open_path(path, &small, &r, &err), BIMO_OK);
    assert_int_equal(bimo_csv_next(r, &rec, &err), BIMO_OK);
    assert_non_null(rec);
    bimo_csv_close(r);
    unlink(path);
    free(path);
    free(b.data);
}

static void put_run(FILE *f, int c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fputc(c, f);
}

/* Real-size limits: a field of 1 MiB + 1 is rejected, one of exactly 1 MiB is not, and a
 * physical line over 4 MiB is skipped without stopping the reader. */
static void one_mib_limits(void **state)
{
    (void)state;
    char *in = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&in, &n);
    fputs("a;b\n1;", f);
    put_run(f, 'x', MIB + 1);
    fputs("\n2;\"", f);
    put_run(f, 'y', MIB);
    fputs("\"\n3;", f);
    put_run(f, 'z', 5 * MIB);
    fputs("\n4;end\n", f);
    fclose(f);

    bimo_csv_reader *r = open_mem(in, n, NULL);
    const bimo_csv_record *rec;
    bimo_error err;
    assert_int_equal(bimo_csv_next(r, &rec, &err), BIMO_OK); /* header */
    assert_int_equal(bimo_csv_next(r, &rec, &err), BIMO_OK);
    assert_string_equal(rec->reject_reason, "field in column 2 is longer than 1 MiB");
    assert_int_equal(rec->reject_column, 2);
    assert_int_equal(rec->line, 2);
    assert_int_equal(rec->raw_len, 2 + MIB + 1);
    assert_int_equal(bimo_csv_next(r, &rec, &err), BIMO_OK);
    assert_null(rec->reject_reason);
    assert_int_equal(rec->lengths[1], MIB);
    assert_int_equal(rec->line, 3);
    assert_int_equal(bimo_csv_next(r, &rec, &err), BIMO_OK);
    assert_string_equal(rec->reject_reason, "line is longer than 4 MiB");
    assert_int_equal(rec->line, 4);
    assert_int_equal(rec->raw_len, 4 * MIB);
    assert_int_equal(bimo_csv_next(r, &rec, &err), BIMO_OK);
    assert_null(rec->reject_reason);
    assert_string_equal(rec->fields[1], "end");
    assert_int_equal(rec->line, 5);
    assert_int_equal(bimo_csv_next(r, &rec, &err), BIMO_OK);
    assert_null(rec);
    bimo_csv_close(r);
    free(in);
}

/* With the default limit of 100 lines, a stray quote costs exactly its own row. */
static void stray_quote_costs_one_row(void **state)
{
    (void)state;
    char *in = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&in, &len);
    fputs("id;wert\n1;\"offen\n", f);
    for (int i = 2; i <= 151; i++)
        fprintf(f, "%d;w%d\n", i, i);
    fclose(f);
    bimo_csv_reader *r = open_mem(in, len, NULL);
    const bimo_csv_record *rec;
    bimo_error err;
    assert_int_equal(bimo_csv_next(r, &rec, &err), BIMO_OK);
    assert_int_equal(bimo_csv_next(r, &rec, &err), BIMO_OK);
    assert_string_equal(rec->reject_reason, "unterminated quote");
    assert_int_equal(rec->reject_column, 2);
    assert_int_equal(rec->line, 2);
    assert_int_equal(rec->last_line, 2);
    assert_string_equal(rec->raw, "1;\"offen");
    for (int i = 2; i <= 151; i++) {
        assert_int_equal(bimo_csv_next(r, &rec, &err), BIMO_OK);
        assert_non_null(rec);
        assert_null(rec->reject_reason);
        assert_int_equal(rec->line, i + 1);
        assert_int_equal(atoi(rec->fields[0]), i);
    }
    assert_int_equal(bimo_csv_next(r, &rec, &err), BIMO_OK);
    assert_null(rec);
    bimo_csv_close(r);
    free(in);
}

static void facts_known_after_first_record(void **state)
{
    (void)state;
    bimo_csv_reader *r = open_mem(IN("a,b\n1,2\n"), NULL);
    assert_int_equal(bimo_csv_delimiter(r), 0);
    assert_int_equal(bimo_csv_lines(r), 0);
    const bimo_csv_record *rec;
    bimo_error err;
    assert_int_equal(bimo_csv_next(r, &rec, &err), BIMO_OK);
    assert_int_equal(bimo_csv_delimiter(r), ',');
    assert_string_equal(bimo_csv_encoding(r), "utf-8");
    assert_int_equal(bimo_csv_lines(r), 1);
    bimo_csv_close(r);

    bimo_csv_options opt = {.encoding = "CP1252", .delimiter = '\t'};
    r = open_mem(IN("a\tb\n"), &opt);
    assert_int_equal(bimo_csv_delimiter(r), '\t');
    assert_string_equal(bimo_csv_encoding(r), "cp1252");
    bimo_csv_close(r);
}

static void open_errors(void **state)
{
    (void)state;
    bimo_csv_reader *r = (bimo_csv_reader *)1;
    bimo_error err;
    assert_int_equal(bimo_csv_open_path("/nonexistent/x.csv", NULL, &r, &err), BIMO_ERR_NOINPUT);
    assert_null(r);
    assert_string_equal(err.file, "/nonexistent/x.csv");
    assert_non_null(strstr(err.message, "No such file"));
    assert_int_equal(bimo_csv_open_path("/tmp", NULL, &r, &err), BIMO_ERR_NOINPUT);
    assert_non_null(strstr(err.message, "directory"));

    bimo_csv_options bad_enc = {.encoding = "latin9"};
    assert_int_equal(bimo_csv_open_memory(IN("a"), "x.csv", &bad_enc, &r, &err), BIMO_ERR_ARG);
    assert_null(r);
    assert_non_null(strstr(err.message, "latin9"));
    bimo_csv_options bad_delim = {.delimiter = '|'};
    assert_int_equal(bimo_csv_open_memory(IN("a"), "x.csv", &bad_delim, &r, &err), BIMO_ERR_ARG);
    assert_int_equal(bimo_csv_open_memory(NULL, 3, "x.csv", NULL, &r, &err), BIMO_ERR_ARG);
    bimo_csv_close(NULL);
}

/* A read that fails is BIMO_ERR_IO, and stays so. */
static void read_error_is_sticky(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    int saved = dup(STDIN_FILENO);
    assert_int_equal(dup2(fds[1], STDIN_FILENO), STDIN_FILENO); /* write end: read fails */
    bimo_csv_reader *r;
    bimo_error err;
    assert_int_equal(bimo_csv_open_path("-", NULL, &r, &err), BIMO_OK);
    const bimo_csv_record *rec;
    assert_int_equal(bimo_csv_next(r, &rec, &err), BIMO_ERR_IO);
    assert_null(rec);
    assert_string_equal(err.file, "stdin");
    assert_non_null(strstr(err.message, "read failed"));
    assert_int_equal(bimo_csv_next(r, &rec, &err), BIMO_ERR_IO);
    bimo_csv_close(r);
    assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
    close(saved);
    close(fds[0]);
    close(fds[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_cases),
        cmocka_unit_test(file_stdin_and_memory_agree),
        cmocka_unit_test(sha256_of_known_input),
        cmocka_unit_test(chunk_boundaries),
        cmocka_unit_test(one_mib_limits),
        cmocka_unit_test(stray_quote_costs_one_row),
        cmocka_unit_test(facts_known_after_first_record),
        cmocka_unit_test(open_errors),
        cmocka_unit_test(read_error_is_sticky),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
