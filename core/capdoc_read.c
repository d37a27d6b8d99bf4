#include "capdoc_io.h"
#include "cleanup.h"
#include "error.h"
#include "schema.h"
#include "xml_load.h"

#include <string.h>

static bool is(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

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

        if (!is(m, "model"))
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
        if (is(c, "property")) {
            r = cc_kv_set(&view->props, cc_xml_attr(c, "name"), cc_xml_attr(c, "value"));
        } else if (is(c, "raw")) {
            r = doc->arch->raw_parse(ctx, path, c, &view->raw);
        } else if (is(c, "reported")) {
            r = read_reported(path, view, c);
        }
        /* <features> is for people and other tools: we always decode from the raw values, so a
         * newer catalog reads an old file correctly. */
        if (r < 0)
            return r;
    }
    return 0;
}

static int read_tree(struct cc_ctx *ctx, const char *path, xmlDocPtr xdoc, struct cc_doc **out)
{
    _cleanup_doc_ struct cc_doc *doc = NULL;
    xmlNodePtr root = xmlDocGetRootElement(xdoc);
    const char *format, *arch_name;
    const struct cc_arch_ops *arch;
    int r;

    if (!root || !is(root, "capabilities"))
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
    r = cc_schema_validate(ctx, path, xdoc);
    if (r < 0)
        return r;

    doc = cc_doc_new(arch);
    if (!doc)
        return cc_error(ENOMEM, "out of memory");
    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (is(c, "tool")) {
            free(doc->tool_version);
            doc->tool_version = strdup(cc_xml_attr(c, "version"));
            if (!doc->tool_version)
                return cc_error(ENOMEM, "out of memory");
        } else if (is(c, "origin")) {
            r = read_attrs(c, &doc->origin);
        } else if (is(c, "identity")) {
            for (xmlNodePtr f = c->children; f && r == 0; f = f->next) {
                if (f->type != XML_ELEMENT_NODE)
                    continue;
                xmlChar *text = xmlNodeGetContent(f);
                r = cc_kv_set(&doc->identity, (const char *)f->name,
                              text ? (const char *)text : "");
                xmlFree(text);
            }
        } else if (is(c, "view")) {
            r = read_view(ctx, path, doc, c);
        }
        if (r < 0)
            return r;
    }
    *out = cc_steal(&doc);
    return 0;
}

int cc_doc_read(struct cc_ctx *ctx, const char *path, struct cc_doc **out)
{
    _cleanup_xmldoc_ xmlDocPtr xdoc = NULL;
    int r = cc_xml_load(path, &xdoc);

    if (r < 0)
        return r;
    return read_tree(ctx, path, xdoc, out);
}
