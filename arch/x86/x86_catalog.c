/* Loads data/x86/features.xml (feature names and where their bits live) and
 * data/x86/cpuid-leaves.xml (how to walk CPUID), and through x86_fields.c
 * data/x86/cpuid-fields.xml. No feature bit is spelled in C. */
#include "x86.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"
#include "../../core/grow.h"
#include "../../core/qemu.h"
#include "../../core/xml_load.h"

#include <stdlib.h>
#include <string.h>

static int need(const char *file, xmlNodePtr n, const char *attr, const char **out)
{
    *out = cc_xml_attr(n, attr);
    if (!*out)
        return cc_error(EINVAL, "%s: line %ld: <%s> lacks '%s'", file, xmlGetLineNo(n),
                        (const char *)n->name, attr);
    return 0;
}

static int need_reg(const char *file, xmlNodePtr n, enum x86_reg *reg)
{
    const char *s;
    int r = need(file, n, "reg", &s);

    if (r == 0 && x86_reg_from_name(s, reg) < 0)
        r = cc_error(EINVAL, "%s: line %ld: unknown register '%s'", file, xmlGetLineNo(n), s);
    return r;
}

static size_t count_children(xmlNodePtr root, const char *name)
{
    size_t n = 0;

    for (xmlNodePtr c = root->children; c; c = c->next)
        n += cc_xml_is(c, name);
    return n;
}

static int find_word(const struct x86_catalog *cat, const char *name, size_t *idx)
{
    for (size_t i = 0; i < cat->n_words; i++) {
        if (strcmp(cat->words[i].name, name) == 0) {
            *idx = i;
            return 0;
        }
    }
    return -ENOENT;
}

/* features.xml is read by every run, so it is streamed (SAX) rather than built into a tree. */
struct feature_reader {
    const char *file;
    struct x86_catalog *cat;
    size_t cap_words, cap_features;
    bool have_feature;
};

static int pair_u64(const char *file, int line, const char *const *attrs, const char *name,
                    unsigned long long max, unsigned long long *out)
{
    const char *s = cc_xml_pair(attrs, name);
    char *end;

    if (!s)
        return cc_error(EINVAL, "%s: line %d: lacks '%s'", file, line, name);
    errno = 0;
    *out = strtoull(s, &end, 0);
    if (errno || end == s || *end || *out > max)
        return cc_error(EINVAL, "%s: line %d: %s='%s' is not a number up to %#llx", file, line,
                        name, s, max);
    return 0;
}

static int pair_need(const char *file, int line, const char *const *attrs, const char *name,
                     const char **out)
{
    *out = cc_xml_pair(attrs, name);
    return *out ? 0 : cc_error(EINVAL, "%s: line %d: lacks '%s'", file, line, name);
}

static int read_word(struct feature_reader *fr, const char *const *attrs, int line)
{
    struct x86_catalog *cat = fr->cat;
    unsigned long long v;
    const char *name, *decode, *reg;
    struct x86_word *w;
    int r = pair_need(fr->file, line, attrs, "name", &name);

    if (r < 0)
        return r;
    if ((r = CC_GROW(cat->words, fr->cap_words, cat->n_words)) < 0)
        return r;
    w = &cat->words[cat->n_words++];
    *w = (struct x86_word){.name = strdup(name)};
    if (!w->name)
        return cc_error(ENOMEM, "out of memory");
    if (cc_xml_pair(attrs, "msr")) {
        w->is_msr = true;
        r = pair_u64(fr->file, line, attrs, "msr", UINT32_MAX, &v);
        w->msr = (uint32_t)v;
        decode = cc_xml_pair(attrs, "decode");
        w->allowed1_decode = decode && strcmp(decode, "allowed-1") == 0;
        return r;
    }
    r = pair_u64(fr->file, line, attrs, "leaf", UINT32_MAX, &v);
    w->leaf = (uint32_t)v;
    if (r == 0 && cc_xml_pair(attrs, "subleaf")) {
        w->has_subleaf = true;
        r = pair_u64(fr->file, line, attrs, "subleaf", UINT32_MAX, &v);
        w->subleaf = (uint32_t)v;
    }
    if (r == 0)
        r = pair_need(fr->file, line, attrs, "reg", &reg);
    if (r == 0 && x86_reg_from_name(reg, &w->reg) < 0)
        r = cc_error(EINVAL, "%s: line %d: unknown register '%s'", fr->file, line, reg);
    return r;
}

static bool flag(const char *const *attrs, const char *name, const char *value)
{
    const char *v = cc_xml_pair(attrs, name);

    return v && strcmp(v, value) == 0;
}

static int read_feature(struct feature_reader *fr, const char *const *attrs, int line)
{
    struct x86_catalog *cat = fr->cat;
    const char *name = NULL, *word = NULL, *bits = NULL, *since;
    struct x86_feature *f;
    char *end;
    int r = pair_need(fr->file, line, attrs, "name", &name);

    if (r == 0)
        r = pair_need(fr->file, line, attrs, "word", &word);
    if (r == 0)
        r = pair_need(fr->file, line, attrs, "bits", &bits);
    if (r < 0)
        return r;
    if ((r = CC_GROW(cat->features, fr->cap_features, cat->n_features)) < 0)
        return r;
    f = &cat->features[cat->n_features++];
    *f = (struct x86_feature){.name = strdup(name)};
    fr->have_feature = true;
    if (!f->name)
        return cc_error(ENOMEM, "out of memory");
    if (find_word(cat, word, &f->word) < 0)
        return cc_error(EINVAL, "%s: feature '%s' names unknown word '%s'", fr->file, name, word);
    for (const char *p = bits; *p;) {
        unsigned long b = strtoul(p, &end, 10);

        if (end == p || b > 63)
            return cc_error(EINVAL, "%s: feature '%s': bad bit list '%s'", fr->file, name, bits);
        f->bits |= 1ULL << b;
        p = end + strspn(end, " ");
    }
    f->unmigratable = flag(attrs, "migratable", "no");
    f->no_host_model = flag(attrs, "host-model", "no");
    f->paravirt = flag(attrs, "paravirt", "yes");
    f->tcg = flag(attrs, "tcg", "yes");
    if ((since = cc_xml_pair(attrs, "since")) && !(f->since = strdup(since)))
        return cc_error(ENOMEM, "out of memory");
    return 0;
}

static int feature_start(void *user, const char *el, const char *const *attrs, int line)
{
    struct feature_reader *fr = user;
    struct x86_feature *f = fr->have_feature ? &fr->cat->features[fr->cat->n_features - 1] : NULL;
    unsigned long long comp;
    const char *name = cc_xml_pair(attrs, "name");
    int r;

    if (strcmp(el, "word") == 0)
        return read_word(fr, attrs, line);
    if (strcmp(el, "feature") == 0)
        return read_feature(fr, attrs, line);
    if (!f || !strcmp(el, "x86-features"))
        return 0;
    if (strcmp(el, "alias") == 0 && name)
        return cc_strlist_add(&f->aliases, name);
    if (strcmp(el, "requires") == 0 && name) {
        const char *since = cc_xml_pair(attrs, "qemu-since");
        unsigned v = 0;
        unsigned *grown;

        if (since && cc_qemu_version_parse(since, 3, &v) < 0)
            return cc_error_prefix(EINVAL, "%s: line %d: <requires qemu-since>", fr->file, line);
        if ((r = cc_strlist_add(&f->requires, name)) < 0)
            return r;
        if (!v && !f->requires_since)
            return 0;
        if (!(grown = realloc(f->requires_since, f->requires.n * sizeof(*grown))))
            return cc_error(ENOMEM, "out of memory");
        if (!f->requires_since) /* the ones before were for every release */
            memset(grown, 0, (f->requires.n - 1) * sizeof(*grown));
        f->requires_since = grown;
        f->requires_since[f->requires.n - 1] = v;
        return 0;
    }
    if (strcmp(el, "xsave") == 0) {
        r = pair_u64(fr->file, line, attrs, "component", 63, &comp);
        if (r == 0)
            fr->cat->xsave_feature[comp] = (int16_t)(f - fr->cat->features);
        return r;
    }
    return 0;
}

static uint32_t hash_name(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* First name wins: canonical names are inserted before any alias. */
static void index_name(struct x86_catalog *cat, const char *name, int16_t idx)
{
    size_t mask = cat->name_slots - 1;

    for (size_t i = hash_name(name) & mask;; i = (i + 1) & mask) {
        if (!cat->name_keys[i]) {
            cat->name_keys[i] = name;
            cat->name_index[i] = idx;
            return;
        }
        if (strcmp(cat->name_keys[i], name) == 0)
            return;
    }
}

static int build_indexes(const char *file, struct x86_catalog *cat)
{
    size_t names = cat->n_features;

    if (cat->n_words > X86_MAX_WORDS)
        return cc_error(EINVAL, "%s: %zu feature words, at most %d", file, cat->n_words,
                        X86_MAX_WORDS);
    for (size_t i = 0; i < cat->n_features; i++)
        names += cat->features[i].aliases.n;
    for (cat->name_slots = 64; cat->name_slots < names * 2;)
        cat->name_slots *= 2;
    cat->name_keys = calloc(cat->name_slots, sizeof(*cat->name_keys));
    cat->name_index = calloc(cat->name_slots, sizeof(*cat->name_index));
    cat->bit_feature = calloc(cat->n_words ? cat->n_words : 1, sizeof(*cat->bit_feature));
    if (!cat->name_keys || !cat->name_index || !cat->bit_feature)
        return cc_error(ENOMEM, "out of memory");
    memset(cat->bit_feature, 0xff, cat->n_words * sizeof(*cat->bit_feature));
    for (size_t i = 0; i < cat->n_features; i++) {
        const struct x86_feature *f = &cat->features[i];

        index_name(cat, f->name, (int16_t)i);
        for (int b = 0; b < 64; b++)
            if ((f->bits >> b) & 1)
                cat->bit_feature[f->word][b] = (int16_t)i;
    }
    for (size_t i = 0; i < cat->n_features; i++)
        for (size_t a = 0; a < cat->features[i].aliases.n; a++)
            index_name(cat, cat->features[i].aliases.items[a], (int16_t)i);
    return 0;
}

static int load_features(struct cc_ctx *ctx, struct x86_catalog *cat)
{
    _cleanup_free_ char *path = NULL;
    struct feature_reader fr = {.cat = cat};
    static const struct cc_xml_sax handler = {.start = feature_start};
    int r = cc_ctx_arch_path(ctx, &x86_arch_ops, "features.xml", &path);

    if (r < 0)
        return r;
    memset(cat->xsave_feature, 0xff, sizeof(cat->xsave_feature));
    fr.file = path;
    r = cc_xml_sax_file(path, &handler, &fr);
    if (r == 0 && (cat->n_words == 0 || cat->n_features == 0))
        r = cc_error(EINVAL, "%s: not an x86 feature table", path);
    if (r == 0)
        r = build_indexes(path, cat);
    return r;
}

static int parse_walk(const char *file, xmlNodePtr n, struct x86_subleaf_rule *rule)
{
    static const char *const walks[] = {"count", "until-zero", "xsave", "fixed"};
    unsigned long long v;
    const char *walk;
    int r = cc_xml_attr_u64(file, n, "leaf", UINT32_MAX, &v);

    rule->leaf = (uint32_t)v;
    if (r == 0)
        r = need(file, n, "walk", &walk);
    if (r < 0)
        return r;
    size_t w = 0;

    while (w < CC_ARRAY_SIZE(walks) && strcmp(walk, walks[w]) != 0)
        w++;
    if (w == CC_ARRAY_SIZE(walks))
        return cc_error(EINVAL, "%s: line %ld: unknown walk '%s'", file, xmlGetLineNo(n), walk);
    rule->walk = (enum x86_walk)w;
    if (rule->walk == X86_WALK_COUNT || rule->walk == X86_WALK_UNTIL_ZERO)
        r = need_reg(file, n, &rule->reg);
    rule->mask = UINT32_MAX;
    if (r == 0 && cc_xml_attr(n, "mask")) {
        r = cc_xml_attr_u64(file, n, "mask", UINT32_MAX, &v);
        rule->mask = (uint32_t)v;
    }
    if (r == 0 && cc_xml_attr(n, "first")) {
        r = cc_xml_attr_u64(file, n, "first", 64, &v);
        rule->first = (uint32_t)v;
    }
    if (r == 0 && rule->walk == X86_WALK_FIXED) {
        r = cc_xml_attr_u64(file, n, "count", 64, &v);
        rule->count = (uint32_t)v;
    }
    return r;
}

static int load_leaves(struct cc_ctx *ctx, struct x86_catalog *cat)
{
    _cleanup_free_ char *path = NULL;
    _cleanup_xmldoc_ xmlDocPtr doc = NULL;
    xmlNodePtr root;
    int r = cc_ctx_arch_path(ctx, &x86_arch_ops, "cpuid-leaves.xml", &path);

    if (r == 0)
        r = cc_xml_load(path, &doc);
    if (r < 0)
        return r;
    root = xmlDocGetRootElement(doc);
    if (!root || !cc_xml_is(root, "x86-cpuid-leaves"))
        return cc_error(EINVAL, "%s: not an x86 CPUID leaf table", path);
    cat->ranges = calloc(count_children(root, "range") + 1, sizeof(*cat->ranges));
    cat->subleaves = calloc(count_children(root, "subleaves") + 1, sizeof(*cat->subleaves));
    cat->per_cpu = calloc(count_children(root, "per-cpu") + 1, sizeof(*cat->per_cpu));
    if (!cat->ranges || !cat->subleaves || !cat->per_cpu)
        return cc_error(ENOMEM, "out of memory");
    for (xmlNodePtr c = root->children; c && r == 0; c = c->next) {
        unsigned long long v;

        if (cc_xml_is(c, "range")) {
            struct x86_range *rg = &cat->ranges[cat->n_ranges++];
            const char *when = cc_xml_attr(c, "when"), *vendor = cc_xml_attr(c, "vendor");

            r = cc_xml_attr_u64(path, c, "base", UINT32_MAX, &v);
            rg->base = (uint32_t)v;
            rg->needs_hypervisor = when && strcmp(when, "hypervisor") == 0;
            if (vendor)
                snprintf(rg->vendor, sizeof(rg->vendor), "%s", vendor);
        } else if (cc_xml_is(c, "subleaves")) {
            r = parse_walk(path, c, &cat->subleaves[cat->n_subleaves++]);
        } else if (cc_xml_is(c, "per-cpu")) {
            struct x86_per_cpu *pc = &cat->per_cpu[cat->n_per_cpu++];

            r = cc_xml_attr_u64(path, c, "leaf", UINT32_MAX, &v);
            pc->leaf = (uint32_t)v;
            if (r == 0)
                r = need_reg(path, c, &pc->reg);
            if (r == 0)
                r = cc_xml_attr_u64(path, c, "mask", UINT32_MAX, &v);
            pc->mask = (uint32_t)v;
        }
    }
    return r;
}

void x86_catalog_free(void *state)
{
    struct x86_catalog *cat = state;

    if (!cat)
        return;
    for (size_t i = 0; i < cat->n_words; i++)
        free(cat->words[i].name);
    for (size_t i = 0; i < cat->n_features; i++) {
        free(cat->features[i].name);
        free(cat->features[i].since);
        cc_strlist_free(&cat->features[i].aliases);
        cc_strlist_free(&cat->features[i].requires);
        free(cat->features[i].requires_since);
    }
    free(cat->words);
    free(cat->features);
    free(cat->bit_feature);
    free(cat->name_index);
    free(cat->name_keys);
    free(cat->subleaves);
    free(cat->ranges);
    free(cat->per_cpu);
    x86_rules_free(cat->rules);
    x86_models_free(cat->models);
    x86_lv_map_free(cat->libvirt);
    x86_names_free(cat->names);
    x86_releases_free(cat->releases);
    x86_qemu_props_free(cat->qemu_props);
    free(cat);
}

int x86_catalog_load(struct cc_ctx *ctx, void **state)
{
    struct x86_catalog *cat = calloc(1, sizeof(*cat));
    int r;

    if (!cat)
        return cc_error(ENOMEM, "out of memory");
    r = load_features(ctx, cat);
    if (r == 0)
        r = load_leaves(ctx, cat);
    if (r == 0)
        r = x86_fields_load(ctx, cat);
    if (r < 0) {
        x86_catalog_free(cat);
        return r;
    }
    *state = cat;
    return 0;
}

int x86_catalog_get(struct cc_ctx *ctx, const struct x86_catalog **out)
{
    void *state;
    int r = cc_ctx_arch_data(ctx, &x86_arch_ops, &state);

    if (r < 0)
        return r;
    *out = state;
    return 0;
}

const struct x86_feature *x86_catalog_feature(const struct x86_catalog *cat, const char *name)
{
    size_t mask = cat->name_slots - 1;

    for (size_t i = hash_name(name) & mask; cat->name_keys[i]; i = (i + 1) & mask)
        if (strcmp(cat->name_keys[i], name) == 0)
            return &cat->features[cat->name_index[i]];
    return NULL;
}

int x86_catalog_word(const struct x86_catalog *cat, const char *name)
{
    for (size_t i = 0; i < cat->n_words; i++)
        if (strcmp(cat->words[i].name, name) == 0)
            return (int)i;
    return -1;
}

void x86_words_set(const struct x86_catalog *cat, struct x86_words *w, const struct x86_feature *f,
                   bool on)
{
    (void)cat;
    if (on)
        w->w[f->word] |= f->bits;
    else
        w->w[f->word] &= ~f->bits;
}

const struct x86_subleaf_rule *x86_catalog_subleaf_rule(const struct x86_catalog *cat,
                                                        uint32_t leaf)
{
    for (size_t i = 0; i < cat->n_subleaves; i++)
        if (cat->subleaves[i].leaf == leaf)
            return &cat->subleaves[i];
    return NULL;
}
