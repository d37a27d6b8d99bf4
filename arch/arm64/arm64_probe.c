/* `dump` on an arm64 host: a scratch VM and vCPU set up as a VMM would, then every ID register
 * of the catalog read back with KVM_GET_ONE_REG ("kvm" view). */
#include "arm64.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"

#if defined(__aarch64__)
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#define KVM_SOURCE "KVM_GET_ONE_REG on a scratch vCPU"

/* Firmware pseudo-registers a guest depends on: QEMU migrates them with the ID registers. */
static const struct {
    const char *name;
    uint64_t id;
} firmware_regs[] = {
    {"FW_PSCI_VERSION", KVM_REG_ARM_PSCI_VERSION},
    {"FW_SMCCC_ARCH_WORKAROUND_1", KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1},
    {"FW_SMCCC_ARCH_WORKAROUND_2", KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2},
    {"FW_SMCCC_ARCH_WORKAROUND_3", KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3},
};

static int kvm_ioctl(int fd, unsigned long req, void *arg)
{
    int r;

    do
        r = ioctl(fd, req, arg);
    while (r < 0 && errno == EINTR);
    return r < 0 ? -errno : r;
}

static int cap(int fd, long c)
{
    int r = kvm_ioctl(fd, KVM_CHECK_EXTENSION, (void *)c);

    return r < 0 ? 0 : r;
}

static int get_reg(int vcpu, uint64_t id, void *out)
{
    struct kvm_one_reg reg = {.id = id, .addr = (uint64_t)(uintptr_t)out};

    return kvm_ioctl(vcpu, KVM_GET_ONE_REG, &reg);
}

static int read_sve_vls(int vcpu, struct cc_kvlist *props)
{
    uint64_t vls[8] = {0}; /* KVM_REG_ARM64_SVE_VLS is 512 bits: bit n = 128*(n+1) bits */
    char list[256] = "";
    size_t used = 0;

    if (get_reg(vcpu, KVM_REG_ARM64_SVE_VLS, vls) < 0)
        return 0;
    for (unsigned i = 0; i < 512 && used < sizeof(list) - 8; i++)
        if ((vls[i / 64] >> (i % 64)) & 1)
            used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%u", used ? " " : "",
                                     (i + 1) * 16);
    return cc_kv_set(props, "sve-vector-lengths", list[0] ? list : "none");
}

static int vcpu_setup(const char *dev, int kvm, int vm, int *vcpu_out, struct cc_kvlist *props)
{
    struct kvm_vcpu_init init;
    int vcpu, r, sve = cap(kvm, KVM_CAP_ARM_SVE);

    r = kvm_ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init);
    if (r < 0)
        return cc_error(-r, "%s: KVM_ARM_PREFERRED_TARGET failed: %s", dev, strerror(-r));
    /* The vCPU features a VMM such as QEMU enables when the host offers them. */
    init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
    if (cap(kvm, KVM_CAP_ARM_PMU_V3))
        init.features[0] |= 1u << KVM_ARM_VCPU_PMU_V3;
    if (sve)
        init.features[0] |= 1u << KVM_ARM_VCPU_SVE;
    if (cap(kvm, KVM_CAP_ARM_PTRAUTH_ADDRESS) && cap(kvm, KVM_CAP_ARM_PTRAUTH_GENERIC))
        init.features[0] |= 1u << KVM_ARM_VCPU_PTRAUTH_ADDRESS | 1u << KVM_ARM_VCPU_PTRAUTH_GENERIC;
    vcpu = kvm_ioctl(vm, KVM_CREATE_VCPU, 0);
    if (vcpu < 0)
        return cc_error(-vcpu, "%s: KVM_CREATE_VCPU failed: %s", dev, strerror(-vcpu));
    *vcpu_out = vcpu;
    r = kvm_ioctl(vcpu, KVM_ARM_VCPU_INIT, &init);
    if (r < 0)
        return cc_error(-r, "%s: KVM_ARM_VCPU_INIT failed: %s", dev, strerror(-r));
    r = cc_kv_setf(props, "vcpu-features", "0x%x", init.features[0]);
    if (r == 0 && sve) {
        int feature = KVM_ARM_VCPU_SVE;

        r = read_sve_vls(vcpu, props);
        if (r == 0 && kvm_ioctl(vcpu, KVM_ARM_VCPU_FINALIZE, &feature) < 0)
            r = cc_error(errno, "%s: KVM_ARM_VCPU_FINALIZE(SVE) failed", dev);
    }
    return r;
}

static int read_registers(const struct arm64_catalog *cat, int vcpu, struct arm64_raw *raw)
{
    int r = 0;

    for (size_t i = 0; i < cat->n_regs && r == 0; i++) {
        uint64_t v;

        /* ENOENT: this kernel does not list the register; leaving it out is the answer. */
        if (get_reg(vcpu, cat->regs[i].id, &v) == 0)
            r = arm64_raw_set(raw, cat->regs[i].name, cat->regs[i].id, v);
    }
    for (size_t i = 0; i < sizeof(firmware_regs) / sizeof(firmware_regs[0]) && r == 0; i++) {
        uint64_t v;

        if (get_reg(vcpu, firmware_regs[i].id, &v) == 0)
            r = arm64_raw_set(raw, firmware_regs[i].name, firmware_regs[i].id, v);
    }
    arm64_raw_sort(raw);
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
        r = cc_kv_setf(props, caps[i].name, "%d", cap(kvm, caps[i].cap));
    return r;
}

static int kvm_view(struct cc_ctx *ctx, const char *dev, struct cc_doc *doc)
{
    const struct arm64_catalog *cat;
    _cleanup_close_ int kvm = -1, vm = -1, vcpu = -1;
    struct cc_kvlist props = {0};
    struct arm64_raw *raw = NULL;
    struct cc_view *view;
    struct utsname u;
    int r, ipa;

    r = arm64_catalog_get(ctx, &cat);
    if (r < 0)
        return r;
    kvm = open(dev, O_RDWR | O_CLOEXEC);
    if (kvm < 0) {
        if (errno == ENOENT)
            return cc_error(ENOENT, "%s: not present, KVM is not available on this host", dev);
        if (errno == EACCES || errno == EPERM)
            return cc_error(EACCES, "%s: permission denied (is this user in group kvm?)", dev);
        return cc_error(errno, "%s: cannot open: %s", dev, strerror(errno));
    }
    /* The largest guest physical address space this host allows, as a VMM would ask for. */
    ipa = cap(kvm, KVM_CAP_ARM_VM_IPA_SIZE);
    vm = kvm_ioctl(kvm, KVM_CREATE_VM, (void *)(long)(ipa > 0 ? KVM_VM_TYPE_ARM_IPA_SIZE(ipa) : 0));
    if (vm < 0)
        return cc_error(-vm, "%s: KVM_CREATE_VM failed: %s", dev, strerror(-vm));
    uname(&u);
    r = cc_kv_set(&props, "kernel-release", u.release);
    if (r == 0)
        r = cc_kv_setf(&props, "ipa-limit", "%d", ipa > 0 ? ipa : 40);
    if (r == 0)
        r = capability_props(kvm, &props);
    if (r == 0)
        r = vcpu_setup(dev, kvm, vm, &vcpu, &props);
    raw = r == 0 ? arm64_raw_new() : NULL;
    if (r == 0 && !raw)
        r = cc_error(ENOMEM, "out of memory");
    if (r == 0)
        r = read_registers(cat, vcpu, raw);
    if (r == 0)
        r = arm64_identity_from_raw(doc, raw, dev);
    if (r == 0)
        r = cc_doc_add_view(doc, "kvm", KVM_SOURCE, &view);
    if (r < 0) {
        arm64_raw_free(raw);
        cc_kv_free(&props);
        return r;
    }
    view->raw = raw;
    view->props = props;
    return 0;
}

int arm64_probe(struct cc_ctx *ctx, const struct cc_probe_opts *opts, struct cc_doc *doc)
{
    int r = cc_doc_stamp_origin(doc, "probe");

    if (r < 0)
        return r;
    if (opts->skip_kvm)
        return cc_error(ENOTSUP, "dump --no-kvm: the arm64 view without KVM is not there yet");
    return kvm_view(ctx, "/dev/kvm", doc);
}
#endif
