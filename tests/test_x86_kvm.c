/* The KVM half of the x86 probe against a mocked /dev/kvm: open() and ioctl() are wrapped at
 * link time (-Wl,--wrap=open,--wrap=ioctl), and the mock answers with a real host's recorded
 * KVM data (tests/data/x86/hosts/epyc-milan-nested-kvm.xml), or fails the way old or locked-down
 * kernels do. */
#include "testlib.h"
#include "../arch/x86/x86.h"
#include "../core/capdoc_io.h"
#include "../core/error.h"

#if defined(__x86_64__)
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MOCK_DEV "/mock/dev/kvm"
#define KVM_FD   9001
#define VM_FD    9002
#define VCPU_FD  9003

int __real_open(const char *path, int flags, ...);
int __real_ioctl(int fd, unsigned long req, ...);

static struct mock {
    int open_errno;
    int api_version;
    unsigned min_nent;         /* KVM_GET_SUPPORTED_CPUID says E2BIG below this */
    int supported_cpuid_errno; /* e.g. ENOTTY: a kernel without the ioctl */
    bool cap_msr_features, cap_sys_attributes, cap_tsc_khz, cap_tsc_control;
    int msr_list_errno; /* KVM_GET_MSR_FEATURE_INDEX_LIST fails */
    int get_msrs_limit; /* KVM_GET_MSRS reads at most this many (-1: all) */
    int device_attr_errno;
    bool lists_arch_capabilities;
    unsigned cpuid_calls;
    const struct x86_raw *raw; /* what this "host" offers */
} mock;

static struct cc_ctx ctx;
static struct cc_doc *recorded;

int __wrap_open(const char *path, int flags, ...)
{
    va_list ap;
    mode_t mode;

    if (strcmp(path, MOCK_DEV) == 0) {
        if (mock.open_errno) {
            errno = mock.open_errno;
            return -1;
        }
        return KVM_FD;
    }
    va_start(ap, flags);
    mode = va_arg(ap, mode_t);
    va_end(ap);
    return __real_open(path, flags, mode);
}

static int fail_with(int e)
{
    errno = e;
    return -1;
}

static int check_extension(long cap)
{
    switch (cap) {
    case KVM_CAP_GET_MSR_FEATURES:
        return mock.cap_msr_features;
    case KVM_CAP_SYS_ATTRIBUTES:
        return mock.cap_sys_attributes;
    case KVM_CAP_GET_TSC_KHZ:
        return mock.cap_tsc_khz;
    case KVM_CAP_TSC_CONTROL:
        return mock.cap_tsc_control;
    case KVM_CAP_TSC_DEADLINE_TIMER:
        return 1;
    }
    return 0;
}

static int supported_cpuid(struct kvm_cpuid2 *c)
{
    const struct x86_raw *raw = mock.raw;

    mock.cpuid_calls++;
    if (mock.supported_cpuid_errno)
        return fail_with(mock.supported_cpuid_errno);
    if (c->nent < mock.min_nent || c->nent < raw->n_cpuid)
        return fail_with(E2BIG);
    for (size_t i = 0; i < raw->n_cpuid; i++) {
        const struct x86_cpuid *e = &raw->cpuid[i];

        c->entries[i] = (struct kvm_cpuid_entry2){
            .function = e->leaf,
            .index = e->subleaf,
            /* KVM flags the leaves whose ECX input matters; a sub-leaf > 0 implies it. */
            .flags = (e->leaf == 7 || e->leaf == 0xd || e->leaf == 0x8000001d || e->subleaf)
                         ? KVM_CPUID_FLAG_SIGNIFCANT_INDEX
                         : 0,
            .eax = e->r[0],
            .ebx = e->r[1],
            .ecx = e->r[2],
            .edx = e->r[3]};
    }
    c->nent = (unsigned)raw->n_cpuid;
    return 0;
}

static int msr_index_list(struct kvm_msr_list *l)
{
    const struct x86_raw *raw = mock.raw;

    if (mock.msr_list_errno)
        return fail_with(mock.msr_list_errno);
    if (l->nmsrs < raw->n_msr) {
        l->nmsrs = (unsigned)raw->n_msr;
        return fail_with(E2BIG);
    }
    l->nmsrs = (unsigned)raw->n_msr;
    for (size_t i = 0; i < raw->n_msr; i++)
        l->indices[i] = raw->msr[i].index;
    return 0;
}

static int get_msrs(struct kvm_msrs *m)
{
    unsigned n = 0;

    for (; n < m->nmsrs; n++) {
        const struct x86_msr *v = x86_raw_msr(mock.raw, m->entries[n].index);

        if (!v || (mock.get_msrs_limit >= 0 && (int)n >= mock.get_msrs_limit))
            break;
        m->entries[n].data = v->value;
    }
    return (int)n;
}

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
    case KVM_GET_API_VERSION:
        return mock.api_version;
    case KVM_CHECK_EXTENSION:
        return check_extension((long)arg);
    case KVM_GET_SUPPORTED_CPUID:
        return supported_cpuid(arg);
    case KVM_GET_MSR_FEATURE_INDEX_LIST:
        return msr_index_list(arg);
    case KVM_GET_MSRS:
        return get_msrs(arg);
    case KVM_GET_MSR_INDEX_LIST: {
        /* The MSRs KVM saves and restores; only whether 0x10a is among them matters here. */
        struct kvm_msr_list *l = arg;
        static const uint32_t saved[] = {0x10, 0x1b, 0x10a, 0xc0000080};
        unsigned n = sizeof(saved) / sizeof(saved[0]) - !mock.lists_arch_capabilities;

        if (l->nmsrs < n) {
            l->nmsrs = n;
            return fail_with(E2BIG);
        }
        l->nmsrs = n;
        for (unsigned i = 0, j = 0; i < 4; i++)
            if (saved[i] != 0x10a || mock.lists_arch_capabilities)
                l->indices[j++] = saved[i];
        return 0;
    }
    case KVM_GET_DEVICE_ATTR:
        if (mock.device_attr_errno)
            return fail_with(mock.device_attr_errno);
        *(uint64_t *)(uintptr_t)((struct kvm_device_attr *)arg)->addr = 0x2e7;
        return 0;
    case KVM_CREATE_VM:
        return VM_FD;
    case KVM_CREATE_VCPU:
        return VCPU_FD;
    case KVM_GET_TSC_KHZ:
        return 2445412;
    }
    return fail_with(ENOTTY);
}

static int setup(void **state)
{
    (void)state;
    mock = (struct mock){.api_version = KVM_API_VERSION,
                         .cap_msr_features = true,
                         .cap_sys_attributes = true,
                         .cap_tsc_khz = true,
                         .cap_tsc_control = true,
                         .get_msrs_limit = -1,
                         .lists_arch_capabilities = true,
                         .raw = cc_doc_view(recorded, "kvm")->raw};
    cc_error_clear();
    return 0;
}

static struct cc_doc *probe_kvm(int *rc)
{
    struct cc_doc *doc = cc_doc_new(&x86_arch_ops);

    *rc = x86_kvm_probe(&ctx, MOCK_DEV, doc);
    return doc;
}

static void assert_same_raw(const struct x86_raw *a, const struct x86_raw *b)
{
    assert_int_equal(a->n_cpuid, b->n_cpuid);
    assert_memory_equal(a->cpuid, b->cpuid, a->n_cpuid * sizeof(*a->cpuid));
    assert_int_equal(a->n_msr, b->n_msr);
    for (size_t i = 0; i < a->n_msr; i++) { /* field by field: the struct has padding */
        assert_int_equal(a->msr[i].index, b->msr[i].index);
        assert_int_equal(a->msr[i].value, b->msr[i].value);
    }
}

static void test_full_answer(void **state)
{
    int rc;
    struct cc_doc *doc = probe_kvm(&rc);
    const struct cc_view *v;

    (void)state;
    assert_int_equal(rc, 0);
    v = cc_doc_view(doc, "kvm");
    assert_non_null(v);
    assert_same_raw(v->raw, mock.raw);
    assert_string_equal(cc_kv_get(&v->props, "kvm-api-version"), "12");
    assert_string_equal(cc_kv_get(&v->props, "tsc-control"), "yes");
    assert_string_equal(cc_kv_get(&v->props, "tsc-khz"), "2445412");
    assert_string_equal(cc_kv_get(&v->props, "xcomp-guest-supp"), "0x2e7");
    assert_string_equal(cc_kv_get(&v->props, "phys-bits"), "48");
    assert_string_equal(cc_kv_get(&v->props, "tsc-deadline-timer"), "yes");
    assert_string_equal(cc_kv_get(&v->props, "msr-arch-capabilities"), "yes");
    assert_int_equal(mock.cpuid_calls, 1);
    cc_doc_free(doc);
}

static void test_e2big_retry(void **state)
{
    int rc;
    struct cc_doc *doc;

    (void)state;
    mock.min_nent = 300; /* more than the first try of 256 */
    doc = probe_kvm(&rc);
    assert_int_equal(rc, 0);
    assert_int_equal(mock.cpuid_calls, 2);
    assert_same_raw(cc_doc_view(doc, "kvm")->raw, mock.raw);
    cc_doc_free(doc);
}

static void test_absent(void **state)
{
    int rc;
    struct cc_doc *doc;

    (void)state;
    mock.open_errno = ENOENT;
    doc = probe_kvm(&rc);
    assert_int_equal(rc, -ENOENT);
    assert_null(cc_doc_view(doc, "kvm"));
    assert_non_null(strstr(cc_error_message(), MOCK_DEV ": not present"));
    cc_doc_free(doc);
}

static void test_permission_denied(void **state)
{
    int rc;
    struct cc_doc *doc;

    (void)state;
    mock.open_errno = EACCES;
    doc = probe_kvm(&rc);
    assert_int_equal(rc, -EACCES);
    assert_non_null(strstr(cc_error_message(), "permission denied"));
    assert_null(cc_doc_view(doc, "kvm"));
    cc_doc_free(doc);
}

static void test_wrong_api_version(void **state)
{
    int rc;
    struct cc_doc *doc;

    (void)state;
    mock.api_version = 11;
    doc = probe_kvm(&rc);
    assert_int_equal(rc, -EPROTO);
    assert_non_null(strstr(cc_error_message(), "API version 11"));
    cc_doc_free(doc);
}

/* A kernel without KVM_GET_SUPPORTED_CPUID: an error, and no half-made view. */
static void test_no_supported_cpuid_ioctl(void **state)
{
    int rc;
    struct cc_doc *doc;

    (void)state;
    mock.supported_cpuid_errno = ENOTTY;
    doc = probe_kvm(&rc);
    assert_int_equal(rc, -ENOTTY);
    assert_non_null(strstr(cc_error_message(), "KVM_GET_SUPPORTED_CPUID failed"));
    assert_int_equal(doc->n_views, 0);
    cc_doc_free(doc);
}

/* Before Linux 4.17 there are no feature MSRs; that is a smaller offer, not an error. */
static void test_no_msr_features(void **state)
{
    int rc;
    struct cc_doc *doc;
    const struct x86_raw *raw;

    (void)state;
    mock.cap_msr_features = false;
    doc = probe_kvm(&rc);
    assert_int_equal(rc, 0);
    raw = cc_doc_view(doc, "kvm")->raw;
    assert_int_equal(raw->n_msr, 0);
    assert_int_equal(raw->n_cpuid, mock.raw->n_cpuid);
    cc_doc_free(doc);
}

static void test_msr_list_fails(void **state)
{
    int rc;
    struct cc_doc *doc;

    (void)state;
    mock.msr_list_errno = EFAULT;
    doc = probe_kvm(&rc);
    assert_int_equal(rc, -EFAULT);
    assert_non_null(strstr(cc_error_message(), "KVM_GET_MSR_FEATURE_INDEX_LIST"));
    assert_int_equal(doc->n_views, 0);
    cc_doc_free(doc);
}

/* KVM_GET_MSRS stops at the first MSR it cannot read; only those read are recorded. */
static void test_partial_msrs(void **state)
{
    int rc;
    struct cc_doc *doc;

    (void)state;
    mock.get_msrs_limit = 2;
    doc = probe_kvm(&rc);
    assert_int_equal(rc, 0);
    assert_int_equal(((const struct x86_raw *)cc_doc_view(doc, "kvm")->raw)->n_msr, 2);
    cc_doc_free(doc);
}

/* Kernels before 5.17 lack KVM_X86_XCOMP_GUEST_SUPP, before 4.x the TSC capabilities. */
static void test_old_kernel_properties(void **state)
{
    int rc;
    struct cc_doc *doc;
    const struct cc_view *v;

    (void)state;
    mock.cap_sys_attributes = false;
    mock.cap_tsc_khz = false;
    mock.cap_tsc_control = false;
    doc = probe_kvm(&rc);
    assert_int_equal(rc, 0);
    v = cc_doc_view(doc, "kvm");
    assert_null(cc_kv_get(&v->props, "xcomp-guest-supp"));
    assert_null(cc_kv_get(&v->props, "tsc-khz"));
    assert_string_equal(cc_kv_get(&v->props, "tsc-control"), "no");
    cc_doc_free(doc);

    mock.cap_sys_attributes = true;
    mock.device_attr_errno = ENXIO;
    doc = probe_kvm(&rc);
    assert_int_equal(rc, 0);
    assert_null(cc_kv_get(&cc_doc_view(doc, "kvm")->props, "xcomp-guest-supp"));
    cc_doc_free(doc);

    /* Linux 4.17-4.20 on AMD: the MSR is not among those KVM saves. */
    mock.lists_arch_capabilities = false;
    doc = probe_kvm(&rc);
    assert_int_equal(rc, 0);
    assert_string_equal(cc_kv_get(&cc_doc_view(doc, "kvm")->props, "msr-arch-capabilities"), "no");
    cc_doc_free(doc);
}

/* The whole probe: CPUID replayed from the recording, KVM mocked. */
static void replay(void *data, uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
    const struct x86_cpuid *e = x86_raw_cpuid(data, leaf, subleaf);

    if (e)
        memcpy(out, e->r, 16);
    else
        memset(out, 0, 16);
}

static char notes[1024];

static void note(const char *msg)
{
    snprintf(notes, sizeof(notes), "%s", msg);
}

static void test_probe_without_kvm(void **state)
{
    struct x86_cpuid_source src = {replay, cc_doc_view(recorded, "cpu")->raw};
    struct cc_probe_opts opts = {.note = note};
    struct cc_doc *doc = cc_doc_new(&x86_arch_ops);

    (void)state;
    notes[0] = '\0';
    mock.open_errno = EACCES;
    assert_int_equal(x86_probe_with(&ctx, &opts, &src, MOCK_DEV, doc), 0);
    assert_non_null(cc_doc_view(doc, "cpu"));
    assert_null(cc_doc_view(doc, "kvm"));
    assert_non_null(strstr(notes, "no kvm view: " MOCK_DEV ": permission denied"));
    assert_same_raw(cc_doc_view(doc, "cpu")->raw, src.data);
    cc_doc_free(doc);

    /* --require-kvm turns the same condition into an error. */
    opts.require_kvm = true;
    doc = cc_doc_new(&x86_arch_ops);
    assert_int_equal(x86_probe_with(&ctx, &opts, &src, MOCK_DEV, doc), -EACCES);
    cc_doc_free(doc);
}

static void test_probe_reproduces_recording(void **state)
{
    struct x86_cpuid_source src = {replay, cc_doc_view(recorded, "cpu")->raw};
    struct cc_probe_opts opts = {.note = note};
    struct cc_doc *doc = cc_doc_new(&x86_arch_ops);

    (void)state;
    assert_int_equal(x86_probe_with(&ctx, &opts, &src, MOCK_DEV, doc), 0);
    assert_int_equal(doc->n_views, 2);
    assert_same_raw(cc_doc_view(doc, "cpu")->raw, cc_doc_view(recorded, "cpu")->raw);
    assert_same_raw(cc_doc_view(doc, "kvm")->raw, cc_doc_view(recorded, "kvm")->raw);
    assert_string_equal(cc_kv_get(&doc->identity, "vendor"), "AuthenticAMD");
    cc_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_full_answer, setup),
        cmocka_unit_test_setup(test_e2big_retry, setup),
        cmocka_unit_test_setup(test_absent, setup),
        cmocka_unit_test_setup(test_permission_denied, setup),
        cmocka_unit_test_setup(test_wrong_api_version, setup),
        cmocka_unit_test_setup(test_no_supported_cpuid_ioctl, setup),
        cmocka_unit_test_setup(test_no_msr_features, setup),
        cmocka_unit_test_setup(test_msr_list_fails, setup),
        cmocka_unit_test_setup(test_partial_msrs, setup),
        cmocka_unit_test_setup(test_old_kernel_properties, setup),
        cmocka_unit_test_setup(test_probe_without_kvm, setup),
        cmocka_unit_test_setup(test_probe_reproduces_recording, setup),
    };
    int failed;

    test_ctx(&ctx);
    if (cc_doc_read(&ctx, test_path("tests/data/x86/hosts/epyc-milan-nested-kvm.xml"), &recorded) <
        0) {
        fprintf(stderr, "%s\n", cc_error_message());
        return 1;
    }
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    cc_doc_free(recorded);
    cc_ctx_fini(&ctx);
    return failed;
}
#else
/* Another architecture's build (make check-foreign): its kernel headers have no x86 KVM API, and
 * its x86 probe has no KVM half to test. */
#include <stdio.h>

int main(void)
{
    printf("1..1\nok 1 - the x86 KVM probe # SKIP this build is not for x86-64\n");
    return 0;
}
#endif
