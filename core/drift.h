/* What changed in one host between two canonical forms (cc_arch_ops.canonical), for inventory's
 * --since: the architecture reads its own two texts (cc_arch_ops.canonical_diff) and says what
 * a guest started on the old host had that the new one cannot give (lost), what the new one
 * gives beyond it (gained), and other values that differ (changed). Helpers here read the texts'
 * common shape, "key=value" lines, without knowing any architecture's keys. */
#ifndef CC_DRIFT_H
#define CC_DRIFT_H

#include "capdoc.h"
#include "strlist.h"

#include <stdbool.h>
#include <stddef.h>

/* One item: a feature or register name, with its old and new values where the form has values
 * (NULL for a named feature, present on one side only). */
struct cc_change {
    char *name, *old, *new;
};

struct cc_changes {
    struct cc_change *items;
    size_t n, cap;
};

struct cc_drift {
    struct cc_changes lost, gained, changed;
};

void cc_changes_add(struct cc_changes *l, const char *name, const char *old, const char *new);
void cc_drift_free(struct cc_drift *d);

/* The value of the first line "key=..." of a canonical text (allocated), or NULL. */
char *cc_canon_get(const char *text, const char *key);

/* The words (separated by spaces) of the union of the lines keys[] of old and of new: those of
 * old missing from new go to lost, those of new missing from old to gained, sorted by name. */
void cc_canon_words(const char *old, const char *new, const char *const *keys, size_t n_keys,
                    struct cc_drift *out);

/* Every "key=value" line of old and new for which skip(arg, key, key_len) is false (skip may be
 * NULL) and whose
 * value differs (or which one side lacks) is a changed item, sorted by key (the first line of a
 * key counts). In n log n of the lines: an old report's text is untrusted. */
void cc_canon_other_lines(const char *old, const char *new,
                          bool (*skip)(const void *arg, const char *key, size_t key_len),
                          const void *arg, struct cc_drift *out);

/* The versions a host's file records (kernel, QEMU, and what its architecture adds: microcode,
 * the kernel whose KVM reported the view) as "name=value" lines, sorted by name; "" when none. */
char *cc_doc_versions(const struct cc_doc *doc);

#endif
