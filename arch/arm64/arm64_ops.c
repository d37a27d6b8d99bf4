/* The arm64 driver table. Probing and verify need an arm64 build; a missing operation is NULL
 * and the command line says so. */
#include "arm64.h"

static const char *const aliases[] = {"arm64", NULL};

static const struct cc_import_format imports[] = {
    {"arm64-regs", "text list of NAME [0xID] 0xVALUE lines and a kernel-release line",
     arm64_import_regs},
};

static const struct cc_option options[] = {
    {.name = "midr-policy",
     .arg = CC_OPTION_STRING,
     .arg_name = "FILE",
     .help = "MIDR values treated as one family (see cpucompat-compare(1))",
     .commands = CC_CMD_COMPARE},
    {.name = "strict",
     .arg = CC_OPTION_FLAG,
     .help = "count warnings (changes the guest sees that take nothing away) as blockers",
     .commands = CC_CMD_COMPARE},
    {.name = "vcpu-features",
     .arg = CC_OPTION_STRING,
     .arg_name = "LIST",
     .help = "optional vCPU features of the scratch vCPU (pmu,sve,ptrauth or none; default: "
             "every one the host offers)",
     .commands = CC_CMD_DUMP},
    {.name = NULL},
};

/* The kernels whose ID register rules idregs.xml carries. */
static const struct cc_data_version data_versions[] = {
    {"kernel rule sets, Linux", "idregs.xml", "kernel", "since", false},
    {"libvirt guest <cpu>", "libvirt-cpu.xml", "release", "name", false},
    {.label = NULL},
};

static int model_names(struct cc_ctx *ctx, struct cc_strlist *out)
{
    const struct arm64_catalog *cat;
    const struct arm64_model_set *set;
    int r = arm64_catalog_get(ctx, &cat);

    if (r == 0)
        r = arm64_models_get(ctx, cat, &set);
    for (size_t i = 0; r == 0 && i < set->n; i++)
        cc_strlist_add(out, set->models[i].name);
    return r;
}

const struct cc_arch_ops arm64_arch_ops = {
    .name = "aarch64",
    .aliases = aliases,
    .data_versions = data_versions,
    .model_names = model_names,
    .data_subdir = "arm64",
    .options = options,
    .data_load = arm64_catalog_load,
    .data_free = arm64_catalog_free,
#if defined(__aarch64__)
    .probe = arm64_probe,
    .verify = arm64_verify,
#endif
    .imports = imports,
    .n_imports = sizeof(imports) / sizeof(imports[0]),
    .raw_parse = arm64_raw_parse,
    .raw_write = arm64_raw_write,
    .raw_free = arm64_raw_free,
    .raw_summary = arm64_raw_summary,
    .view_features = arm64_view_features,
    .models = arm64_models_report,
    .canonical = arm64_canonical,
    .canonical_diff = arm64_canonical_diff,
    .versions = arm64_versions,
    .compare = arm64_compare,
    .compare_guest = arm64_compare_libvirt,
    .baseline = arm64_baseline,
    .expand = arm64_expand,
    .cpudef = arm64_cpudef,
};
