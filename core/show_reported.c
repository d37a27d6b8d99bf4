/* `show` of a view that kept a source's own model answers (an import of libvirt domain
 * capabilities): each answer printed beside cpucompat's own for the same name. */
#include "show_reported.h"
#include "arch.h"
#include "json.h"

#include <stdlib.h>
#include <string.h>

static const struct cc_model_status *ours_for(const struct cc_models_report *r, const char *name)
{
    for (size_t i = 0; r && i < r->n; i++) {
        if (strcmp(r->items[i].name, name) == 0 || cc_strlist_contains(&r->items[i].aliases, name))
            return &r->items[i];
    }
    return NULL;
}

/* The source's blockers and cpucompat's, as sets (QEMU repeats a name per bit it misses). */
static bool same_blockers(const char *theirs, const struct cc_strlist *ours)
{
    struct cc_strlist t = {0};
    char *copy = strdup(theirs ? theirs : ""), *save = NULL;
    bool same = copy != NULL;

    for (char *w = copy ? strtok_r(copy, " ", &save) : NULL; w && same;
         w = strtok_r(NULL, " ", &save))
        same = cc_strlist_contains(ours, w) && cc_strlist_add(&t, w) == 0;
    for (size_t i = 0; i < ours->n && same; i++)
        same = cc_strlist_contains(&t, ours->items[i]);
    cc_strlist_free(&t);
    free(copy);
    return same;
}

static const char *ours_text(const struct cc_model_status *m)
{
    return !m ? "unknown model" : m->usable ? "yes" : "no";
}

int cc_show_reported(struct cc_ctx *ctx, const struct cc_doc *doc, const char *file,
                     const struct cc_view *v, struct cc_json *j, FILE *out)
{
    struct cc_models_report rep = {0};
    bool have = false;
    int r = 0;

    if (!v->reported_by)
        return 0;
    /* Only the host's answering view can be judged by cpucompat's models. */
    if (doc->arch->models && v == cc_doc_host_view(doc)) {
        if ((r = doc->arch->models(ctx, doc, file, &rep)) < 0)
            return r;
        have = true;
    }
    if (j) {
        cc_json_key(j, "reported");
        cc_json_begin_object(j);
        cc_json_kv_string(j, "by", v->reported_by);
        cc_json_key(j, "models");
        cc_json_begin_array(j);
    } else {
        fprintf(out, "  models as %s reports them, with cpucompat's answer:\n", v->reported_by);
    }
    for (size_t i = 0; i < v->n_reported; i++) {
        const struct cc_reported_model *m = &v->reported[i];
        const struct cc_model_status *ours = have ? ours_for(&rep, m->name) : NULL;

        if (j) {
            cc_json_begin_object(j);
            cc_json_kv_string(j, "name", m->name);
            cc_json_kv_string(j, "usable", m->usable);
            cc_json_kv_string(j, "blockers", m->blockers ? m->blockers : "");
            cc_json_kv_string(j, "cpucompat", have ? ours_text(ours) : "not judged");
            if (ours)
                cc_json_kv_strlist(j, "cpucompat_blockers", &ours->unavailable);
            cc_json_end_object(j);
            continue;
        }
        fprintf(out, "    %-26s %-3s  cpucompat %s", m->name, m->usable,
                have ? ours_text(ours) : "not judged");
        if (m->blockers)
            fprintf(out, "  (blockers: %s)", m->blockers);
        if (ours && !same_blockers(m->blockers, &ours->unavailable)) {
            fputs("  (cpucompat's:", out);
            for (size_t k = 0; k < ours->unavailable.n; k++)
                fprintf(out, " %s", ours->unavailable.items[k]);
            fputc(')', out);
        }
        fputc('\n', out);
    }
    if (j) {
        cc_json_end_array(j);
        cc_json_end_object(j);
    }
    cc_models_report_free(&rep);
    return 0;
}
