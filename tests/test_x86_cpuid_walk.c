/* The CPUID walk: ranges, sub-leaf rules and per-CPU masking, driven by recorded CPUs. */
#include "testlib.h"
#include "../arch/x86/x86.h"
#include "../core/capdoc_io.h"
#include "../core/error.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct cc_ctx ctx;
static const struct x86_catalog *cat;

/* Answers like a real CPU from recorded leaves: a leaf above its range's maximum repeats the
 * highest basic leaf (Intel's behaviour), anything else unrecorded reads as zero. */
struct replay {
    const struct x86_raw *raw;
    uint32_t apic_id; /* injected into the per-CPU fields */
    unsigned calls;
};

static void replay(void *data, uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
    struct replay *rp = data;
    const struct x86_cpuid *top = x86_raw_cpuid(rp->raw, leaf & 0xffff0000u, 0);
    const struct x86_cpuid *e;

    rp->calls++;
    if (!top || top->r[X86_EAX] < leaf) {
        const struct x86_cpuid *l0 = x86_raw_cpuid(rp->raw, 0, 0);
        e = l0 ? x86_raw_cpuid(rp->raw, l0->r[X86_EAX], 0) : NULL;
    } else {
        e = x86_raw_cpuid(rp->raw, leaf, subleaf);
    }
    if (e)
        memcpy(out, e->r, 16);
    else
        memset(out, 0, 16);
    if (leaf == 1)
        out[X86_EBX] = (out[X86_EBX] & 0x00ffffff) | rp->apic_id << 24;
    if (leaf == 0xb || leaf == 0x1f)
        out[X86_EDX] = rp->apic_id;
}

static struct x86_raw *walk(struct replay *rp)
{
    struct x86_cpuid_source src = {replay, rp};
    struct x86_raw *raw = x86_raw_new();

    if (x86_cpuid_walk(cat, &src, raw) < 0)
        fail_msg("%s", cc_error_message());
    return raw;
}

static void features(const struct x86_raw *raw, struct cc_strlist *out)
{
    struct cc_view v = {.raw = (void *)raw};

    assert_int_equal(x86_view_features(&ctx, &v, out), 0);
}

/* Two logical CPUs of one host differ only in APIC IDs; their walks must be identical. */
static void test_per_cpu_fields_masked(void **state)
{
    struct cc_doc *host = NULL;
    struct replay a = {0}, b = {0};
    struct x86_raw *ra, *rb;

    (void)state;
    assert_int_equal(
        cc_doc_read(&ctx, test_path("tests/data/x86/hosts/epyc-milan-nested-kvm.xml"), &host), 0);
    a.raw = b.raw = cc_doc_view(host, "cpu")->raw;
    a.apic_id = 0;
    b.apic_id = 37;
    ra = walk(&a);
    rb = walk(&b);
    assert_int_equal(ra->n_cpuid, rb->n_cpuid);
    assert_memory_equal(ra->cpuid, rb->cpuid, ra->n_cpuid * sizeof(*ra->cpuid));
    assert_int_equal(x86_raw_cpuid(ra, 1, 0)->r[X86_EBX] >> 24, 0);
    /* ... and the walk of the recording reproduces the recording. */
    assert_int_equal(ra->n_cpuid, a.raw->n_cpuid);
    assert_memory_equal(ra->cpuid, a.raw->cpuid, ra->n_cpuid * sizeof(*ra->cpuid));
    x86_raw_free(ra);
    x86_raw_free(rb);
    cc_doc_free(host);
}

static void set(struct x86_raw *raw, uint32_t leaf, uint32_t sub, uint32_t a, uint32_t b,
                uint32_t c, uint32_t d)
{
    uint32_t r[4] = {a, b, c, d};

    assert_int_equal(x86_raw_set_cpuid(raw, leaf, sub, r), 0);
}

static bool has(const struct x86_raw *raw, uint32_t leaf, uint32_t sub)
{
    return x86_raw_cpuid(raw, leaf, sub) != NULL;
}

/* Sub-leaf rules from data/x86/cpuid-leaves.xml, on a made-up CPU that exercises each one. */
static void test_subleaf_rules(void **state)
{
    struct x86_raw *cpu = x86_raw_new(), *got;
    struct replay rp = {.raw = cpu};

    (void)state;
    set(cpu, 0, 0, 0xd, 0x756e6547, 0x6c65746e, 0x49656e69); /* GenuineIntel, max leaf 0xd */
    set(cpu, 1, 0, 0x906ea, 0, 0, 0);
    for (uint32_t i = 0; i < 4; i++) /* four caches, then a null descriptor */
        set(cpu, 4, i, 0x120 + (i + 1), 0, 0, 0);
    set(cpu, 7, 0, 2, 1, 0, 0); /* sub-leaves 0..2 */
    set(cpu, 7, 1, 0, 0, 0, 0);
    set(cpu, 7, 2, 0, 0, 0, 0x10);
    set(cpu, 0xb, 0, 1, 2, 0x100, 0); /* SMT level, core level, then an invalid level */
    set(cpu, 0xb, 1, 4, 8, 0x201, 0);
    set(cpu, 0xd, 0, 0x207, 0, 0, 0);   /* x87, SSE, AVX, PKRU */
    set(cpu, 0xd, 1, 0xf, 0, 0x100, 0); /* XSS: PT (8) */
    set(cpu, 0x80000000, 0, 0x80000001, 0, 0, 0);
    set(cpu, 0x80000001, 0, 0, 0, 0x121, 0x2c100800);
    x86_raw_sort(cpu);

    got = walk(&rp);
    assert_true(has(got, 4, 3) && !has(got, 4, 4));
    assert_true(has(got, 7, 2) && !has(got, 7, 3));
    assert_true(has(got, 0xb, 1) && !has(got, 0xb, 2));
    assert_true(has(got, 0xd, 2) && has(got, 0xd, 8) && has(got, 0xd, 9));
    assert_false(has(got, 0xd, 3) || has(got, 0xd, 5));
    /* Intel has no 0xc0000000 range and no hypervisor bit here: neither is walked. */
    assert_false(has(got, 0xc0000000, 0) || has(got, 0x40000000, 0));
    assert_true(has(got, 0x80000001, 0) && !has(got, 0x80000002, 0));
    x86_raw_free(got);

    /* A Centaur CPU gets its 0xc0000000 range walked. */
    set(cpu, 0, 0, 0xd, 0x746e6543, 0x736c7561, 0x48727561); /* CentaurHauls */
    set(cpu, 0xc0000000, 0, 0xc0000001, 0, 0, 0);
    set(cpu, 0xc0000001, 0, 0, 0, 0, 0x3fcc);
    x86_raw_sort(cpu);
    got = walk(&rp);
    assert_true(has(got, 0xc0000001, 0));
    x86_raw_free(got);
    x86_raw_free(cpu);
}

/* For every CPU libvirt captured: walking it as if it were the live CPU finds every leaf the
 * named features depend on, so the walk and the capture decode to the same features. */
static void test_walk_covers_libvirt_captures(void **state)
{
    const char *dir = test_path("tests/data/x86/libvirt");
    char dirpath[512];
    DIR *d;
    struct dirent *e;
    unsigned cpus = 0;

    (void)state;
    snprintf(dirpath, sizeof(dirpath), "%s", dir);
    d = opendir(dirpath);
    assert_non_null(d);
    while ((e = readdir(d))) {
        char path[1024];
        struct cc_doc *doc = cc_doc_new(&x86_arch_ops);
        struct cc_strlist want = {0}, got_names = {0};
        struct replay rp = {0};
        struct x86_raw *got;

        if (strncmp(e->d_name, "x86_64-cpuid-", 13) != 0) {
            cc_doc_free(doc);
            continue;
        }
        snprintf(path, sizeof(path), "%s/%s", dirpath, e->d_name);
        if (x86_import_libvirt(&ctx, path, doc) < 0)
            fail_msg("%s", cc_error_message());
        rp.raw = cc_doc_view(doc, "cpu")->raw;
        got = walk(&rp);
        /* The walk covers CPUID; MSR values come from elsewhere (KVM, /dev/cpu/N/msr). */
        for (size_t i = 0; i < rp.raw->n_msr; i++)
            assert_int_equal(x86_raw_set_msr(got, rp.raw->msr[i].index, rp.raw->msr[i].value), 0);
        features(rp.raw, &want);
        features(got, &got_names);
        for (size_t i = 0; i < want.n; i++)
            if (!cc_strlist_contains(&got_names, want.items[i]))
                fail_msg("%s: the walk misses feature %s", e->d_name, want.items[i]);
        for (size_t i = 0; i < got_names.n; i++)
            if (!cc_strlist_contains(&want, got_names.items[i]))
                fail_msg("%s: the walk adds feature %s", e->d_name, got_names.items[i]);
        cc_strlist_free(&want);
        cc_strlist_free(&got_names);
        x86_raw_free(got);
        cc_doc_free(doc);
        cpus++;
    }
    closedir(d);
    assert_int_equal(cpus, 61);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_per_cpu_fields_masked),
        cmocka_unit_test(test_subleaf_rules),
        cmocka_unit_test(test_walk_covers_libvirt_captures),
    };
    int failed;

    test_ctx(&ctx);
    if (x86_catalog_get(&ctx, &cat) < 0) {
        fprintf(stderr, "%s\n", cc_error_message());
        return 1;
    }
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    cc_ctx_fini(&ctx);
    return failed;
}
