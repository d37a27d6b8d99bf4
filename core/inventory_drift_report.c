/* The inventory report's "drift" member (--since): counts, the hosts that changed (those that
 * lost something first), the hosts that appeared and those that are gone. */
#include "inventory_drift.h"
#include "arch.h"

static void add_changes(struct cc_node *o, const char *key, const struct cc_changes *l)
{
    struct cc_node *a = cc_add_array(o, key, "change");

    for (size_t i = 0; i < l->n; i++) {
        struct cc_node *c = cc_add_object(a, NULL);

        cc_add_string(c, "name", l->items[i].name);
        cc_add_string(c, "old", l->items[i].old);
        cc_add_string(c, "new", l->items[i].new);
    }
}

static void add_host(struct cc_node *a, const struct cc_drift_host *h)
{
    struct cc_node *o = cc_add_object(a, NULL);

    cc_add_input_string(o, "file", h->file);
    cc_add_input_string(o, "hostname", h->hostname);
    cc_add_string(o, "arch", h->arch->name);
    cc_add_string(o, "class", h->id);
}

void cc_report_inventory_drift(struct cc_node *report, const struct cc_inventory *inv)
{
    const struct cc_inv_drift *d = inv->drift;
    struct cc_node *o = cc_add_object(report, "drift"), *a;

    a = cc_add_array(o, "since", "path");
    for (size_t i = 0; i < d->n_since; i++)
        cc_add_string(a, NULL, d->since[i]);
    cc_add_uint(o, "lost", d->n_lost);
    cc_add_uint(o, "changed", d->n_entries);
    cc_add_uint(o, "unchanged", d->n_unchanged);
    cc_add_uint(o, "appeared", d->n_appeared);
    cc_add_uint(o, "disappeared", d->n_gone);
    a = cc_add_array(o, "hosts", "host");
    for (size_t i = 0; i < d->n_entries; i++) {
        const struct cc_drift_entry *e = &d->entries[i];
        const struct cc_drift_host *x = &d->old.hosts[e->old_host], *y = &d->now.hosts[e->new_host];
        struct cc_node *h = cc_add_object(a, NULL);

        cc_add_input_string(h, "file", y->file);
        cc_add_input_string(h, "old_file", x->file);
        cc_add_input_string(h, "hostname", y->hostname);
        cc_add_string(h, "matched_by", e->by_hostname ? "hostname" : "path");
        cc_add_string(h, "arch", y->arch->name);
        cc_add_string(h, "class", y->id);
        cc_add_string(h, "old_class", x->id);
        add_changes(h, "lost", &e->d.lost);
        add_changes(h, "gained", &e->d.gained);
        add_changes(h, "changed", &e->d.changed);
        add_changes(h, "versions", &e->versions.changed);
    }
    a = cc_add_array(o, "new", "host");
    for (size_t i = 0; i < d->n_appeared; i++)
        add_host(a, &d->now.hosts[d->appeared[i]]);
    a = cc_add_array(o, "gone", "host");
    for (size_t i = 0; i < d->n_gone; i++)
        add_host(a, &d->old.hosts[d->gone[i]]);
}
