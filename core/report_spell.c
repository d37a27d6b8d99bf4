/* --names: a finished report's feature names in another spelling. Feature names sit in arrays
 * whose items are called "feature" and in the "name" of blockers, whatever the report; the
 * guest_cpu member keeps its own spellings (QEMU's -cpu needs QEMU's names, libvirt's <cpu>
 * has libvirt's). Notes are prose and keep QEMU's names. */
#include "ctx.h"
#include "error.h"
#include "report.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

static void respell(struct cc_ctx *ctx, const struct cc_arch_ops *arch, struct cc_node *s)
{
    const char *to;

    if (s->type != CC_NODE_STRING || !s->s || !(to = arch->spell_feature(ctx, s->s, ctx->names)))
        return;
    cc_node_set_string(s, to);
}

static void walk(struct cc_ctx *ctx, const struct cc_arch_ops *arch, struct cc_node *n)
{
    for (size_t i = 0; i < n->n; i++) {
        struct cc_node *k = n->kids[i];

        if (k->key && !strcmp(k->key, "guest_cpu"))
            continue;
        if (k->type == CC_NODE_ARRAY && k->item && !strcmp(k->item, "feature")) {
            for (size_t j = 0; j < k->n; j++)
                respell(ctx, arch, k->kids[j]);
            continue;
        }
        if (k->type == CC_NODE_ARRAY && k->item && !strcmp(k->item, "blocker")) {
            for (size_t j = 0; j < k->n; j++)
                for (size_t m = 0; m < k->kids[j]->n; m++)
                    if (k->kids[j]->kids[m]->key && !strcmp(k->kids[j]->kids[m]->key, "name"))
                        respell(ctx, arch, k->kids[j]->kids[m]);
            continue;
        }
        if (k->type == CC_NODE_OBJECT || k->type == CC_NODE_ARRAY)
            walk(ctx, arch, k);
    }
}

int cc_names_check(struct cc_ctx *ctx, const struct cc_arch_ops *arch)
{
    if (!ctx->names || !strcmp(ctx->names, "qemu"))
        return 0;
    if (!arch->spell_feature)
        return cc_error(ENOTSUP, "--names %s: %s features have QEMU's names only", ctx->names,
                        arch->name);
    return arch->spell_check(ctx, ctx->names);
}

int cc_report_spell(struct cc_ctx *ctx, struct cc_node *report)
{
    const struct cc_arch_ops *arch = ctx->answer_arch;
    int r;

    if (!ctx->names || !strcmp(ctx->names, "qemu") || !arch)
        return 0;
    if ((r = cc_names_check(ctx, arch)) < 0)
        return r;
    walk(ctx, arch, report);
    return 0;
}
