/* `models` on s390x: QEMU's query-cpu-definitions answer (which definitions a host can run,
 * and what stops the others), from a file. */
#include "s390x.h"
#include "../../core/error.h"
#include "../../core/qemu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* check_unavailable_features(): what stops a model on a host, "type" first. */
int s390x_unavailable(const struct s390x_catalog *cat, const struct s390x_model *host,
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

int s390x_add_blockers(const struct s390x_catalog *cat, const struct s390x_model *host,
                       const struct s390x_model *m, const char *who, struct cc_blockers *b)
{
    struct cc_strlist names = {0};
    int r = s390x_unavailable(cat, host, m, &names);

    for (size_t i = 0; i < names.n && r == 0; i++) {
        int f = s390x_feature_index(cat, names.items[i]);
        int g = f < 0 ? s390x_group_index(cat, names.items[i]) : -1;
        unsigned since = f >= 0 ? cat->feats[f].since : g >= 0 ? cat->groups[g].since : 0;
        const char *where = f >= 0 && cat->feats[f].source == SRC_STFLE ? "STFLE"
                            : f >= 0 && cat->feats[f].subfunc           ? cat->feats[f].subfunc
                                                                        : "feature group";

        if (strcmp(names.items[i], "type") == 0) {
            r = cc_blockers_add(b, "type", "CPU generation", CC_REASON_TOO_LOW,
                                "%s (generation %u GA %u) is newer than %s's %s (generation %u "
                                "GA %u)",
                                m->def->name, m->def->gen, m->def->ga, who, host->def->name,
                                host->def->gen, host->def->ga);
        } else if (host->qemu && since > host->qemu) {
            /* The machine may well have it: its QEMU has no name for it. */
            char q[CC_QEMU_VERSION_LEN], first[CC_QEMU_VERSION_LEN];

            cc_qemu_version_format(host->qemu, q, sizeof(q));
            s390x_since_text(cat, since, first, sizeof(first));
            r = cc_blockers_add(b, names.items[i], where, CC_REASON_MISSING,
                                "not in QEMU %s, the QEMU of %s (first in %s)", q, who, first);
        } else if (f >= 0 && cat->feats[f].source == SRC_STFLE) {
            r = cc_blockers_add(b, names.items[i], where, CC_REASON_MISSING,
                                "facility %u not offered by %s", cat->feats[f].bit, who);
        } else {
            r = cc_blockers_add(b, names.items[i], where, CC_REASON_MISSING, "not offered by %s",
                                who);
        }
    }
    cc_strlist_free(&names);
    return r;
}

int s390x_models_report(struct cc_ctx *ctx, const struct cc_doc *doc, const char *file,
                        struct cc_models_report *out)
{
    const struct s390x_catalog *cat;
    struct s390x_model host;
    char qemu[CC_QEMU_VERSION_LEN];
    int r = s390x_catalog_get(ctx, &cat);

    if (r == 0)
        r = s390x_host_judged(ctx, cat, doc, file, &host, &out->notes);
    if (r < 0)
        return r;
    cc_qemu_version_format(host.qemu, qemu, sizeof(qemu));
    out->basis = strdup(cc_doc_host_view(doc)->name);
    out->qemu = strdup(qemu);
    if (!out->basis || !out->qemu)
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
        if (d->since > host.qemu) {
            /* QEMU does not list it at all: nothing to be unavailable. */
            if (!(st->not_in_qemu = strdup(qemu)))
                r = cc_error(ENOMEM, "out of memory");
            continue;
        }
        r = s390x_unavailable(cat, &host, &m, &st->unavailable);
        if (r == 0)
            r = s390x_add_blockers(cat, &host, &m, "this host", &st->blockers);
        st->usable = st->unavailable.n == 0;
    }
    return r;
}
