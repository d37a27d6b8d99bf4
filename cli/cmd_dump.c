/* cpucompat dump: probe this host and write its capability file. */
#include "cli.h"
#include "../core/arch.h"
#include "../core/capdoc_io.h"
#include "../core/error.h"

#include <stdlib.h>

/* The probe's notes wait until the file is written: when the dump fails, its one-line error is
 * all the user sees (a note about the kvm view would only hide it). */
static struct cc_strlist pending_notes;

static void defer_note(const char *msg)
{
    if (cc_strlist_add(&pending_notes, msg) < 0)
        cli_note(msg);
}

static int run(struct cli_env *env, int argc, const char **argv)
{
    char *output_arg = NULL, *vcpu_features = NULL; /* popt allocates option strings */
    const char *output;
    int require_kvm = 0, no_kvm = 0, rc;
    struct poptOption options[] = {
        {"output", 'o', POPT_ARG_STRING, &output_arg, 0,
         "write to FILE (atomically) instead of standard output", "FILE"},
        {"require-kvm", 0, POPT_ARG_NONE, &require_kvm, 0,
         "fail (exit 2) when the kvm view cannot be read", NULL},
        {"no-kvm", 0, POPT_ARG_NONE, &no_kvm, 0, "do not open /dev/kvm", NULL},
        {"vcpu-features", 0, POPT_ARG_STRING, &vcpu_features, 0,
         "arm64: optional vCPU features of the scratch vCPU (pmu,sve,ptrauth or none; default: "
         "every one the host offers)",
         "LIST"},
        POPT_AUTOHELP POPT_TABLEEND,
    };
    poptContext pc = poptGetContext("cpucompat dump", argc, argv, options, 0);
    const struct cc_arch_ops *arch;
    struct cc_doc *doc = NULL;
    struct cc_probe_opts opts;
    struct cc_ctx *ctx;

    poptSetOtherOptionHelp(pc, "[-o FILE] [--require-kvm | --no-kvm]");
    rc = cli_parse("dump", pc);
    output = output_arg ? output_arg : "-";
    if (rc < 0 && poptPeekArg(pc))
        rc = cli_usage_error("dump", "unexpected argument '%s'", poptPeekArg(pc));
    if (rc < 0 && require_kvm && no_kvm)
        rc = cli_usage_error("dump", "--require-kvm and --no-kvm contradict each other");
    if (rc >= 0)
        goto out;
    rc = CLI_EXIT_ERROR;
    if (!(ctx = cli_ctx(env)))
        goto out;
    arch = cc_arch_host();
    if (!arch || !arch->probe) {
        cc_error(ENOTSUP, "dump: this build cannot probe this machine's architecture");
        cli_fail();
        goto out;
    }
    doc = cc_doc_new(arch);
    if (!doc) {
        cc_error(ENOMEM, "out of memory");
        cli_fail();
        goto out;
    }
    opts = (struct cc_probe_opts){.require_kvm = require_kvm,
                                  .skip_kvm = no_kvm,
                                  .vcpu_features = vcpu_features,
                                  .note = defer_note};
    if (arch->probe(ctx, &opts, doc) < 0 || cc_doc_write(ctx, doc, output) < 0) {
        cli_fail();
        goto out;
    }
    for (size_t i = 0; i < pending_notes.n; i++)
        cli_note(pending_notes.items[i]);
    rc = cli_finish_stdout(CLI_EXIT_OK);
out:
    cc_strlist_free(&pending_notes);
    free(output_arg);
    free(vcpu_features);
    cc_doc_free(doc);
    poptFreeContext(pc);
    return rc;
}

const struct cli_command cli_dump = {"dump", "probe this host and write its capability file", run};
