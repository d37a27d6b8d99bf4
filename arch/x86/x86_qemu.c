/* QEMU's view of a KVM host: the fixed-up supported feature words, model expansion under KVM,
 * the migratable host model, and filtering (data/x86/qemu-kvm.xml holds the facts). */
#include "x86.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"
#include "../../core/qemu.h"
#include "../../core/strlist.h"
#include "../../core/xml_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum fixup_op { FIX_ADD, FIX_REMOVE, FIX_COPY, FIX_XCR0, FIX_ADD_FROM_HOST };

struct x86_fixup {
    enum fixup_op op;
    struct x86_words bits;
    char *property; /* if-property / unless-property / xcr0 property */
    bool unless, dflt, if_tsx_broken;
    int from_word, to_word;
    uint64_t mask;
    /* A fixup of later QEMU releases: qemu_since is the oldest release known to apply it,
     * qemu_not_in the newest known not to (0: none); between the two it is not applied, and
     * the answer says that it is uncertain. 0/0: every release. */
    unsigned qemu_since, qemu_not_in;
    char *features; /* its feature names as written, for that note */
    /* -cpu host gets the bits only on a CPU of this vendor ("": every vendor); named models
     * whatever their vendor (QEMU filters them with no CPU to ask). */
    char host_model_vendor[16];
    bool no_host_model; /* -cpu host never gets them (QEMU's no_autoenable_flags) */
};

struct x86_pt_require {
    uint32_t subleaf;
    enum x86_reg reg;
    uint32_t mask, value, min;
    bool has_min, equal_word;
};

int x86_feature_list(const char *file, const struct x86_catalog *cat, const char *list,
                     struct x86_words *w)
{
    _cleanup_free_ char *copy = strdup(list ? list : "");
    char *save = NULL;

    if (!copy)
        return cc_error(ENOMEM, "out of memory");
    for (char *t = strtok_r(copy, " \t\n", &save); t; t = strtok_r(NULL, " \t\n", &save)) {
        const struct x86_feature *f = x86_catalog_feature(cat, t);
        if (!f)
            return cc_error(EINVAL, "%s: unknown feature '%s'", file, t);
        x86_words_set(cat, w, f, true);
    }
    return 0;
}

void x86_rules_free(struct x86_rules *rules)
{
    if (!rules)
        return;
    for (size_t i = 0; i < rules->n_fixups; i++) {
        free(rules->fixups[i].property);
        free(rules->fixups[i].features);
    }
    free(rules->fixups);
    free(rules->tsx_broken);
    free(rules->pt);
    x86_cpu_tables_free(rules->cpu);
    free(rules);
}

static int parse_fixup(const char *file, const struct x86_catalog *cat, xmlNodePtr n,
                       struct x86_fixup *fx)
{
    const char *op = cc_xml_attr(n, "op"), *prop;
    unsigned long long v;
    int r = 0;

    fx->from_word = fx->to_word = -1;
    if ((prop = cc_xml_attr(n, "if-property")) || (prop = cc_xml_attr(n, "unless-property")) ||
        (prop = cc_xml_attr(n, "property"))) {
        fx->property = strdup(prop);
        if (!fx->property)
            return cc_error(ENOMEM, "out of memory");
    }
    fx->unless = cc_xml_attr(n, "unless-property") != NULL;
    fx->dflt = cc_xml_attr(n, "default") && strcmp(cc_xml_attr(n, "default"), "yes") == 0;
    fx->if_tsx_broken =
        cc_xml_attr(n, "if-host") && !strcmp(cc_xml_attr(n, "if-host"), "tsx-broken");
    if (!op)
        return cc_error(EINVAL, "%s: <fixup> without op", file);
    if (cc_xml_attr(n, "qemu-since") &&
        cc_qemu_version_parse(cc_xml_attr(n, "qemu-since"), 3, &fx->qemu_since) < 0)
        return cc_error_prefix(EINVAL, "%s: <fixup qemu-since>", file);
    if (cc_xml_attr(n, "qemu-not-in") &&
        (cc_qemu_version_parse(cc_xml_attr(n, "qemu-not-in"), 3, &fx->qemu_not_in) < 0 ||
         !fx->qemu_since || fx->qemu_not_in >= fx->qemu_since))
        return cc_error(EINVAL, "%s: <fixup qemu-not-in> must name a release before qemu-since",
                        file);
    fx->no_host_model = cc_xml_attr(n, "host-model") && !strcmp(cc_xml_attr(n, "host-model"), "no");
    if (cc_xml_attr(n, "host-model-vendor") &&
        snprintf(fx->host_model_vendor, sizeof(fx->host_model_vendor), "%s",
                 cc_xml_attr(n, "host-model-vendor")) >= (int)sizeof(fx->host_model_vendor))
        return cc_error(EINVAL, "%s: <fixup host-model-vendor> is not a CPUID vendor", file);
    if (fx->qemu_since && (strcmp(op, "add") && strcmp(op, "add-from-host")))
        return cc_error(EINVAL, "%s: only op='add' and 'add-from-host' fixups carry qemu-since",
                        file);
    if (strcmp(op, "add") == 0 || strcmp(op, "remove") == 0 || strcmp(op, "add-from-host") == 0) {
        fx->op = !strcmp(op, "add")      ? FIX_ADD
                 : !strcmp(op, "remove") ? FIX_REMOVE
                                         : FIX_ADD_FROM_HOST;
        r = x86_feature_list(file, cat, cc_xml_attr(n, "features"), &fx->bits);
        if (r == 0 && !(fx->features = strdup(cc_xml_attr(n, "features") ?: "")))
            r = cc_error(ENOMEM, "out of memory");
    } else if (strcmp(op, "copy") == 0) {
        fx->op = FIX_COPY;
        fx->from_word = x86_catalog_word(cat, cc_xml_attr(n, "from-word") ?: "");
        fx->to_word = x86_catalog_word(cat, cc_xml_attr(n, "to-word") ?: "");
        r = cc_xml_attr_u64(file, n, "mask", UINT64_MAX, &v);
        fx->mask = v;
        if (r == 0 && (fx->from_word < 0 || fx->to_word < 0))
            r = cc_error(EINVAL, "%s: <fixup op='copy'> names an unknown word", file);
    } else if (strcmp(op, "xcr0") == 0) {
        fx->op = FIX_XCR0;
        if (!fx->property)
            r = cc_error(EINVAL, "%s: <fixup op='xcr0'> without property", file);
    } else {
        r = cc_error(EINVAL, "%s: unknown fixup op '%s'", file, op);
    }
    return r;
}

static int parse_pt(const char *file, const struct x86_catalog *cat, xmlNodePtr n,
                    struct x86_rules *rules)
{
    size_t count = 0;
    int r = 0;

    rules->f_intel_pt = x86_catalog_feature(cat, cc_xml_attr(n, "feature") ?: "");
    for (xmlNodePtr c = n->children; c; c = c->next)
        count += cc_xml_is(c, "require");
    rules->pt = calloc(count + 1, sizeof(*rules->pt));
    if (!rules->pt)
        return cc_error(ENOMEM, "out of memory");
    for (xmlNodePtr c = n->children; c && r == 0; c = c->next) {
        struct x86_pt_require *q;
        unsigned long long v;

        if (!cc_xml_is(c, "require"))
            continue;
        q = &rules->pt[rules->n_pt++];
        r = cc_xml_attr_u64(file, c, "subleaf", 63, &v);
        q->subleaf = (uint32_t)v;
        if (r == 0 && x86_reg_from_name(cc_xml_attr(c, "reg") ?: "", &q->reg) < 0)
            r = cc_error(EINVAL, "%s: <require> with a bad reg", file);
        if (r == 0)
            r = cc_xml_attr_u64(file, c, "mask", UINT32_MAX, &v);
        q->mask = (uint32_t)v;
        if (r == 0 && cc_xml_attr(c, "min")) {
            q->has_min = true;
            r = cc_xml_attr_u64(file, c, "min", UINT32_MAX, &v);
            q->min = (uint32_t)v;
        } else if (r == 0 && cc_xml_attr(c, "value")) {
            r = cc_xml_attr_u64(file, c, "value", UINT32_MAX, &v);
            q->value = (uint32_t)v;
        } else if (r == 0 && cc_xml_attr(c, "equal-feature-word")) {
            q->equal_word = true;
            rules->pt_lip_word = x86_catalog_word(cat, cc_xml_attr(c, "equal-feature-word"));
        }
    }
    return r;
}

static int load_rules(struct cc_ctx *ctx, const struct x86_catalog *cat, struct x86_rules *rules)
{
    _cleanup_free_ char *path = NULL;
    _cleanup_xmldoc_ xmlDocPtr doc = NULL;
    size_t nfix = 0, ntsx = 0;
    xmlNodePtr root;
    int r = cc_ctx_arch_path(ctx, &x86_arch_ops, "qemu-kvm.xml", &path);

    if (r == 0)
        r = cc_xml_load(path, &doc);
    if (r < 0)
        return r;
    root = xmlDocGetRootElement(doc);
    if (!root || !cc_xml_is(root, "x86-qemu-kvm"))
        return cc_error(EINVAL, "%s: not a QEMU/KVM rule table", path);
    for (xmlNodePtr c = root->children; c; c = c->next) {
        nfix += cc_xml_is(c, "fixup");
        ntsx += cc_xml_is(c, "tsx-broken");
    }
    rules->fixups = calloc(nfix + 1, sizeof(*rules->fixups));
    rules->tsx_broken = calloc(ntsx + 1, sizeof(*rules->tsx_broken));
    if (!rules->fixups || !rules->tsx_broken)
        return cc_error(ENOMEM, "out of memory");
    rules->pt_lip_word = -1;
    for (xmlNodePtr c = root->children; c && r == 0; c = c->next) {
        unsigned long long v;

        if (cc_xml_is(c, "default")) {
            const char *val = cc_xml_attr(c, "value") ?: "";
            r = x86_feature_list(path, cat, cc_xml_attr(c, "feature"),
                                 strcmp(val, "on") == 0 ? &rules->defaults_on
                                                        : &rules->defaults_off);
        } else if (cc_xml_is(c, "silicon-emulated")) {
            r = x86_feature_list(path, cat, cc_xml_attr(c, "features"), &rules->silicon_emulated);
        } else if (cc_xml_is(c, "fixup")) {
            r = parse_fixup(path, cat, c, &rules->fixups[rules->n_fixups++]);
        } else if (cc_xml_is(c, "tsx-broken")) {
            struct x86_tsx_broken *t = &rules->tsx_broken[rules->n_tsx_broken++];

            snprintf(t->vendor, sizeof(t->vendor), "%s", cc_xml_attr(c, "vendor") ?: "");
            r = cc_xml_attr_u64(path, c, "family", 0xffff, &v);
            t->family = (unsigned)v;
            if (r == 0)
                r = cc_xml_attr_u64(path, c, "model", 0xffff, &v);
            t->model = (unsigned)v;
            if (r == 0 && cc_xml_attr(c, "stepping-below")) {
                r = cc_xml_attr_u64(path, c, "stepping-below", 0xff, &v);
                t->stepping_below = (unsigned)v;
            }
        } else if (cc_xml_is(c, "xsave")) {
            r = cc_xml_attr_u64(path, c, "xcr0-mask", UINT64_MAX, &v);
            rules->xcr0_mask = v;
            if (r == 0)
                r = cc_xml_attr_u64(path, c, "xss-mask", UINT64_MAX, &v);
            rules->xss_mask = v;
            if (r == 0)
                r = cc_xml_attr_u64(path, c, "migratable-xcr0", UINT64_MAX, &v);
            rules->migratable_xcr0 = v;
        } else if (cc_xml_is(c, "xsave-accel-only")) {
            if (cc_qemu_version_parse(cc_xml_attr(c, "qemu-since") ?: "", 3,
                                      &rules->xsave_accel_only_since) < 0)
                r = cc_error_prefix(EINVAL, "%s: <xsave-accel-only qemu-since>", path);
        } else if (cc_xml_is(c, "named-model")) {
            r = cc_xml_attr_u64(path, c, "phys-bits", 64, &v);
            rules->named_phys_bits = (unsigned)v;
            if (r == 0)
                r = cc_xml_attr_u64(path, c, "virt-bits", 64, &v);
            rules->named_virt_bits = (unsigned)v;
        } else if (cc_xml_is(c, "lbr-format")) {
            r = cc_xml_attr_u64(path, c, "msr", UINT32_MAX, &v);
            rules->lbr_msr = (uint32_t)v;
            if (r == 0)
                r = cc_xml_attr_u64(path, c, "mask", UINT64_MAX, &v);
            rules->lbr_mask = v;
        } else if (cc_xml_is(c, "intel-pt")) {
            r = parse_pt(path, cat, c, rules);
        }
    }
    rules->kvm_always = rules->silicon_emulated;
    for (size_t i = 0; i < rules->n_fixups; i++) {
        const struct x86_fixup *fx = &rules->fixups[i];

        if (fx->op == FIX_ADD && !fx->property && !fx->if_tsx_broken && !fx->qemu_since)
            for (size_t w = 0; w < cat->n_words; w++)
                rules->kvm_always.w[w] |= fx->bits.w[w];
    }
    rules->w_xcr0_lo = x86_catalog_word(cat, "FEAT_XSAVE_XCR0_LO");
    rules->w_xcr0_hi = x86_catalog_word(cat, "FEAT_XSAVE_XCR0_HI");
    rules->w_xss_lo = x86_catalog_word(cat, "FEAT_XSAVE_XSS_LO");
    rules->w_xss_hi = x86_catalog_word(cat, "FEAT_XSAVE_XSS_HI");
    rules->f_xsave = x86_catalog_feature(cat, "xsave");
    rules->f_invtsc = x86_catalog_feature(cat, "invtsc");
    rules->f_pdcm = x86_catalog_feature(cat, "pdcm");
    if (r == 0 && (!rules->named_phys_bits || !rules->lbr_msr || !rules->lbr_mask))
        r = cc_error(EINVAL, "%s: lacks <named-model> or <lbr-format>", path);
    if (r == 0 && (rules->w_xcr0_lo < 0 || rules->w_xcr0_hi < 0 || !rules->f_xsave))
        r = cc_error(EINVAL, "%s: the feature table lacks the XSAVE words", path);
    return r;
}

int x86_rules_get(struct cc_ctx *ctx, const struct x86_catalog *cat, const struct x86_rules **out)
{
    /* The catalog caches its derived tables; it stays logically const for callers. */
    struct x86_catalog *owner = (struct x86_catalog *)cat;
    struct x86_rules *rules;
    int r;

    if (!owner->rules) {
        rules = calloc(1, sizeof(*rules));
        if (!rules)
            return cc_error(ENOMEM, "out of memory");
        r = load_rules(ctx, cat, rules);
        if (r == 0)
            r = x86_cpu_tables_load(ctx, cat, &rules->cpu);
        if (r < 0) {
            x86_rules_free(rules);
            return r;
        }
        owner->rules = rules;
    }
    *out = owner->rules;
    return 0;
}

/* ---- feature word arithmetic ---- */

bool x86_words_empty(const struct x86_catalog *cat, const struct x86_words *w)
{
    for (size_t i = 0; i < cat->n_words; i++)
        if (w->w[i])
            return false;
    return true;
}

size_t x86_words_count(const struct x86_catalog *cat, const struct x86_words *w)
{
    size_t n = 0;

    for (size_t i = 0; i < cat->n_features; i++)
        n += x86_words_has(cat, w, &cat->features[i]);
    return n;
}

static bool tsx_broken(const struct x86_rules *rules, const struct cc_doc *doc)
{
    const char *vendor = cc_kv_get(&doc->identity, "vendor") ?: "";
    unsigned fam = (unsigned)atoi(cc_kv_get(&doc->identity, "family") ?: "0");
    unsigned mod = (unsigned)atoi(cc_kv_get(&doc->identity, "model") ?: "0");
    unsigned step = (unsigned)atoi(cc_kv_get(&doc->identity, "stepping") ?: "0");

    /* A virtual host made from a model definition has no silicon errata. */
    if (strcmp(cc_kv_get(&doc->origin, "method") ?: "", "expand") == 0)
        return false;
    for (size_t i = 0; i < rules->n_tsx_broken; i++) {
        const struct x86_tsx_broken *t = &rules->tsx_broken[i];
        if (!strcmp(t->vendor, vendor) && t->family == fam && t->model == mod &&
            (!t->stepping_below || step < t->stepping_below))
            return true;
    }
    return false;
}

static bool property_yes(const struct cc_view *view, const char *name, bool dflt)
{
    const char *v = cc_kv_get(&view->props, name);

    return v ? strcmp(v, "yes") == 0 : dflt;
}

int x86_host_init(const struct x86_catalog *cat, const struct x86_rules *rules,
                  const struct cc_doc *doc, const char *file, struct x86_host *host)
{
    const struct x86_raw *raw;
    uint64_t v;
    int r;

    *host = (struct x86_host){.doc = doc};
    host->view = cc_doc_host_view(doc);
    host->kvm = host->view && strcmp(host->view->name, "kvm") == 0;
    if (!host->view || !host->view->raw)
        return cc_error(EINVAL, "%s: no cpu or kvm view", file);
    host->tcg = host->kvm && !strcmp(cc_kv_get(&host->view->props, "accel") ?: "", "tcg");
    raw = host->view->raw;
    /* What KVM offers a guest where the file has it, else the silicon's CPUID. */
    if ((r = cc_view_decimal(host->view, file, "phys-bits", 1, 255, &v)) < 0)
        return r;
    if (r && host->kvm)
        host->phys_bits = (unsigned)v;
    else if (!x86_field_get(&cat->phys_bits, raw, &host->phys_bits))
        host->phys_bits = 0;
    if ((r = cc_view_decimal(host->view, file, "tsc-khz", 1, UINT32_MAX, &host->tsc_khz)) < 0)
        return r;
    for (size_t i = 0; i < cat->n_words; i++) {
        const struct x86_word *w = &cat->words[i];

        host->supported.w[i] = x86_word_value(w, raw);
        /* The silicon's MSRs are only known where they were captured; judge nothing there. */
        if (!host->kvm && w->is_msr && !x86_raw_msr(raw, w->msr))
            host->unknown.w[i] = UINT64_MAX;
    }
    /* QEMU's answer under TCG is already what a guest can have: KVM's fixups are not its. */
    if (host->tcg) {
        x86_cpu_tcg_host(cat, rules, host);
        return 0;
    }
    if (raw->n_qprops) {
        /* QEMU's own expansion: its KVM rules are applied already. The kept properties are
         * judged with this catalog (a newer one may know more of them). */
        if (!cat->qemu_props)
            return cc_error(EINVAL, "%s: the QEMU property table is not loaded", file);
        host->qemu_expanded = true;
        for (size_t i = 0; i < raw->n_qprops; i++) {
            const struct x86_qprop *q = &raw->qprops[i];
            const struct x86_feature *f = x86_catalog_feature(cat, q->name);

            if (f && !strcmp(q->type, "boolean") && !strcmp(q->value, "true"))
                x86_words_set(cat, &host->supported, f, true);
        }
        /* What QEMU always adds to KVM's answer but -cpu host does not turn on (topoext):
         * named models may have it though the expansion does not show it. */
        for (size_t i = 0; i < rules->n_fixups; i++) {
            const struct x86_fixup *fx = &rules->fixups[i];

            if (fx->op != FIX_ADD || fx->property || fx->if_tsx_broken)
                continue;
            for (size_t f = 0; f < cat->n_features; f++)
                if (cat->features[f].no_host_model &&
                    x86_words_has(cat, &fx->bits, &cat->features[f]))
                    x86_words_set(cat, &host->supported, &cat->features[f], true);
        }
        return x86_qprops_judge(cat, cat->qemu_props, raw, &host->nonmigratable, NULL);
    }
    for (size_t i = 0; i < rules->n_fixups; i++) {
        const struct x86_fixup *fx = &rules->fixups[i];
        bool apply = true;
        uint64_t mask;

        if (fx->qemu_since) /* x86_host_qemu_fixups, once the host's QEMU is known */
            continue;
        if (fx->property && fx->op != FIX_XCR0)
            apply = property_yes(host->view, fx->property, fx->dflt) != fx->unless;
        if (fx->if_tsx_broken)
            apply = tsx_broken(rules, doc);
        if (!apply)
            continue;
        switch (fx->op) {
        case FIX_ADD:
        case FIX_REMOVE:
            for (size_t w = 0; w < cat->n_words; w++)
                host->supported.w[w] = fx->op == FIX_ADD ? host->supported.w[w] | fx->bits.w[w]
                                                         : host->supported.w[w] & ~fx->bits.w[w];
            break;
        case FIX_COPY:
            host->supported.w[fx->to_word] |= host->supported.w[fx->from_word] & fx->mask;
            break;
        case FIX_ADD_FROM_HOST: /* only versioned; parse_fixup refuses the rest */
            break;
        case FIX_XCR0:
            r = cc_view_hex(host->view, file, fx->property, &mask);
            if (r < 0)
                return r;
            if (r) {
                host->supported.w[rules->w_xcr0_lo] = (uint32_t)mask;
                host->supported.w[rules->w_xcr0_hi] = mask >> 32;
            }
            break;
        }
    }
    if (!host->kvm) {
        for (size_t w = 0; w < cat->n_words; w++)
            host->supported.w[w] |= rules->silicon_emulated.w[w];
        /* A bare CPU has no KVM paravirtual leaf; KVM would offer it, so do not judge it. */
        for (size_t i = 0; i < cat->n_features; i++)
            if (cat->features[i].paravirt)
                x86_words_set(cat, &host->supported, &cat->features[i], true);
    }
    return 0;
}

int x86_host_qemu_fixups(const struct x86_catalog *cat, const struct x86_rules *rules,
                         struct x86_host *host, const char *file, struct cc_strlist *notes)
{
    const struct cc_view *silicon = cc_doc_view(host->doc, "cpu");

    /* A QEMU expansion has its own release's rules applied already; a TCG view is QEMU's final
     * answer. */
    if (host->qemu_expanded || host->tcg || !host->qemu)
        return 0;
    for (size_t i = 0; i < rules->n_fixups; i++) {
        const struct x86_fixup *fx = &rules->fixups[i];
        struct x86_words add = fx->bits;

        if (!fx->qemu_since)
            continue;
        if (host->qemu < fx->qemu_since) {
            char v[CC_QEMU_VERSION_LEN], lo[CC_QEMU_VERSION_LEN], hi[CC_QEMU_VERSION_LEN];
            _cleanup_free_ char *note = NULL;
            int r;

            /* qemu-not-in="7.2" covers every 7.2.z */
            if (!notes || !fx->qemu_not_in ||
                host->qemu <= fx->qemu_not_in + (fx->qemu_not_in % 1000 ? 0 : 999))
                continue;
            cc_qemu_version_format(host->qemu, v, sizeof(v));
            cc_qemu_version_format(fx->qemu_not_in, lo, sizeof(lo));
            cc_qemu_version_format(fx->qemu_since, hi, sizeof(hi));
            if (asprintf(&note,
                         "uncertain: %s: QEMU %s lies between %s, which does not offer %s "
                         "%s, and %s, which does; judged without them",
                         file, v, lo, fx->features,
                         fx->op == FIX_ADD_FROM_HOST ? "where the host's CPU has them"
                                                     : "whatever KVM reports",
                         hi) < 0)
                return cc_error(ENOMEM, "out of memory");
            if (!cc_strlist_contains(notes, note) && (r = cc_strlist_add(notes, note)) < 0)
                return r;
            continue;
        }
        if (fx->op == FIX_ADD_FROM_HOST) {
            /* The host's own CPUID: the file's silicon view. Without one, nothing is added
             * (the answer may then call a model unusable that QEMU would run, never the
             * reverse). */
            if (!silicon || !silicon->raw || silicon == host->view)
                continue;
            for (size_t w = 0; w < cat->n_words; w++)
                add.w[w] &= x86_word_value(&cat->words[w], silicon->raw);
        }
        for (size_t w = 0; w < cat->n_words; w++)
            host->supported.w[w] |= add.w[w];
    }
    return 0;
}

void x86_apply_dependencies(const struct x86_catalog *cat, struct x86_words *w, unsigned qemu)
{
    bool changed = true;

    while (changed) {
        changed = false;
        for (size_t i = 0; i < cat->n_features; i++) {
            const struct x86_feature *f = &cat->features[i];

            if (!f->requires.n || !(w->w[f->word] & f->bits))
                continue;
            for (size_t d = 0; d < f->requires.n; d++) {
                const struct x86_feature *dep = x86_catalog_feature(cat, f->requires.items[d]);
                if (dep && x86_requires_in(f, d, qemu) && !x86_words_has(cat, w, dep)) {
                    x86_words_set(cat, w, f, false);
                    changed = true;
                    break;
                }
            }
        }
    }
}

void x86_enable_xsave_components(const struct x86_catalog *cat, const struct x86_rules *rules,
                                 struct x86_words *w)
{
    uint64_t mask = 0;

    if (x86_words_has(cat, w, rules->f_xsave)) {
        for (int c = 0; c < 64; c++)
            if (cat->xsave_feature[c] >= 0 &&
                x86_words_has(cat, w, &cat->features[cat->xsave_feature[c]]))
                mask |= 1ULL << c;
    }
    w->w[rules->w_xcr0_lo] = (uint32_t)(mask & rules->xcr0_mask);
    w->w[rules->w_xcr0_hi] = (mask & rules->xcr0_mask) >> 32;
    if (rules->w_xss_lo >= 0)
        w->w[rules->w_xss_lo] = (uint32_t)(mask & rules->xss_mask);
    if (rules->w_xss_hi >= 0)
        w->w[rules->w_xss_hi] = (mask & rules->xss_mask) >> 32;
}

void x86_xsave_for_host(const struct x86_rules *rules, const struct x86_host *on,
                        struct x86_words *w)
{
    const int words[] = {rules->w_xcr0_lo, rules->w_xcr0_hi, rules->w_xss_lo, rules->w_xss_hi};

    if (!rules->xsave_accel_only_since || on->qemu < rules->xsave_accel_only_since)
        return;
    /* A component the file cannot say about stays: judging it is x86_unavailable's call. */
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (words[i] >= 0)
            w->w[words[i]] &= on->supported.w[words[i]] | on->unknown.w[words[i]];
}

void x86_expand_model(const struct x86_catalog *cat, const struct x86_rules *rules,
                      const struct x86_words *definition, struct x86_words *out)
{
    *out = *definition;
    for (size_t i = 0; i < cat->n_words; i++)
        out->w[i] = (out->w[i] | rules->defaults_on.w[i]) & ~rules->defaults_off.w[i];
    x86_apply_dependencies(cat, out, 0); /* no model has a versioned dependency */
    x86_enable_xsave_components(cat, rules, out);
}

void x86_host_model(const struct x86_catalog *cat, const struct x86_rules *rules,
                    const struct x86_host *host, struct x86_words *out)
{
    struct x86_words unavailable;

    memset(out, 0, sizeof(*out));
    if (host->qemu_expanded) {
        /* QEMU's expansion is -cpu host already: its migratable part is the host model. */
        for (size_t i = 0; i < cat->n_words; i++)
            out->w[i] = host->supported.w[i] & ~host->nonmigratable.w[i];
        /* supported has what QEMU adds for named models (topoext, kvm-hint-dedicated), which
         * -cpu host never turns on (no_autoenable_flags): the expansion has them off. */
        for (size_t i = 0; i < cat->n_features; i++)
            if (cat->features[i].no_host_model)
                x86_words_set(cat, out, &cat->features[i], false);
        x86_enable_xsave_components(cat, rules, out);
        out->w[rules->w_xcr0_lo] &= rules->migratable_xcr0;
        out->w[rules->w_xcr0_hi] &= rules->migratable_xcr0 >> 32;
        return;
    }
    /* Named, migratable features that -cpu host turns on by itself. */
    for (size_t i = 0; i < cat->n_features; i++) {
        const struct x86_feature *f = &cat->features[i];

        /* Bare silicon has no paravirtual leaf: KVM adds its own, so a host model of the
         * silicon carries none (they are "supported" there only to judge named models). */
        if (!f->unmigratable && !f->no_host_model && (host->kvm || !f->paravirt) &&
            x86_words_has(cat, &host->supported, f))
            x86_words_set(cat, out, f, true);
    }
    out->w[rules->w_xcr0_lo] = host->supported.w[rules->w_xcr0_lo] & rules->migratable_xcr0;
    const char *vendor = cc_kv_get(&host->doc->identity, "vendor");

    for (size_t i = 0; i < rules->n_fixups; i++) {
        const struct x86_fixup *fx = &rules->fixups[i];

        /* Only where the fixup gave the bits: a silicon file's own CPUID keeps them. */
        if (!host->kvm || (fx->qemu_since && host->qemu < fx->qemu_since))
            continue;
        if (fx->no_host_model ||
            (fx->host_model_vendor[0] && (!vendor || strcmp(vendor, fx->host_model_vendor))))
            for (size_t w = 0; w < cat->n_words; w++)
                out->w[w] &= ~fx->bits.w[w];
    }
    x86_apply_dependencies(cat, out, host->qemu);
    x86_enable_xsave_components(cat, rules, out);
    x86_unavailable(cat, rules, host, out, &unavailable);
    for (size_t i = 0; i < cat->n_words; i++)
        out->w[i] &= ~unavailable.w[i];
}

static bool intel_pt_usable(const struct x86_catalog *cat, const struct x86_rules *rules,
                            const struct x86_host *host, const struct x86_words *req)
{
    for (size_t i = 0; i < rules->n_pt; i++) {
        const struct x86_pt_require *q = &rules->pt[i];
        const struct x86_cpuid *e = x86_raw_cpuid(host->view->raw, 0x14, q->subleaf);
        uint32_t v = (e ? e->r[q->reg] : 0) & q->mask;

        if (q->has_min ? v < q->min
            : q->equal_word
                ? (rules->pt_lip_word >= 0 && v != (req->w[rules->pt_lip_word] & q->mask))
                : v != q->value)
            return false;
    }
    (void)cat;
    return true;
}

void x86_unavailable(const struct x86_catalog *cat, const struct x86_rules *rules,
                     const struct x86_host *host, const struct x86_words *req,
                     struct x86_words *out)
{
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < cat->n_words; i++)
        out->w[i] = req->w[i] & ~host->supported.w[i] & ~host->unknown.w[i];
    if (host->kvm && !host->qemu_expanded && rules->f_intel_pt &&
        x86_words_has(cat, req, rules->f_intel_pt) && !intel_pt_usable(cat, rules, host, req))
        x86_words_set(cat, out, rules->f_intel_pt, true);
}

/* "xsave-component-N" and ":NAME" when N is a feature's, into name (96 bytes): the canonical
 * form of every x86 host names these, so no printf on the way. */
static void xsave_name(char *name, int comp, const char *feature)
{
    static const char head[] = "xsave-component-";
    char *p = name + sizeof(head) - 1;

    memcpy(name, head, sizeof(head) - 1);
    if (comp >= 10)
        *p++ = (char)('0' + comp / 10);
    *p++ = (char)('0' + comp % 10);
    if (feature) {
        size_t n = strlen(feature);

        if (n > 96 - (size_t)(p - name) - 2)
            n = 96 - (size_t)(p - name) - 2;
        *p++ = ':';
        memcpy(p, feature, n);
        p += n;
    }
    *p = '\0';
}

int x86_words_each(const struct x86_catalog *cat, const struct x86_rules *rules,
                   const struct x86_words *w, bool qemu_style, x86_name_fn fn, void *arg)
{
    for (size_t i = 0; i < cat->n_words; i++) {
        /* Set bits only, lowest first. */
        for (uint64_t rest = w->w[i]; rest; rest &= rest - 1) {
            int b = __builtin_ctzll(rest), f = -1, r;

            if ((int)i == rules->w_xcr0_lo || (int)i == rules->w_xcr0_hi) {
                int comp = b + ((int)i == rules->w_xcr0_hi ? 32 : 0);
                f = comp < 64 ? cat->xsave_feature[comp] : -1;
                if (!qemu_style) { /* for people: say what it is */
                    char name[96];

                    xsave_name(name, comp, f >= 0 ? cat->features[f].name : NULL);
                    if ((r = fn(name, arg)) < 0)
                        return r;
                    continue;
                }
            } else {
                f = cat->bit_feature[i][b];
                /* A feature of several bits (kvmclock) is one name for people. */
                if (f >= 0 && !qemu_style && b != __builtin_ctzll(cat->features[f].bits))
                    continue;
            }
            if (f >= 0 && (r = fn(cat->features[f].name, arg)) < 0)
                return r;
        }
    }
    return 0;
}

static int add_name(const char *name, void *names)
{
    return cc_strlist_add(names, name);
}

int x86_words_names(const struct x86_catalog *cat, const struct x86_rules *rules,
                    const struct x86_words *w, bool qemu_style, struct cc_strlist *names)
{
    return x86_words_each(cat, rules, w, qemu_style, add_name, names);
}

void x86_bit_location(const struct x86_catalog *cat, size_t word, int bit, char *buf, size_t len)
{
    const struct x86_word *w = &cat->words[word];

    if (w->is_msr)
        snprintf(buf, len, "MSR[0x%x][%d]", w->msr, bit);
    else if (w->has_subleaf)
        snprintf(buf, len, "CPUID[0x%x,%u].%s[%d]", w->leaf, w->subleaf,
                 w->reg == X86_EAX   ? "EAX"
                 : w->reg == X86_EBX ? "EBX"
                 : w->reg == X86_ECX ? "ECX"
                                     : "EDX",
                 bit);
    else
        snprintf(buf, len, "CPUID[0x%x].%s[%d]", w->leaf,
                 w->reg == X86_EAX   ? "EAX"
                 : w->reg == X86_EBX ? "EBX"
                 : w->reg == X86_ECX ? "ECX"
                                     : "EDX",
                 bit);
}
