/* Which releases the data catalogs were made from, as the files themselves say (e.g. the qemu
 * attribute of each model version): what `cpucompat --version` reports. An architecture
 * declares where its catalogs say it (cc_arch_ops.data_versions); core reads the files. */
#ifndef CC_DATA_VERSIONS_H
#define CC_DATA_VERSIONS_H

#include "strlist.h"

#include <stdbool.h>

struct cc_ctx;
struct cc_arch_ops;

/* One catalog; a table of them ends with an entry whose label is NULL. */
struct cc_data_version {
    const char *label;   /* what the values are, e.g. "CPU models, QEMU" */
    const char *file;    /* in the architecture's data folder: a .xml file, or a folder of them */
    const char *element; /* the elements carrying the version */
    const char *attr;    /* their attribute; a value may list several, separated by spaces */
    bool span;           /* report the first and last value (and how many) rather than all */
};

/* The distinct values, in the order first met, of every element/attr of the declared file. */
int cc_data_version_values(const struct cc_ctx *ctx, const struct cc_arch_ops *arch,
                           const struct cc_data_version *v, struct cc_strlist *values);

/* One line per declared catalog of every architecture, "x86_64 CPU models, QEMU: 7.2 10.2". */
int cc_data_versions(const struct cc_ctx *ctx, struct cc_strlist *lines);

#endif
