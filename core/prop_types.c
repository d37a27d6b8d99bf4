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
    char *name_pattern;
};

/* What an ARCH-property leaves to its untyped rest (the group with an <except>): names
 * starting with a typed group's prefix belong to that group alone, and any other name takes a
 * value of property-other's length. Known only when the definition has exactly that shape. */
struct prop_rest {
    char *arch;
    char **prefixes;
    size_t n_prefixes, cap_prefixes;
    uint64_t min_len, max_len;
};

struct cc_prop_types {
    struct prop_type *items;
    size_t n, cap;
    struct prop_rest *rests;
    size_t n_rests, cap_rests;
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
    xmlFree(t->name_pattern);
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
    if (r < 0) {
        type_clear(&t);
        xmlFree(name_pattern);
        return r;
    }
    t.name_pattern = name_pattern;
    types->items[types->n++] = t;
    return 0;
}

static void rest_clear(struct prop_rest *rest)
{
    for (size_t i = 0; i < rest->n_prefixes; i++)
        free(rest->prefixes[i]);
    free(rest->prefixes);
    free(rest->arch);
}

static xmlNodePtr define_of(xmlNodePtr root, const char *name)
{
    for (xmlNodePtr d = root->children; d; d = d->next) {
        if (!cc_xml_is(d, "define"))
            continue;
        xmlChar *n = xmlGetProp(d, (const xmlChar *)"name");
        bool match = n && strcmp((const char *)n, name) == 0;

        xmlFree(n);
        if (match)
            return d;
    }
    return NULL;
}

/* The element children of n, by name, in order; other children (text, comments) skipped. */
static xmlNodePtr element_after(xmlNodePtr n)
{
    while (n && n->type != XML_ELEMENT_NODE)
        n = n->next;
    return n;
}

static const struct prop_type *typed_prefix(const struct cc_prop_types *t, const char *arch,
                                            const char *prefix, size_t len)
{
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->items[i].arch, arch) && t->items[i].prefix &&
            strlen(t->items[i].prefix) == len && !strncmp(t->items[i].prefix, prefix, len))
            return &t->items[i];
    return NULL;
}

static bool typed_name(const struct cc_prop_types *t, const char *arch, const char *name)
{
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->items[i].arch, arch) && t->items[i].name && !strcmp(t->items[i].name, name))
            return true;
    return false;
}

/* property-other, when it is a value of a plain string with a length range. */
static bool other_lengths(xmlNodePtr root, uint64_t *min, uint64_t *max)
{
    xmlNodePtr other = define_of(root, "property-other");
    xmlNodePtr av = other ? element_after(other->children) : NULL;
    xmlNodePtr ref = av && cc_xml_is(av, "attribute") ? element_after(av->children) : NULL;
    xmlNodePtr tok = ref && cc_xml_is(ref, "ref") && cc_xml_attr(ref, "name")
                         ? define_of(root, cc_xml_attr(ref, "name"))
                         : NULL;
    xmlNodePtr data = tok ? element_after(tok->children) : NULL;
    const char *type = data && cc_xml_is(data, "data") ? cc_xml_attr(data, "type") : NULL;
    int params = 0;

    if (!type || strcmp(type, "string") || element_after(data->next) || element_after(ref->next) ||
        element_after(av->next))
        return false;
    *min = 0, *max = UINT64_MAX;
    for (xmlNodePtr p = element_after(data->children); p; p = element_after(p->next), params++) {
        const char *pn = cc_xml_is(p, "param") ? cc_xml_attr(p, "name") : NULL;
        xmlChar *text = xmlNodeGetContent(p);
        bool ok = pn && text && (!strcmp(pn, "minLength") || !strcmp(pn, "maxLength")) &&
                  cc_parse_decimal((const char *)text, 0, UINT64_MAX,
                                   !strcmp(pn, "minLength") ? min : max) == 0;

        xmlFree(text);
        if (!ok)
            return false;
    }
    return params > 0;
}

/* The rest group of one ARCH-property: an NCName name except the typed names and PREFIX.*
 * patterns of typed groups, with property-other's value. false: another shape. */
static int load_rest(struct cc_prop_types *t, xmlNodePtr root, const char *arch, xmlNodePtr group,
                     bool *known)
{
    xmlNodePtr an = element_after(group->children);
    xmlNodePtr nd = an && cc_xml_is(an, "attribute") ? element_after(an->children) : NULL;
    xmlNodePtr ex = nd && cc_xml_is(nd, "data") ? element_after(nd->children) : NULL;
    xmlNodePtr choice = ex && cc_xml_is(ex, "except") ? element_after(ex->children) : NULL;
    xmlNodePtr ref = an ? element_after(an->next) : NULL;
    struct prop_rest rest = {0};
    int r = 0;

    *known = false;
    if (!choice || !cc_xml_is(choice, "choice") || !cc_xml_attr(nd, "type") ||
        strcmp(cc_xml_attr(nd, "type"), "NCName") || !ref || !cc_xml_is(ref, "ref") ||
        !cc_xml_attr(ref, "name") || strcmp(cc_xml_attr(ref, "name"), "property-other") ||
        element_after(ref->next) || !other_lengths(root, &rest.min_len, &rest.max_len))
        return 0;
    for (xmlNodePtr c = element_after(choice->children); c; c = element_after(c->next)) {
        xmlChar *text = cc_xml_is(c, "value") ? xmlNodeGetContent(c) : NULL;
        char *pattern = cc_xml_is(c, "data") ? param(c, "pattern") : NULL;
        size_t len = pattern ? strlen(pattern) : 0;
        bool ok = text ? typed_name(t, arch, (const char *)text)
                       : len > 2 && !strcmp(pattern + len - 2, ".*") &&
                             strcspn(pattern, ".[]()*+?{}|\\^$") == len - 2 &&
                             typed_prefix(t, arch, pattern, len - 2);

        if (ok && pattern) {
            r = CC_GROW(rest.prefixes, rest.cap_prefixes, rest.n_prefixes);
            if (r == 0 && !(rest.prefixes[rest.n_prefixes++] = strndup(pattern, len - 2)))
                r = cc_error(ENOMEM, "out of memory");
        }
        xmlFree(text);
        xmlFree(pattern);
        if (!ok || r < 0)
            goto out;
    }
    if (!(rest.arch = strdup(arch))) {
        r = cc_error(ENOMEM, "out of memory");
        goto out;
    }
    CC_GROW(t->rests, t->cap_rests, t->n_rests);
    t->rests[t->n_rests++] = rest;
    *known = true;
    return 0;
out:
    rest_clear(&rest);
    return r;
}

/* One ARCH-property definition: its typed groups, and its rest when the whole choice is known. */
static int load_define(struct cc_prop_types *types, xmlNodePtr root, const char *path,
                       const char *arch, xmlNodePtr define)
{
    xmlNodePtr el = child(define, "element", "property");
    xmlNodePtr choice = el ? child(el, "choice", NULL) : NULL;
    size_t first_rest = types->n_rests, others = 0;
    int r = 0;

    for (xmlNodePtr g = choice ? choice->children : NULL; g && r == 0; g = g->next) {
        size_t before = types->n;
        bool known = false;

        if (g->type != XML_ELEMENT_NODE)
            continue;
        if (cc_xml_is(g, "group"))
            r = load_group(types, path, arch, g);
        if (r == 0 && types->n == before && cc_xml_is(g, "group"))
            r = load_rest(types, root, arch, g, &known);
        others += types->n == before && !known;
    }
    /* Only a choice read whole, one rest and typed groups, can be folded (cc_prop_types_fold). */
    if (types->n_rests - first_rest != 1 || others)
        while (types->n_rests > first_rest)
            rest_clear(&types->rests[--types->n_rests]);
    return r;
}

int cc_prop_types_load(xmlDocPtr schema, const char *schema_path, struct cc_prop_types **out)
{
    struct cc_prop_types *types = calloc(1, sizeof(*types));
    xmlNodePtr root = xmlDocGetRootElement(schema);
    int r = types ? 0 : cc_error(ENOMEM, "out of memory");

    for (xmlNodePtr d = root ? root->children : NULL; d && r == 0; d = d->next) {
        xmlChar *name = cc_xml_is(d, "define") ? xmlGetProp(d, (const xmlChar *)"name") : NULL;
        size_t len = name ? strlen((const char *)name) : 0;

        if (len > 9 && strcmp((const char *)name + len - 9, "-property") == 0) {
            char *arch = strndup((const char *)name, len - 9);

            r = arch ? load_define(types, root, schema_path, arch, d)
                     : cc_error(ENOMEM, "out of memory");
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
    for (size_t i = 0; i < t->n_rests; i++)
        rest_clear(&t->rests[i]);
    free(t->rests);
    free(t);
}

static const struct prop_rest *rest_of(const struct cc_prop_types *t, const char *arch)
{
    for (size_t i = 0; t && i < t->n_rests; i++)
        if (strcmp(t->rests[i].arch, arch) == 0)
            return &t->rests[i];
    return NULL;
}

int cc_prop_types_fold(const struct cc_prop_types *t, xmlDocPtr schema)
{
    xmlNodePtr root = xmlDocGetRootElement(schema);

    for (size_t i = 0; root && i < t->n_rests; i++) {
        char name[96];
        snprintf(name, sizeof(name), "%s-property", t->rests[i].arch);
        xmlNodePtr d = define_of(root, name), el = d ? child(d, "element", "property") : NULL;
        xmlNodePtr an, av, dn, dv;

        if (!el)
            continue;
        for (xmlNodePtr c = el->children, next; c; c = next) {
            next = c->next;
            xmlUnlinkNode(c);
            xmlFreeNode(c);
        }
        an = xmlNewChild(el, el->ns, (const xmlChar *)"attribute", NULL);
        dn = an ? xmlNewChild(an, el->ns, (const xmlChar *)"data", NULL) : NULL;
        av = xmlNewChild(el, el->ns, (const xmlChar *)"attribute", NULL);
        dv = av ? xmlNewChild(av, el->ns, (const xmlChar *)"data", NULL) : NULL;
        if (!dn || !dv || !xmlNewProp(an, (const xmlChar *)"name", (const xmlChar *)"name") ||
            !xmlNewProp(dn, (const xmlChar *)"type", (const xmlChar *)"NCName") ||
            !xmlNewProp(av, (const xmlChar *)"name", (const xmlChar *)"value") ||
            !xmlNewProp(dv, (const xmlChar *)"type", (const xmlChar *)"string"))
            return cc_error(ENOMEM, "out of memory");
    }
    return 0;
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
    const struct prop_rest *rest = p ? NULL : rest_of(t, arch);
    uint64_t v;
    int r = 0;

    for (size_t i = 0; rest && i < rest->n_prefixes; i++) {
        if (strncmp(name, rest->prefixes[i], strlen(rest->prefixes[i])) != 0)
            continue;
        p = typed_prefix(t, arch, rest->prefixes[i], strlen(rest->prefixes[i]));
        snprintf(why, why_len, "the name does not match %s", p->name_pattern);
        return -EINVAL;
    }
    if (rest && (cc_xml_length(value) < rest->min_len || cc_xml_length(value) > rest->max_len)) {
        snprintf(why, why_len, "the value's length is not from %llu to %llu characters",
                 (unsigned long long)rest->min_len, (unsigned long long)rest->max_len);
        return -EINVAL;
    }
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
