#include "capdoc.h"
#include "arch.h"
#include "error.h"
#include "version.h"

#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

struct cc_doc *cc_doc_new(const struct cc_arch_ops *arch)
{
    struct cc_doc *doc = calloc(1, sizeof(*doc));

    if (!doc)
        return NULL;
    doc->arch = arch;
    doc->tool_version = strdup(CC_VERSION);
    if (!doc->tool_version) {
        free(doc);
        return NULL;
    }
    return doc;
}

static void view_clear(const struct cc_arch_ops *arch, struct cc_view *v)
{
    free(v->name);
    free(v->source);
    cc_kv_free(&v->props);
    if (v->raw && arch && arch->raw_free)
        arch->raw_free(v->raw);
    for (size_t i = 0; i < v->n_reported; i++) {
        free(v->reported[i].name);
        free(v->reported[i].usable);
        free(v->reported[i].canonical);
        free(v->reported[i].blockers);
    }
    free(v->reported);
    free(v->reported_by);
}

void cc_doc_free(struct cc_doc *doc)
{
    if (!doc)
        return;
    for (size_t i = 0; i < doc->n_views; i++)
        view_clear(doc->arch, &doc->views[i]);
    free(doc->views);
    free(doc->tool_version);
    cc_kv_free(&doc->origin);
    cc_kv_free(&doc->identity);
    free(doc);
}

int cc_doc_add_view(struct cc_doc *doc, const char *name, const char *source, struct cc_view **out)
{
    struct cc_view *views, *v;

    if (cc_doc_view(doc, name))
        return cc_error(EEXIST, "view '%s' given twice", name);
    views = reallocarray(doc->views, doc->n_views + 1, sizeof(*views));
    if (!views)
        return cc_error(ENOMEM, "out of memory");
    doc->views = views;
    v = &views[doc->n_views];
    *v = (struct cc_view){.name = strdup(name), .source = strdup(source ? source : "")};
    if (!v->name || !v->source) {
        view_clear(NULL, v);
        return cc_error(ENOMEM, "out of memory");
    }
    doc->n_views++;
    *out = v;
    return 0;
}

int cc_doc_finish_view(struct cc_doc *doc, int status, const char *name, const char *source,
                       void *raw, struct cc_kvlist *props, struct cc_view **out)
{
    struct cc_view *v = NULL;

    if (status == 0)
        status = cc_doc_add_view(doc, name, source, &v);
    if (status < 0) {
        if (raw && doc->arch->raw_free)
            doc->arch->raw_free(raw);
        if (props)
            cc_kv_free(props);
        return status;
    }
    v->raw = raw;
    if (props) {
        v->props = *props;
        *props = (struct cc_kvlist){0};
    }
    if (out)
        *out = v;
    return 0;
}

const struct cc_view *cc_doc_view(const struct cc_doc *doc, const char *name)
{
    for (size_t i = 0; i < doc->n_views; i++)
        if (strcmp(doc->views[i].name, name) == 0)
            return &doc->views[i];
    return NULL;
}

int cc_doc_stamp_origin(struct cc_doc *doc, const char *method)
{
    char stamp[32], host[256] = "";
    struct utsname u;
    struct tm tm;
    time_t now = time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    int r;

    /* Reproducible builds convention: lets tests and packagers pin the timestamp. */
    if (sde && *sde) {
        char *end;
        long long v = strtoll(sde, &end, 10);
        if (*end == '\0' && v >= 0)
            now = (time_t)v;
    }
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
    gethostname(host, sizeof(host) - 1);
    if (uname(&u) < 0)
        return cc_error(errno, "uname: %s", strerror(errno));

    r = cc_kv_set(&doc->origin, "method", method);
    if (r == 0)
        r = cc_kv_set(&doc->origin, "created", stamp);
    if (r == 0 && strcmp(method, "probe") == 0) {
        r = cc_kv_set(&doc->origin, "hostname", host[0] ? host : "unknown");
        if (r == 0)
            r = cc_kv_set(&doc->origin, "kernel", u.release);
    }
    return r;
}

const struct cc_view *cc_doc_host_view(const struct cc_doc *doc)
{
    const struct cc_view *v = cc_doc_view(doc, "kvm");

    return v ? v : cc_doc_view(doc, "cpu");
}

int cc_view_add_reported(struct cc_view *v, const char *name, const char *usable,
                         const char *canonical)
{
    struct cc_reported_model *list, *m;

    if (v->n_reported >= CC_MAX_REPORTED)
        return cc_error(E2BIG, "more than %d reported models", CC_MAX_REPORTED);
    if (cc_view_reported(v, name))
        return cc_error(EEXIST, "model '%s' reported twice", name);
    list = reallocarray(v->reported, v->n_reported + 1, sizeof(*list));
    if (!list)
        return cc_error(ENOMEM, "out of memory");
    v->reported = list;
    m = &list[v->n_reported++];
    *m = (struct cc_reported_model){.name = strdup(name), .usable = strdup(usable)};
    if (canonical)
        m->canonical = strdup(canonical);
    if (!m->name || !m->usable || (canonical && !m->canonical))
        return cc_error(ENOMEM, "out of memory");
    return 0;
}

struct cc_reported_model *cc_view_reported(const struct cc_view *v, const char *name)
{
    for (size_t i = 0; i < v->n_reported; i++)
        if (strcmp(v->reported[i].name, name) == 0)
            return &v->reported[i];
    return NULL;
}

int cc_reported_set_blockers(struct cc_reported_model *m, const struct cc_strlist *names)
{
    size_t len = 1;
    char *s;

    free(m->blockers);
    m->blockers = NULL;
    if (names->n == 0)
        return 0;
    for (size_t i = 0; i < names->n; i++)
        len += strlen(names->items[i]) + 1;
    if (!(s = malloc(len)))
        return cc_error(ENOMEM, "out of memory");
    m->blockers = s;
    for (size_t i = 0; i < names->n; i++) {
        size_t n = strlen(names->items[i]);

        if (i)
            *s++ = ' ';
        memcpy(s, names->items[i], n);
        s += n;
    }
    *s = '\0';
    return 0;
}
