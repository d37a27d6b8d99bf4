/* The canonical guest-visible form of an arm64 host: the ID register values a guest's vCPU is
 * given (compare finds two hosts identical only when every register holds one value on both),
 * and every property of the view, since a destination is judged by its own kernel's rules (the
 * release, the writable masks and host values its dump recorded), its IPA size, SVE vector
 * lengths and register list. Registers and properties are sorted so a capture's order does not
 * matter. */
#include "arm64.h"
#include "../../core/error.h"
#include "../../core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_name(const void *a, const void *b)
{
    return strcmp((*(const struct arm64_reg *const *)a)->name,
                  (*(const struct arm64_reg *const *)b)->name);
}

static int by_key(const void *a, const void *b)
{
    return strcmp((*(const struct cc_kv *const *)a)->key, (*(const struct cc_kv *const *)b)->key);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

int arm64_canonical(struct cc_ctx *ctx, const struct cc_doc *doc, const char *file, char **out)
{
    const struct cc_view *view = arm64_view_of(doc);
    const struct arm64_raw *raw = view ? view->raw : NULL;
    const struct arm64_reg **regs;
    const struct cc_kv **props;
    const char *svl, *sve;
    char *list = NULL, *buf = NULL;
    uint64_t *ids = NULL;
    size_t n_ids = 0, len = 0;
    FILE *f;
    int r = 0;

    (void)ctx;
    if (!raw)
        return cc_error(EINVAL, "%s: no registers", file);
    r = arm64_reg_list_of(view, &list);
    if (r == 0 && list)
        r = arm64_reg_list_parse(file, list, &ids, &n_ids);
    free(list);
    if (r < 0)
        return r;
    regs = xcalloc(raw->n + 1, sizeof(*regs));
    for (size_t i = 0; i < raw->n; i++)
        regs[i] = &raw->regs[i];
    qsort(regs, raw->n, sizeof(*regs), by_name);
    if (n_ids)
        qsort(ids, n_ids, sizeof(*ids), cmp_u64);
    if (!(f = open_memstream(&buf, &len))) {
        free(regs);
        free(ids);
        return cc_error(ENOMEM, "out of memory");
    }
    fputs("arch=aarch64\n", f);
    for (size_t i = 0; i < raw->n; i++)
        fprintf(f, "%s=%#llx\n", regs[i]->name, (unsigned long long)regs[i]->value);
    svl = cc_kv_get(&view->props, "sve-vector-lengths");
    sve = cc_kv_get(&view->props, "cap-sve");
    fprintf(f, "sve-vector-lengths=%s\n", svl ?: sve && !strcmp(sve, "0") ? "none" : "unknown");
    props = xcalloc(view->props.n + 1, sizeof(*props));
    for (size_t i = 0; i < view->props.n; i++)
        props[i] = &view->props.items[i];
    qsort(props, view->props.n, sizeof(*props), by_key);
    for (size_t i = 0; i < view->props.n; i++)
        if (strncmp(props[i]->key, "kvm-reg-list", 12) != 0)
            fprintf(f, "property %s=%s\n", props[i]->key, props[i]->value);
    free(props);
    fputs(n_ids ? "reg-list=" : "reg-list=unknown", f);
    for (size_t i = 0; i < n_ids; i++)
        fprintf(f, "%s%llx", i ? " " : "", (unsigned long long)ids[i]);
    fputc('\n', f);
    free(regs);
    free(ids);
    if (fclose(f) != 0) {
        free(buf);
        return cc_error(ENOMEM, "out of memory");
    }
    *out = buf;
    return 0;
}
