#include "cpudef.h"
#include "arch.h"
#include "rtree.h"
#include "xalloc.h"

#include <stdlib.h>

void cc_cpudef_free(struct cc_cpudef *d)
{
    free(d->qemu);
    free(d->lv_model);
    free(d->lv_release);
    free(d->lv_maxphysaddr);
    free(d->why_not);
    cc_kv_free(&d->lv_features);
    cc_strlist_free(&d->notes);
    *d = (struct cc_cpudef){0};
}

void cc_report_add_cpudef(struct cc_node *report, const struct cc_cpudef *d)
{
    struct cc_node *g = cc_add_object(report, "guest_cpu"), *lv, *feats;

    cc_add_string(g, "qemu", d->qemu);
    lv = cc_add_object(g, "libvirt");
    cc_add_string(lv, "model", d->lv_model);
    cc_add_string(lv, "since", d->lv_release);
    cc_add_string(lv, "maxphysaddr_bits", d->lv_maxphysaddr);
    feats = cc_add_array(lv, "features", "feature");
    for (size_t i = 0; i < d->lv_features.n; i++) {
        struct cc_node *f = cc_add_object(feats, NULL);

        cc_add_string(f, "name", d->lv_features.items[i].key);
        cc_add_string(f, "policy", d->lv_features.items[i].value);
    }
    cc_add_string(g, "why_not", d->why_not);
    cc_add_strlist(g, "notes", "note", &d->notes);
}

int cc_report_add_guest_cpu(struct cc_ctx *ctx, const struct cc_arch_ops *arch,
                            struct cc_node *report, const char *model, const struct cc_strlist *add,
                            const struct cc_strlist *remove, const struct cc_kvlist *props)
{
    struct cc_cpudef d = {0};
    int r = 0;

    if (!arch->cpudef)
        d.why_not = xasprintf("no guest CPU export for %s yet", arch->name);
    else
        r = arch->cpudef(ctx, model, add, remove, props, &d);
    if (r == 0)
        cc_report_add_cpudef(report, &d);
    cc_cpudef_free(&d);
    return r;
}

int cc_report_add_host_guest_cpu(struct cc_ctx *ctx, const struct cc_doc *host, const char *file,
                                 struct cc_node *report, const char *model)
{
    struct cc_baseline b = {0};
    int r = 0;

    if (model && host->arch->baseline)
        r = host->arch->baseline(ctx, &host, &file, 1, false, &b);
    if (r == 0)
        r = cc_report_add_guest_cpu(ctx, host->arch, report, model, NULL, NULL, &b.props);
    cc_baseline_free(&b);
    return r;
}
