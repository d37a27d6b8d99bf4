/* `expand MODEL` on arm64: the registers a named model defines, as a capability document. The
 * fields a model leaves to the host are not in it, so the document stands as a source only:
 * `compare` reads it as "this model, on the destination" (arm64_compare.c). With --host, the
 * model as a VMM gives it on that host: the host's file with the guest's register values, which
 * stands wherever a host file does (and which `verify` can replay). */
#include "arm64.h"
#include "../../core/error.h"
#include "../../core/number.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPAND_SOURCE "arm64 model definition"
/* Baselines describe no core: implementer 0 is reserved for software use (as QEMU's "max"
 * does), Architecture 0xf means "see the ID registers". */
#define BASELINE_MIDR 0x000f0000u

/* The base host's view with the model written in, the vCPU features the model leaves out
 * dropped. */
static int expand_on(const struct arm64_model *m, const struct cc_doc *base, const char *base_file,
                     struct cc_doc *doc)
{
    const struct cc_view *bv = arm64_view_of(base);
    struct arm64_raw *cfg = NULL, *raw = NULL;
    struct cc_view *view;
    char source[160];
    const char *base_name = strrchr(base_file, '/') ? strrchr(base_file, '/') + 1 : base_file;
    unsigned off = 0;
    int r;

    if (!bv || !bv->raw)
        return cc_error(EINVAL, "%s: no registers", base_file);
    r = arm64_model_host(m, bv->raw, &cfg, &off);
    if (r == 0)
        r = arm64_model_apply(m, cfg, &raw);
    arm64_raw_free(cfg);
    for (size_t i = 0; i < base->identity.n && r == 0; i++)
        r = cc_kv_set(&doc->identity, base->identity.items[i].key, base->identity.items[i].value);
    if (r == 0)
        r = cc_doc_stamp_origin(doc, "expand");
    if (r == 0)
        r = cc_kv_set(&doc->origin, "model", m->name);
    if (r == 0)
        r = cc_kv_set(&doc->origin, "base", base_name);
    snprintf(source, sizeof(source), "%s as a VMM gives it on %s", m->name, base_name);
    if ((r = cc_doc_finish_view(doc, r, bv->name, source, raw, NULL, &view)) < 0)
        return r;
    for (size_t i = 0; i < bv->props.n && r == 0; i++) {
        const char *key = bv->props.items[i].key, *value = bv->props.items[i].value;

        uint64_t vf;

        if (!strcmp(key, "vcpu-features") && off && cc_parse_hex(value, 0, UINT32_MAX, &vf) < 0)
            r = cc_error(EINVAL, "%s: property 'vcpu-features': '%s' is not 0x and hex digits",
                         base_name, value);
        else if (!strcmp(key, "vcpu-features") && off)
            r = cc_kv_setf(&view->props, key, "0x%llx",
                           (unsigned long long)vf & ~(unsigned long long)arm64_vf_init_bits(off));
        else if (!strcmp(key, "sve-vector-lengths") && (off & ARM64_VF_SVE))
            r = cc_kv_set(&view->props, key, "none");
        else
            r = cc_kv_set(&view->props, key, value);
    }
    /* The kernel decides the rules: keep the base's, whichever way it recorded it. */
    if (r == 0 && !cc_kv_get(&view->props, "kernel-release") && arm64_kernel_of(base, bv))
        r = cc_kv_set(&view->props, "kernel-release", arm64_kernel_of(base, bv));
    return r;
}

int arm64_expand(struct cc_ctx *ctx, const char *name, const struct cc_doc *base,
                 const char *base_file, struct cc_doc *doc)
{
    const struct arm64_catalog *cat;
    const struct arm64_model_set *set;
    const struct arm64_model *m;
    const struct arm64_regdef *midr;
    struct arm64_raw *raw, empty = {0};
    int r = arm64_catalog_get(ctx, &cat);

    if (r == 0)
        r = arm64_models_get(ctx, cat, &set);
    if (r < 0)
        return r;
    if (!(m = arm64_model_find(set, name)))
        return cc_model_unknown(ctx, NULL, name);
    if (base)
        return expand_on(m, base, base_file, doc);
    if (!(midr = arm64_regdef(cat, "MIDR_EL1")))
        return cc_error(EINVAL, "the register table lacks MIDR_EL1");
    if ((r = arm64_model_apply(m, &empty, &raw)) < 0)
        return r;
    r = arm64_raw_set(raw, "MIDR_EL1", midr->id, m->core ? m->midr : BASELINE_MIDR);
    if (r == 0) {
        arm64_raw_sort(raw);
        r = arm64_identity_from_raw(doc, raw, m->name);
    }
    if (r == 0)
        r = cc_doc_stamp_origin(doc, "expand");
    if (r == 0)
        r = cc_kv_set(&doc->origin, "model", m->name);
    return cc_doc_finish_view(doc, r, "kvm", EXPAND_SOURCE, raw, NULL, NULL);
}
