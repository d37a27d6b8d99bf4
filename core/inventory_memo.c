#include "inventory_memo.h"
#include "grow.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* A reader remembers at most this many bytes: a fleet whose files all differ gains nothing,
 * and must not cost the memory of every file. */
#define MEMO_MAX_BYTES (16u << 20)

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The value of attribute name in the start tag at p (data's end at end), as [*from, *to), when
 * its bytes are exactly want: written plainly, as the parser gave it. */
static bool find_value(const char *p, const char *end, const char *name, const char *want,
                       const char **from, const char **to)
{
    size_t nlen = strlen(name);

    while (p < end) {
        const char *n, *v;
        char quote;

        while (p < end && is_space(*p))
            p++;
        if (p >= end || *p == '>' || *p == '/')
            return false;
        for (n = p; p < end && !is_space(*p) && *p != '=' && *p != '>' && *p != '/'; p++)
            ;
        size_t len = (size_t)(p - n);
        while (p < end && is_space(*p))
            p++;
        if (p >= end || *p++ != '=')
            return false;
        while (p < end && is_space(*p))
            p++;
        if (p >= end || (*p != '"' && *p != '\''))
            return false;
        quote = *p++;
        v = p;
        p = memchr(p, quote, (size_t)(end - p));
        if (!p)
            return false;
        if (len == nlen && memcmp(n, name, nlen) == 0) {
            if ((size_t)(p - v) != strlen(want) || memcmp(v, want, (size_t)(p - v)) != 0)
                return false;
            *from = v;
            *to = p;
            return true;
        }
        p++;
    }
    return false;
}

/* The first "<origin" of data, and whether it is the only one (found by '<', the scan a
 * reader makes of every file). */
static const char *origin_tag(const char *data, const char *end, bool *alone)
{
    static const char tag[] = "<origin";
    const char *first = NULL;

    *alone = true;
    for (const char *p = data; (p = memchr(p, '<', (size_t)(end - p))); p++)
        if ((size_t)(end - p) >= sizeof(tag) - 1 && memcmp(p, tag, sizeof(tag) - 1) == 0) {
            if (first) {
                *alone = false;
                break;
            }
            first = p;
        }
    return first;
}

void cc_inv_memo_key(struct cc_inv_memo_key *key, const char *data, size_t len,
                     const char *hostname, const char *created)
{
    const size_t taglen = sizeof("<origin") - 1;
    const char *end = data + len, *cut[2][2] = {{NULL, NULL}, {NULL, NULL}};
    bool alone;
    const char *origin = origin_tag(data, end, &alone);
    char *out;

    /* The one origin element: a second "<origin" (in a comment, say) leaves the file whole. */
    if (origin && alone && origin + taglen < end && is_space(origin[taglen])) {
        const char *body = origin + taglen;

        if (hostname && !find_value(body, end, "hostname", hostname, &cut[0][0], &cut[0][1]))
            cut[0][0] = cut[0][1] = NULL;
        if (created && !find_value(body, end, "created", created, &cut[1][0], &cut[1][1]))
            cut[1][0] = cut[1][1] = NULL;
    }
    if (key->cap < len + 1) {
        free(key->bytes);
        key->cap = len + 1;
        key->bytes = xmalloc(key->cap);
    }
    out = key->bytes;
    /* The bytes between the cuts, in order (the cuts may come in either order). */
    for (const char *p = data; p <= end;) {
        const char *stop = end;
        int k = -1;

        for (int i = 0; i < 2; i++)
            if (cut[i][0] && cut[i][0] >= p && cut[i][0] < stop)
                stop = cut[i][0], k = i;
        memcpy(out, p, (size_t)(stop - p));
        out += stop - p;
        if (k < 0)
            break;
        p = cut[k][1];
    }
    key->len = (size_t)(out - key->bytes);
    key->hash = cc_hash_words(key->bytes, key->len);
}

static uint64_t memo_hash(const void *array, size_t pos)
{
    return ((const struct cc_inv_memo *)array)->hashes[pos];
}

static bool memo_eq(const void *array, size_t pos, const void *k)
{
    const struct cc_inv_memo *m = array;
    const struct cc_inv_memo_key *key = k;

    return m->lens[pos] == key->len && memcmp(m->bytes[pos], key->bytes, key->len) == 0;
}

const struct cc_inv_memo_entry *cc_inv_memo_find(const struct cc_inv_memo *m,
                                                 const struct cc_inv_memo_key *key)
{
    size_t pos = cc_index_find(&m->index, key->hash, m, memo_eq, key);

    return pos == SIZE_MAX ? NULL : &m->entries[pos];
}

void cc_inv_memo_add(struct cc_inv_memo *m, const struct cc_inv_memo_key *key, uint32_t id,
                     const char *qemu, const char *versions)
{
    if (m->total + key->len > MEMO_MAX_BYTES)
        return;
    CC_GROW(m->bytes, m->cap, m->n);
    CC_GROW(m->lens, m->cap_lens, m->n);
    CC_GROW(m->hashes, m->cap_hashes, m->n);
    CC_GROW(m->entries, m->cap_entries, m->n);
    m->bytes[m->n] = memcpy(xmalloc(key->len + 1), key->bytes, key->len);
    m->lens[m->n] = key->len;
    m->hashes[m->n] = key->hash;
    m->entries[m->n] = (struct cc_inv_memo_entry){
        .id = id, .qemu = qemu ? xstrdup(qemu) : NULL, .versions = xstrdup(versions)};
    m->total += key->len;
    m->n++;
    /* An index that could not grow finds fewer files: slower, never wrong. */
    (void)cc_index_catch_up(&m->index, m->n, m, memo_hash);
}

void cc_inv_memo_key_free(struct cc_inv_memo_key *key)
{
    free(key->bytes);
    *key = (struct cc_inv_memo_key){0};
}

void cc_inv_memo_free(struct cc_inv_memo *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->bytes[i]);
        free(m->entries[i].qemu);
        free(m->entries[i].versions);
    }
    free(m->bytes);
    free(m->lens);
    free(m->hashes);
    free(m->entries);
    cc_index_free(&m->index);
    *m = (struct cc_inv_memo){0};
}
