/* `dump` on s390x: the cpu view from STFLE and /proc (cpuinfo, sysinfo), and the kvm view from a
 * scratch VM's CPU model attributes (KVM_S390_VM_CPU_MODEL: the machine's cpuid, IBC, facility
 * mask and list, the SIE features and the subfunction query blocks), as QEMU reads them. */
#include "s390x.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"
#include "../../core/xml_load.h"

#if defined(__s390x__)
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define STFLE_DWORDS 32
#define KVM_SOURCE   "KVM_S390_VM_CPU_MODEL attributes on /dev/kvm"

/* STORE FACILITY LIST EXTENDED: r0 holds the doubleword count minus one, and on return the
 * count the machine has minus one. */
static size_t stfle(uint64_t list[STFLE_DWORDS])
{
    register unsigned long r0 __asm__("0") = STFLE_DWORDS - 1;

    memset(list, 0, STFLE_DWORDS * sizeof(list[0]));
    __asm__ volatile(".insn s,0xb2b00000,0(%1)" : "+d"(r0) : "a"(list) : "memory", "cc");
    return r0 + 1 < STFLE_DWORDS ? r0 + 1 : STFLE_DWORDS;
}

/* The query function (function code 0) of the crypto and sort/compress instructions stores the
 * block of functions the machine has at the address in r1; the instructions exist in problem
 * state, but only with their facility (else an operation exception). */
#define QUERY_RRE(op, blk)                                                                         \
    do {                                                                                           \
        register unsigned long r0 __asm__("0") = 0;                                                \
        register void *r1 __asm__("1") = (blk);                                                    \
        __asm__ volatile(".insn rre," op ",2,4"                                                    \
                         :                                                                         \
                         : "d"(r0), "a"(r1)                                                        \
                         : "memory", "cc", "2", "3", "4", "5");                                    \
    } while (0)
#define QUERY_RRF(op, blk)                                                                         \
    do {                                                                                           \
        register unsigned long r0 __asm__("0") = 0;                                                \
        register void *r1 __asm__("1") = (blk);                                                    \
        __asm__ volatile(".insn rrf," op ",2,4,6,0"                                                \
                         :                                                                         \
                         : "d"(r0), "a"(r1)                                                        \
                         : "memory", "cc", "2", "3", "4", "5", "6", "7");                          \
    } while (0)

/* The lengths in data/s390x/query-blocks.xml are the kernel's. */
#define S390X_KVM_BLOCK(f, len)                                                                    \
    _Static_assert(sizeof(((struct kvm_s390_vm_cpu_subfunc *)0)->f) == (len),                      \
                   "query-blocks.xml: " #f                                                         \
                   " is not the length struct kvm_s390_vm_cpu_subfunc has");
#include "s390x_query.h"
#undef S390X_KVM_BLOCK

static bool fac(const uint64_t *list, size_t n, unsigned bit)
{
    return bit / 64 < n && (list[bit / 64] >> (63 - bit % 64)) & 1;
}

/* Whether the instruction of a query block is installed: the STFLE bit of the feature that
 * gates its query in the catalog (MSA for KM, MSA4 for KMCTR, ...). */
static bool installed(const struct s390x_catalog *cat, const uint64_t *list, size_t n,
                      const char *block)
{
    for (size_t i = 0; i < cat->n_feats; i++) {
        const struct s390x_feature *f = &cat->feats[i];

        if (f->source == SRC_SUBFUNC && !strcmp(f->subfunc, block) && f->gate >= 0)
            return cat->feats[f->gate].source == SRC_STFLE && fac(list, n, cat->feats[f->gate].bit);
    }
    return false;
}

/* Sets the "misc" bit the catalog gives a feature QEMU senses otherwise. */
static int set_misc(const struct s390x_catalog *cat, struct s390x_raw *raw, const char *name)
{
    int i = s390x_feature_index(cat, name);

    if (i < 0 || cat->feats[i].source != SRC_MISC)
        return cc_error(EINVAL, "the s390x feature table lacks the misc feature '%s'", name);
    return s390x_raw_set_bit(raw, "misc", cat->feats[i].bit);
}

/* The query blocks user space can read: CPACF (with MSA and its extensions), SORTL, DFLTCC.
 * PLO's test bits, PTFF and PCKMO are not asked here (privileged or not a query); their rows
 * stay absent and readers take them as the definition allows. */
static int query_blocks(const struct s390x_catalog *cat, const uint64_t *list, size_t n,
                        struct s390x_raw *raw)
{
    uint8_t b[32] __attribute__((aligned(8)));
    int r = 0;

#define S390X_USER_QUERY(kind, op, block, len)                                                     \
    _Static_assert((len) <= sizeof(b), "query-blocks.xml: " #block " is longer than the buffer");  \
    if (r == 0 && installed(cat, list, n, #block)) {                                               \
        memset(b, 0, sizeof(b));                                                                   \
        QUERY_##kind(op, b);                                                                       \
        r = s390x_raw_put(raw, "subfunc-" #block, b, len);                                         \
    }
    /* Opcodes and lengths: data/s390x/query-blocks.xml; which facility each needs: the catalog. */
#include "s390x_query.h"
#undef S390X_USER_QUERY
    return r;
}

/* Trailing zero doublewords say nothing; at least one is kept. */
static size_t trimmed(const uint8_t *data, size_t len)
{
    while (len > 8 && !memcmp(data + len - 8, "\0\0\0\0\0\0\0\0", 8))
        len -= 8;
    return len;
}

static int kvm_attr(int vm, unsigned group, unsigned attr, void *buf, bool *has)
{
    struct kvm_device_attr a = {.group = group, .attr = attr, .addr = (uint64_t)(uintptr_t)buf};

    *has = ioctl(vm, KVM_HAS_DEVICE_ATTR, &a) == 0;
    if (!*has || !buf)
        return 0;
    if (ioctl(vm, KVM_GET_DEVICE_ATTR, &a) < 0)
        return cc_error(errno, "/dev/kvm: KVM_GET_DEVICE_ATTR(%u, %u): %s", group, attr,
                        strerror(errno));
    return 0;
}

static int kvm_view(const struct s390x_catalog *cat, struct cc_doc *doc, const char *dev)
{
    static struct kvm_s390_vm_cpu_machine mach;
    static struct kvm_s390_vm_cpu_subfunc sub;
    struct kvm_s390_vm_cpu_feat feat;
    static const struct {
        const char *row;
        size_t off, len;
    } blocks[] = {
#define S390X_KVM_BLOCK(f, len) {"subfunc-" #f, offsetof(struct kvm_s390_vm_cpu_subfunc, f), len},
#include "s390x_query.h"
#undef S390X_KVM_BLOCK
    };
    _cleanup_close_ int kvm = -1, vm = -1;
    struct s390x_raw *raw = NULL;
    uint8_t ibc[4];
    bool has, has_sub;
    char type[8];
    int r = 0;

    if ((kvm = open(dev, O_RDWR | O_CLOEXEC)) < 0)
        return errno == ENOENT   ? cc_error(ENOENT, "%s: not present, KVM is not available", dev)
               : errno == EACCES ? cc_error(EACCES,
                                            "%s: permission denied (is this user in "
                                            "group kvm?)",
                                            dev)
                                 : cc_error(errno, "%s: cannot open: %s", dev, strerror(errno));
    if ((vm = ioctl(kvm, KVM_CREATE_VM, 0)) < 0)
        return cc_error(errno, "%s: KVM_CREATE_VM failed: %s", dev, strerror(errno));
    if ((r = kvm_attr(vm, KVM_S390_VM_CPU_MODEL, KVM_S390_VM_CPU_MACHINE, &mach, &has)) < 0)
        return r;
    if (!has)
        return cc_error(ENOTSUP, "%s: KVM has no CPU model support (KVM_S390_VM_CPU_MACHINE)", dev);
    memset(&feat, 0, sizeof(feat));
    if ((r = kvm_attr(vm, KVM_S390_VM_CPU_MODEL, KVM_S390_VM_CPU_MACHINE_FEAT, &feat, &has)) < 0 ||
        (r = kvm_attr(vm, KVM_S390_VM_CPU_MODEL, KVM_S390_VM_CPU_MACHINE_SUBFUNC, &sub, &has_sub)) <
            0)
        return r;
    if (!(raw = s390x_raw_new()))
        return cc_error(ENOMEM, "out of memory");
    /* s390x is big-endian: the structures' bytes are already in the architecture's bit order. */
    r = s390x_raw_put(raw, "cpuid", (const uint8_t *)&mach.cpuid, 8);
    memcpy(ibc, &mach.ibc, 4);
    if (r == 0 && mach.ibc)
        r = s390x_raw_put(raw, "ibc", ibc, 4);
    if (r == 0)
        r = s390x_raw_put(raw, "fac-mask", (const uint8_t *)mach.fac_mask,
                          trimmed((const uint8_t *)mach.fac_mask, sizeof(mach.fac_mask)));
    if (r == 0)
        r = s390x_raw_put(raw, "fac-list", (const uint8_t *)mach.fac_list,
                          trimmed((const uint8_t *)mach.fac_list, sizeof(mach.fac_list)));
    if (r == 0 && has)
        r = s390x_raw_put(raw, "sie-feat", (const uint8_t *)feat.feat,
                          trimmed((const uint8_t *)feat.feat, sizeof(feat.feat)));
    for (size_t i = 0; has_sub && r == 0 && i < sizeof(blocks) / sizeof(blocks[0]); i++)
        r = s390x_raw_put(raw, blocks[i].row, (const uint8_t *)&sub + blocks[i].off, blocks[i].len);
    /* What QEMU senses through other attributes and capabilities (its misc features): DAT
     * enhancement 2 always, CMM with CMMA, AP with APIE, diag318 with its capability. */
    if (r == 0)
        r = set_misc(cat, raw, "dateh2");
    if (r == 0 &&
        (kvm_attr(vm, KVM_S390_VM_MEM_CTRL, KVM_S390_VM_MEM_ENABLE_CMMA, NULL, &has), has))
        r = set_misc(cat, raw, "cmm");
    if (r == 0 &&
        (kvm_attr(vm, KVM_S390_VM_CRYPTO, KVM_S390_VM_CRYPTO_ENABLE_APIE, NULL, &has), has))
        r = set_misc(cat, raw, "ap");
    if (r == 0 && ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_S390_DIAG318) > 0)
        r = set_misc(cat, raw, "diag318");
    snprintf(type, sizeof(type), "0x%04x", (unsigned)((mach.cpuid >> 16) & 0xffff));
    if (r == 0 && !cc_kv_get(&doc->identity, "type"))
        r = cc_kv_set(&doc->identity, "type", type);
    return cc_doc_finish_view(doc, r, "kvm", KVM_SOURCE, raw, NULL, NULL);
}

static int cpu_view(const struct s390x_catalog *cat, struct cc_doc *doc)
{
    _cleanup_free_ char *cpuinfo = NULL, *sysinfo = NULL, *text = NULL;
    uint64_t list[STFLE_DWORDS];
    struct s390x_raw *raw = s390x_raw_new();
    struct cc_kvlist props = {0};
    size_t len, n;
    int r = raw ? 0 : cc_error(ENOMEM, "out of memory");

    if (r == 0)
        r = cc_read_file("/proc/cpuinfo", 1u << 20, &cpuinfo, &len);
    /* /proc/sysinfo is optional (some containers hide it). */
    if (r == 0 && cc_read_file("/proc/sysinfo", 1u << 20, &sysinfo, &len) < 0)
        cc_error_clear();
    if (r == 0 && asprintf(&text, "%s\n%s", cpuinfo, sysinfo ? sysinfo : "") < 0) {
        text = NULL;
        r = cc_error(ENOMEM, "out of memory");
    }
    /* Without an s390x /proc (user-mode emulation, a container hiding it) STFLE still
     * answers; the machine type stays unknown and the file says so. */
    if (r == 0 && s390x_parse_proc(text, "/proc/cpuinfo", doc, raw, &props) < 0) {
        r = cc_kv_setf(&props, "proc", "unusable: %s", cc_error_message());
        cc_error_clear();
        for (size_t i = 0; i < raw->n; i++)
            free(raw->rows[i].data);
        raw->n = 0;
        cc_kv_free(&doc->identity);
    }
    /* The instruction itself is the authority; /proc repeats what the kernel saw at boot. */
    n = stfle(list);
    if (r == 0)
        r = s390x_raw_put(raw, "stfle", (const uint8_t *)list,
                          trimmed((const uint8_t *)list, n * 8));
    if (r == 0)
        r = query_blocks(cat, list, n, raw);
    return cc_doc_finish_view(doc, r, "cpu", "STFLE instruction; /proc/cpuinfo, /proc/sysinfo", raw,
                              &props, NULL);
}

int s390x_probe(struct cc_ctx *ctx, const struct cc_probe_opts *opts, struct cc_doc *doc)
{
    const struct s390x_catalog *cat;
    int r = s390x_catalog_get(ctx, &cat);

    if (r == 0)
        r = cc_doc_stamp_origin(doc, "probe");
    if (r == 0)
        r = cpu_view(cat, doc);
    if (r == 0 && !opts->skip_kvm)
        r = cc_probe_kvm_outcome(opts, kvm_view(cat, doc, "/dev/kvm"));
    return r;
}
#endif
