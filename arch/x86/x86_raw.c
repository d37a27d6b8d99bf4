/* Raw x86 data: CPUID leaves and MSR values, kept exactly as read (after per-CPU masking). */
#include "x86.h"
#include "../../core/error.h"
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
    free(raw);
}

static int grow(void **items, size_t *cap, size_t n, size_t size)
{
    void *p;

    if (n < *cap)
        return 0;
    p = reallocarray(*items, *cap ? *cap * 2 : 64, size);
    if (!p)
        return cc_error(ENOMEM, "out of memory");
    *items = p;
    *cap = *cap ? *cap * 2 : 64;
    return 0;
}

int x86_raw_set_cpuid(struct x86_raw *raw, uint32_t leaf, uint32_t subleaf, const uint32_t r[4])
{
    struct x86_cpuid *e = (struct x86_cpuid *)x86_raw_cpuid(raw, leaf, subleaf);
    int rc;

    if (!e) {
        rc = grow((void **)&raw->cpuid, &raw->cap_cpuid, raw->n_cpuid, sizeof(*raw->cpuid));
        if (rc < 0)
            return rc;
        e = &raw->cpuid[raw->n_cpuid++];
        raw->sorted = false;
        e->leaf = leaf;
        e->subleaf = subleaf;
    }
    memcpy(e->r, r, sizeof(e->r));
    return 0;
}

int x86_raw_set_msr(struct x86_raw *raw, uint32_t index, uint64_t value)
{
    struct x86_msr *m = (struct x86_msr *)x86_raw_msr(raw, index);
    int rc;

    if (!m) {
        rc = grow((void **)&raw->msr, &raw->cap_msr, raw->n_msr, sizeof(*raw->msr));
        if (rc < 0)
            return rc;
        m = &raw->msr[raw->n_msr++];
        raw->sorted = false;
        m->index = index;
    }
    m->value = value;
    return 0;
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
}

/* Binary search once sorted; while raw data is still being built a linear scan is used instead
 * of keeping the array ordered on every insert. */
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
    for (size_t i = 0; i < raw->n_cpuid; i++)
        if (raw->cpuid[i].leaf == leaf && raw->cpuid[i].subleaf == subleaf)
            return &raw->cpuid[i];
    return NULL;
}

const struct x86_msr *x86_raw_msr(const struct x86_raw *raw, uint32_t index)
{
    for (size_t i = 0; i < raw->n_msr; i++)
        if (raw->msr[i].index == index)
            return &raw->msr[i];
    return NULL;
}

int x86_raw_parse(struct cc_ctx *ctx, const char *file, xmlNodePtr node, void **out)
{
    struct x86_raw *raw = x86_raw_new();
    int r = 0;

    (void)ctx;
    if (!raw)
        return cc_error(ENOMEM, "out of memory");
    for (xmlNodePtr c = node->children; c && r == 0; c = c->next) {
        unsigned long long v[6];

        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)c->name, "cpuid") == 0) {
            static const char *const names[] = {"leaf", "subleaf", "eax", "ebx", "ecx", "edx"};
            uint32_t regs[4];

            for (int i = 0; i < 6 && r == 0; i++)
                r = cc_xml_attr_u64(file, c, names[i], UINT32_MAX, &v[i]);
            if (r < 0)
                break;
            if (x86_raw_cpuid(raw, (uint32_t)v[0], (uint32_t)v[1])) {
                r = cc_error(EINVAL, "%s: line %ld: CPUID leaf %#llx sub-leaf %#llx given twice",
                             file, xmlGetLineNo(c), v[0], v[1]);
                break;
            }
            for (int i = 0; i < 4; i++)
                regs[i] = (uint32_t)v[2 + i];
            r = x86_raw_set_cpuid(raw, (uint32_t)v[0], (uint32_t)v[1], regs);
        } else if (strcmp((const char *)c->name, "msr") == 0) {
            r = cc_xml_attr_u64(file, c, "index", UINT32_MAX, &v[0]);
            if (r == 0)
                r = cc_xml_attr_u64(file, c, "value", UINT64_MAX, &v[1]);
            if (r == 0 && x86_raw_msr(raw, (uint32_t)v[0]))
                r = cc_error(EINVAL, "%s: line %ld: MSR %#llx given twice", file,
                             xmlGetLineNo(c), v[0]);
            if (r == 0)
                r = x86_raw_set_msr(raw, (uint32_t)v[0], v[1]);
        }
    }
    if (r < 0) {
        x86_raw_free(raw);
        return r;
    }
    x86_raw_sort(raw);
    *out = raw;
    return 0;
}

int x86_raw_write(xmlTextWriterPtr w, const void *p)
{
    const struct x86_raw *raw = p;
    char buf[6][24];

    for (size_t i = 0; i < raw->n_cpuid; i++) {
        const struct x86_cpuid *e = &raw->cpuid[i];

        snprintf(buf[0], sizeof(buf[0]), "0x%08x", e->leaf);
        snprintf(buf[1], sizeof(buf[1]), "0x%08x", e->subleaf);
        for (int j = 0; j < 4; j++)
            snprintf(buf[2 + j], sizeof(buf[2 + j]), "0x%08x", e->r[j]);
        if (xmlTextWriterStartElement(w, BAD_CAST "cpuid") < 0 ||
            xmlTextWriterWriteAttribute(w, BAD_CAST "leaf", BAD_CAST buf[0]) < 0 ||
            xmlTextWriterWriteAttribute(w, BAD_CAST "subleaf", BAD_CAST buf[1]) < 0 ||
            xmlTextWriterWriteAttribute(w, BAD_CAST "eax", BAD_CAST buf[2]) < 0 ||
            xmlTextWriterWriteAttribute(w, BAD_CAST "ebx", BAD_CAST buf[3]) < 0 ||
            xmlTextWriterWriteAttribute(w, BAD_CAST "ecx", BAD_CAST buf[4]) < 0 ||
            xmlTextWriterWriteAttribute(w, BAD_CAST "edx", BAD_CAST buf[5]) < 0 ||
            xmlTextWriterEndElement(w) < 0)
            return cc_error(ENOMEM, "cannot serialise CPUID data");
    }
    for (size_t i = 0; i < raw->n_msr; i++) {
        snprintf(buf[0], sizeof(buf[0]), "0x%08x", raw->msr[i].index);
        snprintf(buf[1], sizeof(buf[1]), "0x%016llx", (unsigned long long)raw->msr[i].value);
        if (xmlTextWriterStartElement(w, BAD_CAST "msr") < 0 ||
            xmlTextWriterWriteAttribute(w, BAD_CAST "index", BAD_CAST buf[0]) < 0 ||
            xmlTextWriterWriteAttribute(w, BAD_CAST "value", BAD_CAST buf[1]) < 0 ||
            xmlTextWriterEndElement(w) < 0)
            return cc_error(ENOMEM, "cannot serialise MSR data");
    }
    return 0;
}

void x86_raw_summary(const void *p, char *buf, size_t len)
{
    const struct x86_raw *raw = p;

    snprintf(buf, len, "%zu CPUID leaves, %zu MSRs", raw->n_cpuid, raw->n_msr);
}
