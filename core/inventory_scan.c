/* Which files an inventory reads: the files given, and the *.xml files under the directories
 * given. nftw holds at most a few directories open at once, so a tree of any size costs a
 * bounded number of descriptors. */
#include "inventory.h"
#include "error.h"
#include "xalloc.h"

#include <errno.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SCAN_OPEN_DIRS 16

/* nftw's callback takes no argument of ours. */
static __thread struct {
    struct cc_inventory *inv;
    struct cc_strlist *files;
} scan;

static bool is_xml(const char *path)
{
    size_t n = strlen(path);

    return n > 4 && strcmp(path + n - 4, ".xml") == 0;
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    /* Gone between the directory read and the stat (a dump's temporary file renamed into
     * place, a host file removed): it is not part of the fleet now, and no error. */
    if (type == FTW_NS && errno == ENOENT)
        return 0;
    if (type == FTW_DNR || type == FTW_NS) {
        char *msg = xasprintf("%s: cannot read: %s", path, strerror(errno ? errno : EACCES));

        cc_inventory_error(scan.inv, path, msg);
        free(msg);
    } else if (type == FTW_F && is_xml(path)) {
        cc_strlist_add(scan.files, path);
    }
    return 0;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int cc_inventory_scan(struct cc_inventory *inv, const char *const *paths, size_t n,
                      struct cc_strlist *files)
{
    for (size_t i = 0; i < n; i++) {
        struct stat st;

        if (stat(paths[i], &st) < 0) {
            char *msg = xasprintf("%s: %s", paths[i], strerror(errno));

            cc_inventory_error(inv, paths[i], msg);
            free(msg);
        } else if (S_ISDIR(st.st_mode)) {
            scan.inv = inv;
            scan.files = files;
            errno = 0;
            if (nftw(paths[i], visit, SCAN_OPEN_DIRS, FTW_PHYS) < 0)
                return cc_error(errno, "%s: cannot walk the directory: %s", paths[i],
                                strerror(errno));
        } else {
            cc_strlist_add(files, paths[i]);
        }
    }
    if (files->n)
        qsort(files->items, files->n, sizeof(char *), by_path);
    /* A file named twice (or reached twice) is read once. */
    size_t w = 0;
    for (size_t i = 0; i < files->n; i++) {
        if (w && strcmp(files->items[w - 1], files->items[i]) == 0)
            free(files->items[i]);
        else
            files->items[w++] = files->items[i];
    }
    files->n = w;
    return 0;
}
