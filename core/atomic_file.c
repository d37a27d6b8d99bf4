#include "atomic_file.h"
#include "cleanup.h"
#include "error.h"

#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* Temporary files are ".NAME.cpucompat-N" beside the destination, N one of TMP_SLOTS slots, each
 * held under flock() by its writer while it writes. A leftover (the writer was killed by SIGKILL)
 * is a slot whose lock is free: the next write to NAME removes it, looking only at NAME's own
 * slots (a directory of thousands of files costs no more than an empty one). */
#define TMP_MARK  ".cpucompat-"
#define TMP_SLOTS 8
#define LINKS_MAX 40 /* as the kernel's MAXSYMLINKS */

static const int caught[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT};

/* The temporary file being written, for the signal handler: only async-signal-safe work there
 * (unlink a path prepared beforehand, then die of the signal as if it had not been caught). */
static char tmp_path[PATH_MAX];
static volatile sig_atomic_t tmp_armed;
static struct sigaction saved[CC_ARRAY_SIZE(caught)];

static void on_signal(int sig)
{
    int saved_errno = errno;

    if (tmp_armed)
        unlink(tmp_path);
    tmp_armed = 0;
    for (size_t i = 0; i < CC_ARRAY_SIZE(caught); i++)
        if (caught[i] == sig)
            sigaction(sig, &saved[i], NULL);
    raise(sig);
    errno = saved_errno;
}

static void block_signals(sigset_t *old)
{
    sigset_t set;

    sigemptyset(&set);
    for (size_t i = 0; i < CC_ARRAY_SIZE(caught); i++)
        sigaddset(&set, caught[i]);
    sigprocmask(SIG_BLOCK, &set, old);
}

static void handlers_install(void)
{
    struct sigaction sa = {.sa_handler = on_signal};

    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < CC_ARRAY_SIZE(caught); i++) {
        sigaction(caught[i], NULL, &saved[i]);
        /* A signal the caller ignores (nohup) stays ignored. */
        if (saved[i].sa_handler != SIG_IGN)
            sigaction(caught[i], &sa, NULL);
    }
}

static void handlers_restore(void)
{
    for (size_t i = 0; i < CC_ARRAY_SIZE(caught); i++)
        if (saved[i].sa_handler != SIG_IGN)
            sigaction(caught[i], &saved[i], NULL);
}

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

/* Follows the symbolic link at path (lstat'ed as st) only where the kernel's protected_symlinks
 * rule would (fs/namei.c may_follow_link): the link is the caller's, or its directory is not
 * both sticky and world-writable, or the link and that directory have one owner. A link another
 * user planted in /tmp is refused, so a root run cannot be made to replace any file. */
static int follow_link(const char *path, const struct stat *st, char **out)
{
    _cleanup_free_ char *dircopy = strdup(path), *target = NULL;
    const char *dir;
    struct stat dst;
    ssize_t n;

    if (!dircopy)
        return cc_error(ENOMEM, "out of memory");
    dir = dirname(dircopy);
    if (stat(dir, &dst) < 0)
        return cc_error(errno, "%s: cannot stat its directory: %s", path, strerror(errno));
    if (st->st_uid != geteuid() && (dst.st_mode & (S_ISVTX | S_IWOTH)) == (S_ISVTX | S_IWOTH) &&
        st->st_uid != dst.st_uid)
        return cc_error(EPERM,
                        "%s: a symbolic link of user %u in a sticky world-writable directory: "
                        "not followed (as the kernel's protected_symlinks would not)",
                        path, (unsigned)st->st_uid);
    target = malloc(PATH_MAX);
    if (!target)
        return cc_error(ENOMEM, "out of memory");
    n = readlink(path, target, PATH_MAX - 1);
    if (n < 0)
        return cc_error(errno, "%s: cannot read the link: %s", path, strerror(errno));
    target[n] = '\0';
    if (target[0] == '/') {
        *out = cc_steal(&target);
    } else if (asprintf(out, "%s/%s", dir, target) < 0) {
        *out = NULL;
        return cc_error(ENOMEM, "out of memory");
    }
    return 0;
}

/* Removes the slot at dirfd/name when it is a leftover: a regular file of ours whose lock is
 * free (its writer is gone; a live writer holds the lock until its rename). Anything else is
 * left alone. */
static void remove_if_stale(int dirfd, const char *name)
{
    _cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    struct stat st, now;

    if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid())
        return;
    if (flock(fd, LOCK_EX | LOCK_NB) < 0)
        return;
    /* Still the same file under that name (not one a writer has just made there). */
    if (fstatat(dirfd, name, &now, AT_SYMLINK_NOFOLLOW) == 0 && now.st_ino == st.st_ino &&
        now.st_dev == st.st_dev)
        unlinkat(dirfd, name, 0);
}

/* Removes the leftovers among prefix's slots in dir, then takes a free one: creates it, locks it,
 * and checks that it is still the file under that name (a concurrent sweep may have taken the new,
 * not yet locked file for a leftover). Returns the descriptor with tmp_path set, or -errno. */
static int take_slot(int dirfd, const char *dir, const char *prefix)
{
    int last = -EEXIST;

    for (int slot = 0; slot < TMP_SLOTS; slot++) {
        char name[NAME_MAX + 16];

        snprintf(name, sizeof(name), "%s%d", prefix, slot);
        remove_if_stale(dirfd, name);
    }
    for (int slot = 0, tries = 0; slot < TMP_SLOTS && tries < 4 * TMP_SLOTS; slot++, tries++) {
        char name[NAME_MAX + 16];
        struct stat st, now;
        int fd;

        snprintf(name, sizeof(name), "%s%d", prefix, slot);
        fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0) {
            if (errno != EEXIST)
                return -errno;
            continue;
        }
        if (flock(fd, LOCK_EX) < 0 || fstat(fd, &st) < 0) {
            last = -errno;
            close(fd);
            unlinkat(dirfd, name, 0);
            return last;
        }
        if (fstatat(dirfd, name, &now, AT_SYMLINK_NOFOLLOW) < 0 || now.st_ino != st.st_ino ||
            now.st_dev != st.st_dev) {
            close(fd);
            slot--; /* swept away before it was locked: that slot is free again */
            continue;
        }
        if ((size_t)snprintf(tmp_path, sizeof(tmp_path), "%s/%s", dir, name) >= sizeof(tmp_path)) {
            close(fd);
            unlinkat(dirfd, name, 0);
            return -ENAMETOOLONG;
        }
        return fd;
    }
    return last;
}

/* Test hook: with CPUCOMPAT_TEST_WRITE_HOLD=FIFO a write waits, its temporary file complete,
 * until the FIFO is opened and closed by the test, so a signal can be sent at that moment. */
static void test_hold(void)
{
    const char *hold = getenv("CPUCOMPAT_TEST_WRITE_HOLD");
    char buf[64];
    int fd;

    if (!hold || !*hold || (fd = open(hold, O_RDONLY | O_CLOEXEC)) < 0)
        return;
    while (read(fd, buf, sizeof(buf)) > 0)
        ;
    close(fd);
}

static int write_temp(const char *path, const char *dir, const char *base, const struct stat *st,
                      bool existed, const void *data, size_t len)
{
    _cleanup_close_ int fd = -1, dfd = -1;
    char prefix[NAME_MAX + 1];
    sigset_t old;
    mode_t mask;
    int r = 0, room;

    /* ".NAME" + ".cpucompat-" + N within NAME_MAX: a long NAME is shortened. */
    room = NAME_MAX - 1 - (int)strlen(TMP_MARK) - 3;
    snprintf(prefix, sizeof(prefix), ".%.*s%s", room, base, TMP_MARK);
    dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return cc_error(errno, "%s: cannot open its directory %s: %s", path, dir, strerror(errno));

    handlers_install();
    block_signals(&old);
    fd = take_slot(dfd, dir, prefix);
    r = fd < 0 ? fd : 0;
    tmp_armed = fd >= 0;
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (r == -EEXIST) {
        handlers_restore();
        return cc_error(EBUSY, "%s: %d other writes to it are under way", path, TMP_SLOTS);
    }
    if (r < 0) {
        handlers_restore();
        return cc_error(-r, "%s: cannot create a temporary file in %s: %s", path, dir,
                        strerror(-r));
    }
    /* The slot is made 0600: give a new file the mode creat() would have, and a replaced file its
     * old mode and owner. */
    mask = umask(0);
    umask(mask);
    r = write_all(fd, data, len);
    if (r == 0 && fchmod(fd, existed ? st->st_mode & 07777 : 0666 & ~mask) < 0)
        r = -errno;
    if (r == 0 && existed && (st->st_uid != geteuid() || st->st_gid != getegid()) &&
        fchown(fd, st->st_uid, st->st_gid) < 0 && errno != EPERM)
        r = -errno;
    if (r == 0 && fsync(fd) < 0)
        r = -errno;
    /* The file stays open, its lock held, until renamed: a free lock means a leftover. */
    if (r == 0)
        test_hold();
    if (r == 0 && rename(tmp_path, path) < 0)
        r = -errno;
    block_signals(&old);
    if (r < 0)
        unlink(tmp_path);
    tmp_armed = 0;
    sigprocmask(SIG_SETMASK, &old, NULL);
    handlers_restore();
    if (r < 0)
        return cc_error(-r, "%s: cannot write: %s", path, strerror(-r));
    return 0;
}

int cc_write_file_atomic(const char *path, const void *data, size_t len)
{
    _cleanup_free_ char *dircopy = NULL, *basecopy = NULL, *resolved = NULL;
    _cleanup_close_ int fd = -1, dfd = -1;
    struct stat st;
    bool existed = false;
    const char *dir;
    int r, links = 0;

    if (strcmp(path, "-") == 0) {
        r = write_all(STDOUT_FILENO, data, len);
        if (r < 0)
            return cc_error(-r, "standard output: write failed: %s", strerror(-r));
        return 0;
    }
    /* Write through a symbolic link to its target, keeping the link. */
    while (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        char *next;

        if (++links > LINKS_MAX)
            return cc_error(ELOOP, "%s: too many levels of symbolic links", path);
        if ((r = follow_link(path, &st, &next)) < 0)
            return r;
        free(resolved);
        path = resolved = next;
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
    basecopy = strdup(path);
    if (!dircopy || !basecopy)
        return cc_error(ENOMEM, "out of memory");
    dir = dirname(dircopy);
    r = write_temp(path, dir, basename(basecopy), &st, existed, data, len);
    if (r < 0)
        return r;
    /* Make the rename itself durable. A failure here leaves a complete file, so only try. */
    dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0)
        fsync(dfd);
    return 0;
}
