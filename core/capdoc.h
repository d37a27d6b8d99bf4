/* The capability document: what one host (or one import, or one model) can offer, in memory.
 * Architecture-neutral; raw register data is owned by the architecture's ops table. */
#ifndef CC_CAPDOC_H
#define CC_CAPDOC_H

#include "hash_index.h"
#include "strlist.h"

#include <stddef.h>
#include <stdint.h>

#define CC_FORMAT_VERSION 1
/* A file has a cpu and a kvm view at most; real views carry a few hundred properties at most
 * (arm64: a writable mask per ID register). Readers refuse more, and writers never write it. */
#define CC_MAX_VIEWS      2
#define CC_MAX_PROPERTIES 4096

struct cc_arch_ops;

/* A CPU model answer the source of an import gave itself (libvirt's domcapabilities custom
 * mode), kept so show can print it beside cpucompat's own. */
struct cc_reported_model {
    char *name;
    char *usable;    /* "yes", "no" or "unknown", as the source says */
    char *canonical; /* the versioned name it stands for, or NULL */
    char *blockers;  /* space-separated names in the source's spelling, or NULL */
};

struct cc_view {
    char *name;   /* "cpu": what the CPU reports; "kvm": what KVM can give a guest */
    char *source; /* how it was obtained, e.g. "KVM_GET_SUPPORTED_CPUID" */
    struct cc_kvlist props;
    void *raw;         /* owned; released with arch->raw_free */
    char *reported_by; /* who gave the reported answers; NULL: none kept */
    struct cc_reported_model *reported;
    size_t n_reported, cap_reported;
    struct cc_index reported_index; /* by name: a cache reports thousands, each checked once */
};

struct cc_doc {
    const struct cc_arch_ops *arch;
    char *tool_version;
    struct cc_kvlist origin;   /* method, created, hostname, kernel, import-format, import-file */
    struct cc_kvlist identity; /* vendor, family, ... in the architecture's order */
    struct cc_view *views;
    size_t n_views;
    /* What its architecture derived from the document for a fleet's many compares (a cache:
     * dropped when a view is added, freed with the document by memo_free). */
    void *memo;
    void (*memo_free)(void *memo);
};

/* Drops the document's memo (any change to it makes the memo stale). */
void cc_doc_forget(struct cc_doc *doc);

/* A new empty document (never NULL: allocation exits on failure, core/xalloc.h). */
struct cc_doc *cc_doc_new(const struct cc_arch_ops *arch);
void cc_doc_free(struct cc_doc *doc);

/* Appends an empty view; the pointer stays valid until the next cc_doc_add_view. */
int cc_doc_add_view(struct cc_doc *doc, const char *name, const char *source, struct cc_view **out);
/* The one ending of every builder of a view: with status 0, adds a view that takes over raw and
 * props (props may be NULL); with a failed status, or if adding fails, releases both and
 * returns the error. out (may be NULL) gets the view. */
int cc_doc_finish_view(struct cc_doc *doc, int status, const char *name, const char *source,
                       void *raw, struct cc_kvlist *props, struct cc_view **out);
const struct cc_view *cc_doc_view(const struct cc_doc *doc, const char *name);
/* libvirt reports some 200 x86 models; a list far longer is not a real source's answer. */
#define CC_MAX_REPORTED 4096

/* Appends a reported model answer (canonical may be NULL); a name given twice, or more than
 * CC_MAX_REPORTED of them, is an error. */
int cc_view_add_reported(struct cc_view *v, const char *name, const char *usable,
                         const char *canonical);
struct cc_reported_model *cc_view_reported(const struct cc_view *v, const char *name);
/* Joins the names with spaces (an empty list clears them). */
int cc_reported_set_blockers(struct cc_reported_model *m, const struct cc_strlist *names);
/* The view a host's answers come from: "kvm" when the file has it, else "cpu" (or NULL). */
const struct cc_view *cc_doc_host_view(const struct cc_doc *doc);

/* A numeric property of a view, read with core's strict parser (number.h): 1 with *out set, 0
 * when the view does not have it, or an error naming file and property. */
int cc_view_decimal(const struct cc_view *v, const char *file, const char *name, uint64_t min,
                    uint64_t max, uint64_t *out);
int cc_view_hex(const struct cc_view *v, const char *file, const char *name, uint64_t *out);

/* Fills origin with method, the creation time (UTC, or $SOURCE_DATE_EPOCH), hostname and kernel. */
int cc_doc_stamp_origin(struct cc_doc *doc, const char *method);
/* The same for an import: method "import", the format's name and the imported file's base name. */
int cc_doc_stamp_import(struct cc_doc *doc, const char *format, const char *path);

static inline void cc_doc_freep(struct cc_doc **d)
{
    cc_doc_free(*d);
}
#define _cleanup_doc_ __attribute__((cleanup(cc_doc_freep)))

#endif
