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

static int by_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The words of the lines keys[] of text, sorted, each once. */
static void words_of(const char *text, const char *const *keys, size_t n_keys,
                     struct cc_strlist *out)
{
    size_t w = 0;

    for (size_t k = 0; k < n_keys; k++) {
        struct line l;
        const char *p, *end;

        if (!find_line(text, keys[k], strlen(keys[k]), &l))
            continue;
        for (p = l.v, end = l.v + l.vlen; p < end;) {
            const char *sp = memchr(p, ' ', (size_t)(end - p));
            size_t n = (size_t)((sp ? sp : end) - p);

            if (n) {
                char *word = dupn(p, n);
                cc_strlist_add(out, word);
                free(word);
            }
            p += n + 1;
        }
    }
    if (out->n)
        qsort(out->items, out->n, sizeof(char *), by_str);
    for (size_t i = 0; i < out->n; i++) {
        if (w && strcmp(out->items[w - 1], out->items[i]) == 0)
            free(out->items[i]);
        else
            out->items[w++] = out->items[i];
    }
    out->n = w;
}

static bool in_sorted(const struct cc_strlist *l, const char *s)
{
    return l->n && bsearch(&s, l->items, l->n, sizeof(char *), by_str) != NULL;
}

void cc_canon_words(const char *old, const char *new, const char *const *keys, size_t n_keys,
                    struct cc_drift *out)
{
    struct cc_strlist a = {0}, b = {0};

    words_of(old, keys, n_keys, &a);
    words_of(new, keys, n_keys, &b);
    for (size_t i = 0; i < a.n; i++)
        if (!in_sorted(&b, a.items[i]))
            cc_changes_add(&out->lost, a.items[i], NULL, NULL);
    for (size_t i = 0; i < b.n; i++)
        if (!in_sorted(&a, b.items[i]))
            cc_changes_add(&out->gained, b.items[i], NULL, NULL);
    cc_strlist_free(&a);
    cc_strlist_free(&b);
}

/* The lines of a text sorted by key (the first of a key kept), so that two texts are compared
 * in n log n however many lines an old report's text holds. */
struct lines {
    struct line *l;
    size_t n;
};

static int by_line_key(const void *a, const void *b)
{
    const struct line *x = a, *y = b;
    size_t n = x->klen < y->klen ? x->klen : y->klen;
    int c = memcmp(x->k, y->k, n);

    if (c)
        return c;
    if (x->klen != y->klen)
        return x->klen < y->klen ? -1 : 1;
    return (x->k > y->k) - (x->k < y->k); /* text order among equal keys */
}

static void lines_of(const char *text, bool (*skip)(const void *, const char *, size_t),
                     const void *arg, struct lines *out)
{
    const char *pos = text;
    size_t cap = 0, w = 0;
    struct line l;

    *out = (struct lines){0};
    while (next_line(&pos, &l)) {
        if (skip && skip(arg, l.k, l.klen))
            continue;
        if (out->n == cap) {
            cap = cap ? 2 * cap : 32;
            out->l = xreallocarray(out->l, cap, sizeof(*out->l));
        }
        out->l[out->n++] = l;
    }
    if (out->n)
        qsort(out->l, out->n, sizeof(*out->l), by_line_key);
    for (size_t i = 0; i < out->n; i++)
        if (!w || out->l[w - 1].klen != out->l[i].klen ||
            memcmp(out->l[w - 1].k, out->l[i].k, out->l[i].klen) != 0)
            out->l[w++] = out->l[i];
    out->n = w;
}

static void add_changed(struct cc_drift *out, const struct line *o, const struct line *n)
{
    const struct line *k = o ? o : n;
    char *key = dupn(k->k, k->klen), *ov = o ? dupn(o->v, o->vlen) : NULL;
    char *nv = n ? dupn(n->v, n->vlen) : NULL;

    cc_changes_add(&out->changed, key, ov, nv);
    free(key);
    free(ov);
    free(nv);
}

void cc_canon_other_lines(const char *old, const char *new,
                          bool (*skip)(const void *arg, const char *key, size_t key_len),
                          const void *arg, struct cc_drift *out)
{
    struct lines a, b;
    size_t i = 0, j = 0;

    lines_of(old, skip, arg, &a);
    lines_of(new, skip, arg, &b);
    while (i < a.n || j < b.n) {
        int c;

        if (i == a.n || j == b.n) {
            c = i == a.n ? 1 : -1;
        } else {
            size_t n = a.l[i].klen < b.l[j].klen ? a.l[i].klen : b.l[j].klen;

            c = memcmp(a.l[i].k, b.l[j].k, n);
            if (!c)
                c = (a.l[i].klen > b.l[j].klen) - (a.l[i].klen < b.l[j].klen);
        }
        if (c < 0) {
            add_changed(out, &a.l[i++], NULL);
        } else if (c > 0) {
            add_changed(out, NULL, &b.l[j++]);
        } else {
            if (a.l[i].vlen != b.l[j].vlen || memcmp(a.l[i].v, b.l[j].v, a.l[i].vlen) != 0)
                add_changed(out, &a.l[i], &b.l[j]);
            i++;
            j++;
        }
    }
    free(a.l);
    free(b.l);
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
    if (v.n)
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
