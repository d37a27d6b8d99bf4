/* The named, versioned QEMU CPU models of data/x86/models/ (one file per family). */
#include "x86.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"
#include "../../core/grow.h"
#include "../../core/xml_load.h"

#include <stdlib.h>
#include <string.h>

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

/* Model files are streamed (SAX): a whole catalog of them is read by models, baseline and
 * every compare that needs a suggestion. */
struct family_reader {
    const char *file;
    const struct x86_catalog *cat;
    const struct x86_rules *rules;
    struct x86_model_set *set;
    size_t *cap_m, *cap_a, first;
    char *family;
    struct x86_model *current;
};

static int dup_pair(const struct family_reader *fr, int line, const char *const *attrs,
                    const char *name, char **out)
{
    const char *v = cc_xml_pair(attrs, name);

    if (!v)
        return cc_error(EINVAL, "%s: line %d: <version> lacks '%s'", fr->file, line, name);
    *out = strdup(v);
    return *out ? 0 : cc_error(ENOMEM, "out of memory");
}

static int start_version(struct family_reader *fr, const char *const *attrs, int line)
{
    static const char *const nums[] = {"version", "family", "model", "stepping", "level", "xlevel"};
    struct x86_model_set *set = fr->set;
    unsigned long long v[6];
    struct x86_model *m;
    int r;

    if ((r = CC_GROW(set->models, *fr->cap_m, set->n_models)) < 0)
        return r;
    m = fr->current = &set->models[set->n_models++];
    *m = (struct x86_model){.family_name = strdup(fr->family)};
    if (!m->family_name)
        return cc_error(ENOMEM, "out of memory");
    if ((r = dup_pair(fr, line, attrs, "name", &m->name)) < 0 ||
        (r = dup_pair(fr, line, attrs, "vendor", &m->vendor)) < 0 ||
        (r = dup_pair(fr, line, attrs, "model-id", &m->model_id)) < 0 ||
        (r = dup_pair(fr, line, attrs, "qemu", &m->qemu)) < 0)
        return r;
    for (int i = 0; i < 6; i++) {
        const char *s = cc_xml_pair(attrs, nums[i]);
        char *end;

        errno = 0;
        v[i] = s ? strtoull(s, &end, 0) : 0;
        if (!s || errno || end == s || *end || v[i] > UINT32_MAX)
            return cc_error(EINVAL, "%s: line %d: model %s: bad or missing '%s'", fr->file, line,
                            m->name, nums[i]);
    }
    m->version = (unsigned)v[0];
    m->family = (unsigned)v[1];
    m->model = (unsigned)v[2];
    m->stepping = (unsigned)v[3];
    m->level = (uint32_t)v[4];
    m->xlevel = (uint32_t)v[5];
    m->deprecated =
        cc_xml_pair(attrs, "deprecated") && !strcmp(cc_xml_pair(attrs, "deprecated"), "yes");
    return 0;
}

static int start_alias(struct family_reader *fr, const char *const *attrs, int line)
{
    struct x86_model_set *set = fr->set;
    const char *name = cc_xml_pair(attrs, "name"), *of = cc_xml_pair(attrs, "of");
    size_t target = SIZE_MAX;

    for (size_t i = fr->first; i < set->n_models; i++)
        if (of && !strcmp(set->models[i].name, of))
            target = i;
    if (!name || target == SIZE_MAX)
        return cc_error(EINVAL, "%s: line %d: alias '%s' of unknown '%s'", fr->file, line,
                        name ?: "?", of ?: "?");
    int r = CC_GROW(set->aliases, *fr->cap_a, set->n_aliases);

    if (r < 0)
        return r;
    set->aliases[set->n_aliases].model = target;
    if (!(set->aliases[set->n_aliases++].name = strdup(name)))
        return cc_error(ENOMEM, "out of memory");
    return 0;
}

static int family_start(void *user, const char *el, const char *const *attrs, int line)
{
    struct family_reader *fr = user;

    if (strcmp(el, "x86-model-family") == 0) {
        const char *name = cc_xml_pair(attrs, "name");
        if (!name)
            return cc_error(EINVAL, "%s: not an x86 model family", fr->file);
        fr->family = strdup(name);
        return fr->family ? 0 : cc_error(ENOMEM, "out of memory");
    }
    if (!fr->family)
        return cc_error(EINVAL, "%s: not an x86 model family", fr->file);
    if (strcmp(el, "version") == 0)
        return start_version(fr, attrs, line);
    if (strcmp(el, "alias") == 0)
        return start_alias(fr, attrs, line);
    return 0;
}

static int family_end(void *user, const char *el, const char *text)
{
    struct family_reader *fr = user;
    struct x86_model *m = fr->current;
    _cleanup_free_ char *list = NULL;
    char *save = NULL;

    if (!m)
        return 0;
    if (strcmp(el, "version") == 0) {
        x86_expand_model(fr->cat, fr->rules, &m->definition, &m->kvm);
        m->n_features = x86_words_count(fr->cat, &m->kvm);
        fr->current = NULL;
    } else if (strcmp(el, "added") == 0 || strcmp(el, "removed") == 0) {
        char **slot = el[0] == 'a' ? &m->added : &m->removed;
        if (!(*slot = strdup(text)))
            return cc_error(ENOMEM, "out of memory");
    } else if (strcmp(el, "features") == 0) {
        if (!(list = strdup(text)))
            return cc_error(ENOMEM, "out of memory");
        for (char *t = strtok_r(list, " \n\t", &save); t; t = strtok_r(NULL, " \n\t", &save)) {
            const struct x86_feature *f = x86_catalog_feature(fr->cat, t);
            if (!f)
                return cc_error(EINVAL, "%s: model %s: unknown feature '%s'", fr->file, m->name, t);
            x86_words_set(fr->cat, &m->definition, f, true);
        }
    }
    return 0;
}

static int load_family(const char *path, const struct x86_catalog *cat,
                       const struct x86_rules *rules, struct x86_model_set *set, size_t *cap_m,
                       size_t *cap_a)
{
    static const struct cc_xml_sax handler = {.start = family_start, .end = family_end};
    struct family_reader fr = {.file = path,
                               .cat = cat,
                               .rules = rules,
                               .set = set,
                               .cap_m = cap_m,
                               .cap_a = cap_a,
                               .first = set->n_models};
    int r = cc_xml_sax_file(path, &handler, &fr);

    if (r == 0 && !fr.family)
        r = cc_error(EINVAL, "%s: not an x86 model family", path);
    free(fr.family);
    return r;
}

static int load_models(struct cc_ctx *ctx, const struct x86_catalog *cat,
                       const struct x86_rules *rules, struct x86_model_set *set)
{
    struct cc_strlist files = {0};
    const struct x86_releases *rel = NULL;
    size_t cap_m = 64, cap_a = 64;
    int r = cc_ctx_arch_files(ctx, &x86_arch_ops, "models", &files);

    set->models = calloc(cap_m, sizeof(*set->models));
    set->aliases = calloc(cap_a, sizeof(*set->aliases));
    if (r == 0 && (!set->models || !set->aliases))
        r = cc_error(ENOMEM, "out of memory");
    for (size_t i = 0; i < files.n && r == 0; i++)
        r = load_family(files.items[i], cat, rules, set, &cap_m, &cap_a);
    cc_strlist_free(&files);
    if (r == 0)
        r = x86_releases_get(ctx, cat, &rel);
    /* A model without a first release would be offered by every QEMU. */
    for (size_t i = 0; i < set->n_models && r == 0; i++)
        if (!(set->models[i].since = x86_releases_model(rel, set->models[i].name)))
            r = cc_error(EINVAL, "%s/x86/qemu-releases.xml: no release for model %s", ctx->datadir,
                         set->models[i].name);
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
