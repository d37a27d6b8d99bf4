/* The "inventory" report tree: hosts, classes, the class matrix, domains, superseded files,
 * errors, and where a guest can go. */
#include "inventory.h"
#include "arch.h"
#include "verdict.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

static size_t n_superseded(const struct cc_inventory *inv)
{
    size_t n = 0;

    for (size_t i = 0; i < inv->n_hosts; i++)
        n += inv->hosts[i].superseded_by != SIZE_MAX;
    return n;
}

/* The "name=value" lines of a host's versions as a map. */
static void add_versions(struct cc_node *o, const char *lines)
{
    struct cc_node *m = cc_add_map(o, "versions", "version");

    for (const char *p = lines; p && *p;) {
        const char *eq = strchr(p, '='), *nl = strchrnul(p, '\n');
        char *key, *value;

        if (!eq || eq > nl)
            break;
        key = xasprintf("%.*s", (int)(eq - p), p);
        value = xasprintf("%.*s", (int)(nl - eq - 1), eq + 1);
        cc_add_string(m, key, value);
        free(key);
        free(value);
        p = *nl ? nl + 1 : nl;
    }
}

static void add_hosts(struct cc_node *r, const struct cc_inventory *inv)
{
    struct cc_node *hosts = cc_add_array(r, "hosts", "host");
    struct cc_node *sup = cc_add_array(r, "superseded", "host");

    for (size_t i = 0; i < inv->n_hosts; i++) {
        const struct cc_inv_host *h = &inv->hosts[i];
        struct cc_node *o;

        if (h->superseded_by != SIZE_MAX) {
            o = cc_add_object(sup, NULL);
            cc_add_input_string(o, "file", h->file);
            cc_add_input_string(o, "hostname", h->hostname);
            cc_add_input_string(o, "created", h->created);
            cc_add_input_string(o, "kept", inv->hosts[h->superseded_by].file);
            continue;
        }
        o = cc_add_object(hosts, NULL);
        cc_add_input_string(o, "file", h->file);
        cc_add_input_string(o, "hostname", h->hostname);
        cc_add_string(o, "arch", h->arch->name);
        cc_add_string(o, "class", inv->classes[h->cls].id);
        cc_add_input_string(o, "created", h->created);
        cc_add_input_string(o, "qemu", h->qemu);
        cc_add_input_string(o, "path", h->path);
        add_versions(o, h->versions);
    }
}

static void add_classes(struct cc_node *r, const struct cc_inventory *inv)
{
    struct cc_node *classes = cc_add_array(r, "classes", "class");
    size_t n = inv->n_classes;

    for (size_t c = 0; c < n; c++) {
        const struct cc_inv_class *cls = &inv->classes[c];
        const struct cc_doc *doc = cls->reps[0].doc;
        struct cc_node *o = cc_add_object(classes, NULL), *a, *m;

        cc_add_string(o, "id", cls->id);
        cc_add_string(o, "arch", cls->arch->name);
        cc_add_string(o, "canonical", cls->canonical);
        m = cc_add_map(o, "identity", "field");
        for (size_t i = 0; i < doc->identity.n; i++)
            cc_add_input_string(m, doc->identity.items[i].key, doc->identity.items[i].value);
        a = cc_add_array(o, "hosts", "host");
        for (size_t i = 0; i < cls->n_hosts; i++)
            cc_add_string(a, NULL, inv->hosts[cls->hosts[i]].file);
        a = cc_add_array(o, "destinations", "class");
        for (size_t d = 0; d < n; d++)
            if (d != c && inv->matrix[c * n + d].migratable)
                cc_add_string(a, NULL, inv->classes[d].id);
        cc_add_strlist(o, "models", "model", &cls->models);
        cc_add_strlist(o, "best_models", "model", &cls->best);
    }
}

static void add_matrix(struct cc_node *r, const struct cc_inventory *inv)
{
    struct cc_node *matrix = cc_add_array(r, "matrix", "pair");
    size_t n = inv->n_classes;

    for (size_t a = 0; a < n; a++)
        for (size_t b = 0; b < n; b++) {
            const struct cc_inv_cell *cell = &inv->matrix[a * n + b];
            struct cc_node *o, *bl;

            if (a == b || inv->classes[a].arch != inv->classes[b].arch)
                continue;
            o = cc_add_object(matrix, NULL);
            cc_add_string(o, "source", inv->classes[a].id);
            cc_add_string(o, "destination", inv->classes[b].id);
            cc_add_bool(o, "migratable", cell->migratable);
            cc_add_string(o, "relation", cc_relation_name((enum cc_relation)cell->relation));
            bl = cc_add_array(o, "blockers", "blocker");
            for (size_t i = 0; i < cell->n_blockers; i++) {
                struct cc_node *x = cc_add_object(bl, NULL);

                cc_add_string(x, "name", cell->blockers[i].name);
                cc_add_string(x, "detail", cell->blockers[i].detail);
            }
            cc_add_uint(o, "blockers_total", cell->n_all);
        }
}

static void add_domains(struct cc_node *r, const struct cc_inventory *inv)
{
    struct cc_node *domains = cc_add_array(r, "domains", "domain");

    for (size_t d = 0; d < inv->n_domains; d++) {
        struct cc_node *o = cc_add_object(domains, NULL);
        struct cc_node *a = cc_add_array(o, "classes", "class");
        size_t hosts = 0;

        for (size_t i = 0; i < inv->domain_sizes[d]; i++) {
            const struct cc_inv_class *cls = &inv->classes[inv->domains[d][i]];

            cc_add_string(a, NULL, cls->id);
            hosts += cls->n_hosts;
        }
        cc_add_string(o, "arch", inv->classes[inv->domains[d][0]].arch->name);
        cc_add_uint(o, "hosts", hosts);
    }
}

static void add_guest(struct cc_node *r, const struct cc_inventory *inv)
{
    struct cc_node *g, *hosts, *classes;

    if (!inv->guest)
        return;
    g = cc_add_object(r, "guest");
    cc_add_string(g, "guest", inv->guest);
    classes = cc_add_array(g, "classes", "class");
    hosts = cc_add_array(g, "hosts", "host");
    for (size_t c = 0; c < inv->n_classes; c++)
        if (inv->accepts[c]) {
            cc_add_string(classes, NULL, inv->classes[c].id);
            for (size_t i = 0; i < inv->classes[c].n_hosts; i++)
                cc_add_string(hosts, NULL, inv->hosts[inv->classes[c].hosts[i]].file);
        }
}

struct cc_node *cc_report_inventory(const struct cc_inventory *inv)
{
    struct cc_node *r = cc_report_new("inventory"), *s, *errors;

    s = cc_add_object(r, "summary");
    cc_add_uint(s, "hosts", inv->n_hosts - n_superseded(inv));
    cc_add_uint(s, "classes", inv->n_classes);
    cc_add_uint(s, "domains", inv->n_domains);
    cc_add_uint(s, "superseded", n_superseded(inv));
    cc_add_uint(s, "errors", inv->n_errors);
    add_guest(r, inv);
    add_hosts(r, inv);
    add_classes(r, inv);
    add_matrix(r, inv);
    add_domains(r, inv);
    if (inv->drift)
        cc_report_inventory_drift(r, inv);
    errors = cc_add_array(r, "errors", "error");
    for (size_t i = 0; i < inv->n_errors; i++) {
        struct cc_node *o = cc_add_object(errors, NULL);

        cc_add_string(o, "file", inv->errors[i].file);
        cc_add_string(o, "message", inv->errors[i].message);
    }
    return r;
}
