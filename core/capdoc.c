#include "capdoc.h"
#include "arch.h"
#include "error.h"
#include "grow.h"
#include "number.h"
#include "version.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

struct cc_doc *cc_doc_new(const struct cc_arch_ops *arch)
{
    struct cc_doc *doc = xcalloc(1, sizeof(*doc));

    doc->arch = arch;
    doc->tool_version = xstrdup(CC_VERSION);
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
    cc_index_free(&v->reported_index);
    free(v->reported_by);
}

void cc_doc_forget(struct cc_doc *doc)
{
    if (doc->memo && doc->memo_free)
        doc->memo_free(doc->memo);
    doc->memo = NULL;
    doc->memo_free = NULL;
}

void cc_doc_free(struct cc_doc *doc)
{
    if (!doc)
        return;
    cc_doc_forget(doc);
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
    struct cc_view *v;

    cc_doc_forget(doc);
    if (cc_doc_view(doc, name))
        return cc_error(EEXIST, "view '%s' given twice", name);
    doc->views = xreallocarray(doc->views, doc->n_views + 1, sizeof(*doc->views));
    v = &doc->views[doc->n_views++];
    *v = (struct cc_view){.name = xstrdup(name), .source = xstrdup(source ? source : "")};
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

int cc_doc_stamp_import(struct cc_doc *doc, const char *format, const char *path)
{
    const char *base = strrchr(path, '/');
    int r = cc_doc_stamp_origin(doc, "import");

    if (r == 0)
        r = cc_kv_set(&doc->origin, "import-format", format);
    if (r == 0)
        r = cc_kv_set(&doc->origin, "import-file", base ? base + 1 : path);
    return r;
}

const struct cc_view *cc_doc_host_view(const struct cc_doc *doc)
{
    const struct cc_view *v = cc_doc_view(doc, "kvm");

    return v ? v : cc_doc_view(doc, "cpu");
}

static uint64_t reported_hash_at(const void *list, size_t pos)
{
    const char *name = ((const struct cc_reported_model *)list)[pos].name;

    return cc_hash_words(name, strlen(name));
}

static bool reported_eq(const void *list, size_t pos, const void *name)
{
    return strcmp(((const struct cc_reported_model *)list)[pos].name, name) == 0;
}

int cc_view_add_reported(struct cc_view *v, const char *name, const char *usable,
                         const char *canonical)
{
    struct cc_reported_model *m;

    if (v->n_reported >= CC_MAX_REPORTED)
        return cc_error(E2BIG, "more than %d reported models", CC_MAX_REPORTED);
    if (cc_view_reported(v, name))
        return cc_error(EEXIST, "model '%s' reported twice", name);
    if (CC_GROW(v->reported, v->cap_reported, v->n_reported) < 0)
        return cc_error(ENOMEM, "out of memory");
    m = &v->reported[v->n_reported++];
    *m = (struct cc_reported_model){.name = strdup(name), .usable = strdup(usable)};
    if (canonical)
        m->canonical = strdup(canonical);
    if (!m->name || !m->usable || (canonical && !m->canonical))
        return cc_error(ENOMEM, "out of memory");
    return cc_index_catch_up(&v->reported_index, v->n_reported, v->reported, reported_hash_at);
}

struct cc_reported_model *cc_view_reported(const struct cc_view *v, const char *name)
{
    if (v->reported_index.n == v->n_reported && v->reported_index.cap) {
        size_t i = cc_index_find(&v->reported_index, cc_hash_words(name, strlen(name)), v->reported,
                                 reported_eq, name);

        return i == SIZE_MAX ? NULL : &v->reported[i];
    }
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

int cc_view_decimal(const struct cc_view *v, const char *file, const char *name, uint64_t min,
                    uint64_t max, uint64_t *out)
{
    const char *s = v ? cc_kv_get(&v->props, name) : NULL;

    if (!s)
        return 0;
    if (cc_parse_decimal(s, min, max, out) < 0)
        return cc_error(EINVAL,
                        "%s: property '%s' of the %s view: '%.40s' is not a decimal number from "
                        "%llu to %llu",
                        file, name, v->name, s, (unsigned long long)min, (unsigned long long)max);
    return 1;
}

int cc_view_hex(const struct cc_view *v, const char *file, const char *name, uint64_t *out)
{
    const char *s = v ? cc_kv_get(&v->props, name) : NULL;

    if (!s)
        return 0;
    if (cc_parse_hex(s, 0, UINT64_MAX, out) < 0)
        return cc_error(EINVAL,
                        "%s: property '%s' of the %s view: '%.40s' is not 0x and 1 to 16 "
                        "lower-case hex digits",
                        file, name, v->name, s);
    return 1;
}
