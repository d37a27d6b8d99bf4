/* The data files built into the binary (build-aux/gen-embedded), read when no data directory is
 * found: a binary copied alone to a host still has its catalogs and schema. */
#ifndef CC_EMBEDDED_H
#define CC_EMBEDDED_H

#include <stdbool.h>
#include <stddef.h>

/* What the data directory's path reads as when the built-in copy is used: files are named
 * "(built-in)/x86/features.xml" in messages. */
#define CC_EMBEDDED_ROOT "(built-in)"

struct cc_embedded_file {
    const char *name;  /* relative to the data directory, e.g. "x86/features.xml" */
    const char *start; /* the bytes, followed by a NUL */
    const char *end;   /* one past the last byte (the NUL) */
};

/* Ends with an entry whose name is NULL (generated at build time). */
extern const struct cc_embedded_file cc_embedded_files[];

/* Whether paths under CC_EMBEDDED_ROOT name the built-in files (set by cc_ctx_init when it falls
 * back to them); until then such a path is an ordinary path. */
void cc_embedded_use(bool on);

/* The built-in file at path ("(built-in)/REL") while in use, else NULL. */
const struct cc_embedded_file *cc_embedded_lookup(const char *path);

#endif
