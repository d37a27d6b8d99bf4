/* The canonical guest-visible form of an x86 host: everything compare weighs on either side, a
 * host as source or as destination: its host model and the further features it can give (both as
 * the host's QEMU judges them), the bits it cannot judge, the vendor, the address size, the
 * features of a QEMU expansion this catalog cannot name, and the LBR format and TSC where it can
 * give pdcm or invtsc. Two hosts with one text are interchangeable to compare. */
#include "x86_engine.h"
#include "../../core/error.h"
#include "../../core/text_block.h"
#include "../../core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct list_out {
    struct cc_text *t;
    bool first;
};

static int put_name(const char *name, void *arg)
{
    struct list_out *o = arg;

    if (!o->first)
        cc_text_append(o->t, " ", 1);
    o->first = false;
    cc_text_puts(o->t, name);
    return 0;
}

/* "LABEL=name name ...": written as the names come, a fleet's readers make one per host. */
static int put_words(struct cc_text *t, const char *label, const struct x86_env *env,
                     const struct x86_words *w)
{
    struct list_out o = {.t = t, .first = true};
    int r;

    cc_text_puts(t, label);
    cc_text_append(t, "=", 1);
    r = x86_words_each(env->cat, env->rules, w, false, put_name, &o);
    cc_text_append(t, "\n", 1);
    return r;
}

static void put_list(struct cc_text *t, const char *label, const struct cc_strlist *l)
{
    struct list_out o = {.t = t, .first = true};

    cc_text_puts(t, label);
    cc_text_append(t, "=", 1);
    for (size_t i = 0; i < l->n; i++)
        put_name(l->items[i], &o);
    cc_text_append(t, "\n", 1);
}

int x86_canonical(struct cc_ctx *ctx, const struct cc_doc *doc, const char *file, char **out)
{
    struct x86_env env;
    struct x86_host host;
    struct x86_words model, more;
    struct cc_strlist unknown = {0};
    struct cc_text t = {0};
    int r = x86_env_get(ctx, &env);

    if (r == 0)
        r = x86_host_judged(ctx, &env, doc, file, &host, NULL);
    if (r < 0)
        return r;
    x86_host_model(env.cat, env.rules, &host, &model);
    for (size_t i = 0; i < env.cat->n_words; i++)
        more.w[i] = host.supported.w[i] & ~model.w[i];
    if (host.qemu_expanded)
        r = x86_qprops_judge(env.cat, env.cat->qemu_props, host.view->raw, NULL, &unknown);
    if (r == 0) {
        cc_text_puts(&t, "arch=x86_64\nvendor=");
        cc_text_puts(&t, cc_kv_get(&doc->identity, "vendor") ?: "?");
        cc_text_puts(&t, "\nphys-bits=");
        cc_text_u64(&t, host.phys_bits, 10);
        cc_text_append(&t, "\n", 1);
        r = put_words(&t, "features", &env, &model);
        if (r == 0)
            r = put_words(&t, "also-supported", &env, &more);
        if (r == 0)
            r = put_words(&t, "unjudged", &env, &host.unknown);
        put_list(&t, "qemu-only", &unknown);
        if (env.rules->f_pdcm && x86_words_has(env.cat, &host.supported, env.rules->f_pdcm)) {
            const struct x86_msr *m = x86_raw_msr(host.view->raw, env.rules->lbr_msr);

            cc_text_puts(&t, "lbr-fmt=");
            if (m)
                cc_text_u64(&t, (unsigned)(m->value & env.rules->lbr_mask), 10);
            else
                cc_text_puts(&t, "unknown");
            cc_text_append(&t, "\n", 1);
        }
        if (env.rules->f_invtsc && x86_words_has(env.cat, &host.supported, env.rules->f_invtsc)) {
            const char *scale = cc_kv_get(&host.view->props, "tsc-control");

            cc_text_puts(&t, "tsc-khz=");
            cc_text_u64(&t, host.tsc_khz, 10);
            cc_text_puts(&t, " tsc-control=");
            cc_text_puts(&t, scale ?: "no");
            cc_text_append(&t, "\n", 1);
        }
        if (t.failed && r == 0)
            r = cc_error(ENOMEM, "out of memory");
        if (r < 0)
            free(t.buf);
        else
            *out = t.buf;
    }
    cc_strlist_free(&unknown);
    return r;
}
