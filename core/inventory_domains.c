/* Migration domains: the largest groups of classes in which every host can take every other's
 * host-model guests, i.e. the maximal cliques of the graph whose edges join two classes that are
 * migratable both ways. Bron-Kerbosch with a pivot; that graph is sparse in a real fleet (two
 * classes are mutually migratable only when they differ in what compare lets pass both ways). */
#include "inventory.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

struct bk {
    struct cc_inventory *inv;
    size_t *r; /* the clique being grown */
    size_t n_r;
    size_t cap_domains;
};

static bool mutual(const struct cc_inventory *inv, size_t a, size_t b)
{
    size_t n = inv->n_classes;

    return a != b && inv->matrix[a * n + b].migratable && inv->matrix[b * n + a].migratable;
}

static void report(struct bk *bk)
{
    struct cc_inventory *inv = bk->inv;
    size_t *d = xmalloc((bk->n_r + 1) * sizeof(size_t));

    memcpy(d, bk->r, bk->n_r * sizeof(size_t));
    for (size_t i = 1; i < bk->n_r; i++) /* insertion sort: cliques are small */
        for (size_t j = i; j > 0 && d[j - 1] > d[j]; j--) {
            size_t t = d[j];
            d[j] = d[j - 1];
            d[j - 1] = t;
        }
    if (inv->n_domains == bk->cap_domains) {
        bk->cap_domains = bk->cap_domains ? 2 * bk->cap_domains : 16;
        inv->domains = xreallocarray(inv->domains, bk->cap_domains, sizeof(*inv->domains));
        inv->domain_sizes =
            xreallocarray(inv->domain_sizes, bk->cap_domains, sizeof(*inv->domain_sizes));
    }
    inv->domains[inv->n_domains] = d;
    inv->domain_sizes[inv->n_domains++] = bk->n_r;
}

/* p and x hold candidates and excluded classes; both are consumed. */
static void grow(struct bk *bk, size_t *p, size_t np, size_t *x, size_t nx)
{
    const struct cc_inventory *inv = bk->inv;
    size_t pivot = SIZE_MAX, best = 0;

    if (np == 0 && nx == 0) {
        report(bk);
        return;
    }
    for (size_t i = 0; i < np + nx; i++) {
        size_t u = i < np ? p[i] : x[i - np], deg = 0;

        for (size_t j = 0; j < np; j++)
            deg += mutual(inv, u, p[j]);
        if (pivot == SIZE_MAX || deg > best)
            pivot = u, best = deg;
    }
    for (size_t i = 0; i < np; i++) {
        size_t v = p[i], *p2, *x2, n2 = 0, m2 = 0;

        if (mutual(inv, pivot, v))
            continue;
        p2 = xmalloc((np + 1) * sizeof(size_t));
        x2 = xmalloc((np + nx + 1) * sizeof(size_t));
        for (size_t j = 0; j < np; j++)
            if (p[j] != SIZE_MAX && mutual(inv, v, p[j]))
                p2[n2++] = p[j];
        for (size_t j = 0; j < nx; j++)
            if (mutual(inv, v, x[j]))
                x2[m2++] = x[j];
        bk->r[bk->n_r++] = v;
        grow(bk, p2, n2, x2, m2);
        bk->n_r--;
        free(p2);
        free(x2);
        /* v moves from the candidates to the excluded. */
        p[i] = SIZE_MAX;
        x[nx++] = v;
    }
}

static int by_size(const void *a, const void *b, void *arg)
{
    const struct cc_inventory *inv = arg;
    size_t i = *(const size_t *)a, j = *(const size_t *)b;

    if (inv->domain_sizes[i] != inv->domain_sizes[j])
        return inv->domain_sizes[i] > inv->domain_sizes[j] ? -1 : 1;
    return inv->domains[i][0] < inv->domains[j][0] ? -1 : inv->domains[i][0] > inv->domains[j][0];
}

int cc_inventory_domains(struct cc_inventory *inv)
{
    size_t n = inv->n_classes;

    if (n == 0)
        return 0; /* no class, no domain (the empty clique is not one) */
    struct bk bk = {.inv = inv, .r = xcalloc(n + 1, sizeof(size_t))};
    size_t *p = xmalloc((n + 1) * sizeof(size_t)), *x = xmalloc((n + 1) * sizeof(size_t));

    for (size_t i = 0; i < n; i++)
        p[i] = i;
    /* Candidates consumed by grow are marked SIZE_MAX; x has room for all of them. */
    grow(&bk, p, n, x, 0);
    free(p);
    free(x);
    free(bk.r);
    if (inv->n_domains > 1) {
        size_t *order = xmalloc(inv->n_domains * sizeof(size_t));
        size_t **d = xmalloc(inv->n_domains * sizeof(*d)),
               *s = xmalloc(inv->n_domains * sizeof(*s));

        for (size_t i = 0; i < inv->n_domains; i++)
            order[i] = i;
        qsort_r(order, inv->n_domains, sizeof(size_t), by_size, inv);
        for (size_t i = 0; i < inv->n_domains; i++)
            d[i] = inv->domains[order[i]], s[i] = inv->domain_sizes[order[i]];
        memcpy(inv->domains, d, inv->n_domains * sizeof(*d));
        memcpy(inv->domain_sizes, s, inv->n_domains * sizeof(*s));
        free(order);
        free(d);
        free(s);
    }
    return 0;
}
