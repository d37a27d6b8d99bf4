/* A host's class fingerprint: a stable hash of its architecture's canonical guest-visible form
 * (cc_arch_ops.canonical). show prints it for one host, inventory names its classes by it, so a
 * script can group hosts either way. */
#ifndef CC_FINGERPRINT_H
#define CC_FINGERPRINT_H

#include "capdoc.h"
#include "ctx.h"

#include <stddef.h>
#include <stdint.h>

#define CC_FINGERPRINT_LEN 17 /* 16 hex digits and the terminator */

/* The hash of a canonical text as 16 lower-case hex digits. */
void cc_fingerprint_of(const char *canonical, size_t len, char out[CC_FINGERPRINT_LEN]);

/* The canonical text of doc (allocated), without its fingerprint: a fleet's readers only find
 * it among the texts they have met (by string), the parent hashes each new one once. */
int cc_canonical(struct cc_ctx *ctx, const struct cc_doc *doc, const char *file, char **canonical);
/* The canonical text of doc (allocated, in *canonical when not NULL) and its fingerprint. An
 * architecture without a canonical form is an error naming the file. */
int cc_fingerprint(struct cc_ctx *ctx, const struct cc_doc *doc, const char *file,
                   char out[CC_FINGERPRINT_LEN], char **canonical);

#endif
