/* x86-64 internals shared by the files of arch/x86/. Nothing in core/ includes this. */
#ifndef CC_X86_H
#define CC_X86_H

#include "../../core/arch.h"
#include "../../core/ctx.h"

#include <stdbool.h>
#include <stdint.h>

enum x86_reg { X86_EAX, X86_EBX, X86_ECX, X86_EDX };

/* ---- raw data (x86_raw.c) ---- */
struct x86_cpuid {
    uint32_t leaf, subleaf;
    uint32_t r[4]; /* indexed by enum x86_reg */
};

struct x86_msr {
    uint32_t index;
    uint64_t value;
};

/* One property of QEMU's expansion of the host CPU (query-cpu-model-expansion, libvirt's
 * <hostCPU>), kept as the source gave it so a newer catalog can decode it again. */
struct x86_qprop {
    char *name;
    char *type;  /* "boolean", "number" or "string" */
    char *value; /* "true"/"false", decimal, or the text */
    bool migratable;
};

struct x86_raw {
    struct x86_cpuid *cpuid;
    size_t n_cpuid, cap_cpuid;
    struct x86_msr *msr;
    size_t n_msr, cap_msr;
    struct x86_qprop *qprops; /* only in views imported from a QEMU expansion */
    size_t n_qprops, cap_qprops;
    bool sorted; /* lookups may binary-search */
    /* While unsorted (an import or a probe building it): by leaf/sub-leaf and by MSR index, so
     * that a capture of 400,000 rows is not searched row by row for each new one. */
    struct cc_index cpuid_index, msr_index;
    /* By name: QEMU's properties are looked up once per property read, and a hostile list holds
     * thousands of them. */
    struct cc_index qprop_index;
};

struct x86_raw *x86_raw_new(void);
void x86_raw_free(void *raw);
/* Adds or replaces one leaf/sub-leaf. Leaves whose sub-leaf is not significant use subleaf 0. */
int x86_raw_set_cpuid(struct x86_raw *raw, uint32_t leaf, uint32_t subleaf, const uint32_t r[4]);
int x86_raw_set_msr(struct x86_raw *raw, uint32_t index, uint64_t value);
int x86_raw_add_qprop(struct x86_raw *raw, const char *name, const char *type, const char *value,
                      bool migratable);
const struct x86_qprop *x86_raw_qprop(const struct x86_raw *raw, const char *name);
/* Sorts by (leaf, subleaf) and by MSR index; lookups need it, and files are written that way. */
void x86_raw_sort(struct x86_raw *raw);
const struct x86_cpuid *x86_raw_cpuid(const struct x86_raw *raw, uint32_t leaf, uint32_t subleaf);
const struct x86_msr *x86_raw_msr(const struct x86_raw *raw, uint32_t index);
int x86_raw_parse(struct cc_ctx *ctx, const char *file, xmlNodePtr node, void **out);
int x86_raw_write(xmlTextWriterPtr w, const void *raw);
void x86_raw_summary(const void *raw, char *buf, size_t len);

/* ---- data tables (x86_catalog.c) ---- */
struct x86_word {
    char *name;
    bool is_msr;
    uint32_t leaf, subleaf; /* cpuid words */
    bool has_subleaf;
    enum x86_reg reg;
    uint32_t msr;         /* msr words */
    bool allowed1_decode; /* VMX control MSRs: may-be-1 and not must-be-1 */
};

struct x86_feature {
    char *name;
    size_t word;   /* index into catalog words */
    uint64_t bits; /* mask within the word */
    bool unmigratable, paravirt, tcg, no_host_model;
    char *since; /* QEMU version that added it, NULL for 7.2 and older */
    struct cc_strlist aliases;
    struct cc_strlist requires; /* QEMU drops the feature when any of these is off */
    /* Per requires: the first QEMU release that has it (core/qemu.h), 0 for every release;
     * NULL when none is versioned. */
    unsigned *requires_since;
};

/* Does requires[d] of f hold in QEMU release qemu (0: unknown, read as the oldest)? */
static inline bool x86_requires_in(const struct x86_feature *f, size_t d, unsigned qemu)
{
    return !f->requires_since || !f->requires_since[d] || (qemu && qemu >= f->requires_since[d]);
}

enum x86_walk { X86_WALK_COUNT, X86_WALK_UNTIL_ZERO, X86_WALK_XSAVE, X86_WALK_FIXED };

struct x86_subleaf_rule {
    uint32_t leaf;
    enum x86_walk walk;
    enum x86_reg reg;
    uint32_t mask, count, first;
};

struct x86_range {
    uint32_t base;
    bool needs_hypervisor;
    char vendor[13]; /* empty: any vendor */
};

struct x86_per_cpu {
    uint32_t leaf;
    enum x86_reg reg;
    uint32_t mask;
};

/* A value CPUID holds besides feature bits: (register & mask) >> lowest bit of mask. */
struct x86_field {
    uint32_t leaf;
    enum x86_reg reg;
    uint32_t mask;
};

/* Feature words indexed like the catalog's words: QEMU's FeatureWordArray. */
#define X86_MAX_WORDS 64
struct x86_words {
    uint64_t w[X86_MAX_WORDS];
};

struct x86_catalog {
    struct x86_word *words;
    size_t n_words;
    /* Feature index of each (word, bit), -1 where no feature is named. */
    int16_t (*bit_feature)[64];
    /* Names and aliases to feature index: open addressing, power-of-two size. */
    int16_t *name_index;
    const char **name_keys;
    size_t name_slots;
    /* XSAVE state component -> feature that enables it, -1 if none. */
    int16_t xsave_feature[64];
    struct x86_feature *features;
    size_t n_features;
    struct x86_subleaf_rule *subleaves;
    size_t n_subleaves;
    struct x86_range *ranges;
    size_t n_ranges;
    struct x86_per_cpu *per_cpu;
    size_t n_per_cpu;
    /* data/x86/cpuid-fields.xml (x86_fields.c). */
    struct x86_field phys_bits, virt_bits;
    struct x86_cpuid kvm_signature; /* the leaf and the registers KVM answers there */
    /* Loaded on first use (x86_qemu.c, x86_models.c): dump needs neither. */
    struct x86_rules *rules;
    struct x86_model_set *models;
    struct x86_lv_map *libvirt;
    struct x86_names *names;
    struct x86_releases *releases;
    struct x86_qemu_props *qemu_props;
};

int x86_catalog_load(struct cc_ctx *ctx, void **state);
void x86_catalog_free(void *state);
int x86_catalog_get(struct cc_ctx *ctx, const struct x86_catalog **out);
const struct x86_feature *x86_catalog_feature(const struct x86_catalog *cat, const char *name);
/* Index of a word by name, -1 if unknown. */
int x86_catalog_word(const struct x86_catalog *cat, const char *name);
/* Sets/clears one feature's bits in a word array. */
void x86_words_set(const struct x86_catalog *cat, struct x86_words *w, const struct x86_feature *f,
                   bool on);
/* Inline: the class matrix asks it of every feature of every pair. */
static inline bool x86_words_has(const struct x86_catalog *cat, const struct x86_words *w,
                                 const struct x86_feature *f)
{
    (void)cat;
    return (w->w[f->word] & f->bits) == f->bits;
}
/* ---- fields (x86_fields.c) ---- */
int x86_fields_load(struct cc_ctx *ctx, struct x86_catalog *cat);
/* The field's value in raw data; false when raw lacks its leaf. */
bool x86_field_get(const struct x86_field *f, const struct x86_raw *raw, unsigned *out);
/* value placed at the field's bits of its register. */
uint32_t x86_field_bits(const struct x86_field *f, unsigned value);
/* "CPUID[0x80000008].EAX[7:0]". */
void x86_field_location(const struct x86_field *f, char *buf, size_t len);

const struct x86_subleaf_rule *x86_catalog_subleaf_rule(const struct x86_catalog *cat,
                                                        uint32_t leaf);

/* ---- QEMU's behaviour under KVM (x86_qemu.c) ---- */
struct x86_fixup;
struct x86_pt_require;

struct x86_rules {
    struct x86_words defaults_on, defaults_off; /* accelerator defaults of named models */
    struct x86_words silicon_emulated;          /* KVM offers them whatever the CPU has */
    /* What every guest under KVM can have whatever the silicon: silicon_emulated and what QEMU
     * always adds to KVM's answer (unconditional op='add' fixups of every release). */
    struct x86_words kvm_always;
    struct x86_fixup *fixups;
    size_t n_fixups;
    struct x86_tsx_broken {
        char vendor[13];
        unsigned family, model, stepping_below; /* stepping_below 0: any stepping */
    } * tsx_broken;
    size_t n_tsx_broken;
    uint64_t xcr0_mask, xss_mask, migratable_xcr0;
    /* The first QEMU release that enables only the XSAVE components the accelerator supports
     * (core/qemu.h encoding; 0: none known). */
    unsigned xsave_accel_only_since;
    int w_xcr0_lo, w_xcr0_hi, w_xss_lo, w_xss_hi; /* word indexes, -1 if absent */
    const struct x86_feature *f_xsave, *f_intel_pt, *f_invtsc, *f_pdcm;
    struct x86_pt_require *pt;
    size_t n_pt;
    int pt_lip_word;
    struct x86_cpu_tables *cpu; /* -cpu strings and psABI levels (x86_cpu_string.c) */
    unsigned named_phys_bits, named_virt_bits; /* what named models get */
    uint32_t lbr_msr;
    uint64_t lbr_mask;
};

/* What one host can give a guest, as QEMU sees it. */
struct x86_host {
    const struct cc_doc *doc;
    const struct cc_view *view; /* "kvm" when present, else "cpu" */
    bool kvm;                   /* false: the answer is about the silicon */
    bool tcg; /* a kvm-like view of what QEMU's TCG gives (view property accel="tcg") */
    struct x86_words supported;
    struct x86_words unknown; /* bits we cannot judge (MSRs a cpu view did not capture) */
    unsigned phys_bits;       /* guest physical address bits, or 0 when unknown */
    uint64_t tsc_khz;         /* the TSC frequency a guest gets, or 0 when not recorded */
    unsigned qemu;            /* the QEMU release judged by (core/qemu.h), 0 before it is known */
    /* Views of a QEMU expansion: QEMU already applied its KVM rules; features it marked
     * non-migratable stay out of the host model. */
    bool qemu_expanded;
    struct x86_words nonmigratable;
};

void x86_rules_free(struct x86_rules *rules);
struct x86_cpu_tables;
int x86_cpu_tables_load(struct cc_ctx *ctx, const struct x86_catalog *cat,
                        struct x86_cpu_tables **out);
void x86_cpu_tables_free(struct x86_cpu_tables *t);
/* Fills a TCG host's supported words: its view as QEMU reported it, plus the words TCG never
 * filters. */
void x86_cpu_tcg_host(const struct x86_catalog *cat, const struct x86_rules *rules,
                      struct x86_host *host);
/* QEMU's x86_cpu_expand_features steps, for guest definitions built elsewhere. */
void x86_apply_dependencies(const struct x86_catalog *cat, struct x86_words *w, unsigned qemu);
void x86_enable_xsave_components(const struct x86_catalog *cat, const struct x86_rules *rules,
                                 struct x86_words *w);
/* After x86_enable_xsave_components, for a guest started on host on: the components the
 * QEMU it is judged by would not enable there. */
void x86_xsave_for_host(const struct x86_rules *rules, const struct x86_host *on,
                        struct x86_words *w);
void x86_models_free(struct x86_model_set *set);
int x86_rules_get(struct cc_ctx *ctx, const struct x86_catalog *cat, const struct x86_rules **out);
/* "a b c" -> their bits set in w; every name must be a catalog feature (data tables' lists). */
int x86_feature_list(const char *file, const struct x86_catalog *cat, const char *list,
                     struct x86_words *w);
/* What later QEMU releases add to KVM's answer (data/x86/qemu-kvm.xml, <fixup qemu-since>),
 * applied once host->qemu is known; a release between the newest known without a rule and the
 * oldest known with it gets a note (notes may be NULL). */
int x86_host_qemu_fixups(const struct x86_catalog *cat, const struct x86_rules *rules,
                         struct x86_host *host, const char *file, struct cc_strlist *notes);
int x86_host_init(const struct x86_catalog *cat, const struct x86_rules *rules,
                  const struct cc_doc *doc, const char *file, struct x86_host *host);

/* A named model's feature words under KVM: definition, accelerator defaults, dependencies,
 * XSAVE components (QEMU's x86_cpu_expand_features). */
void x86_expand_model(const struct x86_catalog *cat, const struct x86_rules *rules,
                      const struct x86_words *definition, struct x86_words *out);
/* What -cpu host,migratable=on gives a guest on this host. */
void x86_host_model(const struct x86_catalog *cat, const struct x86_rules *rules,
                    const struct x86_host *host, struct x86_words *out);
/* Requested bits the host cannot give (QEMU's x86_cpu_filter_features). */
void x86_unavailable(const struct x86_catalog *cat, const struct x86_rules *rules,
                     const struct x86_host *host, const struct x86_words *req,
                     struct x86_words *out);
/* Names of set bits, in QEMU's order; XSAVE components are named by the feature enabling them.
 * x86_words_each hands each name to fn (a negative return stops it) without keeping them. */
typedef int (*x86_name_fn)(const char *name, void *arg);
int x86_words_each(const struct x86_catalog *cat, const struct x86_rules *rules,
                   const struct x86_words *w, bool qemu_style, x86_name_fn fn, void *arg);
int x86_words_names(const struct x86_catalog *cat, const struct x86_rules *rules,
                    const struct x86_words *w, bool qemu_style, struct cc_strlist *names);
/* "CPUID[7,0].EBX[16]" or "MSR[0x10a][4]". */
void x86_bit_location(const struct x86_catalog *cat, size_t word, int bit, char *buf, size_t len);
bool x86_words_empty(const struct x86_catalog *cat, const struct x86_words *w);
size_t x86_words_count(const struct x86_catalog *cat, const struct x86_words *w);

/* ---- named models (x86_models.c) ---- */
struct x86_model {
    char *name, *family_name, *vendor, *model_id, *qemu, *added, *removed;
    unsigned version, family, model, stepping;
    uint32_t level, xlevel;
    bool deprecated;
    unsigned since; /* the first QEMU release defining it (core/qemu.h) */
    struct x86_words definition;
    struct x86_words kvm; /* x86_expand_model of definition */
    size_t n_features;
};

struct x86_model_alias {
    char *name;
    size_t model;
};

struct x86_model_set {
    struct x86_model *models; /* by family name, then version */
    size_t n_models;
    struct x86_model_alias *aliases;
    size_t n_aliases;
};

int x86_models_get(struct cc_ctx *ctx, const struct x86_catalog *cat, const struct x86_rules *rules,
                   const struct x86_model_set **out);
/* A versioned name or an alias; NULL if unknown. */
const struct x86_model *x86_model_find(const struct x86_model_set *set, const char *name);

/* ---- libvirt's CPU map (x86_libvirt_map.c) ---- */
/* libvirt's x86 models and feature names (data/x86/libvirt-cpu-map.xml), for several libvirt
 * releases at once: each feature and model records the releases that define it so. */
#define X86_LV_MAX_RELEASES 16

struct x86_lv_feature {
    char *name;
    unsigned releases; /* bit i: map->releases[i] */
    bool is_msr, has_subleaf, unmigratable;
    uint32_t leaf, subleaf, msr;
    enum x86_reg reg;
    unsigned bit;
    int word;    /* catalog word holding the bit, -1 if the catalog has none */
    int catalog; /* catalog feature at the same CPUID/MSR bit, -1 if the catalog has none */
    struct cc_strlist aliases; /* "source:name" as libvirt lists them (qemu:, linux:) */
};

struct x86_lv_model {
    char *name, *parent, *vendor; /* vendor: libvirt's vendor name, NULL when not set here */
    unsigned releases;
    struct cc_strlist signatures; /* "family model [stepping]" */
    /* Own features; added and removed ones are part of the model too (see libvirt's
     * cpu_x86.c: removed ones are dropped only from models derived from this one). */
    struct cc_strlist features, added, removed;
};

struct x86_lv_map {
    char *releases[X86_LV_MAX_RELEASES];
    size_t n_releases;        /* oldest first */
    struct cc_kvlist vendors; /* libvirt name -> CPUID vendor string (same in every release) */
    struct x86_lv_feature *features;
    size_t n_features;
    struct x86_lv_model *models;
    size_t n_models;
    /* Positions sorted by name (then position): guests, domain capabilities and the models
     * they resolve look names up by the hundred. */
    size_t *feature_order, *model_order;
};

/* A model with inheritance resolved as libvirt does: the parent's features minus the parent's
 * removed ones, plus its own; vendor and signatures inherited unless set. */
struct x86_lv_resolved {
    const struct x86_lv_model *model;
    const char *vendor;                       /* libvirt's name, NULL if the model has none */
    const char *vendor_string;                /* "GenuineIntel", NULL if none */
    const struct x86_lv_model *signatures_of; /* the model whose signatures apply, or NULL */
    bool *in;    /* per map feature: in libvirt's data of the model (what decoding matches) */
    bool *guest; /* what a guest CPU naming the model gets: libvirt disables the model's own
                  * removed features (features QEMU dropped) unless the guest names them */
    struct x86_words words; /* its features that the catalog knows */
    size_t n_unmapped;      /* its features the catalog does not know */
};

int x86_lv_map_get(struct cc_ctx *ctx, const struct x86_catalog *cat,
                   const struct x86_lv_map **out);
void x86_lv_map_free(struct x86_lv_map *map);
/* Index of a release ("11.3.0"), -1 if the map does not have it. */
int x86_lv_release(const struct x86_lv_map *map, const char *release);
/* A model or feature as a release defines it; NULL if that release has none by that name. */
const struct x86_lv_model *x86_lv_model_find(const struct x86_lv_map *map, size_t release,
                                             const char *name);
const struct x86_lv_feature *x86_lv_feature_find(const struct x86_lv_map *map, size_t release,
                                                 const char *name);
int x86_lv_resolve(const struct x86_lv_map *map, size_t release, const char *name,
                   struct x86_lv_resolved *out);
void x86_lv_resolved_fini(struct x86_lv_resolved *res);

/* ---- feature spellings (x86_names.c) ---- */
/* Each catalog feature's name in QEMU, libvirt and Linux /proc/cpuinfo
 * (data/x86/feature-names.xml, joined by bit). */
enum x86_naming { X86_NAMING_QEMU, X86_NAMING_LIBVIRT, X86_NAMING_LINUX, X86_N_NAMINGS };
#define X86_NAMING_ANY (-1)

struct x86_names;

int x86_names_get(struct cc_ctx *ctx, const struct x86_catalog *cat, const struct x86_names **out);
void x86_names_free(struct x86_names *names);
/* "qemu", "libvirt" or "linux"; -1 if none of them. */
int x86_naming_from_name(const char *s);
const char *x86_naming_name(enum x86_naming n);
/* The feature a spelling names in one naming (its name or an alias there), or in any: QEMU's
 * meaning first, then libvirt's, then Linux's. NULL if no naming has it. */
const struct x86_feature *x86_names_find(const struct x86_names *names, const char *spelling,
                                         int naming);
/* A feature's name in a naming; NULL when that naming has none (Linux does not print it). */
const char *x86_names_spell(const struct x86_names *names, const struct x86_feature *f,
                            enum x86_naming naming);
/* Why a libvirt feature has no catalog feature; NULL if it is not listed as unmapped. */
const char *x86_names_unmapped(const struct x86_names *names, const char *libvirt_name);
/* ---- QEMU releases (x86_releases.c) ---- */
/* The first QEMU release (core/qemu.h numbers) defining each model version and feature. */
struct x86_releases {
    unsigned *feature_since; /* by catalog feature index */
    struct x86_model_since {
        char *name;
        unsigned since;
    } * models;
    size_t n_models;
    unsigned oldest, newest; /* the releases the table knows */
};
int x86_releases_get(struct cc_ctx *ctx, const struct x86_catalog *cat,
                     const struct x86_releases **out);
void x86_releases_free(struct x86_releases *rel);
/* A model version's first release, 0 if the table does not have it. */
unsigned x86_releases_model(const struct x86_releases *rel, const char *name);

/* ---- decoding (x86_decode.c) ---- */
/* The value of a feature word in raw data, as QEMU defines the word. */
uint64_t x86_word_value(const struct x86_word *w, const struct x86_raw *raw);
bool x86_feature_present(const struct x86_catalog *cat, const struct x86_feature *f,
                         const struct x86_raw *raw);
int x86_view_features(struct cc_ctx *ctx, const struct cc_view *view, struct cc_strlist *names);
/* Fills doc->identity (vendor, family, model, stepping, brand) from a raw CPUID dump. */
int x86_identity_from_raw(struct cc_doc *doc, const struct x86_raw *raw, const char *file);
/* Zeroes the per-CPU fields (APIC IDs) listed in the catalog. */
void x86_mask_per_cpu(const struct x86_catalog *cat, struct x86_raw *raw);

/* ---- probing (x86_cpuid.c, x86_kvm.c, x86_probe.c) ---- */
/* Executes CPUID; a table so tests can replay recorded values instead of the instruction. */
struct x86_cpuid_source {
    void (*cpuid)(void *data, uint32_t leaf, uint32_t subleaf, uint32_t out[4]);
    void *data;
};

extern const struct x86_cpuid_source x86_cpuid_instruction;

/* Walks every leaf and sub-leaf the catalog's rules name, through src. */
int x86_cpuid_walk(const struct x86_catalog *cat, const struct x86_cpuid_source *src,
                   struct x86_raw *raw);

/* Fills a "kvm" view from /dev/kvm (path overridable for tests). On failure the message says
 * why, and errno-style codes tell absent (-ENOENT) from denied (-EACCES). */
int x86_kvm_probe(struct cc_ctx *ctx, const char *dev, struct cc_doc *doc);

int x86_probe(struct cc_ctx *ctx, const struct cc_probe_opts *opts, struct cc_doc *doc);
/* The probe with its sources spelled out, for tests. */
int x86_probe_with(struct cc_ctx *ctx, const struct cc_probe_opts *opts,
                   const struct x86_cpuid_source *src, const char *kvm_dev, struct cc_doc *doc);

/* ---- QEMU's host CPU expansion (x86_qemu_props.c) ---- */
/* What a QEMU CPU property that is not a feature bit means (data/x86/qemu-properties.xml). */
enum x86_qprop_use {
    X86_QP_FEATURE, /* a catalog feature (not in the table) */
    X86_QP_UNKNOWN, /* neither a catalog feature nor in the table */
    X86_QP_VENDOR,
    X86_QP_FAMILY,
    X86_QP_MODEL,
    X86_QP_STEPPING,
    X86_QP_MODEL_ID,
    X86_QP_LEVEL,
    X86_QP_XLEVEL,
    X86_QP_PHYS_BITS,
    X86_QP_TSC_FREQUENCY,
    X86_QP_MICROCODE,
    X86_QP_SETTING, /* chosen by the guest's configuration, not offered by the host */
};

void x86_qemu_props_free(struct x86_qemu_props *t);
enum x86_qprop_use x86_qprop_use(const struct x86_catalog *cat, const struct x86_qemu_props *t,
                                 const char *name);
int x86_qemu_props_get(struct cc_ctx *ctx, const struct x86_catalog *cat,
                       const struct x86_qemu_props **out);
/* From a view's kept property list: the features QEMU marked non-migratable (into
 * nonmigratable, may be NULL) and the enabled, migratable booleans this catalog cannot name,
 * spelled with '-' for '_' (into unknown, may be NULL): a host-model guest gets them, cpucompat
 * cannot see them. */
int x86_qprops_judge(const struct x86_catalog *cat, const struct x86_qemu_props *t,
                     const struct x86_raw *raw, struct x86_words *nonmigratable,
                     struct cc_strlist *unknown);
/* The shared converter: raw->qprops (QEMU's full expansion of `host` under KVM) -> CPUID and
 * MSR words in raw, identity, origin and the kvm view of doc (into *view, may be NULL). Takes
 * ownership of raw. */
int x86_import_qemu_expansion(struct cc_ctx *ctx, const char *path, const char *format,
                              struct x86_raw *raw, const char *qemu_version, const char *microcode,
                              struct cc_doc *doc, struct cc_view **view);

/* ---- imports ---- */
int x86_import_cpuid_raw(struct cc_ctx *ctx, const char *path, struct cc_doc *doc);
int x86_import_libvirt(struct cc_ctx *ctx, const char *path, struct cc_doc *doc);
int x86_import_domcaps(struct cc_ctx *ctx, const char *path, struct cc_doc *doc);
int x86_import_qemucaps(struct cc_ctx *ctx, const char *path, struct cc_doc *doc);
int x86_import_qmp_expansion(struct cc_ctx *ctx, const char *path, struct cc_doc *doc);
int x86_import_libvirt_cpu(struct cc_ctx *ctx, const char *path, struct cc_doc *doc);

extern const struct cc_arch_ops x86_arch_ops;

/* CPUID returns text (vendor, brand) in little-endian byte order within each register, whatever
 * the byte order of the machine reading the values (s390x reads x86 files too). */
static inline void x86_reg_text(uint32_t reg, char out[4])
{
    for (int i = 0; i < 4; i++)
        out[i] = (char)(reg >> (8 * i));
}
static inline uint32_t x86_text_reg(const char in[4])
{
    uint32_t reg = 0;

    for (int i = 0; i < 4; i++)
        reg |= (uint32_t)(unsigned char)in[i] << (8 * i);
    return reg;
}

/* Register names as spelled in files. */
extern const char *const x86_reg_names[4];
int x86_reg_from_name(const char *s, enum x86_reg *out);

#endif
