/* `expand MODEL` on x86: a named QEMU model as the capability document of a virtual host whose
 * KVM offers exactly that model, so it can stand as SRC or DST anywhere a host file can. */
#include "x86_engine.h"
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

static int build_raw(const struct x86_env *env, const struct x86_model *m, struct x86_raw *raw)
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
        uint64_t v = m->kvm.w[i];

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
        r = put(raw, phys->leaf, 0, phys->reg, x86_field_bits(phys, env->rules->named_phys_bits));
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

int x86_expand(struct cc_ctx *ctx, const char *name, const struct cc_doc *base,
               const char *base_file, struct cc_doc *doc)
{
    struct x86_env env;
    const struct x86_model *m;
    struct x86_raw *raw;
    struct cc_view *view;
    char qv[CC_QEMU_VERSION_LEN];
    unsigned qemu;
    int r = x86_env_get(ctx, &env);

    if (r == 0 && base)
        r = cc_error(ENOTSUP, "%s: --host is for arm64 models; an x86 model is a whole CPU",
                     base_file);
    if (r == 0)
        r = x86_env_models(ctx, &env);
    if (r < 0)
        return r;
    m = x86_model_find(env.models, name);
    if (!m)
        return cc_model_unknown(ctx, NULL, name);
    /* The virtual host runs the QEMU asked for; else the one every file without a QEMU is
     * judged by, or the first release with the model where that one lacks it. */
    qemu = ctx->qemu_override ? ctx->qemu_override : m->since > CC_QEMU_DEFAULT ? m->since : 0;
    cc_qemu_version_format(qemu, qv, sizeof(qv));
    if (qemu && qemu < env.rel->oldest)
        return cc_error(EINVAL, "--qemu: QEMU %s is older than the oldest release cpucompat knows",
                        qv);
    if (qemu && !x86_model_in_qemu(m, &(struct x86_host){.qemu = qemu})) {
        char since[CC_QEMU_VERSION_LEN];

        cc_qemu_version_format(m->since, since, sizeof(since));
        return cc_error(EINVAL, "model %s is not in QEMU %s (first in %s)", m->name, qv, since);
    }
    raw = x86_raw_new();
    if (!raw)
        return cc_error(ENOMEM, "out of memory");
    r = build_raw(&env, m, raw);
    if (r == 0)
        r = x86_identity_from_raw(doc, raw, m->name);
    if (r == 0)
        r = cc_doc_stamp_origin(doc, "expand");
    if (r == 0)
        r = cc_kv_set(&doc->origin, "model", m->name);
    if (r == 0 && qemu)
        r = cc_kv_set(&doc->origin, "qemu-version", qv);
    if ((r = cc_doc_finish_view(doc, r, "kvm", EXPAND_SOURCE, raw, NULL, &view)) < 0)
        return r;
    r = cc_kv_setf(&view->props, "phys-bits", "%u", env.rules->named_phys_bits);
    if (r == 0)
        r = cc_kv_set(&view->props, "tsc-deadline-timer", "yes");
    if (r == 0)
        r = cc_kv_set(&view->props, "msr-arch-capabilities", "yes");
    return r;
}
