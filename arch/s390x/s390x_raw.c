/* Raw s390x data: named bit blocks as the machine gives them (the STFLE facility list, KVM's
 * facility mask and list, its CPU feature bitmap, the query blocks of the subfunction
 * instructions), big-endian bit order: bit 0 is the top bit of byte 0, as in the architecture. */
#include "s390x.h"
#include "../../core/error.h"
#include "../../core/grow.h"
#include "../../core/text_block.h"
#include "../../core/xml_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct s390x_raw *s390x_raw_new(void)
{
    return calloc(1, sizeof(struct s390x_raw));
}

void s390x_raw_free(void *p)
{
    struct s390x_raw *raw = p;

    if (!raw)
        return;
    for (size_t i = 0; i < raw->n; i++)
        free(raw->rows[i].data);
    free(raw->rows);
    free(raw);
}

const struct s390x_block *s390x_raw_get(const struct s390x_raw *raw, const char *name)
{
    for (size_t i = 0; raw && i < raw->n; i++)
        if (strcmp(raw->rows[i].name, name) == 0)
            return &raw->rows[i];
    return NULL;
}

bool s390x_block_bit(const struct s390x_block *b, unsigned bit)
{
    return b && bit / 8 < b->len && (b->data[bit / 8] >> (7 - bit % 8)) & 1;
}

static int cmp_rows(const void *a, const void *b)
{
    return strcmp(((const struct s390x_block *)a)->name, ((const struct s390x_block *)b)->name);
}

int s390x_raw_put(struct s390x_raw *raw, const char *name, const uint8_t *data, size_t len)
{
    struct s390x_block *b = (struct s390x_block *)s390x_raw_get(raw, name);
    uint8_t *copy;
    int r;

    if (!*name || strlen(name) >= S390X_ROW_NAME_MAX || len == 0 || len > S390X_BLOCK_MAX)
        return cc_error(EINVAL, "bad raw row '%s' (%zu bytes)", name, len);
    if (!(copy = malloc(len)))
        return cc_error(ENOMEM, "out of memory");
    memcpy(copy, data, len);
    if (!b) {
        if ((r = CC_GROW(raw->rows, raw->cap, raw->n)) < 0) {
            free(copy);
            return r;
        }
        b = &raw->rows[raw->n++];
        memset(b, 0, sizeof(*b));
        strcpy(b->name, name);
    }
    free(b->data);
    b->data = copy;
    b->len = len;
    qsort(raw->rows, raw->n, sizeof(*raw->rows), cmp_rows);
    return 0;
}

int s390x_raw_set_bit(struct s390x_raw *raw, const char *name, unsigned bit)
{
    const struct s390x_block *b = s390x_raw_get(raw, name);
    uint8_t buf[S390X_BLOCK_MAX] = {0};
    size_t len = b ? b->len : 0;

    if (bit / 8 >= S390X_BLOCK_MAX)
        return cc_error(EINVAL, "bit %u is beyond a %s block", bit, name);
    if (b && bit / 8 < b->len) {
        b->data[bit / 8] |= 0x80 >> (bit % 8);
        return 0;
    }
    if (b)
        memcpy(buf, b->data, b->len);
    if (bit / 8 >= len)
        len = (bit / 64 + 1) * 8;
    buf[bit / 8] |= 0x80 >> (bit % 8);
    return s390x_raw_put(raw, name, buf, len);
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* One row "name 0xHEX" (lower-case name of letters, digits and '-'; an even number of lower-case
 * hex digits); returns the end of the row or NULL. */
static const char *parse_row(const char *p, char name[S390X_ROW_NAME_MAX], uint8_t *data,
                             size_t *len)
{
    size_t n = 0, d = 0;

    while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= '0' && p[n] <= '9') || p[n] == '-')
        n++;
    if (n == 0 || n >= S390X_ROW_NAME_MAX || p[n] != ' ' || p[n + 1] != '0' || p[n + 2] != 'x')
        return NULL;
    memcpy(name, p, n);
    name[n] = '\0';
    p += n + 3;
    while (hexval(p[d]) >= 0 && hexval(p[d + 1]) >= 0 && d / 2 < S390X_BLOCK_MAX) {
        data[d / 2] = (uint8_t)(hexval(p[d]) << 4 | hexval(p[d + 1]));
        d += 2;
    }
    if (d == 0 || hexval(p[d]) >= 0)
        return NULL; /* empty, odd, or longer than any block */
    p += d;
    *len = d / 2;
    while (*p == ' ' || *p == '\t' || *p == '\r')
        p++;
    return *p == '\n' || *p == '\0' ? p : NULL;
}

int s390x_raw_parse(struct cc_ctx *ctx, const char *file, xmlNodePtr node, void **out)
{
    struct s390x_raw *raw = s390x_raw_new();
    static uint8_t data[S390X_BLOCK_MAX];
    int r = 0;

    (void)ctx;
    if (!raw)
        return cc_error(ENOMEM, "out of memory");
    for (xmlNodePtr c = node->children; c && r == 0; c = c->next) {
        const char *p;
        long line;

        if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "blocks") != 0)
            continue;
        if ((r = cc_xml_rows_text(file, c, &p)) < 0)
            break;
        line = xmlGetLineNo(c);
        while (r == 0) {
            char name[S390X_ROW_NAME_MAX], prev[S390X_ROW_NAME_MAX] = "";
            size_t len;

            while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
                line += *p++ == '\n';
            if (!*p)
                break;
            if (raw->n)
                strcpy(prev, raw->rows[raw->n - 1].name);
            p = parse_row(p, name, data, &len);
            if (!p)
                r = cc_error(EINVAL, "%s: line %ld: malformed <blocks> row (want name 0xHEX)", file,
                             line);
            else if (raw->n && strcmp(prev, name) >= 0)
                r = cc_error(EINVAL, "%s: line %ld: <blocks> rows repeated or out of order (%s)",
                             file, line, name);
            else
                r = s390x_raw_put(raw, name, data, len);
        }
    }
    if (r < 0) {
        s390x_raw_free(raw);
        return r;
    }
    *out = raw;
    return 0;
}

int s390x_raw_write(xmlTextWriterPtr w, const void *p)
{
    const struct s390x_raw *raw = p;
    struct cc_text t = {0};
    int r = 0;

    if (xmlTextWriterStartElement(w, BAD_CAST "blocks") < 0 ||
        xmlTextWriterWriteAttribute(w, BAD_CAST "columns", BAD_CAST "name value") < 0)
        return cc_error(ENOMEM, "cannot serialise blocks");
    for (size_t i = 0; i < raw->n; i++) {
        char hex[S390X_BLOCK_MAX * 2 + 1];

        for (size_t b = 0; b < raw->rows[i].len; b++)
            snprintf(hex + 2 * b, 3, "%02x", raw->rows[i].data[b]);
        cc_text_line(&t, CC_TEXT_INDENT_RAW, "%s 0x%s", raw->rows[i].name, hex);
    }
    cc_text_end_block(&t, CC_TEXT_INDENT_RAW - 2);
    if (t.failed || xmlTextWriterWriteString(w, BAD_CAST t.buf) < 0 ||
        xmlTextWriterEndElement(w) < 0)
        r = cc_error(ENOMEM, "cannot serialise blocks");
    free(t.buf);
    return r;
}

void s390x_raw_summary(const void *p, char *buf, size_t len)
{
    const struct s390x_raw *raw = p;
    const struct s390x_block *fac = s390x_raw_get(raw, "fac-mask");

    if (!fac)
        fac = s390x_raw_get(raw, "stfle");
    snprintf(buf, len, "%zu blocks, %zu facility doublewords", raw->n, fac ? fac->len / 8 : 0);
}
