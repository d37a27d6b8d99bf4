/* Drift between two x86 canonical texts (x86_canonical.c): a feature the old host could give (in
 * its host model or beyond) that the new one cannot is lost, since a guest started with it cannot
 * come back; fewer guest physical address bits are lost too. The vendor, the bits QEMU could not
 * judge, the LBR format and the TSC are changes: compare weighs them per guest. */
#include "x86_engine.h"
#include "../../core/drift.h"
#include "../../core/number.h"

#include <stdlib.h>
#include <string.h>

static const char *const given[] = {"features", "also-supported"};

static bool judged_here(const void *arg, const char *key, size_t len)
{
    (void)arg;
    for (size_t i = 0; i < sizeof(given) / sizeof(given[0]); i++)
        if (len == strlen(given[i]) && memcmp(key, given[i], len) == 0)
            return true;
    return (len == 9 && memcmp(key, "phys-bits", 9) == 0) || (len == 4 && !memcmp(key, "arch", 4));
}

int x86_canonical_diff(struct cc_ctx *ctx, const char *old_text, const char *new_text,
                       struct cc_drift *out)
{
    char *a = cc_canon_get(old_text, "phys-bits"), *b = cc_canon_get(new_text, "phys-bits");
    uint64_t x, y;

    (void)ctx;
    cc_canon_words(old_text, new_text, given, sizeof(given) / sizeof(given[0]), out);
    if (a && b && strcmp(a, b) != 0) {
        if (cc_parse_decimal(a, 0, 64, &x) == 0 && cc_parse_decimal(b, 0, 64, &y) == 0)
            cc_changes_add(y < x ? &out->lost : &out->gained, "phys-bits", a, b);
        else
            cc_changes_add(&out->changed, "phys-bits", a, b);
    } else if (!a != !b) {
        cc_changes_add(&out->changed, "phys-bits", a, b);
    }
    free(a);
    free(b);
    cc_canon_other_lines(old_text, new_text, judged_here, NULL, out);
    return 0;
}

void x86_versions(const struct cc_doc *doc, struct cc_kvlist *out)
{
    const char *mc = cc_kv_get(&doc->identity, "microcode");

    if (mc)
        cc_kv_set(out, "microcode", mc);
}
