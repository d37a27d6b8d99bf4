/* cpucompat baseline: the CPU every given host can run. */
#include "cli.h"
#include "../core/capdoc_io.h"
#include "../core/error.h"
#include "../core/report.h"

#include <stdio.h>
#include <stdlib.h>

static int run(struct cli_env *env, int argc, const char **argv)
{
    char *format_arg = NULL, *qemu_arg = NULL;
    int mix = 0, rc;
    enum cc_format fmt;
    struct poptOption options[] = {
        {"allow-vendor-mix", 0, POPT_ARG_NONE, &mix, 0,
         "accept hosts of different vendors (common features of both)", NULL},
        {"format", 'f', POPT_ARG_STRING, &format_arg, 0, "text (default), json or xml", "FORMAT"},
        {"qemu", 0, POPT_ARG_STRING, &qemu_arg, 0, CLI_QEMU_HELP, "VERSION"},
        POPT_AUTOHELP POPT_TABLEEND,
    };
    poptContext pc = poptGetContext("cpucompat baseline", argc, argv, options, 0);
    const char **files = NULL;
    struct cc_doc **docs = NULL;
    struct cc_baseline b = {0};
    struct cli_report report;
    struct cc_ctx *ctx;
    size_t n = 0;

    poptSetOtherOptionHelp(
        pc, "FILE... [--format text|json|xml] [--allow-vendor-mix] [--qemu VERSION]");
    rc = cli_parse("baseline", pc);
    if (rc >= 0)
        goto out;
    files = poptGetArgs(pc);
    while (files && files[n])
        n++;
    if (n == 0) {
        rc = cli_usage_error("baseline", "needs at least one FILE");
        goto out;
    }
    rc = CLI_EXIT_ERROR;
    if (!(ctx = cli_setup(env, format_arg, 7, &fmt)) || cli_set_qemu(ctx, qemu_arg) < 0)
        goto out;
    docs = calloc(n, sizeof(*docs));
    if (!docs) {
        cc_error(ENOMEM, "out of memory");
        cli_fail();
        goto out;
    }
    if (cli_read_hosts(ctx, files, n, docs) < 0)
        goto out;
    if (!docs[0]->arch->baseline) {
        cc_error(ENOTSUP, "%s: baseline is not supported for %s yet", files[0],
                 docs[0]->arch->name);
        cli_fail();
        goto out;
    }
    if (docs[0]->arch->baseline(ctx, (const struct cc_doc *const *)docs, files, n, mix, &b) < 0) {
        cli_fail();
        goto out;
    }
    if (cc_report_baseline(&b, files, n, fmt, cli_report_open(&report)) < 0) {
        cli_report_close(&report, false);
        cli_fail();
        goto out;
    }
    cli_report_close(&report, true);
    rc = cli_finish_stdout(CLI_EXIT_OK);
out:
    for (size_t i = 0; docs && i < n; i++)
        cc_doc_free(docs[i]);
    free(docs);
    cc_baseline_free(&b);
    free(format_arg);
    free(qemu_arg);
    poptFreeContext(pc);
    return rc;
}

const struct cli_command cli_baseline = {"baseline", "the CPU every given host can run", run};
