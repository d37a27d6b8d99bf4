/* Reading and writing capability files (format version 1). */
#ifndef CC_CAPDOC_IO_H
#define CC_CAPDOC_IO_H

#include "capdoc.h"
#include "ctx.h"

/* Reads and validates a capability file ("-" for standard input). */
int cc_doc_read(struct cc_ctx *ctx, const char *path, struct cc_doc **out);

/* Serialises doc; features are decoded afresh from the raw data with the current catalog. */
int cc_doc_to_xml(struct cc_ctx *ctx, const struct cc_doc *doc, char **buf, size_t *len);

/* Serialises and writes atomically to path, or to standard output for "-". */
int cc_doc_write(struct cc_ctx *ctx, const struct cc_doc *doc, const char *path);

#endif
