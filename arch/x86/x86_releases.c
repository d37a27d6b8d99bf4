/* Which QEMU release first defines each model version and feature (data/x86/qemu-releases.xml),
 * and a host judged by the QEMU it runs. */
#include "x86_engine.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"
#include "../../core/grow.h"
#include "../../core/qemu.h"
#include "../../core/xalloc.h"
#include "../../core/xml_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RELEASES_FILE "x86/qemu-releases.xml"

void x86_releases_free(struct x86_releases *rel)
{
    if (!rel)
        return;
    for (size_t i = 0; i < rel->n_models; i++)
        free(rel->models[i].name);
    free(rel->models);
    free(rel->feature_since);
    free(rel);
}

struct releases_reader {
    const char *file;
    const struct x86_catalog *cat;
    struct x86_releases *rel;
    size_t cap;
    bool root;
};

static int since_of(const struct releases_reader *rr, const char *const *attrs, int line,
                    unsigned *out)
{
    const char *s = cc_xml_pair(attrs, "since");

    if (!s || cc_qemu_version_parse(s, 3, out) < 0)
        return cc_error(EINVAL, "%s: line %d: bad or missing 'since'", rr->file, line);
    return 0;
}

static int releases_start(void *user, const char *el, const char *const *attrs, int line)
{
    struct releases_reader *rr = user;
    struct x86_releases *rel = rr->rel;
    const char *name = cc_xml_pair(attrs, "name");
    unsigned v;
    int r;

    if (!strcmp(el, "x86-qemu-releases")) {
        rr->root = true;
        return 0;
    }
    if (!rr->root)
        return cc_error(EINVAL, "%s: not an x86 QEMU release table", rr->file);
    if (!strcmp(el, "release")) {
        const char *s = cc_xml_pair(attrs, "version");
        if (!s || cc_qemu_version_parse(s, 3, &v) < 0)
            return cc_error(EINVAL, "%s: line %d: bad release version", rr->file, line);
        if (!rel->oldest || v < rel->oldest)
            rel->oldest = v;
        if (v > rel->newest)
            rel->newest = v;
        return 0;
    }
    if (!strcmp(el, "feature")) {
        const struct x86_feature *f = name ? x86_catalog_feature(rr->cat, name) : NULL;
        if (!f || strcmp(f->name, name) != 0)
            return cc_error(EINVAL, "%s: line %d: unknown feature '%s'", rr->file, line,
                            name ?: "?");
        return since_of(rr, attrs, line, &rel->feature_since[f - rr->cat->features]);
    }
    if (!strcmp(el, "model")) {
        if (!name)
            return cc_error(EINVAL, "%s: line %d: <model> without a name", rr->file, line);
        if ((r = CC_GROW(rel->models, rr->cap, rel->n_models)) < 0)
            return r;
        if ((r = since_of(rr, attrs, line, &v)) < 0)
            return r;
        rel->models[rel->n_models].since = v;
        if (!(rel->models[rel->n_models++].name = strdup(name)))
            return cc_error(ENOMEM, "out of memory");
    }
    return 0;
}

static int load_releases(struct cc_ctx *ctx, const struct x86_catalog *cat,
                         struct x86_releases *rel)
{
    static const struct cc_xml_sax handler = {.start = releases_start};
    _cleanup_free_ char *path = NULL;
    struct releases_reader rr = {.cat = cat, .rel = rel};
    int r = cc_ctx_data_path(ctx, RELEASES_FILE, &path);

    if (r < 0)
        return r;
    rr.file = path;
    rel->feature_since = calloc(cat->n_features ? cat->n_features : 1, sizeof(unsigned));
    if (!rel->feature_since)
        return cc_error(ENOMEM, "out of memory");
    if ((r = cc_xml_sax_file(path, &handler, &rr)) < 0)
        return r;
    if (!rr.root || !rel->oldest)
        return cc_error(EINVAL, "%s: not an x86 QEMU release table", path);
    /* Every feature must be placed: one left out would be judged as known to every QEMU. */
    for (size_t i = 0; i < cat->n_features; i++)
        if (!rel->feature_since[i])
            return cc_error(EINVAL, "%s: no release for feature '%s'", path, cat->features[i].name);
    return 0;
}

int x86_releases_get(struct cc_ctx *ctx, const struct x86_catalog *cat,
                     const struct x86_releases **out)
{
    struct x86_catalog *owner = (struct x86_catalog *)cat; /* cache owned by the catalog */
    struct x86_releases *rel;
    int r;

    if (!owner->releases) {
        if (!(rel = calloc(1, sizeof(*rel))))
            return cc_error(ENOMEM, "out of memory");
        if ((r = load_releases(ctx, cat, rel)) < 0) {
            x86_releases_free(rel);
            return r;
        }
        owner->releases = rel;
    }
    *out = owner->releases;
    return 0;
}

unsigned x86_releases_model(const struct x86_releases *rel, const char *name)
{
    for (size_t i = 0; i < rel->n_models; i++)
        if (!strcmp(rel->models[i].name, name))
            return rel->models[i].since;
    return 0;
}

int x86_host_judged(struct cc_ctx *ctx, const struct x86_env *env, const struct cc_doc *doc,
                    const char *file, struct x86_host *host, struct cc_strlist *notes)
{
    int r = x86_host_init(env->cat, env->rules, doc, file, host);

    if (r == 0)
        r = cc_doc_qemu_judged(ctx, doc, file, env->rel->oldest, &host->qemu, notes);
    if (r < 0)
        return r;
    if ((r = x86_host_qemu_fixups(env->cat, env->rules, host, file, notes)) < 0)
        return r;
    /* QEMU gives no feature it has no name for: judged by this QEMU, such a bit is absent. */
    for (size_t i = 0; i < env->cat->n_features; i++) {
        const struct x86_feature *f = &env->cat->features[i];

        if (env->rel->feature_since[i] > host->qemu) {
            host->supported.w[f->word] &= ~f->bits;
            host->unknown.w[f->word] &= ~f->bits;
        }
    }
    return 0;
}

/* What a document's memo keeps: its judged host and, once asked, that host's host model. */
struct judged {
    struct x86_host host;
    struct x86_words model;
    bool model_known;
};

/* Also the memo's mark: a memo freed by this is a struct judged. */
static void judged_free(void *memo)
{
    free(memo);
}

int x86_host_judged_memo(struct cc_ctx *ctx, const struct x86_env *env, const struct cc_doc *doc,
                         const char *file, struct x86_host *host)
{
    /* The memo is a cache of what the document already says: keeping it does not change the
     * document, so a const one may hold it. */
    struct cc_doc *memo_doc = (struct cc_doc *)doc;
    struct judged *j;
    int r;

    if (doc->memo && doc->memo_free == judged_free) {
        *host = ((const struct judged *)doc->memo)->host;
        return 0;
    }
    if ((r = x86_host_judged(ctx, env, doc, file, host, NULL)) < 0)
        return r;
    cc_doc_forget(memo_doc);
    j = xcalloc(1, sizeof(*j));
    j->host = *host;
    memo_doc->memo = j;
    memo_doc->memo_free = judged_free;
    return 0;
}

void x86_host_model_memo(const struct x86_env *env, const struct x86_host *host,
                         struct x86_words *out)
{
    struct judged *j =
        host->doc->memo && host->doc->memo_free == judged_free ? host->doc->memo : NULL;

    if (!j) {
        x86_host_model(env->cat, env->rules, host, out);
        return;
    }
    if (!j->model_known) {
        x86_host_model(env->cat, env->rules, &j->host, &j->model);
        j->model_known = true;
    }
    *out = j->model;
}

bool x86_feature_in_qemu(const struct x86_env *env, const struct x86_feature *f, unsigned qemu)
{
    return env->rel->feature_since[f - env->cat->features] <= qemu;
}
