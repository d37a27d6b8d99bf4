/* Raw x86 data: CPUID leaves and MSR values, kept exactly as read (after per-CPU masking). */
#include "x86.h"
#include "../../core/error.h"
#include "../../core/grow.h"
#include "../../core/hash_index.h"
#include "../../core/text_block.h"
#include "../../core/xml_load.h"

#include <stdlib.h>
#include <string.h>

const char *const x86_reg_names[4] = {"eax", "ebx", "ecx", "edx"};

int x86_reg_from_name(const char *s, enum x86_reg *out)
{
    for (int i = 0; i < 4; i++) {
        if (strcasecmp(s, x86_reg_names[i]) == 0) {
            *out = (enum x86_reg)i;
            return 0;
        }
    }
    return -EINVAL;
}

struct x86_raw *x86_raw_new(void)
{
    return calloc(1, sizeof(struct x86_raw));
}

void x86_raw_free(void *p)
{
    struct x86_raw *raw = p;

    if (!raw)
        return;
    free(raw->cpuid);
    free(raw->msr);
    cc_index_free(&raw->cpuid_index);
    cc_index_free(&raw->msr_index);
    cc_index_free(&raw->qprop_index);
    for (size_t i = 0; i < raw->n_qprops; i++) {
        free(raw->qprops[i].name);
        free(raw->qprops[i].type);
        free(raw->qprops[i].value);
    }
    free(raw->qprops);
    free(raw);
}

static uint64_t cpuid_key(uint32_t leaf, uint32_t subleaf)
{
    return (uint64_t)leaf << 32 | subleaf;
}

static uint64_t cpuid_hash_at(const void *rows, size_t pos)
{
    const struct x86_cpuid *e = &((const struct x86_cpuid *)rows)[pos];

    return cc_hash_u64(cpuid_key(e->leaf, e->subleaf));
}

static bool cpuid_eq(const void *rows, size_t pos, const void *key)
{
    const struct x86_cpuid *e = &((const struct x86_cpuid *)rows)[pos];

    return cpuid_key(e->leaf, e->subleaf) == *(const uint64_t *)key;
}

static uint64_t msr_hash_at(const void *rows, size_t pos)
{
    return cc_hash_u64(((const struct x86_msr *)rows)[pos].index);
}

static bool msr_eq(const void *rows, size_t pos, const void *key)
{
    return ((const struct x86_msr *)rows)[pos].index == *(const uint32_t *)key;
}

int x86_raw_set_cpuid(struct x86_raw *raw, uint32_t leaf, uint32_t subleaf, const uint32_t r[4])
{
    struct x86_cpuid *e;
    int rc = raw->sorted
                 ? 0
                 : cc_index_catch_up(&raw->cpuid_index, raw->n_cpuid, raw->cpuid, cpuid_hash_at);

    if (rc < 0)
        return rc;
    e = (struct x86_cpuid *)x86_raw_cpuid(raw, leaf, subleaf);
    if (!e) {
        rc = CC_GROW(raw->cpuid, raw->cap_cpuid, raw->n_cpuid);
        if (rc < 0)
            return rc;
        e = &raw->cpuid[raw->n_cpuid++];
        raw->sorted = false;
        e->leaf = leaf;
        e->subleaf = subleaf;
        rc = cc_index_catch_up(&raw->cpuid_index, raw->n_cpuid, raw->cpuid, cpuid_hash_at);
    }
    memcpy(e->r, r, sizeof(e->r));
    return rc;
}

int x86_raw_set_msr(struct x86_raw *raw, uint32_t index, uint64_t value)
{
    struct x86_msr *m;
    int rc =
        raw->sorted ? 0 : cc_index_catch_up(&raw->msr_index, raw->n_msr, raw->msr, msr_hash_at);

    if (rc < 0)
        return rc;
    m = (struct x86_msr *)x86_raw_msr(raw, index);

    if (!m) {
        rc = CC_GROW(raw->msr, raw->cap_msr, raw->n_msr);
        if (rc < 0)
            return rc;
        m = &raw->msr[raw->n_msr++];
        raw->sorted = false;
        m->index = index;
        rc = cc_index_catch_up(&raw->msr_index, raw->n_msr, raw->msr, msr_hash_at);
    }
    m->value = value;
    return rc;
}

static uint64_t qprop_hash_at(const void *rows, size_t pos)
{
    const char *name = ((const struct x86_qprop *)rows)[pos].name;

    return cc_hash_words(name, strlen(name));
}

static bool qprop_eq(const void *rows, size_t pos, const void *key)
{
    return strcmp(((const struct x86_qprop *)rows)[pos].name, key) == 0;
}

/* Property lists are a few hundred long; more is not QEMU's. */
#define X86_MAX_QPROPS 4096

int x86_raw_add_qprop(struct x86_raw *raw, const char *name, const char *type, const char *value,
                      bool migratable)
{
    struct x86_qprop *q;

    if (raw->n_qprops >= X86_MAX_QPROPS)
        return cc_error(E2BIG, "more than %d QEMU properties", X86_MAX_QPROPS);
    /* Written as XML attributes: control characters would not read back as they were. */
    for (const char *const *s = (const char *const[]){name, type, value, NULL}; *s; s++)
        for (const unsigned char *c = (const unsigned char *)*s; *c; c++)
            if (*c < 0x20 || *c == 0x7f)
                return cc_error(EINVAL, "QEMU property '%.40s': a control character", name);
    if (CC_GROW(raw->qprops, raw->cap_qprops, raw->n_qprops) < 0)
        return cc_error(ENOMEM, "out of memory");
    q = &raw->qprops[raw->n_qprops];
    *q = (struct x86_qprop){strdup(name), strdup(type), strdup(value), migratable};
    raw->n_qprops++;
    if (!q->name || !q->type || !q->value)
        return cc_error(ENOMEM, "out of memory");
    return cc_index_catch_up(&raw->qprop_index, raw->n_qprops, raw->qprops, qprop_hash_at);
}

const struct x86_qprop *x86_raw_qprop(const struct x86_raw *raw, const char *name)
{
    if (raw->qprop_index.n == raw->n_qprops && raw->qprop_index.cap) {
        size_t i = cc_index_find(&raw->qprop_index, cc_hash_words(name, strlen(name)), raw->qprops,
                                 qprop_eq, name);

        return i == SIZE_MAX ? NULL : &raw->qprops[i];
    }
    for (size_t i = 0; i < raw->n_qprops; i++)
        if (strcmp(raw->qprops[i].name, name) == 0)
            return &raw->qprops[i];
    return NULL;
}

static int parse_qprop(const char *file, xmlNodePtr c, struct x86_raw *raw)
{
    const char *name = cc_xml_attr(c, "name"), *type = cc_xml_attr(c, "type");
    const char *value = cc_xml_attr(c, "value"), *mig = cc_xml_attr(c, "migratable");

    /* The schema has checked the attributes' presence and spelling. */
    if (!name || !type || !value)
        return cc_error(EINVAL, "%s: line %ld: incomplete <qemu-property>", file, xmlGetLineNo(c));
    if (x86_raw_qprop(raw, name))
        return cc_error(EINVAL, "%s: line %ld: QEMU property '%s' given twice", file,
                        xmlGetLineNo(c), name);
    return x86_raw_add_qprop(raw, name, type, value, !mig || strcmp(mig, "no") != 0);
}

static int cmp_cpuid(const void *a, const void *b)
{
    const struct x86_cpuid *x = a, *y = b;

    if (x->leaf != y->leaf)
        return x->leaf < y->leaf ? -1 : 1;
    return x->subleaf < y->subleaf ? -1 : x->subleaf > y->subleaf;
}

static int cmp_msr(const void *a, const void *b)
{
    const struct x86_msr *x = a, *y = b;

    return x->index < y->index ? -1 : x->index > y->index;
}

void x86_raw_sort(struct x86_raw *raw)
{
    if (raw->n_cpuid)
        qsort(raw->cpuid, raw->n_cpuid, sizeof(*raw->cpuid), cmp_cpuid);
    if (raw->n_msr)
        qsort(raw->msr, raw->n_msr, sizeof(*raw->msr), cmp_msr);
    raw->sorted = true;
    /* Positions moved; binary search serves from now on, and a later insert indexes afresh. */
    cc_index_free(&raw->cpuid_index);
    cc_index_free(&raw->msr_index);
}

/* Binary search once sorted; while raw data is still being built, the hash index (or a scan of
 * the few rows not yet indexed) instead of keeping the array ordered on every insert. */
const struct x86_cpuid *x86_raw_cpuid(const struct x86_raw *raw, uint32_t leaf, uint32_t subleaf)
{
    struct x86_cpuid key = {.leaf = leaf, .subleaf = subleaf};
    size_t lo = 0, hi = raw->n_cpuid;

    if (!raw->sorted)
        goto linear;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_cpuid(&key, &raw->cpuid[mid]);

        if (c == 0)
            return &raw->cpuid[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
linear:
    if (raw->cpuid_index.n == raw->n_cpuid && raw->cpuid_index.cap) {
        uint64_t k = cpuid_key(leaf, subleaf);
        size_t i = cc_index_find(&raw->cpuid_index, cc_hash_u64(k), raw->cpuid, cpuid_eq, &k);

        return i == SIZE_MAX ? NULL : &raw->cpuid[i];
    }
    for (size_t i = 0; i < raw->n_cpuid; i++)
        if (raw->cpuid[i].leaf == leaf && raw->cpuid[i].subleaf == subleaf)
            return &raw->cpuid[i];
    return NULL;
}

const struct x86_msr *x86_raw_msr(const struct x86_raw *raw, uint32_t index)
{
    size_t lo = 0, hi = raw->n_msr;

    if (raw->sorted) {
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;

            if (raw->msr[mid].index == index)
                return &raw->msr[mid];
            if (index < raw->msr[mid].index)
                hi = mid;
            else
                lo = mid + 1;
        }
        return NULL;
    }
    if (raw->msr_index.n == raw->n_msr && raw->msr_index.cap) {
        size_t i = cc_index_find(&raw->msr_index, cc_hash_u64(index), raw->msr, msr_eq, &index);

        return i == SIZE_MAX ? NULL : &raw->msr[i];
    }
    for (size_t i = 0; i < raw->n_msr; i++)
        if (raw->msr[i].index == index)
            return &raw->msr[i];
    return NULL;
}

/* Lines of `fields` hex numbers: the first 8 digits wide, the others `width` wide. */
static int parse_table(const char *file, xmlNodePtr node, int fields, int width,
                       int (*add)(struct x86_raw *, const uint64_t *), struct x86_raw *raw)
{
    const char *p;
    long line = xmlGetLineNo(node);
    int rc = cc_xml_rows_text(file, node, &p);
    const char *end;

    if (rc < 0)
        return rc;
    end = p + strlen(p);
    for (;;) {
        uint64_t v[6];

        while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
            line += *p++ == '\n';
        if (!*p)
            return 0;
        for (int i = 0; i < fields; i++) {
            if (i && *p++ != ' ')
                p = NULL;
            if (p)
                p = cc_hex_field(p, end, i == 0 ? 8 : width, &v[i]);
            if (!p)
                return cc_error(EINVAL, "%s: line %ld: malformed <%s> row (want %d hex numbers)",
                                file, line, (const char *)node->name, fields);
        }
        while (*p == ' ' || *p == '\t' || *p == '\r')
            p++;
        if (*p && *p != '\n')
            return cc_error(EINVAL, "%s: line %ld: trailing text in <%s> row", file, line,
                            (const char *)node->name);
        int r = add(raw, v);
        if (r == -EEXIST)
            return cc_error(
                EINVAL, "%s: line %ld: <%s> rows repeated or out of order (0x%llx 0x%llx)", file,
                line, (const char *)node->name, (unsigned long long)v[0], (unsigned long long)v[1]);
        if (r < 0)
            return r;
    }
}

/* Rows are written sorted; insisting on it on the way back makes duplicates impossible and
 * lets rows be appended without a search, which keeps a 1,000-host baseline fast. */
static int add_cpuid_row(struct x86_raw *raw, const uint64_t *v)
{
    const struct x86_cpuid *last = raw->n_cpuid ? &raw->cpuid[raw->n_cpuid - 1] : NULL;
    int r;

    if (last && (last->leaf > v[0] || (last->leaf == v[0] && last->subleaf >= v[1])))
        return -EEXIST;
    r = CC_GROW(raw->cpuid, raw->cap_cpuid, raw->n_cpuid);
    if (r < 0)
        return r;
    raw->cpuid[raw->n_cpuid++] =
        (struct x86_cpuid){.leaf = (uint32_t)v[0],
                           .subleaf = (uint32_t)v[1],
                           .r = {(uint32_t)v[2], (uint32_t)v[3], (uint32_t)v[4], (uint32_t)v[5]}};
    return 0;
}

static int add_msr_row(struct x86_raw *raw, const uint64_t *v)
{
    int r;

    if (raw->n_msr && raw->msr[raw->n_msr - 1].index >= v[0])
        return -EEXIST;
    r = CC_GROW(raw->msr, raw->cap_msr, raw->n_msr);
    if (r < 0)
        return r;
    raw->msr[raw->n_msr++] = (struct x86_msr){.index = (uint32_t)v[0], .value = v[1]};
    return 0;
}

int x86_raw_parse(struct cc_ctx *ctx, const char *file, xmlNodePtr node, void **out)
{
    struct x86_raw *raw = x86_raw_new();
    int r = 0;

    (void)ctx;
    if (!raw)
        return cc_error(ENOMEM, "out of memory");
    for (xmlNodePtr c = node->children; c && r == 0; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)c->name, "cpuid") == 0)
            r = parse_table(file, c, 6, 8, add_cpuid_row, raw);
        else if (strcmp((const char *)c->name, "msr") == 0)
            r = parse_table(file, c, 2, 16, add_msr_row, raw);
        else if (strcmp((const char *)c->name, "qemu-property") == 0)
            r = parse_qprop(file, c, raw);
    }
    if (r < 0) {
        x86_raw_free(raw);
        return r;
    }
    raw->sorted = true; /* enforced row by row */
    *out = raw;
    return 0;
}

static int write_qprops(xmlTextWriterPtr w, const struct x86_raw *raw)
{
    for (size_t i = 0; i < raw->n_qprops; i++) {
        const struct x86_qprop *q = &raw->qprops[i];

        if (xmlTextWriterStartElement(w, BAD_CAST "qemu-property") < 0 ||
            xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST q->name) < 0 ||
            xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST q->type) < 0 ||
            xmlTextWriterWriteAttribute(w, BAD_CAST "value", BAD_CAST q->value) < 0 ||
            (!q->migratable &&
             xmlTextWriterWriteAttribute(w, BAD_CAST "migratable", BAD_CAST "no") < 0) ||
            xmlTextWriterEndElement(w) < 0)
            return cc_error(ENOMEM, "cannot serialise QEMU properties");
    }
    return 0;
}

int x86_raw_write(xmlTextWriterPtr w, const void *p)
{
    const struct x86_raw *raw = p;
    struct cc_text t = {0};
    int r = 0;

    /* Tables of text rows rather than an element per leaf: as readable as `cpuid -r`, and
     * several times cheaper to read back, which matters to a baseline over a whole fleet. */
    if (xmlTextWriterStartElement(w, BAD_CAST "cpuid") < 0 ||
        xmlTextWriterWriteAttribute(w, BAD_CAST "columns",
                                    BAD_CAST "leaf subleaf eax ebx ecx edx") < 0)
        return cc_error(ENOMEM, "cannot serialise CPUID data");
    for (size_t i = 0; i < raw->n_cpuid; i++) {
        const struct x86_cpuid *e = &raw->cpuid[i];
        cc_text_line(&t, CC_TEXT_INDENT_RAW, "0x%08x 0x%08x 0x%08x 0x%08x 0x%08x 0x%08x", e->leaf,
                     e->subleaf, e->r[0], e->r[1], e->r[2], e->r[3]);
    }
    cc_text_end_block(&t, CC_TEXT_INDENT_RAW - 2);
    if (t.failed || xmlTextWriterWriteString(w, BAD_CAST t.buf) < 0 ||
        xmlTextWriterEndElement(w) < 0)
        r = cc_error(ENOMEM, "cannot serialise CPUID data");
    free(t.buf);
    if (r < 0)
        return r;
    if (raw->n_msr == 0)
        return write_qprops(w, raw);
    t = (struct cc_text){0};
    if (xmlTextWriterStartElement(w, BAD_CAST "msr") < 0 ||
        xmlTextWriterWriteAttribute(w, BAD_CAST "columns", BAD_CAST "index value") < 0)
        return cc_error(ENOMEM, "cannot serialise MSR data");
    for (size_t i = 0; i < raw->n_msr; i++)
        cc_text_line(&t, CC_TEXT_INDENT_RAW, "0x%08x 0x%016llx", raw->msr[i].index,
                     (unsigned long long)raw->msr[i].value);
    cc_text_end_block(&t, CC_TEXT_INDENT_RAW - 2);
    if (t.failed || xmlTextWriterWriteString(w, BAD_CAST t.buf) < 0 ||
        xmlTextWriterEndElement(w) < 0)
        r = cc_error(ENOMEM, "cannot serialise MSR data");
    free(t.buf);
    return r < 0 ? r : write_qprops(w, raw);
}

void x86_raw_summary(const void *p, char *buf, size_t len)
{
    const struct x86_raw *raw = p;

    if (raw->n_qprops)
        snprintf(buf, len, "%zu CPUID leaves, %zu MSRs, from %zu QEMU properties", raw->n_cpuid,
                 raw->n_msr, raw->n_qprops);
    else
        snprintf(buf, len, "%zu CPUID leaves, %zu MSRs", raw->n_cpuid, raw->n_msr);
}
