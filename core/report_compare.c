#include "report.h"
#include "report_text.h"

#include <string.h>

static void add_blockers(struct cc_node *parent, const char *name, const char *item,
                         const struct cc_blockers *bl)
{
    struct cc_node *a = cc_add_array(parent, name, item);

    for (size_t i = 0; i < bl->n; i++) {
        struct cc_node *o = cc_add_object(a, NULL);

        cc_add_string(o, "name", bl->items[i].name);
        cc_add_string(o, "where", bl->items[i].where);
        cc_add_string(o, "reason", cc_reason_name(bl->items[i].reason));
        cc_add_string(o, "detail", bl->items[i].detail);
        cc_add_bool(o, "uncertain", bl->items[i].uncertain);
    }
}

struct cc_node *cc_report_compare(const struct cc_verdict *v, const char *src, const char *dst)
{
    struct cc_node *r = cc_report_new("comparison");

    cc_add_string(r, "source", src);
    cc_add_string(r, "destination", dst);
    cc_add_string(r, "guest", v->guest);
    cc_add_string(r, "source_basis", v->src_basis);
    cc_add_string(r, "destination_basis", v->dst_basis);
    cc_add_bool(r, "migratable", v->migratable);
    cc_add_string(r, "relation", cc_relation_name(v->relation));
    add_blockers(r, "blockers", "blocker", &v->blockers);
    add_blockers(r, "warnings", "warning", &v->warnings);
    cc_add_strlist(r, "extra", "feature", &v->extra);
    cc_add_strlist(r, "responsible_properties", "property", &v->responsible);
    cc_add_string(r, "suggestion", v->suggestion);
    cc_add_strlist(r, "guest_features", "feature", &v->guest_features);
    cc_add_strlist(r, "notes", "note", &v->notes);
    return r;
}

/* "blockers 2" and one aligned line for each (name, where, reason: detail). */
static void text_items(FILE *out, const char *label, const struct cc_node *bl)
{
    size_t wn = 4, ww = 5;

    for (size_t i = 0; bl && i < bl->n; i++) {
        if (strlen(cc_node_str(bl->kids[i], "name")) > wn)
            wn = strlen(cc_node_str(bl->kids[i], "name"));
        if (strlen(cc_node_str(bl->kids[i], "where")) > ww)
            ww = strlen(cc_node_str(bl->kids[i], "where"));
    }
    if (bl && bl->n)
        fprintf(out, "%-13s %zu\n", label, bl->n);
    for (size_t i = 0; bl && i < bl->n; i++)
        fprintf(out, "  %-*s  %-*s  %s: %s%s\n", (int)wn, cc_node_str(bl->kids[i], "name"), (int)ww,
                cc_node_str(bl->kids[i], "where"), cc_node_str(bl->kids[i], "reason"),
                cc_node_str(bl->kids[i], "detail"),
                cc_node_bool(bl->kids[i], "uncertain") ? " (uncertain)" : "");
}

void cc_text_comparison(const struct cc_node *r, FILE *out)
{
    const struct cc_node *bl = cc_node_get(r, "blockers");
    const char *rel = cc_node_str(r, "relation"), *sugg = cc_node_str(r, "suggestion");

    if (*cc_node_str(r, "source"))
        fprintf(out, "%-13s %s (%s view of %s), %zu features\n", "guest", cc_node_str(r, "guest"),
                cc_node_str(r, "source_basis"), cc_node_str(r, "source"),
                cc_node_count(r, "guest_features"));
    else /* the destination's question: no source */
        fprintf(out, "%-13s %s, %zu features\n", "guest", cc_node_str(r, "guest"),
                cc_node_count(r, "guest_features"));
    fprintf(out, "%-13s %s (%s view)\n", "destination", cc_node_str(r, "destination"),
            cc_node_str(r, "destination_basis"));
    fprintf(out, "%-13s %s; the destination is %s the guest CPU\n", "verdict",
            cc_node_bool(r, "migratable") ? "MIGRATABLE" : "NOT MIGRATABLE",
            !strcmp(rel, "identical")  ? "identical to"
            : !strcmp(rel, "superset") ? "a superset of"
            : !strcmp(rel, "subset")   ? "a subset of"
                                       : "incompatible with");
    text_items(out, "blockers", bl);
    text_items(out, "warnings", cc_node_get(r, "warnings"));
    if (cc_node_count(r, "extra"))
        cc_text_list(out, "extra", 13, cc_node_get(r, "extra"));
    if (cc_node_count(r, "responsible_properties"))
        cc_text_list(out, "responsible", 13, cc_node_get(r, "responsible_properties"));
    if (*sugg)
        fprintf(out, "%-13s %s runs on both hosts (cpucompat compare --model %s)\n", "suggestion",
                sugg, sugg);
    for (size_t i = 0; i < cc_node_count(r, "notes"); i++)
        fprintf(out, "%-13s %s\n", "note", cc_node_get(r, "notes")->kids[i]->s);
}
