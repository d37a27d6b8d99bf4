/* Validation of capability files against data/schema/capabilities.rng. */
#ifndef CC_SCHEMA_H
#define CC_SCHEMA_H

#include "ctx.h"

#include <libxml/tree.h>

/* Validates doc (read from file, used in messages); the schema is compiled once per ctx. */
int cc_schema_validate(struct cc_ctx *ctx, const char *file, xmlDocPtr doc);
/* The schema's numeric property types (see prop_types.h), loaded with the schema. */
int cc_schema_prop_types(struct cc_ctx *ctx, const struct cc_prop_types **out);

#endif
