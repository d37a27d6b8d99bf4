/* `expand MODEL` on arm64: the registers a named model defines, as a capability document. The
 * fields a model leaves to the host are not in it, so the document stands as a source only:
 * `compare` reads it as "this model, on the destination" (arm64_compare.c). */
#include "arm64.h"
#include "../../core/error.h"

#include <string.h>

#define EXPAND_SOURCE "arm64 model definition"
/* Baselines describe no core: implementer 0 is reserved for software use (as QEMU's "max"
 * does), Architecture 0xf means "see the ID registers". */
#define BASELINE_MIDR 0x000f0000u

int arm64_expand(struct cc_ctx *ctx, const char *name, struct cc_doc *doc)
{
    const struct arm64_catalog *cat;
    const struct arm64_model_set *set;
    const struct arm64_model *m;
    const struct arm64_regdef *midr;
    struct arm64_raw *raw, empty = {0};
    struct cc_view *view;
    int r = arm64_catalog_get(ctx, &cat);

    if (r == 0)
        r = arm64_models_get(ctx, cat, &set);
    if (r < 0)
        return r;
    if (!(m = arm64_model_find(set, name)))
        return cc_error(ENOENT, "unknown CPU model '%s' (see 'cpucompat models')", name);
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
    if (r == 0)
        r = cc_doc_add_view(doc, "kvm", EXPAND_SOURCE, &view);
    if (r < 0) {
        arm64_raw_free(raw);
        return r;
    }
    view->raw = raw;
    return 0;
}
