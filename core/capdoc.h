/* The capability document: what one host (or one import, or one model) can offer, in memory.
 * Architecture-neutral; raw register data is owned by the architecture's ops table. */
#ifndef CC_CAPDOC_H
#define CC_CAPDOC_H

#include "strlist.h"

#include <stddef.h>

#define CC_FORMAT_VERSION 1

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
    size_t n_reported;
};

struct cc_doc {
    const struct cc_arch_ops *arch;
    char *tool_version;
    struct cc_kvlist origin;   /* method, created, hostname, kernel, import-format, import-file */
    struct cc_kvlist identity; /* vendor, family, ... in the architecture's order */
    struct cc_view *views;
    size_t n_views;
};

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

/* Fills origin with method, the creation time (UTC, or $SOURCE_DATE_EPOCH), hostname and kernel. */
int cc_doc_stamp_origin(struct cc_doc *doc, const char *method);

static inline void cc_doc_freep(struct cc_doc **d)
{
    cc_doc_free(*d);
}
#define _cleanup_doc_ __attribute__((cleanup(cc_doc_freep)))

#endif
