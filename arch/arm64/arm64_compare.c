/* `compare SRC DST` on arm64: QEMU writes every ID register of the source back on the
 * destination, and the destination's KVM refuses any value it cannot offer. Field by field,
 * with the destination kernel's own rules (cpufeature.c safe values, KVM's writable masks). */
#include "arm64.h"
#include "../../core/error.h"
#include "../../core/number.h"

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

static bool is_identity(const struct arm64_catalog *cat, const char *reg)
{
    return arm64_setter_find(cat, ARM64_SET_IDENTITY, reg, NULL) != NULL;
}

struct judge {
    const struct arm64_catalog *cat;
    const struct arm64_raw *dst;
    const struct cc_view *dview;
    int k;               /* destination kernel's rule set */
    int next;            /* the next newer rule set when the kernel lies between two, else -1 */
    const char *release; /* the destination's kernel release */
    const struct arm64_raw *src;
    struct cc_verdict *v;
    bool fwd_safe, back_safe, differ;
    const char *policy;
    char family[64];                 /* the policy family of both MIDRs, or "" */
    const char *src_role, *dst_role; /* "source" and "destination", or "model" and "host" */
};

/* Can the destination's KVM change the field? Its own answer when the dump recorded it
 * (KVM_ARM_GET_REG_WRITABLE_MASKS), else the catalog's mask for its kernel version. */
static bool field_writable_in(const struct judge *j, const struct arm64_regdef *def,
                              const struct arm64_field *f, int k)
{
    static const char prefix[] = "writable-mask-";
    char name[96];
    size_t n = strlen(def->name);
    const char *m;
    uint64_t mask, bits;

    /* Asked for every field of every pair of a fleet's matrix: no printf. A name too long for
     * the buffer is no property's (the schema's names are register names). */
    if (n >= sizeof(name) - (sizeof(prefix) - 1))
        return f->rule[k].writable;
    memcpy(name, prefix, sizeof(prefix) - 1);
    memcpy(name + sizeof(prefix) - 1, def->name, n + 1);
    m = cc_kv_get(&j->dview->props, name);
    if (!m)
        return f->rule[k].writable;
    mask = strtoull(m, NULL, 16);
    bits = (f->width >= 64 ? UINT64_MAX : (1ULL << f->width) - 1) << f->lsb;
    return (mask & bits) == bits;
}

static bool field_writable(const struct judge *j, const struct arm64_regdef *def,
                           const struct arm64_field *f)
{
    return field_writable_in(j, def, f, j->k);
}

/* Whether the destination's KVM takes s where it shows d, by the field rules of set k alone. */
static bool rule_takes(const struct judge *j, const struct arm64_regdef *def,
                       const struct arm64_field *f, int k, long long s, long long d)
{
    const struct arm64_rule *rule = &f->rule[k];
    bool w = field_writable_in(j, def, f, k);

    if (rule->type == FTR_NONE)
        return w;
    return arm64_rule_accepts(rule, s, d) && w && !(rule->has_minimum && s < rule->minimum);
}

/* A kernel between two rule sets: the older decides, and a field the two sets judge
 * differently is uncertain. */
static bool uncertain_field(const struct judge *j, const struct arm64_regdef *def,
                            const struct arm64_field *f, long long s, long long d)
{
    return j->next >= 0 &&
           rule_takes(j, def, f, j->k, s, d) != rule_takes(j, def, f, j->next, s, d);
}

static void mark_uncertain(struct judge *j, size_t before)
{
    for (size_t i = before; i < j->v->blockers.n; i++)
        j->v->blockers.items[i].uncertain = true;
}

/* The MIDR of both sides, equal: the same core, whose ID fields the hardware fixes. */
static bool same_core(const struct judge *j)
{
    const struct arm64_reg *a = arm64_raw_get(j->src, "MIDR_EL1");
    const struct arm64_reg *b = arm64_raw_get(j->dst, "MIDR_EL1");

    return a && b && a->value == b->value;
}

/* KVM's setter quirks of a field on the destination's kernel (kvm-setters.xml). *s may be
 * rewritten; *done says the quirk settled the field (accepted, or a blocker added). */
static int field_quirks(struct judge *j, const struct arm64_regdef *def,
                        const struct arm64_field *f, long long *s, long long d, bool *done,
                        bool *unsure)
{
    const unsigned quirks =
        1u << ARM64_SET_REWRITE | 1u << ARM64_SET_REFUSE | 1u << ARM64_SET_DROP_IF_HOST;
    const struct arm64_setter *q, *rewrite, *refuse, *drop;
    enum arm64_applies a;
    char name[96], where[64];

    *done = *unsure = false;
    /* Most fields have none (marked at load): a fleet's matrix judges every differing one. */
    if (!(f->setter_kinds & quirks))
        return 0;
    rewrite = arm64_setter_find(j->cat, ARM64_SET_REWRITE, def->name, f->name);
    refuse = arm64_setter_find(j->cat, ARM64_SET_REFUSE, def->name, f->name);
    drop = arm64_setter_find(j->cat, ARM64_SET_DROP_IF_HOST, def->name, f->name);
    snprintf(name, sizeof(name), "%s.%s", def->name, f->name);
    snprintf(where, sizeof(where), "%s[%u:%u]", def->name, f->lsb + f->width - 1, f->lsb);
    /* The setters speak of the field's bits: IMP_DEF is 15, which a signed field reads as -1. */
    q = rewrite;
    if (q && (*s < 0 ? *s + (1LL << f->width) : *s) == q->from &&
        (a = arm64_setter_applies(q, j->release)) != ARM64_NO) {
        *unsure = a == ARM64_UNKNOWN;
        if (a == ARM64_UNKNOWN)
            return cc_strlist_addf(&j->v->notes,
                                   "uncertain: %s %lld may be written as %lld by KVM on %s (%s); "
                                   "judged as written",
                                   name, *s, q->to, j->release, q->source);
        *s = q->to;
        j->differ = true;
        if (*s == d)
            *done = true;
        /* The guest sees the rewritten value; it names the same capability (none). */
        return cc_blockers_add(&j->v->warnings, name, where, CC_REASON_IDENTIFICATION,
                               "source %lld: KVM on %s takes it as %lld (%s); the guest reads "
                               "%lld after the move",
                               q->from, j->release, q->to, q->source, q->to);
    }
    q = refuse;
    if (q && !q->has_below && *s >= 0 && *s < 64 && (q->refused >> *s & 1) &&
        field_writable(j, def, f) && (a = arm64_setter_applies(q, j->release)) != ARM64_NO) {
        size_t before = j->v->blockers.n;
        int r;

        *done = true;
        j->differ = true;
        j->fwd_safe = false;
        r = cc_blockers_add(&j->v->blockers, name, where, CC_REASON_INVARIANT,
                            "source %lld: KVM on %s refuses this value (%s)", *s, j->release,
                            q->source);
        if (a == ARM64_UNKNOWN)
            mark_uncertain(j, before);
        return r;
    }
    q = drop;
    if (q && *s != d && (a = arm64_setter_applies(q, j->release)) != ARM64_NO) {
        char key[128];
        const char *rec;
        long long host = -1;
        uint64_t rv;
        bool assumed = false;

        /* The value the destination's hardware has: what its dump found KVM to take, else the
         * source's own when both are the same core (KVM shows the host's value or 0). */
        snprintf(key, sizeof(key), "kvm-host-value-%s", name);
        rec = cc_kv_get(&j->dview->props, key);
        if (rec && cc_parse_decimal(rec, 0, 255, &rv) == 0)
            host = (long long)rv;
        else if (rec) /* the schema refuses it at read: a document built otherwise */
            return cc_error(EINVAL, "%s: '%s' is not a field value", key, rec);
        else if (same_core(j)) {
            host = *s;
            assumed = true;
        }
        /* The destination's dump asked KVM itself: its word over the version ranges. */
        if (rec && host == *s && host != 0)
            a = ARM64_YES;
        if (host != *s || a == ARM64_UNKNOWN) {
            *unsure = a == ARM64_UNKNOWN && host == *s;
            if (a == ARM64_UNKNOWN && host == *s)
                return cc_strlist_addf(&j->v->notes,
                                       "uncertain: %s: KVM on %s may take the host's value %lld "
                                       "and drop it (%s); judged without it",
                                       name, j->release, *s, q->source);
            return cc_strlist_addf(&j->v->notes,
                                   "%s: KVM on %s takes the source's %lld only if it is this "
                                   "host's own value (%s), which is %s",
                                   name, j->release, *s, q->source,
                                   rec ? rec : "not recorded (dump the destination again)");
        }
        *done = true;
        j->differ = true;
        /* The guest sees the field change, but KVM never backed it for guests: nothing lost. */
        return cc_blockers_add(&j->v->warnings, name, where, CC_REASON_IDENTIFICATION,
                               "source %lld, destination %lld: KVM on %s takes the host's own "
                               "value and drops it (%s); %s; the guest reads %lld after the "
                               "move, a field KVM never backed",
                               *s, d, j->release, q->source,
                               assumed ? "the same core (MIDR) as the source, so the same value"
                                       : "the destination's dump found KVM to take it",
                               d);
    }
    return 0;
}

/* The texts of a blocker on a field; none when it would only be counted. */
static void describe(const struct cc_blockers *b, const struct arm64_regdef *def,
                     const struct arm64_field *f, long long s, long long d, char name[96],
                     char where[64], char sd[96], char dd[96])
{
    if (cc_blockers_full(b)) {
        name[0] = where[0] = sd[0] = dd[0] = '\0';
        return;
    }
    snprintf(name, 96, "%s.%s", def->name, f->name);
    snprintf(where, 64, "%s[%u:%u]", def->name, f->lsb + f->width - 1, f->lsb);
    arm64_describe_value(f, s, sd, 96);
    arm64_describe_value(f, d, dd, 96);
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
        size_t before = j->v->blockers.n;
        bool ok, done, unsure;

        covered |= (f->width >= 64 ? UINT64_MAX : ((1ULL << f->width) - 1)) << f->lsb;
        if (s == d || f->state)
            continue;
        if (f->ident) {
            bool wobbly = uncertain_field(j, def, f, s, d);

            if (wobbly && (r = cc_strlist_addf(&j->v->notes,
                                               "uncertain: %s.%s: %s lies between the %s and %s "
                                               "rule sets, of which one keeps the written value "
                                               "and one its own; judged by %s",
                                               def->name, f->name, j->release, kname,
                                               j->cat->kernels[j->next].name, kname)) < 0)
                break;
            /* A kernel that keeps the written value shows the guest no change. */
            if (field_writable(j, def, f))
                continue;
            j->differ = true;
            arm64_describe_value(f, s, sd, sizeof(sd));
            arm64_describe_value(f, d, dd, sizeof(dd));
            snprintf(name, sizeof(name), "%s.%s", def->name, f->name);
            snprintf(where, sizeof(where), "%s[%u:%u]", def->name, f->lsb + f->width - 1, f->lsb);
            r = cc_blockers_add(&j->v->warnings, name, where, CC_REASON_IDENTIFICATION,
                                "%s %s, %s %s: KVM on %s keeps its own value (identification, "
                                "not a capability); the guest reads %s after the move",
                                j->src_role, sd, j->dst_role, dd, kname, dd);
            if (r == 0 && wobbly)
                j->v->warnings.items[j->v->warnings.n - 1].uncertain = true;
            continue;
        }
        if ((r = field_quirks(j, def, f, &s, d, &done, &unsure)) < 0 || done || s == d)
            continue;
        j->differ = true;
        if (uncertain_field(j, def, f, s, d) &&
            (r = cc_strlist_addf(&j->v->notes,
                                 "uncertain: %s.%s: %s lies between the %s and %s rule sets, "
                                 "which judge it differently; judged by %s",
                                 def->name, f->name, j->release, kname,
                                 j->cat->kernels[j->next].name, kname)) < 0)
            break;
        /* A field KVM does not track but lets userspace write takes any value. */
        ok = rule->type == FTR_NONE && field_writable(j, def, f) ? true
                                                                 : arm64_rule_accepts(rule, s, d);
        j->fwd_safe &= ok;
        j->back_safe &= arm64_rule_accepts(rule, d, s);
        if (rule->type == FTR_NONE && field_writable(j, def, f))
            continue; /* KVM takes any value of a field it does not track */
        describe(&j->v->blockers, def, f, s, d, name, where, sd, dd);
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
        if (r == 0 && (unsure || uncertain_field(j, def, f, s, d)))
            mark_uncertain(j, before);
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

/* Every field of one group of "LoC;LoUU,LoUIS" is zero in the register value v. */
static bool any_group_zero(const struct arm64_catalog *cat, const char *reg, uint64_t v,
                           const char *groups)
{
    struct arm64_raw one = {.regs = &(struct arm64_reg){.value = v}, .n = 1};
    char copy[128], *gs = NULL;

    snprintf(one.regs[0].name, sizeof(one.regs[0].name), "%s", reg);
    snprintf(copy, sizeof(copy), "%s", groups);
    for (char *g = strtok_r(copy, ";", &gs); g; g = strtok_r(NULL, ";", &gs)) {
        char *fs = NULL;
        bool all = true;

        for (char *f = strtok_r(g, ",", &fs); f && all; f = strtok_r(NULL, ",", &fs))
            all = field_of(cat, &one, reg, f) == 0;
        if (all)
            return true;
    }
    return false;
}

/* KVM's checks beyond the field rules that take the whole register or the host into account
 * (data/arm64/kvm-setters.xml). */
static int judge_quirks(struct judge *j, const struct arm64_regdef *def, uint64_t sv, uint64_t dv,
                        bool *handled)
{
    const char *kname = j->cat->kernels[j->k].name;
    const struct arm64_setter *q;

    *handled = false;
    for (size_t i = 0; i < j->cat->n_setters; i++) {
        q = &j->cat->setters[i];
        /* Userspace writes to the registers are ignored: the migration goes through and the
         * guest reads the destination's own value (0, or on newer kernels ID_DFR0_EL1 with
         * its PerfMon; seen on the rig by tests/rigs/test-arm64-guest-view.sh). A guest that had
         * AArch32 loses it; one that had none sees an identification change only. */
        if (q->kind == ARM64_SET_RAZ_WI &&
            (q->aarch32 ? def->aarch32 : !strcmp(q->reg, def->name)) &&
            field_of(j->cat, j->dst, q->host_reg, q->host_field) == q->host_value &&
            arm64_setter_applies(q, j->release) == ARM64_YES) {
            bool had_none = field_of(j->cat, j->src, q->host_reg, q->host_field) == q->host_value;

            *handled = true;
            j->differ = true;
            if (had_none)
                return cc_blockers_add(&j->v->warnings, def->name, "KVM_SET_ONE_REG",
                                       CC_REASON_IDENTIFICATION,
                                       "source %#llx, destination %#llx: neither has AArch32; "
                                       "KVM ignores writes to AArch32 ID registers (%s) and the "
                                       "guest reads %#llx after the move, of a state it cannot "
                                       "enter",
                                       (unsigned long long)sv, (unsigned long long)dv, q->source,
                                       (unsigned long long)dv);
            j->fwd_safe = j->back_safe = false;
            return cc_blockers_add(&j->v->blockers, def->name, "KVM_SET_ONE_REG",
                                   CC_REASON_INVARIANT,
                                   "source %#llx: the destination has no AArch32, its KVM ignores "
                                   "writes to AArch32 ID registers and the guest would read %#llx "
                                   "(%s)",
                                   (unsigned long long)sv, (unsigned long long)dv, q->source);
        }
        if (q->kind == ARM64_SET_NEEDS_HOST && !strcmp(q->reg, def->name) &&
            def->kvm[j->k].writable && any_group_zero(j->cat, def->name, sv, q->if_zero) &&
            field_of(j->cat, j->dst, q->host_reg, q->host_field) == 0) {
            enum arm64_applies a = arm64_setter_applies(q, j->release);
            size_t before = j->v->blockers.n;
            int r;

            if (a == ARM64_NO)
                continue;
            *handled = true;
            j->differ = true;
            j->fwd_safe = false;
            r = cc_blockers_add(&j->v->blockers, def->name, def->name, CC_REASON_INVARIANT,
                                "source %#llx implies %s.%s, which the destination lacks: KVM "
                                "on %s refuses it (%s)",
                                (unsigned long long)sv, q->host_reg, q->host_field, kname,
                                q->source);
            if (a == ARM64_UNKNOWN)
                mark_uncertain(j, before);
            return r;
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
    uint64_t si = 0, di = 0;
    int r = 0;

    /* The source VM was made with its host's largest IPA size, as a VMM asks for it. Files were
     * checked when read (arm64_compare names them); a malformed value is never read as 0. */
    if (sipa && dipa &&
        (cc_parse_decimal(sipa, ARM64_IPA_MIN, ARM64_IPA_MAX, &si) < 0 ||
         cc_parse_decimal(dipa, ARM64_IPA_MIN, ARM64_IPA_MAX, &di) < 0))
        return cc_error(EINVAL, "ipa-limit '%s' or '%s' is not a decimal number from %d to %d",
                        sipa, dipa, ARM64_IPA_MIN, ARM64_IPA_MAX);
    if (sipa && dipa && si > di) {
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
                      .next = -1,
                      .src = sraw,
                      .v = v,
                      .fwd_safe = true,
                      .back_safe = true,
                      .policy = policy};
    int r = 0;
    char fallback[32];
    struct arm64_release rel, nxt;

    /* The release the destination's kernel reports, else the first of its rule set. */
    j.release = dview ? cc_kv_get(&dview->props, "kernel-release") : NULL;
    if (!j.release || arm64_release_parse(j.release, &rel) < 0) {
        snprintf(fallback, sizeof(fallback), "%u.%u", cat->kernels[k].major, cat->kernels[k].minor);
        j.release = fallback;
        arm64_release_parse(fallback, &rel);
    }
    if ((size_t)k + 1 < cat->n_kernels) {
        nxt = (struct arm64_release){{cat->kernels[k + 1].major, cat->kernels[k + 1].minor, 0}};
        if (!(rel.v[0] == cat->kernels[k].major && rel.v[1] == cat->kernels[k].minor) &&
            (rel.v[0] < nxt.v[0] || (rel.v[0] == nxt.v[0] && rel.v[1] < nxt.v[1])))
            j.next = k + 1;
    }
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
        } else if (def && def->subset_is_set) {
            uint64_t extra = s->value & ~d->value;

            j.differ = true;
            if (extra) {
                j.fwd_safe = false;
                r = cc_blockers_add(&v->blockers, s->name, "KVM_SET_ONE_REG", CC_REASON_MISSING,
                                    "source %#llx, destination %#llx: the destination's KVM "
                                    "offers no service of bits %#llx and refuses them",
                                    (unsigned long long)s->value, (unsigned long long)d->value,
                                    (unsigned long long)extra);
            } else {
                j.back_safe = false;
                r = cc_strlist_addf(&v->notes,
                                    "%s: source %#llx, destination %#llx: KVM takes a subset of "
                                    "the services it offers",
                                    s->name, (unsigned long long)s->value,
                                    (unsigned long long)d->value);
            }
        } else if (def && def->lower_is_set && def->reads_host && s->value < d->value) {
            j.differ = true;
            j.back_safe = false;
            r = cc_blockers_add(&v->warnings, s->name, "KVM_SET_ONE_REG", CC_REASON_IDENTIFICATION,
                                "source %#llx, destination %#llx: KVM takes the lower level and "
                                "ignores it; the guest's firmware answer becomes the "
                                "destination's, which protects it at least as well",
                                (unsigned long long)s->value, (unsigned long long)d->value);
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
        } else if (is_identity(cat, s->name)) {
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
    /* Both dumps recorded KVM_GET_REG_LIST: what QEMU's list on each side would hold. */
    if (r == 0 && sview) {
        char *sl = NULL, *dl = NULL;
        size_t before = cc_blockers_total(&v->blockers);

        r = arm64_reg_list_of(sview, &sl);
        if (r == 0)
            r = arm64_reg_list_of(dview, &dl);
        if (r == 0 && sl && dl)
            r = arm64_reg_list_judge(cat, sview->name, sl, dl, sraw, &v->blockers);
        if (cc_blockers_total(&v->blockers) > before)
            j.differ = true, j.fwd_safe = false;
        free(sl);
        free(dl);
    }
    out->next = j.next;
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
        return cc_model_unknown(ctx, &arm64_arch_ops, name);
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

int arm64_note_views(const struct cc_view *sview, const struct cc_view *dview, struct cc_verdict *v)
{
    if (strcmp(sview->name, dview->name) == 0)
        return 0;
    return cc_strlist_addf(&v->notes,
                           "the source's %s view is set against the destination's %s view: EL0 "
                           "(cpu) and KVM views show different things, so differences are "
                           "expected",
                           sview->name, dview->name);
}

int arm64_verdict_finish(struct cc_ctx *ctx, const struct arm64_catalog *cat, int k,
                         const struct cc_compare_opts *opts, const struct arm64_judgement *jr,
                         const struct arm64_raw *guest, const struct cc_view *dview,
                         struct cc_verdict *v)
{
    int r = 0;

    if (jr->next >= 0 &&
        (r = cc_strlist_addf(&v->notes,
                             "the destination's kernel lies between the %s and %s rule sets: "
                             "judged by %s; a field the two judge differently is marked "
                             "uncertain",
                             cat->kernels[k].name, cat->kernels[jr->next].name,
                             cat->kernels[k].name)) < 0)
        return r;
    if (cc_option_flag(opts->options, "strict") && v->warnings.n) {
        r = cc_strlist_addf(&v->notes, "--strict: %zu warning%s counted as blocker%s",
                            v->warnings.n, v->warnings.n == 1 ? "" : "s",
                            v->warnings.n == 1 ? "" : "s");
        for (size_t i = 0; i < v->warnings.n && r == 0; i++) {
            const struct cc_blocker *w = &v->warnings.items[i];
            size_t held = v->blockers.n;

            r = cc_blockers_add(&v->blockers, w->name, w->where, w->reason, "%s", w->detail);
            if (r == 0 && v->blockers.n > held)
                v->blockers.items[held].uncertain = w->uncertain;
        }
        cc_blockers_free(&v->warnings);
    }
    if (r < 0)
        return r;
    v->migratable = v->blockers.n == 0;
    v->relation = !jr->differ                      ? CC_IDENTICAL
                  : jr->fwd_safe && !jr->back_safe ? CC_SUPERSET
                  : jr->back_safe && !jr->fwd_safe ? CC_SUBSET
                  : jr->fwd_safe                   ? CC_SUPERSET
                                                   : CC_INCOMPATIBLE;
    if (!opts->verdict_only) {
        struct cc_view gv = {.raw = (void *)guest};
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
    if (!sview || !sview->raw || !dview || !dview->raw)
        return cc_error(EINVAL, "%s: no registers", !sview || !sview->raw ? src_file : dst_file);
    if ((r = arm64_ipa_limit(sview, src_file, NULL)) < 0 ||
        (r = arm64_ipa_limit(dview, dst_file, NULL)) < 0)
        return r;
    if ((r = arm64_host_rules(cat, dst, dview, dst_file, &k)) < 0)
        return r;
    /* The register lists are read here, where a bad one can be named by its file. */
    for (int side = 0; side < 2; side++) {
        const char *file = side ? dst_file : src_file;
        char *list = NULL;
        uint64_t *ids = NULL;
        size_t n;

        r = arm64_reg_list_of(side ? dview : sview, &list);
        if (r == 0 && list)
            r = arm64_reg_list_parse(file, list, &ids, &n);
        free(ids);
        free(list);
        if (r < 0)
            return r;
    }
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
    if (r == 0)
        r = arm64_note_views(sview, dview, v);
    if (r == 0 && expanded)
        r = cc_strlist_addf(&v->notes,
                            "%s is the expanded model %s: judged as that model on the "
                            "destination, the fields it leaves open taking the destination's "
                            "values",
                            src_file, expanded);
    if (r == 0)
        r = arm64_judge(cat, k, guest ? guest : sview->raw, expanded ? NULL : sview,
                        dcfg ? dcfg : dview->raw, dview,
                        cc_option_string(opts->options, "midr-policy"), NULL, v, &jr);
    if (r == 0)
        r = arm64_verdict_finish(ctx, cat, k, opts, &jr, guest ? guest : sview->raw, dview, v);
out:
    arm64_raw_free(guest);
    arm64_raw_free(dcfg);
    return r;
}

int arm64_compare(struct cc_ctx *ctx, const struct cc_doc *src, const char *src_file,
                  const struct cc_doc *dst, const char *dst_file,
                  const struct cc_compare_opts *opts, struct cc_verdict *v)
{
    /* A QEMU -cpu string (host or max, with properties) is QEMU's guest; a bare name of
     * data/arm64/models/ is cpucompat's own model. */
    if (opts->model && arm64_guest_is_string(ctx, opts->model))
        return arm64_compare_string(ctx, src, src_file, dst, dst_file, opts, v);
    /* One file: the destination's question, for a guest a -cpu string defines. */
    if (!src)
        return cc_error(ENOTSUP,
                        "%s: compare with one file needs a QEMU -cpu string on arm64 (--model "
                        "host or max, with properties); give SRC and DST",
                        dst_file);
    return compare_two(ctx, src, src_file, dst, dst_file, opts, v);
}
