/* QEMU's expansion of the x86 `host` CPU under KVM (a list of named properties) turned into a
 * kvm view: the one converter behind `import libvirt-qemucaps` and `import qemu-expansion`.
 * Feature bits come from the catalog by name; the rest from data/x86/qemu-properties.xml. */
#include "x86.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"
#include "../../core/hash_index.h"
#include "../../core/qemu.h"
#include "../../core/xml_load.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct x86_qemu_props {
    char **names;
    enum x86_qprop_use *use;
    size_t n;
    /* Every property of every expansion read is looked up here (hundreds a file). */
    struct cc_index by_name;
};

static const char *const use_names[] = {
    [X86_QP_VENDOR] = "vendor",
    [X86_QP_FAMILY] = "family",
    [X86_QP_MODEL] = "model",
    [X86_QP_STEPPING] = "stepping",
    [X86_QP_MODEL_ID] = "model-id",
    [X86_QP_LEVEL] = "level",
    [X86_QP_XLEVEL] = "xlevel",
    [X86_QP_PHYS_BITS] = "phys-bits",
    [X86_QP_TSC_FREQUENCY] = "tsc-frequency",
    [X86_QP_MICROCODE] = "microcode",
    [X86_QP_SETTING] = "setting",
};

void x86_qemu_props_free(struct x86_qemu_props *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        free(t->names[i]);
    free(t->names);
    free(t->use);
    cc_index_free(&t->by_name);
    free(t);
}

static uint64_t name_hash_at(const void *names, size_t pos)
{
    const char *name = ((char *const *)names)[pos];

    return cc_hash_words(name, strlen(name));
}

static bool name_eq(const void *names, size_t pos, const void *key)
{
    return strcmp(((char *const *)names)[pos], key) == 0;
}

static int load_table(struct cc_ctx *ctx, struct x86_qemu_props *t)
{
    _cleanup_free_ char *path = NULL;
    _cleanup_xmldoc_ xmlDocPtr doc = NULL;
    xmlNodePtr root;
    size_t count = 0;
    int r = cc_ctx_data_path(ctx, "x86/qemu-properties.xml", &path);

    if (r == 0)
        r = cc_xml_load(path, &doc);
    if (r < 0)
        return r;
    root = xmlDocGetRootElement(doc);
    if (!root || strcmp((const char *)root->name, "x86-qemu-properties") != 0)
        return cc_error(EINVAL, "%s: not a table of QEMU CPU properties", path);
    for (xmlNodePtr c = root->children; c; c = c->next)
        count += c->type == XML_ELEMENT_NODE;
    t->names = calloc(count + 1, sizeof(*t->names));
    t->use = calloc(count + 1, sizeof(*t->use));
    if (!t->names || !t->use)
        return cc_error(ENOMEM, "out of memory");
    for (xmlNodePtr c = root->children; c; c = c->next) {
        const char *name = cc_xml_attr(c, "name"), *use = cc_xml_attr(c, "use");
        size_t u = 0;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)c->name, "property") != 0 || !name || !use)
            return cc_error(EINVAL, "%s: line %ld: want <property name= use=>", path,
                            xmlGetLineNo(c));
        while (u < CC_ARRAY_SIZE(use_names) && (!use_names[u] || strcmp(use_names[u], use) != 0))
            u++;
        if (u == CC_ARRAY_SIZE(use_names))
            return cc_error(EINVAL, "%s: line %ld: unknown use '%s'", path, xmlGetLineNo(c), use);
        t->names[t->n] = strdup(name);
        t->use[t->n] = (enum x86_qprop_use)u;
        if (!t->names[t->n++])
            return cc_error(ENOMEM, "out of memory");
    }
    return cc_index_catch_up(&t->by_name, t->n, t->names, name_hash_at);
}

int x86_qemu_props_get(struct cc_ctx *ctx, const struct x86_catalog *cat,
                       const struct x86_qemu_props **out)
{
    /* Cached in the catalog like the rules and models: logically const for callers. */
    struct x86_catalog *owner = (struct x86_catalog *)cat;

    if (!owner->qemu_props) {
        struct x86_qemu_props *t = calloc(1, sizeof(*t));
        int r = t ? load_table(ctx, t) : cc_error(ENOMEM, "out of memory");

        if (r < 0) {
            x86_qemu_props_free(t);
            return r;
        }
        owner->qemu_props = t;
    }
    *out = owner->qemu_props;
    return 0;
}

enum x86_qprop_use x86_qprop_use(const struct x86_catalog *cat, const struct x86_qemu_props *t,
                                 const char *name)
{
    size_t i =
        cc_index_find(&t->by_name, cc_hash_words(name, strlen(name)), t->names, name_eq, name);

    if (i != SIZE_MAX)
        return t->use[i];
    return x86_catalog_feature(cat, name) ? X86_QP_FEATURE : X86_QP_UNKNOWN;
}

int x86_qprops_judge(const struct x86_catalog *cat, const struct x86_qemu_props *t,
                     const struct x86_raw *raw, struct x86_words *nonmigratable,
                     struct cc_strlist *unknown)
{
    for (size_t i = 0; i < raw->n_qprops; i++) {
        const struct x86_qprop *q = &raw->qprops[i];
        enum x86_qprop_use use;

        if (strcmp(q->type, "boolean") != 0 || strcmp(q->value, "true") != 0)
            continue;
        use = x86_qprop_use(cat, t, q->name);
        if (use == X86_QP_FEATURE && !q->migratable && nonmigratable)
            x86_words_set(cat, nonmigratable, x86_catalog_feature(cat, q->name), true);
        if (use == X86_QP_UNKNOWN && q->migratable && unknown) {
            /* QEMU spells its older names with '_' beside the '-' ones: one name. */
            _cleanup_free_ char *n = strdup(q->name);

            if (!n)
                return cc_error(ENOMEM, "out of memory");
            for (char *p = n; *p; p++)
                *p = *p == '_' ? '-' : *p;
            if (!cc_strlist_contains(unknown, n) && cc_strlist_add(unknown, n) < 0)
                return -ENOMEM;
        }
    }
    return 0;
}

/* ---- the converter ---- */

struct facts {
    const char *vendor, *model_id;
    long long family, model, stepping, level, xlevel, phys_bits, tsc_hz, microcode;
};

static int number_value(const char *path, const struct x86_qprop *q, long long min, long long max,
                        long long *out)
{
    char *end;
    long long v;

    if (strcmp(q->type, "number") != 0)
        return cc_error(EINVAL, "%s: QEMU property '%s' is a %s, not a number", path, q->name,
                        q->type);
    errno = 0;
    v = strtoll(q->value, &end, 10);
    if (errno || end == q->value || *end || v < min || v > max)
        return cc_error(EINVAL, "%s: QEMU property '%s': '%.40s' is not a number in [%lld, %lld]",
                        path, q->name, q->value, min, max);
    *out = v;
    return 0;
}

static int check_type(const char *path, const struct x86_qprop *q)
{
    if (strcmp(q->type, "boolean") == 0) {
        if (strcmp(q->value, "true") != 0 && strcmp(q->value, "false") != 0)
            return cc_error(EINVAL, "%s: QEMU property '%s': boolean value '%.40s'", path, q->name,
                            q->value);
    } else if (strcmp(q->type, "number") != 0 && strcmp(q->type, "string") != 0) {
        return cc_error(EINVAL,
                        "%s: QEMU property '%s' has type '%.40s' (want boolean, number "
                        "or string)",
                        path, q->name, q->type);
    }
    return 0;
}

static int read_facts(const char *path, const struct x86_catalog *cat,
                      const struct x86_qemu_props *t, const struct x86_raw *raw,
                      struct x86_words *w, struct facts *f)
{
    int r = 0;

    *f = (struct facts){.family = -1, .model = -1, .stepping = -1};
    for (size_t i = 0; i < raw->n_qprops && r == 0; i++) {
        const struct x86_qprop *q = &raw->qprops[i];
        enum x86_qprop_use use = x86_qprop_use(cat, t, q->name);
        long long v = 0;

        if ((r = check_type(path, q)) < 0)
            break;
        switch (use) {
        case X86_QP_FEATURE:
            if (strcmp(q->type, "boolean") != 0)
                r = cc_error(EINVAL, "%s: QEMU property '%s' is a CPU feature but a %s", path,
                             q->name, q->type);
            else if (strcmp(q->value, "true") == 0)
                x86_words_set(cat, w, x86_catalog_feature(cat, q->name), true);
            break;
        case X86_QP_VENDOR:
            if (strcmp(q->type, "string") != 0 || strlen(q->value) != 12)
                r = cc_error(EINVAL, "%s: QEMU property 'vendor' is not a 12-character string",
                             path);
            f->vendor = q->value;
            break;
        case X86_QP_MODEL_ID:
            if (strcmp(q->type, "string") != 0 || strlen(q->value) > 48)
                r = cc_error(EINVAL,
                             "%s: QEMU property 'model-id' is not a string of at most "
                             "48 characters",
                             path);
            f->model_id = q->value;
            break;
        case X86_QP_FAMILY:
            r = number_value(path, q, 0, 0xff + 0xf, &f->family);
            break;
        case X86_QP_MODEL:
            r = number_value(path, q, 0, 0xff, &f->model);
            break;
        case X86_QP_STEPPING:
            r = number_value(path, q, 0, 0xf, &f->stepping);
            break;
        case X86_QP_LEVEL:
            r = number_value(path, q, 0, 0xffff, &v);
            f->level = v > f->level ? v : f->level;
            break;
        case X86_QP_XLEVEL:
            r = number_value(path, q, 0, UINT32_MAX, &v);
            f->xlevel = v > f->xlevel ? v : f->xlevel;
            break;
        case X86_QP_PHYS_BITS:
            r = number_value(path, q, 0, 64, &f->phys_bits);
            break;
        case X86_QP_TSC_FREQUENCY:
            r = number_value(path, q, 0, INT64_MAX, &f->tsc_hz);
            break;
        case X86_QP_MICROCODE:
            r = number_value(path, q, 0, UINT32_MAX, &f->microcode);
            break;
        case X86_QP_SETTING:
        case X86_QP_UNKNOWN:
            break;
        }
    }
    if (r == 0 && (!f->vendor || f->family < 0 || f->model < 0 || f->stepping < 0))
        r = cc_error(EINVAL,
                     "%s: the expansion lacks vendor, family, model or stepping: not "
                     "QEMU's expansion of an x86 host CPU",
                     path);
    return r;
}

static int or_reg(struct x86_raw *raw, uint32_t leaf, uint32_t sub, enum x86_reg reg, uint32_t v)
{
    const struct x86_cpuid *e = x86_raw_cpuid(raw, leaf, sub);
    uint32_t regs[4] = {0};

    if (e)
        memcpy(regs, e->r, sizeof(regs));
    regs[reg] |= v;
    return x86_raw_set_cpuid(raw, leaf, sub, regs);
}

static uint32_t signature(const struct facts *f)
{
    uint32_t fam = (uint32_t)f->family, mod = (uint32_t)f->model, sig;

    /* The encoding x86_identity_from_raw decodes: extended family above 0xf, extended model
     * for family 6 and up. */
    sig = (fam > 0xf ? 0xf : fam) << 8 | (mod & 0xf) << 4 | (uint32_t)f->stepping;
    if (fam > 0xf)
        sig |= (fam - 0xf) << 20;
    if (fam >= 6)
        sig |= (mod >> 4) << 16;
    return sig;
}

static int words_to_raw(const struct x86_catalog *cat, const struct x86_rules *rules,
                        struct x86_words *w, const struct facts *f, struct x86_raw *raw)
{
    uint32_t top[3] = {1, 0x40000000, 0x80000000}; /* highest leaf used per range */
    uint64_t comps = 0;
    int r = 0;

    /* XSAVE state components follow the features that use them, as QEMU enables them. */
    if (x86_words_has(cat, w, rules->f_xsave))
        for (int c = 0; c < 64; c++)
            if (cat->xsave_feature[c] >= 0 &&
                x86_words_has(cat, w, &cat->features[cat->xsave_feature[c]]))
                comps |= 1ULL << c;
    w->w[rules->w_xcr0_lo] = (uint32_t)(comps & rules->xcr0_mask);
    w->w[rules->w_xcr0_hi] = (comps & rules->xcr0_mask) >> 32;
    if (rules->w_xss_lo >= 0)
        w->w[rules->w_xss_lo] = (uint32_t)(comps & rules->xss_mask);
    if (rules->w_xss_hi >= 0)
        w->w[rules->w_xss_hi] = (comps & rules->xss_mask) >> 32;

    for (size_t i = 0; i < cat->n_words && r == 0; i++) {
        const struct x86_word *wd = &cat->words[i];
        const struct x86_msr *m;

        if (!w->w[i])
            continue;
        if (wd->is_msr) {
            uint64_t v = wd->allowed1_decode ? w->w[i] << 32 : w->w[i];

            m = x86_raw_msr(raw, wd->msr);
            r = x86_raw_set_msr(raw, wd->msr, (m ? m->value : 0) | v);
        } else {
            size_t range = wd->leaf >= 0x80000000 ? 2 : wd->leaf >= 0x40000000 ? 1 : 0;

            r = or_reg(raw, wd->leaf, wd->has_subleaf ? wd->subleaf : 0, wd->reg,
                       (uint32_t)w->w[i]);
            top[range] = wd->leaf > top[range] ? wd->leaf : top[range];
        }
    }
    if (r == 0) {
        char brand[48] = {0};
        uint32_t regs[4];

        if (f->model_id && f->model_id[0]) {
            memcpy(brand, f->model_id, strlen(f->model_id));
            for (uint32_t l = 0; l < 3 && r == 0; l++) {
                for (int k = 0; k < 4; k++) /* EAX, EBX, ECX, EDX */
                    regs[k] = x86_text_reg(brand + 16 * l + 4 * k);
                r = x86_raw_set_cpuid(raw, 0x80000002 + l, 0, regs);
            }
            top[2] = top[2] < 0x80000004 ? 0x80000004 : top[2];
        }
        if (r == 0 && f->phys_bits) {
            r = or_reg(raw, 0x80000008, 0, X86_EAX, (uint32_t)f->phys_bits);
            top[2] = top[2] < 0x80000008 ? 0x80000008 : top[2];
        }
        if (r == 0)
            r = or_reg(raw, 1, 0, X86_EAX, signature(f));
        regs[X86_EAX] = f->level > top[0] ? (uint32_t)f->level : top[0];
        regs[X86_EBX] = x86_text_reg(f->vendor);
        regs[X86_EDX] = x86_text_reg(f->vendor + 4);
        regs[X86_ECX] = x86_text_reg(f->vendor + 8);
        if (r == 0)
            r = x86_raw_set_cpuid(raw, 0, 0, regs);
        regs[X86_EAX] = f->xlevel > top[2] ? (uint32_t)f->xlevel : top[2];
        regs[X86_EBX] = regs[X86_ECX] = regs[X86_EDX] = 0;
        if (r == 0 && top[2] > 0x80000000)
            r = x86_raw_set_cpuid(raw, 0x80000000, 0, regs);
        /* KVM's signature leaf, as a guest sees it. */
        regs[X86_EBX] = x86_text_reg("KVMK");
        regs[X86_ECX] = x86_text_reg("VMKV");
        regs[X86_EDX] = x86_text_reg("M\0\0\0");
        regs[X86_EAX] = top[1];
        if (r == 0 && top[1] > 0x40000000)
            r = x86_raw_set_cpuid(raw, 0x40000000, 0, regs);
    }
    return r;
}

int x86_import_qemu_expansion(struct cc_ctx *ctx, const char *path, const char *format,
                              struct x86_raw *raw, const char *qemu_version, const char *microcode,
                              struct cc_doc *doc, struct cc_view **view)
{
    const struct x86_catalog *cat;
    const struct x86_rules *rules;
    const struct x86_qemu_props *t;
    struct cc_kvlist props = {0};
    struct cc_strlist unknown = {0};
    struct x86_words w = {0};
    struct facts f;
    int r = x86_catalog_get(ctx, &cat);

    if (r == 0)
        r = x86_rules_get(ctx, cat, &rules);
    if (r == 0)
        r = x86_qemu_props_get(ctx, cat, &t);
    if (r == 0 && raw->n_qprops == 0)
        r = cc_error(EINVAL, "%s: no CPU properties in QEMU's expansion", path);
    if (r == 0)
        r = read_facts(path, cat, t, raw, &w, &f);
    if (r == 0)
        r = words_to_raw(cat, rules, &w, &f, raw);
    if (r == 0) {
        x86_raw_sort(raw);
        r = x86_identity_from_raw(doc, raw, path);
    }
    if (r == 0 && (f.microcode > 0 || microcode))
        r = microcode ? cc_kv_set(&doc->identity, "microcode", microcode)
                      : cc_kv_setf(&doc->identity, "microcode", "0x%llx", f.microcode);
    if (r == 0)
        r = cc_doc_stamp_import(doc, format, path);
    if (r == 0 && qemu_version) {
        unsigned v;

        /* What a reader accepts in a file's origin (cc_doc_qemu): up to a fourth number. */
        if (cc_qemu_version_parse(qemu_version, 4, &v) < 0)
            r = cc_error(EINVAL, "%s: '%.40s': not a QEMU version (X.Y or X.Y.Z)", path,
                         qemu_version);
        else
            r = cc_kv_set(&doc->origin, "qemu-version", qemu_version);
    }
    /* The view says QEMU already applied its KVM rules (x86_host_init must not again). */
    if (r == 0)
        r = cc_kv_set(&props, "qemu-expansion", "yes");
    if (r == 0 && f.phys_bits)
        r = cc_kv_setf(&props, "phys-bits", "%lld", f.phys_bits);
    if (r == 0 && f.tsc_hz >= 1000)
        r = cc_kv_setf(&props, "tsc-khz", "%lld", f.tsc_hz / 1000);
    if (r == 0)
        r = x86_qprops_judge(cat, t, raw, NULL, &unknown);
    if (r == 0 && unknown.n) {
        /* Informative, for people and the import's note: readers judge the kept properties
         * again with their own catalog. */
        char list[256];
        size_t used = 0;

        list[0] = '\0';
        for (size_t i = 0; i < unknown.n && used < sizeof(list); i++)
            used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i ? " " : "",
                                     unknown.items[i]);
        r = cc_kv_set(&props, "unknown-features", list);
    }
    cc_strlist_free(&unknown);
    return cc_doc_finish_view(doc, r, "kvm", "QEMU query-cpu-model-expansion of host under KVM",
                              raw, &props, view);
}
