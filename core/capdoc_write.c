#include "arch.h"
#include "atomic_file.h"
#include "capdoc_io.h"
#include "cleanup.h"
#include "error.h"
#include "text_block.h"

#include <libxml/xmlwriter.h>
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

int cc_doc_to_xml(struct cc_ctx *ctx, const struct cc_doc *doc, char **buf, size_t *len)
{
    xmlBufferPtr xb = xmlBufferCreate();
    xmlTextWriterPtr w;
    int r;

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
    return r;
}

int cc_doc_write(struct cc_ctx *ctx, const struct cc_doc *doc, const char *path)
{
    _cleanup_free_ char *buf = NULL;
    size_t len;
    int r = cc_doc_to_xml(ctx, doc, &buf, &len);

    if (r < 0)
        return r;
    return cc_write_file_atomic(path, buf, len);
}
