/* Reading a libvirt guest <cpu> (libvirt_cpu.h): the parts libvirt's own parser
 * (virCPUDefParseXML, virDomainDefParse) reads alike on every architecture. */
#include "libvirt_cpu.h"
#include "cleanup.h"
#include "error.h"
#include "number.h"
#include "xml_load.h"

#include <stdlib.h>
#include <string.h>

static const char *const mode_names[] = {"custom", "host-model", "host-passthrough", "maximum",
                                         NULL};
static const char *const policy_names[] = {"",        "require", "force", "optional",
                                           "disable", "forbid",  NULL};

const char *cc_lv_mode_name(enum cc_lv_mode mode)
{
    return mode_names[mode];
}

const char *cc_lv_policy_name(enum cc_lv_policy policy)
{
    return policy_names[policy];
}

/* Whether s can stand in a one-line message: no control characters (XML lets "&#10;" put a line
 * break even in an attribute). */
static bool printable(const char *s)
{
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return false;
    return true;
}

int cc_lv_attr_choice(const char *file, xmlNodePtr n, const char *attr, const char *const *choices,
                      const char **out)
{
    const char *s = cc_xml_attr(n, attr);

    *out = NULL;
    if (!s)
        return 0;
    for (size_t i = 0; choices[i]; i++)
        if (strcmp(s, choices[i]) == 0) {
            *out = choices[i];
            return 0;
        }
    return cc_error(EINVAL, "%s: line %ld: <%s %s='%.80s'> is not one libvirt knows", file,
                    xmlGetLineNo(n), (const char *)n->name, attr, printable(s) ? s : "?");
}

int cc_lv_attr_uint(const char *file, xmlNodePtr n, const char *attr, unsigned max, unsigned *out)
{
    const char *s = cc_xml_attr(n, attr);
    uint64_t v;

    if (!s)
        return 0;
    if (cc_parse_decimal(s, 0, max, &v) < 0)
        return cc_error(EINVAL, "%s: line %ld: <%s %s='%.80s'>: want a number up to %u", file,
                        xmlGetLineNo(n), (const char *)n->name, attr, printable(s) ? s : "?", max);
    *out = (unsigned)v;
    return 0;
}

/* A name as libvirt writes one: no control characters (a line break would split the one-line
 * error that names it). */
static int check_name(const char *file, xmlNodePtr n, const char *s)
{
    if (!printable(s))
        return cc_error(EINVAL, "%s: line %ld: <%s> has a control character in its name", file,
                        xmlGetLineNo(n), (const char *)n->name);
    return 0;
}

/* The element's text, or an error when it is there without one; absent gives NULL. */
static int named(const char *file, xmlNodePtr n, const char **out)
{
    *out = NULL;
    if (!n)
        return 0;
    if (!(*out = cc_xml_text(n)) || !**out)
        return cc_error(EINVAL, "%s: line %ld: <%s> without a name", file, xmlGetLineNo(n),
                        (const char *)n->name);
    return check_name(file, n, *out);
}

static int read_attrs(struct cc_lv_cpu *c)
{
    static const char *const matches[] = {"minimum", "exact", "strict", NULL};
    static const char *const checks[] = {"none", "partial", "full", NULL};
    static const char *const onoff[] = {"on", "off", NULL};
    static const char *const fallbacks[] = {"allow", "forbid", NULL};
    const char *mode;
    xmlNodePtr n;
    int r = cc_lv_attr_choice(c->file, c->cpu, "mode", mode_names, &mode);

    if (r == 0)
        r = cc_lv_attr_choice(c->file, c->cpu, "match", matches, &c->match);
    if (r == 0)
        r = cc_lv_attr_choice(c->file, c->cpu, "check", checks, &c->check);
    if (r == 0)
        r = cc_lv_attr_choice(c->file, c->cpu, "migratable", onoff, &c->migratable);
    if (r < 0)
        return r;
    for (size_t i = 0; mode && mode_names[i]; i++)
        if (mode == mode_names[i])
            c->mode = (enum cc_lv_mode)i;
    if (c->migratable && c->mode != CC_LV_HOST_PASSTHROUGH && c->mode != CC_LV_MAXIMUM)
        return cc_error(EINVAL,
                        "%s: <cpu migratable='%s'>: libvirt allows it only for host-passthrough "
                        "and maximum",
                        c->file, c->migratable);
    if ((r = named(c->file, cc_xml_child(c->cpu, "arch"), &c->arch)) < 0 ||
        (r = named(c->file, cc_xml_child(c->cpu, "vendor"), &c->vendor)) < 0)
        return r;
    if ((n = cc_xml_child(c->cpu, "model"))) {
        if ((r = cc_lv_attr_choice(c->file, n, "fallback", fallbacks, &c->fallback)) < 0)
            return r;
        c->vendor_id = cc_xml_attr(n, "vendor_id");
        if (c->vendor_id && (r = check_name(c->file, n, c->vendor_id)) < 0)
            return r;
        c->model = cc_xml_text(n);
        if (c->model && !*c->model)
            c->model = NULL; /* host-model's <model fallback=.../> names none */
        if (c->model && (r = check_name(c->file, n, c->model)) < 0)
            return r;
        if (!c->model && c->mode == CC_LV_CUSTOM)
            return cc_error(EINVAL, "%s: line %ld: <model> without a name", c->file,
                            xmlGetLineNo(n));
    }
    /* libvirt then starts QEMU without -cpu: the machine's default model, a guest no file
     * defines. */
    if (!c->model && c->mode == CC_LV_CUSTOM)
        return cc_error(EINVAL,
                        "%s: the <cpu> names no model: the guest runs QEMU's default model; "
                        "judge it with --model",
                        c->file);
    return 0;
}

static int read_features(struct cc_lv_cpu *c)
{
    int r;

    for (xmlNodePtr n = c->cpu->children; n; n = n->next)
        if (cc_xml_is(n, "feature") && ++c->n_features > CC_LV_MAX_FEATURES)
            return cc_error(E2BIG, "%s: more than %d <feature> elements", c->file,
                            CC_LV_MAX_FEATURES);
    if (c->n_features && !(c->features = calloc(c->n_features, sizeof(*c->features))))
        return cc_error(ENOMEM, "out of memory");
    c->n_features = 0;
    for (xmlNodePtr n = c->cpu->children; n; n = n->next) {
        struct cc_lv_feature *f;
        const char *pol;

        /* features is NULL when there are none: no pointer into it before a <feature>. */
        if (!cc_xml_is(n, "feature"))
            continue;
        f = &c->features[c->n_features];
        *f = (struct cc_lv_feature){.policy = CC_LV_REQUIRE, .line = xmlGetLineNo(n)};
        if (!(f->name = cc_xml_attr(n, "name")) || !*f->name)
            return cc_error(EINVAL, "%s: line %ld: <feature> without a name", c->file, f->line);
        if ((r = check_name(c->file, n, f->name)) < 0)
            return r;
        if ((pol = cc_xml_attr(n, "policy"))) {
            f->policy = CC_LV_POLICY_NONE;
            for (int i = CC_LV_REQUIRE; i <= CC_LV_FORBID; i++)
                if (strcmp(pol, policy_names[i]) == 0)
                    f->policy = (enum cc_lv_policy)i;
            if (f->policy == CC_LV_POLICY_NONE)
                return cc_error(EINVAL,
                                "%s: line %ld: feature %.80s: unknown policy '%.80s' (want force, "
                                "require, optional, disable or forbid)",
                                c->file, f->line, f->name, printable(pol) ? pol : "?");
        }
        /* virCPUDefAddFeature: "CPU feature '%s' specified more than once" */
        for (size_t i = 0; i < c->n_features; i++)
            if (strcmp(c->features[i].name, f->name) == 0)
                return cc_error(EINVAL, "%s: line %ld: feature %.80s given twice", c->file, f->line,
                                f->name);
        c->n_features++;
    }
    return 0;
}

int cc_lv_cpu_read(const char *file, struct cc_lv_cpu *c)
{
    _cleanup_free_ char *data = NULL;
    xmlNodePtr root;
    size_t len;
    int r;

    *c = (struct cc_lv_cpu){.file = file};
    if ((r = cc_read_file(file, CC_LV_MAX_BYTES, &data, &len)) < 0 ||
        (r = cc_xml_parse(file, data, len, &c->xdoc)) < 0)
        return r;
    root = xmlDocGetRootElement(c->xdoc);
    if (!root || (!cc_xml_is(root, "domain") && !cc_xml_is(root, "cpu")))
        return cc_error(EINVAL, "%s: not a libvirt domain or <cpu> (root element <%.40s>)", file,
                        root ? (const char *)root->name : "none");
    c->cpu = root;
    if (cc_xml_is(root, "domain")) {
        const char *type = cc_xml_attr(root, "type");
        xmlNodePtr os_type = cc_xml_child(cc_xml_child(root, "os"), "type");

        if (type && strcmp(type, "kvm") != 0)
            return cc_error(ENOTSUP, "%s: domain type '%.40s': only kvm guests are judged", file,
                            printable(type) ? type : "?");
        c->domain = root;
        c->os_arch = os_type ? cc_xml_attr(os_type, "arch") : NULL;
        if (c->os_arch && (r = check_name(file, os_type, c->os_arch)) < 0)
            return r;
        if (!(c->cpu = cc_xml_child(root, "cpu")))
            return cc_error(EINVAL,
                            "%s: the domain has no <cpu>: it runs QEMU's default model; "
                            "judge it with --model",
                            file);
    }
    if ((r = read_attrs(c)) < 0)
        return r;
    return read_features(c);
}

void cc_lv_cpu_free(struct cc_lv_cpu *c)
{
    free(c->features);
    if (c->xdoc)
        xmlFreeDoc(c->xdoc);
    *c = (struct cc_lv_cpu){0};
}
