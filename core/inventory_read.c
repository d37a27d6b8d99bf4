/* Reading a fleet: reader processes each take every W-th file, read it once, and write compact
 * records to a scratch file of their own: the host (file, hostname, times, QEMU release) and its
 * class key. A reader sends a canonical text only the first time it meets it, so the records stay
 * small when a fleet has few classes. Processes rather than threads: each reader has its own copy
 * of the lazily loaded tables, and a reader that crashes cannot leave the parent's memory
 * half-written. The parent merges the records in file order, so the answer does not depend on how
 * the work was split. */
#include "inventory.h"
#include "capdoc_io.h"
#include "cleanup.h"
#include "drift.h"
#include "error.h"
#include "grow.h"
#include "hash_index.h"
#include "inventory_memo.h"
#include "xml_load.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_WORKERS 8
#define NO_STRING   UINT32_MAX

enum { REC_CANONICAL = 'C', REC_HOST = 'H', REC_ERROR = 'E' };

static void put_u32(FILE *f, uint32_t v)
{
    fwrite(&v, sizeof(v), 1, f);
}

static void put_str(FILE *f, const char *s)
{
    size_t n = s ? strlen(s) : 0;

    put_u32(f, s ? (uint32_t)n : NO_STRING);
    fwrite(s ? s : "", 1, n, f);
}

/* The class keys one reader has met: the canonical texts, found by hash. */
struct seen {
    char **texts;
    uint64_t *hashes;
    size_t n, cap, cap_h;
    struct cc_index index;
};

static uint64_t seen_hash(const void *array, size_t pos)
{
    return ((const struct seen *)array)->hashes[pos];
}

static bool seen_eq(const void *array, size_t pos, const void *key)
{
    return strcmp(((const struct seen *)array)->texts[pos], key) == 0;
}

static void seen_free(struct seen *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->texts[i]);
    free(s->texts);
    free(s->hashes);
    cc_index_free(&s->index);
}

/* The id of text among those seen, adding it (and writing its record) when new. Found by a
 * hash eight bytes a step and then the whole string: the fingerprint's byte-wise hash of every
 * host's text was a twentieth of a reader's time; the parent computes it once per class. */
static int seen_id(struct seen *s, char *text, FILE *out, uint32_t *id)
{
    uint64_t h = cc_hash_words(text, strlen(text));
    size_t pos = cc_index_find(&s->index, h, s, seen_eq, text);

    if (pos != SIZE_MAX) {
        free(text);
        *id = (uint32_t)pos;
        return 0;
    }
    CC_GROW(s->texts, s->cap, s->n);
    CC_GROW(s->hashes, s->cap_h, s->n);
    s->texts[s->n] = text;
    s->hashes[s->n] = h;
    *id = (uint32_t)s->n++;
    fputc(REC_CANONICAL, out);
    put_u32(out, *id);
    put_str(out, text);
    return cc_index_catch_up(&s->index, s->n, s, seen_hash);
}

/* The origin element's attribute name in a checked file, or NULL. */
static const char *origin_attr(xmlDocPtr xdoc, const char *name)
{
    for (xmlNodePtr c = xmlDocGetRootElement(xdoc)->children; c; c = c->next)
        if (cc_xml_is(c, "origin"))
            return cc_xml_attr(c, name);
    return NULL;
}

static void read_one(struct cc_ctx *ctx, const char *file, uint32_t idx, struct seen *seen,
                     struct cc_inv_memo *memo, struct cc_inv_memo_key *key, FILE *out)
{
    _cleanup_xmldoc_ xmlDocPtr xdoc = NULL;
    const struct cc_arch_ops *arch = NULL;
    const struct cc_inv_memo_entry *known = NULL;
    struct cc_doc *doc = NULL;
    char *data = NULL, *text = NULL, *versions = NULL;
    const char *hostname = NULL, *created = NULL, *qemu = NULL;
    size_t len = 0;
    struct stat st;
    uint32_t id = 0;
    int r;

    cc_error_clear();
    r = cc_read_file(file, CC_XML_MAX_BYTES, &data, &len);
    if (r == 0)
        r = cc_xml_parse(file, data, len, &xdoc);
    if (r == 0)
        r = cc_doc_check(ctx, file, xdoc, &arch);
    if (r == 0) {
        hostname = origin_attr(xdoc, "hostname");
        created = origin_attr(xdoc, "created");
        cc_inv_memo_key(key, data, len, hostname, created);
        known = cc_inv_memo_find(memo, key);
    }
    if (r == 0 && known) {
        id = known->id;
        qemu = known->qemu;
        versions = xstrdup(known->versions);
    } else if (r == 0) {
        r = cc_doc_decode(ctx, file, xdoc, arch, &doc);
        if (r == 0)
            r = cc_canonical(ctx, doc, file, &text);
        if (r == 0)
            r = seen_id(seen, text, out, &id);
        if (r == 0) {
            qemu = cc_kv_get(&doc->origin, "qemu-version");
            versions = cc_doc_versions(doc);
            cc_inv_memo_add(memo, key, id, qemu, versions);
        }
    }
    free(data);
    if (r < 0) {
        fputc(REC_ERROR, out);
        put_u32(out, idx);
        put_str(out, cc_error_message());
    } else {
        fputc(REC_HOST, out);
        put_u32(out, idx);
        put_u32(out, id);
        int64_t mtime = stat(file, &st) == 0 ? (int64_t)st.st_mtime : 0;
        fwrite(&mtime, sizeof(mtime), 1, out);
        put_str(out, hostname);
        put_str(out, created);
        put_str(out, qemu);
        put_str(out, arch->name);
        put_str(out, versions);
    }
    free(versions);
    cc_doc_free(doc);
}

/* Reader w of n: files w, w + n, ... */
static int reader(struct cc_ctx *ctx, const struct cc_strlist *files, unsigned w, unsigned n,
                  FILE *out)
{
    struct seen seen = {0};
    struct cc_inv_memo memo = {0};
    struct cc_inv_memo_key key = {0};

    for (size_t i = w; i < files->n; i += n)
        read_one(ctx, files->items[i], (uint32_t)i, &seen, &memo, &key, out);
    seen_free(&seen);
    cc_inv_memo_free(&memo);
    cc_inv_memo_key_free(&key);
    return fflush(out) == 0 && !ferror(out) ? 0
                                            : cc_error(EIO, "cannot write the reader's records");
}

/* ---- the parent's side ---- */

struct merge {
    struct cc_inventory *inv;
    uint64_t *hashes; /* of inv->classes[i].canonical */
    size_t cap_classes, cap_hashes;
    struct cc_index index;
    const struct cc_strlist *files;
};

static uint64_t class_hash(const void *array, size_t pos)
{
    return ((const struct merge *)array)->hashes[pos];
}

static bool class_eq(const void *array, size_t pos, const void *key)
{
    return strcmp(((const struct merge *)array)->inv->classes[pos].canonical, key) == 0;
}

static int get_u32(FILE *f, uint32_t *v)
{
    return fread(v, sizeof(*v), 1, f) == 1 ? 0 : -1;
}

static int get_str(FILE *f, char **s)
{
    uint32_t n;

    *s = NULL;
    if (get_u32(f, &n) < 0)
        return -1;
    if (n == NO_STRING)
        return 0;
    *s = xmalloc((size_t)n + 1);
    if (fread(*s, 1, n, f) != n) {
        free(*s);
        *s = NULL;
        return -1;
    }
    (*s)[n] = '\0';
    return 0;
}

/* The class of a canonical text, made when new (takes text over). */
static size_t class_of(struct merge *m, char *text)
{
    struct cc_inventory *inv = m->inv;
    uint64_t h = cc_hash_bytes(text, strlen(text));
    size_t pos = cc_index_find(&m->index, h, m, class_eq, text);

    if (pos != SIZE_MAX) {
        free(text);
        return pos;
    }
    CC_GROW(inv->classes, m->cap_classes, inv->n_classes);
    CC_GROW(m->hashes, m->cap_hashes, inv->n_classes);
    pos = inv->n_classes++;
    inv->classes[pos] = (struct cc_inv_class){.canonical = text};
    cc_fingerprint_of(text, strlen(text), inv->classes[pos].id);
    m->hashes[pos] = h;
    cc_index_catch_up(&m->index, inv->n_classes, m, class_hash);
    return pos;
}

static int merge_records(struct merge *m, FILE *f, char **errors)
{
    struct cc_inventory *inv = m->inv;
    size_t *local = NULL, cap = 0, n_local = 0;
    int c, r = 0;

    rewind(f);
    while (r == 0 && (c = fgetc(f)) != EOF) {
        uint32_t idx, id;
        char *s = NULL;

        if (c == REC_CANONICAL) {
            if (get_u32(f, &id) < 0 || id != n_local || get_str(f, &s) < 0 || !s) {
                r = -1;
                break;
            }
            CC_GROW(local, cap, n_local);
            local[n_local++] = class_of(m, s);
        } else if (c == REC_ERROR) {
            if (get_u32(f, &idx) < 0 || idx >= m->files->n || get_str(f, &s) < 0) {
                r = -1;
                break;
            }
            free(errors[idx]);
            errors[idx] = s ? s : xstrdup("unknown error");
        } else if (c == REC_HOST) {
            struct cc_inv_host *h;
            char *arch = NULL;

            if (get_u32(f, &idx) < 0 || idx >= m->files->n || get_u32(f, &id) < 0 ||
                id >= n_local) {
                r = -1;
                break;
            }
            h = &inv->hosts[idx];
            h->file = xstrdup(m->files->items[idx]);
            h->cls = local[id];
            h->superseded_by = SIZE_MAX;
            if (fread(&h->mtime, sizeof(h->mtime), 1, f) != 1 || get_str(f, &h->hostname) < 0 ||
                get_str(f, &h->created) < 0 || get_str(f, &h->qemu) < 0 || get_str(f, &arch) < 0 ||
                get_str(f, &h->versions) < 0 || !arch || !(h->arch = cc_arch_find(arch)))
                r = -1;
            inv->classes[h->cls].arch = h->arch;
            free(arch);
        } else {
            r = -1;
        }
    }
    free(local);
    return r < 0 ? cc_error(EIO, "internal: a reader's records are malformed") : 0;
}

static unsigned workers_for(unsigned asked, size_t n_files)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned w = asked ? asked : cpus > 0 ? (unsigned)cpus : 1;

    if (w > MAX_WORKERS)
        w = MAX_WORKERS;
    if (w > n_files)
        w = n_files ? (unsigned)n_files : 1;
    return w;
}

/* Runs the readers and merges what they wrote into inv. */
static int read_all(struct cc_ctx *ctx, struct cc_inventory *inv, const struct cc_strlist *files,
                    unsigned n, char **errors)
{
    FILE *out[MAX_WORKERS] = {0};
    pid_t pids[MAX_WORKERS];
    struct merge m = {.inv = inv, .files = files};
    int r = 0;

    for (unsigned w = 0; w < n && r == 0; w++)
        if (!(out[w] = tmpfile()))
            r = cc_error(errno, "cannot make a scratch file for the readers: %s", strerror(errno));
    if (r == 0 && n == 1) {
        r = reader(ctx, files, 0, 1, out[0]);
    } else if (r == 0) {
        fflush(NULL);
        for (unsigned w = 0; w < n; w++) {
            pids[w] = fork();
            if (pids[w] == 0)
                _exit(reader(ctx, files, w, n, out[w]) == 0 ? 0 : 3);
            if (pids[w] < 0) {
                r = cc_error(errno, "cannot start a reader process: %s", strerror(errno));
                n = w;
            }
        }
        for (unsigned w = 0; w < n; w++) {
            int status;

            while (waitpid(pids[w], &status, 0) < 0)
                if (errno != EINTR)
                    return cc_error(errno, "waiting for a reader: %s", strerror(errno));
            if (r == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
                r = cc_error(EIO, "reader process %u of %u failed (%s %d)", w + 1, n,
                             WIFSIGNALED(status) ? "signal" : "exit status",
                             WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
        }
    }
    for (unsigned w = 0; w < n && r == 0; w++)
        r = merge_records(&m, out[w], errors);
    for (unsigned w = 0; w < MAX_WORKERS; w++)
        if (out[w])
            fclose(out[w]);
    free(m.hashes);
    cc_index_free(&m.index);
    return r;
}

/* ---- duplicates, classes, representatives ---- */

static int newer(const struct cc_inv_host *a, const struct cc_inv_host *b)
{
    int c = strcmp(a->created ? a->created : "", b->created ? b->created : "");

    if (c)
        return c > 0;
    if (a->mtime != b->mtime)
        return a->mtime > b->mtime;
    return strcmp(a->file, b->file) > 0;
}

struct names {
    const struct cc_inventory *inv;
    size_t *host; /* per distinct hostname: its newest host */
    size_t n, cap;
    struct cc_index index;
};

static uint64_t name_hash(const void *array, size_t pos)
{
    const struct names *t = array;
    const char *s = t->inv->hosts[t->host[pos]].hostname;

    return cc_hash_bytes(s, strlen(s));
}

static bool name_eq(const void *array, size_t pos, const void *key)
{
    const struct names *t = array;

    return strcmp(t->inv->hosts[t->host[pos]].hostname, key) == 0;
}

/* Keeps the newest file of each hostname; the others point at it. */
static void supersede(struct cc_inventory *inv)
{
    struct names t = {.inv = inv};

    for (size_t i = 0; i < inv->n_hosts; i++) {
        struct cc_inv_host *h = &inv->hosts[i];
        size_t pos;

        if (!h->hostname)
            continue;
        pos = cc_index_find(&t.index, cc_hash_bytes(h->hostname, strlen(h->hostname)), &t, name_eq,
                            h->hostname);
        if (pos == SIZE_MAX) {
            CC_GROW(t.host, t.cap, t.n);
            t.host[t.n++] = i;
            cc_index_catch_up(&t.index, t.n, &t, name_hash);
        } else if (newer(h, &inv->hosts[t.host[pos]])) {
            t.host[pos] = i;
        }
    }
    for (size_t i = 0; i < inv->n_hosts; i++) {
        struct cc_inv_host *h = &inv->hosts[i];

        if (h->hostname) {
            size_t pos = cc_index_find(&t.index, cc_hash_bytes(h->hostname, strlen(h->hostname)),
                                       &t, name_eq, h->hostname);
            h->superseded_by = t.host[pos] == i ? SIZE_MAX : t.host[pos];
        }
    }
    free(t.host);
    cc_index_free(&t.index);
}

static int by_class(const void *a, const void *b)
{
    const struct cc_inv_class *x = a, *y = b;
    int c = strcmp(x->arch->name, y->arch->name);

    return c ? c : strcmp(x->id, y->id);
}

static void free_class(struct cc_inv_class *c)
{
    free(c->canonical);
    free(c->hosts);
    for (size_t i = 0; i < c->n_reps; i++)
        cc_doc_free(c->reps[i].doc);
    free(c->reps);
    cc_strlist_free(&c->models);
    cc_strlist_free(&c->best);
}

/* Drops the classes no kept host is in, sorts the rest by architecture and id, and lists each
 * class's hosts. */
static void settle_classes(struct cc_inventory *inv)
{
    size_t *count = xcalloc(inv->n_classes + 1, sizeof(size_t));
    size_t *remap = xcalloc(inv->n_classes + 1, sizeof(size_t)), n = 0;
    size_t *order;

    for (size_t i = 0; i < inv->n_hosts; i++)
        if (inv->hosts[i].superseded_by == SIZE_MAX)
            count[inv->hosts[i].cls]++;
    for (size_t c = 0; c < inv->n_classes; c++) {
        /* The class index travels in the hosts field until the order is known. */
        if (count[c]) {
            inv->classes[c].n_hosts = c;
            inv->classes[n++] = inv->classes[c];
        } else {
            free_class(&inv->classes[c]);
        }
    }
    inv->n_classes = n;
    if (n)
        qsort(inv->classes, n, sizeof(*inv->classes), by_class);
    order = xcalloc(n + 1, sizeof(size_t));
    for (size_t c = 0; c < n; c++) {
        remap[inv->classes[c].n_hosts] = c;
        order[c] = count[inv->classes[c].n_hosts];
        inv->classes[c].n_hosts = 0;
        inv->classes[c].hosts = xcalloc(order[c], sizeof(size_t));
        inv->classes[c].cap_hosts = order[c];
    }
    for (size_t i = 0; i < inv->n_hosts; i++) {
        struct cc_inv_host *h = &inv->hosts[i];
        struct cc_inv_class *c;

        h->cls = remap[h->cls];
        if (h->superseded_by != SIZE_MAX)
            continue;
        c = &inv->classes[h->cls];
        c->hosts[c->n_hosts++] = i;
    }
    free(order);
    free(count);
    free(remap);
}

static bool same_qemu(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The representative of host i's class and QEMU release, read again and checked to be the CPU
 * the reader found: a fleet directory may be rewritten while the inventory reads it, and a
 * class judged by a file that changed meanwhile would carry another host's answers. */
static int read_rep(struct cc_ctx *ctx, struct cc_inventory *inv, size_t i, struct cc_doc **out)
{
    const struct cc_inv_host *h = &inv->hosts[i];
    const struct cc_inv_class *cls = &inv->classes[h->cls];
    char fp[CC_FINGERPRINT_LEN], *text = NULL;
    struct cc_doc *doc = NULL;
    int r;

    cc_error_clear();
    r = cc_doc_read(ctx, h->file, &doc);
    if (r == 0)
        r = cc_fingerprint(ctx, doc, h->file, fp, &text);
    if (r == 0 && (strcmp(text, cls->canonical) != 0 ||
                   !same_qemu(cc_kv_get(&doc->origin, "qemu-version"), h->qemu)))
        r = cc_error(EAGAIN, "%s: changed while the inventory read it; left out", h->file);
    free(text);
    if (r < 0) {
        cc_doc_free(doc);
        return r;
    }
    *out = doc;
    return 0;
}

static bool has_rep(const struct cc_inventory *inv, const struct cc_inv_host *h)
{
    const struct cc_inv_class *cls = &inv->classes[h->cls];

    for (size_t j = 0; j < cls->n_reps; j++)
        if (same_qemu(inv->hosts[cls->reps[j].host].qemu, h->qemu))
            return true;
    return false;
}

/* One representative per class and QEMU release, before duplicates are settled (the host
 * indexes change only here). A file that no longer holds what its reader found cannot stand for
 * its class, but its host stays: the reader's whole read of it is a true snapshot. Only when no
 * host of a class and release could be read again alike are its hosts errors, left out, as the
 * class could not be judged. */
static void load_reps(struct cc_ctx *ctx, struct cc_inventory *inv)
{
    char **failed = xcalloc(inv->n_hosts + 1, sizeof(char *));
    size_t *moved = xcalloc(inv->n_hosts + 1, sizeof(size_t)), kept = 0;

    for (size_t i = 0; i < inv->n_hosts; i++) {
        struct cc_inv_host *h = &inv->hosts[i];
        struct cc_inv_class *cls = &inv->classes[h->cls];
        struct cc_doc *doc = NULL;

        if (has_rep(inv, h))
            continue;
        if (read_rep(ctx, inv, i, &doc) < 0) {
            failed[i] = xstrdup(cc_error_message());
            continue;
        }
        cls->reps = xreallocarray(cls->reps, cls->n_reps + 1, sizeof(*cls->reps));
        cls->reps[cls->n_reps++] = (struct cc_inv_rep){.host = i, .doc = doc};
    }
    for (size_t i = 0; i < inv->n_hosts; i++) {
        struct cc_inv_host *h = &inv->hosts[i];

        if (failed[i] && !has_rep(inv, h)) {
            cc_inventory_error(inv, h->file, failed[i]);
            free(h->file);
            free(h->hostname);
            free(h->created);
            free(h->qemu);
            free(h->path);
            free(h->versions);
            moved[i] = SIZE_MAX;
        } else {
            moved[i] = kept++;
        }
        free(failed[i]);
    }
    for (size_t c = 0; c < inv->n_classes; c++)
        for (size_t j = 0; j < inv->classes[c].n_reps; j++)
            inv->classes[c].reps[j].host = moved[inv->classes[c].reps[j].host];
    for (size_t i = 0; i < inv->n_hosts; i++)
        if (moved[i] != SIZE_MAX)
            inv->hosts[moved[i]] = inv->hosts[i];
    inv->n_hosts = kept;
    free(failed);
    free(moved);
}

/* After duplicates are settled: each representative stands for the first kept host of its
 * release in its class, in the class's host order, and a release no kept host has is dropped
 * (its files were all superseded). reps[0] is then the first kept host's. */
static void settle_reps(struct cc_inventory *inv)
{
    for (size_t c = 0; c < inv->n_classes; c++) {
        struct cc_inv_class *cls = &inv->classes[c];
        struct cc_inv_rep *reps = xcalloc(cls->n_reps + 1, sizeof(*reps));
        size_t n = 0;

        for (size_t k = 0; k < cls->n_hosts; k++) {
            const char *q = inv->hosts[cls->hosts[k]].qemu;
            bool have = false;

            for (size_t j = 0; j < n && !have; j++)
                have = same_qemu(inv->hosts[reps[j].host].qemu, q);
            for (size_t j = 0; j < cls->n_reps && !have; j++)
                if (cls->reps[j].doc && same_qemu(inv->hosts[cls->reps[j].host].qemu, q)) {
                    reps[n++] = (struct cc_inv_rep){.host = cls->hosts[k], .doc = cls->reps[j].doc};
                    cls->reps[j].doc = NULL;
                    have = true;
                }
        }
        for (size_t j = 0; j < cls->n_reps; j++)
            cc_doc_free(cls->reps[j].doc);
        free(cls->reps);
        cls->reps = reps;
        cls->n_reps = n;
    }
}

int cc_inventory_read(struct cc_ctx *ctx, struct cc_inventory *inv, const struct cc_strlist *files,
                      unsigned workers)
{
    char **errors = xcalloc(files->n + 1, sizeof(char *));
    size_t n = 0;
    int r;

    inv->workers = workers_for(workers, files->n);
    inv->hosts = xcalloc(files->n + 1, sizeof(*inv->hosts));
    inv->n_hosts = 0;
    r = read_all(ctx, inv, files, inv->workers, errors);
    /* Hosts and errors in file order; a slot a reader left empty is an error. */
    for (size_t i = 0; i < files->n; i++) {
        if (errors[i])
            cc_inventory_error(inv, files->items[i], errors[i]);
        else if (inv->hosts[i].file)
            inv->hosts[n++] = inv->hosts[i];
        else if (r == 0)
            r = cc_error(EIO, "internal: no record of %s", files->items[i]);
        free(errors[i]);
    }
    free(errors);
    inv->n_hosts = n;
    if (r < 0)
        return r;
    load_reps(ctx, inv);
    supersede(inv);
    settle_classes(inv);
    settle_reps(inv);
    return 0;
}

void cc_inventory_error(struct cc_inventory *inv, const char *file, const char *message)
{
    CC_GROW(inv->errors, inv->cap_errors, inv->n_errors);
    inv->errors[inv->n_errors++] =
        (struct cc_inv_error){.file = file ? xstrdup(file) : NULL, .message = xstrdup(message)};
}

void cc_inventory_free(struct cc_inventory *inv)
{
    for (size_t i = 0; i < inv->n_hosts; i++) {
        free(inv->hosts[i].file);
        free(inv->hosts[i].hostname);
        free(inv->hosts[i].created);
        free(inv->hosts[i].qemu);
        free(inv->hosts[i].path);
        free(inv->hosts[i].versions);
    }
    free(inv->hosts);
    for (size_t c = 0; c < inv->n_classes; c++)
        free_class(&inv->classes[c]);
    for (size_t i = 0; inv->matrix && i < inv->n_classes * inv->n_classes; i++)
        for (size_t b = 0; b < inv->matrix[i].n_blockers; b++) {
            free(inv->matrix[i].blockers[b].name);
            free(inv->matrix[i].blockers[b].detail);
        }
    free(inv->matrix);
    free(inv->classes);
    for (size_t i = 0; i < inv->n_errors; i++) {
        free(inv->errors[i].file);
        free(inv->errors[i].message);
    }
    free(inv->errors);
    for (size_t d = 0; d < inv->n_domains; d++)
        free(inv->domains[d]);
    free(inv->domains);
    free(inv->domain_sizes);
    free(inv->guest);
    free(inv->accepts);
    cc_inv_drift_free(inv->drift);
    *inv = (struct cc_inventory){0};
}
