/* `compare` on s390x: QEMU's query-cpu-model-comparison answer, from files. */
#include "s390x.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"
#include "../../core/qemu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const cmp_names[] = {"identical", "superset", "subset", "incompatible"};

int s390x_static_expansion(const struct s390x_catalog *cat, const struct s390x_model *m,
                           struct cc_kvlist *out)
{
    struct s390x_feats add, del;
    struct cc_strlist a = {0}, d = {0};
    int r;

    s390x_andnot(&add, &m->feats, &m->def->base);
    s390x_andnot(&del, &m->def->base, &m->feats);
    r = s390x_feats_names(cat, &add, &a);
    if (r == 0)
        r = s390x_feats_names(cat, &del, &d);
    for (size_t i = 0; i < a.n && r == 0; i++)
        r = cc_kv_set(out, a.items[i], "on");
    for (size_t i = 0; i < d.n && r == 0; i++)
        r = cc_kv_set(out, d.items[i], "off");
    cc_strlist_free(&a);
    cc_strlist_free(&d);
    return r;
}

int s390x_model_string(const char *model, const struct cc_kvlist *props, char **out)
{
    size_t len = strlen(model) + 1;
    char *s, *end;

    for (size_t i = 0; i < props->n; i++)
        len += strlen(props->items[i].key) + strlen(props->items[i].value) + 2;
    if (!(s = malloc(len)))
        return cc_error(ENOMEM, "out of memory");
    end = stpcpy(s, model);
    for (size_t i = 0; i < props->n; i++) {
        end = stpcpy(stpcpy(end, ","), props->items[i].key);
        end = stpcpy(stpcpy(end, "="), props->items[i].value);
    }
    *out = s;
    return 0;
}

static int describe(const struct s390x_catalog *cat, const struct s390x_model *m, char **out)
{
    struct cc_kvlist props = {0};
    char base[64];
    int r = s390x_static_expansion(cat, m, &props);

    snprintf(base, sizeof(base), "%s-base", m->def->name);
    if (r == 0)
        r = s390x_model_string(base, &props, out);
    cc_kv_free(&props);
    return r;
}

/* A guest started on the source: its QEMU must know the model and every feature turned on. */
static int guest_in_qemu(const struct s390x_catalog *cat, const struct s390x_model *guest,
                         unsigned qemu, const char *file)
{
    char q[CC_QEMU_VERSION_LEN], since[CC_QEMU_VERSION_LEN];

    cc_qemu_version_format(qemu, q, sizeof(q));
    if (guest->def->since > qemu) {
        s390x_since_text(cat, guest->def->since, since, sizeof(since));
        return cc_error(EINVAL, "%s: model %s is not in QEMU %s, the source's (first in %s)", file,
                        guest->def->name, q, since);
    }
    for (size_t i = 0; i < cat->n_feats; i++)
        if (s390x_has(&guest->feats, (int)i) && cat->feats[i].since > qemu) {
            s390x_since_text(cat, cat->feats[i].since, since, sizeof(since));
            return cc_error(EINVAL, "%s: feature %s is not in QEMU %s, the source's (first in %s)",
                            file, cat->feats[i].name, q, since);
        }
    return 0;
}

int s390x_compare(struct cc_ctx *ctx, const struct cc_doc *src, const char *src_file,
                  const struct cc_doc *dst, const char *dst_file,
                  const struct cc_compare_opts *opts, struct cc_verdict *v)
{
    return s390x_compare_string(ctx, src, src_file, dst, dst_file, opts->model, false, v);
}

/* A guest the source cannot start, as the verdict: blockers naming the source. */
static int source_blocks(const struct s390x_catalog *cat, const struct s390x_model *sm,
                         const struct s390x_model *guest, const char *src_file,
                         struct cc_verdict *v)
{
    _cleanup_free_ char *who = NULL;
    int r;

    if (asprintf(&who, "the source %s", src_file) < 0)
        return cc_error(ENOMEM, "out of memory");
    if (guest->def->since > sm->qemu) {
        char q[CC_QEMU_VERSION_LEN], since[CC_QEMU_VERSION_LEN], where[32];

        cc_qemu_version_format(sm->qemu, q, sizeof(q));
        s390x_since_text(cat, guest->def->since, since, sizeof(since));
        snprintf(where, sizeof(where), "QEMU %s", q);
        r = cc_blockers_add(&v->blockers, guest->def->name, where, CC_REASON_MISSING,
                            "model %s is not in QEMU %s, the QEMU of %s (first in %s)",
                            guest->def->name, q, who, since);
    } else {
        r = s390x_add_blockers(cat, sm, guest, who, &v->blockers);
    }
    v->relation = CC_INCOMPATIBLE;
    v->migratable = false;
    return r;
}

int s390x_compare_string(struct cc_ctx *ctx, const struct cc_doc *src, const char *src_file,
                         const struct cc_doc *dst, const char *dst_file, const char *model,
                         bool source_verdict, struct cc_verdict *v)
{
    const struct s390x_catalog *cat;
    struct s390x_model sm, dm, guest;
    struct cc_strlist resp = {0};
    enum s390x_cmp res;
    _cleanup_free_ char *name = NULL;
    bool one = !src; /* one file: does the --model guest run on it (started there) */
    int r = s390x_catalog_get(ctx, &cat);

    if (one && !model)
        return cc_error(ENOTSUP, "%s: compare with one file needs --model; give SRC and DST",
                        dst_file);
    if (one) {
        src = dst;
        src_file = dst_file;
    }
    if (r == 0)
        r = s390x_host_judged(ctx, cat, src, src_file, &sm, &v->notes);
    if (r == 0)
        r = s390x_host_judged(ctx, cat, dst, dst_file, &dm, &v->notes);
    if (r < 0)
        return r;
    if (s390x_assumed_note(sm.assumed))
        r = cc_strlist_addf(&v->notes, "%s: %s", src_file, s390x_assumed_note(sm.assumed));
    if (r == 0 && s390x_assumed_note(dm.assumed))
        r = cc_strlist_addf(&v->notes, "%s: %s", dst_file, s390x_assumed_note(dm.assumed));
    if (r < 0)
        return r;
    guest = sm;
    if (model) {
        struct cc_strlist un = {0};

        if ((r = s390x_model_parse(ctx, &s390x_arch_ops, cat, model, &guest)) < 0)
            return r;
        /* A guest a file defines that the source cannot start is a verdict, not an error. */
        if (!one && source_verdict &&
            (guest.def->since > sm.qemu || (r = s390x_unavailable(cat, &sm, &guest, &un)) < 0 ||
             un.n)) {
            cc_strlist_free(&un);
            if (r == 0)
                r = source_blocks(cat, &sm, &guest, src_file, v);
            if (r == 0 && (!(v->guest = strdup(model)) ||
                           !(v->src_basis = strdup(cc_doc_host_view(src)->name)) ||
                           !(v->dst_basis = strdup(cc_doc_host_view(dst)->name))))
                r = cc_error(ENOMEM, "out of memory");
            return r == 0 ? s390x_feats_names(cat, &guest.feats, &v->guest_features) : r;
        }
        /* With one file the guest was started by some other QEMU: what the destination's
         * lacks is a blocker below, as with two files. */
        if (!one && (r = guest_in_qemu(cat, &guest, sm.qemu, src_file)) < 0)
            return r;
        r = s390x_unavailable(cat, &sm, &guest, &un);
        /* With one file its blockers are the destination's, below. */
        if (r == 0 && un.n && !one)
            r = cc_error(EINVAL, "%s: model %s cannot run on the source itself (%s%s)", src_file,
                         model, un.items[0], un.n > 1 ? ", ..." : "");
        cc_strlist_free(&un);
        if (r < 0)
            return r;
    }
    if ((r = describe(cat, &guest, &name)) < 0)
        return r;
    if (model)
        v->guest = strdup(model);
    else if (asprintf(&v->guest, "host model of %s (%s)", src_file, name) < 0)
        v->guest = NULL;
    v->src_basis = strdup(one ? "none" : cc_doc_host_view(src)->name);
    v->dst_basis = strdup(cc_doc_host_view(dst)->name);
    if (!v->guest || !v->src_basis || !v->dst_basis)
        return cc_error(ENOMEM, "out of memory");
    /* QEMU's question, with the destination as modela and the guest as modelb. */
    r = s390x_compare_models(cat, &dm, &guest, &res, &resp);
    if (r == 0 && guest.def->since > dm.qemu) {
        char q[CC_QEMU_VERSION_LEN], since[CC_QEMU_VERSION_LEN], where[32];

        cc_qemu_version_format(dm.qemu, q, sizeof(q));
        s390x_since_text(cat, guest.def->since, since, sizeof(since));
        snprintf(where, sizeof(where), "QEMU %s", q);
        r = cc_blockers_add(&v->blockers, guest.def->name, where, CC_REASON_MISSING,
                            "model %s is not in QEMU %s, the destination's QEMU (first in %s)",
                            guest.def->name, q, since);
        res = S390X_INCOMPATIBLE;
    }
    v->relation = res == S390X_IDENTICAL  ? CC_IDENTICAL
                  : res == S390X_SUPERSET ? CC_SUPERSET
                  : res == S390X_SUBSET   ? CC_SUBSET
                                          : CC_INCOMPATIBLE;
    v->migratable = (res == S390X_IDENTICAL || res == S390X_SUPERSET) && !v->blockers.n;
    if (r == 0 && !v->migratable)
        r = s390x_add_blockers(cat, &dm, &guest, "the destination", &v->blockers);
    if (r == 0 && v->migratable && v->blockers.n)
        r = cc_error(EINVAL, "internal: a migratable verdict with blockers");
    if (r == 0)
        r = cc_strlist_addf(&v->notes,
                            "QEMU's query-cpu-model-comparison (modela: destination, modelb: "
                            "guest) says %s%s",
                            cmp_names[res], resp.n ? "; see its responsible properties" : "");
    for (size_t i = 0; i < resp.n && r == 0; i++)
        r = cc_strlist_add(&v->responsible, resp.items[i]);
    /* The pitfalls, where they bite. */
    if (r == 0 && dm.def->gen > guest.def->gen && res == S390X_INCOMPATIBLE) {
        struct s390x_feats lost;
        struct cc_strlist names = {0};
        bool only_deprecated = true;
        char suggest[512];
        size_t used;

        s390x_andnot(&lost, &guest.feats, &dm.feats);
        for (size_t i = 0; i < cat->n_feats; i++)
            if (s390x_has(&lost, (int)i))
                only_deprecated &= cat->feats[i].deprecated;
        r = s390x_feats_names(cat, &lost, &names);
        used = (size_t)snprintf(suggest, sizeof(suggest), "%s", guest.def->name);
        for (size_t i = 0; i < names.n && used < sizeof(suggest); i++)
            used +=
                (size_t)snprintf(suggest + used, sizeof(suggest) - used, ",%s=off", names.items[i]);
        if (r == 0 && only_deprecated)
            r = cc_strlist_addf(&v->notes,
                                "a newer generation is not a superset: the guest has deprecated "
                                "features that left the base/default sets at gen15 (csske, bpb); "
                                "a guest started as --model '%s' can move",
                                suggest);
        cc_strlist_free(&names);
    }
    if (r == 0 && dm.def != guest.def && dm.def->gen == guest.def->gen &&
        dm.def->ga == guest.def->ga)
        r = cc_strlist_addf(&v->notes,
                            "%s and %s are the EC and BC machines of one GA: QEMU compares them "
                            "as one generation",
                            guest.def->name, dm.def->name);
    {
        struct s390x_feats extra;

        s390x_andnot(&extra, &dm.feats, &guest.feats);
        if (r == 0)
            r = s390x_feats_names(cat, &guest.feats, &v->guest_features);
        if (r == 0)
            r = s390x_feats_names(cat, &extra, &v->extra);
    }
    cc_strlist_free(&resp);
    return r;
}

static enum s390x_cmp order(unsigned a_gen, unsigned a_ga, unsigned b_gen, unsigned b_ga)
{
    if (a_gen == b_gen)
        return a_ga > b_ga ? S390X_SUPERSET : a_ga < b_ga ? S390X_SUBSET : S390X_IDENTICAL;
    return a_gen > b_gen ? S390X_SUPERSET : S390X_SUBSET;
}

int s390x_compare_models(const struct s390x_catalog *cat, const struct s390x_model *a,
                         const struct s390x_model *b, enum s390x_cmp *result,
                         struct cc_strlist *responsible)
{
    enum s390x_cmp gen = order(a->def->gen, a->def->ga, b->def->gen, b->def->ga), feat;
    int r = 0;

    if (gen != S390X_IDENTICAL)
        r = cc_strlist_add(responsible, "type");
    feat = s390x_equal(&a->feats, &b->feats)    ? S390X_IDENTICAL
           : s390x_subset(&a->feats, &b->feats) ? S390X_SUBSET
           : s390x_subset(&b->feats, &a->feats) ? S390X_SUPERSET
                                                : S390X_INCOMPATIBLE;
    if (r == 0 && feat != S390X_IDENTICAL) {
        struct s390x_feats x;

        for (int i = 0; i < S390X_WORDS; i++)
            x.w[i] = a->feats.w[i] ^ b->feats.w[i];
        r = s390x_feats_names(cat, &x, responsible);
    }
    *result = gen == feat || feat == S390X_IDENTICAL ? gen
              : gen == S390X_IDENTICAL               ? feat
                                                     : S390X_INCOMPATIBLE;
    return r;
}
