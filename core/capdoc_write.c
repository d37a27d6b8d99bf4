#include "arch.h"
#include "atomic_file.h"
#include "capdoc_io.h"
#include "cleanup.h"
#include "error.h"
#include "text_block.h"
#include "xml_load.h"

#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <string.h>

#define X(s) ((const xmlChar *)(s))

/* xmlTextWriter calls return -1 on failure; fold them into one check per element. */
#define W(call)                                                                                    \
    do {                                                                                           \
        if ((call) < 0)                                                                            \
            return cc_error(ENOMEM, "cannot serialise the capability document");                   \
    } while (0)

static int write_attrs(xmlTextWriterPtr w, const struct cc_kvlist *kv)
{
    for (size_t i = 0; i < kv->n; i++)
        W(xmlTextWriterWriteAttribute(w, X(kv->items[i].key), X(kv->items[i].value)));
    return 0;
}

static int write_view(struct cc_ctx *ctx, xmlTextWriterPtr w, const struct cc_doc *doc,
                      const struct cc_view *v)
{
    struct cc_strlist names = {0};
    int r;

    W(xmlTextWriterStartElement(w, X("view")));
    W(xmlTextWriterWriteAttribute(w, X("name"), X(v->name)));
    W(xmlTextWriterWriteAttribute(w, X("source"), X(v->source)));
    for (size_t i = 0; i < v->props.n; i++) {
        W(xmlTextWriterStartElement(w, X("property")));
        W(xmlTextWriterWriteAttribute(w, X("name"), X(v->props.items[i].key)));
        W(xmlTextWriterWriteAttribute(w, X("value"), X(v->props.items[i].value)));
        W(xmlTextWriterEndElement(w));
    }
    W(xmlTextWriterStartElement(w, X("raw")));
    if (v->raw) {
        r = doc->arch->raw_write(w, v->raw);
        if (r < 0)
            return r;
    }
    W(xmlTextWriterEndElement(w));

    r = doc->arch->view_features(ctx, v, &names);
    if (r < 0) {
        cc_strlist_free(&names);
        return r;
    }
    /* One text node, wrapped for people: a list of elements costs a reader far more. */
    r = xmlTextWriterStartElement(w, X("features"));
    if (r >= 0)
        r = xmlTextWriterWriteFormatAttribute(w, X("count"), "%zu", names.n);
    if (r >= 0) {
        struct cc_text t = {0};

        for (size_t i = 0; i < names.n; i++)
            cc_text_wrapped(&t, names.items[i], CC_TEXT_INDENT_VIEW);
        cc_text_end_block(&t, CC_TEXT_INDENT_VIEW - 2);
        r = t.failed ? -1 : xmlTextWriterWriteString(w, X(t.buf ? t.buf : ""));
        free(t.buf);
    }
    cc_strlist_free(&names);
    if (r < 0)
        return cc_error(ENOMEM, "cannot serialise the capability document");
    W(xmlTextWriterEndElement(w)); /* features */
    if (v->reported_by) {
        W(xmlTextWriterStartElement(w, X("reported")));
        W(xmlTextWriterWriteAttribute(w, X("by"), X(v->reported_by)));
        for (size_t i = 0; i < v->n_reported; i++) {
            const struct cc_reported_model *m = &v->reported[i];

            W(xmlTextWriterStartElement(w, X("model")));
            W(xmlTextWriterWriteAttribute(w, X("name"), X(m->name)));
            W(xmlTextWriterWriteAttribute(w, X("usable"), X(m->usable)));
            if (m->canonical)
                W(xmlTextWriterWriteAttribute(w, X("canonical"), X(m->canonical)));
            if (m->blockers)
                W(xmlTextWriterWriteAttribute(w, X("blockers"), X(m->blockers)));
            W(xmlTextWriterEndElement(w));
        }
        W(xmlTextWriterEndElement(w));
    }
    W(xmlTextWriterEndElement(w)); /* view */
    return 0;
}

static int write_doc(struct cc_ctx *ctx, xmlTextWriterPtr w, const struct cc_doc *doc)
{
    int r;

    W(xmlTextWriterSetIndent(w, 1));
    W(xmlTextWriterSetIndentString(w, X("  ")));
    W(xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL));
    W(xmlTextWriterStartElement(w, X("capabilities")));
    W(xmlTextWriterWriteFormatAttribute(w, X("format"), "%d", CC_FORMAT_VERSION));
    W(xmlTextWriterWriteAttribute(w, X("arch"), X(doc->arch->name)));

    W(xmlTextWriterStartElement(w, X("tool")));
    W(xmlTextWriterWriteAttribute(w, X("name"), X("cpucompat")));
    W(xmlTextWriterWriteAttribute(w, X("version"), X(doc->tool_version)));
    W(xmlTextWriterEndElement(w));

    W(xmlTextWriterStartElement(w, X("origin")));
    if ((r = write_attrs(w, &doc->origin)) < 0)
        return r;
    W(xmlTextWriterEndElement(w));

    W(xmlTextWriterStartElement(w, X("identity")));
    for (size_t i = 0; i < doc->identity.n; i++)
        W(xmlTextWriterWriteElement(w, X(doc->identity.items[i].key),
                                    X(doc->identity.items[i].value)));
    W(xmlTextWriterEndElement(w));

    for (size_t i = 0; i < doc->n_views; i++)
        if ((r = write_view(ctx, w, doc, &doc->views[i])) < 0)
            return r;
    W(xmlTextWriterEndElement(w));
    W(xmlTextWriterEndDocument(w));
    return 0;
}

/* ---- only what the reader takes back ---- */

enum text_kind {
    TEXT_ANY,   /* <text/> in the schema */
    TEXT_TOKEN, /* the schema's token: 1 to 256 characters */
    TEXT_NAME,  /* an NCName made of the ASCII letters, digits, '-', '_' and '.' we use */
};

/* Why s cannot go into a capability file as kind, or NULL. */
static const char *text_problem(const char *s, enum text_kind kind, char *why, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t chars = 0;

    for (; *p; chars++) {
        unsigned c = *p, n = c < 0x80             ? 1
                             : (c & 0xe0) == 0xc0 ? 2
                             : (c & 0xf0) == 0xe0 ? 3
                             : (c & 0xf8) == 0xf0 ? 4
                                                  : 0;
        unsigned cp = n == 1 ? c : n == 2 ? c & 0x1f : n == 3 ? c & 0x0f : c & 0x07;

        for (unsigned i = 1; i < n; i++) {
            if ((p[i] & 0xc0) != 0x80) {
                n = 0;
                break;
            }
            cp = cp << 6 | (p[i] & 0x3f);
        }
        /* Overlong forms, surrogates and values past U+10FFFF are not UTF-8 either. */
        if (n == 0 || (n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
            (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff)) {
            snprintf(why, len, "byte %zu (0x%02x) is not UTF-8",
                     (size_t)(p - (const unsigned char *)s), c);
            return why;
        }
        /* XML 1.0 has no place for most control characters; tab and newline would read back
         * as spaces. None belongs in one line of text. */
        if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || cp == 0xfffe || cp == 0xffff) {
            snprintf(why, len, "control character U+%04X at byte %zu", cp,
                     (size_t)(p - (const unsigned char *)s));
            return why;
        }
        if (kind == TEXT_NAME &&
            !(c == '-' || c == '_' || c == '.' || (c >= '0' && c <= '9' && chars) ||
              (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
            snprintf(why, len, "'%c' at byte %zu: names are letters, digits, '-', '_' and '.'",
                     c < 0x80 ? c : '?', (size_t)(p - (const unsigned char *)s));
            return why;
        }
        p += n;
    }
    if (kind != TEXT_ANY && (chars == 0 || chars > 256)) {
        snprintf(why, len, "%zu characters, not 1 to 256", chars);
        return why;
    }
    return NULL;
}

static int check_text(const char *field, const char *where, const char *s, enum text_kind kind)
{
    char why[128];

    if (text_problem(s, kind, why, sizeof(why)))
        return cc_error(EINVAL, "%s (%s): %s; a capability file cannot carry it", field, where,
                        why);
    return 0;
}

/* Origin attributes the schema lets be any text (names of files and of programs). */
static bool origin_free_text(const char *key)
{
    return !strcmp(key, "import-file") || !strcmp(key, "base") || !strcmp(key, "qemu-binary");
}

static int check_doc_text(const struct cc_doc *doc)
{
    int r = check_text("version", "tool", doc->tool_version, TEXT_TOKEN);

    for (size_t i = 0; i < doc->origin.n && r == 0; i++) {
        const struct cc_kv *kv = &doc->origin.items[i];

        r = check_text(kv->key, "origin attribute name", kv->key, TEXT_NAME);
        if (r == 0)
            r = check_text(kv->key, "origin", kv->value,
                           origin_free_text(kv->key) ? TEXT_ANY : TEXT_TOKEN);
    }
    for (size_t i = 0; i < doc->identity.n && r == 0; i++) {
        const struct cc_kv *kv = &doc->identity.items[i];

        r = check_text(kv->key, "identity element name", kv->key, TEXT_NAME);
        if (r == 0)
            r = check_text(kv->key, "identity", kv->value, TEXT_TOKEN);
    }
    for (size_t v = 0; v < doc->n_views && r == 0; v++) {
        const struct cc_view *view = &doc->views[v];
        char where[64];

        snprintf(where, sizeof(where), "a property of the %.20s view", view->name);
        r = check_text("name", "view", view->name, TEXT_NAME);
        if (r == 0)
            r = check_text("source", "view", view->source, TEXT_TOKEN);
        if (r == 0 && view->props.n > CC_MAX_PROPERTIES)
            r = cc_error(EINVAL, "the %s view has %zu properties, more than readers take (%d)",
                         view->name, view->props.n, CC_MAX_PROPERTIES);
        for (size_t i = 0; i < view->props.n && r == 0; i++) {
            const struct cc_kv *kv = &view->props.items[i];

            r = check_text(kv->key, "property name", kv->key, TEXT_NAME);
            if (r == 0)
                r = check_text(kv->key, where, kv->value, TEXT_TOKEN);
        }
    }
    return r;
}

/* The last word: the reader's own verdict on what is about to be written. */
static int read_back(struct cc_ctx *ctx, const char *buf, size_t len)
{
    struct cc_doc *back = NULL;
    int r;

    if (len > CC_XML_MAX_BYTES)
        return cc_error(EFBIG,
                        "the capability file would be %zu bytes, above the %u-byte limit of its "
                        "readers",
                        len, CC_XML_MAX_BYTES);
    r = cc_doc_parse(ctx, "(the file being written)", buf, len, &back);
    cc_doc_free(back);
    if (r < 0)
        return cc_error_prefix(r, "cpucompat would write a file it cannot read back");
    return 0;
}

int cc_doc_to_xml(struct cc_ctx *ctx, const struct cc_doc *doc, char **buf, size_t *len)
{
    xmlBufferPtr xb = xmlBufferCreate();
    xmlTextWriterPtr w;
    int r;

    if ((r = check_doc_text(doc)) < 0) {
        if (xb)
            xmlBufferFree(xb);
        return r;
    }
    if (!xb)
        return cc_error(ENOMEM, "out of memory");
    w = xmlNewTextWriterMemory(xb, 0);
    if (!w) {
        xmlBufferFree(xb);
        return cc_error(ENOMEM, "out of memory");
    }
    r = write_doc(ctx, w, doc);
    xmlFreeTextWriter(w); /* flushes into xb */
    if (r == 0) {
        *len = (size_t)xmlBufferLength(xb);
        *buf = malloc(*len + 1);
        if (!*buf)
            r = cc_error(ENOMEM, "out of memory");
        else
            memcpy(*buf, xmlBufferContent(xb), *len + 1);
    }
    xmlBufferFree(xb);
    if (r == 0 && (r = read_back(ctx, *buf, *len)) < 0) {
        free(*buf);
        *buf = NULL;
    }
    return r;
}

int cc_doc_write(struct cc_ctx *ctx, const struct cc_doc *doc, const char *path)
{
    _cleanup_free_ char *buf = NULL;
    size_t len;
    int r = cc_doc_to_xml(ctx, doc, &buf, &len);

    if (r < 0)
        return cc_error_prefix(r, "%s", strcmp(path, "-") ? path : "standard output");
    return cc_write_file_atomic(path, buf, len);
}
