/* `compare`, `baseline` and `models` on s390x: QEMU's query-cpu-model-comparison,
 * query-cpu-model-baseline and query-cpu-definitions answers, from files. */
#include "s390x.h"
#include "../../core/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const cmp_names[] = {"identical", "superset", "subset", "incompatible"};

static int describe(const struct s390x_catalog *cat, const struct s390x_model *m, char *buf,
                    size_t len)
{
    struct s390x_feats add, del;
    struct cc_strlist a = {0}, d = {0};
    size_t used = (size_t)snprintf(buf, len, "%s-base", m->def->name);
    int r;

    s390x_andnot(&add, &m->feats, &m->def->base);
    s390x_andnot(&del, &m->def->base, &m->feats);
    r = s390x_feats_names(cat, &add, &a);
    if (r == 0)
        r = s390x_feats_names(cat, &del, &d);
    for (size_t i = 0; i < a.n && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, ",%s=on", a.items[i]);
    for (size_t i = 0; i < d.n && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, ",%s=off", d.items[i]);
    cc_strlist_free(&a);
    cc_strlist_free(&d);
    return r;
}

/* check_unavailable_features(): what stops a model on a host, "type" first. */
static int unavailable(const struct s390x_catalog *cat, const struct s390x_model *host,
                       const struct s390x_model *m, struct cc_strlist *out)
{
    struct s390x_feats missing;
    int r = 0;

    if (host->def->gen < m->def->gen ||
        (host->def->gen == m->def->gen && host->def->ga < m->def->ga))
        r = cc_strlist_add(out, "type");
    s390x_andnot(&missing, &m->feats, &host->feats);
    return r < 0 ? r : s390x_feats_names(cat, &missing, out);
}

static int add_blockers(const struct s390x_catalog *cat, const struct s390x_model *host,
                        const struct s390x_model *m, const char *who, struct cc_blockers *b)
{
    struct cc_strlist names = {0};
    int r = unavailable(cat, host, m, &names);

    for (size_t i = 0; i < names.n && r == 0; i++) {
        int f = s390x_feature_index(cat, names.items[i]);

        if (strcmp(names.items[i], "type") == 0)
            r = cc_blockers_add(b, "type", "CPU generation", CC_REASON_TOO_LOW,
                                "%s (generation %u GA %u) is newer than %s's %s (generation %u "
                                "GA %u)",
                                m->def->name, m->def->gen, m->def->ga, who, host->def->name,
                                host->def->gen, host->def->ga);
        else if (f >= 0 && cat->feats[f].source == SRC_STFLE)
            r = cc_blockers_add(b, names.items[i], "STFLE", CC_REASON_MISSING,
                                "facility %u not offered by %s", cat->feats[f].bit, who);
        else
            r = cc_blockers_add(b, names.items[i],
                                f >= 0 && cat->feats[f].subfunc ? cat->feats[f].subfunc
                                                                : "feature group",
                                CC_REASON_MISSING, "not offered by %s", who);
    }
    cc_strlist_free(&names);
    return r;
}

int s390x_compare(struct cc_ctx *ctx, const struct cc_doc *src, const char *src_file,
                  const struct cc_doc *dst, const char *dst_file,
                  const struct cc_compare_opts *opts, struct cc_verdict *v)
{
    const struct s390x_catalog *cat;
    struct s390x_model sm, dm, guest;
    struct cc_strlist resp = {0};
    enum s390x_cmp res;
    char name[1024];
    int r = s390x_catalog_get(ctx, &cat);

    /* One file: the destination's question, answered for x86 guests so far. */
    if (!src)
        return cc_error(ENOTSUP, "%s: compare with one file is for x86 guests; give SRC and DST",
                        dst_file);
    if (r == 0)
        r = s390x_host_model(cat, src, src_file, &sm);
    if (r == 0)
        r = s390x_host_model(cat, dst, dst_file, &dm);
    if (r < 0)
        return r;
    if (opts->invtsc || opts->midr_policy)
        return cc_error(EINVAL, "%s is not an s390x option",
                        opts->invtsc ? "--invtsc" : "--midr-policy");
    if (s390x_assumed_note(sm.assumed))
        r = cc_strlist_addf(&v->notes, "%s: %s", src_file, s390x_assumed_note(sm.assumed));
    if (r == 0 && s390x_assumed_note(dm.assumed))
        r = cc_strlist_addf(&v->notes, "%s: %s", dst_file, s390x_assumed_note(dm.assumed));
    if (r < 0)
        return r;
    guest = sm;
    if (opts->model) {
        struct cc_strlist un = {0};

        if ((r = s390x_model_parse(cat, opts->model, &guest)) < 0)
            return r;
        r = unavailable(cat, &sm, &guest, &un);
        if (r == 0 && un.n)
            r = cc_error(EINVAL, "%s: model %s cannot run on the source itself (%s%s)", src_file,
                         opts->model, un.items[0], un.n > 1 ? ", ..." : "");
        cc_strlist_free(&un);
        if (r < 0)
            return r;
    }
    if ((r = describe(cat, &guest, name, sizeof(name))) < 0)
        return r;
    if (opts->model)
        v->guest = strdup(opts->model);
    else if (asprintf(&v->guest, "host model of %s (%s)", src_file, name) < 0)
        v->guest = NULL;
    v->src_basis = strdup(cc_doc_host_view(src)->name);
    v->dst_basis = strdup(cc_doc_host_view(dst)->name);
    if (!v->guest || !v->src_basis || !v->dst_basis)
        return cc_error(ENOMEM, "out of memory");
    /* QEMU's question, with the destination as modela and the guest as modelb. */
    r = s390x_compare_models(cat, &dm, &guest, &res, &resp);
    v->relation = res == S390X_IDENTICAL  ? CC_IDENTICAL
                  : res == S390X_SUPERSET ? CC_SUPERSET
                  : res == S390X_SUBSET   ? CC_SUBSET
                                          : CC_INCOMPATIBLE;
    v->migratable = res == S390X_IDENTICAL || res == S390X_SUPERSET;
    if (r == 0 && !v->migratable)
        r = add_blockers(cat, &dm, &guest, "the destination", &v->blockers);
    if (r == 0 && v->migratable && v->blockers.n)
        r = cc_error(EINVAL, "internal: a migratable verdict with blockers");
    if (r == 0)
        r = cc_strlist_addf(&v->notes,
                            "QEMU's query-cpu-model-comparison (modela: destination, modelb: "
                            "guest) says %s%s",
                            cmp_names[res], resp.n ? "; see responsible_properties in JSON" : "");
    for (size_t i = 0; i < resp.n && r == 0; i++)
        r = cc_strlist_add(&v->responsible, resp.items[i]);
    /* The pitfalls, where they bite. */
    if (r == 0 && dm.def->gen > guest.def->gen && res == S390X_INCOMPATIBLE) {
        struct s390x_feats lost;
        struct cc_strlist names = {0};
        bool only_deprecated = true;
        char model[512];
        size_t used;

        s390x_andnot(&lost, &guest.feats, &dm.feats);
        for (size_t i = 0; i < cat->n_feats; i++)
            if (s390x_has(&lost, (int)i))
                only_deprecated &= cat->feats[i].deprecated;
        r = s390x_feats_names(cat, &lost, &names);
        used = (size_t)snprintf(model, sizeof(model), "%s", guest.def->name);
        for (size_t i = 0; i < names.n && used < sizeof(model); i++)
            used += (size_t)snprintf(model + used, sizeof(model) - used, ",%s=off", names.items[i]);
        if (r == 0 && only_deprecated)
            r = cc_strlist_addf(&v->notes,
                                "a newer generation is not a superset: the guest has deprecated "
                                "features that left the base/default sets at gen15 (csske, bpb); "
                                "a guest started as --model '%s' can move",
                                model);
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

int s390x_models_report(struct cc_ctx *ctx, const struct cc_doc *doc, const char *file,
                        struct cc_models_report *out)
{
    const struct s390x_catalog *cat;
    struct s390x_model host;
    int r = s390x_catalog_get(ctx, &cat);

    if (r == 0)
        r = s390x_host_model(cat, doc, file, &host);
    if (r < 0)
        return r;
    if (!(out->basis = strdup(cc_doc_host_view(doc)->name)))
        return cc_error(ENOMEM, "out of memory");
    r = cc_strlist_addf(&out->notes, "this host runs as %s (%s, generation %u GA %u)",
                        host.def->name, host.def->description, host.def->gen, host.def->ga);
    if (r == 0 && !cc_doc_view(doc, "kvm"))
        r = cc_strlist_add(&out->notes, "no kvm view: judged on the machine's facilities, not on "
                                        "what its KVM offers");
    if (r == 0 && s390x_assumed_note(host.assumed))
        r = cc_strlist_add(&out->notes, s390x_assumed_note(host.assumed));
    for (size_t i = 0; i < cat->n_defs && r == 0; i++) {
        const struct s390x_def *d = &cat->defs[i];
        struct s390x_model m = {.def = d, .feats = d->dflt};
        struct cc_model_status *st = cc_models_report_add(out);
        char origin[40];

        if (!st)
            return cc_error(ENOMEM, "out of memory");
        snprintf(origin, sizeof(origin), "%s",
                 d->newer ? "QEMU 10 (read from source)" : "QEMU 7.2");
        st->name = strdup(d->name);
        /* A machine line and its later GAs: "z14.2" is of family "z14". */
        st->family = strndup(d->name, strcspn(d->name, "."));
        st->origin = strdup(origin);
        if (!st->name || !st->family || !st->origin)
            return cc_error(ENOMEM, "out of memory");
        st->version = d->gen * 16 + d->ga;
        r = unavailable(cat, &host, &m, &st->unavailable);
        if (r == 0)
            r = add_blockers(cat, &host, &m, "this host", &st->blockers);
        st->usable = st->unavailable.n == 0;
    }
    return r;
}
