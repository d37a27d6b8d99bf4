/* Loads data/arm64/kvm-setters.xml: what each kernel's KVM_SET_ONE_REG does beyond the field
 * rules of idregs.xml, and for which kernel releases. No register or field is named in C. */
#include "arm64.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"
#include "../../core/grow.h"
#include "../../core/xml_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

struct reader {
    const char *file;
    struct arm64_catalog *cat;
    size_t cap, cap_ranges;
};

int arm64_release_parse(const char *s, struct arm64_release *out)
{
    int n = 0;

    memset(out, 0, sizeof(*out));
    while (s && *s && !(*s >= '0' && *s <= '9'))
        s++; /* "Linux 6.12" */
    while (s && n < 3 && *s >= '0' && *s <= '9') {
        unsigned long v = 0;

        while (*s >= '0' && *s <= '9' && v < 100000)
            v = v * 10 + (unsigned long)(*s++ - '0');
        out->v[n++] = (unsigned)v;
        if (*s != '.')
            break;
        s++;
    }
    return n >= 2 ? 0 : -1;
}

static int release_cmp(const struct arm64_release *a, const struct arm64_release *b)
{
    for (int i = 0; i < 3; i++)
        if (a->v[i] != b->v[i])
            return a->v[i] < b->v[i] ? -1 : 1;
    return 0;
}

enum arm64_applies arm64_setter_applies(const struct arm64_setter *s, const char *release)
{
    struct arm64_release r;
    enum arm64_applies out = ARM64_NO;

    if (!release || arm64_release_parse(release, &r) < 0)
        return ARM64_UNKNOWN;
    for (size_t i = 0; i < s->n_ranges; i++) {
        const struct arm64_range *g = &s->ranges[i];

        if (release_cmp(&r, &g->from) < 0 || (g->has_until && release_cmp(&r, &g->until) >= 0))
            continue;
        if (!g->unknown)
            return ARM64_YES;
        out = ARM64_UNKNOWN;
    }
    return out;
}

/* Marks each field the setters name (arm64_field.setter_kinds). */
static void mark_fields(struct arm64_catalog *cat)
{
    for (size_t i = 0; i < cat->n_setters; i++) {
        const struct arm64_setter *s = &cat->setters[i];
        const struct arm64_regdef *def = s->reg && s->field ? arm64_regdef(cat, s->reg) : NULL;

        for (size_t f = 0; def && f < def->n_fields; f++)
            if (strcmp(def->fields[f].name, s->field) == 0)
                cat->regs[def - cat->regs].fields[f].setter_kinds |= 1u << s->kind;
    }
}

const struct arm64_setter *arm64_setter_find(const struct arm64_catalog *cat,
                                             enum arm64_setter_kind kind, const char *reg,
                                             const char *field)
{
    for (size_t i = 0; i < cat->n_setters; i++) {
        const struct arm64_setter *s = &cat->setters[i];

        if (s->kind == kind && s->reg && strcmp(s->reg, reg) == 0 &&
            (!field || (s->field && strcmp(s->field, field) == 0)))
            return s;
    }
    return NULL;
}

/* The setters' numbers are field values: 0 to 15 in every 4-bit field, at most a 64-bit one. */
static int number(const struct reader *rd, int line, const char *const *attrs, const char *name,
                  long long *out)
{
    uint64_t v;
    int r = cc_xml_pair_u64(rd->file, line, attrs, name, INT64_MAX, &v);

    *out = (long long)v;
    return r;
}

static int dup_attr(const char *const *attrs, const char *name, char **out)
{
    const char *s = cc_xml_pair(attrs, name);

    *out = NULL;
    if (s && !(*out = strdup(s)))
        return cc_error(ENOMEM, "out of memory");
    return 0;
}

/* "CTR_EL0.IDC" into a register and a field. */
static int split_field(const struct reader *rd, int line, const char *s, char **reg, char **field)
{
    const char *dot = s ? strchr(s, '.') : NULL;

    if (!dot || dot == s || !dot[1])
        return cc_error(EINVAL, "%s: line %d: host-field wants REGISTER.FIELD", rd->file, line);
    if (!(*reg = strndup(s, (size_t)(dot - s))) || !(*field = strdup(dot + 1)))
        return cc_error(ENOMEM, "out of memory");
    return 0;
}

static int parse_kind(const char *s, enum arm64_setter_kind *out)
{
    static const char *const names[] = {"drop-if-host", "rewrite",    "refuse",  "kvm-type",
                                        "raz-wi",       "needs-host", "identity"};

    for (size_t i = 0; s && i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (enum arm64_setter_kind)i;
            return 0;
        }
    return -1;
}

static int setter_start(struct reader *rd, const char *const *attrs, int line)
{
    struct arm64_catalog *cat = rd->cat;
    struct arm64_setter *s;
    const char *regs = cc_xml_pair(attrs, "registers"), *v;
    long long n;
    int r;

    if ((r = CC_GROW(cat->setters, rd->cap, cat->n_setters)) < 0)
        return r;
    s = &cat->setters[cat->n_setters++];
    memset(s, 0, sizeof(*s));
    rd->cap_ranges = 0;
    if (parse_kind(cc_xml_pair(attrs, "kind"), &s->kind) < 0)
        return cc_error(EINVAL, "%s: line %d: unknown setter kind", rd->file, line);
    if ((r = dup_attr(attrs, "register", &s->reg)) < 0 ||
        (r = dup_attr(attrs, "field", &s->field)) < 0 ||
        (r = dup_attr(attrs, "source", &s->source)) < 0 ||
        (r = dup_attr(attrs, "if-zero", &s->if_zero)) < 0)
        return r;
    s->aarch32 = regs && strcmp(regs, "aarch32") == 0;
    if (!s->source || (!s->reg && !s->aarch32))
        return cc_error(EINVAL, "%s: line %d: a setter names its register and source", rd->file,
                        line);
    switch (s->kind) {
    case ARM64_SET_DROP_IF_HOST:
    case ARM64_SET_KVM_TYPE:
        if (!s->field)
            return cc_error(EINVAL, "%s: line %d: lacks 'field'", rd->file, line);
        if (s->kind == ARM64_SET_KVM_TYPE) {
            const char *t = cc_xml_pair(attrs, "type");

            s->type = !t                                  ? FTR_NONE
                      : !strcmp(t, "LOWER_SAFE")          ? FTR_LOWER_SAFE
                      : !strcmp(t, "HIGHER_SAFE")         ? FTR_HIGHER_SAFE
                      : !strcmp(t, "EXACT")               ? FTR_EXACT
                      : !strcmp(t, "HIGHER_OR_ZERO_SAFE") ? FTR_HIGHER_OR_ZERO_SAFE
                                                          : FTR_NONE;
            if (s->type == FTR_NONE)
                return cc_error(EINVAL, "%s: line %d: bad type", rd->file, line);
        }
        return 0;
    case ARM64_SET_REWRITE:
        if (!s->field)
            return cc_error(EINVAL, "%s: line %d: lacks 'field'", rd->file, line);
        if ((r = number(rd, line, attrs, "from", &s->from)) < 0)
            return r;
        return number(rd, line, attrs, "to", &s->to);
    case ARM64_SET_REFUSE:
        if (!s->field)
            return cc_error(EINVAL, "%s: line %d: lacks 'field'", rd->file, line);
        if (cc_xml_pair(attrs, "below")) {
            s->has_below = true;
            return number(rd, line, attrs, "below", &s->below);
        }
        if (!(v = cc_xml_pair(attrs, "values")))
            return cc_error(EINVAL, "%s: line %d: refuse wants 'values' or 'below'", rd->file,
                            line);
        for (const char *p = v; *p;) {
            char *end;

            n = strtoll(p, &end, 0);
            if (end == p || n < 0 || n > 63 || (*end && *end != ' '))
                return cc_error(EINVAL, "%s: line %d: bad values", rd->file, line);
            s->refused |= 1ULL << n;
            p = *end ? end + 1 : end;
        }
        return 0;
    case ARM64_SET_RAZ_WI:
    case ARM64_SET_NEEDS_HOST:
        if ((r = split_field(rd, line, cc_xml_pair(attrs, "host-field"), &s->host_reg,
                             &s->host_field)) < 0)
            return r;
        if (s->kind == ARM64_SET_NEEDS_HOST && !s->if_zero)
            return cc_error(EINVAL, "%s: line %d: lacks 'if-zero'", rd->file, line);
        return s->kind == ARM64_SET_RAZ_WI ? number(rd, line, attrs, "host-value", &s->host_value)
                                           : 0;
    case ARM64_SET_IDENTITY:
        return 0;
    }
    return 0;
}

static int start(void *user, const char *el, const char *const *attrs, int line)
{
    struct reader *rd = user;
    struct arm64_catalog *cat = rd->cat;
    struct arm64_setter *s = cat->n_setters ? &cat->setters[cat->n_setters - 1] : NULL;
    struct arm64_range *g;
    const char *from = cc_xml_pair(attrs, "from"), *until = cc_xml_pair(attrs, "until");
    int r;

    if (strcmp(el, "setter") == 0)
        return setter_start(rd, attrs, line);
    if (strcmp(el, "in") != 0 && strcmp(el, "unknown") != 0)
        return 0;
    if (!s)
        return cc_error(EINVAL, "%s: line %d: <%s> outside a <setter>", rd->file, line, el);
    if ((r = cc_grow((void **)&s->ranges, &rd->cap_ranges, s->n_ranges, sizeof(*s->ranges))) < 0)
        return r;
    g = &s->ranges[s->n_ranges++];
    memset(g, 0, sizeof(*g));
    g->unknown = strcmp(el, "unknown") == 0;
    g->has_until = until != NULL;
    if (!from || arm64_release_parse(from, &g->from) < 0 ||
        (until && arm64_release_parse(until, &g->until) < 0))
        return cc_error(EINVAL, "%s: line %d: bad kernel range", rd->file, line);
    return 0;
}

void arm64_setters_free(struct arm64_catalog *cat)
{
    for (size_t i = 0; i < cat->n_setters; i++) {
        struct arm64_setter *s = &cat->setters[i];

        free(s->reg);
        free(s->field);
        free(s->source);
        free(s->host_reg);
        free(s->host_field);
        free(s->if_zero);
        free(s->ranges);
    }
    free(cat->setters);
    cat->setters = NULL;
    cat->n_setters = 0;
}

/* A rule set stands for its first release (Linux 6.12: 6.12.0): the setters that change a field's
 * rule (KVM's own rule type, a refused minimum) go into the sets they apply to, so that every
 * user of the rules (compare, models, baseline) sees KVM's rule. */
static void apply_to_rule_sets(struct arm64_catalog *cat)
{
    for (size_t i = 0; i < cat->n_setters; i++) {
        const struct arm64_setter *s = &cat->setters[i];
        const struct arm64_regdef *def;

        if ((s->kind != ARM64_SET_KVM_TYPE && !(s->kind == ARM64_SET_REFUSE && s->has_below)) ||
            !(def = arm64_regdef(cat, s->reg)))
            continue;
        for (size_t f = 0; f < def->n_fields; f++) {
            struct arm64_field *fd = &def->fields[f];

            if (strcmp(fd->name, s->field) != 0)
                continue;
            for (size_t k = 0; k < cat->n_kernels; k++) {
                char rel[32];

                snprintf(rel, sizeof(rel), "%u.%u", cat->kernels[k].major, cat->kernels[k].minor);
                if (arm64_setter_applies(s, rel) != ARM64_YES)
                    continue;
                if (s->kind == ARM64_SET_KVM_TYPE) {
                    fd->rule[k].type = s->type;
                } else {
                    fd->rule[k].has_minimum = true;
                    fd->rule[k].minimum = (int)s->below;
                }
            }
        }
    }
}

int arm64_setters_load(struct cc_ctx *ctx, struct arm64_catalog *cat)
{
    static const struct cc_xml_sax handler = {.start = start};
    _cleanup_free_ char *path = NULL;
    struct reader rd = {.cat = cat};
    int r = cc_ctx_data_path(ctx, "arm64/kvm-setters.xml", &path);

    rd.file = path;
    if (r == 0)
        r = cc_xml_sax_file(path, &handler, &rd);
    if (r == 0) {
        for (size_t i = 0; i < cat->n_setters; i++)
            if (cat->setters[i].n_ranges == 0)
                return cc_error(EINVAL, "%s: a setter of %s applies to no kernel", path,
                                cat->setters[i].reg ? cat->setters[i].reg : "registers");
        apply_to_rule_sets(cat);
        mark_fields(cat);
    }
    return r;
}
