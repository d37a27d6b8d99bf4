/* KVM on arm64: the ioctl plumbing shared by dump and verify. */
#include "arm64.h"
#include "../../core/error.h"
#include "../../core/number.h"

#if defined(__aarch64__)
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

int arm64_kvm_ioctl(int fd, unsigned long req, void *arg)
{
    int r;

    do
        r = ioctl(fd, req, arg);
    while (r < 0 && errno == EINTR);
    return r < 0 ? -errno : r;
}

int arm64_kvm_cap(int fd, long c)
{
    int r = arm64_kvm_ioctl(fd, KVM_CHECK_EXTENSION, (void *)c);

    return r < 0 ? 0 : r;
}

int arm64_kvm_reg_list(int vcpu, char **out)
{
    struct kvm_reg_list probe = {.n = 0}, *list;
    uint64_t *ids;
    size_t n = 0;
    int r = arm64_kvm_ioctl(vcpu, KVM_GET_REG_LIST, &probe);

    *out = NULL;
    if (r != -E2BIG || probe.n == 0 || probe.n > 65536)
        return 0; /* nothing to record rather than a wrong list */
    if (!(list = calloc(1, sizeof(*list) + probe.n * sizeof(list->reg[0]))))
        return cc_error(ENOMEM, "out of memory");
    list->n = probe.n;
    if (arm64_kvm_ioctl(vcpu, KVM_GET_REG_LIST, list) < 0) {
        free(list);
        return 0;
    }
    ids = (uint64_t *)list->reg;
    for (size_t i = 0; i < list->n; i++)
        if (arm64_reg_list_counts(ids[i]))
            ids[n++] = ids[i];
    r = arm64_reg_list_format(ids, n, out);
    free(list);
    return r;
}

int arm64_kvm_get_reg(int vcpu, uint64_t id, void *out)
{
    struct kvm_one_reg reg = {.id = id, .addr = (uint64_t)(uintptr_t)out};

    return arm64_kvm_ioctl(vcpu, KVM_GET_ONE_REG, &reg);
}

static int read_sve_vls(int vcpu, struct cc_kvlist *props)
{
    uint64_t vls[8] = {0}; /* KVM_REG_ARM64_SVE_VLS is 512 bits: bit n = 128*(n+1) bits */
    char list[256] = "";
    size_t used = 0;

    if (arm64_kvm_get_reg(vcpu, KVM_REG_ARM64_SVE_VLS, vls) < 0)
        return 0;
    for (unsigned i = 0; i < 512 && used < sizeof(list) - 8; i++)
        if ((vls[i / 64] >> (i % 64)) & 1)
            used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%u", used ? " " : "",
                                     (i + 1) * 16);
    return cc_kv_set(props, "sve-vector-lengths", list[0] ? list : "none");
}

int arm64_kvm_vcpu(const char *dev, int kvm, int vm, unsigned wanted, bool strict, int *vcpu_out,
                   struct cc_kvlist *props)
{
    struct kvm_vcpu_init init;
    unsigned offered = 0;
    int vcpu, r, sve;

    r = arm64_kvm_ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init);
    if (r < 0)
        return cc_error(-r, "%s: KVM_ARM_PREFERRED_TARGET failed: %s", dev, strerror(-r));
    if (arm64_kvm_cap(kvm, KVM_CAP_ARM_PMU_V3))
        offered |= ARM64_VF_PMU;
    if (arm64_kvm_cap(kvm, KVM_CAP_ARM_SVE))
        offered |= ARM64_VF_SVE;
    if (arm64_kvm_cap(kvm, KVM_CAP_ARM_PTRAUTH_ADDRESS) &&
        arm64_kvm_cap(kvm, KVM_CAP_ARM_PTRAUTH_GENERIC))
        offered |= ARM64_VF_PTRAUTH;
    if (strict && (wanted & ~offered))
        return cc_error(ENOTSUP,
                        "%s: this host's KVM does not offer the vCPU feature%s asked for "
                        "(%s%s%s)",
                        dev, __builtin_popcount(wanted & ~offered) > 1 ? "s" : "",
                        wanted & ~offered & ARM64_VF_PMU ? "pmu " : "",
                        wanted & ~offered & ARM64_VF_SVE ? "sve " : "",
                        wanted & ~offered & ARM64_VF_PTRAUTH ? "ptrauth" : "");
    wanted &= offered;
    sve = (wanted & ARM64_VF_SVE) != 0;
    /* PSCI 0.2 always, and the optional features as a VMM such as QEMU enables them. */
    init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
    if (wanted & ARM64_VF_PMU)
        init.features[0] |= 1u << KVM_ARM_VCPU_PMU_V3;
    if (sve)
        init.features[0] |= 1u << KVM_ARM_VCPU_SVE;
    if (wanted & ARM64_VF_PTRAUTH)
        init.features[0] |= 1u << KVM_ARM_VCPU_PTRAUTH_ADDRESS | 1u << KVM_ARM_VCPU_PTRAUTH_GENERIC;
    vcpu = arm64_kvm_ioctl(vm, KVM_CREATE_VCPU, 0);
    if (vcpu < 0)
        return cc_error(-vcpu, "%s: KVM_CREATE_VCPU failed: %s", dev, strerror(-vcpu));
    *vcpu_out = vcpu;
    r = arm64_kvm_ioctl(vcpu, KVM_ARM_VCPU_INIT, &init);
    if (r < 0)
        return cc_error(-r, "%s: KVM_ARM_VCPU_INIT failed: %s", dev, strerror(-r));
    r = cc_kv_setf(props, "vcpu-features", "0x%x", init.features[0]);
    if (r == 0 && sve) {
        int feature = KVM_ARM_VCPU_SVE;

        r = read_sve_vls(vcpu, props);
        if (r == 0 && arm64_kvm_ioctl(vcpu, KVM_ARM_VCPU_FINALIZE, &feature) < 0)
            r = cc_error(errno, "%s: KVM_ARM_VCPU_FINALIZE(SVE) failed", dev);
    }
    return r;
}

int arm64_kvm_try_sve_vls(const char *dev, int kvm, const char *lengths, int *refused)
{
    uint64_t vls[8] = {0};
    struct kvm_vcpu_init init;
    struct kvm_one_reg reg = {.id = KVM_REG_ARM64_SVE_VLS, .addr = (uint64_t)(uintptr_t)vls};
    char copy[256], *save = NULL;
    int vm, vcpu = -1, r;

    snprintf(copy, sizeof(copy), "%s", lengths);
    for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        uint64_t bytes = 0;
        unsigned vq;

        if (cc_parse_decimal(t, 16, 8192, &bytes) < 0)
            bytes = 1; /* refused below */
        vq = (unsigned)(bytes / 16);
        if (bytes % 16 || vq < 1 || vq > 512)
            return cc_error(EINVAL, "SVE vector length '%s' is not a multiple of 16 bytes", t);
        vls[(vq - 1) / 64] |= 1ULL << ((vq - 1) % 64);
    }
    /* A VM of its own: the lengths must be set before the vCPU is finalised, as a VMM does. */
    if ((vm = arm64_kvm_ioctl(kvm, KVM_CREATE_VM, 0)) < 0)
        return cc_error(-vm, "%s: KVM_CREATE_VM failed: %s", dev, strerror(-vm));
    r = arm64_kvm_ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init);
    if (r == 0 && (vcpu = r = arm64_kvm_ioctl(vm, KVM_CREATE_VCPU, 0)) >= 0) {
        init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2 | 1u << KVM_ARM_VCPU_SVE;
        r = arm64_kvm_ioctl(vcpu, KVM_ARM_VCPU_INIT, &init);
    }
    if (r < 0)
        r = cc_error(-r, "%s: a vCPU with SVE: %s", dev, strerror(-r));
    else
        *refused = -arm64_kvm_ioctl(vcpu, KVM_SET_ONE_REG, &reg);
    if (vcpu >= 0)
        close(vcpu);
    close(vm);
    return r < 0 ? r : 0;
}

int arm64_kvm_set_reg(int vcpu, uint64_t id, uint64_t value)
{
    struct kvm_one_reg reg = {.id = id, .addr = (uint64_t)(uintptr_t)&value};

    return arm64_kvm_ioctl(vcpu, KVM_SET_ONE_REG, &reg);
}

int arm64_kvm_open(const char *dev, int *out)
{
    int fd = open(dev, O_RDWR | O_CLOEXEC);

    if (fd < 0) {
        if (errno == ENOENT)
            return cc_error(ENOENT, "%s: not present, KVM is not available on this host", dev);
        if (errno == EACCES || errno == EPERM)
            return cc_error(EACCES, "%s: permission denied (is this user in group kvm?)", dev);
        return cc_error(errno, "%s: cannot open: %s", dev, strerror(errno));
    }
    *out = fd;
    return 0;
}

int arm64_kvm_vm(const char *dev, int kvm, int *vm_out, int *ipa_out)
{
    /* The largest guest physical address space this host allows, as a VMM would ask for. */
    int ipa = arm64_kvm_cap(kvm, KVM_CAP_ARM_VM_IPA_SIZE);
    int vm = arm64_kvm_ioctl(kvm, KVM_CREATE_VM,
                             (void *)(long)(ipa > 0 ? KVM_VM_TYPE_ARM_IPA_SIZE(ipa) : 0));

    if (vm < 0)
        return cc_error(-vm, "%s: KVM_CREATE_VM failed: %s", dev, strerror(-vm));
    *vm_out = vm;
    *ipa_out = ipa > 0 ? ipa : 40;
    return 0;
}
#endif
