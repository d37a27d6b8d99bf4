#include "drift.h"
#include "arch.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

static char *dupn(const char *s, size_t n)
{
    char *d = xmalloc(n + 1);

    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

void cc_changes_add(struct cc_changes *l, const char *name, const char *old, const char *new)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 8;
        l->items = xreallocarray(l->items, l->cap, sizeof(*l->items));
    }
    l->items[l->n++] = (struct cc_change){
        .name = xstrdup(name), .old = old ? xstrdup(old) : NULL, .new = new ? xstrdup(new) : NULL};
}

static void changes_free(struct cc_changes *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].name);
        free(l->items[i].old);
        free(l->items[i].new);
    }
    free(l->items);
    *l = (struct cc_changes){0};
}

void cc_drift_free(struct cc_drift *d)
{
    changes_free(&d->lost);
    changes_free(&d->gained);
    changes_free(&d->changed);
}

/* The line of text starting at *pos: key [k, k+klen), value [v, v+vlen); *pos moves past it.
 * false at the end. A line without '=' has an empty value after its whole text as key. */
struct line {
    const char *k, *v;
    size_t klen, vlen;
};

static bool next_line(const char **pos, struct line *l)
{
    const char *s = *pos, *end, *eq;

    if (!*s)
        return false;
    end = strchrnul(s, '\n');
    eq = memchr(s, '=', (size_t)(end - s));
    l->k = s;
    l->klen = (size_t)((eq ? eq : end) - s);
    l->v = eq ? eq + 1 : end;
    l->vlen = (size_t)(end - l->v);
    *pos = *end ? end + 1 : end;
    return true;
}

static bool find_line(const char *text, const char *key, size_t klen, struct line *out)
{
    const char *pos = text;

    while (next_line(&pos, out))
        if (out->klen == klen && memcmp(out->k, key, klen) == 0)
            return true;
    return false;
}

char *cc_canon_get(const char *text, const char *key)
{
    struct line l;

    return find_line(text, key, strlen(key), &l) ? dupn(l.v, l.vlen) : NULL;
}

/* The words of the lines keys[] of text, one strlist. */
static void words_of(const char *text, const char *const *keys, size_t n_keys,
                     struct cc_strlist *out)
{
    for (size_t k = 0; k < n_keys; k++) {
        struct line l;
        const char *w, *end;

        if (!find_line(text, keys[k], strlen(keys[k]), &l))
            continue;
        for (w = l.v, end = l.v + l.vlen; w < end;) {
            const char *sp = memchr(w, ' ', (size_t)(end - w));
            size_t n = (size_t)((sp ? sp : end) - w);

            if (n) {
                char *word = dupn(w, n);
                if (!cc_strlist_contains(out, word))
                    cc_strlist_add(out, word);
                free(word);
            }
            w += n + 1;
        }
    }
}

static bool in_sorted(char *const *sorted, size_t n, const char *s)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(sorted[mid], s);

        if (!c)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static int by_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char **sorted_copy(const struct cc_strlist *l)
{
    char **s = xcalloc(l->n + 1, sizeof(char *));

    memcpy(s, l->items, l->n * sizeof(char *));
    qsort(s, l->n, sizeof(char *), by_str);
    return s;
}

void cc_canon_words(const char *old, const char *new, const char *const *keys, size_t n_keys,
                    struct cc_drift *out)
{
    struct cc_strlist a = {0}, b = {0};
    char **sa, **sb;

    words_of(old, keys, n_keys, &a);
    words_of(new, keys, n_keys, &b);
    sa = sorted_copy(&a);
    sb = sorted_copy(&b);
    for (size_t i = 0; i < a.n; i++)
        if (!in_sorted(sb, b.n, a.items[i]))
            cc_changes_add(&out->lost, a.items[i], NULL, NULL);
    for (size_t i = 0; i < b.n; i++)
        if (!in_sorted(sa, a.n, b.items[i]))
            cc_changes_add(&out->gained, b.items[i], NULL, NULL);
    free(sa);
    free(sb);
    cc_strlist_free(&a);
    cc_strlist_free(&b);
}

void cc_canon_other_lines(const char *old, const char *new,
                          bool (*skip)(const void *arg, const char *key, size_t key_len),
                          const void *arg, struct cc_drift *out)
{
    const char *pos = old;
    struct line l, m;

    while (next_line(&pos, &l)) {
        char *key, *ov, *nv = NULL;
        bool there;

        if (skip && skip(arg, l.k, l.klen))
            continue;
        there = find_line(new, l.k, l.klen, &m);
        if (there && m.vlen == l.vlen && memcmp(m.v, l.v, l.vlen) == 0)
            continue;
        key = dupn(l.k, l.klen);
        ov = dupn(l.v, l.vlen);
        if (there)
            nv = dupn(m.v, m.vlen);
        cc_changes_add(&out->changed, key, ov, nv);
        free(key);
        free(ov);
        free(nv);
    }
    pos = new;
    while (next_line(&pos, &m)) {
        char *key, *nv;

        if ((skip && skip(arg, m.k, m.klen)) || find_line(old, m.k, m.klen, &l))
            continue;
        key = dupn(m.k, m.klen);
        nv = dupn(m.v, m.vlen);
        cc_changes_add(&out->changed, key, NULL, nv);
        free(key);
        free(nv);
    }
}

static int by_key(const void *a, const void *b)
{
    return strcmp(((const struct cc_kv *)a)->key, ((const struct cc_kv *)b)->key);
}

char *cc_doc_versions(const struct cc_doc *doc)
{
    struct cc_kvlist v = {0};
    const char *kernel = cc_kv_get(&doc->origin, "kernel");
    const char *qemu = cc_kv_get(&doc->origin, "qemu-version");
    size_t len = 1, used = 0;
    char *out;

    if (kernel)
        cc_kv_set(&v, "kernel", kernel);
    if (qemu)
        cc_kv_set(&v, "qemu", qemu);
    if (doc->arch->versions)
        doc->arch->versions(doc, &v);
    qsort(v.items, v.n, sizeof(*v.items), by_key);
    for (size_t i = 0; i < v.n; i++)
        len += strlen(v.items[i].key) + strlen(v.items[i].value) + 2;
    out = xmalloc(len);
    out[0] = '\0';
    for (size_t i = 0; i < v.n; i++) {
        /* One value per line: a line break a file's attribute might hold is not kept. */
        used += (size_t)sprintf(out + used, "%s=", v.items[i].key);
        for (const char *c = v.items[i].value; *c; c++)
            out[used++] = *c == '\n' || *c == '\r' ? ' ' : *c;
        out[used++] = '\n';
        out[used] = '\0';
    }
    cc_kv_free(&v);
    return out;
}
