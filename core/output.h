/* Output formats of the commands that print reports. Each is a writer over a report tree
 * (report.h); a new format is one more enum value, name and writer in output.c. */
#ifndef CC_OUTPUT_H
#define CC_OUTPUT_H

enum cc_format {
    CC_FORMAT_TEXT,
    CC_FORMAT_JSON,
    CC_FORMAT_XML,
    CC_FORMAT_QEMU,       /* a guest CPU as QEMU's -cpu string */
    CC_FORMAT_LIBVIRT,    /* a guest CPU as libvirt's <cpu> element */
    CC_FORMAT_LABELS,     /* a host as KubeVirt's node labels */
    CC_FORMAT_CSV,        /* the inventory's host list */
    CC_FORMAT_CSV_MATRIX, /* the inventory's class matrix */
    CC_FORMAT_HTML,       /* the inventory as a page for people */
    CC_FORMAT_COUNT
};

/* The formats every report can be printed in (text, json, xml), for --format. */
#define CC_FORMATS_ALL ((1u << CC_FORMAT_TEXT) | (1u << CC_FORMAT_JSON) | (1u << CC_FORMAT_XML))
/* ... and of the answers that name a guest CPU (baseline, expand, models --resolve). */
#define CC_FORMATS_CPU (CC_FORMATS_ALL | (1u << CC_FORMAT_QEMU) | (1u << CC_FORMAT_LIBVIRT))
/* ... and of the answers about one host (models, show). */
#define CC_FORMATS_LABELS (CC_FORMATS_ALL | (1u << CC_FORMAT_LABELS))
/* ... and of the fleet inventory. */
#define CC_FORMATS_INVENTORY                                                                       \
    (CC_FORMATS_ALL | (1u << CC_FORMAT_CSV) | (1u << CC_FORMAT_CSV_MATRIX) | (1u << CC_FORMAT_HTML))

/* Parses a format name; allowed is a bit mask of (1 << enum cc_format). A name that is not
 * allowed gets the allowed ones, and the nearest of them when it looks like a typing error. */
int cc_format_parse(const char *s, unsigned allowed, enum cc_format *out);

/* The names of the allowed formats: "text json xml". */
const char *cc_format_names(unsigned allowed);

#endif
