/* A previous inventory's JSON as the old side of --since. The text is untrusted: json_read.c
 * bounds its size, depth and values; here every member drift uses is checked for its type, each
 * class's canonical text against its id (a text edited or cut short no longer hashes to it), each
 * host's class against the classes, and any miss is one line naming the file. */
#include "inventory_drift.h"
#include "arch.h"
#include "error.h"
#include "json_read.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

struct old_class {
    const char *id;
    const struct cc_arch_ops *arch;
    size_t canon;
};

static int by_id(const void *a, const void *b)
{
    return strcmp(((const struct old_class *)a)->id, ((const struct old_class *)b)->id);
}

#define BAD(file, ...) bad(file, __VA_ARGS__)
static int bad(const char *file, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(const char *file, const char *fmt, ...)
{
    char msg[200];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return cc_error(EINVAL, "%s: not a cpucompat inventory's JSON: %s", file, msg);
}

/* A string member (NULL: absent or of another type). */
static const char *str(const struct cc_jval *o, const char *key)
{
    const struct cc_jval *v = cc_jval_get(o, key);

    return v && v->type == CC_JSTRING ? v->str : NULL;
}

static int read_classes(const char *file, const struct cc_jval *a, struct cc_drift_side *out,
                        struct old_class *cls)
{
    for (size_t i = 0; i < a->n; i++) {
        const struct cc_jval *c = &a->items[i];
        const char *id = str(c, "id"), *arch = str(c, "arch"), *text = str(c, "canonical");
        char fp[CC_FINGERPRINT_LEN];

        if (c->type != CC_JOBJECT || !id || !arch)
            return BAD(file, "classes[%zu] is not an object with an id and an arch", i);
        if (!text)
            return BAD(file, "classes[%zu] has no canonical form (written before --since?)", i);
        cc_fingerprint_of(text, strlen(text), fp);
        if (strcmp(fp, id) != 0)
            return BAD(file, "classes[%zu]: the canonical form does not hash to its id %.20s", i,
                       id);
        if (!(cls[i].arch = cc_arch_find(arch)))
            return BAD(file, "classes[%zu]: unknown architecture '%.20s'", i, arch);
        cls[i].id = id;
        cls[i].canon = cc_drift_side_canon(out, text);
    }
    qsort(cls, a->n, sizeof(*cls), by_id);
    for (size_t i = 1; i < a->n; i++)
        if (strcmp(cls[i - 1].id, cls[i].id) == 0)
            return BAD(file, "class %s is listed twice", cls[i].id);
    return 0;
}

/* A host's versions map as "name=value" lines. */
static int versions_of(const char *file, size_t i, const struct cc_jval *v, char **out)
{
    size_t len = 1, used = 0;

    *out = NULL;
    if (!v)
        return 0;
    if (v->type != CC_JOBJECT)
        return BAD(file, "hosts[%zu].versions is not an object", i);
    for (size_t k = 0; k < v->n; k++) {
        if (v->items[k].type != CC_JSTRING || strpbrk(v->keys[k], "=\n") ||
            strchr(v->items[k].str, '\n'))
            return BAD(file, "hosts[%zu].versions: '%.20s' is not a one-line string", i,
                       v->keys[k]);
        len += strlen(v->keys[k]) + strlen(v->items[k].str) + 2;
    }
    *out = xmalloc(len);
    (*out)[0] = '\0';
    for (size_t k = 0; k < v->n; k++)
        used += (size_t)sprintf(*out + used, "%s=%s\n", v->keys[k], v->items[k].str);
    return 0;
}

static int read_hosts(const char *file, const struct cc_jval *a, const struct old_class *cls,
                      size_t n_cls, struct cc_drift_side *out)
{
    for (size_t i = 0; i < a->n; i++) {
        const struct cc_jval *h = &a->items[i], *name = cc_jval_get(h, "hostname");
        const char *f = str(h, "file"), *path = str(h, "path"), *arch = str(h, "arch");
        struct old_class key = {.id = str(h, "class")};
        const struct old_class *c;
        char *versions;
        int r;

        if (h->type != CC_JOBJECT || !f || !arch || !key.id)
            return BAD(file, "hosts[%zu] is not an object with a file, an arch and a class", i);
        if (!path)
            return BAD(file, "hosts[%zu] has no path (written before --since?)", i);
        if (name && name->type != CC_JSTRING && name->type != CC_JNULL)
            return BAD(file, "hosts[%zu].hostname is neither a string nor null", i);
        c = n_cls ? bsearch(&key, cls, n_cls, sizeof(*cls), by_id) : NULL;
        if (!c || strcmp(c->arch->name, arch) != 0)
            return BAD(file, "hosts[%zu]: class %.20s (%.20s) is not among the classes", i, key.id,
                       arch);
        if ((r = versions_of(file, i, cc_jval_get(h, "versions"), &versions)) < 0)
            return r;
        cc_drift_side_host(out, f, path, name && name->type == CC_JSTRING ? name->str : NULL,
                           c->arch, c->id, c->canon, versions);
        free(versions);
    }
    return 0;
}

int cc_drift_old_json(const char *file, struct cc_drift_side *out)
{
    struct cc_jdocs docs = {0};
    const struct cc_jval *root, *hosts, *classes;
    struct old_class *cls = NULL;
    int64_t format;
    int r = cc_json_read_file(file, &docs);

    if (r < 0)
        return r;
    root = docs.n == 1 ? &docs.docs[0] : NULL;
    hosts = cc_jval_get(root, "hosts");
    classes = cc_jval_get(root, "classes");
    if (!root || root->type != CC_JOBJECT)
        r = BAD(file, "not one JSON object");
    else if (cc_jval_int(cc_jval_get(root, "format"), 1, 1, &format) < 0)
        r = BAD(file, "no \"format\": 1");
    else if (!hosts || hosts->type != CC_JARRAY || !classes || classes->type != CC_JARRAY ||
             !cc_jval_get(root, "matrix"))
        r = BAD(file, "no hosts, classes and matrix (the JSON of another command?)");
    if (r == 0) {
        cls = xcalloc(classes->n + 1, sizeof(*cls));
        r = read_classes(file, classes, out, cls);
    }
    if (r == 0)
        r = read_hosts(file, hosts, cls, classes->n, out);
    free(cls);
    cc_jdocs_free(&docs);
    return r;
}
