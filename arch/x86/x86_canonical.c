/* The canonical guest-visible form of an x86 host: everything compare weighs on either side, a
 * host as source or as destination: its host model and the further features it can give (both as
 * the host's QEMU judges them), the bits it cannot judge, the vendor, the address size, the
 * features of a QEMU expansion this catalog cannot name, and the LBR format and TSC where it can
 * give pdcm or invtsc. Two hosts with one text are interchangeable to compare. */
#include "x86_engine.h"
#include "../../core/error.h"
#include "../../core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct list_out {
    FILE *f;
    bool first;
};

static int put_name(const char *name, void *arg)
{
    struct list_out *o = arg;

    if (!o->first)
        putc_unlocked(' ', o->f);
    o->first = false;
    fputs_unlocked(name, o->f);
    return 0;
}

/* "LABEL=name name ...": written as the names come, a fleet's readers make one per host. */
static int put_words(FILE *f, const char *label, const struct x86_env *env,
                     const struct x86_words *w)
{
    struct list_out o = {.f = f, .first = true};
    int r;

    fputs_unlocked(label, f);
    putc_unlocked('=', f);
    r = x86_words_each(env->cat, env->rules, w, false, put_name, &o);
    putc_unlocked('\n', f);
    return r;
}

static void put_list(FILE *f, const char *label, const struct cc_strlist *l)
{
    struct list_out o = {.f = f, .first = true};

    fputs_unlocked(label, f);
    putc_unlocked('=', f);
    for (size_t i = 0; i < l->n; i++)
        put_name(l->items[i], &o);
    putc_unlocked('\n', f);
}

int x86_canonical(struct cc_ctx *ctx, const struct cc_doc *doc, const char *file, char **out)
{
    struct x86_env env;
    struct x86_host host;
    struct x86_words model, more;
    struct cc_strlist unknown = {0};
    char *buf = NULL;
    size_t len = 0;
    FILE *f;
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
    if (r == 0 && !(f = open_memstream(&buf, &len)))
        r = cc_error(ENOMEM, "out of memory");
    if (r == 0) {
        fprintf(f, "arch=x86_64\nvendor=%s\nphys-bits=%u\n",
                cc_kv_get(&doc->identity, "vendor") ?: "?", host.phys_bits);
        r = put_words(f, "features", &env, &model);
        if (r == 0)
            r = put_words(f, "also-supported", &env, &more);
        if (r == 0)
            r = put_words(f, "unjudged", &env, &host.unknown);
        put_list(f, "qemu-only", &unknown);
        if (env.rules->f_pdcm && x86_words_has(env.cat, &host.supported, env.rules->f_pdcm)) {
            const struct x86_msr *m = x86_raw_msr(host.view->raw, env.rules->lbr_msr);

            if (m)
                fprintf(f, "lbr-fmt=%u\n", (unsigned)(m->value & env.rules->lbr_mask));
            else
                fputs("lbr-fmt=unknown\n", f);
        }
        if (env.rules->f_invtsc && x86_words_has(env.cat, &host.supported, env.rules->f_invtsc)) {
            const char *scale = cc_kv_get(&host.view->props, "tsc-control");

            fprintf(f, "tsc-khz=%llu tsc-control=%s\n", (unsigned long long)host.tsc_khz,
                    scale ?: "no");
        }
        if (fclose(f) != 0 && r == 0)
            r = cc_error(ENOMEM, "out of memory");
        if (r < 0)
            free(buf);
        else
            *out = buf;
    }
    cc_strlist_free(&unknown);
    return r;
}
