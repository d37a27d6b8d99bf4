/* The inventory as one self-contained HTML page for a person who opens it from the cron job's
 * mail: the summary first, the class matrix as a coloured grid, the classes with their hosts and
 * models, the domains, then every other member of the report (a generic table or list, so
 * members added to the report later are shown without a change here) and the errors last.
 * Nothing is fetched and nothing runs: inline CSS only, and a Content-Security-Policy that
 * forbids everything else. Every string of the report is escaped: file names and hostnames come
 * from the files read, which are untrusted. */
#include "error.h"
#include "report.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* The grid's colours; the legend uses the same classes. The page's lines stay short (a rule, a
 * cell, an item a line) for mail, whose lines end at 998 characters. */
static const char css[] =
    "body{font:14px/1.4 sans-serif;margin:16px;color:#222;background:#fff}\n"
    "h1{font-size:20px;margin:0 0 8px}\nh2{font-size:17px;margin:24px 0 8px}\n"
    ".summary{font-size:16px}.summary .bad{color:#b00000;font-weight:bold}\n"
    "table{border-collapse:collapse}\n"
    "table.t td,table.t th{border:1px solid #ccc;padding:2px 6px;text-align:left;"
    "vertical-align:top}\n"
    "table.grid{border-collapse:separate;border-spacing:2px}\n"
    "table.grid th{font-weight:normal;text-align:left;white-space:nowrap;padding:0 6px;"
    "font-size:12px}\n"
    "table.grid td{padding:0}\n"
    "table.grid td div{width:88px;height:22px;line-height:22px;padding:0 4px;overflow:hidden;"
    "white-space:nowrap;text-overflow:ellipsis;font-size:12px}\n"
    ".yes{background:#9fd89f}.no{background:#f4a6a6}.same{background:#c8c8c8}\n"
    ".na{background:#ececec}\n"
    ".legend span{display:inline-block;width:14px;height:14px;margin:0 4px 0 12px;"
    "vertical-align:middle}\n"
    "code{font-size:13px}ul{margin:2px 0;padding-left:20px}\n";

static void esc(FILE *out, const char *s)
{
    static const char special[] = "&<>\"'";
    static const char *const entity[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};

    for (; s && *s; s++) {
        const char *e = strchr(special, *s);

        if (e)
            fputs(entity[e - special], out);
        else
            fputc(*s, out);
    }
}

/* Is key one of the n names? */
static bool listed(const char *const *names, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(names[i], key))
            return true;
    return false;
}

/* A member name as a heading: "best_models" reads "best models". */
static void label(FILE *out, const char *key)
{
    for (; key && *key; key++)
        if (*key == '_')
            fputc(' ', out);
        else
            esc(out, (char[]){*key, 0});
}

static bool scalar(const struct cc_node *n)
{
    return n->type == CC_NODE_NULL || n->type == CC_NODE_BOOL || n->type == CC_NODE_UINT ||
           n->type == CC_NODE_STRING;
}

static void scalar_html(FILE *out, const struct cc_node *n)
{
    if (n->type == CC_NODE_BOOL)
        fputs(n->b ? "yes" : "no", out);
    else if (n->type == CC_NODE_UINT)
        fprintf(out, "%llu", n->u);
    else if (n->type == CC_NODE_STRING)
        esc(out, n->s);
}

/* Any member's value: a scalar as text, an array of scalars as a list in one line, an array of
 * objects as a table with a column per member, an object or map as a two-column table. */
static void value_html(FILE *out, const struct cc_node *n);

static bool all_scalars(const struct cc_node *n)
{
    for (size_t i = 0; i < n->n; i++)
        if (!scalar(n->kids[i]))
            return false;
    return true;
}

static void table_html(FILE *out, const struct cc_node *array)
{
    const char **cols = xcalloc(1, sizeof(*cols));
    size_t n_cols = 0;

    for (size_t i = 0; i < array->n; i++)
        for (size_t m = 0; m < array->kids[i]->n; m++) {
            const char *k = array->kids[i]->kids[m]->key;
            size_t c = 0;

            while (k && c < n_cols && strcmp(cols[c], k))
                c++;
            if (k && c == n_cols) {
                cols = xrealloc(cols, (n_cols + 1) * sizeof(*cols));
                cols[n_cols++] = k;
            }
        }
    fputs("<table class=\"t\"><tr>", out);
    for (size_t c = 0; c < n_cols; c++) {
        fputs("<th>", out);
        label(out, cols[c]);
        fputs("</th>", out);
    }
    fputs("</tr>\n", out);
    for (size_t i = 0; i < array->n; i++) {
        fputs("<tr>", out);
        for (size_t c = 0; c < n_cols; c++) {
            const struct cc_node *v = cc_node_get(array->kids[i], cols[c]);

            fputs("<td>", out);
            if (v)
                value_html(out, v);
            fputs("</td>\n", out);
        }
        fputs("</tr>\n", out);
    }
    fputs("</table>\n", out);
    free(cols);
}

static void value_html(FILE *out, const struct cc_node *n)
{
    if (scalar(n)) {
        scalar_html(out, n);
    } else if (n->type == CC_NODE_ARRAY && all_scalars(n)) {
        for (size_t i = 0; i < n->n; i++) {
            fputs(i ? ",\n" : "", out);
            scalar_html(out, n->kids[i]);
        }
    } else if (n->type == CC_NODE_ARRAY) {
        bool objects = true;

        for (size_t i = 0; i < n->n; i++)
            objects &= n->kids[i]->type == CC_NODE_OBJECT || n->kids[i]->type == CC_NODE_MAP;
        if (objects) {
            table_html(out, n);
            return;
        }
        fputs("<ul>", out);
        for (size_t i = 0; i < n->n; i++) {
            fputs("<li>", out);
            value_html(out, n->kids[i]);
            fputs("</li>\n", out);
        }
        fputs("</ul>", out);
    } else {
        fputs("<table class=\"t\">", out);
        for (size_t i = 0; i < n->n; i++) {
            fputs("<tr><th>", out);
            label(out, n->kids[i]->key);
            fputs("</th>\n<td>", out);
            value_html(out, n->kids[i]);
            fputs("</td></tr>\n", out);
        }
        fputs("</table>\n", out);
    }
}

/* Items of an array of objects looked up by one string member (class ids, host files). */
struct entry {
    const char *key;
    size_t i;
};

struct index {
    struct entry *e;
    size_t n;
};

static int entry_cmp(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->key, ((const struct entry *)b)->key);
}

static void index_build(struct index *ix, const struct cc_node *array, const char *member)
{
    ix->n = array ? array->n : 0;
    ix->e = xcalloc(ix->n ? ix->n : 1, sizeof(*ix->e));
    for (size_t i = 0; i < ix->n; i++)
        ix->e[i] = (struct entry){cc_node_str(array->kids[i], member), i};
    qsort(ix->e, ix->n, sizeof(*ix->e), entry_cmp);
}

/* The item's position, or SIZE_MAX. */
static size_t index_find(const struct index *ix, const char *key)
{
    struct entry k = {key ? key : "", 0}, *e;

    e = ix->n ? bsearch(&k, ix->e, ix->n, sizeof(*ix->e), entry_cmp) : NULL;
    return e ? e->i : SIZE_MAX;
}

struct page {
    FILE *out;
    const struct cc_node *r, *hosts, *classes;
    struct index class_ix, host_ix;
};

/* "N hosts, K classes, ...": every count of the summary, the errors in red when there are. */
static void summary(struct page *p)
{
    const struct cc_node *s = cc_node_get(p->r, "summary");

    fputs("<p class=\"summary\" id=\"summary\">", p->out);
    for (size_t i = 0; s && i < s->n; i++) {
        const struct cc_node *k = s->kids[i];
        bool bad = !strcmp(k->key, "errors") && k->u;

        fputs(i ? ", " : "", p->out);
        fputs(bad ? "<a class=\"bad\" href=\"#errors\">" : "<span>", p->out);
        scalar_html(p->out, k);
        fputc(' ', p->out);
        label(p->out, k->key);
        fputs(bad ? "</a>" : "</span>", p->out);
    }
    fputs("</p>\n", p->out);
}

static void guest(struct page *p)
{
    const struct cc_node *g = cc_node_get(p->r, "guest"), *hosts;

    if (!g)
        return;
    hosts = cc_node_get(g, "hosts");
    fputs("<h2 id=\"guest\">Where the guest can go</h2>\n<p><code>", p->out);
    esc(p->out, cc_node_str(g, "guest"));
    fprintf(p->out, "</code> can go to %zu hosts%s</p>\n", hosts ? hosts->n : 0,
            hosts && hosts->n ? ":" : ".");
    if (hosts && hosts->n)
        value_html(p->out, hosts);
}

/* A class as the grid's row and the class table name it: "#3 x86_64 Intel(R) Xeon(R)...". */
static void class_name(FILE *out, const struct cc_node *cls, size_t i)
{
    const struct cc_node *id = cc_node_get(cls, "identity");

    fprintf(out, "#%zu <code>", i + 1);
    esc(out, cc_node_str(cls, "id"));
    fputs("</code> ", out);
    esc(out, cc_node_str(cls, "arch"));
    if (*cc_node_str(id, "brand")) {
        fputc(' ', out);
        esc(out, cc_node_str(id, "brand"));
        return;
    }
    for (size_t k = 0; id && k < id->n && k < 3; k++) {
        fputc(' ', out);
        esc(out, id->kids[k]->key);
        fputc('=', out);
        esc(out, id->kids[k]->s);
    }
}

static void cell(FILE *out, const struct cc_node *src, const struct cc_node *dst,
                 const struct cc_node *pair, bool same)
{
    const struct cc_node *bl = pair ? cc_node_get(pair, "blockers") : NULL;
    unsigned long long total = pair ? cc_node_uint(pair, "blockers_total") : 0;
    bool yes = pair && cc_node_bool(pair, "migratable");

    fprintf(out, "<td class=\"%s\" title=\"", same ? "same" : !pair ? "na" : yes ? "yes" : "no");
    esc(out, cc_node_str(src, "id"));
    fputs(" \xe2\x86\x92 ", out); /* U+2192, an arrow */
    esc(out, cc_node_str(dst, "id"));
    if (same)
        fputs(": same class\"><div>same", out);
    else if (!pair)
        fputs(": different architectures\"><div>", out);
    else if (yes) {
        fputs(": migratable (", out);
        esc(out, cc_node_str(pair, "relation"));
        fputs(")\"><div>yes", out);
    } else {
        fputs(": not migratable (", out);
        esc(out, cc_node_str(pair, "relation"));
        fputs(")", out);
        for (size_t b = 0; bl && b < bl->n; b++) {
            fputs(b ? "; " : ": ", out);
            esc(out, cc_node_str(bl->kids[b], "name"));
            if (*cc_node_str(bl->kids[b], "detail")) {
                fputs(" (", out);
                esc(out, cc_node_str(bl->kids[b], "detail"));
                fputc(')', out);
            }
        }
        fprintf(out, "; %llu blockers in all\"><div>", total);
        esc(out, bl && bl->n ? cc_node_str(bl->kids[0], "name") : "no");
        if (total > 1)
            fprintf(out, " +%llu", total - 1);
    }
    fputs("</div></td>\n", out);
}

/* The matrix as a grid: a row per source class, a column per destination class. */
static void grid(struct page *p)
{
    const struct cc_node *matrix = cc_node_get(p->r, "matrix");
    size_t n = p->classes ? p->classes->n : 0;
    const struct cc_node **cells;

    if (!n)
        return;
    cells = xcalloc(n * n, sizeof(*cells));
    for (size_t i = 0; matrix && i < matrix->n; i++) {
        size_t a = index_find(&p->class_ix, cc_node_str(matrix->kids[i], "source"));
        size_t b = index_find(&p->class_ix, cc_node_str(matrix->kids[i], "destination"));

        if (a != SIZE_MAX && b != SIZE_MAX)
            cells[a * n + b] = matrix->kids[i];
    }
    fputs("<h2 id=\"matrix\">Migration matrix</h2>\n"
          "<p>A row is the class whose host-model guest moves, a column the class it moves to; "
          "a cell that cannot migrate names its first blocker (all of them on hovering).</p>\n"
          "<p class=\"legend\"><span class=\"yes\"></span>migratable"
          "<span class=\"no\"></span>not migratable<span class=\"same\"></span>same class"
          "<span class=\"na\"></span>different architectures</p>\n"
          "<table class=\"grid\" id=\"grid\"><tr><th></th>",
          p->out);
    for (size_t b = 0; b < n; b++) {
        fputs("<th title=\"", p->out);
        esc(p->out, cc_node_str(p->classes->kids[b], "id"));
        fprintf(p->out, "\">#%zu</th>\n", b + 1);
    }
    fputs("</tr>\n", p->out);
    for (size_t a = 0; a < n; a++) {
        fputs("<tr><th>", p->out);
        class_name(p->out, p->classes->kids[a], a);
        fputs("</th>\n", p->out);
        for (size_t b = 0; b < n; b++)
            cell(p->out, p->classes->kids[a], p->classes->kids[b], cells[a * n + b], a == b);
        fputs("</tr>\n", p->out);
    }
    fputs("</table>\n", p->out);
    free(cells);
}

static void host_item(struct page *p, const char *file)
{
    size_t h = index_find(&p->host_ix, file);
    const struct cc_node *host = h == SIZE_MAX ? NULL : p->hosts->kids[h];

    fputs("<li>", p->out);
    if (host && *cc_node_str(host, "hostname")) {
        fputs("<b>", p->out);
        esc(p->out, cc_node_str(host, "hostname"));
        fputs("</b> ", p->out);
    }
    fputs("<code>", p->out);
    esc(p->out, file);
    fputs("</code>", p->out);
    if (host && *cc_node_str(host, "qemu")) {
        fputs(" QEMU ", p->out);
        esc(p->out, cc_node_str(host, "qemu"));
    }
    fputs("</li>\n", p->out);
}

static void class_refs(struct page *p, const struct cc_node *ids)
{
    for (size_t i = 0; ids && i < ids->n; i++) {
        size_t c = index_find(&p->class_ix, ids->kids[i]->s);

        fputs(i ? ",\n" : "", p->out);
        if (c != SIZE_MAX)
            fprintf(p->out, "#%zu ", c + 1);
        esc(p->out, ids->kids[i]->s);
    }
}

/* Per class: what it is, its hosts, the models it runs, where its guests can go. The members
 * the table does not know are shown as they are. */
static void classes(struct page *p)
{
    /* canonical is the class's whole guest-visible CPU for --since to diff: for machines, and
     * its lines would not fit in mail. */
    static const char *const known[] = {"id",           "arch",        "identity", "hosts",
                                        "destinations", "best_models", "models",   "canonical"};

    if (!p->classes || !p->classes->n)
        return;
    fputs("<h2 id=\"classes\">Classes</h2>\n<table class=\"t\"><tr><th>class</th><th>identity"
          "</th><th>hosts</th><th>best models</th><th>can go to</th><th>more</th></tr>\n",
          p->out);
    for (size_t c = 0; c < p->classes->n; c++) {
        const struct cc_node *cls = p->classes->kids[c], *hosts = cc_node_get(cls, "hosts");
        const struct cc_node *models = cc_node_get(cls, "models"),
                             *id = cc_node_get(cls, "identity");

        fprintf(p->out, "<tr id=\"class-%zu\"><td>", c + 1);
        class_name(p->out, cls, c);
        fputs("</td><td>", p->out);
        for (size_t i = 0; id && i < id->n; i++) {
            fputs(i ? "<br>" : "", p->out);
            esc(p->out, id->kids[i]->key);
            fputs(" <b>", p->out);
            esc(p->out, id->kids[i]->s);
            fputs("</b>", p->out);
        }
        fprintf(p->out, "</td><td>%zu<ul>", hosts ? hosts->n : 0);
        for (size_t h = 0; hosts && h < hosts->n; h++)
            host_item(p, hosts->kids[h]->s);
        fputs("</ul></td>\n<td>", p->out);
        if (cc_node_get(cls, "best_models"))
            value_html(p->out, cc_node_get(cls, "best_models"));
        fputs("</td>\n<td>", p->out);
        class_refs(p, cc_node_get(cls, "destinations"));
        fputs("</td>\n<td>", p->out);
        if (models && models->n) {
            fprintf(p->out, "<details><summary>%zu usable models</summary>", models->n);
            value_html(p->out, models);
            fputs("</details>\n", p->out);
        }
        for (size_t m = 0; m < cls->n; m++) {
            if (listed(known, sizeof(known) / sizeof(*known), cls->kids[m]->key))
                continue;
            fputs("<div>", p->out);
            label(p->out, cls->kids[m]->key);
            fputs(": ", p->out);
            value_html(p->out, cls->kids[m]);
            fputs("</div>\n", p->out);
        }
        fputs("</td></tr>\n", p->out);
    }
    fputs("</table>\n", p->out);
}

static void domains(struct page *p)
{
    const struct cc_node *d = cc_node_get(p->r, "domains");

    if (!d || !d->n)
        return;
    fputs("<h2 id=\"domains\">Migration domains</h2>\n<p>Classes whose hosts all take each "
          "other's host-model guests.</p>\n<ol>",
          p->out);
    for (size_t i = 0; i < d->n; i++) {
        fprintf(p->out, "<li>%llu hosts, ", cc_node_uint(d->kids[i], "hosts"));
        esc(p->out, cc_node_str(d->kids[i], "arch"));
        fputs(": ", p->out);
        class_refs(p, cc_node_get(d->kids[i], "classes"));
        fputs("</li>\n", p->out);
    }
    fputs("</ol>\n", p->out);
}

/* A member this page has no layout for: its name as the heading, its value as it is. */
static void member(struct page *p, const struct cc_node *m)
{
    fputs("<h2 id=\"", p->out);
    esc(p->out, m->key);
    fputs("\">", p->out);
    label(p->out, m->key);
    fputs("</h2>\n", p->out);
    if ((m->type == CC_NODE_ARRAY || m->type == CC_NODE_MAP) && !m->n)
        fputs("<p>none</p>\n", p->out);
    else
        value_html(p->out, m);
}

int cc_report_write_html(const struct cc_node *report, FILE *out)
{
    static const char *const laid_out[] = {"format",  "summary", "guest",  "hosts",
                                           "classes", "matrix",  "domains"};
    struct page p = {.out = out,
                     .r = report,
                     .hosts = cc_node_get(report, "hosts"),
                     .classes = cc_node_get(report, "classes")};
    const struct cc_node *s = cc_node_get(report, "summary"), *errors;

    if (strcmp(cc_report_name(report), "inventory") != 0)
        return cc_error(EINVAL, "--format html: for the inventory, not a %s answer",
                        cc_report_name(report));
    index_build(&p.class_ix, p.classes, "id");
    index_build(&p.host_ix, p.hosts, "file");
    fprintf(out,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'\">\n"
            "<title>cpucompat inventory: %llu hosts, %llu classes, %llu errors</title>\n"
            "<style>%s</style></head>\n<body>\n<h1>CPU inventory</h1>\n",
            cc_node_uint(s, "hosts"), cc_node_uint(s, "classes"), cc_node_uint(s, "errors"), css);
    summary(&p);
    guest(&p);
    grid(&p);
    classes(&p);
    domains(&p);
    for (size_t i = 0; i < report->n; i++) {
        const struct cc_node *m = report->kids[i];

        if (!listed(laid_out, sizeof(laid_out) / sizeof(*laid_out), m->key) &&
            strcmp(m->key, "errors"))
            member(&p, m);
    }
    if ((errors = cc_node_get(report, "errors")))
        member(&p, errors);
    fputs("</body></html>\n", out);
    free(p.class_ix.e);
    free(p.host_ix.e);
    return 0;
}
