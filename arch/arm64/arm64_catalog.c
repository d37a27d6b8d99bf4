/* Loads data/arm64/idregs.xml: register layouts, the kernel's safe-value rule of every field
 * for each kernel version, and KVM's writable masks. No field is spelled in C. */
#include "arm64.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"
#include "../../core/xalloc.h"
#include "../../core/grow.h"
#include "../../core/xml_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>

struct reader {
    const char *file;
    struct arm64_catalog *cat;
    size_t cap_regs, cap_fields, cap_values;
};

static int kernel_index(const struct arm64_catalog *cat, const char *name)
{
    for (size_t i = 0; i < cat->n_kernels; i++)
        if (strcmp(cat->kernels[i].name, name) == 0)
            return (int)i;
    return -1;
}

static enum arm64_ftr ftr_type(const char *s)
{
    static const char *const names[] = {"", "LOWER_SAFE", "HIGHER_SAFE", "HIGHER_OR_ZERO_SAFE",
                                        "EXACT"};

    for (int i = 1; i < 5; i++)
        if (s && strcmp(s, names[i]) == 0)
            return (enum arm64_ftr)i;
    return FTR_NONE;
}

static int start(void *user, const char *el, const char *const *attrs, int line)
{
    struct reader *rd = user;
    struct arm64_catalog *cat = rd->cat;
    struct arm64_regdef *reg = cat->n_regs ? &cat->regs[cat->n_regs - 1] : NULL;
    struct arm64_field *f = reg && reg->n_fields ? &reg->fields[reg->n_fields - 1] : NULL;
    const char *kname = cc_xml_pair(attrs, "kernel");
    uint64_t v;
    int k, r;

    if (strcmp(el, "kernel") == 0) {
        const char *name = cc_xml_pair(attrs, "name"), *since = cc_xml_pair(attrs, "since");
        unsigned major, minor;

        if (!name || !since || sscanf(since, "%u.%u", &major, &minor) != 2 ||
            cat->n_kernels == ARM64_MAX_KERNELS)
            return cc_error(EINVAL, "%s: line %d: bad <kernel>", rd->file, line);
        cat->kernels[cat->n_kernels].name = strdup(name);
        cat->kernels[cat->n_kernels].major = major;
        cat->kernels[cat->n_kernels++].minor = minor;
        return cat->kernels[cat->n_kernels - 1].name ? 0 : cc_error(ENOMEM, "out of memory");
    }
    if (strcmp(el, "register") == 0) {
        const char *name = cc_xml_pair(attrs, "name");

        if ((r = CC_GROW(cat->regs, rd->cap_regs, cat->n_regs)) < 0)
            return r;
        reg = &cat->regs[cat->n_regs++];
        memset(reg, 0, sizeof(*reg));
        rd->cap_fields = 0;
        if (!name || !(reg->name = strdup(name)))
            return cc_error(EINVAL, "%s: line %d: bad <register>", rd->file, line);
        r = cc_xml_pair_u64(rd->file, line, attrs, "id", UINT64_MAX, &v);
        reg->id = v;
        reg->aarch32 = cc_xml_pair(attrs, "aarch32") != NULL;
        reg->firmware = cc_xml_pair(attrs, "firmware") != NULL;
        reg->lower_is_set =
            cc_xml_pair(attrs, "accepts") && strcmp(cc_xml_pair(attrs, "accepts"), "lower") == 0;
        reg->subset_is_set =
            cc_xml_pair(attrs, "accepts") && strcmp(cc_xml_pair(attrs, "accepts"), "subset") == 0;
        reg->reads_host =
            cc_xml_pair(attrs, "reads") && strcmp(cc_xml_pair(attrs, "reads"), "host") == 0;
        return r;
    }
    if (!reg)
        return 0;
    if (strcmp(el, "kvm") == 0) {
        if ((k = kernel_index(cat, kname ? kname : "")) < 0)
            return cc_error(EINVAL, "%s: line %d: unknown kernel '%s'", rd->file, line,
                            kname ? kname : "");
        reg->kvm[k].known = true;
        reg->kvm[k].absent = cc_xml_pair(attrs, "absent") != NULL;
        if (!reg->kvm[k].absent &&
            (r = cc_xml_pair_u64(rd->file, line, attrs, "writable", UINT64_MAX, &v)) < 0)
            return r;
        reg->kvm[k].writable = reg->kvm[k].absent ? 0 : v;
        reg->kvm[k].how = strdup(cc_xml_pair(attrs, "how") ? cc_xml_pair(attrs, "how") : "");
        return reg->kvm[k].how ? 0 : cc_error(ENOMEM, "out of memory");
    }
    if (strcmp(el, "field") == 0) {
        uint64_t lsb, width;
        const char *name = cc_xml_pair(attrs, "name"), *sg = cc_xml_pair(attrs, "signed");

        if ((r = cc_grow((void **)&reg->fields, &rd->cap_fields, reg->n_fields,
                         sizeof(*reg->fields))) < 0)
            return r;
        f = &reg->fields[reg->n_fields++];
        memset(f, 0, sizeof(*f));
        rd->cap_values = 0;
        if ((r = cc_xml_pair_u64(rd->file, line, attrs, "lsb", 63, &lsb)) < 0 ||
            (r = cc_xml_pair_u64(rd->file, line, attrs, "width", 64, &width)) < 0)
            return r;
        if (!name || lsb + width > 64 || width == 0 || !(f->name = strdup(name)))
            return cc_error(EINVAL, "%s: line %d: bad <field>", rd->file, line);
        f->lsb = (unsigned)lsb;
        f->width = (unsigned)width;
        f->is_signed = sg && strcmp(sg, "yes") == 0;
        f->state = cc_xml_pair(attrs, "state") != NULL;
        f->ident = cc_xml_pair(attrs, "ident") != NULL;
        if (cc_xml_pair(attrs, "vcpu-feature") &&
            arm64_vcpu_features_parse(cc_xml_pair(attrs, "vcpu-feature"), &f->vcpu_feature) < 0)
            return cc_error(EINVAL, "%s: line %d: bad vcpu-feature", rd->file, line);
        return 0;
    }
    if (!f)
        return 0;
    if (strcmp(el, "rule") == 0) {
        struct arm64_rule *rule;

        if ((k = kernel_index(cat, kname ? kname : "")) < 0)
            return cc_error(EINVAL, "%s: line %d: unknown kernel", rd->file, line);
        rule = &f->rule[k];
        rule->type = ftr_type(cc_xml_pair(attrs, "type"));
        if (rule->type == FTR_NONE ||
            (r = cc_xml_pair_u64(rd->file, line, attrs, "safe", INT_MAX, &v)) < 0)
            return cc_error(EINVAL, "%s: line %d: bad <rule>", rd->file, line);
        rule->safe = (int)v;
        rule->strict = cc_xml_pair(attrs, "strict") != NULL;
        return 0;
    }
    if (strcmp(el, "writable") == 0) {
        if ((k = kernel_index(cat, kname ? kname : "")) < 0)
            return cc_error(EINVAL, "%s: line %d: unknown kernel", rd->file, line);
        f->rule[k].writable = true;
        if (cc_xml_pair(attrs, "minimum")) {
            if ((r = cc_xml_pair_u64(rd->file, line, attrs, "minimum", INT_MAX, &v)) < 0)
                return r;
            f->rule[k].has_minimum = true;
            f->rule[k].minimum = (int)v;
        }
        return 0;
    }
    if (strcmp(el, "value") == 0) {
        struct arm64_value *val;
        const char *name = cc_xml_pair(attrs, "name"), *feat = cc_xml_pair(attrs, "feat");

        if ((r = CC_GROW(f->values, rd->cap_values, f->n_values)) < 0)
            return r;
        val = &f->values[f->n_values++];
        memset(val, 0, sizeof(*val));
        if ((r = cc_xml_pair_u64(rd->file, line, attrs, "v", INT_MAX, &v)) < 0)
            return r;
        val->v = (int)v;
        if ((name && !(val->name = strdup(name))) || (feat && !(val->feat = strdup(feat))))
            return cc_error(ENOMEM, "out of memory");
    }
    return 0;
}

/* Rule sets oldest first, so that a lower index is an older kernel; the file may list them in
 * any order, and every per-kernel array follows the same permutation. */
static int order_kernels(const char *file, struct arm64_catalog *cat)
{
    size_t n = cat->n_kernels, perm[ARM64_MAX_KERNELS];

    for (size_t i = 0; i < n; i++)
        perm[i] = i;
    for (size_t a = 0; a < n; a++)
        for (size_t b = a + 1; b < n; b++) {
            unsigned Ma = cat->kernels[perm[a]].major, ma = cat->kernels[perm[a]].minor;
            unsigned Mb = cat->kernels[perm[b]].major, mb = cat->kernels[perm[b]].minor;

            if (Mb < Ma || (Mb == Ma && mb < ma)) {
                size_t t = perm[a];
                perm[a] = perm[b];
                perm[b] = t;
            }
        }
    (void)file;
#define PERMUTE(arr)                                                                               \
    do {                                                                                           \
        __typeof__((arr)[0]) tmp[ARM64_MAX_KERNELS];                                               \
        for (size_t p_ = 0; p_ < n; p_++)                                                          \
            tmp[p_] = (arr)[perm[p_]];                                                             \
        memcpy((arr), tmp, n * sizeof(tmp[0]));                                                    \
    } while (0)
    PERMUTE(cat->kernels);
    for (size_t i = 0; i < cat->n_regs; i++) {
        PERMUTE(cat->regs[i].kvm);
        for (size_t f = 0; f < cat->regs[i].n_fields; f++)
            PERMUTE(cat->regs[i].fields[f].rule);
    }
#undef PERMUTE
    return 0;
}

void arm64_catalog_free(void *state)
{
    struct arm64_catalog *cat = state;

    if (!cat)
        return;
    for (size_t i = 0; i < cat->n_kernels; i++)
        free(cat->kernels[i].name);
    for (size_t i = 0; i < cat->n_regs; i++) {
        struct arm64_regdef *reg = &cat->regs[i];

        free(reg->name);
        for (size_t k = 0; k < ARM64_MAX_KERNELS; k++)
            free(reg->kvm[k].how);
        for (size_t f = 0; f < reg->n_fields; f++) {
            for (size_t v = 0; v < reg->fields[f].n_values; v++) {
                free(reg->fields[f].values[v].name);
                free(reg->fields[f].values[v].feat);
            }
            free(reg->fields[f].values);
            free(reg->fields[f].name);
        }
        free(reg->fields);
    }
    free(cat->regs);
    cc_index_free(&cat->reg_index);
    arm64_setters_free(cat);
    arm64_models_free(cat->models);
    for (size_t i = 0; i < ARM64_N_TABLES; i++)
        if (cat->tables[i].table)
            cat->tables[i].release(cat->tables[i].table);
    free(cat);
}

static uint64_t regdef_hash_at(const void *regs, size_t pos)
{
    const char *name = ((const struct arm64_regdef *)regs)[pos].name;

    return cc_hash_words(name, strlen(name));
}

static bool regdef_eq(const void *regs, size_t pos, const void *name)
{
    return strcmp(((const struct arm64_regdef *)regs)[pos].name, name) == 0;
}

int arm64_catalog_load(struct cc_ctx *ctx, void **state)
{
    static const struct cc_xml_sax handler = {.start = start};
    _cleanup_free_ char *path = NULL;
    struct arm64_catalog *cat = calloc(1, sizeof(*cat));
    struct reader rd = {.cat = cat};
    int r;

    if (!cat)
        return cc_error(ENOMEM, "out of memory");
    r = cc_ctx_arch_path(ctx, &arm64_arch_ops, "idregs.xml", &path);
    rd.file = path;
    if (r == 0)
        r = cc_xml_sax_file(path, &handler, &rd);
    if (r == 0 && (cat->n_kernels == 0 || cat->n_regs == 0))
        r = cc_error(EINVAL, "%s: not an arm64 register table", path);
    if (r == 0)
        r = order_kernels(path, cat);
    if (r == 0)
        r = cc_index_catch_up(&cat->reg_index, cat->n_regs, cat->regs, regdef_hash_at);
    if (r == 0)
        r = arm64_setters_load(ctx, cat);
    if (r < 0) {
        arm64_catalog_free(cat);
        return r;
    }
    *state = cat;
    return 0;
}

int arm64_catalog_get(struct cc_ctx *ctx, const struct arm64_catalog **out)
{
    void *state;
    int r = cc_ctx_arch_data(ctx, &arm64_arch_ops, &state);

    if (r == 0)
        *out = state;
    return r;
}

int arm64_catalog_table(struct cc_ctx *ctx, const struct arm64_table_kind *kind, const void **out)
{
    const struct arm64_catalog *cat = NULL;
    struct arm64_catalog *owner;
    _cleanup_free_ char *path = NULL;
    int r = arm64_catalog_get(ctx, &cat);

    if (r < 0)
        return r;
    owner = (struct arm64_catalog *)cat; /* the cache is the catalog's */
    if (!owner->tables[kind->slot].table) {
        void *t = xcalloc(1, kind->size);

        r = cc_ctx_arch_path(ctx, &arm64_arch_ops, kind->file, &path);
        if (r == 0)
            r = kind->load(path, t);
        if (r < 0) {
            kind->release(t);
            return r;
        }
        owner->tables[kind->slot].table = t;
        owner->tables[kind->slot].release = kind->release;
    }
    *out = owner->tables[kind->slot].table;
    return 0;
}

const struct arm64_regdef *arm64_regdef(const struct arm64_catalog *cat, const char *name)
{
    size_t i = cc_index_find(&cat->reg_index, cc_hash_words(name, strlen(name)), cat->regs,
                             regdef_eq, name);

    return i == SIZE_MAX ? NULL : &cat->regs[i];
}

int arm64_kernel_rules(const struct arm64_catalog *cat, const char *release)
{
    unsigned major = 0, minor = 0;
    int best = -1;

    if (!release || sscanf(release, "%u.%u", &major, &minor) != 2)
        return -1;
    for (size_t i = 0; i < cat->n_kernels; i++) {
        unsigned M = cat->kernels[i].major, m = cat->kernels[i].minor;

        if ((M < major || (M == major && m <= minor)) &&
            (best < 0 || M > cat->kernels[best].major ||
             (M == cat->kernels[best].major && m > cat->kernels[best].minor)))
            best = (int)i;
    }
    return best;
}
