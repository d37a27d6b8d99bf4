#include "testlib.h"
#include "../core/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void test_ctx(struct cc_ctx *ctx)
{
    int r = cc_ctx_init(ctx, NULL);

    if (r < 0)
        fail_msg("cc_ctx_init: %s", cc_error_message());
}

const char *test_path(const char *rel)
{
    static char buf[4096];
    const char *top = getenv("CPUCOMPAT_TOP");

    snprintf(buf, sizeof(buf), "%s/%s", top ? top : ".", rel);
    return buf;
}

static char tmpdir[256];

static void remove_tmpdir(void)
{
    char cmd[300];

    if (tmpdir[0]) {
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", tmpdir);
    }
}

const char *test_tmpdir(void)
{
    if (!tmpdir[0]) {
        snprintf(tmpdir, sizeof(tmpdir), "%s/cpucompat-test.XXXXXX",
                 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
        if (!mkdtemp(tmpdir))
            fail_msg("mkdtemp failed");
        atexit(remove_tmpdir);
    }
    return tmpdir;
}

char *test_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (!f)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n)
        fail_msg("cannot read %s", path);
    buf[n] = '\0';
    fclose(f);
    if (len)
        *len = (size_t)n;
    return buf;
}
