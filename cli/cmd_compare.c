/* cpucompat compare: can a guest CPU move from SRC to DST, and what exactly blocks it. */
#include "cli.h"
#include "cli_options.h"
#include "../core/capdoc_io.h"
#include "../core/cleanup.h"
#include "../core/error.h"
#include "../core/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int run(struct cli_env *env, int argc, const char **argv)
{
    _cleanup_free_ char *format_arg = NULL, *qemu_arg = NULL;
    _cleanup_(cli_options_free) struct cli_options given;
    cli_options_init(&given, "compare", CC_CMD_COMPARE);
    struct poptOption options[] = {
        CLI_OPTIONS_TABLE(&given),
        {"format", 'f', POPT_ARG_STRING, &format_arg, 0, "text (default), json or xml", "FORMAT"},
        {"qemu", 0, POPT_ARG_STRING, &qemu_arg, 0, CLI_QEMU_HELP, "VERSION"},
        POPT_AUTOHELP POPT_TABLEEND,
    };
    _cleanup_(cli_popt_freep) poptContext pc =
        poptGetContext("cpucompat compare", argc, argv, options, 0);
    _cleanup_(cc_doc_freep) struct cc_doc *sdoc = NULL;
    _cleanup_(cc_doc_freep) struct cc_doc *ddoc = NULL;
    _cleanup_(cc_verdict_free) struct cc_verdict v = {0};
    struct cc_doc *docs[2] = {NULL, NULL};
    struct cc_compare_opts opts;
    const char *src, *dst, *guest;
    enum cc_format fmt;
    struct cc_ctx *ctx;
    int rc;

    poptSetOtherOptionHelp(pc, "[SRC] DST [--guest FILE | --model MODEL] [--qemu VERSION] "
                               "[--format text|json|xml] [OPTIONS OF THE FILES' ARCHITECTURE]");
    if ((rc = cli_parse("compare", pc)) >= 0)
        return rc;
    src = poptGetArg(pc);
    dst = poptGetArg(pc);
    guest = cli_options_peek(&given, "guest");
    /* One file: does the guest (--guest, or --model on x86) run on it. */
    if (src && !dst && (guest || cli_options_peek(&given, "model"))) {
        dst = src;
        src = NULL;
    }
    if (!dst || poptPeekArg(pc))
        return cli_usage_error("compare", "needs two files, SRC and DST (or one, DST, with "
                                          "--guest or --model)");
    if (guest && cli_options_peek(&given, "model"))
        return cli_usage_error("compare", "--guest defines the whole guest: no --model with it");
    if (!(ctx = cli_setup(env, format_arg, CC_FORMATS_ALL, &fmt)) ||
        cli_set_qemu(ctx, qemu_arg) < 0)
        return CLI_EXIT_ERROR;
    rc = src ? cli_read_hosts(ctx, (const char *[]){src, dst}, 2, docs)
             : cli_read_hosts(ctx, (const char *[]){dst}, 1, docs + 1);
    sdoc = docs[0];
    ddoc = docs[1];
    if (rc < 0)
        return CLI_EXIT_ERROR;
    if ((rc = cli_options_check(&given, ddoc->arch, src ? "these files are" : "this file is")) != 0)
        return rc;
    opts = (struct cc_compare_opts){.model = cc_option_string(&given.given, "model"),
                                    .options = &given.given};
    if (guest) {
        if (!ddoc->arch->compare_guest) {
            cc_error(ENOTSUP, "%s: --guest is not supported for %s yet", dst, ddoc->arch->name);
            return cli_fail();
        }
        if (ddoc->arch->compare_guest(ctx, sdoc, src, ddoc, dst, guest, &opts, &v) < 0)
            return cli_fail();
        return cli_print_verdict(&v, src, dst, fmt);
    }
    if (!ddoc->arch->compare) {
        cc_error(ENOTSUP, "%s: compare is not supported for %s yet", dst, ddoc->arch->name);
        return cli_fail();
    }
    if (ddoc->arch->compare(ctx, sdoc, src, ddoc, dst, &opts, &v) < 0)
        return cli_fail();
    return cli_print_verdict(&v, src, dst, fmt);
}

const struct cli_command cli_compare = {
    "compare", "can a guest CPU move from SRC to DST (exit 0 yes, 1 no)", run};
