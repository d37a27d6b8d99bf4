/* cpucompat expand: a named CPU model as the capability file of a virtual host. */
#include "cli.h"
#include "../core/arch.h"
#include "../core/capdoc_io.h"
#include "../core/cpudef.h"
#include "../core/error.h"
#include "../core/report.h"

#include <stdlib.h>

static int run(struct cli_env *env, int argc, const char **argv)
{
    char *output_arg = NULL, *arch_arg = NULL, *host_arg = NULL, *qemu_arg = NULL,
         *format_arg = NULL;
    const char *model;
    int rc, r;
    struct poptOption options[] = {
        {"output", 'o', POPT_ARG_STRING, &output_arg, 0,
         "write to FILE (atomically) instead of standard output", "FILE"},
        {"arch", 'a', POPT_ARG_STRING, &arch_arg, 0,
         "the model's architecture (default: the first that knows MODEL)", "ARCH"},
        {"host", 'H', POPT_ARG_STRING, &host_arg, 0,
         "arm64: the model as a VMM gives it on this host (the host's file, changed)", "HOSTFILE"},
        {"qemu", 0, POPT_ARG_STRING, &qemu_arg, 0,
         "the virtual host runs this QEMU release, which must define MODEL", "VERSION"},
        {"format", 'f', POPT_ARG_STRING, &format_arg, 0,
         "print the model as a guest CPU instead: qemu (-cpu) or libvirt (<cpu>)", "FORMAT"},
        POPT_AUTOHELP POPT_TABLEEND,
    };
    poptContext pc = poptGetContext("cpucompat expand", argc, argv, options, 0);
    struct cc_doc *doc = NULL, *base = NULL;
    struct cc_ctx *ctx;
    struct cc_node *tree;
    enum cc_format fmt = CC_FORMAT_XML;

    poptSetOtherOptionHelp(pc, "MODEL [-o FILE | --format qemu|libvirt] [--arch ARCH] "
                               "[--host HOSTFILE] [--qemu VERSION]");
    rc = cli_parse("expand", pc);
    if (rc >= 0)
        goto out;
    model = poptGetArg(pc);
    if (!model || poptPeekArg(pc)) {
        rc = cli_usage_error("expand", "needs exactly one MODEL");
        goto out;
    }
    rc = CLI_EXIT_ERROR;
    if (format_arg && output_arg) {
        rc = cli_usage_error("expand", "--format prints to standard output; not with -o");
        goto out;
    }
    if (format_arg && !(ctx = cli_setup(env, format_arg,
                                        (1u << CC_FORMAT_QEMU) | (1u << CC_FORMAT_LIBVIRT), &fmt)))
        goto out;
    if (!(ctx = cli_ctx(env)) || cli_set_qemu(ctx, qemu_arg) < 0)
        goto out;
    if (host_arg && cc_doc_read(ctx, host_arg, &base) < 0) {
        cli_fail();
        goto out;
    }
    if (base && arch_arg && cc_arch_find(arch_arg) != base->arch) {
        cc_error(EINVAL, "%s: a host of %s, not of %s", host_arg, base->arch->name, arch_arg);
        cli_fail();
        goto out;
    }
    for (size_t i = 0; cc_arch_table[i]; i++) {
        const struct cc_arch_ops *a = cc_arch_table[i];

        if (!a->expand || (arch_arg && cc_arch_find(arch_arg) != a) || (base && base->arch != a))
            continue;
        doc = cc_doc_new(a);
        if (!doc) {
            cc_error(ENOMEM, "out of memory");
            break;
        }
        r = a->expand(ctx, model, base, host_arg, doc);
        if (r == 0)
            break;
        cc_doc_free(doc);
        doc = NULL;
        if (r != -ENOENT) /* it knows the model, and says why not: no other guess */
            break;
    }
    if (!doc) {
        if (arch_arg && !cc_arch_find(arch_arg))
            cc_error(EINVAL, "unknown architecture '%s'", arch_arg);
        else if (arch_arg && !cc_arch_find(arch_arg)->expand)
            cc_error(ENOTSUP, "expand: no named models for %s yet", cc_arch_find(arch_arg)->name);
        cli_fail();
        goto out;
    }
    if (format_arg) {
        tree = cc_report_new("expansion");
        cc_add_string(tree, "model", model);
        if (cc_report_add_guest_cpu(ctx, doc->arch, tree, model, NULL, NULL, NULL) < 0) {
            cc_node_free(tree);
            cli_fail();
            goto out;
        }
        rc = cli_print_report(tree, fmt, CLI_EXIT_OK);
        goto out;
    }
    if (cc_doc_write(ctx, doc, output_arg ? output_arg : "-") < 0) {
        cli_fail();
        goto out;
    }
    rc = cli_finish_stdout(CLI_EXIT_OK);
out:
    cc_doc_free(doc);
    cc_doc_free(base);
    free(host_arg);
    free(output_arg);
    free(arch_arg);
    free(qemu_arg);
    free(format_arg);
    poptFreeContext(pc);
    return rc;
}

const struct cli_command cli_expand = {
    "expand", "write a named CPU model as the capability file of a virtual host", run};
