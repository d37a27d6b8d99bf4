#include "verdict.h"
#include "error.h"
#include "grow.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *cc_reason_name(enum cc_reason r)
{
    static const char *const names[] = {"missing", "value too low", "must be equal", "invariant",
                                        "identification"};

    return names[r];
}

const char *cc_relation_name(enum cc_relation r)
{
    static const char *const names[] = {"identical", "superset", "subset", "incompatible"};

    return names[r];
}

int cc_blockers_add(struct cc_blockers *b, const char *name, const char *where,
                    enum cc_reason reason, const char *fmt, ...)
{
    struct cc_blocker *n;
    va_list ap;

    if (cc_blockers_full(b)) {
        b->more++;
        return 0;
    }
    CC_GROW(b->items, b->cap, b->n);
    n = &b->items[b->n++];
    *n = (struct cc_blocker){.reason = reason, .name = xstrdup(name), .where = xstrdup(where)};
    va_start(ap, fmt);
    n->detail = xvasprintf(fmt, ap);
    va_end(ap);
    return 0;
}

void cc_blockers_free(struct cc_blockers *b)
{
    for (size_t i = 0; i < b->n; i++) {
        free(b->items[i].name);
        free(b->items[i].where);
        free(b->items[i].detail);
    }
    free(b->items);
    *b = (struct cc_blockers){0};
}

struct cc_model_status *cc_models_report_add(struct cc_models_report *r)
{
    if (CC_GROW(r->items, r->cap, r->n) < 0)
        return NULL;
    r->items[r->n] = (struct cc_model_status){.blockers.keep = r->usable_only ? 1 : 0};
    return &r->items[r->n++];
}

void cc_models_report_free(struct cc_models_report *r)
{
    for (size_t i = 0; i < r->n; i++) {
        struct cc_model_status *m = &r->items[i];
        free(m->name);
        cc_strlist_free(&m->aliases);
        free(m->family);
        free(m->origin);
        free(m->not_in_qemu);
        cc_blockers_free(&m->blockers);
        cc_strlist_free(&m->unavailable);
    }
    free(r->items);
    free(r->basis);
    free(r->qemu);
    cc_strlist_free(&r->notes);
    *r = (struct cc_models_report){0};
}

void cc_verdict_free(struct cc_verdict *v)
{
    free(v->guest);
    free(v->src_basis);
    free(v->dst_basis);
    free(v->suggestion);
    cc_strlist_free(&v->guest_features);
    cc_blockers_free(&v->blockers);
    cc_blockers_free(&v->warnings);
    cc_strlist_free(&v->extra);
    cc_strlist_free(&v->responsible);
    cc_strlist_free(&v->notes);
    *v = (struct cc_verdict){0};
}

void cc_baseline_free(struct cc_baseline *b)
{
    free(b->level);
    free(b->model);
    free(b->vendor);
    cc_strlist_free(&b->extra);
    cc_strlist_free(&b->removed);
    cc_strlist_free(&b->features);
    cc_strlist_free(&b->notes);
    cc_kv_free(&b->registers);
    cc_kv_free(&b->props);
    *b = (struct cc_baseline){0};
}
