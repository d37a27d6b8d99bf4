/* `baseline FILE...` on x86: the CPU every host can run, named as the closest QEMU model plus
 * the features it needs on top (like `virsh cpu-baseline --features`). */
#include "x86_guest.h"
#include "../../core/error.h"

#include <stdlib.h>
#include <string.h>

int x86_baseline(struct cc_ctx *ctx, const struct cc_doc *const *docs, const char *const *files,
                 size_t n, bool allow_vendor_mix, struct cc_baseline *out)
{
    struct x86_env env;
    struct x86_host *hosts;
    struct x86_words common, hm;
    const struct x86_model *best = NULL;
    const char *vendor = NULL;
    bool mixed = false;
    int r = x86_env_get(ctx, &env);

    if (r == 0)
        r = x86_env_models(ctx, &env);
    if (r < 0)
        return r;
    if (n == 0)
        return cc_error(EINVAL, "baseline needs at least one host");
    hosts = calloc(n, sizeof(*hosts));
    if (!hosts)
        return cc_error(ENOMEM, "out of memory");
    memset(&common, 0xff, sizeof(common));
    for (size_t i = 0; i < n && r == 0; i++) {
        const char *v;

        r = x86_host_init(env.cat, env.rules, docs[i], files[i], &hosts[i]);
        if (r < 0)
            break;
        v = cc_kv_get(&docs[i]->identity, "vendor") ?: "?";
        if (!vendor)
            vendor = v;
        else if (strcmp(vendor, v) != 0) {
            mixed = true;
            if (!allow_vendor_mix)
                r = cc_error(EINVAL, "%s: vendor %s differs from %s's %s (see --allow-vendor-mix)",
                             files[i], v, files[0], vendor);
        }
        x86_host_model(env.cat, env.rules, &hosts[i], &hm);
        for (size_t w = 0; w < env.cat->n_words; w++)
            common.w[w] &= hm.w[w];
    }
    for (size_t i = 0; i < env.models->n_models && r == 0; i++) {
        const struct x86_model *m = &env.models->models[i];
        bool all = !m->deprecated && (mixed || !strcmp(m->vendor, vendor));

        for (size_t h = 0; h < n && all; h++)
            all = x86_model_usable(&env, &hosts[h], m);
        if (all && (!best || m->n_features > best->n_features ||
                    (m->n_features == best->n_features && m->version > best->version)))
            best = m;
    }
    if (r == 0 && !(out->vendor = strdup(mixed ? "mixed" : vendor)))
        r = cc_error(ENOMEM, "out of memory");
    if (r == 0 && best && !(out->model = strdup(best->name)))
        r = cc_error(ENOMEM, "out of memory");
    if (r == 0 && mixed)
        r = cc_strlist_add(&out->notes, "hosts of different vendors: the guest will see the "
                                        "vendor of whichever host it starts on");
    /* The highest psABI level every host gives (levels are listed lowest first). */
    size_t n_levels;
    const struct x86_level *levels = x86_levels(&env, &n_levels);
    for (size_t l = 0; l < n_levels && r == 0; l++) {
        struct x86_words un;
        bool all = true;

        for (size_t h = 0; h < n && all; h++)
            all = x86_level_usable(&env, &hosts[h], &levels[l], &un);
        /* The table's order is the levels' (x86-64-v2-AES between v2 and v3): the last wins. */
        if (all) {
            free(out->level);
            if (!(out->level = strdup(levels[l].name)))
                r = cc_error(ENOMEM, "out of memory");
        }
    }
    for (size_t i = 0; i < env.cat->n_features && r == 0; i++) {
        const struct x86_feature *f = &env.cat->features[i];

        if (!x86_words_has(env.cat, &common, f))
            continue;
        r = cc_strlist_add(&out->features, f->name);
        /* KVM's paravirtual features come with every named model under KVM anyway. */
        if (r == 0 && !f->paravirt && (!best || !x86_words_has(env.cat, &best->kvm, f)))
            r = cc_strlist_add(&out->extra, f->name);
    }
    free(hosts);
    return r;
}
