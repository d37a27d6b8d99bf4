/* The schema's bounded strings (its "token" definition: a string of 1 to 256 characters),
 * checked by cpucompat instead of by libxml2. libxml2's RelaxNG checks a length facet by
 * looking its type up by name, building the facet, parsing its number and freeing it again, for
 * every attribute it checks: half of a capability file's validation. Where the schema says
 * exactly "this attribute (or this element's text) is a token" everywhere that attribute or
 * element occurs, the copy of the schema kept for validation takes any text there, and
 * cc_token_check, run on every document before validation, refuses what the lengths refused. */
#ifndef CC_TOKEN_FOLD_H
#define CC_TOKEN_FOLD_H

#include <libxml/tree.h>

struct cc_token_slots;

/* Finds the token slots of schema (a document of capabilities.rng) and folds them in place.
 * *out is NULL when the schema has no token definition of that shape or a construct this reading
 * does not follow (name classes, includes): then nothing is folded. */
int cc_token_fold(xmlDocPtr schema, struct cc_token_slots **out);
void cc_token_slots_free(struct cc_token_slots *s);

/* Refuses (-EINVAL, a message naming file, line and slot) a value in a folded slot of doc
 * outside the token's length; slots may be NULL (nothing folded). */
int cc_token_check(const struct cc_token_slots *slots, const char *file, xmlDocPtr doc);

#endif
