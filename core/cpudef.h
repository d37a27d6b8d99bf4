/* A guest CPU as the virtualization stack takes it: QEMU's -cpu string and libvirt's guest <cpu>
 * element. An architecture makes one from a named model and the features to add to it and take
 * from it (cc_arch_ops.cpudef); reports carry it as their "guest_cpu" member, and the qemu and
 * libvirt output formats are writers over that member (report_export.c). */
#ifndef CC_CPUDEF_H
#define CC_CPUDEF_H

#include "strlist.h"

struct cc_node;

struct cc_cpudef {
    char *qemu; /* "Skylake-Client-v1,+vmx,-hle"; NULL when QEMU cannot be told (why_not) */
    /* libvirt <cpu mode='custom'>: its model name and feature name -> "require" or "disable";
     * lv_model NULL when libvirt cannot express the guest (why_not says why). */
    char *lv_model;
    struct cc_kvlist lv_features;
    char *lv_release;     /* the oldest libvirt release the model and names hold for, or NULL */
    char *lv_maxphysaddr; /* <maxphysaddr mode='emulate' bits='N'/>: N, or NULL for none */
    char *why_not;
    struct cc_strlist notes; /* what the export could not say exactly */
};

void cc_cpudef_free(struct cc_cpudef *d);

/* Adds the "guest_cpu" member to a report. */
void cc_report_add_cpudef(struct cc_node *report, const struct cc_cpudef *d);

struct cc_ctx;
struct cc_arch_ops;
/* Asks arch for the guest CPU of model (NULL: no named model fits) with the
 * features added and removed, and adds it to the report. Negative on error (unknown model). */
int cc_report_add_guest_cpu(struct cc_ctx *ctx, const struct cc_arch_ops *arch,
                            struct cc_node *report, const char *model, const struct cc_strlist *add,
                            const struct cc_strlist *remove, const struct cc_kvlist *props);

struct cc_doc;
/* The same for a model chosen for one host (models --resolve): with the -cpu properties that
 * host needs beyond the model's defaults (the props of a baseline of that host alone). */
int cc_report_add_host_guest_cpu(struct cc_ctx *ctx, const struct cc_doc *host, const char *file,
                                 struct cc_node *report, const char *model);

#endif
