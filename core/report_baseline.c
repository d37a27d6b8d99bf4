#include "report.h"
#include "report_text.h"

#include <string.h>

void cc_add_baseline_members(struct cc_node *o, const struct cc_baseline *b)
{
    cc_add_string(o, "model", b->model);
    cc_add_string(o, "vendor", b->vendor);
    cc_add_string(o, "level", b->level);
    cc_add_strlist(o, "extra_features", "feature", &b->extra);
    cc_add_strlist(o, "removed_features", "feature", &b->removed);
    cc_add_strlist(o, "features", "feature", &b->features);
    cc_add_kvlist(o, "props", "prop", &b->props);
}

struct cc_node *cc_report_baseline(const struct cc_baseline *b, const char *const *files, size_t n)
{
    struct cc_node *r = cc_report_new("baseline"), *hosts;

    cc_add_baseline_members(r, b);
    hosts = cc_add_array(r, "hosts", "host");
    for (size_t i = 0; i < n; i++)
        cc_add_string(hosts, NULL, files[i]);
    cc_add_strlist(r, "notes", "note", &b->notes);
    cc_add_kvlist(r, "registers", "register", &b->registers);
    return r;
}

void cc_text_baseline(const struct cc_node *r, FILE *out)
{
    const struct cc_node *extra = cc_node_get(r, "extra_features");
    const struct cc_node *removed = cc_node_get(r, "removed_features");
    const struct cc_node *regs = cc_node_get(r, "registers");
    const struct cc_node *props = cc_node_get(r, "props");
    const char *model = cc_node_str(r, "model");
    size_t n_changes = extra->n + removed->n;

    fprintf(out, "%-9s %s\n", "model", *model ? model : "(no named model fits)");
    fprintf(out, "%-9s %s\n", "vendor", cc_node_str(r, "vendor"));
    if (*cc_node_str(r, "level"))
        fprintf(out, "%-9s %s\n", "level", cc_node_str(r, "level"));
    fprintf(out, "%-9s", "features");
    for (size_t i = 0, col = 9; i < n_changes; i++) {
        bool add = i < extra->n;
        const char *name = add ? extra->kids[i]->s : removed->kids[i - extra->n]->s;

        if (col + 2 + strlen(name) > 78) {
            fprintf(out, "\n%-9s", "");
            col = 9;
        }
        col += (size_t)fprintf(out, " %c%s", add ? '+' : '-', name);
    }
    fprintf(out, "%s\n", n_changes ? "" : *model ? " (none beyond the model)" : " (none)");
    fprintf(out, "%-9s %zu, %zu features in common\n", "hosts", cc_node_count(r, "hosts"),
            cc_node_count(r, "features"));
    /* A property is part of the answer: the guest is wrong without it (phys-bits below the
     * model's default on a host with fewer address bits). */
    for (size_t i = 0; i < props->n; i++)
        fprintf(out, "%-9s %s=%s\n", i ? "" : "property", props->kids[i]->key, props->kids[i]->s);
    for (size_t i = 0; i < regs->n; i++)
        fprintf(out, "%-9s %-20s %s\n", i ? "" : "registers", regs->kids[i]->key, regs->kids[i]->s);
    for (size_t i = 0; i < cc_node_count(r, "notes"); i++)
        fprintf(out, "%-9s %s\n", "note", cc_node_get(r, "notes")->kids[i]->s);
}
