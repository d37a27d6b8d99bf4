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
int x86_expand(struct cc_ctx *ctx, const char *model, const struct cc_doc *base,
               const char *base_file, struct cc_doc *out);

/* One blocker (reason: missing) per feature set in un. */
int x86_add_missing(const struct x86_env *env, const struct x86_words *un, struct cc_blockers *b,
                    const char *who);

/* Is model m usable on host (nothing unavailable)? */
bool x86_model_usable(const struct x86_env *env, const struct x86_host *host,
                      const struct x86_model *m);

#endif
