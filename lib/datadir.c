/* datadir.c — locating bimo's data folder (indicators, templates, district profile).
 * A program run from the build tree uses the source tree, so tests need no install. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bimo_config.h"
#include "error.h"

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* True when the running executable sits below the build root. */
static int running_from_build_tree(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return 0;
    exe[n] = '\0';
    size_t root_len = strlen(BIMO_BUILD_ROOT);
    return strncmp(exe, BIMO_BUILD_ROOT, root_len) == 0 && exe[root_len] == '/';
}

bimo_status bimo_data_dir(char *buf, size_t size, bimo_error *err)
{
    const char *dir = getenv("BIMO_DATA");
    if (!dir || !*dir)
        dir = running_from_build_tree() ? BIMO_SOURCE_ROOT : BIMO_INSTALL_DATA;
    if ((size_t)snprintf(buf, size, "%s", dir) >= size)
        return bimo_fail(err, BIMO_ERR_ARG, "data folder path too long: %s", dir);
    if (!is_dir(buf))
        return bimo_fail(err, BIMO_ERR_NOINPUT, "data folder %s does not exist (set BIMO_DATA)",
                         buf);
    return BIMO_OK;
}
