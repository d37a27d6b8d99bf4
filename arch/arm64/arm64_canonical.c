/* The canonical guest-visible form of an arm64 host: the ID register values a guest's vCPU is
 * given (compare finds two hosts identical only when every register holds one value on both),
 * and every property of the view, since a destination is judged by its own kernel's rules (the
 * release, the writable masks and host values its dump recorded), its IPA size, SVE vector
 * lengths and register list. Registers and properties are sorted so a capture's order does not
 * matter. */
#include "arm64.h"
#include "../../core/error.h"
#include "../../core/text_block.h"
#include "../../core/xalloc.h"

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

/* printf's %#llx: 0x and the digits, but a bare 0 for zero. */
static void put_hex(struct cc_text *t, uint64_t v)
{
    if (v)
        cc_text_append(t, "0x", 2);
    cc_text_u64(t, v, 16);
}

int arm64_canonical(struct cc_ctx *ctx, const struct cc_doc *doc, const char *file, char **out)
{
    const struct cc_view *view = arm64_view_of(doc);
    const struct arm64_raw *raw = view ? view->raw : NULL;
    const struct arm64_reg **regs;
    const struct cc_kv **props;
    const char *svl, *sve;
    char *list = NULL;
    uint64_t *ids = NULL;
    size_t n_ids = 0;
    struct cc_text t = {0};
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
    /* A file's rows are sorted already (the reader insists): sort only what is not. */
    for (size_t i = 1; i < raw->n; i++)
        if (strcmp(regs[i - 1]->name, regs[i]->name) > 0) {
            qsort(regs, raw->n, sizeof(*regs), by_name);
            break;
        }
    if (n_ids)
        qsort(ids, n_ids, sizeof(*ids), cmp_u64);
    cc_text_puts(&t, "arch=aarch64\n");
    for (size_t i = 0; i < raw->n; i++) {
        cc_text_puts(&t, regs[i]->name);
        cc_text_append(&t, "=", 1);
        put_hex(&t, regs[i]->value);
        cc_text_append(&t, "\n", 1);
    }
    svl = cc_kv_get(&view->props, "sve-vector-lengths");
    sve = cc_kv_get(&view->props, "cap-sve");
    cc_text_puts(&t, "sve-vector-lengths=");
    cc_text_puts(&t, svl ?: sve && !strcmp(sve, "0") ? "none" : "unknown");
    cc_text_append(&t, "\n", 1);
    props = xcalloc(view->props.n + 1, sizeof(*props));
    for (size_t i = 0; i < view->props.n; i++)
        props[i] = &view->props.items[i];
    qsort(props, view->props.n, sizeof(*props), by_key);
    for (size_t i = 0; i < view->props.n; i++) {
        if (strncmp(props[i]->key, "kvm-reg-list", 12) == 0)
            continue;
        cc_text_puts(&t, "property ");
        cc_text_puts(&t, props[i]->key);
        cc_text_append(&t, "=", 1);
        cc_text_puts(&t, props[i]->value);
        cc_text_append(&t, "\n", 1);
    }
    free(props);
    cc_text_puts(&t, n_ids ? "reg-list=" : "reg-list=unknown");
    for (size_t i = 0; i < n_ids; i++) {
        if (i)
            cc_text_append(&t, " ", 1);
        cc_text_u64(&t, ids[i], 16);
    }
    cc_text_append(&t, "\n", 1);
    free(regs);
    free(ids);
    if (t.failed) {
        free(t.buf);
        return cc_error(ENOMEM, "out of memory");
    }
    *out = t.buf;
    return 0;
}
