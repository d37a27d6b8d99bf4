/* The s390x driver table. */
#include "s390x.h"
#include "../../core/error.h"

static const char *const aliases[] = {"s390", "z", NULL};

int s390x_view_features(struct cc_ctx *ctx, const struct cc_view *view, struct cc_strlist *names)
{
    const struct s390x_catalog *cat;
    struct s390x_feats s;
    int r = s390x_catalog_get(ctx, &cat);

    if (r < 0 || !view->raw)
        return r;
    s390x_view_feats(cat, view, &s);
    return s390x_feats_names(cat, &s, names);
}

static const struct cc_import_format imports[] = {
    {"s390x-cpuinfo", "a saved /proc/cpuinfo, optionally followed by /proc/sysinfo",
     s390x_import_cpuinfo},
};

static const struct cc_data_version data_versions[] = {
    {"CPU models, QEMU", "models.xml", "s390x-models", "qemu", false},
    {"QEMU releases known", "qemu-releases.xml", "release", "version", true},
    {.label = NULL},
};

static int model_names(struct cc_ctx *ctx, struct cc_strlist *out)
{
    const struct s390x_catalog *cat;
    int r = s390x_catalog_get(ctx, &cat);

    for (size_t i = 0; r == 0 && i < cat->n_defs; i++)
        cc_strlist_add(out, cat->defs[i].name);
    return r;
}

/* What a model's properties may name: features and feature groups. */
static int feature_names(struct cc_ctx *ctx, struct cc_strlist *out)
{
    const struct s390x_catalog *cat;
    int r = s390x_catalog_get(ctx, &cat);

    for (size_t i = 0; r == 0 && i < cat->n_feats; i++)
        cc_strlist_add(out, cat->feats[i].name);
    for (size_t i = 0; r == 0 && i < cat->n_groups; i++)
        cc_strlist_add(out, cat->groups[i].name);
    return r;
}

const struct cc_arch_ops s390x_arch_ops = {
    .name = "s390x",
    .aliases = aliases,
    .data_versions = data_versions,
    .model_names = model_names,
    .feature_names = feature_names,
    .data_subdir = "s390x",
    .data_load = s390x_catalog_load,
    .data_free = s390x_catalog_free,
#if defined(__s390x__)
    .probe = s390x_probe,
#endif
    .imports = imports,
    .n_imports = sizeof(imports) / sizeof(imports[0]),
    .raw_parse = s390x_raw_parse,
    .raw_write = s390x_raw_write,
    .raw_free = s390x_raw_free,
    .raw_summary = s390x_raw_summary,
    .view_features = s390x_view_features,
    .models = s390x_models_report,
    .canonical = s390x_canonical,
    .canonical_diff = s390x_canonical_diff,
    .compare = s390x_compare,
    .compare_guest = s390x_guest_libvirt_compare,
    .baseline = s390x_baseline,
    .expand = s390x_expand,
    .cpudef = s390x_cpudef,
};
