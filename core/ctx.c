#include "ctx.h"
#include "prop_types.h"
#include "token_fold.h"
#include "cleanup.h"
#include "embedded.h"
#include "error.h"
#include "xalloc.h"
#include "xml_load.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef CC_DATADIR
#define CC_DATADIR "/usr/local/share/cpucompat"
#endif

static bool is_datadir(const char *dir)
{
    _cleanup_free_ char *probe = xasprintf("%s/schema/capabilities.rng", dir);
    struct stat st;

    return stat(probe, &st) == 0 && S_ISREG(st.st_mode);
}

/* Running from a build tree (./cpucompat beside data/) needs no installation step. */
static char *datadir_beside_exe(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    char *slash, *dir;

    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    slash = strrchr(exe, '/');
    if (!slash)
        return NULL;
    *slash = '\0';
    dir = xasprintf("%s/data", exe);
    if (is_datadir(dir))
        return dir;
    free(dir);
    return NULL;
}

int cc_ctx_init(struct cc_ctx *ctx, const char *datadir)
{
    const char *env = getenv("CPUCOMPAT_DATADIR");

    *ctx = (struct cc_ctx){0};
    if (datadir && *datadir)
        ctx->datadir = xstrdup(datadir);
    else if (env && *env)
        ctx->datadir = xstrdup(env);
    else if (!(ctx->datadir = datadir_beside_exe()) && is_datadir(CC_DATADIR))
        ctx->datadir = xstrdup(CC_DATADIR);
    if (!ctx->datadir) {
        /* Nothing on disk: the binary's own copy (a static binary copied alone to a host). */
        ctx->datadir = xstrdup(CC_EMBEDDED_ROOT);
        ctx->builtin = true;
        cc_embedded_use(true);
        return 0;
    }
    if (!is_datadir(ctx->datadir)) {
        int r = cc_error(ENOENT, "%s: not a cpucompat data directory (no schema/capabilities.rng)",
                         ctx->datadir);
        cc_ctx_fini(ctx); /* a failed init owns nothing */
        return r;
    }
    return 0;
}

void cc_ctx_fini(struct cc_ctx *ctx)
{
    for (size_t i = 0; i < ctx->n_loaded; i++)
        if (ctx->loaded_arch[i]->data_free)
            ctx->loaded_arch[i]->data_free(ctx->arch_state[i]);
    if (ctx->schema)
        xmlRelaxNGFree(ctx->schema);
    cc_prop_types_free(ctx->prop_types);
    cc_token_slots_free(ctx->token_slots);
    cc_xml_cleanup();
    if (ctx->builtin)
        cc_embedded_use(false);
    free(ctx->datadir);
    *ctx = (struct cc_ctx){0};
}

int cc_ctx_arch_data(struct cc_ctx *ctx, const struct cc_arch_ops *arch, void **state)
{
    int r;

    for (size_t i = 0; i < ctx->n_loaded; i++) {
        if (ctx->loaded_arch[i] == arch) {
            *state = ctx->arch_state[i];
            return 0;
        }
    }
    if (!arch->data_load)
        return cc_error(ENOTSUP, "%s: no data tables", arch->name);
    if (ctx->n_loaded == CC_MAX_ARCHES)
        return cc_error(ENOSPC, "too many architectures loaded");
    r = arch->data_load(ctx, state);
    if (r < 0)
        return r;
    ctx->loaded_arch[ctx->n_loaded] = arch;
    ctx->arch_state[ctx->n_loaded++] = *state;
    return 0;
}

int cc_ctx_data_path(const struct cc_ctx *ctx, const char *rel, char **out)
{
    *out = xasprintf("%s/%s", ctx->datadir, rel);
    return 0;
}

int cc_ctx_arch_path(const struct cc_ctx *ctx, const struct cc_arch_ops *arch, const char *name,
                     char **out)
{
    if (!arch->data_subdir)
        return cc_error(ENOTSUP, "%s: no data folder", arch->name);
    if (asprintf(out, "%s/%s/%s", ctx->datadir, arch->data_subdir, name) < 0) {
        *out = NULL;
        return cc_error(ENOMEM, "out of memory");
    }
    return 0;
}

static int cmp_paths(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int cc_ctx_data_files(const struct cc_ctx *ctx, const char *rel, struct cc_strlist *out)
{
    char *dir = NULL;
    struct dirent *e;
    DIR *d = NULL;
    int r = cc_ctx_data_path(ctx, rel, &dir);

    if (r < 0)
        return r;
    if (ctx->builtin) {
        size_t n = strlen(rel);

        for (const struct cc_embedded_file *f = cc_embedded_files; f->name; f++) {
            size_t len = strlen(f->name);

            if (len > n + 5 && strncmp(f->name, rel, n) == 0 && f->name[n] == '/' &&
                !strchr(f->name + n + 1, '/') && !strcmp(f->name + len - 4, ".xml"))
                cc_strlist_addf(out, "%s/%s", dir, f->name + n + 1);
        }
    } else if (!(d = opendir(dir))) {
        r = cc_error(errno, "%s: cannot open: %s", dir, strerror(errno));
        free(dir);
        return r;
    }
    while (d && (e = readdir(d)) && r == 0) {
        size_t len = strlen(e->d_name);

        if (len > 4 && !strcmp(e->d_name + len - 4, ".xml"))
            r = cc_strlist_addf(out, "%s/%s", dir, e->d_name);
    }
    if (d)
        closedir(d);
    if (r == 0 && out->n == 0)
        r = cc_error(ENOENT, "%s: no model files", dir);
    if (r == 0)
        qsort(out->items, out->n, sizeof(char *), cmp_paths);
    free(dir);
    return r;
}

int cc_ctx_arch_files(const struct cc_ctx *ctx, const struct cc_arch_ops *arch, const char *name,
                      struct cc_strlist *out)
{
    _cleanup_free_ char *rel = NULL;

    if (!arch->data_subdir)
        return cc_error(ENOTSUP, "%s: no data folder", arch->name);
    if (asprintf(&rel, "%s/%s", arch->data_subdir, name) < 0) {
        rel = NULL;
        return cc_error(ENOMEM, "out of memory");
    }
    return cc_ctx_data_files(ctx, rel, out);
}
