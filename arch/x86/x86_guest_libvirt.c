/* `compare --guest FILE`: a guest CPU as libvirt defines it (a domain XML or its bare <cpu>),
 * judged on one host (does it run there) or on two (does it run on the source, and can it move
 * to the destination). Features are judged as libvirt's CPU map defines them (CPUID and MSR bits),
 * with libvirt's meaning of each policy; where libvirt and QEMU under KVM disagree (force) QEMU's
 * answer wins, since QEMU is what runs the guest. The file is read by core/libvirt_cpu.c. */
#include "x86_engine.h"
#include "x86_guest_libvirt.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"
#include "../../core/libvirt_cpu.h"
#include "../../core/qemu.h"
#include "../../core/suggest.h"
#include "../../core/xml_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum lv_mode { MODE_CUSTOM, MODE_HOST_MODEL, MODE_PASSTHROUGH };

struct lv_guest {
    const struct cc_lv_cpu *c;
    const char *file;
    enum lv_mode mode;
    const char *model, *vendor, *match, *check, *migratable, *arch;
    const char *maxphys_mode;
    unsigned maxphys_bits, maxphys_limit;
    size_t release;
    const char *older_release; /* --libvirt-map older than every map: read as the oldest */
    bool strict;
    enum cc_lv_policy *policy; /* per map feature: what the guest says of it (NONE: nothing) */
    bool *req; /* per map feature: the guest gets it and needs the host to have it */
};

/* " (did you mean 'NAME'?)" for the libvirt model or feature nearest to name, or "". */
static const char *near_model(const struct x86_lv_map *map, const char *name, char *buf, size_t len)
{
    struct cc_suggest s;

    cc_suggest_init(&s, name);
    for (size_t i = 0; i < map->n_models; i++)
        cc_suggest_add(&s, map->models[i].name);
    return cc_suggest_text(cc_suggest_best(&s), buf, len);
}

static const char *near_feature(const struct x86_lv_map *map, const char *name, char *buf,
                                size_t len)
{
    struct cc_suggest s;

    cc_suggest_init(&s, name);
    for (size_t i = 0; i < map->n_features; i++)
        cc_suggest_add(&s, map->features[i].name);
    return cc_suggest_text(cc_suggest_best(&s), buf, len);
}

/* What the generic reader leaves to x86: mode maximum, and <maxphysaddr>. */
static int read_attrs(struct lv_guest *g)
{
    static const char *const physmodes[] = {"passthrough", "emulate", NULL};
    const struct cc_lv_cpu *c = g->c;
    xmlNodePtr n;
    int r;

    if (c->os_arch && strcmp(c->os_arch, "x86_64") != 0 && strcmp(c->os_arch, "i686") != 0)
        return cc_error(ENOENT,
                        "%s: the domain is an %.40s guest (<os><type arch='%.40s'>); these files "
                        "are x86_64",
                        g->file, c->os_arch, c->os_arch);
    if (c->mode == CC_LV_MAXIMUM)
        return cc_error(ENOTSUP,
                        "%s: <cpu mode='maximum'> is every feature the host has, migratable "
                        "nowhere by design",
                        g->file);
    g->mode = c->mode == CC_LV_CUSTOM       ? MODE_CUSTOM
              : c->mode == CC_LV_HOST_MODEL ? MODE_HOST_MODEL
                                            : MODE_PASSTHROUGH;
    g->match = c->match;
    g->check = c->check;
    g->migratable = c->migratable;
    g->arch = c->arch;
    g->model = c->model;
    g->vendor = c->vendor;
    g->strict = g->match && !strcmp(g->match, "strict");
    if ((n = cc_xml_child(c->cpu, "maxphysaddr"))) {
        if ((r = cc_lv_attr_choice(g->file, n, "mode", physmodes, &g->maxphys_mode)) < 0 ||
            (r = cc_lv_attr_uint(g->file, n, "bits", 64, &g->maxphys_bits)) < 0 ||
            (r = cc_lv_attr_uint(g->file, n, "limit", 64, &g->maxphys_limit)) < 0)
            return r;
        if (!g->maxphys_mode)
            return cc_error(EINVAL, "%s: line %ld: <maxphysaddr> without a mode", g->file,
                            xmlGetLineNo(n));
        if (!strcmp(g->maxphys_mode, "emulate") && !g->maxphys_bits)
            return cc_error(EINVAL, "%s: line %ld: <maxphysaddr mode='emulate'> without bits",
                            g->file, xmlGetLineNo(n));
    }
    return 0;
}

/* The release whose map has the model and every named feature: the newest that does, since
 * the file does not say which libvirt wrote it. Unknown names are errors with a suggestion. */
static int pick_release(struct lv_guest *g, const struct x86_lv_map *map, const char *release)
{
    const struct cc_lv_cpu *c = g->c;
    char hint[CC_SUGGEST_MAX + 32];

    if (release) {
        int rel = x86_lv_release(map, release);
        unsigned want, have;

        /* A release between two the map holds reads models as the older one does: libvirt
         * changes a model's definition only in a release that adds to the map. One older than
         * them all reads as the oldest, with a note: the nearest definitions known. */
        if (rel < 0 && cc_qemu_version_parse(release, 3, &want) == 0) {
            for (size_t i = 0; i < map->n_releases; i++)
                if (cc_qemu_version_parse(map->releases[i], 3, &have) == 0 && have <= want)
                    rel = (int)i;
            if (rel < 0) {
                rel = 0;
                g->older_release = release;
            }
        }
        if (rel < 0)
            return cc_error(ENOENT,
                            "libvirt release '%s' is not a release number (the CPU map has %s ... "
                            "%s)",
                            release, map->releases[0], map->releases[map->n_releases - 1]);
        g->release = (size_t)rel;
        if (g->model && !x86_lv_model_find(map, g->release, g->model))
            return cc_error(ENOENT, "%s: libvirt %s has no CPU model '%s'%s", g->file, release,
                            g->model, near_model(map, g->model, hint, sizeof(hint)));
        for (size_t i = 0; i < c->n_features; i++)
            if (!x86_lv_feature_find(map, g->release, c->features[i].name))
                return cc_error(ENOENT, "%s: line %ld: libvirt %s has no feature '%s'%s", g->file,
                                c->features[i].line, release, c->features[i].name,
                                near_feature(map, c->features[i].name, hint, sizeof(hint)));
        return 0;
    }
    for (size_t rel = map->n_releases; rel-- > 0;) {
        bool all = !g->model || x86_lv_model_find(map, rel, g->model);

        for (size_t i = 0; i < c->n_features && all; i++)
            all = x86_lv_feature_find(map, rel, c->features[i].name) != NULL;
        if (all) {
            g->release = rel;
            return 0;
        }
    }
    if (g->model) {
        bool known = false;
        for (size_t rel = 0; rel < map->n_releases; rel++)
            known |= x86_lv_model_find(map, rel, g->model) != NULL;
        if (!known)
            return cc_error(ENOENT, "%s: unknown libvirt CPU model '%s'%s", g->file, g->model,
                            near_model(map, g->model, hint, sizeof(hint)));
    }
    for (size_t i = 0; i < c->n_features; i++) {
        const char *name = c->features[i].name;
        bool known = false;

        for (size_t rel = 0; rel < map->n_releases; rel++)
            known |= x86_lv_feature_find(map, rel, name) != NULL;
        if (!known)
            return cc_error(ENOENT, "%s: line %ld: unknown libvirt feature '%s'%s", g->file,
                            c->features[i].line, name, near_feature(map, name, hint, sizeof(hint)));
    }
    return cc_error(ENOENT, "%s: no libvirt release defines model '%s' with all its features",
                    g->file, g->model);
}

static int read_features(struct lv_guest *g, const struct x86_lv_map *map)
{
    for (size_t i = 0; i < g->c->n_features; i++) {
        const struct cc_lv_feature *lf = &g->c->features[i];
        const struct x86_lv_feature *f = x86_lv_feature_find(map, g->release, lf->name);

        if (!f) /* pick_release found them all */
            return cc_error(ENOENT, "%s: unknown libvirt feature '%s'", g->file, lf->name);
        if (g->policy[f - map->features] != CC_LV_POLICY_NONE) /* two names of one feature */
            return cc_error(EINVAL, "%s: line %ld: feature %s given twice", g->file, lf->line,
                            lf->name);
        g->policy[f - map->features] = lf->policy;
        g->req[f - map->features] = lf->policy == CC_LV_REQUIRE || lf->policy == CC_LV_FORCE;
    }
    return 0;
}

static void guest_fini(struct lv_guest *g)
{
    free(g->policy);
    free(g->req);
}

static int guest_read(const struct x86_lv_map *map, const struct cc_lv_cpu *c, const char *release,
                      struct lv_guest *g)
{
    struct x86_lv_resolved res;
    int r;

    *g = (struct lv_guest){.c = c, .file = c->file};
    if ((r = read_attrs(g)) < 0)
        return r;
    g->policy = calloc(map->n_features, sizeof(*g->policy));
    g->req = calloc(map->n_features, sizeof(*g->req));
    if (!g->policy || !g->req)
        return cc_error(ENOMEM, "out of memory");
    if (g->mode != MODE_CUSTOM)
        g->model = NULL; /* the source host decides; libvirt ignores a model here */
    if ((r = pick_release(g, map, release)) < 0)
        return r;
    if (g->mode == MODE_CUSTOM) {
        if ((r = x86_lv_resolve(map, g->release, g->model, &res)) < 0)
            return cc_error_prefix(-r, "%s", g->file);
        memcpy(g->req, res.guest, map->n_features * sizeof(*g->req));
        x86_lv_resolved_fini(&res);
    }
    if ((r = read_features(g, map)) < 0)
        return r;
    if (g->mode != MODE_CUSTOM && c->n_features)
        return cc_error(ENOTSUP, "%s: <feature> elements under mode '%s' are not judged yet",
                        g->file, g->mode == MODE_HOST_MODEL ? "host-model" : "host-passthrough");
    if (g->vendor) {
        if (g->mode != MODE_CUSTOM)
            g->vendor = NULL;
        else if (!cc_kv_get(&map->vendors, g->vendor))
            return cc_error(ENOENT, "%s: unknown CPU vendor '%s' (libvirt knows Intel, AMD, ...)",
                            g->file, g->vendor);
    }
    return 0;
}

/* Does the host give a guest this libvirt feature: through the catalog where it knows the bit
 * (KVM's and QEMU's view of it), else the bit in the view's raw data. -1: cannot tell. */
static int host_has(const struct x86_env *env, const struct x86_lv_feature *f,
                    const struct x86_host *h)
{
    if (f->catalog >= 0) {
        const struct x86_feature *cf = &env->cat->features[f->catalog];
        if (x86_words_has(env->cat, &h->unknown, cf))
            return -1;
        return x86_words_has(env->cat, &h->supported, cf);
    }
    if (f->is_msr) {
        const struct x86_msr *m = x86_raw_msr(h->view->raw, f->msr);
        return m ? (int)(m->value >> f->bit & 1) : -1;
    }
    const struct x86_cpuid *e = x86_raw_cpuid(h->view->raw, f->leaf, f->subleaf);
    return e ? (int)(e->r[f->reg] >> f->bit & 1) : 0;
}

static const char *qemu_name(const struct x86_env *env, const struct x86_lv_feature *f)
{
    return f->catalog >= 0 ? env->cat->features[f->catalog].name : f->name;
}

static unsigned phys_bits(const struct x86_host *h)
{
    const char *p = h->kvm ? cc_kv_get(&h->view->props, "phys-bits") : NULL;
    const struct x86_cpuid *e;

    if (p)
        return (unsigned)atoi(p);
    e = x86_raw_cpuid(h->view->raw, 0x80000008, 0);
    return e ? e->r[X86_EAX] & 0xff : 0;
}

/* The address width the guest sees on a host. 0: unknown. */
static unsigned guest_phys_bits(const struct x86_env *env, const struct lv_guest *g,
                                const struct x86_host *h)
{
    unsigned hb = phys_bits(h);

    if (g->maxphys_mode && !strcmp(g->maxphys_mode, "emulate"))
        return g->maxphys_bits;
    if ((g->maxphys_mode && !strcmp(g->maxphys_mode, "passthrough")) || g->mode == MODE_PASSTHROUGH)
        return g->maxphys_limit && hb > g->maxphys_limit ? g->maxphys_limit : hb;
    return env->rules->named_phys_bits;
}

/* Does the custom guest run on host h? Blockers name who ("the destination", "the source
 * FILE"); extras: the host has a feature the guest does not name. */
static int judge_custom(const struct x86_env *env, const struct x86_lv_map *map,
                        const struct lv_guest *g, const struct x86_host *h, const char *who,
                        struct cc_verdict *v, bool *extras)
{
    const char *hv = cc_kv_get(&h->doc->identity, "vendor");
    const char *gv = g->vendor ? cc_kv_get(&map->vendors, g->vendor) : NULL;
    unsigned want = guest_phys_bits(env, g, h), have = phys_bits(h);
    int r = 0;

    *extras = false;
    if (g->arch && strcmp(g->arch, "x86_64") != 0)
        r = cc_blockers_add(&v->blockers, "arch", "", CC_REASON_MUST_EQUAL,
                            "the guest CPU is for %s; %s is x86_64", g->arch, who);
    if (r == 0 && gv && (!hv || strcmp(gv, hv) != 0))
        r = cc_blockers_add(&v->blockers, "vendor", "CPUID[0x0].EBX,EDX,ECX", CC_REASON_MUST_EQUAL,
                            "the guest asks for vendor %s (%s); %s is %s", g->vendor, gv, who,
                            hv ? hv : "of no recorded vendor");
    if (r == 0 && want && have && want > have)
        r = cc_blockers_add(&v->blockers, "phys-bits", "CPUID[0x80000008].EAX[7:0]",
                            CC_REASON_TOO_LOW, "guest physical address bits %u; %s has %u", want,
                            who, have);
    for (size_t i = 0; i < map->n_features && r == 0; i++) {
        const struct x86_lv_feature *f = &map->features[i];
        int has;
        char where[48];

        if (!(f->releases >> g->release & 1))
            continue;
        has = host_has(env, f, h);
        if (f->is_msr)
            snprintf(where, sizeof(where), "MSR[%#x][%u]", (unsigned)f->msr, f->bit);
        else
            snprintf(where, sizeof(where), "CPUID[%#x,%u].%s[%u]", (unsigned)f->leaf,
                     (unsigned)f->subleaf, x86_reg_names[f->reg], f->bit);
        if (g->req[i] && has < 0)
            r = cc_strlist_addf(&v->notes, "%s: %s's data has no MSR %#x; cannot check it", f->name,
                                who, (unsigned)f->msr);
        else if (g->req[i] && !has)
            r = cc_blockers_add(&v->blockers, qemu_name(env, f), where, CC_REASON_MISSING,
                                "%s does not offer it%s", who,
                                g->policy[i] == CC_LV_FORCE
                                    ? " (policy force: QEMU cannot give a guest a bit KVM lacks)"
                                    : "");
        else if (g->policy[i] == CC_LV_FORBID && has > 0)
            r = cc_blockers_add(&v->blockers, qemu_name(env, f), where, CC_REASON_MUST_EQUAL,
                                "the guest forbids it and %s has it", who);
        else if (has > 0 && !g->req[i] && g->policy[i] == CC_LV_POLICY_NONE)
            *extras = true;
        if (r == 0 && has > 0 && !g->req[i] && g->policy[i] == CC_LV_POLICY_NONE && g->strict)
            r = cc_blockers_add(&v->blockers, qemu_name(env, f), where, CC_REASON_MUST_EQUAL,
                                "match='strict': %s has it and the guest does not name it", who);
    }
    return r;
}

/* host-model and host-passthrough: what libvirt makes of the source host, then QEMU's compare
 * of the source's host model with the destination; passthrough also needs the destination to
 * show the guest nothing different. */
static int judge_from_source(struct cc_ctx *ctx, const struct lv_guest *g, const struct cc_doc *src,
                             const char *src_file, const struct x86_host *sh,
                             const struct cc_doc *dst, const char *dst_file,
                             const struct x86_host *dh, struct cc_verdict *v)
{
    struct cc_compare_opts o = {0};
    int r;

    if ((r = x86_compare(ctx, src, src_file, dst, dst_file, &o, v)) < 0)
        return r;
    if (g->mode != MODE_PASSTHROUGH)
        return 0;
    free(v->suggestion);
    v->suggestion = NULL;
    for (size_t i = 0; i < v->extra.n && r == 0; i++)
        r = cc_blockers_add(&v->blockers, v->extra.items[i], "", CC_REASON_MUST_EQUAL,
                            "host-passthrough: the destination has it and the source does not; "
                            "the guest would see its CPU change");
    static const char *const ident[] = {"family", "model", "stepping"};
    for (size_t i = 0; i < 3 && r == 0; i++) {
        const char *a = cc_kv_get(&src->identity, ident[i]);
        const char *b = cc_kv_get(&dst->identity, ident[i]);
        if (a && b && strcmp(a, b) != 0)
            r = cc_blockers_add(&v->blockers, ident[i], "CPUID[0x1].EAX", CC_REASON_MUST_EQUAL,
                                "host-passthrough shows the host's %s: source %s, destination %s",
                                ident[i], a, b);
    }
    if (r == 0 && phys_bits(sh) != phys_bits(dh))
        r = cc_blockers_add(&v->blockers, "phys-bits", "CPUID[0x80000008].EAX[7:0]",
                            CC_REASON_MUST_EQUAL,
                            "host-passthrough shows the host's address width: source %u, "
                            "destination %u",
                            phys_bits(sh), phys_bits(dh));
    if (r == 0 && g->migratable && !strcmp(g->migratable, "off"))
        r = cc_strlist_add(&v->notes, "migratable='off': features QEMU marks unmigratable "
                                      "(invtsc, ...) reach the guest too; QEMU refuses to migrate "
                                      "a guest that has them");
    v->relation = v->blockers.n ? CC_INCOMPATIBLE : CC_IDENTICAL;
    v->migratable = v->blockers.n == 0;
    return r;
}

static int describe(const struct lv_guest *g, const struct x86_lv_map *map, struct cc_verdict *v)
{
    const char *mode = g->mode == MODE_CUSTOM       ? "custom"
                       : g->mode == MODE_HOST_MODEL ? "host-model"
                                                    : "host-passthrough";
    int r;

    free(v->guest);
    if (g->mode == MODE_CUSTOM)
        r = asprintf(&v->guest, "libvirt %s %s (libvirt %s CPU map, match %s) of %s", mode,
                     g->model, map->releases[g->release], g->match ? g->match : "exact", g->file);
    else
        r = asprintf(&v->guest, "libvirt %s of %s", mode, g->file);
    if (r < 0)
        return v->guest = NULL, cc_error(ENOMEM, "out of memory");
    if (g->older_release)
        return cc_strlist_addf(&v->notes,
                               "libvirt %s is older than every CPU map cpucompat holds: its model "
                               "names are read as libvirt %s reads them",
                               g->older_release, map->releases[g->release]);
    return 0;
}

int x86_guest_libvirt_compare(struct cc_ctx *ctx, const struct cc_doc *src, const char *src_file,
                              const struct cc_doc *dst, const char *dst_file, const char *guest,
                              const struct cc_compare_opts *opts, struct cc_verdict *v)
{
    struct cc_lv_cpu c = {0};
    const struct x86_lv_map *map;
    struct x86_host sh, dh;
    struct lv_guest g = {0};
    struct x86_env env;
    bool extras = false;
    const char *release = cc_option_string(opts->options, "libvirt-map");
    int r;

    if (cc_option_flag(opts->options, "invtsc"))
        return cc_error(EINVAL,
                        "%s: --invtsc: the guest's <cpu> says whether it has invtsc "
                        "(<feature name='invtsc'/>)",
                        guest);
    r = cc_lv_cpu_read(guest, &c);
    if (r == 0)
        r = x86_env_get(ctx, &env);
    if (r == 0)
        r = x86_lv_map_get(ctx, env.cat, &map);
    if (r == 0)
        r = guest_read(map, &c, release, &g);
    if (r == 0)
        r = x86_host_init(env.cat, env.rules, dst, dst_file, &dh);
    if (r == 0 && src)
        r = x86_host_init(env.cat, env.rules, src, src_file, &sh);
    if (r < 0)
        goto out;
    if (g.mode != MODE_CUSTOM) {
        if (!src) {
            r = cc_error(EINVAL,
                         "%s: a %s guest takes its CPU from the source host; give SRC and DST",
                         guest, g.mode == MODE_HOST_MODEL ? "host-model" : "host-passthrough");
            goto out;
        }
        if ((r = judge_from_source(ctx, &g, src, src_file, &sh, dst, dst_file, &dh, v)) < 0)
            goto out;
        r = describe(&g, map, v);
        goto out;
    }
    /* The one-file form has no source: "none" keeps the report's fields filled. */
    if (!(v->dst_basis = strdup(dh.kvm ? "kvm" : "cpu")) ||
        !(v->src_basis = strdup(!src     ? "none"
                                : sh.kvm ? "kvm"
                                         : "cpu"))) {
        r = cc_error(ENOMEM, "out of memory");
        goto out;
    }
    if (src) {
        _cleanup_free_ char *who = NULL;
        if (asprintf(&who, "the source %s", src_file) < 0) {
            r = cc_error(ENOMEM, "out of memory");
            goto out;
        }
        if ((r = judge_custom(&env, map, &g, &sh, who, v, &extras)) < 0)
            goto out;
        /* An optional feature the source gave the guest is one it now has. */
        for (size_t i = 0; i < map->n_features; i++)
            if (g.policy[i] == CC_LV_OPTIONAL && host_has(&env, &map->features[i], &sh) > 0)
                g.req[i] = true;
    }
    if (v->blockers.n == 0)
        r = judge_custom(&env, map, &g, &dh, "the destination", v, &extras);
    for (size_t i = 0; i < map->n_features && r == 0; i++)
        if (g.req[i] && (map->features[i].releases >> g.release & 1))
            r = cc_strlist_add(&v->guest_features, qemu_name(&env, &map->features[i]));
    if (r == 0 && (!dh.kvm || (src && !sh.kvm)))
        r = cc_strlist_add(&v->notes, "a host without a kvm view is judged by its silicon, "
                                      "assuming KVM passes every CPUID bit through");
    if (r == 0 && g.check && !strcmp(g.check, "none"))
        r = cc_strlist_add(&v->notes, "check='none': libvirt would start this guest even where "
                                      "QEMU drops a feature; the blockers above still change "
                                      "the guest's CPU under it");
    v->migratable = v->blockers.n == 0;
    v->relation = v->blockers.n ? CC_INCOMPATIBLE : extras ? CC_SUPERSET : CC_IDENTICAL;
    if (r == 0)
        r = describe(&g, map, v);
out:
    guest_fini(&g);
    cc_lv_cpu_free(&c);
    return r;
}
