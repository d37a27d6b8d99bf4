#include "report.h"
#include "error.h"
#include "json.h"

#include <stdlib.h>
#include <string.h>

/* At most this many blocker names per line in text; the JSON has them all. */
#define TEXT_BLOCKERS 8

static void json_status(struct cc_json *j, const struct cc_model_status *m)
{
    cc_json_begin_object(j);
    cc_json_kv_string(j, "name", m->name);
    cc_json_kv_string(j, "family", m->family);
    cc_json_kv_uint(j, "version", m->version);
    cc_json_kv_strlist(j, "aliases", &m->aliases);
    cc_json_kv_string(j, "origin", m->origin);
    cc_json_kv_bool(j, "deprecated", m->deprecated);
    cc_json_kv_bool(j, "usable", m->usable);
    cc_json_kv_string(j, "not_in_qemu", m->not_in_qemu);
    cc_json_key(j, "blockers");
    cc_json_begin_array(j);
    for (size_t b = 0; b < m->blockers.n; b++) {
        cc_json_begin_object(j);
        cc_json_kv_string(j, "name", m->blockers.items[b].name);
        cc_json_kv_string(j, "where", m->blockers.items[b].where);
        cc_json_kv_string(j, "reason", cc_reason_name(m->blockers.items[b].reason));
        cc_json_kv_string(j, "detail", m->blockers.items[b].detail);
        cc_json_end_object(j);
    }
    cc_json_end_array(j);
    cc_json_kv_strlist(j, "unavailable_features", &m->unavailable);
    cc_json_end_object(j);
}

static void text_blockers(FILE *out, const struct cc_model_status *m)
{
    if (m->not_in_qemu)
        fprintf(out, " not in QEMU %s", m->not_in_qemu);
    for (size_t b = 0; b < m->blockers.n && b < TEXT_BLOCKERS; b++)
        fprintf(out, " %s", m->blockers.items[b].name);
    if (m->blockers.n > TEXT_BLOCKERS)
        fprintf(out, " (+%zu more)", m->blockers.n - TEXT_BLOCKERS);
}

int cc_report_models(const struct cc_models_report *r, const char *file, enum cc_format fmt,
                     FILE *out)
{
    size_t usable = 0;

    for (size_t i = 0; i < r->n; i++)
        usable += r->items[i].usable;
    if (fmt == CC_FORMAT_JSON) {
        struct cc_json j;

        cc_json_init(&j, out);
        cc_json_begin_object(&j);
        cc_json_kv_string(&j, "host", file);
        cc_json_kv_string(&j, "basis", r->basis);
        cc_json_kv_string(&j, "qemu", r->qemu);
        cc_json_kv_uint(&j, "usable", usable);
        cc_json_kv_strlist(&j, "notes", &r->notes);
        cc_json_key(&j, "models");
        cc_json_begin_array(&j);
        for (size_t i = 0; i < r->n; i++)
            json_status(&j, &r->items[i]);
        cc_json_end_array(&j);
        cc_json_end_object(&j);
        cc_json_finish(&j);
        return 0;
    }
    if (fmt != CC_FORMAT_TEXT)
        return cc_error(EINVAL, "models: unsupported output format");
    fprintf(out, "host    %s (%s view%s)\n", file, r->basis,
            strcmp(r->basis, "kvm") == 0 ? ": what this host's KVM and QEMU allow"
                                         : ": the silicon, not the hypervisor");
    if (r->qemu)
        fprintf(out, "qemu    %s\n", r->qemu);
    for (size_t i = 0; i < r->notes.n; i++)
        fprintf(out, "note    %s\n", r->notes.items[i]);
    fprintf(out, "usable  %zu of %zu model versions\n\n", usable, r->n);
    size_t width = 5;
    for (size_t i = 0; i < r->n; i++)
        if (strlen(r->items[i].name) > width)
            width = strlen(r->items[i].name);
    fprintf(out, "%-*s %-6s %s\n", (int)width, "MODEL", "USABLE", "BLOCKED BY / ALIASES");
    for (size_t i = 0; i < r->n; i++) {
        const struct cc_model_status *m = &r->items[i];

        fprintf(out, "%-*s %s", (int)width, m->name, m->usable ? "yes" : "no ");
        if (m->blockers.n || m->aliases.n || m->deprecated || m->not_in_qemu)
            fprintf(out, "   ");
        text_blockers(out, m);
        for (size_t a = 0; a < m->aliases.n; a++)
            fprintf(out, "%s%s",
                    a                                 ? ","
                    : m->blockers.n || m->not_in_qemu ? "; alias "
                                                      : " alias ",
                    m->aliases.items[a]);
        if (m->deprecated)
            fprintf(out, " [deprecated]");
        fputc('\n', out);
    }
    return 0;
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
                      enum cc_format fmt, FILE *out)
{
    const struct cc_model_status *named = find(r, name), *chosen = NULL;
    const struct cc_model_status *family[64];
    size_t n = 0;
    struct cc_json j;

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
                const struct cc_model_status *t = family[a];
                family[a] = family[b];
                family[b] = t;
            }
    for (size_t i = 0; i < n && !chosen; i++)
        if (family[i]->usable)
            chosen = family[i];

    if (fmt == CC_FORMAT_JSON) {
        cc_json_init(&j, out);
        cc_json_begin_object(&j);
        cc_json_kv_string(&j, "host", file);
        cc_json_kv_string(&j, "basis", r->basis);
        cc_json_kv_string(&j, "resolve", name);
        cc_json_kv_string(&j, "chosen", chosen ? chosen->name : NULL);
        cc_json_key(&j, "rejected");
        cc_json_begin_array(&j);
        for (size_t i = 0; i < n && family[i] != chosen; i++)
            json_status(&j, family[i]);
        cc_json_end_array(&j);
        cc_json_end_object(&j);
        cc_json_finish(&j);
    } else {
        fprintf(out, "%s -> %s\n", name, chosen ? chosen->name : "(no version runs on this host)");
        for (size_t i = 0; i < n && family[i] != chosen; i++) {
            fprintf(out, "  %-24s rejected,%s", family[i]->name,
                    family[i]->not_in_qemu ? "" : " lacks");
            text_blockers(out, family[i]);
            fputc('\n', out);
        }
    }
    return chosen ? 0 : 1;
}
