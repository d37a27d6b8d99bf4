/* Drift between two s390x canonical texts (s390x_canonical.c): a facility of the old host model
 * the new one lacks is lost, and an older generation or GA is lost too (its CPU definition
 * lacks what the old one had); the reverse is gained. */
#include "s390x.h"
#include "../../core/drift.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool judged_here(const void *arg, const char *key, size_t len)
{
    (void)arg;
    return (len == 8 && !memcmp(key, "features", 8)) ||
           (len == 10 && !memcmp(key, "generation", 10)) || (len == 4 && !memcmp(key, "arch", 4));
}

int s390x_canonical_diff(struct cc_ctx *ctx, const char *old_text, const char *new_text,
                         struct cc_drift *out)
{
    static const char *const feats[] = {"features"};
    char *a = cc_canon_get(old_text, "generation"), *b = cc_canon_get(new_text, "generation");
    unsigned ag, aa, bg, ba;

    (void)ctx;
    cc_canon_words(old_text, new_text, feats, 1, out);
    if (a && b && strcmp(a, b) != 0) {
        if (sscanf(a, "%u.%u", &ag, &aa) == 2 && sscanf(b, "%u.%u", &bg, &ba) == 2)
            cc_changes_add(bg < ag || (bg == ag && ba < aa) ? &out->lost : &out->gained,
                           "generation", a, b);
        else
            cc_changes_add(&out->changed, "generation", a, b);
    } else if (!a != !b) {
        cc_changes_add(&out->changed, "generation", a, b);
    }
    free(a);
    free(b);
    cc_canon_other_lines(old_text, new_text, judged_here, NULL, out);
    return 0;
}
