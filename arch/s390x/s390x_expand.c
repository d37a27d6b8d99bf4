/* `expand MODEL` on s390x: a model in QEMU's spelling ("z14.2", "gen15a-base",
 * "z13,vx=off") as the capability file of a host whose KVM offers exactly that model, so two
 * models can be compared, or baselined, like two hosts. */
#include "s390x.h"
#include "../../core/error.h"
#include "../../core/qemu.h"

#include <stdio.h>
#include <string.h>

#define EXPAND_SOURCE "QEMU CPU model definition"

static int put_feature(const struct s390x_feature *f, struct s390x_raw *raw)
{
    char row[S390X_ROW_NAME_MAX];

    switch (f->source) {
    case SRC_STFLE:
        return s390x_raw_set_bit(raw, "fac-mask", f->bit);
    case SRC_SIE:
        return s390x_raw_set_bit(raw, "sie-feat", f->bit);
    case SRC_SUBFUNC:
        snprintf(row, sizeof(row), "subfunc-%s", f->subfunc);
        return s390x_raw_set_bit(raw, row, f->bit);
    case SRC_MISC:
        return s390x_raw_set_bit(raw, "misc", f->bit);
    }
    return 0;
}

/* The QEMU the virtual host runs: the one asked for, which must know the model and every feature
 * on; else the first release that knows them all, where that is after the one files without a
 * QEMU are judged by (0: none to record). */
static int expand_qemu(struct cc_ctx *ctx, const struct s390x_catalog *cat,
                       const struct s390x_model *m, unsigned *qemu)
{
    unsigned need = m->def->since;
    const char *what = m->def->name;
    char q[CC_QEMU_VERSION_LEN], since[CC_QEMU_VERSION_LEN];

    for (size_t i = 0; i < cat->n_feats; i++)
        if (s390x_has(&m->feats, (int)i) && cat->feats[i].since > need) {
            need = cat->feats[i].since;
            what = cat->feats[i].name;
        }
    s390x_since_text(cat, need, since, sizeof(since));
    if (ctx->qemu_override) {
        cc_qemu_version_format(ctx->qemu_override, q, sizeof(q));
        if (ctx->qemu_override < cat->oldest_qemu)
            return cc_error(EINVAL,
                            "--qemu: QEMU %s is older than the oldest release cpucompat knows", q);
        if (need > ctx->qemu_override)
            return cc_error(EINVAL, "%s %s is not in QEMU %s (first in %s)",
                            what == m->def->name ? "model" : "feature", what, q, since);
        *qemu = ctx->qemu_override;
    } else if (need == S390X_QEMU_NONE) {
        return cc_error(EINVAL, "feature %s is in no QEMU release known (%s)", what, since);
    } else {
        *qemu = need > CC_QEMU_DEFAULT ? need : 0;
    }
    return 0;
}

int s390x_expand(struct cc_ctx *ctx, const char *name, const struct cc_doc *base,
                 const char *base_file, struct cc_doc *doc)
{
    const struct s390x_catalog *cat;
    struct s390x_model m;
    struct s390x_raw *raw;
    struct cc_view *view;
    uint8_t ibc[4];
    unsigned qemu = 0;
    int r = s390x_catalog_get(ctx, &cat);

    if (r == 0 && base)
        r = cc_error(ENOTSUP, "%s: --host is for arm64 models", base_file);
    if (r == 0)
        r = s390x_model_parse(ctx, NULL, cat, name, &m);
    if (r == 0)
        r = expand_qemu(ctx, cat, &m, &qemu);
    if (r < 0)
        return r;
    if (!(raw = s390x_raw_new()))
        return cc_error(ENOMEM, "out of memory");
    for (size_t i = 0; i < cat->n_feats && r == 0; i++)
        if (s390x_has(&m.feats, (int)i))
            r = put_feature(&cat->feats[i], raw);
    /* The IBC of the definition, unblocked and lowest alike (none before z10). */
    ibc[0] = (uint8_t)(m.def->ibc >> 8);
    ibc[1] = (uint8_t)m.def->ibc;
    ibc[2] = (uint8_t)(m.def->ibc >> 8);
    ibc[3] = (uint8_t)m.def->ibc;
    if (r == 0 && m.def->ibc)
        r = s390x_raw_put(raw, "ibc", ibc, sizeof(ibc));
    if (r == 0)
        r = cc_kv_setf(&doc->identity, "type", "0x%04x", m.def->type);
    if (r == 0)
        r = cc_doc_stamp_origin(doc, "expand");
    if (r == 0 && qemu) {
        char q[CC_QEMU_VERSION_LEN];

        cc_qemu_version_format(qemu, q, sizeof(q));
        r = cc_kv_set(&doc->origin, "qemu-version", q);
    }
    /* The spelling as given, unless too long for a token (a whole static expansion). */
    if (r == 0 && strlen(name) <= 256)
        r = cc_kv_set(&doc->origin, "model", name);
    else if (r == 0)
        r = cc_kv_setf(&doc->origin, "model", "%.*s,...", (int)strcspn(name, ","), name);
    if ((r = cc_doc_finish_view(doc, r, "kvm", EXPAND_SOURCE, raw, NULL, &view)) < 0)
        return r;
    return cc_kv_set(&view->props, "cpu-definition", m.def->name);
}
