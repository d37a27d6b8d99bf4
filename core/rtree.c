#include "rtree.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* A node whose key and string (either may be NULL) share its allocation. */
static struct cc_node *add_text(struct cc_node *parent, const char *key, enum cc_node_type type,
                                const char *s)
{
    size_t klen = key ? strlen(key) + 1 : 0, slen = s ? strlen(s) + 1 : 0;
    struct cc_node *n = xcalloc(1, sizeof(*n) + klen + slen);

    n->type = type;
    if (key)
        n->key = memcpy(n->key_store, key, klen);
    if (s)
        n->s = memcpy(n->key_store + klen, s, slen);
    if (parent) {
        size_t k = parent->n;

        /* full at 0, 8, 16, 32, ...: the allocation doubles from 8 */
        if (k == 0 || (k >= 8 && (k & (k - 1)) == 0))
            parent->kids = xreallocarray(parent->kids, k ? 2 * k : 8, sizeof(*parent->kids));
        parent->kids[parent->n++] = n;
    }
    return n;
}

static struct cc_node *add(struct cc_node *parent, const char *key, enum cc_node_type type)
{
    return add_text(parent, key, type, NULL);
}

void cc_node_set_string(struct cc_node *n, const char *s)
{
    if (n->s_owned)
        free(n->s);
    n->s = xstrdup(s);
    n->s_owned = true;
}

struct cc_node *cc_report_new(const char *name)
{
    struct cc_node *r = add(NULL, name, CC_NODE_OBJECT);

    cc_add_uint(r, "format", CC_REPORT_FORMAT);
    return r;
}

void cc_node_free(struct cc_node *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n; i++)
        cc_node_free(n->kids[i]);
    free(n->kids);
    if (n->s_owned)
        free(n->s);
    free(n);
}

struct cc_node *cc_add_object(struct cc_node *parent, const char *key)
{
    return add(parent, key, CC_NODE_OBJECT);
}

struct cc_node *cc_add_array(struct cc_node *parent, const char *key, const char *item)
{
    struct cc_node *n = add(parent, key, CC_NODE_ARRAY);

    n->item = item;
    return n;
}

struct cc_node *cc_add_map(struct cc_node *parent, const char *key, const char *item)
{
    struct cc_node *n = add(parent, key, CC_NODE_MAP);

    n->item = item;
    return n;
}

void cc_add_string(struct cc_node *parent, const char *key, const char *s)
{
    if (s)
        add_text(parent, key, CC_NODE_STRING, s);
    else
        add(parent, key, CC_NODE_NULL);
}

void cc_add_input_string(struct cc_node *parent, const char *key, const char *s)
{
    cc_add_string(parent, key, s);
    parent->kids[parent->n - 1]->input = true;
}

void cc_add_stringf(struct cc_node *parent, const char *key, const char *fmt, ...)
{
    struct cc_node *n = add(parent, key, CC_NODE_STRING);
    va_list ap;

    va_start(ap, fmt);
    n->s = xvasprintf(fmt, ap);
    n->s_owned = true;
    va_end(ap);
}

void cc_add_uint(struct cc_node *parent, const char *key, unsigned long long v)
{
    add(parent, key, CC_NODE_UINT)->u = v;
}

void cc_add_bool(struct cc_node *parent, const char *key, bool v)
{
    add(parent, key, CC_NODE_BOOL)->b = v;
}

void cc_add_strlist(struct cc_node *parent, const char *key, const char *item,
                    const struct cc_strlist *l)
{
    struct cc_node *a = cc_add_array(parent, key, item);

    for (size_t i = 0; i < l->n; i++)
        cc_add_string(a, NULL, l->items[i]);
}

void cc_add_kvlist(struct cc_node *parent, const char *key, const char *item,
                   const struct cc_kvlist *l)
{
    struct cc_node *m = cc_add_map(parent, key, item);

    for (size_t i = 0; i < l->n; i++)
        cc_add_string(m, l->items[i].key, l->items[i].value);
}

const struct cc_node *cc_node_get(const struct cc_node *obj, const char *key)
{
    for (size_t i = 0; obj && i < obj->n; i++)
        if (obj->kids[i]->key && strcmp(obj->kids[i]->key, key) == 0)
            return obj->kids[i];
    return NULL;
}

const char *cc_node_str(const struct cc_node *obj, const char *key)
{
    const struct cc_node *n = cc_node_get(obj, key);

    return n && n->type == CC_NODE_STRING ? n->s : "";
}

unsigned long long cc_node_uint(const struct cc_node *obj, const char *key)
{
    const struct cc_node *n = cc_node_get(obj, key);

    return n && n->type == CC_NODE_UINT ? n->u : 0;
}

bool cc_node_bool(const struct cc_node *obj, const char *key)
{
    const struct cc_node *n = cc_node_get(obj, key);

    return n && n->type == CC_NODE_BOOL && n->b;
}

size_t cc_node_count(const struct cc_node *obj, const char *key)
{
    const struct cc_node *n = cc_node_get(obj, key);

    return n ? n->n : 0;
}

const char *cc_report_name(const struct cc_node *report)
{
    return report->key;
}
