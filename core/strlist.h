/* Growable lists of owned strings and of ordered key/value pairs. Adding cannot fail (xalloc);
 * the functions return 0 so that existing callers' checks stay valid. */
#ifndef CC_STRLIST_H
#define CC_STRLIST_H

#include "hash_index.h"

#include <stdbool.h>
#include <stddef.h>

struct cc_strlist {
    char **items;
    size_t n, cap;
};

int cc_strlist_add(struct cc_strlist *l, const char *s);
int cc_strlist_addf(struct cc_strlist *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
bool cc_strlist_contains(const struct cc_strlist *l, const char *s);
/* Drops every string that stands earlier in l, keeping the order of first appearances. */
void cc_strlist_uniq(struct cc_strlist *l);
void cc_strlist_free(struct cc_strlist *l);

struct cc_kv {
    char *key;
    char *value;
};

/* Insertion order is kept: it is the order written to files, so a read-write cycle is stable. */
struct cc_kvlist {
    struct cc_kv *items;
    size_t n, cap;
    struct cc_index index; /* by key, once the list is long enough for a scan to cost */
};

/* Replaces the value of an existing key, else appends. */
int cc_kv_set(struct cc_kvlist *l, const char *key, const char *value);
/* Appends; a key already present is -EEXIST ("'KEY' given twice"), as a reader wants it. */
int cc_kv_add(struct cc_kvlist *l, const char *key, const char *value);
int cc_kv_setf(struct cc_kvlist *l, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
const char *cc_kv_get(const struct cc_kvlist *l, const char *key);
void cc_kv_free(struct cc_kvlist *l);

#endif
