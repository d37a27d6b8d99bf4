/* The `show` report: a capability file for people (text) or scripts (JSON). */
#ifndef CC_SHOW_H
#define CC_SHOW_H

#include "capdoc.h"
#include "ctx.h"
#include "output.h"

#include <stdio.h>

int cc_show(struct cc_ctx *ctx, const struct cc_doc *doc, const char *file, enum cc_format fmt,
            FILE *out);

#endif
