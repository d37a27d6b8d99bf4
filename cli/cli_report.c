/* A report on its way to standard output: held back until it is complete, so an error half-way
 * never leaves half a report for a script to parse. Small reports stay in memory; past
 * SPILL_AT bytes the report moves to an unnamed temporary file, because a fleet's JSON (about
 * 70 MB at 100,000 hosts) held in a growing buffer cost more memory than the whole inventory
 * (the buffer and its copy while it doubled). */
#include "cli.h"
#include "../core/error.h"
#include "../core/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SPILL_AT (1u << 20)

/* An unnamed file in $TMPDIR (else /tmp): nothing to clean up after a kill. -1 when the
 * directory cannot hold one; the report then stays in memory. */
static int unnamed_file(void)
{
    const char *dir = getenv("TMPDIR");
    int fd = -1;

    if (dir && *dir)
        fd = open(dir, O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        fd = open("/tmp", O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
    return fd;
}

static bool write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

static ssize_t report_write(void *cookie, const char *data, size_t n)
{
    struct cli_report *r = cookie;

    if (r->fd < 0 && !r->in_memory && r->len + n > SPILL_AT) {
        r->fd = unnamed_file();
        if (r->fd < 0) {
            r->in_memory = true;
        } else {
            if (!write_all(r->fd, r->buf, r->len))
                r->err = errno ? errno : EIO;
            free(r->buf);
            r->buf = NULL;
            r->len = r->cap = 0;
        }
    }
    if (r->fd >= 0) {
        if (!r->err && !write_all(r->fd, data, n))
            r->err = errno ? errno : EIO;
        return r->err ? -1 : (ssize_t)n;
    }
    if (r->len + n > r->cap) {
        r->cap = r->cap ? r->cap : 4096;
        while (r->len + n > r->cap)
            r->cap *= 2;
        r->buf = xrealloc(r->buf, r->cap);
    }
    memcpy(r->buf + r->len, data, n);
    r->len += n;
    return (ssize_t)n;
}

FILE *cli_report_open(struct cli_report *r)
{
    cookie_io_functions_t io = {.write = report_write};

    *r = (struct cli_report){.fd = -1};
    r->f = fopencookie(r, "w", io);
    return r->f ? r->f : stdout;
}

/* The spilled report, copied to standard output. */
static int copy_out(int fd)
{
    char chunk[65536];
    ssize_t n;

    if (lseek(fd, 0, SEEK_SET) < 0)
        return -1;
    while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 || fwrite(chunk, 1, (size_t)n, stdout) != (size_t)n)
            return -1;
    }
    return 0;
}

int cli_report_close(struct cli_report *r, bool ok)
{
    int rc = 0;

    if (r->f) {
        if (fclose(r->f) != 0 && ok && !r->err)
            r->err = errno ? errno : EIO;
        if (ok && r->err)
            rc = cc_error(r->err, "cannot hold the report until it is complete: %s",
                          strerror(r->err));
        else if (ok && r->fd >= 0 && copy_out(r->fd) < 0)
            rc = cc_error(errno ? errno : EIO, "reading back the report: %s",
                          strerror(errno ? errno : EIO));
        else if (ok && r->len)
            fwrite(r->buf, 1, r->len, stdout);
        if (r->fd >= 0)
            close(r->fd);
        free(r->buf);
    }
    *r = (struct cli_report){.fd = -1};
    return rc;
}
