/* QEMU's s390x CPU model arithmetic (target/s390x/cpu_models.c, cpu_models_sysemu.c, kvm.c),
 * done on files: finding a definition, naming a set, a host's model, parsing a model. */
#include "s390x.h"
#include "../../core/cpu_string.h"
#include "../../core/error.h"

#include <stdlib.h>
#include <string.h>

void s390x_and(struct s390x_feats *out, const struct s390x_feats *a, const struct s390x_feats *b)
{
    for (int i = 0; i < S390X_WORDS; i++)
        out->w[i] = a->w[i] & b->w[i];
}

void s390x_andnot(struct s390x_feats *out, const struct s390x_feats *a, const struct s390x_feats *b)
{
    for (int i = 0; i < S390X_WORDS; i++)
        out->w[i] = a->w[i] & ~b->w[i];
}

bool s390x_empty(const struct s390x_feats *s)
{
    for (int i = 0; i < S390X_WORDS; i++)
        if (s->w[i])
            return false;
    return true;
}

bool s390x_equal(const struct s390x_feats *a, const struct s390x_feats *b)
{
    return memcmp(a, b, sizeof(*a)) == 0;
}

bool s390x_subset(const struct s390x_feats *a, const struct s390x_feats *b)
{
    struct s390x_feats d;

    s390x_andnot(&d, a, b);
    return s390x_empty(&d);
}

const struct s390x_def *s390x_find_def(const struct s390x_catalog *cat, unsigned type, unsigned gen,
                                       unsigned ga, const struct s390x_feats *feats, unsigned qemu)
{
    const struct s390x_def *last = NULL, *same_type = NULL;

    if (!gen)
        ga = 0;
    /* Without a generation, the type's own gives one (s390_get_gen_for_cpu_type()). */
    for (size_t i = 0; !gen && type && i < cat->n_defs; i++)
        if (cat->defs[i].type == type && cat->defs[i].since <= qemu)
            gen = cat->defs[i].gen;
    for (size_t i = 0; i < cat->n_defs; i++) {
        const struct s390x_def *d = &cat->defs[i];

        if (d->since > qemu)
            continue; /* not in that release's s390_cpu_defs[] */
        if (gen && (d->gen > gen || (d->gen == gen && ga && d->ga > ga)))
            break;
        if (feats) {
            struct s390x_feats missing;

            /* The base set must be there, bar the features QEMU ignores for the search. */
            s390x_andnot(&missing, &d->base, feats);
            s390x_andnot(&missing, &missing, &cat->ignored_base);
            if (!s390x_empty(&missing))
                break;
        }
        if (d->type == type && d->ga == ga)
            return d;
        if (d->type == type)
            same_type = d;
        last = d;
    }
    /* Prefer the same machine type: an EC model is not taken for a BC one. */
    return same_type ? same_type : last;
}

int s390x_feats_names(const struct s390x_catalog *cat, const struct s390x_feats *s,
                      struct cc_strlist *out)
{
    struct s390x_feats left = *s, in_group;
    int r = 0;

    for (size_t g = 0; g < cat->n_groups && r == 0; g++) {
        s390x_and(&in_group, &left, &cat->groups[g].members);
        if (s390x_equal(&in_group, &cat->groups[g].members)) {
            s390x_andnot(&left, &left, &cat->groups[g].members);
            r = cc_strlist_add(out, cat->groups[g].name);
        }
    }
    for (size_t i = 0; i < cat->n_feats && r == 0; i++)
        if (s390x_has(&left, (int)i))
            r = cc_strlist_add(out, cat->feats[i].name);
    return r;
}

int s390x_view_feats(const struct s390x_catalog *cat, const struct cc_view *view,
                     struct s390x_feats *out)
{
    const struct s390x_raw *raw = view->raw;
    /* KVM's facility mask is what it can give a guest; STFLE is what the machine has. */
    const struct s390x_block *fac = s390x_raw_get(raw, "fac-mask");

    if (!fac)
        fac = s390x_raw_get(raw, "stfle");
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < cat->n_feats; i++) {
        const struct s390x_feature *f = &cat->feats[i];
        char row[S390X_ROW_NAME_MAX];
        bool on = false;

        switch (f->source) {
        case SRC_STFLE:
            on = s390x_block_bit(fac, f->bit);
            break;
        case SRC_SIE:
            on = s390x_block_bit(s390x_raw_get(raw, "sie-feat"), f->bit);
            break;
        case SRC_SUBFUNC:
            snprintf(row, sizeof(row), "subfunc-%s", f->subfunc);
            on = s390x_block_bit(s390x_raw_get(raw, row), f->bit);
            break;
        case SRC_MISC:
            on = s390x_block_bit(s390x_raw_get(raw, "misc"), f->bit);
            break;
        }
        s390x_set(out, (int)i, on);
    }
    return 0;
}

int s390x_host_model(const struct s390x_catalog *cat, const struct cc_doc *doc, const char *file,
                     unsigned qemu, struct s390x_model *out)
{
    const struct cc_view *view = cc_doc_host_view(doc);
    const char *type_s = cc_kv_get(&doc->identity, "type");
    const struct s390x_block *ibc;
    unsigned type, unblocked = 0;
    char *end;

    if (!view || !view->raw)
        return cc_error(EINVAL, "%s: no facility data", file);
    if (!type_s || (type = (unsigned)strtoul(type_s, &end, 16), *end) || !type)
        return cc_error(EINVAL, "%s: no machine type", file);
    /* KVM's IBC: lowest << 16 | unblocked; the unblocked one is what the machine runs as. */
    ibc = s390x_raw_get(view->raw, "ibc");
    if (ibc && ibc->len == 4)
        unblocked = ((unsigned)ibc->data[2] << 8 | ibc->data[3]) & 0xfff;
    memset(out, 0, sizeof(*out));
    out->qemu = qemu;
    /* A file written by expand names its definition: machines before z10 have no IBC to tell
     * a GA by. A QEMU without that definition picks its own, as for a machine. */
    if (cc_kv_get(&view->props, "cpu-definition")) {
        out->def = s390x_def_find(cat, cc_kv_get(&view->props, "cpu-definition"));
        if (!out->def || out->def->type != type)
            return cc_error(EINVAL, "%s: cpu-definition '%s' is not a definition of type 0x%04x",
                            file, cc_kv_get(&view->props, "cpu-definition"), type);
        if (out->def->since > qemu)
            out->def = s390x_find_def(cat, type, out->def->gen, out->def->ga, NULL, qemu);
    } else {
        out->def = unblocked ? s390x_find_def(cat, type, (unblocked >> 4) + 10, unblocked & 0xf,
                                              NULL, qemu)
                             : s390x_find_def(cat, type, 0, 0, NULL, qemu);
    }
    if (!out->def)
        return cc_error(EINVAL, "%s: machine type 0x%04x matches no CPU definition", file, type);
    s390x_view_feats(cat, view, &out->feats);
    out->assumed = 0;
    for (size_t i = 0; strcmp(view->name, "kvm") == 0 && i < cat->n_feats; i++)
        if (cat->feats[i].kvm_needs >= 0 && !s390x_has(&out->feats, cat->feats[i].kvm_needs))
            s390x_set(&out->feats, (int)i, false);
    if (strcmp(view->name, "cpu") == 0) {
        const struct s390x_raw *raw = view->raw;

        for (size_t i = 0; i < cat->n_feats; i++) {
            const struct s390x_feature *f = &cat->feats[i];
            char row[S390X_ROW_NAME_MAX];

            if (!s390x_has(&out->def->full, (int)i))
                continue;
            if (f->source == SRC_SUBFUNC)
                snprintf(row, sizeof(row), "subfunc-%s", f->subfunc);
            /* A query block the view does not have (not asked, or its facility absent). */
            if (f->source == SRC_SUBFUNC && !s390x_raw_get(raw, row) &&
                (f->gate < 0 || s390x_has(&out->feats, f->gate))) {
                s390x_set(&out->feats, (int)i, true);
                out->assumed |= S390X_ASSUMED_SUBFUNCS;
            } else if ((f->source == SRC_SIE || f->source == SRC_MISC) &&
                       !s390x_raw_get(raw, f->source == SRC_SIE ? "sie-feat" : "misc")) {
                s390x_set(&out->feats, (int)i, true);
                out->assumed |= S390X_ASSUMED_KVM;
            }
        }
    }
    /* QEMU has no name for what is newer than itself: the guest cannot be given it. */
    for (size_t i = 0; i < cat->n_feats; i++)
        if (cat->feats[i].since > qemu && s390x_has(&out->feats, (int)i)) {
            s390x_set(&out->feats, (int)i, false);
            s390x_set(&out->unnamed, (int)i, true);
        }
    /* It strips what the definition could never have (kvm_s390_get_host_cpu_model()). */
    s390x_and(&out->feats, &out->feats, &out->def->full);
    return 0;
}

const char *s390x_assumed_note(unsigned assumed)
{
    switch (assumed) {
    case 0:
        return NULL;
    case S390X_ASSUMED_SUBFUNCS:
        return "query blocks the view lacks (PLO, PTFF and PCKMO are not queried at user level): "
               "those subfunctions of facilities present were taken as the definition allows";
    case S390X_ASSUMED_KVM:
        return "a cpu view: what only KVM tells (SIE features, CMM, AP, DAT-enhancement 2) was "
               "taken as the definition allows";
    }
    return "a cpu view: the subfunctions of query blocks it lacks (PLO, PTFF and PCKMO are not "
           "queried at user level) and what only KVM tells (SIE features, CMM, AP) were taken as "
           "the definition allows";
}

int s390x_model_parse(struct cc_ctx *ctx, const struct cc_arch_ops *files_arch,
                      const struct s390x_catalog *cat, const char *spec, struct s390x_model *out)
{
    struct cc_cpu_string s;
    char *dash;
    bool base = false;
    int r = cc_cpu_string_split(spec, &s);

    if (r < 0)
        return r;
    dash = strrchr(s.model, '-');
    if (dash && strcmp(dash, "-base") == 0) {
        *dash = '\0';
        base = true;
    }
    if (!(out->def = s390x_def_find(cat, s.model))) {
        r = cc_model_unknown(ctx, files_arch, s.model);
        cc_cpu_string_free(&s);
        return r;
    }
    out->feats = base ? out->def->base : out->def->dflt;
    /* QEMU's property syntax: feature or group =on|off, applied in order; s390x has no +/-
     * (cpu_common_parse_features wants key=value). */
    for (size_t t = 0; t < s.n && r == 0; t++) {
        const struct cc_cpu_token *tok = &s.tokens[t];
        bool on = tok->has_value && !strcmp(tok->value, "on");
        int i, g;

        if (tok->kind != CC_CPU_SET || !tok->has_value ||
            (strcmp(tok->value, "on") && strcmp(tok->value, "off")))
            r = cc_error(EINVAL, "'%s%s%s%s': want FEATURE=on or FEATURE=off",
                         tok->kind == CC_CPU_PLUS    ? "+"
                         : tok->kind == CC_CPU_MINUS ? "-"
                                                     : "",
                         tok->name, tok->has_value ? "=" : "", tok->has_value ? tok->value : "");
        else if ((i = s390x_feature_index(cat, tok->name)) >= 0)
            s390x_set(&out->feats, i, on);
        else if ((g = s390x_group_index(cat, tok->name)) >= 0)
            for (size_t k = 0; k < cat->n_feats; k++) {
                if (s390x_has(&cat->groups[g].members, (int)k))
                    s390x_set(&out->feats, (int)k, on);
            }
        else
            r = cc_feature_unknown(ctx, &s390x_arch_ops, tok->name);
    }
    cc_cpu_string_free(&s);
    if (r < 0)
        return r;
    /* QEMU refuses what the definition's full set does not have. */
    for (size_t k = 0; k < cat->n_feats; k++)
        if (s390x_has(&out->feats, (int)k) && !s390x_has(&out->def->full, (int)k))
            return cc_error(EINVAL, "'%s': feature '%s' is not available in CPU model %s", spec,
                            cat->feats[k].name, out->def->name);
    return 0;
}
