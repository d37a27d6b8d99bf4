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

/* libxml2's RelaxNG compiles a pattern each time it tries one: a property choice of patterned
 * groups cost more than the rest of a file's validation. Where an ARCH-property definition was
 * read whole, this replaces its choice in schema (a copy kept for validation) by one group of an
 * NCName name and a string value; cc_prop_types_check, which every reader runs on every
 * property before validation, checks exactly what the choice did. */
int cc_prop_types_fold(const struct cc_prop_types *t, xmlDocPtr schema);

/* Checks value against the type the schema gives property name on arch: a typed name's type, a
 * name in a typed group's prefix its pattern, any other name property-other's length. On failure
 * returns -EINVAL and writes the reason (e.g. "'0x28' is not a decimal number from 1 to 255") to
 * why. */
int cc_prop_types_check(const struct cc_prop_types *t, const char *arch, const char *name,
                        const char *value, char *why, size_t why_len);

#endif
