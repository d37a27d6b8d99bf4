/* The inventory's cluster model, EVC-style: hosts gathered into named groups (by a glob over
 * their file or hostname, or one group per directory), and per group the baseline every member
 * can run, the named models every member runs, and per class what its hosts alone hold back.
 * --admit asks whether one more host can join a group without lowering it. All of it is
 * computed over each class's representatives with the architecture's own baseline, so the work
 * grows with the classes of a group, never with its hosts or their pairs. */
#ifndef CC_INVENTORY_GROUPS_H
#define CC_INVENTORY_GROUPS_H

#include "inventory.h"
#include "verdict.h"

/* What a baseline loses against another: features, best models, and the rest (model name,
 * psABI level, QEMU properties, registers) as "what: before -> after" lines. */
struct cc_inv_loss {
    struct cc_strlist features, models, other;
};

/* A class's share of a group: the group's hosts of that class, and what they hold back. */
struct cc_inv_gclass {
    size_t cls;
    size_t *hosts;
    size_t n_hosts;
    struct cc_inv_rep **reps; /* the class's representatives of the QEMU releases of these hosts */
    const char **files;       /* for each, a host of the group it stands for */
    size_t n_reps;
    struct cc_strlist usable; /* named models usable on each of reps */
    struct cc_inv_loss holds_back;
};

/* One group of one architecture: a NAME whose hosts span architectures is one entry each. */
struct cc_inv_group {
    char *name;
    const struct cc_arch_ops *arch; /* NULL: no host matched */
    struct cc_inv_gclass *classes;
    size_t n_classes, n_hosts;
    bool have_baseline;
    struct cc_baseline baseline;
    char *error; /* why there is no baseline (vendors that differ), or NULL */
    struct cc_strlist models, best;
    struct cc_strlist notes;
};

struct cc_inv_admit {
    char *group, *file;
    const struct cc_arch_ops *arch; /* the group entry's */
    char cls[CC_FINGERPRINT_LEN];   /* the member class it is identical to, or "" */
    bool admitted;
    char *reason; /* when not admitted for a reason that is not a loss (architecture, vendor) */
    struct cc_inv_loss lost;
};

struct cc_inv_groups {
    /* What was asked. */
    char **names, **globs;
    size_t n_specs;
    bool by_dir;
    /* What was found. */
    struct cc_inv_group *items;
    size_t n;
    struct cc_inv_admit *admit; /* NULL: not asked */
};

/* Adds one "NAME=GLOB" (NAME of letters, digits, '.', '_' and '-'; GLOB as fnmatch(3) takes it,
 * a '[' closed). A bad spelling or a NAME given twice is an error naming it. */
int cc_inv_groups_add(struct cc_inv_groups *g, const char *spec);

/* Gathers the groups over the kept hosts of inv and computes each one's baseline, models and
 * holdbacks. A group whose hosts have no common baseline (vendors that differ) keeps the
 * message in its error, and is no failure of the inventory. */
int cc_inv_groups_build(struct cc_ctx *ctx, const struct cc_inventory *inv,
                        struct cc_inv_groups *g);

/* --admit [NAME:]FILE: whether the host in doc (read from file) can join the group without
 * lowering its baseline or its best models. The group is NAME, or the only group there is. An
 * error (no such group, a group without a baseline, a file no baseline takes) returns < 0. */
int cc_inv_groups_admit(struct cc_ctx *ctx, const struct cc_inventory *inv, struct cc_inv_groups *g,
                        const char *arg, const struct cc_doc *doc, const char *file);

/* Where --admit's argument names the file: after NAME: when it starts with a group's name and a
 * colon, else all of it. */
const char *cc_inv_groups_admit_file(const struct cc_inv_groups *g, const char *arg);

void cc_inv_groups_free(struct cc_inv_groups *g);

/* The "groups" array and the "admit" object, added to the inventory report. */
void cc_report_inventory_groups(struct cc_node *report, const struct cc_inventory *inv,
                                const struct cc_inv_groups *g);

/* Their text layout, after the rest of the inventory's. */
void cc_text_inventory_groups(const struct cc_node *r, FILE *out);

#endif
