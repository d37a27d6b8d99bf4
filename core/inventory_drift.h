/* The insides of inventory --since (inventory_drift.c, the old inventory's JSON in
 * inventory_drift_json.c, the report member in inventory_drift_report.c). */
#ifndef CC_INVENTORY_DRIFT_H
#define CC_INVENTORY_DRIFT_H

#include "drift.h"
#include "inventory.h"

/* One host of either side: where its file is, how to pair it, its class and versions. */
struct cc_drift_host {
    char *file, *path, *hostname, *versions;
    const struct cc_arch_ops *arch;
    char id[CC_FINGERPRINT_LEN];
    size_t canon; /* index into its side's canon */
};

struct cc_drift_side {
    struct cc_drift_host *hosts;
    size_t n_hosts, cap_hosts;
    char **canon; /* the canonical texts of the side's classes */
    size_t n_canon, cap_canon;
};

/* A paired host whose class or versions changed. */
struct cc_drift_entry {
    size_t old_host, new_host;
    bool by_hostname;
    struct cc_drift d;        /* the architecture's diff of the two canonical texts */
    struct cc_drift versions; /* changed: the versions that differ */
};

struct cc_inv_drift {
    char **since;
    size_t n_since;
    struct cc_drift_side old, now;
    struct cc_drift_entry *entries; /* hosts that lost something first */
    size_t n_entries, cap_entries;
    size_t *appeared, n_appeared, cap_appeared; /* into now.hosts */
    size_t *gone, n_gone, cap_gone;             /* into old.hosts */
    size_t n_unchanged, n_lost;
};

void cc_drift_side_host(struct cc_drift_side *s, const char *file, const char *path,
                        const char *hostname, const struct cc_arch_ops *arch, const char *id,
                        size_t canon, const char *versions);
/* Adds a canonical text; returns its index. */
size_t cc_drift_side_canon(struct cc_drift_side *s, const char *text);
void cc_drift_side_free(struct cc_drift_side *s);

/* The hosts of a previous inventory's JSON (file), checked member by member. */
int cc_drift_old_json(const char *file, struct cc_drift_side *out);

#endif
