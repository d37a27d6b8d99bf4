/* Turns raw CPUID/MSR values into identity and named features, using the catalog. */
#include "x86.h"
#include "../../core/error.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

uint64_t x86_word_value(const struct x86_word *w, const struct x86_raw *raw)
{
    if (w->is_msr) {
        const struct x86_msr *m = x86_raw_msr(raw, w->msr);

        if (!m)
            return 0;
        if (w->allowed1_decode)
            return (uint32_t)(m->value >> 32) & ~(uint32_t)m->value;
        return m->value;
    } else {
        const struct x86_cpuid *top = x86_raw_cpuid(raw, w->leaf & 0xffff0000u, 0);
        const struct x86_cpuid *e = x86_raw_cpuid(raw, w->leaf, w->has_subleaf ? w->subleaf : 0);

        /* A leaf above its range's highest leaf is not data: Intel CPUs answer such queries
         * with the highest basic leaf, and captures (libvirt's among them) record that junk. */
        if (!top || top->r[X86_EAX] < w->leaf || !e)
            return 0;
        return e->r[w->reg];
    }
}

bool x86_feature_present(const struct x86_catalog *cat, const struct x86_feature *f,
                         const struct x86_raw *raw)
{
    return (x86_word_value(&cat->words[f->word], raw) & f->bits) == f->bits;
}

int x86_view_features(struct cc_ctx *ctx, const struct cc_view *view, struct cc_strlist *names)
{
    const struct x86_catalog *cat;
    const struct x86_raw *raw = view->raw;
    int r = x86_catalog_get(ctx, &cat);

    if (r < 0 || !raw)
        return r;
    for (size_t i = 0; i < cat->n_features && r == 0; i++)
        if (x86_feature_present(cat, &cat->features[i], raw))
            r = cc_strlist_add(names, cat->features[i].name);
    return r;
}

void x86_mask_per_cpu(const struct x86_catalog *cat, struct x86_raw *raw)
{
    for (size_t i = 0; i < raw->n_cpuid; i++)
        for (size_t j = 0; j < cat->n_per_cpu; j++)
            if (raw->cpuid[i].leaf == cat->per_cpu[j].leaf)
                raw->cpuid[i].r[cat->per_cpu[j].reg] &= ~cat->per_cpu[j].mask;
}

static void vendor_string(const struct x86_cpuid *l0, char out[13])
{
    /* The vendor string is EBX, EDX, ECX in that order. */
    x86_reg_text(l0->r[X86_EBX], out);
    x86_reg_text(l0->r[X86_EDX], out + 4);
    x86_reg_text(l0->r[X86_ECX], out + 8);
    out[12] = '\0';
}

/* Brand string leaves 0x80000002..4, trimmed; empty when the CPU has none. */
static void brand_string(const struct x86_raw *raw, char out[49])
{
    const struct x86_cpuid *top = x86_raw_cpuid(raw, 0x80000000, 0);
    char *s = out, *e;

    out[0] = '\0';
    if (!top || top->r[X86_EAX] < 0x80000004)
        return;
    for (uint32_t i = 0; i < 3; i++) {
        const struct x86_cpuid *l = x86_raw_cpuid(raw, 0x80000002 + i, 0);

        if (!l) {
            out[0] = '\0'; /* a partial brand is no brand */
            return;
        }
        for (int reg = 0; reg < 4; reg++)
            x86_reg_text(l->r[reg], out + 16 * i + 4 * reg);
    }
    out[48] = '\0';
    for (char *p = out; *p; p++)
        if (!isprint((unsigned char)*p))
            *p = ' ';
    while (*s == ' ')
        s++;
    memmove(out, s, strlen(s) + 1);
    e = out + strlen(out);
    while (e > out && e[-1] == ' ')
        *--e = '\0';
}

int x86_identity_from_raw(struct cc_doc *doc, const struct x86_raw *raw, const char *file)
{
    const struct x86_cpuid *l0 = x86_raw_cpuid(raw, 0, 0), *l1 = x86_raw_cpuid(raw, 1, 0);
    char vendor[13], brand[49];
    uint32_t sig, family, model;
    int r;

    if (!l0 || !l1)
        return cc_error(EINVAL, "%s: CPUID leaves 0 and 1 are required, and are missing", file);
    vendor_string(l0, vendor);
    for (int i = 0; i < 12; i++)
        if (!isprint((unsigned char)vendor[i]))
            return cc_error(EINVAL, "%s: CPUID leaf 0 holds no vendor string", file);
    /* Display family/model as the SDM and Linux (x86_family/x86_model) compute them: the
     * extended family adds in only for family 0xf, the extended model for family >= 6. */
    sig = l1->r[X86_EAX];
    family = (sig >> 8) & 0xf;
    model = (sig >> 4) & 0xf;
    if (family == 0xf)
        family += (sig >> 20) & 0xff;
    if (family >= 6)
        model += ((sig >> 16) & 0xf) << 4;
    brand_string(raw, brand);

    r = cc_kv_set(&doc->identity, "vendor", vendor);
    if (r == 0)
        r = cc_kv_setf(&doc->identity, "family", "%u", family);
    if (r == 0)
        r = cc_kv_setf(&doc->identity, "model", "%u", model);
    if (r == 0)
        r = cc_kv_setf(&doc->identity, "stepping", "%u", sig & 0xf);
    if (r == 0 && brand[0])
        r = cc_kv_set(&doc->identity, "brand", brand);
    return r;
}
