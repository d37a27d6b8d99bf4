/* arm64 guest CPUs for the stack: what libvirt and QEMU can be told. Under KVM a guest's ID
 * registers are the host's, narrowed field by field by the VMM; neither QEMU's -cpu (only
 * "host" and "max" under KVM, plus sve*, pmu and pauth switches) nor libvirt's <cpu> (only
 * host-passthrough, or a named model it cannot check) can name a register-level baseline, so
 * the answer is a statement of that, not a string that would start a different guest. */
#include "arm64.h"
#include "../../core/xalloc.h"

int arm64_cpudef(struct cc_ctx *ctx, const char *model, const struct cc_strlist *add,
                 const struct cc_strlist *remove, const struct cc_kvlist *props,
                 struct cc_cpudef *out)
{
    (void)ctx;
    (void)add;
    (void)remove;
    (void)props;
    out->why_not = xasprintf(
        "arm64: %s%s%s is a set of ID register values, which neither QEMU's -cpu under KVM "
        "(host or max, with sve*, pmu and pauth switches) nor libvirt's <cpu> "
        "(host-passthrough; custom models are not checked on arm64) can name; start the guest "
        "as host-passthrough on hosts that compare MIGRATABLE",
        model ? "'" : "", model ? model : "the guest", model ? "'" : "");
    return 0;
}
