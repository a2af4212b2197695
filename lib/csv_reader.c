/* csv_reader.c — streaming CSV reader over libcsv: encodings, dialect sniffing, line numbers,
 * rejects with reasons, and resynchronisation after broken records, in bounded memory.
 *
 * How it works. The raw bytes arrive in chunks (read(2) or a memory buffer); every chunk goes
 * through SHA-256 on the way, so provenance needs no second pass (stdin included). The reader
 * splits the stream into physical lines itself ("\r\n", "\n" and "\r" each end one) and hands
 * libcsv one line at a time. That is what gives exact line numbers, each record's raw text for
 * the rejects table, and a clean restart point after an error: libcsv only reports a byte offset
 * and cannot be stopped from a callback, but after a line it is always at a known place.
 *
 * A quote that never closes would swallow the rest of the file. A record still inside quotes
 * after max_record_lines lines or max_field_bytes bytes, or at the end of the input, has only its
 * first line rejected; the lines after it are parsed again from a replay buffer. Memory stays
 * bounded: a physical line is never held beyond max_line_bytes (a longer one is rejected and
 * skipped as it streams by), an open record never beyond max_field_bytes plus one line, and
 * libcsv's own field buffer is released after a record that made it grow past 256 KiB.
 *
 * Every line goes through libcsv: the reader adds line bookkeeping, encodings and resync
 * around it, never a second CSV parser (DESIGN §3).
 *
 * For large regular files the read(2) calls and the SHA-256 run on a second thread that keeps
 * a few chunks ahead: libsodium's portable SHA-256 manages about 250 MB/s here, in the range of
 * the parsing itself, and overlapping the two cuts the time per file by about 40 %. Pipes and
 * memory input are read on the calling thread: a read from a pipe may block for ever, and a
 * thread that cannot be stopped would make bimo_csv_close() hang. */
#include "csv_reader.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"

#define DEFAULT_CHUNK     (256 * 1024)
#define DEFAULT_MAX_FIELD (1024 * 1024)
#define DEFAULT_MAX_LINES 100
#define RING_SLOTS        4
#define CSV_BLOCK         (64 * 1024)  /* libcsv grows its field buffer in steps of this */
#define KEEP_CSV_BUFFER   (256 * 1024) /* a larger libcsv buffer is released after its record */
#define NONE              SIZE_MAX

/* What a line holds, found by one cheap scan. */
enum { L_NUL = 1, L_HIGH = 2, L_INVALID = 4 };

/* The encoding as far as it is known: ENC_ASCII means "auto, and only ASCII so far". */
enum { ENC_ASCII, ENC_UTF8, ENC_CP1252 };

/* ---- Source: raw chunks, hashed on the way --------------------------------------------- */

typedef struct slot {
    unsigned char *data;
    size_t len;
    int last;   /* the input ended (or a read failed) with this chunk */
    int err_no; /* errno of a failed read */
} slot;

typedef struct source {
    int fd; /* -1 for memory input */
    int owns_fd;
    const unsigned char *mem;
    size_t mem_len, mem_pos;
    size_t chunk;
    EVP_MD_CTX *sha;  /* OpenSSL: SHA-256 with the CPU's SHA extensions where present */
    char sha_hex[65]; /* written by the producer together with the last chunk */
    slot slots[RING_SLOTS];
    int nslots;      /* 1 when synchronous */
    int head, count; /* the ring; guarded by mu when threaded */
    int stop;
    int threaded;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
} source;

/* Fills one chunk from the input and hashes it. */
static void produce(source *s, slot *sl)
{
    sl->len = 0;
    sl->last = 0;
    sl->err_no = 0;
    if (s->fd < 0) {
        size_t n = s->mem_len - s->mem_pos;
        if (n > s->chunk)
            n = s->chunk;
        if (n) {
            memcpy(sl->data, s->mem + s->mem_pos, n);
            s->mem_pos += n;
        }
        sl->len = n;
        sl->last = s->mem_pos == s->mem_len;
    } else {
        ssize_t n;
        do
            n = read(s->fd, sl->data, s->chunk);
        while (n < 0 && errno == EINTR);
        if (n < 0) {
            sl->err_no = errno;
            sl->last = 1;
            return;
        }
        sl->len = (size_t)n;
        sl->last = n == 0;
    }
    EVP_DigestUpdate(s->sha, sl->data, sl->len);
    if (sl->last) {
        unsigned char h[EVP_MAX_MD_SIZE];
        unsigned int hlen = 0;
        EVP_DigestFinal_ex(s->sha, h, &hlen);
        sodium_bin2hex(s->sha_hex, sizeof s->sha_hex, h, hlen);
    }
}

static void *producer_main(void *arg)
{
    source *s = arg;
    pthread_mutex_lock(&s->mu);
    for (;;) {
        while (!s->stop && s->count == s->nslots)
            pthread_cond_wait(&s->cv, &s->mu);
        if (s->stop)
            break;
        slot *sl = &s->slots[(s->head + s->count) % s->nslots];
        pthread_mutex_unlock(&s->mu);
        produce(s, sl); /* the consumer never touches a slot outside [head, head + count) */
        pthread_mutex_lock(&s->mu);
        s->count++;
        pthread_cond_broadcast(&s->cv);
        if (sl->last)
            break;
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

static int source_start(source *s, int threaded)
{
    s->nslots = threaded ? RING_SLOTS : 1;
    for (int i = 0; i < s->nslots; i++)
        if (!(s->slots[i].data = malloc(s->chunk)))
            return -1;
    if (!threaded)
        return 0;
    if (pthread_mutex_init(&s->mu, NULL) != 0)
        goto sync;
    if (pthread_cond_init(&s->cv, NULL) != 0) {
        pthread_mutex_destroy(&s->mu);
        goto sync;
    }
    if (pthread_create(&s->thread, NULL, producer_main, s) != 0) {
        pthread_cond_destroy(&s->cv);
        pthread_mutex_destroy(&s->mu);
        goto sync;
    }
    s->threaded = 1;
    return 0;
sync: /* no thread to be had: read on the calling thread, with one slot */
    s->nslots = 1;
    return 0;
}

/* The next chunk; the caller copies it out and then calls source_release(). Never called again
 * after a chunk with last set. */
static slot *source_wait(source *s)
{
    if (!s->threaded) {
        produce(s, &s->slots[0]);
        return &s->slots[0];
    }
    pthread_mutex_lock(&s->mu);
    while (s->count == 0)
        pthread_cond_wait(&s->cv, &s->mu);
    slot *sl = &s->slots[s->head];
    pthread_mutex_unlock(&s->mu);
    return sl;
}

static void source_release(source *s)
{
    if (!s->threaded)
        return;
    pthread_mutex_lock(&s->mu);
    s->head = (s->head + 1) % s->nslots;
    s->count--;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

static void source_end(source *s)
{
    if (s->threaded) {
        pthread_mutex_lock(&s->mu);
        s->stop = 1;
        pthread_cond_broadcast(&s->cv);
        pthread_mutex_unlock(&s->mu);
        pthread_join(s->thread, NULL);
        pthread_cond_destroy(&s->cv);
        pthread_mutex_destroy(&s->mu);
        s->threaded = 0;
    }
    for (int i = 0; i < RING_SLOTS; i++) {
        free(s->slots[i].data);
        s->slots[i].data = NULL;
    }
    if (s->owns_fd && s->fd >= 0)
        close(s->fd);
    s->fd = -1;
}

/* ---- The reader -------------------------------------------------------------------------- */

typedef struct line {
    const unsigned char *p;
    size_t len;  /* without the terminator */
    size_t term; /* 0 (end of input), 1 ("\n" or "\r") or 2 ("\r\n"); the bytes follow p[len] */
    int replayed;
    int too_long; /* only the first max_line bytes are at p, and the line is not consumed */
} line;

struct bimo_csv_reader {
    char *name;
    /* settings */
    int enc_forced;
    size_t max_field, max_line;
    long max_lines;
    /* raw input */
    source src;
    int64_t total;
    uint64_t bytes_read;
    int src_eof;
    char sha_hex[65];
    unsigned char *in; /* unconsumed input is in[in_pos, in_fill) */
    size_t in_cap, in_pos, in_fill;
    size_t cr_at, cr_scanned, lf_at, lf_scanned; /* see find_byte() */
    /* lines of a failed record that must be read again, before any new input */
    unsigned char *rp, *rp_tmp;
    size_t rp_len, rp_pos, rp_cap, rp_tmp_cap;
    /* dialect and encoding */
    int started;               /* the first line (BOM, sep=) was looked at */
    const char *first_problem; /* why the first line cannot start a CSV file (static text) */
    int delim;                 /* 0 until known */
    int enc;
    int bom;
    iconv_t cd;
    unsigned char *conv;
    size_t conv_cap;
    long line_no, blank_lines;
    struct csv_parser p;
    /* the record being assembled */
    unsigned char *arena; /* field texts, each NUL-terminated */
    size_t arena_len, arena_cap;
    size_t *offs, *lens;
    const char **ptrs;
    size_t nfields, fields_cap;
    unsigned char *raw;
    size_t raw_len, raw_cap;
    size_t first_len, first_term, first_fields; /* the first line of the record */
    size_t last_term;
    long nlines;
    unsigned rec_flags;
    int row_done, parse_failed, eof_in_quotes, nomem, rejected;
    long rej_col;
    char reason[160];
    bimo_csv_record rec;
    /* a failure is sticky */
    bimo_status status;
    bimo_error fail;
    int finished;
};

static bimo_status stick(bimo_csv_reader *r, bimo_error *err, bimo_status st, const char *msg)
{
    bimo_fail_at(&r->fail, st, r->name, r->line_no, 0, "%s", msg);
    r->status = st;
    if (err)
        *err = r->fail;
    return st;
}

static bimo_status out_of_memory(bimo_csv_reader *r, bimo_error *err)
{
    return stick(r, err, BIMO_ERR_NOMEM, "out of memory while reading CSV");
}

/* Grows a byte buffer to hold at least need bytes. */
static int reserve(unsigned char **buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 256;
    while (n < need)
        n = n > SIZE_MAX / 2 ? need : n * 2;
    unsigned char *p = realloc(*buf, n);
    if (!p)
        return -1;
    *buf = p;
    *cap = n;
    return 0;
}

static int grow_fields(bimo_csv_reader *r)
{
    size_t n = r->fields_cap ? r->fields_cap * 2 : 64;
    size_t *offs = realloc(r->offs, n * sizeof *offs);
    if (offs)
        r->offs = offs;
    size_t *lens = realloc(r->lens, n * sizeof *lens);
    if (lens)
        r->lens = lens;
    const char **ptrs = realloc(r->ptrs, n * sizeof *ptrs);
    if (ptrs)
        r->ptrs = ptrs;
    if (!offs || !lens || !ptrs)
        return -1;
    r->fields_cap = n;
    return 0;
}

/* "1 MiB", "64 KiB" or "100 bytes". */
static void format_size(char *buf, size_t size, size_t bytes)
{
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
        snprintf(buf, size, "%zu MiB", bytes / (1024 * 1024));
    else if (bytes >= 1024 && bytes % 1024 == 0)
        snprintf(buf, size, "%zu KiB", bytes / 1024);
    else
        snprintf(buf, size, "%zu bytes", bytes);
}

/* Sets the record's reject reason, replacing any earlier one. */
static void set_reject(bimo_csv_reader *r, long column, const char *fmt, ...) BIMO_PRINTF(3, 4);
static void set_reject(bimo_csv_reader *r, long column, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->reason, sizeof r->reason, fmt, ap);
    va_end(ap);
    r->rejected = 1;
    r->rej_col = column;
}

/* ---- Physical lines ---------------------------------------------------------------------- */

/* Offset of the first byte c in buf[pos, fill), or NONE. *at caches the last hit and *scanned how
 * far a miss looked, so that a byte that is absent (no "\r" in a LF file) costs one scan per
 * chunk, not one per line. */
static size_t find_byte(const unsigned char *buf, size_t pos, size_t fill, int c, size_t *at,
                        size_t *scanned)
{
    if (*at != NONE && *at >= pos)
        return *at;
    size_t from = *scanned > pos ? *scanned : pos;
    const unsigned char *p = from < fill ? memchr(buf + from, c, fill - from) : NULL;
    if (p) {
        *at = (size_t)(p - buf);
        *scanned = *at;
    } else {
        *at = NONE;
        *scanned = fill;
    }
    return *at;
}

static void shift_cache(size_t *at, size_t *scanned, size_t by)
{
    if (*at != NONE && *at < by)
        *at = NONE, *scanned = 0; /* stale */
    else if (*at != NONE)
        *at -= by;
    *scanned = *scanned >= by ? *scanned - by : 0;
}

/* Moves the unconsumed input to the front and appends the next chunk. */
static bimo_status refill(bimo_csv_reader *r, bimo_error *err)
{
    if (r->in_pos > 0) {
        size_t keep = r->in_fill - r->in_pos;
        memmove(r->in, r->in + r->in_pos, keep);
        shift_cache(&r->cr_at, &r->cr_scanned, r->in_pos);
        shift_cache(&r->lf_at, &r->lf_scanned, r->in_pos);
        r->in_fill = keep;
        r->in_pos = 0;
    }
    if (reserve(&r->in, &r->in_cap, r->in_fill + r->src.chunk) != 0)
        return out_of_memory(r, err);
    slot *sl = source_wait(&r->src);
    if (sl->len)
        memcpy(r->in + r->in_fill, sl->data, sl->len);
    r->in_fill += sl->len;
    r->bytes_read += sl->len;
    int last = sl->last, e = sl->err_no;
    if (last && !e)
        memcpy(r->sha_hex, r->src.sha_hex, sizeof r->sha_hex);
    source_release(&r->src);
    if (last)
        r->src_eof = 1;
    if (e) {
        char msg[160];
        snprintf(msg, sizeof msg, "read failed: %s", strerror(e));
        return stick(r, err, BIMO_ERR_IO, msg);
    }
    return BIMO_OK;
}

/* The next physical line of the input: 1 with *ln set, 0 at the end, -1 on failure. A line
 * longer than max_line comes back with too_long set and stays unconsumed (skip_long_line()). */
static int input_line(bimo_csv_reader *r, line *ln, bimo_error *err)
{
    for (;;) {
        size_t lf = find_byte(r->in, r->in_pos, r->in_fill, '\n', &r->lf_at, &r->lf_scanned);
        size_t cr = find_byte(r->in, r->in_pos, r->in_fill, '\r', &r->cr_at, &r->cr_scanned);
        size_t end = lf < cr ? lf : cr, term = 1;
        int more = 0;
        if (end == NONE) {
            end = r->in_fill;
            term = 0;
            more = !r->src_eof;
        } else if (end == cr && cr + 1 == r->in_fill) {
            more = !r->src_eof; /* a "\r" last in the buffer: is "\n" next? */
        } else if (end == cr && r->in[cr + 1] == '\n') {
            term = 2;
        }
        size_t len = end - r->in_pos;
        if (len > r->max_line) {
            *ln = (line){.p = r->in + r->in_pos, .len = r->max_line, .too_long = 1};
            return 1;
        }
        if (more) {
            if (refill(r, err) != BIMO_OK)
                return -1;
            continue;
        }
        if (len == 0 && term == 0)
            return 0;
        *ln = (line){.p = r->in + r->in_pos, .len = len, .term = term};
        r->in_pos = end + term;
        return 1;
    }
}

/* Consumes the rest of an overlong line, up to and with its terminator, without keeping it. */
static bimo_status skip_long_line(bimo_csv_reader *r, bimo_error *err)
{
    for (;;) {
        size_t lf = find_byte(r->in, r->in_pos, r->in_fill, '\n', &r->lf_at, &r->lf_scanned);
        size_t cr = find_byte(r->in, r->in_pos, r->in_fill, '\r', &r->cr_at, &r->cr_scanned);
        size_t end = lf < cr ? lf : cr;
        if (end != NONE && !(end == cr && cr + 1 == r->in_fill && !r->src_eof)) {
            int crlf = end == cr && cr + 1 < r->in_fill && r->in[cr + 1] == '\n';
            r->in_pos = end + 1 + crlf;
            return BIMO_OK;
        }
        r->in_pos = end != NONE ? end : r->in_fill; /* keep only a trailing "\r" */
        if (r->src_eof)
            return BIMO_OK;
        bimo_status st = refill(r, err);
        if (st != BIMO_OK)
            return st;
    }
}

/* The next line to read again after a failed record; 0 when there is none. */
static int replay_line(bimo_csv_reader *r, line *ln)
{
    if (r->rp_pos >= r->rp_len)
        return 0;
    const unsigned char *s = r->rp + r->rp_pos;
    size_t n = r->rp_len - r->rp_pos, i = 0, term = 0;
    while (i < n && s[i] != '\n' && s[i] != '\r')
        i++;
    if (i < n)
        term = s[i] == '\r' && i + 1 < n && s[i + 1] == '\n' ? 2 : 1;
    *ln = (line){.p = s, .len = i, .term = term, .replayed = 1};
    r->rp_pos += i + term;
    return 1;
}

static int next_line(bimo_csv_reader *r, line *ln, bimo_error *err)
{
    if (replay_line(r, ln))
        return 1;
    return input_line(r, ln, err);
}

/* ---- Encoding ---------------------------------------------------------------------------- */

/* NUL and non-ASCII bytes in s, eight bytes at a time (this runs on every line). */
static unsigned scan_line(const unsigned char *s, size_t n)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    uint64_t hi = 0, zero = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        hi |= x;
        zero |= (x - ones) & ~x; /* high bit set in some byte iff x has a zero byte */
    }
    unsigned f = 0;
    for (; i < n; i++) {
        hi |= s[i];
        if (!s[i])
            f |= L_NUL;
    }
    if (hi & highs)
        f |= L_HIGH;
    if (zero & highs)
        f |= L_NUL;
    return f;
}

/* 1 if s is valid UTF-8 (no overlong forms, surrogates or code points past U+10FFFF). *multi
 * (may be NULL) tells whether a valid multi-byte sequence came before the first invalid byte. */
static int utf8_valid(const unsigned char *s, size_t n, int *multi)
{
    if (multi)
        *multi = 0;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        unsigned lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF)
            need = 1;
        else if (c == 0xE0)
            need = 2, lo = 0xA0;
        else if (c == 0xED)
            need = 2, hi = 0x9F;
        else if (c >= 0xE1 && c <= 0xEF)
            need = 2;
        else if (c == 0xF0)
            need = 3, lo = 0x90;
        else if (c == 0xF4)
            need = 3, hi = 0x8F;
        else if (c >= 0xF1 && c <= 0xF3)
            need = 3;
        else
            return 0;
        if (n - i <= need || s[i + 1] < lo || s[i + 1] > hi)
            return 0;
        for (size_t k = 2; k <= need; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
        if (multi)
            *multi = 1;
        i += need + 1;
    }
    return 1;
}

/* Converts a Windows-1252 line (and its terminator) into r->conv. Bytes that Windows-1252 leaves
 * undefined (0x81 0x8D 0x8F 0x90 0x9D) are copied as they are, which makes them invalid UTF-8,
 * so the record is rejected and the byte stays visible in its raw text. */
static bimo_status to_utf8(bimo_csv_reader *r, const unsigned char *s, size_t n, size_t term,
                           size_t *out_len, unsigned *flags, bimo_error *err)
{
    if (n > (SIZE_MAX - 8) / 3 || reserve(&r->conv, &r->conv_cap, 3 * n + term + 1) != 0)
        return out_of_memory(r, err);
    char *ip = (char *)s, *op = (char *)r->conv;
    size_t il = n, ol = r->conv_cap;
    while (il > 0) {
        if (iconv(r->cd, &ip, &il, &op, &ol) != (size_t)-1)
            break;
        if (errno != EILSEQ)
            return stick(r, err, BIMO_ERR_IO, "Windows-1252 conversion failed");
        *op++ = *ip++;
        il--;
        ol--;
        *flags |= L_INVALID;
    }
    *out_len = (size_t)(op - (char *)r->conv);
    memcpy(op, s + n, term);
    return BIMO_OK;
}

/* Settles the encoding of a fresh line and returns its UTF-8 text (with the terminator after
 * text[*tlen]) and flags. In auto mode the file counts as UTF-8 until a line is not valid UTF-8:
 * if no multi-byte UTF-8 came before, everything so far was ASCII, so the whole file is
 * Windows-1252 from here on; if some did, the file mixes both and the line is rejected. */
static bimo_status prepare_line(bimo_csv_reader *r, const line *ln, const unsigned char **text,
                                size_t *tlen, unsigned *flags, bimo_error *err)
{
    unsigned f = scan_line(ln->p, ln->len);
    *text = ln->p;
    *tlen = ln->len;
    if (f & L_HIGH) {
        if (!ln->replayed && r->enc == ENC_ASCII) {
            int multi;
            if (utf8_valid(ln->p, ln->len, &multi) || multi)
                r->enc = ENC_UTF8;
            else
                r->enc = ENC_CP1252;
        }
        if (!ln->replayed && r->enc == ENC_CP1252) {
            bimo_status st = to_utf8(r, ln->p, ln->len, ln->term, tlen, &f, err);
            if (st != BIMO_OK)
                return st;
            *text = r->conv;
        } else if (!utf8_valid(ln->p, ln->len, NULL)) {
            f |= L_INVALID;
        }
    }
    *flags = f;
    return BIMO_OK;
}

/* ---- Dialect ----------------------------------------------------------------------------- */

/* Excel's "sep=;" first line (also quoted, any case), naming ';' ',' or TAB. */
static int is_sep_line(const unsigned char *s, size_t n, int *delim)
{
    size_t i = n > 0 && s[0] == '"';
    if (n < i + 5 || strncasecmp((const char *)s + i, "sep=", 4) != 0)
        return 0;
    int c = s[i + 4];
    if (c != ';' && c != ',' && c != '\t')
        return 0;
    i += 5;
    if (s[0] == '"') {
        if (i >= n || s[i] != '"')
            return 0;
        i++;
    }
    while (i < n && s[i] == ' ')
        i++;
    if (i != n)
        return 0;
    *delim = c;
    return 1;
}

/* The most frequent of ';' TAB ',' outside quotes in the header; ties go in that order. */
static int sniff_delimiter(const unsigned char *s, size_t n)
{
    size_t semi = 0, tab = 0, comma = 0;
    int quoted = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            quoted = !quoted;
        else if (!quoted) {
            semi += s[i] == ';';
            tab += s[i] == '\t';
            comma += s[i] == ',';
        }
    }
    if (semi >= tab && semi >= comma)
        return ';';
    return tab >= comma ? '\t' : ',';
}

/* Only spaces (and TABs, unless TAB separates fields): libcsv would skip it without a word. */
static int is_blank(const bimo_csv_reader *r, const unsigned char *s, size_t n)
{
    int tab_is_space = r->delim != '\t';
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && !(s[i] == '\t' && tab_is_space))
            return 0;
    return 1;
}

static int space_only(unsigned char c)
{
    return c == ' ';
}

static void parser_init(bimo_csv_reader *r)
{
    csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI);
    csv_set_delim(&r->p, (unsigned char)(r->delim ? r->delim : ';'));
    /* libcsv's default trims TABs too; with TAB as the delimiter only spaces are padding. The
     * default is kept otherwise because it is inlined, a space function costs a call per byte. */
    if (r->delim == '\t')
        csv_set_space_func(&r->p, space_only);
    csv_set_blk_size(&r->p, CSV_BLOCK);
}

static void parser_reset(bimo_csv_reader *r)
{
    csv_free(&r->p);
    parser_init(r);
}

/* Strips a UTF-8 BOM and consumes a "sep=" line; 1 if the line was the sep= line. */
static int first_line(bimo_csv_reader *r, line *ln)
{
    r->started = 1;
    if (ln->len >= 3 && memcmp(ln->p, "\xEF\xBB\xBF", 3) == 0) {
        ln->p += 3;
        ln->len -= 3;
        r->bom = 1;
        if (r->enc == ENC_ASCII)
            r->enc = ENC_UTF8;
    }
    int d;
    if (ln->too_long || !is_sep_line(ln->p, ln->len, &d))
        return 0;
    if (!r->delim) {
        r->delim = d;
        parser_reset(r);
    }
    return 1;
}

/* Why the first line cannot start a CSV file, or NULL: a workbook or archive renamed .csv, or
 * a "sep=" line naming a delimiter bimo does not read, would otherwise surface as a puzzling
 * "column missing" or quoting error. */
static const char *first_line_problem(const unsigned char *s, size_t n)
{
    static const struct {
        const char *magic;
        size_t len;
        const char *what;
    } kinds[] = {
        {"PK\x03\x04", 4,
         "the file is a ZIP archive (an .xlsx workbook?), not CSV text; save "
         "the sheet as CSV"},
        {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8,
         "the file is an Excel 97-2003 workbook (.xls), not CSV text; save the sheet as CSV"},
        {"%PDF-", 5, "the file is a PDF document, not CSV text"},
        {"\x1F\x8B", 2, "the file is gzip-compressed; unpack it first"},
        {"\xFF\xFE", 2, "the file is UTF-16 text; save it as UTF-8 or Windows-1252"},
        {"\xFE\xFF", 2, "the file is UTF-16 text; save it as UTF-8 or Windows-1252"},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (n >= kinds[i].len && memcmp(s, kinds[i].magic, kinds[i].len) == 0)
            return kinds[i].what;
    size_t q = n > 0 && s[0] == '"';
    if (n >= q + 5 && strncasecmp((const char *)s + q, "sep=", 4) == 0 && n <= 2 * q + 5 &&
        !strchr(";,\t", s[q + 4]))
        return "the \"sep=\" line names a delimiter bimo does not read (use ';', ',' or TAB)";
    for (size_t i = 0; i < n; i++) /* TAB, LF, CR and ESC (ANSI colours) can be text */
        if ((s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' && s[i] != 0x1B) ||
            s[i] == 0x7F)
            return "the file holds binary data (control bytes in its first line), not CSV text";
    return NULL;
}

/* ---- Records ----------------------------------------------------------------------------- */

static void begin_record(bimo_csv_reader *r)
{
    r->nfields = r->arena_len = r->raw_len = 0;
    r->nlines = 0;
    r->rec_flags = 0;
    r->row_done = r->parse_failed = r->eof_in_quotes = r->rejected = 0;
    r->rej_col = 0;
}

/* The reason why field s (column col) cannot be used, or 0 if it can. */
static int field_problem(bimo_csv_reader *r, const unsigned char *s, size_t len, long col)
{
    if ((r->rec_flags & L_NUL) && memchr(s, 0, len)) {
        set_reject(r, col, "NUL byte in column %ld", col);
        return 1;
    }
    if ((r->rec_flags & L_INVALID) && !utf8_valid(s, len, NULL)) {
        if (r->enc == ENC_CP1252)
            set_reject(r, col, "byte undefined in Windows-1252 in column %ld", col);
        else if (r->enc_forced || r->bom)
            set_reject(r, col, "invalid UTF-8 in column %ld", col);
        else
            set_reject(r, col,
                       "invalid UTF-8 in column %ld (the file mixes UTF-8 and "
                       "Windows-1252)",
                       col);
        return 1;
    }
    return 0;
}

/* Takes one field; once the record is rejected, fields are only counted (their columns matter
 * for later reasons), not copied, so an overlong field costs no memory of its own. */
static void add_field(bimo_csv_reader *r, const unsigned char *s, size_t len)
{
    if (r->nfields == r->fields_cap && grow_fields(r) != 0) {
        r->nomem = 1;
        return;
    }
    long col = (long)r->nfields + 1;
    size_t at = r->arena_len;
    if (!r->rejected) {
        if (len > r->max_field) {
            char size[32];
            format_size(size, sizeof size, r->max_field);
            set_reject(r, col, "field in column %ld is longer than %s", col, size);
        } else if (!(r->rec_flags & (L_NUL | L_INVALID)) || !field_problem(r, s, len, col)) {
            if (reserve(&r->arena, &r->arena_cap, at + len + 1) != 0) {
                r->nomem = 1;
                return;
            }
            if (len)
                memcpy(r->arena + at, s, len);
            r->arena[at + len] = '\0';
            r->arena_len = at + len + 1;
        }
    }
    r->offs[r->nfields] = at;
    r->lens[r->nfields] = len;
    r->nfields++;
}

static void on_field(void *s, size_t len, void *data)
{
    add_field(data, s, len);
}

static void on_row(int c, void *data)
{
    (void)c;
    ((bimo_csv_reader *)data)->row_done = 1;
}

/* Parses one line (text[0, len) and its terminator) as part of the current record. */
static void feed(bimo_csv_reader *r, const unsigned char *text, size_t len, size_t term)
{
    size_t total = len + term;
    if (csv_parse(&r->p, text, total, on_field, on_row, r) != total) {
        if (csv_error(&r->p) == CSV_EPARSE)
            r->parse_failed = 1;
        else
            r->nomem = 1;
        return;
    }
    if (term == 0 && !r->row_done && csv_fini(&r->p, on_field, on_row, r) != 0)
        r->eof_in_quotes = 1;
}

static const bimo_csv_record *finish(bimo_csv_reader *r)
{
    bimo_csv_record *rec = &r->rec;
    rec->last_line = r->line_no;
    rec->raw = (const char *)r->raw;
    rec->raw_len = r->raw_len - r->last_term;
    r->raw[rec->raw_len] = '\0';
    if (r->rejected) {
        rec->nfields = 0;
        rec->reject_reason = r->reason;
        rec->reject_column = r->rej_col;
    } else {
        for (size_t i = 0; i < r->nfields; i++)
            r->ptrs[i] = (const char *)r->arena + r->offs[i];
        rec->nfields = r->nfields;
        rec->reject_reason = NULL;
        rec->reject_column = 0;
    }
    rec->fields = r->ptrs;
    rec->lengths = r->lens;
    if (csv_get_buffer_size(&r->p) > KEEP_CSV_BUFFER)
        parser_reset(r); /* memory stays bounded after a huge field */
    return rec;
}

/* A record whose quote never closed (end of input, too many lines or bytes, or a quoting error
 * on a later line): only its first line is rejected; the lines after it are read again as new
 * records, so one stray quote costs one row, not the rest of the file. */
static bimo_status fail_open_record(bimo_csv_reader *r, const bimo_csv_record **out,
                                    bimo_error *err)
{
    size_t rest = r->raw_len - r->first_len, old = r->rp_len - r->rp_pos;
    if (rest + old > 0) {
        if (reserve(&r->rp_tmp, &r->rp_tmp_cap, rest + old) != 0)
            return out_of_memory(r, err);
        memcpy(r->rp_tmp, r->raw + r->first_len, rest);
        if (old)
            memcpy(r->rp_tmp + rest, r->rp + r->rp_pos, old);
        unsigned char *t = r->rp;
        r->rp = r->rp_tmp;
        r->rp_tmp = t;
        size_t c = r->rp_cap;
        r->rp_cap = r->rp_tmp_cap;
        r->rp_tmp_cap = c;
    }
    r->rp_len = rest + old;
    r->rp_pos = 0;
    r->line_no = r->rec.line;
    r->raw_len = r->first_len;
    r->last_term = r->first_term;
    set_reject(r, (long)r->first_fields + 1, "unterminated quote");
    parser_reset(r);
    *out = finish(r);
    return BIMO_OK;
}

/* A physical line longer than max_line, or a first line that is no text (then why is not
 * NULL): rejected, keeping only its first max_line bytes. */
static bimo_status reject_line(bimo_csv_reader *r, const line *ln, const char *why,
                               const bimo_csv_record **out, bimo_error *err)
{
    const unsigned char *text = ln->p;
    size_t len = ln->len;
    unsigned flags = 0;
    if (r->enc == ENC_CP1252) {
        bimo_status st = to_utf8(r, ln->p, ln->len, 0, &len, &flags, err);
        if (st != BIMO_OK)
            return st;
        text = r->conv;
    }
    if (reserve(&r->raw, &r->raw_cap, len + 1) != 0)
        return out_of_memory(r, err);
    memcpy(r->raw, text, len);
    r->raw_len = len;
    r->last_term = 0;
    r->rec.line = r->line_no;
    char size[32];
    format_size(size, sizeof size, r->max_line);
    if (why)
        set_reject(r, 0, "%s", why);
    else
        set_reject(r, 0, "line is longer than %s", size);
    bimo_status st = ln->too_long ? skip_long_line(r, err) : BIMO_OK;
    if (st != BIMO_OK)
        return st;
    *out = finish(r);
    return BIMO_OK;
}

/* Adds a prepared line to the record and parses it; returns the record when it is complete. */
static bimo_status take_line(bimo_csv_reader *r, const line *ln, const bimo_csv_record **out,
                             bimo_error *err)
{
    const unsigned char *text;
    size_t len;
    unsigned flags;
    bimo_status st = prepare_line(r, ln, &text, &len, &flags, err);
    if (st != BIMO_OK)
        return st;
    if (!r->delim) {
        r->delim = sniff_delimiter(text, len);
        parser_reset(r);
    }
    if (r->nlines == 0)
        r->rec.line = r->line_no;
    if (reserve(&r->raw, &r->raw_cap, r->raw_len + len + ln->term + 1) != 0)
        return out_of_memory(r, err);
    memcpy(r->raw + r->raw_len, text, len + ln->term);
    r->raw_len += len + ln->term;
    r->last_term = ln->term;
    r->rec_flags |= flags;
    r->nlines++;
    feed(r, text, len, ln->term);
    if (r->nomem)
        return out_of_memory(r, err);
    if (r->nlines == 1) {
        r->first_len = len + ln->term;
        r->first_term = ln->term;
        r->first_fields = r->nfields;
    }
    if (r->parse_failed && r->nlines == 1) {
        set_reject(r, (long)r->nfields + 1, "malformed quoting");
        parser_reset(r);
        *out = finish(r);
    } else if (r->parse_failed || r->eof_in_quotes) {
        return fail_open_record(r, out, err);
    } else if (r->row_done) {
        *out = finish(r);
    } else if (r->nlines >= r->max_lines || r->raw_len > r->max_field) {
        return fail_open_record(r, out, err);
    }
    return BIMO_OK;
}

bimo_status bimo_csv_next(bimo_csv_reader *r, const bimo_csv_record **rec, bimo_error *err)
{
    if (!rec)
        return bimo_fail(err, BIMO_ERR_ARG, "bimo_csv_next: rec is required");
    *rec = NULL;
    if (!r)
        return bimo_fail(err, BIMO_ERR_ARG, "bimo_csv_next: no reader");
    if (r->status != BIMO_OK) {
        if (err)
            *err = r->fail;
        return r->status;
    }
    if (r->finished)
        return BIMO_OK;
    begin_record(r);
    while (!*rec) {
        line ln;
        int got = next_line(r, &ln, err);
        if (got < 0)
            return r->status;
        if (got == 0) {
            if (r->nlines == 0) {
                r->finished = 1;
                return BIMO_OK;
            }
            return fail_open_record(r, rec, err); /* the input ended inside quotes */
        }
        if (ln.too_long && r->nlines > 0)
            return fail_open_record(r, rec, err); /* the long line is read again after */
        r->line_no++;
        if (r->nlines == 0) {
            const char *why = r->started ? NULL : first_line_problem(ln.p, ln.len);
            if (why)
                r->first_problem = why;
            if (!r->started && first_line(r, &ln))
                continue;
            if (why || ln.too_long)
                return reject_line(r, &ln, why, rec, err);
            if (is_blank(r, ln.p, ln.len)) {
                r->blank_lines++;
                continue;
            }
        }
        bimo_status st = take_line(r, &ln, rec, err);
        if (st != BIMO_OK)
            return st;
    }
    return BIMO_OK;
}

/* ---- Opening and closing ----------------------------------------------------------------- */

static bimo_status apply_options(bimo_csv_reader *r, const bimo_csv_options *opt, bimo_error *err)
{
    const char *enc = opt->encoding;
    r->enc = ENC_ASCII;
    if (enc && *enc && strcasecmp(enc, "auto") != 0) {
        r->enc_forced = 1;
        if (!strcasecmp(enc, "utf-8") || !strcasecmp(enc, "utf8"))
            r->enc = ENC_UTF8;
        else if (!strcasecmp(enc, "cp1252") || !strcasecmp(enc, "windows-1252"))
            r->enc = ENC_CP1252;
        else
            return bimo_fail_at(err, BIMO_ERR_ARG, r->name, 0, 0,
                                "unknown encoding \"%s\" (expected auto, utf-8 or cp1252)", enc);
    }
    int d = opt->delimiter;
    if (d != 0 && d != ';' && d != ',' && d != '\t')
        return bimo_fail_at(err, BIMO_ERR_ARG, r->name, 0, 0,
                            "unsupported delimiter (expected ';', ',' or TAB)");
    r->delim = d;
    r->max_field = opt->max_field_bytes ? opt->max_field_bytes : DEFAULT_MAX_FIELD;
    r->max_lines = opt->max_record_lines > 0 ? opt->max_record_lines : DEFAULT_MAX_LINES;
    if (opt->max_line_bytes)
        r->max_line = opt->max_line_bytes;
    else
        r->max_line = r->max_field <= SIZE_MAX / 8 ? 4 * r->max_field : SIZE_MAX / 2;
    r->src.chunk = opt->read_chunk ? opt->read_chunk : DEFAULT_CHUNK;
    return BIMO_OK;
}

static bimo_status reader_new(const char *name, const bimo_csv_options *opt, bimo_csv_reader **out,
                              bimo_error *err)
{
    static const bimo_csv_options defaults = {0};
    if (sodium_init() < 0)
        return bimo_fail(err, BIMO_ERR_NOMEM, "libsodium could not be initialised");
    bimo_csv_reader *r = calloc(1, sizeof *r);
    if (!r || !(r->name = strdup(name))) {
        free(r);
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    }
    r->src.fd = -1;
    r->cd = (iconv_t)-1;
    r->cr_at = r->lf_at = NONE;
    r->src.sha = EVP_MD_CTX_new();
    if (!r->src.sha || EVP_DigestInit_ex(r->src.sha, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(r->src.sha);
        free(r->name);
        free(r);
        return bimo_fail(err, BIMO_ERR_NOMEM, "cannot start SHA-256");
    }
    *out = r;
    bimo_status st = apply_options(r, opt ? opt : &defaults, err);
    if (st != BIMO_OK)
        return st;
    parser_init(r);
    if (r->enc != ENC_UTF8 || !r->enc_forced) {
        r->cd = iconv_open("UTF-8", "WINDOWS-1252");
        if (r->cd == (iconv_t)-1)
            return bimo_fail_at(err, errno == ENOMEM ? BIMO_ERR_NOMEM : BIMO_ERR_IO, r->name, 0, 0,
                                "iconv cannot convert Windows-1252 to UTF-8: %s", strerror(errno));
    }
    return BIMO_OK;
}

bimo_status bimo_csv_open_path(const char *path, const bimo_csv_options *opt, bimo_csv_reader **out,
                               bimo_error *err)
{
    if (!path || !out)
        return bimo_fail(err, BIMO_ERR_ARG, "bimo_csv_open_path: path and out are required");
    *out = NULL;
    int is_stdin = strcmp(path, "-") == 0;
    const char *name = is_stdin ? "stdin" : path;
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return bimo_fail_at(err, BIMO_ERR_NOINPUT, name, 0, 0, "cannot open the file: %s",
                            strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0 || S_ISDIR(sb.st_mode)) {
        int e = S_ISDIR(sb.st_mode) ? EISDIR : errno;
        if (!is_stdin)
            close(fd);
        return bimo_fail_at(err, BIMO_ERR_NOINPUT, name, 0, 0, "cannot read the file: %s",
                            strerror(e));
    }
    bimo_csv_reader *r = NULL;
    bimo_status st = reader_new(name, opt, &r, err);
    if (!r) {
        if (!is_stdin)
            close(fd);
        return st;
    }
    r->src.fd = fd;
    r->src.owns_fd = !is_stdin;
    if (st != BIMO_OK) {
        bimo_csv_close(r);
        return st;
    }
    int regular = S_ISREG(sb.st_mode);
    r->total = regular ? (int64_t)sb.st_size : -1;
    if (regular)
        posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    int threaded = regular && (uint64_t)sb.st_size > 2 * (uint64_t)r->src.chunk;
    if (source_start(&r->src, threaded) != 0) {
        bimo_csv_close(r);
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    }
    *out = r;
    return BIMO_OK;
}

bimo_status bimo_csv_open_memory(const void *data, size_t len, const char *name,
                                 const bimo_csv_options *opt, bimo_csv_reader **out,
                                 bimo_error *err)
{
    if (!out || (!data && len))
        return bimo_fail(err, BIMO_ERR_ARG, "bimo_csv_open_memory: data and out are required");
    *out = NULL;
    bimo_csv_reader *r = NULL;
    bimo_status st = reader_new(name ? name : "memory", opt, &r, err);
    if (st == BIMO_OK && len < r->src.chunk)
        r->src.chunk = len ? len : 1; /* small inputs (fuzzers) need no 256 KiB buffers */
    if (st == BIMO_OK && source_start(&r->src, 0) != 0)
        st = bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    if (st != BIMO_OK) {
        bimo_csv_close(r);
        return st;
    }
    r->src.mem = data;
    r->src.mem_len = len;
    r->total = (int64_t)len;
    *out = r;
    return BIMO_OK;
}

void bimo_csv_close(bimo_csv_reader *r)
{
    if (!r)
        return;
    source_end(&r->src);
    EVP_MD_CTX_free(r->src.sha);
    csv_free(&r->p);
    if (r->cd != (iconv_t)-1)
        iconv_close(r->cd);
    free(r->in);
    free(r->rp);
    free(r->rp_tmp);
    free(r->conv);
    free(r->arena);
    free(r->offs);
    free(r->lens);
    free(r->ptrs);
    free(r->raw);
    free(r->name);
    free(r);
}

/* ---- Facts ------------------------------------------------------------------------------- */

const char *bimo_csv_encoding(const bimo_csv_reader *r)
{
    if (r->enc == ENC_CP1252)
        return "cp1252";
    return r->bom ? "utf-8-bom" : "utf-8";
}

int bimo_csv_delimiter(const bimo_csv_reader *r)
{
    return r->delim;
}

long bimo_csv_blank_lines(const bimo_csv_reader *r)
{
    return r->blank_lines;
}

const char *bimo_csv_first_line_problem(const bimo_csv_reader *r)
{
    return r->first_problem;
}

long bimo_csv_lines(const bimo_csv_reader *r)
{
    return r->line_no;
}

const char *bimo_csv_name(const bimo_csv_reader *r)
{
    return r->name;
}

uint64_t bimo_csv_bytes_read(const bimo_csv_reader *r)
{
    return r->bytes_read;
}

int64_t bimo_csv_total_bytes(const bimo_csv_reader *r)
{
    return r->total;
}

void bimo_csv_sha256_hex(const bimo_csv_reader *r, char out[65])
{
    memcpy(out, r->sha_hex, sizeof r->sha_hex);
}
