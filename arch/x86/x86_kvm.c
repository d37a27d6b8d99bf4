/* The "kvm" view: what this host's KVM can give a guest, asked of /dev/kvm itself. */
#include "x86.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"

#if defined(__x86_64__)
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define KVM_SOURCE "KVM_GET_SUPPORTED_CPUID, KVM_GET_MSRS on /dev/kvm"
/* KVM's own cap is 256 entries (KVM_MAX_CPUID_ENTRIES); allow for growth. */
#define CPUID_ENTRIES_MAX 4096
#define MSR_INDICES_MAX   4096

static int kvm_ioctl(int fd, unsigned long req, void *arg)
{
    int r;

    do
        r = ioctl(fd, req, arg);
    while (r < 0 && errno == EINTR);
    return r < 0 ? -errno : r;
}

static int supported_cpuid(const char *dev, int kvm, struct x86_raw *raw)
{
    for (unsigned n = 256; n <= CPUID_ENTRIES_MAX; n *= 2) {
        _cleanup_free_ struct kvm_cpuid2 *c =
            calloc(1, sizeof(*c) + n * sizeof(struct kvm_cpuid_entry2));
        int r;

        if (!c)
            return cc_error(ENOMEM, "out of memory");
        c->nent = n;
        r = kvm_ioctl(kvm, KVM_GET_SUPPORTED_CPUID, c);
        if (r == -E2BIG)
            continue;
        if (r < 0)
            return cc_error(-r, "%s: KVM_GET_SUPPORTED_CPUID failed: %s", dev, strerror(-r));
        if (c->nent > n)
            return cc_error(EPROTO, "%s: KVM_GET_SUPPORTED_CPUID returned %u entries for %u", dev,
                            c->nent, n);
        for (unsigned i = 0; i < c->nent; i++) {
            const struct kvm_cpuid_entry2 *e = &c->entries[i];
            uint32_t regs[4] = {e->eax, e->ebx, e->ecx, e->edx};
            uint32_t sub = (e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) ? e->index : 0;

            r = x86_raw_set_cpuid(raw, e->function, sub, regs);
            if (r < 0)
                return r;
        }
        return 0;
    }
    return cc_error(E2BIG, "%s: KVM_GET_SUPPORTED_CPUID wants more than %d entries", dev,
                    CPUID_ENTRIES_MAX);
}

/* Feature MSRs are read on the system fd: no VM needed. A kernel without the interface
 * (before 4.17) simply has none to offer, which is a fact, not an error. */
static int feature_msrs(const char *dev, int kvm, struct x86_raw *raw)
{
    struct kvm_msr_list probe = {.nmsrs = 0};
    _cleanup_free_ struct kvm_msr_list *list = NULL;
    _cleanup_free_ struct kvm_msrs *msrs = NULL;
    int r;

    if (kvm_ioctl(kvm, KVM_CHECK_EXTENSION, (void *)(long)KVM_CAP_GET_MSR_FEATURES) <= 0)
        return 0;
    r = kvm_ioctl(kvm, KVM_GET_MSR_FEATURE_INDEX_LIST, &probe);
    if (r < 0 && r != -E2BIG)
        return cc_error(-r, "%s: KVM_GET_MSR_FEATURE_INDEX_LIST failed: %s", dev, strerror(-r));
    if (probe.nmsrs == 0)
        return 0;
    if (probe.nmsrs > MSR_INDICES_MAX)
        return cc_error(EPROTO, "%s: KVM lists %u feature MSRs", dev, probe.nmsrs);
    list = calloc(1, sizeof(*list) + probe.nmsrs * sizeof(list->indices[0]));
    msrs = calloc(1, sizeof(*msrs) + probe.nmsrs * sizeof(msrs->entries[0]));
    if (!list || !msrs)
        return cc_error(ENOMEM, "out of memory");
    list->nmsrs = probe.nmsrs;
    r = kvm_ioctl(kvm, KVM_GET_MSR_FEATURE_INDEX_LIST, list);
    if (r < 0)
        return cc_error(-r, "%s: KVM_GET_MSR_FEATURE_INDEX_LIST failed: %s", dev, strerror(-r));
    msrs->nmsrs = list->nmsrs > probe.nmsrs ? probe.nmsrs : list->nmsrs;
    for (unsigned i = 0; i < msrs->nmsrs; i++)
        msrs->entries[i].index = list->indices[i];
    r = kvm_ioctl(kvm, KVM_GET_MSRS, msrs);
    if (r < 0)
        return cc_error(-r, "%s: KVM_GET_MSRS failed: %s", dev, strerror(-r));
    /* KVM_GET_MSRS stops at the first MSR it cannot read and returns how many it read. */
    for (int i = 0; i < r && (unsigned)i < msrs->nmsrs; i++) {
        int rc = x86_raw_set_msr(raw, msrs->entries[i].index, msrs->entries[i].data);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int xcomp_guest_supp(int kvm, struct cc_kvlist *props)
{
    uint64_t mask = 0;
    struct kvm_device_attr attr = {
        .group = 0, .attr = KVM_X86_XCOMP_GUEST_SUPP, .addr = (uint64_t)(uintptr_t)&mask};

    if (kvm_ioctl(kvm, KVM_CHECK_EXTENSION, (void *)(long)KVM_CAP_SYS_ATTRIBUTES) <= 0)
        return 0;
    if (kvm_ioctl(kvm, KVM_GET_DEVICE_ATTR, &attr) < 0)
        return 0; /* older kernels: attribute unknown; QEMU then assumes XCR0 only */
    return cc_kv_setf(props, "xcomp-guest-supp", "0x%llx", (unsigned long long)mask);
}

/* QEMU drops arch-capabilities when KVM does not list MSR_IA32_ARCH_CAPABILITIES among the
 * MSRs it saves and restores (Linux 4.17-4.20 advertised the bit on AMD without the MSR). */
static int msr_index_list_props(const struct x86_catalog *cat, int kvm, struct cc_kvlist *props)
{
    int w = x86_catalog_word(cat, "FEAT_ARCH_CAPABILITIES");
    struct kvm_msr_list probe = {.nmsrs = 0};
    _cleanup_free_ struct kvm_msr_list *list = NULL;
    bool found = false;
    int r = kvm_ioctl(kvm, KVM_GET_MSR_INDEX_LIST, &probe);

    if ((r < 0 && r != -E2BIG) || probe.nmsrs == 0 || probe.nmsrs > MSR_INDICES_MAX)
        return 0; /* unknown: readers assume a current kernel */
    list = calloc(1, sizeof(*list) + probe.nmsrs * sizeof(list->indices[0]));
    if (!list)
        return cc_error(ENOMEM, "out of memory");
    list->nmsrs = probe.nmsrs;
    if (kvm_ioctl(kvm, KVM_GET_MSR_INDEX_LIST, list) < 0)
        return 0;
    for (unsigned i = 0; i < list->nmsrs && i < probe.nmsrs; i++)
        found |= w >= 0 && list->indices[i] == cat->words[w].msr;
    return cc_kv_set(props, "msr-arch-capabilities", found ? "yes" : "no");
}

/* The TSC frequency a new guest gets by default is only reported by a vCPU. */
static int guest_tsc_khz(int kvm, struct cc_kvlist *props)
{
    _cleanup_close_ int vm = -1, vcpu = -1;
    int khz;

    if (kvm_ioctl(kvm, KVM_CHECK_EXTENSION, (void *)(long)KVM_CAP_GET_TSC_KHZ) <= 0)
        return 0;
    vm = kvm_ioctl(kvm, KVM_CREATE_VM, 0);
    if (vm < 0)
        return 0;
    vcpu = kvm_ioctl(vm, KVM_CREATE_VCPU, 0);
    if (vcpu < 0)
        return 0;
    khz = kvm_ioctl(vcpu, KVM_GET_TSC_KHZ, 0);
    if (khz <= 0)
        return 0;
    return cc_kv_setf(props, "tsc-khz", "%d", khz);
}

int x86_kvm_probe(struct cc_ctx *ctx, const char *dev, struct cc_doc *doc)
{
    const struct x86_catalog *cat;
    _cleanup_close_ int kvm = -1;
    struct x86_raw *raw;
    struct cc_kvlist props = {0};
    unsigned phys_bits;
    int r, api;

    r = x86_catalog_get(ctx, &cat);
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
    api = kvm_ioctl(kvm, KVM_GET_API_VERSION, 0);
    if (api != KVM_API_VERSION)
        return cc_error(EPROTO, "%s: KVM API version %d, expected %d", dev, api, KVM_API_VERSION);

    raw = x86_raw_new();
    if (!raw)
        return cc_error(ENOMEM, "out of memory");
    r = supported_cpuid(dev, kvm, raw);
    if (r == 0)
        r = feature_msrs(dev, kvm, raw);
    if (r == 0) {
        x86_mask_per_cpu(cat, raw);
        x86_raw_sort(raw);
        r = cc_kv_setf(&props, "kvm-api-version", "%d", api);
    }
    if (r == 0 && x86_field_get(&cat->phys_bits, raw, &phys_bits))
        r = cc_kv_setf(&props, "phys-bits", "%u", phys_bits);
    if (r == 0)
        r = cc_kv_set(&props, "tsc-control",
                      kvm_ioctl(kvm, KVM_CHECK_EXTENSION, (void *)(long)KVM_CAP_TSC_CONTROL) > 0
                          ? "yes"
                          : "no");
    if (r == 0)
        r = cc_kv_set(
            &props, "tsc-deadline-timer",
            kvm_ioctl(kvm, KVM_CHECK_EXTENSION, (void *)(long)KVM_CAP_TSC_DEADLINE_TIMER) > 0
                ? "yes"
                : "no");
    if (r == 0)
        r = msr_index_list_props(cat, kvm, &props);
    if (r == 0)
        r = guest_tsc_khz(kvm, &props);
    if (r == 0)
        r = xcomp_guest_supp(kvm, &props);
    /* The view joins the document only once complete, so a failure leaves no half view. */
    return cc_doc_finish_view(doc, r, "kvm", KVM_SOURCE, raw, &props, NULL);
}
#else
/* Built for another architecture (a static cross build): there is no x86 KVM to ask. */
int x86_kvm_probe(struct cc_ctx *ctx, const char *dev, struct cc_doc *doc)
{
    (void)ctx, (void)doc;
    return cc_error(ENOTSUP, "%s: not an x86-64 machine", dev);
}
#endif
