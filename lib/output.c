/* output.c — output files that appear whole or not at all: written to a temporary name in the
 * target folder (same file system, so rename is atomic) and renamed after fsync. The temporary
 * file is locked (flock) while its run lives, so the next run can tell what a killed one left
 * and remove it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "output.h"
#include "output_dir.h"

struct bimo_output {
    char *path;
    char *tmp;
    FILE *fp;
};

static void output_free(bimo_output *o)
{
    free(o->path);
    free(o->tmp);
    free(o);
}

bimo_status bimo_output_open(const char *path, unsigned flags, bimo_output **out, FILE **fp,
                             bimo_error *err)
{
    *out = NULL;
    *fp = NULL;
    if (!(flags & BIMO_OUTPUT_OVERWRITE) && access(path, F_OK) == 0)
        return bimo_fail(err, BIMO_ERR_CANTCREATE, "%s exists already; use --force to replace it",
                         path);
    bimo_output *o = calloc(1, sizeof *o);
    size_t n = strlen(path) + 32;
    if (!o || !(o->path = strdup(path)) || !(o->tmp = malloc(n))) {
        if (o)
            output_free(o);
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    }
    /* A dot-name beside the target, so the rename stays on one file system. */
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
    snprintf(o->tmp, n, "%.*s.%s" BIMO_OUTPUT_TMP_TAG "XXXXXX", (int)dir_len, path, path + dir_len);
    char parent[4096], base[256];
    bimo_output_split_path(path, parent, sizeof parent, base, sizeof base);
    bimo_output_remove_leftovers(parent, base);
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        int e = errno;
        output_free(o);
        return bimo_fail(err, e == ENOSPC ? BIMO_ERR_IO : BIMO_ERR_CANTCREATE,
                         "cannot create %s: %s", path, strerror(e));
    }
    flock(fd, LOCK_EX | LOCK_NB); /* new and unique: nobody else holds it */
    /* mkstemp made it 0600; files without personal data are readable like any other. */
    if (!(flags & BIMO_OUTPUT_PRIVATE))
        fchmod(fd, 0644);
    if (!(o->fp = fdopen(fd, "wb"))) {
        close(fd);
        unlink(o->tmp);
        output_free(o);
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    }
    *out = o;
    *fp = o->fp;
    return BIMO_OK;
}

bimo_status bimo_output_commit(bimo_output *o, bimo_error *err)
{
    int failed = ferror(o->fp) || fflush(o->fp) != 0 || fsync(fileno(o->fp)) != 0;
    int e = errno;
    if (fclose(o->fp) != 0 && !failed) {
        failed = 1;
        e = errno;
    }
    o->fp = NULL;
    if (!failed && rename(o->tmp, o->path) != 0) {
        failed = 1;
        e = errno;
    }
    bimo_status st = BIMO_OK;
    if (failed) {
        unlink(o->tmp);
        st = bimo_fail(err, BIMO_ERR_IO, "cannot write %s: %s", o->path, strerror(e));
    }
    output_free(o);
    return st;
}

void bimo_output_abort(bimo_output *o)
{
    if (!o)
        return;
    if (o->fp)
        fclose(o->fp);
    unlink(o->tmp);
    output_free(o);
}

const char *bimo_output_temp_path(const bimo_output *o)
{
    return o->tmp;
}
