#include "prop_types.h"
#include "error.h"
#include "grow.h"
#include "number.h"
#include "xml_load.h"

#include <libxml/xmlregexp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { KIND_DECIMAL, KIND_HEX, KIND_TEXT };

struct prop_type {
    char *arch;
    char *name; /* the exact name, or NULL when name_re decides */
    xmlRegexpPtr name_re;
    char *prefix; /* the name pattern's literal start: a cheap test before the regexp */
    enum kind kind;
    uint64_t min, max;
    xmlRegexpPtr value_re; /* the value's pattern, or NULL */
    char *value_pattern;
};

struct cc_prop_types {
    struct prop_type *items;
    size_t n, cap;
};

static xmlNodePtr child(xmlNodePtr n, const char *name, const char *attr_name)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (!cc_xml_is(c, name))
            continue;
        if (!attr_name)
            return c;
        xmlChar *v = xmlGetProp(c, (const xmlChar *)"name");
        bool match = v && strcmp((const char *)v, attr_name) == 0;

        xmlFree(v);
        if (match)
            return c;
    }
    return NULL;
}

/* The text of <param name="NAME"> of a <data>, or NULL (the caller frees). */
static char *param(xmlNodePtr data, const char *name)
{
    xmlNodePtr p = child(data, "param", name);

    return p ? (char *)xmlNodeGetContent(p) : NULL;
}

/* XML Schema's integer types: their ranges before any facet narrows them. */
static bool integer_type(const char *type, uint64_t *min, uint64_t *max)
{
    static const struct {
        const char *name;
        uint64_t min, max;
    } types[] = {
        {"unsignedByte", 0, UINT8_MAX},        {"unsignedShort", 0, UINT16_MAX},
        {"unsignedInt", 0, UINT32_MAX},        {"unsignedLong", 0, UINT64_MAX},
        {"nonNegativeInteger", 0, UINT64_MAX}, {"positiveInteger", 1, UINT64_MAX},
    };

    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        if (strcmp(type, types[i].name) == 0) {
            *min = types[i].min;
            *max = types[i].max;
            return true;
        }
    }
    return false;
}

static void type_clear(struct prop_type *t)
{
    free(t->arch);
    xmlFree(t->name);
    if (t->name_re)
        xmlRegFreeRegexp(t->name_re);
    free(t->prefix);
    if (t->value_re)
        xmlRegFreeRegexp(t->value_re);
    xmlFree(t->value_pattern);
}

static int facet(const char *path, const char *prop, xmlNodePtr data, const char *name, uint64_t *v)
{
    char *s = param(data, name);
    int r = 0;

    if (s && cc_parse_decimal(s, 0, UINT64_MAX, v) < 0)
        r = cc_error(EINVAL, "%s: property %s: %s '%s' is not a number", path, prop, name, s);
    xmlFree(s);
    return r;
}

/* One <group> of an ARCH-property choice: attribute name (a value, or a data pattern) and
 * attribute value (a data type). Groups whose name is anything else (an <except>) are the
 * untyped rest. */
static int load_group(struct cc_prop_types *types, const char *path, const char *arch,
                      xmlNodePtr group)
{
    xmlNodePtr an = child(group, "attribute", "name"), av = child(group, "attribute", "value");
    xmlNodePtr nv = an ? child(an, "value", NULL) : NULL, nd = an ? child(an, "data", NULL) : NULL;
    xmlNodePtr data = av ? child(av, "data", NULL) : NULL;
    struct prop_type t = {0};
    char *type = NULL, *name_pattern = NULL;
    int r = 0;

    if (!an || !data || (nd && child(nd, "except", NULL)))
        return 0;
    t.arch = strdup(arch);
    if (!t.arch)
        return cc_error(ENOMEM, "out of memory");
    if (nv) {
        t.name = (char *)xmlNodeGetContent(nv);
    } else if (nd && (name_pattern = param(nd, "pattern"))) {
        size_t lit = strcspn(name_pattern, ".[]()*+?{}|\\^$");

        t.name_re = xmlRegexpCompile((const xmlChar *)name_pattern);
        t.prefix = strndup(name_pattern, lit);
    }
    type = (char *)xmlGetProp(data, (const xmlChar *)"type");
    t.value_pattern = param(data, "pattern");
    if (t.value_pattern)
        t.value_re = xmlRegexpCompile((const xmlChar *)t.value_pattern);
    if ((!t.name && !t.name_re) || !type || (t.value_pattern && !t.value_re) ||
        (name_pattern && !t.prefix))
        r = cc_error(EINVAL, "%s: a typed property group of %s-property that cpucompat cannot read",
                     path, arch);
    else if (integer_type(type, &t.min, &t.max))
        t.kind = KIND_DECIMAL;
    else if (t.value_pattern && strncmp(t.value_pattern, "0x", 2) == 0)
        t.kind = KIND_HEX, t.min = 0, t.max = UINT64_MAX;
    else
        t.kind = KIND_TEXT;
    if (r == 0)
        r = facet(path, t.name ? t.name : name_pattern, data, "minInclusive", &t.min);
    if (r == 0)
        r = facet(path, t.name ? t.name : name_pattern, data, "maxInclusive", &t.max);
    if (r == 0)
        r = CC_GROW(types->items, types->cap, types->n);
    xmlFree(type);
    xmlFree(name_pattern);
    if (r < 0) {
        type_clear(&t);
        return r;
    }
    types->items[types->n++] = t;
    return 0;
}

int cc_prop_types_load(xmlDocPtr schema, const char *schema_path, struct cc_prop_types **out)
{
    struct cc_prop_types *types = calloc(1, sizeof(*types));
    xmlNodePtr root = xmlDocGetRootElement(schema);
    int r = types ? 0 : cc_error(ENOMEM, "out of memory");

    for (xmlNodePtr d = root ? root->children : NULL; d && r == 0; d = d->next) {
        xmlChar *name = cc_xml_is(d, "define") ? xmlGetProp(d, (const xmlChar *)"name") : NULL;
        size_t len = name ? strlen((const char *)name) : 0;
        xmlNodePtr choice;

        if (len > 9 && strcmp((const char *)name + len - 9, "-property") == 0) {
            char *arch = strndup((const char *)name, len - 9);
            xmlNodePtr el = child(d, "element", "property");

            choice = el ? child(el, "choice", NULL) : NULL;
            for (xmlNodePtr g = choice ? choice->children : NULL; g && r == 0 && arch; g = g->next)
                if (cc_xml_is(g, "group"))
                    r = load_group(types, schema_path, arch, g);
            if (!arch)
                r = cc_error(ENOMEM, "out of memory");
            free(arch);
        }
        xmlFree(name);
    }
    if (r < 0) {
        cc_prop_types_free(types);
        return r;
    }
    *out = types;
    return 0;
}

void cc_prop_types_free(struct cc_prop_types *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        type_clear(&t->items[i]);
    free(t->items);
    free(t);
}

static const struct prop_type *find(const struct cc_prop_types *t, const char *arch,
                                    const char *name)
{
    for (size_t i = 0; i < t->n; i++) {
        const struct prop_type *p = &t->items[i];

        if (strcmp(p->arch, arch) != 0)
            continue;
        if (p->name ? strcmp(p->name, name) == 0
                    : strncmp(name, p->prefix, strlen(p->prefix)) == 0 &&
                          xmlRegexpExec(p->name_re, (const xmlChar *)name) == 1)
            return p;
    }
    return NULL;
}

int cc_prop_types_check(const struct cc_prop_types *t, const char *arch, const char *name,
                        const char *value, char *why, size_t why_len)
{
    const struct prop_type *p = t ? find(t, arch, name) : NULL;
    uint64_t v;
    int r = 0;

    if (!p)
        return 0;
    if (p->kind == KIND_DECIMAL)
        r = cc_parse_decimal(value, p->min, p->max, &v);
    else if (p->kind == KIND_HEX)
        r = cc_parse_hex(value, p->min, p->max, &v);
    if (r == 0 && p->value_re && xmlRegexpExec(p->value_re, (const xmlChar *)value) != 1)
        r = -EINVAL;
    if (r == 0)
        return 0;
    if (p->kind == KIND_DECIMAL)
        snprintf(why, why_len, "'%.40s' is not a decimal number from %llu to %llu", value,
                 (unsigned long long)p->min, (unsigned long long)p->max);
    else if (p->kind == KIND_HEX)
        snprintf(why, why_len, "'%.40s' is not 0x and lower-case hex digits (%s)", value,
                 p->value_pattern);
    else
        snprintf(why, why_len, "'%.40s' does not match %s", value, p->value_pattern);
    return -EINVAL;
}
