#include "arch.h"

#include <string.h>
#include <sys/utsname.h>

const struct cc_arch_ops *cc_arch_find(const char *name)
{
    for (size_t i = 0; cc_arch_table[i]; i++) {
        const struct cc_arch_ops *a = cc_arch_table[i];

        if (strcmp(a->name, name) == 0)
            return a;
        for (size_t j = 0; a->aliases && a->aliases[j]; j++)
            if (strcmp(a->aliases[j], name) == 0)
                return a;
    }
    return NULL;
}

const struct cc_arch_ops *cc_arch_host(void)
{
    struct utsname u;

    if (uname(&u) < 0)
        return NULL;
    return cc_arch_find(u.machine);
}
