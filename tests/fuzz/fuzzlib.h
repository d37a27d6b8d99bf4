/* What every libFuzzer harness under tests/fuzz/ shares. A harness is one file fuzz_NAME.c
 * defining LLVMFuzzerTestOneInput; its seeds live in corpus/NAME/ and its dictionary (if any) in
 * dict/NAME.dict. The Makefile finds harnesses by that file name: adding one needs nothing else.
 *
 * Harnesses write no file: readers that take a path read the input through a memfd
 * (/proc/self/fd/N). The context and the catalogs it caches are made once per process (they are
 * read-only after loading); the error message is cleared before each input. */
#ifndef CC_FUZZLIB_H
#define CC_FUZZLIB_H

#include "../../core/arch.h"
#include "../../core/capdoc.h"
#include "../../core/ctx.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The process's context (data dir: $CPUCOMPAT_DATADIR, else the tree's data/). Also clears the
 * error message: call it first for every input. */
struct cc_ctx *fuzz_begin(void);

/* The input as a file: a path a reader can open, valid until the next call. */
const char *fuzz_file(const uint8_t *data, size_t size);

/* A property the code promises was broken: prints what and aborts, which libFuzzer records as a
 * finding with its reproducer. */
void fuzz_violation(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* A capability file from the tree (relative to its top, e.g. "tests/data/x86/hosts/X.xml"), or
 * an import of a tree file in the given format; aborts if it cannot (the harness is broken). */
struct cc_doc *fuzz_tree_doc(const char *rel);
struct cc_doc *fuzz_tree_import(const char *format, const char *rel);

struct cc_node;
/* Prints a report in every format and frees it; its JSON must be read by the JSON reader and
 * its XML by the XML reader (what one half of the tool writes, the other half reads). */
void fuzz_report(struct cc_node *report);

/* Runs one import format over the input; when it succeeds and serialises, the reader must
 * accept what was written and writing that again must give the same bytes. */
int fuzz_import(const char *format, const uint8_t *data, size_t size);

/* A whole harness of one import format, e.g. FUZZ_IMPORT_HARNESS("cpuid-raw"). */
#define FUZZ_IMPORT_HARNESS(format)                                                                \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)                                   \
    {                                                                                              \
        fuzz_import(format, data, size);                                                           \
        return 0;                                                                                  \
    }

#endif
