/* dump: which QEMU this host runs guests with, from the emulator's own --version. */
#include "qemu.h"
#include "cleanup.h"
#include "error.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* QEMU prints two short lines; anything much longer or slower is not a QEMU to trust. */
#define VERSION_MAX_OUTPUT 4096
#define VERSION_TIMEOUT_MS 5000

static bool is_executable(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* qemu-system-ARCH on PATH, then where libvirt looks for it (Debian's and RHEL's qemu-kvm). */
static char *find_emulator(const char *arch)
{
    const char *path = getenv("PATH");
    _cleanup_free_ char *dirs = strdup(path && *path ? path : "/usr/bin:/bin");
    char *save = NULL, *found = NULL;

    for (char *d = dirs ? strtok_r(dirs, ":", &save) : NULL; d; d = strtok_r(NULL, ":", &save)) {
        if (*d != '/' || asprintf(&found, "%s/qemu-system-%s", d, arch) < 0) {
            found = NULL;
            continue;
        }
        if (is_executable(found))
            return found;
        free(found);
        found = NULL;
    }
    const char *fixed[] = {NULL, "/usr/libexec/qemu-kvm", "/usr/bin/qemu-kvm"};
    _cleanup_free_ char *usr_bin = NULL;
    if (asprintf(&usr_bin, "/usr/bin/qemu-system-%s", arch) < 0)
        usr_bin = NULL;
    fixed[0] = usr_bin;
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
        if (fixed[i] && is_executable(fixed[i]))
            return strdup(fixed[i]);
    return NULL;
}

static long ms_since(const struct timespec *t0)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Runs "BINARY --version" without a shell, with a fixed environment, its output capped and
 * its time bounded. Returns 0 with the output, or -1 with why in reason. */
static int run_version(const char *binary, char *out, size_t cap, char *reason, size_t rlen)
{
    char *const argv[] = {(char *)binary, "--version", NULL};
    char *const envp[] = {"PATH=/usr/bin:/bin", "LC_ALL=C", NULL};
    struct timespec t0;
    size_t len = 0;
    int fds[2], status = 0;
    bool timed_out = false;
    pid_t pid;

    if (pipe2(fds, O_CLOEXEC) < 0) {
        snprintf(reason, rlen, "pipe: %s", strerror(errno));
        return -1;
    }
    pid = fork();
    if (pid < 0) {
        snprintf(reason, rlen, "fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);

        /* Without /dev/null (a bare /dev), it gets no input and its stderr is closed. */
        if (dup2(fds[1], 1) < 0)
            _exit(127);
        if (null >= 0) {
            dup2(null, 0);
            dup2(null, 2);
        } else {
            close(0);
            close(2);
        }
        execve(binary, argv, envp);
        _exit(127);
    }
    close(fds[1]);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        long left = VERSION_TIMEOUT_MS - ms_since(&t0);
        struct pollfd p = {.fd = fds[0], .events = POLLIN};
        ssize_t n;

        if (left <= 0 || len >= cap - 1) {
            timed_out = left <= 0;
            break;
        }
        if (poll(&p, 1, (int)left) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (p.revents == 0)
            continue;
        n = read(fds[0], out + len, cap - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    out[len] = '\0';
    close(fds[0]);
    /* After its output QEMU exits at once; whatever still runs at the deadline, or printed more
     * than any QEMU does, is cut short. */
    while (!timed_out && len < cap - 1 && waitpid(pid, &status, WNOHANG) == 0) {
        if (ms_since(&t0) >= VERSION_TIMEOUT_MS)
            timed_out = true;
        else
            nanosleep(&(struct timespec){.tv_nsec = 10000000}, NULL);
    }
    if (timed_out || len >= cap - 1) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        if (timed_out)
            snprintf(reason, rlen, "gave no answer within %d s", VERSION_TIMEOUT_MS / 1000);
        else
            snprintf(reason, rlen, "printed more than %zu bytes", cap - 1);
        return -1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(reason, rlen, "failed (%s %d)", WIFEXITED(status) ? "exit status" : "signal",
                 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        return -1;
    }
    return 0;
}

/* "QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)" -> "7.2.22". */
static int parse_version_output(const char *out, char *version, size_t len)
{
    static const char lead[] = "QEMU emulator version ";
    const char *p = strstr(out, lead);
    size_t n;
    unsigned v;

    if (!p || (p != out && p[-1] != '\n'))
        return -1;
    p += sizeof(lead) - 1;
    n = strspn(p, "0123456789.");
    if (n == 0 || n >= len)
        return -1;
    memcpy(version, p, n);
    version[n] = '\0';
    return cc_qemu_version_parse(version, 4, &v) < 0 ? -1 : 0;
}

int cc_qemu_probe(const char *arch, char **version, char **binary, void (*note)(const char *))
{
    const char *forced = getenv("CPUCOMPAT_QEMU");
    char out[VERSION_MAX_OUTPUT], ver[CC_QEMU_VERSION_LEN + 8], reason[128], *msg = NULL;
    _cleanup_free_ char *bin = NULL;

    *version = *binary = NULL;
    bin = forced && *forced ? strdup(forced) : find_emulator(arch);
    if (!bin) {
        if (asprintf(&msg,
                     "no QEMU found (qemu-system-%s on PATH, /usr/bin/qemu-system-%s, "
                     "/usr/libexec/qemu-kvm, /usr/bin/qemu-kvm): the file records no QEMU version",
                     arch, arch) < 0)
            return cc_error(ENOMEM, "out of memory");
    } else if (!is_executable(bin)) {
        if (asprintf(&msg, "%s: not an executable file: the file records no QEMU version", bin) < 0)
            return cc_error(ENOMEM, "out of memory");
    } else if (run_version(bin, out, sizeof(out), reason, sizeof(reason)) < 0) {
        if (asprintf(&msg, "%s --version %s: the file records no QEMU version", bin, reason) < 0)
            return cc_error(ENOMEM, "out of memory");
    } else if (parse_version_output(out, ver, sizeof(ver)) < 0) {
        if (asprintf(&msg,
                     "%s --version printed no 'QEMU emulator version X.Y.Z': the file records no "
                     "QEMU version",
                     bin) < 0)
            return cc_error(ENOMEM, "out of memory");
    } else {
        *version = strdup(ver);
        *binary = bin;
        bin = NULL;
        if (!*version) {
            free(*binary);
            *binary = NULL;
            return cc_error(ENOMEM, "out of memory");
        }
        return 0;
    }
    if (note)
        note(msg);
    free(msg);
    return 0;
}
