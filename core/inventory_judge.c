/* Judging the classes of an inventory: the named models each class runs, and the matrix of
 * class pairs by the architecture's own compare, one representative per class, so the work
 * grows with the classes of a fleet and not with its hosts. */
#include "inventory.h"
#include "arch.h"
#include "error.h"
#include "xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Usable on this representative: the names to keep; best: per family, the newest. */
static int rep_models(struct cc_ctx *ctx, const struct cc_inv_class *cls,
                      const struct cc_inv_rep *rep, const char *file, struct cc_strlist *usable)
{
    struct cc_models_report mr = {.usable_only = true};
    int r = cls->arch->models(ctx, rep->doc, file, &mr);

    for (size_t i = 0; i < mr.n && r == 0; i++)
        if (mr.items[i].usable)
            cc_strlist_add(usable, mr.items[i].name);
    cc_models_report_free(&mr);
    return r;
}

static int class_models(struct cc_ctx *ctx, struct cc_inventory *inv, struct cc_inv_class *cls)
{
    struct cc_models_report mr = {.usable_only = true};
    const char *file0 = inv->hosts[cls->reps[0].host].file;
    int r;

    if (!cls->arch->models)
        return 0;
    /* The first representative's report gives the order and the families; a model must be
     * usable on every representative (every QEMU release of the class) to count. */
    r = cls->arch->models(ctx, cls->reps[0].doc, file0, &mr);
    struct cc_strlist *others = xcalloc(cls->n_reps, sizeof(*others));
    for (size_t k = 1; k < cls->n_reps && r == 0; k++)
        r = rep_models(ctx, cls, &cls->reps[k], inv->hosts[cls->reps[k].host].file, &others[k]);
    bool *ok = xcalloc(mr.n + 1, sizeof(bool));
    for (size_t i = 0; i < mr.n && r == 0; i++) {
        ok[i] = mr.items[i].usable;
        for (size_t k = 1; k < cls->n_reps && ok[i]; k++)
            ok[i] = cc_strlist_contains(&others[k], mr.items[i].name);
        if (ok[i])
            cc_strlist_add(&cls->models, mr.items[i].name);
    }
    /* Per family, the newest version of those (what `models --resolve` would pick). */
    for (size_t i = 0; i < mr.n && r == 0; i++) {
        const struct cc_model_status *m = &mr.items[i], *best = m;

        if (m->deprecated || !ok[i])
            continue;
        for (size_t j = 0; j < mr.n; j++) {
            const struct cc_model_status *o = &mr.items[j];

            if (!o->deprecated && m->family && o->family && !strcmp(o->family, m->family) &&
                o->version > best->version && ok[j])
                best = o;
        }
        if (best == m)
            cc_strlist_add(&cls->best, m->name);
    }
    free(ok);
    for (size_t k = 0; k < cls->n_reps; k++)
        cc_strlist_free(&others[k]);
    free(others);
    cc_models_report_free(&mr);
    return r;
}

static void keep_blocker(struct cc_inv_cell *cell, const char *name, const char *detail)
{
    if (cell->n_blockers < CC_INV_BLOCKERS) {
        cell->blockers[cell->n_blockers].name = xstrdup(name);
        cell->blockers[cell->n_blockers].detail = detail ? xstrdup(detail) : NULL;
        cell->n_blockers++;
    }
    cell->n_all++;
}

static int judge_pair(struct cc_ctx *ctx, struct cc_inventory *inv, size_t a, size_t b)
{
    const struct cc_inv_class *s = &inv->classes[a], *d = &inv->classes[b];
    struct cc_inv_cell *cell = &inv->matrix[a * inv->n_classes + b];
    const char *sf = inv->hosts[s->reps[0].host].file, *df = inv->hosts[d->reps[0].host].file;
    struct cc_options none = {0};
    struct cc_compare_opts opts = {.model = NULL, .options = &none, .verdict_only = true};
    struct cc_verdict v = {.blockers.keep = CC_INV_BLOCKERS};
    int r;

    cell->relation = CC_INCOMPATIBLE;
    if (a == b) {
        /* One class: its hosts are identical to compare both ways (the canonical form). */
        cell->migratable = true;
        cell->relation = CC_IDENTICAL;
        return 0;
    }
    if (s->arch != d->arch) {
        char *detail = xasprintf("source %s, destination %s", s->arch->name, d->arch->name);

        keep_blocker(cell, "arch", detail);
        free(detail);
        return 0;
    }
    if (!s->arch->compare) {
        keep_blocker(cell, "compare", "compare is not supported for this architecture yet");
        return 0;
    }
    cc_error_clear();
    r = s->arch->compare(ctx, s->reps[0].doc, sf, d->reps[0].doc, df, &opts, &v);
    if (r < 0) {
        /* The pair cannot be judged: not migratable, and an error the exit status reports. */
        keep_blocker(cell, "error", cc_error_message());
        cc_inventory_error(inv, NULL, cc_error_message());
    } else {
        cell->migratable = v.migratable;
        cell->relation = (int)v.relation;
        for (size_t i = 0; i < v.blockers.n; i++)
            keep_blocker(cell, v.blockers.items[i].name, v.blockers.items[i].detail);
        cell->n_all += v.blockers.more;
    }
    cc_verdict_free(&v);
    return 0;
}

int cc_inventory_judge(struct cc_ctx *ctx, struct cc_inventory *inv)
{
    size_t n = inv->n_classes;
    int r = 0;

    for (size_t c = 0; c < n && r == 0; c++)
        r = class_models(ctx, inv, &inv->classes[c]);
    if (r < 0)
        return r;
    inv->matrix = xcalloc(n * n + 1, sizeof(*inv->matrix));
    for (size_t a = 0; a < n && r == 0; a++)
        for (size_t b = 0; b < n && r == 0; b++)
            r = judge_pair(ctx, inv, a, b);
    if (r == 0)
        r = cc_inventory_domains(inv);
    return r;
}
