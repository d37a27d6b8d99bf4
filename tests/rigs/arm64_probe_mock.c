/* The arm64 KVM probe against a mocked /dev/kvm (open and ioctl wrapped at link time), built
 * for aarch64 and run under qemu-aarch64-static by tests/rigs/test-arm64-probe-mock.sh. Covers
 * what the real kernels on the rig do not: no /dev/kvm, no permission, an ioctl a kernel lacks,
 * a register KVM does not list. Prints TAP. */
#include "../../arch/arm64/arm64.h"
#include "../../core/error.h"
#include "mock_kvm.h"

#include <errno.h>
#include <linux/kvm.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int __real_ioctl(int fd, unsigned long req, ...);

#define VM_FD 9002
#define VCPU_FD 9003

static struct {
    int vcpu_init_errno;
    uint64_t missing_id; /* KVM_GET_ONE_REG says ENOENT for it */
    int get_calls;
} mock;

int __wrap_ioctl(int fd, unsigned long req, ...)
{
    va_list ap;
    void *arg;

    va_start(ap, req);
    arg = va_arg(ap, void *);
    va_end(ap);
    if (fd != KVM_FD && fd != VM_FD && fd != VCPU_FD)
        return __real_ioctl(fd, req, arg);
    switch (req) {
    case KVM_CHECK_EXTENSION:
        return (long)arg == KVM_CAP_ARM_VM_IPA_SIZE ? 44 : (long)arg == KVM_CAP_ARM_PMU_V3;
    case KVM_CREATE_VM:
        return VM_FD;
    case KVM_CREATE_VCPU:
        return VCPU_FD;
    case KVM_ARM_PREFERRED_TARGET:
        memset(arg, 0, sizeof(struct kvm_vcpu_init));
        ((struct kvm_vcpu_init *)arg)->target = KVM_ARM_TARGET_GENERIC_V8;
        return 0;
    case KVM_ARM_VCPU_INIT:
        if (mock.vcpu_init_errno) {
            errno = mock.vcpu_init_errno;
            return -1;
        }
        return 0;
    case KVM_GET_ONE_REG: {
        struct kvm_one_reg *r = arg;

        mock.get_calls++;
        if (r->id == mock.missing_id) {
            errno = ENOENT;
            return -1;
        }
        /* A recognisable value per register: its own id. */
        *(uint64_t *)(uintptr_t)r->addr = r->id & 0xffff;
        return 0;
    }
    }
    errno = ENOTTY; /* e.g. KVM_ARM_GET_REG_WRITABLE_MASKS on a kernel before 6.7 */
    return -1;
}

static const char *features;

static struct cc_doc *probe(struct cc_ctx *ctx, bool require, int *rc)
{
    struct cc_options given = {0};
    struct cc_probe_opts opts = {.require_kvm = require, .note = note, .options = &given};
    struct cc_doc *doc = cc_doc_new(&arm64_arch_ops);

    mock_notes[0] = '\0';
    cc_error_clear();
    if (features)
        cc_kv_set(&given.given, "vcpu-features", features);
    *rc = arm64_probe(ctx, &opts, doc);
    cc_kv_free(&given.given);
    return doc;
}

int main(int argc, char **argv)
{
    struct cc_ctx ctx;
    struct cc_doc *doc;
    const struct cc_view *v;
    const struct arm64_catalog *cat;
    int rc;

    if (argc < 2 || cc_ctx_init(&ctx, argv[1]) < 0 || arm64_catalog_get(&ctx, &cat) < 0) {
        printf("not ok 1 - setup: %s\n1..1\n", cc_error_message());
        return 1;
    }

    doc = probe(&ctx, false, &rc);
    v = cc_doc_view(doc, "kvm");
    ok(rc == 0 && v && ((struct arm64_raw *)v->raw)->n >= cat->n_regs,
       "a mocked KVM: the kvm view has every catalog register");
    ok(v && !strcmp(cc_kv_get(&v->props, "ipa-limit"), "44"), "... the IPA limit KVM reports");
    ok(v && !cc_kv_get(&v->props, "writable-mask-ID_AA64ISAR0_EL1"),
       "... no writable masks from a kernel without KVM_ARM_GET_REG_WRITABLE_MASKS");
    ok(cc_doc_view(doc, "cpu") != NULL, "... and the EL0 view beside it");
    cc_doc_free(doc);

    mock.missing_id = arm64_regdef(cat, "ID_AA64ZFR0_EL1")->id;
    doc = probe(&ctx, false, &rc);
    v = cc_doc_view(doc, "kvm");
    ok(rc == 0 && v && !arm64_raw_get(v->raw, "ID_AA64ZFR0_EL1") &&
           arm64_raw_get(v->raw, "ID_AA64PFR0_EL1"),
       "a register KVM does not list (ENOENT) is left out, the others kept");
    cc_doc_free(doc);
    mock.missing_id = 0;

    mock_open_errno = ENOENT;
    doc = probe(&ctx, false, &rc);
    ok(rc == 0 && !cc_doc_view(doc, "kvm") && cc_doc_view(doc, "cpu") &&
           strstr(mock_notes, "no kvm view: /dev/kvm: not present"),
       "no /dev/kvm: the EL0 view only, and a note saying why");
    ok(doc->identity.n && !strcmp(doc->identity.items[0].key, "midr"),
       "... identity from the EL0 view");
    cc_doc_free(doc);

    mock_open_errno = EACCES;
    doc = probe(&ctx, true, &rc);
    ok(rc == -EACCES && strstr(cc_error_message(), "permission denied"),
       "no permission on /dev/kvm with --require-kvm: an error");
    cc_doc_free(doc);
    mock_open_errno = 0;

    mock.vcpu_init_errno = EINVAL;
    doc = probe(&ctx, true, &rc);
    ok(rc == -EINVAL && strstr(cc_error_message(), "KVM_ARM_VCPU_INIT failed") &&
           !cc_doc_view(doc, "kvm"),
       "KVM_ARM_VCPU_INIT refused: an error, and no half-made kvm view");
    cc_doc_free(doc);
    mock.vcpu_init_errno = 0;

    features = "sve";
    doc = probe(&ctx, true, &rc);
    ok(rc == -ENOTSUP && strstr(cc_error_message(), "does not offer the vCPU feature asked for (sve"),
       "--vcpu-features sve on a host without SVE: an error");
    cc_doc_free(doc);
    features = "none";
    doc = probe(&ctx, true, &rc);
    v = cc_doc_view(doc, "kvm");
    ok(rc == 0 && v && !strcmp(cc_kv_get(&v->props, "vcpu-features"), "0x4"),
       "--vcpu-features none: PSCI 0.2 only");
    cc_doc_free(doc);
    features = "pmu,tpu";
    doc = probe(&ctx, true, &rc);
    ok(rc == -EINVAL && strstr(cc_error_message(), "'tpu' is not one of"),
       "--vcpu-features with an unknown name: an error");
    cc_doc_free(doc);
    features = NULL;

    cc_ctx_fini(&ctx);
    printf("1..%d\n", n);
    return failed != 0;
}
