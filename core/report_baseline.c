#include "report.h"
#include "error.h"
#include "json.h"
#include "xml_out.h"

#include <string.h>

#define X(s) BAD_CAST(s)

int cc_report_baseline(const struct cc_baseline *b, const char *const *files, size_t n,
                       enum cc_format fmt, FILE *out)
{
    struct cc_json j;
    struct cc_xml_out x;
    int r, e = 0;

    switch (fmt) {
    case CC_FORMAT_TEXT:
        fprintf(out, "%-9s %s\n", "model", b->model ? b->model : "(no named model fits)");
        fprintf(out, "%-9s %s\n", "vendor", b->vendor);
        if (b->level)
            fprintf(out, "%-9s %s\n", "level", b->level);
        fprintf(out, "%-9s", "features");
        for (size_t i = 0, col = 9; i < b->extra.n + b->removed.n; i++) {
            bool add = i < b->extra.n;
            const char *name = add ? b->extra.items[i] : b->removed.items[i - b->extra.n];

            if (col + 2 + strlen(name) > 78) {
                fprintf(out, "\n%-9s", "");
                col = 9;
            }
            col += (size_t)fprintf(out, " %c%s", add ? '+' : '-', name);
        }
        fprintf(out, "%s\n",
                b->extra.n + b->removed.n ? ""
                : b->model                ? " (none beyond the model)"
                                          : " (none)");
        fprintf(out, "%-9s %zu, %zu features in common\n", "hosts", n, b->features.n);
        for (size_t i = 0; i < b->registers.n; i++)
            fprintf(out, "%-9s %-20s %s\n", i ? "" : "registers", b->registers.items[i].key,
                    b->registers.items[i].value);
        for (size_t i = 0; i < b->notes.n; i++)
            fprintf(out, "%-9s %s\n", "note", b->notes.items[i]);
        return 0;
    case CC_FORMAT_JSON:
        cc_json_init(&j, out);
        cc_json_begin_object(&j);
        cc_json_kv_string(&j, "model", b->model);
        cc_json_kv_string(&j, "vendor", b->vendor);
        cc_json_kv_string(&j, "level", b->level);
        cc_json_kv_strlist(&j, "extra_features", &b->extra);
        cc_json_kv_strlist(&j, "removed_features", &b->removed);
        cc_json_kv_strlist(&j, "features", &b->features);
        cc_json_key(&j, "hosts");
        cc_json_begin_array(&j);
        for (size_t i = 0; i < n; i++)
            cc_json_string(&j, files[i]);
        cc_json_end_array(&j);
        cc_json_kv_strlist(&j, "notes", &b->notes);
        cc_json_key(&j, "registers");
        cc_json_begin_object(&j);
        for (size_t i = 0; i < b->registers.n; i++)
            cc_json_kv_string(&j, b->registers.items[i].key, b->registers.items[i].value);
        cc_json_end_object(&j);
        cc_json_end_object(&j);
        cc_json_finish(&j);
        return 0;
    case CC_FORMAT_XML:
        if ((r = cc_xml_out_begin(&x)) < 0)
            return r;
        e |= xmlTextWriterStartElement(x.w, X("baseline"));
        if (b->model)
            e |= xmlTextWriterWriteAttribute(x.w, X("model"), X(b->model));
        e |= xmlTextWriterWriteAttribute(x.w, X("vendor"), X(b->vendor));
        if (b->level)
            e |= xmlTextWriterWriteAttribute(x.w, X("level"), X(b->level));
        for (size_t i = 0; i < b->extra.n; i++) {
            e |= xmlTextWriterStartElement(x.w, X("feature"));
            e |= xmlTextWriterWriteAttribute(x.w, X("policy"), X("require"));
            e |= xmlTextWriterWriteAttribute(x.w, X("name"), X(b->extra.items[i]));
            e |= xmlTextWriterEndElement(x.w);
        }
        for (size_t i = 0; i < b->removed.n; i++) {
            e |= xmlTextWriterStartElement(x.w, X("feature"));
            e |= xmlTextWriterWriteAttribute(x.w, X("policy"), X("disable"));
            e |= xmlTextWriterWriteAttribute(x.w, X("name"), X(b->removed.items[i]));
            e |= xmlTextWriterEndElement(x.w);
        }
        for (size_t i = 0; i < b->registers.n; i++) {
            e |= xmlTextWriterStartElement(x.w, X("register"));
            e |= xmlTextWriterWriteAttribute(x.w, X("name"), X(b->registers.items[i].key));
            e |= xmlTextWriterWriteAttribute(x.w, X("value"), X(b->registers.items[i].value));
            e |= xmlTextWriterEndElement(x.w);
        }
        e |= xmlTextWriterEndElement(x.w);
        r = cc_xml_out_end(&x, out);
        return e < 0 && r == 0 ? cc_error(ENOMEM, "cannot serialise the report") : r;
    }
    return cc_error(EINVAL, "baseline: unsupported output format");
}
