/* `compare SRC DST` on x86: can the guest CPU of SRC run on DST, and if not, why. */
#include "x86_engine.h"
#include "../../core/error.h"
#include "../../core/qemu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *vendor_of(const struct x86_host *h)
{
    return cc_kv_get(&h->doc->identity, "vendor") ?: "?";
}

/* The relation of the destination's own host model to the guest, as QEMU's
 * query-cpu-model-comparison defines it (modela = destination, modelb = guest). */
static enum cc_relation relation(const struct x86_catalog *cat, const struct x86_words *dst,
                                 const struct x86_words *guest)
{
    bool dst_more = false, guest_more = false;

    for (size_t i = 0; i < cat->n_features; i++) {
        bool d = x86_words_has(cat, dst, &cat->features[i]);
        bool g = x86_words_has(cat, guest, &cat->features[i]);

        dst_more |= d && !g;
        guest_more |= g && !d;
    }
    if (dst_more && guest_more)
        return CC_INCOMPATIBLE;
    return dst_more ? CC_SUPERSET : guest_more ? CC_SUBSET : CC_IDENTICAL;
}

/* A host-model guest of a QEMU expansion gets every enabled, migratable property, also those
 * this catalog cannot name; such a feature can only be found on a destination by QEMU's name,
 * in its own kept expansion. Anything else would claim a feature cpucompat cannot see. */
static int check_unknown(const struct x86_env *env, const struct x86_host *src,
                         const struct x86_host *dst, struct cc_verdict *v)
{
    struct cc_strlist su = {0}, du = {0};
    int r = 0;

    if (!src->qemu_expanded)
        return 0;
    r = x86_qprops_judge(env->cat, env->cat->qemu_props, src->view->raw, NULL, &su);
    if (r == 0 && dst->qemu_expanded)
        r = x86_qprops_judge(env->cat, env->cat->qemu_props, dst->view->raw, NULL, &du);
    for (size_t i = 0; i < su.n && r == 0; i++)
        if (!cc_strlist_contains(&du, su.items[i]))
            r = cc_blockers_add(&v->blockers, su.items[i], "QEMU property", CC_REASON_MISSING,
                                dst->qemu_expanded
                                    ? "a feature this catalog does not know; the destination's "
                                      "QEMU does not offer it"
                                    : "a feature this catalog does not know; only a QEMU "
                                      "expansion of the destination could show it");
    cc_strlist_free(&su);
    cc_strlist_free(&du);
    return r;
}

static int check_invariants(const struct x86_env *env, const struct x86_host *src,
                            const struct x86_host *dst, const struct x86_words *guest,
                            bool named_model, struct cc_verdict *v)
{
    unsigned sp = named_model ? env->rules->named_phys_bits : src->phys_bits, dp = dst->phys_bits;
    char where[40];
    int r = 0;

    if (strcmp(vendor_of(src), vendor_of(dst)) != 0)
        r = cc_blockers_add(&v->blockers, "vendor", "CPUID[0x0].EBX,EDX,ECX", CC_REASON_MUST_EQUAL,
                            "source %s, destination %s", vendor_of(src), vendor_of(dst));
    x86_field_location(&env->cat->phys_bits, where, sizeof(where));
    if (r == 0 && sp && dp && sp > dp)
        r = cc_blockers_add(&v->blockers, "phys-bits", where, CC_REASON_TOO_LOW,
                            "guest physical address bits: source %u, destination %u", sp, dp);
    if (r == 0 && env->rules->f_invtsc && x86_words_has(env->cat, guest, env->rules->f_invtsc)) {
        uint64_t sk = src->tsc_khz, dk = dst->tsc_khz;
        const char *scale = cc_kv_get(&dst->view->props, "tsc-control");

        if (!sk || !dk)
            r = cc_strlist_addf(&v->notes,
                                "invtsc: no TSC frequency recorded for the %s; cannot "
                                "check it",
                                !sk ? "source" : "destination");
        else if (sk != dk && !(scale && !strcmp(scale, "yes")))
            r = cc_blockers_add(&v->blockers, "tsc-frequency", "KVM_GET_TSC_KHZ",
                                CC_REASON_INVARIANT,
                                "invtsc guest: source %llu kHz, destination %llu kHz, and the "
                                "destination cannot scale the TSC (no KVM_CAP_TSC_CONTROL)",
                                (unsigned long long)sk, (unsigned long long)dk);
    }
    if (r == 0 && env->rules->f_pdcm && x86_words_has(env->cat, guest, env->rules->f_pdcm)) {
        const struct x86_msr *sm = x86_raw_msr(src->view->raw, env->rules->lbr_msr);
        const struct x86_msr *dm = x86_raw_msr(dst->view->raw, env->rules->lbr_msr);
        unsigned sf = sm ? (unsigned)(sm->value & env->rules->lbr_mask) : 0;
        unsigned df = dm ? (unsigned)(dm->value & env->rules->lbr_mask) : 0;

        if (sf && !dm)
            r = cc_strlist_addf(&v->notes,
                                "lbr-fmt: the source's LBR format is %u and the destination's "
                                "PERF_CAPABILITIES was not recorded; cannot check it",
                                sf);
        else if (sf && sf != df) {
            snprintf(where, sizeof(where), "MSR[%#x][%d:%d]", (unsigned)env->rules->lbr_msr,
                     63 - __builtin_clzll(env->rules->lbr_mask),
                     __builtin_ctzll(env->rules->lbr_mask));
            r = cc_blockers_add(&v->blockers, "lbr-fmt", where, CC_REASON_MUST_EQUAL,
                                "LBR format: source %u, destination %u", sf, df);
        }
    }
    return r;
}

/* The model with the most features usable on both hosts (later versions win ties). */
static const struct x86_model *suggest(const struct x86_env *env, const struct x86_host *a,
                                       const struct x86_host *b)
{
    const struct x86_model *best = NULL;

    for (size_t i = 0; i < env->models->n_models; i++) {
        const struct x86_model *m = &env->models->models[i];

        if (strcmp(m->vendor, vendor_of(a)) != 0 || m->deprecated)
            continue;
        if (!x86_model_usable(env, a, m) || !x86_model_usable(env, b, m))
            continue;
        if (!best || m->n_features > best->n_features ||
            (m->n_features == best->n_features && m->version > best->version))
            best = m;
    }
    return best;
}

int x86_compare(struct cc_ctx *ctx, const struct cc_doc *src_doc, const char *src_file,
                const struct cc_doc *dst_doc, const char *dst_file,
                const struct cc_compare_opts *opts, struct cc_verdict *v)
{
    struct x86_env env;
    struct x86_host src, dst;
    struct x86_words guest, dst_model, un;
    const struct x86_model *m = NULL;
    int r = x86_env_get(ctx, &env);

    if (r == 0)
        r = x86_host_judged(ctx, &env, src_doc, src_file, &src, &v->notes);
    if (r == 0)
        r = x86_host_judged(ctx, &env, dst_doc, dst_file, &dst, &v->notes);
    if (r < 0)
        return r;
    if (opts->model) {
        if ((r = x86_env_models(ctx, &env)) < 0)
            return r;
        m = x86_model_find(env.models, opts->model);
        if (!m)
            return cc_error(ENOENT, "unknown CPU model '%s' (see 'cpucompat models')", opts->model);
        if (!x86_model_in_qemu(m, &src)) {
            char sq[CC_QEMU_VERSION_LEN], since[CC_QEMU_VERSION_LEN];

            cc_qemu_version_format(src.qemu, sq, sizeof(sq));
            cc_qemu_version_format(m->since, since, sizeof(since));
            return cc_error(EINVAL, "%s: model %s is not in QEMU %s, the source's (first in %s)",
                            src_file, m->name, sq, since);
        }
        guest = m->kvm;
        x86_unavailable(env.cat, env.rules, &src, &guest, &un);
        if (!x86_words_empty(env.cat, &un)) {
            struct cc_strlist names = {0};
            r = x86_words_names(env.cat, env.rules, &un, false, &names);
            if (r == 0)
                r = cc_error(EINVAL, "%s: model %s cannot run on the source itself (lacks %s%s)",
                             src_file, m->name, names.items[0], names.n > 1 ? ", ..." : "");
            cc_strlist_free(&names);
            return r;
        }
        r = asprintf(&v->guest, "%s", m->name);
    } else {
        x86_host_model(env.cat, env.rules, &src, &guest);
        r = asprintf(&v->guest, "host model of %s", src_file);
    }
    if (r < 0)
        return cc_error(ENOMEM, "out of memory");
    r = 0;
    if (cc_option_flag(opts->options, "invtsc")) {
        if (!x86_words_has(env.cat, &src.supported, env.rules->f_invtsc))
            return cc_error(EINVAL, "%s: the source does not offer invtsc", src_file);
        x86_words_set(env.cat, &guest, env.rules->f_invtsc, true);
    }
    v->src_basis = strdup(src.kvm ? "kvm" : "cpu");
    v->dst_basis = strdup(dst.kvm ? "kvm" : "cpu");
    if (!v->src_basis || !v->dst_basis)
        return cc_error(ENOMEM, "out of memory");
    if (!src.kvm || !dst.kvm)
        r = cc_strlist_add(&v->notes, "a host without a kvm view is judged by its silicon, "
                                      "assuming KVM passes every CPUID bit through");

    if (r == 0 && m && !x86_model_in_qemu(m, &dst)) {
        char dq[CC_QEMU_VERSION_LEN], since[CC_QEMU_VERSION_LEN], where[32];

        cc_qemu_version_format(dst.qemu, dq, sizeof(dq));
        cc_qemu_version_format(m->since, since, sizeof(since));
        snprintf(where, sizeof(where), "QEMU %s", dq);
        r = cc_blockers_add(&v->blockers, m->name, where, CC_REASON_MISSING,
                            "model %s is not in QEMU %s, the destination's QEMU (first in %s)",
                            m->name, dq, since);
    }
    x86_unavailable(env.cat, env.rules, &dst, &guest, &un);
    if (r == 0)
        r = x86_add_missing(&env, &un, &v->blockers, "the destination", &dst);
    if (r == 0 && !m)
        r = check_unknown(&env, &src, &dst, v);
    if (r == 0)
        r = check_invariants(&env, &src, &dst, &guest, m != NULL, v);
    /* What the destination can offer: its own host model, plus every guest feature it can
     * give (invtsc with --invtsc) or cannot be judged on (MSRs a silicon file lacks). */
    x86_host_model(env.cat, env.rules, &dst, &dst_model);
    for (size_t i = 0; i < env.cat->n_words; i++)
        dst_model.w[i] |= guest.w[i] & ~un.w[i];
    v->relation = relation(env.cat, &dst_model, &guest);
    v->migratable = v->blockers.n == 0;
    for (size_t i = 0; i < env.cat->n_features && r == 0; i++) {
        const struct x86_feature *f = &env.cat->features[i];

        if (x86_words_has(env.cat, &guest, f))
            r = cc_strlist_add(&v->guest_features, f->name);
        else if (x86_words_has(env.cat, &dst_model, f))
            r = cc_strlist_add(&v->extra, f->name);
    }
    /* A model only helps when features are what is missing; a vendor or address-size mismatch
     * blocks every model alike. */
    bool only_features = true;
    for (size_t i = 0; i < v->blockers.n; i++)
        only_features &= v->blockers.items[i].reason == CC_REASON_MISSING;
    if (r == 0 && !v->migratable && only_features && !opts->no_suggestion &&
        (r = x86_env_models(ctx, &env)) == 0) {
        const struct x86_model *s = suggest(&env, &src, &dst);
        if (s && !(v->suggestion = strdup(s->name)))
            r = cc_error(ENOMEM, "out of memory");
    }
    return r;
}
