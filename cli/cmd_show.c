/* cpucompat show: a capability file, readable by a person or a script. */
#include "cli.h"
#include "../core/capdoc_io.h"
#include "../core/cleanup.h"
#include "../core/error.h"
#include "../core/report.h"
#include "../core/show.h"

#include <stdio.h>
#include <stdlib.h>

static int run(struct cli_env *env, int argc, const char **argv)
{
    _cleanup_free_ char *format_arg = NULL; /* popt allocates option strings; we own them */
    struct poptOption options[] = {
        {"format", 'f', POPT_ARG_STRING, &format_arg, 0, "text (default), json, xml or labels",
         "FORMAT"},
        POPT_AUTOHELP POPT_TABLEEND,
    };
    _cleanup_(cli_popt_freep) poptContext pc =
        poptGetContext("cpucompat show", argc, argv, options, 0);
    _cleanup_(cc_doc_freep) struct cc_doc *doc = NULL;
    struct cc_node *tree = NULL;
    const char *file;
    enum cc_format fmt;
    struct cc_ctx *ctx;
    int rc;

    poptSetOtherOptionHelp(pc, "FILE [--format text|json|xml|labels]");
    if ((rc = cli_parse("show", pc)) >= 0)
        return rc;
    file = poptGetArg(pc);
    if (!file || poptPeekArg(pc))
        return cli_usage_error("show", file ? "takes one FILE" : "needs a FILE");
    if (!(ctx = cli_setup(env, format_arg, CC_FORMATS_LABELS, &fmt)))
        return CLI_EXIT_ERROR;
    if (cc_doc_read(ctx, file, &doc) < 0)
        return cli_fail();
    if (fmt == CC_FORMAT_LABELS)
        return cli_print_labels(ctx, doc, file);
    if (cc_show(ctx, doc, file, &tree) < 0)
        return cli_fail();
    return cli_print_report(tree, fmt, CLI_EXIT_OK);
}

const struct cli_command cli_show = {"show", "print a capability file for people or scripts", run};
