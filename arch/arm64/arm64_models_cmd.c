/* `models HOSTFILE` on arm64: which named models a VMM could give a guest on this host, i.e.
 * where every field a model changes is safe by the host kernel's rules and writable by its KVM. */
#include "arm64.h"
#include "../../core/error.h"

#include <string.h>

static size_t writable_fields(const struct arm64_catalog *cat, int k)
{
    size_t n = 0;

    for (size_t i = 0; i < cat->n_regs; i++)
        for (size_t f = 0; f < cat->regs[i].n_fields; f++)
            n += cat->regs[i].fields[f].rule[k].writable;
    return n;
}

static int add_status(const struct arm64_catalog *cat, int k, const struct arm64_model *m,
                      const struct cc_view *view, struct cc_models_report *out)
{
    struct cc_model_status *st = cc_models_report_add(out);
    int r;

    if (!st)
        return cc_error(ENOMEM, "out of memory");
    st->name = strdup(m->name);
    st->family = strdup(m->family);
    st->origin = strdup(m->origin);
    if (!st->name || !st->family || !st->origin)
        return cc_error(ENOMEM, "out of memory");
    st->version = m->version;
    r = arm64_model_judge(cat, k, m, view->raw, view, &st->blockers);
    st->usable = r == 0 && st->blockers.n == 0;
    /* What the host lacks (as opposed to what its KVM cannot change). */
    for (size_t i = 0; i < st->blockers.n && r == 0 && !out->usable_only; i++)
        if (st->blockers.items[i].reason != CC_REASON_INVARIANT)
            r = cc_strlist_add(&st->unavailable, st->blockers.items[i].name);
    return r;
}

int arm64_models_report(struct cc_ctx *ctx, const struct cc_doc *doc, const char *file,
                        struct cc_models_report *out)
{
    const struct cc_view *view = arm64_view_of(doc);
    const struct arm64_catalog *cat;
    const struct arm64_model_set *set;
    int k, r = arm64_catalog_get(ctx, &cat);

    if (r == 0)
        r = arm64_models_get(ctx, cat, &set);
    if (r < 0)
        return r;
    if (!view || !view->raw)
        return cc_error(EINVAL, "%s: no registers", file);
    if ((r = arm64_host_rules(cat, doc, view, file, &k)) < 0)
        return r;
    if (!(out->basis = strdup(view->name)))
        return cc_error(ENOMEM, "out of memory");
    r = cc_strlist_addf(&out->notes,
                        "a model changes ID register fields; KVM on %s (this host's rules) lets a "
                        "VMM change %zu fields, and a model runs only where every field it "
                        "changes is among them",
                        cat->kernels[k].name, writable_fields(cat, k));
    if (r == 0)
        r = cc_strlist_add(&out->notes, "a core model keeps the host's MIDR: the guest's errata "
                                        "workarounds still follow the real CPU");
    if (r == 0 && strcmp(view->name, "kvm") != 0)
        r = cc_strlist_add(&out->notes, "no kvm view: judged on what the kernel shows at EL0, "
                                        "not on what its KVM gives a guest");
    for (size_t i = 0; i < set->n && r == 0; i++)
        r = add_status(cat, k, &set->models[i], view, out);
    return r;
}
