/* The /dev/kvm of the mocked-KVM probe tests (arm64_probe_mock.c, s390x_probe_mock.c): open()
 * is wrapped at link time (-Wl,--wrap=open); /dev/kvm opens as KVM_FD, or fails with
 * mock_open_errno when a test sets it; every other path is the real open(). */
#ifndef CC_MOCK_OPEN_H
#define CC_MOCK_OPEN_H

#include <errno.h>
#include <stdarg.h>
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

#endif
