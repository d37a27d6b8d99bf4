/* The `show` report: a capability file for people or scripts, as a report tree. */
#ifndef CC_SHOW_H
#define CC_SHOW_H

#include "capdoc.h"
#include "ctx.h"
#include "rtree.h"

/* "show": the file's origin, identity and views with their named features (sorted). */
int cc_show(struct cc_ctx *ctx, const struct cc_doc *doc, const char *file, struct cc_node **out);

#endif
