/* KubeVirt's node labels for an x86 host, as its node labeller makes them from libvirt's answers
 * (domcapabilities and hypervisor-cpu-baseline --features of the host model), with cpucompat's
 * answers in their place: the host model as libvirt would name it (x86_lv_express), its
 * features in libvirt's spelling, the usable models KubeVirt keeps (not obsolete, defined in
 * libvirt's CPU map, every feature of that definition among the feature labels), the vendor and
 * the TSC frequency. */
#include "x86_engine.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"
#include "../../core/xalloc.h"
#include "../../core/xml_load.h"

#include <stdlib.h>
#include <string.h>

#define KV_FEATURE    "cpu-feature.node.kubevirt.io/"
#define KV_MODEL      "cpu-model.node.kubevirt.io/"
#define KV_MIGRATION  "cpu-model-migration.node.kubevirt.io/"
#define KV_HOST_MODEL "host-model-cpu.node.kubevirt.io/"
#define KV_REQUIRED   "host-model-required-features.node.kubevirt.io/"
#define KV_VENDOR     "cpu-vendor.node.kubevirt.io/"
#define KV_TIMER      "cpu-timer.node.kubevirt.io/"

static void label(struct cc_kvlist *l, const char *prefix, const char *name, const char *value)
{
    _cleanup_free_ char *key = xasprintf("%s%s", prefix, name);

    cc_kv_set(l, key, value);
}

/* data/x86/kubevirt.xml: the models KubeVirt never labels by default. */
static int obsolete_models(struct cc_ctx *ctx, struct cc_strlist *out)
{
    _cleanup_free_ char *path = NULL;
    xmlDocPtr doc;
    int r = cc_ctx_arch_path(ctx, &x86_arch_ops, "kubevirt.xml", &path);

    if (r == 0)
        r = cc_xml_load(path, &doc);
    if (r < 0)
        return r;
    for (xmlNodePtr n = xmlDocGetRootElement(doc)->children; n && r == 0; n = n->next)
        if (n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, "obsolete-model"))
            r = cc_xml_attr(n, "name")
                    ? cc_strlist_add(out, cc_xml_attr(n, "name"))
                    : cc_error(EINVAL, "%s: line %ld: <obsolete-model> without a name", path,
                               xmlGetLineNo(n));
    xmlFreeDoc(doc);
    return r;
}

/* libvirt's expansion of its host model (hypervisor-cpu-baseline --features): the model's
 * features as release rel defines it, plus the required, minus the disabled ones. */
static int host_model_features(const struct x86_lv_map *map, size_t rel, const struct cc_cpudef *d,
                               bool *in)
{
    struct x86_lv_resolved res;
    int r = x86_lv_resolve(map, rel, d->lv_model, &res);

    if (r < 0)
        return r;
    memcpy(in, res.guest, map->n_features * sizeof(*in));
    x86_lv_resolved_fini(&res);
    for (size_t i = 0; i < d->lv_features.n; i++) {
        const struct x86_lv_feature *f = x86_lv_feature_find(map, rel, d->lv_features.items[i].key);

        if (f)
            in[f - map->features] = !strcmp(d->lv_features.items[i].value, "require");
    }
    return 0;
}

/* Whether every feature of libvirt's definition of a model is a feature label (KubeVirt's
 * shouldAddCPUModelLabel); a model libvirt's map lacks is not labelled. */
static bool kubevirt_keeps(const struct x86_lv_map *map, size_t rel, const char *name,
                           const bool *labelled)
{
    struct x86_lv_resolved res;
    bool keep = true;

    if (!x86_lv_model_find(map, rel, name) || x86_lv_resolve(map, rel, name, &res) < 0) {
        cc_error_clear();
        return false;
    }
    for (size_t i = 0; i < map->n_features && keep; i++)
        keep = !res.in[i] || labelled[i];
    x86_lv_resolved_fini(&res);
    return keep;
}

int x86_labels(struct cc_ctx *ctx, const struct cc_doc *doc, const char *file,
               struct cc_kvlist *labels, struct cc_strlist *notes)
{
    struct x86_env env;
    struct x86_host host;
    struct x86_words hm;
    const struct x86_lv_map *map;
    struct cc_cpudef d = {0};
    struct cc_models_report models = {0};
    struct cc_strlist obsolete = {0};
    const char *vendor = cc_kv_get(&doc->identity, "vendor");
    _cleanup_free_ bool *in = NULL;
    size_t rel;
    int r = x86_env_get(ctx, &env);

    if (r == 0)
        r = x86_env_models(ctx, &env);
    if (r == 0)
        r = x86_host_judged(ctx, &env, doc, file, &host, notes);
    if (r == 0)
        r = x86_lv_map_get(ctx, env.cat, &map);
    if (r == 0)
        r = obsolete_models(ctx, &obsolete);
    if (r < 0)
        goto out;
    if (!vendor) {
        r = cc_error(EINVAL, "%s: no CPU vendor recorded", file);
        goto out;
    }
    x86_host_model(env.cat, env.rules, &host, &hm);
    /* libvirt's host model keeps what the host offers but QEMU calls unmigratable (invtsc):
     * the labels describe the node, and a guest asking for it must land on one that has it. */
    for (size_t i = 0; i < env.cat->n_features; i++)
        if (env.cat->features[i].unmigratable && !env.cat->features[i].paravirt &&
            x86_words_has(env.cat, &host.supported, &env.cat->features[i]))
            x86_words_set(env.cat, &hm, &env.cat->features[i], true);
    if ((r = x86_lv_express(ctx, &env, vendor, host.qemu, &hm, &d)) < 0)
        goto out;
    if (!d.lv_model) {
        r = cc_error(ENOTSUP, "%s: no host model labels: %s", file, d.why_not);
        goto out;
    }
    rel = (size_t)x86_lv_release(map, d.lv_release);
    in = xcalloc(map->n_features, sizeof(*in));
    if ((r = host_model_features(map, rel, &d, in)) < 0)
        goto out;
    for (size_t i = 0; i < map->vendors.n; i++)
        if (!strcmp(map->vendors.items[i].value, vendor))
            label(labels, KV_VENDOR, map->vendors.items[i].key, "true");
    label(labels, KV_HOST_MODEL, d.lv_model, "true");
    if (!cc_strlist_contains(&obsolete, d.lv_model))
        label(labels, KV_MIGRATION, d.lv_model, "true");
    for (size_t i = 0; i < d.lv_features.n; i++)
        if (!strcmp(d.lv_features.items[i].value, "require"))
            label(labels, KV_REQUIRED, d.lv_features.items[i].key, "true");
    for (size_t i = 0; i < map->n_features; i++)
        if (in[i])
            label(labels, KV_FEATURE, map->features[i].name, "true");
    /* The models libvirt would call usable (cpucompat's answer), named as domcapabilities
     * names them: each version and its aliases. */
    if ((r = x86_models_report(ctx, doc, file, &models)) < 0)
        goto out;
    for (size_t i = 0; i < models.n; i++) {
        const struct cc_model_status *m = &models.items[i];

        for (size_t a = 0; m->usable && a <= m->aliases.n; a++) {
            const char *name = a ? m->aliases.items[a - 1] : m->name;

            if (cc_strlist_contains(&obsolete, name) || !kubevirt_keeps(map, rel, name, in))
                continue;
            label(labels, KV_MODEL, name, "true");
            label(labels, KV_MIGRATION, name, "true");
        }
    }
    if (host.tsc_khz)
        cc_kv_setf(labels, KV_TIMER "tsc-frequency", "%llu",
                   (unsigned long long)host.tsc_khz * 1000);
    else
        cc_strlist_add(notes, "no TSC frequency recorded: no " KV_TIMER "tsc-frequency label");
    cc_strlist_addf(notes,
                    "as KubeVirt with libvirt %s would label the node (its CPU map names the "
                    "host model, the features and the models it keeps)",
                    map->releases[rel]);
out:
    cc_cpudef_free(&d);
    cc_models_report_free(&models);
    cc_strlist_free(&obsolete);
    return r;
}
