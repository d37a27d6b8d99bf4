/* The inventory's groups and --admit as members of its report tree, and their text layout. */
#include "inventory_groups.h"
#include "arch.h"
#include "report.h"
#include "report_text.h"

#include <string.h>

static void add_loss(struct cc_node *parent, const char *key, const struct cc_inv_loss *l)
{
    struct cc_node *o = cc_add_object(parent, key);

    cc_add_strlist(o, "features", "feature", &l->features);
    cc_add_strlist(o, "models", "model", &l->models);
    cc_add_strlist(o, "other", "value", &l->other);
}

static void add_baseline(struct cc_node *o, const struct cc_inv_group *grp)
{
    const struct cc_baseline *b = &grp->baseline;
    struct cc_node *base;

    if (!grp->have_baseline) {
        cc_add_string(o, "baseline", NULL);
        return;
    }
    base = cc_add_object(o, "baseline");
    cc_add_baseline_members(base, b);
    cc_add_kvlist(base, "registers", "register", &b->registers);
}

static void add_group(struct cc_node *groups, const struct cc_inventory *inv,
                      const struct cc_inv_group *grp)
{
    struct cc_node *o = cc_add_object(groups, NULL), *hosts, *classes;

    cc_add_string(o, "name", grp->name);
    cc_add_string(o, "arch", grp->arch ? grp->arch->name : NULL);
    hosts = cc_add_array(o, "hosts", "host");
    classes = cc_add_array(o, "classes", "class");
    for (size_t k = 0; k < grp->n_classes; k++) {
        const struct cc_inv_gclass *gc = &grp->classes[k];
        struct cc_node *c = cc_add_object(classes, NULL), *ch;

        cc_add_string(c, "id", inv->classes[gc->cls].id);
        ch = cc_add_array(c, "hosts", "host");
        for (size_t i = 0; i < gc->n_hosts; i++) {
            cc_add_string(ch, NULL, inv->hosts[gc->hosts[i]].file);
            cc_add_string(hosts, NULL, inv->hosts[gc->hosts[i]].file);
        }
        add_loss(c, "holds_back", &gc->holds_back);
    }
    add_baseline(o, grp);
    cc_add_string(o, "error", grp->error);
    cc_add_strlist(o, "models", "model", &grp->models);
    cc_add_strlist(o, "best_models", "model", &grp->best);
    cc_add_strlist(o, "notes", "note", &grp->notes);
}

void cc_report_inventory_groups(struct cc_node *report, const struct cc_inventory *inv,
                                const struct cc_inv_groups *g)
{
    const struct cc_inv_admit *a = g->admit;
    struct cc_node *groups, *o;

    if (!g->n && !g->n_specs && !g->by_dir)
        return;
    groups = cc_add_array(report, "groups", "group");
    for (size_t i = 0; i < g->n; i++)
        add_group(groups, inv, &g->items[i]);
    if (!a)
        return;
    o = cc_add_object(report, "admit");
    cc_add_string(o, "group", a->group);
    cc_add_string(o, "arch", a->arch->name);
    cc_add_string(o, "file", a->file);
    cc_add_string(o, "class", a->cls[0] ? a->cls : NULL);
    cc_add_bool(o, "admitted", a->admitted);
    cc_add_string(o, "reason", a->reason);
    add_loss(o, "lost", &a->lost);
}

/* "label: a b c" for each non-empty list of a loss. */
static void text_loss(FILE *out, const char *indent, const struct cc_node *loss)
{
    static const char *const parts[] = {"features", "models", "other"};
    char label[64];

    for (size_t i = 0; i < 3; i++)
        if (cc_node_count(loss, parts[i])) {
            snprintf(label, sizeof(label), "%s%s", indent, parts[i]);
            cc_text_list(out, label, 18, cc_node_get(loss, parts[i]));
        }
}

static void text_group(FILE *out, const struct cc_node *grp)
{
    const struct cc_node *classes = cc_node_get(grp, "classes"), *b = cc_node_get(grp, "baseline");
    const struct cc_node *notes = cc_node_get(grp, "notes");

    fprintf(out, "  %s (%s): %zu hosts, %zu classes\n", cc_node_str(grp, "name"),
            *cc_node_str(grp, "arch") ? cc_node_str(grp, "arch") : "no host",
            cc_node_count(grp, "hosts"), classes->n);
    if (*cc_node_str(grp, "error"))
        fprintf(out, "    no baseline: %s\n", cc_node_str(grp, "error"));
    if (b && b->type == CC_NODE_OBJECT) {
        const char *model = cc_node_str(b, "model");

        fprintf(out, "    %-14s%s, %zu features%s%s\n", "baseline",
                *model ? model : "(no named model fits)", cc_node_count(b, "features"),
                *cc_node_str(b, "level") ? ", level " : "", cc_node_str(b, "level"));
        if (cc_node_count(b, "extra_features"))
            cc_text_list(out, "      plus", 18, cc_node_get(b, "extra_features"));
        if (cc_node_count(b, "removed_features"))
            cc_text_list(out, "      minus", 18, cc_node_get(b, "removed_features"));
    }
    if (cc_node_count(grp, "best_models"))
        cc_text_list(out, "    best models", 18, cc_node_get(grp, "best_models"));
    for (size_t k = 0; k < classes->n; k++) {
        const struct cc_node *c = classes->kids[k], *loss = cc_node_get(c, "holds_back");
        bool holds = cc_node_count(loss, "features") || cc_node_count(loss, "models") ||
                     cc_node_count(loss, "other");

        fprintf(out, "    class %s, %zu hosts%s\n", cc_node_str(c, "id"), cc_node_count(c, "hosts"),
                holds ? ", alone holds back:" : "");
        text_loss(out, "      ", loss);
        cc_text_list(out, "      hosts", 18, cc_node_get(c, "hosts"));
    }
    for (size_t i = 0; notes && i < notes->n; i++)
        fprintf(out, "    note: %s\n", notes->kids[i]->s);
}

void cc_text_inventory_groups(const struct cc_node *r, FILE *out)
{
    const struct cc_node *groups = cc_node_get(r, "groups"), *a = cc_node_get(r, "admit");

    if (groups && groups->n)
        fputs("\ngroups (the baseline every member runs; what each class alone holds back):\n",
              out);
    for (size_t i = 0; groups && i < groups->n; i++)
        text_group(out, groups->kids[i]);
    if (!a)
        return;
    fprintf(out, "\nadmit %s to %s: %s\n", cc_node_str(a, "file"), cc_node_str(a, "group"),
            cc_node_bool(a, "admitted") ? "yes, the group keeps its baseline and best models"
                                        : "no");
    if (*cc_node_str(a, "class"))
        fprintf(out, "  identical to class %s\n", cc_node_str(a, "class"));
    if (*cc_node_str(a, "reason"))
        fprintf(out, "  cannot join: %s\n", cc_node_str(a, "reason"));
    text_loss(out, "  lost ", cc_node_get(a, "lost"));
}
