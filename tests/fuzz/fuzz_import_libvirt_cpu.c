/* The libvirt-cpu import over any input; what it writes is read back (fuzzlib.c). */
#include "fuzzlib.h"

FUZZ_IMPORT_HARNESS("libvirt-cpu")
