/* A guest CPU as libvirt defines it, read from a domain XML or its bare <cpu> (compare --guest):
 * what every architecture reads alike (the file under a size cap, the domain's type, the <cpu>
 * element's attributes and its <feature> elements with libvirt's policies). What a model or a
 * feature means is the architecture's. The file may come from a hook, so from an attacker: read
 * with a size cap, no DOCTYPE, no network, and nothing it names is opened. */
#ifndef CC_LIBVIRT_CPU_H
#define CC_LIBVIRT_CPU_H

#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>

/* Domain XMLs are a few KiB; libvirt itself refuses far less than this. */
#define CC_LV_MAX_BYTES    (1u << 20)
#define CC_LV_MAX_FEATURES 2048

enum cc_lv_mode { CC_LV_CUSTOM, CC_LV_HOST_MODEL, CC_LV_HOST_PASSTHROUGH, CC_LV_MAXIMUM };

/* CC_LV_POLICY_NONE is never a <feature>'s: libvirt's default for a guest's is require. */
enum cc_lv_policy {
    CC_LV_POLICY_NONE,
    CC_LV_REQUIRE,
    CC_LV_FORCE,
    CC_LV_OPTIONAL,
    CC_LV_DISABLE,
    CC_LV_FORBID
};

struct cc_lv_feature {
    const char *name;
    enum cc_lv_policy policy;
    long line;
};

struct cc_lv_cpu {
    const char *file;
    xmlDocPtr xdoc;         /* owns every string and node below */
    xmlNodePtr domain;      /* the <domain> root; NULL for a bare <cpu> */
    xmlNodePtr cpu;         /* the <cpu> element */
    enum cc_lv_mode mode;   /* custom when not written */
    const char *match;      /* minimum, exact or strict; NULL when not written */
    const char *check;      /* none, partial or full; NULL when not written */
    const char *migratable; /* on or off; NULL when not written */
    const char *model;      /* <model>'s name; NULL when absent or empty */
    const char *fallback;   /* <model fallback=...>: allow or forbid; NULL when not written */
    const char *vendor_id;  /* <model vendor_id=...>; NULL when not written */
    const char *vendor;     /* <vendor>; NULL when absent */
    const char *arch;       /* <cpu><arch>; NULL when absent */
    const char *os_arch;    /* the domain's <os><type arch=...>; NULL when absent */
    struct cc_lv_feature *features; /* in document order; names unique */
    size_t n_features;
};

/* Reads file ("-": standard input) as a libvirt domain XML (of type kvm when a type is given)
 * or a bare <cpu>. Errors name the file (and the line): not a domain or <cpu>, a domain of
 * another type or without <cpu>, an attribute or policy libvirt does not know, a feature given
 * twice or without a name, more than CC_LV_MAX_FEATURES of them. */
int cc_lv_cpu_read(const char *file, struct cc_lv_cpu *out);
void cc_lv_cpu_free(struct cc_lv_cpu *c);

const char *cc_lv_mode_name(enum cc_lv_mode mode);
const char *cc_lv_policy_name(enum cc_lv_policy policy);

/* An attribute of an element of the file that must be one of choices (NULL-terminated), or a
 * number up to max; absent leaves *out as it was (choice: NULL). */
int cc_lv_attr_choice(const char *file, xmlNodePtr n, const char *attr, const char *const *choices,
                      const char **out);
int cc_lv_attr_uint(const char *file, xmlNodePtr n, const char *attr, unsigned max, unsigned *out);

#endif
