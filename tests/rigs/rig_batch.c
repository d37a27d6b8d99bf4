/* Several programs in one boot of the arm64 KVM rig (tests/rigs/arm64-kvm-lib.sh's rig_flush).
 * The rig runs one program per boot, and booting the emulated kernel costs more than a verify:
 * a script's verifies on one emulated host share a boot through this runner. Each job still
 * makes its own VM, so nothing of one is seen by the next.
 *
 *   rig_batch JOBFILE
 * JOBFILE: one job a line, "NAME PROGRAM ARG...", fields separated by single spaces (no
 * quoting: the rig library writes only names, paths and options without blanks). The jobs run
 * one after another with their standard output and error kept apart in /tmp; then, for each job
 * in order, a line "@@rig-batch NAME STATUS OUTBYTES ERRBYTES" and the bytes of both
 * (tests/rigs/rig-batch-split.py takes them apart). STATUS is the exit status, 128+N for signal
 * N. Exit 0 when every job ran (whatever its status); 125 when the batch itself failed. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_JOBS 256
#define MAX_ARGS 32

struct job {
    char *name;
    char *argv[MAX_ARGS + 1];
    int status;
};

static int fail(const char *what)
{
    fprintf(stderr, "rig_batch: %s\n", what);
    return 125;
}

static int run(struct job *j)
{
    char out[256], err[256];
    pid_t pid;
    int st;

    snprintf(out, sizeof(out), "/tmp/%s.out", j->name);
    snprintf(err, sizeof(err), "/tmp/%s.err", j->name);
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);

        if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
            _exit(125);
        execv(j->argv[0], j->argv);
        fprintf(stderr, "rig_batch: cannot run %s\n", j->argv[0]);
        _exit(127);
    }
    if (waitpid(pid, &st, 0) != pid)
        return -1;
    j->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return 0;
}

/* The whole of /tmp/NAME.SUFFIX into *buf (NULL and 0 for an empty file). */
static int slurp(const char *name, const char *suffix, char **buf, size_t *len)
{
    char path[256];
    struct stat sb;
    int fd;

    snprintf(path, sizeof(path), "/tmp/%s.%s", name, suffix);
    *buf = NULL;
    *len = 0;
    if ((fd = open(path, O_RDONLY)) < 0 || fstat(fd, &sb) < 0)
        return -1;
    if (sb.st_size > 0) {
        *buf = malloc((size_t)sb.st_size);
        if (!*buf || read(fd, *buf, (size_t)sb.st_size) != sb.st_size) {
            close(fd);
            return -1;
        }
        *len = (size_t)sb.st_size;
    }
    close(fd);
    return 0;
}

int main(int argc, char **argv)
{
    static struct job jobs[MAX_JOBS];
    static char text[65536];
    size_t n = 0, len;
    FILE *f;

    if (argc != 2)
        return fail("usage: rig_batch JOBFILE");
    if (!(f = fopen(argv[1], "r")))
        return fail("cannot open the job file");
    len = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    if (len == sizeof(text) - 1)
        return fail("job file too long");
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        struct job *j = &jobs[n];
        size_t a = 0;

        if (n == MAX_JOBS)
            return fail("too many jobs");
        for (char *p = line; p; a++) {
            char *sp = strchr(p, ' ');

            if (a > MAX_ARGS)
                return fail("too many arguments");
            if (sp)
                *sp++ = '\0';
            if (a == 0)
                j->name = p;
            else
                j->argv[a - 1] = p;
            p = sp;
        }
        if (a < 2)
            return fail("a job needs a name and a program");
        n++;
    }
    for (size_t i = 0; i < n; i++)
        if (run(&jobs[i]) < 0)
            return fail("cannot run a job");
    for (size_t i = 0; i < n; i++) {
        char *o, *e;
        size_t ol, el;

        if (slurp(jobs[i].name, "out", &o, &ol) < 0 || slurp(jobs[i].name, "err", &e, &el) < 0)
            return fail("cannot read a job's output");
        printf("@@rig-batch %s %d %zu %zu\n", jobs[i].name, jobs[i].status, ol, el);
        if ((ol && fwrite(o, 1, ol, stdout) != ol) || (el && fwrite(e, 1, el, stdout) != el))
            return fail("cannot write");
        free(o);
        free(e);
    }
    return fflush(stdout) == 0 ? 0 : fail("cannot write");
}
