/* A strict JSON reader for data captured from QEMU and libvirt: RFC 8259 only (no comments, no
 * trailing commas, no NaN), UTF-8 checked, nesting and size bounded, so hostile input fails in
 * bounded time and memory with one line naming the file. A text may hold several documents one
 * after another (libvirt's cputestdata files, `virsh qemu-monitor-command` logs). */
#ifndef CC_JSON_READ_H
#define CC_JSON_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Deeper than anything QEMU writes (QMP replies nest 5 levels); hostile input stops here. */
#define CC_JSON_READ_MAX_DEPTH 64
/* A QMP reply of a host's CPU is tens of KiB; a QEMU capabilities log is a few MiB. */
#define CC_JSON_READ_MAX_BYTES (16u * 1024 * 1024)
/* Every value costs a node: this bounds the memory a file of tiny values can make us take
 * (a libvirt cputestdata file has about 3000). */
#define CC_JSON_READ_MAX_VALUES (256u * 1024)

enum cc_jtype { CC_JNULL, CC_JBOOL, CC_JNUMBER, CC_JSTRING, CC_JARRAY, CC_JOBJECT };

struct cc_jval {
    enum cc_jtype type;
    bool b;
    char *str;             /* a string's value (NUL-free), or a number's literal text */
    struct cc_jval *items; /* array elements, or object member values */
    char **keys;           /* object member names, parallel to items */
    size_t n;
};

struct cc_jdocs {
    struct cc_jval *docs;
    size_t n;
};

/* Parses every document in text (len bytes; text[len] must be NUL). Errors are "file: line N:
 * problem". An empty text (only white space) is an error. */
int cc_json_read(const char *file, const char *text, size_t len, struct cc_jdocs *out);
/* Reads a file (at most CC_JSON_READ_MAX_BYTES; "-" is standard input) and parses it. */
int cc_json_read_file(const char *path, struct cc_jdocs *out);
void cc_jdocs_free(struct cc_jdocs *d);

/* The member of an object by name (the first one), NULL if absent or v is not an object. */
const struct cc_jval *cc_jval_get(const struct cc_jval *v, const char *key);
/* An integral number within [min, max]; -EINVAL otherwise (no message: the caller names it). */
int cc_jval_int(const struct cc_jval *v, int64_t min, int64_t max, int64_t *out);
const char *cc_jtype_name(enum cc_jtype t);

#endif
