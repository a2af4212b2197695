/* table_import.c — bimo import table NAME FILE: any CSV (a published table of a statistical
 * office, say) into ext_NAME, with columns typed by inspection and official-statistics symbols
 * kept beside the values.
 *
 * The file is read once. Every data row goes as text into a temporary staging table while
 * each column's statistics (bimo_col_stats, constant memory) record which types its values
 * fit. At the end ext_NAME is created with the inferred types and filled from the staging
 * table, converting as it goes — all in one transaction, so a re-import replaces the table
 * atomically and a rolled-back import leaves the previous one untouched.
 *
 * Decisions:
 * - Symbols (DOMAIN §6) stand for a value that was not published. They are stored as NULL
 *   with the symbol in <column>_symbol; "missing, never 0" holds for every one of them,
 *   also for "-"/"–" ("exactly zero"): the office published a sign, not a number, and a
 *   NULL keeps sums honest about that. Symbols are recognised only in columns whose other
 *   values are numbers or dates: in a text column a lone "x" or "-" is data (sex code x).
 * - Numbers: one style per column. A comma or a multi-group "1.234.567" makes the column
 *   German (dots group thousands), a value only a decimal point fits ("12.5") makes it
 *   plain; both in one column make it TEXT. "1.234" alone is read as German 1234.
 * - Codes with a leading zero ("03459", AGS "03459024") make the column TEXT.
 * - Dates (DD.MM.YYYY or YYYY-MM-DD) are stored as integers yyyymmdd like the registry
 *   facts, in a column declared DATE, so they compare with snapshot.stichtag directly.
 * - Title lines above the header are skipped. The header is the first of the first 50 lines
 *   as wide as most of them (or the line given); the delimiter is sniffed from those lines,
 *   not from the first, which is a title. Short rows with at most one text are notes
 *   ("footer or note line"); rows whose only content is their first cell are held back until
 *   it is known whether data follow. Notes below the last data row are rejects that do not
 *   count against the threshold: every published table has them, they are no fault of it.
 * - The staging table lives in SQLite's temp database, a file unless temp_store is MEMORY,
 *   so memory stays bounded for files of millions of rows. */
#include "table_import.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bimo.h"
#include "csv_reader.h"
#include "error.h"
#include "provenance.h"
#include "store.h"
#include "values.h"

#define LOOKAHEAD         50  /* records inspected to find the header */
#define MAX_TABLE_COLUMNS 999 /* with the symbol columns within SQLite's 2000 */
#define NAME_MAX_LEN      60
#define PROGRESS_ROWS     65536
#define NOTE_REASON       "footer or note line"

/* ---- Symbols -------------------------------------------------------------------------- */

int bimo_table_is_symbol(const char *s, size_t len)
{
    static const char *const symbols[] = {"-",
                                          "\xE2\x80\x93" /* – */,
                                          "\xE2\x80\x94" /* — */,
                                          ".",
                                          "\xE2\x80\xA2" /* • */,
                                          "x",
                                          "X",
                                          "/",
                                          "\xE2\x80\xA6" /* … */,
                                          "...",
                                          "*",
                                          "k",
                                          "g",
                                          "u",
                                          "t",
                                          "[n]",
                                          "[g]",
                                          "[u]",
                                          "[x]",
                                          "[t]",
                                          "[k]",
                                          NULL};
    if (len == 0 || len > 3)
        return 0;
    for (int i = 0; symbols[i]; i++)
        if (strlen(symbols[i]) == len && memcmp(symbols[i], s, len) == 0)
            return 1;
    return 0;
}

/* ---- Numbers -------------------------------------------------------------------------- */

typedef enum {
    SHAPE_NONE,      /* no number, or a code with a leading zero */
    SHAPE_INT,       /* 1234 */
    SHAPE_GROUPED,   /* 1.234.567 or 1.234,5: only German grouping fits */
    SHAPE_AMBIGUOUS, /* 1.234: German 1234 or plain 1.234 */
    SHAPE_COMMA,     /* 12,5 */
    SHAPE_DOT,       /* 12.5: only a decimal point fits */
} number_shape;

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static size_t count_digits(const char *s, size_t len, size_t i)
{
    size_t n = 0;
    while (i + n < len && is_digit(s[i + n]))
        n++;
    return n;
}

/* A decimal part after position i (at ',' or '.'): the mark, then digits to the end. */
static int fraction_to_end(const char *s, size_t len, size_t i)
{
    size_t n = count_digits(s, len, i + 1);
    return n > 0 && i + 1 + n == len;
}

/* Classifies s; *digits is the number of digits in it. */
static number_shape shape_of(const char *s, size_t len, size_t *digits)
{
    size_t i = 0;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        i++;
    size_t lead = count_digits(s, len, i);
    if (lead == 0)
        return SHAPE_NONE;
    size_t start = i;
    i += lead;
    *digits = lead;
    /* German thousands grouping: 1-3 digits (no leading zero), then groups of ".ddd". */
    if (lead <= 3 && s[start] != '0') {
        size_t j = i;
        int groups = 0;
        while (j + 4 <= len && s[j] == '.' && count_digits(s, len, j + 1) >= 3 &&
               (j + 4 == len || s[j + 4] == '.' || s[j + 4] == ',')) {
            j += 4;
            groups++;
        }
        if (groups > 0 && j == len) {
            *digits += 3 * (size_t)groups;
            return groups == 1 ? SHAPE_AMBIGUOUS : SHAPE_GROUPED;
        }
        if (groups > 0 && s[j] == ',' && fraction_to_end(s, len, j)) {
            *digits += 3 * (size_t)groups + (len - j - 1);
            return SHAPE_GROUPED;
        }
    }
    if (lead > 1 && s[start] == '0')
        return SHAPE_NONE; /* 03459: a code, not a number */
    if (i == len)
        return SHAPE_INT;
    if ((s[i] == ',' || s[i] == '.') && fraction_to_end(s, len, i)) {
        *digits += len - i - 1;
        return s[i] == ',' ? SHAPE_COMMA : SHAPE_DOT;
    }
    return SHAPE_NONE;
}

/* Reads the digits of s as one integer, skipping the marks; the caller checked the shape.
 * *scale is the number of digits after the decimal mark `mark` (0 if there is none). */
static int64_t mantissa(const char *s, size_t len, char mark, int *scale)
{
    int64_t v = 0;
    int after = 0, seen_mark = 0;
    for (size_t i = 0; i < len; i++) {
        if (is_digit(s[i])) {
            v = v * 10 + (s[i] - '0');
            after += seen_mark;
        } else if (s[i] == mark) {
            seen_mark = 1;
        }
    }
    *scale = after;
    return s[0] == '-' ? -v : v;
}

int bimo_col_parse_int(const char *s, size_t len, int64_t *out)
{
    size_t digits = 0;
    number_shape sh = shape_of(s, len, &digits);
    if ((sh != SHAPE_INT && sh != SHAPE_GROUPED && sh != SHAPE_AMBIGUOUS) || digits > 18)
        return -1;
    if (sh == SHAPE_GROUPED && memchr(s, ',', len))
        return -1;
    int scale;
    *out = mantissa(s, len, ',', &scale);
    return 0;
}

int bimo_col_parse_real(const char *s, size_t len, bimo_num_style style, double *out)
{
    size_t digits = 0;
    number_shape sh = shape_of(s, len, &digits);
    if (sh == SHAPE_NONE || digits > 18)
        return -1;
    char mark = ',';
    if (style == BIMO_NUM_PLAIN) {
        if (sh == SHAPE_GROUPED || sh == SHAPE_COMMA)
            return -1;
        mark = '.';
    } else if (sh == SHAPE_DOT) {
        return -1;
    }
    int scale;
    int64_t m = mantissa(s, len, mark, &scale);
    /* Exact for up to 15 digits: both operands are exact doubles, the quotient is rounded
     * once. Independent of the locale, unlike strtod. */
    double p = 1;
    for (int k = 0; k < scale; k++)
        p *= 10;
    *out = (double)m / p;
    return 0;
}

/* ---- Column statistics ------------------------------------------------------------------ */

void bimo_col_observe(bimo_col_stats *c, const char *s, size_t len)
{
    if (len == 0)
        return;
    if (bimo_table_is_symbol(s, len)) {
        c->symbols++;
        return;
    }
    c->values++;
    if (c->not_number && c->not_date)
        return; /* text already: nothing more to learn */
    size_t digits = 0;
    switch (shape_of(s, len, &digits)) {
    case SHAPE_NONE: c->not_number = 1; break;
    case SHAPE_INT: break;
    case SHAPE_GROUPED: c->grouped = 1; break;
    case SHAPE_AMBIGUOUS: c->ambiguous = 1; break;
    case SHAPE_COMMA: c->comma = 1; break;
    case SHAPE_DOT: c->dot = 1; break;
    }
    if (digits > 18)
        c->not_number = 1; /* identifiers too long for an integer stay text */
    if (!c->not_number) {
        c->not_date = 1;
        return;
    }
    int32_t ymd;
    if (!c->not_date && bimo_parse_date(s, len, &ymd) != 0)
        c->not_date = 1;
}

void bimo_col_merge(bimo_col_stats *into, const bimo_col_stats *from)
{
    if (from->values == 0 && from->symbols == 0)
        return;
    into->values += from->values;
    into->symbols += from->symbols;
    into->not_number |= from->not_number;
    into->not_date |= from->not_date;
    into->comma |= from->comma;
    into->dot |= from->dot;
    into->grouped |= from->grouped;
    into->ambiguous |= from->ambiguous;
}

bimo_col_type bimo_col_decide(const bimo_col_stats *c, bimo_num_style *style)
{
    *style = BIMO_NUM_GERMAN;
    if (c->values == 0)
        return c->symbols ? BIMO_COL_INTEGER : BIMO_COL_TEXT;
    if (!c->not_number) {
        int german = c->comma || c->grouped;
        if (german && c->dot)
            return BIMO_COL_TEXT; /* both styles in one column: nothing safe to read */
        if (c->dot) {
            *style = BIMO_NUM_PLAIN;
            return BIMO_COL_REAL;
        }
        return c->comma ? BIMO_COL_REAL : BIMO_COL_INTEGER;
    }
    if (!c->not_date)
        return BIMO_COL_DATE;
    return BIMO_COL_TEXT;
}

/* ---- Names ------------------------------------------------------------------------------ */

int bimo_table_name_valid(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n < 1 || n > 41 || name[0] < 'a' || name[0] > 'z')
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!((name[i] >= 'a' && name[i] <= 'z') || is_digit(name[i]) || name[i] == '_'))
            return 0;
    return 1;
}

/* The ASCII spelling of a German letter at s (UTF-8), or NULL; *used is its byte length. */
static const char *fold_letter(const unsigned char *s, size_t len, size_t *used)
{
    if (len < 2 || s[0] != 0xC3)
        return NULL;
    *used = 2;
    switch (s[1]) {
    case 0xA4:
    case 0x84: return "ae";
    case 0xB6:
    case 0x96: return "oe";
    case 0xBC:
    case 0x9C: return "ue";
    case 0x9F: return "ss";
    }
    return NULL;
}

size_t bimo_table_column_name(const char *text, size_t len, int index, char *out, size_t size)
{
    size_t cap = size - 1 < NAME_MAX_LEN ? size - 1 : NAME_MAX_LEN;
    const unsigned char *s = (const unsigned char *)text;
    size_t n = 0;
    int gap = 0;
    for (size_t i = 0; i < len && n < cap;) {
        size_t used = 1;
        const char *fold = fold_letter(s + i, len - i, &used);
        char one[2] = {0, 0};
        if (!fold && ((s[i] >= 'a' && s[i] <= 'z') || is_digit((char)s[i])))
            one[0] = (char)s[i];
        else if (!fold && s[i] >= 'A' && s[i] <= 'Z')
            one[0] = (char)(s[i] + 32);
        if (!fold && !one[0]) {
            gap = 1; /* anything else separates words */
            i++;
            continue;
        }
        const char *add = fold ? fold : one;
        if (gap && n > 0 && n < cap)
            out[n++] = '_';
        gap = 0;
        for (; *add && n < cap; add++)
            out[n++] = *add;
        i += used;
    }
    while (n > 0 && out[n - 1] == '_') /* a separator added just before the cap */
        n--;
    out[n] = '\0';
    if (n == 0)
        return (size_t)snprintf(out, size, "column_%d", index + 1);
    if (is_digit(out[0]) && cap >= 2) { /* the prefix counts against the cap too */
        size_t keep = n + 2 <= cap ? n : cap - 2;
        memmove(out + 2, out, keep);
        memcpy(out, "c_", 2);
        n = keep + 2;
        while (n > 0 && out[n - 1] == '_')
            n--;
        out[n] = '\0';
    }
    return n;
}

/* ---- The import ------------------------------------------------------------------------- */

/* A record copied out of the reader (which reuses its buffers), for the header lookahead. */
typedef struct {
    bimo_csv_record rec;
    char *block;
    const char **fields;
    size_t *lengths;
} saved_record;

typedef struct {
    sqlite3 *db;
    const bimo_import_options *opt;
    const char *name;      /* NAME */
    const char *file_name; /* as recorded */
    bimo_error *err;
    bimo_csv_reader *r;
    bimo_rejects rj;
    int64_t import_id;
    char started[32];
    char table[48]; /* ext_NAME */

    int64_t rows_read, rows_loaded, lines_skipped;
    int64_t held;           /* rows held back since the last data row (see take_row) */
    int64_t notes_after;    /* notes rejected since the last data row */
    int64_t last_data_line; /* 0 until a data row was seen */
    int64_t next_progress;

    int width;           /* fields of the header line, trailing empty ones included */
    int named;           /* fields up to its last non-empty one: a row needs that many */
    int ncols;           /* columns of ext_NAME: width less empty unnamed ones at the end */
    char **names;        /* column names in ext_NAME */
    char **symbol_names; /* NULL for columns without a symbol column */
    bimo_col_stats *stats, *held_stats;
    bimo_col_type *types;
    bimo_num_style *styles;
    sqlite3_stmt *stage;

    saved_record ahead[LOOKAHEAD];
    int nahead;
} table_import;

static bimo_status nomem(table_import *ti)
{
    return bimo_fail(ti->err, BIMO_ERR_NOMEM, "out of memory");
}

static int save_record(saved_record *s, const bimo_csv_record *rec)
{
    size_t bytes = rec->raw_len + 1 + (rec->reject_reason ? strlen(rec->reject_reason) + 1 : 0);
    for (size_t f = 0; f < rec->nfields; f++)
        bytes += rec->lengths[f] + 1;
    memset(s, 0, sizeof *s);
    s->block = malloc(bytes);
    s->fields = calloc(rec->nfields + 1, sizeof *s->fields);
    s->lengths = calloc(rec->nfields + 1, sizeof *s->lengths);
    if (!s->block || !s->fields || !s->lengths)
        return -1;
    char *p = s->block;
    for (size_t f = 0; f < rec->nfields; f++) {
        memcpy(p, rec->fields[f], rec->lengths[f] + 1);
        s->fields[f] = p;
        s->lengths[f] = rec->lengths[f];
        p += rec->lengths[f] + 1;
    }
    memcpy(p, rec->raw, rec->raw_len);
    p[rec->raw_len] = '\0';
    s->rec = *rec;
    s->rec.raw = p;
    p += rec->raw_len + 1;
    if (rec->reject_reason) {
        strcpy(p, rec->reject_reason);
        s->rec.reject_reason = p;
    }
    s->rec.fields = s->fields;
    s->rec.lengths = s->lengths;
    return 0;
}

static void free_saved(saved_record *s)
{
    free(s->block);
    free(s->fields);
    free(s->lengths);
    memset(s, 0, sizeof *s);
}

/* Fields up to the last non-empty one: exports pad title lines with delimiters. */
static size_t used_fields(const bimo_csv_record *rec)
{
    size_t n = rec->nfields;
    while (n > 0 && rec->lengths[n - 1] == 0)
        n--;
    return n;
}

/* ---- Delimiter ------------------------------------------------------------------------ */

/* The reader sniffs the delimiter from the first line, which in a published table is a title
 * ("Bevölkerung nach Geschlecht, Stichtag 31.12."). For a file, look at its first lines
 * instead: the delimiter is the candidate that occurs the same non-zero number of times on
 * the most lines. Returns 0 when undecided (then the reader sniffs, e.g. for stdin). */
static int sniff_table_delimiter(const char *path)
{
    if (strcmp(path, "-") == 0)
        return 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    struct stat st;
    char buf[65536];
    ssize_t got = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? read(fd, buf, sizeof buf) : -1;
    close(fd);
    if (got <= 0)
        return 0;
    static const char cand[3] = {';', '\t', ','};
    int counts[3][LOOKAHEAD];
    int lines = 0, quoted = 0;
    int cur[3] = {0, 0, 0};
    const char *p = buf, *end = buf + got;
    if (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    if (end - p >= 4 && strncasecmp(p, "sep=", 4) == 0)
        return 0; /* the reader honours the sep= line */
    for (; p < end && lines < LOOKAHEAD; p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (!quoted && (*p == '\n' || *p == '\r')) {
            if (*p == '\r' && p + 1 < end && p[1] == '\n')
                p++;
            for (int c = 0; c < 3; c++) {
                counts[c][lines] = cur[c];
                cur[c] = 0;
            }
            lines++;
        } else if (!quoted) {
            for (int c = 0; c < 3; c++)
                cur[c] += *p == cand[c];
        }
    }
    int best = -1, best_freq = 1; /* one line alone decides nothing */
    for (int c = 0; c < 3; c++) {
        /* On how many lines the commonest non-zero count of this candidate occurs; on a tie
         * the earlier candidate wins. */
        int freq_c = 0;
        for (int a = 0; a < lines; a++) {
            int freq = 0;
            for (int b = 0; b < lines && counts[c][a]; b++)
                freq += counts[c][b] == counts[c][a];
            if (freq > freq_c)
                freq_c = freq;
        }
        if (freq_c > best_freq) {
            best = c;
            best_freq = freq_c;
        }
    }
    return best >= 0 ? cand[best] : 0;
}

/* ---- Header ----------------------------------------------------------------------------- */

/* A header like ",,insgesamt,in Prozent," (the second line of a two-line header) can end in
 * empty cells over columns that hold data, so every field of the header counts; unnamed
 * columns at the end that stay empty are left out of the table (decide_columns). */
static bimo_status plan_columns(table_import *ti, const bimo_csv_record *hdr)
{
    size_t n = hdr->nfields;
    ti->named = (int)used_fields(hdr);
    if (ti->named == 0)
        return bimo_fail_at(ti->err, BIMO_ERR_DATA, ti->file_name, hdr->line, 0,
                            "the header line is empty");
    if (n > MAX_TABLE_COLUMNS)
        return bimo_fail_at(ti->err, BIMO_ERR_DATA, ti->file_name, hdr->line, 0,
                            "the header has %zu columns; at most %d are supported", n,
                            MAX_TABLE_COLUMNS);
    ti->width = (int)n;
    ti->names = calloc(n, sizeof *ti->names);
    ti->symbol_names = calloc(n, sizeof *ti->symbol_names);
    ti->stats = calloc(n, sizeof *ti->stats);
    ti->held_stats = calloc(n, sizeof *ti->held_stats);
    ti->types = calloc(n, sizeof *ti->types);
    ti->styles = calloc(n, sizeof *ti->styles);
    if (!ti->names || !ti->symbol_names || !ti->stats || !ti->held_stats || !ti->types ||
        !ti->styles)
        return nomem(ti);
    for (size_t f = 0; f < n; f++) {
        char base[NAME_MAX_LEN + 1], name[NAME_MAX_LEN + 16];
        bimo_table_column_name(hdr->fields[f], hdr->lengths[f], (int)f, base, sizeof base);
        snprintf(name, sizeof name, "%s", base);
        for (int k = 2;; k++) { /* duplicates ("Insgesamt" twice) become insgesamt_2 */
            int taken = 0;
            for (size_t g = 0; g < f && !taken; g++)
                taken = strcmp(ti->names[g], name) == 0;
            if (!taken)
                break;
            snprintf(name, sizeof name, "%s_%d", base, k);
        }
        if (!(ti->names[f] = strdup(name)))
            return nomem(ti);
    }
    return BIMO_OK;
}

/* Picks the header among the first records: the first whose used field count reaches the
 * most frequent one. Title lines above a table and notes below it have a single text each,
 * so they are left out of the count when any line has more; data rows with empty last cells
 * have fewer fields than the header, hence "reaches". */
static int auto_header(const table_import *ti)
{
    size_t used[LOOKAHEAD], min_used = 1;
    for (int i = 0; i < ti->nahead; i++) {
        const bimo_csv_record *a = &ti->ahead[i].rec;
        used[i] = a->reject_reason ? 0 : used_fields(a);
        if (used[i] >= 2)
            min_used = 2;
    }
    size_t best_count = 0;
    int best_freq = 0;
    for (int i = 0; i < ti->nahead; i++) {
        if (used[i] < min_used)
            continue;
        int freq = 0;
        for (int j = 0; j < ti->nahead; j++)
            freq += used[j] == used[i];
        if (freq > best_freq || (freq == best_freq && used[i] > best_count)) {
            best_freq = freq;
            best_count = used[i];
        }
    }
    for (int i = 0; i < ti->nahead; i++)
        if (best_count > 0 && used[i] >= best_count)
            return i;
    return -1;
}

/* ---- Staging ---------------------------------------------------------------------------- */

static bimo_status create_stage(table_import *ti)
{
    sqlite3_str *s = sqlite3_str_new(ti->db);
    sqlite3_str_appendall(s, "DROP TABLE IF EXISTS temp.bimo_table_stage;"
                             "CREATE TEMP TABLE bimo_table_stage (line INTEGER PRIMARY KEY,"
                             " raw TEXT");
    for (int c = 0; c < ti->width; c++)
        sqlite3_str_appendf(s, ", c%d TEXT", c);
    sqlite3_str_appendall(s, ")");
    char *sql = sqlite3_str_finish(s);
    int rc = sql ? sqlite3_exec(ti->db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    if (rc != SQLITE_OK)
        return bimo_store_fail(ti->db, ti->err, "cannot create the staging table");
    s = sqlite3_str_new(ti->db);
    sqlite3_str_appendall(s, "INSERT INTO temp.bimo_table_stage VALUES (?, ?");
    for (int c = 0; c < ti->width; c++)
        sqlite3_str_appendall(s, ", ?");
    sqlite3_str_appendall(s, ")");
    sql = sqlite3_str_finish(s);
    rc = sql ? sqlite3_prepare_v3(ti->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &ti->stage, NULL)
             : SQLITE_NOMEM;
    sqlite3_free(sql);
    return rc == SQLITE_OK ? BIMO_OK : bimo_store_fail(ti->db, ti->err, "cannot stage rows");
}

static bimo_status stage_row(table_import *ti, const bimo_csv_record *rec, int held)
{
    sqlite3_stmt *q = ti->stage;
    sqlite3_bind_int64(q, 1, rec->line);
    if (held) /* a held-back row may turn out to be a footer: keep its text for the reject */
        sqlite3_bind_text(q, 2, rec->raw, (int)rec->raw_len, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, 2);
    for (int c = 0; c < ti->width; c++) {
        size_t len = (size_t)c < rec->nfields ? rec->lengths[c] : 0;
        if (len)
            sqlite3_bind_text(q, c + 3, rec->fields[c], (int)len, SQLITE_STATIC);
        else
            sqlite3_bind_null(q, c + 3);
    }
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? BIMO_OK : bimo_store_fail(ti->db, ti->err, "cannot stage a row");
}

static void reject(table_import *ti, const bimo_csv_record *rec, long column, const char *reason)
{
    bimo_rejects_add(&ti->rj, rec->line, column, reason, rec->raw, rec->raw_len);
}

/* One record after the header. Rows whose only content is their first cell are held back:
 * below a table they are notes ("Stand: 11.06.2024;;;;"), inside it data (a key with empty
 * values). Which one is known when the next data row comes, or the file ends. */
static bimo_status take_row(table_import *ti, const bimo_csv_record *rec)
{
    ti->rows_read++;
    if (rec->reject_reason) {
        reject(ti, rec, rec->reject_column, rec->reject_reason);
        return BIMO_OK;
    }
    size_t nf = rec->nfields, width = (size_t)ti->width;
    char reason[160];
    for (size_t f = width; f < nf; f++) /* a trailing delimiter adds empty fields */
        if (rec->lengths[f]) {
            snprintf(reason, sizeof reason, "%zu fields, but the header has %d", used_fields(rec),
                     ti->width);
            reject(ti, rec, (long)f + 1, reason);
            return BIMO_OK;
        }
    size_t filled = 0;
    for (size_t f = 0; f < nf && f < width; f++)
        filled += rec->lengths[f] > 0;
    if (nf < (size_t)ti->named) {
        if (filled <= 1) {
            reject(ti, rec, 0, NOTE_REASON);
            ti->notes_after++;
        } else {
            snprintf(reason, sizeof reason, "%zu fields, but the header has %d", nf, ti->named);
            reject(ti, rec, (long)nf, reason);
        }
        return BIMO_OK;
    }
    int held = ti->named >= 2 && (filled == 0 || (filled == 1 && rec->lengths[0] > 0));
    bimo_col_stats *stats = held ? ti->held_stats : ti->stats;
    if (held) {
        ti->held++;
    } else {
        for (int c = 0; c < ti->width && ti->held; c++) {
            bimo_col_merge(&ti->stats[c], &ti->held_stats[c]);
            memset(&ti->held_stats[c], 0, sizeof ti->held_stats[c]);
        }
        ti->held = 0;
        ti->notes_after = 0;
        ti->last_data_line = rec->line;
    }
    for (size_t c = 0; c < nf && c < width; c++) /* missing fields at the end are empty */
        bimo_col_observe(&stats[c], rec->fields[c], rec->lengths[c]);
    bimo_status st = stage_row(ti, rec, held);
    if (st == BIMO_OK && ti->opt->progress && ti->rows_read >= ti->next_progress) {
        bimo_import_progress p = {ti->rows_read, bimo_csv_bytes_read(ti->r),
                                  bimo_csv_total_bytes(ti->r)};
        ti->opt->progress(&p, ti->opt->ctx);
        ti->next_progress += PROGRESS_ROWS;
    }
    return st;
}

/* At the end of the file: rows held back after the last data row are notes below the table;
 * if there was no other data row at all, they are the table. */
static bimo_status settle_held_rows(table_import *ti)
{
    if (!ti->held)
        return BIMO_OK;
    if (!ti->last_data_line) {
        for (int c = 0; c < ti->width; c++)
            bimo_col_merge(&ti->stats[c], &ti->held_stats[c]);
        ti->held = 0;
        return BIMO_OK;
    }
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(ti->db,
                           "SELECT line, raw FROM temp.bimo_table_stage WHERE line > ?"
                           " ORDER BY line",
                           -1, &q, NULL) != SQLITE_OK)
        return bimo_store_fail(ti->db, ti->err, "cannot read the staged rows");
    sqlite3_bind_int64(q, 1, ti->last_data_line);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *raw = (const char *)sqlite3_column_text(q, 1);
        bimo_rejects_add(&ti->rj, sqlite3_column_int64(q, 0), 0, NOTE_REASON, raw ? raw : "",
                         (size_t)sqlite3_column_bytes(q, 1));
        ti->notes_after++;
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        return bimo_store_fail(ti->db, ti->err, "cannot read the staged rows");
    char *sql = sqlite3_mprintf("DELETE FROM temp.bimo_table_stage WHERE line > %lld",
                                (long long)ti->last_data_line);
    rc = sql ? sqlite3_exec(ti->db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    if (rc != SQLITE_OK)
        return bimo_store_fail(ti->db, ti->err, "cannot read the staged rows");
    ti->held = 0;
    return BIMO_OK;
}

/* ---- The table -------------------------------------------------------------------------- */

static const char *type_name(bimo_col_type t)
{
    switch (t) {
    case BIMO_COL_INTEGER: return "INTEGER";
    case BIMO_COL_REAL: return "REAL";
    case BIMO_COL_DATE: return "DATE";
    case BIMO_COL_TEXT: break;
    }
    return "TEXT";
}

static int name_taken(const table_import *ti, const char *name)
{
    for (int c = 0; c < ti->ncols; c++)
        if (strcmp(ti->names[c], name) == 0 ||
            (ti->symbol_names[c] && strcmp(ti->symbol_names[c], name) == 0))
            return 1;
    return 0;
}

/* Types every column and names the symbol columns (<column>_symbol, made unique). */
static bimo_status decide_columns(table_import *ti)
{
    ti->ncols = ti->width;
    while (ti->ncols > ti->named && ti->stats[ti->ncols - 1].values == 0 &&
           ti->stats[ti->ncols - 1].symbols == 0)
        ti->ncols--;
    for (int c = 0; c < ti->ncols; c++) {
        ti->types[c] = bimo_col_decide(&ti->stats[c], &ti->styles[c]);
        if (ti->types[c] == BIMO_COL_TEXT || ti->stats[c].symbols == 0)
            continue;
        char name[NAME_MAX_LEN + 32];
        snprintf(name, sizeof name, "%s_symbol", ti->names[c]);
        for (int k = 2; name_taken(ti, name); k++)
            snprintf(name, sizeof name, "%s_symbol_%d", ti->names[c], k);
        if (!(ti->symbol_names[c] = strdup(name)))
            return nomem(ti);
    }
    char list[480];
    size_t n = 0;
    list[0] = '\0';
    for (int c = 0; c < ti->ncols && n + 1 < sizeof list; c++)
        n += (size_t)snprintf(list + n, sizeof list - n, "%s%s %s%s", c ? ", " : "", ti->names[c],
                              type_name(ti->types[c]), ti->symbol_names[c] ? " (+ symbol)" : "");
    if (n >= sizeof list)
        memcpy(list + sizeof list - 4, "...", 4);
    bimo_import_notice(ti->opt, "%s: %s", ti->table, list);
    /* "1.234" alone could be either; say how it was read unless the column settled it. */
    n = 0;
    list[0] = '\0';
    for (int c = 0; c < ti->ncols && n + 1 < sizeof list; c++) {
        const bimo_col_stats *st = &ti->stats[c];
        if (ti->types[c] == BIMO_COL_INTEGER && st->ambiguous && !st->grouped && !st->comma)
            n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", n ? ", " : "", ti->names[c]);
    }
    if (n >= sizeof list)
        memcpy(list + sizeof list - 4, "...", 4);
    if (n)
        bimo_import_notice(
            ti->opt, "%s: values such as \"1.234\" are read as German thousands (1234) in: %s",
            ti->table, list);
    return BIMO_OK;
}

static bimo_status create_table(table_import *ti)
{
    sqlite3_str *s = sqlite3_str_new(ti->db);
    sqlite3_str_appendf(s, "DROP TABLE IF EXISTS main.\"%w\"; CREATE TABLE main.\"%w\" (",
                        ti->table, ti->table);
    for (int c = 0; c < ti->ncols; c++) {
        sqlite3_str_appendf(s, "%s\"%w\" %s", c ? ", " : "", ti->names[c], type_name(ti->types[c]));
        if (ti->symbol_names[c])
            sqlite3_str_appendf(s, ", \"%w\" TEXT", ti->symbol_names[c]);
    }
    sqlite3_str_appendall(s, ")");
    char *sql = sqlite3_str_finish(s);
    int rc = sql ? sqlite3_exec(ti->db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    return rc == SQLITE_OK ? BIMO_OK : bimo_store_fail(ti->db, ti->err, "cannot create the table");
}

/* Binds one staged cell of column c at *p (and its symbol column after it). */
static void bind_cell(table_import *ti, sqlite3_stmt *ins, int *p, int c, const char *s, size_t len)
{
    int sym = ti->symbol_names[c] != NULL;
    int64_t i;
    int32_t ymd;
    double d;
    if (!s || !len) {
        sqlite3_bind_null(ins, (*p)++);
    } else if (ti->types[c] != BIMO_COL_TEXT && bimo_table_is_symbol(s, len)) {
        /* Not published: NULL, never 0 (also for "-", exactly zero); the sign beside it. */
        sqlite3_bind_null(ins, (*p)++);
        if (sym) {
            sqlite3_bind_text(ins, (*p)++, s, (int)len, SQLITE_TRANSIENT);
            return;
        }
    } else if (ti->types[c] == BIMO_COL_INTEGER && bimo_col_parse_int(s, len, &i) == 0) {
        sqlite3_bind_int64(ins, (*p)++, i);
    } else if (ti->types[c] == BIMO_COL_REAL &&
               bimo_col_parse_real(s, len, ti->styles[c], &d) == 0) {
        sqlite3_bind_double(ins, (*p)++, d);
    } else if (ti->types[c] == BIMO_COL_DATE && bimo_parse_date(s, len, &ymd) == 0) {
        sqlite3_bind_int(ins, (*p)++, ymd);
    } else { /* TEXT, or (never expected) a value its column's type does not fit: keep it */
        sqlite3_bind_text(ins, (*p)++, s, (int)len, SQLITE_TRANSIENT);
    }
    if (sym)
        sqlite3_bind_null(ins, (*p)++);
}

static bimo_status fill_table(table_import *ti)
{
    sqlite3_str *s = sqlite3_str_new(ti->db);
    sqlite3_str_appendall(s, "SELECT line");
    for (int c = 0; c < ti->ncols; c++)
        sqlite3_str_appendf(s, ", c%d", c);
    sqlite3_str_appendall(s, " FROM temp.bimo_table_stage ORDER BY line");
    char *sel = sqlite3_str_finish(s);
    s = sqlite3_str_new(ti->db);
    sqlite3_str_appendf(s, "INSERT INTO main.\"%w\" VALUES (", ti->table);
    for (int c = 0; c < ti->ncols; c++)
        sqlite3_str_appendf(s, "%s?%s", c ? ", " : "", ti->symbol_names[c] ? ", ?" : "");
    sqlite3_str_appendall(s, ")");
    char *insert = sqlite3_str_finish(s);
    sqlite3_stmt *q = NULL, *ins = NULL;
    bimo_status st = BIMO_OK;
    if (!sel || !insert || sqlite3_prepare_v2(ti->db, sel, -1, &q, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(ti->db, insert, -1, &ins, NULL) != SQLITE_OK)
        st = bimo_store_fail(ti->db, ti->err, "cannot fill the table");
    sqlite3_free(sel);
    sqlite3_free(insert);
    int rc = SQLITE_DONE;
    while (st == BIMO_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        int p = 1;
        for (int c = 0; c < ti->ncols; c++)
            bind_cell(ti, ins, &p, c, (const char *)sqlite3_column_text(q, c + 1),
                      (size_t)sqlite3_column_bytes(q, c + 1));
        if (sqlite3_step(ins) != SQLITE_DONE)
            st = bimo_store_fail(ti->db, ti->err, "cannot insert a row");
        sqlite3_reset(ins);
        ti->rows_loaded++;
    }
    if (st == BIMO_OK && rc != SQLITE_DONE)
        st = bimo_store_fail(ti->db, ti->err, "cannot read the staged rows");
    sqlite3_finalize(q);
    sqlite3_finalize(ins);
    return st;
}

/* Registers the table; the run that loaded its previous version is marked replaced. */
static bimo_status register_table(table_import *ti)
{
    char *sql = sqlite3_mprintf(
        "DROP TABLE temp.bimo_table_stage;"
        "UPDATE import_run SET status = 'replaced' WHERE status = 'loaded'"
        " AND id = (SELECT import_id FROM ext_table WHERE name = %Q);"
        "INSERT INTO ext_table (name, import_id, columns, rows) VALUES (%Q, %lld, %d, %lld)"
        " ON CONFLICT (name) DO UPDATE SET import_id = excluded.import_id,"
        " columns = excluded.columns, rows = excluded.rows",
        ti->name, ti->name, (long long)ti->import_id, ti->ncols, (long long)ti->rows_loaded);
    int rc = sql ? sqlite3_exec(ti->db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    return rc == SQLITE_OK ? BIMO_OK
                           : bimo_store_fail(ti->db, ti->err, "cannot register the table");
}

/* ---- Reading ------------------------------------------------------------------------------ */

static bimo_status header_error(table_import *ti, const bimo_csv_record *rec)
{
    return bimo_fail_at(ti->err, BIMO_ERR_PARSE, ti->file_name, rec->line, rec->reject_column,
                        "header: %s", rec->reject_reason);
}

/* Reads up to the header (skipping the lines above it) and plans the columns. Records read
 * past the header while looking for it stay in ti->ahead from index *next on. */
static bimo_status find_header(table_import *ti, int *next)
{
    const bimo_csv_record *rec = NULL;
    bimo_status st = BIMO_OK;
    int want = ti->opt->header_line;
    *next = 0;
    if (want > 0) {
        while ((st = bimo_csv_next(ti->r, &rec, ti->err)) == BIMO_OK && rec && rec->line < want)
            ti->lines_skipped++;
        if (st != BIMO_OK)
            return st;
        if (bimo_csv_first_line_problem(ti->r))
            return bimo_fail_at(ti->err, BIMO_ERR_PARSE, ti->file_name, 1, 0, "%s",
                                bimo_csv_first_line_problem(ti->r));
        if (!rec || rec->line != want)
            return bimo_fail_at(
                ti->err, BIMO_ERR_DATA, ti->file_name, want, 0, "--header-line %d: %s", want,
                rec ? "that line is blank or inside a quoted field" : "the file has fewer lines");
        if (rec->reject_reason)
            return header_error(ti, rec);
        return plan_columns(ti, rec);
    }
    while (ti->nahead < LOOKAHEAD && (st = bimo_csv_next(ti->r, &rec, ti->err)) == BIMO_OK && rec)
        if (save_record(&ti->ahead[ti->nahead++], rec) != 0)
            return nomem(ti);
    if (ti->nahead < LOOKAHEAD && st != BIMO_OK)
        return st;
    if (ti->nahead == 0)
        return bimo_fail_at(ti->err, BIMO_ERR_DATA, ti->file_name, 0, 0,
                            "the file is empty: expected a header line");
    if (ti->ahead[0].rec.reject_reason && bimo_csv_first_line_problem(ti->r))
        return header_error(ti, &ti->ahead[0].rec); /* no title line: no text at all */
    int h = auto_header(ti);
    if (h < 0 && ti->ahead[0].rec.reject_reason)
        return header_error(ti, &ti->ahead[0].rec);
    if (h < 0)
        return bimo_fail_at(ti->err, BIMO_ERR_DATA, ti->file_name, 0, 0,
                            "no header line found: the first lines hold no text");
    ti->lines_skipped = h;
    *next = h + 1;
    return plan_columns(ti, &ti->ahead[h].rec);
}

static bimo_status load(table_import *ti)
{
    int next;
    bimo_status st = find_header(ti, &next);
    if (st == BIMO_OK)
        st = create_stage(ti);
    for (int i = next; st == BIMO_OK && i < ti->nahead; i++)
        st = take_row(ti, &ti->ahead[i].rec);
    const bimo_csv_record *rec;
    while (st == BIMO_OK && (st = bimo_csv_next(ti->r, &rec, ti->err)) == BIMO_OK && rec)
        st = take_row(ti, rec);
    sqlite3_finalize(ti->stage);
    ti->stage = NULL;
    if (st == BIMO_OK)
        st = settle_held_rows(ti);
    if (st == BIMO_OK)
        st = decide_columns(ti);
    if (st == BIMO_OK)
        st = create_table(ti);
    if (st == BIMO_OK)
        st = fill_table(ti);
    if (st == BIMO_OK)
        st = register_table(ti);
    return st;
}

/* ---- Orchestration ---------------------------------------------------------------------- */

static void fill_result(table_import *ti, bimo_import_result *res, const struct timespec *t0)
{
    memset(res, 0, sizeof *res);
    res->import_id = ti->import_id;
    res->rows_read = ti->rows_read;
    res->rows_loaded = ti->rows_loaded;
    res->rows_rejected = ti->rj.count;
    res->lines_skipped = ti->lines_skipped;
    res->seconds = bimo_seconds_since(t0);
    memcpy(res->first_reasons, ti->rj.first_reasons, sizeof res->first_reasons);
    if (ti->r) {
        res->blank_lines = bimo_csv_blank_lines(ti->r);
        res->size_bytes = bimo_csv_bytes_read(ti->r);
        snprintf(res->encoding, sizeof res->encoding, "%s", bimo_csv_encoding(ti->r));
        snprintf(res->delimiter, sizeof res->delimiter, "%s",
                 bimo_delimiter_name(bimo_csv_delimiter(ti->r)));
        bimo_csv_sha256_hex(ti->r, res->sha256);
    }
}

static bimo_status finish(table_import *ti, const bimo_import_result *res, const char *status,
                          const char *message, int64_t loaded)
{
    bimo_run_figures f = {
        .sha256 = res->sha256,
        .encoding = res->encoding,
        .delimiter = res->delimiter,
        .stichtag = "",
        .size_bytes = (int64_t)res->size_bytes,
        .rows_read = ti->rows_read,
        .rows_loaded = loaded,
        .rows_rejected = ti->rj.count,
        .status = status,
        .message = message,
    };
    bimo_status st = bimo_run_finish(ti->db, ti->import_id, &f, ti->err);
    if (st == BIMO_OK)
        st = bimo_rejects_store(&ti->rj, ti->db, ti->import_id, ti->err);
    return st;
}

/* After a refused or failed load: undo everything, then record the run and its rejects in
 * a transaction of their own. Errors here are not reported over the original one. */
static void record_failure(table_import *ti, bimo_import_result *res, const char *status,
                           const char *message)
{
    sqlite3_exec(ti->db, "ROLLBACK", NULL, NULL, NULL);
    bimo_error scratch;
    bimo_error *keep = ti->err;
    ti->err = &scratch;
    char source[64];
    snprintf(source, sizeof source, "table:%s", ti->name);
    bimo_status st =
        bimo_run_begin(ti->db, source, ti->file_name, ti->started, &ti->import_id, ti->err);
    if (st == BIMO_OK)
        st = finish(ti, res, status, message, 0);
    if (st == BIMO_OK && sqlite3_exec(ti->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        st = BIMO_ERR_STORE;
    if (st != BIMO_OK)
        sqlite3_exec(ti->db, "ROLLBACK", NULL, NULL, NULL);
    ti->err = keep;
    res->import_id = st == BIMO_OK ? ti->import_id : 0; /* else even the run was rolled back */
    res->rows_loaded = 0;
}

/* After a rollback that recorded nothing (disk full, I/O error, lock): say that nothing changed,
 * and forget the run's id, which named a row that no longer exists. */
static void note_unchanged(bimo_import_result *res, bimo_error *err)
{
    res->import_id = 0;
    res->rows_loaded = 0;
    if (err) {
        size_t n = strlen(err->message);
        snprintf(err->message + n, sizeof err->message - n,
                 "; nothing was loaded, the store is "
                 "unchanged");
    }
}

static void free_import(table_import *ti)
{
    sqlite3_finalize(ti->stage);
    for (int i = 0; i < ti->nahead; i++)
        free_saved(&ti->ahead[i]);
    for (int c = 0; c < ti->width; c++) {
        if (ti->names)
            free(ti->names[c]);
        if (ti->symbol_names)
            free(ti->symbol_names[c]);
    }
    free(ti->names);
    free(ti->symbol_names);
    free(ti->stats);
    free(ti->held_stats);
    free(ti->types);
    free(ti->styles);
    bimo_rejects_close(&ti->rj);
    bimo_csv_close(ti->r);
}

/* Decides how the load ends: committed, rolled back over the threshold, a dry run, or
 * failed. Returns the status for the caller. */
static bimo_status conclude(table_import *ti, bimo_status st, bimo_import_result *res)
{
    const bimo_import_options *opt = ti->opt;
    /* Notes below the table are rejects but no fault of the data: they do not count. */
    int64_t counted = ti->rj.count - ti->notes_after, read = ti->rows_read - ti->notes_after;
    if (st == BIMO_OK && bimo_rejects_over(opt->max_reject_share, counted, read)) {
        char msg[1400];
        bimo_rejects_message(&ti->rj, opt->max_reject_share, counted, read, msg, sizeof msg);
        if (ti->notes_after)
            snprintf(msg + strlen(msg), sizeof msg - strlen(msg),
                     " (%lld footer or note lines below the table not counted)",
                     (long long)ti->notes_after);
        bimo_fail_at(ti->err, BIMO_ERR_DATA, ti->file_name, 0, 0, "%s", msg);
        record_failure(ti, res, "rolled-back", msg);
        return BIMO_ERR_DATA;
    }
    if (st == BIMO_OK && opt->dry_run) {
        record_failure(ti, res, "dry-run", "dry run: validated only, nothing loaded");
        return BIMO_OK;
    }
    if (st == BIMO_OK) {
        st = finish(ti, res, "loaded", NULL, ti->rows_loaded);
        if (st == BIMO_OK && sqlite3_exec(ti->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
            st = bimo_store_fail(ti->db, ti->err, "cannot commit the import");
        if (st != BIMO_OK) {
            sqlite3_exec(ti->db, "ROLLBACK", NULL, NULL, NULL);
            note_unchanged(res, ti->err);
        }
        return st;
    }
    if (ti->import_id) {
        char msg[600];
        bimo_error_format(ti->err, msg, sizeof msg);
        if (st != BIMO_ERR_BUSY && st != BIMO_ERR_IO) {
            record_failure(ti, res, "failed", msg);
        } else {
            sqlite3_exec(ti->db, "ROLLBACK", NULL, NULL, NULL);
            note_unchanged(res, ti->err);
        }
    }
    return st;
}

bimo_status bimo_import_table(bimo_store *store, const char *name, const char *path,
                              const bimo_import_options *opt, bimo_import_result *result,
                              bimo_error *err)
{
    bimo_import_options defaults = {0};
    bimo_import_result scratch;
    if (!opt)
        opt = &defaults;
    if (!result)
        result = &scratch;
    memset(result, 0, sizeof *result);
    if (!store || !path)
        return bimo_fail(err, BIMO_ERR_ARG, "bimo_import_table: store and path are required");
    if (!bimo_table_name_valid(name))
        return bimo_fail(err, BIMO_ERR_ARG,
                         "table name \"%s\" is not valid: use a lower-case letter, then up to 40 "
                         "lower-case letters, digits or '_' (the table becomes ext_NAME)",
                         name ? name : "");
    if (opt->header_line < 0)
        return bimo_fail(err, BIMO_ERR_ARG,
                         "header line %d is not valid: give 0 (find it) or "
                         "the line number of the header",
                         opt->header_line);
    table_import *ti = calloc(1, sizeof *ti);
    if (!ti)
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    ti->db = bimo_store_db(store);
    ti->opt = opt;
    ti->name = name;
    ti->file_name = opt->file_name ? opt->file_name : strcmp(path, "-") == 0 ? "stdin" : path;
    ti->err = err;
    ti->next_progress = PROGRESS_ROWS;
    snprintf(ti->table, sizeof ti->table, "ext_%s", name);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);

    bimo_status st = bimo_rejects_open(&ti->rj, err);
    if (st == BIMO_OK) {
        bimo_csv_options copt = {.encoding = opt->encoding, .delimiter = opt->delimiter};
        if (!copt.delimiter)
            copt.delimiter = sniff_table_delimiter(path);
        st = bimo_csv_open_path(path, &copt, &ti->r, err);
    }
    if (st == BIMO_OK) {
        char source[64];
        snprintf(source, sizeof source, "table:%s", name);
        bimo_iso_now(ti->started);
        st = bimo_run_begin(ti->db, source, ti->file_name, ti->started, &ti->import_id, err);
        if (st == BIMO_OK)
            st = load(ti);
        sqlite3_finalize(ti->stage);
        ti->stage = NULL;
        fill_result(ti, result, &t0);
        st = conclude(ti, st, result);
    }
    result->seconds = bimo_seconds_since(&t0);
    free_import(ti);
    free(ti);
    return st;
}
