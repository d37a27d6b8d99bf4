/* timeit RUNS COMMAND [ARGS...]: runs COMMAND RUNS times (output to /dev/null) and prints
 * "median min max" wall time per run in milliseconds. A failing run aborts the measurement. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    int runs = argc > 2 ? atoi(argv[1]) : 0;
    double *t;

    if (runs <= 0) {
        fprintf(stderr, "usage: timeit RUNS COMMAND [ARGS...]\n");
        return 2;
    }
    t = calloc((size_t)runs, sizeof(*t));
    for (int i = 0; i < runs; i++) {
        double start = now_ms();
        int status;
        pid_t pid = fork();

        if (pid == 0) {
            int null = open("/dev/null", O_WRONLY);
            dup2(null, 1);
            dup2(null, 2);
            execvp(argv[2], argv + 2);
            _exit(127);
        }
        if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 0) {
            fprintf(stderr, "timeit: %s failed on run %d\n", argv[2], i + 1);
            return 1;
        }
        t[i] = now_ms() - start;
    }
    qsort(t, (size_t)runs, sizeof(*t), cmp);
    printf("%.2f %.2f %.2f\n", t[runs / 2], t[0], t[runs - 1]);
    free(t);
    return 0;
}
