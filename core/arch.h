/* The architecture driver table. core/ calls an architecture only through these operations;
 * an operation an architecture does not have is NULL, and callers say so to the user. */
#ifndef CC_ARCH_H
#define CC_ARCH_H

#include "capdoc.h"
#include "cpudef.h"
#include "data_versions.h"
#include "options.h"
#include "verdict.h"

#include <libxml/tree.h>
#include <libxml/xmlwriter.h>
#include <stdbool.h>

struct cc_ctx;
struct cc_drift;

struct cc_probe_opts {
    bool require_kvm;                 /* a missing kvm view is an error, not a note */
    bool skip_kvm;                    /* do not open /dev/kvm at all */
    const struct cc_options *options; /* the architecture's own options (cc_arch_ops.options) */
    /* Receives one-line notes for the user (e.g. why the kvm view is absent). */
    void (*note)(const char *msg);
};

struct cc_import_format {
    const char *name;    /* as given on the command line, e.g. "cpuid-raw" */
    const char *summary; /* one line for --help */
    int (*import)(struct cc_ctx *ctx, const char *path, struct cc_doc *doc);
};

struct cc_arch_ops {
    const char *name;           /* as written in capability files, e.g. "x86_64" */
    const char *const *aliases; /* other spellings accepted on input; NULL-terminated */
    const char *data_subdir;    /* folder under the data dir holding this architecture's tables */

    /* The command-line options this architecture understands, ending with a NULL name (NULL:
     * none). Their values reach it through the cc_options carrier of the operation's options
     * (probe, compare); an operation that comes to need one gains such a carrier. */
    const struct cc_option *options;

    /* Where its catalogs record the releases they were made from (--version); NULL: none. */
    const struct cc_data_version *data_versions;

    /* Catalog and other tables under data/, loaded once per process and cached in ctx. */
    int (*data_load)(struct cc_ctx *ctx, void **state);
    void (*data_free)(void *state);

    /* Probes the running host. NULL when this build cannot probe this architecture. */
    int (*probe)(struct cc_ctx *ctx, const struct cc_probe_opts *opts, struct cc_doc *doc);

    const struct cc_import_format *imports;
    size_t n_imports;

    /* The <raw> element of a view: parse (node is the <raw> element), write, release. */
    int (*raw_parse)(struct cc_ctx *ctx, const char *file, xmlNodePtr raw, void **out);
    int (*raw_write)(xmlTextWriterPtr w, const void *raw);
    void (*raw_free)(void *raw);
    /* One line for people: how much raw data there is, e.g. "62 CPUID leaves, 3 MSRs". */
    void (*raw_summary)(const void *raw, char *buf, size_t len);

    /* Which named models the host can run (NULL: the architecture has no models yet). */
    int (*models)(struct cc_ctx *ctx, const struct cc_doc *host, const char *file,
                  struct cc_models_report *out);
    /* Can the guest CPU (opts) move from src to dst? */
    int (*compare)(struct cc_ctx *ctx, const struct cc_doc *src, const char *src_file,
                   const struct cc_doc *dst, const char *dst_file,
                   const struct cc_compare_opts *opts, struct cc_verdict *out);
    /* compare --guest: the guest a file defines (libvirt <cpu> on x86), on dst and first on src
     * (NULL in the one-file form); opts carries the architecture's own options (opts->model is
     * NULL: the file defines the whole guest). NULL: the architecture reads no guest
     * definitions yet. */
    int (*compare_guest)(struct cc_ctx *ctx, const struct cc_doc *src, const char *src_file,
                         const struct cc_doc *dst, const char *dst_file, const char *guest,
                         const struct cc_compare_opts *opts, struct cc_verdict *out);
    /* The CPU every host can run. */
    int (*baseline)(struct cc_ctx *ctx, const struct cc_doc *const *hosts, const char *const *files,
                    size_t n, bool allow_vendor_mix, struct cc_baseline *out);
    /* Run on a destination: replays src's registers into a scratch vCPU here and reports what
     * this host's KVM refuses or ignores (NULL where the build cannot). */
    int (*verify)(struct cc_ctx *ctx, const struct cc_doc *src, const char *src_file,
                  struct cc_verdict *out);
    /* A named model as a capability document of a virtual host; with base (arm64), the model
     * as a VMM gives it on that host. */
    int (*expand)(struct cc_ctx *ctx, const char *model, const struct cc_doc *base,
                  const char *base_file, struct cc_doc *out);

    /* Every name of a CPU model this architecture knows (versions and aliases), and every
     * feature name a model's properties may use: for "did you mean" and completion. */
    int (*model_names)(struct cc_ctx *ctx, struct cc_strlist *out);
    int (*feature_names)(struct cc_ctx *ctx, struct cc_strlist *out);

    /* The host's guest-visible CPU as one canonical text (allocated): the key of inventory's
     * classes, whose hash show prints as the fingerprint. Two hosts give one text exactly when
     * compare finds their host-model guests identical both ways; a value a file did not record
     * is written as unknown, so such a host may stand apart from its twins but never joins a
     * host that differs. */
    int (*canonical)(struct cc_ctx *ctx, const struct cc_doc *doc, const char *file, char **out);
    /* What changed from one canonical text of this architecture to another (inventory
     * --since, drift.h): lost (a guest started on the old host had it; the new one cannot give
     * it), gained, and other values changed. Both texts come from canonical, maybe of an older
     * release, so a line the reader does not know is a change, never an error. */
    int (*canonical_diff)(struct cc_ctx *ctx, const char *old_text, const char *new_text,
                          struct cc_drift *out);
    /* The versions the file records beyond the origin's kernel and QEMU (x86: microcode), as
     * name -> value into out. NULL: none. */
    void (*versions)(const struct cc_doc *doc, struct cc_kvlist *out);

    /* A guest CPU (named model, plus and minus features in this architecture's QEMU spelling,
     * QEMU -cpu properties such as phys-bits; each list may be NULL)
     * as QEMU's -cpu string and libvirt's <cpu> (cpudef.h). What the stack cannot express goes
     * to out->why_not and out->notes, not to an error: the report still stands. model NULL:
     * no named model fits (why_not says what the architecture can offer instead). NULL: the
     * architecture has no export yet. */
    int (*cpudef)(struct cc_ctx *ctx, const char *model, const struct cc_strlist *add,
                  const struct cc_strlist *remove, const struct cc_kvlist *props,
                  struct cc_cpudef *out);

    /* KubeVirt's node labels for the host (key -> value, in output order), with notes on what
     * they rest on. NULL: none for this architecture. */
    int (*labels)(struct cc_ctx *ctx, const struct cc_doc *doc, const char *file,
                  struct cc_kvlist *labels, struct cc_strlist *notes);

    /* A feature's name (QEMU's spelling) in another naming ("libvirt", "linux"): the spelling,
     * or NULL when that naming has none (the QEMU name stays). An unknown naming is -EINVAL
     * through spell_check. NULL: the architecture's features have QEMU's names only. */
    const char *(*spell_feature)(struct cc_ctx *ctx, const char *name, const char *naming);
    int (*spell_check)(struct cc_ctx *ctx, const char *naming);

    /* The named features a view's raw data decodes to, in catalog order. */
    int (*view_features)(struct cc_ctx *ctx, const struct cc_view *view, struct cc_strlist *names);
};

/* What a probe makes of its kvm view's outcome r: with --require-kvm a failure stays one;
 * otherwise the reason goes to opts->note as "no kvm view: ..." and the probe goes on (0). */
int cc_probe_kvm_outcome(const struct cc_probe_opts *opts, int r);

/* Every architecture this build knows, NULL-terminated (arch/arch_table.c). */
extern const struct cc_arch_ops *const cc_arch_table[];

/* Looks an architecture up by name or alias; NULL if unknown. */
const struct cc_arch_ops *cc_arch_find(const char *name);

/* The error for a CPU model the tables of arch (NULL: of any architecture) lack, -ENOENT:
 * "unknown CPU model 'NAME' (did you mean 'X'?) (see 'cpucompat models')", or, when another
 * architecture has it, "CPU model 'NAME' is an s390x model; these files are x86_64". */
int cc_model_unknown(struct cc_ctx *ctx, const struct cc_arch_ops *arch, const char *name);
/* The same for a feature of arch's model properties: "unknown s390x feature 'NAME' (...)". */
int cc_feature_unknown(struct cc_ctx *ctx, const struct cc_arch_ops *arch, const char *name);

/* The architecture of the machine this binary runs on, NULL if the build does not know it. */
const struct cc_arch_ops *cc_arch_host(void);

#endif
