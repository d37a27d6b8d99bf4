/* The fleet inventory: every capability file of a fleet read once (inventory_read.c), hosts
 * grouped into classes by fingerprint, one representative per class judged against every other
 * with the compare engine (inventory_classes.c), mutually migratable classes gathered into
 * domains (inventory_domains.c), and the answer as one report tree (inventory_report.c). Work
 * per host is reading its file; work between hosts is per class, never per pair of hosts. */
#ifndef CC_INVENTORY_H
#define CC_INVENTORY_H

#include "capdoc.h"
#include "ctx.h"
#include "fingerprint.h"
#include "rtree.h"
#include "strlist.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cc_inv_drift;

struct cc_inv_host {
    char *file;
    char *hostname; /* origin hostname, or NULL when the file does not say */
    char *created;  /* origin created (UTC, ISO 8601), or NULL */
    char *qemu;     /* origin qemu-version, or NULL */
    char *path;     /* file relative to the argument it was found under (drift's match) */
    char *versions; /* "name=value" lines: kernel, QEMU, microcode... (cc_doc_versions) */
    int64_t mtime;  /* the file's modification time: breaks ties between duplicates */
    const struct cc_arch_ops *arch;
    size_t cls;           /* index into classes */
    size_t superseded_by; /* a newer file of the same hostname, or SIZE_MAX when kept */
};

/* One blocker of a class pair, as compare gave it first. */
struct cc_inv_blocker {
    char *name, *detail;
};

#define CC_INV_BLOCKERS 3 /* the first blockers kept per pair */

struct cc_inv_cell {
    bool migratable;
    int relation; /* enum cc_relation */
    struct cc_inv_blocker blockers[CC_INV_BLOCKERS];
    size_t n_blockers, n_all; /* kept, and how many compare found */
};

/* A representative of a class per QEMU release its hosts are judged by. */
struct cc_inv_rep {
    size_t host;
    struct cc_doc *doc;
};

struct cc_inv_class {
    char id[CC_FINGERPRINT_LEN];
    char *canonical;
    const struct cc_arch_ops *arch;
    size_t *hosts; /* kept hosts, in file order */
    size_t n_hosts, cap_hosts;
    struct cc_inv_rep *reps; /* reps[0] is the class's representative for compare */
    size_t n_reps;
    struct cc_strlist models; /* named models usable on every representative */
    struct cc_strlist best;   /* the newest usable version of each model family */
};

struct cc_inv_error {
    char *file, *message;
};

struct cc_inventory {
    struct cc_inv_host *hosts;
    size_t n_hosts;
    struct cc_inv_class *classes;
    size_t n_classes;
    struct cc_inv_error *errors;
    size_t n_errors, cap_errors;
    struct cc_inv_cell *matrix; /* n_classes x n_classes, [src * n + dst] */
    size_t **domains;           /* each a sorted list of class indexes */
    size_t *domain_sizes;
    size_t n_domains;
    unsigned workers; /* reader processes used */
    /* --guest: what was asked, and per class whether its hosts can take it (NULL: not asked) */
    char *guest;
    bool *accepts;
    struct cc_inv_drift *drift; /* --since (inventory_drift.c), or NULL */
};

/* The capability files named by paths: files as given, directories searched recursively for
 * *.xml (without following symbolic links), sorted by path. A directory that cannot be read is
 * an entry in inv->errors, not a failure. */
int cc_inventory_scan(struct cc_inventory *inv, const char *const *paths, size_t n,
                      struct cc_strlist *files);

/* Reads files with up to workers reader processes (0: one per online CPU, at most 8); a file
 * that cannot be read is an entry of inv->errors. Then groups the hosts into classes, keeps the
 * newest file of each hostname, and loads each class's representatives. */
int cc_inventory_read(struct cc_ctx *ctx, struct cc_inventory *inv, const struct cc_strlist *files,
                      unsigned workers);

/* Usable models of every class, the class matrix by the compare engine, and the domains. */
int cc_inventory_judge(struct cc_ctx *ctx, struct cc_inventory *inv);

/* The domains: the largest groups of classes whose hosts can all take each other's host-model
 * guests (maximal cliques of the mutual-migration graph). */
int cc_inventory_domains(struct cc_inventory *inv);

/* --guest FILE ("-": standard input, read once): a capability file (*doc, its host-model guest)
 * or a guest definition as compare --guest reads it (*def_file, the path to read it from; for
 * standard input a memory file open as *def_fd, which the caller closes). */
int cc_inventory_guest_read(struct cc_ctx *ctx, const char *path, struct cc_doc **doc,
                            char **def_file, int *def_fd);

/* --guest: which classes can take the guest CPU of the host file guest_file (guest_doc), the
 * guest definition read from def_file (the hosts compare --guest accepts), or the named model
 * (model). Returns the number of hosts that can, or an error. */
int cc_inventory_guest(struct cc_ctx *ctx, struct cc_inventory *inv, const struct cc_doc *guest_doc,
                       const char *guest_file, const char *def_file, const char *model,
                       size_t *n_hosts);

/* Each host's path relative to the argument (roots) it was found under: below a directory, the
 * rest of the path; a file given itself, its last component. */
void cc_inventory_relative(struct cc_inventory *inv, const char *const *roots, size_t n);

/* --since: what changed per host since the hosts of old (a previous inventory's JSON, or
 * capability files and directories), into inv->drift; a bad file among old ones is an entry of
 * inv->errors. Sets *n_lost to the hosts that lost a feature or register. */
int cc_inventory_since(struct cc_ctx *ctx, struct cc_inventory *inv, const char *const *old,
                       size_t n_old, unsigned workers, size_t *n_lost);
void cc_inv_drift_free(struct cc_inv_drift *d);
/* The report's "drift" member. */
void cc_report_inventory_drift(struct cc_node *report, const struct cc_inventory *inv);

/* Appends an error (file may be NULL). */
void cc_inventory_error(struct cc_inventory *inv, const char *file, const char *message);

void cc_inventory_free(struct cc_inventory *inv);

/* The "inventory" report. */
struct cc_node *cc_report_inventory(const struct cc_inventory *inv);

#endif
