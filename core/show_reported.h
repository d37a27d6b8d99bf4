/* Part of `show`: a source's own CPU model answers kept in a view, beside cpucompat's. */
#ifndef CC_SHOW_REPORTED_H
#define CC_SHOW_REPORTED_H

#include "capdoc.h"
#include "ctx.h"
#include "json.h"

#include <stdio.h>

/* Prints v's reported answers: as a "reported" member into j when j is not NULL, else as text
 * to out. A view without any prints nothing. */
int cc_show_reported(struct cc_ctx *ctx, const struct cc_doc *doc, const char *file,
                     const struct cc_view *v, struct cc_json *j, FILE *out);

#endif
