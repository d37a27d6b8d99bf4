/* The types of numeric properties, as the capability file schema declares them (one group per
 * property in its ARCH-property definitions): read from the schema, so that the schema stays
 * the one statement of what a value may be, and checked with core's strict number parser so
 * that a bad value is refused with the file, the property and the reason. */
#ifndef CC_PROP_TYPES_H
#define CC_PROP_TYPES_H

#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cc_prop_types;

/* Collects the typed property groups of every ARCH-property definition of a schema document. */
int cc_prop_types_load(xmlDocPtr schema, const char *schema_path, struct cc_prop_types **out);
void cc_prop_types_free(struct cc_prop_types *t);

/* Checks value against the type the schema gives property name on arch; a property without a
 * type of its own passes. On failure returns -EINVAL and writes the reason (e.g. "'0x28' is not
 * a decimal number from 1 to 255") to why. */
int cc_prop_types_check(const struct cc_prop_types *t, const char *arch, const char *name,
                        const char *value, char *why, size_t why_len);

#endif
