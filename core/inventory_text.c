/* The text layout of the inventory report: the summary first, then what an operator acts on
 * (errors, where a guest can go), then classes, domains and the pairs that cannot migrate. */
#include "inventory_groups.h"
#include "report_text.h"

#include <string.h>

static const char *identity_line(const struct cc_node *cls, char *buf, size_t len)
{
    const struct cc_node *id = cc_node_get(cls, "identity");
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; id && i < id->n && i < 4 && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s=%s", i ? " " : "", id->kids[i]->key,
                                 id->kids[i]->s);
    return buf;
}

void cc_text_inventory(const struct cc_node *r, FILE *out)
{
    const struct cc_node *s = cc_node_get(r, "summary"), *g = cc_node_get(r, "guest");
    const struct cc_node *classes = cc_node_get(r, "classes"), *domains = cc_node_get(r, "domains");
    const struct cc_node *matrix = cc_node_get(r, "matrix"), *errors = cc_node_get(r, "errors");
    const struct cc_node *sup = cc_node_get(r, "superseded");
    char buf[256];

    fprintf(out, "%llu hosts, %llu classes, %llu domains, %llu superseded files, %llu errors\n",
            cc_node_uint(s, "hosts"), cc_node_uint(s, "classes"), cc_node_uint(s, "domains"),
            cc_node_uint(s, "superseded"), cc_node_uint(s, "errors"));
    for (size_t i = 0; i < errors->n; i++)
        fprintf(out, "error: %s\n", cc_node_str(errors->kids[i], "message"));
    cc_text_inventory_drift(r, out);
    if (g) {
        const struct cc_node *hosts = cc_node_get(g, "hosts");

        fprintf(out, "\nguest %s can go to %zu hosts%s\n", cc_node_str(g, "guest"), hosts->n,
                hosts->n ? ":" : "");
        for (size_t i = 0; i < hosts->n; i++)
            fprintf(out, "  %s\n", hosts->kids[i]->s);
    }
    fputs("\nclasses:\n", out);
    for (size_t c = 0; c < classes->n; c++) {
        const struct cc_node *cls = classes->kids[c];

        fprintf(out, "  %s  %-7s %4zu hosts  %s\n", cc_node_str(cls, "id"),
                cc_node_str(cls, "arch"), cc_node_count(cls, "hosts"),
                identity_line(cls, buf, sizeof(buf)));
        if (cc_node_count(cls, "best_models"))
            cc_text_list(out, "    best models", 18, cc_node_get(cls, "best_models"));
        if (cc_node_count(cls, "destinations"))
            cc_text_list(out, "    can go to", 18, cc_node_get(cls, "destinations"));
    }
    if (domains->n)
        fputs("\nmigration domains (classes that take each other's host-model guests):\n", out);
    for (size_t d = 0; d < domains->n; d++) {
        const struct cc_node *dom = domains->kids[d], *ids = cc_node_get(dom, "classes");

        fprintf(out, "  %zu: %llu hosts:", d + 1, cc_node_uint(dom, "hosts"));
        for (size_t i = 0; i < ids->n; i++)
            fprintf(out, " %s", ids->kids[i]->s);
        fputc('\n', out);
    }
    bool header = false;
    for (size_t i = 0; i < matrix->n; i++) {
        const struct cc_node *p = matrix->kids[i], *bl = cc_node_get(p, "blockers");

        if (cc_node_bool(p, "migratable"))
            continue;
        if (!header)
            fputs("\nnot migratable (source -> destination: first blockers):\n", out);
        header = true;
        fprintf(out, "  %s -> %s:", cc_node_str(p, "source"), cc_node_str(p, "destination"));
        for (size_t b = 0; b < bl->n; b++)
            fprintf(out, "%s %s", b ? "," : "", cc_node_str(bl->kids[b], "name"));
        if (cc_node_uint(p, "blockers_total") > bl->n)
            fprintf(out, " (%llu in all)", cc_node_uint(p, "blockers_total"));
        fputc('\n', out);
    }
    if (sup->n)
        fputs("\nsuperseded (an older file of the same hostname):\n", out);
    for (size_t i = 0; i < sup->n; i++)
        fprintf(out, "  %s (%s): kept %s\n", cc_node_str(sup->kids[i], "file"),
                cc_node_str(sup->kids[i], "hostname"), cc_node_str(sup->kids[i], "kept"));
    cc_text_inventory_groups(r, out);
}
