/* The named arm64 models of data/arm64/models/ (one file per family): cores and architecture
 * baselines, each a set of feature fields with the value the guest reads. */
#include "arm64.h"
#include "../../core/error.h"
#include "../../core/grow.h"
#include "../../core/xml_load.h"

#include <stdlib.h>
#include <string.h>

static void model_free(struct arm64_model *m)
{
    free(m->name);
    free(m->family);
    free(m->origin);
    free(m->requires);
    free(m->fields);
    cc_strlist_free(&m->notes);
}

void arm64_models_free(struct arm64_model_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n; i++)
        model_free(&set->models[i]);
    free(set->models);
    free(set);
}

struct reader {
    const char *file;
    const struct arm64_catalog *cat;
    struct arm64_model_set *set;
    size_t cap_models, cap_fields;
    char *family;
    bool core;
    struct arm64_model *current;
    bool in_text; /* inside <note> or <requires> */
};

static int number(const struct reader *rd, int line, const char *what, const char *s, long long min,
                  long long max, long long *out)
{
    char *end;

    errno = 0;
    *out = s ? strtoll(s, &end, 0) : 0;
    if (!s || errno || end == s || *end || *out < min || *out > max)
        return cc_error(EINVAL, "%s: line %d: bad or missing %s '%s'", rd->file, line, what,
                        s ? s : "");
    return 0;
}

static int start_version(struct reader *rd, const char *const *attrs, int line)
{
    const char *name = cc_xml_pair(attrs, "name"), *origin = cc_xml_pair(attrs, "origin");
    const char *midr = cc_xml_pair(attrs, "midr");
    struct arm64_model *m;
    long long v;
    int r;

    if ((r = CC_GROW(rd->set->models, rd->cap_models, rd->set->n)) < 0)
        return r;
    m = rd->current = &rd->set->models[rd->set->n++];
    memset(m, 0, sizeof(*m));
    rd->cap_fields = 0;
    m->core = rd->core;
    if (!name || !origin)
        return cc_error(EINVAL, "%s: line %d: <version> lacks name or origin", rd->file, line);
    if (!(m->name = strdup(name)) || !(m->family = strdup(rd->family)) ||
        !(m->origin = strdup(origin)))
        return cc_error(ENOMEM, "out of memory");
    if ((r = number(rd, line, "version", cc_xml_pair(attrs, "version"), 0, 1000, &v)) < 0)
        return r;
    m->version = (unsigned)v;
    if (rd->core) {
        if ((r = number(rd, line, "midr", midr, 0, UINT32_MAX, &v)) < 0)
            return r;
        m->midr = (uint64_t)v;
    }
    return 0;
}

static int start_field(struct reader *rd, const char *const *attrs, int line)
{
    const char *reg = cc_xml_pair(attrs, "register"), *name = cc_xml_pair(attrs, "name");
    const struct arm64_regdef *def = reg ? arm64_regdef(rd->cat, reg) : NULL;
    struct arm64_model *m = rd->current;
    struct arm64_model_field *mf;
    const struct arm64_field *f = NULL;
    long long lo, hi, v;
    int r;

    for (size_t i = 0; def && name && i < def->n_fields; i++)
        if (strcmp(def->fields[i].name, name) == 0)
            f = &def->fields[i];
    if (!f)
        return cc_error(EINVAL, "%s: line %d: model %s: unknown field %s.%s", rd->file, line,
                        m->name, reg ? reg : "?", name ? name : "?");
    if (f->width >= 32)
        return cc_error(EINVAL, "%s: line %d: %s.%s is not a feature field", rd->file, line, reg,
                        name);
    lo = f->is_signed ? -(1LL << (f->width - 1)) : 0;
    hi = f->is_signed ? (1LL << (f->width - 1)) - 1 : (1LL << f->width) - 1;
    if ((r = number(rd, line, "value", cc_xml_pair(attrs, "value"), lo, hi, &v)) < 0)
        return r;
    for (size_t i = 0; i < m->n_fields; i++)
        if (m->fields[i].field == f)
            return cc_error(EINVAL, "%s: line %d: model %s names %s.%s twice", rd->file, line,
                            m->name, reg, name);
    if ((r = CC_GROW(m->fields, rd->cap_fields, m->n_fields)) < 0)
        return r;
    mf = &m->fields[m->n_fields++];
    *mf = (struct arm64_model_field){.reg = def, .field = f, .value = v};
    return 0;
}

static int on_start(void *user, const char *el, const char *const *attrs, int line)
{
    struct reader *rd = user;

    if (strcmp(el, "arm64-model-family") == 0) {
        const char *name = cc_xml_pair(attrs, "name"), *kind = cc_xml_pair(attrs, "kind");

        if (!name || !kind || (strcmp(kind, "core") && strcmp(kind, "architecture")))
            return cc_error(EINVAL, "%s: not an arm64 model family", rd->file);
        rd->core = strcmp(kind, "core") == 0;
        return (rd->family = strdup(name)) ? 0 : cc_error(ENOMEM, "out of memory");
    }
    if (!rd->family)
        return cc_error(EINVAL, "%s: not an arm64 model family", rd->file);
    if (strcmp(el, "version") == 0)
        return start_version(rd, attrs, line);
    if (!rd->current)
        return cc_error(EINVAL, "%s: line %d: <%s> outside a <version>", rd->file, line, el);
    if (strcmp(el, "field") == 0)
        return start_field(rd, attrs, line);
    if (strcmp(el, "note") == 0 || strcmp(el, "requires") == 0)
        return 0;
    return cc_error(EINVAL, "%s: line %d: unknown element <%s>", rd->file, line, el);
}

static int on_end(void *user, const char *el, const char *text)
{
    struct reader *rd = user;
    struct arm64_model *m = rd->current;

    if (!m)
        return 0;
    if (strcmp(el, "version") == 0) {
        if (m->n_fields == 0)
            return cc_error(EINVAL, "%s: model %s names no field", rd->file, m->name);
        rd->current = NULL;
    } else if (strcmp(el, "note") == 0) {
        return cc_strlist_add(&m->notes, text);
    } else if (strcmp(el, "requires") == 0) {
        return (m->requires = strdup(text)) ? 0 : cc_error(ENOMEM, "out of memory");
    }
    return 0;
}

static int load_family(const char *path, struct reader *rd)
{
    static const struct cc_xml_sax handler = {.start = on_start, .end = on_end};
    size_t first = rd->set->n;
    int r;

    rd->file = path;
    rd->family = NULL;
    rd->current = NULL;
    r = cc_xml_sax_file(path, &handler, rd);
    if (r == 0 && !rd->family)
        r = cc_error(EINVAL, "%s: not an arm64 model family", path);
    if (r == 0 && rd->set->n == first)
        r = cc_error(EINVAL, "%s: a model family without versions", path);
    for (size_t i = first; i < rd->set->n && r == 0; i++)
        for (size_t j = 0; j < first && r == 0; j++)
            if (strcmp(rd->set->models[i].name, rd->set->models[j].name) == 0)
                r = cc_error(EINVAL, "%s: model %s is defined twice", path,
                             rd->set->models[i].name);
    free(rd->family);
    rd->family = NULL;
    return r;
}

static int load_models(struct cc_ctx *ctx, const struct arm64_catalog *cat,
                       struct arm64_model_set *set)
{
    struct cc_strlist files = {0};
    struct reader rd = {.cat = cat, .set = set};
    int r = cc_ctx_arch_files(ctx, &arm64_arch_ops, "models", &files);

    for (size_t i = 0; i < files.n && r == 0; i++)
        r = load_family(files.items[i], &rd);
    cc_strlist_free(&files);
    return r;
}

int arm64_models_get(struct cc_ctx *ctx, const struct arm64_catalog *cat,
                     const struct arm64_model_set **out)
{
    struct arm64_catalog *owner = (struct arm64_catalog *)cat; /* cache owned by the catalog */

    if (!owner->models) {
        struct arm64_model_set *set = calloc(1, sizeof(*set));
        int r;

        if (!set)
            return cc_error(ENOMEM, "out of memory");
        if ((r = load_models(ctx, cat, set)) < 0) {
            arm64_models_free(set);
            return r;
        }
        owner->models = set;
    }
    *out = owner->models;
    return 0;
}

const struct arm64_model *arm64_model_find(const struct arm64_model_set *set, const char *name)
{
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->models[i].name, name) == 0)
            return &set->models[i];
    return NULL;
}

int arm64_model_apply(const struct arm64_model *m, const struct arm64_raw *host,
                      struct arm64_raw **out)
{
    struct arm64_raw *g = arm64_raw_dup(host);
    int r = g ? 0 : cc_error(ENOMEM, "out of memory");

    for (size_t i = 0; i < m->n_fields && r == 0; i++) {
        const struct arm64_model_field *mf = &m->fields[i];
        const struct arm64_reg *cur = arm64_raw_get(g, mf->reg->name);

        /* A register the host lacks reads as zero; only a field above that needs it. */
        if (!cur && mf->value == 0)
            continue;
        if (cur) /* in place: a class's models are judged field by field */
            g->regs[cur - g->regs].value = arm64_field_put(mf->field, cur->value, mf->value);
        else
            r = arm64_raw_set(g, mf->reg->name, mf->reg->id,
                              arm64_field_put(mf->field, 0, mf->value));
    }
    if (r == 0)
        arm64_raw_sort(g);
    if (r < 0) {
        arm64_raw_free(g);
        return r;
    }
    *out = g;
    return 0;
}

int arm64_model_host(const struct arm64_model *m, const struct arm64_raw *host,
                     struct arm64_raw **out, unsigned *off_out)
{
    unsigned named = 0, nonzero = 0, off;
    struct arm64_raw *h = arm64_raw_dup(host);
    int r = h ? 0 : cc_error(ENOMEM, "out of memory");

    for (size_t i = 0; i < m->n_fields; i++) {
        named |= m->fields[i].field->vcpu_feature;
        if (m->fields[i].value)
            nonzero |= m->fields[i].field->vcpu_feature;
    }
    off = named & ~nonzero;
    /* The copy holds the host's registers in its order: only values change. Found by name
     * from the model's side (indexed), not by scanning every field for every register. A
     * register named by several fields is cleared again: the same result. */
    for (size_t j = 0; off && j < m->n_fields; j++) {
        const struct arm64_regdef *def = m->fields[j].reg;
        const struct arm64_reg *found = arm64_raw_get(h, def->name);
        struct arm64_reg *reg = found ? &h->regs[found - h->regs] : NULL;

        for (size_t f = 0; reg && f < def->n_fields; f++)
            if (def->fields[f].vcpu_feature & off)
                reg->value = arm64_field_put(&def->fields[f], reg->value, 0);
    }
    if (r < 0) {
        arm64_raw_free(h);
        return r;
    }
    *out = h;
    if (off_out)
        *off_out = off;
    return 0;
}

int arm64_model_judge(const struct arm64_catalog *cat, int k, const struct arm64_model *m,
                      const struct arm64_raw *host, const struct cc_view *view,
                      struct cc_blockers *out)
{
    struct cc_verdict v = {.blockers.keep = out->keep};
    struct arm64_judgement jr;
    struct arm64_raw *guest = NULL, *configured = NULL;
    int r = arm64_model_host(m, host, &configured, NULL);

    if (r == 0)
        r = arm64_model_apply(m, configured, &guest);
    if (r == 0)
        r = arm64_judge(cat, k, guest, NULL, configured, view, NULL,
                        (const char *const[2]){"model", "host"}, &v, &jr);
    if (r == 0) {
        *out = v.blockers;
        v.blockers = (struct cc_blockers){0};
    }
    cc_verdict_free(&v);
    arm64_raw_free(guest);
    arm64_raw_free(configured);
    return r;
}
