/* Loads data/x86/cpuid-fields.xml: where CPUID keeps the address sizes, and the signature KVM
 * answers in its hypervisor leaf. The locations are facts of the architecture, so they live
 * in the data directory beside the feature bits rather than in the code that reads them. */
#include "x86.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"
#include "../../core/xml_load.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static int read_field(const char *file, xmlNodePtr n, struct x86_field *f)
{
    unsigned long long v;
    const char *reg = cc_xml_attr(n, "reg");
    int r = cc_xml_attr_u64(file, n, "leaf", UINT32_MAX, &v);

    f->leaf = (uint32_t)v;
    if (r == 0 && (!reg || x86_reg_from_name(reg, &f->reg) < 0))
        r = cc_error(EINVAL, "%s: line %ld: <field> needs reg, one of eax, ebx, ecx, edx", file,
                     xmlGetLineNo(n));
    if (r == 0)
        r = cc_xml_attr_u64(file, n, "mask", UINT32_MAX, &v);
    f->mask = (uint32_t)v;
    if (r == 0 && f->mask == 0)
        r = cc_error(EINVAL, "%s: line %ld: a field's mask has no bit", file, xmlGetLineNo(n));
    return r;
}

static int read_signature(const char *file, xmlNodePtr n, struct x86_cpuid *sig)
{
    static const enum x86_reg order[] = {X86_EBX, X86_ECX, X86_EDX};
    unsigned long long v;
    const char *text = cc_xml_attr(n, "text");
    char padded[12] = {0};
    int r = cc_xml_attr_u64(file, n, "leaf", UINT32_MAX, &v);

    *sig = (struct x86_cpuid){.leaf = (uint32_t)v};
    if (r == 0)
        r = cc_xml_attr_u64(file, n, "eax", UINT32_MAX, &v);
    sig->r[X86_EAX] = (uint32_t)v;
    if (r == 0 && (!text || strlen(text) > sizeof(padded)))
        r = cc_error(EINVAL, "%s: line %ld: <signature> needs text of at most 12 bytes", file,
                     xmlGetLineNo(n));
    if (r < 0)
        return r;
    memcpy(padded, text, strlen(text));
    /* CPUID returns the bytes in little-endian order within each register. */
    for (size_t i = 0; i < 3; i++)
        for (size_t b = 0; b < 4; b++)
            sig->r[order[i]] |= (uint32_t)(unsigned char)padded[4 * i + b] << (8 * b);
    return 0;
}

int x86_fields_load(struct cc_ctx *ctx, struct x86_catalog *cat)
{
    _cleanup_free_ char *path = NULL;
    _cleanup_xmldoc_ xmlDocPtr doc = NULL;
    bool phys = false, virt = false, kvm = false;
    xmlNodePtr root;
    int r = cc_ctx_arch_path(ctx, &x86_arch_ops, "cpuid-fields.xml", &path);

    if (r == 0)
        r = cc_xml_load(path, &doc);
    if (r < 0)
        return r;
    root = xmlDocGetRootElement(doc);
    if (!root || !cc_xml_is(root, "x86-cpuid-fields"))
        return cc_error(EINVAL, "%s: not an x86 CPUID field table", path);
    for (xmlNodePtr c = root->children; c && r == 0; c = c->next) {
        const char *name =
            cc_xml_is(c, "field") || cc_xml_is(c, "signature") ? cc_xml_attr(c, "name") : NULL;

        if (!name)
            continue;
        if (cc_xml_is(c, "field") && !strcmp(name, "phys-bits")) {
            r = read_field(path, c, &cat->phys_bits);
            phys = true;
        } else if (cc_xml_is(c, "field") && !strcmp(name, "virt-bits")) {
            r = read_field(path, c, &cat->virt_bits);
            virt = true;
        } else if (cc_xml_is(c, "signature") && !strcmp(name, "kvm")) {
            r = read_signature(path, c, &cat->kvm_signature);
            kvm = true;
        }
    }
    if (r == 0 && !(phys && virt && kvm))
        r = cc_error(EINVAL, "%s: lacks %s", path,
                     !phys   ? "the phys-bits field"
                     : !virt ? "the virt-bits field"
                             : "the kvm signature");
    return r;
}

bool x86_field_get(const struct x86_field *f, const struct x86_raw *raw, unsigned *out)
{
    const struct x86_cpuid *e = x86_raw_cpuid(raw, f->leaf, 0);

    if (!e)
        return false;
    *out = (e->r[f->reg] & f->mask) >> __builtin_ctz(f->mask);
    return true;
}

uint32_t x86_field_bits(const struct x86_field *f, unsigned value)
{
    return ((uint32_t)value << __builtin_ctz(f->mask)) & f->mask;
}

void x86_field_location(const struct x86_field *f, char *buf, size_t len)
{
    char reg[4] = {0};

    for (size_t i = 0; i < 3 && x86_reg_names[f->reg][i]; i++)
        reg[i] = (char)toupper((unsigned char)x86_reg_names[f->reg][i]);
    snprintf(buf, len, "CPUID[%#x].%s[%d:%d]", (unsigned)f->leaf, reg, 31 - __builtin_clz(f->mask),
             __builtin_ctz(f->mask));
}
