/* Reading and writing capability files (format version 1). */
#ifndef CC_CAPDOC_IO_H
#define CC_CAPDOC_IO_H

#include "capdoc.h"
#include "ctx.h"

#include <libxml/tree.h>

/* Reads and validates a capability file ("-" for standard input). */
int cc_doc_read(struct cc_ctx *ctx, const char *path, struct cc_doc **out);

/* Reads a capability file already in memory (path names it in messages). */
int cc_doc_parse(struct cc_ctx *ctx, const char *path, const char *data, size_t len,
                 struct cc_doc **out);

/* The two halves of reading a parsed file, for a reader that may skip the second (the fleet
 * inventory, core/inventory_memo.h): cc_doc_check checks all a file must be (its root, names,
 * properties, the schema) and gives its architecture; after it, cc_doc_decode builds the
 * document and can fail only on what the file's own bytes say (its raw tables). */
int cc_doc_check(struct cc_ctx *ctx, const char *path, xmlDocPtr xdoc,
                 const struct cc_arch_ops **arch);
int cc_doc_decode(struct cc_ctx *ctx, const char *path, xmlDocPtr xdoc,
                  const struct cc_arch_ops *arch, struct cc_doc **out);

/* Serialises doc; features are decoded afresh from the raw data with the current catalog. Only
 * what a reader accepts comes out: every text field is checked first (UTF-8, no control
 * character, tokens 1 to 256 characters; the error names the field), the result must be within
 * the readers' size cap, and it is read back through the reader before it is handed out. */
int cc_doc_to_xml(struct cc_ctx *ctx, const struct cc_doc *doc, char **buf, size_t *len);

/* Serialises and writes atomically to path, or to standard output for "-". */
int cc_doc_write(struct cc_ctx *ctx, const struct cc_doc *doc, const char *path);

#endif
