/* libvirt's x86 CPU map (data/x86/libvirt-cpu-map.xml): its models and feature names, joined to
 * the catalog by CPUID/MSR bit, and models resolved through their parents as libvirt does. */
#include "x86.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"
#include "../../core/grow.h"
#include "../../core/xml_load.h"

#include <stdlib.h>
#include <string.h>

/* libvirt's parents are one or two levels deep; a longer chain is a broken table. */
#define LV_MAX_DEPTH 16

void x86_lv_map_free(struct x86_lv_map *map)
{
    if (!map)
        return;
    for (size_t i = 0; i < map->n_releases; i++)
        free(map->releases[i]);
    cc_kv_free(&map->vendors);
    for (size_t i = 0; i < map->n_features; i++) {
        free(map->features[i].name);
        cc_strlist_free(&map->features[i].aliases);
    }
    for (size_t i = 0; i < map->n_models; i++) {
        struct x86_lv_model *m = &map->models[i];
        free(m->name);
        free(m->parent);
        free(m->vendor);
        cc_strlist_free(&m->signatures);
        cc_strlist_free(&m->features);
        cc_strlist_free(&m->added);
        cc_strlist_free(&m->removed);
    }
    free(map->features);
    free(map->models);
    free(map->feature_order);
    free(map->model_order);
    free(map);
}

struct map_reader {
    const char *file;
    const struct x86_catalog *cat;
    struct x86_lv_map *map;
    size_t cap_f, cap_m;
    struct x86_lv_feature *feature; /* open <feature>, for its <alias>es */
    struct x86_lv_model *model;     /* open <model> */
};

static int oom(void)
{
    return cc_error(ENOMEM, "out of memory");
}

static int need(const struct map_reader *mr, int line, const char *const *attrs, const char *key,
                const char **out)
{
    if (!(*out = cc_xml_pair(attrs, key)))
        return cc_error(EINVAL, "%s: line %d: missing '%s'", mr->file, line, key);
    return 0;
}

static int number(const struct map_reader *mr, int line, const char *const *attrs, const char *key,
                  unsigned long long max, unsigned long long *out)
{
    const char *s;
    char *end;
    int r = need(mr, line, attrs, key, &s);

    if (r < 0)
        return r;
    errno = 0;
    *out = strtoull(s, &end, 0);
    if (errno || end == s || *end || *s == '-' || *out > max)
        return cc_error(EINVAL, "%s: line %d: bad '%s' value '%s'", mr->file, line, key, s);
    return 0;
}

static int releases_of(const struct map_reader *mr, int line, const char *const *attrs,
                       unsigned *out)
{
    _cleanup_free_ char *copy = NULL;
    const char *list;
    char *save = NULL;
    int r = need(mr, line, attrs, "libvirt", &list);

    if (r < 0)
        return r;
    if (!(copy = strdup(list)))
        return oom();
    *out = 0;
    for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        int i = x86_lv_release(mr->map, t);
        if (i < 0)
            return cc_error(EINVAL, "%s: line %d: release '%s' is not in the header", mr->file,
                            line, t);
        *out |= 1u << i;
    }
    return *out ? 0 : cc_error(EINVAL, "%s: line %d: no release", mr->file, line);
}

static int read_header(struct map_reader *mr, const char *const *attrs, int line)
{
    _cleanup_free_ char *copy = NULL;
    const char *list;
    char *save = NULL;
    int r = need(mr, line, attrs, "releases", &list);

    if (r < 0)
        return r;
    if (!(copy = strdup(list)))
        return oom();
    for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        if (mr->map->n_releases == X86_LV_MAX_RELEASES)
            return cc_error(EINVAL, "%s: more than %d releases", mr->file, X86_LV_MAX_RELEASES);
        if (!(mr->map->releases[mr->map->n_releases++] = strdup(t)))
            return oom();
    }
    return mr->map->n_releases ? 0 : cc_error(EINVAL, "%s: no releases", mr->file);
}

/* The catalog word holding this CPUID register or MSR; a leaf without sub-leaves is sub-leaf 0
 * in both tables. */
static void join_catalog(const struct x86_catalog *cat, struct x86_lv_feature *f)
{
    for (size_t i = 0; i < cat->n_words; i++) {
        const struct x86_word *w = &cat->words[i];
        bool same = f->is_msr ? w->is_msr && w->msr == f->msr
                              : !w->is_msr && w->leaf == f->leaf && w->reg == f->reg &&
                                    (w->has_subleaf ? w->subleaf : 0) == f->subleaf;
        if (same) {
            f->word = (int)i;
            f->catalog = cat->bit_feature[i][f->bit];
            return;
        }
    }
}

static int read_feature(struct map_reader *mr, const char *const *attrs, int line)
{
    struct x86_lv_map *map = mr->map;
    struct x86_lv_feature *f;
    unsigned long long v;
    const char *name, *reg, *mig;
    int r;

    if ((r = CC_GROW(map->features, mr->cap_f, map->n_features)) < 0)
        return r;
    f = mr->feature = &map->features[map->n_features++];
    *f = (struct x86_lv_feature){.catalog = -1, .word = -1};
    if ((r = need(mr, line, attrs, "name", &name)) < 0 ||
        (r = releases_of(mr, line, attrs, &f->releases)) < 0)
        return r;
    if (!(f->name = strdup(name)))
        return oom();
    if (cc_xml_pair(attrs, "msr")) {
        f->is_msr = true;
        if ((r = number(mr, line, attrs, "msr", UINT32_MAX, &v)) < 0)
            return r;
        f->msr = (uint32_t)v;
        r = number(mr, line, attrs, "bit", 63, &v);
    } else {
        if ((r = number(mr, line, attrs, "leaf", UINT32_MAX, &v)) < 0)
            return r;
        f->leaf = (uint32_t)v;
        if (cc_xml_pair(attrs, "subleaf")) {
            if ((r = number(mr, line, attrs, "subleaf", UINT32_MAX, &v)) < 0)
                return r;
            f->has_subleaf = true;
            f->subleaf = (uint32_t)v;
        }
        if ((r = need(mr, line, attrs, "reg", &reg)) < 0)
            return r;
        if (x86_reg_from_name(reg, &f->reg) < 0)
            return cc_error(EINVAL, "%s: line %d: bad register '%s'", mr->file, line, reg);
        r = number(mr, line, attrs, "bit", 31, &v);
    }
    if (r < 0)
        return r;
    f->bit = (unsigned)v;
    f->unmigratable = (mig = cc_xml_pair(attrs, "migratable")) && !strcmp(mig, "no");
    join_catalog(mr->cat, f);
    return 0;
}

static int read_model(struct map_reader *mr, const char *const *attrs, int line)
{
    struct x86_lv_map *map = mr->map;
    struct x86_lv_model *m;
    const char *name, *parent, *vendor;
    int r;

    if ((r = CC_GROW(map->models, mr->cap_m, map->n_models)) < 0)
        return r;
    m = mr->model = &map->models[map->n_models++];
    *m = (struct x86_lv_model){0};
    if ((r = need(mr, line, attrs, "name", &name)) < 0 ||
        (r = releases_of(mr, line, attrs, &m->releases)) < 0)
        return r;
    if (!(m->name = strdup(name)))
        return oom();
    if ((parent = cc_xml_pair(attrs, "parent")) && !(m->parent = strdup(parent)))
        return oom();
    if ((vendor = cc_xml_pair(attrs, "vendor"))) {
        if (!cc_kv_get(&map->vendors, vendor))
            return cc_error(EINVAL, "%s: line %d: model %s: unknown vendor '%s'", mr->file, line,
                            name, vendor);
        if (!(m->vendor = strdup(vendor)))
            return oom();
    }
    return 0;
}

static int map_start(void *user, const char *el, const char *const *attrs, int line)
{
    struct map_reader *mr = user;
    const char *name, *string, *fam, *mod, *step;
    int r;

    if (strcmp(el, "libvirt-cpu-map") == 0)
        return read_header(mr, attrs, line);
    if (mr->map->n_releases == 0)
        return cc_error(EINVAL, "%s: not a libvirt CPU map", mr->file);
    if (strcmp(el, "vendor") == 0) {
        if ((r = need(mr, line, attrs, "name", &name)) < 0 ||
            (r = need(mr, line, attrs, "string", &string)) < 0)
            return r;
        return cc_kv_set(&mr->map->vendors, name, string);
    }
    if (strcmp(el, "feature") == 0)
        return read_feature(mr, attrs, line);
    if (strcmp(el, "alias") == 0 && mr->feature) {
        if ((r = need(mr, line, attrs, "name", &name)) < 0)
            return r;
        string = cc_xml_pair(attrs, "source");
        return cc_strlist_addf(&mr->feature->aliases, "%s:%s", string ? string : "", name);
    }
    if (strcmp(el, "model") == 0)
        return read_model(mr, attrs, line);
    if (strcmp(el, "signature") == 0 && mr->model) {
        if ((r = need(mr, line, attrs, "family", &fam)) < 0 ||
            (r = need(mr, line, attrs, "model", &mod)) < 0)
            return r;
        step = cc_xml_pair(attrs, "stepping");
        return cc_strlist_addf(&mr->model->signatures, "%s %s%s%s", fam, mod, step ? " " : "",
                               step ? step : "");
    }
    return 0;
}

static int add_words(struct cc_strlist *l, const char *text)
{
    _cleanup_free_ char *copy = strdup(text);
    char *save = NULL;
    int r = 0;

    if (!copy)
        return oom();
    for (char *t = strtok_r(copy, " \n\t", &save); t && r == 0; t = strtok_r(NULL, " \n\t", &save))
        r = cc_strlist_add(l, t);
    return r;
}

static int map_end(void *user, const char *el, const char *text)
{
    struct map_reader *mr = user;
    struct x86_lv_model *m = mr->model;

    if (strcmp(el, "feature") == 0 && !m)
        mr->feature = NULL;
    if (!m)
        return 0;
    if (strcmp(el, "model") == 0)
        mr->model = NULL;
    else if (strcmp(el, "features") == 0)
        return add_words(&m->features, text);
    else if (strcmp(el, "added") == 0)
        return add_words(&m->added, text);
    else if (strcmp(el, "removed") == 0)
        return add_words(&m->removed, text);
    return 0;
}

/* Every name a model uses exists in each release that defines the model, and so does its
 * parent: checked once here so resolving cannot fail on the table. */
static int check_map(const char *file, const struct x86_lv_map *map)
{
    for (size_t i = 0; i < map->n_models; i++) {
        const struct x86_lv_model *m = &map->models[i];
        const struct cc_strlist *lists[] = {&m->features, &m->added, &m->removed};

        for (size_t rel = 0; rel < map->n_releases; rel++) {
            if (!(m->releases >> rel & 1))
                continue;
            if (m->parent && !x86_lv_model_find(map, rel, m->parent))
                return cc_error(EINVAL, "%s: model %s: libvirt %s has no parent model %s", file,
                                m->name, map->releases[rel], m->parent);
            for (size_t l = 0; l < CC_ARRAY_SIZE(lists); l++)
                for (size_t k = 0; k < lists[l]->n; k++)
                    if (!x86_lv_feature_find(map, rel, lists[l]->items[k]))
                        return cc_error(EINVAL, "%s: model %s: libvirt %s has no feature %s", file,
                                        m->name, map->releases[rel], lists[l]->items[k]);
        }
    }
    return 0;
}

/* Orders of positions by name, then position: the equal names sit together, lowest position
 * first, so the first one in a release is the one a scan of the map in its order finds. */
static int feature_cmp(const void *a, const void *b, void *arg)
{
    const struct x86_lv_map *map = arg;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int c = strcmp(map->features[x].name, map->features[y].name);

    return c ? c : (x > y) - (x < y);
}

static int model_cmp(const void *a, const void *b, void *arg)
{
    const struct x86_lv_map *map = arg;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int c = strcmp(map->models[x].name, map->models[y].name);

    return c ? c : (x > y) - (x < y);
}

static int make_order(struct x86_lv_map *map, size_t n,
                      int (*cmp)(const void *, const void *, void *), size_t **out)
{
    size_t *order = malloc((n ? n : 1) * sizeof(*order));

    if (!order)
        return oom();
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    qsort_r(order, n, sizeof(*order), cmp, map);
    *out = order;
    return 0;
}

/* The first position of order whose name (name_of) is not less than name. */
static size_t lower_bound(const struct x86_lv_map *map, const size_t *order, size_t n,
                          const char *(*name_of)(const struct x86_lv_map *, size_t),
                          const char *name)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (strcmp(name_of(map, order[mid]), name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static const char *feature_name(const struct x86_lv_map *map, size_t pos)
{
    return map->features[pos].name;
}

static const char *model_name(const struct x86_lv_map *map, size_t pos)
{
    return map->models[pos].name;
}

static int load_map(struct cc_ctx *ctx, const struct x86_catalog *cat, struct x86_lv_map *map)
{
    static const struct cc_xml_sax handler = {.start = map_start, .end = map_end};
    _cleanup_free_ char *path = NULL;
    struct map_reader mr = {.cat = cat, .map = map};
    int r = cc_ctx_data_path(ctx, "x86/libvirt-cpu-map.xml", &path);

    if (r < 0)
        return r;
    mr.file = path;
    r = cc_xml_sax_file(path, &handler, &mr);
    if (r == 0 && (map->n_features == 0 || map->n_models == 0))
        r = cc_error(EINVAL, "%s: not a libvirt CPU map", path);
    if (r == 0)
        r = make_order(map, map->n_features, feature_cmp, &map->feature_order);
    if (r == 0)
        r = make_order(map, map->n_models, model_cmp, &map->model_order);
    return r < 0 ? r : check_map(path, map);
}

int x86_lv_map_get(struct cc_ctx *ctx, const struct x86_catalog *cat, const struct x86_lv_map **out)
{
    struct x86_catalog *owner = (struct x86_catalog *)cat; /* cache owned by the catalog */
    struct x86_lv_map *map;
    int r;

    if (!owner->libvirt) {
        if (!(map = calloc(1, sizeof(*map))))
            return oom();
        if ((r = load_map(ctx, cat, map)) < 0) {
            x86_lv_map_free(map);
            return r;
        }
        owner->libvirt = map;
    }
    *out = owner->libvirt;
    return 0;
}

int x86_lv_release(const struct x86_lv_map *map, const char *release)
{
    for (size_t i = 0; i < map->n_releases; i++)
        if (strcmp(map->releases[i], release) == 0)
            return (int)i;
    return -1;
}

const struct x86_lv_model *x86_lv_model_find(const struct x86_lv_map *map, size_t release,
                                             const char *name)
{
    for (size_t i = lower_bound(map, map->model_order, map->n_models, model_name, name);
         i < map->n_models && !strcmp(map->models[map->model_order[i]].name, name); i++)
        if (map->models[map->model_order[i]].releases >> release & 1)
            return &map->models[map->model_order[i]];
    return NULL;
}

const struct x86_lv_feature *x86_lv_feature_find(const struct x86_lv_map *map, size_t release,
                                                 const char *name)
{
    for (size_t i = lower_bound(map, map->feature_order, map->n_features, feature_name, name);
         i < map->n_features && !strcmp(map->features[map->feature_order[i]].name, name); i++)
        if (map->features[map->feature_order[i]].releases >> release & 1)
            return &map->features[map->feature_order[i]];
    return NULL;
}

static void set_list(const struct x86_lv_map *map, size_t release, const struct cc_strlist *l,
                     bool *in, bool on)
{
    for (size_t i = 0; i < l->n; i++)
        in[x86_lv_feature_find(map, release, l->items[i]) - map->features] = on;
}

static int resolve(const struct x86_lv_map *map, size_t release, const struct x86_lv_model *m,
                   int depth, struct x86_lv_resolved *out)
{
    if (depth > LV_MAX_DEPTH)
        return cc_error(ELOOP, "libvirt model %s: parents nest deeper than %d", m->name,
                        LV_MAX_DEPTH);
    if (m->parent) {
        const struct x86_lv_model *p = x86_lv_model_find(map, release, m->parent);
        int r = resolve(map, release, p, depth + 1, out);

        if (r < 0)
            return r;
        set_list(map, release, &p->removed, out->in, false);
    }
    if (m->vendor)
        out->vendor = m->vendor;
    if (m->signatures.n)
        out->signatures_of = m;
    set_list(map, release, &m->features, out->in, true);
    set_list(map, release, &m->added, out->in, true);
    set_list(map, release, &m->removed, out->in, true);
    return 0;
}

int x86_lv_resolve(const struct x86_lv_map *map, size_t release, const char *name,
                   struct x86_lv_resolved *out)
{
    const struct x86_lv_model *m = x86_lv_model_find(map, release, name);
    int r;

    *out = (struct x86_lv_resolved){.model = m};
    if (!m)
        return cc_error(ENOENT, "libvirt %s has no x86 CPU model '%s'", map->releases[release],
                        name);
    out->in = calloc(map->n_features, sizeof(*out->in));
    out->guest = calloc(map->n_features, sizeof(*out->guest));
    if (!out->in || !out->guest) {
        x86_lv_resolved_fini(out);
        return oom();
    }
    if ((r = resolve(map, release, m, 0, out)) < 0) {
        x86_lv_resolved_fini(out);
        return r;
    }
    memcpy(out->guest, out->in, map->n_features * sizeof(*out->guest));
    set_list(map, release, &m->removed, out->guest, false);
    if (out->vendor)
        out->vendor_string = cc_kv_get(&map->vendors, out->vendor);
    for (size_t i = 0; i < map->n_features; i++) {
        const struct x86_lv_feature *f = &map->features[i];

        if (!out->in[i])
            continue;
        if (f->catalog >= 0)
            out->words.w[f->word] |= 1ULL << f->bit;
        else
            out->n_unmapped++;
    }
    return 0;
}

void x86_lv_resolved_fini(struct x86_lv_resolved *res)
{
    free(res->in);
    free(res->guest);
    res->in = res->guest = NULL;
}
