/* `expand MODEL` on x86: a named QEMU model as the capability document of a virtual host whose
 * KVM offers exactly that model, so it can stand as SRC or DST anywhere a host file can. */
#include "x86_guest.h"
#include "../../core/error.h"
#include "../../core/qemu.h"

#include <string.h>

#define EXPAND_SOURCE "QEMU CPU model definition"

static int put(struct x86_raw *raw, uint32_t leaf, uint32_t sub, enum x86_reg reg, uint32_t bits)
{
    const struct x86_cpuid *e = x86_raw_cpuid(raw, leaf, sub);
    uint32_t regs[4] = {0};

    if (e)
        memcpy(regs, e->r, sizeof(regs));
    regs[reg] |= bits;
    return x86_raw_set_cpuid(raw, leaf, sub, regs);
}

static int build_raw(const struct x86_env *env, const struct x86_model *m,
                     const struct x86_words *words, unsigned phys_bits, struct x86_raw *raw)
{
    const struct x86_field *phys = &env->cat->phys_bits, *virt = &env->cat->virt_bits;
    const struct x86_cpuid *kvm_sig = &env->cat->kvm_signature;
    uint32_t vendor[3], level = m->level, xlevel = m->xlevel;
    uint32_t sig = (m->stepping & 0xf) | (m->model & 0xf) << 4 | ((m->model >> 4) & 0xf) << 16;
    char brand[48] = {0};
    int r = 0;

    /* family/model as CPUID encodes them: extended fields carry what the base ones cannot. */
    sig |= (m->family > 0xf ? 0xf : m->family) << 8;
    if (m->family > 0xf)
        sig |= (m->family - 0xf) << 20;
    for (int i = 0; i < 3; i++)
        vendor[i] = x86_text_reg(m->vendor + 4 * i);
    for (size_t i = 0; i < env->cat->n_words && r == 0; i++) {
        const struct x86_word *w = &env->cat->words[i];
        uint64_t v = words->w[i];

        if (!v)
            continue;
        if (w->is_msr)
            r = x86_raw_set_msr(raw, w->msr, w->allowed1_decode ? v << 32 : v);
        else {
            r = put(raw, w->leaf, w->has_subleaf ? w->subleaf : 0, w->reg, (uint32_t)v);
            if (w->leaf < 0x40000000 && w->leaf > level)
                level = w->leaf;
            if (w->leaf >= 0x80000000 && w->leaf < 0x80010000 && w->leaf > xlevel)
                xlevel = w->leaf;
        }
    }
    if (r == 0)
        r = put(raw, 0, 0, X86_EAX, level);
    for (int i = 0; i < 3 && r == 0; i++) /* EBX, EDX, ECX */
        r = put(raw, 0, 0, i == 0 ? X86_EBX : i == 1 ? X86_EDX : X86_ECX, vendor[i]);
    if (r == 0)
        r = put(raw, 1, 0, X86_EAX, sig);
    /* QEMU raises xlevel to cover the address-size leaf every model has. */
    if (r == 0)
        r = put(raw, 0x80000000, 0, X86_EAX, xlevel < phys->leaf ? phys->leaf : xlevel);
    /* Centaur/Zhaoxin leaves need their range's base leaf, or nothing reads them. */
    for (size_t i = 0; i < raw->n_cpuid && r == 0; i++)
        if ((raw->cpuid[i].leaf & 0xffff0000u) == 0xc0000000u &&
            !x86_raw_cpuid(raw, 0xc0000000u, 0))
            r = put(raw, 0xc0000000u, 0, X86_EAX, 0xc0000001u);
    if (r == 0)
        r = put(raw, phys->leaf, 0, phys->reg, x86_field_bits(phys, phys_bits));
    if (r == 0)
        r = put(raw, virt->leaf, 0, virt->reg, x86_field_bits(virt, env->rules->named_virt_bits));
    /* The brand string is 48 bytes, NUL-padded, not necessarily NUL-terminated. */
    memcpy(brand, m->model_id, strnlen(m->model_id, sizeof(brand)));
    for (uint32_t l = 0; l < 3 && r == 0; l++)
        for (int reg = 0; reg < 4 && r == 0; reg++) {
            r = put(raw, 0x80000002 + l, 0, (enum x86_reg)reg,
                    x86_text_reg(brand + 16 * l + 4 * reg));
        }
    /* KVM's signature leaf, so the paravirtual leaves it announces are in range. */
    for (int reg = 0; reg < 4 && r == 0; reg++)
        r = put(raw, kvm_sig->leaf, 0, (enum x86_reg)reg, kvm_sig->r[reg]);
    x86_raw_sort(raw);
    return r;
}

const struct x86_model *x86_level_base(const struct x86_env *env, const struct x86_words *w,
                                       unsigned qemu)
{
    const struct x86_model *best = NULL;

    for (size_t i = 0; i < env->models->n_models; i++) {
        const struct x86_model *m = &env->models->models[i];
        bool has = !m->deprecated && m->since <= qemu;

        for (size_t k = 0; k < env->cat->n_words && has; k++)
            has = (w->w[k] & ~m->kvm.w[k]) == 0;
        if (has && (!best || m->n_features < best->n_features))
            best = m;
    }
    return best;
}

/* The first QEMU release that has the model and every feature the string turns on. */
static unsigned release_needed(const struct x86_env *env, const struct x86_guest *g)
{
    unsigned q = g->model ? g->model->since : 0;

    for (size_t i = 0; i < env->cat->n_features; i++)
        if (x86_words_has(env->cat, &g->on, &env->cat->features[i]) &&
            env->rel->feature_since[i] > q)
            q = env->rel->feature_since[i];
    return q;
}

int x86_expand(struct cc_ctx *ctx, const char *name, const struct cc_doc *base,
               const char *base_file, struct cc_doc *doc)
{
    struct x86_env env;
    const struct x86_model *m;
    struct x86_guest g = {0};
    /* A virtual KVM host, for the guest's words: only its accelerator is read. */
    struct x86_host virt = {.kvm = true};
    struct x86_words words;
    struct x86_raw *raw;
    struct cc_view *view;
    char qv[CC_QEMU_VERSION_LEN];
    unsigned qemu, phys;
    int r = x86_env_get(ctx, &env);

    if (r == 0 && base)
        r = cc_error(ENOTSUP, "%s: --host is for arm64 models; an x86 model is a whole CPU",
                     base_file);
    if (r == 0)
        r = x86_env_models(ctx, &env);
    if (r < 0)
        return r;
    /* The string is recorded in the origin's model attribute, a token of at most 256 bytes. */
    if (strlen(name) > 256)
        return cc_error(EINVAL,
                        "'%.80s...': expand records the string in the file, and it is "
                        "longer than 256 bytes",
                        name);
    if (ctx->qemu_override && ctx->qemu_override < env.rel->oldest) {
        cc_qemu_version_format(ctx->qemu_override, qv, sizeof(qv));
        return cc_error(EINVAL, "--qemu: QEMU %s is older than the oldest release cpucompat knows",
                        qv);
    }
    /* Read as the QEMU asked for, else as the newest, which has every name; the virtual host
     * then runs the QEMU asked for, else the one every file without a QEMU is judged by, or the
     * first release with all the string names where that one lacks some. */
    if ((r = x86_guest_parse(ctx, &env, name,
                             ctx->qemu_override ? ctx->qemu_override : env.rel->newest, NULL, NULL,
                             &g)) < 0)
        return r;
    qemu = ctx->qemu_override                           ? ctx->qemu_override
           : release_needed(&env, &g) > CC_QEMU_DEFAULT ? release_needed(&env, &g)
                                                        : 0;
    cc_qemu_version_format(qemu, qv, sizeof(qv));
    if (g.base == X86_GUEST_HOST || g.base == X86_GUEST_MAX || g.base == X86_GUEST_BASE) {
        r = cc_error(EINVAL,
                     "'%s': expand needs a named model or a psABI level (host, max and "
                     "base have no identity of their own)",
                     strlen(name) <= 120 ? name : "(the CPU model string)");
        x86_guest_free(&g);
        return r;
    }
    r = x86_guest_words(&env, &g, &virt, name, &words);
    if (r == 0)
        r = x86_guest_check_phys_bits(&env, &g, &words, true);
    phys = r == 0 ? x86_guest_phys_bits(&env, &g, &words, &virt, 0) : 0;
    m = g.base == X86_GUEST_MODEL ? g.model
                                  : x86_level_base(&env, &words, qemu ? qemu : CC_QEMU_DEFAULT);
    if (r == 0 && !m)
        r = cc_error(EINVAL, "'%s': no QEMU model contains the whole level", name);
    raw = r == 0 ? x86_raw_new() : NULL;
    if (r == 0 && !raw)
        r = cc_error(ENOMEM, "out of memory");
    if (r == 0)
        r = build_raw(&env, m, &words, phys, raw);
    if (r == 0)
        r = x86_identity_from_raw(doc, raw, m->name);
    if (r == 0)
        r = cc_doc_stamp_origin(doc, "expand");
    if (r == 0)
        r = cc_kv_set(&doc->origin, "model",
                      g.base == X86_GUEST_MODEL && !strchr(name, ',') ? m->name : name);
    if (r == 0 && g.base == X86_GUEST_LEVEL)
        r = cc_kv_set(&doc->origin, "base-model", m->name);
    if (r == 0 && qemu)
        r = cc_kv_set(&doc->origin, "qemu-version", qv);
    x86_guest_free(&g);
    if (!raw)
        return r;
    if ((r = cc_doc_finish_view(doc, r, "kvm", EXPAND_SOURCE, raw, NULL, &view)) < 0)
        return r;
    r = cc_kv_setf(&view->props, "phys-bits", "%u", phys);
    if (r == 0)
        r = cc_kv_set(&view->props, "tsc-deadline-timer", "yes");
    if (r == 0)
        r = cc_kv_set(&view->props, "msr-arch-capabilities", "yes");
    return r;
}
