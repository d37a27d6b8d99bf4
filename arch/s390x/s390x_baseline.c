/* `baseline` on s390x: QEMU's query-cpu-model-baseline, folded pairwise over the hosts. */
#include "s390x.h"
#include "../../core/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int s390x_baseline_models(const struct s390x_catalog *cat, const struct s390x_model *a,
                          const struct s390x_model *b, struct s390x_model *out)
{
    unsigned type, gen, ga;

    s390x_and(&out->feats, &a->feats, &b->feats);
    /* The older of the two, not regarding features. */
    if (a->def->gen == b->def->gen) {
        type = a->def->type == b->def->type ? a->def->type : 0;
        gen = a->def->gen;
        ga = a->def->ga < b->def->ga ? a->def->ga : b->def->ga;
    } else if (a->def->gen > b->def->gen) {
        type = b->def->type, gen = b->def->gen, ga = b->def->ga;
    } else {
        type = a->def->type, gen = a->def->gen, ga = a->def->ga;
    }
    out->def = s390x_find_def(cat, type, gen, ga, &out->feats);
    if (!out->def)
        return cc_error(EINVAL, "no compatible CPU model could be created");
    /* Features the definition could never have are dropped. */
    s390x_and(&out->feats, &out->feats, &out->def->full);
    return 0;
}

int s390x_baseline(struct cc_ctx *ctx, const struct cc_doc *const *docs, const char *const *files,
                   size_t n, bool allow_vendor_mix, struct cc_baseline *out)
{
    const struct s390x_catalog *cat;
    struct s390x_model acc, next;
    struct s390x_feats add, del;
    int r = s390x_catalog_get(ctx, &cat);

    (void)allow_vendor_mix; /* one vendor: IBM */
    if (r == 0)
        r = s390x_host_model(cat, docs[0], files[0], &acc);
    /* query-cpu-model-baseline folded pairwise, in the order given. */
    for (size_t h = 1; h < n && r == 0; h++) {
        struct s390x_model b;

        r = s390x_host_model(cat, docs[h], files[h], &next);
        if (r == 0 && (r = s390x_baseline_models(cat, &acc, &next, &b)) < 0)
            r = cc_error(EINVAL, "%s: %s", files[h], "no compatible CPU model could be created");
        if (r == 0)
            acc = b;
    }
    if (r < 0)
        return r;
    if (asprintf(&out->model, "%s-base", acc.def->name) < 0) {
        out->model = NULL;
        return cc_error(ENOMEM, "out of memory");
    }
    if (!(out->vendor = strdup("IBM")))
        return cc_error(ENOMEM, "out of memory");
    s390x_andnot(&add, &acc.feats, &acc.def->base);
    s390x_andnot(&del, &acc.def->base, &acc.feats);
    r = s390x_feats_names(cat, &add, &out->extra);
    if (r == 0)
        r = s390x_feats_names(cat, &del, &out->removed);
    if (r == 0)
        r = s390x_feats_names(cat, &acc.feats, &out->features);
    if (r == 0)
        r = cc_strlist_addf(&out->notes, "%s: %s, generation %u GA %u", acc.def->name,
                            acc.def->description, acc.def->gen, acc.def->ga);
    return r;
}
