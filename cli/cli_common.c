#include "cli.h"
#include "../core/capdoc_io.h"
#include "../core/error.h"
#include "../core/qemu.h"
#include "../core/report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The context reports are finished in (--names), once a command has loaded it. */
static struct cc_ctx *report_ctx;

struct cc_ctx *cli_ctx(struct cli_env *env)
{
    if (!env->ctx_ready) {
        if (cc_ctx_init(&env->ctx, env->datadir) < 0) {
            cli_fail();
            return NULL;
        }
        env->ctx_ready = true;
        env->ctx.names = env->names;
        report_ctx = &env->ctx;
    }
    return &env->ctx;
}

int cli_set_qemu(struct cc_ctx *ctx, const char *version)
{
    if (version && cc_qemu_version_parse(version, 3, &ctx->qemu_override) < 0) {
        cc_error_prefix(EINVAL, "--qemu");
        cli_fail();
        return -1;
    }
    return 0;
}

int cli_fail(void)
{
    fprintf(stderr, "cpucompat: %s\n", cc_error_message());
    return CLI_EXIT_ERROR;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "cpucompat %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see 'cpucompat %s --help')\n", cmd);
    return CLI_EXIT_ERROR;
}

void cli_note(const char *msg)
{
    fprintf(stderr, "cpucompat: note: %s\n", msg);
}

int cli_parse(const char *cmd, poptContext pc)
{
    int rc;

    while ((rc = poptGetNextOpt(pc)) > 0) {
        /* Options with a val are handled by their arg pointers; none return values here. */
    }
    if (rc < -1)
        return cli_usage_error(cmd, "%s: %s", poptBadOption(pc, POPT_BADOPTION_NOALIAS),
                               poptStrerror(rc));
    return -1;
}

int cli_finish_stdout(int status)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "cpucompat: standard output: write failed: %s\n", strerror(errno));
        return CLI_EXIT_ERROR;
    }
    return status;
}

int cli_read_hosts(struct cc_ctx *ctx, const char *const *files, size_t n, struct cc_doc **docs)
{
    /* Standard input reads once: the second '-' would read as empty, not as the same host. */
    for (size_t i = 0, first = n; i < n; i++) {
        if (strcmp(files[i], "-") != 0)
            continue;
        if (first < n) {
            cc_error(EINVAL,
                     "standard input ('-') given twice, as file %zu and file %zu: it "
                     "can be read only once",
                     first + 1, i + 1);
            cli_fail();
            return -1;
        }
        first = i;
    }
    for (size_t i = 0; i < n; i++) {
        if (cc_doc_read(ctx, files[i], &docs[i]) < 0) {
            cli_fail();
            return -1;
        }
        if (docs[i]->arch != docs[0]->arch) {
            cc_error(EINVAL, "%s is %s and %s is %s: hosts of different architectures", files[0],
                     docs[0]->arch->name, files[i], docs[i]->arch->name);
            cli_fail();
            return -1;
        }
    }
    return 0;
}

struct cc_ctx *cli_setup(struct cli_env *env, const char *format, unsigned allowed,
                         enum cc_format *fmt)
{
    if (cc_format_parse(format ? format : "text", allowed, fmt) < 0) {
        cli_fail();
        return NULL;
    }
    return cli_ctx(env);
}

int cli_print_report(struct cc_node *tree, enum cc_format fmt, int status)
{
    struct cli_report report;
    int r = 0;

    /* the stack's formats have their own spellings */
    if (fmt != CC_FORMAT_QEMU && fmt != CC_FORMAT_LIBVIRT && fmt != CC_FORMAT_LABELS &&
        report_ctx && (r = cc_report_spell(report_ctx, tree)) < 0) {
        cc_node_free(tree);
        return cli_fail();
    }
    r = cc_report_write(tree, fmt, cli_report_open(&report));

    cc_node_free(tree);
    if (cli_report_close(&report, r == 0) < 0)
        r = -1;
    return r < 0 ? cli_fail() : cli_finish_stdout(status);
}

int cli_print_verdict(const struct cc_verdict *v, const char *src, const char *dst,
                      enum cc_format fmt)
{
    return cli_print_report(cc_report_compare(v, src, dst), fmt,
                            v->migratable ? CLI_EXIT_OK : CLI_EXIT_NO);
}

int cli_print_labels(struct cc_ctx *ctx, const struct cc_doc *doc, const char *file)
{
    struct cc_kvlist labels = {0};
    struct cc_strlist notes = {0};
    struct cc_node *tree = NULL;
    int r;

    if (!doc->arch->labels)
        r = cc_error(ENOTSUP, "%s: no KubeVirt node labels for %s", file, doc->arch->name);
    else
        r = doc->arch->labels(ctx, doc, file, &labels, &notes);
    if (r == 0)
        tree = cc_report_labels(&labels, &notes, file);
    cc_kv_free(&labels);
    cc_strlist_free(&notes);
    return r < 0 ? cli_fail() : cli_print_report(tree, CC_FORMAT_LABELS, CLI_EXIT_OK);
}
