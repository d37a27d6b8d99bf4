/* cpucompat verify: on a destination host, replay a source's registers into this host's KVM and
 * report what it refuses or ignores (exit 0: all accepted, 1: some refused). */
#include "cli.h"
#include "../core/arch.h"
#include "../core/capdoc_io.h"
#include "../core/error.h"
#include "../core/report.h"

#include <stdio.h>
#include <stdlib.h>

static int run(struct cli_env *env, int argc, const char **argv)
{
    char *format_arg = NULL;
    const char *src;
    enum cc_format fmt;
    int rc;
    struct poptOption options[] = {
        {"format", 'f', POPT_ARG_STRING, &format_arg, 0, "text (default), json or xml", "FORMAT"},
        POPT_AUTOHELP POPT_TABLEEND,
    };
    poptContext pc = poptGetContext("cpucompat verify", argc, argv, options, 0);
    struct cc_doc *doc = NULL;
    struct cc_verdict v = {0};
    struct cc_ctx *ctx;

    poptSetOtherOptionHelp(pc, "SRC [--format text|json|xml]");
    rc = cli_parse("verify", pc);
    if (rc >= 0)
        goto out;
    src = poptGetArg(pc);
    if (!src || poptPeekArg(pc)) {
        rc = cli_usage_error("verify", "needs exactly one SRC file");
        goto out;
    }
    rc = CLI_EXIT_ERROR;
    if (!(ctx = cli_setup(env, format_arg, CC_FORMATS_ALL, &fmt)))
        goto out;
    if (cc_doc_read(ctx, src, &doc) < 0) {
        cli_fail();
        goto out;
    }
    if (doc->arch != cc_arch_host()) {
        cc_error(EINVAL, "%s: its %s registers are verified on an %s destination, not on this host",
                 src, doc->arch->name, doc->arch->name);
        cli_fail();
        goto out;
    }
    if (!doc->arch->verify) {
        cc_error(ENOTSUP, "%s: verify is not available for %s (yet, or in this build)", src,
                 doc->arch->name);
        cli_fail();
        goto out;
    }
    if (doc->arch->verify(ctx, doc, src, &v) < 0) {
        cli_fail();
        goto out;
    }
    rc = cli_print_verdict(&v, src, "this host", fmt);
out:
    cc_verdict_free(&v);
    cc_doc_free(doc);
    free(format_arg);
    poptFreeContext(pc);
    return rc;
}

const struct cli_command cli_verify = {
    "verify", "on a destination: what this host's KVM refuses of SRC's registers", run};
