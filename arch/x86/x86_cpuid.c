/* Walks the CPUID instruction (or a recorded stand-in) over every leaf and sub-leaf. */
#include "x86.h"
#include "../../core/error.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

static void cpuid_instruction(void *data, uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
    (void)data;
    __cpuid_count(leaf, subleaf, out[0], out[1], out[2], out[3]);
}

const struct x86_cpuid_source x86_cpuid_instruction = {.cpuid = cpuid_instruction};
#else
const struct x86_cpuid_source x86_cpuid_instruction = {.cpuid = NULL};
#endif

/* A range never spans more than this many leaves; a larger "highest leaf" is junk. */
#define RANGE_SPAN    0x100
#define MAX_SUBLEAVES 64

static int query(const struct x86_cpuid_source *src, struct x86_raw *raw, uint32_t leaf,
                 uint32_t subleaf, uint32_t out[4])
{
    src->cpuid(src->data, leaf, subleaf, out);
    return x86_raw_set_cpuid(raw, leaf, subleaf, out);
}

static int walk_subleaves(const struct x86_cpuid_source *src, const struct x86_subleaf_rule *rule,
                          struct x86_raw *raw)
{
    uint32_t r0[4], r1[4], regs[4];
    uint64_t components;
    int rc = 0;

    switch (rule->walk) {
    case X86_WALK_COUNT:
        rc = query(src, raw, rule->leaf, 0, r0);
        for (uint32_t i = 1; rc == 0 && i <= (r0[rule->reg] & rule->mask) && i < MAX_SUBLEAVES; i++)
            rc = query(src, raw, rule->leaf, i, regs);
        break;
    case X86_WALK_UNTIL_ZERO:
        for (uint32_t i = 0; rc == 0 && i < MAX_SUBLEAVES; i++) {
            src->cpuid(src->data, rule->leaf, i, regs);
            if (i >= rule->first && (regs[rule->reg] & rule->mask) == 0)
                break;
            rc = x86_raw_set_cpuid(raw, rule->leaf, i, regs);
        }
        break;
    case X86_WALK_XSAVE:
        rc = query(src, raw, rule->leaf, 0, r0);
        if (rc == 0)
            rc = query(src, raw, rule->leaf, 1, r1);
        components =
            r0[X86_EAX] | (uint64_t)r0[X86_EDX] << 32 | r1[X86_ECX] | (uint64_t)r1[X86_EDX] << 32;
        for (uint32_t i = 2; rc == 0 && i < 64; i++)
            if (components & (1ULL << i))
                rc = query(src, raw, rule->leaf, i, regs);
        break;
    case X86_WALK_FIXED:
        for (uint32_t i = 0; rc == 0 && i < rule->count; i++)
            rc = query(src, raw, rule->leaf, i, regs);
        break;
    }
    return rc;
}

int x86_cpuid_walk(const struct x86_catalog *cat, const struct x86_cpuid_source *src,
                   struct x86_raw *raw)
{
    /* The bit that says a hypervisor answers CPUID is a feature of the catalog. */
    const struct x86_feature *hv = x86_catalog_feature(cat, "hypervisor");
    const struct x86_word *hw = hv ? &cat->words[hv->word] : NULL;
    uint32_t l0[4], hregs[4] = {0}, regs[4];
    char vendor[13];
    int rc;

    if (!src->cpuid)
        return cc_error(ENOTSUP, "this build cannot execute CPUID");
    src->cpuid(src->data, 0, 0, l0);
    x86_reg_text(l0[X86_EBX], vendor);
    x86_reg_text(l0[X86_EDX], vendor + 4);
    x86_reg_text(l0[X86_ECX], vendor + 8);
    vendor[12] = '\0';
    if (hw && !hw->is_msr && hw->leaf <= l0[X86_EAX])
        src->cpuid(src->data, hw->leaf, hw->has_subleaf ? hw->subleaf : 0, hregs);

    for (size_t i = 0; i < cat->n_ranges; i++) {
        const struct x86_range *rg = &cat->ranges[i];
        uint32_t top;

        if (rg->vendor[0] && strcmp(rg->vendor, vendor) != 0)
            continue;
        if (rg->needs_hypervisor && !(hw && (hregs[hw->reg] & hv->bits) == hv->bits))
            continue;
        src->cpuid(src->data, rg->base, 0, regs);
        top = regs[X86_EAX];
        if (top < rg->base || top - rg->base >= RANGE_SPAN) {
            /* Hypervisor ranges may report 0 for "base + 1"; other ranges are simply absent. */
            if (!rg->needs_hypervisor)
                continue;
            top = rg->base;
        }
        for (uint32_t leaf = rg->base; leaf <= top; leaf++) {
            const struct x86_subleaf_rule *rule = x86_catalog_subleaf_rule(cat, leaf);

            rc = rule ? walk_subleaves(src, rule, raw) : query(src, raw, leaf, 0, regs);
            if (rc < 0)
                return rc;
        }
    }
    x86_mask_per_cpu(cat, raw);
    x86_raw_sort(raw);
    return 0;
}
