/* `compare --model STRING [SRC] DST` on arm64, STRING a QEMU -cpu string (host or max with
 * properties). QEMU starts the string on the source and, for the incoming migration, on the
 * destination: each must take it, the guest's registers on the source (the host's, less what the
 * string switches off) must be writable on the destination configured the same way, and the
 * SVE vector lengths the string resolves to must be the same on both. With DST alone: does QEMU
 * start the string there. */
#include "arm64.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"
#include "../../core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_file(const struct cc_view *view, const char *file)
{
    char *list = NULL;
    uint64_t *ids = NULL;
    size_t n;
    int r;

    if (!view || !view->raw)
        return cc_error(EINVAL, "%s: no registers", file);
    if ((r = arm64_ipa_limit(view, file, NULL)) < 0)
        return r;
    r = arm64_reg_list_of(view, &list);
    if (r == 0 && list)
        r = arm64_reg_list_parse(file, list, &ids, &n);
    free(ids);
    free(list);
    return r;
}

static void vls_text(uint32_t vls, char *buf, size_t len)
{
    size_t used = 0;

    buf[0] = '\0';
    for (unsigned vq = 1; vq <= 16 && used < len; vq++)
        if (vls & 1u << (vq - 1))
            used += (size_t)snprintf(buf + used, len - used, "%s%u", used ? " " : "", vq * 16);
    if (!used)
        snprintf(buf, len, "none");
}

static int side_notes(const struct arm64_guest_host *h, const char *file, struct cc_verdict *v)
{
    char list[64] = "", note[512];
    unsigned u = h->unknown;

    if (!u)
        return 0;
    snprintf(list, sizeof(list), "%s%s%s%s%s", u & ARM64_VF_SVE ? "SVE" : "",
             u & ARM64_VF_SVE && u & ~ARM64_VF_SVE ? ", " : "", u & ARM64_VF_PMU ? "a PMU" : "",
             u & ARM64_VF_PMU && u & ARM64_VF_PTRAUTH ? ", " : "",
             u & ARM64_VF_PTRAUTH ? "pointer auth" : "");
    snprintf(note, sizeof(note),
             "%s records neither whether its KVM offers %s nor the vCPU features of its "
             "capture: judged as captured (without)",
             file, list);
    return cc_strlist_contains(&v->notes, note) ? 0 : cc_strlist_add(&v->notes, note);
}

static int refused(const struct arm64_guest *g, const struct arm64_guest_host *h, const char *role,
                   const char *file, struct cc_verdict *v)
{
    return cc_blockers_add(&v->blockers, "-cpu", "QEMU -cpu", CC_REASON_MISSING,
                           "QEMU under KVM refuses '%s' on the %s (%s): %s",
                           strlen(g->spec) <= 120 ? g->spec : "(the CPU model string)", role, file,
                           h->refused);
}

int arm64_compare_string(struct cc_ctx *ctx, const struct cc_doc *src, const char *src_file,
                         const struct cc_doc *dst, const char *dst_file,
                         const struct cc_compare_opts *opts, struct cc_verdict *v)
{
    const struct cc_view *sview = src ? arm64_view_of(src) : NULL, *dview = arm64_view_of(dst);
    const struct arm64_catalog *cat;
    struct arm64_guest g = {0};
    struct arm64_guest_host gs = {0}, gd = {0};
    struct arm64_judgement jr = {.next = -1};
    const char *method = src ? cc_kv_get(&src->origin, "method") : NULL;
    int k, r = arm64_catalog_get(ctx, &cat);

    if (r < 0 || (src && (r = check_file(sview, src_file)) < 0) ||
        (r = check_file(dview, dst_file)) < 0 ||
        (r = arm64_host_rules(cat, dst, dview, dst_file, &k)) < 0)
        return r;
    if (method && !strcmp(method, "expand"))
        return cc_error(EINVAL, "%s: an expanded model is not a host; --model needs a real source",
                        src_file);
    if ((r = arm64_guest_parse(ctx, opts->model, &g)) < 0)
        return r;
    if (src)
        r = arm64_guest_on(ctx, &g, sview, src_file, &gs);
    if (r == 0)
        r = arm64_guest_on(ctx, &g, dview, dst_file, &gd);
    if (r < 0)
        goto out;
    v->guest = xstrdup(g.spec);
    v->src_basis = xstrdup(sview ? sview->name : dview->name);
    v->dst_basis = xstrdup(dview->name);
    r = cc_strlist_addf(&v->notes, "destination judged by %s rules (its kernel: %s)",
                        cat->kernels[k].name, arm64_kernel_of(dst, dview));
    for (size_t i = 0; i < g.notes.n && r == 0; i++)
        r = cc_strlist_add(&v->notes, g.notes.items[i]);
    if (r == 0 && src)
        r = side_notes(&gs, src_file, v);
    if (r == 0)
        r = side_notes(&gd, dst_file, v);
    if (r == 0 && src && gs.refused)
        r = refused(&g, &gs, "source", src_file, v);
    if (r == 0 && gd.refused)
        r = refused(&g, &gd, "destination", dst_file, v);
    if (r < 0)
        goto out;
    if (gs.refused || gd.refused) {
        v->migratable = false;
        v->relation = CC_INCOMPATIBLE;
        goto out;
    }
    if (gs.unjudged || gd.unjudged) {
        r = cc_error(ENOTSUP, "%s", gs.unjudged ? gs.unjudged : gd.unjudged);
        goto out;
    }
    if (src)
        r = arm64_note_views(sview, dview, v);
    if (r == 0 && src)
        r = arm64_judge(cat, k, gs.raw, &gs.view, gd.raw, &gd.view,
                        cc_option_string(opts->options, "midr-policy"), NULL, v, &jr);
    if (r == 0 && src && gs.vls_known && gd.vls_known && gs.vls != gd.vls) {
        char a[96], b[96];

        vls_text(gs.vls, a, sizeof(a));
        vls_text(gd.vls, b, sizeof(b));
        jr.differ = true;
        jr.fwd_safe = jr.back_safe = false;
        r = cc_blockers_add(&v->blockers, "sve-vector-lengths", "KVM_REG_ARM64_SVE_VLS",
                            CC_REASON_MUST_EQUAL,
                            "the string gives the guest SVE vector lengths of %s bytes on the "
                            "source and %s on the destination; the guest cannot see them change",
                            a, b);
    } else if (r == 0 && src && (gs.sve || gd.sve) && !(gs.vls_known && gd.vls_known)) {
        r = cc_strlist_addf(&v->notes,
                            "uncertain: %s records no SVE vector lengths; they were not compared",
                            gs.vls_known ? dst_file : src_file);
    }
    if (r == 0)
        r = arm64_verdict_finish(ctx, cat, k, opts, &jr, src ? gs.raw : gd.raw, &gd.view, v);
out:
    arm64_guest_host_free(&gs);
    arm64_guest_host_free(&gd);
    arm64_guest_free(&g);
    return r;
}
