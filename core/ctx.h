/* Per-process state: where the data files are, and the tables loaded from them so far. */
#ifndef CC_CTX_H
#define CC_CTX_H

#include "arch.h"

#include <libxml/relaxng.h>

#define CC_MAX_ARCHES 8

struct cc_prop_types;
struct cc_token_slots;

struct cc_ctx {
    char *datadir; /* CC_EMBEDDED_ROOT when builtin */
    bool builtin;  /* no data directory was found: the files built into the binary are read */
    xmlRelaxNGPtr schema;
    struct cc_prop_types *prop_types;   /* read from the schema with it */
    struct cc_token_slots *token_slots; /* what its copy leaves to cc_token_check */
    const struct cc_arch_ops *loaded_arch[CC_MAX_ARCHES];
    void *arch_state[CC_MAX_ARCHES];
    size_t n_loaded;
    /* --names: the spelling of feature names in reports ("libvirt", "linux"), NULL for QEMU's;
     * applied to a finished report by cc_report_spell for the architecture of the files read
     * (answer_arch, set by cc_doc_read). */
    const char *names;
    const struct cc_arch_ops *answer_arch;
    /* --qemu: the QEMU release every host is judged by (cc_qemu_version_parse), 0 if none. */
    unsigned qemu_override;
};

/* datadir: explicit choice (option), else $CPUCOMPAT_DATADIR, else the data/ folder beside the
 * executable when run from a build tree, else the compiled-in install location when it exists,
 * else the copy built into the binary (core/embedded.h). */
int cc_ctx_init(struct cc_ctx *ctx, const char *datadir);
void cc_ctx_fini(struct cc_ctx *ctx);

/* The architecture's tables, loaded on first use. */
int cc_ctx_arch_data(struct cc_ctx *ctx, const struct cc_arch_ops *arch, void **state);

/* Joins datadir and a relative path; the caller frees the result. */
int cc_ctx_data_path(const struct cc_ctx *ctx, const char *rel, char **out);
/* The path of a file in an architecture's own folder of the data dir (its ops' data_subdir), e.g.
 * "features.xml" -> DATADIR/x86/features.xml; the caller frees the result. */
int cc_ctx_arch_path(const struct cc_ctx *ctx, const struct cc_arch_ops *arch, const char *name,
                     char **out);
/* The paths of the .xml files in a folder of the data dir (e.g. "x86/models"), sorted by name;
 * a folder without one is an error naming it. */
int cc_ctx_data_files(const struct cc_ctx *ctx, const char *rel, struct cc_strlist *out);
/* The same for a folder of an architecture's own folder, e.g. "models" -> DATADIR/x86/models. */
int cc_ctx_arch_files(const struct cc_ctx *ctx, const struct cc_arch_ops *arch, const char *name,
                      struct cc_strlist *out);

#endif
