/* The s390x KVM probe against a mocked /dev/kvm (open and ioctl wrapped at link time), built for
 * s390x and run under qemu-s390x-static by tests/rigs/test-s390x-probe-mock.sh: KVM cannot start
 * under emulation, so this is where the CPU model attribute path runs. The mocked machine is a
 * z14.2 as QEMU defines it; the host model the probe's file gives must be that model. TAP. */
#include "../../arch/s390x/s390x.h"
#include "../../core/error.h"
#include "../../core/qemu.h"
#include "mock_kvm.h"

#include <errno.h>
#include <linux/kvm.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int __real_ioctl(int fd, unsigned long req, ...);

#define VM_FD 9002

static struct {
    bool no_cpu_model;   /* a kernel without KVM_S390_VM_CPU_MODEL */
    int subfunc_errno;   /* KVM_GET_DEVICE_ATTR of the query blocks fails */
    struct kvm_s390_vm_cpu_machine mach;
    struct kvm_s390_vm_cpu_feat feat;
    struct kvm_s390_vm_cpu_subfunc sub;
} mock;

static void set_bit(void *p, unsigned bit)
{
    ((uint8_t *)p)[bit / 8] |= 0x80 >> (bit % 8);
}

/* The machine of a model: what KVM would report on a host that is exactly it. */
static void machine_of(const struct s390x_catalog *cat, const struct s390x_model *m)
{
    static const struct {
        const char *name;
        size_t off;
    } blocks[] = {
#define B(f) {#f, offsetof(struct kvm_s390_vm_cpu_subfunc, f)}
        B(plo), B(ptff), B(kmac), B(kmc),  B(km),  B(kimd), B(klmd),  B(pckmo),  B(kmctr),
        B(kmf), B(kmo),  B(pcc),  B(ppno), B(kma), B(kdsa), B(sortl), B(dfltcc),
#undef B
    };

    memset(&mock.mach, 0, sizeof(mock.mach));
    memset(&mock.feat, 0, sizeof(mock.feat));
    memset(&mock.sub, 0, sizeof(mock.sub));
    mock.mach.cpuid = (uint64_t)m->def->type << 16;
    mock.mach.ibc = m->def->ibc << 16 | m->def->ibc;
    for (size_t i = 0; i < cat->n_feats; i++) {
        const struct s390x_feature *f = &cat->feats[i];

        if (!s390x_has(&m->feats, (int)i))
            continue;
        if (f->source == SRC_STFLE) {
            set_bit(mock.mach.fac_mask, f->bit);
            set_bit(mock.mach.fac_list, f->bit);
        } else if (f->source == SRC_SIE) {
            set_bit(mock.feat.feat, f->bit);
        } else if (f->source == SRC_SUBFUNC) {
            for (size_t b = 0; b < sizeof(blocks) / sizeof(blocks[0]); b++)
                if (strcmp(blocks[b].name, f->subfunc) == 0)
                    set_bit((uint8_t *)&mock.sub + blocks[b].off, f->bit);
        }
    }
}

int __wrap_ioctl(int fd, unsigned long req, ...)
{
    struct kvm_device_attr *a;
    va_list ap;
    void *arg;

    va_start(ap, req);
    arg = va_arg(ap, void *);
    va_end(ap);
    if (fd != KVM_FD && fd != VM_FD)
        return __real_ioctl(fd, req, arg);
    a = arg;
    switch (req) {
    case KVM_CREATE_VM:
        return VM_FD;
    case KVM_CHECK_EXTENSION:
        return 0;
    case KVM_HAS_DEVICE_ATTR:
        if (a->group == KVM_S390_VM_CPU_MODEL && !mock.no_cpu_model)
            return 0;
        if (a->group == KVM_S390_VM_MEM_CTRL && a->attr == KVM_S390_VM_MEM_ENABLE_CMMA)
            return 0;
        errno = ENXIO;
        return -1;
    case KVM_GET_DEVICE_ATTR:
        if (a->group != KVM_S390_VM_CPU_MODEL)
            break;
        if (a->attr == KVM_S390_VM_CPU_MACHINE)
            memcpy((void *)(uintptr_t)a->addr, &mock.mach, sizeof(mock.mach));
        else if (a->attr == KVM_S390_VM_CPU_MACHINE_FEAT)
            memcpy((void *)(uintptr_t)a->addr, &mock.feat, sizeof(mock.feat));
        else if (a->attr == KVM_S390_VM_CPU_MACHINE_SUBFUNC && mock.subfunc_errno) {
            errno = mock.subfunc_errno;
            return -1;
        } else if (a->attr == KVM_S390_VM_CPU_MACHINE_SUBFUNC)
            memcpy((void *)(uintptr_t)a->addr, &mock.sub, sizeof(mock.sub));
        else
            break;
        return 0;
    }
    errno = ENOTTY;
    return -1;
}

static struct cc_doc *probe(struct cc_ctx *ctx, bool require, int *rc)
{
    struct cc_probe_opts opts = {.require_kvm = require, .note = note};
    struct cc_doc *doc = cc_doc_new(&s390x_arch_ops);

    mock_notes[0] = '\0';
    cc_error_clear();
    *rc = s390x_probe(ctx, &opts, doc);
    return doc;
}

int main(int argc, char **argv)
{
    const struct s390x_catalog *cat;
    struct s390x_model want, got;
    struct cc_ctx ctx;
    struct cc_doc *doc;
    int rc;

    if (argc < 2 || cc_ctx_init(&ctx, argv[1]) < 0 || s390x_catalog_get(&ctx, &cat) < 0 ||
        s390x_model_parse(&ctx, &s390x_arch_ops, cat, "z14.2", &want) < 0) {
        printf("not ok 1 - setup: %s\n1..1\n", cc_error_message());
        return 1;
    }
    machine_of(cat, &want);

    doc = probe(&ctx, false, &rc);
    ok(rc == 0 && cc_doc_view(doc, "kvm") && cc_doc_view(doc, "cpu"),
       "a mocked KVM on a z14.2: a kvm view beside the cpu view");
    ok(rc == 0 && !strcmp(cc_kv_get(&doc->identity, "type"), "0x3906"),
       "... the machine type from KVM's cpuid (no s390x /proc under user mode)");
    rc = s390x_host_model(cat, doc, "mock", CC_QEMU_DEFAULT, &got);
    ok(rc == 0 && got.def == want.def, "... the IBC (0x042) makes the host model z14.2");
    ok(rc == 0 && s390x_equal(&got.feats, &want.feats),
       "... and its features are z14.2's default set (facilities, SIE features, query blocks, CMM)");
    cc_doc_free(doc);

    mock.subfunc_errno = EFAULT;
    doc = probe(&ctx, true, &rc);
    ok(rc == -EFAULT && strstr(cc_error_message(), "KVM_GET_DEVICE_ATTR(3, 5)") &&
           !cc_doc_view(doc, "kvm"),
       "the query blocks cannot be read: an error, and no half-made kvm view");
    cc_doc_free(doc);
    mock.subfunc_errno = 0;

    mock.no_cpu_model = true;
    doc = probe(&ctx, true, &rc);
    ok(rc == -ENOTSUP && strstr(cc_error_message(), "no CPU model support"),
       "a KVM without CPU model support, with --require-kvm: an error");
    cc_doc_free(doc);
    mock.no_cpu_model = false;

    mock_open_errno = ENOENT;
    doc = probe(&ctx, false, &rc);
    ok(rc == 0 && !cc_doc_view(doc, "kvm") && cc_doc_view(doc, "cpu") &&
           strstr(mock_notes, "no kvm view: /dev/kvm: not present"),
       "no /dev/kvm: the cpu view only, and a note saying why");
    cc_doc_free(doc);

    mock_open_errno = EACCES;
    doc = probe(&ctx, true, &rc);
    ok(rc == -EACCES && strstr(cc_error_message(), "permission denied"),
       "no permission on /dev/kvm with --require-kvm: an error");
    cc_doc_free(doc);
    mock_open_errno = 0;

    cc_ctx_fini(&ctx);
    printf("1..%d\n", n);
    return failed != 0;
}
