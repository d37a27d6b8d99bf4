#include "report.h"
#include "error.h"
#include "report_text.h"

#include <string.h>

#define WRAP 78

static const struct {
    const char *report;
    void (*layout)(const struct cc_node *r, FILE *out);
} layouts[] = {
    {"comparison", cc_text_comparison},
    {"models", cc_text_models},
    {"resolution", cc_text_resolution},
    {"baseline", cc_text_baseline},
    {"show", cc_text_show},
    {"inventory", cc_text_inventory},
};

int cc_report_write_text(const struct cc_node *report, FILE *out)
{
    for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++)
        if (strcmp(layouts[i].report, cc_report_name(report)) == 0) {
            layouts[i].layout(report, out);
            return 0;
        }
    return cc_error(EINVAL, "internal: no text layout for the %s report", cc_report_name(report));
}

void cc_text_list(FILE *out, const char *label, int width, const struct cc_node *array)
{
    size_t col = (size_t)fprintf(out, "%-*s", width, label);

    for (size_t i = 0; array && i < array->n; i++) {
        const char *s = array->kids[i]->type == CC_NODE_STRING ? array->kids[i]->s : "";

        if (col + strlen(s) + 1 > WRAP) {
            fprintf(out, "\n%-*s", width, "");
            col = (size_t)width;
        }
        col += (size_t)fprintf(out, " %s", s);
    }
    fputc('\n', out);
}
