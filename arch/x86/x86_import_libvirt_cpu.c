/* Import of a libvirt host CPU description: the <cpu> libvirt writes for a host (its model, vendor
 * and extra features; libvirt's tests/cputestdata/x86_64-*-host.xml, the <host><cpu> of `virsh
 * capabilities`). It becomes a "cpu" view holding exactly those CPUID bits: what libvirt believes
 * the silicon has, with no KVM answer. */
#include "x86_import.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"
#include "../../core/xml_load.h"

#include <stdlib.h>
#include <string.h>

#define MAX_FEATURES 2048

/* The newest release defining the model and every feature. */
static int release_of(const char *path, const struct x86_lv_map *map, const char *model,
                      xmlNodePtr cpu, size_t *out)
{
    size_t n = 0;

    for (xmlNodePtr c = cpu->children; c; c = c->next)
        if (cc_xml_is(c, "feature") && ++n > MAX_FEATURES)
            return cc_error(E2BIG, "%s: more than %d features", path, MAX_FEATURES);
    for (size_t rel = map->n_releases; rel-- > 0;) {
        bool all = x86_lv_model_find(map, rel, model) != NULL;

        for (xmlNodePtr c = cpu->children; c && all; c = c->next)
            if (cc_xml_is(c, "feature"))
                all =
                    cc_xml_attr(c, "name") && x86_lv_feature_find(map, rel, cc_xml_attr(c, "name"));
        if (all) {
            *out = rel;
            return 0;
        }
    }
    return cc_error(ENOENT, "%s: no libvirt release has model '%s' and all the features named",
                    path, model);
}

int x86_import_libvirt_cpu(struct cc_ctx *ctx, const char *path, struct cc_doc *doc)
{
    _cleanup_xmldoc_ xmlDocPtr xdoc = NULL;
    const struct x86_catalog *cat;
    const struct x86_lv_map *map;
    const struct x86_rules *rules;
    struct x86_lv_resolved res;
    struct x86_raw *raw;
    const char *model, *vendor, *vstring, *arch;
    xmlNodePtr root, cpu;
    size_t rel = 0;
    int r = cc_xml_load(path, &xdoc);

    if (r < 0)
        return r;
    root = xmlDocGetRootElement(xdoc);
    cpu = root && cc_xml_is(root, "capabilities") ? cc_xml_child(cc_xml_child(root, "host"), "cpu")
                                                  : root;
    if (!cpu || !cc_xml_is(cpu, "cpu"))
        return cc_error(EINVAL, "%s: not a libvirt host <cpu> or capabilities (root element <%s>)",
                        path, root ? (const char *)root->name : "none");
    arch = cc_xml_text(cc_xml_child(cpu, "arch"));
    if (!arch || strcmp(arch, "x86_64") != 0)
        return cc_error(ENOTSUP, "%s: host CPU of architecture '%s'; only x86_64 is imported", path,
                        arch ? arch : "(none)");
    if (!(model = cc_xml_text(cc_xml_child(cpu, "model"))) || !*model)
        return cc_error(EINVAL, "%s: host <cpu> without a <model>", path);
    if (!(vendor = cc_xml_text(cc_xml_child(cpu, "vendor"))))
        return cc_error(EINVAL, "%s: host <cpu> without a <vendor>: a capability file records it",
                        path);
    if ((r = x86_catalog_get(ctx, &cat)) < 0 || (r = x86_lv_map_get(ctx, cat, &map)) < 0 ||
        (r = x86_rules_get(ctx, cat, &rules)) < 0)
        return r;
    if (!(vstring = cc_kv_get(&map->vendors, vendor)))
        return cc_error(EINVAL, "%s: unknown CPU vendor '%s'", path, vendor);
    if ((r = release_of(path, map, model, cpu, &rel)) < 0)
        return r;
    /* A host's model is libvirt's data of it (x86ModelFromCPU), not what a guest naming it gets. */
    if ((r = x86_lv_resolve(map, rel, model, &res)) < 0)
        return cc_error_prefix(-r, "%s", path);
    for (xmlNodePtr c = cpu->children; c; c = c->next) {
        const char *policy = cc_xml_is(c, "feature") ? cc_xml_attr(c, "policy") : NULL;
        const struct x86_lv_feature *f =
            cc_xml_is(c, "feature") ? x86_lv_feature_find(map, rel, cc_xml_attr(c, "name")) : NULL;

        if (f)
            res.in[f - map->features] = !policy || !strcmp(policy, "require");
    }
    if (!(raw = x86_raw_new())) {
        x86_lv_resolved_fini(&res);
        return cc_error(ENOMEM, "out of memory");
    }
    r = x86_lv_build_raw(cat, rules, map, res.in, vstring, false, raw);
    x86_lv_resolved_fini(&res);
    if (r < 0) {
        x86_raw_free(raw);
        return r;
    }
    return x86_import_finish(ctx, path, "libvirt-cpu", raw, doc);
}
