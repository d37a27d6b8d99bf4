/* Where a guest can go: per class, compare's answer for the guest CPU of a host file against the
 * class's representative, or for a named model whether every representative runs it. */
#include "inventory.h"
#include "arch.h"
#include "error.h"
#include "xalloc.h"

#include <string.h>

static bool names_model(const struct cc_model_status *m, const char *model)
{
    return strcmp(m->name, model) == 0 || cc_strlist_contains(&m->aliases, model);
}

static int runs_model(struct cc_ctx *ctx, const struct cc_inventory *inv,
                      const struct cc_inv_class *cls, const char *model, bool *yes, bool *known)
{
    int r = 0;

    *yes = cls->arch->models != NULL;
    for (size_t k = 0; k < cls->n_reps && r == 0 && *yes; k++) {
        struct cc_models_report mr = {0};
        bool found = false;

        r = cls->arch->models(ctx, cls->reps[k].doc, inv->hosts[cls->reps[k].host].file, &mr);
        for (size_t i = 0; i < mr.n && r == 0; i++)
            if (names_model(&mr.items[i], model)) {
                found = true;
                *yes = *yes && mr.items[i].usable;
            }
        *known |= found;
        *yes = *yes && found;
        cc_models_report_free(&mr);
    }
    return r;
}

int cc_inventory_guest(struct cc_ctx *ctx, struct cc_inventory *inv, const struct cc_doc *guest_doc,
                       const char *guest_file, const char *model, size_t *n_hosts)
{
    struct cc_options none = {0};
    struct cc_compare_opts opts = {.options = &none};
    bool known = false;
    int r = 0;

    inv->guest = xstrdup(guest_doc ? guest_file : model);
    inv->accepts = xcalloc(inv->n_classes + 1, sizeof(bool));
    *n_hosts = 0;
    for (size_t c = 0; c < inv->n_classes && r == 0; c++) {
        const struct cc_inv_class *cls = &inv->classes[c];
        struct cc_verdict v = {0};

        if (!guest_doc) {
            r = runs_model(ctx, inv, cls, model, &inv->accepts[c], &known);
        } else if (guest_doc->arch == cls->arch && cls->arch->compare) {
            r = cls->arch->compare(ctx, guest_doc, guest_file, cls->reps[0].doc,
                                   inv->hosts[cls->reps[0].host].file, &opts, &v);
            inv->accepts[c] = r == 0 && v.migratable;
            cc_verdict_free(&v);
        }
        if (r == 0 && inv->accepts[c])
            *n_hosts += cls->n_hosts;
    }
    if (r == 0 && model && !known && inv->n_classes)
        r = cc_error(ENOENT, "unknown CPU model '%s' for every class (see 'cpucompat models')",
                     model);
    return r;
}
