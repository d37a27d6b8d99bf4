/* A fleet reader's memory of files it has judged: hosts of one kind have files that differ only
 * in the origin's hostname and creation time, and a file equal to one read before, byte for
 * byte apart from those two values, decodes to the same document but for them: the same
 * canonical form (no architecture's reads them), the same QEMU release and versions. Once such a
 * file has passed every check (cc_doc_check), the reader takes what it found for the first and
 * skips decoding and the canonical form, two fifths of its work per file. Equality is checked
 * on the bytes, not trusted to a hash. */
#ifndef CC_INVENTORY_MEMO_H
#define CC_INVENTORY_MEMO_H

#include "hash_index.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a reader found for a file. */
struct cc_inv_memo_entry {
    uint32_t id;    /* its canonical form, among those the reader has met */
    char *qemu;     /* origin qemu-version, or NULL */
    char *versions; /* cc_doc_versions */
};

struct cc_inv_memo {
    char **bytes; /* each file's bytes without the two values */
    size_t *lens;
    uint64_t *hashes;
    struct cc_inv_memo_entry *entries;
    size_t n, cap, cap_lens, cap_hashes, cap_entries, total;
    struct cc_index index;
};

/* A file's bytes as the memory compares them; one key is reused from file to file. */
struct cc_inv_memo_key {
    char *bytes;
    size_t len, cap;
    uint64_t hash;
};

/* The key of a file (data, len) whose origin the parser read as hostname and created (either
 * NULL when absent). A value written with a character reference or normalised whitespace is
 * kept in the key, so such files are only remembered alike when they are alike. */
void cc_inv_memo_key(struct cc_inv_memo_key *key, const char *data, size_t len,
                     const char *hostname, const char *created);
/* What was found for key, or NULL. */
const struct cc_inv_memo_entry *cc_inv_memo_find(const struct cc_inv_memo *m,
                                                 const struct cc_inv_memo_key *key);
/* Remembers (copies of) key and what was found; beyond a bound on the bytes kept, it does not. */
void cc_inv_memo_add(struct cc_inv_memo *m, const struct cc_inv_memo_key *key, uint32_t id,
                     const char *qemu, const char *versions);
void cc_inv_memo_key_free(struct cc_inv_memo_key *key);
void cc_inv_memo_free(struct cc_inv_memo *m);

#endif
