/* cpucompat show: a capability file, readable by a person or a script. */
#include "cli.h"
#include "../core/capdoc_io.h"
#include "../core/error.h"
#include "../core/show.h"

#include <stdio.h>
#include <stdlib.h>

static int run(struct cli_env *env, int argc, const char **argv)
{
    char *format_arg = NULL; /* popt allocates option strings; we own them */
    const char *format, *file;
    enum cc_format fmt;
    int rc;
    struct poptOption options[] = {
        {"format", 'f', POPT_ARG_STRING, &format_arg, 0, "text (default), json or xml", "FORMAT"},
        POPT_AUTOHELP POPT_TABLEEND,
    };
    poptContext pc = poptGetContext("cpucompat show", argc, argv, options, 0);
    struct cc_doc *doc = NULL;
    struct cc_node *tree = NULL;
    struct cc_ctx *ctx;

    poptSetOtherOptionHelp(pc, "FILE [--format text|json|xml]");
    rc = cli_parse("show", pc);
    format = format_arg ? format_arg : "text";
    if (rc >= 0)
        goto out;
    file = poptGetArg(pc);
    if (!file || poptPeekArg(pc)) {
        rc = cli_usage_error("show", file ? "takes one FILE" : "needs a FILE");
        goto out;
    }
    rc = CLI_EXIT_ERROR;
    if (!(ctx = cli_setup(env, format, CC_FORMATS_ALL, &fmt)))
        goto out;
    if (cc_doc_read(ctx, file, &doc) < 0) {
        cli_fail();
        goto out;
    }
    if (cc_show(ctx, doc, file, &tree) < 0) {
        cli_fail();
        goto out;
    }
    rc = cli_print_report(tree, fmt, CLI_EXIT_OK);
out:
    free(format_arg);
    cc_doc_free(doc);
    poptFreeContext(pc);
    return rc;
}

const struct cli_command cli_show = {"show", "print a capability file for people or scripts", run};
