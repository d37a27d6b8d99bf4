/* The canonical guest-visible form of an s390x host: QEMU's host model as compare weighs it, its
 * generation and GA (the EC and BC machines of one GA compare as one) and its features. */
#include "s390x.h"
#include "../../core/error.h"
#include "../../core/xalloc.h"

#include <stdlib.h>
#include <string.h>

int s390x_canonical(struct cc_ctx *ctx, const struct cc_doc *doc, const char *file, char **out)
{
    const struct s390x_catalog *cat;
    struct s390x_model m;
    struct cc_strlist names = {0};
    size_t len = 0, used;
    char *s;
    int r = s390x_catalog_get(ctx, &cat);

    if (r == 0)
        r = s390x_host_judged(ctx, cat, doc, file, &m, NULL);
    if (r == 0)
        r = s390x_feats_names(cat, &m.feats, &names);
    if (r < 0) {
        cc_strlist_free(&names);
        return r;
    }
    for (size_t i = 0; i < names.n; i++)
        len += strlen(names.items[i]) + 1;
    s = xmalloc(len + 64);
    used = (size_t)sprintf(s, "arch=s390x\ngeneration=%u.%u\nfeatures=", m.def->gen, m.def->ga);
    for (size_t i = 0; i < names.n; i++)
        used += (size_t)sprintf(s + used, "%s%s", i ? " " : "", names.items[i]);
    strcpy(s + used, "\n");
    cc_strlist_free(&names);
    *out = s;
    return 0;
}
