/* `compare --guest FILE [SRC] DST` on arm64: a libvirt domain XML or its bare <cpu>, turned into
 * the -cpu string libvirt (9.0, 11.3) gives QEMU for it, then judged exactly as
 * `compare --model STRING` judges that string. What libvirt refuses for an aarch64 KVM guest is
 * refused here the same way (exit 2, naming the file and the token); what QEMU refuses only on
 * some hosts stays the string's blocker. The facts are data/arm64/libvirt-cpu.xml; core reads
 * the file (core/libvirt_cpu.c). */
#include "arm64.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"
#include "../../core/grow.h"
#include "../../core/libvirt_cpu.h"
#include "../../core/suggest.h"
#include "../../core/xalloc.h"
#include "../../core/xml_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lv_name {
    char *name;
    char *since; /* the libvirt release that brought it, when later than every carried one */
    bool vector_length;
};

struct arm64_libvirt_cpu {
    struct lv_name *features, *models;
    size_t n_features, n_models;
};

static void libvirt_cpu_free(void *table)
{
    struct arm64_libvirt_cpu *t = table;

    for (size_t i = 0; i < t->n_features; i++) {
        free(t->features[i].name);
        free(t->features[i].since);
    }
    for (size_t i = 0; i < t->n_models; i++) {
        free(t->models[i].name);
        free(t->models[i].since);
    }
    free(t->features);
    free(t->models);
    free(t);
}

struct reader {
    const char *file;
    struct arm64_libvirt_cpu *t;
    size_t cap_features, cap_models;
    bool root, release;
};

static int on_start(void *user, const char *el, const char *const *attrs, int line)
{
    struct reader *rd = user;
    struct arm64_libvirt_cpu *t = rd->t;
    const char *name = cc_xml_pair(attrs, "name"), *kind = cc_xml_pair(attrs, "kind");
    struct lv_name *e;

    if (!strcmp(el, "arm64-libvirt-cpu")) {
        rd->root = true;
        return 0;
    }
    if (!strcmp(el, "release") && name) {
        rd->release = true;
        return 0;
    }
    if (strcmp(el, "feature") != 0 && strcmp(el, "model") != 0)
        return 0;
    if (!name || !cc_xml_pair(attrs, "releases"))
        return cc_error(EINVAL, "%s: line %d: <%s> needs name and releases", rd->file, line, el);
    if (!strcmp(el, "feature")) {
        CC_GROW(t->features, rd->cap_features, t->n_features);
        e = &t->features[t->n_features++];
    } else {
        CC_GROW(t->models, rd->cap_models, t->n_models);
        e = &t->models[t->n_models++];
    }
    *e = (struct lv_name){.name = xstrdup(name),
                          .vector_length = kind && !strcmp(kind, "vector-length")};
    if (cc_xml_pair(attrs, "since"))
        e->since = xstrdup(cc_xml_pair(attrs, "since"));
    return 0;
}

static int load(const char *file, void *table)
{
    static const struct cc_xml_sax handler = {.start = on_start};
    struct reader rd = {.file = file, .t = table};
    int r = cc_xml_sax_file(file, &handler, &rd);

    if (r == 0 && (!rd.root || !rd.release))
        r = cc_error(EINVAL, "%s: not an arm64 libvirt <cpu> table", file);
    return r;
}

static int tables_get(struct cc_ctx *ctx, const struct arm64_libvirt_cpu **out)
{
    static const struct arm64_table_kind kind = {ARM64_TABLE_LIBVIRT_CPU, "libvirt-cpu.xml",
                                                 sizeof(struct arm64_libvirt_cpu), load,
                                                 libvirt_cpu_free};
    const void *t;
    int r = arm64_catalog_table(ctx, &kind, &t);

    *out = t;
    return r;
}

static const struct lv_name *find(const struct lv_name *v, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].name, name) == 0)
            return &v[i];
    return NULL;
}

/* The string being built and what is said along the way. */
struct build {
    struct cc_ctx *ctx;
    const struct arm64_libvirt_cpu *t;
    const struct cc_lv_cpu *c;
    char *spec;
    struct cc_strlist notes;
};

static void append(struct build *b, const char *name, const char *value)
{
    char *s = xasprintf("%s%s%s%s%s", b->spec ? b->spec : "", b->spec ? "," : "", name,
                        value ? "=" : "", value ? value : "");

    free(b->spec);
    b->spec = s;
}

/* <model> of a custom guest: libvirt passes it to -cpu as written once QEMU lists it
 * (virCPUTranslate); the parser then says what QEMU under KVM makes of it. */
static int custom_model(struct build *b)
{
    _cleanup_(cc_strlist_free) struct cc_strlist qemu = {0};
    const char *m = b->c->model;
    const struct lv_name *lm = find(b->t->models, b->t->n_models, m);
    struct cc_suggest near;
    char hint[CC_SUGGEST_MAX + 32];
    int r = arm64_qemu_models(b->ctx, &qemu);

    if (r < 0 || cc_strlist_contains(&qemu, m)) {
        append(b, m, NULL);
        return r;
    }
    if (lm)
        return cc_error(EINVAL,
                        "%s: <model>%.80s</model> is libvirt's name for a host CPU (virsh "
                        "capabilities), not a QEMU -cpu model: libvirt refuses it for a guest "
                        "(\"CPU model %.80s is not supported by hypervisor\"); an arm64 KVM "
                        "guest is host-passthrough",
                        b->c->file, m, m);
    cc_suggest_init(&near, m);
    for (size_t i = 0; i < qemu.n; i++)
        cc_suggest_add(&near, qemu.items[i]);
    for (size_t i = 0; i < b->t->n_models; i++)
        cc_suggest_add(&near, b->t->models[i].name);
    return cc_error(ENOENT, "%s: unknown CPU model '%.80s'%s", b->c->file, m,
                    cc_suggest_text(cc_suggest_best(&near), hint, sizeof(hint)));
}

static int unknown_feature(const struct build *b, const struct cc_lv_feature *f)
{
    struct cc_suggest near;
    char hint[CC_SUGGEST_MAX + 32];

    cc_suggest_init(&near, f->name);
    for (size_t i = 0; i < b->t->n_features; i++)
        cc_suggest_add(&near, b->t->features[i].name);
    return cc_error(ENOENT,
                    "%s: line %ld: unknown libvirt feature '%.80s'%s (libvirt: \"unknown "
                    "CPU feature: %.80s\")",
                    b->c->file, f->line, f->name,
                    cc_suggest_text(cc_suggest_best(&near), hint, sizeof(hint)), f->name);
}

/* The <feature> elements in document order, with qemuDomainDefCPUPostParse's SVE rule: a vector
 * length named makes sve required (added last when not named). */
static int features(struct build *b)
{
    const struct cc_lv_cpu *c = b->c;
    const struct cc_lv_feature *sve = NULL;
    bool lengths = false;
    int r = 0;

    for (size_t i = 0; i < c->n_features; i++) {
        const struct lv_name *lf = find(b->t->features, b->t->n_features, c->features[i].name);

        if (!lf)
            return unknown_feature(b, &c->features[i]);
        if (!strcmp(lf->name, "sve"))
            sve = &c->features[i];
        lengths |= lf->vector_length;
        if (lf->since)
            r = cc_strlist_addf(&b->notes,
                                "feature %s: libvirt knows it since %s; an older libvirt (Debian "
                                "12's 9.0) refuses the domain (\"unknown CPU feature\")",
                                lf->name, lf->since);
        if (r < 0)
            return r;
    }
    if (lengths && sve && (sve->policy == CC_LV_DISABLE || sve->policy == CC_LV_FORBID))
        return cc_error(EINVAL,
                        "%s: line %ld: feature sve: policy '%s' with SVE vector lengths named "
                        "(libvirt: \"SVE disabled, but SVE vector lengths provided\")",
                        c->file, sve->line, cc_lv_policy_name(sve->policy));
    for (size_t i = 0; i < c->n_features; i++) {
        const struct cc_lv_feature *f = &c->features[i];
        enum cc_lv_policy p = f == sve && lengths ? CC_LV_REQUIRE : f->policy;

        if (p == CC_LV_REQUIRE || p == CC_LV_FORCE)
            append(b, f->name, "on");
        else if (p == CC_LV_DISABLE || p == CC_LV_FORBID)
            append(b, f->name, "off");
        if (p == CC_LV_FORBID &&
            (r = cc_strlist_addf(&b->notes,
                                 "feature %s: policy forbid is %s=off on arm64: libvirt has no "
                                 "host CPU model there to check a forbidden feature against",
                                 f->name, f->name)) < 0)
            return r;
    }
    if (lengths && !sve)
        append(b, "sve", "on");
    return 0;
}

/* What the domain around the <cpu> adds to -cpu: the armvtimer's tick policy, then the PMU. */
static int domain_props(struct build *b)
{
    static const char *const onoff[] = {"on", "off", NULL};
    static const char *const ticks[] = {"delay", "catchup", "merge", "discard", NULL};
    const struct cc_lv_cpu *c = b->c;
    xmlNodePtr clock = cc_xml_child(c->domain, "clock");
    xmlNodePtr pmu = cc_xml_child(cc_xml_child(c->domain, "features"), "pmu");
    const char *v;
    int r;

    for (xmlNodePtr t = clock ? clock->children : NULL; t; t = t->next) {
        if (!cc_xml_is(t, "timer") || !cc_xml_attr(t, "name") ||
            strcmp(cc_xml_attr(t, "name"), "armvtimer") != 0)
            continue;
        if ((r = cc_lv_attr_choice(c->file, t, "present", (const char *const[]){"yes", "no", NULL},
                                   &v)) < 0)
            return r;
        if (v && !strcmp(v, "no"))
            return cc_error(EINVAL,
                            "%s: line %ld: <timer name='armvtimer' present='no'>: libvirt "
                            "refuses it (\"The 'armvtimer' timer can't be disabled\")",
                            c->file, xmlGetLineNo(t));
        if ((r = cc_lv_attr_choice(c->file, t, "tickpolicy", ticks, &v)) < 0)
            return r;
        if (v && (!strcmp(v, "delay") || !strcmp(v, "discard")))
            append(b, "kvm-no-adjvtime", !strcmp(v, "discard") ? "on" : "off");
    }
    if (pmu) {
        if ((r = cc_lv_attr_choice(c->file, pmu, "state", onoff, &v)) < 0)
            return r;
        append(b, "pmu", v ? v : "on");
    }
    return 0;
}

/* The -cpu string libvirt gives QEMU for the guest, or libvirt's refusal. */
static int build(struct build *b)
{
    const struct cc_lv_cpu *c = b->c;
    bool aarch32 = false;
    xmlNodePtr n;
    int r;

    if (c->os_arch && !strcmp(c->os_arch, "armv7l"))
        aarch32 = true;
    else if (c->os_arch && strcmp(c->os_arch, "aarch64") != 0)
        return cc_error(ENOENT,
                        "%s: the domain is an %.40s guest (<os><type arch='%.40s'>); these "
                        "files are aarch64",
                        c->file, c->os_arch, c->os_arch);
    if ((n = cc_xml_child(c->cpu, "maxphysaddr")) || (n = cc_xml_child(c->cpu, "cache")))
        return cc_error(EINVAL,
                        "%s: line %ld: <%s>: libvirt refuses it for an aarch64 guest (\"CPU %s "
                        "is not supported for 'aarch64' architecture\")",
                        c->file, xmlGetLineNo(n), (const char *)n->name,
                        cc_xml_is(n, "cache") ? "cache specification"
                                              : "maximum physical address bits specification");
    switch (c->mode) {
    case CC_LV_HOST_MODEL:
        return cc_error(ENOTSUP,
                        "%s: <cpu mode='host-model'>: libvirt has no host CPU model on arm64 "
                        "(domain capabilities: host-model supported='no') and refuses to start "
                        "it (\"CPU mode 'host-model' for aarch64 kvm domain on aarch64 host is "
                        "not supported by hypervisor\"); use host-passthrough",
                        c->file);
    case CC_LV_HOST_PASSTHROUGH:
    case CC_LV_MAXIMUM:
        if (c->mode == CC_LV_HOST_PASSTHROUGH && c->migratable && !strcmp(c->migratable, "on"))
            return cc_error(EINVAL,
                            "%s: <cpu mode='host-passthrough' migratable='on'>: libvirt refuses "
                            "it on arm64, whose QEMU has no migratable property (\"Migratable "
                            "attribute for host-passthrough CPU is not supported by this QEMU "
                            "binary\")",
                            c->file);
        append(b, c->mode == CC_LV_MAXIMUM ? "max" : "host", NULL);
        if (aarch32)
            append(b, "aarch64", "off");
        break;
    case CC_LV_CUSTOM:
        if ((r = custom_model(b)) < 0)
            return r;
        if (c->vendor && (r = cc_strlist_addf(&b->notes,
                                              "<vendor>%s</vendor>: libvirt checks no vendor of "
                                              "an arm64 guest and gives QEMU none",
                                              c->vendor)) < 0)
            return r;
        break;
    }
    if (c->vendor_id)
        append(b, "vendor", c->vendor_id);
    if ((r = features(b)) < 0)
        return r;
    return c->domain ? domain_props(b) : 0;
}

int arm64_compare_libvirt(struct cc_ctx *ctx, const struct cc_doc *src, const char *src_file,
                          const struct cc_doc *dst, const char *dst_file, const char *guest,
                          const struct cc_compare_opts *opts, struct cc_verdict *v)
{
    struct cc_lv_cpu c = {0};
    struct build b = {.ctx = ctx, .c = &c};
    struct arm64_guest g = {0};
    struct cc_compare_opts o = *opts;
    int r = cc_lv_cpu_read(guest, &c);

    if (r == 0)
        r = tables_get(ctx, &b.t);
    if (r == 0)
        r = build(&b);
    /* The parser's refusals are the string's; they name the file the string came from. */
    if (r == 0 && (r = arm64_guest_parse(ctx, b.spec, &g)) < 0)
        r = cc_error_prefix(-r, "%s", guest);
    arm64_guest_free(&g);
    if (r < 0)
        goto out;
    o.model = b.spec;
    if ((r = arm64_compare_string(ctx, src, src_file, dst, dst_file, &o, v)) < 0)
        goto out;
    for (size_t i = 0; i < b.notes.n && r == 0; i++)
        r = cc_strlist_add(&v->notes, b.notes.items[i]);
    free(v->guest);
    v->guest = xasprintf("libvirt %s of %s: -cpu %s", cc_lv_mode_name(c.mode), guest, b.spec);
out:
    free(b.spec);
    cc_strlist_free(&b.notes);
    cc_lv_cpu_free(&c);
    return r;
}
