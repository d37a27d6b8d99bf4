/* `baseline FILE...` on x86: the CPU every host can run, named as the closest QEMU model plus
 * the features it needs on top (like `virsh cpu-baseline --features`). */
#include "x86_guest.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"
#include "../../core/qemu.h"
#include "../../core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The features every host's silicon/KVM offers that the oldest QEMU among them does not define. */
static int note_too_new(const struct x86_env *env, const struct x86_host *hosts, size_t n,
                        const struct x86_host *oldest, const char *oldest_file,
                        struct cc_baseline *out)
{
    _cleanup_free_ char *list = NULL;
    size_t len = 0, count = 0;
    FILE *f = open_memstream(&list, &len);
    char q[CC_QEMU_VERSION_LEN];
    int r = 0;

    if (!f)
        return cc_error(ENOMEM, "out of memory");
    for (size_t i = 0; i < env->cat->n_features; i++) {
        const struct x86_feature *feat = &env->cat->features[i];
        bool everywhere = !x86_feature_in_qemu(env, feat, oldest->qemu) && !feat->paravirt;

        /* supported lost it where the host's QEMU lacks it: ask the raw view again. */
        for (size_t h = 0; h < n && everywhere; h++)
            everywhere = x86_feature_present(env->cat, feat, hosts[h].view->raw) &&
                         !feat->unmigratable && !feat->no_host_model;
        if (everywhere)
            fprintf(f, "%s%s", count++ ? " " : "", feat->name);
    }
    if (fclose(f) != 0)
        return cc_error(ENOMEM, "out of memory");
    cc_qemu_version_format(oldest->qemu, q, sizeof(q));
    if (count)
        r = cc_strlist_addf(&out->notes,
                            "left out as QEMU %s (%s, the oldest QEMU among the hosts) does not "
                            "define them: %s",
                            q, oldest_file, list);
    return r;
}

int x86_baseline(struct cc_ctx *ctx, const struct cc_doc *const *docs, const char *const *files,
                 size_t n, bool allow_vendor_mix, struct cc_baseline *out)
{
    struct x86_env env;
    struct x86_host *hosts;
    struct x86_words common, hm;
    const struct x86_model *best = NULL;
    const char *vendor = NULL;
    bool mixed = false;
    size_t oldest = 0; /* 1 + the host with the oldest QEMU */
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

        r = x86_host_judged(ctx, &env, docs[i], files[i], &hosts[i], &out->notes);
        if (r < 0)
            break;
        if (!oldest || hosts[i].qemu < hosts[oldest - 1].qemu)
            oldest = i + 1;
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
    /* Each host model holds only what its own QEMU names, so the common set never has a
     * feature the oldest QEMU lacks; say which ones the hosts have but it does not. */
    if (r == 0 && oldest)
        r = note_too_new(&env, hosts, n, &hosts[oldest - 1], files[oldest - 1], out);
    for (size_t i = 0; i < env.models->n_models && r == 0; i++) {
        const struct x86_model *m = &env.models->models[i];
        bool all = !m->deprecated && (mixed || !strcmp(m->vendor, vendor));

        for (size_t h = 0; h < n && all; h++)
            all = x86_model_usable(&env, &hosts[h], m);
        if (all && (!best || m->n_features > best->n_features ||
                    (m->n_features == best->n_features && m->version > best->version)))
            best = m;
    }
    /* Named models get named_phys_bits of address; a host with fewer cannot give them (QEMU
     * warns and the guest may use addresses the host lacks): the guest asks for the least. */
    if (r == 0) {
        unsigned least = 0;

        for (size_t i = 0; i < n; i++)
            if (hosts[i].phys_bits && (!least || hosts[i].phys_bits < least))
                least = hosts[i].phys_bits;
        if (least && least < env.rules->named_phys_bits)
            r = cc_kv_setf(&out->props, "phys-bits", "%u", least);
    }
    if (r == 0 && !(out->vendor = strdup(mixed ? "mixed" : vendor)))
        r = cc_error(ENOMEM, "out of memory");
    if (r == 0 && best && !(out->model = strdup(best->name)))
        r = cc_error(ENOMEM, "out of memory");
    if (r == 0 && mixed)
        r = cc_strlist_add(&out->notes, "hosts of different vendors: the guest will see the "
                                        "vendor of whichever host it starts on");
    /* The highest psABI level every host gives: the table lists them lowest first (with
     * x86-64-v2-AES between v2 and v3), so the last one every host gives wins. */
    size_t n_levels;
    const struct x86_level *levels = x86_levels(&env, &n_levels);
    for (size_t l = 0; l < n_levels && r == 0; l++) {
        struct x86_words un;
        bool all = true;

        for (size_t h = 0; h < n && all; h++)
            all = x86_level_usable(&env, &hosts[h], &levels[l], &un);
        if (all) {
            free(out->level);
            out->level = xstrdup(levels[l].name);
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
