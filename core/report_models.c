#include "report.h"
#include "error.h"
#include "report_text.h"

#include <stdlib.h>
#include <string.h>

/* At most this many blocker names per line in text; the JSON has them all. */
#define TEXT_BLOCKERS 8

static void add_status(struct cc_node *array, const struct cc_model_status *m)
{
    struct cc_node *o = cc_add_object(array, NULL), *bl;

    cc_add_string(o, "name", m->name);
    cc_add_string(o, "family", m->family);
    cc_add_uint(o, "version", m->version);
    cc_add_strlist(o, "aliases", "alias", &m->aliases);
    cc_add_string(o, "origin", m->origin);
    cc_add_bool(o, "deprecated", m->deprecated);
    cc_add_bool(o, "usable", m->usable);
    cc_add_string(o, "not_in_qemu", m->not_in_qemu);
    bl = cc_add_array(o, "blockers", "blocker");
    for (size_t b = 0; b < m->blockers.n; b++) {
        struct cc_node *x = cc_add_object(bl, NULL);

        cc_add_string(x, "name", m->blockers.items[b].name);
        cc_add_string(x, "where", m->blockers.items[b].where);
        cc_add_string(x, "reason", cc_reason_name(m->blockers.items[b].reason));
        cc_add_string(x, "detail", m->blockers.items[b].detail);
    }
    cc_add_strlist(o, "unavailable_features", "feature", &m->unavailable);
}

struct cc_node *cc_report_models(const struct cc_models_report *r, const char *file)
{
    struct cc_node *t = cc_report_new("models"), *models;
    size_t usable = 0;

    for (size_t i = 0; i < r->n; i++)
        usable += r->items[i].usable;
    cc_add_string(t, "host", file);
    cc_add_string(t, "basis", r->basis);
    cc_add_string(t, "qemu", r->qemu);
    cc_add_uint(t, "usable", usable);
    cc_add_strlist(t, "notes", "note", &r->notes);
    models = cc_add_array(t, "models", "model");
    for (size_t i = 0; i < r->n; i++)
        add_status(models, &r->items[i]);
    return t;
}

static void text_blockers(FILE *out, const struct cc_node *m)
{
    const struct cc_node *bl = cc_node_get(m, "blockers");

    if (*cc_node_str(m, "not_in_qemu"))
        fprintf(out, " not in QEMU %s", cc_node_str(m, "not_in_qemu"));
    for (size_t b = 0; b < bl->n && b < TEXT_BLOCKERS; b++)
        fprintf(out, " %s", cc_node_str(bl->kids[b], "name"));
    if (bl->n > TEXT_BLOCKERS)
        fprintf(out, " (+%zu more)", bl->n - TEXT_BLOCKERS);
}

void cc_text_models(const struct cc_node *r, FILE *out)
{
    const struct cc_node *models = cc_node_get(r, "models"), *notes = cc_node_get(r, "notes");
    const char *basis = cc_node_str(r, "basis");
    size_t width = 5;

    fprintf(out, "host    %s (%s view%s)\n", cc_node_str(r, "host"), basis,
            strcmp(basis, "kvm") == 0 ? ": what this host's KVM and QEMU allow"
                                      : ": the silicon, not the hypervisor");
    if (*cc_node_str(r, "qemu"))
        fprintf(out, "qemu    %s\n", cc_node_str(r, "qemu"));
    for (size_t i = 0; i < notes->n; i++)
        fprintf(out, "note    %s\n", notes->kids[i]->s);
    fprintf(out, "usable  %llu of %zu model versions\n\n", cc_node_uint(r, "usable"), models->n);
    for (size_t i = 0; i < models->n; i++)
        if (strlen(cc_node_str(models->kids[i], "name")) > width)
            width = strlen(cc_node_str(models->kids[i], "name"));
    fprintf(out, "%-*s %-6s %s\n", (int)width, "MODEL", "USABLE", "BLOCKED BY / ALIASES");
    for (size_t i = 0; i < models->n; i++) {
        const struct cc_node *m = models->kids[i], *aliases = cc_node_get(m, "aliases");
        size_t n_blockers = cc_node_count(m, "blockers");
        bool deprecated = cc_node_bool(m, "deprecated");
        bool absent = *cc_node_str(m, "not_in_qemu") != '\0';

        fprintf(out, "%-*s %s", (int)width, cc_node_str(m, "name"),
                cc_node_bool(m, "usable") ? "yes" : "no ");
        if (n_blockers || aliases->n || deprecated || absent)
            fprintf(out, "   ");
        text_blockers(out, m);
        for (size_t a = 0; a < aliases->n; a++)
            fprintf(out, "%s%s",
                    a                      ? ","
                    : n_blockers || absent ? "; alias "
                                           : " alias ",
                    aliases->kids[a]->s);
        if (deprecated)
            fprintf(out, " [deprecated]");
        fputc('\n', out);
    }
}

static const struct cc_model_status *find(const struct cc_models_report *r, const char *name)
{
    for (size_t i = 0; i < r->n; i++) {
        if (!strcmp(r->items[i].name, name) || cc_strlist_contains(&r->items[i].aliases, name))
            return &r->items[i];
    }
    return NULL;
}

int cc_report_resolve(const struct cc_models_report *r, const char *file, const char *name,
                      struct cc_node **out)
{
    const struct cc_model_status *named = find(r, name), *chosen = NULL;
    const struct cc_model_status *family[64];
    struct cc_node *t, *rejected;
    size_t n = 0;

    /* A family name without its own alias (e.g. "EPYC-Genoa" does have one; "Haswell-v9" is
     * simply unknown) resolves through the family of its versions. */
    for (size_t i = 0; i < r->n && n < 64; i++)
        if ((named && !strcmp(r->items[i].family, named->family)) ||
            (!named && !strcmp(r->items[i].family, name)))
            family[n++] = &r->items[i];
    if (n == 0)
        return cc_error(ENOENT, "unknown CPU model '%s'", name);
    /* Newest first. */
    for (size_t a = 0; a < n; a++)
        for (size_t b = a + 1; b < n; b++)
            if (family[b]->version > family[a]->version) {
                const struct cc_model_status *tmp = family[a];
                family[a] = family[b];
                family[b] = tmp;
            }
    for (size_t i = 0; i < n && !chosen; i++)
        if (family[i]->usable)
            chosen = family[i];

    t = cc_report_new("resolution");
    cc_add_string(t, "host", file);
    cc_add_string(t, "basis", r->basis);
    cc_add_string(t, "resolve", name);
    cc_add_string(t, "chosen", chosen ? chosen->name : NULL);
    rejected = cc_add_array(t, "rejected", "model");
    for (size_t i = 0; i < n && family[i] != chosen; i++)
        add_status(rejected, family[i]);
    *out = t;
    return chosen ? 0 : 1;
}

void cc_text_resolution(const struct cc_node *r, FILE *out)
{
    const struct cc_node *rejected = cc_node_get(r, "rejected");
    const char *chosen = cc_node_str(r, "chosen");

    fprintf(out, "%s -> %s\n", cc_node_str(r, "resolve"),
            *chosen ? chosen : "(no version runs on this host)");
    for (size_t i = 0; i < rejected->n; i++) {
        fprintf(out, "  %-24s rejected,%s", cc_node_str(rejected->kids[i], "name"),
                *cc_node_str(rejected->kids[i], "not_in_qemu") ? "" : " lacks");
        text_blockers(out, rejected->kids[i]);
        fputc('\n', out);
    }
}
