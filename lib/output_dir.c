/* output_dir.c — an output folder that appears whole or not at all: built in a temporary folder
 * beside the target, synced, and swapped into place with one rename, so a kill at any moment
 * leaves either the previous folder or the new one, complete, under the target's name. */
#include "output_dir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"

/* Temporary files and folders are ".<name>.bimo-tmp-XXXXXX" beside <name>; one still in use is
 * held with flock() by its run, so one that nobody holds belongs to a run that died. */
#define TMP_TAG BIMO_OUTPUT_TMP_TAG
#define OLD_TAG ".bimo-old-" /* the previous folder, moved aside where rename cannot exchange */

const bimo_output_kind bimo_output_export = {"export", BIMO_EXPORT_MANIFEST,
                                             "\"" BIMO_EXPORT_FORMAT "\""};
/* Every report folder holds its PDF; a PDF file starts with "%PDF-". */
const bimo_output_kind bimo_output_report = {"report", "bildungsbericht.pdf", "%PDF-"};

void bimo_output_split_path(const char *path, char *parent, size_t psize, char *base, size_t bsize)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    size_t n = strlen(buf);
    while (n > 1 && buf[n - 1] == '/') /* "out/" names the folder "out" */
        buf[--n] = '\0';
    char *slash = strrchr(buf, '/');
    if (!slash) {
        snprintf(parent, psize, ".");
        snprintf(base, bsize, "%s", buf);
    } else {
        snprintf(base, bsize, "%s", slash + 1);
        if (slash == buf)
            snprintf(parent, psize, "/");
        else
            snprintf(parent, psize, "%.*s", (int)(slash - buf), buf);
    }
}

bimo_status bimo_output_dir_init(bimo_output_dir *d, const bimo_output_kind *kind, const char *path,
                                 bimo_error *err)
{
    memset(d, 0, sizeof *d);
    d->kind = kind;
    d->lock_fd = -1;
    if (!path || !*path || strlen(path) >= sizeof d->path - 32)
        return bimo_fail(err, BIMO_ERR_ARG, "the %s folder needs a name (at most %zu bytes)",
                         kind->what, sizeof d->path - 32);
    bimo_output_split_path(path, d->parent, sizeof d->parent, d->base, sizeof d->base);
    if (!d->base[0] || strcmp(d->base, ".") == 0 || strcmp(d->base, "..") == 0 ||
        strcmp(d->base, "/") == 0)
        return bimo_fail(err, BIMO_ERR_ARG, "\"%s\" cannot be the %s folder; name a new one", path,
                         kind->what);
    snprintf(d->path, sizeof d->path, "%s/%s", d->parent, d->base);
    return BIMO_OK;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int remove_tree(const char *path)
{
    return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Removes a leftover file or folder unless a running run holds it. */
static int remove_if_orphaned(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return 0;
    int orphaned = flock(fd, LOCK_EX | LOCK_NB) == 0;
    int removed = orphaned && remove_tree(path) == 0;
    close(fd);
    return removed;
}

/* Whether name is ".<base><tag>XXXXXX". */
static int is_leftover(const char *base, const char *name, const char *tag)
{
    char prefix[300];
    snprintf(prefix, sizeof prefix, ".%s%s", base, tag);
    size_t plen = strlen(prefix);
    return strncmp(name, prefix, plen) == 0 && strlen(name) == plen + 6;
}

int bimo_output_remove_leftovers(const char *parent, const char *base)
{
    DIR *dir = opendir(parent);
    if (!dir)
        return 0;
    int removed = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (!is_leftover(base, e->d_name, TMP_TAG))
            continue;
        char path[4500];
        snprintf(path, sizeof path, "%s/%s", parent, e->d_name);
        removed += remove_if_orphaned(path);
    }
    closedir(dir);
    return removed;
}

int bimo_output_dir_cleanup(const bimo_output_dir *d)
{
    DIR *dir = opendir(d->parent);
    if (!dir)
        return 0;
    int removed = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (!is_leftover(d->base, e->d_name, OLD_TAG))
            continue;
        char path[4500];
        snprintf(path, sizeof path, "%s/%s", d->parent, e->d_name);
        /* A run killed between its two renames left the previous folder aside: put it back. */
        struct stat st;
        if (lstat(d->path, &st) != 0 && errno == ENOENT && rename(path, d->path) == 0)
            continue;
        removed += remove_if_orphaned(path);
    }
    closedir(dir);
    return removed + bimo_output_remove_leftovers(d->parent, d->base);
}

bimo_status bimo_output_dir_check(const bimo_output_dir *d, int force, bimo_error *err)
{
    struct stat st;
    if (lstat(d->path, &st) != 0)
        return errno == ENOENT ? BIMO_OK
                               : bimo_fail(err, BIMO_ERR_CANTCREATE, "cannot look at %s: %s",
                                           d->path, strerror(errno));
    if (!force)
        return bimo_fail(err, BIMO_ERR_CANTCREATE,
                         "%s exists already; use --force to replace the %s", d->path,
                         d->kind->what);
    /* --force replaces an earlier folder of this kind, never some other folder that happens to
     * be there (a home folder, the folder holding the store). */
    char marker[4500];
    snprintf(marker, sizeof marker, "%s/%s", d->path, d->kind->marker);
    int fd = S_ISDIR(st.st_mode) ? open(marker, O_RDONLY | O_CLOEXEC | O_NOFOLLOW) : -1;
    char head[256] = "";
    ssize_t n = fd >= 0 ? read(fd, head, sizeof head - 1) : 0;
    if (fd >= 0)
        close(fd);
    head[n > 0 ? n : 0] = '\0';
    if (!strstr(head, d->kind->marker_text))
        return bimo_fail(err, BIMO_ERR_CANTCREATE,
                         "%s exists and is not a bimo %s (no %s); remove it yourself or choose "
                         "another folder",
                         d->path, d->kind->what, d->kind->marker);
    return BIMO_OK;
}

bimo_status bimo_output_dir_begin(bimo_output_dir *d, bimo_error *err)
{
    snprintf(d->tmp, sizeof d->tmp, "%s/.%s" TMP_TAG "XXXXXX", d->parent, d->base);
    if (!mkdtemp(d->tmp)) {
        int e = errno;
        d->tmp[0] = '\0';
        return bimo_fail(err, e == ENOSPC ? BIMO_ERR_IO : BIMO_ERR_CANTCREATE,
                         "cannot create a folder beside %s: %s", d->path, strerror(e));
    }
    /* mkdtemp made it private; the published folder is an ordinary one */
    mode_t mask = umask(0);
    umask(mask);
    chmod(d->tmp, 0777 & ~mask);
    d->lock_fd = open(d->tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (d->lock_fd < 0 || flock(d->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        bimo_output_dir_abort(d);
        return bimo_fail(err, BIMO_ERR_CANTCREATE, "cannot lock %s: %s", d->tmp, strerror(e));
    }
    return BIMO_OK;
}

static int sync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* Falls back to two renames where the file system has no atomic exchange (e.g. NFS): the old
 * folder waits under the temporary name while the new one moves in. */
static int swap_by_two_renames(const bimo_output_dir *d, char *aside, size_t size)
{
    snprintf(aside, size, "%s/.%s" OLD_TAG "XXXXXX", d->parent, d->base);
    if (!mkdtemp(aside) || rmdir(aside) != 0 || rename(d->path, aside) != 0)
        return -1;
    if (rename(d->tmp, d->path) != 0) {
        int e = errno;
        rename(aside, d->path);
        errno = e;
        return -1;
    }
    return 0;
}

bimo_status bimo_output_dir_commit(bimo_output_dir *d, int force, bimo_error *err)
{
    if (sync_dir(d->tmp) != 0)
        return bimo_fail(err, BIMO_ERR_IO, "cannot sync %s: %s", d->tmp, strerror(errno));
    char old[4500] = "";
    int rc = renameat2(AT_FDCWD, d->tmp, AT_FDCWD, d->path, RENAME_NOREPLACE);
    if (rc != 0 && errno == EEXIST && force) {
        /* One atomic step: the new folder under the name, the old one under the temporary. */
        rc = renameat2(AT_FDCWD, d->tmp, AT_FDCWD, d->path, RENAME_EXCHANGE);
        if (rc == 0)
            snprintf(old, sizeof old, "%s", d->tmp);
        else if (errno == EINVAL || errno == ENOSYS)
            rc = swap_by_two_renames(d, old, sizeof old);
    } else if (rc != 0 && (errno == EINVAL || errno == ENOSYS)) {
        struct stat st;
        if (lstat(d->path, &st) == 0)
            errno = EEXIST;
        else
            rc = rename(d->tmp, d->path);
    }
    if (rc != 0) {
        int e = errno;
        if (e == EEXIST || e == ENOTEMPTY)
            return bimo_fail(err, BIMO_ERR_CANTCREATE,
                             "%s appeared while the %s ran; use --force to replace it", d->path,
                             d->kind->what);
        return bimo_fail(err, BIMO_ERR_IO, "cannot rename %s to %s: %s", d->tmp, d->path,
                         strerror(e));
    }
    d->tmp[0] = '\0';
    sync_dir(d->parent);
    if (old[0])
        remove_tree(old);
    if (d->lock_fd >= 0)
        close(d->lock_fd);
    d->lock_fd = -1;
    return BIMO_OK;
}

void bimo_output_dir_abort(bimo_output_dir *d)
{
    if (d->tmp[0])
        remove_tree(d->tmp);
    d->tmp[0] = '\0';
    if (d->lock_fd >= 0)
        close(d->lock_fd);
    d->lock_fd = -1;
}
