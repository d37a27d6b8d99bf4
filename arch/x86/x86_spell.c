/* --names on x86: a report's feature names in libvirt's or Linux's spelling
 * (data/x86/feature-names.xml through x86_names.c). */
#include "x86_engine.h"
#include "../../core/error.h"

const char *x86_spell_feature(struct cc_ctx *ctx, const char *name, const char *naming)
{
    const struct x86_catalog *cat;
    const struct x86_names *names;
    const struct x86_feature *f;
    int n = x86_naming_from_name(naming);

    if (n < 0 || x86_catalog_get(ctx, &cat) < 0 || x86_names_get(ctx, cat, &names) < 0 ||
        !(f = x86_catalog_feature(cat, name))) {
        cc_error_clear();
        return NULL;
    }
    return x86_names_spell(names, f, (enum x86_naming)n);
}

int x86_spell_check(struct cc_ctx *ctx, const char *naming)
{
    const struct x86_catalog *cat;
    const struct x86_names *names;
    int r;

    if (x86_naming_from_name(naming) < 0)
        return cc_error(EINVAL, "--names '%s': not one of qemu libvirt linux", naming);
    /* the table is loaded here so that a broken one is an error, not QEMU's names */
    if ((r = x86_catalog_get(ctx, &cat)) < 0 || (r = x86_names_get(ctx, cat, &names)) < 0)
        return r;
    return 0;
}
