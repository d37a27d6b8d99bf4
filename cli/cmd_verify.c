/* cpucompat verify: on a destination host, replay a source's registers into this host's KVM and
 * report what it refuses or ignores (exit 0: all accepted, 1: some refused). */
#include "cli.h"
#include "../core/arch.h"
#include "../core/capdoc_io.h"
#include "../core/cleanup.h"
#include "../core/error.h"
#include "../core/report.h"

#include <stdio.h>
#include <stdlib.h>

static int run(struct cli_env *env, int argc, const char **argv)
{
    _cleanup_free_ char *format_arg = NULL;
    struct poptOption options[] = {
        {"format", 'f', POPT_ARG_STRING, &format_arg, 0, "text (default), json or xml", "FORMAT"},
        POPT_AUTOHELP POPT_TABLEEND,
    };
    _cleanup_(cli_popt_freep) poptContext pc =
        poptGetContext("cpucompat verify", argc, argv, options, 0);
    _cleanup_(cc_doc_freep) struct cc_doc *doc = NULL;
    _cleanup_(cc_verdict_free) struct cc_verdict v = {0};
    const char *src;
    enum cc_format fmt;
    struct cc_ctx *ctx;
    int rc;

    poptSetOtherOptionHelp(pc, "SRC [--format text|json|xml]");
    if ((rc = cli_parse("verify", pc)) >= 0)
        return rc;
    src = poptGetArg(pc);
    if (!src || poptPeekArg(pc))
        return cli_usage_error("verify", "needs exactly one SRC file");
    if (!(ctx = cli_setup(env, format_arg, CC_FORMATS_ALL, &fmt)))
        return CLI_EXIT_ERROR;
    if (cc_doc_read(ctx, src, &doc) < 0)
        return cli_fail();
    if (doc->arch != cc_arch_host()) {
        cc_error(EINVAL, "%s: its %s registers are verified on an %s destination, not on this host",
                 src, doc->arch->name, doc->arch->name);
        return cli_fail();
    }
    if (!doc->arch->verify) {
        cc_error(ENOTSUP, "%s: verify is not available for %s (yet, or in this build)", src,
                 doc->arch->name);
        return cli_fail();
    }
    if (doc->arch->verify(ctx, doc, src, &v) < 0)
        return cli_fail();
    return cli_print_verdict(&v, src, "this host", fmt);
}

const struct cli_command cli_verify = {
    "verify", "on a destination: what this host's KVM refuses of SRC's registers", run};
