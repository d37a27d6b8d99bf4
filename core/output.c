#include "output.h"
#include "error.h"
#include "report.h"

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
};

/* Edit distance (insertions, deletions, substitutions) of two short names, capped at 9. */
static unsigned distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned row[17];

    if (la > 16 || lb > 16)
        return 9;
    for (size_t j = 0; j <= lb; j++)
        row[j] = (unsigned)j;
    for (size_t i = 1; i <= la; i++) {
        unsigned diag = row[0];

        row[0] = (unsigned)i;
        for (size_t j = 1; j <= lb; j++) {
            unsigned up = row[j], best = diag + (a[i - 1] != b[j - 1]);

            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[lb] > 9 ? 9 : row[lb];
}

const char *cc_format_names(unsigned allowed)
{
    static char names[CC_FORMAT_COUNT * 10];

    names[0] = 0;
    for (unsigned i = 0; i < CC_FORMAT_COUNT; i++)
        if (allowed & (1u << i))
            snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
                     names[0] ? " " : "", writers[i].name);
    return names;
}

int cc_format_parse(const char *s, unsigned allowed, enum cc_format *out)
{
    const char *near = NULL;
    unsigned best = 3; /* farther than two edits is not a typing error */

    for (unsigned i = 0; i < CC_FORMAT_COUNT; i++) {
        unsigned d = distance(s, writers[i].name);

        if (d == 0 && (allowed & (1u << i))) {
            *out = (enum cc_format)i;
            return 0;
        }
        if (d == 0)
            return cc_error(EINVAL, "--format %s: not for this command; one of %s", s,
                            cc_format_names(allowed));
        if ((allowed & (1u << i)) && d < best) {
            best = d;
            near = writers[i].name;
        }
    }
    if (near)
        return cc_error(EINVAL, "--format '%s': unknown; did you mean '%s'? (one of %s)", s, near,
                        cc_format_names(allowed));
    return cc_error(EINVAL, "--format '%s': not one of %s", s, cc_format_names(allowed));
}

int cc_report_write(const struct cc_node *report, enum cc_format fmt, FILE *out)
{
    if ((unsigned)fmt >= CC_FORMAT_COUNT)
        return cc_error(EINVAL, "unsupported output format");
    return writers[fmt].write(report, out);
}
