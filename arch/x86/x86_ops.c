/* The x86-64 driver table. */
#include "x86_engine.h"
#include "x86_guest_libvirt.h"

static const char *const aliases[] = {"x86", "amd64", "x86-64", NULL};

static const struct cc_import_format imports[] = {
    {"cpuid-raw", "text of `cpuid -1 -r` (Debian package cpuid)", x86_import_cpuid_raw},
    {"libvirt-cpudata", "libvirt <cpudata arch='x86'> capture (tests/cputestdata)",
     x86_import_libvirt},
    {"libvirt-qemucaps",
     "libvirt's QEMU capabilities cache (/var/cache/libvirt/qemu/capabilities/*.xml)",
     x86_import_qemucaps},
    {"qemu-expansion", "QMP reply of query-cpu-model-expansion of host under KVM",
     x86_import_qmp_expansion},
    {"libvirt-domcaps", "`virsh domcapabilities` output (its host-model CPU)", x86_import_domcaps},
    {"libvirt-cpu", "a libvirt host <cpu> (tests/cputestdata *-host.xml, virsh capabilities)",
     x86_import_libvirt_cpu},
};

static const struct cc_option options[] = {
    {.name = "invtsc",
     .arg = CC_OPTION_FLAG,
     .help = "the guest exposes invtsc (pinned TSC frequency)",
     .commands = CC_CMD_COMPARE},
    {.name = "libvirt-map",
     .arg = CC_OPTION_STRING,
     .arg_name = "RELEASE",
     .help = "with --guest: read model names as this libvirt release's CPU map does",
     .commands = CC_CMD_COMPARE},
    {.name = NULL},
};

/* Where the x86 catalogs record the releases they were read from. */
static const struct cc_data_version data_versions[] = {
    {"CPU models, QEMU", "models", "version", "qemu", false},
    {"KVM adjustments, QEMU", "qemu-kvm.xml", "x86-qemu-kvm", "qemu", false},
    {"QEMU releases known", "qemu-releases.xml", "release", "version", true},
    {"libvirt CPU map", "libvirt-cpu-map.xml", "libvirt-cpu-map", "releases", false},
    {.label = NULL},
};

static int model_names(struct cc_ctx *ctx, struct cc_strlist *out)
{
    struct x86_env env;
    int r = x86_env_get(ctx, &env);

    if (r == 0)
        r = x86_env_models(ctx, &env);
    for (size_t i = 0; r == 0 && i < env.models->n_models; i++)
        cc_strlist_add(out, env.models->models[i].name);
    for (size_t i = 0; r == 0 && i < env.models->n_aliases; i++)
        cc_strlist_add(out, env.models->aliases[i].name);
    return r;
}

static int feature_names(struct cc_ctx *ctx, struct cc_strlist *out)
{
    const struct x86_catalog *cat;
    int r = x86_catalog_get(ctx, &cat);

    for (size_t i = 0; r == 0 && i < cat->n_features; i++)
        cc_strlist_add(out, cat->features[i].name);
    return r;
}

const struct cc_arch_ops x86_arch_ops = {
    .name = "x86_64",
    .aliases = aliases,
    .data_versions = data_versions,
    .model_names = model_names,
    .feature_names = feature_names,
    .data_subdir = "x86",
    .options = options,
    .data_load = x86_catalog_load,
    .data_free = x86_catalog_free,
#if defined(__x86_64__)
    .probe = x86_probe,
#endif
    .imports = imports,
    .n_imports = sizeof(imports) / sizeof(imports[0]),
    .raw_parse = x86_raw_parse,
    .raw_write = x86_raw_write,
    .raw_free = x86_raw_free,
    .raw_summary = x86_raw_summary,
    .view_features = x86_view_features,
    .models = x86_models_report,
    .canonical = x86_canonical,
    .canonical_diff = x86_canonical_diff,
    .versions = x86_versions,
    .compare = x86_compare,
    .compare_guest = x86_guest_libvirt_compare,
    .baseline = x86_baseline,
    .expand = x86_expand,
    .cpudef = x86_cpudef,
    .labels = x86_labels,
    .spell_feature = x86_spell_feature,
    .spell_check = x86_spell_check,
};
