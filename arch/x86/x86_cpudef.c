/* x86 guest CPUs for the stack: QEMU's -cpu string and libvirt's <cpu mode='custom'>. libvirt
 * passes its model name to QEMU unchanged (libvirt's "Skylake-Client" is QEMU's alias of
 * Skylake-Client-v1) and then names features in its own spelling; where libvirt's idea of a
 * model and QEMU's differ, a feature either one gives that the guest must not have is disabled
 * and one the guest needs that either one lacks is required, so the guest is the same whichever
 * of the two definitions a reader trusts. */
#include "x86_engine.h"
#include "x86_guest.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"
#include "../../core/qemu.h"
#include "../../core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A libvirt model's cost as the base of guest g: features to name, and features it would give
 * (or lack) that libvirt has no name for, which make it unusable. */
struct lv_choice {
    const struct x86_lv_model *model;
    size_t named, unnamed;
};

/* The catalog features libvirt's model gives a guest under release rel (its guest set, less
 * features QEMU's definition of the same name lacks for a disable, more for a require). */
static void lv_guest_words(const struct x86_lv_map *map, const struct x86_lv_resolved *res,
                           struct x86_words *out)
{
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < map->n_features; i++)
        if (res->guest[i] && map->features[i].catalog >= 0)
            out->w[map->features[i].word] |= 1ULL << map->features[i].bit;
}

/* libvirt's name of catalog feature f under release rel, NULL if libvirt has none. */
static const char *lv_name(const struct x86_lv_map *map, size_t rel, const struct x86_feature *f,
                           const struct x86_catalog *cat)
{
    for (size_t i = 0; i < map->n_features; i++) {
        const struct x86_lv_feature *lf = &map->features[i];

        if (lf->catalog == f - cat->features && (lf->releases >> rel & 1))
            return lf->name;
    }
    return NULL;
}

/* QEMU drops a feature whose prerequisite the guest lacks (vmx-* without vmx), whatever the
 * model says. */
static bool dropped(const struct x86_env *env, const struct x86_feature *f,
                    const struct x86_words *g)
{
    for (size_t i = 0; i < f->requires.n; i++) {
        const struct x86_feature *need = x86_catalog_feature(env->cat, f->requires.items[i]);

        if (need && !x86_words_has(env->cat, g, need))
            return true;
    }
    return false;
}

/* Walks the features where the model (libvirt's and QEMU's definitions, lv and qm) and the guest
 * g differ; each that libvirt must name is counted (and, with out, added to it). */
static void lv_diff(const struct x86_env *env, const struct x86_lv_map *map, size_t rel,
                    const struct x86_words *lv, const struct x86_words *qm,
                    const struct x86_words *g, struct lv_choice *c, struct cc_cpudef *out)
{
    for (size_t i = 0; i < env->cat->n_features; i++) {
        const struct x86_feature *f = &env->cat->features[i];
        bool want = x86_words_has(env->cat, g, f);
        bool in_lv = x86_words_has(env->cat, lv, f), in_qm = x86_words_has(env->cat, qm, f);
        const char *name;

        /* KVM's paravirtual leaves come with every guest under KVM, outside libvirt's map.
         * Accelerator defaults (x2apic, ...) are named as libvirt's own host model names them. */
        if (f->paravirt || (want && in_lv && in_qm) || (!want && !in_lv && !in_qm) ||
            (!want && dropped(env, f, g)))
            continue;
        name = lv_name(map, rel, f, env->cat);
        if (!name) {
            /* Given by QEMU's definition and wanted: libvirt passes the model on, fine. */
            if (want && in_qm)
                continue;
            c->unnamed++;
            if (out)
                cc_strlist_addf(&out->notes, "libvirt has no name for %s, which the guest %s",
                                f->name, want ? "needs" : "must not have");
            continue;
        }
        c->named++;
        if (out)
            cc_kv_set(&out->lv_features, name, want ? "require" : "disable");
    }
}

/* The libvirt model of release rel that needs the fewest named features for guest g; NULL when
 * release rel has none that QEMU also defines for g's vendor. */
static int lv_best(const struct x86_env *env, const struct x86_lv_map *map, size_t rel,
                   const char *vendor, unsigned since, const struct x86_words *g,
                   struct lv_choice *best, struct x86_words *best_lv, struct x86_words *best_qm)
{
    *best = (struct lv_choice){0};
    for (size_t i = 0; i < map->n_models; i++) {
        const struct x86_lv_model *lm = &map->models[i];
        const struct x86_model *qm = x86_model_find(env->models, lm->name);
        struct x86_lv_resolved res;
        struct lv_choice c = {.model = lm};
        struct x86_words lv;

        /* libvirt hands the name to QEMU, which must define it for the guest's vendor; a
         * model the newest release dropped is not offered either. */
        if (!(lm->releases >> rel & 1) || !x86_lv_model_find(map, map->n_releases - 1, lm->name) ||
            !qm || strcmp(qm->vendor, vendor) != 0 || qm->since > since)
            continue;
        if (x86_lv_resolve(map, rel, lm->name, &res) < 0)
            return -1;
        lv_guest_words(map, &res, &lv);
        x86_lv_resolved_fini(&res);
        lv_diff(env, map, rel, &lv, &qm->kvm, g, &c, NULL);
        if (!best->model || c.unnamed < best->unnamed ||
            (c.unnamed == best->unnamed && c.named < best->named)) {
            *best = c;
            *best_lv = lv;
            *best_qm = qm->kvm;
        }
    }
    return 0;
}

int x86_lv_express(struct cc_ctx *ctx, const struct x86_env *env, const char *vendor,
                   unsigned since, const struct x86_words *g, struct cc_cpudef *out)
{
    const struct x86_lv_map *map;
    struct lv_choice best = {0};
    struct x86_words best_lv = {{0}}, best_qm = {{0}};
    size_t rel = 0;
    int r = x86_lv_map_get(ctx, env->cat, &map);

    for (; r == 0 && rel < map->n_releases; rel++) {
        r = lv_best(env, map, rel, vendor, since, g, &best, &best_lv, &best_qm);
        if (r == 0 && best.model && !best.unnamed)
            break;
    }
    if (r < 0)
        return r;
    if (rel == map->n_releases)
        rel--;
    if (!best.model) {
        out->why_not = xasprintf("libvirt %s has no x86 model QEMU defines for %s",
                                 map->releases[rel], vendor);
        return 0;
    }
    lv_diff(env, map, rel, &best_lv, &best_qm, g, &(struct lv_choice){0}, out);
    if (best.unnamed) {
        _cleanup_free_ char *list = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&list, &len);

        if (!f)
            return cc_error(ENOMEM, "out of memory");
        for (size_t i = 0; i < out->notes.n; i++)
            fprintf(f, "%s%s", i ? "; " : "",
                    out->notes.items[i] + strlen("libvirt has no name for "));
        if (fclose(f) != 0)
            return cc_error(ENOMEM, "out of memory");
        out->why_not = xasprintf("libvirt %s cannot express the guest from any of its models: it "
                                 "has no name for %s",
                                 map->releases[rel], list);
        cc_kv_free(&out->lv_features);
        return 0;
    }
    out->lv_model = xstrdup(best.model->name);
    out->lv_release = xstrdup(map->releases[rel]);
    return 0;
}

/* The features of a level's base model that the level does not name: all but what every 64-bit
 * QEMU model has in the two legacy words (CPUID[1].EDX and [0x80000001].EDX: fpu ... sse2,
 * syscall, nx, lm), which an operating system expects and no level names, and what KVM gives
 * every guest (x2apic, hypervisor, ...). Turned off, the export asks of a host what the level
 * does (every 64-bit model has pni, which x86-64-v1 lacks), but for nx: a guest without
 * no-execute pages would lose W^X, and only a host whose firmware hides nx lacks it. */
static void level_extras(const struct x86_env *env, const struct x86_model *base,
                         const struct x86_words *level, struct x86_words *out)
{
    const struct x86_feature *lm = x86_catalog_feature(env->cat, "lm");
    const int legacy[] = {x86_catalog_word(env->cat, "FEAT_1_EDX"),
                          x86_catalog_word(env->cat, "FEAT_8000_0001_EDX")};
    struct x86_words basics;

    memset(&basics, 0, sizeof(basics));
    for (size_t k = 0; k < sizeof(legacy) / sizeof(legacy[0]); k++)
        if (legacy[k] >= 0)
            basics.w[legacy[k]] = UINT64_MAX;
    for (size_t i = 0; i < env->models->n_models; i++)
        if (lm && x86_words_has(env->cat, &env->models->models[i].definition, lm))
            for (size_t k = 0; k < env->cat->n_words; k++)
                basics.w[k] &= env->models->models[i].definition.w[k];
    for (size_t k = 0; k < env->cat->n_words; k++)
        out->w[k] =
            base->definition.w[k] & ~level->w[k] & ~basics.w[k] & ~env->rules->kvm_always.w[k];
}

/* A -cpu string (expand's argument) as its model and the features it turns on and off, with
 * phys-bits= as a property; a psABI level as QEMU's smallest model with the whole level. */
static int from_string(struct cc_ctx *ctx, const struct x86_env *env, const char *spec,
                       const struct x86_model **m, struct cc_strlist *add,
                       struct cc_strlist *remove, struct cc_kvlist *props, struct cc_strlist *notes)
{
    struct x86_guest g = {0};
    struct x86_host virt = {.kvm = true};
    struct x86_words words;
    unsigned qemu = ctx->qemu_override ? ctx->qemu_override : CC_QEMU_DEFAULT;
    int r = x86_guest_parse(
        ctx, env, spec, ctx->qemu_override ? ctx->qemu_override : env->rel->newest, NULL, NULL, &g);

    if (r < 0)
        return r;
    if (g.base == X86_GUEST_LEVEL) {
        char qv[CC_QEMU_VERSION_LEN];

        r = x86_guest_words(env, &g, &virt, spec, &words);
        if (r == 0 && !(*m = x86_level_base(env, &words, qemu)))
            r = cc_error(EINVAL, "'%s': no QEMU model contains the whole level", spec);
        cc_qemu_version_format(qemu, qv, sizeof(qv));
        if (r == 0) {
            struct x86_words extras;

            level_extras(env, *m, &g.level->words, &extras);
            r = x86_words_names(env->cat, env->rules, &extras, false, remove);
        }
        if (r == 0)
            r = cc_strlist_addf(notes,
                                "%s as %s, the QEMU %s model with the fewest features that has "
                                "the whole level (a level names no CPU of its own), less what "
                                "the level does not name",
                                g.level->name, (*m)->name, qv);
    } else if (g.base == X86_GUEST_MODEL) {
        *m = g.model;
        r = x86_words_names(env->cat, env->rules, &g.on, false, add);
        if (r == 0)
            r = x86_words_names(env->cat, env->rules, &g.off, false, remove);
        if (r == 0 && g.phys_bits)
            r = cc_kv_setf(props, "phys-bits", "%u", g.phys_bits);
    } else {
        r = cc_error(EINVAL,
                     "'%s': a guest CPU export needs a named model or a psABI level (host, max and "
                     "base have no identity of their own)",
                     strlen(spec) <= 120 ? spec : "(the CPU model string)");
    }
    for (size_t i = 0; i < g.notes.n && r == 0; i++)
        r = cc_strlist_add(notes, g.notes.items[i]);
    x86_guest_free(&g);
    return r;
}

int x86_cpudef(struct cc_ctx *ctx, const char *model, const struct cc_strlist *add,
               const struct cc_strlist *remove, const struct cc_kvlist *props,
               struct cc_cpudef *out)
{
    struct x86_env env;
    const struct x86_model *m;
    struct x86_words g;
    _cleanup_(cc_strlist_free) struct cc_strlist s_add = {0}, s_remove = {0};
    _cleanup_(cc_kv_free) struct cc_kvlist s_props = {0};
    size_t len = 0;
    FILE *f;
    int r = x86_env_get(ctx, &env);

    if (r == 0)
        r = x86_env_models(ctx, &env);
    if (r == 0 && !model) {
        out->why_not = xstrdup("no named model fits every host (see the features)");
        return 0;
    }
    if (r < 0)
        return r;
    if (!(m = x86_model_find(env.models, model))) {
        if (add || remove || props) /* a report's own model: always a catalog name */
            return cc_error(ENOENT, "unknown x86 CPU model '%s'", model);
        if ((r = from_string(ctx, &env, model, &m, &s_add, &s_remove, &s_props, &out->notes)) < 0)
            return r;
        add = &s_add;
        remove = &s_remove;
        props = s_props.n ? &s_props : NULL;
    }
    g = m->kvm;
    for (int pass = 0; pass < 2; pass++) {
        const struct cc_strlist *l = pass ? remove : add;

        for (size_t i = 0; l && i < l->n; i++) {
            const struct x86_feature *feat = x86_catalog_feature(env.cat, l->items[i]);

            if (!feat)
                return cc_error(ENOENT, "unknown x86 feature '%s'", l->items[i]);
            x86_words_set(env.cat, &g, feat, !pass);
        }
    }
    f = open_memstream(&out->qemu, &len);
    if (!f)
        return cc_error(ENOMEM, "out of memory");
    fputs(m->name, f);
    for (size_t i = 0; add && i < add->n; i++)
        fprintf(f, ",+%s", add->items[i]);
    for (size_t i = 0; remove && i < remove->n; i++)
        fprintf(f, ",-%s", remove->items[i]);
    for (size_t i = 0; props && i < props->n; i++)
        fprintf(f, ",%s=%s", props->items[i].key, props->items[i].value);
    if (fclose(f) != 0)
        return cc_error(ENOMEM, "out of memory");
    if ((r = x86_lv_express(ctx, &env, m->vendor, m->since, &g, out)) < 0)
        return r;
    /* libvirt 8.7 and newer: the address width QEMU's phys-bits sets */
    if (out->lv_model && props && cc_kv_get(props, "phys-bits"))
        out->lv_maxphysaddr = xstrdup(cc_kv_get(props, "phys-bits"));
    return 0;
}
