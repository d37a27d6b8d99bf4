#include "strlist.h"
#include "error.h"
#include "grow.h"
#include "xalloc.h"

#include <stdarg.h>
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

void cc_strlist_free(struct cc_strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    *l = (struct cc_strlist){0};
}

static void kv_take(struct cc_kvlist *l, const char *key, char *value)
{
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->items[i].key, key) == 0) {
            free(l->items[i].value);
            l->items[i].value = value;
            return;
        }
    }
    CC_GROW(l->items, l->cap, l->n);
    l->items[l->n++] = (struct cc_kv){.key = xstrdup(key), .value = value};
}

int cc_kv_set(struct cc_kvlist *l, const char *key, const char *value)
{
    kv_take(l, key, xstrdup(value));
    return 0;
}

int cc_kv_setf(struct cc_kvlist *l, const char *key, const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = xvasprintf(fmt, ap);
    va_end(ap);
    kv_take(l, key, s);
    return 0;
}

const char *cc_kv_get(const struct cc_kvlist *l, const char *key)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i].key, key) == 0)
            return l->items[i].value;
    return NULL;
}

void cc_kv_free(struct cc_kvlist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].key);
        free(l->items[i].value);
    }
    free(l->items);
    *l = (struct cc_kvlist){0};
}
