/* `dump` on an arm64 host: a scratch VM and vCPU set up as a VMM would, then every ID register
 * of the catalog read back with KVM_GET_ONE_REG ("kvm" view). */
#include "arm64.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"

#if defined(__aarch64__)
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#define KVM_SOURCE "KVM_GET_ONE_REG on a scratch vCPU"

/* Linux 6.7 uapi (linux/kvm.h, asm/kvm.h), newer than the headers this may be built with. */
#ifndef KVM_ARM_GET_REG_WRITABLE_MASKS
#define KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES 230
#define KVM_ARM_FEATURE_ID_RANGE              0
struct reg_mask_range {
    uint64_t addr;
    uint32_t range;
    uint32_t reserved[13];
};
#define KVM_ARM_GET_REG_WRITABLE_MASKS _IOR(KVMIO, 0xb6, struct reg_mask_range)
#endif
/* Masks are indexed by op1, CRm and op2 of the (op0 3, CRn 0) ID space: room for all. */
#define MASK_SLOTS 512

static int read_registers(const struct arm64_catalog *cat, int vcpu, struct arm64_raw *raw)
{
    int r = 0;

    for (size_t i = 0; i < cat->n_regs && r == 0; i++) {
        uint64_t v;

        /* ENOENT: this kernel does not list the register; leaving it out is the answer. The
         * catalog has the firmware pseudo-registers too (PSCI, SMCCC workarounds). */
        if (arm64_kvm_get_reg(vcpu, cat->regs[i].id, &v) == 0)
            r = arm64_raw_set(raw, cat->regs[i].name, cat->regs[i].id, v);
    }
    arm64_raw_sort(raw);
    return r;
}

/* The fields KVM hides but takes back when written with the host's own value (drop-if-host in
 * kvm-setters.xml): which value it takes is the host's, asked of KVM by writing each one. A
 * destination's dump needs it to judge a guest from an older kernel that still saw the field. */
static int host_values(const struct arm64_catalog *cat, int vcpu, const struct arm64_raw *raw,
                       struct cc_kvlist *props)
{
    int r = 0;

    for (size_t i = 0; i < cat->n_setters && r == 0; i++) {
        const struct arm64_setter *q = &cat->setters[i];
        const struct arm64_regdef *def =
            q->kind == ARM64_SET_DROP_IF_HOST ? arm64_regdef(cat, q->reg) : NULL;
        const struct arm64_reg *reg = def ? arm64_raw_get(raw, q->reg) : NULL;
        const struct arm64_field *f = NULL;
        long long taken = 0;
        char name[96];

        for (size_t k = 0; reg && k < def->n_fields; k++)
            if (strcmp(def->fields[k].name, q->field) == 0)
                f = &def->fields[k];
        if (!f || f->width > 8 || arm64_field_value(f, reg->value) != 0)
            continue;
        for (long long v = 1; v < (1LL << f->width) && !taken; v++)
            if (arm64_kvm_set_reg(vcpu, reg->id, arm64_field_put(f, reg->value, v)) == 0)
                taken = v;
        arm64_kvm_set_reg(vcpu, reg->id, reg->value);
        snprintf(name, sizeof(name), "kvm-host-value-%s.%s", q->reg, q->field);
        r = cc_kv_setf(props, name, "%lld", taken);
    }
    return r;
}

/* What this kernel's KVM lets userspace change, straight from KVM (Linux 6.7 and later). The
 * catalog's per-version masks are the fallback for older kernels and for files without this. */
static int writable_masks(const struct arm64_catalog *cat, int kvm, int vm, struct cc_kvlist *props)
{
    static uint64_t masks[MASK_SLOTS];
    struct reg_mask_range range = {.addr = (uint64_t)(uintptr_t)masks,
                                   .range = KVM_ARM_FEATURE_ID_RANGE};
    int r = 0;

    if (!(arm64_kvm_cap(kvm, KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES) &
          (1 << KVM_ARM_FEATURE_ID_RANGE)))
        return 0;
    memset(masks, 0, sizeof(masks));
    if (arm64_kvm_ioctl(vm, KVM_ARM_GET_REG_WRITABLE_MASKS, &range) < 0)
        return 0;
    for (size_t i = 0; i < cat->n_regs && r == 0; i++) {
        uint64_t id = cat->regs[i].id;
        unsigned op0 = (id >> 14) & 3, op1 = (id >> 11) & 7, crn = (id >> 7) & 15,
                 crm = (id >> 3) & 15, op2 = id & 7;
        char name[96];

        if (op0 != 3 || crn != 0 || crm > 7)
            continue;
        snprintf(name, sizeof(name), "writable-mask-%s", cat->regs[i].name);
        /* KVM_ARM_FEATURE_ID_RANGE_IDX(): op1 0, 1 and 3 (CTR_EL0's) fold to 0, 1, 2. */
        op1 &= 3;
        op1 -= op1 == 3;
        r = cc_kv_setf(props, name, "0x%016llx",
                       (unsigned long long)masks[op1 << 6 | (crm & 7) << 3 | (op2 & 7)]);
    }
    return r;
}

static int capability_props(int kvm, struct cc_kvlist *props)
{
    static const struct {
        const char *name;
        long cap;
    } caps[] = {
        {"cap-sve", KVM_CAP_ARM_SVE},
        {"cap-pmu-v3", KVM_CAP_ARM_PMU_V3},
        {"cap-ptrauth-address", KVM_CAP_ARM_PTRAUTH_ADDRESS},
        {"cap-ptrauth-generic", KVM_CAP_ARM_PTRAUTH_GENERIC},
        {"cap-el1-32bit", KVM_CAP_ARM_EL1_32BIT},
        {"cap-mte", KVM_CAP_ARM_MTE},
    };
    int r = 0;

    for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]) && r == 0; i++)
        r = cc_kv_setf(props, caps[i].name, "%d", arm64_kvm_cap(kvm, caps[i].cap));
    return r;
}

static int kvm_view(struct cc_ctx *ctx, const char *dev, const struct cc_probe_opts *opts,
                    struct cc_doc *doc)
{
    const struct arm64_catalog *cat;
    _cleanup_close_ int kvm = -1, vm = -1, vcpu = -1;
    struct cc_kvlist props = {0};
    struct arm64_raw *raw = NULL;
    struct utsname u;
    int r, ipa;

    r = arm64_catalog_get(ctx, &cat);
    if (r < 0)
        return r;
    if ((r = arm64_kvm_open(dev, &kvm)) < 0 || (r = arm64_kvm_vm(dev, kvm, &vm, &ipa)) < 0)
        return r;
    uname(&u);
    r = cc_kv_set(&props, "kernel-release", u.release);
    if (r == 0)
        r = cc_kv_setf(&props, "ipa-limit", "%d", ipa);
    if (r == 0)
        r = capability_props(kvm, &props);
    unsigned wanted = ARM64_VF_ALL;
    const char *features = cc_option_string(opts->options, "vcpu-features");

    if (r == 0 && features)
        r = arm64_vcpu_features_parse(features, &wanted);
    if (r == 0)
        r = arm64_kvm_vcpu(dev, kvm, vm, wanted, features != NULL, &vcpu, &props);
    if (r == 0)
        r = writable_masks(cat, kvm, vm, &props);
    raw = r == 0 ? arm64_raw_new() : NULL;
    if (r == 0 && !raw)
        r = cc_error(ENOMEM, "out of memory");
    if (r == 0)
        r = read_registers(cat, vcpu, raw);
    if (r == 0)
        r = host_values(cat, vcpu, raw, &props);
    if (r == 0) {
        char *list = NULL;

        r = arm64_kvm_reg_list(vcpu, &list);
        if (r == 0 && list)
            r = arm64_reg_list_store(&props, list);
        free(list);
    }
    if (r == 0)
        r = arm64_identity_from_raw(doc, raw, dev);
    return cc_doc_finish_view(doc, r, "kvm", KVM_SOURCE, raw, &props, NULL);
}

int arm64_probe(struct cc_ctx *ctx, const struct cc_probe_opts *opts, struct cc_doc *doc)
{
    int r = cc_doc_stamp_origin(doc, "probe");
    bool have_kvm = false;

    if (r < 0)
        return r;
    if (!opts->skip_kvm) {
        r = kvm_view(ctx, "/dev/kvm", opts, doc);
        have_kvm = r == 0;
        if ((r = cc_probe_kvm_outcome(opts, r)) < 0)
            return r;
    }
    /* The cpu view's identity only when there is no kvm view to take it from. */
    return arm64_el0_view(ctx, doc, !have_kvm);
}
#endif
