#include "output.h"
#include "error.h"
#include "report.h"
#include "suggest.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    int (*write)(const struct cc_node *report, FILE *out);
} writers[CC_FORMAT_COUNT] = {
    [CC_FORMAT_TEXT] = {"text", cc_report_write_text},
    [CC_FORMAT_JSON] = {"json", cc_report_write_json},
    [CC_FORMAT_XML] = {"xml", cc_report_write_xml},
    [CC_FORMAT_QEMU] = {"qemu", cc_report_write_qemu},
    [CC_FORMAT_LIBVIRT] = {"libvirt", cc_report_write_libvirt},
    [CC_FORMAT_LABELS] = {"labels", cc_report_write_labels},
    [CC_FORMAT_CSV] = {"csv", cc_report_write_csv},
    [CC_FORMAT_CSV_MATRIX] = {"csv-matrix", cc_report_write_csv_matrix},
    [CC_FORMAT_HTML] = {"html", cc_report_write_html},
};

const char *cc_format_names(unsigned allowed)
{
    static char names[CC_FORMAT_COUNT * 12];

    names[0] = 0;
    for (unsigned i = 0; i < CC_FORMAT_COUNT; i++)
        if (allowed & (1u << i))
            snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
                     names[0] ? " " : "", writers[i].name);
    return names;
}

int cc_format_parse(const char *s, unsigned allowed, enum cc_format *out)
{
    char hint[CC_SUGGEST_MAX + 32];
    struct cc_suggest near;

    cc_suggest_init(&near, s);
    for (unsigned i = 0; i < CC_FORMAT_COUNT; i++) {
        if (strcmp(s, writers[i].name) == 0) {
            if (allowed & (1u << i)) {
                *out = (enum cc_format)i;
                return 0;
            }
            return cc_error(EINVAL, "--format %s: not for this command; one of %s", s,
                            cc_format_names(allowed));
        }
        if (allowed & (1u << i))
            cc_suggest_add(&near, writers[i].name);
    }
    return cc_error(EINVAL, "--format '%s': not one of %s%s", s, cc_format_names(allowed),
                    cc_suggest_text(cc_suggest_best(&near), hint, sizeof(hint)));
}

int cc_report_write(const struct cc_node *report, enum cc_format fmt, FILE *out)
{
    if ((unsigned)fmt >= CC_FORMAT_COUNT)
        return cc_error(EINVAL, "unsupported output format");
    return writers[fmt].write(report, out);
}
