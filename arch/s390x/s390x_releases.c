/* Which QEMU release first knows each s390x CPU definition, feature and group
 * (data/s390x/qemu-releases.xml), and a host judged by the QEMU it runs. */
#include "s390x.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"
#include "../../core/qemu.h"
#include "../../core/xml_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct releases_reader {
    const char *file;
    struct s390x_catalog *cat;
    bool root;
};

static int since_of(const struct releases_reader *rr, const char *const *attrs, int line,
                    unsigned *out)
{
    const char *s = cc_xml_pair(attrs, "since");

    if (s && strcmp(s, "none") == 0) {
        *out = S390X_QEMU_NONE;
        return 0;
    }
    if (!s || cc_qemu_version_parse(s, 3, out) < 0)
        return cc_error(EINVAL, "%s: line %d: bad or missing 'since'", rr->file, line);
    return 0;
}

static int release_version(struct releases_reader *rr, const char *const *attrs, int line)
{
    const char *s = cc_xml_pair(attrs, "version");
    unsigned v;

    if (!s || cc_qemu_version_parse(s, 3, &v) < 0)
        return cc_error(EINVAL, "%s: line %d: bad release version", rr->file, line);
    if (!rr->cat->oldest_qemu || v < rr->cat->oldest_qemu)
        rr->cat->oldest_qemu = v;
    if (v > rr->cat->newest_qemu)
        rr->cat->newest_qemu = v;
    return 0;
}

static int releases_start(void *user, const char *el, const char *const *attrs, int line)
{
    struct releases_reader *rr = user;
    struct s390x_catalog *cat = rr->cat;
    const char *name = cc_xml_pair(attrs, "name");
    unsigned *slot = NULL;
    int i;

    if (!strcmp(el, "s390x-qemu-releases")) {
        rr->root = true;
        return 0;
    }
    if (!rr->root)
        return cc_error(EINVAL, "%s: not an s390x QEMU release table", rr->file);
    if (!strcmp(el, "release") || !strcmp(el, "documented"))
        return release_version(rr, attrs, line);
    if (!strcmp(el, "feature") && name && (i = s390x_feature_index(cat, name)) >= 0)
        slot = &cat->feats[i].since;
    else if (!strcmp(el, "group") && name && (i = s390x_group_index(cat, name)) >= 0)
        slot = &cat->groups[i].since;
    else if (!strcmp(el, "model") && name && s390x_def_find(cat, name))
        slot = &((struct s390x_def *)s390x_def_find(cat, name))->since;
    else if (!strcmp(el, "feature") || !strcmp(el, "group") || !strcmp(el, "model"))
        return cc_error(EINVAL, "%s: line %d: unknown %s '%s'", rr->file, line, el, name ?: "?");
    return slot ? since_of(rr, attrs, line, slot) : 0;
}

int s390x_releases_load(struct cc_ctx *ctx, struct s390x_catalog *cat)
{
    static const struct cc_xml_sax handler = {.start = releases_start};
    _cleanup_free_ char *path = NULL;
    struct releases_reader rr = {.cat = cat};
    int r = cc_ctx_arch_path(ctx, &s390x_arch_ops, "qemu-releases.xml", &path);

    if (r < 0)
        return r;
    rr.file = path;
    if ((r = cc_xml_sax_file(path, &handler, &rr)) < 0)
        return r;
    if (!rr.root || !cat->oldest_qemu)
        return cc_error(EINVAL, "%s: not an s390x QEMU release table", path);
    /* Everything must be placed: one left out would be judged as known to every QEMU. */
    for (size_t i = 0; i < cat->n_feats; i++)
        if (!cat->feats[i].since)
            return cc_error(EINVAL, "%s: no release for feature '%s'", path, cat->feats[i].name);
    for (size_t i = 0; i < cat->n_groups; i++)
        if (!cat->groups[i].since)
            return cc_error(EINVAL, "%s: no release for group '%s'", path, cat->groups[i].name);
    for (size_t i = 0; i < cat->n_defs; i++)
        if (!cat->defs[i].since || cat->defs[i].since == S390X_QEMU_NONE)
            return cc_error(EINVAL, "%s: no release for CPU model '%s'", path, cat->defs[i].name);
    return 0;
}

void s390x_since_text(const struct s390x_catalog *cat, unsigned since, char *buf, size_t len)
{
    char newest[CC_QEMU_VERSION_LEN];

    if (since != S390X_QEMU_NONE)
        return cc_qemu_version_format(since, buf, len);
    cc_qemu_version_format(cat->newest_qemu, newest, sizeof(newest));
    snprintf(buf, len, "none up to %s", newest);
}

int s390x_doc_qemu(struct cc_ctx *ctx, const struct s390x_catalog *cat, const struct cc_doc *doc,
                   const char *file, unsigned *qemu, struct cc_strlist *notes)
{
    return cc_doc_qemu_judged(ctx, doc, file, cat->oldest_qemu, qemu, notes);
}

int s390x_host_judged(struct cc_ctx *ctx, const struct s390x_catalog *cat, const struct cc_doc *doc,
                      const char *file, struct s390x_model *out, struct cc_strlist *notes)
{
    unsigned qemu;
    int r = s390x_doc_qemu(ctx, cat, doc, file, &qemu, notes);

    return r < 0 ? r : s390x_host_model(cat, doc, file, qemu, out);
}

int s390x_not_in_qemu(const struct s390x_catalog *cat, const struct s390x_model *m, unsigned qemu,
                      struct cc_strlist *out)
{
    int r = 0;

    for (size_t i = 0; i < cat->n_feats && r == 0; i++)
        if (s390x_has(&m->feats, (int)i) && cat->feats[i].since > qemu)
            r = cc_strlist_add(out, cat->feats[i].name);
    return r;
}
