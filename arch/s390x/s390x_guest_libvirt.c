/* `compare --guest FILE` on s390x: a libvirt <cpu> becomes the -cpu string libvirt gives QEMU for
 * it (virCPUUpdate with the s390 CPU driver, then qemuBuildCpuModelArgStr), and that string is
 * judged as `compare --model STRING` judges it. libvirt leaves every runnability check on s390x to
 * QEMU (virCPUs390Compare answers "identical" whatever it is given): what it adds is its own
 * refusals, the host model it expands host-model from, and the forbidden-feature check against
 * the host model it reads from QEMU. Facts: data/s390x/libvirt-guest.xml. */
#include "s390x.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"
#include "../../core/libvirt_cpu.h"
#include "../../core/qemu.h"
#include "../../core/xml_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct guest {
    struct cc_lv_cpu c;
    const char *deprecated; /* deprecated_features: "on", "off" or NULL */
    unsigned deprecated_since;
    struct cc_strlist deprecated_props;
};

struct facts_reader {
    const char *file;
    struct guest *g;
    bool root, in_props;
};

static int facts_start(void *user, const char *el, const char *const *attrs, int line)
{
    struct facts_reader *fr = user;
    const char *s;

    if (!strcmp(el, "s390x-libvirt-guest")) {
        fr->root = true;
        return 0;
    }
    if (!fr->root)
        return cc_error(EINVAL, "%s: not an s390x libvirt guest table", fr->file);
    if (!strcmp(el, "deprecated-props")) {
        fr->in_props = true;
        if (!(s = cc_xml_pair(attrs, "since")) ||
            cc_qemu_version_parse(s, 3, &fr->g->deprecated_since) < 0)
            return cc_error(EINVAL, "%s: line %d: bad or missing 'since'", fr->file, line);
        return 0;
    }
    if (!strcmp(el, "feature") && fr->in_props && (s = cc_xml_pair(attrs, "name")))
        return cc_strlist_add(&fr->g->deprecated_props, s);
    return cc_error(EINVAL, "%s: line %d: unexpected <%s>", fr->file, line, el);
}

static int facts_load(struct cc_ctx *ctx, struct guest *g)
{
    static const struct cc_xml_sax handler = {.start = facts_start};
    _cleanup_free_ char *path = NULL;
    struct facts_reader fr = {.g = g};
    int r = cc_ctx_arch_path(ctx, &s390x_arch_ops, "libvirt-guest.xml", &path);

    if (r < 0)
        return r;
    fr.file = path;
    if ((r = cc_xml_sax_file(path, &handler, &fr)) < 0)
        return r;
    if (!g->deprecated_since || !g->deprecated_props.n)
        return cc_error(EINVAL, "%s: no deprecated-props", path);
    return 0;
}

/* What libvirt refuses in the file itself, whatever the hosts. */
static int guest_read(struct cc_ctx *ctx, const struct s390x_catalog *cat, struct guest *g,
                      const char *file)
{
    static const char *const onoff[] = {"on", "off", NULL};
    const struct cc_lv_cpu *c = &g->c;
    int r = cc_lv_cpu_read(file, &g->c);

    if (r == 0)
        r = cc_lv_attr_choice(file, c->cpu, "deprecated_features", onoff, &g->deprecated);
    if (r < 0)
        return r;
    /* ENOENT, as for another architecture's model: inventory's classes of other architectures
     * take such a guest for none of theirs. */
    if (c->os_arch && strcmp(c->os_arch, "s390x") && strcmp(c->os_arch, "s390"))
        return cc_error(ENOENT, "%s: the domain is for %.40s; these files are s390x", file,
                        c->os_arch);
    if (c->arch && strcmp(c->arch, "s390x"))
        return cc_error(ENOENT, "%s: the guest CPU is for %.40s; these files are s390x", file,
                        c->arch);
    /* Another architecture's model first (inventory's classes pass it by, ENOENT), before
     * anything libvirt would refuse of it on s390x. */
    if (c->mode == CC_LV_CUSTOM) {
        char name[64];
        size_t n = strlen(c->model);

        snprintf(name, sizeof(name), "%s", c->model);
        if (n > 5 && n < sizeof(name) && !strcmp(name + n - 5, "-base"))
            name[n - 5] = '\0';
        if (!s390x_def_find(cat, name))
            return cc_error_prefix(-cc_model_unknown(ctx, &s390x_arch_ops, name), "%s", file);
    }
    if (c->mode == CC_LV_MAXIMUM)
        return cc_error(ENOTSUP,
                        "%s: <cpu mode='maximum'> is every feature the host has, migratable "
                        "nowhere by design",
                        file);
    /* QEMU's s390x CPU has no migratable property, so libvirt has no QEMU_CAPS_CPU_MIGRATABLE. */
    if (c->migratable && !strcmp(c->migratable, "on"))
        return cc_error(EINVAL,
                        "%s: <cpu migratable='on'>: libvirt refuses it on s390x (QEMU's s390x CPU "
                        "has no migratable property)",
                        file);
    /* virCPUs390Update: match='minimum' and optional features make the guest relative to the
     * host, which the s390 driver refuses for a custom CPU (virCPUs390ValidateFeatures refuses
     * optional features in any mode). */
    if (c->mode == CC_LV_CUSTOM && c->match && !strcmp(c->match, "minimum"))
        return cc_error(EINVAL,
                        "%s: <cpu match='minimum'>: libvirt refuses it on s390x (match mode "
                        "minimum not supported)",
                        file);
    for (size_t i = 0; i < c->n_features; i++)
        if (c->features[i].policy == CC_LV_OPTIONAL)
            return cc_error(EINVAL,
                            "%s: line %ld: feature %.80s: policy 'optional': libvirt refuses it "
                            "on s390x (only require and disable, and force and forbid as those)",
                            file, c->features[i].line, c->features[i].name);
    if (c->model && c->vendor_id && c->mode == CC_LV_CUSTOM)
        return cc_error(EINVAL,
                        "%s: <model vendor_id='%.40s'>: QEMU's s390x CPUs have no vendor property",
                        file, c->vendor_id);
    return 0;
}

/* The host model libvirt reads from QEMU on a host: QEMU's static expansion of it. */
static int host_expansion(struct cc_ctx *ctx, const struct s390x_catalog *cat,
                          const struct cc_doc *doc, const char *file, struct s390x_model *m,
                          struct cc_kvlist *props)
{
    struct cc_strlist notes = {0}; /* s390x_compare_string notes the assumed release */
    int r = s390x_host_judged(ctx, cat, doc, file, m, &notes);

    cc_strlist_free(&notes);
    return r < 0 ? r : s390x_static_expansion(cat, m, props);
}

/* The guest's features over props: virCPUDefUpdateFeature gives a feature props already has the
 * guest's policy in place, and qemuBuildCpuModelArgStr writes require and force as =on, disable
 * and forbid as =off; then virQEMUCapsUpdateCPUDeprecatedFeatures, after the update. */
static int guest_props(const struct guest *g, struct cc_kvlist *props)
{
    int r = 0;

    for (size_t i = 0; i < g->c.n_features && r == 0; i++) {
        enum cc_lv_policy p = g->c.features[i].policy;
        r = cc_kv_set(props, g->c.features[i].name,
                      p == CC_LV_REQUIRE || p == CC_LV_FORCE ? "on" : "off");
    }
    for (size_t i = 0;
         g->deprecated && !strcmp(g->deprecated, "off") && r == 0 && i < g->deprecated_props.n; i++)
        r = cc_kv_set(props, g->deprecated_props.items[i], "off");
    return r;
}

/* The CPU the guest gets when started on host (any for custom): for host-model and
 * host-passthrough, that host's model as QEMU's static expansion names it, plus the guest's
 * features. */
static int guest_string(struct cc_ctx *ctx, const struct s390x_catalog *cat, const struct guest *g,
                        const struct cc_doc *host, const char *host_file, char **out)
{
    struct cc_kvlist props = {0};
    struct s390x_model m;
    char base[64];
    int r = 0;

    if (g->c.mode != CC_LV_CUSTOM &&
        (r = host_expansion(ctx, cat, host, host_file, &m, &props)) == 0)
        snprintf(base, sizeof(base), "%s-base", m.def->name);
    if (r == 0)
        r = guest_props(g, &props);
    if (r == 0)
        r = s390x_model_string(g->c.mode == CC_LV_CUSTOM ? g->c.model : base, &props, out);
    cc_kv_free(&props);
    return r;
}

/* The -cpu string libvirt writes on the command line: for host-passthrough "host" and the
 * guest's features; otherwise what guest_string judges. */
static int argv_string(const struct guest *g, const char *judged, char **out)
{
    struct cc_kvlist props = {0};
    int r;

    if (g->c.mode != CC_LV_HOST_PASSTHROUGH)
        return (*out = strdup(judged)) ? 0 : cc_error(ENOMEM, "out of memory");
    r = guest_props(g, &props);
    if (r == 0)
        r = s390x_model_string("host", &props, out);
    cc_kv_free(&props);
    return r;
}

/* What libvirt refuses on one host where the guest starts: deprecated_features with a QEMU that
 * cannot toggle them, a forbidden feature the host model lists on (virCPUCheckForbiddenFeatures
 * looks the name up in the host model as QEMU's static expansion names it). */
static int host_refusals(struct cc_ctx *ctx, const struct s390x_catalog *cat, const struct guest *g,
                         const struct cc_doc *doc, const char *file, const char *who,
                         struct cc_verdict *v)
{
    struct cc_kvlist props = {0};
    struct s390x_model m;
    int r = host_expansion(ctx, cat, doc, file, &m, &props);

    if (r == 0 && g->deprecated && m.qemu < g->deprecated_since) {
        char q[CC_QEMU_VERSION_LEN], since[CC_QEMU_VERSION_LEN];

        cc_qemu_version_format(m.qemu, q, sizeof(q));
        cc_qemu_version_format(g->deprecated_since, since, sizeof(since));
        r = cc_blockers_add(&v->blockers, "deprecated_features", "QEMU", CC_REASON_MISSING,
                            "QEMU %s of %s reports no deprecated features (first in %s): libvirt "
                            "refuses to toggle them",
                            q, who, since);
    }
    for (size_t i = 0; i < g->c.n_features && r == 0 && (!g->c.check || strcmp(g->c.check, "none"));
         i++) {
        const char *name = g->c.features[i].name, *on = cc_kv_get(&props, name);

        if (g->c.features[i].policy == CC_LV_FORBID && on && !strcmp(on, "on"))
            r = cc_blockers_add(&v->blockers, name, "host model", CC_REASON_MUST_EQUAL,
                                "the guest forbids it and the host model of %s has it (libvirt: "
                                "host CPU provides forbidden feature)",
                                who);
    }
    cc_kv_free(&props);
    return r;
}

/* host-passthrough: -cpu host is each host's own model, so the destination must show the guest
 * exactly the source's. */
static int passthrough_same(struct cc_ctx *ctx, const struct s390x_catalog *cat,
                            const struct guest *g, const struct cc_doc *src, const char *src_file,
                            const struct cc_doc *dst, const char *dst_file, struct cc_verdict *v)
{
    _cleanup_free_ char *s = NULL, *d = NULL;
    struct s390x_model sm, dm;
    int r = guest_string(ctx, cat, g, src, src_file, &s);

    if (r == 0)
        r = guest_string(ctx, cat, g, dst, dst_file, &d);
    if (r == 0)
        r = s390x_model_parse(ctx, &s390x_arch_ops, cat, s, &sm);
    if (r == 0)
        r = s390x_model_parse(ctx, &s390x_arch_ops, cat, d, &dm);
    if (r < 0)
        return r;
    if (sm.def != dm.def)
        r = cc_blockers_add(&v->blockers, "type", "CPU generation", CC_REASON_MUST_EQUAL,
                            "host-passthrough shows the host's CPU definition: source %s, "
                            "destination %s",
                            sm.def->name, dm.def->name);
    for (size_t i = 0; i < v->extra.n && r == 0; i++)
        r = cc_blockers_add(&v->blockers, v->extra.items[i], "", CC_REASON_MUST_EQUAL,
                            "host-passthrough: the destination has it and the source does not; "
                            "the guest would see its CPU change");
    return r;
}

int s390x_guest_libvirt_compare(struct cc_ctx *ctx, const struct cc_doc *src, const char *src_file,
                                const struct cc_doc *dst, const char *dst_file, const char *file,
                                const struct cc_compare_opts *opts, struct cc_verdict *v)
{
    _cleanup_free_ char *spec = NULL, *argv = NULL, *src_who = NULL;
    const struct s390x_catalog *cat;
    struct s390x_model parsed;
    struct guest g = {0};
    const char *mode;
    int r;

    (void)opts; /* s390x has no options of its own */
    r = s390x_catalog_get(ctx, &cat);
    if (r == 0)
        r = guest_read(ctx, cat, &g, file);
    if (r == 0)
        r = facts_load(ctx, &g);
    if (r < 0)
        goto out;
    mode = cc_lv_mode_name(g.c.mode);
    if (g.c.mode != CC_LV_CUSTOM && !src) {
        r = cc_error(EINVAL,
                     "%s: a %s guest takes its CPU from the source host (libvirt expands it "
                     "there); give SRC and DST",
                     file, mode);
        goto out;
    }
    if ((r = guest_string(ctx, cat, &g, src, src_file, &spec)) < 0 ||
        (r = argv_string(&g, spec, &argv)) < 0)
        goto out;
    /* QEMU's refusal of the string libvirt would give it names the file it came from. */
    if ((r = s390x_model_parse(ctx, &s390x_arch_ops, cat, spec, &parsed)) < 0) {
        r = cc_error_prefix(-r, "%s", file);
        goto out;
    }
    if ((r = s390x_compare_string(ctx, src, src_file, dst, dst_file, spec, true, v)) < 0)
        goto out;
    if (src && asprintf(&src_who, "the source %s", src_file) < 0) {
        r = cc_error(ENOMEM, "out of memory");
        goto out;
    }
    if (src)
        r = host_refusals(ctx, cat, &g, src, src_file, src_who, v);
    if (r == 0)
        r = host_refusals(ctx, cat, &g, dst, dst_file, "the destination", v);
    if (r == 0 && g.c.mode == CC_LV_HOST_PASSTHROUGH)
        r = passthrough_same(ctx, cat, &g, src, src_file, dst, dst_file, v);
    if (r == 0 && g.c.check && !strcmp(g.c.check, "none"))
        r = cc_strlist_add(&v->notes, "check='none': libvirt skips its forbidden-feature check; "
                                      "QEMU still refuses what the host cannot give");
    if (r < 0)
        goto out;
    if (v->blockers.n) {
        v->migratable = false;
        v->relation = CC_INCOMPATIBLE;
    }
    free(v->guest);
    if (g.c.mode == CC_LV_HOST_PASSTHROUGH
            ? asprintf(&v->guest, "libvirt %s of %s: -cpu %s (on the source: %s)", mode, file, argv,
                       spec) < 0
            : asprintf(&v->guest, "libvirt %s of %s: -cpu %s", mode, file, argv) < 0) {
        v->guest = NULL;
        r = cc_error(ENOMEM, "out of memory");
    }
out:
    cc_strlist_free(&g.deprecated_props);
    cc_lv_cpu_free(&g.c);
    return r;
}
