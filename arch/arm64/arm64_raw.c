/* Raw arm64 data: system registers by name, KVM register id and value. */
#include "arm64.h"
#include "../../core/error.h"
#include "../../core/grow.h"
#include "../../core/hash_index.h"
#include "../../core/text_block.h"
#include "../../core/xml_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arm64_raw *arm64_raw_new(void)
{
    return calloc(1, sizeof(struct arm64_raw));
}

void arm64_raw_free(void *p)
{
    struct arm64_raw *raw = p;

    if (raw) {
        free(raw->regs);
        cc_index_free(&raw->index);
    }
    free(raw);
}

static uint64_t reg_hash_at(const void *regs, size_t pos)
{
    const char *name = ((const struct arm64_reg *)regs)[pos].name;

    return cc_hash_words(name, strlen(name));
}

static bool reg_eq(const void *regs, size_t pos, const void *name)
{
    return strcmp(((const struct arm64_reg *)regs)[pos].name, name) == 0;
}

const struct arm64_reg *arm64_raw_get(const struct arm64_raw *raw, const char *name)
{
    size_t i;

    if (raw->index.n == raw->n && raw->index.cap) {
        i = cc_index_find(&raw->index, cc_hash_words(name, strlen(name)), raw->regs, reg_eq, name);
        return i == SIZE_MAX ? NULL : &raw->regs[i];
    }
    for (i = 0; i < raw->n; i++)
        if (strcmp(raw->regs[i].name, name) == 0)
            return &raw->regs[i];
    return NULL;
}

int arm64_raw_set(struct arm64_raw *raw, const char *name, uint64_t id, uint64_t value)
{
    struct arm64_reg *r;
    int rc;

    if (strlen(name) >= ARM64_NAME_MAX || !*name)
        return cc_error(EINVAL, "register name '%s' is empty or too long", name);
    rc = cc_index_catch_up(&raw->index, raw->n, raw->regs, reg_hash_at);
    if (rc < 0)
        return rc;
    r = (struct arm64_reg *)arm64_raw_get(raw, name);
    if (!r) {
        rc = CC_GROW(raw->regs, raw->cap, raw->n);
        if (rc < 0)
            return rc;
        r = &raw->regs[raw->n++];
        memset(r, 0, sizeof(*r));
        strcpy(r->name, name);
        rc = cc_index_catch_up(&raw->index, raw->n, raw->regs, reg_hash_at);
    }
    r->id = id;
    r->value = value;
    return rc;
}

struct arm64_raw *arm64_raw_dup(const struct arm64_raw *raw)
{
    struct arm64_raw *d = arm64_raw_new();

    if (!d)
        return NULL;
    if (raw->n) {
        d->regs = malloc(raw->n * sizeof(*d->regs));
        if (!d->regs) {
            free(d);
            return NULL;
        }
        memcpy(d->regs, raw->regs, raw->n * sizeof(*d->regs));
        d->n = d->cap = raw->n;
    }
    /* Without its index a table is only slower to search (arm64_raw_get scans). */
    cc_index_catch_up(&d->index, d->n, d->regs, reg_hash_at);
    return d;
}

static int cmp_reg(const void *a, const void *b)
{
    return strcmp(((const struct arm64_reg *)a)->name, ((const struct arm64_reg *)b)->name);
}

void arm64_raw_sort(struct arm64_raw *raw)
{
    if (raw->n)
        qsort(raw->regs, raw->n, sizeof(*raw->regs), cmp_reg);
    /* Positions moved: index them afresh (on failure lookups scan, which is only slower). */
    cc_index_free(&raw->index);
    cc_index_catch_up(&raw->index, raw->n, raw->regs, reg_hash_at);
}

/* A register after every one the table holds, by name (a file's rows are sorted and unique): no
 * look-up, and the index is built once at the end. */
static int append(struct arm64_raw *raw, const char *name, uint64_t id, uint64_t value)
{
    int rc = CC_GROW(raw->regs, raw->cap, raw->n);
    struct arm64_reg *r;

    if (rc < 0)
        return rc;
    r = &raw->regs[raw->n++];
    memset(r, 0, sizeof(*r));
    strcpy(r->name, name);
    r->id = id;
    r->value = value;
    return 0;
}

/* One row "NAME 0xID 0xVALUE" at p (the text ends at end); returns the end of the row or NULL. */
static const char *parse_row(const char *p, const char *end, char name[ARM64_NAME_MAX],
                             uint64_t *id, uint64_t *value)
{
    size_t n = 0;

    while ((p[n] >= 'A' && p[n] <= 'Z') || (p[n] >= '0' && p[n] <= '9') || p[n] == '_')
        n++;
    if (n == 0 || n >= ARM64_NAME_MAX || p[n] != ' ')
        return NULL;
    memcpy(name, p, n);
    name[n] = '\0';
    p = cc_hex_field(p + n + 1, end, 16, id);
    if (!p || *p++ != ' ')
        return NULL;
    p = cc_hex_field(p, end, 16, value);
    if (!p)
        return NULL;
    while (*p == ' ' || *p == '\t' || *p == '\r')
        p++;
    return *p == '\n' || *p == '\0' ? p : NULL;
}

/* Rows "NAME 0xID 0xVALUE" (16 lower-case hex digits each), sorted by name, unique. */
int arm64_raw_parse(struct cc_ctx *ctx, const char *file, xmlNodePtr node, void **out)
{
    struct arm64_raw *raw = arm64_raw_new();
    const struct arm64_catalog *cat;
    int r = arm64_catalog_get(ctx, &cat);

    if (!raw)
        return cc_error(ENOMEM, "out of memory");
    for (xmlNodePtr c = node->children; c && r == 0; c = c->next) {
        const char *p, *end;
        long line;

        if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "regs") != 0)
            continue;
        if ((r = cc_xml_rows_text(file, c, &p)) < 0)
            break;
        end = p + strlen(p);
        line = xmlGetLineNo(c);
        while (r == 0) {
            char name[ARM64_NAME_MAX];
            const struct arm64_regdef *def;
            uint64_t id, value;

            while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
                line += *p++ == '\n';
            if (!*p)
                break;
            p = parse_row(p, end, name, &id, &value);
            if (!p)
                r = cc_error(EINVAL, "%s: line %ld: malformed <regs> row (want NAME 0xID 0xVALUE)",
                             file, line);
            else if (raw->n && strcmp(raw->regs[raw->n - 1].name, name) >= 0)
                r = cc_error(EINVAL, "%s: line %ld: <regs> rows repeated or out of order (%s)",
                             file, line, name);
            else if ((def = arm64_regdef(cat, name)) && def->id != id)
                r = cc_error(EINVAL, "%s: line %ld: %s has KVM id %#llx, not %#llx", file, line,
                             name, (unsigned long long)def->id, (unsigned long long)id);
            else
                r = append(raw, name, id, value);
        }
    }
    /* Indexed once, whole: the rows came sorted and unique. */
    if (r == 0)
        r = cc_index_catch_up(&raw->index, raw->n, raw->regs, reg_hash_at);
    if (r < 0) {
        arm64_raw_free(raw);
        return r;
    }
    *out = raw;
    return 0;
}

int arm64_raw_write(xmlTextWriterPtr w, const void *p)
{
    const struct arm64_raw *raw = p;
    struct cc_text t = {0};
    int r = 0;

    if (xmlTextWriterStartElement(w, BAD_CAST "regs") < 0 ||
        xmlTextWriterWriteAttribute(w, BAD_CAST "columns", BAD_CAST "name id value") < 0)
        return cc_error(ENOMEM, "cannot serialise registers");
    for (size_t i = 0; i < raw->n; i++)
        cc_text_line(&t, CC_TEXT_INDENT_RAW, "%s 0x%016llx 0x%016llx", raw->regs[i].name,
                     (unsigned long long)raw->regs[i].id, (unsigned long long)raw->regs[i].value);
    cc_text_end_block(&t, CC_TEXT_INDENT_RAW - 2);
    if (t.failed || xmlTextWriterWriteString(w, BAD_CAST t.buf) < 0 ||
        xmlTextWriterEndElement(w) < 0)
        r = cc_error(ENOMEM, "cannot serialise registers");
    free(t.buf);
    return r;
}

void arm64_raw_summary(const void *p, char *buf, size_t len)
{
    snprintf(buf, len, "%zu registers", ((const struct arm64_raw *)p)->n);
}
