#include "show.h"
#include "arch.h"
#include "error.h"
#include "json.h"
#include "show_reported.h"

#include <stdlib.h>
#include <string.h>

#define WRAP 78

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Prints names (sorted by the caller) as indented, wrapped lines. */
static void print_wrapped(FILE *out, const char *label, char *const *names, size_t n)
{
    size_t col;

    if (n == 0)
        return;
    col = (size_t)fprintf(out, "  %s", label);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(names[i]);

        if (col + 1 + len > WRAP) {
            fputc('\n', out);
            col = (size_t)fprintf(out, "  %*s", (int)strlen(label), "");
        }
        col += (size_t)fprintf(out, " %s", names[i]);
    }
    fputc('\n', out);
}

/* Names in a but not in b (both sorted), into diff. */
static int difference(const struct cc_strlist *a, const struct cc_strlist *b,
                      struct cc_strlist *diff)
{
    for (size_t i = 0; i < a->n; i++)
        if (!bsearch(&a->items[i], b->items, b->n, sizeof(char *), cmp_str)) {
            int r = cc_strlist_add(diff, a->items[i]);
            if (r < 0)
                return r;
        }
    return 0;
}

static int view_names(struct cc_ctx *ctx, const struct cc_doc *doc, const struct cc_view *v,
                      struct cc_strlist *names)
{
    int r = doc->arch->view_features(ctx, v, names);

    if (r == 0 && names->n)
        qsort(names->items, names->n, sizeof(char *), cmp_str);
    return r;
}

static void summary(const struct cc_doc *doc, const struct cc_view *v, char *buf, size_t len)
{
    buf[0] = '\0';
    if (v->raw && doc->arch->raw_summary)
        doc->arch->raw_summary(v->raw, buf, len);
}

static int show_text(struct cc_ctx *ctx, const struct cc_doc *doc, const char *file, FILE *out)
{
    const struct cc_view *cpu = cc_doc_view(doc, "cpu");
    struct cc_strlist cpu_names = {0};
    const char *method = cc_kv_get(&doc->origin, "method");
    int r = 0;

    fprintf(out, "%-11s %s\n", "file", file);
    fprintf(out, "%-11s %s\n", "arch", doc->arch->name);
    fprintf(out, "%-11s %s", "origin", method ? method : "?");
    if (cc_kv_get(&doc->origin, "hostname"))
        fprintf(out, " on %s", cc_kv_get(&doc->origin, "hostname"));
    if (cc_kv_get(&doc->origin, "kernel"))
        fprintf(out, ", kernel %s", cc_kv_get(&doc->origin, "kernel"));
    if (cc_kv_get(&doc->origin, "import-format"))
        fprintf(out, " of %s %s", cc_kv_get(&doc->origin, "import-format"),
                cc_kv_get(&doc->origin, "import-file") ?: "");
    fprintf(out, ", %s, cpucompat %s\n", cc_kv_get(&doc->origin, "created") ?: "?",
            doc->tool_version);
    for (size_t i = 0; i < doc->identity.n; i++)
        fprintf(out, "%-11s %s\n", doc->identity.items[i].key, doc->identity.items[i].value);

    if (cpu)
        r = view_names(ctx, doc, cpu, &cpu_names);
    for (size_t i = 0; i < doc->n_views && r == 0; i++) {
        const struct cc_view *v = &doc->views[i];
        struct cc_strlist names = {0}, only = {0}, missing = {0};
        char sum[128];

        r = v == cpu ? 0 : view_names(ctx, doc, v, &names);
        if (v == cpu)
            names = cpu_names;
        summary(doc, v, sum, sizeof(sum));
        fprintf(out, "\nview %s: %s\n  %s; %zu named features\n", v->name, v->source, sum, names.n);
        if (v->props.n) {
            fprintf(out, "  properties:");
            for (size_t p = 0; p < v->props.n; p++)
                fprintf(out, " %s=%s", v->props.items[p].key, v->props.items[p].value);
            fputc('\n', out);
        }
        if (r == 0)
            print_wrapped(out, "features:", names.items, names.n);
        if (r == 0 && v != cpu && cpu) {
            r = difference(&names, &cpu_names, &only);
            if (r == 0)
                r = difference(&cpu_names, &names, &missing);
            print_wrapped(out, "not in cpu view:", only.items, only.n);
            print_wrapped(out, "cpu view only:", missing.items, missing.n);
        }
        cc_strlist_free(&only);
        cc_strlist_free(&missing);
        if (r == 0)
            r = cc_show_reported(ctx, doc, file, v, NULL, out);
        if (v != cpu)
            cc_strlist_free(&names);
    }
    cc_strlist_free(&cpu_names);
    return r;
}

static int show_json(struct cc_ctx *ctx, const struct cc_doc *doc, const char *file, FILE *out)
{
    struct cc_json j;
    int r = 0;

    cc_json_init(&j, out);
    cc_json_begin_object(&j);
    cc_json_kv_string(&j, "file", file);
    cc_json_kv_uint(&j, "format", CC_FORMAT_VERSION);
    cc_json_kv_string(&j, "arch", doc->arch->name);
    cc_json_kv_string(&j, "tool_version", doc->tool_version);
    cc_json_key(&j, "origin");
    cc_json_begin_object(&j);
    for (size_t i = 0; i < doc->origin.n; i++)
        cc_json_kv_string(&j, doc->origin.items[i].key, doc->origin.items[i].value);
    cc_json_end_object(&j);
    cc_json_key(&j, "identity");
    cc_json_begin_object(&j);
    for (size_t i = 0; i < doc->identity.n; i++)
        cc_json_kv_string(&j, doc->identity.items[i].key, doc->identity.items[i].value);
    cc_json_end_object(&j);
    cc_json_key(&j, "views");
    cc_json_begin_array(&j);
    for (size_t i = 0; i < doc->n_views && r == 0; i++) {
        const struct cc_view *v = &doc->views[i];
        struct cc_strlist names = {0};
        char sum[128];

        r = view_names(ctx, doc, v, &names);
        summary(doc, v, sum, sizeof(sum));
        cc_json_begin_object(&j);
        cc_json_kv_string(&j, "name", v->name);
        cc_json_kv_string(&j, "source", v->source);
        cc_json_kv_string(&j, "raw", sum);
        cc_json_key(&j, "properties");
        cc_json_begin_object(&j);
        for (size_t p = 0; p < v->props.n; p++)
            cc_json_kv_string(&j, v->props.items[p].key, v->props.items[p].value);
        cc_json_end_object(&j);
        cc_json_kv_strlist(&j, "features", &names);
        if (r == 0)
            r = cc_show_reported(ctx, doc, file, v, &j, out);
        cc_json_end_object(&j);
        cc_strlist_free(&names);
    }
    cc_json_end_array(&j);
    cc_json_end_object(&j);
    cc_json_finish(&j);
    return r;
}

int cc_show(struct cc_ctx *ctx, const struct cc_doc *doc, const char *file, enum cc_format fmt,
            FILE *out)
{
    switch (fmt) {
    case CC_FORMAT_TEXT:
        return show_text(ctx, doc, file, out);
    case CC_FORMAT_JSON:
        return show_json(ctx, doc, file, out);
    default:
        return cc_error(EINVAL, "show: unsupported output format");
    }
}
