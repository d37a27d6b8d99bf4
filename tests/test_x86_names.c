/* x86 feature spellings (data/x86/feature-names.xml) over the whole table: every catalog feature
 * and every libvirt feature of every release in the libvirt CPU map, and, on an x86 host, every
 * /proc/cpuinfo flag the table knows against the CPUID bit it names. */
#include "testlib.h"
#include "../arch/x86/x86.h"
#include "../core/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct cc_ctx ctx;
static const struct x86_catalog *cat;
static const struct x86_names *names;
static const struct x86_lv_map *map;

static void load(void)
{
    if (x86_catalog_get(&ctx, &cat) < 0 || x86_names_get(&ctx, cat, &names) < 0 ||
        x86_lv_map_get(&ctx, cat, &map) < 0)
        fail_msg("%s", cc_error_message());
}

static void test_every_catalog_feature(void **state)
{
    size_t n_libvirt = 0, n_linux = 0;
    (void)state;
    load();
    for (size_t i = 0; i < cat->n_features; i++) {
        const struct x86_feature *f = &cat->features[i];

        assert_ptr_equal(x86_names_find(names, f->name, X86_NAMING_QEMU), f);
        assert_ptr_equal(x86_names_find(names, f->name, X86_NAMING_ANY), f);
        assert_string_equal(x86_names_spell(names, f, X86_NAMING_QEMU), f->name);
        for (int n = X86_NAMING_LIBVIRT; n < X86_N_NAMINGS; n++) {
            const char *s = x86_names_spell(names, f, (enum x86_naming)n);
            if (!s)
                continue;
            *(n == X86_NAMING_LIBVIRT ? &n_libvirt : &n_linux) += 1;
            if (x86_names_find(names, s, n) != f)
                fail_msg("%s: its %s spelling '%s' does not lead back", f->name,
                         x86_naming_name((enum x86_naming)n), s);
        }
        /* The catalog's aliases (QEMU's own, and libvirt's records of Linux names) lead back. */
        for (size_t a = 0; a < f->aliases.n; a++)
            if (x86_names_find(names, f->aliases.items[a], X86_NAMING_ANY) != f)
                fail_msg("%s: alias %s leads elsewhere", f->name, f->aliases.items[a]);
    }
    /* Most features have a libvirt and a Linux name; a shrunken table is a broken generator. */
    assert_true(n_libvirt > 300);
    assert_true(n_linux > 150);
}

/* Every libvirt feature, in every release, maps by its bit: the table's libvirt spelling of the
 * catalog feature at that bit is this name (or an alias of it), or it is listed as unmapped with
 * a reason, and then the catalog really has nothing at that bit. */
static void test_every_libvirt_feature(void **state)
{
    size_t mapped = 0, unmapped = 0;
    (void)state;
    load();
    for (size_t i = 0; i < map->n_features; i++) {
        const struct x86_lv_feature *lf = &map->features[i];
        const char *why = x86_names_unmapped(names, lf->name);

        if (lf->catalog < 0) {
            if (!why || !*why)
                fail_msg("libvirt %s: no catalog feature at its bit and no reason", lf->name);
            unmapped++;
            continue;
        }
        if (why)
            fail_msg("libvirt %s is listed as unmapped but sits on catalog feature %s", lf->name,
                     cat->features[lf->catalog].name);
        if (x86_names_find(names, lf->name, X86_NAMING_LIBVIRT) != &cat->features[lf->catalog])
            fail_msg("libvirt %s does not lead to %s, the feature at its bit", lf->name,
                     cat->features[lf->catalog].name);
        mapped++;
    }
    assert_true(mapped > 300);
    assert_true(unmapped > 0);
}

static void test_spellings(void **state)
{
    static const struct {
        const char *spelling;
        int naming;
        const char *qemu;
    } cases[] = {
        {"tsc_adjust", X86_NAMING_LIBVIRT, "tsc-adjust"},
        {"tsc_adjust", X86_NAMING_LINUX, "tsc-adjust"},
        {"sse4_1", X86_NAMING_LINUX, "sse4.1"},
        {"sse4.1", X86_NAMING_LIBVIRT, "sse4.1"},
        {"pclmuldq", X86_NAMING_LIBVIRT, "pclmulqdq"},
        {"pclmulqdq", X86_NAMING_ANY, "pclmulqdq"},
        {"dts", X86_NAMING_LINUX, "ds"},
        {"lahf_lm", X86_NAMING_ANY, "lahf-lm"},
        {"pdpe1gb", X86_NAMING_LINUX, "pdpe1gb"},
        {"arch_capabilities", X86_NAMING_LINUX, "arch-capabilities"},
    };
    const struct x86_feature *f;
    (void)state;
    load();
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        f = x86_names_find(names, cases[i].spelling, cases[i].naming);
        if (!f || strcmp(f->name, cases[i].qemu) != 0)
            fail_msg("'%s' leads to %s, want %s", cases[i].spelling, f ? f->name : "nothing",
                     cases[i].qemu);
    }
    f = x86_catalog_feature(cat, "tsc-adjust");
    assert_string_equal(x86_names_spell(names, f, X86_NAMING_LIBVIRT), "tsc_adjust");
    f = x86_catalog_feature(cat, "sse4.1");
    assert_string_equal(x86_names_spell(names, f, X86_NAMING_LINUX), "sse4_1");
    /* Linux does not print KVM's paravirtual bits. */
    assert_null(x86_names_spell(names, x86_catalog_feature(cat, "kvmclock"), X86_NAMING_LINUX));
    /* libvirt's cmt has no QEMU feature; QEMU never named that bit "cqm". */
    assert_null(x86_names_find(names, "cmt", X86_NAMING_ANY));
    assert_null(x86_names_find(names, "cqm", X86_NAMING_ANY));
    assert_non_null(x86_names_unmapped(names, "cmt"));
    assert_null(x86_names_find(names, "no-such-feature", X86_NAMING_ANY));
    assert_int_equal(x86_naming_from_name("linux"), X86_NAMING_LINUX);
    assert_int_equal(x86_naming_from_name("Linux"), -1);
}

#if defined(__x86_64__)
/* Flags Linux sets without the CPUID bit: x2apic when firmware or the VMM already enabled x2APIC
 * mode (arch/x86/kernel/apic/apic.c, check_x2apic). */
static bool linux_may_force(const char *flag)
{
    static const char *const forced[] = {"x2apic"};

    for (size_t i = 0; i < sizeof(forced) / sizeof(forced[0]); i++)
        if (strcmp(flag, forced[i]) == 0)
            return true;
    return false;
}

/* Independent check of the Linux spellings: the flags of this CPU's /proc/cpuinfo that the table
 * knows name CPUID bits this CPU has. The kernel's flags are what CPUID said at boot: a VM
 * restored from a snapshot on other silicon (Firecracker here: tsc_deadline_timer and topoext
 * printed, CPUID now without them) keeps stale ones, so a few disagreements are printed, not
 * failed; a wrong join (a word or a name shifted) disagrees on many flags and fails. */
static void test_proc_cpuinfo(void **state)
{
    char bad[1024] = "";
    struct x86_raw *raw = x86_raw_new();
    char *line = NULL, *save = NULL;
    size_t cap = 0, checked = 0, n_bad = 0;
    FILE *f = fopen("/proc/cpuinfo", "r");
    (void)state;
    load();
    if (!f) {
        x86_raw_free(raw);
        TEST_SKIP("no /proc/cpuinfo");
    }
    assert_int_equal(x86_cpuid_walk(cat, &x86_cpuid_instruction, raw), 0);
    x86_raw_sort(raw);
    while (getline(&line, &cap, f) > 0 && strncmp(line, "flags\t", 6) != 0)
        ;
    fclose(f);
    assert_non_null(strchr(line, ':'));
    for (char *t = strtok_r(strchr(line, ':') + 1, " \n", &save); t;
         t = strtok_r(NULL, " \n", &save)) {
        const struct x86_feature *feat = x86_names_find(names, t, X86_NAMING_LINUX);

        if (!feat || cat->words[feat->word].is_msr)
            continue;
        checked++;
        if (!x86_feature_present(cat, feat, raw) && !linux_may_force(t)) {
            n_bad++;
            snprintf(bad + strlen(bad), sizeof(bad) - strlen(bad), " %s(%s)", t, feat->name);
        }
    }
    if (bad[0])
        print_message("# /proc/cpuinfo flags whose CPUID bit this CPU lacks now:%s\n", bad);
    if (n_bad * 10 > checked)
        fail_msg("%zu of %zu /proc/cpuinfo flags disagree with CPUID:%s", n_bad, checked, bad);
    assert_true(checked > 20);
    free(line);
    x86_raw_free(raw);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_catalog_feature),
        cmocka_unit_test(test_every_libvirt_feature),
        cmocka_unit_test(test_spellings),
#if defined(__x86_64__)
        cmocka_unit_test(test_proc_cpuinfo),
#endif
    };
    int failed;

    test_ctx(&ctx);
    failed = cmocka_run_group_tests_name("x86_names", tests, NULL, NULL);
    cc_ctx_fini(&ctx);
    return failed;
}
