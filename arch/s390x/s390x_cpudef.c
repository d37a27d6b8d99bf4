/* s390x guest CPUs for the stack. QEMU's -cpu takes a definition and feat=on|off; libvirt's
 * <cpu mode='custom'> on s390x names QEMU's definitions and features as QEMU spells them (its
 * s390 CPU map has no models of its own), with require for on and disable for off. */
#include "s390x.h"
#include "../../core/error.h"
#include "../../core/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* One feat=on|off as libvirt's policy; a later one for the same name wins, as in QEMU. */
static void add_feature(struct cc_cpudef *out, const char *name, bool on)
{
    cc_kv_set(&out->lv_features, name, on ? "require" : "disable");
}

int s390x_cpudef(struct cc_ctx *ctx, const char *model, const struct cc_strlist *add,
                 const struct cc_strlist *remove, const struct cc_kvlist *props,
                 struct cc_cpudef *out)
{
    const struct s390x_catalog *cat;
    struct s390x_model parsed;
    char *spec, *tok, *save = NULL, *copy;
    int r = s390x_catalog_get(ctx, &cat);

    if (r == 0 && !model) {
        out->why_not = xstrdup("no named model fits every host (see the features)");
        return 0;
    }
    if (r < 0)
        return r;
    spec = xstrdup(model);
    for (size_t i = 0; add && i < add->n; i++) {
        char *s = xasprintf("%s,%s=on", spec, add->items[i]);
        free(spec);
        spec = s;
    }
    for (size_t i = 0; props && i < props->n; i++) {
        char *s = xasprintf("%s,%s=%s", spec, props->items[i].key, props->items[i].value);
        free(spec);
        spec = s;
    }
    for (size_t i = 0; remove && i < remove->n; i++) {
        char *s = xasprintf("%s,%s=off", spec, remove->items[i]);
        free(spec);
        spec = s;
    }
    /* QEMU's own parse of the string is the check that it starts: names, values, groups. */
    if ((r = s390x_model_parse(ctx, &s390x_arch_ops, cat, spec, &parsed)) < 0) {
        free(spec);
        return r;
    }
    out->qemu = spec;
    copy = xstrdup(spec);
    tok = strtok_r(copy, ",", &save);
    out->lv_model = xstrdup(tok);
    while ((tok = strtok_r(NULL, ",", &save))) {
        char *eq = strchr(tok, '='); /* s390x_model_parse took only feat=on|off */

        *eq = 0;
        add_feature(out, tok, strcmp(eq + 1, "on") == 0);
    }
    free(copy);
    return 0;
}
