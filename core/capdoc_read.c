#include "capdoc_io.h"
#include "cleanup.h"
#include "error.h"
#include "prop_types.h"
#include "schema.h"
#include "xalloc.h"
#include "xml_load.h"

#include <string.h>

static int read_attrs(xmlNodePtr node, struct cc_kvlist *into)
{
    for (xmlAttrPtr a = node->properties; a; a = a->next) {
        const char *v = cc_xml_attr(node, (const char *)a->name);
        int r = cc_kv_set(into, (const char *)a->name, v ? v : "");
        if (r < 0)
            return r;
    }
    return 0;
}

static int read_reported(const char *path, struct cc_view *view, xmlNodePtr rn)
{
    int r = 0;

    if (!(view->reported_by = strdup(cc_xml_attr(rn, "by"))))
        return cc_error(ENOMEM, "out of memory");
    for (xmlNodePtr m = rn->children; m && r == 0; m = m->next) {
        const char *blockers = cc_xml_attr(m, "blockers");

        if (!cc_xml_is(m, "model"))
            continue;
        r = cc_view_add_reported(view, cc_xml_attr(m, "name"), cc_xml_attr(m, "usable"),
                                 cc_xml_attr(m, "canonical"));
        if (r == 0 && blockers) {
            struct cc_reported_model *rm = &view->reported[view->n_reported - 1];
            if (!(rm->blockers = strdup(blockers)))
                r = cc_error(ENOMEM, "out of memory");
        }
    }
    return r < 0 ? cc_error_prefix(-r, "%s", path) : 0;
}

static int read_view(struct cc_ctx *ctx, const char *path, struct cc_doc *doc, xmlNodePtr vn)
{
    struct cc_view *view;
    int r = cc_doc_add_view(doc, cc_xml_attr(vn, "name"), cc_xml_attr(vn, "source"), &view);

    if (r < 0)
        return cc_error_prefix(r, "%s", path);
    for (xmlNodePtr c = vn->children; c; c = c->next) {
        if (cc_xml_is(c, "property")) {
            r = cc_kv_add(&view->props, cc_xml_attr(c, "name"), cc_xml_attr(c, "value"));
            if (r < 0)
                return cc_error_prefix(r, "%s: line %ld: property", path, xmlGetLineNo(c));
        } else if (cc_xml_is(c, "raw")) {
            r = doc->arch->raw_parse(ctx, path, c, &view->raw);
        } else if (cc_xml_is(c, "reported")) {
            r = read_reported(path, view, c);
        }
        /* <features> is for people and other tools: we always decode from the raw values, so a
         * newer catalog reads an old file correctly. */
        if (r < 0)
            return r;
    }
    return 0;
}

/* The schema compares names after collapsing white space (" kvm " is its "kvm"), while every
 * lookup here is exact: a view or property name with white space would pass the schema and then
 * be missed, taking its check with it (a destination's " phys-bits " skipped the address-size
 * check). No name in a capability file has white space. */
static int check_names(const char *path, xmlNodePtr n)
{
    for (; n; n = n->next) {
        const char *name = n->type == XML_ELEMENT_NODE ? cc_xml_attr(n, "name") : NULL;
        int r;

        if (name && name[strcspn(name, " \t\r\n")])
            return cc_error(EINVAL, "%s: line %ld: <%s name='%.60s'>: a name has no white space",
                            path, xmlGetLineNo(n), (const char *)n->name, name);
        if (n->type == XML_ELEMENT_NODE && (r = check_names(path, n->children)) < 0)
            return r;
    }
    return 0;
}

/* Before the schema, whose verdict on a bad number is a line without the property's name: each
 * property once per view, and a numeric one a number of its type (core's strict parser). */
static int check_properties(struct cc_ctx *ctx, const char *path, const char *arch, xmlNodePtr root)
{
    const struct cc_prop_types *types;
    int r = cc_schema_prop_types(ctx, &types);

    size_t views = 0;

    for (xmlNodePtr vn = root->children; vn && r == 0; vn = vn->next) {
        struct cc_kvlist seen = {0};
        const char *view = cc_xml_is(vn, "view") ? cc_xml_attr(vn, "name") : NULL;

        /* libxml2's RelaxNG takes quadratic time over repeated elements: bound them first. */
        if (cc_xml_is(vn, "view") && ++views > CC_MAX_VIEWS)
            r = cc_error(EINVAL, "%s: line %ld: more than %d views", path, xmlGetLineNo(vn),
                         CC_MAX_VIEWS);
        for (xmlNodePtr c = view ? vn->children : NULL; c && r == 0; c = c->next) {
            const char *name = cc_xml_is(c, "property") ? cc_xml_attr(c, "name") : NULL;
            const char *value = name ? cc_xml_attr(c, "value") : NULL;
            char why[160];

            if (!value)
                continue; /* the schema says what is wrong */
            if (seen.n == CC_MAX_PROPERTIES) {
                r = cc_error(EINVAL, "%s: line %ld: more than %d properties in the %s view", path,
                             xmlGetLineNo(c), CC_MAX_PROPERTIES, view);
                break;
            }
            r = cc_kv_add(&seen, name, "");
            if (r == -EEXIST)
                r = cc_error(EINVAL, "%s: line %ld: property '%s' given twice in the %s view", path,
                             xmlGetLineNo(c), name, view);
            else if (r == 0 && cc_prop_types_check(types, arch, name, value, why, sizeof(why)) < 0)
                r = cc_error(EINVAL, "%s: line %ld: property '%s' of the %s view: %s", path,
                             xmlGetLineNo(c), name, view, why);
        }
        cc_kv_free(&seen);
    }
    return r;
}

int cc_doc_check(struct cc_ctx *ctx, const char *path, xmlDocPtr xdoc,
                 const struct cc_arch_ops **arch_out)
{
    xmlNodePtr root = xmlDocGetRootElement(xdoc);
    const char *format, *arch_name;
    const struct cc_arch_ops *arch;
    int r;

    if (!root || !cc_xml_is(root, "capabilities"))
        return cc_error(EINVAL, "%s: not a cpucompat capability file (root element <%s>)", path,
                        root ? (const char *)root->name : "none");
    format = cc_xml_attr(root, "format");
    if (!format)
        return cc_error(EINVAL, "%s: no format version (attribute 'format' of <capabilities>)",
                        path);
    if (strcmp(format, "1") != 0)
        return cc_error(EPROTO,
                        "%s: format version '%s' is not supported (this cpucompat reads %d)", path,
                        format, CC_FORMAT_VERSION);
    arch_name = cc_xml_attr(root, "arch");
    if (!arch_name)
        return cc_error(EINVAL, "%s: no architecture (attribute 'arch' of <capabilities>)", path);
    arch = cc_arch_find(arch_name);
    if (!arch)
        return cc_error(ENOTSUP, "%s: architecture '%s' is not supported by this cpucompat", path,
                        arch_name);
    if (strcmp(arch->name, arch_name) != 0)
        return cc_error(EINVAL, "%s: architecture must be written '%s', not '%s'", path, arch->name,
                        arch_name);
    r = check_names(path, root);
    if (r == 0)
        r = check_properties(ctx, path, arch->name, root);
    if (r == 0)
        r = cc_schema_validate(ctx, path, xdoc);
    if (r < 0)
        return r;
    *arch_out = arch;
    return 0;
}

int cc_doc_decode(struct cc_ctx *ctx, const char *path, xmlDocPtr xdoc,
                  const struct cc_arch_ops *arch, struct cc_doc **out)
{
    _cleanup_doc_ struct cc_doc *doc = cc_doc_new(arch);
    int r = 0;

    for (xmlNodePtr c = xmlDocGetRootElement(xdoc)->children; c; c = c->next) {
        if (cc_xml_is(c, "tool")) {
            free(doc->tool_version);
            doc->tool_version = xstrdup(cc_xml_attr(c, "version"));
        } else if (cc_xml_is(c, "origin")) {
            r = read_attrs(c, &doc->origin);
        } else if (cc_xml_is(c, "identity")) {
            for (xmlNodePtr f = c->children; f && r == 0; f = f->next) {
                if (f->type != XML_ELEMENT_NODE)
                    continue;
                xmlChar *text = xmlNodeGetContent(f);
                r = cc_kv_set(&doc->identity, (const char *)f->name,
                              text ? (const char *)text : "");
                xmlFree(text);
            }
        } else if (cc_xml_is(c, "view")) {
            r = read_view(ctx, path, doc, c);
        }
        if (r < 0)
            return r;
    }
    *out = cc_steal(&doc);
    return 0;
}

static int read_tree(struct cc_ctx *ctx, const char *path, xmlDocPtr xdoc, struct cc_doc **out)
{
    const struct cc_arch_ops *arch;
    int r = cc_doc_check(ctx, path, xdoc, &arch);

    return r < 0 ? r : cc_doc_decode(ctx, path, xdoc, arch, out);
}

int cc_doc_parse(struct cc_ctx *ctx, const char *path, const char *data, size_t len,
                 struct cc_doc **out)
{
    _cleanup_xmldoc_ xmlDocPtr xdoc = NULL;
    int r = cc_xml_parse(path, data, len, &xdoc);

    if (r < 0 || (r = read_tree(ctx, path, xdoc, out)) < 0)
        return r;
    ctx->answer_arch = (*out)->arch;
    return 0;
}

int cc_doc_read(struct cc_ctx *ctx, const char *path, struct cc_doc **out)
{
    _cleanup_xmldoc_ xmlDocPtr xdoc = NULL;
    int r = cc_xml_load(path, &xdoc);

    if (r < 0 || (r = read_tree(ctx, path, xdoc, out)) < 0)
        return r;
    ctx->answer_arch = (*out)->arch;
    return 0;
}
