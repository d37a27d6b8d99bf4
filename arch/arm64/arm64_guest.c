/* QEMU -cpu strings on arm64 as guest definitions: what QEMU 7.2 under KVM takes (host, max and
 * their sve, sveN, pmu, pauth, aarch64 and kvm-* properties), and the guest such a string gives
 * on one host, from that host's kvm view. The facts are data/arm64/qemu-cpu.xml. */
#include "arm64.h"
#include "../../core/cleanup.h"
#include "../../core/cpu_string.h"
#include "../../core/error.h"
#include "../../core/number.h"
#include "../../core/suggest.h"
#include "../../core/xalloc.h"
#include "../../core/xml_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARM64_MAX_VQ  16 /* QEMU's ARM_MAX_VQ: vector lengths up to 2048 bits */
#define SYSREG_COPROC 0x0013

struct qemu_model {
    char *name, *kvm;
};

struct qemu_prop {
    char *name, *type, *accel, *effect, *since;
    unsigned feature; /* ARM64_VF_* of effect vcpu-feature */
};

struct qemu_vls {
    char *prefix, *accel;
    unsigned min, max, step;
    bool pow2;
};

struct qemu_hidden {
    unsigned feature;
    unsigned op0, op1[2], crn, crm[2];
    int op2; /* -1: any */
};

struct arm64_qemu_cpu {
    struct qemu_model *models;
    size_t n_models;
    struct qemu_prop *props;
    size_t n_props;
    struct qemu_vls *vls;
    size_t n_vls;
    struct qemu_hidden *hidden;
    size_t n_hidden;
};

static void qemu_cpu_free(void *table)
{
    struct arm64_qemu_cpu *t = table;

    for (size_t i = 0; i < t->n_models; i++) {
        free(t->models[i].name);
        free(t->models[i].kvm);
    }
    for (size_t i = 0; i < t->n_props; i++) {
        free(t->props[i].name);
        free(t->props[i].type);
        free(t->props[i].accel);
        free(t->props[i].effect);
        free(t->props[i].since);
    }
    for (size_t i = 0; i < t->n_vls; i++) {
        free(t->vls[i].prefix);
        free(t->vls[i].accel);
    }
    free(t->models);
    free(t->props);
    free(t->vls);
    free(t->hidden);
    free(t);
}

static char *attr_dup(xmlNodePtr n, const char *name)
{
    const char *v = cc_xml_attr(n, name);

    return v ? xstrdup(v) : NULL;
}

/* "3" or "0-7". */
static int range(const char *file, xmlNodePtr n, const char *name, unsigned max, unsigned out[2])
{
    const char *v = cc_xml_attr(n, name), *dash;
    char lo[16];
    uint64_t a, b;

    if (!v)
        return cc_error(EINVAL, "%s: <hidden> lacks %s", file, name);
    dash = strchr(v, '-');
    snprintf(lo, sizeof(lo), "%.*s", dash ? (int)(dash - v) : (int)strlen(v), v);
    if (cc_parse_decimal(lo, 0, max, &a) < 0 ||
        cc_parse_decimal(dash ? dash + 1 : lo, a, max, &b) < 0)
        return cc_error(EINVAL, "%s: <hidden> %s='%s' is not a number or range up to %u", file,
                        name, v, max);
    out[0] = (unsigned)a;
    out[1] = (unsigned)b;
    return 0;
}

static int load_hidden(const char *file, xmlNodePtr c, struct qemu_hidden *h)
{
    unsigned op0[2] = {0}, crn[2] = {0}, op2[2] = {0};
    int r = arm64_vcpu_features_parse(cc_xml_attr(c, "feature") ?: "", &h->feature);

    if (r == 0 && h->feature == 0)
        r = cc_error(EINVAL, "%s: <hidden> lacks a feature", file);
    if (r == 0)
        r = range(file, c, "op0", 3, op0);
    if (r == 0)
        r = range(file, c, "op1", 7, h->op1);
    if (r == 0)
        r = range(file, c, "crn", 15, crn);
    if (r == 0)
        r = range(file, c, "crm", 15, h->crm);
    h->op0 = op0[0];
    h->crn = crn[0];
    h->op2 = -1;
    if (r == 0 && cc_xml_attr(c, "op2") && (r = range(file, c, "op2", 7, op2)) == 0)
        h->op2 = (int)op2[0];
    return r;
}

static int load_tables(const char *file, void *table)
{
    struct arm64_qemu_cpu *t = table;
    _cleanup_xmldoc_ xmlDocPtr doc = NULL;
    xmlNodePtr root;
    size_t n = 0;
    int r = cc_xml_load(file, &doc);

    if (r < 0)
        return r;
    root = xmlDocGetRootElement(doc);
    if (!root || !cc_xml_is(root, "arm64-qemu-cpu"))
        return cc_error(EINVAL, "%s: not an arm64 QEMU -cpu table", file);
    for (xmlNodePtr c = root->children; c; c = c->next)
        n += c->type == XML_ELEMENT_NODE;
    t->models = xcalloc(n + 1, sizeof(*t->models));
    t->props = xcalloc(n + 1, sizeof(*t->props));
    t->vls = xcalloc(n + 1, sizeof(*t->vls));
    t->hidden = xcalloc(n + 1, sizeof(*t->hidden));
    for (xmlNodePtr c = root->children; c && r == 0; c = c->next) {
        unsigned long long v;

        if (cc_xml_is(c, "model")) {
            struct qemu_model *m = &t->models[t->n_models++];

            m->name = attr_dup(c, "name");
            m->kvm = attr_dup(c, "kvm");
            if (!m->name || !m->kvm)
                r = cc_error(EINVAL, "%s: <model> needs name and kvm", file);
        } else if (cc_xml_is(c, "property")) {
            struct qemu_prop *p = &t->props[t->n_props++];

            p->name = attr_dup(c, "name");
            p->type = attr_dup(c, "type");
            p->accel = attr_dup(c, "accel");
            p->effect = attr_dup(c, "effect");
            p->since = attr_dup(c, "since");
            if (!p->name || !p->type || !p->accel)
                r = cc_error(EINVAL, "%s: <property> needs name, type and accel", file);
            else if (strstr(p->accel, "kvm") && !p->effect)
                r = cc_error(EINVAL, "%s: KVM property %s needs an effect", file, p->name);
            else if (p->effect && !strcmp(p->effect, "vcpu-feature"))
                r = arm64_vcpu_features_parse(cc_xml_attr(c, "feature") ?: "", &p->feature);
        } else if (cc_xml_is(c, "vector-lengths")) {
            struct qemu_vls *l = &t->vls[t->n_vls++];

            l->prefix = attr_dup(c, "prefix");
            l->accel = attr_dup(c, "accel");
            l->pow2 = cc_xml_attr(c, "pow2") != NULL;
            if (!l->prefix || !l->accel)
                r = cc_error(EINVAL, "%s: <vector-lengths> needs prefix and accel", file);
            if (r == 0 && (r = cc_xml_attr_u64(file, c, "min", 2048, &v)) == 0)
                l->min = (unsigned)v;
            if (r == 0 && (r = cc_xml_attr_u64(file, c, "max", 2048, &v)) == 0)
                l->max = (unsigned)v;
            if (r == 0 && !l->pow2 && (r = cc_xml_attr_u64(file, c, "step", 2048, &v)) == 0)
                l->step = (unsigned)v;
            if (r == 0 && (!l->min || l->max < l->min || (!l->pow2 && !l->step)))
                r = cc_error(EINVAL, "%s: <vector-lengths> %s: bad range", file, l->prefix);
        } else if (cc_xml_is(c, "hidden")) {
            r = load_hidden(file, c, &t->hidden[t->n_hidden++]);
        }
    }
    return r;
}

static int tables_get(struct cc_ctx *ctx, const struct arm64_qemu_cpu **out)
{
    static const struct arm64_table_kind kind = {ARM64_TABLE_QEMU_CPU, "qemu-cpu.xml",
                                                 sizeof(struct arm64_qemu_cpu), load_tables,
                                                 qemu_cpu_free};
    const void *t;
    int r = arm64_catalog_table(ctx, &kind, &t);

    *out = t;
    return r;
}

/* ---- parsing ---- */

static const struct qemu_model *find_model(const struct arm64_qemu_cpu *t, const char *name)
{
    for (size_t i = 0; i < t->n_models; i++)
        if (strcmp(t->models[i].name, name) == 0)
            return &t->models[i];
    return NULL;
}

static const struct qemu_prop *find_prop(const struct arm64_qemu_cpu *t, const char *name)
{
    for (size_t i = 0; i < t->n_props; i++)
        if (strcmp(t->props[i].name, name) == 0)
            return &t->props[i];
    return NULL;
}

/* A vector-length property (sve384): its table entry and the length in bits, or NULL. */
static const struct qemu_vls *find_vl(const struct arm64_qemu_cpu *t, const char *name,
                                      unsigned *bits)
{
    for (size_t i = 0; i < t->n_vls; i++) {
        const struct qemu_vls *l = &t->vls[i];
        size_t n = strlen(l->prefix);
        char canonical[32];
        uint64_t v;

        if (strncmp(name, l->prefix, n) != 0 || cc_parse_decimal(name + n, l->min, l->max, &v) < 0)
            continue;
        snprintf(canonical, sizeof(canonical), "%s%u", l->prefix, (unsigned)v);
        if (strcmp(canonical, name) != 0 || (l->pow2 ? (v & (v - 1)) != 0 : v % l->step != 0))
            continue;
        *bits = (unsigned)v;
        return l;
    }
    return NULL;
}

int arm64_qemu_models(struct cc_ctx *ctx, struct cc_strlist *out)
{
    const struct arm64_qemu_cpu *t;
    int r = tables_get(ctx, &t);

    for (size_t i = 0; i < t->n_models && r == 0; i++)
        r = cc_strlist_add(out, t->models[i].name);
    return r;
}

bool arm64_guest_is_string(struct cc_ctx *ctx, const char *spec)
{
    const struct arm64_catalog *cat;
    const struct arm64_model_set *set;
    size_t len = strcspn(spec, ",");

    if (spec[len] == ',')
        return true;
    if (arm64_catalog_get(ctx, &cat) < 0 || arm64_models_get(ctx, cat, &set) < 0)
        return true; /* the parser says what is wrong */
    return !arm64_model_find(set, spec);
}

struct parse {
    struct cc_ctx *ctx;
    const struct arm64_qemu_cpu *t;
    const char *spec;
    struct arm64_guest *g;
};

static const char *shown(const struct parse *p)
{
    return cc_cpu_string_shown(p->spec);
}

static int check_model(struct parse *p, const char *model, size_t n_tokens)
{
    const struct qemu_model *m = find_model(p->t, model);
    const struct arm64_catalog *cat;
    const struct arm64_model_set *set;
    struct cc_suggest near;
    char hint[160];
    int r;

    if (m && !strcmp(m->kvm, "yes"))
        return 0;
    if (m && !strcmp(m->kvm, "host"))
        return cc_strlist_addf(&p->g->notes, "under KVM, QEMU's max is host");
    if (m && !strcmp(m->kvm, "target"))
        return cc_error(ENOTSUP,
                        "-cpu '%s': under KVM QEMU asks the kernel for the %s target, which only "
                        "a %s host offers, and the guest sees that host's own registers, as with "
                        "host; cpucompat judges it as 'host' on such hosts",
                        shown(p), model, model);
    if (m)
        return cc_error(EINVAL,
                        "-cpu '%s': QEMU 7.2 refuses %s under KVM (\"KVM is not supported for "
                        "this guest CPU type\"); under KVM it takes host and max",
                        shown(p), model);
    if ((r = arm64_catalog_get(p->ctx, &cat)) < 0 || (r = arm64_models_get(p->ctx, cat, &set)) < 0)
        return r;
    if (arm64_model_find(set, model) && n_tokens)
        return cc_error(EINVAL,
                        "-cpu '%s': %s is one of cpucompat's arm64 models (ID register values a "
                        "VMM writes), not a QEMU -cpu model under KVM; properties go with host "
                        "or max",
                        shown(p), model);
    cc_suggest_init(&near, model);
    for (size_t i = 0; i < p->t->n_models; i++)
        if (strcmp(p->t->models[i].kvm, "no") != 0)
            cc_suggest_add(&near, p->t->models[i].name);
    for (size_t i = 0; i < set->n; i++)
        cc_suggest_add(&near, set->models[i].name);
    if (cc_suggest_best(&near))
        return cc_error(ENOENT, "unknown CPU model '%.*s'%s (see 'cpucompat models')", 80, model,
                        cc_suggest_text(cc_suggest_best(&near), hint, sizeof(hint)));
    return cc_model_unknown(p->ctx, &arm64_arch_ops, model);
}

static int unknown_property(const struct parse *p, const char *text, const char *name)
{
    char vls[64][16]; /* the candidates are kept by pointer */
    struct cc_suggest near;
    size_t n = 0;

    cc_suggest_init(&near, name);
    for (size_t i = 0; i < p->t->n_props; i++)
        if (strstr(p->t->props[i].accel, "kvm"))
            cc_suggest_add(&near, p->t->props[i].name);
    for (size_t i = 0; i < p->t->n_vls; i++) {
        const struct qemu_vls *l = &p->t->vls[i];

        for (unsigned b = l->min; strstr(l->accel, "kvm") && b <= l->max && n < 64;
             b += l->pow2 ? b : l->step) {
            snprintf(vls[n], sizeof(vls[n]), "%s%u", l->prefix, b);
            cc_suggest_add(&near, vls[n++]);
        }
    }
    if (cc_suggest_best(&near))
        return cc_error(EINVAL, "-cpu '%s': '%s': QEMU has no property '%.*s' (did you mean '%s'?)",
                        shown(p), text, 80, name, cc_suggest_best(&near));
    return cc_error(EINVAL, "-cpu '%s': '%s': QEMU has no property '%.*s'", shown(p), text, 80,
                    name);
}

/* A property QEMU has, but not under KVM. */
static int not_kvm(const struct parse *p, const char *text, const char *name, const char *accel,
                   const char *since)
{
    if (strstr(accel, "tcg"))
        return cc_error(EINVAL,
                        "-cpu '%s': '%s': QEMU has '%s' only under TCG; under KVM it refuses it",
                        shown(p), text, name);
    if (strstr(accel, "user"))
        return cc_error(EINVAL,
                        "-cpu '%s': '%s': only qemu-aarch64 (user mode) has '%s'; "
                        "qemu-system-aarch64 refuses it",
                        shown(p), text, name);
    return cc_error(EINVAL, "-cpu '%s': '%s': '%s' came with QEMU %s, and only under TCG", shown(p),
                    text, name, since ? since : "(a later release)");
}

/* QEMU's integer properties: decimal, 0x hex or 0 octal, in the type's range. */
static bool is_number(const char *type, const char *v)
{
    bool is_signed = type[0] == 'i';
    char *end;

    errno = 0;
    if (!*v || *v == ' ')
        return false;
    if (is_signed) {
        long long n = strtoll(v, &end, 0);

        return !errno && !*end && n >= INT32_MIN && n <= INT32_MAX;
    }
    if (*v == '-')
        return false;
    unsigned long long n = strtoull(v, &end, 0);

    return !errno && !*end && (strcmp(type, "uint32") != 0 || n <= UINT32_MAX);
}

static int parse_token(struct parse *p, const struct cc_cpu_token *tok)
{
    const struct qemu_prop *prop;
    const struct qemu_vls *vl;
    struct arm64_guest *g = p->g;
    char text[160];
    unsigned bits;
    bool on;

    cc_cpu_token_text(tok, text, sizeof(text));
    /* cpu_common_parse_features(): no +feat, -feat or bare names on arm64. */
    if (tok->kind != CC_CPU_SET || !tok->has_value)
        return cc_error(EINVAL,
                        "-cpu '%s': '%s': QEMU wants key=value (\"Expected key=value "
                        "format\"), e.g. %s=off",
                        shown(p), text, tok->name);
    if ((vl = find_vl(p->t, tok->name, &bits))) {
        if (!strstr(vl->accel, "kvm"))
            return not_kvm(p, text, tok->name, vl->accel, NULL);
        if (cc_cpu_bool(tok->value, &on) < 0)
            return cc_error(EINVAL, "-cpu '%s': '%s': QEMU wants on or off", shown(p), text);
        g->vq_init |= 1u << (bits / 128 - 1);
        g->vq_map = on ? g->vq_map | 1u << (bits / 128 - 1) : g->vq_map & ~(1u << (bits / 128 - 1));
        return 0;
    }
    if (!(prop = find_prop(p->t, tok->name)))
        return unknown_property(p, text, tok->name);
    if (!strstr(prop->accel, "kvm"))
        return not_kvm(p, text, tok->name, prop->accel, prop->since);
    if (!strcmp(prop->type, "bool") && cc_cpu_bool(tok->value, &on) < 0)
        return cc_error(EINVAL, "-cpu '%s': '%s': QEMU wants on or off", shown(p), text);
    if (strcmp(prop->type, "bool") != 0 && !is_number(prop->type, tok->value))
        return cc_error(EINVAL, "-cpu '%s': '%s': QEMU wants a number (%s)", shown(p), text,
                        prop->type);
    if (!strcmp(prop->effect, "vcpu-feature")) {
        int *sw = prop->feature == ARM64_VF_SVE   ? &g->sve
                  : prop->feature == ARM64_VF_PMU ? &g->pmu
                                                  : &g->pauth;
        *sw = on;
        return 0;
    }
    if (!strcmp(prop->effect, "aarch32")) {
        g->aarch32 = !on;
        return 0;
    }
    if (!strcmp(prop->effect, "none"))
        return cc_strlist_addf(&g->notes,
                               "'%s': QEMU takes it; it changes nothing a host must offer", text);
    return cc_error(ENOTSUP,
                    "-cpu '%s': '%s': QEMU takes it, but what it asks of the host is not in "
                    "capability files; cpucompat cannot judge it",
                    shown(p), text);
}

int arm64_guest_parse(struct cc_ctx *ctx, const char *spec, struct arm64_guest *g)
{
    struct cc_cpu_string s;
    struct parse p = {.ctx = ctx, .spec = spec, .g = g};
    int r = tables_get(ctx, &p.t);

    *g = (struct arm64_guest){.sve = -1, .pmu = -1, .pauth = -1};
    if (r < 0 || (r = cc_cpu_string_split(spec, &s)) < 0)
        return r;
    g->spec = xstrdup(spec);
    r = check_model(&p, s.model, s.n);
    for (size_t i = 0; i < s.n && r == 0; i++)
        r = parse_token(&p, &s.tokens[i]);
    if (r == 0 && g->aarch32)
        r = cc_strlist_addf(&g->notes,
                            "aarch64=off: an AArch32 guest; its AArch64 ID registers are judged "
                            "too, which may refuse a move an AArch32 guest could make");
    cc_cpu_string_free(&s);
    if (r < 0)
        arm64_guest_free(g);
    return r;
}

void arm64_guest_free(struct arm64_guest *g)
{
    free(g->spec);
    cc_strlist_free(&g->notes);
    *g = (struct arm64_guest){0};
}

/* ---- the guest on one host ---- */

enum offer { OFFER_NO, OFFER_YES, OFFER_UNKNOWN };

static const char *feature_name(unsigned vf)
{
    return vf == ARM64_VF_SVE ? "sve" : vf == ARM64_VF_PMU ? "pmu" : "pauth";
}

/* Whether the registers show any field of the vCPU feature. */
static bool shows(const struct arm64_catalog *cat, const struct arm64_raw *raw, unsigned vf)
{
    for (size_t i = 0; i < raw->n; i++) {
        const struct arm64_regdef *def = arm64_regdef(cat, raw->regs[i].name);

        for (size_t f = 0; def && f < def->n_fields; f++)
            if ((def->fields[f].vcpu_feature & vf) &&
                arm64_field_raw(&def->fields[f], raw->regs[i].value))
                return true;
    }
    return false;
}

/* Does the host's KVM offer the vCPU feature: its capability when the dump recorded it, else
 * what its registers show; a capture that shows nothing and recorded neither cannot say. */
static enum offer offers(const struct arm64_catalog *cat, const struct cc_view *view, unsigned vf)
{
    const char *cap = vf == ARM64_VF_SVE   ? cc_kv_get(&view->props, "cap-sve")
                      : vf == ARM64_VF_PMU ? cc_kv_get(&view->props, "cap-pmu-v3")
                                           : cc_kv_get(&view->props, "cap-ptrauth-address");
    const char *cap2 =
        vf == ARM64_VF_PTRAUTH ? cc_kv_get(&view->props, "cap-ptrauth-generic") : NULL;
    const char *vcpu = cc_kv_get(&view->props, "vcpu-features");
    uint64_t bits;

    if (cap)
        return strcmp(cap, "0") != 0 && (!cap2 || strcmp(cap2, "0") != 0) ? OFFER_YES : OFFER_NO;
    if (shows(cat, view->raw, vf))
        return OFFER_YES;
    if (vcpu && cc_parse_hex(vcpu, 0, UINT32_MAX, &bits) == 0 && (bits & arm64_vf_init_bits(vf)))
        return OFFER_NO;
    return OFFER_UNKNOWN;
}

/* "16 32" (bytes) as a vq bitmap; false when not recorded or not a list of lengths. */
static bool host_vls(const struct cc_view *view, uint32_t *out)
{
    const char *s = cc_kv_get(&view->props, "sve-vector-lengths");
    char copy[256], *save = NULL;

    *out = 0;
    if (!s)
        return false;
    if (!strcmp(s, "none"))
        return true;
    snprintf(copy, sizeof(copy), "%s", s);
    for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        uint64_t bytes;

        if (cc_parse_decimal(t, 16, ARM64_MAX_VQ * 16, &bytes) < 0 || bytes % 16)
            return false;
        *out |= 1u << (bytes / 16 - 1);
    }
    return true;
}

static unsigned fls32(uint32_t v)
{
    return v ? 32 - (unsigned)__builtin_clz(v) : 0;
}

/* arm_cpu_sve_finalize() as it runs under KVM: the vector lengths QEMU gives the guest, or its
 * reason to refuse (in why). sve_on: whether the CPU has SVE when it finalises. */
static bool sve_finalize(const struct arm64_guest *g, bool sve_on, uint32_t supported,
                         uint32_t *map_out, char *why, size_t len)
{
    uint32_t map = g->vq_map, init = g->vq_init, mask = 0, tmp;
    unsigned max_vq = 0, vq;

    *map_out = 0;
    if (map) {
        max_vq = fls32(map);
        mask = (uint32_t)((1ull << max_vq) - 1);
        map |= supported & ~init & mask;
    } else {
        if (!sve_on)
            return true;
        tmp = init & supported;
        vq = tmp ? (unsigned)__builtin_ctz(tmp) + 1 : 33;
        max_vq = vq <= ARM64_MAX_VQ ? vq - 1 : ARM64_MAX_VQ;
        mask = (uint32_t)((1ull << max_vq) - 1);
        map = supported & ~init & mask;
        if (max_vq == 0 || map == 0) {
            snprintf(why, len,
                     "cannot disable sve%u: with SVE on, at least one vector length "
                     "must stay",
                     vq * 128);
            return false;
        }
        max_vq = fls32(map);
        mask = (uint32_t)((1ull << max_vq) - 1);
    }
    map &= mask;
    tmp = map ^ (supported & mask);
    if (tmp) {
        vq = fls32(tmp);
        if (map & 1u << (vq - 1))
            snprintf(why, len, "cannot enable sve%u: %s", vq * 128,
                     supported ? "this host's KVM does not offer that vector length"
                               : "SVE not supported by KVM on this host");
        else
            snprintf(why, len,
                     "cannot disable sve%u: the KVM host requires all supported "
                     "vector lengths smaller than %u bits to be enabled too",
                     vq * 128, max_vq * 128);
        return false;
    }
    if (!sve_on) {
        snprintf(why, len, "cannot enable sve%u: SVE must be enabled to enable vector lengths",
                 max_vq * 128);
        return false;
    }
    *map_out = map;
    return true;
}

static bool hidden_by(const struct arm64_qemu_cpu *t, uint64_t id, unsigned off)
{
    unsigned op0 = (id >> 14) & 3, op1 = (id >> 11) & 7, crn = (id >> 7) & 15, crm = (id >> 3) & 15,
             op2 = id & 7;

    if (((id >> 16) & 0xffff) != SYSREG_COPROC)
        return false;
    for (size_t i = 0; i < t->n_hidden; i++) {
        const struct qemu_hidden *h = &t->hidden[i];

        if ((h->feature & off) && op0 == h->op0 && op1 >= h->op1[0] && op1 <= h->op1[1] &&
            crn == h->crn && crm >= h->crm[0] && crm <= h->crm[1] &&
            (h->op2 < 0 || (int)op2 == h->op2))
            return true;
    }
    return false;
}

/* The host's registers and properties with the vCPU features in off left out, as KVM shows a
 * vCPU made without them. The vector lengths are the caller's to compare (out->vls), not
 * judge_vm's: QEMU gives the guest the lengths its string resolves to on each host. */
static int mask_host(const struct arm64_catalog *cat, const struct arm64_qemu_cpu *t,
                     const struct cc_view *host, const char *file, unsigned off,
                     struct arm64_guest_host *out)
{
    const struct arm64_raw *raw = host->raw;
    char *list = NULL, *kept = NULL;
    uint64_t *ids = NULL;
    size_t n = 0, m = 0;
    int r = 0;

    if (!(out->raw = arm64_raw_new()))
        return cc_error(ENOMEM, "out of memory");
    for (size_t i = 0; i < raw->n && r == 0; i++) {
        const struct arm64_reg *reg = &raw->regs[i];
        const struct arm64_regdef *def = arm64_regdef(cat, reg->name);
        uint64_t v = reg->value;

        if (off && hidden_by(t, reg->id ? reg->id : def ? def->id : 0, off))
            continue;
        for (size_t f = 0; def && f < def->n_fields; f++)
            if (def->fields[f].vcpu_feature & off)
                v = arm64_field_put(&def->fields[f], v, 0);
        r = arm64_raw_set(out->raw, reg->name, reg->id, v);
    }
    if (r == 0)
        arm64_raw_sort(out->raw);
    for (size_t i = 0; i < host->props.n && r == 0; i++) {
        const char *key = host->props.items[i].key;

        if (strncmp(key, "kvm-reg-list", 12) != 0 && strcmp(key, "sve-vector-lengths") != 0)
            r = cc_kv_add(&out->view.props, key, host->props.items[i].value);
    }
    if (r == 0)
        r = arm64_reg_list_of(host, &list);
    if (r == 0 && list)
        r = arm64_reg_list_parse(file, list, &ids, &n);
    for (size_t i = 0; i < n && r == 0; i++)
        if (!hidden_by(t, ids[i], off))
            ids[m++] = ids[i];
    if (r == 0 && list && m)
        r = arm64_reg_list_format(ids, m, &kept);
    if (r == 0 && kept)
        r = arm64_reg_list_store(&out->view.props, kept);
    free(list);
    free(kept);
    free(ids);
    out->view.name = host->name;
    out->view.source = host->source;
    out->view.raw = out->raw;
    return r;
}

int arm64_guest_on(struct cc_ctx *ctx, const struct arm64_guest *g, const struct cc_view *host,
                   const char *file, struct arm64_guest_host *out)
{
    static const unsigned feats[] = {ARM64_VF_SVE, ARM64_VF_PMU, ARM64_VF_PTRAUTH};
    const struct arm64_catalog *cat;
    const struct arm64_qemu_cpu *t;
    char why[256] = "";
    unsigned off = 0, unjudged = 0; /* a feature on whose fields the capture does not show */
    bool sve_on = false, sve_offered = false, sve_unknown = false;
    uint32_t supported = 0;
    int r;

    *out = (struct arm64_guest_host){0};
    if ((r = arm64_catalog_get(ctx, &cat)) < 0 || (r = tables_get(ctx, &t)) < 0)
        return r;
    for (size_t i = 0; i < 3; i++) {
        unsigned vf = feats[i];
        int want = vf == ARM64_VF_SVE ? g->sve : vf == ARM64_VF_PMU ? g->pmu : g->pauth;
        enum offer o = offers(cat, host, vf);
        bool shown = shows(cat, host->raw, vf), on;

        if (want == 1 && o == OFFER_NO && !why[0])
            snprintf(why, sizeof(why), "'%s' feature not supported by KVM on this host",
                     feature_name(vf));
        if (want == 1 && o == OFFER_UNKNOWN && !out->unjudged)
            out->unjudged = xasprintf("%s: records neither whether its KVM offers %s nor the vCPU "
                                      "features it was captured with; cpucompat cannot judge "
                                      "%s=on",
                                      file, feature_name(vf), feature_name(vf));
        /* QEMU's default: on where KVM offers it; a capture that cannot say is taken as made. */
        on = want == 1            ? o != OFFER_NO
             : want == 0          ? false
             : o == OFFER_UNKNOWN ? shown
                                  : o == OFFER_YES;
        if (want == -1 && o == OFFER_UNKNOWN)
            out->unknown |= vf;
        if (on && !shown && o == OFFER_YES && !unjudged)
            unjudged = vf;
        if (!on)
            off |= vf;
        if (vf == ARM64_VF_SVE && want == 1 && o == OFFER_UNKNOWN)
            sve_unknown = true;
        if (vf == ARM64_VF_SVE) {
            sve_on = on && o != OFFER_NO;
            out->sve = sve_on;
            sve_offered = o == OFFER_YES || (o == OFFER_UNKNOWN && shown);
        }
    }
    if (sve_unknown) {
        /* whether QEMU takes the lengths depends on what the file cannot say */
    } else if (sve_offered && !host_vls(host, &supported)) {
        if (g->vq_init && !out->unjudged)
            out->unjudged = xasprintf("%s: records no SVE vector lengths; cpucompat cannot judge "
                                      "the sveN properties",
                                      file);
    } else if (!why[0] && sve_finalize(g, sve_on, supported, &out->vls, why, sizeof(why))) {
        out->vls_known = true;
    }
    if (!why[0] && g->aarch32) {
        const char *cap = cc_kv_get(&host->props, "cap-el1-32bit");
        const struct arm64_reg *pfr0 = arm64_raw_get(host->raw, "ID_AA64PFR0_EL1");
        bool el1_32 = cap ? strcmp(cap, "0") != 0 : pfr0 && ((pfr0->value >> 4) & 0xf) == 2;

        if (!el1_32)
            snprintf(why, sizeof(why),
                     "'aarch64' feature cannot be disabled unless KVM is "
                     "enabled and 32-bit EL1 is supported");
    }
    /* Whether QEMU starts the string needs only the host's capabilities; what the guest then
     * sees needs the registers. */
    if (why[0]) {
        out->refused = xstrdup(why);
        return 0;
    }
    if (unjudged && !out->unjudged)
        out->unjudged = xasprintf("%s: its KVM offers %s, but the registers were captured from "
                                  "a vCPU without it; dump it again with the default "
                                  "--vcpu-features, or give %s=off",
                                  file, feature_name(unjudged), feature_name(unjudged));
    if (out->unjudged)
        return 0;
    return mask_host(cat, t, host, file, off, out);
}

void arm64_guest_host_free(struct arm64_guest_host *h)
{
    arm64_raw_free(h->raw);
    cc_kv_free(&h->view.props);
    free(h->refused);
    free(h->unjudged);
    *h = (struct arm64_guest_host){0};
}
