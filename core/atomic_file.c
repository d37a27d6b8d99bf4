#include "atomic_file.h"
#include "cleanup.h"
#include "error.h"

#include <fcntl.h>
#include <stdbool.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_all(int fd, const char *p, size_t len)
{
    while (len) {
        ssize_t n = write(fd, p, len);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Devices, FIFOs and sockets (e.g. -o /dev/stdout) are streams: replacing them with a file
 * would be wrong, and atomicity means nothing there. */
static int write_stream(const char *path)
{
    return open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
}

int cc_write_file_atomic(const char *path, const void *data, size_t len)
{
    _cleanup_free_ char *tmp = NULL, *dircopy = NULL, *resolved = NULL;
    _cleanup_close_ int fd = -1, dfd = -1;
    struct stat st;
    bool existed = false;
    const char *dir;
    mode_t mask;
    int r;

    if (strcmp(path, "-") == 0) {
        r = write_all(STDOUT_FILENO, data, len);
        if (r < 0)
            return cc_error(-r, "standard output: write failed: %s", strerror(-r));
        return 0;
    }
    /* Write through a symbolic link to its target, keeping the link. */
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        resolved = realpath(path, NULL);
        if (!resolved)
            return cc_error(errno, "%s: cannot follow the link: %s", path, strerror(errno));
        path = resolved;
    }
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return cc_error(EISDIR, "%s: is a directory", path);
        if (!S_ISREG(st.st_mode)) {
            fd = write_stream(path);
            if (fd < 0)
                return cc_error(errno, "%s: cannot open: %s", path, strerror(errno));
            r = write_all(fd, data, len);
            if (r < 0)
                return cc_error(-r, "%s: write failed: %s", path, strerror(-r));
            return 0;
        }
        existed = true;
    }
    dircopy = strdup(path);
    if (!dircopy)
        return cc_error(ENOMEM, "out of memory");
    dir = dirname(dircopy);
    if (asprintf(&tmp, "%s/.%s.XXXXXX", dir, strrchr(path, '/') ? strrchr(path, '/') + 1 : path) <
        0) {
        tmp = NULL;
        return cc_error(ENOMEM, "out of memory");
    }
    fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0)
        return cc_error(errno, "%s: cannot create a temporary file in %s: %s", path, dir,
                        strerror(errno));
    /* mkostemp makes 0600: give a new file the mode creat() would have, and a replaced file its
     * old mode and owner. */
    mask = umask(0);
    umask(mask);
    r = write_all(fd, data, len);
    if (r == 0 && fchmod(fd, existed ? st.st_mode & 07777 : 0666 & ~mask) < 0)
        r = -errno;
    if (r == 0 && existed && (st.st_uid != geteuid() || st.st_gid != getegid()) &&
        fchown(fd, st.st_uid, st.st_gid) < 0 && errno != EPERM)
        r = -errno;
    if (r == 0 && fsync(fd) < 0)
        r = -errno;
    if (r == 0 && close(fd) < 0)
        r = -errno;
    fd = -1;
    if (r == 0 && rename(tmp, path) < 0)
        r = -errno;
    if (r < 0) {
        unlink(tmp);
        return cc_error(-r, "%s: cannot write: %s", path, strerror(-r));
    }
    /* Make the rename itself durable. A failure here leaves a complete file, so only try. */
    dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0)
        fsync(dfd);
    return 0;
}
