/* Imports of what a host's QEMU said about its CPU under KVM: libvirt's QEMU capabilities cache
 * (<hostCPU type='kvm'> of /var/cache/libvirt/qemu/capabilities/ files) and the QMP reply of
 * query-cpu-model-expansion (libvirt's tests/cputestdata/x86_64-cpuid-*.json). Both hand the
 * property list to x86_import_qemu_expansion. */
#include "x86.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"
#include "../../core/json_read.h"
#include "../../core/number.h"
#include "../../core/xml_load.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *text_of(xmlNodePtr n, char *buf, size_t len)
{
    xmlChar *t = xmlNodeGetContent(n);

    snprintf(buf, len, "%s", t ? (const char *)t : "");
    xmlFree(t);
    return buf;
}

/* libvirt writes QEMU's version as major * 1000000 + minor * 1000 + micro. */
static int caps_version(const char *path, const char *text, char *out, size_t len)
{
    char *end;
    unsigned long v = strtoul(text, &end, 10);

    if (end == text || *end || v < 1000000 || v > 999999999)
        return cc_error(EINVAL, "%s: <version> '%.20s' is not libvirt's QEMU version number", path,
                        text);
    snprintf(out, len, "%lu.%lu.%lu", v / 1000000, v / 1000 % 1000, v % 1000);
    return 0;
}

/* QEMU's answer for every named model under KVM (query-cpu-definitions, as libvirt cached
 * it), kept for show to print beside cpucompat's. */
static int caps_answers(const char *path, xmlNodePtr root, const char *version,
                        struct cc_view *view)
{
    int r = 0;

    if (asprintf(&view->reported_by, "QEMU %s under KVM", version) < 0) {
        view->reported_by = NULL;
        return cc_error(ENOMEM, "out of memory");
    }
    for (xmlNodePtr c = root->children; c && r == 0; c = c->next) {
        const char *name = cc_xml_is(c, "cpu") ? cc_xml_attr(c, "name") : NULL;
        const char *usable = name ? cc_xml_attr(c, "usable") : NULL;
        struct cc_strlist blockers = {0};

        if (!name || strcmp(cc_xml_attr(c, "type") ?: "", "kvm") != 0)
            continue;
        if (!name[0] || strlen(name) > 256 || !usable ||
            (strcmp(usable, "yes") && strcmp(usable, "no")))
            return cc_error(EINVAL, "%s: line %ld: <cpu> needs a name and usable='yes|no'", path,
                            xmlGetLineNo(c));
        for (xmlNodePtr b = c->children; b && r == 0; b = b->next)
            if (cc_xml_is(b, "blocker"))
                r = cc_xml_attr(b, "name") ? cc_strlist_add(&blockers, cc_xml_attr(b, "name"))
                                           : cc_error(EINVAL,
                                                      "%s: line %ld: <blocker> without "
                                                      "name",
                                                      path, xmlGetLineNo(b));
        if (r == 0)
            r = cc_view_add_reported(view, name, usable, NULL);
        if (r == 0 && blockers.n)
            r = cc_reported_set_blockers(cc_view_reported(view, name), &blockers);
        cc_strlist_free(&blockers);
        if (r < 0)
            r = cc_error_prefix(r, "%s", path);
    }
    return r;
}

int x86_import_qemucaps(struct cc_ctx *ctx, const char *path, struct cc_doc *doc)
{
    struct cc_view *view = NULL;
    _cleanup_xmldoc_ xmlDocPtr xdoc = NULL;
    xmlNodePtr root, host = NULL;
    char arch[32] = "", version[32] = "", micro[32] = "", buf[64];
    struct x86_raw *raw;
    bool have_micro = false;
    int r = cc_xml_load(path, &xdoc);

    if (r < 0)
        return r;
    root = xmlDocGetRootElement(xdoc);
    if (!root || strcmp((const char *)root->name, "qemuCaps") != 0)
        return cc_error(EINVAL,
                        "%s: not a libvirt QEMU capabilities cache (root <%s>, want "
                        "<qemuCaps>)",
                        path, root ? (const char *)root->name : "none");
    for (xmlNodePtr c = root->children; c && r == 0; c = c->next) {
        if (cc_xml_is(c, "arch"))
            text_of(c, arch, sizeof(arch));
        else if (cc_xml_is(c, "version"))
            r = caps_version(path, text_of(c, buf, sizeof(buf)), version, sizeof(version));
        else if (cc_xml_is(c, "microcodeVersion")) {
            uint64_t m = 0;

            text_of(c, buf, sizeof(buf));
            if (cc_parse_decimal(buf, 0, UINT32_MAX, &m) < 0)
                r = cc_error(EINVAL, "%s: <microcodeVersion> '%.20s' is not a number", path, buf);
            snprintf(micro, sizeof(micro), "0x%" PRIx64, m);
            have_micro = m != 0;
        } else if (cc_xml_is(c, "hostCPU") && !host && cc_xml_attr(c, "type") &&
                   strcmp(cc_xml_attr(c, "type"), "kvm") == 0)
            host = c;
    }
    if (r < 0)
        return r;
    if (strcmp(arch, "x86_64") != 0)
        return cc_error(ENOTSUP,
                        "%s: a cache of the %s QEMU; this import reads x86_64 caches only (the "
                        "host-model expansion of %s is not mapped)",
                        path, arch[0] ? arch : "(no <arch>)", arch[0] ? arch : "it");
    if (!host)
        return cc_error(EINVAL, "%s: no <hostCPU type='kvm'>: this QEMU was not probed under KVM",
                        path);
    raw = x86_raw_new();
    if (!raw)
        return cc_error(ENOMEM, "out of memory");
    for (xmlNodePtr p = host->children; p && r == 0; p = p->next) {
        const char *name, *type, *value, *mig;

        if (p->type != XML_ELEMENT_NODE)
            continue;
        if (!cc_xml_is(p, "property")) {
            r = cc_error(EINVAL, "%s: line %ld: unexpected <%s> in <hostCPU>", path,
                         xmlGetLineNo(p), (const char *)p->name);
            break;
        }
        name = cc_xml_attr(p, "name");
        type = cc_xml_attr(p, "type");
        value = cc_xml_attr(p, "value");
        mig = cc_xml_attr(p, "migratable");
        if (!name || !type || !value || !name[0] || strlen(name) > 256 || strlen(value) > 256)
            r = cc_error(EINVAL, "%s: line %ld: <property> needs name, type and value", path,
                         xmlGetLineNo(p));
        else if (x86_raw_qprop(raw, name))
            r = cc_error(EINVAL, "%s: line %ld: property '%s' given twice", path, xmlGetLineNo(p),
                         name);
        else
            r = x86_raw_add_qprop(raw, name, type, value, !mig || strcmp(mig, "no") != 0);
        if (r < 0)
            r = cc_error_prefix(r, "%s", path);
    }
    if (r < 0) {
        x86_raw_free(raw);
        return r;
    }
    r = x86_import_qemu_expansion(ctx, path, "libvirt-qemucaps", raw, version,
                                  have_micro ? micro : NULL, doc, &view);
    return r < 0 ? r : caps_answers(path, root, version, view);
}

/* ---- QMP ---- */

static int json_prop(const char *path, const char *name, const struct cc_jval *v,
                     struct x86_raw *raw)
{
    if (x86_raw_qprop(raw, name))
        return cc_error(EINVAL, "%s: property '%s' given twice", path, name);
    if (strlen(name) == 0 || strlen(name) > 256)
        return cc_error(EINVAL, "%s: a property name of %zu bytes", path, strlen(name));
    switch (v->type) {
    case CC_JBOOL:
        return x86_raw_add_qprop(raw, name, "boolean", v->b ? "true" : "false", true);
    case CC_JNUMBER: {
        int64_t x;
        uint64_t u;

        /* QEMU's uint64 properties go past INT64_MAX: lbr-fmt's "unset" is ~0x3f. */
        if (cc_jval_int(v, INT64_MIN, INT64_MAX, &x) < 0 &&
            cc_parse_decimal(v->str, 0, UINT64_MAX, &u) < 0)
            return cc_error(EINVAL, "%s: property '%s': %.40s is not an integer", path, name,
                            v->str);
        return x86_raw_add_qprop(raw, name, "number", v->str, true);
    }
    case CC_JSTRING:
        if (strlen(v->str) > 256)
            return cc_error(EINVAL, "%s: property '%s': a string of %zu bytes", path, name,
                            strlen(v->str));
        return x86_raw_add_qprop(raw, name, "string", v->str, true);
    default:
        return cc_error(EINVAL,
                        "%s: property '%s' has a value of type %s (want boolean, number "
                        "or string)",
                        path, name, cc_jtype_name(v->type));
    }
}

/* A name the capability file can hold as an attribute and read back unchanged. */
static bool printable(const char *s)
{
    size_t n = strlen(s);

    for (const unsigned char *c = (const unsigned char *)s; *c; c++)
        if (*c <= 0x20 || *c == 0x7f)
            return false;
    return n > 0 && n <= 256;
}

/* The unavailable-features of a query-cpu-definitions reply, kept for show. */
static int qmp_answers(const char *path, const struct cc_jval *defs, struct cc_view *view)
{
    int r = 0;

    view->reported_by = strdup("QEMU query-cpu-definitions");
    if (!view->reported_by)
        return cc_error(ENOMEM, "out of memory");
    for (size_t i = 0; i < defs->n && r == 0; i++) {
        const struct cc_jval *name = cc_jval_get(&defs->items[i], "name");
        const struct cc_jval *un = cc_jval_get(&defs->items[i], "unavailable-features");
        struct cc_strlist blockers = {0};

        if (!name || name->type != CC_JSTRING || !printable(name->str) || !un ||
            un->type != CC_JARRAY)
            return cc_error(EINVAL,
                            "%s: query-cpu-definitions entry %zu lacks a name or "
                            "unavailable-features",
                            path, i + 1);
        /* QEMU reports a missing bit it has no name for as "": there is nothing to keep. */
        for (size_t k = 0; k < un->n && r == 0; k++)
            r = un->items[k].type == CC_JSTRING && !un->items[k].str[0] ? 0
                : un->items[k].type == CC_JSTRING && printable(un->items[k].str)
                    ? cc_strlist_add(&blockers, un->items[k].str)
                    : cc_error(EINVAL, "%s: %s: an unavailable feature that is not a name", path,
                               name->str);
        if (r == 0)
            r = cc_view_add_reported(view, name->str, blockers.n ? "no" : "yes", NULL);
        if (r == 0 && blockers.n)
            r = cc_reported_set_blockers(cc_view_reported(view, name->str), &blockers);
        cc_strlist_free(&blockers);
        if (r < 0 && strncmp(cc_error_message(), path, strlen(path)) != 0)
            r = cc_error_prefix(r, "%s", path);
    }
    return r;
}

int x86_import_qmp_expansion(struct cc_ctx *ctx, const char *path, struct cc_doc *doc)
{
    struct cc_jdocs d = {0};
    const struct cc_jval *props = NULL, *defs = NULL;
    struct cc_view *view = NULL;
    struct x86_raw *raw;
    int r = cc_json_read_file(path, &d);

    if (r < 0)
        return r;
    /* The first reply that holds a model expansion; others (query-cpu-definitions, QMP
     * greetings, events) are read, checked as JSON, and left. */
    for (size_t i = 0; i < d.n && r == 0; i++) {
        const struct cc_jval *ret = cc_jval_get(&d.docs[i], "return");
        const struct cc_jval *model = props ? NULL : cc_jval_get(ret, "model");

        /* query-cpu-definitions: an array of objects that have unavailable-features. */
        if (!defs && ret && ret->type == CC_JARRAY && ret->n &&
            cc_jval_get(&ret->items[0], "unavailable-features"))
            defs = ret;
        if (cc_jval_get(&d.docs[i], "error"))
            r = cc_error(EINVAL, "%s: document %zu is a QMP error reply", path, i + 1);
        if (model)
            props = cc_jval_get(model, "props");
        if (model && (!props || props->type != CC_JOBJECT)) {
            r = cc_error(EINVAL, "%s: document %zu: a model without a \"props\" object", path,
                         i + 1);
            break;
        }
    }
    if (r == 0 && !props)
        r = cc_error(EINVAL,
                     "%s: no reply of query-cpu-model-expansion (\"return\": {\"model\": "
                     "{\"props\": ...}})",
                     path);
    if (r < 0) {
        cc_jdocs_free(&d);
        return r;
    }
    raw = x86_raw_new();
    if (!raw)
        r = cc_error(ENOMEM, "out of memory");
    for (size_t i = 0; raw && i < props->n && r == 0; i++)
        if ((r = json_prop(path, props->keys[i], &props->items[i], raw)) < 0 &&
            strncmp(cc_error_message(), path, strlen(path)) != 0)
            r = cc_error_prefix(r, "%s", path);
    if (r < 0) {
        x86_raw_free(raw);
        cc_jdocs_free(&d);
        return r;
    }
    r = x86_import_qemu_expansion(ctx, path, "qemu-expansion", raw, NULL, NULL, doc, &view);
    if (r == 0 && defs)
        r = qmp_answers(path, defs, view);
    cc_jdocs_free(&d);
    return r;
}
