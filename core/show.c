#include "show.h"
#include "arch.h"
#include "error.h"
#include "fingerprint.h"
#include "report_text.h"
#include "show_reported.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

#define WRAP 78

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int cc_show(struct cc_ctx *ctx, const struct cc_doc *doc, const char *file, struct cc_node **out)
{
    struct cc_node *r = cc_report_new("show"), *views;
    char fp[CC_FINGERPRINT_LEN];
    int rc = cc_fingerprint(ctx, doc, file, fp, NULL);

    if (rc < 0) {
        cc_node_free(r);
        return rc;
    }

    cc_add_string(r, "file", file);
    cc_add_uint(r, "file_format", CC_FORMAT_VERSION);
    cc_add_string(r, "arch", doc->arch->name);
    cc_add_string(r, "tool_version", doc->tool_version);
    cc_add_string(r, "fingerprint", fp);
    cc_add_kvlist(r, "origin", "attribute", &doc->origin);
    cc_add_kvlist(r, "identity", "field", &doc->identity);
    views = cc_add_array(r, "views", "view");
    for (size_t i = 0; i < doc->n_views && rc == 0; i++) {
        const struct cc_view *v = &doc->views[i];
        struct cc_strlist names = {0};
        struct cc_node *o = cc_add_object(views, NULL);
        char sum[128] = "";

        rc = doc->arch->view_features(ctx, v, &names);
        if (rc == 0 && names.n)
            qsort(names.items, names.n, sizeof(char *), cmp_str);
        if (v->raw && doc->arch->raw_summary)
            doc->arch->raw_summary(v->raw, sum, sizeof(sum));
        cc_add_string(o, "name", v->name);
        cc_add_string(o, "source", v->source);
        cc_add_string(o, "raw", sum);
        cc_add_kvlist(o, "properties", "property", &v->props);
        cc_add_strlist(o, "features", "feature", &names);
        cc_strlist_free(&names);
        if (rc == 0)
            rc = cc_show_reported(ctx, doc, file, v, o);
    }
    if (rc < 0)
        cc_node_free(r);
    else
        *out = r;
    return rc;
}

/* Prints names as indented, wrapped lines. */
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

/* The string items of an array member, borrowed. */
static size_t items(const struct cc_node *obj, const char *key, char ***out)
{
    const struct cc_node *a = cc_node_get(obj, key);
    size_t n = a ? a->n : 0;

    *out = xcalloc(n + 1, sizeof(char *));
    for (size_t i = 0; i < n; i++)
        (*out)[i] = a->kids[i]->s;
    return n;
}

/* Names in a but not in b (both sorted), borrowed into diff. */
static size_t difference(char **a, size_t na, char **b, size_t nb, char **diff)
{
    size_t n = 0;

    for (size_t i = 0; i < na; i++)
        if (!bsearch(&a[i], b, nb, sizeof(char *), cmp_str))
            diff[n++] = a[i];
    return n;
}

static const char *map_get(const struct cc_node *obj, const char *map, const char *key)
{
    const struct cc_node *m = cc_node_get(obj, map);

    return m && cc_node_get(m, key) ? cc_node_get(m, key)->s : NULL;
}

/* A source's own model answers beside cpucompat's. */
static void text_reported(FILE *out, const struct cc_node *reported)
{
    const struct cc_node *models = cc_node_get(reported, "models");

    fprintf(out, "  models as %s reports them, with cpucompat's answer:\n",
            cc_node_str(reported, "by"));
    for (size_t i = 0; models && i < models->n; i++) {
        const struct cc_node *m = models->kids[i];
        const char *blockers = cc_node_str(m, "blockers");

        fprintf(out, "    %-26s %-3s  cpucompat %s", cc_node_str(m, "name"),
                cc_node_str(m, "usable"), cc_node_str(m, "cpucompat"));
        const struct cc_node *ours = cc_node_get(m, "cpucompat_blockers");

        if (*blockers)
            fprintf(out, "  (blockers: %s)", blockers);
        if (ours && !cc_node_bool(m, "blockers_agree")) {
            fputs("  (cpucompat's:", out);
            for (size_t k = 0; k < ours->n; k++)
                fprintf(out, " %s", ours->kids[k]->s);
            fputc(')', out);
        }
        fputc('\n', out);
    }
}

void cc_text_show(const struct cc_node *r, FILE *out)
{
    const struct cc_node *views = cc_node_get(r, "views"), *identity = cc_node_get(r, "identity");
    const struct cc_node *cpu = NULL;
    const char *method = map_get(r, "origin", "method");
    char **cpu_names = NULL;
    size_t n_cpu = 0;

    fprintf(out, "%-11s %s\n", "file", cc_node_str(r, "file"));
    fprintf(out, "%-11s %s\n", "arch", cc_node_str(r, "arch"));
    fprintf(out, "%-11s %s", "origin", method ? method : "?");
    if (map_get(r, "origin", "hostname"))
        fprintf(out, " on %s", map_get(r, "origin", "hostname"));
    if (map_get(r, "origin", "kernel"))
        fprintf(out, ", kernel %s", map_get(r, "origin", "kernel"));
    if (map_get(r, "origin", "import-format"))
        fprintf(out, " of %s %s", map_get(r, "origin", "import-format"),
                map_get(r, "origin", "import-file") ?: "");
    fprintf(out, ", %s, cpucompat %s\n", map_get(r, "origin", "created") ?: "?",
            cc_node_str(r, "tool_version"));
    if (map_get(r, "origin", "qemu-version")) {
        const char *bin = map_get(r, "origin", "qemu-binary");

        fprintf(out, "%-11s %s%s%s%s\n", "qemu", map_get(r, "origin", "qemu-version"),
                bin ? " (" : "", bin ?: "", bin ? ")" : "");
    }
    for (size_t i = 0; i < identity->n; i++)
        fprintf(out, "%-11s %s\n", identity->kids[i]->key, identity->kids[i]->s);
    fprintf(out, "%-11s %s\n", "fingerprint", cc_node_str(r, "fingerprint"));

    for (size_t i = 0; i < views->n; i++)
        if (!strcmp(cc_node_str(views->kids[i], "name"), "cpu"))
            cpu = views->kids[i];
    if (cpu)
        n_cpu = items(cpu, "features", &cpu_names);
    for (size_t i = 0; i < views->n; i++) {
        const struct cc_node *v = views->kids[i], *props = cc_node_get(v, "properties");
        char **names = NULL;
        size_t n = items(v, "features", &names);

        fprintf(out, "\nview %s: %s\n  %s; %zu named features\n", cc_node_str(v, "name"),
                cc_node_str(v, "source"), cc_node_str(v, "raw"), n);
        if (props->n) {
            fprintf(out, "  properties:");
            for (size_t p = 0; p < props->n; p++)
                fprintf(out, " %s=%s", props->kids[p]->key, props->kids[p]->s);
            fputc('\n', out);
        }
        print_wrapped(out, "features:", names, n);
        if (v != cpu && cpu) {
            char **diff = xcalloc((n > n_cpu ? n : n_cpu) + 1, sizeof(char *));

            print_wrapped(out, "not in cpu view:", diff,
                          difference(names, n, cpu_names, n_cpu, diff));
            print_wrapped(out, "cpu view only:", diff,
                          difference(cpu_names, n_cpu, names, n, diff));
            free(diff);
        }
        if (cc_node_get(v, "reported"))
            text_reported(out, cc_node_get(v, "reported"));
        free(names);
    }
    free(cpu_names);
}
