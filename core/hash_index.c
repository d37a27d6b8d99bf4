#include "hash_index.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

/* FNV-1a, then a final mix so that the low bits used for the slot depend on every byte. */
uint64_t cc_hash_bytes(const void *p, size_t len)
{
    const unsigned char *s = p;
    uint64_t h = 0xcbf29ce484222325ULL;

    for (size_t i = 0; i < len; i++)
        h = (h ^ s[i]) * 0x100000001b3ULL;
    return cc_hash_u64(h);
}

static inline uint64_t lane(uint64_t h, uint64_t w)
{
    h ^= w;
    return ((h << 31) | (h >> 33)) * 0x9e3779b97f4a7c15ULL;
}

/* Four lanes of 8 bytes, each a rotate and a multiply (a reader hashes every file it reads), mixed
 * with splitmix64's finaliser at the end. */
uint64_t cc_hash_words(const void *p, size_t len)
{
    const unsigned char *s = p;
    uint64_t a = 0xcbf29ce484222325ULL ^ len, b = 0x84222325cbf29ce4ULL, c = ~a, d = ~b, w[4];
    size_t i = 0;

    for (; i + 32 <= len; i += 32) {
        memcpy(w, s + i, 32);
        a = lane(a, w[0]);
        b = lane(b, w[1]);
        c = lane(c, w[2]);
        d = lane(d, w[3]);
    }
    for (; i + 8 <= len; i += 8) {
        memcpy(w, s + i, 8);
        a = lane(a, w[0]);
    }
    for (w[0] = 0; i < len; i++)
        w[0] = w[0] << 8 | s[i];
    a = lane(a, w[0]);
    return cc_hash_u64(a ^ cc_hash_u64(b ^ cc_hash_u64(c ^ cc_hash_u64(d))));
}

/* splitmix64's finaliser. */
uint64_t cc_hash_u64(uint64_t v)
{
    v ^= v >> 30;
    v *= 0xbf58476d1ce4e5b9ULL;
    v ^= v >> 27;
    v *= 0x94d049bb133111ebULL;
    return v ^ (v >> 31);
}

size_t cc_index_find(const struct cc_index *ix, uint64_t h, const void *array, cc_index_eq_fn eq,
                     const void *key)
{
    if (!ix->cap)
        return SIZE_MAX;
    for (size_t i = (size_t)h & (ix->cap - 1);; i = (i + 1) & (ix->cap - 1)) {
        size_t s = ix->slots[i];

        if (!s)
            return SIZE_MAX;
        if (eq(array, s - 1, key))
            return s - 1;
    }
}

static void place(size_t *slots, size_t cap, uint64_t h, size_t pos)
{
    size_t i = (size_t)h & (cap - 1);

    while (slots[i])
        i = (i + 1) & (cap - 1);
    slots[i] = pos + 1;
}

int cc_index_catch_up(struct cc_index *ix, size_t n, const void *array, cc_index_hash_fn hash_at)
{
    if (n <= ix->n)
        return 0;
    /* At most half full, so that probe runs stay short. */
    if (n * 2 > ix->cap) {
        size_t cap = ix->cap ? ix->cap : 64, *slots;

        while (n * 2 > cap)
            cap *= 2;
        slots = calloc(cap, sizeof(*slots));
        if (!slots)
            return cc_error(ENOMEM, "out of memory");
        for (size_t pos = 0; pos < ix->n; pos++)
            place(slots, cap, hash_at(array, pos), pos);
        free(ix->slots);
        ix->slots = slots;
        ix->cap = cap;
    }
    for (; ix->n < n; ix->n++)
        place(ix->slots, ix->cap, hash_at(array, ix->n), ix->n);
    return 0;
}

void cc_index_free(struct cc_index *ix)
{
    free(ix->slots);
    *ix = (struct cc_index){0};
}
