/* arm64 (AArch64) internals shared by the files of arch/arm64/. core/ never includes this. */
#ifndef CC_ARM64_H
#define CC_ARM64_H

#include "../../core/arch.h"
#include "../../core/ctx.h"
#include "../../core/hash_index.h"

#include <stdbool.h>
#include <stdint.h>

#define ARM64_NAME_MAX 32

/* ---- raw data (arm64_raw.c): registers as KVM_GET_ONE_REG reports them ---- */
struct arm64_reg {
    char name[ARM64_NAME_MAX];
    uint64_t id; /* KVM register id, 0 when unknown (EL0 view) */
    uint64_t value;
};

struct arm64_raw {
    struct arm64_reg *regs;
    size_t n, cap;
    struct cc_index index; /* by name: imports and readers set registers by the 100,000 */
};

struct arm64_raw *arm64_raw_new(void);
void arm64_raw_free(void *raw);
int arm64_raw_set(struct arm64_raw *raw, const char *name, uint64_t id, uint64_t value);
const struct arm64_reg *arm64_raw_get(const struct arm64_raw *raw, const char *name);
void arm64_raw_sort(struct arm64_raw *raw);
/* A copy of raw's registers, in its order (NULL when out of memory): a class's models copy its
 * host's table for every model. */
struct arm64_raw *arm64_raw_dup(const struct arm64_raw *raw);
int arm64_raw_parse(struct cc_ctx *ctx, const char *file, xmlNodePtr node, void **out);
int arm64_raw_write(xmlTextWriterPtr w, const void *raw);
void arm64_raw_summary(const void *raw, char *buf, size_t len);

/* ---- the register catalog (arm64_catalog.c, data/arm64/idregs.xml) ---- */
enum arm64_ftr { FTR_NONE, FTR_LOWER_SAFE, FTR_HIGHER_SAFE, FTR_HIGHER_OR_ZERO_SAFE, FTR_EXACT };

#define ARM64_MAX_KERNELS 8

struct arm64_rule {
    enum arm64_ftr type; /* FTR_NONE: the kernel does not track the field */
    int safe;
    bool strict;
    bool writable; /* KVM_SET_ONE_REG may change the field on this kernel */
    bool has_minimum;
    int minimum; /* KVM refuses writable values below it (debug architecture) */
};

struct arm64_value {
    int v;
    char *name; /* e.g. "PMULL", or NULL */
    char *feat; /* e.g. "FEAT_PMULL", or NULL */
};

struct arm64_field {
    char *name;
    unsigned lsb, width;
    bool is_signed;
    unsigned vcpu_feature; /* ARM64_VF_* bit without which KVM shows the field as 0, or 0 */
    bool state;            /* the guest's own control state (PMCR_EL0.E), not a CPU property */
    /* identification (PMCR_EL0.IMP): a difference the guest may see but loses nothing by; where
     * KVM cannot keep the source's value it is a warning, not a blocker */
    bool ident;
    /* a bit (1 << enum arm64_setter_kind) per kind of setter kvm-setters.xml has for this
     * field: a fleet's matrix asks for every differing field, and most have none */
    unsigned setter_kinds;
    struct arm64_rule rule[ARM64_MAX_KERNELS];
    struct arm64_value *values;
    size_t n_values;
};

struct arm64_regdef {
    char *name;
    uint64_t id;
    bool aarch32;       /* an AArch32 ID register (op0=3, op1=0, CRn=0, CRm=1..3) */
    bool firmware;      /* a KVM firmware pseudo-register (PSCI, SMCCC workarounds) */
    bool lower_is_set;  /* firmware: KVM takes a value at or below the host's */
    bool subset_is_set; /* firmware bitmap: KVM takes any subset of the host's bits */
    bool reads_host;    /* firmware: a lower value taken reads back (to the guest) as the host's */
    struct {
        bool known, absent;
        uint64_t writable;
        char *how;
    } kvm[ARM64_MAX_KERNELS];
    struct arm64_field *fields;
    size_t n_fields;
};

struct arm64_catalog;
/* KVM's setter quirks (arm64_setters.c, data/arm64/kvm-setters.xml). */
enum arm64_setter_kind {
    ARM64_SET_DROP_IF_HOST, /* the host's own value is taken and dropped */
    ARM64_SET_REWRITE,      /* `from` is written as `to` */
    ARM64_SET_REFUSE,       /* values in `refused` or below `below` are refused */
    ARM64_SET_KVM_TYPE,     /* KVM's rule type for the field */
    ARM64_SET_RAZ_WI,       /* registers read 0, writes ignored on some hosts */
    ARM64_SET_NEEDS_HOST,   /* a register value needs a host field */
    ARM64_SET_IDENTITY,     /* identification, not a feature */
};
/* Kernel releases as numbers: 6.12.6 is {6, 12, 6}. */
struct arm64_release {
    unsigned v[3];
};
struct arm64_range {
    struct arm64_release from, until;
    bool has_until, unknown; /* unknown: the source of these releases was not read */
};
struct arm64_setter {
    enum arm64_setter_kind kind;
    char *reg, *field, *source;
    long long from, to, below; /* rewrite; refuse below (when has_below) */
    bool has_below, aarch32;
    uint64_t refused;            /* refuse: bit v for value v */
    enum arm64_ftr type;         /* kvm-type */
    char *host_reg, *host_field; /* raz-wi, needs-host */
    long long host_value;
    char *if_zero; /* needs-host: "LoC;LoUU,LoUIS" */
    struct arm64_range *ranges;
    size_t n_ranges;
};
enum arm64_applies { ARM64_NO, ARM64_YES, ARM64_UNKNOWN };
/* "6.12.118-1~deb12u1", "6.1.0-26-arm64", "Linux 6.12": the leading numbers; -1 if none. */
int arm64_release_parse(const char *s, struct arm64_release *out);
enum arm64_applies arm64_setter_applies(const struct arm64_setter *s, const char *release);
/* The first setter of that kind for a register (and field, NULL for a whole register). */
const struct arm64_setter *arm64_setter_find(const struct arm64_catalog *cat,
                                             enum arm64_setter_kind kind, const char *reg,
                                             const char *field);
int arm64_setters_load(struct cc_ctx *ctx, struct arm64_catalog *cat);
void arm64_setters_free(struct arm64_catalog *cat);
/* The tables of the data folder a command may not need, read on first use: -cpu strings
 * (qemu-cpu.xml, arm64_guest.c) and libvirt guests (libvirt-cpu.xml, arm64_guest_libvirt.c). */
enum arm64_table { ARM64_TABLE_QEMU_CPU, ARM64_TABLE_LIBVIRT_CPU, ARM64_N_TABLES };
struct arm64_table_kind {
    enum arm64_table slot;
    const char *file; /* in the data folder */
    size_t size;      /* of the table load fills, zeroed first */
    int (*load)(const char *path, void *table);
    void (*release)(void *table); /* also of a table whose load failed */
};
struct arm64_catalog {
    /* Kernel rule sets, oldest first: "Linux 6.1" applies from 6.1 until the next one. */
    struct {
        char *name;
        unsigned major, minor;
    } kernels[ARM64_MAX_KERNELS];
    size_t n_kernels;
    struct arm64_regdef *regs;
    size_t n_regs;
    struct cc_index reg_index; /* regs by name: every register row of every file is looked up */
    struct arm64_model_set *models; /* loaded on first use (arm64_models.c) */
    struct arm64_setter *setters;
    size_t n_setters;
    /* The tables read on first use (arm64_catalog_table), each with what releases it. */
    struct {
        void *table;
        void (*release)(void *table);
    } tables[ARM64_N_TABLES];
};

int arm64_catalog_load(struct cc_ctx *ctx, void **state);
void arm64_catalog_free(void *state);
int arm64_catalog_get(struct cc_ctx *ctx, const struct arm64_catalog **out);
/* The table of that kind, read when first asked for and kept (and freed) by the catalog. */
int arm64_catalog_table(struct cc_ctx *ctx, const struct arm64_table_kind *kind, const void **out);
const struct arm64_regdef *arm64_regdef(const struct arm64_catalog *cat, const char *name);
/* The rule set for a kernel release such as "6.1.0-26-arm64": the newest one not newer than
 * it; -1 for kernels older than every set. */
int arm64_kernel_rules(const struct arm64_catalog *cat, const char *release);

/* The rule set of a host's kernel, with an error naming the file when it has none. */
int arm64_host_rules(const struct arm64_catalog *cat, const struct cc_doc *doc,
                     const struct cc_view *view, const char *file, int *k);

/* ---- the register list (arm64_reglist.c): KVM_GET_REG_LIST as "kvm-reg-list" ---- */
/* Whether QEMU migrates the register through its list (not a core or SVE register). */
bool arm64_reg_list_counts(uint64_t id);
/* ids (sorted in place) as "0x..-0x.. 0x.." runs. */
int arm64_reg_list_format(uint64_t *ids, size_t n, char **out);
int arm64_reg_list_parse(const char *file, const char *s, uint64_t **ids, size_t *n);
/* A "kvm-reg-list" blocker for the registers of src_list that dst_list lacks (those of sraw,
 * which have their own blockers, left out). */
int arm64_reg_list_judge(const struct arm64_catalog *cat, const char *file, const char *src_list,
                         const char *dst_list, const struct arm64_raw *sraw,
                         struct cc_blockers *out);
/* The list in properties of at most 256 characters (kvm-reg-list, kvm-reg-list-2, ...), and
 * back (NULL when the view has none). */
int arm64_reg_list_store(struct cc_kvlist *props, const char *list);
int arm64_reg_list_of(const struct cc_view *view, char **out);
/* This vCPU's KVM_GET_REG_LIST (aarch64 builds only). */
int arm64_kvm_reg_list(int vcpu, char **out);
/* ---- named models (arm64_models.c, data/arm64/models/) ---- */
/* A model is a set of feature fields and the value each reads in the guest; a VMM applies it
 * by writing the host's registers back with those fields changed. */
struct arm64_model_field {
    const struct arm64_regdef *reg;
    const struct arm64_field *field;
    long long value;
};

struct arm64_model {
    char *name, *family, *origin;
    unsigned version;
    bool core;      /* a core (with the MIDR it describes), else an architecture baseline */
    uint64_t midr;  /* cores only; the guest keeps its host's MIDR */
    char *requires; /* baselines: the FEAT_xxx the version makes mandatory */
    struct cc_strlist notes;
    struct arm64_model_field *fields;
    size_t n_fields;
};

struct arm64_model_set {
    struct arm64_model *models;
    size_t n;
};

int arm64_models_get(struct cc_ctx *ctx, const struct arm64_catalog *cat,
                     const struct arm64_model_set **out);
void arm64_models_free(struct arm64_model_set *set);
const struct arm64_model *arm64_model_find(const struct arm64_model_set *set, const char *name);
/* The guest's registers: host's, with the model's fields put in. A register the host lacks is
 * added only where the model needs a field of it above zero. */
int arm64_model_apply(const struct arm64_model *m, const struct arm64_raw *host,
                      struct arm64_raw **out);
/* The host as a VMM sets a vCPU up for the model: an optional vCPU feature (SVE, pointer
 * auth) all of whose fields the model has at zero is left out, and its fields read as zero. */
int arm64_model_host(const struct arm64_model *m, const struct arm64_raw *host,
                     struct arm64_raw **out, unsigned *off);
/* Why the model cannot run on a host (none: it can), by the host kernel's rules (k). */
int arm64_model_judge(const struct arm64_catalog *cat, int k, const struct arm64_model *m,
                      const struct arm64_raw *host, const struct cc_view *view,
                      struct cc_blockers *out);

/* ---- decoding (arm64_decode.c) ---- */
uint64_t arm64_field_raw(const struct arm64_field *f, uint64_t reg);
/* The field as a number: sign-extended for signed fields. */
long long arm64_field_value(const struct arm64_field *f, uint64_t reg);
/* reg with the field set to v. */
uint64_t arm64_field_put(const struct arm64_field *f, uint64_t reg, long long v);
/* "2 (PMULL, FEAT_PMULL)" or "2" when the value has no name. */
void arm64_describe_value(const struct arm64_field *f, long long v, char *buf, size_t len);
int arm64_view_features(struct cc_ctx *ctx, const struct cc_view *view, struct cc_strlist *names);
int arm64_identity_from_raw(struct cc_doc *doc, const struct arm64_raw *raw, const char *file);

/* The view a host's answers come from: "kvm" when present, else "cpu". */
const struct cc_view *arm64_view_of(const struct cc_doc *doc);
/* The kernel whose KVM reported the view (view property, else the probe's kernel). */
const char *arm64_kernel_of(const struct cc_doc *doc, const struct cc_view *view);
/* The view's ipa-limit (KVM_CAP_ARM_VM_IPA_SIZE), strictly parsed: 1 with *out set (out may be
 * NULL), 0 when not recorded, or an error naming file and property. */
#define ARM64_IPA_MIN 32
#define ARM64_IPA_MAX 52
int arm64_ipa_limit(const struct cc_view *view, const char *file, unsigned *out);

/* ---- answers ---- */
int arm64_compare(struct cc_ctx *ctx, const struct cc_doc *src, const char *src_file,
                  const struct cc_doc *dst, const char *dst_file,
                  const struct cc_compare_opts *opts, struct cc_verdict *out);
/* Finds a family of the policy file that holds both MIDR values; family is "" if none. */
int arm64_midr_policy_family(const char *path, uint64_t a, uint64_t b, char *family, size_t len);
/* Whether a guest value s can stand where the host has d (the field's rule). */
bool arm64_rule_accepts(const struct arm64_rule *rule, long long s, long long d);
/* Judges src's registers against dst's by the rules of dst's kernel (k), blockers into v.
 * sview may be NULL (a model: no VM properties to check); policy NULL: no MIDR policy; roles
 * name the two sides in the blockers (NULL: "source" and "destination"). */
struct arm64_judgement {
    bool differ, fwd_safe, back_safe;
    int next; /* the newer neighbour rule set of a kernel between two sets, else -1 */
};
int arm64_judge(const struct arm64_catalog *cat, int k, const struct arm64_raw *src,
                const struct cc_view *sview, const struct arm64_raw *dst,
                const struct cc_view *dview, const char *policy, const char *const roles[2],
                struct cc_verdict *v, struct arm64_judgement *out);
int arm64_models_report(struct cc_ctx *ctx, const struct cc_doc *doc, const char *file,
                        struct cc_models_report *out);
int arm64_cpudef(struct cc_ctx *ctx, const char *model, const struct cc_strlist *add,
                 const struct cc_strlist *remove, const struct cc_kvlist *props,
                 struct cc_cpudef *out);
int arm64_expand(struct cc_ctx *ctx, const char *name, const struct cc_doc *base,
                 const char *base_file, struct cc_doc *doc);
/* KVM_ARM_VCPU_INIT feature bits (uapi) of ARM64_VF_* bits. */
unsigned arm64_vf_init_bits(unsigned vf);
int arm64_baseline(struct cc_ctx *ctx, const struct cc_doc *const *docs, const char *const *files,
                   size_t n, bool allow_vendor_mix, struct cc_baseline *out);
/* KVM plumbing (arm64_kvm.c, aarch64 builds only). */
int arm64_kvm_ioctl(int fd, unsigned long req, void *arg);
int arm64_kvm_cap(int fd, long cap);
int arm64_kvm_get_reg(int vcpu, uint64_t id, void *out);
int arm64_kvm_set_reg(int vcpu, uint64_t id, uint64_t value);
/* Whether a fresh vCPU with SVE takes these vector lengths ("16 32 64" bytes) before it is
 * finalised: *refused is 0 or KVM's errno. */
int arm64_kvm_try_sve_vls(const char *dev, int kvm, const char *lengths, int *refused);
int arm64_kvm_open(const char *dev, int *out);
int arm64_kvm_vm(const char *dev, int kvm, int *vm_out, int *ipa_out);
/* Optional vCPU features, as --vcpu-features names them. */
enum { ARM64_VF_PMU = 1, ARM64_VF_SVE = 2, ARM64_VF_PTRAUTH = 4, ARM64_VF_ALL = 7 };
/* Parses "pmu,sve,ptrauth" or "none" into ARM64_VF_* bits. */
int arm64_vcpu_features_parse(const char *list, unsigned *out);
/* A vCPU initialised with PSCI 0.2 and the optional features of `wanted` this host offers; with
 * `strict`, a wanted feature the host lacks is an error. Records vcpu-features and
 * sve-vector-lengths in props. */
int arm64_kvm_vcpu(const char *dev, int kvm, int vm, unsigned wanted, bool strict, int *vcpu_out,
                   struct cc_kvlist *props);

int arm64_verify(struct cc_ctx *ctx, const struct cc_doc *src, const char *src_file,
                 struct cc_verdict *out);
/* Adds the "cpu" view read with MRS at EL0; identity from it when asked (no kvm view). */
int arm64_el0_view(struct cc_ctx *ctx, struct cc_doc *doc, bool identity);
int arm64_probe(struct cc_ctx *ctx, const struct cc_probe_opts *opts, struct cc_doc *doc);
int arm64_import_regs(struct cc_ctx *ctx, const char *path, struct cc_doc *doc);

extern const struct cc_arch_ops arm64_arch_ops;

/* ---- QEMU -cpu strings as guests (arm64_guest.c, data/arm64/qemu-cpu.xml) ---- */
/* A -cpu string as QEMU 7.2 under KVM reads it. Each switch is -1 where the string leaves
 * QEMU's default (on where the host's KVM offers the feature). */
struct arm64_guest {
    char *spec;
    int sve, pmu, pauth;
    uint32_t vq_map, vq_init; /* sveN=on|off: bit N/128 - 1 of the value, and of those given */
    bool aarch32;             /* aarch64=off */
    struct cc_strlist notes;
};
/* Whether spec is a QEMU -cpu string rather than one of cpucompat's own arm64 models (a bare
 * model name of data/arm64/models/). */
bool arm64_guest_is_string(struct cc_ctx *ctx, const char *spec);
/* Every -cpu model name QEMU lists on arm64 (whether KVM takes it or not), into out. */
int arm64_qemu_models(struct cc_ctx *ctx, struct cc_strlist *out);
/* Parses spec; a token QEMU refuses under KVM on any host is an error naming it. */
int arm64_guest_parse(struct cc_ctx *ctx, const char *spec, struct arm64_guest *g);
void arm64_guest_free(struct arm64_guest *g);
/* The guest as QEMU starts it on one host: its registers and a view whose properties say what
 * the guest has (the register list without what it leaves out); or, in refused, QEMU's own
 * reason for not starting the string there. */
struct arm64_guest_host {
    struct arm64_raw *raw;
    struct cc_view view; /* props owned; raw is the field above */
    char *refused;
    /* Why the file cannot tell what the guest sees there (the string's start or refusal
     * elsewhere may still decide the answer); raw and view are then unset. */
    char *unjudged;
    unsigned unknown; /* ARM64_VF_* the file cannot say the host offers: judged as captured */
    bool sve;         /* the guest has SVE there */
    bool vls_known;   /* the vector lengths below are known */
    uint32_t vls;     /* bit vq-1: a vector length of vq*128 bits */
};
int arm64_guest_on(struct cc_ctx *ctx, const struct arm64_guest *g, const struct cc_view *host,
                   const char *file, struct arm64_guest_host *out);
void arm64_guest_host_free(struct arm64_guest_host *h);
/* compare --guest FILE [SRC] DST: a libvirt domain or <cpu> as the -cpu string libvirt gives
 * QEMU for it, judged as compare --model STRING (arm64_guest_libvirt.c). */
int arm64_compare_libvirt(struct cc_ctx *ctx, const struct cc_doc *src, const char *src_file,
                          const struct cc_doc *dst, const char *dst_file, const char *guest,
                          const struct cc_compare_opts *opts, struct cc_verdict *v);
/* compare --model STRING [SRC] DST (arm64_compare_guest.c). */
int arm64_compare_string(struct cc_ctx *ctx, const struct cc_doc *src, const char *src_file,
                         const struct cc_doc *dst, const char *dst_file,
                         const struct cc_compare_opts *opts, struct cc_verdict *out);
/* The note of a source and destination judged from different views (cpu against kvm). */
int arm64_note_views(const struct cc_view *sview, const struct cc_view *dview,
                     struct cc_verdict *v);
/* The end of every compare judged by rule set k: the note of a kernel between two sets,
 * --strict, the relation, the guest's and the extra features. */
int arm64_verdict_finish(struct cc_ctx *ctx, const struct arm64_catalog *cat, int k,
                         const struct cc_compare_opts *opts, const struct arm64_judgement *jr,
                         const struct arm64_raw *guest, const struct cc_view *dview,
                         struct cc_verdict *v);

/* The canonical guest-visible form of a host (cc_arch_ops.canonical). */
int arm64_canonical(struct cc_ctx *ctx, const struct cc_doc *doc, const char *file, char **out);
/* What changed between two of those texts, and the versions a file records (arm64_drift.c). */
struct cc_drift;
int arm64_canonical_diff(struct cc_ctx *ctx, const char *old_text, const char *new_text,
                         struct cc_drift *out);
void arm64_versions(const struct cc_doc *doc, struct cc_kvlist *out);

#endif
