/* `verify SRC.xml` on an arm64 destination: the source's registers written into a scratch vCPU
 * here with KVM_SET_ONE_REG, register by register and, where KVM refuses a register, field by
 * field. Ground truth from the destination's own KVM, beside the offline compare. */
#include "arm64.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"

#if defined(__aarch64__)
#include <linux/kvm.h>

/* Linux 6.15 uapi: MIDR_EL1, REVIDR_EL1 and AIDR_EL1 become writable once a VM enables it. */
#ifndef KVM_CAP_ARM_WRITABLE_IMP_ID_REGS
#define KVM_CAP_ARM_WRITABLE_IMP_ID_REGS 239
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The field `host_reg`.`host_field` of the AArch32 setter (kvm-setters.xml raz-wi) in a register
 * value read from raw data (vcpu < 0) or from this host's KVM; -1 when unknown. */
static long long aa32_field(const struct arm64_catalog *cat, const struct arm64_setter *q,
                            const struct arm64_raw *raw, int vcpu)
{
    const struct arm64_regdef *def = q ? arm64_regdef(cat, q->host_reg) : NULL;
    const struct arm64_reg *reg = def && raw ? arm64_raw_get(raw, def->name) : NULL;
    uint64_t value = 0;

    if (!def || (raw && !reg) || (!raw && arm64_kvm_get_reg(vcpu, def->id, &value) < 0))
        return -1;
    if (reg)
        value = reg->value;
    for (size_t i = 0; i < def->n_fields; i++)
        if (strcmp(def->fields[i].name, q->host_field) == 0)
            return arm64_field_value(&def->fields[i], value);
    return -1;
}

/* Neither the source nor this host has AArch32, as the AArch32 setter tells it. */
static bool neither_aa32(const struct arm64_catalog *cat, const struct arm64_raw *sraw, int vcpu)
{
    const struct arm64_setter *q = NULL;

    for (size_t i = 0; i < cat->n_setters && !q; i++)
        if (cat->setters[i].kind == ARM64_SET_RAZ_WI && cat->setters[i].aarch32)
            q = &cat->setters[i];
    return q && aa32_field(cat, q, sraw, -1) == q->host_value &&
           aa32_field(cat, q, NULL, vcpu) == q->host_value;
}

/* A write KVM took but did not keep, named by field where the fields say which (PMCR_EL0.N
 * reads back as the host's). The AArch32 registers KVM ignores as a whole stay one blocker, or
 * one warning when neither side has AArch32 (the guest cannot enter that state). */
static int ignored(const struct arm64_catalog *cat, const struct arm64_regdef *def,
                   const char *name, uint64_t s, uint64_t back, bool no_aa32, struct cc_verdict *v)
{
    size_t before = v->blockers.n;
    const struct arm64_setter *q;
    bool noted = false;
    int r = 0;

    if (def && def->aarch32 && no_aa32)
        return cc_blockers_add(&v->warnings, name, "KVM_SET_ONE_REG", CC_REASON_IDENTIFICATION,
                               "source %#llx accepted, reads back %#llx: neither has AArch32, "
                               "KVM ignores the write",
                               (unsigned long long)s, (unsigned long long)back);

    for (size_t i = 0; def && !def->aarch32 && i < def->n_fields && r == 0; i++) {
        const struct arm64_field *f = &def->fields[i];
        long long sf = arm64_field_value(f, s), bf = arm64_field_value(f, back);
        char fname[96], where[64], sd[96], bd[96];

        if (sf == bf)
            continue;
        snprintf(fname, sizeof(fname), "%s.%s", def->name, f->name);
        /* KVM's setter took the value and dropped or rewrote it, as kvm-setters.xml says it
         * does: the field the guest never had backed reads as this host shows it. */
        q = arm64_setter_find(cat, ARM64_SET_DROP_IF_HOST, def->name, f->name);
        if (!q && (q = arm64_setter_find(cat, ARM64_SET_REWRITE, def->name, f->name)) &&
            (q->from != (long long)arm64_field_raw(f, s) || q->to != bf))
            q = NULL;
        snprintf(where, sizeof(where), "%s[%u:%u]", def->name, f->lsb + f->width - 1, f->lsb);
        /* The guest sees the change but loses nothing (a field KVM never backed, a PMU's
         * maker): a warning, as compare gives it. */
        if (q) {
            noted = true;
            r = cc_blockers_add(&v->warnings, fname, where, CC_REASON_IDENTIFICATION,
                                "source %lld accepted, reads back %lld: KVM took and dropped "
                                "it (%s)",
                                sf, bf, q->source);
            continue;
        }
        arm64_describe_value(f, sf, sd, sizeof(sd));
        arm64_describe_value(f, bf, bd, sizeof(bd));
        if (f->ident) {
            noted = true;
            r = cc_blockers_add(&v->warnings, fname, where, CC_REASON_IDENTIFICATION,
                                "source %s accepted, reads back %s: KVM keeps its own "
                                "(identification, not a capability)",
                                sd, bd);
            continue;
        }
        r = cc_blockers_add(&v->blockers, fname, where, CC_REASON_INVARIANT,
                            "source %s accepted but ignored: reads back %s", sd, bd);
    }
    if (r == 0 && v->blockers.n == before && !noted)
        r = cc_blockers_add(&v->blockers, name, "KVM_SET_ONE_REG", CC_REASON_INVARIANT,
                            "source %#llx accepted but ignored: reads back %#llx",
                            (unsigned long long)s, (unsigned long long)back);
    return r;
}

static int verify_fields(const struct arm64_regdef *def, int vcpu, uint64_t s, uint64_t d,
                         struct cc_verdict *v, size_t *accepted)
{
    size_t before = v->blockers.n;
    int r = 0;

    for (size_t i = 0; i < def->n_fields && r == 0; i++) {
        const struct arm64_field *f = &def->fields[i];
        long long sf = arm64_field_value(f, s), df = arm64_field_value(f, d);
        char name[96], where[64], sd[96], dd[96];
        int w;

        if (sf == df)
            continue;
        w = arm64_kvm_set_reg(vcpu, def->id, arm64_field_put(f, d, sf));
        if (w == 0) {
            (*accepted)++;
            arm64_kvm_set_reg(vcpu, def->id, d); /* back to the host's value for the next */
            continue;
        }
        snprintf(name, sizeof(name), "%s.%s", def->name, f->name);
        snprintf(where, sizeof(where), "%s[%u:%u]", def->name, f->lsb + f->width - 1, f->lsb);
        arm64_describe_value(f, sf, sd, sizeof(sd));
        arm64_describe_value(f, df, dd, sizeof(dd));
        r = cc_blockers_add(&v->blockers, name, where, CC_REASON_INVARIANT,
                            "source %s, this host %s: KVM_SET_ONE_REG refused it (%s)", sd, dd,
                            strerror(-w));
    }
    /* Every field passes alone but the register is refused: a rule on the combination (e.g.
     * set_clidr() on LoC, LoUU and LoUIS together). */
    if (r == 0 && v->blockers.n == before)
        r = cc_blockers_add(&v->blockers, def->name, "KVM_SET_ONE_REG", CC_REASON_INVARIANT,
                            "source %#llx, this host %#llx: refused as a whole, although each "
                            "differing field is accepted alone",
                            (unsigned long long)s, (unsigned long long)d);
    return r;
}

int arm64_verify(struct cc_ctx *ctx, const struct cc_doc *src, const char *src_file,
                 struct cc_verdict *v)
{
    const struct cc_view *sview = arm64_view_of(src);
    const struct arm64_catalog *cat;
    const struct arm64_raw *sraw;
    _cleanup_close_ int kvm = -1, vm = -1, vcpu = -1;
    struct cc_kvlist props = {0};
    size_t written = 0, accepted = 0;
    bool differ = false, no_aa32;
    int r = arm64_catalog_get(ctx, &cat), ipa;

    if (r < 0)
        return r;
    if (!sview || !sview->raw)
        return cc_error(EINVAL, "%s: no registers", src_file);
    sraw = sview->raw;
    if ((r = arm64_kvm_open("/dev/kvm", &kvm)) < 0 ||
        (r = arm64_kvm_vm("/dev/kvm", kvm, &vm, &ipa)) < 0)
        return r;
    /* Ask for writable implementation ID registers where the kernel has them (before any vCPU
     * exists), so that a MIDR a policy would allow is put to KVM too. */
    if (arm64_kvm_cap(kvm, KVM_CAP_ARM_WRITABLE_IMP_ID_REGS) > 0) {
        struct kvm_enable_cap enable = {.cap = KVM_CAP_ARM_WRITABLE_IMP_ID_REGS};

        arm64_kvm_ioctl(vm, KVM_ENABLE_CAP, &enable);
    }
    if ((r = arm64_kvm_vcpu("/dev/kvm", kvm, vm, ARM64_VF_ALL, false, &vcpu, &props)) < 0) {
        cc_kv_free(&props);
        return r;
    }
    cc_kv_free(&props);
    no_aa32 = neither_aa32(cat, sraw, vcpu);
    if (asprintf(&v->guest, "registers of %s", src_file) < 0) {
        v->guest = NULL;
        return cc_error(ENOMEM, "out of memory");
    }
    v->src_basis = strdup(sview->name);
    v->dst_basis = strdup("this host's KVM");
    if (!v->src_basis || !v->dst_basis)
        return cc_error(ENOMEM, "out of memory");
    for (size_t i = 0; i < sraw->n && r == 0; i++) {
        const struct arm64_reg *s = &sraw->regs[i];
        const struct arm64_regdef *def = arm64_regdef(cat, s->name);
        uint64_t d, back;
        int w;

        if (arm64_kvm_get_reg(vcpu, s->id, &d) < 0) {
            r = cc_blockers_add(&v->blockers, s->name, "KVM_GET_REG_LIST", CC_REASON_MISSING,
                                "this host's KVM does not list this register");
            continue;
        }
        if (d == s->value)
            continue;
        differ = true;
        written++;
        w = arm64_kvm_set_reg(vcpu, s->id, s->value);
        if (w == 0 && arm64_kvm_get_reg(vcpu, s->id, &back) < 0)
            back = s->value; /* nothing to say about what it reads back */
        /* The guest's control bits (PMCR_EL0.P and C reset counters and read as 0) are no
         * property of the CPU. */
        for (size_t f = 0; w == 0 && def && f < def->n_fields; f++)
            if (def->fields[f].state)
                back = arm64_field_put(&def->fields[f], back,
                                       arm64_field_value(&def->fields[f], s->value));
        if (w == 0 && back != s->value && def && def->lower_is_set && back == d)
            r = cc_blockers_add(&v->warnings, s->name, "KVM_SET_ONE_REG", CC_REASON_IDENTIFICATION,
                                "source %#llx accepted, reads back this host's %#llx (a "
                                "firmware level: the guest is no worse off)",
                                (unsigned long long)s->value, (unsigned long long)d);
        else if (w == 0 && back != s->value)
            r = ignored(cat, def, s->name, s->value, back, no_aa32, v);
        else if (w < 0 && def && def->n_fields)
            r = verify_fields(def, vcpu, s->value, d, v, &accepted);
        else if (w < 0)
            r = cc_blockers_add(&v->blockers, s->name, "KVM_SET_ONE_REG", CC_REASON_INVARIANT,
                                "source %#llx, this host %#llx: KVM_SET_ONE_REG refused it (%s)",
                                (unsigned long long)s->value, (unsigned long long)d, strerror(-w));
    }
    /* QEMU's register list here: does it hold every register the source's would send? */
    if (r == 0) {
        _cleanup_free_ char *theirs = NULL, *here = NULL;

        r = arm64_reg_list_of(sview, &theirs);
        if (r == 0 && theirs)
            r = arm64_kvm_reg_list(vcpu, &here);
        if (r == 0 && theirs && here)
            r = arm64_reg_list_judge(cat, src_file, theirs, here, sraw, &v->blockers);
    }
    /* The VM itself: can this host make one with the source's address space, and SVE? */
    unsigned want = 0;
    int has_ipa = r == 0 ? arm64_ipa_limit(sview, src_file, &want) : 0;

    if (has_ipa < 0)
        r = has_ipa;
    if (r == 0 && has_ipa > 0) {
        int trial =
            arm64_kvm_ioctl(kvm, KVM_CREATE_VM, (void *)(long)KVM_VM_TYPE_ARM_IPA_SIZE(want));

        if (trial >= 0)
            close(trial);
        else
            r = cc_blockers_add(&v->blockers, "ipa-size", "KVM_CREATE_VM", CC_REASON_TOO_LOW,
                                "a VM with a %u-bit guest physical address space: %s", want,
                                strerror(-trial));
    }
    if (r == 0 && cc_kv_get(&sview->props, "sve-vector-lengths") &&
        strcmp(cc_kv_get(&sview->props, "sve-vector-lengths"), "none") != 0 &&
        !arm64_kvm_cap(kvm, KVM_CAP_ARM_SVE))
        r = cc_blockers_add(&v->blockers, "sve-vector-lengths", "KVM_CAP_ARM_SVE",
                            CC_REASON_MUST_EQUAL,
                            "the source's guest has SVE (%s bytes), this "
                            "host's KVM has none",
                            cc_kv_get(&sview->props, "sve-vector-lengths"));
    else if (r == 0 && cc_kv_get(&sview->props, "sve-vector-lengths") &&
             strcmp(cc_kv_get(&sview->props, "sve-vector-lengths"), "none") != 0) {
        int refused = 0;

        r = arm64_kvm_try_sve_vls("/dev/kvm", kvm, cc_kv_get(&sview->props, "sve-vector-lengths"),
                                  &refused);
        if (r == 0 && refused)
            r = cc_blockers_add(&v->blockers, "sve-vector-lengths", "KVM_REG_ARM64_SVE_VLS",
                                CC_REASON_MUST_EQUAL,
                                "the source's lengths (%s bytes): KVM_SET_ONE_REG refused them "
                                "(%s)",
                                cc_kv_get(&sview->props, "sve-vector-lengths"), strerror(refused));
    }
    if (r == 0)
        r = cc_strlist_addf(&v->notes,
                            "%zu registers differed from this host's and were written; %zu "
                            "fields of refused registers were accepted one by one",
                            written, accepted);
    if (r == 0)
        r = arm64_view_features(ctx, sview, &v->guest_features);
    v->migratable = r == 0 && v->blockers.n == 0;
    v->relation = !differ ? CC_IDENTICAL : v->migratable ? CC_SUPERSET : CC_INCOMPATIBLE;
    return r;
}
#endif
