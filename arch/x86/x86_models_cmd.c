/* `models HOSTFILE` on x86: QEMU's query-cpu-definitions answer, offline. */
#include "x86_guest.h"
#include "../../core/error.h"
#include "../../core/qemu.h"
#include "../../core/xalloc.h"

#include <stdio.h>
#include <string.h>

int x86_env_get(struct cc_ctx *ctx, struct x86_env *env)
{
    int r = x86_catalog_get(ctx, &env->cat);

    const struct x86_qemu_props *qp;

    env->models = NULL;
    if (r == 0)
        r = x86_rules_get(ctx, env->cat, &env->rules);
    if (r == 0)
        r = x86_releases_get(ctx, env->cat, &env->rel);
    /* Views imported from QEMU's expansion are judged with it (x86_host_init). */
    if (r == 0)
        r = x86_qemu_props_get(ctx, env->cat, &qp);
    return r;
}

int x86_env_models(struct cc_ctx *ctx, struct x86_env *env)
{
    return env->models ? 0 : x86_models_get(ctx, env->cat, env->rules, &env->models);
}

bool x86_model_usable(const struct x86_env *env, const struct x86_host *host,
                      const struct x86_model *m)
{
    struct x86_words un, w;

    if (!x86_model_in_qemu(m, host))
        return false;
    x86_model_words(env, m, host, &w);
    x86_unavailable(env->cat, env->rules, host, &w, &un);
    return x86_words_empty(env->cat, &un);
}

/* One blocker per unavailable feature, with where it lives. */
int x86_add_missing(const struct x86_env *env, const struct x86_words *un, struct cc_blockers *b,
                    const char *who, const struct x86_host *host)
{
    const struct x86_catalog *cat = env->cat;
    uint64_t seen[(X86_MAX_WORDS * 64 + 63) / 64 * 8] = {0}; /* features already reported */

    for (size_t i = 0; i < cat->n_words; i++) {
        /* Set bits only, lowest first. */
        for (uint64_t rest = un->w[i]; rest; rest &= rest - 1) {
            char where[64], name[64];
            int bit = __builtin_ctzll(rest), f, r;
            bool xcr0 = (int)i == env->rules->w_xcr0_lo || (int)i == env->rules->w_xcr0_hi;
            f = xcr0 ? -1 : cat->bit_feature[i][bit];
            if (!xcr0 && (f < 0 || (seen[f / 64] >> (f % 64)) & 1))
                continue;
            if (cc_blockers_full(b)) { /* only counted: nothing to format */
                if (!xcr0)
                    seen[f / 64] |= 1ULL << (f % 64);
                if ((r = cc_blockers_add(b, "", "", CC_REASON_MISSING, "%s", "")) < 0)
                    return r;
                continue;
            }
            x86_bit_location(cat, i, bit, where, sizeof(where));
            if (xcr0) {
                int comp = bit + ((int)i == env->rules->w_xcr0_hi ? 32 : 0);
                f = cat->xsave_feature[comp];
                snprintf(name, sizeof(name), "xsave-component-%d", comp);
                r = cc_blockers_add(b, name, where, CC_REASON_MISSING,
                                    "XSAVE state component %d (used by %s) not offered by %s", comp,
                                    f >= 0 ? cat->features[f].name : "?", who);
            } else {
                seen[f / 64] |= 1ULL << (f % 64);
                if (!x86_feature_in_qemu(env, &cat->features[f], host->qemu)) {
                    char hq[CC_QEMU_VERSION_LEN], since[CC_QEMU_VERSION_LEN];

                    cc_qemu_version_format(host->qemu, hq, sizeof(hq));
                    cc_qemu_version_format(env->rel->feature_since[f], since, sizeof(since));
                    r = cc_blockers_add(b, cat->features[f].name, where, CC_REASON_MISSING,
                                        "not in QEMU %s, the QEMU of %s (first in %s)", hq, who,
                                        since);
                } else
                    r = cc_blockers_add(b, cat->features[f].name, where, CC_REASON_MISSING,
                                        "not offered by %s", who);
            }
            if (r < 0)
                return r;
        }
    }
    return 0;
}

/* The psABI levels after the models: a level is usable when the host gives every feature of it
 * (and the XSAVE state those features need). */
static int add_levels(const struct x86_env *env, const struct x86_host *host,
                      struct cc_models_report *out)
{
    size_t n;
    const struct x86_level *lv = x86_levels(env, &n);
    int r = 0;

    for (size_t i = 0; i < n && r == 0; i++) {
        struct cc_model_status *st = cc_models_report_add(out);
        struct x86_words un;

        if (!st)
            return cc_error(ENOMEM, "out of memory");
        st->name = xstrdup(lv[i].name);
        st->family = xstrdup("x86-64 psABI level");
        st->origin = xstrdup("x86-64 psABI");
        st->usable = x86_level_usable(env, host, &lv[i], &un);
        /* QEMU's list names an XSAVE component by the feature that uses it, so avx512f can stand
         * four times; a level is no QEMU model, has no QEMU list to match, and names each once. */
        if (!out->usable_only) {
            r = x86_words_names(env->cat, env->rules, &un, true, &st->unavailable);
            cc_strlist_uniq(&st->unavailable);
        }
        if (r == 0)
            r = x86_add_missing(env, &un, &st->blockers, "this host", host);
    }
    return r;
}

int x86_models_report(struct cc_ctx *ctx, const struct cc_doc *doc, const char *file,
                      struct cc_models_report *out)
{
    struct x86_env env;
    struct x86_host host;
    char qemu[CC_QEMU_VERSION_LEN];
    int r = x86_env_get(ctx, &env);

    if (r == 0)
        r = x86_env_models(ctx, &env);
    if (r == 0)
        r = x86_host_judged(ctx, &env, doc, file, &host, &out->notes);
    if (r < 0)
        return r;
    cc_qemu_version_format(host.qemu, qemu, sizeof(qemu));
    out->basis = strdup(host.kvm ? "kvm" : "cpu");
    out->qemu = strdup(qemu);
    if (!out->basis || !out->qemu)
        return cc_error(ENOMEM, "out of memory");
    if (!host.kvm)
        r = cc_strlist_add(&out->notes,
                           "no kvm view: this is what the silicon offers, assuming KVM passes "
                           "every CPUID bit through; not what this host's hypervisor allows");
    for (size_t i = 0; i < env.models->n_models && r == 0; i++) {
        const struct x86_model *m = &env.models->models[i];
        struct cc_model_status *st = cc_models_report_add(out);
        struct x86_words un, words;
        char origin[32];

        if (!st)
            return cc_error(ENOMEM, "out of memory");
        snprintf(origin, sizeof(origin), "QEMU %s", m->qemu);
        st->name = strdup(m->name);
        st->family = strdup(m->family_name);
        st->origin = strdup(origin);
        if (!st->name || !st->family || !st->origin)
            return cc_error(ENOMEM, "out of memory");
        st->version = m->version;
        st->deprecated = m->deprecated;
        for (size_t a = 0; a < env.models->n_aliases && r == 0; a++)
            if (&env.models->models[env.models->aliases[a].model] == m)
                r = cc_strlist_add(&st->aliases, env.models->aliases[a].name);
        if (!x86_model_in_qemu(m, &host)) {
            /* QEMU does not list it at all: nothing to be unavailable. */
            if (r == 0 && !(st->not_in_qemu = strdup(qemu)))
                r = cc_error(ENOMEM, "out of memory");
            continue;
        }
        x86_model_words(&env, m, &host, &words);
        x86_unavailable(env.cat, env.rules, &host, &words, &un);
        st->usable = x86_words_empty(env.cat, &un);
        if (r == 0 && !out->usable_only)
            r = x86_words_names(env.cat, env.rules, &un, true, &st->unavailable);
        if (r == 0)
            r = x86_add_missing(&env, &un, &st->blockers, "this host", &host);
    }
    return r == 0 ? add_levels(&env, &host, out) : r;
}
