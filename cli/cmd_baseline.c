/* cpucompat baseline: the CPU every given host can run. */
#include "cli.h"
#include "../core/capdoc_io.h"
#include "../core/cleanup.h"
#include "../core/cpudef.h"
#include "../core/error.h"
#include "../core/report.h"
#include "../core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>

struct hosts {
    struct cc_doc **docs;
    size_t n;
};

static void hosts_free(struct hosts *h)
{
    for (size_t i = 0; h->docs && i < h->n; i++)
        cc_doc_free(h->docs[i]);
    free(h->docs);
}

static int run(struct cli_env *env, int argc, const char **argv)
{
    _cleanup_free_ char *format_arg = NULL, *qemu_arg = NULL;
    int mix = 0, rc;
    struct poptOption options[] = {
        {"allow-vendor-mix", 0, POPT_ARG_NONE, &mix, 0,
         "accept hosts of different vendors (common features of both)", NULL},
        {"format", 'f', POPT_ARG_STRING, &format_arg, 0,
         "text (default), json, xml, qemu or libvirt", "FORMAT"},
        {"qemu", 0, POPT_ARG_STRING, &qemu_arg, 0, CLI_QEMU_HELP, "VERSION"},
        POPT_AUTOHELP POPT_TABLEEND,
    };
    _cleanup_(cli_popt_freep) poptContext pc =
        poptGetContext("cpucompat baseline", argc, argv, options, 0);
    _cleanup_(hosts_free) struct hosts hosts = {0};
    _cleanup_(cc_baseline_free) struct cc_baseline b = {0};
    const char **files;
    const struct cc_arch_ops *arch;
    enum cc_format fmt;
    struct cc_ctx *ctx;
    struct cc_node *tree;

    poptSetOtherOptionHelp(
        pc, "FILE... [--format text|json|xml|qemu|libvirt] [--allow-vendor-mix] [--qemu VERSION]");
    if ((rc = cli_parse("baseline", pc)) >= 0)
        return rc;
    files = poptGetArgs(pc);
    while (files && files[hosts.n])
        hosts.n++;
    if (hosts.n == 0)
        return cli_usage_error("baseline", "needs at least one FILE");
    if (!(ctx = cli_setup(env, format_arg, CC_FORMATS_CPU, &fmt)) ||
        cli_set_qemu(ctx, qemu_arg) < 0)
        return CLI_EXIT_ERROR;
    hosts.docs = xcalloc(hosts.n, sizeof(*hosts.docs));
    if (cli_read_hosts(ctx, files, hosts.n, hosts.docs) < 0)
        return CLI_EXIT_ERROR;
    arch = hosts.docs[0]->arch;
    if (!arch->baseline) {
        cc_error(ENOTSUP, "%s: baseline is not supported for %s yet", files[0], arch->name);
        return cli_fail();
    }
    if (arch->baseline(ctx, (const struct cc_doc *const *)hosts.docs, files, hosts.n, mix, &b) < 0)
        return cli_fail();
    tree = cc_report_baseline(&b, files, hosts.n);
    if (cc_report_add_guest_cpu(ctx, arch, tree, b.model, &b.extra, &b.removed, &b.props) < 0) {
        cc_node_free(tree);
        return cli_fail();
    }
    return cli_print_report(tree, fmt, CLI_EXIT_OK);
}

const struct cli_command cli_baseline = {"baseline", "the CPU every given host can run", run};
