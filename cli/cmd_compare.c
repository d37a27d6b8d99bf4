/* cpucompat compare: can a guest CPU move from SRC to DST, and what exactly blocks it. */
#include "cli.h"
#include "cli_options.h"
#include "../core/capdoc_io.h"
#include "../core/error.h"
#include "../core/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int run(struct cli_env *env, int argc, const char **argv)
{
    char *format_arg = NULL;
    const char *src, *dst;
    int rc;
    enum cc_format fmt;
    struct cli_options given;
    cli_options_init(&given, "compare", CC_CMD_COMPARE);
    struct poptOption options[] = {
        CLI_OPTIONS_TABLE(&given),
        {"format", 'f', POPT_ARG_STRING, &format_arg, 0, "text (default), json or xml", "FORMAT"},
        POPT_AUTOHELP POPT_TABLEEND,
    };
    poptContext pc = poptGetContext("cpucompat compare", argc, argv, options, 0);
    struct cc_doc *docs[2] = {NULL, NULL}, *sdoc, *ddoc;
    struct cc_verdict v = {0};
    struct cc_compare_opts opts;
    struct cc_ctx *ctx;

    poptSetOtherOptionHelp(pc, "SRC DST [--model MODEL] [--format text|json|xml] "
                               "[OPTIONS OF THE FILES' ARCHITECTURE]");
    rc = cli_parse("compare", pc);
    if (rc >= 0)
        goto out;
    src = poptGetArg(pc);
    dst = poptGetArg(pc);
    if (!src || !dst || poptPeekArg(pc)) {
        rc = cli_usage_error("compare", "needs exactly two files, SRC and DST");
        goto out;
    }
    rc = CLI_EXIT_ERROR;
    if (!(ctx = cli_setup(env, format_arg, CC_FORMATS_ALL, &fmt)))
        goto out;
    if (cli_read_hosts(ctx, (const char *[]){src, dst}, 2, docs) < 0)
        goto out;
    sdoc = docs[0];
    ddoc = docs[1];
    if ((rc = cli_options_check(&given, sdoc->arch, "these files are")) != 0)
        goto out;
    rc = CLI_EXIT_ERROR;
    if (!sdoc->arch->compare) {
        cc_error(ENOTSUP, "%s: compare is not supported for %s yet", src, sdoc->arch->name);
        cli_fail();
        goto out;
    }
    opts = (struct cc_compare_opts){.model = cc_option_string(&given.given, "model"),
                                    .options = &given.given};
    if (sdoc->arch->compare(ctx, sdoc, src, ddoc, dst, &opts, &v) < 0) {
        cli_fail();
        goto out;
    }
    rc = cli_print_verdict(&v, src, dst, fmt);
out:
    cc_verdict_free(&v);
    cc_doc_free(docs[0]);
    cc_doc_free(docs[1]);
    free(format_arg);
    cli_options_free(&given);
    poptFreeContext(pc);
    return rc;
}

const struct cli_command cli_compare = {
    "compare", "can a guest CPU move from SRC to DST (exit 0 yes, 1 no)", run};
