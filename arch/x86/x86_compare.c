/* `compare SRC DST` on x86: can the guest CPU of SRC run on DST, and if not, why. */
#include "x86_guest.h"
#include "../../core/error.h"
#include "../../core/qemu.h"
#include "../../core/xalloc.h"

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

    /* Both ways more is the answer already: most pairs of a mixed fleet stop early. */
    for (size_t i = 0; i < cat->n_features && !(dst_more && guest_more); i++) {
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

/* What the guest is and asks of the hosts, beyond its feature words. */
struct guest_facts {
    unsigned phys_bits;         /* 0: not judged */
    unsigned long long tsc_khz; /* tsc-frequency= of the string, 0 if none */
    int phys_refused;           /* QEMU's phys-bits range check: 0 or the error */
};

static int check_tsc(const struct x86_env *env, const struct x86_host *src,
                     const struct x86_host *dst, const struct x86_words *guest,
                     const struct guest_facts *gf, struct cc_verdict *v)
{
    const char *scale = cc_kv_get(&dst->view->props, "tsc-control");
    bool scales = scale && !strcmp(scale, "yes");
    uint64_t dk = dst->tsc_khz;

    /* A frequency the string pins: QEMU under KVM sets it on the vCPU and fails to start where
     * the host's differs and KVM cannot scale (kvm_arch_set_tsc_khz). TCG ignores it. */
    if (gf->tsc_khz && !dst->tcg) {
        if (!dk)
            return cc_strlist_addf(&v->notes, "tsc-frequency: no TSC frequency recorded for the "
                                              "destination; cannot check it");
        if (dk != gf->tsc_khz && !scales)
            return cc_blockers_add(&v->blockers, "tsc-frequency", "KVM_GET_TSC_KHZ",
                                   CC_REASON_INVARIANT,
                                   "the guest's TSC runs at %llu kHz, the destination's at %llu "
                                   "kHz, and the destination cannot scale the TSC (no "
                                   "KVM_CAP_TSC_CONTROL)",
                                   gf->tsc_khz, (unsigned long long)dk);
        return 0;
    }
    if (!src || !env->rules->f_invtsc || !x86_words_has(env->cat, guest, env->rules->f_invtsc))
        return 0;
    if (!src->tsc_khz || !dk)
        return cc_strlist_addf(&v->notes,
                               "invtsc: no TSC frequency recorded for the %s; cannot check it",
                               !src->tsc_khz ? "source" : "destination");
    if (src->tsc_khz != dk && !scales)
        return cc_blockers_add(&v->blockers, "tsc-frequency", "KVM_GET_TSC_KHZ",
                               CC_REASON_INVARIANT,
                               "invtsc guest: source %llu kHz, destination %llu kHz, and the "
                               "destination cannot scale the TSC (no KVM_CAP_TSC_CONTROL)",
                               (unsigned long long)src->tsc_khz, (unsigned long long)dk);
    return 0;
}

static int check_invariants(const struct x86_env *env, const struct x86_host *src,
                            const struct x86_host *dst, const struct x86_words *guest,
                            const struct guest_facts *gf, struct cc_verdict *v)
{
    unsigned sp = gf->phys_bits, dp = dst->phys_bits;
    char where[40];
    int r = 0;

    if (src && strcmp(vendor_of(src), vendor_of(dst)) != 0)
        r = cc_blockers_add(&v->blockers, "vendor", "CPUID[0x0].EBX,EDX,ECX", CC_REASON_MUST_EQUAL,
                            "source %s, destination %s", vendor_of(src), vendor_of(dst));
    x86_field_location(&env->cat->phys_bits, where, sizeof(where));
    if (r == 0 && sp && dp && sp > dp)
        r = cc_blockers_add(&v->blockers, "phys-bits", where, CC_REASON_TOO_LOW,
                            "guest physical address bits: %s %u, destination %u",
                            src ? "source" : "guest", sp, dp);
    if (r == 0)
        r = check_tsc(env, src, dst, guest, gf, v);
    if (r == 0 && src && env->rules->f_pdcm && x86_words_has(env->cat, guest, env->rules->f_pdcm)) {
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

/* The guest of --model: a -cpu string or psABI level, as the source's QEMU starts it there (or,
 * with one file, the destination's there). What the source lacks is a blocker, not an error:
 * the question is whether that guest can be where it is going. With one file the guest was
 * started by some other QEMU: its names are those of any release the catalog knows, and what
 * the destination's QEMU lacks is a blocker below, as with two files. */
static int guest_from_string(struct cc_ctx *ctx, struct x86_env *env, const char *spec,
                             const struct x86_host *src, const char *src_file,
                             const struct x86_host *dst, const char *dst_file,
                             struct x86_words *guest, struct guest_facts *gf,
                             const struct x86_model **model, struct cc_verdict *v)
{
    const struct x86_host *start = src ? src : dst;
    struct x86_guest g;
    struct x86_words un;
    int r = x86_env_models(ctx, env);

    if (r == 0)
        r = x86_guest_parse(ctx, env, spec, src ? src->qemu : env->rel->newest,
                            src ? src_file : dst_file, src ? "source" : "destination", &g);
    if (r < 0)
        return r;
    r = x86_guest_words(env, &g, start, src ? src_file : dst_file, guest);
    if (r == 0)
        gf->phys_bits = x86_guest_phys_bits(env, &g, guest, start, start->phys_bits);
    gf->tsc_khz = g.tsc_khz;
    *model = g.base == X86_GUEST_MODEL ? g.model : NULL;
    if (r == 0)
        gf->phys_refused = x86_guest_check_phys_bits(env, &g, guest, !start->tcg);
    if (r == 0)
        v->guest = xstrdup(g.name);
    for (size_t i = 0; i < g.notes.n && r == 0; i++)
        r = cc_strlist_add(&v->notes, g.notes.items[i]);
    if (r == 0 && g.base == X86_GUEST_LEVEL)
        r = cc_strlist_addf(&v->notes,
                            "%s is an x86-64 psABI level, not a QEMU model: the guest "
                            "is judged as a CPU with exactly the level's features",
                            g.level->name);
    if (r == 0 && g.check_enforce)
        r = cc_strlist_add(&v->notes, "check and enforce are taken and ignored: the verdict is "
                                      "always QEMU's with enforce (a missing feature stops the "
                                      "start)");
    if (r == 0 && src) {
        x86_unavailable(env->cat, env->rules, src, guest, &un);
        r = x86_add_missing(env, &un, &v->blockers, "the source", src);
    }
    x86_guest_free(&g);
    return r;
}

int x86_compare(struct cc_ctx *ctx, const struct cc_doc *src_doc, const char *src_file,
                const struct cc_doc *dst_doc, const char *dst_file,
                const struct cc_compare_opts *opts, struct cc_verdict *v)
{
    struct x86_env env;
    struct x86_host src_host, dst;
    const struct x86_host *src = src_doc ? &src_host : NULL;
    struct x86_words guest, dst_model, un;
    const struct x86_model *m = NULL;
    struct guest_facts gf = {0};
    int r = x86_env_get(ctx, &env);

    if (r == 0 && src)
        r = opts->verdict_only
                ? x86_host_judged_memo(ctx, &env, src_doc, src_file, &src_host)
                : x86_host_judged(ctx, &env, src_doc, src_file, &src_host, &v->notes);
    if (r == 0)
        r = opts->verdict_only ? x86_host_judged_memo(ctx, &env, dst_doc, dst_file, &dst)
                               : x86_host_judged(ctx, &env, dst_doc, dst_file, &dst, &v->notes);
    if (r < 0)
        return r;
    if (opts->model) {
        r = guest_from_string(ctx, &env, opts->model, src, src_file, &dst, dst_file, &guest, &gf,
                              &m, v);
        if (r < 0)
            return r;
    } else if (!src) {
        return cc_error(EINVAL, "compare with one file needs --model: the guest it would run");
    } else {
        if (opts->verdict_only)
            x86_host_model_memo(&env, src, &guest);
        else
            x86_host_model(env.cat, env.rules, src, &guest);
        gf.phys_bits = src->phys_bits;
        v->guest = xasprintf("host model of %s", src_file);
    }
    if (cc_option_flag(opts->options, "invtsc")) {
        if (src && !x86_words_has(env.cat, &src->supported, env.rules->f_invtsc))
            return cc_error(EINVAL, "%s: the source does not offer invtsc", src_file);
        x86_words_set(env.cat, &guest, env.rules->f_invtsc, true);
    }
    v->src_basis = xstrdup(!src ? "none" : src->kvm ? "kvm" : "cpu");
    v->dst_basis = xstrdup(dst.kvm ? "kvm" : "cpu");
    if ((src && !src->kvm) || !dst.kvm)
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
    /* Only a host-model guest gets the expansion's properties this catalog cannot name. */
    if (r == 0 && !opts->model && src)
        r = check_unknown(&env, src, &dst, v);
    /* QEMU checks phys-bits after enforce: with features missing, those are its answer; and
     * before it compares with the host's address width, which it only warns about. */
    if (r == 0 && gf.phys_refused && !v->blockers.n)
        return gf.phys_refused;
    if (r == 0)
        r = check_invariants(&env, src, &dst, &guest, &gf, v);
    if (r == 0 && gf.phys_refused)
        r = cc_strlist_add(&v->notes, "phys-bits is also outside what QEMU takes: it would "
                                      "refuse the string even where the features are there");
    /* What the destination can offer: its own host model, plus every guest feature it can
     * give (invtsc with --invtsc) or cannot be judged on (MSRs a silicon file lacks). */
    if (opts->verdict_only)
        x86_host_model_memo(&env, &dst, &dst_model);
    else
        x86_host_model(env.cat, env.rules, &dst, &dst_model);
    for (size_t i = 0; i < env.cat->n_words; i++)
        dst_model.w[i] |= guest.w[i] & ~un.w[i];
    v->relation = relation(env.cat, &dst_model, &guest);
    v->migratable = v->blockers.n == 0;
    for (size_t i = 0; i < env.cat->n_features && r == 0 && !opts->verdict_only; i++) {
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
    if (r == 0 && src && !v->migratable && only_features && !opts->verdict_only &&
        (r = x86_env_models(ctx, &env)) == 0) {
        const struct x86_model *s = suggest(&env, src, &dst);
        if (s)
            v->suggestion = xstrdup(s->name);
    }
    return r;
}
