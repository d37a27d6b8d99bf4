#include "token_fold.h"
#include "error.h"
#include "grow.h"
#include "number.h"
#include "xml_load.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define XSD_LIBRARY "http://www.w3.org/2001/XMLSchema-datatypes"

/* An attribute of an element (attr set) or an element's text (attr NULL), by local names. */
struct key {
    char *elem, *attr;
    bool token; /* every occurrence in the schema is exactly a token */
};

struct cc_token_slots {
    struct key *keys;
    size_t n_keys, cap_keys;
    uint64_t min, max;
};

/* A <ref name="token"/> that is the whole content of an attribute or element, and its key. */
struct slot {
    xmlNodePtr ref;
    size_t key;
};

struct walk {
    xmlNodePtr root;
    struct cc_token_slots *s;
    struct slot *slots;
    size_t n_slots, cap_slots;
    struct {
        xmlNodePtr define;
        const char *elem;
    } * seen;
    size_t n_seen, cap_seen;
    bool unknown; /* a construct this reading does not follow: fold nothing */
};

static xmlNodePtr define_of(xmlNodePtr root, const char *name)
{
    for (xmlNodePtr d = root->children; d; d = d->next) {
        const char *n = cc_xml_is(d, "define") ? cc_xml_attr(d, "name") : NULL;

        if (n && strcmp(n, name) == 0)
            return d;
    }
    return NULL;
}

/* The only element child of n, or NULL when it has none or several. */
static xmlNodePtr sole_child(xmlNodePtr n)
{
    xmlNodePtr only = NULL;

    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (only)
            return NULL;
        only = c;
    }
    return only;
}

static xmlNodePtr token_ref(xmlNodePtr n)
{
    xmlNodePtr c = sole_child(n);
    const char *name = c && cc_xml_is(c, "ref") ? cc_xml_attr(c, "name") : NULL;

    return name && strcmp(name, "token") == 0 ? c : NULL;
}

static bool same(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* One occurrence of elem's attr (or text): a token when ref is its whole content. */
static void note(struct walk *w, const char *elem, const char *attr, xmlNodePtr ref)
{
    struct cc_token_slots *s = w->s;
    size_t k = 0;

    while (k < s->n_keys && !(same(s->keys[k].elem, elem) && same(s->keys[k].attr, attr)))
        k++;
    if (k == s->n_keys) {
        CC_GROW(s->keys, s->cap_keys, s->n_keys);
        s->keys[s->n_keys++] =
            (struct key){.elem = strdup(elem), .attr = attr ? strdup(attr) : NULL, .token = true};
        if (!s->keys[k].elem || (attr && !s->keys[k].attr))
            w->unknown = true; /* out of memory: fold nothing */
    }
    if (!ref) {
        s->keys[k].token = false;
        return;
    }
    CC_GROW(w->slots, w->cap_slots, w->n_slots);
    w->slots[w->n_slots++] = (struct slot){.ref = ref, .key = k};
}

static void walk(struct walk *w, xmlNodePtr node, const char *elem)
{
    for (xmlNodePtr c = node->children; c && !w->unknown; c = c->next) {
        const char *name;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        name = cc_xml_attr(c, "name");
        if (cc_xml_is(c, "element") || cc_xml_is(c, "attribute")) {
            bool attr = cc_xml_is(c, "attribute");

            /* Name classes, namespaces and attributes outside an element are not followed. */
            if (!name || cc_xml_attr(c, "ns") || (attr && !elem)) {
                w->unknown = true;
                return;
            }
            note(w, attr ? elem : name, attr ? name : NULL, token_ref(c));
            if (!attr)
                walk(w, c, name);
        } else if (cc_xml_is(c, "ref")) {
            xmlNodePtr d = name ? define_of(w->root, name) : NULL;
            bool seen = false;

            if (!d) {
                w->unknown = true;
                return;
            }
            for (size_t i = 0; i < w->n_seen && !seen; i++)
                seen = w->seen[i].define == d && same(w->seen[i].elem, elem);
            if (seen)
                continue;
            CC_GROW(w->seen, w->cap_seen, w->n_seen);
            w->seen[w->n_seen].define = d;
            w->seen[w->n_seen++].elem = elem;
            walk(w, d, elem);
        } else if (cc_xml_is(c, "parentRef") || cc_xml_is(c, "externalRef") ||
                   cc_xml_is(c, "include") || cc_xml_is(c, "grammar") || cc_xml_is(c, "anyName") ||
                   cc_xml_is(c, "nsName") || cc_xml_is(c, "name")) {
            w->unknown = true;
            return;
        } else {
            walk(w, c, elem);
        }
    }
}

/* The token definition: a string of XML Schema's library with a length range, and nothing else. */
static bool token_lengths(xmlNodePtr root, uint64_t *min, uint64_t *max)
{
    xmlNodePtr def = define_of(root, "token"), data = def ? sole_child(def) : NULL;
    const char *type = data && cc_xml_is(data, "data") ? cc_xml_attr(data, "type") : NULL;
    const char *library = NULL;
    int params = 0;

    for (xmlNodePtr n = data; n && n->type == XML_ELEMENT_NODE && !library; n = n->parent)
        library = cc_xml_attr(n, "datatypeLibrary");
    if (!type || strcmp(type, "string") || !library || strcmp(library, XSD_LIBRARY))
        return false;
    *min = 0, *max = UINT64_MAX;
    for (xmlNodePtr p = data->children; p; p = p->next) {
        const char *pn = cc_xml_is(p, "param") ? cc_xml_attr(p, "name") : NULL;
        const char *text = pn ? cc_xml_text(p) : NULL;

        if (p->type != XML_ELEMENT_NODE)
            continue;
        if (!text || (strcmp(pn, "minLength") && strcmp(pn, "maxLength")) ||
            cc_parse_decimal(text, 0, UINT64_MAX, !strcmp(pn, "minLength") ? min : max) < 0)
            return false;
        params++;
    }
    return params > 0;
}

void cc_token_slots_free(struct cc_token_slots *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_keys; i++) {
        free(s->keys[i].elem);
        free(s->keys[i].attr);
    }
    free(s->keys);
    free(s);
}

int cc_token_fold(xmlDocPtr schema, struct cc_token_slots **out)
{
    xmlNodePtr root = xmlDocGetRootElement(schema);
    xmlNodePtr start = NULL;
    struct cc_token_slots *s = calloc(1, sizeof(*s));
    struct walk w = {.root = root, .s = s};
    size_t kept = 0;
    int r = 0;

    *out = NULL;
    if (!s)
        return cc_error(ENOMEM, "out of memory");
    for (xmlNodePtr c = root && cc_xml_is(root, "grammar") ? root->children : NULL; c; c = c->next)
        if (cc_xml_is(c, "start"))
            start = c;
    if (!start || !token_lengths(root, &s->min, &s->max))
        w.unknown = true;
    else
        walk(&w, start, NULL);
    /* A ref is folded when every key it was met under is a token everywhere. */
    for (size_t i = 0; i < w.n_slots && !w.unknown; i++) {
        bool fold = true, done = false;
        xmlNodePtr text;

        for (size_t j = 0; j < w.n_slots; j++)
            if (w.slots[j].ref == w.slots[i].ref) {
                fold &= s->keys[w.slots[j].key].token;
                done |= j < i;
            }
        if (!fold || done)
            continue;
        text = xmlNewDocNode(schema, w.slots[i].ref->ns, (const xmlChar *)"text", NULL);
        if (!text) {
            r = cc_error(ENOMEM, "out of memory");
            break;
        }
        /* Other slots of this ref are compared by address only, and it is freed last. */
        xmlReplaceNode(w.slots[i].ref, text);
    }
    for (size_t i = 0; i < w.n_slots; i++) {
        bool first = true;

        for (size_t j = 0; j < i && first; j++)
            first = w.slots[j].ref != w.slots[i].ref;
        if (first && !w.slots[i].ref->parent)
            xmlFreeNode(w.slots[i].ref);
    }
    free(w.slots);
    free(w.seen);
    if (w.unknown || r < 0) {
        cc_token_slots_free(s);
        return r;
    }
    /* The keys checked: those a token everywhere (each has a slot, now folded). */
    for (size_t k = 0; k < s->n_keys; k++) {
        if (s->keys[k].token) {
            s->keys[kept++] = s->keys[k];
        } else {
            free(s->keys[k].elem);
            free(s->keys[k].attr);
        }
    }
    s->n_keys = kept;
    *out = s;
    return 0;
}

static int check_value(const struct cc_token_slots *s, const char *file, xmlNodePtr n,
                       const char *attr, const char *value)
{
    uint64_t len = cc_xml_length(value);
    int shown = 40;

    if (len >= s->min && len <= s->max)
        return 0;
    /* The value's start, cut between characters. */
    if (strlen(value) <= (size_t)shown)
        shown = (int)strlen(value);
    while (shown > 0 && ((unsigned char)value[shown] & 0xc0) == 0x80)
        shown--;
    if (attr)
        return cc_error(EINVAL,
                        "%s: line %ld: <%s %s='%.*s'>: %llu characters; the schema takes from "
                        "%llu to %llu",
                        file, xmlGetLineNo(n), (const char *)n->name, attr, shown, value,
                        (unsigned long long)len, (unsigned long long)s->min,
                        (unsigned long long)s->max);
    return cc_error(EINVAL,
                    "%s: line %ld: <%s>: text of %llu characters; the schema takes from %llu to "
                    "%llu",
                    file, xmlGetLineNo(n), (const char *)n->name, (unsigned long long)len,
                    (unsigned long long)s->min, (unsigned long long)s->max);
}

/* As libxml2's RelaxNG reads them: an attribute's value, and an element's text and CDATA
 * children joined. NULL when out of memory. */
static char *attr_value(xmlDocPtr doc, xmlAttrPtr a)
{
    xmlChar *v = xmlNodeListGetString(doc, a->children, 1);

    return v ? (char *)v : (char *)xmlStrdup((const xmlChar *)"");
}

static char *text_value(xmlNodePtr n)
{
    xmlChar *v = xmlStrdup((const xmlChar *)"");

    for (xmlNodePtr c = n->children; c && v; c = c->next)
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
            v = xmlStrcat(v, c->content);
    return (char *)v;
}

static int check_tree(const struct cc_token_slots *s, const char *file, xmlDocPtr doc, xmlNodePtr n)
{
    for (; n; n = n->next) {
        int r = 0;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        for (size_t k = 0; k < s->n_keys && r == 0; k++) {
            const struct key *key = &s->keys[k];
            xmlNodePtr only = n->children;
            char *v = NULL;

            if (key->elem[0] != n->name[0] || strcmp(key->elem, (const char *)n->name) != 0)
                continue;
            if (!key->attr) {
                /* One text child, as almost every file has: no copy. */
                if (only && !only->next && only->type == XML_TEXT_NODE)
                    r = check_value(s, file, n, NULL, (const char *)only->content);
                else if (!(v = text_value(n)))
                    r = cc_error(ENOMEM, "out of memory");
                else
                    r = check_value(s, file, n, NULL, v);
            }
            for (xmlAttrPtr a = key->attr ? n->properties : NULL; a && r == 0; a = a->next) {
                xmlNodePtr t = a->children;

                if (strcmp((const char *)a->name, key->attr) != 0)
                    continue;
                if (t && !t->next && t->type == XML_TEXT_NODE)
                    r = check_value(s, file, n, key->attr, (const char *)t->content);
                else if (!(v = attr_value(doc, a)))
                    r = cc_error(ENOMEM, "out of memory");
                else
                    r = check_value(s, file, n, key->attr, v);
                xmlFree(v);
                v = NULL;
            }
            xmlFree(v);
        }
        if (r == 0)
            r = check_tree(s, file, doc, n->children);
        if (r < 0)
            return r;
    }
    return 0;
}

int cc_token_check(const struct cc_token_slots *slots, const char *file, xmlDocPtr doc)
{
    return slots ? check_tree(slots, file, doc, xmlDocGetRootElement(doc)) : 0;
}
