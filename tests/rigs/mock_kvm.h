/* What the mocked-KVM probe tests (arm64_probe_mock.c, s390x_probe_mock.c) share: open() is
 * wrapped at link time (-Wl,--wrap=open), so /dev/kvm opens as KVM_FD or fails with
 * mock_open_errno when a test sets it, every other path being the real open(); the probe's
 * notes are kept in mock_notes; ok() prints a TAP line. */
#ifndef CC_MOCK_KVM_H
#define CC_MOCK_KVM_H

#include "../../core/error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define KVM_FD 9001

int __real_open(const char *path, int flags, ...);

static int mock_open_errno;

int __wrap_open(const char *path, int flags, ...)
{
    va_list ap;
    int mode;

    if (strcmp(path, "/dev/kvm") == 0) {
        if (mock_open_errno) {
            errno = mock_open_errno;
            return -1;
        }
        return KVM_FD;
    }
    va_start(ap, flags);
    mode = va_arg(ap, int);
    va_end(ap);
    return __real_open(path, flags, mode);
}

static int n, failed;
static char mock_notes[1024];

static void note(const char *msg)
{
    snprintf(mock_notes, sizeof(mock_notes), "%s", msg);
}

static void ok(int cond, const char *what)
{
    n++;
    failed += !cond;
    printf("%s %d - %s\n", cond ? "ok" : "not ok", n, what);
    if (!cond)
        printf("#   %s\n", cc_error_message());
}

#endif
