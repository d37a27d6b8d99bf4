/* An index from keys to positions in an array its owner keeps: lookups in constant time where
 * a scan would make building a list of n items cost n^2 (hostile files hold 400,000 of them).
 * The index holds positions only; the owner hashes and compares its own elements. */
#ifndef CC_HASH_INDEX_H
#define CC_HASH_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cc_index {
    size_t *slots; /* position + 1; 0 is an empty slot */
    size_t cap;    /* a power of two, or 0 */
    size_t n;      /* positions 0..n-1 are indexed */
};

typedef uint64_t (*cc_index_hash_fn)(const void *array, size_t pos);
typedef bool (*cc_index_eq_fn)(const void *array, size_t pos, const void *key);

/* The position of the element equal to key (whose hash is h), or SIZE_MAX. */
size_t cc_index_find(const struct cc_index *ix, uint64_t h, const void *array, cc_index_eq_fn eq,
                     const void *key);
/* Indexes positions ix->n..n-1 of array. Returns 0, or -ENOMEM with the message set. */
int cc_index_catch_up(struct cc_index *ix, size_t n, const void *array, cc_index_hash_fn hash_at);
void cc_index_free(struct cc_index *ix);

uint64_t cc_hash_bytes(const void *p, size_t len);
uint64_t cc_hash_u64(uint64_t v);
/* A hash of eight bytes a step, for long keys of an in-memory index only: it depends on the
 * machine's byte order, so nothing written or shown may use it (fingerprints are cc_hash_bytes). */
uint64_t cc_hash_words(const void *p, size_t len);

#endif
