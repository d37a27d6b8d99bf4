/* XML reports to a stream through libxml2's writer, so escaping is never hand-made. */
#ifndef CC_XML_OUT_H
#define CC_XML_OUT_H

#include <libxml/xmlwriter.h>
#include <stdio.h>

struct cc_xml_out {
    xmlBufferPtr buf;
    xmlTextWriterPtr w;
};

int cc_xml_out_begin(struct cc_xml_out *x);
/* Ends the document, writes it to out and releases everything (also after errors). */
int cc_xml_out_end(struct cc_xml_out *x, FILE *out);

#endif
