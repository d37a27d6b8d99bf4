#include "arch.h"
#include "error.h"

#include <stdio.h>
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

int cc_probe_kvm_outcome(const struct cc_probe_opts *opts, int r)
{
    if (r >= 0)
        return 0;
    if (opts->require_kvm)
        return r;
    if (opts->note) {
        char msg[1100];

        snprintf(msg, sizeof(msg), "no kvm view: %s", cc_error_message());
        opts->note(msg);
    }
    cc_error_clear();
    return 0;
}
