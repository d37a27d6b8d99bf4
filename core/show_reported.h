/* Part of `show`: a source's own CPU model answers kept in a view, beside cpucompat's. */
#ifndef CC_SHOW_REPORTED_H
#define CC_SHOW_REPORTED_H

#include "capdoc.h"
#include "ctx.h"
#include "rtree.h"

/* Adds v's reported answers to its report object view as a "reported" member; a view without
 * any adds nothing. */
int cc_show_reported(struct cc_ctx *ctx, const struct cc_doc *doc, const char *file,
                     const struct cc_view *v, struct cc_node *view);

#endif
