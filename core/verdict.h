/* Results of the questions cpucompat answers: which models a host can run, whether a guest can
 * move from one host to another, what every host can run. Architecture-neutral. */
#ifndef CC_VERDICT_H
#define CC_VERDICT_H

#include "strlist.h"

#include <stdbool.h>
#include <stddef.h>

enum cc_reason {
    CC_REASON_MISSING,    /* the destination lacks it */
    CC_REASON_TOO_LOW,    /* the destination's value is lower than the guest's */
    CC_REASON_MUST_EQUAL, /* any difference breaks the guest */
    CC_REASON_INVARIANT,  /* a property the guest relies on would change under it */
    /* The guest would read a different identification (a PMU's maker, a firmware answer, a
     * field the hypervisor never backed) but loses no capability: a warning, not a blocker. */
    CC_REASON_IDENTIFICATION,
};

const char *cc_reason_name(enum cc_reason r);

struct cc_blocker {
    char *name;   /* feature or property, e.g. "avx512f", "vendor" */
    char *where;  /* register location, e.g. "CPUID[7,0].EBX[16]" */
    char *detail; /* one line for people, e.g. "source 48, destination 46" */
    enum cc_reason reason;
    /* The rules that decide it are not known for the destination's exact version (a kernel
     * between two rule sets): judged by the older, reported as uncertain. */
    bool uncertain;
};

struct cc_blockers {
    struct cc_blocker *items;
    size_t n, cap;
    /* A caller that shows only the first blockers (inventory's matrix) sets keep: later ones
     * are only counted in more, and their details never formatted. 0 keeps every one. */
    size_t keep, more;
};

/* Adds a blocker, or only counts it once keep of them are held. */
int cc_blockers_add(struct cc_blockers *b, const char *name, const char *where,
                    enum cc_reason reason, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Whether the next blocker would only be counted: a producer may then skip its formatting and
 * call cc_blockers_add with empty strings. */
static inline bool cc_blockers_full(const struct cc_blockers *b)
{
    return b->keep && b->n >= b->keep;
}
/* Every blocker found, held or only counted. */
static inline size_t cc_blockers_total(const struct cc_blockers *b)
{
    return b->n + b->more;
}
void cc_blockers_free(struct cc_blockers *b);

struct cc_model_status {
    char *name;                /* e.g. "Haswell-v4" */
    struct cc_strlist aliases; /* unversioned names that stand for this version */
    char *family;
    unsigned version;
    char *origin; /* where the definition comes from, e.g. "QEMU 7.2" */
    /* The host's QEMU release when it does not define this model (e.g. "7.2"), else NULL. */
    char *not_in_qemu;
    bool deprecated;
    bool usable;
    struct cc_blockers blockers;
    /* What QEMU's query-cpu-definitions would list as unavailable-features, in its order. */
    struct cc_strlist unavailable;
};

struct cc_models_report {
    /* Set by a caller that reads only each model's name, family, version, deprecation and
     * usable (inventory's classes): a model's blockers are counted past the first and its
     * unavailable features not listed. */
    bool usable_only;
    char *basis; /* "kvm" or "cpu": which view answered */
    char *qemu;  /* the QEMU release the host is judged by, e.g. "10.0.2" (NULL: none applies) */
    struct cc_strlist notes;
    struct cc_model_status *items;
    size_t n, cap;
};

struct cc_model_status *cc_models_report_add(struct cc_models_report *r);
void cc_models_report_free(struct cc_models_report *r);

enum cc_relation { CC_IDENTICAL, CC_SUPERSET, CC_SUBSET, CC_INCOMPATIBLE };
const char *cc_relation_name(enum cc_relation r);

struct cc_options;

struct cc_compare_opts {
    const char *model;                /* NULL: the migratable host model of the source */
    const struct cc_options *options; /* the architecture's own options */
    /* The caller keeps only the verdict, its relation and its blockers (inventory's matrix): no
     * model is searched for a suggestion, the costliest part of a negative answer, and the
     * guest's feature lists are not built (a fleet's matrix judges K^2 pairs). */
    bool verdict_only;
};

struct cc_verdict {
    bool migratable;
    enum cc_relation relation;
    char *guest;     /* e.g. "host model of SRC" or "Haswell-v4" */
    char *src_basis; /* "kvm" or "cpu" */
    char *dst_basis;
    struct cc_strlist guest_features;
    struct cc_blockers blockers;
    /* Changes the guest can observe that take nothing away (CC_REASON_IDENTIFICATION); they do
     * not make it unmigratable unless an architecture's --strict moves them to blockers. */
    struct cc_blockers warnings;
    struct cc_strlist extra; /* the destination has them, the guest does not */
    char *suggestion;        /* newest named model usable on both, or NULL */
    /* QEMU's responsible-properties of query-cpu-model-comparison, groups collapsed (where the
     * architecture answers as that command does) */
    struct cc_strlist responsible;
    struct cc_strlist notes;
};

void cc_verdict_free(struct cc_verdict *v);

struct cc_baseline {
    char *model;                /* closest named model usable on every host, or NULL */
    char *level;                /* the highest ABI level every host gives (x86-64 psABI), or NULL */
    struct cc_strlist extra;    /* features to add to it */
    struct cc_strlist removed;  /* features of the model to take away (s390x) */
    struct cc_strlist features; /* the whole common feature set */
    struct cc_kvlist registers; /* where the architecture baselines registers (arm64) */
    /* QEMU -cpu properties the guest needs on every host beyond the model's defaults, e.g.
     * "phys-bits" -> "39" (x86: a host with fewer address bits than named models get). */
    struct cc_kvlist props;
    char *vendor;
    struct cc_strlist notes;
};

void cc_baseline_free(struct cc_baseline *b);

#endif
