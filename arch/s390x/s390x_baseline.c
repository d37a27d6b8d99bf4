/* `baseline` on s390x: QEMU's query-cpu-model-baseline, folded pairwise over the hosts. */
#include "s390x.h"
#include "../../core/error.h"
#include "../../core/qemu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int s390x_baseline_models(const struct s390x_catalog *cat, const struct s390x_model *a,
                          const struct s390x_model *b, struct s390x_model *out)
{
    unsigned type, gen, ga;
    /* The older QEMU of the two hosts: the definition is one both can name. */
    unsigned qemu = !a->qemu ? b->qemu : !b->qemu ? a->qemu : a->qemu < b->qemu ? a->qemu : b->qemu;

    memset(out, 0, sizeof(*out));
    out->qemu = qemu;
    s390x_and(&out->feats, &a->feats, &b->feats);
    s390x_and(&out->unnamed, &a->unnamed, &b->unnamed);
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
    /* Two models parsed (no QEMU): any definition known. */
    out->def = s390x_find_def(cat, type, gen, ga, &out->feats, qemu ? qemu : S390X_QEMU_NONE - 1);
    if (!out->def)
        return cc_error(EINVAL, "no compatible CPU model could be created");
    /* Features the definition could never have are dropped. */
    s390x_and(&out->feats, &out->feats, &out->def->full);
    return 0;
}

/* What every host's machine has but the oldest QEMU among them cannot name: said, as x86 does. */
static int note_unnamed(const struct s390x_catalog *cat, const struct s390x_model *acc,
                        const struct s390x_feats *everywhere, const char *oldest_file,
                        struct cc_baseline *out)
{
    struct cc_strlist names = {0};
    struct s390x_feats left;
    char q[CC_QEMU_VERSION_LEN], *list = NULL;
    size_t len = 0;
    int r;

    s390x_andnot(&left, everywhere, &acc->feats);
    for (size_t i = 0; i < cat->n_feats; i++)
        if (cat->feats[i].since <= acc->qemu)
            s390x_set(&left, (int)i, false);
    if ((r = s390x_feats_names(cat, &left, &names)) < 0 || names.n == 0) {
        cc_strlist_free(&names);
        return r;
    }
    for (size_t i = 0; i < names.n; i++)
        len += strlen(names.items[i]) + 1;
    if (!(list = calloc(1, len))) {
        cc_strlist_free(&names);
        return cc_error(ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < names.n; i++) {
        if (i)
            strcat(list, " ");
        strcat(list, names.items[i]);
    }
    cc_qemu_version_format(acc->qemu, q, sizeof(q));
    r = cc_strlist_addf(&out->notes,
                        "left out as QEMU %s (%s, the oldest QEMU among the hosts) does not define "
                        "them: %s",
                        q, oldest_file, list);
    free(list);
    cc_strlist_free(&names);
    return r;
}

int s390x_baseline(struct cc_ctx *ctx, const struct cc_doc *const *docs, const char *const *files,
                   size_t n, bool allow_vendor_mix, struct cc_baseline *out)
{
    const struct s390x_catalog *cat;
    struct s390x_model acc, next;
    struct s390x_feats add, del, everywhere;
    size_t oldest = 0;
    int r = s390x_catalog_get(ctx, &cat);

    (void)allow_vendor_mix; /* one vendor: IBM */
    if (r == 0)
        r = s390x_host_judged(ctx, cat, docs[0], files[0], &acc, &out->notes);
    for (int i = 0; r == 0 && i < S390X_WORDS; i++)
        everywhere.w[i] = acc.feats.w[i] | acc.unnamed.w[i];
    /* query-cpu-model-baseline folded pairwise, in the order given. */
    for (size_t h = 1; h < n && r == 0; h++) {
        struct s390x_model b;

        r = s390x_host_judged(ctx, cat, docs[h], files[h], &next, &out->notes);
        if (r == 0 && next.qemu < acc.qemu)
            oldest = h;
        for (int i = 0; r == 0 && i < S390X_WORDS; i++)
            everywhere.w[i] &= next.feats.w[i] | next.unnamed.w[i];
        if (r == 0 && (r = s390x_baseline_models(cat, &acc, &next, &b)) < 0)
            r = cc_error(EINVAL, "%s: %s", files[h], "no compatible CPU model could be created");
        if (r == 0)
            acc = b;
    }
    if (r == 0)
        r = note_unnamed(cat, &acc, &everywhere, files[oldest], out);
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
