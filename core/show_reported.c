/* `show` of a view that kept a source's own model answers (an import of libvirt domain
 * capabilities): each answer beside cpucompat's own for the same name. */
#include "show_reported.h"
#include "arch.h"

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
                     const struct cc_view *v, struct cc_node *view)
{
    struct cc_models_report rep = {0};
    struct cc_node *reported, *models;
    bool have = false;
    int r;

    if (!v->reported_by)
        return 0;
    /* Only the host's answering view can be judged by cpucompat's models. */
    if (doc->arch->models && v == cc_doc_host_view(doc)) {
        if ((r = doc->arch->models(ctx, doc, file, &rep)) < 0)
            return r;
        have = true;
    }
    reported = cc_add_object(view, "reported");
    cc_add_string(reported, "by", v->reported_by);
    models = cc_add_array(reported, "models", "model");
    for (size_t i = 0; i < v->n_reported; i++) {
        const struct cc_reported_model *m = &v->reported[i];
        const struct cc_model_status *ours = have ? ours_for(&rep, m->name) : NULL;
        struct cc_node *o = cc_add_object(models, NULL);

        cc_add_string(o, "name", m->name);
        cc_add_string(o, "usable", m->usable);
        cc_add_string(o, "blockers", m->blockers ? m->blockers : "");
        cc_add_string(o, "cpucompat", have ? ours_text(ours) : "not judged");
        if (ours) {
            cc_add_strlist(o, "cpucompat_blockers", "feature", &ours->unavailable);
            cc_add_bool(o, "blockers_agree", same_blockers(m->blockers, &ours->unavailable));
        }
    }
    cc_models_report_free(&rep);
    return 0;
}
