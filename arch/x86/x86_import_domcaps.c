/* Import of `virsh domcapabilities` output: its host-model CPU (a libvirt model name plus
 * required and disabled features) becomes a "kvm" view; its custom-mode answers (usable,
 * blockers) are kept beside it. */
#include "x86_import.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"
#include "../../core/xml_load.h"

#include <stdlib.h>
#include <string.h>

#define DOMCAPS_SOURCE "libvirt domcapabilities host-model"
/* libvirt knows some 600 x86 features; a host model or blocker list longer than this is not
 * libvirt's, and refusing it keeps hostile files cheap. */
#define MAX_FEATURE_ELEMENTS 2048

struct host_model {
    const char *model, *vendor, *maxphys_mode, *maxphys_limit;
    xmlNodePtr mode; /* <mode name='host-model'> */
};

/* The capability file's token: what its schema accepts in a name or a property value. */
#define TOKEN_MAX 256

static bool token(const char *s)
{
    size_t n = strlen(s);

    return n > 0 && n <= TOKEN_MAX;
}

static xmlNodePtr mode_named(xmlNodePtr cpu, const char *name)
{
    for (xmlNodePtr c = cpu ? cpu->children : NULL; c; c = c->next) {
        const char *n = cc_xml_is(c, "mode") ? cc_xml_attr(c, "name") : NULL;
        if (n && strcmp(n, name) == 0)
            return c;
    }
    return NULL;
}

/* Text of a simple element; the caller frees it. */
static char *text_of(xmlNodePtr n)
{
    xmlChar *t = n ? xmlNodeGetContent(n) : NULL;
    char *s = t ? strdup((const char *)t) : NULL;

    xmlFree(t);
    return s;
}

static int check_arch(const char *path, xmlNodePtr root)
{
    _cleanup_free_ char *arch = text_of(cc_xml_child(root, "arch"));
    _cleanup_free_ char *domain = text_of(cc_xml_child(root, "domain"));

    if (!arch)
        return cc_error(EINVAL, "%s: domain capabilities without <arch>", path);
    if (strcmp(arch, "x86_64") != 0)
        return cc_error(ENOTSUP,
                        "%s: domain capabilities for architecture '%s'; only x86_64 is imported",
                        path, arch);
    if (!domain || strcmp(domain, "kvm") != 0)
        return cc_error(ENOTSUP,
                        "%s: domain capabilities for domain type '%s', not kvm: its host model is "
                        "not what KVM gives a guest",
                        path, domain ? domain : "(none)");
    return 0;
}

/* The releases whose map defines the model and every feature the file names: the file does not
 * say which libvirt wrote it. */
static int candidate_releases(const char *path, const struct x86_lv_map *map,
                              const struct host_model *hm, unsigned *out)
{
    size_t n = 0;

    for (xmlNodePtr c = hm->mode->children; c; c = c->next)
        if (cc_xml_is(c, "feature") && ++n > MAX_FEATURE_ELEMENTS)
            return cc_error(E2BIG, "%s: host model with more than %d features", path,
                            MAX_FEATURE_ELEMENTS);
    *out = 0;
    for (size_t rel = 0; rel < map->n_releases; rel++)
        if (x86_lv_model_find(map, rel, hm->model))
            *out |= 1u << rel;
    if (!*out)
        return cc_error(ENOENT, "%s: host model '%s' is not a libvirt x86 CPU model", path,
                        hm->model);
    for (xmlNodePtr c = hm->mode->children; c; c = c->next) {
        const char *name = cc_xml_is(c, "feature") ? cc_xml_attr(c, "name") : NULL;
        unsigned has = 0;

        if (!cc_xml_is(c, "feature"))
            continue;
        if (!name)
            return cc_error(EINVAL, "%s: line %ld: <feature> without a name", path,
                            xmlGetLineNo(c));
        for (size_t rel = 0; rel < map->n_releases; rel++)
            if (x86_lv_feature_find(map, rel, name))
                has |= 1u << rel;
        if (!has)
            return cc_error(ENOENT, "%s: line %ld: unknown libvirt feature '%s'", path,
                            xmlGetLineNo(c), name);
        if (*out & has)
            *out &= has;
    }
    return 0;
}

/* The host model's features under one release: the model's libvirt data, plus the required,
 * minus the disabled ones. */
static int features_under(const char *path, const struct x86_lv_map *map, size_t rel,
                          const struct host_model *hm, bool *in)
{
    struct x86_lv_resolved res;
    int r = x86_lv_resolve(map, rel, hm->model, &res);

    if (r < 0)
        return cc_error_prefix(r, "%s", path);
    memcpy(in, res.in, map->n_features * sizeof(*in));
    x86_lv_resolved_fini(&res);
    for (xmlNodePtr c = hm->mode->children; c; c = c->next) {
        const char *name = cc_xml_is(c, "feature") ? cc_xml_attr(c, "name") : NULL;
        const char *policy = name ? cc_xml_attr(c, "policy") : NULL;
        const struct x86_lv_feature *f;

        if (!name || !(f = x86_lv_feature_find(map, rel, name)))
            continue;
        if (!policy || (strcmp(policy, "require") && strcmp(policy, "disable")))
            return cc_error(EINVAL,
                            "%s: line %ld: feature %s: policy '%s', want require or disable", path,
                            xmlGetLineNo(c), name, policy ? policy : "(none)");
        in[f - map->features] = policy[0] == 'r';
    }
    return 0;
}

static int set_bit(struct x86_raw *raw, uint32_t leaf, uint32_t sub, enum x86_reg reg, unsigned bit)
{
    const struct x86_cpuid *e = x86_raw_cpuid(raw, leaf, sub);
    uint32_t regs[4] = {0};

    if (e)
        memcpy(regs, e->r, sizeof(regs));
    regs[reg] |= 1u << bit;
    return x86_raw_set_cpuid(raw, leaf, sub, regs);
}

static int set_msr_bit(struct x86_raw *raw, uint32_t index, unsigned bit)
{
    const struct x86_msr *m = x86_raw_msr(raw, index);

    return x86_raw_set_msr(raw, index, (m ? m->value : 0) | 1ULL << bit);
}

/* libvirt's CPU map has no KVM paravirtual features (leaf 0x40000001), but on a kvm domain KVM
 * offers them whatever the CPU: the ones QEMU's named models turn on under KVM are added. */
static int add_kvm_paravirt(const struct x86_catalog *cat, const struct x86_rules *rules,
                            struct x86_raw *raw)
{
    int r = 0;

    for (size_t i = 0; i < cat->n_features && r == 0; i++) {
        const struct x86_feature *f = &cat->features[i];
        const struct x86_word *w = &cat->words[f->word];

        if (f->paravirt && !w->is_msr && x86_words_has(cat, &rules->defaults_on, f))
            for (unsigned b = 0; b < 32 && r == 0; b++)
                if (f->bits >> b & 1)
                    r = set_bit(raw, w->leaf, w->has_subleaf ? w->subleaf : 0, w->reg, b);
    }
    return r;
}

int x86_lv_build_raw(const struct x86_catalog *cat, const struct x86_rules *rules,
                     const struct x86_lv_map *map, const bool *in, const char *vendor,
                     bool kvm_paravirt, struct x86_raw *raw)
{
    uint32_t level = 1, xlevel = 0x80000000, vregs[3] = {0};
    int r = kvm_paravirt ? add_kvm_paravirt(cat, rules, raw) : 0;

    for (size_t i = 0; i < map->n_features && r == 0; i++) {
        const struct x86_lv_feature *f = &map->features[i];

        if (!in[i])
            continue;
        if (f->is_msr) {
            /* Catalog words of the VMX controls hold the allowed-1 half of the MSR. */
            bool hi = f->word >= 0 && cat->words[f->word].allowed1_decode;
            r = set_msr_bit(raw, f->msr, f->bit + (hi ? 32 : 0));
            continue;
        }
        r = set_bit(raw, f->leaf, f->subleaf, f->reg, f->bit);
        if (f->leaf < 0x40000000 && f->leaf > level)
            level = f->leaf;
        if (f->leaf >= 0x80000000 && f->leaf < 0x80010000 && f->leaf > xlevel)
            xlevel = f->leaf;
    }
    for (int i = 0; i < 3; i++)
        vregs[i] = x86_text_reg(vendor + 4 * i);
    if (r == 0) {
        uint32_t l0[4] = {level, vregs[0], vregs[2], vregs[1]}; /* EBX EDX ECX */
        const struct x86_cpuid *e = x86_raw_cpuid(raw, 0x80000000, 0);
        uint32_t x0[4] = {xlevel, 0, 0, 0};

        if (e)
            memcpy(x0 + 1, e->r + 1, 3 * sizeof(uint32_t));
        r = x86_raw_set_cpuid(raw, 0, 0, l0);
        if (r == 0 && !x86_raw_cpuid(raw, 1, 0)) /* the leaf exists; no signature is known */
            r = x86_raw_set_cpuid(raw, 1, 0, (const uint32_t[4]){0});
        if (r == 0)
            r = x86_raw_set_cpuid(raw, 0x80000000, 0, x0);
    }
    /* XSAVE state components are not libvirt features: KVM offers the ones whose enabling
     * feature it offers. */
    for (unsigned comp = 0; comp < 64 && r == 0; comp++) {
        int fi = cat->xsave_feature[comp];
        bool xcr0 = rules->xcr0_mask >> comp & 1, xss = rules->xss_mask >> comp & 1;
        int wi = xcr0  ? (comp < 32 ? rules->w_xcr0_lo : rules->w_xcr0_hi)
                 : xss ? (comp < 32 ? rules->w_xss_lo : rules->w_xss_hi)
                       : -1;

        if (fi < 0 || wi < 0 || !x86_feature_present(cat, &cat->features[fi], raw))
            continue;
        r = set_bit(raw, cat->words[wi].leaf, cat->words[wi].subleaf, cat->words[wi].reg,
                    comp % 32);
    }
    /* KVM's signature leaf, so the paravirtual leaf 0x40000001 is in range. */
    if (r == 0 && (x86_raw_cpuid(raw, 0x40000001, 0))) {
        uint32_t kvm[4] = {0x40000001, 0x4b4d564b, 0x564b4d56, 0x4d};
        r = x86_raw_set_cpuid(raw, 0x40000000, 0, kvm);
    }
    x86_raw_sort(raw);
    return r;
}

static int read_host_model(const char *path, xmlNodePtr cpu, struct host_model *hm)
{
    const char *supported;
    xmlNodePtr model, vendor, maxphys;

    hm->mode = mode_named(cpu, "host-model");
    if (!hm->mode)
        return cc_error(EINVAL, "%s: no <cpu><mode name='host-model'>", path);
    supported = cc_xml_attr(hm->mode, "supported");
    if (!supported || strcmp(supported, "yes") != 0)
        return cc_error(ENOTSUP, "%s: libvirt reports no host model (supported='%s')", path,
                        supported ? supported : "(none)");
    model = cc_xml_child(hm->mode, "model");
    vendor = cc_xml_child(hm->mode, "vendor");
    maxphys = cc_xml_child(hm->mode, "maxphysaddr");
    hm->model = model && model->children && model->children->type == XML_TEXT_NODE
                    ? (const char *)model->children->content
                    : NULL;
    if (!hm->model || !*hm->model)
        return cc_error(EINVAL, "%s: host-model <mode> without a <model>", path);
    if (vendor)
        hm->vendor = vendor->children && vendor->children->type == XML_TEXT_NODE
                         ? (const char *)vendor->children->content
                         : "";
    if (maxphys) {
        const char *mode = cc_xml_attr(maxphys, "mode"), *limit = cc_xml_attr(maxphys, "limit");

        if (!mode || (strcmp(mode, "passthrough") && strcmp(mode, "emulate")) ||
            (limit &&
             (!*limit || strspn(limit, "0123456789") != strlen(limit) || strlen(limit) > 3)))
            return cc_error(EINVAL, "%s: line %ld: <maxphysaddr> with mode '%s' and limit '%s'",
                            path, xmlGetLineNo(maxphys), mode ? mode : "(none)",
                            limit ? limit : "(none)");
        hm->maxphys_mode = mode;
        hm->maxphys_limit = limit;
    }
    return 0;
}

/* Custom mode's per-model answers, kept as the file gives them. */
static int read_reported(const char *path, xmlNodePtr cpu, struct cc_view *view)
{
    xmlNodePtr custom = mode_named(cpu, "custom");
    int r = 0;

    if (!custom)
        return 0;
    if (!(view->reported_by = strdup("libvirt domcapabilities")))
        return cc_error(ENOMEM, "out of memory");
    for (xmlNodePtr c = custom->children; c && r == 0; c = c->next) {
        _cleanup_free_ char *name = NULL;
        struct cc_reported_model *m;

        if (cc_xml_is(c, "model")) {
            const char *usable = cc_xml_attr(c, "usable");
            const char *canonical = cc_xml_attr(c, "canonical");

            if (!(name = text_of(c)) || !token(name) || !usable ||
                (strcmp(usable, "yes") && strcmp(usable, "no") && strcmp(usable, "unknown")) ||
                (canonical && !token(canonical)))
                return cc_error(EINVAL,
                                "%s: line %ld: custom <model> needs a name of 1 to %d "
                                "characters and usable yes, no or unknown",
                                path, xmlGetLineNo(c), TOKEN_MAX);
            r = cc_view_add_reported(view, name, usable, canonical);
            if (r < 0)
                return cc_error_prefix(-r, "%s: line %ld", path, xmlGetLineNo(c));
        } else if (cc_xml_is(c, "blockers")) {
            const char *of = cc_xml_attr(c, "model");
            struct cc_strlist list = {0};

            if (!of || !(m = cc_view_reported(view, of)))
                return cc_error(EINVAL, "%s: line %ld: <blockers> of a model not listed before",
                                path, xmlGetLineNo(c));
            for (xmlNodePtr f = c->children; f && r == 0; f = f->next) {
                if (list.n == MAX_FEATURE_ELEMENTS)
                    r = cc_error(E2BIG, "%s: line %ld: more than %d blockers", path,
                                 xmlGetLineNo(c), MAX_FEATURE_ELEMENTS);
                else if (cc_xml_is(f, "feature") && cc_xml_attr(f, "name"))
                    r = cc_strlist_add(&list, cc_xml_attr(f, "name"));
            }
            if (r == 0)
                r = cc_reported_set_blockers(m, &list);
            cc_strlist_free(&list);
        }
    }
    return r;
}

static int set_origin(struct cc_doc *doc, const char *path, xmlNodePtr root)
{
    _cleanup_free_ char *emulator = text_of(cc_xml_child(root, "path"));
    _cleanup_free_ char *machine = text_of(cc_xml_child(root, "machine"));
    int r = cc_doc_stamp_import(doc, "libvirt-domcaps", path);

    if (r == 0 && emulator && *emulator)
        r = cc_kv_set(&doc->origin, "qemu-binary", emulator);
    if (r == 0 && machine && *machine) {
        if (!token(machine))
            return cc_error(EINVAL, "%s: <machine> longer than %d characters", path, TOKEN_MAX);
        r = cc_kv_set(&doc->origin, "machine", machine);
    }
    return r;
}

int x86_import_domcaps(struct cc_ctx *ctx, const char *path, struct cc_doc *doc)
{
    _cleanup_xmldoc_ xmlDocPtr xdoc = NULL;
    _cleanup_free_ bool *in = NULL, *tmp = NULL;
    const struct x86_catalog *cat;
    const struct x86_lv_map *map;
    const struct x86_rules *rules;
    struct host_model hm = {0};
    struct cc_kvlist props = {0};
    struct cc_view *view;
    struct x86_raw *raw;
    const char *vstring;
    xmlNodePtr root, cpu;
    unsigned rels = 0;
    int r = cc_xml_load(path, &xdoc);

    if (r < 0)
        return r;
    root = xmlDocGetRootElement(xdoc);
    if (!root || strcmp((const char *)root->name, "domainCapabilities") != 0)
        return cc_error(EINVAL, "%s: not libvirt domain capabilities (root element <%s>)", path,
                        root ? (const char *)root->name : "none");
    if ((r = check_arch(path, root)) < 0)
        return r;
    cpu = cc_xml_child(root, "cpu");
    if ((r = read_host_model(path, cpu, &hm)) < 0)
        return r;
    if ((r = x86_catalog_get(ctx, &cat)) < 0 || (r = x86_lv_map_get(ctx, cat, &map)) < 0 ||
        (r = x86_rules_get(ctx, cat, &rules)) < 0)
        return r;
    if (!hm.vendor)
        return cc_error(EINVAL, "%s: host model without a <vendor>", path);
    if (!(vstring = cc_kv_get(&map->vendors, hm.vendor)))
        return cc_error(EINVAL, "%s: unknown CPU vendor '%s'", path, hm.vendor);
    if ((r = candidate_releases(path, map, &hm, &rels)) < 0)
        return r;
    in = calloc(map->n_features, sizeof(*in));
    tmp = calloc(map->n_features, sizeof(*tmp));
    if (!in || !tmp)
        return cc_error(ENOMEM, "out of memory");
    /* Under every release the file could come from: a feature counts only if all agree, so a
     * model that grew features in a newer libvirt never lends them to an older file's host. */
    memset(in, 1, map->n_features * sizeof(*in));
    for (size_t rel = 0; rel < map->n_releases; rel++) {
        if (!(rels >> rel & 1))
            continue;
        if ((r = features_under(path, map, rel, &hm, tmp)) < 0)
            return r;
        for (size_t i = 0; i < map->n_features; i++)
            in[i] = in[i] && tmp[i];
    }
    if (!(raw = x86_raw_new()))
        return cc_error(ENOMEM, "out of memory");
    r = x86_lv_build_raw(cat, rules, map, in, vstring, true, raw);
    if (r == 0)
        r = x86_identity_from_raw(doc, raw, path);
    if (r == 0)
        r = set_origin(doc, path, root);
    if (r == 0)
        r = cc_kv_set(&props, "libvirt-host-model", hm.model);
    if (r == 0)
        r = cc_kv_set(&props, "signature", "unknown");
    if (r == 0)
        r = cc_kv_set(&props, "kvm-paravirt", "assumed");
    if (r == 0 && hm.maxphys_mode)
        r = cc_kv_set(&props, "maxphysaddr-mode", hm.maxphys_mode);
    if (r == 0 && hm.maxphys_limit)
        r = cc_kv_set(&props, "maxphysaddr-limit", hm.maxphys_limit);
    if ((r = cc_doc_finish_view(doc, r, "kvm", DOMCAPS_SOURCE, raw, &props, &view)) < 0)
        return r;
    return read_reported(path, cpu, view);
}
