/* The named, versioned QEMU CPU models of data/x86/models/ (one file per family). */
#include "x86.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"
#include "../../core/xml_load.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

static bool is(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

void x86_models_free(struct x86_model_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n_models; i++) {
        struct x86_model *m = &set->models[i];
        free(m->name);
        free(m->family_name);
        free(m->vendor);
        free(m->model_id);
        free(m->qemu);
        free(m->added);
        free(m->removed);
    }
    for (size_t i = 0; i < set->n_aliases; i++)
        free(set->aliases[i].name);
    free(set->models);
    free(set->aliases);
    free(set);
}

static char *text_of(xmlNodePtr n)
{
    xmlChar *t = xmlNodeGetContent(n);
    char *s = strdup(t ? (const char *)t : "");

    xmlFree(t);
    return s;
}

static int dup_attr(const char *file, xmlNodePtr n, const char *name, char **out)
{
    const char *v = cc_xml_attr(n, name);

    if (!v)
        return cc_error(EINVAL, "%s: line %ld: <version> lacks '%s'", file, xmlGetLineNo(n), name);
    *out = strdup(v);
    return *out ? 0 : cc_error(ENOMEM, "out of memory");
}

static int parse_version(const char *file, const struct x86_catalog *cat,
                         const struct x86_rules *rules, const char *family, xmlNodePtr n,
                         struct x86_model *m)
{
    static const char *const nums[] = {"version", "family", "model", "stepping", "level", "xlevel"};
    unsigned long long v[6];
    int r = 0;

    m->family_name = strdup(family);
    if (!m->family_name)
        return cc_error(ENOMEM, "out of memory");
    if ((r = dup_attr(file, n, "name", &m->name)) < 0 ||
        (r = dup_attr(file, n, "vendor", &m->vendor)) < 0 ||
        (r = dup_attr(file, n, "model-id", &m->model_id)) < 0 ||
        (r = dup_attr(file, n, "qemu", &m->qemu)) < 0)
        return r;
    for (int i = 0; i < 6 && r == 0; i++)
        r = cc_xml_attr_u64(file, n, nums[i], UINT32_MAX, &v[i]);
    if (r < 0)
        return r;
    m->version = (unsigned)v[0];
    m->family = (unsigned)v[1];
    m->model = (unsigned)v[2];
    m->stepping = (unsigned)v[3];
    m->level = (uint32_t)v[4];
    m->xlevel = (uint32_t)v[5];
    m->deprecated = cc_xml_attr(n, "deprecated") && !strcmp(cc_xml_attr(n, "deprecated"), "yes");
    for (xmlNodePtr c = n->children; c && r == 0; c = c->next) {
        _cleanup_free_ char *list = NULL;
        char *save = NULL;

        if (is(c, "added")) {
            m->added = text_of(c);
        } else if (is(c, "removed")) {
            m->removed = text_of(c);
        } else if (is(c, "features")) {
            list = text_of(c);
            if (!list)
                return cc_error(ENOMEM, "out of memory");
            for (char *t = strtok_r(list, " \n\t", &save); t; t = strtok_r(NULL, " \n\t", &save)) {
                const struct x86_feature *f = x86_catalog_feature(cat, t);
                if (!f)
                    return cc_error(EINVAL, "%s: model %s: unknown feature '%s'", file, m->name, t);
                x86_words_set(cat, &m->definition, f, true);
            }
        }
    }
    x86_expand_model(cat, rules, &m->definition, &m->kvm);
    m->n_features = x86_words_count(cat, &m->kvm);
    return 0;
}

static int load_family(const char *path, const struct x86_catalog *cat,
                       const struct x86_rules *rules, struct x86_model_set *set, size_t *cap_m,
                       size_t *cap_a)
{
    _cleanup_xmldoc_ xmlDocPtr doc = NULL;
    xmlNodePtr root;
    const char *family;
    size_t first = set->n_models;
    int r = cc_xml_load(path, &doc);

    if (r < 0)
        return r;
    root = xmlDocGetRootElement(doc);
    if (!root || !is(root, "x86-model-family") || !(family = cc_xml_attr(root, "name")))
        return cc_error(EINVAL, "%s: not an x86 model family", path);
    for (xmlNodePtr c = root->children; c && r == 0; c = c->next) {
        if (is(c, "version")) {
            if (set->n_models == *cap_m) {
                struct x86_model *p = reallocarray(set->models, *cap_m * 2, sizeof(*p));
                if (!p)
                    return cc_error(ENOMEM, "out of memory");
                set->models = p;
                *cap_m *= 2;
            }
            set->models[set->n_models] = (struct x86_model){0};
            r = parse_version(path, cat, rules, family, c, &set->models[set->n_models++]);
        } else if (is(c, "alias")) {
            const char *name = cc_xml_attr(c, "name"), *of = cc_xml_attr(c, "of");
            size_t target = SIZE_MAX;

            for (size_t i = first; i < set->n_models; i++)
                if (of && !strcmp(set->models[i].name, of))
                    target = i;
            if (!name || target == SIZE_MAX)
                return cc_error(EINVAL, "%s: alias '%s' of unknown '%s'", path, name ?: "?",
                                of ?: "?");
            if (set->n_aliases == *cap_a) {
                struct x86_model_alias *p = reallocarray(set->aliases, *cap_a * 2, sizeof(*p));
                if (!p)
                    return cc_error(ENOMEM, "out of memory");
                set->aliases = p;
                *cap_a *= 2;
            }
            set->aliases[set->n_aliases].model = target;
            if (!(set->aliases[set->n_aliases++].name = strdup(name)))
                return cc_error(ENOMEM, "out of memory");
        }
    }
    return r;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_models(struct cc_ctx *ctx, const struct x86_catalog *cat,
                       const struct x86_rules *rules, struct x86_model_set *set)
{
    _cleanup_free_ char *dir = NULL;
    struct cc_strlist files = {0};
    size_t cap_m = 64, cap_a = 64;
    struct dirent *e;
    DIR *d;
    int r = cc_ctx_data_path(ctx, "x86/models", &dir);

    if (r < 0)
        return r;
    d = opendir(dir);
    if (!d)
        return cc_error(errno, "%s: cannot open: %s", dir, strerror(errno));
    while ((e = readdir(d)) && r == 0) {
        size_t len = strlen(e->d_name);
        if (len > 4 && !strcmp(e->d_name + len - 4, ".xml"))
            r = cc_strlist_addf(&files, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (r == 0 && files.n == 0)
        r = cc_error(ENOENT, "%s: no model files", dir);
    set->models = calloc(cap_m, sizeof(*set->models));
    set->aliases = calloc(cap_a, sizeof(*set->aliases));
    if (r == 0 && (!set->models || !set->aliases))
        r = cc_error(ENOMEM, "out of memory");
    if (r == 0)
        qsort(files.items, files.n, sizeof(char *), cmp_names);
    for (size_t i = 0; i < files.n && r == 0; i++)
        r = load_family(files.items[i], cat, rules, set, &cap_m, &cap_a);
    cc_strlist_free(&files);
    return r;
}

int x86_models_get(struct cc_ctx *ctx, const struct x86_catalog *cat, const struct x86_rules *rules,
                   const struct x86_model_set **out)
{
    struct x86_catalog *owner = (struct x86_catalog *)cat; /* cache owned by the catalog */
    struct x86_model_set *set;
    int r;

    if (!owner->models) {
        set = calloc(1, sizeof(*set));
        if (!set)
            return cc_error(ENOMEM, "out of memory");
        r = load_models(ctx, cat, rules, set);
        if (r < 0) {
            x86_models_free(set);
            return r;
        }
        owner->models = set;
    }
    *out = owner->models;
    return 0;
}

const struct x86_model *x86_model_find(const struct x86_model_set *set, const char *name)
{
    for (size_t i = 0; i < set->n_models; i++)
        if (!strcmp(set->models[i].name, name))
            return &set->models[i];
    for (size_t i = 0; i < set->n_aliases; i++)
        if (!strcmp(set->aliases[i].name, name))
            return &set->models[set->aliases[i].model];
    return NULL;
}

const char *x86_model_alias_of(const struct x86_model_set *set, const struct x86_model *m)
{
    (void)set;
    return m->name;
}
