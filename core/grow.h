/* Growable arrays: one place that doubles capacity (xalloc: running out of memory exits). */
#ifndef CC_GROW_H
#define CC_GROW_H

#include <stddef.h>

/* Makes room for element n of *items (capacity *cap, elements of size bytes), doubling from 16.
 * Returns 0 (it cannot fail; the int stays for the callers that check it). */
int cc_grow(void **items, size_t *cap, size_t n, size_t size);

#define CC_GROW(array, cap, n) cc_grow((void **)&(array), &(cap), (n), sizeof(*(array)))

#endif
