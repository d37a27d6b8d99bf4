#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void cc_xalloc_fail(void)
{
    static const char msg[] = "cpucompat: out of memory\n";

    /* write(2), not stdio: stdio may itself need memory now. */
    if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
    }
    _exit(CC_EXIT_NOMEM);
}

void *xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);

    if (!p)
        cc_xalloc_fail();
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);

    if (!p)
        cc_xalloc_fail();
    return p;
}

void *xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);

    if (!q)
        cc_xalloc_fail();
    return q;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
    void *q = reallocarray(p, n ? n : 1, size ? size : 1);

    if (!q)
        cc_xalloc_fail();
    return q;
}

char *xstrdup(const char *s)
{
    char *p = strdup(s);

    if (!p)
        cc_xalloc_fail();
    return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
    char *p;

    if (vasprintf(&p, fmt, ap) < 0)
        cc_xalloc_fail();
    return p;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    char *p;

    va_start(ap, fmt);
    p = xvasprintf(fmt, ap);
    va_end(ap);
    return p;
}
