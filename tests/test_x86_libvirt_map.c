/* libvirt's x86 CPU map as cpucompat reads it (data/x86/libvirt-cpu-map.xml), checked against
 * the libvirt installed here: its model list (`virsh cpu-models x86_64`) and, for every model,
 * libvirt's own expansion of it (`virsh cpu-baseline --features` of a CPU naming only the model).
 * Both run offline on the test driver; without virsh, or when the installed libvirt is a release
 * the map lacks, those tests SKIP with the reason. */
#include "testlib.h"
#include "../arch/x86/x86.h"
#include "../core/cleanup.h"
#include "../core/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct cc_ctx ctx;
static const struct x86_catalog *cat;
static const struct x86_lv_map *map;

static void load(void)
{
    if (x86_catalog_get(&ctx, &cat) < 0 || x86_lv_map_get(&ctx, cat, &map) < 0)
        fail_msg("%s", cc_error_message());
}

/* Output lines of a shell command; NULL (with the reason printed) when it could not run. */
static struct cc_strlist *run_lines(const char *cmd, struct cc_strlist *out)
{
    char line[512];
    FILE *p = popen(cmd, "r");

    if (!p)
        return NULL;
    while (fgets(line, sizeof(line), p)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0])
            assert_int_equal(cc_strlist_add(out, line), 0);
    }
    if (pclose(p) != 0) {
        cc_strlist_free(out);
        return NULL;
    }
    return out;
}

/* The map's index of the installed libvirt, or -1 after a SKIP. */
static int installed_release(void)
{
    struct cc_strlist v = {0};
    int rel;

    if (!run_lines("virsh --version 2>/dev/null", &v) || v.n != 1)
        TEST_SKIP("virsh is not installed (package libvirt-clients)");
    rel = x86_lv_release(map, v.items[0]);
    if (rel < 0) {
        cc_strlist_free(&v);
        TEST_SKIP("libvirt %s is installed; the map has other releases", v.items[0]);
    }
    cc_strlist_free(&v);
    return rel;
}

static void test_releases(void **state)
{
    (void)state;
    load();
    assert_true(x86_lv_release(map, "9.0.0") >= 0);
    assert_true(x86_lv_release(map, "11.3.0") >= 0);
    assert_int_equal(x86_lv_release(map, "1.0.0"), -1);
    /* The oldest release first, as the header lists them. */
    assert_true(x86_lv_release(map, "9.0.0") < x86_lv_release(map, "11.3.0"));
}

/* Every libvirt feature of every release sits on one CPUID or MSR bit; the ones the catalog
 * names at that bit are joined to it. The bits libvirt and QEMU both name must agree on the
 * spelling's meaning: spot checks of names that differ. */
static void test_feature_join(void **state)
{
    static const char *const pairs[][2] = {
        {"pclmuldq", "pclmulqdq"},
        {"tsc_adjust", "tsc-adjust"},
        {"lahf_lm", "lahf-lm"},
        {"sse4.1", "sse4.1"},
        {"pni", "pni"},
        {"vmx-hlt-exit", "vmx-hlt-exit"},
        {"rdctl-no", "rdctl-no"},
        {"invtsc", "invtsc"},
    };
    size_t rel;
    (void)state;
    load();
    rel = map->n_releases - 1;
    for (size_t i = 0; i < CC_ARRAY_SIZE(pairs); i++) {
        const struct x86_lv_feature *f = x86_lv_feature_find(map, rel, pairs[i][0]);
        assert_non_null(f);
        if (f->catalog < 0)
            fail_msg("libvirt %s is not joined to the catalog", pairs[i][0]);
        assert_string_equal(cat->features[f->catalog].name, pairs[i][1]);
    }
    /* libvirt's CPUID leaf 0xF monitoring bits have no QEMU feature. */
    assert_int_equal(x86_lv_feature_find(map, rel, "cmt")->catalog, -1);
    assert_true(x86_lv_feature_find(map, rel, "invtsc")->unmigratable);
    assert_null(x86_lv_feature_find(map, rel, "no-such-feature"));
}

static void test_resolve_inheritance(void **state)
{
    struct x86_lv_resolved base, v1, ibrs;
    int rel;
    (void)state;
    load();
    rel = x86_lv_release(map, "11.3.0");
    assert_int_equal(x86_lv_resolve(map, (size_t)rel, "Skylake-Server", &base), 0);
    assert_int_equal(x86_lv_resolve(map, (size_t)rel, "Skylake-Server-v1", &v1), 0);
    assert_int_equal(x86_lv_resolve(map, (size_t)rel, "Skylake-Server-IBRS", &ibrs), 0);
    /* -v1 is an alias: its parent's features (mpx, removed by QEMU, leaves the child). */
    assert_string_equal(v1.model->parent, "Skylake-Server");
    assert_string_equal(v1.vendor_string, "GenuineIntel");
    assert_non_null(v1.signatures_of);
    size_t mpx = (size_t)(x86_lv_feature_find(map, (size_t)rel, "mpx") - map->features);
    assert_true(base.in[mpx]);
    assert_false(v1.in[mpx]);
    for (size_t i = 0; i < map->n_features; i++)
        if (i != mpx)
            assert_int_equal(base.in[i], v1.in[i]);
    assert_true(ibrs.in[x86_lv_feature_find(map, (size_t)rel, "spec-ctrl") - map->features]);
    x86_lv_resolved_fini(&base);
    x86_lv_resolved_fini(&v1);
    x86_lv_resolved_fini(&ibrs);
    assert_int_equal(x86_lv_resolve(map, (size_t)rel, "Skylake-Server-v1-nonesuch", &v1), -ENOENT);
    assert_non_null(strstr(cc_error_message(), "Skylake-Server-v1-nonesuch"));
}

static void test_model_list_vs_virsh(void **state)
{
    struct cc_strlist lv = {0};
    size_t ours = 0;
    int rel;
    (void)state;
    load();
    if ((rel = installed_release()) < 0)
        return;
    if (!run_lines("virsh -c test:///default cpu-models x86_64 2>/dev/null", &lv))
        TEST_SKIP("virsh -c test:///default cpu-models x86_64 failed");
    for (size_t i = 0; i < map->n_models; i++) {
        if (!(map->models[i].releases >> rel & 1))
            continue;
        ours++;
        if (!cc_strlist_contains(&lv, map->models[i].name))
            fail_msg("model %s is not in virsh cpu-models", map->models[i].name);
    }
    for (size_t i = 0; i < lv.n; i++)
        if (!x86_lv_model_find(map, (size_t)rel, lv.items[i]))
            fail_msg("virsh lists %s, the map does not", lv.items[i]);
    assert_int_equal(ours, lv.n);
    cc_strlist_free(&lv);
}

/* libvirt expands a guest CPU naming only the model into a model (the same one, or one it prefers
 * when the named one is not for decoding guests) plus required and disabled features: the sum
 * must be what the map says a guest of the named model gets. */
static void check_one_model(size_t rel, const char *name)
{
    struct x86_lv_resolved res, chosen = {0};
    struct cc_strlist got = {0};
    char path[512], cmd[1024];
    bool *in;
    FILE *f;

    assert_int_equal(x86_lv_resolve(map, rel, name, &res), 0);
    snprintf(path, sizeof(path), "%s/cpu.xml", test_tmpdir());
    f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "<cpu><arch>x86_64</arch><model>%s</model>", name);
    if (res.vendor)
        fprintf(f, "<vendor>%s</vendor>", res.vendor);
    fprintf(f, "</cpu>\n");
    fclose(f);
    snprintf(cmd, sizeof(cmd),
             "virsh -c test:///default cpu-baseline --features '%s' 2>&1 | sed -n "
             "-e \"s/.*<feature policy='\\([a-z]*\\)' name='\\([^']*\\)'.*/\\1 \\2/p\" "
             "-e \"s/.*<model[^>]*>\\([^<]*\\)<.*/model \\1/p\"",
             path);
    if (!run_lines(cmd, &got) || got.n == 0 || strncmp(got.items[0], "model ", 6) != 0)
        fail_msg("%s: virsh cpu-baseline failed", name);
    if (x86_lv_resolve(map, rel, got.items[0] + 6, &chosen) < 0)
        fail_msg("%s: %s", name, cc_error_message());
    in = chosen.guest;
    for (size_t i = 1; i < got.n; i++) {
        char *sp = strchr(got.items[i], ' ');
        const struct x86_lv_feature *lf = sp ? x86_lv_feature_find(map, rel, sp + 1) : NULL;

        if (!lf)
            fail_msg("%s: libvirt names an unknown feature: %s", name, got.items[i]);
        in[lf - map->features] = strncmp(got.items[i], "disable ", 8) != 0;
    }
    for (size_t i = 0; i < map->n_features; i++)
        if (in[i] != res.guest[i])
            fail_msg("%s: libvirt's expansion (%s) %s %s", name, got.items[0],
                     in[i] ? "adds" : "lacks", map->features[i].name);
    cc_strlist_free(&got);
    x86_lv_resolved_fini(&res);
    x86_lv_resolved_fini(&chosen);
}

static void test_models_vs_virsh_expansion(void **state)
{
    int rel;
    size_t n = 0;
    (void)state;
    load();
    if ((rel = installed_release()) < 0)
        return;
    for (size_t i = 0; i < map->n_models; i++)
        if (map->models[i].releases >> rel & 1) {
            check_one_model((size_t)rel, map->models[i].name);
            n++;
        }
    assert_true(n >= 58); /* libvirt 9.0 has 58 x86 models */
}

/* Lookups by name give, in every release, what a scan of the map in its order gives: the first
 * entry of that name the release has (models such as 486 have one definition per release range),
 * and nothing for a name the release lacks. */
static void test_lookup_is_first_in_map_order(void **state)
{
    size_t duplicated = 0;

    (void)state;
    load();
    for (size_t rel = 0; rel < map->n_releases; rel++) {
        for (size_t i = 0; i < map->n_models; i++) {
            const char *name = map->models[i].name;
            const struct x86_lv_model *want = NULL;

            for (size_t j = 0; j < map->n_models && !want; j++)
                if ((map->models[j].releases >> rel & 1) && !strcmp(map->models[j].name, name))
                    want = &map->models[j];
            assert_ptr_equal(x86_lv_model_find(map, rel, name), want);
            duplicated += rel == 0 && want && want != &map->models[i];
        }
        for (size_t i = 0; i < map->n_features; i++) {
            const char *name = map->features[i].name;
            const struct x86_lv_feature *want = NULL;

            for (size_t j = 0; j < map->n_features && !want; j++)
                if ((map->features[j].releases >> rel & 1) && !strcmp(map->features[j].name, name))
                    want = &map->features[j];
            assert_ptr_equal(x86_lv_feature_find(map, rel, name), want);
        }
        assert_null(x86_lv_model_find(map, rel, "no-such-model"));
        assert_null(x86_lv_feature_find(map, rel, ""));
        assert_null(x86_lv_feature_find(map, rel, "zzzz"));
    }
    /* The map must hold names defined twice, or the test shows nothing about them. */
    assert_true(duplicated > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_releases),
        cmocka_unit_test(test_lookup_is_first_in_map_order),
        cmocka_unit_test(test_feature_join),
        cmocka_unit_test(test_resolve_inheritance),
        cmocka_unit_test(test_model_list_vs_virsh),
        cmocka_unit_test(test_models_vs_virsh_expansion),
    };
    int failed;

    test_ctx(&ctx);
    failed = cmocka_run_group_tests_name("x86_libvirt_map", tests, NULL, NULL);
    cc_ctx_fini(&ctx);
    return failed;
}
