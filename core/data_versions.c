#include "data_versions.h"
#include "arch.h"
#include "cleanup.h"
#include "ctx.h"
#include "error.h"
#include "xalloc.h"
#include "xml_load.h"

#include <string.h>

struct collect {
    const struct cc_data_version *v;
    struct cc_strlist *values;
};

static int collect_start(void *user, const char *name, const char *const *attrs, int line)
{
    struct collect *c = user;
    const char *value;
    _cleanup_free_ char *copy = NULL;
    char *save = NULL;

    (void)line;
    if (strcmp(name, c->v->element) != 0 || !(value = cc_xml_pair(attrs, c->v->attr)))
        return 0;
    copy = xstrdup(value);
    for (char *w = strtok_r(copy, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save))
        if (!cc_strlist_contains(c->values, w))
            cc_strlist_add(c->values, w);
    return 0;
}

int cc_data_version_values(const struct cc_ctx *ctx, const struct cc_arch_ops *arch,
                           const struct cc_data_version *v, struct cc_strlist *values)
{
    const struct cc_xml_sax handler = {.start = collect_start};
    struct collect c = {.v = v, .values = values};
    _cleanup_free_ char *path = NULL;
    struct cc_strlist files = {0};
    size_t len;
    int r = cc_ctx_arch_path(ctx, arch, v->file, &path);

    if (r < 0)
        return r;
    len = strlen(v->file);
    if (len > 4 && !strcmp(v->file + len - 4, ".xml"))
        return cc_xml_sax_file(path, &handler, &c);
    r = cc_ctx_arch_files(ctx, arch, v->file, &files);
    for (size_t i = 0; r == 0 && i < files.n; i++)
        r = cc_xml_sax_file(files.items[i], &handler, &c);
    cc_strlist_free(&files);
    return r;
}

static char *joined(const struct cc_data_version *v, const struct cc_strlist *values)
{
    size_t len = 1;
    char *s;

    if (values->n == 0)
        return xstrdup("(none recorded)");
    if (v->span && values->n > 2)
        return xasprintf("%s to %s (%zu)", values->items[0], values->items[values->n - 1],
                         values->n);
    for (size_t i = 0; i < values->n; i++)
        len += strlen(values->items[i]) + 2;
    s = xmalloc(len);
    s[0] = '\0';
    for (size_t i = 0; i < values->n; i++) {
        if (i)
            strcat(s, ", ");
        strcat(s, values->items[i]);
    }
    return s;
}

int cc_data_versions(const struct cc_ctx *ctx, struct cc_strlist *lines)
{
    for (const struct cc_arch_ops *const *a = cc_arch_table; *a; a++) {
        for (const struct cc_data_version *v = (*a)->data_versions; v && v->label; v++) {
            struct cc_strlist values = {0};
            _cleanup_free_ char *text = NULL;
            int r = cc_data_version_values(ctx, *a, v, &values);

            if (r == 0) {
                text = joined(v, &values);
                cc_strlist_addf(lines, "%s %s: %s", (*a)->name, v->label, text);
            }
            cc_strlist_free(&values);
            if (r < 0)
                return r;
        }
    }
    return 0;
}
