/* Validation of capability files against data/schema/capabilities.rng. */
#ifndef CC_SCHEMA_H
#define CC_SCHEMA_H

#include "ctx.h"

#include <libxml/tree.h>

/* Validates doc (read from file, used in messages); the schema is compiled once per ctx. */
int cc_schema_validate(struct cc_ctx *ctx, const char *file, xmlDocPtr doc);

#endif
