#include "strlist.h"
#include "error.h"
#include "grow.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cc_grow(void **items, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    *cap = *cap ? *cap * 2 : 16;
    *items = xreallocarray(*items, *cap, size);
    return 0;
}

int cc_strlist_add(struct cc_strlist *l, const char *s)
{
    CC_GROW(l->items, l->cap, l->n);
    l->items[l->n++] = xstrdup(s);
    return 0;
}

int cc_strlist_addf(struct cc_strlist *l, const char *fmt, ...)
{
    va_list ap;

    CC_GROW(l->items, l->cap, l->n);
    va_start(ap, fmt);
    l->items[l->n++] = xvasprintf(fmt, ap);
    va_end(ap);
    return 0;
}

bool cc_strlist_contains(const struct cc_strlist *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i], s) == 0)
            return true;
    return false;
}

void cc_strlist_uniq(struct cc_strlist *l)
{
    size_t kept = 0;

    for (size_t i = 0; i < l->n; i++) {
        struct cc_strlist before = {.items = l->items, .n = kept};

        if (cc_strlist_contains(&before, l->items[i]))
            free(l->items[i]);
        else
            l->items[kept++] = l->items[i];
    }
    l->n = kept;
}

void cc_strlist_free(struct cc_strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    *l = (struct cc_strlist){0};
}

/* Below this many keys a scan is cheaper than hashing. */
#define KV_INDEX_FROM 16

static uint64_t kv_hash_at(const void *items, size_t pos)
{
    const char *k = ((const struct cc_kv *)items)[pos].key;

    return cc_hash_bytes(k, strlen(k));
}

static bool kv_eq(const void *items, size_t pos, const void *key)
{
    return strcmp(((const struct cc_kv *)items)[pos].key, key) == 0;
}

static size_t kv_find(const struct cc_kvlist *l, const char *key)
{
    if (l->index.n == l->n && l->index.cap)
        return cc_index_find(&l->index, cc_hash_bytes(key, strlen(key)), l->items, kv_eq, key);
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i].key, key) == 0)
            return i;
    return SIZE_MAX;
}

static int kv_append(struct cc_kvlist *l, const char *key, char *v)
{
    int r = CC_GROW(l->items, l->cap, l->n);
    char *k = r < 0 ? NULL : strdup(key);

    if (!k) {
        free(v);
        return r < 0 ? r : cc_error(ENOMEM, "out of memory");
    }
    l->items[l->n++] = (struct cc_kv){.key = k, .value = v};
    if (l->n >= KV_INDEX_FROM)
        return cc_index_catch_up(&l->index, l->n, l->items, kv_hash_at);
    return 0;
}

int cc_kv_set(struct cc_kvlist *l, const char *key, const char *value)
{
    char *v = strdup(value);
    size_t i;

    if (!v)
        return cc_error(ENOMEM, "out of memory");
    i = kv_find(l, key);
    if (i != SIZE_MAX) {
        free(l->items[i].value);
        l->items[i].value = v;
        return 0;
    }
    return kv_append(l, key, v);
}

int cc_kv_add(struct cc_kvlist *l, const char *key, const char *value)
{
    char *v;

    if (kv_find(l, key) != SIZE_MAX)
        return cc_error(EEXIST, "'%s' given twice", key);
    v = strdup(value);
    if (!v)
        return cc_error(ENOMEM, "out of memory");
    return kv_append(l, key, v);
}

int cc_kv_setf(struct cc_kvlist *l, const char *key, const char *fmt, ...)
{
    va_list ap;
    char *s;
    int r;

    va_start(ap, fmt);
    s = xvasprintf(fmt, ap);
    va_end(ap);
    r = cc_kv_set(l, key, s);
    free(s);
    return r;
}

const char *cc_kv_get(const struct cc_kvlist *l, const char *key)
{
    size_t i = kv_find(l, key);

    return i == SIZE_MAX ? NULL : l->items[i].value;
}

void cc_kv_free(struct cc_kvlist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].key);
        free(l->items[i].value);
    }
    free(l->items);
    cc_index_free(&l->index);
    *l = (struct cc_kvlist){0};
}
