/* The x86 answers: models, compare, baseline, expand (x86_models_cmd.c, x86_compare.c,
 * x86_baseline.c, x86_expand.c). */
#ifndef CC_X86_ENGINE_H
#define CC_X86_ENGINE_H

#include "x86.h"

/* Everything the answers need, loaded once. */
struct x86_env {
    const struct x86_catalog *cat;
    const struct x86_rules *rules;
    const struct x86_model_set *models;
    const struct x86_releases *rel;
};

/* Catalog and QEMU rules; the model catalog only once x86_env_models asks for it, since a
 * compare of two hosts that agree never needs it. */
int x86_env_get(struct cc_ctx *ctx, struct x86_env *env);
int x86_env_models(struct cc_ctx *ctx, struct x86_env *env);

int x86_models_report(struct cc_ctx *ctx, const struct cc_doc *host, const char *file,
                      struct cc_models_report *out);
int x86_compare(struct cc_ctx *ctx, const struct cc_doc *src, const char *src_file,
                const struct cc_doc *dst, const char *dst_file, const struct cc_compare_opts *opts,
                struct cc_verdict *out);
int x86_baseline(struct cc_ctx *ctx, const struct cc_doc *const *hosts, const char *const *files,
                 size_t n, bool allow_vendor_mix, struct cc_baseline *out);
int x86_cpudef(struct cc_ctx *ctx, const char *model, const struct cc_strlist *add,
               const struct cc_strlist *remove, const struct cc_kvlist *props,
               struct cc_cpudef *out);
/* Guest g (of vendor, with no model newer than QEMU release since) as libvirt's <cpu>: the
 * model of the oldest libvirt release needing the fewest named changes (x86_cpudef.c). */
int x86_lv_express(struct cc_ctx *ctx, const struct x86_env *env, const char *vendor,
                   unsigned since, const struct x86_words *g, struct cc_cpudef *out);
/* KubeVirt's node labels for a host (x86_labels.c). */
int x86_labels(struct cc_ctx *ctx, const struct cc_doc *doc, const char *file,
               struct cc_kvlist *labels, struct cc_strlist *notes);
/* --names (x86_spell.c). */
const char *x86_spell_feature(struct cc_ctx *ctx, const char *name, const char *naming);
int x86_spell_check(struct cc_ctx *ctx, const char *naming);
int x86_expand(struct cc_ctx *ctx, const char *model, const struct cc_doc *base,
               const char *base_file, struct cc_doc *out);

/* One blocker (reason: missing) per feature set in un; a feature that the QEMU of the host
 * (who) does not define says so. */
int x86_add_missing(const struct x86_env *env, const struct x86_words *un, struct cc_blockers *b,
                    const char *who, const struct x86_host *host);

/* x86_host_init, then the QEMU release the host is judged by (--qemu, the file's, else 7.2 with
 * a note added to notes): the features that release does not define are taken away. */
int x86_host_judged(struct cc_ctx *ctx, const struct x86_env *env, const struct cc_doc *doc,
                    const char *file, struct x86_host *host, struct cc_strlist *notes);
/* The same without notes, kept with the document for the next call: a fleet's matrix judges
 * each class's host against every other. */
int x86_host_judged_memo(struct cc_ctx *ctx, const struct x86_env *env, const struct cc_doc *doc,
                         const char *file, struct x86_host *host);
/* The host model of a host x86_host_judged_memo gave, kept in the same memo (computed the first
 * time); of any other host (its document without that memo), computed. */
void x86_host_model_memo(const struct x86_env *env, const struct x86_host *host,
                         struct x86_words *out);
bool x86_feature_in_qemu(const struct x86_env *env, const struct x86_feature *f, unsigned qemu);

/* Does the host's QEMU define model m? */
static inline bool x86_model_in_qemu(const struct x86_model *m, const struct x86_host *host)
{
    return m->since <= host->qemu;
}

/* Is model m usable on host (its QEMU defines it and nothing is unavailable)? */
bool x86_model_usable(const struct x86_env *env, const struct x86_host *host,
                      const struct x86_model *m);

/* The canonical guest-visible form of a host (cc_arch_ops.canonical). */
int x86_canonical(struct cc_ctx *ctx, const struct cc_doc *doc, const char *file, char **out);
/* What changed between two of those texts, and the versions a file records (x86_drift.c). */
struct cc_drift;
int x86_canonical_diff(struct cc_ctx *ctx, const char *old_text, const char *new_text,
                       struct cc_drift *out);
void x86_versions(const struct cc_doc *doc, struct cc_kvlist *out);

#endif
