/* Shared finish for the x86 imports: mask, sort, identity, origin and the "cpu" view. */
#ifndef CC_X86_IMPORT_H
#define CC_X86_IMPORT_H

#include "x86.h"

/* Takes ownership of raw in all cases. */
int x86_import_finish(struct cc_ctx *ctx, const char *path, const char *format, struct x86_raw *raw,
                      struct cc_doc *doc);

/* Raw CPUID and MSR values with exactly the libvirt features in[] (per map feature), the vendor
 * string and the range leaves; with kvm_paravirt, KVM's paravirtual leaf as QEMU's named models
 * get it under KVM. */
int x86_lv_build_raw(const struct x86_catalog *cat, const struct x86_rules *rules,
                     const struct x86_lv_map *map, const bool *in, const char *vendor,
                     bool kvm_paravirt, struct x86_raw *raw);

#endif
