/* The text of inventory's drift member: one line of counts, then a line per host that lost
 * something (the headline), per other changed host, and per host that appeared or is gone. */
#include "report_text.h"

#include <string.h>

static void changes(FILE *out, const char *label, const struct cc_node *a)
{
    if (!a || !a->n)
        return;
    fprintf(out, " %s:", label);
    for (size_t i = 0; i < a->n; i++) {
        const struct cc_node *c = a->kids[i];
        const struct cc_node *o = cc_node_get(c, "old"), *n = cc_node_get(c, "new");

        fprintf(out, " %s", cc_node_str(c, "name"));
        if ((o && o->type == CC_NODE_STRING) || (n && n->type == CC_NODE_STRING))
            fprintf(out, " %s->%s", o && o->s ? o->s : "none", n && n->s ? n->s : "none");
        if (i + 1 < a->n)
            fputc(',', out);
    }
    fputc(';', out);
}

void cc_text_inventory_drift(const struct cc_node *r, FILE *out)
{
    const struct cc_node *d = cc_node_get(r, "drift"), *since, *hosts, *add, *gone;

    if (!d)
        return;
    since = cc_node_get(d, "since");
    hosts = cc_node_get(d, "hosts");
    add = cc_node_get(d, "new");
    gone = cc_node_get(d, "gone");
    fputs("\ndrift since", out);
    for (size_t i = 0; i < since->n; i++)
        fprintf(out, " %s", since->kids[i]->s);
    fprintf(out, ": %llu hosts lost features, %llu changed, %llu new, %llu gone, %llu unchanged\n",
            cc_node_uint(d, "lost"), cc_node_uint(d, "changed"), cc_node_uint(d, "appeared"),
            cc_node_uint(d, "disappeared"), cc_node_uint(d, "unchanged"));
    for (size_t i = 0; i < hosts->n; i++) {
        const struct cc_node *h = hosts->kids[i];
        const char *cls = cc_node_str(h, "class"), *old = cc_node_str(h, "old_class");

        fprintf(out, "  %s %s", cc_node_count(h, "lost") ? "LOST   " : "changed",
                cc_node_str(h, "file"));
        if (strcmp(cc_node_str(h, "file"), cc_node_str(h, "old_file")) != 0)
            fprintf(out, " (was %s)", cc_node_str(h, "old_file"));
        fputc(':', out);
        changes(out, "lost", cc_node_get(h, "lost"));
        if (strcmp(cls, old) != 0)
            fprintf(out, " class %s->%s;", old, cls);
        changes(out, "gained", cc_node_get(h, "gained"));
        changes(out, "changed", cc_node_get(h, "changed"));
        changes(out, "versions", cc_node_get(h, "versions"));
        fputc('\n', out);
    }
    for (size_t i = 0; i < add->n; i++)
        fprintf(out, "  new     %s\n", cc_node_str(add->kids[i], "file"));
    for (size_t i = 0; i < gone->n; i++)
        fprintf(out, "  gone    %s\n", cc_node_str(gone->kids[i], "file"));
}
