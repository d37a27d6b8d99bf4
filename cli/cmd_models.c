/* cpucompat models: which named CPU models a host can run, and what blocks the others. */
#include "cli.h"
#include "../core/capdoc_io.h"
#include "../core/error.h"
#include "../core/report.h"

#include <stdio.h>
#include <stdlib.h>

static int run(struct cli_env *env, int argc, const char **argv)
{
    char *format_arg = NULL, *resolve = NULL, *qemu_arg = NULL;
    const char *file;
    enum cc_format fmt;
    struct poptOption options[] = {
        {"format", 'f', POPT_ARG_STRING, &format_arg, 0, "text (default) or json", "FORMAT"},
        {"resolve", 'r', POPT_ARG_STRING, &resolve, 0,
         "the newest version of NAME's family this host can run (exit 1 if none)", "NAME"},
        {"qemu", 0, POPT_ARG_STRING, &qemu_arg, 0, CLI_QEMU_HELP, "VERSION"},
        POPT_AUTOHELP POPT_TABLEEND,
    };
    poptContext pc = poptGetContext("cpucompat models", argc, argv, options, 0);
    struct cc_models_report report = {0};
    struct cli_report out;
    struct cc_doc *doc = NULL;
    struct cc_ctx *ctx;
    int rc;

    poptSetOtherOptionHelp(pc, "HOSTFILE [--format text|json] [--resolve NAME] [--qemu VERSION]");
    rc = cli_parse("models", pc);
    if (rc >= 0)
        goto out;
    file = poptGetArg(pc);
    if (!file || poptPeekArg(pc)) {
        rc = cli_usage_error("models", file ? "takes one HOSTFILE" : "needs a HOSTFILE");
        goto out;
    }
    rc = CLI_EXIT_ERROR;
    if (!(ctx = cli_setup(env, format_arg, 3, &fmt)) || cli_set_qemu(ctx, qemu_arg) < 0)
        goto out;
    if (cc_doc_read(ctx, file, &doc) < 0) {
        cli_fail();
        goto out;
    }
    if (!doc->arch->models) {
        cc_error(ENOTSUP, "%s: named models of %s are not supported yet", file, doc->arch->name);
        cli_fail();
        goto out;
    }
    if (doc->arch->models(ctx, doc, file, &report) < 0) {
        cli_fail();
        goto out;
    }
    if (resolve) {
        int r = cc_report_resolve(&report, file, resolve, fmt, cli_report_open(&out));
        cli_report_close(&out, r >= 0);
        if (r < 0) {
            cli_fail();
            goto out;
        }
        rc = cli_finish_stdout(r ? CLI_EXIT_NO : CLI_EXIT_OK);
    } else if (cc_report_models(&report, file, fmt, cli_report_open(&out)) < 0) {
        cli_report_close(&out, false);
        cli_fail();
    } else {
        cli_report_close(&out, true);
        rc = cli_finish_stdout(CLI_EXIT_OK);
    }
out:
    cc_models_report_free(&report);
    cc_doc_free(doc);
    free(format_arg);
    free(resolve);
    free(qemu_arg);
    poptFreeContext(pc);
    return rc;
}

const struct cli_command cli_models = {
    "models", "which named CPU models a host can run, and what blocks the rest", run};
