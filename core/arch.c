#include "arch.h"
#include "error.h"
#include "strlist.h"
#include "suggest.h"

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

/* The nearest of the names list() gives for each architecture of only (NULL: all); *owner gets
 * the architecture whose name equals word exactly, if one does. The names are copied to keep. */
static int nearest(struct cc_ctx *ctx, const struct cc_arch_ops *only, const char *word,
                   bool models, struct cc_strlist *keep, const char **best,
                   const struct cc_arch_ops **owner)
{
    struct cc_suggest s;

    *best = NULL;
    *owner = NULL;
    cc_suggest_init(&s, word);
    for (size_t i = 0; cc_arch_table[i]; i++) {
        const struct cc_arch_ops *a = cc_arch_table[i];
        int (*list)(struct cc_ctx *, struct cc_strlist *) =
            models ? a->model_names : a->feature_names;
        size_t first = keep->n;

        if (!list)
            continue;
        if (list(ctx, keep) < 0) {
            int r = only && a != only ? 0 : -1;

            /* Another architecture's tables only add a hint: without them, no hint. */
            if (r == 0)
                cc_error_clear();
            else
                return r;
        }
        for (size_t j = first; j < keep->n; j++) {
            if (a != only && strcmp(keep->items[j], word) == 0 && !*owner)
                *owner = a;
            if (!only || a == only)
                cc_suggest_add(&s, keep->items[j]);
        }
    }
    *best = cc_suggest_best(&s);
    return 0;
}

static int unknown(struct cc_ctx *ctx, const struct cc_arch_ops *arch, const char *name,
                   bool models)
{
    struct cc_strlist names = {0};
    const struct cc_arch_ops *owner;
    const char *best;
    char hint[CC_SUGGEST_MAX + 32];
    int r = nearest(ctx, arch, name, models, &names, &best, &owner);

    /* A table that cannot be read says so rather than the name being unknown. */
    if (r < 0) {
        cc_strlist_free(&names);
        return r;
    }
    if (owner && arch)
        r = cc_error(ENOENT, "%s '%s' is an %s %s; these files are %s",
                     models ? "CPU model" : "feature", name, owner->name,
                     models ? "model" : "feature", arch->name);
    else if (models && best)
        r = cc_error(ENOENT, "unknown CPU model '%s' (did you mean '%s'? see 'cpucompat models')",
                     name, best);
    else if (models)
        r = cc_error(ENOENT, "unknown CPU model '%s' (see 'cpucompat models')", name);
    else
        r = cc_error(ENOENT, "unknown %s feature '%s'%s", arch ? arch->name : "", name,
                     cc_suggest_text(best, hint, sizeof(hint)));
    cc_strlist_free(&names);
    return r;
}

int cc_model_unknown(struct cc_ctx *ctx, const struct cc_arch_ops *arch, const char *name)
{
    return unknown(ctx, arch, name, true);
}

int cc_feature_unknown(struct cc_ctx *ctx, const struct cc_arch_ops *arch, const char *name)
{
    return unknown(ctx, arch, name, false);
}
