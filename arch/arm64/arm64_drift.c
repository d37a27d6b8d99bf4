/* Drift between two arm64 canonical texts (arm64_canonical.c), field by field: an ID register
 * field whose old value the new host's kernel would not take for a guest (its rule: a lower
 * value for most features, an exact one for some) is lost, as is a register or a KVM register
 * list entry the new host no longer has; a field moving the other way is gained. Fields the
 * kernel does not track, bits no field covers, and the view's properties (kernel release, IPA
 * size, SVE lengths, writable masks) are changes. */
#include "arm64.h"
#include "../../core/drift.h"
#include "../../core/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool parse_u64(const char *s, uint64_t *out)
{
    char *end;

    if (!s || !*s)
        return false;
    errno = 0;
    *out = strtoull(s, &end, 0);
    return !errno && !*end;
}

/* A register line of a catalog register, or the register list: judged below. */
static bool judged_here(const void *arg, const char *key, size_t len)
{
    const struct arm64_catalog *cat = arg;
    char name[64];

    if ((len == 4 && !memcmp(key, "arch", 4)) || (len == 8 && !memcmp(key, "reg-list", 8)))
        return true;
    if (len >= sizeof(name))
        return false;
    memcpy(name, key, len);
    name[len] = '\0';
    return arm64_regdef(cat, name) != NULL;
}

static void field_diff(const struct arm64_regdef *def, int k, uint64_t ov, uint64_t nv,
                       struct cc_drift *out)
{
    uint64_t covered = 0;
    char name[160], a[32], b[32];

    for (size_t i = 0; i < def->n_fields; i++) {
        const struct arm64_field *f = &def->fields[i];
        long long x = arm64_field_value(f, ov), y = arm64_field_value(f, nv);
        const struct arm64_rule *rule = &f->rule[k];

        covered |= (f->width >= 64 ? UINT64_MAX : (1ULL << f->width) - 1) << f->lsb;
        if (x == y)
            continue;
        snprintf(name, sizeof(name), "%s.%s", def->name, f->name);
        snprintf(a, sizeof(a), "%lld", x);
        snprintf(b, sizeof(b), "%lld", y);
        if (rule->type == FTR_NONE || f->state || f->ident)
            cc_changes_add(&out->changed, name, a, b);
        else
            cc_changes_add(arm64_rule_accepts(rule, x, y) ? &out->gained : &out->lost, name, a, b);
    }
    if ((ov & ~covered) != (nv & ~covered)) {
        snprintf(a, sizeof(a), "%#llx", (unsigned long long)ov);
        snprintf(b, sizeof(b), "%#llx", (unsigned long long)nv);
        cc_changes_add(&out->changed, def->name, a, b);
    }
}

static void registers(const struct arm64_catalog *cat, int k, const char *old_text,
                      const char *new_text, struct cc_drift *out)
{
    for (size_t r = 0; r < cat->n_regs; r++) {
        const struct arm64_regdef *def = &cat->regs[r];
        char *a = cc_canon_get(old_text, def->name), *b = cc_canon_get(new_text, def->name);
        uint64_t ov, nv;

        if (a && !b)
            cc_changes_add(&out->lost, def->name, a, NULL);
        else if (!a && b)
            cc_changes_add(&out->gained, def->name, NULL, b);
        else if (a && strcmp(a, b) != 0) {
            if (parse_u64(a, &ov) && parse_u64(b, &nv))
                field_diff(def, k, ov, nv, out);
            else
                cc_changes_add(&out->changed, def->name, a, b);
        }
        free(a);
        free(b);
    }
}

/* KVM_GET_REG_LIST: an id the old host offered and the new one lacks is lost (a guest's state
 * holds it); an unrecorded list on either side is only a change. */
static void reg_list(const char *old_text, const char *new_text, struct cc_drift *out)
{
    static const char *const key[] = {"reg-list"};
    char *a = cc_canon_get(old_text, "reg-list"), *b = cc_canon_get(new_text, "reg-list");
    struct cc_drift ids = {0};

    if (a && b && strcmp(a, b) != 0) {
        if (!strcmp(a, "unknown") || !strcmp(b, "unknown")) {
            cc_changes_add(&out->changed, "reg-list", a, b);
        } else {
            cc_canon_words(old_text, new_text, key, 1, &ids);
            for (size_t i = 0; i < ids.lost.n; i++)
                cc_changes_add(&out->lost, "reg-list", ids.lost.items[i].name, NULL);
            for (size_t i = 0; i < ids.gained.n; i++)
                cc_changes_add(&out->gained, "reg-list", NULL, ids.gained.items[i].name);
        }
    } else if (!a != !b) {
        cc_changes_add(&out->changed, "reg-list", a, b);
    }
    cc_drift_free(&ids);
    free(a);
    free(b);
}

int arm64_canonical_diff(struct cc_ctx *ctx, const char *old_text, const char *new_text,
                         struct cc_drift *out)
{
    const struct arm64_catalog *cat;
    char *release = cc_canon_get(new_text, "property kernel-release");
    int k, r = arm64_catalog_get(ctx, &cat);

    if (r < 0) {
        free(release);
        return r;
    }
    /* The new host's kernel judges what a returning guest may carry; unknown: the newest. */
    k = arm64_kernel_rules(cat, release);
    free(release);
    if (k < 0 && cat->n_kernels)
        k = (int)cat->n_kernels - 1;
    if (k < 0)
        return cc_error(EINVAL, "the arm64 catalog has no kernel rules");
    registers(cat, k, old_text, new_text, out);
    reg_list(old_text, new_text, out);
    cc_canon_other_lines(old_text, new_text, judged_here, cat, out);
    return 0;
}

void arm64_versions(const struct cc_doc *doc, struct cc_kvlist *out)
{
    const struct cc_view *view = arm64_view_of(doc);
    const char *k = view ? arm64_kernel_of(doc, view) : NULL;

    if (k && !cc_kv_get(out, "kernel"))
        cc_kv_set(out, "kernel", k);
}
