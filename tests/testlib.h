/* Helpers shared by the unit tests. */
#ifndef CC_TESTLIB_H
#define CC_TESTLIB_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../core/ctx.h"

/* A context on the source tree's data/ ($CPUCOMPAT_DATADIR, set by tests/run-tests). */
void test_ctx(struct cc_ctx *ctx);
/* Path below the source tree ($CPUCOMPAT_TOP), in a static buffer. */
const char *test_path(const char *rel);
/* A fresh private directory for output files; removed at exit. */
const char *test_tmpdir(void);
/* Reads a whole file; fails the test when it cannot. */
char *test_slurp(const char *path, size_t *len);

/* Skips the current test with a reason that the runner shows. */
#define TEST_SKIP(...)                                                                             \
    do {                                                                                           \
        print_message("# SKIP reason: ");                                                          \
        print_message(__VA_ARGS__);                                                                \
        print_message("\n");                                                                       \
        skip();                                                                                    \
    } while (0)

#endif
