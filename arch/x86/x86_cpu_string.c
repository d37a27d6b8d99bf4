/* QEMU's -cpu strings on x86 (QEMU 7.2 target/i386/cpu.c x86_cpu_parse_featurestr(),
 * x86_cpu_expand_features()) and the x86-64 psABI levels, as guest definitions. The facts are
 * data/x86/qemu-cpu.xml and data/x86/psabi.xml; which names a release has, qemu-releases.xml. */
#include "x86_guest.h"
#include "../../core/cleanup.h"
#include "../../core/cpu_string.h"
#include "../../core/error.h"
#include "../../core/qemu.h"
#include "../../core/suggest.h"
#include "../../core/xalloc.h"
#include "../../core/xml_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum prop_effect { PROP_NONE, PROP_UNJUDGED };

struct x86_cpu_prop {
    char *name, *type;
    enum prop_effect effect;
    bool host_max_only;
};

struct x86_cpu_tables {
    struct x86_words tcg_on, tcg_off, tcg_unfiltered, kvm_only;
    unsigned phys_min, phys_max;
    struct x86_cpu_prop *props;
    size_t n_props;
    struct x86_level *levels;
    size_t n_levels;
};

/* Properties this file gives a meaning to; the rest come from qemu-cpu.xml. */
static const char *const own_props[] = {"phys-bits",     "host-phys-bits", "host-phys-bits-limit",
                                        "tsc-frequency", "tsc-freq",       "migratable",
                                        "kvm",           "check",          "enforce"};

void x86_cpu_tables_free(struct x86_cpu_tables *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n_props; i++) {
        free(t->props[i].name);
        free(t->props[i].type);
    }
    for (size_t i = 0; i < t->n_levels; i++)
        free(t->levels[i].name);
    free(t->props);
    free(t->levels);
    free(t);
}

static int word_of(const char *file, const struct x86_catalog *cat, xmlNodePtr n, const char *attr,
                   struct x86_words *w)
{
    int i = x86_catalog_word(cat, cc_xml_attr(n, attr) ?: "");

    if (i < 0)
        return cc_error(EINVAL, "%s: unknown feature word '%s'", file, cc_xml_attr(n, attr) ?: "");
    w->w[i] = UINT64_MAX;
    return 0;
}

static int load_tcg(const char *file, const struct x86_catalog *cat, xmlNodePtr tcg,
                    struct x86_cpu_tables *t)
{
    int r = 0;

    for (xmlNodePtr c = tcg->children; c && r == 0; c = c->next) {
        if (cc_xml_is(c, "default")) {
            bool on = !strcmp(cc_xml_attr(c, "value") ?: "", "on");
            r = x86_feature_list(file, cat, cc_xml_attr(c, "feature"),
                                 on ? &t->tcg_on : &t->tcg_off);
        } else if (cc_xml_is(c, "unfiltered")) {
            r = word_of(file, cat, c, "word", &t->tcg_unfiltered);
        }
    }
    return r;
}

static int load_qemu_cpu(const char *file, const struct x86_catalog *cat, struct x86_cpu_tables *t)
{
    _cleanup_xmldoc_ xmlDocPtr doc = NULL;
    xmlNodePtr root;
    size_t n = 0;
    int r = cc_xml_load(file, &doc);

    if (r < 0)
        return r;
    root = xmlDocGetRootElement(doc);
    if (!root || !cc_xml_is(root, "x86-qemu-cpu"))
        return cc_error(EINVAL, "%s: not a QEMU -cpu table", file);
    for (xmlNodePtr c = root->children; c; c = c->next)
        n += cc_xml_is(c, "property");
    t->props = xcalloc(n + 1, sizeof(*t->props));
    for (xmlNodePtr c = root->children; c && r == 0; c = c->next) {
        unsigned long long v;

        if (cc_xml_is(c, "tcg")) {
            r = load_tcg(file, cat, c, t);
        } else if (cc_xml_is(c, "kvm-word")) {
            r = word_of(file, cat, c, "name", &t->kvm_only);
        } else if (cc_xml_is(c, "phys-bits")) {
            r = cc_xml_attr_u64(file, c, "min", 64, &v);
            t->phys_min = (unsigned)v;
            if (r == 0)
                r = cc_xml_attr_u64(file, c, "max", 64, &v);
            t->phys_max = (unsigned)v;
        } else if (cc_xml_is(c, "property")) {
            struct x86_cpu_prop *p = &t->props[t->n_props++];
            const char *name = cc_xml_attr(c, "name"), *type = cc_xml_attr(c, "type");
            const char *effect = cc_xml_attr(c, "effect") ?: "";

            if (!name || !type || (strcmp(effect, "none") && strcmp(effect, "unjudged")))
                return cc_error(EINVAL, "%s: <property> needs name, type and effect", file);
            p->effect = strcmp(effect, "none") ? PROP_UNJUDGED : PROP_NONE;
            p->host_max_only = cc_xml_attr(c, "models") != NULL;
            p->name = xstrdup(name);
            p->type = xstrdup(type);
        }
    }
    if (r == 0 && (!t->phys_min || t->phys_max < t->phys_min))
        r = cc_error(EINVAL, "%s: lacks <phys-bits>", file);
    return r;
}

static int load_levels(const char *file, const struct x86_catalog *cat, struct x86_cpu_tables *t)
{
    _cleanup_xmldoc_ xmlDocPtr doc = NULL;
    xmlNodePtr root;
    size_t n = 0;
    int r = cc_xml_load(file, &doc);

    if (r < 0)
        return r;
    root = xmlDocGetRootElement(doc);
    if (!root || !cc_xml_is(root, "x86-psabi-levels"))
        return cc_error(EINVAL, "%s: not a psABI level table", file);
    for (xmlNodePtr c = root->children; c; c = c->next)
        n += cc_xml_is(c, "level");
    t->levels = xcalloc(n + 1, sizeof(*t->levels));
    for (xmlNodePtr c = root->children; c && r == 0; c = c->next) {
        struct x86_level *lv;

        if (!cc_xml_is(c, "level"))
            continue;
        lv = &t->levels[t->n_levels++];
        if (!cc_xml_attr(c, "name"))
            return cc_error(EINVAL, "%s: <level> without a name", file);
        lv->name = xstrdup(cc_xml_attr(c, "name"));
        r = x86_feature_list(file, cat, cc_xml_attr(c, "features"), &lv->words);
    }
    return r;
}

int x86_cpu_tables_load(struct cc_ctx *ctx, const struct x86_catalog *cat,
                        struct x86_cpu_tables **out)
{
    _cleanup_free_ char *qemu = NULL, *psabi = NULL;
    struct x86_cpu_tables *t = xcalloc(1, sizeof(*t));
    int r = cc_ctx_arch_path(ctx, &x86_arch_ops, "qemu-cpu.xml", &qemu);

    if (r == 0)
        r = cc_ctx_arch_path(ctx, &x86_arch_ops, "psabi.xml", &psabi);
    if (r == 0)
        r = load_qemu_cpu(qemu, cat, t);
    if (r == 0)
        r = load_levels(psabi, cat, t);
    if (r < 0) {
        x86_cpu_tables_free(t);
        return r;
    }
    *out = t;
    return 0;
}

void x86_cpu_tcg_host(const struct x86_catalog *cat, const struct x86_rules *rules,
                      struct x86_host *host)
{
    for (size_t i = 0; i < cat->n_words; i++)
        host->supported.w[i] |= rules->cpu->tcg_unfiltered.w[i];
}

const struct x86_level *x86_levels(const struct x86_env *env, size_t *n)
{
    *n = env->rules->cpu->n_levels;
    return env->rules->cpu->levels;
}

static const struct x86_level *find_level(const struct x86_cpu_tables *t, const char *name)
{
    for (size_t i = 0; i < t->n_levels; i++)
        if (strcmp(t->levels[i].name, name) == 0)
            return &t->levels[i];
    return NULL;
}

static const struct x86_cpu_prop *find_prop(const struct x86_cpu_tables *t, const char *name)
{
    for (size_t i = 0; i < t->n_props; i++)
        if (strcmp(t->props[i].name, name) == 0)
            return &t->props[i];
    return NULL;
}

static bool is_own_prop(const char *name)
{
    for (size_t i = 0; i < sizeof(own_props) / sizeof(*own_props); i++)
        if (strcmp(own_props[i], name) == 0)
            return true;
    return false;
}

/* ---- parsing ---- */

struct parse {
    struct cc_ctx *ctx;
    const struct x86_env *env;
    const char *file, *role; /* the host whose QEMU reads the string, or NULL */
    const struct x86_names *names;
    const struct cc_cpu_string *s;
    struct x86_guest *g;
};

/* The string for messages: a hostile one is not echoed whole. */
static const char *shown(const struct parse *p)
{
    return cc_cpu_string_shown(p->s->spec);
}

static bool in_qemu(const struct parse *p, const struct x86_feature *f)
{
    return x86_feature_in_qemu(p->env, f, p->g->qemu);
}

/* The feature a token names: QEMU's own spelling (its name or one of its aliases, after QEMU's
 * feat2prop for key=value) first, then QEMU's other properties; then libvirt's or Linux's
 * spelling of what the user typed, taken with a note, since operators copy names from virsh
 * and /proc/cpuinfo. */
static const struct x86_feature *token_feature(const struct parse *p,
                                               const struct cc_cpu_token *tok, const char *name,
                                               bool *qemu_spelling)
{
    const struct x86_feature *f = x86_names_find(p->names, name, X86_NAMING_QEMU);

    *qemu_spelling = f != NULL;
    if (f || find_prop(p->env->rules->cpu, name) || is_own_prop(name))
        return f;
    f = x86_names_find(p->names, tok->name, X86_NAMING_ANY);
    if (!f && strcmp(name, tok->name) != 0)
        f = x86_names_find(p->names, name, X86_NAMING_ANY);
    return f;
}

static int other_spelling(const struct parse *p, const struct cc_cpu_token *tok,
                          const struct x86_feature *f)
{
    const char *naming = x86_names_find(p->names, tok->name, X86_NAMING_LIBVIRT) == f ? "libvirt"
                         : x86_names_find(p->names, tok->name, X86_NAMING_LINUX) == f
                             ? "Linux"
                             : "another naming";
    char text[160];

    cc_cpu_token_text(tok, text, sizeof(text));
    if (cc_strlist_contains(&p->g->notes, text))
        return 0;
    return cc_strlist_addf(&p->g->notes,
                           "'%s': %.*s is %s's name for QEMU's %s, judged as %s; QEMU's -cpu "
                           "itself takes only %s",
                           text, 80, tok->name, naming, f->name, f->name, f->name);
}

static int too_new(const struct parse *p, const struct cc_cpu_token *tok,
                   const struct x86_feature *f)
{
    char text[160], q[CC_QEMU_VERSION_LEN], since[CC_QEMU_VERSION_LEN];

    cc_cpu_token_text(tok, text, sizeof(text));
    cc_qemu_version_format(p->g->qemu, q, sizeof(q));
    cc_qemu_version_format(p->env->rel->feature_since[f - p->env->cat->features], since,
                           sizeof(since));
    return cc_error(EINVAL, "-cpu '%s': '%s': %s is a feature of QEMU %s, not of QEMU %s", shown(p),
                    text, f->name, since, q);
}

static int unknown_property(const struct parse *p, const struct cc_cpu_token *tok, const char *name)
{
    const struct x86_catalog *cat = p->env->cat;
    const struct x86_cpu_tables *t = p->env->rules->cpu;
    struct cc_suggest near;
    char text[160];

    cc_cpu_token_text(tok, text, sizeof(text));
    cc_suggest_init(&near, name);
    for (size_t i = 0; i < cat->n_features; i++) {
        const struct x86_feature *f = &cat->features[i];

        if (!in_qemu(p, f))
            continue;
        cc_suggest_add(&near, f->name);
        for (size_t a = 0; a < f->aliases.n; a++)
            cc_suggest_add(&near, f->aliases.items[a]);
    }
    for (size_t i = 0; i < t->n_props; i++)
        cc_suggest_add(&near, t->props[i].name);
    for (size_t i = 0; i < sizeof(own_props) / sizeof(*own_props); i++)
        cc_suggest_add(&near, own_props[i]);
    if (cc_suggest_best(&near))
        return cc_error(EINVAL, "-cpu '%s': '%s': QEMU has no property '%.*s' (did you mean '%s'?)",
                        shown(p), text, 80, name, cc_suggest_best(&near));
    return cc_error(EINVAL, "-cpu '%s': '%s': QEMU has no property '%.*s'", shown(p), text, 80,
                    name);
}

static int bad_value(const struct parse *p, const struct cc_cpu_token *tok, const char *want)
{
    char text[160];

    cc_cpu_token_text(tok, text, sizeof(text));
    return cc_error(EINVAL, "-cpu '%s': '%s': QEMU wants %s", shown(p), text, want);
}

static int parse_uint(const char *v, unsigned long long max, unsigned long long *out)
{
    char *end;

    errno = 0;
    if (!*v || *v == '-' || *v == ' ')
        return -1;
    *out = strtoull(v, &end, 0);
    return errno || *end || *out > max ? -1 : 0;
}

/* qemu_strtosz_metric: a number, possibly with a fraction, and a k/K/M/G/T suffix (powers of
 * 1000); without a suffix, bytes, here Hz. */
static int parse_metric(const char *v, unsigned long long *hz)
{
    static const char units[] = "kKMGT";
    static const double mult[] = {1e3, 1e3, 1e6, 1e9, 1e12};
    char *end;
    double d;

    errno = 0;
    if (!*v || *v == '-' || *v == ' ')
        return -1;
    d = strtod(v, &end);
    if (errno || end == v)
        return -1;
    if (*end) {
        const char *u = strchr(units, *end);
        if (!u || end[1])
            return -1;
        d *= mult[u - units];
    }
    if (d < 0 || d > 9.2e18)
        return -1;
    *hz = (unsigned long long)d;
    return 0;
}

static int check_type(const struct parse *p, const struct cc_cpu_token *tok,
                      const struct x86_cpu_prop *prop, const char *value)
{
    unsigned long long v;
    bool b;

    if (!strcmp(prop->type, "bool"))
        return cc_cpu_bool(value, &b) < 0 ? bad_value(p, tok, "on or off") : 0;
    if (!strcmp(prop->type, "on-off-auto"))
        return strcmp(value, "on") && strcmp(value, "off") && strcmp(value, "auto")
                   ? bad_value(p, tok, "on, off or auto")
                   : 0;
    if (!strcmp(prop->type, "string"))
        return 0;
    if (!strcmp(prop->type, "int") || !strcmp(prop->type, "int32")) {
        char *end;
        errno = 0;
        long long s = strtoll(value, &end, 0);
        return !*value || errno || *end || s < INT32_MIN || s > INT32_MAX
                   ? bad_value(p, tok, "an integer")
                   : 0;
    }
    unsigned long long max = !strcmp(prop->type, "uint8")    ? UINT8_MAX
                             : !strcmp(prop->type, "uint16") ? UINT16_MAX
                             : !strcmp(prop->type, "uint32") ? UINT32_MAX
                                                             : UINT64_MAX;
    return parse_uint(value, max, &v) < 0 ? bad_value(p, tok, "an unsigned number") : 0;
}

static int set_bool(const struct parse *p, const struct cc_cpu_token *tok, const char *value,
                    bool *out)
{
    return cc_cpu_bool(value, out) < 0 ? bad_value(p, tok, "on or off") : 0;
}

/* A property that is not a feature. */
static int set_property(const struct parse *p, const struct cc_cpu_token *tok, const char *name,
                        const char *value)
{
    struct x86_guest *g = p->g;
    bool host_max = g->base == X86_GUEST_HOST || g->base == X86_GUEST_MAX;
    const struct x86_cpu_prop *prop;
    unsigned long long v;
    char text[160];
    bool b;
    int r;

    if (!strcmp(name, "phys-bits")) {
        if (parse_uint(value, UINT32_MAX, &v) < 0)
            return bad_value(p, tok, "an unsigned number");
        g->phys_bits = (unsigned)v;
        return 0;
    }
    if (!strcmp(name, "host-phys-bits-limit")) {
        if (parse_uint(value, UINT8_MAX, &v) < 0)
            return bad_value(p, tok, "a number up to 255");
        g->host_phys_bits_limit = (unsigned)v;
        return 0;
    }
    if (!strcmp(name, "tsc-frequency") || !strcmp(name, "tsc-freq")) {
        if (name[4] == 'f' && name[8] == '\0' ? parse_metric(value, &v) < 0
                                              : parse_uint(value, INT64_MAX, &v) < 0)
            return bad_value(p, tok, "a frequency in Hz");
        g->tsc_khz = v / 1000;
        return 0;
    }
    if (!strcmp(name, "host-phys-bits")) {
        g->host_phys_bits_given = true;
        return set_bool(p, tok, value, &g->host_phys_bits);
    }
    if (!strcmp(name, "kvm"))
        return set_bool(p, tok, value, &g->kvm);
    if (!strcmp(name, "migratable") && host_max)
        return set_bool(p, tok, value, &g->migratable);
    if (!strcmp(name, "check") || !strcmp(name, "enforce")) {
        if ((r = set_bool(p, tok, value, &b)) < 0)
            return r;
        g->check_enforce = true;
        return 0;
    }
    prop = find_prop(p->env->rules->cpu, name);
    if ((prop && prop->host_max_only && !host_max) || !strcmp(name, "migratable")) {
        cc_cpu_token_text(tok, text, sizeof(text));
        return cc_error(EINVAL, "-cpu '%s': '%s': only host and max have '%s'", shown(p), text,
                        name);
    }
    if (!prop)
        return unknown_property(p, tok, name);
    if ((r = check_type(p, tok, prop, value)) < 0)
        return r;
    if (prop->effect == PROP_UNJUDGED) {
        cc_cpu_token_text(tok, text, sizeof(text));
        return cc_error(ENOTSUP,
                        "-cpu '%s': '%s': QEMU takes it, but what it asks of the host is not in "
                        "capability files; cpucompat cannot judge it",
                        shown(p), text);
    }
    return 0;
}

/* QEMU's feat2prop: key=value names take dashes for underscores (the +/- forms do not). */
static void feat2prop(char *s)
{
    for (; *s; s++)
        if (*s == '_')
            *s = '-';
}

static int find_base(const struct parse *p, const char *model)
{
    const struct x86_env *env = p->env;
    struct x86_guest *g = p->g;
    struct cc_suggest near;

    if (!strcmp(model, "host"))
        return g->base = X86_GUEST_HOST, 0;
    if (!strcmp(model, "max"))
        return g->base = X86_GUEST_MAX, 0;
    if (!strcmp(model, "base"))
        return g->base = X86_GUEST_BASE, 0;
    if ((g->level = find_level(env->rules->cpu, model)))
        return g->base = X86_GUEST_LEVEL, 0;
    if ((g->model = x86_model_find(env->models, model))) {
        char q[CC_QEMU_VERSION_LEN], since[CC_QEMU_VERSION_LEN];

        if (g->model->since <= g->qemu)
            return g->base = X86_GUEST_MODEL, 0;
        cc_qemu_version_format(g->qemu, q, sizeof(q));
        cc_qemu_version_format(g->model->since, since, sizeof(since));
        if (p->file)
            return cc_error(EINVAL, "%s: model %s is not in QEMU %s, the %s's (first in %s)",
                            p->file, g->model->name, q, p->role, since);
        return cc_error(EINVAL, "model %s is not in QEMU %s (first in %s)", g->model->name, q,
                        since);
    }
    cc_suggest_init(&near, model);
    for (size_t i = 0; i < env->models->n_models; i++)
        if (env->models->models[i].since <= g->qemu)
            cc_suggest_add(&near, env->models->models[i].name);
    for (size_t i = 0; i < env->models->n_aliases; i++)
        cc_suggest_add(&near, env->models->aliases[i].name);
    for (size_t i = 0; i < env->rules->cpu->n_levels; i++)
        cc_suggest_add(&near, env->rules->cpu->levels[i].name);
    if (cc_suggest_best(&near))
        return cc_error(ENOENT,
                        "unknown CPU model '%.*s' (did you mean '%s'? see 'cpucompat models')", 80,
                        model, cc_suggest_best(&near));
    /* Nothing near among x86's names: perhaps another architecture's model. */
    return cc_model_unknown(p->ctx, &x86_arch_ops, model);
}

static void set_feature(const struct x86_catalog *cat, struct x86_guest *g,
                        const struct x86_feature *f, bool on)
{
    x86_words_set(cat, on ? &g->on : &g->off, f, true);
    x86_words_set(cat, on ? &g->off : &g->on, f, false);
    x86_words_set(cat, &g->user, f, true);
}

static int parse_token(struct parse *p, const struct cc_cpu_token *tok,
                       const struct x86_feature **legacy, bool *legacy_on, size_t *n_legacy)
{
    const struct x86_env *env = p->env;
    _cleanup_free_ char *name = xstrdup(tok->name);
    const struct x86_feature *f;
    bool on, qemu_spelling;
    int r = 0;

    if (tok->kind == CC_CPU_SET)
        feat2prop(name);
    f = token_feature(p, tok, name, &qemu_spelling);
    if (f && !in_qemu(p, f))
        return too_new(p, tok, f);
    if (f && !qemu_spelling && (r = other_spelling(p, tok, f)) < 0)
        return r;
    if (tok->kind != CC_CPU_SET) {
        /* Legacy +/-: applied after every key=value, whatever the order, +feat first. */
        on = tok->kind == CC_CPU_PLUS;
        if (!f)
            return set_property(p, tok, name, on ? "on" : "off");
        legacy[*n_legacy] = f;
        legacy_on[(*n_legacy)++] = on;
        return 0;
    }
    if (!f)
        return set_property(p, tok, name, tok->value);
    if ((r = set_bool(p, tok, tok->value, &on)) == 0)
        set_feature(env->cat, p->g, f, on);
    return r;
}

int x86_guest_parse(struct cc_ctx *ctx, const struct x86_env *env, const char *spec, unsigned qemu,
                    const char *file, const char *role, struct x86_guest *g)
{
    struct cc_cpu_string s;
    struct parse p = {.ctx = ctx, .env = env, .file = file, .role = role, .s = &s, .g = g};
    _cleanup_free_ const struct x86_feature **legacy = NULL; /* +feat then -feat, applied last */
    _cleanup_free_ bool *legacy_on = NULL;
    const struct x86_feature *vmx;
    size_t n_legacy = 0;
    int r;

    *g = (struct x86_guest){.migratable = true, .kvm = true, .qemu = qemu};
    if ((r = x86_names_get(ctx, env->cat, &p.names)) < 0)
        return r;
    if ((r = cc_cpu_string_split(spec, &s)) < 0)
        return r;
    r = find_base(&p, s.model);
    g->name = xstrdup(spec);
    legacy = xcalloc(s.n + 1, sizeof(*legacy));
    legacy_on = xcalloc(s.n + 1, sizeof(*legacy_on));
    for (size_t i = 0; i < s.n && r == 0; i++)
        r = parse_token(&p, &s.tokens[i], legacy, legacy_on, &n_legacy);
    for (int pass = 1; pass >= 0 && r == 0; pass--)
        for (size_t i = 0; i < n_legacy; i++)
            if (legacy_on[i] == pass)
                set_feature(env->cat, g, legacy[i], pass);
    /* QEMU's named models carry VMX capabilities (the vmx-* words) that count once vmx is on;
     * the model data here does not hold them, so such a guest cannot be judged. */
    if (r == 0 && g->base == X86_GUEST_MODEL && (vmx = x86_catalog_feature(env->cat, "vmx")) &&
        x86_words_has(env->cat, &g->on, vmx))
        r = cc_error(ENOTSUP,
                     "-cpu '%s': vmx on a named model: QEMU then also asks for the model's own VMX "
                     "capabilities (its vmx-* features), which cpucompat's model data does not "
                     "record; cpucompat cannot judge it",
                     shown(&p));
    cc_cpu_string_free(&s);
    if (r < 0)
        x86_guest_free(g);
    return r;
}

void x86_guest_free(struct x86_guest *g)
{
    free(g->name);
    cc_strlist_free(&g->notes);
    *g = (struct x86_guest){0};
}

bool x86_guest_host_phys_bits(const struct x86_guest *g)
{
    /* host and max set host-phys-bits=on when KVM creates them (host_cpu_max_instance_init),
     * before the string's own properties: only an explicit host-phys-bits=off undoes it. */
    return g->host_phys_bits ||
           ((g->base == X86_GUEST_HOST || g->base == X86_GUEST_MAX) && !g->host_phys_bits_given);
}

int x86_guest_check_phys_bits(const struct x86_env *env, const struct x86_guest *g,
                              const struct x86_words *words, bool kvm)
{
    const struct x86_feature *lm = x86_catalog_feature(env->cat, "lm");
    const struct x86_cpu_tables *t = env->rules->cpu;

    if (g->phys_bits && lm && !x86_words_has(env->cat, words, lm))
        return cc_error(EINVAL,
                        "-cpu '%s': phys-bits=%u: QEMU takes phys-bits only for a 64-bit CPU "
                        "(this one has no lm)",
                        strlen(g->name) <= 120 ? g->name : "(the CPU model string)", g->phys_bits);
    /* Under KVM host-phys-bits replaces phys-bits= (with a warning) before QEMU checks it. */
    if (!g->phys_bits || (g->phys_bits >= t->phys_min && g->phys_bits <= t->phys_max) || !lm ||
        (kvm && x86_guest_host_phys_bits(g)))
        return 0;
    return cc_error(EINVAL, "-cpu '%s': phys-bits=%u: QEMU wants %u to %u",
                    strlen(g->name) <= 120 ? g->name : "(the CPU model string)", g->phys_bits,
                    t->phys_min, t->phys_max);
}

/* ---- what the guest asks of a host ---- */

int x86_guest_words(const struct x86_env *env, const struct x86_guest *g, const struct x86_host *on,
                    const char *file, struct x86_words *out)
{
    const struct x86_catalog *cat = env->cat;
    const struct x86_rules *rules = env->rules;
    const struct x86_cpu_tables *t = rules->cpu;
    /* The QEMU that starts it: the host's, else the one that read the string. */
    unsigned qemu = on->qemu ? on->qemu : g->qemu;
    struct x86_words w = {0};

    switch (g->base) {
    case X86_GUEST_MODEL:
        w = g->model->definition;
        for (size_t i = 0; i < cat->n_words; i++)
            w.w[i] = on->tcg ? (w.w[i] | t->tcg_on.w[i]) & ~t->tcg_off.w[i]
                             : (w.w[i] | rules->defaults_on.w[i]) & ~rules->defaults_off.w[i];
        break;
    case X86_GUEST_HOST:
        if (on->tcg)
            return cc_error(EINVAL, "%s: CPU model 'host' requires KVM, and this file is TCG's",
                            file);
        /* fall through */
    case X86_GUEST_MAX:
        if (g->migratable && !on->tcg) {
            x86_host_model(cat, rules, on, &w);
        } else {
            for (size_t i = 0; i < cat->n_features; i++)
                if (x86_words_has(cat, &on->supported, &cat->features[i]) &&
                    (on->kvm || !cat->features[i].paravirt))
                    x86_words_set(cat, &w, &cat->features[i], true);
        }
        break;
    case X86_GUEST_BASE:
        break;
    case X86_GUEST_LEVEL:
        w = g->level->words;
        break;
    }
    for (size_t i = 0; i < cat->n_words; i++)
        w.w[i] = (w.w[i] & ~g->off.w[i]) | g->on.w[i];
    /* QEMU drops a feature whose dependency is off, and refuses to start (enforce) when the
     * string itself asked for it. */
    for (size_t i = 0; i < cat->n_features; i++) {
        const struct x86_feature *f = &cat->features[i];

        if (!x86_words_has(cat, &g->on, f))
            continue;
        for (size_t d = 0; d < f->requires.n; d++) {
            const struct x86_feature *dep = x86_catalog_feature(cat, f->requires.items[d]);

            if (dep && x86_requires_in(f, d, qemu) && !x86_words_has(cat, &w, dep))
                return cc_error(EINVAL,
                                "-cpu '%s': %s needs %s, which is off: QEMU refuses it with "
                                "enforce",
                                strlen(g->name) <= 120 ? g->name : "(the CPU model string)",
                                f->name, dep->name);
        }
    }
    x86_apply_dependencies(cat, &w, qemu);
    if (on->tcg || !g->kvm)
        for (size_t i = 0; i < cat->n_words; i++)
            w.w[i] &= ~t->kvm_only.w[i];
    x86_enable_xsave_components(cat, rules, &w);
    x86_xsave_for_host(rules, on, &w);
    *out = w;
    return 0;
}

unsigned x86_guest_phys_bits(const struct x86_env *env, const struct x86_guest *g,
                             const struct x86_words *words, const struct x86_host *on,
                             unsigned host_phys)
{
    const struct x86_feature *lm = x86_catalog_feature(env->cat, "lm");
    const struct x86_feature *pse36 = x86_catalog_feature(env->cat, "pse36");
    bool host_bits = !on->tcg && x86_guest_host_phys_bits(g);

    /* A 32-bit CPU's width is QEMU's own (x86_cpu_realizefn): 36 bits with pse36, else 32. */
    if (lm && !x86_words_has(env->cat, words, lm))
        return pse36 && x86_words_has(env->cat, words, pse36) ? 36 : 32;
    if (host_bits && host_phys)
        return g->host_phys_bits_limit && host_phys > g->host_phys_bits_limit
                   ? g->host_phys_bits_limit
                   : host_phys;
    return g->phys_bits ? g->phys_bits : env->rules->named_phys_bits;
}

bool x86_level_usable(const struct x86_env *env, const struct x86_host *on,
                      const struct x86_level *lv, struct x86_words *unavailable)
{
    struct x86_words w = lv->words;

    x86_enable_xsave_components(env->cat, env->rules, &w);
    x86_xsave_for_host(env->rules, on, &w);
    x86_unavailable(env->cat, env->rules, on, &w, unavailable);
    return x86_words_empty(env->cat, unavailable);
}

void x86_model_words(const struct x86_env *env, const struct x86_model *m,
                     const struct x86_host *on, struct x86_words *out)
{
    const struct x86_cpu_tables *t = env->rules->cpu;

    if (!on->tcg) {
        *out = m->kvm;
        x86_xsave_for_host(env->rules, on, out);
        return;
    }
    *out = m->definition;
    for (size_t i = 0; i < env->cat->n_words; i++)
        out->w[i] = ((out->w[i] | t->tcg_on.w[i]) & ~t->tcg_off.w[i]) & ~t->kvm_only.w[i];
    x86_apply_dependencies(env->cat, out, on->qemu);
    x86_enable_xsave_components(env->cat, env->rules, out);
    x86_xsave_for_host(env->rules, on, out);
}
