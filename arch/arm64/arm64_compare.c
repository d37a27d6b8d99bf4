/* `compare SRC DST` on arm64: QEMU writes every ID register of the source back on the
 * destination, and the destination's KVM refuses any value it cannot offer. Field by field,
 * with the destination kernel's own rules (cpufeature.c safe values, KVM's writable masks). */
#include "arm64.h"
#include "../../core/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const ftr_names[] = {"untracked", "LOWER_SAFE", "HIGHER_SAFE",
                                        "HIGHER_OR_ZERO_SAFE", "EXACT"};

/* safe(S, D) == S, as arm64_ftr_safe_value() decides it (arch/arm64/kernel/cpufeature.c). */
bool arm64_rule_accepts(const struct arm64_rule *rule, long long s, long long d)
{
    switch (rule->type) {
    case FTR_LOWER_SAFE:
        return s <= d;
    case FTR_HIGHER_SAFE:
        return s >= d;
    case FTR_HIGHER_OR_ZERO_SAFE:
        return s == 0 || (d != 0 && s >= d);
    case FTR_EXACT:
        return s == d || s == rule->safe;
    case FTR_NONE:
        break;
    }
    return s == d;
}

static bool is_identity(const char *reg)
{
    return !strcmp(reg, "MIDR_EL1") || !strcmp(reg, "REVIDR_EL1") || !strcmp(reg, "AIDR_EL1");
}

struct judge {
    const struct arm64_catalog *cat;
    const struct arm64_raw *dst;
    const struct cc_view *dview;
    int k; /* destination kernel's rule set */
    struct cc_verdict *v;
    bool fwd_safe, back_safe, differ;
    const char *policy;
    char family[64];                 /* the policy family of both MIDRs, or "" */
    const char *src_role, *dst_role; /* "source" and "destination", or "model" and "host" */
};

/* Can the destination's KVM change the field? Its own answer when the dump recorded it
 * (KVM_ARM_GET_REG_WRITABLE_MASKS), else the catalog's mask for its kernel version. */
static bool field_writable(const struct judge *j, const struct arm64_regdef *def,
                           const struct arm64_field *f)
{
    char name[96];
    const char *m;
    uint64_t mask, bits;

    snprintf(name, sizeof(name), "writable-mask-%s", def->name);
    m = cc_kv_get(&j->dview->props, name);
    if (!m)
        return f->rule[j->k].writable;
    mask = strtoull(m, NULL, 16);
    bits = (f->width >= 64 ? UINT64_MAX : (1ULL << f->width) - 1) << f->lsb;
    return (mask & bits) == bits;
}

static int judge_fields(struct judge *j, const struct arm64_regdef *def, uint64_t sv, uint64_t dv)
{
    const char *kname = j->cat->kernels[j->k].name;
    uint64_t covered = 0;
    int r = 0;

    for (size_t i = 0; i < def->n_fields && r == 0; i++) {
        const struct arm64_field *f = &def->fields[i];
        const struct arm64_rule *rule = &f->rule[j->k];
        long long s = arm64_field_value(f, sv), d = arm64_field_value(f, dv);
        char name[96], where[64], sd[96], dd[96];
        bool ok;

        covered |= (f->width >= 64 ? UINT64_MAX : ((1ULL << f->width) - 1)) << f->lsb;
        if (s == d || f->state)
            continue;
        j->differ = true;
        snprintf(name, sizeof(name), "%s.%s", def->name, f->name);
        snprintf(where, sizeof(where), "%s[%u:%u]", def->name, f->lsb + f->width - 1, f->lsb);
        arm64_describe_value(f, s, sd, sizeof(sd));
        arm64_describe_value(f, d, dd, sizeof(dd));
        /* A field KVM does not track but lets userspace write takes any value. */
        ok = rule->type == FTR_NONE && field_writable(j, def, f) ? true
                                                                 : arm64_rule_accepts(rule, s, d);
        j->fwd_safe &= ok;
        j->back_safe &= arm64_rule_accepts(rule, d, s);
        if (rule->type == FTR_NONE && field_writable(j, def, f))
            continue; /* KVM takes any value of a field it does not track */
        if (rule->type == FTR_NONE)
            r = cc_blockers_add(&j->v->blockers, name, where, CC_REASON_MUST_EQUAL,
                                "%s %s, %s %s: %s does not track the field, KVM keeps "
                                "the host's value",
                                j->src_role, sd, j->dst_role, dd, kname);
        else if (ok && field_writable(j, def, f) && rule->has_minimum && s < rule->minimum)
            r = cc_blockers_add(&j->v->blockers, name, where, CC_REASON_INVARIANT,
                                "%s %s, %s %s: KVM on %s refuses values below %d (Armv8 "
                                "debug)",
                                j->src_role, sd, j->dst_role, dd, kname, rule->minimum);
        else if (!ok) {
            /* The destination's value is the wrong side of the source's. */
            bool dst_lower = rule->type == FTR_EXACT ? false : d < s;

            r = cc_blockers_add(&j->v->blockers, name, where,
                                rule->type == FTR_EXACT ? CC_REASON_MUST_EQUAL
                                : dst_lower             ? CC_REASON_TOO_LOW
                                                        : CC_REASON_MUST_EQUAL,
                                "%s %s, %s %s, %s is not safe (%s, %s rules)", j->src_role, sd,
                                j->dst_role, dd,
                                rule->type == FTR_EXACT ? "a different value"
                                : dst_lower             ? "lower"
                                                        : "higher",
                                ftr_names[rule->type], kname);
        } else if (!field_writable(j, def, f))
            r = cc_blockers_add(&j->v->blockers, name, where, CC_REASON_INVARIANT,
                                "%s %s, %s %s: safe (%s), but KVM on %s cannot change this "
                                "field (read-only)",
                                j->src_role, sd, j->dst_role, dd, ftr_names[rule->type], kname);
    }
    if (r == 0 && (sv ^ dv) & ~covered) {
        j->differ = true;
        j->fwd_safe = j->back_safe = false;
        r = cc_blockers_add(&j->v->blockers, def->name, def->name, CC_REASON_MUST_EQUAL,
                            "bits %#llx outside any known field differ",
                            (unsigned long long)((sv ^ dv) & ~covered));
    }
    return r;
}

/* The field of a register in raw data, or -1 when either is unknown. */
static long long field_of(const struct arm64_catalog *cat, const struct arm64_raw *raw,
                          const char *reg, const char *field)
{
    const struct arm64_regdef *def = arm64_regdef(cat, reg);
    const struct arm64_reg *r = arm64_raw_get(raw, reg);

    for (size_t i = 0; def && r && i < def->n_fields; i++)
        if (strcmp(def->fields[i].name, field) == 0)
            return arm64_field_value(&def->fields[i], r->value);
    return -1;
}

/* KVM's own checks beyond the field rules (arch/arm64/kvm/sys_regs.c). */
static int judge_quirks(struct judge *j, const struct arm64_regdef *def, uint64_t sv, uint64_t dv,
                        bool *handled)
{
    const char *kname = j->cat->kernels[j->k].name;

    *handled = false;
    /* On a host without AArch32 at EL0 the AArch32 ID registers read as zero and userspace
     * writes to them are ignored (aa32_id_visibility(): REG_RAZ | REG_USER_WI). The migration
     * goes through; the guest no longer sees what it saw. */
    if (def->aarch32 && field_of(j->cat, j->dst, "ID_AA64PFR0_EL1", "EL0") == 1) {
        *handled = true;
        j->differ = true;
        j->fwd_safe = j->back_safe = false;
        return cc_blockers_add(&j->v->blockers, def->name, "KVM_SET_ONE_REG", CC_REASON_INVARIANT,
                               "source %#llx: the destination has no AArch32, its KVM ignores "
                               "writes to AArch32 ID registers and the guest would read %#llx",
                               (unsigned long long)sv, (unsigned long long)dv);
    }
    /* set_clidr(): a CLIDR_EL1 that needs no cache maintenance to the point of unification
     * (LoC, or LoUU and LoUIS, zero) requires CTR_EL0.IDC on the host. */
    if (!strcmp(def->name, "CLIDR_EL1") && def->kvm[j->k].writable) {
        struct arm64_raw one = {.regs = &(struct arm64_reg){.name = "CLIDR_EL1", .value = sv},
                                .n = 1};
        long long loc = field_of(j->cat, &one, "CLIDR_EL1", "LoC");
        long long louu = field_of(j->cat, &one, "CLIDR_EL1", "LoUU");
        long long louis = field_of(j->cat, &one, "CLIDR_EL1", "LoUIS");
        long long idc = field_of(j->cat, j->dst, "CTR_EL0", "IDC");

        if ((loc == 0 || (louu == 0 && louis == 0)) && idc == 0) {
            *handled = true;
            j->differ = true;
            j->fwd_safe = false;
            return cc_blockers_add(&j->v->blockers, def->name, "CLIDR_EL1", CC_REASON_INVARIANT,
                                   "source %#llx implies CTR_EL0.IDC, which the destination "
                                   "lacks: KVM on %s refuses it",
                                   (unsigned long long)sv, kname);
        }
    }
    (void)dv;
    return 0;
}

static int judge_identity(struct judge *j, const struct arm64_regdef *def, uint64_t sv, uint64_t dv)
{
    bool settable = def->kvm[j->k].known && def->kvm[j->k].writable;

    if (settable && j->family[0]) {
        j->differ = true;
        return cc_strlist_addf(&j->v->notes,
                               "%s differs (%#llx, %#llx); the destination's KVM sets it and the "
                               "MIDR policy puts both hosts in family %s",
                               def->name, (unsigned long long)sv, (unsigned long long)dv,
                               j->family);
    }
    j->differ = true;
    j->fwd_safe = j->back_safe = false;
    return cc_blockers_add(
        &j->v->blockers, def->name, def->name, CC_REASON_MUST_EQUAL,
        "source %#llx, destination %#llx: identity, not a feature; %s", (unsigned long long)sv,
        (unsigned long long)dv,
        !settable   ? "KVM on this kernel keeps the host's value"
        : j->policy ? "the MIDR policy does not put both hosts in one family"
                    : "this kernel could set it, but the guest's errata workarounds depend on it "
                      "(see --midr-policy)");
}

/* Properties of the VM rather than of ID registers: the guest's physical address space and its
 * SVE vector lengths. Checked where both files recorded them (dumps do; imports may not). */
static int judge_vm(struct judge *j, const struct cc_view *sview, const struct cc_view *dview)
{
    const char *sipa = cc_kv_get(&sview->props, "ipa-limit");
    const char *dipa = cc_kv_get(&dview->props, "ipa-limit");
    const char *svl = cc_kv_get(&sview->props, "sve-vector-lengths");
    const char *dvl = cc_kv_get(&dview->props, "sve-vector-lengths");
    const char *dsve = cc_kv_get(&dview->props, "cap-sve");
    int r = 0;

    /* The source VM was made with its host's largest IPA size, as a VMM asks for it. */
    if (sipa && dipa && atoi(sipa) > atoi(dipa)) {
        j->fwd_safe = false;
        j->differ = true;
        r = cc_blockers_add(&j->v->blockers, "ipa-size", "KVM_CAP_ARM_VM_IPA_SIZE",
                            CC_REASON_TOO_LOW,
                            "guest physical address space %s bits, the destination's KVM allows "
                            "%s",
                            sipa, dipa);
    }
    /* KVM takes a vector-length set only if it equals the host's lengths up to its own
     * maximum (sve_vls set_user), not merely a subset of them. */
    if (!dvl && dsve && strcmp(dsve, "0") == 0)
        dvl = "none"; /* a dump of a host without SVE */
    if (r == 0 && svl && strcmp(svl, "none") != 0) {
        char want[256] = "", copy[256], *save = NULL;
        int max = 0;
        size_t used = 0;

        snprintf(copy, sizeof(copy), "%s", svl);
        for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save))
            max = atoi(t) > max ? atoi(t) : max;
        snprintf(copy, sizeof(copy), "%s", dvl ? dvl : "none");
        save = NULL;
        for (char *t = strtok_r(copy, " ", &save); t && used < sizeof(want);
             t = strtok_r(NULL, " ", &save))
            if (atoi(t) > 0 && atoi(t) <= max)
                used +=
                    (size_t)snprintf(want + used, sizeof(want) - used, "%s%s", used ? " " : "", t);
        if (dvl && strcmp(want, svl) != 0) {
            j->fwd_safe = false;
            j->differ = true;
            r = cc_blockers_add(&j->v->blockers, "sve-vector-lengths", "KVM_REG_ARM64_SVE_VLS",
                                CC_REASON_MUST_EQUAL,
                                "source %s bytes, destination's up to %d: %s; KVM wants them "
                                "equal",
                                svl, max, want[0] ? want : "none");
        }
    }
    return r;
}

int arm64_host_rules(const struct arm64_catalog *cat, const struct cc_doc *doc,
                     const struct cc_view *view, const char *file, int *k)
{
    const char *kernel = arm64_kernel_of(doc, view);

    if (!kernel)
        return cc_error(EINVAL,
                        "%s: no kernel release recorded: the host's kernel decides which rules "
                        "apply",
                        file);
    *k = arm64_kernel_rules(cat, kernel);
    if (*k < 0)
        return cc_error(EINVAL,
                        "%s: kernel '%s' is older than every rule set cpucompat has (oldest: %s)",
                        file, kernel, cat->kernels[0].name);
    return 0;
}

int arm64_judge(const struct arm64_catalog *cat, int k, const struct arm64_raw *sraw,
                const struct cc_view *sview, const struct arm64_raw *draw,
                const struct cc_view *dview, const char *policy, const char *const roles[2],
                struct cc_verdict *v, struct arm64_judgement *out)
{
    struct judge j = {.cat = cat,
                      .src_role = roles ? roles[0] : "source",
                      .dst_role = roles ? roles[1] : "destination",
                      .dst = draw,
                      .dview = dview,
                      .k = k,
                      .v = v,
                      .fwd_safe = true,
                      .back_safe = true,
                      .policy = policy};
    int r = 0;

    if (policy) {
        const struct arm64_reg *sm = arm64_raw_get(sraw, "MIDR_EL1");
        const struct arm64_reg *dm = arm64_raw_get(draw, "MIDR_EL1");

        if (sm && dm)
            r = arm64_midr_policy_family(policy, sm->value, dm->value, j.family, sizeof(j.family));
    }
    for (size_t i = 0; i < sraw->n && r == 0; i++) {
        const struct arm64_reg *s = &sraw->regs[i], *d = arm64_raw_get(draw, s->name);
        const struct arm64_regdef *def = arm64_regdef(cat, s->name);

        if (!d) {
            j.fwd_safe = false;
            j.differ = true;
            r = cc_blockers_add(&v->blockers, s->name, "KVM_GET_REG_LIST", CC_REASON_MISSING,
                                "the destination's KVM does not list this register; QEMU refuses "
                                "the migration stream");
        } else if (s->value == d->value) {
            continue;
        } else if (def && def->lower_is_set && s->value < d->value) {
            j.differ = true;
            j.back_safe = false;
            r = cc_strlist_addf(&v->notes,
                                "%s: source %#llx, destination %#llx: KVM takes a lower level "
                                "(a workaround level reads back as the destination's)",
                                s->name, (unsigned long long)s->value,
                                (unsigned long long)d->value);
        } else if (!def || !def->n_fields) {
            j.differ = true;
            j.fwd_safe = j.back_safe = false;
            r = cc_blockers_add(&v->blockers, s->name, "KVM_GET_ONE_REG", CC_REASON_MUST_EQUAL,
                                "source %#llx, destination %#llx: no field rules (a firmware "
                                "register), must be equal",
                                (unsigned long long)s->value, (unsigned long long)d->value);
        } else if (is_identity(s->name)) {
            r = judge_identity(&j, def, s->value, d->value);
        } else {
            bool handled;

            r = judge_quirks(&j, def, s->value, d->value, &handled);
            if (r == 0 && !handled)
                r = judge_fields(&j, def, s->value, d->value);
        }
    }
    if (r == 0 && sview)
        r = judge_vm(&j, sview, dview);
    out->differ = j.differ;
    out->fwd_safe = j.fwd_safe;
    out->back_safe = j.back_safe;
    return r;
}

/* A named model (--model, or an expanded model as the source): the guest is the model on the
 * source, or on the destination for an expanded model, and the destination's vCPU is set up as
 * the model asks (arm64_model_host()). */
static int model_setup(struct cc_ctx *ctx, const struct arm64_catalog *cat, const char *name,
                       bool on_source, const struct cc_doc *src, const struct cc_view *sview,
                       const char *src_file, const struct cc_view *dview, struct arm64_raw **guest,
                       struct arm64_raw **dst)
{
    const struct arm64_model_set *set;
    const struct arm64_model *m;
    struct arm64_raw *base = NULL;
    struct cc_blockers why = {0};
    int k, r = arm64_models_get(ctx, cat, &set);

    if (r < 0)
        return r;
    if (!(m = arm64_model_find(set, name)))
        return cc_error(ENOENT, "unknown CPU model '%s' (see 'cpucompat models')", name);
    if (on_source) {
        if ((r = arm64_host_rules(cat, src, sview, src_file, &k)) < 0)
            return r;
        r = arm64_model_judge(cat, k, m, sview->raw, sview, &why);
        if (r == 0 && why.n)
            r = cc_error(EINVAL, "%s: model %s cannot run on the source itself (%s: %s%s)",
                         src_file, m->name, why.items[0].name, why.items[0].detail,
                         why.n > 1 ? "; ..." : "");
        cc_blockers_free(&why);
    }
    if (r == 0)
        r = arm64_model_host(m, on_source ? sview->raw : dview->raw, &base, NULL);
    if (r == 0)
        r = arm64_model_apply(m, base, guest);
    if (r == 0)
        r = arm64_model_host(m, dview->raw, dst, NULL);
    arm64_raw_free(base);
    return r;
}

static int compare_two(struct cc_ctx *ctx, const struct cc_doc *src, const char *src_file,
                       const struct cc_doc *dst, const char *dst_file,
                       const struct cc_compare_opts *opts, struct cc_verdict *v)
{
    const struct cc_view *sview = arm64_view_of(src), *dview = arm64_view_of(dst);
    const struct arm64_catalog *cat;
    struct arm64_raw *guest = NULL, *dcfg = NULL;
    struct arm64_judgement jr;
    const char *method = cc_kv_get(&src->origin, "method");
    const char *expanded =
        method && !strcmp(method, "expand") ? cc_kv_get(&src->origin, "model") : NULL;
    int k, r = arm64_catalog_get(ctx, &cat);

    if (r < 0)
        return r;
    if (opts->invtsc)
        return cc_error(EINVAL, "--invtsc is an x86 option");
    if (!sview || !sview->raw || !dview || !dview->raw)
        return cc_error(EINVAL, "%s: no registers", !sview || !sview->raw ? src_file : dst_file);
    if ((r = arm64_host_rules(cat, dst, dview, dst_file, &k)) < 0)
        return r;
    if (expanded && opts->model)
        return cc_error(EINVAL, "%s: an expanded model is not a host; --model needs a real source",
                        src_file);
    if ((opts->model || expanded) &&
        (r = model_setup(ctx, cat, expanded ? expanded : opts->model, !expanded, src, sview,
                         src_file, dview, &guest, &dcfg)) < 0)
        goto out;
    if (opts->model || expanded)
        v->guest = strdup(expanded ? expanded : opts->model);
    else if (asprintf(&v->guest, "-cpu host of %s", src_file) < 0)
        v->guest = NULL;
    v->src_basis = strdup(sview->name);
    v->dst_basis = strdup(dview->name);
    if (!v->guest || !v->src_basis || !v->dst_basis) {
        r = cc_error(ENOMEM, "out of memory");
        goto out;
    }
    r = cc_strlist_addf(&v->notes, "destination judged by %s rules (its kernel: %s)",
                        cat->kernels[k].name, arm64_kernel_of(dst, dview));
    if (r == 0 && strcmp(sview->name, dview->name) != 0)
        r = cc_strlist_addf(&v->notes,
                            "the source's %s view is set against the destination's %s view: "
                            "EL0 (cpu) and KVM views show different things, so differences are "
                            "expected",
                            sview->name, dview->name);
    if (r == 0 && expanded)
        r = cc_strlist_addf(&v->notes,
                            "%s is the expanded model %s: judged as that model on the "
                            "destination, the fields it leaves open taking the destination's "
                            "values",
                            src_file, expanded);
    if (r == 0)
        r = arm64_judge(cat, k, guest ? guest : sview->raw, expanded ? NULL : sview,
                        dcfg ? dcfg : dview->raw, dview, opts->midr_policy, NULL, v, &jr);
    if (r < 0)
        goto out;
    v->migratable = v->blockers.n == 0;
    v->relation = !jr.differ                     ? CC_IDENTICAL
                  : jr.fwd_safe && !jr.back_safe ? CC_SUPERSET
                  : jr.back_safe && !jr.fwd_safe ? CC_SUBSET
                  : jr.fwd_safe                  ? CC_SUPERSET
                                                 : CC_INCOMPATIBLE;
    {
        struct cc_view gv = {.raw = guest ? guest : sview->raw};
        struct cc_strlist sf = {0}, df = {0};

        r = arm64_view_features(ctx, &gv, &sf);
        if (r == 0)
            r = arm64_view_features(ctx, dview, &df);
        for (size_t i = 0; i < sf.n && r == 0; i++)
            r = cc_strlist_add(&v->guest_features, sf.items[i]);
        for (size_t i = 0; i < df.n && r == 0; i++)
            if (!cc_strlist_contains(&sf, df.items[i]))
                r = cc_strlist_add(&v->extra, df.items[i]);
        cc_strlist_free(&sf);
        cc_strlist_free(&df);
    }
out:
    arm64_raw_free(guest);
    arm64_raw_free(dcfg);
    return r;
}

int arm64_compare(struct cc_ctx *ctx, const struct cc_doc *src, const char *src_file,
                  const struct cc_doc *dst, const char *dst_file,
                  const struct cc_compare_opts *opts, struct cc_verdict *v)
{
    /* One file: the destination's question, answered for x86 guests so far. */
    if (!src)
        return cc_error(ENOTSUP, "%s: compare with one file is for x86 guests; give SRC and DST",
                        dst_file);
    return compare_two(ctx, src, src_file, dst, dst_file, opts, v);
}
