/* `baseline FILE...` on arm64: the register set every host can be given, field by field with
 * the kernel's safe-value rule (arm64_ftr_safe_value(): minimum, maximum, zero-or-maximum, or
 * the safe value where EXACT fields differ), which hosts' KVM could actually take it, and the
 * named model nearest to it. */
#include "arm64.h"
#include "../../core/error.h"

#include <stdlib.h>
#include <string.h>

static long long safe_of(const struct arm64_rule *rule, long long a, long long b)
{
    switch (rule->type) {
    case FTR_LOWER_SAFE:
        return a < b ? a : b;
    case FTR_HIGHER_SAFE:
        return a > b ? a : b;
    case FTR_HIGHER_OR_ZERO_SAFE:
        return a == 0 || b == 0 ? 0 : (a > b ? a : b);
    case FTR_EXACT:
        return a == b ? a : rule->safe;
    case FTR_NONE:
        break;
    }
    return a;
}

/* How close a model is to the common registers: -1 if it asks for more than they have, else
 * the number of its fields they match exactly. */
static int closeness(int k, const struct arm64_model *m, const struct arm64_raw *base)
{
    struct arm64_raw *cfg = NULL;
    int score = 0;

    if (arm64_model_host(m, base, &cfg, NULL) < 0)
        return -1;
    for (size_t i = 0; i < m->n_fields && score >= 0; i++) {
        const struct arm64_model_field *mf = &m->fields[i];
        const struct arm64_reg *reg = arm64_raw_get(cfg, mf->reg->name);
        long long b = reg ? arm64_field_value(mf->field, reg->value) : 0;

        if (b == mf->value)
            score++;
        else if (!arm64_rule_accepts(&mf->field->rule[k], mf->value, b))
            score = -1;
    }
    arm64_raw_free(cfg);
    return score;
}

/* The named model nearest the common registers, the features to add to it, and whether every
 * host's KVM can give it. Without one, every common feature is what the guest needs. */
static int nearest_model(struct cc_ctx *ctx, const struct arm64_catalog *cat, int k,
                         const struct arm64_raw *base, const struct cc_doc *const *docs,
                         const char *const *files, const int *rules, size_t n,
                         struct cc_baseline *out)
{
    const struct arm64_model_set *set;
    const struct arm64_model *best = NULL;
    struct cc_strlist mf = {0};
    struct arm64_raw *cfg = NULL, *guest = NULL;
    int best_score = -1, r = arm64_models_get(ctx, cat, &set);

    for (size_t i = 0; r == 0 && i < set->n; i++) {
        int score = closeness(k, &set->models[i], base);

        if (score >= 0 && score >= best_score) {
            best = &set->models[i];
            best_score = score;
        }
    }
    if (r == 0 && !best) {
        r = cc_strlist_add(&out->notes, "no named model fits the common registers");
        for (size_t i = 0; i < out->features.n && r == 0; i++)
            r = cc_strlist_add(&out->extra, out->features.items[i]);
        return r;
    }
    if (r < 0)
        return r;
    if (!(out->model = strdup(best->name)))
        return cc_error(ENOMEM, "out of memory");
    r = arm64_model_host(best, base, &cfg, NULL);
    if (r == 0)
        r = arm64_model_apply(best, cfg, &guest);
    if (r == 0) {
        struct cc_view v = {.raw = guest};
        r = arm64_view_features(ctx, &v, &mf);
    }
    for (size_t i = 0; i < out->features.n && r == 0; i++)
        if (!cc_strlist_contains(&mf, out->features.items[i]))
            r = cc_strlist_add(&out->extra, out->features.items[i]);
    for (size_t h = 0; h < n && r == 0; h++) {
        struct cc_blockers why = {0};
        const struct cc_view *view = arm64_view_of(docs[h]);

        r = arm64_model_judge(cat, rules[h], best, view->raw, view, &why);
        if (r == 0 && why.n)
            r = cc_strlist_addf(&out->notes,
                                "%s: model %s fits the common features, but this host cannot "
                                "give it (%s%s)",
                                files[h], best->name, why.items[0].name, why.n > 1 ? ", ..." : "");
        cc_blockers_free(&why);
    }
    cc_strlist_free(&mf);
    arm64_raw_free(cfg);
    arm64_raw_free(guest);
    return r;
}

int arm64_baseline(struct cc_ctx *ctx, const struct cc_doc *const *docs, const char *const *files,
                   size_t n, bool allow_vendor_mix, struct cc_baseline *out)
{
    const struct arm64_catalog *cat;
    struct arm64_raw *base = NULL;
    const struct arm64_raw **raws;
    int *rules, k = -1, r = arm64_catalog_get(ctx, &cat);

    if (r < 0)
        return r;
    for (size_t h = 1; h < n; h++) {
        const char *a = cc_kv_get(&docs[0]->identity, "implementer");
        const char *b = cc_kv_get(&docs[h]->identity, "implementer");

        if (a && b && strcmp(a, b) != 0 && !allow_vendor_mix)
            return cc_error(EINVAL,
                            "%s: implementer %s differs from %s's %s (see "
                            "--allow-vendor-mix)",
                            files[h], b, files[0], a);
    }
    raws = calloc(n, sizeof(*raws));
    rules = calloc(n, sizeof(*rules));
    base = arm64_raw_new();
    if (!raws || !rules || !base) {
        r = cc_error(ENOMEM, "out of memory");
        goto out;
    }
    for (size_t h = 0; h < n && r == 0; h++) {
        const struct cc_view *v = arm64_view_of(docs[h]);
        const char *kernel = v ? arm64_kernel_of(docs[h], v) : NULL;

        if (!v || !v->raw)
            r = cc_error(EINVAL, "%s: no registers", files[h]);
        else if (!kernel)
            r = cc_error(EINVAL,
                         "%s: no kernel release recorded: the kernel decides which "
                         "rules apply",
                         files[h]);
        else if ((rules[h] = arm64_kernel_rules(cat, kernel)) < 0)
            r = cc_error(EINVAL, "%s: kernel '%s' is older than every rule set cpucompat has",
                         files[h], kernel ? kernel : "(unknown)");
        else
            raws[h] = v->raw;
        /* The oldest kernel's rules (rule sets are ordered oldest first) are the ones every
         * host can live with. */
        if (r == 0 && (k < 0 || rules[h] < k))
            k = rules[h];
    }
    /* Registers every host lists; each field folded with its rule. */
    for (size_t i = 0; r == 0 && i < raws[0]->n; i++) {
        const struct arm64_reg *first = &raws[0]->regs[i];
        const struct arm64_regdef *def = arm64_regdef(cat, first->name);
        uint64_t value = first->value;
        bool everywhere = true, identity_differs = false;

        for (size_t h = 1; h < n && everywhere; h++) {
            const struct arm64_reg *o = arm64_raw_get(raws[h], first->name);

            if (!o) {
                everywhere = false;
                break;
            }
            if (!def || !def->n_fields) {
                identity_differs |= o->value != value;
                continue;
            }
            for (size_t f = 0; f < def->n_fields; f++) {
                const struct arm64_field *fd = &def->fields[f];
                long long a = arm64_field_value(fd, value), b = arm64_field_value(fd, o->value);

                if (fd->state)
                    continue; /* the guest's own control bits, not a CPU property */
                if (fd->rule[k].type == FTR_NONE)
                    identity_differs |= a != b;
                else
                    value = arm64_field_put(fd, value, safe_of(&fd->rule[k], a, b));
            }
        }
        if (!everywhere) {
            r = cc_strlist_addf(&out->notes, "%s: not listed by every host's KVM, left out",
                                first->name);
            continue;
        }
        if (identity_differs)
            r = cc_strlist_addf(&out->notes,
                                "%s differs between hosts and has no safe value (identity or "
                                "untracked fields): the guest sees its first host's value",
                                first->name);
        if (r == 0)
            r = arm64_raw_set(base, first->name, first->id, value);
        if (r == 0)
            r = cc_kv_setf(&out->registers, first->name, "0x%016llx", (unsigned long long)value);
    }
    /* Which hosts' KVM can be given the baseline at all. */
    for (size_t h = 0; h < n && r == 0; h++) {
        size_t fixed = 0;

        for (size_t i = 0; i < base->n; i++) {
            const struct arm64_reg *o = arm64_raw_get(raws[h], base->regs[i].name);
            const struct arm64_regdef *def = arm64_regdef(cat, base->regs[i].name);

            for (size_t f = 0; o && def && f < def->n_fields; f++) {
                const struct arm64_field *fd = &def->fields[f];
                if (!fd->state &&
                    arm64_field_value(fd, o->value) != arm64_field_value(fd, base->regs[i].value) &&
                    !fd->rule[rules[h]].writable)
                    fixed++;
            }
        }
        if (fixed)
            r = cc_strlist_addf(&out->notes,
                                "%s: %zu fields differ from this host's and its KVM (%s rules) "
                                "cannot change them",
                                files[h], fixed, cat->kernels[rules[h]].name);
    }
    /* Registers that only later hosts list are not in the first host's raw data. */
    for (size_t h = 1; h < n && r == 0; h++)
        for (size_t i = 0; i < raws[h]->n && r == 0; i++)
            if (!arm64_raw_get(raws[0], raws[h]->regs[i].name) &&
                !cc_kv_get(&out->registers, raws[h]->regs[i].name))
                r = cc_strlist_addf(&out->notes, "%s: not listed by every host's KVM, left out",
                                    raws[h]->regs[i].name);
    if (r == 0) {
        struct cc_view v = {.raw = base};
        r = arm64_view_features(ctx, &v, &out->features);
    }
    if (r == 0)
        r = nearest_model(ctx, cat, k, base, docs, files, rules, n, out);
    bool mixed = false;
    for (size_t h = 1; h < n; h++)
        mixed |= strcmp(cc_kv_get(&docs[h]->identity, "implementer") ?: "?",
                        cc_kv_get(&docs[0]->identity, "implementer") ?: "?") != 0;
    if (r == 0 && !(out->vendor = strdup(mixed ? "mixed"
                                               : cc_kv_get(&docs[0]->identity, "implementer") ?: "?")))
        r = cc_error(ENOMEM, "out of memory");
out:
    arm64_raw_free(base);
    free(raws);
    free(rules);
    return r;
}
