#include "output.h"
#include "error.h"
#include "report.h"

#include <string.h>

static const struct {
    const char *name;
    int (*write)(const struct cc_node *report, FILE *out);
} writers[CC_FORMAT_COUNT] = {
    [CC_FORMAT_TEXT] = {"text", cc_report_write_text},
    [CC_FORMAT_JSON] = {"json", cc_report_write_json},
    [CC_FORMAT_XML] = {"xml", cc_report_write_xml},
};

int cc_format_parse(const char *s, unsigned allowed, enum cc_format *out)
{
    char names[128] = "";

    for (unsigned i = 0; i < CC_FORMAT_COUNT; i++) {
        if (strcmp(s, writers[i].name) == 0 && (allowed & (1u << i))) {
            *out = (enum cc_format)i;
            return 0;
        }
        if (allowed & (1u << i))
            snprintf(names + strlen(names), sizeof(names) - strlen(names), " %s", writers[i].name);
    }
    return cc_error(EINVAL, "--format '%s': not one of%s", s, names);
}

int cc_report_write(const struct cc_node *report, enum cc_format fmt, FILE *out)
{
    if ((unsigned)fmt >= CC_FORMAT_COUNT)
        return cc_error(EINVAL, "unsupported output format");
    return writers[fmt].write(report, out);
}
