#include "xml_out.h"
#include "error.h"

int cc_xml_out_begin(struct cc_xml_out *x)
{
    x->buf = xmlBufferCreate();
    x->w = x->buf ? xmlNewTextWriterMemory(x->buf, 0) : NULL;
    if (!x->w || xmlTextWriterSetIndent(x->w, 1) < 0 ||
        xmlTextWriterSetIndentString(x->w, BAD_CAST "  ") < 0 ||
        xmlTextWriterStartDocument(x->w, "1.0", "UTF-8", NULL) < 0) {
        if (x->w)
            xmlFreeTextWriter(x->w);
        if (x->buf)
            xmlBufferFree(x->buf);
        *x = (struct cc_xml_out){0};
        return cc_error(ENOMEM, "out of memory");
    }
    return 0;
}

int cc_xml_out_end(struct cc_xml_out *x, FILE *out)
{
    int r = xmlTextWriterEndDocument(x->w);

    xmlFreeTextWriter(x->w);
    if (r >= 0)
        fwrite(xmlBufferContent(x->buf), 1, (size_t)xmlBufferLength(x->buf), out);
    xmlBufferFree(x->buf);
    *x = (struct cc_xml_out){0};
    return r < 0 ? cc_error(ENOMEM, "cannot serialise the report") : 0;
}
