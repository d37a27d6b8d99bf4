/* A guest CPU as an operator defines it: a QEMU -cpu string (x86_cpu_string.c) or an x86-64
 * psABI level, and what it asks of the host it starts on. */
#ifndef CC_X86_GUEST_H
#define CC_X86_GUEST_H

#include "x86_engine.h"

enum x86_guest_base {
    X86_GUEST_MODEL, /* a named QEMU model */
    X86_GUEST_HOST,  /* -cpu host: the host model of the host it starts on */
    X86_GUEST_MAX,   /* -cpu max: everything the accelerator offers */
    X86_GUEST_BASE,  /* -cpu base: no features but those the string names */
    X86_GUEST_LEVEL, /* a psABI level: the level's features, nothing else */
};

struct x86_level {
    char *name;
    struct x86_words words;
};

struct x86_guest {
    enum x86_guest_base base;
    const struct x86_model *model;
    const struct x86_level *level;
    char *name;                    /* how reports call it: the string as given */
    struct x86_words on, off;      /* the string's final word on each feature it names */
    struct x86_words user;         /* every feature the string names (QEMU's user_features) */
    unsigned phys_bits;            /* phys-bits=, 0 when not given */
    bool host_phys_bits;           /* host-phys-bits=on */
    bool host_phys_bits_given;     /* host-phys-bits= in the string, on or off */
    unsigned host_phys_bits_limit; /* 0: none */
    bool migratable, kvm;          /* migratable= (host, max), kvm= */
    unsigned long long tsc_khz;    /* tsc-frequency=, 0 when not given */
    bool check_enforce;            /* check= or enforce= given (and ignored) */
    unsigned qemu;                 /* the QEMU release that read the string */
    struct cc_strlist notes;       /* names taken in another spelling than QEMU's */
};

/* Parses a -cpu string or level name as QEMU release qemu reads it (the QEMU of the host the
 * guest starts on: file, in the role "source" or "destination"; both NULL for none); errors
 * name the token, with the nearest known name. A feature in libvirt's or Linux's spelling is
 * taken, with a note naming QEMU's. env must have its models. */
int x86_guest_parse(struct cc_ctx *ctx, const struct x86_env *env, const char *spec, unsigned qemu,
                    const char *file, const char *role, struct x86_guest *g);
void x86_guest_free(struct x86_guest *g);

/* The QEMU model a psABI level's words w are expanded on (a level names no vendor, family or
 * brand): the model of release qemu or older with the fewest features that has the whole
 * level, first in the catalog on a tie; NULL when none has it. */
const struct x86_model *x86_level_base(const struct x86_env *env, const struct x86_words *w,
                                       unsigned qemu);

/* The feature words QEMU asks of `on` when it starts the guest there (its accelerator; host and
 * max from its supported set), before filtering. Fails where QEMU refuses to start whatever the
 * host has: -cpu host under TCG, a feature named on whose dependency is off. */
int x86_guest_words(const struct x86_env *env, const struct x86_guest *g, const struct x86_host *on,
                    const char *file, struct x86_words *out);

/* QEMU checks phys-bits (32 to TARGET_PHYS_ADDR_SPACE_BITS, for a 64-bit guest) only once the
 * features passed enforce: an error here, to be asked after the feature verdict. */
int x86_guest_check_phys_bits(const struct x86_env *env, const struct x86_guest *g,
                              const struct x86_words *words, bool kvm);
/* Does the guest take the host's address width (host-phys-bits on, as host and max have it
 * under KVM unless the string turns it off)? */
bool x86_guest_host_phys_bits(const struct x86_guest *g);

/* The guest's physical address bits on `on` (words: its feature words there): phys-bits=,
 * host-phys-bits, QEMU's default, or a 32-bit CPU's own width. */
unsigned x86_guest_phys_bits(const struct x86_env *env, const struct x86_guest *g,
                             const struct x86_words *words, const struct x86_host *on,
                             unsigned host_phys);

/* A named model's words as QEMU gives them on `on`: under KVM its kvm expansion, under TCG
 * the definition with TCG's defaults. */
void x86_model_words(const struct x86_env *env, const struct x86_model *m,
                     const struct x86_host *on, struct x86_words *out);

/* The psABI levels of data/x86/psabi.xml, lowest first. */
const struct x86_level *x86_levels(const struct x86_env *env, size_t *n);
/* Does `on` give a guest every feature of the level? */
bool x86_level_usable(const struct x86_env *env, const struct x86_host *on,
                      const struct x86_level *lv, struct x86_words *unavailable);

#endif
