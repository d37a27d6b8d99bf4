/* Shared finish for the x86 imports: mask, sort, identity, origin and the "cpu" view. */
#ifndef CC_X86_IMPORT_H
#define CC_X86_IMPORT_H

#include "x86.h"

/* Takes ownership of raw in all cases. */
int x86_import_finish(struct cc_ctx *ctx, const char *path, const char *format, struct x86_raw *raw,
                      struct cc_doc *doc);

#endif
