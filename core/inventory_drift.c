/* inventory --since: what changed per host between an old fleet (a previous inventory's JSON, or
 * yesterday's capability files) and today's. Both sides become lists of hosts with their class's
 * canonical text and their versions; hosts are paired by hostname, else by path below the
 * argument they were found under; each pair whose class or versions differ is diffed by its
 * architecture (cc_arch_ops.canonical_diff), which alone knows what a line of its form means. */
#include "inventory_drift.h"
#include "arch.h"
#include "error.h"
#include "grow.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void cc_drift_side_host(struct cc_drift_side *s, const char *file, const char *path,
                        const char *hostname, const struct cc_arch_ops *arch, const char *id,
                        size_t canon, const char *versions)
{
    struct cc_drift_host *h;

    CC_GROW(s->hosts, s->cap_hosts, s->n_hosts);
    h = &s->hosts[s->n_hosts++];
    *h = (struct cc_drift_host){.file = xstrdup(file),
                                .path = xstrdup(path ? path : file),
                                .hostname = hostname ? xstrdup(hostname) : NULL,
                                .versions = xstrdup(versions ? versions : ""),
                                .arch = arch,
                                .canon = canon};
    snprintf(h->id, sizeof(h->id), "%s", id);
}

size_t cc_drift_side_canon(struct cc_drift_side *s, const char *text)
{
    CC_GROW(s->canon, s->cap_canon, s->n_canon);
    s->canon[s->n_canon] = xstrdup(text);
    return s->n_canon++;
}

/* The kept hosts of an inventory, with their classes' texts. */
static void side_of(const struct cc_inventory *inv, struct cc_drift_side *s)
{
    size_t first = s->n_canon;

    for (size_t c = 0; c < inv->n_classes; c++)
        cc_drift_side_canon(s, inv->classes[c].canonical);
    for (size_t i = 0; i < inv->n_hosts; i++) {
        const struct cc_inv_host *h = &inv->hosts[i];

        if (h->superseded_by == SIZE_MAX)
            cc_drift_side_host(s, h->file, h->path, h->hostname, h->arch, inv->classes[h->cls].id,
                               first + h->cls, h->versions);
    }
}

void cc_drift_side_free(struct cc_drift_side *s)
{
    for (size_t i = 0; i < s->n_hosts; i++) {
        free(s->hosts[i].file);
        free(s->hosts[i].path);
        free(s->hosts[i].hostname);
        free(s->hosts[i].versions);
    }
    free(s->hosts);
    for (size_t i = 0; i < s->n_canon; i++)
        free(s->canon[i]);
    free(s->canon);
    *s = (struct cc_drift_side){0};
}

void cc_inv_drift_free(struct cc_inv_drift *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n_since; i++)
        free(d->since[i]);
    free(d->since);
    cc_drift_side_free(&d->old);
    cc_drift_side_free(&d->now);
    for (size_t i = 0; i < d->n_entries; i++) {
        cc_drift_free(&d->entries[i].d);
        cc_drift_free(&d->entries[i].versions);
    }
    free(d->entries);
    free(d->appeared);
    free(d->gone);
    free(d);
}

void cc_inventory_relative(struct cc_inventory *inv, const char *const *roots, size_t n)
{
    for (size_t i = 0; i < inv->n_hosts; i++) {
        struct cc_inv_host *h = &inv->hosts[i];
        const char *best = NULL;
        size_t best_len = 0;

        for (size_t r = 0; r < n; r++) {
            size_t len = strlen(roots[r]);

            while (len > 1 && roots[r][len - 1] == '/')
                len--;
            if (strcmp(h->file, roots[r]) == 0) {
                const char *slash = strrchr(h->file, '/');

                best = slash ? slash + 1 : h->file;
                break;
            }
            if (len > best_len && strncmp(h->file, roots[r], len) == 0 &&
                (h->file[len] == '/' || roots[r][len - 1] == '/')) {
                best = h->file + len;
                best_len = len;
            }
        }
        while (best && *best == '/')
            best++;
        free(h->path);
        h->path = xstrdup(best && *best ? best : h->file);
    }
}

/* ---- pairing ---- */

struct sorter {
    const struct cc_drift_side *side;
    bool by_name;
};

static struct sorter sort_ctx; /* qsort has no argument; one sort runs at a time */

static const char *key_of(const struct cc_drift_host *h, bool by_name)
{
    return by_name ? h->hostname : h->path;
}

static int by_key(const void *a, const void *b)
{
    const struct cc_drift_host *x = &sort_ctx.side->hosts[*(const size_t *)a];
    const struct cc_drift_host *y = &sort_ctx.side->hosts[*(const size_t *)b];
    int c = strcmp(key_of(x, sort_ctx.by_name), key_of(y, sort_ctx.by_name));

    return c ? c
             : (*(const size_t *)a > *(const size_t *)b) -
                   (*(const size_t *)a < *(const size_t *)b);
}

/* The unpaired hosts of s that have a key (a hostname; or a path, when with_name is false or
 * the host has no hostname), sorted by it. */
static size_t *candidates(const struct cc_drift_side *s, const size_t *pair, bool by_name,
                          size_t *n)
{
    size_t *idx = xcalloc(s->n_hosts + 1, sizeof(size_t));

    *n = 0;
    for (size_t i = 0; i < s->n_hosts; i++)
        if (pair[i] == SIZE_MAX && (by_name ? s->hosts[i].hostname != NULL : true))
            idx[(*n)++] = i;
    sort_ctx = (struct sorter){s, by_name};
    if (*n)
        qsort(idx, *n, sizeof(size_t), by_key);
    return idx;
}

/* Pairs old and new hosts with equal keys (hostnames; or paths, where one side has no
 * hostname), first come first paired. */
static void pair_by(struct cc_inv_drift *d, size_t *old_pair, size_t *new_pair, bool by_name)
{
    size_t na, nb, i = 0, j = 0;
    size_t *a = candidates(&d->old, old_pair, by_name, &na);
    size_t *b = candidates(&d->now, new_pair, by_name, &nb);

    while (i < na && j < nb) {
        const struct cc_drift_host *x = &d->old.hosts[a[i]], *y = &d->now.hosts[b[j]];
        int c = strcmp(key_of(x, by_name), key_of(y, by_name));

        if (c < 0) {
            i++;
        } else if (c > 0) {
            j++;
        } else {
            if (by_name || !x->hostname || !y->hostname) {
                old_pair[a[i]] = b[j];
                new_pair[b[j]] = a[i];
            }
            i++;
            j++;
        }
    }
    free(a);
    free(b);
}

static int diff_pair(struct cc_ctx *ctx, struct cc_inv_drift *d, size_t o, size_t n, bool by_name)
{
    const struct cc_drift_host *x = &d->old.hosts[o], *y = &d->now.hosts[n];
    const char *a = d->old.canon[x->canon], *b = d->now.canon[y->canon];
    struct cc_drift_entry e = {.old_host = o, .new_host = n, .by_hostname = by_name};
    int r = 0;

    if (x->arch != y->arch)
        cc_changes_add(&e.d.lost, "arch", x->arch->name, y->arch->name);
    else if (strcmp(a, b) != 0)
        r = y->arch->canonical_diff
                ? y->arch->canonical_diff(ctx, a, b, &e.d)
                : cc_error(ENOTSUP, "%s: no drift for %s yet", y->file, y->arch->name);
    if (r == 0)
        cc_canon_other_lines(x->versions, y->versions, NULL, NULL, &e.versions);
    if (r < 0) {
        cc_drift_free(&e.d);
        cc_drift_free(&e.versions);
        return r;
    }
    if (strcmp(a, b) == 0 && x->arch == y->arch && !e.versions.changed.n) {
        d->n_unchanged++;
        return 0;
    }
    CC_GROW(d->entries, d->cap_entries, d->n_entries);
    d->entries[d->n_entries++] = e;
    return 0;
}

static const struct cc_inv_drift *entry_sort;

/* Hosts that lost something first (the headline), then by today's file. */
static int by_loss(const void *a, const void *b)
{
    const struct cc_drift_entry *x = a, *y = b;
    bool lx = x->d.lost.n != 0, ly = y->d.lost.n != 0;

    if (lx != ly)
        return lx ? -1 : 1;
    return strcmp(entry_sort->now.hosts[x->new_host].file, entry_sort->now.hosts[y->new_host].file);
}

static int compare_sides(struct cc_ctx *ctx, struct cc_inv_drift *d)
{
    size_t *old_pair = xcalloc(d->old.n_hosts + 1, sizeof(size_t));
    size_t *new_pair = xcalloc(d->now.n_hosts + 1, sizeof(size_t));
    int r = 0;

    memset(old_pair, 0xff, (d->old.n_hosts + 1) * sizeof(size_t));
    memset(new_pair, 0xff, (d->now.n_hosts + 1) * sizeof(size_t));
    pair_by(d, old_pair, new_pair, true);
    pair_by(d, old_pair, new_pair, false);
    for (size_t i = 0; i < d->now.n_hosts && r == 0; i++) {
        size_t o = new_pair[i];

        if (o == SIZE_MAX) {
            CC_GROW(d->appeared, d->cap_appeared, d->n_appeared);
            d->appeared[d->n_appeared++] = i;
        } else {
            const struct cc_drift_host *x = &d->old.hosts[o], *y = &d->now.hosts[i];

            r = diff_pair(ctx, d, o, i,
                          x->hostname && y->hostname && strcmp(x->hostname, y->hostname) == 0);
        }
    }
    for (size_t i = 0; i < d->old.n_hosts; i++)
        if (old_pair[i] == SIZE_MAX) {
            CC_GROW(d->gone, d->cap_gone, d->n_gone);
            d->gone[d->n_gone++] = i;
        }
    free(old_pair);
    free(new_pair);
    entry_sort = d;
    if (d->n_entries)
        qsort(d->entries, d->n_entries, sizeof(*d->entries), by_loss);
    for (size_t i = 0; i < d->n_entries; i++)
        d->n_lost += d->entries[i].d.lost.n != 0;
    return r;
}

/* ---- the old side ---- */

/* Old capability files and directories: read as an inventory of their own (no matrix). */
static int old_from_files(struct cc_ctx *ctx, struct cc_inventory *inv, struct cc_inv_drift *d,
                          const char *const *paths, size_t n, unsigned workers)
{
    struct cc_inventory old = {0};
    struct cc_strlist files = {0};
    int r = cc_inventory_scan(&old, paths, n, &files);

    if (r == 0)
        r = cc_inventory_read(ctx, &old, &files, workers);
    if (r == 0) {
        cc_inventory_relative(&old, paths, n);
        side_of(&old, &d->old);
        for (size_t i = 0; i < old.n_errors; i++)
            cc_inventory_error(inv, old.errors[i].file, old.errors[i].message);
    }
    cc_strlist_free(&files);
    cc_inventory_free(&old);
    return r;
}

/* An inventory's JSON starts with '{'; a capability file with '<'. */
static int kind_of(const char *path, bool *json)
{
    struct stat st;
    FILE *f;
    int c;

    *json = false;
    if (stat(path, &st) < 0)
        return cc_error(errno, "%s: %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode))
        return 0;
    if (!(f = fopen(path, "r")))
        return cc_error(errno, "%s: %s", path, strerror(errno));
    while ((c = fgetc(f)) != EOF && isspace(c))
        ;
    fclose(f);
    if (c == '{')
        *json = true;
    else if (c != '<')
        return cc_error(
            EINVAL, "%s: neither an inventory's JSON nor a capability file nor a directory", path);
    return 0;
}

int cc_inventory_since(struct cc_ctx *ctx, struct cc_inventory *inv, const char *const *old,
                       size_t n_old, unsigned workers, size_t *n_lost)
{
    struct cc_inv_drift *d = xcalloc(1, sizeof(*d));
    bool json = false;
    int r = 0;

    d->since = xcalloc(n_old + 1, sizeof(char *));
    for (size_t i = 0; i < n_old; i++)
        d->since[d->n_since++] = xstrdup(old[i]);
    for (size_t i = 0; i < n_old && r == 0; i++) {
        bool j = false;

        r = kind_of(old[i], &j);
        if (r == 0 && j && n_old > 1)
            r = cc_error(EINVAL, "%s: an inventory's JSON is the whole old fleet: give it alone",
                         old[i]);
        json = json || j;
    }
    if (r == 0)
        r = json ? cc_drift_old_json(old[0], &d->old)
                 : old_from_files(ctx, inv, d, old, n_old, workers);
    if (r == 0) {
        side_of(inv, &d->now);
        r = compare_sides(ctx, d);
    }
    if (r < 0) {
        cc_inv_drift_free(d);
        return r;
    }
    *n_lost = d->n_lost;
    cc_inv_drift_free(inv->drift);
    inv->drift = d;
    return 0;
}
