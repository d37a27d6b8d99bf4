#include "report.h"
#include "error.h"
#include "json.h"
#include "xml_out.h"

#include <string.h>

#define X(s) BAD_CAST(s)

static void text_list(FILE *out, const char *label, const struct cc_strlist *l)
{
    size_t col = (size_t)fprintf(out, "%-13s", label);

    for (size_t i = 0; i < l->n; i++) {
        if (col + strlen(l->items[i]) + 1 > 78) {
            fprintf(out, "\n%-13s", "");
            col = 13;
        }
        col += (size_t)fprintf(out, " %s", l->items[i]);
    }
    fputc('\n', out);
}

static void report_text(const struct cc_verdict *v, const char *src, const char *dst, FILE *out)
{
    size_t wn = 4, ww = 5;

    if (src)
        fprintf(out, "%-13s %s (%s view of %s), %zu features\n", "guest", v->guest, v->src_basis,
                src, v->guest_features.n);
    else /* the destination's question: no source */
        fprintf(out, "%-13s %s, %zu features\n", "guest", v->guest, v->guest_features.n);
    fprintf(out, "%-13s %s (%s view)\n", "destination", dst, v->dst_basis);
    fprintf(out, "%-13s %s; the destination is %s the guest CPU\n", "verdict",
            v->migratable ? "MIGRATABLE" : "NOT MIGRATABLE",
            v->relation == CC_IDENTICAL  ? "identical to"
            : v->relation == CC_SUPERSET ? "a superset of"
            : v->relation == CC_SUBSET   ? "a subset of"
                                         : "incompatible with");
    for (size_t i = 0; i < v->blockers.n; i++) {
        if (strlen(v->blockers.items[i].name) > wn)
            wn = strlen(v->blockers.items[i].name);
        if (strlen(v->blockers.items[i].where) > ww)
            ww = strlen(v->blockers.items[i].where);
    }
    if (v->blockers.n)
        fprintf(out, "%-13s %zu\n", "blockers", v->blockers.n);
    for (size_t i = 0; i < v->blockers.n; i++) {
        const struct cc_blocker *b = &v->blockers.items[i];
        fprintf(out, "  %-*s  %-*s  %s: %s\n", (int)wn, b->name, (int)ww, b->where,
                cc_reason_name(b->reason), b->detail);
    }
    if (v->extra.n)
        text_list(out, "extra", &v->extra);
    if (v->suggestion)
        fprintf(out, "%-13s %s runs on both hosts (cpucompat compare --model %s)\n", "suggestion",
                v->suggestion, v->suggestion);
    for (size_t i = 0; i < v->notes.n; i++)
        fprintf(out, "%-13s %s\n", "note", v->notes.items[i]);
}

static void report_json(const struct cc_verdict *v, const char *src, const char *dst, FILE *out)
{
    struct cc_json j;

    cc_json_init(&j, out);
    cc_json_begin_object(&j);
    cc_json_kv_string(&j, "source", src);
    cc_json_kv_string(&j, "destination", dst);
    cc_json_kv_string(&j, "guest", v->guest);
    cc_json_kv_string(&j, "source_basis", v->src_basis);
    cc_json_kv_string(&j, "destination_basis", v->dst_basis);
    cc_json_kv_bool(&j, "migratable", v->migratable);
    cc_json_kv_string(&j, "relation", cc_relation_name(v->relation));
    cc_json_key(&j, "blockers");
    cc_json_begin_array(&j);
    for (size_t i = 0; i < v->blockers.n; i++) {
        const struct cc_blocker *b = &v->blockers.items[i];
        cc_json_begin_object(&j);
        cc_json_kv_string(&j, "name", b->name);
        cc_json_kv_string(&j, "where", b->where);
        cc_json_kv_string(&j, "reason", cc_reason_name(b->reason));
        cc_json_kv_string(&j, "detail", b->detail);
        cc_json_end_object(&j);
    }
    cc_json_end_array(&j);
    cc_json_kv_strlist(&j, "extra", &v->extra);
    cc_json_kv_strlist(&j, "responsible_properties", &v->responsible);
    cc_json_kv_string(&j, "suggestion", v->suggestion);
    cc_json_kv_strlist(&j, "guest_features", &v->guest_features);
    cc_json_kv_strlist(&j, "notes", &v->notes);
    cc_json_end_object(&j);
    cc_json_finish(&j);
}

static int report_xml(const struct cc_verdict *v, const char *src, const char *dst, FILE *out)
{
    struct cc_xml_out x;
    xmlTextWriterPtr w;
    int r = cc_xml_out_begin(&x), e = 0;

    if (r < 0)
        return r;
    w = x.w;
    e |= xmlTextWriterStartElement(w, X("comparison"));
    e |= xmlTextWriterWriteAttribute(w, X("migratable"), X(v->migratable ? "yes" : "no"));
    e |= xmlTextWriterWriteAttribute(w, X("relation"), X(cc_relation_name(v->relation)));
    e |= xmlTextWriterStartElement(w, X("guest"));
    e |= xmlTextWriterWriteAttribute(w, X("cpu"), X(v->guest));
    if (src) {
        e |= xmlTextWriterWriteAttribute(w, X("source"), X(src));
        e |= xmlTextWriterWriteAttribute(w, X("basis"), X(v->src_basis));
    }
    e |= xmlTextWriterEndElement(w);
    e |= xmlTextWriterStartElement(w, X("destination"));
    e |= xmlTextWriterWriteAttribute(w, X("file"), X(dst));
    e |= xmlTextWriterWriteAttribute(w, X("basis"), X(v->dst_basis));
    e |= xmlTextWriterEndElement(w);
    for (size_t i = 0; i < v->blockers.n; i++) {
        const struct cc_blocker *b = &v->blockers.items[i];
        e |= xmlTextWriterStartElement(w, X("blocker"));
        e |= xmlTextWriterWriteAttribute(w, X("name"), X(b->name));
        e |= xmlTextWriterWriteAttribute(w, X("where"), X(b->where));
        e |= xmlTextWriterWriteAttribute(w, X("reason"), X(cc_reason_name(b->reason)));
        e |= xmlTextWriterWriteString(w, X(b->detail));
        e |= xmlTextWriterEndElement(w);
    }
    for (size_t i = 0; i < v->extra.n; i++) {
        e |= xmlTextWriterStartElement(w, X("extra"));
        e |= xmlTextWriterWriteAttribute(w, X("name"), X(v->extra.items[i]));
        e |= xmlTextWriterEndElement(w);
    }
    if (v->suggestion) {
        e |= xmlTextWriterStartElement(w, X("suggestion"));
        e |= xmlTextWriterWriteAttribute(w, X("model"), X(v->suggestion));
        e |= xmlTextWriterEndElement(w);
    }
    for (size_t i = 0; i < v->notes.n; i++)
        e |= xmlTextWriterWriteElement(w, X("note"), X(v->notes.items[i]));
    e |= xmlTextWriterEndElement(w);
    r = cc_xml_out_end(&x, out);
    return e < 0 && r == 0 ? cc_error(ENOMEM, "cannot serialise the report") : r;
}

int cc_report_compare(const struct cc_verdict *v, const char *src, const char *dst,
                      enum cc_format fmt, FILE *out)
{
    switch (fmt) {
    case CC_FORMAT_TEXT:
        report_text(v, src, dst, out);
        return 0;
    case CC_FORMAT_JSON:
        report_json(v, src, dst, out);
        return 0;
    case CC_FORMAT_XML:
        return report_xml(v, src, dst, out);
    }
    return cc_error(EINVAL, "compare: unsupported output format");
}
