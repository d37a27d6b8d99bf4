/* The formats the virtualization stack reads, as writers over a report's "guest_cpu" member
 * (cpudef.h): qemu prints the -cpu string, libvirt the guest <cpu> element. A resolution that
 * chose nothing prints nothing (its exit status says so). */
#include "error.h"
#include "report.h"

#include <libxml/xmlwriter.h>
#include <string.h>

static int guest_cpu(const struct cc_node *report, const char *format, const struct cc_node **out)
{
    const struct cc_node *g = cc_node_get(report, "guest_cpu");

    *out = NULL;
    if (g && g->type == CC_NODE_OBJECT)
        *out = g;
    else if (strcmp(cc_report_name(report), "resolution") == 0 && !*cc_node_str(report, "chosen"))
        return 0;
    else
        return cc_error(EINVAL,
                        "--format %s: a %s answer names no guest CPU (baseline, expand and "
                        "models --resolve do)",
                        format, cc_report_name(report));
    return 0;
}

int cc_report_write_qemu(const struct cc_node *report, FILE *out)
{
    const struct cc_node *g;
    int r = guest_cpu(report, "qemu", &g);

    if (r < 0 || !g)
        return r;
    if (!*cc_node_str(g, "qemu"))
        return cc_error(ENOTSUP, "--format qemu: %s", cc_node_str(g, "why_not"));
    fprintf(out, "%s\n", cc_node_str(g, "qemu"));
    return 0;
}

/* <cpu mode='custom' match='exact' check='partial'>: the guest gets exactly the model and the
 * named changes (fallback='forbid': libvirt must not swap the model for another), and libvirt
 * checks before starting that the host can give them. */
static int write_cpu(xmlTextWriterPtr w, const struct cc_node *lv)
{
    const struct cc_node *feats = cc_node_get(lv, "features");
    int e = 0;

    if (*cc_node_str(lv, "since"))
        e |= xmlTextWriterWriteFormatComment(w, " libvirt %s and newer ",
                                             cc_node_str(lv, "since")) < 0;
    e |= xmlTextWriterStartElement(w, BAD_CAST "cpu") < 0;
    e |= xmlTextWriterWriteAttribute(w, BAD_CAST "mode", BAD_CAST "custom") < 0;
    e |= xmlTextWriterWriteAttribute(w, BAD_CAST "match", BAD_CAST "exact") < 0;
    e |= xmlTextWriterWriteAttribute(w, BAD_CAST "check", BAD_CAST "partial") < 0;
    e |= xmlTextWriterStartElement(w, BAD_CAST "model") < 0;
    e |= xmlTextWriterWriteAttribute(w, BAD_CAST "fallback", BAD_CAST "forbid") < 0;
    e |= xmlTextWriterWriteString(w, BAD_CAST cc_node_str(lv, "model")) < 0;
    e |= xmlTextWriterEndElement(w) < 0;
    if (*cc_node_str(lv, "maxphysaddr_bits")) {
        e |= xmlTextWriterStartElement(w, BAD_CAST "maxphysaddr") < 0;
        e |= xmlTextWriterWriteAttribute(w, BAD_CAST "mode", BAD_CAST "emulate") < 0;
        e |= xmlTextWriterWriteAttribute(w, BAD_CAST "bits",
                                         BAD_CAST cc_node_str(lv, "maxphysaddr_bits")) < 0;
        e |= xmlTextWriterEndElement(w) < 0;
    }
    for (size_t i = 0; feats && i < feats->n; i++) {
        e |= xmlTextWriterStartElement(w, BAD_CAST "feature") < 0;
        e |= xmlTextWriterWriteAttribute(w, BAD_CAST "policy",
                                         BAD_CAST cc_node_str(feats->kids[i], "policy")) < 0;
        e |= xmlTextWriterWriteAttribute(w, BAD_CAST "name",
                                         BAD_CAST cc_node_str(feats->kids[i], "name")) < 0;
        e |= xmlTextWriterEndElement(w) < 0;
    }
    e |= xmlTextWriterEndElement(w) < 0;
    return e ? -1 : 0;
}

int cc_report_write_libvirt(const struct cc_node *report, FILE *out)
{
    const struct cc_node *g, *lv;
    xmlBufferPtr buf;
    xmlTextWriterPtr w;
    int r = guest_cpu(report, "libvirt", &g), e;

    if (r < 0 || !g)
        return r;
    lv = cc_node_get(g, "libvirt");
    if (!lv || !*cc_node_str(lv, "model"))
        return cc_error(ENOTSUP, "--format libvirt: %s", cc_node_str(g, "why_not"));
    buf = xmlBufferCreate();
    w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
    if (!w) {
        if (buf)
            xmlBufferFree(buf);
        return cc_error(ENOMEM, "out of memory");
    }
    e = xmlTextWriterSetIndent(w, 1) < 0 || xmlTextWriterSetIndentString(w, BAD_CAST "  ") < 0 ||
        write_cpu(w, lv) < 0 || xmlTextWriterFlush(w) < 0;
    xmlFreeTextWriter(w);
    if (!e)
        fwrite(xmlBufferContent(buf), 1, (size_t)xmlBufferLength(buf), out);
    xmlBufferFree(buf);
    return e ? cc_error(ENOMEM, "cannot serialise the <cpu> element") : 0;
}

struct cc_node *cc_report_labels(const struct cc_kvlist *labels, const struct cc_strlist *notes,
                                 const char *file)
{
    struct cc_node *r = cc_report_new("labels");

    cc_add_string(r, "host", file);
    cc_add_kvlist(r, "labels", "label", labels);
    cc_add_strlist(r, "notes", "note", notes);
    return r;
}

/* KubeVirt applies the labels themselves; the notes (what they rest on) go to the reader of
 * the other formats. */
int cc_report_write_labels(const struct cc_node *report, FILE *out)
{
    const struct cc_node *labels = cc_node_get(report, "labels");

    if (!labels || labels->type != CC_NODE_MAP)
        return cc_error(EINVAL, "--format labels: a %s answer holds no node labels",
                        cc_report_name(report));
    for (size_t i = 0; i < labels->n; i++)
        fprintf(out, "%s=%s\n", labels->kids[i]->key, labels->kids[i]->s);
    return 0;
}
