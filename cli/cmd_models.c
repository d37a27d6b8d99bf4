/* cpucompat models: which named CPU models a host can run, and what blocks the others. */
#include "cli.h"
#include "../core/capdoc_io.h"
#include "../core/cleanup.h"
#include "../core/cpudef.h"
#include "../core/error.h"
#include "../core/report.h"

#include <stdio.h>
#include <stdlib.h>

static int run(struct cli_env *env, int argc, const char **argv)
{
    _cleanup_free_ char *format_arg = NULL, *resolve = NULL, *qemu_arg = NULL;
    struct poptOption options[] = {
        {"format", 'f', POPT_ARG_STRING, &format_arg, 0,
         "text (default), json, xml or labels; with --resolve qemu or libvirt", "FORMAT"},
        {"qemu", 0, POPT_ARG_STRING, &qemu_arg, 0, CLI_QEMU_HELP, "VERSION"},
        {"resolve", 'r', POPT_ARG_STRING, &resolve, 0,
         "the newest version of NAME's family this host can run (exit 1 if none)", "NAME"},
        POPT_AUTOHELP POPT_TABLEEND,
    };
    _cleanup_(cli_popt_freep) poptContext pc =
        poptGetContext("cpucompat models", argc, argv, options, 0);
    _cleanup_(cc_models_report_free) struct cc_models_report report = {0};
    _cleanup_(cc_doc_freep) struct cc_doc *doc = NULL;
    struct cc_node *tree = NULL;
    const char *file;
    enum cc_format fmt;
    struct cc_ctx *ctx;
    int rc;

    poptSetOtherOptionHelp(
        pc,
        "HOSTFILE [--format text|json|xml|labels|qemu|libvirt] [--resolve NAME] [--qemu VERSION]");
    if ((rc = cli_parse("models", pc)) >= 0)
        return rc;
    file = poptGetArg(pc);
    if (!file || poptPeekArg(pc))
        return cli_usage_error("models", file ? "takes one HOSTFILE" : "needs a HOSTFILE");
    if (!(ctx = cli_setup(env, format_arg, CC_FORMATS_CPU | CC_FORMATS_LABELS, &fmt)) ||
        cli_set_qemu(ctx, qemu_arg) < 0)
        return CLI_EXIT_ERROR;
    if (cc_doc_read(ctx, file, &doc) < 0)
        return cli_fail();
    if (fmt == CC_FORMAT_LABELS && !resolve)
        return cli_print_labels(ctx, doc, file);
    if (!doc->arch->models) {
        cc_error(ENOTSUP, "%s: named models of %s are not supported yet", file, doc->arch->name);
        return cli_fail();
    }
    if (doc->arch->models(ctx, doc, file, &report) < 0)
        return cli_fail();
    if (!resolve)
        return cli_print_report(cc_report_models(&report, file), fmt, CLI_EXIT_OK);
    rc = cc_report_resolve(&report, file, resolve, &tree);
    if (rc == 0 &&
        cc_report_add_host_guest_cpu(ctx, doc, file, tree, cc_node_str(tree, "chosen")) < 0) {
        cc_node_free(tree);
        rc = -1;
    }
    return rc < 0 ? cli_fail() : cli_print_report(tree, fmt, rc ? CLI_EXIT_NO : CLI_EXIT_OK);
}

const struct cli_command cli_models = {
    "models", "which named CPU models a host can run, and what blocks the rest", run};
