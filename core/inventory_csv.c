/* The inventory as CSV for scripts and spreadsheets (RFC 4180: a header row, a field quoted when
 * it holds a comma, a quote or a line break, quotes doubled; lines end in LF). Two tables, one
 * per format, each with one fixed header so a script reads it by column name: csv is the host
 * list, csv-matrix the class matrix. Both walk the report tree: every scalar member of a host or
 * a pair is a column, so members added to the report later appear without a change here. */
#include "error.h"
#include "report.h"
#include "strlist.h"

#include <string.h>

/* The characters of s, quotes doubled, inside a quoted field. */
static void quoted(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
}

/* Free text from the input that a spreadsheet would take for a formula (OWASP's CSV injection
 * advice: a cell starting with =, +, -, @, tab or CR) gets a single quote before it, inside
 * quotes. Only such text: our own words and numbers never start so, and stay as they are. */
static bool formula(const char *s, bool input)
{
    return input && *s && strchr("=+-@\t\r", *s);
}

static void field(FILE *out, const char *s, bool input, bool first)
{
    if (!first)
        fputc(',', out);
    if (formula(s, input)) {
        fputs("\"'", out);
        quoted(out, s);
        fputc('"', out);
        return;
    }
    if (!s[strcspn(s, ",\"\r\n")]) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    quoted(out, s);
    fputc('"', out);
}

static bool scalar(const struct cc_node *n)
{
    return n->type == CC_NODE_NULL || n->type == CC_NODE_BOOL || n->type == CC_NODE_UINT ||
           n->type == CC_NODE_STRING;
}

/* A scalar as text: null is the empty field, booleans true/false as in JSON. */
static const char *scalar_text(const struct cc_node *n, char *buf, size_t len)
{
    switch (n ? n->type : CC_NODE_NULL) {
    case CC_NODE_BOOL:
        return n->b ? "true" : "false";
    case CC_NODE_UINT:
        snprintf(buf, len, "%llu", n->u);
        return buf;
    case CC_NODE_STRING:
        return n->s ? n->s : "";
    default:
        return "";
    }
}

/* A member's field (an absent member: the empty field). */
static void cell(FILE *out, const struct cc_node *n, bool first)
{
    char buf[32];

    field(out, scalar_text(n, buf, sizeof(buf)), n && n->input, first);
}

/* The columns of an array of objects: its items' scalar members, in the order first seen. */
static void columns(const struct cc_node *array, struct cc_strlist *cols)
{
    for (size_t i = 0; i < array->n; i++)
        for (size_t m = 0; m < array->kids[i]->n; m++) {
            const struct cc_node *k = array->kids[i]->kids[m];

            if (k->key && scalar(k) && !cc_strlist_contains(cols, k->key))
                cc_strlist_add(cols, k->key);
        }
}

static const struct cc_node *table(const struct cc_node *report, const char *member,
                                   const char *format)
{
    const struct cc_node *t = cc_node_get(report, member);

    if (!t || t->type != CC_NODE_ARRAY) {
        cc_error(EINVAL, "--format %s: a %s answer has no %s table (inventory has)", format,
                 cc_report_name(report), member);
        return NULL;
    }
    return t;
}

static const struct cc_node *class_of(const struct cc_node *classes, const char *id)
{
    for (size_t c = 0; classes && id && c < classes->n; c++)
        if (!strcmp(cc_node_str(classes->kids[c], "id"), id))
            return classes->kids[c];
    return NULL;
}

/* The host list: a host's own members, then its class's identity fields (vendor, family,
 * model... or the architecture's own), one column per field any class of the fleet has. */
int cc_report_write_csv(const struct cc_node *report, FILE *out)
{
    const struct cc_node *hosts = table(report, "hosts", "csv");
    const struct cc_node *classes = cc_node_get(report, "classes");
    struct cc_strlist cols = {0}, ids = {0};

    if (!hosts)
        return -1;
    columns(hosts, &cols);
    for (size_t c = 0; classes && c < classes->n; c++) {
        const struct cc_node *id = cc_node_get(classes->kids[c], "identity");

        for (size_t i = 0; id && i < id->n; i++)
            if (!cc_strlist_contains(&cols, id->kids[i]->key) &&
                !cc_strlist_contains(&ids, id->kids[i]->key))
                cc_strlist_add(&ids, id->kids[i]->key);
    }
    for (size_t i = 0; i < cols.n; i++)
        field(out, cols.items[i], false, i == 0);
    for (size_t i = 0; i < ids.n; i++)
        field(out, ids.items[i], false, false);
    fputc('\n', out);
    for (size_t h = 0; h < hosts->n; h++) {
        const struct cc_node *host = hosts->kids[h];
        const struct cc_node *id =
            cc_node_get(class_of(classes, cc_node_str(host, "class")), "identity");

        for (size_t i = 0; i < cols.n; i++)
            cell(out, cc_node_get(host, cols.items[i]), i == 0);
        for (size_t i = 0; i < ids.n; i++)
            cell(out, cc_node_get(id, ids.items[i]), false);
        fputc('\n', out);
    }
    cc_strlist_free(&cols);
    cc_strlist_free(&ids);
    return 0;
}

/* The class matrix: a pair's members, then its first blockers: their names separated by
 * spaces, and "name: detail" a line each (both fields always quoted). */
int cc_report_write_csv_matrix(const struct cc_node *report, FILE *out)
{
    const struct cc_node *matrix = table(report, "matrix", "csv-matrix");
    struct cc_strlist cols = {0};

    if (!matrix)
        return -1;
    columns(matrix, &cols);
    for (size_t i = 0; i < cols.n; i++)
        field(out, cols.items[i], false, i == 0);
    fputs(",blockers,details\n", out);
    for (size_t p = 0; p < matrix->n; p++) {
        const struct cc_node *pair = matrix->kids[p], *bl = cc_node_get(pair, "blockers");
        size_t n = bl ? bl->n : 0;

        for (size_t i = 0; i < cols.n; i++)
            cell(out, cc_node_get(pair, cols.items[i]), i == 0);
        fputs(",\"", out);
        for (size_t b = 0; b < n; b++) {
            fputs(b ? " " : "", out);
            quoted(out, cc_node_str(bl->kids[b], "name"));
        }
        fputs("\",\"", out);
        for (size_t b = 0; b < n; b++) {
            const char *detail = cc_node_str(bl->kids[b], "detail");

            fputs(b ? "\n" : "", out);
            quoted(out, cc_node_str(bl->kids[b], "name"));
            if (*detail) {
                fputs(": ", out);
                quoted(out, detail);
            }
        }
        fputs("\"\n", out);
    }
    cc_strlist_free(&cols);
    return 0;
}
