/* Allocation that cannot fail: on exhaustion it says so on stderr and exits with status 2.
 * A command-line tool has nothing better to do when out of memory, and the ENOMEM branches it
 * replaces were the least tested paths of the program (util-linux's xalloc.h idea). */
#ifndef CC_XALLOC_H
#define CC_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

#define CC_EXIT_NOMEM 2

__attribute__((noreturn)) void cc_xalloc_fail(void);

__attribute__((malloc, returns_nonnull)) void *xmalloc(size_t size);
__attribute__((malloc, returns_nonnull)) void *xcalloc(size_t n, size_t size);
__attribute__((returns_nonnull)) void *xrealloc(void *p, size_t size);
/* realloc of n items of size bytes, refusing an overflowing product */
__attribute__((returns_nonnull)) void *xreallocarray(void *p, size_t n, size_t size);
__attribute__((malloc, returns_nonnull)) char *xstrdup(const char *s);
__attribute__((malloc, returns_nonnull, format(printf, 1, 2))) char *xasprintf(const char *fmt,
                                                                               ...);
__attribute__((malloc, returns_nonnull, format(printf, 1, 0))) char *xvasprintf(const char *fmt,
                                                                                va_list ap);

#endif
