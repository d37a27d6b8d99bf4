/* Loads data/s390x/features.xml (QEMU's features, how each is sensed, the groups) and
 * data/s390x/models.xml (the CPU definitions in QEMU's order with their feature sets). */
#include "s390x.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"
#include "../../core/grow.h"
#include "../../core/xml_load.h"

#include <stdlib.h>
#include <string.h>

static int index_names(struct s390x_catalog *cat);

struct reader {
    const char *file;
    struct s390x_catalog *cat;
    size_t cap_feats, cap_groups, cap_defs;
    char *group_name, *group_desc; /* the <group> being read */
};

static int number(const struct reader *rd, int line, const char *const *attrs, const char *name,
                  unsigned long max, unsigned *out)
{
    const char *s = cc_xml_pair(attrs, name);
    char *end;
    unsigned long v;

    errno = 0;
    v = s ? strtoul(s, &end, 0) : 0;
    if (!s || errno || end == s || *end || v > max)
        return cc_error(EINVAL, "%s: line %d: bad or missing '%s'", rd->file, line, name);
    *out = (unsigned)v;
    return 0;
}

static int dup_attr(const struct reader *rd, int line, const char *const *attrs, const char *name,
                    char **out)
{
    const char *s = cc_xml_pair(attrs, name);

    if (!s)
        return cc_error(EINVAL, "%s: line %d: lacks '%s'", rd->file, line, name);
    return (*out = strdup(s)) ? 0 : cc_error(ENOMEM, "out of memory");
}

static int start_feature(struct reader *rd, const char *const *attrs, int line)
{
    struct s390x_catalog *cat = rd->cat;
    struct s390x_feature *f;
    unsigned index;
    int r;

    if ((r = number(rd, line, attrs, "index", S390X_MAX_FEATS - 1, &index)) < 0)
        return r;
    if (index != cat->n_feats)
        return cc_error(EINVAL, "%s: line %d: feature index %u out of order", rd->file, line,
                        index);
    if ((r = CC_GROW(cat->feats, rd->cap_feats, cat->n_feats)) < 0)
        return r;
    f = &cat->feats[cat->n_feats++];
    memset(f, 0, sizeof(*f));
    if ((r = dup_attr(rd, line, attrs, "name", &f->name)) < 0 ||
        (r = dup_attr(rd, line, attrs, "description", &f->description)) < 0)
        return r;
    if (cc_xml_pair(attrs, "stfle")) {
        f->source = SRC_STFLE;
        r = number(rd, line, attrs, "stfle", S390X_BLOCK_MAX * 8 - 1, &f->bit);
    } else if (cc_xml_pair(attrs, "sie")) {
        f->source = SRC_SIE;
        r = number(rd, line, attrs, "sie", 1023, &f->bit);
    } else if (cc_xml_pair(attrs, "subfunc")) {
        f->source = SRC_SUBFUNC;
        if ((r = dup_attr(rd, line, attrs, "subfunc", &f->subfunc)) == 0)
            r = number(rd, line, attrs, "code", 255, &f->bit);
        /* Gates come earlier in QEMU's order than the subfunctions they open. */
        f->gate =
            cc_xml_pair(attrs, "gate") ? s390x_feature_index(cat, cc_xml_pair(attrs, "gate")) : -1;
        if (r == 0 && cc_xml_pair(attrs, "gate") && f->gate < 0)
            r = cc_error(EINVAL, "%s: line %d: unknown gate '%s'", rd->file, line,
                         cc_xml_pair(attrs, "gate"));
    } else if (cc_xml_pair(attrs, "misc")) {
        f->source = SRC_MISC;
        r = number(rd, line, attrs, "misc", 63, &f->bit);
    } else {
        r = cc_error(EINVAL, "%s: line %d: feature %s has no way to be sensed", rd->file, line,
                     f->name);
    }
    f->ignore_for_base = cc_xml_pair(attrs, "ignore-for-base") != NULL;
    f->kvm_needs = -1;
    if (r == 0 && cc_xml_pair(attrs, "kvm-needs") &&
        (f->kvm_needs = s390x_feature_index(cat, cc_xml_pair(attrs, "kvm-needs"))) < 0)
        r = cc_error(EINVAL, "%s: line %d: feature %s needs unknown '%s'", rd->file, line, f->name,
                     cc_xml_pair(attrs, "kvm-needs"));
    f->deprecated = cc_xml_pair(attrs, "deprecated") != NULL;
    if (r == 0 && f->ignore_for_base)
        s390x_set(&cat->ignored_base, (int)index, true);
    return r;
}

/* A space-separated list of feature names into a set; an unknown name is an error. */
static int parse_set(const struct reader *rd, const char *what, const char *text,
                     struct s390x_feats *out)
{
    _cleanup_free_ char *copy = strdup(text);
    char *save = NULL;

    if (!copy)
        return cc_error(ENOMEM, "out of memory");
    for (char *t = strtok_r(copy, " \n\t", &save); t; t = strtok_r(NULL, " \n\t", &save)) {
        int i = s390x_feature_index(rd->cat, t);

        if (i < 0)
            return cc_error(EINVAL, "%s: %s: unknown feature '%s'", rd->file, what, t);
        s390x_set(out, i, true);
    }
    return 0;
}

static int start_model(struct reader *rd, const char *const *attrs, int line)
{
    struct s390x_catalog *cat = rd->cat;
    struct s390x_def *d;
    int r;

    if ((r = CC_GROW(cat->defs, rd->cap_defs, cat->n_defs)) < 0)
        return r;
    d = &cat->defs[cat->n_defs++];
    memset(d, 0, sizeof(*d));
    if ((r = dup_attr(rd, line, attrs, "name", &d->name)) < 0 ||
        (r = dup_attr(rd, line, attrs, "description", &d->description)) < 0 ||
        (r = number(rd, line, attrs, "type", 0xffff, &d->type)) < 0 ||
        (r = number(rd, line, attrs, "gen", 255, &d->gen)) < 0 ||
        (r = number(rd, line, attrs, "ga", 15, &d->ga)) < 0 ||
        (r = number(rd, line, attrs, "ibc", 0xfff, &d->ibc)) < 0)
        return r;
    d->newer = cc_xml_pair(attrs, "qemu") != NULL;
    return 0;
}

static int on_start(void *user, const char *el, const char *const *attrs, int line)
{
    struct reader *rd = user;

    if (strcmp(el, "feature") == 0)
        return start_feature(rd, attrs, line);
    if (strcmp(el, "model") == 0)
        return start_model(rd, attrs, line);
    if (strcmp(el, "group") == 0) {
        if (!rd->cat->by_name && index_names(rd->cat) < 0)
            return -ENOMEM;
        free(rd->group_name);
        free(rd->group_desc);
        rd->group_name = rd->group_desc = NULL;
        int r = dup_attr(rd, line, attrs, "name", &rd->group_name);
        return r < 0 ? r : dup_attr(rd, line, attrs, "description", &rd->group_desc);
    }
    return 0;
}

static int on_end(void *user, const char *el, const char *text)
{
    struct reader *rd = user;
    struct s390x_catalog *cat = rd->cat;
    struct s390x_def *d = cat->n_defs ? &cat->defs[cat->n_defs - 1] : NULL;
    struct s390x_group *g;
    int r;

    if (strcmp(el, "group") == 0) {
        if ((r = CC_GROW(cat->groups, rd->cap_groups, cat->n_groups)) < 0)
            return r;
        g = &cat->groups[cat->n_groups++];
        memset(g, 0, sizeof(*g));
        g->name = rd->group_name;
        g->description = rd->group_desc;
        rd->group_name = rd->group_desc = NULL;
        r = parse_set(rd, g->name, text, &g->members);
        if (r == 0 && s390x_empty(&g->members))
            r = cc_error(EINVAL, "%s: group %s has no members", rd->file, g->name);
        return r;
    }
    if (!d)
        return 0;
    if (strcmp(el, "base") == 0)
        return parse_set(rd, d->name, text, &d->base);
    if (strcmp(el, "default") == 0)
        return parse_set(rd, d->name, text, &d->dflt);
    if (strcmp(el, "full") == 0)
        return parse_set(rd, d->name, text, &d->full);
    return 0;
}

void s390x_catalog_free(void *state)
{
    struct s390x_catalog *cat = state;

    if (!cat)
        return;
    for (size_t i = 0; i < cat->n_feats; i++) {
        free(cat->feats[i].name);
        free(cat->feats[i].description);
        free(cat->feats[i].subfunc);
    }
    for (size_t i = 0; i < cat->n_groups; i++) {
        free(cat->groups[i].name);
        free(cat->groups[i].description);
    }
    for (size_t i = 0; i < cat->n_defs; i++) {
        free(cat->defs[i].name);
        free(cat->defs[i].description);
    }
    free(cat->feats);
    free(cat->groups);
    free(cat->defs);
    free(cat->by_name);
    free(cat);
}

static int load(struct cc_ctx *ctx, const char *rel, struct reader *rd)
{
    static const struct cc_xml_sax handler = {.start = on_start, .end = on_end};
    _cleanup_free_ char *path = NULL;
    int r = cc_ctx_arch_path(ctx, &s390x_arch_ops, rel, &path);

    rd->file = path;
    if (r == 0)
        r = cc_xml_sax_file(path, &handler, rd);
    free(rd->group_name);
    free(rd->group_desc);
    rd->group_name = rd->group_desc = NULL;
    if (r == 0 && strstr(rel, "features") && rd->cat->n_feats == 0)
        r = cc_error(EINVAL, "%s: no features", path);
    if (r == 0 && strstr(rel, "models")) {
        if (rd->cat->n_defs == 0)
            r = cc_error(EINVAL, "%s: no CPU definitions", path);
        for (size_t i = 0; i < rd->cat->n_defs && r == 0; i++)
            if (!s390x_subset(&rd->cat->defs[i].base, &rd->cat->defs[i].full))
                r = cc_error(EINVAL, "%s: %s: base set outside the full set", path,
                             rd->cat->defs[i].name);
    }
    return r;
}

static unsigned name_hash(const char *s)
{
    unsigned h = 2166136261u; /* FNV-1a */

    while (*s)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

/* An open-addressing table of feature indices by name (slot -1: empty). */
static int index_names(struct s390x_catalog *cat)
{
    size_t size = S390X_NAME_SLOTS;

    if (!(cat->by_name = malloc(size * sizeof(int))))
        return cc_error(ENOMEM, "out of memory");
    for (size_t i = 0; i < size; i++)
        cat->by_name[i] = -1;
    for (size_t i = 0; i < cat->n_feats; i++) {
        size_t slot = name_hash(cat->feats[i].name) & (size - 1);

        while (cat->by_name[slot] >= 0)
            slot = (slot + 1) & (size - 1);
        cat->by_name[slot] = (int)i;
    }
    cat->n_by_name = cat->n_feats;
    return 0;
}

int s390x_catalog_load(struct cc_ctx *ctx, void **state)
{
    struct s390x_catalog *cat = calloc(1, sizeof(*cat));
    struct reader rd = {.cat = cat};
    int r;

    if (!cat)
        return cc_error(ENOMEM, "out of memory");
    r = load(ctx, "features.xml", &rd);
    if (r == 0 && !cat->by_name)
        r = index_names(cat);
    if (r == 0)
        r = load(ctx, "models.xml", &rd);
    if (r == 0)
        r = s390x_releases_load(ctx, cat);
    if (r < 0) {
        s390x_catalog_free(cat);
        return r;
    }
    *state = cat;
    return 0;
}

int s390x_catalog_get(struct cc_ctx *ctx, const struct s390x_catalog **out)
{
    void *state;
    int r = cc_ctx_arch_data(ctx, &s390x_arch_ops, &state);

    if (r == 0)
        *out = state;
    return r;
}

int s390x_feature_index(const struct s390x_catalog *cat, const char *name)
{
    if (cat->by_name && cat->n_by_name == cat->n_feats) {
        for (size_t slot = name_hash(name) & (S390X_NAME_SLOTS - 1); cat->by_name[slot] >= 0;
             slot = (slot + 1) & (S390X_NAME_SLOTS - 1))
            if (strcmp(cat->feats[cat->by_name[slot]].name, name) == 0)
                return cat->by_name[slot];
        return -1;
    }
    /* While the table itself is read (a gate names an earlier feature). */
    for (size_t i = 0; i < cat->n_feats; i++)
        if (strcmp(cat->feats[i].name, name) == 0)
            return (int)i;
    return -1;
}

int s390x_group_index(const struct s390x_catalog *cat, const char *name)
{
    for (size_t i = 0; i < cat->n_groups; i++)
        if (strcmp(cat->groups[i].name, name) == 0)
            return (int)i;
    return -1;
}

const struct s390x_def *s390x_def_find(const struct s390x_catalog *cat, const char *name)
{
    for (size_t i = 0; i < cat->n_defs; i++)
        if (strcmp(cat->defs[i].name, name) == 0)
            return &cat->defs[i];
    return NULL;
}
