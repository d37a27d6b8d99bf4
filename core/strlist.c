#include "strlist.h"
#include "error.h"
#include "grow.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cc_grow(void **items, size_t *cap, size_t n, size_t size)
{
    size_t ncap;
    void *p;

    if (n < *cap)
        return 0;
    ncap = *cap ? *cap * 2 : 16;
    p = reallocarray(*items, ncap, size);
    if (!p)
        return cc_error(ENOMEM, "out of memory");
    *items = p;
    *cap = ncap;
    return 0;
}

int cc_strlist_add(struct cc_strlist *l, const char *s)
{
    char *copy;
    int r = CC_GROW(l->items, l->cap, l->n);

    if (r < 0)
        return r;
    copy = strdup(s);
    if (!copy)
        return cc_error(ENOMEM, "out of memory");
    l->items[l->n++] = copy;
    return 0;
}

int cc_strlist_addf(struct cc_strlist *l, const char *fmt, ...)
{
    char *s;
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (r < 0)
        return cc_error(ENOMEM, "out of memory");
    r = cc_strlist_add(l, s);
    free(s);
    return r;
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

int cc_kv_set(struct cc_kvlist *l, const char *key, const char *value)
{
    char *v = strdup(value), *k;
    int r;

    if (!v)
        return cc_error(ENOMEM, "out of memory");
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->items[i].key, key) == 0) {
            free(l->items[i].value);
            l->items[i].value = v;
            return 0;
        }
    }
    r = CC_GROW(l->items, l->cap, l->n);
    k = r < 0 ? NULL : strdup(key);
    if (!k) {
        free(v);
        return r < 0 ? r : cc_error(ENOMEM, "out of memory");
    }
    l->items[l->n++] = (struct cc_kv){.key = k, .value = v};
    return 0;
}

int cc_kv_setf(struct cc_kvlist *l, const char *key, const char *fmt, ...)
{
    char *s;
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (r < 0)
        return cc_error(ENOMEM, "out of memory");
    r = cc_kv_set(l, key, s);
    free(s);
    return r;
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
