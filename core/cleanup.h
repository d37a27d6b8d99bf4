/* Scope-bound cleanup (GNU C), so every resource has one owner and one release path. */
#ifndef CC_CLEANUP_H
#define CC_CLEANUP_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline void cc_freep(void *p)
{
    free(*(void **)p);
}

static inline void cc_closep(int *fd)
{
    if (*fd >= 0)
        close(*fd);
}

static inline void cc_fclosep(FILE **f)
{
    if (*f)
        fclose(*f);
}

/* _cleanup_(f): f(&variable) at the end of its scope, e.g. _cleanup_(cc_verdict_free) for a
 * struct cc_verdict, whose free functions take a pointer to the owner and accept it zeroed. */
#define _cleanup_(f)     __attribute__((cleanup(f)))
#define _cleanup_free_   __attribute__((cleanup(cc_freep)))
#define _cleanup_close_  __attribute__((cleanup(cc_closep)))
#define _cleanup_fclose_ __attribute__((cleanup(cc_fclosep)))

/* Hands ownership out of a cleanup-managed variable. */
#define cc_steal(pp)                                                                               \
    ({                                                                                             \
        __typeof__(*(pp)) _v = *(pp);                                                              \
        *(pp) = NULL;                                                                              \
        _v;                                                                                        \
    })

#define CC_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
