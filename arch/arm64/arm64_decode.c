/* Field values, FEAT_xxx names and identity from raw arm64 registers. */
#include "arm64.h"
#include "../../core/error.h"

#include <stdio.h>
#include <string.h>

uint64_t arm64_field_raw(const struct arm64_field *f, uint64_t reg)
{
    uint64_t mask = f->width >= 64 ? UINT64_MAX : (1ULL << f->width) - 1;

    return (reg >> f->lsb) & mask;
}

long long arm64_field_value(const struct arm64_field *f, uint64_t reg)
{
    uint64_t v = arm64_field_raw(f, reg);

    /* Signed ID fields use 0xf (-1) for "not implemented" (FP, AdvSIMD, TGran4/64). */
    if (f->is_signed && f->width < 64 && (v >> (f->width - 1)) & 1)
        return (long long)v - (1LL << f->width);
    return (long long)v;
}

void arm64_describe_value(const struct arm64_field *f, long long v, char *buf, size_t len)
{
    for (size_t i = 0; i < f->n_values; i++) {
        const struct arm64_value *val = &f->values[i];
        long long vv = val->v;

        if (f->is_signed && f->width < 64 && (vv >> (f->width - 1)) & 1)
            vv -= 1LL << f->width;
        const char *name = val->name;
        char num[24];

        if (vv != v)
            continue;
        snprintf(num, sizeof(num), "%d", val->v);
        if (name && strcmp(name, num) == 0)
            name = NULL; /* a value named by its own number says nothing */
        if (!name && !val->feat)
            continue;
        snprintf(buf, len, "%lld (%s%s%s)", v, name ? name : "", name && val->feat ? ", " : "",
                 val->feat ? val->feat : "");
        return;
    }
    snprintf(buf, len, "%lld", v);
}

int arm64_view_features(struct cc_ctx *ctx, const struct cc_view *view, struct cc_strlist *names)
{
    const struct arm64_catalog *cat;
    const struct arm64_raw *raw = view->raw;
    int r = arm64_catalog_get(ctx, &cat);

    if (r < 0 || !raw)
        return r;
    for (size_t i = 0; i < cat->n_regs && r == 0; i++) {
        const struct arm64_regdef *def = &cat->regs[i];
        const struct arm64_reg *reg = arm64_raw_get(raw, def->name);

        if (!reg)
            continue;
        for (size_t f = 0; f < def->n_fields && r == 0; f++) {
            const struct arm64_field *fd = &def->fields[f];
            long long v = arm64_field_value(fd, reg->value);

            /* A FEAT is present when the field reaches its minimum value. */
            for (size_t k = 0; k < fd->n_values && r == 0; k++) {
                const struct arm64_value *val = &fd->values[k];
                char copy[256], *save = NULL;

                /* An unsigned field at 0 is "not implemented"; a signed one at 0 is the first
                 * implemented value (FP, AdvSIMD, TGran4/64 use -1 for none). */
                if (!val->feat || (val->v == 0 && !fd->is_signed) || v < val->v)
                    continue;
                snprintf(copy, sizeof(copy), "%s", val->feat);
                for (char *t = strtok_r(copy, " ", &save); t && r == 0;
                     t = strtok_r(NULL, " ", &save))
                    if (!cc_strlist_contains(names, t))
                        r = cc_strlist_add(names, t);
            }
        }
    }
    return r;
}

int arm64_identity_from_raw(struct cc_doc *doc, const struct arm64_raw *raw, const char *file)
{
    const struct arm64_reg *midr = arm64_raw_get(raw, "MIDR_EL1");
    uint64_t m;
    int r;

    if (!midr)
        return cc_error(EINVAL, "%s: MIDR_EL1 is required, and is missing", file);
    m = midr->value;
    r = cc_kv_setf(&doc->identity, "midr", "0x%08llx", (unsigned long long)(m & 0xffffffff));
    if (r == 0)
        r = cc_kv_setf(&doc->identity, "implementer", "0x%02llx",
                       (unsigned long long)((m >> 24) & 0xff));
    if (r == 0)
        r = cc_kv_setf(&doc->identity, "part", "0x%03llx", (unsigned long long)((m >> 4) & 0xfff));
    if (r == 0)
        r = cc_kv_setf(&doc->identity, "variant", "%llu", (unsigned long long)((m >> 20) & 0xf));
    if (r == 0)
        r = cc_kv_setf(&doc->identity, "revision", "%llu", (unsigned long long)(m & 0xf));
    return r;
}

const struct cc_view *arm64_view_of(const struct cc_doc *doc)
{
    return cc_doc_host_view(doc);
}

const char *arm64_kernel_of(const struct cc_doc *doc, const struct cc_view *view)
{
    const char *k = cc_kv_get(&view->props, "kernel-release");

    return k ? k : cc_kv_get(&doc->origin, "kernel");
}

uint64_t arm64_field_put(const struct arm64_field *f, uint64_t reg, long long v)
{
    uint64_t mask = (f->width >= 64 ? UINT64_MAX : (1ULL << f->width) - 1) << f->lsb;

    return (reg & ~mask) | (((uint64_t)v << f->lsb) & mask);
}

unsigned arm64_vf_init_bits(unsigned vf)
{
    /* KVM_ARM_VCPU_PMU_V3 3, KVM_ARM_VCPU_SVE 4, KVM_ARM_VCPU_PTRAUTH_ADDRESS 5 and _GENERIC 6
     * (arch/arm64/include/uapi/asm/kvm.h): fixed by the ABI, and this file builds anywhere. */
    return (vf & ARM64_VF_PMU ? 1u << 3 : 0) | (vf & ARM64_VF_SVE ? 1u << 4 : 0) |
           (vf & ARM64_VF_PTRAUTH ? 3u << 5 : 0);
}

int arm64_vcpu_features_parse(const char *list, unsigned *out)
{
    static const struct {
        const char *name;
        unsigned bit;
    } names[] = {{"pmu", ARM64_VF_PMU}, {"sve", ARM64_VF_SVE}, {"ptrauth", ARM64_VF_PTRAUTH}};
    char copy[128], *save = NULL;

    *out = 0;
    if (strcmp(list, "none") == 0)
        return 0;
    snprintf(copy, sizeof(copy), "%s", list);
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        size_t i = 0;

        while (i < sizeof(names) / sizeof(names[0]) && strcmp(t, names[i].name) != 0)
            i++;
        if (i == sizeof(names) / sizeof(names[0]))
            return cc_error(EINVAL, "--vcpu-features: '%s' is not one of pmu, sve, ptrauth, none",
                            t);
        *out |= names[i].bit;
    }
    return 0;
}

int arm64_ipa_limit(const struct cc_view *view, const char *file, unsigned *out)
{
    uint64_t v;
    int r = cc_view_decimal(view, file, "ipa-limit", ARM64_IPA_MIN, ARM64_IPA_MAX, &v);

    if (r > 0 && out)
        *out = (unsigned)v;
    return r;
}
