/* s390x internals shared by the files of arch/s390x/. core/ never includes this.
 *
 * A CPU model here is QEMU's: a CPU definition (machine type, generation, GA level) and a set of
 * QEMU features. Hosts and models meet in that form, and every answer (compare, baseline,
 * models) is QEMU's own arithmetic on it (target/s390x/cpu_models*.c), done offline. */
#ifndef CC_S390X_H
#define CC_S390X_H

#include "../../core/arch.h"
#include "../../core/ctx.h"

#include <stdbool.h>
#include <stdint.h>

#define S390X_MAX_FEATS  512
#define S390X_WORDS      (S390X_MAX_FEATS / 64)
#define S390X_NAME_SLOTS (2 * S390X_MAX_FEATS) /* a power of two */

/* A set of features by catalog index (QEMU's S390_FEAT_* order). */
struct s390x_feats {
    uint64_t w[S390X_WORDS];
};

static inline bool s390x_has(const struct s390x_feats *s, int i)
{
    return (s->w[i / 64] >> (i % 64)) & 1;
}
static inline void s390x_set(struct s390x_feats *s, int i, bool on)
{
    if (on)
        s->w[i / 64] |= 1ULL << (i % 64);
    else
        s->w[i / 64] &= ~(1ULL << (i % 64));
}
void s390x_and(struct s390x_feats *out, const struct s390x_feats *a, const struct s390x_feats *b);
void s390x_andnot(struct s390x_feats *out, const struct s390x_feats *a,
                  const struct s390x_feats *b);
bool s390x_empty(const struct s390x_feats *s);
bool s390x_equal(const struct s390x_feats *a, const struct s390x_feats *b);
bool s390x_subset(const struct s390x_feats *a, const struct s390x_feats *b); /* a within b */

/* ---- raw data (s390x_raw.c): named big-endian bit blocks, bit 0 the top bit of byte 0 ---- */
#define S390X_BLOCK_MAX    2048 /* KVM's facility lists: 256 doublewords */
#define S390X_ROW_NAME_MAX 24

struct s390x_block {
    char name[S390X_ROW_NAME_MAX];
    uint8_t *data;
    size_t len;
};

struct s390x_raw {
    struct s390x_block *rows;
    size_t n, cap;
};

struct s390x_raw *s390x_raw_new(void);
void s390x_raw_free(void *raw);
int s390x_raw_put(struct s390x_raw *raw, const char *name, const uint8_t *data, size_t len);
const struct s390x_block *s390x_raw_get(const struct s390x_raw *raw, const char *name);
bool s390x_block_bit(const struct s390x_block *b, unsigned bit);
/* Sets bit in the named row, growing it (to whole doublewords) as needed. */
int s390x_raw_set_bit(struct s390x_raw *raw, const char *name, unsigned bit);
int s390x_raw_parse(struct cc_ctx *ctx, const char *file, xmlNodePtr node, void **out);
int s390x_raw_write(xmlTextWriterPtr w, const void *raw);
void s390x_raw_summary(const void *raw, char *buf, size_t len);

/* ---- the catalog (s390x_catalog.c, data/s390x/features.xml and models.xml) ---- */
enum s390x_source { SRC_STFLE, SRC_SIE, SRC_SUBFUNC, SRC_MISC };

struct s390x_feature {
    char *name, *description;
    enum s390x_source source;
    unsigned bit;         /* in the row of its source */
    char *subfunc;        /* SRC_SUBFUNC: the query block, e.g. "kmc" */
    int gate;             /* SRC_SUBFUNC: the feature without which there is no query, or -1 */
    bool ignore_for_base; /* left out when QEMU searches a definition by features */
    int kvm_needs;        /* a KVM host model keeps it only with this feature, or -1 */
    bool deprecated;
    unsigned since; /* the first QEMU release that names it (S390X_QEMU_NONE: none known) */
};

struct s390x_group {
    char *name, *description;
    struct s390x_feats members;
    unsigned since;
};

struct s390x_def {
    char *name, *description;
    unsigned type, gen, ga, ibc;
    bool newer;     /* from newer QEMU's source (gen17), not from the QEMU the tables were run on */
    unsigned since; /* the first QEMU release that defines it */
    struct s390x_feats base, dflt, full;
};

/* A since of what no QEMU release known has (read from later patches): every QEMU lacks it. */
#define S390X_QEMU_NONE 0xffffffffu

struct s390x_catalog {
    struct s390x_feature *feats;
    size_t n_feats;
    struct s390x_group *groups;
    size_t n_groups;
    struct s390x_def *defs; /* in QEMU's s390_cpu_defs[] order */
    size_t n_defs;
    struct s390x_feats ignored_base;
    unsigned oldest_qemu, newest_qemu; /* the releases data/s390x/qemu-releases.xml knows */
    /* Feature indices hashed by name: the model table names each feature thousands of times. */
    int *by_name;
    size_t n_by_name;
};

int s390x_catalog_load(struct cc_ctx *ctx, void **state);
void s390x_catalog_free(void *state);
int s390x_catalog_get(struct cc_ctx *ctx, const struct s390x_catalog **out);
int s390x_feature_index(const struct s390x_catalog *cat, const char *name);
int s390x_group_index(const struct s390x_catalog *cat, const char *name);
const struct s390x_def *s390x_def_find(const struct s390x_catalog *cat, const char *name);

/* ---- models (s390x_model.c, s390x_compare.c, s390x_baseline.c): QEMU's arithmetic ---- */
struct s390x_model {
    const struct s390x_def *def;
    struct s390x_feats feats;
    /* A host's: the QEMU it runs, and what its machine has that this QEMU cannot name (left out
     * of feats, as QEMU's host model leaves it out). 0 and empty for a model parsed. */
    unsigned qemu;
    struct s390x_feats unnamed;
    /* A cpu view cannot sense what only KVM or the query instructions tell: those features
     * were taken as the definition allows (S390X_ASSUMED_*). */
    unsigned assumed;
};
enum { S390X_ASSUMED_SUBFUNCS = 1, S390X_ASSUMED_KVM = 2 };
/* One line for people on what a host model assumed, or NULL. */
const char *s390x_assumed_note(unsigned assumed);

/* s390_find_cpu_def() of QEMU release qemu: the definition for a type, generation and GA (0:
 * unknown), whose base set the features (if any) cover, among those that release defines. NULL
 * when none fits. */
const struct s390x_def *s390x_find_def(const struct s390x_catalog *cat, unsigned type, unsigned gen,
                                       unsigned ga, const struct s390x_feats *feats, unsigned qemu);
/* Names of a set as QEMU reports them: whole groups first (in group order), then features. */
int s390x_feats_names(const struct s390x_catalog *cat, const struct s390x_feats *s,
                      struct cc_strlist *out);
/* The features a view's raw data senses. */
int s390x_view_feats(const struct s390x_catalog *cat, const struct cc_view *view,
                     struct s390x_feats *out);
/* What QEMU release qemu makes of a host: its host model (definition from type and unblocked
 * IBC among those the release defines, features limited to that definition's full set and to
 * what the release names). */
int s390x_host_model(const struct s390x_catalog *cat, const struct cc_doc *doc, const char *file,
                     unsigned qemu, struct s390x_model *out);

/* ---- QEMU releases (s390x_releases.c, data/s390x/qemu-releases.xml) ---- */
int s390x_releases_load(struct cc_ctx *ctx, struct s390x_catalog *cat);
/* The QEMU a file's host runs (cc_doc_qemu), refused when older than the oldest release known;
 * notes (if given) get the note of an assumed release once. */
int s390x_doc_qemu(struct cc_ctx *ctx, const struct s390x_catalog *cat, const struct cc_doc *doc,
                   const char *file, unsigned *qemu, struct cc_strlist *notes);
/* s390x_host_model() by the QEMU of the file (s390x_doc_qemu). */
int s390x_host_judged(struct cc_ctx *ctx, const struct s390x_catalog *cat, const struct cc_doc *doc,
                      const char *file, struct s390x_model *out, struct cc_strlist *notes);
/* The features of m that QEMU release qemu cannot name. */
int s390x_not_in_qemu(const struct s390x_catalog *cat, const struct s390x_model *m, unsigned qemu,
                      struct cc_strlist *out);
/* A since as people read it: "10.0", or "none up to 10.0". */
void s390x_since_text(const struct s390x_catalog *cat, unsigned since, char *buf, size_t len);
/* A model spelt as QEMU takes it: "z14.2", "z14.2-base", "gen15a,vx=off,msa9=on". */
/* An unknown name's error looks among the models and features of files_arch (the files' own,
 * where there are files; NULL: of every architecture). */
int s390x_model_parse(struct cc_ctx *ctx, const struct cc_arch_ops *files_arch,
                      const struct s390x_catalog *cat, const char *spec, struct s390x_model *out);

enum s390x_cmp { S390X_IDENTICAL, S390X_SUPERSET, S390X_SUBSET, S390X_INCOMPATIBLE };
/* query-cpu-model-comparison(modela = a, modelb = b) (s390x_compare.c): the relation of a to b and
 * the responsible properties ("type" when the generations differ). */
int s390x_compare_models(const struct s390x_catalog *cat, const struct s390x_model *a,
                         const struct s390x_model *b, enum s390x_cmp *result,
                         struct cc_strlist *responsible);
/* query-cpu-model-baseline(a, b) (s390x_baseline.c). */
int s390x_baseline_models(const struct s390x_catalog *cat, const struct s390x_model *a,
                          const struct s390x_model *b, struct s390x_model *out);

/* check_unavailable_features() (s390x_models_cmd.c): what stops model m on host, "type" first,
 * as names or as blockers saying what who lacks. */
int s390x_unavailable(const struct s390x_catalog *cat, const struct s390x_model *host,
                      const struct s390x_model *m, struct cc_strlist *out);
int s390x_add_blockers(const struct s390x_catalog *cat, const struct s390x_model *host,
                       const struct s390x_model *m, const char *who, struct cc_blockers *b);

int s390x_view_features(struct cc_ctx *ctx, const struct cc_view *view, struct cc_strlist *names);
int s390x_compare(struct cc_ctx *ctx, const struct cc_doc *src, const char *src_file,
                  const struct cc_doc *dst, const char *dst_file,
                  const struct cc_compare_opts *opts, struct cc_verdict *out);
/* QEMU's static expansion of m (query-cpu-model-expansion type static): the features and
 * groups m has beyond its definition's base set, as name -> "on", then those of the base set it
 * lacks, "off"; the model is "DEF-base". */
int s390x_static_expansion(const struct s390x_catalog *cat, const struct s390x_model *m,
                           struct cc_kvlist *out);
/* "MODEL,NAME=VALUE,..." (allocated). */
int s390x_model_string(const char *model, const struct cc_kvlist *props, char **out);
/* compare with the guest as a -cpu string (model; NULL: the source's host model). With two
 * files, a guest the source cannot start is an error, or with source_verdict (a guest a file
 * defines: compare --guest) the verdict, its blockers naming the source. */
int s390x_compare_string(struct cc_ctx *ctx, const struct cc_doc *src, const char *src_file,
                         const struct cc_doc *dst, const char *dst_file, const char *model,
                         bool source_verdict, struct cc_verdict *out);
/* compare --guest (s390x_guest_libvirt.c): a libvirt <cpu> as the -cpu string libvirt gives
 * QEMU for it, judged as compare --model of that string. */
int s390x_guest_libvirt_compare(struct cc_ctx *ctx, const struct cc_doc *src, const char *src_file,
                                const struct cc_doc *dst, const char *dst_file, const char *guest,
                                const struct cc_compare_opts *opts, struct cc_verdict *out);
int s390x_baseline(struct cc_ctx *ctx, const struct cc_doc *const *docs, const char *const *files,
                   size_t n, bool allow_vendor_mix, struct cc_baseline *out);
int s390x_models_report(struct cc_ctx *ctx, const struct cc_doc *doc, const char *file,
                        struct cc_models_report *out);
int s390x_cpudef(struct cc_ctx *ctx, const char *model, const struct cc_strlist *add,
                 const struct cc_strlist *remove, const struct cc_kvlist *props,
                 struct cc_cpudef *out);
int s390x_expand(struct cc_ctx *ctx, const char *name, const struct cc_doc *base,
                 const char *base_file, struct cc_doc *out);

/* /proc/cpuinfo and /proc/sysinfo text into identity, a "stfle" row and properties. */
int s390x_parse_proc(const char *text, const char *file, struct cc_doc *doc, struct s390x_raw *raw,
                     struct cc_kvlist *props);
int s390x_import_cpuinfo(struct cc_ctx *ctx, const char *path, struct cc_doc *doc);
int s390x_probe(struct cc_ctx *ctx, const struct cc_probe_opts *opts, struct cc_doc *doc);

extern const struct cc_arch_ops s390x_arch_ops;

/* The canonical guest-visible form of a host (cc_arch_ops.canonical). */
int s390x_canonical(struct cc_ctx *ctx, const struct cc_doc *doc, const char *file, char **out);
/* What changed between two of those texts (s390x_drift.c). */
struct cc_drift;
int s390x_canonical_diff(struct cc_ctx *ctx, const char *old_text, const char *new_text,
                         struct cc_drift *out);

#endif
