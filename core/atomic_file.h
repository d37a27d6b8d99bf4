/* Output files appear whole or not at all: temporary file in the same directory, fsync, rename. */
#ifndef CC_ATOMIC_FILE_H
#define CC_ATOMIC_FILE_H

#include <stddef.h>

/* Writes len bytes to path atomically, or to standard output when path is "-". */
int cc_write_file_atomic(const char *path, const void *data, size_t len);

#endif
